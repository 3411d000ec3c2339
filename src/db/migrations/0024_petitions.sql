-- 信访 and 区长信箱 (areas/petition.c): every letter, visit, call, online petition and
-- mailbox message, its steps (受理 or 不予受理, 交办, 延期, 办结, 答复, 复查) and, for the
-- mailbox, the public version of its reply. Dates are YYYY-MM-DD text; deadlines are
-- calendar days (受理 within 15 days of receipt, 办结 within 60 days of acceptance plus
-- an approved extension of at most 30). The writer's ID number, phone and address are
-- sealed, bound to the row (areas/sealed.h); the ID has a blind index to find repeats.
CREATE TABLE petitions (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,             -- 编号: the ledger's, or XF-YYYY-NNNNNN
	region_code TEXT NOT NULL,             -- the street (or district) that registered it
	org_id INTEGER REFERENCES orgs(id),
	source TEXT NOT NULL CHECK (source IN ('来信', '来访', '来电', '网上信访', '区长信箱')),
	status TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	id_enc BLOB, id_bidx TEXT, id_mask TEXT NOT NULL DEFAULT '',
	phone_enc BLOB, phone_mask TEXT NOT NULL DEFAULT '',
	address_enc BLOB,
	subject TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL DEFAULT '',
	received_on TEXT NOT NULL,
	decide_by TEXT NOT NULL,               -- received_on + 15 days
	accepted INTEGER,                      -- NULL undecided, 1 受理, 0 不予受理
	decided_on TEXT,                       -- 受理日期 (or the date of 不予受理)
	decide_note TEXT NOT NULL DEFAULT '',  -- why not accepted, or why accepted late
	assigned_org_id INTEGER REFERENCES orgs(id),
	assignee TEXT NOT NULL DEFAULT '',
	assigned_on TEXT,
	ext_state TEXT,                        -- NULL, 'asked', 'approved', 'refused'
	ext_asked_days INTEGER NOT NULL DEFAULT 0,
	ext_days INTEGER NOT NULL DEFAULT 0 CHECK (ext_days BETWEEN 0 AND 30),
	ext_reason TEXT NOT NULL DEFAULT '',
	ext_asked_by INTEGER,
	due_on TEXT,                           -- decided_on + 60 days + ext_days, once accepted
	closed_on TEXT,
	close_days INTEGER,                    -- days from decided_on to closed_on
	close_note TEXT NOT NULL DEFAULT '',
	replied_on TEXT,
	reply_text TEXT NOT NULL DEFAULT '',
	review_asked_on TEXT,
	review_due TEXT,                       -- review_asked_on + 30 days
	review_answered_on TEXT,
	review_text TEXT NOT NULL DEFAULT '',
	duplicate_of INTEGER REFERENCES petitions(id),
	consent INTEGER NOT NULL DEFAULT 0,    -- the mailbox writer agrees to publication
	public_question TEXT NOT NULL DEFAULT '',
	public_reply TEXT NOT NULL DEFAULT '',
	published_on TEXT,
	flag TEXT NOT NULL DEFAULT '',         -- the deadline job's: 受理超期, 办结超期, 复查超期
	flagged_on TEXT,
	imported INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX petitions_received ON petitions(received_on);
CREATE INDEX petitions_status ON petitions(status, received_on);
CREATE INDEX petitions_id_bidx ON petitions(id_bidx);
-- The overdue (flagged) are few among many: the desk's list walks them newest first, and
-- counts them (by scope and the list's filters) from the index alone.
CREATE INDEX petitions_flagged ON petitions(received_on, id) WHERE flag <> '';
CREATE INDEX petitions_flagged_count ON petitions(region_code, status, source, created_by, flag) WHERE flag <> '';
CREATE INDEX petitions_region ON petitions(region_code, received_on);
CREATE INDEX petitions_published ON petitions(published_on);

CREATE TABLE petition_steps (
	id INTEGER PRIMARY KEY,
	petition_id INTEGER NOT NULL REFERENCES petitions(id),
	region_code TEXT NOT NULL,
	step TEXT NOT NULL,
	on_day TEXT NOT NULL,
	at INTEGER NOT NULL,
	by_user INTEGER,
	by_name TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX petition_steps_petition ON petition_steps(petition_id, id);

-- One number that every write of petitions raises (registering, a step, an import, the
-- deadline job): the statistics computed for a version are kept and served again until
-- it changes.
CREATE TABLE petition_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO petition_version (id, version) VALUES (1, 0);
