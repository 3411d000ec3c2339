/* consultation.c - 意见征集: consultations (create, edit, the summary after the close), the
 * public's comments within the window, their moderation, the lists and counts for staff
 * and the portal, the XLSX export of the comments, and the area's declarations. */
#include "consultation.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/calendar.h"
#include "areas/sealed.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const consultation_comment_statuses[CONSULT_N_COMMENT_STATUSES] = {
	COMMENT_PENDING, COMMENT_PUBLISHED, COMMENT_REJECTED};

/* The key field of the sender's address hash (a blind index of its own). */
#define CLIENT_HASH_FIELD "consultation_comments.client_hash"
/* The published comments a public page shows at most. */
#define PUBLIC_COMMENTS_MAX 500

/* ---- pure rules ---- */

const char *consultation_status(const char *opens_on, const char *closes_on, const char *today)
{
	if (strcmp(today, opens_on) < 0)
		return CONSULT_UPCOMING;
	if (strcmp(today, closes_on) > 0)
		return CONSULT_CLOSED;
	return CONSULT_OPEN;
}

void consultation_date_words(const char *day, char out[32])
{
	int32_t n;
	if (!day || calendar_day_number(day, &n) != 0) {
		str_copy(out, day ? day : "", 32);
		return;
	}
	snprintf(out, 32, "%.4s年%d月%d日", day, atoi(day + 5), atoi(day + 8));
}

static int date_valid(const char *s)
{
	int32_t n;
	return s && strlen(s) == 10 && calendar_day_number(s, &n) == 0;
}

static int days_between(const char *from, const char *to)
{
	int32_t a = 0, b = 0;
	calendar_day_number(from, &a);
	calendar_day_number(to, &b);
	return (int)(b - a);
}

static const char *signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* A copy of src tidied (spaces around it gone; inner runs as how says), in a new buffer the
 * caller frees. The whole text is kept, so that a refusal counts what was sent; its size is
 * bounded by the request's (web/limits.h). */
static char *tidy_dup(const char *src, enum str_tidy_inner how)
{
	size_t n = src ? strlen(src) : 0;
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, src ? src : "", n);
	s[n] = '\0';
	str_tidy(s, how);
	return s;
}

/* Checks v's length in characters (min 0: optional) and that it prints. */
static void check_text(struct field_errors *fe, const char *field, const char *v, size_t min,
		       size_t max, int lines)
{
	size_t n = utf8_count(v, strlen(v));
	if (n < min)
		field_errors_add(fe, field, min <= 1 ? "请填写%s" : "%s至少 %zu 个字", field, min);
	else if (n > max)
		field_errors_add(fe, field, "%s最多 %zu 个字（现有 %zu 个字）", field, max, n);
	else if (!str_is_printable(v, strlen(v), lines))
		field_errors_add(fe, field, "%s含有不可打印的字符", field);
}

/* A time as staff read it ("" for 0). */
static json_t *minute_json(int64_t t)
{
	char s[17] = "";
	if (t > 0)
		clock_local_minute(t, s);
	return json_string(s);
}

/* ---- staff: create and edit ---- */

static int need_manage(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_CONSULTATION_MANAGE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
		       perm_title(PERM_CONSULTATION_MANAGE));
}

/* Whether consultation id exists. */
static int exists(struct db *db, int64_t id, int *found)
{
	int64_t n = 0;
	int rc = db_int_query(db, &n, 0, "SELECT count(*) FROM consultations WHERE id = ?", "i", id);
	*found = n > 0;
	return rc ? VE_DB : 0;
}

static void check_window(const struct consultation_in *in, int creating, const char *today,
			 struct field_errors *fe)
{
	const char *o = in->opens_on ? in->opens_on : "", *c = in->closes_on ? in->closes_on : "";
	int ok_o = date_valid(o), ok_c = date_valid(c);
	if (!*o)
		field_errors_add(fe, "开始日期", "请填写开始日期");
	else if (!ok_o)
		field_errors_add(fe, "开始日期", "日期应为 YYYY-MM-DD，如 2026-03-01");
	if (!*c)
		field_errors_add(fe, "截止日期", "请填写截止日期");
	else if (!ok_c)
		field_errors_add(fe, "截止日期", "日期应为 YYYY-MM-DD，如 2026-03-31");
	if (!ok_o || !ok_c)
		return;
	if (strcmp(c, o) < 0)
		field_errors_add(fe, "截止日期", "截止日期不能早于开始日期");
	else if (days_between(o, c) + 1 > CONSULT_DAYS_MAX)
		field_errors_add(fe, "截止日期", "征集期最长 %d 天", CONSULT_DAYS_MAX);
	else if (creating && strcmp(c, today) < 0)
		field_errors_add(fe, "截止日期", "截止日期已过，无法再征集意见");
}

static int save_in_tx(struct db *db, const struct principal *by, int64_t id, const char *title,
		      const char *body, const struct consultation_in *in, int64_t *out_id)
{
	int64_t now = clock_now();
	int rc;
	char detail[400];
	if (id == 0) {
		rc = db_run(db,
			    "INSERT INTO consultations (region_code, org_id, title, body, opens_on, "
			    "closes_on, created_at, created_by, created_name, updated_at, updated_by, "
			    "updated_name) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "sissssiisiis", by->region_code, by->org_id, title, body, in->opens_on,
			    in->closes_on, now, by->user_id, signer(by), now, by->user_id, signer(by));
		if (rc)
			return rc;
		*out_id = db_last_id(db);
	} else {
		rc = db_run(db,
			    "UPDATE consultations SET title = ?, body = ?, opens_on = ?, closes_on = ?, "
			    "updated_at = ?, updated_by = ?, updated_name = ? WHERE id = ?",
			    "ssssiisi", title, body, in->opens_on, in->closes_on, now, by->user_id,
			    signer(by), id);
		if (rc)
			return rc;
		*out_id = id;
	}
	snprintf(detail, sizeof(detail), "《%.300s》%s 至 %s", title, in->opens_on, in->closes_on);
	return account_audit(db, by, id ? "consultation.edit" : "consultation.create",
			     "consultation", *out_id, detail);
}

int consultation_save(struct db *db, const struct principal *by, int64_t id,
		      const struct consultation_in *in, int64_t *out_id, struct field_errors *fe,
		      char *err, size_t errlen)
{
	*out_id = 0;
	int rc = need_manage(by, err, errlen);
	if (rc)
		return rc;
	if (id) {
		int found = 0;
		if (exists(db, id, &found))
			return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
		if (!found)
			return err_set(err, errlen, VE_NOTFOUND, "意见征集不存在");
	}
	/* room for the limits in 4-byte characters, plus one to see an excess */
	char *title = tidy_dup(in->title, STR_TIDY_COLLAPSE);
	char *body = tidy_dup(in->body, STR_TIDY_KEEP);
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	check_text(fe, "标题", title, 1, CONSULT_TITLE_MAX, 0);
	check_text(fe, "征求意见稿", body, 1, CONSULT_BODY_MAX, 1);
	check_window(in, id == 0, today, fe);
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if ((rc = db_tx_end(db, 0, save_in_tx(db, by, id, title, body, in, out_id))) != 0)
		err_set(err, errlen, rc, "保存失败，请稍后再试");
	free(title);
	free(body);
	return rc;
}

/* ---- staff: the summary ---- */

/* The dates of consultation id into opens/closes; VE_NOTFOUND or VE_DB. */
static int window_of(struct db *db, int64_t id, char opens[11], char closes[11], char *title,
		     size_t title_size)
{
	struct db_stmt *st = db_q(db, "SELECT opens_on, closes_on, title FROM consultations WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW) {
		str_copy(opens, db_text(st, 0), 11);
		str_copy(closes, db_text(st, 1), 11);
		if (title)
			str_copy(title, db_text(st, 2), title_size);
	}
	db_done(st);
	return r == DB_ROW ? 0 : r == DB_DONE ? VE_NOTFOUND : VE_DB;
}

int consultation_set_summary(struct db *db, const struct principal *by, int64_t id,
			     const char *summary, struct field_errors *fe, char *err,
			     size_t errlen)
{
	int rc = need_manage(by, err, errlen);
	if (rc)
		return rc;
	char opens[11], closes[11], title[4 * CONSULT_TITLE_MAX + 8], today[11], words[32];
	if ((rc = window_of(db, id, opens, closes, title, sizeof(title))) != 0)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "意见征集不存在" : "数据库忙，请稍后再试");
	str_copy(today, clock_today_text(), sizeof(today));
	if (strcmp(consultation_status(opens, closes, today), CONSULT_CLOSED) != 0) {
		consultation_date_words(closes, words);
		return err_set(err, errlen, VE_CONFLICT,
			       "征集截止（%s）之后才能发布采纳情况", words);
	}
	char *text = tidy_dup(summary, STR_TIDY_KEEP);
	check_text(fe, "采纳情况", text, 10, CONSULT_SUMMARY_MAX, 1);
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else {
		int64_t had = 0;
		rc = db_int_query(db, &had, 0,
				  "SELECT count(*) FROM consultations WHERE id = ? AND summary <> ''",
				  "i", id);
		if (rc == 0)
			rc = db_run(db,
				    "UPDATE consultations SET summary = ?, summary_at = ?, summary_by = ?, "
				    "summary_name = ? WHERE id = ?",
				    "siisi", text, clock_now(), by->user_id, signer(by), id);
		char detail[400];
		snprintf(detail, sizeof(detail), "《%.300s》%s采纳情况", title, had ? "修改" : "发布");
		if (rc == 0)
			rc = account_audit(db, by, "consultation.summary", "consultation", id, detail);
		if ((rc = db_tx_end(db, 0, rc)) != 0)
			err_set(err, errlen, rc, "保存失败，请稍后再试");
	}
	free(text);
	return rc;
}

/* ---- staff: moderation ---- */

int consultation_moderate(struct db *db, const struct principal *by, int64_t comment_id,
			  int publish, const char *reason, int64_t *consultation_id,
			  struct field_errors *fe, char *err, size_t errlen)
{
	*consultation_id = 0;
	int rc = need_manage(by, err, errlen);
	if (rc)
		return rc;
	char status[32] = "";
	struct db_stmt *st = db_q(db,
				  "SELECT consultation_id, status FROM consultation_comments WHERE id = ?",
				  "i", comment_id);
	if (!st)
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int r = db_step(st);
	if (r == DB_ROW) {
		*consultation_id = db_int(st, 0);
		str_copy(status, db_text(st, 1), sizeof(status));
	}
	db_done(st);
	if (r != DB_ROW)
		return err_set(err, errlen, r == DB_DONE ? VE_NOTFOUND : VE_DB,
			       r == DB_DONE ? "意见不存在" : "数据库忙，请稍后再试");
	const char *to = publish ? COMMENT_PUBLISHED : COMMENT_REJECTED;
	if (strcmp(status, to) == 0)
		return err_set(err, errlen, VE_CONFLICT, "这条意见已是“%s”", to);
	char *why = tidy_dup(publish ? "" : reason, STR_TIDY_COLLAPSE);
	if (!publish)
		check_text(fe, "理由", why, 2, CONSULT_REASON_MAX, 0);
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else {
		/* the status read above must still hold: two moderators at once decide once */
		rc = db_run(db,
			    "UPDATE consultation_comments SET status = ?, reason = ?, moderated_at = ?, "
			    "moderated_by = ?, moderated_name = ? WHERE id = ? AND status = ?",
			    "ssiisis", to, why, clock_now(), by->user_id, signer(by), comment_id, status);
		if (rc == 0 && db_changes(db) != 1)
			rc = VE_CONFLICT;
		char detail[600];
		snprintf(detail, sizeof(detail), "意见 %lld（原为%s）%s%s", (long long)comment_id,
			 status, publish ? "发布" : "不予发布：", publish ? "" : why);
		if (rc == 0)
			rc = account_audit(db, by,
					   publish ? "consultation.comment_publish"
						   : "consultation.comment_reject",
					   "consultation_comment", comment_id, detail);
		if ((rc = db_tx_end(db, 0, rc)) != 0)
			err_set(err, errlen, rc,
				rc == VE_CONFLICT ? "这条意见刚被他人处理过，请刷新后再试"
						  : "保存失败，请稍后再试");
	}
	free(why);
	return rc;
}

/* ---- reading ---- */

/* The counts of a row read from COUNTS_SQL's four columns starting at col. */
#define COUNTS_SQL                                                                                 \
	"(SELECT count(*) FROM consultation_comments m WHERE m.consultation_id = c.id), "          \
	"(SELECT count(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND "        \
	"m.status = '" COMMENT_PUBLISHED "'), "                                                    \
	"(SELECT count(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND "        \
	"m.status = '" COMMENT_REJECTED "'), "                                                     \
	"(SELECT count(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND "        \
	"m.status = '" COMMENT_PENDING "')"

static json_t *counts_json(struct db_stmt *st, int col)
{
	return json_pack("{s:I,s:I,s:I,s:I}", "received", (json_int_t)db_int(st, col), "published",
			 (json_int_t)db_int(st, col + 1), "rejected", (json_int_t)db_int(st, col + 2),
			 "pending", (json_int_t)db_int(st, col + 3));
}

static void add_dates(json_t *o, const char *opens, const char *closes, const char *today)
{
	char w[32];
	json_object_set_new(o, "opens_on", json_string(opens));
	json_object_set_new(o, "closes_on", json_string(closes));
	consultation_date_words(opens, w);
	json_object_set_new(o, "opens_words", json_string(w));
	consultation_date_words(closes, w);
	json_object_set_new(o, "closes_words", json_string(w));
	json_object_set_new(o, "status", json_string(consultation_status(opens, closes, today)));
}

int consultation_list(struct db *db, const struct principal *by, json_t **out)
{
	(void)by;
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st = db_q(db,
				  "SELECT c.id, c.title, c.opens_on, c.closes_on, CASE WHEN c.summary <> '' "
				  "THEN 1 ELSE 0 END, " COUNTS_SQL " FROM consultations c "
				  "ORDER BY c.opens_on DESC, c.id DESC LIMIT 1000",
				  "");
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)db_int(st, 0), "title",
				      db_text(st, 1));
		add_dates(o, db_text(st, 2), db_text(st, 3), today);
		json_object_set_new(o, "has_summary", json_boolean(db_int(st, 4)));
		json_object_set_new(o, "counts", counts_json(st, 5));
		json_array_append_new(items, o);
	}
	db_done(st);
	if (r != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* The short form of a sender's hash, for moderators (the same source, the same 8 digits). */
static json_t *source_json(const char *hash)
{
	char s[9];
	str_copy(s, hash ? hash : "", sizeof(s));
	return json_string(s);
}

int consultation_get(struct db *db, const struct principal *by, int64_t id, const char *status,
		     int64_t page, int64_t per_page, json_t **out)
{
	(void)by;
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	if (!status)
		status = "";
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 50;
	struct db_stmt *st =
		db_q(db,
		     "SELECT c.id, c.title, c.body, c.opens_on, c.closes_on, c.summary, c.summary_at, "
		     "coalesce(c.summary_name, ''), c.created_at, c.created_name, c.updated_at, c.updated_name, "
		     COUNTS_SQL " FROM consultations c WHERE c.id = ?",
		     "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:s}", "id",
			      (json_int_t)db_int(st, 0), "title", db_text(st, 1), "body",
			      db_text(st, 2), "summary", db_text(st, 5), "summary_at",
			      minute_json(db_int(st, 6)), "summary_name", db_text(st, 7),
			      "created_at", minute_json(db_int(st, 8)), "created_name",
			      db_text(st, 9), "updated_at", minute_json(db_int(st, 10)),
			      "updated_name", db_text(st, 11));
	if (!o) {
		db_done(st);
		return VE_INTERNAL;
	}
	add_dates(o, db_text(st, 3), db_text(st, 4), today);
	json_object_set_new(o, "counts", counts_json(st, 12));
	db_done(st);

	int64_t total = 0;
	if (db_int_query(db, &total, 0,
			 "SELECT count(*) FROM consultation_comments WHERE consultation_id = ? AND "
			 "(? = '' OR status = ?)",
			 "iss", id, status, status) != 0) {
		json_decref(o);
		return VE_DB;
	}
	json_object_set_new(o, "total", json_integer(total));
	/* number: the comment's place among all of this consultation's, as the export numbers it */
	st = db_q(db,
		  "SELECT m.id, m.name, m.body, m.submitted_at, m.client_hash, m.status, m.reason, "
		  "m.moderated_at, coalesce(m.moderated_name, ''), (SELECT count(*) FROM consultation_comments k "
		  "WHERE k.consultation_id = m.consultation_id AND k.id <= m.id) FROM "
		  "consultation_comments m WHERE m.consultation_id = ? AND (? = '' OR m.status = ?) "
		  "ORDER BY m.id LIMIT ? OFFSET ?",
		  "issii", id, status, status, per_page, (page - 1) * per_page);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *items = json_array();
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(
			items,
			json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:s}", "id",
				  (json_int_t)db_int(st, 0), "number", (json_int_t)db_int(st, 9),
				  "name", db_text(st, 1), "body", db_text(st, 2), "submitted_at",
				  minute_json(db_int(st, 3)), "source", source_json(db_text(st, 4)),
				  "status", db_text(st, 5), "reason", db_text(st, 6), "moderated_at",
				  minute_json(db_int(st, 7)), "moderated_name", db_text(st, 8)));
	db_done(st);
	json_object_set_new(o, "comments", items);
	if (r != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

int consultation_pending_count(struct db *db, int64_t *n)
{
	return db_int_query(db, n, 0,
			    "SELECT count(*) FROM consultation_comments WHERE status = '" COMMENT_PENDING
			    "'",
			    "")
		       ? VE_DB
		       : 0;
}

/* ---- the export ---- */

enum { X_COLS = 9 };

static int write_guarded(struct xlsx_writer *w, const char *const *cells, size_t n)
{
	const char *out[X_COLS];
	char *bufs[X_COLS] = {0};
	for (size_t i = 0; i < n; i++) {
		size_t size = strlen(cells[i]) + 2;
		bufs[i] = malloc(size);
		if (!bufs[i])
			abort();
		out[i] = sheet_guard(cells[i], bufs[i], size);
	}
	int rc = xlsx_write_row(w, out, n);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	return rc;
}

static int write_comments(struct db *db, struct xlsx_writer *w, int64_t id, int64_t *n)
{
	static const char *const header[X_COLS] = {"序号",   "提交时间", "姓名",
						   "意见",   "状态",     "未采用理由",
						   "审核人", "审核时间", "来源标识"};
	static const double widths[X_COLS] = {6, 17, 12, 60, 8, 30, 10, 17, 10};
	for (int k = 0; k < X_COLS; k++)
		if (xlsx_writer_column(w, k, widths[k], 1) != 0)
			return VE_IO;
	if (xlsx_write_row(w, header, X_COLS) != 0)
		return VE_IO;
	struct db_stmt *st = db_q(db,
				  "SELECT submitted_at, name, body, status, reason, coalesce(moderated_name, ''), "
				  "moderated_at, client_hash FROM consultation_comments WHERE "
				  "consultation_id = ? ORDER BY id",
				  "i", id);
	if (!st)
		return VE_DB;
	int r, rc = 0;
	while (rc == 0 && (r = db_step(st)) == DB_ROW) {
		char number[24], at[17] = "", mod_at[17] = "", source[9];
		snprintf(number, sizeof(number), "%lld", (long long)++*n);
		clock_local_minute(db_int(st, 0), at);
		if (db_int(st, 6) > 0)
			clock_local_minute(db_int(st, 6), mod_at);
		str_copy(source, db_text(st, 7), sizeof(source));
		const char *cells[X_COLS] = {number,          at,       db_text(st, 1),
					     db_text(st, 2),  db_text(st, 3), db_text(st, 4),
					     db_text(st, 5),  mod_at,   source};
		rc = write_guarded(w, cells, X_COLS) ? VE_IO : 0;
	}
	db_done(st);
	if (rc == 0 && r != DB_DONE)
		rc = VE_DB;
	return rc;
}

static int write_overview(struct xlsx_writer *w, const json_t *c, char *err, size_t errlen)
{
	if (xlsx_writer_add_sheet(w, "概况", err, errlen) != 0 || xlsx_writer_column(w, 0, 12, 1) ||
	    xlsx_writer_column(w, 1, 60, 1))
		return VE_IO;
	const json_t *counts = json_object_get(c, "counts");
	char n[4][24];
	static const char *const keys[4] = {"received", "published", "rejected", "pending"};
	for (int i = 0; i < 4; i++)
		snprintf(n[i], sizeof(n[i]), "%lld",
			 (long long)json_integer_value(json_object_get(counts, keys[i])));
	const char *rows[][2] = {
		{"标题", json_string_value(json_object_get(c, "title"))},
		{"开始日期", json_string_value(json_object_get(c, "opens_on"))},
		{"截止日期", json_string_value(json_object_get(c, "closes_on"))},
		{"状态", json_string_value(json_object_get(c, "status"))},
		{"收到意见", n[0]},
		{"已发布", n[1]},
		{"未采用", n[2]},
		{"待审核", n[3]},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (write_guarded(w, rows[i], 2) != 0)
			return VE_IO;
	return 0;
}

int consultation_export(struct db *db, const struct principal *by, int64_t id, const char *path,
			char *err, size_t errlen)
{
	/* the comments hold what visitors wrote: whoever calls, the permission is checked here */
	if (!perm_allows(by->roles, PERM_CONSULTATION_READ))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_CONSULTATION_READ));
	json_t *c = NULL;
	int rc = consultation_get(db, by, id, NULL, 1, 1, &c);
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "意见征集不存在" : "数据库忙，请稍后再试");
	struct xlsx_writer *w = xlsx_writer_open(path, "意见", err, errlen);
	if (!w) {
		json_decref(c);
		remove(path);
		return VE_IO;
	}
	int64_t n = 0;
	rc = write_comments(db, w, id, &n);
	if (rc == 0)
		rc = write_overview(w, c, err, errlen);
	char cerr[200];
	if (xlsx_writer_close(w, cerr, sizeof(cerr)) != 0 && rc == 0)
		rc = VE_IO;
	if (rc == 0) {
		char detail[400];
		snprintf(detail, sizeof(detail), "《%.300s》导出意见 %lld 条",
			 json_string_value(json_object_get(c, "title")), (long long)n);
		if (db_tx_begin(db, 0))
			rc = VE_DB;
		else
			rc = db_tx_end(db, 0,
				       account_audit(db, by, "consultation.export", "consultation", id,
						     detail));
	}
	json_decref(c);
	if (rc) {
		remove(path);
		return err_set(err, errlen, rc, rc == VE_DB ? "数据库忙，请稍后再试" : "无法生成导出文件");
	}
	return 0;
}

/* ---- the public ---- */

int consultation_public_list(struct db *db, json_t **out)
{
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st = db_q(
		db,
		"SELECT c.id, c.title, c.opens_on, c.closes_on, CASE WHEN c.summary <> '' THEN 1 "
		"ELSE 0 END, " COUNTS_SQL " FROM consultations c WHERE c.opens_on <= ? ORDER BY "
		"CASE WHEN c.closes_on >= ? THEN 0 ELSE 1 END, CASE WHEN c.closes_on >= ? THEN "
		"c.closes_on ELSE '' END, c.closes_on DESC, c.id DESC LIMIT 500",
		"sss", today, today, today);
	if (!st)
		return VE_DB;
	json_t *open = json_array(), *closed = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:s,s:b,s:I,s:I}", "id", (json_int_t)db_int(st, 0),
				      "title", db_text(st, 1), "has_summary", (int)db_int(st, 4),
				      "received", (json_int_t)db_int(st, 5), "published",
				      (json_int_t)db_int(st, 6));
		add_dates(o, db_text(st, 2), db_text(st, 3), today);
		int is_open = strcmp(db_text(st, 3), today) >= 0;
		json_array_append_new(is_open ? open : closed, o);
	}
	db_done(st);
	if (r != DB_DONE) {
		json_decref(open);
		json_decref(closed);
		return VE_DB;
	}
	*out = json_pack("{s:o,s:o}", "open", open, "closed", closed);
	return 0;
}

int consultation_public_get(struct db *db, int64_t id, int comments, json_t **out)
{
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st = db_q(db,
				  "SELECT c.id, c.title, c.body, c.opens_on, c.closes_on, c.summary, "
				  COUNTS_SQL " FROM consultations c WHERE c.id = ? AND c.opens_on <= ?",
				  "is", id, today);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)db_int(st, 0), "title",
			      db_text(st, 1), "body", db_text(st, 2), "received",
			      (json_int_t)db_int(st, 6), "published", (json_int_t)db_int(st, 7));
	add_dates(o, db_text(st, 3), db_text(st, 4), today);
	const char *status = json_string_value(json_object_get(o, "status"));
	int closed = strcmp(status, CONSULT_CLOSED) == 0;
	json_object_set_new(o, "open", json_boolean(strcmp(status, CONSULT_OPEN) == 0));
	json_object_set_new(o, "closed", json_boolean(closed));
	json_object_set_new(o, "summary", json_string(closed ? db_text(st, 5) : ""));
	db_done(st);
	if (!comments) {
		*out = o;
		return 0;
	}
	st = db_q(db,
		  "SELECT submitted_on, body FROM consultation_comments WHERE consultation_id = ? AND "
		  "status = '" COMMENT_PUBLISHED "' ORDER BY id LIMIT ?",
		  "ii", id, (int64_t)PUBLIC_COMMENTS_MAX);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *items = json_array();
	int64_t number = 0;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s}", "number",
						       (json_int_t)++number, "submitted_on",
						       db_text(st, 0), "body", db_text(st, 1)));
	db_done(st);
	json_object_set_new(o, "comments", items);
	if (r != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

static int comment_in_tx(struct db *db, const struct audit_actor *who, int64_t id,
			 const char *name, const char *text, int64_t at, const char *today,
			 const char *title, int64_t *comment_id)
{
	char hash[2 * SM3_LEN + 1] = "";
	if (who->ip && *who->ip) {
		unsigned char key[SM3_LEN];
		sealed_index_key(CLIENT_HASH_FIELD, key);
		sealed_index(key, who->ip, hash);
	}
	int rc = db_run(db,
			"INSERT INTO consultation_comments (consultation_id, region_code, name, body, "
			"submitted_at, submitted_on, client_hash, status) SELECT id, region_code, ?, ?, "
			"?, ?, ?, '" COMMENT_PENDING "' FROM consultations WHERE id = ?",
			"ssissi", name, text, at, today, hash, id);
	if (rc)
		return rc;
	if (db_changes(db) != 1)
		return VE_NOTFOUND;
	*comment_id = db_last_id(db);
	char object[48], detail[400];
	snprintf(object, sizeof(object), "consultation_comment:%lld", (long long)*comment_id);
	snprintf(detail, sizeof(detail), "《%.300s》收到意见（%zu 字，待审核）", title,
		 utf8_count(text, strlen(text)));
	return audit_write(db, who, "consultation.comment", object, "ok", detail);
}

int consultation_comment_at(struct db *db, const struct audit_actor *who, int64_t id,
			    const char *name, const char *text, int64_t at, int64_t *comment_id,
			    struct field_errors *fe, char *err, size_t errlen)
{
	*comment_id = 0;
	char opens[11], closes[11], title[4 * CONSULT_TITLE_MAX + 8], today[11], words[32];
	int rc = window_of(db, id, opens, closes, title, sizeof(title));
	if (clock_date_text(at, today) != 0)
		return err_set(err, errlen, VE_INVALID, "时间无效");
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "意见征集不存在" : "数据库忙，请稍后再试");
	const char *status = consultation_status(opens, closes, today);
	if (strcmp(status, CONSULT_CLOSED) == 0) {
		consultation_date_words(closes, words);
		return err_set(err, errlen, VE_CONFLICT,
			       "本次意见征集已于%s截止，不再接收意见。感谢您的关注。", words);
	}
	if (strcmp(status, CONSULT_UPCOMING) == 0) {
		consultation_date_words(opens, words);
		return err_set(err, errlen, VE_CONFLICT, "本次意见征集尚未开始，将于%s开始接收意见。",
			       words);
	}
	char *who_name = tidy_dup(name, STR_TIDY_COLLAPSE);
	char *body = tidy_dup(text, STR_TIDY_KEEP);
	check_text(fe, "姓名", who_name, 0, CONSULT_NAME_MAX, 0);
	check_text(fe, "意见", body, CONSULT_COMMENT_MIN, CONSULT_COMMENT_MAX, 1);
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "系统繁忙，请稍后再试");
	else if ((rc = db_tx_end(db, 0,
				 comment_in_tx(db, who, id, who_name, body, at, today, title,
					       comment_id))) != 0)
		err_set(err, errlen, rc, rc == VE_NOTFOUND ? "意见征集不存在" : "提交失败，请稍后再试");
	free(who_name);
	free(body);
	return rc;
}

int consultation_comment(struct db *db, const struct audit_actor *who, int64_t id,
			 const char *name, const char *text, int64_t *comment_id,
			 struct field_errors *fe, char *err, size_t errlen)
{
	return consultation_comment_at(db, who, id, name, text, clock_now(), comment_id, fe, err,
				       errlen);
}

/* ---- permissions and the area ---- */

/* the export of the comments is reading: GET /consultations/{id}/export needs read */
const struct perm perm_consultation_read = {"consultation.read", "查看意见征集（含导出意见）",
					    ROLE_BIT(CLERK) | ROLE_BIT(LEADER)};
const struct perm perm_consultation_manage = {
	"consultation.manage", "管理意见征集（发布征求意见稿、审核意见、发布采纳情况）",
	ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_CONSULTATION_READ, PERM_CONSULTATION_MANAGE,
					   NULL};
static const struct audit_title audit_titles[] = {
	{"consultation.create", "发布意见征集"},
	{"consultation.edit", "修改意见征集"},
	{"consultation.summary", "发布意见采纳情况"},
	{"consultation.comment", "提交意见（公众）"},
	{"consultation.comment_publish", "发布公众意见"},
	{"consultation.comment_reject", "不予发布公众意见"},
	{"consultation.export", "导出意见征集的意见"},
	{NULL, NULL},
};
/* The public's comments waiting for moderation (the navigation's count), one to-do per
 * consultation, for one who moderates them. */
static int consultation_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_CONSULTATION_MANAGE))
		return 0;
	struct db_stmt *st = db_q(db,
				  "SELECT c.id, c.title, count(*) FROM consultations c JOIN "
				  "consultation_comments m ON m.consultation_id = c.id WHERE m.status = '"
				  COMMENT_PENDING "' GROUP BY c.id, c.title ORDER BY c.id",
				  "");
	if (!st)
		return VE_DB;
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		char title[300], href[96];
		snprintf(title, sizeof(title), "审核公众意见：%s", db_text(st, 1));
		snprintf(href, sizeof(href), "/consultations/%lld?status=%s", (long long)db_int(st, 0),
			 "%E5%BE%85%E5%AE%A1%E6%A0%B8");
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title", title, "count",
						      (json_int_t)db_int(st, 2), "href", href,
						      "note", "发布或不予发布"));
	}
	db_done(st);
	return r == DB_DONE ? 0 : VE_DB;
}

const struct area consultation_area = {.name = "consultation",
				       .perms = perms,
				       .audit_titles = audit_titles,
				       .todos = consultation_todos};
