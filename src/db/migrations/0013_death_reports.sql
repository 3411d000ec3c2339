-- A death as the bureau knows it, and the reports of deaths that stations send in.

-- The cause of a recorded death (因病, 因战, 因公, 其他), kept for the person even when
-- no benefit holds it (entitlements keep their own copy for the funeral sum). The date
-- is the registry's status date.
CREATE TABLE deaths (
	person_id INTEGER PRIMARY KEY REFERENCES persons(id),
	cause TEXT NOT NULL CHECK (cause IN ('因病', '因战', '因公', '其他')),
	region_code TEXT NOT NULL
);

-- A station's report of a death, waiting for the bureau's check (待核查), then accepted
-- (已核实: the death is recorded) or returned (已退回, with the reason). The certificate
-- (死亡证明) is a file outside the database, named by file_id; the row keeps its type,
-- size, SM3 hash and the name it was uploaded under.
CREATE TABLE death_reports (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	death_date TEXT NOT NULL,
	cause TEXT NOT NULL CHECK (cause IN ('因病', '因战', '因公', '其他')),
	note TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '待核查' CHECK (status IN ('待核查', '已核实', '已退回')),
	file_id TEXT NOT NULL UNIQUE,
	file_type TEXT NOT NULL CHECK (file_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	file_size INTEGER NOT NULL CHECK (file_size > 0),
	file_sm3 TEXT NOT NULL,
	file_name TEXT NOT NULL,
	submitted_at INTEGER NOT NULL, submitted_by INTEGER NOT NULL, submitted_name TEXT NOT NULL,
	checked_at INTEGER, checked_by INTEGER, checked_name TEXT,
	return_reason TEXT,
	CHECK (checked_by IS NULL OR checked_by <> submitted_by)
);
-- One report waiting per person.
CREATE UNIQUE INDEX death_reports_pending ON death_reports(person_id) WHERE status = '待核查';
CREATE INDEX death_reports_status ON death_reports(status, id);
