/* care.c - the pages and API of 关爱帮扶: the regular-contact list (the overdue first) and
 * a person's entry with its contacts; the visits (走访慰问) and their form; the holiday-visit
 * campaigns with whom to visit and who is still due; the 光荣牌; the year's figures.
 *
 * The area (areas/care.c) checks everything and keeps scope: a station sees its street,
 * another street's record is "not found", a write for someone outside it is refused. */
#include "web/figures.h"
#include "web/flash.h"
#include "web/route.h"
#include "areas/care.h"
#include "areas/person.h"
#include "areas/region.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 20

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

static int can_manage(const struct request *req)
{
	return perm_allows(req->user.roles, PERM_CARE_MANAGE);
}

/* A form's POST refused: back to its GET (POST/redirect/GET), or the form itself. */
static int refused(struct request *req, struct reply *rep, int rc, const char *url,
		   const struct field_errors *fe, const char *err,
		   int (*form)(struct request *, struct reply *, int, const struct field_errors *,
			       const char *))
{
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		if (reply_form_refused(req, rep, url, fe, err, NULL) == 0)
			return 0;
		return form(req, rep, 400, fe, err);
	}
	return reply_area_error(req, rep, rc, err);
}

/* A redirect to prefix + id + suffix with a flash. */
static int redirect_to(struct reply *rep, const char *flash, const char *prefix, int64_t id,
		       const char *suffix)
{
	char where[96];
	snprintf(where, sizeof(where), "%s%lld%s", prefix, (long long)id, suffix);
	reply_flash(rep, "ok", flash);
	return reply_redirect(rep, where);
}

/* ---- the regular-contact list ---- */

static int handle_plans(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int overdue = params_flag(req, "overdue");
	int64_t page = params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = care_plan_list(db, &req->user, overdue, page, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_object();
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_object_set_new(data, "overdue", json_boolean(overdue));
	json_object_set_new(data, "can_manage", json_boolean(can_manage(req)));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(list, "total")),
				       overdue ? "/care?overdue=1" : "/care?"));
	json_decref(list);
	return reply_page(req, rep, 200, "care/plans", "关爱帮扶：常态化联系", data);
}

static int handle_api_plans(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = care_plan_list(db, &req->user, params_flag(req, "overdue"),
				params_int(req, "page", 1), params_int(req, "per_page", PER_PAGE),
				&list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

static void plan_of(struct request *req, struct care_plan_in *in)
{
	in->person_id = params_int(req, "person_id", 0);
	in->frequency = params_text(req, "frequency");
	in->since = params_text(req, "since");
	/* absent (NULL): an open plan keeps what it had */
	in->contact_person = req_param(req, "contact_person");
	in->reason = req_param(req, "reason");
}

/* A page that shows a form: with what a refused POST kept (web/flash.h), or empty. */
typedef int (*form_page_fn)(struct request *req, struct reply *rep, int status,
			    const struct field_errors *fe, const char *err);

static int show_restored(struct request *req, struct reply *rep, form_page_fn show)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return show(req, rep, 200, &fe, err);
	return show(req, rep, 200, NULL, NULL);
}

static int plan_form(struct request *req, struct reply *rep, int status,
		     const struct field_errors *fe, const char *err)
{
	const char *freq = params_text(req, "frequency");
	json_t *data = json_pack(
		"{s:o,s:s,s:{s:s,s:s,s:s,s:s}}", "frequencies",
		choices(care_frequencies, CARE_N_FREQUENCIES, *freq ? freq : "每季度"), "today",
		clock_today_text(), "values", "person_id", params_text(req, "person_id"), "since",
		params_text(req, "since"), "contact_person", params_text(req, "contact_person"),
		"reason", params_text(req, "reason"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "care/plan_new", "纳入常态化联系", data);
}

static int handle_plan_new(struct request *req, struct reply *rep)
{
	return show_restored(req, rep, plan_form);
}

static int handle_plan_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_plan_in in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	plan_of(req, &in);
	int rc = care_plan_save(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return refused(req, rep, rc, "/care/plans/new", &fe, err, plan_form);
	return redirect_to(rep, "已纳入常态化联系", "/care/plans/", id, "");
}

static int handle_api_plan_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_plan_in in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	plan_of(req, &in);
	int rc = care_plan_save(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = care_plan_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

static int plan_page(struct request *req, struct reply *rep, int status,
		     const struct field_errors *fe, const char *err)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *p = NULL;
	int rc = care_plan_get(db, &req->user, req->path_id, &p);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "常态化联系记录不存在" : NULL);
	const char *method = params_text(req, "method");
	json_t *data = json_pack("{s:o,s:o,s:s,s:b,s:{s:s,s:s,s:s}}", "p", p, "methods",
				 choices(care_methods, CARE_N_METHODS, *method ? method : "电话"),
				 "today", clock_today_text(), "can_manage", can_manage(req),
				 "values", "on", params_text(req, "on"), "by_name",
				 params_text(req, "by_name"), "note", params_text(req, "note"));
	json_object_set_new(data, "crumbs",
			    json_pack("[{s:s,s:s}]", "title", "关爱帮扶", "href", "/care"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	char title[300];
	snprintf(title, sizeof(title), "常态化联系：%s",
		 json_string_value(json_object_get(p, "name")));
	return reply_page(req, rep, status, "care/plan", title, data);
}

static int handle_plan(struct request *req, struct reply *rep)
{
	return show_restored(req, rep, plan_page);
}

static int handle_contact_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_contact_in in = {params_text(req, "on"), params_text(req, "method"),
				     params_text(req, "by_name"), params_text(req, "note")};
	struct field_errors fe = {0};
	char err[256] = "", url[64];
	int64_t cid = 0;
	int rc = care_contact_add(db, &req->user, req->path_id, &in, &cid, &fe, err, sizeof(err));
	snprintf(url, sizeof(url), "/care/plans/%lld", (long long)req->path_id);
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "常态化联系记录不存在");
	if (rc)
		return refused(req, rep, rc, url, &fe, err, plan_page);
	return redirect_to(rep, "已登记联系", "/care/plans/", req->path_id, "");
}

static int handle_api_contact_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_contact_in in = {params_text(req, "on"), params_text(req, "method"),
				     params_text(req, "by_name"), params_text(req, "note")};
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t cid = 0;
	int rc = care_contact_add(db, &req->user, req->path_id, &in, &cid, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe,
					 rc == VE_NOTFOUND ? "常态化联系记录不存在" : err);
	json_t *o = NULL;
	rc = care_plan_get(db, &req->user, req->path_id, &o);
	if (!rc)
		json_object_set_new(o, "contact_id", json_integer(cid));
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

static int handle_plan_end(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "", url[64];
	int rc = care_plan_end(db, &req->user, req->path_id, params_text(req, "ended_on"), &fe,
			       err, sizeof(err));
	snprintf(url, sizeof(url), "/care/plans/%lld", (long long)req->path_id);
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "常态化联系记录不存在");
	if (rc)
		return refused(req, rep, rc, url, &fe, err, plan_page);
	return redirect_to(rep, "已停止常态化联系", "/care/plans/", req->path_id, "");
}

static int contact_delete(struct request *req, char *err, size_t errlen)
{
	struct db *db = db_thread();
	if (!db)
		return err_set(err, errlen, VE_DB, "数据库不可用");
	return care_contact_delete(db, &req->user, req->path_id, err, errlen);
}

static int handle_contact_delete(struct request *req, struct reply *rep)
{
	char err[256] = "";
	int rc = contact_delete(req, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "已删除联系记录");
	return reply_redirect(rep, "/care");
}

static int handle_api_contact_delete(struct request *req, struct reply *rep)
{
	char err[256] = "";
	int rc = contact_delete(req, err, sizeof(err));
	return rc ? reply_area_error(req, rep, rc, err)
		  : reply_json(rep, 200, json_pack("{s:b}", "deleted", 1));
}

/* ---- visits ---- */

static void visit_filter_of(struct request *req, struct care_visit_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = params_text(req, "kind");
	f->year = (int)params_int(req, "year", 0);
	f->person_id = params_int(req, "person_id", 0);
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
}

static int handle_visits(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_visit_filter f;
	visit_filter_of(req, &f);
	json_t *list = NULL;
	int rc = care_visit_list(db, &req->user, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_object();
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_object_set_new(data, "kinds", choices(care_visit_kinds, CARE_N_KINDS, f.kind));
	json_object_set_new(data, "year", f.year ? json_integer(f.year) : json_string(""));
	json_object_set_new(data, "can_manage", json_boolean(can_manage(req)));
	struct buf href;
	buf_init(&href, 256);
	buf_puts(&href, "/care/visits?");
	page_query_add(&href, "kind", f.kind);
	page_query_add(&href, "year", params_text(req, "year"));
	json_object_set_new(data, "pager",
			    page_pager(f.page, f.per_page,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_decref(list);
	return reply_page(req, rep, 200, "care/visits", "走访慰问", data);
}

static int handle_api_visits(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_visit_filter f;
	visit_filter_of(req, &f);
	json_t *list = NULL;
	int rc = care_visit_list(db, &req->user, &f, &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

static void visit_of(struct request *req, struct care_visit_in *in)
{
	in->person_id = params_int(req, "person_id", 0);
	in->kind = params_text(req, "kind");
	in->campaign_id = params_int(req, "campaign_id", 0);
	in->on = params_text(req, "on");
	in->visitors = params_text(req, "visitors");
	in->money = params_text(req, "money");
	in->goods = params_text(req, "goods");
	in->note = params_text(req, "note");
}

/* The visit form (new, or the correction of visit id with its stored values). */
static int visit_form_of(struct request *req, struct reply *rep, int status,
			 const struct field_errors *fe, const char *err, json_t *stored)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t campaign_id = params_int(req, "campaign_id", 0);
	json_t *values;
	if (stored)
		values = stored;
	else
		values = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "person_id",
				   params_text(req, "person_id"), "on", params_text(req, "on"),
				   "visitors", params_text(req, "visitors"), "money",
				   params_text(req, "money"), "goods", params_text(req, "goods"),
				   "note", params_text(req, "note"), "kind",
				   params_text(req, "kind"));
	const char *kind = json_string_value(json_object_get(values, "kind"));
	json_t *data = json_pack("{s:o,s:o,s:s}", "values", values, "kinds",
				 choices(care_visit_kinds, CARE_N_KINDS, kind), "today",
				 clock_today_text());
	json_t *crumbs = json_array();
	json_array_append_new(crumbs,
			      json_pack("{s:s,s:s}", "title", "走访慰问", "href", "/care/visits"));
	if (campaign_id > 0) {
		json_t *c = NULL;
		if (care_campaign_get(db, &req->user, campaign_id, "all", 1, 1, &c) == 0) {
			json_object_del(c, "people");
			char href[64];
			snprintf(href, sizeof(href), "/care/campaigns/%lld", (long long)campaign_id);
			json_array_append_new(crumbs, json_pack("{s:s,s:s}", "title",
								json_string_value(json_object_get(c, "title")),
								"href", href));
			json_object_set_new(data, "campaign", c);
		}
	}
	json_object_set_new(data, "crumbs", crumbs);
	if (req->path_id)
		json_object_set_new(data, "visit_id", json_integer(req->path_id));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "care/visit_new",
			  req->path_id ? "更正走访慰问记录" : "登记走访慰问", data);
}

static int visit_form(struct request *req, struct reply *rep, int status,
		      const struct field_errors *fe, const char *err)
{
	return visit_form_of(req, rep, status, fe, err, NULL);
}

static int handle_visit_new(struct request *req, struct reply *rep)
{
	return show_restored(req, rep, visit_form);
}

static int handle_visit_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_visit_in in;
	struct field_errors fe = {0};
	char err[256] = "", url[96];
	int64_t id = 0;
	visit_of(req, &in);
	int rc = care_visit_save(db, &req->user, req->path_id, &in, &id, &fe, err, sizeof(err));
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "走访记录不存在");
	if (rc) {
		if (req->path_id)
			snprintf(url, sizeof(url), "/care/visits/%lld", (long long)req->path_id);
		else
			snprintf(url, sizeof(url), "/care/visits/new");
		return refused(req, rep, rc, url, &fe, err, visit_form);
	}
	if (in.campaign_id > 0)
		return redirect_to(rep, "已登记慰问", "/care/campaigns/", in.campaign_id, "?who=due");
	return redirect_to(rep, req->path_id ? "已更正" : "已登记走访慰问", "/care/visits/", id, "");
}

static int handle_api_visit_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct care_visit_in in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	visit_of(req, &in);
	int rc = care_visit_save(db, &req->user, req->path_id, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, rc == VE_NOTFOUND ? "走访记录不存在" : err);
	json_t *o = NULL;
	rc = care_visit_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL)
		  : reply_json(rep, req->path_id ? 200 : 201, o);
}

static int handle_visit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	json_t *v = NULL;
	int rc = care_visit_get(db, &req->user, req->path_id, &v);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "走访记录不存在" : NULL);
	if (form_restore(req, &fe, &err, NULL)) {
		json_decref(v);
		return visit_form(req, rep, 200, &fe, err);
	}
	char money[32];
	money_format(json_integer_value(json_object_get(v, "money")), money);
	json_t *values = json_pack(
		"{s:I,s:O,s:O,s:O,s:s,s:O,s:O,s:O}", "person_id",
		json_integer_value(json_object_get(v, "person_id")), "on",
		json_object_get(v, "visited_on"), "visitors", json_object_get(v, "visitors"),
		"kind", json_object_get(v, "kind"), "money", money, "goods",
		json_object_get(v, "goods"), "note", json_object_get(v, "note"), "name",
		json_object_get(v, "name"));
	json_object_set(values, "campaign_id", json_object_get(v, "campaign_id"));
	json_decref(v);
	return visit_form_of(req, rep, 200, NULL, NULL, values);
}

static int handle_api_visit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *v = NULL;
	int rc = care_visit_get(db, &req->user, req->path_id, &v);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "走访记录不存在" : NULL)
		  : reply_json(rep, 200, v);
}

static int handle_visit_delete(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = care_visit_delete(db, &req->user, req->path_id, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "已删除走访记录");
	return reply_redirect(rep, "/care/visits");
}

static int handle_api_visit_delete(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = care_visit_delete(db, &req->user, req->path_id, err, sizeof(err));
	return rc ? reply_area_error(req, rep, rc, err)
		  : reply_json(rep, 200, json_pack("{s:b}", "deleted", 1));
}

/* ---- campaigns ---- */

static int handle_campaigns(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", 0);
	json_t *list = NULL;
	int rc = care_campaign_list(db, &req->user, year, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_pack("{s:o,s:b}", "items", list, "can_manage", can_manage(req));
	return reply_page(req, rep, 200, "care/campaigns", "节日慰问活动", data);
}

static int handle_api_campaigns(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = care_campaign_list(db, &req->user, (int)params_int(req, "year", 0), &list);
	return rc ? reply_area_error(req, rep, rc, NULL)
		  : reply_json(rep, 200, json_pack("{s:o}", "items", list));
}

/* The categories chosen (checkbox group "categories", names), as bits. */
static uint32_t categories_of(struct request *req)
{
	uint32_t m = 0;
	for (size_t i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, "categories") == 0) {
			int c = category_parse(req->params[i].value);
			if (c >= 0)
				m |= 1u << c;
			else
				m |= 1u << 31; /* an unknown name: refused by the area */
		}
	return m;
}

static int campaign_form(struct request *req, struct reply *rep, int status,
			 const struct field_errors *fe, const char *err)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	uint32_t chosen = categories_of(req);
	int fresh = !fe;
	json_t *cats = json_array();
	for (int i = 0; i < CARE_N_HOLIDAY_CATEGORIES; i++) {
		int c = care_holiday_categories[i];
		json_array_append_new(cats, json_pack("{s:s,s:b}", "name",
						      category_title((enum category)c), "checked",
						      fresh || (chosen & (1u << c))));
	}
	const char *holiday = params_text(req, "holiday");
	json_t *data = json_pack(
		"{s:o,s:o,s:o,s:{s:s,s:s,s:s}}", "categories", cats, "holidays",
		choices(care_holidays, CARE_N_HOLIDAYS, holiday), "streets",
		region_street_choices(db, &req->user, params_text(req, "street")), "values",
		"title", params_text(req, "title"), "starts_on", params_text(req, "starts_on"),
		"ends_on", params_text(req, "ends_on"));
	json_object_set_new(data, "crumbs", json_pack("[{s:s,s:s}]", "title", "节日慰问活动",
						      "href", "/care/campaigns"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "care/campaign_new", "新建节日慰问活动", data);
}

static int handle_campaign_new(struct request *req, struct reply *rep)
{
	return show_restored(req, rep, campaign_form);
}

static int campaign_create(struct request *req, struct db *db, int64_t *id,
			   struct field_errors *fe, char *err, size_t errlen)
{
	struct care_campaign_in in = {
		.title = params_text(req, "title"),
		.holiday = params_text(req, "holiday"),
		.starts_on = params_text(req, "starts_on"),
		.ends_on = params_text(req, "ends_on"),
		.categories = categories_of(req),
		.street = params_text(req, "street"),
	};
	return care_campaign_create(db, &req->user, &in, id, fe, err, errlen);
}

static int handle_campaign_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = campaign_create(req, db, &id, &fe, err, sizeof(err));
	if (rc)
		return refused(req, rep, rc, "/care/campaigns/new", &fe, err, campaign_form);
	return redirect_to(rep, "已新建慰问活动", "/care/campaigns/", id, "");
}

static int handle_api_campaign_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = campaign_create(req, db, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = care_campaign_get(db, &req->user, id, "all", 1, 50, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

static int handle_campaign(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *who = params_text(req, "who");
	int64_t page = params_int(req, "page", 1);
	json_t *c = NULL;
	int rc = care_campaign_get(db, &req->user, req->path_id, *who ? who : "due", page, 50, &c);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "慰问活动不存在" : NULL);
	char href[96];
	snprintf(href, sizeof(href), "/care/campaigns/%lld?who=%s", (long long)req->path_id,
		 json_string_value(json_object_get(c, "who")));
	json_t *data = json_pack("{s:O,s:b,s:o}", "c", c, "can_manage", can_manage(req), "pager",
				 page_pager(page, 50,
					    json_integer_value(json_object_get(c, "total")), href));
	json_object_set_new(data, "crumbs", json_pack("[{s:s,s:s}]", "title", "节日慰问活动",
						      "href", "/care/campaigns"));
	char title[300];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(c, "title")));
	json_decref(c);
	return reply_page(req, rep, 200, "care/campaign", title, data);
}

static int handle_api_campaign(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *who = params_text(req, "who");
	json_t *c = NULL;
	int rc = care_campaign_get(db, &req->user, req->path_id, *who ? who : "all",
				   params_int(req, "page", 1), params_int(req, "per_page", 50), &c);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "慰问活动不存在" : NULL)
		  : reply_json(rep, 200, c);
}

/* ---- 光荣牌 ---- */

static int plaques_page(struct request *req, struct reply *rep, int status,
			const struct field_errors *fe, const char *err)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t page = params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = care_plaque_list(db, &req->user, page, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_object();
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(list, "total")),
				       "/care/plaques?"));
	json_decref(list);
	json_object_set_new(data, "can_manage", json_boolean(can_manage(req)));
	json_object_set_new(data, "today", json_string(clock_today_text()));
	json_object_set_new(data, "values",
			    json_pack("{s:s,s:s,s:s}", "person_id", params_text(req, "person_id"),
				      "hung_on", params_text(req, "hung_on"), "note",
				      params_text(req, "note")));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "care/plaques", "光荣牌悬挂", data);
}

static int handle_plaques(struct request *req, struct reply *rep)
{
	return show_restored(req, rep, plaques_page);
}

static int plaque_set(struct request *req, struct db *db, struct field_errors *fe, char *err,
		      size_t errlen)
{
	return care_plaque_set(db, &req->user, params_int(req, "person_id", 0),
			       params_text(req, "hung_on"), params_text(req, "note"), fe, err,
			       errlen);
}

static int handle_plaque_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = plaque_set(req, db, &fe, err, sizeof(err));
	if (rc)
		return refused(req, rep, rc, "/care/plaques", &fe, err, plaques_page);
	reply_flash(rep, "ok", "已登记光荣牌悬挂");
	return reply_redirect(rep, "/care/plaques");
}

static int handle_api_plaque_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = plaque_set(req, db, &fe, err, sizeof(err));
	return rc ? reply_api_refused(req, rep, rc, &fe, err)
		  : reply_json(rep, 201, json_pack("{s:b}", "saved", 1));
}

/* ---- statistics ---- */

static int handle_stats(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &care_figures);
}

static int handle_stats_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &care_figures);
}

/* ---- navigation ---- */

static int64_t overdue_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	int64_t n = 0;
	struct db *db = db_thread();
	if (!db || care_overdue_count(db, &req->user, &n) != 0)
		return 0;
	return n;
}

/* ---- the routes ---- */

static const struct param_spec plans_params[] = {
	{"overdue", "逾期", PK_FLAG, 0, 0, 0, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 500, 0},
	PARAM_END,
};

static const struct param_spec plan_params[] = {
	{"person_id", "人员编号", PK_INT, 1, 0, INT64_MAX, 0},
	{"frequency", "联系频次", PK_TEXT, 0, 0, 10, 0},
	{"since", "纳入日期", PK_TEXT, 0, 0, 20, 0},
	{"contact_person", "联系人", PK_TEXT, 0, 0, 100, 0},
	{"reason", "纳入原因", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

static const struct param_spec plan_form_params[] = {
	PARAM_FLASH,
	{"person_id", "人员编号", PK_INT, 0, 0, INT64_MAX, 0},
	PARAM_END,
};

static const struct param_spec contact_params[] = {
	{"on", "联系日期", PK_TEXT, 1, 0, 20, 0},
	{"method", "联系方式", PK_TEXT, 0, 0, 10, 0},
	{"by_name", "联系人", PK_TEXT, 0, 0, 100, 0},
	{"note", "备注", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};

static const struct param_spec end_params[] = {
	{"ended_on", "停止日期", PK_TEXT, 1, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec visits_params[] = {
	{"kind", "类别", PK_TEXT, 0, 0, 10, 0},
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"person_id", "人员编号", PK_INT, 0, 1, INT64_MAX, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 500, 0},
	PARAM_END,
};

static const struct param_spec visit_params[] = {
	{"person_id", "人员编号", PK_INT, 1, 0, INT64_MAX, 0},
	{"kind", "类别", PK_TEXT, 0, 0, 10, 0},
	{"campaign_id", "慰问活动", PK_INT, 0, 0, INT64_MAX, 0},
	{"on", "走访日期", PK_TEXT, 0, 0, 20, 0},
	{"visitors", "走访人员", PK_TEXT, 0, 0, 200, 0},
	{"money", "慰问金", PK_TEXT, 0, 0, 30, 0},
	{"goods", "慰问品", PK_TEXT, 0, 0, 400, 0},
	{"note", "备注", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};

static const struct param_spec visit_form_params[] = {
	PARAM_FLASH,
	{"person_id", "人员编号", PK_INT, 0, 0, INT64_MAX, 0},
	{"campaign_id", "慰问活动", PK_INT, 0, 0, INT64_MAX, 0},
	{"kind", "类别", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec campaigns_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	PARAM_END,
};

static const struct param_spec campaign_params[] = {
	{"title", "名称", PK_TEXT, 1, 0, 120, 0},
	{"holiday", "节日", PK_TEXT, 0, 0, 10, 0},
	{"starts_on", "开始日期", PK_TEXT, 0, 0, 20, 0},
	{"ends_on", "结束日期", PK_TEXT, 0, 0, 20, 0},
	{"categories", "人员类别", PK_TEXT, 0, 0, 30, 1},
	{"street", "街道", PK_WORD, 0, 0, 12, 0},
	PARAM_END,
};

static const struct param_spec campaign_show_params[] = {
	{"who", "名单", PK_WORD, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 500, 0},
	PARAM_END,
};

static const struct param_spec plaques_params[] = {
	PARAM_FLASH,
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec plaque_params[] = {
	{"person_id", "人员编号", PK_INT, 1, 0, INT64_MAX, 0},
	{"hung_on", "悬挂日期", PK_TEXT, 0, 0, 20, 0},
	{"note", "备注", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

#define API ROUTE_API
#define READ PERM_CARE_READ
#define MANAGE PERM_CARE_MANAGE

static const struct route routes[] = {
	{"GET", "/care", handle_plans, READ, 0, plans_params, 0},
	{"GET", "/care/plans/new", handle_plan_new, MANAGE, 0, plan_form_params, 0},
	{"POST", "/care/plans", handle_plan_save, MANAGE, 0, plan_params, 0},
	{"GET", "/care/plans/{id}", handle_plan, READ, 0, params_flash, 0},
	{"POST", "/care/plans/{id}/contacts", handle_contact_add, MANAGE, 0, contact_params, 0},
	{"POST", "/care/plans/{id}/end", handle_plan_end, MANAGE, 0, end_params, 0},
	{"POST", "/care/contacts/{id}/delete", handle_contact_delete, MANAGE, 0, params_none, 0},
	{"GET", "/care/visits", handle_visits, READ, 0, visits_params, 0},
	{"GET", "/care/visits/new", handle_visit_new, MANAGE, 0, visit_form_params, 0},
	{"POST", "/care/visits", handle_visit_save, MANAGE, 0, visit_params, 0},
	{"GET", "/care/visits/{id}", handle_visit, READ, 0, params_flash, 0},
	{"POST", "/care/visits/{id}", handle_visit_save, MANAGE, 0, visit_params, 0},
	{"POST", "/care/visits/{id}/delete", handle_visit_delete, MANAGE, 0, params_none, 0},
	{"GET", "/care/campaigns", handle_campaigns, READ, 0, campaigns_params, 0},
	{"GET", "/care/campaigns/new", handle_campaign_new, MANAGE, 0, params_flash, 0},
	{"POST", "/care/campaigns", handle_campaign_create, MANAGE, 0, campaign_params, 0},
	{"GET", "/care/campaigns/{id}", handle_campaign, READ, 0, campaign_show_params, 0},
	{"GET", "/care/plaques", handle_plaques, READ, 0, plaques_params, 0},
	{"POST", "/care/plaques", handle_plaque_set, MANAGE, 0, plaque_params, 0},
	{"GET", "/care/stats", handle_stats, READ, 0, figures_params, 0},
	{"GET", "/care/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
	{"GET", "/api/v1/care/plans", handle_api_plans, READ, API, plans_params, 0},
	{"POST", "/api/v1/care/plans", handle_api_plan_save, MANAGE, API, plan_params, 0},
	{"POST", "/api/v1/care/plans/{id}/contacts", handle_api_contact_add, MANAGE, API, contact_params, 0},
	{"POST", "/api/v1/care/contacts/{id}/delete", handle_api_contact_delete, MANAGE, API, params_none, 0},
	{"GET", "/api/v1/care/visits", handle_api_visits, READ, API, visits_params, 0},
	{"POST", "/api/v1/care/visits", handle_api_visit_save, MANAGE, API, visit_params, 0},
	{"GET", "/api/v1/care/visits/{id}", handle_api_visit, READ, API, params_none, 0},
	{"POST", "/api/v1/care/visits/{id}", handle_api_visit_save, MANAGE, API, visit_params, 0},
	{"POST", "/api/v1/care/visits/{id}/delete", handle_api_visit_delete, MANAGE, API, params_none, 0},
	{"GET", "/api/v1/care/campaigns", handle_api_campaigns, READ, API, campaigns_params, 0},
	{"POST", "/api/v1/care/campaigns", handle_api_campaign_create, MANAGE, API, campaign_params, 0},
	{"GET", "/api/v1/care/campaigns/{id}", handle_api_campaign, READ, API, campaign_show_params, 0},
	{"POST", "/api/v1/care/plaques", handle_api_plaque_set, MANAGE, API, plaque_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{52, "/care", "关爱帮扶", PERM_CARE_READ},
	{0},
};

const struct web_area care_web = {
	.name = "care",
	.routes = routes,
	.nav = nav,
	.nav_count = overdue_count,
};
