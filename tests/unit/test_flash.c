/* test_flash.c - refused forms kept for their GET: once, for their session, for ten
 * minutes, within the bounds of count and size (time passed in: no clock is read); and
 * a refused form's passwords are never kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/err.h"
#include "web/flash.h"
#include "web/params.h"

#define T0 1800000000LL

static int reset(void **state)
{
	(void)state;
	flash_clear();
	return 0;
}

static json_t *state_of(const char *name)
{
	return json_pack("{s:[[s,s]],s:[[s,s]]}", "params", "name", name, "errors", "姓名",
			 "请填写姓名");
}

static const char *name_in(json_t *state)
{
	return json_string_value(
		json_array_get(json_array_get(json_object_get(state, "params"), 0), 1));
}

/* Put, then read as often as the page is shown again (a refresh loses nothing). */
static void test_again(void **state)
{
	(void)state;
	char token[FLASH_TOKEN_HEX + 1];
	json_t *s = state_of("张三");
	assert_int_equal(flash_put("session-a", s, T0, token), 0);
	json_decref(s);
	assert_int_equal(strlen(token), FLASH_TOKEN_HEX);
	assert_int_equal(strspn(token, "0123456789abcdef"), FLASH_TOKEN_HEX);
	json_t *got = flash_get("session-a", token, T0 + 1);
	assert_non_null(got);
	assert_string_equal(name_in(got), "张三");
	json_decref(got);
	got = flash_get("session-a", token, T0 + 2);
	assert_non_null(got);
	assert_string_equal(name_in(got), "张三");
	json_decref(got);
	assert_int_equal(flash_count(), 1);
}

/* Another session's token shows nothing and leaves it for its owner. */
static void test_other_session(void **state)
{
	(void)state;
	char token[FLASH_TOKEN_HEX + 1];
	json_t *s = state_of("李四");
	assert_int_equal(flash_put("session-a", s, T0, token), 0);
	json_decref(s);
	assert_null(flash_get("session-b", token, T0));
	assert_null(flash_get("session-a", "0123456789abcdef0123456789abcdef", T0));
	assert_null(flash_get("session-a", "short", T0));
	json_t *got = flash_get("session-a", token, T0);
	assert_non_null(got);
	json_decref(got);
}

/* Good until FLASH_TTL seconds have passed, then gone. */
static void test_expiry(void **state)
{
	(void)state;
	char early[FLASH_TOKEN_HEX + 1], late[FLASH_TOKEN_HEX + 1];
	json_t *s = state_of("王五");
	assert_int_equal(flash_put("session-a", s, T0, early), 0);
	assert_int_equal(flash_put("session-a", s, T0, late), 0);
	json_decref(s);
	json_t *got = flash_get("session-a", early, T0 + FLASH_TTL - 1);
	assert_non_null(got);
	json_decref(got);
	assert_null(flash_get("session-a", late, T0 + FLASH_TTL));
	assert_null(flash_get("session-a", early, T0 + FLASH_TTL));
	assert_int_equal(flash_count(), 0);
}

/* A session keeps FLASH_PER_SESSION: a new one pushes out its oldest, not another's. */
static void test_per_session(void **state)
{
	(void)state;
	char tokens[FLASH_PER_SESSION + 1][FLASH_TOKEN_HEX + 1], other[FLASH_TOKEN_HEX + 1];
	json_t *s = state_of("赵六");
	assert_int_equal(flash_put("session-b", s, T0, other), 0);
	for (int i = 0; i <= FLASH_PER_SESSION; i++)
		assert_int_equal(flash_put("session-a", s, T0 + i, tokens[i]), 0);
	json_decref(s);
	assert_int_equal(flash_count(), FLASH_PER_SESSION + 1);
	assert_null(flash_get("session-a", tokens[0], T0 + 10));
	for (int i = 1; i <= FLASH_PER_SESSION; i++) {
		json_t *got = flash_get("session-a", tokens[i], T0 + 10);
		assert_non_null(got);
		json_decref(got);
	}
	json_t *got = flash_get("session-b", other, T0 + 10);
	assert_non_null(got);
	json_decref(got);
}

/* FLASH_MAX in all: one more pushes out the oldest of all. */
static void test_total(void **state)
{
	(void)state;
	static char tokens[FLASH_MAX + 1][FLASH_TOKEN_HEX + 1];
	json_t *s = state_of("钱七");
	for (int i = 0; i <= FLASH_MAX; i++) {
		char owner[32];
		snprintf(owner, sizeof(owner), "session-%d", i);
		assert_int_equal(flash_put(owner, s, T0 + i, tokens[i]), 0);
	}
	json_decref(s);
	assert_int_equal(flash_count(), FLASH_MAX);
	assert_null(flash_get("session-0", tokens[0], T0 + FLASH_MAX));
	json_t *got = flash_get("session-1", tokens[1], T0 + FLASH_MAX);
	assert_non_null(got);
	json_decref(got);
}

/* A form over FLASH_SIZE_MAX is not kept (the caller answers it at once). */
static void test_size(void **state)
{
	(void)state;
	char big[FLASH_SIZE_MAX + 1], token[FLASH_TOKEN_HEX + 1];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_t *s = state_of(big);
	assert_int_equal(flash_put("session-a", s, T0, token), VE_LIMIT);
	json_decref(s);
	assert_int_equal(flash_count(), 0);
}

/* A refused form keeps what was typed but the CSRF token and every parameter its route
 * declares a password (PK_SECRET): the kept form has neither, the page shows neither. */
static void test_no_password(void **state)
{
	(void)state;
	static const struct param_spec specs[] = {
		{"username", "用户名", PK_WORD, 1, 2, 32, 0},
		{"password", "初始密码", PK_SECRET, 1, 1, 128, 0},
		PARAM_END,
	};
	static const struct route route = {"POST", "/users", NULL, NULL, 0, specs, 0};
	struct param sent[] = {{"csrf", "c0ffee", 6}, {"username", "weakling", 8},
			       {"password", "Secret#2026", 11}};
	struct request req = {.route = &route, .params = sent, .n_params = 3};
	strcpy(req.sid, "session-a");
	struct reply rep = {0};
	assert_int_equal(reply_form_refused(&req, &rep, "/users/new", NULL, "密码太弱", NULL), 0);
	const char *token = strstr(rep.location, "?form=");
	assert_non_null(token);
	json_t *kept = flash_get("session-a", token + 6, clock_now());
	assert_non_null(kept);
	char *text = json_dumps(kept, JSON_COMPACT);
	assert_non_null(strstr(text, "weakling"));
	assert_null(strstr(text, "Secret#2026"));
	assert_null(strstr(text, "password"));
	assert_null(strstr(text, "c0ffee"));
	free(text);
	json_decref(kept);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_again, reset),
		cmocka_unit_test_setup(test_other_session, reset),
		cmocka_unit_test_setup(test_expiry, reset),
		cmocka_unit_test_setup(test_per_session, reset),
		cmocka_unit_test_setup(test_total, reset),
		cmocka_unit_test_setup(test_size, reset),
		cmocka_unit_test_setup(test_no_password, reset),
	};
	return cmocka_run_group_tests_name("flash", tests, NULL, NULL);
}
