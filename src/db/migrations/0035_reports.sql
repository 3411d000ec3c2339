-- The annual report (areas/report.c): the narrative staff write for a year, one row per
-- saved version (never changed afterwards: who wrote which words, and when, stays
-- known); {key} in the text stands for the value of a figure of the registry.
CREATE TABLE report_drafts (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 1950 AND 2100),
	version INTEGER NOT NULL CHECK (version >= 1),
	achievements TEXT NOT NULL,            -- 一、主要举措和成效
	shortcomings TEXT NOT NULL,            -- 二、存在的不足和问题
	duties TEXT NOT NULL,                  -- 三、第一责任人履职情况
	plans TEXT NOT NULL,                   -- 四、下一年度主要安排
	written_by INTEGER,
	written_name TEXT NOT NULL,
	written_at INTEGER NOT NULL,
	UNIQUE (year, version)
);

-- A finalised report: the version it printed, who finalised it and on which day; its
-- figures frozen as printed (report_figures). Its 信息公开 page once published.
CREATE TABLE report_finals (
	year INTEGER PRIMARY KEY CHECK (year BETWEEN 1950 AND 2100),
	version INTEGER NOT NULL,
	finalised_on TEXT NOT NULL,            -- YYYY-MM-DD, the figures' date
	finalised_by INTEGER,
	finalised_name TEXT NOT NULL,
	finalised_at INTEGER NOT NULL,
	article_id INTEGER
);

-- The figures of a finalised report as it printed them: a count, a sum, or a rate as a
-- fraction written with 4 decimals ('' when its denominator was 0).
CREATE TABLE report_figures (
	year INTEGER NOT NULL REFERENCES report_finals(year),
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (year, key)
);
