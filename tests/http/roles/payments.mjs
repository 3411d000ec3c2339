// roles/payments.mjs - batches, bank files and statistics:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	'pay.generate': ['clerk'],
	'pay.review': ['reviewer'],
	'pay.approve': ['approver'],
	'pay.bank': ['clerk'],
	'stats.read': ['clerk', 'reviewer', 'approver', 'leader'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/payments', 'benefit.read', 'page'],
	['POST', '/payments', 'pay.generate', 'page'],
	['POST', '/payments/due', 'pay.generate', 'page'],
	['POST', '/payments/review', 'pay.review', 'page'],
	['POST', '/payments/approve', 'pay.approve', 'page'],
	['GET', '/payments/lines', 'benefit.read', 'page'],
	['GET', '/payments/{id}', 'benefit.read', 'page'],
	['POST', '/payments/{id}/review', 'pay.review', 'page'],
	['POST', '/payments/{id}/approve', 'pay.approve', 'page'],
	['POST', '/payments/{id}/reject', 'benefit.read', 'page'],
	['GET', '/payments/{id}/bank', 'pay.bank', 'page'],
	['POST', '/payments/{id}/return', 'pay.bank', 'page'],
	['GET', '/stats/benefits', 'stats.read', 'page'],
	['GET', '/payments/stats', 'stats.read', 'page'],
	['GET', '/payments/stats/list', 'stats.read', 'page'],
	['GET', '/api/v1/payments/batches', 'benefit.read', 'api'],
	['POST', '/api/v1/payments/batches', 'pay.generate', 'api'],
	['POST', '/api/v1/payments/batches/due', 'pay.generate', 'api'],
	['POST', '/api/v1/payments/batches/review', 'pay.review', 'api'],
	['POST', '/api/v1/payments/batches/approve', 'pay.approve', 'api'],
	['GET', '/api/v1/payments/batches/{id}/summary', 'benefit.read', 'api'],
	['GET', '/api/v1/payments/batches/{id}', 'benefit.read', 'api'],
	['POST', '/api/v1/payments/batches/{id}/review', 'pay.review', 'api'],
	['POST', '/api/v1/payments/batches/{id}/reject', 'benefit.read', 'api'],
	['POST', '/api/v1/payments/batches/{id}/approve', 'pay.approve', 'api'],
	['GET', '/api/v1/payments/lines', 'benefit.read', 'api'],
	['GET', '/api/v1/stats/benefits', 'stats.read', 'api'],
];
