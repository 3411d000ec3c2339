/* death_reports.c - 死亡上报: a station reports a death with the certificate, the bureau
 * checks it (accepts or returns it). */
#include "web/route.h"
#include "web/flash.h"
#include "areas/death_report.h"
#include "areas/entitlement.h"
#include "areas/person.h"
#include "db/db.h"
#include "lib/err.h"
#include "lib/field_errors.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a certificate and the form around it. */
#define UPLOAD_PARAM_MAX (6 * 1024 * 1024)
#define UPLOAD_BODY_MAX (7 * 1024 * 1024)

static json_t *invalid_json(const struct field_errors *e)
{
	json_t *o = json_object();
	for (int i = 0; e && i < e->n; i++)
		json_object_set_new(o, e->items[i].field, json_string(e->items[i].message));
	return o;
}

static json_t *cause_choices(const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; i < ENTITLEMENT_N_DEATH_CAUSES; i++)
		json_array_append_new(
			list,
			json_pack("{s:s,s:b}", "name", entitlement_death_causes[i], "selected",
				  selected && strcmp(selected, entitlement_death_causes[i]) == 0));
	return list;
}

static int api_error(struct request *req, struct reply *rep, int rc, const struct field_errors *e)
{
	if (!e->n)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "死亡上报不存在" : NULL);
	json_t *body = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_name(rc), "message",
				 field_errors_first(e, err_message(rc)), "fields", page_field_errors(e));
	return reply_json(rep, http_status_of(rc), body);
}

/* ---- the list ---- */

static int handle_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *list = NULL;
	if (!db)
		return 0;
	const char *status = params_text(req, "status");
	int rc = death_report_list(db, &req->user, status, &list);
	if (rc)
		return rc;
	int64_t pending = 0;
	death_report_pending(db, &req->user, &pending);
	json_t *statuses = json_array();
	for (size_t i = 0; i < DEATH_REPORT_N_STATUSES; i++)
		json_array_append_new(statuses,
				      json_pack("{s:s,s:b}", "name", death_report_statuses[i],
						"selected",
						strcmp(status, death_report_statuses[i]) == 0));
	json_object_set_new(list, "pending", json_integer(pending));
	json_object_set_new(list, "statuses", statuses);
	json_object_set_new(list, "can_check",
			    json_boolean(perm_allows(req->user.roles, PERM_DEATH_REPORT_CHECK)));
	return reply_page(req, rep, 200, "death_reports/list", "死亡上报", list);
}

static int handle_api_list(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *list = NULL;
	if (!db)
		return 0;
	int rc = death_report_list(db, &req->user, params_text(req, "status"), &list);
	return rc ? rc : reply_json(rep, 200, list);
}

/* ---- a station's report ---- */

/* The report form for person (200, or a refusal's status with e and the values sent);
 * notice, when not NULL, says the certificate chosen was not kept. */
static int new_page(struct request *req, struct reply *rep, struct db *db, int status,
		    const struct field_errors *e, const char *notice)
{
	json_t *person = NULL;
	int64_t id = params_int(req, "person", 0);
	int rc = person_get(db, &req->user, id, &person);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	const char *cause = params_text(req, "cause");
	json_t *page =
		json_pack("{s:o,s:{s:s,s:s},s:o,s:o,s:o,s:i}", "person", person, "values", "date",
			  params_text(req, "date"), "note", params_text(req, "note"), "causes",
			  cause_choices(cause), "errors", page_field_errors(e), "invalid",
			  invalid_json(e), "max_mb", DEATH_REPORT_FILE_MAX / (1024 * 1024));
	if (notice)
		json_object_set_new(page, "file_notice", json_string(notice));
	return reply_page(req, rep, status, "death_reports/new", "上报死亡", page);
}

/* The form: empty, or as a refused report left it (flash.h). */
static int handle_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e;
	const char *notice = NULL;
	if (!db)
		return 0;
	form_restore(req, &e, &notice, NULL);
	return new_page(req, rep, db, 200, &e, notice);
}

/* What a refused report's form says of the file: a browser can't be given it back. */
#define FILE_NOT_KEPT "所选的死亡证明文件没有保存，请重新选择文件后再上报（其他内容已保留）"

static int submit(struct request *req, struct db *db, int64_t *id, struct field_errors *e)
{
	const struct multipart_part *file = params_file(req, "file");
	struct death_report_new r = {
		.person_id = params_int(req, "person", 0),
		.date = params_text(req, "date"),
		.cause = params_text(req, "cause"),
		.note = params_text(req, "note"),
		.file = file ? file->data : NULL,
		.file_len = file ? file->len : 0,
		.file_name = file ? file->filename : NULL,
	};
	return death_report_submit(db, &req->user, &r, id, e);
}

static int handle_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	int64_t id = 0;
	if (!db)
		return 0;
	int rc = submit(req, db, &id, &e);
	if (rc && e.n) { /* back to the form's GET with what was typed: a refresh sends nothing */
		const struct multipart_part *file = params_file(req, "file");
		const char *notice = file && file->len ? FILE_NOT_KEPT : NULL;
		char form_url[64];
		snprintf(form_url, sizeof(form_url), "/death-reports/new?person=%lld",
			 (long long)params_int(req, "person", 0));
		if (reply_form_refused(req, rep, form_url, &e, notice, NULL) == 0)
			return 0;
		return new_page(req, rep, db, http_status_of(rc), &e, notice);
	}
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	char where[64];
	snprintf(where, sizeof(where), "/death-reports/%lld", (long long)id);
	reply_flash(rep, "ok", "死亡上报已提交，等待区局核查");
	return reply_redirect(rep, where);
}

static int handle_api_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	int64_t id = 0;
	json_t *report = NULL;
	if (!db)
		return 0;
	int rc = submit(req, db, &id, &e);
	if (rc)
		return api_error(req, rep, rc, &e);
	if ((rc = death_report_get(db, &req->user, id, &report)))
		return rc;
	return reply_json(rep, 201, report);
}

/* ---- one report, its certificate, the bureau's check ---- */

static int show_page(struct request *req, struct reply *rep, int status, const char *form,
		     const struct field_errors *e)
{
	struct db *db = page_db(req, rep);
	json_t *report = NULL;
	if (!db)
		return 0;
	int rc = death_report_get(db, &req->user, req->path_id, &report);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "死亡上报不存在" : NULL);
	int may_check =
		perm_allows(req->user.roles, PERM_DEATH_REPORT_CHECK) &&
		json_integer_value(json_object_get(report, "submitted_by")) != req->user.user_id;
	json_t *page = json_pack("{s:o,s:b,s:s,s:o,s:o,s:{s:s,s:b}}", "report", report, "may_check",
				 may_check, "form", form ? form : "", "errors", page_field_errors(e),
				 "invalid", invalid_json(e), "values", "reason",
				 form ? params_text(req, "reason") : "", "confirm",
				 form && strcmp(params_text(req, "confirm"), "1") == 0);
	return reply_page(req, rep, status, "death_reports/show", "死亡上报", page);
}

/* The report; with a refused check's form as it was sent (flash.h). */
static int handle_show(struct request *req, struct reply *rep)
{
	struct field_errors e;
	json_t *kept = NULL;
	if (!form_restore(req, &e, NULL, &kept))
		return show_page(req, rep, 200, NULL, NULL);
	const char *form = json_string_value(json_object_get(kept, "form"));
	/* only the two forms of this page: a kept page names one of them */
	form = form && strcmp(form, "accept") == 0 ? "accept" : "return";
	json_decref(kept);
	return show_page(req, rep, 200, form, &e);
}

static int handle_api_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *report = NULL;
	if (!db)
		return 0;
	int rc = death_report_get(db, &req->user, req->path_id, &report);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "死亡上报不存在" : NULL);
	return reply_json(rep, 200, report);
}

static int handle_certificate(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	void *data = NULL;
	size_t len = 0;
	char type[32], name[256];
	if (!db)
		return 0;
	int rc = death_report_certificate(db, &req->user, req->path_id, &data, &len, type, name,
					  sizeof(name));
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "死亡上报不存在" : NULL);
	int ok = buf_append(&rep->body, data, len) == 0;
	free(data);
	if (!ok)
		return VE_LIMIT;
	static const char *const types[] = {"application/pdf", "image/jpeg", "image/png"};
	static const char *const exts[] = {"pdf", "jpg", "png"};
	size_t i = 0;
	while (i < 2 && strcmp(type, types[i]) != 0)
		i++;
	rep->status = 200;
	rep->content_type = types[i];
	/* an image is shown on the report's page; a PDF is downloaded, never run in the site */
	snprintf(rep->disposition, sizeof(rep->disposition),
		 "%s; filename=\"death-certificate-%lld.%s\"", i ? "inline" : "attachment",
		 (long long)req->path_id, exts[i]);
	return 0;
}

static int accept(struct request *req, struct db *db, int page, struct field_errors *e)
{
	if (page && strcmp(params_text(req, "confirm"), "1") != 0) {
		json_t *report = NULL;
		int rc = death_report_get(db, &req->user, req->path_id, &report);
		json_decref(report);
		if (rc)
			return rc;
		field_errors_add(
			e, "确认",
			"核实后将登记死亡、待遇停发，请核对死亡证明后勾选“我已核对死亡证明”");
		return VE_INVALID;
	}
	return death_report_accept(db, &req->user, req->path_id, e);
}

/* After a check: back to the report with msg, or the report with the refused form. */
static int check_done(struct request *req, struct reply *rep, int rc, const char *form,
		      const struct field_errors *e, const char *msg)
{
	if (rc && (!e->n || rc == VE_NOTFOUND))
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "死亡上报不存在" : NULL);
	char where[64];
	snprintf(where, sizeof(where), "/death-reports/%lld", (long long)req->path_id);
	if (rc) { /* back to the report's GET with the form as sent */
		json_t *kept = json_pack("{s:s}", "form", form);
		int kept_rc = reply_form_refused(req, rep, where, e, NULL, kept);
		json_decref(kept);
		return kept_rc == 0 ? 0 : show_page(req, rep, http_status_of(rc), form, e);
	}
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, where);
}

static int handle_accept(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? check_done(req, rep, accept(req, db, 1, &e), "accept", &e,
			       "已核实：死亡已登记，待遇已按死亡日期终止")
		  : 0;
}

static int handle_return(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? check_done(req, rep,
			       death_report_return(db, &req->user, req->path_id,
						   params_text(req, "reason"), &e),
			       "return", &e, "已退回，服务站将看到退回原因")
		  : 0;
}

static int api_checked(struct request *req, struct reply *rep, struct db *db, int rc,
		       const struct field_errors *e)
{
	json_t *report = NULL;
	if (rc)
		return api_error(req, rep, rc, e);
	if ((rc = death_report_get(db, &req->user, req->path_id, &report)))
		return rc;
	return reply_json(rep, 200, report);
}

static int handle_api_accept(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? api_checked(req, rep, db, accept(req, db, 0, &e), &e) : 0;
}

static int handle_api_return(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? api_checked(req, rep, db,
				death_report_return(db, &req->user, req->path_id,
						    params_text(req, "reason"), &e),
				&e)
		  : 0;
}

/* The reports waiting for the bureau, beside the navigation entry of those who check. */
static int64_t pending_count(const struct request *req, const struct nav_item *it)
{
	(void)it;
	int64_t n = 0;
	struct db *db = db_thread();
	if (!db || !perm_allows(req->user.roles, PERM_DEATH_REPORT_CHECK) ||
	    death_report_pending(db, &req->user, &n) != 0)
		return 0;
	return n;
}

/* ---- parameters, routes, navigation ---- */

static const struct param_spec list_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec new_params[] = {
	{"person", "人员", PK_INT, 1, 1, INT64_MAX, 0},
	{FLASH_PARAM, "表单", PK_TOKEN, 0, FLASH_TOKEN_HEX, FLASH_TOKEN_HEX, 0}, /* params_flash */
	PARAM_END,
};

static const struct param_spec create_params[] = {
	{"person", "人员", PK_INT, 1, 1, INT64_MAX, 0},
	{"date", "死亡日期", PK_TEXT, 0, 0, 10, 0},
	{"cause", "死亡原因", PK_TEXT, 0, 0, 10, 0},
	{"note", "说明", PK_LONGTEXT, 0, 0, 400, 0},
	{"file", "死亡证明", PK_FILE, 0, 0, UPLOAD_PARAM_MAX, 0},
	PARAM_END,
};

static const struct param_spec accept_params[] = {
	{"confirm", "确认", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec return_params[] = {
	{"reason", "退回原因", PK_LONGTEXT, 0, 0, 400, 0},
	PARAM_END,
};

#define API ROUTE_API

/* clang-format off */
static const struct route routes[] = {
	{"GET", "/death-reports", handle_list, PERM_DEATH_REPORT_READ, 0, list_params, 0},
	{"GET", "/death-reports/new", handle_new, PERM_DEATH_REPORT_SUBMIT, 0, new_params, 0},
	{"POST", "/death-reports", handle_create, PERM_DEATH_REPORT_SUBMIT, 0, create_params, UPLOAD_BODY_MAX},
	{"GET", "/death-reports/{id}", handle_show, PERM_DEATH_REPORT_READ, 0, params_flash, 0},
	{"GET", "/death-reports/{id}/certificate", handle_certificate, PERM_DEATH_REPORT_READ, 0, params_none, 0},
	{"POST", "/death-reports/{id}/accept", handle_accept, PERM_DEATH_REPORT_CHECK, 0, accept_params, 0},
	{"POST", "/death-reports/{id}/return", handle_return, PERM_DEATH_REPORT_CHECK, 0, return_params, 0},
	{"GET", "/api/v1/death-reports", handle_api_list, PERM_DEATH_REPORT_READ, API, list_params, 0},
	{"POST", "/api/v1/death-reports", handle_api_create, PERM_DEATH_REPORT_SUBMIT, API, create_params, UPLOAD_BODY_MAX},
	{"GET", "/api/v1/death-reports/{id}", handle_api_show, PERM_DEATH_REPORT_READ, API, params_none, 0},
	{"POST", "/api/v1/death-reports/{id}/accept", handle_api_accept, PERM_DEATH_REPORT_CHECK, API, params_none, 0},
	{"POST", "/api/v1/death-reports/{id}/return", handle_api_return, PERM_DEATH_REPORT_CHECK, API, return_params, 0},
	{0},
};
/* clang-format on */

static const struct nav_item nav[] = {
	{15, "/death-reports", "死亡上报", PERM_DEATH_REPORT_READ},
	{0},
};

const struct web_area death_reports_web = {
	.name = "death_reports",
	.routes = routes,
	.nav = nav,
	.nav_count = pending_count,
};
