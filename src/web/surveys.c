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
#include "web/auth.h"
#include "areas/survey.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/rate_limit.h"
#include "lib/str.h"
#include "lib/crypto.h"
#include "web/limits.h"
#include "web/portal.h"
#include <pthread.h>

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
	json_t *data =
		json_pack("{s:{s:s,s:s,s:s,s:s}}", "values", "title", params_text(req, "title"),
			  "intro", params_text(req, "intro"), "opens_on",
			  params_text(req, "opens_on"), "closes_on", params_text(req, "closes_on"));
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
	json_t *values =
		json_pack("{s:s,s:s,s:b,s:s}", "kind", params_text(req, "kind"), "title",
			  params_text(req, "title"), "required", params_flag(req, "required"),
			  "options_text", params_text(req, "options"));
	if (strcmp(form, "add") == 0) {
		json_object_set_new(values, "prefix", json_string(""));
		json_object_set_new(data, "add", values);
		json_object_set_new(data, "add_errors", json_true());
		return;
	}
	int64_t qid = json_integer_value(json_object_get(kept, "question"));
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i,
			   q) if (json_integer_value(json_object_get(q, "id")) == qid)
	{
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
	json_t *data =
		json_pack("{s:o,s:b,s:{s:s,s:s,s:b,s:s}}", "kinds", kinds_json(), "can_manage",
			  perm_allows(req->user.roles, PERM_SURVEY_MANAGE), "add", "kind", "single",
			  "title", "", "required", 1, "options_text", "");
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
	int rc =
		survey_question_add(db, &req->user, req->path_id, &in, &qid, &fe, err, sizeof(err));
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
	int move = n > 3 && strcmp(path + n - 3, "/up") == 0     ? -1
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
	snprintf(
		rep->disposition, sizeof(rep->disposition),
		"attachment; filename=\"survey-%lld.xlsx\"; filename*=UTF-8''%%E9%%97%%AE%%E5%%8D%%B7-%lld.xlsx",
		(long long)req->path_id, (long long)req->path_id);
	return 0;
}

/* ---- the portal ---- */

#define COOKIE "vets_survey" /* the visitor's token: one for every survey */
#define ANSWERS_PER_ADDRESS                                                                        \
	20 /* answers per client address per hour: a household or an                               \
	    * office behind one address still answers; a script does not */
#define ANSWER_WINDOW 3600
#define ANSWER_BODY_MAX (256 * 1024) /* 40 texts of 500 characters, percent-encoded */
/* A whole answer (every option of every 多选 ticked) and the form guard's two fields fit
 * within the server's limit of parameters: the editor caps a survey's answer values so. */
_Static_assert(SURVEY_ANSWER_VALUES_MAX + 2 <= LIMIT_PARAMS,
	       "a survey's whole answer must fit in LIMIT_PARAMS");

static pthread_once_t limit_once = PTHREAD_ONCE_INIT;
static struct rate_limit *answer_limit;

static void limit_init(void)
{
	answer_limit = rate_limit_new(4096, ANSWERS_PER_ADDRESS, ANSWER_WINDOW);
}

static void surveys_stop(void)
{
	rate_limit_free(answer_limit);
	answer_limit = NULL;
}

/* The limit per address, taken by a whole answer about to be stored (survey_gate). */
static int admit(void *ctx)
{
	const struct request *req = ctx;
	pthread_once(&limit_once, limit_init);
	return answer_limit ? rate_limit_take(answer_limit, req->ip, clock_now()) : 0;
}

/* The visitor's token from his cookie into token (SURVEY_TOKEN_HEX + 1), or "". */
static void visitor_token(const struct request *req, char token[SURVEY_TOKEN_HEX + 1])
{
	token[0] = '\0';
	char v[80];
	if (!req->cookie || http_cookie(req->cookie, COOKIE, v, sizeof(v)) != 0)
		return;
	if (strlen(v) == SURVEY_TOKEN_HEX && strspn(v, "0123456789abcdef") == SURVEY_TOKEN_HEX)
		str_copy(token, v, SURVEY_TOKEN_HEX + 1);
}

static int handle_portal_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *items = NULL;
	int rc = survey_list(db, 1, &items);
	if (rc)
		return rc;
	return reply_portal(req, rep, 200, "surveys/portal_list", "问卷调查",
			    json_pack("{s:o}", "items", items));
}

/* The values sent for the question at position p (1-based): up to SURVEY_OPTIONS_MAX. */
static void given_of(const struct request *req, struct survey_given given[SURVEY_QUESTIONS_MAX])
{
	memset(given, 0, sizeof(*given) * SURVEY_QUESTIONS_MAX);
	for (size_t i = 0; i < req->n_params; i++) {
		const char *name = req->params[i].name;
		int64_t p = 0;
		if (name[0] != 'q' ||
		    str_to_i64(name + 1, strlen(name + 1), 1, SURVEY_QUESTIONS_MAX, &p) != 0)
			continue;
		struct survey_given *g = &given[p - 1];
		if (g->n < SURVEY_OPTIONS_MAX)
			g->v[g->n++] = req->params[i].value;
		else
			g->n = SURVEY_OPTIONS_MAX + 1; /* too many: refused below */
	}
}

/* Marks in survey s what the visitor chose (options' "checked", the scale's, the text). */
static void mark_given(json_t *s, const struct survey_given *given)
{
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i, q)
	{
		int pos = (int)json_integer_value(json_object_get(q, "position"));
		const struct survey_given *g =
			pos >= 1 && pos <= SURVEY_QUESTIONS_MAX ? &given[pos - 1] : NULL;
		int n = g ? (g->n > SURVEY_OPTIONS_MAX ? SURVEY_OPTIONS_MAX : g->n) : 0;
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(q, "options"), k, o)
		{
			char id[24];
			snprintf(id, sizeof(id), "%lld",
				 (long long)json_integer_value(json_object_get(o, "id")));
			for (int j = 0; j < n; j++)
				if (strcmp(g->v[j], id) == 0)
					json_object_set_new(o, "checked", json_true());
		}
		json_t *scale = json_array();
		for (int v = SURVEY_SCALE_MIN; v <= SURVEY_SCALE_MAX; v++) {
			char t[4];
			snprintf(t, sizeof(t), "%d", v);
			int on = 0;
			for (int j = 0; j < n; j++)
				on |= strcmp(g->v[j], t) == 0;
			json_array_append_new(scale,
					      json_pack("{s:i,s:b}", "value", v, "checked", on));
		}
		json_object_set_new(q, "scale_options", scale);
		char name[8];
		snprintf(name, sizeof(name), "q%d", pos);
		json_object_set_new(q, "name", json_string(name));
		json_object_set_new(
			q, "value",
			json_string(n && strcmp(json_string_value(json_object_get(q, "kind")),
						"text") == 0
					    ? g->v[0]
					    : ""));
	}
}

/* The questionnaire page: the form (status 200, or 400 with fe and what was chosen), or why
 * there is none (尚未开始, 已结束, 您已提交过). */
static int portal_survey_page(struct request *req, struct reply *rep, struct db *db, int status,
			      const struct field_errors *fe, const struct survey_given *given)
{
	json_t *s = NULL;
	int rc = survey_get(db, req->path_id, 1, &s);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "没有找到这份问卷");
	if (rc)
		return rc;
	static const struct survey_given none[SURVEY_QUESTIONS_MAX];
	mark_given(s, given ? given : none);
	char token[SURVEY_TOKEN_HEX + 1];
	visitor_token(req, token);
	const char *phase = json_string_value(json_object_get(s, "phase"));
	json_t *data = json_pack("{s:o}", "s", s);
	if (*token && survey_answered(db, req->path_id, token)) {
		json_object_set_new(data, "answered", json_true());
		json_object_set_new(data, "private", json_true());
	} else if (strcmp(phase, "进行中") == 0) {
		json_object_set_new(data, "open", json_true());
		json_object_set_new(data, "errors", page_field_errors(fe));
		portal_form_guard(data);
	} else
		json_object_set_new(data, strcmp(phase, "已结束") == 0 ? "closed" : "not_yet",
				    json_true());
	char title[SURVEY_TITLE_MAX * 4 + 8];
	str_copy(title, json_string_value(json_object_get(s, "title")), sizeof(title));
	return reply_portal(req, rep, status, "surveys/portal_form", title, data);
}

static int handle_portal_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	return portal_survey_page(req, rep, db, 200, NULL, NULL);
}

static int handle_portal_answer(struct request *req, struct reply *rep)
{
	if (portal_form_check(req, rep))
		return 0;
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct survey_given *given = calloc(SURVEY_QUESTIONS_MAX, sizeof(*given));
	if (!given)
		return VE_INTERNAL;
	given_of(req, given);
	char token[SURVEY_TOKEN_HEX + 1], err[256] = "";
	visitor_token(req, token);
	int fresh = !*token;
	if (fresh) {
		unsigned char r[SURVEY_TOKEN_HEX / 2];
		crypto_random(r, sizeof(r));
		crypto_hex(r, sizeof(r), token);
	}
	struct field_errors fe = {0};
	for (int p = 0; p < SURVEY_QUESTIONS_MAX; p++)
		if (given[p].n > SURVEY_OPTIONS_MAX)
			field_errors_add(&fe, survey_question_field(p + 1), "%s：选项无效",
					 survey_question_field(p + 1));
	int64_t response_id = 0;
	struct audit_actor who = portal_actor(req);
	struct survey_gate gate = {admit, req, 0};
	int rc = fe.n ? VE_INVALID
		      : survey_answer(db, &who, req->path_id, given, token, &gate, &response_id,
				      &fe, err, sizeof(err));
	if (rc == VE_QUOTA)
		rep->retry_after = gate.retry_after;
	if (rc == VE_INVALID && fe.n) {
		rc = portal_survey_page(req, rep, db, 400, &fe, given);
		free(given);
		return rc;
	}
	free(given);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "没有找到这份问卷");
	if (rc)
		return reply_error(req, rep, http_status_of(rc), err_name(rc),
				   *err ? err : err_message(rc));
	if (fresh)
		reply_cookie(rep,
			     COOKIE "=%s; Path=/survey; Max-Age=31536000; HttpOnly; SameSite=Lax%s",
			     token, auth_cookie_secure());
	char where[64];
	snprintf(where, sizeof(where), "/survey/%lld", (long long)req->path_id);
	return reply_redirect(rep, where);
}

static int handle_portal_results(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *s = NULL;
	int rc = survey_results(db, req->path_id, 1, 0, &s);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "这份问卷的结果没有公开");
	if (rc)
		return rc;
	char title[SURVEY_TITLE_MAX * 4 + 40];
	snprintf(title, sizeof(title), "%s - 调查结果",
		 json_string_value(json_object_get(s, "title")));
	return reply_portal(req, rep, 200, "surveys/portal_results", title,
			    json_pack("{s:o}", "s", s));
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

/* The answers: q1 … q40 by the questions' positions (a radio group needs a name of its
 * own), each repeatable for a multiple choice; the area checks every value. */
#define Q(n)                                                                                       \
	{                                                                                          \
		"q" #n, "第" #n "题", PK_LONGTEXT, 0, 0, 2000, 1                                   \
	}
static const struct param_spec answer_params[] = {
	Q(1),
	Q(2),
	Q(3),
	Q(4),
	Q(5),
	Q(6),
	Q(7),
	Q(8),
	Q(9),
	Q(10),
	Q(11),
	Q(12),
	Q(13),
	Q(14),
	Q(15),
	Q(16),
	Q(17),
	Q(18),
	Q(19),
	Q(20),
	Q(21),
	Q(22),
	Q(23),
	Q(24),
	Q(25),
	Q(26),
	Q(27),
	Q(28),
	Q(29),
	Q(30),
	Q(31),
	Q(32),
	Q(33),
	Q(34),
	Q(35),
	Q(36),
	Q(37),
	Q(38),
	Q(39),
	Q(40),
	PORTAL_GUARD_PARAMS,
	PARAM_END,
};
#undef Q

#define PORTAL (ROUTE_PUBLIC | ROUTE_PORTAL)
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
	{"GET", "/survey", handle_portal_list, NULL, PORTAL, params_none, 0},
	{"GET", "/survey/{id}", handle_portal_show, NULL, PORTAL, params_none, 0},
	{"POST", "/survey/{id}", handle_portal_answer, NULL, PORTAL | ROUTE_NO_CSRF, answer_params,
	 ANSWER_BODY_MAX},
	{"GET", "/survey/{id}/results", handle_portal_results, NULL, PORTAL, params_none, 0},
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
	.stop = surveys_stop,
};
