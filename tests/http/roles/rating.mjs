// roles/rating.mjs - 好差评 and the counter's statistics: who holds each permission, and
// every route with its permission. Written down from what each permission means; see
// ../roles.test.mjs.

export const perms = {
	/* Everyone in the business reads the ratings and the counter's figures (a station: its
	 * street's); the window staff (clerks, stations) enter the applicant's rating at the
	 * counter, record the 回访 and 整改 a 差评 owes, and may ask for a review of a rating made
	 * in error; a leader decides the review and sets the working days a 差评's follow-up
	 * is due in. */
	'rating.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'rating.write': ['clerk', 'station'],
	'rating.appeal': ['clerk', 'station'],
	'rating.decide': ['leader'],
	'counter.stats': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/ratings', 'rating.read', 'page'],
	['POST', '/ratings/settings', 'rating.decide', 'page'],
	['GET', '/ratings/new', 'rating.write', 'page'],
	['POST', '/ratings', 'rating.write', 'page'],
	['GET', '/ratings/{id}', 'rating.read', 'page'],
	['POST', '/ratings/{id}/visit', 'rating.write', 'page'],
	['POST', '/ratings/{id}/fix', 'rating.write', 'page'],
	['POST', '/ratings/{id}/appeal', 'rating.appeal', 'page'],
	['POST', '/ratings/{id}/decide', 'rating.decide', 'page'],
	['POST', '/track/rate', 'public', 'page'],
	['GET', '/counter/stats', 'counter.stats', 'page'],
	['GET', '/counter/stats/list', 'counter.stats', 'page'],
	['GET', '/applications/stats', 'counter.stats', 'page'],
	['GET', '/applications/stats/list', 'counter.stats', 'page'],
	['GET', '/api/v1/ratings', 'rating.read', 'api'],
	['POST', '/api/v1/ratings', 'rating.write', 'api'],
	['GET', '/api/v1/ratings/{id}', 'rating.read', 'api'],
	['POST', '/api/v1/ratings/{id}/visit', 'rating.write', 'api'],
	['POST', '/api/v1/ratings/{id}/fix', 'rating.write', 'api'],
	['POST', '/api/v1/ratings/{id}/appeal', 'rating.appeal', 'api'],
	['POST', '/api/v1/ratings/{id}/decide', 'rating.decide', 'api'],
	['GET', '/api/v1/counter/stats', 'counter.stats', 'api'],
	['GET', '/api/v1/counter/stats/list', 'counter.stats', 'api'],
];

/* The routes of one rating: the probe's {id} names none, found out after the permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, /评价不存在/]);
