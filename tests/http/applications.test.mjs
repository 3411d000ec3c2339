// applications.test.mjs - the counter: 受理 with every essential material, 容缺受理 with the
// promise (refused to a person on the 失信 list), an essential material missing or a bad
// field refused with nothing saved; 补正 stops the clock and recomputes the due day across
// 国庆; 补齐, 办结, 不予受理, 退回, each a step, audited, with a message; the daily job ends a
// 容缺 application whose supply day passed; the public tracking page shows the steps and
// never the applicant; lookups are rate-limited; a station sees its street only. The tests
// of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, ROOT, addUser, auditVerify, cleanup, idNumber, importRegions, initDb, Server, sqlExec, tempDir, vets } from './lib.mjs';

/* 2026-09-28 (a Monday) 10:00 in Shanghai, the day before the 国庆 break */
const at = (y, m, d) => Date.UTC(y, m - 1, d, 2, 0, 0) / 1000;
const MON = at(2026, 9, 28);

const CATALOGUE = [
	'事项编码,事项名称,承诺时限,法定依据,材料名称,材料必要',
	'T01,退役报到,5,《退役军人保障法》,居民身份证,是',
	'T01,退役报到,5,《退役军人保障法》,退役证,是',
	'T01,退役报到,5,《退役军人保障法》,户口簿复印件,否',
	'T01,退役报到,5,《退役军人保障法》,近期照片,否',
	'T02,优待证申领,3,《退役军人保障法》,居民身份证,是',
].join('\n') + '\n';

const ID = { 甲: idNumber('42010619800101011'), 乙: idNumber('42010619810202022'), 丙: idNumber('42010619820303033'), 己: idNumber('42010619850606066'), 失信: idNumber('42010619830404044') };
const PHONE = '13912345678';

let env;
const c = {};
const apps = {};

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

async function startAt(t) {
	if (env.server) await env.server.stop();
	env.server = await Server.start(env.db, { fakeNow: t });
	for (const u of ['clerk', 'station', 'leader', 'reviewer']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`a_${u}`);
	}
}

function receive(client, name, materials, more = {}) {
	return api(client, 'POST', '/api/v1/applications', { service: 'T01', name, id_number: ID[name], phone: PHONE, materials, ...more });
}

before(async () => {
	const { db, dir } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'a_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'a_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'a_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 'a_reviewer', 'reviewer', { org: '420199', displayName: '审核乙' }),
	]);
	const file = path.join(dir, 'catalogue.csv');
	writeFileSync(file, CATALOGUE);
	let r = await vets(['service', 'import', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	r = await vets(['calendar', 'import', path.join(ROOT, 'data', 'calendar', '2026.csv'), '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	env = { db, dir };
	await startAt(MON);
});

after(async () => {
	await env?.server?.stop();
	await cleanup();
});

test('受理 with every material: 201, a tracking code, the due day counted over 国庆 and its 调休', async () => {
	const r = await receive(c.clerk, '甲', ['居民身份证', '退役证', '户口簿复印件', '近期照片']);
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.status, '已受理');
	assert.match(r.json.tracking_code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
	/* 9-29, 9-30, (10-1..10-7 off), 10-8, 10-9, 10-10 (a Saturday worked) */
	assert.equal(r.json.due, '2026-10-10');
	assert.equal(r.json.supply_by, null);
	assert.deepEqual(r.json.missing, []);
	apps.甲 = r.json;
	/* sealed and masked: neither the ID number nor the phone is stored in the clear */
	const row = one(`SELECT id_mask || '|' || phone_mask || '|' || id_bidx FROM applications WHERE id = ${r.json.id}`);
	assert.equal(row.split('|')[0], `${ID.甲.slice(0, 6)}********${ID.甲.slice(14)}`);
	assert.equal(row.split('|')[1], '139****5678');
	assert.ok(!sqlExec(env.db, 'SELECT * FROM applications').includes(ID.甲));
	assert.ok(!sqlExec(env.db, 'SELECT * FROM applications').includes(PHONE));
	/* the message to the applicant: the code and the item, nothing personal */
	const msg = one(`SELECT text FROM sms_outbox WHERE subject = 'application' AND subject_id = ${r.json.id}`);
	assert.match(msg, new RegExp(r.json.tracking_code));
	assert.match(msg, /退役报到/);
	assert.doesNotMatch(msg, /甲|4201|1391/);
});

test('refusals name the field and save nothing', async () => {
	const count = () => one('SELECT count(*) FROM applications') + '/' + one('SELECT count(*) FROM application_steps') + '/' + one('SELECT count(*) FROM sms_outbox');
	const before = count();
	let r = await receive(c.clerk, '乙', ['居民身份证', '户口簿复印件']);
	assert.ok(r.status >= 400 && r.status < 500, `${r}`);
	assert.match(r.json.error.message, /缺少必要材料：退役证/);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['材料']);
	r = await api(c.clerk, 'POST', '/api/v1/applications', { service: 'NOPE', name: '乙', id_number: ID.乙, phone: PHONE, materials: [] });
	assert.ok(r.status >= 400 && r.status < 500, `${r}`);
	assert.match(r.json.error.message, /NOPE/);
	r = await receive(c.clerk, '乙', ['居民身份证', '退役证', '户口簿复印件', '近期照片'], { id_number: ID.乙.slice(0, 17) + (ID.乙[17] === '1' ? '2' : '1') });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['身份证号']);
	r = await receive(c.clerk, '乙', ['居民身份证', '退役证', '户口簿复印件', '近期照片'], { phone: '12345' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['手机号']);
	r = await receive(c.clerk, '乙', ['居民身份证', '退役证', '结婚证']);
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.json.error.fields[0].message, /结婚证/);
	/* 容缺 without the written promise */
	r = await receive(c.clerk, '乙', ['居民身份证', '退役证']);
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['承诺']);
	/* a material given as something other than a list of names */
	r = await api(c.clerk, 'POST', '/api/v1/applications', { service: 'T01', name: '乙', id_number: ID.乙, phone: PHONE, materials: [1] });
	assert.equal(r.status, 400, `${r}`);
	assert.equal(count(), before);
});

test('容缺受理 with the promise: what is missing and a supply day no later than the due day', async () => {
	const r = await receive(c.clerk, '乙', ['居民身份证', '退役证'], { promise: true });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.status, '容缺受理');
	assert.deepEqual(r.json.missing, ['户口簿复印件', '近期照片']);
	assert.equal(r.json.due, '2026-10-10');
	assert.ok(r.json.supply_by <= r.json.due, `${r.json.supply_by}`);
	apps.乙 = r.json;
	/* the notice names what is missing and the supply day */
	const page = await c.clerk.get(`/applications/${r.json.id}/notice`);
	assert.equal(page.status, 200);
	assert.match(page.body, /容缺受理通知书/);
	assert.match(page.body, /户口簿复印件/);
	assert.match(page.body, new RegExp(r.json.supply_by));
	/* a supply day asked past the due day is refused */
	const late = await receive(c.clerk, '丙', ['居民身份证', '退役证'], { promise: true, supply_by: '2026-10-12' });
	assert.equal(late.status, 400, `${late}`);
	assert.deepEqual(late.json.error.fields.map((f) => f.field), ['补齐期限']);
});

test('a person on the 失信 list cannot use 容缺受理, and may apply with every material', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/discredits', { name: '失信', id_number: ID.失信, reason: '虚假承诺未履行', listed_on: '2026-01-05' });
	assert.equal(r.status, 201, `${r}`);
	const listed = await api(c.clerk, 'GET', '/api/v1/discredits');
	assert.equal(listed.json.items[0].id_mask, `${ID.失信.slice(0, 6)}********${ID.失信.slice(14)}`);
	assert.ok(!sqlExec(env.db, 'SELECT * FROM discredits').includes(ID.失信));
	const before = one('SELECT count(*) FROM applications');
	r = await receive(c.clerk, '失信', ['居民身份证', '退役证'], { promise: true });
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.json.error.message, /失信名单.*不能容缺受理/);
	assert.equal(one('SELECT count(*) FROM applications'), before);
	r = await receive(c.clerk, '失信', ['居民身份证', '退役证', '户口簿复印件', '近期照片']);
	assert.equal(r.status, 201, `${r}`);
	apps.失信 = r.json;
	/* the import of the list: every row or none, the bad row and field named */
	const file = path.join(env.dir, 'discredits.csv');
	writeFileSync(file, `姓名,身份证号,失信原因,列入日期,截止日期\n丙,${ID.丙},骗取待遇,2026-02-01,\n丁,420106,骗取待遇,2026-02-01,\n`);
	let v = await vets(['discredit', 'import', file, '--db', env.db]);
	assert.notEqual(v.code, 0);
	assert.match(v.stderr, /第 3 行 身份证号/);
	assert.equal(one('SELECT count(*) FROM discredits'), '1');
	writeFileSync(file, `姓名,身份证号,失信原因,列入日期,截止日期\n丙,${ID.丙},骗取待遇,2026-02-01,2026-12-31\n`);
	v = await vets(['discredit', 'import', file, '--db', env.db]);
	assert.equal(v.code, 0, v.stderr);
	assert.equal(one('SELECT count(*) FROM discredits'), '2');
});

test('补正 stops the clock; 补正完成 moves the due day by the working days it stood, across 国庆', async () => {
	const id = apps.甲.id;
	let r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/correct`, { note: '退役证复印件不清晰，请提供清晰件' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '补正中');
	assert.equal(r.json.paused_on, '2026-09-28');
	/* not again while it waits, and no 办结 */
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/close`, {});
	assert.equal(r.status, 409, `${r}`);
	/* back on Friday 10-09: 9-29, 9-30, 10-8, 10-9 stood still (4 working days) */
	await startAt(at(2026, 10, 9));
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/resume`, {});
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已受理');
	assert.equal(r.json.paused_days, 4);
	/* 9 working days after 9-28: 9-29, 9-30, 10-8, 10-9, 10-10, 10-12, 10-13, 10-14, 10-15 */
	assert.equal(r.json.due, '2026-10-15');
	assert.deepEqual(r.json.steps.map((s) => s.step), ['受理', '补正', '补正完成']);
	assert.match(r.json.steps[2].note, /停止计时 4 个工作日/);
	const check = await vets(['calendar', 'due', '2026-09-28', '9', '--db', env.db]);
	assert.equal(check.stdout.trim(), '2026-10-15');
});

test('补齐 then 办结; 办结 refused while a 容缺 material is missing; 不予受理 and 退回 need a reason', async () => {
	const id = apps.乙.id;
	let r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/close`, {});
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.json.error.message, /尚缺容缺材料：户口簿复印件、近期照片/);
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/supply`, { material: '结婚证' });
	assert.equal(r.status, 400, `${r}`);
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/supply`, { material: '户口簿复印件' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '容缺受理');
	assert.deepEqual(r.json.missing, ['近期照片']);
	/* a leader sits at the window */
	r = await api(c.leader, 'POST', `/api/v1/applications/${id}/supply`, { material: '近期照片' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已受理');
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/close`, {});
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已办结');
	assert.equal(r.json.closed_on, '2026-10-09');
	assert.deepEqual(r.json.steps.map((s) => [s.step, s.by_name]), [['容缺受理', '窗口甲'], ['补齐', '窗口甲'], ['补齐', '局领导'], ['办结', '窗口甲']]);
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/return`, { note: '申请人撤回' });
	assert.equal(r.status, 409, `${r}`);
	/* a reviewer reads but does not handle */
	r = await api(c.reviewer, 'POST', `/api/v1/applications/${apps.甲.id}/refuse`, { note: '不符合条件' });
	assert.equal(r.status, 403, `${r}`);
	r = await receive(c.clerk, '丙', ['居民身份证', '退役证', '户口簿复印件', '近期照片']);
	assert.equal(r.status, 201, `${r}`);
	apps.丙 = r.json;
	r = await api(c.clerk, 'POST', `/api/v1/applications/${apps.丙.id}/refuse`, {});
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['说明']);
	const reason = '不属于本局受理范围' + '，请向户籍所在地区退役军人事务局申请'.repeat(10);
	r = await api(c.clerk, 'POST', `/api/v1/applications/${apps.丙.id}/refuse`, { note: reason.slice(0, 200) });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '不予受理');
	/* the reason, at its longest, is told in one message (the outbox's 300 characters) */
	const told = one(`SELECT text FROM sms_outbox WHERE subject_id = ${apps.丙.id} ORDER BY id DESC LIMIT 1`);
	assert.ok([...told].length <= 300, `${[...told].length}`);
	assert.ok(told.includes(reason.slice(0, 200)), told);
	/* every step audited */
	const actions = one("SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE action LIKE 'application.%' ORDER BY seq) x");
	for (const a of ['application.receive', 'application.correct', 'application.resume', 'application.supply', 'application.close', 'application.refuse'])
		assert.ok(actions.includes(a), `${a} in ${actions}`);
	/* and told: one message per change */
	assert.equal(one(`SELECT count(*) FROM sms_outbox WHERE subject = 'application' AND subject_id = ${id}`), '4');
});

test('the daily job ends a 容缺 application whose supply day passed, and flags the overdue', async () => {
	/* 乙's twin: 容缺 on 10-09 with supply day 10-10 */
	let r = await receive(c.clerk, '己', ['居民身份证', '退役证'], { promise: true, supply_by: '2026-10-10' });
	assert.equal(r.status, 201, `${r}`);
	const late = r.json;
	const v = await vets(['jobs', 'run', 'application.deadlines', '--db', env.db], { env: { VETS_FAKE_NOW: String(at(2026, 10, 16)) } });
	assert.equal(v.code, 0, v.stderr + v.stdout);
	r = await api(c.clerk, 'GET', `/api/v1/applications/${late.id}`);
	assert.equal(r.json.status, '已终止');
	assert.equal(r.json.steps.at(-1).step, '终止');
	assert.match(r.json.steps.at(-1).note, /户口簿复印件、近期照片/);
	assert.match(one(`SELECT text FROM sms_outbox WHERE subject_id = ${late.id} ORDER BY id DESC LIMIT 1`), /申请已终止/);
	/* 失信 was due 10-10, 甲 10-15: overdue on the 16th */
	assert.equal(one(`SELECT overdue FROM applications WHERE id = ${apps.甲.id}`), '1');
	assert.equal(one(`SELECT overdue FROM applications WHERE id = ${apps.乙.id}`), '0', 'closed');
	await startAt(at(2026, 10, 16));
	r = await api(c.clerk, 'GET', '/api/v1/applications?queue=overdue');
	assert.deepEqual(r.json.items.map((i) => i.id), [apps.失信.id, apps.甲.id]);
	assert.equal(r.json.items[1].name, '甲');
	assert.equal(r.json.items[0].id_mask.includes('********'), true);
	/* the year's figures (defined in docs/RATINGS.md) count them so: 乙 closed on time, the
	 * expired 容缺 ended, one refused; 甲 and 失信 open past their due day */
	r = await api(c.clerk, 'GET', '/api/v1/counter/stats?year=2026&as_of=2026-10-16');
	assert.equal(r.status, 200);
	const { accepted, rongque, closed, closed_on_time, overdue } = r.json;
	assert.deepEqual({ accepted, rongque, closed, closed_on_time, overdue }, { accepted: 5, rongque: 2, closed: 1, closed_on_time: 1, overdue: 2 }, JSON.stringify(r.json));
	/* the command line gives the same figures */
	const cli = await vets(['stats', 'counter', '--year', '2026', '--as-of', '2026-10-16', '--db', env.db]);
	assert.equal(cli.code, 0, cli.stderr);
	assert.deepEqual(JSON.parse(cli.stdout), r.json);
});

test('tracking is public and shows the steps, never the applicant', async () => {
	const anon = new Client(env.server);
	const code = apps.乙.tracking_code;
	let r = await anon.get(`/track?code=${encodeURIComponent(code.toLowerCase().replaceAll('-', ' '))}`);
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.body, /退役报到/);
	assert.match(r.body, /已办结/);
	assert.match(r.body, /容缺受理/);
	assert.match(r.body, /2026-09-28/);
	assert.match(r.body, /已收到补齐的/, 'the messages sent');
	for (const secret of ['乙', ID.乙, ID.乙.slice(14), PHONE, '5678', '窗口甲', '局领导'])
		assert.ok(!r.body.replace(/<[^>]+>/g, ' ').includes(secret), `${secret} on the tracking page`);
	assert.match(r.body, /id="rating-spot"/);
	r = await anon.get('/track?code=0000-0000-0000-0000');
	assert.equal(r.status, 404);
	assert.match(r.body, /没有查到该查询码对应的办件/);
	r = await anon.get('/track?code=x');
	assert.equal(r.status, 404);
});

test('the window shows at once 受理 or 容缺受理 and what is missing; the receipt carries the QR code', async () => {
	let r = await c.clerk.get('/applications/new?service=T01&materials=' + encodeURIComponent('居民身份证') + '&materials=' + encodeURIComponent('退役证'));
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.body, /id="verdict">容缺受理/);
	assert.match(r.body, /户口簿复印件、近期照片/);
	r = await c.clerk.get('/applications/new?service=T01&materials=' + encodeURIComponent('居民身份证'));
	assert.match(r.body, /不能受理：缺少必要材料 退役证/);
	/* a refused receive comes back to the window with its errors */
	r = await c.clerk.postForm('/applications', [['service', 'T01'], ['materials', '居民身份证'], ['materials', '退役证'], ['name', '丁'], ['id_number', '123'], ['phone', PHONE]]);
	const page = await c.clerk.refused(r);
	assert.match(page.body, /身份证号/);
	r = await c.clerk.get(`/applications/${apps.乙.id}/receipt`);
	assert.equal(r.status, 200);
	assert.match(r.body, new RegExp(apps.乙.tracking_code));
	assert.match(r.body, /<svg class="qr"[^>]*viewBox="0 0 \d+ \d+"/);
	assert.match(r.body, /d="M\d+,\d+h\d+v1h-\d+z/);
});

test('scope: a station sees its street only; the bureau sees all', async () => {
	let r = await api(c.station, 'POST', '/api/v1/applications', { service: 'T02', name: '戊', id_number: idNumber('42010619840505055'), phone: '13800000000', materials: ['居民身份证'] });
	assert.equal(r.status, 201, `${r}`);
	const own = r.json.id;
	r = await api(c.station, 'GET', '/api/v1/applications?queue=all');
	assert.deepEqual(r.json.items.map((i) => i.id), [own]);
	r = await api(c.station, 'GET', `/api/v1/applications/${apps.甲.id}`);
	assert.equal(r.status, 404);
	r = await api(c.station, 'POST', `/api/v1/applications/${apps.甲.id}/close`, {});
	assert.equal(r.status, 404);
	r = await api(c.clerk, 'GET', '/api/v1/applications?queue=all');
	assert.ok(r.json.items.some((i) => i.id === own));
	assert.equal(one(`SELECT region_code FROM applications WHERE id = ${own}`), '420199002');
	/* the station hands its own back (退回), with the reason, told to the applicant */
	r = await api(c.station, 'POST', `/api/v1/applications/${own}/return`, { note: '申请人要求撤回申请' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已退回');
	assert.equal(r.json.closed_on, '2026-10-16');
	assert.match(one(`SELECT text FROM sms_outbox WHERE subject_id = ${own} ORDER BY id DESC LIMIT 1`), /已退回，理由：申请人要求撤回申请/);
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('tracking lookups are limited per client address: 429 in Chinese with Retry-After', async () => {
	const anon = new Client(env.server);
	let last;
	for (let i = 0; i < 25; i++) {
		last = await anon.get(`/track?code=${apps.甲.tracking_code}`);
		if (last.status === 429) break;
	}
	assert.equal(last.status, 429, `${last}`);
	assert.ok(Number(last.headers['retry-after']) >= 1, `${last.headers['retry-after']}`);
	assert.match(last.body, /查询过于频繁/);
	/* the form without a code is not a lookup */
	assert.equal((await anon.get('/track')).status, 200);
});

test('a 补正 note goes to the applicant: 200 characters are taken, personal numbers refused; the 容缺 supply day stands still with the clock', async () => {
	await startAt(at(2026, 10, 16));
	let r = await api(c.clerk, 'POST', '/api/v1/applications', { service: 'T01', name: '庚', id_number: idNumber('42010619860707077'), phone: PHONE, materials: ['居民身份证', '退役证'], promise: true, supply_by: '2026-10-19' });
	assert.equal(r.status, 201, `${r}`);
	const { id } = r.json;
	assert.deepEqual([r.json.due, r.json.supply_by], ['2026-10-23', '2026-10-19']);
	for (const note of [`身份证号 ${ID.甲} 不清晰`, '请联系 13800001111 补交']) {
		r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/correct`, { note });
		assert.equal(r.status, 400, `${r}`);
		assert.deepEqual(r.json.error.fields.map((f) => f.field), ['说明']);
		assert.match(r.json.error.fields[0].message, /不能含身份证号或手机号/);
	}
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/correct`, { note: '请'.repeat(200) });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '补正中');
	/* past the supply day while waiting for 补正: the job leaves it */
	const v = await vets(['jobs', 'run', 'application.deadlines', '--db', env.db], { env: { VETS_FAKE_NOW: String(at(2026, 10, 21)) } });
	assert.equal(v.code, 0, v.stderr + v.stdout);
	assert.equal(one(`SELECT status FROM applications WHERE id = ${id}`), '补正中');
	/* resumed on 10-22: 10-19..10-22 stood still (4 working days); both days move on by them */
	await startAt(at(2026, 10, 22));
	r = await api(c.clerk, 'POST', `/api/v1/applications/${id}/resume`, {});
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '容缺受理');
	assert.deepEqual([r.json.due, r.json.supply_by], ['2026-10-29', '2026-10-23']);
	/* the applicant was told the whole note */
	const text = one(`SELECT text FROM sms_outbox WHERE subject = 'application' AND subject_id = ${id} ORDER BY id DESC LIMIT 1 OFFSET 1`);
	assert.ok(text.includes(`需要补正：${'请'.repeat(200)}`), text);
});
