/* home.c - the home page (or the login page for a visitor), /healthz and /metrics. */
#include "web/login.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "auth.h"
#include "metrics.h"
#include "areas/policy.h"
#include "areas/session.h"
#include "lib/clock.h"

#include <stdio.h>

static int handle_home(struct request *req, struct reply *rep)
{
	if (!req->signed_in)
		return handle_login_page(req, rep);
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *cards = json_array();
	if (perm_allows(req->user.roles, PERM_ACCOUNT_READ)) {
		int64_t users = 0, locked = 0;
		account_user_counts(db, &req->user, &users, &locked);
		json_array_append_new(cards, json_pack("{s:s,s:I,s:s,s:s}", "title", "在用账号",
						       "value", (json_int_t)users, "note",
						       "不含已停用账号", "href", "/users"));
		json_array_append_new(cards, json_pack("{s:s,s:I,s:s,s:s}", "title", "锁定中账号",
						       "value", (json_int_t)locked, "note",
						       "连续登录失败被锁定", "href", "/users"));
	}
	if (perm_allows(req->user.roles, PERM_AUDIT_READ)) {
		int64_t records = 0, failures = 0;
		audit_summary(db, clock_now() - 86400, &records, &failures);
		json_array_append_new(cards, json_pack("{s:s,s:I,s:s,s:s}", "title", "审计记录",
						       "value", (json_int_t)records, "note",
						       "全部记录，链式校验", "href", "/audit"));
		json_array_append_new(cards,
				      json_pack("{s:s,s:I,s:s,s:s}", "title", "24 小时内登录失败",
						"value", (json_int_t)failures, "note",
						"含锁定期间的尝试", "href", "/audit?action=login"));
	}
	struct policy pol;
	policy_load(db, &pol);
	int64_t changed = 0;
	account_password_changed_at(db, req->user.user_id, &changed);
	int64_t days_left = ((int64_t)pol.expiry_days * 86400 - (clock_now() - changed)) / 86400;
	char greeting[200];
	snprintf(greeting, sizeof(greeting), "%s，您好", req->user.display_name);
	json_t *page = json_pack("{s:s,s:o}", "greeting", greeting, "cards", cards);
	if (days_left <= 14)
		json_object_set_new(page, "password_days_left", json_integer(days_left));
	return reply_page(req, rep, 200, "home", "首页", page);
}

static int handle_healthz(struct request *req, struct reply *rep)
{
	int ok = db_ping(db_thread()) == 0;
	rep->content_type = "text/plain; charset=utf-8";
	rep->status = ok ? 200 : 503;
	buf_puts(&rep->body, ok ? "ok\n" : "database unavailable\n");
	return 0;
}

static int handle_metrics(struct request *req, struct reply *rep)
{
	/* Refused as if there were no such page: an outsider learns nothing. */
	if (!metrics_allowed(req->ip, req->authorization))
		return reply_error(req, rep, 404, "not_found", "页面不存在");
	struct db *db = db_thread();
	rep->status = 200;
	rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_write(&rep->body, db ? session_active_count(db) : 0);
	return 0;
}

/* ---- the routes of the home page, health and metrics ---- */


#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/", handle_home, NULL, PUBLIC | ROUTE_KNOWS_USER, params_none, 0},
	{"GET", "/healthz", handle_healthz, NULL, PUBLIC, params_none, 0},
	{"GET", "/metrics", handle_metrics, NULL, PUBLIC, params_none, 0},
	{0},
};

const struct web_area home_web = {
	.name = "home",
	.routes = routes,
};
