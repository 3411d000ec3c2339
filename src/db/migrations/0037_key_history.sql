-- The key generations a database has retired (areas/keyring.c). The audit trail is never
-- rewritten: the records written before a rotation stay chained under the audit key of
-- their generation, kept here sealed under the newest key ("key_history.audit_key_enc:N",
-- the hex of the key), so that vets audit verify checks the whole trail with the current
-- key file alone. A record seq is under the key of the first generation whose last_seq is
-- at least seq, else under the current key.
CREATE TABLE key_history (
	generation INTEGER NOT NULL,           -- 1 for the key file vets init made
	fingerprint TEXT NOT NULL,             -- keyring_fingerprint of that key file
	audit_key_enc BLOB NOT NULL,
	last_seq INTEGER NOT NULL,             -- the last audit record chained under it
	retired_at INTEGER NOT NULL,
	PRIMARY KEY (generation)
);

-- A rotation moves the registry's searches beyond one's own street (counted per ID
-- number's index) to each person's new index: found by the old one.
CREATE INDEX person_scope_hits_bidx ON person_scope_hits(id_bidx);
