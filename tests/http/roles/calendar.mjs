// roles/calendar.mjs - the holiday calendar: who holds each permission, and every route.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* every deadline of the counter is counted on it: the whole business reads it */
	'calendar.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	/* the State Council's arrangement, typed or imported once a year by the bureau's office */
	'calendar.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/calendar', 'calendar.read', 'page'],
	['POST', '/calendar/days', 'calendar.manage', 'page'],
	['POST', '/calendar/import', 'calendar.manage', 'page'],
	['POST', '/calendar/days/remove', 'calendar.manage', 'page'],
	['GET', '/api/v1/calendar/due', 'calendar.read', 'api'],
];
