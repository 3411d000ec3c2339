// roles/shuangyong.mjs - 双拥: the activities and their news reports, and the year's figures:
// who holds each permission, and every route with its permission. See ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads the 双拥 record and its figures (a station: its street's);
	 * the bureau's clerks and the street stations record activities and reports. */
	'shuangyong.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'shuangyong.manage': ['clerk', 'station'],
};

export const routes = [
	['GET', '/shuangyong', 'shuangyong.read', 'page'],
	['GET', '/shuangyong/new', 'shuangyong.manage', 'page'],
	['POST', '/shuangyong', 'shuangyong.manage', 'page'],
	['GET', '/shuangyong/stats', 'shuangyong.read', 'page'],
	['GET', '/shuangyong/stats/list', 'shuangyong.read', 'page'],
	['GET', '/shuangyong/{id}', 'shuangyong.read', 'page'],
	['POST', '/shuangyong/{id}', 'shuangyong.manage', 'page'],
	['POST', '/shuangyong/{id}/delete', 'shuangyong.manage', 'page'],
	['POST', '/shuangyong/{id}/reports', 'shuangyong.manage', 'page'],
	['POST', '/shuangyong/reports/{id}/delete', 'shuangyong.manage', 'page'],
	['GET', '/api/v1/shuangyong', 'shuangyong.read', 'api'],
	['POST', '/api/v1/shuangyong', 'shuangyong.manage', 'api'],
	['GET', '/api/v1/shuangyong/{id}', 'shuangyong.read', 'api'],
	['POST', '/api/v1/shuangyong/{id}', 'shuangyong.manage', 'api'],
	['POST', '/api/v1/shuangyong/{id}/delete', 'shuangyong.manage', 'api'],
	['POST', '/api/v1/shuangyong/{id}/reports', 'shuangyong.manage', 'api'],
	['POST', '/api/v1/shuangyong/reports/{id}/delete', 'shuangyong.manage', 'api'],
];

export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /双拥活动不存在|新闻报道不存在/]);
