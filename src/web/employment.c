/* employment.c - the pages of 就业创业: the fairs (a fair's enterprises and positions, the
 * organisers' sheet uploaded on its page, a position added by hand), the enterprises, the
 * seekers (registered from the registry, the positions fitting each, the outcome), a position
 * with the seekers fitting it, the year's figures (web/figures.h), and the matching's API.
 *
 * The area (employment*.c) checks everything and keeps scope: a station sees its street's
 * fairs and seekers, another street's is "not found". */
#include "web/figures.h"
#include "web/flash.h"
#include "web/multipart.h"
#include "web/route.h"
#include "areas/employment.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_PAGE 20
#define MATCHES 30
#define UPLOAD_MAX (5 * 1024 * 1024)
/* What the import route takes in: twice the limit, so that a file somewhat over it reaches
 * the handler and is refused there saying the limit, rather than as a bare 过大. */
#define UPLOAD_BODY_MAX (2 * UPLOAD_MAX + 64 * 1024)

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

static int this_year(void)
{
	return atoi(clock_today_text());
}

static json_t *years_around(int selected)
{
	json_t *a = json_array();
	int now = this_year();
	for (int y = now; y >= now - 5; y--)
		json_array_append_new(a,
				      json_pack("{s:i,s:b}", "year", y, "selected", y == selected));
	return a;
}

static int can_manage(const struct request *req)
{
	return perm_allows(req->user.roles, PERM_EMPLOYMENT_MANAGE);
}

/* Refuses a form: back to its page with what was typed (or the page itself when it can't keep it).
 */
static int refuse(struct request *req, struct reply *rep, int rc, const char *url,
		  const struct field_errors *fe, const char *err)
{
	if ((rc == VE_INVALID || rc == VE_CONFLICT) &&
	    reply_form_refused(req, rep, url, fe, err, NULL) == 0)
		return 0;
	return reply_area_error(req, rep, rc, err);
}

/* ---- fairs ---- */

static int handle_fairs(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", this_year());
	int64_t page = params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = employment_fair_list(db, &req->user, year, page, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	char href[64];
	snprintf(href, sizeof(href), "/employment?year=%d&", year);
	json_t *data = json_pack("{s:i,s:o,s:b}", "year", year, "years", years_around(year),
				 "can_manage", can_manage(req));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(list, "total")), href));
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_decref(list);
	return reply_page(req, rep, 200, "employment/fairs", "就业创业", data);
}

static void fair_in_of(struct request *req, struct employment_fair_in *in)
{
	in->name = params_text(req, "name");
	in->kind = params_text(req, "kind");
	in->held_on = params_text(req, "held_on");
	in->place = params_text(req, "place");
}

static int handle_fair_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	json_t *data = json_pack("{s:o,s:{s:s,s:s,s:s}}", "kinds",
				 choices(employment_fair_kinds, EMPLOYMENT_N_KINDS,
					 restored ? params_text(req, "kind") : "线下"),
				 "values", "name", params_text(req, "name"), "held_on",
				 restored ? params_text(req, "held_on") : clock_today_text(),
				 "place", params_text(req, "place"));
	if (restored)
		json_object_set_new(data, "errors", errors_json(&fe, err));
	return reply_page(req, rep, 200, "employment/fair_new", "新建招聘会", data);
}

static int handle_fair_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_fair_in in;
	fair_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = employment_fair_save(db, &req->user, 0, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, "/employment/fairs/new", &fe, err);
	reply_flash(rep, "ok", "招聘会已建立：请导入或添加参会企业和岗位");
	char to[64];
	snprintf(to, sizeof(to), "/employment/fairs/%lld", (long long)id);
	return reply_redirect(rep, to);
}

static int handle_fair(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	json_t *fair = NULL;
	int rc = employment_fair_get(db, &req->user, req->path_id, &fair);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "招聘会不存在" : NULL);
	/* the edit form: what was typed when refused, else the fair */
	const char *form = restored ? params_text(req, "which") : "";
	int editing = strcmp(form, "edit") == 0;
	const char *kind = editing ? params_text(req, "kind")
				   : json_string_value(json_object_get(fair, "kind"));
	json_t *data = json_pack("{s:O,s:o,s:b,s:o}", "fair", fair, "kinds",
				 choices(employment_fair_kinds, EMPLOYMENT_N_KINDS, kind),
				 "can_manage", can_manage(req), "columns", json_array());
	for (int i = 0; i < EMPLOYMENT_SHEET_COLUMNS; i++)
		json_array_append_new(json_object_get(data, "columns"),
				      json_pack("{s:s,s:b}", "name", employment_sheet_columns[i],
						"needed", i < 4));
	json_object_set_new(
		data, "edit",
		editing ? json_pack("{s:s,s:s,s:s}", "name", params_text(req, "name"), "held_on",
				    params_text(req, "held_on"), "place", params_text(req, "place"))
			: json_pack("{s:O,s:O,s:O}", "name", json_object_get(fair, "name"),
				    "held_on", json_object_get(fair, "held_on"), "place",
				    json_object_get(fair, "place")));
	json_object_set_new(
		data, "position",
		json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "uscc", params_text(req, "uscc"),
			  "enterprise", params_text(req, "enterprise"), "title",
			  params_text(req, "title"), "headcount", params_text(req, "headcount"),
			  "pay_min", params_text(req, "pay_min"), "pay_max",
			  params_text(req, "pay_max"), "requirements",
			  params_text(req, "requirements"), "street", params_text(req, "street")));
	if (restored && !*form) /* the sheet's report, one line a fault */
		json_object_set_new(data, "import_error", json_string(err ? err : ""));
	else if (restored) {
		json_object_set_new(data, "form", json_string(form));
		json_object_set_new(data, "errors", errors_json(&fe, err));
	}
	char title[256];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(fair, "name")));
	json_decref(fair);
	return reply_page(req, rep, 200, "employment/fair", title, data);
}

static int handle_fair_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_fair_in in;
	fair_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "", url[64];
	int64_t id = req->path_id;
	snprintf(url, sizeof(url), "/employment/fairs/%lld", (long long)req->path_id);
	int rc =
		employment_fair_save(db, &req->user, req->path_id, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, url, &fe, err);
	reply_flash(rep, "ok", "招聘会已修改");
	return reply_redirect(rep, url);
}

static int handle_fair_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char path[64], why[200], url[64], message[4200];
	char *err = malloc(4000);
	if (!err)
		return reply_area_error(req, rep, VE_INTERNAL, NULL);
	err[0] = '\0';
	snprintf(url, sizeof(url), "/employment/fairs/%lld", (long long)req->path_id);
	int rc = VE_INVALID;
	if (file && file->len > UPLOAD_MAX) {
		snprintf(
			message, sizeof(message),
			"文件未导入：文件大小 %.1f MB，超过 %d MB 的上限。请删去空行、图片和其他工作表后重新上传",
			(double)file->len / (1024.0 * 1024.0), UPLOAD_MAX / (1024 * 1024));
	} else if (page_save_upload(file, path, why, sizeof(why)) != 0) {
		snprintf(message, sizeof(message), "%s", why);
	} else {
		struct employment_import_result r;
		rc = employment_fair_import(db, &req->user, req->path_id, path, &r, err, 4000);
		unlink(path);
		if (rc == 0) {
			snprintf(
				message, sizeof(message),
				"已导入 %lld 行：参会企业 %lld 家（新企业 %lld 家），岗位 %lld 个，招聘 %lld 人",
				(long long)r.rows, (long long)r.enterprises,
				(long long)r.new_enterprises, (long long)r.positions,
				(long long)r.headcount);
			free(err);
			reply_flash(rep, "ok", message);
			return reply_redirect(rep, url);
		}
		snprintf(message, sizeof(message), "文件未导入，请改正后重新上传：\n%s",
			 *err ? err : err_message(rc));
	}
	free(err);
	if (rc == VE_NOTFOUND || rc == VE_DB || rc == VE_DENIED)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "招聘会不存在" : message);
	if (reply_form_refused(req, rep, url, NULL, message, NULL) == 0)
		return 0;
	return reply_area_error(req, rep, rc, message);
}

static int handle_position_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_position_in in = {
		params_text(req, "uscc"),         params_text(req, "enterprise"),
		params_text(req, "title"),        params_text(req, "headcount"),
		params_text(req, "pay_min"),      params_text(req, "pay_max"),
		params_text(req, "requirements"), params_text(req, "street")};
	struct field_errors fe = {0};
	char err[256] = "", url[64];
	snprintf(url, sizeof(url), "/employment/fairs/%lld", (long long)req->path_id);
	int rc = employment_position_add(db, &req->user, req->path_id, &in, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, url, &fe, err);
	reply_flash(rep, "ok", "岗位已添加");
	return reply_redirect(rep, url);
}

/* ---- a position ---- */

static int handle_position(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *p = NULL, *matches = NULL;
	int rc = employment_position_get(db, &req->user, req->path_id, &p);
	if (!rc)
		rc = employment_position_matches(db, &req->user, req->path_id, MATCHES, &matches);
	if (rc) {
		json_decref(p);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "岗位不存在" : NULL);
	}
	char title[256], fair_href[64];
	snprintf(title, sizeof(title), "%s（%s）", json_string_value(json_object_get(p, "title")),
		 json_string_value(json_object_get(p, "enterprise")));
	snprintf(fair_href, sizeof(fair_href), "/employment/fairs/%lld",
		 (long long)json_integer_value(json_object_get(p, "fair_id")));
	json_t *data = json_pack("{s:o,s:o,s:b}", "position", p, "matches", matches, "can_manage",
				 can_manage(req));
	json_object_set_new(
		data, "crumbs",
		json_pack("[{s:O,s:s}]", "title", json_object_get(p, "fair"), "href", fair_href));
	return reply_page(req, rep, 200, "employment/position", title, data);
}

/* ---- enterprises ---- */

static int handle_enterprises(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	const char *q = restored ? "" : params_text(req, "q");
	int64_t page = restored ? 1 : params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = employment_enterprise_list(db, &req->user, q, page, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	struct buf href;
	buf_init(&href, 256);
	buf_puts(&href, "/employment/enterprises?");
	page_query_add(&href, "q", q);
	json_t *data = json_pack("{s:s,s:b}", "q", q, "can_manage", can_manage(req));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_decref(list);
	json_object_set_new(data, "values",
			    json_pack("{s:s,s:s,s:s}", "uscc",
				      restored ? params_text(req, "uscc") : "", "name",
				      restored ? params_text(req, "name") : "", "street",
				      restored ? params_text(req, "street") : ""));
	if (restored)
		json_object_set_new(data, "errors", errors_json(&fe, err));
	return reply_page(req, rep, 200, "employment/enterprises", "企业名录", data);
}

static int handle_enterprise_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_enterprise_in in = {params_text(req, "uscc"), params_text(req, "name"),
					      params_text(req, "street")};
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = employment_enterprise_save(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, "/employment/enterprises", &fe, err);
	char to[64];
	snprintf(to, sizeof(to), "/employment/enterprises/%lld", (long long)id);
	reply_flash(rep, "ok", "企业已保存");
	return reply_redirect(rep, to);
}

static int handle_enterprise(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *e = NULL;
	int rc = employment_enterprise_get(db, &req->user, req->path_id, &e);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "企业不存在" : NULL);
	char title[256];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(e, "name")));
	json_t *data = json_pack("{s:o}", "enterprise", e);
	json_object_set_new(
		data, "crumbs",
		json_pack("[{s:s,s:s}]", "title", "企业名录", "href", "/employment/enterprises"));
	return reply_page(req, rep, 200, "employment/enterprise", title, data);
}

/* ---- seekers ---- */

static int handle_seekers(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *status = params_text(req, "status");
	int64_t page = params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = employment_seeker_list(db, &req->user, status, page, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	struct buf href;
	buf_init(&href, 256);
	buf_puts(&href, "/employment/seekers?");
	page_query_add(&href, "status", status);
	json_t *data = json_pack("{s:o,s:b}", "statuses",
				 choices(employment_statuses, EMPLOYMENT_N_STATUSES, status),
				 "can_manage", can_manage(req));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_object_set(data, "items", json_object_get(list, "items"));
	json_object_set(data, "total", json_object_get(list, "total"));
	json_decref(list);
	return reply_page(req, rep, 200, "employment/seekers", "求职登记", data);
}

static int handle_seeker_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	json_t *data = json_pack(
		"{s:{s:s,s:s,s:s,s:s,s:s}}", "values", "person_id", params_text(req, "person_id"),
		"intention", params_text(req, "intention"), "skills", params_text(req, "skills"),
		"registered_on", restored ? params_text(req, "registered_on") : clock_today_text(),
		"note", params_text(req, "note"));
	if (restored)
		json_object_set_new(data, "errors", errors_json(&fe, err));
	json_object_set_new(
		data, "crumbs",
		json_pack("[{s:s,s:s}]", "title", "求职登记", "href", "/employment/seekers"));
	return reply_page(req, rep, 200, "employment/seeker_new", "登记求职", data);
}

static int handle_seeker_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_seeker_in in = {params_text(req, "person_id"),
					  params_text(req, "intention"), params_text(req, "skills"),
					  params_text(req, "registered_on"),
					  params_text(req, "note")};
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = employment_seeker_register(db, &req->user, &in, 0, &id, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, "/employment/seekers/new", &fe, err);
	char to[64];
	snprintf(to, sizeof(to), "/employment/seekers/%lld", (long long)id);
	reply_flash(rep, "ok", "求职登记已保存");
	return reply_redirect(rep, to);
}

static int handle_seeker(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	json_t *s = NULL, *matches = NULL;
	int rc = employment_seeker_get(db, &req->user, req->path_id, &s);
	if (!rc)
		rc = employment_seeker_matches(db, &req->user, req->path_id, MATCHES, &matches);
	if (rc) {
		json_decref(s);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "求职登记不存在" : NULL);
	}
	char title[256], from[11], to[11];
	snprintf(title, sizeof(title), "求职登记：%s",
		 json_string_value(json_object_get(s, "name")));
	employment_match_window(json_string_value(json_object_get(s, "registered_on")), from, to);
	json_t *data = json_pack(
		"{s:o,s:o,s:b,s:b,s:b}", "seeker", s, "matches", matches, "can_manage",
		can_manage(req), "hired",
		strcmp(json_string_value(json_object_get(s, "status")), EMPLOYMENT_HIRED) == 0,
		"seeking",
		strcmp(json_string_value(json_object_get(s, "status")), EMPLOYMENT_SEEKING) == 0);
	json_object_set_new(data, "window", json_pack("{s:s,s:s}", "from", from, "to", to));
	json_object_set_new(
		data, "hire",
		json_pack("{s:s,s:s,s:s,s:s}", "position_id", params_text(req, "position_id"),
			  "uscc", params_text(req, "uscc"), "title", params_text(req, "title"),
			  "hired_on",
			  restored ? params_text(req, "hired_on") : clock_today_text()));
	if (restored)
		json_object_set_new(data, "errors", errors_json(&fe, err));
	json_object_set_new(
		data, "crumbs",
		json_pack("[{s:s,s:s}]", "title", "求职登记", "href", "/employment/seekers"));
	return reply_page(req, rep, 200, "employment/seeker", title, data);
}

static int handle_hire(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct employment_hire_in in = {params_text(req, "position_id"), params_text(req, "uscc"),
					params_text(req, "title"), params_text(req, "hired_on")};
	struct field_errors fe = {0};
	char err[256] = "", url[64];
	snprintf(url, sizeof(url), "/employment/seekers/%lld", (long long)req->path_id);
	int rc =
		employment_seeker_hire(db, &req->user, req->path_id, &in, 0, &fe, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, url, &fe, err);
	reply_flash(rep, "ok", "就业结果已登记");
	return reply_redirect(rep, url);
}

/* A seeker's step that takes nothing but the seeker (unhire, withdraw), then back to him. */
static int seeker_step(struct request *req, struct reply *rep,
		       int (*step)(struct db *, const struct principal *, int64_t, char *, size_t),
		       const char *done)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "", url[64];
	snprintf(url, sizeof(url), "/employment/seekers/%lld", (long long)req->path_id);
	int rc = step(db, &req->user, req->path_id, err, sizeof(err));
	if (rc)
		return refuse(req, rep, rc, url, NULL, err);
	reply_flash(rep, "ok", done);
	return reply_redirect(rep, url);
}

static int handle_unhire(struct request *req, struct reply *rep)
{
	return seeker_step(req, rep, employment_seeker_unhire, "就业结果已撤销，该人员恢复为求职中");
}

static int handle_withdraw(struct request *req, struct reply *rep)
{
	return seeker_step(req, rep, employment_seeker_withdraw, "求职登记已退出");
}

/* ---- the API of matching ---- */

static int handle_api_seeker_matches(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *m = NULL;
	int rc = employment_seeker_matches(db, &req->user, req->path_id, MATCHES, &m);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "求职登记不存在" : NULL)
		  : reply_json(rep, 200, json_pack("{s:o}", "items", m));
}

static int handle_api_position_matches(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *m = NULL;
	int rc = employment_position_matches(db, &req->user, req->path_id, MATCHES, &m);
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "岗位不存在" : NULL)
		  : reply_json(rep, 200, json_pack("{s:o}", "items", m));
}

/* ---- the year's figures ---- */

static int handle_stats(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &employment_figures);
}

static int handle_stats_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &employment_figures);
}

/* ---- the routes ---- */

static const struct param_spec fairs_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec fair_params[] = {
	{"which", "表单", PK_WORD, 0, 0, 10, 0},  {"name", "名称", PK_TEXT, 1, 1, 200, 0},
	{"kind", "形式", PK_TEXT, 0, 0, 10, 0},   {"held_on", "举办日期", PK_TEXT, 0, 0, 20, 0},
	{"place", "地点", PK_TEXT, 0, 0, 200, 0}, PARAM_END,
};

static const struct param_spec upload_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, UPLOAD_BODY_MAX, 0},
	PARAM_END,
};

static const struct param_spec position_params[] = {
	{"which", "表单", PK_WORD, 0, 0, 10, 0},
	{"uscc", "统一社会信用代码", PK_TEXT, 1, 1, 40, 0},
	{"enterprise", "企业名称", PK_TEXT, 0, 0, 200, 0},
	{"title", "岗位名称", PK_TEXT, 0, 0, 200, 0},
	{"headcount", "招聘人数", PK_TEXT, 0, 0, 20, 0},
	{"pay_min", "月薪下限（元）", PK_TEXT, 0, 0, 20, 0},
	{"pay_max", "月薪上限（元）", PK_TEXT, 0, 0, 20, 0},
	{"requirements", "岗位要求", PK_LONGTEXT, 0, 0, 400, 0},
	{"street", "所在街道", PK_TEXT, 0, 0, 40, 0},
	PARAM_END,
};

static const struct param_spec enterprises_params[] = {
	PARAM_FLASH,
	{"q", "企业名称或代码", PK_TEXT, 0, 0, 100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec enterprise_params[] = {
	{"uscc", "统一社会信用代码", PK_TEXT, 1, 1, 40, 0},
	{"name", "企业名称", PK_TEXT, 0, 0, 200, 0},
	{"street", "所在街道", PK_TEXT, 0, 0, 40, 0},
	PARAM_END,
};

static const struct param_spec seekers_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec seeker_new_params[] = {
	PARAM_FLASH,
	{"person_id", "人员编号", PK_TEXT, 0, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec seeker_params[] = {
	{"person_id", "人员编号", PK_TEXT, 1, 1, 20, 0},
	{"intention", "求职意向", PK_TEXT, 0, 0, 200, 0},
	{"skills", "技能", PK_TEXT, 0, 0, 200, 0},
	{"registered_on", "登记日期", PK_TEXT, 0, 0, 20, 0},
	{"note", "备注", PK_LONGTEXT, 0, 0, 1000, 0},
	PARAM_END,
};

static const struct param_spec hire_params[] = {
	{"position_id", "岗位", PK_TEXT, 0, 0, 20, 0},
	{"uscc", "统一社会信用代码", PK_TEXT, 0, 0, 40, 0},
	{"title", "岗位名称", PK_TEXT, 0, 0, 200, 0},
	{"hired_on", "就业日期", PK_TEXT, 1, 1, 20, 0},
	PARAM_END,
};

#define READ PERM_EMPLOYMENT_READ
#define MANAGE PERM_EMPLOYMENT_MANAGE
#define API ROUTE_API

static const struct route routes[] = {
	{"GET", "/employment", handle_fairs, READ, 0, fairs_params, 0},
	{"GET", "/employment/stats", handle_stats, READ, 0, figures_params, 0},
	{"GET", "/employment/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
	{"GET", "/employment/fairs/new", handle_fair_new, MANAGE, 0, params_flash, 0},
	{"POST", "/employment/fairs", handle_fair_create, MANAGE, 0, fair_params, 0},
	{"GET", "/employment/fairs/{id}", handle_fair, READ, 0, params_flash, 0},
	{"POST", "/employment/fairs/{id}", handle_fair_update, MANAGE, 0, fair_params, 0},
	{"POST", "/employment/fairs/{id}/import", handle_fair_import, MANAGE, 0, upload_params,
	 UPLOAD_BODY_MAX},
	{"POST", "/employment/fairs/{id}/positions", handle_position_add, MANAGE, 0,
	 position_params, 0},
	{"GET", "/employment/positions/{id}", handle_position, READ, 0, params_none, 0},
	{"GET", "/employment/enterprises", handle_enterprises, READ, 0, enterprises_params, 0},
	{"POST", "/employment/enterprises", handle_enterprise_save, MANAGE, 0, enterprise_params,
	 0},
	{"GET", "/employment/enterprises/{id}", handle_enterprise, READ, 0, params_none, 0},
	{"GET", "/employment/seekers", handle_seekers, READ, 0, seekers_params, 0},
	{"GET", "/employment/seekers/new", handle_seeker_new, MANAGE, 0, seeker_new_params, 0},
	{"POST", "/employment/seekers", handle_seeker_create, MANAGE, 0, seeker_params, 0},
	{"GET", "/employment/seekers/{id}", handle_seeker, READ, 0, params_flash, 0},
	{"POST", "/employment/seekers/{id}/hire", handle_hire, MANAGE, 0, hire_params, 0},
	{"POST", "/employment/seekers/{id}/unhire", handle_unhire, MANAGE, 0, params_none, 0},
	{"POST", "/employment/seekers/{id}/withdraw", handle_withdraw, MANAGE, 0, params_none, 0},
	{"GET", "/api/v1/employment/seekers/{id}/matches", handle_api_seeker_matches, READ, API,
	 params_none, 0},
	{"GET", "/api/v1/employment/positions/{id}/matches", handle_api_position_matches, READ, API,
	 params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{51, "/employment", "就业创业", PERM_EMPLOYMENT_READ},
	{0},
};

const struct web_area employment_web = {
	.name = "employment",
	.routes = routes,
	.nav = nav,
};
