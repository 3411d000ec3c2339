-- ID numbers a user gave that are registered outside their data scope, one row per
-- user, day (Asia/Shanghai) and number: a station may hit only so many a day (it
-- could otherwise learn who is registered in other streets by trying numbers), and
-- the count must outlive a restart. Numbers are kept only as their blind index.
CREATE TABLE person_scope_hits (
	user_id INTEGER NOT NULL,
	day TEXT NOT NULL,                  -- YYYY-MM-DD
	id_bidx TEXT NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (user_id, day, id_bidx)
);
