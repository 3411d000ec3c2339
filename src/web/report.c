/* report.c - the annual report's pages: the report (printable), its text's editor and
 * versions, finalising, publishing on 信息公开, the .docx, and its JSON twin. */
#include "areas/region.h"
#include "areas/report.h"
#include "web/flash.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The year asked for: the last one by default (a report is written after its year). */
static int year_of(const struct request *req)
{
	return (int)params_int(req, "year", atoi(clock_today_text()) - 1);
}

static int build(struct request *req, struct reply *rep, struct db *db, json_t **r)
{
	char err[300] = "";
	int rc = report_build(db, &req->user, year_of(req), params_text(req, "street"), r, err,
			      sizeof(err));
	return rc ? reply_area_error(req, rep, rc, err), rc : 0;
}

static int handle_show(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *r = NULL;
	if (!db || build(req, rep, db, &r))
		return 0;
	int year = year_of(req), whole = strcmp(json_string_value(json_object_get(r, "scope")),
						"全区") == 0;
	int final = json_is_true(json_object_get(r, "frozen"));
	json_object_set_new(r, "may_write",
			    json_boolean(whole && !final &&
					 perm_allows(req->user.roles, PERM_REPORT_WRITE)));
	json_object_set_new(r, "may_finalise",
			    json_boolean(whole && !final && year < atoi(clock_today_text()) &&
					 perm_allows(req->user.roles, PERM_REPORT_FINALISE)));
	json_object_set_new(r, "may_publish",
			    json_boolean(final && !json_object_get(r, "article_id") &&
					 perm_allows(req->user.roles, PERM_REPORT_WRITE)));
	json_object_set_new(r, "streets",
			    region_street_choices(db, &req->user, params_text(req, "street")));
	json_t *versions = NULL;
	if (report_versions(db, year, &versions) == 0)
		json_object_set_new(r, "versions", versions);
	/* A figure opens the rows its reader sees: not a street's, when he narrowed the report. */
	json_object_set_new(r, "links", json_boolean(!*params_text(req, "street")));
	char title[64];
	snprintf(title, sizeof(title), "%d 年度报告", year);
	return reply_page(req, rep, 200, "report/show", title, r);
}

static int handle_api(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *r = NULL;
	if (!db || build(req, rep, db, &r))
		return 0;
	return reply_json(rep, 200, r);
}

static int handle_docx(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	json_t *r = NULL;
	if (!db || build(req, rep, db, &r))
		return 0;
	char path[64] = "/tmp/vets-report-XXXXXX.docx", err[300] = "";
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		json_decref(r);
		return reply_area_error(req, rep, VE_IO, "无法生成文档");
	}
	close(fd);
	int rc = report_write_docx(db, &req->user, r, path, 1, err, sizeof(err));
	json_decref(r);
	if (rc == 0)
		rc = reply_file(rep, path);
	if (rc) {
		unlink(path);
		return reply_area_error(req, rep, VE_IO, err[0] ? err : "无法生成文档");
	}
	rep->status = 200;
	rep->content_type =
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	snprintf(rep->disposition, sizeof(rep->disposition),
		 "attachment; filename=\"report-%d.docx\"", year_of(req));
	return 0;
}

/* ---- the text ---- */

static int edit_page(struct request *req, struct reply *rep, struct db *db, int status,
		     json_t *form)
{
	int year = year_of(req);
	json_t *text = NULL, *versions = NULL;
	int rc = report_text_get(db, year, params_int(req, "version", 0), &text);
	if (rc) {
		json_decref(form);
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "没有这一稿" : NULL);
	}
	json_t *parts = json_array();
	for (int i = 0; i < REPORT_PARTS; i++) {
		const char *key = report_part_keys[i];
		json_t *kept = form ? json_object_get(json_object_get(form, "values"), key) : NULL;
		json_array_append_new(parts,
				      json_pack("{s:s,s:s,s:O,s:I}", "key", key, "title",
						report_part_titles[i],
						"text", kept ? kept : json_object_get(text, key),
						"rows", (json_int_t)(i == 0 ? 24 : 8)));
	}
	json_object_set_new(text, "parts", parts);
	if (form)
		json_object_set_new(text, "form", form);
	if (report_versions(db, year, &versions) == 0)
		json_object_set_new(text, "versions", versions);
	char title[64];
	snprintf(title, sizeof(title), "撰写 %d 年度报告", year);
	return reply_page(req, rep, status, "report/edit", title, text);
}

/* The text as sent, refused for fe and message: what the form shows again. */
static json_t *form_of(struct request *req, const struct field_errors *fe, const char *message)
{
	json_t *values = json_object();
	for (int i = 0; i < REPORT_PARTS; i++)
		json_object_set_new(values, report_part_keys[i],
				    json_string(params_text(req, report_part_keys[i])));
	return json_pack("{s:o,s:o,s:s}", "values", values, "errors", page_field_errors(fe),
			 "message", message ? message : "");
}

static int handle_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	const char *err = NULL;
	json_t *form = form_restore(req, &fe, &err, NULL) ? form_of(req, &fe, err) : NULL;
	return edit_page(req, rep, db, 200, form);
}

static int save(struct request *req, struct db *db, int64_t *version, struct field_errors *fe,
		char *err, size_t errlen)
{
	struct report_text t;
	for (int i = 0; i < REPORT_PARTS; i++)
		t.part[i] = params_text(req, report_part_keys[i]);
	return report_save(db, &req->user, year_of(req), &t, version, fe, err, errlen);
}

static int handle_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "", where[64];
	int64_t version;
	int rc = save(req, db, &version, &fe, err, sizeof(err));
	snprintf(where, sizeof(where), "/report/edit?year=%d", year_of(req));
	if (rc == VE_INVALID && reply_form_refused(req, rep, where, &fe, err, NULL) == 0)
		return 0;
	if (rc == VE_INVALID) /* too long a text to keep: the form answers itself */
		return edit_page(req, rep, db, 400, form_of(req, &fe, err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	char done[96];
	snprintf(done, sizeof(done), "已保存为第 %lld 稿", (long long)version);
	reply_flash(rep, "ok", done);
	snprintf(where, sizeof(where), "/report?year=%d", year_of(req));
	return reply_redirect(rep, where);
}

static int handle_api_save(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors fe = {0};
	char err[512] = "";
	int64_t version;
	int rc = save(req, db, &version, &fe, err, sizeof(err));
	if (rc)
		return reply_api_refused(req, rep, rc, &fe, err);
	return reply_json(rep, 200, json_pack("{s:i,s:I}", "year", year_of(req), "version",
					      (json_int_t)version));
}

/* ---- finalising and publishing ---- */

/* Runs finalise (1) or publish (0) and answers as a page or an API. */
static int act(struct request *req, struct reply *rep, int finalise)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[300] = "", where[64], done[120];
	int year = year_of(req);
	int64_t article = 0;
	int rc = finalise ? report_finalise(db, &req->user, year, err, sizeof(err))
			  : report_publish(db, &req->user, year, &article, err, sizeof(err));
	int api = req->route->flags & ROUTE_API;
	if (rc)
		return reply_area_error(req, rep, rc, err);
	if (api)
		return reply_json(rep, 200, json_pack("{s:i,s:s,s:I}", "year", year, "status",
						      finalise ? "已定稿" : "已公开", "article_id",
						      (json_int_t)article));
	if (finalise)
		snprintf(done, sizeof(done), "%d 年度报告已定稿，数字冻结于 %s", year,
			 clock_today_text());
	else
		snprintf(done, sizeof(done), "%d 年度报告已在门户网站信息公开栏目发布", year);
	reply_flash(rep, "ok", done);
	snprintf(where, sizeof(where), "/report?year=%d", year);
	return reply_redirect(rep, where);
}

static int handle_finalise(struct request *req, struct reply *rep)
{
	return act(req, rep, 1);
}

static int handle_publish(struct request *req, struct reply *rep)
{
	return act(req, rep, 0);
}

/* ---- routes ---- */

static const struct param_spec show_params[] = {
	{"year", "年度", PK_INT, 0, 1950, 2100, 0},
	{"street", "街道", PK_WORD, 0, 0, 12, 0},
	PARAM_END,
};
static const struct param_spec edit_params[] = {
	{"year", "年度", PK_INT, 0, 1950, 2100, 0},
	{"version", "稿次", PK_INT, 0, 1, 100000, 0},
	PARAM_FLASH,
	PARAM_END,
};
static const struct param_spec save_params[] = {
	{"year", "年度", PK_INT, 1, 1950, 2100, 0},
	{"achievements", "一、主要举措和成效", PK_LONGTEXT, 1, 1, REPORT_PART_MAX, 0},
	{"shortcomings", "二、存在的不足和问题", PK_LONGTEXT, 1, 1, REPORT_PART_MAX, 0},
	{"duties", "三、第一责任人履职情况", PK_LONGTEXT, 1, 1, REPORT_PART_MAX, 0},
	{"plans", "四、下一年度主要安排", PK_LONGTEXT, 1, 1, REPORT_PART_MAX, 0},
	PARAM_END,
};
static const struct param_spec year_params[] = {
	{"year", "年度", PK_INT, 1, 1950, 2100, 0},
	PARAM_END,
};

#define API ROUTE_API
#define READ PERM_REPORT_READ
#define WRITE PERM_REPORT_WRITE
#define FINALISE PERM_REPORT_FINALISE
#define BODY (4 * REPORT_PARTS * REPORT_PART_MAX * 3 + 4096) /* URL-encoded UTF-8 */

static const struct route routes[] = {
	{"GET", "/report", handle_show, READ, 0, show_params, 0},
	{"GET", "/report/docx", handle_docx, READ, 0, show_params, 0},
	{"GET", "/report/edit", handle_edit, WRITE, 0, edit_params, 0},
	{"POST", "/report/edit", handle_save, WRITE, 0, save_params, BODY},
	{"POST", "/report/finalise", handle_finalise, FINALISE, 0, year_params, 0},
	{"POST", "/report/publish", handle_publish, WRITE, 0, year_params, 0},
	{"GET", "/api/v1/report", handle_api, READ, API, show_params, 0},
	{"POST", "/api/v1/report", handle_api_save, WRITE, API, save_params, BODY},
	{"POST", "/api/v1/report/finalise", handle_finalise, FINALISE, API, year_params, 0},
	{"POST", "/api/v1/report/publish", handle_publish, WRITE, API, year_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{56, "/report", "年度报告", READ},
	{0},
};

const struct web_area report_web = {
	.name = "report",
	.routes = routes,
	.nav = nav,
};
