// articles.test.mjs - 门户内容: a clerk drafts, previews, publishes, edits, withdraws and deletes
// news, notices and 信息公开 items; the portal shows only what is published (home, /news,
// /open), and the 办事指南 from the counter's catalogue; every step audited; script in every
// field and hostile Markdown shown as text on staff and portal pages; oversized and forged
// input refused in Chinese with nothing stored. In order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, cleanup, initDb, request, Server, sqlExec, sqlRows } from './lib.mjs';
import { serviceItem } from './ratings_fixture.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* 2026-03-02 in Shanghai */

let env;
const c = {};
const ids = {};

before(async () => {
	const { db } = await initDb();
	await Promise.all([
		addUser(db, 'a_clerk', 'clerk', { org: '420199', displayName: '编辑甲' }),
		addUser(db, 'a_leader', 'leader', { org: '420199', displayName: '局领导' }),
	]);
	serviceItem(db, 'T001', '退役军人优待证申领', 20);
	sqlExec(db, "UPDATE service_items SET place = '区政务服务中心三楼', fee = '不收费' WHERE code = 'T001';");
	env = { db, server: await Server.start(db, { fakeNow: NOW, portal: true }) };
	for (const u of ['clerk', 'leader']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`a_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const portal = (p, opts) => request(env.server.portal, 'GET', p, opts);
const count = () => sqlExec(env.db, 'SELECT count(*) FROM articles;').trim();
const audits = () => sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action LIKE 'article.%';").trim();

function idOf(r) {
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/articles\/(\d+)$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	return Number(m[1]);
}

const news = {
	kind: '新闻',
	title: '区退役军人事务局开展走访慰问',
	source: '区退役军人事务局',
	body: '## 活动情况\n\n走访了 **86 户**重点优抚对象。\n\n- 送去慰问金\n- 解答政策问题\n\n详见[办事指南](/guide)。',
};

test('a draft is saved, audited, and not on the portal', async () => {
	const r = await c.clerk.postForm('/articles', news);
	ids.news = idOf(r);
	const page = await c.clerk.get(`/articles/${ids.news}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /<h2>活动情况<\/h2>/);
	assert.match(page.body, /<strong>86 户<\/strong>/);
	assert.match(page.body, /id="article-status">草稿</);
	assert.equal((await portal(`/news/${ids.news}`)).status, 404);
	assert.doesNotMatch((await portal('/')).body, /开展走访慰问/);
	const rows = sqlRows(env.db, `SELECT actor, object, detail FROM audit_log WHERE action = 'article.create';`);
	assert.equal(rows.length, 1);
	assert.equal(rows[0].object, `article:${ids.news}`);
	assert.match(rows[0].detail, /开展走访慰问/);
});

test('the preview renders the typed body and saves nothing', async () => {
	const before_ = [count(), audits()];
	const r = await c.clerk.postForm('/articles', { ...news, title: '预览的标题', body: '# 大标题\n\n*斜体* <b>粗</b> [坏](javascript:alert(1))', preview: '1' });
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.body, /预览（尚未保存）/);
	assert.match(r.body, /<h2>大标题<\/h2>/);
	assert.match(r.body, /<em>斜体<\/em> &lt;b&gt;粗&lt;\/b&gt; 坏/);
	assert.doesNotMatch(r.body, /href="javascript/i);
	assert.match(r.body, /value="预览的标题"/, 'the form keeps what was typed');
	assert.deepEqual([count(), audits()], before_);
});

test('bad input is refused in Chinese, nothing stored', async () => {
	const before_ = [count(), audits()];
	let page = await c.clerk.refused(await c.clerk.postForm('/articles', { kind: '信息公开', title: '', body: '' }));
	assert.match(page.body, /请选择信息公开类别/);
	assert.match(page.body, /请填写标题/);
	assert.match(page.body, /请填写正文/);
	page = await c.clerk.refused(await c.clerk.postForm('/articles', { ...news, category: '政策文件' }));
	assert.match(page.body, /只有信息公开条目有类别/);
	page = await c.clerk.refused(await c.clerk.postForm('/articles', { ...news, published_on: '2026-03-03' }));
	assert.match(page.body, /发布日期不能晚于今天/);
	page = await c.clerk.refused(await c.clerk.postForm('/articles', { ...news, published_on: '2026-02-30' }));
	assert.match(page.body, /日期应为/);
	page = await c.clerk.refused(await c.clerk.postForm('/articles', { ...news, title: '   ' }));
	assert.match(page.body, /请填写标题/);
	/* oversized: over the declared bounds, refused before the area */
	let r = await c.clerk.postForm('/articles', { ...news, title: '长'.repeat(101) });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /标题/);
	r = await c.clerk.postForm('/articles', { ...news, body: '文'.repeat(30001) });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /正文/);
	/* (a body past the request's 1 MiB is refused with 413 before it is read: malformed.test.mjs) */
	r = await c.clerk.postForm('/articles', { ...news, kind: '广告' });
	assert.equal(r.status, 303);
	page = await c.clerk.refused(r);
	assert.match(page.body, /请选择类型/);
	/* a body whose structure is too large for the page (a list item per line): too long to keep
	 * for the form's page, so the form answers at once */
	r = await c.clerk.postForm('/articles', { ...news, body: '- 项\n'.repeat(7400) });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /结构过多/);
	assert.match(r.body, /<textarea[^>]*>- 项/, 'what was typed is kept');
	assert.deepEqual([count(), audits()], before_);
});

test('published: on the portal, the home page and the list, cacheable', async () => {
	const r = await c.clerk.postForm(`/articles/${ids.news}/publish`);
	assert.equal(r.status, 303, `${r}`);
	let p = await portal(`/news/${ids.news}`);
	assert.equal(p.status, 200, `${p}`);
	assert.match(p.body, /<h1>区退役军人事务局开展走访慰问<\/h1>/);
	assert.match(p.body, /2026-03-02/, 'dated the day it was published');
	assert.match(p.body, /<a href="\/guide">办事指南<\/a>/);
	assert.doesNotMatch(p.body, /编辑甲/, 'staff names stay in the back office');
	assert.ok(p.headers.etag, 'an ETag');
	assert.match(p.headers['cache-control'], /public/);
	const again = await portal(`/news/${ids.news}`, { headers: { 'If-None-Match': p.headers.etag } });
	assert.equal(again.status, 304);
	p = await portal('/');
	assert.equal(p.status, 200);
	assert.match(p.body, new RegExp(`<a href="/news/${ids.news}">区退役军人事务局开展走访慰问</a>`));
	p = await portal('/news');
	assert.match(p.body, /区退役军人事务局开展走访慰问/);
	/* publishing twice is refused */
	const page = await c.clerk.refused(await c.clerk.postForm(`/articles/${ids.news}/publish`));
	assert.match(page.body, /已经发布/);
	/* the staff pages are not on the portal, nor the portal's on the staff side */
	assert.equal((await portal(`/articles/${ids.news}`)).status, 404);
	assert.equal((await portal('/articles')).status, 404);
});

test('notices and 信息公开 items: each under its own section, by category', async () => {
	let r = await c.clerk.postForm('/articles', { kind: '通知公告', title: '关于年度确认的通知', doc_no: '区退役军人局〔2026〕5号', body: '请按时确认。', published_on: '2026-02-20' });
	ids.notice = idOf(r);
	r = await c.clerk.postForm('/articles', { kind: '信息公开', category: '投诉电话', title: '投诉和咨询电话', body: '- 12345\n- 0XX-8888 1234' });
	ids.phones = idOf(r);
	r = await c.clerk.postForm('/articles', { kind: '信息公开', category: '权力事项清单', title: '权力事项清单', body: '## 行政给付\n\n1. 抚恤金发放' });
	ids.powers = idOf(r);
	for (const id of [ids.notice, ids.phones, ids.powers]) assert.equal((await c.clerk.postForm(`/articles/${id}/publish`)).status, 303);
	let p = await portal('/news?type=notice');
	assert.match(p.body, /关于年度确认的通知/);
	assert.match(p.body, /2026-02-20/, 'the date typed is kept');
	assert.doesNotMatch(p.body, /开展走访慰问/);
	p = await portal('/open');
	assert.equal(p.status, 200);
	const powers = p.body.indexOf('<h2 id="open-0">权力事项清单</h2>'), phones = p.body.indexOf('>投诉电话</h2>');
	assert.ok(powers > 0 && phones > powers, 'categories in the bureau order');
	p = await portal(`/open/${ids.powers}`);
	assert.equal(p.status, 200);
	assert.match(p.body, /<h2>行政给付<\/h2><ol start="1"><li>抚恤金发放<\/li><\/ol>/);
	/* each kind only at its own address */
	assert.equal((await portal(`/news/${ids.powers}`)).status, 404);
	assert.equal((await portal(`/open/${ids.news}`)).status, 404);
	/* the staff list filters */
	const list = await c.leader.get('/articles?kind=' + encodeURIComponent('信息公开'));
	assert.equal(list.status, 200);
	assert.match(list.body, /id="article-total">2</);
});

test('script in every field and hostile Markdown are text on staff and portal pages', async () => {
	const s = (n) => `<script>alert(${n})</script>`;
	const evil = {
		kind: '信息公开',
		category: '其他',
		title: `标题${s(1)}`,
		source: `机构${s(2)}`,
		doc_no: `文号${s(3)}`,
		body: `正文${s(4)}\n\n<img src=x onerror=alert(5)>\n\n[点我](javascript:alert(6)) [再点](JaVaScRiPt:alert(7)) [数据](data:text/html,x)\n\n<iframe src="https://evil.example/"></iframe>\n\n![图](javascript:alert(8))`,
	};
	ids.evil = idOf(await c.clerk.postForm('/articles', evil));
	assert.equal((await c.clerk.postForm(`/articles/${ids.evil}/publish`)).status, 303);
	const pages = [
		await c.clerk.get(`/articles/${ids.evil}`),
		await c.clerk.get(`/articles/${ids.evil}/edit`),
		await c.clerk.get('/articles'),
		await c.leader.get(`/articles/${ids.evil}`),
		await portal(`/open/${ids.evil}`),
		await portal('/open'),
	];
	for (const p of pages) {
		assert.equal(p.status, 200, `${p}`);
		assert.doesNotMatch(p.body, /<script>alert/, p.body.slice(0, 200));
		assert.doesNotMatch(p.body, /<img src=x|<iframe/);
		assert.doesNotMatch(p.body, /href="(javascript|data):/i);
		assert.match(p.body, /标题&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
	}
	const show = pages[4].body;
	assert.match(show, /机构&lt;script&gt;alert\(2\)/);
	assert.match(show, /文号&lt;script&gt;alert\(3\)/);
	assert.match(show, /正文&lt;script&gt;alert\(4\)&lt;\/script&gt;/);
	assert.match(show, /<p>点我 再点 数据<\/p>/, 'bad links keep their text only');
	assert.match(show, /&lt;img src=x onerror=alert\(5\)&gt;/);
	/* every field at its bound is kept whole, in the audit trail too */
	const full = { kind: '信息公开', category: '政策文件', title: '题'.repeat(100), source: '源'.repeat(60), doc_no: '号'.repeat(50), body: '文'.repeat(30000) };
	const fullId = idOf(await c.clerk.postForm('/articles', full));
	const row = sqlRows(env.db, `SELECT title, source, doc_no, length(body) AS n FROM articles WHERE id = ${fullId};`)[0];
	assert.deepEqual([row.title, row.source, row.doc_no, Number(row.n)], [full.title, full.source, full.doc_no, 30000]);
	const detail = sqlRows(env.db, `SELECT detail FROM audit_log WHERE object = 'article:${fullId}';`)[0].detail;
	assert.ok(detail.includes(full.title) && detail.includes(full.doc_no) && detail.includes(full.source), detail);
	assert.equal((await c.clerk.postForm(`/articles/${fullId}/delete`)).status, 303);
	/* the edit form shows the Markdown source as typed, escaped */
	assert.match(pages[1].body, /<textarea[^>]*>正文&lt;script&gt;alert\(4\)/);
});

test('edit, withdraw (with a reason) and publish again', async () => {
	let r = await c.clerk.postForm(`/articles/${ids.news}`, { ...news, title: '区退役军人事务局走访慰问重点优抚对象' });
	assert.equal(r.status, 303, `${r}`);
	let p = await portal(`/news/${ids.news}`);
	assert.match(p.body, /走访慰问重点优抚对象/, 'an edit shows at once');
	assert.match(p.body, /2026-03-02/, 'the publication date stays');
	/* a refused edit goes back to the edit form */
	const page = await c.clerk.refused(await c.clerk.postForm(`/articles/${ids.news}`, { ...news, title: '' }));
	assert.match(page.body, /请填写标题/);
	assert.match(page.body, /action="\/articles\/\d+"/);
	/* withdraw needs a reason */
	const refused = await c.clerk.refused(await c.clerk.postForm(`/articles/${ids.news}/withdraw`, { reason: '' }));
	assert.match(refused.body, /请写明撤回原因/);
	assert.equal((await portal(`/news/${ids.news}`)).status, 200);
	r = await c.clerk.postForm(`/articles/${ids.news}/withdraw`, { reason: '内容需要核实' });
	assert.equal(r.status, 303, `${r}`);
	p = await portal(`/news/${ids.news}`);
	assert.equal(p.status, 404);
	assert.match(p.body, /没有找到这篇文章/);
	assert.doesNotMatch((await portal('/')).body, /走访慰问重点优抚对象/);
	assert.doesNotMatch((await portal('/news')).body, /走访慰问重点优抚对象/);
	const staff = await c.clerk.get(`/articles/${ids.news}`);
	assert.match(staff.body, /id="article-status">已撤回</);
	assert.match(staff.body, /内容需要核实/);
	/* withdrawing again: not published */
	const again = await c.clerk.refused(await c.clerk.postForm(`/articles/${ids.news}/withdraw`, { reason: '再撤一次' }));
	assert.match(again.body, /只有已发布的才能撤回/);
	assert.equal((await c.clerk.postForm(`/articles/${ids.news}/publish`)).status, 303);
	assert.equal((await portal(`/news/${ids.news}`)).status, 200);
});

test('only a draft is deleted', async () => {
	const refused = await c.clerk.refused(await c.clerk.postForm(`/articles/${ids.news}/delete`));
	assert.match(refused.body, /只能删除草稿/);
	const draft = idOf(await c.clerk.postForm('/articles', { kind: '新闻', title: '要删除的草稿', body: '草稿' }));
	const r = await c.clerk.postForm(`/articles/${draft}/delete`);
	assert.equal(r.status, 303);
	assert.equal(r.headers.location, '/articles');
	assert.equal(sqlExec(env.db, `SELECT count(*) FROM articles WHERE id = ${draft};`).trim(), '0');
	assert.equal((await c.clerk.get(`/articles/${draft}`)).status, 404);
});

test('a leader reads and cannot write; forged ids are not found', async () => {
	assert.equal((await c.leader.get('/articles')).status, 200);
	assert.equal((await c.leader.get(`/articles/${ids.news}`)).status, 200);
	assert.doesNotMatch((await c.leader.get(`/articles/${ids.news}`)).body, /发布与撤回/);
	const before_ = [count(), audits()];
	for (const [path, form] of [
		['/articles', news],
		[`/articles/${ids.news}`, news],
		[`/articles/${ids.news}/withdraw`, { reason: '领导撤回' }],
		[`/articles/${ids.notice}/delete`, {}],
	])
		assert.equal((await c.leader.postForm(path, form)).status, 403, path);
	assert.equal((await c.leader.get('/articles/new')).status, 403);
	for (const id of [999999, 0]) {
		const r = await c.clerk.get(`/articles/${id}`);
		assert.equal(r.status, 404);
		if (id) assert.match(r.body, /文章不存在/);
		assert.equal((await c.clerk.postForm(`/articles/${id}/publish`)).status, 404);
		assert.equal((await portal(`/news/${id}`)).status, 404);
		assert.equal((await portal(`/open/${id}`)).status, 404);
		assert.equal((await portal(`/guide/${id}`)).status, 404);
	}
	assert.equal((await c.clerk.postForm('/articles/999999', news)).status, 404);
	assert.equal((await portal('/news/abc')).status, 404);
	assert.equal((await portal('/news?page=0')).status, 400);
	assert.equal((await portal('/news?type=evil')).status, 404);
	assert.deepEqual([count(), audits()], before_);
});

test('办事指南 lists the counter catalogue with materials, limits and place', async () => {
	const id = Number(sqlExec(env.db, "SELECT id FROM service_items WHERE code = 'T001';").trim());
	sqlExec(env.db, `INSERT INTO service_materials (item_id, position, name, essential, note) VALUES (${id}, 1, '身份证', 1, '原件'), (${id}, 2, '退役证<script>', 0, '');`);
	let p = await portal('/guide');
	assert.equal(p.status, 200, `${p}`);
	assert.match(p.body, new RegExp(`<a href="/guide/${id}">退役军人优待证申领</a>`));
	assert.match(p.body, /承诺 20 个工作日/);
	p = await portal(`/guide/${id}`);
	assert.equal(p.status, 200, `${p}`);
	assert.match(p.body, /区政务服务中心三楼/);
	assert.match(p.body, /身份证/);
	assert.match(p.body, /退役证&lt;script&gt;（可容缺/);
	p = await portal('/guide?q=' + encodeURIComponent('优待证'));
	assert.match(p.body, /退役军人优待证申领/);
	p = await portal('/guide?q=' + encodeURIComponent('不存在的事项'));
	assert.match(p.body, /没有找到相关事项/);
	/* by its 事项编码 */
	p = await portal('/guide?code=T001');
	assert.equal(p.status, 303);
	assert.equal(p.headers.location, `/guide/${id}`);
	p = await portal('/guide?code=NOPE-1');
	assert.equal(p.status, 404);
	assert.match(p.body, /没有找到这个办事事项/);
	assert.equal((await portal('/guide?code=' + encodeURIComponent('<script>'))).status, 400);
});

test('every write is audited, in order', () => {
	const rows = sqlRows(env.db, "SELECT action, object FROM audit_log WHERE action LIKE 'article.%' ORDER BY seq;");
	const of = (id) => rows.filter((r) => r.object === `article:${id}`).map((r) => r.action);
	assert.deepEqual(of(ids.news), ['article.create', 'article.publish', 'article.edit', 'article.withdraw', 'article.publish']);
	assert.deepEqual(of(ids.evil), ['article.create', 'article.publish']);
	assert.equal(rows.filter((r) => r.action === 'article.delete').length, 2);
});
