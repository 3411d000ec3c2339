-- 就业创业 (areas/employment.c): enterprises by their 统一社会信用代码 (one row per code),
-- job fairs and the enterprises and positions taking part in each, veterans seeking work
-- (linked to the registry) and what came of it (hired where, when).

-- An enterprise, known once by its code whatever fair brought it. Reference data, not a
-- person's: every reader of the area sees every enterprise; region_code is the street it
-- is in when known, else the creating user's organisation's region.
CREATE TABLE employment_enterprises (
	id INTEGER PRIMARY KEY,
	uscc TEXT NOT NULL UNIQUE,             -- 统一社会信用代码, 18 characters, checked
	name TEXT NOT NULL,
	street_code TEXT REFERENCES regions(code), -- 所在街道 (for matching), or NULL
	region_code TEXT NOT NULL,
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL
);

-- A job fair (招聘会), online or on site, organised by the district or a street.
CREATE TABLE employment_fairs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('线下', '线上')),
	held_on TEXT NOT NULL,                 -- YYYY-MM-DD
	place TEXT NOT NULL,                   -- 地点, or the platform of an online fair
	region_code TEXT NOT NULL,             -- the organising user's organisation's region
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	updated_at INTEGER NOT NULL, updated_by INTEGER, updated_name TEXT NOT NULL
);
CREATE INDEX employment_fairs_day ON employment_fairs(held_on, id);

-- The enterprises taking part in a fair.
CREATE TABLE employment_fair_enterprises (
	fair_id INTEGER NOT NULL REFERENCES employment_fairs(id),
	enterprise_id INTEGER NOT NULL REFERENCES employment_enterprises(id),
	region_code TEXT NOT NULL,             -- the fair's
	PRIMARY KEY (fair_id, enterprise_id)
);
CREATE INDEX employment_fair_enterprises_of ON employment_fair_enterprises(enterprise_id, fair_id);

-- A position an enterprise offers at a fair: 招聘人数 (headcount) and the monthly pay range
-- in 分 (0 for 面议 at either end).
CREATE TABLE employment_positions (
	id INTEGER PRIMARY KEY,
	fair_id INTEGER NOT NULL REFERENCES employment_fairs(id),
	enterprise_id INTEGER NOT NULL REFERENCES employment_enterprises(id),
	title TEXT NOT NULL,
	headcount INTEGER NOT NULL CHECK (headcount >= 1),
	pay_min INTEGER NOT NULL DEFAULT 0 CHECK (pay_min >= 0),
	pay_max INTEGER NOT NULL DEFAULT 0 CHECK (pay_max >= 0),
	requirements TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,             -- the fair's
	created_at INTEGER NOT NULL, created_by INTEGER,
	UNIQUE (fair_id, enterprise_id, title)
);
CREATE INDEX employment_positions_enterprise ON employment_positions(enterprise_id, id);

-- A veteran seeking work: one open record per person at a time (a new one after the
-- last ended in a hire or was withdrawn). 意向 and 技能 are short texts, several items
-- separated by 、 , ， ; or spaces, matched against positions.
CREATE TABLE employment_seekers (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,             -- the person's, when registered
	street_code TEXT,                      -- the person's street, for matching
	intention TEXT NOT NULL,               -- 求职意向
	skills TEXT NOT NULL DEFAULT '',       -- 技能
	registered_on TEXT NOT NULL,           -- YYYY-MM-DD
	status TEXT NOT NULL CHECK (status IN ('求职中', '已就业', '已退出')),
	hired_on TEXT,                         -- 就业日期
	hired_enterprise_id INTEGER REFERENCES employment_enterprises(id),
	hired_position_id INTEGER REFERENCES employment_positions(id),
	hired_title TEXT,                      -- 岗位, kept when the fair's position list changes
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	updated_at INTEGER NOT NULL, updated_by INTEGER, updated_name TEXT NOT NULL,
	CHECK (hired_on IS NULL OR hired_on >= registered_on)
);
CREATE INDEX employment_seekers_person ON employment_seekers(person_id, id);
CREATE INDEX employment_seekers_region ON employment_seekers(region_code, status, id);
CREATE INDEX employment_seekers_registered ON employment_seekers(registered_on, id);
CREATE INDEX employment_seekers_hired ON employment_seekers(hired_on, id);
-- Replacing a fair's positions clears the hires that named them and deletes the rows; each
-- deleted position is looked up here (the foreign key too), which without this index read
-- every seeker once per position.
CREATE INDEX employment_seekers_hired_position ON employment_seekers(hired_position_id);
