/* test_db.c - the transaction idiom every area writes through (db_tx_begin/db_tx_end),
 * on a real SQLite file: what is committed, what is rolled back, and that a caller's
 * transaction (in_tx) is left to the caller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

struct fixture {
	struct test_store store; /* its db is the writer */
	struct db *other; /* another connection: sees only what is committed */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (test_store_open_empty(&f->store, "test-db") ||
	    db_exec(f->store.db,
		    "CREATE TABLE parent (id INTEGER PRIMARY KEY); "
		    "CREATE TABLE t (x INTEGER, parent_id INTEGER REFERENCES parent (id) "
		    "DEFERRABLE INITIALLY DEFERRED);") ||
	    db_open(&f->other, f->store.path, err, sizeof(err)))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->other);
	test_store_close(&f->store);
	free(f);
	return 0;
}

/* The rows of t that another connection sees (the committed ones). */
static int64_t committed(struct fixture *f)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(f->other, &n, 0, "SELECT count(*) FROM t", ""), 0);
	return n;
}

/* A write of its own: committed when the work succeeds, rolled back with the work's
 * error otherwise; either way no transaction is left open. */
static void test_own_transaction(void **state)
{
	struct fixture *f = *state;
	static const struct {
		int work_rc, want_rc;
		int64_t want_rows;
	} cases[] = {
		{0, 0, 1},
		{VE_INVALID, VE_INVALID, 0},
		{VE_DENIED, VE_DENIED, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(db_exec(f->store.db, "DELETE FROM t"), 0);
		assert_int_equal(db_tx_begin(f->store.db, 0), 0);
		assert_int_equal(
			db_run(f->store.db, "INSERT INTO t (x) VALUES (?)", "i", (int64_t)i), 0);
		assert_int_equal(db_tx_end(f->store.db, 0, cases[i].work_rc), cases[i].want_rc);
		assert_int_equal(committed(f), cases[i].want_rows);
		/* Nothing left open: a new transaction begins. */
		assert_int_equal(db_tx_begin(f->store.db, 0), 0);
		assert_int_equal(db_tx_end(f->store.db, 0, 0), 0);
	}
}

/* A commit that fails (here a deferred foreign key) rolls back and is VE_DB. */
static void test_failed_commit(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->store.db, "DELETE FROM t"), 0);
	assert_int_equal(db_tx_begin(f->store.db, 0), 0);
	assert_int_equal(db_run(f->store.db, "INSERT INTO t (x, parent_id) VALUES (1, 99)", ""), 0);
	assert_int_equal(db_tx_end(f->store.db, 0, 0), VE_DB);
	assert_int_equal(committed(f), 0);
	assert_int_equal(db_tx_begin(f->store.db, 0), 0);
	assert_int_equal(db_tx_end(f->store.db, 0, 0), 0);
}

/* Called inside the caller's transaction (in_tx): neither call begins, commits nor
 * rolls back; the work's error is handed back and the caller decides for the whole. */
static void test_in_caller_transaction(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->store.db, "DELETE FROM t"), 0);
	for (int keep = 0; keep <= 1; keep++) {
		assert_int_equal(db_tx_begin(f->store.db, 0), 0); /* the caller's */
		assert_int_equal(db_run(f->store.db, "INSERT INTO t (x) VALUES (1)", ""), 0);
		/* the callee's: no nested BEGIN */
		assert_int_equal(db_tx_begin(f->store.db, 1), 0);
		assert_int_equal(db_run(f->store.db, "INSERT INTO t (x) VALUES (2)", ""), 0);
		assert_int_equal(db_tx_end(f->store.db, 1, VE_CONFLICT), VE_CONFLICT);
		assert_int_equal(db_tx_end(f->store.db, 1, 0), 0);
		assert_int_equal(committed(f), 0); /* still the caller's, uncommitted */
		int64_t inside = 0;
		assert_int_equal(
			db_int_query(f->store.db, &inside, 0, "SELECT count(*) FROM t", ""), 0);
		assert_int_equal(inside, 2);
		assert_int_equal(db_tx_end(f->store.db, 0, keep ? 0 : VE_CONFLICT),
				 keep ? 0 : VE_CONFLICT);
		assert_int_equal(committed(f), keep ? 2 : 0);
	}
}

/* Without the flag, a callee cannot begin inside the caller's transaction: nested
 * transactions are not supported, which is why a callee takes in_tx. */
/* The text of a one-row, one-column query, "NULL" for NULL. */
static void expect_text(struct db *db, const char *sql, const char *want)
{
	struct db_stmt *st = db_q(db, sql, "");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	const char *got = db_text(st, 0);
	assert_string_equal(got ? got : "NULL", want);
	db_done(st);
}

/* The functions of the common dialect that every backend provides (db.h). */
static void test_dialect_functions(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->store.db;
	expect_text(db, "SELECT greatest(1, NULL, 3)", "3");
	expect_text(db, "SELECT least('2026-01', '2025-12')", "2025-12");
	expect_text(db, "SELECT greatest(NULL, NULL)", "NULL");
	expect_text(db, "SELECT month_add('2026-12', 1)", "2027-01");
	expect_text(db, "SELECT month_add('2026-01', -13)", "2024-12");
	expect_text(db, "SELECT month_add('2026-1', 1)", "NULL");
	expect_text(db, "SELECT month_add(NULL, 1)", "NULL");
	expect_text(db, "SELECT day_add('2024-02-28', 1)", "2024-02-29");
	expect_text(db, "SELECT day_add('2026-12-31', 60)", "2027-03-01");
	expect_text(db, "SELECT day_add('2026-02-30', 1)", "NULL");
}

static void test_nested_without_flag(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_tx_begin(f->store.db, 0), 0);
	assert_int_equal(db_tx_begin(f->store.db, 0), VE_DB);
	assert_int_equal(db_tx_end(f->store.db, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_own_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_caller_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_without_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dialect_functions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
