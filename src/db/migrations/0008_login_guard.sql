-- Logins and resets: failures counted per name typed, known or not, and resets of
-- role holders that take two people.
--
-- A name typed at login that names no account gets a counter of its own, so that
-- it locks after the same number of failures as an account does and a 423 does not
-- tell which accounts exist. The name is kept only as a keyed hash (it may be a
-- password typed into the wrong box); rows idle for a day are dropped.
CREATE TABLE login_names (
	name_key TEXT PRIMARY KEY,          -- hex HMAC-SM3 of the name, under a key from the key file
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL
);
CREATE INDEX login_names_updated ON login_names(updated_at);

-- A temporary password the system administrator asked for on an account that holds
-- a role; it takes effect only when the security administrator confirms it. One
-- request per account: a new one replaces the old.
CREATE TABLE password_resets (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	password_hash TEXT NOT NULL,
	requested_by INTEGER NOT NULL REFERENCES users(id),
	requested_at INTEGER NOT NULL
);
