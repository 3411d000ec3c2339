-- 追缴 (areas/recovery.c): a case per person and benefit whose lines were paid for months
-- after the benefit's end (a death reported late). What is due is not stored: it is the
-- sum of those lines, computed whenever asked, so a corrected death date changes it at
-- once. What was recovered is stored, one row per amount.
CREATE TABLE recovery_cases (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES persons(id),
	benefit_code TEXT NOT NULL REFERENCES benefit_types(code),
	status TEXT NOT NULL CHECK (status IN ('追缴中', '待审批核销', '已结清', '已核销')),
	opened_at INTEGER NOT NULL, opened_by INTEGER, opened_name TEXT NOT NULL,
	writeoff_reason TEXT,               -- the last write-off asked, and by whom
	writeoff_at INTEGER, writeoff_by INTEGER, writeoff_name TEXT,
	closed_at INTEGER, closed_by INTEGER, closed_name TEXT,
	UNIQUE (person_id, benefit_code)
);

CREATE TABLE recovery_payments (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES recovery_cases(id),
	paid_on TEXT NOT NULL,              -- YYYY-MM-DD
	amount_fen INTEGER NOT NULL CHECK (amount_fen BETWEEN 1 AND 1000000000000),
	method TEXT NOT NULL CHECK (method IN ('现金', '银行转账', '从其他待遇中扣减')),
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL
);
CREATE INDEX recovery_payments_case ON recovery_payments(case_id);
