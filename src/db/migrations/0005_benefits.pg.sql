-- An entitlement once paused is marked so (PostgreSQL).
CREATE FUNCTION entitlement_pauses_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE entitlements SET ever_paused = 1 WHERE id = NEW.entitlement_id;
	RETURN NULL;
END $$;
CREATE TRIGGER entitlement_pauses_mark AFTER INSERT ON entitlement_pauses
	FOR EACH ROW EXECUTE FUNCTION entitlement_pauses_mark();

-- A person who moves takes their entitlements (and so their station's view) along;
-- lines already paid keep the region they were paid in.
CREATE FUNCTION persons_region_entitlements() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE entitlements SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE verifications SET region_code = NEW.region_code WHERE person_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_region_entitlements AFTER UPDATE OF region_code ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
	EXECUTE FUNCTION persons_region_entitlements();
