// calendar.test.mjs - the holiday calendar as data: `vets calendar import` (the 2026
// arrangement the program ships, then a file with errors refused whole), `vets calendar
// due` across 春节, 国庆节 and their 调休 days and across a year end into a year the
// calendar does not cover (flagged, never silent), and the page a clerk keeps it with:
// one day set and removed (audited), a bad day refused with its field, the deadline tool
// and its API twin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, ROOT, addUser, auditRows, cleanup, initDb, Server, sqlRows, vets } from './lib.mjs';

let env;
const c = {};

before(async () => {
	const { db, dir } = await initDb();
	await Promise.all([
		addUser(db, 'cal_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'cal_station', 'station', { org: '420199' }),
		addUser(db, 'cal_auditor', 'auditor', { org: '420199' }),
	]);
	env = { db, dir };
});

after(async () => {
	await env?.server?.stop();
	await cleanup();
});

const due = async (day, n) => {
	const r = await vets(['calendar', 'due', day, String(n), '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return { day: r.stdout.trim(), flagged: /只按周末推算/.test(r.stderr) };
};

test('the shipped 2026 arrangement imports, twice the same, and counts deadlines across holidays', async () => {
	const file = path.join(ROOT, 'data', 'calendar', '2026.csv');
	let r = await vets(['calendar', 'import', file, '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /2026 年.*39 天（新增 39/);
	r = await vets(['calendar', 'import', file, '--db', env.db]);
	assert.match(r.stdout, /新增 0，修改 0，未变 39，删除 0/);
	const cases = [
		['2026-09-30', 1, '2026-10-08'], /* 国庆 10-01..07 off */
		['2026-09-30', 3, '2026-10-10'], /* Saturday 10-10 worked */
		['2026-09-18', 1, '2026-09-20'], /* Sunday 09-20 worked */
		['2026-02-13', 1, '2026-02-14'], /* Saturday 02-14 worked */
		['2026-02-13', 2, '2026-02-24'], /* 春节 02-15..23 off */
		['2026-02-24', 4, '2026-02-28'], /* Saturday 02-28 worked */
		['2026-12-30', 1, '2026-12-31'],
	];
	for (const [from, n, want] of cases) assert.deepEqual(await due(from, n), { day: want, flagged: false }, `${from} + ${n}`);
	/* past the end of 2026 into 2027, not imported: weekends only, and said so */
	assert.deepEqual(await due('2026-12-31', 1), { day: '2027-01-01', flagged: true });
	assert.deepEqual(await due('2026-12-31', 3), { day: '2027-01-05', flagged: true });
	/* bad input: a clear Chinese error, exit 1 */
	r = await vets(['calendar', 'due', '2026-02-30', '1', '--db', env.db]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /有效日期/);
	r = await vets(['calendar', 'due', '2026-02-01', '99999', '--db', env.db]);
	assert.equal(r.code, 1);
	r = await vets(['calendar', 'due', '2026-02-01', '--db', env.db]);
	assert.equal(r.code, 2);
});

test('an import with one bad row saves nothing and names each row and field', async () => {
	const file = path.join(env.dir, 'bad.csv');
	fs.writeFileSync(file, '日期,类型,说明\n2027-01-01,休,元旦\n2027-01-04,班,周一\n2027-02-30,休,\n');
	const r = await vets(['calendar', 'import', file, '--db', env.db]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 3 行：类型：/);
	assert.match(r.stderr, /第 4 行：日期：/);
	assert.equal(sqlRows(env.db, "SELECT count(*) AS n FROM calendar_days WHERE day >= '2027-01-01'")[0].n, 0);
});

test('a clerk keeps the calendar on its page; a station reads it; the API counts a deadline', async () => {
	env.server = await Server.start(env.db);
	for (const u of ['clerk', 'station', 'auditor']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`cal_${u}`);
	}
	let r = await c.station.get('/calendar?year=2026');
	assert.equal(r.status, 200);
	assert.match(r.body, /2026-10-10/);
	assert.doesNotMatch(r.body, /action="\/calendar\/days"/); /* no form for a station */
	r = await c.station.get('/calendar?year=2027');
	assert.match(r.body, /2027 年尚未录入节假日安排/);
	r = await c.station.get('/calendar?year=2026&from=2026-09-30&n=1');
	assert.match(r.body, /<strong class="mono">2026-10-08<\/strong>/);

	/* a Monday marked 班 is refused with its field; nothing saved */
	r = await c.clerk.refused(await c.clerk.postForm('/calendar/days', { day: '2027-01-04', kind: '班', note: '' }));
	assert.match(r.body, /类型.*不必列为“班”/s);
	r = await c.clerk.postForm('/calendar/days', { day: '2027-01-01', kind: '休', note: '元旦' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.location, '/calendar?year=2027');
	r = await c.clerk.get('/api/v1/calendar/due?from=2026-12-31&n=1');
	assert.equal(r.status, 200);
	/* one day listed does not make 2027's arrangement: still counted as not covered */
	assert.deepEqual(r.json, { from: '2026-12-31', n: 1, due: '2027-01-04', weekends_only: true });
	r = await c.clerk.postForm('/calendar/days/remove', { day: '2027-01-01' });
	assert.equal(r.status, 303);
	r = await c.clerk.get('/api/v1/calendar/due?from=2026-12-31&n=1');
	assert.deepEqual(r.json, { from: '2026-12-31', n: 1, due: '2027-01-01', weekends_only: true });
	r = await c.clerk.get('/api/v1/calendar/due?from=2026-13-01&n=1');
	assert.equal(r.status, 400);
	assert.equal(r.json.error.code, 'invalid');
	/* a file uploaded on the page: one bad row refuses it whole and is named; a good one saves */
	r = await c.clerk.upload('/calendar/import', '2027.csv', '日期,类型\n2027-01-01,休\n2027-01-05,班\n');
	assert.equal(r.status, 400);
	assert.match(r.body, /第 3 行：类型：/);
	r = await c.clerk.upload('/calendar/import', '2027.csv', '日期,类型,说明\r\n2027-01-01,休,元旦\r\n' + ['08', '09', '10', '11'].map((d) => `2027-02-${d},休,春节\r\n`).join(''));
	assert.equal(r.status, 303);
	assert.equal(r.headers.location, '/calendar?year=2027');
	r = await c.clerk.get('/api/v1/calendar/due?from=2026-12-31&n=1');
	assert.deepEqual(r.json, { from: '2026-12-31', n: 1, due: '2027-01-04', weekends_only: false });
	r = await c.clerk.upload('/calendar/import', '2027.txt', 'x');
	assert.equal(r.status, 400);
	assert.match(r.body, /只能上传 .csv 或 .xlsx 文件/);
	r = await c.station.postForm('/calendar/days', { day: '2027-01-01', kind: '休' });
	assert.equal(r.status, 403);

	const rows = await auditRows(c.auditor, { action: 'calendar.' });
	const actions = rows.map((x) => `${x.action} ${x.object}`);
	for (const want of ['calendar.import calendar:2026', 'calendar.set calendar:2027-01-01', 'calendar.remove calendar:2027-01-01', 'calendar.import calendar:2027'])
		assert.ok(actions.includes(want), `${want} in ${actions}`);
});
