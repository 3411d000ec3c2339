-- The audit trail refuses to change: a trigger raises on UPDATE, DELETE and TRUNCATE,
-- whoever writes (README.md shows how the service's own role is also refused them by
-- GRANT, so that not even a disabled trigger lets a row change).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The functions of the common dialect (db.h) that PostgreSQL lacks or names otherwise.
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$;
CREATE FUNCTION substr(s text, start bigint, len bigint) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT substr(s, CAST(start AS integer), CAST(len AS integer)) $$;
CREATE FUNCTION substr(s text, start bigint) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT substr(s, CAST(start AS integer)) $$;
CREATE FUNCTION group_concat_step(acc text, value text, sep text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
	$$ SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value ELSE acc || sep || value END $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);
-- 'YYYY-MM' plus n months; NULL for NULL or a malformed month.
CREATE FUNCTION month_add(month text, n bigint) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
		to_char(make_date(CAST(substr(month, 1, 4) AS integer), CAST(substr(month, 6, 2) AS integer), 1)
			+ make_interval(months => CAST(n AS integer)), 'YYYY-MM') END $$;
-- 'YYYY-MM-DD' plus n days; NULL for NULL or a malformed or impossible date.
CREATE FUNCTION day_add(day text, n bigint) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF day IS NULL OR n IS NULL OR day !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		RETURN NULL;
	END IF;
	RETURN to_char(make_date(CAST(substr(day, 1, 4) AS integer), CAST(substr(day, 6, 2) AS integer),
		CAST(substr(day, 9, 2) AS integer)) + CAST(n AS integer), 'YYYY-MM-DD');
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$;
