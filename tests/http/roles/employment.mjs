// roles/employment.mjs - 就业创业: job fairs (their enterprises and positions, the organisers'
// sheet), the enterprise list, veterans seeking work and their outcomes, matching, and the
// year's figures: who holds each permission, and every route with its permission.

export const perms = {
	/* Everyone in the business follows employment work and its figures (a station: its
	 * street's fairs and seekers); the bureau's employment desk (clerk) and the street
	 * stations run fairs, register seekers and record hires. */
	'employment.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'employment.manage': ['clerk', 'station'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/employment', 'employment.read', 'page'],
	['GET', '/employment/stats', 'employment.read', 'page'],
	['GET', '/employment/stats/list', 'employment.read', 'page'],
	['GET', '/employment/fairs/new', 'employment.manage', 'page'],
	['POST', '/employment/fairs', 'employment.manage', 'page'],
	['GET', '/employment/fairs/{id}', 'employment.read', 'page'],
	['POST', '/employment/fairs/{id}', 'employment.manage', 'page'],
	['POST', '/employment/fairs/{id}/import', 'employment.manage', 'page'],
	['POST', '/employment/fairs/{id}/positions', 'employment.manage', 'page'],
	['GET', '/employment/positions/{id}', 'employment.read', 'page'],
	['GET', '/employment/enterprises', 'employment.read', 'page'],
	['POST', '/employment/enterprises', 'employment.manage', 'page'],
	['GET', '/employment/enterprises/{id}', 'employment.read', 'page'],
	['GET', '/employment/seekers', 'employment.read', 'page'],
	['GET', '/employment/seekers/new', 'employment.manage', 'page'],
	['POST', '/employment/seekers', 'employment.manage', 'page'],
	['GET', '/employment/seekers/{id}', 'employment.read', 'page'],
	['POST', '/employment/seekers/{id}/hire', 'employment.manage', 'page'],
	['POST', '/employment/seekers/{id}/unhire', 'employment.manage', 'page'],
	['POST', '/employment/seekers/{id}/withdraw', 'employment.manage', 'page'],
	['GET', '/api/v1/employment/seekers/{id}/matches', 'employment.read', 'api'],
	['GET', '/api/v1/employment/positions/{id}/matches', 'employment.read', 'api'],
];

/* The probe's {id} names no fair, position, enterprise or seeker: found out after the permission. */
export const absent = [
	['GET /employment/fairs/{id}', /招聘会不存在/],
	['GET /employment/positions/{id}', /岗位不存在/],
	['GET /employment/enterprises/{id}', /企业不存在/],
	['GET /employment/seekers/{id}', /求职登记不存在/],
	['POST /employment/seekers/{id}/unhire', /求职登记不存在/],
	['POST /employment/seekers/{id}/withdraw', /求职登记不存在/],
	['GET /api/v1/employment/seekers/{id}/matches', /求职登记不存在/],
	['GET /api/v1/employment/positions/{id}/matches', /岗位不存在/],
];
