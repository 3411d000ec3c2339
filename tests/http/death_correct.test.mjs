// death_correct.test.mjs - the bureau corrects a recorded death, and the payments follow.
// A district on 2026-11-15 pays 残疾抚恤金 (张残, 6级因战: its 12 months' funeral sum only
// for a death 因病) and 定期抚恤金 (王遗, 烈士遗属: 6 months' funeral sum for any death) from
// 2026-07. 张残's death was recorded on 2026-10-05 as 其他 after October was paid; the
// certificate says 2026-08-10, 因病: his benefit now ends in August, September and October
// are listed for recovery (追缴), and the next batch pays the 12 months' funeral sum. 王遗's
// death was recorded on 2026-08-15 (her funeral sum paid in September's batch), then
// found to be 2026-10-03: September and October, which the batches skipped, are paid by
// the next batch, and the funeral sum is not paid twice. Refused corrections (nothing to
// change, a date in the future or before the birth year, no reason, a person alive, the
// page's box not ticked) change nothing. The tests build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, Server, addUser, assertApiError, auditVerify, cleanup, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 10:00 in Shanghai */
const PEOPLE = [
	['张残', '残疾军人', '6', '因战'],
	['王遗', '烈士遗属', '', ''],
	['李遗', '烈士遗属', '', ''], /* alive: each month's batch has someone */
	['孙残', '残疾军人', '6', '因战'],
	['赵在', '在乡复员军人', '', ''],
];
const STANDARDS = [
	'待遇,人员类别,残疾等级,残疾性质,生效日期,国家标准（元/年）,地方增发（元/年）,说明',
	'DISABILITY,,6,因战,2026-01-01,13200,0,测试',
	'SURVIVOR,烈士遗属,,,2026-01-01,24000,1200,测试',
	'LIVING,在乡复员军人,,,2026-01-01,12000,0,测试',
];

let env;
const c = {};
const ids = {};

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

async function batch(period, benefit) {
	const r = await api(c.clerk, 'POST', '/api/v1/payments/batches', { period, benefit });
	assert.equal(r.status, 201, `${period} ${benefit}: ${r}`);
	for (const [who, step] of [['rev', 'review'], ['appr', 'approve']]) {
		const s = await api(c[who], 'POST', `/api/v1/payments/batches/${r.json.id}/${step}`, {});
		assert.equal(s.status, 200, `${step}: ${s}`);
	}
	return r.json.id;
}

/** The person's lines: "month kind amount_fen" per line, in order. */
function lines(id) {
	return sqlExec(env.db, `SELECT month || ' ' || kind || ' ' || amount_fen FROM pay_lines WHERE person_id = ${id} ORDER BY month, kind, id;`).trim().split('\n').filter(Boolean);
}

/** What a refused correction must not change. */
function state(id) {
	return sqlExec(
		env.db,
		`SELECT status, status_date, status_reason, updated_at FROM persons WHERE id = ${id};
		 SELECT status, end_month, death_month, death_cause, coalesce(catch_up_from, '') FROM entitlements WHERE person_id = ${id};
		 SELECT count(*) FROM person_history WHERE person_id = ${id};
		 SELECT count(*) FROM audit_log;`,
	);
}

/** The 追缴 list's rows of a person, as the page shows them: "month amount". */
async function recoveries(name) {
	const r = await vets(['pay', 'recoveries', '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout).items.filter((x) => x.name === name).map((x) => `${x.month} ${x.amount_fen}`);
}

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'dc_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'dc_rev', 'reviewer', { org: '420199' }),
		addUser(db, 'dc_appr', 'approver', { org: '420199' }),
	]);
	const dir = tempDir();
	const people = path.join(dir, 'people.csv');
	writeFileSync(
		people,
		['姓名,身份证号,人员类别,街道,残疾等级,残疾性质,开户银行,银行账号']
			.concat(PEOPLE.map(([name, cat, grade, nature], i) => `${name},${idNumber(`42010619500101${100 + i}`)},${cat},东湖街道,${grade},${nature},中国银行,62220200000000${10000 + i}`))
			.join('\r\n') + '\r\n',
	);
	let r = await vets(['import', 'persons', people, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	const standards = path.join(dir, 'standards.csv');
	writeFileSync(standards, STANDARDS.join('\r\n') + '\r\n');
	r = await vets(['standard', 'import', standards, '--db', db, '--as', 'dc_clerk', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	for (const id of sqlExec(db, "SELECT id FROM benefit_standards WHERE status = '待审核';").trim().split('\n')) {
		r = await vets(['standard', 'approve', id, '--db', db, '--as', 'dc_rev', '--password-stdin'], { input: PASSWORD + '\n' });
		assert.equal(r.code, 0, r.stderr);
	}
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'rev', 'appr']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`dc_${u}`);
	}
	for (const [name] of PEOPLE) ids[name] = Number(sqlExec(db, `SELECT id FROM persons WHERE name = '${name}';`).trim());
	assert.equal((await c.clerk.postForm('/entitlements/propose', {})).status, 303);
	const proposed = await c.clerk.get(`/api/v1/entitlements?status=${encodeURIComponent('待确认')}&per_page=50`);
	for (const e of proposed.json.items) assert.equal((await c.rev.postForm(`/entitlements/${e.id}/confirm`, { start_month: '2026-07' })).status, 303);
	for (const m of ['2026-07', '2026-08']) for (const b of ['DISABILITY', 'SURVIVOR']) await batch(m, b);
	r = await api(c.clerk, 'POST', `/api/v1/persons/${ids['王遗']}/status`, { status: '死亡', date: '2026-08-15', reason: '病故', cause: '因病' });
	assert.equal(r.status, 200, `${r}`);
	for (const m of ['2026-09', '2026-10']) for (const b of ['DISABILITY', 'SURVIVOR']) await batch(m, b);
	r = await api(c.clerk, 'POST', `/api/v1/persons/${ids['张残']}/status`, { status: '死亡', date: '2026-10-05', reason: '病故', cause: '其他' });
	assert.equal(r.status, 200, `${r}`);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const FIX = { date: '2026-08-10', cause: '因病', reason: '死亡证明日期有误' };

test('refused corrections change nothing and say why, field by field', async () => {
	const id = ids['张残'];
	const before_ = state(id);
	const cases = [
		[{ date: '2026-10-05', cause: '其他', reason: '核对' }, '死亡日期', /与现有记录相同（2026-10-05，其他），无需更正/],
		[{ ...FIX, date: '2026-12-01' }, '死亡日期', /不能晚于今天/],
		[{ ...FIX, date: '1949-05-01' }, '死亡日期', /不能早于出生日期所在的年份/],
		[{ ...FIX, date: '2026-02-30' }, '死亡日期', /应为 YYYY-MM-DD 格式的有效日期/],
		[{ ...FIX, reason: '' }, '更正理由', /请填写更正理由/],
		[{ ...FIX, reason: '   ' }, '更正理由', /请填写更正理由/],
		[{ ...FIX, cause: '' }, '死亡原因', /请选择死亡原因/],
		[{ ...FIX, cause: '不详' }, '死亡原因', /应为 因病、因战、因公 或 其他/],
	];
	for (const [body, field, message] of cases) {
		const r = await api(c.clerk, 'POST', `/api/v1/persons/${id}/death`, body);
		const err = assertApiError(r, 400);
		assert.ok(err.fields.some((f) => f.field === field && message.test(f.message)), `${JSON.stringify(body)}: ${r}`);
		assert.equal(state(id), before_, JSON.stringify(body));
	}
	/* someone alive has no death to correct */
	const alive = ids['赵在'];
	const aliveBefore = state(alive);
	const r = await api(c.clerk, 'POST', `/api/v1/persons/${alive}/death`, FIX);
	const err = assertApiError(r, 400);
	assert.ok(err.fields.some((f) => f.field === '状态' && /没有登记死亡/.test(f.message)), `${r}`);
	assert.equal(state(alive), aliveBefore);
	/* the page saves only once the box is ticked, and keeps what was typed */
	const page = await c.clerk.refused(await c.clerk.postForm(`/persons/${id}/death`, FIX));
	assert.match(page.body, /确认：更正后待遇和追缴将重新计算/);
	assert.match(page.body, /id="death-date" name="date" value="2026-08-10"/);
	assert.match(page.body, /id="death-confirm" name="confirm" value="1" aria-invalid="true"/);
	assert.equal(state(id), before_);
	/* a person alive shows no correction form; a dead one does, with what is recorded */
	assert.doesNotMatch((await c.clerk.get(`/persons/${alive}`)).body, /更正死亡信息/);
	const show = await c.clerk.get(`/persons/${id}`);
	assert.match(show.body, /现登记为 2026-10-05 死亡，死亡原因：其他/);
});

test('a death moved earlier with a new cause: the benefit ends earlier, later months are recovered, the funeral sum of the cause is paid', async () => {
	const id = ids['张残'];
	assert.deepEqual(await recoveries('张残'), [], 'nothing to recover before the correction');
	assert.equal(sqlExec(env.db, `SELECT end_month, death_cause FROM entitlements WHERE person_id = ${id};`).trim(), '2026-10|其他');
	const r = await c.clerk.postForm(`/persons/${id}/death`, { ...FIX, confirm: '1' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(
		sqlExec(env.db, `SELECT p.status, p.status_date, p.status_reason, e.status, e.end_month, e.death_month, e.death_cause FROM persons p JOIN entitlements e ON e.person_id = p.id WHERE p.id = ${id};`).trim(),
		'死亡|2026-08-10|病故|终止|2026-08|2026-08|因病',
	);
	assert.deepEqual(await recoveries('张残'), ['2026-09 110000', '2026-10 110000']);
	/* the next batch pays the 12 months (13,200.00 元 a year) a death 因病 brings, nothing else */
	await batch('2026-11', 'DISABILITY');
	assert.deepEqual(lines(id), ['2026-07 regular 110000', '2026-08 regular 110000', '2026-09 funeral 1320000', '2026-09 regular 110000', '2026-10 regular 110000']);
	/* audited with the old and new values and the reason */
	const audit = sqlExec(env.db, `SELECT actor, object, detail FROM audit_log WHERE action = 'death.correct';`).trim();
	assert.equal(audit, `dc_clerk|person:${id}|死亡日期 2026-10-05 → 2026-08-10；死亡原因 其他 → 因病；更正理由：死亡证明日期有误`);
	assert.match(sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'entitlement.death' ORDER BY seq DESC LIMIT 1;`), /更正死亡：死亡月份 2026-10 → 2026-08（因病），待遇发至 2026-08/);
	assert.match(sqlExec(env.db, `SELECT old_value || ' → ' || new_value FROM person_history WHERE person_id = ${id} ORDER BY id DESC LIMIT 1;`), /死亡（2026-10-05）.*死亡（2026-08-10，病故）/);
});

test('a funeral sum paid for a cause the correction takes away is recorded as owed back', async () => {
	const id = ids['张残'];
	const r = await api(c.clerk, 'POST', `/api/v1/persons/${id}/death`, { date: '2026-08-10', cause: '因战', reason: '复核死亡证明，系因战致残旧伤复发' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT end_month, death_cause FROM entitlements WHERE person_id = ${id};`).trim(), '2026-08|因战');
	/* the 追缴 list finds it too, beside the months after the end */
	assert.deepEqual(await recoveries('张残'), ['2026-09 110000', '2026-09 1320000', '2026-10 110000']);
	assert.match(
		sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'entitlement.death' ORDER BY seq DESC LIMIT 1;`),
		/死亡月份 2026-08 → 2026-08（因战），待遇发至 2026-08；已发丧葬抚恤 13200.00 元按更正后的死亡原因不应发放，须追缴；复核死亡证明/,
	);
	assert.match(sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'death.correct' ORDER BY seq DESC LIMIT 1;`), /死亡日期 2026-08-10 → 2026-08-10；死亡原因 因病 → 因战/);
});

test('a death moved later: the months the batches skipped are paid by the next one, the funeral sum not twice', async () => {
	const id = ids['王遗'];
	assert.deepEqual(lines(id), ['2026-07 regular 210000', '2026-08 regular 210000', '2026-09 funeral 1260000']);
	const r = await api(c.clerk, 'POST', `/api/v1/persons/${id}/death`, { date: '2026-10-03', cause: '因病', reason: '死亡证明日期有误' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '死亡');
	assert.equal(sqlExec(env.db, `SELECT end_month, death_month, catch_up_from FROM entitlements WHERE person_id = ${id};`).trim(), '2026-10|2026-10|2026-09');
	await batch('2026-11', 'SURVIVOR');
	assert.deepEqual(lines(id), ['2026-07 regular 210000', '2026-08 regular 210000', '2026-09 funeral 1260000', '2026-09 regular 210000', '2026-10 regular 210000']);
	assert.deepEqual(await recoveries('王遗'), []);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr + v.stdout);
});
