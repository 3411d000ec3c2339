// roles/articles.mjs - 门户内容: the news, 通知公告 and 信息公开 items of the portal, written and
// published from the back office: who holds each permission, and every route with its
// permission. See ../roles.test.mjs.

export const perms = {
	/* The bureau's clerks write, publish and withdraw what the portal shows; leaders read it
	 * (and what is waiting as a draft). The three administrators never touch content. */
	'article.read': ['clerk', 'leader'],
	'article.manage': ['clerk'],
};

export const routes = [
	['GET', '/articles', 'article.read', 'page'],
	['GET', '/articles/new', 'article.manage', 'page'],
	['POST', '/articles', 'article.manage', 'page'],
	['GET', '/articles/{id}', 'article.read', 'page'],
	['GET', '/articles/{id}/edit', 'article.manage', 'page'],
	['POST', '/articles/{id}', 'article.manage', 'page'],
	['POST', '/articles/{id}/publish', 'article.manage', 'page'],
	['POST', '/articles/{id}/withdraw', 'article.manage', 'page'],
	['POST', '/articles/{id}/delete', 'article.manage', 'page'],
];

/* The probe's id names no item: 404 once the permission passed (the edit POST stops first at
 * its required 类型). */
export const absent = routes
	.filter(([method, pattern]) => pattern.includes('{id}') && `${method} ${pattern}` !== 'POST /articles/{id}')
	.map(([method, pattern]) => [`${method} ${pattern}`, /文章不存在/]);
