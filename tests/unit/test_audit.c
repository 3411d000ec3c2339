/* test_audit.c - the audit trail: chaining, tamper detection, listing and field limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/audit.h"
#include "db/db.h"
#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/utf8.h"

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	struct test_store store;
};

static const struct crypto_keys *test_keys(unsigned char fill)
{
	static struct crypto_keys keys;
	memset(&keys, fill, sizeof(keys));
	return &keys;
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	assert_int_equal(test_store_open(&fx->store, "audit"), 0);
	audit_init(test_keys(0x5a));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	test_store_close(&fx->store);
	free(fx);
	return 0;
}

static const struct audit_actor alice = {7, "alice", "10.0.0.7", "420106"};

/* Appends n records through audit_event. */
static void write_records(struct db *db, int n)
{
	char object[32], detail[64];
	for (int i = 1; i <= n; i++) {
		snprintf(object, sizeof(object), "user:%d", i);
		snprintf(detail, sizeof(detail), "第 %d 次操作", i);
		assert_int_equal(audit_event(db, &alice, i % 2 ? "user.update" : "login", object,
					     "ok", detail),
				 0);
	}
}

/* Runs sql as someone with the sqlite3 shell would: with the append-only triggers dropped. */
static void tamper(struct db *db, const char *sql)
{
	assert_int_equal(db_exec(db, "DROP TRIGGER IF EXISTS audit_log_no_update; "
				     "DROP TRIGGER IF EXISTS audit_log_no_delete;"),
			 0);
	assert_int_equal(db_exec(db, sql), 0);
}

/* Verifies and expects a failure at bad_seq whose message contains needle. */
static void expect_broken(struct db *db, int64_t bad_seq, const char *needle)
{
	int64_t n = -1, bad = -1;
	char err[256] = "";
	assert_int_equal(audit_verify(db, &n, &bad, err, sizeof(err)), VE_CRYPTO);
	assert_int_equal(bad, bad_seq);
	if (!strstr(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void expect_intact(struct db *db, int64_t n_expected)
{
	int64_t n = -1, bad = -1;
	char err[256] = "";
	int rc = audit_verify(db, &n, &bad, err, sizeof(err));
	if (rc != 0)
		fail_msg("verify failed: %s", err);
	assert_int_equal(n, n_expected);
	assert_int_equal(bad, 0);
}

static void empty_log_is_intact(void **state)
{
	struct fixture *fx = *state;
	expect_intact(fx->store.db, 0);
}

static void intact_log_of_100_verifies(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	expect_intact(fx->store.db, 100);
}

static void records_chain_from_zero_hash(void **state)
{
	struct fixture *fx = *state;
	int64_t linked = 0;
	write_records(fx->store.db, 3);
	assert_int_equal(db_int_query(fx->store.db, &linked, 0,
				      "SELECT count(*) FROM audit_log a JOIN audit_log b "
				      "ON b.seq = a.seq + 1 AND b.prev_hash = a.hash",
				      ""),
			 0);
	assert_int_equal(linked, 2);
	assert_int_equal(
		db_int_query(fx->store.db, &linked, 0,
			     "SELECT count(*) FROM audit_log WHERE seq = 1 AND prev_hash = "
			     "'0000000000000000000000000000000000000000000000000000000000000000'",
			     ""),
		0);
	assert_int_equal(linked, 1);
}

static void edited_detail_is_named(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	tamper(fx->store.db, "UPDATE audit_log SET detail = '无事发生' WHERE seq = 37");
	expect_broken(fx->store.db, 37, "第 37 条审计记录内容被篡改");
}

static void edited_actor_id_is_named(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 10);
	tamper(fx->store.db, "UPDATE audit_log SET actor_id = NULL WHERE seq = 4");
	expect_broken(fx->store.db, 4, "第 4 条审计记录内容被篡改");
}

static void bytes_moved_between_fields_are_detected(void **state)
{
	struct fixture *fx = *state;
	/* Chosen so that a type byte between fields would not keep them apart: only the
	 * lengths do. */
	const struct audit_actor a_sb = {1, "a", "sb", ""};
	assert_int_equal(audit_event(fx->store.db, &a_sb, "login", "user:1", "ok", ""), 0);
	tamper(fx->store.db, "UPDATE audit_log SET actor = 'as', ip = 'b' WHERE seq = 1");
	expect_broken(fx->store.db, 1, "第 1 条审计记录内容被篡改");
}

static void deleted_middle_record_is_named(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq = 50");
	expect_broken(fx->store.db, 50, "第 50 条审计记录缺失（被删除）");
}

static void deleted_and_renumbered_record_breaks_the_link(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 8);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq = 5; "
			     "UPDATE audit_log SET seq = seq - 1 WHERE seq = 6; "
			     "UPDATE audit_log SET seq = seq - 1 WHERE seq = 7; "
			     "UPDATE audit_log SET seq = seq - 1 WHERE seq = 8; "
			     "UPDATE audit_head SET seq = 7");
	expect_broken(fx->store.db, 5, "第 5 条审计记录的链接断开（记录被插入或删除）");
}

static void deleted_first_record_is_named(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 5);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq = 1");
	expect_broken(fx->store.db, 1, "第 1 条审计记录缺失（被删除）");
}

static void deleted_newest_record_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq >= 99");
	expect_broken(fx->store.db, 99, "审计记录末尾被删除（应有 100 条，现有 98 条）");
}

static void deleted_newest_with_rewound_head_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	tamper(fx->store.db,
	       "DELETE FROM audit_log WHERE seq = 100; UPDATE audit_head SET seq = 99");
	expect_broken(fx->store.db, 99, "审计链头被篡改");
}

static void deleted_everything_but_the_head_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 3);
	tamper(fx->store.db, "DELETE FROM audit_log");
	expect_broken(fx->store.db, 1, "审计记录末尾被删除（应有 3 条，现有 0 条）");
}

static void deleted_head_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 3);
	tamper(fx->store.db, "DELETE FROM audit_head");
	expect_broken(fx->store.db, 3, "审计链头被篡改");
}

static void forged_appended_record_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 10);
	tamper(fx->store.db,
	       "INSERT INTO audit_log (seq, at, actor_id, actor, ip, action, object, detail, "
	       "result, "
	       "region_code, prev_hash, hash) SELECT 11, at, actor_id, actor, ip, action, object, "
	       "'伪造', result, region_code, hash, hash FROM audit_log WHERE seq = 10; "
	       "UPDATE audit_head SET seq = 11");
	expect_broken(fx->store.db, 11, "第 11 条审计记录内容被篡改");
}

static void forged_inserted_record_is_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 10);
	/* Records 6 to 10 move up one to make room; the forgery takes seq 6. */
	tamper(fx->store.db,
	       "UPDATE audit_log SET seq = seq + 1 WHERE seq = 10; "
	       "UPDATE audit_log SET seq = seq + 1 WHERE seq = 9; "
	       "UPDATE audit_log SET seq = seq + 1 WHERE seq = 8; "
	       "UPDATE audit_log SET seq = seq + 1 WHERE seq = 7; "
	       "UPDATE audit_log SET seq = seq + 1 WHERE seq = 6; "
	       "INSERT INTO audit_log SELECT 6, at, actor_id, actor, ip, action, object, '伪造', "
	       "result, region_code, prev_hash, hash FROM audit_log WHERE seq = 7");
	expect_broken(fx->store.db, 6, "第 6 条审计记录内容被篡改");
}

static void rewritten_hash_and_link_are_detected(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 100);
	/* A consistent rewrite: record 40 edited, its hash replaced by plain SM3 of anything and
	 * record 41 relinked to it. Without the key the new hash cannot be right. */
	tamper(fx->store.db, "UPDATE audit_log SET detail = '改过', hash = "
			     "'1111111111111111111111111111111111111111111111111111111111111111' "
			     "WHERE seq = 40; UPDATE audit_log SET prev_hash = "
			     "'1111111111111111111111111111111111111111111111111111111111111111' "
			     "WHERE seq = 41");
	expect_broken(fx->store.db, 40, "第 40 条审计记录内容被篡改");
}

static void another_key_does_not_verify(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 5);
	audit_init(test_keys(0x33));
	expect_broken(fx->store.db, 1, "第 1 条审计记录内容被篡改");
}

static void triggers_refuse_update_and_delete(void **state)
{
	struct fixture *fx = *state;
	int64_t n = 0;
	write_records(fx->store.db, 5);
	assert_int_not_equal(db_run(fx->store.db, "UPDATE audit_log SET detail = ? WHERE seq = ?",
				    "si", "x", (int64_t)2),
			     0);
	assert_int_not_equal(
		db_run(fx->store.db, "DELETE FROM audit_log WHERE seq = ?", "i", (int64_t)5), 0);
	assert_int_equal(db_int_query(fx->store.db, &n, 0, "SELECT count(*) FROM audit_log", ""),
			 0);
	assert_int_equal(n, 5);
	expect_intact(fx->store.db, 5);
}

static void write_refuses_to_extend_a_rewound_head(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 10);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq = 10; UPDATE audit_head SET seq = 9");
	assert_int_not_equal(audit_event(fx->store.db, &alice, "login", "user:7", "ok", ""), 0);
	expect_broken(fx->store.db, 9, "审计链头被篡改");
}

static void write_refuses_to_extend_a_cut_tail(void **state)
{
	struct fixture *fx = *state;
	write_records(fx->store.db, 10);
	tamper(fx->store.db, "DELETE FROM audit_log WHERE seq = 10");
	assert_int_not_equal(audit_event(fx->store.db, &alice, "login", "user:7", "ok", ""), 0);
	expect_broken(fx->store.db, 10, "审计记录末尾被删除（应有 10 条，现有 9 条）");
}

static void rolled_back_write_leaves_no_record(void **state)
{
	struct fixture *fx = *state;
	int64_t n = -1;
	write_records(fx->store.db, 2);
	assert_int_equal(db_begin(fx->store.db), 0);
	assert_int_equal(audit_write(fx->store.db, &alice, "user.create", "user:9", "ok", ""), 0);
	db_rollback(fx->store.db);
	assert_int_equal(db_int_query(fx->store.db, &n, 0, "SELECT count(*) FROM audit_log", ""),
			 0);
	assert_int_equal(n, 2);
	expect_intact(fx->store.db, 2);
	write_records(fx->store.db, 1);
	expect_intact(fx->store.db, 3);
}

static void unknown_actor_is_stored_as_null(void **state)
{
	struct fixture *fx = *state;
	const struct audit_actor stranger = {0, "no-such-user", "10.0.0.9", ""};
	int64_t n = -1;
	assert_int_equal(
		audit_event(fx->store.db, &stranger, "login", "user:?", "fail", "密码错误"), 0);
	assert_int_equal(audit_event(fx->store.db, NULL, "system.start", "", "ok", NULL), 0);
	assert_int_equal(db_int_query(fx->store.db, &n, 0,
				      "SELECT count(*) FROM audit_log WHERE actor_id IS NULL", ""),
			 0);
	assert_int_equal(n, 2);
	expect_intact(fx->store.db, 2);
}

/* Bytes and well-formedness of column col of record seq. */
static void stored_field(struct db *db, const char *col_sql, int64_t seq, size_t *bytes, int *valid)
{
	struct db_stmt *st = db_q(db, col_sql, "i", seq);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	const char *text = db_text(st, 0);
	*bytes = strlen(text);
	*valid = utf8_valid(text, *bytes);
	db_done(st);
}

static void long_fields_are_clamped(void **state)
{
	struct fixture *fx = *state;
	size_t n_detail = 10000, n_name = 1000;
	char *detail = xcalloc(1, n_detail + 1), *name = xcalloc(1, n_name + 1);
	memset(detail, 'd', n_detail);
	for (size_t i = 0; i + 3 <= n_name; i += 3)
		memcpy(name + i, "审", 3); /* 3 bytes each: 200 is not a character boundary */
	struct audit_actor big = {1, name, "::1", "420106"};
	size_t bytes;
	int valid;

	assert_int_equal(audit_event(fx->store.db, &big, "login", "user:1", "ok", detail), 0);
	stored_field(fx->store.db, "SELECT detail FROM audit_log WHERE seq = ?", 1, &bytes, &valid);
	assert_int_equal(bytes, 2000);
	stored_field(fx->store.db, "SELECT actor FROM audit_log WHERE seq = ?", 1, &bytes, &valid);
	assert_int_equal(bytes, 198);
	assert_true(valid);
	expect_intact(fx->store.db, 1);
	free(detail);
	free(name);
}

static void malformed_utf8_is_replaced(void **state)
{
	struct fixture *fx = *state;
	struct audit_actor odd = {0, "bad\xff\xc0name\xe5\xae", "1.2.3.4", ""};
	size_t bytes;
	int valid;
	json_t *out = NULL;
	struct audit_filter all = {.page = 1, .per_page = 10};

	assert_int_equal(audit_event(fx->store.db, &odd, "login", "user:?", "fail", ""), 0);
	stored_field(fx->store.db, "SELECT actor FROM audit_log WHERE seq = ?", 1, &bytes, &valid);
	assert_true(valid);
	assert_int_equal(audit_list(fx->store.db, &all, &out), 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(out, "items"), 0), "actor")),
			    "bad??name??");
	json_decref(out);
	expect_intact(fx->store.db, 1);
}

/* Seeds records at chosen times straight into the table: audit_list reads what is there. */
static void seed_list(struct db *db)
{
	static const struct {
		int64_t at;
		const char *actor, *action;
	} rows[] = {
		{1700000000, "alice", "login"},       {1700000100, "bob", "login"},
		{1700000200, "alice", "user.create"}, {1700000300, "alice", "user.update"},
		{1700000400, "bob", "person.view"},   {1700000500, "alice", "login_failed"},
		{1700000600, "alice", "user.role"},   {1700000700, "carol", "user.create"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(
			db_run(db,
			       "INSERT INTO audit_log (seq, at, actor_id, actor, ip, action, "
			       "object, detail, result, region_code, prev_hash, hash) "
			       "VALUES (?, ?, 1, ?, '1.1.1.1', ?, 'user:1', 'd', 'ok', '', "
			       "'', '')",
			       "iiss", (int64_t)i + 1, rows[i].at, rows[i].actor, rows[i].action),
			0);
}

/* Lists with f and returns the seqs of the page as "8,7,3", and the total in *total. */
static void list_seqs(struct db *db, const struct audit_filter *f, char *out, size_t size,
		      int64_t *total)
{
	json_t *res = NULL;
	size_t i, n = 0;
	json_t *item;
	assert_int_equal(audit_list(db, f, &res), 0);
	*total = json_integer_value(json_object_get(res, "total"));
	out[0] = '\0';
	json_array_foreach(json_object_get(res, "items"), i, item)
	{
		n += (size_t)snprintf(out + n, size - n, "%s%lld", i ? "," : "",
				      (long long)json_integer_value(json_object_get(item, "seq")));
	}
	json_decref(res);
}

static void list_filters_and_pages(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		struct audit_filter f;
		const char *seqs;
		int64_t total;
	} cases[] = {
		{{NULL, NULL, 0, 0, 1, 50}, "8,7,6,5,4,3,2,1", 8},
		{{"alice", NULL, 0, 0, 1, 50}, "7,6,4,3,1", 5},
		{{"", "", 0, 0, 1, 50}, "8,7,6,5,4,3,2,1", 8},
		{{NULL, "user.", 0, 0, 1, 50}, "8,7,4,3", 4},
		{{NULL, "login", 0, 0, 1, 50}, "6,2,1", 3},
		{{"alice", "login", 0, 0, 1, 50}, "6,1", 2},
		{{NULL, "%", 0, 0, 1, 50}, "", 0},
		{{NULL, NULL, 1700000200, 1700000500, 1, 50}, "5,4,3", 3},
		{{NULL, NULL, 1700000600, 0, 1, 50}, "8,7", 2},
		{{NULL, NULL, 0, 1700000100, 1, 50}, "1", 1},
		{{NULL, NULL, 0, 0, 1, 3}, "8,7,6", 8},
		{{NULL, NULL, 0, 0, 2, 3}, "5,4,3", 8},
		{{NULL, NULL, 0, 0, 3, 3}, "2,1", 8},
		{{NULL, NULL, 0, 0, 4, 3}, "", 8},
		{{NULL, NULL, 0, 0, 0, 0}, "8", 8}, /* page and per_page raised to 1 */
		{{NULL, NULL, 0, 0, -5, 100000}, "8,7,6,5,4,3,2,1", 8}, /* per_page cut to 200 */
		{{NULL, NULL, 0, 0, INT64_MAX, 200}, "", 8},
		{{"alice' OR '1'='1", NULL, 0, 0, 1, 50}, "", 0},
	};
	char seqs[256];
	int64_t total;
	seed_list(fx->store.db);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		list_seqs(fx->store.db, &cases[i].f, seqs, sizeof(seqs), &total);
		if (strcmp(seqs, cases[i].seqs) != 0 || total != cases[i].total)
			fail_msg("case %zu: got [%s] total %lld, want [%s] total %lld", i, seqs,
				 (long long)total, cases[i].seqs, (long long)cases[i].total);
	}
}

static void list_item_has_declared_fields(void **state)
{
	struct fixture *fx = *state;
	json_t *res = NULL;
	struct audit_filter f = {.page = 1, .per_page = 1};
	seed_list(fx->store.db);
	assert_int_equal(audit_list(fx->store.db, &f, &res), 0);
	json_t *item = json_array_get(json_object_get(res, "items"), 0);
	assert_non_null(item);
	assert_int_equal(json_object_size(item), 10);
	assert_int_equal(json_integer_value(json_object_get(item, "seq")), 8);
	/* 1700000700 is 2023-11-14 22:25 UTC, 2023-11-15 06:25 in Shanghai. */
	assert_string_equal(json_string_value(json_object_get(item, "at")), "2023-11-15 06:25");
	assert_string_equal(json_string_value(json_object_get(item, "actor")), "carol");
	assert_string_equal(json_string_value(json_object_get(item, "ip")), "1.1.1.1");
	assert_string_equal(json_string_value(json_object_get(item, "action")), "user.create");
	assert_string_equal(json_string_value(json_object_get(item, "object")), "user:1");
	assert_string_equal(json_string_value(json_object_get(item, "result")), "ok");
	assert_string_equal(json_string_value(json_object_get(item, "detail")), "d");
	assert_string_equal(json_string_value(json_object_get(item, "action_title")), "新建账号");
	assert_string_equal(json_string_value(json_object_get(item, "result_title")), "成功");
	json_decref(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(empty_log_is_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(intact_log_of_100_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(records_chain_from_zero_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(edited_detail_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(edited_actor_id_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(bytes_moved_between_fields_are_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(deleted_middle_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_and_renumbered_record_breaks_the_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_first_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_newest_record_is_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_newest_with_rewound_head_is_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(deleted_everything_but_the_head_is_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(deleted_head_is_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(forged_appended_record_is_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(forged_inserted_record_is_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rewritten_hash_and_link_are_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(another_key_does_not_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(triggers_refuse_update_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(write_refuses_to_extend_a_rewound_head, setup,
						teardown),
		cmocka_unit_test_setup_teardown(write_refuses_to_extend_a_cut_tail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rolled_back_write_leaves_no_record, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unknown_actor_is_stored_as_null, setup, teardown),
		cmocka_unit_test_setup_teardown(long_fields_are_clamped, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_utf8_is_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(list_filters_and_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(list_item_has_declared_fields, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
