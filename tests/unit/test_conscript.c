/* test_conscript.c - areas/conscript's pure rules: a row's own fields checked
 * (conscript_parse) and the award computed from a year's rules (conscript_compute),
 * each on a table of cases; and the rule items the command line accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/conscript.h"
#include "lib/err.h"

/* ---- conscript_parse ---- */

struct parse_case {
	const char *enlisted, *education, *college, *hardship, *merit, *family, *phone;
	const char *field; /* NULL: accepted; else the first field refused */
	const char *want_enlisted, *want_education;
};

static const struct parse_case parse_cases[] = {
	{"2026-03-10", "本科", "毕业生", "艰苦地区", "", "王父", "13812345678", NULL, "2026-03-10",
	 "本科"},
	{" 2026-03-10 ", " 大专 ", "", "", NULL, "王父", NULL, NULL, "2026-03-10", "大专"},
	{"2026-09-01", "高中", "新生", "进藏进疆", "三等功", "陈母", "027-88886666", NULL,
	 "2026-09-01", "高中及以下"},
	{"2026-09-01", "研究生", "在校生", NULL, NULL, "父", "88886666", NULL, "2026-09-01",
	 "研究生"},
	/* A spreadsheet's day number: 46274 is 2026-09-09, 36526 is 2000-01-01. */
	{"46274", "本科", NULL, NULL, NULL, "父", NULL, NULL, "2026-09-09", "本科"},
	{"36526", "本科", NULL, NULL, NULL, "父", NULL, NULL, "2000-01-01", "本科"},
	/* 入伍时间 */
	{"", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{NULL, "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{"2026-02-30", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{"2026/03/10", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{"2026-03", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{"1999-12-31", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	{"12", "本科", NULL, NULL, NULL, "父", NULL, "入伍时间", NULL, NULL},
	/* 学历, 大学生情况, 艰苦地区 */
	{"2026-03-10", "博士", NULL, NULL, NULL, "父", NULL, "学历", NULL, NULL},
	{"2026-03-10", "", NULL, NULL, NULL, "父", NULL, "学历", NULL, NULL},
	{"2026-03-10", "本科", "大学生", NULL, NULL, "父", NULL, "大学生情况", NULL, NULL},
	{"2026-03-10", "高中及以下", "毕业生", NULL, NULL, "父", NULL, "大学生情况", NULL, NULL},
	{"2026-03-10", "本科", NULL, "西藏", NULL, "父", NULL, "艰苦地区", NULL, NULL},
	/* 家属 */
	{"2026-03-10", "本科", NULL, NULL, NULL, "", NULL, "家属姓名", NULL, NULL},
	{"2026-03-10", "本科", NULL, NULL, NULL, "父", "12345", "家属联系电话", NULL, NULL},
	{"2026-03-10", "本科", NULL, NULL, NULL, "父", "1381234567a", "家属联系电话", NULL, NULL},
	{"2026-03-10", "本科", NULL, NULL, "功\x01", "父", NULL, "立功受奖", NULL, NULL},
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct conscript_text t = {.enlisted = c->enlisted,
					   .education = c->education,
					   .college = c->college,
					   .hardship = c->hardship,
					   .merit = c->merit,
					   .family_name = c->family,
					   .family_phone = c->phone,
					   .bank_name = "中国银行",
					   .bank_account = "6217000011112222333"};
		struct conscript_facts f;
		struct field_errors e = {0};
		int rc = conscript_parse(&t, &f, &e);
		if (!c->field) {
			if (rc != 0)
				fail_msg("case %zu: refused: %s：%s", i, e.items[0].field,
					 e.items[0].message);
			assert_string_equal(f.enlisted, c->want_enlisted);
			assert_string_equal(f.education, c->want_education);
			continue;
		}
		if (rc != VE_INVALID || e.n < 1)
			fail_msg("case %zu: accepted, want %s refused", i, c->field);
		if (strcmp(e.items[0].field, c->field) != 0)
			fail_msg("case %zu: refused %s (%s), want %s", i, e.items[0].field,
				 e.items[0].message, c->field);
	}
}

static void test_parse_needs_account(void **state)
{
	(void)state;
	struct conscript_text t = {
		.enlisted = "2026-03-10", .education = "本科", .family_name = "父"};
	struct conscript_facts f;
	struct field_errors e = {0};
	assert_int_equal(conscript_parse(&t, &f, &e), VE_INVALID);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.items[0].field, "开户行");
	assert_string_equal(e.items[1].field, "银行账号");
}

/* ---- conscript_compute ---- */

static void add_rule(struct conscript_rules *r, const char *kind, const char *item, int64_t fen)
{
	snprintf(r->items[r->n].kind, sizeof(r->items[0].kind), "%s", kind);
	snprintf(r->items[r->n].item, sizeof(r->items[0].item), "%s", item);
	r->items[r->n++].amount_fen = fen;
}

static void rules_2026(struct conscript_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->year = 2026;
	r->approved = 1;
	add_rule(r, "基数", "基数", 2800000);
	add_rule(r, "增发", "毕业生", 500000);
	add_rule(r, "增发", "在校生", 400000);
	add_rule(r, "增发", "艰苦地区", 200000);
	add_rule(r, "增发", "进藏进疆", 300050);
	add_rule(r, "增发", "立功", 0);
	add_rule(r, "奖励金", "本科", 800000);
	add_rule(r, "奖励金", "高中", 300000); /* the older name of 高中及以下 */
	add_rule(r, "奖励金", "大专", 0);
}

struct compute_case {
	const char *education, *college, *hardship, *merit;
	int month;
	const char *field; /* NULL: accepted */
	int64_t allowance, bonus;
	const char *allowance_text, *bonus_text, *start, *end;
};

static const struct compute_case compute_cases[] = {
	{"本科", "毕业生", "艰苦地区", "", 3, NULL, 3500000, 800000,
	 "基数 28,000.00 + 毕业生 5,000.00 + 艰苦地区 2,000.00 = 35,000.00 元/年（2026年标准）",
	 "学历 本科：8,000.00 元（2026年标准）", "2026-03", "2028-02"},
	{"本科", "", "", "", 9, NULL, 2800000, 800000,
	 "基数 28,000.00 = 28,000.00 元/年（2026年标准）", "学历 本科：8,000.00 元（2026年标准）",
	 "2026-09", "2028-08"},
	{"高中及以下", "", "进藏进疆", "三等功", 12, NULL, 3100050, 300000,
	 "基数 28,000.00 + 进藏进疆 3,000.50 + 立功 0.00 = 31,000.50 元/年（2026年标准）",
	 "学历 高中及以下：3,000.00 元（2026年标准）", "2026-12", "2028-11"},
	/* A bonus of 0: nothing to grant, no error. */
	{"大专", "在校生", "", "", 1, NULL, 3200000, 0,
	 "基数 28,000.00 + 在校生 4,000.00 = 32,000.00 元/年（2026年标准）",
	 "学历 大专：0.00 元（2026年标准）", "2026-01", "2027-12"},
	/* Missing rules. */
	{"研究生", "", "", "", 3, "优待规则", 0, 0, NULL, NULL, NULL, NULL},
	{"本科", "新生", "", "", 3, "优待规则", 0, 0, NULL, NULL, NULL, NULL},
};

static void test_compute_table(void **state)
{
	(void)state;
	struct conscript_rules r;
	rules_2026(&r);
	for (size_t i = 0; i < sizeof(compute_cases) / sizeof(compute_cases[0]); i++) {
		const struct compute_case *c = &compute_cases[i];
		struct conscript_facts f = {.year = 2026, .month = c->month};
		snprintf(f.education, sizeof(f.education), "%s", c->education);
		snprintf(f.college, sizeof(f.college), "%s", c->college);
		snprintf(f.hardship, sizeof(f.hardship), "%s", c->hardship);
		snprintf(f.merit, sizeof(f.merit), "%s", c->merit);
		struct conscript_award a;
		struct field_errors e = {0};
		int rc = conscript_compute(&r, &f, &a, &e);
		if (c->field) {
			if (rc != VE_INVALID || e.n != 1)
				fail_msg("case %zu: rc %d, %d errors", i, rc, e.n);
			assert_string_equal(e.items[0].field, c->field);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, e.items[0].message);
		assert_int_equal(a.allowance_fen, c->allowance);
		assert_int_equal(a.bonus_fen, c->bonus);
		assert_string_equal(a.allowance_text, c->allowance_text);
		assert_string_equal(a.bonus_text, c->bonus_text);
		assert_string_equal(a.start_month, c->start);
		assert_string_equal(a.end_month, c->end);
	}
}

static void test_compute_no_rules(void **state)
{
	(void)state;
	struct conscript_rules r = {.year = 2024};
	struct conscript_facts f = {.year = 2024, .month = 9, .education = "本科"};
	struct conscript_award a;
	struct field_errors e = {0};
	assert_int_equal(conscript_compute(&r, &f, &a, &e), VE_INVALID);
	assert_int_equal(e.n, 1); /* one reason, not one per missing rule */
	assert_non_null(strstr(e.items[0].message, "2024 年还没有设置义务兵优待规则"));
}

static void test_rule_items(void **state)
{
	(void)state;
	char err[200];
	assert_int_equal(conscript_rule_item_check("基数", NULL, err, sizeof(err)), 0);
	assert_int_equal(conscript_rule_item_check("基数", "基数", err, sizeof(err)), 0);
	assert_int_equal(conscript_rule_item_check("基数", "本科", err, sizeof(err)), VE_INVALID);
	assert_int_equal(conscript_rule_item_check("增发", "立功", err, sizeof(err)), 0);
	assert_int_equal(conscript_rule_item_check("增发", "本科", err, sizeof(err)), VE_INVALID);
	assert_int_equal(conscript_rule_item_check("奖励金", "高中及以下", err, sizeof(err)), 0);
	assert_int_equal(conscript_rule_item_check("奖励金", "博士", err, sizeof(err)), VE_INVALID);
	assert_int_equal(conscript_rule_item_check("奖金", "本科", err, sizeof(err)), VE_INVALID);
	assert_non_null(strstr(err, "基数、增发 或 奖励金"));
}

/* The items a form offers are exactly those the check accepts, each under its kind and
 * under no other. */
static void test_rule_item_vocabulary(void **state)
{
	(void)state;
	char err[200];
	const char *item, *kind;
	size_t n = 0;
	for (; (item = conscript_rule_item(n, &kind)); n++)
		for (size_t k = 0; k < CONSCRIPT_N_RULE_KINDS; k++) {
			int same = strcmp(kind, conscript_rule_kinds[k]) == 0;
			int rc = conscript_rule_item_check(conscript_rule_kinds[k], item, err,
							   sizeof(err));
			if (same ? rc != 0 : rc != VE_INVALID)
				fail_msg("%s under %s: %d", item, conscript_rule_kinds[k], rc);
		}
	assert_int_equal(n, 11);
	assert_string_equal(conscript_rule_item(0, NULL), "基数");
	assert_string_equal(conscript_rule_item(6, &kind), "立功");
	assert_string_equal(kind, "增发");
	assert_string_equal(conscript_rule_item(10, &kind), "研究生");
	assert_string_equal(kind, "奖励金");
	assert_null(conscript_rule_item(11, &kind));
	assert_string_equal(conscript_rule_kind_notes[2], "学历");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),   cmocka_unit_test(test_parse_needs_account),
		cmocka_unit_test(test_compute_table), cmocka_unit_test(test_compute_no_rules),
		cmocka_unit_test(test_rule_items),    cmocka_unit_test(test_rule_item_vocabulary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
