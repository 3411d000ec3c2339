-- 意见征集 (areas/consultation.c): a draft document (policy, rule) open for the public's
-- comments between two dates, Beijing time, both inclusive. Its status is not stored: it
-- follows from the dates and today (未开始, 征集中, 已结束). Comments wait for moderation
-- (待审核), then are published (已发布) or not (未采用, with a reason staff see). After the
-- close, staff publish a summary of what was adopted and why not.
CREATE TABLE consultations (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,             -- the creating user's organisation's region
	org_id INTEGER REFERENCES orgs(id),
	title TEXT NOT NULL,                   -- 《……（征求意见稿）》
	body TEXT NOT NULL,                    -- the draft, Markdown
	opens_on TEXT NOT NULL,                -- YYYY-MM-DD, first day comments are taken
	closes_on TEXT NOT NULL CHECK (closes_on >= opens_on), -- last day comments are taken
	summary TEXT NOT NULL DEFAULT '',      -- 采纳情况 (Markdown), after the close
	summary_at INTEGER, summary_by INTEGER, summary_name TEXT,
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	updated_at INTEGER NOT NULL, updated_by INTEGER, updated_name TEXT NOT NULL
);
CREATE INDEX consultations_dates ON consultations(opens_on, closes_on);

-- A visitor's comment. No contact data is collected (a reply goes through 区长信箱); the
-- name is optional, shown to staff only. client_hash is a keyed hash of the sender's
-- address (never the address), so that moderators see comments from one source.
CREATE TABLE consultation_comments (
	id INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id),
	region_code TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	submitted_at INTEGER NOT NULL,
	submitted_on TEXT NOT NULL,            -- YYYY-MM-DD, Beijing time
	client_hash TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('待审核', '已发布', '未采用')),
	reason TEXT NOT NULL DEFAULT '',       -- why not published (staff only)
	moderated_at INTEGER, moderated_by INTEGER, moderated_name TEXT
);
CREATE INDEX consultation_comments_of ON consultation_comments(consultation_id, status, id);
