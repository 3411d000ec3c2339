// petitions.test.mjs - 信访 and 区长信箱. MUST SHOW 2: a ledger built here by hand, whose
// `vets stats petitions` output equals the counts worked out below, figure by figure, at
// several as-of dates, and whose statistics page links each figure to exactly the records it
// counts. Then: the ledger's import (idempotent by 编号, a changed row updates, a bad row
// refuses the whole file naming row and field), every step of a registered petition with its
// refusals (dates out of order, a late acceptance without a reason, an extension over 30 days
// or a second one, an unknown organisation: nothing saved), the leader's approval, 复查, a
// duplicate, the mailbox's publication only with consent and without personal data, scope,
// and the deadline job. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client, PASSWORD, addUser, auditVerify, cleanup, demoStore, idNumber, importRegions, initDb, Server, sqlExec, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const FAKE = { VETS_FAKE_NOW: String(NOW) };

let env;
const c = {};

/* The ledger. Deadline = 受理日期 + 60 days + 延期天数 (calendar days); "late" acceptance =
 * 受理日期 more than 15 days after 收到日期. Year 2025, as-of 2025-12-31 unless said. */
const HEADER = '编号,来源,收到日期,受理,受理日期,延期天数,办结日期,答复日期';
const LEDGER = [
	/* L01 accepted after 4 days; deadline 03-11; closed in 41 days: on time; replied. */
	'L01,来信,2025-01-06,受理,2025-01-10,,2025-02-20,2025-02-21',
	/* L02 not accepted. */
	'L02,来访,2025-02-03,不予受理,2025-02-08,,,',
	/* L03 accepted after 19 days (decide-by 03-16): LATE; deadline 05-19; closed in 51: on time; replied. */
	'L03,来电,2025-03-01,受理,2025-03-20,,2025-05-10,2025-05-12',
	/* L04 accepted on day 15 exactly (04-16): not late; deadline 06-15; closed ON the deadline day (60): on time. */
	'L04,网上信访,2025-04-01,受理,2025-04-16,,2025-06-15,2025-06-15',
	/* L05 deadline 06-01; closed the DAY AFTER (61 days): late; replied. */
	'L05,区长信箱,2025-04-01,受理,2025-04-02,,2025-06-02,2025-06-03',
	/* L06 extended 30: deadline 08-04; closed on it (90 days): on time only thanks to the extension. */
	'L06,来信,2025-05-05,受理,2025-05-06,30,2025-08-04,2025-08-05',
	/* L07 extended 10: deadline 07-21; closed 07-22 (71 days): late; replied 07-25. */
	'L07,来访,2025-05-10,受理,2025-05-12,10,2025-07-22,2025-07-25',
	/* L08 deadline 08-02, never closed: due (overdue) from 08-03 on; not replied. */
	'L08,来信,2025-06-01,受理,2025-06-03,,,',
	/* L09 accepted after 24 days: LATE; deadline 2026-01-24: not yet due at 2025-12-31. */
	'L09,来电,2025-11-01,受理,2025-11-25,,,',
	/* L10 closed 12-20 (47 days), deadline 2026-01-02: on time; replied 2026-01-05, AFTER as-of 2025-12-31. */
	'L10,来信,2025-11-01,受理,2025-11-03,,2025-12-20,2026-01-05',
	/* L11 year boundary: received 2025-12-28, accepted 2026-01-04 (7 days), closed 2026-01-09 (5 days). */
	'L11,来信,2025-12-28,受理,2026-01-04,,2026-01-09,',
	/* L12 received 2024-12-30: a 2024 petition, never counted in 2025 (closed 2025-02-01 in 29 days). */
	'L12,来信,2024-12-30,受理,2025-01-03,,2025-02-01,2025-02-01',
	/* L13 undecided: received only. */
	'L13,来访,2025-07-01,,,,,',
	/* L14 not accepted, decided late: still not_accepted, never accepted_late. */
	'L14,区长信箱,2025-08-01,不予受理,2025-08-20,,,',
	/* L15 deadline 11-04; closed 11-05 (61 days): late; replied. */
	'L15,来信,2025-09-01,受理,2025-09-05,,2025-11-05,2025-11-06',
	/* L16 deadline 12-07, open: due (overdue); not replied (a reply comes after 办结). */
	'L16,来信,2025-10-01,受理,2025-10-08,,,',
	/* L17 received on the year's last day, accepted the same day; deadline 2026-03-01: open, not due. */
	'L17,网上信访,2025-12-31,受理,2025-12-31,,,',
	/* L18 received 2026-01-02: a 2026 petition. */
	'L18,来信,2026-01-02,受理,2026-01-05,,,',
	/* L19 deadline 12-15, closed on it (60 days): on time; replied ON the as-of day 12-31: counts. */
	'L19,来电,2025-10-15,受理,2025-10-16,,2025-12-15,2025-12-31',
];

/* The hand counts (as the issue defines each figure). */
const EXPECTED = {
	/* as-of 2025-12-31 (the default for 2025, "today" being 2026-01-15) */
	'2025': {
		year: 2025, as_of: '2025-12-31',
		received: 17, /* L01-L11, L13-L17, L19 (not L12: 2024; not L18: 2026) */
		not_accepted: 2, /* L02, L14 */
		accepted: 14, /* the 17 less L02, L14 and the undecided L13 */
		accepted_late: 2, /* L03 (19 days), L09 (24 days); L04 on day 15 is not late */
		closed: 9, /* L01, L03, L04, L05, L06, L07, L10, L15, L19 (L11 closes 2026-01-09) */
		closed_on_time: 6, /* L01, L03, L04 (deadline day), L06 (extension), L10, L19; not L05, L07, L15 */
		due: 11, /* the 9 closed + L08 (deadline 08-02) + L16 (12-07); not L09, L11, L17 */
		replied: 8, /* L01, L03, L04, L05, L06, L07, L15, L19; not L10 (2026-01-05), not L16 (open) */
		avg_days: 60.2, /* (41+51+60+61+90+71+47+61+60) / 9 = 542 / 9 = 60.22 */
		close_rate: 64.3, /* 9 / 14 */
		on_time_rate: 54.5, /* 6 / 11 */
		reply_rate: 57.1, /* 8 / 14 */
	},
	/* as-of 2025-06-30: received and accepted are by 收到日期 in the year, as defined */
	'2025@2025-06-30': {
		year: 2025, as_of: '2025-06-30',
		received: 17, not_accepted: 2, accepted: 14, accepted_late: 2,
		closed: 4, /* L01 02-20, L03 05-10, L04 06-15, L05 06-02 */
		closed_on_time: 3, /* not L05 */
		due: 4, /* the 4 closed; no open deadline before 06-30 (L07's is 07-21) */
		replied: 4, /* L01, L03, L04, L05 */
		avg_days: 53.3, /* (41+51+60+61) / 4 = 53.25 */
		close_rate: 28.6, on_time_rate: 75, reply_rate: 28.6,
	},
	/* as-of 2025-08-02: L08's deadline day itself: not yet past */
	'2025@2025-08-02': {
		year: 2025, as_of: '2025-08-02',
		received: 17, not_accepted: 2, accepted: 14, accepted_late: 2,
		closed: 5, /* + L07 07-22; L06 closes 08-04 */
		closed_on_time: 3,
		due: 5, /* the closed only: L06's deadline is 08-04, L08's 08-02 is not past */
		replied: 5, /* + L07 07-25 */
		avg_days: 56.8, /* (41+51+60+61+71) / 5 = 56.8 */
		close_rate: 35.7, on_time_rate: 60, reply_rate: 35.7,
	},
	/* as-of 2025-08-03: the day after L08's deadline: L08 is due */
	'2025@2025-08-03': {
		year: 2025, as_of: '2025-08-03',
		received: 17, not_accepted: 2, accepted: 14, accepted_late: 2,
		closed: 5, closed_on_time: 3,
		due: 6, /* + L08 */
		replied: 5, avg_days: 56.8,
		close_rate: 35.7, on_time_rate: 50, reply_rate: 35.7,
	},
	/* as-of 2026-01-10: past the year's end, L11 closed (5 days, on time) and L10 replied */
	'2025@2026-01-10': {
		year: 2025, as_of: '2026-01-10',
		received: 17, not_accepted: 2, accepted: 14, accepted_late: 2,
		closed: 10, closed_on_time: 7,
		due: 12, /* 10 closed + L08 + L16; L09's deadline 01-24 not yet */
		replied: 9, /* + L10 */
		avg_days: 54.7, /* 547 / 10 */
		close_rate: 71.4, on_time_rate: 58.3, reply_rate: 64.3,
	},
	/* 2024 (as-of 2024-12-31): L12 alone, accepted, nothing closed yet: 0 ÷ 0 is null */
	'2024': {
		year: 2024, as_of: '2024-12-31',
		received: 1, not_accepted: 0, accepted: 1, accepted_late: 0,
		closed: 0, closed_on_time: 0, due: 0, replied: 0,
		avg_days: null, close_rate: 0, on_time_rate: null, reply_rate: 0,
	},
	/* 2024 as of 2025-03-01: L12 closed in 29 days, on time, replied */
	'2024@2025-03-01': {
		year: 2024, as_of: '2025-03-01',
		received: 1, not_accepted: 0, accepted: 1, accepted_late: 0,
		closed: 1, closed_on_time: 1, due: 1, replied: 1,
		avg_days: 29, close_rate: 100, on_time_rate: 100, reply_rate: 100,
	},
	/* 2026: the default as-of is today, 2026-01-15: L18 accepted, open */
	'2026': {
		year: 2026, as_of: '2026-01-15',
		received: 1, not_accepted: 0, accepted: 1, accepted_late: 0,
		closed: 0, closed_on_time: 0, due: 0, replied: 0,
		avg_days: null, close_rate: 0, on_time_rate: null, reply_rate: 0,
	},
};

/* The codes each figure counts at 2025 / 2025-12-31 (for the drill-down). */
const RECORDS_2025 = {
	received: 'L01 L02 L03 L04 L05 L06 L07 L08 L09 L10 L11 L13 L14 L15 L16 L17 L19',
	not_accepted: 'L02 L14',
	accepted: 'L01 L03 L04 L05 L06 L07 L08 L09 L10 L11 L15 L16 L17 L19',
	accepted_late: 'L03 L09',
	closed: 'L01 L03 L04 L05 L06 L07 L10 L15 L19',
	closed_on_time: 'L01 L03 L04 L06 L10 L19',
	due: 'L01 L03 L04 L05 L06 L07 L08 L10 L15 L16 L19',
	replied: 'L01 L03 L04 L05 L06 L07 L15 L19',
};

function ledgerFile(lines, name = 'ledger.csv') {
	const file = path.join(tempDir('vets-ledger-'), name);
	writeFileSync(file, [HEADER, ...lines].join('\r\n') + '\r\n');
	return file;
}

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'p_clerk', 'clerk', { org: '420199', displayName: '信访经办' }),
		addUser(db, 'p_leader', 'leader', { org: '420199', displayName: '分管局领导' }),
		addUser(db, 'p_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'p_east', 'station', { org: '420199001', displayName: '东湖站' }),
		addUser(db, 'p_reviewer', 'reviewer', { org: '420199' }),
	]);
	env = { db };
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function stats(year, asOf) {
	const args = ['stats', 'petitions', '--year', String(year), '--db', env.db];
	if (asOf) args.push('--as-of', asOf);
	const r = await vets(args, { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	return { text: r.stdout.trim(), json: JSON.parse(r.stdout) };
}

test('MUST SHOW 2: the statistics of the hand-built ledger equal the hand counts, figure by figure', async () => {
	const r = await vets(['petition', 'import', ledgerFile(LEDGER), '--db', env.db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /19 行，新增 19，更新 0，未变 0/);
	for (const [key, want] of Object.entries(EXPECTED)) {
		const [year, asOf] = key.split('@');
		const got = await stats(year, asOf);
		/* the keys in the documented order, each figure equal */
		assert.deepEqual(Object.keys(got.json), Object.keys(EXPECTED['2025']), key);
		for (const k of Object.keys(want)) assert.equal(got.json[k], want[k], `${key}: ${k}`);
	}
	/* one decimal, printed as such */
	const text = (await stats(2025)).text;
	assert.match(text, /"avg_days":60\.2,"close_rate":64\.3,"on_time_rate":54\.5,"reply_rate":57\.1\}$/);
	assert.match((await stats(2025, '2025-06-30')).text, /"on_time_rate":75\.0,/);
	/* bad arguments are misuse */
	for (const args of [['--year', '20x5'], ['--year', '2025', '--as-of', '2025-02-30'], []]) {
		const bad = await vets(['stats', 'petitions', ...args, '--db', env.db]);
		assert.equal(bad.code, 2, `${args}: ${bad.stderr}`);
	}
});

test('the statistics page links every figure to the records it counts, as many as the figure', async () => {
	env.server = await Server.start(env.db, { fakeNow: NOW });
	for (const u of ['clerk', 'leader', 'station', 'east', 'reviewer']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`p_${u}`);
	}
	const page = await c.leader.get('/petitions/stats?year=2025');
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /id="rate-close">64\.3%/);
	assert.match(page.body, /id="rate-on-time">54\.5%/);
	assert.match(page.body, /id="avg-days">60\.2</);
	const s = await c.leader.get('/api/v1/petitions/stats?year=2025');
	assert.equal(s.status, 200);
	assert.match(s.body, /"avg_days":60\.2,/);
	for (const [figure, codes] of Object.entries(RECORDS_2025)) {
		const href = page.body.match(new RegExp(`id="fig-${figure}" href="([^"]+)">(\\d+)<`));
		assert.ok(href, figure);
		assert.equal(Number(href[2]), EXPECTED['2025'][figure], figure);
		const url = href[1].replace(/&amp;/g, '&');
		assert.equal(url, `/petitions?figure=${figure}&year=2025&as_of=2025-12-31`);
		const list = await c.leader.get(url);
		assert.equal(list.status, 200, `${list}`);
		assert.match(list.body, new RegExp(`id="figure-total">${EXPECTED['2025'][figure]}<`));
		const j = await c.leader.get(`/api/v1/${url.slice(1)}&per_page=500`);
		assert.equal(j.json.total, EXPECTED['2025'][figure], figure);
		assert.equal(j.json.items.length, EXPECTED['2025'][figure], figure);
		assert.deepEqual(j.json.items.map((x) => x.code).sort().join(' '), codes, figure);
	}
	/* another as-of: the lists follow it too */
	for (const figure of ['closed', 'due', 'replied']) {
		const j = await c.leader.get(`/api/v1/petitions?figure=${figure}&year=2025&as_of=2025-08-03&per_page=500`);
		assert.equal(j.json.total, EXPECTED['2025@2025-08-03'][figure], figure);
	}
	/* an unknown figure is refused */
	const bad = await c.leader.get('/api/v1/petitions?figure=nothing&year=2025');
	assert.equal(bad.status, 400);
});

test('the ledger imports idempotently by 编号: the same file changes nothing, a changed row updates', async () => {
	const before = one('SELECT count(*) FROM audit_log');
	const again = await vets(['petition', 'import', ledgerFile(LEDGER), '--db', env.db], { env: FAKE });
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stdout, /新增 0，更新 0，未变 19/);
	assert.equal(one('SELECT count(*) FROM audit_log'), before, 'nothing changed, nothing audited');
	/* L08 is closed at last, on 2025-08-01 (before its deadline): one row updated */
	const changed = LEDGER.map((l) => (l.startsWith('L08,') ? 'L08,来信,2025-06-01,受理,2025-06-03,,2025-08-01,2025-08-01' : l));
	const r = await vets(['petition', 'import', ledgerFile(changed), '--db', env.db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 0，更新 1，未变 18/);
	const s = (await stats(2025)).json;
	assert.equal(s.closed, 10);
	assert.equal(s.closed_on_time, 7);
	assert.equal(s.due, 11, 'L08 was due already; now as closed');
	assert.equal(s.replied, 9);
	/* the server, which counted before the change (test 2), counts again: what it keeps follows every write */
	const served = await c.leader.get('/api/v1/petitions/stats?year=2025');
	assert.equal(served.json.closed, 10);
	assert.equal(served.json.closed_on_time, 7);
	/* and back */
	const back = await vets(['petition', 'import', ledgerFile(LEDGER), '--db', env.db], { env: FAKE });
	assert.match(back.stdout, /更新 1，未变 18/);
	assert.equal((await stats(2025)).json.closed, 9);
});

test('a bad ledger row refuses the whole file, naming the row and the field; nothing is saved', async () => {
	const state = () => one("SELECT count(*) || '|' || coalesce(sum(ext_days), 0) || '|' || count(closed_on) FROM petitions");
	const was = state();
	const cases = [
		['L20,来信,2025-02-30,受理,2025-03-01,,,', /第 2 行 收到日期：日期“2025-02-30”无效/],
		['L20,来信,2025-03-01,受理,2025-02-27,,,', /第 2 行 受理日期：受理日期早于收到日期 2025-03-01/],
		['L20,来信,2025-03-01,受理,2025-03-02,,2025-03-01,', /第 2 行 办结日期：办结日期早于受理日期 2025-03-02/],
		['L20,来信,2025-03-01,受理,2025-03-02,31,,', /第 2 行 延期天数：“31”无效，延期天数应为 0 至 30/],
		['L20,传真,2025-03-01,受理,2025-03-02,,,', /第 2 行 来源：未知的来源“传真”/],
		['L20,来信,2025-03-01,同意,2025-03-02,,,', /第 2 行 受理：“同意”无效/],
		['L20,来信,2025-03-01,不予受理,2025-03-02,,2025-03-05,', /第 2 行 办结日期：只有受理的信访件才有延期、办结和答复/],
		['L20,来信,2025-03-01,受理,,,,', /第 2 行 受理日期：请填写/],
		['L20,来信,2025-03-01,受理,2025-03-02,,,2025-03-09', /第 2 行 答复日期：未填写办结日期：办结后才能答复/],
		['L20,来信,2025-03-01,受理,2025-03-02,,2025-03-09,2025-03-08', /第 2 行 答复日期：答复日期早于办结日期 2025-03-09/],
		['L20,来信,2026-01-16,,,,,', /第 2 行 收到日期：日期 2026-01-16 晚于今天 2026-01-15/],
		['L20,来信,2026-01-02,受理,2026-01-16,,,', /第 2 行 受理日期：日期 2026-01-16 晚于今天 2026-01-15/],
		['L20,来信,2026-01-02,受理,2026-01-03,,2026-01-16,', /第 2 行 办结日期：日期 2026-01-16 晚于今天 2026-01-15/],
		['L20,来信,2026-01-02,受理,2026-01-03,,2026-01-05,2026-01-16', /第 2 行 答复日期：日期 2026-01-16 晚于今天 2026-01-15/],
	];
	for (const [line, message] of cases) {
		/* the bad row first, then a good new row and a changed one: none of them saved */
		const file = ledgerFile([line, 'L21,来信,2025-03-01,受理,2025-03-02,,,', 'L01,来信,2025-01-06,受理,2025-01-10,5,2025-02-20,2025-02-21']);
		const r = await vets(['petition', 'import', file, '--db', env.db], { env: FAKE });
		assert.equal(r.code, 1, line);
		assert.match(r.stderr, message, line);
		assert.equal(state(), was, line);
	}
	/* a repeated 编号 and an unknown column */
	let r = await vets(['petition', 'import', ledgerFile(['L30,来信,2025-03-01,,,,,', 'L30,来信,2025-03-01,,,,,']), '--db', env.db]);
	assert.match(r.stderr, /第 3 行 编号：编号“L30”在文件中重复/);
	const file = path.join(tempDir('vets-ledger-'), 'x.csv');
	writeFileSync(file, '编号,来源,收到日期,受理,备注\r\nL31,来信,2025-03-01,,x\r\n');
	r = await vets(['petition', 'import', file, '--db', env.db]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 1 行 表头：未知的列“备注”/);
	assert.equal(state(), was);
});

/* ---- the steps of a registered petition ---- */

const ID = idNumber('42010619650505055');
const ids = {};

async function register(client, fields) {
	return api(client, 'POST', '/api/v1/petitions', {
		source: '来信', name: '信访人甲', id_number: ID, phone: '13900001111', address: '长青街道和平社区 3 栋',
		subject: '优待证办理', content: '申请人反映优待证迟迟未办下来。', received_on: '2026-01-02', ...fields,
	});
}

function step(client, id, name, fields) {
	return api(client, 'POST', `/api/v1/petitions/${id}/${name}`, fields);
}

function rowState(id) {
	return one(`SELECT status || '|' || coalesce(decided_on, '') || '|' || coalesce(ext_state, '') || '|' || ext_days || '|' || coalesce(due_on, '') || '|' || (SELECT count(*) FROM petition_steps WHERE petition_id = ${id}) || '|' || (SELECT count(*) FROM audit_log) FROM petitions WHERE id = ${id}`);
}

test('registering seals the writer: masked on the page and the API, found again by the ID number', async () => {
	let r = await register(c.station, {});
	assert.equal(r.status, 201, `${r}`);
	ids.a = r.json.id;
	assert.match(r.json.code, /^XF-2026-\d{6}$/);
	assert.equal(r.json.status, '待受理');
	assert.equal(r.json.decide_by, '2026-01-17');
	assert.equal(r.json.id_mask, ID.slice(0, 6) + '********' + ID.slice(14));
	assert.equal(r.json.phone_mask, '139****1111');
	assert.ok(!JSON.stringify(r.json).includes(ID));
	assert.ok(!JSON.stringify(r.json).includes('13900001111'));
	assert.equal(one(`SELECT region_code FROM petitions WHERE id = ${ids.a}`), '420199002');
	const raw = one(`SELECT count(*) FROM petitions WHERE id = ${ids.a} AND id_bidx IS NOT NULL AND id_enc IS NOT NULL AND phone_enc IS NOT NULL AND address_enc IS NOT NULL`);
	assert.equal(raw, '1');
	/* a second letter of the same writer names the first */
	r = await register(c.clerk, { subject: '再次反映优待证', received_on: '2026-01-05' });
	assert.equal(r.status, 201);
	ids.b = r.json.id;
	assert.deepEqual(r.json.same_writer.map((x) => x.id), [ids.a]);
	/* bad input names the field */
	r = await register(c.clerk, { source: '传真', id_number: '420106196505050551', received_on: '2026-02-30', name: '' });
	assert.equal(r.status, 400);
	const fields = r.json.error.fields.map((f) => f.field);
	for (const f of ['来源', '姓名', '身份证号', '收到日期']) assert.ok(fields.includes(f), `${f}: ${JSON.stringify(r.json)}`);
	/* the full values only on asking, audited */
	const before = one("SELECT count(*) FROM audit_log WHERE action = 'petition.view_full'");
	const full = await api(c.station, 'POST', `/api/v1/petitions/${ids.a}/reveal`);
	assert.equal(full.status, 200, `${full}`);
	assert.deepEqual(full.json, { id_number: ID, phone: '13900001111', address: '长青街道和平社区 3 栋' });
	assert.equal(Number(one("SELECT count(*) FROM audit_log WHERE action = 'petition.view_full'")), Number(before) + 1);
	assert.equal((await api(c.leader, 'POST', `/api/v1/petitions/${ids.a}/reveal`)).status, 403);
	assert.equal((await api(c.east, 'POST', `/api/v1/petitions/${ids.a}/reveal`)).status, 404);
	const shownFull = await c.station.postForm(`/petitions/${ids.a}/reveal`, {});
	assert.equal(shownFull.status, 200);
	assert.match(shownFull.body, new RegExp(ID));
	/* the other street's station does not see it; the leader does but may not handle */
	assert.equal((await c.east.get(`/api/v1/petitions/${ids.a}`)).status, 404);
	assert.equal((await c.leader.get(`/api/v1/petitions/${ids.a}`)).status, 200);
	assert.equal((await register(c.leader, {})).status, 403);
	/* the form: a refusal comes back with what was typed */
	const form = await c.clerk.postForm('/petitions', { source: '来访', name: '', subject: '表单', content: '内容', received_on: '2026-01-03' });
	const page = await c.clerk.refused(form);
	assert.match(page.body, /姓名<\/a>：请填写姓名/);
	assert.match(page.body, /value="表单"/);
});

test('受理: not before receipt, not after today; after 15 days only with a reason; nothing saved on a refusal', async () => {
	const was = rowState(ids.a);
	let r = await step(c.station, ids.a, 'accept', { on: '2026-01-01' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /日期不能早于上一步的日期 2026-01-02/);
	assert.equal(r.json.error.fields[0].field, '日期');
	r = await step(c.station, ids.a, 'accept', { on: '2026-01-16' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /日期不能晚于今天/);
	assert.equal(rowState(ids.a), was);
	/* the second letter was received 2026-01-05 (decide by 01-20): fine today. The first: the
	 * clock is moved past its 15 days by a letter received long ago */
	const old = await register(c.clerk, { subject: '旧信', received_on: '2025-12-01' });
	ids.old = old.json.id;
	const oldWas = rowState(ids.old);
	r = await step(c.clerk, ids.old, 'accept', { on: '2026-01-10' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '说明');
	assert.match(r.json.error.message, /受理日期已超过收到后 15 日（2025-12-16），请填写逾期受理的原因/);
	assert.equal(rowState(ids.old), oldWas);
	r = await step(c.clerk, ids.old, 'accept', { on: '2026-01-10', note: '信件转递延误' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.decide_note, '信件转递延误');
	/* the first is accepted on time */
	r = await step(c.station, ids.a, 'accept', { on: '2026-01-06' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '办理中');
	assert.equal(r.json.due_on, '2026-03-07');
	/* a second decision is refused */
	r = await step(c.station, ids.a, 'reject', { note: '重复' });
	assert.equal(r.status, 409);
});

test('交办 to a known organisation; 延期 once, 1-30 days, approved by a leader', async () => {
	let was = rowState(ids.a);
	let r = await step(c.station, ids.a, 'assign', { org: 'NOPE', assignee: '王科长', on: '2026-01-07' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '承办单位');
	assert.match(r.json.error.message, /承办单位不存在：NOPE/);
	assert.equal(rowState(ids.a), was);
	r = await step(c.station, ids.a, 'assign', { org: '420199002', assignee: '王科长', on: '2026-01-07' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已交办');
	was = rowState(ids.a);
	for (const [days, msg] of [['31', /延期天数应为 1 至 30 天/], ['0', /延期天数应为 1 至 30 天/], ['x', /延期天数/]]) {
		r = await step(c.station, ids.a, 'extend', { days, note: '需要调查', on: '2026-01-08' });
		assert.equal(r.status, 400, days);
		assert.equal(r.json.error.fields[0].field, '延期天数');
		assert.match(r.json.error.message, msg);
	}
	/* the page's form: refused, back to the petition with the field named */
	const form = await c.station.postForm(`/petitions/${ids.a}/extend`, { days: '45', note: '需要调查', on: '2026-01-08' });
	const shown = await c.station.refused(form);
	assert.match(shown.body, /延期天数<\/a>：延期天数应为 1 至 30 天/);
	r = await step(c.station, ids.a, 'extend', { days: '20', note: '', on: '2026-01-08' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '说明');
	assert.equal(rowState(ids.a), was);
	r = await step(c.station, ids.a, 'extend', { days: '20', note: '需要与民政部门核实', on: '2026-01-08' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.ext_state, 'asked');
	/* a second extension is refused, asked or decided */
	r = await step(c.station, ids.a, 'extend', { days: '5', note: '再延', on: '2026-01-08' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /只能延期一次/);
	/* the clerk may not approve; the leader does */
	r = await step(c.clerk, ids.a, 'extend/approve', {});
	assert.equal(r.status, 403);
	r = await step(c.leader, ids.a, 'extend/approve', { note: '同意', on: '2026-01-08' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.ext_days, 20);
	assert.equal(r.json.due_on, '2026-03-27');
	r = await step(c.station, ids.a, 'extend', { days: '5', note: '再延', on: '2026-01-09' });
	assert.equal(r.status, 409);
	/* the other letter: asked and refused, no second ask */
	await step(c.clerk, ids.b, 'accept', { on: '2026-01-06' });
	r = await step(c.clerk, ids.b, 'extend', { days: '10', note: '待查', on: '2026-01-07' });
	assert.equal(r.status, 200);
	r = await step(c.leader, ids.b, 'extend/refuse', { note: '不同意', on: '2026-01-07' });
	assert.equal(r.json.ext_state, 'refused');
	assert.equal(r.json.ext_days, 0);
	assert.equal((await step(c.clerk, ids.b, 'extend', { days: '10', note: '再申请', on: '2026-01-08' })).status, 409);
});

test('办结, 答复, 复查 within 30 days; every step dated, signed and audited', async () => {
	let r = await step(c.station, ids.a, 'reply', { note: '答复', on: '2026-01-09' });
	assert.equal(r.status, 409, 'no reply before closing');
	r = await step(c.station, ids.a, 'close', { note: '已协调办理优待证', on: '2026-01-07' });
	assert.equal(r.status, 400, 'before the extension asked on 01-08');
	assert.match(r.json.error.message, /日期不能早于上一步的日期 2026-01-08/);
	r = await step(c.station, ids.a, 'close', { note: '已协调办理优待证', on: '2026-01-09' });
	assert.equal(r.status, 200, `${r}`);
	r = await step(c.station, ids.a, 'reply', { note: '您的优待证已办理，请到街道领取。', on: '2026-01-10' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已答复');
	r = await step(c.station, ids.a, 'review', { on: '2026-01-12', note: '对答复不满意' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.review_due, '2026-02-11');
	r = await step(c.station, ids.a, 'review/answer', { on: '2026-01-14', note: '维持原答复' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '已复查');
	assert.deepEqual(r.json.steps.map((s) => [s.step, s.on_day]), [
		['register', '2026-01-02'], ['accept', '2026-01-06'], ['assign', '2026-01-07'], ['extend', '2026-01-08'],
		['extend_approve', '2026-01-08'], ['close', '2026-01-09'], ['reply', '2026-01-10'], ['review_ask', '2026-01-12'],
		['review_answer', '2026-01-14'],
	]);
	const actions = one(`SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE object = 'petition:${ids.a}' AND action <> 'petition.view_full' ORDER BY seq) a`);
	assert.equal(actions, 'petition.register,petition.accept,petition.assign,petition.extend,petition.extend_approve,petition.close,petition.reply,petition.review_ask,petition.review_answer');
	/* every change of status (and the new deadline) queued a message to the writer, nothing sensitive in it */
	const texts = sqlExec(env.db, `SELECT text FROM sms_outbox WHERE subject = 'petition' AND subject_id = ${ids.a} ORDER BY id`).trim().split('\n');
	assert.equal(texts.length, 8, texts.join('\n'));
	assert.match(texts[0], /^您的信访事项（编号 XF-2026-\d{6}）已登记/);
	assert.match(texts[1], /已受理，将于 2026-03-07 前办结/);
	assert.match(texts[3], /办理期限延长 20 日，将于 2026-03-27 前办结/);
	assert.ok(texts.every((t) => !t.includes('13900001111') && !t.includes(ID) && !t.includes('信访人甲')));
	/* the ledger's rows have no phone: nothing queued for them */
	assert.equal(one("SELECT count(*) FROM sms_outbox o JOIN petitions p ON p.id = o.subject_id AND o.subject = 'petition' WHERE p.imported <> 0"), '0');
	/* a 复查 asked more than 30 days after the reply is refused */
	await step(c.clerk, ids.old, 'close', { note: '办结', on: '2026-01-11' });
	sqlExec(env.db, `UPDATE petitions SET replied_on = '2025-12-01', status = '已答复' WHERE id = ${ids.old}`);
	r = await step(c.clerk, ids.old, 'review', { on: '2026-01-12' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /复查申请须在答复后 30 日内（2025-12-31 前）提出/);
	/* the page shows the steps */
	const page = await c.station.get(`/petitions/${ids.a}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /维持原答复/);
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('a duplicate is linked to its original and not accepted again', async () => {
	const r0 = await register(c.clerk, { subject: '第三次反映', received_on: '2026-01-08' });
	const dup = r0.json.id;
	const code = one(`SELECT code FROM petitions WHERE id = ${ids.a}`);
	let r = await step(c.clerk, dup, 'duplicate', { of: 'XF-0000-000000' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.fields[0].field, '原件编号');
	r = await step(c.clerk, dup, 'duplicate', { of: code });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.status, '不予受理');
	assert.deepEqual(r.json.duplicate_of, { id: ids.a, code });
});

test('区长信箱: a reply is published only with consent, without the writer\'s name, ID, phone or address', async () => {
	const make = async (consent) => {
		const r = await register(c.clerk, { source: '区长信箱', consent, subject: '公园健身器材', content: '信访人甲反映小区健身器材损坏。', received_on: '2026-01-03' });
		const id = r.json.id;
		await step(c.clerk, id, 'accept', { on: '2026-01-04' });
		await step(c.clerk, id, 'close', { on: '2026-01-05', note: '已维修' });
		await step(c.clerk, id, 'reply', { on: '2026-01-06', note: '信访人甲您好，器材已维修。' });
		return id;
	};
	const no = await make(false);
	let r = await step(c.clerk, no, 'publish', { question: '反映健身器材损坏。', reply: '器材已维修。' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /写信人未同意公开，不能发布/);
	const yes = await make(true);
	for (const [field, text, what] of [['question', '信访人甲反映器材损坏。', '姓名'], ['reply', '请致电 13900001111。', '联系电话'], ['reply', `身份证 ${ID}`, '身份证号']]) {
		const body = { question: '反映健身器材损坏。', reply: '器材已维修。', [field]: text };
		r = await step(c.clerk, yes, 'publish', body);
		assert.equal(r.status, 400, what);
		assert.match(r.json.error.message, new RegExp(`公开版本含有写信人的${what}`));
	}
	let pub = await c.leader.get('/api/v1/petitions/published');
	assert.equal(pub.json.items.length, 0);
	r = await step(c.clerk, yes, 'publish', { question: '市民反映小区健身器材损坏。', reply: '您好，器材已维修。' });
	assert.equal(r.status, 200, `${r}`);
	pub = await c.leader.get('/api/v1/petitions/published');
	assert.equal(pub.json.items.length, 1);
	assert.deepEqual(Object.keys(pub.json.items[0]).sort(), ['code', 'id', 'office', 'published_on', 'question', 'received_on', 'replied_on', 'reply']);
	assert.ok(!JSON.stringify(pub.json).includes('信访人甲'));
	/* a letter (not the mailbox) is never published */
	r = await step(c.clerk, ids.a, 'publish', { question: 'x', reply: 'y' });
	assert.equal(r.status, 409);
});

test('the deadline job flags what is overdue for the desk and the leaders, with counts', async () => {
	/* as of the run: L08 and L16 (办结超期), L09 (deadline 2026-01-24) not yet; L13 undecided since 2025-07 */
	const r = await vets(['jobs', 'run', 'petition.deadlines', '--db', env.db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	const flagged = one("SELECT group_concat(code || ':' || flag, ' ') FROM (SELECT code, flag FROM petitions WHERE flag <> '' ORDER BY code) f");
	assert.equal(flagged, 'L08:办结超期 L13:受理超期 L16:办结超期');
	const list = await c.leader.get('/api/v1/petitions?overdue=1');
	assert.equal(list.json.total, 3);
	const page = await c.clerk.get('/petitions?overdue=1');
	assert.equal(page.status, 200);
	assert.match(page.body, /信访[^<]*<[^>]*>3</);
	/* the station's street has none of them */
	assert.equal((await c.station.get('/api/v1/petitions?overdue=1')).json.total, 0);
});

test('the desk\'s list filters by status and source', async () => {
	const a = await c.clerk.get('/api/v1/petitions?status=' + encodeURIComponent('不予受理'));
	assert.deepEqual(a.json.items.map((x) => x.code).filter((x) => x.startsWith('L')).sort(), ['L02', 'L14']);
	const b = await c.clerk.get('/api/v1/petitions?source=' + encodeURIComponent('区长信箱') + '&per_page=100');
	assert.ok(b.json.items.every((x) => x.source === '区长信箱'));
	const page = await c.clerk.get('/petitions');
	assert.equal(page.status, 200);
	assert.match(page.body, /登记信访/);
});

test('the demo: 2023 with every accepted petition closed and replied, later years as they are', async () => {
	const { db } = await demoStore();
	const get = async (year) => {
		const r = await vets(['stats', 'petitions', '--year', String(year), '--db', db]);
		assert.equal(r.code, 0, r.stderr);
		return JSON.parse(r.stdout);
	};
	const y2023 = await get(2023);
	assert.ok(y2023.accepted > 200, JSON.stringify(y2023));
	assert.equal(y2023.closed, y2023.accepted);
	assert.equal(y2023.replied, y2023.accepted);
	assert.equal(y2023.close_rate, 100);
	assert.equal(y2023.reply_rate, 100);
	assert.ok(y2023.not_accepted > 0 && y2023.accepted_late > 0);
	const y2024 = await get(2024);
	assert.ok(y2024.received > 200 && y2024.on_time_rate < 100 && y2024.reply_rate < 100, JSON.stringify(y2024));
	/* the desk's recent petitions have writers, masked */
	const named = sqlExec(db, "SELECT count(*) FROM petitions WHERE name <> '' AND id_enc IS NOT NULL AND id_mask <> ''").trim();
	assert.equal(named, '40');
});

/* ---- the ledger kept in Excel, and its limits ---- */

const CRC = Array.from({ length: 256 }, (_, n) => {
	let v = n;
	for (let k = 0; k < 8; k++) v = v & 1 ? 0xedb88320 ^ (v >>> 1) : v >>> 1;
	return v >>> 0;
});

function crc32(buf) {
	let v = 0xffffffff;
	for (const b of buf) v = CRC[(v ^ b) & 0xff] ^ (v >>> 8);
	return (v ^ 0xffffffff) >>> 0;
}

/* A zip of deflated entries {name: text}. */
function zipOf(entries) {
	const parts = [];
	const central = [];
	let offset = 0;
	for (const [name, text] of Object.entries(entries)) {
		const data = Buffer.from(text, 'utf8');
		const packed = zlib.deflateRawSync(data);
		const nameBuf = Buffer.from(name, 'utf8');
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc32(data), 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		const entry = Buffer.alloc(46);
		entry.writeUInt32LE(0x02014b50, 0);
		entry.writeUInt16LE(20, 4);
		entry.writeUInt16LE(20, 6);
		entry.writeUInt16LE(0x0800, 8);
		entry.writeUInt16LE(8, 10);
		entry.writeUInt32LE(crc32(data), 16);
		entry.writeUInt32LE(packed.length, 20);
		entry.writeUInt32LE(data.length, 24);
		entry.writeUInt16LE(nameBuf.length, 28);
		entry.writeUInt32LE(offset, 42);
		parts.push(local, nameBuf, packed);
		central.push(entry, nameBuf);
		offset += 30 + nameBuf.length + packed.length;
	}
	const dir = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(central.length / 2, 8);
	end.writeUInt16LE(central.length / 2, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, dir, end]);
}

/* The day number a spreadsheet keeps for a date (days since 1899-12-30). */
const daySerial = (iso) => (Date.parse(iso + 'T00:00:00Z') - Date.UTC(1899, 11, 30)) / 86400000;

/* An .xlsx ledger: the header and rows of cells; a cell {n} is a number cell (a date). */
function ledgerXlsx(rows) {
	const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const xml = [HEADER.split(','), ...rows]
		.map((cells, r) => `<row r="${r + 1}">${cells
			.map((v, i) => {
				const ref = `${String.fromCharCode(65 + i)}${r + 1}`;
				if (typeof v === 'object') return `<c r="${ref}"><v>${v.n}</v></c>`;
				return v === '' ? '' : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
			})
			.join('')}</row>`)
		.join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	const pkg = 'http://schemas.openxmlformats.org/package/2006';
	const file = path.join(tempDir('vets-ledger-'), '台账.xlsx');
	writeFileSync(file, zipOf({
		'[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${xml}</sheetData></worksheet>`,
	}));
	return file;
}

test('an Excel ledger\'s date cells are read as the dates they show', async () => {
	const d = (iso) => ({ n: daySerial(iso) });
	const file = ledgerXlsx([
		['X01', '来信', d('2025-03-01'), '受理', d('2025-03-03'), '', d('2025-04-10'), d('2025-04-12')],
		['X02', '来访', '2025-05-06', '不予受理', { n: daySerial('2025-05-08') + '.0' }, '', '', ''],
	]);
	const r = await vets(['petition', 'import', file, '--db', env.db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /2 行，新增 2/);
	assert.equal(one("SELECT received_on || ' ' || decided_on || ' ' || closed_on || ' ' || replied_on || ' ' || due_on FROM petitions WHERE code = 'X01'"),
		'2025-03-01 2025-03-03 2025-04-10 2025-04-12 2025-05-02');
	assert.equal(one("SELECT decided_on FROM petitions WHERE code = 'X02'"), '2025-05-08');
	/* a day number that is no date is refused, naming the row and the field */
	const bad = await vets(['petition', 'import', ledgerXlsx([['X03', '来信', { n: 0 }, '', '', '', '', '']]), '--db', env.db], { env: FAKE });
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /第 2 行 收到日期：日期“0”无效/);
	assert.equal(one("SELECT count(*) FROM petitions WHERE code = 'X03'"), '0');
});

test('an extension is decided by a leader other than the one who asked for it', async () => {
	await addUser(env.db, 'p_both', 'clerk', { org: '420199', displayName: '经办兼领导' });
	sqlExec(env.db, "INSERT INTO user_roles (user_id, role, granted_at) SELECT id, 'leader', 0 FROM users WHERE username = 'p_both';");
	c.both = new Client(env.server);
	await c.both.signIn('p_both');
	const id = (await register(c.clerk, { subject: '延期自审', received_on: '2026-01-10' })).json.id;
	assert.equal((await step(c.clerk, id, 'accept', { on: '2026-01-11' })).status, 200);
	let r = await step(c.both, id, 'extend', { days: '10', note: '需要调查', on: '2026-01-12' });
	assert.equal(r.status, 200, `${r}`);
	/* the page offers the asker neither the decision nor 办结; another leader the decision */
	assert.ok(!r.json.actions.includes('extend_approve') && !r.json.actions.includes('close'), `${r.json.actions}`);
	const other = await c.leader.get(`/api/v1/petitions/${id}`);
	assert.ok(other.json.actions.includes('extend_approve'), `${other.json.actions}`);
	const was = rowState(id);
	r = await step(c.both, id, 'extend/approve', { note: '同意', on: '2026-01-12' });
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.json.error.message, /不能审批本人提出的延期申请/);
	r = await step(c.both, id, 'extend/refuse', { note: '不同意', on: '2026-01-12' });
	assert.equal(r.status, 403, `${r}`);
	assert.equal(rowState(id), was, 'nothing saved');
	r = await step(c.leader, id, 'extend/approve', { note: '同意', on: '2026-01-12' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.ext_days, 10);
	ids.selfAsked = id;
});

test('办结 waits for a pending extension\'s decision; a closed petition\'s extension is not decided', async () => {
	const id = (await register(c.clerk, { subject: '延期未批', received_on: '2026-01-10' })).json.id;
	assert.equal((await step(c.clerk, id, 'accept', { on: '2026-01-11' })).status, 200);
	assert.equal((await step(c.clerk, id, 'extend', { days: '15', note: '需要调查', on: '2026-01-12' })).status, 200);
	let was = rowState(id);
	let r = await step(c.clerk, id, 'close', { note: '已办理', on: '2026-01-13' });
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.json.error.message, /有待审批的延期申请，请领导审批后再办结/);
	assert.equal(rowState(id), was, 'nothing saved');
	/* one closed while its extension was pending (before this rule): the leader's decision no longer moves its deadline */
	sqlExec(env.db, `UPDATE petitions SET status = '已办结', closed_on = '2026-01-13', close_days = 2 WHERE id = ${id}`);
	was = rowState(id);
	for (const decision of ['extend/approve', 'extend/refuse']) {
		r = await step(c.leader, id, decision, { note: '同意', on: '2026-01-14' });
		assert.equal(r.status, 409, `${decision}: ${r}`);
		assert.match(r.json.error.message, /该信访件当前为“已办结”，不能审批延期/);
	}
	assert.equal(rowState(id), was, 'the deadline stays');
	/* decided first, then closed */
	const next = (await register(c.clerk, { subject: '延期已批', received_on: '2026-01-10' })).json.id;
	await step(c.clerk, next, 'accept', { on: '2026-01-11' });
	await step(c.clerk, next, 'extend', { days: '15', note: '需要调查', on: '2026-01-12' });
	assert.equal((await step(c.leader, next, 'extend/refuse', { note: '不同意', on: '2026-01-12' })).status, 200);
	r = await step(c.clerk, next, 'close', { note: '已办理', on: '2026-01-13' });
	assert.equal(r.status, 200, `${r}`);
});

test('the ledger changes only its importer\'s own imported petitions: not another street\'s, not the desk\'s', async () => {
	const as = (user, file) => vets(['petition', 'import', file, '--db', env.db, '--as', user, '--password-stdin'], { input: `${PASSWORD}\n`, env: FAKE });
	let r = await as('p_station', ledgerFile(['S01,来信,2025-03-01,受理,2025-03-02,,,']));
	assert.equal(r.code, 0, r.stderr);
	assert.equal(one("SELECT region_code FROM petitions WHERE code = 'S01'"), '420199002');
	const state = () => one("SELECT count(*) || '|' || coalesce(sum(ext_days), 0) || '|' || count(closed_on) || '|' || count(replied_on) FROM petitions");
	const was = state();
	/* the other street's station: the 编号 is taken, nothing said of whose it is, nothing saved */
	r = await as('p_east', ledgerFile(['E01,来信,2025-03-01,受理,2025-03-02,,,', 'S01,来信,2025-03-01,受理,2025-03-02,10,2025-04-01,2025-04-02']));
	assert.equal(r.code, 1, r.stdout);
	assert.match(r.stderr, /第 3 行 编号：编号“S01”已被使用/);
	assert.doesNotMatch(r.stderr, /长青|420199002|2025-03-02/);
	assert.equal(state(), was);
	/* a petition registered at the desk is not the ledger's, even for the whole district */
	const desk = one(`SELECT code FROM petitions WHERE id = ${ids.a}`);
	const deskState = () => rowState(ids.a).replace(/\|\d+$/, ''); /* signing in is audited */
	const deskWas = deskState();
	for (const file of [ledgerFile([`${desk},来信,2026-01-02,受理,2026-01-06,,,`]), ledgerFile(['E02,来信,2025-03-01,,,,,', `${desk},来信,2026-01-02,受理,2026-01-06,,,`])]) {
		r = await vets(['petition', 'import', file, '--db', env.db], { env: FAKE });
		assert.equal(r.code, 1, r.stdout);
		assert.match(r.stderr, new RegExp(`第 \\d 行 编号：编号“${desk}”是窗口登记的信访件`));
	}
	r = await as('p_station', ledgerFile([`${desk},来信,2026-01-02,不予受理,2026-01-06,,,`]));
	assert.equal(r.code, 1);
	assert.match(r.stderr, /窗口登记的信访件/);
	assert.equal(deskState(), deskWas);
	assert.equal(state(), was);
	/* the importer's own is still updated by its ledger */
	r = await as('p_station', ledgerFile(['S01,来信,2025-03-01,受理,2025-03-02,,2025-04-01,2025-04-02']));
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /更新 1/);
});
