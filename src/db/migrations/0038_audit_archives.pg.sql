-- audit_log: a record leaves only when an archive row covers it (vets audit archive writes
-- the row, then deletes, in one transaction); UPDATE and TRUNCATE stay refused. The archive
-- rows themselves never change. (A service role refused DELETE on audit_log by GRANT, as
-- README.md advises, can't archive: run vets audit archive as the owner.)
DROP TRIGGER audit_log_no_delete ON audit_log;
CREATE FUNCTION audit_log_delete_archived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.seq BETWEEN a.first_seq AND a.last_seq) THEN
		RAISE EXCEPTION 'audit_log is append-only: only archived records may be removed';
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_delete_archived();
CREATE FUNCTION audit_archives_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_archives is append-only';
END $$;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
	FOR EACH ROW EXECUTE FUNCTION audit_archives_append_only();
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
	FOR EACH ROW EXECUTE FUNCTION audit_archives_append_only();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
	FOR EACH STATEMENT EXECUTE FUNCTION audit_archives_append_only();
