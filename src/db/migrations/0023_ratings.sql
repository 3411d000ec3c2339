-- 好差评 (areas/rating.c): one rating per application, made at the counter (staff entering
-- the applicant's choice) or by the applicant on the public tracking page. A 差评 of a
-- named applicant owes a 回访 (follow-up call) and an 整改 (what was fixed) by
-- followup_due, a working-day deadline; the daily job marks the late ones. A rating made
-- in error may be appealed (申诉复核); an upheld appeal keeps the row but takes it out of
-- the statistics (excluded = 1).
CREATE TABLE ratings (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL UNIQUE REFERENCES applications(id),
	region_code TEXT NOT NULL,          -- the application's, for scope
	org_id INTEGER,                     -- the application's office
	level TEXT NOT NULL CHECK (level IN ('非常满意', '满意', '基本满意', '不满意', '非常不满意')),
	bad INTEGER NOT NULL CHECK (bad IN (0, 1)),       -- 不满意 or 非常不满意
	named INTEGER NOT NULL CHECK (named IN (0, 1)),   -- the applicant's identity is known
	channel TEXT NOT NULL CHECK (channel IN ('窗口', '查询页')),
	comment TEXT NOT NULL DEFAULT '',
	rated_on TEXT NOT NULL,             -- YYYY-MM-DD, Beijing time
	rated_at INTEGER NOT NULL, rated_by INTEGER, rated_name TEXT NOT NULL,
	followup_due TEXT,                  -- a named 差评: 回访 and 整改 due by this day
	due_weekends_only INTEGER NOT NULL DEFAULT 0,  -- due computed on weekends alone (year not in the calendar)
	visit_on TEXT, visit_person TEXT, visit_note TEXT, visit_at INTEGER, visit_by INTEGER, visit_name TEXT,
	fix_on TEXT, fix_note TEXT, fix_at INTEGER, fix_by INTEGER, fix_name TEXT,
	late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- flagged by the daily job
	late_on TEXT,
	appeal_status TEXT CHECK (appeal_status IN ('待复核', '申诉成立', '申诉不成立')),
	appeal_reason TEXT, appeal_at INTEGER, appeal_by INTEGER, appeal_name TEXT,
	decision_note TEXT, decided_at INTEGER, decided_by INTEGER, decided_name TEXT,
	excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1))
);
CREATE INDEX ratings_rated_on ON ratings(rated_on);
CREATE INDEX ratings_open_bad ON ratings(bad, followup_due);

-- 查问题: a problem a leader found while 走流程, 坐窗口 or 查问题, the office responsible
-- for it, the day it must be fixed by, the fix the office records, and the leader's
-- confirmation that closes it (or sends it back).
CREATE TABLE inspections (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('走流程', '坐窗口', '查问题')),
	found_on TEXT NOT NULL,
	finding TEXT NOT NULL,
	application_id INTEGER REFERENCES applications(id),
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	fix_by TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('待整改', '待确认', '已销号')),
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	fix_note TEXT, fixed_on TEXT, fixed_at INTEGER, fixed_by INTEGER, fixed_name TEXT,
	return_note TEXT,
	closed_on TEXT, closed_at INTEGER, closed_by INTEGER, closed_name TEXT
);
CREATE INDEX inspections_status ON inspections(status, fix_by);
CREATE INDEX inspections_org ON inspections(org_id);
