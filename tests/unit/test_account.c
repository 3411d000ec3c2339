/* test_account.c - roles, scope, accounts and login rules, on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/session.h"
#include "lib/err.h"

#include "fixture.h"

static void test_roles(void **state)
{
	role_set sys = 1u << ROLE_SYSADMIN, sec = 1u << ROLE_SECADMIN, aud = 1u << ROLE_AUDITOR;
	role_set clerk = 1u << ROLE_CLERK, reviewer = 1u << ROLE_REVIEWER;
	assert_true(role_set_valid(0));
	assert_true(role_set_valid(sys));
	assert_true(role_set_valid(clerk | reviewer));
	assert_false(role_set_valid(sys | sec));
	assert_false(role_set_valid(sys | clerk));
	assert_false(role_set_valid(aud | clerk));
	assert_false(role_set_valid(1u << ROLE__COUNT));
	/* 三员分立 */
	assert_true(perm_allows(sys, PERM_ACCOUNT_WRITE));
	assert_false(perm_allows(sys, PERM_ROLE_GRANT));
	assert_false(perm_allows(sys, PERM_AUDIT_READ));
	assert_true(perm_allows(sec, PERM_ROLE_GRANT));
	assert_false(perm_allows(sec, PERM_ACCOUNT_WRITE));
	assert_false(perm_allows(sec, PERM_AUDIT_READ));
	assert_true(perm_allows(aud, PERM_AUDIT_READ));
	assert_false(perm_allows(aud, PERM_ACCOUNT_READ));
	for (int r = 0; r < ROLE__COUNT; r++) {
		assert_true(perm_allows(1u << r, PERM_SIGNED_IN));
		assert_int_equal(role_parse(role_name(r)), r);
	}
	assert_int_equal(role_parse("root"), -1);
}

static void test_scope(void **state)
{
	struct scope s = {SCOPE_ORG_TREE, 7, 4, "/1/4/"};
	assert_true(scope_covers(&s, "/1/4/", 4, 0));
	assert_true(scope_covers(&s, "/1/4/9/", 9, 0));
	assert_false(scope_covers(&s, "/1/", 1, 0));
	assert_false(scope_covers(&s, "/1/40/", 40, 0));
	s.kind = SCOPE_ORG;
	assert_true(scope_covers(&s, "/1/4/", 4, 0));
	assert_false(scope_covers(&s, "/1/4/9/", 9, 0));
	s.kind = SCOPE_SELF;
	assert_true(scope_covers(&s, "/1/", 1, 7));
	assert_false(scope_covers(&s, "/1/4/", 4, 8));
	s.kind = SCOPE_ALL;
	assert_true(scope_covers(&s, "/2/", 2, 0));
}

/* ---- with a database ---- */

struct fixture {
	struct test_store store;
	struct principal cli;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256] = "";
	if (test_district_open(&f->store, "account"))
		return -1;
	account_cli_principal(&f->cli);
	int64_t id;
	if (account_org_create(f->store.db, &f->cli, "420199", "420199001", "东湖街道", "street",
			       &id, err, sizeof(err)) ||
	    account_org_create(f->store.db, &f->cli, "420199001", "420199001001", "建设社区",
			       "community", &id, err, sizeof(err)) ||
	    account_org_create(f->store.db, &f->cli, "420199", "420199002", "长青街道", "street",
			       &id, err, sizeof(err)))
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

static int64_t add_user(struct fixture *f, const char *name, const char *org, role_set roles,
			int temporary)
{
	struct account_new in = {name, name, org, roles, "Str0ng!pass", temporary};
	int64_t id = 0;
	char err[256] = "";
	if (account_user_create(f->store.db, &f->cli, &in, &id, err, sizeof(err)) != 0)
		fail_msg("create %s: %s", name, err);
	return id;
}

static void test_org_rules(void **state)
{
	struct fixture *f = *state;
	char err[256];
	int64_t id;
	assert_int_equal(account_org_create(f->store.db, &f->cli, "420199", "420199001", "重复",
					    "street", &id, err, sizeof(err)),
			 VE_EXISTS);
	assert_int_equal(account_org_create(f->store.db, &f->cli, "420199001", "X1", "错层",
					    "section", &id, err, sizeof(err)),
			 VE_INVALID);
	assert_int_equal(account_org_create(f->store.db, &f->cli, "nowhere", "X2", "无上级",
					    "street", &id, err, sizeof(err)),
			 VE_NOTFOUND);
	assert_int_equal(account_org_create(f->store.db, &f->cli, "420199", "bad code", "空格",
					    "street", &id, err, sizeof(err)),
			 VE_INVALID);
}

static void test_user_rules(void **state)
{
	struct fixture *f = *state;
	char err[256];
	int64_t id;
	add_user(f, "alice", "420199", 1u << ROLE_CLERK, 0);
	struct account_new dup = {"alice", "重名", "420199", 0, "Str0ng!pass", 0};
	assert_int_equal(account_user_create(f->store.db, &f->cli, &dup, &id, err, sizeof(err)),
			 VE_EXISTS);
	struct account_new weak = {"bob", "鲍勃", "420199", 0, "weak", 0};
	assert_int_equal(account_user_create(f->store.db, &f->cli, &weak, &id, err, sizeof(err)),
			 VE_INVALID);
	assert_int_equal(account_user_find(f->store.db, "bob", &id),
			 VE_NOTFOUND); /* nothing left behind */
	struct account_new mixed = {"carol",       "卡罗",
				    "420199",      (1u << ROLE_SYSADMIN) | (1u << ROLE_CLERK),
				    "Str0ng!pass", 0};
	assert_int_equal(account_user_create(f->store.db, &f->cli, &mixed, &id, err, sizeof(err)),
			 VE_INVALID);
	struct account_new badname = {"1x", "数字开头", "420199", 0, "Str0ng!pass", 0};
	assert_int_equal(account_user_create(f->store.db, &f->cli, &badname, &id, err, sizeof(err)),
			 VE_INVALID);
}

static void test_sysadmin_cannot_grant(void **state)
{
	struct fixture *f = *state;
	struct principal sys = f->cli;
	sys.user_id = add_user(f, "sys1", "420199", 1u << ROLE_SYSADMIN, 0);
	sys.roles = 1u << ROLE_SYSADMIN;
	char err[256];
	int64_t id;
	struct account_new in = {"dave", "戴夫", "420199", 1u << ROLE_CLERK, "Str0ng!pass", 1};
	assert_int_equal(account_user_create(f->store.db, &sys, &in, &id, err, sizeof(err)),
			 VE_DENIED);
	in.roles = 0;
	assert_int_equal(account_user_create(f->store.db, &sys, &in, &id, err, sizeof(err)), 0);
	struct principal sec = f->cli;
	sec.user_id = add_user(f, "sec1", "420199", 1u << ROLE_SECADMIN, 0);
	sec.roles = 1u << ROLE_SECADMIN;
	assert_int_equal(account_user_grant(f->store.db, &sec, sec.user_id, 1u << ROLE_CLERK,
					    SCOPE_ALL, err, sizeof(err)),
			 VE_DENIED);
	/* The sysadmin set dave's temporary password: no role until dave has his own. */
	assert_int_equal(account_user_grant(f->store.db, &sec, id, 1u << ROLE_CLERK, SCOPE_ORG, err,
					    sizeof(err)),
			 VE_DENIED);
	assert_non_null(strstr(err, "临时密码尚未由本人修改"));
	assert_int_equal(account_user_set_password(f->store.db, &f->cli, id, "Own3r!pass", 0, err,
						   sizeof(err)),
			 0);
	assert_int_equal(account_user_grant(f->store.db, &sec, id, 1u << ROLE_CLERK, SCOPE_ORG, err,
					    sizeof(err)),
			 0);
}

static void test_scope_lists(void **state)
{
	struct fixture *f = *state;
	add_user(f, "east1", "420199001", 1u << ROLE_STATION, 0);
	add_user(f, "east2", "420199001001", 1u << ROLE_STATION, 0);
	int64_t west = add_user(f, "west1", "420199002", 1u << ROLE_STATION, 0);
	char sid[SESSION_ID_HEX + 1];
	struct principal p;
	int64_t until = 0;
	assert_int_equal(
		session_login(f->store.db, "east1", "Str0ng!pass", "127.0.0.1", sid, &p, &until),
		0);
	assert_int_equal(p.scope.kind, SCOPE_ORG_TREE);
	json_t *list;
	assert_int_equal(account_user_list(f->store.db, &p, "", 1, 50, &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 2);
	json_decref(list);
	assert_int_equal(account_user_get(f->store.db, &p, west, &list), VE_NOTFOUND);
}

static void test_login_lockout_and_history(void **state)
{
	struct fixture *f = *state;
	int64_t id = add_user(f, "erin", "420199", 1u << ROLE_CLERK, 1);
	char sid[SESSION_ID_HEX + 1];
	struct principal p;
	int64_t until = 0;
	assert_int_equal(session_login(f->store.db, "erin", "Str0ng!pass", "::1", sid, &p, &until),
			 0);
	assert_true(p.must_change_password);
	char err[256] = "";
	int64_t locked = 0;
	assert_int_equal(session_password_change(f->store.db, sid, &p, "wrong", "N3w!passw",
						 &locked, err, sizeof(err)),
			 VE_AUTH);
	assert_int_equal(locked, 0);
	assert_int_equal(session_password_change(f->store.db, sid, &p, "Str0ng!pass", "N3w!passw",
						 &locked, err, sizeof(err)),
			 0);
	/* The last five may not come back. */
	const char *next[] = {"N3w!passw2", "N3w!passw3", "N3w!passw4", "N3w!passw5"};
	const char *cur = "N3w!passw";
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(session_password_change(f->store.db, sid, &p, cur, next[i],
							 &locked, err, sizeof(err)),
				 0);
		cur = next[i];
	}
	assert_int_equal(session_password_change(f->store.db, sid, &p, cur, "N3w!passw", &locked,
						 err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "最近 5 次"));
	for (int i = 0; i < 4; i++)
		assert_int_equal(session_login(f->store.db, "erin", "bad", "::1", sid, &p, &until),
				 VE_AUTH);
	assert_int_equal(until, 0);
	session_login(f->store.db, "erin", "bad", "::1", sid, &p, &until);
	assert_true(until > 0);
	until = 0;
	assert_int_equal(session_login(f->store.db, "erin", cur, "::1", sid, &p, &until),
			 VE_LOCKED);
	char unlock_err[256];
	assert_int_equal(
		account_user_unlock(f->store.db, &f->cli, id, unlock_err, sizeof(unlock_err)), 0);
	assert_int_equal(session_login(f->store.db, "erin", cur, "::1", sid, &p, &until), 0);
	assert_false(p.must_change_password);
	struct principal again;
	assert_int_equal(session_lookup(f->store.db, sid, "::1", &again), 0);
	assert_int_equal(again.user_id, id);
	assert_string_equal(again.csrf, p.csrf);
	assert_int_equal(session_logout(f->store.db, sid, &again), 0);
	assert_int_equal(session_lookup(f->store.db, sid, "::1", &again), VE_AUTH);
	assert_int_equal(session_login(f->store.db, "nobody", cur, "::1", sid, &p, &until),
			 VE_AUTH);
}

/* 三员分立: the system administrator alone neither sets a role holder's password,
 * nor lifts its lock, nor widens its scope by a move. */
static void test_role_holder_needs_second_person(void **state)
{
	struct fixture *f = *state;
	struct principal sys = f->cli, sec = f->cli;
	sys.user_id = add_user(f, "sys2", "420199", 1u << ROLE_SYSADMIN, 0);
	sys.roles = 1u << ROLE_SYSADMIN;
	sec.user_id = add_user(f, "sec2", "420199", 1u << ROLE_SECADMIN, 0);
	sec.roles = 1u << ROLE_SECADMIN;
	int64_t clerk = add_user(f, "frank", "420199001", 1u << ROLE_CLERK, 0);
	int64_t plain = add_user(f, "gina", "420199", 0, 0);
	char err[256] = "";
	int pending = 0;
	/* Set at once: refused; asked for: pending, and the old password still works. */
	assert_int_equal(account_user_set_password(f->store.db, &sys, clerk, "T3mp!pass", 1, err,
						   sizeof(err)),
			 VE_DENIED);
	assert_int_equal(account_user_reset_password(f->store.db, &sys, clerk, "T3mp!pass",
						     &pending, err, sizeof(err)),
			 0);
	assert_true(pending);
	char sid[SESSION_ID_HEX + 1];
	struct principal p;
	int64_t until = 0;
	assert_int_equal(session_login(f->store.db, "frank", "T3mp!pass", "::1", sid, &p, &until),
			 VE_AUTH);
	assert_int_equal(session_login(f->store.db, "frank", "Str0ng!pass", "::1", sid, &p, &until),
			 0);
	/* The security administrator confirms; once only. */
	assert_int_equal(account_user_confirm_password(f->store.db, &sec, clerk, err, sizeof(err)),
			 0);
	assert_int_equal(account_user_confirm_password(f->store.db, &sec, clerk, err, sizeof(err)),
			 VE_CONFLICT);
	assert_int_equal(session_login(f->store.db, "frank", "T3mp!pass", "::1", sid, &p, &until),
			 0);
	assert_true(p.must_change_password);
	/* A role-less account: at once. */
	assert_int_equal(account_user_reset_password(f->store.db, &sys, plain, "T3mp!pass",
						     &pending, err, sizeof(err)),
			 0);
	assert_false(pending);
	/* No early unlock of a role holder by the system administrator. */
	assert_int_equal(account_user_unlock(f->store.db, &sys, clerk, err, sizeof(err)),
			 VE_DENIED);
	assert_int_equal(account_user_unlock(f->store.db, &sys, plain, err, sizeof(err)), 0);
	/* A move takes the roles and narrows the scope. */
	assert_int_equal(account_user_update(f->store.db, &sys, clerk, "弗兰克", "420199", 0, err,
					     sizeof(err)),
			 0);
	assert_int_equal(account_roles_of(f->store.db, clerk), 0);
	int64_t self_scope = 0;
	assert_int_equal(db_int_query(f->store.db, &self_scope, 0,
				      "SELECT count(*) FROM users WHERE id = ? AND scope = 'self'",
				      "i", clerk),
			 0);
	assert_int_equal(self_scope, 1);
	assert_int_equal(account_user_update(f->store.db, &sys, sys.user_id, "系统管理员",
					     "420199002", 0, err, sizeof(err)),
			 VE_DENIED);
}

/* An unknown name locks after as many failures as an account, and the audit trail
 * keeps it masked. */
static void test_unknown_name_locks(void **state)
{
	struct fixture *f = *state;
	char sid[SESSION_ID_HEX + 1];
	struct principal p;
	int64_t until = 0;
	for (int i = 0; i < 4; i++)
		assert_int_equal(
			session_login(f->store.db, "Pa55word!", "x", "::1", sid, &p, &until),
			VE_AUTH);
	assert_int_equal(session_login(f->store.db, "Pa55word!", "x", "::1", sid, &p, &until),
			 VE_LOCKED);
	assert_true(until > 0);
	int64_t verbatim = 1;
	assert_int_equal(
		db_int_query(f->store.db, &verbatim, 0,
			     "SELECT count(*) FROM audit_log WHERE actor = ? OR object = ?", "ss",
			     "Pa55word!", "Pa55word!"),
		0);
	assert_int_equal(verbatim, 0);
	char mask[96];
	audit_name_mask("Pa55word!", mask, sizeof(mask));
	assert_non_null(strstr(mask, "（9 个字符）"));
	assert_null(strstr(mask, "Pa55"));
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_scope),
	};
	const struct CMUnitTest with_db[] = {
		cmocka_unit_test_setup_teardown(test_org_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysadmin_cannot_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_lockout_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_holder_needs_second_person, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_name_locks, setup, teardown),
	};
	return cmocka_run_group_tests(pure, NULL, NULL) |
	       cmocka_run_group_tests(with_db, NULL, NULL);
}
