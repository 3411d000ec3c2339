/* test_benefit.c - the benefit area's vocabularies: 残疾性质 and 残疾等级. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "areas/benefit.h"

static void test_natures(void **state)
{
	(void)state;
	static const struct {
		const char *nature;
		int valid;
	} cases[] = {
		{"因战", 1}, {"因公", 1},  {"因病", 1}, {"其他", 0},
		{"", 0},     {"因战 ", 0}, {NULL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (benefit_nature_valid(cases[i].nature) != cases[i].valid)
			fail_msg("%s: want %d", cases[i].nature ? cases[i].nature : "NULL",
				 cases[i].valid);
	for (size_t i = 0; i < BENEFIT_N_NATURES; i++)
		assert_true(benefit_nature_valid(benefit_natures[i]));
}

static void test_grade_titles(void **state)
{
	(void)state;
	static const struct {
		int64_t grade;
		const char *title;
	} cases[] = {
		{1, "一级"}, {2, "二级"}, {9, "九级"}, {10, "十级"}, {0, ""}, {11, ""}, {-1, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(benefit_grade_title(cases[i].grade), cases[i].title);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natures),
		cmocka_unit_test(test_grade_titles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
