-- A person who moves street takes his placement case and its steps with him: the new
-- street's station works the case, the old one no longer sees it (as 0018 does for the
-- other tables).
CREATE FUNCTION persons_region_placement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE placement_cases SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE placement_steps SET region_code = NEW.region_code
		WHERE case_id IN (SELECT id FROM placement_cases WHERE person_id = NEW.id);
	RETURN NULL;
END $$;
CREATE TRIGGER persons_region_placement AFTER UPDATE OF region_code ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
	EXECUTE FUNCTION persons_region_placement();
