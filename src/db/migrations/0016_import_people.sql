-- The imports of people (areas/person_import.c) and the people each one added or
-- changed, so that after an import its own list can be shown ("查看本次导入的人员"):
-- exactly those people, never those of another import. A row of person_import_people
-- is written in the transaction that saves the person, so an import rolled back (all or
-- nothing) leaves no row, and one stopped half-way lists the slices it committed.
CREATE TABLE person_imports (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL,           -- the importer; 0 for the command line
	user_name TEXT NOT NULL,
	region_code TEXT NOT NULL,          -- the importer's region when it ran
	file TEXT NOT NULL,                 -- the file's name (no directory)
	started_at INTEGER NOT NULL
);
CREATE TABLE person_import_people (
	import_id INTEGER NOT NULL REFERENCES person_imports(id),
	person_id INTEGER NOT NULL REFERENCES persons(id),
	outcome TEXT NOT NULL CHECK (outcome IN ('added', 'changed')),
	PRIMARY KEY (import_id, person_id)
);
CREATE INDEX person_import_people_person ON person_import_people(person_id);
