// roles/petitions.mjs - 信访 and 区长信箱: the desk's list, registering, the steps of a
// petition, the leader's approval of an extension, the statistics and the published
// replies: who holds each permission, and every route with its permission. Written down
// from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads petitions and their figures (a station: its street's);
	 * the petitions desk (clerk) and the street stations register and handle them; only a
	 * leader approves the one extension a petition may have. */
	'petition.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'petition.handle': ['clerk', 'station'],
	'petition.approve_extension': ['leader'],
};

const STEPS = ['accept', 'reject', 'assign', 'extend', 'close', 'reply', 'review', 'review/answer', 'duplicate', 'publish'];

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/petitions', 'petition.read', 'page'],
	['POST', '/petitions', 'petition.handle', 'page'],
	['GET', '/petitions/new', 'petition.handle', 'page'],
	['GET', '/petitions/stats', 'petition.read', 'page'],
	['GET', '/petition/stats', 'petition.read', 'page'],
	['GET', '/petition/stats/list', 'petition.read', 'page'],
	['GET', '/petitions/{id}', 'petition.read', 'page'],
	['POST', '/petitions/{id}/reveal', 'petition.handle', 'page'],
	...STEPS.map((s) => ['POST', `/petitions/{id}/${s}`, 'petition.handle', 'page']),
	['POST', '/petitions/{id}/extend/approve', 'petition.approve_extension', 'page'],
	['POST', '/petitions/{id}/extend/refuse', 'petition.approve_extension', 'page'],
	['GET', '/api/v1/petitions', 'petition.read', 'api'],
	['POST', '/api/v1/petitions', 'petition.handle', 'api'],
	['GET', '/api/v1/petitions/stats', 'petition.read', 'api'],
	['GET', '/api/v1/petitions/published', 'petition.read', 'api'],
	['GET', '/api/v1/petitions/{id}', 'petition.read', 'api'],
	['POST', '/api/v1/petitions/{id}/reveal', 'petition.handle', 'api'],
	...STEPS.map((s) => ['POST', `/api/v1/petitions/{id}/${s}`, 'petition.handle', 'api']),
	['POST', '/api/v1/petitions/{id}/extend/approve', 'petition.approve_extension', 'api'],
	['POST', '/api/v1/petitions/{id}/extend/refuse', 'petition.approve_extension', 'api'],
];

/* The routes of one petition: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /信访件不存在/]);
