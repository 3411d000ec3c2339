// roles/death.mjs - a recorded death and its correction:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* a fact from a certificate, corrected by the bureau; the money follows through batches */
	'death.correct': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['POST', '/persons/{id}/death', 'death.correct', 'page'],
	['POST', '/api/v1/persons/{id}/death', 'death.correct', 'api'],
];
