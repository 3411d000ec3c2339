-- A person who moves street takes his placement case and its steps with him: the new
-- street's station works the case, the old one no longer sees it (as 0018 does for the
-- other tables).
CREATE TRIGGER persons_region_placement AFTER UPDATE OF region_code ON persons
WHEN old.region_code IS NOT new.region_code BEGIN
	UPDATE placement_cases SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE placement_steps SET region_code = new.region_code
		WHERE case_id IN (SELECT id FROM placement_cases WHERE person_id = new.id);
END;
