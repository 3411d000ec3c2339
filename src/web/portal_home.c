/* portal_home.c - the portal's own pages: the home page (the latest news and notices, the
 * entries to every service, the 智能问答 search box), 新闻动态 (/news), 信息公开 (/open) and the
 * 办事指南 from the counter's catalogue (/guide). They only read: published articles
 * (areas/article.h) and the service catalogue (areas/service.h). Other areas' pages are
 * linked, never called. */
#include "web/route.h"
#include "areas/article.h"
#include "areas/service.h"
#include "lib/err.h"
#include "lib/str.h"
#include "web/portal.h"

#include <stdio.h>
#include <string.h>

#define HOME_NEWS 6
#define HOME_NOTICES 5
#define NEWS_PER_PAGE 15

static int handle_home(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *news = NULL, *notices = NULL;
	int rc = article_public_list(db, ARTICLE_NEWS, NULL, 1, HOME_NEWS, &news);
	if (!rc)
		rc = article_public_list(db, ARTICLE_NOTICE, NULL, 1, HOME_NOTICES, &notices);
	if (rc) {
		json_decref(news);
		return rc;
	}
	json_t *data = json_pack("{s:o,s:o}", "news", news, "notices", notices);
	return reply_portal(req, rep, 200, "portal/home", "首页", data);
}

/* /news lists 新闻 (type absent) or 通知公告 (type=notice). */
static int handle_news(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int notice = strcmp(params_text(req, "type"), "notice") == 0;
	if (!notice && *params_text(req, "type"))
		return reply_error(req, rep, 404, "not_found", "没有这个栏目");
	int64_t page = params_int(req, "page", 1);
	json_t *list = NULL;
	int rc = article_public_list(db, notice ? ARTICLE_NOTICE : ARTICLE_NEWS, NULL, page,
				     NEWS_PER_PAGE, &list);
	if (rc)
		return rc;
	json_t *pager = page_pager(page, NEWS_PER_PAGE,
				   json_integer_value(json_object_get(list, "total")),
				   notice ? "/news?type=notice&" : "/news?");
	json_t *data = json_pack("{s:o,s:o,s:b}", "list", list, "pager", pager, "notice", notice);
	return reply_portal(req, rep, 200, "portal/news", notice ? "通知公告" : "新闻动态", data);
}

/* One published article of kind group: news and notices under /news, 信息公开 under /open. */
static int article_page(struct request *req, struct reply *rep, int open)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = article_public_get(db, req->path_id, &item);
	if (rc && rc != VE_NOTFOUND)
		return rc;
	const char *kind = rc ? "" : json_string_value(json_object_get(item, "kind"));
	if (rc || (strcmp(kind, ARTICLE_OPEN) == 0) != open) {
		json_decref(item);
		return reply_error(req, rep, 404, "not_found",
				   open ? "没有找到这条公开信息，可能已经撤回" : "没有找到这篇文章，可能已经撤回");
	}
	char title[ARTICLE_TITLE_MAX * 4 + 1]; /* the longest title, cut (if ever) between characters */
	str_copy(title, json_string_value(json_object_get(item, "title")), sizeof(title));
	return reply_portal(req, rep, 200, open ? "portal/open_one" : "portal/news_one", title,
			    item);
}

static int handle_news_one(struct request *req, struct reply *rep)
{
	return article_page(req, rep, 0);
}

static int handle_open(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *groups = NULL;
	int rc = article_public_open(db, &groups);
	if (rc)
		return rc;
	return reply_portal(req, rep, 200, "portal/open", "信息公开",
			    json_pack("{s:o}", "groups", groups));
}

static int handle_open_one(struct request *req, struct reply *rep)
{
	return article_page(req, rep, 1);
}

static int handle_guide(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	/* /guide?code=YJS-001: the item by its 事项编码, at its own address */
	const char *code = params_text(req, "code");
	if (*code) {
		json_t *item = NULL;
		int found = service_get(db, code, &item);
		if (found == VE_NOTFOUND)
			return reply_error(req, rep, 404, "not_found", "没有找到这个办事事项");
		if (found)
			return found;
		char where[48];
		snprintf(where, sizeof(where), "/guide/%lld",
			 (long long)json_integer_value(json_object_get(item, "id")));
		json_decref(item);
		return reply_redirect(rep, where);
	}
	const char *q = params_text(req, "q");
	json_t *list = NULL;
	int rc = service_list(db, q, 0, &list);
	if (rc)
		return rc;
	json_t *data = json_pack("{s:o,s:s}", "list", list, "q", q);
	return reply_portal(req, rep, 200, "portal/guide", "办事指南", data);
}

static int handle_guide_one(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)req->path_id);
	json_t *item = NULL;
	int rc = service_get(db, key, &item);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "没有找到这个办事事项");
	if (rc)
		return rc;
	/* who last edited the catalogue stays in the back office */
	json_object_del(item, "updated_name");
	char title[200];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(item, "name")));
	return reply_portal(req, rep, 200, "portal/guide_one", title, item);
}

static const struct param_spec news_params[] = {
	{"type", "栏目", PK_WORD, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};
static const struct param_spec guide_params[] = {
	{"q", "事项名称", PK_TEXT, 0, 0, 40, 0},
	{"code", "事项编码", PK_WORD, 0, 1, SERVICE_CODE_MAX, 0},
	PARAM_END,
};

#define PORTAL (ROUTE_PUBLIC | ROUTE_PORTAL)

static const struct route routes[] = {
	{"GET", "/", handle_home, NULL, PORTAL, params_none, 0},
	{"GET", "/news", handle_news, NULL, PORTAL, news_params, 0},
	{"GET", "/news/{id}", handle_news_one, NULL, PORTAL, params_none, 0},
	{"GET", "/open", handle_open, NULL, PORTAL, params_none, 0},
	{"GET", "/open/{id}", handle_open_one, NULL, PORTAL, params_none, 0},
	{"GET", "/guide", handle_guide, NULL, PORTAL, guide_params, 0},
	{"GET", "/guide/{id}", handle_guide_one, NULL, PORTAL, params_none, 0},
	{0},
};

const struct web_area portal_home_web = {
	.name = "portal_home",
	.routes = routes,
};
