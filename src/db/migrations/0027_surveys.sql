-- 问卷调查 (areas/survey.c): questionnaires staff write and the public answers on the
-- portal, one answer per visitor. A survey is a 草稿 while staff write it and 已发布 once
-- it is on the portal; it takes answers from opens_on to closes_on (Beijing days,
-- inclusive). Its questions and options can change only while it has no response, so an
-- answer always means what its question said when it was given.
CREATE TABLE surveys (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,            -- the bureau's (the creating user's organisation)
	title TEXT NOT NULL,
	intro TEXT NOT NULL DEFAULT '',
	opens_on TEXT NOT NULL,               -- YYYY-MM-DD
	closes_on TEXT NOT NULL,              -- YYYY-MM-DD, not before opens_on
	results_public INTEGER NOT NULL DEFAULT 0 CHECK (results_public IN (0, 1)),
	status TEXT NOT NULL DEFAULT '草稿' CHECK (status IN ('草稿', '已发布')),
	n_responses INTEGER NOT NULL DEFAULT 0,  -- kept by the answering transaction
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_status ON surveys(status, opens_on);

-- kind: single (one option), multiple (any options), text, scale (1-5).
CREATE TABLE survey_questions (
	id INTEGER PRIMARY KEY,
	survey_id INTEGER NOT NULL REFERENCES surveys(id),
	position INTEGER NOT NULL,            -- 1, 2, … in the order the form shows them
	kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'text', 'scale')),
	title TEXT NOT NULL,
	required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
	UNIQUE (survey_id, position)
);

CREATE TABLE survey_options (
	id INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES survey_questions(id),
	position INTEGER NOT NULL,
	label TEXT NOT NULL,
	UNIQUE (question_id, position)
);

-- One response per visitor: visitor_hash is SM3 of the visitor's cookie token (the token
-- itself is never stored), unique per survey.
CREATE TABLE survey_responses (
	id INTEGER PRIMARY KEY,
	survey_id INTEGER NOT NULL REFERENCES surveys(id),
	submitted_at INTEGER NOT NULL,
	visitor_hash TEXT NOT NULL,
	UNIQUE (survey_id, visitor_hash)
);

-- One row per chosen option (a multiple choice of three options is three rows, so that
-- a chart counts options, not combinations), or one text, or one scale value.
CREATE TABLE survey_answers (
	id INTEGER PRIMARY KEY,
	response_id INTEGER NOT NULL REFERENCES survey_responses(id),
	question_id INTEGER NOT NULL REFERENCES survey_questions(id),
	option_id INTEGER REFERENCES survey_options(id),
	text_value TEXT,
	scale_value INTEGER CHECK (scale_value BETWEEN 1 AND 5)
);
CREATE INDEX survey_answers_question ON survey_answers(question_id, option_id);
CREATE INDEX survey_answers_response ON survey_answers(response_id);
