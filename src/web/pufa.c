/* pufa.c - the pages and API of 普法: the year's page (events, brochures, study sessions,
 * the law exam, 责任清单), the form of each kind of record, a 责任清单 document (Markdown,
 * shown without raw HTML), the excellent mark and the year's figures (web/figures.h). The
 * area (areas/pufa.c) checks every field and keeps scope. */
#include "web/benefit_pages.h"
#include "web/figures.h"
#include "web/flash.h"
#include "areas/pufa.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int this_year(void)
{
	return atoi(clock_today_text());
}

/* ---- the year's page ---- */

static int handle_year(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", this_year());
	json_t *y = NULL;
	int rc = pufa_year(db, &req->user, year, &y);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_pack("{s:o,s:i,s:i,s:i,s:b,s:b,s:b,s:b}", "y", y, "year", year, "prev",
				 year - 1, "next", year + 1, "has_next", year < this_year(),
				 "can_manage", perm_allows(req->user.roles, PERM_PUFA_MANAGE),
				 "can_admin", perm_allows(req->user.roles, PERM_PUFA_ADMIN),
				 "can_district", pufa_district_admin(&req->user));
	return reply_page(req, rep, 200, "pufa/year", "普法", data);
}

static int handle_api_year(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *y = NULL;
	int rc = pufa_year(db, &req->user, (int)params_int(req, "year", this_year()), &y);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, y);
}

/* ---- a record's form ---- */

static const char *const value_names[] = {"on",   "kind",  "title",      "who",      "count",
					  "year", "user",  "staff_name", "org_name", "should",
					  "took", "score", "body"};
#define N_VALUES (sizeof(value_names) / sizeof(value_names[0]))

static json_t *values_of(struct request *req)
{
	json_t *v = json_object();
	for (size_t i = 0; i < N_VALUES; i++)
		json_object_set_new(v, value_names[i],
				    json_string(params_text(req, value_names[i])));
	return v;
}

/* The form of a new record (item_id 0) or of the correction of record item_id. */
static int form_page(struct request *req, struct reply *rep, struct db *db, enum pufa_record rec,
		     int64_t item_id, json_t *form)
{
	if (!form) {
		char y[8];
		snprintf(y, sizeof(y), "%d", this_year());
		form = benefit_form(json_pack("{s:s,s:s,s:s,s:s}", "on", clock_today_text(), "year",
					      y, "should", "1", "took", "1"));
	}
	json_t *values = json_object_get(form, "values");
	json_t *data = json_pack("{s:o,s:s}", "form", form, "kind", pufa_record_names[rec]);
	if (rec == PUFA_EVENT)
		json_object_set_new(
			data, "kinds",
			benefit_choices(pufa_event_kinds, PUFA_N_EVENT_KINDS,
					json_string_value(json_object_get(values, "kind"))));
	if (rec == PUFA_EXAM) {
		json_t *staff = NULL;
		if (pufa_staff(db, &req->user, &staff))
			return json_decref(data), reply_area_error(req, rep, VE_DB, NULL);
		const char *user = json_string_value(json_object_get(values, "user"));
		size_t i;
		json_t *o;
		json_array_foreach(staff, i, o)
		{
			char id[24];
			snprintf(id, sizeof(id), "%lld",
				 (long long)json_integer_value(json_object_get(o, "id")));
			json_object_set_new(o, "selected",
					    json_boolean(user && strcmp(user, id) == 0));
		}
		json_object_set_new(data, "staff", staff);
		int mark;
		if (pufa_excellent_mark(db, this_year(), &mark, NULL) == 0)
			json_object_set_new(data, "mark", json_integer(mark));
	}
	char title[64];
	snprintf(title, sizeof(title), "%s%s", item_id ? "更正" : "登记", pufa_record_titles[rec]);
	if (item_id)
		json_object_set_new(data, "item_id", json_integer(item_id));
	return reply_page(req, rep, 200, "pufa/new", title, data);
}

static int new_page(struct request *req, struct reply *rep, enum pufa_record rec)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, NULL))
		return form_page(req, rep, db, rec, 0, NULL);
	json_t *form = benefit_form(values_of(req));
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return form_page(req, rep, db, rec, 0, form);
}

/* Records one (old 0) or corrects record old. */
static int save(struct request *req, struct db *db, enum pufa_record rec, int64_t old, int64_t *id,
		struct field_errors *fe, char *err, size_t errlen)
{
	int64_t user = 0;
	const char *u = params_text(req, "user");
	if (*u && str_to_i64(u, strlen(u), 1, INT64_MAX, &user) != 0)
		user = -1;
	struct pufa_in in = {
		.on = params_text(req, "on"),
		.kind = params_text(req, "kind"),
		.title = params_text(req, "title"),
		.who = params_text(req, "who"),
		.count = params_text(req, "count"),
		.year = params_text(req, "year"),
		.user_id = user,
		.staff_name = params_text(req, "staff_name"),
		.org_name = params_text(req, "org_name"),
		.should = params_flag(req, "should"),
		.took = params_flag(req, "took"),
		.score = params_text(req, "score"),
		.body = params_text(req, "body"),
	};
	if (user < 0) {
		field_errors_add(fe, "人员", "没有这个账号");
		return err_set(err, errlen, VE_INVALID, "人员：没有这个账号");
	}
	if (old) {
		*id = old;
		return pufa_correct(db, &req->user, rec, old, &in, fe, err, errlen);
	}
	return pufa_save(db, &req->user, rec, &in, 0, id, fe, err, errlen);
}

static int create_page(struct request *req, struct reply *rep, enum pufa_record rec)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", back[64], done[80];
	int64_t id;
	int rc = save(req, db, rec, 0, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		snprintf(back, sizeof(back), "/pufa/%s/new", pufa_record_names[rec]);
		if (reply_form_refused(req, rep, back, &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(values_of(req));
		benefit_form_refused(form, rc, &fe, err);
		return form_page(req, rep, db, rec, 0, form);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	const char *year = rec == PUFA_EXAM || rec == PUFA_DUTY ? params_text(req, "year")
								: params_text(req, "on");
	snprintf(where, sizeof(where), "/pufa?year=%.4s#%s", year, pufa_record_names[rec]);
	if (rec == PUFA_DUTY)
		snprintf(where, sizeof(where), "/pufa/duties/%lld", (long long)id);
	snprintf(done, sizeof(done), "%s已登记", pufa_record_titles[rec]);
	reply_flash(rep, "ok", done);
	return reply_redirect(rep, where);
}

static int create_api(struct request *req, struct reply *rep, enum pufa_record rec)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	int rc = save(req, db, rec, 0, &id, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	return reply_json(
		rep, 201,
		json_pack("{s:I,s:s}", "id", (json_int_t)id, "kind", pufa_record_names[rec]));
}

static int edit_page(struct request *req, struct reply *rep, enum pufa_record rec)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	json_t *form;
	if (form_restore(req, &fe, &err, NULL)) {
		form = benefit_form(values_of(req));
		benefit_form_refused(form, VE_INVALID, &fe, err);
	} else {
		json_t *values = NULL;
		int rc = pufa_get(db, &req->user, rec, req->path_id, &values);
		if (rc)
			return reply_area_error(req, rep, rc,
						rc == VE_NOTFOUND ? "该记录不存在" : NULL);
		form = benefit_form(values);
	}
	return form_page(req, rep, db, rec, req->path_id, form);
}

static int correct(struct request *req, struct reply *rep, enum pufa_record rec, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", back[80], where[80];
	int64_t id;
	int rc = save(req, db, rec, req->path_id, &id, &fe, err, sizeof(err));
	if (api)
		return rc ? reply_api_refused(req, rep, rc, &fe, err)
			  : reply_json(rep, 200,
				       json_pack("{s:I,s:s}", "id", (json_int_t)id, "kind",
						 pufa_record_names[rec]));
	if (rc == VE_INVALID) {
		snprintf(back, sizeof(back), "/pufa/%s/%lld/edit", pufa_record_names[rec],
			 (long long)id);
		if (reply_form_refused(req, rep, back, &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(values_of(req));
		benefit_form_refused(form, rc, &fe, err);
		return form_page(req, rep, db, rec, id, form);
	}
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "该记录不存在" : err);
	if (rec == PUFA_DUTY)
		snprintf(where, sizeof(where), "/pufa/duties/%lld", (long long)id);
	else
		snprintf(where, sizeof(where), "/pufa?year=%.4s#%s", params_text(req, "on"),
			 pufa_record_names[rec]);
	reply_flash(rep, "ok", "已更正");
	return reply_redirect(rep, where);
}

static int delete_record(struct request *req, struct reply *rep, enum pufa_record rec, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = pufa_delete(db, &req->user, rec, req->path_id, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	if (api)
		return reply_json(rep, 200,
				  json_pack("{s:I}", "deleted", (json_int_t)req->path_id));
	char done[80];
	snprintf(done, sizeof(done), "%s记录已删除", pufa_record_titles[rec]);
	reply_flash(rep, "ok", done);
	return reply_redirect(rep, "/pufa");
}

/* The handlers of each kind of record, one line each. */
#define KIND_HANDLERS(name, rec)                                                                   \
	static int handle_##name##_new(struct request *req, struct reply *rep)                     \
	{                                                                                          \
		return new_page(req, rep, rec);                                                    \
	}                                                                                          \
	static int handle_##name##_create(struct request *req, struct reply *rep)                  \
	{                                                                                          \
		return create_page(req, rep, rec);                                                 \
	}                                                                                          \
	static int handle_##name##_api(struct request *req, struct reply *rep)                     \
	{                                                                                          \
		return create_api(req, rep, rec);                                                  \
	}                                                                                          \
	static int handle_##name##_delete(struct request *req, struct reply *rep)                  \
	{                                                                                          \
		return delete_record(req, rep, rec, 0);                                            \
	}                                                                                          \
	static int handle_##name##_api_delete(struct request *req, struct reply *rep)              \
	{                                                                                          \
		return delete_record(req, rep, rec, 1);                                            \
	}
KIND_HANDLERS(events, PUFA_EVENT)
KIND_HANDLERS(brochures, PUFA_BROCHURE)
KIND_HANDLERS(sessions, PUFA_SESSION)
KIND_HANDLERS(exams, PUFA_EXAM)
KIND_HANDLERS(duties, PUFA_DUTY)

/* Corrections: every kind but the exam (recording a member again corrects his row). */
#define EDIT_HANDLERS(name, rec)                                                                   \
	static int handle_##name##_edit(struct request *req, struct reply *rep)                    \
	{                                                                                          \
		return edit_page(req, rep, rec);                                                   \
	}                                                                                          \
	static int handle_##name##_correct(struct request *req, struct reply *rep)                 \
	{                                                                                          \
		return correct(req, rep, rec, 0);                                                  \
	}                                                                                          \
	static int handle_##name##_api_correct(struct request *req, struct reply *rep)             \
	{                                                                                          \
		return correct(req, rep, rec, 1);                                                  \
	}
EDIT_HANDLERS(events, PUFA_EVENT)
EDIT_HANDLERS(brochures, PUFA_BROCHURE)
EDIT_HANDLERS(sessions, PUFA_SESSION)
EDIT_HANDLERS(duties, PUFA_DUTY)

/* ---- a 责任清单 document ---- */

static int handle_duty(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *o = NULL;
	int rc = pufa_duty_get(db, &req->user, req->path_id, &o);
	if (rc)
		return reply_area_error(req, rep, rc,
					rc == VE_NOTFOUND ? "普法责任清单不存在" : NULL);
	char title[400];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(o, "title")));
	json_t *data = json_pack("{s:o,s:b}", "item", o, "can_district",
				 pufa_district_admin(&req->user));
	return reply_page(req, rep, 200, "pufa/duty", title, data);
}

static int handle_api_duty(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *o = NULL;
	int rc = pufa_duty_get(db, &req->user, req->path_id, &o);
	if (!rc)
		json_object_del(o, "tree");
	return rc ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "普法责任清单不存在" : NULL)
		  : reply_json(rep, 200, o);
}

/* ---- the excellent mark ---- */

static json_t *mark_form(struct request *req)
{
	return benefit_form(json_pack("{s:s,s:s}", "year", params_text(req, "year"), "mark",
				      params_text(req, "mark")));
}

/* The marks of the years that have their own, and the form of a year's mark (as typed, or
 * this year's). */
static int settings_page(struct request *req, struct reply *rep, struct db *db, json_t *form)
{
	int year = this_year(), mark;
	json_t *marks = NULL;
	if (pufa_excellent_mark(db, year, &mark, NULL) || pufa_marks(db, &marks))
		return json_decref(form), reply_area_error(req, rep, VE_DB, NULL);
	if (!form) {
		char y[8], m[8];
		snprintf(y, sizeof(y), "%d", year);
		snprintf(m, sizeof(m), "%d", mark);
		form = benefit_form(json_pack("{s:s,s:s}", "year", y, "mark", m));
	}
	json_t *data = json_pack("{s:o,s:o,s:i,s:i,s:i}", "form", form, "marks", marks, "year",
				 year, "mark", mark, "default", PUFA_EXCELLENT_DEFAULT);
	return reply_page(req, rep, 200, "pufa/settings", "学法考试优秀分数线", data);
}

static int handle_settings(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, NULL))
		return settings_page(req, rep, db, NULL);
	json_t *form = mark_form(req);
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return settings_page(req, rep, db, form);
}

static int handle_settings_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = pufa_set_excellent_mark(db, &req->user, params_text(req, "year"),
					 params_text(req, "mark"), &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/pufa/settings", &fe, err, NULL) == 0)
			return 0;
		json_t *form = mark_form(req);
		benefit_form_refused(form, rc, &fe, err);
		return settings_page(req, rep, db, form);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char msg[160];
	snprintf(msg, sizeof(msg), "%s 年度的优秀分数线已保存，只有该年度的统计按新分数线计算",
		 params_text(req, "year"));
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, "/pufa/settings");
}

static int handle_api_settings(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = pufa_set_excellent_mark(db, &req->user, params_text(req, "year"),
					 params_text(req, "mark"), &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	int year = atoi(params_text(req, "year")), mark = 0;
	if (pufa_excellent_mark(db, year, &mark, NULL))
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, 200, json_pack("{s:i,s:i}", "year", year, "mark", mark));
}

/* ---- the year's figures ---- */

static int handle_stats(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &pufa_figures);
}
static int handle_stats_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &pufa_figures);
}

/* ---- the routes ---- */

static const struct param_spec year_params[] = {
	{"year", "年度", PK_INT, 0, 1950, 2100, 0},
	PARAM_END,
};
/* Every kind takes the same fields (each reads its own); the day of a dated record and the
 * year of an exam row or a 责任清单 are asked for before the area looks at them. */
static const struct param_spec dated_params[] = {
	{"on", "日期", PK_TEXT, 1, 1, 20, 0},          {"kind", "活动类型", PK_TEXT, 0, 0, 30, 0},
	{"title", "名称", PK_TEXT, 0, 0, 400, 0},      {"who", "对象", PK_TEXT, 0, 0, 200, 0},
	{"count", "数量", PK_TEXT, 0, 0, 20, 0},       {"year", "年度", PK_TEXT, 0, 0, 8, 0},
	{"user", "人员", PK_TEXT, 0, 0, 20, 0},        {"staff_name", "姓名", PK_TEXT, 0, 0, 60, 0},
	{"org_name", "单位", PK_TEXT, 0, 0, 120, 0},   {"should", "应考", PK_FLAG, 0, 0, 0, 0},
	{"took", "参考", PK_FLAG, 0, 0, 0, 0},         {"score", "成绩", PK_TEXT, 0, 0, 10, 0},
	{"body", "内容", PK_LONGTEXT, 0, 0, 40000, 0}, PARAM_END,
};
static const struct param_spec yearly_params[] = {
	{"on", "日期", PK_TEXT, 0, 0, 20, 0},          {"kind", "活动类型", PK_TEXT, 0, 0, 30, 0},
	{"title", "名称", PK_TEXT, 0, 0, 400, 0},      {"who", "对象", PK_TEXT, 0, 0, 200, 0},
	{"count", "数量", PK_TEXT, 0, 0, 20, 0},       {"year", "年度", PK_TEXT, 1, 1, 8, 0},
	{"user", "人员", PK_TEXT, 0, 0, 20, 0},        {"staff_name", "姓名", PK_TEXT, 0, 0, 60, 0},
	{"org_name", "单位", PK_TEXT, 0, 0, 120, 0},   {"should", "应考", PK_FLAG, 0, 0, 0, 0},
	{"took", "参考", PK_FLAG, 0, 0, 0, 0},         {"score", "成绩", PK_TEXT, 0, 0, 10, 0},
	{"body", "内容", PK_LONGTEXT, 0, 0, 40000, 0}, PARAM_END,
};
static const struct param_spec mark_params[] = {
	{"year", "年度", PK_TEXT, 1, 1, 8, 0},
	{"mark", "优秀分数线", PK_TEXT, 1, 1, 8, 0},
	PARAM_END,
};

#define API ROUTE_API
#define READ PERM_PUFA_READ
#define MANAGE PERM_PUFA_MANAGE
#define ADMIN PERM_PUFA_ADMIN
#define KIND_ROUTES(name, perm, record_params)                                                     \
	{"GET", "/pufa/" #name "/new", handle_##name##_new, perm, 0, params_flash, 0},             \
		{"POST", "/pufa/" #name, handle_##name##_create, perm, 0, record_params, 0},       \
		{"POST",                                                                           \
		 "/pufa/" #name "/{id}/delete",                                                    \
		 handle_##name##_delete,                                                           \
		 perm,                                                                             \
		 0,                                                                                \
		 params_none,                                                                      \
		 0},                                                                               \
		{"POST", "/api/v1/pufa/" #name, handle_##name##_api, perm, API, record_params, 0}, \
	{                                                                                          \
		"POST", "/api/v1/pufa/" #name "/{id}/delete", handle_##name##_api_delete, perm,    \
			API, params_none, 0                                                        \
	}

/* A correction of a record that does not exist is "not found" whatever it sends: no field is
 * asked for before the area looks. */
static const struct param_spec correct_params[] = {
	{"on", "日期", PK_TEXT, 0, 0, 20, 0},          {"kind", "活动类型", PK_TEXT, 0, 0, 30, 0},
	{"title", "名称", PK_TEXT, 0, 0, 400, 0},      {"who", "对象", PK_TEXT, 0, 0, 200, 0},
	{"count", "数量", PK_TEXT, 0, 0, 20, 0},       {"year", "年度", PK_TEXT, 0, 0, 8, 0},
	{"body", "内容", PK_LONGTEXT, 0, 0, 40000, 0}, PARAM_END,
};
#define EDIT_ROUTES(name, perm)                                                                    \
	{"GET", "/pufa/" #name "/{id}/edit", handle_##name##_edit, perm, 0, params_flash, 0},      \
		{"POST", "/pufa/" #name "/{id}", handle_##name##_correct, perm, 0, correct_params, \
		 0},                                                                               \
	{                                                                                          \
		"POST", "/api/v1/pufa/" #name "/{id}", handle_##name##_api_correct, perm, API,     \
			correct_params, 0                                                          \
	}

static const struct route routes[] = {
	{"GET", "/pufa", handle_year, READ, 0, year_params, 0},
	{"GET", "/pufa/stats", handle_stats, READ, 0, figures_params, 0},
	{"GET", "/pufa/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
	{"GET", "/pufa/duties/{id}", handle_duty, READ, 0, params_none, 0},
	{"GET", "/pufa/settings", handle_settings, ADMIN, 0, params_flash, 0},
	{"POST", "/pufa/settings", handle_settings_save, ADMIN, 0, mark_params, 0},
	KIND_ROUTES(events, MANAGE, dated_params),
	KIND_ROUTES(brochures, MANAGE, dated_params),
	KIND_ROUTES(sessions, MANAGE, dated_params),
	KIND_ROUTES(exams, ADMIN, yearly_params),
	KIND_ROUTES(duties, ADMIN, yearly_params),
	EDIT_ROUTES(events, MANAGE),
	EDIT_ROUTES(brochures, MANAGE),
	EDIT_ROUTES(sessions, MANAGE),
	EDIT_ROUTES(duties, ADMIN),
	{"GET", "/api/v1/pufa", handle_api_year, READ, API, year_params, 0},
	{"GET", "/api/v1/pufa/duties/{id}", handle_api_duty, READ, API, params_none, 0},
	{"POST", "/api/v1/pufa/settings", handle_api_settings, ADMIN, API, mark_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{54, "/pufa", "普法", READ},
	{0},
};

const struct web_area pufa_web = {
	.name = "pufa",
	.routes = routes,
	.nav = nav,
};
