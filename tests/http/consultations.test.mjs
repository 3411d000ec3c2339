// consultations.test.mjs - 意见征集. Staff publish a draft with its window (Beijing time, both
// days inclusive), the public comments on the portal while it is open, comments wait for
// moderation and are published or not (with a reason the public never sees), the counts follow,
// the summary of what was adopted comes only after the close, and the comments export as XLSX.
// Bad input everywhere: script in every field (shown as text on portal and staff pages), oversized
// texts, a comment on a closed consultation, forged ids: 4xx in Chinese and nothing stored. The
// window's edges are tried with servers started at the last and first seconds of the days.
// The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { Client, addUser, auditRows, cleanup, initDb, request, Server, sqlExec } from './lib.mjs';
import * as lib from './lib.mjs';

/* 2026-03-10 10:00 in Beijing. */
const NOW = Date.UTC(2026, 2, 10, 2, 0, 0) / 1000;
/* The first second of a Beijing day (YYYY-MM-DD) as epoch seconds. */
const beijingMidnight = (day) => Date.parse(`${day}T00:00:00+08:00`) / 1000;

const SCRIPT = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

let env;
const c = {};
const ids = {};

const count = (sql) => Number(sqlExec(env.db, sql).trim());
const comments = (id) => count(`SELECT count(*) FROM consultation_comments WHERE consultation_id = ${id};`);

before(async () => {
	const { db } = await initDb();
	await Promise.all([
		addUser(db, 'cs_clerk', 'clerk', { org: '420199', displayName: '征集经办' }),
		addUser(db, 'cs_leader', 'leader', { org: '420199' }),
		addUser(db, 'cs_station', 'station', { org: '420199' }),
		addUser(db, 'cs_auditor', 'auditor', { org: '420199' }),
	]);
	const server = await Server.start(db, { fakeNow: NOW, portal: true });
	env = { db, server };
	for (const who of ['clerk', 'leader', 'station', 'auditor']) {
		c[who] = new Client(server);
		await c[who].signIn(`cs_${who}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

/** Creates a consultation through the staff form; resolves its id. */
async function create(form) {
	const r = await c.clerk.postForm('/consultations', form);
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/consultations\/(\d+)$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	return Number(m[1]);
}

const DRAFT = '为鼓励退役军人创业，制定本办法。\n\n## 第一章 扶持对象\n\n第一条 户籍在本区的退役军人。\n\n- 创业补贴\n- 场地租金补贴';

test('staff create consultations; refused windows and texts come back to the form, nothing stored', async () => {
	ids.open = await create({ title: '《区退役军人创业扶持办法（征求意见稿）》', body: DRAFT, opens_on: '2026-03-01', closes_on: '2026-03-31' });
	ids.wide = await create({ title: '《服务站建设实施意见（征求意见稿）》', body: '正文。', opens_on: '2026-03-01', closes_on: '2026-12-31' });
	ids.upcoming = await create({ title: '《尚未开始的征求意见稿》', body: '正文。', opens_on: '2026-04-01', closes_on: '2026-04-30' });
	ids.script = await create({ title: `标题${SCRIPT}`, body: `正文${SCRIPT}`, opens_on: '2026-03-01', closes_on: '2026-03-20' });
	/* a consultation that already ended can't be created; one made open is given past dates by an edit */
	const before = count('SELECT count(*) FROM consultations;');
	const past = await c.clerk.refused(await c.clerk.postForm('/consultations', { title: '已截止', body: '正文。', opens_on: '2026-02-01', closes_on: '2026-02-28' }));
	assert.match(past.body, /截止日期已过/);
	ids.closed = await create({ title: '《已结束的征求意见稿》', body: '正文。', opens_on: '2026-03-10', closes_on: '2026-03-10' });
	const edit = await c.clerk.postForm(`/consultations/${ids.closed}`, { title: '《已结束的征求意见稿》', body: '正文。', opens_on: '2026-02-01', closes_on: '2026-02-28' });
	assert.equal(edit.status, 303, `${edit}`);

	for (const [form, why] of [
		[{ title: '倒置', body: '正文。', opens_on: '2026-03-20', closes_on: '2026-03-19' }, /截止日期不能早于开始日期/],
		[{ title: '太长', body: '正文。', opens_on: '2026-03-10', closes_on: '2027-03-11' }, /征集期最长 366 天/],
		[{ title: '日期', body: '正文。', opens_on: '2026-02-30', closes_on: '2026-03-31' }, /日期应为 YYYY-MM-DD/],
		[{ title: '无正文', body: '   ', opens_on: '2026-03-10', closes_on: '2026-03-31' }, /请填写征求意见稿/],
		[{ title: '超长正文', body: '字'.repeat(30001), opens_on: '2026-03-10', closes_on: '2026-03-31' }, /征求意见稿最多 30000 个字/],
	]) {
		const sent = await c.clerk.postForm('/consultations', form);
		/* a form over the 16 KiB a refused form may keep is answered directly (400) */
		const page = sent.status === 400 && form.body.length > 10000 ? sent : await c.clerk.refused(sent);
		assert.match(page.body, why);
		assert.match(page.body, /未保存，请修改以下/);
	}
	/* an oversized title stops at the declared parameter */
	const long = await c.clerk.postForm('/consultations', { title: '题'.repeat(201), body: '正文。', opens_on: '2026-03-10', closes_on: '2026-03-31' });
	assert.equal(long.status, 400, `${long}`);
	assert.ok(lib.hasChinese(long.body));
	assert.equal(count('SELECT count(*) FROM consultations;'), before + 1, 'only the one made open was stored');

	/* script is text on the staff pages */
	for (const p of ['/consultations', `/consultations/${ids.script}`, `/consultations/${ids.script}/edit`]) {
		const r = await c.clerk.get(p);
		assert.equal(r.status, 200, `${r}`);
		assert.ok(!r.body.includes(SCRIPT), p);
		assert.ok(r.body.includes(ESCAPED), p);
	}
	/* forged ids: not found, in Chinese, nothing stored */
	for (const [p, form] of [
		['/consultations/999999', { title: '伪造', body: '正文。', opens_on: '2026-03-10', closes_on: '2026-03-31' }],
		['/consultations/999999/summary', { summary: '伪造的采纳情况说明文字。' }],
		['/consultations/comments/999999/reject', { reason: '伪造的理由' }],
	]) {
		const r = await c.clerk.postForm(p, form);
		assert.equal(r.status, 404, `${p}: ${r}`);
		assert.match(r.body, /不存在/);
	}
	for (const p of ['/consultations/999999', '/consultations/999999/edit', '/consultations/0', '/consultations/abc']) assert.equal((await c.clerk.get(p)).status, 404, p);
	assert.equal(count('SELECT count(*) FROM consultations;'), before + 1);
	/* roles: a leader reads but does not manage; a station sees nothing */
	assert.equal((await c.leader.get('/consultations')).status, 200);
	assert.equal((await c.leader.get(`/consultations/${ids.open}`)).status, 200);
	assert.equal((await c.leader.postForm('/consultations', { title: 'x', body: 'y', opens_on: '2026-03-10', closes_on: '2026-03-31' })).status, 403);
	assert.equal((await c.station.get('/consultations')).status, 403);

	const rows = await auditRows(c.auditor, { action: 'consultation.' });
	assert.equal(rows.filter((r) => r.action === 'consultation.create').length, 5);
	assert.equal(rows.filter((r) => r.action === 'consultation.edit').length, 1);
	assert.ok(rows.every((r) => r.actor === 'cs_clerk'));
});

/* ---- the portal ---- */

const portal = (method, p, opts) => request(env.server.portal, method, p, opts);

/** A visitor's comment through the portal's form: the guard from the form page of via (the
 * consultation's own by default), then the POST. */
async function sendComment(id, fields, via = id) {
	const guard = await lib.portalForm(env.server, `/consult/${via}/comment`);
	return portal('POST', `/consult/${id}/comment`, { form: { ...guard, ...fields } });
}

test('the portal lists the opened consultations, open first, and hides the upcoming one', async () => {
	const r = await portal('GET', '/consult');
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.headers['cache-control'] || '', /public/);
	assert.ok(r.headers.etag);
	const open = r.body.indexOf('正在征集'), closed = r.body.indexOf('已经结束');
	const at = (id) => r.body.indexOf(`href="/consult/${id}"`);
	for (const id of [ids.open, ids.wide, ids.script]) assert.ok(at(id) > open && at(id) < closed, `open ${id}`);
	assert.ok(at(ids.closed) > closed, 'the closed one after');
	assert.equal(at(ids.upcoming), -1, 'not public before its first day');
	assert.match(r.body, /2026年3月1日 至 2026年3月31日/);
	assert.ok(!r.body.includes(SCRIPT) && r.body.includes(ESCAPED));
	assert.equal((await portal('GET', `/consult/${ids.upcoming}`)).status, 404);
	/* the portal's pages do not exist on the staff listener, nor the staff pages on the portal */
	assert.equal((await c.clerk.get('/consult')).status, 404);
	assert.equal((await portal('GET', '/consultations')).status, 404);
	assert.equal((await portal('GET', `/consultations/${ids.open}/export`)).status, 404);

	const doc = await portal('GET', `/consult/${ids.open}`);
	assert.equal(doc.status, 200, `${doc}`);
	assert.match(doc.headers['cache-control'] || '', /public/, 'the document page is cacheable');
	assert.ok(!/name="_t"/.test(doc.body), 'no form on the document page');
	assert.match(doc.body, /第一条 户籍在本区的退役军人。/);
	/* the draft is rendered from Markdown, by the shared renderer: headings and lists, no raw HTML */
	assert.match(doc.body, /<h2>第一章 扶持对象<\/h2>/);
	assert.match(doc.body, /<li>创业补贴<\/li>/);
	assert.match(doc.body, /href="\/consult\/\d+\/comment"/);
	const again = await portal('GET', `/consult/${ids.open}`, { headers: { 'If-None-Match': doc.headers.etag } });
	assert.equal(again.status, 304);
	const script = await portal('GET', `/consult/${ids.script}`);
	assert.ok(!script.body.includes(SCRIPT) && script.body.includes(ESCAPED), 'title and draft as text');
	/* a link to a script and an image that runs code are not links, nor images, on the portal */
	const tricks = await create({ title: '《链接测试》', body: '[点我](javascript:alert(1)) 和 <img src=x onerror=alert(1)> 以及 ![图](x.png)', opens_on: '2026-03-01', closes_on: '2026-03-31' });
	const t = await portal('GET', `/consult/${tricks}`);
	assert.ok(!/javascript:/i.test(t.body.replace(/<script[^>]*src=[^>]*><\/script>/g, '')), 'no javascript: address');
	assert.ok(!/<img[^>]*onerror/i.test(t.body) && t.body.includes('&lt;img src=x onerror=alert(1)&gt;'));
	const staffView = await c.clerk.get(`/consultations/${tricks}`);
	assert.ok(!/href="javascript:/i.test(staffView.body) && !/<img[^>]*onerror/i.test(staffView.body));
});

test('a visitor comments: held for moderation, thanked, audited; bad comments refused and nothing stored', async () => {
	const form = await portal('GET', `/consult/${ids.open}/comment`);
	assert.equal(form.status, 200);
	assert.match(form.headers['cache-control'] || '', /no-store|private/, 'a page with a form is not cached');
	const r = await sendComment(ids.open, { name: '王建军', text: '建议将正常经营满 6 个月改为满 3 个月。' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/consult/${ids.open}/thanks`);
	const thanks = await portal('GET', r.headers.location);
	assert.equal(thanks.status, 200);
	assert.match(thanks.body, /审核后/);
	await sendComment(ids.open, { name: `访客${SCRIPT}`, text: `意见内容${SCRIPT}\n第二行` });
	await sendComment(ids.open, { name: '', text: '=HYPERLINK("http://x.example","点我")' });
	await sendComment(ids.open, { text: '另一条意见，待审核。' });
	assert.equal(comments(ids.open), 4);
	assert.equal(count(`SELECT count(*) FROM consultation_comments WHERE status = '待审核';`), 4);
	/* no address is kept, only a keyed hash of it */
	const hashes = sqlExec(env.db, `SELECT DISTINCT client_hash FROM consultation_comments;`).trim().split('\n');
	assert.equal(hashes.length, 1);
	assert.match(hashes[0], /^[0-9a-f]{64}$/);
	/* nothing shows on the portal before moderation */
	const doc = await portal('GET', `/consult/${ids.open}`);
	assert.ok(!doc.body.includes('满 3 个月'));
	assert.match(doc.body, /收到意见 4 条 · 已公开 0 条/);

	const before = comments(ids.open);
	for (const [fields, status, why] of [
		[{ text: '短' }, 400, /意见至少 5 个字/],
		[{ text: '字'.repeat(2001) }, 400, /意见最多 2000 个字/],
		[{ text: '有效的意见内容。', name: '名'.repeat(31) }, 400, /姓名最多 30 个字/],
		[{ text: '字'.repeat(8001) }, 400, /意见长度应为/],
		[{ text: '含有\u0007控制字符的意见' }, 400, /控制字符|不可打印/],
	]) {
		const bad = await sendComment(ids.open, fields);
		assert.equal(bad.status, status, `${bad}`);
		assert.match(bad.body, why);
		assert.ok(lib.hasChinese(bad.body));
	}
	/* an overlong text comes back in its form, with the count */
	const long = await sendComment(ids.open, { text: '长'.repeat(3000) });
	assert.match(long.body, /意见最多 2000 个字（现有 3000 个字）/);
	assert.ok(long.body.includes('长'.repeat(3000)), 'what was typed is kept');
	assert.match(long.body, /name="_t"/, 'with a fresh guard');
	/* what was typed comes back, as text */
	const back = await sendComment(ids.open, { name: SCRIPT, text: 'x' });
	assert.equal(back.status, 400);
	assert.ok(!back.body.includes(SCRIPT) && back.body.includes(ESCAPED));
	/* a closed consultation: its form page has no form; a comment sent anyway is refused */
	const closedForm = await portal('GET', `/consult/${ids.closed}/comment`);
	assert.equal(closedForm.status, 200);
	assert.ok(!/<form[^>]*method="post"/.test(closedForm.body.replace(/<form[^>]*class="p-modes"[\s\S]*?<\/form>/g, '')));
	assert.match(closedForm.body, /已于2026年2月28日截止/);
	const late = await sendComment(ids.closed, { text: '截止之后提交的意见。' }, ids.open);
	assert.equal(late.status, 409, `${late}`);
	assert.match(late.body, /本次意见征集已于2026年2月28日截止，不再接收意见/);
	/* upcoming: not public, and told when it opens */
	const early = await sendComment(ids.upcoming, { text: '开始之前提交的意见。' }, ids.open);
	assert.equal(early.status, 409, `${early}`);
	assert.match(early.body, /尚未开始，将于2026年4月1日开始接收意见/);
	/* forged ids */
	assert.equal((await portal('GET', '/consult/999999')).status, 404);
	assert.equal((await portal('GET', '/consult/999999/comment')).status, 404);
	assert.equal((await sendComment(999999, { text: '不存在的意见征集。' }, ids.open)).status, 404);
	assert.equal((await portal('GET', '/consult/abc')).status, 404);
	assert.equal((await portal('GET', '/consult/-1')).status, 404);
	/* without the guard */
	assert.equal((await portal('POST', `/consult/${ids.open}/comment`, { form: { text: '没有令牌的意见。' } })).status, 400);
	assert.equal(comments(ids.open), before, 'nothing stored');
	assert.equal(comments(ids.closed) + comments(ids.upcoming), 0);

	const rows = (await auditRows(c.auditor, { action: 'consultation.comment' })).filter((x) => x.action === 'consultation.comment');
	assert.equal(rows.length, 4);
	assert.ok(rows.every((x) => x.actor === '公众' && x.ip === '127.0.0.1'), JSON.stringify(rows[0]));
});

/* ---- moderation, counts, the summary, the export ---- */

/** The comment ids of consultation id by their text's start. */
function commentId(id, start) {
	const rows = sqlExec(env.db, `SELECT id, body FROM consultation_comments WHERE consultation_id = ${id} ORDER BY id;`).trim().split('\n');
	const row = rows.find((l) => l.split('|').slice(1).join('|').startsWith(start));
	assert.ok(row, start);
	return Number(row.split('|')[0]);
}

/** The four counts the staff page shows. */
async function staffCounts(id) {
	const r = await c.clerk.get(`/consultations/${id}`);
	assert.equal(r.status, 200);
	const n = (k) => Number(new RegExp(`id="n-${k}">(\\d+)<`).exec(r.body)[1]);
	return { received: n('received'), published: n('published'), rejected: n('rejected'), pending: n('pending') };
}

test('moderation: published or not with a reason; counts follow; the public sees only the published, never the reason', async () => {
	assert.deepEqual(await staffCounts(ids.open), { received: 4, published: 0, rejected: 0, pending: 4 });
	const staff = await c.clerk.get(`/consultations/${ids.open}`);
	/* the comments waiting are counted beside the navigation entry, for those who moderate */
	assert.match(staff.body, /href="\/consultations"[^>]*>意见征集 <span[^>]*aria-label="4 件待办">4</);
	assert.doesNotMatch((await c.leader.get('/consultations')).body, /意见征集 <span/);
	assert.ok(!staff.body.includes(SCRIPT), 'the visitor\'s name and text as text on the staff page');
	assert.ok(staff.body.includes(`访客${ESCAPED}`) && staff.body.includes(`意见内容${ESCAPED}`));

	const good = commentId(ids.open, '建议将'), script = commentId(ids.open, '意见内容'), formula = commentId(ids.open, '=HYPERLINK'), other = commentId(ids.open, '另一条');
	let r = await c.clerk.postForm(`/consultations/comments/${good}/publish`);
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/consultations/${ids.open}`);
	assert.equal((await c.clerk.postForm(`/consultations/comments/${script}/publish`)).status, 303);
	r = await c.clerk.postForm(`/consultations/comments/${formula}/reject`, { reason: `与征求意见稿无关${SCRIPT}` });
	assert.equal(r.status, 303, `${r}`);
	/* a reason too short comes back to the page; none at all stops at the parameter */
	const short = await c.clerk.refused(await c.clerk.postForm(`/consultations/comments/${other}/reject`, { reason: '无' }));
	assert.match(short.body, /理由至少 2 个字/);
	assert.equal((await c.clerk.postForm(`/consultations/comments/${other}/reject`, {})).status, 400);
	/* the same decision twice is refused; a leader may not moderate; a forged comment id is not found */
	const twice = await c.clerk.refused(await c.clerk.postForm(`/consultations/comments/${good}/publish`));
	assert.match(twice.body, /这条意见已是“已发布”/);
	assert.equal((await c.leader.postForm(`/consultations/comments/${other}/publish`)).status, 403);
	const forged = await c.clerk.postForm('/consultations/comments/999999/publish');
	assert.equal(forged.status, 404);
	assert.match(forged.body, /意见不存在/);

	assert.deepEqual(await staffCounts(ids.open), { received: 4, published: 2, rejected: 1, pending: 1 });
	const page = await c.clerk.get(`/consultations/${ids.open}`);
	assert.ok(page.body.includes(`未采用理由：与征求意见稿无关${ESCAPED}`), 'staff see the reason');
	const pending = await c.clerk.get(`/consultations/${ids.open}?status=${encodeURIComponent('待审核')}`);
	assert.match(pending.body, /另一条意见/);
	assert.ok(!pending.body.includes('建议将正常经营'));

	const doc = await portal('GET', `/consult/${ids.open}`);
	assert.match(doc.body, /建议将正常经营满 6 个月改为满 3 个月。/);
	assert.ok(doc.body.includes(`意见内容${ESCAPED}`) && !doc.body.includes(SCRIPT), 'the comment as text');
	assert.ok(!doc.body.includes('王建军') && !doc.body.includes('访客'), 'no names on the portal');
	assert.ok(!doc.body.includes('HYPERLINK') && !doc.body.includes('与征求意见稿无关'), 'neither the rejected comment nor its reason');
	assert.ok(!doc.body.includes('另一条意见'), 'nor the pending one');
	assert.match(doc.body, /收到意见 4 条 · 已公开 2 条/);
	const list = await portal('GET', '/consult');
	assert.match(list.body, /收到意见 4 条 · 已公开 2 条/);

	/* a decision changed later: the published one withdrawn with a reason */
	assert.equal((await c.clerk.postForm(`/consultations/comments/${script}/reject`, { reason: '含有不当内容' })).status, 303);
	assert.deepEqual(await staffCounts(ids.open), { received: 4, published: 1, rejected: 2, pending: 1 });
	assert.ok(!(await portal('GET', `/consult/${ids.open}`)).body.includes('意见内容'));

	const rows = await auditRows(c.auditor, { action: 'consultation.comment_' });
	assert.equal(rows.filter((x) => x.action === 'consultation.comment_publish').length, 2);
	assert.equal(rows.filter((x) => x.action === 'consultation.comment_reject').length, 2);
});

test('the summary comes only after the close, and is shown on the portal as text', async () => {
	const early = await c.clerk.refused(await c.clerk.postForm(`/consultations/${ids.open}/summary`, { summary: '采纳情况说明，共收到意见四条。' }));
	assert.match(early.body, /征集截止（2026年3月31日）之后才能发布采纳情况/);
	const short = await c.clerk.refused(await c.clerk.postForm(`/consultations/${ids.closed}/summary`, { summary: '太短' }));
	assert.match(short.body, /采纳情况至少 10 个字/);
	const text = `共收到意见 0 条。\n\n## 已采纳\n\n无。${SCRIPT}`;
	const r = await c.clerk.postForm(`/consultations/${ids.closed}/summary`, { summary: text });
	assert.equal(r.status, 303, `${r}`);
	assert.equal((await c.leader.postForm(`/consultations/${ids.closed}/summary`, { summary: text })).status, 403);
	const staff = await c.clerk.get(`/consultations/${ids.closed}`);
	assert.ok(staff.body.includes(`无。${ESCAPED}`) && !staff.body.includes(SCRIPT));
	const doc = await portal('GET', `/consult/${ids.closed}`);
	assert.match(doc.body, /意见采纳情况/);
	assert.match(doc.body, /共收到意见 0 条。/);
	assert.ok(doc.body.includes(`无。${ESCAPED}`) && !doc.body.includes(SCRIPT));
	/* an open consultation's page has no summary section yet */
	assert.ok(!(await portal('GET', `/consult/${ids.open}`)).body.includes('意见采纳情况'));
	const list = await portal('GET', '/consult');
	assert.match(list.body, /已公布采纳情况/);
	const rows = await auditRows(c.auditor, { action: 'consultation.summary' });
	assert.equal(rows.length, 1);
});

/** The entries of a zip (a workbook) by name, inflated. */
function unzip(buf) {
	let end = buf.length - 22;
	while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
	assert.ok(end >= 0, 'a zip');
	const n = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const out = {};
	for (let i = 0; i < n; i++) {
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLen = buf.readUInt16LE(at + 28);
		const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + size);
		out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
		at += 46 + nameLen + extra;
	}
	return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#10;/g, '\n').replace(/&amp;/g, '&');

/** The rows of sheet n of a workbook as arrays of cell texts (shared or inline strings). */
function workbookRows(buf, n = 1) {
	const parts = unzip(buf);
	const shared = [...(parts['xl/sharedStrings.xml'] || '').matchAll(/<si>(.*?)<\/si>/gs)].map((m) => unxml([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
	return [...parts[`xl/worksheets/sheet${n}.xml`].matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) =>
		[...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((cell) => {
			const body = cell[2] ?? '';
			if (/t="s"/.test(cell[1])) return shared[Number(/<v>(\d+)<\/v>/.exec(body)[1])];
			const t = /<t[^>]*>(.*?)<\/t>/s.exec(body);
			return t ? unxml(t[1]) : '';
		}),
	);
}

/** GET as bytes with the client's session: {status, headers, raw}. */
function download(client, p) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: client.server.port, path: p, headers: { Host: client.server.host, Cookie: client.cookieHeader() }, agent: false, setHost: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

test('the comments export as XLSX for staff: every comment with its status and reason, formulas guarded, audited', async () => {
	const r = await download(c.leader, `/consultations/${ids.open}/export`);
	assert.equal(r.status, 200);
	assert.match(r.headers['content-type'], /spreadsheetml/);
	assert.match(r.headers['content-disposition'], /attachment; filename="consultation-\d+\.xlsx"/);
	const rows = workbookRows(r.raw);
	assert.deepEqual(rows[0], ['序号', '提交时间', '姓名', '意见', '状态', '未采用理由', '审核人', '审核时间', '来源标识']);
	assert.equal(rows.length, 5, 'the header and the four comments');
	assert.deepEqual(rows.slice(1).map((x) => x[4]), ['已发布', '未采用', '未采用', '待审核']);
	assert.equal(rows[1][2], '王建军');
	assert.equal(rows[1][3], '建议将正常经营满 6 个月改为满 3 个月。');
	assert.match(rows[1][1], /^2026-03-10 1\d:\d\d$/);
	assert.equal(rows[1][6], '征集经办');
	assert.equal(rows[2][2], `访客${SCRIPT}`, 'text as it was sent');
	assert.equal(rows[2][3], `意见内容${SCRIPT}\n第二行`);
	assert.equal(rows[2][5], '含有不当内容');
	assert.equal(rows[3][3], `'=HYPERLINK("http://x.example","点我")`, 'a formula-like cell guarded');
	assert.equal(rows[3][5], `与征求意见稿无关${SCRIPT}`);
	assert.equal(rows[4][6], '');
	assert.match(rows[1][8], /^[0-9a-f]{8}$/);
	const overview = workbookRows(r.raw, 2);
	assert.deepEqual(overview.map((x) => x[0]), ['标题', '开始日期', '截止日期', '状态', '收到意见', '已发布', '未采用', '待审核']);
	assert.deepEqual(overview.slice(4).map((x) => x[1]), ['4', '1', '2', '1']);
	assert.equal(overview[3][1], '征集中');

	assert.equal((await download(c.clerk, '/consultations/999999/export')).status, 404);
	assert.equal((await download(c.station, `/consultations/${ids.open}/export`)).status, 403);
	const audit = await auditRows(c.auditor, { action: 'consultation.export' });
	assert.equal(audit.length, 1);
	assert.equal(audit[0].actor, 'cs_leader');
	assert.match(audit[0].detail, /导出意见 4 条/);
});

/* ---- the window's edges, Beijing time ---- */

test('the window opens at 00:00 Beijing time on its first day and closes at 24:00 on its last', async () => {
	await env.server.stop();
	const before = comments(ids.open);
	/* [server clock, consultation whose form gives the guard, expected status, message] */
	const cases = [
		[beijingMidnight('2026-03-01') - 3, ids.closed, 409, /尚未开始，将于2026年3月1日开始接收意见/],
		[beijingMidnight('2026-03-01'), ids.wide, 303, null],
		[beijingMidnight('2026-04-01') - 3, ids.wide, 303, null],
		[beijingMidnight('2026-04-01'), ids.wide, 409, /已于2026年3月31日截止，不再接收意见/],
	];
	for (const [at, via, status, why] of cases) {
		const server = await Server.start(env.db, { fakeNow: at, portal: true });
		try {
			const guard = await lib.portalForm(server, `/consult/${via}/comment`);
			const r = await request(server.portal, 'POST', `/consult/${ids.open}/comment`, { form: { ...guard, text: `边界时间 ${at} 提交的意见。` } });
			assert.equal(r.status, status, `${new Date(at * 1000).toISOString()}: ${r}`);
			if (why) assert.match(r.body, why);
			/* the document page is public from its first day only */
			const doc = await request(server.portal, 'GET', `/consult/${ids.open}`);
			assert.equal(doc.status, at < beijingMidnight('2026-03-01') ? 404 : 200);
		} finally {
			await server.stop();
		}
	}
	assert.equal(comments(ids.open), before + 2, 'the two inside the window, none outside');
	const days = sqlExec(env.db, `SELECT submitted_on FROM consultation_comments WHERE substr(body, 1, 4) = '边界时间' ORDER BY id;`).trim().split('\n');
	assert.deepEqual(days, ['2026-03-01', '2026-03-31'], 'dated by the Beijing day');
});
