// roles/audit.mjs - the audit trail:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	'audit.read': ['auditor'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/audit', 'audit.read', 'page'],
	['GET', '/api/v1/audit', 'audit.read', 'api'],
];
