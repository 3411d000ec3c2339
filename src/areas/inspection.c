/* inspection.c - 查问题: problems leaders find, the office's fix, the leader's check. */
#include "inspection.h"
#include <stdio.h>
#include <string.h>
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const inspection_kinds[INSPECTION_N_KINDS] = {"走流程", "坐窗口", "查问题"};
const char *const inspection_filters[INSPECTION_N_FILTERS] = {"open", "overdue", "closed", "all"};

const char *inspection_filter_title(const char *filter)
{
	static const char *const titles[INSPECTION_N_FILTERS] = {"未销号", "逾期未整改", "已销号",
								 "全部"};
	for (int i = 0; filter && i < INSPECTION_N_FILTERS; i++)
		if (strcmp(filter, inspection_filters[i]) == 0)
			return titles[i];
	return titles[0];
}

#define FINDING_MAX 1000
#define RETURN_MAX 500

static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_text(st, col);
	return t ? t : "";
}

static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

static int may(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

static int kind_valid(const char *kind)
{
	for (int i = 0; kind && i < INSPECTION_N_KINDS; i++)
		if (strcmp(kind, inspection_kinds[i]) == 0)
			return 1;
	return 0;
}

static int text_len_ok(const char *t, size_t min, size_t max)
{
	size_t n = t ? utf8_count(t, strlen(t)) : 0;
	return n >= min && n <= max;
}

/* ---- reading ---- */

/* Columns 0-10 (row_json), then the details 11-19. ?1 is today. */
#define ROW_SQL                                                                                    \
	"SELECT i.id, i.kind, i.found_on, i.finding, i.org_id, o.name, i.fix_by, i.status, "       \
	"CASE WHEN i.status <> '" INSPECTION_CLOSED "' AND i.fix_by < ? THEN 1 ELSE 0 END, "       \
	"coalesce(a.tracking_code, ''), coalesce(i.application_id, 0), i.created_name, "           \
	"i.fix_note, i.fixed_on, i.fixed_name, i.return_note, i.closed_on, i.closed_name "         \
	"FROM inspections i JOIN orgs o ON o.id = i.org_id LEFT JOIN applications a ON a.id = "    \
	"i.application_id WHERE " SCOPE_SQL("o.path", "o.id", "i.created_by")

static json_t *row_json(struct db_stmt *st)
{
	return json_pack(
		"{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:b,s:s,s:I}", "id", (json_int_t)db_int(st, 0),
		"kind", db_text(st, 1), "found_on", db_text(st, 2), "finding", db_text(st, 3),
		"org_id", (json_int_t)db_int(st, 4), "org_name", db_text(st, 5), "fix_by",
		db_text(st, 6), "status", db_text(st, 7), "overdue", (int)db_int(st, 8),
		"tracking_code", db_text(st, 9), "application_id", (json_int_t)db_int(st, 10));
}

int inspection_list(struct db *db, const struct principal *by, const char *filter, json_t **out)
{
	const char *f = "open";
	for (int i = 0; filter && i < INSPECTION_N_FILTERS; i++)
		if (strcmp(filter, inspection_filters[i]) == 0)
			f = inspection_filters[i];
	const char *today = clock_today_text();
	struct db_stmt *st = db_q(
		db,
		ROW_SQL " AND (? = 'all' OR (? = 'open' AND i.status <> '" INSPECTION_CLOSED
			"') OR (? = 'overdue' AND i.status <> '" INSPECTION_CLOSED
			"' AND i.fix_by < ?) OR (? = 'closed' AND i.status = '" INSPECTION_CLOSED
			"')) ORDER BY CASE WHEN i.status <> '" INSPECTION_CLOSED
			"' AND i.fix_by < ? THEN 0 ELSE 1 END, i.fix_by, i.id",
		"s" SCOPE_FMT "ssssss", today, SCOPE_ARGS(&by->scope), f, f, f, today, f, today);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, row_json(st));
	db_done(st);
	*out = json_pack("{s:s,s:s,s:I,s:o}", "filter", f, "title", inspection_filter_title(f),
			 "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

int inspection_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db, ROW_SQL " AND i.id = ?", "s" SCOPE_FMT "i",
				  clock_today_text(), SCOPE_ARGS(&by->scope), id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	json_t *o = row_json(st);
	json_t *more = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "created_name", text_or(st, 11),
				 "fix_note", text_or(st, 12), "fixed_on", text_or(st, 13),
				 "fixed_name", text_or(st, 14), "return_note", text_or(st, 15),
				 "closed_on", text_or(st, 16), "closed_name", text_or(st, 17));
	json_object_update(o, more);
	json_decref(more);
	db_done(st);
	*out = o;
	return 0;
}

int inspection_orgs(struct db *db, json_t **out)
{
	struct db_stmt *st = db_q(db, "SELECT id, name FROM orgs ORDER BY path, id", "");
	if (!st)
		return VE_DB;
	*out = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(*out, json_pack("{s:I,s:s}", "id", (json_int_t)db_int(st, 0),
						      "name", db_text(st, 1)));
	db_done(st);
	return 0;
}

/* ---- the work ---- */

static void check_new(struct db *db, const struct inspection_new *in, const char *found_on,
		      int64_t *app_id, char *org_name, size_t org_size, struct field_errors *fe)
{
	int64_t t;
	if (!kind_valid(in->kind))
		field_errors_add(fe, "类型", "请选择类型：走流程、坐窗口或查问题");
	if (strlen(found_on) != 10 || clock_parse_date(found_on, &t) != 0)
		field_errors_add(fe, "发现日期", "日期应为 YYYY-MM-DD，如 2026-03-02");
	else if (strcmp(found_on, clock_today_text()) > 0)
		field_errors_add(fe, "发现日期", "发现日期不能晚于今天");
	if (!text_len_ok(in->finding, 2, FINDING_MAX))
		field_errors_add(fe, "发现的问题", "请写明发现的问题（2 至 %d 个字）", FINDING_MAX);
	const char *fix_by = in->fix_by ? in->fix_by : "";
	if (!*fix_by)
		field_errors_add(fe, "整改期限", "请填写整改期限");
	else if (strlen(fix_by) != 10 || clock_parse_date(fix_by, &t) != 0)
		field_errors_add(fe, "整改期限", "日期应为 YYYY-MM-DD，如 2026-03-20");
	else if (strcmp(fix_by, found_on) < 0)
		field_errors_add(fe, "整改期限", "整改期限不能早于发现日期 %s", found_on);
	*org_name = 0;
	struct db_stmt *st = db_q(db, "SELECT name FROM orgs WHERE id = ?", "i", in->org_id);
	if (st && db_step(st) == DB_ROW)
		str_copy(org_name, db_text(st, 0), org_size);
	db_done(st);
	if (!*org_name)
		field_errors_add(fe, "责任单位", "请选择责任单位");
	*app_id = 0;
	if (in->application && *in->application) {
		if (db_int_query(db, app_id, 0,
				 "SELECT id FROM applications WHERE tracking_code = ?", "s",
				 in->application) != 0 ||
		    !*app_id)
			field_errors_add(fe, "关联办件", "没有查询码为 %s 的办件", in->application);
	}
}

static int create_in_tx(struct db *db, const struct principal *by, const struct inspection_new *in,
			int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	const char *found_on = in->found_on && *in->found_on ? in->found_on : clock_today_text();
	char found[11], org[128];
	str_copy(found, found_on, sizeof(found));
	int64_t app_id;
	check_new(db, in, found, &app_id, org, sizeof(org), fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	int rc = db_run(
		db,
		"INSERT INTO inspections (kind, found_on, finding, application_id, org_id, "
		"fix_by, status, created_at, created_by, created_name) VALUES (?, ?, ?, NULLIF(?, 0), "
		"?, ?, '" INSPECTION_OPEN "', ?, ?, ?)",
		"sssiisiis", in->kind, found, in->finding, app_id, in->org_id, in->fix_by,
		clock_now(), by->user_id, signer_name(by));
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[1400];
	snprintf(detail, sizeof(detail), "%s（%s）：%s；责任单位 %s，%s 前整改%s%s", in->kind,
		 found, in->finding, org, in->fix_by, app_id ? "；关联办件 " : "",
		 app_id ? in->application : "");
	return account_audit(db, by, "inspection.create", "inspection", *id, detail);
}

int inspection_create(struct db *db, const struct principal *by, const struct inspection_new *in,
		      int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	if (may(by, PERM_INSPECTION_CREATE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, create_in_tx(db, by, in, id, fe, err, errlen), err, errlen);
}

/* The status and kind of problem id in by's scope. */
static int load(struct db *db, const struct principal *by, int64_t id, char status[24],
		char kind[24], char *err, size_t errlen)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT i.status, i.kind FROM inspections i JOIN orgs o ON o.id = "
		     "i.org_id WHERE i.id = ? AND " SCOPE_SQL("o.path", "o.id", "i.created_by"),
		     "i" SCOPE_FMT, id, SCOPE_ARGS(&by->scope));
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : err_set(err, errlen, VE_NOTFOUND, "问题不存在");
	if (!rc) {
		str_copy(status, db_text(st, 0), 24);
		str_copy(kind, db_text(st, 1), 24);
	}
	db_done(st);
	return rc;
}

static int fix_in_tx(struct db *db, const struct principal *by, int64_t id, const char *note,
		     struct field_errors *fe, char *err, size_t errlen)
{
	char status[24], kind[24];
	int rc = load(db, by, id, status, kind, err, errlen);
	if (rc)
		return rc;
	if (strcmp(status, INSPECTION_OPEN) != 0)
		return err_set(err, errlen, VE_CONFLICT, "该问题当前为“%s”，不能登记整改", status);
	if (!text_len_ok(note, 2, FINDING_MAX)) {
		field_errors_add(fe, "整改情况", "请写明整改情况（2 至 %d 个字）", FINDING_MAX);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	const char *today = clock_today_text();
	rc = db_run(db,
		    "UPDATE inspections SET status = '" INSPECTION_FIXED
		    "', fix_note = ?, fixed_on "
		    "= ?, fixed_at = ?, fixed_by = ?, fixed_name = ? WHERE id = ?",
		    "ssiisi", note, today, clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[1200];
	snprintf(detail, sizeof(detail), "%s问题 #%lld 整改：%s", kind, (long long)id, note);
	return account_audit(db, by, "inspection.fix", "inspection", id, detail);
}

int inspection_fix(struct db *db, const struct principal *by, int64_t id, const char *note,
		   struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_INSPECTION_FIX, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, fix_in_tx(db, by, id, note, fe, err, errlen), err, errlen);
}

static int confirm_in_tx(struct db *db, const struct principal *by, int64_t id, int close,
			 const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	char status[24], kind[24];
	int rc = load(db, by, id, status, kind, err, errlen);
	if (rc)
		return rc;
	if (strcmp(status, INSPECTION_FIXED) != 0)
		return err_set(err, errlen, VE_CONFLICT, "该问题当前为“%s”，不能%s", status,
			       close ? "销号" : "退回整改");
	if (!close && !text_len_ok(note, 2, RETURN_MAX)) {
		field_errors_add(fe, "退回原因", "请写明退回原因（2 至 %d 个字）", RETURN_MAX);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (close)
		rc = db_run(
			db,
			"UPDATE inspections SET status = '" INSPECTION_CLOSED "', closed_on = ?, "
			"closed_at = ?, closed_by = ?, closed_name = ? WHERE id = ?",
			"siisi", clock_today_text(), clock_now(), by->user_id, signer_name(by), id);
	else
		rc = db_run(db,
			    "UPDATE inspections SET status = '" INSPECTION_OPEN
			    "', return_note = ? "
			    "WHERE id = ?",
			    "si", note, id);
	if (rc)
		return rc;
	char detail[800];
	if (close)
		snprintf(detail, sizeof(detail), "%s问题 #%lld 整改确认，销号", kind,
			 (long long)id);
	else
		snprintf(detail, sizeof(detail), "%s问题 #%lld 整改退回：%s", kind, (long long)id,
			 note);
	return account_audit(db, by, close ? "inspection.close" : "inspection.return", "inspection",
			     id, detail);
}

int inspection_confirm(struct db *db, const struct principal *by, int64_t id, int close,
		       const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_INSPECTION_CONFIRM, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, confirm_in_tx(db, by, id, close, note ? note : "", fe, err, errlen), err,
		      errlen);
}

const struct perm perm_inspection_read = {"inspection.read", "查看查问题记录",
					  ROLE_BIT(CLERK) | ROLE_BIT(STATION) | ROLE_BIT(LEADER)};
const struct perm perm_inspection_create = {
	"inspection.create", "登记发现的问题（走流程、坐窗口、查问题）", ROLE_BIT(LEADER)};
const struct perm perm_inspection_fix = {"inspection.fix", "登记问题整改",
					 ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_inspection_confirm = {"inspection.confirm", "确认问题整改并销号",
					     ROLE_BIT(LEADER)};
static const struct perm *const perms[] = {PERM_INSPECTION_READ, PERM_INSPECTION_CREATE,
					   PERM_INSPECTION_FIX, PERM_INSPECTION_CONFIRM, NULL};
static const struct audit_title audit_titles[] = {
	{"inspection.create", "登记发现的问题"},
	{"inspection.fix", "登记问题整改"},
	{"inspection.close", "问题整改销号"},
	{"inspection.return", "问题整改退回"},
	{NULL, NULL},
};
const struct area inspection_area = {
	.name = "inspection", .perms = perms, .audit_titles = audit_titles};
