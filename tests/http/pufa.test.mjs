// pufa.test.mjs - 普法: events, brochures, study sessions, the yearly law exam and the 责任清单,
// checked field by field (negative counts, dates, a score outside 0-100: Chinese errors naming
// the field, nothing saved); the 责任清单 shown as Markdown without raw HTML; a station within
// its street; and the year's figures (pufa_events, brochures as copies, exam_should, exam_took,
// exam_excellent, exam_participation_rate, exam_excellence_rate) equal to counts written here in SQL, from
// `vets stats`, the page and the lists, through the detours: the excellent mark changed, an
// exam row corrected, records deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, cleanup, importRegions, initDb, Server, sqlExec, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* 2026-03-02 in Shanghai */

let env;
const c = {};
const uid = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'pf_clerk', 'clerk', { org: '420199', displayName: '普法专干' }),
		addUser(db, 'pf_leader', 'leader', { org: '420199', displayName: '分管领导' }),
		addUser(db, 'pf_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'pf_east', 'station', { org: '420199001', displayName: '东湖站' }),
		/* A clerk of a street organisation: pufa.admin, scoped to his street. */
		addUser(db, 'pf_sclerk', 'clerk', { org: '420199002', displayName: '长青专干' }),
	]);
	for (const u of ['clerk', 'leader', 'station', 'east', 'sclerk'])
		uid[u] = Number(sqlExec(db, `SELECT id FROM users WHERE username = 'pf_${u}';`).trim());
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'leader', 'station', 'east', 'sclerk']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`pf_${u}`);
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

function count(sql) {
	return Number(sqlExec(env.db, sql).trim());
}

function tables() {
	return ['pufa_events', 'pufa_brochures', 'pufa_sessions', 'pufa_exams', 'pufa_duties'].map((t) => count(`SELECT count(*) FROM ${t};`));
}

function fieldsOf(r) {
	return Object.fromEntries(r.json.error.fields.map((f) => [f.field, f.message]));
}

test('each kind of record is checked field by field; nothing is saved on a refusal', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/pufa/events', { on: '2025-04-31', kind: '春游', who: '', count: '-5' });
	assert.equal(r.status, 400, `${r}`);
	let f = fieldsOf(r);
	assert.deepEqual(Object.keys(f).sort(), ['活动日期', '活动类型', '普法对象', '参加人数'].sort());
	assert.match(f['参加人数'], /参加人数不能为负数/);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/brochures', { on: '2026-03-03', title: '手册', count: '0', who: '东湖街道退役军人服务站' });
	f = fieldsOf(r);
	assert.deepEqual(Object.keys(f).sort(), ['发放日期', '份数'].sort());
	assert.match(f['发放日期'], /不能晚于今天/);
	assert.match(f['份数'], /份数至少为 1/);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/brochures', { on: '2025-12-04', title: '宪法读本', count: '-300', who: '东湖街道退役军人服务站' });
	assert.match(fieldsOf(r)['份数'], /份数不能为负数/);
	for (const [kind, on, field] of [['events', '1900-06-01', '活动日期'], ['brochures', '1949-12-31', '发放日期'], ['sessions', '1900-01-01', '学习日期']]) {
		r = await api(c.clerk, 'POST', `/api/v1/pufa/${kind}`, { on, kind: '清明祭英烈', who: '辖区退役军人', title: '宪法读本', count: '10' });
		assert.equal(r.status, 400, `${kind} ${r}`);
		assert.deepEqual(fieldsOf(r), { [field]: `${field}的年份应在 1950 至 2100 年之间` });
	}
	r = await api(c.clerk, 'POST', '/api/v1/pufa/sessions', { on: '2025-06-01', title: '', count: '十二' });
	assert.deepEqual(Object.keys(fieldsOf(r)).sort(), ['学习内容', '参学人数'].sort());
	assert.match(fieldsOf(r)['参学人数'], /应为整数/);
	for (const [score, why] of [['101', /0 至 100/], ['-1', /0 至 100/], ['', /参考人员请填写成绩/]]) {
		r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2025', user: String(uid.leader), should: '1', took: '1', score });
		assert.equal(r.status, 400, `${r}`);
		assert.match(fieldsOf(r)['成绩'], why, score);
	}
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2027', staff_name: '', org_name: '', took: '1', score: '95' });
	assert.deepEqual(Object.keys(fieldsOf(r)).sort(), ['年度', '姓名', '单位', '参考'].sort());
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2025', user: '999999', should: '1' });
	assert.deepEqual(Object.keys(fieldsOf(r)), ['人员']);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/duties', { year: '2025', title: '', body: '' });
	assert.deepEqual(Object.keys(fieldsOf(r)).sort(), ['标题', '内容'].sort());
	assert.deepEqual(tables(), [0, 0, 0, 0, 0]);
	/* A page's form comes back with the summary and what was typed. */
	const back = await c.clerk.refused(await c.clerk.postForm('/pufa/events', { on: '2025-04-04', kind: '清明祭英烈', who: '烈属代表', count: '-1' }));
	assert.match(back.body, /未保存，请修改以下 1 处后再提交/);
	assert.match(back.body, /href="#f-参加人数">参加人数<\/a>：参加人数不能为负数/);
	assert.match(back.body, /value="烈属代表"/);
	assert.deepEqual(tables(), [0, 0, 0, 0, 0]);
});

test('who records what: stations their street\'s events, the bureau\'s clerks the exam', async () => {
	assert.equal((await api(c.leader, 'POST', '/api/v1/pufa/events', { on: '2025-04-04', kind: '清明祭英烈', who: '烈属', count: '30' })).status, 403);
	assert.equal((await api(c.station, 'POST', '/api/v1/pufa/exams', { year: '2025', user: String(uid.station), should: '1', took: '1', score: '90' })).status, 403);
	assert.equal((await api(c.station, 'POST', '/api/v1/pufa/settings', { year: '2025', mark: '80' })).status, 403);
	const r = await api(c.station, 'POST', '/api/v1/pufa/events', { on: '2025-09-30', kind: '烈士纪念日（9·30）', who: '长青街道退役军人', count: '45' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT region_code FROM pufa_events WHERE id = ${r.json.id};`).trim(), '420199002');
	assert.equal((await api(c.east, 'POST', `/api/v1/pufa/events/${r.json.id}/delete`)).status, 404);
	assert.equal((await api(c.east, 'GET', '/api/v1/pufa?year=2025')).json.events.length, 0);
	assert.equal((await api(c.station, 'GET', '/api/v1/pufa?year=2025')).json.events.length, 1);
});

test('a 责任清单 is Markdown shown without raw HTML', async () => {
	const body = '# 区退役军人事务局普法责任清单\n\n- **宪法**宣传：12·4 国家宪法日\n- 学法考试：每年一次\n\n<script>alert(1)</script> <b onclick="x()">粗</b> [链接](javascript:alert(2))';
	const r = await api(c.clerk, 'POST', '/api/v1/pufa/duties', { year: '2025', title: '2025 年度普法责任清单', body });
	assert.equal(r.status, 201, `${r}`);
	const page = await c.station.get(`/pufa/duties/${r.json.id}`);
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /<h2>区退役军人事务局普法责任清单<\/h2>/);
	assert.match(page.body, /<strong>宪法<\/strong>宣传/);
	assert.ok(!page.body.includes('<script>alert'), 'no raw script');
	assert.ok(!page.body.includes('<b onclick'), 'no raw tag');
	assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
	assert.ok(!/href="javascript/i.test(page.body), 'no script link');
	const j = await api(c.station, 'GET', `/api/v1/pufa/duties/${r.json.id}`);
	assert.equal(j.json.body, body);
});

/* ---- the figures ---- */

const Y = (y) => `'${y}-01-01' AND '${y}-12-31'`;
/* The year's excellent mark: its own, else 90. */
const MARK = (y) => {
	const v = sqlExec(env.db, `SELECT mark FROM pufa_marks WHERE year = ${y};`).trim();
	return v ? Number(v) : 90;
};
const scoped = (street) => (street ? ` AND substr(region_code, 1, 9) = '${street}'` : '');
const SQL = {
	pufa_events: (y, s) => `SELECT count(*) FROM pufa_events WHERE held_on BETWEEN ${Y(y)}${scoped(s)};`,
	brochures: (y, s) => `SELECT coalesce(sum(copies), 0) FROM pufa_brochures WHERE handed_on BETWEEN ${Y(y)}${scoped(s)};`,
	exam_should: (y, s) => `SELECT coalesce(sum(CASE WHEN should_take = 1 THEN 1 ELSE 0 END), 0) FROM pufa_exams WHERE year = ${y}${scoped(s)};`,
	exam_took: (y, s) => `SELECT coalesce(sum(CASE WHEN took = 1 THEN 1 ELSE 0 END), 0) FROM pufa_exams WHERE year = ${y}${scoped(s)};`,
	exam_excellent: (y, s) => `SELECT coalesce(sum(CASE WHEN took = 1 AND score >= ${MARK(y)} THEN 1 ELSE 0 END), 0) FROM pufa_exams WHERE year = ${y}${scoped(s)};`,
};
/* The rows a FIGURE_SUM lists: as many lines as there are rows, their column adding up to it. */
const ROWS = { brochures: (y, s) => `SELECT count(*) FROM pufa_brochures WHERE handed_on BETWEEN ${Y(y)}${scoped(s)};` };

async function cliStats(year) {
	const r = await vets(['stats', 'pufa', '--year', String(year), '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

async function cliList(year, key) {
	const r = await vets(['stats', 'pufa', '--year', String(year), '--list', key, '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function statsPage(client, year) {
	const r = await client.get(`/pufa/stats?year=${year}`);
	assert.equal(r.status, 200, `${r}`);
	return r.body;
}

function pageValue(body, id) {
	const m = body.match(new RegExp(`id="${id}"[^>]*>([0-9.,—%-]+)<`));
	assert.ok(m, `no ${id} on the page`);
	return m[1];
}

function rate(num, den) {
	return den === 0 ? null : Math.round((num * 1000) / den) / 10;
}

async function figuresAgree(year) {
	const stats = await cliStats(year);
	const body = await statsPage(c.clerk, year);
	const want = {};
	for (const key of Object.keys(SQL)) {
		want[key] = count(SQL[key](year));
		assert.equal(stats[key], want[key], `${key} ${year}: vets stats`);
		assert.equal(Number(pageValue(body, `fig-${key}`).replace(/,/g, '')), want[key], `${key} ${year}: the page`);
		const list = await cliList(year, key);
		if (key === 'brochures') {
			assert.equal(list.length, count(ROWS.brochures(year)), 'brochures: one line a row');
			assert.equal(list.reduce((a, o) => a + o.copies, 0), want[key], 'brochures: the copies add up');
		} else {
			assert.equal(list.length, want[key], `${key} ${year}: --list`);
		}
	}
	assert.equal(stats.exam_participation_rate, rate(want.exam_took, want.exam_should), 'exam_participation_rate');
	assert.equal(stats.exam_excellence_rate, rate(want.exam_excellent, want.exam_took), 'exam_excellence_rate');
	return stats;
}

test('the figures equal counts made in SQL, from vets stats, the page and the lists', async () => {
	const rec = async (kind, body, client = c.clerk) => {
		const r = await api(client, 'POST', `/api/v1/pufa/${kind}`, body);
		assert.equal(r.status, 201, `${kind}: ${r}`);
		return r.json.id;
	};
	for (const [on, kind] of [['2025-04-04', '清明祭英烈'], ['2025-08-01', '八一建军节'], ['2025-09-30', '烈士纪念日（9·30）'], ['2025-12-04', '国家宪法日（12·4）'], ['2024-12-04', '国家宪法日（12·4）'], ['2026-01-05', '其他主题活动']])
		await rec('events', { on, kind, who: '辖区退役军人', count: '60' });
	for (const [on, n, who] of [['2025-03-05', '1200', '东湖街道退役军人服务站'], ['2025-12-04', '800', '长青街道退役军人服务站'], ['2025-12-31', '1', '区退役军人服务中心'], ['2026-01-01', '500', '东湖街道退役军人服务站']])
		await rec('brochures', { on, title: '《退役军人保障法》宣传手册', count: n, who });
	await rec('sessions', { on: '2025-05-20', title: '学习《退役军人保障法》', count: '32' });
	await rec('exams', { year: '2025', user: String(uid.clerk), should: '1', took: '1', score: '96' });
	await rec('exams', { year: '2025', user: String(uid.leader), should: '1', took: '1', score: '90' });
	await rec('exams', { year: '2025', user: String(uid.station), should: '1', took: '1', score: '89' });
	await rec('exams', { year: '2025', staff_name: '王干事', org_name: '优抚科', should: '1', took: '0' });
	await rec('exams', { year: '2025', staff_name: '李干事', org_name: '优抚科', should: '0', took: '0' });
	await rec('exams', { year: '2024', user: String(uid.clerk), should: '1', took: '1', score: '99' });
	const s = await figuresAgree(2025);
	assert.equal(s.pufa_events, 5);
	assert.equal(s.brochures, 2001);
	assert.equal(s.exam_should, 4);
	assert.equal(s.exam_took, 3);
	assert.equal(s.exam_excellent, 2);
	assert.equal(s.exam_participation_rate, 75);
	assert.equal(s.exam_excellence_rate, 66.7);
	const body = await statsPage(c.clerk, 2025);
	assert.equal(pageValue(body, 'rate-exam_participation_rate'), '75.0%');
	await figuresAgree(2024);
	await figuresAgree(2026);
	/* A year without exams: the rates are null, not a division by zero. */
	const empty = await figuresAgree(2023);
	assert.equal(empty.exam_participation_rate, null);
	assert.equal(empty.exam_excellence_rate, null);
});

test('the excellent mark is set per year: changing the year\'s mark changes that year\'s exam_excellent and not another\'s', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/pufa/settings', { year: '2025', mark: '101' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(Object.keys(fieldsOf(r)), ['优秀分数线']);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/settings', { year: '1900', mark: '80' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(Object.keys(fieldsOf(r)), ['年度']);
	/* 2024's one exam (99) is excellent by the default 90; 2025: 96, 90, 89. */
	const before2024 = await figuresAgree(2024);
	assert.equal(before2024.exam_excellent, 1);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/settings', { year: '2025', mark: '95' });
	assert.equal(r.status, 200, `${r}`);
	assert.deepEqual(r.json, { year: 2025, mark: 95 });
	let s = await figuresAgree(2025);
	assert.equal(s.exam_excellent, 1);
	assert.equal(s.exam_excellence_rate, 33.3);
	/* Another year keeps its own figure. */
	assert.deepEqual(await figuresAgree(2024), before2024);
	/* 2024's mark raised above its 99 changes 2024 only. */
	r = await c.clerk.postForm('/pufa/settings', { year: '2024', mark: '100' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal((await figuresAgree(2024)).exam_excellent, 0);
	assert.equal((await figuresAgree(2025)).exam_excellent, 1);
	r = await c.clerk.postForm('/pufa/settings', { year: '2025', mark: '85' });
	assert.equal(r.status, 303, `${r}`);
	s = await figuresAgree(2025);
	assert.equal(s.exam_excellent, 3);
	assert.equal(s.exam_excellence_rate, 100);
	assert.equal((await figuresAgree(2024)).exam_excellent, 0);
	/* The year page marks the excellent by the year's mark. */
	let y = await api(c.clerk, 'GET', '/api/v1/pufa?year=2025');
	assert.equal(y.json.mark, 85);
	assert.equal(y.json.exams.filter((e) => e.excellent).length, 3);
	y = await api(c.clerk, 'GET', '/api/v1/pufa?year=2024');
	assert.equal(y.json.mark, 100);
	assert.equal(y.json.exams.filter((e) => e.excellent).length, 0);
	/* The settings page lists the years with their own marks and says a change is the year's. */
	const page = await c.clerk.get('/pufa/settings');
	assert.match(page.body, /id="mark-2025">85</);
	assert.match(page.body, /id="mark-2024">100</);
	assert.match(page.body, /只改变该年度的优秀人数和优秀率/);
	const audit = sqlExec(env.db, "SELECT detail FROM audit_log WHERE action = 'pufa.mark' ORDER BY seq;").trim().split('\n');
	assert.equal(audit[0], '2025 年度学法考试优秀分数线由 90 分（默认）改为 95 分');
	/* Back to 90 for 2025, 2024 back to the default's figure with 90. */
	for (const year of ['2025', '2024']) {
		r = await api(c.clerk, 'POST', '/api/v1/pufa/settings', { year, mark: '90' });
		assert.equal(r.status, 200);
	}
	assert.equal((await figuresAgree(2025)).exam_excellent, 2);
	assert.deepEqual(await figuresAgree(2024), before2024);
});

test('an exam row corrected, records deleted, a station\'s street: the figures follow', async () => {
	/* Recording the same member and year again corrects his row. */
	let r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2025', user: String(uid.station), should: '1', took: '1', score: '93' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(count(`SELECT count(*) FROM pufa_exams WHERE year = 2025 AND user_id = ${uid.station};`), 1);
	let s = await figuresAgree(2025);
	assert.equal(s.exam_excellent, 3);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2025', staff_name: '王干事', org_name: '优抚科', should: '1', took: '1', score: '91' });
	assert.equal(r.status, 201, `${r}`);
	s = await figuresAgree(2025);
	assert.deepEqual([s.exam_should, s.exam_took, s.exam_excellent, s.exam_participation_rate, s.exam_excellence_rate], [4, 4, 4, 100, 100]);
	/* Deleting an event and a brochure. */
	const ev = count("SELECT id FROM pufa_events WHERE held_on = '2025-08-01';");
	assert.equal((await api(c.clerk, 'POST', `/api/v1/pufa/events/${ev}/delete`)).status, 200);
	const br = count("SELECT id FROM pufa_brochures WHERE handed_on = '2025-03-05';");
	assert.equal((await c.clerk.postForm(`/pufa/brochures/${br}/delete`)).status, 303);
	s = await figuresAgree(2025);
	assert.equal(s.pufa_events, 4);
	assert.equal(s.brochures, 801);
	/* A station sees its street's records only. */
	assert.equal((await api(c.station, 'POST', '/api/v1/pufa/brochures', { on: '2025-12-05', title: '宪法宣传折页', count: '150', who: '长青街道各社区' })).status, 201);
	for (const [client, street] of [[c.station, '420199002'], [c.east, '420199001']]) {
		const body = await statsPage(client, 2025);
		for (const key of ['pufa_events', 'brochures'])
			assert.equal(Number(pageValue(body, `fig-${key}`).replace(/,/g, '')), count(SQL[key](2025, street)), `${street} ${key}`);
	}
	assert.equal(count(SQL.brochures(2025, '420199002')), 150);
	await figuresAgree(2025);
});

test('a correction moving an event or a handout to another year, or changing its copies, moves the figures', async () => {
	const before = { 2024: await cliStats(2024), 2025: await cliStats(2025) };
	const ev = count("SELECT id FROM pufa_events WHERE held_on = '2025-04-04';");
	/* Refused as a new one would be, nothing changed. */
	let r = await api(c.clerk, 'POST', `/api/v1/pufa/events/${ev}`, { on: '2024-13-01', kind: '清明祭英烈', who: '辖区退役军人', count: '-2' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(Object.keys(fieldsOf(r)).sort(), ['活动日期', '参加人数'].sort());
	assert.equal(sqlExec(env.db, `SELECT held_on FROM pufa_events WHERE id = ${ev};`).trim(), '2025-04-04');
	r = await api(c.clerk, 'POST', `/api/v1/pufa/events/${ev}`, { on: '2024-04-04', kind: '清明祭英烈', who: '辖区退役军人', count: '60' });
	assert.equal(r.status, 200, `${r}`);
	let s = await figuresAgree(2025);
	assert.equal(s.pufa_events, before[2025].pufa_events - 1);
	assert.equal((await figuresAgree(2024)).pufa_events, before[2024].pufa_events + 1);
	/* A handout's copies corrected through the page's form. */
	const br = count("SELECT id FROM pufa_brochures WHERE handed_on = '2025-12-04';");
	const edit = await c.clerk.get(`/pufa/brochures/${br}/edit`);
	assert.equal(edit.status, 200);
	assert.match(edit.body, /value="800"/);
	r = await c.clerk.postForm(`/pufa/brochures/${br}`, { on: '2025-12-04', title: '《退役军人保障法》宣传手册', count: '-800', who: '长青街道退役军人服务站' });
	const back = await c.clerk.refused(r);
	assert.match(back.body, /份数不能为负数/);
	r = await c.clerk.postForm(`/pufa/brochures/${br}`, { on: '2025-12-04', title: '《退役军人保障法》宣传手册', count: '900', who: '长青街道退役军人服务站' });
	assert.equal(r.status, 303, `${r}`);
	s = await figuresAgree(2025);
	assert.equal(s.brochures, before[2025].brochures + 100);
	/* Another street's handout is not the east station's to correct. */
	const theirs = count("SELECT id FROM pufa_brochures WHERE handed_on = '2025-12-05';");
	assert.equal((await api(c.east, 'POST', `/api/v1/pufa/brochures/${theirs}`, { on: '2025-12-05', title: '改', count: '1', who: '东湖' })).status, 404);
	assert.equal((await c.east.get(`/pufa/brochures/${theirs}/edit`)).status, 404);
	assert.equal(count(`SELECT copies FROM pufa_brochures WHERE id = ${theirs};`), 150);
});

test('the year page lists the records; every change is audited', async () => {
	const page = await c.clerk.get('/pufa?year=2025');
	assert.equal(page.status, 200);
	assert.match(page.body, /国家宪法日（12·4）/);
	assert.match(page.body, /id="copies-total">1051</);
	const actions = sqlExec(env.db, "SELECT DISTINCT action FROM audit_log WHERE substr(action, 1, 5) = 'pufa.' ORDER BY action;").trim().split('\n');
	assert.deepEqual(actions, ['pufa.brochure', 'pufa.delete', 'pufa.duty', 'pufa.event', 'pufa.exam', 'pufa.exam_update', 'pufa.mark', 'pufa.session', 'pufa.update']);
	const r = await c.clerk.get('/pufa/settings');
	assert.match(r.body, /id="mark">90</);
});

test('a named member is known by his organisation and name apart: no two people share a row, spaces do not make a second', async () => {
	const rows = () => sqlExec(env.db, 'SELECT org_name, staff_name, score FROM pufa_exams WHERE year = 2022 ORDER BY id;').trim().split('\n').filter(Boolean);
	let r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2022', staff_name: '张/三丰', org_name: '优抚科', should: '1', took: '1', score: '91' });
	assert.equal(r.status, 201, `${r}`);
	/* Joined by a separator, these two would be one key ("优抚科/张/三丰"). */
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2022', staff_name: '三丰', org_name: '优抚科/张', should: '1', took: '1', score: '60' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(rows().length, 2, rows().join(';'));
	assert.equal(count("SELECT score FROM pufa_exams WHERE year = 2022 AND staff_name = '张/三丰';"), 91);
	/* The same person typed with spaces around: his row corrected, not a second one. */
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2022', staff_name: '张三丰 ', org_name: ' 优抚科', should: '1', took: '1', score: '80' });
	assert.equal(r.status, 201, `${r}`);
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2022', staff_name: '张三丰', org_name: '优抚科', should: '1', took: '1', score: '88' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(rows().length, 3, rows().join(';'));
	assert.equal(count("SELECT score FROM pufa_exams WHERE year = 2022 AND staff_name = '张三丰' AND org_name = '优抚科';"), 88);
	assert.equal((await figuresAgree(2022)).exam_took, 3);
});

test('a deletion\'s audit says what was deleted: the exam row\'s member, year and score; an event\'s day and kind', async () => {
	const id = count("SELECT id FROM pufa_exams WHERE year = 2022 AND staff_name = '三丰';");
	assert.equal((await api(c.clerk, 'POST', `/api/v1/pufa/exams/${id}/delete`)).status, 200);
	const detail = sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'pufa.delete' AND object = 'exams:${id}';`).trim();
	assert.match(detail, /2022 年度/, detail);
	assert.match(detail, /三丰（优抚科\/张）/, detail);
	assert.match(detail, /成绩 60/, detail);
	const r = await api(c.clerk, 'POST', '/api/v1/pufa/events', { on: '2025-12-04', kind: '国家宪法日（12·4）', who: '区机关干部', count: '40' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal((await api(c.clerk, 'POST', `/api/v1/pufa/events/${r.json.id}/delete`)).status, 200);
	const ev = sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'pufa.delete' AND object = 'events:${r.json.id}';`).trim();
	assert.match(ev, /国家宪法日（12·4）（2025-12-04），区机关干部，40 人/, ev);
});

test('a street\'s clerk records exam rows within his street only, refused as not found outside it; the district\'s mark and 责任清单 are the bureau\'s', async () => {
	const rows = () => count('SELECT count(*) FROM pufa_exams WHERE year = 2021;');
	/* A bureau account is outside his street: refused exactly as an account that does not exist. */
	const none = await api(c.sclerk, 'POST', '/api/v1/pufa/exams', { year: '2021', user: '999999', should: '1' });
	let r = await api(c.sclerk, 'POST', '/api/v1/pufa/exams', { year: '2021', user: String(uid.leader), should: '1', took: '1', score: '95' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(fieldsOf(r), fieldsOf(none));
	assert.deepEqual(fieldsOf(r), { 人员: '没有这个账号' });
	assert.equal(rows(), 0);
	/* His street's account: recorded, the row his street's. */
	r = await api(c.sclerk, 'POST', '/api/v1/pufa/exams', { year: '2021', user: String(uid.station), should: '1', took: '1', score: '92' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT region_code FROM pufa_exams WHERE id = ${r.json.id};`).trim(), '420199002');
	/* A named member's row the bureau recorded: not found for him, its name not told. */
	r = await api(c.clerk, 'POST', '/api/v1/pufa/exams', { year: '2021', staff_name: '赵干事', org_name: '办公室', should: '1', took: '1', score: '70' });
	assert.equal(r.status, 201, `${r}`);
	const theirs = r.json.id;
	r = await api(c.sclerk, 'POST', '/api/v1/pufa/exams', { year: '2021', staff_name: '赵干事', org_name: '办公室', should: '1', took: '1', score: '99' });
	assert.equal(r.status, 404, `${r}`);
	const gone = await api(c.sclerk, 'POST', '/api/v1/pufa/exams/99999999/delete');
	assert.equal(gone.status, 404);
	assert.equal(r.json.error.message, gone.json.error.message);
	assert.doesNotMatch(JSON.stringify(r.json), /赵干事/);
	assert.equal(count(`SELECT score FROM pufa_exams WHERE id = ${theirs};`), 70);
	assert.equal((await api(c.sclerk, 'POST', `/api/v1/pufa/exams/${theirs}/delete`)).status, 404);
	assert.equal(rows(), 2);
	/* The exam form offers him his street's accounts only. */
	const form = await c.sclerk.get('/pufa/exams/new');
	assert.equal(form.status, 200);
	assert.match(form.body, /长青站/);
	assert.doesNotMatch(form.body, /分管领导/);
	/* The district's excellent mark and 责任清单: not his to change. */
	const markBefore = sqlExec(env.db, 'SELECT count(*) FROM audit_log WHERE action = \'pufa.mark\';').trim();
	r = await api(c.sclerk, 'POST', '/api/v1/pufa/settings', { year: '2021', mark: '60' });
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.json.error.message, /只有区局工作人员可以修改/);
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM audit_log WHERE action = \'pufa.mark\';').trim(), markBefore);
	const duties = count('SELECT count(*) FROM pufa_duties;');
	assert.equal((await api(c.sclerk, 'POST', '/api/v1/pufa/duties', { year: '2021', title: '长青街道普法清单', body: '内容' })).status, 403);
	const duty = count('SELECT min(id) FROM pufa_duties;');
	assert.equal((await api(c.sclerk, 'POST', `/api/v1/pufa/duties/${duty}/delete`)).status, 403);
	assert.equal(count('SELECT count(*) FROM pufa_duties;'), duties);
	/* He still reads them, and his pages offer him no control of them. */
	const dutyPage = await c.sclerk.get(`/pufa/duties/${duty}`);
	assert.equal(dutyPage.status, 200);
	assert.doesNotMatch(dutyPage.body, new RegExp(`/pufa/duties/${duty}/delete`));
	const yearPage = await c.sclerk.get('/pufa?year=2021');
	assert.equal(yearPage.status, 200);
	assert.doesNotMatch(yearPage.body, /href="\/pufa\/settings"|href="\/pufa\/duties\/new"/);
	assert.match(yearPage.body, /href="\/pufa\/exams\/new"/, 'his street\'s exam rows are still his');
	assert.match((await c.clerk.get('/pufa?year=2021')).body, /href="\/pufa\/settings"/, 'the bureau\'s clerk sets the mark');
});
