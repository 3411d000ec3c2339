// roles/accounts.mjs - accounts, organisations and the roles table: who holds each
// permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

/* 三员分立: the three administrators share nothing but signed_in; account.read is shared by
 * the system and security administrators. */
export const perms = {
	'account.read': ['sysadmin', 'secadmin'],
	'account.write': ['sysadmin'],
	'org.read': ['sysadmin', 'secadmin'],
	'org.write': ['sysadmin'],
	'role.grant': ['secadmin'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/users', 'account.read', 'page'],
	['GET', '/users/new', 'account.write', 'page'],
	['POST', '/users', 'account.write', 'page'],
	['GET', '/users/{id}', 'account.read', 'page'],
	['POST', '/users/{id}', 'account.write', 'page'],
	['POST', '/users/{id}/password', 'account.write', 'page'],
	['POST', '/users/{id}/password/confirm', 'role.grant', 'page'],
	['POST', '/users/{id}/unlock', 'account.write', 'page'],
	['POST', '/users/{id}/roles', 'role.grant', 'page'],
	['POST', '/users/{id}/rights', 'role.grant', 'page'],
	['GET', '/orgs', 'org.read', 'page'],
	['POST', '/orgs', 'org.write', 'page'],
	['POST', '/orgs/{id}', 'org.write', 'page'],
	['GET', '/roles', 'account.read', 'page'],
	['GET', '/api/v1/users', 'account.read', 'api'],
];
