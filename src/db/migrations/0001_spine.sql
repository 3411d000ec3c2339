-- The spine: organisations, accounts, roles, sessions, security policy, audit trail.
-- Times are epoch seconds (UTC). Every row that belongs to a place carries region_code,
-- the distribution column of a sharded deployment.

CREATE TABLE orgs (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES orgs(id),
	code TEXT NOT NULL UNIQUE,          -- a station's code is its street's or community's region code
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('bureau', 'section', 'street', 'community')),
	region_code TEXT NOT NULL,
	path TEXT NOT NULL,                 -- '/00000001/00000004/': zero-padded ids from the root
	created_at INTEGER NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	region_code TEXT NOT NULL,
	scope TEXT NOT NULL CHECK (scope IN ('all', 'org_tree', 'org', 'self')),
	password_hash TEXT NOT NULL,
	password_changed_at INTEGER NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	last_login_at INTEGER
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users(id),
	role TEXT NOT NULL,
	granted_at INTEGER NOT NULL,
	granted_by INTEGER,
	PRIMARY KEY (user_id, role)
);

CREATE TABLE password_history (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	password_hash TEXT NOT NULL,
	changed_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,           -- SM3 of the random id: the cookie value is never stored
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by INTEGER
);

-- Append-only: each record's hash is HMAC-SM3 (audit key) over its content and the previous
-- record's hash; audit_head holds the last sequence number and hash, so that removing the
-- newest records is detected too.
CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER,
	actor TEXT NOT NULL,
	ip TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL,
	result TEXT NOT NULL,
	region_code TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);
