-- The triggers that keep person_name_grams and person_counts (SQLite).
CREATE TRIGGER persons_grams_insert AFTER INSERT ON persons BEGIN
	INSERT OR IGNORE INTO person_name_grams
		SELECT substr(new.name, pos, len), new.id FROM gram_positions
		WHERE pos <= length(new.name) AND pos + len - 1 <= length(new.name);
END;
CREATE TRIGGER persons_grams_update AFTER UPDATE OF name ON persons
WHEN old.name IS NOT new.name BEGIN
	DELETE FROM person_name_grams WHERE person_id = old.id AND gram IN
		(SELECT substr(old.name, pos, len) FROM gram_positions
		 WHERE pos <= length(old.name) AND pos + len - 1 <= length(old.name));
	INSERT OR IGNORE INTO person_name_grams
		SELECT substr(new.name, pos, len), new.id FROM gram_positions
		WHERE pos <= length(new.name) AND pos + len - 1 <= length(new.name);
END;
CREATE TRIGGER persons_grams_delete AFTER DELETE ON persons BEGIN
	DELETE FROM person_name_grams WHERE person_id = old.id AND gram IN
		(SELECT substr(old.name, pos, len) FROM gram_positions
		 WHERE pos <= length(old.name) AND pos + len - 1 <= length(old.name));
END;
CREATE TRIGGER persons_counts_insert AFTER INSERT ON persons BEGIN
	INSERT INTO person_counts VALUES (new.region_code, coalesce(new.street_code, ''),
		coalesce(new.community_code, ''), new.status, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER persons_counts_update
AFTER UPDATE OF region_code, street_code, community_code, status ON persons
WHEN old.region_code IS NOT new.region_code OR old.street_code IS NOT new.street_code
	OR old.community_code IS NOT new.community_code OR old.status IS NOT new.status BEGIN
	UPDATE person_counts SET n = n - 1 WHERE region_code = old.region_code
		AND street_code = coalesce(old.street_code, '')
		AND community_code = coalesce(old.community_code, '') AND status = old.status;
	INSERT INTO person_counts VALUES (new.region_code, coalesce(new.street_code, ''),
		coalesce(new.community_code, ''), new.status, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER persons_counts_delete AFTER DELETE ON persons BEGIN
	UPDATE person_counts SET n = n - 1 WHERE region_code = old.region_code
		AND street_code = coalesce(old.street_code, '')
		AND community_code = coalesce(old.community_code, '') AND status = old.status;
END;
