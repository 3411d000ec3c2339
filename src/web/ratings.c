/* ratings.c - the pages and API of 好差评: the list for leaders (差评 open and late, the
 * appeals waiting), a rating with its 回访, 整改 and 申诉复核, the counter's rating form, the
 * applicant's rating from the public tracking page (POST /track/rate), and the counter's
 * statistics with each figure's records (/counter/stats).
 *
 * The public form is protected like the login form: the tracking page (track.c) sets the
 * visitor's form cookie (auth_form_token) and puts its token in the form; the router checks
 * cookie and field are equal (auth_csrf_ok), so another site can't post it. A rating needs
 * the unguessable tracking code, is made once per application, and a client address may
 * post at most RATE_PER_MINUTE a minute. */
#include "web/ratings.h"
#include "web/auth.h"
#include "web/benefit_pages.h"
#include "web/flash.h"
#include "areas/application.h"
#include "areas/rating.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/rate_limit.h"
#include "lib/str.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- the public form's rate limit ---- */

#define RATE_PER_MINUTE 10
#define RATE_SLOTS 1024

static struct rate_limit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void limiter_init(void)
{
	limiter = rate_limit_new(RATE_SLOTS, RATE_PER_MINUTE, 60);
}

/* 0 when ip may post once more now (counted), else the seconds to wait. */
static int rate_wait(const char *ip)
{
	pthread_once(&limiter_once, limiter_init);
	return limiter ? rate_limit_take(limiter, ip, clock_now()) : 0;
}

static void ratings_stop(void)
{
	rate_limit_free(limiter);
	limiter = NULL;
}

/* ---- shared ---- */

static json_t *page_data(void)
{
	return json_object();
}

static json_t *level_choices(const char *selected)
{
	return benefit_choices(rating_levels, RATING_N_LEVELS, selected);
}

/* ---- the list ---- */

static int handle_ratings(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *refused = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &refused, NULL))
		refused = NULL;
	json_t *list = NULL;
	int rc = rating_list(db, &req->user, params_text(req, "filter"), &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	const char *f = json_string_value(json_object_get(list, "filter"));
	json_t *filters = json_array();
	for (int i = 0; i < RATING_N_FILTERS; i++)
		json_array_append_new(filters,
				      json_pack("{s:s,s:s,s:b}", "code", rating_filters[i], "name",
						rating_filter_title(rating_filters[i]), "selected",
						strcmp(f, rating_filters[i]) == 0));
	json_t *data = page_data();
	int days;
	rating_followup_days(db, &days);
	json_object_set_new(data, "followup_days", json_integer(days));
	json_object_set_new(data, "can_decide",
			    json_boolean(perm_allows(req->user.roles, PERM_RATING_DECIDE)));
	json_object_set_new(data, "filters", filters);
	json_object_set_new(data, "list", list);
	if (refused && *refused)
		json_object_set_new(data, "error", json_string(refused));
	return reply_page(req, rep, 200, "ratings/list", "好差评", data);
}

static int handle_api_ratings(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = rating_list(db, &req->user, params_text(req, "filter"), &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

static int handle_settings(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = rating_set_followup_days(db, &req->user, params_text(req, "days"), &fe, err,
					  sizeof(err));
	if (rc == VE_INVALID && reply_form_refused(req, rep, "/ratings", &fe, err, NULL) == 0)
		return 0;
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "差评回访整改期限已保存，此后的差评适用");
	return reply_redirect(rep, "/ratings");
}

/* ---- one rating ---- */

static const char *const form_names[] = {"visit_form", "fix_form", "appeal_form", "decide_form",
					 NULL};

static json_t *form_values(struct request *req, const char *name)
{
	if (strcmp(name, "visit_form") == 0)
		return json_pack("{s:s,s:s,s:s}", "on", params_text(req, "on"), "person",
				 params_text(req, "person"), "note", params_text(req, "note"));
	if (strcmp(name, "fix_form") == 0)
		return json_pack("{s:s,s:s}", "on", params_text(req, "on"), "note",
				 params_text(req, "note"));
	if (strcmp(name, "appeal_form") == 0)
		return json_pack("{s:s}", "reason", params_text(req, "reason"));
	return json_pack("{s:s}", "note", params_text(req, "note"));
}

static int rating_page(struct request *req, struct reply *rep, struct db *db, const char *form_name,
		       json_t *form, const char *refusal)
{
	json_t *r = NULL;
	int rc = rating_get(db, &req->user, req->path_id, &r);
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "评价不存在" : NULL);
	}
	json_t *data = page_data();
	json_object_set_new(data, "rating", r);
	json_object_set_new(data, "today", json_string(clock_today_text()));
	json_object_set_new(data, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_RATING_WRITE)));
	json_object_set_new(data, "can_appeal",
			    json_boolean(perm_allows(req->user.roles, PERM_RATING_APPEAL)));
	json_object_set_new(data, "can_decide",
			    json_boolean(perm_allows(req->user.roles, PERM_RATING_DECIDE)));
	if (form)
		json_object_set_new(data, form_name, form);
	if (refusal && *refusal)
		json_object_set_new(data, "refusal", json_string(refusal));
	char title[96];
	snprintf(title, sizeof(title), "评价：办件 %s",
		 json_string_value(json_object_get(r, "tracking_code")));
	return reply_page(req, rep, 200, "ratings/show", title, data);
}

static int handle_rating(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	json_t *kept = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, &kept))
		return rating_page(req, rep, db, NULL, NULL, NULL);
	const char *name = json_string_value(json_object_get(kept, "form"));
	int rc = (int)json_integer_value(json_object_get(kept, "rc"));
	json_t *form = NULL;
	for (int i = 0; name && form_names[i]; i++)
		if (strcmp(name, form_names[i]) == 0)
			form = benefit_form(form_values(req, form_names[i]));
	if (form)
		benefit_form_refused(form, rc ? rc : VE_INVALID, &fe, err);
	int r = rating_page(req, rep, db, name, form,
			    form ? NULL : (err && *err ? err : err_message(rc ? rc : VE_CONFLICT)));
	json_decref(kept);
	return r;
}

static int handle_api_rating(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *r = NULL;
	int rc = rating_get(db, &req->user, req->path_id, &r);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "评价不存在" : NULL)
		  : reply_json(rep, 200, r);
}

/* A step on the path's rating: 0 done, else refused with fe / err. */
typedef int (*step_fn)(struct request *req, struct db *db, struct field_errors *fe, char *err,
		       size_t errlen);

static int do_visit(struct request *req, struct db *db, struct field_errors *fe, char *err,
		    size_t errlen)
{
	return rating_visit(db, &req->user, req->path_id, params_text(req, "on"),
			    params_text(req, "person"), params_text(req, "note"), fe, err, errlen);
}

static int do_fix(struct request *req, struct db *db, struct field_errors *fe, char *err,
		  size_t errlen)
{
	return rating_fix(db, &req->user, req->path_id, params_text(req, "on"),
			  params_text(req, "note"), fe, err, errlen);
}

static int do_appeal(struct request *req, struct db *db, struct field_errors *fe, char *err,
		     size_t errlen)
{
	return rating_appeal(db, &req->user, req->path_id, params_text(req, "reason"), fe, err,
			     errlen);
}

static int do_decide(struct request *req, struct db *db, struct field_errors *fe, char *err,
		     size_t errlen)
{
	const char *d = params_text(req, "decision");
	int uphold = strcmp(d, "uphold") == 0 ? 1 : strcmp(d, "reject") == 0 ? 0 : -1;
	return rating_appeal_decide(db, &req->user, req->path_id, uphold, params_text(req, "note"),
				    fe, err, errlen);
}

static int page_step(struct request *req, struct reply *rep, step_fn fn, const char *form_name,
		     const char *done)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int rc = fn(req, db, &fe, err, sizeof(err));
	char where[64];
	snprintf(where, sizeof(where), "/ratings/%lld", (long long)req->path_id);
	if (!rc) {
		reply_flash(rep, "ok", done);
		return reply_redirect(rep, where);
	}
	if (rc != VE_INVALID && rc != VE_CONFLICT)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "评价不存在" : err);
	json_t *kept = json_pack("{s:i}", "rc", rc);
	if (rc == VE_INVALID)
		json_object_set_new(kept, "form", json_string(form_name));
	int k = reply_form_refused(req, rep, where, &fe, *err ? err : NULL, kept);
	json_decref(kept);
	if (k == 0)
		return 0;
	json_t *form = NULL;
	if (rc == VE_INVALID) {
		form = benefit_form(form_values(req, form_name));
		benefit_form_refused(form, rc, &fe, err);
	}
	return rating_page(req, rep, db, form_name, form, form ? NULL : err);
}

static int api_step(struct request *req, struct reply *rep, step_fn fn)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int rc = fn(req, db, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *r = NULL;
	rc = rating_get(db, &req->user, req->path_id, &r);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, r);
}

static int handle_visit(struct request *req, struct reply *rep)
{
	return page_step(req, rep, do_visit, "visit_form", "回访已登记");
}
static int handle_fix(struct request *req, struct reply *rep)
{
	return page_step(req, rep, do_fix, "fix_form", "整改已登记");
}
static int handle_appeal(struct request *req, struct reply *rep)
{
	return page_step(req, rep, do_appeal, "appeal_form", "申诉已提交，待领导复核");
}
static int handle_decide(struct request *req, struct reply *rep)
{
	return page_step(req, rep, do_decide, "decide_form", "复核结论已登记");
}
static int handle_api_visit(struct request *req, struct reply *rep)
{
	return api_step(req, rep, do_visit);
}
static int handle_api_fix(struct request *req, struct reply *rep)
{
	return api_step(req, rep, do_fix);
}
static int handle_api_appeal(struct request *req, struct reply *rep)
{
	return api_step(req, rep, do_appeal);
}
static int handle_api_decide(struct request *req, struct reply *rep)
{
	return api_step(req, rep, do_decide);
}

/* ---- a rating made at the counter ---- */

/* Without an application: the form that finds one by its tracking code. */
static int code_page(struct request *req, struct reply *rep, const char *code, const char *error)
{
	json_t *data = json_pack("{s:s}", "code", code);
	if (error)
		json_object_set_new(data, "error", json_string(error));
	return reply_page(req, rep, 200, "ratings/find", "登记办件评价", data);
}

static int new_page(struct request *req, struct reply *rep, struct db *db, json_t *form)
{
	int64_t app = params_int(req, "application", 0);
	const char *code = params_text(req, "code");
	struct application_brief b;
	if (!app && !*code)
		return code_page(req, rep, "", NULL);
	if (!app) {
		int found = application_by_code(db, code, &b);
		if (found == VE_NOTFOUND)
			return code_page(req, rep, code, "查询码：没有这个查询码的办件");
		if (found)
			return reply_area_error(req, rep, found, NULL);
		app = b.id;
	}
	int rc = application_brief(db, &req->user, app, &b);
	if (rc == VE_NOTFOUND && *code)
		return code_page(req, rep, code, "查询码：没有这个查询码的办件");
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "办件不存在" : NULL);
	}
	json_t *existing = NULL;
	if (rating_get_by_application(db, &req->user, app, &existing) == 0) {
		json_decref(form);
		char where[64];
		snprintf(where, sizeof(where), "/ratings/%lld",
			 (long long)json_integer_value(json_object_get(existing, "id")));
		json_decref(existing);
		return reply_redirect(rep, where);
	}
	json_t *data = page_data();
	json_object_set_new(data, "application",
			    json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)b.id, "tracking_code",
				      b.tracking_code, "item_name", b.item_name, "status",
				      b.status));
	json_object_set_new(data, "levels",
			    level_choices(form ? json_string_value(json_object_get(
							 json_object_get(form, "values"), "level"))
					       : NULL));
	if (form)
		json_object_set_new(data, "form", form);
	return reply_page(req, rep, 200, "ratings/new", "登记办件评价", data);
}

static int handle_rating_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, NULL))
		return new_page(req, rep, db, NULL);
	json_t *form = benefit_form(json_pack("{s:s,s:s}", "level", params_text(req, "level"),
					      "comment", params_text(req, "comment")));
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return new_page(req, rep, db, form);
}

static int make(struct request *req, struct db *db, int64_t *id, struct field_errors *fe, char *err,
		size_t errlen)
{
	return rating_make(db, &req->user, params_int(req, "application", 0),
			   params_text(req, "level"), params_text(req, "comment"), id, fe, err,
			   errlen);
}

static int handle_rating_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = make(req, db, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		char where[64];
		snprintf(where, sizeof(where), "/ratings/new?application=%lld",
			 (long long)params_int(req, "application", 0));
		if (reply_form_refused(req, rep, where, &fe, err, NULL) == 0)
			return 0;
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/ratings/%lld", (long long)id);
	reply_flash(rep, "ok", "评价已登记");
	return reply_redirect(rep, where);
}

static int handle_api_rating_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = make(req, db, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	json_t *r = NULL;
	rc = rating_get(db, &req->user, id, &r);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 201, r);
}

/* ---- the applicant's rating on the tracking page ---- */

/* The public form's token: the session's for a signed-in visitor (auth_csrf_ok), or the
 * visitor's form cookie equal to the field, whoever posts (the tracking page hands out the
 * form cookie even to a signed-in visitor: it does not look the session up). */
static int rate_token_ok(const struct request *req)
{
	if (auth_csrf_ok(req))
		return 1;
	char cookie[65];
	const char *given = req->csrf_header ? req->csrf_header : req_param(req, "csrf");
	if (!given || !req->cookie ||
	    http_cookie(req->cookie, AUTH_FORM_COOKIE, cookie, sizeof(cookie)) != 0 ||
	    strlen(cookie) != 64 || strlen(given) != 64)
		return 0;
	return crypto_equal(given, cookie, 64);
}

static int handle_track_rate(struct request *req, struct reply *rep)
{
	if (!rate_token_ok(req))
		return reply_error(req, rep, 403, "csrf", "页面已过期或请求来源无效，请刷新后重试");
	const char *code = params_text(req, "code");
	char normal[TRACK_CODE_LEN + 1], where[96];
	if (track_code_normalize(code, normal) != 0)
		return reply_error(req, rep, 404, "not_found", "查询码无效");
	snprintf(where, sizeof(where), "/track?code=%s", normal);
	int wait = rate_wait(req->ip);
	if (wait) {
		rep->retry_after = wait;
		return reply_error(req, rep, 429, "too_many_requests", "提交过于频繁，请稍后再试");
	}
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = rating_make_public(db, normal, params_text(req, "level"),
				    params_text(req, "comment"), req->ip, &id, &fe, err,
				    sizeof(err));
	if (rc == VE_NOTFOUND || rc == VE_DB)
		return reply_area_error(req, rep, rc, err);
	if (req->is_api)
		return rc ? reply_api_refused(req, rep, rc, &fe, err)
			  : reply_json(rep, 201,
				       json_pack("{s:s,s:s}", "tracking_code", normal, "level",
						 params_text(req, "level")));
	if (rc) /* the page holds no refused form: the reason, and the way back */
		return reply_area_error(req, rep, rc, fe.n ? field_errors_first(&fe, err) : err);
	return reply_redirect(rep, where);
}

void ratings_track_part(struct request *req, struct reply *rep, struct db *db, const char *code,
			json_t *data)
{
	struct application_brief b;
	json_t *r = NULL;
	if (application_by_code(db, code, &b) != 0 || rating_of(db, b.id, &r) != 0)
		return;
	int open = json_is_null(r) && !application_status_open(b.status);
	json_object_set_new(data, "rating", r);
	json_object_set_new(data, "rating_open", json_boolean(open));
	json_object_set_new(data, "rating_code", json_string(b.tracking_code));
	if (open) {
		json_object_set_new(data, "rating_levels", level_choices(NULL));
		if (!req->signed_in)
			auth_form_token(req, rep);
	}
}

/* ---- the counter's statistics ---- */

static int stats_period(struct request *req, int *year)
{
	int64_t y = params_int(req, "year", 0);
	if (!y) {
		char t[5];
		str_copy(t, clock_today_text(), sizeof(t));
		str_to_i64(t, 4, 1950, 2100, &y);
	}
	*year = (int)y;
	return 0;
}

static int handle_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year;
	stats_period(req, &year);
	json_t *s = NULL;
	int rc = rating_counter_stats(db, &req->user, year, params_text(req, "as_of"), &s);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *figures = json_array();
	for (int i = 0; i < RATING_N_FIGURES; i++) {
		const char *f = rating_figures[i];
		json_t *v = i >= 5 && i < 10 ? json_object_get(json_object_get(s, "ratings"),
							       rating_levels[i - 5])
					     : json_object_get(s, f);
		json_array_append_new(figures, json_pack("{s:s,s:s,s:O}", "figure", f, "title",
							 rating_figure_title(f), "value", v));
	}
	json_t *data = page_data();
	json_object_set_new(data, "stats", s);
	json_object_set_new(data, "figures", figures);
	return reply_page(req, rep, 200, "ratings/stats", "窗口办件统计", data);
}

static int handle_api_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year;
	stats_period(req, &year);
	json_t *s = NULL;
	int rc = rating_counter_stats(db, &req->user, year, params_text(req, "as_of"), &s);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, s);
}

static int stats_list(struct request *req, struct db *db, json_t **out)
{
	int year;
	stats_period(req, &year);
	const char *figure = params_text(req, "figure");
	return rating_counter_list(db, &req->user, year, params_text(req, "as_of"),
				   *figure ? figure : "accepted", out);
}

static int handle_stats_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *l = NULL;
	int rc = stats_list(req, db, &l);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "没有这项统计" : NULL);
	char title[128];
	snprintf(title, sizeof(title), "%s（%d 年）",
		 json_string_value(json_object_get(l, "title")),
		 (int)json_integer_value(json_object_get(l, "year")));
	json_t *data = page_data();
	json_object_set_new(data, "list", l);
	json_object_set_new(
		data, "crumbs",
		json_pack("[{s:s,s:s}]", "title", "窗口办件统计", "href", "/counter/stats"));
	return reply_page(req, rep, 200, "ratings/stats_list", title, data);
}

static int handle_api_stats_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *l = NULL;
	int rc = stats_list(req, db, &l);
	return rc ? reply_area_error(req, rep, rc, rc == VE_INVALID ? "没有这项统计" : NULL)
		  : reply_json(rep, 200, l);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"filter", "筛选", PK_WORD, 0, 0, 12, 0},
	PARAM_END,
};
static const struct param_spec list_page_params[] = {
	{"filter", "筛选", PK_WORD, 0, 0, 12, 0},
	PARAM_FLASH,
	PARAM_END,
};
static const struct param_spec settings_params[] = {
	{"days", "跟进期限", PK_TEXT, 1, 1, 10, 0},
	PARAM_END,
};
static const struct param_spec new_params[] = {
	{"application", "办件", PK_INT, 0, 1, INT64_MAX, 0},
	{"code", "查询码", PK_TEXT, 0, 0, 40, 0},
	PARAM_FLASH,
	PARAM_END,
};
static const struct param_spec create_params[] = {
	{"application", "办件", PK_INT, 1, 1, INT64_MAX, 0},
	{"level", "等级", PK_TEXT, 0, 0, 10, 0},
	{"comment", "意见", PK_LONGTEXT, 0, 0, 400, 0},
	PARAM_END,
};
static const struct param_spec rate_params[] = {
	{"code", "查询码", PK_TEXT, 1, 1, 40, 0},
	{"level", "等级", PK_TEXT, 0, 0, 10, 0},
	{"comment", "意见", PK_LONGTEXT, 0, 0, 400, 0},
	PARAM_END,
};
static const struct param_spec visit_params[] = {
	{"on", "回访日期", PK_TEXT, 0, 0, 20, 0},
	{"person", "回访人", PK_TEXT, 0, 0, 100, 0},
	{"note", "回访情况", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};
static const struct param_spec fix_params[] = {
	{"on", "整改日期", PK_TEXT, 0, 0, 20, 0},
	{"note", "整改情况", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};
static const struct param_spec appeal_params[] = {
	{"reason", "申诉理由", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};
static const struct param_spec decide_params[] = {
	{"decision", "复核结论", PK_WORD, 0, 0, 10, 0},
	{"note", "复核意见", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};
static const struct param_spec stats_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"as_of", "截止日期", PK_DATE, 0, 0, 0, 0},
	PARAM_END,
};
static const struct param_spec stats_list_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"as_of", "截止日期", PK_DATE, 0, 0, 0, 0},
	{"figure", "统计项", PK_WORD, 0, 0, 32, 0},
	PARAM_END,
};

#define API ROUTE_API
#define PUBLIC ROUTE_PUBLIC

static const struct route routes[] = {
	{"GET", "/ratings", handle_ratings, PERM_RATING_READ, 0, list_page_params, 0},
	{"POST", "/ratings/settings", handle_settings, PERM_RATING_DECIDE, 0, settings_params, 0},
	{"GET", "/ratings/new", handle_rating_new, PERM_RATING_WRITE, 0, new_params, 0},
	{"POST", "/ratings", handle_rating_create, PERM_RATING_WRITE, 0, create_params, 0},
	{"GET", "/ratings/{id}", handle_rating, PERM_RATING_READ, 0, params_flash, 0},
	{"POST", "/ratings/{id}/visit", handle_visit, PERM_RATING_WRITE, 0, visit_params, 0},
	{"POST", "/ratings/{id}/fix", handle_fix, PERM_RATING_WRITE, 0, fix_params, 0},
	{"POST", "/ratings/{id}/appeal", handle_appeal, PERM_RATING_APPEAL, 0, appeal_params, 0},
	{"POST", "/ratings/{id}/decide", handle_decide, PERM_RATING_DECIDE, 0, decide_params, 0},
	{"POST", "/track/rate", handle_track_rate, NULL, PUBLIC | ROUTE_KNOWS_USER | ROUTE_NO_CSRF,
	 rate_params, 0},
	{"POST", "/track/rate", handle_track_rate, NULL, PUBLIC | ROUTE_PORTAL | ROUTE_NO_CSRF,
	 rate_params, 0},
	{"GET", "/counter/stats", handle_stats, PERM_COUNTER_STATS, 0, stats_params, 0},
	{"GET", "/counter/stats/list", handle_stats_list, PERM_COUNTER_STATS, 0, stats_list_params,
	 0},
	{"GET", "/api/v1/ratings", handle_api_ratings, PERM_RATING_READ, API, list_params, 0},
	{"POST", "/api/v1/ratings", handle_api_rating_create, PERM_RATING_WRITE, API, create_params,
	 0},
	{"GET", "/api/v1/ratings/{id}", handle_api_rating, PERM_RATING_READ, API, params_none, 0},
	{"POST", "/api/v1/ratings/{id}/visit", handle_api_visit, PERM_RATING_WRITE, API,
	 visit_params, 0},
	{"POST", "/api/v1/ratings/{id}/fix", handle_api_fix, PERM_RATING_WRITE, API, fix_params, 0},
	{"POST", "/api/v1/ratings/{id}/appeal", handle_api_appeal, PERM_RATING_APPEAL, API,
	 appeal_params, 0},
	{"POST", "/api/v1/ratings/{id}/decide", handle_api_decide, PERM_RATING_DECIDE, API,
	 decide_params, 0},
	{"GET", "/api/v1/counter/stats", handle_api_stats, PERM_COUNTER_STATS, API, stats_params,
	 0},
	{"GET", "/api/v1/counter/stats/list", handle_api_stats_list, PERM_COUNTER_STATS, API,
	 stats_list_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{32, "/ratings", "好差评", PERM_RATING_READ},
	{33, "/counter/stats", "办件统计", PERM_COUNTER_STATS},
	{0},
};

const struct web_area ratings_web = {
	.name = "ratings",
	.routes = routes,
	.nav = nav,
	.stop = ratings_stop,
};
