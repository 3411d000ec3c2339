// recovery.test.mjs - 追缴: the list of money paid after a benefit's end equals the pay
// lines' sum in SQL; a clerk opens a case, prints the notice, records what comes back
// (bad amounts and more than remains refused, nothing changed), closes it once nothing
// remains; a write-off needs an approver other than the one who asked; what is due follows
// a corrected end; a station sees only its street's cases; every step is audited. The
// tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, assertApiError, auditVerify, cleanup, idNumber, importRegions, initDb, maskId, Server, sqlExec, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const ID = { 甲: idNumber('42010619500101011'), 乙: idNumber('42010619510202022'), 丙: idNumber('42010619520303033') };

let env;
const c = {};
const people = {};
const cases = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'r_clerk', 'clerk', { org: '420199', displayName: '经办甲' }),
		addUser(db, 'r_appr', 'approver', { org: '420199', displayName: '审批丙' }),
		addUser(db, 'r_both', 'clerk', { org: '420199', displayName: '经办兼审批' }),
		addUser(db, 'r_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'r_leader', 'leader', { org: '420199', displayName: '局领导' }),
	]);
	sqlExec(db, "INSERT INTO user_roles (user_id, role, granted_at) SELECT id, 'approver', 0 FROM users WHERE username = 'r_both';");
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'appr', 'both', 'station', 'leader']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`r_${u}`);
	}
	for (const [name, street] of [['甲', '东湖街道'], ['乙', '长青街道'], ['丙', '东湖街道']]) {
		const r = await api(c.clerk, 'POST', '/api/v1/persons', { name: `追缴${name}`, id_number: ID[name], categories: '退役军人', street });
		assert.equal(r.status, 201, `${r}`);
		people[name] = r.json.id;
	}
	/* 残疾抚恤金 for all three, paid 2025-08..2025-12 (乙's December failed at the bank), and a
	 * funeral sum for 乙: neither a failed line nor a funeral sum is to be recovered. */
	const amount = { 甲: 123456, 乙: 100000, 丙: 90000 };
	let sql = '';
	for (const name of ['甲', '乙', '丙'])
		sql += `INSERT INTO entitlements (person_id, benefit_code, region_code, grade, nature, start_month, status, created_at)
			SELECT id, 'DISABILITY', region_code, 6, '因战', '2024-01', '正常', 0 FROM persons WHERE id = ${people[name]};\n`;
	for (const m of ['08', '09', '10', '11', '12']) {
		sql += `INSERT INTO pay_batches (period, benefit_code, status, through, created_at, created_name, region_code) VALUES ('2025-${m}', 'DISABILITY', '已审批', '2025-${m}', 0, '经办甲', '420199');\n`;
		for (const name of ['甲', '乙', '丙']) {
			const status = name === '乙' && m === '12' ? '失败' : '已发';
			sql += `INSERT INTO pay_lines (batch_id, entitlement_id, person_id, benefit_code, month, kind, amount_fen, status, region_code, street_code)
				SELECT (SELECT max(id) FROM pay_batches), e.id, p.id, 'DISABILITY', '2025-${m}', 'regular', ${amount[name]}, '${status}', p.region_code, p.street_code
				FROM persons p JOIN entitlements e ON e.person_id = p.id WHERE p.id = ${people[name]};\n`;
		}
	}
	sql += `INSERT INTO pay_lines (batch_id, entitlement_id, person_id, benefit_code, month, kind, amount_fen, status, region_code, street_code)
		SELECT (SELECT max(id) FROM pay_batches), e.id, p.id, 'DISABILITY', '2025-12', 'funeral', 500000, '已发', p.region_code, p.street_code
		FROM persons p JOIN entitlements e ON e.person_id = p.id WHERE p.id = ${people['乙']};\n`;
	sqlExec(db, sql);
	/* the deaths, reported late: 甲 in October (November and December to recover), 乙 in September
	 * (乙 因病, the cause 残疾抚恤金's funeral sum is paid for: that sum was due) */
	for (const [name, date, cause] of [['甲', '2025-10-08', '因战'], ['乙', '2025-09-15', '因病']]) {
		const r = await api(c.clerk, 'POST', `/api/v1/persons/${people[name]}/status`, { status: '死亡', date, reason: '病故', cause });
		assert.equal(r.status, 200, `${r}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, path, json) {
	return client.request(method, path, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

/* What is due in SQL, straight from the lines: after the end, regular or back pay, paid or pending. */
const DUE_SQL = `SELECT coalesce(sum(l.amount_fen), 0) || '|' || count(l.id) FROM pay_lines l JOIN entitlements e
	ON e.person_id = l.person_id AND e.benefit_code = l.benefit_code
	WHERE e.end_month IS NOT NULL AND l.month > e.end_month AND l.kind IN ('regular', 'backpay') AND l.status IN ('已发', '待发')`;

/** What a refused write must leave alone. */
function state() {
	return sqlExec(env.db, `SELECT * FROM recovery_cases ORDER BY id; SELECT * FROM recovery_payments ORDER BY id; SELECT count(*) FROM audit_log;`);
}

function text(html) {
	return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

test('the list equals the SQL sum of the lines paid after the end, on the page, the API and the command line', async () => {
	const [due, n] = one(DUE_SQL).split('|').map(Number);
	assert.equal(due, 2 * 123456 + 2 * 100000, 'November and December of 甲, October and November of 乙');
	assert.equal(n, 4);
	const r = await c.clerk.get('/api/v1/recoveries?status=all');
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.due_fen, due);
	assert.equal(r.json.items.reduce((s, x) => s + x.line_count, 0), n);
	assert.deepEqual(r.json.items.map((x) => [x.name, x.due_fen, x.status, x.first_month, x.last_month]), [
		['追缴甲', 246912, '未立案', '2025-11', '2025-12'],
		['追缴乙', 200000, '未立案', '2025-10', '2025-11'],
	]);
	const cli = await vets(['pay', 'recoveries', '--db', env.db]);
	assert.equal(cli.code, 0, cli.stderr);
	assert.equal(JSON.parse(cli.stdout).total_fen, due);
	for (const path of ['/recoveries', '/payments/recoveries']) {
		const page = await c.clerk.get(path);
		assert.equal(page.status, 200, `${path}: ${page}`);
		assert.match(text(page.body), /应追缴 4,469\.12 元/);
		assert.match(text(page.body), /追缴甲 东湖街道 残疾抚恤金 2025-10 2025-11 至 2025-12（2 笔） 2,469\.12 0\.00 2,469\.12/);
		assert.equal((page.body.match(/>立案<\/button>/g) ?? []).length, 2);
	}
	/* the benefits' tab points at the list */
	assert.match((await c.clerk.get('/payments')).body, /href="\/recoveries"[^>]*>追缴</);
	/* the leader reads the list but has no button */
	const lead = await c.leader.get('/recoveries');
	assert.equal(lead.status, 200);
	assert.doesNotMatch(lead.body, />立案<\/button>/);
});

test('the filters: one street; open work or closed cases', async () => {
	const street = await c.clerk.get('/api/v1/recoveries?street=420199002');
	assert.deepEqual(street.json.items.map((x) => x.name), ['追缴乙']);
	const closed = await c.clerk.get('/api/v1/recoveries?status=closed');
	assert.deepEqual(closed.json.items, []);
	/* an unknown filter is the open work */
	assert.equal((await c.clerk.get('/api/v1/recoveries?status=nonsense')).json.total, 2);
	const page = await c.clerk.get('/recoveries?street=420199002&status=open');
	assert.match(page.body, /<option value="420199002" selected>长青街道<\/option>/);
	assert.doesNotMatch(page.body, /追缴甲/);
});

test('a clerk opens a case from the list; opening it again finds the same case', async () => {
	const r = await c.clerk.postForm('/recoveries', { person: people['甲'], benefit: 'DISABILITY' });
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/recoveries\/(\d+)$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	cases['甲'] = Number(m[1]);
	const again = await c.clerk.postForm('/recoveries', { person: people['甲'], benefit: 'DISABILITY' });
	assert.equal(again.headers.location, `/recoveries/${cases['甲']}`);
	assert.equal(one(`SELECT count(*) FROM recovery_cases`), '1');
	assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'recovery.open' AND object = 'recovery:${cases['甲']}'`), '1');
	/* nothing to recover: no case */
	const none = await api(c.clerk, 'POST', '/api/v1/recoveries', { person: people['丙'], benefit: 'DISABILITY' });
	assertApiError(none, 404);
	const page = await c.clerk.get(`/recoveries/${cases['甲']}`);
	assert.equal(page.status, 200);
	const t = text(page.body);
	assert.match(t, /应追缴 2,469\.12 元（2 笔/);
	assert.match(t, /尚欠 2,469\.12 元/);
	assert.match(t, /2025-11 正常发放 1,234\.56 第 \d+ 批（2025-11）/);
	assert.match(page.body, new RegExp(`href="/recoveries/${cases['甲']}/notice"`));
});

test('the notice names the bureau, the person with a masked ID, the months, the total and where to pay; no full ID', async () => {
	const r = await c.clerk.get(`/recoveries/${cases['甲']}/notice`);
	assert.equal(r.status, 200, `${r}`);
	const t = text(r.body);
	assert.match(t, /追缴通知书/);
	assert.match(t, /示范区退役军人事务局/);
	assert.ok(t.includes(`追缴甲（身份证号 ${maskId(ID['甲'])} ）`) || t.includes(maskId(ID['甲'])), t);
	assert.ok(!r.body.includes(ID['甲']), 'the full ID number is not on the notice');
	assert.match(t, /2025-11 残疾抚恤金 1,234\.56 2025-12 残疾抚恤金 1,234\.56 合计应退还 2,469\.12/);
	assert.match(t, /到示范区退役军人事务局优抚窗口/);
	assert.match(r.body, /<button type="button" class="btn" data-print hidden>打印<\/button>/, 'partials/print_button');
});

test('bad amounts, dates and methods are refused with Chinese field errors, and nothing changes', async () => {
	const before_ = state();
	const good = { paid_on: '2026-01-10', amount: '100', method: '现金', note: '' };
	for (const amount of ['12.345', '-1', 'abc', '0', '']) {
		const page = await c.clerk.refused(await c.clerk.postForm(`/recoveries/${cases['甲']}/payments`, { ...good, amount }));
		assert.match(text(page.body), /金额 ?：(金额应为大于 0 的元数，最多两位小数|请填写追回金额)/, amount);
		assert.match(page.body, /id="p-amount"[^>]*aria-invalid="true"/, amount);
		assert.ok(page.body.includes(`value="${amount}"`), `${amount}: the typed value stays`);
		const r = await api(c.clerk, 'POST', `/api/v1/recoveries/${cases['甲']}/payments`, { ...good, amount });
		const err = assertApiError(r, 400, 'invalid');
		assert.deepEqual(err.fields.map((f) => f.field), ['金额'], `${r}`);
	}
	for (const [fields, field, message] of [
		[{ paid_on: '2026-13-01' }, '日期', /日期应为 YYYY-MM-DD/],
		[{ paid_on: '2026-02-01' }, '日期', /不能晚于今天/],
		[{ method: '支付宝' }, '方式', /请选择追回方式/],
	]) {
		const r = await api(c.clerk, 'POST', `/api/v1/recoveries/${cases['甲']}/payments`, { ...good, ...fields });
		const err = assertApiError(r, 400, 'invalid');
		assert.equal(err.fields[0].field, field);
		assert.match(err.fields[0].message, message);
	}
	assert.equal(state(), before_);
});

test('a refused amount answers 303 to the case, which shows what was typed and why, again on a refresh, sending nothing', async () => {
	const before_ = state();
	const r = await c.clerk.postForm(`/recoveries/${cases['甲']}/payments`, { paid_on: '2026-01-09', amount: '12.345', method: '银行转账', note: '流水 778' });
	assert.equal(r.status, 303, `${r}`);
	const location = r.headers.location;
	assert.match(location, new RegExp(`^/recoveries/${cases['甲']}\\?form=[0-9a-f]{32}$`));
	for (const round of ['after the refusal', 'on a refresh']) {
		const page = await c.clerk.get(location);
		assert.equal(page.status, 200, `${round}: ${page}`);
		assert.match(page.body, /未保存，请修改以下 1 处后再提交：/, round);
		assert.match(page.body, /<a href="#f-金额">金额<\/a>：金额应为大于 0 的元数/, round);
		assert.ok(page.body.includes('id="f-金额"'), `${round}: the summary links to the field`);
		assert.match(page.body, /id="p-amount"[^>]*value="12\.345"[^>]*aria-invalid="true"/, round);
		assert.match(page.body, /id="p-date"[^>]*value="2026-01-09"/, round);
		assert.match(page.body, /id="p-note"[^>]*value="流水 778"/, round);
		assert.match(page.body, /<option value="银行转账" selected>/, round);
		assert.equal(state(), before_, `${round}: nothing recorded`);
	}
	/* a case without a kept form shows its empty form */
	const plain = await c.clerk.get(`/recoveries/${cases['甲']}`);
	assert.doesNotMatch(plain.body, /未保存|流水 778/);
});

test('a partial amount is recorded; more than remains is refused and changes nothing; the rest closes the case', async () => {
	const r = await api(c.clerk, 'POST', `/api/v1/recoveries/${cases['甲']}/payments`, { paid_on: '2026-01-10', amount: '1,000', method: '现金', note: '收据 001' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.recovered_fen, 100000);
	assert.equal(r.json.remaining_fen, 146912);
	/* closing while money remains is refused */
	const early = await c.clerk.refused(await c.clerk.postForm(`/recoveries/${cases['甲']}/close`, {}));
	assert.match(early.body, /尚有 1,469\.12 元未追回，不能结案/);
	const before_ = state();
	const over = await c.clerk.refused(await c.clerk.postForm(`/recoveries/${cases['甲']}/payments`, { paid_on: '2026-01-12', amount: '1469.13', method: '银行转账', note: '' }));
	assert.match(text(over.body), /金额 ?：超过尚未追回的金额（1,469\.12 元）/);
	assert.equal(state(), before_);
	const rest = await c.clerk.postForm(`/recoveries/${cases['甲']}/payments`, { paid_on: '2026-01-12', amount: '1469.12', method: '银行转账', note: '' });
	assert.equal(rest.status, 303, `${rest}`);
	const page = text((await c.clerk.get(`/recoveries/${cases['甲']}`)).body);
	assert.match(page, /已追回 2,469\.12 元/);
	assert.match(page, /2026-01-10 1,000\.00 现金 收据 001 经办甲 2026-01-12 1,469\.12 银行转账/);
	const close = await c.clerk.postForm(`/recoveries/${cases['甲']}/close`, {});
	assert.equal(close.status, 303, `${close}`);
	assert.equal(one(`SELECT status, closed_name FROM recovery_cases WHERE id = ${cases['甲']}`), '已结清|经办甲');
	/* a closed case takes no more */
	const late = await api(c.clerk, 'POST', `/api/v1/recoveries/${cases['甲']}/payments`, { paid_on: '2026-01-12', amount: '1', method: '现金' });
	assertApiError(late, 409);
	const closed = await c.clerk.get('/api/v1/recoveries?status=closed');
	assert.deepEqual(closed.json.items.map((x) => [x.name, x.status, x.remaining_fen]), [['追缴甲', '已结清', 0]]);
	/* audited: each amount with its yuan, and the closing */
	assert.deepEqual(
		sqlExec(env.db, `SELECT action || ' ' || detail FROM audit_log WHERE object = 'recovery:${cases['甲']}' ORDER BY seq;`).trim().split('\n'),
		[
			'recovery.open 追缴甲 残疾抚恤金，应追缴 2,469.12 元（2 笔）',
			'recovery.record 追缴甲 残疾抚恤金：2026-01-10 1,000.00 元（现金），尚欠 1,469.12 元',
			'recovery.record 追缴甲 残疾抚恤金：2026-01-12 1,469.12 元（银行转账），尚欠 0.00 元',
			'recovery.close 追缴甲 残疾抚恤金：已追回 2,469.12 元，结清',
		],
	);
});

test('what is due follows a corrected end: it is computed from the lines, not copied', async () => {
	const open = await api(c.clerk, 'POST', '/api/v1/recoveries', { person: people['乙'], benefit: 'DISABILITY' });
	assert.equal(open.status, 201, `${open}`);
	cases['乙'] = open.json.id;
	assert.equal((await c.clerk.get(`/api/v1/recoveries/${cases['乙']}`)).json.due_fen, 200000);
	const paid = await api(c.clerk, 'POST', `/api/v1/recoveries/${cases['乙']}/payments`, { paid_on: '2026-01-05', amount: '1500', method: '从其他待遇中扣减' });
	assert.equal(paid.status, 201, `${paid}`);
	/* the death was in October after all: only November is owed, less than was recovered */
	sqlExec(env.db, `UPDATE entitlements SET end_month = '2025-10', death_month = '2025-10' WHERE person_id = ${people['乙']};`);
	const r = await c.clerk.get(`/api/v1/recoveries/${cases['乙']}`);
	assert.equal(r.json.due_fen, 100000);
	assert.equal(r.json.recovered_fen, 150000, 'what was recovered is kept as recorded');
	assert.equal(r.json.remaining_fen, -50000);
	assert.equal(r.json.settled, true);
	assert.deepEqual(r.json.lines.map((l) => l.month), ['2025-11']);
	assert.equal((await c.clerk.get('/api/v1/recoveries?status=all')).json.due_fen, Number(one(DUE_SQL).split('|')[0]));
	const page = await c.clerk.get(`/recoveries/${cases['乙']}`);
	assert.match(text(page.body), /已追回的超过更正后的应追缴金额，超出部分应予退还/);
	assert.match(page.body, /action="\/recoveries\/\d+\/close"/, 'nothing remains: the case may close');
	/* and back to September: 500 yuan remain again */
	sqlExec(env.db, `UPDATE entitlements SET end_month = '2025-09', death_month = '2025-09' WHERE person_id = ${people['乙']};`);
	assert.equal((await c.clerk.get(`/api/v1/recoveries/${cases['乙']}`)).json.remaining_fen, 50000);
});

test('a write-off is asked with a reason and decided by an approver other than the one who asked', async () => {
	const id = cases['乙'];
	const before_ = state();
	const empty = await c.clerk.refused(await c.clerk.postForm(`/recoveries/${id}/writeoff`, { reason: '' }));
	assert.match(text(empty.body), /核销原因 ?：请写明无法追回的原因/);
	assert.equal(state(), before_);
	/* the clerk may not decide; one who asked may not approve his own */
	const asked = await c.both.postForm(`/recoveries/${id}/writeoff`, { reason: '无法追回：无遗产可供清偿' });
	assert.equal(asked.status, 303, `${asked}`);
	assert.equal((await c.clerk.postForm(`/recoveries/${id}/writeoff/approve`, {})).status, 403);
	const self = await c.both.postForm(`/recoveries/${id}/writeoff/approve`, {});
	assert.equal(self.status, 403, `${self}`);
	assert.match(self.body, /核销须由申请人以外的审批人审批/);
	/* while asked, nothing is recorded */
	assertApiError(await api(c.clerk, 'POST', `/api/v1/recoveries/${id}/payments`, { paid_on: '2026-01-12', amount: '1', method: '现金' }), 409);
	const page = await c.appr.get(`/recoveries/${id}`);
	assert.match(text(page.body), /经办兼审批申请核销尚欠的 500\.00 元，原因：无法追回：无遗产可供清偿/);
	assert.equal((await c.appr.postForm(`/recoveries/${id}/writeoff/return`, {})).status, 303);
	assert.equal(one(`SELECT status FROM recovery_cases WHERE id = ${id}`), '追缴中');
	assert.equal((await c.clerk.postForm(`/recoveries/${id}/writeoff`, { reason: '核销：家属无力偿还' })).status, 303);
	const ok = await c.appr.postForm(`/recoveries/${id}/writeoff/approve`, {});
	assert.equal(ok.status, 303, `${ok}`);
	assert.equal(one(`SELECT status, closed_name, writeoff_reason FROM recovery_cases WHERE id = ${id}`), '已核销|审批丙|核销：家属无力偿还');
	/* a decision on a decided case: back to the case with why */
	const again = await c.appr.refused(await c.appr.postForm(`/recoveries/${id}/writeoff/approve`, {}));
	assert.match(text(again.body), /该案件当前为“已核销”，不能/);
	assert.deepEqual(
		sqlExec(env.db, `SELECT action FROM audit_log WHERE object = 'recovery:${id}' ORDER BY seq;`).trim().split('\n'),
		['recovery.open', 'recovery.record', 'recovery.writeoff_ask', 'recovery.writeoff_return', 'recovery.writeoff_ask', 'recovery.writeoff_approve'],
	);
});

test("a station sees its street's case and not another's, and records nothing", async () => {
	const list = await c.station.get('/api/v1/recoveries?status=all');
	assert.deepEqual(list.json.items.map((x) => x.name), ['追缴乙']);
	/* its filter offers its own street only */
	const page = await c.station.get('/recoveries');
	assert.deepEqual([...page.body.matchAll(/<option value="(4201\d+)"/g)].map((m) => m[1]), ['420199002']);
	assert.doesNotMatch(page.body, />立案<\/button>/);
	assert.equal((await c.station.get(`/recoveries/${cases['乙']}`)).status, 200);
	const other = await c.station.get(`/recoveries/${cases['甲']}`);
	assert.equal(other.status, 404);
	assert.match(other.body, /追缴案件不存在/);
	assertApiError(await c.station.get(`/api/v1/recoveries/${cases['甲']}`), 404);
	assert.equal((await c.station.get(`/recoveries/${cases['甲']}/notice`)).status, 404);
	assert.equal((await c.station.postForm(`/recoveries/${cases['乙']}/payments`, { paid_on: '2026-01-10', amount: '1', method: '现金' })).status, 403);
});

test("the person's page shows the lines paid after the death, with the case and its status", async () => {
	const r = await c.clerk.get(`/persons/${people['甲']}`);
	assert.equal(r.status, 200);
	const section = /<section class="panel" id="recoveries"[\s\S]*?<\/section>/.exec(r.body)?.[0];
	assert.ok(section, 'the section is there');
	const t = text(section);
	assert.match(t, /资格终止后发放（应追缴）/);
	assert.match(t, /2025-11 残疾抚恤金 1,234\.56 第 \d+ 批（2025-11） 已结清 2025-12 残疾抚恤金 1,234\.56/);
	assert.match(section, new RegExp(`href="/recoveries/${cases['甲']}">已结清<`));
	assert.match(t, /共 2 笔，合计 2,469\.12 元/);
	/* a living person's page has no such section */
	assert.doesNotMatch((await c.clerk.get(`/persons/${people['丙']}`)).body, /id="recoveries"/);
});

test('a settled case that owes again after a correction is open work, and opening it again reopens it', async () => {
	const id = cases['甲'];
	const names = async (status) => (await c.clerk.get(`/api/v1/recoveries?status=${status}`)).json.items.map((x) => x.name);
	assert.ok(!(await names('open')).includes('追缴甲'), 'settled with nothing left: not open work');
	/* the death was in September after all: October is owed too, after the case closed */
	sqlExec(env.db, `UPDATE entitlements SET end_month = '2025-09', death_month = '2025-09' WHERE person_id = ${people['甲']};`);
	const open = (await c.clerk.get('/api/v1/recoveries?status=open')).json.items.find((x) => x.name === '追缴甲');
	assert.ok(open, 'the settled case that owes again is in the open work');
	assert.deepEqual([open.status, open.remaining_fen, open.reopen], ['已结清', 123456, true]);
	assert.ok(!(await names('closed')).includes('追缴甲'), 'and not among the closed');
	const list = await c.clerk.get('/recoveries?status=open');
	assert.match(list.body, new RegExp(`href="/recoveries/${id}">已结清</a>（需重新追缴）`));
	const page = await c.clerk.get(`/recoveries/${id}`);
	assert.match(text(page.body), /结清后应追缴金额增加，需重新追缴：尚欠 1,234\.56 元/);
	assert.match(page.body, /<button type="submit" class="btn btn-sm btn-primary">重新立案<\/button>/);
	/* still closed until opened again: it takes no amount */
	assertApiError(await api(c.clerk, 'POST', `/api/v1/recoveries/${id}/payments`, { paid_on: '2026-01-14', amount: '1', method: '现金' }), 409);
	const r = await c.clerk.postForm('/recoveries', { person: people['甲'], benefit: 'DISABILITY' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/recoveries/${id}`);
	assert.equal(one(`SELECT status, coalesce(closed_name, '-') FROM recovery_cases WHERE id = ${id}`), '追缴中|-');
	/* opening an open case again changes nothing */
	const again = await api(c.clerk, 'POST', '/api/v1/recoveries', { person: people['甲'], benefit: 'DISABILITY' });
	assert.deepEqual([again.status, again.json.id, again.json.opened, again.json.reopened], [200, id, false, false]);
	assert.doesNotMatch(text((await c.clerk.get(`/recoveries/${id}`)).body), /需重新追缴/);
	const rest = await api(c.clerk, 'POST', `/api/v1/recoveries/${id}/payments`, { paid_on: '2026-01-14', amount: '1234.56', method: '现金', note: '收据 002' });
	assert.equal(rest.status, 201, `${rest}`);
	assert.equal((await c.clerk.postForm(`/recoveries/${id}/close`, {})).status, 303);
	assert.deepEqual(
		sqlExec(env.db, `SELECT action || ' ' || detail FROM audit_log WHERE object = 'recovery:${id}' ORDER BY seq;`).trim().split('\n').slice(3),
		[
			'recovery.close 追缴甲 残疾抚恤金：已追回 2,469.12 元，结清',
			'recovery.reopen 追缴甲 残疾抚恤金：结清后应追缴金额增加，重新追缴，尚欠 1,234.56 元',
			'recovery.record 追缴甲 残疾抚恤金：2026-01-14 1,234.56 元（现金），尚欠 0.00 元',
			'recovery.close 追缴甲 残疾抚恤金：已追回 3,703.68 元，结清',
		],
	);
	assert.ok(!(await names('open')).includes('追缴甲'), 'settled again: off the open work');
});

test('the audit trail still verifies', async () => {
	const r = await auditVerify(env.db);
	assert.equal(r.code, 0, r.stderr);
});
