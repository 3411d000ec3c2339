/* demo_benefits.c - the demo district's benefits and three years of paid batches.
 *
 * The figures are made up (every standard and rule is marked as demo data), shaped
 * like real ones: 残疾抚恤金 by grade and nature, 定期抚恤金 for 三属, 定期生活补助,
 * a national raise every 8月1日 with a 10% local supplement. The 2025 raise is
 * approved only in October 2025, so that October's batch pays the August and
 * September differences as back pay, as happens in real years.
 *
 * 2023 is the seed report's year, and its paid lines are the report's: 11,047 人次 of
 * 优抚, 1,315 of 义务兵家庭优待金, 304 入伍奖励金. The bureau's rolls moved onto the
 * system through 2023, so each entitlement starts in its own month; the last ones
 * confirmed take the start months that make the year's lines come to the report's count.
 * The conscripts of 2022 (1,011) and 2023 (304) are imported and paid from their month of
 * enlistment: 2023 pays the 2022 intake's second year and the 2023 intake's first. */
#include "demo_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/benefit.h"
#include "areas/conscript.h"
#include "areas/entitlement.h"
#include "areas/payment.h"
#include "areas/person_import.h"
#include "lib/err.h"
#include "lib/money.h"

/* Raises: the dates standards change, the first being the level at the start. */
static const char *const raise_dates[] = {"2023-01-01", "2023-08-01", "2024-08-01", "2025-08-01",
					  "2026-08-01"};
#define N_RAISES 5
#define RAISE_LATE 3 /* 2025-08-01: approved in October 2025 */

/* Yearly national amounts in 元 at the start of 2023. */
static const struct {
	const char *benefit, *category;
	int yuan;
} flat[] = {
	{"SURVIVOR", "烈士遗属", 32000},       {"SURVIVOR", "因公牺牲军人遗属", 30000},
	{"SURVIVOR", "病故军人遗属", 28000},   {"LIVING", "在乡复员军人", 24000},
	{"LIVING", "带病回乡退役军人", 14000}, {"LIVING", "参战退役军人", 9000},
	{"LIVING", "参试退役军人", 9000},      {"LIVING", "年满60周岁农村籍退役士兵", 6000},
};
/* 一级, by nature (the registry's PERSON_NATURES: 因战, 因公, 因病) */
static const int disability_top[] = {98000, 95000, 92000};
/* of 一级, by grade (PERSON_GRADE_MIN..PERSON_GRADE_MAX) */
static const int grade_percent[] = {100, 88, 78, 62, 50, 40, 30, 24, 16, 12};

/* Proposes (clerk) and approves (reviewer) one standard of yuan a year at raise r. */
static int standard(struct db *db, const struct principal *clerk, const struct principal *reviewer,
		    const char *benefit, const char *category, int grade, const char *nature, int r,
		    long yuan)
{
	for (int i = 0; i < r; i++)
		yuan = yuan * 105 / 100; /* 5% a year */
	char national[32], local[32], grade_text[4] = "";
	snprintf(national, sizeof(national), "%ld", yuan);
	snprintf(local, sizeof(local), "%ld", yuan / 10);
	if (grade)
		snprintf(grade_text, sizeof(grade_text), "%d", grade);
	struct standard_text t = {benefit,        category, grade_text, nature,
				  raise_dates[r], national, local,      "演示数据，非真实标准"};
	int64_t id;
	char err[256] = "";
	if (benefit_standard_propose(db, clerk, &t, 1, &id, NULL, err, sizeof(err)) ||
	    benefit_standard_decide(db, reviewer, id, 1, err, sizeof(err)))
		return fprintf(stderr, "vets: 演示标准：%s\n", err), 1;
	return 0;
}

/* Every standard of raise r. */
static int standards_of(struct db *db, const struct principal *clerk,
			const struct principal *reviewer, int r)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]) && !rc; i++)
		rc = standard(db, clerk, reviewer, flat[i].benefit, flat[i].category, 0, "", r,
			      flat[i].yuan);
	const char *const *natures;
	int n_natures = person_vocabulary(PERSON_NATURES, &natures);
	for (int n = 0; n < n_natures && n < 3 && !rc; n++)
		for (int g = PERSON_GRADE_MIN; g <= PERSON_GRADE_MAX && !rc; g++)
			rc = standard(db, clerk, reviewer, "DISABILITY", "", g, natures[n], r,
				      (long)disability_top[n] * grade_percent[g - PERSON_GRADE_MIN] / 100);
	return rc;
}

/* 义务兵优待 rules for 2022-2026, in 分, set by the clerk and approved by the reviewer. */
static int conscript_rules(struct db *db, const struct principal *clerk,
			   const struct principal *reviewer)
{
	static const struct {
		const char *kind, *item;
		int64_t yuan;
	} rules[] = {
		{"增发", "在校生", 3000},       {"增发", "毕业生", 5000},
		{"增发", "新生", 2000},         {"增发", "艰苦地区", 2000},
		{"增发", "进藏进疆", 4000},     {"增发", "立功", 3000},
		{"奖励金", "高中及以下", 5000}, {"奖励金", "大专", 8000},
		{"奖励金", "本科", 10000},      {"奖励金", "研究生", 12000},
	};
	char err[256] = "";
	for (int year = 2022; year <= 2026; year++) {
		int64_t base = 26000 + (year - 2023) * 1000;
		if (conscript_rule_set(db, clerk, year, "基数", "基数", base * 100, 1, NULL, err,
				       sizeof(err)))
			return fprintf(stderr, "vets: %s\n", err), 1;
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			if (conscript_rule_set(db, clerk, year, rules[i].kind, rules[i].item,
					       rules[i].yuan * 100, 1, NULL, err, sizeof(err)))
				return fprintf(stderr, "vets: %s\n", err), 1;
		if (conscript_rules_approve(db, reviewer, year, err, sizeof(err)))
			return fprintf(stderr, "vets: %s\n", err), 1;
	}
	return 0;
}

static void ignore_row(void *ctx, long row, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "vets: 演示义务兵名单第 %ld 行：%s\n", row, reason);
}

static void ignore_conscript(void *ctx, long row, const char *field, const char *message)
{
	(void)ctx;
	fprintf(stderr, "vets: 演示义务兵名单第 %ld 行：%s：%s\n", row, field, message);
}

/* The ID numbers given to conscripts so far: no one enlists twice. */
static struct {
	char (*id)[19];
	size_t n, cap;
} enlisted;

static int enlisted_before(const char *id)
{
	for (size_t i = 0; i < enlisted.n; i++)
		if (strcmp(enlisted.id[i], id) == 0)
			return 1;
	return 0;
}

static void enlisted_add(const char *id)
{
	if (enlisted.n == enlisted.cap) {
		size_t cap = enlisted.cap ? enlisted.cap * 2 : 512;
		char(*more)[19] = realloc(enlisted.id, cap * sizeof(*more));
		if (!more)
			return;
		enlisted.id = more;
		enlisted.cap = cap;
	}
	memcpy(enlisted.id[enlisted.n++], id, 19);
}

/* The recruitment office's list of period (spring: March, autumn: September): count
 * conscripts, imported as the office hands it over; each granted both benefits. */
static int conscripts(struct db *db, const struct principal *clerk, const char *period, int count,
		      uint64_t *rng, const char *path)
{
	static const char *const educations[] = {"高中及以下", "高中及以下", "大专",
						 "本科",       "本科",       "研究生"};
	static const char *const colleges[] = {"", "在校生", "毕业生", "新生"};
	static const char *const hardships[] = {"", "", "", "艰苦地区", "进藏进疆"};
	static const char *const streets[] = {"东湖街道", "长青街道", "和平街道", "白沙洲街道"};
	FILE *fp = fopen(path, "w");
	if (!fp)
		return 1;
	fputs("姓名,身份证号,入伍时间,学历,大学生情况,艰苦地区,立功受奖,街道,社区,家属姓名,"
	      "家属联系电话,开户行,银行账号\n",
	      fp);
	int year = atoi(period);
	for (int i = 0; i < count; i++) {
		char name[32], id[19], parent[32];
		demo_make_name(rng, 1, name, sizeof(name));
		do
			demo_make_id(rng, 1, year - 18 - (int)(demo_rng_next(rng) % 4), id);
		while (enlisted_before(id));
		enlisted_add(id);
		demo_make_name(rng, demo_rng_next(rng) % 2, parent, sizeof(parent));
		const char *edu = educations[demo_rng_next(rng) % 6];
		const char *college =
			strcmp(edu, "高中及以下") == 0 ? "" : colleges[demo_rng_next(rng) % 4];
		fprintf(fp,
			"%s,%s,%s-10,%s,%s,%s,%s,%s,,%s,139%08llu,工商银行示范支行,6222%015llu\n",
			name, id, period, edu, college, hardships[demo_rng_next(rng) % 5],
			demo_rng_next(rng) % 10 ? "" : "三等功", streets[demo_rng_next(rng) % 4],
			parent, (unsigned long long)(demo_rng_next(rng) % 100000000u),
			(unsigned long long)(demo_rng_next(rng) % 1000000000000000u));
	}
	fclose(fp);
	struct conscript_summary n;
	char err[256] = "";
	int rc = conscript_import(db, clerk, path, ignore_conscript, NULL, IMPORT_KEEP_GOOD, &n, err,
				  sizeof(err));
	if (rc)
		fprintf(stderr, "vets: 演示义务兵名单：%s\n", err);
	else if (n.rows != count || n.granted != 2L * count)
		rc = fprintf(stderr, "vets: 演示义务兵名单 %s：%ld 行中 %ld 行导入、核定 %ld 项待遇\n",
			     period, (long)count, n.rows, n.granted) > 0;
	return rc;
}

/* Entitlement ids (and person ids) read from the entitlement area: at most max (all when
 * 0), only those whose id is residue modulo 97 when modulo is set. */
struct ids {
	int64_t *id, *person_id;
	size_t n, cap, max;
	int modulo;
	int64_t residue;
};

static int collect(void *ctx, int64_t id, int64_t person_id)
{
	struct ids *l = ctx;
	if (l->modulo && id % 97 != l->residue)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->id = realloc(l->id, l->cap * sizeof(*l->id));
		l->person_id = realloc(l->person_id, l->cap * sizeof(*l->person_id));
	}
	l->id[l->n] = id;
	l->person_id[l->n++] = person_id;
	return l->max && l->n == l->max; /* 1 stops the walk */
}

/* The seed report's 2023: 优抚 lines paid (人次). */
#define BENEFIT_PAYMENTS_2023 11047
/* The entitlements confirmed last, whose start months close the gap to it. */
#define RESERVE 400

/* Proposes entitlements (clerk) and confirms them (reviewer), the rolls moving onto the
 * system through 2023: each from a month of 2023 drawn at random, some from 2024 or
 * 2025; the last RESERVE from the month that brings 2023's lines (one a month from the
 * start: every batch of 2023 is paid, a failed line again within the year) to exactly
 * BENEFIT_PAYMENTS_2023, then from 2024 on. A few are left waiting for the reviewer, and
 * those lacking a bank account stay proposed (their confirmation fails: they add nothing). */
static int confirm_entitlements(struct db *db, const struct principal *clerk,
				const struct principal *reviewer, uint64_t *rng)
{
	int64_t n;
	if (entitlement_propose(db, clerk, 0, &n))
		return 1;
	struct ids proposed = {0};
	entitlement_each_with_status(db, ENTITLEMENT_PROPOSED, collect, &proposed);
	int64_t *ids = proposed.id;
	size_t count = proposed.n;
	long lines = 0; /* 2023's lines of those confirmed so far */
	for (size_t i = 0; i < count; i++) {
		uint64_t roll = demo_rng_next(rng) % 100;
		if (roll < 2)
			continue;
		long months = i + RESERVE < count ? (roll < 15 ? 0 : 1 + (long)(demo_rng_next(rng) % 12))
						  : 12;
		if (months > BENEFIT_PAYMENTS_2023 - lines)
			months = BENEFIT_PAYMENTS_2023 - lines;
		char start[24], err[256]; /* "YYYY-MM"; room for any int the compiler sees */
		if (months > 0)
			snprintf(start, sizeof(start), "2023-%02d", (int)(13 - months));
		else
			snprintf(start, sizeof(start), "%04d-%02d", 2024 + (int)(roll % 2),
				 1 + (int)(demo_rng_next(rng) % 12));
		if (entitlement_confirm(db, reviewer, ids[i], start, 0, err, sizeof(err)) == 0)
			lines += months;
	}
	free(proposed.id);
	free(proposed.person_id);
	if (lines != BENEFIT_PAYMENTS_2023)
		fprintf(stderr, "vets: 演示数据 2023 年优抚发放为 %ld 人次（应为 %d）\n", lines,
			BENEFIT_PAYMENTS_2023);
	return 0;
}

struct return_file {
	FILE *fp;
	uint64_t *rng;
	int december;
};

/* Writes the bank's answer to one line: paid, or now and then failed, except in December
 * 2023 (a line failed then is paid again in the next year's January, and the seed report's
 * count of 人次 would lose it to 2024). */
static int answer(void *ctx, const char *const *cells)
{
	struct return_file *r = ctx;
	int fail = !cells[2][0] || (demo_rng_next(r->rng) % 400 == 0 && !r->december);
	const char *why = !cells[2][0] ? "账号为空" : fail ? "账户状态异常" : "";
	return fprintf(r->fp, "%s,%s,%s,%s\n", cells[0], cells[4], fail ? "失败" : "成功", why) < 0;
}

/* Generates, signs and pays one batch through a return file. */
static int pay_batch(struct db *db, const char *period, const char *benefit,
		     const struct principal *who[3], uint64_t *rng, const char *path)
{
	struct pay_result res;
	char err[300] = "";
	int rc = pay_generate(db, who[0], period, benefit, &res, NULL, err, sizeof(err));
	if (rc == VE_INVALID && res.nothing_due)
		return 0;
	if (rc || pay_review(db, who[1], res.batch_id, err, sizeof(err)) ||
	    pay_approve(db, who[2], res.batch_id, err, sizeof(err)))
		return fprintf(stderr, "vets: 演示批次 %s %s：%s\n", period, benefit, err), 1;
	struct return_file r = {fopen(path, "w"), rng, strcmp(period, "2023-12") == 0};
	if (!r.fp)
		return 1;
	fputs("流水号,金额,结果,失败原因\n", r.fp);
	rc = pay_bank_rows(db, who[0], res.batch_id, answer, &r, err, sizeof(err));
	fclose(r.fp);
	int64_t paid, failed;
	if (rc == 0)
		rc = pay_reconcile(db, who[0], res.batch_id, path, ignore_row, NULL, &paid, &failed,
				   err, sizeof(err));
	if (rc)
		fprintf(stderr, "vets: 演示回盘 %s %s：%s\n", period, benefit, err);
	return rc;
}

/* The story the last two months tell the next batch's summary, on 定期生活补助: one
 * suspended in November 2025 (from December) and resumed from January, one dead in
 * December, one suspended from January. Entitlements active and paid since 2025-10 at the
 * latest, drawn by rng. */
static void last_months(struct db *db, const struct principal *clerk, int m, int end,
			uint64_t *rng)
{
	static int64_t resumed, dying, paused;
	char err[256];
	if (m == end - 1) {
		struct entitlement_filter f = {.benefit = "LIVING", .status = ENTITLEMENT_ACTIVE,
					       .page = 1, .per_page = 60};
		json_t *list = NULL;
		if (entitlement_list(db, clerk, &f, &list) != 0)
			return;
		int64_t ids[60], persons[60];
		size_t n = 0, i;
		json_t *it;
		json_array_foreach(json_object_get(list, "items"), i, it)
		{
			const char *start = json_string_value(json_object_get(it, "start_month"));
			if (n < 60 && start && strcmp(start, "2025-10") <= 0) {
				ids[n] = json_integer_value(json_object_get(it, "id"));
				persons[n++] = json_integer_value(json_object_get(it, "person_id"));
			}
		}
		json_decref(list);
		if (n < 3)
			return;
		size_t a = demo_rng_next(rng) % n, b = (a + 1) % n, c = (a + 2) % n;
		resumed = ids[a];
		dying = persons[b];
		paused = ids[c];
		entitlement_suspend(db, clerk, resumed, "2025-12", "服刑期间依规中止", 0, err,
				    sizeof(err));
		entitlement_record_death(db, clerk, dying, "2025-12-05", "因病", 0, NULL, err,
					 sizeof(err));
	} else if (m == end && resumed) {
		entitlement_resume(db, clerk, resumed, "2026-01", 0, err, sizeof(err));
		entitlement_suspend(db, clerk, paused, "2026-01", "服刑期间依规中止", 0, err,
				    sizeof(err));
		resumed = dying = paused = 0;
	}
}

/* A few life events after the month m was paid: a suspension, a death, and now and
 * then the resumption of an earlier suspension, all from the next month. */
static void events(struct db *db, const struct principal *clerk, int m, uint64_t *rng)
{
	char err[256], from[8];
	month_format(m + 1, from);
	struct ids pick = {.max = 2, .modulo = 1, .residue = m % 97};
	entitlement_each_with_status(db, ENTITLEMENT_ACTIVE, collect, &pick);
	if (pick.n > 0 && demo_rng_next(rng) % 3 == 0)
		entitlement_suspend(db, clerk, pick.id[0], from, "服刑期间依规中止", 0, err,
				    sizeof(err));
	if (pick.n > 1 && demo_rng_next(rng) % 4 == 0) {
		char death[11];
		snprintf(death, sizeof(death), "%s-0%d", from, 1 + (int)(demo_rng_next(rng) % 9));
		entitlement_record_death(db, clerk, pick.person_id[1], death, "因病", 0, NULL, err,
					 sizeof(err));
	}
	struct ids paused = {.max = 64};
	entitlement_each_open_suspension(db, from, collect, &paused);
	for (size_t i = 0; i < paused.n; i++)
		if (demo_rng_next(rng) % 6 == 0)
			entitlement_resume(db, clerk, paused.id[i], from, 0, err, sizeof(err));
	free(pick.id);
	free(pick.person_id);
	free(paused.id);
	free(paused.person_id);
}

int demo_benefits(struct db *db, unsigned long seed, const struct principal *clerk,
		  const struct principal *reviewer, const struct principal *approver)
{
	uint64_t rng = seed * 7919u + 17u;
	const struct principal *who[3] = {clerk, reviewer, approver};
	static const char *const benefits[] = {"DISABILITY", "SURVIVOR", "LIVING", "CONSCRIPT",
					       "ENLIST_BONUS"};
	for (int r = 0; r < RAISE_LATE; r++)
		if (standards_of(db, clerk, reviewer, r))
			return 1;
	if (conscript_rules(db, clerk, reviewer) || confirm_entitlements(db, clerk, reviewer, &rng))
		return 1;
	char dir[] = "/tmp/vets-demo-XXXXXX", path[64], list[64];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/回盘.csv", dir);
	snprintf(list, sizeof(list), "%s/征兵名单.csv", dir);
	int first, start, end, rc = 0;
	month_parse("2022-03", &first); /* the 2022 intake: paid before the rolls came on */
	month_parse("2023-01", &start);
	month_parse("2025-12", &end);
	for (int m = first; m <= end && !rc; m++) {
		char period[8];
		month_format(m, period);
		if (m % 12 == 2 || m % 12 == 8) { /* March, September */
			/* 2022: 1,011 in all; 2023: 304 (the seed's 入伍奖励金); later 20 a list */
			int count = m < start ? (m % 12 == 2 ? 455 : 556)
				    : m < start + 12 ? (m % 12 == 2 ? 137 : 167)
						     : 20;
			rc = conscripts(db, clerk, period, count, &rng, list);
		}
		if (strcmp(period, "2025-10") == 0) /* the 2025 raise, entered late */
			rc = rc || standards_of(db, clerk, reviewer, RAISE_LATE);
		for (size_t b = m < start ? 3 : 0; b < 5 && !rc; b++) /* 2022: the conscripts' */
			rc = pay_batch(db, period, benefits[b], who, &rng, path);
		if (!rc && m >= start + 12 && m < end - 1)
			events(db, clerk, m, &rng);
		else if (!rc && m >= end - 1)
			last_months(db, clerk, m, end, &rng);
	}
	unlink(path);
	unlink(list);
	rmdir(dir);
	free(enlisted.id);
	enlisted.id = NULL;
	enlisted.n = enlisted.cap = 0;
	return rc || standards_of(db, clerk, reviewer, N_RAISES - 1);
}
