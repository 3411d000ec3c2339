/* calendar.h - working days: the holiday calendar as data, and deadlines counted on it.
 *
 * A day is a working day when it is Monday to Friday and not listed 休, or it is listed
 * 班 (a weekend day worked, 调休). The calendar lists only the exceptions, a year at a
 * time, as the State Council publishes them; a year is covered when it has at least
 * CALENDAR_YEAR_DAYS listed days (every year's arrangement lists some 30; a notice may list
 * a day or two of the year before, which leaves that year as it was). A deadline that counts a day of a year not covered is computed on weekends
 * alone, and every function that counts says so through *weekends_only (never silently).
 *
 * Days are "YYYY-MM-DD" text, years 1900 to 9999. */
#ifndef VETS_CALENDAR_H
#define VETS_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "areas/account.h"
#include "areas/area.h"
#include "db/db.h"
#include "lib/field_errors.h"

enum {
	CALENDAR_MAX_DAYS = 3650, /* the most working days a deadline may count */
	CALENDAR_YEAR_DAYS = 5,   /* the listed days that make a year's arrangement */
};

/* ---- pure day arithmetic (no store) ---- */

/* The day number of "YYYY-MM-DD" (days since 1970-01-01) into *n. 0, or -1 when text is
 * not a real date of years 1900-9999 in exactly that form. */
int calendar_day_number(const char *text, int32_t *n);
/* The text of day number n into out. */
void calendar_day_text(int32_t n, char out[11]);
/* 0 Sunday … 6 Saturday. */
int calendar_weekday(int32_t n);

/* ---- a calendar read from the store, for counting many deadlines ---- */
struct calendar;
/* The listed days of years from..to (inclusive) read into a new calendar. 0 and *out
 * (free with calendar_free), VE_INVALID for years outside 1900-9999 or from > to, or VE_DB. */
int calendar_load(struct db *db, int from, int to, struct calendar **out);
void calendar_free(struct calendar *c);
/* As calendar_due, on c. VE_LIMIT when the count runs past the years c holds. */
int calendar_due_in(const struct calendar *c, const char *day, int n, char out[11],
		    int *weekends_only);

/* ---- deadlines on the store's calendar ---- */

/* The day n working days after day (day itself not counted) into out; n = 0 gives day
 * itself. *weekends_only (may be NULL) is 1 when a day counted lies in a year the
 * calendar does not cover, else 0. 0; VE_INVALID for a bad date or n outside
 * 0..CALENDAR_MAX_DAYS; VE_DB. */
int calendar_due(struct db *db, const char *day, int n, char out[11], int *weekends_only);
/* The number of working days d with from < d <= to into *count (0 when to <= from),
 * with the same flag. 0, VE_INVALID or VE_DB. */
int calendar_workdays_between(struct db *db, const char *from, const char *to, int *count,
			      int *weekends_only);
/* Whether day is a working day into *is (1/0), with the same flag. 0, VE_INVALID or VE_DB. */
int calendar_is_workday(struct db *db, const char *day, int *is, int *weekends_only);

/* ---- keeping the calendar ---- */

/* What an import did. */
struct calendar_summary {
	long rows;                           /* listed days in the file */
	long added, changed, unchanged, removed;
	int years[16];                       /* the years the file replaces, ascending */
	size_t n_years;
};
/* Called once per refused row: the row's number in the file, the field, the reason. */
typedef void (*calendar_row_error_fn)(void *ctx, long row, const char *field, const char *message);

/* Imports the file at path (.csv or .xlsx; columns 日期, 类型 — 休 or 班 — and optional
 * 说明, in any order): for every year the file holds an arrangement of (CALENDAR_YEAR_DAYS
 * days or more), the calendar of that year becomes the file's (days of that year the file
 * does not list are removed); the file's days of other years are set one by one. All or nothing: any
 * refused row (each reported through on_error) saves nothing and returns VE_INVALID.
 * 0 with *sum; VE_INVALID (err says why, for a file that can't be read or has no days);
 * VE_DB. Audited as calendar.import. */
int calendar_import(struct db *db, const struct principal *by, const char *path,
		    calendar_row_error_fn on_error, void *ctx, struct calendar_summary *sum,
		    char *err, size_t errlen);
/* As calendar_import, from CSV text in memory (the arrangements the program ships). */
int calendar_import_text(struct db *db, const struct principal *by, const char *csv, size_t len,
			 calendar_row_error_fn on_error, void *ctx, struct calendar_summary *sum,
			 char *err, size_t errlen);
/* The arrangements the program ships (data/calendar/YYYY.csv, the State Council's)
 * imported by by, for the demo. 0, or an error with err. */
int calendar_import_shipped(struct db *db, const struct principal *by, char *err, size_t errlen);

/* Lists day as kind ("休" or "班") with note, replacing what was listed. 0; VE_INVALID with
 * e filled (fields day, kind, note); VE_DB. Audited as calendar.set. */
int calendar_set(struct db *db, const struct principal *by, const char *day, const char *kind,
		 const char *note, struct field_errors *e);
/* Removes day from the list (it follows the weekday rule again). 0, VE_NOTFOUND, VE_DB.
 * Audited as calendar.remove. */
int calendar_remove(struct db *db, const struct principal *by, const char *day);

/* The listed days of year, ascending: {"year","covered","days":[{"day","weekday","kind",
 * "note"}],"years":[years listed, ascending]}. 0, VE_INVALID, VE_DB. */
int calendar_year(struct db *db, int year, json_t **out);

extern const struct perm perm_calendar_read, perm_calendar_manage;
#define PERM_CALENDAR_READ (&perm_calendar_read)
#define PERM_CALENDAR_MANAGE (&perm_calendar_manage)
extern const struct area calendar_area;

#endif
