-- 关爱帮扶's rows follow their person when he moves (persons.region_code changes), as
-- entitlements (0005) and recovery cases (0018) do: the new street's station keeps his
-- plan, contacts, visits and 光荣牌, and the per-street figures count them there. A
-- campaign's list keeps the person but his line moves with him: the old street no longer
-- counts him as due, the district still sees him listed (docs/CARE.md).
CREATE FUNCTION persons_region_care() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE care_plans SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE care_contacts SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE care_visits SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE care_plaques SET region_code = NEW.region_code WHERE person_id = NEW.id;
	UPDATE care_campaign_people SET region_code = NEW.region_code WHERE person_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER persons_region_care AFTER UPDATE OF region_code ON persons
	FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
	EXECUTE FUNCTION persons_region_care();
