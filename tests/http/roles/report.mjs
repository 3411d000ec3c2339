// roles/report.mjs - the annual report: everyone in the business reads it (a station: its
// street's figures), the bureau's clerks write its text and publish it once finalised, a
// leader finalises it. See ../roles.test.mjs.

export const perms = {
	'report.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'report.write': ['clerk'],
	'report.finalise': ['leader'],
};

export const routes = [
	['GET', '/report', 'report.read', 'page'],
	['GET', '/report/docx', 'report.read', 'page'],
	['GET', '/report/edit', 'report.write', 'page'],
	['POST', '/report/edit', 'report.write', 'page'],
	['POST', '/report/finalise', 'report.finalise', 'page'],
	['POST', '/report/publish', 'report.write', 'page'],
	['GET', '/api/v1/report', 'report.read', 'api'],
	['POST', '/api/v1/report', 'report.write', 'api'],
	['POST', '/api/v1/report/finalise', 'report.finalise', 'api'],
	['POST', '/api/v1/report/publish', 'report.write', 'api'],
];
