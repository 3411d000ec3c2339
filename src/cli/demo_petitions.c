/* demo_petitions.c - the demo's 信访 and 区长信箱: a ledger (台账) of 2023 to this year,
 * loaded as the bureau's own ledger would be, and the desk's recent petitions registered
 * with their writers and taken through their steps. The same seed gives the same history.
 *
 * 2023 is the year the bureau's report speaks of: every accepted petition closed and
 * replied (办结率 and 回复率 100%), a few not accepted, a few accepted late or extended.
 * Later years are as they are: some closed late, some replies missing, this year's recent
 * ones still open. */
#include "demo_people.h"
#include "demo_petitions.h"
#include "areas/petition.h"
#include "lib/clock.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLS = 8 };

/* One ledger row's texts. */
struct lrow {
	char code[24], source[16], received[11], decision[16], decided[11], ext[12], closed[11],
		replied[11];
};

static int pick(uint64_t *rng, int n)
{
	return (int)(demo_rng_next(rng) % (uint64_t)n);
}

static const char *later(const char *day, int n, char out[11], const char *today)
{
	petition_day_add(day, n, out);
	if (strcmp(out, today) > 0)
		out[0] = '\0';
	return out;
}

/* Whole days from a to b (valid dates). */
static int days_between(const char *a, const char *b)
{
	int64_t x = 0, y = 0;
	clock_parse_date(a, &x);
	clock_parse_date(b, &y);
	return (int)((y - x + 43200) / 86400);
}

static int at_most(int v, int max)
{
	return v < max ? v : max < 0 ? 0 : max;
}

/* A petition of year received on day (not after today); 2023 rows are all closed and
 * replied once accepted. */
static void make_row(uint64_t *rng, int year, int i, const char *day, const char *today,
		     struct lrow *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->code, sizeof(r->code), "TZ%d-%04d", year, i + 1);
	static const char *const sources[] = {"来信", "来信", "来访", "来访", "来电",
					      "网上信访", "网上信访", "区长信箱"};
	str_copy(r->source, sources[pick(rng, 8)], sizeof(r->source));
	str_copy(r->received, day, sizeof(r->received));
	int roll = pick(rng, 100);
	/* decided after 1-14 days; 3 in 100 later than 15 */
	int wait = roll < 3 ? 16 + pick(rng, 6) : 1 + pick(rng, 14);
	/* 2023 is reported closed and replied by its last day: what came in late was quick */
	int left = year == 2023 ? days_between(day, "2023-12-31") : 100000;
	wait = at_most(wait, left - 2);
	if (!*later(day, wait, r->decided, today))
		return; /* not decided yet */
	if (roll >= 92) {
		str_copy(r->decision, "不予受理", sizeof(r->decision));
		return;
	}
	str_copy(r->decision, "受理", sizeof(r->decision));
	int ext = pick(rng, 100) < 6 ? 10 + pick(rng, 21) : 0;
	if (ext)
		snprintf(r->ext, sizeof(r->ext), "%d", ext);
	int limit = 60 + ext;
	int late = year > 2023 && pick(rng, 100) < 6;
	int days = late ? limit + 1 + pick(rng, 20) : 10 + pick(rng, limit - 9);
	days = at_most(days, left - wait - 2);
	int open = year > 2023 && pick(rng, 100) < 2; /* never closed: overdue */
	if (open || !*later(r->decided, days, r->closed, today)) {
		r->closed[0] = '\0';
		return;
	}
	int no_reply = year > 2023 && pick(rng, 100) < 4;
	if (!no_reply)
		later(r->closed, at_most(pick(rng, 3), left - wait - days), r->replied, today);
}

static int load_ledger(struct db *db, unsigned long seed, const char *today)
{
	uint64_t rng = (uint64_t)seed * 7919u + 24;
	int this_year = atoi(today);
	size_t cap = 2000, n = 0;
	struct lrow *rows = calloc(cap, sizeof(*rows));
	if (!rows)
		return 1;
	for (int year = 2023; year <= this_year && year <= 2026; year++) {
		int count = 300 + pick(&rng, 60);
		for (int i = 0; i < count && n < cap; i++) {
			char first[11], day[11];
			snprintf(first, sizeof(first), "%d-01-01", year);
			petition_day_add(first, (int)((int64_t)i * 364 / count), day);
			if (strcmp(day, today) >= 0)
				break;
			make_row(&rng, year, i, day, today, &rows[n++]);
		}
	}
	const char **cells = calloc(n * COLS, sizeof(*cells));
	for (size_t i = 0; cells && i < n; i++) {
		const char *c[COLS] = {rows[i].code,    rows[i].source, rows[i].received,
				       rows[i].decision, rows[i].decided, rows[i].ext,
				       rows[i].closed,  rows[i].replied};
		memcpy(cells + i * COLS, c, sizeof(c));
	}
	struct principal cli;
	account_cli_principal(&cli);
	struct petition_import_result res;
	char err[2048] = "";
	int rc = cells ? petition_ledger_rows(db, &cli, cells, n, &res, err, sizeof(err)) : 1;
	if (rc)
		fprintf(stderr, "vets: 演示信访台账：%s\n", err);
	free(cells);
	free(rows);
	return rc ? 1 : 0;
}

/* ---- the desk's recent petitions ---- */

/* Each subject: its title, the writer's text, and the reply the desk publishes (区长信箱, with
 * the writer's consent) in a version free of the writer's data. */
static const char *const subjects[][3] = {
	{"优待证办理进度", "本人于两个月前申请退役军人优待证，至今未收到，请帮助查询。",
	 "您好。经核查，您的优待证申领材料已于上月报市局审核，制证周期一般为 30 个工作日。"
	 "目前证件已制发到所在街道退役军人服务站，请携带身份证到服务站领取。"},
	{"自主就业经济补助", "反映自主就业退役士兵一次性经济补助未足额发放。",
	 "您好。经与财政部门核对，一次性经济补助中的地方补助部分已于本月补发到账。"
	 "如仍有疑问，可在工作日到区退役军人服务中心窗口查询发放明细。"},
	{"伤残抚恤关系转移", "伤残抚恤关系从外省转入本区，抚恤金停发三个月，请求尽快接续。",
	 "您好。您的伤残抚恤关系已完成转入手续，停发期间的抚恤金将在下一发放批次一并补发。"
	 "今后请在每年年度确认时按时确认，避免暂停发放。"},
	{"光荣牌悬挂", "家中光荣牌损坏，希望重新悬挂。",
	 "您好。损坏的光荣牌可以更换。社区退役军人服务站将与您约定时间，上门为您重新悬挂。"},
	{"医疗保障", "老伤复发，反映医疗费用报销比例问题。",
	 "您好。符合条件的优抚对象在基本医疗保险、大病保险报销后，个人负担部分可申请优抚医疗补助。"
	 "请携带医疗费用票据和结算单到街道服务站申请，我局将在 20 个工作日内办结。"},
	{"就业安置", "转业后安置岗位与专业不符，请求调整。",
	 "您好。安置岗位依据年度安置计划和本人志愿确定。我局已与接收单位沟通，"
	 "单位将结合您的专业特长在内部岗位调整时优先考虑。"},
	{"社区服务站", "建议社区服务站周末开放，方便上班的退役军人办事。",
	 "您好。感谢您的建议。自下月起，各街道退役军人服务站将在每周六上午开放，办理常见事项。"},
	{"公园健身器材", "小区旁公园健身器材损坏，建议维修。",
	 "您好。您反映的问题已转交街道办事处，损坏的健身器材已于本周维修完毕。"},
};
#define N_SUBJECTS (sizeof(subjects) / sizeof(subjects[0]))

/* One registered petition, taken through the steps its age allows. */
static int desk_one(struct db *db, uint64_t *rng, const struct principal *clerk,
		    const struct principal *leader, int i, const char *today)
{
	char received[11], name[32], idn[19], phone[16], err[256];
	int age = 3 + pick(rng, 80);
	petition_day_add(today, -age, received);
	demo_make_name(rng, pick(rng, 2), name, sizeof(name));
	demo_make_id(rng, 1, 1950 + pick(rng, 50), idn);
	snprintf(phone, sizeof(phone), "139%08d", (int)(demo_rng_next(rng) % 100000000u));
	int s = i % (int)N_SUBJECTS;
	struct petition_new in = {
		.source = s == 7 || i % 3 == 0 ? "区长信箱" : i % 4 == 0 ? "来访" : "来信",
		.name = name, .id_number = idn, .phone = phone, .address = "示范区东湖街道建设社区",
		.subject = subjects[s][0], .content = subjects[s][1], .received_on = received,
		.consent = i % 4 != 1};
	struct field_errors fe = {0};
	int64_t id;
	if (petition_register(db, clerk, &in, &id, &fe, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 演示信访登记：%s\n", err), 1;
	char on[11];
	struct petition_step st = {0};
#define STEP(name_, days_, ...)                                                                    \
	do {                                                                                       \
		petition_day_add(received, days_, on);                                             \
		if (strcmp(on, today) > 0)                                                         \
			return 0;                                                                  \
		st = (struct petition_step){.step = name_, .on = on, __VA_ARGS__};                \
		field_errors_clear(&fe);                                                           \
		if (petition_act(db, strncmp(name_, "extend_", 7) == 0 ? leader : clerk, id, &st,  \
				 &fe, err, sizeof(err)) != 0)                                      \
			return fprintf(stderr, "vets: 演示信访 %s：%s\n", name_, err), 1;         \
	} while (0)
	if (age < 12 && i % 2)
		return 0; /* still to be decided */
	if (i % 11 == 4) {
		STEP("reject", 6, .note = "不属于本机关职责范围，已告知向有权机关提出");
		return 0;
	}
	STEP("accept", 4 + i % 8);
	STEP("assign", 6 + i % 8, .org = "420199", .assignee = "信访办 王主任");
	if (i % 7 == 3) {
		STEP("extend", 40, .days = "15", .note = "需会同人社部门核实");
		STEP("extend_approve", 41, .note = "同意延期");
	}
	int done = (i % 7 == 3 ? 45 : 25) + i % 20;
	if (age < done + 5)
		return 0; /* in hand */
	STEP("close", done, .note = "已协调有关部门办理");
	STEP("reply", done + 2, .note = "您反映的问题已办理，具体情况已电话告知。");
	if (in.consent && strcmp(in.source, "区长信箱") == 0)
		STEP("publish", done + 3, .question = subjects[s][1], .reply = subjects[s][2]);
#undef STEP
	return 0;
}

int demo_petitions(struct db *db, unsigned long seed, const struct principal *clerk)
{
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	if (load_ledger(db, seed, today) != 0)
		return 1;
	struct principal leader;
	account_cli_principal(&leader); /* the operator holds every role: a leader's approval */
	uint64_t rng = (uint64_t)seed * 104729u + 12;
	for (int i = 0; i < 60; i++)
		if (desk_one(db, &rng, clerk, &leader, i, today) != 0)
			return 1;
	return 0;
}
