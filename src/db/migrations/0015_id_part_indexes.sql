-- Counter staff find a person by the last four characters of the 身份证号 (the check
-- character X included) or by its first six digits (the region code). Each part has a
-- blind index of its own (HMAC-SM3 under its field's key: areas/person_seal.c), never a
-- plaintext column. Rows written before are indexed once by the first command that opens
-- the database (person_id_parts_upgrade; settings "registry.id_parts").
ALTER TABLE persons ADD COLUMN id_last4_bidx TEXT;
ALTER TABLE persons ADD COLUMN id_first6_bidx TEXT;
CREATE INDEX persons_id_last4 ON persons(id_last4_bidx, id);
CREATE INDEX persons_id_first6 ON persons(id_first6_bidx, id);
