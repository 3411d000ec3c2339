/* recovery.c - 追缴: the lines paid after a benefit's end, the cases opened on them,
 * the amounts recovered, and closing (已结清) or writing off (已核销) a case. */
#include "recovery.h"
#include <stdio.h>
#include <string.h>
#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/scope.h"
#include "areas/settings.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const recovery_methods[RECOVERY_N_METHODS] = {"现金", "银行转账", "从其他待遇中扣减"};
const char *const recovery_filters[RECOVERY_N_FILTERS] = {"open", "closed", "all"};

const char *recovery_filter_title(const char *filter)
{
	return strcmp(filter, "closed") == 0 ? "已结案" : strcmp(filter, "all") == 0 ? "全部" : "待办";
}

#define NOTE_MAX 200

static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* ---- pure rules ---- */

int recovery_check_amount(const char *text, int64_t remaining_fen, int64_t *fen,
			  struct field_errors *fe)
{
	char left[32];
	*fen = 0;
	if (!text || !*text) {
		field_errors_add(fe, "金额", "请填写追回金额（元）");
		return 1;
	}
	if (money_parse(text, MONEY_MAX_FEN, fen) != 0 || *fen <= 0) {
		field_errors_add(fe, "金额",
				 "金额应为大于 0 的元数，最多两位小数，如 1200 或 1200.50");
		return 1;
	}
	if (*fen > remaining_fen) {
		money_format_grouped(remaining_fen > 0 ? remaining_fen : 0, left);
		field_errors_add(fe, "金额", "超过尚未追回的金额（%s 元），请核对", left);
		return 1;
	}
	return 0;
}

int recovery_method_valid(const char *method)
{
	for (int i = 0; method && i < RECOVERY_N_METHODS; i++)
		if (strcmp(method, recovery_methods[i]) == 0)
			return 1;
	return 0;
}

/* ---- what is due: the one definition ---- */

/* A line to recover: of a benefit whose entitlement ended (e), paid or on its way (a
 * failed line was never paid), and either regular or back pay for a month after the end,
 * or a funeral sum for a death whose cause (as recorded now, after any correction) is not
 * the one the benefit's funeral rule pays for. */
#define LINE_AFTER_END(l, e)                                                                       \
	l ".person_id = " e ".person_id AND " l ".benefit_code = " e ".benefit_code AND " e        \
	".end_month IS NOT NULL AND " l ".status IN ('已发', '待发') AND ((" l ".month > " e      \
	".end_month AND " l ".kind IN ('regular', 'backpay')) OR (" l ".kind = 'funeral' AND "     \
	"EXISTS (SELECT 1 FROM benefit_types ft WHERE ft.code = " e ".benefit_code AND "           \
	"ft.funeral_cause IS NOT NULL AND ft.funeral_cause IS DISTINCT FROM " e ".death_cause)))"

/* One row per person and benefit with lines to recover or a case: columns 0-12 read
 * by group_json. Followed by the caller's conditions after "WHERE". The lines are found
 * from the few ended entitlements (CROSS JOIN keeps them the outer loop: SQLite would
 * otherwise walk every pay line in its index's order for the GROUP BY). */
#define GROUP_SQL                                                                                  \
	"SELECT e.person_id, p.name, coalesce(s.name, ''), e.benefit_code, t.name, "              \
	"coalesce(e.end_month, ''), coalesce(g.n, 0), coalesce(g.due, 0), coalesce(g.first, ''), " \
	"coalesce(g.last, ''), coalesce(c.id, 0), coalesce(c.status, '" RECOVERY_NONE "'), "       \
	"(SELECT coalesce(sum(r.amount_fen), 0) FROM recovery_payments r WHERE r.case_id = "      \
	"c.id), p.id_mask, coalesce(m.name, ''), coalesce(e.death_month, ''), c.opened_at, "       \
	"c.opened_name, c.writeoff_reason, c.writeoff_name, c.closed_at, c.closed_name, "          \
	"coalesce(c.writeoff_by, 0) "                                                              \
	"FROM entitlements e JOIN persons p ON p.id = e.person_id "                                \
	"JOIN benefit_types t ON t.code = e.benefit_code "                                         \
	"LEFT JOIN regions s ON s.code = p.street_code "                                           \
	"LEFT JOIN regions m ON m.code = p.community_code "                                        \
	"LEFT JOIN recovery_cases c ON c.person_id = e.person_id AND c.benefit_code = "           \
	"e.benefit_code "                                                                          \
	"LEFT JOIN (SELECT l.person_id, l.benefit_code, count(*) AS n, sum(l.amount_fen) AS due, " \
	"min(l.month) AS first, max(l.month) AS last FROM entitlements x CROSS JOIN pay_lines l "  \
	"WHERE " LINE_AFTER_END("l", "x") " GROUP BY l.person_id, l.benefit_code) g ON g.person_id = "     \
				 "e.person_id AND g.benefit_code = e.benefit_code "                \
				 "WHERE (g.n IS NOT NULL OR c.id IS NOT NULL) AND " SCOPE_REGION_SQL(     \
					 "p.region_code", "p.created_by")

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_text(st, col);
	return t ? t : "";
}

static json_t *group_json(struct db_stmt *st)
{
	int64_t due = db_int(st, 7), recovered = db_int(st, 12);
	json_t *o = json_pack(
		"{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:I}", "case_id",
		(json_int_t)db_int(st, 10), "status", db_text(st, 11), "person_id",
		(json_int_t)db_int(st, 0), "name", db_text(st, 1), "street", db_text(st, 2),
		"benefit", db_text(st, 3), "benefit_name", db_text(st, 4), "end_month",
		db_text(st, 5), "line_count", (json_int_t)db_int(st, 6), "first_month", db_text(st, 8),
		"last_month", db_text(st, 9), "due_fen", (json_int_t)due, "recovered_fen",
		(json_int_t)recovered, "remaining_fen", (json_int_t)(due - recovered));
	json_object_set_new(o, "settled", json_boolean(due - recovered <= 0));
	json_object_set_new(o, "reopen", json_boolean(strcmp(db_text(st, 11), RECOVERY_SETTLED) == 0 &&
						      due - recovered > 0));
	return o;
}

/* ---- reading ---- */

int recovery_lines(struct db *db, const struct principal *by, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT l.id, l.batch_id, b.period, l.person_id, p.name, l.benefit_code, t.name, "
		"l.month, l.amount_fen, l.status, e.end_month FROM entitlements e CROSS JOIN pay_lines "
		"l JOIN pay_batches b ON b.id = l.batch_id JOIN persons p ON p.id = l.person_id JOIN "
		"benefit_types t ON t.code = l.benefit_code WHERE " LINE_AFTER_END("l", "e") " AND "
			SCOPE_REGION_SQL("p.region_code", "p.created_by") " ORDER BY l.person_id, "
									  "l.benefit_code, l.month, l.id",
		SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int64_t total = 0;
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack(
			"{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "line_id",
			(json_int_t)db_int(st, 0), "batch_id", (json_int_t)db_int(st, 1), "period",
			db_text(st, 2), "person_id", (json_int_t)db_int(st, 3), "name", db_text(st, 4),
			"benefit", db_text(st, 5), "benefit_name", db_text(st, 6), "month",
			db_text(st, 7), "amount_fen", (json_int_t)db_int(st, 8), "status",
			db_text(st, 9), "end_month", db_text(st, 10));
		json_object_set_new(o, "amount", benefit_money_json(db_int(st, 8)));
		json_array_append_new(items, o);
		total += db_int(st, 8);
	}
	db_done(st);
	*out = json_pack("{s:I,s:o}", "total_fen", (json_int_t)total, "items", items);
	json_object_set_new(*out, "total", benefit_money_json(total));
	return 0;
}

/* In GROUP_SQL: a settled case that owes again (a correction raised what is due after
 * it closed): open work, until it is opened again. */
#define REOPEN_SQL                                                                                 \
	"(c.status = '" RECOVERY_SETTLED "' AND coalesce(g.due, 0) > (SELECT "                     \
	"coalesce(sum(r.amount_fen), 0) FROM recovery_payments r WHERE r.case_id = c.id))"

int recovery_list(struct db *db, const struct principal *by, const struct recovery_filter *f,
		  json_t **out)
{
	const char *filter = "open"; /* anything unknown: the open work */
	for (int i = 0; f && f->filter && i < RECOVERY_N_FILTERS; i++)
		if (strcmp(f->filter, recovery_filters[i]) == 0)
			filter = recovery_filters[i];
	const char *street = f && f->street ? f->street : "";
	struct db_stmt *st = db_q(
		db,
		GROUP_SQL " AND (? = '' OR p.street_code = ?) AND (? = 'all' OR (? = 'open' AND "
			  "(coalesce(c.status, '" RECOVERY_NONE "') IN ('" RECOVERY_NONE
			  "', '" RECOVERY_OPEN "', '" RECOVERY_WRITEOFF_ASKED "') OR " REOPEN_SQL
			  ")) OR (? = 'closed' AND c.status IN ('" RECOVERY_SETTLED
			  "', '" RECOVERY_WRITTEN_OFF "') AND NOT " REOPEN_SQL
			  ")) ORDER BY p.street_code NULLS FIRST, e.person_id, e.benefit_code",
		SCOPE_REGION_FMT "sssss", SCOPE_REGION_ARGS(&by->scope, by->region_code), street,
		street, filter, filter, filter);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int64_t due = 0, recovered = 0;
	while (db_step(st) == DB_ROW) {
		json_array_append_new(items, group_json(st));
		due += db_int(st, 7);
		recovered += db_int(st, 12);
	}
	db_done(st);
	*out = json_pack("{s:I,s:I,s:I,s:I,s:o}", "total", (json_int_t)json_array_size(items),
			 "due_fen", (json_int_t)due, "recovered_fen", (json_int_t)recovered,
			 "remaining_fen", (json_int_t)(due - recovered), "items", items);
	return 0;
}

/* The lines to recover of person (of one benefit; "" every one), with their case:
 * [{"line_id","batch_id","period","benefit","benefit_name","month","kind_title",
 * "amount_fen","status","case_id","case_status"}], adding their sum to *total. */
static json_t *lines_of(struct db *db, const struct principal *by, int64_t person_id,
			const char *benefit, int64_t *total)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(
		db,
		"SELECT l.id, l.batch_id, b.period, l.benefit_code, t.name, l.month, l.kind, "
		"l.amount_fen, l.status, coalesce(c.id, 0), coalesce(c.status, '" RECOVERY_NONE
		"') FROM entitlements e JOIN pay_lines l ON " LINE_AFTER_END(
			"l", "e") " JOIN pay_batches b ON b.id = l.batch_id JOIN persons p ON p.id = "
				  "e.person_id JOIN benefit_types t ON t.code = l.benefit_code LEFT "
				  "JOIN recovery_cases c ON c.person_id = e.person_id AND "
				  "c.benefit_code = e.benefit_code WHERE e.person_id = ? AND (? = '' "
				  "OR e.benefit_code = ?) AND " SCOPE_REGION_SQL(
					  "p.region_code", "p.created_by") " ORDER BY t.sort, l.month, "
									   "l.id",
		"iss" SCOPE_REGION_FMT, person_id, benefit, benefit,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	while (st && db_step(st) == DB_ROW) {
		const char *kind = db_text(st, 6);
		json_array_append_new(
			list,
			json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:s}", "line_id",
				  (json_int_t)db_int(st, 0), "batch_id", (json_int_t)db_int(st, 1),
				  "period", db_text(st, 2), "benefit", db_text(st, 3), "benefit_name",
				  db_text(st, 4), "month", db_text(st, 5), "kind_title",
				  strcmp(kind, "backpay") == 0 ? "补发" : "正常发放", "amount_fen",
				  (json_int_t)db_int(st, 7), "status", db_text(st, 8), "case_id",
				  (json_int_t)db_int(st, 9), "case_status", db_text(st, 10)));
		*total += db_int(st, 7);
	}
	db_done(st);
	return list;
}

static json_t *payments_of(struct db *db, int64_t case_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT paid_on, amount_fen, method, note, created_name FROM "
				  "recovery_payments WHERE case_id = ? ORDER BY paid_on, id",
				  "i", case_id);
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(
			list, json_pack("{s:s,s:I,s:s,s:s,s:s}", "paid_on", db_text(st, 0),
					"amount_fen", (json_int_t)db_int(st, 1), "method",
					db_text(st, 2), "note", db_text(st, 3), "created_name",
					db_text(st, 4)));
	db_done(st);
	return list;
}

/* Where a notice tells the person to pay back: settings "recovery.pay_at", else the
 * bureau's counter. */
static json_t *pay_at(struct db *db)
{
	char at[400] = "", bureau[128] = "";
	if (settings_get(db, "recovery.pay_at", at, sizeof(at)) == 0 && *at)
		return json_string(at);
	if (settings_get(db, "bureau.name", bureau, sizeof(bureau)) != 0 || !*bureau)
		str_copy(bureau, "区退役军人事务局", sizeof(bureau));
	snprintf(at, sizeof(at), "%s优抚窗口（请携带本通知书及本人或经办人身份证件，工作日办理）",
		 bureau);
	return json_string(at);
}

int recovery_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db, GROUP_SQL " AND c.id = ?", SCOPE_REGION_FMT "i",
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	json_t *o = group_json(st);
	char opened[21] = "", closed[21] = "";
	clock_iso_utc(db_int(st, 16), opened);
	if (!db_is_null(st, 20))
		clock_iso_utc(db_int(st, 20), closed);
	json_t *more = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id_mask",
				 db_text(st, 13), "community", db_text(st, 14), "death_month",
				 db_text(st, 15), "opened_at", opened, "opened_name",
				 text_or(st, 17), "writeoff_reason", text_or(st, 18),
				 "writeoff_name", text_or(st, 19), "closed_at", closed,
				 "closed_name", text_or(st, 21));
	json_object_update(o, more);
	json_decref(more);
	int64_t person = db_int(st, 0), total = 0;
	char benefit[32];
	str_copy(benefit, db_text(st, 3), sizeof(benefit));
	db_done(st);
	json_object_set_new(o, "lines", lines_of(db, by, person, benefit, &total));
	json_object_set_new(o, "payments", payments_of(db, id));
	json_object_set_new(o, "pay_at", pay_at(db));
	*out = o;
	return 0;
}

int recovery_of_person(struct db *db, const struct principal *by, int64_t person_id,
		       json_t **out)
{
	int64_t total = 0;
	json_t *items = lines_of(db, by, person_id, "", &total);
	*out = json_pack("{s:I,s:o}", "total_fen", (json_int_t)total, "items", items);
	return 0;
}

/* ---- the work ---- */

/* A case as the work sees it, read inside the writing transaction. */
struct case_state {
	char status[32], name[64], benefit_name[64];
	int64_t due, recovered, writeoff_by;
};

/* Loads case id in by's scope: 0, VE_NOTFOUND or VE_DB. */
static int load_case(struct db *db, const struct principal *by, int64_t id,
		     struct case_state *c)
{
	struct db_stmt *st = db_q(db, GROUP_SQL " AND c.id = ?", SCOPE_REGION_FMT "i",
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), id);
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc) {
		str_copy(c->status, db_text(st, 11), sizeof(c->status));
		str_copy(c->name, db_text(st, 1), sizeof(c->name));
		str_copy(c->benefit_name, db_text(st, 4), sizeof(c->benefit_name));
		c->due = db_int(st, 7);
		c->recovered = db_int(st, 12);
		c->writeoff_by = db_int(st, 22);
	}
	db_done(st);
	return rc;
}

static int may_write(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

/* Ends the transaction of a write: rc, or VE_DB when the commit fails. */
static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

static int set_status(struct db *db, const struct principal *by, int64_t id,
		      const char *status, const char *reason, const char *action,
		      const char *detail);

static int open_in_tx(struct db *db, const struct principal *by, int64_t person_id,
		      const char *benefit, int64_t *id, int *opened, char *err, size_t errlen)
{
	struct db_stmt *st = db_q(
		db, GROUP_SQL " AND e.person_id = ? AND e.benefit_code = ?", SCOPE_REGION_FMT "is",
		SCOPE_REGION_ARGS(&by->scope, by->region_code), person_id, benefit);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return err_set(err, errlen, VE_NOTFOUND, "没有该人员该待遇需要追缴的款项");
	}
	*id = db_int(st, 10);
	int64_t due = db_int(st, 7), left = due - db_int(st, 12);
	int reopen = *id && strcmp(db_text(st, 11), RECOVERY_SETTLED) == 0 && left > 0;
	char detail[256], yuan[32];
	money_format_grouped(reopen ? left : due, yuan);
	if (reopen)
		snprintf(detail, sizeof(detail), "%s %s：结清后应追缴金额增加，重新追缴，尚欠 %s 元",
			 db_text(st, 1), db_text(st, 4), yuan);
	else
		snprintf(detail, sizeof(detail), "%s %s，应追缴 %s 元（%lld 笔）", db_text(st, 1),
			 db_text(st, 4), yuan, (long long)db_int(st, 6));
	db_done(st);
	if (reopen) {
		*opened = RECOVERY_REOPENED;
		return set_status(db, by, *id, RECOVERY_OPEN, NULL, "recovery.reopen", detail);
	}
	if (*id)
		return 0;
	if (due <= 0)
		return err_set(err, errlen, VE_INVALID, "该人员该待遇没有资格终止后发放的款项，无需追缴");
	int rc = db_run(db,
			"INSERT INTO recovery_cases (person_id, benefit_code, status, opened_at, "
			"opened_by, opened_name) VALUES (?, ?, '" RECOVERY_OPEN "', ?, ?, ?)",
			"isiis", person_id, benefit, clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	*id = db_last_id(db);
	*opened = 1;
	return account_audit(db, by, "recovery.open", "recovery", *id, detail);
}

int recovery_open(struct db *db, const struct principal *by, int64_t person_id,
		  const char *benefit, int64_t *id, int *opened, char *err, size_t errlen)
{
	*id = 0;
	*opened = 0;
	if (may_write(by, PERM_RECOVERY_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = open_in_tx(db, by, person_id, benefit ? benefit : "", id, opened, err, errlen);
	return tx_end(db, rc, err, errlen);
}

/* The fields of p other than the amount, into fe. */
static void check_payment(const struct recovery_payment *p, struct field_errors *fe)
{
	int64_t t;
	const char *on = p->paid_on ? p->paid_on : "";
	if (!*on)
		field_errors_add(fe, "日期", "请填写追回日期");
	else if (strlen(on) != 10 || clock_parse_date(on, &t) != 0)
		field_errors_add(fe, "日期", "日期应为 YYYY-MM-DD，如 2026-01-15");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, "日期", "追回日期不能晚于今天");
	if (!recovery_method_valid(p->method))
		field_errors_add(fe, "方式", "请选择追回方式：现金、银行转账或从其他待遇中扣减");
	const char *note = p->note ? p->note : "";
	if (utf8_count(note, strlen(note)) > NOTE_MAX)
		field_errors_add(fe, "备注", "备注最多 %d 个字", NOTE_MAX);
}

static int conflict(char *err, size_t errlen, const struct case_state *c, const char *what)
{
	return err_set(err, errlen, VE_CONFLICT, "该案件当前为“%s”，不能%s", c->status, what);
}

static int record_in_tx(struct db *db, const struct principal *by, int64_t id,
			const struct recovery_payment *p, struct field_errors *fe, char *err,
			size_t errlen)
{
	struct case_state c;
	int rc = load_case(db, by, id, &c);
	if (rc)
		return rc;
	if (strcmp(c.status, RECOVERY_OPEN) != 0)
		return conflict(err, errlen, &c, "登记追回款");
	int64_t fen;
	check_payment(p, fe);
	recovery_check_amount(p->amount, c.due - c.recovered, &fen, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(db,
		    "INSERT INTO recovery_payments (case_id, paid_on, amount_fen, method, note, "
		    "created_at, created_by, created_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "isissiis", id, p->paid_on, fen, p->method, p->note ? p->note : "",
		    clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	char detail[256], yuan[32], left[32];
	money_format_grouped(fen, yuan);
	money_format_grouped(c.due - c.recovered - fen, left);
	snprintf(detail, sizeof(detail), "%s %s：%s %s 元（%s），尚欠 %s 元", c.name,
		 c.benefit_name, p->paid_on, yuan, p->method, left);
	return account_audit(db, by, "recovery.record", "recovery", id, detail);
}

int recovery_record(struct db *db, const struct principal *by, int64_t id,
		    const struct recovery_payment *p, struct field_errors *fe, char *err,
		    size_t errlen)
{
	if (may_write(by, PERM_RECOVERY_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, record_in_tx(db, by, id, p, fe, err, errlen), err, errlen);
}

/* Sets case id's status (and who closed or asked), audited as action with detail. */
static int set_status(struct db *db, const struct principal *by, int64_t id,
		      const char *status, const char *reason, const char *action,
		      const char *detail)
{
	int closing = strcmp(status, RECOVERY_SETTLED) == 0 ||
		      strcmp(status, RECOVERY_WRITTEN_OFF) == 0;
	int asking = strcmp(status, RECOVERY_WRITEOFF_ASKED) == 0;
	int rc = db_run(
		db,
		"UPDATE recovery_cases SET status = ?, "
		"writeoff_reason = CASE WHEN ? <> 0 THEN ? ELSE writeoff_reason END, "
		"writeoff_at = CASE WHEN ? <> 0 THEN ? ELSE writeoff_at END, "
		"writeoff_by = CASE WHEN ? <> 0 THEN ? ELSE writeoff_by END, "
		"writeoff_name = CASE WHEN ? <> 0 THEN ? ELSE writeoff_name END, "
		"closed_at = CASE WHEN ? <> 0 THEN ? ELSE NULL END, "
		"closed_by = CASE WHEN ? <> 0 THEN ? ELSE NULL END, "
		"closed_name = CASE WHEN ? <> 0 THEN ? ELSE NULL END WHERE id = ?",
		"sisiiiiisiiiiisi", status, (int64_t)asking, reason, (int64_t)asking, clock_now(),
		(int64_t)asking, by->user_id, (int64_t)asking, signer_name(by), (int64_t)closing,
		clock_now(), (int64_t)closing, by->user_id, (int64_t)closing, signer_name(by), id);
	return rc ? rc : account_audit(db, by, action, "recovery", id, detail);
}

static int close_in_tx(struct db *db, const struct principal *by, int64_t id, char *err,
		       size_t errlen)
{
	struct case_state c;
	int rc = load_case(db, by, id, &c);
	if (rc)
		return rc;
	if (strcmp(c.status, RECOVERY_OPEN) != 0)
		return conflict(err, errlen, &c, "结案");
	char yuan[32], detail[256];
	if (c.due - c.recovered > 0) {
		money_format_grouped(c.due - c.recovered, yuan);
		return err_set(err, errlen, VE_CONFLICT,
			       "尚有 %s 元未追回，不能结案；确实无法追回的，请申请核销", yuan);
	}
	money_format_grouped(c.recovered, yuan);
	snprintf(detail, sizeof(detail), "%s %s：已追回 %s 元，结清", c.name, c.benefit_name,
		 yuan);
	return set_status(db, by, id, RECOVERY_SETTLED, NULL, "recovery.close", detail);
}

int recovery_close(struct db *db, const struct principal *by, int64_t id, char *err,
		   size_t errlen)
{
	if (may_write(by, PERM_RECOVERY_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, close_in_tx(db, by, id, err, errlen), err, errlen);
}

static int ask_in_tx(struct db *db, const struct principal *by, int64_t id, const char *reason,
		     struct field_errors *fe, char *err, size_t errlen)
{
	struct case_state c;
	int rc = load_case(db, by, id, &c);
	if (rc)
		return rc;
	if (strcmp(c.status, RECOVERY_OPEN) != 0)
		return conflict(err, errlen, &c, "申请核销");
	if (c.due - c.recovered <= 0)
		return err_set(err, errlen, VE_CONFLICT, "已无未追回的金额，请直接结案");
	size_t n = utf8_count(reason, strlen(reason));
	if (n < 2 || n > NOTE_MAX) {
		field_errors_add(fe, "核销原因", "请写明无法追回的原因（2 至 %d 个字）", NOTE_MAX);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	char yuan[32], detail[400];
	money_format_grouped(c.due - c.recovered, yuan);
	snprintf(detail, sizeof(detail), "%s %s：申请核销 %s 元，原因：%s", c.name,
		 c.benefit_name, yuan, reason);
	return set_status(db, by, id, RECOVERY_WRITEOFF_ASKED, reason, "recovery.writeoff_ask",
			  detail);
}

int recovery_writeoff_ask(struct db *db, const struct principal *by, int64_t id,
			  const char *reason, struct field_errors *fe, char *err, size_t errlen)
{
	if (may_write(by, PERM_RECOVERY_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, ask_in_tx(db, by, id, reason ? reason : "", fe, err, errlen), err,
		      errlen);
}

static int decide_in_tx(struct db *db, const struct principal *by, int64_t id, int approve,
			char *err, size_t errlen)
{
	struct case_state c;
	int rc = load_case(db, by, id, &c);
	if (rc)
		return rc;
	if (strcmp(c.status, RECOVERY_WRITEOFF_ASKED) != 0)
		return conflict(err, errlen, &c, approve ? "核准核销" : "退回核销申请");
	if (by->user_id == c.writeoff_by)
		return err_set(err, errlen, VE_DENIED, "核销须由申请人以外的审批人审批");
	char yuan[32], detail[256];
	money_format_grouped(c.due - c.recovered, yuan);
	snprintf(detail, sizeof(detail), "%s %s：%s核销 %s 元", c.name, c.benefit_name,
		 approve ? "核准" : "退回", yuan);
	return set_status(db, by, id, approve ? RECOVERY_WRITTEN_OFF : RECOVERY_OPEN, NULL,
			  approve ? "recovery.writeoff_approve" : "recovery.writeoff_return",
			  detail);
}

int recovery_writeoff_decide(struct db *db, const struct principal *by, int64_t id, int approve,
			     char *err, size_t errlen)
{
	if (may_write(by, PERM_RECOVERY_WRITEOFF, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, decide_in_tx(db, by, id, approve, err, errlen), err, errlen);
}

/* ---- permissions and the area ---- */

const struct perm perm_recovery_read = {"recovery.read", "查看追缴", ROLE_BUSINESS};
const struct perm perm_recovery_write = {"recovery.write", "办理追缴（立案、登记追回款、结案）",
					 ROLE_BIT(CLERK)};
const struct perm perm_recovery_writeoff = {"recovery.writeoff", "审批追缴核销",
					    ROLE_BIT(APPROVER)};
static const struct perm *const perms[] = {PERM_RECOVERY_READ, PERM_RECOVERY_WRITE,
					   PERM_RECOVERY_WRITEOFF, NULL};
static const struct audit_title audit_titles[] = {
	{"recovery.open", "追缴立案"},
	{"recovery.record", "登记追回款"},
	{"recovery.close", "追缴结案"},
	{"recovery.reopen", "重新立案追缴"},
	{"recovery.writeoff_ask", "申请核销追缴"},
	{"recovery.writeoff_approve", "核准核销追缴"},
	{"recovery.writeoff_return", "退回核销申请"},
	{NULL, NULL},
};
const struct area recovery_area = {
	.name = "recovery", .perms = perms, .audit_titles = audit_titles};
