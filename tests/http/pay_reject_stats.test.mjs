// pay_reject_stats.test.mjs - the year's figures do not depend on the batches sent back
// (退回) on the way. Two fresh districts live the same year 2026 (today 2026-11-15):
// the same people, standards and entitlements, monthly batches from July, a line the
// bank fails in July and pays again in August, September approved but not yet
// settled, October waiting for 复核. One of them takes detours: in August the 定期生活补助
// batch (the newest, holding the re-issue) is sent back at 复核 and the 定期抚恤金 batch
// at 审批, and both are generated again — the new lines get the ids of the deleted
// ones, which a batch that named its lines by an id range claimed a second time — and
// October's 定期生活补助 is sent back at 复核 and generated again. Every figure of
// `vets stats benefits` (人, 人次, 金额, 生成笔数, 生成金额, 待发, 失败), for the district and
// each street, must be the same in both, each drill-down list must total its figure,
// and a batch sent back must own no line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 10:00 in Shanghai */
const FIGURES = ['persons', 'payments', 'amount_fen', 'lines', 'lines_amount_fen', 'pending', 'failed'];
const STREETS = ['420199001', '420199002'];

/* Two of each benefit, in both streets; 周复 is the one whose July line fails. */
const PEOPLE = [
	['张残', '残疾军人', '东湖街道', '6', '因战'],
	['李残', '残疾军人', '长青街道', '4', '因公'],
	['王遗', '烈士遗属', '东湖街道', '', ''],
	['陈遗', '病故军人遗属', '长青街道', '', ''],
	['赵复', '在乡复员军人', '东湖街道', '', ''],
	['周复', '在乡复员军人', '长青街道', '', ''],
];
const STANDARDS = [
	'待遇,人员类别,残疾等级,残疾性质,生效日期,国家标准（元/年）,地方增发（元/年）,说明',
	'DISABILITY,,6,因战,2026-01-01,13200,0,测试',
	'DISABILITY,,4,因公,2026-01-01,20400,600,测试',
	'SURVIVOR,烈士遗属,,,2026-01-01,24000,1200,测试',
	'SURVIVOR,病故军人遗属,,,2026-01-01,21000,0,测试',
	'LIVING,在乡复员军人,,,2026-01-01,12345.67,0,测试',
];

const worlds = {};

after(async () => {
	try {
		for (const w of Object.values(worlds)) if (w.server?.alive) await w.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

const upload = (client, p, filename, text) => client.upload(p, filename, text);

/** A district with its people, approved standards and confirmed entitlements, served on NOW. */
async function makeWorld() {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'w_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'w_rev', 'reviewer', { org: '420199' }),
		addUser(db, 'w_appr', 'approver', { org: '420199' }),
	]);
	const dir = tempDir();
	const people = path.join(dir, 'people.csv');
	writeFileSync(
		people,
		['姓名,身份证号,人员类别,街道,残疾等级,残疾性质,开户银行,银行账号']
			.concat(PEOPLE.map(([name, cat, street, grade, nature], i) =>
				`${name},${idNumber(`42010619500101${100 + i}`)},${cat},${street},${grade},${nature},中国银行,62220200000000${10000 + i}`))
			.join('\r\n') + '\r\n',
	);
	let r = await vets(['import', 'persons', people, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	const standards = path.join(dir, 'standards.csv');
	writeFileSync(standards, STANDARDS.join('\r\n') + '\r\n');
	r = await vets(['standard', 'import', standards, '--db', db, '--as', 'w_clerk', '--password-stdin'], { input: PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	for (const id of sqlExec(db, "SELECT id FROM benefit_standards WHERE status = '待审核';").trim().split('\n')) {
		r = await vets(['standard', 'approve', id, '--db', db, '--as', 'w_rev', '--password-stdin'], { input: PASSWORD + '\n' });
		assert.equal(r.code, 0, r.stderr);
	}
	const server = await Server.start(db, { fakeNow: NOW });
	const c = {};
	for (const u of ['clerk', 'rev', 'appr']) {
		c[u] = new Client(server);
		await c[u].signIn(`w_${u}`);
	}
	assert.equal((await c.clerk.postForm('/entitlements/propose', {})).status, 303);
	const proposed = await c.clerk.get(`/api/v1/entitlements?status=${encodeURIComponent('待确认')}&per_page=50`);
	assert.equal(proposed.json.total, PEOPLE.length);
	for (const e of proposed.json.items) {
		const ok = await c.rev.postForm(`/entitlements/${e.id}/confirm`, { start_month: '2026-07' });
		assert.equal(ok.status, 303, `${e.name}: ${ok}`);
	}
	return { db, server, c, rejected: [] };
}

async function generate(w, period, benefit) {
	const r = await api(w.c.clerk, 'POST', '/api/v1/payments/batches', { period, benefit });
	assert.equal(r.status, 201, `${period} ${benefit}: ${r}`);
	return r.json.id;
}

async function sign(w, id, step) {
	const who = step === 'review' ? w.c.rev : w.c.appr;
	const r = await api(who, 'POST', `/api/v1/payments/batches/${id}/${step}`, {});
	assert.equal(r.status, 200, `${step} ${id}: ${r}`);
}

async function reject(w, id, by) {
	const r = await api(w.c[by], 'POST', `/api/v1/payments/batches/${id}/reject`, { reason: '核对后重新生成' });
	assert.equal(r.status, 200, `reject ${id}: ${r}`);
	assert.equal(r.json.status, '已退回');
	w.rejected.push(id);
}

/** The bank's answer to an approved batch: every line paid but those of failName in failMonth. */
async function settle(w, id, failName = '', failMonth = '') {
	const bank = await w.c.clerk.get(`/payments/${id}/bank?format=csv`);
	assert.equal(bank.status, 200, `${bank}`);
	const rows = bank.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
	const lines = rows.map(([no, name, , , amount, memo]) => {
		const fail = name === failName && memo.startsWith(failMonth);
		return `${no},${amount},${fail ? '失败' : '成功'},${fail ? '账户冻结' : ''}`;
	});
	const r = await upload(w.c.clerk, `/payments/${id}/return`, 'return.csv', '流水号,金额,结果,失败原因\r\n' + lines.join('\r\n') + '\r\n');
	assert.equal(r.status, 303, `${r}`);
}

/** July to October, with or without the detours. */
async function liveTheYear(w, detour) {
	for (const period of ['2026-07', '2026-08', '2026-09', '2026-10']) {
		const ids = {};
		/* in this order: the newest batch of the month is LIVING */
		for (const b of ['DISABILITY', 'SURVIVOR', 'LIVING']) ids[b] = await generate(w, period, b);
		if (detour && period === '2026-08') {
			/* LIVING (holding the re-issue of July's failed line) back at 复核; SURVIVOR at 审批 */
			await reject(w, ids.LIVING, 'rev');
			await sign(w, ids.SURVIVOR, 'review');
			await reject(w, ids.SURVIVOR, 'appr');
			ids.LIVING = await generate(w, period, 'LIVING');
			ids.SURVIVOR = await generate(w, period, 'SURVIVOR');
		}
		if (detour && period === '2026-10') {
			await reject(w, ids.LIVING, 'rev');
			ids.LIVING = await generate(w, period, 'LIVING');
		}
		if (period === '2026-10') continue; /* waits for 复核 */
		for (const id of Object.values(ids)) {
			await sign(w, id, 'review');
			await sign(w, id, 'approve');
			if (period === '2026-07') await settle(w, id, '周复', '2026-07');
			else if (period === '2026-08') await settle(w, id);
			/* September: approved, not yet settled */
		}
	}
}

async function stats(w, street) {
	const args = ['stats', 'benefits', '--year', '2026', '--db', w.db];
	if (street) args.push('--street', street);
	const r = await vets(args);
	assert.equal(r.code, 0, r.stderr);
	const j = JSON.parse(r.stdout);
	return Object.fromEntries(j.benefits.map((b) => [b.code, Object.fromEntries(FIGURES.map((f) => [f, b[f]]))]));
}

before(async () => {
	worlds.straight = await makeWorld();
	worlds.detour = await makeWorld();
	await liveTheYear(worlds.straight, false);
	await liveTheYear(worlds.detour, true);
});

test('the detours really happened: three batches sent back, each re-generated', () => {
	const w = worlds.detour;
	assert.equal(w.rejected.length, 3);
	assert.equal(sqlExec(w.db, "SELECT count(*) FROM pay_batches WHERE status = '已退回';").trim(), '3');
	assert.equal(sqlExec(worlds.straight.db, "SELECT count(*) FROM pay_batches WHERE status = '已退回';").trim(), '0');
	/* July's failed line was paid again in August, in both */
	for (const x of Object.values(worlds))
		assert.equal(sqlExec(x.db, 'SELECT count(*) FROM pay_lines WHERE reissue_of IS NOT NULL;').trim(), '1');
});

test('every figure of the year is the same with and without the detours, for the district and each street', async () => {
	const want = await stats(worlds.straight);
	/* the straight year, by hand: 2 people × 4 months per benefit, one line failed and re-issued */
	assert.deepEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, v.lines])),
		{ DISABILITY: 8, SURVIVOR: 8, LIVING: 9, CONSCRIPT: 0, ENLIST_BONUS: 0, PLACEMENT_WAIT: 0 });
	assert.equal(want.LIVING.failed, 1);
	assert.equal(want.LIVING.payments, 4); /* July (one failed) and August, re-issue included */
	assert.equal(want.LIVING.pending, 4); /* September and October */
	assert.deepEqual(await stats(worlds.detour), want);
	for (const street of STREETS) assert.deepEqual(await stats(worlds.detour, street), await stats(worlds.straight, street), street);
	/* The registry's figures of the report (vets stats payments) likewise: the same through the
	 * detours, and the paid 人次 the old statistics count. */
	const figures = async (w) => {
		const r = await vets(['stats', 'payments', '--year', '2026', '--db', w.db]);
		assert.equal(r.code, 0, r.stderr);
		return JSON.parse(r.stdout);
	};
	const straight = await figures(worlds.straight);
	assert.deepEqual(await figures(worlds.detour), straight);
	assert.equal(straight.benefit_payments, want.DISABILITY.payments + want.SURVIVOR.payments + want.LIVING.payments);
	assert.equal(straight.conscript_allowance_payments, want.CONSCRIPT.payments);
});

test('a batch sent back owns no line and shows 0 lines, 0 元', async () => {
	const w = worlds.detour;
	for (const id of w.rejected) {
		const b = await w.c.clerk.get(`/api/v1/payments/batches/${id}`);
		assert.equal(b.status, 200);
		assert.equal(b.json.status, '已退回');
		assert.equal(b.json.lines, 0, `batch ${id}`);
		assert.equal(b.json.amount_fen, 0, `batch ${id}`);
		const lines = await w.c.clerk.get(`/api/v1/payments/lines?batch=${id}`);
		assert.equal(lines.json.total, 0, `batch ${id} lists lines`);
	}
	/* each line is counted in exactly one batch: the batches' totals add up to the lines */
	assert.equal(
		sqlExec(w.db, 'SELECT CAST((SELECT sum(lines) FROM pay_batches) = (SELECT count(*) FROM pay_lines) AS INTEGER);').trim(),
		'1',
	);
});

test('each drill-down list totals its figure, and the lists agree between the two years', async () => {
	const seen = {};
	for (const [name, w] of Object.entries(worlds)) {
		const figures = await stats(w);
		seen[name] = [];
		for (const [code, f] of Object.entries(figures)) {
			const list = async (status) => {
				const q = `/api/v1/payments/lines?year=2026&benefit=${code}&per_page=200${status ? `&status=${encodeURIComponent(status)}` : ''}`;
				const r = await w.c.clerk.get(q);
				assert.equal(r.status, 200, `${r}`);
				return r.json;
			};
			const all = await list(''), paid = await list('已发'), pending = await list('待发'), failed = await list('失败');
			const what = `${name} ${code}`;
			assert.equal(paid.persons, f.persons, `${what} 人`);
			assert.equal(paid.total, f.payments, `${what} 人次`);
			assert.equal(paid.amount_fen, f.amount_fen, `${what} 金额`);
			assert.equal(all.total, f.lines, `${what} 生成笔数`);
			assert.equal(all.amount_fen, f.lines_amount_fen, `${what} 生成金额`);
			assert.equal(pending.total, f.pending, `${what} 待发`);
			assert.equal(failed.total, f.failed, `${what} 失败`);
			assert.equal(all.items.length, f.lines);
			seen[name].push(...all.items.map((l) => `${l.name} ${l.benefit} ${l.month} ${l.kind} ${l.amount_fen} ${l.status}`));
		}
		const year = await w.c.clerk.get('/api/v1/payments/lines?year=2026&per_page=200');
		assert.equal(year.json.total, seen[name].length, `${name}: /payments/lines?year=2026`);
	}
	assert.deepEqual(seen.detour.sort(), seen.straight.sort());
});

test('the statistics page links each figure to a list whose total is that figure', async () => {
	for (const w of Object.values(worlds)) {
		const page = await w.c.clerk.get('/stats/benefits?year=2026');
		assert.equal(page.status, 200);
		const links = [...page.body.matchAll(/<a href="([^"]+)" data-figure="(\w+)">(?:<strong>)?([^<]+)</g)];
		assert.ok(links.length >= 5 * 7, `only ${links.length} links`);
		for (const [, href, figure, shown] of links) {
			const list = await w.c.clerk.get(href.replaceAll('&amp;', '&'));
			assert.equal(list.status, 200);
			const got = Object.fromEntries([...list.body.matchAll(/<strong data-total="(\w+)">([^<]+)<\/strong>/g)].map((m) => [m[1], m[2]]));
			assert.equal(got[figure], shown, `${href} (${figure}): the list shows ${JSON.stringify(got)}, the figure ${shown}`);
		}
	}
});
