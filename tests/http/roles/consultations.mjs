// roles/consultations.mjs - 意见征集: the staff pages (list, the form that creates or edits a
// consultation, one consultation with its comments, the summary, the export, moderation).
// The portal's pages (/consult…) are public and answered on the portal listener only.

export const perms = {
	/* The bureau's office that runs consultations (clerk) publishes drafts, moderates the
	 * public's comments and writes what was adopted; a leader follows them. The street
	 * stations have no part in the bureau's own rule-making; the three administrators none. */
	'consultation.read': ['clerk', 'leader'],
	'consultation.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/consultations', 'consultation.read', 'page'],
	['POST', '/consultations', 'consultation.manage', 'page'],
	['GET', '/consultations/new', 'consultation.manage', 'page'],
	['GET', '/consultations/{id}', 'consultation.read', 'page'],
	['POST', '/consultations/{id}', 'consultation.manage', 'page'],
	['GET', '/consultations/{id}/edit', 'consultation.manage', 'page'],
	['POST', '/consultations/{id}/summary', 'consultation.manage', 'page'],
	['GET', '/consultations/{id}/export', 'consultation.read', 'page'],
	['POST', '/consultations/comments/{id}/publish', 'consultation.manage', 'page'],
	['POST', '/consultations/comments/{id}/reject', 'consultation.manage', 'page'],
];

/* The probe's {id} names no consultation and no comment: found out after the permission. */
export const absent = [
	['GET /consultations/{id}', /意见征集不存在/],
	['GET /consultations/{id}/edit', /意见征集不存在/],
	['GET /consultations/{id}/export', /意见征集不存在/],
	['POST /consultations/comments/{id}/publish', /意见不存在/],
];
