/* consultations.c - the pages of 意见征集: for staff the list, the form that creates or edits
 * a consultation, one consultation with its comments to moderate (publish, or not with a
 * reason), the summary of what was adopted and the XLSX export of the comments; for the
 * public (the portal) the list, a consultation's page (the draft, the published comments,
 * the summary after the close), the comment form and its thank-you page.
 *
 * The area (areas/consultation.c) checks everything; a comment outside the window is its
 * refusal, said in Chinese. */
#include "web/flash.h"
#include "web/portal.h"
#include "web/route.h"
#include "areas/consultation.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/markdown.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_PAGE 50

/* A form's errors for partials/form_errors: the fields', or err alone. */
static json_t *errors_json(const struct field_errors *fe, const char *err)
{
	if (fe->n || !err || !*err)
		return page_field_errors(fe);
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s,s:s}", "field", "", "message", err));
	return a;
}

static int not_found(struct request *req, struct reply *rep, int rc)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "意见征集不存在" : NULL);
}

/* A text as paragraphs (blank lines separate them), each a list of its lines: how a visitor's
 * comment and, until documents are rendered from Markdown, a draft are shown as plain text
 * ({{#each}} with <br> between lines; the engine escapes each line). */
static json_t *text_blocks(const char *text)
{
	json_t *paras = json_array(), *lines = NULL;
	const char *p = text ? text : "";
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t k = n;
		while (k && (p[k - 1] == '\r' || p[k - 1] == ' '))
			k--;
		if (k == 0)
			lines = NULL; /* a blank line ends the paragraph */
		else {
			if (!lines) {
				lines = json_array();
				json_array_append_new(paras, lines);
			}
			json_array_append_new(lines, json_stringn(p, k));
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return paras;
}

/* Sets key to the Markdown tree of c's member field (partials/markdown), or null when it is
 * too large to render (the page then shows text_blocks of it). */
static void set_markdown(json_t *c, const char *key, const char *field)
{
	const char *text = json_string_value(json_object_get(c, field));
	json_t *tree = text && *text ? markdown_tree(text, strlen(text)) : NULL;
	json_object_set_new(c, key, tree ? tree : json_null());
}

/* ---- the list ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = consultation_list(db, &req->user, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_object_set_new(list, "can_manage",
			    json_boolean(perm_allows(req->user.roles, PERM_CONSULTATION_MANAGE)));
	return reply_page(req, rep, 200, "consultations/list", "意见征集", list);
}

/* ---- create and edit ---- */

/* The form: values from the request (typed, or restored), else from c (editing). */
static int form_page(struct request *req, struct reply *rep, int status, int64_t id,
		     const json_t *c, const struct field_errors *fe, const char *err)
{
	static const char *const fields[] = {"title", "body", "opens_on", "closes_on"};
	json_t *values = json_object();
	int typed = 0;
	for (size_t i = 0; i < 4; i++)
		typed |= *params_text(req, fields[i]) != '\0';
	for (size_t i = 0; i < 4; i++) {
		const char *v = typed || !c ? params_text(req, fields[i])
					    : json_string_value(json_object_get(c, fields[i]));
		json_object_set_new(values, fields[i], json_string(v ? v : ""));
	}
	json_t *data = json_pack("{s:o,s:I,s:s,s:i,s:i}", "values", values, "id", (json_int_t)id,
				 "today", clock_today_text(), "title_max", CONSULT_TITLE_MAX,
				 "body_max", CONSULT_BODY_MAX);
	if (c) {
		json_object_set_new(data, "counts", json_deep_copy(json_object_get(c, "counts")));
		char href[48];
		snprintf(href, sizeof(href), "/consultations/%lld", (long long)id);
		json_object_set_new(data, "crumbs",
				    json_pack("[{s:O,s:s}]", "title", json_object_get(c, "title"),
					      "href", href));
	}
	if (fe)
		json_object_set_new(data, "errors", errors_json(fe, err));
	return reply_page(req, rep, status, "consultations/form",
			  id ? "修改意见征集" : "发布意见征集", data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe = {0};
	const char *err = NULL;
	if (form_restore(req, &fe, &err, NULL))
		return form_page(req, rep, 200, 0, NULL, &fe, err);
	return form_page(req, rep, 200, 0, NULL, NULL, NULL);
}

static int handle_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = consultation_get(db, &req->user, req->path_id, NULL, 1, 1, &c);
	if (rc)
		return not_found(req, rep, rc);
	struct field_errors fe = {0};
	const char *err = NULL;
	int restored = form_restore(req, &fe, &err, NULL);
	rc = form_page(req, rep, 200, req->path_id, c, restored ? &fe : NULL, err);
	json_decref(c);
	return rc;
}

static int handle_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct consultation_in in = {params_text(req, "title"), params_text(req, "body"),
				     params_text(req, "opens_on"), params_text(req, "closes_on")};
	struct field_errors fe = {0};
	char err[256] = "", where[64];
	int64_t id = req->path_id, saved = 0;
	int rc = consultation_save(db, &req->user, id, &in, &saved, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (id)
			snprintf(where, sizeof(where), "/consultations/%lld/edit", (long long)id);
		else
			str_copy(where, "/consultations/new", sizeof(where));
		if (reply_form_refused(req, rep, where, &fe, err, NULL) == 0)
			return 0;
		return form_page(req, rep, 400, id, NULL, &fe, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	snprintf(where, sizeof(where), "/consultations/%lld", (long long)saved);
	reply_flash(rep, "ok", id ? "已保存" : "已发布，开始日期起在门户公开");
	return reply_redirect(rep, where);
}

/* ---- one consultation ---- */

static json_t *status_choices(const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; i < CONSULT_N_COMMENT_STATUSES; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:b}", "name", consultation_comment_statuses[i], "selected",
				     strcmp(selected, consultation_comment_statuses[i]) == 0));
	return a;
}

/* form: which form the errors belong to ("summary", or "reject-<comment id>"). */
static int show_page(struct request *req, struct reply *rep, struct db *db,
		     const struct field_errors *fe, const char *err, const char *form)
{
	const char *status = params_text(req, "status");
	int64_t page = params_int(req, "page", 1);
	json_t *c = NULL;
	int rc = consultation_get(db, &req->user, req->path_id, status, page, PER_PAGE, &c);
	if (rc)
		return not_found(req, rep, rc);
	int manage = perm_allows(req->user.roles, PERM_CONSULTATION_MANAGE);
	json_object_set_new(c, "body_blocks", text_blocks(json_string_value(json_object_get(c, "body"))));
	json_object_set_new(c, "summary_blocks",
			    text_blocks(json_string_value(json_object_get(c, "summary"))));
	set_markdown(c, "body_md", "body");
	set_markdown(c, "summary_md", "summary");
	json_t *list = json_object_get(c, "comments");
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *m = json_array_get(list, i);
		json_object_set_new(m, "blocks",
				    text_blocks(json_string_value(json_object_get(m, "body"))));
	}
	json_t *data = json_pack("{s:o,s:o,s:s,s:b,s:b}", "c", c, "statuses",
				 status_choices(status), "status", status, "can_manage", manage,
				 "closed",
				 strcmp(json_string_value(json_object_get(c, "status")),
					CONSULT_CLOSED) == 0);
	char base[96];
	struct buf href;
	buf_init(&href, 256);
	snprintf(base, sizeof(base), "/consultations/%lld?", (long long)req->path_id);
	buf_puts(&href, base);
	page_query_add(&href, "status", status);
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE,
				       json_integer_value(json_object_get(c, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	/* the summary's box: what was typed and refused, else what is published */
	const char *summary = form && strcmp(form, "summary") == 0
				      ? params_text(req, "summary")
				      : json_string_value(json_object_get(c, "summary"));
	json_object_set_new(data, "summary_value", json_string(summary ? summary : ""));
	if (fe && (fe->n || (err && *err))) {
		json_object_set_new(data, "errors", errors_json(fe, err));
		json_object_set_new(data, "form", json_string(form ? form : ""));
	}
	char title[4 * CONSULT_TITLE_MAX + 16];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(c, "title")));
	return reply_page(req, rep, 200, "consultations/show", title, data);
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

static int handle_summary(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "", where[64];
	int rc = consultation_set_summary(db, &req->user, req->path_id,
					  params_text(req, "summary"), &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/consultations/%lld", (long long)req->path_id);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		json_t *kept = json_pack("{s:s}", "form", "summary");
		int k = reply_form_refused(req, rep, where, &fe, err, kept);
		json_decref(kept);
		if (k == 0)
			return 0;
		return show_page(req, rep, db, &fe, err, "summary");
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "采纳情况已发布");
	return reply_redirect(rep, where);
}

static int moderate(struct request *req, struct reply *rep, int publish)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "", where[64], form[48];
	int64_t cid = 0;
	int rc = consultation_moderate(db, &req->user, req->path_id, publish,
				       params_text(req, "reason"), &cid, &fe, err, sizeof(err));
	if (rc == VE_NOTFOUND || (rc && !cid))
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "意见不存在" : err);
	snprintf(where, sizeof(where), "/consultations/%lld", (long long)cid);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		snprintf(form, sizeof(form), "reject-%lld", (long long)req->path_id);
		json_t *kept = json_pack("{s:s}", "form", form);
		int k = reply_form_refused(req, rep, where, &fe, err, kept);
		json_decref(kept);
		if (k == 0)
			return 0;
		return reply_area_error(req, rep, rc, err);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", publish ? "意见已发布" : "已标为未采用，门户不显示");
	return reply_redirect(rep, where);
}

static int handle_publish(struct request *req, struct reply *rep)
{
	return moderate(req, rep, 1);
}

static int handle_reject(struct request *req, struct reply *rep)
{
	return moderate(req, rep, 0);
}

static int handle_export(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char path[64] = "/tmp/vets-consult-XXXXXX.xlsx", err[256] = "";
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return reply_area_error(req, rep, VE_IO, "无法生成导出文件");
	close(fd);
	int rc = consultation_export(db, &req->user, req->path_id, path, err, sizeof(err));
	if (rc == 0)
		rc = reply_file(rep, path);
	if (rc) {
		unlink(path);
		return reply_area_error(req, rep, rc,
					rc == VE_NOTFOUND ? "意见征集不存在" : err);
	}
	rep->status = 200;
	rep->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rep->disposition, sizeof(rep->disposition),
		 "attachment; filename=\"consultation-%lld.xlsx\"", (long long)req->path_id);
	return 0;
}

/* ---- the portal ---- */

static int portal_not_found(struct request *req, struct reply *rep)
{
	return reply_error(req, rep, 404, "not_found", "没有找到这项意见征集");
}

static int handle_portal_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = consultation_public_list(db, &list);
	if (rc)
		return rc;
	return reply_portal(req, rep, 200, "consultations/portal_list", "意见征集", list);
}

static int handle_portal_one(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = consultation_public_get(db, req->path_id, 1, &c);
	if (rc == VE_NOTFOUND)
		return portal_not_found(req, rep);
	if (rc)
		return rc;
	json_object_set_new(c, "paragraphs",
			    text_blocks(json_string_value(json_object_get(c, "body"))));
	json_object_set_new(c, "summary_paragraphs",
			    text_blocks(json_string_value(json_object_get(c, "summary"))));
	set_markdown(c, "body_md", "body");
	set_markdown(c, "summary_md", "summary");
	char title[4 * CONSULT_TITLE_MAX + 8];
	str_copy(title, json_string_value(json_object_get(c, "title")), sizeof(title));
	return reply_portal(req, rep, 200, "consultations/portal_one", title, c);
}

/* The comment form of consultation c (a reference stolen): while it is open with the guard,
 * what was typed and what was wrong (status 400); otherwise the reason it takes none. */
static int comment_page(struct request *req, struct reply *rep, int status, json_t *c,
			const struct field_errors *fe, const char *err)
{
	json_object_set_new(c, "form", json_pack("{s:s,s:s}", "name", params_text(req, "name"),
						  "text", params_text(req, "text")));
	json_object_set_new(c, "errors", errors_json(fe ? fe : &(struct field_errors){0}, err));
	json_object_set_new(c, "text_max", json_integer(CONSULT_COMMENT_MAX));
	json_object_set_new(c, "name_max", json_integer(CONSULT_NAME_MAX));
	if (json_is_true(json_object_get(c, "open")))
		portal_form_guard(c);
	char title[4 * CONSULT_TITLE_MAX + 32];
	snprintf(title, sizeof(title), "发表意见：%s", json_string_value(json_object_get(c, "title")));
	return reply_portal(req, rep, status, "consultations/portal_comment", title, c);
}

static int handle_portal_form(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = consultation_public_get(db, req->path_id, 0, &c);
	if (rc == VE_NOTFOUND)
		return portal_not_found(req, rep);
	if (rc)
		return rc;
	return comment_page(req, rep, 200, c, NULL, NULL);
}

static int handle_portal_comment(struct request *req, struct reply *rep)
{
	if (portal_form_check(req, rep))
		return 0;
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_actor who = portal_actor(req);
	struct field_errors fe = {0};
	char err[256] = "", where[64];
	int64_t comment_id = 0;
	int rc = consultation_comment(db, &who, req->path_id, params_text(req, "name"),
				      params_text(req, "text"), &comment_id, &fe, err, sizeof(err));
	if (rc == VE_NOTFOUND)
		return portal_not_found(req, rep);
	if (rc == VE_INVALID) {
		json_t *c = NULL;
		if (consultation_public_get(db, req->path_id, 0, &c) != 0)
			return portal_not_found(req, rep);
		return comment_page(req, rep, 400, c, &fe, err);
	}
	if (rc == VE_CONFLICT) {
		/* closed (or not open yet): the page says so, and why, without a form */
		json_t *c = NULL;
		if (consultation_public_get(db, req->path_id, 0, &c) == 0)
			return comment_page(req, rep, 409, c, NULL, err);
		return reply_error(req, rep, 409, "closed", err);
	}
	if (rc)
		return reply_error(req, rep, http_status_of(rc), "not_saved", err);
	snprintf(where, sizeof(where), "/consult/%lld/thanks", (long long)req->path_id);
	return reply_redirect(rep, where);
}

static int handle_portal_thanks(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = consultation_public_get(db, req->path_id, 0, &c);
	if (rc == VE_NOTFOUND)
		return portal_not_found(req, rep);
	if (rc)
		return rc;
	return reply_portal(req, rep, 200, "consultations/portal_thanks", "感谢您的意见", c);
}

/* ---- the routes ---- */

static const struct param_spec save_params[] = {
	{"title", "标题", PK_TEXT, 1, 1, 2 * CONSULT_TITLE_MAX, 0},
	{"body", "征求意见稿", PK_LONGTEXT, 0, 0, CONSULT_BODY_MAX + 1000, 0},
	{"opens_on", "开始日期", PK_TEXT, 0, 0, 20, 0},
	{"closes_on", "截止日期", PK_TEXT, 0, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec show_params[] = {
	PARAM_FLASH,
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec summary_params[] = {
	{"summary", "采纳情况", PK_LONGTEXT, 1, 1, CONSULT_SUMMARY_MAX + 1000, 0},
	PARAM_END,
};

static const struct param_spec reject_params[] = {
	{"reason", "理由", PK_TEXT, 1, 1, 2 * CONSULT_REASON_MAX, 0},
	PARAM_END,
};

static const struct param_spec comment_params[] = {
	/* well above the area's limits, so that an overlong text comes back in its form with the
	 * area's message and the count, not as a bare error page */
	{"name", "姓名", PK_TEXT, 0, 0, 10 * CONSULT_NAME_MAX, 0},
	{"text", "意见", PK_LONGTEXT, 0, 0, 4 * CONSULT_COMMENT_MAX, 0},
	PORTAL_GUARD_PARAMS,
	PARAM_END,
};

#define READ PERM_CONSULTATION_READ
#define PORTAL (ROUTE_PUBLIC | ROUTE_PORTAL)
#define MANAGE PERM_CONSULTATION_MANAGE

static const struct route routes[] = {
	{"GET", "/consultations", handle_list, READ, 0, params_none, 0},
	{"POST", "/consultations", handle_save, MANAGE, 0, save_params, 0},
	{"GET", "/consultations/new", handle_new, MANAGE, 0, params_flash, 0},
	{"GET", "/consultations/{id}", handle_show, READ, 0, show_params, 0},
	{"POST", "/consultations/{id}", handle_save, MANAGE, 0, save_params, 0},
	{"GET", "/consultations/{id}/edit", handle_edit, MANAGE, 0, params_flash, 0},
	{"POST", "/consultations/{id}/summary", handle_summary, MANAGE, 0, summary_params, 0},
	{"GET", "/consultations/{id}/export", handle_export, READ, 0, params_none, 0},
	{"POST", "/consultations/comments/{id}/publish", handle_publish, MANAGE, 0, params_none, 0},
	{"POST", "/consultations/comments/{id}/reject", handle_reject, MANAGE, 0, reject_params, 0},
	{"GET", "/consult", handle_portal_list, NULL, PORTAL, params_none, 0},
	{"GET", "/consult/{id}", handle_portal_one, NULL, PORTAL, params_none, 0},
	{"GET", "/consult/{id}/comment", handle_portal_form, NULL, PORTAL, params_none, 0},
	{"POST", "/consult/{id}/comment", handle_portal_comment, NULL, PORTAL | ROUTE_NO_CSRF,
	 comment_params, 0},
	{"GET", "/consult/{id}/thanks", handle_portal_thanks, NULL, PORTAL, params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{41, "/consultations", "意见征集", PERM_CONSULTATION_READ},
	{0},
};

/* The comments waiting for moderation, beside the navigation entry (for those who moderate). */
static int64_t pending_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	int64_t n = 0;
	struct db *db = db_thread();
	if (!perm_allows(req->user.roles, PERM_CONSULTATION_MANAGE) || !db ||
	    consultation_pending_count(db, &n) != 0)
		return 0;
	return n;
}

const struct web_area consultations_web = {
	.name = "consultations",
	.routes = routes,
	.nav = nav,
	.nav_count = pending_count,
};
