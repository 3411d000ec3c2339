/* test_benefit.c - how the benefit areas report a bad field: a table of bad standards,
 * 义务兵 rules, batch generations and deaths, each with the field it names (the form's Chinese
 * label, which the page marks) and its message; errors about no one field come as a
 * plain message; without a field_errors the same error reads as one line "字段：…".
 * Nothing refused is stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/entitlement.h"
#include "areas/payment.h"
#include "areas/person.h"
#include "lib/err.h"
#include "lib/field_errors.h"

#include "fixture.h"

struct fixture {
	struct test_store store;
	struct principal cli, clerk;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "benefit"))
		return -1;
	account_cli_principal(&f->cli);
	f->clerk = f->cli;
	f->clerk.user_id = 101;
	snprintf(f->clerk.username, sizeof(f->clerk.username), "clerk1");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

static int64_t count_rows(struct fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(f->store.db, &n, 0, sql, ""), 0);
	return n;
}

/* A bad standard: the inputs, then the field ("" when the error names no one field)
 * and the message the user reads. */
struct standard_case {
	struct standard_text t;
	const char *field, *message;
};

/* 201 characters of note. */
static char long_note[201 * 3 + 1];

static const struct standard_case standard_cases[] = {
	{{"NOPE", "", "", "", "2026-08-01", "1200", "", ""}, "待遇", "没有名为“NOPE”的待遇"},
	{{"CONSCRIPT", "", "", "", "2026-08-01", "1200", "", ""},
	 "待遇",
	 "义务兵优待按规则表计算，请在义务兵优待规则中设置"},
	{{"LIVING", "外星人", "", "", "2026-08-01", "1200", "", ""},
	 "人员类别",
	 "没有“外星人”这一类别"},
	{{"DISABILITY", "", "11", "因战", "2026-08-01", "1200", "", ""},
	 "残疾等级",
	 "应为 1 至 10 级"},
	{{"DISABILITY", "", "三级", "因懒", "2026-08-01", "1200", "", ""},
	 "残疾性质",
	 "应为 因战、因公 或 因病"},
	{{"LIVING", "", "", "", "2026-08-02", "1200", "", ""},
	 "生效日期",
	 "应为某月 1 日，格式 YYYY-MM-DD，例如 2026-08-01"},
	{{"LIVING", "", "", "", "2026-13-01", "1200", "", ""},
	 "生效日期",
	 "应为某月 1 日，格式 YYYY-MM-DD，例如 2026-08-01"},
	{{"LIVING", "", "", "", "2026-08-01", "一千", "", ""},
	 "国家标准",
	 "应为不超过一百万元的金额（元/年，最多两位小数）"},
	{{"LIVING", "", "", "", "2026-08-01", "1000000.01", "", ""},
	 "国家标准",
	 "应为不超过一百万元的金额（元/年，最多两位小数）"},
	{{"LIVING", "", "", "", "2026-08-01", "1200", "-5", ""},
	 "地方增发",
	 "应为不超过一百万元的金额（元/年，最多两位小数）"},
	{{"LIVING", "", "", "", "2026-08-01", "1200", "", long_note}, "说明", "最多 200 字"},
	/* about no one field */
	{{"LIVING", "", "3", "", "2026-08-01", "1200", "", ""},
	 "",
	 "该待遇不分残疾等级和性质，请留空"},
	{{"LIVING", "", "", "", "2026-08-01", "0.11", "", ""},
	 "",
	 "标准金额过小：全年至少 0.12 元，按月分摊后每月才不为零"},
};

static void test_standard_field_errors(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(long_note) - 1; i += 3)
		memcpy(long_note + i, "字", 3);
	for (size_t i = 0; i < sizeof(standard_cases) / sizeof(standard_cases[0]); i++) {
		const struct standard_case *c = &standard_cases[i];
		struct field_errors fe = {0};
		char err[256] = "";
		int64_t id = 0;
		int rc = benefit_standard_propose(f->store.db, &f->clerk, &c->t, 0, &id, &fe, err,
						  sizeof(err));
		if (rc != VE_INVALID)
			fail_msg("case %zu: rc %d", i, rc);
		if (*c->field) {
			if (fe.n != 1 || strcmp(fe.items[0].field, c->field) != 0 ||
			    strcmp(fe.items[0].message, c->message) != 0 || *err)
				fail_msg("case %zu: %d errors, %s：%s (err \"%s\")", i, fe.n,
					 fe.n ? fe.items[0].field : "",
					 fe.n ? fe.items[0].message : "", err);
		} else if (fe.n != 0 || strcmp(err, c->message) != 0) {
			fail_msg("case %zu: %d field errors, err \"%s\"", i, fe.n, err);
		}
	}
	assert_int_equal(count_rows(f, "SELECT count(*) FROM benefit_standards"), 0);
}

/* Without a form (the command line, an import row) a field's error is one line. */
static void test_standard_field_error_as_line(void **state)
{
	struct fixture *f = *state;
	struct standard_text t = {"LIVING", "", "", "", "2026-08-02", "1200", "", ""};
	char err[256] = "";
	int64_t id;
	assert_int_equal(benefit_standard_propose(f->store.db, &f->clerk, &t, 0, &id, NULL, err,
						  sizeof(err)),
			 VE_INVALID);
	assert_string_equal(err, "生效日期：应为某月 1 日，格式 YYYY-MM-DD，例如 2026-08-01");
}

static void test_standard_good_has_no_errors(void **state)
{
	struct fixture *f = *state;
	struct standard_text t = {"DISABILITY", "", "三级", "因战", "2026-08-01", "12000.50",
				  "", "测试"};
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	assert_int_equal(
		benefit_standard_propose(f->store.db, &f->clerk, &t, 0, &id, &fe, err, sizeof(err)),
		0);
	assert_int_equal(fe.n, 0);
	assert_true(id > 0);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM benefit_standards"), 1);
}

static void test_rule_field_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		int year;
		const char *kind, *item;
		int64_t fen;
		const char *field, *message;
	} cases[] = {
		{1999, "基数", "基数", 100, "年度", "应为 2000 至 2100 年"},
		{2026, "补贴", "在校生", 100, "类型", "应为 基数、增发 或 奖励金"},
		{2026, "增发", "", 100, "项目", "请填写 1 至 20 字的项目名称"},
		{2026, "增发", "在校生", -1, "金额", "应在 0 至 100 万元之间"},
		{2026, "增发", "在校生", 100000001, "金额", "应在 0 至 100 万元之间"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct field_errors fe = {0};
		char err[256] = "";
		int rc = conscript_rule_set(f->store.db, &f->clerk, cases[i].year, cases[i].kind,
					    cases[i].item, cases[i].fen, 0, &fe, err, sizeof(err));
		if (rc != VE_INVALID || fe.n != 1 || strcmp(fe.items[0].field, cases[i].field) ||
		    strcmp(fe.items[0].message, cases[i].message))
			fail_msg("case %zu: rc %d, %d errors, %s：%s", i, rc, fe.n,
				 fe.n ? fe.items[0].field : "", fe.n ? fe.items[0].message : "");
	}
	assert_int_equal(count_rows(f, "SELECT count(*) FROM conscript_rules"), 0);
}

static void test_generate_field_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *period, *benefit, *field, *message;
	} cases[] = {
		{"2026-13", "LIVING", "期间", "应为 YYYY-MM 格式的月份，例如 2026-01"},
		{"", "LIVING", "期间", "应为 YYYY-MM 格式的月份，例如 2026-01"},
		{"2026-01", "NOPE", "待遇", "没有“NOPE”这种待遇"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct field_errors fe = {0};
		struct pay_result r;
		char err[256] = "";
		int rc = pay_generate(f->store.db, &f->clerk, cases[i].period, cases[i].benefit, &r,
				      &fe, err, sizeof(err));
		if (rc != VE_INVALID || fe.n != 1 || strcmp(fe.items[0].field, cases[i].field) ||
		    strcmp(fe.items[0].message, cases[i].message) || r.nothing_due)
			fail_msg("case %zu: rc %d, %d errors, %s：%s", i, rc, fe.n,
				 fe.n ? fe.items[0].field : "", fe.n ? fe.items[0].message : "");
	}
	assert_int_equal(count_rows(f, "SELECT count(*) FROM pay_batches"), 0);
}

/* Nothing due is a flag of the result, not something to find in the message. */
static void test_generate_nothing_due(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe = {0};
	struct pay_result r;
	char err[256] = "";
	assert_int_equal(pay_generate(f->store.db, &f->clerk, "2026-01", "LIVING", &r, &fe, err,
				      sizeof(err)),
			 VE_INVALID);
	assert_int_equal(fe.n, 0);
	assert_true(r.nothing_due);
	assert_string_equal(err, "2026-01 定期生活补助 没有应发放的待遇，未生成批次");
}

/* A death's cause names its field once (the person page used to read
 * "死亡原因：死亡原因：…"). */
static void test_death_field_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *date, *cause, *field, *message;
	} cases[] = {
		{"2026-10-20", "溺水", "死亡原因", "应为 因病、因战、因公 或 其他"},
		{"2099-01-01", "因病", "死亡日期", "应为不晚于今天的 YYYY-MM-DD 日期"},
		{"2026-02-30", "因病", "死亡日期", "应为不晚于今天的 YYYY-MM-DD 日期"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct field_errors fe = {0};
		char err[256] = "";
		int rc = entitlement_record_death(f->store.db, &f->clerk, 1, cases[i].date,
						  cases[i].cause, 0, &fe, err, sizeof(err));
		if (rc != VE_INVALID || fe.n != 1 || strcmp(fe.items[0].field, cases[i].field) ||
		    strcmp(fe.items[0].message, cases[i].message))
			fail_msg("case %zu: rc %d, %d errors, %s：%s (%s)", i, rc, fe.n,
				 fe.n ? fe.items[0].field : "", fe.n ? fe.items[0].message : "",
				 err);
	}
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1797292800", 1); /* 2026-12-15 08:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_standard_field_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standard_field_error_as_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standard_good_has_no_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_field_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generate_field_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generate_nothing_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_field_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
