/* demo_employment.c - the demo's 就业创业: each year's job fairs, their enterprises (drawn
 * from one pool of made-up enterprises with valid 统一社会信用代码, so that many come back
 * year after year) and positions, and the registry's veterans seeking work with their
 * outcomes. 2023's figures are the report's: 7 fairs, 1,652 distinct enterprises, 45,120
 * positions. The same seed gives the same history. */
#include "demo_employment.h"
#include "demo_people.h"
#include "areas/employment.h"
#include "areas/person.h"
#include "lib/clock.h"
#include "lib/str.h"
#include "lib/uscc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { POOL = 2600, COLS = EMPLOYMENT_SHEET_COLUMNS, N_STREETS = 14 };

static const char *const brands[] = {
	"华楚", "江城", "长兴", "东湖", "汉远", "楚天", "晴川", "鹏程", "金盾", "卫华",
	"联创", "恒信", "荆楚", "光谷", "南湖", "瑞丰", "安泰", "国誉", "宏图", "铁军",
	"远航", "新程", "德润", "嘉禾", "星辰", "锦程", "天和", "启明", "正道", "伟业",
	"同心", "致远", "凯旋", "聚力", "鑫达", "华夏", "中科", "汇通", "博远", "盛世",
};
static const char *const trades[] = {
	"安保服务", "物业管理", "物流",     "汽车服务", "建设工程", "电力工程", "餐饮管理",
	"商贸",     "科技",     "制造",     "人力资源", "供应链",   "环境工程", "信息技术",
	"医疗器械", "消防技术", "装饰工程", "文化传媒", "酒店管理", "交通运输",
};
/* A position and what it asks. */
static const char *const titles[][2] = {
	{"保安员", "退役军人优先，身体健康，能适应倒班"},
	{"驾驶员", "持 C1 以上驾照，驾龄 3 年以上"},
	{"物业管理员", "沟通能力强，有物业或部队营房管理经验者优先"},
	{"仓储管理员", "熟悉仓储流程，会使用叉车者优先"},
	{"电工", "持低压电工证"},
	{"厨师", "持健康证，有炊事经历者优先"},
	{"安全员", "持安全员证，熟悉安全生产规范"},
	{"销售代表", "吃苦耐劳，有驾照者优先"},
	{"客服专员", "普通话标准，会使用电脑办公"},
	{"网格员", "熟悉社区工作，退役军人优先"},
	{"快递员", "熟悉本地道路，有电动车驾驶经验"},
	{"维修技工", "有机械或车辆维修经验"},
	{"行政助理", "大专以上学历，熟练使用办公软件"},
	{"消防设施操作员", "持消防设施操作员证，能值夜班"},
	{"项目经理", "本科以上学历，有团队管理经验"},
	{"通信工程师", "有通信、雷达或无线电维护经验者优先"},
	{"培训教官", "部队带兵经历，组织能力强"},
	{"叉车司机", "持叉车操作证"},
	{"焊工", "持焊工证"},
	{"网络管理员", "熟悉网络设备和计算机维护"},
};
#define N_BRANDS (sizeof(brands) / sizeof(brands[0]))
#define N_TRADES (sizeof(trades) / sizeof(trades[0]))
#define N_TITLES (sizeof(titles) / sizeof(titles[0]))
static const char *const skills[] = {"驾驶", "电工", "炊事", "管理", "维修", "通信",
				     "电脑", "叉车", "焊工", "消防", "带兵", "仓储"};
#define N_SKILLS (sizeof(skills) / sizeof(skills[0]))

/* A year's fairs: day, name, kind, place. */
struct fair_plan {
	const char *day, *name, *kind, *place;
};
static const struct fair_plan plan_2023[] = {
	{"2023-02-18", "2023年“春风行动”退役军人专场招聘会", "线下", "区人力资源市场"},
	{"2023-03-25", "2023年退役军人就业创业服务月招聘会", "线下", "区退役军人服务中心"},
	{"2023-05-20", "2023年退役士兵专场招聘会", "线下", "东湖街道文体中心"},
	{"2023-07-15", "2023年“云聘”退役军人网络招聘会", "线上", "区就业服务网"},
	{"2023-08-01", "2023年“八一”退役军人专场招聘会", "线下", "区体育馆"},
	{"2023-09-23", "2023年金秋退役军人招聘会", "线下", "区人力资源市场"},
	{"2023-11-18", "2023年冬季退役军人网络招聘会", "线上", "区就业服务网"},
};
/* The months and places of later years' fairs. */
static const char *const later_days[] = {"02-24", "03-30", "05-18", "07-13",
					 "08-01", "09-21", "10-26", "11-16"};
static const char *const later_places[] = {"区人力资源市场", "区退役军人服务中心", "区就业服务网",
					   "长青街道综合文化站", "区体育馆"};

/* Enterprise i of the pool: its code and name. */
static void enterprise_of(size_t i, char code[24], char name[128])
{
	static const char *const areas[] = {"420106", "420111", "420102", "420199", "420104"};
	char base[24];
	snprintf(base, sizeof(base), "91%s%09lu", areas[i % 5],
		 600000000ul + (unsigned long)i * 7919ul);
	base[17] = '\0';
	base[17] = uscc_check_char(base);
	base[18] = '\0';
	str_copy(code, base, 24);
	snprintf(name, 128, "%s%s%s有限公司", brands[i % N_BRANDS],
		 trades[(i / N_BRANDS) % N_TRADES], i >= N_BRANDS * N_TRADES ? "（湖北）" : "");
}

/* The cells of one year's fair: the enterprises chosen, their positions. */
struct sheet {
	char (*cell)[8][160];
	size_t n, cap;
};

static int sheet_add(struct sheet *s, uint64_t *rng, size_t enterprise, int n_positions)
{
	char code[24], name[128];
	enterprise_of(enterprise, code, name);
	size_t first = (size_t)(demo_rng_next(rng) % N_TITLES);
	for (int k = 0; k < n_positions; k++) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 1024;
			void *v = realloc(s->cell, cap * sizeof(*s->cell));
			if (!v)
				return -1;
			s->cell = v;
			s->cap = cap;
		}
		char(*c)[160] = s->cell[s->n++];
		size_t t = (first + (size_t)k * 7) % N_TITLES;
		int pay = 3000 + (int)(demo_rng_next(rng) % 31) * 100;
		str_copy(c[0], code, 160);
		str_copy(c[1], name, 160);
		str_copy(c[2], titles[t][0], 160);
		snprintf(c[3], 160, "%d", 2 + (int)(demo_rng_next(rng) % 18));
		snprintf(c[4], 160, "%d", pay);
		snprintf(c[5], 160, "%d", pay + 1000 + (int)(demo_rng_next(rng) % 21) * 100);
		str_copy(c[6], titles[t][1], 160);
		snprintf(c[7], 160, "420199%03u", (unsigned)(enterprise % N_STREETS) + 1);
	}
	return 0;
}

/* Moves the headcounts of s's rows [from, n) up or down by one, in turn, until they sum to target.
 */
static void adjust_to(struct sheet *s, size_t from, long target)
{
	long sum = 0;
	for (size_t i = from; i < s->n; i++)
		sum += atol(s->cell[i][3]);
	for (size_t i = from; sum != target && s->n > from; i = i + 1 < s->n ? i + 1 : from) {
		long v = atol(s->cell[i][3]);
		if (sum < target && v < 60)
			v++, sum++;
		else if (sum > target && v > 1)
			v--, sum--;
		snprintf(s->cell[i][3], 160, "%ld", v);
	}
}

/* Loads fair f of a year: its row, then its sheet. */
static int load_fair(struct db *db, const struct principal *clerk, const struct fair_plan *p,
		     struct sheet *s, size_t from)
{
	struct employment_fair_in in = {p->name, p->kind, p->day, p->place};
	struct field_errors fe;
	char err[2048];
	int64_t id = 0;
	if (employment_fair_save(db, clerk, 0, &in, &id, &fe, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 招聘会：%s\n", err), 1;
	size_t n = s->n - from;
	const char **cells = malloc((n ? n : 1) * COLS * sizeof(*cells));
	if (!cells)
		return 1;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < COLS; k++)
			cells[i * COLS + k] = s->cell[from + i][k];
	struct employment_import_result r;
	int rc = employment_fair_rows(db, clerk, id, cells, n, 0, &r, err, sizeof(err));
	free(cells);
	if (rc)
		return fprintf(stderr, "vets: 招聘会企业和岗位：%s\n", err), 1;
	return 0;
}

/* A year's fairs: enterprises [pool_from, pool_from + distinct) each at one fair, plus
 * repeats at others; positions summing to headcount (0: as drawn). */
static int load_year(struct db *db, uint64_t *rng, const struct principal *clerk,
		     const struct fair_plan *plans, int n_fairs, size_t pool_from, size_t distinct,
		     long headcount)
{
	struct sheet s = {0};
	size_t *starts = calloc((size_t)n_fairs + 1, sizeof(*starts));
	int rc = starts ? 0 : 1;
	for (int f = 0; f < n_fairs && !rc; f++) {
		starts[f] = s.n;
		for (size_t i = (size_t)f; i < distinct && !rc; i += (size_t)n_fairs)
			rc = sheet_add(&s, rng, (pool_from + i) % POOL,
				       1 + (int)(demo_rng_next(rng) % 3));
		/* about 60 enterprises come to a second fair of the year */
		for (int k = 0; k < 60 && !rc; k++) {
			size_t i = (size_t)(demo_rng_next(rng) % distinct);
			if ((int)(i % (size_t)n_fairs) == f)
				continue;
			int seen = 0; /* the enterprise once per fair */
			char code[24], name[128];
			enterprise_of((pool_from + i) % POOL, code, name);
			for (size_t r = starts[f]; r < s.n && !seen; r++)
				seen = strcmp(s.cell[r][0], code) == 0;
			if (!seen)
				rc = sheet_add(&s, rng, (pool_from + i) % POOL,
					       1 + (int)(demo_rng_next(rng) % 2));
		}
	}
	if (!rc) {
		starts[n_fairs] = s.n;
		if (headcount)
			adjust_to(&s, 0, headcount);
	}
	for (int f = 0; f < n_fairs && !rc; f++) {
		struct sheet part = s;
		part.n = starts[f + 1];
		rc = load_fair(db, clerk, &plans[f], &part, starts[f]);
	}
	free(starts);
	free(s.cell);
	return rc;
}

/* The seekers of the demo, from the registry's people (在册). */
static int load_seekers(struct db *db, uint64_t *rng, const struct principal *clerk,
			const char *today)
{
	static const int per_year[] = {420, 450, 480, 400};
	static const int hired_per_mille[] = {640, 620, 600, 380};
	int total = 0;
	for (int y = 0; y < 4; y++)
		total += per_year[y];
	int64_t *ids = calloc((size_t)total, sizeof(*ids));
	struct employment_seeker_load *v = calloc((size_t)total, sizeof(*v));
	char(*text)[5][64] = calloc((size_t)total, sizeof(*text));
	int rc = ids && v && text ? 0 : 1, n = 0;
	/* every ninth person of the registry's first pages */
	for (int64_t page = 1; !rc && n < total && page <= 100; page++) {
		struct person_filter f = {
			.status = "在册", .sort = "id", .page = page, .per_page = 200};
		json_t *list = NULL;
		if (person_list(db, clerk, &f, &list) != 0) {
			rc = 1;
			break;
		}
		json_t *items = json_object_get(list, "items");
		if (!json_array_size(items)) {
			json_decref(list);
			break;
		}
		for (size_t i = 0; i < json_array_size(items) && n < total; i += 9)
			ids[n++] =
				json_integer_value(json_object_get(json_array_get(items, i), "id"));
		json_decref(list);
	}
	int at = 0;
	for (int y = 0; y < 4 && !rc; y++) {
		for (int k = 0; k < per_year[y] && at < n; k++, at++) {
			int year = 2023 + y;
			int month = 1 + (int)(demo_rng_next(rng) % 10),
			    day = 1 + (int)(demo_rng_next(rng) % 28);
			size_t t = (size_t)(demo_rng_next(rng) % N_TITLES);
			char(*tx)[64] = text[at];
			snprintf(tx[0], 64, "%lld", (long long)ids[at]);
			snprintf(tx[1], 64, "%s、%s", titles[t][0], titles[(t + 3) % N_TITLES][0]);
			snprintf(tx[2], 64, "%s", skills[demo_rng_next(rng) % N_SKILLS]);
			snprintf(tx[3], 64, "%04d-%02d-%02d", year, month, day);
			if (strcmp(tx[3], today) > 0)
				snprintf(tx[3], 64, "%.10s", today);
			v[at].seeker =
				(struct employment_seeker_in){tx[0], tx[1], tx[2], tx[3], ""};
			if ((int)(demo_rng_next(rng) % 1000) < hired_per_mille[y]) {
				int m2 = month + 1 + (int)(demo_rng_next(rng) % 2);
				snprintf(tx[4], 64, "%04d-%02d-%02d", year, m2 > 12 ? 12 : m2, day);
				if (strcmp(tx[4], today) <= 0 && strcmp(tx[4], tx[3]) >= 0)
					v[at].hire = (struct employment_hire_in){
						"", NULL, titles[t][0], tx[4]};
			}
		}
	}
	/* each hire at an enterprise of the fairs around its year */
	char(*hire_codes)[24] = calloc((size_t)(n ? n : 1), sizeof(*hire_codes));
	if (!hire_codes)
		rc = 1;
	for (int i = 0; i < at && !rc; i++)
		if (v[i].hire.hired_on) {
			char name[128];
			int y = atoi(v[i].seeker.registered_on) - 2023;
			enterprise_of((size_t)(demo_rng_next(rng) % 1600) + (size_t)y * 150,
				      hire_codes[i], name);
			v[i].hire.uscc = hire_codes[i];
		}
	char err[512] = "";
	if (!rc && employment_seekers_load(db, clerk, v, (size_t)at, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 求职登记：%s\n", err);
		rc = 1;
	}
	free(hire_codes);
	free(ids);
	free(v);
	free(text);
	return rc;
}

int demo_employment(struct db *db, unsigned long seed, const struct principal *clerk)
{
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	uint64_t rng = (uint64_t)seed * 7907u + 31;
	if (load_year(db, &rng, clerk, plan_2023, 7, 0, 1652, 45120) != 0)
		return 1;
	/* later years: 8 fairs a year up to today, pools moving through the enterprises */
	static const size_t distinct[] = {1710, 1760, 1690};
	for (int y = 0; y < 3; y++) {
		int year = 2024 + y;
		struct fair_plan plans[8];
		char names[8][128], days[8][11];
		int n = 0;
		for (int f = 0; f < 8; f++) {
			snprintf(days[n], sizeof(days[n]), "%d-%s", year, later_days[f]);
			if (strcmp(days[n], today) > 0)
				continue;
			snprintf(names[n], sizeof(names[n]), "%d年退役军人专场招聘会（第%d场）",
				 year, n + 1);
			int online = f == 3 || f == 7;
			plans[n] =
				(struct fair_plan){days[n], names[n], online ? "线上" : "线下",
						   online ? "区就业服务网" : later_places[f % 5]};
			n++;
		}
		if (n && load_year(db, &rng, clerk, plans, n, 300 * (size_t)(y + 1), distinct[y],
				   0) != 0)
			return 1;
	}
	return load_seekers(db, &rng, clerk, today);
}
