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
