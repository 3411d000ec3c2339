/* figures.c - the pages of an area's year figures and of the rows behind each (figures.h). */
#include "web/figures.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 50

const struct param_spec figures_params[] = {
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	PARAM_END,
};

const struct param_spec figures_list_params[] = {
	{"key", "统计项", PK_WORD, 1, 1, 64, 0},
	{"year", "年份", PK_INT, 0, 1950, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static int year_of(const struct request *req)
{
	return (int)params_int(req, "year", atoi(clock_today_text()));
}

/* A rate's value as the page shows it: "98.5%", or "—" when it has none. */
static json_t *rate_shown(const json_t *value)
{
	char t[32] = "—";
	if (json_is_number(value))
		snprintf(t, sizeof(t), "%.1f%%", json_number_value(value));
	return json_string(t);
}

int figures_of_year(struct db *db, const struct principal *by, const struct figure_set *set,
		    int year, json_t **out)
{
	json_t *s = NULL;
	int rc = figure_stats(db, by, set, year, &s);
	if (rc)
		return rc;
	size_t i;
	json_t *f;
	char href[160];
	json_array_foreach(json_object_get(s, "figures"), i, f) {
		figure_list_href(set, json_string_value(json_object_get(f, "key")), year, href,
				 sizeof(href));
		json_object_set_new(f, "href", json_string(href));
	}
	json_array_foreach(json_object_get(s, "rates"), i, f)
		json_object_set_new(f, "shown", rate_shown(json_object_get(f, "value")));
	snprintf(href, sizeof(href), "/%s/stats?year=%d", set->area, year);
	json_object_set_new(s, "stats_href", json_string(href));
	*out = s;
	return 0;
}

int figures_page(struct request *req, struct reply *rep, const struct figure_set *set)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = year_of(req);
	json_t *s = NULL;
	int rc = figures_of_year(db, &req->user, set, year, &s);
	if (rc)
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "年份无效" : NULL);
	json_object_set_new(s, "base", json_sprintf("/%s/stats", set->area));
	char title[96];
	snprintf(title, sizeof(title), "%s统计", set->title);
	return reply_page(req, rep, 200, "figures/stats", title, s);
}

/* One row of the list as the page's cells, in the columns' order. */
struct list_ctx {
	json_t *columns, *rows;
};

static int add_row(void *ctx, json_t *o)
{
	struct list_ctx *c = ctx;
	json_t *cells = json_array();
	size_t i;
	json_t *col;
	json_array_foreach(c->columns, i, col) {
		json_t *v = json_object_get(o, json_string_value(json_object_get(col, "key")));
		json_array_append_new(cells, json_is_null(v) || !v ? json_string("") : json_deep_copy(v));
	}
	json_array_append_new(c->rows, cells);
	return 0;
}

int figures_list_page(struct request *req, struct reply *rep, const struct figure_set *set)
{
	const struct figure *f = figure_find(set, params_text(req, "key"));
	if (!f)
		return reply_area_error(req, rep, VE_NOTFOUND, "没有这一统计项");
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	int year = year_of(req);
	int64_t page = params_int(req, "page", 1), total = 0;
	struct list_ctx c = {figure_columns(f), json_array()};
	int rc = figure_list(db, &req->user, f, year, (page - 1) * PER_PAGE, PER_PAGE, &total,
			     add_row, &c);
	if (rc) {
		json_decref(c.columns);
		json_decref(c.rows);
		return reply_area_error(req, rep, rc, rc == VE_INVALID ? "年份无效" : NULL);
	}
	char as_of[11];
	figure_as_of(year, as_of);
	json_t *data = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:I,s:o,s:o}", "area", set->area,
				 "key", f->key, "title", f->title, "unit", f->unit, "definition",
				 f->definition, "year", year, "as_of", as_of, "total",
				 (json_int_t)total, "columns", c.columns, "rows", c.rows);
	size_t i;
	json_t *col;
	json_array_foreach(c.columns, i, col)
		if (f->sum_column &&
		    strcmp(json_string_value(json_object_get(col, "key")), f->sum_column) == 0)
			json_object_set(data, "sum_column", json_object_get(col, "title"));
	char href[160];
	snprintf(href, sizeof(href), "/%s/stats?year=%d", set->area, year);
	char parent[96];
	snprintf(parent, sizeof(parent), "%s统计", set->title);
	json_object_set_new(data, "crumbs",
			    json_pack("[{s:s,s:s}]", "title", parent, "href", href));
	json_object_set_new(data, "stats_href", json_string(href));
	snprintf(href, sizeof(href), "/%s/stats/list?key=%s&year=%d&", set->area, f->key, year);
	json_object_set_new(data, "pager", page_pager(page, PER_PAGE, total, href));
	return reply_page(req, rep, 200, "figures/list", f->title, data);
}
