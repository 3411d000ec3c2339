// inspections.test.mjs - 查问题: a leader marks a problem found while 走流程, 坐窗口 or
// 查问题 (checked: kind, finding, office, fix-by day, the application by its code); the
// office records its fix; the leader sends it back or closes it; open and overdue lists;
// a station sees only its own office's problems; every step audited. In order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, assertApiError, cleanup, importRegions, initDb, Server, sqlExec, sqlRows } from './lib.mjs';
import { application, serviceItem } from './ratings_fixture.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* 2026-03-02 in Shanghai */

let env;
const c = {};
const org = {};
const ins = {};
let code;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'i_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 'i_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'i_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'i_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	serviceItem(db);
	code = application(db, { status: '已受理', closed_on: null });
	for (const k of ['420199', '420199001', '420199002'])
		org[k] = Number(sqlExec(db, `SELECT id FROM orgs WHERE code = '${k}';`).trim());
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['leader', 'clerk', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`i_${u}`);
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

test('a problem is checked field by field; nothing is saved on a refusal', async () => {
	const r = await api(c.leader, 'POST', '/api/v1/inspections', { kind: '看看', finding: '', org: '999999', fix_by: '2026-02-01', application: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['类型', '发现的问题', '整改期限', '责任单位', '关联办件'].sort());
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM inspections;').trim(), '0');
});

test('a leader marks problems; only a leader may', async () => {
	let r = await api(c.leader, 'POST', '/api/v1/inspections', { kind: '坐窗口', finding: '窗口未公示一次性告知书', org: String(org['420199']), fix_by: '2026-03-06', application: code });
	assert.equal(r.status, 201, `${r}`);
	ins.window = r.json.id;
	assert.equal(r.json.status, '待整改');
	assert.equal(r.json.found_on, '2026-03-02');
	assert.equal(r.json.tracking_code, code);
	r = await api(c.leader, 'POST', '/api/v1/inspections', { kind: '走流程', found_on: '2026-02-20', finding: '长青站服务大厅无引导标识', org: String(org['420199002']), fix_by: '2026-02-27' });
	assert.equal(r.status, 201, `${r}`);
	ins.station = r.json.id;
	assert.equal(r.json.overdue, true);
	r = await api(c.clerk, 'POST', '/api/v1/inspections', { kind: '查问题', finding: '自查', org: String(org['420199']), fix_by: '2026-03-06' });
	assert.equal(r.status, 403);
	/* the form */
	const form = await c.leader.get('/inspections/new');
	assert.match(form.body, /长青街道|长青/);
	const refused = await c.leader.refused(await c.leader.postForm('/inspections', { kind: '查问题', finding: '', org: '', fix_by: '' }));
	assert.match(refused.body, /请写明发现的问题/);
});

test('open and overdue lists; a station sees its own office only', async () => {
	let r = await api(c.leader, 'GET', '/api/v1/inspections?filter=open');
	assert.equal(r.json.total, 2);
	assert.equal(r.json.items[0].id, ins.station, 'the overdue first');
	r = await api(c.leader, 'GET', '/api/v1/inspections?filter=overdue');
	assert.deepEqual(r.json.items.map((i) => i.id), [ins.station]);
	r = await api(c.station, 'GET', '/api/v1/inspections?filter=all');
	assert.deepEqual(r.json.items.map((i) => i.id), [ins.station]);
	r = await api(c.east, 'GET', `/api/v1/inspections/${ins.station}`);
	assert.equal(r.status, 404);
	r = await api(c.east, 'POST', `/api/v1/inspections/${ins.station}/fix`, { note: '已整改' });
	assert.equal(r.status, 404);
});

test('the office fixes, the leader sends back, fixes again, closes', async () => {
	let r = await api(c.station, 'POST', `/api/v1/inspections/${ins.station}/fix`, { note: '' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '整改情况');
	r = await api(c.leader, 'POST', `/api/v1/inspections/${ins.station}/close`);
	assertApiError(r, 409, 'conflict');
	r = await api(c.station, 'POST', `/api/v1/inspections/${ins.station}/fix`, { note: '已设置引导标识' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '待确认');
	r = await api(c.leader, 'POST', `/api/v1/inspections/${ins.station}/return`, { note: '' });
	assert.equal(r.status, 400);
	r = await api(c.leader, 'POST', `/api/v1/inspections/${ins.station}/return`, { note: '标识不清晰，请更换' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '待整改');
	assert.equal(r.json.return_note, '标识不清晰，请更换');
	r = await c.station.postForm(`/inspections/${ins.station}/fix`, { note: '已更换为大号标识' });
	assert.equal(r.status, 303, `${r}`);
	r = await c.leader.postForm(`/inspections/${ins.station}/close`, {});
	assert.equal(r.status, 303, `${r}`);
	r = await api(c.leader, 'GET', `/api/v1/inspections/${ins.station}`);
	assert.equal(r.json.status, '已销号');
	assert.equal(r.json.closed_on, '2026-03-02');
	assert.equal(r.json.overdue, false);
	r = await api(c.leader, 'GET', '/api/v1/inspections?filter=closed');
	assert.deepEqual(r.json.items.map((i) => i.id), [ins.station]);
	const page = await c.leader.get(`/inspections/${ins.station}`);
	assert.match(page.body, /已更换为大号标识/);
});

test('every step is audited', async () => {
	const rows = sqlRows(env.db, "SELECT action FROM audit_log WHERE action IN ('inspection.create', 'inspection.fix', 'inspection.return', 'inspection.close') ORDER BY seq;");
	assert.deepEqual(rows.map((r) => r.action), ['inspection.create', 'inspection.create', 'inspection.fix', 'inspection.return', 'inspection.fix', 'inspection.close']);
});
