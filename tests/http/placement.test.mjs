// placement.test.mjs - 安置. The city's plan (negative counts refused naming the field), cases
// for people of the registry only (another street's person, or nobody: a field error, nothing
// saved), steps whose dates keep their order (refused naming the field, nothing half saved),
// 待安置期生活费 granted when the bureau receives an arranged-job case's files, paid by the
// benefit batches and ended by placement. MUST SHOW 1: the deadlines job with a moved clock —
// 自主就业 报到 within 30 days (flagged, then the right closed), 岗位落实 within 6 months of
// reception (flagged before and after). MUST SHOW 2: every figure of `vets stats placement`
// and of /placement/stats equals a count written here in SQL, its --list has as many rows,
// and a corrected date, a corrected plan and a station's scope move them. The tests build on
// each other, in order; the server runs on 2026-11-15 (Asia/Shanghai).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, Server, addUser, auditVerify, cleanup, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 10:00 in Shanghai */
/** Epoch seconds of YYYY-MM-DD 10:00 in Shanghai. */
const at = (day) => Date.parse(`${day}T02:00:00Z`) / 1000;

let env;
const c = {};
const people = {}; /* name -> person id */
const cases = {}; /* name -> case id */

/* 甲 (东湖) and 乙, 丙, 丁, 庚 (长青), 戊 and 己 (东湖); 丁 has no bank account. */
const PEOPLE = [
	['甲', '42010619700101011', '东湖街道', '6222020000000000011'],
	['乙', '42010619800202022', '长青街道', '6222020000000000022'],
	['丙', '42010619810303033', '长青街道', '6222020000000000033'],
	['丁', '42010619820404044', '长青街道', ''],
	['戊', '42010619830505055', '东湖街道', '6222020000000000055'],
	['己', '42010619840606066', '东湖街道', '6222020000000000066'],
	['庚', '42010619650707077', '长青街道', '6222020000000000077'],
];

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'pl_clerk', 'clerk', { org: '420199', displayName: '安置科经办' }),
		addUser(db, 'pl_rev', 'reviewer', { org: '420199', displayName: '复核' }),
		addUser(db, 'pl_appr', 'approver', { org: '420199', displayName: '审批' }),
		addUser(db, 'pl_leader', 'leader', { org: '420199' }),
		addUser(db, 'pl_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'pl_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	const dir = tempDir();
	const file = path.join(dir, 'people.csv');
	const rows = PEOPLE.map(([n, body, street, account]) => `${n},${idNumber(body)},退役军人,${street},${account ? '中国银行' : ''},${account}`);
	writeFileSync(file, ['姓名,身份证号,人员类别,街道,开户银行,银行账号', ...rows].join('\r\n') + '\r\n');
	let r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	for (const line of sqlExec(db, 'SELECT name, id FROM persons;').trim().split('\n')) {
		const [n, id] = line.split('|');
		people[n] = Number(id);
	}
	/* the allowance's standard: the local minimum wage, 2,210 元 a month */
	const standards = path.join(dir, 'standards.csv');
	writeFileSync(standards, '待遇,人员类别,残疾等级,残疾性质,生效日期,国家标准（元/年）,地方增发（元/年）,说明\r\nPLACEMENT_WAIT,,,,2025-01-01,0,26520,最低工资标准\r\n');
	r = await vets(['standard', 'import', standards, '--db', db, '--as', 'pl_clerk', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	const sid = sqlExec(db, "SELECT id FROM benefit_standards WHERE status = '待审核';").trim();
	r = await vets(['standard', 'approve', sid, '--db', db, '--as', 'pl_rev', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'rev', 'appr', 'leader', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`pl_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}
const one = (sql) => sqlExec(env.db, sql).trim();
const count = (sql) => Number(one(sql));
const fields = (r) => Object.fromEntries((r.json?.error?.fields ?? []).map((f) => [f.field, f.message]));
const open = (client, body) => api(client, 'POST', '/api/v1/placement', body);
const step = (client, id, body) => api(client, 'POST', `/api/v1/placement/${id}/steps`, body);
const jobs = (day) => vets(['jobs', 'run', 'placement.deadlines', '--db', env.db], { env: { VETS_FAKE_NOW: String(at(day)) } });

test('the city plan: negative or non-numeric counts refused naming the field, nothing saved; a station may not enter it', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/placement/plans', { year: '2026', officers: '-1', soldiers: '二十' });
	assert.equal(r.status, 400, `${r}`);
	const f = fields(r);
	assert.match(f['军转干部计划数'], /不能为负数/);
	assert.match(f['退役士兵计划数'], /整数/);
	assert.equal(count('SELECT count(*) FROM placement_plans;'), 0);
	const page = await c.clerk.refused(await c.clerk.postForm('/placement/plans', { year: '2026', officers: '-3', soldiers: '5' }));
	assert.match(page.body, /军转干部计划数<\/a>：人数不能为负数/);
	assert.equal((await api(c.station, 'POST', '/api/v1/placement/plans', { year: '2026', officers: '1', soldiers: '1' })).status, 403);
	for (const [year, officers, soldiers] of [['2026', '2', '5'], ['2025', '1', '2']]) {
		r = await api(c.clerk, 'POST', '/api/v1/placement/plans', { year, officers, soldiers, note: '市局下达' });
		assert.equal(r.status, 200, `${r}`);
	}
	const plans = await c.leader.get('/placement/plans');
	assert.equal(plans.status, 200);
	assert.match(plans.body, /2026/);
});

test('a case only for a person of the registry in the writer\'s street: a Chinese field error otherwise, nothing saved', async () => {
	let r = await open(c.clerk, { person_id: '999999', kind: '退役士兵', plan_year: '2026', method: '安排工作', discharged_on: '2026-03-01' });
	assert.equal(r.status, 400, `${r}`);
	assert.match(fields(r)['人员编号'], /登记库中没有编号为 999999 的人员/);
	r = await open(c.station, { person_id: String(people.甲), kind: '退役士兵', plan_year: '2026', method: '安排工作', discharged_on: '2026-03-01' });
	assert.equal(r.status, 400, 'another street\'s person is not in the station\'s registry');
	assert.ok(fields(r)['人员编号']);
	r = await open(c.clerk, { person_id: String(people.乙), kind: '退役士兵', plan_year: '2026', method: '转业', discharged_on: '2026-12-01' });
	assert.equal(r.status, 400);
	assert.match(fields(r)['安置方式'], /只适用于军转干部/);
	assert.match(fields(r)['退役日期'], /不能晚于今天/);
	const form = await c.clerk.refused(await c.clerk.postForm('/placement', { person_id: '888888', kind: '退役士兵', plan_year: '2026', method: '自主就业', discharged_on: '2026-03-01' }));
	assert.match(form.body, /人员编号<\/a>：本辖区的人员登记库中没有编号为 888888 的人员/);
	assert.equal(count('SELECT count(*) FROM placement_cases;'), 0);
	assert.equal(count('SELECT count(*) FROM placement_steps;'), 0);
});

test('steps keep their order, refused naming the date field; the allowance starts when the bureau receives the files', async () => {
	let r = await open(c.clerk, { person_id: String(people.乙), kind: '退役士兵', plan_year: '2026', method: '安排工作', discharged_on: '2026-03-01' });
	assert.equal(r.status, 201, `${r}`);
	cases.乙 = r.json.id;
	assert.equal(r.json.region_code, '420199002');
	r = await open(c.clerk, { person_id: String(people.乙), kind: '退役士兵', plan_year: '2026', method: '自主就业', discharged_on: '2026-03-01' });
	assert.equal(r.status, 409, 'one case per person');
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-02-20' });
	assert.equal(r.status, 400);
	assert.match(fields(r)['档案接收日期'], /不能早于退役日期（2026-03-01）/);
	r = await step(c.clerk, cases.乙, { step: 'review', on: '2026-03-05' });
	assert.equal(r.status, 409, 'a review waits for the files');
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-11-20' });
	assert.match(fields(r)['档案接收日期'], /不能晚于今天/);
	assert.equal(count(`SELECT count(*) FROM entitlements WHERE benefit_code = 'PLACEMENT_WAIT';`), 0);
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-03-10' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.place_by, '2026-09-10');
	assert.equal(one(`SELECT status || '|' || start_month || '|' || category FROM entitlements WHERE person_id = ${people.乙} AND benefit_code = 'PLACEMENT_WAIT';`), '正常|2026-03|');
	r = await step(c.clerk, cases.乙, { step: 'review', on: '2026-03-05' });
	assert.match(fields(r)['档案审核日期'], /不能早于档案接收日期（2026-03-10）/);
	/* a corrected reception moves the allowance's first month while nothing is paid */
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-04-02' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(one(`SELECT start_month FROM entitlements WHERE person_id = ${people.乙} AND benefit_code = 'PLACEMENT_WAIT';`), '2026-04');
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-03-20', note: '' });
	assert.equal(r.status, 200, 'a step recorded again corrects its date');
	assert.equal(one(`SELECT start_month FROM entitlements WHERE person_id = ${people.乙} AND benefit_code = 'PLACEMENT_WAIT';`), '2026-03');
	assert.equal(r.json.dates.files, '2026-03-20');
	r = await step(c.clerk, cases.乙, { step: 'review', on: '2026-03-25' });
	assert.equal(r.status, 200);
	r = await step(c.clerk, cases.乙, { step: 'files', on: '2026-03-30' });
	assert.match(fields(r)['档案接收日期'], /不能晚于档案审核日期（2026-03-25）/);
	r = await step(c.clerk, cases.乙, { step: 'place', on: '2026-09-30' });
	assert.equal(r.status, 400);
	assert.match(fields(r)['接收单位'], /接收单位/);
	assert.equal(one(`SELECT coalesce(placed_on, '-') || '|' || status FROM placement_cases WHERE id = ${cases.乙};`), '-|办理中');

	/* the station opens 丁's case in its street; arranged-job files are the bureau's */
	r = await open(c.station, { person_id: String(people.丁), kind: '退役士兵', plan_year: '2026', method: '安排工作', discharged_on: '2026-04-01' });
	assert.equal(r.status, 201, `${r}`);
	cases.丁 = r.json.id;
	r = await step(c.station, cases.丁, { step: 'files', on: '2026-04-10' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /区局接收/);
	r = await step(c.clerk, cases.丁, { step: 'files', on: '2026-04-10' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /没有登记银行账号/);
	assert.equal(one(`SELECT coalesce(files_received_on, '-') || '|' || coalesce(place_by, '-') FROM placement_cases WHERE id = ${cases.丁};`), '-|-', 'nothing half saved');
	assert.equal(count(`SELECT count(*) FROM entitlements WHERE person_id = ${people.丁};`), 0);
	assert.equal(count(`SELECT count(*) FROM placement_steps WHERE case_id = ${cases.丁} AND step = 'files';`), 0);
	r = await step(c.station, cases.丁, { step: 'hukou', on: '2026-04-12' });
	assert.equal(r.status, 200, 'a station records the other steps in its street');
	assert.equal(r.json.steps.at(-1).by_name, '长青站');
});

test('待安置期生活费 is paid by the monthly batches and ends after the month of placement', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/payments/batches', { period: '2026-10', benefit: 'PLACEMENT_WAIT' });
	assert.equal(r.status, 201, `${r}`);
	const batch = r.json.id;
	assert.equal(count(`SELECT count(*) FROM pay_lines WHERE batch_id = ${batch};`), 8, '2026-03 to 2026-10');
	assert.equal(count(`SELECT sum(amount_fen) FROM pay_lines WHERE batch_id = ${batch};`), 8 * 221000);
	assert.equal((await api(c.rev, 'POST', `/api/v1/payments/batches/${batch}/review`, {})).status, 200);
	assert.equal((await api(c.appr, 'POST', `/api/v1/payments/batches/${batch}/approve`, {})).status, 200);
	r = await step(c.clerk, cases.乙, { step: 'place', on: '2026-09-30', employer: '区城市管理执法局' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已安置');
	/* October was paid already: the allowance ends after the months batches have paid */
	assert.equal(one(`SELECT status || '|' || end_month FROM entitlements WHERE person_id = ${people.乙} AND benefit_code = 'PLACEMENT_WAIT';`), '终止|2026-10');
	r = await api(c.clerk, 'POST', '/api/v1/payments/batches', { period: '2026-11', benefit: 'PLACEMENT_WAIT' });
	assert.notEqual(r.status, 201, 'nothing due after placement');
	const page = await c.clerk.get(`/placement/${cases.乙}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /区城市管理执法局/);
	assert.match(page.body, /已安置/);
});

test('MUST SHOW 1: 报到 within 30 days and 岗位落实 within 6 months, with the job runner and a moved clock', async () => {
	/* 戊: 自主就业, discharged 11-01, must report by 12-01 */
	let r = await open(c.clerk, { person_id: String(people.戊), kind: '退役士兵', plan_year: '2026', method: '自主就业', discharged_on: '2026-11-01' });
	assert.equal(r.status, 201);
	cases.戊 = r.json.id;
	assert.equal(r.json.report_by, '2026-12-01');
	/* 丙: 自主就业, discharged 10-10 (report by 11-09): a late report is refused, one in time kept */
	r = await open(c.station, { person_id: String(people.丙), kind: '退役士兵', plan_year: '2026', method: '自主就业', discharged_on: '2026-10-10' });
	cases.丙 = r.json.id;
	r = await step(c.station, cases.丙, { step: 'report', on: '2026-11-12' });
	assert.equal(r.status, 400);
	assert.match(fields(r)['报到日期'], /超过报到期限 2026-11-09/);
	r = await step(c.station, cases.丙, { step: 'report', on: '2026-11-08' });
	assert.equal(r.status, 200);
	/* 己: 安排工作, files received 06-01, must be placed by 12-01 */
	r = await open(c.clerk, { person_id: String(people.己), kind: '退役士兵', plan_year: '2026', method: '安排工作', discharged_on: '2026-05-20' });
	cases.己 = r.json.id;
	r = await step(c.clerk, cases.己, { step: 'files', on: '2026-06-01' });
	assert.equal(r.json.place_by, '2026-12-01');
	const state = (id) => one(`SELECT status || '|' || flag || '|' || coalesce(lapsed_on, '-') FROM placement_cases WHERE id = ${id};`);

	/* 11-20: 戊 still has 11 days, 己 has 11 days of its six months: 岗位落实临期 (30 days ahead) */
	r = await jobs('2026-11-20');
	assert.equal(r.code, 0, r.stderr);
	assert.equal(state(cases.戊), '办理中||-');
	assert.equal(state(cases.己), '办理中|岗位落实临期|-');
	/* 11-25: 戊 within 7 days of the deadline */
	r = await jobs('2026-11-25');
	assert.equal(r.code, 0, r.stderr);
	assert.equal(state(cases.戊), '办理中|报到临期|-');
	assert.equal(state(cases.丙), '办理中||-', 'reported in time: nothing to flag');
	/* 12-01, the deadline day itself: still open */
	r = await jobs('2026-12-01');
	assert.equal(state(cases.戊), '办理中|报到临期|-');
	/* 12-02: the right is closed; 己 is past its six months */
	r = await jobs('2026-12-02');
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout + r.stderr, /1 件自主就业逾期未报到而失权/);
	assert.equal(state(cases.戊), '已失权||2026-12-02');
	assert.equal(state(cases.己), '办理中|岗位落实超期|-');
	assert.equal(state(cases.丙), '办理中||-');
	assert.equal(count(`SELECT count(*) FROM placement_steps WHERE case_id = ${cases.戊} AND step = 'lapse';`), 1);
	assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'placement.lapse';`), 1);
	r = await step(c.clerk, cases.戊, { step: 'report', on: '2026-11-14' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /自主就业的权利已于 2026-12-02 终止/);
	/* the same slot twice does nothing */
	r = await jobs('2026-12-02');
	assert.equal(r.code, 1);
	/* the flagged are listed for the desk */
	const list = await api(c.clerk, 'GET', '/api/v1/placement?flagged=1');
	assert.deepEqual(list.json.items.map((i) => i.id), [cases.己]);
	/* placing 己 clears its flag at once */
	r = await step(c.clerk, cases.己, { step: 'place', on: '2026-11-14', employer: '区人民医院' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(state(cases.己), '已安置||-');
});

/* ---- MUST SHOW 2 ---- */

const KEYS = ['officers_planned', 'officers_placed', 'soldiers_planned', 'soldiers_placed', 'medical_insurance_continued', 'living_allowance_persons'];
const SUMS = { officers_planned: 'planned', soldiers_planned: 'planned' };

/** The figures counted here, in SQL of their own, for year y within the region prefix. */
function expected(y, prefix = '') {
	const inScope = (col) => (prefix ? `substr(${col}, 1, ${prefix.length}) = '${prefix}'` : '1 = 1');
	const ys = `'${y}-01-01'`, ye = `'${y}-12-31'`;
	return {
		officers_planned: count(`SELECT coalesce(sum(officers), 0) FROM placement_plans WHERE year = ${y} AND ${inScope('region_code')};`),
		officers_placed: count(`SELECT count(*) FROM placement_cases WHERE kind = '军转干部' AND placed_on BETWEEN ${ys} AND ${ye} AND ${inScope('region_code')};`),
		soldiers_planned: count(`SELECT coalesce(sum(soldiers), 0) FROM placement_plans WHERE year = ${y} AND ${inScope('region_code')};`),
		soldiers_placed: count(`SELECT count(*) FROM placement_cases WHERE kind = '退役士兵' AND placed_on BETWEEN ${ys} AND ${ye} AND ${inScope('region_code')};`),
		medical_insurance_continued: count(`SELECT count(*) FROM placement_cases WHERE medical_on BETWEEN ${ys} AND ${ye} AND ${inScope('region_code')};`),
		living_allowance_persons: count(
			`SELECT count(DISTINCT l.person_id) FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE l.benefit_code = 'PLACEMENT_WAIT' AND l.kind = 'regular' AND b.status = '已审批' AND l.status <> '失败' AND l.month BETWEEN '${y}-01' AND '${y}-12' AND ${inScope('l.region_code')};`,
		),
	};
}

const asArgs = (user) => (user ? ['--as', user, '--password-stdin'] : []);
async function stats(y, user) {
	const r = await vets(['stats', 'placement', '--year', String(y), '--db', env.db, ...asArgs(user)], { input: user ? PASSWORD + '\n' : '' });
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}
async function listed(y, key, user) {
	const r = await vets(['stats', 'placement', '--year', String(y), '--list', key, '--db', env.db, ...asArgs(user)], { input: user ? PASSWORD + '\n' : '' });
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Every key of year y: the command, its lists and the page agree with the SQL counts. */
async function checkYear(y, { user, client = c.clerk, prefix = '' } = {}) {
	const want = expected(y, prefix);
	const got = await stats(y, user);
	for (const key of KEYS) {
		assert.equal(got[key], want[key], `${y} ${key}${user ? ` as ${user}` : ''}`);
		const rows = await listed(y, key, user);
		const n = SUMS[key] ? rows.reduce((s, row) => s + Number(row[SUMS[key]]), 0) : rows.length;
		assert.equal(n, want[key], `${y} --list ${key}`);
	}
	/* each --as signs in, and a user keeps 3 sessions: the page's client signs in again */
	if (user) await client.signIn(user);
	const page = await client.get(`/placement/stats?year=${y}`);
	assert.equal(page.status, 200, `${page}`);
	for (const key of KEYS) {
		const m = page.body.match(new RegExp(`id="fig-${key}"[^>]*>(\\d+)<`));
		assert.ok(m, `${key} on the page`);
		assert.equal(Number(m[1]), want[key], `page ${y} ${key}`);
	}
	return want;
}

test('MUST SHOW 2: every figure equals its SQL count and its list, and moves with a correction, a plan and a station\'s scope', async () => {
	/* more of 2026 and of 2025: an officer placed with 医保 and 社保, a 退休 soldier of 2025 */
	let r = await open(c.clerk, { person_id: String(people.甲), kind: '军转干部', plan_year: '2026', method: '转业', discharged_on: '2026-01-05' });
	cases.甲 = r.json.id;
	for (const [s, on, employer] of [['files', '2026-01-15'], ['review', '2026-01-20'], ['place', '2026-04-01', '区公安分局'], ['medical', '2026-04-10'], ['social', '2026-04-10']]) {
		r = await step(c.clerk, cases.甲, { step: s, on, employer });
		assert.equal(r.status, 200, `${s}: ${r}`);
	}
	r = await open(c.station, { person_id: String(people.庚), kind: '退役士兵', plan_year: '2025', method: '退休', discharged_on: '2025-06-01' });
	cases.庚 = r.json.id;
	for (const [s, on] of [['report', '2025-06-05'], ['place', '2025-07-01'], ['medical', '2025-07-15']]) {
		r = await step(c.station, cases.庚, { step: s, on });
		assert.equal(r.status, 200, `${s}: ${r}`);
	}
	r = await step(c.clerk, cases.乙, { step: 'medical', on: '2026-10-08' });
	assert.equal(r.status, 200);
	/* 甲's allowance for January to April, paid by a batch of 2026-11 (catching up) */
	r = await api(c.clerk, 'POST', '/api/v1/payments/batches', { period: '2026-11', benefit: 'PLACEMENT_WAIT' });
	assert.equal(r.status, 201, `${r}`);
	await api(c.rev, 'POST', `/api/v1/payments/batches/${r.json.id}/review`, {});
	await api(c.appr, 'POST', `/api/v1/payments/batches/${r.json.id}/approve`, {});

	/* once paid, the reception is not moved to another month */
	r = await step(c.clerk, cases.己, { step: 'files', on: '2026-07-01' });
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.json.error.message, /已按原档案接收日期（2026-06-01）发放/);
	assert.equal(one(`SELECT files_received_on FROM placement_cases WHERE id = ${cases.己};`), '2026-06-01');

	let w26 = await checkYear(2026);
	assert.deepEqual(w26, { officers_planned: 2, officers_placed: 1, soldiers_planned: 5, soldiers_placed: 2, medical_insurance_continued: 2, living_allowance_persons: 3 });
	let w25 = await checkYear(2025);
	assert.deepEqual(w25, { officers_planned: 1, officers_placed: 0, soldiers_planned: 2, soldiers_placed: 1, medical_insurance_continued: 1, living_allowance_persons: 0 });
	const rows = await listed(2026, 'soldiers_placed');
	assert.deepEqual(rows.map((x) => x.name).sort(), ['乙', '己']);

	/* a placement date corrected into the next year moves 庚 from 2025 to 2026 */
	r = await step(c.station, cases.庚, { step: 'place', on: '2026-01-05' });
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.json.steps.at(-1).note, /更正：原日期 2025-07-01/);
	w25 = await checkYear(2025);
	assert.equal(w25.soldiers_placed, 0);
	w26 = await checkYear(2026);
	assert.equal(w26.soldiers_placed, 3);
	/* a corrected plan */
	r = await api(c.clerk, 'POST', '/api/v1/placement/plans', { year: '2026', officers: '3', soldiers: '6' });
	assert.equal(r.status, 200);
	w26 = await checkYear(2026);
	assert.equal(w26.officers_planned, 3);
	assert.equal(w26.soldiers_planned, 6);

	/* a station counts its street only (the plan is the district's) */
	const st = await checkYear(2026, { user: 'pl_station', client: c.station, prefix: '420199002' });
	assert.deepEqual(st, { officers_planned: 0, officers_placed: 0, soldiers_planned: 0, soldiers_placed: 2, medical_insurance_continued: 1, living_allowance_persons: 1 });
	const east = await checkYear(2026, { user: 'pl_east', client: c.east, prefix: '420199001' });
	assert.equal(east.soldiers_placed, 1);

	/* the page's list of a figure shows its rows */
	const list = await c.clerk.get('/placement/stats/list?key=soldiers_placed&year=2026');
	assert.equal(list.status, 200);
	for (const n of ['乙', '己', '庚']) assert.ok(list.body.includes(n), n);
});

test('scope: a station sees its street\'s cases only; another street\'s case is not found', async () => {
	const mine = await api(c.station, 'GET', '/api/v1/placement');
	assert.deepEqual(mine.json.items.map((i) => i.id).sort((a, b) => a - b), [cases.乙, cases.丁, cases.丙, cases.庚].sort((a, b) => a - b));
	let r = await c.east.get(`/placement/${cases.乙}`);
	assert.equal(r.status, 404);
	assert.match(r.body, /安置案件不存在/);
	r = await step(c.east, cases.乙, { step: 'social', on: '2026-10-08' });
	assert.equal(r.status, 404);
	assert.equal(one(`SELECT coalesce(social_on, '-') FROM placement_cases WHERE id = ${cases.乙};`), '-');
	r = await c.station.get(`/placement/${cases.乙}`);
	assert.equal(r.status, 200);
	assert.match(r.body, /安置步骤/);
});

test('every write is audited under its Chinese title, and the trail verifies', async () => {
	for (const a of ['placement.plan', 'placement.open', 'placement.step', 'placement.correct', 'placement.lapse', 'placement.allowance'])
		assert.ok(count(`SELECT count(*) FROM audit_log WHERE action = '${a}';`) > 0, a);
	const r = await vets(['audit', 'verify', '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
});
