/* test_consultation.c - areas/consultation: the window's status on each side of its days, dates
 * in words, and on a real store the rules the pages rely on: a comment inside the window only
 * (judged by the Beijing day of its time), held for moderation, one decision at a time, a reason
 * for a refusal, the counts, and the rights of who may do what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/consultation.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"

#include "fixture.h"

static void test_status(void **state)
{
	(void)state;
	static const struct {
		const char *today, *want;
	} cases[] = {
		{"2026-02-28", CONSULT_UPCOMING}, {"2026-03-01", CONSULT_OPEN},
		{"2026-03-15", CONSULT_OPEN},     {"2026-03-31", CONSULT_OPEN},
		{"2026-04-01", CONSULT_CLOSED},   {"2025-12-31", CONSULT_UPCOMING},
		{"2027-01-01", CONSULT_CLOSED},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(consultation_status("2026-03-01", "2026-03-31", cases[i].today),
				    cases[i].want);
	/* a window of one day */
	assert_string_equal(consultation_status("2026-03-01", "2026-03-01", "2026-03-01"),
			    CONSULT_OPEN);
}

static void test_date_words(void **state)
{
	(void)state;
	char w[32];
	consultation_date_words("2026-03-01", w);
	assert_string_equal(w, "2026年3月1日");
	consultation_date_words("2026-12-31", w);
	assert_string_equal(w, "2026年12月31日");
	consultation_date_words("2026-02-30", w);
	assert_string_equal(w, "2026-02-30");
	consultation_date_words(NULL, w);
	assert_string_equal(w, "");
}

struct fixture {
	struct test_store store;
	struct principal clerk, leader;
	int64_t id;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "consultation"))
		return -1;
	account_cli_principal(&f->clerk);
	f->leader = f->clerk;
	f->leader.roles = ROLE_BIT(LEADER);
	/* open from yesterday to tomorrow, Beijing time */
	char today[11], from[11], to[11];
	snprintf(today, sizeof(today), "%s", clock_today_text());
	clock_date_text(clock_now() - 86400, from);
	clock_date_text(clock_now() + 86400, to);
	struct consultation_in in = {"《测试办法（征求意见稿）》", "第一条 测试。", from, to};
	struct field_errors fe = {0};
	char err[256];
	if (consultation_save(f->store.db, &f->clerk, 0, &in, &f->id, &fe, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = test_store_close(&f->store);
	free(f);
	return rc;
}

static const struct audit_actor visitor = {0, "公众", "192.0.2.1", ""};

static int comment(struct fixture *f, int64_t at, const char *text, int64_t *cid)
{
	struct field_errors fe = {0};
	char err[256];
	return consultation_comment_at(f->store.db, &visitor, f->id, "", text, at, cid, &fe, err,
				       sizeof(err));
}

/* The export checks its caller itself: read is needed, and says so; manage's title does not
 * claim the export. */
static void test_export_permission(void **state)
{
	struct fixture *f = *state;
	char err[256], path[160];
	struct principal nobody = f->clerk;
	nobody.roles = 0;
	snprintf(path, sizeof(path), "%s/export.xlsx", f->store.dir);
	assert_int_equal(consultation_export(f->store.db, &nobody, f->id, path, err, sizeof(err)),
			 VE_DENIED);
	assert_non_null(strstr(err, "查看意见征集"));
	assert_int_equal(consultation_export(f->store.db, &f->leader, f->id, path, err, sizeof(err)),
			 0);
	assert_null(strstr(perm_title(PERM_CONSULTATION_MANAGE), "导出"));
	assert_non_null(strstr(perm_title(PERM_CONSULTATION_READ), "导出"));
}

static void test_window_and_moderation(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_now(), cid = 0, of = 0, a = 0, b = 0;
	/* two days before and after the window: refused, nothing stored */
	assert_int_equal(comment(f, now - 2 * 86400, "太早提交的意见。", &cid), VE_CONFLICT);
	assert_int_equal(comment(f, now + 2 * 86400, "太晚提交的意见。", &cid), VE_CONFLICT);
	assert_int_equal(comment(f, now, "短", &cid), VE_INVALID);
	assert_int_equal(comment(f, now, "这是一条有效的意见。", &a), 0);
	assert_int_equal(comment(f, now - 86400, "昨天提交的意见。", &b), 0);
	json_t *c = NULL;
	assert_int_equal(consultation_get(f->store.db, &f->clerk, f->id, NULL, 1, 50, &c), 0);
	json_t *n = json_object_get(c, "counts");
	assert_int_equal(json_integer_value(json_object_get(n, "received")), 2);
	assert_int_equal(json_integer_value(json_object_get(n, "pending")), 2);
	json_decref(c);

	struct field_errors fe = {0};
	char err[256];
	/* a leader reads but does not moderate */
	assert_int_equal(consultation_moderate(f->store.db, &f->leader, a, 1, NULL, &of, &fe, err,
					       sizeof(err)),
			 VE_DENIED);
	assert_int_equal(consultation_moderate(f->store.db, &f->clerk, a, 1, NULL, &of, &fe, err,
					       sizeof(err)),
			 0);
	assert_int_equal(of, f->id);
	assert_int_equal(consultation_moderate(f->store.db, &f->clerk, a, 1, NULL, &of, &fe, err,
					       sizeof(err)),
			 VE_CONFLICT);
	fe.n = 0;
	assert_int_equal(consultation_moderate(f->store.db, &f->clerk, b, 0, " ", &of, &fe, err,
					       sizeof(err)),
			 VE_INVALID);
	assert_true(field_errors_has(&fe, "理由"));
	fe.n = 0;
	assert_int_equal(consultation_moderate(f->store.db, &f->clerk, b, 0, "与本文件无关", &of,
					       &fe, err, sizeof(err)),
			 0);
	assert_int_equal(consultation_moderate(f->store.db, &f->clerk, 999999, 1, NULL, &of, &fe,
					       err, sizeof(err)),
			 VE_NOTFOUND);

	/* the public sees the published one only, without its sender's name or the reason */
	assert_int_equal(consultation_public_get(f->store.db, f->id, 1, &c), 0);
	assert_int_equal(json_integer_value(json_object_get(c, "received")), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "published")), 1);
	json_t *items = json_object_get(c, "comments");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "body")),
			    "这是一条有效的意见。");
	assert_null(json_object_get(json_array_get(items, 0), "name"));
	json_decref(c);

	/* the summary waits for the close */
	fe.n = 0;
	assert_int_equal(consultation_set_summary(f->store.db, &f->clerk, f->id,
						  "采纳情况的说明，至少十个字。", &fe, err,
						  sizeof(err)),
			 VE_CONFLICT);
	int64_t pending = -1;
	assert_int_equal(consultation_pending_count(f->store.db, &pending), 0);
	assert_int_equal(pending, 0);
}

static void test_save_refusals(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe = {0};
	char err[256];
	int64_t id = 0;
	struct consultation_in in = {"标题", "正文", "2026-03-31", "2026-03-01"};
	assert_int_equal(consultation_save(f->store.db, &f->clerk, 0, &in, &id, &fe, err, sizeof(err)),
			 VE_INVALID);
	assert_true(field_errors_has(&fe, "截止日期"));
	fe.n = 0;
	assert_int_equal(consultation_save(f->store.db, &f->leader, 0, &in, &id, &fe, err, sizeof(err)),
			 VE_DENIED);
	assert_int_equal(consultation_save(f->store.db, &f->clerk, 999999, &in, &id, &fe, err,
					   sizeof(err)),
			 VE_NOTFOUND);
	int64_t n = 0;
	assert_int_equal(db_int_query(f->store.db, &n, 0, "SELECT count(*) FROM consultations", ""), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_date_words),
		cmocka_unit_test_setup_teardown(test_window_and_moderation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
