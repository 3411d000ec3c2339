/* test_employment_uscc.c - lib/uscc (the 统一社会信用代码 of GB 32100-2015) and the
 * employment area's matching rule, both pure: a table of codes and verdicts, tidying as
 * people type, a property run over pseudo-random bodies, and how a position's score is
 * made and explained. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/employment.h"
#include "lib/uscc.h"

/* Published codes of real enterprises; their check characters were confirmed apart from
 * lib/uscc by a few lines of Python applying the weights 3^i mod 31. */
static const char *const valid[] = {
	"914403001922038216",
	"91110000802100433B",
	"91310000MA1FL1MMXL",
	"91330100799655058B",
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		assert_int_equal(uscc_check(valid[i]), USCC_OK);
		assert_int_equal(uscc_check_char(valid[i]), valid[i][17]);
	}
	assert_int_equal(uscc_check(""), USCC_EMPTY);
	assert_int_equal(uscc_check("91440300192203821"), USCC_LENGTH);
	assert_int_equal(uscc_check("9144030019220382160"), USCC_LENGTH);
	assert_int_equal(uscc_check("914403001922038215"), USCC_CHECK);
	assert_int_equal(uscc_check("914403001922038226"), USCC_CHECK); /* one digit changed */
	assert_int_equal(uscc_check("91440300192203821I"),
			 USCC_CHARACTER); /* I, O, S, V, Z are not used */
	assert_int_equal(uscc_check("9144030019220382O6"), USCC_CHARACTER);
	assert_int_equal(uscc_check("91A40300192203821Z"), USCC_CHARACTER);
	assert_int_equal(uscc_check("91A403001922038216"), USCC_REGION);
	assert_int_equal(uscc_check("91310000ma1fl1mmxl"),
			 USCC_CHARACTER); /* lower case before tidying */
	char msg[200];
	uscc_fault_text(USCC_CHECK, "914403001922038215", msg, sizeof(msg));
	assert_string_equal(msg, "统一社会信用代码校验位不符（按前 17 位应为 6）");
	uscc_fault_text(USCC_LENGTH, "", msg, sizeof(msg));
	assert_string_equal(msg, "统一社会信用代码应为 18 位");
}

static void test_tidy(void **state)
{
	(void)state;
	char s[64];
	snprintf(s, sizeof(s), " 9131 0000-ma1f l1mm xl ");
	assert_int_equal(uscc_tidy(s), 18);
	assert_string_equal(s, "91310000MA1FL1MMXL");
	assert_int_equal(uscc_check(s), USCC_OK);
	/* full-width digits and letters and the ideographic space, as an IME types them */
	snprintf(s, sizeof(s), "９１１１００００８０２１００４３３Ｂ　");
	uscc_tidy(s);
	assert_string_equal(s, "91110000802100433B");
	snprintf(s, sizeof(s), "中文");
	uscc_tidy(s);
	assert_string_equal(s, "中文");
	assert_int_equal(uscc_check(s), USCC_LENGTH);
}

/* Every body gets exactly one check character: the computed one passes, the 30 others fail. */
static void test_property(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	uint64_t x = 88172645463325252u;
	for (int round = 0; round < 2000; round++) {
		char code[19];
		for (int i = 0; i < 17; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			code[i] = i >= 2 && i < 8 ? (char)('0' + x % 10) : alphabet[x % 31];
		}
		code[17] = uscc_check_char(code);
		code[18] = '\0';
		assert_int_equal(uscc_check(code), USCC_OK);
		int failing = 0;
		for (int k = 0; k < 31; k++) {
			code[17] = alphabet[k];
			failing += uscc_check(code) == USCC_CHECK;
		}
		assert_int_equal(failing, 30);
	}
}

static void test_match_score(void **state)
{
	(void)state;
	char why[512];
	/* 意向 in the title 3, a skill in the requirements 2, the same street 1 */
	assert_int_equal(employment_match_score("保安、驾驶员", "电工", "保安员", "持低压电工证",
						"某公司", 1, why, sizeof(why)),
			 6);
	assert_string_equal(why,
			    "意向“保安”见于岗位名称；技能“电工”符合岗位；企业与本人同在一个街道");
	/* 意向 found only in the requirements or the enterprise's name: 1 */
	assert_int_equal(employment_match_score("物流", "", "仓储管理员", "", "江城物流有限公司", 0,
						why, sizeof(why)),
			 1);
	/* nothing in common: 0, whatever the street */
	assert_int_equal(employment_match_score("厨师", "炊事", "电工", "持证", "某公司", 1, why,
						sizeof(why)),
			 0);
	assert_string_equal(why, "");
	/* separators of every kind, items counted once each */
	assert_int_equal(employment_match_score("保安 ,驾驶员；；厨师", "", "保安、驾驶员、厨师",
						"", "", 0, NULL, 0),
			 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_tidy),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_match_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
