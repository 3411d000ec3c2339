// roles/death_report.mjs - 死亡上报: a station reports a death with the certificate, the
// bureau's clerk checks the report.
// Who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* the stations see deaths first; the bureau decides what is recorded */
	'death_report.submit': ['station'],
	'death_report.read': ['clerk', 'station'],
	'death_report.check': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/death-reports', 'death_report.read', 'page'],
	['GET', '/death-reports/new', 'death_report.submit', 'page'],
	['POST', '/death-reports', 'death_report.submit', 'page'],
	['GET', '/death-reports/{id}', 'death_report.read', 'page'],
	['GET', '/death-reports/{id}/certificate', 'death_report.read', 'page'],
	['POST', '/death-reports/{id}/accept', 'death_report.check', 'page'],
	['POST', '/death-reports/{id}/return', 'death_report.check', 'page'],
	['GET', '/api/v1/death-reports', 'death_report.read', 'api'],
	['POST', '/api/v1/death-reports', 'death_report.submit', 'api'],
	['GET', '/api/v1/death-reports/{id}', 'death_report.read', 'api'],
	['POST', '/api/v1/death-reports/{id}/accept', 'death_report.check', 'api'],
	['POST', '/api/v1/death-reports/{id}/return', 'death_report.check', 'api'],
];

/* Routes of one report: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /死亡上报不存在/]);
