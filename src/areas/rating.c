/* rating.c - 好差评: making a rating (counter or tracking page), the 回访 and 整改 a named
 * 差评 owes, the job that marks the late ones, and 申诉复核. */
#include "rating.h"
#include <stdio.h>
#include <string.h>
#include "areas/application.h"
#include "areas/audit.h"
#include "areas/calendar.h"
#include "areas/job.h"
#include "areas/scope.h"
#include "areas/settings.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const rating_levels[RATING_N_LEVELS] = {"非常满意", "满意", "基本满意", "不满意",
						    "非常不满意"};
const char *const rating_end_states[RATING_N_END_STATES] = {APP_CLOSED, APP_REFUSED, APP_RETURNED,
							    APP_ENDED};
const char *const rating_filters[RATING_N_FILTERS] = {"open", "late", "bad", "appeal", "all"};

#define COMMENT_MAX 200
#define NOTE_MAX 500

int rating_level_index(const char *level)
{
	for (int i = 0; level && i < RATING_N_LEVELS; i++)
		if (strcmp(level, rating_levels[i]) == 0)
			return i;
	return -1;
}

int rating_level_is_bad(const char *level)
{
	return rating_level_index(level) >= 3;
}

const char *rating_filter_title(const char *filter)
{
	static const char *const titles[RATING_N_FILTERS] = {
		"待回访整改的差评", "逾期未回访整改", "全部差评", "待复核的申诉", "全部评价"};
	for (int i = 0; filter && i < RATING_N_FILTERS; i++)
		if (strcmp(filter, rating_filters[i]) == 0)
			return titles[i];
	return titles[0];
}

static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_text(st, col);
	return t ? t : "";
}

/* A name as staff lists show it: its first character, then one * per character. */
static void mask_name(const char *name, char *out, size_t size)
{
	size_t n = strlen(name), first = 1, pos;
	while (first < n && ((unsigned char)name[first] & 0xC0) == 0x80)
		first++;
	if (first > n || first >= size) {
		str_copy(out, "", size);
		return;
	}
	memcpy(out, name, first);
	pos = first;
	size_t rest = utf8_count(name + first, n - first);
	for (size_t i = 0; i < rest && pos + 1 < size; i++)
		out[pos++] = '*';
	out[pos] = 0;
}

int rating_followup_days(struct db *db, int *days)
{
	char v[16] = "";
	*days = RATING_FOLLOWUP_DAYS_DEFAULT;
	if (settings_get(db, RATING_FOLLOWUP_DAYS_KEY, v, sizeof(v)) == 0 && *v) {
		int64_t n;
		if (str_to_i64(v, strlen(v), 0, 3650, &n) == 0)
			*days = (int)n;
	}
	return 0;
}

int rating_set_followup_days(struct db *db, const struct principal *by, const char *days,
			     struct field_errors *fe, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_RATING_DECIDE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_RATING_DECIDE));
	int64_t n;
	if (!days || str_to_i64(days, strlen(days), 1, 30, &n) != 0) {
		field_errors_add(fe, "跟进期限", "应为 1 至 30 的工作日数");
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int old;
	rating_followup_days(db, &old);
	char v[16], detail[128];
	snprintf(v, sizeof(v), "%lld", (long long)n);
	int rc = settings_set(db, RATING_FOLLOWUP_DAYS_KEY, v, by->user_id, 1);
	snprintf(detail, sizeof(detail),
		 "差评回访整改期限：%d 个工作日 → %lld 个工作日（此后的差评适用）", old,
		 (long long)n);
	if (!rc)
		rc = account_audit(db, by, "rating.settings", "settings", 0, detail);
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

/* ---- reading ---- */

int rating_of(struct db *db, int64_t application_id, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT level, rated_on, channel, bad FROM ratings WHERE "
				  "application_id = ?",
				  "i", application_id);
	if (!st)
		return VE_DB;
	*out = db_step(st) == DB_ROW ? json_pack("{s:s,s:s,s:s,s:b}", "level", db_text(st, 0),
						 "rated_on", db_text(st, 1), "channel",
						 db_text(st, 2), "bad", (int)db_int(st, 3))
				     : json_null();
	db_done(st);
	return 0;
}

/* A named 差评 still owing its follow-up, in SQL over ratings r. */
#define OPEN_SQL                                                                                   \
	"(r.bad <> 0 AND r.named <> 0 AND r.excluded = 0 AND (r.visit_on IS NULL OR r.fix_on IS "  \
	"NULL))"

/* The columns of a rating (0-15, read by row_json), then the details (16-33). */
#define ROW_SQL                                                                                    \
	"SELECT r.id, r.application_id, a.tracking_code, coalesce(s.name, ''), r.level, r.bad, "   \
	"r.named, r.channel, r.rated_on, coalesce(r.followup_due, ''), coalesce(r.visit_on, ''), " \
	"coalesce(r.fix_on, ''), r.late, coalesce(r.appeal_status, ''), r.excluded, "              \
	"CASE WHEN " OPEN_SQL " AND r.followup_due < ? THEN 1 ELSE 0 END, "                        \
	"r.comment, r.rated_name, a.name, r.due_weekends_only, r.visit_person, r.visit_note, "     \
	"r.visit_name, r.fix_note, r.fix_name, r.appeal_reason, r.appeal_name, r.decision_note, "  \
	"r.decided_name, r.late_on, coalesce(r.appeal_by, 0), a.status, a.accepted_on, "           \
	"a.closed_on "                                                                             \
	"FROM ratings r JOIN applications a ON a.id = r.application_id "                           \
	"LEFT JOIN service_items s ON s.id = a.item_id WHERE " SCOPE_REGION_SQL("r.region_code",   \
										"a.clerk_id")

static json_t *row_json(struct db_stmt *st)
{
	json_t *o =
		json_pack("{s:I,s:I,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:b,s:b}", "id",
			  (json_int_t)db_int(st, 0), "application_id", (json_int_t)db_int(st, 1),
			  "tracking_code", text_or(st, 2), "item_name", text_or(st, 3), "level",
			  db_text(st, 4), "bad", (int)db_int(st, 5), "named", (int)db_int(st, 6),
			  "channel", db_text(st, 7), "rated_on", db_text(st, 8), "followup_due",
			  db_text(st, 9), "visit_on", db_text(st, 10), "fix_on", db_text(st, 11),
			  "late", (int)db_int(st, 12), "appeal_status", db_text(st, 13), "excluded",
			  (int)db_int(st, 14), "overdue", (int)db_int(st, 15));
	return o;
}

int rating_list(struct db *db, const struct principal *by, const char *filter, json_t **out)
{
	const char *f = "open";
	for (int i = 0; filter && i < RATING_N_FILTERS; i++)
		if (strcmp(filter, rating_filters[i]) == 0)
			f = rating_filters[i];
	const char *today = clock_today_text();
	struct db_stmt *st =
		db_q(db,
		     ROW_SQL
		     " AND (? = 'all' OR (? = 'bad' AND r.bad <> 0) OR (? = 'open' AND " OPEN_SQL
		     ") OR (? = 'late' AND " OPEN_SQL " AND (r.late <> 0 OR r.followup_due < ?)) "
		     "OR (? = 'appeal' AND r.appeal_status = '" RATING_APPEAL_ASKED "')) "
		     "ORDER BY r.rated_on DESC, r.id DESC",
		     "s" SCOPE_REGION_FMT "ssssss", today,
		     SCOPE_REGION_ARGS(&by->scope, by->region_code), f, f, f, f, today, f);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, row_json(st));
	db_done(st);
	*out = json_pack("{s:s,s:s,s:I,s:o}", "filter", f, "title", rating_filter_title(f), "total",
			 (json_int_t)json_array_size(items), "items", items);
	return 0;
}

static json_t *detail_json(struct db_stmt *st)
{
	json_t *o = row_json(st);
	char masked[64];
	mask_name(text_or(st, 18), masked, sizeof(masked));
	json_t *more = json_pack(
		"{s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "comment",
		text_or(st, 16), "rated_name", text_or(st, 17), "applicant", masked,
		"due_weekends_only", (int)db_int(st, 19), "visit_person", text_or(st, 20),
		"visit_note", text_or(st, 21), "visit_name", text_or(st, 22), "fix_note",
		text_or(st, 23), "fix_name", text_or(st, 24), "appeal_reason", text_or(st, 25),
		"appeal_name", text_or(st, 26), "decision_note", text_or(st, 27), "decided_name",
		text_or(st, 28), "late_on", text_or(st, 29), "application_status", text_or(st, 31),
		"accepted_on", text_or(st, 32), "closed_on", text_or(st, 33));
	json_object_update(o, more);
	json_decref(more);
	int owes = db_int(st, 5) && db_int(st, 6) && !db_int(st, 14);
	json_object_set_new(o, "needs_followup", json_boolean(owes));
	return o;
}

int rating_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st =
		db_q(db, ROW_SQL " AND r.id = ?", "s" SCOPE_REGION_FMT "i", clock_today_text(),
		     SCOPE_REGION_ARGS(&by->scope, by->region_code), id);
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc)
		*out = detail_json(st);
	db_done(st);
	return rc;
}

int rating_get_by_application(struct db *db, const struct principal *by, int64_t application_id,
			      json_t **out)
{
	struct db_stmt *st = db_q(db, ROW_SQL " AND r.application_id = ?", "s" SCOPE_REGION_FMT "i",
				  clock_today_text(),
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), application_id);
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc)
		*out = detail_json(st);
	db_done(st);
	return rc;
}

/* ---- making a rating ---- */

/* What making a rating needs of its application. */
struct app_state {
	int64_t id, org_id;
	char region_code[16], status[32], tracking_code[48], name[128];
};

static int is_end_state(const char *status)
{
	for (int i = 0; i < RATING_N_END_STATES; i++)
		if (strcmp(status, rating_end_states[i]) == 0)
			return 1;
	return 0;
}

#define APP_SQL                                                                                    \
	"SELECT a.id, coalesce(a.org_id, 0), a.region_code, a.status, a.tracking_code, "           \
	"coalesce(a.name, '') FROM applications a "

static int app_read(struct db_stmt *st, struct app_state *a)
{
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc) {
		a->id = db_int(st, 0);
		a->org_id = db_int(st, 1);
		str_copy(a->region_code, text_or(st, 2), sizeof(a->region_code));
		str_copy(a->status, text_or(st, 3), sizeof(a->status));
		str_copy(a->tracking_code, text_or(st, 4), sizeof(a->tracking_code));
		str_copy(a->name, text_or(st, 5), sizeof(a->name));
	}
	db_done(st);
	return rc;
}

static void check_level(const char *level, const char *comment, struct field_errors *fe)
{
	if (rating_level_index(level) < 0)
		field_errors_add(fe, "等级",
				 "请选择评价：非常满意、满意、基本满意、不满意或非常不满意");
	if (comment && utf8_count(comment, strlen(comment)) > COMMENT_MAX)
		field_errors_add(fe, "意见", "意见最多 %d 个字", COMMENT_MAX);
}

/* Inserts the rating of a (checked, in a transaction), audited as by (who) from channel. */
static int insert_rating(struct db *db, const struct app_state *a, const char *level,
			 const char *comment, const char *channel, int64_t by_id,
			 const char *by_name, const struct audit_actor *who, int64_t *id,
			 const char *day, char *err, size_t errlen)
{
	int64_t already = 0;
	if (db_int_query(db, &already, 0, "SELECT count(*) FROM ratings WHERE application_id = ?",
			 "i", a->id))
		return VE_DB;
	if (already)
		return err_set(err, errlen, VE_CONFLICT, "办件 %s 已评价过，每件只能评价一次",
			       a->tracking_code);
	if (!is_end_state(a->status))
		return err_set(err, errlen, VE_CONFLICT,
			       "办件 %s 当前为“%s”，办结、不予受理、退回或终止后才能评价",
			       a->tracking_code, a->status);
	char today[11];
	str_copy(today, day ? day : clock_today_text(), sizeof(today));
	int bad = rating_level_is_bad(level), named = a->name[0] != 0;
	char due[11] = "";
	int weekends_only = 0;
	if (bad && named) {
		int days;
		rating_followup_days(db, &days);
		int rc = calendar_due(db, today, days, due, &weekends_only);
		if (rc)
			return err_set(err, errlen, rc, "无法计算回访期限");
	}
	int rc = db_run(
		db,
		"INSERT INTO ratings (application_id, region_code, org_id, level, bad, named, "
		"channel, comment, rated_on, rated_at, rated_by, rated_name, followup_due, "
		"due_weekends_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"isisiisssiissi", a->id, a->region_code, a->org_id, level, (int64_t)bad,
		(int64_t)named, channel, comment ? comment : "", today, clock_now(), by_id, by_name,
		*due ? due : NULL, (int64_t)weekends_only);
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[400], object[48];
	int n = snprintf(detail, sizeof(detail), "办件 %s：%s（%s）", a->tracking_code, level,
			 channel);
	if (*due && n > 0 && (size_t)n < sizeof(detail))
		snprintf(detail + n, sizeof(detail) - (size_t)n, "，差评，须在 %s 前回访并整改%s",
			 due, weekends_only ? "（该年节假日未录入，仅按周末计算）" : "");
	snprintf(object, sizeof(object), "rating:%lld", (long long)*id);
	return audit_write(db, who, "rating.create", object, "ok", detail) ? VE_DB : 0;
}

static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

int rating_make(struct db *db, const struct principal *by, int64_t application_id,
		const char *level, const char *comment, int64_t *id, struct field_errors *fe,
		char *err, size_t errlen)
{
	*id = 0;
	if (!perm_allows(by->roles, PERM_RATING_WRITE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_RATING_WRITE));
	check_level(level, comment, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	struct app_state a;
	int rc = app_read(
		db_q(db,
		     APP_SQL "WHERE a.id = ? AND " SCOPE_REGION_SQL("a.region_code", "a.clerk_id"),
		     "i" SCOPE_REGION_FMT, application_id,
		     SCOPE_REGION_ARGS(&by->scope, by->region_code)),
		&a);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "办件不存在");
	struct audit_actor who = account_actor(by);
	if (!rc)
		rc = insert_rating(db, &a, level, comment, RATING_CHANNEL_COUNTER, by->user_id,
				   signer_name(by), &who, id, NULL, err, errlen);
	return tx_end(db, rc, err, errlen);
}

int rating_make_public(struct db *db, const char *tracking_code, const char *level,
		       const char *comment, const char *ip, int64_t *id, struct field_errors *fe,
		       char *err, size_t errlen)
{
	*id = 0;
	check_level(level, comment, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	char code[TRACK_CODE_LEN + 1];
	if (!tracking_code || track_code_normalize(tracking_code, code) != 0)
		return err_set(err, errlen, VE_NOTFOUND, "查询码无效");
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	struct app_state a;
	int rc = app_read(db_q(db, APP_SQL "WHERE a.tracking_code = ?", "s", code), &a);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "查询码无效");
	struct audit_actor who = {0, "public", ip ? ip : "", ""};
	if (!rc)
		rc = insert_rating(db, &a, level, comment, RATING_CHANNEL_TRACK, 0, "申请人", &who,
				   id, NULL, err, errlen);
	return tx_end(db, rc, err, errlen);
}

int rating_unrated(struct db *db, const struct principal *by, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT a.id, a.closed_on FROM applications a WHERE a.closed_on IS NOT NULL AND "
		"a.status IN (?, ?, ?, ?) AND NOT EXISTS (SELECT 1 FROM ratings r WHERE "
		"r.application_id = a.id) AND " SCOPE_REGION_SQL(
			"a.region_code", "a.clerk_id") " ORDER BY a.closed_on, a.id",
		"ssss" SCOPE_REGION_FMT, rating_end_states[0], rating_end_states[1],
		rating_end_states[2], rating_end_states[3],
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	*out = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(*out, json_pack("{s:I,s:s}", "id", (json_int_t)db_int(st, 0),
						      "closed_on", db_text(st, 1)));
	db_done(st);
	return 0;
}

static int record_past_one(struct db *db, const struct principal *by, const struct rating_past *p)
{
	struct app_state a;
	int rc = app_read(
		db_q(db,
		     APP_SQL "WHERE a.id = ? AND " SCOPE_REGION_SQL("a.region_code", "a.clerk_id"),
		     "i" SCOPE_REGION_FMT, p->application_id,
		     SCOPE_REGION_ARGS(&by->scope, by->region_code)),
		&a);
	if (rc)
		return rc;
	if (rating_level_index(p->level) < 0)
		return VE_INVALID;
	char err[256];
	int64_t id;
	struct audit_actor who = account_actor(by);
	rc = insert_rating(db, &a, p->level, "", RATING_CHANNEL_COUNTER, by->user_id,
			   signer_name(by), &who, &id, p->day, err, sizeof(err));
	if (rc || (!*p->visit_on && !*p->fix_on))
		return rc;
	const char *note = p->note ? p->note : "";
	return db_run(
		db,
		"UPDATE ratings SET visit_on = NULLIF(?, ''), visit_person = ?, visit_note = ?, "
		"visit_at = ?, visit_by = ?, visit_name = ?, fix_on = NULLIF(?, ''), fix_note = "
		"?, fix_at = ?, fix_by = ?, fix_name = ? WHERE id = ?",
		"sssiisssiisi", p->visit_on, signer_name(by), note, clock_now(), by->user_id,
		signer_name(by), p->fix_on, note, clock_now(), by->user_id, signer_name(by), id);
}

int rating_record_past(struct db *db, const struct principal *by, const struct rating_past *items,
		       size_t n)
{
	if (db_tx_begin(db, 0))
		return VE_DB;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = record_past_one(db, by, &items[i]);
	return db_tx_end(db, 0, rc);
}

/* ---- follow-up and appeal ---- */

/* A rating as the steps see it, read inside the writing transaction. */
struct rating_state {
	int64_t application_id, appeal_by;
	int bad, named, excluded;
	char level[24], tracking_code[48], rated_on[11], visit_on[11], fix_on[11],
		appeal_status[24], followup_due[11];
};

static int load(struct db *db, const struct principal *by, int64_t id, struct rating_state *r,
		char *err, size_t errlen)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT r.application_id, r.bad, r.named, r.excluded, r.level, a.tracking_code, "
		"r.rated_on, coalesce(r.visit_on, ''), coalesce(r.fix_on, ''), "
		"coalesce(r.appeal_status, ''), coalesce(r.appeal_by, 0), coalesce(r.followup_due, "
		"'') FROM ratings r JOIN applications a ON a.id = r.application_id WHERE r.id = ? "
		"AND " SCOPE_REGION_SQL("r.region_code", "a.clerk_id"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return err_set(err, errlen, VE_NOTFOUND, "评价不存在");
	}
	r->application_id = db_int(st, 0);
	r->bad = (int)db_int(st, 1);
	r->named = (int)db_int(st, 2);
	r->excluded = (int)db_int(st, 3);
	str_copy(r->level, text_or(st, 4), sizeof(r->level));
	str_copy(r->tracking_code, text_or(st, 5), sizeof(r->tracking_code));
	str_copy(r->rated_on, text_or(st, 6), sizeof(r->rated_on));
	str_copy(r->visit_on, text_or(st, 7), sizeof(r->visit_on));
	str_copy(r->fix_on, text_or(st, 8), sizeof(r->fix_on));
	str_copy(r->appeal_status, text_or(st, 9), sizeof(r->appeal_status));
	r->appeal_by = db_int(st, 10);
	str_copy(r->followup_due, text_or(st, 11), sizeof(r->followup_due));
	db_done(st);
	return 0;
}

/* A day of a follow-up step (field) into fe: a date, not after today nor before the rating. */
static void check_day(const char *field, const char *on, const char *rated_on,
		      struct field_errors *fe)
{
	int64_t t;
	if (!on || !*on)
		field_errors_add(fe, field, "请填写%s", field);
	else if (strlen(on) != 10 || clock_parse_date(on, &t) != 0)
		field_errors_add(fe, field, "日期应为 YYYY-MM-DD，如 2026-03-02");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, field, "%s不能晚于今天", field);
	else if (strcmp(on, rated_on) < 0)
		field_errors_add(fe, field, "%s不能早于评价日期 %s", field, rated_on);
}

static void check_note(const char *field, const char *note, struct field_errors *fe)
{
	size_t n = note ? utf8_count(note, strlen(note)) : 0;
	if (n < 2 || n > NOTE_MAX)
		field_errors_add(fe, field, "请填写%s（2 至 %d 个字）", field, NOTE_MAX);
}

static int may(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

/* Why rating r owes no follow-up step what (0 when it does). */
static int followup_refused(const struct rating_state *r, const char *what, const char *done,
			    char *err, size_t errlen)
{
	if (!r->bad || !r->named)
		return err_set(err, errlen, VE_CONFLICT, "该评价为“%s”，不是实名差评，无需%s",
			       r->level, what);
	if (r->excluded)
		return err_set(err, errlen, VE_CONFLICT, "该评价已经申诉复核撤销，无需%s", what);
	if (*done)
		return err_set(err, errlen, VE_CONFLICT, "该差评已于 %s 登记%s", done, what);
	return 0;
}

static int visit_in_tx(struct db *db, const struct principal *by, int64_t id, const char *on,
		       const char *person, const char *note, struct field_errors *fe, char *err,
		       size_t errlen)
{
	struct rating_state r;
	int rc = load(db, by, id, &r, err, errlen);
	if (rc)
		return rc;
	if ((rc = followup_refused(&r, "回访", r.visit_on, err, errlen)))
		return rc;
	check_day("回访日期", on, r.rated_on, fe);
	check_note("回访情况", note, fe);
	const char *who = person && *person ? person : signer_name(by);
	if (utf8_count(who, strlen(who)) > 50)
		field_errors_add(fe, "回访人", "回访人最多 50 个字");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(
		db,
		"UPDATE ratings SET visit_on = ?, visit_person = ?, visit_note = ?, visit_at = ?, "
		"visit_by = ?, visit_name = ? WHERE id = ?",
		"sssiisi", on, who, note, clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[900];
	snprintf(detail, sizeof(detail), "办件 %s 的差评（%s）：%s 由%s回访，%s%s", r.tracking_code,
		 r.level, on, who, note,
		 *r.followup_due && strcmp(on, r.followup_due) > 0 ? "（已超过回访期限）" : "");
	return account_audit(db, by, "rating.visit", "rating", id, detail);
}

int rating_visit(struct db *db, const struct principal *by, int64_t id, const char *on,
		 const char *person, const char *note, struct field_errors *fe, char *err,
		 size_t errlen)
{
	if (may(by, PERM_RATING_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, visit_in_tx(db, by, id, on, person, note, fe, err, errlen), err, errlen);
}

static int fix_in_tx(struct db *db, const struct principal *by, int64_t id, const char *on,
		     const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	struct rating_state r;
	int rc = load(db, by, id, &r, err, errlen);
	if (rc)
		return rc;
	if ((rc = followup_refused(&r, "整改", r.fix_on, err, errlen)))
		return rc;
	check_day("整改日期", on, r.rated_on, fe);
	check_note("整改情况", note, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(db,
		    "UPDATE ratings SET fix_on = ?, fix_note = ?, fix_at = ?, fix_by = ?, "
		    "fix_name = ? WHERE id = ?",
		    "ssiisi", on, note, clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[900];
	snprintf(detail, sizeof(detail), "办件 %s 的差评（%s）：%s 整改，%s%s", r.tracking_code,
		 r.level, on, note,
		 *r.followup_due && strcmp(on, r.followup_due) > 0 ? "（已超过整改期限）" : "");
	return account_audit(db, by, "rating.fix", "rating", id, detail);
}

int rating_fix(struct db *db, const struct principal *by, int64_t id, const char *on,
	       const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_RATING_WRITE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, fix_in_tx(db, by, id, on, note, fe, err, errlen), err, errlen);
}

static int appeal_in_tx(struct db *db, const struct principal *by, int64_t id, const char *reason,
			struct field_errors *fe, char *err, size_t errlen)
{
	struct rating_state r;
	int rc = load(db, by, id, &r, err, errlen);
	if (rc)
		return rc;
	if (*r.appeal_status)
		return err_set(err, errlen, VE_CONFLICT, "该评价已申诉过（%s），不能再次申诉",
			       r.appeal_status);
	check_note("申诉理由", reason, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(db,
		    "UPDATE ratings SET appeal_status = '" RATING_APPEAL_ASKED
		    "', appeal_reason = ?, "
		    "appeal_at = ?, appeal_by = ?, appeal_name = ? WHERE id = ?",
		    "siisi", reason, clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[900];
	snprintf(detail, sizeof(detail), "办件 %s 的评价（%s）申请复核，理由：%s", r.tracking_code,
		 r.level, reason);
	return account_audit(db, by, "rating.appeal", "rating", id, detail);
}

int rating_appeal(struct db *db, const struct principal *by, int64_t id, const char *reason,
		  struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_RATING_APPEAL, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, appeal_in_tx(db, by, id, reason, fe, err, errlen), err, errlen);
}

static int decide_in_tx(struct db *db, const struct principal *by, int64_t id, int uphold,
			const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	struct rating_state r;
	int rc = load(db, by, id, &r, err, errlen);
	if (rc)
		return rc;
	if (strcmp(r.appeal_status, RATING_APPEAL_ASKED) != 0)
		return err_set(err, errlen, VE_CONFLICT, "该评价没有待复核的申诉");
	if (r.appeal_by == by->user_id)
		return err_set(err, errlen, VE_DENIED, "申诉须由申诉人以外的领导复核");
	if (uphold != 0 && uphold != 1)
		field_errors_add(fe, "复核结论", "请选择申诉成立或申诉不成立");
	check_note("复核意见", note, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	rc = db_run(db,
		    "UPDATE ratings SET appeal_status = ?, decision_note = ?, decided_at = ?, "
		    "decided_by = ?, decided_name = ?, excluded = ? WHERE id = ?",
		    "ssiisii", uphold ? RATING_APPEAL_UPHELD : RATING_APPEAL_REJECTED, note,
		    clock_now(), by->user_id, signer_name(by), (int64_t)(uphold != 0), id);
	if (rc)
		return rc;
	char detail[900];
	snprintf(detail, sizeof(detail), "办件 %s 的评价（%s）：%s%s，意见：%s", r.tracking_code,
		 r.level, uphold ? RATING_APPEAL_UPHELD : RATING_APPEAL_REJECTED,
		 uphold ? "，不计入统计" : "", note);
	return account_audit(db, by, uphold ? "rating.appeal_uphold" : "rating.appeal_reject",
			     "rating", id, detail);
}

int rating_appeal_decide(struct db *db, const struct principal *by, int64_t id, int uphold,
			 const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_RATING_DECIDE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, decide_in_tx(db, by, id, uphold, note, fe, err, errlen), err, errlen);
}

/* ---- the daily job ---- */

int rating_mark_late(struct db *db, const struct principal *by, const char *day, int64_t *count)
{
	*count = 0;
	struct db_stmt *st =
		db_q(db,
		     "SELECT r.id, a.tracking_code, r.level, r.followup_due FROM ratings "
		     "r JOIN applications a ON a.id = r.application_id WHERE " OPEN_SQL
		     " AND r.late = 0 AND r.followup_due < ? ORDER BY r.id",
		     "s", day);
	if (!st)
		return VE_DB;
	json_t *found = json_array();
	while (db_step(st) == DB_ROW) {
		char line[200];
		snprintf(line, sizeof(line), "办件 %s 的差评（%s）回访整改期限 %s 已过",
			 text_or(st, 1), text_or(st, 2), text_or(st, 3));
		json_array_append_new(found, json_pack("[I,s]", (json_int_t)db_int(st, 0), line));
	}
	db_done(st);
	int rc = 0;
	size_t i;
	json_t *one;
	json_array_foreach(found, i, one)
	{
		int64_t rid = json_integer_value(json_array_get(one, 0));
		rc = db_run(db, "UPDATE ratings SET late = 1, late_on = ? WHERE id = ?", "si", day,
			    rid);
		if (!rc)
			rc = account_audit(db, by, "rating.late", "rating", rid,
					   json_string_value(json_array_get(one, 1)));
		if (rc)
			break;
	}
	if (!rc)
		*count = (int64_t)json_array_size(found);
	json_decref(found);
	return rc;
}

static int late_job(struct db *db, const struct job_run *run, int64_t *count, char *detail,
		    size_t detail_size)
{
	char day[11];
	clock_date_text(run->scheduled_for, day);
	int rc = rating_mark_late(db, run->by, day, count);
	if (rc)
		snprintf(detail, detail_size, "标记逾期差评失败");
	else
		snprintf(detail, detail_size, "%s 前应回访整改而未完成的差评 %lld 件标记为逾期",
			 day, (long long)*count);
	return rc;
}

static const struct job rating_late_job = {
	.name = "rating.late",
	.title = "差评回访整改逾期标记",
	.schedule = {.hour = 1, .minute = 30},
	.run = late_job,
};

/* ---- permissions and the area ---- */

const struct perm perm_rating_read = {"rating.read", "查看好差评", ROLE_BUSINESS};
const struct perm perm_rating_write = {"rating.write", "登记窗口评价、差评回访与整改",
				       ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_rating_appeal = {"rating.appeal", "对评价提出申诉复核",
					ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_rating_decide = {"rating.decide", "复核评价申诉", ROLE_BIT(LEADER)};
const struct perm perm_counter_stats = {"counter.stats", "查看窗口办件统计", ROLE_BUSINESS};
static const struct perm *const perms[] = {PERM_RATING_READ,   PERM_RATING_WRITE,
					   PERM_RATING_APPEAL, PERM_RATING_DECIDE,
					   PERM_COUNTER_STATS, NULL};
static const struct audit_title audit_titles[] = {
	{"rating.create", "办件评价"},
	{"rating.visit", "差评回访"},
	{"rating.fix", "差评整改"},
	{"rating.late", "差评回访整改逾期"},
	{"rating.settings", "设置差评回访整改期限"},
	{"rating.appeal", "评价申诉"},
	{"rating.appeal_uphold", "评价申诉成立"},
	{"rating.appeal_reject", "评价申诉不成立"},
	{NULL, NULL},
};
static const struct job *const jobs[] = {&rating_late_job, NULL};
const struct area rating_area = {
	.name = "rating", .perms = perms, .audit_titles = audit_titles, .jobs = jobs};
