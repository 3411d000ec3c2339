/* orgs.c - organisations, the role × permission table, and the security policy pages. */
#include "handlers.h"
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

int handle_orgs(struct request *req, struct reply *rep)
{
	return org_list(req, rep, 200, NULL);
}

int handle_org_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t id;
	char err[256] = "";
	int rc = account_org_create(db, &req->user, params_text(req, "parent_code"),
				    params_text(req, "code"), params_text(req, "name"),
				    params_text(req, "kind"), &id, err, sizeof(err));
	if (rc)
		return org_list(req, rep, rc == VE_EXISTS ? 409 : 400, err);
	reply_flash(rep, "ok", "机构已创建");
	return reply_redirect(rep, "/orgs");
}

int handle_org_rename(struct request *req, struct reply *rep)
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
		return org_list(req, rep, 400, err);
	reply_flash(rep, "ok", "机构名称已修改");
	return reply_redirect(rep, "/orgs");
}

int handle_roles(struct request *req, struct reply *rep)
{
	json_t *perms = json_array(), *roles = json_array();
	for (int p = 0; p < PERM__COUNT; p++)
		json_array_append_new(perms, json_pack("{s:s,s:s}", "title", perm_title(p), "name",
						       perm_name(p)));
	for (int r = 0; r < ROLE__COUNT; r++) {
		json_t *cells = json_array();
		for (int p = 0; p < PERM__COUNT; p++)
			json_array_append_new(
				cells, json_pack("{s:b}", "allowed", perm_allows(1u << r, p)));
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

int handle_policy(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct policy pol;
	policy_load(db, &pol);
	return policy_page(req, rep, &pol, 200, NULL);
}

int handle_policy_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct policy pol;
	policy_load(db, &pol); /* fields a form leaves out keep their value */
	pol.min_length = (int)params_int(req, "min_length", 0);
	pol.expiry_days = (int)params_int(req, "expiry_days", 0);
	pol.history = (int)params_int(req, "history", 0);
	pol.max_failures = (int)params_int(req, "max_failures", 0);
	pol.lock_minutes = (int)params_int(req, "lock_minutes", 0);
	pol.idle_minutes = (int)params_int(req, "idle_minutes", 0);
	pol.max_sessions = (int)params_int(req, "max_sessions", pol.max_sessions);
	pol.session_hours = (int)params_int(req, "session_hours", pol.session_hours);
	char err[256] = "";
	if (db_begin(db) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	int rc = policy_save(db, &pol, req->user.user_id, err, sizeof(err));
	if (rc == 0) {
		struct audit_actor who = account_actor(&req->user);
		char detail[300];
		snprintf(detail, sizeof(detail),
			 "密码最小长度 %d，有效期 %d 天，历史 %d 个，失败 %d 次锁定 %d 分钟，空闲 "
			 "%d 分钟，每人会话 %d 个，会话最长 %d 小时",
			 pol.min_length, pol.expiry_days, pol.history, pol.max_failures,
			 pol.lock_minutes, pol.idle_minutes, pol.max_sessions, pol.session_hours);
		rc = audit_write(db, &who, "policy.update", "policy", "ok", detail) ? VE_DB : 0;
	}
	if (rc == 0 && db_commit(db) == 0) {
		reply_flash(rep, "ok", "安全策略已保存");
		return reply_redirect(rep, "/policy");
	}
	db_rollback(db);
	return policy_page(req, rep, &pol, rc == VE_INVALID ? 400 : 500, err[0] ? err : "保存失败");
}
