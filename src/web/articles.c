/* articles.c - the back office of 门户内容: the list with its filters, the form (new and edit)
 * with a preview rendered by the server, an item with publish, withdraw and delete. The area
 * (article.c) checks and audits every step. */
#include "web/benefit_pages.h"
#include "web/flash.h"
#include "areas/article.h"
#include "lib/err.h"
#include "lib/markdown.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

static const char *const form_fields[] = {"kind",   "category", "title",        "body",
					  "source", "doc_no",   "published_on", NULL};

static json_t *typed_values(struct request *req)
{
	json_t *v = json_object();
	for (const char *const *f = form_fields; *f; f++)
		json_object_set_new(v, *f, json_string(params_text(req, *f)));
	return v;
}

static struct article_in typed_in(struct request *req)
{
	return (struct article_in){.kind = params_text(req, "kind"),
				   .category = params_text(req, "category"),
				   .title = params_text(req, "title"),
				   .body = params_text(req, "body"),
				   .source = params_text(req, "source"),
				   .doc_no = params_text(req, "doc_no"),
				   .published_on = params_text(req, "published_on")};
}

/* The page's own parents below the navigation entry (which reply_page adds). */
static json_t *crumbs(void)
{
	return json_array();
}

/* ---- the list ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *kind = params_text(req, "kind"), *cat = params_text(req, "category"),
		   *status = params_text(req, "status");
	json_t *list = NULL;
	int rc = article_list(db, &req->user, kind, cat, status, params_int(req, "page", 1), &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	struct buf base;
	buf_init(&base, 1024);
	buf_puts(&base, "/articles?");
	page_query_add(&base, "kind", kind);
	page_query_add(&base, "category", cat);
	page_query_add(&base, "status", status);
	json_t *pager = page_pager(json_integer_value(json_object_get(list, "page")),
				   ARTICLE_PER_PAGE,
				   json_integer_value(json_object_get(list, "total")), buf_cstr(&base));
	buf_free(&base);
	json_t *data = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:b}", "list", list, "pager", pager, "kinds",
		benefit_choices(article_kinds, ARTICLE_N_KINDS, kind), "categories",
		benefit_choices(article_categories, ARTICLE_N_CATEGORIES, cat), "statuses",
		benefit_choices(article_statuses, ARTICLE_N_STATUSES, status), "can_manage",
		perm_allows(req->user.roles, PERM_ARTICLE_MANAGE));
	return reply_page(req, rep, 200, "articles/list", "门户内容", data);
}

/* ---- the form ---- */

/* The form page: id 0 for a new item; form {"values","errors","invalid"} (stolen); preview
 * the typed body's tree (stolen, may be NULL). */
static int form_page(struct request *req, struct reply *rep, int status, int64_t id,
		     json_t *form, json_t *preview, int previewed)
{
	json_t *values = json_object_get(form, "values");
	const char *kind = json_string_value(json_object_get(values, "kind"));
	const char *cat = json_string_value(json_object_get(values, "category"));
	char action[64];
	if (id)
		snprintf(action, sizeof(action), "/articles/%lld", (long long)id);
	else
		snprintf(action, sizeof(action), "/articles");
	json_t *data = json_pack("{s:o,s:o,s:o,s:s,s:I,s:b,s:I,s:I}", "form", form, "kinds",
				 benefit_choices(article_kinds, ARTICLE_N_KINDS, kind),
				 "categories",
				 benefit_choices(article_categories, ARTICLE_N_CATEGORIES, cat),
				 "action", action, "id", (json_int_t)id, "previewed", previewed,
				 "title_max", (json_int_t)ARTICLE_TITLE_MAX, "body_max",
				 (json_int_t)ARTICLE_BODY_MAX);
	if (preview)
		json_object_set_new(data, "preview", preview);
	json_t *c = crumbs();
	if (id) {
		char href[64];
		snprintf(href, sizeof(href), "/articles/%lld", (long long)id);
		json_array_append_new(c, json_pack("{s:s,s:s}", "title", "原文", "href", href));
	}
	json_object_set_new(data, "crumbs", c);
	return reply_page(req, rep, status, "articles/form", id ? "修改门户内容" : "新建门户内容",
			  data);
}

static int handle_new(struct request *req, struct reply *rep)
{
	struct field_errors fe;
	const char *err = NULL;
	if (!form_restore(req, &fe, &err, NULL)) {
		json_t *v = json_pack("{s:s}", "kind", params_text(req, "kind"));
		return form_page(req, rep, 200, 0, benefit_form(v), NULL, 0);
	}
	json_t *form = benefit_form(typed_values(req));
	benefit_form_refused(form, VE_INVALID, &fe, err);
	return form_page(req, rep, 200, 0, form, NULL, 0);
}

static int handle_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	if (!db)
		return 0;
	json_t *o = NULL;
	int rc = article_get(db, &req->user, req->path_id, &o);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "文章不存在" : NULL);
	if (form_restore(req, &fe, &err, NULL)) {
		json_decref(o);
		json_t *form = benefit_form(typed_values(req));
		benefit_form_refused(form, VE_INVALID, &fe, err);
		return form_page(req, rep, 200, req->path_id, form, NULL, 0);
	}
	json_t *v = json_object();
	for (const char *const *f = form_fields; *f; f++)
		json_object_set(v, *f, json_object_get(o, *f));
	json_decref(o);
	return form_page(req, rep, 200, req->path_id, benefit_form(v), NULL, 0);
}

/* The preview button: the typed form again with the body rendered, nothing saved. */
static int preview(struct request *req, struct reply *rep, int64_t id)
{
	json_t *form = benefit_form(typed_values(req));
	const char *body = params_text(req, "body");
	json_t *tree = markdown_tree(body, strlen(body));
	if (!tree)
		benefit_form_error(form, "正文", "正文的段落、列表等结构过多，无法预览，请拆分成几篇");
	return form_page(req, rep, tree ? 200 : 400, id, form, tree, 1);
}

static int handle_create(struct request *req, struct reply *rep)
{
	if (params_flag(req, "preview"))
		return preview(req, rep, 0);
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t id;
	struct article_in in = typed_in(req);
	int rc = article_create(db, &req->user, &in, &id, &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, "/articles/new", &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(typed_values(req));
		benefit_form_refused(form, rc, &fe, err);
		return form_page(req, rep, 400, 0, form, NULL, 0);
	}
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/articles/%lld", (long long)id);
	reply_flash(rep, "ok", "已保存为草稿，发布后在门户网站显示");
	return reply_redirect(rep, where);
}

static int handle_update(struct request *req, struct reply *rep)
{
	if (params_flag(req, "preview"))
		return preview(req, rep, req->path_id);
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64], edit[64];
	struct article_in in = typed_in(req);
	int rc = article_update(db, &req->user, req->path_id, &in, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/articles/%lld", (long long)req->path_id);
	snprintf(edit, sizeof(edit), "/articles/%lld/edit", (long long)req->path_id);
	if (rc == VE_INVALID) {
		if (reply_form_refused(req, rep, edit, &fe, err, NULL) == 0)
			return 0;
		json_t *form = benefit_form(typed_values(req));
		benefit_form_refused(form, rc, &fe, err);
		return form_page(req, rep, 400, req->path_id, form, NULL, 0);
	}
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "文章不存在" : err);
	reply_flash(rep, "ok", "修改已保存");
	return reply_redirect(rep, where);
}

/* ---- one item ---- */

static int show_page(struct request *req, struct reply *rep, struct db *db, json_t *form,
		     const char *refusal)
{
	json_t *o = NULL;
	int rc = article_get(db, &req->user, req->path_id, &o);
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "文章不存在" : NULL);
	}
	char title[ARTICLE_TITLE_MAX * 4 + 1]; /* the longest title, cut (if ever) between characters */
	str_copy(title, json_string_value(json_object_get(o, "title")), sizeof(title));
	json_t *data = json_pack("{s:o,s:b,s:o}", "item", o, "can_manage",
				 perm_allows(req->user.roles, PERM_ARTICLE_MANAGE), "crumbs",
				 crumbs());
	if (form)
		json_object_set_new(data, "withdraw_form", form);
	if (refusal && *refusal)
		json_object_set_new(data, "refusal", json_string(refusal));
	return reply_page(req, rep, 200, "articles/show", title, data);
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	json_t *kept = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, &kept))
		return show_page(req, rep, db, NULL, NULL);
	int rc = (int)json_integer_value(json_object_get(kept, "rc"));
	json_decref(kept);
	if (rc == VE_INVALID) {
		json_t *form = benefit_form(json_pack("{s:s}", "reason", params_text(req, "reason")));
		benefit_form_refused(form, rc, &fe, err);
		return show_page(req, rep, db, form, NULL);
	}
	return show_page(req, rep, db, NULL, err && *err ? err : err_message(VE_CONFLICT));
}

enum step { PUBLISH, WITHDRAW, DELETE };

static int page_step(struct request *req, struct reply *rep, enum step s)
{
	static const char *const done[] = {"已发布，门户网站即时显示", "已撤回，门户网站不再显示",
					   "草稿已删除"};
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64];
	int rc = s == PUBLISH    ? article_publish(db, &req->user, req->path_id, err, sizeof(err))
		 : s == WITHDRAW ? article_withdraw(db, &req->user, req->path_id,
						    params_text(req, "reason"), &fe, err, sizeof(err))
				 : article_delete(db, &req->user, req->path_id, err, sizeof(err));
	snprintf(where, sizeof(where), "/articles/%lld", (long long)req->path_id);
	if (!rc) {
		reply_flash(rep, "ok", done[s]);
		return reply_redirect(rep, s == DELETE ? "/articles" : where);
	}
	if (rc != VE_INVALID && rc != VE_CONFLICT)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "文章不存在" : err);
	json_t *kept = json_pack("{s:i}", "rc", rc);
	int k = reply_form_refused(req, rep, where, &fe, *err ? err : NULL, kept);
	json_decref(kept);
	return k == 0 ? 0 : show_page(req, rep, db, NULL, err);
}

static int handle_publish(struct request *req, struct reply *rep)
{
	return page_step(req, rep, PUBLISH);
}
static int handle_withdraw(struct request *req, struct reply *rep)
{
	return page_step(req, rep, WITHDRAW);
}
static int handle_delete(struct request *req, struct reply *rep)
{
	return page_step(req, rep, DELETE);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"kind", "类型", PK_TEXT, 0, 0, 10, 0},
	{"category", "信息公开类别", PK_TEXT, 0, 0, 10, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};
static const struct param_spec new_params[] = {
	{"kind", "类型", PK_TEXT, 0, 0, 10, 0},
	PARAM_FLASH,
	PARAM_END,
};
static const struct param_spec form_params[] = {
	{"kind", "类型", PK_TEXT, 1, 1, 10, 0},
	{"category", "信息公开类别", PK_TEXT, 0, 0, 10, 0},
	{"title", "标题", PK_TEXT, 0, 0, ARTICLE_TITLE_MAX, 0},
	{"body", "正文", PK_LONGTEXT, 0, 0, ARTICLE_BODY_MAX, 0},
	{"source", "发布机构", PK_TEXT, 0, 0, ARTICLE_SOURCE_MAX, 0},
	{"doc_no", "文号", PK_TEXT, 0, 0, ARTICLE_DOC_NO_MAX, 0},
	{"published_on", "发布日期", PK_TEXT, 0, 0, 20, 0},
	{"preview", "预览", PK_FLAG, 0, 0, 0, 0},
	PARAM_END,
};
static const struct param_spec withdraw_params[] = {
	{"reason", "撤回原因", PK_TEXT, 0, 0, ARTICLE_REASON_MAX, 0},
	PARAM_END,
};

static const struct route routes[] = {
	{"GET", "/articles", handle_list, PERM_ARTICLE_READ, 0, list_params, 0},
	{"GET", "/articles/new", handle_new, PERM_ARTICLE_MANAGE, 0, new_params, 0},
	{"POST", "/articles", handle_create, PERM_ARTICLE_MANAGE, 0, form_params, 0},
	{"GET", "/articles/{id}", handle_show, PERM_ARTICLE_READ, 0, params_flash, 0},
	{"GET", "/articles/{id}/edit", handle_edit, PERM_ARTICLE_MANAGE, 0, params_flash, 0},
	{"POST", "/articles/{id}", handle_update, PERM_ARTICLE_MANAGE, 0, form_params, 0},
	{"POST", "/articles/{id}/publish", handle_publish, PERM_ARTICLE_MANAGE, 0, params_none, 0},
	{"POST", "/articles/{id}/withdraw", handle_withdraw, PERM_ARTICLE_MANAGE, 0,
	 withdraw_params, 0},
	{"POST", "/articles/{id}/delete", handle_delete, PERM_ARTICLE_MANAGE, 0, params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{40, "/articles", "门户内容", PERM_ARTICLE_READ},
	{0},
};

const struct web_area articles_web = {
	.name = "articles",
	.routes = routes,
	.nav = nav,
};
