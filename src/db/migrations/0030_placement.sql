-- 安置 (areas/placement.c): the city's yearly plan, a case per registry person with its
-- dated steps, and 待安置期生活费, a benefit paid through the batches like any other.
-- Dates are YYYY-MM-DD text.

-- 待安置期生活费: paid monthly, while an arranged-job case (安排工作, 转业) waits for its
-- post, from the month its files are received to the month it is placed. Its standard is
-- the local minimum wage, entered and approved like every standard (a yearly amount).
-- It belongs to no person category (categories ''): only a case grants it, so the
-- proposals by category (entitlement_propose) never offer it to every veteran.
INSERT INTO benefit_types (code, name, cycle, basis, categories, funeral_months, funeral_cause, sort)
VALUES ('PLACEMENT_WAIT', '待安置期生活费', 'month', 'standard', '', 0, NULL, 6);

-- The plan the city hands down for a year: how many 军转干部 and 退役士兵 the district
-- places. One row per year, the district's.
CREATE TABLE placement_plans (
	year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
	officers INTEGER NOT NULL CHECK (officers >= 0),
	soldiers INTEGER NOT NULL CHECK (soldiers >= 0),
	note TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,
	created_by INTEGER,
	updated_at INTEGER NOT NULL,
	updated_by INTEGER
);

-- A case: one per person. kind 军转干部 or 退役士兵; method the 安置方式. report_by is the
-- 自主就业 deadline (discharge + 30 days), place_by the arranged-job one (files received +
-- 6 months). status: 办理中, 已安置, 已失权 (自主就业 not reported in time). flag: the
-- daily job's (报到临期, 岗位落实临期, 岗位落实超期), cleared by the step it waits for.
CREATE TABLE placement_cases (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL UNIQUE REFERENCES persons(id),
	region_code TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('军转干部', '退役士兵')),
	plan_year INTEGER NOT NULL CHECK (plan_year BETWEEN 2000 AND 2100),
	method TEXT NOT NULL CHECK (method IN ('逐月领取退役金', '自主就业', '安排工作', '退休',
		'供养', '转业', '复员')),
	discharged_on TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('办理中', '已安置', '已失权')),
	report_by TEXT,
	reported_on TEXT,
	files_received_on TEXT,
	files_reviewed_on TEXT,
	hukou_letter_on TEXT,
	card_on TEXT,
	place_by TEXT,
	placed_on TEXT,
	employer TEXT NOT NULL DEFAULT '',
	medical_on TEXT,
	social_on TEXT,
	lapsed_on TEXT,
	flag TEXT NOT NULL DEFAULT '',
	flagged_on TEXT,
	entitlement_id INTEGER,
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX placement_cases_region ON placement_cases(region_code, id);
CREATE INDEX placement_cases_placed ON placement_cases(placed_on);
CREATE INDEX placement_cases_medical ON placement_cases(medical_on);
CREATE INDEX placement_cases_open ON placement_cases(status, method);

-- Every step of a case: what, the day it happened, who recorded it and when.
CREATE TABLE placement_steps (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES placement_cases(id),
	region_code TEXT NOT NULL,
	step TEXT NOT NULL,
	on_day TEXT NOT NULL,
	at INTEGER NOT NULL,
	by_user INTEGER,
	by_name TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	created_by INTEGER
);
CREATE INDEX placement_steps_case ON placement_steps(case_id, id);
