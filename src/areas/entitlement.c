/* entitlement.c - 待遇资格: who receives what and when, suspensions, deaths and the
 * annual verification. */
#include "entitlement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/death.h"
#include "areas/death_report.h"
#include "areas/job.h"
#include "areas/person.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

/* ---- shared steps ---- */

/* The one transaction idiom (db.h) for a function that explains its errors in err. */
static int tx_begin(struct db *db, int in_tx, char *err, size_t errlen)
{
	return db_tx_begin(db, in_tx) ? err_set(err, errlen, VE_DB, "数据库忙，请稍后再试") : 0;
}

static int tx_end(struct db *db, int in_tx, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, in_tx, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
}

/* 0 when by may change entitlements and verifications (from a page, the API or --as);
 * else VE_DENIED. */
static int may_change(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_ENTITLEMENT_WRITE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
		       perm_title(PERM_ENTITLEMENT_WRITE));
}

/* An entitlement as the events below need it. */
struct ent {
	int64_t id, person_id;
	int64_t created_by; /* who proposed or granted it; 0 the command line */
	char benefit[32], status[16], start[8], end[8];
	char generated[8]; /* the last month batches have paid it for, "" none */
};

/* The last month the batches of benefit have paid for ("" before the first). */
#define PAID_THROUGH(benefit)                                                                        \
	"(SELECT coalesce(max(b.through), '') FROM pay_batches b WHERE b.status <> '已退回' AND " \
	"b.benefit_code = " benefit ")"

/* Loads entitlement id if in by's scope. */
static int load(struct db *db, const struct principal *by, int64_t id, struct ent *e, char *err,
		size_t errlen)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT e.id, e.person_id, e.benefit_code, e.status, e.start_month, "
		"coalesce(e.end_month, ''), coalesce(e.created_by, 0), CASE WHEN e.catch_up_from "
		"IS NULL THEN " PAID_THROUGH(
			"e.benefit_code") " ELSE month_add(e.catch_up_from, -1) END FROM entitlements e "
					  "WHERE e.id = ? AND " SCOPE_REGION_SQL("e.region_code",
										 "e.created_by"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	int found = st && db_step(st) == DB_ROW;
	if (found) {
		e->id = db_int(st, 0);
		e->person_id = db_int(st, 1);
		str_copy(e->benefit, db_text(st, 2), sizeof(e->benefit));
		str_copy(e->status, db_text(st, 3), sizeof(e->status));
		str_copy(e->start, db_text(st, 4), sizeof(e->start));
		str_copy(e->end, db_text(st, 5), sizeof(e->end));
		e->created_by = db_int(st, 6);
		str_copy(e->generated, db_text(st, 7), sizeof(e->generated));
	}
	db_done(st);
	return found ? 0 : err_set(err, errlen, VE_NOTFOUND, "没有这条待遇资格");
}

/* Checks a start month: a real month from five years back to a year ahead (a typo
 * such as 2002 would otherwise owe decades). The checks of one row's action write a
 * field's error as one line (benefit_field_error without field_errors): the list shows
 * it at the row, which has no fields to mark. */
static int check_start(const char *v, char out[8], int *m, char *err, size_t errlen)
{
	int now;
	if (!v || month_parse(v, m) != 0)
		return benefit_field_error(NULL, err, errlen, "起始月份",
					   "应为 YYYY-MM 格式的月份，例如 2026-01");
	month_of_date(clock_today_text(), &now);
	if (*m < now - 60 || *m > now + 12)
		return benefit_field_error(NULL, err, errlen, "起始月份",
					   "应在近五年内（不早于五年前，不晚于一年后）");
	month_format(*m, out);
	return 0;
}

/* Checks a month given by a user into out[8] and *m. */
static int check_month(const char *field, const char *v, char out[8], int *m, char *err,
		       size_t errlen)
{
	if (!v || month_parse(v, m) != 0)
		return benefit_field_error(NULL, err, errlen, field,
					   "应为 YYYY-MM 格式的月份，例如 2026-01");
	month_format(*m, out);
	return 0;
}

static int check_reason(const char *reason, char *err, size_t errlen)
{
	size_t n = reason ? utf8_count(reason, strlen(reason)) : 0;
	if (n == 0 || n > 200 || !str_is_printable(reason, strlen(reason), 0) ||
	    strspn(reason, " ") == strlen(reason))
		return benefit_field_error(NULL, err, errlen, "原因", "请填写 1 至 200 字的原因");
	return 0;
}

/* A month after the months batches have already paid (so that nothing paid is undone). */
static int after_paid(const struct ent *e, const char *month, const char *what, char *err,
		      size_t errlen)
{
	if (e->generated[0] && strcmp(month, e->generated) <= 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "%s 及以前的待遇已生成发放批次，%s只能从以后的月份开始",
			       e->generated, what);
	return 0;
}

/* ---- proposal, confirmation, grant ---- */

/* An entitlement whose start batches have already passed is paid from its start by
 * the next batch (months before confirmation are owed). Set once start_month is. */
#define CATCH_UP                                                                                   \
	"catch_up_from = CASE WHEN start_month <= " PAID_THROUGH(                                  \
		"entitlements.benefit_code") " THEN start_month END"

/* 1 when the person has a bank account to be paid into. */
static int has_account(struct db *db, int64_t person_id)
{
	int64_t n = 0;
	db_int_query(db, &n, 0,
		     "SELECT count(*) FROM persons WHERE id = ? AND account_enc IS NOT NULL AND "
		     "length(account_enc) > 0",
		     "i", person_id);
	return n > 0;
}

/* Fills in the disability grade and nature of proposed graded entitlements. */
static int fill_grades(struct db *db)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT e.id, e.person_id FROM entitlements e JOIN benefit_types t "
		     "ON t.code = e.benefit_code WHERE t.basis = 'graded' AND e.grade = 0",
		     "");
	if (!st)
		return VE_DB;
	size_t n = 0, cap = 16;
	int64_t(*ids)[2] = xmalloc(cap * sizeof(*ids));
	while (db_step(st) == DB_ROW) {
		if (n == cap)
			ids = xrealloc(ids, (cap *= 2) * sizeof(*ids));
		ids[n][0] = db_int(st, 0);
		ids[n++][1] = db_int(st, 1);
	}
	db_done(st);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int grade;
		char nature[16];
		if (person_disability(db, ids[i][1], &grade, nature) == 0)
			rc = db_run(db,
				    "UPDATE entitlements SET grade = ?, nature = ? WHERE id = ?",
				    "isi", (int64_t)grade, nature, ids[i][0]);
	}
	free(ids);
	return rc;
}

int entitlement_propose(struct db *db, const struct principal *by, int in_tx, int64_t *n)
{
	char month[8], err[160];
	int m;
	month_of_date(clock_today_text(), &m);
	month_format(m, month);
	if (may_change(by, err, sizeof(err)))
		return VE_DENIED;
	if (db_tx_begin(db, in_tx))
		return VE_DB;
	int rc = db_run(
		db,
		"INSERT INTO entitlements (person_id, benefit_code, region_code, category, "
		"start_month, status, created_at, created_by) SELECT p.id, t.code, p.region_code, "
		"min(i.category), ?, '待确认', ?, nullif(?, 0) FROM benefit_types t JOIN "
		"person_identities i ON instr('、' || t.categories || '、', '、' || i.category || "
		"'、') > 0 JOIN persons p ON p.id = i.person_id WHERE t.basis IN ('standard', "
		"'graded') AND p.status = '在册' AND " SCOPE_REGION_SQL(
			"p.region_code",
			"p.created_by") " AND NOT EXISTS (SELECT 1 FROM entitlements "
					"e WHERE e.person_id = p.id AND "
					"e.benefit_code = t.code) GROUP BY p.id, "
					"t.code",
		"sii" SCOPE_REGION_FMT, month, clock_now(), by->user_id,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	*n = rc == 0 ? db_changes(db) : 0;
	if (rc == 0)
		rc = fill_grades(db);
	if (rc == 0 && *n) {
		char detail[80];
		snprintf(detail, sizeof(detail), "生成待遇资格提议 %lld 条", (long long)*n);
		rc = account_audit(db, by, "entitlement.propose", "entitlement", 0, detail);
	}
	return db_tx_end(db, in_tx, rc);
}

/* 0 when by may confirm e: confirmation starts payment, so it is the bureau's second
 * step — a district-wide 复核人 or 审批人 (PERM_ENTITLEMENT_CONFIRM) who did not propose
 * it. A station never confirms. Else VE_DENIED with the reason in err. */
static int may_confirm(const struct principal *by, const struct ent *e, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_ENTITLEMENT_CONFIRM) || !account_district_wide(by))
		return err_set(err, errlen, VE_DENIED,
			       "待遇资格由区局复核人或审批人确认，服务站和经办人只能提议");
	if (by->user_id == e->created_by)
		return err_set(err, errlen, VE_DENIED,
			       "提议和确认须由两个不同的人办理：这条资格是您提议的");
	return 0;
}

static int confirm(struct db *db, const struct principal *by, int64_t id, const char *start_month,
		   char *err, size_t errlen)
{
	struct ent e;
	char start[8];
	int m;
	int rc = load(db, by, id, &e, err, errlen);
	if (rc || (rc = may_confirm(by, &e, err, errlen)) ||
	    (rc = check_start(start_month, start, &m, err, errlen)))
		return rc;
	if (strcmp(e.status, "待确认") != 0)
		return err_set(err, errlen, VE_CONFLICT, "这条资格已经确认过（当前状态：%s）",
			       e.status);
	int64_t graded_without = 0;
	db_int_query(db, &graded_without, 0,
		     "SELECT count(*) FROM entitlements e JOIN benefit_types t ON t.code = "
		     "e.benefit_code WHERE e.id = ? AND t.basis = 'graded' AND e.grade = 0",
		     "i", id);
	if (graded_without)
		return err_set(err, errlen, VE_INVALID,
			       "该人员没有登记残疾等级和性质，请先在人员信息中补充");
	if (!has_account(db, e.person_id))
		return err_set(err, errlen, VE_INVALID,
			       "该人员没有登记银行账号，无法发放，请先在人员信息中补充");
	if (db_run(db,
		   "UPDATE entitlements SET status = '正常', start_month = ?, confirmed_at = ?, "
		   "confirmed_by = nullif(?, 0), status_date = ? WHERE id = ?",
		   "siisi", start, clock_now(), by->user_id, clock_today_text(), id) != 0 ||
	    db_run(db, "UPDATE entitlements SET " CATCH_UP " WHERE id = ?", "i", id) != 0)
		return err_set(err, errlen, VE_DB, "保存失败");
	char detail[64];
	snprintf(detail, sizeof(detail), "自 %s 起发放", start);
	return account_audit(db, by, "entitlement.confirm", "entitlement", id, detail);
}

/* Records a refused confirmation: in the caller's transaction, else in one of its own
 * (the refused change itself was rolled back). */
static void audit_refusal(struct db *db, const struct principal *by, int64_t id, int in_tx,
			  const char *why)
{
	char object[48];
	snprintf(object, sizeof(object), "entitlement:%lld", (long long)id);
	struct audit_actor who = account_actor(by);
	if (in_tx)
		audit_write(db, &who, "entitlement.confirm", object, "denied", why);
	else
		audit_event(db, &who, "entitlement.confirm", object, "denied", why);
}

int entitlement_confirm(struct db *db, const struct principal *by, int64_t id,
			const char *start_month, int in_tx, char *err, size_t errlen)
{
	int rc = tx_begin(db, in_tx, err, errlen);
	if (rc)
		return rc;
	rc = tx_end(db, in_tx, confirm(db, by, id, start_month, err, errlen), err, errlen);
	if (rc == VE_DENIED)
		audit_refusal(db, by, id, in_tx, err);
	return rc;
}

/* The person's category that makes them eligible for benefit, into category. */
static int eligible_category(struct db *db, int64_t person_id, const char *benefit,
			     char category[64])
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT min(i.category) FROM benefit_types t JOIN person_identities "
		     "i ON instr('、' || t.categories || '、', '、' || i.category || "
		     "'、') > 0 WHERE t.code = ? AND i.person_id = ?",
		     "si", benefit, person_id);
	int found = st && db_step(st) == DB_ROW && !db_is_null(st, 0);
	if (found)
		str_copy(category, db_text(st, 0), 64);
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

static int grant(struct db *db, const struct principal *by, const struct entitlement_grant *g,
		 int64_t *id, char *err, size_t errlen)
{
	char start[8], end[8] = "", category[64], basis[16] = "", region[16] = "", nature[16] = "";
	int m, grade = 0;
	int rc = check_start(g->start_month, start, &m, err, errlen);
	if (rc == 0 && g->end_month && *g->end_month)
		rc = check_month("终止月份", g->end_month, end, &m, err, errlen);
	if (rc)
		return rc;
	struct db_stmt *st = db_q(db, "SELECT basis FROM benefit_types WHERE code = ?", "s",
				  g->benefit ? g->benefit : "");
	if (st && db_step(st) == DB_ROW)
		str_copy(basis, db_text(st, 0), sizeof(basis));
	db_done(st);
	if (!basis[0])
		return err_set(err, errlen, VE_INVALID, "没有这种待遇");
	int fixed = strcmp(basis, "fixed") == 0;
	if (fixed != (g->amount_fen > 0))
		return err_set(err, errlen, VE_INVALID,
			       fixed ? "该待遇须给出核定金额" : "该待遇按标准计发，不应给出金额");
	st = db_q(db,
		  "SELECT region_code FROM persons p WHERE id = ? AND " SCOPE_REGION_SQL(
			  "p.region_code", "p.created_by"),
		  "i" SCOPE_REGION_FMT, g->person_id,
		  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (st && db_step(st) == DB_ROW)
		str_copy(region, db_text(st, 0), sizeof(region));
	db_done(st);
	if (!region[0])
		return err_set(err, errlen, VE_NOTFOUND, "没有这个人员");
	if (eligible_category(db, g->person_id, g->benefit, category) != 0)
		return err_set(err, errlen, VE_INVALID, "该人员的人员类别不享受这项待遇");
	if (strcmp(basis, "graded") == 0 && person_disability(db, g->person_id, &grade, nature))
		return err_set(err, errlen, VE_INVALID, "该人员没有登记残疾等级和性质");
	if (end[0] && strcmp(end, start) < 0)
		return err_set(err, errlen, VE_INVALID, "终止月份不能早于起始月份");
	if (!has_account(db, g->person_id))
		return err_set(err, errlen, VE_INVALID, "该人员没有登记银行账号，无法发放");
	rc = db_run(
		db,
		"INSERT INTO entitlements (person_id, benefit_code, region_code, category, "
		"grade, nature, amount_fen, computation, start_month, end_month, status, "
		"status_date, created_at, created_by, confirmed_at, confirmed_by) VALUES (?, ?, "
		"?, ?, ?, ?, nullif(?, 0), nullif(?, ''), ?, nullif(?, ''), '正常', ?, ?, "
		"nullif(?, 0), ?, nullif(?, 0))",
		"isssisissssiiii", g->person_id, g->benefit, region, category, (int64_t)grade,
		nature, g->amount_fen, g->computation ? g->computation : "", start, end,
		clock_today_text(), clock_now(), by->user_id, clock_now(), by->user_id);
	if (rc == VE_EXISTS)
		return err_set(err, errlen, VE_EXISTS, "该人员已有这项待遇资格");
	if (rc)
		return err_set(err, errlen, VE_DB, "保存失败");
	*id = db_last_id(db);
	if (db_run(db, "UPDATE entitlements SET " CATCH_UP " WHERE id = ?", "i", *id) != 0)
		return err_set(err, errlen, VE_DB, "保存失败");
	char detail[400];
	snprintf(detail, sizeof(detail), "%s 自 %s 起%s%s", g->benefit, start,
		 g->computation ? "：" : "", g->computation ? g->computation : "");
	utf8_scrub(detail);
	return account_audit(db, by, "entitlement.grant", "entitlement", *id, detail);
}

int entitlement_grant(struct db *db, const struct principal *by, const struct entitlement_grant *g,
		      int in_tx, int64_t *id, char *err, size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc == 0 && !account_district_wide(by))
		rc = err_set(err, errlen, VE_DENIED, "待遇资格由区局核定，服务站只能提议");
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, grant(db, by, g, id, err, errlen), err, errlen);
}

/* ---- suspension, resumption, cancellation, death ---- */

static int suspend(struct db *db, const struct principal *by, int64_t id, const char *from_month,
		   const char *reason, char *err, size_t errlen)
{
	struct ent e;
	char from[8];
	int m;
	int rc = check_month("中止月份", from_month, from, &m, err, errlen);
	if (rc || (rc = check_reason(reason, err, errlen)) ||
	    (rc = load(db, by, id, &e, err, errlen)))
		return rc;
	if (strcmp(e.status, "正常") != 0)
		return err_set(err, errlen, VE_CONFLICT, "只有正常发放的待遇可以中止（当前：%s）",
			       e.status);
	if ((rc = after_paid(&e, from, "中止", err, errlen)))
		return rc;
	if (strcmp(from, e.start) < 0)
		return err_set(err, errlen, VE_INVALID, "中止月份不能早于起始月份 %s", e.start);
	rc = db_run(
		db,
		"INSERT INTO entitlement_pauses (entitlement_id, kind, from_month, reason, "
		"region_code) SELECT id, '中止', ?, ?, region_code FROM entitlements WHERE id = ?",
		"ssi", from, reason, id);
	if (rc == 0)
		rc = db_run(db,
			    "UPDATE entitlements SET status = '中止', status_date = ?, "
			    "status_reason = ? WHERE id = ?",
			    "ssi", clock_today_text(), reason, id);
	char detail[700];
	snprintf(detail, sizeof(detail), "自 %s 起中止：%s", from, reason);
	return rc ? rc : account_audit(db, by, "entitlement.suspend", "entitlement", id, detail);
}

int entitlement_suspend(struct db *db, const struct principal *by, int64_t id,
			const char *from_month, const char *reason, int in_tx, char *err,
			size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, suspend(db, by, id, from_month, reason, err, errlen), err, errlen);
}

/* Ends the open pauses of kind of entitlement id before month m (the first month
 * paid again): a pause that had not begun yet is removed. Then the status is 正常
 * unless another pause is still open. */
static int end_pauses(struct db *db, int64_t id, const char *kind, int m)
{
	char last[8], first[8];
	month_format(m - 1, last);
	month_format(m, first);
	int rc = db_run(db,
			"DELETE FROM entitlement_pauses WHERE entitlement_id = ? AND kind = ? AND "
			"until_month IS NULL AND from_month >= ?",
			"iss", id, kind, first);
	if (rc == 0)
		rc = db_run(
			db,
			"UPDATE entitlement_pauses SET until_month = ? WHERE entitlement_id = ? "
			"AND kind = ? AND until_month IS NULL",
			"sis", last, id, kind);
	if (rc == 0)
		rc = db_run(
			db,
			"UPDATE entitlements SET status = '正常', status_date = ?, status_reason "
			"= NULL WHERE id = ? AND status = '中止' AND NOT EXISTS (SELECT 1 FROM "
			"entitlement_pauses WHERE entitlement_id = ? AND until_month IS NULL)",
			"sii", clock_today_text(), id, id);
	return rc;
}

static int resume(struct db *db, const struct principal *by, int64_t id, const char *from_month,
		  char *err, size_t errlen)
{
	struct ent e;
	char from[8];
	int m;
	int64_t open = 0;
	int rc = check_month("恢复月份", from_month, from, &m, err, errlen);
	if (rc || (rc = load(db, by, id, &e, err, errlen)))
		return rc;
	db_int_query(db, &open, 0,
		     "SELECT count(*) FROM entitlement_pauses WHERE entitlement_id = ? AND kind = "
		     "'中止' AND until_month IS NULL AND from_month < ?",
		     "is", id, from);
	if (!open)
		return err_set(err, errlen, VE_CONFLICT,
			       "这条待遇没有在 %s 以前开始的中止，无需恢复", from);
	if ((rc = after_paid(&e, from, "恢复", err, errlen)))
		return rc;
	rc = end_pauses(db, id, "中止", m);
	char detail[64];
	snprintf(detail, sizeof(detail), "自 %s 起恢复发放", from);
	return rc ? rc : account_audit(db, by, "entitlement.resume", "entitlement", id, detail);
}

int entitlement_resume(struct db *db, const struct principal *by, int64_t id,
		       const char *from_month, int in_tx, char *err, size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, resume(db, by, id, from_month, err, errlen), err, errlen);
}

static int cancel(struct db *db, const struct principal *by, int64_t id, const char *from_month,
		  const char *reason, char *err, size_t errlen)
{
	struct ent e;
	char from[8], last[8];
	int m;
	int rc = check_month("取消月份", from_month, from, &m, err, errlen);
	if (rc || (rc = check_reason(reason, err, errlen)) ||
	    (rc = load(db, by, id, &e, err, errlen)))
		return rc;
	if (strcmp(e.status, "取消") == 0 || strcmp(e.status, "终止") == 0)
		return err_set(err, errlen, VE_CONFLICT, "这条待遇已经%s", e.status);
	if (strcmp(e.status, "待确认") != 0 && (rc = after_paid(&e, from, "取消", err, errlen)))
		return rc;
	month_format(m - 1, last);
	rc = db_run(db,
		    "UPDATE entitlements SET status = '取消', end_month = ?, status_date = ?, "
		    "status_reason = ?, catch_up_from = NULL WHERE id = ?",
		    "sssi", last, clock_today_text(), reason, id);
	char detail[700];
	snprintf(detail, sizeof(detail), "自 %s 起取消：%s", from, reason);
	return rc ? rc : account_audit(db, by, "entitlement.cancel", "entitlement", id, detail);
}

int entitlement_cancel(struct db *db, const struct principal *by, int64_t id,
		       const char *from_month, const char *reason, int in_tx, char *err,
		       size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, cancel(db, by, id, from_month, reason, err, errlen), err, errlen);
}

static int record_death(struct db *db, const struct principal *by, int64_t person_id,
			const char *date, const char *cause, struct field_errors *fe, char *err,
			size_t errlen)
{
	int m;
	char month[8];
	if (!date || month_of_date(date, &m) != 0 || strcmp(date, clock_today_text()) > 0)
		return benefit_field_error(fe, err, errlen, "死亡日期",
					   "应为不晚于今天的 YYYY-MM-DD 日期");
	size_t c = 0;
	while (c < ENTITLEMENT_N_DEATH_CAUSES &&
	       (!cause || strcmp(cause, entitlement_death_causes[c]) != 0))
		c++;
	if (c == ENTITLEMENT_N_DEATH_CAUSES)
		return benefit_field_error(fe, err, errlen, "死亡原因",
					   "应为 因病、因战、因公 或 其他");
	month_format(m, month);
	char status[16] = "";
	struct db_stmt *who = db_q(
		db,
		"SELECT status FROM persons p WHERE id = ? AND " SCOPE_REGION_SQL("p.region_code",
										  "p.created_by"),
		"i" SCOPE_REGION_FMT, person_id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (who && db_step(who) == DB_ROW)
		str_copy(status, db_text(who, 0), sizeof(status));
	db_done(who);
	if (!status[0])
		return err_set(err, errlen, VE_NOTFOUND, "没有这个人员");
	if (strcmp(status, "死亡") != 0) { /* the registry learns it too */
		char reason[32];
		struct field_errors e = {0};
		snprintf(reason, sizeof(reason), "死亡（%s）", cause);
		int rc = person_set_status(db, by, person_id, "死亡", date, reason, 1, &e);
		if (rc)
			return err_set(err, errlen, rc, "%s", field_errors_first(&e, "保存失败"));
	}
	struct db_stmt *st =
		db_q(db,
		     "SELECT id FROM entitlements WHERE person_id = ? AND status NOT IN "
		     "('取消', '终止')",
		     "i", person_id);
	if (!st)
		return VE_DB;
	int64_t ids[16];
	size_t n = 0;
	while (n < 16 && db_step(st) == DB_ROW)
		ids[n++] = db_int(st, 0);
	db_done(st);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = db_run(db,
			    "UPDATE entitlements SET status = '终止', end_month = CASE WHEN "
			    "end_month IS NULL OR end_month > ? THEN ? ELSE end_month END, "
			    "death_month = ?, death_cause = ?, status_date = ?, status_reason = "
			    "'死亡' WHERE id = ?",
			    "sssssi", month, month, month, cause, date, ids[i]);
		char detail[80];
		snprintf(detail, sizeof(detail), "%s 死亡（%s），待遇发至 %s", date, cause, month);
		if (rc == 0)
			rc = account_audit(db, by, "entitlement.death", "entitlement", ids[i],
					   detail);
	}
	return rc ? rc : death_keep_cause(db, person_id, cause);
}

int entitlement_record_death(struct db *db, const struct principal *by, int64_t person_id,
			     const char *date, const char *cause, int in_tx,
			     struct field_errors *fe, char *err, size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, record_death(db, by, person_id, date, cause, fe, err, errlen), err,
		      errlen);
}

/* The first month a registry event on date can still change for entitlement e: the
 * month after the date, and after the months already in batches. */
static void first_changeable(const struct ent *e, int date_month, char out[8])
{
	int m = date_month + 1, g;
	if (e->generated[0] && month_parse(e->generated, &g) == 0 && g + 1 > m)
		m = g + 1;
	month_format(m, out);
	if (strcmp(out, e->start) < 0)
		str_copy(out, e->start, 8);
}

/* The open entitlements of person_id (not cancelled or ended), at most 16. */
static size_t open_entitlements(struct db *db, int64_t person_id, int64_t ids[16])
{
	size_t n = 0;
	struct db_stmt *st =
		db_q(db,
		     "SELECT id FROM entitlements WHERE person_id = ? AND status NOT IN "
		     "('取消', '终止') ORDER BY id",
		     "i", person_id);
	while (st && n < 16 && db_step(st) == DB_ROW)
		ids[n++] = db_int(st, 0);
	db_done(st);
	return n;
}

static int follow(struct db *db, const struct principal *by, int64_t person_id, const char *status,
		  const char *date, char *err, size_t errlen)
{
	int dm;
	if (!date || month_of_date(date, &dm) != 0)
		return benefit_field_error(NULL, err, errlen, "日期", "应为 YYYY-MM-DD");
	int64_t ids[16];
	size_t n = open_entitlements(db, person_id, ids);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct ent e;
		char from[8], reason[64], month[8];
		if ((rc = load(db, by, ids[i], &e, err, errlen)))
			break;
		first_changeable(&e, dm, from);
		if (strcmp(status, "中止") == 0 && strcmp(e.status, "正常") == 0) {
			snprintf(reason, sizeof(reason), "人员状态中止（%s）", date);
			rc = suspend(db, by, e.id, from, reason, err, errlen);
		} else if (strcmp(status, "在册") == 0 && strcmp(e.status, "中止") == 0) {
			rc = resume(db, by, e.id, from, err, errlen);
			rc = rc == VE_CONFLICT ? 0 : rc; /* paused for another reason (年审) */
		} else if (strcmp(status, "迁出") == 0 || strcmp(status, "取消") == 0) {
			int moved = strcmp(status, "迁出") == 0;
			month_format(dm, month);
			rc = db_run(db,
				    "UPDATE entitlements SET status = ?, end_month = CASE WHEN "
				    "end_month IS NULL OR end_month > ? THEN ? ELSE end_month END, "
				    "status_date = ?, status_reason = ? WHERE id = ?",
				    "sssssi", moved ? "终止" : "取消", month, month, date,
				    moved ? "人员迁出" : "人员资格取消", e.id);
			snprintf(reason, sizeof(reason), "%s %s，待遇发至 %s", date,
				 moved ? "人员迁出" : "人员资格取消", month);
			if (rc == 0)
				rc = account_audit(db, by,
						   moved ? "entitlement.end" : "entitlement.cancel",
						   "entitlement", e.id, reason);
		}
	}
	return rc;
}

int entitlement_follow_person(struct db *db, const struct principal *by, int64_t person_id,
			      const char *status, const char *date, int in_tx, char *err,
			      size_t errlen)
{
	int rc = may_change(by, err, errlen);
	if (rc || (rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	return tx_end(db, in_tx, follow(db, by, person_id, status, date, err, errlen), err, errlen);
}

/* ---- 年度确认 ---- */

static int check_verification(struct db *db, const struct principal *by, int64_t person_id,
			      int year, const char *date, char *region, char *err, size_t errlen)
{
	int m;
	if (year < 2000 || year > 2100)
		return benefit_field_error(NULL, err, errlen, "年度", "应为 2000 至 2100 年");
	if (!date || month_of_date(date, &m) != 0 || strcmp(date, clock_today_text()) > 0)
		return benefit_field_error(NULL, err, errlen, "日期",
					   "应为不晚于今天的 YYYY-MM-DD 日期");
	region[0] = '\0';
	struct db_stmt *st = db_q(
		db,
		"SELECT region_code FROM persons p WHERE id = ? AND " SCOPE_REGION_SQL(
			"p.region_code", "p.created_by"),
		"i" SCOPE_REGION_FMT, person_id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (st && db_step(st) == DB_ROW)
		str_copy(region, db_text(st, 0), 16);
	db_done(st);
	return region[0] ? 0 : err_set(err, errlen, VE_NOTFOUND, "没有这个人员");
}

static int verification_audit(struct db *db, const struct principal *by, const char *action,
			      int64_t person_id, int year, const char *date)
{
	char object[48], detail[64];
	snprintf(object, sizeof(object), "person:%lld", (long long)person_id);
	snprintf(detail, sizeof(detail), "%d 年度，%s", year, date);
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, action, object, "ok", detail) ? VE_DB : 0;
}

int verification_notify(struct db *db, const struct principal *by, int64_t person_id, int year,
			const char *date, int in_tx, char *err, size_t errlen)
{
	char region[16];
	int rc = may_change(by, err, errlen);
	if (rc || (rc = check_verification(db, by, person_id, year, date, region, err, errlen)))
		return rc;
	if ((rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	rc = db_run(db,
		    "INSERT INTO verifications (person_id, year, notified_on, region_code) VALUES "
		    "(?, ?, ?, ?) ON CONFLICT (person_id, year) DO UPDATE SET notified_on = "
		    "excluded.notified_on",
		    "iiss", person_id, (int64_t)year, date, region);
	if (rc == 0)
		rc = verification_audit(db, by, "verification.notify", person_id, year, date);
	return tx_end(db, in_tx, rc, err, errlen);
}

int verification_record(struct db *db, const struct principal *by, int64_t person_id, int year,
			const char *date, int in_tx, char *err, size_t errlen)
{
	char region[16];
	int m;
	int rc = may_change(by, err, errlen);
	if (rc || (rc = check_verification(db, by, person_id, year, date, region, err, errlen)))
		return rc;
	if ((rc = tx_begin(db, in_tx, err, errlen)))
		return rc;
	month_of_date(date, &m);
	rc = db_run(db,
		    "INSERT INTO verifications (person_id, year, verified_on, verified_by, "
		    "region_code) VALUES (?, ?, ?, nullif(?, 0), ?) ON CONFLICT (person_id, year) "
		    "DO UPDATE SET verified_on = excluded.verified_on, verified_by = "
		    "excluded.verified_by",
		    "iisis", person_id, (int64_t)year, date, by->user_id, region);
	/* Paid again from the month after the verification. */
	struct db_stmt *st =
		rc ? NULL
		   : db_q(db, "SELECT id FROM entitlements WHERE person_id = ?", "i", person_id);
	int64_t ids[16];
	size_t n = 0;
	while (st && n < 16 && db_step(st) == DB_ROW)
		ids[n++] = db_int(st, 0);
	db_done(st);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = end_pauses(db, ids[i], "年审", m + 1);
	if (rc == 0)
		rc = verification_audit(db, by, "verification.record", person_id, year, date);
	return tx_end(db, in_tx, rc, err, errlen);
}

/* Entitlements that a lapse of year's verification suspends, as of date: notified,
 * 60 days past, not verified, paid by standard, open, not paused for it already.
 * The pause starts the month after the 60th day, or after the months already paid.
 * (CROSS JOIN keeps the verifications the outer loop in SQLite; its condition is in the
 * WHERE, as PostgreSQL takes no ON after CROSS JOIN.) */
#define LAPSED_SQL                                                                                 \
	" FROM verifications v CROSS JOIN entitlements e "                                         \
	"JOIN benefit_types t ON t.code = e.benefit_code WHERE e.person_id = v.person_id AND "     \
	"v.year = ? AND v.verified_on IS NULL AND "                                                \
	"v.notified_on IS NOT NULL AND day_add(v.notified_on, 60) < ? AND t.basis <> "             \
	"'fixed' AND e.status IN ('正常', '中止') AND NOT EXISTS (SELECT 1 FROM "              \
	"entitlement_pauses x WHERE x.entitlement_id = e.id AND x.kind = '年审' AND "            \
	"x.until_month IS NULL) AND " SCOPE_REGION_SQL("e.region_code", "e.created_by")
/* Both are never NULL (notified_on is a date): greatest ignoring NULLs changes nothing. */
#define PAUSE_FROM                                                                                 \
	"greatest(month_add(substr(day_add(v.notified_on, 60), 1, 7), 1), "                        \
	"CASE WHEN e.catch_up_from IS NULL THEN coalesce(month_add(" PAID_THROUGH(                 \
		"e.benefit_code") ", 1), '') ELSE e.catch_up_from END)"

int verification_sweep(struct db *db, const struct principal *by, int year, const char *date,
		       int in_tx, int64_t *n)
{
	char err[160];
	int m;
	*n = 0;
	if (may_change(by, err, sizeof(err)))
		return VE_DENIED;
	if (year < 2000 || year > 2100 || !date || month_of_date(date, &m) != 0 ||
	    strcmp(date, clock_today_text()) > 0)
		return VE_INVALID;
	if (db_tx_begin(db, in_tx))
		return VE_DB;
	int rc = db_run(db,
			"INSERT INTO entitlement_pauses (entitlement_id, kind, from_month, reason, "
			"region_code) SELECT e.id, '年审', " PAUSE_FROM
			", CAST(v.year AS TEXT) || ' 年度未按期确认', e.region_code" LAPSED_SQL,
			"is" SCOPE_REGION_FMT, (int64_t)year, date,
			SCOPE_REGION_ARGS(&by->scope, by->region_code));
	*n = rc == 0 ? db_changes(db) : 0;
	if (rc == 0)
		rc = db_run(
			db,
			"UPDATE entitlements SET status = '中止', status_date = ?, status_reason "
			"= '未按期年度确认' WHERE status = '正常' AND id IN (SELECT "
			"entitlement_id FROM entitlement_pauses WHERE kind = '年审' AND "
			"until_month IS NULL)",
			"s", date);
	if (rc == 0 && *n) {
		char detail[96];
		snprintf(detail, sizeof(detail), "%d 年度逾期未确认，截至 %s 中止 %lld 条待遇",
			 year, date, (long long)*n);
		struct audit_actor who = account_actor(by);
		rc = audit_write(db, &who, "verification.sweep", "verifications", "ok", detail)
			     ? VE_DB
			     : 0;
	}
	return db_tx_end(db, in_tx, rc);
}

/* The people in scope not verified for a year (bound first), with their notice. */
#define UNVERIFIED_FROM                                                                            \
	" FROM persons p LEFT JOIN verifications v ON v.person_id = p.id AND v.year = ? WHERE "    \
	"v.verified_on IS NULL AND EXISTS (SELECT 1 FROM entitlements e JOIN benefit_types t ON "  \
	"t.code = e.benefit_code WHERE e.person_id = p.id AND t.basis <> 'fixed' AND e.status IN " \
	"('正常', '中止')) AND " SCOPE_REGION_SQL("p.region_code", "p.created_by")

int verification_unverified(struct db *db, const struct principal *by, int year, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT p.id, p.name, coalesce((SELECT s.name FROM regions s WHERE s.code = "
		"p.street_code), ''), coalesce(v.notified_on, ''), "
		"coalesce(day_add(v.notified_on, 60), ''), EXISTS (SELECT 1 FROM "
		"entitlement_pauses x JOIN entitlements y ON y.id = x.entitlement_id WHERE "
		"y.person_id = p.id AND x.kind = '年审' AND x.until_month IS NULL)" UNVERIFIED_FROM
		" ORDER BY p.id LIMIT 5000",
		"i" SCOPE_REGION_FMT, (int64_t)year,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "person_id",
					(json_int_t)db_int(st, 0), "name", db_text(st, 1), "street",
					db_text(st, 2), "notified_on", db_text(st, 3), "deadline",
					db_text(st, 4), "suspended", (int)db_int(st, 5)));
	db_done(st);
	*out = list;
	return 0;
}

/* ---- lists ---- */

static json_t *pauses_json(struct db *db, int64_t id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT kind, from_month, coalesce(until_month, ''), reason FROM "
				  "entitlement_pauses WHERE entitlement_id = ? ORDER BY from_month, id",
				  "i", id);
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s}", "kind", db_text(st, 0),
						      "from_month", db_text(st, 1), "until_month",
						      db_text(st, 2), "reason", db_text(st, 3)));
	db_done(st);
	return list;
}

void entitlement_class_text(int64_t grade, const char *nature, const char *category, char *out,
			    size_t size)
{
	(void)nature; /* disability data: shown only through the audited full view */
	str_copy(out, grade ? "按评定的残疾等级" : category, size);
}

#define ENT_WHERE                                                                                  \
	" FROM entitlements e JOIN persons p ON p.id = e.person_id JOIN benefit_types t ON "       \
	"t.code = e.benefit_code LEFT JOIN regions s ON s.code = p.street_code WHERE (? = '' OR "  \
	"e.benefit_code = ?) AND (? = '' OR e.status = ?) AND (? = 0 OR e.person_id = ?) "         \
	"AND " SCOPE_REGION_SQL("e.region_code", "e.created_by")
#define ENT_FMT "ssssii" SCOPE_REGION_FMT
#define ENT_ARGS(by, b, s, p) b, b, s, s, p, p, SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code)

static json_t *entitlement_json(struct db *db, struct db_stmt *st)
{
	char cls[64];
	entitlement_class_text(db_int(st, 7), db_text(st, 8), db_text(st, 6), cls, sizeof(cls));
	json_t *o =
		json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
			  (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1), "name",
			  db_text(st, 2), "id_number", db_text(st, 3), "street", db_text(st, 4),
			  "benefit", db_text(st, 5), "benefit_name", db_text(st, 9), "class", cls,
			  "start_month", db_text(st, 10), "end_month", db_text(st, 11), "status",
			  db_text(st, 12), "status_reason", db_text(st, 13));
	json_object_set_new(o, "amount_fen", json_integer(db_int(st, 14)));
	json_object_set_new(o, "computation", json_string(db_text(st, 15)));
	json_object_set_new(o, "pauses", pauses_json(db, db_int(st, 0)));
	return o;
}

int entitlement_list(struct db *db, const struct principal *by, const struct entitlement_filter *f,
		     json_t **out)
{
	const char *benefit = f->benefit ? f->benefit : "", *status = f->status ? f->status : "";
	int64_t per_page = f->per_page < 1 ? 20 : f->per_page > 200 ? 200 : f->per_page;
	int64_t page = f->page < 1 ? 1 : f->page, total = 0;
	if (db_int_query(db, &total, 0, "SELECT count(*)" ENT_WHERE, ENT_FMT,
			 ENT_ARGS(by, benefit, status, f->person_id)))
		return VE_DB;
	struct db_stmt *st =
		db_q(db,
		     "SELECT e.id, e.person_id, p.name, p.id_mask, coalesce(s.name, ''), "
		     "e.benefit_code, e.category, e.grade, e.nature, t.name, e.start_month, "
		     "coalesce(e.end_month, ''), e.status, coalesce(e.status_reason, ''), "
		     "coalesce(e.amount_fen, 0), coalesce(e.computation, '')" ENT_WHERE
		     " ORDER BY e.status <> '待确认', e.id DESC LIMIT ? OFFSET ?",
		     ENT_FMT "ii", ENT_ARGS(by, benefit, status, f->person_id), per_page,
		     (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, entitlement_json(db, st));
	db_done(st);
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

/* ---- the area ---- */

const struct perm perm_entitlement_write = {"entitlement.write", "办理待遇资格与年度确认",
					    ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_entitlement_confirm = {"entitlement.confirm", "确认待遇资格",
					      ROLE_BIT(REVIEWER) | ROLE_BIT(APPROVER)};

static const struct perm *const perms[] = {
	PERM_ENTITLEMENT_WRITE,
	PERM_ENTITLEMENT_CONFIRM,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"entitlement.propose", "生成待遇资格提议"}, {"entitlement.confirm", "确认待遇资格"},
	{"entitlement.grant", "核定待遇资格"},       {"entitlement.suspend", "中止待遇"},
	{"entitlement.resume", "恢复待遇"},          {"entitlement.cancel", "取消待遇"},
	{"entitlement.death", "登记死亡终止待遇"},   {"entitlement.end", "终止待遇"},
	{"verification.notify", "发出年度确认通知"}, {"verification.record", "登记年度确认"},
	{"verification.sweep", "逾期未确认中止"},    {NULL, NULL},
};

/* Every day, the verification sweep of the button on /verifications, as of the day of
 * the slot, for the notices of that year and of the year before (as a batch's
 * generation does). */
static int sweep_job(struct db *db, const struct job_run *run, int64_t *count, char *detail,
		     size_t detail_size)
{
	char date[17];
	clock_local_minute(run->scheduled_for, date);
	date[10] = '\0';
	int year = atoi(date);
	int64_t last_year = 0, this_year = 0;
	int rc = verification_sweep(db, run->by, year - 1, date, 1, &last_year);
	if (rc == 0)
		rc = verification_sweep(db, run->by, year, date, 1, &this_year);
	*count = last_year + this_year;
	if (rc)
		return err_set(detail, detail_size, rc, "年度确认逾期中止未完成：%s",
			       err_message(rc));
	snprintf(detail, detail_size, "截至 %s，%d、%d 年度通知后逾期未确认，中止 %lld 条待遇",
		 date, year - 1, year, (long long)*count);
	return 0;
}

static const struct job verification_sweep_job = {
	.name = "verification.sweep",
	.title = "年度确认逾期中止",
	.schedule = {.hour = 2, .minute = 0},
	.run = sweep_job,
};

static const struct job *const jobs[] = {
	&verification_sweep_job,
	NULL,
};

/* What waits for by: this year's 年度确认 not yet recorded (one who records them, in
 * his scope), proposals to confirm (a checker of the bureau). */
static int entitlement_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (perm_allows(by->roles, PERM_ENTITLEMENT_WRITE)) {
		int year = atoi(clock_today_text());
		struct db_stmt *st =
			db_q(db, "SELECT count(*), count(v.notified_on)" UNVERIFIED_FROM,
			     "i" SCOPE_REGION_FMT, (int64_t)year,
			     SCOPE_REGION_ARGS(&by->scope, by->region_code));
		if (!st || db_step(st) != DB_ROW) {
			db_done(st);
			return VE_DB;
		}
		int64_t n = db_int(st, 0), notified = db_int(st, 1);
		db_done(st);
		if (n > 0) {
			char title[64], note[96], href[48];
			snprintf(title, sizeof(title), "办理 %d 年度确认", year);
			if (notified)
				snprintf(note, sizeof(note),
					 "尚未确认；已通知 %lld 人，通知后 60 天未确认即中止发放",
					 (long long)notified);
			else
				str_copy(note, "尚未确认，也未发出确认通知", sizeof(note));
			snprintf(href, sizeof(href), "/verifications?year=%d", year);
			json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title", title,
							      "count", (json_int_t)n, "href", href,
							      "note", note));
		}
	}
	if (perm_allows(by->roles, PERM_ENTITLEMENT_CONFIRM) && account_district_wide(by)) {
		struct entitlement_filter f = {.status = ENTITLEMENT_PROPOSED, .per_page = 1};
		json_t *found = NULL;
		if (entitlement_list(db, by, &f, &found))
			return VE_DB;
		json_int_t n = json_integer_value(json_object_get(found, "total"));
		json_decref(found);
		if (n > 0)
			json_array_append_new(
				list, json_pack("{s:s,s:I,s:s,s:s}", "title", "确认待遇资格", "count", n,
						"href", "/entitlements?status=%E5%BE%85%E7%A1%AE%E8%AE%A4",
						"note", "确认后从起始月份开始发放；提出人不能确认"));
	}
	return 0;
}

const struct area entitlement_area = {
	.name = "entitlement",
	.perms = perms,
	.audit_titles = audit_titles,
	.jobs = jobs,
	.todos = entitlement_todos,
};

/* ---- a registry status change and its benefits ---- */

/* The name of a benefit person_id holds (not ended) whose funeral sum depends on the
 * cause of death (a funeral rule limited to one cause), into name; "" when none. */
static int cause_dependent_benefit(struct db *db, int64_t person_id, char *name, size_t len)
{
	name[0] = '\0';
	struct db_stmt *st = db_q(db,
				  "SELECT t.name FROM entitlements e JOIN benefit_types t ON "
				  "t.code = e.benefit_code WHERE e.person_id = ? AND e.status NOT IN "
				  "('取消', '终止') AND t.funeral_months > 0 AND t.funeral_cause IS "
				  "NOT NULL ORDER BY t.sort LIMIT 1",
				  "i", person_id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(name, db_text(st, 0), len);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

/* A death without a cause is refused when a sum depends on the cause: left empty it
 * would be recorded as 其他 and silently lose the funeral sum. An explicit 其他 is the
 * clerk's answer, like 因战 or 因公, and is kept. */
static int require_cause(struct db *db, int64_t person_id, const char *cause,
			 struct field_errors *e)
{
	char name[64];
	if (cause && *cause)
		return 0;
	int rc = cause_dependent_benefit(db, person_id, name, sizeof(name));
	if (rc || !name[0])
		return rc;
	field_errors_add(e, "死亡原因",
			 "该人员享受%s，死亡后一次性发放的金额取决于死亡原因，请选择死亡原因",
			 name);
	return VE_INVALID;
}

int entitlement_person_status(struct db *db, const struct principal *by, int64_t person_id,
			      const struct entitlement_status_change *c, int in_tx,
			      struct field_errors *e)
{
	int death = c->status && strcmp(c->status, "死亡") == 0;
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	char err[200] = "";
	rc = person_set_status(db, by, person_id, c->status, c->date, c->reason, 1, e);
	if ((rc == 0 || rc == VE_INVALID) && death &&
	    !perm_allows(by->roles, PERM_DEATH_REPORT_CHECK)) { /* a station reports it */
		field_errors_add(e, "状态", "服务站不能直接登记死亡：请在人员页点“上报死亡”并附死亡证明，"
					    "由区局核实后登记");
		rc = VE_INVALID;
	}
	if (rc == 0 && death)
		rc = require_cause(db, person_id, c->cause, e);
	if (rc == 0)
		rc = death ? entitlement_record_death(db, by, person_id, c->date,
						      c->cause && *c->cause ? c->cause : "其他", 1,
						      e, err, sizeof(err))
			   : entitlement_follow_person(db, by, person_id, c->status, c->date, 1,
						       err, sizeof(err));
	if (rc == VE_INVALID && !e->n)
		field_errors_add(e, death ? "死亡原因" : "状态", "%s", err);
	return db_tx_end(db, in_tx, rc);
}

/* ---- vocabularies ---- */

const char *const entitlement_statuses[ENTITLEMENT_N_STATUSES] = {
	ENTITLEMENT_PROPOSED, ENTITLEMENT_ACTIVE, "中止", "取消", "终止"};
const char *const entitlement_death_causes[ENTITLEMENT_N_DEATH_CAUSES] = {"因病", "因战", "因公",
									  "其他"};

/* ---- walking entitlements (the demo, timed work): every one, whatever the scope ---- */

/* Steps st, calling fn(ctx, col 0, col 1 or 0) per row until fn returns non-zero. */
static int each_row(struct db_stmt *st, int two, entitlement_row_fn fn, void *ctx)
{
	if (!st)
		return VE_DB;
	int rc = 0, step;
	while (rc == 0 && (step = db_step(st)) == DB_ROW)
		rc = fn(ctx, db_int(st, 0), two ? db_int(st, 1) : 0);
	if (rc == 0 && step != DB_DONE)
		rc = VE_DB;
	db_done(st);
	return rc;
}

int entitlement_each_with_status(struct db *db, const char *status, entitlement_row_fn fn,
				 void *ctx)
{
	return each_row(db_q(db,
			     "SELECT id, person_id FROM entitlements WHERE status = ? ORDER BY id",
			     "s", status),
			1, fn, ctx);
}

int entitlement_each_open_suspension(struct db *db, const char *before_month, entitlement_row_fn fn,
				     void *ctx)
{
	return each_row(db_q(db,
			     "SELECT entitlement_id FROM entitlement_pauses WHERE kind = '中止' "
			     "AND until_month IS NULL AND from_month < ? ORDER BY id",
			     "s", before_month),
			0, fn, ctx);
}
