// roles/applications.mjs - the counter (窗口受理): who holds each permission, and every route
// with its permission. Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Everyone in the business sees the applications of their place (a station: its street). */
	'application.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	/* Receiving and handling them is the window's work: the bureau's clerks, a station for its
	 * street, and a leader, who sits at the window (坐窗口) as a clerk. */
	'application.handle': ['clerk', 'station', 'leader'],
	/* The 失信 list is kept by the bureau's clerks. */
	'discredit.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/applications', 'application.read', 'page'],
	['GET', '/applications/new', 'application.handle', 'page'],
	['POST', '/applications', 'application.handle', 'page'],
	['GET', '/applications/{id}', 'application.read', 'page'],
	['GET', '/applications/{id}/receipt', 'application.read', 'page'],
	['GET', '/applications/{id}/notice', 'application.read', 'page'],
	['POST', '/applications/{id}/correct', 'application.handle', 'page'],
	['POST', '/applications/{id}/resume', 'application.handle', 'page'],
	['POST', '/applications/{id}/supply', 'application.handle', 'page'],
	['POST', '/applications/{id}/close', 'application.handle', 'page'],
	['POST', '/applications/{id}/refuse', 'application.handle', 'page'],
	['POST', '/applications/{id}/return', 'application.handle', 'page'],
	['GET', '/discredits', 'discredit.manage', 'page'],
	['POST', '/discredits', 'discredit.manage', 'page'],
	['POST', '/discredits/{id}/remove', 'discredit.manage', 'page'],
	['POST', '/discredits/import', 'discredit.manage', 'page'],
	['GET', '/api/v1/applications', 'application.read', 'api'],
	['POST', '/api/v1/applications', 'application.handle', 'api'],
	['GET', '/api/v1/applications/{id}', 'application.read', 'api'],
	['POST', '/api/v1/applications/{id}/correct', 'application.handle', 'api'],
	['POST', '/api/v1/applications/{id}/resume', 'application.handle', 'api'],
	['POST', '/api/v1/applications/{id}/supply', 'application.handle', 'api'],
	['POST', '/api/v1/applications/{id}/close', 'application.handle', 'api'],
	['POST', '/api/v1/applications/{id}/refuse', 'application.handle', 'api'],
	['POST', '/api/v1/applications/{id}/return', 'application.handle', 'api'],
	['GET', '/api/v1/discredits', 'discredit.manage', 'api'],
	['POST', '/api/v1/discredits', 'discredit.manage', 'api'],
	/* the public tracking page: no login */
	['GET', '/track', 'public', 'page'],
];

/* The routes of one application: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.startsWith('/applications/{id}') || pattern.startsWith('/api/v1/applications/{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /申请不存在/])
	.concat([['POST /discredits/{id}/remove', /失信名单中没有该记录/]]);
