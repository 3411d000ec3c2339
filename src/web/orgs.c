/* orgs.c - organisations, the role × permission table, and the security policy pages. */
#include "web/route.h"
#include "web/flash.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "areas/area.h"
#include "areas/policy.h"
#include "lib/err.h"

#include <string.h>

static int org_list(struct request *req, struct reply *rep, int status, const char *error)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *orgs;
	if (account_org_list(db, &req->user, &orgs) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	json_t *page = json_pack(
		"{s:o,s:b,s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:{s:s,s:s,s:s,s:s}}", "orgs", orgs,
		"can_write", perm_allows(req->user.roles, PERM_ORG_WRITE), "kinds", "name",
		"section", "title", "科室", "name", "street", "title", "街道服务站", "name",
		"community", "title", "社区服务站", "values", "parent_code",
		params_text(req, "parent_code"), "code", params_text(req, "code"), "name",
		params_text(req, "name"), "kind", params_text(req, "kind"));
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "orgs/list", "组织机构", page);
}

/* The organisations; after a refused form, with what was typed and its message
 * (POST/redirect/GET, flash.h). */
static int handle_orgs(struct request *req, struct reply *rep)
{
	struct field_errors e;
	const char *error = NULL;
	form_restore(req, &e, &error, NULL);
	return org_list(req, rep, 200, error);
}

/* A refused organisation form (rc): what was sent refused goes back to /orgs with it
 * (POST/redirect/GET), any other refusal is the page with its status, as before. */
static int org_refused(struct request *req, struct reply *rep, int rc, const char *err)
{
	if ((rc == VE_INVALID || rc == VE_EXISTS) &&
	    reply_form_refused(req, rep, "/orgs", NULL, err, NULL) == 0)
		return 0;
	return org_list(req, rep, rc == VE_EXISTS ? 409 : 400, err);
}

static int handle_org_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t id;
	char err[256] = "";
	int rc = account_org_create(db, &req->user, params_text(req, "parent_code"),
				    params_text(req, "code"), params_text(req, "name"),
				    params_text(req, "kind"), &id, err, sizeof(err));
	if (rc) /* an unknown parent is the code typed: a field of the form */
		return org_refused(req, rep, rc == VE_NOTFOUND ? VE_INVALID : rc, err);
	reply_flash(rep, "ok", "机构已创建");
	return reply_redirect(rep, "/orgs");
}

static int handle_org_rename(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = account_org_rename(db, &req->user, req->path_id, params_text(req, "name"), err,
				    sizeof(err));
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "机构不存在");
	if (rc)
		return org_refused(req, rep, rc == VE_EXISTS ? VE_INVALID : rc, err);
	reply_flash(rep, "ok", "机构名称已修改");
	return reply_redirect(rep, "/orgs");
}

/* Every permission of every area, signed_in first, as the roles page lists them. */
static size_t all_perms(const struct perm **out, size_t max)
{
	size_t n = 0;
	out[n++] = PERM_SIGNED_IN;
	for (const struct area *const *a = area_list; *a; a++)
		for (const struct perm *const *p = (*a)->perms; p && *p && n < max; p++)
			out[n++] = *p;
	return n;
}

static int handle_roles(struct request *req, struct reply *rep)
{
	const struct perm *list[128];
	size_t n = all_perms(list, sizeof(list) / sizeof(list[0]));
	json_t *perms = json_array(), *roles = json_array();
	for (size_t p = 0; p < n; p++)
		json_array_append_new(perms, json_pack("{s:s,s:s}", "title", perm_title(list[p]),
						       "name", perm_name(list[p])));
	for (int r = 0; r < ROLE__COUNT; r++) {
		json_t *cells = json_array();
		for (size_t p = 0; p < n; p++)
			json_array_append_new(cells,
					      json_pack("{s:b}", "allowed", perm_allows(1u << r, list[p])));
		json_array_append_new(roles, json_pack("{s:s,s:s,s:o}", "name", role_name(r),
						       "title", role_title(r), "cells", cells));
	}
	return reply_page(req, rep, 200, "roles", "角色权限",
			  json_pack("{s:o,s:o}", "perms", perms, "roles", roles));
}

static int policy_page(struct request *req, struct reply *rep, const struct policy *pol, int status,
		       const char *error)
{
	json_t *page = policy_json(pol);
	json_object_set_new(page, "can_write", json_true());
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "policy", "安全策略", page);
}

static void read_policy(struct request *req, struct policy *pol);

/* The policy page; after a refused save, the values typed and the message. */
static int handle_policy(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct policy pol;
	struct field_errors e;
	const char *error = NULL;
	policy_load(db, &pol);
	if (form_restore(req, &e, &error, NULL))
		read_policy(req, &pol);
	return policy_page(req, rep, &pol, 200, error);
}

/* The values of the form over pol (fields a form leaves out keep their value). */
static void read_policy(struct request *req, struct policy *pol)
{
	pol->min_length = (int)params_int(req, "min_length", 0);
	pol->expiry_days = (int)params_int(req, "expiry_days", 0);
	pol->history = (int)params_int(req, "history", 0);
	pol->max_failures = (int)params_int(req, "max_failures", 0);
	pol->lock_minutes = (int)params_int(req, "lock_minutes", 0);
	pol->idle_minutes = (int)params_int(req, "idle_minutes", 0);
	pol->max_sessions = (int)params_int(req, "max_sessions", pol->max_sessions);
	pol->session_hours = (int)params_int(req, "session_hours", pol->session_hours);
	pol->audit_months = (int)params_int(req, "audit_months", pol->audit_months);
}

static int handle_policy_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct policy pol;
	policy_load(db, &pol);
	read_policy(req, &pol);
	char err[256] = "";
	int rc = policy_save(db, &req->user, &pol, err, sizeof(err));
	if (rc == 0) {
		reply_flash(rep, "ok", "安全策略已保存");
		return reply_redirect(rep, "/policy");
	}
	const char *why = err[0] ? err : "保存失败";
	if (rc == VE_INVALID && reply_form_refused(req, rep, "/policy", NULL, why, NULL) == 0)
		return 0;
	return policy_page(req, rep, &pol, rc == VE_INVALID ? 400 : 500, why);
}

/* ---- the routes of organisations, the roles table and the security policy ---- */

static const struct param_spec org_new_params[] = {
	{"parent_code", "上级机构", PK_WORD, 1, 1, 20, 0},
	{"code", "机构代码", PK_WORD, 1, 1, 20, 0},
	{"name", "机构名称", PK_TEXT, 1, 1, 60, 0},
	{"kind", "机构类型", PK_WORD, 1, 1, 20, 0},
	PARAM_END,
};

static const struct param_spec org_rename_params[] = {
	{"name", "机构名称", PK_TEXT, 1, 1, 60, 0},
	PARAM_END,
};

static const struct param_spec policy_params[] = {
	{"min_length", "密码最小长度", PK_INT, 1, 8, 64, 0},
	{"expiry_days", "密码有效期", PK_INT, 1, 1, 90, 0},
	{"history", "历史密码个数", PK_INT, 1, 5, 24, 0},
	{"max_failures", "连续失败锁定次数", PK_INT, 1, 3, 10, 0},
	{"lock_minutes", "锁定时长", PK_INT, 1, 30, 1440, 0},
	{"idle_minutes", "会话空闲超时", PK_INT, 1, 5, 30, 0},
	{"max_sessions", "同时在线会话数", PK_INT, 0, 1, 10, 0},
	{"session_hours", "会话最长时限", PK_INT, 0, 1, 12, 0},
	/* under 6 passes here so that policy_check says why it is refused (等保) */
	{"audit_months", "审计记录保留期", PK_INT, 0, 0, 100000, 0},
	PARAM_END,
};

static const struct route routes[] = {
	{"GET", "/orgs", handle_orgs, PERM_ORG_READ, 0, params_flash, 0},
	{"POST", "/orgs", handle_org_create, PERM_ORG_WRITE, 0, org_new_params, 0},
	{"POST", "/orgs/{id}", handle_org_rename, PERM_ORG_WRITE, 0, org_rename_params, 0},
	{"GET", "/roles", handle_roles, PERM_ACCOUNT_READ, 0, params_none, 0},
	{"GET", "/policy", handle_policy, PERM_POLICY, 0, params_flash, 0},
	{"POST", "/policy", handle_policy_save, PERM_POLICY, 0, policy_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{60, "/orgs", "组织机构", PERM_ORG_READ},
	{70, "/roles", "角色权限", PERM_ACCOUNT_READ},
	{80, "/policy", "安全策略", PERM_POLICY},
	{0},
};

const struct web_area orgs_web = {
	.name = "orgs",
	.routes = routes,
	.nav = nav,
};
