/* job.c - timed work: the jobs areas register, their slots, one run per slot, and the
 * runner thread of vets serve. */
#include "job.h"

#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "areas/audit.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/str.h"

#define DAY (24 * 3600)
#define SHANGHAI_OFFSET (8 * 3600)
/* The runner looks at the clock at least this often (seconds), so that a clock set
 * forward or back is noticed. */
#define RUNNER_MAX_SLEEP 60

/* ---- the jobs of all areas ---- */

const struct job *job_at(size_t i)
{
	for (const struct area *const *a = area_list; *a; a++)
		for (const struct job *const *j = (*a)->jobs; j && *j; j++)
			if (i-- == 0)
				return *j;
	return NULL;
}

const struct job *job_find(const char *name)
{
	const struct job *j;
	for (size_t i = 0; name && (j = job_at(i)); i++)
		if (strcmp(j->name, name) == 0)
			return j;
	return NULL;
}

/* ---- slots ---- */

/* Floor division, so that times before an offset still fall in the right period. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The period of s in seconds and the offset of its slots from the epoch. */
static void period_of(const struct job_schedule *s, int64_t *period, int64_t *offset)
{
	if (s->every_minutes > 0) {
		*period = (int64_t)s->every_minutes * 60;
		*offset = 0;
	} else {
		*period = DAY;
		*offset = (int64_t)s->hour * 3600 + (int64_t)s->minute * 60 - SHANGHAI_OFFSET;
	}
}

int64_t job_slot_at(const struct job_schedule *s, int64_t t)
{
	int64_t period, offset;
	period_of(s, &period, &offset);
	return floor_div(t - offset, period) * period + offset;
}

int64_t job_slot_after(const struct job_schedule *s, int64_t t)
{
	int64_t period, offset;
	period_of(s, &period, &offset);
	return job_slot_at(s, t) + period;
}

void job_schedule_text(const struct job_schedule *s, char *out, size_t size)
{
	if (s->every_minutes > 0)
		snprintf(out, size, "每 %d 分钟", s->every_minutes);
	else
		snprintf(out, size, "每天 %02d:%02d", s->hour, s->minute);
}

int job_is_due(int64_t due, int64_t last, int64_t started)
{
	return last ? due > last : due >= started;
}

/* ---- one run ---- */

static const char *const origins[][2] = {
	[JOB_ON_TIME] = {"schedule", "按时"},
	[JOB_CATCH_UP] = {"catch_up", "补运行"},
	[JOB_COMMAND] = {"command", "命令行"},
};

const char *job_origin_title(const char *origin)
{
	for (size_t i = 0; origin && i < sizeof(origins) / sizeof(origins[0]); i++)
		if (strcmp(origins[i][0], origin) == 0)
			return origins[i][1];
	return origin ? origin : "";
}

void job_principal(struct principal *p)
{
	account_cli_principal(p);
	str_copy(p->username, "system", sizeof(p->username));
	str_copy(p->display_name, "定时任务", sizeof(p->display_name));
}

/* The audit record of a run of job for slot, in the caller's transaction. 0 or VE_DB. */
static int audit_run(struct db *db, const struct principal *by, const struct job *job, int64_t slot,
		     enum job_origin origin, const char *result, const char *detail)
{
	char object[96], text[400], at[17];
	clock_local_minute(slot, at);
	snprintf(object, sizeof(object), "job:%s", job->name);
	snprintf(text, sizeof(text), "%s，计划时间 %s（%s）：%s", job->title, at,
		 origins[origin][1], detail);
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, "job.run", object, result, text) ? VE_DB : 0;
}

/* Records and audits a failed run, in a transaction of its own (the job's own was
 * rolled back). VE_EXISTS when another process has run the slot meanwhile. */
static int record_failure(struct db *db, const struct principal *by, const struct job *job,
			  int64_t slot, enum job_origin origin, int64_t started, const char *detail)
{
	if (db_tx_begin(db, 0) != 0)
		return VE_DB;
	int rc =
		db_run(db,
		       "INSERT INTO job_runs (job, scheduled_for, origin, started_at, finished_at, "
		       "result, n_done, detail) VALUES (?, ?, ?, ?, ?, 'fail', 0, ?)",
		       "sisiis", job->name, slot, origins[origin][0], started, clock_now(), detail);
	if (rc == 0)
		rc = audit_run(db, by, job, slot, origin, "fail", detail);
	return db_tx_end(db, 0, rc);
}

int job_run_slot(struct db *db, const struct job *job, int64_t slot, enum job_origin origin,
		 char *detail, size_t detail_size)
{
	struct principal system;
	job_principal(&system);
	const struct job_run run = {slot, &system};
	int64_t started = clock_now(), count = 0;
	char at[17];
	clock_local_minute(slot, at);
	detail[0] = '\0';
	/* The claim: the run's row, in the transaction that does the work. A second process
	 * waits for the write lock, then finds the row there. */
	if (db_tx_begin(db, 0) != 0)
		return err_set(detail, detail_size, VE_DB, "数据库忙，未能运行，请稍后再试");
	int rc =
		db_run(db,
		       "INSERT INTO job_runs (job, scheduled_for, origin, started_at, finished_at, "
		       "result, n_done, detail) VALUES (?, ?, ?, ?, ?, 'ok', 0, '')",
		       "sisii", job->name, slot, origins[origin][0], started, started);
	if (rc) {
		db_tx_end(db, 0, rc);
		if (rc == VE_EXISTS)
			return err_set(detail, detail_size, VE_EXISTS,
				       "“%s”计划于 %s 的运行已经进行过，未重复运行", job->title,
				       at);
		return err_set(detail, detail_size, VE_DB, "数据库错误，未能运行");
	}
	rc = job->run(db, &run, &count, detail, detail_size);
	if (rc == 0 &&
	    (db_run(db,
		    "UPDATE job_runs SET finished_at = ?, n_done = ?, detail = ? WHERE job = ? AND "
		    "scheduled_for = ?",
		    "iissi", clock_now(), count, detail, job->name, slot) ||
	     audit_run(db, &system, job, slot, origin, "ok", detail)))
		rc = err_set(detail, detail_size, VE_DB, "记录运行结果失败，本次运行已撤销");
	if (db_tx_end(db, 0, rc) == 0)
		return 0;
	if (rc == 0) /* the commit failed */
		rc = err_set(detail, detail_size, VE_DB, "记录运行结果失败，本次运行已撤销");
	if (!detail[0])
		str_copy(detail, err_message(rc), detail_size);
	int recorded = record_failure(db, &system, job, slot, origin, started, detail);
	if (recorded)
		log_error("job.record_failed", "job=%s slot=%s error=%s", job->name, at,
			  err_name(recorded));
	return rc;
}

int job_last_run(struct db *db, const struct job *job, struct job_last *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st =
		db_q(db,
		     "SELECT scheduled_for, started_at, finished_at, n_done, origin, "
		     "result, detail FROM job_runs WHERE job = ? ORDER BY scheduled_for "
		     "DESC LIMIT 1",
		     "s", job->name);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->scheduled_for = db_int(st, 0);
		out->started_at = db_int(st, 1);
		out->finished_at = db_int(st, 2);
		out->count = db_int(st, 3);
		str_copy(out->origin, db_text(st, 4), sizeof(out->origin));
		str_copy(out->result, db_text(st, 5), sizeof(out->result));
		str_copy(out->detail, db_text(st, 6), sizeof(out->detail));
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

/* ---- the runner of vets serve ---- */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* on CLOCK_MONOTONIC */
	int started, stopping;
	int64_t since; /* clock_now() when the runner started */
} runner = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int stopping(void)
{
	pthread_mutex_lock(&runner.lock);
	int s = runner.stopping;
	pthread_mutex_unlock(&runner.lock);
	return s;
}

/* Runs job's slot due at now when it is due. Returns the time to look again: its next
 * slot, or a minute on when the store failed. */
static int64_t run_if_due(struct db *db, const struct job *job, int64_t now)
{
	struct job_last last;
	int64_t due = job_slot_at(&job->schedule, now);
	if (job_last_run(db, job, &last) != 0)
		return now + RUNNER_MAX_SLEEP;
	if (job_is_due(due, last.scheduled_for, runner.since)) {
		char detail[256], at[17];
		clock_local_minute(due, at);
		enum job_origin origin = due < runner.since ? JOB_CATCH_UP : JOB_ON_TIME;
		int rc = job_run_slot(db, job, due, origin, detail, sizeof(detail));
		if (rc == 0)
			log_info("job.run", "job=%s slot=%s result=ok detail=%s", job->name, at, detail);
		else if (rc != VE_EXISTS) /* VE_EXISTS: another process ran it */
			log_warn("job.run", "job=%s slot=%s result=%s detail=%s", job->name, at,
				 err_name(rc), detail);
		if (rc == VE_DB)
			return now + RUNNER_MAX_SLEEP;
	}
	return job_slot_after(&job->schedule, now);
}

static void *runner_main(void *unused)
{
	(void)unused;
	struct db *db = db_thread();
	for (int pass = 0; db && !stopping(); pass++) {
		int64_t now = clock_now(), wake_at = now + RUNNER_MAX_SLEEP, next_slot = INT64_MAX;
		const struct job *job;
		for (size_t i = 0; (job = job_at(i)) && !stopping(); i++) {
			int64_t next = run_if_due(db, job, now);
			if (next < wake_at)
				wake_at = next;
			if (next < next_slot)
				next_slot = next;
		}
		if (pass == 0) { /* the catch-up is done: say so once, with what comes next */
			char at[17] = "-";
			if (next_slot != INT64_MAX)
				clock_local_minute(next_slot, at);
			log_info("job.runner_ready", "next=%s tz=Asia/Shanghai", at);
		}
		/* clock_now() counts whole seconds, rounded down: waiting its difference from
		 * now on the monotonic clock wakes at or after wake_at, never before. */
		int64_t wait = wake_at - clock_now();
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait < 1 ? 1 : wait;
		pthread_mutex_lock(&runner.lock);
		if (!runner.stopping)
			pthread_cond_timedwait(&runner.wake, &runner.lock, &until);
		pthread_mutex_unlock(&runner.lock);
	}
	db_thread_close();
	return NULL;
}

int job_runner_start(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&runner.wake, &attr);
	pthread_condattr_destroy(&attr);
	runner.stopping = 0;
	runner.since = clock_now();
	/* The runner takes no signal: SIGTERM is for the thread that stops the server. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&runner.thread, NULL, runner_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&runner.wake);
		log_error("job.runner_failed", "error=%s", "the thread could not be started");
		return -1;
	}
	runner.started = 1;
	return 0;
}

void job_runner_stop(void)
{
	if (!runner.started)
		return;
	pthread_mutex_lock(&runner.lock);
	runner.stopping = 1;
	pthread_cond_signal(&runner.wake);
	pthread_mutex_unlock(&runner.lock);
	pthread_join(runner.thread, NULL);
	pthread_cond_destroy(&runner.wake);
	runner.started = 0;
}

/* ---- the area ---- */

static const struct audit_title audit_titles[] = {
	{"job.run", "运行定时任务"},
	{NULL, NULL},
};

const struct area job_area = {
	.name = "job",
	.audit_titles = audit_titles,
};
