/* test_recovery.c - areas/recovery: the pure rules of an amount recovered (yuan text to 分,
 * never 0, never more than remains due) and of its method, as tables. The store-level work
 * (cases, scope, audit) is covered by tests/http/recovery.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/recovery.h"

#define NO -1 /* refused */

struct amount_case {
	const char *in;
	int64_t remaining; /* 分 still due */
	int64_t fen;       /* NO when refused */
	const char *says;  /* part of the message on 金额 when refused */
};

static const struct amount_case amount_cases[] = {
	/* Accepted: whole yuan, decimals, grouping commas, exactly what remains. */
	{"1", 246912, 100, NULL},
	{"1000", 246912, 100000, NULL},
	{"1,000.5", 246912, 100050, NULL},
	{"2469.12", 246912, 246912, NULL},
	{" 0.01 ", 1, 1, NULL},
	/* Not an amount: a third decimal, a sign, letters, nothing, zero. */
	{"12.345", 246912, NO, "最多两位小数"},
	{"-1", 246912, NO, "大于 0"},
	{"abc", 246912, NO, "元数"},
	{"0", 246912, NO, "大于 0"},
	{"0.00", 246912, NO, "大于 0"},
	{"", 246912, NO, "请填写追回金额"},
	{NULL, 246912, NO, "请填写追回金额"},
	/* More than remains: by one 分, or anything when nothing remains (even after a
	 * corrected end made the remainder negative). */
	{"2469.13", 246912, NO, "超过尚未追回的金额（2,469.12 元）"},
	{"0.01", 0, NO, "超过尚未追回的金额（0.00 元）"},
	{"1", -5000, NO, "超过尚未追回的金额（0.00 元）"},
};

static void test_amounts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(amount_cases) / sizeof(amount_cases[0]); i++) {
		const struct amount_case *c = &amount_cases[i];
		struct field_errors fe = {0};
		int64_t fen = 12345;
		int bad = recovery_check_amount(c->in, c->remaining, &fen, &fe);
		if (c->fen == NO) {
			if (!bad || fe.n != 1 || strcmp(fe.items[0].field, "金额") != 0 ||
			    !strstr(fe.items[0].message, c->says))
				fail_msg("case %zu (%s): refused on 金额 with \"%s\", got %d: %s", i,
					 c->in ? c->in : "NULL", c->says, bad,
					 fe.n ? fe.items[0].message : "");
		} else {
			if (bad || fe.n || fen != c->fen)
				fail_msg("case %zu (%s): %lld, got %d %lld", i, c->in,
					 (long long)c->fen, bad, (long long)fen);
		}
	}
}

static void test_methods(void **state)
{
	(void)state;
	for (int i = 0; i < RECOVERY_N_METHODS; i++)
		assert_true(recovery_method_valid(recovery_methods[i]));
	static const char *const bad[] = {"", "支付宝", "现金 ", "银行", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(recovery_method_valid(bad[i]));
}

static void test_filter_titles(void **state)
{
	(void)state;
	assert_string_equal(recovery_filter_title("open"), "待办");
	assert_string_equal(recovery_filter_title("closed"), "已结案");
	assert_string_equal(recovery_filter_title("all"), "全部");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_filter_titles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
