/* calendar.c - the holiday calendar's page: a year's listed days, a file of them imported,
 * one day set or removed, and a deadline counted on it; its API twin counts a deadline for programs. */
#include "web/route.h"
#include "web/flash.h"
#include "areas/calendar.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The deadline asked on the page (from + n), into page as "due": {from, n, day, weekends_only}
 * or {error}. */
static void due_asked(struct request *req, struct db *db, json_t *page)
{
	const char *from = params_text(req, "from");
	if (!from[0])
		return;
	int n = (int)params_int(req, "n", 0), weekends_only = 0;
	char day[11];
	int rc = calendar_due(db, from, n, day, &weekends_only);
	json_object_set_new(page, "due",
			    rc ? json_pack("{s:s,s:i,s:s}", "from", from, "n", n, "error",
					   "起算日期应为有效日期")
			       : json_pack("{s:s,s:i,s:s,s:b}", "from", from, "n", n, "day", day,
					   "weekends_only", weekends_only));
}

enum {
	UPLOAD_MAX = 1024 * 1024, /* ten years of listed days are 20 KiB */
	SHOWN_ROW_ERRORS = 50,
};

/* The calendar page of year (status 200, or the status of a refused import with import:
 * {file, error, rows:[{row, field, message}], more}). */
static int calendar_page(struct request *req, struct reply *rep, struct db *db, int year,
			 int status, json_t *import)
{
	struct field_errors e;
	const char *error = NULL;
	field_errors_clear(&e);
	form_restore(req, &e, &error, NULL);
	json_t *page;
	if (calendar_year(db, year, &page) != 0) {
		json_decref(import);
		return reply_area_error(req, rep, VE_DB, NULL);
	}
	if (import)
		json_object_set_new(page, "import", import);
	json_object_set_new(page, "can_manage", json_boolean(perm_allows(req->user.roles,
									   PERM_CALENDAR_MANAGE)));
	json_object_set_new(page, "prev", json_integer(year - 1));
	json_object_set_new(page, "next", json_integer(year + 1));
	json_object_set_new(page, "errors", page_field_errors(&e));
	if (error)
		json_object_set_new(page, "error", json_string(error));
	json_object_set_new(page, "values",
			    json_pack("{s:s,s:s,s:s}", "day", params_text(req, "day"), "kind",
				      params_text(req, "kind"), "note", params_text(req, "note")));
	due_asked(req, db, page);
	return reply_page(req, rep, status, "calendar/index", "节假日日历", page);
}

static int handle_calendar(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	return calendar_page(req, rep, db, (int)params_int(req, "year", atoi(clock_today_text())),
			     200, NULL);
}

static void row_error(void *ctx, long row, const char *field, const char *message)
{
	json_t *rows = ctx;
	if (json_array_size(rows) <= SHOWN_ROW_ERRORS)
		json_array_append_new(rows, json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row,
						      "field", field, "message", message));
}

static int handle_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	int this_year = atoi(clock_today_text());
	char path[64], err[256] = "";
	if (page_save_upload(file, path, err, sizeof(err)) != 0)
		return calendar_page(req, rep, db, this_year, 400,
				     json_pack("{s:s,s:s,s:[]}", "file", file->filename, "error",
					       err, "rows"));
	json_t *rows = json_array();
	struct calendar_summary sum;
	int rc = calendar_import(db, &req->user, path, row_error, rows, &sum, err, sizeof(err));
	unlink(path);
	if (rc) {
		int more = json_array_size(rows) > SHOWN_ROW_ERRORS;
		if (more)
			json_array_remove(rows, SHOWN_ROW_ERRORS);
		return calendar_page(req, rep, db, this_year, http_status_of(rc),
				     json_pack("{s:s,s:s,s:o,s:b}", "file", file->filename, "error",
					       err[0] ? err : err_message(rc), "rows", rows, "more",
					       more));
	}
	json_decref(rows);
	char message[200] = "已导入";
	for (size_t i = 0; i < sum.n_years; i++)
		snprintf(message + strlen(message), sizeof(message) - strlen(message), "%s%d",
			 i ? "、" : " ", sum.years[i]);
	snprintf(message + strlen(message), sizeof(message) - strlen(message),
		 "%s节假日安排：%ld 天（新增 %ld，修改 %ld，删除 %ld）",
		 sum.n_years ? " 年的" : "", sum.rows, sum.added, sum.changed, sum.removed);
	reply_flash(rep, "ok", message);
	char to[64];
	snprintf(to, sizeof(to), "/calendar?year=%d", sum.n_years ? sum.years[0] : this_year);
	return reply_redirect(rep, to);
}

/* Back to the calendar of year (of day, when it is a date). */
static int back_to_year(struct reply *rep, const char *day)
{
	char to[64];
	snprintf(to, sizeof(to), "/calendar?year=%.4s", day);
	return reply_redirect(rep, to);
}

static int handle_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors e;
	field_errors_clear(&e);
	const char *day = params_text(req, "day");
	int rc = calendar_set(db, &req->user, day, params_text(req, "kind"),
			      params_text(req, "note"), &e);
	if (rc == VE_INVALID) {
		char to[64];
		snprintf(to, sizeof(to), "/calendar?year=%.4s", day);
		if (reply_form_refused(req, rep, strlen(day) == 10 ? to : "/calendar", &e, NULL,
				       NULL) == 0)
			return 0;
		return reply_area_error(req, rep, rc, field_errors_first(&e, NULL));
	}
	if (rc)
		return rc;
	reply_flash(rep, "ok", "已保存");
	return back_to_year(rep, day);
}

static int handle_remove(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *day = params_text(req, "day");
	int rc = calendar_remove(db, &req->user, day);
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "该日期不在日历中");
	if (rc)
		return rc;
	reply_flash(rep, "ok", "已删除，该日按周一至周五上班、周六周日休息计");
	return back_to_year(rep, day);
}

/* GET /api/v1/calendar/due?from=YYYY-MM-DD&n=N → {"from","n","due","weekends_only"}. */
static int handle_api_due(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *from = params_text(req, "from");
	int n = (int)params_int(req, "n", 0), weekends_only = 0;
	char due[11];
	int rc = calendar_due(db, from, n, due, &weekends_only);
	if (rc == VE_INVALID)
		return reply_error(req, rep, 400, "invalid", "from 应为 YYYY-MM-DD 格式的有效日期");
	if (rc)
		return rc;
	return reply_json(rep, 200,
			  json_pack("{s:s,s:i,s:s,s:b}", "from", from, "n", n, "due", due,
				    "weekends_only", weekends_only));
}

static const struct param_spec calendar_params[] = {
	{"year", "年度", PK_INT, 0, 1900, 9999, 0},
	{"from", "起算日期", PK_DATE, 0, 0, 0, 0},
	{"n", "工作日数", PK_INT, 0, 0, CALENDAR_MAX_DAYS, 0},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec set_params[] = {
	{"day", "日期", PK_TEXT, 1, 1, 20, 0},
	{"kind", "类型", PK_TEXT, 1, 1, 4, 0},
	{"note", "说明", PK_TEXT, 0, 0, 30, 0},
	PARAM_END,
};

static const struct param_spec import_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, UPLOAD_MAX, 0},
	PARAM_END,
};

static const struct param_spec remove_params[] = {
	{"day", "日期", PK_DATE, 1, 0, 0, 0},
	PARAM_END,
};

static const struct param_spec due_params[] = {
	{"from", "起算日期", PK_TEXT, 1, 1, 20, 0},
	{"n", "工作日数", PK_INT, 1, 0, CALENDAR_MAX_DAYS, 0},
	PARAM_END,
};

static const struct route routes[] = {
	{"GET", "/calendar", handle_calendar, PERM_CALENDAR_READ, 0, calendar_params, 0},
	{"POST", "/calendar/days", handle_set, PERM_CALENDAR_MANAGE, 0, set_params, 0},
	{"POST", "/calendar/import", handle_import, PERM_CALENDAR_MANAGE, 0, import_params,
	 UPLOAD_MAX + 64 * 1024},
	{"POST", "/calendar/days/remove", handle_remove, PERM_CALENDAR_MANAGE, 0, remove_params, 0},
	{"GET", "/api/v1/calendar/due", handle_api_due, PERM_CALENDAR_READ, ROUTE_API, due_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{55, "/calendar", "节假日日历", PERM_CALENDAR_READ},
	{0},
};

const struct web_area calendar_web = {.name = "calendar", .routes = routes, .nav = nav};
