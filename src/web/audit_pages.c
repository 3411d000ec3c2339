/* audit_pages.c - the audit administrator's view of the audit trail (page and API). */
#include "handlers.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>

#define PER_PAGE 50

/* Reads the filter params into f; dates are whole days in Asia/Shanghai. */
static void read_filter(const struct request *req, struct audit_filter *f)
{
	int64_t t;
	f->actor = params_text(req, "actor");
	f->action = params_text(req, "action");
	f->from = clock_parse_date(params_text(req, "from"), &t) == 0 ? t : 0;
	f->to = clock_parse_date(params_text(req, "to"), &t) == 0 ? t + 86400 : 0;
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
}

/* Reading the trail is itself recorded. */
static int audit_reading(struct db *db, const struct request *req, const struct audit_filter *f)
{
	struct audit_actor who = account_actor(&req->user);
	char detail[300];
	snprintf(detail, sizeof(detail), "查询：操作人=%s 操作=%s 第 %lld 页", f->actor, f->action,
		 (long long)f->page);
	return audit_event(db, &who, "audit.view", "audit_log", "ok", detail);
}

int handle_audit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_filter f;
	read_filter(req, &f);
	json_t *list;
	if (audit_reading(db, req, &f) != 0 || audit_list(db, &f, &list) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	struct buf base;
	buf_init(&base, 1024);
	buf_puts(&base, "/audit?");
	page_query_add(&base, "actor", f.actor);
	page_query_add(&base, "action", f.action);
	page_query_add(&base, "from", params_text(req, "from"));
	page_query_add(&base, "to", params_text(req, "to"));
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_object_set_new(list, "pager", page_pager(f.page, PER_PAGE, total, buf_cstr(&base)));
	buf_free(&base);
	json_object_set_new(list, "filter",
			    json_pack("{s:s,s:s,s:s,s:s}", "actor", f.actor, "action", f.action,
				      "from", params_text(req, "from"), "to",
				      params_text(req, "to")));
	return reply_page(req, rep, 200, "audit/list", "审计日志", list);
}

int handle_api_audit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_filter f;
	read_filter(req, &f);
	json_t *list;
	if (audit_reading(db, req, &f) != 0 || audit_list(db, &f, &list) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, 200, list);
}
