/* rating_stats.c - the counter's statistics (vets stats counter, /counter/stats): the
 * applications accepted in a year, 容缺, closed, on time, overdue, and the ratings per
 * level with the 差评 followed up in time; and, for each figure, the records it counts.
 *
 * Each figure is one condition over the same rows (applications a, their rating r), used
 * both to count and to list, so a list always holds exactly what its figure counts. */
#include "rating.h"
#include "areas/application.h"
#include <stdio.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

/* The parameters of every statement: ?1 the year's first day, ?2 its last counted day
 * (Dec 31 or as-of, the earlier), ?3 as-of, ?4-?6 the scope (kind, region, user). */
#define SCOPE_N(region_col, owner_col)                                                             \
	"(?4 = 0 OR (?4 IN (1, 2) AND substr(" region_col ", 1, length(?5)) = ?5) OR (?4 = 3 "     \
	"AND " owner_col " = ?6))"

#define ACCEPTED "(a.accepted_on >= ?1 AND a.accepted_on <= ?2)"
#define RONGQUE ACCEPTED " AND a.partial <> 0"
#define CLOSED ACCEPTED " AND a.status = '" APP_CLOSED "' AND a.closed_on <= ?3"
#define CLOSED_ON_TIME CLOSED " AND a.closed_on <= a.due"
#define OVERDUE                                                                                    \
	ACCEPTED " AND ((a.status = '" APP_CLOSED                                                  \
		 "' AND a.closed_on <= ?3 AND a.closed_on > a.due) OR "                            \
		 "((a.closed_on IS NULL OR a.closed_on > ?3) AND a.due < ?3 AND a.status <> '"     \
		 APP_CORRECTING "'))"
#define RATED "(r.id IS NOT NULL AND r.rated_on >= ?1 AND r.rated_on <= ?2 AND r.excluded = 0)"
#define LEVEL(l) RATED " AND r.level = '" l "'"
#define BAD RATED " AND r.bad <> 0"
#define BAD_NAMED BAD " AND r.named <> 0"
#define FOLLOWED                                                                                   \
	BAD_NAMED " AND r.visit_on <= r.followup_due AND r.fix_on <= r.followup_due AND "          \
		  "r.visit_on <= ?3 AND r.fix_on <= ?3"

/* The applications' figures count rows of applications accepted in the year (found by their
 * index on accepted_on), the ratings' figures rows of ratings made in the year (by rated_on):
 * each list's FROM is its count's. */
#define FROM_A                                                                                     \
	" FROM applications a LEFT JOIN ratings r ON r.application_id = a.id WHERE " ACCEPTED      \
	" AND " SCOPE_N("a.region_code", "a.clerk_id")
#define FROM_R                                                                                     \
	" FROM ratings r JOIN applications a ON a.id = r.application_id WHERE r.rated_on >= ?1 "   \
	"AND r.rated_on <= ?2 AND " SCOPE_N("a.region_code", "a.clerk_id")

#define COLUMNS                                                                                      \
	"SELECT a.id, a.tracking_code, coalesce((SELECT s.name FROM service_items s WHERE s.id = "   \
	"a.item_id), ''), a.status, coalesce(a.accepted_on, ''), coalesce(a.due, ''), "              \
	"coalesce(a.closed_on, ''), coalesce(r.id, 0), coalesce(r.level, ''), coalesce(r.rated_on, " \
	"'')"
#define LIST_A(cond) COLUMNS FROM_A " AND " cond " ORDER BY a.accepted_on, a.id"
#define LIST_R(cond) COLUMNS FROM_R " AND " cond " ORDER BY r.rated_on, a.id"

struct figure {
	const char *name, *title, *list_sql;
};

static const struct figure figures[RATING_N_FIGURES] = {
	{"accepted", "受理件数（含容缺受理）", LIST_A(ACCEPTED)},
	{"rongque", "容缺受理件数", LIST_A(RONGQUE)},
	{"closed", "办结件数", LIST_A(CLOSED)},
	{"closed_on_time", "按期办结件数", LIST_A(CLOSED_ON_TIME)},
	{"overdue", "逾期件数", LIST_A(OVERDUE)},
	{"level_0", "评价：非常满意", LIST_R(LEVEL("非常满意"))},
	{"level_1", "评价：满意", LIST_R(LEVEL("满意"))},
	{"level_2", "评价：基本满意", LIST_R(LEVEL("基本满意"))},
	{"level_3", "评价：不满意", LIST_R(LEVEL("不满意"))},
	{"level_4", "评价：非常不满意", LIST_R(LEVEL("非常不满意"))},
	{"bad", "差评件数", LIST_R(BAD)},
	{"bad_named", "实名差评件数", LIST_R(BAD_NAMED)},
	{"bad_followed_in_time", "按期回访整改的差评件数", LIST_R(FOLLOWED)},
};

const char *const rating_figures[RATING_N_FIGURES] = {"accepted",
						      "rongque",
						      "closed",
						      "closed_on_time",
						      "overdue",
						      "level_0",
						      "level_1",
						      "level_2",
						      "level_3",
						      "level_4",
						      "bad",
						      "bad_named",
						      "bad_followed_in_time"};

const char *rating_figure_title(const char *figure)
{
	for (int i = 0; figure && i < RATING_N_FIGURES; i++)
		if (strcmp(figure, figures[i].name) == 0)
			return figures[i].title;
	return NULL;
}

#define COUNT(cond) "count(*) FILTER (WHERE " cond ")"

static const char counts_a_sql[] = "SELECT count(*), " COUNT(RONGQUE) ", " COUNT(CLOSED) ", " COUNT(
	CLOSED_ON_TIME) ", " COUNT(OVERDUE) FROM_A;
static const char counts_r_sql[] =
	"SELECT " COUNT(LEVEL("非常满意")) ", " COUNT(LEVEL("满意")) ", " COUNT(LEVEL("基本满意")) ", " COUNT(LEVEL(
		"不满意")) ", " COUNT(LEVEL("非常不满意")) ", " COUNT(BAD) ", " COUNT(BAD_NAMED) ", " COUNT(FOLLOWED)
		FROM_R;

int rating_stats_period(int year, const char *as_of, char as_of_out[11], char *err, size_t errlen)
{
	if (year < 1950 || year > 2100)
		return err_set(err, errlen, VE_INVALID, "年份：应为 1950 至 2100 的年份");
	int64_t t;
	if (as_of && *as_of) {
		if (strlen(as_of) != 10 || clock_parse_date(as_of, &t) != 0)
			return err_set(err, errlen, VE_INVALID,
				       "截止日期：应为 YYYY-MM-DD，如 2026-12-31");
		str_copy(as_of_out, as_of, 11);
		return 0;
	}
	char last[11];
	snprintf(last, sizeof(last), "%04d-12-31", year);
	const char *today = clock_today_text();
	str_copy(as_of_out, strcmp(today, last) < 0 ? today : last, 11);
	return 0;
}

/* The statement's days: first, last counted (the earlier of Dec 31 and as_of). */
static void days_of(int year, const char *as_of, char first[11], char last[11])
{
	snprintf(first, 11, "%04d-01-01", year);
	snprintf(last, 11, "%04d-12-31", year);
	if (strcmp(as_of, last) < 0)
		str_copy(last, as_of, 11);
}

#define ARGS_FMT "sssisi"
#define ARGS(first, last, as_of, by)                                                               \
	first, last, as_of, (int64_t)(by)->scope.kind, (by)->region_code, (by)->user_id

int rating_counter_stats(struct db *db, const struct principal *by, int year, const char *as_of,
			 json_t **out)
{
	char a[11], first[11], last[11], err[128];
	int rc = rating_stats_period(year, as_of, a, err, sizeof(err));
	if (rc)
		return rc;
	days_of(year, a, first, last);
	json_int_t n[RATING_N_FIGURES];
	if (db_begin_read(db))
		return VE_DB;
	/* one snapshot: the applications' five figures, then the ratings' eight */
	struct db_stmt *st = db_q(db, counts_a_sql, ARGS_FMT, ARGS(first, last, a, by));
	rc = st && db_step(st) == DB_ROW ? 0 : VE_DB;
	for (int i = 0; !rc && i < 5; i++)
		n[i] = (json_int_t)db_int(st, i);
	db_done(st);
	st = rc ? NULL : db_q(db, counts_r_sql, ARGS_FMT, ARGS(first, last, a, by));
	rc = st && db_step(st) == DB_ROW ? 0 : VE_DB;
	for (int i = 5; !rc && i < RATING_N_FIGURES; i++)
		n[i] = (json_int_t)db_int(st, i - 5);
	db_done(st);
	db_rollback(db);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:i,s:s}", "year", year, "as_of", a);
	json_t *levels = json_object();
	for (int i = 0; i < RATING_N_FIGURES; i++) {
		if (i >= 5 && i < 10)
			json_object_set_new(levels, rating_levels[i - 5], json_integer(n[i]));
		else
			json_object_set_new(o, figures[i].name, json_integer(n[i]));
	}
	json_object_set_new(o, "ratings", levels);
	/* the keys in the documented order */
	json_t *ordered = json_object();
	static const char *const keys[] = {"year",
					   "as_of",
					   "accepted",
					   "rongque",
					   "closed",
					   "closed_on_time",
					   "overdue",
					   "ratings",
					   "bad",
					   "bad_named",
					   "bad_followed_in_time",
					   NULL};
	for (int i = 0; keys[i]; i++)
		json_object_set(ordered, keys[i], json_object_get(o, keys[i]));
	json_decref(o);
	*out = ordered;
	return 0;
}

int rating_counter_list(struct db *db, const struct principal *by, int year, const char *as_of,
			const char *figure, json_t **out)
{
	char a[11], first[11], last[11], err[128];
	int rc = rating_stats_period(year, as_of, a, err, sizeof(err));
	if (rc)
		return rc;
	const struct figure *f = NULL;
	for (int i = 0; figure && i < RATING_N_FIGURES; i++)
		if (strcmp(figure, figures[i].name) == 0)
			f = &figures[i];
	if (!f)
		return VE_INVALID;
	days_of(year, a, first, last);
	struct db_stmt *st = db_q(db, f->list_sql, ARGS_FMT, ARGS(first, last, a, by));
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items,
			json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "application_id",
				  (json_int_t)db_int(st, 0), "tracking_code", db_text(st, 1),
				  "item_name", db_text(st, 2), "status", db_text(st, 3),
				  "accepted_on", db_text(st, 4), "due", db_text(st, 5), "closed_on",
				  db_text(st, 6), "rating_id", (json_int_t)db_int(st, 7), "level",
				  db_text(st, 8), "rated_on", db_text(st, 9)));
	db_done(st);
	*out = json_pack("{s:s,s:s,s:i,s:s,s:I,s:o}", "figure", f->name, "title", f->title, "year",
			 year, "as_of", a, "total", (json_int_t)json_array_size(items), "items",
			 items);
	return 0;
}
