/* figure.c - the year figures of an area and the rows behind each (figure.h). */
#include "figure.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/account.h"
#include "areas/area.h"
#include "areas/region.h"
#include "areas/scope.h"
#include "db/db.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

const struct figure_set *figure_set_find(const char *area)
{
	for (const struct area *const *a = area_list; area && *a; a++)
		if ((*a)->figures && strcmp((*a)->figures->area, area) == 0)
			return (*a)->figures;
	return NULL;
}

const struct figure *figure_find(const struct figure_set *set, const char *key)
{
	for (const struct figure *f = set->figures; key && f->key; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

const struct figure *figure_lookup(const char *key, const struct figure_set **set)
{
	for (const struct area *const *a = area_list; key && *a; a++) {
		const struct figure *f = (*a)->figures ? figure_find((*a)->figures, key) : NULL;
		if (f) {
			if (set)
				*set = (*a)->figures;
			return f;
		}
	}
	return NULL;
}

const struct figure_rate *figure_rate_lookup(const char *key, const struct figure_set **set)
{
	for (const struct area *const *a = area_list; key && *a; a++)
		for (const struct figure_rate *r = (*a)->figures ? (*a)->figures->rates : NULL;
		     r && r->key; r++)
			if (strcmp(r->key, key) == 0) {
				if (set)
					*set = (*a)->figures;
				return r;
			}
	return NULL;
}

const struct figure_month figure_months[] = {
	{"benefit_payments", "period"},
	{"holiday_visits", "visited_on"},
	{"applications_accepted", "accepted_on"},
	{"petitions_received", "received_on"},
	{"job_fairs", "held_on"},
	{"shuangyong_activities", "held_on"},
	{"pufa_events", "held_on"},
	{NULL, NULL},
};

const char *figure_month_column(const char *key)
{
	for (const struct figure_month *m = figure_months; key && m->key; m++)
		if (strcmp(m->key, key) == 0)
			return m->column;
	return NULL;
}

void figure_list_href(const struct figure_set *set, const char *key, int year, char *out,
		      size_t size)
{
	snprintf(out, size, "/%s/stats/list?key=%s&year=%d", set->area, key, year);
}

void figure_as_of(int year, char out[11])
{
	char end[11];
	snprintf(end, sizeof(end), "%04d-12-31", year);
	const char *today = clock_today_text();
	str_copy(out, strcmp(today, end) < 0 ? today : end, 11);
}

/* The values of k (FIGURE_K_) for a year and reader. */
struct figure_k {
	char ys[11], ye[11], asof[11];
	int64_t year;
};

static int k_of(int year, struct figure_k *k)
{
	if (year < 1950 || year > 2100)
		return VE_INVALID;
	snprintf(k->ys, sizeof(k->ys), "%04d-01-01", year);
	snprintf(k->ye, sizeof(k->ye), "%04d-12-31", year);
	figure_as_of(year, k->asof);
	k->year = year;
	return 0;
}

#define K_FMT "sssiisi"
#define K_ARGS(k, by)                                                                              \
	(k)->ys, (k)->ye, (k)->asof, (k)->year, (int64_t)(by)->scope.kind, (by)->region_code,      \
		(by)->scope.user_id

/* The figure's number of rows and value. 0 or VE_DB. */
static int count(struct db *db, const struct principal *by, const struct figure *f,
		 const struct figure_k *k, int64_t *rows, int64_t *value)
{
	struct db_stmt *st = db_q(db, f->count_sql, K_FMT, K_ARGS(k, by));
	int rc = st && db_step(st) == DB_ROW ? 0 : VE_DB;
	if (!rc) {
		*rows = db_int(st, 0);
		*value = db_int(st, 1);
	}
	db_done(st);
	return rc;
}

int figure_value(struct db *db, const struct principal *by, const struct figure *figure, int year,
		 int64_t *rows, int64_t *value)
{
	struct figure_k k;
	int64_t r = 0, v = 0;
	if (k_of(year, &k))
		return VE_INVALID;
	int rc = db_begin_read(db) ? VE_DB : count(db, by, figure, &k, &r, &v);
	if (db_in_tx(db))
		db_rollback(db);
	if (rows)
		*rows = r;
	if (value)
		*value = v;
	return rc;
}

static json_t *rate(int64_t num, int64_t den)
{
	if (den <= 0)
		return json_null();
	return json_real((double)((num * 1000 + den / 2) / den) / 10.0);
}

static int64_t value_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

int figure_stats(struct db *db, const struct principal *by, const struct figure_set *set,
		 int year, json_t **out)
{
	struct figure_k k;
	if (k_of(year, &k))
		return VE_INVALID;
	json_t *o = json_pack("{s:s,s:s,s:i,s:s}", "area", set->area, "title", set->title, "year",
			      year, "as_of", k.asof);
	json_t *figures = json_array(), *rates = json_array();
	int rc = db_begin_read(db) ? VE_DB : 0;
	for (const struct figure *f = set->figures; !rc && f->key; f++) {
		int64_t rows = 0, value = 0;
		rc = count(db, by, f, &k, &rows, &value);
		json_object_set_new(o, f->key, json_integer(value));
		json_array_append_new(figures, json_pack("{s:s,s:s,s:s,s:s,s:I}", "key", f->key,
							 "title", f->title, "unit", f->unit,
							 "definition", f->definition, "value",
							 (json_int_t)value));
	}
	if (db_in_tx(db))
		db_rollback(db);
	for (const struct figure_rate *r = set->rates; !rc && r && r->key; r++) {
		json_t *v = rate(value_of(o, r->numerator), value_of(o, r->denominator));
		json_object_set(o, r->key, v);
		json_array_append_new(rates, json_pack("{s:s,s:s,s:s,s:o}", "key", r->key, "title",
						       r->title, "definition", r->definition,
						       "value", v));
	}
	json_object_set_new(o, "figures", figures);
	json_object_set_new(o, "rates", rates);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int column_at(const char *columns, int i, char key[64], char title[64]);

int figure_by_month(struct db *db, const struct principal *by, const struct figure *figure,
		    int year, const char *month_column, int64_t out[12])
{
	struct figure_k k;
	char key[64], title[64];
	int known = 0;
	for (int i = 0; !known && column_at(figure->columns, i, key, title) == 0; i++)
		known = strcmp(key, month_column) == 0;
	if (!known || k_of(year, &k))
		return VE_INVALID;
	/* Built from the registry's own text: month_column is one of its columns. */
	char sql[8192];
	int n = snprintf(sql, sizeof(sql),
			 FIGURE_K_ "SELECT substr(r.%s, 1, 7) AS month, %s%s%s FROM (%s) r "
				   "GROUP BY substr(r.%s, 1, 7)",
			 month_column, figure->sum_column ? "coalesce(sum(r." : "count(*)",
			 figure->sum_column ? figure->sum_column : "",
			 figure->sum_column ? "), 0)" : "", figure->rows_sql, month_column);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return VE_INVALID;
	memset(out, 0, 12 * sizeof(*out));
	if (db_begin_read(db))
		return VE_DB;
	struct db_stmt *st = db_q_text(db, sql, K_FMT, K_ARGS(&k, by));
	int step = st ? DB_DONE : -1;
	while (st && (step = db_step(st)) == DB_ROW) {
		const char *m = db_text(st, 0);
		int month = m && strlen(m) == 7 && atoi(m) == year ? atoi(m + 5) : 0;
		if (month >= 1 && month <= 12)
			out[month - 1] += db_int(st, 1);
	}
	db_done(st);
	db_rollback(db);
	return step == DB_DONE ? 0 : VE_DB;
}

int figure_by_street(struct db *db, const struct principal *by, const struct figure *figure,
		     int year, void (*fn)(void *ctx, const char *code, const char *name,
					 int64_t value),
		     void *ctx)
{
	json_t *tree = NULL;
	if (year < 1950 || year > 2100)
		return VE_INVALID;
	if (by->scope.kind == SCOPE_SELF)
		return 0; /* his own records have no street of their own */
	if (region_tree_for(db, by, &tree))
		return VE_DB;
	int rc = json_array_size(tree) > FIGURE_STREETS_MAX ? VE_LIMIT : 0;
	for (size_t i = 0; !rc && i < json_array_size(tree); i++) {
		json_t *street = json_array_get(tree, i);
		struct principal in_street = *by;
		in_street.scope.kind = SCOPE_ORG_TREE;
		str_copy(in_street.region_code,
			 json_string_value(json_object_get(street, "code")),
			 sizeof(in_street.region_code));
		int64_t value = 0;
		if ((rc = figure_value(db, &in_street, figure, year, NULL, &value)) == 0)
			fn(ctx, in_street.region_code,
			   json_string_value(json_object_get(street, "name")), value);
	}
	json_decref(tree);
	return rc;
}

/* The i-th "key:title" of columns into key and title; 0, or -1 past the end. */
static int column_at(const char *columns, int i, char key[64], char title[64])
{
	const char *p = columns;
	for (; i > 0 && p; i--)
		if ((p = strchr(p, ',')) != NULL)
			p++;
	if (!p || !*p)
		return -1;
	size_t n = strcspn(p, ",");
	const char *colon = memchr(p, ':', n);
	size_t kn = colon ? (size_t)(colon - p) : n;
	snprintf(key, 64, "%.*s", (int)kn, p);
	snprintf(title, 64, "%.*s", colon ? (int)(n - kn - 1) : (int)kn, colon ? colon + 1 : p);
	return 0;
}

json_t *figure_columns(const struct figure *figure)
{
	json_t *a = json_array();
	char key[64], title[64];
	for (int i = 0; column_at(figure->columns, i, key, title) == 0; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "key", key, "title", title));
	return a;
}

static json_t *row_object(struct db_stmt *st, const struct figure *f)
{
	json_t *o = json_object();
	char key[64], title[64];
	int n = db_column_count(st);
	for (int i = 0; i < n && column_at(f->columns, i, key, title) == 0; i++) {
		switch (db_column_kind(st, i)) {
		case DB_NULL:
			json_object_set_new(o, key, json_null());
			break;
		case DB_INT:
			json_object_set_new(o, key, json_integer(db_int(st, i)));
			break;
		default:
			json_object_set_new(o, key, json_string(db_text(st, i) ? db_text(st, i) : ""));
		}
	}
	return o;
}

int figure_list(struct db *db, const struct principal *by, const struct figure *figure, int year,
		int64_t offset, int64_t limit, int64_t *total,
		int (*row)(void *ctx, json_t *object), void *ctx)
{
	struct figure_k k;
	if (k_of(year, &k) || offset < 0)
		return VE_INVALID;
	if (db_begin_read(db))
		return VE_DB;
	int64_t rows = 0, value = 0;
	int rc = total ? count(db, by, figure, &k, &rows, &value) : 0;
	if (!rc && total)
		*total = rows;
	struct db_stmt *st = rc ? NULL
				: db_q(db, figure->list_sql, K_FMT "ii", K_ARGS(&k, by),
				       limit < 0 ? INT64_MAX : limit, offset);
	if (!rc && !st)
		rc = VE_DB;
	int step = DB_DONE;
	while (!rc && (step = db_step(st)) == DB_ROW) {
		json_t *o = row_object(st, figure);
		rc = row(ctx, o);
		json_decref(o);
	}
	if (!rc && step != DB_DONE)
		rc = VE_DB;
	db_done(st);
	db_rollback(db);
	return rc;
}
