// counter_stats.test.mjs - vets stats counter and /counter/stats on a ledger built by hand:
// every figure equals the count worked out below, row by row; each figure's list holds
// exactly the records it counts (its count equals the figure, on the page too); as-of
// moves the figures as the definitions say; the command line, the API and the page agree;
// a station counts its own street only. A second ledger is built through the API as the
// window would (receiving, 补齐, 办结, 不予受理, 退回, ratings, 回访, 整改, an upheld appeal).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, addUser, cleanup, idNumber, importRegions, initDb, Server, sqlExec, tempDir, vets } from './lib.mjs';
import { application, appId, serviceItem } from './ratings_fixture.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* 2026-03-02 */

/* The ledger: [name, accepted_on, due, status, closed_on, 容缺, street, rating]. A rating is
 * [level, rated_on, followup_due, visit_on, fix_on, excluded by an upheld appeal]. */
const LEDGER = [
	['A1', '2025-03-03', '2025-03-10', '已办结', '2025-03-07', 0, '420199001', ['非常满意', '2025-03-07']],
	['A2', '2025-04-01', '2025-04-08', '已办结', '2025-04-10', 1, '420199001', ['不满意', '2025-04-10', '2025-04-17', '2025-04-11', '2025-04-14']],
	['A3', '2025-06-02', '2025-06-09', '已受理', null, 0, '420199002', null],
	['A4', '2025-12-29', '2026-01-06', '已受理', null, 0, '420199001', null],
	['A5', '2025-05-05', '2025-05-12', '不予受理', '2025-05-06', 0, '420199001', ['非常不满意', '2025-05-06', '2025-05-13', '2025-05-07', null]],
	['A6', '2025-07-01', '2025-07-08', '已终止', '2025-07-20', 1, '420199001', null],
	['A7', '2025-08-01', '2025-08-08', '已办结', '2026-01-05', 1, '420199001', null],
	['A8', '2024-12-20', '2025-01-02', '已办结', '2025-01-03', 0, '420199001', ['满意', '2025-01-03']],
	['A9', '2025-09-01', '2025-09-08', '已办结', '2025-09-05', 0, '420199001', ['不满意', '2025-09-05', '2025-09-12', '2025-09-20', '2025-09-20']],
	['A10', '2025-10-09', '2025-10-16', '已办结', '2025-10-15', 0, '420199001', ['非常不满意', '2025-10-15', '2025-10-22', null, null, 1]],
	['A11', '2026-01-05', '2026-01-12', '已受理', null, 0, '420199001', null],
	['A12', '2025-11-03', '2025-11-10', '已办结', '2025-11-10', 0, '420199001', ['基本满意', '2026-01-02']],
];

/* Worked out by hand from the ledger (see each figure's definition in `vets stats counter --help`). */
const EXPECTED_2025 = {
	year: 2025,
	as_of: '2025-12-31',
	accepted: 10, /* all but A8 (2024) and A11 (2026) */
	rongque: 3, /* A2, A6, A7 */
	closed: 5, /* A1, A2, A9, A10, A12 (A7 closed in 2026) */
	closed_on_time: 4, /* A1, A9, A10, A12 (on its due day) */
	overdue: 3, /* A2 closed late, A3 open past due, A7 not closed by 12-31 */
	ratings: { 非常满意: 1, 满意: 1, 基本满意: 0, 不满意: 2, 非常不满意: 1 }, /* A1; A8; -; A2, A9; A5 (A10 upheld, A12 in 2026) */
	bad: 3,
	bad_named: 3,
	bad_followed_in_time: 1, /* A2 (A5 never fixed, A9 visited late) */
};
const LISTS_2025 = {
	accepted: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A9', 'A10', 'A12'],
	rongque: ['A2', 'A6', 'A7'],
	closed: ['A1', 'A2', 'A9', 'A10', 'A12'],
	closed_on_time: ['A1', 'A9', 'A10', 'A12'],
	overdue: ['A2', 'A3', 'A7'],
	level_0: ['A1'],
	level_1: ['A8'],
	level_2: [],
	level_3: ['A2', 'A9'],
	level_4: ['A5'],
	bad: ['A2', 'A5', 'A9'],
	bad_named: ['A2', 'A5', 'A9'],
	bad_followed_in_time: ['A2'],
};
const EXPECTED_JUNE = {
	year: 2025,
	as_of: '2025-06-30',
	accepted: 4, /* A1, A2, A3, A5 */
	rongque: 1,
	closed: 2,
	closed_on_time: 1,
	overdue: 2, /* A2, A3 */
	ratings: { 非常满意: 1, 满意: 1, 基本满意: 0, 不满意: 1, 非常不满意: 1 },
	bad: 2,
	bad_named: 2,
	bad_followed_in_time: 1,
};

let env;
const c = {};
const codes = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 's_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 's_station', 'station', { org: '420199002', displayName: '长青站' }),
	]);
	serviceItem(db);
	let sql = '';
	for (const [name, accepted, due, status, closed, partial, street, rating] of LEDGER) {
		codes[name] = application(db, { accepted_on: accepted, due, status, closed_on: closed, partial, region: street, name: `申请人${name}` });
		if (!rating) continue;
		const [level, on, fdue, visit, fix, excluded] = rating;
		const q = (v) => (v == null ? 'NULL' : `'${v}'`);
		const bad = level === '不满意' || level === '非常不满意' ? 1 : 0;
		sql += `INSERT INTO ratings (application_id, region_code, level, bad, named, channel, rated_on, rated_at, rated_name, followup_due, visit_on, fix_on, excluded, appeal_status)
			VALUES (${appId(db, codes[name])}, '${street}', '${level}', ${bad}, 1, '窗口', '${on}', 0, '窗口甲', ${q(fdue)}, ${q(visit)}, ${q(fix)}, ${excluded ? 1 : 0}, ${excluded ? "'申诉成立'" : 'NULL'});\n`;
	}
	sqlExec(db, sql);
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['leader', 'station']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`s_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function nameOf(code) {
	return Object.keys(codes).find((k) => codes[k] === code);
}

test('vets stats counter prints the hand counts, figure by figure, in the documented order', async () => {
	const r = await vets(['stats', 'counter', '--year', '2025', '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	const got = JSON.parse(r.stdout);
	assert.deepEqual(Object.keys(got), Object.keys(EXPECTED_2025));
	for (const k of Object.keys(EXPECTED_2025)) assert.deepEqual(got[k], EXPECTED_2025[k], k);
	const june = await vets(['stats', 'counter', '--year', '2025', '--as-of', '2025-06-30', '--db', env.db]);
	assert.equal(june.code, 0, june.stderr);
	assert.deepEqual(JSON.parse(june.stdout), EXPECTED_JUNE);
	const help = await vets(['stats', 'counter', '--help']);
	assert.match(help.stdout, /bad_followed_in_time/);
	const bad = await vets(['stats', 'counter', '--year', '20x5', '--db', env.db]);
	assert.equal(bad.code, 2);
});

test('the API gives the same figures; each figure\'s list holds exactly what it counts', async () => {
	let r = await c.leader.get('/api/v1/counter/stats?year=2025');
	assert.equal(r.status, 200, `${r}`);
	assert.deepEqual(r.json, EXPECTED_2025);
	for (const [figure, names] of Object.entries(LISTS_2025)) {
		r = await c.leader.get(`/api/v1/counter/stats/list?year=2025&figure=${figure}`);
		assert.equal(r.status, 200, `${r}`);
		assert.deepEqual(r.json.items.map((i) => nameOf(i.tracking_code)).sort(), [...names].sort(), figure);
		const value = figure.startsWith('level_') ? EXPECTED_2025.ratings[['非常满意', '满意', '基本满意', '不满意', '非常不满意'][Number(figure.slice(6))]] : EXPECTED_2025[figure];
		assert.equal(r.json.total, value, figure);
	}
	r = await c.leader.get('/api/v1/counter/stats?year=2025&as_of=2025-06-30');
	assert.deepEqual(r.json, EXPECTED_JUNE);
	r = await c.leader.get('/api/v1/counter/stats/list?year=2025&figure=nothing');
	assert.equal(r.status, 400);
	r = await c.leader.get('/api/v1/counter/stats?year=2025&as_of=2025-13-01');
	assert.equal(r.status, 400);
});

test('the page: every figure links to its list, whose count equals the figure', async () => {
	const page = await c.leader.get('/counter/stats?year=2025');
	assert.equal(page.status, 200);
	const links = [...page.body.matchAll(/<tr data-figure="([a-z_0-9]+)">[\s\S]*?<a href="([^"]+)">(\d+)<\/a>/g)];
	assert.equal(links.length, 13);
	for (const [, figure, href, value] of links) {
		const list = await c.leader.get(href.replace(/&amp;/g, '&'));
		assert.equal(list.status, 200, `${figure}: ${list}`);
		const total = list.body.match(/id="list-total">(\d+)</)[1];
		assert.equal(total, value, figure);
		assert.equal((list.body.match(/<tr>\s*<td class="nowrap mono">/g) || []).length, Number(value), figure);
	}
});

test('a station counts its own street only', async () => {
	const r = await c.station.get('/api/v1/counter/stats?year=2025');
	assert.equal(r.status, 200);
	assert.equal(r.json.accepted, 1);
	assert.equal(r.json.overdue, 1);
	assert.equal(r.json.bad, 0);
});

test('a ledger built through the API: the figures equal the hand counts, as of today and later', async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'k_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'k_leader', 'leader', { org: '420199', displayName: '局领导' }),
	]);
	const csv = ['事项编码,事项名称,承诺时限,法定依据,材料名称,材料必要',
		'YD-001,退役军人优待证申领,5,《退役军人优待证管理办法》,居民身份证,是',
		'YD-001,退役军人优待证申领,5,《退役军人优待证管理办法》,近期免冠彩色照片,否'].join('\r\n') + '\r\n';
	const file = path.join(tempDir('vets-catalogue-'), 'items.csv');
	writeFileSync(file, csv);
	assert.equal((await vets(['service', 'import', file, '--db', db])).code, 0);
	const server = await Server.start(db, { fakeNow: NOW });
	const clerk = new Client(server);
	await clerk.signIn('k_clerk');
	const leader = new Client(server);
	await leader.signIn('k_leader');
	const api = (who, method, p, json) => who.request(method, p, { json, headers: { 'X-CSRF-Token': who.csrf } });
	const ids = {};
	let n = 0;
	const receive = async (name, all) => {
		const r = await api(clerk, 'POST', '/api/v1/applications', {
			service: 'YD-001', name: `申请人${name}`, id_number: idNumber(`42010619800101${String(100 + ++n)}`),
			phone: `1380718${String(1000 + n)}`, materials: all ? ['居民身份证', '近期免冠彩色照片'] : ['居民身份证'], promise: !all,
		});
		assert.equal(r.status, 201, `${r}`);
		ids[name] = r.json.id;
	};
	const step = async (name, s, body = {}) => {
		const r = await api(clerk, 'POST', `/api/v1/applications/${ids[name]}/${s}`, body);
		assert.equal(r.status, 200, `${name} ${s}: ${r}`);
	};
	const rate = async (name, level) => {
		const r = await api(clerk, 'POST', '/api/v1/ratings', { application: ids[name], level });
		assert.equal(r.status, 201, `${r}`);
		return r.json.id;
	};
	/* B1 closed; B2 容缺, supplied, closed; B3 容缺, open; B4 不予受理; B5 退回; B6 open */
	for (const [name, all] of [['B1', 1], ['B2', 0], ['B3', 0], ['B4', 1], ['B5', 1], ['B6', 1]]) await receive(name, all);
	await step('B1', 'close');
	await step('B2', 'supply', { material: '近期免冠彩色照片' });
	await step('B2', 'close');
	await step('B4', 'refuse', { note: '不属于本事项办理范围' });
	await step('B5', 'return', { note: '申请人要求撤回' });
	await rate('B1', '满意');
	const b2 = await rate('B2', '非常不满意');
	await rate('B4', '不满意');
	const b5 = await rate('B5', '基本满意');
	assert.equal((await api(clerk, 'POST', `/api/v1/ratings/${b2}/visit`, { on: '2026-03-02', note: '电话回访，已致歉' })).status, 200);
	assert.equal((await api(clerk, 'POST', `/api/v1/ratings/${b2}/fix`, { on: '2026-03-02', note: '告知书补充照片规格' })).status, 200);
	assert.equal((await api(clerk, 'POST', `/api/v1/ratings/${b5}/appeal`, { reason: '申请人表示误评' })).status, 200);
	assert.equal((await api(leader, 'POST', `/api/v1/ratings/${b5}/decide`, { decision: 'uphold', note: '属实，申诉成立' })).status, 200);
	const ratings = { 非常满意: 0, 满意: 1, 基本满意: 0, 不满意: 1, 非常不满意: 1 }; /* B5's upheld appeal: not counted */
	const today = {
		year: 2026, as_of: '2026-03-02', accepted: 6, rongque: 2, closed: 2, closed_on_time: 2, overdue: 0,
		ratings, bad: 2, bad_named: 2, bad_followed_in_time: 1, /* B2 followed up; B4 not yet */
	};
	let r = await leader.get('/api/v1/counter/stats?year=2026');
	assert.deepEqual(r.json, today);
	/* as of the day after the due day (2026-03-09): B3 and B6, still open, are overdue */
	r = await leader.get('/api/v1/counter/stats?year=2026&as_of=2026-03-10');
	assert.deepEqual(r.json, { ...today, as_of: '2026-03-10', overdue: 2 });
	r = await leader.get('/api/v1/counter/stats/list?year=2026&as_of=2026-03-10&figure=overdue');
	assert.deepEqual(r.json.items.map((i) => i.application_id).sort(), [ids.B3, ids.B6].sort());
	await server.stop();
	const cli = await vets(['stats', 'counter', '--year', '2026', '--as-of', '2026-03-02', '--db', db]);
	assert.deepEqual(JSON.parse(cli.stdout), today);
});
