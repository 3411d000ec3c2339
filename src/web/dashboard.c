/* dashboard.c - the 统计看板 (dashboard.h): every figure set its reader may read, grouped by
 * area in area_list's order, each figure a link to its rows; charts drawn by the server as
 * SVG (web/chart.h) at /dashboard/chart, each shown with a table of the same figures. */
#include "web/dashboard.h"
#include "web/figures.h"
#include "areas/account.h"
#include "areas/area.h"
#include "areas/dashboard.h"
#include "areas/figure.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "web/chart.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the charts: which figures, drawn how ---- */

/* Bars by street: the headline figures a leader compares between streets, of records kept by
 * street (the counter's applications and 信访 are received by the bureau: no street's). */
static const char *const by_street[] = {"benefit_payments", "holiday_visits", "regular_contacts",
					"hired", NULL};

/* Shares: the parts of a whole, each a figure of one set, less another (the part of a plan
 * not yet met); a part below 0 counts 0. Drawn when every key is in one set and, when the
 * whole is a plan (plan), that plan is above 0 for the reader: a street has no plan of its
 * own, and its placements are no share of one. */
struct share_part {
	const char *label, *key, *less;
};
static const struct share_def {
	const char *name, *title, *unit;
	struct share_part parts[5];
	const char *plan[3]; /* figures of which one at least must be above 0, or none */
} shares[] = {
	{"payments",
	 "发放人次构成",
	 "人次",
	 {{"优抚金", "benefit_payments", NULL},
	  {"义务兵家庭优待金", "conscript_allowance_payments", NULL},
	  {"一次性入伍奖励金", "enlistment_bonus_payments", NULL}},
	 {NULL}},
	{"placement",
	 "安置计划完成情况",
	 "人",
	 {{"军转干部已安置", "officers_placed", NULL},
	  {"军转干部计划未安置", "officers_planned", "officers_placed"},
	  {"退役士兵已安置", "soldiers_placed", NULL},
	  {"退役士兵计划未安置", "soldiers_planned", "soldiers_placed"}},
	 {"officers_planned", "soldiers_planned"}},
	{"exams",
	 "学法考试参考与优秀",
	 "人",
	 {{"优秀", "exam_excellent", NULL},
	  {"参考未达优秀", "exam_took", "exam_excellent"},
	  {"应考未参考", "exam_should", "exam_took"}},
	 {NULL}},
};
#define N_SHARES (sizeof(shares) / sizeof(shares[0]))

enum chart_kind { KIND_MONTH, KIND_STREET, KIND_SHARE };
static const char *const kind_names[] = {"month", "street", "share"};

#define LABEL_MAX 128

/* One chart's figures, ready to draw or to tabulate. */
struct chart_data {
	enum chart_kind kind;
	const struct figure_set *set;
	char id[48], title[192];
	const char *unit;
	char labels[CHART_ITEMS_MAX][LABEL_MAX];
	struct chart_item items[CHART_ITEMS_MAX];
	size_t n;
	int overflow; /* more streets than a chart holds */
};

static int may_read(const struct principal *by, const struct figure_set *set)
{
	return set && perm_allows(by->roles, set->perm);
}

static void add_item(struct chart_data *d, const char *label, int64_t value)
{
	if (d->n >= CHART_ITEMS_MAX) {
		d->overflow = 1;
		return;
	}
	str_copy(d->labels[d->n], label ? label : "", LABEL_MAX);
	d->items[d->n].label = d->labels[d->n];
	d->items[d->n].value = value < 0 ? 0 : value;
	d->n++;
}

static void street_value(void *ctx, const char *code, const char *name, int64_t value)
{
	(void)code;
	add_item(ctx, name, value);
}

static const struct share_def *share_find(const char *name)
{
	for (size_t i = 0; name && i < N_SHARES; i++)
		if (strcmp(shares[i].name, name) == 0)
			return &shares[i];
	return NULL;
}

/* The set every key of share s belongs to, or NULL when one is missing or in another set. */
static const struct figure_set *share_set(const struct share_def *s)
{
	const struct figure_set *set = NULL, *each = NULL;
	for (const struct share_part *p = s->parts; p->label; p++)
		for (int k = 0; k < 2; k++) {
			const char *key = k ? p->less : p->key;
			if (!key)
				continue;
			if (!figure_lookup(key, &each) || (set && each != set))
				return NULL;
			set = each;
		}
	return set;
}

/* The shares of s from the values of its set's figures (stats: figure_stats' object). */
static void share_items(const struct share_def *s, const json_t *stats, struct chart_data *d)
{
	int64_t plan = 0;
	for (size_t i = 0; s->plan[i]; i++)
		plan += json_integer_value(json_object_get(stats, s->plan[i]));
	if (s->plan[0] && plan <= 0)
		return; /* no plan: nothing to draw */
	for (const struct share_part *p = s->parts; p->label; p++) {
		int64_t v = json_integer_value(json_object_get(stats, p->key));
		if (p->less)
			v -= json_integer_value(json_object_get(stats, p->less));
		add_item(d, p->label, v);
	}
}

/* Builds chart kind of key (a figure key, or a share's name) for the year as by sees it.
 * stats: the figures of key's set when the caller has them (shares), or NULL. 0; 1 when
 * the chart has nothing to draw for this reader (no street of his own); VE_NOTFOUND for
 * an unknown chart, VE_DENIED when its set is not his to read, VE_DB. */
static int chart_build(struct db *db, const struct principal *by, enum chart_kind kind,
		       const char *key, int year, const json_t *stats, struct chart_data *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	snprintf(d->id, sizeof(d->id), "%s-%s", kind_names[kind], key);
	const struct figure *f = NULL;
	int rc = 0;
	if (kind == KIND_SHARE) {
		const struct share_def *s = share_find(key);
		if (!s || !(d->set = share_set(s)))
			return VE_NOTFOUND;
		if (!may_read(by, d->set))
			return VE_DENIED;
		json_t *own = NULL;
		if (!stats && (rc = figure_stats(db, by, d->set, year, &own)) != 0)
			return rc;
		share_items(s, stats ? stats : own, d);
		json_decref(own);
		snprintf(d->title, sizeof(d->title), "%d 年%s", year, s->title);
		d->unit = s->unit;
		return d->n == 0 ? 1 : 0;
	}
	if (!(f = figure_lookup(key, &d->set)))
		return VE_NOTFOUND;
	if (!may_read(by, d->set))
		return VE_DENIED;
	d->unit = f->unit;
	if (kind == KIND_MONTH) {
		const char *column = figure_month_column(key);
		int64_t m[12];
		if (!column || (rc = figure_by_month(db, by, f, year, column, m)) == VE_INVALID)
			return VE_NOTFOUND;
		if (rc)
			return rc;
		for (int i = 0; i < 12; i++)
			add_item(d, chart_month_labels[i], m[i]);
		snprintf(d->title, sizeof(d->title), "%d 年%s（按月，%s）", year, f->title,
			 f->unit);
		return 0;
	}
	int listed = 0;
	for (size_t i = 0; by_street[i] && !listed; i++)
		listed = strcmp(by_street[i], key) == 0;
	if (!listed)
		return VE_NOTFOUND;
	if ((rc = figure_by_street(db, by, f, year, street_value, d)) != 0)
		return rc;
	snprintf(d->title, sizeof(d->title), "%d 年%s（按街道，%s）", year, f->title, f->unit);
	return d->n == 0 ? 1 : 0;
}

static int draw(struct buf *out, const struct chart_data *d)
{
	struct chart c = {d->id, d->title, d->unit, d->items, d->n};
	switch (d->kind) {
	case KIND_MONTH:
		return chart_svg_columns(out, &c);
	case KIND_STREET:
		return chart_svg_bars(out, &c);
	default:
		return chart_svg_shares(out, &c);
	}
}

/* The chart as the page shows it: its image, its words for those who don't see it, and the
 * table of its figures. */
static json_t *chart_json(const struct chart_data *d, int year)
{
	struct chart c = {d->id, d->title, d->unit, d->items, d->n};
	struct buf words;
	buf_init(&words, 64 * 1024);
	chart_describe(&words, &c, d->kind == KIND_SHARE);
	char src[160];
	snprintf(src, sizeof(src), "/dashboard/chart?year=%d&kind=%s&key=%s", year,
		 kind_names[d->kind], strchr(d->id, '-') + 1);
	json_t *rows = json_array();
	int64_t total = 0;
	for (size_t i = 0; i < d->n; i++)
		total += d->items[i].value;
	for (size_t i = 0; i < d->n; i++) {
		json_t *r = json_pack("{s:s,s:I}", "label", d->items[i].label, "value",
				      (json_int_t)d->items[i].value);
		if (d->kind == KIND_SHARE) {
			char pct[16];
			chart_percent_text(chart_permil(d->items[i].value, total), pct);
			json_object_set_new(r, "share", json_string(pct));
		}
		json_array_append_new(rows, r);
	}
	static const char *const heads[] = {"月份", "街道", "构成"};
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:b}", "id", d->id, "title",
			      d->title, "src", src, "alt", buf_cstr(&words), "unit", d->unit,
			      "head", heads[d->kind], "rows", rows, "total", (json_int_t)total,
			      "shares", d->kind == KIND_SHARE);
	if (d->overflow)
		json_object_set_new(o, "cut", json_integer(CHART_ITEMS_MAX));
	buf_free(&words);
	return o;
}

/* ---- the figures ---- */

/* The year's figure sets by reads, each {area,title,figures[+href],rates[+shown]}, in
 * area_list's order; with charts (for the page) when charts is set. */
static int areas_of(struct db *db, const struct principal *by, int year, int charts, json_t **out)
{
	json_t *list = json_array();
	int rc = 0;
	for (const struct area *const *a = area_list; !rc && *a; a++) {
		const struct figure_set *set = (*a)->figures;
		if (!may_read(by, set))
			continue;
		json_t *s = NULL;
		if ((rc = figures_of_year(db, by, set, year, &s)) != 0)
			break;
		if (charts) {
			json_t *cs = json_array();
			struct chart_data *d = malloc(sizeof(*d));
			const struct figure_set *of = NULL;
			for (const struct figure_month *fm = figure_months; !rc && fm->key; fm++) {
				if (!figure_lookup(fm->key, &of) || of != set)
					continue;
				int r = chart_build(db, by, KIND_MONTH, fm->key, year, NULL, d);
				if (r == 0)
					json_array_append_new(cs, chart_json(d, year));
				else if (r == VE_DB)
					rc = r;
			}
			for (size_t k = 0; !rc && by_street[k]; k++) {
				if (!figure_lookup(by_street[k], &of) || of != set)
					continue;
				int r = chart_build(db, by, KIND_STREET, by_street[k], year, NULL,
						    d);
				if (r == 0)
					json_array_append_new(cs, chart_json(d, year));
				else if (r == VE_DB)
					rc = r;
			}
			for (size_t k = 0; !rc && k < N_SHARES; k++) {
				if (share_set(&shares[k]) != set)
					continue;
				if (chart_build(db, by, KIND_SHARE, shares[k].name, year, s, d) ==
				    0)
					json_array_append_new(cs, chart_json(d, year));
			}
			free(d);
			json_object_set_new(s, "charts", cs);
		}
		json_array_append_new(list, s);
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int this_year(void)
{
	return atoi(clock_today_text());
}

static const char *scope_words(const struct principal *by)
{
	switch (by->scope.kind) {
	case SCOPE_ALL:
		return "全区";
	case SCOPE_SELF:
		return "本人经办的记录";
	default:
		return NULL; /* his organisation's region: named by the page */
	}
}

static int render(struct request *req, struct reply *rep, int year)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *areas = NULL;
	int rc = areas_of(db, &req->user, year, 1, &areas);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "年份无效" : NULL);
	int first = 0, now = this_year();
	if (dashboard_first_year(db, &first)) {
		json_decref(areas);
		return reply_area_error(req, rep, VE_DB, NULL);
	}
	if (first <= 0 || first > now)
		first = now;
	if (first < now - 30)
		first = now - 30;
	json_t *years = json_array();
	if (year > now)
		json_array_append_new(years, json_integer(year));
	for (int y = now; y >= first; y--)
		json_array_append_new(years, json_integer(y));
	if (year < first)
		json_array_append_new(years, json_integer(year));
	char as_of[11];
	figure_as_of(year, as_of);
	const char *scope = scope_words(&req->user);
	char scope_text[192];
	snprintf(scope_text, sizeof(scope_text), "%s", scope ? scope : req->user.org_name);
	json_t *page = json_pack("{s:i,s:o,s:s,s:s,s:o}", "year", year, "years", years, "as_of",
				 as_of, "scope", scope_text, "areas", areas);
	char title[64];
	snprintf(title, sizeof(title), "统计看板");
	return reply_page(req, rep, 200, "dashboard/index", title, page);
}

int dashboard_areas(struct db *db, const struct principal *by, int year, json_t **out)
{
	return areas_of(db, by, year, 1, out);
}

static int handle_dashboard(struct request *req, struct reply *rep)
{
	return render(req, rep, (int)params_int(req, "year", this_year()));
}

static int kind_of(const char *name)
{
	for (int k = 0; k < 3; k++)
		if (name && strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

static int handle_chart(struct request *req, struct reply *rep)
{
	int kind = kind_of(params_text(req, "kind"));
	if (kind < 0 || !params_text(req, "key") || !*params_text(req, "key"))
		return reply_area_error(req, rep, VE_NOTFOUND, "没有这一图表");
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", this_year());
	struct chart_data *d = malloc(sizeof(*d));
	int rc = chart_build(db, &req->user, (enum chart_kind)kind, params_text(req, "key"), year,
			     NULL, d);
	if (rc == 1 || rc == VE_NOTFOUND) {
		free(d);
		return reply_area_error(req, rep, VE_NOTFOUND, "没有这一图表");
	}
	if (rc) {
		free(d);
		return reply_area_error(req, rep, rc, NULL);
	}
	buf_reset(&rep->body);
	rc = draw(&rep->body, d);
	free(d);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	rep->status = 200;
	rep->content_type = "image/svg+xml; charset=utf-8";
	return 0;
}

static int handle_api(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = (int)params_int(req, "year", this_year());
	json_t *areas = NULL;
	int rc = areas_of(db, &req->user, year, 0, &areas);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	char as_of[11];
	figure_as_of(year, as_of);
	return reply_json(rep, 200,
			  json_pack("{s:i,s:s,s:o}", "year", year, "as_of", as_of, "areas", areas));
}

static const struct param_spec year_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	PARAM_END,
};

static const struct param_spec chart_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	/* not required: a request that names no chart is answered as one naming none there is */
	{"kind", "图表类型", PK_WORD, 0, 1, 16, 0},
	{"key", "统计项", PK_WORD, 0, 1, 64, 0},
	PARAM_END,
};

#define READ PERM_DASHBOARD_READ

static const struct route routes[] = {
	{"GET", "/dashboard", handle_dashboard, READ, 0, year_params, 0},
	{"GET", "/dashboard/chart", handle_chart, READ, 0, chart_params, 0},
	{"GET", "/api/v1/dashboard", handle_api, READ, ROUTE_API, year_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{5, "/dashboard", "统计看板", READ},
	{0},
};

const struct web_area dashboard_web = {
	.name = "dashboard",
	.routes = routes,
	.nav = nav,
};
