/* calendar.c - the holiday calendar and working-day deadlines (calendar.h). */
#include "areas/calendar.h"
#include "areas/audit.h"
#include "io/sheet.h"
#include "lib/asset.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/field_errors.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	IMPORT_MAX_ROWS = 3700, /* ten years of listed days, and more */
	FIRST_YEAR = 1900,
	LAST_YEAR = 9999,
};

/* ---- day arithmetic: day numbers since 1970-01-01 in the proleptic Gregorian calendar ---- */

static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t n, int *y, int *m, int *d)
{
	int z = n + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int year_of(int32_t n)
{
	int y, m, d;
	civil_from_days(n, &y, &m, &d);
	return y;
}

int calendar_day_number(const char *t, int32_t *n)
{
	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
			return -1;
	int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*n = days_from_civil(y, m, d);
	return 0;
}

void calendar_day_text(int32_t n, char out[11])
{
	int y, m, d;
	civil_from_days(n, &y, &m, &d);
	const int v[] = {y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10, -1,
			 m / 10,        m % 10,        -1,         d / 10, d % 10};
	for (int i = 0; i < 10; i++)
		out[i] = v[i] < 0 ? '-' : (char)('0' + v[i]);
	out[10] = '\0';
}

int calendar_weekday(int32_t n)
{
	int w = (n + 4) % 7; /* 1970-01-01 was a Thursday */
	return w < 0 ? w + 7 : w;
}

static int is_weekend(int32_t n)
{
	int w = calendar_weekday(n);
	return w == 0 || w == 6;
}

/* ---- a calendar in memory ---- */

struct calendar {
	int from, to;       /* the years held */
	int32_t first, last; /* their first and last day */
	size_t n;
	int32_t *days; /* listed days, ascending */
	char *kinds;   /* 'R' (休) or 'W' (班) for each */
	int *listed; /* per year from..to: its listed days (covered at CALENDAR_YEAR_DAYS) */
};

void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	free(c->days);
	free(c->kinds);
	free(c->listed);
	free(c);
}

static const char sql_listed[] =
	"SELECT day, kind FROM calendar_days WHERE day >= ? AND day <= ? ORDER BY day";

int calendar_load(struct db *db, int from, int to, struct calendar **out)
{
	*out = NULL;
	if (from < FIRST_YEAR || to > LAST_YEAR || from > to)
		return VE_INVALID;
	struct calendar *c = xcalloc(1, sizeof(*c));
	c->from = from, c->to = to;
	c->first = days_from_civil(from, 1, 1);
	c->last = days_from_civil(to, 12, 31);
	c->listed = xcalloc((size_t)(to - from + 1), sizeof(*c->listed));
	char lo[24], hi[24];
	snprintf(lo, sizeof(lo), "%04d-01-01", from);
	snprintf(hi, sizeof(hi), "%04d-12-31", to);
	struct db_stmt *st = db_q(db, sql_listed, "ss", lo, hi);
	if (!st)
		return calendar_free(c), VE_DB;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int32_t n;
		if (calendar_day_number(db_text(st, 0), &n) != 0)
			continue; /* the CHECK and the writers keep days well formed */
		if (c->n == cap) {
			cap = cap ? 2 * cap : 64;
			c->days = xrealloc(c->days, cap * sizeof(*c->days));
			c->kinds = xrealloc(c->kinds, cap);
		}
		c->days[c->n] = n;
		c->kinds[c->n++] = strcmp(db_text(st, 1), "班") == 0 ? 'W' : 'R';
		c->listed[year_of(n) - from]++;
	}
	db_done(st);
	if (rc != DB_DONE)
		return calendar_free(c), VE_DB;
	*out = c;
	return 0;
}

/* A walk over c's days in ascending order: the next listed day is found by advancing. */
struct walk {
	const struct calendar *c;
	size_t next; /* the first listed day not before the current one */
	int weekends_only;
};

static void walk_start(struct walk *w, const struct calendar *c, int32_t day)
{
	w->c = c, w->next = 0, w->weekends_only = 0;
	while (w->next < c->n && c->days[w->next] < day)
		w->next++;
}

/* Whether day (not before the last one asked) is a working day. */
static int walk_is_workday(struct walk *w, int32_t day)
{
	const struct calendar *c = w->c;
	while (w->next < c->n && c->days[w->next] < day)
		w->next++;
	if (c->listed[year_of(day) - c->from] < CALENDAR_YEAR_DAYS)
		w->weekends_only = 1;
	if (w->next < c->n && c->days[w->next] == day)
		return c->kinds[w->next] == 'W';
	return !is_weekend(day);
}

static int due_from(const struct calendar *c, int32_t start, int n, int32_t *due, int *wo)
{
	struct walk w;
	walk_start(&w, c, start);
	int32_t d = start;
	for (int left = n; left > 0;) {
		if (++d > c->last)
			return VE_LIMIT;
		left -= walk_is_workday(&w, d);
	}
	if (n == 0 && start >= c->first && start <= c->last)
		(void)walk_is_workday(&w, start); /* day itself: flag its year */
	*due = d;
	if (wo)
		*wo = w.weekends_only;
	return 0;
}

int calendar_due_in(const struct calendar *c, const char *day, int n, char out[11],
		    int *weekends_only)
{
	int32_t start, due;
	if (calendar_day_number(day, &start) != 0 || n < 0 || n > CALENDAR_MAX_DAYS)
		return VE_INVALID;
	if (start < c->first || start > c->last)
		return VE_LIMIT;
	int rc = due_from(c, start, n, &due, weekends_only);
	if (rc == 0)
		calendar_day_text(due, out);
	return rc;
}

/* ---- on the store ---- */

int calendar_due(struct db *db, const char *day, int n, char out[11], int *weekends_only)
{
	int32_t start;
	if (calendar_day_number(day, &start) != 0 || n < 0 || n > CALENDAR_MAX_DAYS)
		return VE_INVALID;
	int from = year_of(start);
	/* Even a year of holidays leaves 200 working days; go on with more years if not. */
	for (int to = from + n / 200 + 1;; to += 10) {
		if (to > LAST_YEAR)
			return VE_INVALID;
		struct calendar *c;
		int rc = calendar_load(db, from, to, &c);
		if (rc)
			return rc;
		rc = calendar_due_in(c, day, n, out, weekends_only);
		calendar_free(c);
		if (rc != VE_LIMIT)
			return rc;
	}
}

int calendar_workdays_between(struct db *db, const char *from, const char *to, int *count,
			      int *weekends_only)
{
	int32_t a, b;
	if (calendar_day_number(from, &a) != 0 || calendar_day_number(to, &b) != 0)
		return VE_INVALID;
	*count = 0;
	if (weekends_only)
		*weekends_only = 0;
	if (b <= a)
		return 0;
	struct calendar *c;
	int rc = calendar_load(db, year_of(a), year_of(b), &c);
	if (rc)
		return rc;
	struct walk w;
	walk_start(&w, c, a + 1);
	for (int32_t d = a + 1; d <= b; d++)
		*count += walk_is_workday(&w, d);
	if (weekends_only)
		*weekends_only = w.weekends_only;
	calendar_free(c);
	return 0;
}

int calendar_is_workday(struct db *db, const char *day, int *is, int *weekends_only)
{
	int32_t n;
	if (calendar_day_number(day, &n) != 0)
		return VE_INVALID;
	struct calendar *c;
	int rc = calendar_load(db, year_of(n), year_of(n), &c);
	if (rc)
		return rc;
	struct walk w;
	walk_start(&w, c, n);
	*is = walk_is_workday(&w, n);
	if (weekends_only)
		*weekends_only = w.weekends_only;
	calendar_free(c);
	return 0;
}

/* ---- keeping the calendar ---- */

static const char *const weekday_names[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};

/* kind as typed ("休", "放假", "班", "上班") into "休" or "班"; NULL when none. */
static const char *kind_of(const char *typed)
{
	if (strcmp(typed, "休") == 0 || strcmp(typed, "放假") == 0)
		return "休";
	if (strcmp(typed, "班") == 0 || strcmp(typed, "上班") == 0)
		return "班";
	return NULL;
}

/* Checks one listed day (typed values, tidied) into *n and *k; errors into e. */
static void check_day(const char *day, const char *kind, const char *note, int32_t *n,
		      const char **k, struct field_errors *e)
{
	if (!day[0])
		field_errors_add(e, "日期", "请填写日期");
	else if (calendar_day_number(day, n) != 0)
		field_errors_add(e, "日期", "应为 YYYY-MM-DD 格式的有效日期：%s", day);
	*k = kind_of(kind);
	if (!kind[0])
		field_errors_add(e, "类型", "请填写类型（休 或 班）");
	else if (!*k)
		field_errors_add(e, "类型", "应为“休”（工作日放假）或“班”（周末调休上班）：%s", kind);
	else if (strcmp(*k, "班") == 0 && !field_errors_has(e, "日期") && !is_weekend(*n))
		field_errors_add(e, "类型", "%s 是工作日，不必列为“班”；“班”只用于调休上班的周六、周日",
				 day);
	if (strlen(note) > 90 || !str_is_printable(note, strlen(note), 0))
		field_errors_add(e, "说明", "应为不超过 30 个字的一行文字");
}

struct listed {
	int32_t day;
	const char *kind; /* "休" or "班" (static) */
	char note[96];
	long row;
};

static int by_day(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

/* Writes one day: added, changed or unchanged into sum. 0 or VE_DB. */
static int put_day(struct db *db, int64_t by_user, const char *day, const char *kind,
		   const char *note, struct calendar_summary *sum)
{
	struct db_stmt *st =
		db_q(db, "SELECT kind, note FROM calendar_days WHERE day = ?", "s", day);
	if (!st)
		return VE_DB;
	int rc = db_step(st), same = 0, found = rc == DB_ROW;
	if (found)
		same = strcmp(db_text(st, 0), kind) == 0 && strcmp(db_text(st, 1), note) == 0;
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return VE_DB;
	if (same) {
		sum->unchanged++;
		return 0;
	}
	found ? sum->changed++ : sum->added++;
	return db_run(db,
		      "INSERT INTO calendar_days (day, kind, note, updated_at, updated_by) "
		      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, "
		      "note = excluded.note, updated_at = excluded.updated_at, "
		      "updated_by = excluded.updated_by",
		      "sssii", day, kind, note, clock_now(), by_user) == 0
		       ? 0
		       : VE_DB;
}

/* Removes the days of year that are not among list[0..n) (sorted). 0 or VE_DB. */
static int remove_unlisted(struct db *db, int year, const struct listed *list, size_t n,
			   struct calendar_summary *sum)
{
	struct calendar *c;
	int rc = calendar_load(db, year, year, &c);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		struct listed key = {.day = c->days[i]};
		if (bsearch(&key, list, n, sizeof(*list), by_day))
			continue;
		char day[11];
		calendar_day_text(c->days[i], day);
		rc = db_run(db, "DELETE FROM calendar_days WHERE day = ?", "s", day) ? VE_DB : 0;
		sum->removed++;
	}
	calendar_free(c);
	return rc;
}

/* The years of list[0..n) (sorted) with a whole arrangement in it (CALENDAR_YEAR_DAYS listed
 * days or more) into sum->years, ascending: those the import replaces. A notice lists a day
 * or two of the year before (a 班 of late December): those are set, their year kept.
 * -1 when there are more such years than sum holds. */
static int whole_years(const struct listed *list, size_t n, struct calendar_summary *sum)
{
	for (size_t i = 0, j; i < n; i = j) {
		int year = year_of(list[i].day);
		for (j = i; j < n && year_of(list[j].day) == year; j++)
			;
		if (j - i < CALENDAR_YEAR_DAYS)
			continue;
		if (sum->n_years == sizeof(sum->years) / sizeof(sum->years[0]))
			return -1;
		sum->years[sum->n_years++] = year;
	}
	return 0;
}

/* Saves list (sorted, checked) in one transaction and audits it. */
static int save_listed(struct db *db, const struct principal *by, const struct listed *list,
		       size_t n, struct calendar_summary *sum)
{
	if (db_tx_begin(db, 0))
		return VE_DB;
	int rc = 0;
	for (size_t i = 0; i < sum->n_years && rc == 0; i++)
		rc = remove_unlisted(db, sum->years[i], list, n, sum);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char day[11];
		calendar_day_text(list[i].day, day);
		rc = put_day(db, by->user_id, day, list[i].kind, list[i].note, sum);
	}
	char object[64] = "calendar:", detail[256];
	for (size_t i = 0; i < sum->n_years; i++)
		snprintf(object + strlen(object), sizeof(object) - strlen(object), "%s%d",
			 i ? "," : "", sum->years[i]);
	if (sum->n_years == 0)
		calendar_day_text(list[0].day, object + strlen(object));
	snprintf(detail, sizeof(detail), "%ld 天：新增 %ld，修改 %ld，未变 %ld，删除 %ld", sum->rows,
		 sum->added, sum->changed, sum->unchanged, sum->removed);
	struct audit_actor who = account_actor(by);
	if (rc == 0 && audit_write(db, &who, "calendar.import", object, "ok", detail) != 0)
		rc = VE_DB;
	return db_tx_end(db, 0, rc);
}

/* A spreadsheet's date cell: its day number (days since 1899-12-30) becomes YYYY-MM-DD. */
static void cell_date(const char *cell, char *out, size_t size)
{
	str_copy(out, cell, size);
	str_tidy(out, STR_TIDY_REMOVE);
	int64_t serial;
	if (str_to_i64(out, strlen(out), 1, 2958465, &serial) == 0)
		calendar_day_text((int32_t)(serial - 25569), out);
}

/* Checks one row into *l; 0, or VE_INVALID with its errors reported. */
static int read_row(const struct sheet_row *row, const int col[3], struct listed *l,
		    calendar_row_error_fn on_error, void *ctx)
{
	char day[32], kind[32], note[256];
	cell_date(sheet_cell(row, col[0]), day, sizeof(day));
	str_copy(kind, sheet_cell(row, col[1]), sizeof(kind));
	str_tidy(kind, STR_TIDY_REMOVE);
	str_copy(note, col[2] >= 0 ? sheet_cell(row, col[2]) : "", sizeof(note));
	str_tidy(note, STR_TIDY_COLLAPSE);
	struct field_errors e;
	field_errors_clear(&e);
	check_day(day, kind, note, &l->day, &l->kind, &e);
	if (field_errors_count(&e) == 0) {
		str_copy(l->note, note, sizeof(l->note));
		l->row = row->number;
		return 0;
	}
	for (int i = 0; i < e.n; i++)
		if (on_error)
			on_error(ctx, row->number, e.items[i].field, e.items[i].message);
	return VE_INVALID;
}

/* Reads every row of a sheet (header first) through next, checks them, and saves them all
 * or none. */
typedef int (*next_row_fn)(void *reader, struct sheet_row *row, char *err, size_t errlen);

static int import_rows(struct db *db, const struct principal *by, next_row_fn next, void *reader,
		       calendar_row_error_fn on_error, void *ctx, struct calendar_summary *sum,
		       char *err, size_t errlen)
{
	static const char *const names[] = {"日期", "类型", "说明"};
	memset(sum, 0, sizeof(*sum));
	struct sheet_row row;
	int col[3], rc = next(reader, &row, err, errlen);
	if (rc != 1)
		return rc == 0 ? (snprintf(err, errlen, "文件是空的"), VE_INVALID) : -rc;
	if (sheet_columns(&row, names, 3, 3, 0, col, err, errlen) != 0)
		return VE_INVALID;
	struct listed *list = xcalloc(IMPORT_MAX_ROWS, sizeof(*list));
	size_t n = 0;
	long refused = 0;
	while ((rc = next(reader, &row, err, errlen)) == 1) {
		if (row.n == 0 || (row.n == 1 && !row.lens[0]))
			continue;
		if (n == IMPORT_MAX_ROWS) {
			snprintf(err, errlen, "文件列出的日期超过 %d 个", IMPORT_MAX_ROWS);
			rc = -VE_LIMIT;
			break;
		}
		if (read_row(&row, col, &list[n], on_error, ctx) == 0)
			n++;
		else
			refused++;
	}
	if (rc < 0) {
		free(list);
		return -rc;
	}
	qsort(list, n, sizeof(*list), by_day);
	for (size_t i = 1; i < n; i++)
		if (list[i].day == list[i - 1].day) {
			char msg[128];
			snprintf(msg, sizeof(msg), "与第 %ld 行的日期重复", list[i - 1].row);
			if (on_error)
				on_error(ctx, list[i].row, "日期", msg);
			refused++;
		}
	sum->rows = (long)n;
	if (whole_years(list, n, sum) != 0) {
		free(list);
		snprintf(err, errlen, "一个文件最多列出 %zu 个年度的安排",
			 sizeof(sum->years) / sizeof(sum->years[0]));
		return VE_LIMIT;
	}
	if (refused || n == 0) {
		free(list);
		if (refused)
			snprintf(err, errlen, "有 %ld 行有误，未导入任何一行", refused);
		else
			snprintf(err, errlen, "文件中没有列出日期");
		return VE_INVALID;
	}
	rc = save_listed(db, by, list, n, sum);
	free(list);
	return rc;
}

static int next_sheet(void *r, struct sheet_row *row, char *err, size_t errlen)
{
	return sheet_next(r, row, err, errlen);
}

static int next_csv(void *r, struct sheet_row *row, char *err, size_t errlen)
{
	return csv_next(r, row, err, errlen);
}

int calendar_import(struct db *db, const struct principal *by, const char *path,
		    calendar_row_error_fn on_error, void *ctx, struct calendar_summary *sum,
		    char *err, size_t errlen)
{
	memset(sum, 0, sizeof(*sum));
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	int rc = import_rows(db, by, next_sheet, in, on_error, ctx, sum, err, errlen);
	sheet_close(in);
	return rc;
}

int calendar_import_text(struct db *db, const struct principal *by, const char *csv, size_t len,
			 calendar_row_error_fn on_error, void *ctx, struct calendar_summary *sum,
			 char *err, size_t errlen)
{
	memset(sum, 0, sizeof(*sum));
	FILE *fp = fmemopen((void *)(uintptr_t)csv, len, "r");
	if (!fp)
		return snprintf(err, errlen, "内存不足"), VE_IO;
	struct csv_reader *in = csv_reader_new(fp);
	int rc = import_rows(db, by, next_csv, in, on_error, ctx, sum, err, errlen);
	csv_reader_free(in);
	fclose(fp);
	return rc;
}

int calendar_import_shipped(struct db *db, const struct principal *by, char *err, size_t errlen)
{
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "data/calendar/", 14) != 0)
			continue;
		struct calendar_summary sum;
		int rc = calendar_import_text(db, by, (const char *)f->data, f->len, NULL, NULL,
					      &sum, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int calendar_set(struct db *db, const struct principal *by, const char *day_typed,
		 const char *kind_typed, const char *note_typed, struct field_errors *e)
{
	char day[32], kind[32], note[256];
	str_copy(day, day_typed ? day_typed : "", sizeof(day));
	str_tidy(day, STR_TIDY_REMOVE);
	str_copy(kind, kind_typed ? kind_typed : "", sizeof(kind));
	str_tidy(kind, STR_TIDY_REMOVE);
	str_copy(note, note_typed ? note_typed : "", sizeof(note));
	str_tidy(note, STR_TIDY_COLLAPSE);
	int32_t n;
	const char *k;
	check_day(day, kind, note, &n, &k, e);
	if (field_errors_count(e))
		return VE_INVALID;
	if (db_tx_begin(db, 0))
		return VE_DB;
	struct calendar_summary sum = {0};
	int rc = put_day(db, by->user_id, day, k, note, &sum);
	char object[48], detail[320];
	snprintf(object, sizeof(object), "calendar:%s", day);
	snprintf(detail, sizeof(detail), "%s %s%s", k, note, sum.unchanged ? "（未变）" : "");
	struct audit_actor who = account_actor(by);
	if (rc == 0 && audit_write(db, &who, "calendar.set", object, "ok", detail) != 0)
		rc = VE_DB;
	return db_tx_end(db, 0, rc);
}

int calendar_remove(struct db *db, const struct principal *by, const char *day)
{
	int32_t n;
	if (calendar_day_number(day, &n) != 0)
		return VE_NOTFOUND;
	if (db_tx_begin(db, 0))
		return VE_DB;
	int rc = db_run(db, "DELETE FROM calendar_days WHERE day = ?", "s", day) ? VE_DB : 0;
	if (rc == 0 && db_changes(db) == 0)
		rc = VE_NOTFOUND;
	char object[48];
	snprintf(object, sizeof(object), "calendar:%s", day);
	struct audit_actor who = account_actor(by);
	if (rc == 0 && audit_write(db, &who, "calendar.remove", object, "ok", "") != 0)
		rc = VE_DB;
	return db_tx_end(db, 0, rc);
}

static json_t *listed_years(struct db *db)
{
	json_t *years = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT DISTINCT substr(day, 1, 4) AS y FROM calendar_days "
				  "ORDER BY y",
				  "");
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(years, json_integer(atoi(db_text(st, 0))));
	db_done(st);
	return years;
}

int calendar_year(struct db *db, int year, json_t **out)
{
	struct calendar *c;
	int rc = calendar_load(db, year, year, &c);
	if (rc)
		return rc;
	char lo[24], hi[24];
	snprintf(lo, sizeof(lo), "%04d-01-01", year);
	snprintf(hi, sizeof(hi), "%04d-12-31", year);
	struct db_stmt *st = db_q(db,
				  "SELECT day, kind, note FROM calendar_days WHERE day >= ? AND "
				  "day <= ? ORDER BY day",
				  "ss", lo, hi);
	json_t *days = json_array();
	while (st && (rc = db_step(st)) == DB_ROW) {
		int32_t n = 0;
		calendar_day_number(db_text(st, 0), &n);
		json_array_append_new(days, json_pack("{s:s,s:s,s:s,s:s}", "day", db_text(st, 0),
						      "weekday", weekday_names[calendar_weekday(n)],
						      "kind", db_text(st, 1), "note", db_text(st, 2)));
	}
	db_done(st);
	int covered = c->listed[0] >= CALENDAR_YEAR_DAYS;
	calendar_free(c);
	if (!st || rc != DB_DONE) {
		json_decref(days);
		return VE_DB;
	}
	*out = json_pack("{s:i,s:b,s:o,s:o}", "year", year, "covered", covered, "days", days,
			 "years", listed_years(db));
	return 0;
}

/* ---- the area ---- */

const struct perm perm_calendar_read = {"calendar.read", "查看节假日日历", ROLE_BUSINESS};
const struct perm perm_calendar_manage = {"calendar.manage", "维护节假日日历", ROLE_BIT(CLERK)};

static const struct perm *const perms[] = {PERM_CALENDAR_READ, PERM_CALENDAR_MANAGE, NULL};

static const struct audit_title audit_titles[] = {
	{"calendar.import", "导入节假日安排"},
	{"calendar.set", "设置节假日"},
	{"calendar.remove", "删除节假日"},
	{NULL, NULL},
};

const struct area calendar_area = {.name = "calendar", .perms = perms, .audit_titles = audit_titles};
