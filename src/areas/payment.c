/* payment.c - payment batches: generation, 复核, 审批, the bank file, the return
 * file and the year's figures. */
#include "payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/entitlement.h"
#include "areas/person.h"
#include "areas/sealed.h"
#include "areas/scope.h"
#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

/* The name a page shows for who did a step: the person's name, else the account's. */
static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* ---- generation ---- */

/* The last month a batch of period pays for a benefit paid per cycle: the period
 * itself, the end of its quarter, or the end of its year. */
static int horizon(const char *cycle, int period)
{
	if (strcmp(cycle, "quarter") == 0)
		return period - period % 3 + 2;
	if (strcmp(cycle, "year") == 0)
		return period - period % 12 + 11;
	return period;
}

/* The standard in force for entitlement e's class in calendar month c: an exact
 * category before a standard for any category of the same date. */
#define STANDARD_OF(e, month)                                                                      \
	"(SELECT s.id FROM benefit_standards s WHERE s.benefit_code = " e                          \
	".benefit_code AND s.category IN (" e ".category, '') AND s.grade = " e                    \
	".grade AND s.nature = " e                                                                 \
	".nature AND s.status = '已生效' AND s.effective_from <= " month                           \
	" || '-01' ORDER BY s.effective_from DESC, s.category DESC LIMIT 1)"
/* The share of month number m (1-12) of standard sid's yearly amount. */
#define SHARE_OF(sid, m)                                                                           \
	"(SELECT (s.national_fen + s.local_fen) * " m " / 12 - (s.national_fen + s.local_fen) * "  \
	"(" m " - 1) / 12 FROM benefit_standards s WHERE s.id = " sid ")"
/* Generation steps bind ?1 the batch, ?2 the horizon (the last month it pays for),
 * ?3 the benefit, ?4 the month after the benefit's last batch, ?5 a step's own value. */

/* The months c of entitlement e the batch pays: from its catch-up month, else from the
 * month after the last batch (or its start), to the horizon or its end. A condition of
 * the WHERE: the lines join "entitlements e CROSS JOIN calendar_months c" (CROSS keeps
 * the entitlements the outer loop in SQLite; PostgreSQL takes no ON after CROSS JOIN). */
#define DUE_MONTHS(e, c)                                                                           \
	c ".month >= CASE WHEN " e ".catch_up_from IS NOT NULL THEN " e                            \
	".catch_up_from ELSE greatest(" e ".start_month, ?4) END AND " c                           \
	".month <= least(coalesce(" e ".end_month, '9999-12'), ?2)"
/* …and not inside a pause. */
#define NOT_PAUSED(e, c)                                                                           \
	"(" e ".ever_paused = 0 OR NOT EXISTS (SELECT 1 FROM entitlement_pauses x WHERE "          \
	"x.entitlement_id = " e ".id AND x.from_month <= " c ".month AND (x.until_month IS NULL "  \
	"OR x.until_month >= " c ".month)))"

/* The classes (category, grade, nature) due and the first month each is due for,
 * read from the index entitlements_class alone. The work tables are named without
 * "temp.": SQLite looks in temp first, PostgreSQL in pg_temp. */
static const char classes_sql[] =
	"INSERT INTO due_classes SELECT benefit_code, category, grade, nature, min(CASE WHEN "
	"catch_up_from IS NOT NULL THEN catch_up_from ELSE greatest(start_month, ?4) END) FROM "
	"entitlements WHERE benefit_code = ?3 AND confirmed_at IS NOT NULL AND start_month <= ?2 "
	"AND coalesce(end_month, '9999-12') >= CASE WHEN catch_up_from IS NOT NULL THEN "
	"catch_up_from ELSE greatest(start_month, ?4) END GROUP BY benefit_code, category, grade, "
	"nature";
/* The standard and month's share of each class and month due: a small table the
 * lines then join, instead of looking the standard up for every line. */
static const char class_standards_sql[] =
	"INSERT INTO due_standards SELECT k.category, k.grade, k.nature, k.month, k.sid, "
	"" SHARE_OF("k.sid", "k.m") " FROM (SELECT k.*, c.month, c.m, " STANDARD_OF(
		"k", "c.month") " AS sid FROM due_classes k JOIN calendar_months c ON c.month "
				">= k.first AND c.month <= ?2) k";
/* A class and month due with no standard in force: the earliest month, and of that
 * month the first class. */
static const char missing_standard_sql[] =
	"SELECT category || CASE WHEN grade > 0 THEN ' ' || CAST(grade AS TEXT) || '级' || nature "
	"ELSE '' END || ' ' || month FROM due_standards WHERE sid IS NULL ORDER BY month, "
	"category, grade, nature LIMIT 1";
/* The street of a region code: its first nine digits, when it has them. */
#define STREET_OF(region) "CASE WHEN length(" region ") >= 9 THEN substr(" region ", 1, 9) END"
#define INSERT_LINE                                                                                \
	"INSERT INTO pay_lines (batch_id, entitlement_id, person_id, benefit_code, month, kind, "  \
	"standard_id, amount_fen, reissue_of, region_code, street_code) "

/* Every statement that writes lines orders them (entitlement, then month): a line's
 * number (流水号) is its id, and both stores then number the same lines alike. */
/* clang-format off */
/* Regular lines of a benefit paid by standard: one per entitlement and due month. */
static const char standard_lines_sql[] = INSERT_LINE
	"SELECT ?1, e.id, e.person_id, e.benefit_code, c.month, 'regular', d.sid, d.share, NULL, "
	"e.region_code, " STREET_OF("e.region_code") " "
	"FROM entitlements e CROSS JOIN calendar_months c CROSS JOIN due_standards d "
	"WHERE " DUE_MONTHS("e", "c") " AND d.category = e.category AND d.grade = e.grade "
	"AND d.nature = e.nature AND d.month = c.month "
	"AND e.benefit_code = ?3 AND e.confirmed_at IS NOT NULL AND " NOT_PAUSED("e", "c") " "
	"ORDER BY e.id, c.month";
/* Regular lines of a fixed benefit: the entitlement's amount once (?5 'once') or in
 * the first month of each year from its start ('year'). */
static const char fixed_lines_sql[] = INSERT_LINE
	"SELECT ?1, e.id, e.person_id, e.benefit_code, c.month, 'regular', NULL, e.amount_fen, "
	"NULL, e.region_code, " STREET_OF("e.region_code") " "
	"FROM entitlements e CROSS JOIN calendar_months c WHERE " DUE_MONTHS("e", "c") " "
	"AND e.benefit_code = ?3 AND e.confirmed_at IS NOT NULL AND " NOT_PAUSED("e", "c") " "
	"AND CASE ?5 WHEN 'once' THEN c.month = e.start_month "
	"ELSE (c.year * 12 + c.m - CAST(substr(e.start_month, 1, 4) AS INTEGER) * 12 "
	"- CAST(substr(e.start_month, 6, 2) AS INTEGER)) % 12 = 0 END ORDER BY e.id, c.month";
/* Caught up: from now on paid with everyone else. */
static const char caught_up_sql[] =
	"UPDATE entitlements SET catch_up_from = NULL WHERE benefit_code = ?3 "
	"AND catch_up_from IS NOT NULL AND catch_up_from <= ?2";
/* Every failed line not yet paid again, while its month is still due. */
static const char reissue_sql[] = INSERT_LINE
	"SELECT ?1, f.entitlement_id, f.person_id, f.benefit_code, f.month, f.kind, "
	"f.standard_id, f.amount_fen, f.id, e.region_code, " STREET_OF("e.region_code") " "
	"FROM pay_lines f JOIN entitlements e ON e.id = f.entitlement_id "
	"WHERE f.benefit_code = ?3 AND f.status = '失败' "
	"AND NOT EXISTS (SELECT 1 FROM pay_lines r WHERE r.reissue_of = f.id) "
	"AND (f.kind = 'funeral' OR e.end_month IS NULL OR f.month <= e.end_month) ORDER BY f.id";
/* Back pay: for each month from ?5 with a live regular line, the standard in force now
 * minus what the live lines of that month hold, when more. */
static const char backpay_sql[] = INSERT_LINE
	"SELECT ?1, y.entitlement_id, y.person_id, y.benefit_code, y.month, 'backpay', y.sid, "
	"y.due - y.paid, NULL, y.region_code, " STREET_OF("y.region_code") " "
	"FROM (SELECT x.*, " SHARE_OF("x.sid", "x.m") " AS due, "
	"(SELECT sum(b.amount_fen) FROM pay_lines b WHERE b.person_id = x.person_id "
	"AND b.benefit_code = x.benefit_code AND b.month = x.month "
	"AND b.kind IN ('regular', 'backpay') AND b.status <> '失败') AS paid "
	"FROM (SELECT l.entitlement_id, l.person_id, l.benefit_code, l.month, e.region_code, c.m, "
	STANDARD_OF("e", "l.month") " AS sid "
	"FROM entitlements e JOIN pay_lines l ON l.person_id = e.person_id "
	"AND l.benefit_code = e.benefit_code AND l.month >= ?5 AND l.month <= ?2 "
	"JOIN calendar_months c ON c.month = l.month "
	"WHERE e.benefit_code = ?3 AND l.kind = 'regular' AND l.status <> '失败') x "
	"WHERE x.sid IS NOT NULL) y WHERE y.due > y.paid ORDER BY y.entitlement_id, y.month";
/* The funeral sum once after a death, for a benefit with a funeral rule: that many
 * months of the yearly standard in force in the death month. */
static const char funeral_sql[] = INSERT_LINE
	"SELECT ?1, f.id, f.person_id, f.benefit_code, f.month, 'funeral', f.sid, "
	"(SELECT (s.national_fen + s.local_fen) * f.months / 12 FROM benefit_standards s "
	"WHERE s.id = f.sid), NULL, f.region_code, " STREET_OF("f.region_code") " "
	"FROM (SELECT e.*, month_add(e.death_month, 1) AS month, "
	"t.funeral_months AS months, " STANDARD_OF("e", "e.death_month") " AS sid "
	"FROM benefit_types t CROSS JOIN entitlements e "
	"WHERE e.benefit_code = t.code AND t.code = ?3 AND t.funeral_months > 0 "
	"AND e.death_month IS NOT NULL AND e.confirmed_at IS NOT NULL "
	"AND (t.funeral_cause IS NULL OR t.funeral_cause = e.death_cause)) f "
	"WHERE f.sid IS NOT NULL AND f.month <= ?2 AND NOT EXISTS (SELECT 1 FROM pay_lines b "
	"WHERE b.person_id = f.person_id AND b.benefit_code = f.benefit_code "
	"AND b.kind = 'funeral' AND b.status <> '失败') ORDER BY f.id";
/* clang-format on */

/* The first month of the standards approved since the benefit's last batch, or ""
 * when none was: back pay looks at months from there. *seq: the newest approval. */
static int new_standards(struct db *db, const char *benefit, char first[11], int64_t *seq)
{
	int64_t seen = 0;
	first[0] = '\0';
	if (db_int_query(db, &seen, 0,
			 "SELECT coalesce(max(standard_seq), 0) FROM pay_batches WHERE "
			 "benefit_code = ? AND status <> '已退回'",
			 "s", benefit) ||
	    db_int_query(db, seq, 0,
			 "SELECT coalesce(max(approved_seq), 0) FROM benefit_standards WHERE "
			 "benefit_code = ? AND status = '已生效'",
			 "s", benefit))
		return VE_DB;
	struct db_stmt *st =
		db_q(db,
		     "SELECT substr(min(effective_from), 1, 7) FROM benefit_standards "
		     "WHERE benefit_code = ? AND status = '已生效' AND approved_seq > ?",
		     "si", benefit, seen);
	if (st && db_step(st) == DB_ROW && !db_is_null(st, 0))
		str_copy(first, db_text(st, 0), 8);
	db_done(st);
	return st ? 0 : VE_DB;
}

/* Counts the lines of batch_id by kind into res and keeps its totals. */
static int total_batch(struct db *db, int64_t batch_id, struct pay_result *res)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT count(*), coalesce(sum(amount_fen), 0), count(*) FILTER (WHERE "
		     "kind = 'regular' AND reissue_of IS NULL), count(*) FILTER (WHERE kind = "
		     "'backpay' AND reissue_of IS NULL), count(*) FILTER (WHERE kind = "
		     "'funeral' AND reissue_of IS NULL), count(reissue_of) FROM pay_lines "
		     "WHERE batch_id = ?",
		     "i", batch_id);
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	res->lines = db_int(st, 0);
	res->amount_fen = db_int(st, 1);
	res->regular = db_int(st, 2);
	res->backpay = db_int(st, 3);
	res->funeral = db_int(st, 4);
	res->reissued = db_int(st, 5);
	db_done(st);
	return db_run(db, "UPDATE pay_batches SET lines = ?, amount_fen = ? WHERE id = ?", "iii",
		      res->lines, res->amount_fen, batch_id);
}

/* Runs one generation step with its first n of ?1 batch, ?2 last, ?3 benefit, ?4 next,
 * ?5 own (SQLite refuses a value for a number the text does not use). */
static int step(struct db *db, const char *sql, int n, int64_t batch, const char *const v[4])
{
	char fmt[6] = "issss";
	fmt[n] = '\0';
	return db_run(db, sql, fmt, batch, v[0], v[1], v[2], v[3]);
}

/* The temporary tables a generation works with, emptied. */
static int fresh_work_tables(struct db *db)
{
	return db_exec(db,
		       "CREATE TEMP TABLE IF NOT EXISTS due_classes (benefit_code TEXT, "
		       "category TEXT, grade INTEGER, nature TEXT, first TEXT);"
		       "CREATE TEMP TABLE IF NOT EXISTS due_standards (category TEXT, grade "
		       "INTEGER, nature TEXT, month TEXT, sid INTEGER, share INTEGER, PRIMARY KEY "
		       "(category, grade, nature, month));"
		       "DELETE FROM due_classes; DELETE FROM due_standards;");
}

/* The standards of the classes due (a standard benefit), or a refusal naming the first
 * class and month that has none. */
static int find_standards(struct db *db, const struct benefit_info *b, const char *const v[4],
			  char *err, size_t errlen)
{
	char missing[160] = "";
	if (fresh_work_tables(db) || step(db, classes_sql, 4, 0, v) ||
	    step(db, class_standards_sql, 2, 0, v))
		return err_set(err, errlen, VE_DB, "生成失败，未生成批次");
	struct db_stmt *st = db_q(db, missing_standard_sql, "");
	if (st && db_step(st) == DB_ROW)
		str_copy(missing, db_text(st, 0), sizeof(missing));
	db_done(st);
	if (missing[0])
		return err_set(err, errlen, VE_INVALID,
			       "%s 缺少适用的待遇标准（%s），请先拟定并审批标准", b->name, missing);
	return 0;
}

/* Refuses a period already generated, or one before the benefit's last batch. */
static int check_period(struct db *db, const char *month, const struct benefit_info *b,
			char next[8], char *err, size_t errlen)
{
	int64_t existing = 0;
	char through[8] = "";
	struct db_stmt *st = db_q(db,
				  "SELECT coalesce(max(through), '') FROM pay_batches WHERE "
				  "benefit_code = ? AND status <> '已退回'",
				  "s", b->code);
	if (st && db_step(st) == DB_ROW)
		str_copy(through, db_text(st, 0), sizeof(through));
	db_done(st);
	if (!st ||
	    db_int_query(db, &existing, 0,
			 "SELECT id FROM pay_batches WHERE period = ? AND benefit_code = ? AND "
			 "status <> '已退回'",
			 "ss", month, b->code))
		return err_set(err, errlen, VE_DB, "生成失败，未生成批次");
	if (existing)
		return err_set(err, errlen, VE_EXISTS,
			       "%s %s 已经生成过批次（第 %lld 批），不能重复生成", month, b->name,
			       (long long)existing);
	if (through[0] && strcmp(month, through) <= 0)
		return err_set(err, errlen, VE_INVALID, "%s 已发放至 %s，不能再生成 %s 的批次",
			       b->name, through, month);
	if (strncmp(month, clock_today_text(), 7) > 0)
		return err_set(err, errlen, VE_INVALID, "%s 尚未到来，不能提前生成批次", month);
	int m;
	next[0] = '\0';
	if (through[0] && month_parse(through, &m) == 0)
		month_format(m + 1, next);
	return 0;
}

static int generate(struct db *db, const struct principal *by, int period,
		    const struct benefit_info *b, struct pay_result *res, char *err, size_t errlen)
{
	char month[8], last[8], next[8], first_new[11];
	int64_t seq = 0, swept;
	month_format(period, month);
	int fixed = strcmp(b->basis, "fixed") == 0;
	month_format(fixed ? period : horizon(b->cycle, period), last);
	int rc = check_period(db, month, b, next, err, errlen);
	if (rc)
		return rc;
	const char *v[4] = {last, b->code, next, ""};
	int year = period / 12;
	if (verification_sweep(db, by, year - 1, clock_today_text(), 1, &swept) ||
	    verification_sweep(db, by, year, clock_today_text(), 1, &swept) ||
	    new_standards(db, b->code, first_new, &seq))
		return err_set(err, errlen, VE_DB, "生成失败，未生成批次");
	if (!fixed && (rc = find_standards(db, b, v, err, errlen)))
		return rc;
	rc = db_run(db,
		    "INSERT INTO pay_batches (period, benefit_code, status, standard_seq, through, "
		    "created_at, created_by, created_name, region_code) VALUES (?, ?, '待复核', ?, "
		    "?, ?, nullif(?, 0), ?, ?)",
		    "ssisiiss", month, b->code, seq, last, clock_now(), by->user_id,
		    signer_name(by), by->region_code);
	if (rc == VE_EXISTS) /* generated meanwhile by someone else */
		return err_set(err, errlen, VE_EXISTS, "%s %s 已经生成过批次，不能重复生成", month,
			       b->name);
	if (rc)
		return err_set(err, errlen, VE_DB, "生成失败，未生成批次");
	int64_t id = db_last_id(db);
	const char *with_cycle[4] = {last, b->code, next, b->cycle};
	const char *with_new[4] = {last, b->code, next, first_new};
	rc = fixed ? step(db, fixed_lines_sql, 5, id, with_cycle)
		   : step(db, standard_lines_sql, 4, id, v);
	if (rc == 0)
		rc = step(db, reissue_sql, 3, id, v);
	if (rc == 0 && !fixed && first_new[0])
		rc = step(db, backpay_sql, 5, id, with_new);
	if (rc == 0 && !fixed)
		rc = step(db, funeral_sql, 3, id, v);
	if (rc == 0)
		rc = step(db, caught_up_sql, 3, id, v);
	if (rc == 0) /* the accounts it pays into are those as of now (see 0011) */
		rc = db_run(db,
			    "UPDATE pay_batches SET history_mark = (SELECT coalesce(max(id), 0) "
			    "FROM person_history) WHERE id = ?",
			    "i", id);
	if (rc == 0)
		rc = total_batch(db, id, res);
	if (rc == VE_EXISTS) /* a unique key of pay_lines: a month paid twice */
		return err_set(err, errlen, VE_CONFLICT,
			       "发放明细与已有明细重复（同一人同一待遇同一月份），未生成批次");
	if (rc)
		return err_set(err, errlen, VE_DB, "生成失败，未生成批次");
	if (res->lines == 0) {
		res->nothing_due = 1;
		return err_set(err, errlen, VE_INVALID, "%s %s 没有应发放的待遇，未生成批次", month,
			       b->name);
	}
	res->batch_id = id;
	str_copy(res->benefit_name, b->name, sizeof(res->benefit_name));
	char detail[200], yuan[32];
	money_format_grouped(res->amount_fen, yuan);
	snprintf(detail, sizeof(detail), "%s %s：%lld 笔，%s 元", month, b->name,
		 (long long)res->lines, yuan);
	return account_audit(db, by, "pay.generate", "batch", id, detail);
}

int pay_generate(struct db *db, const struct principal *by, const char *period, const char *benefit,
		 struct pay_result *res, struct field_errors *fe, char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	int m;
	struct benefit_info b;
	if (!period || month_parse(period, &m) != 0)
		return benefit_field_error(fe, err, errlen, "期间",
					   "应为 YYYY-MM 格式的月份，例如 2026-01");
	if (!benefit || benefit_find(db, benefit, &b) != 0)
		return benefit_field_error(fe, err, errlen, "待遇", "没有“%.40s”这种待遇",
					   benefit ? benefit : "");
	if (!account_district_wide(by) || !perm_allows(by->roles, PERM_PAY_GENERATE))
		return err_set(err, errlen, VE_DENIED, "发放批次由区局经办人生成");
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = generate(db, by, m, &b, res, err, errlen);
	if (db_tx_end(db, 0, rc) == 0)
		return 0;
	int nothing_due = rc == VE_INVALID && res->nothing_due;
	memset(res, 0, sizeof(*res));
	res->nothing_due = nothing_due;
	return rc ? rc : err_set(err, errlen, VE_DB, "生成失败，未生成批次");
}

/* ---- 复核 and 审批 ---- */

/* Changes of a person's account or bank for the lines of batch_id that its checkers
 * have not seen: after the mark of the benefit's previous approved batch (whose
 * checkers were shown those before it) and up to the batch's own mark, when it took
 * its copy of the accounts. */
#define ACCOUNT_CHANGES_FROM                                                                     \
	" FROM pay_batches b JOIN pay_lines l ON l.batch_id = b.id JOIN person_history h ON "    \
	"h.person_id = l.person_id AND h.field IN ('银行账号', '开户银行') AND h.id <= "             \
	"b.history_mark WHERE b.id = ?1 AND h.id > coalesce((SELECT max(x.history_mark) FROM "   \
	"pay_batches x WHERE x.benefit_code = b.benefit_code AND x.status = '已审批' AND "        \
	"x.period < b.period), 0)"

/* The number of persons of batch_id whose account changed (see ACCOUNT_CHANGES_FROM)
 * into *n: 0 or VE_DB. */
static int account_changes_count(struct db *db, int64_t batch_id, int64_t *n)
{
	return db_int_query(db, n, 0, "SELECT count(DISTINCT l.person_id)" ACCOUNT_CHANGES_FROM,
			    "i", batch_id);
}

struct batch_state {
	char status[16];
	int64_t created_by, reviewed_by; /* 0: the command line, or nobody yet */
};

static int load_state(struct db *db, int64_t id, struct batch_state *s)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT status, coalesce(created_by, 0), coalesce(reviewed_by, 0) "
		     "FROM pay_batches WHERE id = ?",
		     "i", id);
	int found = st && db_step(st) == DB_ROW;
	if (found) {
		str_copy(s->status, db_text(st, 0), sizeof(s->status));
		s->created_by = db_int(st, 1);
		s->reviewed_by = db_int(st, 2);
	}
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

/* Signs batch id as reviewed (复核) or approved (审批) by by: a real account of the
 * district, in order, and no one twice. */
static int sign(struct db *db, const struct principal *by, int64_t id, int approve, char *err,
		size_t errlen)
{
	struct batch_state s;
	const char *from = approve ? "待审批" : "待复核";
	if (load_state(db, id, &s))
		return err_set(err, errlen, VE_NOTFOUND, "没有这个批次");
	if (by->user_id == 0)
		return err_set(err, errlen, VE_DENIED, "复核和审批须以本人账号办理（--as 用户名）");
	if (!account_district_wide(by) ||
	    !perm_allows(by->roles, approve ? PERM_PAY_APPROVE : PERM_PAY_REVIEW))
		return err_set(err, errlen, VE_DENIED, "您没有%s发放批次的权限",
			       approve ? "审批" : "复核");
	if (strcmp(s.status, from) != 0)
		return err_set(err, errlen, VE_CONFLICT, "该批次当前为“%s”，不能%s", s.status,
			       approve ? "审批" : "复核");
	if (by->user_id == s.created_by || by->user_id == s.reviewed_by)
		return err_set(err, errlen, VE_DENIED,
			       "生成、复核、审批须由三个不同的人办理：您已办理过该批次的%s",
			       by->user_id == s.created_by ? "生成" : "复核");
	int rc = db_run(db,
			approve ? "UPDATE pay_batches SET status = '已审批', approved_at = ?, "
				  "approved_by = ?, approved_name = ? WHERE id = ?"
				: "UPDATE pay_batches SET status = '待审批', reviewed_at = ?, "
				  "reviewed_by = ?, reviewed_name = ? WHERE id = ?",
			"iisi", clock_now(), by->user_id, signer_name(by), id);
	/* What the checker was shown of accounts changed since their last check. */
	int64_t changed = 0;
	char detail[80] = "";
	if (rc == 0 && (rc = account_changes_count(db, id, &changed)) == 0 && changed)
		snprintf(detail, sizeof(detail), "含银行账号变更 %lld 人", (long long)changed);
	return rc ? rc
		  : account_audit(db, by, approve ? "pay.approve" : "pay.review", "batch", id,
				  detail);
}

static int sign_tx(struct db *db, const struct principal *by, int64_t id, int approve, char *err,
		   size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = sign(db, by, id, approve, err, errlen);
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
}

int pay_review(struct db *db, const struct principal *by, int64_t batch_id, char *err,
	       size_t errlen)
{
	return sign_tx(db, by, batch_id, 0, err, errlen);
}

int pay_approve(struct db *db, const struct principal *by, int64_t batch_id, char *err,
		size_t errlen)
{
	return sign_tx(db, by, batch_id, 1, err, errlen);
}

/* ---- many at once ---- */

int pay_generate_due(struct db *db, const struct principal *by, const char *period,
		     pay_each_fn each, void *ctx, int64_t *made, struct field_errors *fe, char *err,
		     size_t errlen)
{
	int m;
	json_t *types = NULL;
	*made = 0;
	if (!period || month_parse(period, &m) != 0)
		return benefit_field_error(fe, err, errlen, "期间",
					   "应为 YYYY-MM 格式的月份，例如 2026-01");
	if (!account_district_wide(by) || !perm_allows(by->roles, PERM_PAY_GENERATE))
		return err_set(err, errlen, VE_DENIED, "发放批次由区局经办人生成");
	if (benefit_types(db, &types) != 0)
		return err_set(err, errlen, VE_DB, "读取待遇种类失败");
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		struct pay_result res;
		char why[300] = "";
		const char *code = json_string_value(json_object_get(t, "code"));
		int rc = pay_generate(db, by, period, code, &res, NULL, why, sizeof(why));
		*made += rc == 0;
		each(ctx, 0, json_string_value(json_object_get(t, "name")), rc, &res, why);
	}
	json_decref(types);
	return 0;
}

/* The batches of one period that the n ids name (n 0: those of period waiting for the
 * step), into *list (malloc'd) and *count, and that period into period; VE_INVALID when
 * they span several periods. */
static int batches_to_sign(struct db *db, int approve, char period[8], const int64_t *ids, size_t n,
			   int64_t **list, size_t *count, char *err, size_t errlen)
{
	char seen[8] = "";
	*list = xmalloc((n ? n : 1) * sizeof(**list));
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st =
			db_q(db, "SELECT period FROM pay_batches WHERE id = ?", "i", ids[i]);
		const char *p = st && db_step(st) == DB_ROW ? db_text(st, 0) : "";
		int other = *p && ((*period && strcmp(p, period) != 0) ||
				   (*seen && strcmp(p, seen) != 0));
		if (*p && !*seen)
			str_copy(seen, p, sizeof(seen));
		db_done(st);
		if (other)
			return err_set(err, errlen, VE_INVALID,
				       "一次只能办理同一期间的批次，请分期办理");
		(*list)[(*count)++] = ids[i];
	}
	if (n) {
		str_copy(period, seen, 8);
		return 0;
	}
	struct db_stmt *st = db_q(db,
				  "SELECT id FROM pay_batches WHERE period = ? AND status = ? "
				  "ORDER BY id LIMIT 1000",
				  "ss", period, approve ? "待审批" : "待复核");
	if (!st)
		return VE_DB;
	size_t cap = 1;
	while (db_step(st) == DB_ROW) {
		if (*count == cap)
			*list = xrealloc(*list, (cap *= 2) * sizeof(**list));
		(*list)[(*count)++] = db_int(st, 0);
	}
	db_done(st);
	if (*count == 0)
		return err_set(err, errlen, VE_INVALID, "%s 没有%s的批次", period,
			       approve ? "待审批" : "待复核");
	return 0;
}

int pay_sign_many(struct db *db, const struct principal *by, int approve, char period[8],
		  const int64_t *ids, size_t n, pay_each_fn each, void *ctx, int64_t *done,
		  char *err, size_t errlen)
{
	int64_t *list;
	size_t count;
	*done = 0;
	int rc = batches_to_sign(db, approve, period, ids, n, &list, &count, err, errlen);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		char why[256] = "", name[96] = "";
		struct db_stmt *st =
			db_q(db,
			     "SELECT b.period || ' ' || t.name FROM pay_batches b JOIN "
			     "benefit_types t ON t.code = b.benefit_code WHERE b.id = ?",
			     "i", list[i]);
		if (st && db_step(st) == DB_ROW)
			str_copy(name, db_text(st, 0), sizeof(name));
		db_done(st);
		int one = sign_tx(db, by, list[i], approve, why, sizeof(why));
		*done += one == 0;
		each(ctx, list[i], name, one, NULL, why);
	}
	free(list);
	return rc;
}

/* ---- 退回 ---- */

/* Sends batch id back (see pay_reject) inside the caller's transaction: its lines are
 * deleted, so that it owns none (and shows 0 lines, 0 元) and the months they paid are
 * due again. */
static int reject(struct db *db, const struct principal *by, int64_t id, const char *reason,
		  char *err, size_t errlen)
{
	struct batch_state s;
	char benefit[32] = "", through[8] = "", before[8] = "";
	int64_t later = 0, lines = 0, amount = 0;
	size_t n = reason ? utf8_count(reason, strlen(reason)) : 0;
	if (load_state(db, id, &s))
		return err_set(err, errlen, VE_NOTFOUND, "没有这个批次");
	if (n == 0 || n > 200 || !str_is_printable(reason, strlen(reason), 0))
		return benefit_field_error(NULL, err, errlen, "退回原因", "请填写 1 至 200 字");
	int approving = strcmp(s.status, "待审批") == 0;
	if (!approving && strcmp(s.status, "待复核") != 0)
		return err_set(err, errlen, VE_CONFLICT, "该批次当前为“%s”，不能退回", s.status);
	if (by->user_id == 0 || !account_district_wide(by) ||
	    !perm_allows(by->roles, approving ? PERM_PAY_APPROVE : PERM_PAY_REVIEW) ||
	    by->user_id == s.created_by)
		return err_set(err, errlen, VE_DENIED, "只有%s人（非经办人）可以退回该批次",
			       approving ? "审批" : "复核");
	struct db_stmt *st =
		db_q(db,
		     "SELECT benefit_code, through, lines, amount_fen, (SELECT "
		     "count(*) FROM pay_batches x WHERE x.benefit_code = b.benefit_code "
		     "AND x.status <> '已退回' AND x.through > b.through), (SELECT "
		     "coalesce(max(x.through), '') FROM pay_batches x WHERE "
		     "x.benefit_code = b.benefit_code AND x.status <> '已退回' AND x.id "
		     "<> b.id) FROM pay_batches b WHERE id = ?",
		     "i", id);
	if (st && db_step(st) == DB_ROW) {
		str_copy(benefit, db_text(st, 0), sizeof(benefit));
		str_copy(through, db_text(st, 1), sizeof(through));
		lines = db_int(st, 2);
		amount = db_int(st, 3);
		later = db_int(st, 4);
		str_copy(before, db_text(st, 5), sizeof(before));
	}
	db_done(st);
	if (!benefit[0])
		return VE_DB;
	if (later)
		return err_set(err, errlen, VE_CONFLICT,
			       "该待遇已有更晚的批次，只能退回最新的批次");
	/* Entitlements it caught up are owed those months again. */
	int rc = db_run(
		db,
		"UPDATE entitlements SET catch_up_from = (SELECT min(l.month) FROM pay_lines "
		"l WHERE l.batch_id = ?1 AND l.entitlement_id = entitlements.id AND "
		"l.kind = 'regular' AND l.reissue_of IS NULL AND l.month <= ?2) WHERE id IN "
		"(SELECT entitlement_id FROM pay_lines WHERE batch_id = ?1 AND kind = "
		"'regular' AND reissue_of IS NULL AND month <= ?2)",
		"is", id, before);
	if (rc == 0)
		rc = db_run(db, "DELETE FROM pay_lines WHERE batch_id = ?", "i", id);
	if (rc == 0)
		rc = db_run(db,
			    "UPDATE pay_batches SET status = '已退回', lines = 0, amount_fen = 0, "
			    "paid_lines = 0, failed_lines = 0, rejected_at = ?, rejected_by = ?, "
			    "rejected_name = ?, reject_reason = ? WHERE id = ?",
			    "iissi", clock_now(), by->user_id, signer_name(by), reason, id);
	char detail[800], yuan[32];
	money_format_grouped(amount, yuan);
	snprintf(detail, sizeof(detail), "退回（%s）：%s；撤销明细 %lld 笔，%s 元",
		 approving ? "审批" : "复核", reason, (long long)lines, yuan);
	return rc ? rc : account_audit(db, by, "pay.reject", "batch", id, detail);
}

int pay_reject(struct db *db, const struct principal *by, int64_t batch_id, const char *reason,
	       char *err, size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = reject(db, by, batch_id, reason, err, errlen);
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
}

/* ---- the bank file ---- */

/* A person's field as of batch b's mark: what the first change after the mark replaced
 * (no row when none changed it since). */
#define AS_OF_MARK(column, field)                                                                  \
	"SELECT " column " FROM person_history h WHERE h.person_id = l.person_id AND h.field = " \
	"'" field "' AND h.id > b.history_mark ORDER BY h.id LIMIT 1"

const char *const pay_bank_columns[6] = {"流水号", "户名", "账号", "开户行", "金额", "摘要"};

static const char *kind_title(const char *kind)
{
	return strcmp(kind, "backpay") == 0   ? "补发"
	       : strcmp(kind, "funeral") == 0 ? "丧葬抚恤"
					      : "正常发放";
}

int pay_bank_rows(struct db *db, const struct principal *by, int64_t batch_id,
		  int (*row)(void *ctx, const char *const *cells), void *ctx, char *err,
		  size_t errlen)
{
	struct batch_state s;
	if (load_state(db, batch_id, &s))
		return err_set(err, errlen, VE_NOTFOUND, "没有这个批次");
	if (!account_district_wide(by) || !perm_allows(by->roles, PERM_PAY_BANK))
		return err_set(err, errlen, VE_DENIED, "代发文件由区局经办人导出");
	if (strcmp(s.status, "已审批") != 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "该批次尚未审批（当前：%s），审批后才能生成代发文件", s.status);
	struct db_stmt *st = db_q(
		db,
		"SELECT l.id, coalesce(c.family_name, p.name), CASE WHEN EXISTS (" AS_OF_MARK("1",
		"银行账号") ") THEN (" AS_OF_MARK("h.old_enc", "银行账号") ") ELSE p.account_enc END, "
		"coalesce((" AS_OF_MARK("h.old_value", "开户银行") "), p.bank_name, ''), l.amount_fen, l.month, l.kind, t.name, l.person_id FROM pay_batches b JOIN "
		"pay_lines l ON l.batch_id = b.id JOIN persons p ON p.id = l.person_id "
		"JOIN "
		"benefit_types t ON t.code = l.benefit_code LEFT JOIN conscripts c ON c.person_id "
		"= "
		"l.person_id AND t.basis = 'fixed' WHERE b.id = ? ORDER BY l.id",
		"i", batch_id);
	if (!st)
		return err_set(err, errlen, VE_DB, "读取失败");
	char id[24], account[64], amount[32], memo[128];
	int rc, stopped = 0;
	while (!stopped && (rc = db_step(st)) == DB_ROW) {
		size_t len;
		const void *blob = db_blob(st, 2, &len);
		snprintf(id, sizeof(id), "%lld", (long long)db_int(st, 0));
		sealed_open(PERSON_SEALED_ACCOUNT, db_int(st, 8), blob, len, account,
				  sizeof(account));
		money_format(db_int(st, 4), amount);
		snprintf(memo, sizeof(memo), "%s %s %s", db_text(st, 5), db_text(st, 7),
			 kind_title(db_text(st, 6)));
		const char *cells[6] = {id, db_text(st, 1), account, db_text(st, 3), amount, memo};
		stopped = row(ctx, cells);
	}
	mem_wipe(account, sizeof(account));
	db_done(st);
	if (stopped)
		return err_set(err, errlen, VE_IO, "写入代发文件失败");
	if (rc != DB_DONE)
		return err_set(err, errlen, VE_DB, "读取失败");
	/* Delivered in full: the full accounts were seen. */
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = account_audit(db, by, "pay.bank_file", "batch", batch_id,
			   "导出代发文件（含完整账号）");
	if (rc == 0)
		rc = db_run(db, "UPDATE pay_batches SET exported_at = ? WHERE id = ?", "ii",
			    clock_now(), batch_id);
	return db_tx_end(db, 0, rc) ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

struct file_ctx {
	struct sheet_writer *w;
};

static int write_row(void *ctx, const char *const *cells)
{
	struct file_ctx *f = ctx;
	char guarded[6][512];
	const char *out[6];
	for (int i = 0; i < 6; i++)
		out[i] = sheet_guard(cells[i], guarded[i], sizeof(guarded[i]));
	return sheet_write_row(f->w, out, 6) != 0;
}

int pay_bank_file(struct db *db, const struct principal *by, int64_t batch_id, const char *path,
		  char *err, size_t errlen)
{
	struct file_ctx f = {sheet_create(path, "代发文件", err, errlen)};
	if (!f.w)
		return VE_IO;
	int rc = write_row(&f, pay_bank_columns) ? VE_IO : 0;
	if (rc == 0)
		rc = pay_bank_rows(db, by, batch_id, write_row, &f, err, errlen);
	char ferr[200];
	int closed = sheet_finish(f.w, ferr, sizeof(ferr));
	if (rc == 0 && closed)
		rc = err_set(err, errlen, VE_IO, "%s", ferr);
	if (rc)
		remove(path);
	return rc;
}

/* ---- the return file ---- */

struct outcome {
	int64_t line;
	long row;
	int ok;
	size_t reason; /* offset into the reasons buffer */
};

enum { R_LINE, R_AMOUNT, R_RESULT, R_REASON, R_COLS };

/* Checks one row against the batch's line; the reason into why. */
static int check_return(struct db *db, int64_t batch_id, const struct sheet_row *row,
			const int col[R_COLS], struct outcome *o, char *why, size_t size)
{
	int64_t amount, line_amount = -1, line_batch = 0;
	const char *result = sheet_cell(row, col[R_RESULT]);
	const char *line = sheet_cell(row, col[R_LINE]);
	if (str_to_i64(line, strlen(line), 1, INT64_MAX, &o->line) != 0)
		return snprintf(why, size, "流水号应为数字：%.40s", line), -1;
	struct db_stmt *st =
		db_q(db, "SELECT batch_id, amount_fen, status FROM pay_lines WHERE id = ?", "i",
		     o->line);
	char status[16] = "";
	if (st && db_step(st) == DB_ROW) {
		line_batch = db_int(st, 0);
		line_amount = db_int(st, 1);
		str_copy(status, db_text(st, 2), sizeof(status));
	}
	db_done(st);
	if (!line_batch)
		return snprintf(why, size, "没有流水号为 %lld 的发放明细", (long long)o->line), -1;
	if (line_batch != batch_id)
		return snprintf(why, size, "流水号 %lld 不属于本批次（属于第 %lld 批）",
				(long long)o->line, (long long)line_batch),
		       -1;
	if (money_parse(sheet_cell(row, col[R_AMOUNT]), MONEY_MAX_FEN, &amount) != 0 ||
	    amount != line_amount) {
		char want[32];
		money_format_grouped(line_amount, want);
		return snprintf(why, size, "金额与发放明细不符：应为 %s 元", want), -1;
	}
	if (strcmp(result, "成功") != 0 && strcmp(result, "失败") != 0)
		return snprintf(why, size, "结果应为“成功”或“失败”：%.40s", result), -1;
	o->ok = strcmp(result, "成功") == 0;
	if (strcmp(status, "待发") != 0 && strcmp(status, o->ok ? "已发" : "失败") != 0)
		return snprintf(why, size, "流水号 %lld 已对账为“%s”，与本次结果不符",
				(long long)o->line, status),
		       -1;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line ? 1 : x->row < y->row ? -1 : 1;
}

/* Reads and checks the file into outcomes (malloc'd) and the failure reasons into
 * reasons; the number of bad rows, or -1 when the file could not be read (err). */
static long read_returns(struct db *db, int64_t batch_id, struct sheet_reader *in,
			 struct outcome **out, size_t *n, struct buf *reasons,
			 pay_error_fn on_error, void *ctx, char *err, size_t errlen)
{
	struct sheet_row row;
	int col[R_COLS], rc;
	if ((rc = sheet_next(in, &row, err, errlen)) != 1) {
		if (rc == 0)
			err_set(err, errlen, VE_INVALID, "文件是空的：第一行应为表头");
		return -1;
	}
	static const char *const names[R_COLS] = {"流水号", "金额", "结果", "失败原因"};
	char why[200];
	if (sheet_columns(&row, names, R_COLS, 7u, 1, col, why, sizeof(why)) != 0) {
		on_error(ctx, row.number, why);
		return err_set(err, errlen, VE_INVALID, "表头有误"), -1;
	}
	long bad = 0;
	size_t cap = 256;
	*out = xmalloc(cap * sizeof(**out));
	*n = 0;
	while ((rc = sheet_next(in, &row, err, errlen)) == 1) {
		if (row.n == 0)
			continue;
		if (*n == cap)
			*out = xrealloc(*out, (cap *= 2) * sizeof(**out));
		struct outcome *o = &(*out)[*n];
		o->row = row.number;
		o->reason = 0;
		o->line = 0;
		if (check_return(db, batch_id, &row, col, o, why, sizeof(why)) != 0) {
			on_error(ctx, row.number, why);
			bad++;
			*n += o->line > 0; /* kept to find the line named twice */
			continue;
		}
		if (!o->ok) {
			const char *reason = sheet_cell(&row, col[R_REASON]);
			char text[256];
			snprintf(text, sizeof(text), "%s", *reason ? reason : "银行未说明原因");
			utf8_scrub(text);
			o->reason = reasons->len;
			if (buf_append(reasons, text, strlen(text) + 1) != 0)
				return err_set(err, errlen, VE_LIMIT, "失败原因过多，请分批导入"),
				       -1;
		}
		(*n)++;
	}
	if (rc < 0)
		return -1;
	if (*n == 0 && !bad)
		return err_set(err, errlen, VE_INVALID, "回盘文件没有任何明细"), -1;
	qsort(*out, *n, sizeof(**out), by_line);
	for (size_t i = 1; i < *n; i++)
		if ((*out)[i].line == (*out)[i - 1].line) {
			snprintf(why, sizeof(why), "流水号 %lld 重复（第 %ld 行已有）",
				 (long long)(*out)[i].line, (*out)[i - 1].row);
			on_error(ctx, (*out)[i].row, why);
			bad++;
		}
	return bad;
}

static int apply_returns(struct db *db, const struct principal *by, int64_t batch_id,
			 const struct outcome *o, size_t n, const struct buf *reasons,
			 int64_t *paid, int64_t *failed)
{
	int rc = 0;
	*paid = *failed = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = db_run(db,
			    "UPDATE pay_lines SET status = ?, fail_reason = ? WHERE id = ? AND "
			    "status = '待发'",
			    "ssi", o[i].ok ? "已发" : "失败",
			    o[i].ok ? NULL : reasons->data + o[i].reason, o[i].line);
		*(o[i].ok ? paid : failed) += db_changes(db);
	}
	if (rc == 0)
		rc = db_run(db,
			    "UPDATE pay_batches SET paid_lines = paid_lines + ?, failed_lines = "
			    "failed_lines + ?, reconciled_at = CASE WHEN lines = paid_lines + "
			    "failed_lines + ? + ? THEN ? END WHERE id = ?",
			    "iiiiii", *paid, *failed, *paid, *failed, clock_now(), batch_id);
	char detail[120];
	snprintf(detail, sizeof(detail), "回盘：成功 %lld 笔，失败 %lld 笔", (long long)*paid,
		 (long long)*failed);
	return rc ? rc : account_audit(db, by, "pay.reconcile", "batch", batch_id, detail);
}

int pay_reconcile(struct db *db, const struct principal *by, int64_t batch_id, const char *path,
		  pay_error_fn on_error, void *ctx, int64_t *paid, int64_t *failed, char *err,
		  size_t errlen)
{
	struct batch_state s;
	*paid = *failed = 0;
	if (load_state(db, batch_id, &s))
		return err_set(err, errlen, VE_NOTFOUND, "没有这个批次");
	if (!account_district_wide(by) || !perm_allows(by->roles, PERM_PAY_BANK))
		return err_set(err, errlen, VE_DENIED, "银行回盘由区局经办人导入");
	if (strcmp(s.status, "已审批") != 0)
		return err_set(err, errlen, VE_CONFLICT, "该批次尚未审批，不能导入回盘");
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	struct outcome *o = NULL;
	size_t n = 0;
	struct buf reasons;
	buf_init(&reasons, 64u << 20);
	long bad = read_returns(db, batch_id, in, &o, &n, &reasons, on_error, ctx, err, errlen);
	sheet_close(in);
	int rc = VE_INVALID;
	if (bad > 0)
		err_set(err, errlen, VE_INVALID, "%ld 行有误，回盘未导入，任何明细都未改变", bad);
	else if (bad == 0 && db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if (bad == 0) {
		rc = apply_returns(db, by, batch_id, o, n, &reasons, paid, failed);
		if (db_tx_end(db, 0, rc)) {
			*paid = *failed = 0;
			rc = err_set(err, errlen, VE_DB, "保存失败，回盘未导入");
		}
	}
	buf_free(&reasons);
	free(o);
	return rc;
}

/* ---- lists ---- */

/* A batch as the bureau sees it: its kept totals. */
#define BATCH_SELECT                                                                               \
	"SELECT b.id, b.period, b.benefit_code, t.name, b.status, b.lines, b.amount_fen, "         \
	"b.created_name, coalesce(b.reviewed_name, ''), coalesce(b.approved_name, ''), "           \
	"b.paid_lines, b.failed_lines, coalesce(b.exported_at, 0) FROM pay_batches b JOIN "        \
	"benefit_types t ON t.code = b.benefit_code WHERE (? = 0 OR b.id = ?)"
/* A batch as a station sees it: the totals of its own lines (and only batches that
 * hold some). */
#define BATCH_SELECT_SCOPED_WHERE                                                                      \
	"SELECT b.id, b.period, b.benefit_code, t.name, b.status, count(*), sum(l.amount_fen), "   \
	"b.created_name, coalesce(b.reviewed_name, ''), coalesce(b.approved_name, ''), "           \
	"count(*) FILTER (WHERE l.status = '已发'), count(*) FILTER (WHERE l.status = '失败'), " \
	"coalesce(b.exported_at, 0) FROM "                                                          \
	"pay_batches b JOIN benefit_types t ON t.code = b.benefit_code JOIN pay_lines l ON "       \
	"l.batch_id = b.id AND " SCOPE_REGION_SQL("l.region_code", "0") " WHERE (? = 0 OR b.id = ?)"
#define BATCH_GROUP " GROUP BY b.id, t.code"
/* A period's batch sent back and the one generated again: in the order they were made. */
#define BATCH_ORDER " ORDER BY b.period DESC, t.sort, b.id LIMIT 5000"

static json_t *batch_json(struct db_stmt *st)
{
	int64_t lines = db_int(st, 5), paid = db_int(st, 10), failed = db_int(st, 11);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)db_int(st, 0),
			      "period", db_text(st, 1), "benefit", db_text(st, 2), "benefit_name",
			      db_text(st, 3), "status", db_text(st, 4), "lines", (json_int_t)lines,
			      "amount_fen", (json_int_t)db_int(st, 6));
	json_object_set_new(o, "amount", benefit_money_json(db_int(st, 6)));
	json_object_set_new(o, "created_name", json_string(db_text(st, 7)));
	json_object_set_new(o, "reviewed_name", json_string(db_text(st, 8)));
	json_object_set_new(o, "approved_name", json_string(db_text(st, 9)));
	json_object_set_new(o, "paid", json_integer(paid));
	json_object_set_new(o, "failed", json_integer(failed));
	json_object_set_new(o, "pending", json_integer(lines - paid - failed));
	json_object_set_new(o, "exported", json_boolean(db_int(st, 12) != 0));
	return o;
}

/* The batches (id 0: all, newest first) in by's view, to their end. */
/* The batches of one status ('' any); a batch sent back counts as 已退回 only while no
 * batch of its benefit for its period or a later one was generated since (the months it
 * paid are then still unpaid: the maker's to-do). */
#define BATCH_STATUS                                                                               \
	" AND (? = '' OR (b.status = ? AND (b.status <> '" PAY_BATCH_RETURNED "' OR NOT EXISTS ("  \
	"SELECT 1 FROM pay_batches n WHERE n.benefit_code = b.benefit_code AND n.period >= "     \
	"b.period AND n.status <> '" PAY_BATCH_RETURNED "'))))"

static json_t *batches(struct db *db, const struct principal *by, int64_t id, const char *status)
{
	struct db_stmt *st =
		account_district_wide(by)
			? db_q(db, BATCH_SELECT BATCH_STATUS BATCH_ORDER, "iiss", id, id, status,
			       status)
			: db_q(db, BATCH_SELECT_SCOPED_WHERE BATCH_STATUS BATCH_GROUP BATCH_ORDER,
			       SCOPE_REGION_FMT "iiss", SCOPE_REGION_ARGS(&by->scope, by->region_code),
			       id, id, status, status);
	if (!st)
		return NULL;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, batch_json(st));
	db_done(st);
	return list;
}

int pay_batch_list(struct db *db, const struct principal *by, json_t **out)
{
	return (*out = batches(db, by, 0, "")) ? 0 : VE_DB;
}

int pay_batch_list_status(struct db *db, const struct principal *by, const char *status,
			  json_t **out)
{
	return (*out = batches(db, by, 0, status ? status : "")) ? 0 : VE_DB;
}

int pay_batch_get(struct db *db, const struct principal *by, int64_t batch_id, json_t **out)
{
	json_t *list = batches(db, by, batch_id, "");
	if (!list)
		return VE_DB;
	*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return *out ? 0 : VE_NOTFOUND;
}

int pay_account_changes(struct db *db, const struct principal *by, int64_t batch_id,
			json_t **out)
{
	int64_t total = 0;
	if (!account_district_wide(by) || account_changes_count(db, batch_id, &total))
		return account_district_wide(by) ? VE_DB : VE_DENIED;
	struct db_stmt *st = db_q(db,
				  "SELECT DISTINCT h.id, l.person_id, (SELECT name FROM persons p "
				  "WHERE p.id = l.person_id), h.field, h.at, h.username"
				  ACCOUNT_CHANGES_FROM " ORDER BY h.id DESC LIMIT 100",
				  "i", batch_id);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	char at[17];
	while (db_step(st) == DB_ROW) {
		clock_local_minute(db_int(st, 4), at);
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s}", "person_id",
						       (json_int_t)db_int(st, 1), "name",
						       db_text(st, 2), "field", db_text(st, 3), "at",
						       at, "by", db_text(st, 5)));
	}
	db_done(st);
	*out = json_pack("{s:I,s:o}", "persons", (json_int_t)total, "items", items);
	return 0;
}

/* How a line's amount was found, in words. */
static void computation(struct db_stmt *st, char *out, size_t size)
{
	const char *kind = db_text(st, 9);
	int64_t amount = db_int(st, 10), yearly = db_int(st, 15), m = db_int(st, 17);
	char a[32], y[32], prefix[48] = "", cls[64];
	entitlement_class_text(db_int(st, 22), db_text(st, 23), db_text(st, 19), cls, sizeof(cls));
	money_format_grouped(amount, a);
	money_format_grouped(yearly, y);
	if (!db_is_null(st, 18))
		snprintf(prefix, sizeof(prefix), "重发失败的第 %lld 笔：",
			 (long long)db_int(st, 18));
	if (db_is_null(st, 14)) /* fixed: the entitlement says */
		snprintf(out, size, "%s%s", prefix, db_text(st, 20));
	else if (strcmp(kind, "funeral") == 0)
		snprintf(out, size, "%s%s 年标准 %s 元 × %lld 个月 ÷ 12 = %s 元", prefix, cls, y,
			 (long long)db_int(st, 21), a);
	else if (strcmp(kind, "backpay") == 0) {
		char due[32];
		money_format_grouped(benefit_month_share(yearly, (int)m), due);
		snprintf(out, size, "%s按 %s 起新标准 %s 元/年，%s 应发 %s 元，补发差额 %s 元",
			 prefix, db_text(st, 16), y, db_text(st, 8), due, a);
	} else
		snprintf(out, size, "%s%s 年标准 %s 元（%s 起）÷ 12，%lld 月份额 %s 元", prefix,
			 cls, y, db_text(st, 16), (long long)m, a);
	utf8_scrub(out);
}

/* The filters of a list of lines, bound as LINE_FMT / LINE_ARGS. The lead term picks
 * the lines through an index: one batch's lines come from pay_lines_batch (a line
 * belongs to the batch its batch_id names), a person's from pay_lines_person, a year's
 * are the lines of that year's batches; LEAD_ANY binds its value and ignores it. */
#define LINES_OF_BATCHES " FROM pay_batches b JOIN pay_lines l ON l.batch_id = b.id"
#define LINES_WITH_BATCH " FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id"
#define LEAD_LINE_BATCH "b.id = ?"
#define LEAD_LINE_PERSON "l.person_id = ?"
#define LEAD_LINE_YEAR "CAST(substr(b.period, 1, 4) AS INTEGER) = ?"
#define LEAD_LINE_ANY "(? IS NULL OR TRUE)"
enum { LINES_BY_BATCH, LINES_BY_PERSON, LINES_BY_YEAR, LINES_BY_NOTHING, LINE_LEADS };
#define LINE_FILTER                                                                                \
	" AND (? = 0 OR CAST(substr(b.period, 1, 4) AS INTEGER) = ?) AND (? = 0 OR "               \
	"CAST(substr(b.period, 6, 2) AS INTEGER) = ?) AND (? = '' OR "                             \
	"l.benefit_code = ?) AND (? = '' OR l.status = ?) AND (? = '' OR l.street_code = ?) AND "  \
	"(? = 0 OR l.batch_id = ?) AND (? = 0 OR l.person_id = ?) AND " SCOPE_REGION_SQL(          \
		"l.region_code", "0")
/* What a shown line needs besides the line and its batch. */
#define LINE_JOINS                                                                                 \
	" JOIN persons p ON p.id = l.person_id LEFT JOIN regions r ON r.code = l.street_code "     \
	"JOIN "                                                                                    \
	"benefit_types t ON t.code = l.benefit_code LEFT JOIN benefit_standards s ON s.id = "      \
	"l.standard_id JOIN entitlements e ON e.id = l.entitlement_id"
#define LINE_FMT                                                                                   \
	"i"                                                                                        \
	"iiiissssssii"                                                                             \
	"ii" SCOPE_REGION_FMT
#define LINE_ARGS(by, f, lead, benefit, status, street)                                            \
	lead, (int64_t)(f)->year, (int64_t)(f)->year, (int64_t)(f)->month, (int64_t)(f)->month,    \
		benefit, benefit, status, status, street, street, (f)->batch_id, (f)->batch_id,    \
		(f)->person_id, (f)->person_id, SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code)
/* The statements of one query by lead term: prefix(from, lead) then suffix. */
#define BY_LINE_LEAD(prefix, suffix)                                                               \
	{                                                                                          \
		prefix(LINES_OF_BATCHES, LEAD_LINE_BATCH) suffix,                                  \
			prefix(LINES_WITH_BATCH, LEAD_LINE_PERSON) suffix,                         \
			prefix(LINES_OF_BATCHES, LEAD_LINE_YEAR) suffix,                           \
			prefix(LINES_WITH_BATCH, LEAD_LINE_ANY) suffix                             \
	}
#define LINE_COUNT(from, lead)                                                                     \
	"SELECT count(*), coalesce(sum(l.amount_fen), 0), count(DISTINCT l.person_id)" from        \
	" WHERE " lead LINE_FILTER
static const char *const line_count_sql[LINE_LEADS] = BY_LINE_LEAD(LINE_COUNT, "");
#define LINE_SELECT                                                                                \
	"SELECT l.id, l.batch_id, b.period, l.person_id, p.name, coalesce(r.name, ''), "           \
	"l.benefit_code, t.name, l.month, l.kind, l.amount_fen, l.status, "                        \
	"coalesce(l.fail_reason, ''), l.entitlement_id, l.standard_id, coalesce(s.national_fen + " \
	"s.local_fen, 0), coalesce(s.effective_from, ''), CAST(substr(l.month, 6, 2) AS "          \
	"INTEGER), l.reissue_of, e.category, coalesce(e.computation, ''), t.funeral_months, "      \
	"e.grade, e.nature"
#define LINE_ROWS(from, lead) LINE_SELECT from LINE_JOINS " WHERE " lead LINE_FILTER
static const char *const line_oldest_sql[LINE_LEADS] =
	BY_LINE_LEAD(LINE_ROWS, " ORDER BY l.id LIMIT ? OFFSET ?");
static const char *const line_newest_sql[LINE_LEADS] =
	BY_LINE_LEAD(LINE_ROWS, " ORDER BY l.id DESC LIMIT ? OFFSET ?");

static json_t *line_json(struct db_stmt *st)
{
	char how[512];
	computation(st, how, sizeof(how));
	json_t *o = json_pack(
		"{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)db_int(st, 0),
		"batch_id", (json_int_t)db_int(st, 1), "period", db_text(st, 2), "person_id",
		(json_int_t)db_int(st, 3), "name", db_text(st, 4), "street", db_text(st, 5),
		"benefit", db_text(st, 6), "benefit_name", db_text(st, 7), "month", db_text(st, 8),
		"kind", db_text(st, 9), "amount_fen", (json_int_t)db_int(st, 10));
	json_object_set_new(o, "kind_title", json_string(kind_title(db_text(st, 9))));
	json_object_set_new(o, "amount", benefit_money_json(db_int(st, 10)));
	json_object_set_new(o, "computation", json_string(how));
	json_object_set_new(o, "status", json_string(db_text(st, 11)));
	json_object_set_new(o, "fail_reason", json_string(db_text(st, 12)));
	json_object_set_new(o, "entitlement_id", json_integer(db_int(st, 13)));
	return o;
}

int pay_line_list(struct db *db, const struct principal *by, const struct pay_line_filter *f,
		  json_t **out)
{
	const char *benefit = f->benefit ? f->benefit : "", *status = f->status ? f->status : "";
	const char *street = f->street ? f->street : "";
	int64_t per_page = f->per_page < 1 ? 50 : f->per_page > 500 ? 500 : f->per_page;
	int64_t page = f->page < 1 ? 1 : f->page, total = 0, amount = 0, persons = 0;
	int lead = f->batch_id    ? LINES_BY_BATCH
		   : f->person_id ? LINES_BY_PERSON
		   : f->year      ? LINES_BY_YEAR
				  : LINES_BY_NOTHING;
	int64_t value = f->batch_id ? f->batch_id : f->person_id ? f->person_id : f->year;
	struct db_stmt *st = db_q(db, line_count_sql[lead], LINE_FMT,
				  LINE_ARGS(by, f, value, benefit, status, street));
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	total = db_int(st, 0);
	amount = db_int(st, 1);
	persons = db_int(st, 2);
	db_done(st);
	st = db_q(db, (f->newest_first ? line_newest_sql : line_oldest_sql)[lead], LINE_FMT "ii",
		  LINE_ARGS(by, f, value, benefit, status, street), per_page,
		  (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, line_json(st));
	db_done(st);
	*out = json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "amount_fen",
			 (json_int_t)amount, "persons", (json_int_t)persons, "items", items);
	json_object_set_new(*out, "amount", benefit_money_json(amount));
	return 0;
}

int pay_stats(struct db *db, const struct principal *by, int year, int month, const char *street,
	      json_t **out)
{
	char from[16], to[16];
	snprintf(from, sizeof(from), "%04d-%02d", year % 10000, month ? month % 100 : 1);
	snprintf(to, sizeof(to), "%04d-%02d", year % 10000, month ? month % 100 : 12);
	const char *s = street ? street : "";
	struct db_stmt *st = db_q(
		db,
		"SELECT t.code, t.name, count(DISTINCT CASE WHEN l.status = '已发' THEN "
		"l.person_id "
		"END), count(*) FILTER (WHERE l.status = '已发'), coalesce(sum(CASE WHEN l.status = "
		"'已发' "
		"THEN l.amount_fen END), 0), count(l.id), coalesce(sum(l.amount_fen), 0), "
		"count(*) FILTER (WHERE l.status = '待发'), count(*) FILTER (WHERE l.status = "
		"'失败') FROM "
		"benefit_types t LEFT JOIN pay_batches b ON b.benefit_code = t.code AND b.period "
		">= ? AND b.period <= ? LEFT JOIN pay_lines l ON l.batch_id = b.id "
		"AND (? = '' OR "
		"l.street_code = ?) AND " SCOPE_REGION_SQL("l.region_code", "0") " GROUP BY "
										 "t.code ORDER BY "
										 "min(t.sort), t.code",
		"ssss" SCOPE_REGION_FMT, from, to, s, s,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "code", db_text(st, 0),
				  "name", db_text(st, 1), "persons", (json_int_t)db_int(st, 2),
				  "payments", (json_int_t)db_int(st, 3), "amount_fen",
				  (json_int_t)db_int(st, 4), "lines", (json_int_t)db_int(st, 5),
				  "lines_amount_fen", (json_int_t)db_int(st, 6), "pending",
				  (json_int_t)db_int(st, 7), "failed", (json_int_t)db_int(st, 8)));
	db_done(st);
	*out = json_pack("{s:i,s:s,s:o}", "year", year, "street", s, "benefits", list);
	if (month)
		json_object_set_new(*out, "month", json_integer(month));
	return 0;
}

/* ---- the area ---- */

const struct perm perm_pay_generate = {"pay.generate", "生成发放批次", ROLE_BIT(CLERK)};
const struct perm perm_pay_review = {"pay.review", "复核发放批次", ROLE_BIT(REVIEWER)};
const struct perm perm_pay_approve = {"pay.approve", "审批发放批次", ROLE_BIT(APPROVER)};
const struct perm perm_pay_bank = {"pay.bank", "代发文件与银行回盘", ROLE_BIT(CLERK)};
const struct perm perm_stats_read = {"stats.read", "查看统计", ROLE_BIT(CLERK) | ROLE_BIT(REVIEWER) | ROLE_BIT(APPROVER) | ROLE_BIT(LEADER)};

static const struct perm *const perms[] = {
	PERM_PAY_GENERATE,
	PERM_PAY_REVIEW,
	PERM_PAY_APPROVE,
	PERM_PAY_BANK,
	PERM_STATS_READ,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"pay.generate", "生成发放批次"},
	{"pay.review", "复核发放批次"},
	{"pay.approve", "审批发放批次"},
	{"pay.reject", "退回发放批次"},
	{"pay.bank_file", "导出代发文件"},
	{"pay.reconcile", "导入银行回盘"},
	{NULL, NULL},
};

/* ---- the to-dos of the home page ---- */

/* 1 when a batch of b for month (period, YYYY-MM) would hold a line: a regular month of
 * a confirmed entitlement from the month after the benefit's last batch (next, "" when
 * none) to the batch's last month, outside a pause (for a fixed benefit only its months:
 * the start month once, or each year's), or a failed line not paid again — what
 * generate() writes first. */
static int would_pay(struct db *db, const char *code, const char *cycle, const char *basis,
		     const char *month, int *yes)
{
	char last[8] = "", next[8] = "", through[8] = "";
	int period, m;
	int64_t n = 0;
	int fixed = strcmp(basis, "fixed") == 0;
	*yes = 0;
	if (month_parse(month, &period))
		return VE_INVALID;
	struct db_stmt *st = db_q(db,
				  "SELECT coalesce(max(through), ''), count(*) FILTER (WHERE period "
				  "= ?) FROM pay_batches WHERE benefit_code = ? AND status <> '"
				  PAY_BATCH_RETURNED "'",
				  "ss", month, code);
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	str_copy(through, db_text(st, 0), sizeof(through));
	n = db_int(st, 1);
	db_done(st);
	if (n > 0 || (through[0] && strcmp(month, through) <= 0))
		return 0; /* generated already, or paid beyond it */
	if (through[0] && month_parse(through, &m) == 0)
		month_format(m + 1, next);
	month_format(fixed ? period : horizon(cycle, period), last);
	/* ?1 unused, ?2 the last month, ?3 the benefit, ?4 next, ?5 once or year */
	static const char due_sql[] =
		"SELECT count(*) FROM (SELECT 1 AS x FROM entitlements e CROSS JOIN calendar_months c "
		"WHERE ?1 = 0 AND " DUE_MONTHS("e", "c") " AND e.benefit_code = ?3 AND "
		"e.confirmed_at IS NOT NULL AND " NOT_PAUSED("e", "c") " AND (?6 = 0 OR CASE ?5 "
		"WHEN 'once' THEN c.month = e.start_month ELSE (c.year * 12 + c.m - "
		"CAST(substr(e.start_month, 1, 4) AS INTEGER) * 12 - CAST(substr(e.start_month, 6, "
		"2) AS INTEGER)) % 12 = 0 END) LIMIT 1) d";
	static const char failed_sql[] =
		"SELECT count(*) FROM (SELECT 1 AS x FROM pay_lines f JOIN entitlements e ON e.id = "
		"f.entitlement_id WHERE f.benefit_code = ? AND f.status = '" PAY_LINE_FAILED "' AND "
		"NOT EXISTS (SELECT 1 FROM pay_lines r WHERE r.reissue_of = f.id) AND (f.kind = "
		"'funeral' OR e.end_month IS NULL OR f.month <= e.end_month) LIMIT 1) d";
	if (db_int_query(db, &n, 0, due_sql, "issssi", (int64_t)0, last, code, next, cycle,
			 (int64_t)fixed))
		return VE_DB;
	if (n == 0 && db_int_query(db, &n, 0, failed_sql, "s", code))
		return VE_DB;
	*yes = n > 0;
	return 0;
}

static int todo_add(json_t *list, const char *title, int64_t n, const char *href,
		    const char *note)
{
	if (n <= 0)
		return 0;
	json_t *t = json_pack("{s:s,s:I,s:s}", "title", title, "count", (json_int_t)n, "href", href);
	if (note && *note)
		json_object_set_new(t, "note", json_string(note));
	json_array_append_new(list, t);
	return 0;
}

/* The batches waiting for by: this month's to generate and those sent back to him (a
 * maker), those waiting for 复核 or 审批 (one who may take that step). The bureau's:
 * a street station makes, checks or signs none. */
static int payment_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!account_district_wide(by))
		return 0;
	if (perm_allows(by->roles, PERM_PAY_GENERATE)) {
		char month[8], href[64];
		str_copy(month, clock_today_text(), sizeof(month));
		json_t *types = NULL;
		if (benefit_types(db, &types))
			return VE_DB;
		struct buf names;
		buf_init(&names, 256);
		int64_t n = 0;
		size_t i;
		json_t *t;
		int rc = 0;
		json_array_foreach(types, i, t) {
			int yes = 0;
			rc = would_pay(db, json_string_value(json_object_get(t, "code")),
				       json_string_value(json_object_get(t, "cycle")),
				       json_string_value(json_object_get(t, "basis")), month, &yes);
			if (rc)
				break;
			if (yes)
				buf_printf(&names, "%s%s", n++ ? "、" : "",
					   json_string_value(json_object_get(t, "name")));
		}
		json_decref(types);
		char title[64], note[400];
		snprintf(title, sizeof(title), "生成 %s 发放批次", month);
		snprintf(note, sizeof(note), "尚未生成：%s", buf_cstr(&names));
		snprintf(href, sizeof(href), "/payments?period=%s", month);
		if (!rc)
			todo_add(list, title, n, href, note);
		buf_free(&names);
		if (rc)
			return rc;
	}
	static const struct {
		const struct perm *perm;
		const char *status, *title, *href;
	} waits[] = {
		{PERM_PAY_GENERATE, PAY_BATCH_RETURNED, "重新生成被退回的发放批次",
		 "/payments?status=%E5%B7%B2%E9%80%80%E5%9B%9E"},
		{PERM_PAY_REVIEW, PAY_BATCH_TO_REVIEW, "复核发放批次",
		 "/payments?status=%E5%BE%85%E5%A4%8D%E6%A0%B8"},
		{PERM_PAY_APPROVE, PAY_BATCH_TO_APPROVE, "审批发放批次",
		 "/payments?status=%E5%BE%85%E5%AE%A1%E6%89%B9"},
	};
	for (size_t k = 0; k < sizeof(waits) / sizeof(waits[0]); k++) {
		if (!perm_allows(by->roles, waits[k].perm))
			continue;
		int64_t n = 0;
		char oldest[8] = "", note[64] = "";
		struct db_stmt *st = db_q(db,
					  "SELECT count(*), coalesce(min(b.period), '') FROM pay_batches "
					  "b WHERE TRUE" BATCH_STATUS,
					  "ss", waits[k].status, waits[k].status);
		if (!st || db_step(st) != DB_ROW) {
			db_done(st);
			return VE_DB;
		}
		n = db_int(st, 0);
		str_copy(oldest, db_text(st, 1), sizeof(oldest));
		db_done(st);
		if (oldest[0])
			snprintf(note, sizeof(note), "最早的期间 %s", oldest);
		todo_add(list, waits[k].title, n, waits[k].href, note);
	}
	return 0;
}

const struct area payment_area = {
	.name = "payment",
	.perms = perms,
	.audit_titles = audit_titles,
	.figures = &payment_figures,
	.todos = payment_todos,
};

/* ---- vocabularies ---- */

const char *const pay_line_statuses[PAY_N_LINE_STATUSES] = {PAY_LINE_DUE, PAY_LINE_PAID,
							      PAY_LINE_FAILED};
