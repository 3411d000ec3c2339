/* inspections.c - the pages and API of 查问题: the list (open, overdue, closed), the
 * leader's form for a problem found, a problem with the office's fix and the leader's
 * check. The area (inspection.c) checks every step and keeps scope. */
#include "web/benefit_pages.h"
#include "web/flash.h"
#include "areas/inspection.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

/* ---- the list ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = inspection_list(db, &req->user, params_text(req, "filter"), &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	const char *f = json_string_value(json_object_get(list, "filter"));
	json_t *filters = json_array();
	for (int i = 0; i < INSPECTION_N_FILTERS; i++)
		json_array_append_new(
			filters, json_pack("{s:s,s:s,s:b}", "code", inspection_filters[i], "name",
					   inspection_filter_title(inspection_filters[i]),
					   "selected", strcmp(f, inspection_filters[i]) == 0));
	json_t *data = json_pack("{s:o,s:o,s:b}", "filters", filters, "list", list, "can_create",
				 perm_allows(req->user.roles, PERM_INSPECTION_CREATE));
	return reply_page(req, rep, 200, "inspections/list", "查问题", data);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = inspection_list(db, &req->user, params_text(req, "filter"), &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

/* ---- a new problem ---- */

static json_t *new_values(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kind", params_text(req, "kind"), "found_on",
			 params_text(req, "found_on"), "finding", params_text(req, "finding"),
			 "application", params_text(req, "application"), "org",
			 params_text(req, "org"), "fix_by", params_text(req, "fix_by"));
}

static int new_page(struct request *req, struct reply *rep, struct db *db, json_t *form)
{
	json_t *orgs = NULL;
	if (inspection_orgs(db, &orgs)) {
		json_decref(form);
		return reply_area_error(req, rep, VE_DB, NULL);
	}
	const char *org =
		form ? json_string_value(json_object_get(json_object_get(form, "values"), "org"))
		     : params_text(req, "org");
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		char id[24];
		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(o, "id")));
		json_object_set_new(o, "selected", json_boolean(org && strcmp(org, id) == 0));
	}
	const char *kind =
		form ? json_string_value(json_object_get(json_object_get(form, "values"), "kind"))
		     : params_text(req, "kind");
	json_t *data = json_pack("{s:o,s:o,s:s}", "orgs", orgs, "kinds",
				 benefit_choices(inspection_kinds, INSPECTION_N_KINDS, kind),
				 "today", clock_today_text());
	if (!form)
		form = benefit_form(
			json_pack("{s:s}", "application", params_text(req, "application")));
	json_object_set_new(data, "form", form);
	json_object_set_new(data, "crumbs",
			    json_pack("[{s:s,s:s}]", "title", "查问题", "href", "/inspections"));
	return reply_page(req, rep, 200, "inspections/new", "登记发现的问题", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, NULL))
		return new_page(req, rep, db, NULL);
	json_t *form = benefit_form(new_values(req));
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return new_page(req, rep, db, form);
}

static int create(struct request *req, struct db *db, int64_t *id, struct field_errors *fe,
		  char *err, size_t errlen)
{
	int64_t org = 0;
	const char *o = params_text(req, "org");
	if (*o)
		str_to_i64(o, strlen(o), 1, INT64_MAX, &org);
	struct inspection_new in = {.kind = params_text(req, "kind"),
				    .found_on = params_text(req, "found_on"),
				    .finding = params_text(req, "finding"),
				    .application = params_text(req, "application"),
				    .org_id = org,
				    .fix_by = params_text(req, "fix_by")};
	return inspection_create(db, &req->user, &in, id, fe, err, errlen);
}

static int handle_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = create(req, db, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/inspections/new", &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(new_values(req));
		benefit_form_refused(form, rc, &fe, err);
		return new_page(req, rep, db, form);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/inspections/%lld", (long long)id);
	reply_flash(rep, "ok", "问题已登记，待责任单位整改");
	return reply_redirect(rep, where);
}

static int handle_api_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = create(req, db, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = inspection_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

/* ---- one problem ---- */

static int show_page(struct request *req, struct reply *rep, struct db *db, const char *name,
		     json_t *form, const char *refusal)
{
	json_t *o = NULL;
	int rc = inspection_get(db, &req->user, req->path_id, &o);
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问题不存在" : NULL);
	}
	json_t *data = json_pack("{s:o,s:b,s:b}", "item", o, "can_fix",
				 perm_allows(req->user.roles, PERM_INSPECTION_FIX), "can_confirm",
				 perm_allows(req->user.roles, PERM_INSPECTION_CONFIRM));
	if (form)
		json_object_set_new(data, name, form);
	if (refusal && *refusal)
		json_object_set_new(data, "refusal", json_string(refusal));
	json_object_set_new(data, "crumbs",
			    json_pack("[{s:s,s:s}]", "title", "查问题", "href", "/inspections"));
	char title[64];
	snprintf(title, sizeof(title), "问题 #%lld", (long long)req->path_id);
	return reply_page(req, rep, 200, "inspections/show", title, data);
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
	int rc = (int)json_integer_value(json_object_get(kept, "rc"));
	json_t *form = NULL;
	if (name) {
		form = benefit_form(json_pack("{s:s}", "note", params_text(req, "note")));
		benefit_form_refused(form, rc ? rc : VE_INVALID, &fe, err);
	}
	int r = show_page(req, rep, db, name, form,
			  form ? NULL : (err && *err ? err : err_message(rc ? rc : VE_CONFLICT)));
	json_decref(kept);
	return r;
}

static int handle_api_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *o = NULL;
	int rc = inspection_get(db, &req->user, req->path_id, &o);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问题不存在" : NULL)
		  : reply_json(rep, 200, o);
}

enum step { FIX, CLOSE, RETURN };

static int do_step(struct request *req, struct db *db, enum step s, struct field_errors *fe,
		   char *err, size_t errlen)
{
	const char *note = params_text(req, "note");
	if (s == FIX)
		return inspection_fix(db, &req->user, req->path_id, note, fe, err, errlen);
	return inspection_confirm(db, &req->user, req->path_id, s == CLOSE, note, fe, err, errlen);
}

static int page_step(struct request *req, struct reply *rep, enum step s)
{
	static const char *const forms[] = {"fix_form", NULL, "return_form"};
	static const char *const done[] = {"整改已登记，待领导确认", "已确认整改，问题销号",
					   "已退回，待责任单位重新整改"};
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64];
	int rc = do_step(req, db, s, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/inspections/%lld", (long long)req->path_id);
	if (!rc) {
		reply_flash(rep, "ok", done[s]);
		return reply_redirect(rep, where);
	}
	if (rc != VE_INVALID && rc != VE_CONFLICT)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问题不存在" : err);
	json_t *kept = json_pack("{s:i}", "rc", rc);
	if (rc == VE_INVALID && forms[s])
		json_object_set_new(kept, "form", json_string(forms[s]));
	int k = reply_form_refused(req, rep, where, &fe, *err ? err : NULL, kept);
	json_decref(kept);
	return k == 0 ? 0 : show_page(req, rep, db, NULL, NULL, err);
}

static int api_step(struct request *req, struct reply *rep, enum step s)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int rc = do_step(req, db, s, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = inspection_get(db, &req->user, req->path_id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, o);
}

static int handle_fix(struct request *req, struct reply *rep)
{
	return page_step(req, rep, FIX);
}
static int handle_close(struct request *req, struct reply *rep)
{
	return page_step(req, rep, CLOSE);
}
static int handle_return(struct request *req, struct reply *rep)
{
	return page_step(req, rep, RETURN);
}
static int handle_api_fix(struct request *req, struct reply *rep)
{
	return api_step(req, rep, FIX);
}
static int handle_api_close(struct request *req, struct reply *rep)
{
	return api_step(req, rep, CLOSE);
}
static int handle_api_return(struct request *req, struct reply *rep)
{
	return api_step(req, rep, RETURN);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"filter", "筛选", PK_WORD, 0, 0, 12, 0},
	PARAM_END,
};
static const struct param_spec new_params[] = {
	{"application", "关联办件", PK_TEXT, 0, 0, 40, 0},
	{"kind", "类型", PK_TEXT, 0, 0, 10, 0},
	PARAM_FLASH,
	PARAM_END,
};
static const struct param_spec create_params[] = {
	{"kind", "类型", PK_TEXT, 1, 1, 10, 0},
	{"found_on", "发现日期", PK_TEXT, 0, 0, 20, 0},
	{"finding", "发现的问题", PK_LONGTEXT, 0, 0, 2000, 0},
	{"application", "关联办件", PK_TEXT, 0, 0, 40, 0},
	{"org", "责任单位", PK_WORD, 0, 0, 20, 0},
	{"fix_by", "整改期限", PK_TEXT, 0, 0, 20, 0},
	PARAM_END,
};
static const struct param_spec note_params[] = {
	{"note", "说明", PK_LONGTEXT, 0, 0, 2000, 0},
	PARAM_END,
};

#define API ROUTE_API

static const struct route routes[] = {
	{"GET", "/inspections", handle_list, PERM_INSPECTION_READ, 0, list_params, 0},
	{"GET", "/inspections/new", handle_new, PERM_INSPECTION_CREATE, 0, new_params, 0},
	{"POST", "/inspections", handle_create, PERM_INSPECTION_CREATE, 0, create_params, 0},
	{"GET", "/inspections/{id}", handle_show, PERM_INSPECTION_READ, 0, params_flash, 0},
	{"POST", "/inspections/{id}/fix", handle_fix, PERM_INSPECTION_FIX, 0, note_params, 0},
	{"POST", "/inspections/{id}/close", handle_close, PERM_INSPECTION_CONFIRM, 0, params_none,
	 0},
	{"POST", "/inspections/{id}/return", handle_return, PERM_INSPECTION_CONFIRM, 0, note_params,
	 0},
	{"GET", "/api/v1/inspections", handle_api_list, PERM_INSPECTION_READ, API, list_params, 0},
	{"POST", "/api/v1/inspections", handle_api_create, PERM_INSPECTION_CREATE, API,
	 create_params, 0},
	{"GET", "/api/v1/inspections/{id}", handle_api_show, PERM_INSPECTION_READ, API, params_none,
	 0},
	{"POST", "/api/v1/inspections/{id}/fix", handle_api_fix, PERM_INSPECTION_FIX, API,
	 note_params, 0},
	{"POST", "/api/v1/inspections/{id}/close", handle_api_close, PERM_INSPECTION_CONFIRM, API,
	 params_none, 0},
	{"POST", "/api/v1/inspections/{id}/return", handle_api_return, PERM_INSPECTION_CONFIRM, API,
	 note_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{38, "/inspections", "查问题", PERM_INSPECTION_READ},
	{0},
};

const struct web_area inspections_web = {
	.name = "inspections",
	.routes = routes,
	.nav = nav,
};
