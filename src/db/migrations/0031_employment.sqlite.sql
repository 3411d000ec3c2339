-- A seeker lives where his person lives: when the person moves (region or street), his
-- seeking records follow, as entitlements (0005) and the 0018 rows do, so the new street's
-- station sees him and the old one no longer does.
CREATE TRIGGER persons_region_employment AFTER UPDATE OF region_code, street_code ON persons
WHEN old.region_code IS NOT new.region_code OR old.street_code IS NOT new.street_code BEGIN
	UPDATE employment_seekers SET region_code = new.region_code, street_code = new.street_code
		WHERE person_id = new.id;
END;
