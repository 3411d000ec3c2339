/* home.c - the home page (or the login page for a visitor), /healthz and /metrics. */
#include "web/login.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "auth.h"
#include "metrics.h"
#include "areas/policy.h"
#include "areas/session.h"
#include "areas/area.h"
#include "areas/benefit.h"
#include "areas/person.h"
#include "areas/application.h"
#include "areas/petition.h"
#include "areas/care.h"
#include "areas/placement.h"
#include "areas/employment.h"
#include "areas/payment.h"
#include "areas/dashboard.h"
#include "web/dashboard.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the to-dos ---- */

/* Urgent first (past a deadline: "urgent"), then the larger count, then the areas' order. */
static int todo_order(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int ua = json_is_true(json_object_get(a, "urgent")),
	    ub = json_is_true(json_object_get(b, "urgent"));
	if (ua != ub)
		return ub - ua;
	json_int_t ca = json_integer_value(json_object_get(a, "count")),
		   cb = json_integer_value(json_object_get(b, "count"));
	if (ca != cb)
		return ca < cb ? 1 : -1;
	json_int_t ia = json_integer_value(json_object_get(a, "seq")),
		   ib = json_integer_value(json_object_get(b, "seq"));
	return ia < ib ? -1 : ia > ib;
}

/* Every area's to-dos for the signed-in user, in his scope, ordered (todo_order):
 * [{"title","count","href"[,"note"][,"urgent"]}]. NULL on a read error. */
static json_t *todos_of(struct db *db, const struct principal *by)
{
	json_t *all = json_array();
	for (const struct area *const *a = area_list; *a; a++) {
		if (!(*a)->todos)
			continue;
		json_t *some = json_array();
		if ((*a)->todos(db, by, some) != 0) {
			json_decref(some);
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, some);
		json_decref(some);
	}
	size_t n = json_array_size(all);
	json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
	if (n && !v) {
		json_decref(all);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = json_incref(json_array_get(all, i));
		json_object_set_new(v[i], "seq", json_integer((json_int_t)i));
	}
	if (n) /* qsort takes no NULL, even for nothing */
		qsort(v, n, sizeof(*v), todo_order);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_object_del(v[i], "seq");
		json_array_append_new(out, v[i]);
	}
	free(v);
	json_decref(all);
	return out;
}

/* The pages a role uses most, for a home page with nothing waiting: the first four the
 * user may open. Worded as what one does there, not as the navigation names them, so that
 * the page has one link of each name. */
static const struct nav_item usual[] = {
	{0, "/persons", "查找人员", PERM_PERSON_READ},
	{0, "/payments", "查看发放批次", PERM_BENEFIT_READ},
	{0, "/applications", "受理申请", PERM_APPLICATION_READ},
	{0, "/petitions", "来信来访", PERM_PETITION_READ},
	{0, "/care", "联系和走访", PERM_CARE_READ},
	{0, "/placement", "报到和岗位落实", PERM_PLACEMENT_READ},
	{0, "/stats/benefits", "发放统计", PERM_STATS_READ},
	{0, "/employment", "招聘会和求职", PERM_EMPLOYMENT_READ},
	{0, "/users", "管理账号", PERM_ACCOUNT_READ},
	{0, "/orgs", "维护机构", PERM_ORG_READ},
	{0, "/policy", "设置密码与锁定规则", PERM_POLICY},
	{0, "/roles", "权限对照表", PERM_ACCOUNT_READ},
	{0, "/audit", "查看操作记录", PERM_AUDIT_READ},
	{0, "/password", "更换我的密码", PERM_SIGNED_IN},
	{0},
};

static json_t *usual_links(role_set roles)
{
	json_t *list = json_array();
	for (const struct nav_item *it = usual; it->href && json_array_size(list) < 4; it++)
		if (perm_allows(roles, it->perm))
			json_array_append_new(list,
					      json_pack("{s:s,s:s}", "href", it->href, "title", it->title));
	return list;
}

static int handle_home(struct request *req, struct reply *rep)
{
	if (!req->signed_in)
		return handle_login_page(req, rep);
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *todos = todos_of(db, &req->user);
	if (!todos)
		return reply_area_error(req, rep, VE_DB, NULL);
	json_t *cards = json_array();
	/* A leader's home is the dashboard of the year, below his to-dos. */
	json_t *dashboard = NULL;
	if ((req->user.roles & ROLE_BIT(LEADER)) && perm_allows(req->user.roles, PERM_DASHBOARD_READ)) {
		int year = atoi(clock_today_text());
		json_t *areas = NULL;
		if (dashboard_areas(db, &req->user, year, &areas) == 0)
			dashboard = json_pack("{s:i,s:o}", "year", year, "areas", areas);
	}
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
	json_t *page = json_pack("{s:s,s:o,s:I,s:o}", "greeting", greeting, "cards", cards,
				 "kinds", (json_int_t)json_array_size(todos), "todos", todos);
	if (json_array_size(todos) == 0)
		json_object_set_new(page, "usual", usual_links(req->user.roles));
	if (dashboard)
		json_object_set_new(page, "dashboard", dashboard);
	if (days_left <= 14)
		json_object_set_new(page, "password_days_left", json_integer(days_left));
	return reply_page(req, rep, 200, "home", "首页", page);
}

/* The same to-dos as JSON: {"items":[{"title","count","href"[,"note"][,"urgent"]}]}. */
static int handle_api_todos(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *todos = todos_of(db, &req->user);
	if (!todos)
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, 200, json_pack("{s:o}", "items", todos));
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
	{"GET", "/api/v1/todos", handle_api_todos, PERM_SIGNED_IN, API, params_none, 0},
	{0},
};

const struct web_area home_web = {
	.name = "home",
	.routes = routes,
};
