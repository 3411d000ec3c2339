// roles/dashboard.mjs - 统计看板: the year's figures of every area its reader may read, and
// their charts: who holds the permission, and every route with it. See ../roles.test.mjs.

export const perms = {
	/* The business roles read the dashboard, each within his data scope (a station: its
	 * street's); the three administrators keep to accounts, security and the audit trail. */
	'dashboard.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
};

export const routes = [
	['GET', '/dashboard', 'dashboard.read', 'page'],
	['GET', '/dashboard/chart', 'dashboard.read', 'page'],
	['GET', '/api/v1/dashboard', 'dashboard.read', 'api'],
];

/* A chart request naming no chart: 404 once the permission has passed. */
export const absent = [['GET /dashboard/chart', /没有这一图表/]];
