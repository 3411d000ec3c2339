// pay_confirm.test.mjs - confirming an entitlement is a second person's step, at the
// bureau. A street station registers a person with a bank account and proposes their
// entitlement, but cannot confirm it (nor can a district clerk); a reviewer who works
// at a station cannot either, nor the bureau user who proposed it; each refusal is a
// 403 with a Chinese message that changes nothing, and the area's refusals are
// audited. A reviewer of the bureau then confirms, and the page offers the 确认 form
// only to those who may use it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 in Shanghai */
let env;
const c = {};
const ent = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'k_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'k_rev', 'reviewer', { org: '420199' }),
		addUser(db, 'k_both', 'clerk', { org: '420199' }),
		addUser(db, 'k_station', 'station', { org: '420199002' }),
		addUser(db, 'k_strev', 'reviewer', { org: '420199002' }),
	]);
	/* a bureau user who both proposes and checks */
	sqlExec(db, "INSERT INTO user_roles (user_id, role, granted_at) SELECT id, 'reviewer', 0 FROM users WHERE username = 'k_both';");
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'rev', 'both', 'station', 'strev']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`k_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const api = (client, method, path, json) => client.request(method, path, { json, headers: { 'X-CSRF-Token': client.csrf } });
const state = (id) => sqlExec(env.db, `SELECT status, coalesce(confirmed_by, 0) FROM entitlements WHERE id = ${id};`).trim();
const denied = () => Number(sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'entitlement.confirm' AND result = 'denied';").trim());

test('a station registers a person with a bank account and proposes the entitlement', async () => {
	const r = await api(c.station, 'POST', '/api/v1/persons', {
		name: '孙遗', id_number: idNumber('42010619500303111'), categories: '烈士遗属',
		street: '长青街道', bank_name: '工商银行', bank_account: '6222020000000000777',
	});
	assert.equal(r.status, 201, `${r}`);
	assert.equal((await c.station.postForm('/entitlements/propose', {})).status, 303);
	const list = await c.station.get(`/api/v1/entitlements?status=${encodeURIComponent('待确认')}`);
	assert.equal(list.json.total, 1);
	ent.station = list.json.items[0].id;
	/* the station's page offers no 确认 */
	const page = await c.station.get('/entitlements');
	assert.ok(page.body.includes('孙遗'));
	assert.ok(!page.body.includes(`/entitlements/${ent.station}/confirm`), 'a station is offered the confirmation');
});

test('the station cannot confirm it, nor can a district clerk: 403, nothing changed', async () => {
	for (const who of ['station', 'clerk']) {
		const r = await c[who].postForm(`/entitlements/${ent.station}/confirm`, { start_month: '2026-09' });
		assert.equal(r.status, 403, `${who}: ${r}`);
		assert.match(r.body, /无权访问此功能/);
		assert.equal(state(ent.station), '待确认|0');
	}
});

test('a reviewer working at a station cannot confirm: a Chinese refusal, audited', async () => {
	const before_ = denied();
	const r = await c.strev.postForm(`/entitlements/${ent.station}/confirm`, { start_month: '2026-09' });
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.body, /待遇资格由区局复核人或审批人确认/);
	assert.equal(state(ent.station), '待确认|0');
	assert.equal(denied(), before_ + 1);
	const row = sqlExec(env.db, "SELECT actor, object FROM audit_log WHERE action = 'entitlement.confirm' AND result = 'denied' ORDER BY seq DESC LIMIT 1;").trim();
	assert.equal(row, `k_strev|entitlement:${ent.station}`);
});

test('the bureau user who proposed cannot confirm their own proposal', async () => {
	const r = await api(c.clerk, 'POST', '/api/v1/persons', {
		name: '吴复', id_number: idNumber('42010619300404222'), categories: '在乡复员军人',
		street: '东湖街道', bank_name: '中国银行', bank_account: '6222020000000000888',
	});
	assert.equal(r.status, 201, `${r}`);
	assert.equal((await c.both.postForm('/entitlements/propose', {})).status, 303);
	ent.own = Number(sqlExec(env.db, `SELECT id FROM entitlements WHERE person_id = ${r.json.id};`).trim());
	const before_ = denied();
	const own = await c.both.postForm(`/entitlements/${ent.own}/confirm`, { start_month: '2026-09' });
	assert.equal(own.status, 403, `${own}`);
	assert.match(own.body, /提议和确认须由两个不同的人办理/);
	assert.equal(state(ent.own), '待确认|0');
	assert.equal(denied(), before_ + 1);
});

test("the bureau's reviewer confirms both, and is offered the form", async () => {
	const page = await c.rev.get(`/entitlements?status=${encodeURIComponent('待确认')}`);
	assert.ok(page.body.includes(`/entitlements/${ent.station}/confirm`));
	const revId = sqlExec(env.db, "SELECT id FROM users WHERE username = 'k_rev';").trim();
	for (const id of [ent.station, ent.own]) {
		const r = await c.rev.postForm(`/entitlements/${id}/confirm`, { start_month: '2026-09' });
		assert.equal(r.status, 303, `${r}`);
		assert.equal(state(id), `正常|${revId}`);
	}
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'entitlement.confirm' AND result = 'ok';").trim(), '2');
});
