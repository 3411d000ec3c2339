/* persons.c - the registry's pages and API: list, person page, register, edit, full view. */
#include "web/route.h"
#include "web/flash.h"
#include "areas/benefit.h"
#include "areas/death.h"
#include "areas/death_report.h"
#include "areas/entitlement.h"
#include "areas/recovery.h"
#include "areas/payment.h"
#include "areas/person.h"
#include "areas/region.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include "io/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_PAGE 20

static const struct {
	const char *name, *title;
} sorts[] = {
	{"id", "登记先后"},      {"-id", "最近登记"},      {"name", "姓名"},
	{"-age", "年龄从大到小"}, {"age", "年龄从小到大"},
};

/* A list's failure: past the day's searches by whole numbers, 429 in Chinese. */
static int list_error(struct request *req, struct reply *rep, int rc)
{
	if (rc == VE_QUOTA) {
		char msg[200];
		snprintf(msg, sizeof(msg),
			 "今天按完整身份证号或电话号码查询已达 %d 次上限，请明天再试；"
			 "按姓名查询不受限制",
			 PERSON_FULL_SEARCHES_PER_DAY);
		return reply_area_error(req, rep, rc, msg);
	}
	return reply_area_error(req, rep, rc, NULL);
}

/* A street or community given by code (digits) or by name, as a code; "" when unknown. */
static const char *region_code_of(struct request *req, struct db *db, const char *v,
				  const char *street_code)
{
	if (!v || !*v || strspn(v, "0123456789") == strlen(v))
		return v ? v : "";
	char code[13];
	if (region_find(db, street_code && *street_code ? street_code : NULL, v, code) != 0)
		return "none"; /* matches nothing: an unknown name finds no one */
	return arena_strdup(&req->arena, code);
}

static void read_filter(struct request *req, struct db *db, struct person_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->q = params_text(req, "q");
	f->category = params_text(req, "category");
	f->street = region_code_of(req, db, params_text(req, "street"), NULL);
	f->community = region_code_of(req, db, params_text(req, "community"), f->street);
	f->status = params_text(req, "status");
	f->age_min = (int)params_int(req, "age_min", 0);
	f->age_max = (int)params_int(req, "age_max", 0);
	f->sort = params_text(req, "sort");
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
}

static json_t *choices(const char *const *names, size_t n, const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:b}", "name", names[i], "selected",
						      selected && strcmp(selected, names[i]) == 0));
	return list;
}

/* The registry's vocabulary v as choices (person_vocabulary). */
static json_t *vocab_choices(enum person_vocab v, const char *selected)
{
	const char *const *names;
	int n = person_vocabulary(v, &names);
	return choices(names, (size_t)n, selected);
}

static json_t *category_choices(const char *selected_list)
{
	json_t *list = json_array();
	for (int c = 0; c < CAT__COUNT; c++) {
		const char *name = category_title(c);
		int on = selected_list && strstr(selected_list, name) != NULL;
		json_array_append_new(list, json_pack("{s:s,s:b,s:b}", "name", name, "selected", on,
						      "checked", on));
	}
	return list;
}

/* Streets and communities as choices; selected by code or by name. */
static void region_choices(struct db *db, const struct principal *by, const char *street,
			   const char *community, json_t **streets_out, json_t **communities_out)
{
	json_t *tree = NULL, *streets = json_array(), *communities = json_array();
	region_tree_for(db, by, &tree); /* a station is offered its own street only */
	size_t i, k;
	json_t *s, *c;
	json_array_foreach(tree, i, s)
	{
		const char *code = json_string_value(json_object_get(s, "code"));
		const char *name = json_string_value(json_object_get(s, "name"));
		int sel = street && (strcmp(street, code) == 0 || strcmp(street, name) == 0);
		json_array_append_new(streets, json_pack("{s:s,s:s,s:b}", "code", code, "name",
							 name, "selected", sel));
		json_array_foreach(json_object_get(s, "communities"), k, c)
		{
			const char *ccode = json_string_value(json_object_get(c, "code"));
			const char *cname = json_string_value(json_object_get(c, "name"));
			/* Names repeat across streets: a name selects only within the chosen
			 * street. */
			int csel = community && (strcmp(community, ccode) == 0 ||
						 (sel && strcmp(community, cname) == 0));
			json_array_append_new(communities,
					      json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", ccode, "name",
							cname, "street", name, "street_code", code,
							"selected", csel));
		}
	}
	json_decref(tree);
	*streets_out = streets;
	*communities_out = communities;
}

static int handle_persons(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_filter f;
	read_filter(req, db, &f);
	f.per_page = PER_PAGE;
	json_t *list;
	int rc = person_search_audit(db, &req->user, &f);
	if (rc == 0)
		rc = person_list(db, &req->user, &f, &list);
	if (rc)
		return list_error(req, rep, rc);
	struct buf base;
	buf_init(&base, 2048);
	buf_puts(&base, "/persons?");
	static const char *const keep[] = {"q",      "category", "street",  "community",
					   "status", "age_min",  "age_max", "sort"};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		page_query_add(&base, keep[i], params_text(req, keep[i]));
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_object_set_new(list, "pager", page_pager(f.page, PER_PAGE, total, buf_cstr(&base)));
	{
		/* The same filters, as a download: "/persons?" becomes "/persons/export?";
		 * full values only through the form that asks the purpose. */
		char href[2100];
		snprintf(href, sizeof(href), "/persons/export?%sformat=", buf_cstr(&base) + 9);
		json_object_set_new(list, "export_href", json_string(href));
		snprintf(href, sizeof(href), "/persons/export/full?%s", buf_cstr(&base) + 9);
		if (perm_allows(req->user.roles, PERM_PERSON_EXPORT_FULL))
			json_object_set_new(list, "export_full_href", json_string(href));
	}
	buf_free(&base);
	json_t *streets, *communities, *sort_list = json_array();
	region_choices(db, &req->user, params_text(req, "street"), params_text(req, "community"),
		       &streets, &communities);
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		json_array_append_new(
			sort_list, json_pack("{s:s,s:s,s:b}", "name", sorts[i].name, "title",
					     sorts[i].title, "selected",
					     strcmp(params_text(req, "sort"), sorts[i].name) == 0));
	json_object_set_new(list, "filter",
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "q", f.q, "category",
				      f.category, "street", params_text(req, "street"), "community",
				      params_text(req, "community"), "status", f.status, "age_min",
				      params_text(req, "age_min"), "age_max",
				      params_text(req, "age_max"), "sort", f.sort));
	json_object_set_new(list, "categories",
			    category_choices(f.category[0] ? f.category : NULL));
	json_object_set_new(list, "streets", streets);
	json_object_set_new(list, "communities", communities);
	json_object_set_new(list, "statuses", vocab_choices(PERSON_STATUSES, f.status));
	json_object_set_new(list, "sorts", sort_list);
	json_object_set_new(list, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_PERSON_WRITE)));
	return reply_page(req, rep, 200, "persons/list", "人员信息", list);
}

static int handle_api_persons(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_filter f;
	read_filter(req, db, &f);
	json_t *list;
	int rc = person_search_audit(db, &req->user, &f);
	if (rc == 0)
		rc = person_list(db, &req->user, &f, &list);
	if (rc)
		return list_error(req, rep, rc);
	return reply_json(rep, 200, list);
}

static json_t *status_form(struct request *req, const struct field_errors *e);
static json_t *family_form(struct request *req, const struct field_errors *e);
static json_t *death_form(struct request *req, struct db *db, int sent,
			  const struct field_errors *e);

/* The person page with status (200, or a refused form's 4xx), the full view when
 * revealed, and the forms (forms: {"status_form"|"family_form": …} after a refusal). */
static int show_page(struct request *req, struct reply *rep, int status, json_t *revealed,
		     json_t *forms)
{
	struct db *db = page_db(req, rep);
	json_t *person = NULL;
	int rc = db ? person_get(db, &req->user, req->path_id, &person) : 0;
	if (!db || rc) {
		json_decref(revealed);
		json_decref(forms);
		return db ? reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL)
			  : 0;
	}
	int can_write = perm_allows(req->user.roles, PERM_PERSON_WRITE);
	json_t *page = json_pack("{s:o,s:b,s:b}", "person", person, "can_write", can_write,
				 "can_reveal", person_may_reveal(&req->user));
	if (revealed)
		json_object_set_new(page, "revealed", revealed);
	if (perm_allows(req->user.roles, PERM_BENEFIT_READ)) {
		/* 待遇与发放: the person's entitlements and latest payment lines. */
		struct entitlement_filter ef = {
			.status = "", .person_id = req->path_id, .page = 1, .per_page = 50};
		struct pay_line_filter lf = {
			.person_id = req->path_id, .page = 1, .per_page = 12, .newest_first = 1};
		json_t *ents = NULL, *lines = NULL;
		if (entitlement_list(db, &req->user, &ef, &ents) == 0)
			json_object_set_new(page, "entitlements", ents);
		if (pay_line_list(db, &req->user, &lf, &lines) == 0)
			json_object_set_new(page, "pay_lines", lines);
	}
	json_t *recoveries = NULL; /* 追缴: lines paid after a benefit's end */
	if (perm_allows(req->user.roles, PERM_RECOVERY_READ) &&
	    recovery_of_person(db, &req->user, req->path_id, &recoveries) == 0)
		json_object_set_new(page, "recoveries", recoveries);
	if (can_write) {
		json_object_set_new(page, "status_form", status_form(NULL, NULL));
		json_object_set_new(page, "family_form", family_form(NULL, NULL));
	}
	if (perm_allows(req->user.roles, PERM_DEATH_REPORT_SUBMIT)) /* a station reports a death */
		json_object_set_new(page, "can_report",
				    json_boolean(strcmp(json_string_value(json_object_get(person, "status")),
							"死亡") != 0));
	if (perm_allows(req->user.roles, PERM_DEATH_CORRECT))
		json_object_set_new(page, "death_form", death_form(req, db, 0, NULL));
	if (forms)
		json_object_update(page, forms);
	json_decref(forms);
	return reply_page(req, rep, status, "persons/show",
			  json_string_value(json_object_get(person, "name")), page);
}

static int show(struct request *req, struct reply *rep, json_t *revealed)
{
	return show_page(req, rep, 200, revealed, NULL);
}

static json_t *refused_form(struct request *req, struct reply *rep, const char *name,
			    const struct field_errors *e);

/* The person page; after a refused status, family or death form (POST/redirect/GET,
 * flash.h) with that form as it was sent and its errors. */
static int handle_person_show(struct request *req, struct reply *rep)
{
	struct field_errors e;
	json_t *kept = NULL;
	if (!form_restore(req, &e, NULL, &kept))
		return show(req, rep, NULL);
	const char *name = json_string_value(json_object_get(kept, "form"));
	json_t *forms = name ? json_pack("{s:o}", name, refused_form(req, rep, name, &e)) : NULL;
	json_decref(kept);
	return show_page(req, rep, 200, NULL, forms);
}

static int handle_person_reveal(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *full;
	int rc = person_reveal(db, &req->user, req->path_id, &full);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	return show(req, rep, full);
}

static int handle_api_person(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *person;
	int rc = person_get(db, &req->user, req->path_id, &person);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	return reply_json(rep, 200, person);
}

/* ---- export ---- */

struct export_ctx {
	struct sheet_writer *out;
	int failed;
};

static void export_row(void *p, const char *const *cells)
{
	struct export_ctx *x = p;
	static __thread char guarded[PERSON_FIELDS][SHEET_CELL_MAX + 2];
	const char *out[PERSON_FIELDS];
	for (int i = 0; i < PERSON_FIELDS; i++)
		out[i] = sheet_guard(cells[i], guarded[i], sizeof(guarded[i]));
	x->failed |= sheet_write_row(x->out, out, PERSON_FIELDS) != 0;
}

/* Writes the people of f in scope to a temporary file of the format and answers
 * with it, the import format's columns: masked, or full values for purpose (from
 * person_export_purpose; audited, no file without the record). */
static int export_to(struct request *req, struct reply *rep, struct db *db,
		     const struct person_filter *f, const char *ext, const char *purpose)
{
	char path[64], err[256];
	snprintf(path, sizeof(path), "/tmp/vets-export-XXXXXX%s", ext);
	int fd = mkstemps(path, (int)strlen(ext));
	if (fd < 0)
		return reply_area_error(req, rep, VE_IO, "无法生成导出文件");
	close(fd);
	struct export_ctx x = {sheet_create(path, "人员信息", err, sizeof(err)), 0};
	int rc = x.out ? 0 : VE_IO;
	if (rc == 0) {
		const char *header[PERSON_FIELDS];
		person_column_labels(header);
		x.failed = sheet_write_row(x.out, header, PERSON_FIELDS) != 0;
		rc = person_export(db, &req->user, f, purpose, export_row, &x);
		if (sheet_finish(x.out, err, sizeof(err)) != 0 || x.failed)
			rc = rc ? rc : VE_IO;
	}
	if (rc == 0)
		rc = reply_file(rep, path);
	if (rc) {
		unlink(path);
		return reply_area_error(req, rep, rc, NULL);
	}
	rep->status = 200;
	rep->content_type =
		strcmp(ext, ".csv") == 0
			? "text/csv; charset=utf-8"
			: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rep->disposition, sizeof(rep->disposition), "attachment; filename=\"persons%s%s\"",
		 purpose ? "-full" : "", ext);
	return 0;
}

static const char *export_ext(struct request *req)
{
	return strcmp(params_text(req, "format"), "xlsx") == 0 ? ".xlsx" : ".csv";
}

/* The masked export: what the list shows, as a file; no purpose asked. */
static int handle_persons_export(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_filter f;
	read_filter(req, db, &f);
	/* An export filtered by a whole number answers what a search would: it counts as one. */
	int rc = person_search_audit(db, &req->user, &f);
	if (rc)
		return list_error(req, rep, rc);
	return export_to(req, rep, db, &f, export_ext(req), NULL);
}

/* The filter's params that a full export carries from the list to its form and on. */
static const char *const export_keep[] = {"q",      "category", "street",  "community",
					  "status", "age_min",  "age_max", "sort"};

/* The full export's form (status 200, or 400 with e's errors): the filter in words, the
 * purpose asked, the filter kept in hidden fields. */
static int export_form(struct request *req, struct reply *rep, struct db *db, int status,
		       const struct field_errors *e)
{
	struct person_filter f;
	read_filter(req, db, &f);
	char filter[1024];
	person_export_describe(db, &req->user, &f, filter, sizeof(filter));
	json_t *keep = json_array(), *purposes;
	for (size_t i = 0; i < sizeof(export_keep) / sizeof(export_keep[0]); i++)
		if (*params_text(req, export_keep[i]))
			json_array_append_new(keep, json_pack("{s:s,s:s}", "name", export_keep[i],
							      "value",
							      params_text(req, export_keep[i])));
	purposes = choices(person_export_purposes, PERSON_EXPORT_N_PURPOSES,
			   params_text(req, "purpose"));
	json_t *page = json_pack(
		"{s:s,s:o,s:o,s:{s:s,s:b},s:s,s:i}", "filter", filter, "keep", keep, "purposes",
		purposes, "values", "purpose_text", params_text(req, "purpose_text"), "xlsx",
		strcmp(export_ext(req), ".xlsx") == 0, "other", PERSON_EXPORT_OTHER, "purpose_max",
		PERSON_EXPORT_PURPOSE_MAX);
	json_object_set_new(page, "errors", e ? page_field_errors(e) : json_array());
	json_t *invalid = json_object();
	for (int i = 0; e && i < e->n; i++)
		json_object_set_new(invalid, e->items[i].field, json_string(e->items[i].message));
	json_object_set_new(page, "invalid", invalid);
	return reply_page(req, rep, status, "persons/export", "导出完整信息", page);
}

static int handle_persons_export_full_form(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? export_form(req, rep, db, 200, NULL) : 0;
}

/* The full export: the purpose first, then the file with its audit record. */
static int handle_persons_export_full(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct field_errors e = {0};
	char purpose[4 * PERSON_EXPORT_PURPOSE_MAX + 32];
	int rc = person_export_purpose(params_text(req, "purpose"), params_text(req, "purpose_text"),
				       purpose, sizeof(purpose), &e);
	if (rc)
		return export_form(req, rep, db, http_status_of(rc), &e);
	struct person_filter f;
	read_filter(req, db, &f);
	rc = person_search_audit(db, &req->user, &f);
	if (rc)
		return list_error(req, rep, rc);
	return export_to(req, rep, db, &f, export_ext(req), purpose);
}

/* ---- writing ---- */

/* The form's categories (checkboxes named "category") joined with 、, or NULL when none. */
static const char *joined_categories(struct request *req, const char *name)
{
	struct buf b;
	buf_init(&b, 1024);
	int any = 0;
	for (size_t i = 0; i < req->n_params; i++) {
		if (strcmp(req->params[i].name, name) != 0)
			continue;
		if (any++)
			buf_puts(&b, "、");
		buf_puts(&b, req->params[i].value);
	}
	const char *out = any ? arena_strdup(&req->arena, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

/* The person fields of the request: absent params are NULL (kept on update). On
 * the edit form an empty phone or account means "unchanged": they are not shown. */
static void read_text(struct request *req, struct person_text *t, int form, int editing)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < PERSON_FIELDS; i++) {
		const struct person_field *f = &person_fields[i];
		const char *v = req_param(req, f->name);
		/* The edit form shows no sealed value (the 身份证号 is read-only there): left
		 * empty, it is unchanged. */
		if (editing && f->sealed && v && !*v)
			v = NULL;
		*(const char **)((char *)t + f->text) = v;
	}
	t->categories = form ? joined_categories(req, "category") : req_param(req, "categories");
	if (form && !t->categories)
		t->categories = "";
}

static int form_page(struct request *req, struct reply *rep, struct db *db, int status,
		     const struct person_text *t, json_t *masked, const struct field_errors *e)
{
	json_t *values = json_object();
	for (int i = 0; i < PERSON_FIELDS; i++) /* the categories are checkboxes */
		if (person_fields[i].kind != PERSON_KIND_CATEGORIES)
			json_object_set_new(values, person_fields[i].name,
					    json_string(params_text(req, person_fields[i].name)));
	/* The stored values fill the form when it opens; after a refusal, what was typed stays. */
	if (masked && strcmp(req->method, "GET") == 0 &&
	    !json_is_true(json_object_get(masked, "restored")))
		json_object_update(values, json_object_get(masked, "values"));
	json_t *streets, *communities;
	region_choices(db, &req->user, t->street, t->community, &streets, &communities);
	int editing = req->path_id != 0;
	char action[64];
	snprintf(action, sizeof(action), editing ? "/persons/%lld" : "/persons",
		 (long long)req->path_id);
	json_t *page =
		json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "mode", editing ? "edit" : "new",
			  "action", action, "values", values, "categories",
			  category_choices(t->categories), "streets", streets, "communities",
			  communities, "placements", vocab_choices(PERSON_PLACEMENTS, t->placement),
			  "natures", vocab_choices(PERSON_NATURES, t->disability_nature), "errors",
			  e ? page_field_errors(e) : json_array());
	if (editing) {
		json_object_set_new(page, "person_id", json_integer(req->path_id));
		/* 首页 › 人员信息 › 张三 › 修改人员信息: the person as stored, not as typed. */
		const char *name = json_string_value(
			json_object_get(json_object_get(masked, "values"), "name"));
		char href[64];
		snprintf(href, sizeof(href), "/persons/%lld", (long long)req->path_id);
		json_object_set_new(page, "crumbs",
				    json_pack("[{s:s,s:s}]", "title", name ? name : "人员详情",
					      "href", href));
	}
	json_t *grades = json_array();
	const char *grade = params_text(req, "disability_grade");
	for (int g = PERSON_GRADE_MIN; g <= PERSON_GRADE_MAX; g++) {
		char name[4];
		snprintf(name, sizeof(name), "%d", g);
		json_array_append_new(grades, json_pack("{s:s,s:s,s:b}", "name", name, "title",
							person_grade_title(g), "selected",
							strcmp(grade, name) == 0));
	}
	json_object_set_new(page, "grades", grades);
	if (masked)
		json_object_set_new(page, "masked", json_incref(json_object_get(masked, "masked")));
	if (masked && json_object_get(masked, "duplicate"))
		json_object_set(page, "duplicate", json_object_get(masked, "duplicate"));
	json_decref(masked);
	return reply_page(req, rep, status, "persons/form", editing ? "修改人员信息" : "登记人员",
			  page);
}

static void read_text(struct request *req, struct person_text *t, int form, int editing);

/* The registration form: empty, or as it was refused (POST/redirect/GET, flash.h). */
static int handle_person_new(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct person_text t = {0};
	struct field_errors e;
	if (!db)
		return 0;
	json_t *shown;
	if (!form_restore(req, &e, NULL, &shown))
		return form_page(req, rep, db, 200, &t, NULL, NULL);
	read_text(req, &t, 1, 0);
	return form_page(req, rep, db, 200, &t, shown, &e);
}

/* Registers the person req sends (form: the page's form, else the API's fields): the one
 * call of the page and its API twin. */
static int create(struct request *req, struct db *db, int form, struct person_text *t,
		  int64_t *id, struct field_errors *e, struct person_save_info *info)
{
	enum person_outcome outcome;
	read_text(req, t, form, 0);
	int rc = person_save_ex(db, &req->user, t, 0, id, &outcome, e, info);
	/* A number registered elsewhere is a conflict too, told without whose it is. */
	return rc == VE_INVALID && info->out_of_scope ? VE_EXISTS : rc;
}

/* The person a refused registration duplicates, when the user may see them: {"id",
 * "name" (masked)}; NULL otherwise. */
static json_t *duplicate_of(const struct person_save_info *info)
{
	if (!info->existing_id)
		return NULL;
	return json_pack("{s:I,s:s}", "id", (json_int_t)info->existing_id, "name",
			 info->existing_name);
}

/* Updates person req->path_id from what req sends; on the form the 身份证号 is read-only
 * and an empty sealed field is unchanged. */
static int update(struct request *req, struct db *db, int form, struct person_text *t,
		  enum person_outcome *outcome, struct field_errors *e)
{
	read_text(req, t, form, form);
	if (form)
		t->id_number = NULL;
	return person_update(db, &req->user, req->path_id, t, outcome, e);
}

static int handle_person_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_text t;
	struct field_errors e;
	struct person_save_info info;
	int64_t id;
	int rc = create(req, db, 1, &t, &id, &e, &info);
	/* Refused: back to the form's GET with what was typed (a refresh sends nothing), and
	 * the person an ID number is already registered to, as a link. */
	json_t *dup = rc ? duplicate_of(&info) : NULL;
	json_t *shown = dup ? json_pack("{s:o}", "duplicate", dup) : NULL;
	if (rc && (e.n == 0 || reply_form_refused(req, rep, "/persons/new", &e, NULL, shown) != 0))
		return form_page(req, rep, db, http_status_of(rc), &t, shown, &e);
	json_decref(shown);
	if (rc)
		return 0;
	char where[64];
	snprintf(where, sizeof(where), "/persons/%lld", (long long)id);
	reply_flash(rep, "ok", "人员已登记");
	return reply_redirect(rep, where);
}

/* The stored values of person id for the edit form (sensitive ones only masked). */
static json_t *current_values(struct request *req, struct db *db, int *rc)
{
	json_t *p;
	*rc = person_get(db, &req->user, req->path_id, &p);
	if (*rc)
		return NULL;
	json_t *values = json_object(), *masked = json_object();
	for (int i = 0; i < PERSON_FIELDS; i++) {
		const struct person_field *f = &person_fields[i];
		/* As stored, or read-only (the 身份证号); masked ones only hint; disability
		 * data is not shown at all. */
		if (f->kind == PERSON_KIND_CATEGORIES || f->mask == PERSON_MASK_HIDDEN)
			continue;
		json_object_set(f->mask == PERSON_MASK_NONE || f->mask == PERSON_MASK_ID ? values
											: masked,
				f->name, json_object_get(p, f->name));
	}
	json_object_set_new(values, "categories",
			    json_incref(json_object_get(p, "categories_text")));
	json_t *out = json_pack("{s:o,s:o}", "values", values, "masked", masked);
	json_decref(p);
	return out;
}

static int handle_person_edit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc;
	json_t *current = current_values(req, db, &rc);
	if (!current)
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	struct field_errors e;
	if (form_restore(req, &e, NULL, NULL)) { /* as refused: what was typed, over masked hints */
		struct person_text t;
		read_text(req, &t, 1, 1);
		json_object_set_new(current, "restored", json_true());
		return form_page(req, rep, db, 200, &t, current, &e);
	}
	json_t *v = json_object_get(current, "values");
	struct person_text t = {
		.categories = json_string_value(json_object_get(v, "categories")),
		.street = json_string_value(json_object_get(v, "street")),
		.community = json_string_value(json_object_get(v, "community")),
		.placement = json_string_value(json_object_get(v, "placement")),
	};
	return form_page(req, rep, db, 200, &t, current, NULL);
}

static int handle_person_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_text t;
	struct field_errors e;
	enum person_outcome outcome;
	int rc = update(req, db, 1, &t, &outcome, &e);
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "人员不存在");
	char form_url[64];
	snprintf(form_url, sizeof(form_url), "/persons/%lld/edit", (long long)req->path_id);
	if (rc && (e.n == 0 || reply_form_refused(req, rep, form_url, &e, NULL, NULL) != 0)) {
		int ignored;
		return form_page(req, rep, db, http_status_of(rc), &t, current_values(req, db, &ignored),
				 &e);
	}
	if (rc)
		return 0;
	char where[64];
	snprintf(where, sizeof(where), "/persons/%lld", (long long)req->path_id);
	reply_flash(rep, "ok", outcome == PERSON_UNCHANGED ? "没有修改任何内容" : "修改已保存");
	return reply_redirect(rep, where);
}

static int api_error(struct request *req, struct reply *rep, int rc, const struct field_errors *e)
{
	if (rc == VE_NOTFOUND && e->n == 0)
		return reply_area_error(req, rep, rc, "人员不存在");
	json_t *body =
		json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_name(rc), "message",
			  field_errors_first(e, err_message(rc)), "fields", page_field_errors(e));
	return reply_json(rep, http_status_of(rc), body);
}

static int handle_api_person_create(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_text t;
	struct field_errors e;
	struct person_save_info info;
	int64_t id;
	int rc = create(req, db, 0, &t, &id, &e, &info);
	if (rc && info.existing_id) { /* in the user's scope: which person it is */
		json_t *body = json_pack("{s:{s:s,s:s,s:o,s:I}}", "error", "code", err_name(rc),
					 "message", field_errors_first(&e, err_message(rc)),
					 "fields", page_field_errors(&e), "person_id",
					 (json_int_t)info.existing_id);
		return reply_json(rep, http_status_of(rc), body);
	}
	if (rc)
		return api_error(req, rep, rc, &e);
	json_t *person;
	if (person_get(db, &req->user, id, &person) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, 201, person);
}

static int handle_api_person_update(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct person_text t;
	struct field_errors e;
	enum person_outcome outcome;
	int rc = update(req, db, 0, &t, &outcome, &e);
	if (rc)
		return api_error(req, rep, rc, &e);
	json_t *person;
	if (person_get(db, &req->user, req->path_id, &person) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, 200, person);
}

/* ---- status and family ---- */

/* A form's errors as a list and as {"字段": message} for marking the fields. */
static json_t *form_errors(json_t *form, const struct field_errors *e)
{
	json_t *invalid = json_object();
	for (int i = 0; e && i < e->n; i++)
		json_object_set_new(invalid, e->items[i].field, json_string(e->items[i].message));
	json_object_set_new(form, "errors", e ? page_field_errors(e) : json_array());
	json_object_set_new(form, "invalid", invalid);
	return form;
}

/* The status form: empty, or what req sent with e's errors. */
static json_t *status_form(struct request *req, const struct field_errors *e)
{
	const char *status = req ? params_text(req, "status") : "";
	const char *cause = req ? params_text(req, "cause") : "";
	json_t *form =
		json_pack("{s:{s:s,s:s,s:s,s:b},s:o,s:o}", "values", "status", status, "date",
			  req ? params_text(req, "date") : "", "reason",
			  req ? params_text(req, "reason") : "", "confirm",
			  req && strcmp(params_text(req, "confirm"), "1") == 0, "statuses",
			  vocab_choices(PERSON_STATUSES, status), "causes", choices(entitlement_death_causes, ENTITLEMENT_N_DEATH_CAUSES, cause));
	return form_errors(form, e);
}

/* The form correcting a recorded death (null when the person is not dead): the recorded
 * date and cause, or what req sent (sent) with e's errors. */
static json_t *death_form(struct request *req, struct db *db, int sent,
			  const struct field_errors *e)
{
	json_t *d = NULL;
	if (death_get(db, &req->user, req->path_id, &d) != 0)
		return json_null();
	const char *cause = sent ? params_text(req, "cause") : json_string_value(json_object_get(d, "cause"));
	json_t *form = json_pack(
		"{s:O,s:{s:s,s:s,s:s,s:b},s:o}", "recorded", d, "values", "date",
		sent ? params_text(req, "date") : json_string_value(json_object_get(d, "date")),
		"cause", cause, "reason", sent ? params_text(req, "reason") : "", "confirm",
		sent && strcmp(params_text(req, "confirm"), "1") == 0, "causes",
		choices(entitlement_death_causes, ENTITLEMENT_N_DEATH_CAUSES, cause));
	json_decref(d);
	return form_errors(form, e);
}

static json_t *family_form(struct request *req, const struct field_errors *e)
{
	const char *relation = req ? params_text(req, "relation") : "";
	json_t *form = json_pack("{s:{s:s},s:o}", "values", "id_number",
				 req ? params_text(req, "id_number") : "", "relations",
				 vocab_choices(PERSON_RELATIONS, relation));
	return form_errors(form, e);
}

/* The person page's form name ("status_form", "death_form", "family_form") as req
 * sent it, with e's errors. */
static json_t *refused_form(struct request *req, struct reply *rep, const char *name,
			    const struct field_errors *e)
{
	return name[0] == 's'   ? status_form(req, e)
	       : name[0] == 'd' ? death_form(req, page_db(req, rep), 1, e)
				: family_form(req, e);
}

/* After a form's change: back to the person page with msg, or with the refused form
 * (name) and its errors (POST/redirect/GET). */
static int form_done(struct request *req, struct reply *rep, int rc, const char *name,
		     const struct field_errors *e, const char *msg)
{
	if (rc == VE_NOTFOUND || (rc && !e->n))
		return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "人员不存在" : NULL);
	char where[64];
	snprintf(where, sizeof(where), "/persons/%lld", (long long)req->path_id);
	if (rc) { /* back to the person page with what was sent (a refresh sends nothing) */
		json_t *kept = json_pack("{s:s}", "form", name);
		int kept_rc = reply_form_refused(req, rep, where, e, NULL, kept);
		json_decref(kept);
		if (kept_rc == 0)
			return 0;
		return show_page(req, rep, http_status_of(rc), NULL,
				 json_pack("{s:o}", name, refused_form(req, rep, name, e)));
	}
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, where);
}

/* A status change and what it means for the person's benefits, in one area call. */
static int set_status(struct request *req, struct db *db, struct field_errors *e)
{
	struct entitlement_status_change c = {
		.status = req_param(req, "status"),
		.date = req_param(req, "date"),
		.reason = req_param(req, "reason"),
		.cause = req_param(req, "cause"),
	};
	return entitlement_person_status(db, &req->user, req->path_id, &c, 0, e);
}

static int link_family(struct request *req, struct db *db, struct field_errors *e)
{
	return person_link_number(db, &req->user, req->path_id, req_param(req, "id_number"),
				  req_param(req, "relation"), 0, e);
}

/* A death ends the payments for good: the form saves it only once the clerk has ticked
 * that the date and cause are checked (a field error on 确认 otherwise, nothing saved).
 * Someone outside the user's scope stays "not found", as for any other refusal. */
static int confirmed_death(struct request *req, struct db *db, struct field_errors *e)
{
	if (strcmp(params_text(req, "status"), "死亡") != 0 ||
	    strcmp(params_text(req, "confirm"), "1") == 0)
		return 0;
	json_t *person = NULL;
	int rc = person_get(db, &req->user, req->path_id, &person);
	json_decref(person);
	if (rc)
		return rc;
	field_errors_add(e, "确认",
			 "登记死亡后待遇将停发，请核对死亡日期和原因后勾选“我已核对死亡日期和原因”");
	return VE_INVALID;
}

static int handle_person_status(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	if (!db)
		return 0;
	int rc = confirmed_death(req, db, &e);
	return form_done(req, rep, rc ? rc : set_status(req, db, &e), "status_form", &e,
			 "状态已变更");
}

/* A correction of a recorded death; the page's form saves it only once the clerk has
 * ticked that the new date and cause are checked (a field error on 确认, nothing saved). */
static int correct_death(struct request *req, struct db *db, int page, struct field_errors *e)
{
	struct death_correction c = {.date = req_param(req, "date"),
				     .cause = req_param(req, "cause"),
				     .reason = req_param(req, "reason")};
	if (page && strcmp(params_text(req, "confirm"), "1") != 0) {
		int rc = death_check(db, &req->user, req->path_id, &c, e);
		if (rc && rc != VE_INVALID)
			return rc;
		field_errors_add(e, "确认",
				 "更正后待遇和追缴将重新计算，请核对后勾选“我已核对更正后的死亡日期和原因”");
		return VE_INVALID;
	}
	return death_correct(db, &req->user, req->path_id, &c, 0, e);
}

static int handle_person_death(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? form_done(req, rep, correct_death(req, db, 1, &e), "death_form", &e,
			      "死亡信息已更正，待遇和追缴已按更正后的日期和原因重新计算")
		  : 0;
}

static int handle_person_family(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? form_done(req, rep, link_family(req, db, &e), "family_form", &e,
			      "家庭成员已登记")
		  : 0;
}

static int handle_person_unlink(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int rc = person_unlink(db, &req->user, req->path_id, params_int(req, "relative", 0), 0);
	if (rc)
		return reply_area_error(req, rep, rc,
					rc == VE_NOTFOUND ? "人员或家庭关系不存在" : NULL);
	char where[64];
	snprintf(where, sizeof(where), "/persons/%lld", (long long)req->path_id);
	reply_flash(rep, "ok", "已解除家庭关系");
	return reply_redirect(rep, where);
}

/* The person after an API change (status 200 or 201), or the area's error. */
static int api_done(struct request *req, struct reply *rep, struct db *db, int rc, int status,
		    const struct field_errors *e)
{
	if (rc)
		return api_error(req, rep, rc, e);
	json_t *person;
	if (person_get(db, &req->user, req->path_id, &person) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	return reply_json(rep, status, person);
}

static int handle_api_person_status(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? api_done(req, rep, db, set_status(req, db, &e), 200, &e) : 0;
}

static int handle_api_person_death(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? api_done(req, rep, db, correct_death(req, db, 0, &e), 200, &e) : 0;
}

static int handle_api_person_family(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e = {0};
	return db ? api_done(req, rep, db, link_family(req, db, &e), 201, &e) : 0;
}

/* ---- the routes of the registry ---- */

static const struct param_spec person_filter_params[] = {
	{"q", "查询条件", PK_TEXT, 0, 0, 50, 0},
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	{"community", "社区", PK_TEXT, 0, 0, 40, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"age_min", "最小年龄", PK_INT, 0, 0, 150, 0},
	{"age_max", "最大年龄", PK_INT, 0, 0, 150, 0},
	{"sort", "排序", PK_WORD, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	{"format", "导出格式", PK_WORD, 0, 0, 4, 0},
	PARAM_END,
};

/* A full export: the filter (as person_filter_params, less the page) and its purpose. */
static const struct param_spec export_full_params[] = {
	{"q", "查询条件", PK_TEXT, 0, 0, 50, 0},
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	{"community", "社区", PK_TEXT, 0, 0, 40, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"age_min", "最小年龄", PK_INT, 0, 0, 150, 0},
	{"age_max", "最大年龄", PK_INT, 0, 0, 150, 0},
	{"sort", "排序", PK_WORD, 0, 0, 10, 0},
	{"format", "导出格式", PK_WORD, 0, 0, 4, 0},
	{"purpose", "导出用途", PK_TEXT, 0, 0, 10, 0},
	/* longer than the area allows, so that its message names the limit */
	{"purpose_text", "用途说明", PK_TEXT, 0, 0, 2 * PERSON_EXPORT_PURPOSE_MAX, 0},
	PARAM_END,
};

/* The person's fields; the area checks each precisely, these only bound them. */
/* clang-format off */
#define PERSON_FIELD_PARAMS                                                                        \
	{"name", "姓名", PK_TEXT, 0, 0, 60, 0}, {"id_number", "身份证号", PK_TEXT, 0, 0, 30, 0},    \
		{"phone", "联系电话", PK_TEXT, 0, 0, 20, 0},                                        \
		{"street", "街道", PK_TEXT, 0, 0, 40, 0},                                           \
		{"community", "社区", PK_TEXT, 0, 0, 40, 0},                                        \
		{"address", "住址", PK_TEXT, 0, 0, 200, 0},                                         \
		{"enlisted", "入伍时间", PK_TEXT, 0, 0, 10, 0},                                     \
		{"discharged", "退役时间", PK_TEXT, 0, 0, 10, 0},                                   \
		{"placement", "安置方式", PK_TEXT, 0, 0, 10, 0},                                    \
		{"disability_grade", "残疾等级", PK_TEXT, 0, 0, 2, 0},                              \
		{"disability_nature", "残疾性质", PK_TEXT, 0, 0, 4, 0},                             \
		{"bank_name", "开户银行", PK_TEXT, 0, 0, 60, 0},                                    \
		{"bank_account", "银行账号", PK_TEXT, 0, 0, 30, 0},                                 \
		{"note", "备注", PK_LONGTEXT, 0, 0, 500, 0}
/* clang-format on */

static const struct param_spec person_form_params[] = {
	PERSON_FIELD_PARAMS,
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 1},
	PARAM_END,
};

static const struct param_spec person_api_params[] = {
	PERSON_FIELD_PARAMS,
	{"categories", "人员类别", PK_TEXT, 0, 0, 300, 0},
	PARAM_END,
};

/* A status change and a family link; the area checks each precisely, these only bound them. */
static const struct param_spec person_status_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"date", "变更日期", PK_TEXT, 0, 0, 10, 0},
	{"reason", "变更原因", PK_TEXT, 0, 0, 400, 0},
	{"cause", "死亡原因", PK_TEXT, 0, 0, 10, 0},
	{"confirm", "确认", PK_TEXT, 0, 0, 10, 0}, /* the form's check box before a death */
	PARAM_END,
};

static const struct param_spec person_death_params[] = {
	{"date", "死亡日期", PK_TEXT, 0, 0, 10, 0},
	{"cause", "死亡原因", PK_TEXT, 0, 0, 10, 0},
	{"reason", "更正理由", PK_TEXT, 0, 0, 800, 0},
	{"confirm", "确认", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec person_family_params[] = {
	{"id_number", "亲属身份证号", PK_TEXT, 0, 0, 20, 0},
	{"relation", "关系", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec person_unlink_params[] = {
	{"relative", "亲属", PK_INT, 1, 1, INT64_MAX, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/persons", handle_persons, PERM_PERSON_READ, 0, person_filter_params, 0},
	{"GET", "/persons/new", handle_person_new, PERM_PERSON_WRITE, 0, params_flash, 0},
	{"GET", "/persons/export", handle_persons_export, PERM_PERSON_READ, 0, person_filter_params, 0},
	{"GET", "/persons/export/full", handle_persons_export_full_form, PERM_PERSON_EXPORT_FULL, 0, export_full_params, 0},
	{"POST", "/persons/export/full", handle_persons_export_full, PERM_PERSON_EXPORT_FULL, 0, export_full_params, 0},
	{"POST", "/persons", handle_person_create, PERM_PERSON_WRITE, 0, person_form_params, 0},
	{"GET", "/persons/{id}", handle_person_show, PERM_PERSON_READ, 0, params_flash, 0},
	{"GET", "/persons/{id}/edit", handle_person_edit, PERM_PERSON_WRITE, 0, params_flash, 0},
	{"POST", "/persons/{id}", handle_person_update, PERM_PERSON_WRITE, 0, person_form_params, 0},
	{"POST", "/persons/{id}/reveal", handle_person_reveal, PERM_PERSON_REVEAL, 0, params_none, 0},
	{"POST", "/persons/{id}/status", handle_person_status, PERM_PERSON_WRITE, 0, person_status_params, 0},
	{"POST", "/persons/{id}/death", handle_person_death, PERM_DEATH_CORRECT, 0, person_death_params, 0},
	{"POST", "/persons/{id}/family", handle_person_family, PERM_PERSON_WRITE, 0, person_family_params, 0},
	{"POST", "/persons/{id}/family/delete", handle_person_unlink, PERM_PERSON_WRITE, 0, person_unlink_params, 0},
	{"GET", "/api/v1/persons", handle_api_persons, PERM_PERSON_READ, API, person_filter_params, 0},
	{"GET", "/api/v1/persons/{id}", handle_api_person, PERM_PERSON_READ, API, params_none, 0},
	{"POST", "/api/v1/persons", handle_api_person_create, PERM_PERSON_WRITE, API, person_api_params, 0},
	{"PATCH", "/api/v1/persons/{id}", handle_api_person_update, PERM_PERSON_WRITE, API, person_api_params, 0},
	{"POST", "/api/v1/persons/{id}/status", handle_api_person_status, PERM_PERSON_WRITE, API, person_status_params, 0},
	{"POST", "/api/v1/persons/{id}/death", handle_api_person_death, PERM_DEATH_CORRECT, API, person_death_params, 0},
	{"POST", "/api/v1/persons/{id}/family", handle_api_person_family, PERM_PERSON_WRITE, API, person_family_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{10, "/persons", "人员信息", PERM_PERSON_READ},
	{0},
};

const struct web_area persons_web = {
	.name = "persons",
	.routes = routes,
	.nav = nav,
};
