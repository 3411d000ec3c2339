/* demo_people.c - the synthetic people of the demo district: plausible names, valid ID
 * numbers, categories in plausible shares, 三属 linked to the fallen, some families. */
#include "demo_people.h"
#include "areas/bulk.h"
#include "areas/person.h"
#include "areas/region.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
	"魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
	"闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万",
};
static const char *const male_chars[] = {"伟", "强", "军", "勇", "磊", "涛", "斌", "杰", "鹏",
					 "建", "国", "明", "华", "平", "刚", "辉", "波", "宁",
					 "峰", "超", "亮", "健", "成", "志", "东", "林", "海",
					 "鑫", "武", "兵", "卫", "红", "庆", "保", "忠", "德"};
static const char *const female_chars[] = {"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀",
					   "英", "红", "玲", "梅", "琳", "燕", "兰", "萍", "雪",
					   "慧", "洁", "桂", "凤", "春", "秋", "晓", "颖"};
/* Where people were born: address codes of the ID numbers. */
static const char *const birthplaces[] = {"420106", "420111", "420102", "420115", "421181",
					  "429004", "411302", "362502", "510722", "430623",
					  "420106", "420111", "420106", "420102", "422201"};
static const char *const banks[] = {"中国工商银行", "中国农业银行", "中国建设银行",
				    "中国银行",     "湖北农信",     "中国邮政储蓄银行"};
static const char *const roads[] = {"中山路",   "解放路", "武珞路",   "中北路",   "和平大道",
				    "友谊大道", "民主路", "建设大道", "雄楚大道", "珞喻路"};
/* 安置方式 drawn by these indexes of PERSON_PLACEMENTS (逐月领取退役金, 自主就业, 安排工作,
 * 退休, 供养, 转业, 复员): 自主就业 three times in eight. */
static const int placement_draws[] = {1, 2, 0, 3, 1, 1, 6, 5};

#define PICK(rng, array) (array)[rng_below(rng, sizeof(array) / sizeof((array)[0]))]

/* Name i of the registry's vocabulary v (person_vocabulary). */
static const char *vocab_name(enum person_vocab v, int i)
{
	const char *const *names;
	int n = person_vocabulary(v, &names);
	return i >= 0 && i < n ? names[i] : "";
}

uint64_t demo_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *s, size_t n)
{
	return (size_t)(demo_rng_next(s) % n);
}

static int rng_range(uint64_t *s, int lo, int hi)
{
	return lo + (int)rng_below(s, (size_t)(hi - lo + 1));
}

struct demo_person {
	char name[32], id[19], phone[16], street[64], community[64], address[96];
	char categories[128], enlisted[16], discharged[16], placement[32], grade[4], nature[8];
	char bank[32], account[24];
	int male, birth_year;
};

void demo_make_name(uint64_t *rng, int male, char *out, size_t size)
{
	const char *a = male ? PICK(rng, male_chars) : PICK(rng, female_chars);
	const char *b = male ? PICK(rng, male_chars) : PICK(rng, female_chars);
	snprintf(out, size, "%s%s%s", PICK(rng, surnames), a, rng_below(rng, 3) ? b : "");
}

void demo_make_id(uint64_t *rng, int male, int year, char out[19])
{
	int month = rng_range(rng, 1, 12), day = rng_range(rng, 1, 28);
	int seq = rng_range(rng, 0, 499) * 2 + (male ? 1 : 0);
	char body[18];
	snprintf(body, sizeof(body), "%s%04d%02d%02d%03d", PICK(rng, birthplaces), year, month, day,
		 seq);
	snprintf(out, 19, "%s%c", body, idcard_check_char(body));
}

/* Service dates of someone born in year: enlisted at 18–20 for 2–16 years. */
static void make_service(uint64_t *rng, struct demo_person *p, int min_year, int max_year)
{
	int enlisted = p->birth_year + rng_range(rng, 18, 20);
	if (enlisted < min_year)
		enlisted = min_year;
	if (enlisted > max_year)
		enlisted = max_year;
	int discharged = enlisted + rng_range(rng, 2, 16);
	if (discharged > 2025)
		discharged = 2025;
	snprintf(p->enlisted, sizeof(p->enlisted), "%04d-%02d", enlisted, rng_range(rng, 9, 12));
	snprintf(p->discharged, sizeof(p->discharged), "%04d-%02d", discharged,
		 rng_range(rng, 1, 12));
	if (strcmp(p->discharged, p->enlisted) < 0)
		snprintf(p->discharged, sizeof(p->discharged), "%s", p->enlisted);
	snprintf(p->placement, sizeof(p->placement), "%s",
		 vocab_name(PERSON_PLACEMENTS, PICK(rng, placement_draws)));
}

/* The identity and life of one person, by a roll in 1000. */
static void make_categories(uint64_t *rng, struct demo_person *p, int roll)
{
	if (roll < 30) {
		p->birth_year = rng_range(rng, 1999, 2006);
		snprintf(p->categories, sizeof(p->categories), "现役军人");
		make_service(rng, p, 2017, 2025);
		p->discharged[0] = p->placement[0] = '\0';
	} else if (roll < 80) {
		p->birth_year = rng_range(rng, 1950, 2000);
		snprintf(p->categories, sizeof(p->categories), "军人家属");
	} else if (roll < 100) {
		p->birth_year = rng_range(rng, 1940, 1995);
		snprintf(p->categories, sizeof(p->categories), "退役军人、残疾军人");
		make_service(rng, p, 1958, 2015);
		snprintf(p->grade, sizeof(p->grade), "%d", rng_range(rng, 1, 10));
		int n = rng_range(rng, 1, 10);
		/* PERSON_NATURES: 因战 one in ten, 因公 half, 因病 the rest. */
		snprintf(p->nature, sizeof(p->nature), "%s",
			 vocab_name(PERSON_NATURES, n == 1 ? 0 : n <= 6 ? 1 : 2));
	} else if (roll < 119) {
		p->birth_year = rng_range(rng, 1926, 1934);
		snprintf(p->categories, sizeof(p->categories), "在乡复员军人");
		make_service(rng, p, 1945, 1953);
		snprintf(p->placement, sizeof(p->placement), "复员");
	} else if (roll < 130) {
		p->birth_year = rng_range(rng, 1945, 1975);
		snprintf(p->categories, sizeof(p->categories), "退役军人、带病回乡退役军人");
		make_service(rng, p, 1963, 1995);
	} else if (roll < 170) {
		p->birth_year = rng_range(rng, 1955, 1968);
		snprintf(p->categories, sizeof(p->categories), "退役军人、参战退役军人");
		make_service(rng, p, 1973, 1988);
	} else if (roll < 180) {
		p->birth_year = rng_range(rng, 1940, 1965);
		snprintf(p->categories, sizeof(p->categories), "退役军人、参试退役军人");
		make_service(rng, p, 1958, 1985);
	} else if (roll < 230) {
		p->birth_year = rng_range(rng, 1945, 1965);
		snprintf(p->categories, sizeof(p->categories),
			 "退役军人、年满60周岁农村籍退役士兵");
		make_service(rng, p, 1963, 1985);
	} else {
		p->birth_year = rng_range(rng, 1950, 2003);
		snprintf(p->categories, sizeof(p->categories), "退役军人");
		make_service(rng, p, 1968, 2024);
	}
}

/* The district's streets, each with its communities' names. */
struct place {
	char street[64];
	char communities[8][64];
	size_t n;
};

static void make_person(uint64_t *rng, struct demo_person *p, const struct place *places,
			size_t n_places, int roll)
{
	memset(p, 0, sizeof(*p));
	make_categories(rng, p, roll);
	int family = strcmp(p->categories, "军人家属") == 0;
	p->male = family ? rng_below(rng, 4) == 0 : rng_below(rng, 20) != 0;
	demo_make_name(rng, p->male, p->name, sizeof(p->name));
	demo_make_id(rng, p->male, p->birth_year, p->id);
	if (rng_below(rng, 10) < 8)
		snprintf(p->phone, sizeof(p->phone), "1%d%09llu", rng_range(rng, 3, 9),
			 (unsigned long long)(demo_rng_next(rng) % 1000000000u));
	const struct place *where = &places[rng_below(rng, n_places)];
	snprintf(p->street, sizeof(p->street), "%s", where->street);
	if (where->n)
		snprintf(p->community, sizeof(p->community), "%s",
			 where->communities[rng_below(rng, where->n)]);
	snprintf(p->address, sizeof(p->address), "%s%d号%d栋%d室", PICK(rng, roads),
		 rng_range(rng, 1, 399), rng_range(rng, 1, 30), rng_range(rng, 101, 2602));
	if (rng_below(rng, 10) < 7) {
		snprintf(p->bank, sizeof(p->bank), "%s", PICK(rng, banks));
		snprintf(p->account, sizeof(p->account), "6222%015llu",
			 (unsigned long long)(demo_rng_next(rng) % 1000000000000000u));
	}
}

static int save(struct db *db, const struct principal *cli, struct demo_person *p, int64_t *id)
{
	struct person_text t = {
		p->name,      p->id,      p->categories, p->phone,      p->street,
		p->community, p->address, p->enlisted,   p->discharged, p->placement,
		p->grade,     p->nature,  p->bank,       p->account,    ""};
	struct field_errors e;
	enum person_outcome outcome;
	int rc = person_save(db, cli, &t, 1, 1, id, &outcome, &e);
	if (rc && e.n)
		fprintf(stderr, "vets: 演示数据有误：%s %s：%s\n", p->name, e.items[0].field,
			e.items[0].message);
	return rc;
}

/* 三属: the fallen soldier (deceased) and the survivor linked to him. */
static int fallen_and_family(struct db *db, const struct principal *cli, uint64_t *rng,
			     const struct place *places, size_t n_places, int roll)
{
	struct demo_person fallen, kin;
	struct field_errors e = {0};
	int64_t fallen_id, kin_id;
	make_person(rng, &fallen, places, n_places, 999);
	fallen.male = 1;
	demo_make_id(rng, 1, fallen.birth_year, fallen.id);
	fallen.phone[0] = fallen.account[0] = fallen.bank[0] = '\0';
	int rc = save(db, cli, &fallen, &fallen_id);
	const char *cause = roll < 106 ? "烈士" : roll < 110 ? "因公牺牲" : "病故";
	char date[11];
	snprintf(date, sizeof(date), "%.4s-%.2s-15", fallen.discharged, fallen.discharged + 5);
	if (rc == 0)
		rc = person_set_status(db, cli, fallen_id, "死亡", date, cause, 1, &e);
	make_person(rng, &kin, places, n_places, 999);
	snprintf(kin.categories, sizeof(kin.categories), "%s",
		 roll < 106   ? "烈士遗属"
		 : roll < 110 ? "因公牺牲军人遗属"
			      : "病故军人遗属");
	kin.enlisted[0] = kin.discharged[0] = kin.placement[0] = '\0';
	snprintf(kin.street, sizeof(kin.street), "%s", fallen.street);
	snprintf(kin.community, sizeof(kin.community), "%s", fallen.community);
	if (rc == 0)
		rc = save(db, cli, &kin, &kin_id);
	/* PERSON_RELATIONS: the fallen is the survivor's 子女 (2) or 配偶 (0). */
	const char *relation =
		vocab_name(PERSON_RELATIONS, kin.birth_year < fallen.birth_year - 15 ? 2 : 0);
	if (rc == 0)
		rc = person_link(db, cli, kin_id, fallen_id, relation, 1, &e);
	if (rc && e.n)
		fprintf(stderr, "vets: 演示数据有误：%s %s：%s\n", fallen.name, e.items[0].field,
			e.items[0].message);
	return rc;
}

/* The demo's people, one (or a fallen soldier and a relative) per bulk step. */
struct fill {
	struct principal cli;
	uint64_t rng;
	const struct place *places;
	size_t n_places;
	int count, i;
};

static int fill_step(struct db *db, void *ctx, int *done)
{
	struct fill *f = ctx;
	if (f->i >= f->count) {
		*done = 1;
		return 0;
	}
	int roll = (int)rng_below(&f->rng, 1000);
	if (roll >= 100 && roll < 116) {
		f->i += 2;
		return fallen_and_family(db, &f->cli, &f->rng, f->places, f->n_places, roll);
	}
	struct demo_person p;
	int64_t id;
	make_person(&f->rng, &p, f->places, f->n_places, roll);
	f->i++;
	return save(db, &f->cli, &p, &id);
}

/* The streets and communities of the region tree into places (at most 64 streets of
 * 8 communities); their number. */
static size_t read_places(struct db *db, struct place *places)
{
	json_t *tree = NULL;
	size_t n_places = 0, i, k;
	json_t *street, *community;
	if (region_tree(db, &tree) != 0)
		return 0;
	json_array_foreach(tree, i, street)
	{
		if (n_places == 64)
			break;
		struct place *p = &places[n_places++];
		memset(p, 0, sizeof(*p));
		str_copy(p->street, json_string_value(json_object_get(street, "name")),
			 sizeof(p->street));
		json_array_foreach(json_object_get(street, "communities"), k, community)
		{
			if (p->n < 8)
				str_copy(p->communities[p->n++],
					 json_string_value(json_object_get(community, "name")),
					 sizeof(p->communities[0]));
		}
	}
	json_decref(tree);
	return n_places;
}

int demo_people(struct db *db, unsigned long seed, int count)
{
	static struct place places[64];
	struct fill f = {.rng = seed * 7919u + 17u, .places = places, .count = count};
	account_cli_principal(&f.cli);
	f.n_places = read_places(db, places);
	if (!f.n_places)
		return VE_DB;
	return bulk_run(db, 2000, fill_step, &f);
}
