/* services.c - the pages and API of the service catalogue (事项): the list (search by code or
 * name, bundles only), an item (every field, its materials marked 必要 / 可容缺, the bundles it
 * belongs to or its members), the form that creates or edits one, and the two documents it
 * prints: the 办事指南 and the 一次性告知书, as A4 pages and as .docx downloads.
 *
 * Every business role reads the catalogue (service.read); clerks keep it (service.manage).
 * The API: GET /api/v1/services (q, bundles) lists it; GET /api/v1/services/{id} and
 * GET /api/v1/services?code=CODE give one item. */
#include "web/flash.h"
#include "web/route.h"
#include "areas/service.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *page_data(const struct request *req)
{
	return json_pack("{s:b}", "can_manage", perm_allows(req->user.roles, PERM_SERVICE_MANAGE));
}

static int item_error(struct request *req, struct reply *rep, int rc)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "服务事项不存在" : NULL);
}

/* The item of the path's id. */
static int item_of_path(struct request *req, struct db *db, json_t **out)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)req->path_id);
	return service_get(db, key, out);
}

/* ---- the list ---- */

static int handle_services(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe;
	const char *refused = NULL;
	form_restore(req, &fe, &refused, NULL); /* a refused import: its message */
	json_t *list = NULL;
	int bundles = params_flag(req, "bundles");
	int rc = service_list(db, params_text(req, "q"), bundles, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	json_t *data = page_data(req);
	json_object_set_new(data, "q", json_string(params_text(req, "q")));
	json_object_set_new(data, "bundles", json_boolean(bundles));
	json_object_set_new(data, "list", list);
	if (refused && *refused)
		json_object_set_new(data, "import_error", json_string(refused));
	return reply_page(req, rep, 200, "services/list", "服务事项", data);
}

/* The catalogue; with code=, the one item of that code (as /api/v1/services/{id}), for
 * programs that know items by their code. */
static int handle_api_services(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *code = params_text(req, "code");
	if (*code) {
		json_t *item = NULL;
		int rc = service_get(db, code, &item);
		return rc ? item_error(req, rep, rc) : reply_json(rep, 200, item);
	}
	json_t *list = NULL;
	int rc = service_list(db, params_text(req, "q"), params_flag(req, "bundles"), &list);
	return rc ? reply_area_error(req, rep, rc, NULL) : reply_json(rep, 200, list);
}

/* The catalogue from an uploaded sheet, as `vets service import` takes it: all or nothing. */
static int handle_service_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char path[64], why[200], err[512] = "", message[640];
	int rc = VE_INVALID;
	if (page_save_upload(file, path, why, sizeof(why)) != 0) {
		snprintf(message, sizeof(message), "%s", why);
	} else {
		struct service_import_result r;
		rc = service_import(db, &req->user, path, file->filename, &r, err, sizeof(err));
		unlink(path);
		if (rc == 0) {
			snprintf(message, sizeof(message),
				 "已导入服务事项 %d 个（材料 %d 行）：新增 %d，修改 %d，未变 %d", r.items,
				 r.rows, r.added, r.changed, r.unchanged);
			reply_flash(rep, "ok", message);
			return reply_redirect(rep, "/services");
		}
		snprintf(message, sizeof(message), "文件无法导入：%s", *err ? err : err_message(rc));
	}
	if (rc == VE_DB)
		return reply_area_error(req, rep, rc, message);
	if (reply_form_refused(req, rep, "/services", NULL, message, NULL) == 0)
		return 0;
	return reply_area_error(req, rep, rc, message);
}

/* ---- an item ---- */

static int handle_service(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = item_of_path(req, db, &item);
	if (rc)
		return item_error(req, rep, rc);
	char title[200];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(item, "name")));
	json_t *data = page_data(req);
	json_object_set_new(data, "item", item);
	return reply_page(req, rep, 200, "services/show", title, data);
}

static int handle_api_service(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = item_of_path(req, db, &item);
	return rc ? item_error(req, rep, rc) : reply_json(rep, 200, item);
}

/* ---- the form ---- */

/* The form's fields: the item's own (ITEM_FIELDS, as service_get names them), then the
 * materials and a bundle's members as text. */
#define ITEM_FIELDS 11
static const char *const form_fields[] = {
	"code",	 "name", "legal_basis", "conditions", "time_limit_days", "fee",	   "place",
	"how",	 "hours", "phone",	 "department", "essential",	  "optional", "members",
};
#define N_FORM_FIELDS (sizeof(form_fields) / sizeof(form_fields[0]))

/* The form's values from what req sent. */
static json_t *values_sent(struct request *req)
{
	json_t *v = json_object();
	for (size_t i = 0; i < N_FORM_FIELDS; i++)
		json_object_set_new(v, form_fields[i], json_string(params_text(req, form_fields[i])));
	return v;
}

/* The form's values from a stored item: materials one per line, "名称｜说明". */
static json_t *values_of(const json_t *item)
{
	json_t *v = json_object();
	for (size_t i = 0; i < ITEM_FIELDS; i++) {
		json_t *f = json_object_get(item, form_fields[i]);
		if (json_is_integer(f)) {
			char n[24];
			snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(f));
			json_object_set_new(v, form_fields[i], json_string(n));
		} else {
			json_object_set(v, form_fields[i], f ? f : json_string(""));
		}
	}
	struct buf ess, opt, mem;
	buf_init(&ess, 64 * 1024);
	buf_init(&opt, 64 * 1024);
	buf_init(&mem, 16 * 1024);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(item, "materials"), i, m)
	{
		struct buf *b = json_is_true(json_object_get(m, "essential")) ? &ess : &opt;
		const char *note = json_string_value(json_object_get(m, "note"));
		buf_printf(b, "%s%s%s\n", json_string_value(json_object_get(m, "name")),
			   note && *note ? "｜" : "", note ? note : "");
	}
	json_array_foreach(json_object_get(item, "members"), i, m)
		buf_printf(&mem, "%s\n", json_string_value(json_object_get(m, "code")));
	json_object_set_new(v, "essential", json_string(buf_cstr(&ess)));
	json_object_set_new(v, "optional", json_string(buf_cstr(&opt)));
	json_object_set_new(v, "members", json_string(buf_cstr(&mem)));
	buf_free(&ess);
	buf_free(&opt);
	buf_free(&mem);
	return v;
}

/* The form page: values, and the errors of a refused save. */
static int form_page(struct request *req, struct reply *rep, int status, int64_t id,
		     json_t *values, const struct field_errors *fe, const char *error)
{
	json_t *data = page_data(req);
	json_t *invalid = json_object();
	for (int i = 0; fe && i < fe->n; i++)
		json_object_set_new(invalid, fe->items[i].field, json_true());
	json_object_set_new(data, "values", values);
	json_object_set_new(data, "errors", page_field_errors(fe));
	json_object_set_new(data, "invalid", invalid);
	if (error && *error && !(fe && fe->n))
		json_object_set_new(data, "error", json_string(error));
	json_object_set_new(data, "id", json_integer(id));
	if (id) {
		char href[48];
		snprintf(href, sizeof(href), "/services/%lld", (long long)id);
		json_object_set_new(data, "crumbs",
				    json_pack("[{s:s,s:s}]", "title",
					      json_string_value(json_object_get(values, "name")),
					      "href", href));
	}
	return reply_page(req, rep, status, "services/form", id ? "修改服务事项" : "新建服务事项",
			  data);
}

static int handle_service_new(struct request *req, struct reply *rep)
{
	struct field_errors fe;
	const char *error = NULL;
	if (form_restore(req, &fe, &error, NULL))
		return form_page(req, rep, 200, 0, values_sent(req), &fe, error);
	json_t *v = values_sent(req);
	json_object_set_new(v, "fee", json_string("不收费"));
	return form_page(req, rep, 200, 0, v, NULL, NULL);
}

static int handle_service_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = item_of_path(req, db, &item);
	if (rc)
		return item_error(req, rep, rc);
	struct field_errors fe;
	const char *error = NULL;
	json_t *values = form_restore(req, &fe, &error, NULL) ? values_sent(req) : values_of(item);
	json_decref(item);
	return form_page(req, rep, 200, req->path_id, values, &fe, error);
}

static int save(struct request *req, struct db *db, int64_t id, struct field_errors *fe,
		int64_t *out_id)
{
	struct service_input in = {
		params_text(req, "code"),	     params_text(req, "name"),
		params_text(req, "legal_basis"),     params_text(req, "conditions"),
		params_text(req, "time_limit_days"), params_text(req, "fee"),
		params_text(req, "place"),	     params_text(req, "how"),
		params_text(req, "hours"),	     params_text(req, "phone"),
		params_text(req, "department"),	     params_text(req, "essential"),
		params_text(req, "optional"),	     params_text(req, "members"),
	};
	field_errors_clear(fe);
	return service_save(db, &req->user, id, &in, fe, out_id);
}

static int saved(struct request *req, struct reply *rep, struct db *db, int64_t id)
{
	struct field_errors fe;
	int64_t out = 0;
	int rc = save(req, db, id, &fe, &out);
	if (rc == VE_INVALID || rc == VE_EXISTS) {
		char where[64];
		if (id)
			snprintf(where, sizeof(where), "/services/%lld/edit", (long long)id);
		else
			str_copy(where, "/services/new", sizeof(where));
		if (reply_form_refused(req, rep, where, &fe, NULL, NULL) == 0)
			return 0;
		return form_page(req, rep, http_status_of(rc), id, values_sent(req), &fe, NULL);
	}
	if (rc)
		return item_error(req, rep, rc);
	char where[48];
	snprintf(where, sizeof(where), "/services/%lld", (long long)out);
	reply_flash(rep, "ok", id ? "服务事项已保存" : "服务事项已新建");
	return reply_redirect(rep, where);
}

static int handle_service_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? saved(req, rep, db, 0) : 0;
}

static int handle_service_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? saved(req, rep, db, req->path_id) : 0;
}

/* ---- printing ---- */

static int print_page(struct request *req, struct reply *rep, const char *tmpl, const char *what)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = item_of_path(req, db, &item);
	if (rc)
		return item_error(req, rep, rc);
	char title[200];
	snprintf(title, sizeof(title), "%s：%s", what, json_string_value(json_object_get(item, "name")));
	json_t *data = json_pack("{s:o,s:s}", "item", item, "today", clock_today_text());
	return reply_page(req, rep, 200, tmpl, title, data);
}

static int handle_service_guide(struct request *req, struct reply *rep)
{
	return print_page(req, rep, "services/guide", "办事指南");
}

static int handle_service_notice(struct request *req, struct reply *rep)
{
	return print_page(req, rep, "services/notice", "一次性告知书");
}

/* Percent-encodes s (UTF-8) for a filename*= parameter. */
static void percent(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static int docx_download(struct request *req, struct reply *rep, enum service_doc doc)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *item = NULL;
	int rc = item_of_path(req, db, &item);
	if (rc)
		return item_error(req, rep, rc);
	char path[64], err[256] = "";
	snprintf(path, sizeof(path), "/tmp/vets-doc-XXXXXX.docx");
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		json_decref(item);
		return reply_area_error(req, rep, VE_IO, "无法生成文档");
	}
	close(fd);
	rc = service_docx(item, doc, path, err, sizeof(err));
	if (rc == 0 && reply_file(rep, path) != 0)
		rc = err_set(err, sizeof(err), VE_IO, "无法发送文档");
	if (rc) {
		unlink(path);
		json_decref(item);
		return reply_area_error(req, rep, rc, err);
	}
	rep->status = 200;
	rep->content_type =
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	/* 办事指南-<code>.docx, with an ASCII fallback for old clients (codes are ASCII). */
	const char *code = json_string_value(json_object_get(item, "code"));
	char name[128];
	service_docx_name(item, doc, name, sizeof(name));
	struct buf d;
	buf_init(&d, sizeof(rep->disposition) - 1);
	buf_printf(&d, "attachment; filename=\"%s-%s.docx\"; filename*=UTF-8''",
		   doc == SERVICE_GUIDE ? "guide" : "notice", code);
	percent(&d, name);
	str_copy(rep->disposition, d.overflow ? "attachment" : buf_cstr(&d),
		 sizeof(rep->disposition));
	buf_free(&d);
	json_decref(item);
	return 0;
}

static int handle_service_guide_docx(struct request *req, struct reply *rep)
{
	return docx_download(req, rep, SERVICE_GUIDE);
}

static int handle_service_notice_docx(struct request *req, struct reply *rep)
{
	return docx_download(req, rep, SERVICE_NOTICE);
}

/* ---- the routes ---- */

static const struct param_spec list_params[] = {
	{"q", "编码或名称", PK_TEXT, 0, 0, 40, 0},
	{"bundles", "只看一件事", PK_FLAG, 0, 0, 0, 0},
	PARAM_FLASH,
	PARAM_END,
};

/* A catalogue sheet: a district's catalogue is a few hundred rows. */
#define UPLOAD_MAX (5 * 1024 * 1024)
static const struct param_spec upload_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, UPLOAD_MAX, 0},
	PARAM_END,
};

static const struct param_spec api_list_params[] = {
	{"q", "编码或名称", PK_TEXT, 0, 0, 40, 0},
	{"bundles", "只看一件事", PK_FLAG, 0, 0, 0, 0},
	{"code", "事项编码", PK_WORD, 0, 1, SERVICE_CODE_MAX, 0},
	PARAM_END,
};

static const struct param_spec form_params[] = {
	{"code", "事项编码", PK_TEXT, 1, 1, 60, 0},
	{"name", "事项名称", PK_TEXT, 1, 1, 80, 0},
	{"legal_basis", "法定依据", PK_LONGTEXT, 0, 0, 2000, 0},
	{"conditions", "受理条件", PK_LONGTEXT, 0, 0, 2000, 0},
	{"time_limit_days", "承诺时限", PK_TEXT, 1, 1, 10, 0},
	{"fee", "收费标准", PK_TEXT, 0, 0, 400, 0},
	{"place", "办理地点", PK_TEXT, 0, 0, 400, 0},
	{"how", "办理方式", PK_TEXT, 0, 0, 400, 0},
	{"hours", "办理时间", PK_TEXT, 0, 0, 400, 0},
	{"phone", "咨询电话", PK_TEXT, 0, 0, 400, 0},
	{"department", "实施主体", PK_TEXT, 0, 0, 400, 0},
	{"essential", "必要材料", PK_LONGTEXT, 0, 0, 20000, 0},
	{"optional", "可容缺材料", PK_LONGTEXT, 0, 0, 20000, 0},
	{"members", "包含事项", PK_LONGTEXT, 0, 0, 4000, 0},
	PARAM_END,
};

#define API ROUTE_API

static const struct route routes[] = {
	{"GET", "/services", handle_services, PERM_SERVICE_READ, 0, list_params, 0},
	{"POST", "/services", handle_service_create, PERM_SERVICE_MANAGE, 0, form_params, 0},
	{"POST", "/services/import", handle_service_import, PERM_SERVICE_MANAGE, 0, upload_params, UPLOAD_MAX + 64 * 1024},
	{"GET", "/services/new", handle_service_new, PERM_SERVICE_MANAGE, 0, params_flash, 0},
	{"GET", "/services/{id}", handle_service, PERM_SERVICE_READ, 0, params_none, 0},
	{"POST", "/services/{id}", handle_service_update, PERM_SERVICE_MANAGE, 0, form_params, 0},
	{"GET", "/services/{id}/edit", handle_service_edit, PERM_SERVICE_MANAGE, 0, params_flash, 0},
	{"GET", "/services/{id}/guide", handle_service_guide, PERM_SERVICE_READ, 0, params_none, 0},
	{"GET", "/services/{id}/guide.docx", handle_service_guide_docx, PERM_SERVICE_READ, 0, params_none, 0},
	{"GET", "/services/{id}/notice", handle_service_notice, PERM_SERVICE_READ, 0, params_none, 0},
	{"GET", "/services/{id}/notice.docx", handle_service_notice_docx, PERM_SERVICE_READ, 0, params_none, 0},
	{"GET", "/api/v1/services", handle_api_services, PERM_SERVICE_READ, API, api_list_params, 0},
	{"GET", "/api/v1/services/{id}", handle_api_service, PERM_SERVICE_READ, API, params_none, 0},
	{0},
};

static const struct nav_item nav[] = {
	{31, "/services", "服务事项", PERM_SERVICE_READ},
	{0},
};

const struct web_area services_web = {
	.name = "services",
	.routes = routes,
	.nav = nav,
};
