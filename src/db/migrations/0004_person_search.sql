-- Searching a million people by part of a name, and counting lists without
-- reading every row.
--
-- person_name_grams holds every run of one and two characters of every name, so
-- that "part of a name" (Chinese names are 2-3 characters, searches 1-2) is an
-- index lookup; a longer query looks up its first two characters and
-- checks the rest. Triggers keep it, whoever writes persons.
CREATE TABLE gram_positions (pos INTEGER NOT NULL, len INTEGER NOT NULL, PRIMARY KEY (pos, len));
WITH RECURSIVE n(pos) AS (SELECT 1 UNION ALL SELECT pos + 1 FROM n WHERE pos < 50)
INSERT INTO gram_positions SELECT pos, len FROM n, (SELECT 1 AS len UNION ALL SELECT 2) AS l;

CREATE TABLE person_name_grams (
	gram TEXT NOT NULL,
	person_id INTEGER NOT NULL,
	PRIMARY KEY (gram, person_id)
) WITHOUT ROWID;

INSERT INTO person_name_grams
	SELECT substr(p.name, g.pos, g.len), p.id FROM persons p, gram_positions g
	WHERE g.pos + g.len - 1 <= length(p.name)
	ON CONFLICT DO NOTHING;

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

-- Triggers keep both tables: 0004_person_search.sqlite.sql, 0004_person_search.pg.sql.
