-- An entitlement once paused is marked so (SQLite).
CREATE TRIGGER entitlement_pauses_mark AFTER INSERT ON entitlement_pauses BEGIN
	UPDATE entitlements SET ever_paused = 1 WHERE id = new.entitlement_id;
END;

-- A person who moves takes their entitlements (and so their station's view) along;
-- lines already paid keep the region they were paid in.
CREATE TRIGGER persons_region_entitlements AFTER UPDATE OF region_code ON persons
WHEN old.region_code IS NOT new.region_code BEGIN
	UPDATE entitlements SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE verifications SET region_code = new.region_code WHERE person_id = new.id;
END;
