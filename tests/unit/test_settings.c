/* test_settings.c - the settings area on a real SQLite file: get, set, defaults, walks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/settings.h"
#include "lib/err.h"

#include "fixture.h"

struct fixture {
	struct test_store store;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_store_open(&f->store, "settings"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

static void test_get_set(void **state)
{
	struct fixture *f = *state;
	char v[64] = "x";
	assert_int_equal(settings_get(f->store.db, SETTINGS_BUREAU_NAME, v, sizeof(v)),
			 VE_NOTFOUND);
	assert_string_equal(v, "");
	assert_int_equal(
		settings_set(f->store.db, SETTINGS_BUREAU_NAME, "示范区退役军人事务局", 0, 0), 0);
	assert_int_equal(settings_get(f->store.db, SETTINGS_BUREAU_NAME, v, sizeof(v)), 0);
	assert_string_equal(v, "示范区退役军人事务局");
	/* a second set replaces the value */
	assert_int_equal(settings_set(f->store.db, SETTINGS_BUREAU_NAME, "另一局", 7, 0), 0);
	assert_int_equal(settings_get(f->store.db, SETTINGS_BUREAU_NAME, v, sizeof(v)), 0);
	assert_string_equal(v, "另一局");
	/* a short buffer gets the start, terminated */
	char small[4];
	assert_int_equal(settings_get(f->store.db, "bureau.name", small, sizeof(small)), 0);
	assert_int_equal(strlen(small), 3);
}

static void test_default_written_once(void **state)
{
	struct fixture *f = *state;
	char v[64];
	assert_int_equal(settings_set_default(f->store.db, "bureau.name", "甲"), 0);
	assert_int_equal(settings_set_default(f->store.db, "bureau.name", "乙"), 0);
	assert_int_equal(settings_get(f->store.db, "bureau.name", v, sizeof(v)), 0);
	assert_string_equal(v, "甲");
}

static void test_set_in_callers_transaction(void **state)
{
	struct fixture *f = *state;
	char v[64];
	assert_int_equal(db_begin(f->store.db), 0);
	assert_int_equal(settings_set(f->store.db, "registry.seal", "2", 0, 1), 0);
	db_rollback(f->store.db);
	assert_int_equal(settings_get(f->store.db, "registry.seal", v, sizeof(v)), VE_NOTFOUND);
	int is = 1;
	assert_int_equal(settings_is(f->store.db, "registry.seal", "2", &is), 0);
	assert_int_equal(is, 0);
	assert_int_equal(settings_set(f->store.db, "registry.seal", "2", 0, 0), 0);
	assert_int_equal(settings_is(f->store.db, "registry.seal", "2", &is), 0);
	assert_int_equal(is, 1);
	assert_int_equal(settings_is(f->store.db, "registry.seal", "1", &is), 0);
	assert_int_equal(is, 0);
}

struct seen {
	char keys[8][32];
	int n;
};

static int note(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;
	(void)value;
	snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s", key);
	return s->n == 8 ? 99 : 0;
}

static void test_each_is_a_prefix_not_a_pattern(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = {"policy.min_length", "policy.history", "policyXhistory",
					   "policy_history", "bureau.name"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_int_equal(settings_set(f->store.db, keys[i], "1", 0, 0), 0);
	struct seen s = {0};
	assert_int_equal(settings_each(f->store.db, "policy.", note, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.keys[0], "policy.history");
	assert_string_equal(s.keys[1], "policy.min_length");
	/* '_' matches itself only */
	struct seen u = {0};
	assert_int_equal(settings_each(f->store.db, "policy_", note, &u), 0);
	assert_int_equal(u.n, 1);
	/* fn's non-zero return stops the walk and is returned */
	struct seen all = {.n = 7};
	assert_int_equal(settings_each(f->store.db, "", note, &all), 99);
	assert_int_equal(all.n, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_written_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_in_callers_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_is_a_prefix_not_a_pattern, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
