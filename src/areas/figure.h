/* figure.h - a statistic defined by the rows it counts.
 *
 * An area's year figures are a `struct figure_set` it names in its `struct area`
 * (.figures). Each figure is one SELECT of the rows it counts (FIGURE_ROWS_SQL below);
 * the figure is the number of those rows, or the sum of one of their columns, and its
 * list is those same rows: a figure and its list can't disagree. `vets stats AREA --year Y
 * [--list KEY]` and the pages `/AREA/stats` and `/AREA/stats/list` (web/figures.h) read
 * every set the same way.
 *
 * The rows' SQL may use the one-row table k, set for every query:
 *   k.ys, k.ye  the year's first and last day ('YYYY-MM-DD'),
 *   k.asof      the day the figures are as of: today in the current year, the year's last
 *               day for a past one (a deadline is "passed" when it is < k.asof),
 *   k.year      the year (an integer),
 * and must narrow its rows to the reader's data scope with FIGURE_SCOPE(region column,
 * creator column) of the table that carries the row's place. */
#ifndef VETS_FIGURE_H
#define VETS_FIGURE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct principal;
struct perm;

/* The scope condition over a row of region_col created by owner_col (areas/scope.h). */
#define FIGURE_SCOPE(region_col, owner_col)                                                        \
	"(k.sk = 0 OR (k.sk IN (1, 2) AND substr(" region_col ", 1, length(k.sr)) = k.sr) OR "     \
	"(k.sk = 3 AND " owner_col " = k.su))"

struct figure {
	const char *key;        /* its JSON key: "officers_placed" */
	const char *title;      /* 军转干部已安置 */
	const char *unit;       /* 人, 人次, 项, 场, 家, 个, 份, 篇, 件, 元 (rates: %) */
	const char *definition; /* which rows count, which statuses, which dates; 人 or 人次 */
	/* Built by FIGURE_ROWS / FIGURE_SUM from the SELECT of the rows it counts, whose
	 * columns are named (AS) and described by columns below: count_sql answers (number of
	 * rows, figure), list_sql the rows (then LIMIT, OFFSET). */
	const char *count_sql, *list_sql;
	/* Its list's columns, "key:标题" separated by commas, in the SELECT's order:
	 * "person_id:人员编号,name:姓名,visited_on:走访日期". */
	const char *columns;
	const char *sum_column; /* NULL: the figure counts rows; else it sums this column */
	const char *rows_sql;   /* the SELECT of its rows alone (k as above): for breakdowns */
};

#define FIGURE_K_                                                                                  \
	"WITH k AS (SELECT ? AS ys, ? AS ye, ? AS asof, ? AS year, ? AS sk, ? AS sr, ? AS su) "
/* A figure that counts the rows of rows_sql (a SELECT without ORDER BY), listed in
 * order_by (over the columns' names; total: end with the first column). */
#define FIGURE_ROWS(key, title, unit, definition, rows_sql, order_by, columns)                     \
	{key,                                                                                      \
	 title,                                                                                    \
	 unit,                                                                                     \
	 definition,                                                                               \
	 FIGURE_K_ "SELECT count(*), count(*) FROM (" rows_sql ") r",                              \
	 FIGURE_K_ "SELECT * FROM (" rows_sql ") r ORDER BY " order_by " LIMIT ? OFFSET ?",        \
	 columns,                                                                                  \
	 NULL,                                                                                     \
	 rows_sql}
/* A figure that sums column sum_col (an integer) of the rows of rows_sql: positions (the
 * sum of each position's count), brochures (copies). Its list holds the rows summed. */
#define FIGURE_SUM(key, title, unit, definition, rows_sql, order_by, columns, sum_col)             \
	{key,                                                                                      \
	 title,                                                                                    \
	 unit,                                                                                     \
	 definition,                                                                               \
	 FIGURE_K_ "SELECT count(*), coalesce(sum(r." sum_col "), 0) FROM (" rows_sql ") r",      \
	 FIGURE_K_ "SELECT * FROM (" rows_sql ") r ORDER BY " order_by " LIMIT ? OFFSET ?",        \
	 columns,                                                                                  \
	 sum_col,                                                                                  \
	 rows_sql}

/* A rate between two figures of the set: numerator ÷ denominator (unit %): a percentage
 * with one decimal in figure_stats, a fraction 0-1 in the report; null when the
 * denominator is 0. */
struct figure_rate {
	const char *key, *title, *definition, *numerator, *denominator;
};

struct figure_set {
	const char *area;               /* "placement": vets stats placement, /placement/stats */
	const char *title;              /* 安置 */
	const struct perm *perm;        /* who reads the figures and their lists */
	const struct figure *figures;   /* ends with {0} */
	const struct figure_rate *rates; /* ends with {0}, or NULL */
	/* The annual report's default paragraph for the area (一、主要举措和成效): Chinese text
	 * where {key} stands for the value of figure or rate key of any set; staff edit it. */
	const char *paragraph;
};

/* The set named area among the areas' sets, or NULL. */
const struct figure_set *figure_set_find(const char *area);
/* The figure key of set, or NULL. */
const struct figure *figure_find(const struct figure_set *set, const char *key);
/* The registry: figure keys are unique across every set. The figure key of any set (and
 * in *set its set, when set is not NULL), or NULL; the rate key likewise. */
const struct figure *figure_lookup(const char *key, const struct figure_set **set);
const struct figure_rate *figure_rate_lookup(const char *key, const struct figure_set **set);
/* The page of the rows figure key of set counts in year (web/figures.h):
 * "/AREA/stats/list?key=KEY&year=YEAR" into out. */
void figure_list_href(const struct figure_set *set, const char *key, int year, char *out,
		      size_t size);
/* The day the year's figures are as of (today, or the year's last day when that is
 * earlier) into out[11]. */
void figure_as_of(int year, char out[11]);

/* The year's figures of set as the reader sees them (his data scope):
 * {"area","title","year","as_of", <key>: n..., <rate key>: x.y|null...,
 *  "figures": [{"key","title","unit","definition","value"}...],
 *  "rates": [{"key","title","definition","value"}...]}.
 * 0, VE_INVALID (a year outside 1950-2100) or VE_DB. */
int figure_stats(struct db *db, const struct principal *by, const struct figure_set *set,
		 int year, json_t **out);

/* One figure's value for the year as by sees it into *value (*rows: its number of rows;
 * either may be NULL). 0, VE_INVALID or VE_DB. */
int figure_value(struct db *db, const struct principal *by, const struct figure *figure, int year,
		 int64_t *rows, int64_t *value);

/* The figures whose rows fall in months, each with the column whose first 7 characters
 * ('YYYY-MM') date a row: what the dashboard and the report chart by month. Ends with {0}. */
struct figure_month {
	const char *key, *column;
};
extern const struct figure_month figure_months[];
/* The month column of figure key among figure_months, or NULL. */
const char *figure_month_column(const char *key);

/* Breakdowns for the dashboard's charts (figure_breakdown.c), as by sees them:
 * the figure's value by month into out[12], the month of a row being the first 7
 * characters ('YYYY-MM') of its column month_column (one of its columns' keys); */
int figure_by_month(struct db *db, const struct principal *by, const struct figure *figure,
		    int year, const char *month_column, int64_t out[12]);
/* its value in each street of by's scope (every street for a district-wide reader):
 * fn(ctx, street code, street name, value) in code order. One count a street: a scope of
 * more than FIGURE_STREETS_MAX streets (more bars than a chart shows) is VE_LIMIT, nothing
 * counted. 0, VE_INVALID, VE_LIMIT or VE_DB. */
#define FIGURE_STREETS_MAX 64
int figure_by_street(struct db *db, const struct principal *by, const struct figure *figure,
		     int year, void (*fn)(void *ctx, const char *code, const char *name,
					 int64_t value),
		     void *ctx);

/* Calls row(ctx, object) for the rows figure counts (objects keyed by its columns;
 * integers as numbers, the rest as text, NULL as null), from offset, at most limit
 * (-1: all), in its order; row's nonzero return stops the walk and is returned.
 * *total (may be NULL) gets the figure's number of rows. 0, VE_INVALID or VE_DB. */
int figure_list(struct db *db, const struct principal *by, const struct figure *figure, int year,
		int64_t offset, int64_t limit, int64_t *total,
		int (*row)(void *ctx, json_t *object), void *ctx);

/* The columns of figure as [{"key","title"}...]. */
json_t *figure_columns(const struct figure *figure);

#endif
