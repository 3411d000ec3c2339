/* surveys.c - the pages of 问卷调查: for staff the list, a new questionnaire, its page
 * (its fields, its questions each with a form of its own, one more question at a time,
 * publication), the results with charts and the XLSX export; for the public (on the
 * portal listener) the open questionnaires, the form, the answer and the published
 * results.
 *
 * Forms work without script: a question's options are a text box, one option a line.
 * The area (survey.c) checks everything and refuses questions' changes once answers
 * exist. */
#include "web/flash.h"
#include "web/route.h"
#include "areas/survey.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared ---- */

static json_t *kinds_json(void)
{
	json_t *a = json_array();
	for (int i = 0; i < SURVEY_N_KINDS; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "value", survey_kinds[i], "title",
						   survey_kind_titles[i]));
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

static void survey_in_of(struct request *req, struct survey_in *in)
{
	in->title = params_text(req, "title");
	in->intro = params_text(req, "intro");
	in->opens_on = params_text(req, "opens_on");
	in->closes_on = params_text(req, "closes_on");
}

static void question_in_of(struct request *req, struct survey_question_in *in)
{
	in->kind = params_text(req, "kind");
	in->title = params_text(req, "title");
	in->required = params_flag(req, "required");
	in->options = params_text(req, "options");
}

/* ---- the list ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *items = NULL;
	int rc = survey_list(db, 0, &items);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = json_pack("{s:o,s:b}", "items", items, "can_manage",
				 perm_allows(req->user.roles, PERM_SURVEY_MANAGE));
	return reply_page(req, rep, 200, "surveys/list", "问卷调查", data);
}

/* ---- a new survey ---- */

static int new_page(struct request *req, struct reply *rep, const struct field_errors *fe,
		    const char *err)
{
	json_t *data = json_pack("{s:{s:s,s:s,s:s,s:s}}", "values", "title",
				 params_text(req, "title"), "intro", params_text(req, "intro"),
				 "opens_on", params_text(req, "opens_on"), "closes_on",
				 params_text(req, "closes_on"));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, 200, "surveys/new", "新建问卷", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return new_page(req, rep, &fe, err);
	return new_page(req, rep, NULL, NULL);
}

static int handle_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct survey_in in;
	survey_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0;
	int rc = survey_create(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/surveys/new", &fe, err, NULL) == 0)
			return 0;
		return new_page(req, rep, &fe, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/surveys/%lld", (long long)id);
	reply_flash(rep, "ok", "问卷已建立，请添加题目");
	return reply_redirect(rep, where);
}

/* ---- a survey's page ---- */

/* Puts what was typed into the form kept under "form" (restored from a refusal). */
static void refill(struct request *req, json_t *s, json_t *kept, json_t *data)
{
	const char *form = json_string_value(json_object_get(kept, "form"));
	if (!form)
		return;
	if (strcmp(form, "survey") == 0) {
		static const char *const names[] = {"title", "intro", "opens_on", "closes_on"};
		for (size_t i = 0; i < 4; i++)
			json_object_set_new(s, names[i], json_string(params_text(req, names[i])));
		json_object_set_new(data, "survey_errors", json_true());
		return;
	}
	json_t *values = json_pack("{s:s,s:s,s:b,s:s}", "kind", params_text(req, "kind"), "title",
				   params_text(req, "title"), "required",
				   params_flag(req, "required"), "options_text",
				   params_text(req, "options"));
	if (strcmp(form, "add") == 0) {
		json_object_set_new(values, "prefix", json_string(""));
		json_object_set_new(data, "add", values);
		json_object_set_new(data, "add_errors", json_true());
		return;
	}
	int64_t qid = json_integer_value(json_object_get(kept, "question"));
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i, q)
		if (json_integer_value(json_object_get(q, "id")) == qid) {
			json_object_update(q, values);
			json_object_set_new(q, "has_errors", json_true());
		}
	json_decref(values);
}

static int show_page(struct request *req, struct reply *rep, struct db *db,
		     const struct field_errors *fe, const char *err, json_t *kept)
{
	json_t *s = NULL;
	int rc = survey_get(db, req->path_id, 0, &s);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问卷不存在" : NULL);
	json_t *data = json_pack("{s:o,s:b,s:{s:s,s:s,s:b,s:s}}", "kinds", kinds_json(),
				 "can_manage", perm_allows(req->user.roles, PERM_SURVEY_MANAGE),
				 "add", "kind", "single", "title", "", "required", 1, "options_text",
				 "");
	json_object_set_new(json_object_get(data, "add"), "prefix", json_string(""));
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i, q)
		json_object_set(q, "prefix", json_object_get(q, "id"));
	if (kept)
		refill(req, s, kept, data);
	char title[SURVEY_TITLE_MAX * 4 + 8];
	str_copy(title, json_string_value(json_object_get(s, "title")), sizeof(title));
	json_object_set_new(data, "s", s);
	return reply_page(req, rep, 200, "surveys/show", title, data);
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
		int rc = show_page(req, rep, db, &fe, err, kept);
		json_decref(kept);
		return rc;
	}
	return show_page(req, rep, db, NULL, NULL, NULL);
}

/* Answers a staff write on survey sid: back to its page, with the flash ok, or the
 * refusal kept for the form named form (question qid). */
static int written(struct request *req, struct reply *rep, struct db *db, int64_t sid, int rc,
		   const struct field_errors *fe, const char *err, const char *form, int64_t qid,
		   const char *ok)
{
	char where[64];
	snprintf(where, sizeof(where), "/surveys/%lld", (long long)sid);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		json_t *kept = json_pack("{s:s,s:I}", "form", form, "question", (json_int_t)qid);
		int kept_rc = reply_form_refused(req, rep, where, fe, err, kept);
		if (kept_rc == 0) {
			json_decref(kept);
			return 0;
		}
		req->path_id = sid;
		kept_rc = show_page(req, rep, db, fe, err, kept);
		json_decref(kept);
		rep->status = http_status_of(rc);
		return kept_rc;
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", ok);
	return reply_redirect(rep, where);
}

static int handle_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct survey_in in;
	survey_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = survey_update(db, &req->user, req->path_id, &in, &fe, err, sizeof(err));
	return written(req, rep, db, req->path_id, rc, &fe, err, "survey", 0, "已保存");
}

static int handle_question_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct survey_question_in in;
	question_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t qid = 0;
	int rc = survey_question_add(db, &req->user, req->path_id, &in, &qid, &fe, err,
				     sizeof(err));
	return written(req, rep, db, req->path_id, rc, &fe, err, "add", 0, "已添加题目");
}

static int handle_question_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct survey_question_in in;
	question_in_of(req, &in);
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t sid = 0;
	int rc = survey_question_update(db, &req->user, req->path_id, &in, &sid, &fe, err,
					sizeof(err));
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "题目不存在");
	return written(req, rep, db, sid, rc, &fe, err, "question", req->path_id, "已保存题目");
}

static int handle_question_move(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *path = req->path;
	size_t n = strlen(path);
	int move = n > 3 && strcmp(path + n - 3, "/up") == 0 ? -1
		   : n > 5 && strcmp(path + n - 5, "/down") == 0 ? 1
								   : 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t sid = 0;
	int rc = survey_question_move(db, &req->user, req->path_id, move, &sid, err, sizeof(err));
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "题目不存在");
	return written(req, rep, db, sid, rc, &fe, err, "move", req->path_id,
		       move ? "已调整顺序" : "已删除题目");
}

static int handle_status(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *path = req->path;
	size_t n = strlen(path);
	char err[256] = "";
	struct field_errors fe = {0};
	int rc;
	const char *ok;
	if (n > 13 && strcmp(path + n - 13, "/results/show") == 0) {
		rc = survey_set_results_public(db, &req->user, req->path_id, 1, err, sizeof(err));
		ok = "结果已在门户公开";
	} else if (n > 13 && strcmp(path + n - 13, "/results/hide") == 0) {
		rc = survey_set_results_public(db, &req->user, req->path_id, 0, err, sizeof(err));
		ok = "结果已不再公开";
	} else if (n > 10 && strcmp(path + n - 10, "/unpublish") == 0) {
		rc = survey_set_status(db, &req->user, req->path_id, 0, err, sizeof(err));
		ok = "问卷已撤回为草稿";
	} else {
		rc = survey_set_status(db, &req->user, req->path_id, 1, err, sizeof(err));
		ok = "问卷已发布到门户";
	}
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "问卷不存在");
	return written(req, rep, db, req->path_id, rc, &fe, err, "status", 0, ok);
}

/* ---- results and export ---- */

static int handle_results(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *s = NULL;
	int rc = survey_results(db, req->path_id, 0, 1, &s);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问卷不存在" : NULL);
	char title[SURVEY_TITLE_MAX * 4 + 40];
	snprintf(title, sizeof(title), "%s - 结果", json_string_value(json_object_get(s, "title")));
	char href[64];
	snprintf(href, sizeof(href), "/surveys/%lld", (long long)req->path_id);
	json_t *data = json_pack("{s:o,s:b,s:[{s:s,s:s}]}", "s", s, "staff", 1, "crumbs", "title",
				 json_string_value(json_object_get(s, "title")), "href", href);
	return reply_page(req, rep, 200, "surveys/results", title, data);
}

static int handle_export(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char path[64] = "/tmp/vets-survey-XXXXXX.xlsx", err[256] = "";
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return reply_area_error(req, rep, VE_IO, "无法生成导出文件");
	close(fd);
	int rc = survey_export(db, &req->user, req->path_id, path, err, sizeof(err));
	if (rc == 0 && reply_file(rep, path) != 0)
		rc = err_set(err, sizeof(err), VE_IO, "无法发送导出文件");
	if (rc) {
		unlink(path);
		return reply_area_error(req, rep, rc, err);
	}
	rep->status = 200;
	rep->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rep->disposition, sizeof(rep->disposition),
		 "attachment; filename=\"survey-%lld.xlsx\"; filename*=UTF-8''%%E9%%97%%AE%%E5%%8D%%B7-%lld.xlsx",
		 (long long)req->path_id, (long long)req->path_id);
	return 0;
}

/* ---- the routes ---- */

/* A new survey's fields must all be there (a form without them was not sent by the page);
 * an edit's are checked by the area once the survey is found. */
static const struct param_spec new_params[] = {
	{"title", "标题", PK_TEXT, 1, 0, 400, 0},
	{"intro", "说明", PK_LONGTEXT, 0, 0, 8000, 0},
	{"opens_on", "开始日期", PK_TEXT, 1, 0, 20, 0},
	{"closes_on", "结束日期", PK_TEXT, 1, 0, 20, 0},
	PARAM_END,
};
static const struct param_spec survey_params[] = {
	{"title", "标题", PK_TEXT, 0, 0, 400, 0},
	{"intro", "说明", PK_LONGTEXT, 0, 0, 8000, 0},
	{"opens_on", "开始日期", PK_TEXT, 0, 0, 20, 0},
	{"closes_on", "结束日期", PK_TEXT, 0, 0, 20, 0},
	PARAM_END,
};
static const struct param_spec question_params[] = {
	{"kind", "题型", PK_WORD, 0, 0, 16, 0},
	{"title", "题目", PK_TEXT, 0, 0, 800, 0},
	{"required", "必答", PK_FLAG, 0, 0, 0, 0},
	{"options", "选项", PK_LONGTEXT, 0, 0, 8000, 0},
	PARAM_END,
};

#define READ PERM_SURVEY_READ
#define MANAGE PERM_SURVEY_MANAGE
static const struct route routes[] = {
	{"GET", "/surveys", handle_list, READ, 0, params_none, 0},
	{"POST", "/surveys", handle_create, MANAGE, 0, new_params, 0},
	{"GET", "/surveys/new", handle_new, MANAGE, 0, params_flash, 0},
	{"GET", "/surveys/{id}", handle_show, READ, 0, params_flash, 0},
	{"POST", "/surveys/{id}", handle_update, MANAGE, 0, survey_params, 0},
	{"POST", "/surveys/{id}/questions", handle_question_add, MANAGE, 0, question_params, 0},
	{"POST", "/surveys/{id}/publish", handle_status, MANAGE, 0, params_none, 0},
	{"POST", "/surveys/{id}/unpublish", handle_status, MANAGE, 0, params_none, 0},
	{"POST", "/surveys/{id}/results/show", handle_status, MANAGE, 0, params_none, 0},
	{"POST", "/surveys/{id}/results/hide", handle_status, MANAGE, 0, params_none, 0},
	{"GET", "/surveys/{id}/results", handle_results, READ, 0, params_none, 0},
	{"GET", "/surveys/{id}/export", handle_export, READ, 0, params_none, 0},
	{"POST", "/surveys/questions/{id}", handle_question_update, MANAGE, 0, question_params, 0},
	{"POST", "/surveys/questions/{id}/up", handle_question_move, MANAGE, 0, params_none, 0},
	{"POST", "/surveys/questions/{id}/down", handle_question_move, MANAGE, 0, params_none, 0},
	{"POST", "/surveys/questions/{id}/delete", handle_question_move, MANAGE, 0, params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{42, "/surveys", "问卷调查", PERM_SURVEY_READ},
	{0},
};

const struct web_area surveys_web = {
	.name = "surveys",
	.routes = routes,
	.nav = nav,
};
