-- Audit records older than the retention (the policy's audit_months, at least 6) are moved
-- to an archive file by vets audit archive, never simply deleted: each archive leaves a row
-- here, the anchor from which vets audit verify walks on. Records first_seq..last_seq are in
-- the file (JSON lines, verifiable with the key file alone); last_hash is record last_seq's
-- hash, the prev_hash of the first record kept. record_seq is the audit.archive record
-- written in the same transaction: its detail repeats every value of the row, so that the
-- chain vouches for the newest anchor. Append-only, as audit_log is; and audit_log refuses
-- a DELETE of any record that no row here covers (the backends' files).
CREATE TABLE audit_archives (
	id INTEGER PRIMARY KEY,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	last_hash TEXT NOT NULL,
	records INTEGER NOT NULL,
	file_name TEXT NOT NULL,
	file_sm3 TEXT NOT NULL,
	record_seq INTEGER NOT NULL,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	CHECK (first_seq >= 1 AND last_seq >= first_seq AND records = last_seq - first_seq + 1),
	CHECK (record_seq > last_seq)
);
CREATE UNIQUE INDEX audit_archives_last ON audit_archives(last_seq);
