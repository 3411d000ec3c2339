/* demo_pufa.c - the demo's 普法 from 2023 to today: events on the fixed days, brochures to the
 * street stations, monthly study sessions, the yearly law exam and the 责任清单. */
#include "demo_pufa.h"
#include "areas/bulk.h"
#include "areas/pufa.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed days (清明 falls on the 4th or 5th of April) and the event kinds of pufa.h. */
static const struct {
	const char *month_day;
	int kind;
	const char *audience;
} fixed[] = {
	{"04-05", 0, "烈士亲属、退役军人代表"},
	{"08-01", 1, "驻区官兵、退役军人"},
	{"09-30", 2, "机关干部、青少年学生"},
	{"12-04", 3, "辖区退役军人、社区居民"},
};
static const char *const streets[] = {
	"东湖街道", "长青街道",   "白沙洲街道", "紫阳街道",     "首义街道",
	"中南街道", "水果湖街道", "珞南街道",   "关山街道",     "洪山街道",
	"和平街道", "青山镇街道", "红卫路街道", "钢都花园街道",
};
#define N_STREETS (sizeof(streets) / sizeof(streets[0]))
static const char *const topics[] = {
	"学习《中华人民共和国退役军人保障法》",
	"学习《军人抚恤优待条例》",
	"学习《烈士褒扬条例》",
	"学习《中华人民共和国宪法》",
	"学习《信访工作条例》",
	"学习《中华人民共和国英雄烈士保护法》",
};
static const char *const named[][2] = {
	{"陈晓华", "办公室"}, {"黄志刚", "优抚科"},     {"吴丽娟", "优抚科"},
	{"郑国庆", "安置科"}, {"何建平", "权益维护科"}, {"罗美玲", "区退役军人服务中心"},
};
#define N_NAMED (sizeof(named) / sizeof(named[0]))

static uint64_t next(uint64_t *r)
{
	*r = *r * 6364136223846793005u + 1442695040888963407u;
	return *r >> 33;
}

static int save(struct db *db, const struct principal *clerk, enum pufa_record rec,
		const struct pufa_in *in, char *err, size_t errlen)
{
	struct field_errors fe = {0};
	int64_t id;
	return pufa_save(db, clerk, rec, in, 1, &id, &fe, err, errlen);
}

/* The exam of one member: 2023 everyone excellent; later years mostly. */
static int exam(struct db *db, const struct principal *clerk, int year, int64_t user,
		const char *name, const char *org, uint64_t *rng, char *err, size_t errlen)
{
	char y[16], score[16];
	int took = year == 2023 || next(rng) % 12 != 0;
	int s = year == 2023 ? 90 + (int)(next(rng) % 10) : 88 + (int)(next(rng) % 12);
	snprintf(y, sizeof(y), "%d", year);
	snprintf(score, sizeof(score), "%d", s);
	struct pufa_in in = {.year = y,
			     .user_id = user,
			     .staff_name = name,
			     .org_name = org,
			     .should = 1,
			     .took = took,
			     .score = took ? score : ""};
	return save(db, clerk, PUFA_EXAM, &in, err, errlen);
}

static int year_of(struct db *db, const struct principal *clerk, int year, const char *today,
		   json_t *staff, uint64_t *rng, char *err, size_t errlen)
{
	char day[32], count[16], y[16];
	snprintf(y, sizeof(y), "%d", year);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		snprintf(day, sizeof(day), "%04d-%s", year, fixed[i].month_day);
		if (strcmp(day, today) > 0)
			continue;
		snprintf(count, sizeof(count), "%d", 80 + (int)(next(rng) % 150));
		struct pufa_in in = {.on = day,
				     .kind = pufa_event_kinds[fixed[i].kind],
				     .who = fixed[i].audience,
				     .count = count};
		if (save(db, clerk, PUFA_EVENT, &in, err, errlen))
			return 1;
	}
	/* The constitution week and a 普法 day in the streets. */
	const char *more[][3] = {{"12-01", "宪法宣传周", "机关干部"},
				 {"06-18", "其他主题活动", "退役军人、军属"}};
	for (size_t i = 0; i < 2; i++) {
		snprintf(day, sizeof(day), "%04d-%s", year, more[i][0]);
		snprintf(count, sizeof(count), "%d", 40 + (int)(next(rng) % 80));
		struct pufa_in in = {
			.on = day, .kind = more[i][1], .who = more[i][2], .count = count};
		if (strcmp(day, today) <= 0 && save(db, clerk, PUFA_EVENT, &in, err, errlen))
			return 1;
	}
	/* Brochures to every street's station around 12·4 (2023: 14 × 220 = 3,080 copies). */
	for (size_t s = 0; s < N_STREETS; s++) {
		char who[64];
		snprintf(day, sizeof(day), "%04d-11-%02d", year, 20 + (int)(s % 8));
		snprintf(count, sizeof(count), "%d",
			 year == 2023 ? 220 : 180 + (int)(next(rng) % 80));
		snprintf(who, sizeof(who), "%s退役军人服务站", streets[s]);
		struct pufa_in in = {.on = day,
				     .title = "《退役军人保障法》《军人抚恤优待条例》宣传手册",
				     .count = count,
				     .who = who};
		if (strcmp(day, today) <= 0 && save(db, clerk, PUFA_BROCHURE, &in, err, errlen))
			return 1;
	}
	for (int m = 1; m <= 12; m++) {
		snprintf(day, sizeof(day), "%04d-%02d-%02d", year, m, 10 + (int)(next(rng) % 15));
		snprintf(count, sizeof(count), "%d", 28 + (int)(next(rng) % 10));
		struct pufa_in in = {
			.on = day,
			.title = topics[next(rng) % (sizeof(topics) / sizeof(topics[0]))],
			.count = count};
		if (strcmp(day, today) <= 0 && save(db, clerk, PUFA_SESSION, &in, err, errlen))
			return 1;
	}
	struct pufa_in duty = {
		.year = y,
		.title = "年度普法责任清单",
		.body = "# 区退役军人事务局普法责任清单\n\n"
			"## 重点学习宣传的法律法规\n\n"
			"- 《中华人民共和国宪法》\n- 《中华人民共和国退役军人保障法》\n"
			"- 《军人抚恤优待条例》\n- 《烈士褒扬条例》\n\n"
			"## 责任内容\n\n"
			"1. **清明、八一、9·30 烈士纪念日、12·4 国家宪法日**开展主题普法活动；\n"
			"2. 向各街道退役军人服务站发放宣传资料；\n"
			"3. 每月组织一次集中学法，年底组织全体工作人员参加学法考试。\n",
	};
	if (save(db, clerk, PUFA_DUTY, &duty, err, errlen))
		return 1;
	/* The exam, late in the year: only once it has been held. */
	snprintf(day, sizeof(day), "%04d-11-15", year);
	if (strcmp(day, today) > 0)
		return 0;
	size_t i;
	json_t *o;
	json_array_foreach(staff, i, o)
	{
		if (exam(db, clerk, year, json_integer_value(json_object_get(o, "id")), NULL, NULL,
			 rng, err, errlen))
			return 1;
	}
	for (size_t k = 0; k < N_NAMED; k++)
		if (exam(db, clerk, year, 0, named[k][0], named[k][1], rng, err, errlen))
			return 1;
	return 0;
}

struct fill {
	const struct principal *clerk;
	int year, this_year;
	char today[11], err[256];
	json_t *staff;
	uint64_t rng;
};

/* One year a step, all in the one transaction of bulk_run. */
static int fill_step(struct db *db, void *ctx, int *done)
{
	struct fill *f = ctx;
	if (year_of(db, f->clerk, f->year, f->today, f->staff, &f->rng, f->err, sizeof(f->err)))
		return VE_INVALID;
	*done = ++f->year > f->this_year;
	return 0;
}

int demo_pufa(struct db *db, unsigned long seed, const struct principal *clerk)
{
	struct fill f = {.clerk = clerk, .year = 2023, .rng = (uint64_t)seed * 40503u + 97};
	snprintf(f.today, sizeof(f.today), "%s", clock_today_text());
	f.this_year = atoi(f.today);
	if (pufa_staff(db, clerk, &f.staff) != 0)
		return fprintf(stderr, "vets: 生成演示普法记录失败：读取账号失败\n"), 1;
	int rc = bulk_run(db, 1000, fill_step, &f);
	json_decref(f.staff);
	if (rc != 0)
		return fprintf(stderr, "vets: 生成演示普法记录失败：%s\n",
			       *f.err ? f.err : "数据库错误"),
		       1;
	return 0;
}
