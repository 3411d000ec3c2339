-- 双拥 (areas/shuangyong.c): the activities of 双拥 work (走访慰问部队, 军民共建, 拥军优属 …: the
-- day, the kind, the units taking part, the place, what it solved for the troops) and the news
-- reports about them (medium, day, title, link). A row belongs to the street (or the district)
-- of whoever recorded it (region_code) and to that user (created_by), for the data scope.
CREATE TABLE shuangyong_activities (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	held_on TEXT NOT NULL,                 -- YYYY-MM-DD
	kind TEXT NOT NULL,                    -- one of shuangyong_kinds
	units TEXT NOT NULL,                   -- 参与单位
	place TEXT NOT NULL,
	solved TEXT NOT NULL DEFAULT '',       -- 解决的问题
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT '',
	updated_at INTEGER
);
CREATE INDEX shuangyong_activities_held ON shuangyong_activities(held_on, id);

CREATE TABLE shuangyong_reports (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES shuangyong_activities(id),
	region_code TEXT NOT NULL,             -- the activity's
	medium TEXT NOT NULL,                  -- 媒体: 长江日报, 区融媒体中心 …
	published_on TEXT NOT NULL,            -- not before the activity
	title TEXT NOT NULL,
	link TEXT NOT NULL DEFAULT '',         -- http(s) only, or empty
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shuangyong_reports_activity ON shuangyong_reports(activity_id);
CREATE INDEX shuangyong_reports_published ON shuangyong_reports(published_on, id);
