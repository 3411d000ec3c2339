-- Searching a million people by part of a name, and counting lists without
-- reading every row.
--
-- person_name_grams holds every run of one and two characters of every name, so
-- that "part of a name" (Chinese names are 2-3 characters, searches 1-2) is an
-- index lookup; a longer query looks up its first two characters and
-- checks the rest. Triggers keep it, whoever writes persons.
CREATE TABLE gram_positions (pos INTEGER NOT NULL, len INTEGER NOT NULL, PRIMARY KEY (pos, len));
WITH RECURSIVE n(pos) AS (SELECT 1 UNION ALL SELECT pos + 1 FROM n WHERE pos < 50)
INSERT INTO gram_positions SELECT pos, len FROM n, (SELECT 1 AS len UNION ALL SELECT 2);

CREATE TABLE person_name_grams (
	gram TEXT NOT NULL,
	person_id INTEGER NOT NULL,
	PRIMARY KEY (gram, person_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO person_name_grams
	SELECT substr(p.name, g.pos, g.len), p.id FROM persons p, gram_positions g
	WHERE g.pos + g.len - 1 <= length(p.name);

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

-- person_counts keeps how many people each (region, street, community, status)
-- holds, so that a list filtered by no more than these is counted by summing a few
-- hundred rows. Street and community are '' when not given.
CREATE TABLE person_counts (
	region_code TEXT NOT NULL,
	street_code TEXT NOT NULL,
	community_code TEXT NOT NULL,
	status TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (region_code, street_code, community_code, status)
) WITHOUT ROWID;

INSERT INTO person_counts
	SELECT region_code, coalesce(street_code, ''), coalesce(community_code, ''), status, count(*)
	FROM persons GROUP BY 1, 2, 3, 4;

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
