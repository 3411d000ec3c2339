-- Rights the security administrator grants one user by name, beyond what his roles
-- give (areas/perm.h, enum grant): today 'person_full', the leader's full view of a
-- person's sensitive data. A grant lasts while the account stays as it was granted:
-- a change of roles, a move to another organisation, disabling the account or a
-- password set by someone else removes it (audited as user.right).
CREATE TABLE user_grants (
	user_id INTEGER NOT NULL REFERENCES users(id),
	grant_name TEXT NOT NULL,           -- 'person_full'
	granted_at INTEGER NOT NULL,
	granted_by INTEGER NOT NULL,        -- the security administrator
	reason TEXT NOT NULL,
	PRIMARY KEY (user_id, grant_name)
);
