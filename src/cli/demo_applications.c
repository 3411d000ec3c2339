/* demo_applications.c - the demo counter's applications, 2023 to today: received at the
 * bureau's window over the demo catalogue, most with every material, some under 容缺受理
 * (supplied in time, or ended by the deadline job), a few corrected (补正), refused or
 * returned, most closed on time, a few late, and the recent ones still open (some overdue).
 * The mix follows the seed; no message is queued for the past. */
#include "demo_applications.h"
#include "areas/application.h"
#include "areas/calendar.h"
#include "areas/job.h"
#include "areas/service.h"
#include "lib/clock.h"
#include "lib/idcard.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_MONTH 30
#define MAX_ITEMS 128

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int pick(uint64_t *s, int n)
{
	return n > 0 ? (int)(next(s) % (uint64_t)n) : 0;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
				       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"建军", "国强", "志刚", "海波", "卫东", "红兵", "晓东",
				    "永华", "立新", "德明", "文军", "少华", "振宇", "俊杰",
				    "明亮", "春生", "光辉", "铁军", "家豪", "子轩"};

static void applicant(uint64_t *s, char name[32], char id[19], char phone[12])
{
	snprintf(name, 32, "%s%s", surnames[pick(s, 20)], given[pick(s, 20)]);
	char body[64];
	snprintf(body, sizeof(body), "420106%04d%02d%02d%03d", 1960 + pick(s, 45), 1 + pick(s, 12),
		 1 + pick(s, 28), 100 + pick(s, 900));
	memcpy(id, body, 17);
	id[17] = idcard_check_char(body);
	id[18] = '\0';
	snprintf(phone, 12, "139%08d", pick(s, 100000000));
}

struct catalogue {
	struct service_item items[MAX_ITEMS];
	int n;
};

static int load_catalogue(struct db *db, struct catalogue *c)
{
	json_t *list = NULL, *it;
	size_t i;
	c->n = 0;
	if (service_list(db, NULL, 0, &list) != 0)
		return 1;
	json_array_foreach(json_object_get(list, "items"), i, it)
	{
		if (c->n == MAX_ITEMS)
			break;
		const char *code = json_string_value(json_object_get(it, "code"));
		if (service_item_get(db, code, 0, &c->items[c->n]) == 0 &&
		    c->items[c->n].n_materials)
			c->n++;
	}
	json_decref(list);
	return c->n ? 0 : 1;
}

/* Receives one application on day; 0 and *id, *due, *supply (or "" when none missing). */
static int receive_one(struct db *db, const struct principal *clerk, uint64_t *s,
		       const struct service_item *item, const char *day, int partial, int64_t *id,
		       char due[11], char supply[11])
{
	const char *mats[SERVICE_MAX_MATERIALS];
	size_t n = 0;
	int dropped = 0;
	for (size_t k = 0; k < item->n_materials; k++) {
		if (partial && !dropped && !item->materials[k].essential) {
			dropped = 1;
			continue;
		}
		mats[n++] = item->materials[k].name;
	}
	char name[32], idn[19], phone[12], err[300];
	applicant(s, name, idn, phone);
	struct application_input in = {.service = item->code,
				       .name = name,
				       .id_number = idn,
				       .phone = phone,
				       .materials = mats,
				       .n_materials = n,
				       .promise = 1};
	struct field_errors fe = {0};
	json_t *out = NULL;
	int rc = application_receive_on(db, clerk, &in, day, 1, &fe, err, sizeof(err), &out);
	if (rc) {
		fprintf(stderr, "vets: 演示申请：%s\n", err[0] ? err : field_errors_first(&fe, ""));
		return rc;
	}
	*id = json_integer_value(json_object_get(out, "id"));
	str_copy(due, json_string_value(json_object_get(out, "due")), 11);
	const char *sb = json_string_value(json_object_get(out, "supply_by"));
	str_copy(supply, sb ? sb : "", 11);
	json_decref(out);
	return 0;
}

static int step(struct db *db, const struct principal *clerk, int64_t id,
		enum application_step_kind k, const char *note, const char *material,
		const char *day)
{
	struct application_step_input in = {.note = note, .material = material};
	struct field_errors fe = {0};
	char err[300] = "";
	int rc = application_step_on(db, clerk, id, k, &in, day, 1, &fe, err, sizeof(err));
	if (rc)
		fprintf(stderr, "vets: 演示办理：%s\n", err[0] ? err : field_errors_first(&fe, ""));
	return rc;
}

/* Supplies every missing material of id on day. */
static int supply_all(struct db *db, const struct principal *clerk, int64_t id, const char *day)
{
	json_t *a = NULL, *m;
	size_t i;
	if (application_get(db, clerk, id, &a) != 0)
		return 1;
	int rc = 0;
	json_array_foreach(json_object_get(a, "missing"), i, m) if (!rc) rc =
		step(db, clerk, id, STEP_SUPPLY, NULL, json_string_value(m), day);
	json_decref(a);
	return rc;
}

/* What became of one application received on day (today is the demo's today). */
static int outcome(struct db *db, const struct principal *clerk, uint64_t *s,
		   const struct service_item *item, int64_t id, const char *day, const char *due,
		   const char *supply, const char *today)
{
	char on[11], later[11];
	int r = pick(s, 100);
	if (supply[0]) {
		if (r < 12)
			return 0; /* never supplied: the deadline job ends it */
		if (calendar_due(db, day, 1 + pick(s, 3), on, NULL) || strcmp(on, supply) > 0)
			str_copy(on, supply, sizeof(on));
		if (strcmp(on, today) > 0)
			return 0;
		if (supply_all(db, clerk, id, on))
			return 1;
		r = pick(s, 100);
	}
	if (calendar_due(db, day, 1 + pick(s, item->time_limit_days), on, NULL))
		return 1;
	if (r < 4)
		return strcmp(on, today) > 0
			       ? 0
			       : step(db, clerk, id, STEP_REFUSE, "经审核不符合受理条件", NULL, on);
	if (r < 6)
		return strcmp(on, today) > 0
			       ? 0
			       : step(db, clerk, id, STEP_RETURN, "申请人申请撤回", NULL, on);
	if (r < 12 && strcmp(on, today) <= 0) {
		if (step(db, clerk, id, STEP_CORRECT, "材料信息不一致，请提供更正后的证明", NULL,
			 on))
			return 1;
		if (calendar_due(db, on, 2 + pick(s, 4), later, NULL) || strcmp(later, today) > 0)
			return 0; /* still waiting for the applicant */
		if (step(db, clerk, id, STEP_RESUME, NULL, NULL, later))
			return 1;
		str_copy(on, later, sizeof(on));
		if (calendar_due(db, on, 1 + pick(s, 3), on, NULL))
			return 1;
	}
	if (r >= 94 && calendar_due(db, due, 1 + pick(s, 5), on, NULL))
		return 1; /* a few late */
	if (r >= 97 && strncmp(day, "2026", 4) == 0)
		return 0; /* left open: some overdue in 2026 */
	if (strcmp(on, today) > 0)
		return 0;
	return step(db, clerk, id, STEP_CLOSE, NULL, NULL, on);
}

int demo_applications(struct db *db, unsigned long seed, const struct principal *clerk)
{
	static struct catalogue cat;
	if (load_catalogue(db, &cat))
		return fprintf(stderr, "vets: 演示申请：没有服务事项\n"), 1;
	uint64_t s = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0x2545F4914F6CDD1DULL);
	if (!s)
		s = 1;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	for (int y = 2023; y <= 2026; y++)
		for (int m = 1; m <= 12; m++)
			for (int i = 0; i < PER_MONTH; i++) {
				char day[24];
				int is = 0;
				snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m,
					 1 + pick(&s, 28));
				if (strcmp(day, today) >= 0)
					continue;
				if (calendar_is_workday(db, day, &is, NULL) || !is)
					continue;
				const struct service_item *item = &cat.items[pick(&s, cat.n)];
				int optional = 0;
				for (size_t k = 0; k < item->n_materials; k++)
					optional += !item->materials[k].essential;
				int partial = optional && pick(&s, 100) < 20;
				int64_t id;
				char due[11], supply[11];
				if (receive_one(db, clerk, &s, item, day, partial, &id, due,
						supply) ||
				    outcome(db, clerk, &s, item, id, day, due, supply, today))
					return 1;
			}
	/* what the daily job would have done by today: end the 容缺 ones never supplied, flag the
	 * overdue */
	struct principal system;
	job_principal(&system);
	int64_t ended, flagged;
	if (application_deadlines(db, &system, today, 0, 1, &ended, &flagged))
		return fprintf(stderr, "vets: 演示申请：期限检查失败\n"), 1;
	return 0;
}
