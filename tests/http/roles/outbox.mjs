// roles/outbox.mjs - 短信通知: the messages to applicants and petitioners, what waits, what
// was sent and what failed, and 重发: who holds each permission, and every route with its
// permission. Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Those who deal with applicants see whether they were told: the window clerk, the
	 * leaders who watch the counter, and a station for its street. */
	'outbox.read': ['clerk', 'leader', 'station'],
	/* Sending a failed message again is the window's work. */
	'outbox.retry': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/outbox', 'outbox.read', 'page'],
	['POST', '/outbox/{id}/retry', 'outbox.retry', 'page'],
	['GET', '/api/v1/outbox', 'outbox.read', 'api'],
	['POST', '/api/v1/outbox/{id}/retry', 'outbox.retry', 'api'],
];

/* The probe's {id} names no message: not found, after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /短信不存在/]);
