-- 义务兵优待: what the recruitment office's (征兵办) list says of each conscript beyond
-- the registry: the enlistment, the education and the supplements it claims, and the
-- family the allowance goes to (the family's account is kept as the person's bank
-- account, sealed like every account). One row per person; the allowance and the
-- bonus themselves are entitlements (CONSCRIPT, ENLIST_BONUS).
CREATE TABLE conscripts (
	person_id INTEGER PRIMARY KEY REFERENCES persons(id),
	region_code TEXT NOT NULL,
	enlisted_on TEXT NOT NULL,          -- 'YYYY-MM-DD'
	education TEXT NOT NULL CHECK (education IN ('高中及以下', '大专', '本科', '研究生')),
	college TEXT NOT NULL DEFAULT '' CHECK (college IN ('', '在校生', '毕业生', '新生')),
	hardship TEXT NOT NULL DEFAULT '' CHECK (hardship IN ('', '艰苦地区', '进藏进疆')),
	merit TEXT NOT NULL DEFAULT '',     -- 立功受奖 as the list gives it; '' none
	family_name TEXT NOT NULL,
	family_phone_enc BLOB,              -- sensitive: sealed, shown masked
	family_phone_mask TEXT,
	created_at INTEGER NOT NULL, created_by INTEGER,
	updated_at INTEGER NOT NULL, updated_by INTEGER
);
CREATE INDEX conscripts_region ON conscripts(region_code);
CREATE INDEX conscripts_enlisted ON conscripts(enlisted_on);
