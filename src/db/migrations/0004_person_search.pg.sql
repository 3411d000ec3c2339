-- The triggers that keep person_name_grams and person_counts (PostgreSQL): as the
-- SQLite ones, one function per table, fired per row.
CREATE FUNCTION person_name_grams_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		DELETE FROM person_name_grams WHERE person_id = OLD.id AND gram IN
			(SELECT substr(OLD.name, pos, len) FROM gram_positions
			 WHERE pos <= length(OLD.name) AND pos + len - 1 <= length(OLD.name));
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO person_name_grams
			SELECT substr(NEW.name, pos, len), NEW.id FROM gram_positions
			WHERE pos <= length(NEW.name) AND pos + len - 1 <= length(NEW.name)
			ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_grams_insert AFTER INSERT ON persons
	FOR EACH ROW EXECUTE FUNCTION person_name_grams_keep();
CREATE TRIGGER persons_grams_update AFTER UPDATE OF name ON persons
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION person_name_grams_keep();
CREATE TRIGGER persons_grams_delete AFTER DELETE ON persons
	FOR EACH ROW EXECUTE FUNCTION person_name_grams_keep();

CREATE FUNCTION person_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE person_counts SET n = n - 1 WHERE region_code = OLD.region_code
			AND street_code = coalesce(OLD.street_code, '')
			AND community_code = coalesce(OLD.community_code, '') AND status = OLD.status;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO person_counts AS c VALUES (NEW.region_code, coalesce(NEW.street_code, ''),
			coalesce(NEW.community_code, ''), NEW.status, 1)
			ON CONFLICT (region_code, street_code, community_code, status)
			DO UPDATE SET n = c.n + 1;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_counts_insert AFTER INSERT ON persons
	FOR EACH ROW EXECUTE FUNCTION person_counts_keep();
CREATE TRIGGER persons_counts_update
	AFTER UPDATE OF region_code, street_code, community_code, status ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code
		OR OLD.street_code IS DISTINCT FROM NEW.street_code
		OR OLD.community_code IS DISTINCT FROM NEW.community_code
		OR OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION person_counts_keep();
CREATE TRIGGER persons_counts_delete AFTER DELETE ON persons
	FOR EACH ROW EXECUTE FUNCTION person_counts_keep();
