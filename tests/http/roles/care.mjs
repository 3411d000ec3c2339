// roles/care.mjs - 关爱帮扶: the regular-contact list and its contacts, visits, holiday-visit
// campaigns, 光荣牌 and the year's figures: who holds each permission, and every route with its
// permission. Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads the care records and their figures (a station: its
	 * street's); the bureau's clerks and the street stations, who make the contacts and go on
	 * the visits, record them. */
	'care.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'care.manage': ['clerk', 'station'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/care', 'care.read', 'page'],
	['GET', '/care/plans/new', 'care.manage', 'page'],
	['POST', '/care/plans', 'care.manage', 'page'],
	['GET', '/care/plans/{id}', 'care.read', 'page'],
	['POST', '/care/plans/{id}/contacts', 'care.manage', 'page'],
	['POST', '/care/plans/{id}/end', 'care.manage', 'page'],
	['POST', '/care/contacts/{id}/delete', 'care.manage', 'page'],
	['GET', '/care/visits', 'care.read', 'page'],
	['GET', '/care/visits/new', 'care.manage', 'page'],
	['POST', '/care/visits', 'care.manage', 'page'],
	['GET', '/care/visits/{id}', 'care.read', 'page'],
	['POST', '/care/visits/{id}', 'care.manage', 'page'],
	['POST', '/care/visits/{id}/delete', 'care.manage', 'page'],
	['GET', '/care/campaigns', 'care.read', 'page'],
	['GET', '/care/campaigns/new', 'care.manage', 'page'],
	['POST', '/care/campaigns', 'care.manage', 'page'],
	['GET', '/care/campaigns/{id}', 'care.read', 'page'],
	['GET', '/care/plaques', 'care.read', 'page'],
	['POST', '/care/plaques', 'care.manage', 'page'],
	['GET', '/care/stats', 'care.read', 'page'],
	['GET', '/care/stats/list', 'care.read', 'page'],
	['GET', '/api/v1/care/plans', 'care.read', 'api'],
	['POST', '/api/v1/care/plans', 'care.manage', 'api'],
	['POST', '/api/v1/care/plans/{id}/contacts', 'care.manage', 'api'],
	['POST', '/api/v1/care/contacts/{id}/delete', 'care.manage', 'api'],
	['GET', '/api/v1/care/visits', 'care.read', 'api'],
	['POST', '/api/v1/care/visits', 'care.manage', 'api'],
	['GET', '/api/v1/care/visits/{id}', 'care.read', 'api'],
	['POST', '/api/v1/care/visits/{id}', 'care.manage', 'api'],
	['POST', '/api/v1/care/visits/{id}/delete', 'care.manage', 'api'],
	['GET', '/api/v1/care/campaigns', 'care.read', 'api'],
	['POST', '/api/v1/care/campaigns', 'care.manage', 'api'],
	['GET', '/api/v1/care/campaigns/{id}', 'care.read', 'api'],
	['POST', '/api/v1/care/plaques', 'care.manage', 'api'],
];

/* The routes of one record that take no required parameter: the probe's {id} names none,
 * found out after the permission. */
export const absent = [
	['GET /care/plans/{id}', /常态化联系记录不存在/],
	['GET /care/visits/{id}', /走访记录不存在/],
	['GET /care/campaigns/{id}', /慰问活动不存在/],
	['GET /api/v1/care/visits/{id}', /走访记录不存在/],
	['GET /api/v1/care/campaigns/{id}', /慰问活动不存在/],
	['POST /care/contacts/{id}/delete', /联系记录不存在/],
	['POST /care/visits/{id}/delete', /走访记录不存在/],
	['POST /api/v1/care/contacts/{id}/delete', /联系记录不存在/],
	['POST /api/v1/care/visits/{id}/delete', /走访记录不存在/],
];
