// death.test.mjs - a death is recorded right: where a sum depends on the cause (a benefit
// whose funeral sum is paid only for one cause, like 残疾抚恤金's 12 months 因病) a death
// without a cause is refused with a message on 死亡原因 and nothing is saved, on the page
// and through the API; with the cause it is recorded as before; a person without such a
// benefit may still die without a cause; the page saves a death only once the clerk ticks
// 我已核对死亡日期和原因. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, assertApiError, auditVerify, cleanup, idNumber, importRegions, initDb, Server, sqlExec } from './lib.mjs';

let env;
let clerk;
const ids = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'd_clerk', 'clerk', { org: '420199' });
	env = { db, server: await Server.start(db) };
	clerk = new Client(env.server);
	await clerk.signIn('d_clerk');
	for (const [name, id] of [
		['残一', idNumber('42010619600101011')],
		['遗二', idNumber('42010619610202022')],
		['平三', idNumber('42010619620303033')],
	]) {
		const r = await api('POST', '/api/v1/persons', { name, id_number: id, categories: '退役军人', street: '东湖街道' });
		assert.equal(r.status, 201, `${name}: ${r}`);
		ids[name] = r.json.id;
	}
	/* their benefits, as confirmed entitlements: 残一 残疾抚恤金 (funeral only 因病), 遗二 定期抚恤金 (any cause) */
	sqlExec(
		db,
		`INSERT INTO entitlements (person_id, benefit_code, region_code, grade, nature, start_month, status, created_at)
		 SELECT id, 'DISABILITY', region_code, 6, '因战', '2024-01', '正常', 0 FROM persons WHERE id = ${ids['残一']};
		 INSERT INTO entitlements (person_id, benefit_code, region_code, category, start_month, status, created_at)
		 SELECT id, 'SURVIVOR', region_code, '烈士遗属', '2024-01', '正常', 0 FROM persons WHERE id = ${ids['遗二']};`,
	);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(method, path, json) {
	return clerk.request(method, path, { json, headers: { 'X-CSRF-Token': clerk.csrf } });
}

/** What a refused death must not have changed: the person, the benefits, the audit. */
function state(id) {
	return sqlExec(
		env.db,
		`SELECT status, status_date, status_reason, updated_at FROM persons WHERE id = ${id};
		 SELECT status, end_month, death_month, death_cause FROM entitlements WHERE person_id = ${id};
		 SELECT count(*) FROM person_history WHERE person_id = ${id};
		 SELECT count(*) FROM audit_log WHERE action IN ('person.status', 'entitlement.death');`,
	);
}

const DEATH = { status: '死亡', date: '2025-10-08', reason: '病故' };
const NEEDS_CAUSE = /该人员享受残疾抚恤金，死亡后一次性发放的金额取决于死亡原因，请选择死亡原因/;

test('a death without a cause is refused where the funeral sum depends on it, on the page and through the API', async () => {
	const id = ids['残一'];
	const before_ = state(id);
	const page = await clerk.refused(await clerk.postForm(`/persons/${id}/status`, { ...DEATH, cause: '', confirm: '1' }));
	assert.match(page.body, /死亡原因<\/a>：该人员享受残疾抚恤金/);
	assert.match(page.body, /id="status-cause" name="cause" aria-invalid="true"/);
	assert.equal(state(id), before_);
	for (const fields of [{ ...DEATH }, { ...DEATH, cause: '' }]) {
		const r = await api('POST', `/api/v1/persons/${id}/status`, fields);
		const err = assertApiError(r, 400);
		assert.ok(err.fields.some((f) => f.field === '死亡原因' && NEEDS_CAUSE.test(f.message)), `${r}`);
		assert.equal(state(id), before_);
	}
});

test('the page saves a death only once the date and cause are confirmed', async () => {
	const id = ids['残一'];
	const before_ = state(id);
	const r = await clerk.refused(await clerk.postForm(`/persons/${id}/status`, { ...DEATH, cause: '因病' }));
	assert.match(r.body, /确认<\/a>：登记死亡后待遇将停发/);
	assert.match(r.body, /id="status-confirm" name="confirm" value="1"[^>]*aria-invalid="true"/);
	assert.match(r.body, /<option value="因病" selected>/, 'the chosen cause stays');
	assert.equal(state(id), before_);
	/* other statuses need no confirmation */
	const pause = await clerk.postForm(`/persons/${ids['平三']}/status`, { status: '中止', date: '2025-01-01', reason: '本人申请' });
	assert.equal(pause.status, 303, `${pause}`);
});

test('with the cause the death is recorded as before: benefits end with the death month, the cause kept for the funeral sum', async () => {
	const id = ids['残一'];
	const r = await clerk.postForm(`/persons/${id}/status`, { ...DEATH, cause: '因病', confirm: '1' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(
		sqlExec(env.db, `SELECT p.status, e.status, e.end_month, e.death_month, e.death_cause FROM persons p JOIN entitlements e ON e.person_id = p.id WHERE p.id = ${id};`).trim(),
		'死亡|终止|2025-10|2025-10|因病',
	);
});

test('where no sum depends on the cause a death without one is still accepted', async () => {
	const r = await api('POST', `/api/v1/persons/${ids['遗二']}/status`, { ...DEATH });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '死亡');
	assert.equal(sqlExec(env.db, `SELECT status, death_cause FROM entitlements WHERE person_id = ${ids['遗二']};`).trim(), '终止|其他');
	const page = await clerk.postForm(`/persons/${ids['平三']}/status`, { ...DEATH, confirm: '1' });
	assert.equal(page.status, 303, `${page}`);
	assert.equal(sqlExec(env.db, `SELECT status FROM persons WHERE id = ${ids['平三']};`).trim(), '死亡');
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr + v.stdout);
});
