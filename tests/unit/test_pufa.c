/* test_pufa.c - areas/pufa and areas/shuangyong below the web: the exam row's rules (参考 only
 * when 应考, a score only when 参考 and within 0-100, the same member and year corrected, not
 * added), the excellent mark read when the figures are counted, counts that may not be
 * negative, and which links a 双拥 report may carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "areas/account.h"
#include "areas/figure.h"
#include "areas/pufa.h"
#include "areas/shuangyong.h"
#include "db/db.h"
#include "fixture.h"
#include "lib/err.h"

static struct test_store store;
static struct principal cli;

static int setup(void **state)
{
	(void)state;
	account_cli_principal(&cli);
	return test_district_open(&store, "pufa");
}

static int teardown(void **state)
{
	(void)state;
	return test_store_close(&store);
}

static int64_t figure(const struct figure_set *set, int year, const char *key)
{
	json_t *o = NULL;
	assert_int_equal(figure_stats(store.db, &cli, set, year, &o), 0);
	int64_t v = json_integer_value(json_object_get(o, key));
	json_decref(o);
	return v;
}

static int exam(const char *name, int should, int took, const char *score, struct field_errors *fe,
		int64_t *id)
{
	char err[256];
	struct pufa_in in = {.year = "2025",
			     .staff_name = name,
			     .org_name = "优抚科",
			     .should = should,
			     .took = took,
			     .score = score};
	field_errors_clear(fe);
	return pufa_save(store.db, &cli, PUFA_EXAM, &in, 0, id, fe, err, sizeof(err));
}

static void test_exam_rules(void **state)
{
	(void)state;
	struct field_errors fe;
	int64_t id, again;
	assert_int_equal(exam("张干事", 0, 1, "95", &fe, &id), VE_INVALID);
	assert_true(field_errors_has(&fe, "参考"));
	assert_int_equal(exam("张干事", 1, 1, "101", &fe, &id), VE_INVALID);
	assert_true(field_errors_has(&fe, "成绩"));
	assert_int_equal(exam("张干事", 1, 0, "80", &fe, &id), VE_INVALID);
	assert_true(field_errors_has(&fe, "成绩"));
	assert_int_equal(exam("张干事", 1, 1, "", &fe, &id), VE_INVALID);
	assert_true(field_errors_has(&fe, "成绩"));
	assert_int_equal(figure(&pufa_figures, 2025, "exam_should"), 0);

	assert_int_equal(exam("张干事", 1, 1, "92", &fe, &id), 0);
	assert_int_equal(exam("李干事", 1, 0, "", &fe, &again), 0);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_should"), 2);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_took"), 1);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_excellent"), 1);
	/* The same member and year again: his row corrected, not a second one. */
	assert_int_equal(exam("张干事", 1, 1, "85", &fe, &again), 0);
	assert_int_equal(again, id);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_should"), 2);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_excellent"), 0);
}

static void test_mark(void **state)
{
	(void)state;
	struct field_errors fe = {0};
	char err[256];
	int mark, own;
	int64_t id;
	assert_int_equal(pufa_excellent_mark(store.db, 2025, &mark, &own), 0);
	assert_int_equal(mark, PUFA_EXCELLENT_DEFAULT);
	assert_int_equal(own, 0);
	assert_int_equal(
		pufa_set_excellent_mark(store.db, &cli, "2025", "0", &fe, err, sizeof(err)),
		VE_INVALID);
	assert_true(field_errors_has(&fe, "优秀分数线"));
	field_errors_clear(&fe);
	assert_int_equal(
		pufa_set_excellent_mark(store.db, &cli, "1949", "85", &fe, err, sizeof(err)),
		VE_INVALID);
	assert_true(field_errors_has(&fe, "年度"));
	field_errors_clear(&fe);
	/* 张干事 scored 85 in 2025 and in 2024. */
	struct pufa_in in = {.year = "2024",
			     .staff_name = "张干事",
			     .org_name = "优抚科",
			     .should = 1,
			     .took = 1,
			     .score = "85"};
	assert_int_equal(pufa_save(store.db, &cli, PUFA_EXAM, &in, 0, &id, &fe, err, sizeof(err)),
			 0);
	assert_int_equal(figure(&pufa_figures, 2024, "exam_excellent"), 0);
	assert_int_equal(
		pufa_set_excellent_mark(store.db, &cli, "2025", "85", &fe, err, sizeof(err)), 0);
	assert_int_equal(pufa_excellent_mark(store.db, 2025, &mark, &own), 0);
	assert_int_equal(mark, 85);
	assert_int_equal(own, 1);
	/* 2025's 85 is excellent now; 2024 keeps the default mark, its 85 is not. */
	assert_int_equal(figure(&pufa_figures, 2025, "exam_excellent"), 1);
	assert_int_equal(figure(&pufa_figures, 2024, "exam_excellent"), 0);
	assert_int_equal(pufa_excellent_mark(store.db, 2024, &mark, &own), 0);
	assert_int_equal(mark, PUFA_EXCELLENT_DEFAULT);
	assert_int_equal(own, 0);
	assert_int_equal(
		pufa_set_excellent_mark(store.db, &cli, "2025", "90", &fe, err, sizeof(err)), 0);
	assert_int_equal(figure(&pufa_figures, 2025, "exam_excellent"), 0);
	assert_int_equal(pufa_delete(store.db, &cli, PUFA_EXAM, id, err, sizeof(err)), 0);
}

static void test_counts(void **state)
{
	(void)state;
	struct field_errors fe = {0};
	char err[256];
	int64_t id;
	struct pufa_in in = {
		.on = "2025-12-04", .title = "宪法读本", .count = "-1", .who = "东湖街道"};
	assert_int_equal(
		pufa_save(store.db, &cli, PUFA_BROCHURE, &in, 0, &id, &fe, err, sizeof(err)),
		VE_INVALID);
	assert_true(field_errors_has(&fe, "份数"));
	in.count = "1200";
	field_errors_clear(&fe);
	assert_int_equal(
		pufa_save(store.db, &cli, PUFA_BROCHURE, &in, 0, &id, &fe, err, sizeof(err)), 0);
	in.on = "2025-12-05";
	in.count = "300";
	assert_int_equal(
		pufa_save(store.db, &cli, PUFA_BROCHURE, &in, 0, &id, &fe, err, sizeof(err)), 0);
	assert_int_equal(figure(&pufa_figures, 2025, "brochures"), 1500);
	assert_int_equal(figure(&pufa_figures, 2024, "brochures"), 0);
}

static void test_links(void **state)
{
	(void)state;
	assert_true(shuangyong_link_ok("https://news.example.cn/a?b=1"));
	assert_true(shuangyong_link_ok("HTTP://x.cn"));
	assert_false(shuangyong_link_ok("javascript:alert(1)"));
	assert_false(shuangyong_link_ok("ftp://x.cn/a"));
	assert_false(shuangyong_link_ok("https://"));
	assert_false(shuangyong_link_ok("http:///path"));
	assert_false(shuangyong_link_ok("https://x.cn/a b"));
	assert_false(shuangyong_link_ok("https://x.cn/\x01"));
	char longer[600];
	memset(longer, 'a', sizeof(longer));
	memcpy(longer, "https://", 8);
	longer[501] = 0;
	assert_false(shuangyong_link_ok(longer));
	longer[500] = 0;
	assert_true(shuangyong_link_ok(longer));
	/* The limit counts characters, as its error says: 492 Chinese characters after
	 * "https://x.cn/" make 505 characters (refused) though 1489 bytes; 480 make 493 (kept). */
	char cn[2000] = "https://x.cn/";
	for (int i = 0; i < 480; i++)
		strcat(cn, "新");
	assert_true(shuangyong_link_ok(cn));
	for (int i = 0; i < 12; i++)
		strcat(cn, "闻");
	assert_false(shuangyong_link_ok(cn));
	assert_false(shuangyong_link_ok("https://x.cn/\xe6\x96"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exam_rules),
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_links),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
