-- 关爱帮扶 (areas/care.c): the regular-contact list (常态化联系) with a frequency per person
-- and each contact made, the visits (走访/慰问: temporary visits to people in difficulty,
-- holiday visits at 春节 and 八一 to 烈军属 and 重点优抚对象), the planned holiday-visit
-- campaigns with the people they list, and the 光荣牌 hung. Dates are YYYY-MM-DD text;
-- money is 分. Every row carries the person's region (community, else street) and its
-- creator: a station works within its street.
CREATE TABLE care_plans (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	months INTEGER NOT NULL CHECK (months IN (1, 3, 6, 12)), -- 每月, 每季度, 每半年, 每年
	since TEXT NOT NULL,                   -- 纳入日期: the first contact is due from it
	contact_person TEXT NOT NULL DEFAULT '', -- 联系人: who keeps in touch
	reason TEXT NOT NULL DEFAULT '',
	ended_on TEXT,                         -- 停止日期: no longer on the list from this day
	due_on TEXT,                           -- the daily job's: the next contact is due by this day
	overdue INTEGER NOT NULL DEFAULT 0,    -- the daily job's: due_on has passed
	flagged_on TEXT,
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX care_plans_region ON care_plans(region_code, id);
-- A plan is one period on the list: a person has at most one open (not ended) plan; put back
-- on the list after it ended, he gets a new row, so the past periods stay as they were.
CREATE UNIQUE INDEX care_plans_open ON care_plans(person_id) WHERE ended_on IS NULL;
CREATE INDEX care_plans_person ON care_plans(person_id, id);

CREATE TABLE care_contacts (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES care_plans(id),
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	contacted_on TEXT NOT NULL,
	method TEXT NOT NULL CHECK (method IN ('电话', '上门', '微信', '座谈', '其他')),
	by_name TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX care_contacts_plan ON care_contacts(plan_id, contacted_on);
CREATE INDEX care_contacts_day ON care_contacts(contacted_on, person_id);

CREATE TABLE care_campaigns (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,             -- the street it covers, or the district
	title TEXT NOT NULL,
	holiday TEXT NOT NULL CHECK (holiday IN ('春节', '八一')),
	year INTEGER NOT NULL,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	categories TEXT NOT NULL,              -- the categories chosen, joined with 、
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX care_campaigns_year ON care_campaigns(year, id);

CREATE TABLE care_campaign_people (
	campaign_id INTEGER NOT NULL REFERENCES care_campaigns(id),
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	PRIMARY KEY (campaign_id, person_id)
);

CREATE TABLE care_visits (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	region_code TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('困难走访', '春节慰问', '八一慰问')),
	campaign_id INTEGER REFERENCES care_campaigns(id),
	visited_on TEXT NOT NULL,
	visitors TEXT NOT NULL,                -- who went
	money INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0), -- 慰问金, 分
	goods TEXT NOT NULL DEFAULT '',        -- 慰问品
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
CREATE INDEX care_visits_day ON care_visits(visited_on, kind);
CREATE INDEX care_visits_person ON care_visits(person_id, visited_on);
-- one visit per person under a campaign (人次 counts each once); visits under none (NULL) are free
CREATE UNIQUE INDEX care_visits_campaign ON care_visits(campaign_id, person_id);

CREATE TABLE care_plaques (
	person_id INTEGER PRIMARY KEY REFERENCES persons(id),
	region_code TEXT NOT NULL,
	hung_on TEXT NOT NULL,                 -- 光荣牌悬挂日期
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	created_by INTEGER
);
