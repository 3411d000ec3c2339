// roles/surveys.mjs - 问卷调查 in the back office: the list, writing a questionnaire and its
// questions, publishing it and its results, the results and the export: who holds each
// permission, and every route with its permission. Written down from what each permission
// means; see ../roles.test.mjs.

export const perms = {
	/* The bureau's clerks write and publish questionnaires; leaders read how they went. */
	'survey.read': ['clerk', 'leader'],
	'survey.manage': ['clerk'],
};

/* method, pattern, permission, API (JSON) or page */
export const routes = [
	['GET', '/surveys', 'survey.read', 'page'],
	['POST', '/surveys', 'survey.manage', 'page'],
	['GET', '/surveys/new', 'survey.manage', 'page'],
	['GET', '/surveys/{id}', 'survey.read', 'page'],
	['POST', '/surveys/{id}', 'survey.manage', 'page'],
	['POST', '/surveys/{id}/questions', 'survey.manage', 'page'],
	['POST', '/surveys/{id}/publish', 'survey.manage', 'page'],
	['POST', '/surveys/{id}/unpublish', 'survey.manage', 'page'],
	['POST', '/surveys/{id}/results/show', 'survey.manage', 'page'],
	['POST', '/surveys/{id}/results/hide', 'survey.manage', 'page'],
	['GET', '/surveys/{id}/results', 'survey.read', 'page'],
	['GET', '/surveys/{id}/export', 'survey.read', 'page'],
	['POST', '/surveys/questions/{id}', 'survey.manage', 'page'],
	['POST', '/surveys/questions/{id}/up', 'survey.manage', 'page'],
	['POST', '/surveys/questions/{id}/down', 'survey.manage', 'page'],
	['POST', '/surveys/questions/{id}/delete', 'survey.manage', 'page'],
];

/* The routes of one survey or question: the probe's {id} names none, found out after the
 * permission. */
export const absent = routes
	.filter(([, pattern]) => pattern.includes('{id}'))
	.map(([method, pattern]) => [`${method} ${pattern}`, pattern.startsWith('/surveys/questions') ? /题目不存在/ : /问卷不存在/]);
