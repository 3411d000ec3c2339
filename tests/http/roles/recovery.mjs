// roles/recovery.mjs - 追缴: the list of money paid after a benefit's end, its cases, the
// notice, the amounts recovered, closing and writing off: who holds each permission, and
// every route with its permission. Written down from what each permission means; see
// ../roles.test.mjs.

export const perms = {
	/* Everyone in the business sees what is owed (a station: its street's people); the
	 * clerk who handles payments opens cases, records what comes back and closes them;
	 * giving up money still owed (核销) is a decision on money: the approver's. */
	'recovery.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'recovery.write': ['clerk'],
	'recovery.writeoff': ['approver'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/recoveries', 'recovery.read', 'page'],
	['POST', '/recoveries', 'recovery.write', 'page'],
	['GET', '/recoveries/{id}', 'recovery.read', 'page'],
	['GET', '/recoveries/{id}/notice', 'recovery.read', 'page'],
	['POST', '/recoveries/{id}/payments', 'recovery.write', 'page'],
	['POST', '/recoveries/{id}/close', 'recovery.write', 'page'],
	['POST', '/recoveries/{id}/writeoff', 'recovery.write', 'page'],
	['POST', '/recoveries/{id}/writeoff/approve', 'recovery.writeoff', 'page'],
	['POST', '/recoveries/{id}/writeoff/return', 'recovery.writeoff', 'page'],
	['GET', '/payments/recoveries', 'recovery.read', 'page'],
	['GET', '/api/v1/recoveries', 'recovery.read', 'api'],
	['POST', '/api/v1/recoveries', 'recovery.write', 'api'],
	['GET', '/api/v1/recoveries/{id}', 'recovery.read', 'api'],
	['POST', '/api/v1/recoveries/{id}/payments', 'recovery.write', 'api'],
];

/* The routes of one case: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /追缴案件不存在/]);
