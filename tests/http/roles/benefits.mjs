// roles/benefits.mjs - standards, 义务兵 rules, entitlements and 年度确认:
// who holds each permission, and every route with its permission.
// Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* Benefits: everyone in the business reads them; standards are proposed by a clerk and
	 * approved by a second person; a batch is made by a clerk, reviewed by a reviewer,
	 * approved by an approver; only the clerk handles the bank's files. */
	'benefit.read': ['clerk', 'reviewer', 'approver', 'leader', 'station'],
	'standard.write': ['clerk'],
	'standard.approve': ['reviewer', 'approver'],
	'entitlement.write': ['clerk', 'station'],
	/* a proposal is confirmed by the bureau's second person, never by a station or the proposer */
	'entitlement.confirm': ['reviewer', 'approver'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/benefits', 'benefit.read', 'page'],
	['POST', '/benefits/standards', 'standard.write', 'page'],
	['POST', '/benefits/standards/import', 'standard.write', 'page'],
	['POST', '/benefits/standards/{id}/decide', 'standard.approve', 'page'],
	['POST', '/benefits/rules', 'standard.write', 'page'],
	['POST', '/benefits/rules/approve', 'standard.approve', 'page'],
	['GET', '/entitlements', 'benefit.read', 'page'],
	['POST', '/entitlements/propose', 'entitlement.write', 'page'],
	['POST', '/entitlements/{id}/confirm', 'entitlement.confirm', 'page'],
	['POST', '/entitlements/{id}/suspend', 'entitlement.write', 'page'],
	['POST', '/entitlements/{id}/resume', 'entitlement.write', 'page'],
	['POST', '/entitlements/{id}/cancel', 'entitlement.write', 'page'],
	['GET', '/verifications', 'benefit.read', 'page'],
	['POST', '/verifications/notify', 'entitlement.write', 'page'],
	['POST', '/verifications/record', 'entitlement.write', 'page'],
	['POST', '/verifications/sweep', 'entitlement.write', 'page'],
	['GET', '/api/v1/entitlements', 'benefit.read', 'api'],
];
