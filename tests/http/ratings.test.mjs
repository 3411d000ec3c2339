// ratings.test.mjs - 好差评: a rating only once an application has ended, once per
// application, in one of the five levels; the applicant's rating on the public form (the
// form token, the code, the rate limit); a named 差评's 回访 and 整改 by a due day in
// working days, the late ones marked by the daily job; 申诉复核 decided by a leader other
// than the one who asked, an upheld appeal keeping the rating out of the figures; scope;
// every step audited. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, assertApiError, auditVerify, cleanup, importRegions, initDb, Server, sqlExec, sqlRows, vets } from './lib.mjs';
import { application, appId, serviceItem } from './ratings_fixture.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* Monday 2026-03-02 10:00 in Shanghai */

let env;
const c = {};
const app = {};
const rating = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'g_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'g_clerk2', 'clerk', { org: '420199', displayName: '窗口乙' }),
		addUser(db, 'g_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'g_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 'g_reviewer', 'reviewer', { org: '420199', displayName: '审核' }),
	]);
	serviceItem(db);
	app.open = application(db, { status: '已受理', closed_on: null, region: '420199001', clerk: 'g_clerk' });
	app.closed = application(db, { status: '已办结', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	app.refused = application(db, { status: '不予受理', closed_on: '2026-02-26', region: '420199001', clerk: 'g_clerk' });
	app.track = application(db, { status: '已办结', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	app.late = application(db, { status: '已退回', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	app.other2 = application(db, { status: '已终止', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	app.three = application(db, { status: '已办结', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	app.other = application(db, { status: '已办结', closed_on: '2026-02-27', region: '420199001', clerk: 'g_clerk' });
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'clerk2', 'station', 'leader', 'reviewer']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`g_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, path, json) {
	return client.request(method, path, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

function audited(action) {
	return sqlRows(env.db, `SELECT detail FROM audit_log WHERE action = '${action}' ORDER BY seq;`).map((r) => r[0] ?? r.detail ?? r);
}

test('an application still open cannot be rated; a bad level names the field; nothing is saved', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.open), level: '满意' });
	assertApiError(r, 409, 'conflict');
	assert.match(r.json.error.message, /办结、不予受理、退回或终止后才能评价/);
	r = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.closed), level: '还行' });
	assert.equal(r.status, 400, `${r}`);
	assert.equal(r.json.error.fields[0].field, '等级');
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM ratings;').trim(), '0');
});

test('the counter rates an ended application once; a 差评 owes its follow-up in 5 working days', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.closed), level: '非常不满意', comment: '等候时间太长' });
	assert.equal(r.status, 201, `${r}`);
	rating.closed = r.json.id;
	assert.equal(r.json.level, '非常不满意');
	assert.equal(r.json.bad, true);
	assert.equal(r.json.channel, '窗口');
	assert.equal(r.json.rated_on, '2026-03-02');
	assert.equal(r.json.followup_due, '2026-03-09'); /* Tue..Fri and Monday */
	assert.equal(r.json.needs_followup, true);
	assert.equal(r.json.applicant, '申**');
	r = await api(c.clerk2, 'POST', '/api/v1/ratings', { application: appId(env.db, app.closed), level: '满意' });
	assertApiError(r, 409, 'conflict');
	assert.match(r.json.error.message, /已评价过/);
	/* 不予受理 is an end too; a good rating owes nothing */
	r = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.refused), level: '基本满意' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.bad, false);
	assert.equal(r.json.followup_due, '');
	assert.equal(r.json.needs_followup, false);
	rating.refused = r.json.id;
	assert.match(audited('rating.create')[0], /非常不满意（窗口），差评，须在 2026-03-09 前回访并整改/);
});

test('the counter form: refused with the form kept, then saved and shown', async () => {
	const id = appId(env.db, app.other);
	let page = await c.clerk.get(`/ratings/new?application=${id}`);
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /非常不满意/);
	let r = await c.clerk.postForm('/ratings', { application: id, level: '', comment: '态度好' });
	page = await c.clerk.refused(r);
	assert.match(page.body, /请选择评价/);
	assert.match(page.body, /态度好/);
	r = await c.clerk.postForm('/ratings', { application: id, level: '满意', comment: '' });
	assert.equal(r.status, 303, `${r}`);
	assert.match(r.headers.location, /^\/ratings\/\d+$/);
	page = await c.clerk.get(r.headers.location);
	assert.match(page.body, /满意/);
	/* asked again: the rating's page */
	r = await c.clerk.get(`/ratings/new?application=${id}`);
	assert.equal(r.status, 303);
});

test('the public form: the form token, the code, once, then the rate limit', async () => {
	const visitor = new Client(env.server);
	/* no form cookie and token: refused before anything */
	let r = await visitor.request('POST', '/track/rate', { form: { code: app.track, level: '非常满意' } });
	assert.equal(r.status, 403, `${r}`);
	await visitor.get('/login'); /* any public form page gives the visitor its token */
	assert.ok(visitor.jar.get('vets_form'));
	r = await visitor.postForm('/track/rate', { code: '0000-0000-0000-0000', level: '非常满意' });
	assert.equal(r.status, 404, `${r}`);
	r = await visitor.postForm('/track/rate', { code: app.track.toLowerCase().replace(/-/g, ' '), level: '不满意', comment: '材料要求没有一次说清' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/track?code=${app.track}`);
	const row = sqlRows(env.db, `SELECT r.level, r.channel, r.rated_name, r.followup_due FROM ratings r JOIN applications a ON a.id = r.application_id WHERE a.tracking_code = '${app.track}';`);
	assert.equal(row.length, 1);
	assert.deepEqual(Object.values(row[0]), ['不满意', '查询页', '申请人', '2026-03-09']);
	r = await visitor.postForm('/track/rate', { code: app.track, level: '满意' });
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.body, /已评价过/);
	/* the tracking page shows the rating made, no form, nothing personal */
	let page = await visitor.get(`/track?code=${app.track}`);
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /本件已评价：<strong>不满意<\/strong>/);
	assert.doesNotMatch(page.body, /action="\/track\/rate"/);
	assert.doesNotMatch(page.body, /申请人A|420106/);
	/* an ended application not yet rated: the form, with the visitor's form token */
	const other = new Client(env.server);
	page = await other.get(`/track?code=${app.other2}`);
	assert.match(page.body, /action="\/track\/rate"/);
	const token = page.body.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
	assert.equal(token, other.jar.get('vets_form'));
	/* still open: no form */
	page = await other.get(`/track?code=${app.open}`);
	assert.doesNotMatch(page.body, /action="\/track\/rate"/);
	assert.equal(sqlExec(env.db, `SELECT level FROM ratings r JOIN applications a ON a.id = r.application_id WHERE a.tracking_code = '${app.track}';`).trim(), '不满意');
	const detail = sqlRows(env.db, "SELECT actor, detail FROM audit_log WHERE action = 'rating.create' ORDER BY seq DESC LIMIT 1;");
	assert.equal(Object.values(detail[0])[0], 'public');
	/* ten a minute from one address: the rest wait */
	let limited = 0;
	for (let i = 0; i < 12; i++) {
		r = await visitor.postForm('/track/rate', { code: app.open, level: '满意' });
		if (r.status === 429) limited++;
	}
	assert.ok(limited >= 1, 'the rate limit answered 429');
	assert.equal(r.status, 429);
	assert.ok(Number(r.headers['retry-after']) > 0);
});

test('回访 and 整改: checked, recorded once each, shown; the 差评 leaves the open list', async () => {
	let r = await api(c.clerk, 'GET', '/api/v1/ratings?filter=open');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.items.map((i) => i.id).sort(), [rating.closed, r.json.items.find((i) => i.channel === '查询页').id].sort());
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.closed}/visit`, { on: '2026-03-05', note: '已致电' });
	assert.equal(r.status, 400);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['回访日期']);
	assert.ok(r.json.error.fields.some((f) => f.field === '回访日期' && /不能晚于今天/.test(f.message)));
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.refused}/visit`, { on: '2026-03-02', note: '已致电申请人' });
	assertApiError(r, 409, 'conflict');
	r = await c.clerk.postForm(`/ratings/${rating.closed}/visit`, { on: '2026-03-02', person: '', note: '电话回访，申请人反映等候时间长，已致歉并说明预约办理' });
	assert.equal(r.status, 303, `${r}`);
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.closed}/visit`, { on: '2026-03-02', note: '再次回访' });
	assertApiError(r, 409, 'conflict');
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.closed}/fix`, { on: '2026-03-02', note: '增设预约号，高峰期加开窗口' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.visit_on, '2026-03-02');
	assert.equal(r.json.visit_person, '窗口甲');
	assert.equal(r.json.fix_on, '2026-03-02');
	const page = await c.leader.get(`/ratings/${rating.closed}`);
	assert.match(page.body, /已致歉并说明预约办理/);
	assert.match(page.body, /增设预约号/);
	r = await api(c.clerk, 'GET', '/api/v1/ratings?filter=open');
	assert.equal(r.json.items.length, 1);
	assert.equal(r.json.items[0].channel, '查询页');
	assert.equal(audited('rating.visit').length, 1);
	assert.equal(audited('rating.fix').length, 1);
});

test('the daily job marks a 差评 not followed up by its due day, once', async () => {
	const r0 = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.late), level: '不满意' });
	assert.equal(r0.status, 201, `${r0}`);
	rating.late = r0.json.id;
	const later = String(Date.UTC(2026, 2, 10, 2, 0, 0) / 1000); /* 2026-03-10: after 03-09 */
	let r = await vets(['jobs', 'run', 'rating.late', '--db', env.db], { env: { VETS_FAKE_NOW: later } });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout + r.stderr, /2 件标记为逾期/);
	const late = sqlRows(env.db, 'SELECT id FROM ratings WHERE late <> 0 ORDER BY id;').map((x) => Number(Object.values(x)[0]));
	assert.equal(late.length, 2);
	assert.ok(late.includes(rating.late));
	assert.ok(!late.includes(rating.closed));
	r = await vets(['jobs', 'run', 'rating.late', '--db', env.db], { env: { VETS_FAKE_NOW: later } });
	assert.equal(r.code, 1, 'the slot ran already');
	assert.equal(audited('rating.late').length, 2);
	const list = await api(c.leader, 'GET', '/api/v1/ratings?filter=late');
	assert.equal(list.json.total, 2);
});

test('申诉复核: asked by staff with a reason, decided by a leader; upheld keeps the rating out of the figures', async () => {
	let r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.late}/appeal`, { reason: '' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '申诉理由');
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.late}/appeal`, { reason: '申请人当场表示误选，本意为满意' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.appeal_status, '待复核');
	r = await api(c.clerk2, 'POST', `/api/v1/ratings/${rating.late}/appeal`, { reason: '再次申诉' });
	assertApiError(r, 409, 'conflict');
	r = await api(c.clerk, 'POST', `/api/v1/ratings/${rating.late}/decide`, { decision: 'uphold', note: '同意' });
	assert.equal(r.status, 403);
	let stats = await api(c.leader, 'GET', '/api/v1/counter/stats?year=2026');
	assert.equal(stats.json.ratings['不满意'], 2);
	r = await api(c.leader, 'POST', `/api/v1/ratings/${rating.late}/decide`, { decision: 'uphold', note: '经核实系误选，申诉成立' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.appeal_status, '申诉成立');
	assert.equal(r.json.excluded, true);
	assert.equal(r.json.needs_followup, false);
	stats = await api(c.leader, 'GET', '/api/v1/counter/stats?year=2026');
	assert.equal(stats.json.ratings['不满意'], 1);
	r = await api(c.leader, 'GET', '/api/v1/ratings?filter=late');
	assert.equal(r.json.total, 1, 'an upheld appeal leaves the late list');
	r = await api(c.leader, 'POST', `/api/v1/ratings/${rating.late}/decide`, { decision: 'reject', note: '再议' });
	assertApiError(r, 409, 'conflict');
	assert.match(audited('rating.appeal_uphold')[0], /申诉成立，不计入统计/);
	/* kept: still in the store */
	assert.equal(sqlExec(env.db, `SELECT level FROM ratings WHERE id = ${rating.late};`).trim(), '不满意');
});

test('scope: a station of another street finds no rating; the reviewer reads but cannot write', async () => {
	let r = await api(c.station, 'GET', `/api/v1/ratings/${rating.closed}`);
	assert.equal(r.status, 404);
	r = await api(c.station, 'GET', '/api/v1/ratings?filter=all');
	assert.equal(r.json.total, 0);
	r = await api(c.reviewer, 'GET', '/api/v1/ratings?filter=all');
	assert.equal(r.json.total, 5);
	r = await api(c.reviewer, 'POST', `/api/v1/ratings/${rating.closed}/fix`, { on: '2026-03-02', note: '整改' });
	assert.equal(r.status, 403);
});

test('the leaders\' list page shows the open and late 差评', async () => {
	const page = await c.leader.get('/ratings?filter=bad');
	assert.equal(page.status, 200);
	assert.match(page.body, /非常不满意/);
	assert.match(page.body, /逾期/);
});

test('a leader sets the working days a 差评 is followed up in; later 差评 use it', async () => {
	let r = await c.clerk.postForm('/ratings/settings', { days: '3' });
	assert.equal(r.status, 403);
	const page = await c.leader.refused(await c.leader.postForm('/ratings/settings', { days: '31' }));
	assert.match(page.body, /应为 1 至 30 的工作日数/);
	r = await c.leader.postForm('/ratings/settings', { days: '3' });
	assert.equal(r.status, 303, `${r}`);
	r = await api(c.clerk, 'POST', '/api/v1/ratings', { application: appId(env.db, app.three), level: '不满意' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.followup_due, '2026-03-05');
	/* the earlier 差评 keep their day */
	r = await api(c.clerk, 'GET', `/api/v1/ratings/${rating.closed}`);
	assert.equal(r.json.followup_due, '2026-03-09');
	assert.match(audited('rating.settings')[0], /5 个工作日 → 3 个工作日/);
});

test('the audit trail holds every step and verifies', async () => {
	for (const a of ['rating.settings', 'rating.create', 'rating.visit', 'rating.fix', 'rating.late', 'rating.appeal', 'rating.appeal_uphold'])
		assert.ok(audited(a).length >= 1, a);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr);
});
