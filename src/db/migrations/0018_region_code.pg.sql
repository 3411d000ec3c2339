-- The rows 0018 gave a region_code take their person's when written (PostgreSQL: a
-- BEFORE INSERT trigger that sets it in the row) and follow the person when he moves,
-- as entitlements do (0005).
CREATE FUNCTION region_of_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.region_code := (SELECT region_code FROM persons WHERE id = NEW.person_id);
	RETURN NEW;
END $$;
CREATE TRIGGER recovery_cases_region BEFORE INSERT ON recovery_cases
	FOR EACH ROW EXECUTE FUNCTION region_of_person();
CREATE TRIGGER person_import_people_region BEFORE INSERT ON person_import_people
	FOR EACH ROW EXECUTE FUNCTION region_of_person();

CREATE FUNCTION region_of_recovery_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.region_code := (SELECT region_code FROM recovery_cases WHERE id = NEW.case_id);
	RETURN NEW;
END $$;
CREATE TRIGGER recovery_payments_region BEFORE INSERT ON recovery_payments
	FOR EACH ROW EXECUTE FUNCTION region_of_recovery_case();

CREATE FUNCTION persons_region_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE recovery_cases SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE recovery_payments SET region_code = NEW.region_code
		WHERE case_id IN (SELECT id FROM recovery_cases WHERE person_id = NEW.id);
	UPDATE person_import_people SET region_code = NEW.region_code WHERE person_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_region_rows AFTER UPDATE OF region_code ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
	EXECUTE FUNCTION persons_region_rows();
