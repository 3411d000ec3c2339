/* outbox.c - the staff page of the messages to applicants and petitioners (短信通知):
 * what waits, what was sent, what failed and why, with 重发; and its API twin.
 *
 * The area (areas/outbox.c) keeps scope: a station sees the messages of its street. */
#include "web/route.h"
#include "areas/outbox.h"
#include "lib/buf.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#define PER_PAGE 50

static int list_of(struct request *req, struct db *db, json_t **out)
{
	struct outbox_filter f = {.filter = params_text(req, "state"),
				  .page = params_int(req, "page", 1),
				  .per_page = params_int(req, "per_page", PER_PAGE)};
	return outbox_list(db, &req->user, &f, out);
}

static const char *state_of(struct request *req)
{
	const char *state = params_text(req, "state");
	for (int i = 0; i < OUTBOX_N_FILTERS; i++)
		if (strcmp(state, outbox_filters[i]) == 0)
			return state;
	return "all";
}

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = list_of(req, db, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	const char *state = state_of(req);
	json_t *filters = json_array();
	for (int i = 0; i < OUTBOX_N_FILTERS; i++)
		json_array_append_new(filters,
				      json_pack("{s:s,s:s,s:b}", "code", outbox_filters[i], "name",
						outbox_filter_title(outbox_filters[i]), "selected",
						strcmp(state, outbox_filters[i]) == 0));
	struct buf href;
	buf_init(&href, 256);
	buf_puts(&href, "/outbox?");
	page_query_add(&href, "state", state);
	json_object_set_new(list, "pager",
			    page_pager(json_integer_value(json_object_get(list, "page")),
				       json_integer_value(json_object_get(list, "per_page")),
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&href)));
	buf_free(&href);
	json_object_set_new(list, "filters", filters);
	json_object_set_new(list, "filter", json_string(state));
	json_object_set_new(list, "can_retry",
			    json_boolean(perm_allows(req->user.roles, PERM_OUTBOX_RETRY)));
	return reply_page(req, rep, 200, "outbox/list", "短信通知", list);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = list_of(req, db, &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

static int retry(struct request *req, struct reply *rep, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = outbox_retry(db, &req->user, req->path_id, err, sizeof(err));
	if (rc && (api || rc != VE_CONFLICT))
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "短信不存在" : err);
	if (api)
		return reply_json(rep, 200,
				  json_pack("{s:I,s:s}", "id", (json_int_t)req->path_id, "state",
					    OUTBOX_WAITING));
	/* sent meanwhile, or being sent: back to the list, which shows it, with why */
	reply_flash(rep, rc ? "error" : "ok", rc ? err : "已安排立即重发");
	char where[64];
	snprintf(where, sizeof(where), "/outbox?state=%s", state_of(req));
	return reply_redirect(rep, where);
}

static int handle_retry(struct request *req, struct reply *rep)
{
	return retry(req, rep, 0);
}

static int handle_api_retry(struct request *req, struct reply *rep)
{
	return retry(req, rep, 1);
}

static int64_t failed_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	int64_t n = 0;
	struct db *db = db_thread();
	if (!db || outbox_failed_count(db, &req->user, &n) != 0)
		return 0;
	return n;
}

/* ---- parameters, routes, navigation ---- */

static const struct param_spec list_params[] = {
	{"state", "状态", PK_WORD, 0, 0, 8, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_END,
};

static const struct param_spec retry_params[] = {
	{"state", "状态", PK_WORD, 0, 0, 8, 0},
	PARAM_END,
};

#define API ROUTE_API

/* clang-format off */
static const struct route routes[] = {
	{"GET", "/outbox", handle_list, PERM_OUTBOX_READ, 0, list_params, 0},
	{"POST", "/outbox/{id}/retry", handle_retry, PERM_OUTBOX_RETRY, 0, retry_params, 0},
	{"GET", "/api/v1/outbox", handle_api_list, PERM_OUTBOX_READ, API, list_params, 0},
	{"POST", "/api/v1/outbox/{id}/retry", handle_api_retry, PERM_OUTBOX_RETRY, API, params_none, 0},
	{0},
};
/* clang-format on */

static const struct nav_item nav[] = {
	{34, "/outbox", "短信通知", PERM_OUTBOX_READ},
	{0},
};

const struct web_area outbox_web = {
	.name = "outbox",
	.routes = routes,
	.nav = nav,
	.nav_count = failed_count,
};
