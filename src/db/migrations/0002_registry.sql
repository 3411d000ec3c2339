-- The registry: regions of the district, people, their identities, family links and the
-- history of every change. Sensitive fields are stored only encrypted (*_enc: SM4 with
-- HMAC-SM3) with a keyed hash for exact lookups (*_bidx) and a masked form for display.

CREATE TABLE regions (
	code TEXT PRIMARY KEY,              -- 6 digits district, 9 street, 12 community
	name TEXT NOT NULL,
	parent_code TEXT REFERENCES regions(code),
	level TEXT NOT NULL CHECK (level IN ('district', 'street', 'community')),
	region_code TEXT NOT NULL           -- the code itself: the distribution column
);
CREATE INDEX regions_parent ON regions(parent_code, name);

CREATE TABLE persons (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,          -- community, else street, else district
	name TEXT NOT NULL,
	id_enc BLOB NOT NULL,
	id_bidx TEXT NOT NULL UNIQUE,
	id_mask TEXT NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('男', '女')),
	birth_date TEXT NOT NULL,
	phone_enc BLOB,
	phone_bidx TEXT,
	phone_mask TEXT,
	street_code TEXT REFERENCES regions(code),
	community_code TEXT REFERENCES regions(code),
	address TEXT,
	bank_name TEXT,
	account_enc BLOB,
	account_mask TEXT,
	status TEXT NOT NULL DEFAULT '在册' CHECK (status IN ('在册', '中止', '取消', '迁出', '死亡')),
	status_date TEXT,
	status_reason TEXT,
	note TEXT,
	created_at INTEGER NOT NULL,
	created_by INTEGER,
	updated_at INTEGER NOT NULL,
	updated_by INTEGER
);
CREATE INDEX persons_region ON persons(region_code, id);
CREATE INDEX persons_name ON persons(name, id);
CREATE INDEX persons_phone ON persons(phone_bidx);

CREATE TABLE person_identities (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	category TEXT NOT NULL,
	enlisted TEXT,                      -- YYYY-MM or YYYY-MM-DD
	discharged TEXT,
	placement TEXT,
	disability_enc BLOB,                -- "等级|性质", sensitive
	deceased_person_id INTEGER REFERENCES persons(id),
	UNIQUE (person_id, category)
);
CREATE INDEX person_identities_category ON person_identities(category, person_id);

CREATE TABLE family_links (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	relative_id INTEGER NOT NULL REFERENCES persons(id),
	relation TEXT NOT NULL CHECK (relation IN ('配偶', '父母', '子女', '兄弟姐妹')),
	region_code TEXT NOT NULL,
	UNIQUE (person_id, relative_id)
);

CREATE TABLE person_history (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	at INTEGER NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL,
	field TEXT NOT NULL,
	old_value TEXT NOT NULL,            -- masked for sensitive fields
	new_value TEXT NOT NULL
);
CREATE INDEX person_history_person ON person_history(person_id, id);
