// roles/policy.mjs - the security policy:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	policy: ['secadmin'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/policy', 'policy', 'page'],
	['POST', '/policy', 'policy', 'page'],
];
