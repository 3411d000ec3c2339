// roles/placement.mjs - 安置: the cases and their steps, the yearly plans, the figures: who
// holds each permission, and every route with its permission. Written down from what each
// permission means; see ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads the cases and the figures (a station: its street's);
	 * the placement office (clerk) and the street stations open cases and record their
	 * steps; the city's plan is entered at the bureau, by the clerk. */
	'placement.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'placement.manage': ['clerk', 'station'],
	'placement.plan': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/placement', 'placement.read', 'page'],
	['POST', '/placement', 'placement.manage', 'page'],
	['GET', '/placement/new', 'placement.manage', 'page'],
	['GET', '/placement/plans', 'placement.read', 'page'],
	['POST', '/placement/plans', 'placement.plan', 'page'],
	['GET', '/placement/stats', 'placement.read', 'page'],
	['GET', '/placement/stats/list', 'placement.read', 'page'],
	['GET', '/placement/{id}', 'placement.read', 'page'],
	['POST', '/placement/{id}/steps', 'placement.manage', 'page'],
	['GET', '/api/v1/placement', 'placement.read', 'api'],
	['POST', '/api/v1/placement', 'placement.manage', 'api'],
	['GET', '/api/v1/placement/plans', 'placement.read', 'api'],
	['POST', '/api/v1/placement/plans', 'placement.plan', 'api'],
	['GET', '/api/v1/placement/{id}', 'placement.read', 'api'],
	['POST', '/api/v1/placement/{id}/steps', 'placement.manage', 'api'],
];

/* The routes of one case: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /安置案件不存在/]);
