/* test_job.c - the job runner's rules: slots of a daily and an every-N-minutes schedule
 * (tables of cases), which slot vets serve runs, the registered jobs; and on a real
 * SQLite file: a slot runs once (a second claim changes nothing), a failed job is
 * rolled back and recorded, every run is audited, and the verification sweep works as
 * of its slot, not as of the day it runs.
 *
 * "Today" is 2026-12-15 (VETS_FAKE_NOW). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/entitlement.h"
#include "areas/job.h"
#include "areas/person.h"
#include "areas/region.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"

#include "fixture.h"

/* Epoch seconds of a Beijing time "YYYY-MM-DD HH:MM:SS". */
static int64_t local(const char *text)
{
	char date[11];
	int64_t midnight;
	int h, m, s;
	snprintf(date, sizeof(date), "%.10s", text);
	if (clock_parse_date(date, &midnight) != 0 ||
	    sscanf(text + 11, "%d:%d:%d", &h, &m, &s) != 3)
		fail_msg("bad time in the test: %s", text);
	return midnight + h * 3600 + m * 60 + s;
}

/* ---- slots ---- */

static void test_slots(void **state)
{
	(void)state;
	static const struct {
		struct job_schedule schedule;
		const char *now, *slot, *next;
	} cases[] = {
		/* daily at 02:00 Beijing time: 18:00 UTC the day before */
		{{0, 2, 0}, "2026-11-10 01:59:59", "2026-11-09 02:00", "2026-11-10 02:00"},
		{{0, 2, 0}, "2026-11-10 02:00:00", "2026-11-10 02:00", "2026-11-11 02:00"},
		{{0, 2, 0}, "2026-11-10 23:59:59", "2026-11-10 02:00", "2026-11-11 02:00"},
		{{0, 2, 0}, "2027-01-01 00:30:00", "2026-12-31 02:00", "2027-01-01 02:00"},
		/* at midnight and late in the evening (another UTC day) */
		{{0, 0, 0}, "2026-11-10 00:00:00", "2026-11-10 00:00", "2026-11-11 00:00"},
		{{0, 23, 30}, "2026-11-10 07:59:00", "2026-11-09 23:30", "2026-11-10 23:30"},
		{{0, 23, 30}, "2026-11-10 23:31:00", "2026-11-10 23:30", "2026-11-11 23:30"},
		/* every 15 minutes, on the quarter hours */
		{{15, 0, 0}, "2026-11-10 10:14:59", "2026-11-10 10:00", "2026-11-10 10:15"},
		{{15, 0, 0}, "2026-11-10 10:15:00", "2026-11-10 10:15", "2026-11-10 10:30"},
		{{15, 0, 0}, "2026-11-10 23:59:00", "2026-11-10 23:45", "2026-11-11 00:00"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t now = local(cases[i].now);
		char slot[17], next[17];
		clock_local_minute(job_slot_at(&cases[i].schedule, now), slot);
		clock_local_minute(job_slot_after(&cases[i].schedule, now), next);
		if (strcmp(slot, cases[i].slot) != 0 || strcmp(next, cases[i].next) != 0)
			fail_msg("case %zu (%s): slot %s next %s, expected %s and %s", i,
				 cases[i].now, slot, next, cases[i].slot, cases[i].next);
	}
	/* every 7 minutes: multiples of 420 s since the epoch, not of the hour */
	struct job_schedule seven = {7, 0, 0};
	assert_int_equal(job_slot_at(&seven, 1000), 840);
	assert_int_equal(job_slot_after(&seven, 1000), 1260);
	assert_int_equal(job_slot_at(&seven, 840), 840);
}

static void test_schedule_text(void **state)
{
	(void)state;
	char text[32];
	job_schedule_text(&(struct job_schedule){0, 2, 0}, text, sizeof(text));
	assert_string_equal(text, "每天 02:00");
	job_schedule_text(&(struct job_schedule){15, 0, 0}, text, sizeof(text));
	assert_string_equal(text, "每 15 分钟");
}

static void test_due(void **state)
{
	(void)state;
	static const struct {
		int64_t due, last, started;
		int expected;
		const char *why;
	} cases[] = {
		{1000, 900, 5000, 1, "a slot after the last run, missed while down: caught up"},
		{1000, 900, 500, 1, "a slot after the last run, come while up: on time"},
		{1000, 1000, 500, 0, "the slot has run"},
		{1000, 2000, 500, 0, "a later slot has run (the clock went back)"},
		{1000, 0, 500, 1, "never ran, the slot came while up"},
		{1000, 0, 1000, 1, "never ran, the slot came as the runner started"},
		{1000, 0, 1001, 0, "never ran, the slot was before the installation ran"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (job_is_due(cases[i].due, cases[i].last, cases[i].started) != cases[i].expected)
			fail_msg("case %zu: %s", i, cases[i].why);
}

static void test_registered(void **state)
{
	(void)state;
	const struct job *sweep = job_find("verification.sweep");
	assert_non_null(sweep);
	assert_string_equal(sweep->title, "年度确认逾期中止");
	assert_int_equal(sweep->schedule.every_minutes, 0);
	assert_int_equal(sweep->schedule.hour, 2);
	assert_null(job_find("verification"));
	assert_null(job_find(NULL));
	size_t n = 0;
	while (job_at(n))
		n++;
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) /* names are unique: job_find finds each itself */
		assert_ptr_equal(job_find(job_at(i)->name), job_at(i));
	assert_string_equal(area_audit_title("job.run"), "运行定时任务");
	assert_string_equal(job_origin_title("catch_up"), "补运行");
	struct principal system;
	job_principal(&system);
	assert_string_equal(system.username, "system");
	assert_int_equal(system.user_id, 0);
}

/* ---- runs, on a real database ---- */

struct fixture {
	struct test_store store;
	struct principal cli, clerk, reviewer;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256] = "";
	if (test_district_open(&f->store, "job"))
		return -1;
	account_cli_principal(&f->cli);
	struct region_entry regions[] = {
		{"420199", "示范区", "", 1},
		{"420199001", "东湖街道", "420199", 2},
	};
	if (region_store(f->store.db, &f->cli, regions, 2, err, sizeof(err)))
		return fprintf(stderr, "%s\n", err), -1;
	f->clerk = f->cli;
	f->clerk.user_id = 101;
	f->reviewer = f->cli;
	f->reviewer.user_id = 102;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

static int64_t count(struct fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(f->store.db, &n, -1, sql, ""), 0);
	return n;
}

/* A job that writes a setting (so that a rollback shows) and fails when told to. */
static int fail_next;
static int settings_job(struct db *db, const struct job_run *run, int64_t *n, char *detail,
			size_t size)
{
	if (db_run(db,
		   "INSERT INTO settings (key, value, updated_at) VALUES ('test.job', 'x', ?) ON "
		   "CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at",
		   "i", run->scheduled_for))
		return err_set(detail, size, VE_DB, "写入失败");
	*n = 1;
	if (fail_next)
		return err_set(detail, size, VE_CONFLICT, "测试要求失败");
	snprintf(detail, size, "完成，as of %lld，by %s", (long long)run->scheduled_for,
		 run->by->username);
	return 0;
}

static const struct job test_job = {"test.settings", "测试任务", {15, 0, 0}, settings_job};

static void test_a_slot_runs_once(void **state)
{
	struct fixture *f = *state;
	char detail[256];
	int64_t slot = local("2026-12-15 10:00:00");
	fail_next = 0;
	assert_int_equal(
		job_run_slot(f->store.db, &test_job, slot, JOB_COMMAND, detail, sizeof(detail)), 0);
	assert_non_null(strstr(detail, "by system"));
	assert_int_equal(
		job_run_slot(f->store.db, &test_job, slot, JOB_ON_TIME, detail, sizeof(detail)),
		VE_EXISTS);
	assert_non_null(strstr(detail, "已经进行过"));
	assert_int_equal(count(f, "SELECT count(*) FROM job_runs"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'job.run' AND "
				  "actor = 'system' AND result = 'ok'"),
			 1);
	struct job_last last;
	assert_int_equal(job_last_run(f->store.db, &test_job, &last), 0);
	assert_int_equal(last.scheduled_for, slot);
	assert_int_equal(last.count, 1);
	assert_string_equal(last.origin, "command");
	assert_string_equal(last.result, "ok");
	assert_non_null(strstr(last.detail, "完成"));
	assert_int_equal(job_last_run(f->store.db, job_find("verification.sweep"), &last), 0);
	assert_int_equal(last.scheduled_for, 0); /* never ran */
}

static void test_a_failed_run_is_rolled_back_and_recorded(void **state)
{
	struct fixture *f = *state;
	char detail[256];
	int64_t slot = local("2026-12-15 10:15:00");
	fail_next = 1;
	assert_int_equal(
		job_run_slot(f->store.db, &test_job, slot, JOB_CATCH_UP, detail, sizeof(detail)),
		VE_CONFLICT);
	assert_string_equal(detail, "测试要求失败");
	assert_int_equal(count(f, "SELECT count(*) FROM settings WHERE key = 'test.job'"), 0);
	struct job_last last;
	assert_int_equal(job_last_run(f->store.db, &test_job, &last), 0);
	assert_int_equal(last.scheduled_for, slot);
	assert_string_equal(last.result, "fail");
	assert_string_equal(last.origin, "catch_up");
	assert_int_equal(last.count, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'job.run' AND "
				  "result = 'fail' AND detail LIKE '%补运行%测试要求失败%'"),
			 1);
	/* The failed slot is not run again by itself: it stays as it was. */
	fail_next = 0;
	assert_int_equal(
		job_run_slot(f->store.db, &test_job, slot, JOB_ON_TIME, detail, sizeof(detail)),
		VE_EXISTS);
	assert_int_equal(count(f, "SELECT count(*) FROM settings WHERE key = 'test.job'"), 0);
}

/* 褚七 is notified of 2026's verification on 2026-03-01 and never verifies: the 60 days
 * end on 04-30, so the run for 04-30's slot suspends nothing and 05-01's suspends his
 * entitlement, though both run on 2026-12-15. */
static void test_the_sweep_works_as_of_its_slot(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	int64_t id, pid = 0;
	struct standard_text t = {"定期生活补助", "在乡复员军人", "",  "",
				  "2026-01-01",   "6000",         "0", "测试"};
	assert_int_equal(benefit_standard_propose(f->store.db, &f->clerk, &t, 0, &id, NULL, err,
						  sizeof(err)),
			 0);
	assert_int_equal(
		benefit_standard_decide(f->store.db, &f->reviewer, id, 1, err, sizeof(err)), 0);
	char number[19] = "42010619600101041";
	number[17] = idcard_check_char(number);
	number[18] = '\0';
	struct person_text p = {.name = "褚七",
				.id_number = number,
				.categories = "在乡复员军人",
				.street = "东湖街道",
				.bank_name = "工商银行示范支行",
				.bank_account = "6222020000000000041"};
	enum person_outcome out;
	struct field_errors errs = {0};
	assert_int_equal(person_save(f->store.db, &f->cli, &p, 0, 0, &pid, &out, &errs), 0);
	struct entitlement_grant g = {pid, "LIVING", "2026-01", NULL, 0, NULL};
	assert_int_equal(entitlement_grant(f->store.db, &f->clerk, &g, 0, &id, err, sizeof(err)),
			 0);
	assert_int_equal(verification_notify(f->store.db, &f->clerk, pid, 2026, "2026-03-01", 0,
					     err, sizeof(err)),
			 0);

	const struct job *sweep = job_find("verification.sweep");
	char detail[256];
	int64_t day60 = job_slot_at(&sweep->schedule, local("2026-04-30 12:00:00"));
	assert_int_equal(
		job_run_slot(f->store.db, sweep, day60, JOB_CATCH_UP, detail, sizeof(detail)), 0);
	assert_string_equal(detail,
			    "截至 2026-04-30，2025、2026 年度通知后逾期未确认，中止 0 条待遇");
	assert_int_equal(count(f, "SELECT count(*) FROM entitlements WHERE status = '中止'"), 0);
	assert_int_equal(job_run_slot(f->store.db, sweep, day60 + 24 * 3600, JOB_CATCH_UP, detail,
				      sizeof(detail)),
			 0);
	assert_string_equal(detail,
			    "截至 2026-05-01，2025、2026 年度通知后逾期未确认，中止 1 条待遇");
	assert_int_equal(count(f, "SELECT count(*) FROM entitlements WHERE status = '中止' AND "
				  "status_date = '2026-05-01'"),
			 1);
	/* The sweep's own record, as the button writes it, by the system principal. */
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
				  "'verification.sweep' AND actor = 'system'"),
			 1);
	struct job_last last;
	assert_int_equal(job_last_run(f->store.db, sweep, &last), 0);
	assert_int_equal(last.count, 1);
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1797292800", 1); /* 2026-12-15 08:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_schedule_text),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_registered),
		cmocka_unit_test_setup_teardown(test_a_slot_runs_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_failed_run_is_rolled_back_and_recorded,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_sweep_works_as_of_its_slot, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
