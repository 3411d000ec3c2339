/* job.h - timed work: jobs that areas register, their schedule, their runs.
 *
 * An area lists its jobs in its struct area (.jobs). A job runs for a slot: a time its
 * schedule names (daily at HH:MM Beijing time, or every N minutes), which is also the
 * "as of" time the job works to, so that a run made late does exactly what the run on
 * time would have done. A slot runs at most once: the run is claimed by inserting its
 * row into job_runs (job, scheduled_for is the primary key), in the transaction that
 * does the work, so a second process trying the same slot waits, then finds it taken.
 * Each run is audited as "job.run", by the system principal (job_principal). */
#ifndef VETS_JOB_H
#define VETS_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/area.h"
#include "db/db.h"

/* When a job is due: every_minutes > 0, at each multiple of it since the epoch (UTC);
 * else daily at hour:minute, Asia/Shanghai. */
struct job_schedule {
	int every_minutes;
	int hour, minute;
};

/* What a run is for, given to the job. */
struct job_run {
	int64_t scheduled_for;      /* the slot: the job works as of this time */
	const struct principal *by; /* whom the job acts as: the system principal */
};

struct job {
	const char *name;  /* "verification.sweep" */
	const char *title; /* in Chinese, for people */
	struct job_schedule schedule;
	/* Does the work in the caller's transaction (pass in_tx to the area). Returns 0 with
	 * *count (what it did, e.g. rows changed) and a line for people in detail, or an
	 * error with the reason in detail; on error the caller rolls everything back. */
	int (*run)(struct db *db, const struct job_run *run, int64_t *count, char *detail,
		   size_t detail_size);
};

/* How a run was started, as stored in job_runs.origin. */
enum job_origin {
	JOB_ON_TIME,  /* "schedule": vets serve, at the slot */
	JOB_CATCH_UP, /* "catch_up": vets serve at start, the slot passed while it was down */
	JOB_COMMAND,  /* "command": vets jobs run (cron, or an operator) */
};

/* "按时", "补运行", "命令行" for an origin as stored ("schedule", …); the text itself
 * when unknown. */
const char *job_origin_title(const char *origin);

/* The area of the runner itself: the audit title of job.run. */
extern const struct area job_area;

/* The job named name among every area's, or NULL. */
const struct job *job_find(const char *name);
/* The i-th job of all areas (in area_list order), or NULL past the last. */
const struct job *job_at(size_t i);

/* The latest slot of s at or before t, and the first one after t. */
int64_t job_slot_at(const struct job_schedule *s, int64_t t);
int64_t job_slot_after(const struct job_schedule *s, int64_t t);
/* The schedule in Chinese, "每天 02:00" or "每 15 分钟", into out. */
void job_schedule_text(const struct job_schedule *s, char *out, size_t size);

/* The system principal that jobs act as: every role, the whole district, audited as
 * "system" (定时任务), whichever process runs the job. */
void job_principal(struct principal *p);

/* Runs job for slot, once: claims the slot, runs the job, records the run (result,
 * count, detail) and audits it, all in one transaction; a failed job is rolled back
 * and its failure recorded and audited in a transaction of its own. Returns 0 when
 * the job succeeded; VE_EXISTS when the slot has run already (or is being run by
 * another process), nothing done; the job's error otherwise. detail gets the job's
 * line, or why nothing ran. */
int job_run_slot(struct db *db, const struct job *job, int64_t slot, enum job_origin origin,
		 char *detail, size_t detail_size);

/* The last recorded run of job (the one of the latest slot) into *out: 0, with
 * out->scheduled_for 0 when the job never ran; or VE_DB. result is "ok" or "fail",
 * origin as in job_origin_title. */
struct job_last {
	int64_t scheduled_for, started_at, finished_at, count;
	char origin[16], result[8], detail[256];
};
int job_last_run(struct db *db, const struct job *job, struct job_last *out);

/* Whether vets serve runs the slot due at now for a job whose last run was for slot
 * last (0: never ran), the runner having started at started: a slot after the last run,
 * and, for a job that never ran, one that came while the runner was up (a new
 * installation does not run a job for a time before it was there). Pure. */
int job_is_due(int64_t due, int64_t last, int64_t started);

/* The runner of vets serve: a thread that runs each job's slots as they come, one run
 * at a time, on its own database connection (db_thread). At start it runs, once, the
 * latest slot each job missed while no server was up. Start it once the server
 * listens; job_runner_stop wakes it, waits for a run in progress to end, and joins it.
 * Start returns 0, or -1 (logged) when the thread cannot be made. */
int job_runner_start(void);
void job_runner_stop(void);

#endif
