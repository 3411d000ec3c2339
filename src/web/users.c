/* users.c - account pages and API: list, create, show, edit, reset, unlock, grant roles
 * and grants. */
#include "web/route.h"
#include "web/flash.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#define PER_PAGE 30

static json_t *org_choices(struct db *db, const struct principal *by)
{
	json_t *orgs = NULL;
	if (account_org_list(db, by, &orgs) != 0)
		return json_array();
	return orgs;
}

/* The accounts the query asks for, per_page of them (0: as asked), for the page and
 * the API alike: 0 with *list, or the area's error. */
static int users_of(struct request *req, struct db *db, int64_t per_page, json_t **list)
{
	return account_user_list(db, &req->user, params_text(req, "q"), params_int(req, "page", 1),
				 per_page ? per_page : params_int(req, "per_page", PER_PAGE), list);
}

static int handle_users(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *q = params_text(req, "q");
	int64_t page = params_int(req, "page", 1);
	json_t *list;
	int rc = users_of(req, db, PER_PAGE, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	struct buf base;
	buf_init(&base, 1024);
	buf_puts(&base, "/users?");
	page_query_add(&base, "q", q);
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_object_set_new(list, "pager", page_pager(page, PER_PAGE, total, buf_cstr(&base)));
	buf_free(&base);
	json_object_set_new(list, "q", json_string(q));
	json_object_set_new(list, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_ACCOUNT_WRITE)));
	return reply_page(req, rep, 200, "users/list", "账号管理", list);
}

static int handle_api_users(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list;
	int rc = users_of(req, db, 0, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	return reply_json(rep, 200, list);
}

static int new_form(struct request *req, struct reply *rep, struct db *db, int status,
		    const char *error)
{
	json_t *page = json_pack("{s:o,s:{s:s,s:s,s:s}}", "orgs", org_choices(db, &req->user),
				 "values", "username", params_text(req, "username"), "display_name",
				 params_text(req, "display_name"), "org_code",
				 params_text(req, "org_code"));
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "users/new", "新建账号", page);
}

/* 1 when rc refuses what the form sent (400, 409): that goes back to the form's page
 * (POST/redirect/GET); a refusal of the user (403, …) is answered as it is. */
static int refusal(int rc)
{
	return rc == VE_INVALID || rc == VE_EXISTS;
}

/* The new account's form: empty, or as it was refused (POST/redirect/GET, flash.h; the
 * password is not kept: it is typed again). */
static int handle_user_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e;
	const char *error = NULL;
	form_restore(req, &e, &error, NULL);
	return db ? new_form(req, rep, db, 200, error) : 0;
}

static int handle_user_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct account_new in = {
		.username = params_text(req, "username"),
		.display_name = params_text(req, "display_name"),
		.org_code = params_text(req, "org_code"),
		.password = params_text(req, "password"),
		.temporary = 1, /* an administrator's password is always temporary */
	};
	int64_t id;
	char err[256] = "";
	int rc = account_user_create(db, &req->user, &in, &id, err, sizeof(err));
	if (rc &&
	    (!refusal(rc) || reply_form_refused(req, rep, "/users/new", NULL, err, NULL) != 0))
		return new_form(req, rep, db, http_status_of(rc), err);
	if (rc)
		return 0;
	char where[64];
	snprintf(where, sizeof(where), "/users/%lld", (long long)id);
	reply_flash(rep, "ok", "账号已创建。角色须由安全管理员授予，用户首次登录须修改密码。");
	return reply_redirect(rep, where);
}

static int show(struct request *req, struct reply *rep, int status, const char *error)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *user;
	int rc = account_user_get(db, &req->user, req->path_id, &user);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "账号不存在" : NULL);
	json_t *roles = json_array(), *scopes = json_array();
	const char *scope = json_string_value(json_object_get(user, "scope"));
	json_t *held = json_object_get(user, "roles");
	for (int r = 0; r < ROLE__COUNT; r++) {
		int checked = 0;
		size_t i;
		json_t *h;
		json_array_foreach(held, i, h) checked |=
			strcmp(json_string_value(json_object_get(h, "name")), role_name(r)) == 0;
		json_array_append_new(roles, json_pack("{s:s,s:s,s:b}", "name", role_name(r),
						       "title", role_title(r), "checked", checked));
	}
	for (int k = 0; k < SCOPE__COUNT; k++)
		json_array_append_new(scopes, json_pack("{s:s,s:s,s:b}", "name", scope_name(k),
							"title", scope_title(k), "selected",
							strcmp(scope, scope_name(k)) == 0));
	json_t *pending = NULL;
	if (account_reset_pending(db, req->path_id, &pending) == 0 && pending)
		json_object_set_new(user, "pending_reset", pending);
	json_object_set_new(user, "holds_roles", json_boolean(json_array_size(held) > 0));
	/* The grants: held or not, and whether his roles let him be given each. */
	json_t *grants = json_array(), *has = json_object_get(user, "grants");
	role_set user_roles = account_roles_of(db, req->path_id);
	size_t i;
	json_t *h;
	for (int g = 0; g < GRANT__COUNT; g++) {
		int on = 0;
		json_array_foreach(has, i, h) on |=
			strcmp(json_string_value(json_object_get(h, "name")), grant_name(g)) == 0;
		char titles[160];
		account_roles_text(grant_roles(g), titles, sizeof(titles));
		json_array_append_new(grants, json_pack("{s:s,s:s,s:b,s:b,s:s}", "name",
							grant_name(g), "title", grant_title(g),
							"held", on, "eligible",
							(user_roles & grant_roles(g)) != 0,
							"for_roles", titles));
	}
	json_t *page = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:i,s:b,s:b}", "user", user, "orgs", org_choices(db, &req->user),
		"all_roles", roles, "scopes", scopes, "all_grants", grants, "reason_max",
		ACCOUNT_REASON_MAX, "can_write",
		perm_allows(req->user.roles, PERM_ACCOUNT_WRITE), "can_grant",
		perm_allows(req->user.roles, PERM_ROLE_GRANT) && req->path_id != req->user.user_id);
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "users/show", "账号详情", page);
}

/* The account page; after a refused change, with its message (POST/redirect/GET). */
static int handle_user_show(struct request *req, struct reply *rep)
{
	struct field_errors e;
	const char *error = NULL;
	form_restore(req, &e, &error, NULL);
	return show(req, rep, 200, error);
}

/* After a change: back to the account page with a message, or the page with the error. */
static int after_change(struct request *req, struct reply *rep, int rc, const char *err,
			const char *done)
{
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "账号不存在");
	char where[64];
	snprintf(where, sizeof(where), "/users/%lld", (long long)req->path_id);
	if (rc && (!refusal(rc) || reply_form_refused(req, rep, where, NULL, err, NULL) != 0))
		return show(req, rep, http_status_of(rc), err);
	if (rc)
		return 0;
	reply_flash(rep, "ok", done);
	return reply_redirect(rep, where);
}

static int handle_user_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = account_user_update(db, &req->user, req->path_id, params_text(req, "display_name"),
				     params_text(req, "org_code"), params_flag(req, "disabled"),
				     err, sizeof(err));
	return after_change(req, rep, rc, err, "账号信息已保存");
}

static int handle_user_password(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int pending = 0;
	int rc = account_user_reset_password(db, &req->user, req->path_id,
					     params_text(req, "password"), &pending, err,
					     sizeof(err));
	return after_change(req, rep, rc, err,
			    pending ? "已提交重置申请：该账号持有业务角色，须安全管理员确认后生效"
				    : "已设置临时密码，用户下次登录须修改");
}

static int handle_user_password_confirm(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = account_user_confirm_password(db, &req->user, req->path_id, err, sizeof(err));
	return after_change(req, rep, rc, err, "已确认重置：临时密码生效，用户下次登录须修改");
}

static int handle_user_unlock(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = account_user_unlock(db, &req->user, req->path_id, err, sizeof(err));
	return after_change(req, rep, rc, err, "已解除锁定");
}

static int handle_user_roles(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	role_set roles = 0;
	for (size_t i = 0; i < req->n_params; i++) {
		if (strcmp(req->params[i].name, "role") != 0)
			continue;
		int r = role_parse(req->params[i].value);
		if (r < 0)
			return reply_error(req, rep, 400, "invalid_parameter", "角色无效");
		roles |= 1u << r;
	}
	int scope = scope_parse(params_text(req, "scope"));
	if (scope < 0)
		return reply_error(req, rep, 400, "invalid_parameter", "数据范围无效");
	char err[256] = "";
	int rc = account_user_grant(db, &req->user, req->path_id, roles, (enum scope_kind)scope,
				    err, sizeof(err));
	return after_change(req, rep, rc, err, "角色与数据范围已保存，用户重新登录后生效");
}

/* The security administrator gives or takes back one grant, with a reason. */
static int handle_user_right(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int g = grant_parse(params_text(req, "grant"));
	const char *op = params_text(req, "op");
	if (g < 0 || (strcmp(op, "give") != 0 && strcmp(op, "revoke") != 0))
		return reply_error(req, rep, 400, "invalid_parameter", "授权项目无效");
	int give = strcmp(op, "give") == 0;
	char err[256] = "";
	int rc = account_user_right(db, &req->user, req->path_id, (enum grant)g, give,
				    params_text(req, "reason"), err, sizeof(err));
	return after_change(req, rep, rc, err,
			    give ? "已授权，用户重新登录后生效" : "已收回授权，用户须重新登录");
}

/* ---- the routes of accounts ---- */

static const struct param_spec list_params[] = {
	{"q", "查询条件", PK_TEXT, 0, 0, 50, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_END,
};

static const struct param_spec user_new_params[] = {
	{"username", "用户名", PK_WORD, 1, 2, 32, 0},
	{"display_name", "姓名", PK_TEXT, 1, 1, 50, 0},
	{"org_code", "所属机构", PK_WORD, 1, 1, 20, 0},
	{"password", "初始密码", PK_SECRET, 1, 1, 128, 0},
	PARAM_END,
};

static const struct param_spec user_edit_params[] = {
	{"display_name", "姓名", PK_TEXT, 1, 1, 50, 0},
	{"org_code", "所属机构", PK_WORD, 1, 1, 20, 0},
	{"disabled", "停用", PK_FLAG, 0, 0, 0, 0},
	PARAM_END,
};

static const struct param_spec reset_params[] = {
	{"password", "临时密码", PK_SECRET, 1, 1, 128, 0},
	PARAM_END,
};

static const struct param_spec grant_params[] = {
	{"role", "角色", PK_WORD, 0, 1, 20, 1},
	{"scope", "数据范围", PK_WORD, 1, 1, 20, 0},
	PARAM_END,
};

static const struct param_spec right_params[] = {
	{"grant", "授权项目", PK_WORD, 1, 1, 20, 0},
	{"op", "操作", PK_WORD, 1, 1, 10, 0},
	/* longer than the area allows, so that its message names the limit */
	{"reason", "授权理由", PK_TEXT, 1, 1, 2 * ACCOUNT_REASON_MAX, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/users", handle_users, PERM_ACCOUNT_READ, 0, list_params, 0},
	{"GET", "/users/new", handle_user_new, PERM_ACCOUNT_WRITE, 0, params_flash, 0},
	{"POST", "/users", handle_user_create, PERM_ACCOUNT_WRITE, 0, user_new_params, 0},
	{"GET", "/users/{id}", handle_user_show, PERM_ACCOUNT_READ, 0, params_flash, 0},
	{"POST", "/users/{id}", handle_user_update, PERM_ACCOUNT_WRITE, 0, user_edit_params, 0},
	{"POST", "/users/{id}/password", handle_user_password, PERM_ACCOUNT_WRITE, 0, reset_params, 0},
	{"POST", "/users/{id}/password/confirm", handle_user_password_confirm, PERM_ROLE_GRANT, 0, params_none, 0},
	{"POST", "/users/{id}/unlock", handle_user_unlock, PERM_ACCOUNT_WRITE, 0, params_none, 0},
	{"POST", "/users/{id}/roles", handle_user_roles, PERM_ROLE_GRANT, 0, grant_params, 0},
	{"POST", "/users/{id}/rights", handle_user_right, PERM_ROLE_GRANT, 0, right_params, 0},
	{"GET", "/api/v1/users", handle_api_users, PERM_ACCOUNT_READ, API, list_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{50, "/users", "账号管理", PERM_ACCOUNT_READ},
	{0},
};

const struct web_area users_web = {
	.name = "users",
	.routes = routes,
	.nav = nav,
};
