/* test_qa_index.c - lib/qa_index: normalisation, short and unspaced questions, the margin rule,
 * and the measured quality on the demo base: top-1 accuracy and off-topic fall-through on the
 * three tuning sets (tests/unit/qa_tuning.tsv; qa_heldout.tsv and qa_heldout2.tsv, the held-out
 * sets of rounds 1 and 2, tuned on in rounds 2 and 3) and on the held-out set of round 3
 * (tests/unit/qa_heldout3.tsv), whose figures are the ones to report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/sheet.h"
#include "lib/asset.h"
#include "lib/mem.h"
#include "lib/qa_index.h"

/* The demo base, from the copy compiled into the program. */
static struct qa_index *demo_base(void)
{
	const struct embedded_file *f = asset_find("data/qa/base.csv");
	assert_non_null(f);
	char *copy = xmalloc(f->len + 1);
	memcpy(copy, f->data, f->len + 1);
	FILE *fp = fmemopen(copy, f->len, "r");
	assert_non_null(fp);
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	char err[256];
	struct qa_index *ix = qa_index_new();
	int first = 1, rc;
	while ((rc = csv_next(r, &row, err, sizeof err)) > 0) {
		if (first) {
			first = 0;
			continue;
		}
		assert_true(row.n >= 4);
		qa_index_add(ix, row.cells[0], row.cells[1], row.cells[2], row.cells[3]);
	}
	assert_int_equal(rc, 0);
	csv_reader_free(r);
	fclose(fp);
	free(copy);
	qa_index_build(ix);
	return ix;
}

static const char *top1(const struct qa_index *ix, const char *q, double *score, int *fallback)
{
	struct qa_hit hits[5];
	size_t n = qa_index_ask(ix, q, hits, 5, fallback);
	*score = n ? hits[0].score : 0;
	return n ? qa_index_code(ix, hits[0].entry) : "-";
}

static void test_normalise(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", ""},
		{"ＡＢＣ１２３", "abc123"},
		{"请问退伍后怎么办理医疗保险？", "退役后 医保"},
		{"当兵、参军，入伍！", "入伍 入伍 入伍"},
		{"优待证丢了", "优待证遗失"},
		{"优待证掉了", "优待证遗失"},
		{"  \t\n", ""},
		{"\xff\xfe优抚", "优抚"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *got = qa_index_normalise(v[i].in);
		if (strcmp(got, v[i].want) != 0)
			fail_msg("normalise(%s) = '%s', want '%s'", v[i].in, got, v[i].want);
		free(got);
	}
}

static void test_small_base(void **state)
{
	struct qa_index *ix = qa_index_new();
	qa_index_add(ix, "A1", "退役后医保怎么接续？", "到医保局办理接续。",
		     "医疗保险转移；看病报销");
	qa_index_add(ix, "A2", "优抚对象每年体检", "每年一次。", "优抚体检;体检时间");
	qa_index_add(ix, "A3", "怎样申领优待证？", "到服务站。", NULL);
	qa_index_build(ix);
	assert_int_equal(qa_index_count(ix), 3);
	double s;
	int fb;
	/* two characters, one word, no spaces */
	assert_string_equal(top1(ix, "医保", &s, &fb), "A1");
	assert_false(fb);
	assert_string_equal(top1(ix, "优抚", &s, &fb), "A2");
	assert_false(fb);
	assert_string_equal(top1(ix, "退伍以后医疗保险怎么转", &s, &fb), "A1");
	assert_false(fb);
	assert_string_equal(top1(ix, "优待证", &s, &fb), "A3");
	/* phrasings after ";" count as well as after "；" */
	assert_string_equal(top1(ix, "体检时间", &s, &fb), "A2");
	/* nothing meaningful, nothing at all, off the base */
	struct qa_hit hits[3];
	assert_int_equal(qa_index_ask(ix, "怎么办理呢？", hits, 3, &fb), 0);
	assert_true(fb);
	assert_int_equal(qa_index_ask(ix, "", hits, 3, &fb), 0);
	assert_true(fb);
	top1(ix, "明天天气怎么样", &s, &fb);
	assert_true(fb);
	/* the margin rule: under the threshold, but one entry clearly ahead of the others */
	struct qa_index *mx = qa_index_new();
	qa_index_add(mx, "M1", "退役军人免费技能培训报名", "电工、厨师、汽车维修等专业。", NULL);
	qa_index_add(mx, "M2", "退役军人法律援助", "免费律师。", NULL);
	qa_index_add(mx, "M3", "优待证补领", "到服务站。", NULL);
	qa_index_add(mx, "M4", "烈士陵园开放时间", "每日开放。", NULL);
	qa_index_build(mx);
	assert_string_equal(top1(mx, "退伍兵想学厨师有免费培训吗", &s, &fb), "M1");
	assert_true(s >= QA_INDEX_MARGIN_FLOOR && s < QA_INDEX_THRESHOLD_DOMAIN);
	assert_false(fb);
	qa_index_free(mx);
	/* scores are ordered and within [0, 1] */
	size_t n = qa_index_ask(ix, "优抚对象医保体检", hits, 3, &fb);
	for (size_t i = 0; i < n; i++) {
		assert_true(hits[i].score > 0 && hits[i].score <= 1.0);
		if (i)
			assert_true(hits[i - 1].score >= hits[i].score);
	}
	qa_index_free(ix);
}

/* A phrasing that ends in the first byte of "；" was read past its end (found by fuzz_qa_query). */
static void test_phrasings_cut_separator(void **state)
{
	struct qa_index *ix = qa_index_new();
	qa_index_add(ix, "C1", "残疾评定", "答", "评残\xEF");
	qa_index_add(ix, "C2", "优待证", "答", "\xEF\xBC");
	qa_index_add(ix, "C3", "；;；", "", "；；;\n");
	qa_index_build(ix);
	double s;
	int fb;
	assert_string_equal(top1(ix, "评残", &s, &fb), "C1");
	qa_index_free(ix);
}

static FILE *open_eval(const char *name)
{
	const char *src = getenv("VETS_SOURCE_ROOT");
	char path[1024];
	if (src) {
		snprintf(path, sizeof path, "%s/tests/unit/%s", src, name);
		FILE *fp = fopen(path, "r");
		if (fp)
			return fp;
	}
	/* __FILE__ is the source path as the compiler saw it (relative to the build directory) */
	const char *dirs[] = {".", "..", "../..", "../../.."};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dirs[i], __FILE__);
		char *slash = strrchr(path, '/');
		if (!slash)
			continue;
		snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", name);
		FILE *fp = fopen(path, "r");
		if (fp)
			return fp;
		snprintf(path, sizeof path, "%s/tests/unit/%s", dirs[i], name);
		fp = fopen(path, "r");
		if (fp)
			return fp;
	}
	return NULL;
}

struct figures {
	int on, right, off, through;
};

/* Runs one evaluation file; prints every miss and the two figures. */
static struct figures evaluate(const struct qa_index *ix, const char *name, int quiet)
{
	FILE *fp = open_eval(name);
	if (!fp)
		fail_msg("cannot find tests/unit/%s (set VETS_SOURCE_ROOT)", name);
	struct figures f = {0};
	char line[1024];
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = '\0';
		const char *want = line, *q = tab + 1;
		double s;
		int fb;
		const char *got = top1(ix, q, &s, &fb);
		if (strcmp(want, "-") == 0) {
			f.off++;
			if (fb)
				f.through++;
			else if (!quiet)
				printf("  miss (off-topic answered): %s -> %s %.3f\n", q, got, s);
		} else {
			f.on++;
			if (!fb && strcmp(got, want) == 0)
				f.right++;
			else if (!quiet)
				printf("  miss: %s want %s, got %s %.3f%s\n", q, want, got, s,
				       fb ? " (fallback)" : "");
		}
	}
	fclose(fp);
	printf("%s: top-1 right %d/%d = %.1f%%, off-topic falling through %d/%d = %.1f%%\n", name,
	       f.right, f.on, 100.0 * f.right / f.on, f.through, f.off, 100.0 * f.through / f.off);
	return f;
}

/* The tuning data: figures and misses printed; floors a little under what round 3 reached
 * (97.7% / 93.3%, 98.2% / 100% and 97.1% / 98.0%) guard against getting worse. */
static void test_tuning_sets(void **state)
{
	struct qa_index *ix = demo_base();
	assert_true(qa_index_count(ix) >= 60);
	struct figures f = evaluate(ix, "qa_tuning.tsv", 0);
	assert_true(f.right * 100 >= f.on * 96);
	assert_true(f.through * 100 >= f.off * 90);
	/* round 1's held-out set: tuned on in round 2, so tuning data now */
	f = evaluate(ix, "qa_heldout.tsv", 0);
	assert_true(f.right * 100 >= f.on * 97);
	assert_true(f.through * 100 >= f.off * 97);
	/* round 2's held-out set: tuned on in round 3, so tuning data now */
	f = evaluate(ix, "qa_heldout2.tsv", 0);
	assert_true(f.right * 100 >= f.on * 96);
	assert_true(f.through * 100 >= f.off * 96);
	/* a question that names the bureau's matters but asks what the base does not cover falls
	 * through (tests/browser/qa.test.mjs leaves it for staff) */
	double s;
	int fb;
	top1(ix, "退役军人参加篮球联赛有补贴吗", &s, &fb);
	assert_true(fb);
	qa_index_free(ix);
}

/* The goal (94% right first, 85% of off-topic questions falling through) on questions the
 * matcher was not tuned on: tests/unit/qa_heldout3.tsv, written by someone who never saw the
 * matcher or the earlier sets, merged and run once after the matcher of round 3 was final. */
/* Measured once, the matcher unchanged after: 127/137 = 92.7% right, 45/50 = 90.0% through. The
 * goal is NOT met on right answers; the floors are a little under those figures. */
#define HELDOUT3_FLOOR_RIGHT 91
#define HELDOUT3_FLOOR_THROUGH 88
static void test_heldout3_goal(void **state)
{
	struct qa_index *ix = demo_base();
	struct figures f = evaluate(ix, "qa_heldout3.tsv", 0);
	assert_true(f.on >= 100 && f.off >= 40);
	int met = f.right * 100 >= f.on * 94 && f.through * 100 >= f.off * 85;
	printf("qa_heldout3.tsv: goal (94%% right, 85%% through) %s\n", met ? "met" : "NOT met");
	if (met) {
		assert_true(f.right * 100 >= f.on * 94);
		assert_true(f.through * 100 >= f.off * 85);
	} else {
		/* the goal is not met: the floors (a little under what was measured) guard against
		 * getting worse, and the figures above are the truth to report */
		assert_true(f.right * 100 >= f.on * HELDOUT3_FLOOR_RIGHT);
		assert_true(f.through * 100 >= f.off * HELDOUT3_FLOOR_THROUGH);
	}
	qa_index_free(ix);
}

/* A base of 1,000 entries answers well under a millisecond per question. */
static void test_speed(void **state)
{
	struct qa_index *ix = qa_index_new();
	static const char *const words[] = {"优待", "抚恤", "医保", "安置", "培训", "就业", "创业",
					    "体检", "住房", "入学", "档案", "报到", "补助", "评定",
					    "光荣", "烈士", "军休", "社保", "贷款", "信访"};
	char q[256], a[512], p[256];
	for (int i = 0; i < 1000; i++) {
		const char *w1 = words[i % 20], *w2 = words[(i / 20) % 20],
			   *w3 = words[(i / 7) % 20];
		snprintf(q, sizeof q, "第%d项%s和%s的%s问题怎么处理", i, w1, w2, w3);
		snprintf(a, sizeof a,
			 "关于%s和%s，请携带身份证到服务站咨询第%d号事项，办理时限为%d个工作日。",
			 w1, w3, i, i % 30 + 1);
		snprintf(p, sizeof p, "%s%s怎么办；%s%s去哪里；%s问题%d", w2, w1, w3, w2, w1, i);
		qa_index_add(ix, "X", q, a, p);
	}
	qa_index_build(ix);
	static const char *const asks[] = {"退伍后医保怎么转",   "优抚",
					   "创业贷款能贷多少",   "明天天气",
					   "优待证丢了怎么补办", "第500项安置和培训的问题"};
	/* the best of five batches: the machine's other work only ever adds time */
	double us = 1e9;
	for (int batch = 0; batch < 5; batch++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rounds = 400;
		for (int i = 0; i < rounds; i++) {
			struct qa_hit hits[5];
			int fb;
			qa_index_ask(ix, asks[i % 6], hits, 5, &fb);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double t = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
			    (double)(t1.tv_nsec - t0.tv_nsec)) /
			   1e3 / rounds;
		if (t < us)
			us = t;
	}
	printf("1,000 entries: %.1f µs per question\n", us);
	assert_true(us < 1000.0);
	qa_index_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_small_base),
		cmocka_unit_test(test_phrasings_cut_separator),
		cmocka_unit_test(test_tuning_sets),
		cmocka_unit_test(test_heldout3_goal),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
