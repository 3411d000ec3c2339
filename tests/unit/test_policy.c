/* test_policy.c - areas/policy: password composition, the bounds of every value (a table),
 * and saving and loading on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/policy.h"
#include "areas/settings.h"
#include "lib/crypto.h"
#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

#define STRICT                                                                                     \
	{                                                                                          \
		8, 90, 5, 5, 30, 30, 3, 12, 12                                                     \
	} /* the defaults */

static void test_password_rules(void **state)
{
	struct policy pol = STRICT;
	static const struct {
		const char *password, *error; /* error NULL: accepted */
	} cases[] = {
		{"Abcdefg1", NULL},
		{"abcdefg1!", NULL},
		{"ABCDEFG1!", NULL},
		{"长城Abc12!", NULL},
		{"Abcde1!", "至少需要 8 个字符"},
		{"abcdefgh", "至少三类"},
		{"abcdefg1", "至少三类"},
		{"ABCDEFGH1", "至少三类"},
		{"Zhangsan-1", "不能包含用户名"},
		{"Abc\x01"
		 "defg1",
		 "无效字符"},
		{"Abc\xff"
		 "defg1",
		 "无效字符"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		int rc = policy_password_check(&pol, "zhangsan", cases[i].password, err,
					       sizeof(err));
		if (!cases[i].error && rc)
			fail_msg("%s refused: %s", cases[i].password, err);
		if (cases[i].error && (!rc || !strstr(err, cases[i].error)))
			fail_msg("%s: want %s, got %s", cases[i].password, cases[i].error, err);
	}
}

/* Each value at and just past its bounds; the message names the value and its range. */
static void test_bounds(void **state)
{
	static const struct {
		size_t offset;
		int min, max;
		const char *title;
	} v[] = {
		{offsetof(struct policy, min_length), 8, 64, "密码最小长度应在 8 到 64 之间"},
		{offsetof(struct policy, expiry_days), 1, 90, "密码有效期（天）应在 1 到 90 之间"},
		{offsetof(struct policy, history), 5, 24,
		 "不得重复使用的历史密码个数应在 5 到 24 之间"},
		{offsetof(struct policy, max_failures), 3, 10, "连续失败锁定次数应在 3 到 10 之间"},
		{offsetof(struct policy, lock_minutes), 30, 1440,
		 "锁定时长（分钟）应在 30 到 1440 之间"},
		{offsetof(struct policy, idle_minutes), 5, 30,
		 "会话空闲超时（分钟）应在 5 到 30 之间"},
		{offsetof(struct policy, max_sessions), 1, 10,
		 "每个账号同时在线会话数应在 1 到 10 之间"},
		{offsetof(struct policy, session_hours), 1, 12,
		 "会话最长时限（小时）应在 1 到 12 之间"},
	};
	/* the retention: under 6 months says why (等保), over 600 the range */
	const struct policy base = STRICT;
	char why[256];
	struct policy short_keep = base, long_keep = base, least = base;
	short_keep.audit_months = 5;
	long_keep.audit_months = 601;
	least.audit_months = 6;
	assert_int_equal(policy_check(&least, why, sizeof(why)), 0);
	assert_int_equal(policy_check(&short_keep, why, sizeof(why)), VE_INVALID);
	assert_string_equal(why, "审计记录保留期（月）不能少于 6：等级保护要求审计记录至少保存 6 个月");
	assert_int_equal(policy_check(&long_keep, why, sizeof(why)), VE_INVALID);
	assert_string_equal(why, "审计记录保留期（月）应在 6 到 600 之间");
	const struct policy strict = STRICT;
	char err[256];
	assert_int_equal(policy_check(&strict, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const int values[] = {v[i].min - 1, v[i].min, v[i].max, v[i].max + 1, 0,
				      -1,           INT32_MAX};
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			struct policy p = strict;
			int ok = values[k] >= v[i].min && values[k] <= v[i].max;
			*(int *)((char *)&p + v[i].offset) = values[k];
			err[0] = '\0';
			int rc = policy_check(&p, err, sizeof(err));
			if (ok && rc != 0)
				fail_msg("%s = %d refused: %s", v[i].title, values[k], err);
			if (!ok && (rc != VE_INVALID || strcmp(err, v[i].title) != 0))
				fail_msg("%d: want \"%s\", got %d \"%s\"", values[k], v[i].title,
					 rc, err);
		}
	}
}

struct fixture {
	struct test_store store;
	struct principal secadmin;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct crypto_keys keys;
	memset(&keys, 7, sizeof(keys));
	audit_init(&keys);
	if (test_store_open(&f->store, "policy"))
		return -1;
	account_cli_principal(&f->secadmin);
	f->secadmin.user_id = 42;
	strcpy(f->secadmin.username, "secadmin");
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

/* The one call into policy_save, by the security administrator of id 42. */
static int save(struct fixture *f, const struct policy *p, char *err, size_t errlen)
{
	return policy_save(f->store.db, &f->secadmin, p, err, errlen);
}

static void assert_policy_equal(const struct policy *a, const struct policy *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

static int64_t count(struct fixture *f, const char *sql)
{
	int64_t v = -1;
	assert_int_equal(db_int_query(f->store.db, &v, 0, sql, ""), 0);
	return v;
}

static void test_save_and_load(void **state)
{
	struct fixture *f = *state;
	const struct policy strict = STRICT;
	struct policy loaded, tight = {12, 30, 10, 3, 60, 10, 1, 8, 24};
	char err[256] = "";
	/* Nothing stored: the defaults. */
	policy_load(f->store.db, &loaded);
	assert_policy_equal(&loaded, &strict);
	/* Saved: every value, by whom. */
	assert_int_equal(save(f, &tight, err, sizeof(err)), 0);
	policy_load(f->store.db, &loaded);
	assert_policy_equal(&loaded, &tight);
	assert_int_equal(count(f, "SELECT count(*) FROM settings WHERE key LIKE 'policy.%' AND "
				  "updated_by = 42 AND updated_at > 0"),
			 9);
	assert_int_equal(count(f, "SELECT value FROM settings WHERE key = 'policy.min_length'"),
			 12);
	/* Saved again: the same rows, new values. */
	assert_int_equal(save(f, &strict, err, sizeof(err)), 0);
	policy_load(f->store.db, &loaded);
	assert_policy_equal(&loaded, &strict);
	assert_int_equal(count(f, "SELECT count(*) FROM settings"), 9);
}

/* A value out of bounds is refused with its name, and nothing is stored. */
static void test_save_refused(void **state)
{
	struct fixture *f = *state;
	struct policy loaded, tight = {12, 30, 10, 3, 60, 10, 1, 8, 24};
	struct policy bad[] = {
		{7, 30, 10, 3, 60, 10, 1, 8, 24},  {12, 91, 10, 3, 60, 10, 1, 8, 24},
		{12, 30, 10, 3, 60, 31, 1, 8, 24}, {12, 30, 10, 3, 60, 10, 1, 13, 24},
		{12, 30, 10, 3, 60, 10, 0, 8, 24}, {12, 30, 10, 11, 60, 10, 1, 8, 24},
	};
	char err[256] = "";
	assert_int_equal(save(f, &tight, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(save(f, &bad[i], err, sizeof(err)), VE_INVALID);
		assert_non_null(strstr(err, "应在"));
		policy_load(f->store.db, &loaded);
		assert_policy_equal(&loaded, &tight);
	}
}

/* Stored values that are out of bounds or unknown (an older or tampered database) are
 * ignored: the default stands, never a looser value. */
static void test_load_ignores_bad_values(void **state)
{
	struct fixture *f = *state;
	const struct policy strict = STRICT;
	struct policy loaded;
	assert_int_equal(
		db_exec(f->store.db,
			"INSERT INTO settings (key, value, updated_at) VALUES "
			"('policy.min_length', '6', 1), ('policy.expiry_days', '365', 1), "
			"('policy.max_failures', 'x', 1), ('policy.idle_minutes', '010', 1), "
			"('policy.session_hours', ' 8', 1), ('policy.unknown', '3', 1), "
			"('policy.', '3', 1), ('policy.history', '24', 1)"),
		0);
	policy_load(f->store.db, &loaded);
	struct policy want = strict;
	want.history = 24;
	assert_policy_equal(&loaded, &want);
}

static void test_json(void **state)
{
	const struct policy tight = {12, 30, 10, 3, 60, 10, 1, 8, 24};
	json_t *o = policy_json(&tight), *fields = json_object_get(o, "fields");
	assert_int_equal(json_integer_value(json_object_get(o, "min_length")), 12);
	assert_int_equal(json_integer_value(json_object_get(o, "session_hours")), 8);
	assert_int_equal(json_array_size(fields), 9);
	json_t *first = json_array_get(fields, 0);
	assert_string_equal(json_string_value(json_object_get(first, "key")), "min_length");
	assert_string_equal(json_string_value(json_object_get(first, "title")), "密码最小长度");
	assert_int_equal(json_integer_value(json_object_get(first, "value")), 12);
	assert_int_equal(json_integer_value(json_object_get(first, "min")), 8);
	assert_int_equal(json_integer_value(json_object_get(first, "max")), 64);
	json_decref(o);
	(void)state;
}

/* ---- saving: stored and audited in one transaction, or not at all ---- */

/* The newest "policy.update" records: how many, and the newest's detail into detail. */
static int policy_records(struct db *db, char *detail, size_t size)
{
	struct audit_filter af = {.action = "policy.", .page = 1, .per_page = 10};
	json_t *list = NULL;
	assert_int_equal(audit_list(db, &af, &list), 0);
	int n = (int)json_integer_value(json_object_get(list, "total"));
	json_t *newest = json_array_get(json_object_get(list, "items"), 0);
	snprintf(detail, size, "%s",
		 newest ? json_string_value(json_object_get(newest, "detail")) : "");
	if (newest) {
		assert_string_equal(json_string_value(json_object_get(newest, "actor")),
				    "secadmin");
		assert_string_equal(json_string_value(json_object_get(newest, "object")), "policy");
	}
	json_decref(list);
	return n;
}

static void test_save_stores_and_audits(void **state)
{
	struct fixture *f = *state;
	struct policy p, back;
	policy_load(f->store.db, &p);
	assert_int_equal(p.min_length, 8); /* the defaults */
	assert_int_equal(p.max_sessions, 3);
	p.min_length = 12;
	p.idle_minutes = 15;
	char err[256] = "", detail[400];
	assert_int_equal(policy_save(f->store.db, &f->secadmin, &p, err, sizeof(err)), 0);
	policy_load(f->store.db, &back);
	assert_memory_equal(&p, &back, sizeof(p));
	assert_int_equal(policy_records(f->store.db, detail, sizeof(detail)), 1);
	assert_non_null(strstr(detail, "密码最小长度 12，"));
	assert_non_null(strstr(detail, "空闲 15 分钟"));
	assert_non_null(strstr(detail, "审计记录保留 12 个月"));
	/* stored as settings, one key per value */
	char v[16];
	assert_int_equal(settings_get(f->store.db, "policy.min_length", v, sizeof(v)), 0);
	assert_string_equal(v, "12");
}

static void test_refused_changes_nothing(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct policy p;
		const char *names;
	} cases[] = {
		{{7, 90, 5, 5, 30, 30, 3, 12, 24}, "密码最小长度"},
		{{8, 91, 5, 5, 30, 30, 3, 12, 24}, "密码有效期"},
		{{8, 90, 5, 5, 30, 31, 3, 12, 24}, "会话空闲超时"},
		{{8, 90, 5, 5, 30, 30, 3, 13, 24}, "会话最长时限"},
	};
	char detail[400];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		assert_int_equal(
			policy_save(f->store.db, &f->secadmin, &cases[i].p, err, sizeof(err)),
			VE_INVALID);
		if (!strstr(err, cases[i].names))
			fail_msg("case %zu: want %s, got %s", i, cases[i].names, err);
	}
	struct policy now;
	policy_load(f->store.db, &now);
	assert_int_equal(now.min_length, 8);
	assert_int_equal(now.expiry_days, 90);
	assert_int_equal(policy_records(f->store.db, detail, sizeof(detail)), 0);
}

static void test_failed_write_keeps_no_part(void **state)
{
	struct fixture *f = *state;
	/* The store refuses the last value: the ones before it and the record go too. */
	assert_int_equal(db_exec(f->store.db,
				 "CREATE TEMP TRIGGER refuse BEFORE INSERT ON settings "
				 "WHEN new.key = 'policy.session_hours' "
				 "BEGIN SELECT RAISE(ABORT, 'refused'); END"),
			 0);
	struct policy p;
	policy_load(f->store.db, &p);
	p.min_length = 16;
	char err[256] = "", detail[400];
	assert_int_equal(policy_save(f->store.db, &f->secadmin, &p, err, sizeof(err)), VE_DB);
	assert_non_null(strstr(err, "保存安全策略失败"));
	struct policy now;
	policy_load(f->store.db, &now);
	assert_int_equal(now.min_length, 8);
	assert_int_equal(policy_records(f->store.db, detail, sizeof(detail)), 0);
	assert_int_equal(db_exec(f->store.db, "DROP TRIGGER refuse"), 0);
	assert_int_equal(policy_save(f->store.db, &f->secadmin, &p, err, sizeof(err)), 0);
	assert_int_equal(policy_records(f->store.db, detail, sizeof(detail)), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_json),
		cmocka_unit_test_setup_teardown(test_save_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_ignores_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_stores_and_audits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_no_part, setup, teardown),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
