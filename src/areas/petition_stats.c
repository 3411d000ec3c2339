/* petition_stats.c - the year's figures of 信访 and the records behind each: one SQL
 * condition per figure, used both to count it and to list what it counts, so that a
 * list's length is its figure. Also the desk's list and the mailbox's published replies. */
#include "petition.h"
#include "petition_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

/* ---- the definitions ---- */

/* Each over a petition p joined to k (ys, ye: the year's first and last day; asof). */
#define RECEIVED_SQL PETITION_RECEIVED_SQL
#define NOT_ACCEPTED_SQL "p.accepted = 0"
#define ACCEPTED_SQL PETITION_ACCEPTED_SQL
#define ACCEPTED_LATE_SQL "p.accepted = 1 AND p.decided_on > p.decide_by"
#define CLOSED_SQL PETITION_CLOSED_SQL
#define ON_TIME_SQL CLOSED_SQL " AND p.closed_on <= p.due_on"
#define DUE_SQL "p.accepted = 1 AND (p.closed_on <= k.asof OR p.due_on < k.asof)"
#define REPLIED_SQL PETITION_REPLIED_SQL

const char *const petition_figures[PETITION_N_FIGURES] = {
	"received", "not_accepted", "accepted", "accepted_late",
	"closed",   "closed_on_time", "due",    "replied"};

static const char *const figure_titles[PETITION_N_FIGURES] = {
	"收到", "不予受理", "受理", "逾期受理", "办结", "按期办结", "应办结", "已答复"};

static const char *const figure_definitions[PETITION_N_FIGURES] = {
	"收到日期在本年的信访件（件次）",
	"其中受理结论为不予受理的",
	"其中受理结论为受理的",
	"受理的、受理日期晚于收到日期 15 日以上的",
	"受理的、办结日期不晚于统计截止日的",
	"已办结的、办结日期不晚于受理日期 + 60 日 + 延期天数的",
	"受理的、已办结或截至统计截止日已超过办理期限（受理日期 + 60 日 + 延期天数）的",
	"受理的、答复日期不晚于统计截止日的"};

int petition_figure_index(const char *figure)
{
	for (int i = 0; figure && i < PETITION_N_FIGURES; i++)
		if (strcmp(figure, petition_figures[i]) == 0)
			return i;
	return -1;
}

const char *petition_figure_title(const char *figure)
{
	int i = petition_figure_index(figure);
	return i < 0 ? figure : figure_titles[i];
}

const char *petition_figure_definition(const char *figure)
{
	int i = petition_figure_index(figure);
	return i < 0 ? "" : figure_definitions[i];
}

void petition_default_as_of(int year, char out[11])
{
	char end[11];
	snprintf(end, sizeof(end), "%04d-12-31", year);
	const char *today = clock_today_text();
	str_copy(out, strcmp(today, end) < 0 ? today : end, 11);
}

/* The year's bounds and as-of (given or the default) into k: 0 or VE_INVALID. */
struct bounds {
	char ys[11], ye[11], asof[11];
};

static int bounds_of(int year, const char *as_of, struct bounds *k)
{
	if (year < 1950 || year > 2100)
		return VE_INVALID;
	snprintf(k->ys, sizeof(k->ys), "%04d-01-01", year);
	snprintf(k->ye, sizeof(k->ye), "%04d-12-31", year);
	if (as_of && *as_of) {
		if (!petition_date_valid(as_of))
			return VE_INVALID;
		str_copy(k->asof, as_of, sizeof(k->asof));
	} else
		petition_default_as_of(year, k->asof);
	return 0;
}

#define K_SQL "CROSS JOIN (SELECT ? AS ys, ? AS ye, ? AS asof) k "
#define SCOPED SCOPE_REGION_SQL("p.region_code", "p.created_by")

static json_t *rate(int64_t num, int64_t den)
{
	if (den == 0)
		return json_null();
	return json_real((double)((num * 1000 + den / 2) / den) / 10.0);
}

/* ---- the figures computed once per version of the petitions ---- */

/* The figures last computed for a scope, year and as-of, and the version they are of:
 * every write raises the version (petition_bump), so a kept answer is exactly what a new
 * count would give. Shared by the server's threads. */
#define CACHE_SLOTS 64
static struct {
	char key[128];
	int64_t version;
	json_t *figures;
} cache[CACHE_SLOTS];
static unsigned cache_next;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static json_t *cache_get(const char *key, int64_t version)
{
	json_t *found = NULL;
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < CACHE_SLOTS && !found; i++)
		if (cache[i].figures && cache[i].version == version && strcmp(cache[i].key, key) == 0)
			found = json_deep_copy(cache[i].figures);
	pthread_mutex_unlock(&cache_lock);
	return found;
}

static void cache_put(const char *key, int64_t version, const json_t *figures)
{
	pthread_mutex_lock(&cache_lock);
	int slot = -1;
	for (int i = 0; i < CACHE_SLOTS && slot < 0; i++)
		if (cache[i].figures && strcmp(cache[i].key, key) == 0)
			slot = i;
	if (slot < 0)
		slot = (int)(cache_next++ % CACHE_SLOTS);
	json_decref(cache[slot].figures);
	str_copy(cache[slot].key, key, sizeof(cache[slot].key));
	cache[slot].version = version;
	cache[slot].figures = json_deep_copy(figures);
	pthread_mutex_unlock(&cache_lock);
}

static int count_figures(struct db *db, const struct principal *by, const struct bounds *k,
			 int year, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT count(*), count(*) FILTER (WHERE " NOT_ACCEPTED_SQL "), count(*) FILTER (WHERE "
		ACCEPTED_SQL "), count(*) FILTER (WHERE " ACCEPTED_LATE_SQL "), count(*) FILTER "
		"(WHERE " CLOSED_SQL "), count(*) FILTER (WHERE " ON_TIME_SQL "), count(*) FILTER "
		"(WHERE " DUE_SQL "), count(*) FILTER (WHERE " REPLIED_SQL "), coalesce(sum(CASE WHEN "
		CLOSED_SQL " THEN p.close_days ELSE 0 END), 0) FROM petitions p " K_SQL
		"WHERE " RECEIVED_SQL " AND " SCOPED,
		"sss" SCOPE_REGION_FMT, k->ys, k->ye, k->asof,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	int rc = VE_DB;
	int64_t v[PETITION_N_FIGURES] = {0}, days = 0;
	if (st && db_step(st) == DB_ROW) {
		for (int i = 0; i < PETITION_N_FIGURES; i++)
			v[i] = db_int(st, i);
		days = db_int(st, 8);
		rc = 0;
	}
	db_done(st);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:i,s:s}", "year", year, "as_of", k->asof);
	for (int i = 0; i < PETITION_N_FIGURES; i++)
		json_object_set_new(o, petition_figures[i], json_integer(v[i]));
	json_object_set_new(o, "avg_days",
			    v[4] ? json_real((double)((days * 10 + v[4] / 2) / v[4]) / 10.0)
				 : json_null());
	json_object_set_new(o, "close_rate", rate(v[4], v[2]));
	json_object_set_new(o, "on_time_rate", rate(v[5], v[6]));
	json_object_set_new(o, "reply_rate", rate(v[7], v[2]));
	*out = o;
	return 0;
}

int petition_stats(struct db *db, const struct principal *by, int year, const char *as_of,
		   json_t **out)
{
	struct bounds k;
	if (bounds_of(year, as_of, &k))
		return VE_INVALID;
	char key[96];
	snprintf(key, sizeof(key), "%d|%s|%lld|%d|%s", (int)by->scope.kind, by->region_code,
		 (long long)(by->scope.kind == SCOPE_SELF ? by->user_id : 0), year, k.asof);
	if (db_begin_read(db))
		return VE_DB;
	int64_t version = -1;
	int rc = db_int_query(db, &version, -1,
			      "SELECT version FROM petition_version WHERE id = 1", "");
	*out = rc ? NULL : cache_get(key, version);
	if (!rc && !*out) {
		rc = count_figures(db, by, &k, year, out);
		if (!rc && version >= 0)
			cache_put(key, version, *out);
	}
	db_rollback(db);
	return rc;
}

/* ---- lists ---- */

static json_t *row_json(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
			      "code", db_text(st, 1), "source", db_text(st, 2), "status",
			      db_text(st, 3), "name", db_text(st, 4), "subject", db_text(st, 5),
			      "received_on", db_text(st, 6));
	static const char *const dates[] = {"decided_on", "due_on", "closed_on", "replied_on"};
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, dates[i],
				    db_is_null(st, 7 + i) ? json_null()
							  : json_string(db_text(st, 7 + i)));
	json_object_set_new(o, "flag", json_string(db_text(st, 11)));
	return o;
}

#define LIST_COLS                                                                                  \
	"p.id, p.code, p.source, p.status, p.name, p.subject, p.received_on, p.decided_on, "      \
	"p.due_on, p.closed_on, p.replied_on, p.flag"

/* The desk's filters, bound as status, status, source, source, overdue. */
#define DESK_SQL                                                                                   \
	"(? = '' OR p.status = ?) AND (? = '' OR p.source = ?) AND (? = 0 OR p.flag <> '')"

static int list_run(struct db *db, struct db_stmt *count, struct db_stmt *rows, json_t **out)
{
	if (!count || !rows) {
		db_done(count);
		db_done(rows);
		return VE_DB;
	}
	int64_t total = db_step(count) == DB_ROW ? db_int(count, 0) : 0;
	db_done(count);
	json_t *items = json_array();
	while (db_step(rows) == DB_ROW)
		json_array_append_new(items, row_json(rows));
	db_done(rows);
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

/* The records figure fig counts (the same conditions as petition_stats); binds fig 8
 * times. */
#define FIGURE_SQL                                                                                 \
	"(? = 0 OR (? = 1 AND " NOT_ACCEPTED_SQL ") OR (? = 2 AND " ACCEPTED_SQL ") OR (? = 3 AND " \
	ACCEPTED_LATE_SQL ") OR (? = 4 AND " CLOSED_SQL ") OR (? = 5 AND " ON_TIME_SQL ") OR "      \
	"(? = 6 AND " DUE_SQL ") OR (? = 7 AND " REPLIED_SQL "))"
#define FIG8(f) f, f, f, f, f, f, f, f

static int figure_list(struct db *db, const struct principal *by, const struct petition_filter *f,
		       int64_t fig, int64_t limit, int64_t offset, json_t **out)
{
	struct bounds k;
	if (bounds_of(f->year, f->as_of, &k))
		return VE_INVALID;
	const char *status = f->status ? f->status : "", *source = f->source ? f->source : "";
	if (db_begin_read(db))
		return VE_DB;
	struct db_stmt *c = db_q(
		db,
		"SELECT count(*) FROM petitions p " K_SQL "WHERE " RECEIVED_SQL " AND " SCOPED
		" AND " FIGURE_SQL " AND " DESK_SQL,
		"sss" SCOPE_REGION_FMT "iiiiiiii" "ssssi", k.ys, k.ye, k.asof,
		SCOPE_REGION_ARGS(&by->scope, by->region_code), FIG8(fig), status, status, source,
		source, (int64_t)f->overdue);
	struct db_stmt *r =
		c ? db_q(db,
			 "SELECT " LIST_COLS " FROM petitions p " K_SQL "WHERE " RECEIVED_SQL
			 " AND " SCOPED " AND " FIGURE_SQL " AND " DESK_SQL
			 " ORDER BY p.received_on DESC, p.id DESC LIMIT ? OFFSET ?",
			 "sss" SCOPE_REGION_FMT "iiiiiiii" "ssssiii", k.ys, k.ye, k.asof,
			 SCOPE_REGION_ARGS(&by->scope, by->region_code), FIG8(fig), status, status,
			 source, source, (int64_t)f->overdue, limit, offset)
		  : NULL;
	int rc = list_run(db, c, r, out);
	db_rollback(db);
	return rc;
}

/* The flagged: found through the flag's index (few, among many). */
#define FLAGGED_SQL "p.flag <> ''"
#define FILTERS_SQL "(? = '' OR p.status = ?) AND (? = '' OR p.source = ?)"

/* The flagged in by's scope with the list's filters, kept per version like the figures
 * (the rows themselves are a walk of an index). Inside the caller's read. */
static int flagged_count(struct db *db, const struct principal *by, const char *status,
			 const char *source, int64_t *total)
{
	char key[96];
	snprintf(key, sizeof(key), "o|%d|%s|%lld|%s|%s", (int)by->scope.kind, by->region_code,
		 (long long)(by->scope.kind == SCOPE_SELF ? by->user_id : 0), status, source);
	int64_t version = -1;
	int rc = db_int_query(db, &version, -1,
			      "SELECT version FROM petition_version WHERE id = 1", "");
	json_t *kept = rc ? NULL : cache_get(key, version);
	if (kept)
		*total = json_integer_value(kept);
	else if (!rc) {
		rc = db_int_query(db, total, 0,
				  "SELECT count(*) FROM petitions p WHERE " FLAGGED_SQL " AND " SCOPED
				  " AND " FILTERS_SQL,
				  SCOPE_REGION_FMT "ssss", SCOPE_REGION_ARGS(&by->scope, by->region_code),
				  status, status, source, source);
		if (!rc && version >= 0) {
			kept = json_integer(*total);
			cache_put(key, version, kept);
		}
	}
	json_decref(kept);
	return rc;
}

static int overdue_list(struct db *db, const struct principal *by, const char *status,
			const char *source, int64_t limit, int64_t offset, json_t **out)
{
	/* a page of it is kept per version too: the desk and the leaders ask for it often */
	char key[128];
	snprintf(key, sizeof(key), "l|%d|%s|%lld|%s|%s|%lld|%lld", (int)by->scope.kind,
		 by->region_code, (long long)(by->scope.kind == SCOPE_SELF ? by->user_id : 0),
		 status, source, (long long)limit, (long long)offset);
	if (db_begin_read(db))
		return VE_DB;
	int64_t total = 0, version = -1;
	int rc = db_int_query(db, &version, -1,
			      "SELECT version FROM petition_version WHERE id = 1", "");
	if (!rc && (*out = cache_get(key, version)) != NULL) {
		db_rollback(db);
		return 0;
	}
	if (!rc)
		rc = flagged_count(db, by, status, source, &total);
	struct db_stmt *r =
		rc ? NULL
		   : db_q(db,
			  "SELECT " LIST_COLS " FROM petitions p WHERE " FLAGGED_SQL " AND " SCOPED
			  " AND " FILTERS_SQL " ORDER BY p.received_on DESC, p.id DESC LIMIT ? OFFSET ?",
			  SCOPE_REGION_FMT "ssssii", SCOPE_REGION_ARGS(&by->scope, by->region_code),
			  status, status, source, source, limit, offset);
	if (r) {
		json_t *items = json_array();
		while (db_step(r) == DB_ROW)
			json_array_append_new(items, row_json(r));
		db_done(r);
		*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
		if (version >= 0)
			cache_put(key, version, *out);
	} else if (!rc)
		rc = VE_DB;
	db_rollback(db);
	return rc;
}

int petition_list(struct db *db, const struct principal *by, const struct petition_filter *f,
		  json_t **out)
{
	int64_t per = f->per_page > 0 && f->per_page <= 500 ? f->per_page : 20;
	int64_t page = f->page > 0 ? f->page : 1;
	if (f->figure && *f->figure) {
		int fig = petition_figure_index(f->figure);
		if (fig < 0)
			return VE_INVALID;
		return figure_list(db, by, f, fig, per, (page - 1) * per, out);
	}
	const char *status = f->status ? f->status : "", *source = f->source ? f->source : "";
	if (f->overdue)
		return overdue_list(db, by, status, source, per, (page - 1) * per, out);
	struct db_stmt *c = db_q(db,
				 "SELECT count(*) FROM petitions p WHERE " SCOPED " AND " DESK_SQL,
				 SCOPE_REGION_FMT "ssssi",
				 SCOPE_REGION_ARGS(&by->scope, by->region_code), status, status,
				 source, source, (int64_t)f->overdue);
	struct db_stmt *r =
		c ? db_q(db,
			 "SELECT " LIST_COLS " FROM petitions p WHERE " SCOPED " AND " DESK_SQL
			 " ORDER BY p.received_on DESC, p.id DESC LIMIT ? OFFSET ?",
			 SCOPE_REGION_FMT "ssssiii", SCOPE_REGION_ARGS(&by->scope, by->region_code),
			 status, status, source, source, (int64_t)f->overdue, per, (page - 1) * per)
		  : NULL;
	return list_run(db, c, r, out);
}

int petition_overdue_count(struct db *db, const struct principal *by, int64_t *n)
{
	*n = 0;
	if (db_begin_read(db))
		return VE_DB;
	int rc = flagged_count(db, by, "", "", n);
	db_rollback(db);
	return rc;
}

