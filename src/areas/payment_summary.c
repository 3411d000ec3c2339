/* payment_summary.c - a batch against the benefit's previous batch, for its checkers:
 * totals and their change, who was added and who stopped (with the reason the
 * entitlement gives), each street, the largest lines, back pay, re-issues and the
 * persons whose monthly amount moved. One query per figure, all in one read snapshot,
 * each limited to the caller's scope. */
#include "payment.h"

#include <stdio.h>
#include <string.h>

#include "areas/benefit.h"
#include "areas/scope.h"
#include "lib/err.h"
#include "lib/str.h"

/* Lists longer than this are cut (their totals still count every item). */
#define SUMMARY_LIST_MAX 100
#define SUMMARY_LARGEST 10

/* The lines of l the caller may see. */
#define IN_SCOPE(l) SCOPE_REGION_SQL(l ".region_code", "0")
/* A line paid regularly: a month's own line, not the re-issue of a failed one. */
#define REGULAR(l) l ".kind = 'regular' AND " l ".reissue_of IS NULL"
/* Line l's person has no regular line of l's benefit in the batch bound here (o names
 * that batch's lines). */
#define NOT_PAID_IN(l, o)                                                                          \
	"NOT EXISTS (SELECT 1 FROM pay_lines " o " WHERE " o ".person_id = " l ".person_id AND " o \
	".benefit_code = " l ".benefit_code AND +" o ".batch_id = ? AND " REGULAR(o) ")"
/* The persons with regular lines l in the batch bound first (then the caller's scope) and
 * none in the batch bound next, one row each, by street (lines without one first). A
 * person's regular lines in a batch come from one entitlement at one time: one street.
 * keys: the primary keys of the other tables the row shows, for the GROUP BY. */
#define PAID_ONLY_IN(l, o, keys)                                                                   \
	"WHERE " l ".batch_id = ? AND " REGULAR(l) " AND " IN_SCOPE(l) " AND " NOT_PAID_IN(        \
		l, o) " GROUP BY " l ".person_id, " l ".street_code, " keys " ORDER BY " l         \
		      ".street_code NULLS FIRST, " l ".person_id"

/* What the queries bind besides the scope. A person's lines in the other batch are
 * found through pay_lines_person ("+batch_id" keeps the planner off the batch index,
 * which would read the whole other batch for each line). */
struct summary_ctx {
	struct db *db;
	const struct principal *by;
	int64_t id, prev;
	char period[8], prev_period[8], prev_through[8];
};

#define CALLER_SCOPE(c) SCOPE_REGION_ARGS(&(c)->by->scope, (c)->by->region_code)

/* The batch's period and benefit, and the benefit's latest earlier batch that was not
 * sent back (0 when none). */
static int find_previous(struct summary_ctx *c, json_t *out)
{
	struct db_stmt *st = db_q(
		c->db,
		"SELECT b.period, b.benefit_code, t.name, coalesce(p.id, 0), coalesce(p.period, ''), "
		"coalesce(p.through, '') FROM pay_batches b JOIN benefit_types t ON t.code = "
		"b.benefit_code LEFT JOIN pay_batches p ON p.id = (SELECT x.id FROM pay_batches x "
		"WHERE x.benefit_code = b.benefit_code AND x.period < b.period AND x.status <> "
		"'已退回' ORDER BY x.period DESC LIMIT 1) WHERE b.id = ?",
		"i", c->id);
	int found = st && db_step(st) == DB_ROW;
	if (found) {
		str_copy(c->period, db_text(st, 0), sizeof(c->period));
		c->prev = db_int(st, 3);
		str_copy(c->prev_period, db_text(st, 4), sizeof(c->prev_period));
		str_copy(c->prev_through, db_text(st, 5), sizeof(c->prev_through));
		json_object_set_new(out, "batch_id", json_integer(c->id));
		json_object_set_new(out, "period", json_string(c->period));
		json_object_set_new(out, "benefit", json_string(db_text(st, 1)));
		json_object_set_new(out, "benefit_name", json_string(db_text(st, 2)));
		json_object_set_new(out, "previous",
				    c->prev ? json_pack("{s:I,s:s}", "id", (json_int_t)c->prev,
							"period", c->prev_period)
					    : json_null());
	}
	db_done(st);
	return !st ? VE_DB : found ? 0 : VE_NOTFOUND;
}

static json_t *figures(int64_t lines, int64_t amount, int64_t persons)
{
	return json_pack("{s:I,s:I,s:I}", "lines", (json_int_t)lines, "amount_fen",
			 (json_int_t)amount, "persons", (json_int_t)persons);
}

/* Lines, amount and persons paid regularly, this batch and the previous one, and the
 * change. */
static int totals(struct summary_ctx *c, json_t *out)
{
	int64_t v[2][3] = {{0}};
	struct db_stmt *st = db_q(
		c->db,
		"SELECT l.batch_id = ?, count(*), coalesce(sum(l.amount_fen), 0), count(DISTINCT "
		"CASE WHEN " REGULAR(
			"l") " THEN l.person_id END) FROM pay_lines l WHERE l.batch_id "
			     "IN (?, ?) AND " IN_SCOPE("l") " GROUP BY l.batch_id",
		"iii" SCOPE_REGION_FMT, c->id, c->id, c->prev, CALLER_SCOPE(c));
	if (!st)
		return VE_DB;
	while (db_step(st) == DB_ROW)
		for (int k = 0; k < 3; k++)
			v[db_int(st, 0) ? 0 : 1][k] = db_int(st, 1 + k);
	db_done(st);
	json_object_set_new(out, "this", figures(v[0][0], v[0][1], v[0][2]));
	json_object_set_new(out, "last", figures(v[1][0], v[1][1], v[1][2]));
	json_object_set_new(out, "change",
			    figures(v[0][0] - v[1][0], v[0][1] - v[1][1], v[0][2] - v[1][2]));
	return 0;
}

/* The lines of the batch by kind: regular, late (regular lines of months the previous
 * batch had already paid for: confirmed late, or a pause lifted back), back pay of a
 * new standard, funeral sums, re-issues. */
static int kinds(struct summary_ctx *c, json_t *out)
{
	static const char *const titles[] = {"正常发放", "补发（以前月份）", "补发（新标准差额）",
					     "丧葬抚恤", "重发（银行退回后）"};
	int64_t n[5] = {0}, fen[5] = {0};
	struct db_stmt *st = db_q(
		c->db,
		"SELECT CASE WHEN l.reissue_of IS NOT NULL THEN 4 WHEN l.kind = 'funeral' THEN 3 "
		"WHEN l.kind = 'backpay' THEN 2 WHEN l.month <= ? THEN 1 ELSE 0 END AS k, count(*), "
		"sum(l.amount_fen) FROM pay_lines l WHERE l.batch_id = ? AND " IN_SCOPE(
			"l") " GROUP BY k",
		"si" SCOPE_REGION_FMT, c->prev_through, c->id, CALLER_SCOPE(c));
	if (!st)
		return VE_DB;
	while (db_step(st) == DB_ROW) {
		int64_t k = db_int(st, 0);
		if (k >= 0 && k < 5) {
			n[k] = db_int(st, 1);
			fen[k] = db_int(st, 2);
		}
	}
	db_done(st);
	json_t *list = json_array();
	for (int k = 0; k < 5; k++)
		json_array_append_new(list, json_pack("{s:s,s:I,s:I}", "title", titles[k], "lines",
						      (json_int_t)n[k], "amount_fen",
						      (json_int_t)fen[k]));
	json_object_set_new(out, "kinds", list);
	return 0;
}

/* Appends a row to the list {total, items} (items up to SUMMARY_LIST_MAX). */
static void list_add(json_t *list, json_t *item)
{
	json_t *total = json_object_get(list, "total");
	json_int_t n = json_integer_value(total) + 1;
	json_integer_set(total, n);
	if (n <= SUMMARY_LIST_MAX)
		json_array_append_new(json_object_get(list, "items"), item);
	else
		json_decref(item);
}

static json_t *list_new(void)
{
	return json_pack("{s:I,s:I,s:[]}", "total", (json_int_t)0, "amount_fen", (json_int_t)0,
			 "items");
}

static void list_amount(json_t *list, int64_t fen)
{
	json_t *a = json_object_get(list, "amount_fen");
	json_integer_set(a, json_integer_value(a) + fen);
}

/* Why a person is or is not paid, from the columns of a person_list row after the fourth. */
typedef void reason_fn(struct db_stmt *st, char *out, size_t size);

/* Runs st (person_id, name, street, amount_fen, then what reason reads) into the list
 * out[key], each person with the reason; VE_DB when st is NULL. */
static int person_list(struct db_stmt *st, reason_fn *reason, const char *key, json_t *out)
{
	if (!st)
		return VE_DB;
	json_t *list = list_new();
	char why[400];
	while (db_step(st) == DB_ROW) {
		reason(st, why, sizeof(why));
		list_amount(list, db_int(st, 3));
		list_add(list,
			 json_pack("{s:I,s:s,s:s,s:I,s:s}", "person_id", (json_int_t)db_int(st, 0),
				   "name", db_text(st, 1), "street", db_text(st, 2), "amount_fen",
				   (json_int_t)db_int(st, 3), "reason", why));
	}
	db_done(st);
	json_object_set_new(out, key, list);
	return 0;
}

/* Why a person is paid now and was not in the previous batch, from the entitlement. */
static void added_reason(struct db_stmt *st, char *out, size_t size)
{
	const char *start = db_text(st, 5), *pause_until = db_text(st, 6);
	int64_t late = db_int(st, 7);
	if (db_int(st, 4))
		snprintf(out, size, "新增待遇资格（%s 起）", start);
	else if (*pause_until)
		snprintf(out, size, "中止结束，恢复发放（中止至 %s）", pause_until);
	else if (late)
		snprintf(out, size, "确认较晚，补发以前月份");
	else
		snprintf(out, size, "原因未查明，请核对");
}

/* Persons paid regularly in this batch and not in the previous one. */
static int added(struct summary_ctx *c, json_t *out)
{
	struct db_stmt *st = db_q(
		c->db,
		"SELECT l.person_id, p.name, coalesce(r.name, ''), sum(l.amount_fen), "
		"e.start_month > ?, e.start_month, coalesce((SELECT max(x.until_month) FROM "
		"entitlement_pauses x WHERE x.entitlement_id = e.id AND x.until_month >= ? AND "
		"x.until_month < ?), ''), count(*) FILTER (WHERE l.month <= ?) FROM pay_lines l JOIN persons p ON p.id = "
		"l.person_id JOIN entitlements e ON e.id = l.entitlement_id LEFT JOIN regions r ON "
		"r.code = l.street_code " PAID_ONLY_IN("l", "o", "p.id, e.id, r.code"),
		"ssssi" SCOPE_REGION_FMT "i", c->prev_through, c->prev_period, c->period,
		c->prev_through, c->id, CALLER_SCOPE(c), c->prev);
	return person_list(st, added_reason, "added", out);
}

/* Why a person paid in the previous batch is not paid in this one. */
static void stopped_reason(struct db_stmt *st, char *out, size_t size)
{
	const char *death = db_text(st, 4), *cause = db_text(st, 5), *pause = db_text(st, 6);
	const char *status = db_text(st, 8), *reason = db_text(st, 9), *end = db_text(st, 10);
	if (*death)
		snprintf(out, size, "死亡（%s%s%s）", death, *cause ? "，" : "", cause);
	else if (*pause)
		snprintf(out, size, "中止发放（自 %s 起：%s）", pause, db_text(st, 7));
	else if (*end)
		snprintf(out, size, "待遇终止（发放至 %s%s%s）", end, *reason ? "：" : "", reason);
	else if (strcmp(status, "正常") != 0)
		snprintf(out, size, "待遇%s%s%s", status, *reason ? "：" : "", reason);
	else
		snprintf(out, size, "原因未查明，请核对");
}

/* Persons paid regularly in the previous batch and not in this one. */
static int stopped(struct summary_ctx *c, json_t *out)
{
	struct db_stmt *st = db_q(
		c->db,
		"SELECT o.person_id, p.name, coalesce(r.name, ''), sum(o.amount_fen), "
		"coalesce(e.death_month, ''), coalesce(e.death_cause, ''), coalesce(x.from_month, "
		"''), coalesce(x.reason, ''), e.status, coalesce(e.status_reason, ''), CASE WHEN "
		"e.end_month < ? THEN e.end_month ELSE '' END FROM pay_lines o JOIN persons p ON "
		"p.id = o.person_id JOIN entitlements e ON e.id = o.entitlement_id LEFT JOIN regions "
		"r ON r.code = o.street_code LEFT JOIN entitlement_pauses x ON x.id = (SELECT y.id "
		"FROM entitlement_pauses y WHERE y.entitlement_id = e.id AND y.from_month <= ? AND "
		"(y.until_month IS NULL OR y.until_month >= ?) ORDER BY y.from_month DESC, y.id "
		"DESC LIMIT 1) " PAID_ONLY_IN("o", "l", "p.id, e.id, r.code, x.id"),
		"sssi" SCOPE_REGION_FMT "i", c->period, c->period, c->period, c->prev,
		CALLER_SCOPE(c), c->id);
	return person_list(st, stopped_reason, "stopped", out);
}

/* Lines and amount per street, this batch and the previous one. */
static int streets(struct summary_ctx *c, json_t *out)
{
	struct db_stmt *st = db_q(
		c->db,
		"SELECT coalesce(l.street_code, ''), coalesce(r.name, '未标明街道'), count(*) FILTER "
		"(WHERE l.batch_id = ?), coalesce(sum(CASE WHEN l.batch_id = ? THEN l.amount_fen END), "
		"0), count(*) FILTER (WHERE l.batch_id <> ?), coalesce(sum(CASE WHEN l.batch_id <> ? "
		"THEN l.amount_fen END), 0) FROM pay_lines l LEFT JOIN regions r ON r.code = "
		"l.street_code WHERE l.batch_id IN (?, ?) AND " IN_SCOPE("l") " GROUP BY "
		"l.street_code, r.code ORDER BY l.street_code NULLS FIRST",
		"iiiiii" SCOPE_REGION_FMT, c->id, c->id, c->id, c->id, c->id, c->prev,
		CALLER_SCOPE(c));
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW) {
		int64_t n = db_int(st, 2), fen = db_int(st, 3), ln = db_int(st, 4),
			lfen = db_int(st, 5);
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "code", db_text(st, 0),
				  "name", db_text(st, 1), "lines", (json_int_t)n, "amount_fen",
				  (json_int_t)fen, "last_lines", (json_int_t)ln, "last_amount_fen",
				  (json_int_t)lfen, "change_lines", (json_int_t)(n - ln),
				  "change_amount_fen", (json_int_t)(fen - lfen)));
	}
	db_done(st);
	json_object_set_new(out, "streets", list);
	return 0;
}

/* A line of a list: who, where, which month, what kind and how much. */
#define LINE_COLUMNS                                                                                          \
	"SELECT l.id, l.person_id, p.name, coalesce(r.name, ''), l.month, CASE WHEN "                         \
	"l.reissue_of IS NOT NULL THEN '重发' WHEN l.kind = 'backpay' THEN '补发（新标准差额）' "  \
	"WHEN l.kind = 'funeral' THEN '丧葬抚恤' WHEN l.month <= ? THEN '补发（以前月份）' ELSE " \
	"'正常发放' END, l.amount_fen, coalesce(l.reissue_of, 0), coalesce(f.batch_id, 0), "              \
	"coalesce(f.fail_reason, '') FROM pay_lines l JOIN persons p ON p.id = l.person_id LEFT "             \
	"JOIN regions r ON r.code = l.street_code LEFT JOIN pay_lines f ON f.id = l.reissue_of "              \
	"WHERE l.batch_id = ? AND " IN_SCOPE("l")

static json_t *line_item(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)db_int(st, 0),
			      "person_id", (json_int_t)db_int(st, 1), "name", db_text(st, 2),
			      "street", db_text(st, 3), "month", db_text(st, 4), "kind_title",
			      db_text(st, 5), "amount_fen", (json_int_t)db_int(st, 6));
	if (db_int(st, 7))
		json_object_set_new(o, "reissue",
				    json_pack("{s:I,s:I,s:s}", "line", (json_int_t)db_int(st, 7),
					      "batch", (json_int_t)db_int(st, 8), "fail_reason",
					      db_text(st, 9)));
	return o;
}

/* Runs one LINE_COLUMNS query into a list under key: an array of at most SUMMARY_LARGEST
 * (largest) or a {total, amount_fen, items} list. */
static int line_list(struct summary_ctx *c, const char *sql, const char *key, int largest,
		     json_t *out)
{
	struct db_stmt *st =
		db_q(c->db, sql, "si" SCOPE_REGION_FMT, c->prev_through, c->id, CALLER_SCOPE(c));
	if (!st)
		return VE_DB;
	json_t *list = largest ? json_array() : list_new();
	while (db_step(st) == DB_ROW) {
		if (largest) {
			json_array_append_new(list, line_item(st));
			continue;
		}
		list_amount(list, db_int(st, 6));
		list_add(list, line_item(st));
	}
	db_done(st);
	json_object_set_new(out, key, list);
	return 0;
}

static const char largest_sql[] = LINE_COLUMNS " ORDER BY l.amount_fen DESC, l.id LIMIT 10";
/* Back pay: the difference a new standard owes, and regular lines of months the previous
 * batch had already paid for. */
static const char backpay_sql[] = LINE_COLUMNS
	" AND l.reissue_of IS NULL AND (l.kind = 'backpay' OR (l.kind = 'regular' AND l.month "
	"<= ?1)) ORDER BY l.id";
static const char reissue_sql[] = LINE_COLUMNS " AND l.reissue_of IS NOT NULL ORDER BY l.id";

/* Persons paid regularly in both batches whose own month's amount moved by more than the
 * 1 分 the yearly standard's monthly shares differ by. */
static int flagged(struct summary_ctx *c, json_t *out)
{
	struct db_stmt *st = db_q(
		c->db,
		"SELECT l.person_id, p.name, coalesce(r.name, ''), l.amount_fen, o.amount_fen FROM "
		"pay_lines l JOIN pay_lines o ON +o.batch_id = ? AND o.person_id = l.person_id AND "
		"o.benefit_code = l.benefit_code AND o.month = ? AND " REGULAR(
			"o") " JOIN persons p ON p.id = l.person_id LEFT JOIN "
			     "regions r ON r.code = l.street_code WHERE l.batch_id = ? AND l.month = ? AND "
			     "" REGULAR("l") " AND abs(l.amount_fen - o.amount_fen) > 1 AND " IN_SCOPE(
				     "l") " ORDER BY abs(l.amount_fen - o.amount_fen) DESC, l.person_id",
		"isis" SCOPE_REGION_FMT, c->prev, c->prev_period, c->id, c->period,
		CALLER_SCOPE(c));
	if (!st)
		return VE_DB;
	json_t *list = list_new();
	while (db_step(st) == DB_ROW) {
		int64_t now = db_int(st, 3), was = db_int(st, 4);
		list_amount(list, now - was);
		list_add(list,
			 json_pack("{s:I,s:s,s:s,s:I,s:I,s:I}", "person_id",
				   (json_int_t)db_int(st, 0), "name", db_text(st, 1), "street",
				   db_text(st, 2), "amount_fen", (json_int_t)now, "last_amount_fen",
				   (json_int_t)was, "change_fen", (json_int_t)(now - was)));
	}
	db_done(st);
	json_object_set_new(out, "flagged", list);
	return 0;
}

static int summarise(struct summary_ctx *c, json_t *out)
{
	int rc = find_previous(c, out);
	if (rc == 0)
		rc = totals(c, out);
	if (rc == 0)
		rc = kinds(c, out);
	if (rc == 0)
		rc = added(c, out);
	if (rc == 0)
		rc = stopped(c, out);
	if (rc == 0)
		rc = streets(c, out);
	if (rc == 0)
		rc = line_list(c, largest_sql, "largest", 1, out);
	if (rc == 0)
		rc = line_list(c, backpay_sql, "backpay", 0, out);
	if (rc == 0)
		rc = line_list(c, reissue_sql, "reissues", 0, out);
	if (rc == 0)
		rc = flagged(c, out);
	return rc;
}

int pay_batch_summary(struct db *db, const struct principal *by, int64_t batch_id, json_t **out)
{
	json_t *batch = NULL;
	*out = NULL;
	int rc = pay_batch_get(db, by, batch_id, &batch); /* in scope, or not found */
	json_decref(batch);
	if (rc)
		return rc;
	struct summary_ctx c = {.db = db, .by = by, .id = batch_id};
	if (db_begin_read(db) != 0)
		return VE_DB;
	json_t *o = json_object();
	rc = summarise(&c, o);
	db_rollback(db);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
