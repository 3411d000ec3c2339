// roles/pufa.mjs - 普法: events, brochures and study sessions (clerks and stations), the yearly
// law exam, the 责任清单 and the excellent mark (the bureau's clerks), the year's page and
// figures (everyone in the business): who holds each permission, and every route with its
// permission. See ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads the 普法 record and its figures (a station: its street's). */
	'pufa.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	/* Clerks and the street stations record what they did: events, brochures, study sessions. */
	'pufa.manage': ['clerk', 'station'],
	/* The staff's exam, the bureau's 责任清单 and the excellent mark are the bureau clerks'. */
	'pufa.admin': ['clerk'],
};

const KINDS = [
	['events', 'pufa.manage'],
	['brochures', 'pufa.manage'],
	['sessions', 'pufa.manage'],
	['exams', 'pufa.admin'],
	['duties', 'pufa.admin'],
];

export const routes = [
	['GET', '/pufa', 'pufa.read', 'page'],
	['GET', '/pufa/stats', 'pufa.read', 'page'],
	['GET', '/pufa/stats/list', 'pufa.read', 'page'],
	['GET', '/pufa/duties/{id}', 'pufa.read', 'page'],
	['GET', '/pufa/settings', 'pufa.admin', 'page'],
	['POST', '/pufa/settings', 'pufa.admin', 'page'],
	...KINDS.flatMap(([k, p]) => [
		['GET', `/pufa/${k}/new`, p, 'page'],
		['POST', `/pufa/${k}`, p, 'page'],
		['POST', `/pufa/${k}/{id}/delete`, p, 'page'],
		['POST', `/api/v1/pufa/${k}`, p, 'api'],
		['POST', `/api/v1/pufa/${k}/{id}/delete`, p, 'api'],
	]),
	/* Corrections: every kind but the exam (recording a member again corrects his row). */
	...KINDS.filter(([k]) => k !== 'exams').flatMap(([k, p]) => [
		['GET', `/pufa/${k}/{id}/edit`, p, 'page'],
		['POST', `/pufa/${k}/{id}`, p, 'page'],
		['POST', `/api/v1/pufa/${k}/{id}`, p, 'api'],
	]),
	['GET', '/api/v1/pufa', 'pufa.read', 'api'],
	['GET', '/api/v1/pufa/duties/{id}', 'pufa.read', 'api'],
	['POST', '/api/v1/pufa/settings', 'pufa.admin', 'api'],
];

export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /不存在/]);
