/* benefits.c - the pages of 待遇标准 (with the 义务兵 rule tables), 待遇资格 and 年度确认.
 *
 * The areas (benefit.c, entitlement.c) check every value, keep the data scope and
 * write the audit trail; these pages show what they return, and a refused form
 * again with what was typed and why, in Chinese. */
#include "web/benefit_pages.h"
#include "web/flash.h"
#include "areas/benefit.h"
#include "areas/conscript.h"
#include "areas/entitlement.h"
#include "areas/payment.h"
#include "areas/person.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PER_PAGE 20
#define SHOWN_ROW_ERRORS 200

/* Every 义务兵 rule item, for the form's list: ["基数","在校生",…]. */
static json_t *rule_items(void)
{
	json_t *items = json_array();
	const char *item;
	for (size_t i = 0; (item = conscript_rule_item(i, NULL)); i++)
		json_array_append_new(items, json_string(item));
	return items;
}

/* The items by kind, for the form's hint: [{"kind","note","items":[…]}]. */
static json_t *rule_item_groups(void)
{
	json_t *groups = json_array();
	for (size_t k = 0; k < CONSCRIPT_N_RULE_KINDS; k++) {
		json_t *items = json_array();
		const char *item, *kind;
		for (size_t i = 0; (item = conscript_rule_item(i, &kind)); i++)
			if (strcmp(kind, conscript_rule_kinds[k]) == 0)
				json_array_append_new(items, json_string(item));
		json_array_append_new(
			groups, json_pack("{s:s,s:s,s:o}", "kind", conscript_rule_kinds[k], "note",
					  conscript_rule_kind_notes[k], "items", items));
	}
	return groups;
}

/* ---- shared with payments.c ---- */

json_t *benefit_page_data(const struct request *req, const char *tab)
{
	return json_pack("{s:s,s:b}", "tab", tab, "can_stats",
			 perm_allows(req->user.roles, PERM_STATS_READ));
}

json_t *benefit_slice(json_t *list, int64_t page, int64_t per_page)
{
	json_t *out = json_array();
	size_t from = (size_t)((page - 1) * per_page);
	for (size_t i = from; i < json_array_size(list) && i < from + (size_t)per_page; i++)
		json_array_append(out, json_array_get(list, i));
	return out;
}

void benefit_row_error(void *ctx, long row, const char *reason)
{
	struct benefit_rows *r = ctx;
	r->total++;
	if (json_array_size(r->list) < SHOWN_ROW_ERRORS)
		json_array_append_new(r->list, json_pack("{s:I,s:s}", "row", (json_int_t)row,
							 "reason", reason ? reason : ""));
}

json_t *benefit_choices(const char *const *names, size_t n, const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:b}", "name", names[i], "selected",
						      selected && strcmp(selected, names[i]) == 0));
	return list;
}

json_t *benefit_type_choices(struct db *db, const char *selected)
{
	json_t *types = NULL, *list = json_array();
	if (benefit_types(db, &types) != 0)
		return list;
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		const char *code = json_string_value(json_object_get(t, "code"));
		json_array_append_new(list,
				      json_pack("{s:s,s:O,s:b}", "code", code, "name",
						json_object_get(t, "name"), "selected",
						selected && code && strcmp(selected, code) == 0));
	}
	json_decref(types);
	return list;
}

json_t *benefit_form(json_t *values)
{
	return json_pack("{s:o,s:[],s:{}}", "values", values ? values : json_object(), "errors",
			 "invalid");
}

void benefit_form_error(json_t *form, const char *field, const char *message)
{
	json_array_append_new(
		json_object_get(form, "errors"),
		json_pack("{s:s,s:s}", "field", field ? field : "", "message", message));
	if (field && *field)
		json_object_set_new(json_object_get(form, "invalid"), field, json_string(message));
}

int benefit_form_need(json_t *form, const char *value, const char *field, const char *message)
{
	if (value && *value)
		return 0;
	benefit_form_error(form, field, message);
	return 1;
}

void benefit_form_refused(json_t *form, int rc, const struct field_errors *fe, const char *err)
{
	for (int i = 0; i < fe->n; i++)
		benefit_form_error(form, fe->items[i].field, fe->items[i].message);
	if (!fe->n)
		benefit_form_error(form, "", err && *err ? err : err_message(rc));
}

/* ---- 待遇标准 and 义务兵 rules ---- */

static json_t *standard_values(struct request *req)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "benefit",
			 params_text(req, "benefit"), "category", params_text(req, "category"),
			 "grade", params_text(req, "grade"), "nature", params_text(req, "nature"),
			 "effective_from", params_text(req, "effective_from"), "national",
			 params_text(req, "national"), "local", params_text(req, "local"), "note",
			 params_text(req, "note"));
}

static json_t *rule_values(struct request *req, int year)
{
	char y[12];
	snprintf(y, sizeof(y), "%d", year);
	const char *given = params_text(req, "year");
	return json_pack("{s:s,s:s,s:s,s:s}", "year", *given ? given : y, "kind",
			 params_text(req, "kind"), "item", params_text(req, "item"), "amount",
			 params_text(req, "amount"));
}

/* The 人员类别 that make someone eligible for some benefit, each once, in order. */
static json_t *eligible_categories(json_t *types, const char *selected)
{
	json_t *list = json_array(), *seen = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		const char *cats = json_string_value(json_object_get(t, "categories"));
		while (cats && *cats) {
			const char *end = strstr(cats, "、");
			size_t n = end ? (size_t)(end - cats) : strlen(cats);
			char name[64];
			if (n > 0 && n < sizeof(name)) {
				memcpy(name, cats, n);
				name[n] = '\0';
				if (!json_object_get(seen, name)) {
					json_object_set_new(seen, name, json_true());
					json_array_append_new(
						list,
						json_pack("{s:s,s:b}", "name", name, "selected",
							  selected && strcmp(selected, name) == 0));
				}
			}
			cats = end ? end + strlen("、") : NULL;
		}
	}
	json_decref(seen);
	return list;
}

/* Marks the type of code selected in types; the selected one (borrowed), or NULL. */
static json_t *select_type(json_t *types, const char *code)
{
	json_t *selected = NULL, *t;
	size_t i;
	json_array_foreach(types, i, t)
	{
		const char *c = json_string_value(json_object_get(t, "code"));
		int on = code && c && strcmp(c, code) == 0;
		json_object_set_new(t, "selected", json_boolean(on));
		if (on)
			selected = t;
	}
	return selected;
}

/* The standards of benefit code into data: a page of them ("standards", "pager") and
 * their number. 0, or the area's error (data unchanged). */
static int standards_part(struct request *req, struct db *db, const char *code, int year,
			  json_t *data)
{
	json_t *standards = NULL, *t;
	int rc;
	if (code && (rc = benefit_standard_list(db, code, &standards)) != 0)
		return rc;
	if (!standards)
		standards = json_array();
	size_t i;
	json_array_foreach(standards, i, t)
	{
		json_int_t g = json_integer_value(json_object_get(t, "grade"));
		if (g >= PERSON_GRADE_MIN && g <= PERSON_GRADE_MAX)
			json_object_set_new(t, "grade_title", json_string(person_grade_title(g)));
	}
	int64_t page = params_int(req, "page", 1);
	struct buf base;
	buf_init(&base, 512);
	buf_puts(&base, "/benefits?");
	page_query_add(&base, "benefit", code);
	if (year != atoi(clock_today_text()))
		buf_printf(&base, "year=%d&", year);
	json_object_set_new(
		data, "pager",
		page_pager(page, PER_PAGE, (int64_t)json_array_size(standards), buf_cstr(&base)));
	buf_free(&base);
	json_object_set_new(data, "standards", benefit_slice(standards, page, PER_PAGE));
	json_object_set_new(data, "standards_total",
			    json_integer((json_int_t)json_array_size(standards)));
	json_decref(standards);
	return 0;
}

/* The 义务兵 rules of year and their approval into data, with what the user may do. */
static void rules_part(struct request *req, struct db *db, int year, json_t *data)
{
	json_t *rules = NULL, *approval = NULL;
	if (conscript_rule_list(db, year, &rules) != 0)
		rules = json_array();
	if (conscript_rules_approval(db, year, &approval) != 0)
		approval = json_pack("{s:b,s:s}", "approved", 0, "approved_name", "");
	json_object_set_new(data, "rules_approval", approval);
	json_object_set_new(data, "can_propose",
			    json_boolean(perm_allows(req->user.roles, PERM_STANDARD_WRITE)));
	json_object_set_new(data, "can_approve",
			    json_boolean(perm_allows(req->user.roles, PERM_STANDARD_APPROVE)));
	json_object_set_new(data, "rules", rules);
	json_object_set_new(data, "year", json_integer(year));
	json_object_set_new(data, "prev_year", json_integer(year - 1));
	json_object_set_new(data, "next_year", json_integer(year + 1));
}

/* The value name of a refused form's values (form NULL: fallback). */
static const char *form_value(json_t *form, const char *name, const char *fallback)
{
	return form ? json_string_value(json_object_get(json_object_get(form, "values"), name))
		    : fallback;
}

/* The 残疾等级 choices, selected the one of value selected. */
static json_t *grade_choices(const char *selected)
{
	json_t *grades = json_array();
	for (int g = PERSON_GRADE_MIN; g <= PERSON_GRADE_MAX; g++) {
		char v[4];
		snprintf(v, sizeof(v), "%d", g);
		json_array_append_new(grades, json_pack("{s:s,s:s,s:b}", "value", v, "title",
							person_grade_title(g), "selected",
							selected && strcmp(selected, v) == 0));
	}
	return grades;
}

/* The choices of both forms into data, selected as the refused form (sform, rform;
 * NULL: none) had them, else the standard form's benefit is code. */
static void choices_part(struct db *db, json_t *types, const char *code, json_t *sform,
			 json_t *rform, json_t *data)
{
	const char *const *natures;
	int n_natures = person_vocabulary(PERSON_NATURES, &natures);
	json_t *choices = json_pack(
		"{s:o,s:o,s:o,s:o}", "benefits",
		benefit_type_choices(db, form_value(sform, "benefit", code)), "categories",
		eligible_categories(types, form_value(sform, "category", "")), "grades",
		grade_choices(form_value(sform, "grade", "")), "natures",
		benefit_choices(natures, (size_t)n_natures, form_value(sform, "nature", "")));
	json_object_set_new(data, "choices", choices);
	json_object_set_new(data, "rule_kinds",
			    benefit_choices(conscript_rule_kinds, CONSCRIPT_N_RULE_KINDS,
					    form_value(rform, "kind", "")));
	json_object_set_new(data, "rule_items", rule_items());
	json_object_set_new(data, "rule_item_groups", rule_item_groups());
}

/* Both forms empty (the standard's benefit code, the rule's year) unless refused. */
static void empty_forms(json_t *sform, json_t *rform, const char *code, int year, json_t *data)
{
	if (!sform) {
		json_t *v =
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "benefit", code ? code : "",
				  "category", "", "grade", "", "nature", "", "effective_from", "",
				  "national", "", "local", "", "note", "");
		json_object_set_new(data, "standard_form", benefit_form(v));
	}
	if (!rform) {
		char y[12];
		snprintf(y, sizeof(y), "%d", year);
		json_object_set_new(data, "rule_form",
				    benefit_form(json_pack("{s:s,s:s,s:s,s:s}", "year", y, "kind",
							   "", "item", "", "amount", "")));
	}
}

/* The /benefits page: the types, the standards of the chosen one (a page of them),
 * the 义务兵 rules of a year, and the forms; extra (stolen) adds or replaces members
 * (a refused form, an error). */
static int benefits_page(struct request *req, struct reply *rep, struct db *db, int status,
			 json_t *extra)
{
	json_t *types = NULL;
	int rc = benefit_types(db, &types);
	const char *code = params_text(req, "benefit");
	if (!rc && !benefit_exists(db, code))
		code = json_string_value(json_object_get(json_array_get(types, 0), "code"));
	int year = (int)params_int(req, "year", atoi(clock_today_text()));
	json_t *data = benefit_page_data(req, "standards");
	if (!rc)
		rc = standards_part(req, db, code, year, data);
	if (rc) {
		json_decref(types);
		json_decref(data);
		json_decref(extra);
		return reply_area_error(req, rep, rc, NULL);
	}
	json_t *selected = select_type(types, code);
	if (selected)
		json_object_set(data, "selected", selected);
	rules_part(req, db, year, data);
	json_t *sform = json_object_get(extra, "standard_form");
	json_t *rform = json_object_get(extra, "rule_form");
	choices_part(db, types, code, sform, rform, data);
	empty_forms(sform, rform, code, year, data);
	json_object_set_new(data, "types", types);
	if (extra)
		json_object_update(data, extra);
	json_decref(extra);
	return reply_page(req, rep, status, "benefits/standards", "待遇标准", data);
}

/* The page; after a refused form, as the refusal showed it (POST/redirect/GET, flash.h). */
static int handle_benefits(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e;
	json_t *kept = NULL;
	form_restore(req, &e, NULL, &kept);
	return db ? benefits_page(req, rep, db, 200, kept) : (json_decref(kept), 0);
}

/* A refused form of the page: what was sent refused (400, 409) is kept with what the
 * page shows of it (extra, stolen) and answered 303 to the page; any other refusal,
 * or one that can't be kept, is the page itself with status. */
static int benefits_refused(struct request *req, struct reply *rep, struct db *db, int status,
			    json_t *extra)
{
	if ((status != 400 && status != 409) ||
	    reply_form_refused(req, rep, "/benefits", NULL, NULL, extra) != 0)
		return benefits_page(req, rep, db, status, extra);
	json_decref(extra);
	return 0;
}

/* Redirects to the standards of benefit code, with flash message msg. */
static int to_standards(struct reply *rep, const char *code, const char *msg)
{
	struct buf b;
	buf_init(&b, 256);
	buf_puts(&b, "/benefits?");
	page_query_add(&b, "benefit", code);
	char where[256];
	str_copy(where, buf_cstr(&b), sizeof(where));
	buf_free(&b);
	where[strlen(where) - 1] = '\0'; /* the trailing '&' or '?' */
	reply_flash(rep, "ok", msg);
	return reply_redirect(rep, where);
}

static int handle_standard_propose(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *form = benefit_form(standard_values(req));
	const char *code = params_text(req, "benefit");
	int bad = benefit_form_need(form, code, "待遇", "请选择待遇");
	bad |= benefit_form_need(form, params_text(req, "effective_from"), "生效日期",
				 "请填写生效日期（某月 1 日）");
	bad |= benefit_form_need(form, params_text(req, "national"), "国家标准",
				 "请填写国家标准（元/年）");
	if (bad)
		return benefits_refused(req, rep, db, 400,
					json_pack("{s:o}", "standard_form", form));
	const char *local = params_text(req, "local");
	struct standard_text t = {
		.benefit = code,
		.category = params_text(req, "category"),
		.grade = params_text(req, "grade"),
		.nature = params_text(req, "nature"),
		.effective_from = params_text(req, "effective_from"),
		.national = params_text(req, "national"),
		.local = *local ? local : "0",
		.note = params_text(req, "note"),
	};
	int64_t id;
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = benefit_standard_propose(db, &req->user, &t, 0, &id, &fe, err, sizeof(err));
	if (rc) {
		benefit_form_refused(form, rc, &fe, err);
		return benefits_refused(req, rep, db, http_status_of(rc),
					json_pack("{s:o}", "standard_form", form));
	}
	json_decref(form);
	return to_standards(rep, code,
			    "标准已提交，待复核人或审批人审核通过后生效（提交人本人不能审核）");
}

static int handle_standard_decide(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *decision = params_text(req, "decision");
	int approve = strcmp(decision, "approve") == 0;
	if (!approve && strcmp(decision, "reject") != 0)
		return reply_error(req, rep, 400, "invalid", "审核结果应为“通过”或“驳回”");
	char err[256] = "";
	int rc = benefit_standard_decide(db, &req->user, req->path_id, approve, err, sizeof(err));
	if (rc == VE_NOTFOUND)
		return reply_area_error(req, rep, rc, "该标准不存在");
	if (rc)
		return benefits_refused(req, rep, db, http_status_of(rc),
					json_pack("{s:s,s:I}", "error",
						  *err ? err : err_message(rc), "error_id",
						  (json_int_t)req->path_id));
	return to_standards(rep, params_text(req, "benefit"),
			    approve ? "标准已审核通过，自生效日期起执行" : "标准已驳回");
}

static int handle_standard_import(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char path[64], why[200];
	if (page_save_upload(file, path, why, sizeof(why)) != 0)
		return benefits_refused(
			req, rep, db, 400,
			json_pack("{s:{s:s,s:s}}", "import", "file", file->filename, "error", why));
	struct benefit_rows rows = {json_array(), 0};
	long n = 0;
	char err[256] = "";
	int rc = benefit_standard_import(db, &req->user, path, benefit_row_error, &rows, &n, err,
					 sizeof(err));
	unlink(path);
	if (rc) {
		char message[320];
		if (rows.total)
			snprintf(message, sizeof(message),
				 "文件中有 %ld 行有误，未导入任何一行。请改正后重新上传。",
				 rows.total);
		else
			snprintf(message, sizeof(message), "文件无法导入：%s",
				 *err ? err : err_message(rc));
		return benefits_refused(req, rep, db, http_status_of(rc),
					json_pack("{s:{s:s,s:s,s:o,s:b,s:i}}", "import", "file",
						  file->filename, "error", message, "rows",
						  rows.list, "more", rows.total > SHOWN_ROW_ERRORS,
						  "shown", SHOWN_ROW_ERRORS));
	}
	json_decref(rows.list);
	char message[200];
	snprintf(message, sizeof(message), "已导入 %ld 条标准，均待审核通过后生效", n);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, "/benefits");
}

static int handle_rule_set(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int this_year = atoi(clock_today_text());
	int year = (int)params_int(req, "year", 0);
	json_t *form = benefit_form(rule_values(req, year ? year : this_year));
	const char *kind = params_text(req, "kind");
	const char *item = params_text(req, "item");
	if (!*item && strcmp(kind, "基数") == 0)
		item = "基数";
	int bad = year ? 0 : benefit_form_need(form, "", "年度", "请填写年度");
	bad |= benefit_form_need(form, kind, "类型", "请选择类型");
	bad |= benefit_form_need(form, item, "项目", "请填写项目");
	bad |= benefit_form_need(form, params_text(req, "amount"), "金额", "请填写金额（元）");
	int64_t fen = 0;
	if (!bad && money_parse(params_text(req, "amount"), MONEY_MAX_FEN, &fen) != 0) {
		benefit_form_error(form, "金额",
				   "金额应为元数，最多两位小数，如 12000 或 12000.50");
		bad = 1;
	}
	if (bad)
		return benefits_refused(req, rep, db, 400, json_pack("{s:o}", "rule_form", form));
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = conscript_rule_set(db, &req->user, year, kind, item, fen, 0, &fe, err,
				    sizeof(err));
	if (rc) {
		benefit_form_refused(form, rc, &fe, err);
		return benefits_refused(req, rep, db, http_status_of(rc),
					json_pack("{s:o}", "rule_form", form));
	}
	json_decref(form);
	char where[64];
	snprintf(where, sizeof(where), "/benefits?year=%d", year);
	reply_flash(rep, "ok", "义务兵优待规则已保存，须由另一人审批本年度规则后生效");
	return reply_redirect(rep, where);
}

/* A second person approves the year's rule table as it stands. */
static int handle_rules_approve(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", 0);
	char err[256] = "";
	int rc = conscript_rules_approve(db, &req->user, year, err, sizeof(err));
	if (rc)
		return benefits_refused(req, rep, db, http_status_of(rc),
					json_pack("{s:s}", "rules_error", err));
	char where[64];
	snprintf(where, sizeof(where), "/benefits?year=%d#rules", year);
	reply_flash(rep, "ok", "本年度义务兵优待规则已审批，导入征兵名单时按此核定");
	return reply_redirect(rep, where);
}

/* ---- 待遇资格 ---- */

/* The entitlements the query asks for, per_page of them (0: as asked), for the page
 * and the API alike; after a change (a POST) the list it came from, whose filters come
 * back as back_* fields. 0 with *list and f, or the area's error. */
static int entitlements_of(struct request *req, struct db *db, int64_t per_page,
			   struct entitlement_filter *f, json_t **list)
{
	/* a refused change's page shows that list too (its kept form has back_*, flash.h) */
	int back = strcmp(req->method, "POST") == 0 || req_param(req, "back_status") != NULL;
	const char *benefit = params_text(req, back ? "back_benefit" : "benefit");
	*f = (struct entitlement_filter){
		.benefit = *benefit ? benefit : NULL,
		.status = params_text(req, back ? "back_status" : "status"),
		.person_id = params_int(req, "person", 0),
		.page = params_int(req, back ? "back_page" : "page", 1),
		.per_page = per_page ? per_page : params_int(req, "per_page", PER_PAGE),
	};
	*list = NULL;
	return entitlement_list(db, &req->user, f, list);
}

static int entitlements_page(struct request *req, struct reply *rep, struct db *db, int status,
			     json_t *extra)
{
	struct entitlement_filter f;
	json_t *list;
	int rc = entitlements_of(req, db, PER_PAGE, &f, &list);
	const char *benefit = f.benefit ? f.benefit : "", *st = f.status;
	if (rc) {
		json_decref(extra);
		return reply_area_error(req, rep, rc, NULL);
	}
	struct buf base;
	buf_init(&base, 512);
	buf_puts(&base, "/entitlements?");
	page_query_add(&base, "benefit", benefit);
	page_query_add(&base, "status", st);
	if (f.person_id)
		buf_printf(&base, "person=%lld&", (long long)f.person_id);
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_object_set_new(list, "pager", page_pager(f.page, PER_PAGE, total, buf_cstr(&base)));
	buf_free(&base);

	struct entitlement_filter pf = {.status = ENTITLEMENT_PROPOSED, .page = 1, .per_page = 1};
	json_t *proposed = NULL;
	json_int_t n_proposed = 0;
	if (entitlement_list(db, &req->user, &pf, &proposed) == 0)
		n_proposed = json_integer_value(json_object_get(proposed, "total"));
	json_decref(proposed);

	char month[8];
	str_copy(month, clock_today_text(), sizeof(month));
	json_t *data = benefit_page_data(req, "entitlements");
	json_object_update(data, list);
	json_decref(list);
	json_object_set_new(data, "filter",
			    json_pack("{s:s,s:s,s:I,s:I}", "benefit", benefit, "status", st,
				      "person", (json_int_t)f.person_id, "page",
				      (json_int_t)f.page));
	json_object_set_new(data, "benefits", benefit_type_choices(db, benefit));
	json_object_set_new(data, "statuses",
			    benefit_choices(entitlement_statuses, ENTITLEMENT_N_STATUSES, st));
	json_object_set_new(data, "proposed", json_integer(n_proposed));
	json_object_set_new(data, "month", json_string(month));
	int can_write = perm_allows(req->user.roles, PERM_ENTITLEMENT_WRITE);
	int can_confirm = perm_allows(req->user.roles, PERM_ENTITLEMENT_CONFIRM) &&
			  account_district_wide(&req->user);
	json_object_set_new(data, "can_write", json_boolean(can_write));
	json_object_set_new(data, "can_confirm", json_boolean(can_confirm));
	json_object_set_new(data, "can_act", json_boolean(can_write || can_confirm));
	if (extra)
		json_object_update(data, extra);
	json_decref(extra);
	return reply_page(req, rep, status, "benefits/entitlements", "待遇资格", data);
}

/* The page; after a refused form, as the refusal showed it (POST/redirect/GET, flash.h). */
static int handle_entitlements(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e;
	json_t *kept = NULL;
	form_restore(req, &e, NULL, &kept);
	return db ? entitlements_page(req, rep, db, 200, kept) : (json_decref(kept), 0);
}

/* A refused form of the page: what was sent refused (400, 409) is kept with what the
 * page shows of it (extra, stolen) and answered 303 to the page; any other refusal,
 * or one that can't be kept, is the page itself with status. */
static int entitlements_refused(struct request *req, struct reply *rep, struct db *db, int status,
				json_t *extra)
{
	if ((status != 400 && status != 409) ||
	    reply_form_refused(req, rep, "/entitlements", NULL, NULL, extra) != 0)
		return entitlements_page(req, rep, db, status, extra);
	json_decref(extra);
	return 0;
}

static int handle_api_entitlements(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct entitlement_filter f;
	json_t *list;
	int rc = entitlements_of(req, db, 0, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	return reply_json(rep, 200, list);
}

static int handle_entitlement_propose(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int64_t n = 0;
	int rc = entitlement_propose(db, &req->user, 0, &n);
	if (rc)
		return entitlements_refused(req, rep, db, http_status_of(rc),
					    json_pack("{s:s}", "error", err_message(rc)));
	char message[200];
	if (n)
		snprintf(message, sizeof(message),
			 "已生成 %lld 条资格提议（待确认），请核对后逐条确认起始月份",
			 (long long)n);
	else
		snprintf(message, sizeof(message),
			 "没有新的资格提议：符合条件的人员均已有相应待遇资格");
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, "/entitlements?status=%E5%BE%85%E7%A1%AE%E8%AE%A4");
}

enum ent_action { ENT_CONFIRM, ENT_SUSPEND, ENT_RESUME, ENT_CANCEL };

/* One change of an entitlement; back to the list it came from, or the list with the
 * refusal at the row. */
static int entitlement_change(struct request *req, struct reply *rep, enum ent_action a)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	static const char *const month_labels[] = {"起始月份", "中止月份", "恢复月份", "取消月份"};
	static const char *const reason_labels[] = {"", "中止原因", "", "取消原因"};
	static const char *const done[] = {"待遇资格已确认", "待遇已中止（中止期间不补发）",
					   "待遇已恢复发放", "待遇资格已取消"};
	const char *month = params_text(req, a == ENT_CONFIRM ? "start_month" : "month");
	const char *reason = params_text(req, "reason");
	char message[160] = "";
	if (!*month)
		snprintf(message, sizeof(message), "请填写%s（YYYY-MM）", month_labels[a]);
	else if (*reason_labels[a] && !*reason)
		snprintf(message, sizeof(message), "请填写%s", reason_labels[a]);
	char err[256] = "";
	int rc = VE_INVALID;
	if (!*message) {
		switch (a) {
		case ENT_CONFIRM:
			rc = entitlement_confirm(db, &req->user, req->path_id, month, 0, err,
						 sizeof(err));
			break;
		case ENT_SUSPEND:
			rc = entitlement_suspend(db, &req->user, req->path_id, month, reason, 0,
						 err, sizeof(err));
			break;
		case ENT_RESUME:
			rc = entitlement_resume(db, &req->user, req->path_id, month, 0, err,
						sizeof(err));
			break;
		case ENT_CANCEL:
			rc = entitlement_cancel(db, &req->user, req->path_id, month, reason, 0, err,
						sizeof(err));
			break;
		}
		if (rc == VE_NOTFOUND)
			return reply_area_error(req, rep, rc, "该待遇资格不存在");
		str_copy(message, *err ? err : err_message(rc), sizeof(message));
	}
	if (rc)
		return entitlements_refused(req, rep, db, http_status_of(rc),
					    json_pack("{s:s,s:I}", "error", message, "error_id",
						      (json_int_t)req->path_id));
	struct buf b;
	buf_init(&b, 512);
	buf_puts(&b, "/entitlements?");
	page_query_add(&b, "benefit", params_text(req, "back_benefit"));
	page_query_add(&b, "status", params_text(req, "back_status"));
	page_query_add(&b, "page", params_text(req, "back_page"));
	char where[512];
	str_copy(where, buf_cstr(&b), sizeof(where));
	buf_free(&b);
	where[strlen(where) - 1] = '\0';
	reply_flash(rep, "ok", done[a]);
	return reply_redirect(rep, where);
}

static int handle_entitlement_confirm(struct request *req, struct reply *rep)
{
	return entitlement_change(req, rep, ENT_CONFIRM);
}

static int handle_entitlement_suspend(struct request *req, struct reply *rep)
{
	return entitlement_change(req, rep, ENT_SUSPEND);
}

static int handle_entitlement_resume(struct request *req, struct reply *rep)
{
	return entitlement_change(req, rep, ENT_RESUME);
}

static int handle_entitlement_cancel(struct request *req, struct reply *rep)
{
	return entitlement_change(req, rep, ENT_CANCEL);
}

/* ---- 年度确认 ---- */

static int verifications_page(struct request *req, struct reply *rep, struct db *db, int status,
			      json_t *extra)
{
	int this_year = atoi(clock_today_text());
	int year = (int)params_int(req, "year", this_year);
	json_t *list = NULL;
	int rc = verification_unverified(db, &req->user, year, &list);
	if (rc) {
		json_decref(extra);
		return reply_area_error(req, rep, rc, NULL);
	}
	int64_t page = strcmp(req->method, "POST") == 0 ? 1 : params_int(req, "page", 1);
	char base[64];
	snprintf(base, sizeof(base), "/verifications?year=%d&", year);
	json_t *data = benefit_page_data(req, "verifications");
	json_object_set_new(data, "total", json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(data, "pager",
			    page_pager(page, PER_PAGE, (int64_t)json_array_size(list), base));
	json_object_set_new(data, "items", benefit_slice(list, page, PER_PAGE));
	json_decref(list);
	json_object_set_new(data, "year", json_integer(year));
	json_object_set_new(data, "prev_year", json_integer(year - 1));
	json_object_set_new(data, "next_year", json_integer(year + 1));
	json_object_set_new(data, "today", json_string(clock_today_text()));
	json_object_set_new(data, "can_write",
			    json_boolean(perm_allows(req->user.roles, PERM_ENTITLEMENT_WRITE)));
	if (extra)
		json_object_update(data, extra);
	json_decref(extra);
	return reply_page(req, rep, status, "benefits/verifications", "年度确认", data);
}

/* The page; after a refused form, as the refusal showed it (POST/redirect/GET, flash.h). */
static int handle_verifications(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	struct field_errors e;
	json_t *kept = NULL;
	form_restore(req, &e, NULL, &kept);
	return db ? verifications_page(req, rep, db, 200, kept) : (json_decref(kept), 0);
}

/* A refused form of the page: what was sent refused (400, 409) is kept with what the
 * page shows of it (extra, stolen) and answered 303 to the page; any other refusal,
 * or one that can't be kept, is the page itself with status. */
static int verifications_refused(struct request *req, struct reply *rep, struct db *db, int status,
				 json_t *extra)
{
	if ((status != 400 && status != 409) ||
	    reply_form_refused(req, rep, "/verifications", NULL, NULL, extra) != 0)
		return verifications_page(req, rep, db, status, extra);
	json_decref(extra);
	return 0;
}

enum ver_action { VER_NOTIFY, VER_RECORD, VER_SWEEP };

static int verification_change(struct request *req, struct reply *rep, enum ver_action a)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	static const char *const date_labels[] = {"通知日期", "确认日期", "中止判定日期"};
	int year = (int)params_int(req, "year", 0);
	int64_t person = params_int(req, "person", 0);
	const char *date = params_text(req, "date");
	char message[200] = "", err[256] = "";
	int rc = VE_INVALID;
	int64_t n = 0;
	if (!*date)
		snprintf(message, sizeof(message), "请填写%s", date_labels[a]);
	else {
		if (a == VER_NOTIFY)
			rc = verification_notify(db, &req->user, person, year, date, 0, err,
						 sizeof(err));
		else if (a == VER_RECORD)
			rc = verification_record(db, &req->user, person, year, date, 0, err,
						 sizeof(err));
		else
			rc = verification_sweep(db, &req->user, year, date, 0, &n);
		if (rc == VE_NOTFOUND)
			return reply_area_error(req, rep, rc, "该人员不存在");
		if (rc == VE_INVALID && !*err) /* the sweep says no more */
			str_copy(err, "日期：应为 YYYY-MM-DD 格式的日期", sizeof(err));
		str_copy(message, *err ? err : err_message(rc), sizeof(message));
	}
	if (rc)
		return verifications_refused(
			req, rep, db, http_status_of(rc),
			json_pack("{s:s,s:I}", "error", message, "error_id", (json_int_t)person));
	if (a == VER_NOTIFY)
		str_copy(message, "已登记确认通知，60 日内未确认的将自下月起中止发放",
			 sizeof(message));
	else if (a == VER_RECORD)
		str_copy(message, "已登记年度确认", sizeof(message));
	else
		snprintf(message, sizeof(message),
			 "已按 60 日规则处理：%lld 人通知后逾期未确认，自次月起中止发放",
			 (long long)n);
	char where[64];
	snprintf(where, sizeof(where), "/verifications?year=%d", year);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, where);
}

static int handle_verification_notify(struct request *req, struct reply *rep)
{
	return verification_change(req, rep, VER_NOTIFY);
}

static int handle_verification_record(struct request *req, struct reply *rep)
{
	return verification_change(req, rep, VER_RECORD);
}

static int handle_verification_sweep(struct request *req, struct reply *rep)
{
	return verification_change(req, rep, VER_SWEEP);
}

/* ---- the routes of standards, 义务兵 rules, entitlements, 年度确认 ---- */

/* Benefits and their payment: the areas check each value precisely (forms come back
 * with field errors), these only bound them. Months are YYYY-MM, amounts 元. */
static const struct param_spec benefits_params[] = {
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec standard_params[] = {
	{"benefit", "待遇", PK_TEXT, 0, 0, 20, 0},
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 0},
	{"grade", "残疾等级", PK_TEXT, 0, 0, 4, 0},
	{"nature", "残疾性质", PK_TEXT, 0, 0, 4, 0},
	{"effective_from", "生效日期", PK_TEXT, 0, 0, 10, 0},
	{"national", "国家标准", PK_TEXT, 0, 0, 20, 0},
	{"local", "地方增发", PK_TEXT, 0, 0, 20, 0},
	{"note", "说明", PK_TEXT, 0, 0, 200, 0},
	PARAM_END,
};

static const struct param_spec standard_decide_params[] = {
	{"decision", "审核结果", PK_WORD, 1, 1, 10, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec rule_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"kind", "类型", PK_TEXT, 0, 0, 10, 0},
	{"item", "项目", PK_TEXT, 0, 0, 20, 0},
	{"amount", "金额", PK_TEXT, 0, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec entitlement_filter_params[] = {
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},      {"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"person", "人员", PK_INT, 0, 1, INT64_MAX, 0}, {"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0}, PARAM_END,
};

/* The page's: the list's, and a refused change's kept form. */
static const struct param_spec entitlement_page_params[] = {
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"person", "人员", PK_INT, 0, 1, INT64_MAX, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec entitlement_confirm_params[] = {
	{"start_month", "起始月份", PK_TEXT, 0, 0, 7, 0},
	{"back_benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"back_status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"back_page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec entitlement_month_params[] = {
	{"month", "月份", PK_TEXT, 0, 0, 7, 0},
	{"reason", "原因", PK_TEXT, 0, 0, 100, 0},
	{"back_benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"back_status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"back_page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec verification_list_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_FLASH,
	PARAM_END,
};

static const struct param_spec verification_params[] = {
	{"person", "人员", PK_INT, 1, 1, INT64_MAX, 0},
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	{"date", "日期", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec verification_sweep_params[] = {
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	{"date", "日期", PK_TEXT, 0, 0, 10, 0},
	PARAM_END,
};

static const struct param_spec rules_approve_params[] = {
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	PARAM_END,
};

const struct param_spec benefit_upload_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, BENEFIT_UPLOAD_MAX, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/benefits", handle_benefits, PERM_BENEFIT_READ, 0, benefits_params, 0},
	{"POST", "/benefits/standards", handle_standard_propose, PERM_STANDARD_WRITE, 0, standard_params, 0},
	{"POST", "/benefits/standards/import", handle_standard_import, PERM_STANDARD_WRITE, 0, benefit_upload_params, BENEFIT_UPLOAD_MAX + 64 * 1024},
	{"POST", "/benefits/standards/{id}/decide", handle_standard_decide, PERM_STANDARD_APPROVE, 0, standard_decide_params, 0},
	{"POST", "/benefits/rules", handle_rule_set, PERM_STANDARD_WRITE, 0, rule_params, 0},
	{"POST", "/benefits/rules/approve", handle_rules_approve, PERM_STANDARD_APPROVE, 0, rules_approve_params, 0},
	{"GET", "/entitlements", handle_entitlements, PERM_BENEFIT_READ, 0, entitlement_page_params, 0},
	{"POST", "/entitlements/propose", handle_entitlement_propose, PERM_ENTITLEMENT_WRITE, 0, params_none, 0},
	{"POST", "/entitlements/{id}/confirm", handle_entitlement_confirm, PERM_ENTITLEMENT_CONFIRM, 0, entitlement_confirm_params, 0},
	{"POST", "/entitlements/{id}/suspend", handle_entitlement_suspend, PERM_ENTITLEMENT_WRITE, 0, entitlement_month_params, 0},
	{"POST", "/entitlements/{id}/resume", handle_entitlement_resume, PERM_ENTITLEMENT_WRITE, 0, entitlement_month_params, 0},
	{"POST", "/entitlements/{id}/cancel", handle_entitlement_cancel, PERM_ENTITLEMENT_WRITE, 0, entitlement_month_params, 0},
	{"GET", "/verifications", handle_verifications, PERM_BENEFIT_READ, 0, verification_list_params, 0},
	{"POST", "/verifications/notify", handle_verification_notify, PERM_ENTITLEMENT_WRITE, 0, verification_params, 0},
	{"POST", "/verifications/record", handle_verification_record, PERM_ENTITLEMENT_WRITE, 0, verification_params, 0},
	{"POST", "/verifications/sweep", handle_verification_sweep, PERM_ENTITLEMENT_WRITE, 0, verification_sweep_params, 0},
	{"GET", "/api/v1/entitlements", handle_api_entitlements, PERM_BENEFIT_READ, API, entitlement_filter_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{22, "/benefits", "待遇标准", PERM_BENEFIT_READ},
	{0},
};

const struct web_area benefits_web = {
	.name = "benefits",
	.routes = routes,
	.nav = nav,
};
