/* petitions.c - the pages and API of 信访 and 区长信箱: the desk's list (status, source,
 * overdue; or the records one figure of the statistics counts), the register form, a
 * petition with its steps and the forms of the steps open now, the statistics with a
 * link from each figure to its records, and the API twins.
 *
 * The area (petition*.c) checks every step and keeps scope: a station sees its
 * street's petitions, another street's is "not found". */
#include "web/figures.h"
#include "web/flash.h"
#include "web/route.h"
#include "areas/petition.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
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

/* A form's errors for partials/form_errors: the fields', or err alone. */
static json_t *errors_json(const struct field_errors *fe, const char *err)
{
	if (fe->n || !err || !*err)
		return page_field_errors(fe);
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s,s:s}", "field", "", "message", err));
	return a;
}

/* An API refusal (reply_api_refused), a petition not found said as such. */
static int api_refused(struct request *req, struct reply *rep, int rc,
		       const struct field_errors *fe, const char *err)
{
	return reply_api_refused(req, rep, rc, fe,
				 rc == VE_NOTFOUND && !fe->n ? "信访件不存在" : err);
}

/* JSON with the statistics' one-decimal numbers printed as such. */
static int reply_stats_json(struct reply *rep, int status, json_t *body)
{
	char *text = json_dumps(body, PETITION_JSON_FLAGS);
	json_decref(body);
	buf_reset(&rep->body);
	buf_puts(&rep->body, text ? text : "{}");
	free(text);
	rep->status = status;
	rep->content_type = "application/json; charset=utf-8";
	return 0;
}

/* ---- the list ---- */

static void filter_of(struct request *req, struct petition_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->status = params_text(req, "status");
	f->source = params_text(req, "source");
	f->overdue = params_flag(req, "overdue");
	f->figure = params_text(req, "figure");
	f->year = (int)params_int(req, "year", 0);
	f->as_of = params_text(req, "as_of");
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
	if (*f->figure && !f->year) {
		char today[11];
		str_copy(today, clock_today_text(), sizeof(today));
		f->year = atoi(today);
	}
}

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct petition_filter f;
	filter_of(req, &f);
	json_t *list = NULL;
	int rc = petition_list(db, &req->user, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "统计口径或日期无效" : NULL);
	json_t *data = json_object();
	json_object_set_new(data, "statuses",
			    choices(petition_statuses, PETITION_N_STATUSES, f.status));
	json_object_set_new(data, "sources", choices(petition_sources, PETITION_N_SOURCES, f.source));
	json_object_set_new(data, "overdue", json_boolean(f.overdue));
	if (*f.figure) {
		char as_of[11];
		if (*f.as_of)
			str_copy(as_of, f.as_of, sizeof(as_of));
		else
			petition_default_as_of(f.year, as_of);
		json_object_set_new(data, "figure",
				    json_pack("{s:s,s:s,s:s,s:i,s:s}", "code", f.figure, "title",
					      petition_figure_title(f.figure), "definition",
					      petition_figure_definition(f.figure), "year", f.year,
					      "as_of", as_of));
	}
	struct buf href;
	buf_init(&href, 1024);
	buf_puts(&href, "/petitions?");
	page_query_add(&href, "status", f.status);
	page_query_add(&href, "source", f.source);
	page_query_add(&href, "overdue", f.overdue ? "1" : "");
	page_query_add(&href, "figure", f.figure);
	if (*f.figure) {
		char y[8];
		snprintf(y, sizeof(y), "%d", f.year);
		page_query_add(&href, "year", y);
	}
	page_query_add(&href, "as_of", f.as_of);
	json_object_set_new(data, "pager",
			    page_pager(f.page, f.per_page,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_object_set_new(data, "can_handle",
			    json_boolean(perm_allows(req->user.roles, PERM_PETITION_HANDLE)));
	json_decref(list);
	return reply_page(req, rep, 200, "petitions/list", "信访和区长信箱", data);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct petition_filter f;
	filter_of(req, &f);
	json_t *list = NULL;
	int rc = petition_list(db, &req->user, &f, &list);
	return rc ? reply_area_error(req, rep, rc, rc == VE_INVALID ? "统计口径或日期无效" : NULL)
		  : reply_json(rep, 200, list);
}

/* ---- registering ---- */

static void new_of(struct request *req, struct petition_new *in)
{
	in->source = params_text(req, "source");
	in->name = params_text(req, "name");
	in->id_number = params_text(req, "id_number");
	in->phone = params_text(req, "phone");
	in->address = params_text(req, "address");
	in->subject = params_text(req, "subject");
	in->content = params_text(req, "content");
	in->received_on = params_text(req, "received_on");
	in->consent = params_flag(req, "consent");
}

static int form_page(struct request *req, struct reply *rep, int status,
		     const struct field_errors *fe, const char *err)
{
	json_t *data = json_pack("{s:o,s:s}", "sources",
				 choices(petition_sources, PETITION_N_SOURCES,
					 params_text(req, "source")),
				 "today", clock_today_text());
	json_object_set_new(data, "values",
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "name",
				      params_text(req, "name"), "id_number",
				      params_text(req, "id_number"), "phone",
				      params_text(req, "phone"), "address",
				      params_text(req, "address"), "subject",
				      params_text(req, "subject"), "content",
				      params_text(req, "content"), "received_on",
				      params_text(req, "received_on"), "consent",
				      params_flag(req, "consent")));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "petitions/new", "登记信访", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return form_page(req, rep, 200, &fe, err);
	return form_page(req, rep, 200, NULL, NULL);
}

static int handle_register(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct petition_new in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id;
	new_of(req, &in);
	int rc = petition_register(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/petitions/new", &fe, err, NULL) == 0)
			return 0;
		return form_page(req, rep, 400, &fe, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/petitions/%lld", (long long)id);
	reply_flash(rep, "ok", "已登记");
	return reply_redirect(rep, where);
}

static int handle_api_register(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct petition_new in;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id;
	new_of(req, &in);
	int rc = petition_register(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return api_refused(req, rep, rc, &fe, err);
	json_t *o = NULL;
	rc = petition_get(db, &req->user, id, &o);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, o);
}

/* ---- one petition ---- */

/* The writer's full data for the page being rendered by this thread (reveal), or NULL. */
static __thread json_t *req_revealed;

static int show_page(struct request *req, struct reply *rep, struct db *db,
		     const struct field_errors *fe, const char *err, const char *form);

/* The page with the writer's full data, once asked for (POST: audited). */
static int handle_reveal(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *full = NULL;
	int rc = petition_reveal(db, &req->user, req->path_id, &full);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "信访件不存在" : NULL);
	req_revealed = full;
	rc = show_page(req, rep, db, NULL, NULL, NULL);
	req_revealed = NULL;
	json_decref(full);
	return rc;
}

static int handle_api_reveal(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *full = NULL;
	int rc = petition_reveal(db, &req->user, req->path_id, &full);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "信访件不存在" : NULL)
		  : reply_json(rep, 200, full);
}

static int show_page(struct request *req, struct reply *rep, struct db *db,
		     const struct field_errors *fe, const char *err, const char *form)
{
	json_t *p = NULL;
	int rc = petition_get(db, &req->user, req->path_id, &p);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "信访件不存在" : NULL);
	json_t *data = json_pack("{s:o,s:s}", "p", p, "today", clock_today_text());
	json_t *open = json_object();
	json_t *actions = json_object_get(p, "actions");
	for (size_t i = 0; i < json_array_size(actions); i++)
		json_object_set_new(open, json_string_value(json_array_get(actions, i)),
				    json_true());
	json_object_set_new(data, "can", open);
	json_object_set_new(data, "can_reveal",
			    json_boolean(perm_allows(req->user.roles, PERM_PETITION_HANDLE)));
	if (req_revealed)
		json_object_set(data, "revealed", req_revealed);
	if (fe && (fe->n || (err && *err))) {
		json_object_set_new(data, "errors", errors_json(fe, err));
		json_object_set_new(data, "form", json_string(form ? form : ""));
	}
	char title[160];
	snprintf(title, sizeof(title), "信访件 %s",
		 json_string_value(json_object_get(p, "code")));
	return reply_page(req, rep, 200, "petitions/show", title, data);
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
	json_t *p = NULL;
	int rc = petition_get(db, &req->user, req->path_id, &p);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "信访件不存在" : NULL)
		  : reply_json(rep, 200, p);
}

/* ---- the steps: the path's last segment names the step ---- */

static const char *const step_of_segment[][2] = {
	{"accept", "accept"},   {"reject", "reject"},       {"assign", "assign"},
	{"extend", "extend"},   {"approve", "extend_approve"}, {"refuse", "extend_refuse"},
	{"close", "close"},     {"reply", "reply"},         {"review", "review_ask"},
	{"answer", "review_answer"}, {"duplicate", "duplicate"}, {"publish", "publish"},
};

static const char *step_name(const struct request *req)
{
	const char *last = strrchr(req->path, '/');
	last = last ? last + 1 : "";
	for (size_t i = 0; i < sizeof(step_of_segment) / sizeof(step_of_segment[0]); i++)
		if (strcmp(last, step_of_segment[i][0]) == 0)
			return step_of_segment[i][1];
	return "";
}

static int act(struct request *req, struct db *db, struct field_errors *fe, char *err,
	       size_t errlen)
{
	struct petition_step s = {
		.step = step_name(req),
		.on = params_text(req, "on"),
		.note = params_text(req, "note"),
		.org = params_text(req, "org"),
		.assignee = params_text(req, "assignee"),
		.days = params_text(req, "days"),
		.of = params_text(req, "of"),
		.question = params_text(req, "question"),
		.reply = params_text(req, "reply"),
	};
	return petition_act(db, &req->user, req->path_id, &s, fe, err, errlen);
}

static int handle_step(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "", where[64];
	int rc = act(req, db, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/petitions/%lld", (long long)req->path_id);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		json_t *kept = json_pack("{s:s}", "form", step_name(req));
		int kept_rc = reply_form_refused(req, rep, where, &fe, err, kept);
		json_decref(kept);
		if (kept_rc == 0)
			return 0;
		return show_page(req, rep, db, &fe, err, step_name(req));
	}
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "信访件不存在" : err);
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
	json_t *p = NULL;
	rc = petition_get(db, &req->user, req->path_id, &p);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, p);
}

/* ---- statistics ---- */

static int stats_of(struct request *req, struct db *db, json_t **out)
{
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	int year = (int)params_int(req, "year", atoi(today));
	return petition_stats(db, &req->user, year, params_text(req, "as_of"), out);
}

static int handle_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *s = NULL;
	int rc = stats_of(req, db, &s);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "年份或统计截止日无效" : NULL);
	int year = (int)json_integer_value(json_object_get(s, "year"));
	const char *as_of = json_string_value(json_object_get(s, "as_of"));
	json_t *figures = json_array();
	for (int i = 0; i < PETITION_N_FIGURES; i++) {
		char href[160];
		snprintf(href, sizeof(href), "/petitions?figure=%s&year=%d&as_of=%s",
			 petition_figures[i], year, as_of);
		json_array_append_new(
			figures, json_pack("{s:s,s:s,s:s,s:O,s:s}", "code", petition_figures[i],
					   "title", petition_figure_title(petition_figures[i]),
					   "definition",
					   petition_figure_definition(petition_figures[i]), "value",
					   json_object_get(s, petition_figures[i]), "href", href));
	}
	/* the one-decimal numbers as text, for the page */
	json_t *shown = json_object();
	static const char *const decimals[] = {"avg_days", "close_rate", "on_time_rate",
					       "reply_rate"};
	for (int i = 0; i < 4; i++) {
		json_t *v = json_object_get(s, decimals[i]);
		char t[32] = "—";
		if (json_is_number(v))
			snprintf(t, sizeof(t), "%.1f", json_number_value(v));
		json_object_set_new(shown, decimals[i], json_string(t));
	}
	json_t *data = json_pack("{s:i,s:s,s:o,s:o,s:o}", "year", year, "as_of", as_of, "figures",
				 figures, "shown", shown, "stats", s);
	return reply_page(req, rep, 200, "petitions/stats", "信访统计", data);
}

static int handle_api_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *s = NULL;
	int rc = stats_of(req, db, &s);
	return rc ? reply_area_error(req, rep, rc, rc == VE_INVALID ? "年份或统计截止日无效" : NULL)
		  : reply_stats_json(rep, 200, s);
}

static int handle_api_published(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int64_t total = 0;
	int rc = petition_published(db, 0, 200, &list, &total);
	return rc ? reply_area_error(req, rep, rc, NULL)
		  : reply_json(rep, 200, json_pack("{s:o}", "items", list));
}

/* ---- navigation ---- */

static int64_t overdue_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	int64_t n = 0;
	struct db *db = db_thread();
	if (!db || petition_overdue_count(db, &req->user, &n) != 0)
		return 0;
	return n;
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"source", "来源", PK_TEXT, 0, 0, 10, 0},
	{"overdue", "超期", PK_FLAG, 0, 0, 0, 0},
	{"figure", "统计口径", PK_WORD, 0, 0, 20, 0},
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"as_of", "统计截止日", PK_DATE, 0, 0, 0, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 500, 0},
	PARAM_END,
};

static const struct param_spec new_params[] = {
	{"source", "来源", PK_TEXT, 1, 1, 10, 0},
	{"name", "姓名", PK_TEXT, 0, 0, 100, 0},
	{"id_number", "身份证号", PK_TEXT, 0, 0, 40, 0},
	{"phone", "联系电话", PK_TEXT, 0, 0, 40, 0},
	{"address", "地址", PK_TEXT, 0, 0, 300, 0},
	{"subject", "标题", PK_TEXT, 0, 0, 200, 0},
	{"content", "内容", PK_LONGTEXT, 0, 0, 4000, 0},
	{"received_on", "收到日期", PK_TEXT, 0, 0, 20, 0},
	{"consent", "同意公开", PK_FLAG, 0, 0, 0, 0},
	PARAM_END,
};

static const struct param_spec form_params[] = {
	PARAM_FLASH,
	{"source", "来源", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec step_params[] = {
	{"on", "日期", PK_TEXT, 0, 0, 20, 0},
	{"note", "说明", PK_LONGTEXT, 0, 0, 4000, 0},
	{"org", "承办单位", PK_WORD, 0, 0, 40, 0},
	{"assignee", "承办人", PK_TEXT, 0, 0, 100, 0},
	{"days", "延期天数", PK_TEXT, 0, 0, 10, 0},
	{"of", "原件编号", PK_TEXT, 0, 0, 80, 0},
	{"question", "公开来信", PK_LONGTEXT, 0, 0, 4000, 0},
	{"reply", "公开答复", PK_LONGTEXT, 0, 0, 4000, 0},
	PARAM_END,
};

static const struct param_spec stats_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"as_of", "统计截止日", PK_DATE, 0, 0, 0, 0},
	PARAM_END,
};

#define API ROUTE_API
/* ---- the year's figures as a figure set (web/figures.h) ---- */

static int handle_figures(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &petition_figure_set);
}

static int handle_figures_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &petition_figure_set);
}

#define HANDLE PERM_PETITION_HANDLE
#define READ PERM_PETITION_READ
#define APPROVE PERM_PETITION_APPROVE_EXTENSION

static const struct route routes[] = {
	{"GET", "/petitions", handle_list, READ, 0, list_params, 0},
	{"POST", "/petitions", handle_register, HANDLE, 0, new_params, 0},
	{"GET", "/petitions/new", handle_new, HANDLE, 0, form_params, 0},
	{"GET", "/petitions/stats", handle_stats, READ, 0, stats_params, 0},
	{"GET", "/petition/stats", handle_figures, READ, 0, figures_params, 0},
	{"GET", "/petition/stats/list", handle_figures_list, READ, 0, figures_list_params, 0},
	{"GET", "/petitions/{id}", handle_show, READ, 0, params_flash, 0},
	{"POST", "/petitions/{id}/reveal", handle_reveal, HANDLE, 0, params_none, 0},
	{"POST", "/petitions/{id}/accept", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/reject", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/assign", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/extend", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/extend/approve", handle_step, APPROVE, 0, step_params, 0},
	{"POST", "/petitions/{id}/extend/refuse", handle_step, APPROVE, 0, step_params, 0},
	{"POST", "/petitions/{id}/close", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/reply", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/review", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/review/answer", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/duplicate", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/petitions/{id}/publish", handle_step, HANDLE, 0, step_params, 0},
	{"GET", "/api/v1/petitions", handle_api_list, READ, API, list_params, 0},
	{"POST", "/api/v1/petitions", handle_api_register, HANDLE, API, new_params, 0},
	{"GET", "/api/v1/petitions/stats", handle_api_stats, READ, API, stats_params, 0},
	{"GET", "/api/v1/petitions/published", handle_api_published, READ, API, params_none, 0},
	{"GET", "/api/v1/petitions/{id}", handle_api_show, READ, API, params_none, 0},
	{"POST", "/api/v1/petitions/{id}/reveal", handle_api_reveal, HANDLE, API, params_none, 0},
	{"POST", "/api/v1/petitions/{id}/accept", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/reject", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/assign", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/extend", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/extend/approve", handle_api_step, APPROVE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/extend/refuse", handle_api_step, APPROVE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/close", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/reply", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/review", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/review/answer", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/duplicate", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/petitions/{id}/publish", handle_api_step, HANDLE, API, step_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{36, "/petitions", "信访", PERM_PETITION_READ},
	{0},
};

const struct web_area petitions_web = {
	.name = "petitions",
	.routes = routes,
	.nav = nav,
	.nav_count = overdue_count,
};
