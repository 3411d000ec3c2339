// pay_demo.test.mjs - the demo district's payment history, checked against the
// database itself: paid monthly batches up to and including 2025-12 and nothing after;
// `vets stats benefits --year` (人, 人次, amounts, lines) equal to counts made directly
// in SQL; every figure's drill-down list holding exactly the lines it counts, for the
// district and for one street; and 2026-01 generated next, once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, cleanup, demoStore, sqlExec, vets } from './lib.mjs';

let db, server, clerk, leaderPassword, reviewerPassword;

before(async () => {
	const r = await demoStore();
	db = r.db;
	const password = r.stdout.match(/^\s*clerk\s+(\S+)/m)[1];
	leaderPassword = r.stdout.match(/^\s*leader\s+(\S+)/m)[1];
	reviewerPassword = r.stdout.match(/^\s*reviewer\s+(\S+)/m)[1];
	server = await Server.start(db);
	clerk = new Client(server);
	await clerk.signIn('clerk', password);
});

after(async () => {
	try {
		if (server?.alive) await server.stop();
	} finally {
		await cleanup();
	}
});

/* The year's figures per benefit, counted here in SQL from the lines themselves. */
function sqlFigures(year, street) {
	const where = street ? `AND l.street_code = '${street}'` : '';
	const rows = sqlExec(
		db,
		`SELECT t.code, count(DISTINCT CASE WHEN l.status = '已发' THEN l.person_id END),
			count(CASE WHEN l.status = '已发' THEN 1 END), coalesce(sum(CASE WHEN l.status = '已发' THEN l.amount_fen END), 0),
			count(l.id), coalesce(sum(l.amount_fen), 0)
		FROM benefit_types t LEFT JOIN pay_batches b ON b.benefit_code = t.code AND substr(b.period, 1, 4) = '${year}'
		LEFT JOIN pay_lines l ON l.batch_id = b.id ${where}
		GROUP BY t.code, t.sort ORDER BY t.sort, t.code;`,
	);
	return rows
		.trim()
		.split('\n')
		.map((line) => {
			const [code, persons, payments, amount, lines, linesAmount] = line.split('|');
			return { code, persons: +persons, payments: +payments, amount_fen: +amount, lines: +lines, lines_amount_fen: +linesAmount };
		});
}

const pick = (b) => ({ code: b.code, persons: b.persons, payments: b.payments, amount_fen: b.amount_fen, lines: b.lines, lines_amount_fen: b.lines_amount_fen });

test('the demo holds paid monthly batches up to and including 2025-12, and nothing after', () => {
	const months = sqlExec(db, "SELECT min(period), max(period), count(DISTINCT period) FROM pay_batches WHERE benefit_code = 'LIVING';").trim();
	assert.equal(months, '2023-01|2025-12|36');
	assert.equal(sqlExec(db, "SELECT count(*) FROM pay_batches WHERE status <> '已审批' OR period > '2025-12';").trim(), '0');
	assert.equal(sqlExec(db, "SELECT count(*) FROM pay_lines WHERE status = '待发';").trim(), '0');
	/* three different people signed every batch */
	assert.equal(sqlExec(db, 'SELECT count(*) FROM pay_batches WHERE created_by = reviewed_by OR reviewed_by = approved_by OR created_by = approved_by;').trim(), '0');
	/* the late 2025 raise: October 2025 paid back pay for August and September */
	assert.ok(Number(sqlExec(db, "SELECT count(*) FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE b.period = '2025-10' AND l.kind = 'backpay' AND l.month IN ('2025-08', '2025-09');")) > 0);
});

test('vets stats benefits equals a count made in SQL, for every year of the history', async () => {
	for (const year of [2023, 2024, 2025, 2026]) {
		const r = await vets(['stats', 'benefits', '--year', String(year), '--db', db]);
		assert.equal(r.code, 0, r.stderr);
		const got = JSON.parse(r.stdout);
		assert.equal(got.year, year);
		assert.deepEqual(got.benefits.map(pick), sqlFigures(year), `year ${year}`);
		if (year === 2026) assert.ok(got.benefits.every((b) => b.lines === 0));
		else if (year === 2023) /* the seed report's 优抚 人次: the rolls came onto the system through 2023 */
			assert.equal(got.benefits.filter((b) => !['CONSCRIPT', 'ENLIST_BONUS', 'PLACEMENT_WAIT'].includes(b.code)).reduce((a, b) => a + b.payments, 0), 11047);
		else assert.ok(got.benefits.find((b) => b.code === 'LIVING').payments > 10000);
	}
});

test('each figure of the statistics page links to the lines it counts', async () => {
	for (const street of [null, '420199002']) {
		const q = street ? `&street=${street}` : '';
		const stats = await clerk.get(`/api/v1/stats/benefits?year=2025${q}`);
		assert.equal(stats.status, 200, `${stats}`);
		assert.deepEqual(stats.json.benefits.map(pick), sqlFigures(2025, street), `street ${street}`);
		for (const b of stats.json.benefits) {
			const paid = await clerk.get(`/api/v1/payments/lines?year=2025&benefit=${b.code}&status=${encodeURIComponent('已发')}&per_page=1${q}`);
			assert.equal(paid.status, 200, `${paid}`);
			assert.equal(paid.json.total, b.payments, `${b.code} 人次 ${street}`);
			assert.equal(paid.json.amount_fen, b.amount_fen, `${b.code} 金额 ${street}`);
			assert.equal(paid.json.persons, b.persons, `${b.code} 人 ${street}`);
			for (const [status, figure] of [['待发', 'pending'], ['失败', 'failed']]) {
				const list = await clerk.get(`/api/v1/payments/lines?year=2025&benefit=${b.code}&status=${encodeURIComponent(status)}&per_page=1${q}`);
				assert.equal(list.json.total, b[figure], `${b.code} ${status} ${street}`);
			}
			const all = await clerk.get(`/api/v1/payments/lines?year=2025&benefit=${b.code}&per_page=1${q}`);
			assert.equal(all.json.total, b.lines);
			assert.equal(all.json.amount_fen, b.lines_amount_fen);
		}
	}
	/* one month: October 2025, with its back pay */
	const oct = await clerk.get('/api/v1/stats/benefits?year=2025&month=10');
	assert.equal(oct.status, 200, `${oct}`);
	const octSql = sqlExec(db, "SELECT count(*), sum(l.amount_fen) FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE b.period = '2025-10' AND l.status = '已发';").trim();
	assert.equal(`${oct.json.benefits.reduce((n, b) => n + b.payments, 0)}|${oct.json.benefits.reduce((n, b) => n + b.amount_fen, 0)}`, octSql);
	const octLines = await clerk.get(`/api/v1/payments/lines?year=2025&month=10&status=${encodeURIComponent('已发')}&per_page=1`);
	assert.equal(`${octLines.json.total}|${octLines.json.amount_fen}`, octSql);
	const page = await clerk.get('/stats/benefits?year=2025');
	assert.equal(page.status, 200);
	assert.match(page.body, /href="\/payments\/lines\?year=2025&amp;benefit=LIVING&amp;status=/);
});

test('2026-01 is the next month: generated once, refused the second time', async () => {
	const first = await vets(['pay', 'generate', '--period', '2026-01', '--db', db]);
	assert.equal(first.code, 0, first.stderr);
	assert.match(first.stdout, /2026-01 定期生活补助，\d+ 笔/);
	const again = await vets(['pay', 'generate', '--period', '2026-01', '--benefit', 'LIVING', '--db', db]);
	assert.equal(again.code, 1);
	assert.match(again.stderr, /已经生成过批次/);
	/* a leader may read everything but sign nothing, whichever way he asks */
	const batch = first.stdout.match(/^批次 (\d+)：2026-01 定期生活补助/m)[1];
	/* the command line lists it (the list is read before it is printed) */
	const list = await vets(['pay', 'list', '--db', db]);
	assert.equal(list.code, 0, list.stderr);
	assert.ok(JSON.parse(list.stdout).some((b) => String(b.id) === batch), list.stdout.slice(0, 300));
	const leader = await vets(['pay', 'review', batch, '--as', 'leader', '--password-stdin', '--db', db], { input: `${leaderPassword}\n` });
	assert.equal(leader.code, 1);
	assert.match(leader.stderr, /没有复核发放批次的权限/);
	const before = await vets(['pay', 'generate', '--period', '2022-12', '--benefit', 'LIVING', '--db', db]);
	assert.equal(before.code, 1);
	assert.match(before.stderr, /不能再生成/);
});

test('2026-01 sent back and generated again: the year counts each line once', async () => {
	const stats = async () => JSON.parse((await vets(['stats', 'benefits', '--year', '2026', '--db', db])).stdout).benefits;
	const before_ = await stats();
	/* the batch holding the newest lines: the next lines take their ids again */
	const [batch, code] = sqlExec(db, 'SELECT b.id, b.benefit_code FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id ORDER BY l.id DESC LIMIT 1;').trim().split('|');
	assert.equal(sqlExec(db, `SELECT period || status FROM pay_batches WHERE id = ${batch};`).trim(), '2026-01待复核');
	const back = await vets(['pay', 'reject', batch, '--reason', '核对', '--as', 'reviewer', '--password-stdin', '--db', db], { input: `${reviewerPassword}\n` });
	assert.equal(back.code, 0, back.stderr);
	const again = await vets(['pay', 'generate', '--period', '2026-01', '--benefit', code, '--db', db]);
	assert.equal(again.code, 0, again.stderr);
	assert.deepEqual(await stats(), before_);
	const d = before_.find((b) => b.code === code);
	assert.equal(sqlExec(db, `SELECT count(*) FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE b.period = '2026-01' AND b.benefit_code = '${code}';`).trim(), String(d.lines));
	const listed = await clerk.get(`/api/v1/payments/lines?year=2026&benefit=${code}&per_page=1`);
	assert.equal(listed.json.total, d.lines);
	assert.equal(listed.json.amount_fen, d.lines_amount_fen);
});
