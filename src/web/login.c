/* login.c - signing in and out (pages and API), and changing one's password. */
#include "web/login.h"
#include "web/flash.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "auth.h"
#include "areas/policy.h"
#include "areas/session.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

static json_t *user_json(const struct principal *p)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:b}", "id", (json_int_t)p->user_id, "username",
			 p->username, "display_name", p->display_name, "org", p->org_name, "roles",
			 account_roles_json(p->roles), "must_change_password",
			 p->must_change_password != 0);
}

/* The message for a locked account, naming until when. */
static void locked_message(int64_t until, char *out, size_t size)
{
	char when[17];
	clock_local_minute(until, when);
	snprintf(out, size, "账号因连续登录失败已被锁定，请于 %s 后再试，或联系系统管理员解锁",
		 when);
}

static int login_form(struct request *req, struct reply *rep, int status, const char *error)
{
	auth_form_token(req, rep);
	json_t *page = json_object();
	if (error)
		json_object_set_new(page, "error", json_string(error));
	const char *username = req_param(req, "username");
	if (username)
		json_object_set_new(page, "username", json_string(username));
	return reply_page(req, rep, status, "login", "登录", page);
}

int handle_login_page(struct request *req, struct reply *rep)
{
	if (req->signed_in)
		return reply_redirect(rep, "/");
	return login_form(req, rep, 200, NULL);
}

/* Refuses a login attempt from an address that has used up its allowance, before
 * any password is checked: 429 with the wait in *retry_after. The first refusal
 * of a run is audited (each one would let a flood write the audit trail). */
static int throttled(struct request *req, struct db *db, int *reserved, int *retry_after,
		     char *why, size_t size)
{
	int first = 0;
	int wait = auth_throttle_take(req->ip, reserved, &first);
	if (!wait)
		return 0;
	*retry_after = wait;
	if (first) {
		struct audit_actor who = {0, "-", req->ip, ""};
		audit_event(db, &who, "login.throttle", req->ip, "denied",
			    "同一地址登录失败或尝试过多，暂停受理；此后的拒绝不逐条记录");
	}
	snprintf(why, size, "登录尝试过于频繁，请 %d 秒后再试", wait);
	return http_status_of(VE_QUOTA);
}

/* Signs in; on success fills *sid and req->user. Writes the Chinese reason and
 * returns the status to answer with otherwise (*retry_after set for a 429). */
static int sign_in(struct request *req, char sid[SESSION_ID_HEX + 1], int *retry_after, char *why,
		   size_t size)
{
	struct db *db = db_thread();
	if (!db)
		return snprintf(why, size, "数据库暂时不可用"), http_status_of(VE_DB);
	int reserved = 0;
	int status = throttled(req, db, &reserved, retry_after, why, size);
	if (status)
		return status;
	int64_t until = 0;
	int rc = session_login(db, params_text(req, "username"), params_text(req, "password"),
			       req->ip, sid, &req->user, &until);
	auth_throttle_done(req->ip, reserved, rc != 0);
	if (rc == 0) {
		req->signed_in = 1;
		return 200;
	}
	if (rc == VE_LOCKED || until) {
		locked_message(until, why, size);
		return http_status_of(VE_LOCKED);
	}
	if (rc == VE_AUTH)
		return snprintf(why, size, "用户名或密码错误"), http_status_of(rc);
	return snprintf(why, size, "登录暂时无法完成，请稍后再试"), http_status_of(VE_DB);
}

static int handle_login(struct request *req, struct reply *rep)
{
	char sid[SESSION_ID_HEX + 1], why[200];
	int status = sign_in(req, sid, &rep->retry_after, why, sizeof(why));
	if (status != 200)
		return login_form(req, rep, status, why);
	auth_set_session_cookie(rep, sid);
	return reply_redirect(rep, req->user.must_change_password ? "/password" : "/");
}

/* Ends the request's session (audited) and clears its cookie, for the page and the API
 * alike: 0, or the area's error, and then the session stands. */
static int sign_out(struct request *req, struct reply *rep, struct db *db)
{
	int rc = session_logout(db, req->sid, &req->user);
	if (rc == 0)
		auth_set_session_cookie(rep, NULL);
	return rc;
}

static int handle_logout(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc = sign_out(req, rep, db);
	if (rc)
		return reply_area_error(req, rep, rc, "退出失败，请稍后再试");
	reply_flash(rep, "ok", "您已安全退出");
	return reply_redirect(rep, "/login");
}

static int handle_api_session_create(struct request *req, struct reply *rep)
{
	if (!req->json)
		return reply_error(req, rep, 415, "unsupported_media_type",
				   "请以 application/json 提交用户名和密码");
	char sid[SESSION_ID_HEX + 1], why[200];
	int status = sign_in(req, sid, &rep->retry_after, why, sizeof(why));
	if (status != 200) {
		const char *code = status == 423   ? "locked"
				   : status == 401 ? "unauthorized"
				   : status == 429 ? "too_many_requests"
						   : "unavailable";
		return reply_error(req, rep, status, code, why);
	}
	auth_set_session_cookie(rep, sid);
	return reply_json(
		rep, 200,
		json_pack("{s:s,s:o}", "csrf", req->user.csrf, "user", user_json(&req->user)));
}

static int handle_api_session_delete(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc = sign_out(req, rep, db);
	if (rc)
		return reply_error(req, rep, http_status_of(rc), "unavailable",
				   "退出失败，请稍后再试");
	rep->status = 204;
	rep->content_type = "text/plain; charset=utf-8";
	return 0;
}

static int handle_api_me(struct request *req, struct reply *rep)
{
	return reply_json(rep, 200, json_pack("{s:o}", "user", user_json(&req->user)));
}

static int password_form(struct request *req, struct reply *rep, int status, const char *error)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct policy pol;
	policy_load(db, &pol);
	json_t *page = json_pack("{s:b,s:{s:i,s:i,s:i}}", "forced", req->user.must_change_password,
				 "policy", "min_length", pol.min_length, "expiry_days",
				 pol.expiry_days, "history", pol.history);
	if (req->user.must_change_password)
		json_object_set_new(page, "reason",
				    json_string("您的密码为管理员设置的临时密码或已超过有效期，"
						"须修改后才能继续使用系统。"));
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "password", "修改密码", page);
}

/* The password form; after a refused change with its message only: no password is
 * kept (flash.h), each is typed again. */
static int handle_password_page(struct request *req, struct reply *rep)
{
	struct field_errors e;
	const char *error = NULL;
	form_restore(req, &e, &error, NULL);
	return password_form(req, rep, 200, error);
}

/* A refused change: back to /password with why (a refresh sends nothing). */
static int password_refused(struct request *req, struct reply *rep, int status, const char *why)
{
	return status == 400 && reply_form_refused(req, rep, "/password", NULL, why, NULL) == 0
		       ? 0
		       : password_form(req, rep, status, why);
}

static int handle_password(struct request *req, struct reply *rep)
{
	const char *fresh = params_text(req, "new_password");
	if (strcmp(fresh, params_text(req, "confirm_password")) != 0)
		return password_refused(req, rep, 400, "两次输入的新密码不一致");
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int64_t until = 0;
	int rc = session_password_change(db, req->sid, &req->user, params_text(req, "old_password"),
					 fresh, &until, err, sizeof(err));
	if (rc == VE_LOCKED) {
		/* Every session of the user has just ended, this one too. */
		char why[200];
		locked_message(until, why, sizeof(why));
		auth_set_session_cookie(rep, NULL);
		req->signed_in = 0;
		return reply_error(req, rep, http_status_of(rc), "locked", why);
	}
	/* A wrong old password is a field of the form: the session stands, so not 401. */
	if (rc)
		return password_refused(req, rep, http_status_of(rc == VE_AUTH ? VE_INVALID : rc),
					err);
	reply_flash(rep, "ok", "密码已修改");
	return reply_redirect(rep, "/");
}

/* ---- the routes of signing in and out, one's own password ---- */

static const struct param_spec login_params[] = {
	{"username", "用户名", PK_TEXT, 1, 1, 64, 0},
	{"password", "密码", PK_SECRET, 1, 1, 128, 0},
	PARAM_END,
};

static const struct param_spec password_params[] = {
	{"old_password", "原密码", PK_SECRET, 1, 1, 128, 0},
	{"new_password", "新密码", PK_SECRET, 1, 1, 128, 0},
	{"confirm_password", "确认新密码", PK_SECRET, 1, 1, 128, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/login", handle_login_page, NULL, PUBLIC | ROUTE_KNOWS_USER, params_none, 0},
	{"POST", "/login", handle_login, NULL, PUBLIC | ROUTE_KNOWS_USER, login_params, 0},
	{"POST", "/logout", handle_logout, PERM_SIGNED_IN, PW, params_none, 0},
	{"GET", "/password", handle_password_page, PERM_SIGNED_IN, PW, params_flash, 0},
	{"POST", "/password", handle_password, PERM_SIGNED_IN, PW, password_params, 0},
	{"POST", "/api/v1/session", handle_api_session_create, NULL, PUBLIC | API | ROUTE_NO_CSRF, login_params, 0},
	{"DELETE", "/api/v1/session", handle_api_session_delete, PERM_SIGNED_IN, API | PW, params_none, 0},
	{"GET", "/api/v1/me", handle_api_me, PERM_SIGNED_IN, API | PW, params_none, 0},
	{0},
};

const struct web_area login_web = {
	.name = "login",
	.routes = routes,
};
