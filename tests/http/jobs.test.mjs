// jobs.test.mjs - the timed jobs: `vets jobs list` and `vets jobs run NAME` (an unknown
// name, a rerun of the same slot, two runs at once), and `vets serve` running them: the
// latest slot missed while it was down, once, at start (not one run per missed day),
// nothing for a new installation, a slot that comes while it is up, a clean stop; each
// run audited as job.run by the system principal, and the trail still verifies. Time is
// VETS_FAKE_NOW: the days below are in Asia/Shanghai.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SLOW, Server, addUser, auditRows, auditVerify, cleanup, initDb, sqlExec, vets } from './lib.mjs';

/** Epoch seconds of 2026-11-DD HH:MM:SS in Shanghai. */
const at = (day, h, m = 0, s = 0) => Date.UTC(2026, 10, day, h - 8, m, s) / 1000;
const SWEEP = 'verification.sweep';

let db;

before(async () => {
	({ db } = await initDb());
	await addUser(db, 'j_aud', 'auditor');
});

after(cleanup);

const jobs = (args, fakeNow, database = db) =>
	vets(['jobs', ...args, '--db', database], { env: { VETS_FAKE_NOW: String(fakeNow) } });

/** The runs of the sweep: [{slot (local "YYYY-MM-DD HH:MM"), origin, result}] in slot order. */
function runs(database = db) {
	const out = sqlExec(database, `SELECT scheduled_for, origin, result FROM job_runs WHERE job = '${SWEEP}' ORDER BY scheduled_for;`).trim();
	const slot = (t) => new Date((Number(t) + 8 * 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ');
	return out
		? out.split('\n').map((l) => {
				const [t, origin, result] = l.split('|');
				return { slot: slot(t), origin, result };
			})
		: [];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (generously) until the server's runner has done its first pass. */
async function runnerReady(server) {
	const deadline = Date.now() + 20000 * SLOW;
	while (!/event=job\.runner_ready/.test(server.log)) {
		assert.ok(Date.now() < deadline, `the job runner did not start:\n${server.log.slice(-2000)}`);
		await sleep(25);
	}
}

test('list shows each job with its schedule, no last run yet, and the next run', async () => {
	const r = await jobs(['list'], at(10, 10));
	assert.equal(r.code, 0, r.stderr);
	const line = r.stdout.split('\n').find((l) => l.startsWith(`${SWEEP}\t`));
	assert.ok(line, r.stdout);
	assert.deepEqual(line.split('\t'), [SWEEP, '年度确认逾期中止', '每天 02:00', '未运行过', '2026-11-11 02:00']);
});

test('an unknown job is refused with exit code 2 and a Chinese message naming the jobs there are', async () => {
	const r = await jobs(['run', 'verification.swep'], at(10, 10));
	assert.equal(r.code, 2);
	assert.match(r.stderr, /没有名为“verification\.swep”的定时任务/);
	assert.match(r.stderr, /verification\.sweep（年度确认逾期中止）/);
	assert.deepEqual(runs(), []);
	const usage = await jobs(['run'], at(10, 10));
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /请指定要运行的任务名/);
});

test('run runs the latest slot once; a rerun of the same slot is refused, not doubled', async () => {
	const r = await jobs(['run', SWEEP], at(10, 10));
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /已运行“年度确认逾期中止”（计划时间 2026-11-10 02:00）：截至 2026-11-10，2025、2026 年度/);
	const again = await jobs(['run', SWEEP], at(10, 23, 59));
	assert.equal(again.code, 1);
	assert.match(again.stderr, /计划于 2026-11-10 02:00 的运行已经进行过，未重复运行/);
	/* Before 02:00 the latest slot is the day before's. */
	const early = await jobs(['run', SWEEP], at(10, 1, 59));
	assert.equal(early.code, 0, early.stderr);
	assert.match(early.stdout, /计划时间 2026-11-09 02:00/);
	assert.deepEqual(runs(), [
		{ slot: '2026-11-09 02:00', origin: 'command', result: 'ok' },
		{ slot: '2026-11-10 02:00', origin: 'command', result: 'ok' },
	]);
	const list = await jobs(['list'], at(10, 10));
	assert.match(list.stdout, /\t2026-11-10 02:00 成功（命令行）：截至 2026-11-10，[^\t]*\t2026-11-11 02:00\n/);
});

test('two runs of the same slot at once: one runs, the other is refused', async () => {
	const [a, b] = await Promise.all([jobs(['run', SWEEP], at(11, 9)), jobs(['run', SWEEP], at(11, 9))]);
	assert.deepEqual([a.code, b.code].sort(), [0, 1], `${a.stderr}${b.stderr}`);
	assert.match((a.code ? a : b).stderr, /已经进行过，未重复运行/);
	assert.equal(runs().filter((r) => r.slot === '2026-11-11 02:00').length, 1);
	const audited = sqlExec(db, `SELECT count(*) FROM audit_log WHERE action = 'job.run' AND detail LIKE '%计划时间 2026-11-11 02:00%';`);
	assert.equal(audited.trim(), '1');
});

test('after three days down, the server runs the latest missed slot once at start, not once per day', async () => {
	const server = await Server.start(db, { fakeNow: at(14, 10), jobs: true });
	await runnerReady(server);
	assert.deepEqual(runs().slice(3), [{ slot: '2026-11-14 02:00', origin: 'catch_up', result: 'ok' }]);
	/* the next slot of all jobs: tomorrow, at the sweep's 02:00 or at another job's earlier time */
	const next = /event=job\.runner_ready next="2026-11-15 (\d\d:\d\d)"/.exec(server.log);
	assert.ok(next && next[1] <= '02:00', server.log);
	await server.stop(); /* exits 0 */
	/* Started again the same day: that slot has run. */
	const again = await Server.start(db, { fakeNow: at(14, 11), jobs: true });
	await runnerReady(again);
	assert.equal(runs().length, 4);
	await again.stop();
});

test('a slot that comes while the server is up runs at its time', async () => {
	/* Ten seconds before 02:00 from the server's first look at the clock: its start (templates,
	 * migrations) must not reach 02:00, or the slot would count as missed before the start. */
	const server = await Server.start(db, { fakeNow: at(15, 1, 59, 50), jobs: true });
	await runnerReady(server);
	assert.equal(runs().length, 4); /* 11-14's slot is the latest passed; it ran */
	const deadline = Date.now() + 30000 * SLOW;
	while (runs().length < 5) {
		assert.ok(Date.now() < deadline, `no run at 02:00:\n${server.log.slice(-2000)}`);
		await sleep(100);
	}
	assert.deepEqual(runs()[4], { slot: '2026-11-15 02:00', origin: 'schedule', result: 'ok' });
	await server.stop();
});

test('a new installation runs nothing for a time before it was there', async () => {
	const fresh = await initDb();
	const server = await Server.start(fresh.db, { fakeNow: at(20, 10), jobs: true });
	await runnerReady(server);
	assert.deepEqual(runs(fresh.db), []);
	const list = await jobs(['list'], at(20, 10), fresh.db);
	assert.match(list.stdout, /\t未运行过\t2026-11-21 02:00\n/);
	await server.stop();
});

test('every run is in the audit trail as 运行定时任务 by system, and the trail verifies', async () => {
	const server = await Server.start(db, { fakeNow: at(15, 10), jobs: true });
	const auditor = new Client(server);
	await auditor.signIn('j_aud');
	const rows = (await auditRows(auditor, { action: 'job.run' })).reverse();
	assert.equal(rows.length, 5);
	for (const r of rows) {
		assert.equal(r.actor, 'system');
		assert.equal(r.action_title, '运行定时任务');
		assert.equal(r.object, `job:${SWEEP}`);
		assert.equal(r.result, 'ok');
	}
	assert.deepEqual(
		rows.map((r) => r.detail.match(/计划时间 (\S+ \S+)（(.+?)）/).slice(1).join(' ')),
		[
			'2026-11-10 02:00 命令行',
			'2026-11-09 02:00 命令行',
			'2026-11-11 02:00 命令行',
			'2026-11-14 02:00 补运行',
			'2026-11-15 02:00 按时',
		],
	);
	await server.stop();
	const v = await auditVerify(db);
	assert.equal(v.code, 0, v.stderr);
});
