// portal.test.mjs - the public portal's listener (vets serve --portal) and what every portal page
// shares: MUST SHOW 1, every route of the staff table is 404 there (and no portal route answers
// on the staff listener); the same bytes for every User-Agent and Referer; ETag, 304 and a
// short public Cache-Control on pages without a form, none on pages with one; an unknown Host
// refused; the strict CSP; the QR code of the page's own public address; the guard of public
// forms (forged or expired token, honeypot, too quick, a flood: 4xx in Chinese, nothing stored).
// And 区长信箱: a message written on the portal enters the 信访 registry with its deadlines and a
// tracking code its writer (and no one else) follows on /track; the published list shows no
// writer's data and only replies the writer agreed to publish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, auditVerify, cleanup, hasChinese, importRegions, initDb, portalForm, rawSend, request, Server, sqlExec, vets } from './lib.mjs';

let env;

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'm_clerk', 'clerk', { org: '420199', displayName: '信访经办' });
	/* the page cache on, as in production */
	const server = await Server.start(db, { portal: true, args: ['--public-host', 'https://vets.example.gov.cn', '--portal-cache', '5'] });
	const clerk = new Client(server);
	await clerk.signIn('m_clerk');
	env = { db, server, clerk };
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

/* `vets routes`: [method, pattern, portal?] */
async function routes() {
	const r = await vets(['routes']);
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.trim().split('\n').map((line) => {
		const [method, pattern] = line.split(' ');
		return { method, pattern, portal: line.endsWith(' portal') };
	});
}

test('MUST SHOW 1: every staff route is 404 on the portal listener, and no portal route answers on the staff one', async () => {
	const all = await routes();
	const portalPaths = new Set(all.filter((r) => r.portal).map((r) => r.pattern));
	const staff = all.filter((r) => !r.portal);
	assert.ok(staff.length > 200, `the staff table has ${staff.length} routes`);
	let walked = 0;
	for (const { method, pattern } of staff) {
		/* a path the portal has too (say /track, which the counter's receipts point at) is the portal's page there */
		if (portalPaths.has(pattern)) continue;
		const path = pattern.replace('{id}', '1');
		const r = await request(env.server.portal, method, path, method === 'GET' ? {} : { form: { csrf: 'x' } });
		assert.equal(r.status, 404, `${method} ${pattern} on the portal: ${r.status}`);
		assert.ok(hasChinese(r.body) && /页面不存在/.test(r.body), `${method} ${pattern}: a Chinese 404`);
		assert.ok(!/\/login|csrf|登录/.test(r.body), `${method} ${pattern}: the 404 hints at nothing staff`);
		walked++;
	}
	assert.ok(walked > 200, `walked ${walked}`);
	/* a staff session is no key either */
	const cookie = env.clerk.cookieHeader();
	for (const path of ['/persons', '/api/v1/persons', '/petitions', '/users', '/audit', '/metrics', '/healthz', '/login'])
		assert.equal((await request(env.server.portal, 'GET', path, { headers: { Cookie: cookie } })).status, 404, path);
	/* the other way: the portal's own pages do not exist on the staff listener */
	for (const { method, pattern } of all.filter((r) => r.portal)) {
		if (staff.some((s) => s.pattern === pattern && s.method === method)) continue;
		const r = await request(env.server, method, pattern.replace('{id}', '1'));
		assert.ok(r.status === 404 || r.status === 405 || (r.status === 303 && pattern === '/'), `${method} ${pattern} on the staff listener: ${r.status}`);
	}
});

const AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
	'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
	'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
	'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
	'Mozilla/5.0 (iPhone; CPU iPhone OS 12_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0',
	'curl/7.88.1',
	'',
];
const REFERERS = ['', 'https://www.baidu.com/s?wd=%E9%80%80%E5%BD%B9%E5%86%9B%E4%BA%BA', 'https://www.so.com/s?q=x', 'https://m.sm.cn/s?q=y', 'http://evil.example/'];

test('integrity: the same bytes for every User-Agent and Referer; ETag and 304; a short public Cache-Control; the strict CSP', async () => {
	for (const path of ['/mailbox', '/track', '/track?code=', '/nope']) {
		const seen = new Set();
		for (const ua of AGENTS)
			for (const referer of REFERERS) {
				const headers = {};
				if (ua) headers['User-Agent'] = ua;
				if (referer) headers.Referer = referer;
				const r = await request(env.server.portal, 'GET', path, { headers });
				seen.add(`${r.status} ${r.headers.etag ?? ''} ${r.body}`);
			}
		assert.equal(seen.size, 1, `${path}: ${seen.size} different answers`);
	}
	const r = await request(env.server.portal, 'GET', '/mailbox');
	assert.equal(r.status, 200);
	assert.equal(r.headers['cache-control'], 'public, max-age=60');
	assert.match(r.headers.etag, /^"[0-9a-f]{32}"$/);
	const csp = r.headers['content-security-policy'];
	for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), d);
	assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
	/* no third-party anything: every src and href is the site's own (or a fragment) */
	for (const [, url] of r.body.matchAll(/(?:src|href|action)="([^"]*)"/g)) assert.ok(/^(\/(?!\/)|#|\?)/.test(url), `a foreign address: ${url}`);
	assert.ok(!/<script(?![^>]*src="\/static\/portal\.js")/.test(r.body), 'no script but the portal\'s own file');
	const again = await request(env.server.portal, 'GET', '/mailbox', { headers: { 'If-None-Match': r.headers.etag } });
	assert.equal(again.status, 304);
	assert.equal(again.body, '');
	assert.equal((await request(env.server.portal, 'GET', '/mailbox', { headers: { 'If-None-Match': '"0123"' } })).status, 200);
	/* a page with a form is never cached: its token is the visitor's */
	const form = await request(env.server.portal, 'GET', '/mailbox/write');
	assert.equal(form.status, 200);
	assert.equal(form.headers['cache-control'], 'no-store');
	assert.equal(form.headers.etag, undefined);
	/* errors are not cached either */
	assert.equal((await request(env.server.portal, 'GET', '/nope')).headers['cache-control'], 'no-store');
});

test('every page carries the frame: the bureau\'s name from the settings, a QR code of its own public address, 返回顶部, the reading modes', async () => {
	const bureau = one("SELECT value FROM settings WHERE key = 'bureau.name'");
	assert.ok(bureau.length > 0);
	for (const path of ['/mailbox', '/mailbox/write', '/track?code=', '/track']) {
		const r = await request(env.server.portal, 'GET', path, { headers: { Host: env.server.portal.host, 'User-Agent': 'Baiduspider' } });
		assert.ok(r.body.includes(`<span class="p-bureau">${bureau}</span>`), `${path}: the bureau's name`);
		assert.match(r.body, /<title>[^<]+ - [^<]+<\/title>/);
		assert.ok(r.body.includes(`aria-label="二维码：https://vets.example.gov.cn${path.replace(/&/g, '&amp;')}"`), `${path}: the QR code names its own public address`);
		assert.ok(r.body.includes('扫一扫在手机上查看'));
		assert.ok(r.body.includes('href="#top">返回顶部</a>'));
		assert.ok(r.body.includes('data-mode="p-large"') && r.body.includes('data-mode="p-contrast"'));
	}
});

test('an unknown Host is refused on the portal, before anything is read', async () => {
	for (const host of ['evil.example', 'vets.example.gov.cn.evil.example', 'xn--fiq228c.example', 'localhost:1@evil.example', '127.0.0.1:x@evil.example', 'localhost:80/x', 'localhost:1 evil', 'localhost:123456', '[::1]x', 'localhost:']) {
		const r = await request(env.server.portal, 'GET', '/mailbox', { host });
		assert.equal(r.status, 421, host);
		assert.ok(hasChinese(r.body));
	}
	assert.equal((await request(env.server.portal, 'GET', '/mailbox', { host: 'vets.example.gov.cn' })).status, 200);
});

/* ---- 区长信箱 ---- */

const PETITIONS = () => one('SELECT count(*) FROM petitions');

async function write(fields, guard) {
	const g = guard ?? (await portalForm(env.server, '/mailbox/write'));
	return request(env.server.portal, 'POST', '/mailbox/write', {
		form: { ...g, name: '王大爷', phone: '13900002222', subject: '优待证什么时候能办好', content: '我三月份交的材料，至今没有消息。', ...fields },
	});
}

test('区长信箱: a message enters the 信访 registry with its deadlines, from "公众", and its writer follows it by a tracking code', async () => {
	const before = PETITIONS();
	const r = await write({ consent: '1' });
	assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 300)}`);
	const m = /^\/track\?code=([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})&new=1$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	const code = m[1];
	assert.equal(PETITIONS(), String(Number(before) + 1));
	const row = one(`SELECT source || '|' || status || '|' || region_code || '|' || consent || '|' || CASE WHEN decide_by > received_on THEN 1 ELSE 0 END || '|' || name || '|' || phone_mask || '|' || CASE WHEN phone_enc IS NULL THEN 0 ELSE 1 END FROM petitions WHERE track_code = '${code}'`);
	assert.match(row, /^区长信箱\|待受理\|420199\|1\|1\|王大爷\|139\*+2222\|1$/);
	const id = one(`SELECT id FROM petitions WHERE track_code = '${code}'`);
	assert.equal(one(`SELECT actor || '|' || action || '|' || CASE WHEN ip <> '' THEN 1 ELSE 0 END FROM audit_log WHERE object = 'petition:${id}'`), '公众|petition.register|1');
	/* no text yet to a number a stranger may have typed: the desk's first step sends the first */
	assert.equal(one(`SELECT count(*) FROM sms_outbox WHERE subject = 'petition' AND subject_id = ${id}`), '0');
	/* the page the writer lands on shows the code once more, and the course */
	let page = await request(env.server.portal, 'GET', r.headers.location);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes(`id="new-code">${code}<`));
	assert.match(page.body, /id="status">待受理</);
	assert.equal(page.headers['cache-control'], 'no-store', 'one writer\'s own case is never cached');
	assert.ok(!page.body.includes('王大爷') && !page.body.includes('13900002222'), 'the writer\'s own data is not shown back');
	/* typed loosely: lower case, no dashes, O for 0 */
	page = await request(env.server.portal, 'GET', `/track?code=${encodeURIComponent(code.toLowerCase().replace(/-/g, ' '))}`);
	assert.equal(page.status, 200);
	/* the desk sees it, and takes its steps; the writer sees each, and the reply */
	const list = await env.clerk.get(`/api/v1/petitions/${id}`);
	assert.equal(list.status, 200);
	assert.equal(list.json.source, '区长信箱');
	const today = one(`SELECT received_on FROM petitions WHERE id = ${id}`);
	for (const [step, body] of [['accept', { on: today }], ['close', { on: today, note: '已加急办理' }], ['reply', { on: today, note: '王大爷您好，优待证已制发，请到街道服务站领取。' }]]) {
		const s = await api(env.clerk, 'POST', `/api/v1/petitions/${id}/${step}`, body);
		assert.equal(s.status, 200, `${step}: ${s.status} ${s.body}`);
	}
	assert.ok(Number(one(`SELECT count(*) FROM sms_outbox WHERE subject = 'petition' AND subject_id = ${id}`)) >= 1, 'the desk\'s steps tell the writer');
	page = await request(env.server.portal, 'GET', `/track?code=${code}`);
	assert.match(page.body, /id="status">已答复</);
	assert.ok(page.body.includes('优待证已制发'), 'the reply');
	assert.ok(!page.body.includes('已加急办理'), 'the desk\'s notes stay inside');
	/* published only once the desk publishes a version free of the writer's data */
	let pub = await request(env.server.portal, 'GET', '/mailbox');
	assert.ok(!pub.body.includes('优待证'));
	const s = await api(env.clerk, 'POST', `/api/v1/petitions/${id}/publish`, { question: '市民反映优待证办理进度慢。', reply: '您好，优待证已制发，请到街道服务站领取。' });
	assert.equal(s.status, 200, s.body);
	pub = await request(env.server.portal, 'GET', '/mailbox');
	assert.ok(pub.body.includes('市民反映优待证办理进度慢。'));
	assert.ok(pub.body.includes('答复单位：'));
	assert.ok(!pub.body.includes('王大爷') && !pub.body.includes('2222'));
	const item = await request(env.server.portal, 'GET', `/mailbox/${id}`);
	assert.equal(item.status, 200);
	assert.ok(item.body.includes('请到街道服务站领取'));
	assert.equal(item.headers['cache-control'], 'public, max-age=60');
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('区长信箱: a reply the writer did not agree to publish can never be shown; an unpublished one is 404', async () => {
	const r = await write({ subject: '不公开的来信' });
	assert.equal(r.status, 303);
	const id = one("SELECT id FROM petitions WHERE subject = '不公开的来信'");
	assert.equal(one(`SELECT consent FROM petitions WHERE id = ${id}`), '0');
	const today = one(`SELECT received_on FROM petitions WHERE id = ${id}`);
	for (const [step, body] of [['accept', { on: today }], ['close', { on: today, note: 'x' }], ['reply', { on: today, note: '答复' }]])
		assert.equal((await api(env.clerk, 'POST', `/api/v1/petitions/${id}/${step}`, body)).status, 200);
	assert.equal((await api(env.clerk, 'POST', `/api/v1/petitions/${id}/publish`, { question: '问', reply: '答' })).status, 409);
	const page = await request(env.server.portal, 'GET', `/mailbox/${id}`);
	assert.equal(page.status, 404);
	assert.ok(hasChinese(page.body));
});

test('区长信箱: bad input gets a Chinese 4xx on the form, what was typed kept, and stores nothing', async () => {
	const before = PETITIONS();
	const cases = [
		[{ phone: '' }, '联系电话', /请填写联系电话/],
		[{ phone: '12ab' }, '联系电话', /联系电话应为/],
		[{ name: '' }, '姓名', /姓名/],
		[{ subject: '' }, '标题', /标题/],
		[{ content: '长'.repeat(2001) }, '内容', /内容/],
	];
	for (const [fields, field, message] of cases) {
		const r = await write({ ...fields, subject: fields.subject ?? '<script>alert(1)</script>标题' });
		assert.equal(r.status, 400, JSON.stringify(fields));
		assert.match(r.body, message);
		assert.ok(r.body.includes(`href="#f-${field}"`), `the summary links to ${field}`);
		if (fields.subject === undefined) assert.ok(r.body.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;标题"'), 'typed text kept, escaped');
		assert.equal(r.headers['cache-control'], 'no-store');
	}
	/* past the parameter limits: refused before the area, in Chinese */
	let r = await write({ content: '长'.repeat(4001) });
	assert.equal(r.status, 400);
	assert.ok(hasChinese(r.body));
	/* a body declared past the limit: answered as soon as its headers are in, never read */
	const big = await rawSend(env.server.portal.port, `POST /mailbox/write HTTP/1.1\r\nHost: ${env.server.portal.host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${3 << 20}\r\n\r\nname=`);
	assert.equal(big.status, 413);
	assert.ok(hasChinese(big.text));
	assert.equal(PETITIONS(), before);
});

test('区长信箱: texts within their limits of characters are stored whole, however many bytes each character takes', async () => {
	const name = '𠀀'.repeat(45); /* 45 characters of 4 bytes: under the 50-character limit */
	const subject = '𠀁'.repeat(100);
	const r = await write({ name, subject, content: '𠀂'.repeat(2000) });
	assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 300)}`);
	const code = /code=([0-9A-Z-]+)/.exec(r.headers.location)[1];
	assert.equal(one(`SELECT name FROM petitions WHERE track_code = '${code}'`), name);
	assert.equal(one(`SELECT subject FROM petitions WHERE track_code = '${code}'`), subject);
	assert.equal(one(`SELECT length(content) FROM petitions WHERE track_code = '${code}'`), '2000');
	/* one character past the limit is refused, counted in characters */
	const over = await write({ name: '𠀀'.repeat(51) });
	assert.equal(over.status, 400);
	assert.match(over.body, /姓名最多 50 个字/);
});

test('区长信箱: script in every field is stored as typed and shown as text on the portal and the staff pages', async () => {
	const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
	const r = await write({ name: `张${evil}`.slice(0, 50), subject: `标题${evil}`, content: `内容${evil}`, consent: '1' });
	assert.equal(r.status, 303, r.body.slice(0, 500));
	const page = await request(env.server.portal, 'GET', r.headers.location);
	assert.ok(!page.body.includes('<script>alert') && !page.body.includes('<img src=x'));
	assert.ok(page.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
	const id = one(`SELECT id FROM petitions WHERE track_code = '${/code=([^&]+)/.exec(r.headers.location)[1]}'`);
	const staff = await env.clerk.get(`/petitions/${id}`);
	assert.equal(staff.status, 200);
	assert.ok(!staff.body.includes('<script>alert') && !staff.body.includes('<img src=x'));
	assert.ok(staff.body.includes('&lt;script&gt;'));
});

test('a forged tracking code, or one of another kind, finds nothing and says only that', async () => {
	for (const code of ['0000-0000-0000-0000', 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'XF-2026-000001', "' OR 1=1 --", '<script>x</script>']) {
		const r = await request(env.server.portal, 'GET', `/track?code=${encodeURIComponent(code)}`);
		assert.equal(r.status, 404, code);
		assert.match(r.body, /没有查到该查询码对应的办件或来信/);
		assert.ok(!r.body.includes('<script>x'));
	}
});

test('the guard: a forged, foreign or expired token, a filled honeypot: 400 in Chinese, nothing stored', async () => {
	const before = PETITIONS();
	const g = await portalForm(env.server, '/mailbox/write');
	const [t, nonce, mac] = g._t.split('.');
	const forged = [
		{ _t: '' },
		{ _t: 'abc' },
		{ _t: `${Number(t) - 10}.${nonce}.${mac}` }, /* another time under the same MAC */
		{ _t: `${t}.${'0'.repeat(16)}.${mac}` }, /* another nonce */
		{ _t: `${t}.${nonce}.${'0'.repeat(64)}` },
		{ _t: `${Number(t) - 7201}.${nonce}.${mac}` },
		{ _t: `${t}.${nonce.toUpperCase()}.${mac}` },
	];
	for (const f of forged) {
		const r = await write({}, { ...g, ...f });
		assert.equal(r.status, 400, JSON.stringify(f));
		assert.match(r.body, /页面已过期，请刷新页面后重新填写/);
	}
	const r = await write({}, { ...g, website: 'http://spam.example/' });
	assert.equal(r.status, 400);
	assert.match(r.body, /提交未成功/);
	assert.ok(!/honeypot|蜜罐|website/.test(r.body), 'the refusal does not say what caught it');
	assert.equal(PETITIONS(), before);
	/* a form is sent once: the same token again, on this form or another, is refused */
	assert.equal((await write({ subject: '第一次' }, g)).status, 303);
	const again = await write({ subject: '第二次' }, g);
	assert.equal(again.status, 400);
	assert.match(again.body, /这份表单已经提交过了/);
	const elsewhere = await request(env.server.portal, 'POST', '/mailbox/write', { form: { ...g, name: '甲', phone: '13900001234', subject: '别处', content: '内容' } });
	assert.equal(elsewhere.status, 400);
	assert.equal(PETITIONS(), String(Number(before) + 1));
});

test('the guard on a server with its defaults: a form sent at once is refused; a flood of posts from one address gets 429 with Retry-After', async () => {
	/* every post counts toward the limit, refused ones too: 1 too fast, 3 sent, 1 sent again, then 429 */
	const server = await Server.start(env.db, { portal: true, args: ['--portal-min-fill', '3', '--portal-post-limit', '3'] });
	try {
		const before = PETITIONS();
		const guards = [];
		for (let i = 0; i < 3; i++) guards.push(await portalForm(server, '/mailbox/write'));
		const post = (g, fields = {}) =>
			request(server.portal, 'POST', '/mailbox/write', { form: { ...g, name: '刘', phone: '13900003333', subject: '洪水般的来信', content: '内容', ...fields } });
		let r = await post(guards[0]);
		assert.equal(r.status, 400);
		assert.match(r.body, /提交过快/);
		assert.equal(PETITIONS(), before);
		/* the same forms, once a person could have filled them; the refused post counted too */
		await new Promise((resolve) => setTimeout(resolve, 3200));
		for (let i = 0; i < 2; i++) assert.equal((r = await post(guards[i], { content: `第 ${i} 封` })).status, 303, r.body.slice(0, 300));
		r = await post(guards[2], { content: '第 3 封' });
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) >= 1);
		assert.match(r.body, /提交过于频繁/);
		/* forged posts are a flood too */
		assert.equal((await post({ _t: '1.0000000000000000.00', website: '' })).status, 429);
		assert.equal(PETITIONS(), String(Number(before) + 2));
	} finally {
		await server.stop();
	}
});

test('the page cache: a public page is answered from memory; a change made through the server shows at once, one made behind its back within seconds', async () => {
	const title = (b) => (/<a href="\/mailbox\/\d+">([^<]+)<\/a>/.exec(b) ?? [])[1];
	const first = await request(env.server.portal, 'GET', '/mailbox');
	const id = one("SELECT id FROM petitions WHERE published_on IS NOT NULL ORDER BY published_on DESC, id DESC LIMIT 1");
	assert.equal(title(first.body), '市民反映优待证办理进度慢。');
	/* behind the server's back: the cached page stands for a few seconds, then the change shows */
	sqlExec(env.db, `UPDATE petitions SET public_question = '改后的问题。' WHERE id = ${id}`);
	const cached = await request(env.server.portal, 'GET', '/mailbox');
	assert.equal(cached.body, first.body);
	assert.equal(cached.headers.etag, first.headers.etag);
	const deadline = Date.now() + 15000;
	let now;
	do {
		await new Promise((resolve) => setTimeout(resolve, 500));
		now = await request(env.server.portal, 'GET', '/mailbox');
	} while (title(now.body) !== '改后的问题。' && Date.now() < deadline);
	assert.equal(title(now.body), '改后的问题。');
	assert.notEqual(now.headers.etag, first.headers.etag);
	/* through the server: any change empties the cache */
	sqlExec(env.db, `UPDATE petitions SET public_question = '再改的问题。' WHERE id = ${id}`);
	assert.equal(title((await request(env.server.portal, 'GET', '/mailbox')).body), '改后的问题。');
	/* a refused post changes nothing, and empties nothing */
	assert.equal((await write({}, { _t: 'forged', website: '' })).status, 400);
	assert.equal(title((await request(env.server.portal, 'GET', '/mailbox')).body), '改后的问题。');
	const w = await write({ subject: '清空缓存的来信' });
	assert.equal(w.status, 303);
	assert.equal(title((await request(env.server.portal, 'GET', '/mailbox')).body), '再改的问题。');
	sqlExec(env.db, `UPDATE petitions SET public_question = '市民反映优待证办理进度慢。' WHERE id = ${id}`);
});

test('behind a trusted proxy the visitor is the right-most address of X-Forwarded-For that is not the proxy: limits and the audit trail count visitors; untrusted, the header is ignored', async () => {
	const server = await Server.start(env.db, { portal: true, args: ['--trusted-proxy', '127.0.0.1', '--portal-post-limit', '2'] });
	try {
		const post = async (forwarded, subject) => {
			const g = await portalForm(server, '/mailbox/write');
			return request(server.portal, 'POST', '/mailbox/write', {
				headers: forwarded ? { 'X-Forwarded-For': forwarded } : {},
				form: { ...g, name: '赵', phone: '13900004444', subject, content: '内容' },
			});
		};
		/* two visitors behind the proxy (a spoofed left-most entry changes nothing) each have their own allowance */
		for (const [who, subject] of [['10.9.9.9, 203.0.113.7', '代理后甲一'], ['203.0.113.7', '代理后甲二'], ['203.0.113.8', '代理后乙一']])
			assert.equal((await post(who, subject)).status, 303, subject);
		assert.equal((await post('203.0.113.7', '代理后甲三')).status, 429);
		assert.equal((await post('203.0.113.8', '代理后乙二')).status, 303);
		const ipOf = (subject) => one(`SELECT a.ip FROM audit_log a JOIN petitions p ON a.object = 'petition:' || p.id WHERE p.subject = '${subject}'`);
		assert.equal(ipOf('代理后甲一'), '203.0.113.7');
		assert.equal(ipOf('代理后乙二'), '203.0.113.8');
		/* a header that names no address leaves the proxy's own; two headers are refused */
		assert.equal((await post('unknown', '代理后丙')).status, 303);
		assert.equal(ipOf('代理后丙'), '127.0.0.1');
		const two = await rawSend(server.portal.port, `GET /mailbox HTTP/1.1\r\nHost: ${server.portal.host}\r\nX-Forwarded-For: 1.2.3.4\r\nX-Forwarded-For: 5.6.7.8\r\n\r\n`);
		assert.equal(two.status, 400);
	} finally {
		await server.stop();
	}
	/* the main server trusts no proxy: the header is the client's word and is ignored */
	const g = await portalForm(env.server, '/mailbox/write');
	const r = await request(env.server.portal, 'POST', '/mailbox/write', { headers: { 'X-Forwarded-For': '198.51.100.1' }, form: { ...g, name: '钱', phone: '13900005555', subject: '无代理', content: '内容' } });
	assert.equal(r.status, 303);
	assert.equal(one("SELECT a.ip FROM audit_log a JOIN petitions p ON a.object = 'petition:' || p.id WHERE p.subject = '无代理'"), '127.0.0.1');
});
