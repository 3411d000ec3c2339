// shuangyong.test.mjs - 双拥: activities and their news reports checked field by field
// (nothing saved on a refusal), a link kept only when http(s) and shown escaped, the data scope
// of a station, every change audited; and the year's figures (shuangyong_activities, shuangyong_news) equal
// to counts written here in SQL, from `vets stats` and from the page, their lists as long as
// the figures, through a correction that moves an activity to another year and deletions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, cleanup, importRegions, initDb, Server, sqlExec, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* 2026-03-02 in Shanghai */

let env;
const c = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'sy_clerk', 'clerk', { org: '420199', displayName: '双拥专干' }),
		addUser(db, 'sy_leader', 'leader', { org: '420199' }),
		addUser(db, 'sy_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'sy_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	env = { db, server: await Server.start(db, { fakeNow: NOW }) };
	for (const u of ['clerk', 'leader', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`sy_${u}`);
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

const ACTIVITY = { held_on: '2025-08-01', kind: '走访慰问部队', units: '区退役军人事务局、驻区某部', place: '驻区某部营区', solved: '协调解决 3 名随军家属就业' };

test('an activity and a report are checked field by field; nothing is saved on a refusal', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { held_on: '2026-13-01', kind: '聚餐', units: '', place: 'x', solved: '' });
	assert.equal(r.status, 400, `${r}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['活动日期', '活动类型', '参与单位', '活动地点'].sort());
	r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on: '2026-03-03' });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.json.error.fields[0].message, /不能晚于今天/);
	/* A date before 1950 is a typing slip, not a 双拥 activity of this bureau. */
	for (const held_on of ['1900-06-01', '1949-12-31']) {
		r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on });
		assert.equal(r.status, 400, `${held_on} ${r}`);
		assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.message]), [['活动日期', '活动日期的年份应在 1950 至 2100 年之间']]);
	}
	assert.equal(count('SELECT count(*) FROM shuangyong_activities;'), 0);

	r = await api(c.clerk, 'POST', '/api/v1/shuangyong', ACTIVITY);
	assert.equal(r.status, 201, `${r}`);
	const id = r.json.id;
	/* Dates out of order, a link that is not http(s), a blank medium: refused, nothing saved. */
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '', published_on: '2025-07-31', title: '军营里的“娘家人”', link: 'javascript:alert(1)' });
	assert.equal(r.status, 400, `${r}`);
	const fields = Object.fromEntries(r.json.error.fields.map((f) => [f.field, f.message]));
	assert.deepEqual(Object.keys(fields).sort(), ['媒体', '报道日期', '链接'].sort());
	assert.match(fields['报道日期'], /报道日期不能早于活动日期 2025-08-01/);
	assert.match(fields['链接'], /http:\/\/ 或 https:\/\//);
	for (const link of ['ftp://x.cn/a', 'https://', 'http:///a', 'https://x.cn/a b'])
		assert.equal((await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '区融媒体中心', published_on: '2025-08-02', title: '报道', link })).status, 400, link);
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '区融媒体中心', published_on: '1900-08-02', title: '报道' });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.json.error.fields.find((f) => f.field === '报道日期').message, /报道日期的年份应在 1950 至 2100 年之间/);
	assert.equal(count('SELECT count(*) FROM shuangyong_reports;'), 0);
	/* A correction that would put the activity after its report is refused too. */
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '区融媒体中心', published_on: '2025-08-02', title: '八一走访驻区部队', link: '' });
	assert.equal(r.status, 201, `${r}`);
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}`, { ...ACTIVITY, held_on: '2025-08-05' });
	assert.equal(r.status, 400, `${r}`);
	assert.equal(r.json.error.fields[0].field, '活动日期');
	assert.equal(sqlExec(env.db, `SELECT held_on FROM shuangyong_activities WHERE id = ${id};`).trim(), '2025-08-01');
	/* Negative or absurd input never reaches the table: only the clerk's two rows exist. */
	assert.equal(count('SELECT count(*) FROM shuangyong_reports;'), 1);
});

test('a report link is shown escaped, opening without the opener; the form refuses with the summary', async () => {
	const id = count("SELECT min(id) FROM shuangyong_activities;");
	const link = 'https://news.example.cn/a?x=1&y="2"<b>';
	let r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '长江日报', published_on: '2025-08-03', title: '<script>双拥</script>', link });
	assert.equal(r.status, 201, `${r}`);
	const page = await c.clerk.get(`/shuangyong/${id}`);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('href="https://news.example.cn/a?x=1&amp;y=&quot;2&quot;&lt;b&gt;" rel="noopener noreferrer"'), page.body);
	assert.ok(page.body.includes('&lt;script&gt;双拥&lt;/script&gt;'));
	assert.ok(!page.body.includes('<script>双拥'));
	/* The page's form: refused, back with the summary and what was typed. */
	r = await c.clerk.postForm(`/shuangyong/${id}/reports`, { medium: '区融媒体中心', published_on: '2025-07-01', title: '早于活动的报道', link: '' });
	const back = await c.clerk.refused(r);
	assert.match(back.body, /未保存，请修改以下 1 处后再提交/);
	assert.match(back.body, /href="#f-报道日期">报道日期<\/a>：报道日期不能早于活动日期/);
	assert.match(back.body, /value="早于活动的报道"/);
});

test('only clerks and stations record; a station works within its street', async () => {
	let r = await api(c.leader, 'POST', '/api/v1/shuangyong', ACTIVITY);
	assert.equal(r.status, 403, `${r}`);
	r = await api(c.station, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on: '2025-09-10', kind: '拥军优属', place: '长青街道' });
	assert.equal(r.status, 201, `${r}`);
	const mine = r.json.id;
	assert.equal(sqlExec(env.db, `SELECT region_code FROM shuangyong_activities WHERE id = ${mine};`).trim(), '420199002');
	/* The east station sees neither the bureau's activity nor the other street's. */
	const other = count('SELECT min(id) FROM shuangyong_activities;');
	for (const id of [other, mine]) {
		assert.equal((await api(c.east, 'GET', `/api/v1/shuangyong/${id}`)).status, 404);
		assert.equal((await api(c.east, 'POST', `/api/v1/shuangyong/${id}/reports`, { medium: '区融媒体中心', published_on: '2025-09-11', title: '越界', link: '' })).status, 404);
		assert.equal((await api(c.east, 'POST', `/api/v1/shuangyong/${id}/delete`)).status, 404);
	}
	assert.equal((await api(c.east, 'GET', '/api/v1/shuangyong?year=2025')).json.total, 0);
	assert.equal((await api(c.station, 'GET', '/api/v1/shuangyong?year=2025')).json.total, 1);
	assert.equal((await api(c.clerk, 'GET', '/api/v1/shuangyong?year=2025')).json.total, 2);
	r = await api(c.station, 'POST', `/api/v1/shuangyong/${mine}/reports`, { medium: '长青街道公众号', published_on: '2025-09-12', title: '长青街道走访军属', link: 'http://example.cn/cq' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT region_code FROM shuangyong_reports WHERE id = ${r.json.report_id};`).trim(), '420199002');
});

/* ---- the figures ---- */

const SQL = {
	shuangyong_activities: (y, street = '') => `SELECT count(*) FROM shuangyong_activities WHERE held_on >= '${y}-01-01' AND held_on <= '${y}-12-31'${street ? ` AND substr(region_code, 1, 9) = '${street}'` : ''};`,
	shuangyong_news: (y, street = '') => `SELECT count(*) FROM shuangyong_reports WHERE published_on >= '${y}-01-01' AND published_on <= '${y}-12-31'${street ? ` AND substr(region_code, 1, 9) = '${street}'` : ''};`,
};

async function cliStats(year) {
	const r = await vets(['stats', 'shuangyong', '--year', String(year), '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

async function cliList(year, key) {
	const r = await vets(['stats', 'shuangyong', '--year', String(year), '--list', key, '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function pageFigure(client, year, key) {
	const r = await client.get(`/shuangyong/stats?year=${year}`);
	assert.equal(r.status, 200, `${r}`);
	const m = r.body.match(new RegExp(`id="fig-${key}"[^>]*>([0-9,]+)<`));
	assert.ok(m, `no figure ${key} on the page`);
	return Number(m[1].replace(/,/g, ''));
}

async function figuresAgree(year) {
	const stats = await cliStats(year);
	for (const key of Object.keys(SQL)) {
		const want = count(SQL[key](year));
		assert.equal(stats[key], want, `${key} ${year}: vets stats`);
		assert.equal(await pageFigure(c.clerk, year, key), want, `${key} ${year}: the page`);
		assert.equal((await cliList(year, key)).length, want, `${key} ${year}: --list`);
	}
	/* The year's list page and its API say the same numbers as the figures (a report counts
	 * in the year of its own day, not of its activity's). */
	const page = await c.clerk.get(`/shuangyong?year=${year}`);
	assert.equal(Number(page.body.match(/id="activity-total">(\d+)</)[1]), stats.shuangyong_activities, `${year}: the list page's activities`);
	assert.equal(Number(page.body.match(/id="report-total">(\d+)</)[1]), stats.shuangyong_news, `${year}: the list page's reports`);
	const api_ = await api(c.clerk, 'GET', `/api/v1/shuangyong?year=${year}`);
	assert.deepEqual([api_.json.total, api_.json.reports], [stats.shuangyong_activities, stats.shuangyong_news], `${year}: the API`);
	return stats;
}

test('the figures equal counts made in SQL, from vets stats, the page and the lists', async () => {
	/* More rows around the year's edges: 2024-12-31 and 2026-01-01 stay out of 2025. */
	for (const held_on of ['2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01']) {
		const r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on });
		assert.equal(r.status, 201, `${r}`);
		const rr = await api(c.clerk, 'POST', `/api/v1/shuangyong/${r.json.id}/reports`, { medium: '区融媒体中心', published_on: held_on === '2025-12-31' ? '2026-01-02' : held_on, title: `报道 ${held_on}`, link: '' });
		assert.equal(rr.status, 201, `${rr}`);
	}
	const s = await figuresAgree(2025);
	assert.equal(s.shuangyong_activities, 4);
	assert.equal(s.shuangyong_news, 4);
	await figuresAgree(2024);
	await figuresAgree(2026);
	const list = await cliList(2025, 'shuangyong_news');
	assert.deepEqual(Object.keys(list[0]).sort(), ['activity_id', 'id', 'link', 'medium', 'published_on', 'title'].sort());
	/* The list page shows the same rows. */
	const lp = await c.clerk.get('/shuangyong/stats/list?key=shuangyong_activities&year=2025');
	assert.equal(lp.status, 200);
	assert.match(lp.body, /id="list-total"[^>]*>4</);
});

test('moving an activity to another year, deleting a report or an activity changes the figures', async () => {
	const before2025 = await cliStats(2025);
	const before2024 = await cliStats(2024);
	const id = count("SELECT id FROM shuangyong_activities WHERE held_on = '2025-01-01';");
	let r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${id}`, { ...ACTIVITY, held_on: '2024-12-30', kind: '军民共建' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.held_on, '2024-12-30');
	let s = await figuresAgree(2025);
	assert.equal(s.shuangyong_activities, before2025.shuangyong_activities - 1);
	assert.equal((await figuresAgree(2024)).shuangyong_activities, before2024.shuangyong_activities + 1);
	/* A report deleted. */
	const rep = count("SELECT min(id) FROM shuangyong_reports WHERE published_on >= '2025-01-01' AND published_on <= '2025-12-31';");
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/reports/${rep}/delete`);
	assert.equal(r.status, 200, `${r}`);
	s = await figuresAgree(2025);
	assert.equal(s.shuangyong_news, before2025.shuangyong_news - 1);
	/* An activity deleted takes its reports along. */
	const gone = count("SELECT id FROM shuangyong_activities WHERE held_on = '2025-09-10';");
	const its = count(`SELECT count(*) FROM shuangyong_reports WHERE activity_id = ${gone};`);
	assert.equal(its, 1);
	r = await api(c.station, 'POST', `/api/v1/shuangyong/${gone}/delete`);
	assert.equal(r.status, 200, `${r}`);
	s = await figuresAgree(2025);
	assert.equal(s.shuangyong_activities, before2025.shuangyong_activities - 2);
	assert.equal(s.shuangyong_news, before2025.shuangyong_news - 2);
	assert.equal(count(`SELECT count(*) FROM shuangyong_reports WHERE activity_id = ${gone};`), 0);
});

test('a station sees its street only, on the page and through vets stats --as', async () => {
	const r = await api(c.east, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on: '2025-05-04', kind: '双拥宣传', place: '东湖街道' });
	assert.equal(r.status, 201, `${r}`);
	assert.equal((await api(c.east, 'POST', `/api/v1/shuangyong/${r.json.id}/reports`, { medium: '东湖街道公众号', published_on: '2025-05-05', title: '东湖双拥宣传', link: '' })).status, 201);
	for (const key of Object.keys(SQL)) {
		const want = count(SQL[key](2025, '420199001'));
		assert.equal(want, 1);
		assert.equal(await pageFigure(c.east, 2025, key), want, key);
		assert.equal(await pageFigure(c.station, 2025, key), count(SQL[key](2025, '420199002')), key);
	}
	/* The list page of a station names no other street's activity. */
	const lp = await c.east.get('/shuangyong/stats/list?key=shuangyong_activities&year=2025');
	assert.match(lp.body, /东湖街道/);
	assert.doesNotMatch(lp.body, /驻区某部营区/);
	/* vets stats --as reads as the station (its login is the station's: done last). */
	const as = await vets(['stats', 'shuangyong', '--year', '2025', '--as', 'sy_east', '--password-stdin', '--db', env.db], { input: 'Qw7#pLm9Zx\n' });
	assert.equal(as.code, 0, as.stderr);
	for (const key of Object.keys(SQL)) assert.equal(JSON.parse(as.stdout)[key], count(SQL[key](2025, '420199001')), `${key} --as`);
	/* The district sees every street's. */
	await figuresAgree(2025);
});

test('every change is audited with its title', async () => {
	const rows = sqlExec(env.db, "SELECT action FROM audit_log WHERE substr(action, 1, 11) = 'shuangyong.' ORDER BY seq;").trim().split('\n');
	for (const a of ['shuangyong.create', 'shuangyong.update', 'shuangyong.delete', 'shuangyong.report', 'shuangyong.report_delete'])
		assert.ok(rows.includes(a), a);
	const page = await c.clerk.get('/shuangyong?year=2025');
	assert.equal(page.status, 200);
	assert.match(page.body, /id="activity-total">\d+</);
});

test('a deleted report\'s audit says which report it was: medium, day, title', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { ...ACTIVITY, held_on: '2025-10-01' });
	assert.equal(r.status, 201, `${r}`);
	const act = r.json.id;
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${act}/reports`, { medium: '长江日报', published_on: '2025-10-02', title: '国庆走访驻区部队', link: '' });
	assert.equal(r.status, 201, `${r}`);
	const rid = r.json.report_id;
	assert.equal((await api(c.clerk, 'POST', `/api/v1/shuangyong/reports/${rid}/delete`)).status, 200);
	const detail = sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'shuangyong.report_delete' AND object = 'shuangyong_report:${rid}';`).trim();
	assert.match(detail, /长江日报/, detail);
	assert.match(detail, /2025-10-02/, detail);
	assert.match(detail, /《国庆走访驻区部队》/, detail);
});
