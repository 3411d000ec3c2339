/* demo_placement.c - the demo's 安置 (see demo_placement.h). */
#include "demo_placement.h"
#include "demo_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/benefit.h"
#include "areas/calendar.h"
#include "areas/entitlement.h"
#include "areas/job.h"
#include "areas/payment.h"
#include "areas/person.h"
#include "areas/placement.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"

/* A year's plan and how its cases go: officers (转业, 复员 from the count's end), the
 * soldiers by method, how many are placed, how many have 医保 continued. */
struct year_plan {
	int year, officers, soldiers;
	int demobilized;                          /* of the officers: 复员 */
	int arranged, self_employed, pension;     /* of the soldiers: 安排工作, 自主就业, 逐月领取退役金 */
	int retired, supported;                   /* 退休, 供养 */
	int waiting, lapsed;                      /* not placed yet; 自主就业 not reported in time */
	int medical;                              /* 医保 continued */
};

static const struct year_plan plans[] = {
	/* 2023: the seed's year. 8 + 21 placed, 21 医保. */
	{2023, 8, 21, 0, 9, 10, 1, 0, 1, 0, 0, 21},
	{2024, 7, 19, 1, 8, 9, 1, 1, 0, 0, 1, 20},
	{2025, 9, 23, 1, 10, 11, 1, 0, 1, 0, 0, 27},
	{2026, 8, 20, 0, 9, 10, 0, 1, 0, 6, 0, 14},
};

struct people {
	int64_t *id;
	size_t n, cap, next;
};

static int collect_paid(void *ctx, int64_t id, int64_t person_id)
{
	(void)id;
	struct people *p = ctx;
	if (p->n == p->cap)
		return 1;
	p->id[p->n++] = person_id;
	return 0;
}

/* The candidates: people of the registry with 退役军人 among their categories and paid
 * some benefit (so their bank account is known: the allowance can be paid). */
static int candidates(struct db *db, const struct principal *clerk, struct people *out)
{
	struct people paid = {.cap = 20000};
	paid.id = calloc(paid.cap, sizeof(int64_t));
	out->cap = 400;
	out->id = calloc(out->cap, sizeof(int64_t));
	if (!paid.id || !out->id)
		return 1;
	entitlement_each_with_status(db, ENTITLEMENT_ACTIVE, collect_paid, &paid);
	struct person_filter f = {.category = "退役军人", .sort = "-id", .per_page = 200};
	for (int64_t page = 1; out->n < out->cap && page < 100; page++) {
		f.page = page;
		json_t *list = NULL;
		if (person_list(db, clerk, &f, &list) != 0)
			return 1;
		json_t *items = json_object_get(list, "items"), *it;
		size_t i;
		json_array_foreach(items, i, it)
		{
			int64_t id = json_integer_value(json_object_get(it, "id"));
			for (size_t k = 0; k < paid.n && out->n < out->cap; k++)
				if (paid.id[k] == id) {
					out->id[out->n++] = id;
					break;
				}
		}
		size_t got = json_array_size(items);
		json_decref(list);
		if (got < 200)
			break;
	}
	free(paid.id);
	return out->n < 130;
}

static void day_plus(const char *day, int n, char out[11])
{
	int32_t d;
	calendar_day_number(day, &d);
	calendar_day_text(d + n, out);
}

static int step(struct db *db, const struct principal *by, int64_t id, const char *code,
		const char *on, const char *employer)
{
	if (strcmp(on, clock_today_text()) > 0)
		return 0; /* not yet */
	struct placement_step s = {.step = code, .on = on, .employer = employer, .note = ""};
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = placement_act(db, by, id, &s, &fe, err, sizeof(err));
	if (rc)
		fprintf(stderr, "vets: 演示安置步骤 %s %s：%s\n", code, on, err);
	return rc;
}

static const char *const employers[] = {"区城市管理执法局", "区人民医院",     "区市场监督管理局",
					"区水务和湖泊局",   "区公安分局",     "区税务局",
					"区供电公司",       "区第一中学",     "区公共交通集团",
					"区消防救援大队",   "区应急管理局",   "区住房保障中心"};

/* One case: opened, taken through its steps as far as the plan says. */
static int one_case(struct db *db, const struct principal *clerk, uint64_t *rng, int64_t person,
		    const struct year_plan *y, const char *kind, const char *method, int placed,
		    int lapse, int medical, int index)
{
	char discharged[11], year[8], pid[24];
	/* discharges in the year's first months; 2026's from February through the summer (so
	 * that its allowances start after the demo's batches: 2026-01 owes only what the other
	 * benefits owe, the first month a user pays) */
	int spread = y->year == 2026 ? 180 : 90;
	char jan[11];
	snprintf(jan, sizeof(jan), "%d-%s", y->year, y->year == 2026 ? "02-05" : "01-05");
	day_plus(jan, (int)(demo_rng_next(rng) % (uint64_t)spread), discharged);
	if (!placed && strcmp(method, "自主就业") == 0) /* recent: the report is still due */
		day_plus(clock_today_text(), -12 - index % 10, discharged);
	if (lapse)
		snprintf(discharged, sizeof(discharged), "%d-03-10", y->year);
	snprintf(year, sizeof(year), "%d", y->year);
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	struct placement_new in = {pid, kind, year, method, discharged, ""};
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id;
	if (placement_open(db, clerk, &in, &id, &fe, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 演示安置案件：%s\n", err), 1;
	if (lapse)
		return 0; /* the deadlines job closes it */
	char files[11], review[11], hukou[11], card[11], report[11], place[11], med[11], social[11];
	day_plus(discharged, 5 + (int)(demo_rng_next(rng) % 10), files);
	day_plus(files, 3 + (int)(demo_rng_next(rng) % 7), review);
	day_plus(discharged, 8 + (int)(demo_rng_next(rng) % 10), hukou);
	day_plus(discharged, 20 + (int)(demo_rng_next(rng) % 20), card);
	day_plus(discharged, 3 + (int)(demo_rng_next(rng) % 20), report);
	int arranged = placement_method_arranged(method);
	if (arranged) /* two to five months after the files (2026: one waits past six) */
		day_plus(files, 60 + (int)(demo_rng_next(rng) % 90), place);
	else /* after the report and the files */
		day_plus(discharged, 25 + (int)(demo_rng_next(rng) % 10), place);
	day_plus(place, 10 + (int)(demo_rng_next(rng) % 20), med);
	day_plus(med, (int)(demo_rng_next(rng) % 5), social);
	int unreported = !placed && strcmp(method, "自主就业") == 0;
	int rc = (!unreported && step(db, clerk, id, "report", report, NULL)) || step(db, clerk, id, "files", files, NULL) ||
		 step(db, clerk, id, "review", review, NULL) || step(db, clerk, id, "hukou", hukou, NULL) ||
		 step(db, clerk, id, "card", card, NULL);
	if (rc || !placed)
		return rc;
	rc = step(db, clerk, id, "place", place,
		  arranged ? employers[index % (int)(sizeof(employers) / sizeof(employers[0]))] : "");
	if (!rc && medical)
		rc = step(db, clerk, id, "medical", med, NULL) || step(db, clerk, id, "social", social, NULL);
	return rc;
}

static int year_cases(struct db *db, const struct principal *clerk, uint64_t *rng,
		      struct people *who, const struct year_plan *y)
{
	char err[256] = "", year[8], o[8], s[8];
	struct field_errors fe = {0};
	snprintf(year, sizeof(year), "%d", y->year);
	snprintf(o, sizeof(o), "%d", y->officers);
	snprintf(s, sizeof(s), "%d", y->soldiers);
	if (placement_plan_set(db, clerk, year, o, s, "市退役军人事务局下达", &fe, err, sizeof(err)))
		return fprintf(stderr, "vets: 演示安置计划：%s\n", err), 1;
	int total = y->officers + y->soldiers, medical = y->medical, waiting = y->waiting;
	for (int i = 0; i < total; i++) {
		const char *kind = i < y->officers ? "军转干部" : "退役士兵", *method;
		int k = i - y->officers, lapse = 0;
		if (i < y->officers)
			method = i >= y->officers - y->demobilized ? "复员" : "转业";
		else if (k < y->arranged)
			method = "安排工作";
		else if (k < y->arranged + y->self_employed) {
			method = "自主就业";
			lapse = k == y->arranged + y->self_employed - 1 && y->lapsed;
		} else if (k < y->arranged + y->self_employed + y->pension)
			method = "逐月领取退役金";
		else if (k < y->arranged + y->self_employed + y->pension + y->retired)
			method = "退休";
		else
			method = "供养";
		/* the last arranged and 自主就业 cases of a year with waiting ones wait */
		int placed = 1;
		if (waiting > 0 && (i == y->officers - 1 || k == y->arranged - 1 || k == y->arranged - 2 ||
				    k == y->arranged - 3 || k == y->arranged + y->self_employed - 1 ||
				    k == y->arranged + y->self_employed - 2)) {
			placed = 0;
			waiting--;
		}
		int med = placed && !lapse && medical > 0;
		if (med)
			medical--;
		if (who->next >= who->n)
			return fprintf(stderr, "vets: 演示安置：可选人员不足\n"), 1;
		if (one_case(db, clerk, rng, who->id[who->next++], y, kind, method, placed, lapse, med,
			     i))
			return 1;
	}
	return 0;
}

/* The allowance's standard: the local minimum wage, 2,210 元 a month. */
static int standard(struct db *db, const struct principal *clerk, const struct principal *reviewer)
{
	struct standard_text t = {PLACEMENT_BENEFIT, "", "", "", "2023-01-01", "0", "26520",
				  "本地月最低工资标准 2,210 元 × 12 个月（演示）"};
	int64_t id;
	char err[256] = "";
	if (benefit_standard_propose(db, clerk, &t, 1, &id, NULL, err, sizeof(err)) ||
	    benefit_standard_decide(db, reviewer, id, 1, err, sizeof(err)))
		return fprintf(stderr, "vets: 演示待安置期生活费标准：%s\n", err), 1;
	return 0;
}

/* The bank's answer to one line of the allowance: paid (the cases' people have accounts). */
static int paid_row(void *ctx, const char *const *cells)
{
	return fprintf((FILE *)ctx, "%s,%s,成功,\n", cells[0], cells[4]) < 0;
}

static void no_row_error(void *ctx, long row, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "vets: 演示待安置期生活费回盘第 %ld 行：%s\n", row, reason);
}

/* One month's batch: generated, reviewed, approved and paid through the bank's return file
 * at path. */
static int batch(struct db *db, const struct principal staff[3], const char *period,
		 const char *path)
{
	char err[300] = "";
	struct pay_result res;
	int rc = pay_generate(db, &staff[0], period, PLACEMENT_BENEFIT, &res, NULL, err, sizeof(err));
	if (rc == VE_INVALID && res.nothing_due)
		return 0;
	if (rc || pay_review(db, &staff[1], res.batch_id, err, sizeof(err)) ||
	    pay_approve(db, &staff[2], res.batch_id, err, sizeof(err)))
		return fprintf(stderr, "vets: 演示待安置期生活费批次 %s：%s\n", period, err), 1;
	FILE *fp = fopen(path, "w");
	if (!fp)
		return 1;
	fputs("流水号,金额,结果,失败原因\n", fp);
	rc = pay_bank_rows(db, &staff[0], res.batch_id, paid_row, fp, err, sizeof(err));
	fclose(fp);
	int64_t paid, failed;
	if (rc == 0)
		rc = pay_reconcile(db, &staff[0], res.batch_id, path, no_row_error, NULL, &paid,
				   &failed, err, sizeof(err));
	if (rc)
		fprintf(stderr, "vets: 演示待安置期生活费回盘 %s：%s\n", period, err);
	return rc;
}

/* The monthly batches of the allowance, 2023-01 to 2025-12: the months the demo's other
 * benefits are paid for (2026 is left for the batches a user generates). */
static int batches(struct db *db, const struct principal staff[3])
{
	char dir[] = "/tmp/vets-demo-placement-XXXXXX", path[80];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/回盘.csv", dir);
	int m, end, rc = 0;
	month_parse("2023-01", &m);
	month_parse("2025-12", &end);
	for (; m <= end && !rc; m++) {
		char period[8];
		month_format(m, period);
		rc = batch(db, staff, period, path);
	}
	unlink(path);
	rmdir(dir);
	return rc;
}

int demo_placement(struct db *db, unsigned long seed, const struct principal staff[3])
{
	uint64_t rng = seed * 104729u + 31u;
	struct people who = {0};
	if (candidates(db, &staff[0], &who)) {
		free(who.id);
		return fprintf(stderr, "vets: 演示安置：可选人员不足\n"), 1;
	}
	int rc = standard(db, &staff[0], &staff[1]);
	for (size_t i = 0; !rc && i < sizeof(plans) / sizeof(plans[0]); i++)
		rc = year_cases(db, &staff[0], &rng, &who, &plans[i]);
	free(who.id);
	if (!rc) { /* the deadlines job as of today: lapses, flags */
		struct principal sys;
		job_principal(&sys);
		int64_t lapsed, flagged;
		rc = placement_deadlines(db, &sys, clock_today_text(), 0, &lapsed, &flagged);
	}
	return rc || batches(db, staff);
}
