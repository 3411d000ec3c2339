// roles/inspection.mjs - 查问题: the problems leaders find (走流程, 坐窗口, 查问题), the
// office's fix and the leader's check: who holds each permission, and every route with
// its permission. See ../roles.test.mjs.

export const perms = {
	/* A leader marks a problem and confirms its fix; the office responsible (its clerks, a
	 * station) records what it fixed; all three read the problems in their scope. */
	'inspection.read': ['clerk', 'leader', 'station'],
	'inspection.create': ['leader'],
	'inspection.fix': ['clerk', 'station'],
	'inspection.confirm': ['leader'],
};

export const routes = [
	['GET', '/inspections', 'inspection.read', 'page'],
	['GET', '/inspections/new', 'inspection.create', 'page'],
	['POST', '/inspections', 'inspection.create', 'page'],
	['GET', '/inspections/{id}', 'inspection.read', 'page'],
	['POST', '/inspections/{id}/fix', 'inspection.fix', 'page'],
	['POST', '/inspections/{id}/close', 'inspection.confirm', 'page'],
	['POST', '/inspections/{id}/return', 'inspection.confirm', 'page'],
	['GET', '/api/v1/inspections', 'inspection.read', 'api'],
	['POST', '/api/v1/inspections', 'inspection.create', 'api'],
	['GET', '/api/v1/inspections/{id}', 'inspection.read', 'api'],
	['POST', '/api/v1/inspections/{id}/fix', 'inspection.fix', 'api'],
	['POST', '/api/v1/inspections/{id}/close', 'inspection.confirm', 'api'],
	['POST', '/api/v1/inspections/{id}/return', 'inspection.confirm', 'api'],
];

export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /问题不存在/]);
