// roles/qa.mjs - 智能问答's staff side: the base (list, entry, form, deletion, import, try-out),
// the questions visitors left, and the API: who holds each permission, and every staff route
// with its permission. The portal's /qa routes answer on the portal listener only (see
// ../qa.test.mjs). Written down from what each permission means; see ../roles.test.mjs.

export const perms = {
	/* The desk that answers the public's questions (clerk) keeps the base; a leader reads it
	 * and sees what the public asks. */
	'qa.read': ['clerk', 'leader'],
	'qa.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/qa-base', 'qa.read', 'page'],
	['POST', '/qa-base', 'qa.manage', 'page'],
	['POST', '/qa-base/import', 'qa.manage', 'page'],
	['GET', '/qa-base/new', 'qa.manage', 'page'],
	['GET', '/qa-base/try', 'qa.read', 'page'],
	['GET', '/qa-base/questions', 'qa.read', 'page'],
	['GET', '/qa-base/questions/{id}/convert', 'qa.manage', 'page'],
	['POST', '/qa-base/questions/{id}/convert', 'qa.manage', 'page'],
	['POST', '/qa-base/questions/{id}/ignore', 'qa.manage', 'page'],
	['GET', '/qa-base/{id}', 'qa.read', 'page'],
	['POST', '/qa-base/{id}', 'qa.manage', 'page'],
	['GET', '/qa-base/{id}/edit', 'qa.manage', 'page'],
	['POST', '/qa-base/{id}/delete', 'qa.manage', 'page'],
	['GET', '/api/v1/qa/ask', 'qa.read', 'api'],
];

/* The routes of one entry or question: the probe's {id} names none, found out after the
 * permission. */
export const absent = [
	['GET /qa-base/{id}', /问答条目不存在/],
	['GET /qa-base/{id}/edit', /问答条目不存在/],
	['POST /qa-base/{id}/delete', /问答条目不存在/],
	['GET /qa-base/questions/{id}/convert', /问题不存在/],
	['POST /qa-base/questions/{id}/ignore', /问题不存在/],
];
