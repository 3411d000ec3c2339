/* mailbox.c - 区长信箱 on the portal: the published replies (GET /mailbox, /mailbox/{id}),
 * and the form a visitor writes with (GET and POST /mailbox/write). A message enters the
 * 信访 registry (areas/petition.h) with its deadlines; its writer gets a tracking code and
 * follows it on 进度查询 (/track). The published list shows the question, the dates, the
 * replying office and the reply — never who wrote. */
#include "web/route.h"
#include "areas/petition.h"
#include "lib/err.h"
#include "lib/log.h"
#include "web/portal.h"

#include <stdio.h>

#define PER_PAGE 10

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t page = params_int(req, "page", 1), total = 0;
	json_t *items = NULL;
	int rc = petition_published(db, (page - 1) * PER_PAGE, PER_PAGE, &items, &total);
	if (rc)
		return rc;
	json_t *data = json_pack("{s:o,s:I,s:o}", "items", items, "total", (json_int_t)total,
				 "pager", page_pager(page, PER_PAGE, total, "/mailbox?"));
	return reply_portal(req, rep, 200, "portal/mailbox", "区长信箱", data);
}

static int handle_one(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = petition_published_one(db, req->path_id, &item);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "没有找到这条公开答复");
	if (rc)
		return rc;
	return reply_portal(req, rep, 200, "portal/mailbox_one",
			    json_string_value(json_object_get(item, "question")), item);
}

/* The form, with what was typed and what was wrong (status 400) when it comes back. */
static int form_page(struct request *req, struct reply *rep, int status,
		     const struct field_errors *fe)
{
	json_t *data = json_pack("{s:o,s:{s:s,s:s,s:s,s:s,s:b}}", "errors", page_field_errors(fe),
				 "form", "name", params_text(req, "name"), "phone",
				 params_text(req, "phone"), "subject", params_text(req, "subject"),
				 "content", params_text(req, "content"), "consent",
				 params_flag(req, "consent"));
	portal_form_guard(data);
	return reply_portal(req, rep, status, "portal/mailbox_write", "给区长写信", data);
}

static int handle_form(struct request *req, struct reply *rep)
{
	return form_page(req, rep, 200, NULL);
}

static int handle_write(struct request *req, struct reply *rep)
{
	if (portal_form_check(req, rep))
		return 0;
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct petition_mail m = {params_text(req, "name"),    params_text(req, "phone"),
				  params_text(req, "subject"), params_text(req, "content"),
				  params_flag(req, "consent"), req->ip};
	struct field_errors fe = {0};
	char track[TRACK_CODE_LEN + 1], err[256], where[80];
	int64_t id = 0;
	int rc = petition_mailbox_write(db, &m, &id, track, &fe, err, sizeof(err));
	if (rc == VE_INVALID)
		return form_page(req, rep, 400, &fe);
	if (rc)
		return reply_error(req, rep, http_status_of(rc), "not_saved", err);
	log_info("mailbox.written", "req=%llx id=%lld", req->id, (long long)id);
	/* the code is shown once more on the tracking page the writer lands on */
	snprintf(where, sizeof(where), "/track?code=%s&new=1", track);
	return reply_redirect(rep, where);
}

static const struct param_spec list_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec write_params[] = {
	{"name", "姓名", PK_TEXT, 0, 0, 100, 0},
	{"phone", "联系电话", PK_TEXT, 0, 0, 40, 0},
	{"subject", "标题", PK_TEXT, 0, 0, 200, 0},
	{"content", "内容", PK_LONGTEXT, 0, 0, 4000, 0},
	{"consent", "同意公开", PK_FLAG, 0, 0, 0, 0},
	PORTAL_GUARD_PARAMS,
	PARAM_END,
};

#define PORTAL (ROUTE_PUBLIC | ROUTE_PORTAL)

static const struct route routes[] = {
	{"GET", "/mailbox", handle_list, NULL, PORTAL, list_params, 0},
	{"GET", "/mailbox/{id}", handle_one, NULL, PORTAL, params_none, 0},
	{"GET", "/mailbox/write", handle_form, NULL, PORTAL, params_none, 0},
	{"POST", "/mailbox/write", handle_write, NULL, PORTAL | ROUTE_NO_CSRF, write_params, 0},
	{0},
};

const struct web_area mailbox_web = {
	.name = "mailbox",
	.routes = routes,
};
