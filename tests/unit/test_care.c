/* test_care.c - areas/care: the day the next regular contact is due (the last day of the month
 * `months` after the last contact's month), the same in C (the pages) and in SQL (the job and
 * the figure overdue_contacts), across month ends, leap years and the year's turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "areas/care.h"
#include "db/db.h"
#include "fixture.h"

static const struct {
	const char *day;
	int months;
	const char *due;
} cases[] = {
	{"2026-01-15", 3, "2026-04-30"}, {"2026-01-31", 1, "2026-02-28"},
	{"2024-01-31", 1, "2024-02-29"}, {"2025-11-20", 3, "2026-02-28"},
	{"2025-12-31", 12, "2026-12-31"}, {"2023-07-01", 6, "2024-01-31"},
	{"2023-12-01", 1, "2024-01-31"}, {"2026-03-31", 1, "2026-04-30"},
};

static void test_due_in_c(void **state)
{
	(void)state;
	char out[11];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(care_due_after(cases[i].day, cases[i].months, out), 0);
		assert_string_equal(out, cases[i].due);
	}
	assert_int_equal(care_due_after("2026-02-30", 1, out), -1);
	assert_int_equal(care_due_after("", 1, out), -1);
	assert_string_equal(care_frequency_title(3), "每季度");
	assert_string_equal(care_frequency_title(2), "");
}

static void test_due_in_sql(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_store_open_empty(&s, "care"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct db_stmt *st = db_q(s.db,
					  "SELECT day_add(month_add(substr(?, 1, 7), ? + 1) || '-01', -1)",
					  "si", cases[i].day, (int64_t)cases[i].months);
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_text(st, 0), cases[i].due);
		db_done(st);
	}
	test_store_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_in_c),
		cmocka_unit_test(test_due_in_sql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
