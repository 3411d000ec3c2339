/* test_petition.c - 信访's pure rules: real dates, calendar-day deadlines across a month,
 * a leap day and a year's end, the sources and the figures' names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "areas/petition.h"

static void test_dates(void **state)
{
	(void)state;
	assert_true(petition_date_valid("2024-02-29"));
	assert_false(petition_date_valid("2025-02-29"));
	assert_false(petition_date_valid("2025-13-01"));
	assert_false(petition_date_valid("2025-1-01"));
	assert_false(petition_date_valid(""));
	assert_false(petition_date_valid(NULL));
}

static void test_calendar_days(void **state)
{
	(void)state;
	char out[11];
	/* 受理 15 days after receipt; 办结 60 (+ extension) after acceptance */
	assert_int_equal(petition_day_add("2025-04-01", 15, out), 0);
	assert_string_equal(out, "2025-04-16");
	assert_int_equal(petition_day_add("2025-04-16", 60, out), 0);
	assert_string_equal(out, "2025-06-15");
	assert_int_equal(petition_day_add("2025-05-06", 90, out), 0);
	assert_string_equal(out, "2025-08-04");
	assert_int_equal(petition_day_add("2025-12-31", 60, out), 0); /* across the year's end */
	assert_string_equal(out, "2026-03-01");
	assert_int_equal(petition_day_add("2024-01-31", 30, out), 0); /* across a leap day */
	assert_string_equal(out, "2024-03-01");
	assert_int_equal(petition_day_add("2026-01-10", -30, out), 0);
	assert_string_equal(out, "2025-12-11");
	assert_int_equal(petition_day_add("2025-02-30", 1, out), -1);
}

static void test_vocabularies(void **state)
{
	(void)state;
	for (int i = 0; i < PETITION_N_SOURCES; i++)
		assert_true(petition_source_valid(petition_sources[i]));
	assert_false(petition_source_valid("传真"));
	assert_false(petition_source_valid(NULL));
	assert_int_equal(petition_figure_index("received"), 0);
	assert_int_equal(petition_figure_index("replied"), PETITION_N_FIGURES - 1);
	assert_int_equal(petition_figure_index("nothing"), -1);
	assert_string_equal(petition_figure_title("closed_on_time"), "按期办结");
	assert_true(strlen(petition_figure_definition("due")) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_calendar_days),
		cmocka_unit_test(test_vocabularies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
