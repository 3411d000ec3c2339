// roles/home.mjs - the home page's to-dos as JSON: every signed-in user reads his own
// (an administrator's list is empty). Written down from what it means; see ../roles.test.mjs.
import { ROLES } from './roles.mjs';

export const perms = {
	signed_in: ROLES,
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [['GET', '/api/v1/todos', 'signed_in', 'api']];
