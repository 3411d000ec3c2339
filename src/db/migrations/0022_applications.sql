-- The counter (areas/application.c): an application for a service item received at a window,
-- its materials (handed in, or missing under 容缺 and supplied later), every step it took, and
-- the 失信 list (areas/discredit.c) whose people may not use 容缺受理.
-- The applicant's ID number and phone are sealed to their row (sealed.h) with a blind index and
-- a masked copy for lists. Rows belong to the receiving office's place (region_code).
CREATE TABLE applications (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	item_id INTEGER NOT NULL REFERENCES service_items(id),
	tracking_code TEXT NOT NULL UNIQUE,     -- XXXX-XXXX-XXXX-XXXX, Crockford base32, 80 random bits
	status TEXT NOT NULL CHECK (status IN ('已受理', '容缺受理', '补正中', '已办结', '不予受理',
		'已退回', '已终止')),
	name TEXT NOT NULL,
	id_enc BLOB, id_bidx TEXT NOT NULL, id_mask TEXT NOT NULL,
	phone_enc BLOB, phone_mask TEXT NOT NULL DEFAULT '',
	promise INTEGER NOT NULL DEFAULT 0,     -- the written promise of 容缺受理
	partial INTEGER NOT NULL DEFAULT 0,     -- received as 容缺受理 (a material missing)
	accepted_on TEXT NOT NULL,              -- YYYY-MM-DD
	time_limit_days INTEGER NOT NULL,       -- the item's promised limit when received
	paused_days INTEGER NOT NULL DEFAULT 0, -- working days the clock stood still for 补正
	paused_on TEXT,                         -- the day the running 补正 began, or NULL
	resume_status TEXT,                     -- the status a running 补正 returns to
	due TEXT NOT NULL,                      -- calendar_due(accepted_on, limit + paused_days)
	weekends_only INTEGER NOT NULL DEFAULT 0, -- due counted on weekends alone (no calendar that year)
	supply_by TEXT,                         -- the 容缺 materials' deadline (<= due), or NULL
	overdue INTEGER NOT NULL DEFAULT 0,     -- flagged by the daily job: open past its due day
	closed_on TEXT,                         -- 办结, 不予受理, 退回 or 终止
	clerk_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX applications_open ON applications(status, due);
CREATE INDEX applications_supply ON applications(status, supply_by);
-- the year's figures read this index alone
CREATE INDEX applications_accepted ON applications(accepted_on, status, partial, closed_on, due,
	region_code, clerk_id);
-- the queues walk the due days in order
CREATE INDEX applications_due ON applications(due, status);
CREATE INDEX applications_id_bidx ON applications(id_bidx);
CREATE INDEX applications_clerk ON applications(clerk_id, status);
CREATE INDEX applications_overdue ON applications(overdue);

CREATE TABLE application_materials (
	application_id INTEGER NOT NULL REFERENCES applications(id),
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	essential INTEGER NOT NULL,
	handed_in INTEGER NOT NULL,             -- 1 at acceptance
	supplied_on TEXT,                       -- 补齐: the day a missing one came
	PRIMARY KEY (application_id, position)
);

CREATE TABLE application_steps (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	region_code TEXT NOT NULL,
	step TEXT NOT NULL,                     -- 受理, 容缺受理, 补正, 补正完成, 补齐, 办结, 不予受理, 退回, 终止
	on_day TEXT NOT NULL,
	at INTEGER NOT NULL,
	by_user INTEGER,                        -- NULL: the deadline job
	by_name TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_steps_app ON application_steps(application_id, id);

-- 失信 list: people who may not use 容缺受理, found by the blind index of their ID number.
CREATE TABLE discredits (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	name TEXT NOT NULL,
	id_enc BLOB, id_bidx TEXT NOT NULL UNIQUE, id_mask TEXT NOT NULL,
	reason TEXT NOT NULL,
	listed_on TEXT NOT NULL,
	until_on TEXT,                          -- the listing ends after this day; NULL: until removed
	created_at INTEGER NOT NULL, created_by INTEGER
);
