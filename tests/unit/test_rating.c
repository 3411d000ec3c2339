/* test_rating.c - areas/rating: the vocabulary of the five levels (which are 差评), the
 * figures' names and titles, and the statistics' period (year bounds, as-of as typed or the
 * earlier of Dec 31 and today), as tables. The store-level work is covered by
 * tests/http/ratings.test.mjs and counter_stats.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/rating.h"
#include "lib/clock.h"
#include "lib/err.h"

static void test_levels(void **state)
{
	(void)state;
	static const struct {
		const char *level;
		int index, bad;
	} cases[] = {
		{"非常满意", 0, 0},   {"满意", 1, 0},   {"基本满意", 2, 0}, {"不满意", 3, 1},
		{"非常不满意", 4, 1}, {"满意 ", -1, 0}, {"", -1, 0},        {NULL, -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(rating_level_index(cases[i].level), cases[i].index);
		assert_int_equal(rating_level_is_bad(cases[i].level), cases[i].bad);
	}
}

static void test_figures(void **state)
{
	(void)state;
	for (int i = 0; i < RATING_N_FIGURES; i++)
		assert_non_null(rating_figure_title(rating_figures[i]));
	assert_string_equal(rating_figure_title("level_4"), "评价：非常不满意");
	assert_null(rating_figure_title("level_5"));
	assert_null(rating_figure_title(NULL));
}

static void test_period(void **state)
{
	(void)state;
	char a[11], err[128];
	assert_int_equal(rating_stats_period(2025, NULL, a, err, sizeof(err)), 0);
	assert_string_equal(a, strcmp(clock_today_text(), "2025-12-31") < 0 ? clock_today_text()
									    : "2025-12-31");
	assert_int_equal(rating_stats_period(2100, "", a, err, sizeof(err)), 0);
	assert_string_equal(a, clock_today_text());
	assert_int_equal(rating_stats_period(2025, "2025-06-30", a, err, sizeof(err)), 0);
	assert_string_equal(a, "2025-06-30");
	assert_int_equal(rating_stats_period(2025, "2025-02-30", a, err, sizeof(err)), VE_INVALID);
	assert_non_null(strstr(err, "截止日期"));
	assert_int_equal(rating_stats_period(1949, NULL, a, err, sizeof(err)), VE_INVALID);
	assert_non_null(strstr(err, "年份"));
}

static void test_filters(void **state)
{
	(void)state;
	assert_string_equal(rating_filter_title("late"), "逾期未回访整改");
	assert_string_equal(rating_filter_title("nonsense"), rating_filter_title("open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
