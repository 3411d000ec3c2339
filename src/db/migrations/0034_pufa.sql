-- 普法 (areas/pufa.c): law-popularisation events (清明, 八一, 9.30 烈士纪念日, 12·4 宪法日 and
-- others: the day, the audience, how many people), brochures handed out (title, copies, to
-- whom), study sessions (topic, attendance), the yearly law exam per staff member (应考, 参考,
-- score; the excellent mark is set per year in pufa_marks) and the 普法责任清单 documents
-- (Markdown). Every row carries the region of whoever recorded it (an exam row: the staff
-- member's organisation's) and its creator, for the data scope.
CREATE TABLE pufa_events (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	held_on TEXT NOT NULL,
	kind TEXT NOT NULL,                    -- one of pufa_event_kinds
	audience TEXT NOT NULL,                -- 对象
	people INTEGER NOT NULL CHECK (people >= 0),
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pufa_events_held ON pufa_events(held_on, id);

CREATE TABLE pufa_brochures (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	handed_on TEXT NOT NULL,
	title TEXT NOT NULL,
	copies INTEGER NOT NULL CHECK (copies > 0),
	recipient TEXT NOT NULL,               -- 发放对象: a street's station, a unit …
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pufa_brochures_handed ON pufa_brochures(handed_on, id);

CREATE TABLE pufa_sessions (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	held_on TEXT NOT NULL,
	topic TEXT NOT NULL,
	attendance INTEGER NOT NULL CHECK (attendance >= 0),
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pufa_sessions_held ON pufa_sessions(held_on, id);

-- One row per staff member and year: an account of the system (user_id) or a named member of
-- an organisation (user_id NULL, known by his organisation and name, both tidied of spaces);
-- the two unique indexes keep one row each, so recording a member again corrects the row.
CREATE TABLE pufa_exams (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	year INTEGER NOT NULL,
	user_id INTEGER REFERENCES users(id),
	staff_name TEXT NOT NULL,
	org_name TEXT NOT NULL,
	should_take INTEGER NOT NULL CHECK (should_take IN (0, 1)),
	took INTEGER NOT NULL CHECK (took IN (0, 1) AND took <= should_take),
	score INTEGER CHECK (score BETWEEN 0 AND 100),
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX pufa_exams_account ON pufa_exams(year, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX pufa_exams_named ON pufa_exams(year, org_name, staff_name) WHERE user_id IS NULL;

-- The excellent mark of a year (a score at or above it is 优秀); a year without a row here
-- uses the default 90. Per year, so that changing one year's mark leaves the 优秀率 of the
-- years already reported as they were.
CREATE TABLE pufa_marks (
	year INTEGER NOT NULL PRIMARY KEY,
	mark INTEGER NOT NULL CHECK (mark BETWEEN 1 AND 100),
	set_at INTEGER NOT NULL,
	set_by INTEGER NOT NULL
);

CREATE TABLE pufa_duties (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	year INTEGER NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,                    -- Markdown, shown without raw HTML
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pufa_duties_year ON pufa_duties(year, id);
