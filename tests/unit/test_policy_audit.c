/* test_policy_audit.c - saving the security policy: stored and audited in one transaction,
 * or not at all. (Its bounds, load and JSON: test_policy.c; password rules: test_account.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/policy.h"
#include "areas/settings.h"
#include "lib/err.h"

struct fixture {
	char dir[64], path[96];
	struct db *db;
	struct principal secadmin;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/vets-policy-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	char err[256];
	struct crypto_keys keys;
	memset(&keys, 7, sizeof(keys));
	audit_init(&keys);
	if (db_open(&f->db, f->path, err, sizeof(err)) || db_migrate(f->db, err, sizeof(err)))
		return -1;
	account_cli_principal(&f->secadmin);
	f->secadmin.user_id = 3;
	strcpy(f->secadmin.username, "secadmin");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

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
	policy_load(f->db, &p);
	assert_int_equal(p.min_length, 8); /* the defaults */
	assert_int_equal(p.max_sessions, 3);
	p.min_length = 12;
	p.idle_minutes = 15;
	char err[256] = "", detail[400];
	assert_int_equal(policy_save(f->db, &f->secadmin, &p, err, sizeof(err)), 0);
	policy_load(f->db, &back);
	assert_memory_equal(&p, &back, sizeof(p));
	assert_int_equal(policy_records(f->db, detail, sizeof(detail)), 1);
	assert_non_null(strstr(detail, "密码最小长度 12，"));
	assert_non_null(strstr(detail, "空闲 15 分钟"));
	/* stored as settings, one key per value */
	char v[16];
	assert_int_equal(settings_get(f->db, "policy.min_length", v, sizeof(v)), 0);
	assert_string_equal(v, "12");
}

static void test_refused_changes_nothing(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct policy p;
		const char *names;
	} cases[] = {
		{{7, 90, 5, 5, 30, 30, 3, 12}, "密码最小长度"},
		{{8, 91, 5, 5, 30, 30, 3, 12}, "密码有效期"},
		{{8, 90, 5, 5, 30, 31, 3, 12}, "会话空闲超时"},
		{{8, 90, 5, 5, 30, 30, 3, 13}, "会话最长时限"},
	};
	char detail[400];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		assert_int_equal(policy_save(f->db, &f->secadmin, &cases[i].p, err, sizeof(err)),
				 VE_INVALID);
		if (!strstr(err, cases[i].names))
			fail_msg("case %zu: want %s, got %s", i, cases[i].names, err);
	}
	struct policy now;
	policy_load(f->db, &now);
	assert_int_equal(now.min_length, 8);
	assert_int_equal(now.expiry_days, 90);
	assert_int_equal(policy_records(f->db, detail, sizeof(detail)), 0);
}

static void test_failed_write_keeps_no_part(void **state)
{
	struct fixture *f = *state;
	/* The store refuses the last value: the ones before it and the record go too. */
	assert_int_equal(db_exec(f->db, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON settings "
					"WHEN new.key = 'policy.session_hours' "
					"BEGIN SELECT RAISE(ABORT, 'refused'); END"),
			 0);
	struct policy p;
	policy_load(f->db, &p);
	p.min_length = 16;
	char err[256] = "", detail[400];
	assert_int_equal(policy_save(f->db, &f->secadmin, &p, err, sizeof(err)), VE_DB);
	assert_non_null(strstr(err, "保存安全策略失败"));
	struct policy now;
	policy_load(f->db, &now);
	assert_int_equal(now.min_length, 8);
	assert_int_equal(policy_records(f->db, detail, sizeof(detail)), 0);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER refuse"), 0);
	assert_int_equal(policy_save(f->db, &f->secadmin, &p, err, sizeof(err)), 0);
	assert_int_equal(policy_records(f->db, detail, sizeof(detail)), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_save_stores_and_audits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_no_part, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
