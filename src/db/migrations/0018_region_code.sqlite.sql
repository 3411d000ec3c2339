-- The rows 0018 gave a region_code take their person's when written (SQLite: an AFTER
-- INSERT trigger that sets it, since a trigger can't change the row being inserted)
-- and follow the person when he moves, as entitlements do (0005).
CREATE TRIGGER recovery_cases_region AFTER INSERT ON recovery_cases BEGIN
	UPDATE recovery_cases SET region_code =
		(SELECT region_code FROM persons WHERE id = new.person_id) WHERE id = new.id;
END;
CREATE TRIGGER recovery_payments_region AFTER INSERT ON recovery_payments BEGIN
	UPDATE recovery_payments SET region_code =
		(SELECT region_code FROM recovery_cases WHERE id = new.case_id) WHERE id = new.id;
END;
CREATE TRIGGER person_import_people_region AFTER INSERT ON person_import_people BEGIN
	UPDATE person_import_people SET region_code =
		(SELECT region_code FROM persons WHERE id = new.person_id)
		WHERE import_id = new.import_id AND person_id = new.person_id;
END;
CREATE TRIGGER persons_region_rows AFTER UPDATE OF region_code ON persons
WHEN old.region_code IS NOT new.region_code BEGIN
	UPDATE recovery_cases SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE recovery_payments SET region_code = new.region_code
		WHERE case_id IN (SELECT id FROM recovery_cases WHERE person_id = new.id);
	UPDATE person_import_people SET region_code = new.region_code WHERE person_id = new.id;
END;
