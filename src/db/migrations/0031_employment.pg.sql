-- A seeker lives where his person lives: when the person moves (region or street), his
-- seeking records follow, as entitlements (0005) and the 0018 rows do, so the new street's
-- station sees him and the old one no longer does.
CREATE FUNCTION persons_region_employment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE employment_seekers SET region_code = NEW.region_code, street_code = NEW.street_code
		WHERE person_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_region_employment AFTER UPDATE OF region_code, street_code ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code
		OR OLD.street_code IS DISTINCT FROM NEW.street_code)
	EXECUTE FUNCTION persons_region_employment();
