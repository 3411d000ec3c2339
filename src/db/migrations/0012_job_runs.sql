-- The runs of timed jobs (areas/job.c), one row per job and slot: the time the job's
-- schedule names, which is also the time it works "as of". The row is inserted in the
-- transaction that does the job's work, so the key below is the claim: a second
-- process (vets serve and a cron's vets jobs run, say) trying the same slot waits for
-- the first, then fails on the key and does nothing. A failed run is rolled back and
-- recorded on its own ('fail'); its slot is not run again by itself.
CREATE TABLE job_runs (
	job TEXT NOT NULL,                  -- "verification.sweep"
	scheduled_for INTEGER NOT NULL,     -- the slot, epoch seconds (UTC)
	origin TEXT NOT NULL CHECK (origin IN ('schedule', 'catch_up', 'command')),
	started_at INTEGER NOT NULL,
	finished_at INTEGER NOT NULL,
	result TEXT NOT NULL CHECK (result IN ('ok', 'fail')),
	n_done INTEGER NOT NULL DEFAULT 0,  -- what the job did, e.g. entitlements suspended
	detail TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (job, scheduled_for)
);
