/* account.c - organisations, user accounts, roles and passwords. */
#include "account.h"
#include "policy.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <string.h>

struct audit_actor account_actor(const struct principal *p)
{
	return (struct audit_actor){p->user_id, p->username, p->ip, p->region_code};
}

int account_audit(struct db *db, const struct principal *p, const char *action, const char *kind,
		  int64_t id, const char *detail)
{
	char object[64];
	if (id)
		snprintf(object, sizeof(object), "%s:%lld", kind, (long long)id);
	else
		snprintf(object, sizeof(object), "%s", kind);
	struct audit_actor who = account_actor(p);
	return audit_write(db, &who, action, object, "ok", detail) ? VE_DB : 0;
}

void account_cli_principal(struct principal *p)
{
	memset(p, 0, sizeof(*p));
	str_copy(p->username, "cli", sizeof(p->username));
	str_copy(p->display_name, "命令行操作员", sizeof(p->display_name));
	str_copy(p->ip, "local", sizeof(p->ip));
	p->roles = (1u << ROLE__COUNT) - 1;
	p->scope.kind = SCOPE_ALL;
}

static int is_cli(const struct principal *p)
{
	return p->user_id == 0;
}

/* Runs audit_write for by and turns a failure into VE_DB. */
static int audit(struct db *db, const struct principal *by, const char *action, const char *object,
		 const char *detail)
{
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, action, object, "ok", detail) ? VE_DB : 0;
}

/* Records a refusal of action on user id by by (in a transaction of its own:
 * nothing else changes) and returns VE_DENIED; err already holds the reason. */
static int denied(struct db *db, const struct principal *by, const char *action, int64_t id,
		  const char *err)
{
	char object[48];
	snprintf(object, sizeof(object), "user:%lld", (long long)id);
	struct audit_actor who = account_actor(by);
	audit_event(db, &who, action, object, "denied", err);
	return VE_DENIED;
}

static int text_ok(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return n > 0 && utf8_valid(s, n) && str_is_printable(s, n, 0) &&
	       utf8_count(s, n) <= max_chars;
}

static int username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > ACCOUNT_NAME_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
			    s[i]))
			return 0;
	return 1;
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
			    s[i]))
			return 0;
	return 1;
}

/* ---- organisations ---- */

static const struct {
	const char *kind, *title, *parent_kind;
} org_kinds[] = {
	{"bureau", "区局", NULL},
	{"section", "科室", "bureau"},
	{"street", "街道服务站", "bureau"},
	{"community", "社区服务站", "street"},
};

static const char *org_kind_title(const char *kind)
{
	for (size_t i = 0; i < sizeof(org_kinds) / sizeof(org_kinds[0]); i++)
		if (strcmp(org_kinds[i].kind, kind) == 0)
			return org_kinds[i].title;
	return "";
}

int account_org_find(struct db *db, const char *code, int64_t *id)
{
	int64_t v = 0;
	if (db_int_query(db, &v, 0, "SELECT id FROM orgs WHERE code = ?", "s", code) != 0)
		return VE_DB;
	*id = v;
	return v ? 0 : VE_NOTFOUND;
}

/* Inserts an organisation and fills in its path ('/…/id/'). Caller holds the transaction. */
static int insert_org(struct db *db, int64_t parent_id, const char *parent_path, const char *code,
		      const char *name, const char *kind, const char *region, int64_t *out_id)
{
	int rc = db_run(
		db,
		"INSERT INTO orgs (parent_id, code, name, kind, region_code, path, created_at) "
		"VALUES (nullif(?, 0), ?, ?, ?, ?, '', ?)",
		"issssi", parent_id, code, name, kind, region, clock_now());
	if (rc)
		return rc;
	*out_id = db_last_id(db);
	char path[256];
	snprintf(path, sizeof(path), "%s%08lld/", parent_path, (long long)*out_id);
	return db_run(db, "UPDATE orgs SET path = ? WHERE id = ?", "si", path, *out_id);
}

int account_org_ensure_root(struct db *db, const char *code, const char *name, char *err,
			    size_t errlen)
{
	int64_t n = 0;
	if (db_int_query(db, &n, 0, "SELECT count(*) FROM orgs WHERE parent_id IS NULL", "") != 0)
		return err_set(err, errlen, VE_DB, "读取组织机构失败");
	if (n)
		return 0;
	if (!code_ok(code) || !text_ok(name, ORG_NAME_MAX))
		return err_set(err, errlen, VE_INVALID, "区局代码或名称无效");
	struct principal cli;
	account_cli_principal(&cli);
	int64_t id;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	int rc = insert_org(db, 0, "/", code, name, "bureau", code, &id);
	if (rc == 0)
		rc = audit(db, &cli, "org.create", code, name);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "创建区局失败") : 0;
}

int account_org_create(struct db *db, const struct principal *by, const char *parent_code,
		       const char *code, const char *name, const char *kind, int64_t *out_id,
		       char *err, size_t errlen)
{
	if (!code_ok(code))
		return err_set(err, errlen, VE_INVALID, "机构代码应为 1–20 位字母、数字或连字符");
	if (!text_ok(name, ORG_NAME_MAX))
		return err_set(err, errlen, VE_INVALID, "机构名称应为 1–%d 个字符", ORG_NAME_MAX);
	struct db_stmt *st = db_q(db, "SELECT id, kind, path, region_code FROM orgs WHERE code = ?",
				  "s", parent_code);
	if (!st)
		return err_set(err, errlen, VE_DB, "读取组织机构失败");
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return err_set(err, errlen, VE_NOTFOUND, "上级机构不存在：%s", parent_code);
	}
	int64_t parent_id = db_int(st, 0);
	char parent_kind[16], parent_path[256], parent_region[16];
	str_copy(parent_kind, db_text(st, 1), sizeof(parent_kind));
	str_copy(parent_path, db_text(st, 2), sizeof(parent_path));
	str_copy(parent_region, db_text(st, 3), sizeof(parent_region));
	db_done(st);
	if (!scope_covers(&by->scope, parent_path, parent_id, 0))
		return err_set(err, errlen, VE_NOTFOUND, "上级机构不存在：%s", parent_code);
	const char *want_parent = NULL;
	int known = 0;
	for (size_t i = 0; i < sizeof(org_kinds) / sizeof(org_kinds[0]); i++)
		if (strcmp(org_kinds[i].kind, kind) == 0) {
			want_parent = org_kinds[i].parent_kind;
			known = 1;
		}
	if (!known || !want_parent || strcmp(want_parent, parent_kind) != 0)
		return err_set(err, errlen, VE_INVALID, "机构类型与上级机构不相符");
	/* A station is identified by its region code (9 digits for a street, 12 for a
	 * community) under its parent's; sections share the bureau's. Data scope is a
	 * prefix of this code, so nothing else may stand here. */
	size_t want = strcmp(kind, "street") == 0 ? 9 : strcmp(kind, "community") == 0 ? 12 : 0;
	if (want && (strlen(code) != want || strspn(code, "0123456789") != want ||
		     strncmp(code, parent_region, strlen(parent_region)) != 0))
		return err_set(
			err, errlen, VE_INVALID,
			"服务站的机构代码应为其%s的 %zu 位区划代码，并以上级区划代码 %s 开头",
			want == 9 ? "街道" : "社区", want, parent_region);
	const char *region = strcmp(kind, "section") == 0 ? parent_region : code;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	int rc = insert_org(db, parent_id, parent_path, code, name, kind, region, out_id);
	if (rc == 0)
		rc = audit(db, by, "org.create", code, name);
	rc = db_tx_end(db, 0, rc);
	if (rc == VE_EXISTS)
		return err_set(err, errlen, rc, "机构代码已存在：%s", code);
	return rc ? err_set(err, errlen, rc, "创建机构失败") : 0;
}

/* Reads the path of organisation id into path; VE_NOTFOUND when outside by's scope. */
static int org_in_scope(struct db *db, const struct principal *by, int64_t id, char path[256])
{
	struct db_stmt *st = db_q(db, "SELECT path FROM orgs WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	int rc = VE_NOTFOUND;
	if (db_step(st) == DB_ROW) {
		str_copy(path, db_text(st, 0), 256);
		rc = scope_covers(&by->scope, path, id, 0) ? 0 : VE_NOTFOUND;
	}
	db_done(st);
	return rc;
}

int account_org_rename(struct db *db, const struct principal *by, int64_t id, const char *name,
		       char *err, size_t errlen)
{
	char path[256];
	if (!text_ok(name, ORG_NAME_MAX))
		return err_set(err, errlen, VE_INVALID, "机构名称应为 1–%d 个字符", ORG_NAME_MAX);
	int rc = org_in_scope(db, by, id, path);
	if (rc)
		return err_set(err, errlen, rc, "机构不存在");
	char object[32];
	snprintf(object, sizeof(object), "org:%lld", (long long)id);
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	rc = db_run(db, "UPDATE orgs SET name = ? WHERE id = ?", "si", name, id);
	if (rc == 0)
		rc = audit(db, by, "org.rename", object, name);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "修改机构失败") : 0;
}

int account_org_list(struct db *db, const struct principal *by, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT o.id, o.code, o.name, o.kind, o.path, p.code, "
		     "(SELECT count(*) FROM users u WHERE u.org_id = o.id) "
		     "FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE " SCOPE_SQL(
			     "o.path", "o.id", "0") " ORDER BY o.path",
		     SCOPE_FMT, SCOPE_ARGS(&by->scope));
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *path = db_text(st, 4);
		int depth = -2;
		for (const char *c = path; *c; c++)
			depth += *c == '/';
		json_array_append_new(list,
				      json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:s?,s:I}", "id",
						(json_int_t)db_int(st, 0), "code", db_text(st, 1),
						"name", db_text(st, 2), "kind", db_text(st, 3),
						"kind_title", org_kind_title(db_text(st, 3)),
						"depth", depth, "parent_code", db_text(st, 5),
						"users", (json_int_t)db_int(st, 6)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(list);
		return VE_DB;
	}
	*out = list;
	return 0;
}

/* ---- users ---- */

json_t *account_roles_json(role_set roles)
{
	json_t *list = json_array();
	for (int r = 0; r < ROLE__COUNT; r++)
		if (roles & (1u << r))
			json_array_append_new(list, json_pack("{s:s,s:s}", "name", role_name(r),
							      "title", role_title(r)));
	return list;
}

role_set account_roles_of(struct db *db, int64_t user_id)
{
	role_set set = 0;
	struct db_stmt *st =
		db_q(db, "SELECT role FROM user_roles WHERE user_id = ?", "i", user_id);
	while (st && db_step(st) == DB_ROW) {
		int r = role_parse(db_text(st, 0));
		if (r >= 0)
			set |= 1u << r;
	}
	db_done(st);
	return set;
}

/* The grants user id holds (GRANT_BIT), whatever his roles. */
static role_set grants_of(struct db *db, int64_t user_id)
{
	role_set set = 0;
	struct db_stmt *st =
		db_q(db, "SELECT grant_name FROM user_grants WHERE user_id = ?", "i", user_id);
	while (st && db_step(st) == DB_ROW) {
		int g = grant_parse(db_text(st, 0));
		if (g >= 0)
			set |= 1u << (GRANT_SHIFT + g);
	}
	db_done(st);
	return set;
}

role_set account_rights_of(struct db *db, int64_t user_id)
{
	role_set roles = account_roles_of(db, user_id), grants = grants_of(db, user_id);
	/* A grant counts only beside a role it is made for. */
	for (int g = 0; g < GRANT__COUNT; g++)
		if (!(roles & grant_roles(g)))
			grants &= ~(1u << (GRANT_SHIFT + g));
	return roles | grants;
}

json_t *account_grants_json(role_set set)
{
	json_t *list = json_array();
	for (int g = 0; g < GRANT__COUNT; g++)
		if (set & (1u << (GRANT_SHIFT + g)))
			json_array_append_new(list, json_pack("{s:s,s:s}", "name", grant_name(g),
							      "title", grant_title(g)));
	return list;
}

/* Removes every grant of user id (the account is no longer the one they were given
 * to), audited as user.right naming why, in the caller's transaction. 0 or VE_DB. */
static int drop_grants(struct db *db, const struct principal *by, int64_t id, const char *why)
{
	role_set held = grants_of(db, id);
	if (!held)
		return 0;
	char object[48], detail[300];
	size_t len = 0;
	len += (size_t)snprintf(detail, sizeof(detail), "收回个人授权");
	for (int g = 0; g < GRANT__COUNT; g++)
		if (held & (1u << (GRANT_SHIFT + g)) && len < sizeof(detail))
			len += (size_t)snprintf(detail + len, sizeof(detail) - len, "「%s」",
						grant_title(g));
	if (len < sizeof(detail))
		snprintf(detail + len, sizeof(detail) - len, "：%s", why);
	snprintf(object, sizeof(object), "user:%lld", (long long)id);
	int rc = db_run(db, "DELETE FROM user_grants WHERE user_id = ?", "i", id);
	return rc ? rc : audit(db, by, "user.right", object, detail);
}

static int write_roles(struct db *db, int64_t user_id, role_set roles, int64_t by)
{
	int rc = db_run(db, "DELETE FROM user_roles WHERE user_id = ?", "i", user_id);
	for (int r = 0; r < ROLE__COUNT && rc == 0; r++)
		if (roles & (1u << r))
			rc = db_run(
				db,
				"INSERT INTO user_roles (user_id, role, granted_at, granted_by) "
				"VALUES (?, ?, ?, nullif(?, 0))",
				"isii", user_id, role_name(r), clock_now(), by);
	return rc;
}

void account_roles_text(role_set roles, char *out, size_t size)
{
	out[0] = '\0';
	size_t len = 0;
	for (int r = 0; r < ROLE__COUNT; r++)
		if (roles & (1u << r))
			len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s",
						len ? "、" : "", role_title(r));
	if (!len)
		str_copy(out, "（未授予角色）", size);
}

int account_password_prepare(struct db *db, int64_t id, const char *username, const char *password,
			     char hash[ACCOUNT_HASH_MAX], char *err, size_t errlen)
{
	struct policy pol;
	policy_load(db, &pol);
	char name[64] = "";
	if (username) {
		str_copy(name, username, sizeof(name));
	} else {
		struct db_stmt *st = db_q(db, "SELECT username FROM users WHERE id = ?", "i", id);
		if (st && db_step(st) == DB_ROW)
			str_copy(name, db_text(st, 0), sizeof(name));
		db_done(st);
	}
	int rc = policy_password_check(&pol, name, password, err, errlen);
	if (rc)
		return rc;
	struct db_stmt *st = db_q(db,
				  "SELECT password_hash FROM password_history WHERE user_id = ? "
				  "ORDER BY id DESC LIMIT ?",
				  "ii", id, (int64_t)pol.history);
	int reused = 0;
	while (st && !reused && db_step(st) == DB_ROW)
		reused = crypto_password_verify(password, db_text(st, 0));
	db_done(st);
	if (reused)
		return err_set(err, errlen, VE_INVALID, "新密码不能与最近 %d 次使用过的密码相同",
			       pol.history);
	crypto_password_hash(password, crypto_password_iterations(), hash, ACCOUNT_HASH_MAX);
	return 0;
}

int account_password_store(struct db *db, int64_t id, const char *hash, int temporary)
{
	int64_t now = clock_now();
	int rc = db_run(db,
			"UPDATE users SET password_hash = ?, password_changed_at = ?, "
			"must_change_password = ?, failed_logins = 0, locked_until = 0 WHERE id = ?",
			"siii", hash, now, (int64_t)(temporary != 0), id);
	if (rc == 0)
		rc = db_run(db,
			    "INSERT INTO password_history (user_id, password_hash, changed_at) "
			    "VALUES (?, ?, ?)",
			    "isi", id, hash, now);
	if (rc == 0)
		rc = db_run(db, "DELETE FROM password_resets WHERE user_id = ?", "i", id);
	return rc;
}

int account_user_create(struct db *db, const struct principal *by, const struct account_new *in,
			int64_t *out_id, char *err, size_t errlen)
{
	if (!username_ok(in->username))
		return err_set(err, errlen, VE_INVALID,
			       "用户名应为 2–%d 位字母、数字、下划线、点或连字符，以字母开头",
			       ACCOUNT_NAME_MAX);
	if (!text_ok(in->display_name, ACCOUNT_DISPLAY_MAX))
		return err_set(err, errlen, VE_INVALID, "姓名应为 1–%d 个字符",
			       ACCOUNT_DISPLAY_MAX);
	if (!role_set_valid(in->roles))
		return err_set(err, errlen, VE_INVALID,
			       "三员分立：系统管理员、安全管理员、审计管理员不能兼任其他角色");
	if (in->roles && !is_cli(by) && !perm_allows(by->roles, PERM_ROLE_GRANT))
		return err_set(err, errlen, VE_DENIED, "角色须由安全管理员授予");
	struct db_stmt *st = db_q(db, "SELECT id, path, region_code FROM orgs WHERE code = ?", "s",
				  in->org_code);
	if (!st)
		return err_set(err, errlen, VE_DB, "读取组织机构失败");
	int found = db_step(st) == DB_ROW;
	int64_t org_id = found ? db_int(st, 0) : 0;
	char path[256] = "", region[16] = "";
	if (found) {
		str_copy(path, db_text(st, 1), sizeof(path));
		str_copy(region, db_text(st, 2), sizeof(region));
	}
	db_done(st);
	if (!found || !scope_covers(&by->scope, path, org_id, 0))
		return err_set(err, errlen, VE_INVALID, "所属机构不存在：%s", in->org_code);
	char hash[ACCOUNT_HASH_MAX];
	int rc = account_password_prepare(db, 0, in->username, in->password, hash, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	int64_t now = clock_now();
	rc = db_run(db,
			"INSERT INTO users (username, display_name, org_id, region_code, scope, "
			"password_hash, password_changed_at, created_at) "
			"VALUES (?, ?, ?, ?, 'org_tree', '!', ?, ?)",
			"ssisii", in->username, in->display_name, org_id, region, now, now);
	if (rc == VE_EXISTS) {
		db_tx_end(db, 0, rc);
		return err_set(err, errlen, VE_EXISTS, "用户名已存在：%s", in->username);
	}
	*out_id = db_last_id(db);
	if (rc == 0)
		rc = account_password_store(db, *out_id, hash, in->temporary);
	if (rc == 0)
		rc = write_roles(db, *out_id, in->roles, by->user_id);
	if (rc == 0) {
		char object[48], detail[256], titles[160];
		account_roles_text(in->roles, titles, sizeof(titles));
		snprintf(object, sizeof(object), "user:%lld", (long long)*out_id);
		snprintf(detail, sizeof(detail), "用户名 %s，机构 %s，角色 %s%s", in->username,
			 in->org_code, titles, in->temporary ? "，临时密码" : "");
		rc = audit(db, by, "user.create", object, detail);
	}
	if (rc && !err[0])
		err_set(err, errlen, rc, "创建账号失败");
	return db_tx_end(db, 0, rc);
}

/* The user row columns shared by list and get; see user_json. */
#define USER_COLUMNS                                                                               \
	"u.id, u.username, u.display_name, o.name, o.code, u.scope, u.disabled, u.locked_until, "  \
	"u.must_change_password, u.last_login_at, u.failed_logins"

static json_t *user_json(struct db *db, struct db_stmt *st)
{
	int64_t id = db_int(st, 0), now = clock_now();
	int disabled = (int)db_int(st, 6);
	int64_t locked_until = db_int(st, 7);
	const char *status = disabled ? "disabled" : locked_until > now ? "locked" : "active";
	const char *status_title = disabled ? "已停用" : locked_until > now ? "已锁定" : "正常";
	char last[17] = "", locked[17] = "", titles[160];
	if (!db_is_null(st, 9))
		clock_local_minute(db_int(st, 9), last);
	if (locked_until > now)
		clock_local_minute(locked_until, locked);
	role_set roles = account_roles_of(db, id);
	account_roles_text(roles, titles, sizeof(titles));
	int scope = scope_parse(db_text(st, 5));
	json_t *user = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:I}",
				 "id", (json_int_t)id, "username", db_text(st, 1), "display_name",
				 db_text(st, 2), "org", db_text(st, 3), "org_code", db_text(st, 4),
				 "roles", account_roles_json(roles), "role_titles", titles, "scope",
				 db_text(st, 5), "scope_title", scope_title((enum scope_kind)scope),
				 "status", status, "status_title", status_title, "last_login", last,
				 "must_change", db_int(st, 8) != 0, "disabled", disabled != 0,
				 "failed_logins", (json_int_t)db_int(st, 10));
	if (locked[0])
		json_object_set_new(user, "locked_until", json_string(locked));
	json_object_set_new(user, "grants", account_grants_json(account_rights_of(db, id)));
	return user;
}

int account_user_list(struct db *db, const struct principal *by, const char *q, int64_t page,
		      int64_t per_page, json_t **out)
{
	const char *like = q && *q ? q : "";
	int64_t total = 0;
	if (db_int_query(db, &total, 0,
			 "SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE "
			 "(? = '' OR instr(u.username, ?) > 0 OR instr(u.display_name, ?) > 0) "
			 "AND " SCOPE_SQL("o.path", "o.id", "u.id"),
			 "sss" SCOPE_FMT, like, like, like, SCOPE_ARGS(&by->scope)) != 0)
		return VE_DB;
	struct db_stmt *st = db_q(
		db,
		"SELECT " USER_COLUMNS " FROM users u JOIN orgs o ON o.id = u.org_id WHERE "
		"(? = '' OR instr(u.username, ?) > 0 OR instr(u.display_name, ?) > 0) "
		"AND " SCOPE_SQL("o.path", "o.id", "u.id") " ORDER BY u.id DESC LIMIT ? OFFSET ?",
		"sss" SCOPE_FMT "ii", like, like, like, SCOPE_ARGS(&by->scope), per_page,
		(page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, user_json(db, st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int account_user_counts(struct db *db, const struct principal *by, int64_t *active, int64_t *locked)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT count(*), count(*) FILTER (WHERE u.locked_until > ?) FROM users u "
		     "JOIN orgs o ON o.id = u.org_id WHERE u.disabled = 0 AND " SCOPE_SQL(
			     "o.path", "o.id", "u.id"),
		     "i" SCOPE_FMT, clock_now(), SCOPE_ARGS(&by->scope));
	int rc = st ? db_step(st) : VE_DB;
	if (rc == DB_ROW) {
		*active = db_int(st, 0);
		*locked = db_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : VE_DB;
}

int account_user_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT " USER_COLUMNS " FROM users u JOIN orgs o ON o.id = u.org_id "
		     "WHERE u.id = ? AND " SCOPE_SQL("o.path", "o.id", "u.id"),
		     "i" SCOPE_FMT, id, SCOPE_ARGS(&by->scope));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = user_json(db, st);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? VE_NOTFOUND : VE_DB;
}

/* Checks that user id exists in by's scope and starts a transaction; on success
 * the caller must end it (db_tx_end). object receives "user:<id>". */
static int begin_user_change(struct db *db, const struct principal *by, int64_t id, char object[48],
			     char *err, size_t errlen)
{
	json_t *user = NULL;
	int rc = account_user_get(db, by, id, &user);
	json_decref(user);
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "账号不存在" : "读取账号失败");
	snprintf(object, 48, "user:%lld", (long long)id);
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	return 0;
}

/* 三员分立: another administrator's password, organisation and state are not the
 * system administrator's to change (he could take over the account); only the
 * operator at the command line may. VE_DENIED with err, or 0. */
static int guard_admin_account(struct db *db, const struct principal *by, int64_t id,
			       const char *action, char *err, size_t errlen)
{
	role_set admins = (1u << ROLE_SYSADMIN) | (1u << ROLE_SECADMIN) | (1u << ROLE_AUDITOR);
	if (is_cli(by) || id == by->user_id || !(account_roles_of(db, id) & admins))
		return 0;
	err_set(err, errlen, VE_DENIED,
		"三员账号的密码和状态只能在服务器上用 vets user passwd 维护");
	return denied(db, by, action, id, err);
}

/* 三员分立: whoever knows an account's password can act as it. A password for an
 * account that holds a role is therefore never set by the system administrator
 * alone (he could sign in as a clerk, a reviewer and an approver in turn and pay a
 * batch by himself): he asks, and the security administrator confirms. 1 when
 * user id holds a role and by is a web user. */
static int needs_second_person(struct db *db, const struct principal *by, int64_t id)
{
	return !is_cli(by) && id != by->user_id && account_roles_of(db, id) != 0;
}

/* A user's data scope follows his organisation: moving him to the bureau would
 * widen a station user's view to the whole district, a decision that is the
 * security administrator's. So a move takes the roles and narrows the scope to
 * the user himself; the security administrator grants them again. Audited as a
 * scope change. Caller holds the transaction. */
static int move_clears_rights(struct db *db, const struct principal *by, int64_t id,
			      const char *org_code, const char *object)
{
	role_set roles = account_roles_of(db, id);
	if (!roles || is_cli(by))
		return 0;
	char titles[160], detail[300];
	account_roles_text(roles, titles, sizeof(titles));
	int rc = write_roles(db, id, 0, by->user_id);
	if (rc == 0)
		rc = db_run(db, "UPDATE users SET scope = ? WHERE id = ?", "si",
			    scope_name(SCOPE_SELF), id);
	snprintf(detail, sizeof(detail),
		 "调至机构 %s：收回角色 %s，数据范围改为%s，须由安全管理员重新授权", org_code,
		 titles, scope_title(SCOPE_SELF));
	if (rc == 0)
		rc = audit(db, by, "user.scope_change", object, detail);
	if (rc == 0)
		rc = drop_grants(db, by, id, "调整所属机构");
	return rc;
}

int account_user_update(struct db *db, const struct principal *by, int64_t id,
			const char *display_name, const char *org_code, int disabled, char *err,
			size_t errlen)
{
	if (!text_ok(display_name, ACCOUNT_DISPLAY_MAX))
		return err_set(err, errlen, VE_INVALID, "姓名应为 1–%d 个字符",
			       ACCOUNT_DISPLAY_MAX);
	if (id == by->user_id && disabled)
		return err_set(err, errlen, VE_CONFLICT, "不能停用自己的账号");
	int rc = guard_admin_account(db, by, id, "user.update", err, errlen);
	if (rc)
		return rc;
	int64_t org_id;
	char path[256];
	if (account_org_find(db, org_code, &org_id) != 0 || org_in_scope(db, by, org_id, path) != 0)
		return err_set(err, errlen, VE_INVALID, "所属机构不存在：%s", org_code);
	int64_t old_org = 0;
	if (db_int_query(db, &old_org, 0, "SELECT org_id FROM users WHERE id = ?", "i", id) != 0)
		return err_set(err, errlen, VE_DB, "读取账号失败");
	int moved = old_org && old_org != org_id;
	if (moved && id == by->user_id) {
		err_set(err, errlen, VE_DENIED, "不能更改自己的所属机构");
		return denied(db, by, "user.update", id, err);
	}
	char object[48], detail[200];
	rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc)
		return rc;
	if (moved)
		rc = move_clears_rights(db, by, id, org_code, object);
	if (rc == 0)
		rc = db_run(db,
		    "UPDATE users SET display_name = ?, org_id = ?, "
		    "region_code = (SELECT region_code FROM orgs WHERE id = ?), disabled = ? WHERE "
		    "id = ?",
		    "siiii", display_name, org_id, org_id, (int64_t)(disabled != 0), id);
	if (rc == 0 && (disabled || moved))
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	if (rc == 0 && disabled)
		rc = drop_grants(db, by, id, "停用账号");
	snprintf(detail, sizeof(detail), "姓名 %s，机构 %s%s", display_name, org_code,
		 disabled ? "，停用" : "");
	if (rc == 0)
		rc = audit(db, by, "user.update", object, detail);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "保存账号失败") : 0;
}

/* 三员分立 at an account's start: the system administrator sets a new account's first
 * password (always temporary), so until its owner has replaced it he knows it. Roles
 * granted then would be his to use; they wait until the owner has signed in and set
 * a password of his own. The operator at the command line is not held. */
static int password_pending(struct db *db, const struct principal *by, int64_t id)
{
	int64_t pending = 0;
	if (is_cli(by))
		return 0;
	db_int_query(db, &pending, 0, "SELECT must_change_password FROM users WHERE id = ?", "i",
		     id);
	return pending != 0;
}

int account_user_grant(struct db *db, const struct principal *by, int64_t id, role_set roles,
		       enum scope_kind scope, char *err, size_t errlen)
{
	if (id == by->user_id)
		return err_set(err, errlen, VE_DENIED, "不能修改自己的角色");
	if (!role_set_valid(roles))
		return err_set(err, errlen, VE_INVALID,
			       "三员分立：系统管理员、安全管理员、审计管理员不能兼任其他角色");
	if ((unsigned)scope >= SCOPE__COUNT)
		return err_set(err, errlen, VE_INVALID, "数据范围无效");
	if (roles && password_pending(db, by, id)) {
		err_set(err, errlen, VE_DENIED,
			"该账号的临时密码尚未由本人修改：请本人登录并修改密码后再授予角色");
		return denied(db, by, "user.grant", id, err);
	}
	char object[48], detail[240], titles[160];
	int rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc)
		return rc;
	/* A grant was given to the account as it was: other roles or another data scope
	 * (wider or narrower), another decision. */
	int64_t rescoped = 0;
	rc = db_int_query(db, &rescoped, 0, "SELECT scope <> ? FROM users WHERE id = ?", "si",
			  scope_name(scope), id);
	if (rc == 0 && account_roles_of(db, id) != roles)
		rc = drop_grants(db, by, id, rescoped ? "角色与数据范围变更" : "角色变更");
	else if (rc == 0 && rescoped)
		rc = drop_grants(db, by, id, "数据范围变更");
	if (rc == 0)
		rc = write_roles(db, id, roles, by->user_id);
	if (rc == 0)
		rc = db_run(db, "UPDATE users SET scope = ? WHERE id = ?", "si", scope_name(scope),
			    id);
	/* New rights take effect at the next login. */
	if (rc == 0)
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	account_roles_text(roles, titles, sizeof(titles));
	snprintf(detail, sizeof(detail), "角色 %s，数据范围 %s", titles, scope_title(scope));
	if (rc == 0)
		rc = audit(db, by, "user.grant", object, detail);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "保存角色失败") : 0;
}

int account_user_right(struct db *db, const struct principal *by, int64_t id, enum grant g,
		       int give, const char *reason, char *err, size_t errlen)
{
	const char *action = "user.right";
	if (!is_cli(by) && !perm_allows(by->roles, PERM_ROLE_GRANT))
		return err_set(err, errlen, VE_DENIED, "个人授权须由安全管理员授予");
	if (id == by->user_id) {
		err_set(err, errlen, VE_DENIED, "不能修改自己的授权");
		return denied(db, by, action, id, err);
	}
	if ((unsigned)g >= GRANT__COUNT)
		return err_set(err, errlen, VE_INVALID, "授权项目无效");
	if (!reason || !text_ok(reason, ACCOUNT_REASON_MAX) ||
	    utf8_count(reason, strlen(reason)) < 2)
		return err_set(err, errlen, VE_INVALID, "请填写授权理由（2–%d 个字）",
			       ACCOUNT_REASON_MAX);
	json_t *user = NULL;
	int rc = account_user_get(db, by, id, &user);
	int disabled = rc == 0 && json_is_true(json_object_get(user, "disabled"));
	json_decref(user);
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "账号不存在" : "读取账号失败");
	if (give && !(account_roles_of(db, id) & grant_roles(g))) {
		char titles[160];
		account_roles_text(grant_roles(g), titles, sizeof(titles));
		return err_set(err, errlen, VE_INVALID, "「%s」只能授予持有%s角色的账号",
			       grant_title(g), titles);
	}
	if (give && disabled)
		return err_set(err, errlen, VE_CONFLICT, "该账号已停用，不能授权");
	if (!give && !(grants_of(db, id) & (1u << (GRANT_SHIFT + g))))
		return err_set(err, errlen, VE_CONFLICT, "该账号没有「%s」授权", grant_title(g));
	if (give && password_pending(db, by, id)) {
		err_set(err, errlen, VE_DENIED,
			"该账号的临时密码尚未由本人修改：请本人登录并修改密码后再授权");
		return denied(db, by, action, id, err);
	}
	char object[48], detail[400];
	rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc)
		return rc;
	rc = give ? db_run(db,
			   "INSERT INTO user_grants (user_id, grant_name, granted_at, granted_by, "
			   "reason) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, grant_name) DO "
			   "UPDATE SET granted_at = excluded.granted_at, "
			   "granted_by = excluded.granted_by, reason = excluded.reason",
			   "isiis", id, grant_name(g), clock_now(), by->user_id, reason)
		  : db_run(db, "DELETE FROM user_grants WHERE user_id = ? AND grant_name = ?",
			   "is", id, grant_name(g));
	/* As a change of roles: the user signs in again, with or without it. */
	if (rc == 0)
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	snprintf(detail, sizeof(detail), "%s个人授权「%s」；理由：%s", give ? "授予" : "收回",
		 grant_title(g), reason);
	if (rc == 0)
		rc = audit(db, by, action, object, detail);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "保存授权失败") : 0;
}

/* Checks password against the policy and id's history and hashes it (slow) before the
 * write transaction, then begins the change of user id (object named): 0 with a
 * transaction open and err cleared, or the refusal in err with none. */
static int hash_then_begin(struct db *db, const struct principal *by, int64_t id,
			   const char *password, char hash[ACCOUNT_HASH_MAX], char object[48],
			   char *err, size_t errlen)
{
	int rc = account_password_prepare(db, id, NULL, password, hash, err, errlen);
	if (rc == 0)
		rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc == 0)
		err[0] = '\0';
	return rc;
}

int account_user_set_password(struct db *db, const struct principal *by, int64_t id,
			      const char *password, int temporary, char *err, size_t errlen)
{
	char object[48];
	int rc = guard_admin_account(db, by, id, "user.password_set", err, errlen);
	if (rc)
		return rc;
	if (needs_second_person(db, by, id)) {
		err_set(err, errlen, VE_DENIED,
			"该账号持有业务角色，重置密码须由安全管理员确认");
		return denied(db, by, "user.password_set", id, err);
	}
	char hash[ACCOUNT_HASH_MAX];
	rc = hash_then_begin(db, by, id, password, hash, object, err, errlen);
	if (rc)
		return rc;
	rc = account_password_store(db, id, hash, temporary);
	if (rc == 0)
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	/* Someone else knows the password now: a grant waits for the owner, as roles do. */
	if (rc == 0)
		rc = drop_grants(db, by, id, "密码由他人重置");
	if (rc == 0)
		rc = audit(db, by, "user.password_set", object,
			   is_cli(by) && account_roles_of(db, id)
				   ? "在服务器上设置持有角色账号的密码"
			   : temporary ? "设置临时密码，下次登录须修改"
				       : "设置密码");
	rc = db_tx_end(db, 0, rc);
	if (rc && !err[0])
		err_set(err, errlen, rc, "重置密码失败");
	return rc;
}

int account_user_reset_password(struct db *db, const struct principal *by, int64_t id,
				const char *password, int *pending, char *err, size_t errlen)
{
	*pending = 0;
	int rc = guard_admin_account(db, by, id, "user.password_set", err, errlen);
	if (rc)
		return rc;
	if (!needs_second_person(db, by, id))
		return account_user_set_password(db, by, id, password, 1, err, errlen);
	char object[48], hash[ACCOUNT_HASH_MAX];
	rc = hash_then_begin(db, by, id, password, hash, object, err, errlen);
	if (rc)
		return rc;
	rc = db_run(db,
		    "INSERT INTO password_resets (user_id, password_hash, requested_by, requested_at) "
		    "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
		    "password_hash = excluded.password_hash, requested_by = excluded.requested_by, "
		    "requested_at = excluded.requested_at",
		    "isii", id, hash, by->user_id, clock_now());
	if (rc == 0)
		rc = audit(db, by, "user.password_request", object,
			   "申请为持有角色的账号设置临时密码，待安全管理员确认");
	rc = db_tx_end(db, 0, rc);
	if (rc && !err[0])
		err_set(err, errlen, rc, "提交重置申请失败");
	*pending = rc == 0;
	return rc;
}

int account_user_confirm_password(struct db *db, const struct principal *by, int64_t id,
				  char *err, size_t errlen)
{
	char object[48], hash[ACCOUNT_HASH_MAX] = "", requester[64] = "";
	int64_t requested_by = 0;
	struct db_stmt *st = db_q(db,
				  "SELECT r.password_hash, r.requested_by, u.username FROM "
				  "password_resets r JOIN users u ON u.id = r.requested_by "
				  "WHERE r.user_id = ? AND r.requested_at > ?",
				  "ii", id, clock_now() - ACCOUNT_RESET_TTL);
	if (st && db_step(st) == DB_ROW) {
		str_copy(hash, db_text(st, 0), sizeof(hash));
		requested_by = db_int(st, 1);
		str_copy(requester, db_text(st, 2), sizeof(requester));
	}
	db_done(st);
	if (!hash[0]) {
		err_set(err, errlen, VE_CONFLICT, "该账号没有待确认的密码重置申请（申请 24 小时内有效）");
		denied(db, by, "user.password_confirm", id, err);
		return VE_CONFLICT;
	}
	if (requested_by == by->user_id || id == by->user_id) {
		err_set(err, errlen, VE_DENIED, "不能确认本人提出的或为本人提出的重置申请");
		return denied(db, by, "user.password_confirm", id, err);
	}
	int rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc)
		return rc;
	rc = account_password_store(db, id, hash, 1);
	if (rc == 0)
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	if (rc == 0)
		rc = drop_grants(db, by, id, "密码由他人重置");
	char detail[160];
	snprintf(detail, sizeof(detail), "确认 %s 的重置申请：设置临时密码，下次登录须修改",
		 requester);
	if (rc == 0)
		rc = audit(db, by, "user.password_set", object, detail);
	mem_wipe(hash, sizeof(hash));
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "确认重置失败") : 0;
}

int account_reset_pending(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_q(db,
				  "SELECT u.username, r.requested_at FROM password_resets r "
				  "JOIN users u ON u.id = r.requested_by "
				  "WHERE r.user_id = ? AND r.requested_at > ?",
				  "ii", id, clock_now() - ACCOUNT_RESET_TTL);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char at[17];
		clock_local_minute(db_int(st, 1), at);
		*out = json_pack("{s:s,s:s}", "by", db_text(st, 0), "at", at);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

int account_user_unlock(struct db *db, const struct principal *by, int64_t id, char *err,
			size_t errlen)
{
	/* Unlocking starts the count of wrong passwords afresh: for an account that
	 * holds a role the system administrator could guess on without end. Its lock
	 * runs out by itself, or ends with a confirmed reset. */
	if (needs_second_person(db, by, id)) {
		err_set(err, errlen, VE_DENIED,
			"该账号持有业务角色，不能由系统管理员提前解锁；请等待锁定到期，或申请重置"
			"密码并由安全管理员确认");
		return denied(db, by, "user.unlock", id, err);
	}
	char object[48];
	int rc = begin_user_change(db, by, id, object, err, errlen);
	if (rc)
		return rc;
	rc = db_run(db, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", "i",
		    id);
	if (rc == 0)
		rc = audit(db, by, "user.unlock", object, "解除锁定");
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, rc, "解除锁定失败") : 0;
}

int account_user_find(struct db *db, const char *username, int64_t *id)
{
	int64_t v = 0;
	if (db_int_query(db, &v, 0, "SELECT id FROM users WHERE username = ?", "s", username) != 0)
		return VE_DB;
	*id = v;
	return v ? 0 : VE_NOTFOUND;
}

/* ---- the area ---- */

const struct perm perm_account_read = {"account.read", "查看账号", ROLE_BIT(SYSADMIN) | ROLE_BIT(SECADMIN)};
const struct perm perm_account_write = {"account.write", "管理账号", ROLE_BIT(SYSADMIN)};
const struct perm perm_org_read = {"org.read", "查看组织机构", ROLE_BIT(SYSADMIN) | ROLE_BIT(SECADMIN)};
const struct perm perm_org_write = {"org.write", "管理组织机构", ROLE_BIT(SYSADMIN)};
const struct perm perm_role_grant = {"role.grant", "授予角色与数据范围", ROLE_BIT(SECADMIN)};

static const struct perm *const perms[] = {
	PERM_ACCOUNT_READ,
	PERM_ACCOUNT_WRITE,
	PERM_ORG_READ,
	PERM_ORG_WRITE,
	PERM_ROLE_GRANT,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"user.create", "新建账号"},
	{"user.update", "修改账号"},
	{"user.grant", "授予角色"},
	{"user.right", "个人授权"},
	{"user.password_set", "设置密码"},
	{"user.unlock", "解除锁定"},
	{"org.create", "新建机构"},
	{"org.rename", "修改机构名称"},
	{NULL, NULL},
};

const struct area account_area = {
	.name = "account",
	.perms = perms,
	.audit_titles = audit_titles,
};

/* ---- what the home page, vets user and the demo read ---- */

int account_password_changed_at(struct db *db, int64_t user_id, int64_t *at)
{
	*at = 0;
	return db_int_query(db, at, 0, "SELECT password_changed_at FROM users WHERE id = ?", "i",
			    user_id)
		       ? VE_DB
		       : 0;
}

int account_org_root(struct db *db, char *code, size_t size)
{
	if (size)
		code[0] = '\0';
	struct db_stmt *st = db_q(db, "SELECT code FROM orgs WHERE parent_id IS NULL", "");
	if (!st)
		return VE_DB;
	int step = db_step(st);
	if (step == DB_ROW)
		snprintf(code, size, "%s", db_text(st, 0));
	db_done(st);
	return step == DB_ROW ? 0 : step == DB_DONE ? VE_NOTFOUND : VE_DB;
}

int account_user_total(struct db *db, int64_t *n)
{
	*n = 0;
	return db_int_query(db, n, 0, "SELECT count(*) FROM users", "") ? VE_DB : 0;
}

int account_district_wide(const struct principal *p)
{
	return p->scope.kind == SCOPE_ALL ||
	       ((p->scope.kind == SCOPE_ORG_TREE || p->scope.kind == SCOPE_ORG) &&
		strlen(p->region_code) == 6);
}
