// roles/session.mjs - signing in, one's own password, health and metrics:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.
import { ROLES } from './roles.mjs';

export const perms = {
	public: 'everyone',
	signed_in: ROLES,
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/', 'public', 'page'],
	['GET', '/login', 'public', 'page'],
	['POST', '/login', 'public', 'page'],
	['POST', '/logout', 'signed_in', 'page'],
	['GET', '/password', 'signed_in', 'page'],
	['POST', '/password', 'signed_in', 'page'],
	['GET', '/healthz', 'public', 'page'],
	['GET', '/metrics', 'public', 'page'],
	['POST', '/api/v1/session', 'public', 'api'],
	['DELETE', '/api/v1/session', 'signed_in', 'api'],
	['GET', '/api/v1/me', 'signed_in', 'api'],
];
