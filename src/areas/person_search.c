/* person_search.c - finding people in the registry: lists with filters and sorting, the
 * look-ups by a whole 身份证号 or phone number (blind indexes, counted and audited), by
 * the last four characters or the first six digits of a 身份证号 (blind indexes of their
 * own, audited), and the export of a list. */
#include "person.h"
#include "person_record.h"
#include "person_seal.h"
#include "audit.h"
#include "region.h"
#include "sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The birth date (YYYY-MM-DD) of someone who turns years old today. */
static void born_years_ago(int years, char out[11])
{
	unsigned today = (unsigned)person_today();
	unsigned y = (today / 10000 - (unsigned)years) % 10000, md = today % 10000;
	if (md == 229)
		md = 228;
	snprintf(out, 11, "%04u-%02u-%02u", y, md / 100 % 100, md % 100);
}

/* The filters of a list, bound as LIST_FMT / LIST_ARGS. The lead term is the one
 * that picks the rows through an index: a street or community as an indexed equality,
 * part of a name as a look-up of its first two characters in person_name_grams
 * (whose rows come in person order), or nothing (LEAD_ANY binds its value and ignores
 * it), so that one argument list fits every variant. The grams are joined to persons
 * with CROSS JOIN, which keeps SQLite from reordering the two (PostgreSQL takes no ON
 * after it: the join's condition is in the lead term). */
#define FROM_PERSONS "persons p"
#define FROM_GRAMS "person_name_grams g CROSS JOIN persons p"
#define LEAD_ANY "(? IS NULL OR TRUE)"
#define LEAD_STREET "p.street_code = ?"
#define LEAD_COMMUNITY "p.community_code = ?"
#define LEAD_NAME "g.gram = ? AND p.id = g.person_id"
#define LEAD_LAST4 "p.id_last4_bidx = ?"
#define LEAD_FIRST6 "p.id_first6_bidx = ?"
#define LIST_WHERE(lead)                                                                           \
	" WHERE " lead " AND " SCOPE_REGION_SQL(                                                   \
		"p.region_code",                                                                   \
		"p.created_by") " AND (? = '' OR p.id_bidx = ? OR p.phone_bidx = ? OR "            \
				"p.id_last4_bidx = ? OR p.id_first6_bidx = ? OR "                  \
				"instr(p.name, ?) > 0) AND "                                       \
				"(? = '' OR EXISTS (SELECT 1 FROM person_identities i WHERE "      \
				"i.person_id = p.id AND "                                          \
				"i.category = ?)) AND (? = '' OR p.street_code = ?) AND (? = '' "  \
				"OR "                                                              \
				"p.community_code = ?) AND (? = '' OR p.status = ?) AND (? = '' "  \
				"OR p.birth_date <= ?) "                                           \
				"AND (? = '' OR p.birth_date > ?)"
#define LIST_FROM(from, lead)                                                                      \
	" FROM " from " LEFT JOIN regions s ON s.code = p.street_code "                            \
	"LEFT JOIN regions c ON c.code = p.community_code" LIST_WHERE(lead)
/* A person's categories, in the order of their names (the order SQLite reads them in
 * from the unique index), whichever backend. */
#define CATEGORIES_SQL                                                                             \
	"(SELECT group_concat(category, '、') FROM (SELECT i.category FROM "                      \
	"person_identities i WHERE i.person_id = p.id ORDER BY i.category) AS ic)"
#define LIST_SELECT(from, lead)                                                                    \
	"SELECT p.id, p.name, p.id_mask, p.sex, p.birth_date, coalesce(s.name, ''), "              \
	"coalesce(c.name, ''), p.status, " CATEGORIES_SQL LIST_FROM(from, lead)
#define LIST_PAGE " LIMIT ? OFFSET ?"
/* The statements of one query, by lead term (see list_lead). order(id) is the query's
 * end given the id column: the grams' person_id, which comes in order, for a name. */
enum {
	LEAD_BY_NOTHING,
	LEAD_BY_STREET,
	LEAD_BY_COMMUNITY,
	LEAD_BY_NAME,
	LEAD_BY_LAST4,
	LEAD_BY_FIRST6,
	LEADS
};
#define BY_LEAD(prefix, order)                                                                     \
	{                                                                                          \
		prefix(FROM_PERSONS, LEAD_ANY) order("p.id"),                                      \
			prefix(FROM_PERSONS, LEAD_STREET) order("p.id"),                           \
			prefix(FROM_PERSONS, LEAD_COMMUNITY) order("p.id"),                        \
			prefix(FROM_GRAMS, LEAD_NAME) order("g.person_id"),                        \
			prefix(FROM_PERSONS, LEAD_LAST4) order("p.id"),                            \
			prefix(FROM_PERSONS, LEAD_FIRST6) order("p.id")                            \
	}
#define BY_ID(id) " ORDER BY " id LIST_PAGE
#define BY_ID_DESC(id) " ORDER BY " id " DESC" LIST_PAGE
#define BY_NAME(id) " ORDER BY p.name, " id LIST_PAGE
#define BY_NAME_DESC(id) " ORDER BY p.name DESC, " id LIST_PAGE
/* By age in whole years as of today (bound before the page), then by id: an order by
 * birth date would tell whose birthday comes first, and so narrow the birth date. */
#define AGE_SQL "((? - CAST(replace(p.birth_date, '-', '') AS INTEGER)) / 10000)"
#define BY_AGE(id) " ORDER BY " AGE_SQL ", " id LIST_PAGE
#define BY_AGE_DESC(id) " ORDER BY " AGE_SQL " DESC, " id LIST_PAGE
#define UNORDERED(id) ""
#define IN_ORDER(id) " ORDER BY " id

static const struct {
	const char *name, *sql[LEADS];
	int binds_today; /* the order binds today (YYYYMMDD) before the page */
} list_orders[] = {
	{"id", BY_LEAD(LIST_SELECT, BY_ID), 0},
	{"-id", BY_LEAD(LIST_SELECT, BY_ID_DESC), 0},
	{"name", BY_LEAD(LIST_SELECT, BY_NAME), 0},
	{"-name", BY_LEAD(LIST_SELECT, BY_NAME_DESC), 0},
	{"age", BY_LEAD(LIST_SELECT, BY_AGE), 1},
	{"-age", BY_LEAD(LIST_SELECT, BY_AGE_DESC), 1},
};
/* The count needs no region names: no joins. */
#define COUNT_PREFIX(from, lead) "SELECT count(*) FROM " from LIST_WHERE(lead)
static const char *const count_sql[LEADS] = BY_LEAD(COUNT_PREFIX, UNORDERED);
#define EXPORT_PREFIX(from, lead) "SELECT p.id" LIST_FROM(from, lead)
static const char *const export_sql[LEADS] = BY_LEAD(EXPORT_PREFIX, IN_ORDER);
/* A list filtered by no more than scope, street, community and status is counted from
 * the kept counts (person_counts) instead; not for 仅本人, which counts by owner. */
#define KEPT_COUNT_SQL                                                                             \
	"SELECT coalesce(sum(n), 0) FROM person_counts p WHERE " SCOPE_REGION_SQL(                 \
		"p.region_code", "0") " AND (? = '' OR p.street_code = ?) AND (? = '' OR "         \
				      "p.community_code = ?) AND (? = '' OR p.status = ?)"

/* The bound values of LIST_FROM's conditions, computed from f and by's scope. */
struct list_args {
	char q_tidy[160]; /* the term as typed, tidied (str_tidy) */
	char q_name[160], q_bidx[2 * SM3_LEN + 1], q_phone[2 * SM3_LEN + 1];
	char q_last4[2 * SM3_LEN + 1], q_first6[2 * SM3_LEN + 1]; /* parts of a 身份证号 */
	char born_before[11], born_after[11], gram[16];
	const char *q, *category, *street, *community, *status;
	int lead;               /* LEAD_BY_* */
	const char *lead_value; /* bound to the lead term */
};

/* The first two characters of a name query: its key in person_name_grams. */
static void first_gram(const char *q, char out[16])
{
	size_t n = 0;
	for (int chars = 0; q[n] && chars < 2; chars++)
		do
			n++;
		while (((unsigned char)q[n] & 0xC0) == 0x80);
	snprintf(out, 16, "%.*s", (int)n, q);
}

/* Picks the lead term: the last four characters of a 身份证号 (a few people), else a
 * community filter, else part of a name, else a street filter, else the street or
 * community a station's scope stops at (the scope condition alone is no index range),
 * else the first six digits of a 身份证号. */
static void list_lead(const struct principal *by, struct list_args *a)
{
	size_t own = strlen(by->region_code);
	int regional = by->scope.kind == SCOPE_ORG_TREE || by->scope.kind == SCOPE_ORG;
	a->lead = LEAD_BY_NOTHING;
	a->lead_value = "";
	if (a->q_last4[0]) { /* a few people in a district: the narrowest */
		a->lead = LEAD_BY_LAST4;
		a->lead_value = a->q_last4;
	} else if (a->community[0]) {
		a->lead = LEAD_BY_COMMUNITY;
		a->lead_value = a->community;
	} else if (a->q_name[0]) {
		first_gram(a->q_name, a->gram);
		a->lead = LEAD_BY_NAME;
		a->lead_value = a->gram;
	} else if (a->street[0]) {
		a->lead = LEAD_BY_STREET;
		a->lead_value = a->street;
	} else if (regional && (own == 9 || own == 12)) {
		a->lead = own == 9 ? LEAD_BY_STREET : LEAD_BY_COMMUNITY;
		a->lead_value = by->region_code;
	} else if (a->q_first6[0]) { /* most of a district shares a few region codes */
		a->lead = LEAD_BY_FIRST6;
		a->lead_value = a->q_first6;
	}
}

/* The term as counter staff type it: spaces around it go (full-width ones too), inner runs
 * become one; a number typed in groups ("4201 0619 …") loses them; a lower-case x of a
 * 身份证号's check character is read as X. Into out (160 bytes). */
static void tidy_term(const char *q, char out[160])
{
	str_copy(out, q ? q : "", 160);
	size_t n = str_tidy(out, STR_TIDY_COLLAPSE);
	if (strspn(out, "0123456789Xx- ") == n) {
		n = str_tidy(out, STR_TIDY_REMOVE);
		if (n && (out[n - 1] == 'x'))
			out[n - 1] = 'X';
	}
}

/* 1 when q is the last four characters of a 身份证号: three digits and a digit or X. */
static int is_last4(const char *q)
{
	return strlen(q) == 4 && strspn(q, "0123456789") >= 3 &&
	       strspn(q, "0123456789") + (q[3] == 'X') == 4;
}

/* 1 when q is the first six digits of a 身份证号 (its region code). */
static int is_first6(const char *q)
{
	return strlen(q) == 6 && strspn(q, "0123456789") == 6;
}

static void list_args(const struct principal *by, const struct person_filter *f,
		      struct list_args *a)
{
	memset(a, 0, sizeof(*a));
	tidy_term(f->q, a->q_tidy);
	a->q = a->q_tidy;
	a->category = f->category ? f->category : "";
	a->street = f->street ? f->street : "";
	a->community = f->community ? f->community : "";
	a->status = f->status ? f->status : "";
	struct idcard card;
	char why[160];
	/* A whole ID or phone number is found by its blind index; anything else by name. */
	if (idcard_parse(a->q, 99991231, &card, why, sizeof(why)) == 0)
		person_index_id(card.number, a->q_bidx);
	else if (strlen(a->q) >= 7 && strspn(a->q, "0123456789-") == strlen(a->q))
		person_index_phone(a->q, a->q_phone);
	else if (is_last4(a->q))
		person_index_last4(a->q, a->q_last4);
	else if (is_first6(a->q))
		person_index_first6(a->q, a->q_first6);
	else
		str_copy(a->q_name, a->q, sizeof(a->q_name));
	if (f->age_min > 0)
		born_years_ago(f->age_min, a->born_before);
	if (f->age_max > 0)
		born_years_ago(f->age_max + 1, a->born_after);
	list_lead(by, a);
}

/* 1 when a's count can come from the kept counts (see KEPT_COUNT_SQL). */
static int count_is_kept(const struct principal *by, const struct list_args *a)
{
	return !a->q[0] && !a->category[0] && !a->born_before[0] && !a->born_after[0] &&
	       by->scope.kind != SCOPE_SELF;
}

#define LIST_FMT "s" SCOPE_REGION_FMT "ssssssssssssssssss"
#define LIST_ARGS(by, a)                                                                           \
	(a)->lead_value, SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code), (a)->q, (a)->q_bidx,  \
		(a)->q_phone, (a)->q_last4, (a)->q_first6,                                         \
		(a)->q_name[0] ? (a)->q_name : "\x01", (a)->category, (a)->category,               \
		(a)->street, (a)->street, (a)->community, (a)->community, (a)->status,             \
		(a)->status, (a)->born_before, (a)->born_before, (a)->born_after, (a)->born_after
#define KEPT_COUNT_FMT SCOPE_REGION_FMT "ssssss"
#define KEPT_COUNT_ARGS(by, a)                                                                     \
	SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code), (a)->street, (a)->street,              \
		(a)->community, (a)->community, (a)->status, (a)->status

static json_t *list_item(struct db_stmt *st)
{
	json_t *cats = json_array();
	const char *list = db_text(st, 8);
	char buf[512];
	str_copy(buf, list ? list : "", sizeof(buf));
	for (char *p = buf, *next; p && *p; p = next) {
		next = strstr(p, "、");
		if (next) {
			*next = '\0';
			next += strlen("、");
		}
		json_array_append_new(cats, json_string(p));
	}
	/* Age, never the birth date: beside the masked number it would complete it. */
	return json_pack("{s:I,s:s,s:s,s:s,s:i,s:o,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
			 "name", db_text(st, 1), "id_number", db_text(st, 2), "sex",
			 db_text(st, 3), "age", person_age_of(db_text(st, 4)), "categories", cats,
			 "street", db_text(st, 5), "community", db_text(st, 6), "status",
			 db_text(st, 7));
}

/* A whole ID or phone number names at most a few people: found through the blind
 * indexes alone (both indexed, so SQLite unions two index lookups), whatever the
 * other filters say. */
#define EXACT_SQL                                                                                  \
	"SELECT p.id, p.name, p.id_mask, p.sex, p.birth_date, coalesce(s.name, ''), "              \
	"coalesce(c.name, ''), p.status, " CATEGORIES_SQL " FROM persons p "                       \
	"LEFT JOIN regions s ON s.code = p.street_code LEFT JOIN regions c ON c.code = "           \
	"p.community_code WHERE (p.id_bidx = ? OR p.phone_bidx = ?) AND " SCOPE_REGION_SQL(        \
		"p.region_code", "p.created_by") " ORDER BY p.id LIMIT 200"

/* Runs st (NULL: a failed prepare) to its end: the list items, or NULL on an error. */
static json_t *list_items(struct db_stmt *st)
{
	if (!st)
		return NULL;
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, list_item(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}

static int exact_list(struct db *db, const struct principal *by, const struct list_args *a,
		      json_t **out)
{
	json_t *items = list_items(db_q(db, EXACT_SQL, "ss" SCOPE_REGION_FMT, a->q_bidx, a->q_phone,
					SCOPE_REGION_ARGS(&by->scope, by->region_code)));
	if (!items)
		return VE_DB;
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

/* The search term of a, masked as lists show it: a whole number is never written down. */
static void masked_term(const struct list_args *a, char out[160])
{
	struct idcard card;
	char why[160];
	if (a->q_bidx[0] && idcard_parse(a->q, 99991231, &card, why, sizeof(why)) == 0)
		idcard_mask(card.number, out);
	else if (a->q_phone[0])
		sealed_mask(a->q, 3, 4, out, 160);
	else
		str_copy(out, a->q, 160);
	mem_wipe(&card, sizeof(card));
}

/* Epoch seconds of today's midnight, Beijing time. */
static int64_t today_start(void)
{
	int64_t local = clock_now() + 8 * 3600;
	return local - local % 86400 - 8 * 3600;
}

int person_audit_full_search(struct db *db, const struct principal *by, const char *what,
			     const char *term, int in_tx)
{
	char detail[256];
	int64_t done = 0;
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = db_int_query(db, &done, 0,
			  "SELECT count(*) FROM audit_log WHERE action = 'person.search_full' "
			  "AND actor_id = ? AND at >= ? AND result = 'ok'",
			  "ii", by->user_id, today_start())
		     ? VE_DB
		     : 0;
	if (rc == 0 && done >= PERSON_FULL_SEARCHES_PER_DAY) {
		struct audit_actor who = account_actor(by);
		snprintf(detail, sizeof(detail), "按完整%s查询（%s）：今日已达 %d 次上限，已拒绝",
			 what, term, PERSON_FULL_SEARCHES_PER_DAY);
		rc = audit_write(db, &who, "person.search_full", "persons", "refused", detail)
			     ? VE_DB
			     : VE_QUOTA;
	} else if (rc == 0) {
		snprintf(detail, sizeof(detail), "按完整%s查询：%s（今日第 %lld 次）", what, term,
			 (long long)done + 1);
		rc = account_audit(db, by, "person.search_full", "persons", 0, detail);
	}
	/* A refusal is kept: its record counts as the day's evidence. */
	int kept = db_tx_end(db, in_tx, rc == VE_QUOTA ? 0 : rc);
	return kept ? kept : rc;
}

/* What a's term matched, in words for the result page: "身份证号后四位为 1234 的人员";
 * "" for no term. Whole numbers masked. */
static void matched_words(const struct list_args *a, char out[256])
{
	char term[160];
	masked_term(a, term);
	out[0] = '\0';
	if (!a->q[0])
		return;
	if (a->q_last4[0])
		snprintf(out, 256, "身份证号后四位为 %s 的人员", term);
	else if (a->q_first6[0])
		snprintf(out, 256, "身份证号前六位（地区码）为 %s 的人员", term);
	else if (a->q_bidx[0])
		snprintf(out, 256, "身份证号为 %s 的人员", term);
	else if (a->q_phone[0])
		snprintf(out, 256, "电话号码为 %s 的人员", term);
	else
		snprintf(out, 256, "姓名含“%s”的人员", term);
}

/* A search by a part of a 身份证号, audited: the part is what every list shows of the
 * masked number, so it confirms no hidden digit and is not counted against the day's
 * searches by whole numbers (PERSON_FULL_SEARCHES_PER_DAY); the record tells who looked
 * for whom. */
static int audit_part_search(struct db *db, const struct principal *by, const struct list_args *a)
{
	char detail[200];
	snprintf(detail, sizeof(detail), "按身份证号%s查询：%s",
		 a->q_last4[0] ? "后四位" : "前六位（地区码）", a->q);
	int rc = db_tx_begin(db, 0);
	if (rc == 0)
		rc = account_audit(db, by, "person.search_part", "persons", 0, detail);
	return db_tx_end(db, 0, rc) ? VE_DB : 0;
}

int person_search_audit(struct db *db, const struct principal *by, const struct person_filter *f)
{
	struct list_args a;
	char term[160];
	list_args(by, f, &a);
	if (a.q_last4[0] || a.q_first6[0])
		return audit_part_search(db, by, &a);
	if (!a.q_bidx[0] && !a.q_phone[0])
		return 0;
	masked_term(&a, term);
	return person_audit_full_search(db, by, a.q_bidx[0] ? "身份证号" : "电话号码", term, 0);
}

int person_list(struct db *db, const struct principal *by, const struct person_filter *f,
		json_t **out)
{
	struct list_args a;
	list_args(by, f, &a);
	char matched[256];
	matched_words(&a, matched);
	if (a.q_bidx[0] || a.q_phone[0]) {
		int rc = exact_list(db, by, &a, out);
		if (rc == 0)
			json_object_set_new(*out, "matched", json_string(matched));
		return rc;
	}
	int lead = a.lead;
	size_t order = 0;
	for (size_t i = 0; f->sort && i < sizeof(list_orders) / sizeof(list_orders[0]); i++)
		if (strcmp(f->sort, list_orders[i].name) == 0)
			order = i;
	const char *sql = list_orders[order].sql[lead];
	int64_t per_page = f->per_page < 1 ? 20 : f->per_page > 200 ? 200 : f->per_page;
	int64_t page = f->page < 1 ? 1 : f->page;
	int64_t total = 0;
	if (count_is_kept(by, &a)
		    ? db_int_query(db, &total, 0, KEPT_COUNT_SQL, KEPT_COUNT_FMT,
				   KEPT_COUNT_ARGS(by, &a))
		    : db_int_query(db, &total, 0, count_sql[lead], LIST_FMT, LIST_ARGS(by, &a)))
		return VE_DB;
	json_t *items = list_items(
		list_orders[order].binds_today
			? db_q(db, sql, LIST_FMT "iii", LIST_ARGS(by, &a), (int64_t)person_today(),
			       per_page, (page - 1) * per_page)
			: db_q(db, sql, LIST_FMT "ii", LIST_ARGS(by, &a), per_page,
			       (page - 1) * per_page));
	if (!items)
		return VE_DB;
	*out = json_pack("{s:I,s:o,s:s}", "total", (json_int_t)total, "items", items, "matched",
			 matched);
	return 0;
}

/* The export cells of r, in person_fields order, into bufs. */
static void export_cells(struct db *db, const struct person_record *r, int full,
			 char bufs[PERSON_FIELDS][PERSON_CELL], const char *cells[PERSON_FIELDS])
{
	for (int i = 0; i < PERSON_FIELDS; i++) {
		person_field_show(db, r, i, full, 0, bufs[i], PERSON_CELL);
		cells[i] = bufs[i];
	}
}

/* Appends "、label value" (the first without the 、) to out when value is not empty. */
static void describe_term(char *out, size_t size, const char *label, const char *value)
{
	size_t used = strlen(out);
	if (value && *value && used < size)
		snprintf(out + used, size - used, "%s%s %s", used ? "、" : "", label, value);
}

/* f in words for the audit trail, whole numbers masked: "街道 长青街道（420199002）、
 * 状态 在册", or "全部" for no filter. */
static void describe_filter(struct db *db, const struct person_filter *f,
			    const struct list_args *a, char *out, size_t size)
{
	char term[160], name[64], region[96];
	out[0] = '\0';
	masked_term(a, term);
	describe_term(out, size, "关键字", term);
	describe_term(out, size, "人员类别", a->category);
	for (int i = 0; i < 2; i++) {
		const char *code = i ? a->community : a->street;
		if (!*code)
			continue;
		region_name(db, code, name, sizeof(name));
		snprintf(region, sizeof(region), "%s（%s）", name[0] ? name : "未知", code);
		describe_term(out, size, i ? "社区" : "街道", region);
	}
	describe_term(out, size, "状态", a->status);
	if (f->age_min > 0 || f->age_max > 0) {
		char ages[48];
		snprintf(ages, sizeof(ages), "%d–%d 岁", f->age_min, f->age_max > 0 ? f->age_max : 150);
		describe_term(out, size, "年龄", ages);
	}
	if (!out[0])
		str_copy(out, "全部", size);
}

const char *const person_export_purposes[PERSON_EXPORT_N_PURPOSES] = {
	"发放核对", "上级报送", "信访核查", PERSON_EXPORT_OTHER};

int person_export_purpose(const char *choice, const char *text, char *out, size_t size,
			  struct field_errors *errs)
{
	int which = -1;
	for (int i = 0; choice && i < PERSON_EXPORT_N_PURPOSES; i++)
		if (strcmp(choice, person_export_purposes[i]) == 0)
			which = i;
	/* The words without the spaces around them. */
	char words[4 * PERSON_EXPORT_PURPOSE_MAX + 8] = "";
	const char *t = text ? text : "";
	while (*t == ' ' || *t == '\t')
		t++;
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	int too_long = n >= sizeof(words) || !utf8_valid(t, n) || !str_is_printable(t, n, 0) ||
		       utf8_count(t, n) > PERSON_EXPORT_PURPOSE_MAX;
	if (!too_long)
		memcpy(words, t, n), words[n] = '\0';
	if (which < 0)
		field_errors_add(errs, "导出用途", "请选择导出用途");
	if (too_long)
		field_errors_add(errs, "用途说明", "用途说明不能超过 %d 个字，不能含控制字符",
				 PERSON_EXPORT_PURPOSE_MAX);
	else if (which >= 0 && strcmp(choice, PERSON_EXPORT_OTHER) == 0 && !words[0])
		field_errors_add(errs, "用途说明", "选择“其他”时请填写用途说明");
	if (errs->n)
		return VE_INVALID;
	snprintf(out, size, "%s%s%s", choice, words[0] ? "：" : "", words);
	return 0;
}

void person_export_describe(struct db *db, const struct principal *by,
			    const struct person_filter *f, char *out, size_t size)
{
	struct list_args a;
	list_args(by, f, &a);
	describe_filter(db, f, &a, out, size);
}

/* The audit record of a full export of n_rows people under f, made for purpose. */
static int audit_export(struct db *db, const struct principal *by, const struct person_filter *f,
			const struct list_args *a, const char *purpose, long n_rows)
{
	char filter[1024], detail[2048];
	describe_filter(db, f, a, filter, sizeof(filter));
	snprintf(detail, sizeof(detail), "导出含完整身份证号的人员名单：%ld 人；用途：%s；条件：%s",
		 n_rows, purpose, filter);
	int rc = db_tx_begin(db, 0);
	if (rc == 0)
		rc = account_audit(db, by, "person.export_full", "person", 0, detail);
	return db_tx_end(db, 0, rc) ? VE_DB : 0;
}

int person_export(struct db *db, const struct principal *by, const struct person_filter *f,
		  const char *purpose, void (*row)(void *ctx, const char *const *cells),
		  void *ctx)
{
	int full = purpose != NULL;
	if (full && !perm_allows(by->roles, PERM_PERSON_EXPORT_FULL))
		return VE_DENIED;
	struct list_args a;
	list_args(by, f, &a);
	struct db_stmt *st = db_q(db, export_sql[a.lead], LIST_FMT, LIST_ARGS(by, &a));
	if (!st)
		return VE_DB;
	struct person_record *r = xcalloc(1, sizeof(*r));
	char(*bufs)[PERSON_CELL] = xmalloc(PERSON_FIELDS * PERSON_CELL);
	const char *cells[PERSON_FIELDS];
	long n_rows = 0;
	int rc;
	/* Each person is read through its own statements while this one is open. */
	while ((rc = db_step(st)) == DB_ROW) {
		if (person_record_load(db, db_int(st, 0), r) != 0)
			continue;
		export_cells(db, r, full, bufs, cells);
		row(ctx, cells);
		n_rows++;
	}
	db_done(st);
	mem_wipe(r, sizeof(*r));
	mem_wipe(bufs, PERSON_FIELDS * PERSON_CELL);
	free(r);
	free(bufs);
	if (rc != DB_DONE)
		return VE_DB;
	/* After the rows, so that the record holds their number; no record, no file. */
	return full ? audit_export(db, by, f, &a, purpose, n_rows) : 0;
}
