-- The service catalogue (areas/service.c): the items (事项) the bureau's counter handles, each
-- with its promised time limit in working days and the materials an applicant hands in, each
-- essential (必要) or one that may be supplied later under 容缺受理 (essential = 0). A bundle
-- (一件事, is_bundle = 1) is an item whose members are other items, in order. The catalogue is
-- the district's reference data: no region_code.
CREATE TABLE service_items (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,                  -- 事项编码
	name TEXT NOT NULL,                         -- 事项名称
	legal_basis TEXT NOT NULL DEFAULT '',       -- 法定依据
	conditions TEXT NOT NULL DEFAULT '',        -- 受理条件
	time_limit_days INTEGER NOT NULL CHECK (time_limit_days BETWEEN 1 AND 365), -- 承诺时限, working days
	fee TEXT NOT NULL DEFAULT '',               -- 收费标准
	place TEXT NOT NULL DEFAULT '',             -- 办理地点
	how TEXT NOT NULL DEFAULT '',               -- 办理方式
	hours TEXT NOT NULL DEFAULT '',             -- 办理时间
	phone TEXT NOT NULL DEFAULT '',             -- 咨询电话 (the office's, not a person's)
	department TEXT NOT NULL DEFAULT '',        -- 实施主体 / 承办科室
	is_bundle INTEGER NOT NULL DEFAULT 0 CHECK (is_bundle IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by INTEGER,
	updated_name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE service_materials (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES service_items(id),
	name TEXT NOT NULL,                         -- 材料名称
	essential INTEGER NOT NULL CHECK (essential IN (0, 1)), -- 1 必要, 0 可容缺
	note TEXT NOT NULL DEFAULT '',              -- 材料说明 (原件/复印件, 份数, 来源)
	position INTEGER NOT NULL,
	UNIQUE (item_id, name)
);
CREATE INDEX service_materials_item ON service_materials(item_id, position);

CREATE TABLE service_bundle_items (
	bundle_id INTEGER NOT NULL REFERENCES service_items(id),
	item_id INTEGER NOT NULL REFERENCES service_items(id),
	position INTEGER NOT NULL,
	PRIMARY KEY (bundle_id, item_id)
);
CREATE INDEX service_bundle_items_item ON service_bundle_items(item_id);
