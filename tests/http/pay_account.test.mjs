// pay_account.test.mjs - the account a batch pays into is the one its three signers
// saw. A station may change a person's bank account at any time (person.write); the
// bank file pays the account as it was at the batch's generation, so a change after approval does not
// redirect money already signed for, and the next batch's reviewer and approver are
// shown whose account changed since it was last checked, which their audit records name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 in Shanghai */
const OLD_ACCOUNT = '6222020000000012345';
const NEW_ACCOUNT = '6222020000000099999';
let env;
const c = {};
let personId;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'a_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'a_rev', 'reviewer', { org: '420199' }),
		addUser(db, 'a_appr', 'approver', { org: '420199' }),
		addUser(db, 'a_station', 'station', { org: '420199002' }),
	]);
	const dir = tempDir();
	const people = path.join(dir, 'people.csv');
	writeFileSync(people, `姓名,身份证号,人员类别,街道,开户银行,银行账号\r\n王遗,${idNumber('42010619500101100')},烈士遗属,长青街道,中国银行,${OLD_ACCOUNT}\r\n`);
	let r = await vets(['import', 'persons', people, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	const standards = path.join(dir, 'standards.csv');
	writeFileSync(standards, '待遇,人员类别,残疾等级,残疾性质,生效日期,国家标准（元/年）,地方增发（元/年）,说明\r\nSURVIVOR,烈士遗属,,,2026-01-01,24000,1200,测试\r\n');
	r = await vets(['standard', 'import', standards, '--db', db, '--as', 'a_clerk', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	const sid = sqlExec(db, "SELECT id FROM benefit_standards WHERE status = '待审核';").trim();
	r = await vets(['standard', 'approve', sid, '--db', db, '--as', 'a_rev', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	personId = Number(sqlExec(db, 'SELECT id FROM persons;').trim());
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'rev', 'appr', 'station']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`a_${u}`);
	}
	assert.equal((await c.clerk.postForm('/entitlements/propose', {})).status, 303);
	const eid = sqlExec(db, 'SELECT id FROM entitlements;').trim();
	assert.equal((await c.rev.postForm(`/entitlements/${eid}/confirm`, { start_month: '2026-09' })).status, 303);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const api = (client, method, p, json) => client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });

async function batch(period) {
	const r = await api(c.clerk, 'POST', '/api/v1/payments/batches', { period, benefit: 'SURVIVOR' });
	assert.equal(r.status, 201, `${period}: ${r}`);
	return r.json.id;
}

async function sign(id) {
	for (const [who, step] of [[c.rev, 'review'], [c.appr, 'approve']]) {
		const r = await api(who, 'POST', `/api/v1/payments/batches/${id}/${step}`, {});
		assert.equal(r.status, 200, `${step}: ${r}`);
	}
}

async function bankAccounts(id) {
	const r = await c.clerk.get(`/payments/${id}/bank?format=csv`);
	assert.equal(r.status, 200, `${r}`);
	return [...new Set(r.body.split(/\r?\n/).slice(1).filter(Boolean).map((line) => line.split(',')[2]))];
}

const signed = (id, action) =>
	sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = '${action}' AND object = 'batch:${id}';`).trim();

test('an account changed after approval does not receive the approved batch', async () => {
	const september = await batch('2026-09');
	/* nobody changed an account since the confirmation: nothing to point out */
	const page = await c.rev.get(`/payments/${september}`);
	assert.equal(page.status, 200);
	assert.ok(!page.body.includes('account-changes'), 'a warning with no change');
	await sign(september);
	assert.equal(signed(september, 'pay.review'), '');

	const changed = await api(c.station, 'PATCH', `/api/v1/persons/${personId}`, { bank_account: NEW_ACCOUNT, bank_name: '农业银行' });
	assert.equal(changed.status, 200, `${changed}`);
	assert.deepEqual(await bankAccounts(september), [OLD_ACCOUNT]);
	const row = (await c.clerk.get(`/payments/${september}/bank?format=csv`)).body.split(/\r?\n/)[1];
	assert.match(row, /中国银行/, 'the bank it was approved with');
});

test("the next batch's checkers are shown the change, and their records name it", async () => {
	const october = await batch('2026-10');
	const page = await c.rev.get(`/payments/${october}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /本批次有 1 人的银行账号或开户银行在上一批次生成后被修改/);
	assert.match(page.body, new RegExp(`<a href="/persons/${personId}">王遗</a>：银行账号，a_station 于`));
	/* the maker is not the one it is shown to */
	assert.ok(!(await c.clerk.get(`/payments/${october}`)).body.includes('account-changes'));
	await sign(october);
	assert.equal(signed(october, 'pay.review'), '含银行账号变更 1 人');
	assert.equal(signed(october, 'pay.approve'), '含银行账号变更 1 人');
	assert.deepEqual(await bankAccounts(october), [NEW_ACCOUNT]);
	/* once a batch with the new account is approved, the change is no longer news */
	const november = await batch('2026-11');
	assert.ok(!(await c.rev.get(`/payments/${november}`)).body.includes('account-changes'));
});
