-- The working-day calendar: the days that differ from the rule "Monday to Friday
-- work, Saturday and Sunday rest". 休 is a day off (a holiday, listed also when it
-- falls on a weekend), 班 a weekend day worked (调休). A year is covered when it has a
-- row; deadlines in a year that has none are counted on weekends alone, and flagged.
-- The calendar is the State Council's, the same for every region: a reference table.
CREATE TABLE calendar_days (
	day TEXT PRIMARY KEY,                       -- YYYY-MM-DD
	kind TEXT NOT NULL CHECK (kind IN ('休', '班')),
	note TEXT NOT NULL DEFAULT '',              -- 春节, 国庆节调休, …
	updated_at INTEGER NOT NULL,
	updated_by INTEGER                          -- users.id; NULL for the system
);
