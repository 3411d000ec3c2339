/* applications.c - the counter's pages and API: the window (choose the item, tick the
 * materials handed in, see at once 受理 or 容缺受理 and what is missing, enter the applicant,
 * receive), the queues, an application with its steps and actions, the receipt with its QR
 * code and the 容缺受理通知书 to print, the year's figures, and the 失信 list.
 *
 * The area (application.c, discredit.c) checks every step and keeps scope. */
#include "web/benefit_pages.h"
#include "web/figures.h"
#include "web/flash.h"
#include "web/portal.h"
#include "areas/application.h"
#include "areas/discredit.h"
#include "areas/rating.h"
#include "areas/service.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/qr.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MATERIALS 64

/* The values of the repeated parameter name (at most MAX_MATERIALS) into v: their number. */
static size_t param_values(const struct request *req, const char *name, const char **v)
{
	size_t n = 0;
	for (size_t i = 0; i < req->n_params && n < MAX_MATERIALS; i++)
		if (strcmp(req->params[i].name, name) == 0 && req->params[i].len)
			v[n++] = req->params[i].value;
	return n;
}

static json_t *page_data(const struct request *req)
{
	return json_pack("{s:b,s:b}", "can_handle",
			 perm_allows(req->user.roles, PERM_APPLICATION_HANDLE), "can_discredit",
			 perm_allows(req->user.roles, PERM_DISCREDIT_MANAGE));
}

/* ---- the queues ---- */

static int list_of(struct request *req, struct db *db, json_t **out)
{
	const char *status = params_text(req, "status"), *year = params_text(req, "year");
	struct application_filter f = {.queue = params_text(req, "queue"),
				       .status = *status ? status : NULL,
				       .year = *year ? year : NULL};
	return application_list(db, &req->user, &f, out);
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
	const char *queue = json_string_value(json_object_get(list, "queue"));
	json_t *data = page_data(req), *queues = json_array(), *statuses = json_array();
	for (int i = 0; i < APP_N_QUEUES; i++)
		json_array_append_new(
			queues, json_pack("{s:s,s:s,s:b}", "code", application_queues[i], "name",
					  application_queue_title(application_queues[i]),
					  "selected", !strcmp(queue, application_queues[i])));
	for (int i = 0; i < APP_N_STATUSES; i++)
		json_array_append_new(
			statuses,
			json_pack("{s:s,s:b}", "name", application_statuses[i], "selected",
				  !strcmp(params_text(req, "status"), application_statuses[i])));
	json_object_set_new(data, "queues", queues);
	json_object_set_new(data, "statuses", statuses);
	json_object_set_new(data, "year", json_string(params_text(req, "year")));
	json_object_set_new(data, "list", list);
	return reply_page(req, rep, 200, "applications/list", "窗口受理", data);
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

/* ---- the window ---- */

static void input_of(struct request *req, struct application_input *in, const char **mats)
{
	in->service = params_text(req, "service");
	in->name = params_text(req, "name");
	in->id_number = params_text(req, "id_number");
	in->phone = params_text(req, "phone");
	in->n_materials = param_values(req, "materials", mats);
	in->materials = mats;
	in->promise = params_flag(req, "promise");
	in->supply_by = params_text(req, "supply_by");
}

/* The window: the catalogue to choose from; with an item, its materials ticked as sent and
 * the assessment; after a refused receive, the form as typed with its errors. */
static int handle_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *msg = NULL;
	int restored = form_restore(req, &fe, &msg, NULL);
	struct application_input in = {0};
	const char *mats[MAX_MATERIALS];
	input_of(req, &in, mats);
	json_t *data = page_data(req), *catalogue = NULL;
	if (service_list(db, NULL, 0, &catalogue) == 0) {
		json_t *it;
		size_t i;
		json_array_foreach(json_object_get(catalogue, "items"), i, it) json_object_set_new(
			it, "selected",
			json_boolean(!strcmp(json_string_value(json_object_get(it, "code")),
					     in.service)));
		json_object_set(data, "items", json_object_get(catalogue, "items"));
		json_decref(catalogue);
	}
	if (*in.service) {
		json_t *a = NULL;
		int rc = application_assess(db, &in, &a);
		if (rc == 0)
			json_object_set_new(data, "assessment", a);
		else if (rc == VE_NOTFOUND)
			json_object_set_new(data, "unknown", json_string(in.service));
		else
			return reply_area_error(req, rep, rc, NULL);
	}
	json_t *form = benefit_form(json_pack("{s:s,s:s,s:s,s:s,s:b}", "name", in.name, "id_number",
					      in.id_number, "phone", in.phone, "supply_by",
					      in.supply_by, "promise", in.promise));
	if (restored)
		benefit_form_refused(form, VE_INVALID, &fe, msg);
	json_object_set_new(data, "form", form);
	json_object_set_new(data, "today", json_string(clock_today_text()));
	return reply_page(req, rep, 200, "applications/new", "窗口受理：收件", data);
}

static int receive(struct request *req, struct db *db, struct field_errors *fe, char *err,
		   size_t errlen, json_t **out)
{
	struct application_input in = {0};
	const char *mats[MAX_MATERIALS];
	input_of(req, &in, mats);
	return application_receive(db, &req->user, &in, fe, err, errlen, out);
}

static int handle_receive(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	json_t *out = NULL;
	int rc = receive(req, db, &fe, err, sizeof(err), &out);
	if (rc == VE_DB)
		return reply_area_error(req, rep, rc, err);
	if (rc) {
		if (!fe.n)
			field_errors_add(&fe, "承诺", "%s", err);
		if (reply_form_refused(req, rep, "/applications/new", &fe, NULL, NULL) == 0)
			return 0;
		return reply_area_error(req, rep, rc, err);
	}
	char where[64], msg[200];
	snprintf(where, sizeof(where), "/applications/%lld",
		 (long long)json_integer_value(json_object_get(out, "id")));
	snprintf(msg, sizeof(msg), "%s，查询码 %s。请打印回执%s交申请人",
		 json_string_value(json_object_get(out, "status")),
		 json_string_value(json_object_get(out, "tracking_code")),
		 json_array_size(json_object_get(out, "missing")) ? "和容缺受理通知书" : "");
	json_decref(out);
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, where);
}

static int handle_api_receive(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	json_t *out = NULL;
	int rc = receive(req, db, &fe, err, sizeof(err), &out);
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	return reply_json(rep, 201, out);
}

/* ---- one application ---- */

static int not_found(struct request *req, struct reply *rep, int rc, const char *err)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "申请不存在" : err);
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *msg = NULL;
	json_t *kept = NULL;
	int restored = form_restore(req, &fe, &msg, &kept);
	json_t *a = NULL;
	int rc = application_get(db, &req->user, req->path_id, &a);
	if (rc) {
		json_decref(kept);
		return not_found(req, rep, rc, NULL);
	}
	json_t *data = page_data(req);
	if (restored) {
		json_t *form = benefit_form(json_pack("{s:s,s:s}", "note", params_text(req, "note"),
						      "material", params_text(req, "material")));
		benefit_form_refused(form, VE_INVALID, &fe, msg);
		json_object_set_new(form, "step",
				    json_string(json_string_value(json_object_get(kept, "step"))));
		json_object_set_new(data, "step_form", form);
	}
	json_decref(kept);
	char title[160];
	snprintf(title, sizeof(title), "申请 %s",
		 json_string_value(json_object_get(a, "tracking_code")));
	json_object_set_new(data, "application", a);
	return reply_page(req, rep, 200, "applications/show", title, data);
}

static int handle_api_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *a = NULL;
	int rc = application_get(db, &req->user, req->path_id, &a);
	return rc ? not_found(req, rep, rc, NULL) : reply_json(rep, 200, a);
}

/* The address the QR code of a receipt leads to: the tracking page of the portal's public
 * address (--public-host; else the host the clerk reached), with the code. */
static void track_url(const struct request *req, const char *code, char *out, size_t size)
{
	char target[64];
	snprintf(target, sizeof(target), "/track?code=%s", code);
	portal_address(req, target, out, size);
}

/* The receipt (kind "receipt") or the 容缺受理通知书 ("notice"), A4, to print. */
static int printable(struct request *req, struct reply *rep, const char *kind)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *a = NULL;
	int rc = application_get(db, &req->user, req->path_id, &a);
	if (rc)
		return not_found(req, rep, rc, NULL);
	const char *code = json_string_value(json_object_get(a, "tracking_code"));
	char url[300];
	track_url(req, code, url, sizeof(url));
	json_t *qr = qr_json(url);
	json_t *data = json_pack("{s:o,s:s,s:s}", "application", a, "track_url", url, "today",
				 clock_today_text());
	if (qr)
		json_object_set_new(data, "qr", qr);
	int notice = !strcmp(kind, "notice");
	json_object_set_new(data, "partial_steps", json_boolean(notice));
	return reply_page(req, rep, 200, notice ? "applications/notice" : "applications/receipt",
			  notice ? "容缺受理通知书" : "受理回执", data);
}

static int handle_receipt(struct request *req, struct reply *rep)
{
	return printable(req, rep, "receipt");
}

static int handle_notice(struct request *req, struct reply *rep)
{
	return printable(req, rep, "notice");
}

/* ---- steps ---- */

static int step_kind(const struct request *req)
{
	const char *slash = strrchr(req->path, '/');
	return application_step_parse(slash ? slash + 1 : "");
}

static int take_step(struct request *req, struct db *db, struct field_errors *fe, char *err,
		     size_t errlen)
{
	int k = step_kind(req);
	if (k < 0)
		return err_set(err, errlen, VE_NOTFOUND, "没有该办理步骤");
	struct application_step_input in = {.note = params_text(req, "note"),
					    .material = params_text(req, "material")};
	return application_step(db, &req->user, req->path_id, (enum application_step_kind)k, &in,
				fe, err, errlen);
}

static int handle_step(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64];
	int rc = take_step(req, db, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/applications/%lld", (long long)req->path_id);
	if (rc == VE_INVALID || rc == VE_CONFLICT) {
		int k = step_kind(req);
		json_t *kept = json_pack("{s:s}", "step", application_step_name(k));
		if (!fe.n)
			field_errors_add(&fe, "办理", "%s", err);
		int r = reply_form_refused(req, rep, where, &fe, NULL, kept);
		json_decref(kept);
		if (r == 0)
			return 0;
	}
	if (rc)
		return not_found(req, rep, rc, err);
	int k = step_kind(req);
	char msg[100];
	snprintf(msg, sizeof(msg), "已%s，已短信告知申请人", application_step_title(k));
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, where);
}

static int handle_api_step(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int rc = take_step(req, db, &fe, err, sizeof(err));
	if (rc)
		return rc == VE_NOTFOUND && !*err ? not_found(req, rep, rc, NULL)
						  : reply_api_refused(req, rep, rc, &fe, err);
	json_t *a = NULL;
	rc = application_get(db, &req->user, req->path_id, &a);
	return rc ? not_found(req, rep, rc, NULL) : reply_json(rep, 200, a);
}

/* ---- the 失信 list ---- */

static int handle_discredits(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *msg = NULL;
	int restored = form_restore(req, &fe, &msg, NULL);
	json_t *list = NULL;
	int rc = discredit_list(db, &req->user, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = page_data(req);
	json_t *form = benefit_form(json_pack(
		"{s:s,s:s,s:s,s:s,s:s}", "name", params_text(req, "name"), "id_number",
		params_text(req, "id_number"), "reason", params_text(req, "reason"), "listed_on",
		params_text(req, "listed_on"), "until_on", params_text(req, "until_on")));
	if (restored)
		benefit_form_refused(form, VE_INVALID, &fe, msg);
	json_object_set_new(data, "form", form);
	json_object_set_new(data, "list", list);
	return reply_page(req, rep, 200, "applications/discredits", "失信名单", data);
}

static int add_discredit(struct request *req, struct db *db, struct field_errors *fe, int64_t *id,
			 char *err, size_t errlen)
{
	struct discredit_input in = {params_text(req, "name"), params_text(req, "id_number"),
				     params_text(req, "reason"), params_text(req, "listed_on"),
				     params_text(req, "until_on")};
	return discredit_add(db, &req->user, &in, 0, fe, id, err, errlen);
}

static int handle_discredit_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[300] = "";
	int64_t id;
	int rc = add_discredit(req, db, &fe, &id, err, sizeof(err));
	if (rc == VE_INVALID && reply_form_refused(req, rep, "/discredits", &fe, NULL, NULL) == 0)
		return 0;
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "已列入失信名单");
	return reply_redirect(rep, "/discredits");
}

static int handle_api_discredit_add(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[300] = "";
	int64_t id;
	int rc = add_discredit(req, db, &fe, &id, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	return reply_json(rep, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int handle_api_discredits(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = discredit_list(db, &req->user, &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

static int handle_discredit_remove(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[200] = "";
	int rc = discredit_remove(db, &req->user, req->path_id, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	reply_flash(rep, "ok", "已移出失信名单");
	return reply_redirect(rep, "/discredits");
}

static int handle_discredit_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *f = params_file(req, "file");
	char path[64], why[300] = "";
	if (!f || page_save_upload(f, path, why, sizeof(why)) != 0)
		return reply_area_error(req, rep, VE_INVALID, *why ? why : "请选择文件");
	int64_t n = 0;
	int rc = discredit_import(db, &req->user, path, f->filename, &n, why, sizeof(why));
	unlink(path);
	if (rc)
		return reply_area_error(req, rep, rc, why);
	char msg[100];
	snprintf(msg, sizeof(msg), "已导入失信名单 %lld 人", (long long)n);
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, "/discredits");
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"queue", "队列", PK_WORD, 0, 0, 10, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"year", "年度", PK_WORD, 0, 4, 4, 0},
	PARAM_END,
};

static const struct param_spec new_params[] = {
	{"service", "事项", PK_WORD, 0, 0, 32, 0},
	{"materials", "材料", PK_TEXT, 0, 0, 128, 1},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec receive_params[] = {
	{"service", "事项", PK_WORD, 1, 1, 32, 0},
	{"materials", "材料", PK_TEXT, 0, 0, 128, 1},
	{"name", "姓名", PK_TEXT, 0, 0, 60, 0},
	{"id_number", "身份证号", PK_TEXT, 0, 0, 40, 0},
	{"phone", "手机号", PK_TEXT, 0, 0, 30, 0},
	{"promise", "承诺", PK_FLAG, 0, 0, 0, 0},
	{"supply_by", "补齐期限", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec step_params[] = {
	{"note", "说明", PK_LONGTEXT, 0, 0, 400, 0},
	{"material", "材料", PK_TEXT, 0, 0, 128, 0},
	PARAM_END,
};

static const struct param_spec discredit_params[] = {
	{"name", "姓名", PK_TEXT, 1, 1, 60, 0},
	{"id_number", "身份证号", PK_TEXT, 0, 0, 40, 0},
	{"reason", "失信原因", PK_TEXT, 0, 0, 400, 0},
	{"listed_on", "列入日期", PK_TEXT, 0, 0, 10, 0},
	{"until_on", "截止日期", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec import_params[] = {
	{"file", "文件", PK_FILE, 1, 0, 5 * 1024 * 1024, 0},
	PARAM_END,
};

/* ---- the year's figures as a figure set (web/figures.h) ---- */

static int handle_figures(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &application_figures);
}

static int handle_figures_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &application_figures);
}

#define READ PERM_APPLICATION_READ
#define HANDLE PERM_APPLICATION_HANDLE
#define API ROUTE_API

static const struct route routes[] = {
	{"GET", "/applications", handle_list, READ, 0, list_params, 0},
	{"GET", "/applications/new", handle_new, HANDLE, 0, new_params, 0},
	{"GET", "/applications/stats", handle_figures, PERM_COUNTER_STATS, 0, figures_params, 0},
	{"GET", "/applications/stats/list", handle_figures_list, PERM_COUNTER_STATS, 0,
	 figures_list_params, 0},
	{"POST", "/applications", handle_receive, HANDLE, 0, receive_params, 0},
	{"GET", "/applications/{id}", handle_show, READ, 0, params_flash, 0},
	{"GET", "/applications/{id}/receipt", handle_receipt, READ, 0, params_none, 0},
	{"GET", "/applications/{id}/notice", handle_notice, READ, 0, params_none, 0},
	{"POST", "/applications/{id}/correct", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/applications/{id}/resume", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/applications/{id}/supply", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/applications/{id}/close", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/applications/{id}/refuse", handle_step, HANDLE, 0, step_params, 0},
	{"POST", "/applications/{id}/return", handle_step, HANDLE, 0, step_params, 0},
	{"GET", "/discredits", handle_discredits, PERM_DISCREDIT_MANAGE, 0, params_flash, 0},
	{"POST", "/discredits", handle_discredit_add, PERM_DISCREDIT_MANAGE, 0, discredit_params,
	 0},
	{"POST", "/discredits/{id}/remove", handle_discredit_remove, PERM_DISCREDIT_MANAGE, 0,
	 params_none, 0},
	{"POST", "/discredits/import", handle_discredit_import, PERM_DISCREDIT_MANAGE, 0,
	 import_params, 6 * 1024 * 1024},
	{"GET", "/api/v1/applications", handle_api_list, READ, API, list_params, 0},
	{"POST", "/api/v1/applications", handle_api_receive, HANDLE, API, receive_params, 0},
	{"GET", "/api/v1/applications/{id}", handle_api_show, READ, API, params_none, 0},
	{"POST", "/api/v1/applications/{id}/correct", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/applications/{id}/resume", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/applications/{id}/supply", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/applications/{id}/close", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/applications/{id}/refuse", handle_api_step, HANDLE, API, step_params, 0},
	{"POST", "/api/v1/applications/{id}/return", handle_api_step, HANDLE, API, step_params, 0},
	{"GET", "/api/v1/discredits", handle_api_discredits, PERM_DISCREDIT_MANAGE, API,
	 params_none, 0},
	{"POST", "/api/v1/discredits", handle_api_discredit_add, PERM_DISCREDIT_MANAGE, API,
	 discredit_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{30, "/applications", "窗口受理", READ},
	{0},
};

const struct web_area applications_web = {
	.name = "applications",
	.routes = routes,
	.nav = nav,
};
