/* recoveries.c - the pages and API of 追缴: the list of lines paid after a benefit's
 * end (per person and benefit, with their case), a case (its lines, the amounts
 * recovered, closing or writing off), and the 追缴通知书 to print.
 *
 * The area (recovery.c) checks every step and keeps scope: a station user sees the
 * cases of its street, and another street's case is "not found". */
#include "web/benefit_pages.h"
#include "web/flash.h"
#include "areas/recovery.h"
#include "areas/region.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

#define PER_PAGE 20

/* ---- the list ---- */

static int list_of(struct request *req, struct db *db, json_t **out)
{
	const char *status = params_text(req, "status"), *street = params_text(req, "street");
	struct recovery_filter f = {.filter = status, .street = *street ? street : NULL};
	return recovery_list(db, &req->user, &f, out);
}

static int handle_recoveries(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = list_of(req, db, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	const char *status = params_text(req, "status"), *street = params_text(req, "street");
	if (strcmp(status, "closed") != 0 && strcmp(status, "all") != 0)
		status = "open";
	int64_t page = params_int(req, "page", 1);
	json_t *items = json_object_get(list, "items");
	json_t *data = benefit_page_data(req, "recoveries");
	json_t *filters = json_array();
	for (int i = 0; i < RECOVERY_N_FILTERS; i++)
		json_array_append_new(
			filters, json_pack("{s:s,s:s,s:b}", "code", recovery_filters[i], "name",
					   recovery_filter_title(recovery_filters[i]), "selected",
					   strcmp(status, recovery_filters[i]) == 0));
	struct buf href;
	buf_init(&href, 1024);
	buf_puts(&href, "/recoveries?");
	page_query_add(&href, "status", status);
	page_query_add(&href, "street", street);
	json_object_set_new(data, "filters", filters);
	json_object_set_new(data, "streets", region_street_choices(db, &req->user, street));
	json_object_set_new(data, "pager", page_pager(page, PER_PAGE,
						      (int64_t)json_array_size(items),
						      buf_cstr(&href)));
	buf_free(&href);
	json_object_set_new(data, "items", benefit_slice(items, page, PER_PAGE));
	json_object_set(data, "totals", list);
	json_object_del(json_object_get(data, "totals"), "items");
	json_object_set_new(data, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_RECOVERY_WRITE)));
	json_decref(list);
	return reply_page(req, rep, 200, "recoveries/list", "待遇追缴", data);
}

static int handle_api_recoveries(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = list_of(req, db, &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

/* ---- a case ---- */

static int case_error(struct request *req, struct reply *rep, int rc, const char *err)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "追缴案件不存在" : err);
}

/* The case page (status 200, or a refused form's 4xx with form as "payment_form" or
 * "writeoff_form", or a refusal err without a field). */
static int case_page(struct request *req, struct reply *rep, struct db *db, int status,
		     const char *form_name, json_t *form, const char *err)
{
	json_t *c = NULL;
	int rc = recovery_get(db, &req->user, req->path_id, &c);
	if (rc) {
		json_decref(form);
		return case_error(req, rep, rc, NULL);
	}
	json_t *data = benefit_page_data(req, "recoveries");
	json_object_set_new(data, "case", c);
	json_object_set_new(data, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_RECOVERY_WRITE)));
	json_object_set_new(data, "can_writeoff",
			    json_boolean(perm_allows(req->user.roles, PERM_RECOVERY_WRITEOFF)));
	json_object_set_new(data, "methods",
			    benefit_choices(recovery_methods, RECOVERY_N_METHODS,
					    form ? json_string_value(json_object_get(
							   json_object_get(form, "values"), "method"))
						 : NULL));
	json_object_set_new(data, "today", json_string(clock_today_text()));
	if (form)
		json_object_set_new(data, form_name, form);
	if (err && *err)
		json_object_set_new(data, "refusal", json_string(err));
	char title[160];
	snprintf(title, sizeof(title), "追缴：%s",
		 json_string_value(json_object_get(c, "name")));
	return reply_page(req, rep, status, "recoveries/show", title, data);
}

static json_t *payment_values(struct request *req);

/* The case; after a refused step, with its form as sent and why (flash.h): kept names
 * the form ("payment_form", "writeoff_form", or none for a step without one) and rc. */
static int handle_recovery(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors fe;
	const char *err = NULL;
	json_t *kept = NULL;
	if (!db)
		return 0;
	if (!form_restore(req, &fe, &err, &kept))
		return case_page(req, rep, db, 200, NULL, NULL, NULL);
	const char *name = json_string_value(json_object_get(kept, "form"));
	int rc = (int)json_integer_value(json_object_get(kept, "rc"));
	json_t *form = NULL;
	if (name && strcmp(name, "payment_form") == 0)
		form = benefit_form(payment_values(req));
	else if (name && strcmp(name, "writeoff_form") == 0)
		form = benefit_form(json_pack("{s:s}", "reason", params_text(req, "reason")));
	if (form)
		benefit_form_refused(form, rc ? rc : VE_INVALID, &fe, err);
	if (!form && !err)
		err = err_message(rc ? rc : VE_CONFLICT);
	int r = case_page(req, rep, db, 200, form ? name : NULL, form, form ? NULL : err);
	json_decref(kept);
	return r;
}

/* A refused step on the path's case: back to the case's GET with form_name's values (or
 * none), fe and err, so a refresh sends nothing; the page itself when it can't be kept. */
static int case_refused(struct request *req, struct reply *rep, struct db *db, int rc,
			const char *form_name, json_t *form, const struct field_errors *fe,
			const char *err)
{
	char where[64];
	snprintf(where, sizeof(where), "/recoveries/%lld", (long long)req->path_id);
	json_t *kept = json_pack("{s:i}", "rc", rc);
	if (form_name)
		json_object_set_new(kept, "form", json_string(form_name));
	int kept_rc = reply_form_refused(req, rep, where, fe, err && *err ? err : NULL, kept);
	json_decref(kept);
	if (kept_rc == 0) {
		json_decref(form);
		return 0;
	}
	return case_page(req, rep, db, http_status_of(rc), form_name, form, form ? NULL : err);
}

static int handle_api_recovery(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = recovery_get(db, &req->user, req->path_id, &c);
	return rc ? case_error(req, rep, rc, NULL) : reply_json(rep, 200, c);
}

static int handle_recovery_notice(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *c = NULL;
	int rc = recovery_get(db, &req->user, req->path_id, &c);
	if (rc)
		return case_error(req, rep, rc, NULL);
	json_t *data = json_pack("{s:o,s:s}", "case", c, "today", clock_today_text());
	return reply_page(req, rep, 200, "recoveries/notice", "追缴通知书", data);
}

/* Opens the case of the form's person and benefit (or finds the one open). */
static int open_case(struct request *req, struct db *db, int64_t *id, int *opened, char *err,
		     size_t errlen)
{
	return recovery_open(db, &req->user, params_int(req, "person", 0),
			     params_text(req, "benefit"), id, opened, err, errlen);
}

static int handle_recovery_open(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t id;
	int opened;
	char err[256] = "";
	int rc = open_case(req, db, &id, &opened, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char where[64];
	snprintf(where, sizeof(where), "/recoveries/%lld", (long long)id);
	reply_flash(rep, "ok", opened == RECOVERY_REOPENED ? "已重新立案追缴"
			       : opened			  ? "已立案追缴，可打印追缴通知书"
							  : "该案件已立案");
	return reply_redirect(rep, where);
}

static int handle_api_recovery_open(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t id;
	int opened;
	char err[256] = "";
	int rc = open_case(req, db, &id, &opened, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	json_t *o = json_pack("{s:I,s:b}", "id", (json_int_t)id, "opened", opened);
	json_object_set_new(o, "reopened", json_boolean(opened == RECOVERY_REOPENED));
	return reply_json(rep, opened == 1 ? 201 : 200, o);
}

static json_t *payment_values(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "paid_on", params_text(req, "paid_on"), "amount",
			 params_text(req, "amount"), "method", params_text(req, "method"), "note",
			 params_text(req, "note"));
}

static int record(struct request *req, struct db *db, struct field_errors *fe, char *err,
		  size_t errlen)
{
	struct recovery_payment p = {.paid_on = params_text(req, "paid_on"),
				     .amount = params_text(req, "amount"),
				     .method = params_text(req, "method"),
				     .note = params_text(req, "note")};
	return recovery_record(db, &req->user, req->path_id, &p, fe, err, errlen);
}

/* After a step on the path's case: back to it with message. */
static int back_to_case(struct request *req, struct reply *rep, const char *message)
{
	char where[64];
	snprintf(where, sizeof(where), "/recoveries/%lld", (long long)req->path_id);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, where);
}

static int handle_recovery_record(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = record(req, db, &fe, err, sizeof(err));
	if (rc == VE_NOTFOUND || rc == VE_DB)
		return case_error(req, rep, rc, err);
	if (rc) {
		json_t *form = benefit_form(payment_values(req));
		benefit_form_refused(form, rc, &fe, err);
		return case_refused(req, rep, db, rc, "payment_form", form, &fe, err);
	}
	return back_to_case(req, rep, "追回款已登记");
}

static int handle_api_recovery_record(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = record(req, db, &fe, err, sizeof(err));
	if (rc && fe.n) {
		json_t *fields = json_array();
		for (int i = 0; i < fe.n; i++)
			json_array_append_new(fields, json_pack("{s:s,s:s}", "field",
								fe.items[i].field, "message",
								fe.items[i].message));
		return reply_json(rep, http_status_of(rc),
				  json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_name(rc),
					    "message", field_errors_first(&fe, ""), "fields",
					    fields));
	}
	if (rc)
		return case_error(req, rep, rc, err);
	json_t *c = NULL;
	rc = recovery_get(db, &req->user, req->path_id, &c);
	return rc ? case_error(req, rep, rc, NULL) : reply_json(rep, 201, c);
}

/* A refused step without a form: the case page with the refusal, or the error page. */
static int step_refused(struct request *req, struct reply *rep, struct db *db, int rc,
			const char *err)
{
	if (rc == VE_CONFLICT)
		return case_refused(req, rep, db, rc, NULL, NULL, NULL, err);
	return case_error(req, rep, rc, err);
}

static int handle_recovery_close(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = recovery_close(db, &req->user, req->path_id, err, sizeof(err));
	return rc ? step_refused(req, rep, db, rc, err) : back_to_case(req, rep, "已结案");
}

static int handle_recovery_writeoff(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = recovery_writeoff_ask(db, &req->user, req->path_id, params_text(req, "reason"),
				       &fe, err, sizeof(err));
	if (rc == VE_INVALID) {
		json_t *form = benefit_form(json_pack("{s:s}", "reason", params_text(req, "reason")));
		benefit_form_refused(form, rc, &fe, err);
		return case_refused(req, rep, db, rc, "writeoff_form", form, &fe, err);
	}
	return rc ? step_refused(req, rep, db, rc, err)
		  : back_to_case(req, rep, "核销申请已提交，待审批人审批");
}

static int decide(struct request *req, struct reply *rep, int approve)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = recovery_writeoff_decide(db, &req->user, req->path_id, approve, err,
					  sizeof(err));
	return rc ? step_refused(req, rep, db, rc, err)
		  : back_to_case(req, rep, approve ? "已核准核销，案件结案" : "核销申请已退回");
}

static int handle_recovery_writeoff_approve(struct request *req, struct reply *rep)
{
	return decide(req, rep, 1);
}

static int handle_recovery_writeoff_return(struct request *req, struct reply *rep)
{
	return decide(req, rep, 0);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"status", "状态", PK_WORD, 0, 0, 8, 0},
	{"street", "街道", PK_WORD, 0, 0, 12, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec open_params[] = {
	{"person", "人员", PK_INT, 1, 1, INT64_MAX, 0},
	{"benefit", "待遇", PK_WORD, 1, 1, 20, 0},
	PARAM_END,
};

static const struct param_spec record_params[] = {
	{"paid_on", "日期", PK_TEXT, 0, 0, 20, 0},
	{"amount", "金额", PK_TEXT, 0, 0, 30, 0},
	{"method", "方式", PK_TEXT, 0, 0, 20, 0},
	{"note", "备注", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

static const struct param_spec writeoff_params[] = {
	{"reason", "核销原因", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

#define API ROUTE_API

static const struct route routes[] = {
	{"GET", "/recoveries", handle_recoveries, PERM_RECOVERY_READ, 0, list_params, 0},
	{"POST", "/recoveries", handle_recovery_open, PERM_RECOVERY_WRITE, 0, open_params, 0},
	{"GET", "/recoveries/{id}", handle_recovery, PERM_RECOVERY_READ, 0, params_flash, 0},
	{"GET", "/recoveries/{id}/notice", handle_recovery_notice, PERM_RECOVERY_READ, 0, params_none, 0},
	{"POST", "/recoveries/{id}/payments", handle_recovery_record, PERM_RECOVERY_WRITE, 0, record_params, 0},
	{"POST", "/recoveries/{id}/close", handle_recovery_close, PERM_RECOVERY_WRITE, 0, params_none, 0},
	{"POST", "/recoveries/{id}/writeoff", handle_recovery_writeoff, PERM_RECOVERY_WRITE, 0, writeoff_params, 0},
	{"POST", "/recoveries/{id}/writeoff/approve", handle_recovery_writeoff_approve, PERM_RECOVERY_WRITEOFF, 0, params_none, 0},
	{"POST", "/recoveries/{id}/writeoff/return", handle_recovery_writeoff_return, PERM_RECOVERY_WRITEOFF, 0, params_none, 0},
	/* the list's former address, kept for bookmarks */
	{"GET", "/payments/recoveries", handle_recoveries, PERM_RECOVERY_READ, 0, list_params, 0},
	{"GET", "/api/v1/recoveries", handle_api_recoveries, PERM_RECOVERY_READ, API, list_params, 0},
	{"POST", "/api/v1/recoveries", handle_api_recovery_open, PERM_RECOVERY_WRITE, API, open_params, 0},
	{"GET", "/api/v1/recoveries/{id}", handle_api_recovery, PERM_RECOVERY_READ, API, params_none, 0},
	{"POST", "/api/v1/recoveries/{id}/payments", handle_api_recovery_record, PERM_RECOVERY_WRITE, API, record_params, 0},
	{0},
};

const struct web_area recoveries_web = {
	.name = "recoveries",
	.routes = routes,
};
