/* shuangyong.c - 双拥 activities and the news reports about them. */
#include "shuangyong.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "areas/figure.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const shuangyong_kinds[SHUANGYONG_N_KINDS] = {
	"走访慰问部队", "军民共建", "拥军优属", "军地座谈", "为部队办实事", "双拥宣传", "其他",
};

#define LINK_MAX 500

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

static int may(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_SHUANGYONG_MANAGE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
		       perm_title(PERM_SHUANGYONG_MANAGE));
}

static int text_len_ok(const char *t, size_t min, size_t max)
{
	size_t n = t ? utf8_count(t, strlen(t)) : 0;
	return n >= min && n <= max;
}

/* Checks a day field: 1 when it is a date not after today (else an error of field). */
static int day_ok(const char *day, const char *field, struct field_errors *fe)
{
	int64_t t;
	if (!day || !*day)
		field_errors_add(fe, field, "请填写%s", field);
	else if (strlen(day) != 10 || clock_parse_date(day, &t) != 0)
		field_errors_add(fe, field, "日期应为 YYYY-MM-DD，如 2023-08-01");
	else if (strcmp(day, "1950-01-01") < 0 || strcmp(day, "2100-12-31") > 0)
		field_errors_add(fe, field, "%s的年份应在 1950 至 2100 年之间", field);
	else if (strcmp(day, clock_today_text()) > 0)
		field_errors_add(fe, field, "%s不能晚于今天", field);
	else
		return 1;
	return 0;
}

int shuangyong_link_ok(const char *link)
{
	if (!link)
		return 0;
	size_t n = strlen(link), skip;
	/* LINK_MAX characters, as the error says (a Chinese path counts each character once). */
	if (!utf8_valid(link, n) || utf8_count(link, n) > LINK_MAX)
		return 0;
	if (n > 7 && strncasecmp(link, "http://", 7) == 0)
		skip = 7;
	else if (n > 8 && strncasecmp(link, "https://", 8) == 0)
		skip = 8;
	else
		return 0;
	if (link[skip] == '/' || link[skip] == '?' || link[skip] == '#')
		return 0; /* no host */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)link[i];
		if (c <= 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

/* ---- reading ---- */

static int year_bounds(int year, char ys[11], char ye[11])
{
	if (year < 1950 || year > 2100)
		return VE_INVALID;
	snprintf(ys, 11, "%04d-01-01", year);
	snprintf(ye, 11, "%04d-12-31", year);
	return 0;
}

#define ACTIVITY_COLS                                                                              \
	"a.id, a.held_on, a.kind, a.units, a.place, a.solved, a.created_name, "                    \
	"(SELECT count(*) FROM shuangyong_reports r WHERE r.activity_id = a.id) "
#define IN_SCOPE SCOPE_REGION_SQL("a.region_code", "a.created_by")

static json_t *activity_json(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)db_int(st, 0),
			 "held_on", nz(db_text(st, 1)), "kind", nz(db_text(st, 2)), "units",
			 nz(db_text(st, 3)), "place", nz(db_text(st, 4)), "solved",
			 nz(db_text(st, 5)), "created_name", nz(db_text(st, 6)), "reports",
			 (json_int_t)db_int(st, 7));
}

int shuangyong_list(struct db *db, const struct principal *by, int year, json_t **out)
{
	char ys[11], ye[11];
	if (year_bounds(year, ys, ye))
		return VE_INVALID;
	struct db_stmt *st =
		db_q(db,
		     "SELECT " ACTIVITY_COLS "FROM shuangyong_activities a WHERE "
		     "a.held_on BETWEEN ? AND ? AND " IN_SCOPE " ORDER BY a.held_on, a.id",
		     "ss" SCOPE_REGION_FMT, ys, ye, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, activity_json(st));
	db_done(st);
	/* The year's reports by the rule of the figure shuangyong_news: dated in the year (a report
	 * of 2026-01-02 on an activity of 2025-12-31 is 2026's), so page and figure agree. */
	int64_t reports = 0;
	if (rc != DB_DONE ||
	    db_int_query(db, &reports, 0,
			 "SELECT count(*) FROM shuangyong_reports r WHERE r.published_on BETWEEN ? "
			 "AND ? AND " SCOPE_REGION_SQL("r.region_code", "r.created_by"),
			 "ss" SCOPE_REGION_FMT, ys, ye,
			 SCOPE_REGION_ARGS(&by->scope, by->region_code))) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:i,s:I,s:I,s:o}", "year", year, "total",
			 (json_int_t)json_array_size(items), "reports", (json_int_t)reports,
			 "items", items);
	return 0;
}

int shuangyong_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT " ACTIVITY_COLS "FROM shuangyong_activities a WHERE a.id = ? AND " IN_SCOPE,
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	json_t *o = activity_json(st);
	db_done(st);
	st = db_q(db,
		  "SELECT id, medium, published_on, title, link FROM shuangyong_reports WHERE "
		  "activity_id = ? ORDER BY published_on, id",
		  "i", id);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *reports = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			reports,
			json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
				  "medium", nz(db_text(st, 1)), "published_on", nz(db_text(st, 2)),
				  "title", nz(db_text(st, 3)), "link", nz(db_text(st, 4))));
	db_done(st);
	json_object_set_new(o, "reports", reports);
	if (rc != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

/* The day and region of activity id in by's scope. */
static int load_activity(struct db *db, const struct principal *by, int64_t id, char held_on[11],
			 char region[16], char *err, size_t errlen)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT a.held_on, a.region_code FROM shuangyong_activities a "
		     "WHERE a.id = ? AND " IN_SCOPE,
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(held_on, nz(db_text(st, 0)), 11);
		str_copy(region, nz(db_text(st, 1)), 16);
		rc = 0;
	} else {
		rc = rc == DB_DONE ? err_set(err, errlen, VE_NOTFOUND, "双拥活动不存在") : VE_DB;
	}
	db_done(st);
	return rc;
}

/* ---- the work ---- */

static void check_activity(const struct shuangyong_activity_in *in, struct field_errors *fe)
{
	day_ok(in->held_on, "活动日期", fe);
	int known = 0;
	for (int i = 0; in->kind && i < SHUANGYONG_N_KINDS; i++)
		known |= strcmp(in->kind, shuangyong_kinds[i]) == 0;
	if (!known)
		field_errors_add(fe, "活动类型", "请选择活动类型");
	if (!text_len_ok(in->units, 2, 200))
		field_errors_add(fe, "参与单位", "请写明参与单位（2 至 200 个字）");
	if (!text_len_ok(in->place, 2, 100))
		field_errors_add(fe, "活动地点", "请写明活动地点（2 至 100 个字）");
	if (!text_len_ok(in->solved, 0, 1000))
		field_errors_add(fe, "解决的问题", "解决的问题不能超过 1000 个字");
}

static int activity_in_tx(struct db *db, const struct principal *by, int64_t id,
			  const struct shuangyong_activity_in *in, int64_t *out,
			  struct field_errors *fe, char *err, size_t errlen)
{
	char old_day[11] = "", region[16] = "";
	int rc;
	if (id && (rc = load_activity(db, by, id, old_day, region, err, errlen)) != 0)
		return rc;
	check_activity(in, fe);
	if (id && !fe->n) {
		char first[11] = "";
		struct db_stmt *st = db_q(db,
					  "SELECT min(published_on) FROM shuangyong_reports WHERE "
					  "activity_id = ?",
					  "i", id);
		if (!st)
			return VE_DB;
		if (db_step(st) == DB_ROW && db_text(st, 0))
			str_copy(first, db_text(st, 0), sizeof(first));
		db_done(st);
		if (*first && strcmp(in->held_on, first) > 0)
			field_errors_add(
				fe, "活动日期",
				"活动日期不能晚于其新闻报道的日期 %s（报道日期不能早于活动日期）",
				first);
	}
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	const char *solved = nz(in->solved);
	if (id)
		rc = db_run(db,
			    "UPDATE shuangyong_activities SET held_on = ?, kind = ?, units = ?, "
			    "place = ?, solved = ?, updated_at = ? WHERE id = ?",
			    "sssssii", in->held_on, in->kind, in->units, in->place, solved,
			    clock_now(), id);
	else
		rc = db_run(db,
			    "INSERT INTO shuangyong_activities (region_code, held_on, kind, units, "
			    "place, solved, created_at, created_by, created_name) VALUES (?, ?, ?, "
			    "?, ?, ?, ?, ?, ?)",
			    "ssssssiis", by->region_code, in->held_on, in->kind, in->units,
			    in->place, solved, clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	*out = id ? id : db_last_id(db);
	char detail[1600];
	snprintf(detail, sizeof(detail), "%s%s（%s）：%s，%s%s%s", id ? "更正为 " : "", in->kind,
		 in->held_on, in->units, in->place, *solved ? "；解决：" : "", solved);
	if (id && strcmp(old_day, in->held_on) != 0) {
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof(detail) - l, "（原日期 %s）", old_day);
	}
	return account_audit(db, by, id ? "shuangyong.update" : "shuangyong.create",
			     "shuangyong_activity", *out, detail);
}

int shuangyong_activity_save(struct db *db, const struct principal *by, int64_t id,
			     const struct shuangyong_activity_in *in, int in_tx, int64_t *out,
			     struct field_errors *fe, char *err, size_t errlen)
{
	*out = 0;
	if (may(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, in_tx, activity_in_tx(db, by, id, in, out, fe, err, errlen), err, errlen);
}

static int delete_in_tx(struct db *db, const struct principal *by, int64_t id, char *err,
			size_t errlen)
{
	char day[11], region[16];
	int rc = load_activity(db, by, id, day, region, err, errlen);
	if (rc)
		return rc;
	int64_t reports = 0;
	if (db_int_query(db, &reports, 0,
			 "SELECT count(*) FROM shuangyong_reports WHERE activity_id = ?", "i", id))
		return VE_DB;
	if ((rc = db_run(db, "DELETE FROM shuangyong_reports WHERE activity_id = ?", "i", id)) ||
	    (rc = db_run(db, "DELETE FROM shuangyong_activities WHERE id = ?", "i", id)))
		return rc;
	char detail[160];
	snprintf(detail, sizeof(detail), "删除 %s 的双拥活动 #%lld 及其 %lld 篇新闻报道", day,
		 (long long)id, (long long)reports);
	return account_audit(db, by, "shuangyong.delete", "shuangyong_activity", id, detail);
}

int shuangyong_activity_delete(struct db *db, const struct principal *by, int64_t id, char *err,
			       size_t errlen)
{
	if (may(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, 0, delete_in_tx(db, by, id, err, errlen), err, errlen);
}

static int report_in_tx(struct db *db, const struct principal *by, int64_t activity_id,
			const struct shuangyong_report_in *in, int64_t *id, struct field_errors *fe,
			char *err, size_t errlen)
{
	char day[11], region[16];
	int rc = load_activity(db, by, activity_id, day, region, err, errlen);
	if (rc)
		return rc;
	if (!text_len_ok(in->medium, 2, 60))
		field_errors_add(fe, "媒体", "请写明刊发的媒体（2 至 60 个字）");
	if (day_ok(in->published_on, "报道日期", fe) && strcmp(in->published_on, day) < 0)
		field_errors_add(fe, "报道日期", "报道日期不能早于活动日期 %s", day);
	if (!text_len_ok(in->title, 2, 200))
		field_errors_add(fe, "标题", "请写明报道标题（2 至 200 个字）");
	const char *link = nz(in->link);
	if (*link && !shuangyong_link_ok(link))
		field_errors_add(fe, "链接",
				 "链接应为以 http:// 或 https:// 开头的网址（不超过 %d 个字符）",
				 LINK_MAX);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(db,
		    "INSERT INTO shuangyong_reports (activity_id, region_code, medium, "
		    "published_on, title, link, created_at, created_by, created_name) VALUES (?, "
		    "?, ?, ?, ?, ?, ?, ?, ?)",
		    "isssssiis", activity_id, region, in->medium, in->published_on, in->title, link,
		    clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[1000];
	snprintf(detail, sizeof(detail), "双拥活动 #%lld 的报道：%s（%s）《%s》%s",
		 (long long)activity_id, in->medium, in->published_on, in->title, link);
	return account_audit(db, by, "shuangyong.report", "shuangyong_report", *id, detail);
}

int shuangyong_report_add(struct db *db, const struct principal *by, int64_t activity_id,
			  const struct shuangyong_report_in *in, int in_tx, int64_t *id,
			  struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	if (may(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, in_tx, report_in_tx(db, by, activity_id, in, id, fe, err, errlen), err,
		      errlen);
}

static int report_delete_in_tx(struct db *db, const struct principal *by, int64_t id,
			       int64_t *activity_id, char *err, size_t errlen)
{
	/* The report as it was, for the audit: its medium, day and title. */
	char medium[256] = "", published[11] = "", title[1024] = "";
	struct db_stmt *st = db_q(db,
				  "SELECT activity_id, medium, published_on, title FROM "
				  "shuangyong_reports WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*activity_id = db_int(st, 0);
		str_copy(medium, nz(db_text(st, 1)), sizeof(medium));
		str_copy(published, nz(db_text(st, 2)), sizeof(published));
		str_copy(title, nz(db_text(st, 3)), sizeof(title));
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return VE_DB;
	char day[11], region[16];
	if (!*activity_id)
		return err_set(err, errlen, VE_NOTFOUND, "新闻报道不存在");
	rc = load_activity(db, by, *activity_id, day, region, err, errlen);
	if (rc)
		return rc == VE_NOTFOUND ? err_set(err, errlen, VE_NOTFOUND, "新闻报道不存在") : rc;
	if ((rc = db_run(db, "DELETE FROM shuangyong_reports WHERE id = ?", "i", id)))
		return rc;
	char detail[1500];
	snprintf(detail, sizeof(detail), "删除双拥活动 #%lld 的新闻报道 #%lld：%s（%s）《%s》",
		 (long long)*activity_id, (long long)id, medium, published, title);
	return account_audit(db, by, "shuangyong.report_delete", "shuangyong_report", id, detail);
}

int shuangyong_report_delete(struct db *db, const struct principal *by, int64_t id,
			     int64_t *activity_id, char *err, size_t errlen)
{
	*activity_id = 0;
	if (may(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, 0, report_delete_in_tx(db, by, id, activity_id, err, errlen), err,
		      errlen);
}

/* ---- the year's figures ---- */

static const struct figure figures[] = {
	FIGURE_ROWS("shuangyong_activities", "双拥活动", "场",
		    "活动日期在本年内的双拥活动，每场计 1 次（走访慰问部队、军民共建、拥军优属等）",
		    "SELECT a.id AS id, a.held_on AS held_on, a.kind AS kind, a.units AS units, "
		    "a.place AS place FROM k, shuangyong_activities a WHERE a.held_on BETWEEN k.ys "
		    "AND k.ye AND " FIGURE_SCOPE("a.region_code", "a.created_by"),
		    "held_on, id",
		    "id:编号,held_on:活动日期,kind:活动类型,units:参与单位,place:地点"),
	FIGURE_ROWS(
		"shuangyong_news", "双拥新闻报道", "篇",
		"报道日期在本年内、关于双拥活动的新闻报道，每篇计 1 次",
		"SELECT r.id AS id, r.published_on AS published_on, r.medium AS medium, r.title "
		"AS title, r.link AS link, r.activity_id AS activity_id FROM k, "
		"shuangyong_reports r WHERE r.published_on BETWEEN k.ys AND k.ye AND " FIGURE_SCOPE(
			"r.region_code", "r.created_by"),
		"published_on, id",
		"id:编号,published_on:报道日期,medium:媒体,title:标题,link:链接,activity_id:活动编号"),
	{0},
};

const struct perm perm_shuangyong_read = {"shuangyong.read", "查看双拥活动与新闻报道",
					  ROLE_BUSINESS};
const struct perm perm_shuangyong_manage = {"shuangyong.manage", "登记双拥活动与新闻报道",
					    ROLE_BIT(CLERK) | ROLE_BIT(STATION)};

const struct figure_set shuangyong_figures = {
	.area = "shuangyong",
	.title = "双拥",
	.perm = PERM_SHUANGYONG_READ,
	.figures = figures,
	.rates = NULL,
	.paragraph = "深入开展双拥共建，巩固军政军民团结。全年组织走访慰问驻区部队、军民共建、拥军优属等"
		     "双拥活动 {shuangyong_activities} 场，各级媒体刊发双拥工作新闻报道 "
		     "{shuangyong_news} 篇，营造爱国拥军、尊崇军人的浓厚氛围。",
};

static const struct perm *const perms[] = {PERM_SHUANGYONG_READ, PERM_SHUANGYONG_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"shuangyong.create", "登记双拥活动"},
	{"shuangyong.update", "更正双拥活动"},
	{"shuangyong.delete", "删除双拥活动"},
	{"shuangyong.report", "登记双拥新闻报道"},
	{"shuangyong.report_delete", "删除双拥新闻报道"},
	{NULL, NULL},
};
const struct area shuangyong_area = {.name = "shuangyong",
				     .perms = perms,
				     .audit_titles = audit_titles,
				     .figures = &shuangyong_figures};
