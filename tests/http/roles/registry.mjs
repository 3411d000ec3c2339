// roles/registry.mjs - the registry and its import:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* The registry is the business roles' work; administrators never see people. */
	'person.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'person.write': ['clerk', 'station'],
	/* The leader sees figures and masked lists; the full view is for who checks a person
	 * (and a leader the security administrator grants it to by name: leader_grant.test.mjs). */
	'person.reveal': ['clerk', 'reviewer', 'approver', 'station'],
	/* Lists with full values are register work: clerks, and a station for its own street. */
	'person.export_full': ['clerk', 'station'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/persons', 'person.read', 'page'],
	['GET', '/persons/new', 'person.write', 'page'],
	['GET', '/persons/export', 'person.read', 'page'],
	['GET', '/persons/export/full', 'person.export_full', 'page'],
	['POST', '/persons/export/full', 'person.export_full', 'page'],
	['GET', '/persons/import', 'person.write', 'page'],
	['POST', '/persons/import', 'person.write', 'page'],
	['POST', '/persons/import/confirm', 'person.write', 'page'],
	['GET', '/persons/import/rejected', 'person.write', 'page'],
	['GET', '/persons/import/progress', 'person.write', 'page'],
	['GET', '/persons/import/status', 'person.write', 'page'],
	['GET', '/persons/import/template.csv', 'person.write', 'page'],
	['GET', '/persons/import/template.xlsx', 'person.write', 'page'],
	['GET', '/persons/import/people', 'person.write', 'page'],
	['POST', '/persons', 'person.write', 'page'],
	['GET', '/persons/{id}', 'person.read', 'page'],
	['GET', '/persons/{id}/edit', 'person.write', 'page'],
	['POST', '/persons/{id}', 'person.write', 'page'],
	['POST', '/persons/{id}/reveal', 'person.reveal', 'page'],
	['POST', '/persons/{id}/status', 'person.write', 'page'],
	['POST', '/persons/{id}/family', 'person.write', 'page'],
	['POST', '/persons/{id}/family/delete', 'person.write', 'page'],
	['GET', '/api/v1/persons', 'person.read', 'api'],
	['GET', '/api/v1/persons/{id}', 'person.read', 'api'],
	['POST', '/api/v1/persons', 'person.write', 'api'],
	['PATCH', '/api/v1/persons/{id}', 'person.write', 'api'],
	['POST', '/api/v1/persons/{id}/status', 'person.write', 'api'],
	['POST', '/api/v1/persons/{id}/family', 'person.write', 'api'],
];
