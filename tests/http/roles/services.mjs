// roles/services.mjs - the service catalogue (事项): its list, items, the form, the 办事指南 and
// 一次性告知书 (pages and .docx) and the API: who holds each permission, and every route with its
// permission. Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Everyone at the counter, behind it or above it reads what the bureau offers and prints
	 * its guides; the clerks who run the counter keep the catalogue. */
	'service.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'service.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/services', 'service.read', 'page'],
	['POST', '/services', 'service.manage', 'page'],
	['POST', '/services/import', 'service.manage', 'page'],
	['GET', '/services/new', 'service.manage', 'page'],
	['GET', '/services/{id}', 'service.read', 'page'],
	['POST', '/services/{id}', 'service.manage', 'page'],
	['GET', '/services/{id}/edit', 'service.manage', 'page'],
	['GET', '/services/{id}/guide', 'service.read', 'page'],
	['GET', '/services/{id}/guide.docx', 'service.read', 'page'],
	['GET', '/services/{id}/notice', 'service.read', 'page'],
	['GET', '/services/{id}/notice.docx', 'service.read', 'page'],
	['GET', '/api/v1/services', 'service.read', 'api'],
	['GET', '/api/v1/services/{id}', 'service.read', 'api'],
];

/* The routes of one item that read it: the probe's {id} names none, found out after the
 * permission. */
export const absent = routes
	.filter(([method, pattern]) => method === 'GET' && pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /服务事项不存在/]);
