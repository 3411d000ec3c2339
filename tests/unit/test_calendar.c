/* test_calendar.c - areas/calendar: day arithmetic, and deadlines on a real SQLite store
 * holding the State Council's 2026 arrangement (the file the program ships): across 春节,
 * 国庆节 and their 调休 days, across a year end, into a year not covered (flagged), and the
 * imports that are refused whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/calendar.h"
#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

struct fixture {
	struct test_store store;
	struct principal cli;
	char file[160];
	int errors;
	char last[256];
};

static void on_error(void *ctx, long row, const char *field, const char *message)
{
	struct fixture *f = ctx;
	f->errors++;
	snprintf(f->last, sizeof(f->last), "%ld:%s:%s", row, field, message);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "calendar"))
		return -1;
	account_cli_principal(&f->cli);
	char err[256];
	if (calendar_import_shipped(f->store.db, &f->cli, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	snprintf(f->file, sizeof(f->file), "%s/cal.csv", f->store.dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = test_store_close(&f->store);
	free(f);
	return rc;
}

static void test_day_numbers(void **state)
{
	(void)state;
	int32_t n;
	char t[11];
	assert_int_equal(calendar_day_number("1970-01-01", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(calendar_weekday(n), 4); /* Thursday */
	assert_int_equal(calendar_day_number("2026-10-01", &n), 0);
	assert_int_equal(calendar_weekday(n), 4);
	calendar_day_text(n + 92, t);
	assert_string_equal(t, "2027-01-01");
	assert_int_equal(calendar_day_number("2024-02-29", &n), 0);
	calendar_day_text(n, t);
	assert_string_equal(t, "2024-02-29");
	assert_int_equal(calendar_day_number("1900-01-01", &n), 0);
	calendar_day_text(n, t);
	assert_string_equal(t, "1900-01-01");
	const char *bad[] = {"2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-1-01",
			     "20260101",   "2026-01-32", "1899-12-31", "abcd-ef-gh", "",
			     "2026-01-01x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(calendar_day_number(bad[i], &n), -1);
}

/* due(from, n) is want, with the flag weekends_only. */
static void due_is(struct fixture *f, const char *from, int n, const char *want, int flag)
{
	char got[11];
	int wo = -1;
	assert_int_equal(calendar_due(f->store.db, from, n, got, &wo), 0);
	if (strcmp(got, want) != 0)
		fail_msg("%s + %d: got %s, want %s", from, n, got, want);
	assert_int_equal(wo, flag);
}

static void test_due_2026(void **state)
{
	struct fixture *f = *state;
	/* 国庆: 10-01..10-07 off, 09-20 (Sun) and 10-10 (Sat) worked */
	due_is(f, "2026-09-30", 1, "2026-10-08", 0);
	due_is(f, "2026-09-30", 2, "2026-10-09", 0);
	due_is(f, "2026-09-30", 3, "2026-10-10", 0); /* a Saturday worked */
	due_is(f, "2026-09-30", 4, "2026-10-12", 0);
	due_is(f, "2026-09-18", 1, "2026-09-20", 0); /* a Sunday worked */
	due_is(f, "2026-09-24", 1, "2026-09-28", 0); /* 中秋 09-25..27 */
	/* 春节: 02-15..02-23 off, 02-14 (Sat) and 02-28 (Sat) worked */
	due_is(f, "2026-02-12", 1, "2026-02-13", 0);
	due_is(f, "2026-02-12", 2, "2026-02-14", 0);
	due_is(f, "2026-02-12", 3, "2026-02-24", 0);
	due_is(f, "2026-02-14", 20, "2026-03-20", 0);
	/* 02-24..02-27, 02-28 (a Saturday worked), then three weeks of March: 20 */
	int count = 0, wo = 1;
	assert_int_equal(calendar_workdays_between(f->store.db, "2026-02-14", "2026-03-20", &count,
						   &wo),
			 0);
	assert_int_equal(count, 20);
	assert_int_equal(wo, 0);
	/* n = 0 is the day itself; a holiday is not a working day, a Sunday worked is */
	due_is(f, "2026-10-03", 0, "2026-10-03", 0);
	int is;
	assert_int_equal(calendar_is_workday(f->store.db, "2026-10-05", &is, &wo), 0);
	assert_int_equal(is, 0);
	assert_int_equal(calendar_is_workday(f->store.db, "2026-09-20", &is, &wo), 0);
	assert_int_equal(is, 1);
	assert_int_equal(calendar_is_workday(f->store.db, "2026-05-09", &is, &wo), 0);
	assert_int_equal(is, 1);
}

static void test_due_year_end(void **state)
{
	struct fixture *f = *state;
	/* into 2026 from the end of 2025 (both shipped): 元旦 01-01..03 off, 01-04 (Sun) worked */
	due_is(f, "2025-12-31", 1, "2026-01-04", 0);
	due_is(f, "2025-12-30", 1, "2025-12-31", 0);
	due_is(f, "2025-12-30", 3, "2026-01-05", 0);
	/* out of 2026 into 2027, which the calendar does not cover: weekends only, flagged */
	due_is(f, "2026-12-30", 1, "2026-12-31", 0);
	due_is(f, "2026-12-31", 1, "2027-01-01", 1);
	due_is(f, "2026-12-31", 2, "2027-01-04", 1);
	/* a long deadline: 250 working days from 2026-01-05 end in 2027 */
	char got[11];
	int wo = 0;
	assert_int_equal(calendar_due(f->store.db, "2026-01-05", 250, got, &wo), 0);
	assert_int_equal(wo, 1);
	/* the largest count is accepted, one more refused; bad dates refused */
	assert_int_equal(calendar_due(f->store.db, "2026-01-05", CALENDAR_MAX_DAYS, got, &wo), 0);
	assert_int_equal(calendar_due(f->store.db, "2026-01-05", CALENDAR_MAX_DAYS + 1, got, &wo),
			 VE_INVALID);
	assert_int_equal(calendar_due(f->store.db, "2026-02-30", 1, got, &wo), VE_INVALID);
	assert_int_equal(calendar_due(f->store.db, "9999-12-31", 1, got, &wo), VE_INVALID);
	assert_int_equal(calendar_due(f->store.db, "2026-01-05", -1, got, &wo), VE_INVALID);
}

static void write_file(struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->file, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int import(struct fixture *f, const char *text, struct calendar_summary *s)
{
	char err[256] = "";
	write_file(f, text);
	f->errors = 0;
	return calendar_import(f->store.db, &f->cli, f->file, on_error, f, s, err, sizeof(err));
}

static void test_import_refused_whole(void **state)
{
	struct fixture *f = *state;
	struct calendar_summary s;
	static const struct {
		const char *text, *last;
	} bad[] = {
		{"日期,类型\n2027-01-01,休\n2027-01-04,班\n", "3:类型"}, /* a Monday can't be 班 */
		{"日期,类型\n2027-02-30,休\n", "2:日期"},
		{"日期,类型\n2027-01-01,放\n", "2:类型"},
		{"日期,类型\n2027-01-01,休\n2027-01-01,休\n", "3:日期"},
		{"日期,类型\n,休\n", "2:日期"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(import(f, bad[i].text, &s), VE_INVALID);
		assert_true(f->errors >= 1);
		assert_memory_equal(f->last, bad[i].last, strlen(bad[i].last));
	}
	assert_int_equal(import(f, "日期,类型,星期\n2027-01-01,休,五\n", &s), VE_INVALID);
	assert_int_equal(import(f, "日期\n2027-01-01\n", &s), VE_INVALID);
	assert_int_equal(import(f, "日期,类型\n", &s), VE_INVALID);
	/* nothing of 2027 was saved by any of them */
	json_t *y;
	assert_int_equal(calendar_year(f->store.db, 2027, &y), 0);
	assert_false(json_is_true(json_object_get(y, "covered")));
	json_decref(y);
}

static void test_import_replaces_year(void **state)
{
	struct fixture *f = *state;
	struct calendar_summary s;
	/* a made-up 2028 of five days (a whole year's arrangement); then the year revised: one
	 * changed, one removed, one new */
	const char *year = "类型,日期,说明\n休,2028-01-03,甲\r\n休,2028-01-04,乙\r\n休,2028-02-01,丙\r\n"
			   "休,2028-02-02,丙\r\n休,2028-02-03,丙\r\n";
	assert_int_equal(import(f, year, &s), 0);
	assert_int_equal(s.added, 5);
	assert_int_equal(import(f, year, &s), 0);
	assert_int_equal(s.unchanged, 5);
	assert_int_equal(s.added + s.changed + s.removed, 0);
	assert_int_equal(import(f,
				"日期,类型,说明\n2028-01-03,休,丁\n2028-01-05,休,\n2028-02-01,休,丙\n"
				"2028-02-02,休,丙\n2028-02-03,休,丙\n",
				&s),
			 0);
	assert_int_equal(s.changed, 1);
	assert_int_equal(s.added, 1);
	assert_int_equal(s.removed, 1);
	assert_int_equal(s.n_years, 1);
	assert_int_equal(s.years[0], 2028);
	due_is(f, "2028-01-02", 1, "2028-01-04", 0);
	/* 2026 was not touched by a file of 2028 */
	due_is(f, "2026-09-30", 1, "2026-10-08", 0);
	/* one day set by hand, then removed: the weekday rule again */
	struct field_errors e;
	field_errors_clear(&e);
	assert_int_equal(calendar_set(f->store.db, &f->cli, "2028-01-06", "休", "测试", &e), 0);
	due_is(f, "2028-01-02", 2, "2028-01-07", 0);
	assert_int_equal(calendar_set(f->store.db, &f->cli, "2028-01-06", "班", "", &e), VE_INVALID);
	assert_true(field_errors_has(&e, "类型"));
	assert_int_equal(calendar_remove(f->store.db, &f->cli, "2028-01-06"), 0);
	assert_int_equal(calendar_remove(f->store.db, &f->cli, "2028-01-06"), VE_NOTFOUND);
	due_is(f, "2028-01-02", 2, "2028-01-06", 0);
}

/* A notice of 2027 that lists a day of late 2026 (as real notices do) sets that day and leaves
 * the rest of 2026 as it was; a year with a day or two listed is not covered. */
static void test_import_neighbour_days(void **state)
{
	struct fixture *f = *state;
	struct calendar_summary s;
	assert_int_equal(import(f,
				"日期,类型\n2026-12-31,休\n2027-01-01,休\n2027-02-08,休\n"
				"2027-02-09,休\n2027-02-10,休\n2027-02-11,休\n",
				&s),
			 0);
	assert_int_equal(s.n_years, 1);
	assert_int_equal(s.years[0], 2027);
	assert_int_equal(s.removed, 0);
	due_is(f, "2026-09-30", 1, "2026-10-08", 0); /* 2026's 国庆 is still there */
	due_is(f, "2026-12-30", 1, "2027-01-04", 0); /* 12-31 and 01-01 now off, both years covered */
	/* a file of two days of 2029 sets them, and 2029 stays not covered */
	assert_int_equal(import(f, "日期,类型\n2029-01-01,休\n2029-01-02,休\n", &s), 0);
	assert_int_equal(s.n_years, 0);
	assert_int_equal(s.added, 2);
	due_is(f, "2028-12-29", 1, "2029-01-03", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test_setup_teardown(test_due_2026, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_year_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_refused_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_replaces_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_neighbour_days, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
