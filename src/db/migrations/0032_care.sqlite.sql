-- 关爱帮扶's rows follow their person when he moves (persons.region_code changes), as
-- entitlements (0005) and recovery cases (0018) do: the new street's station keeps his
-- plan, contacts, visits and 光荣牌, and the per-street figures count them there. A
-- campaign's list keeps the person but his line moves with him: the old street no longer
-- counts him as due, the district still sees him listed (docs/CARE.md).
CREATE TRIGGER persons_region_care AFTER UPDATE OF region_code ON persons
WHEN old.region_code IS NOT new.region_code BEGIN
	UPDATE care_plans SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE care_contacts SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE care_visits SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE care_plaques SET region_code = new.region_code WHERE person_id = new.id;
	UPDATE care_campaign_people SET region_code = new.region_code WHERE person_id = new.id;
END;
