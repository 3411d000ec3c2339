// export_purpose.test.mjs - the registry's exports: the list's export is masked and asks
// nothing; a file with full values comes only through a form that asks the purpose (a
// choice, words required for 其他), recorded in the person.export_full audit record with
// the filter (numbers masked) and the number of people; only clerks and stations (their
// street) may make one, and everyone else gets the ordinary refusal, which names nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, auditRows, cleanup, idNumber, importRegions, initDb, maskId, sqlExec } from './lib.mjs';

const PEOPLE = [
	{ name: '赵甲', id: idNumber('42010619800701013'), phone: '13811110001', account: '6222020200112233445', street: '长青街道' },
	{ name: '钱乙', id: idNumber('42010619810501024'), phone: '13811110002', account: '6222020200112233446', street: '长青街道' },
	{ name: '孙丙', id: idNumber('42010619900101035'), phone: '13811110003', account: '6222020200112233447', street: '东湖街道' },
];

const ROLES = { clerk: '420199', station: '420199002', reviewer: '420199', approver: '420199', leader: '420199' };

let env; /* {db, server} */
const as = {}; /* role → signed-in Client */
let aud;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		...Object.entries(ROLES).map(([role, org]) => addUser(db, `x_${role}`, role, { org })),
		addUser(db, 'x_aud', 'auditor'),
	]);
	env = { db, server: await Server.start(db) };
	for (const role of Object.keys(ROLES)) {
		as[role] = new Client(env.server);
		await as[role].signIn(`x_${role}`);
	}
	aud = new Client(env.server);
	await aud.signIn('x_aud');
	for (const p of PEOPLE) {
		const r = await as.clerk.request('POST', '/api/v1/persons', {
			json: { name: p.name, id_number: p.id, categories: '退役军人', phone: p.phone, street: p.street, bank_name: '工商银行', bank_account: p.account },
			headers: { 'X-CSRF-Token': as.clerk.csrf },
		});
		assert.equal(r.status, 201, `${r}`);
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const exportsAudited = () => Number(sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'person.export_full';").trim());

function assertNoFullValues(body, where) {
	for (const p of PEOPLE)
		for (const secret of [p.id, p.phone, p.account]) assert.ok(!body.includes(secret), `${p.name}'s ${secret} in ${where}`);
}

test('the list offers every reader the masked export, and the full export to clerks and stations only', async () => {
	for (const role of Object.keys(ROLES)) {
		const r = await as[role].get(`/persons?${new URLSearchParams({ status: '在册' })}`);
		assert.equal(r.status, 200, `${role}: ${r}`);
		assert.match(r.body, /href="\/persons\/export\?status=%E5%9C%A8%E5%86%8C&amp;format=csv"/, role);
		const full = r.body.includes('href="/persons/export/full?status=%E5%9C%A8%E5%86%8C');
		assert.equal(full, role === 'clerk' || role === 'station', `${role}: the full export offered: ${full}`);
		assert.equal(r.body.includes('导出完整信息'), full, role);
	}
});

test('the masked export asks no purpose, holds no full number and is not a full export', async () => {
	const before_ = exportsAudited();
	for (const role of Object.keys(ROLES)) {
		const r = await as[role].get('/persons/export?format=csv');
		assert.equal(r.status, 200, `${role}: ${r}`);
		assert.match(r.headers['content-type'], /^text\/csv/);
		assertNoFullValues(r.body, `${role}'s masked export`);
		const lines = r.body.trim().split('\n');
		assert.equal(lines.length, 1 + (role === 'station' ? 2 : 3), role);
		assert.ok(r.body.includes(maskId(PEOPLE[0].id)), r.body);
		assert.ok(r.body.includes('138****0001'), r.body);
	}
	assert.equal(exportsAudited(), before_, 'a masked export is not recorded as a full one');
});

test('the full export asks the purpose first: none, an unknown one, 其他 without words or too many words make no file', async () => {
	const clerk = as.clerk;
	const form = await clerk.get(`/persons/export/full?${new URLSearchParams({ street: '长青街道', status: '在册' })}`);
	assert.equal(form.status, 200, `${form}`);
	for (const choice of ['发放核对', '上级报送', '信访核查', '其他']) assert.ok(form.body.includes(`value="${choice}"`), choice);
	/* What will be recorded, and the filter carried on in the form. */
	assert.match(form.body, /街道 长青街道（420199002）、状态 在册/);
	assert.match(form.body, /<input type="hidden" name="street" value="长青街道">/);

	const before_ = exportsAudited();
	const refused = [
		[{}, /导出用途：请选择导出用途/],
		[{ purpose: '好奇' }, /导出用途：请选择导出用途/],
		[{ purpose: '其他' }, /用途说明：选择“其他”时请填写用途说明/],
		[{ purpose: '其他', purpose_text: '   ' }, /用途说明：选择“其他”时请填写用途说明/],
		[{ purpose: '其他', purpose_text: '核'.repeat(201) }, /用途说明：用途说明不能超过 200 个字/],
	];
	for (const [fields, message] of refused) {
		const r = await clerk.postForm('/persons/export/full', { street: '长青街道', format: 'csv', ...fields });
		assert.equal(r.status, 400, `${JSON.stringify(fields)}: ${r}`);
		assert.match(r.headers['content-type'], /^text\/html/);
		assert.match(r.body, message, JSON.stringify(fields));
		assert.match(r.body, /未导出，请修改/);
		/* The form again, as it was filled in. */
		assert.match(r.body, /<input type="hidden" name="street" value="长青街道">/);
		assertNoFullValues(r.body, `the refused form ${JSON.stringify(fields)}`);
	}
	assert.equal(exportsAudited(), before_, 'a refused export is not recorded');

	/* 200 characters are enough. */
	const words = '区人大代表建议办理'.padEnd(200, '核');
	const ok = await clerk.postForm('/persons/export/full', { street: '长青街道', purpose: '其他', purpose_text: ` ${words} `, format: 'csv' });
	assert.equal(ok.status, 200, `${ok}`);
	assert.match(ok.headers['content-disposition'], /attachment; filename="persons-full\.csv"/);
	for (const p of PEOPLE.slice(0, 2)) for (const secret of [p.id, p.phone, p.account]) assert.ok(ok.body.includes(secret), `${secret} missing`);
	assert.ok(!ok.body.includes(PEOPLE[2].id), 'another street in the file');
	assert.equal(exportsAudited(), before_ + 1);
	const [row] = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(row.actor, 'x_clerk');
	assert.equal(row.detail, `导出含完整身份证号的人员名单：2 人；用途：其他：${words}；条件：街道 长青街道（420199002）`);
});

test('the audit record names the purpose, the filter with the number masked, and the number of people', async () => {
	const r = await as.clerk.postForm('/persons/export/full', { q: PEOPLE[2].id, purpose: '信访核查', purpose_text: '来访人身份核对', format: 'xlsx' });
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.headers['content-type'], /spreadsheetml/);
	const [row] = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(row.detail, `导出含完整身份证号的人员名单：1 人；用途：信访核查：来访人身份核对；条件：关键字 ${maskId(PEOPLE[2].id)}`);
	assert.ok(!JSON.stringify(row).includes(PEOPLE[2].id));

	/* A choice alone is enough, and a filter that finds no one is recorded too. */
	const none = await as.clerk.postForm('/persons/export/full', { q: '无此人', purpose: '上级报送', format: 'csv' });
	assert.equal(none.status, 200);
	assert.equal(none.body.trim().split('\n').length, 1);
	const [empty] = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(empty.detail, '导出含完整身份证号的人员名单：0 人；用途：上级报送；条件：关键字 无此人');
});

test("a station's full export holds its own street only", async () => {
	const r = await as.station.postForm('/persons/export/full', { purpose: '发放核对', format: 'csv' });
	assert.equal(r.status, 200, `${r}`);
	assert.ok(r.body.includes(PEOPLE[0].id) && r.body.includes(PEOPLE[1].id));
	assert.ok(!r.body.includes(PEOPLE[2].id) && !r.body.includes(PEOPLE[2].name));
	const [row] = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(row.actor, 'x_station');
	assert.equal(row.detail, '导出含完整身份证号的人员名单：2 人；用途：发放核对；条件：全部');
});

test('reviewers, approvers and the leader get the ordinary refusal, which names nothing it protects', async () => {
	const before_ = exportsAudited();
	for (const role of ['reviewer', 'approver', 'leader']) {
		const c = as[role];
		/* The refusal of a page nobody of the role may open, for comparison. */
		const other = await c.get('/users');
		assert.equal(other.status, 403);
		for (const r of [
			await c.get(`/persons/export/full?${new URLSearchParams({ street: '长青街道' })}`),
			await c.postForm('/persons/export/full', { purpose: '发放核对', format: 'csv' }),
			await c.postForm('/persons/export/full', { street: '长青街道', purpose: '其他', purpose_text: '核对', format: 'xlsx' }),
		]) {
			assert.equal(r.status, 403, `${role}: ${r}`);
			assert.match(r.headers['content-type'], /^text\/html/);
			assert.equal(r.body, other.body, `${role}: the refusal differs from any other`);
			assertNoFullValues(r.body, `${role}'s refusal`);
		}
		/* Through the API's way of asking too. */
		const api = await c.request('POST', '/persons/export/full', {
			json: { purpose: '发放核对' },
			headers: { 'X-CSRF-Token': c.csrf, Accept: 'application/json' },
		});
		assert.equal(api.status, 403);
		assertNoFullValues(api.body, `${role}'s refusal`);
	}
	assert.equal(exportsAudited(), before_, 'no full export was made');
	/* Each refusal is on record as one. */
	const denied = await auditRows(aud, { action: 'access.denied' });
	for (const role of ['reviewer', 'approver', 'leader'])
		assert.ok(denied.some((x) => x.actor === `x_${role}` && x.object.includes('/persons/export/full')), `${role}: ${JSON.stringify(denied.slice(0, 3))}`);
});
