/* shuangyong.c - the pages and API of 双拥: the year's activities, the form for one, an
 * activity with its news reports (added, removed) and its correction, and the year's
 * figures (web/figures.h). The area (areas/shuangyong.c) checks every field and keeps scope. */
#include "web/benefit_pages.h"
#include "web/figures.h"
#include "web/flash.h"
#include "areas/shuangyong.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_FOUND "双拥活动不存在"

static int this_year(void)
{
	return atoi(clock_today_text());
}

/* ---- the year's activities ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", this_year());
	json_t *list = NULL;
	int rc = shuangyong_list(db, &req->user, year, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_pack("{s:o,s:i,s:i,s:i,s:b}", "list", list, "year", year, "prev",
				 year - 1, "next", year + 1, "can_manage",
				 perm_allows(req->user.roles, PERM_SHUANGYONG_MANAGE));
	json_object_set_new(data, "has_next", json_boolean(year < this_year()));
	return reply_page(req, rep, 200, "shuangyong/list", "双拥", data);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = shuangyong_list(db, &req->user, (int)params_int(req, "year", this_year()), &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

/* ---- an activity's form ---- */

static json_t *activity_values(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "held_on", params_text(req, "held_on"), "kind",
			 params_text(req, "kind"), "units", params_text(req, "units"), "place",
			 params_text(req, "place"), "solved", params_text(req, "solved"));
}

static void add_kinds(json_t *data, json_t *form)
{
	const char *kind =
		json_string_value(json_object_get(json_object_get(form, "values"), "kind"));
	json_object_set_new(data, "kinds",
			    benefit_choices(shuangyong_kinds, SHUANGYONG_N_KINDS, kind));
}

static int new_page(struct request *req, struct reply *rep, json_t *form)
{
	if (!form)
		form = benefit_form(json_pack("{s:s}", "held_on", clock_today_text()));
	json_t *data = json_pack("{s:o}", "form", form);
	add_kinds(data, form);
	return reply_page(req, rep, 200, "shuangyong/new", "登记双拥活动", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe;
	const char *err = NULL;
	if (!form_restore(req, &fe, &err, NULL))
		return new_page(req, rep, NULL);
	json_t *form = benefit_form(activity_values(req));
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return new_page(req, rep, form);
}

static int save_activity(struct request *req, struct db *db, int64_t id, int64_t *out,
			 struct field_errors *fe, char *err, size_t errlen)
{
	struct shuangyong_activity_in in = {
		.held_on = params_text(req, "held_on"),
		.kind = params_text(req, "kind"),
		.units = params_text(req, "units"),
		.place = params_text(req, "place"),
		.solved = params_text(req, "solved"),
	};
	return shuangyong_activity_save(db, &req->user, id, &in, 0, out, fe, err, errlen);
}

static int handle_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64];
	int64_t id;
	int rc = save_activity(req, db, 0, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/shuangyong/new", &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(activity_values(req));
		benefit_form_refused(form, rc, &fe, err);
		return new_page(req, rep, form);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	snprintf(where, sizeof(where), "/shuangyong/%lld", (long long)id);
	reply_flash(rep, "ok", "双拥活动已登记，可继续登记其新闻报道");
	return reply_redirect(rep, where);
}

/* ---- one activity ---- */

static int show_page(struct request *req, struct reply *rep, struct db *db, const char *name,
		     json_t *form, const char *refusal)
{
	json_t *o = NULL;
	int rc = shuangyong_get(db, &req->user, req->path_id, &o);
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : NULL);
	}
	json_t *edit = name && strcmp(name, "edit_form") == 0 ? form : NULL;
	if (!edit)
		edit = benefit_form(json_pack(
			"{s:O,s:O,s:O,s:O,s:O}", "held_on", json_object_get(o, "held_on"), "kind",
			json_object_get(o, "kind"), "units", json_object_get(o, "units"), "place",
			json_object_get(o, "place"), "solved", json_object_get(o, "solved")));
	json_t *data = json_pack("{s:o,s:b,s:s}", "item", o, "can_manage",
				 perm_allows(req->user.roles, PERM_SHUANGYONG_MANAGE), "today",
				 clock_today_text());
	json_object_set_new(data, "year",
			    json_integer(atoi(json_string_value(json_object_get(o, "held_on")))));
	json_object_set_new(data, "edit_form", edit);
	json_object_set_new(data, "edit_open", json_boolean(edit == form));
	add_kinds(data, edit);
	if (form && form != edit)
		json_object_set_new(data, name, form);
	if (refusal && *refusal)
		json_object_set_new(data, "refusal", json_string(refusal));
	char title[120];
	snprintf(title, sizeof(title), "%s（%s）", json_string_value(json_object_get(o, "kind")),
		 json_string_value(json_object_get(o, "held_on")));
	return reply_page(req, rep, 200, "shuangyong/show", title, data);
}

static json_t *report_values(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "medium", params_text(req, "medium"), "published_on",
			 params_text(req, "published_on"), "title", params_text(req, "title"),
			 "link", params_text(req, "link"));
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	json_t *kept = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, &kept))
		return show_page(req, rep, db, NULL, NULL, NULL);
	const char *name = json_string_value(json_object_get(kept, "form"));
	json_t *form = NULL;
	if (name) {
		form = benefit_form(strcmp(name, "edit_form") == 0 ? activity_values(req)
								   : report_values(req));
		benefit_form_refused(form, VE_INVALID, &fe, err);
	}
	int r = show_page(req, rep, db, name, form, form ? NULL : err);
	json_decref(kept);
	return r;
}

static int handle_api_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *o = NULL;
	int rc = shuangyong_get(db, &req->user, req->path_id, &o);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : NULL)
		  : reply_json(rep, 200, o);
}

enum step { UPDATE, REPORT };

static int do_step(struct request *req, struct db *db, enum step s, int64_t *id,
		   struct field_errors *fe, char *err, size_t errlen)
{
	if (s == UPDATE)
		return save_activity(req, db, req->path_id, id, fe, err, errlen);
	struct shuangyong_report_in in = {
		.medium = params_text(req, "medium"),
		.published_on = params_text(req, "published_on"),
		.title = params_text(req, "title"),
		.link = params_text(req, "link"),
	};
	return shuangyong_report_add(db, &req->user, req->path_id, &in, 0, id, fe, err, errlen);
}

static int page_step(struct request *req, struct reply *rep, enum step s)
{
	static const char *const forms[] = {"edit_form", "report_form"};
	static const char *const done[] = {"双拥活动已更正", "新闻报道已登记"};
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[80];
	int64_t id;
	int rc = do_step(req, db, s, &id, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/shuangyong/%lld", (long long)req->path_id);
	if (!rc) {
		reply_flash(rep, "ok", done[s]);
		return reply_redirect(rep, where);
	}
	if (rc != VE_INVALID)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : err);
	json_t *kept = json_pack("{s:s}", "form", forms[s]);
	int k = reply_form_refused(req, rep, where, &fe, *err ? err : NULL, kept);
	json_decref(kept);
	if (k == 0)
		return 0;
	json_t *form = benefit_form(s == UPDATE ? activity_values(req) : report_values(req));
	benefit_form_refused(form, rc, &fe, err);
	return show_page(req, rep, db, forms[s], form, NULL);
}

static int api_step(struct request *req, struct reply *rep, enum step s)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = do_step(req, db, s, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = shuangyong_get(db, &req->user, req->path_id, &o);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	if (s == REPORT)
		json_object_set_new(o, "report_id", json_integer(id));
	return reply_json(rep, s == REPORT ? 201 : 200, o);
}

static int handle_update(struct request *req, struct reply *rep)
{
	return page_step(req, rep, UPDATE);
}
static int handle_report(struct request *req, struct reply *rep)
{
	return page_step(req, rep, REPORT);
}
static int handle_api_update(struct request *req, struct reply *rep)
{
	return api_step(req, rep, UPDATE);
}
static int handle_api_report(struct request *req, struct reply *rep)
{
	return api_step(req, rep, REPORT);
}

static int handle_api_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = save_activity(req, db, 0, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = shuangyong_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

/* ---- deletions ---- */

static int delete_activity(struct request *req, struct reply *rep, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = shuangyong_activity_delete(db, &req->user, req->path_id, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : err);
	if (api)
		return reply_json(rep, 200,
				  json_pack("{s:I}", "deleted", (json_int_t)req->path_id));
	reply_flash(rep, "ok", "双拥活动及其新闻报道已删除");
	return reply_redirect(rep, "/shuangyong");
}

static int delete_report(struct request *req, struct reply *rep, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "", where[80];
	int64_t activity;
	int rc =
		shuangyong_report_delete(db, &req->user, req->path_id, &activity, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	if (api)
		return reply_json(rep, 200,
				  json_pack("{s:I}", "deleted", (json_int_t)req->path_id));
	snprintf(where, sizeof(where), "/shuangyong/%lld", (long long)activity);
	reply_flash(rep, "ok", "新闻报道已删除");
	return reply_redirect(rep, where);
}

static int handle_delete(struct request *req, struct reply *rep)
{
	return delete_activity(req, rep, 0);
}
static int handle_api_delete(struct request *req, struct reply *rep)
{
	return delete_activity(req, rep, 1);
}
static int handle_report_delete(struct request *req, struct reply *rep)
{
	return delete_report(req, rep, 0);
}
static int handle_api_report_delete(struct request *req, struct reply *rep)
{
	return delete_report(req, rep, 1);
}

/* ---- the year's figures ---- */

static int handle_stats(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &shuangyong_figures);
}
static int handle_stats_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &shuangyong_figures);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"year", "年度", PK_INT, 0, 1950, 2100, 0},
	PARAM_END,
};
/* A new activity needs its day before the area looks at it; a correction of an activity that
 * does not exist is "not found" whatever it sends. */
static const struct param_spec new_activity_params[] = {
	{"held_on", "活动日期", PK_TEXT, 1, 1, 20, 0},
	{"kind", "活动类型", PK_TEXT, 0, 0, 20, 0},
	{"units", "参与单位", PK_TEXT, 0, 0, 400, 0},
	{"place", "活动地点", PK_TEXT, 0, 0, 200, 0},
	{"solved", "解决的问题", PK_LONGTEXT, 0, 0, 2000, 0},
	PARAM_END,
};
static const struct param_spec activity_params[] = {
	{"held_on", "活动日期", PK_TEXT, 0, 0, 20, 0},
	{"kind", "活动类型", PK_TEXT, 0, 0, 20, 0},
	{"units", "参与单位", PK_TEXT, 0, 0, 400, 0},
	{"place", "活动地点", PK_TEXT, 0, 0, 200, 0},
	{"solved", "解决的问题", PK_LONGTEXT, 0, 0, 2000, 0},
	PARAM_END,
};
static const struct param_spec report_params[] = {
	{"medium", "媒体", PK_TEXT, 0, 0, 120, 0},
	{"published_on", "报道日期", PK_TEXT, 0, 0, 20, 0},
	{"title", "标题", PK_TEXT, 0, 0, 400, 0},
	{"link", "链接", PK_TEXT, 0, 0, 1000, 0},
	PARAM_END,
};

#define API ROUTE_API
#define READ PERM_SHUANGYONG_READ
#define MANAGE PERM_SHUANGYONG_MANAGE

static const struct route routes[] = {
	{"GET", "/shuangyong", handle_list, READ, 0, list_params, 0},
	{"GET", "/shuangyong/new", handle_new, MANAGE, 0, params_flash, 0},
	{"POST", "/shuangyong", handle_create, MANAGE, 0, new_activity_params, 0},
	{"GET", "/shuangyong/stats", handle_stats, READ, 0, figures_params, 0},
	{"GET", "/shuangyong/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
	{"GET", "/shuangyong/{id}", handle_show, READ, 0, params_flash, 0},
	{"POST", "/shuangyong/{id}", handle_update, MANAGE, 0, activity_params, 0},
	{"POST", "/shuangyong/{id}/delete", handle_delete, MANAGE, 0, params_none, 0},
	{"POST", "/shuangyong/{id}/reports", handle_report, MANAGE, 0, report_params, 0},
	{"POST", "/shuangyong/reports/{id}/delete", handle_report_delete, MANAGE, 0, params_none,
	 0},
	{"GET", "/api/v1/shuangyong", handle_api_list, READ, API, list_params, 0},
	{"POST", "/api/v1/shuangyong", handle_api_create, MANAGE, API, new_activity_params, 0},
	{"GET", "/api/v1/shuangyong/{id}", handle_api_show, READ, API, params_none, 0},
	{"POST", "/api/v1/shuangyong/{id}", handle_api_update, MANAGE, API, activity_params, 0},
	{"POST", "/api/v1/shuangyong/{id}/delete", handle_api_delete, MANAGE, API, params_none, 0},
	{"POST", "/api/v1/shuangyong/{id}/reports", handle_api_report, MANAGE, API, report_params,
	 0},
	{"POST", "/api/v1/shuangyong/reports/{id}/delete", handle_api_report_delete, MANAGE, API,
	 params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{53, "/shuangyong", "双拥", READ},
	{0},
};

const struct web_area shuangyong_web = {
	.name = "shuangyong",
	.routes = routes,
	.nav = nav,
};
