/* pufa.c - 普法: events, brochures, study sessions, the yearly law exam, 责任清单. */
#include "pufa.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/benefit.h"
#include "areas/figure.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/markdown.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const pufa_record_names[PUFA_N_RECORDS] = {"events", "brochures", "sessions", "exams",
						       "duties"};
const char *const pufa_record_titles[PUFA_N_RECORDS] = {"普法活动", "宣传资料发放", "学法活动",
							"年度学法考试", "普法责任清单"};
const char *const pufa_event_kinds[PUFA_N_EVENT_KINDS] = {
	"清明祭英烈",         "八一建军节", "烈士纪念日（9·30）",
	"国家宪法日（12·4）", "宪法宣传周", "其他主题活动",
};

#define COUNT_MAX 10000000
#define BODY_MAX 20000

static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int tx_end(struct db *db, int in_tx, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, in_tx, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

static const struct perm *perm_of(enum pufa_record rec)
{
	return rec == PUFA_EXAM || rec == PUFA_DUTY ? PERM_PUFA_ADMIN : PERM_PUFA_MANAGE;
}

static int may(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

/* The district's 普法 settings and documents (the excellent mark, the 责任清单), which every
 * street reads, are written by the bureau only: a clerk of a street organisation holds
 * pufa.admin for his street's exam rows, not for the district's. */
int pufa_district_admin(const struct principal *by)
{
	return perm_allows(by->roles, PERM_PUFA_ADMIN) && account_district_wide(by);
}

static int may_district(const struct principal *by, const char *what, char *err, size_t errlen)
{
	if (may(by, PERM_PUFA_ADMIN, err, errlen))
		return VE_DENIED;
	if (pufa_district_admin(by))
		return 0;
	return err_set(err, errlen, VE_DENIED, "%s是全区的，只有区局工作人员可以修改", what);
}

static int may_rec(const struct principal *by, enum pufa_record rec, char *err, size_t errlen)
{
	if (rec == PUFA_DUTY)
		return may_district(by, "普法责任清单", err, errlen);
	return may(by, perm_of(rec), err, errlen);
}

static int text_len_ok(const char *t, size_t min, size_t max)
{
	size_t n = t ? utf8_count(t, strlen(t)) : 0;
	return n >= min && n <= max;
}

static void check_day(const char *day, const char *field, struct field_errors *fe)
{
	int64_t t;
	if (!day || !*day)
		field_errors_add(fe, field, "请填写%s", field);
	else if (strlen(day) != 10 || clock_parse_date(day, &t) != 0)
		field_errors_add(fe, field, "日期应为 YYYY-MM-DD，如 2023-12-04");
	else if (strcmp(day, "1950-01-01") < 0 || strcmp(day, "2100-12-31") > 0)
		field_errors_add(fe, field, "%s的年份应在 1950 至 2100 年之间", field);
	else if (strcmp(day, clock_today_text()) > 0)
		field_errors_add(fe, field, "%s不能晚于今天", field);
}

/* A count field: a whole number from min; *out gets it. */
static void check_count(const char *text, const char *field, int64_t min, int64_t *out,
			struct field_errors *fe)
{
	const char *t = nz(text);
	*out = 0;
	if (!*t)
		field_errors_add(fe, field, "请填写%s", field);
	else if (str_to_i64(t, strlen(t), INT64_MIN / 2, INT64_MAX / 2, out) != 0)
		field_errors_add(fe, field, "%s应为整数", field);
	else if (*out < 0)
		field_errors_add(fe, field, "%s不能为负数", field);
	else if (*out < min)
		field_errors_add(fe, field, "%s至少为 %lld", field, (long long)min);
	else if (*out > COUNT_MAX)
		field_errors_add(fe, field, "%s不能超过 %d", field, COUNT_MAX);
}

static void check_year(const char *text, int64_t *year, struct field_errors *fe)
{
	const char *t = nz(text);
	int this_year = atoi(clock_today_text());
	if (!*t)
		field_errors_add(fe, "年度", "请填写年度");
	else if (str_to_i64(t, strlen(t), 1950, this_year, year) != 0)
		field_errors_add(fe, "年度", "年度应为 1950 至 %d 之间的年份", this_year);
}

/* ---- the excellent mark ---- */

int pufa_excellent_mark(struct db *db, int year, int *mark, int *own)
{
	int64_t m = 0;
	*mark = PUFA_EXCELLENT_DEFAULT;
	if (own)
		*own = 0;
	if (db_int_query(db, &m, 0,
			 "SELECT coalesce(max(m.mark), 0) FROM pufa_marks m WHERE "
			 "m.year = ?",
			 "i", (int64_t)year))
		return VE_DB;
	if (m >= 1 && m <= 100) {
		*mark = (int)m;
		if (own)
			*own = 1;
	}
	return 0;
}

static int rows_into(struct db_stmt *st, const char *keys, json_t *arr);

int pufa_marks(struct db *db, json_t **out)
{
	*out = json_array();
	int rc = rows_into(
		db_q(db, "SELECT m.year, m.mark FROM pufa_marks m ORDER BY m.year DESC", ""),
		"year:i,mark:i", *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int mark_in_tx(struct db *db, const struct principal *by, const char *year_text,
		      const char *value, struct field_errors *fe, char *err, size_t errlen)
{
	int64_t m = 0, year = 0;
	const char *v = nz(value);
	check_year(year_text, &year, fe);
	if (!*v || str_to_i64(v, strlen(v), 1, 100, &m) != 0)
		field_errors_add(fe, "优秀分数线", "优秀分数线应为 1 至 100 之间的整数");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	int old, own;
	int rc = pufa_excellent_mark(db, (int)year, &old, &own);
	if (rc)
		return rc;
	if ((rc = db_run(db,
			 "INSERT INTO pufa_marks (year, mark, set_at, set_by) VALUES (?, ?, ?, ?) "
			 "ON CONFLICT (year) DO UPDATE SET mark = excluded.mark, set_at = "
			 "excluded.set_at, set_by = excluded.set_by",
			 "iiii", year, m, clock_now(), by->user_id)))
		return rc;
	char detail[120];
	snprintf(detail, sizeof(detail), "%lld 年度学法考试优秀分数线由 %d 分%s改为 %lld 分",
		 (long long)year, old, own ? "" : "（默认）", (long long)m);
	return account_audit(db, by, "pufa.mark", "pufa_mark", year, detail);
}

int pufa_set_excellent_mark(struct db *db, const struct principal *by, const char *year,
			    const char *value, struct field_errors *fe, char *err, size_t errlen)
{
	if (may_district(by, "学法考试优秀分数线", err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, 0, mark_in_tx(db, by, year, value, fe, err, errlen), err, errlen);
}

/* ---- recording ---- */

/* The account's name, organisation and region for an exam row; 0 when there is none. */
static int staff_account(struct db *db, int64_t user_id, char name[128], char org[256],
			 char region[16])
{
	struct db_stmt *st = db_q(db,
				  "SELECT u.display_name, o.name, u.region_code FROM users u JOIN "
				  "orgs o ON o.id = u.org_id WHERE u.id = ?",
				  "i", user_id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(name, nz(db_text(st, 0)), 128);
		str_copy(org, nz(db_text(st, 1)), 256);
		str_copy(region, nz(db_text(st, 2)), 16);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : VE_DB;
}

static int exam_in_tx(struct db *db, const struct principal *by, const struct pufa_in *in,
		      int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	int64_t year = 0, score = -1;
	char name[128] = "", org[256] = "", region[16];
	check_year(in->year, &year, fe);
	str_copy(region, by->region_code, sizeof(region));
	if (in->user_id > 0) {
		int found = staff_account(db, in->user_id, name, org, region);
		if (found < 0 || found > 1)
			return VE_DB;
		/* The row is the account's region's: an account outside by's scope is one he
		 * cannot see, refused as one that does not exist. */
		if (!found ||
		    !scope_covers_region(&by->scope, by->region_code, region, by->user_id))
			field_errors_add(fe, "人员", "没有这个账号");
	} else {
		/* A named member is known by his organisation and name as separate columns (no
		 * separator two names could share), tidied of spaces so that "张三丰 " is 张三丰.
		 */
		char tn[256], to[512];
		str_copy(tn, nz(in->staff_name), sizeof(tn));
		str_copy(to, nz(in->org_name), sizeof(to));
		str_tidy(tn, STR_TIDY_COLLAPSE);
		str_tidy(to, STR_TIDY_COLLAPSE);
		if (!text_len_ok(tn, 2, 30) || strlen(tn) >= sizeof(name))
			field_errors_add(fe, "姓名",
					 "请选择系统账号，或填写人员姓名（2 至 30 个字）");
		if (!text_len_ok(to, 2, 60) || strlen(to) >= sizeof(org))
			field_errors_add(fe, "单位", "请填写人员所在单位（2 至 60 个字）");
		str_copy(name, tn, sizeof(name));
		str_copy(org, to, sizeof(org));
	}
	if (in->took && !in->should)
		field_errors_add(fe, "参考", "未列为应考的人员不能登记为参考");
	const char *s = nz(in->score);
	if (in->took && !*s)
		field_errors_add(fe, "成绩", "参考人员请填写成绩");
	else if (!in->took && *s)
		field_errors_add(fe, "成绩", "未参考的人员不能登记成绩");
	else if (*s && (str_to_i64(s, strlen(s), INT64_MIN / 2, INT64_MAX / 2, &score) != 0 ||
			score < 0 || score > 100))
		field_errors_add(fe, "成绩", "成绩应为 0 至 100 之间的整数");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	/* A row of the member's year outside by's scope is not his to correct. */
	struct db_stmt *st =
		in->user_id > 0
			? db_q(db,
			       "SELECT e.id, CASE WHEN " SCOPE_REGION_SQL(
				       "e.region_code",
				       "e.created_by") " THEN 1 ELSE 0 END FROM pufa_exams e WHERE "
						       "e.year = ? AND e.user_id = ?",
			       SCOPE_REGION_FMT "ii",
			       SCOPE_REGION_ARGS(&by->scope, by->region_code), year, in->user_id)
			: db_q(db,
			       "SELECT e.id, CASE WHEN " SCOPE_REGION_SQL(
				       "e.region_code",
				       "e.created_by") " THEN 1 ELSE 0 END FROM pufa_exams e WHERE "
						       "e.year = ? AND e.user_id IS NULL AND "
						       "e.org_name = ? AND e.staff_name = ?",
			       SCOPE_REGION_FMT "iss",
			       SCOPE_REGION_ARGS(&by->scope, by->region_code), year, org, name);
	if (!st)
		return VE_DB;
	int64_t old = 0, visible = 1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		old = db_int(st, 0);
		visible = db_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return VE_DB;
	/* The member's row of the year is outside by's scope: not found, as anywhere else (its
	 * existence and whose it is are not for him to learn). */
	if (old && !visible)
		return err_set(err, errlen, VE_NOTFOUND, "该%s记录不存在",
			       pufa_record_titles[PUFA_EXAM]);
	int64_t should = !!in->should, took = !!in->took;
	if (old && score >= 0)
		rc = db_run(db,
			    "UPDATE pufa_exams SET staff_name = ?, org_name = ?, should_take = ?, "
			    "took = ?, score = ? WHERE id = ?",
			    "ssiiii", name, org, should, took, score, old);
	else if (old)
		rc = db_run(db,
			    "UPDATE pufa_exams SET staff_name = ?, org_name = ?, should_take = ?, "
			    "took = ?, score = NULL WHERE id = ?",
			    "ssiii", name, org, should, took, old);
	else
		rc = db_run(
			db,
			"INSERT INTO pufa_exams (region_code, year, user_id, staff_name, "
			"org_name, should_take, took, score, created_at, created_by, "
			"created_name) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, -1), ?, "
			"?, ?)",
			"siissiiiiis", region, year, in->user_id > 0 ? in->user_id : 0, name, org,
			should, took, score, clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	*id = old ? old : db_last_id(db);
	char detail[600], sc[32] = "";
	if (score >= 0)
		snprintf(sc, sizeof(sc), "，成绩 %lld", (long long)score);
	snprintf(detail, sizeof(detail), "%s%lld 年度学法考试：%s（%s），%s，%s%s",
		 old ? "更正 " : "", (long long)year, name, org, in->should ? "应考" : "免考",
		 in->took ? "参考" : "未参考", sc);
	return account_audit(db, by, old ? "pufa.exam_update" : "pufa.exam", "pufa_exam", *id,
			     detail);
}

#define SCOPE_T SCOPE_REGION_SQL("t.region_code", "t.created_by")
/* Per record: whether id is in scope, and its deletion. */
static const char *const find_sql[PUFA_N_RECORDS] = {
	"SELECT count(*) FROM pufa_events t WHERE t.id = ? AND " SCOPE_T,
	"SELECT count(*) FROM pufa_brochures t WHERE t.id = ? AND " SCOPE_T,
	"SELECT count(*) FROM pufa_sessions t WHERE t.id = ? AND " SCOPE_T,
	"SELECT count(*) FROM pufa_exams t WHERE t.id = ? AND " SCOPE_T,
	"SELECT count(*) FROM pufa_duties t WHERE t.id = ? AND " SCOPE_T,
};
static const char *const delete_sql[PUFA_N_RECORDS] = {
	"DELETE FROM pufa_events WHERE id = ?",   "DELETE FROM pufa_brochures WHERE id = ?",
	"DELETE FROM pufa_sessions WHERE id = ?", "DELETE FROM pufa_exams WHERE id = ?",
	"DELETE FROM pufa_duties WHERE id = ?",
};

/* Records one (old 0) or corrects record old of rec (in by's scope; not an exam row). */
static int save_in_tx(struct db *db, const struct principal *by, enum pufa_record rec, int64_t old,
		      const struct pufa_in *in, int64_t *id, struct field_errors *fe, char *err,
		      size_t errlen)
{
	if (rec == PUFA_EXAM)
		return exam_in_tx(db, by, in, id, fe, err, errlen);
	int64_t n = 0, year = 0;
	int rc = 0;
	if (old) {
		if (db_int_query(db, &n, 0, find_sql[rec], "i" SCOPE_REGION_FMT, old,
				 SCOPE_REGION_ARGS(&by->scope, by->region_code)))
			return VE_DB;
		if (!n)
			return err_set(err, errlen, VE_NOTFOUND, "该%s记录不存在",
				       pufa_record_titles[rec]);
		n = 0;
	}
	char detail[600] = "";
	const char *audit = NULL;
	switch (rec) {
	case PUFA_EVENT: {
		int known = 0;
		check_day(in->on, "活动日期", fe);
		for (int i = 0; in->kind && i < PUFA_N_EVENT_KINDS; i++)
			known |= strcmp(in->kind, pufa_event_kinds[i]) == 0;
		if (!known)
			field_errors_add(fe, "活动类型", "请选择活动类型");
		if (!text_len_ok(in->who, 2, 100))
			field_errors_add(fe, "普法对象", "请写明普法对象（2 至 100 个字）");
		check_count(in->count, "参加人数", 0, &n, fe);
		if (fe->n)
			break;
		if (old)
			rc = db_run(db,
				    "UPDATE pufa_events SET held_on = ?, kind = ?, audience = ?, "
				    "people = ? WHERE id = ?",
				    "sssii", in->on, in->kind, in->who, n, old);
		else
			rc = db_run(
				db,
				"INSERT INTO pufa_events (region_code, held_on, kind, audience, "
				"people, created_at, created_by, created_name) VALUES (?, ?, ?, ?, "
				"?, ?, ?, ?)",
				"ssssiiis", by->region_code, in->on, in->kind, in->who, n,
				clock_now(), by->user_id, signer_name(by));
		snprintf(detail, sizeof(detail), "%s（%s）：%s，%lld 人", in->kind, in->on, in->who,
			 (long long)n);
		audit = "pufa.event";
		break;
	}
	case PUFA_BROCHURE:
		check_day(in->on, "发放日期", fe);
		if (!text_len_ok(in->title, 2, 100))
			field_errors_add(fe, "资料名称", "请写明资料名称（2 至 100 个字）");
		check_count(in->count, "份数", 1, &n, fe);
		if (!text_len_ok(in->who, 2, 100))
			field_errors_add(fe, "发放对象",
					 "请写明发放对象，如某街道退役军人服务站（2 至 100 个字）");
		if (fe->n)
			break;
		if (old)
			rc = db_run(
				db,
				"UPDATE pufa_brochures SET handed_on = ?, title = ?, copies = ?, "
				"recipient = ? WHERE id = ?",
				"ssisi", in->on, in->title, n, in->who, old);
		else
			rc = db_run(
				db,
				"INSERT INTO pufa_brochures (region_code, handed_on, title, "
				"copies, recipient, created_at, created_by, created_name) VALUES "
				"(?, ?, ?, ?, ?, ?, ?, ?)",
				"sssisiis", by->region_code, in->on, in->title, n, in->who,
				clock_now(), by->user_id, signer_name(by));
		snprintf(detail, sizeof(detail), "%s 向%s发放《%s》%lld 份", in->on, in->who,
			 in->title, (long long)n);
		audit = "pufa.brochure";
		break;
	case PUFA_SESSION:
		check_day(in->on, "学习日期", fe);
		if (!text_len_ok(in->title, 2, 200))
			field_errors_add(fe, "学习内容", "请写明学习内容（2 至 200 个字）");
		check_count(in->count, "参学人数", 0, &n, fe);
		if (fe->n)
			break;
		if (old)
			rc = db_run(
				db,
				"UPDATE pufa_sessions SET held_on = ?, topic = ?, attendance = ? "
				"WHERE id = ?",
				"ssii", in->on, in->title, n, old);
		else
			rc = db_run(
				db,
				"INSERT INTO pufa_sessions (region_code, held_on, topic, "
				"attendance, created_at, created_by, created_name) VALUES (?, ?, ?, "
				"?, ?, ?, ?)",
				"sssiiis", by->region_code, in->on, in->title, n, clock_now(),
				by->user_id, signer_name(by));
		snprintf(detail, sizeof(detail), "%s 学法：%s，%lld 人参学", in->on, in->title,
			 (long long)n);
		audit = "pufa.session";
		break;
	case PUFA_DUTY: {
		check_year(in->year, &year, fe);
		if (!text_len_ok(in->title, 2, 100))
			field_errors_add(fe, "标题", "请写明标题（2 至 100 个字）");
		const char *body = nz(in->body);
		if (!text_len_ok(body, 2, BODY_MAX))
			field_errors_add(fe, "内容", "请填写清单内容（2 至 %d 个字）", BODY_MAX);
		if (fe->n)
			break;
		if (old)
			rc = db_run(
				db,
				"UPDATE pufa_duties SET year = ?, title = ?, body = ? WHERE id = ?",
				"issi", year, in->title, body, old);
		else
			rc = db_run(
				db,
				"INSERT INTO pufa_duties (region_code, year, title, body, "
				"created_at, created_by, created_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"sissiis", by->region_code, year, in->title, body, clock_now(),
				by->user_id, signer_name(by));
		snprintf(detail, sizeof(detail), "%lld 年度普法责任清单《%s》", (long long)year,
			 in->title);
		audit = "pufa.duty";
		break;
	}
	default:
		return VE_INVALID;
	}
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	if (rc)
		return rc;
	*id = old ? old : db_last_id(db);
	if (old) {
		char more[sizeof(detail) + 96];
		snprintf(more, sizeof(more), "更正%s记录 #%lld 为：%s", pufa_record_titles[rec],
			 (long long)old, detail);
		return account_audit(db, by, "pufa.update", pufa_record_names[rec], *id, more);
	}
	return account_audit(db, by, audit, pufa_record_names[rec], *id, detail);
}

int pufa_save(struct db *db, const struct principal *by, enum pufa_record rec,
	      const struct pufa_in *in, int in_tx, int64_t *id, struct field_errors *fe, char *err,
	      size_t errlen)
{
	*id = 0;
	if (rec < 0 || rec >= PUFA_N_RECORDS)
		return VE_INVALID;
	if (may_rec(by, rec, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, in_tx, save_in_tx(db, by, rec, 0, in, id, fe, err, errlen), err, errlen);
}

int pufa_correct(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
		 const struct pufa_in *in, struct field_errors *fe, char *err, size_t errlen)
{
	int64_t out;
	if (rec < 0 || rec >= PUFA_N_RECORDS || rec == PUFA_EXAM)
		return VE_INVALID;
	if (may_rec(by, rec, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, 0, save_in_tx(db, by, rec, id, in, &out, fe, err, errlen), err, errlen);
}

/* Per record (not the exam): its fields under the names of struct pufa_in, in scope. */
static const char *const get_sql[PUFA_N_RECORDS] = {
	"SELECT t.held_on, t.kind, '', t.audience, t.people, 0, '' FROM pufa_events t WHERE "
	"t.id = ? AND " SCOPE_T,
	"SELECT t.handed_on, '', t.title, t.recipient, t.copies, 0, '' FROM pufa_brochures t "
	"WHERE t.id = ? AND " SCOPE_T,
	"SELECT t.held_on, '', t.topic, '', t.attendance, 0, '' FROM pufa_sessions t WHERE "
	"t.id = ? AND " SCOPE_T,
	NULL,
	"SELECT '', '', t.title, '', 0, t.year, t.body FROM pufa_duties t WHERE t.id = ? AND " SCOPE_T,
};

int pufa_get(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
	     json_t **out)
{
	if (rec < 0 || rec >= PUFA_N_RECORDS || !get_sql[rec])
		return VE_INVALID;
	struct db_stmt *st = db_q(db, get_sql[rec], "i" SCOPE_REGION_FMT, id,
				  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char count[24], year[16];
		snprintf(count, sizeof(count), "%lld", (long long)db_int(st, 4));
		snprintf(year, sizeof(year), "%lld", (long long)db_int(st, 5));
		*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "on", nz(db_text(st, 0)), "kind",
				 nz(db_text(st, 1)), "title", nz(db_text(st, 2)), "who",
				 nz(db_text(st, 3)), "count", rec == PUFA_DUTY ? "" : count, "year",
				 rec == PUFA_DUTY ? year : "", "body", nz(db_text(st, 6)));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? VE_NOTFOUND : VE_DB;
}

/* Per record: what it was, as a deletion's audit tells it (in scope): a day or year, a name
 * or title, a second text and a number (-1 for none). */
static const char *const describe_sql[PUFA_N_RECORDS] = {
	"SELECT t.held_on, t.kind, t.audience, t.people FROM pufa_events t WHERE t.id = ? AND " SCOPE_T,
	"SELECT t.handed_on, t.title, t.recipient, t.copies FROM pufa_brochures t WHERE t.id = ? "
	"AND " SCOPE_T,
	"SELECT t.held_on, t.topic, '', t.attendance FROM pufa_sessions t WHERE t.id = ? AND " SCOPE_T,
	"SELECT CAST(t.year AS TEXT), t.staff_name, t.org_name, coalesce(t.score, -1) FROM "
	"pufa_exams t WHERE t.id = ? AND " SCOPE_T,
	"SELECT CAST(t.year AS TEXT), t.title, '', -1 FROM pufa_duties t WHERE t.id = ? AND " SCOPE_T,
};

/* The deletion's audit detail: record id of rec as it was; 0, VE_NOTFOUND or VE_DB. */
static int describe(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
		    char *out, size_t outlen)
{
	struct db_stmt *st = db_q(db, describe_sql[rec], "i" SCOPE_REGION_FMT, id,
				  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	const char *on = nz(db_text(st, 0)), *a = nz(db_text(st, 1)), *b = nz(db_text(st, 2));
	long long n = (long long)db_int(st, 3), i = (long long)id;
	const char *t = pufa_record_titles[rec];
	char score[32] = "，未登记成绩";
	switch (rec) {
	case PUFA_EVENT:
		snprintf(out, outlen, "删除%s #%lld：%s（%s），%s，%lld 人", t, i, a, on, b, n);
		break;
	case PUFA_BROCHURE:
		snprintf(out, outlen, "删除%s #%lld：《%s》（%s），%lld 份，发放对象 %s", t, i, a,
			 on, n, b);
		break;
	case PUFA_SESSION:
		snprintf(out, outlen, "删除%s #%lld：%s（%s），%lld 人", t, i, a, on, n);
		break;
	case PUFA_EXAM:
		if (n >= 0)
			snprintf(score, sizeof(score), "，成绩 %lld", n);
		snprintf(out, outlen, "删除%s #%lld：%s 年度 %s（%s）%s", t, i, on, a, b, score);
		break;
	default:
		snprintf(out, outlen, "删除%s #%lld：%s 年度《%s》", t, i, on, a);
		break;
	}
	db_done(st);
	return 0;
}

static int delete_in_tx(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
			char *err, size_t errlen)
{
	char detail[1200];
	int rc = describe(db, by, rec, id, detail, sizeof(detail));
	if (rc == VE_NOTFOUND)
		return err_set(err, errlen, VE_NOTFOUND, "该%s记录不存在", pufa_record_titles[rec]);
	if (rc)
		return rc;
	if ((rc = db_run(db, delete_sql[rec], "i", id)))
		return rc;
	return account_audit(db, by, "pufa.delete", pufa_record_names[rec], id, detail);
}

int pufa_delete(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
		char *err, size_t errlen)
{
	if (rec < 0 || rec >= PUFA_N_RECORDS)
		return VE_INVALID;
	if (may_rec(by, rec, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, 0, delete_in_tx(db, by, rec, id, err, errlen), err, errlen);
}

/* ---- reading ---- */

/* Appends the rows of st to arr as objects keyed by keys ("id:i,title:s,score:n": i an
 * integer, s a text, n an integer or null), then finishes st. 0 or VE_DB. */
static int rows_into(struct db_stmt *st, const char *keys, json_t *arr)
{
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		char key[32];
		int col = 0;
		for (const char *k = keys; *k; col++) {
			const char *colon = strchr(k, ':');
			size_t len = (size_t)(colon - k);
			snprintf(key, sizeof(key), "%.*s", (int)len, k);
			char type = colon[1];
			json_t *v = type == 's' ? json_string(nz(db_text(st, col)))
				    : type == 'n' && db_is_null(st, col) ? json_null()
				    : type == 'b' ? json_boolean(db_int(st, col) != 0)
						  : json_integer(db_int(st, col));
			json_object_set_new(o, key, v);
			k = colon + 2;
			if (*k == ',')
				k++;
		}
		json_array_append_new(arr, o);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : VE_DB;
}

int pufa_year(struct db *db, const struct principal *by, int year, json_t **out)
{
	if (year < 1950 || year > 2100)
		return VE_INVALID;
	char ys[11], ye[11];
	snprintf(ys, sizeof(ys), "%04d-01-01", year);
	snprintf(ye, sizeof(ye), "%04d-12-31", year);
	int mark;
	int rc = pufa_excellent_mark(db, year, &mark, NULL);
	if (rc)
		return rc;
	json_t *lists[PUFA_N_RECORDS];
	for (int i = 0; i < PUFA_N_RECORDS; i++)
		lists[i] = json_array();
#define ARGS SCOPE_REGION_ARGS(&by->scope, by->region_code)
	rc = rows_into(db_q(db,
			    "SELECT t.id, t.held_on, t.kind, t.audience, t.people FROM pufa_events "
			    "t WHERE t.held_on BETWEEN ? AND ? AND " SCOPE_T
			    " ORDER BY t.held_on, t.id",
			    "ss" SCOPE_REGION_FMT, ys, ye, ARGS),
		       "id:i,held_on:s,kind:s,audience:s,people:i", lists[PUFA_EVENT]);
	if (!rc)
		rc = rows_into(
			db_q(db,
			     "SELECT t.id, t.handed_on, t.title, t.copies, t.recipient FROM "
			     "pufa_brochures t WHERE t.handed_on BETWEEN ? AND ? AND " SCOPE_T
			     " ORDER BY t.handed_on, t.id",
			     "ss" SCOPE_REGION_FMT, ys, ye, ARGS),
			"id:i,handed_on:s,title:s,copies:i,recipient:s", lists[PUFA_BROCHURE]);
	if (!rc)
		rc = rows_into(
			db_q(db,
			     "SELECT t.id, t.held_on, t.topic, t.attendance FROM pufa_sessions "
			     "t WHERE t.held_on BETWEEN ? AND ? AND " SCOPE_T
			     " ORDER BY t.held_on, t.id",
			     "ss" SCOPE_REGION_FMT, ys, ye, ARGS),
			"id:i,held_on:s,topic:s,attendance:i", lists[PUFA_SESSION]);
	if (!rc)
		rc = rows_into(
			db_q(db,
			     "SELECT t.id, t.staff_name, t.org_name, coalesce(t.user_id, 0), "
			     "t.should_take, t.took, t.score, CASE WHEN t.took <> 0 AND "
			     "t.score >= ? THEN 1 ELSE 0 END FROM pufa_exams t WHERE t.year = ? "
			     "AND " SCOPE_T " ORDER BY t.org_name, t.staff_name, t.id",
			     "ii" SCOPE_REGION_FMT, (int64_t)mark, (int64_t)year, ARGS),
			"id:i,staff_name:s,org_name:s,user_id:i,should:b,took:b,score:n,"
			"excellent:b",
			lists[PUFA_EXAM]);
	if (!rc)
		rc = rows_into(db_q(db,
				    "SELECT t.id, t.title, t.created_name FROM pufa_duties t WHERE "
				    "t.year = ? ORDER BY t.id",
				    "i", (int64_t)year),
			       "id:i,title:s,created_name:s", lists[PUFA_DUTY]);
#undef ARGS
	if (rc) {
		for (int i = 0; i < PUFA_N_RECORDS; i++)
			json_decref(lists[i]);
		return rc;
	}
	int64_t copies = 0, people = 0;
	size_t i;
	json_t *o;
	json_array_foreach(lists[PUFA_BROCHURE], i, o) copies +=
		json_integer_value(json_object_get(o, "copies"));
	json_array_foreach(lists[PUFA_EVENT], i, o) people +=
		json_integer_value(json_object_get(o, "people"));
	*out = json_pack("{s:i,s:i,s:I,s:I}", "year", year, "mark", mark, "copies",
			 (json_int_t)copies, "people", (json_int_t)people);
	for (int r = 0; r < PUFA_N_RECORDS; r++)
		json_object_set_new(*out, pufa_record_names[r], lists[r]);
	return 0;
}

int pufa_duty_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT t.id, t.year, t.title, t.body, t.created_name FROM "
				  "pufa_duties t WHERE t.id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	const char *body = nz(db_text(st, 3));
	json_t *tree = markdown_tree(body, strlen(body));
	*out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_int(st, 0), "year",
			 (json_int_t)db_int(st, 1), "title", nz(db_text(st, 2)), "body", body,
			 "created_name", nz(db_text(st, 4)), "tree",
			 tree ? tree : json_pack("{s:[]}", "blocks"));
	db_done(st);
	return 0;
}

int pufa_staff(struct db *db, const struct principal *by, json_t **out)
{
	*out = json_array();
	int rc = rows_into(db_q(db,
				"SELECT u.id, u.display_name, o.name FROM users u JOIN orgs o ON "
				"o.id = u.org_id WHERE u.disabled = 0 AND " SCOPE_REGION_SQL(
					"u.region_code", "u.id") " ORDER BY o.path, "
								 "u.display_name, u.id",
				SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code)),
			   "id:i,name:s,org:s", *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the year's figures ---- */

#define STR_(x) #x
#define STR(x) STR_(x)
/* The year's excellent mark as the figures read it: the year's own, else the default. */
#define MARK_SQL                                                                                   \
	"coalesce((SELECT m.mark FROM pufa_marks m WHERE m.year = k.year), " STR(                  \
		PUFA_EXCELLENT_DEFAULT) ")"
#define EXAM_ROWS(cond)                                                                            \
	"SELECT e.id AS id, e.staff_name AS staff_name, e.org_name AS org_name, e.should_take AS " \
	"should_take, e.took AS took, e.score AS score FROM k, pufa_exams e WHERE e.year = "       \
	"k.year AND " cond " AND " FIGURE_SCOPE("e.region_code", "e.created_by")
#define EXAM_COLS "id:编号,staff_name:姓名,org_name:单位,should_take:应考,took:参考,score:成绩"

static const struct figure figures[] = {
	FIGURE_ROWS("pufa_events", "普法活动", "场",
		    "活动日期在本年内的普法活动（清明、八一、9·30 烈士纪念日、12·4 国家宪法日等），"
		    "每场计 1 次",
		    "SELECT v.id AS id, v.held_on AS held_on, v.kind AS kind, v.audience AS "
		    "audience, v.people AS people FROM k, pufa_events v WHERE v.held_on BETWEEN "
		    "k.ys AND k.ye AND " FIGURE_SCOPE("v.region_code", "v.created_by"),
		    "held_on, id",
		    "id:编号,held_on:活动日期,kind:活动类型,audience:普法对象,people:参加人数"),
	FIGURE_SUM("brochures", "发放宣传资料", "份",
		   "发放日期在本年内的宣传资料份数之和（每次发放的份数相加）",
		   "SELECT b.id AS id, b.handed_on AS handed_on, b.title AS title, b.copies AS "
		   "copies, b.recipient AS recipient FROM k, pufa_brochures b WHERE b.handed_on "
		   "BETWEEN k.ys AND k.ye AND " FIGURE_SCOPE("b.region_code", "b.created_by"),
		   "handed_on, id",
		   "id:编号,handed_on:发放日期,title:资料名称,copies:份数,recipient:发放对象",
		   "copies"),
	FIGURE_ROWS("exam_should", "应考人数", "人",
		    "本年度学法考试列为应考的工作人员，每人计 1 人",
		    EXAM_ROWS("e.should_take <> 0"), "org_name, staff_name, id", EXAM_COLS),
	FIGURE_ROWS("exam_took", "参考人数", "人", "本年度学法考试实际参考的工作人员，每人计 1 人",
		    EXAM_ROWS("e.took <> 0"), "org_name, staff_name, id", EXAM_COLS),
	FIGURE_ROWS(
		"exam_excellent", "优秀人数", "人",
		"本年度参考且成绩不低于本年度优秀分数线（普法设置中按年度设定，未设定的年度为 90 "
		"分）的工作人员，每人计 1 人",
		EXAM_ROWS("e.took <> 0 AND e.score >= " MARK_SQL), "org_name, staff_name, id",
		EXAM_COLS),
	{0},
};

static const struct figure_rate rates[] = {
	{"exam_participation_rate", "学法考试参考率", "参考人数 ÷ 应考人数", "exam_took", "exam_should"},
	{"exam_excellence_rate", "学法考试优秀率", "优秀人数 ÷ 参考人数", "exam_excellent", "exam_took"},
	{0},
};

const struct perm perm_pufa_read = {"pufa.read", "查看普法工作记录", ROLE_BUSINESS};
const struct perm perm_pufa_manage = {"pufa.manage", "登记普法活动、宣传资料发放与学法活动",
				      ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_pufa_admin = {"pufa.admin", "登记学法考试成绩、普法责任清单，设置优秀分数线",
				     ROLE_BIT(CLERK)};

const struct figure_set pufa_figures = {
	.area = "pufa",
	.title = "普法",
	.perm = PERM_PUFA_READ,
	.figures = figures,
	.rates = rates,
	.paragraph = "落实“谁执法谁普法”普法责任制，利用清明节、八一建军节、烈士纪念日、国家宪法日等"
		     "重要节点开展普法活动 {pufa_events} 场，发放《退役军人保障法》《军人抚恤优待条例》等"
		     "宣传资料 {brochures} 份。组织全体工作人员学法考试，参考率 {exam_participation_rate}，"
		     "优秀率 {exam_excellence_rate}。",
};

static const struct perm *const perms[] = {PERM_PUFA_READ, PERM_PUFA_MANAGE, PERM_PUFA_ADMIN, NULL};
static const struct audit_title audit_titles[] = {
	{"pufa.event", "登记普法活动"},           {"pufa.brochure", "登记宣传资料发放"},
	{"pufa.session", "登记学法活动"},         {"pufa.exam", "登记学法考试成绩"},
	{"pufa.exam_update", "更正学法考试成绩"}, {"pufa.duty", "登记普法责任清单"},
	{"pufa.update", "更正普法记录"},          {"pufa.delete", "删除普法记录"},
	{"pufa.mark", "设置学法考试优秀分数线"},  {NULL, NULL},
};
const struct area pufa_area = {
	.name = "pufa", .perms = perms, .audit_titles = audit_titles, .figures = &pufa_figures};
