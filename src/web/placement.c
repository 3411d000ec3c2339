/* placement.c - the pages and API of 安置: the cases (list, open, one case with a form per
 * step), the yearly plans, the year's figures (web/figures.h) and the API twins.
 *
 * The area (areas/placement.c) checks every step and keeps scope: a station sees its
 * street's cases, another street's is "not found". */
#include "web/flash.h"
#include "web/figures.h"
#include "web/route.h"
#include "areas/placement.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 20
#define NOT_FOUND "安置案件不存在"

static json_t *choices(const char *const *list, int n, const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:b}", "name", list[i], "selected",
						   selected && strcmp(selected, list[i]) == 0));
	return a;
}

static json_t *errors_json(const struct field_errors *fe, const char *err)
{
	if (fe->n || !err || !*err)
		return page_field_errors(fe);
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s,s:s}", "field", "", "message", err));
	return a;
}

static int api_refused(struct request *req, struct reply *rep, int rc,
		       const struct field_errors *fe, const char *err)
{
	return reply_api_refused(req, rep, rc, fe, rc == VE_NOTFOUND && !fe->n ? NOT_FOUND : err);
}

/* ---- the list ---- */

static void filter_of(struct request *req, struct placement_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->status = params_text(req, "status");
	f->kind = params_text(req, "kind");
	f->flagged = params_flag(req, "flagged");
	f->year = (int)params_int(req, "year", 0);
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
}

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct placement_filter f;
	filter_of(req, &f);
	json_t *list = NULL;
	int rc = placement_list(db, &req->user, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_object();
	json_object_set_new(data, "statuses",
			    choices(placement_statuses, PLACEMENT_N_STATUSES, f.status));
	json_object_set_new(data, "kinds", choices(placement_kinds, PLACEMENT_N_KINDS, f.kind));
	json_object_set_new(data, "flagged", json_boolean(f.flagged));
	if (f.year)
		json_object_set_new(data, "year", json_integer(f.year));
	struct buf href;
	buf_init(&href, 512);
	buf_puts(&href, "/placement?");
	page_query_add(&href, "status", f.status);
	page_query_add(&href, "kind", f.kind);
	page_query_add(&href, "flagged", f.flagged ? "1" : "");
	char y[8] = "";
	if (f.year)
		snprintf(y, sizeof(y), "%d", f.year);
	page_query_add(&href, "year", y);
	json_object_set_new(data, "pager",
			    page_pager(f.page, f.per_page,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_object_set_new(data, "can_manage",
			    json_boolean(perm_allows(req->user.roles, PERM_PLACEMENT_MANAGE)));
	json_object_set_new(data, "can_plan",
			    json_boolean(perm_allows(req->user.roles, PERM_PLACEMENT_PLAN)));
	json_decref(list);
	return reply_page(req, rep, 200, "placement/list", "安置", data);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct placement_filter f;
	filter_of(req, &f);
	json_t *list = NULL;
	int rc = placement_list(db, &req->user, &f, &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

/* ---- opening a case ---- */

static void new_of(struct request *req, struct placement_new *in)
{
	in->person_id = params_text(req, "person_id");
	in->kind = params_text(req, "kind");
	in->plan_year = params_text(req, "plan_year");
	in->method = params_text(req, "method");
	in->discharged_on = params_text(req, "discharged_on");
	in->note = params_text(req, "note");
}

static int form_page(struct request *req, struct reply *rep, int status,
		     const struct field_errors *fe, const char *err)
{
	char year[8];
	snprintf(year, sizeof(year), "%.4s", clock_today_text());
	const char *plan_year = params_text(req, "plan_year");
	json_t *data = json_pack(
		"{s:o,s:o,s:{s:s,s:s,s:s,s:s}}", "kinds",
		choices(placement_kinds, PLACEMENT_N_KINDS, params_text(req, "kind")), "methods",
		choices(placement_methods, PLACEMENT_N_METHODS, params_text(req, "method")),
		"values", "person_id",
		*params_text(req, "person_id") ? params_text(req, "person_id")
					       : params_text(req, "person"),
		"plan_year", *plan_year ? plan_year : year, "discharged_on",
		params_text(req, "discharged_on"), "note", params_text(req, "note"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "placement/new", "建立安置案件", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return form_page(req, rep, 200, &fe, err);
	return form_page(req, rep, 200, NULL, NULL);
}

static int handle_open(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct placement_new in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id;
	new_of(req, &in);
	int rc = placement_open(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID || rc == VE_EXISTS) {
		if (reply_form_refused(req, rep, "/placement/new", &fe, err, NULL) == 0)
			return 0;
		return form_page(req, rep, 400, &fe, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/placement/%lld", (long long)id);
	reply_flash(rep, "ok", "安置案件已建立");
	return reply_redirect(rep, where);
}

static int handle_api_open(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct placement_new in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id;
	new_of(req, &in);
	int rc = placement_open(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = placement_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

/* ---- one case ---- */

static int show_page(struct request *req, struct reply *rep, struct db *db,
		     const struct field_errors *fe, const char *err, const char *form)
{
	json_t *c = NULL;
	int rc = placement_get(db, &req->user, req->path_id, &c);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : NULL);
	json_t *data = json_pack("{s:o,s:s,s:b}", "c", c, "today", clock_today_text(),
				 "can_manage",
				 perm_allows(req->user.roles, PERM_PLACEMENT_MANAGE) &&
					 strcmp(json_string_value(json_object_get(c, "status")),
						"已失权") != 0);
	/* the refused step's form keeps what was typed */
	json_t *forms = json_object_get(c, "step_forms");
	for (size_t i = 0; i < json_array_size(forms); i++) {
		json_t *f = json_array_get(forms, i);
		const char *code = json_string_value(json_object_get(f, "code"));
		if (form && strcmp(form, code) == 0) {
			json_object_set_new(f, "typed", json_string(params_text(req, "on")));
			json_object_set_new(f, "typed_employer",
					    json_string(params_text(req, "employer")));
			json_object_set_new(f, "refused", json_true());
		}
		if (strcmp(code, "place") == 0)
			json_object_set_new(f, "employer_field", json_true());
	}
	if (fe && (fe->n || (err && *err)))
		json_object_set_new(data, "errors", errors_json(fe, err));
	char title[160];
	snprintf(title, sizeof(title), "安置案件：%s",
		 json_string_value(json_object_get(c, "name")));
	return reply_page(req, rep, 200, "placement/show", title, data);
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	json_t *kept = NULL;
	if (form_restore(req, &fe, &err, &kept)) {
		const char *form = json_string_value(json_object_get(kept, "form"));
		int r = show_page(req, rep, db, &fe, err, form);
		json_decref(kept);
		return r;
	}
	return show_page(req, rep, db, NULL, NULL, NULL);
}

static int handle_api_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = placement_get(db, &req->user, req->path_id, &c);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : NULL)
		  : reply_json(rep, 200, c);
}

static int act(struct request *req, struct db *db, struct field_errors *fe, char *err,
	       size_t errlen)
{
	struct placement_step s = {
		.step = params_text(req, "step"),
		.on = params_text(req, "on"),
		.employer = params_text(req, "employer"),
		.note = params_text(req, "note"),
	};
	return placement_act(db, &req->user, req->path_id, &s, fe, err, errlen);
}

static int handle_step(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "", where[64];
	int rc = act(req, db, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/placement/%lld", (long long)req->path_id);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		json_t *kept = json_pack("{s:s}", "form", params_text(req, "step"));
		int kept_rc = reply_form_refused(req, rep, where, &fe, err, kept);
		json_decref(kept);
		if (kept_rc == 0)
			return 0;
		return show_page(req, rep, db, &fe, err, params_text(req, "step"));
	}
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? NOT_FOUND : err);
	reply_flash(rep, "ok", "已保存");
	return reply_redirect(rep, where);
}

static int handle_api_step(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = act(req, db, &fe, err, sizeof(err));
	if (rc)
		return api_refused(req, rep, rc, &fe, err);
	json_t *c = NULL;
	rc = placement_get(db, &req->user, req->path_id, &c);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, c);
}

/* ---- plans ---- */

static int plans_page(struct request *req, struct reply *rep, struct db *db, int status,
		      const struct field_errors *fe, const char *err)
{
	json_t *plans = NULL;
	int rc = placement_plans(db, &req->user, &plans);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	char year[8];
	snprintf(year, sizeof(year), "%.4s", clock_today_text());
	const char *y = params_text(req, "year");
	json_t *data = json_pack(
		"{s:o,s:b,s:{s:s,s:s,s:s,s:s}}", "plans", plans, "can_plan",
		perm_allows(req->user.roles, PERM_PLACEMENT_PLAN), "values", "year",
		*y ? y : year, "officers", params_text(req, "officers"), "soldiers",
		params_text(req, "soldiers"), "note", params_text(req, "note"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "placement/plans", "安置计划", data);
}

static int handle_plans(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return plans_page(req, rep, db, 200, &fe, err);
	return plans_page(req, rep, db, 200, NULL, NULL);
}

static int plan_set(struct request *req, struct db *db, struct field_errors *fe, char *err,
		    size_t errlen)
{
	return placement_plan_set(db, &req->user, params_text(req, "year"),
				  params_text(req, "officers"), params_text(req, "soldiers"),
				  params_text(req, "note"), fe, err, errlen);
}

static int handle_plan_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = plan_set(req, db, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/placement/plans", &fe, err, NULL) == 0)
			return 0;
		return plans_page(req, rep, db, 400, &fe, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "安置计划已保存");
	return reply_redirect(rep, "/placement/plans");
}

static int handle_api_plans(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *plans = NULL;
	int rc = placement_plans(db, &req->user, &plans);
	return rc ? reply_area_error(req, rep, rc, NULL)
		  : reply_json(rep, 200, json_pack("{s:o}", "items", plans));
}

static int handle_api_plan_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = plan_set(req, db, &fe, err, sizeof(err));
	if (rc)
		return api_refused(req, rep, rc, &fe, err);
	return handle_api_plans(req, rep);
}

/* ---- statistics ---- */

static int handle_stats(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &placement_figures);
}

static int handle_stats_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &placement_figures);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"kind", "人员类型", PK_TEXT, 0, 0, 10, 0},
	{"flagged", "临期或超期", PK_FLAG, 0, 0, 0, 0},
	{"year", "计划年度", PK_INT, 0, 2000, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 500, 0},
	PARAM_END,
};

static const struct param_spec new_params[] = {
	{"person_id", "人员编号", PK_TEXT, 1, 0, 20, 0},
	{"kind", "人员类型", PK_TEXT, 1, 0, 10, 0},
	{"plan_year", "计划年度", PK_TEXT, 1, 0, 10, 0},
	{"method", "安置方式", PK_TEXT, 1, 0, 20, 0},
	{"discharged_on", "退役日期", PK_TEXT, 1, 0, 20, 0},
	{"note", "说明", PK_LONGTEXT, 0, 0, 2000, 0},
	PARAM_END,
};

static const struct param_spec form_params[] = {
	PARAM_FLASH,
	{"person", "人员编号", PK_INT, 0, 1, INT32_MAX, 0},
	PARAM_END,
};

static const struct param_spec step_params[] = {
	{"step", "步骤", PK_WORD, 0, 0, 20, 0},
	{"on", "日期", PK_TEXT, 0, 0, 20, 0},
	{"employer", "接收单位", PK_TEXT, 0, 0, 200, 0},
	{"note", "说明", PK_LONGTEXT, 0, 0, 2000, 0},
	PARAM_END,
};

static const struct param_spec plan_params[] = {
	{"year", "年度", PK_TEXT, 1, 0, 10, 0},
	{"officers", "军转干部计划数", PK_TEXT, 1, 0, 10, 0},
	{"soldiers", "退役士兵计划数", PK_TEXT, 1, 0, 10, 0},
	{"note", "说明", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

#define API ROUTE_API
#define READ PERM_PLACEMENT_READ
#define MANAGE PERM_PLACEMENT_MANAGE
#define PLAN PERM_PLACEMENT_PLAN

static const struct route routes[] = {
	{"GET", "/placement", handle_list, READ, 0, list_params, 0},
	{"POST", "/placement", handle_open, MANAGE, 0, new_params, 0},
	{"GET", "/placement/new", handle_new, MANAGE, 0, form_params, 0},
	{"GET", "/placement/plans", handle_plans, READ, 0, params_flash, 0},
	{"POST", "/placement/plans", handle_plan_set, PLAN, 0, plan_params, 0},
	{"GET", "/placement/stats", handle_stats, READ, 0, figures_params, 0},
	{"GET", "/placement/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
	{"GET", "/placement/{id}", handle_show, READ, 0, params_flash, 0},
	{"POST", "/placement/{id}/steps", handle_step, MANAGE, 0, step_params, 0},
	{"GET", "/api/v1/placement", handle_api_list, READ, API, list_params, 0},
	{"POST", "/api/v1/placement", handle_api_open, MANAGE, API, new_params, 0},
	{"GET", "/api/v1/placement/plans", handle_api_plans, READ, API, params_none, 0},
	{"POST", "/api/v1/placement/plans", handle_api_plan_set, PLAN, API, plan_params, 0},
	{"GET", "/api/v1/placement/{id}", handle_api_show, READ, API, params_none, 0},
	{"POST", "/api/v1/placement/{id}/steps", handle_api_step, MANAGE, API, step_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{50, "/placement", "安置", PERM_PLACEMENT_READ},
	{0},
};

static int64_t flagged_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	struct placement_filter f = {.flagged = 1, .per_page = 1};
	json_t *list = NULL;
	struct db *db = db_thread();
	if (!db || placement_list(db, &req->user, &f, &list) != 0)
		return 0;
	int64_t n = json_integer_value(json_object_get(list, "total"));
	json_decref(list);
	return n;
}

const struct web_area placement_web = {
	.name = "placement",
	.routes = routes,
	.nav = nav,
	.nav_count = flagged_count,
};
