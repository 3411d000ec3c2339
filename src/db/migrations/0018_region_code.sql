-- The region of every row that belongs to one: the 追缴 cases and amounts and the people
-- an import touched had none (their region was only their person's, through a join).
-- Each now carries its person's region_code, as entitlements and verifications do: set
-- when the row is written and moved along when the person moves (triggers:
-- 0018_region_code.sqlite.sql, 0018_region_code.pg.sql), so that every table of
-- people's data can be distributed by region (docs/SCALING.md). The areas neither
-- write nor read it.
ALTER TABLE recovery_cases ADD COLUMN region_code TEXT;
ALTER TABLE recovery_payments ADD COLUMN region_code TEXT;
ALTER TABLE person_import_people ADD COLUMN region_code TEXT;
UPDATE recovery_cases SET region_code =
	(SELECT p.region_code FROM persons p WHERE p.id = recovery_cases.person_id);
UPDATE recovery_payments SET region_code =
	(SELECT c.region_code FROM recovery_cases c WHERE c.id = recovery_payments.case_id);
UPDATE person_import_people SET region_code =
	(SELECT p.region_code FROM persons p WHERE p.id = person_import_people.person_id);
