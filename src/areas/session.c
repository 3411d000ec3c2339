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
	p->roles = account_rights_of(db, id); /* roles and grants */
	return 0;
}

/* Whose failures a login attempt counts: the account's (user_id) or, for a name
 * that names no account, the name's own row in login_names (name_key). */
struct counter {
	int64_t user_id;
	char name_key[2 * SM3_LEN + 1];
};

/* Reads the failures in a row and the lock of c. Caller holds the write transaction,
 * so that no concurrent attempt reads the same count. */
static int counter_read(struct db *db, const struct counter *c, int *failures, int64_t *until)
{
	struct db_stmt *st =
		c->user_id ? db_q(db, "SELECT failed_logins, locked_until FROM users WHERE id = ?",
				  "i", c->user_id)
			   : db_q(db,
				  "SELECT failed_logins, locked_until FROM login_names "
				  "WHERE name_key = ?",
				  "s", c->name_key);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	*failures = rc == DB_ROW ? (int)db_int(st, 0) : 0;
	*until = rc == DB_ROW ? db_int(st, 1) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

static int counter_write(struct db *db, const struct counter *c, int failures, int64_t until)
{
	if (c->user_id)
		return db_run(db, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
			      "iii", (int64_t)failures, until, c->user_id);
	int64_t now = clock_now();
	/* Names nobody has typed for a day are forgotten (a lock lasts at most a day). */
	int rc = db_run(db, "DELETE FROM login_names WHERE updated_at < ? AND locked_until < ?",
			"ii", now - 86400, now);
	if (rc == 0)
		rc = db_run(db,
			    "INSERT INTO login_names (name_key, failed_logins, locked_until, "
			    "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET "
			    "failed_logins = excluded.failed_logins, "
			    "locked_until = excluded.locked_until, updated_at = excluded.updated_at",
			    "siii", c->name_key, (int64_t)failures, until, now);
	return rc;
}

/* Counts one failure of c (failures in a row so far given); locks at the
 * threshold. what says what failed ("密码错误", "原密码错误"). Caller holds the
 * transaction. */
static int record_failure(struct db *db, const struct counter *c, const struct audit_actor *who,
			  const char *action, const char *what, int failures,
			  const struct policy *pol, int64_t *locked_until)
{
	failures++;
	int64_t until = 0;
	if (failures >= pol->max_failures)
		until = clock_now() + (int64_t)pol->lock_minutes * 60;
	int rc = counter_write(db, c, until ? 0 : failures, until);
	char detail[96];
	snprintf(detail, sizeof(detail), "%s（连续第 %d 次）", what, failures);
	if (rc == 0)
		rc = audit_write(db, who, action, who->username, "fail", detail);
	if (rc == 0 && until) {
		char when[17];
		clock_local_minute(until, when);
		snprintf(detail, sizeof(detail), "连续 %d 次失败，锁定至 %s", failures, when);
		rc = audit_write(db, who, "login.lock", who->username, "locked", detail);
		*locked_until = until;
	}
	return rc;
}

/* Ends the user's sessions beyond the policy's number, oldest first, so that the
 * one about to open fits; sessions past their time go first. Audited. */
static int limit_sessions(struct db *db, int64_t id, const struct audit_actor *who,
			  const struct policy *pol)
{
	int64_t now = clock_now();
	int rc = db_run(db,
			"DELETE FROM sessions WHERE user_id = ? AND (last_seen <= ? OR created_at <= ?)",
			"iii", id, now - (int64_t)pol->idle_minutes * 60,
			now - (int64_t)pol->session_hours * 3600);
	int64_t n = 0;
	if (rc == 0)
		rc = db_int_query(db, &n, 0, "SELECT count(*) FROM sessions WHERE user_id = ?", "i",
				  id);
	if (rc || n < pol->max_sessions)
		return rc;
	int64_t extra = n - pol->max_sessions + 1;
	rc = db_run(db,
		    "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions "
		    "WHERE user_id = ? ORDER BY created_at, last_seen LIMIT ?)",
		    "ii", id, extra);
	char detail[128];
	snprintf(detail, sizeof(detail), "同时在线会话已达上限 %d 个，结束最早的 %lld 个",
		 pol->max_sessions, (long long)extra);
	if (rc == 0)
		rc = audit_write(db, who, "session.evict", who->username, "ok", detail);
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

/* Spends the time of one password check on nothing, so that an unknown name
 * answers as slowly as a known one. */
static void verify_nothing(const char *password)
{
	crypto_password_verify(password,
			       "pbkdf2-sm3$1$00000000000000000000000000000000$"
			       "0000000000000000000000000000000000000000000000000000000000000000");
	char dummy[160];
	crypto_password_hash(password, crypto_password_iterations(), dummy, sizeof(dummy));
}

int session_login(struct db *db, const char *username, const char *password, const char *ip,
		  char sid[SESSION_ID_HEX + 1], struct principal *p, int64_t *locked_until)
{
	struct policy pol;
	policy_load(db, &pol);
	struct db_stmt *st = db_q(
		db, "SELECT id, password_hash, disabled, region_code FROM users WHERE username = ?",
		"s", username);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	struct counter c = {0};
	int disabled = 0, password_ok = 0;
	char region[16] = "", masked[96];
	if (found) {
		c.user_id = db_int(st, 0);
		disabled = db_int(st, 2) != 0;
		str_copy(region, db_text(st, 3), sizeof(region));
		/* The password is checked before the lock is, outside the transaction (it takes
		 * tens of milliseconds), and whatever the lock: timing tells nothing. */
		password_ok = crypto_password_verify(password, db_text(st, 1));
	}
	db_done(st);
	if (!found) {
		verify_nothing(password);
		audit_name_key(username, c.name_key);
		audit_name_mask(username, masked, sizeof(masked));
	}
	struct audit_actor who = {c.user_id, found ? username : masked, ip, region};
	/* The count is read and written in one write transaction: concurrent attempts
	 * queue here, and none reads a count another is about to raise. */
	if (db_tx_begin(db, 0))
		return VE_DB;
	int failures = 0, rc, result;
	int64_t until = 0, now = clock_now();
	rc = counter_read(db, &c, &failures, &until);
	if (rc) {
		result = VE_DB;
	} else if (until > now) {
		*locked_until = until;
		rc = audit_write(db, &who, "login", who.username, "locked", "账号锁定期间尝试登录");
		result = VE_LOCKED;
	} else if (!found || !password_ok) {
		int64_t locked = 0;
		rc = record_failure(db, &c, &who, "login", found ? "密码错误" : "用户不存在",
				    failures, &pol, &locked);
		*locked_until = locked;
		result = locked ? VE_LOCKED : VE_AUTH;
	} else if (disabled) {
		rc = audit_write(db, &who, "login", username, "fail", "账号已停用");
		result = VE_AUTH;
	} else {
		rc = limit_sessions(db, c.user_id, &who, &pol);
		if (rc == 0)
			rc = open_session(db, c.user_id, ip, sid, p->csrf);
		if (rc == 0)
			rc = audit_write(db, &who, "login", username, "ok", "");
		result = 0;
	}
	if (db_tx_end(db, 0, rc))
		return VE_DB;
	if (result == 0) {
		rc = load_principal(db, c.user_id, &pol, p);
		str_copy(p->ip, ip, sizeof(p->ip));
		return rc;
	}
	return result;
}

int session_password_change(struct db *db, const char *sid, const struct principal *p,
			    const char *old_password, const char *new_password,
			    int64_t *locked_until, char *err, size_t errlen)
{
	struct policy pol;
	policy_load(db, &pol);
	struct db_stmt *st =
		db_q(db, "SELECT password_hash FROM users WHERE id = ?", "i", p->user_id);
	int ok =
		st && db_step(st) == DB_ROW && crypto_password_verify(old_password, db_text(st, 0));
	db_done(st);
	struct audit_actor who = account_actor(p);
	err[0] = '\0';
	/* The new password is checked and hashed (slow) before the write transaction. */
	char hash[ACCOUNT_HASH_MAX];
	int result = 0;
	if (ok && strcmp(old_password, new_password) == 0)
		result = err_set(err, errlen, VE_INVALID, "新密码不能与原密码相同");
	else if (ok)
		result = account_password_prepare(db, p->user_id, p->username, new_password, hash,
						  err, errlen);
	if (result) {
		audit_event(db, &who, "password.change", who.username, "denied", err);
		return result;
	}
	char sid_hash[2 * SM3_LEN + 1], object[48];
	hash_sid(sid, sid_hash);
	snprintf(object, sizeof(object), "user:%lld", (long long)p->user_id);
	struct counter c = {.user_id = p->user_id};
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	int failures = 0;
	int64_t until = 0, locked = 0;
	int rc = counter_read(db, &c, &failures, &until);
	if (rc == 0 && !ok) {
		/* A wrong old password counts like a wrong login: a stolen session may not
		 * guess the real password at leisure. At the lock, every session ends. */
		rc = record_failure(db, &c, &who, "password.change", "原密码错误", failures, &pol,
				    &locked);
		if (rc == 0 && locked)
			rc = db_run(db, "DELETE FROM sessions WHERE user_id = ?", "i", p->user_id);
		result = err_set(err, errlen, locked ? VE_LOCKED : VE_AUTH, "原密码不正确");
	} else if (rc == 0) {
		rc = account_password_store(db, p->user_id, hash, 0);
		/* Whoever else holds a session of this user is signed out, as after a reset. */
		if (rc == 0)
			rc = db_run(db, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?",
				    "is", p->user_id, sid_hash);
		if (rc == 0)
			rc = audit_write(db, &who, "password.change", object, "ok",
					 "修改本人密码，其他会话已结束");
	}
	if (db_tx_end(db, 0, rc))
		return err_set(err, errlen, VE_DB, "修改密码失败");
	*locked_until = locked;
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
		     "SELECT s.user_id, s.csrf, s.last_seen, u.disabled, s.created_at FROM sessions s "
		     "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
		     "s", hash);
	if (!st)
		return VE_DB;
	int found = db_step(st);
	if (found != DB_ROW) {
		db_done(st);
		return found == DB_DONE ? VE_AUTH : VE_DB; /* a store that can't answer: 503, not 401 */
	}
	int64_t user_id = db_int(st, 0), last_seen = db_int(st, 2);
	int disabled = db_int(st, 3) != 0;
	int64_t created = db_int(st, 4);
	str_copy(p->csrf, db_text(st, 1), sizeof(p->csrf));
	db_done(st);
	struct policy pol;
	policy_load(db, &pol);
	int64_t now = clock_now();
	int too_old = now - created > (int64_t)pol.session_hours * 3600;
	if (disabled || too_old || now - last_seen > (int64_t)pol.idle_minutes * 60) {
		if (load_principal(db, user_id, &pol, p) == 0 && db_tx_begin(db, 0) == 0) {
			str_copy(p->ip, ip, sizeof(p->ip));
			struct audit_actor who = account_actor(p);
			int rc = db_run(db, "DELETE FROM sessions WHERE id_hash = ?", "s", hash);
			if (rc == 0)
				rc = audit_write(db, &who, "session.timeout", p->username, "ok",
						 too_old ? "会话超过最长时限，已退出"
							 : "会话空闲超时，已退出");
			db_tx_end(db, 0, rc);
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
	if (db_tx_begin(db, 0))
		return VE_DB;
	struct audit_actor who = account_actor(p);
	int rc = db_run(db, "DELETE FROM sessions WHERE id_hash = ?", "s", hash);
	if (rc == 0)
		rc = audit_write(db, &who, "logout", p->username, "ok", "");
	return db_tx_end(db, 0, rc) ? VE_DB : 0;
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

/* ---- the area ---- */


static const struct audit_title audit_titles[] = {
	{"login", "登录"},
	{"login.lock", "账号锁定"},
	{"login.throttle", "登录尝试过于频繁"},
	{"logout", "退出"},
	{"session.timeout", "会话超时"},
	{"password.change", "修改本人密码"},
	{"session.evict", "超出同时在线数，结束最早的会话"},
	{NULL, NULL},
};

const struct area session_area = {
	.name = "session",
	.audit_titles = audit_titles,
};
