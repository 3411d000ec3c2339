-- Benefits (优抚待遇, 义务兵优待) and their payment in audited batches.
-- Money is an integer number of 分; months are 'YYYY-MM'.

-- What is paid. basis: 'standard' = a yearly amount per person category from
-- benefit_standards; 'graded' = the same, also by 残疾等级 × 性质; 'fixed' = the
-- entitlement's own amount, computed from a rule table when it was granted (义务兵).
-- cycle: how often a batch pays it; a line is always one month (fixed: one line per
-- year of service, or once).
CREATE TABLE benefit_types (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	cycle TEXT NOT NULL CHECK (cycle IN ('month', 'quarter', 'year', 'once')),
	basis TEXT NOT NULL CHECK (basis IN ('standard', 'graded', 'fixed')),
	categories TEXT NOT NULL,           -- 人员类别 that make a person eligible, '、'-separated
	funeral_months INTEGER NOT NULL DEFAULT 0 CHECK (funeral_months BETWEEN 0 AND 60),
	funeral_cause TEXT,                 -- NULL: any death; else only this cause (因病)
	sort INTEGER NOT NULL
);
INSERT INTO benefit_types VALUES
	('DISABILITY', '残疾抚恤金', 'month', 'graded', '残疾军人', 12, '因病', 1),
	('SURVIVOR', '定期抚恤金', 'month', 'standard', '烈士遗属、因公牺牲军人遗属、病故军人遗属', 6, NULL, 2),
	('LIVING', '定期生活补助', 'month', 'standard',
	 '在乡复员军人、带病回乡退役军人、参战退役军人、参试退役军人、年满60周岁农村籍退役士兵', 0, NULL, 3),
	('CONSCRIPT', '义务兵家庭优待金', 'year', 'fixed', '现役军人', 0, NULL, 4),
	('ENLIST_BONUS', '一次性入伍奖励金', 'once', 'fixed', '现役军人', 0, NULL, 5);

-- Standards: a yearly amount (national + 地方增发) for a benefit, a person category
-- ('' = any) and, for graded benefits, a grade (1-10) and nature, in force from the
-- first day of a month until a later standard of the same key. A proposal takes
-- effect only when a second person approves it.
CREATE TABLE benefit_standards (
	id INTEGER PRIMARY KEY,
	benefit_code TEXT NOT NULL REFERENCES benefit_types(code),
	category TEXT NOT NULL DEFAULT '',
	grade INTEGER NOT NULL DEFAULT 0 CHECK (grade BETWEEN 0 AND 10),
	nature TEXT NOT NULL DEFAULT '' CHECK (nature IN ('', '因战', '因公', '因病')),
	effective_from TEXT NOT NULL,       -- 'YYYY-MM-01'
	national_fen INTEGER NOT NULL CHECK (national_fen BETWEEN 0 AND 100000000),
	local_fen INTEGER NOT NULL CHECK (local_fen BETWEEN 0 AND 100000000),
	note TEXT NOT NULL DEFAULT '',
	demo INTEGER NOT NULL DEFAULT 0,    -- a made-up figure of the demo district
	status TEXT NOT NULL CHECK (status IN ('待审核', '已生效', '已驳回')),
	approved_seq INTEGER,               -- order of approval: back pay looks at newer ones
	proposed_by INTEGER, proposed_name TEXT NOT NULL, proposed_at INTEGER NOT NULL,
	decided_by INTEGER, decided_name TEXT, decided_at INTEGER,
	region_code TEXT NOT NULL,
	CHECK (decided_by IS NULL OR decided_by IS DISTINCT FROM proposed_by)
);
CREATE UNIQUE INDEX benefit_standards_in_force
	ON benefit_standards(benefit_code, category, grade, nature, effective_from) WHERE status = '已生效';

-- 义务兵优待 rule tables, per year of enlistment: the family allowance's base and
-- supplements, and the one-off enlistment bonus by education.
CREATE TABLE conscript_rules (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	kind TEXT NOT NULL CHECK (kind IN ('基数', '增发', '奖励金')),
	item TEXT NOT NULL,                 -- 基数; 在校生, 毕业生, 新生, 艰苦地区, 进藏进疆, 立功; 学历
	amount_fen INTEGER NOT NULL CHECK (amount_fen BETWEEN 0 AND 100000000),
	demo INTEGER NOT NULL DEFAULT 0,
	set_by INTEGER,                     -- who set it last (NULL: the command line)
	region_code TEXT NOT NULL,
	UNIQUE (year, kind, item)
);
-- A year's rule table is used only once a second person has approved it as it stands;
-- setting any rule of the year withdraws the approval.
CREATE TABLE conscript_rule_approvals (
	year INTEGER PRIMARY KEY,
	approved_by INTEGER NOT NULL,
	approved_name TEXT NOT NULL,
	approved_at INTEGER NOT NULL,
	region_code TEXT NOT NULL
);

-- A person's entitlement to a benefit (待遇资格). Months start_month..end_month are
-- due, except those inside a pause. Class (category, grade, nature) picks the
-- standard; fixed benefits carry their own amount and how it was found.
CREATE TABLE entitlements (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	benefit_code TEXT NOT NULL REFERENCES benefit_types(code),
	region_code TEXT NOT NULL,
	category TEXT NOT NULL DEFAULT '',
	grade INTEGER NOT NULL DEFAULT 0,
	nature TEXT NOT NULL DEFAULT '',
	amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen BETWEEN 1 AND 100000000),
	computation TEXT,
	start_month TEXT NOT NULL,
	end_month TEXT,                     -- the last month due; NULL while open
	status TEXT NOT NULL CHECK (status IN ('待确认', '正常', '中止', '取消', '终止')),
	status_date TEXT,
	status_reason TEXT,
	death_month TEXT,
	death_cause TEXT,
	ever_paused INTEGER NOT NULL DEFAULT 0, -- has pauses: only then are they looked up
	catch_up_from TEXT,                 -- confirmed after batches had passed its start: the
	                                    -- next batch pays from here (else from the month
	                                    -- after the benefit's last batch)
	created_at INTEGER NOT NULL, created_by INTEGER,
	confirmed_at INTEGER, confirmed_by INTEGER,
	UNIQUE (person_id, benefit_code),
	CHECK (end_month IS NULL OR end_month >= start_month OR status IN ('取消', '终止'))
);
CREATE INDEX entitlements_benefit ON entitlements(benefit_code, status, id);
-- The classes due, with their earliest months, read from the index alone.
CREATE INDEX entitlements_class
	ON entitlements(benefit_code, category, grade, nature, status, start_month, catch_up_from);
CREATE INDEX entitlements_catching_up ON entitlements(benefit_code) WHERE catch_up_from IS NOT NULL;
CREATE INDEX entitlements_dead ON entitlements(benefit_code) WHERE death_month IS NOT NULL;
CREATE INDEX entitlements_region ON entitlements(region_code);


-- Months not paid (and never paid back): a suspension (中止) or a lapse of the
-- annual verification (年审). until_month is the last month paused; NULL while paused.
CREATE TABLE entitlement_pauses (
	id INTEGER PRIMARY KEY,
	entitlement_id INTEGER NOT NULL REFERENCES entitlements(id),
	kind TEXT NOT NULL CHECK (kind IN ('中止', '年审')),
	from_month TEXT NOT NULL,
	until_month TEXT,
	reason TEXT NOT NULL,
	region_code TEXT NOT NULL,
	CHECK (until_month IS NULL OR until_month >= from_month)
);
CREATE INDEX entitlement_pauses_entitlement ON entitlement_pauses(entitlement_id, from_month);

-- 年度确认: the notice sent and the verification recorded, per person and year.
CREATE TABLE verifications (
	person_id INTEGER NOT NULL REFERENCES persons(id),
	year INTEGER NOT NULL,
	notified_on TEXT,
	verified_on TEXT,
	verified_by INTEGER,
	region_code TEXT NOT NULL,
	PRIMARY KEY (person_id, year)
);

-- A payment batch for one period (a month) and one benefit: generated, reviewed
-- (复核) and approved (审批) by three different people, then paid through the bank.
-- A checker may send it back (已退回) before approval: its lines are removed and the
-- period may be generated again.
CREATE TABLE pay_batches (
	id INTEGER PRIMARY KEY,
	period TEXT NOT NULL,
	benefit_code TEXT NOT NULL REFERENCES benefit_types(code),
	status TEXT NOT NULL CHECK (status IN ('待复核', '待审批', '已审批', '已退回')),
	lines INTEGER NOT NULL DEFAULT 0,
	amount_fen INTEGER NOT NULL DEFAULT 0,
	first_line INTEGER NOT NULL DEFAULT 0,   -- its lines are the ids first_line..last_line:
	last_line INTEGER NOT NULL DEFAULT -1,   -- a batch is written in one transaction
	paid_lines INTEGER NOT NULL DEFAULT 0,   -- kept by the return file's import
	failed_lines INTEGER NOT NULL DEFAULT 0,
	standard_seq INTEGER NOT NULL DEFAULT 0, -- the newest standard approval it took into account
	through TEXT NOT NULL,              -- the last month it paid for (the next batch pays on)
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	reviewed_at INTEGER, reviewed_by INTEGER, reviewed_name TEXT,
	approved_at INTEGER, approved_by INTEGER, approved_name TEXT,
	exported_at INTEGER,
	reconciled_at INTEGER,
	rejected_at INTEGER, rejected_by INTEGER, rejected_name TEXT, reject_reason TEXT,
	region_code TEXT NOT NULL,
	CHECK (reviewed_by IS NULL OR reviewed_by IS DISTINCT FROM created_by),
	CHECK (approved_by IS NULL OR (approved_by IS DISTINCT FROM created_by AND approved_by IS DISTINCT FROM reviewed_by))
);

-- One line per person, benefit and month (kind 'regular'); 'backpay' is the difference
-- a later standard owes for a month already paid; 'funeral' the sum paid once after a
-- death. A failed line is paid again by a new line in a later batch (reissue_of).
CREATE TABLE pay_lines (
	id INTEGER PRIMARY KEY,
	batch_id INTEGER NOT NULL REFERENCES pay_batches(id),
	entitlement_id INTEGER NOT NULL,    -- entitlements(id); lines are made from them, so
	person_id INTEGER NOT NULL,         -- neither is checked again per line
	benefit_code TEXT NOT NULL,
	month TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('regular', 'backpay', 'funeral')),
	standard_id INTEGER,                -- benefit_standards(id), NULL for fixed benefits
	amount_fen INTEGER NOT NULL CHECK (amount_fen BETWEEN 1 AND 1000000000),
	status TEXT NOT NULL DEFAULT '待发' CHECK (status IN ('待发', '已发', '失败')),
	fail_reason TEXT,
	reissue_of INTEGER REFERENCES pay_lines(id),
	region_code TEXT NOT NULL,
	street_code TEXT
);
-- Never paid twice: by the database, not only by the code.
CREATE UNIQUE INDEX pay_lines_once ON pay_lines(person_id, benefit_code, month)
	WHERE kind = 'regular' AND status <> '失败';
CREATE UNIQUE INDEX pay_lines_backpay_once ON pay_lines(person_id, benefit_code, month, standard_id)
	WHERE kind = 'backpay' AND status <> '失败';
CREATE UNIQUE INDEX pay_lines_funeral_once ON pay_lines(person_id, benefit_code)
	WHERE kind = 'funeral' AND status <> '失败';
CREATE UNIQUE INDEX pay_lines_reissue_once ON pay_lines(reissue_of) WHERE reissue_of IS NOT NULL;
-- A person's lines (their page, back pay, recoveries). A batch's lines need no index:
-- they are a range of ids.
CREATE INDEX pay_lines_person ON pay_lines(person_id, benefit_code, month);
CREATE INDEX pay_batches_through ON pay_batches(benefit_code, through) WHERE status <> '已退回';
-- Never generated twice: one batch per period and benefit, unless sent back.
CREATE UNIQUE INDEX pay_batches_once ON pay_batches(period, benefit_code) WHERE status <> '已退回';
CREATE INDEX pay_lines_failed ON pay_lines(benefit_code) WHERE status = '失败';

-- Months from 1950 to 2100, for generating one line per due month in SQL.
CREATE TABLE calendar_months (month TEXT PRIMARY KEY, year INTEGER NOT NULL, m INTEGER NOT NULL)
	WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 151 * 12 - 1)
INSERT INTO calendar_months
	SELECT CAST(1950 + i / 12 AS TEXT) || CASE WHEN i % 12 < 9 THEN '-0' ELSE '-' END
		|| CAST(i % 12 + 1 AS TEXT), 1950 + i / 12, i % 12 + 1 FROM n;

-- Triggers: 0005_benefits.sqlite.sql, 0005_benefits.pg.sql.
