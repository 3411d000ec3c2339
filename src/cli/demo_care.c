/* demo_care.c - the demo's 关爱帮扶: a regular-contact list kept since 2022 with its
 * contacts (a few lapses, flagged overdue), temporary visits to people in difficulty, each
 * year's 春节 campaign over the district and 八一 campaigns street by street with their
 * visits, and the 光荣牌 hung. Every record goes through the area's checks (care_record_many,
 * one transaction); the campaigns are created as a clerk would.
 *
 * 2023 is the year of the bureau's report: 62 people contacted, 59 people visited in
 * difficulty and 1,496 holiday visits (人次) — the 春节 list visited whole, then the 八一 lists
 * of the streets in turn until the count is reached (the last street's leaving some due). */
#include "demo_care.h"
#include "demo_people.h"
#include "areas/calendar.h"
#include "areas/care.h"
#include "areas/person.h"
#include "areas/region.h"
#include "lib/clock.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 2023 figures of the report. */
enum { REGULAR_2023 = 62, TEMPORARY_2023 = 59, HOLIDAY_2023 = 1496 };

/* One record's texts, kept until all are saved. */
struct item {
	enum care_record_kind kind;
	int64_t person, campaign;
	int months;
	char on[11], kind_name[16], visitors[64], money[16], goods[64], note[64];
};

struct batch {
	struct item *items;
	size_t n, cap;
	char today[11];
	uint64_t rng;
};

static struct item *push(struct batch *b, enum care_record_kind kind, int64_t person,
			 const char *on)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct item *p = realloc(b->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		b->items = p;
		b->cap = cap;
	}
	struct item *it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->person = person;
	str_copy(it->on, on, sizeof(it->on));
	return it;
}

static int pick(uint64_t *rng, int n)
{
	return (int)(demo_rng_next(rng) % (uint64_t)n);
}

static void day_plus(const char *day, int n, char out[11])
{
	int32_t d = 0;
	calendar_day_number(day, &d);
	calendar_day_text(d + n, out);
}

static int save(struct db *db, const struct principal *clerk, struct batch *b)
{
	struct care_record *recs = calloc(b->n ? b->n : 1, sizeof(*recs));
	if (!recs)
		return 1;
	static const char *const visitors[] = {"刘洋、街道服务站", "区退役军人事务局、社区书记",
					       "服务站站长、网格员"};
	for (size_t i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		struct care_record *r = &recs[i];
		r->kind = it->kind;
		r->plan.person_id = it->person;
		switch (it->kind) {
		case CARE_REC_PLAN:
			r->plan.frequency = care_frequency_title(it->months);
			r->plan.since = it->on;
			r->plan.contact_person = it->visitors;
			r->plan.reason = it->note;
			break;
		case CARE_REC_CONTACT:
			r->contact.on = it->on;
			r->contact.method = care_methods[it->months % 3];
			r->contact.by_name = it->visitors;
			r->contact.note = it->note;
			break;
		case CARE_REC_VISIT:
			r->visit.person_id = it->person;
			r->visit.kind = it->kind_name;
			r->visit.campaign_id = it->campaign;
			r->visit.on = it->on;
			r->visit.visitors = it->visitors[0] ? it->visitors : visitors[i % 3];
			r->visit.money = it->money;
			r->visit.goods = it->goods;
			r->visit.note = it->note;
			break;
		case CARE_REC_PLAQUE:
			r->plaque_on = it->on;
			break;
		}
	}
	char err[512] = "";
	int rc = care_record_many(db, clerk, recs, b->n, err, sizeof(err));
	free(recs);
	b->n = 0;
	if (rc)
		fprintf(stderr, "vets: 生成演示关爱帮扶数据失败：%s\n", err);
	return rc ? 1 : 0;
}

/* The ids of up to max people of the categories (bits) in clerk's scope, from the start. */
static size_t people(struct db *db, const struct principal *clerk, uint32_t cats, int64_t *ids,
		     size_t max)
{
	size_t n = 0;
	int64_t after = 0;
	while (n < max) {
		json_t *a = NULL;
		if (care_people(db, clerk, cats, "", after, 500, &a) != 0)
			break;
		size_t i;
		json_t *p;
		json_array_foreach(a, i, p)
		{
			if (n < max)
				ids[n++] = json_integer_value(json_object_get(p, "id"));
			after = json_integer_value(json_object_get(p, "id"));
		}
		size_t got = json_array_size(a);
		json_decref(a);
		if (got < 500)
			break;
	}
	return n;
}

/* ---- the regular-contact list ---- */

static void plans(struct batch *b, const int64_t *ids, size_t n)
{
	static const char *const reasons[] = {"高龄独居", "伤残等级较高", "家庭经济困难",
					      "重点优抚对象", "烈属"};
	static const int freq[] = {1, 3, 3, 6};
	for (size_t i = 0; i < n && i < 90; i++) {
		char since[11];
		int months = freq[i % 4];
		/* 0-61: on the list since 2022; 62-69: since December 2023 (first due in 2024);
		 * 70-89: joined in 2024 and 2025 */
		if (i < REGULAR_2023)
			day_plus("2022-06-01", (int)(i * 3), since);
		else if (i < 70)
			day_plus("2023-12-01", (int)(i - 62) * 3, since);
		else
			day_plus("2024-02-01", (int)(i - 70) * 31, since);
		if (strcmp(since, b->today) > 0)
			break;
		struct item *it = push(b, CARE_REC_PLAN, ids[i], since);
		if (!it)
			return;
		it->months = months;
		snprintf(it->visitors, sizeof(it->visitors), "网格员%zu号", i % 9 + 1);
		snprintf(it->note, sizeof(it->note), "%s", reasons[i % 5]);
		/* contacts, a little before each due day, up to today; a few lapse */
		char day[11], due[11];
		str_copy(day, since, sizeof(day));
		for (int k = 0; k < 200; k++) {
			care_due_after(day, months, due);
			char next[11];
			day_plus(due, -(int)(3 + pick(&b->rng, 20)), next);
			if (strcmp(next, day) <= 0)
				day_plus(day, 1, next);
			str_copy(day, next, sizeof(day));
			if (strcmp(day, b->today) > 0)
				break;
			/* three monthly contacts lapse from October to December 2023 (overdue at the
			 * year's end) and two from July 2026 on */
			int lapse23 = (i == 4 || i == 16 || i == 32) && strcmp(day, "2023-09-30") > 0 &&
				      strcmp(day, "2024-01-01") < 0;
			int lapse26 = (i == 8 || i == 20) && strcmp(day, "2026-06-30") > 0;
			if (lapse23 || lapse26)
				continue;
			struct item *c = push(b, CARE_REC_CONTACT, ids[i], day);
			if (!c)
				return;
			c->months = pick(&b->rng, 3);
			snprintf(c->visitors, sizeof(c->visitors), "网格员%zu号", i % 9 + 1);
			static const char *const notes[] = {"身体状况良好", "反映就医需求，已转街道",
							    "家中无特殊困难", "了解子女就业情况"};
			snprintf(c->note, sizeof(c->note), "%s", notes[pick(&b->rng, 4)]);
		}
	}
}

/* ---- temporary visits ---- */

static void temporary(struct batch *b, const int64_t *ids, size_t n)
{
	static const int years[] = {2023, 2024, 2025, 2026};
	static const int people_of[] = {TEMPORARY_2023, 64, 57, 48};
	static const char *const goods[] = {"米、油", "慰问品一份", "药品", ""};
	size_t base = 0;
	for (int y = 0; y < 4; y++) {
		for (int i = 0; i < people_of[y] && base + (size_t)i < n; i++) {
			int visits = i % 6 == 0 ? 2 : 1;
			for (int v = 0; v < visits; v++) {
				char start[11], day[11];
				snprintf(start, sizeof(start), "%d-01-03", years[y]);
				day_plus(start, (i * 6 + v * 97) % 355, day);
				if (strcmp(day, b->today) > 0)
					continue;
				struct item *it = push(b, CARE_REC_VISIT, ids[base + (size_t)i], day);
				if (!it)
					return;
				str_copy(it->kind_name, CARE_TEMPORARY, sizeof(it->kind_name));
				snprintf(it->money, sizeof(it->money), "%d", 500 + 100 * pick(&b->rng, 11));
				snprintf(it->goods, sizeof(it->goods), "%s", goods[pick(&b->rng, 4)]);
				snprintf(it->note, sizeof(it->note), "%s",
					 v ? "回访，困难已缓解" : "因病致困，了解需求并送慰问金");
			}
		}
		base += 40; /* some people are visited again the next year */
	}
}

/* ---- campaigns ---- */

/* The listed people of campaign id (due ones first, in the list's order) into ids. */
static size_t campaign_people(struct db *db, const struct principal *clerk, int64_t id,
			      int64_t *ids, size_t max)
{
	size_t n = 0;
	for (int64_t page = 1; n < max; page++) {
		json_t *c = NULL;
		if (care_campaign_get(db, clerk, id, "due", page, 500, &c) != 0)
			break;
		json_t *people = json_object_get(c, "people"), *p;
		size_t i;
		json_array_foreach(people, i, p) if (n < max) ids[n++] =
			json_integer_value(json_object_get(p, "person_id"));
		size_t got = json_array_size(people);
		json_decref(c);
		if (got < 500)
			break;
	}
	return n;
}

static int campaign(struct db *db, const struct principal *clerk, const char *title,
		    const char *holiday, const char *starts, const char *ends, uint32_t cats,
		    const char *street, int64_t *id, int64_t *listed)
{
	struct care_campaign_in in = {title, holiday, starts, ends, cats, street};
	struct field_errors fe = {0};
	char err[256] = "";
	if (care_campaign_create(db, clerk, &in, id, &fe, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 演示慰问活动“%s”未能新建：%s\n", title, err);
		return 1;
	}
	json_t *c = NULL;
	if (care_campaign_get(db, clerk, *id, "all", 1, 1, &c) != 0)
		return 1;
	*listed = json_integer_value(json_object_get(c, "listed"));
	json_decref(c);
	return 0;
}

/* Visits of up to count listed people of campaign id, dated from starts over span days. */
static int64_t visit_list(struct db *db, const struct principal *clerk, struct batch *b,
			  int64_t id, const char *kind, const char *starts, int span, int64_t count,
			  int64_t *buf, size_t max)
{
	size_t n = campaign_people(db, clerk, id, buf, max);
	int64_t done = 0;
	for (size_t i = 0; i < n && done < count; i++) {
		char day[11];
		day_plus(starts, (int)(i % (size_t)span), day);
		if (strcmp(day, b->today) > 0)
			continue;
		struct item *it = push(b, CARE_REC_VISIT, buf[i], day);
		if (!it)
			break;
		it->campaign = id;
		str_copy(it->kind_name, kind, sizeof(it->kind_name));
		snprintf(it->money, sizeof(it->money), "%d", i % 3 == 0 ? 800 : 500);
		snprintf(it->goods, sizeof(it->goods), "%s",
			 strcmp(kind, CARE_SPRING) == 0 ? "春联、米、油" : "慰问品一份");
		done++;
	}
	return done;
}

static int holidays(struct db *db, const struct principal *clerk, struct batch *b)
{
	uint32_t spring_cats = (1u << CAT_MARTYR_FAMILY) | (1u << CAT_DUTY_FAMILY) |
			       (1u << CAT_ILLNESS_FAMILY) | (1u << CAT_MARTYR_CHILD) |
			       (1u << CAT_DISABLED) | (1u << CAT_DEMOBILIZED) |
			       (1u << CAT_SICK_RETURNED);
	uint32_t august_cats = 0;
	for (int i = 0; i < CARE_N_HOLIDAY_CATEGORIES; i++)
		august_cats |= 1u << care_holiday_categories[i];
	json_t *streets = region_street_choices(db, clerk, "");
	size_t max = 30000;
	int64_t *buf = malloc(max * sizeof(*buf));
	if (!buf) {
		json_decref(streets);
		return 1;
	}
	int rc = 0;
	/* the 八一 share of each year's target: 2023 exact, the others near it */
	static const int years[] = {2023, 2024, 2025, 2026};
	static const int targets[] = {HOLIDAY_2023, 1532, 1478, 1561};
	for (int y = 0; y < 4 && !rc; y++) {
		char title[64], starts[11], ends[11];
		int64_t id = 0, listed = 0;
		snprintf(starts, sizeof(starts), "%d-01-08", years[y]);
		snprintf(ends, sizeof(ends), "%d-02-08", years[y]);
		if (strcmp(starts, b->today) > 0)
			break;
		snprintf(title, sizeof(title), "%d 年春节走访慰问", years[y]);
		if ((rc = campaign(db, clerk, title, "春节", starts, ends, spring_cats, "", &id,
				   &listed)) != 0)
			break;
		/* 2023's list is visited whole; later years miss a few */
		int64_t want = y == 0 ? listed : listed - listed / 40;
		if (want > targets[y])
			want = targets[y];
		int64_t done = visit_list(db, clerk, b, id, CARE_SPRING, starts, 14, want, buf, max);
		int64_t rest = targets[y] - done;
		snprintf(starts, sizeof(starts), "%d-07-20", years[y]);
		snprintf(ends, sizeof(ends), "%d-08-05", years[y]);
		for (size_t s = 0; s < json_array_size(streets) && rest > 0 && !rc; s++) {
			if (strcmp(starts, b->today) > 0)
				break;
			json_t *st = json_array_get(streets, s);
			snprintf(title, sizeof(title), "%d 年八一慰问（%s）", years[y],
				 json_string_value(json_object_get(st, "name")));
			if ((rc = campaign(db, clerk, title, "八一", starts, ends, august_cats,
					   json_string_value(json_object_get(st, "code")), &id,
					   &listed)) != 0)
				break;
			rest -= visit_list(db, clerk, b, id, CARE_AUGUST, starts, 12, rest, buf, max);
		}
		if (!rc && y == 0 && rest != 0) {
			fprintf(stderr, "vets: 演示人员中的优抚对象不足以生成 2023 年节日慰问\n");
			rc = 1;
		}
		if (!rc)
			rc = save(db, clerk, b);
	}
	free(buf);
	json_decref(streets);
	return rc;
}

/* ---- 光荣牌 ---- */

static void plaques(struct batch *b, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n && i < 300; i++) {
		char day[11];
		day_plus("2023-03-01", (int)(i * 4), day);
		if (strcmp(day, b->today) > 0)
			break;
		push(b, CARE_REC_PLAQUE, ids[i], day);
	}
}

int demo_care(struct db *db, unsigned long seed, const struct principal *clerk)
{
	struct batch b = {0};
	str_copy(b.today, clock_today_text(), sizeof(b.today));
	b.rng = (uint64_t)seed * 7919u + 52;
	size_t max = 400;
	int64_t *ids = malloc(max * sizeof(*ids));
	if (!ids)
		return 1;
	int rc = 1;
	/* the regular-contact list: the elderly and disabled among the 优抚对象 */
	uint32_t listed = (1u << CAT_DISABLED) | (1u << CAT_DEMOBILIZED) |
			  (1u << CAT_SICK_RETURNED) | (1u << CAT_MARTYR_FAMILY) |
			  (1u << CAT_ILLNESS_FAMILY);
	size_t n = people(db, clerk, listed, ids, 90);
	if (n < 70) {
		fprintf(stderr, "vets: 演示人员中的优抚对象不足以生成常态化联系名单\n");
		goto out;
	}
	plans(&b, ids, n);
	/* temporary visits: veterans of any category, from the 200th on */
	n = people(db, clerk, 0, ids, max);
	if (n < 300) {
		fprintf(stderr, "vets: 演示人员不足以生成困难走访\n");
		goto out;
	}
	temporary(&b, ids + 100, n - 100);
	/* 光荣牌: families of serving soldiers */
	n = people(db, clerk, 1u << CAT_MILITARY_FAMILY, ids, 300);
	plaques(&b, ids, n);
	if (save(db, clerk, &b) != 0)
		goto out;
	rc = holidays(db, clerk, &b);
out:
	free(ids);
	free(b.items);
	return rc;
}
