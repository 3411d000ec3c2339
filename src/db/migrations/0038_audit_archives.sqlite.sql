-- audit_log: a record leaves only when an archive row covers it (vets audit archive writes
-- the row, then deletes, in one transaction). The archive rows themselves never change.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_archives a WHERE old.seq BETWEEN a.first_seq AND a.last_seq)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: only archived records may be removed'); END;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only'); END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only'); END;
