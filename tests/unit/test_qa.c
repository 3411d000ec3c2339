/* test_qa.c - the 智能问答 store: a database error while reading the base is an error, never a
 * part of the base (a cached index built from some of the rows, a list cut short). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "areas/qa.h"
#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

/* qa_entries replaced by a view whose second row fails while it is read (abs() of the least
 * integer overflows), or put back. */
static void break_second_row(struct db *db, int broken)
{
	if (broken) {
		assert_int_equal(db_exec(db, "ALTER TABLE qa_entries RENAME TO qa_entries_real"), 0);
		assert_int_equal(
			db_exec(db, "CREATE VIEW qa_entries AS SELECT id, code, region_code, question, "
				    "answer, CASE WHEN id = 2 THEN abs(-9223372036854775807 - 1) ELSE "
				    "phrasings END AS phrasings, published, created_at, updated_at, "
				    "updated_by FROM qa_entries_real"),
			0);
	} else {
		assert_int_equal(db_exec(db, "DROP VIEW qa_entries"), 0);
		assert_int_equal(db_exec(db, "ALTER TABLE qa_entries_real RENAME TO qa_entries"), 0);
	}
}

static int has_code(json_t *answers, const char *code)
{
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a) if (strcmp(json_string_value(json_object_get(a, "id")),
						     code) == 0) return 1;
	return 0;
}

static void test_read_error_is_an_error(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "qa"), 0);
	assert_int_equal(
		db_exec(s.db, "INSERT INTO qa_entries (id, code, region_code, question, answer, "
			      "phrasings, published, created_at, updated_at, updated_by) VALUES "
			      "(1, 'A1', '420199', '红烧肉怎么做', '先焯水。', '', 1, 1, 1, 'x'), "
			      "(2, 'A2', '420199', '优待证怎么申请', '到服务站申请。', '', 1, 1, 1, 'x')"),
		0);
	json_t *out = NULL;
	break_second_row(s.db, 1);
	assert_int_equal(qa_ask(s.db, "优待证怎么申请", 3, 1, &out), VE_DB);
	assert_null(out);
	assert_int_equal(qa_entry_list(s.db, NULL, &out), VE_DB);
	assert_null(out);
	break_second_row(s.db, 0);
	/* the same version of the base, read whole now: no part of it was kept */
	assert_int_equal(qa_ask(s.db, "优待证怎么申请", 3, 1, &out), 0);
	assert_true(has_code(json_object_get(out, "answers"), "A2"));
	json_decref(out);
	assert_int_equal(qa_entry_list(s.db, NULL, &out), 0);
	assert_int_equal(json_array_size(out), 2);
	json_decref(out);
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_error_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
