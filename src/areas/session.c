/* session.c - login with lockout, sessions with idle timeout, logout. */
#include "session.h"
#include "policy.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

/* last_seen is written at most this often, so that reading pages is not a write each time. */
#define TOUCH_SECONDS 30

static void hash_sid(const char *sid, char out[2 * SM3_LEN + 1])
{
	unsigned char h[SM3_LEN];
	crypto_sm3(sid, strlen(sid), h);
	crypto_hex(h, sizeof(h), out);
}

static int audit_login(struct db *db, int64_t user_id, const char *username, const char *ip,
		       const char *region, const char *action, const char *result,
		       const char *detail)
{
	struct audit_actor who = {user_id, username, ip, region ? region : ""};
	return audit_write(db, &who, action, username, result, detail);
}

/* Fills p (all but csrf and ip) from the user row id; pol decides whether the
 * password has expired. VE_NOTFOUND when missing. */
static int load_principal(struct db *db, int64_t id, const struct policy *pol, struct principal *p)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT u.username, u.display_name, u.org_id, o.name, u.region_code, "
		     "u.scope, o.path, u.must_change_password, u.password_changed_at "
		     "FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
		     "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	p->user_id = id;
	str_copy(p->username, db_text(st, 0), sizeof(p->username));
	str_copy(p->display_name, db_text(st, 1), sizeof(p->display_name));
	p->org_id = db_int(st, 2);
	str_copy(p->org_name, db_text(st, 3), sizeof(p->org_name));
	str_copy(p->region_code, db_text(st, 4), sizeof(p->region_code));
	int scope = scope_parse(db_text(st, 5));
	p->scope.kind = scope < 0 ? SCOPE_SELF : (enum scope_kind)scope;
	p->scope.user_id = id;
	p->scope.org_id = p->org_id;
	str_copy(p->scope.org_path, db_text(st, 6), sizeof(p->scope.org_path));
	int64_t changed = db_int(st, 8);
	p->must_change_password =
		db_int(st, 7) != 0 || clock_now() - changed > (int64_t)pol->expiry_days * 86400;
	db_done(st);
	p->roles = account_roles_of(db, id);
	return 0;
}

/* Records a failed attempt on user id; locks at the threshold. Caller holds the transaction. */
static int record_failure(struct db *db, int64_t id, const char *username, const char *ip,
			  const char *region, int failures, const struct policy *pol,
			  int64_t *locked_until)
{
	failures++;
	int64_t until = 0;
	if (failures >= pol->max_failures)
		until = clock_now() + (int64_t)pol->lock_minutes * 60;
	int rc = db_run(db, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
			"iii", (int64_t)(until ? 0 : failures), until, id);
	char detail[96];
	snprintf(detail, sizeof(detail), "密码错误（连续第 %d 次）", failures);
	if (rc == 0)
		rc = audit_login(db, id, username, ip, region, "login", "fail", detail);
	if (rc == 0 && until) {
		char when[17];
		clock_local_minute(until, when);
		snprintf(detail, sizeof(detail), "连续 %d 次失败，锁定至 %s", failures, when);
		rc = audit_login(db, id, username, ip, region, "login.lock", "locked", detail);
		*locked_until = until;
	}
	return rc;
}

static int open_session(struct db *db, int64_t id, const char *ip, char sid[SESSION_ID_HEX + 1],
			char csrf[65])
{
	unsigned char raw[32];
	char hash[2 * SM3_LEN + 1];
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), sid);
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), csrf);
	hash_sid(sid, hash);
	int64_t now = clock_now();
	int rc = db_run(db,
			"INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, ip) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"sisiis", hash, id, csrf, now, now, ip);
	if (rc == 0)
		rc = db_run(
			db,
			"UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = ? "
			"WHERE id = ?",
			"ii", now, id);
	return rc;
}

int session_login(struct db *db, const char *username, const char *password, const char *ip,
		  char sid[SESSION_ID_HEX + 1], struct principal *p, int64_t *locked_until)
{
	struct policy pol;
	policy_load(db, &pol);
	struct db_stmt *st =
		db_q(db,
		     "SELECT id, password_hash, failed_logins, locked_until, disabled, "
		     "region_code FROM users WHERE username = ?",
		     "s", username);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	int64_t id = 0, until = 0;
	int failures = 0, disabled = 0, password_ok = 0;
	char region[16] = "";
	if (found) {
		id = db_int(st, 0);
		failures = (int)db_int(st, 2);
		until = db_int(st, 3);
		disabled = db_int(st, 4) != 0;
		str_copy(region, db_text(st, 5), sizeof(region));
		/* Verify even when locked, so that timing does not tell a locked account apart. */
		password_ok = crypto_password_verify(password, db_text(st, 1));
	} else {
		/* Spend the same time on an unknown user. */
		crypto_password_verify(
			password,
			"pbkdf2-sm3$1$00000000000000000000000000000000$"
			"0000000000000000000000000000000000000000000000000000000000000000");
		char dummy[160];
		crypto_password_hash(password, crypto_password_iterations(), dummy, sizeof(dummy));
	}
	db_done(st);
	if (db_begin(db) != 0)
		return VE_DB;
	int rc, result;
	int64_t now = clock_now();
	if (!found) {
		rc = audit_login(db, 0, username, ip, "", "login", "fail", "用户不存在");
		result = VE_AUTH;
	} else if (until > now) {
		*locked_until = until;
		rc = audit_login(db, id, username, ip, region, "login", "locked",
				 "账号锁定期间尝试登录");
		result = VE_LOCKED;
	} else if (!password_ok) {
		rc = record_failure(db, id, username, ip, region, failures, &pol, locked_until);
		result = VE_AUTH;
	} else if (disabled) {
		rc = audit_login(db, id, username, ip, region, "login", "fail", "账号已停用");
		result = VE_AUTH;
	} else {
		rc = open_session(db, id, ip, sid, p->csrf);
		if (rc == 0)
			rc = audit_login(db, id, username, ip, region, "login", "ok", "");
		result = 0;
	}
	if (rc != 0 || db_commit(db) != 0) {
		db_rollback(db);
		return VE_DB;
	}
	if (result == 0) {
		rc = load_principal(db, id, &pol, p);
		str_copy(p->ip, ip, sizeof(p->ip));
		return rc;
	}
	return result;
}

int session_lookup(struct db *db, const char *sid, const char *ip, struct principal *p)
{
	if (strlen(sid) != SESSION_ID_HEX)
		return VE_AUTH;
	char hash[2 * SM3_LEN + 1];
	hash_sid(sid, hash);
	struct db_stmt *st =
		db_q(db,
		     "SELECT s.user_id, s.csrf, s.last_seen, u.disabled FROM sessions s "
		     "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
		     "s", hash);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_AUTH;
	}
	int64_t user_id = db_int(st, 0), last_seen = db_int(st, 2);
	int disabled = db_int(st, 3) != 0;
	str_copy(p->csrf, db_text(st, 1), sizeof(p->csrf));
	db_done(st);
	struct policy pol;
	policy_load(db, &pol);
	int64_t now = clock_now();
	if (disabled || now - last_seen > (int64_t)pol.idle_minutes * 60) {
		if (load_principal(db, user_id, &pol, p) == 0 && db_begin(db) == 0) {
			str_copy(p->ip, ip, sizeof(p->ip));
			struct audit_actor who = account_actor(p);
			if (db_run(db, "DELETE FROM sessions WHERE id_hash = ?", "s", hash) == 0 &&
			    audit_write(db, &who, "session.timeout", p->username, "ok",
					"会话空闲超时，已退出") == 0)
				db_commit(db);
			else
				db_rollback(db);
		}
		return VE_EXPIRED;
	}
	if (now - last_seen >= TOUCH_SECONDS)
		db_run(db, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", "is", now, hash);
	int rc = load_principal(db, user_id, &pol, p);
	str_copy(p->ip, ip, sizeof(p->ip));
	return rc == VE_NOTFOUND ? VE_AUTH : rc;
}

int session_logout(struct db *db, const char *sid, const struct principal *p)
{
	char hash[2 * SM3_LEN + 1];
	hash_sid(sid, hash);
	if (db_begin(db) != 0)
		return VE_DB;
	struct audit_actor who = account_actor(p);
	int rc = db_run(db, "DELETE FROM sessions WHERE id_hash = ?", "s", hash);
	if (rc == 0)
		rc = audit_write(db, &who, "logout", p->username, "ok", "");
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return VE_DB;
}

int64_t session_active_count(struct db *db)
{
	struct policy pol;
	policy_load(db, &pol);
	int64_t n = 0;
	db_int_query(db, &n, 0, "SELECT count(*) FROM sessions WHERE last_seen > ?", "i",
		     clock_now() - (int64_t)pol.idle_minutes * 60);
	return n;
}
