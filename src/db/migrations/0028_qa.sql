-- 智能问答 (areas/qa.c): the curated base of questions and answers the portal's /qa matches
-- visitors' questions against (lib/qa_index.c), and the questions visitors left when nothing
-- in the base was good enough, for staff to turn into entries or set aside.
CREATE TABLE qa_entries (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,             -- 编号, e.g. QA001
	region_code TEXT NOT NULL DEFAULT '',  -- the bureau's (the creating user's org)
	question TEXT NOT NULL,
	answer TEXT NOT NULL,
	phrasings TEXT NOT NULL DEFAULT '',    -- 相似问法, alternatives separated by "；"
	published INTEGER NOT NULL DEFAULT 1,  -- 0: kept, not matched on the portal
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE qa_questions (
	id INTEGER PRIMARY KEY,
	text TEXT NOT NULL,
	asked_at INTEGER NOT NULL,
	status TEXT NOT NULL DEFAULT '待处理' CHECK (status IN ('待处理', '已转为条目', '已忽略')),
	entry_id INTEGER REFERENCES qa_entries(id) ON DELETE SET NULL,
	handled_at INTEGER,
	handled_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX qa_questions_status ON qa_questions(status, id);

-- Raised by every change of the base: a server rebuilds its in-memory index when the number
-- it built from is not the current one, so staff edits (and a `vets qa import`) show at once.
CREATE TABLE qa_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO qa_version (id, version) VALUES (1, 0);
