// pay_summary.test.mjs - the reviewer's summary of the demo's 2026-01 batches, each
// figure next to a count made in SQL on the same database file (printed side by side);
// a batch sent back and generated again keeps a right summary; every benefit of a
// month generated at once (those done already skipped, and said so); several batches
// reviewed and approved at once, each audited, a refused one named with its reason;
// the batch page's words fit the role reading it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, cleanup, demoStore, sqlExec, vets } from './lib.mjs';

let db, server;
const pw = {};
const as = {};

before(async () => {
	const r = await demoStore();
	db = r.db;
	for (const role of ['clerk', 'reviewer', 'approver', 'leader', 'station'])
		pw[role] = r.stdout.match(new RegExp(`^\\s*${role}\\s+(\\S+)`, 'm'))[1];
	server = await Server.start(db);
	for (const role of Object.keys(pw)) {
		as[role] = new Client(server);
		await as[role].signIn(role, pw[role]);
	}
});

after(async () => {
	try {
		if (server?.alive) await server.stop();
	} finally {
		await cleanup();
	}
});

const api = (client, method, p, json) => client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
const rows = (sql) =>
	sqlExec(db, sql)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((l) => l.split('|'));
const one = (sql) => sqlExec(db, sql).trim();

/* The figures of batch id counted in SQL, straight from pay_lines. */
function sqlSummary(id) {
	const [period, benefit] = rows(`SELECT period, benefit_code FROM pay_batches WHERE id = ${id};`)[0];
	const prev = one(`SELECT coalesce((SELECT id FROM pay_batches WHERE benefit_code = '${benefit}' AND period < '${period}' AND status <> '已退回' ORDER BY period DESC LIMIT 1), 0);`);
	const regular = (b) => `SELECT DISTINCT person_id FROM pay_lines WHERE batch_id = ${b} AND kind = 'regular' AND reissue_of IS NULL`;
	const totals = (b) => {
		const [lines, amount, persons] = rows(`SELECT count(*), coalesce(sum(amount_fen), 0), (SELECT count(*) FROM (${regular(b)}) r) FROM pay_lines WHERE batch_id = ${b};`)[0];
		return { lines: +lines, amount_fen: +amount, persons: +persons };
	};
	const ids = (sql) => rows(sql).map((r) => +r[0]);
	return {
		period,
		previous: +prev,
		this: totals(id),
		last: totals(prev),
		added: ids(`${regular(id)} EXCEPT ${regular(prev)} ORDER BY 1;`),
		stopped: ids(`${regular(prev)} EXCEPT ${regular(id)} ORDER BY 1;`),
		streets: rows(
			`SELECT coalesce(street_code, ''), count(*) FILTER (WHERE batch_id = ${id}), coalesce(sum(CASE WHEN batch_id = ${id} THEN amount_fen END), 0),
				count(*) FILTER (WHERE batch_id = ${prev}), coalesce(sum(CASE WHEN batch_id = ${prev} THEN amount_fen END), 0)
			 FROM pay_lines WHERE batch_id IN (${id}, ${prev}) GROUP BY street_code ORDER BY street_code NULLS FIRST;`,
		).map(([code, n, fen, ln, lfen]) => ({ code, lines: +n, amount_fen: +fen, last_lines: +ln, last_amount_fen: +lfen })),
		largest: ids(`SELECT id FROM pay_lines WHERE batch_id = ${id} ORDER BY amount_fen DESC, id LIMIT 10;`),
		reissues: ids(`SELECT id FROM pay_lines WHERE batch_id = ${id} AND reissue_of IS NOT NULL ORDER BY id;`),
		backpay: ids(`SELECT id FROM pay_lines WHERE batch_id = ${id} AND reissue_of IS NULL AND (kind = 'backpay' OR (kind = 'regular' AND month <= (SELECT through FROM pay_batches WHERE id = ${prev}))) ORDER BY id;`),
		flagged: ids(
			`SELECT l.person_id FROM pay_lines l JOIN pay_lines o ON o.batch_id = ${prev} AND o.person_id = l.person_id AND o.month = (SELECT period FROM pay_batches WHERE id = ${prev}) AND o.kind = 'regular' AND o.reissue_of IS NULL
			 WHERE l.batch_id = ${id} AND l.month = '${period}' AND l.kind = 'regular' AND l.reissue_of IS NULL AND abs(l.amount_fen - o.amount_fen) > 1 ORDER BY 1;`,
		),
	};
}

/* The same figures as the summary API gives them. */
function apiFigures(s) {
	const totals = (t) => ({ lines: t.lines, amount_fen: t.amount_fen, persons: t.persons });
	const sorted = (list) => list.items.map((i) => i.person_id).sort((a, b) => a - b);
	return {
		period: s.period,
		previous: s.previous ? s.previous.id : 0,
		this: totals(s.this),
		last: totals(s.last),
		added: sorted(s.added),
		stopped: sorted(s.stopped),
		streets: s.streets.map((x) => ({ code: x.code, lines: x.lines, amount_fen: x.amount_fen, last_lines: x.last_lines, last_amount_fen: x.last_amount_fen })),
		largest: s.largest.map((l) => l.id),
		reissues: s.reissues.items.map((l) => l.id),
		backpay: s.backpay.items.map((l) => l.id),
		flagged: sorted(s.flagged),
	};
}

/* Both side by side in the test's output, one figure a line. */
function sideBySide(t, title, got, want) {
	t.diagnostic(`${title}: figure | summary (API) | SQL`);
	const show = (v) => (Array.isArray(v) ? `[${v.length}] ${v.slice(0, 12).join(',')}${v.length > 12 ? ',…' : ''}` : JSON.stringify(v));
	for (const k of Object.keys(want)) {
		if (k === 'streets') {
			for (let i = 0; i < Math.max(got.streets.length, want.streets.length); i++) {
				const g = got.streets[i] ?? {};
				const w = want.streets[i] ?? {};
				t.diagnostic(`  street ${w.code ?? g.code} | ${g.lines} 笔 ${g.amount_fen} 分 (上期 ${g.last_lines} 笔 ${g.last_amount_fen} 分) | ${w.lines} 笔 ${w.amount_fen} 分 (上期 ${w.last_lines} 笔 ${w.last_amount_fen} 分)`);
			}
		} else t.diagnostic(`  ${k} | ${show(got[k])} | ${show(want[k])}`);
	}
}

let batches; /* the 2026-01 batches, by benefit code */

test('the 2026-01 batches generated for every benefit at once: by the API, then refused again per benefit', async () => {
	const r = await api(as.clerk, 'POST', '/api/v1/payments/batches/due', { period: '2026-01' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.done, 3);
	assert.deepEqual(
		r.json.items.filter((i) => i.done).map((i) => i.name),
		['残疾抚恤金', '定期抚恤金', '定期生活补助'],
	);
	batches = Object.fromEntries(rows("SELECT benefit_code, id FROM pay_batches WHERE period = '2026-01';").map(([c, id]) => [c, +id]));
	assert.equal(Object.keys(batches).length, 3);
	/* each audited as a single generation is */
	assert.equal(one("SELECT count(*) FROM audit_log WHERE action = 'pay.generate' AND object IN (SELECT 'batch:' || id FROM pay_batches WHERE period = '2026-01');"), '3');
	/* again: nothing made, each benefit skipped with its reason */
	const again = await api(as.clerk, 'POST', '/api/v1/payments/batches/due', { period: '2026-01' });
	assert.equal(again.status, 200, `${again}`);
	assert.equal(again.json.done, 0);
	const generated = again.json.items.filter((i) => /已经生成过批次/.test(i.reason));
	assert.deepEqual(generated.map((i) => i.name), ['残疾抚恤金', '定期抚恤金', '定期生活补助'], JSON.stringify(again.json.items));
	assert.ok(again.json.items.every((i) => i.skipped), JSON.stringify(again.json.items));
	/* the page's form: a bad period comes back marked, nothing made */
	const bad = await as.clerk.postForm('/payments/due', { period: '2026-13', benefit: '' });
	assert.equal(bad.status, 400);
	assert.match(bad.body, /应为 YYYY-MM 格式的月份/);
	assert.match(bad.body, /id="g-period" name="period" value="2026-13"[^>]*aria-invalid="true"/);
	/* the reviewer may not generate */
	assert.equal((await api(as.reviewer, 'POST', '/api/v1/payments/batches/due', { period: '2026-02' })).status, 403);
});

test('must show 3: the reviewer’s summary of the 2026-01 batch equals a count made in SQL', async (t) => {
	for (const [code, id] of Object.entries(batches)) {
		const s = await as.reviewer.get(`/api/v1/payments/batches/${id}/summary`);
		assert.equal(s.status, 200, `${s}`);
		const got = apiFigures(s.json);
		const want = sqlSummary(id);
		sideBySide(t, `${code} 第 ${id} 批 2026-01`, got, want);
		assert.deepEqual(got, want, code);
		/* the identity the page states: last + added − stopped */
		assert.equal(s.json.this.persons, s.json.last.persons + s.json.added.total - s.json.stopped.total);
		assert.equal(s.json.change.amount_fen, want.this.amount_fen - want.last.amount_fen);
	}
	/* 定期生活补助: one resumed after a pause, one paused, one dead — each with its reason */
	const living = (await as.reviewer.get(`/api/v1/payments/batches/${batches.LIVING}/summary`)).json;
	assert.equal(living.this.lines, 1533);
	assert.deepEqual(living.added.items.map((i) => i.reason), ['中止结束，恢复发放（中止至 2025-12）']);
	assert.deepEqual(living.stopped.items.map((i) => i.reason).sort(), ['中止发放（自 2026-01 起：服刑期间依规中止）', '死亡（2025-12，因病）']);
	assert.equal(living.reissues.total, 1);
	assert.match(living.reissues.items[0].reissue.fail_reason, /账户状态异常/);
	assert.equal(living.kinds.find((k) => k.title.startsWith('重发')).lines, 1);
	/* the page shows the summary first, then the lines */
	const page = await as.reviewer.get(`/payments/${batches.LIVING}`);
	assert.equal(page.status, 200);
	assert.ok(page.body.indexOf('id="summary"') > 0 && page.body.indexOf('id="summary"') < page.body.indexOf('id="sec-lines"'));
	assert.match(page.body, /新增 1 人/);
	assert.match(page.body, /停发 2 人/);
	/* this batch's amount in 元, as the summary API gives it */
	const yuan = (living.this.amount_fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
	assert.ok(page.body.includes(yuan), yuan);
	/* the later pages of lines point back to it */
	const second = await as.reviewer.get(`/payments/${batches.LIVING}?page=2`);
	assert.equal(second.status, 200);
	assert.doesNotMatch(second.body, /id="summary"/);
	assert.match(second.body, /id="summary-elsewhere"/);
});

test('a station sees the summary of its own street only', async () => {
	const s = await as.station.get(`/api/v1/payments/batches/${batches.LIVING}/summary`);
	assert.equal(s.status, 200, `${s}`);
	const region = one("SELECT region_code FROM users WHERE username = 'station';");
	assert.ok(region.length >= 9, region);
	assert.deepEqual(s.json.streets.map((x) => x.code), [region.slice(0, 9)]);
	const [n, fen] = rows(`SELECT count(*), coalesce(sum(amount_fen), 0) FROM pay_lines WHERE batch_id = ${batches.LIVING} AND substr(region_code, 1, ${region.length}) = '${region}';`)[0];
	assert.deepEqual([s.json.this.lines, s.json.this.amount_fen], [+n, +fen]);
	assert.ok(s.json.this.lines > 0 && s.json.this.lines < 1540);
});

test('a batch sent back and generated again: its summary is still right', async (t) => {
	const id = batches.SURVIVOR;
	const back = await api(as.reviewer, 'POST', `/api/v1/payments/batches/${id}/reject`, { reason: '核对后重新生成' });
	assert.equal(back.status, 200, `${back}`);
	const again = await api(as.clerk, 'POST', '/api/v1/payments/batches/due', { period: '2026-01' });
	assert.equal(again.status, 201, `${again}`);
	const made = again.json.items.filter((i) => i.done);
	assert.deepEqual(made.map((i) => i.name), ['定期抚恤金']);
	batches.SURVIVOR = made[0].batch_id;
	assert.notEqual(batches.SURVIVOR, id);
	const s = await as.reviewer.get(`/api/v1/payments/batches/${batches.SURVIVOR}/summary`);
	const got = apiFigures(s.json);
	const want = sqlSummary(batches.SURVIVOR);
	sideBySide(t, `SURVIVOR regenerated 第 ${batches.SURVIVOR} 批`, got, want);
	assert.deepEqual(got, want);
	/* it compares with 2025-12, not with the batch sent back */
	assert.equal(s.json.previous.period, '2025-12');
	/* the one sent back summarises as empty against the same previous batch */
	const old = await as.reviewer.get(`/api/v1/payments/batches/${id}/summary`);
	assert.equal(old.json.this.lines, 0);
	assert.equal(old.json.previous.period, '2025-12');
});

test('several batches reviewed at once, each audited; a refused one is named with its reason, the others done', async () => {
	/* one reviewed alone first: the period's review then refuses it and does the other two */
	assert.equal((await api(as.reviewer, 'POST', `/api/v1/payments/batches/${batches.DISABILITY}/review`)).status, 200);
	const r = await api(as.reviewer, 'POST', `/api/v1/payments/batches/review?batch=${batches.DISABILITY}&batch=${batches.SURVIVOR}&batch=${batches.LIVING}`);
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.done, 2);
	assert.equal(r.json.period, '2026-01', 'the period of the batches ticked');
	const refused = r.json.items.filter((i) => !i.done);
	assert.deepEqual(refused.map((i) => i.batch_id), [batches.DISABILITY]);
	assert.match(refused[0].reason, /当前为“待审批”，不能复核/);
	assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'pay.review' AND object IN (${Object.values(batches).map((b) => `'batch:${b}'`).join(',')});`), '3');
	/* batches of two periods at once are refused before any */
	const mixed = await api(as.approver, 'POST', `/api/v1/payments/batches/approve?batch=${batches.LIVING}&batch=${one("SELECT id FROM pay_batches WHERE period = '2025-12' LIMIT 1;")}`);
	assert.equal(mixed.status, 400, `${mixed}`);
	assert.match(mixed.json.error?.message ?? mixed.body, /同一期间/);
	assert.equal(one(`SELECT count(*) FROM pay_batches WHERE period = '2026-01' AND status = '已审批';`), '0');
});

test('the approver approves the whole period from the list page, each batch audited', async () => {
	const list = await as.approver.get('/payments');
	assert.match(list.body, /审批本期全部（2026-01，3 批）/);
	assert.match(list.body, new RegExp(`name="batch" value="${batches.LIVING}"`));
	const r = await as.approver.postForm('/payments/approve', { period: '2026-01' });
	assert.equal(r.status, 200, `${r.status}`);
	assert.match(r.body, /2026-01 审批结果：审批 3 批/);
	assert.equal(one("SELECT count(*) FROM pay_batches WHERE period = '2026-01' AND status = '已审批';"), '3');
	assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'pay.approve' AND object IN (${Object.values(batches).map((b) => `'batch:${b}'`).join(',')});`), '3');
	/* nothing is left to approve: the period's button is gone, the action refused */
	const again = await as.approver.postForm('/payments/approve', { period: '2026-01' });
	assert.equal(again.status, 400);
	assert.match(again.body, /没有待审批的批次/);
	/* a reviewer has no 审批 check boxes */
	assert.doesNotMatch((await as.reviewer.get('/payments')).body, /审批所勾选/);
});

test('the batch page speaks to each role of what it can do; the approver is not told to download the bank file', async () => {
	const id = batches.LIVING;
	const page = async (role) => (await as[role].get(`/payments/${id}`)).body;
	const approver = await page('approver');
	assert.match(approver, /您是审批人/);
	assert.doesNotMatch(approver, /下载代发文件/);
	assert.doesNotMatch(approver, /\/bank\?format/);
	const reviewer = await page('reviewer');
	assert.match(reviewer, /您是复核人/);
	assert.doesNotMatch(reviewer, /下载代发文件/);
	const clerk = await page('clerk');
	assert.match(clerk, /您是经办人/);
	assert.match(clerk, /下载代发文件（CSV）/);
	const leader = await page('leader');
	assert.doesNotMatch(leader, /您是(复核|审批|经办)人|下载代发文件/);
	/* after a single approval the approver is told who sends it to the bank */
	assert.doesNotMatch(approver, /可以下载代发文件/);
});

test('vets pay generate --all skips the benefits generated already and says which', async () => {
	const r = await vets(['pay', 'generate', '--period', '2026-01', '--all', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /跳过 定期生活补助：2026-01 定期生活补助 已经生成过批次/);
	assert.match(r.stdout, /生成 0 批/);
});
