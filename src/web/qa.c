/* qa.c - the staff pages of 智能问答: the base (list and search, an entry, the form that
 * creates or edits one, deletion, import of a sheet), a try-out of the matcher, and the
 * questions visitors left (turn one into an entry, or set it aside). The API: GET
 * /api/v1/qa/ask?q=…&top=N answers as `vets qa ask` prints.
 *
 * Leaders and clerks read (qa.read); clerks keep the base (qa.manage). */
#include "web/flash.h"
#include "web/portal.h"
#include "web/route.h"
#include "areas/qa.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *page_data(const struct request *req)
{
	return json_pack("{s:b}", "can_manage", perm_allows(req->user.roles, PERM_QA_MANAGE));
}

static int entry_error(struct request *req, struct reply *rep, int rc)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "问答条目不存在" : NULL);
}

/* ---- the base ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe;
	const char *refused = NULL;
	form_restore(req, &fe, &refused, NULL);
	json_t *list = NULL;
	int rc = qa_entry_list(db, params_text(req, "q"), &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *pending = NULL;
	if (qa_question_list(db, QA_Q_PENDING, &pending) == 0) {
		json_t *data = page_data(req);
		json_object_set_new(data, "q", json_string(params_text(req, "q")));
		json_object_set_new(data, "total", json_integer((json_int_t)json_array_size(list)));
		json_object_set_new(data, "list", list);
		json_object_set_new(data, "pending",
				    json_integer((json_int_t)json_array_size(pending)));
		json_decref(pending);
		if (refused && *refused)
			json_object_set_new(data, "import_error", json_string(refused));
		return reply_page(req, rep, 200, "qa/list", "智能问答知识库", data);
	}
	json_decref(list);
	return reply_area_error(req, rep, VE_DB, NULL);
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *e = NULL;
	int rc = qa_entry_get(db, req->path_id, &e);
	if (rc)
		return entry_error(req, rep, rc);
	char title[300];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(e, "code")));
	json_t *data = page_data(req);
	json_object_set_new(data, "entry", e);
	return reply_page(req, rep, 200, "qa/show", title, data);
}

/* Tries the matcher as the portal would, with every near miss shown. */
static int handle_try(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *q = params_text(req, "q");
	json_t *data = page_data(req);
	json_object_set_new(data, "q", json_string(q));
	if (*q) {
		json_t *res = NULL;
		int rc = qa_ask(db, q, 10, 1, &res);
		if (rc) {
			json_decref(data);
			return reply_area_error(req, rep, rc, NULL);
		}
		json_object_set_new(data, "result", res);
	}
	return reply_page(req, rep, 200, "qa/try", "试问", data);
}

static int handle_api_ask(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t top = 5;
	const char *t = params_text(req, "top");
	if (*t && str_to_i64(t, strlen(t), 1, QA_TOP_MAX, &top) != 0)
		return reply_error(req, rep, 400, "invalid", "top 应为 1 至 20 的整数");
	json_t *res = NULL;
	int rc = qa_ask(db, params_text(req, "q"), (size_t)top, 0, &res);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, res);
}

static int handle_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char path[64], why[200], err[2048] = "", message[2200];
	int rc = VE_INVALID;
	if (page_save_upload(file, path, why, sizeof(why)) != 0) {
		snprintf(message, sizeof(message), "%s", why);
	} else {
		struct qa_import_result r;
		rc = qa_import(db, &req->user, path, &r, err, sizeof(err));
		unlink(path);
		if (rc == 0) {
			snprintf(message, sizeof(message),
				 "已导入问答知识库 %lld 行：新增 %lld，更新 %lld，未变 %lld",
				 (long long)r.rows, (long long)r.added, (long long)r.updated,
				 (long long)r.unchanged);
			reply_flash(rep, "ok", message);
			return reply_redirect(rep, "/qa-base");
		}
		snprintf(message, sizeof(message), "文件无法导入（任何一行有错则全部不导入）：%s",
			 *err ? err : err_message(rc));
	}
	if (rc == VE_DB)
		return reply_area_error(req, rep, rc, message);
	if (reply_form_refused(req, rep, "/qa-base", NULL, message, NULL) == 0)
		return 0;
	return reply_area_error(req, rep, rc, message);
}

/* ---- the form ---- */

static json_t *values_sent(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "code", params_text(req, "code"), "question",
			 params_text(req, "question"), "answer", params_text(req, "answer"),
			 "phrasings", params_text(req, "phrasings"));
}

/* action: where the form posts; back: where 取消 goes. */
static int form_page(struct request *req, struct reply *rep, int status, const char *action,
		     const char *back, const char *title, json_t *values,
		     const struct field_errors *fe, const char *error, json_t *question)
{
	json_t *data = page_data(req);
	json_t *invalid = json_object();
	for (int i = 0; fe && i < fe->n; i++)
		json_object_set_new(invalid, fe->items[i].field, json_true());
	json_object_set_new(data, "values", values);
	json_object_set_new(data, "errors", page_field_errors(fe));
	json_object_set_new(data, "invalid", invalid);
	if (error && *error && !(fe && fe->n))
		json_object_set_new(data, "error", json_string(error));
	json_object_set_new(data, "action", json_string(action));
	json_object_set_new(data, "back", json_string(back));
	if (question)
		json_object_set_new(data, "question", question);
	return reply_page(req, rep, status, "qa/form", title, data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe;
	const char *error = NULL;
	if (form_restore(req, &fe, &error, NULL))
		return form_page(req, rep, 200, "/qa-base", "/qa-base", "新建问答条目",
				 values_sent(req), &fe, error, NULL);
	return form_page(req, rep, 200, "/qa-base", "/qa-base", "新建问答条目", values_sent(req),
			 NULL, NULL, NULL);
}

static int handle_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *e = NULL;
	int rc = qa_entry_get(db, req->path_id, &e);
	if (rc)
		return entry_error(req, rep, rc);
	struct field_errors fe;
	const char *error = NULL;
	json_t *values;
	int restored = form_restore(req, &fe, &error, NULL);
	if (restored)
		values = values_sent(req);
	else
		values = json_pack("{s:O,s:O,s:O,s:O}", "code", json_object_get(e, "code"),
				   "question", json_object_get(e, "question"), "answer",
				   json_object_get(e, "answer"), "phrasings",
				   json_object_get(e, "phrasings_text"));
	json_decref(e);
	char action[48], back[48];
	snprintf(action, sizeof(action), "/qa-base/%lld", (long long)req->path_id);
	snprintf(back, sizeof(back), "/qa-base/%lld", (long long)req->path_id);
	return form_page(req, rep, 200, action, back, "修改问答条目", values, restored ? &fe : NULL,
			 error, NULL);
}

static void input_of(struct request *req, struct qa_input *in)
{
	in->code = params_text(req, "code");
	in->question = params_text(req, "question");
	in->answer = params_text(req, "answer");
	in->phrasings = params_text(req, "phrasings");
}

static int saved(struct request *req, struct reply *rep, struct db *db, int64_t id)
{
	struct field_errors fe;
	field_errors_clear(&fe);
	struct qa_input in;
	input_of(req, &in);
	int64_t out = 0;
	int rc = qa_entry_save(db, &req->user, id, &in, &fe, &out);
	if (rc == VE_INVALID || rc == VE_EXISTS) {
		char where[64], action[48];
		if (id) {
			snprintf(where, sizeof(where), "/qa-base/%lld/edit", (long long)id);
			snprintf(action, sizeof(action), "/qa-base/%lld", (long long)id);
		} else {
			str_copy(where, "/qa-base/new", sizeof(where));
			str_copy(action, "/qa-base", sizeof(action));
		}
		if (reply_form_refused(req, rep, where, &fe, NULL, NULL) == 0)
			return 0;
		return form_page(req, rep, http_status_of(rc), action, id ? action : "/qa-base",
				 id ? "修改问答条目" : "新建问答条目", values_sent(req), &fe, NULL,
				 NULL);
	}
	if (rc)
		return entry_error(req, rep, rc);
	char where[48];
	snprintf(where, sizeof(where), "/qa-base/%lld", (long long)out);
	reply_flash(rep, "ok", id ? "问答条目已保存" : "问答条目已新建");
	return reply_redirect(rep, where);
}

static int handle_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? saved(req, rep, db, 0) : 0;
}

static int handle_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? saved(req, rep, db, req->path_id) : 0;
}

static int handle_delete(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc = qa_entry_delete(db, &req->user, req->path_id);
	if (rc)
		return entry_error(req, rep, rc);
	reply_flash(rep, "ok", "问答条目已删除");
	return reply_redirect(rep, "/qa-base");
}

/* ---- questions left by visitors ---- */

static const char *const statuses[] = {QA_Q_PENDING, QA_Q_CONVERTED, QA_Q_IGNORED};

static int handle_questions(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *status = params_text(req, "status");
	if (!*status)
		status = QA_Q_PENDING;
	else if (strcmp(status, "全部") == 0)
		status = "";
	else {
		int known = 0;
		for (size_t i = 0; i < 3; i++)
			known |= strcmp(status, statuses[i]) == 0;
		if (!known)
			return reply_area_error(req, rep, VE_INVALID, "未知的状态");
	}
	json_t *list = NULL;
	int rc = qa_question_list(db, status, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = page_data(req);
	json_t *tabs = json_array();
	static const char *const tab_names[] = {QA_Q_PENDING, QA_Q_CONVERTED, QA_Q_IGNORED, "全部"};
	for (size_t i = 0; i < 4; i++)
		json_array_append_new(
			tabs, json_pack("{s:s,s:b}", "name", tab_names[i], "current",
					strcmp(*status ? status : "全部", tab_names[i]) == 0));
	json_object_set_new(data, "tabs", tabs);
	json_object_set_new(data, "list", list);
	return reply_page(req, rep, 200, "qa/questions", "群众留下的问题", data);
}

static int question_error(struct request *req, struct reply *rep, int rc)
{
	return reply_area_error(req, rep, rc,
				rc == VE_NOTFOUND   ? "问题不存在"
				: rc == VE_CONFLICT ? "这个问题已经处理过了"
						    : NULL);
}

static int handle_ignore(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc = qa_question_ignore(db, &req->user, req->path_id);
	if (rc)
		return question_error(req, rep, rc);
	reply_flash(rep, "ok", "已忽略这个问题");
	return reply_redirect(rep, "/qa-base/questions");
}

static int handle_convert_form(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *q = NULL;
	int rc = qa_question_get(db, req->path_id, &q);
	if (rc)
		return question_error(req, rep, rc);
	if (strcmp(json_string_value(json_object_get(q, "status")), QA_Q_PENDING) != 0) {
		json_decref(q);
		return question_error(req, rep, VE_CONFLICT);
	}
	struct field_errors fe;
	const char *error = NULL;
	json_t *values;
	int restored = form_restore(req, &fe, &error, NULL);
	if (restored)
		values = values_sent(req);
	else
		values = json_pack("{s:s,s:O,s:s,s:s}", "code", "", "question",
				   json_object_get(q, "text"), "answer", "", "phrasings", "");
	char action[64];
	snprintf(action, sizeof(action), "/qa-base/questions/%lld/convert",
		 (long long)req->path_id);
	return form_page(req, rep, 200, action, "/qa-base/questions", "把群众问题转为问答条目",
			 values, restored ? &fe : NULL, error, q);
}

static int handle_convert(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe;
	field_errors_clear(&fe);
	struct qa_input in;
	input_of(req, &in);
	int64_t entry = 0;
	int rc = qa_question_convert(db, &req->user, req->path_id, &in, &fe, &entry);
	if (rc == VE_INVALID || rc == VE_EXISTS) {
		char where[64];
		snprintf(where, sizeof(where), "/qa-base/questions/%lld/convert",
			 (long long)req->path_id);
		if (reply_form_refused(req, rep, where, &fe, NULL, NULL) == 0)
			return 0;
		json_t *q = NULL;
		qa_question_get(db, req->path_id, &q);
		return form_page(req, rep, http_status_of(rc), where, "/qa-base/questions",
				 "把群众问题转为问答条目", values_sent(req), &fe, NULL, q);
	}
	if (rc)
		return question_error(req, rep, rc);
	char where[48];
	snprintf(where, sizeof(where), "/qa-base/%lld", (long long)entry);
	reply_flash(rep, "ok", "已转为问答条目");
	return reply_redirect(rep, where);
}

/* ---- the portal: /qa, /qa/{id}, POST /qa/ask ---- */

/* Related questions shown under the best answer: at most this many, each at least this good. */
#define RELATED_MAX 4
#define RELATED_MIN 0.15

/* The search page: the box; with q, the best answer in full and related questions, or (when
 * the base has nothing good enough) the form that leaves the question for staff. */
static int portal_page(struct request *req, struct reply *rep, int status, const char *q,
		       const struct field_errors *fe)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *data = json_pack("{s:s,s:b}", "q", q, "left", params_flag(req, "left"));
	if (*q) {
		json_t *res = NULL;
		int rc = qa_ask(db, q, RELATED_MAX + 1, 1, &res);
		if (rc) {
			json_decref(data);
			return reply_area_error(req, rep, rc, NULL);
		}
		int fallback = json_is_true(json_object_get(res, "fallback"));
		json_t *answers = json_object_get(res, "answers");
		if (!fallback) {
			json_t *best = NULL;
			if (qa_entry_get(db,
					 json_integer_value(json_object_get(
						 json_array_get(answers, 0), "entry")),
					 &best) == 0)
				json_object_set_new(data, "best", best);
			json_t *related = json_array();
			for (size_t i = 1; i < json_array_size(answers); i++) {
				json_t *a = json_array_get(answers, i);
				if (json_real_value(json_object_get(a, "score")) >= RELATED_MIN)
					json_array_append(related, a);
			}
			json_object_set_new(data, "related", related);
		} else {
			json_object_set_new(data, "fallback", json_true());
			json_object_set_new(data, "errors", page_field_errors(fe));
			portal_form_guard(data);
		}
		json_decref(res);
	}
	return reply_portal(req, rep, status, "qa/portal", "智能问答", data);
}

static int handle_portal(struct request *req, struct reply *rep)
{
	return portal_page(req, rep, 200, params_text(req, "q"), NULL);
}

static int handle_portal_one(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *e = NULL;
	int rc = qa_entry_get(db, req->path_id, &e);
	if (rc)
		return reply_error(req, rep, http_status_of(rc), "not_found",
				   rc == VE_NOTFOUND ? "没有这个问答" : "暂时无法读取，请稍后再试");
	char title[QA_QUESTION_MAX * 4 + 1]; /* the longest question, cut (if ever) between characters */
	str_copy(title, json_string_value(json_object_get(e, "question")), sizeof(title));
	return reply_portal(req, rep, 200, "qa/portal_one", title, e);
}

static int handle_portal_leave(struct request *req, struct reply *rep)
{
	if (portal_form_check(req, rep))
		return 0;
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_actor who = portal_actor(req);
	char err[256] = "";
	int64_t id = 0;
	const char *text = params_text(req, "q");
	int rc = qa_question_leave(db, &who, text, &id, err, sizeof(err));
	if (rc == VE_INVALID) {
		struct field_errors fe;
		field_errors_clear(&fe);
		field_errors_add(&fe, "您的问题", "%s", err);
		/* an empty question has no page of its own: the form shows again with the reason */
		return portal_page(req, rep, 400, *text ? text : " ", &fe);
	}
	if (rc)
		return reply_error(req, rep, http_status_of(rc), "not_saved", err);
	return reply_redirect(rep, "/qa?left=1");
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"q", "编号、问题或问法", PK_TEXT, 0, 0, 40, 0},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec try_params[] = {
	{"q", "问题", PK_TEXT, 0, 0, QA_ASK_MAX, 0},
	PARAM_END,
};

static const struct param_spec api_ask_params[] = {
	{"q", "问题", PK_TEXT, 0, 0, QA_ASK_MAX, 0},
	{"top", "条数", PK_TEXT, 0, 0, 4, 0},
	PARAM_END,
};

static const struct param_spec questions_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	PARAM_FLASH,
	PARAM_END,
};

/* A base is a few thousand rows at most. */
#define UPLOAD_MAX (5 * 1024 * 1024)
static const struct param_spec upload_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, UPLOAD_MAX, 0},
	PARAM_END,
};

static const struct param_spec form_params[] = {
	{"code", "编号", PK_TEXT, 1, 1, QA_CODE_MAX, 0},
	{"question", "问题", PK_TEXT, 1, 1, QA_QUESTION_MAX, 0},
	{"answer", "答案", PK_LONGTEXT, 1, 1, QA_ANSWER_MAX, 0},
	{"phrasings", "相似问法", PK_LONGTEXT, 0, 0, QA_PHRASINGS_MAX, 0},
	PARAM_END,
};

static const struct param_spec portal_params[] = {
	{"q", "您的问题", PK_TEXT, 0, 0, QA_ASK_MAX, 0},
	{"left", "已留言", PK_FLAG, 0, 0, 0, 0},
	PARAM_END,
};

static const struct param_spec leave_params[] = {
	{"q", "您的问题", PK_TEXT, 0, 0, QA_ASK_MAX, 0},
	PORTAL_GUARD_PARAMS,
	PARAM_END,
};

#define PORTAL (ROUTE_PUBLIC | ROUTE_PORTAL)

static const struct route routes[] = {
	{"GET", "/qa", handle_portal, NULL, PORTAL, portal_params, 0},
	{"POST", "/qa/ask", handle_portal_leave, NULL, PORTAL | ROUTE_NO_CSRF, leave_params, 0},
	{"GET", "/qa/{id}", handle_portal_one, NULL, PORTAL, params_none, 0},
	{"GET", "/qa-base", handle_list, PERM_QA_READ, 0, list_params, 0},
	{"POST", "/qa-base", handle_create, PERM_QA_MANAGE, 0, form_params, 0},
	{"POST", "/qa-base/import", handle_import, PERM_QA_MANAGE, 0, upload_params,
	 UPLOAD_MAX + 64 * 1024},
	{"GET", "/qa-base/new", handle_new, PERM_QA_MANAGE, 0, params_flash, 0},
	{"GET", "/qa-base/try", handle_try, PERM_QA_READ, 0, try_params, 0},
	{"GET", "/qa-base/questions", handle_questions, PERM_QA_READ, 0, questions_params, 0},
	{"GET", "/qa-base/questions/{id}/convert", handle_convert_form, PERM_QA_MANAGE, 0,
	 params_flash, 0},
	{"POST", "/qa-base/questions/{id}/convert", handle_convert, PERM_QA_MANAGE, 0, form_params,
	 0},
	{"POST", "/qa-base/questions/{id}/ignore", handle_ignore, PERM_QA_MANAGE, 0, params_none,
	 0},
	{"GET", "/qa-base/{id}", handle_show, PERM_QA_READ, 0, params_flash, 0},
	{"POST", "/qa-base/{id}", handle_update, PERM_QA_MANAGE, 0, form_params, 0},
	{"GET", "/qa-base/{id}/edit", handle_edit, PERM_QA_MANAGE, 0, params_flash, 0},
	{"POST", "/qa-base/{id}/delete", handle_delete, PERM_QA_MANAGE, 0, params_none, 0},
	{"GET", "/api/v1/qa/ask", handle_api_ask, PERM_QA_READ, ROUTE_API, api_ask_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{43, "/qa-base", "智能问答", PERM_QA_READ},
	{0},
};

const struct web_area qa_web = {
	.name = "qa",
	.routes = routes,
	.nav = nav,
};
