// dashboard.test.mjs - the 统计看板 on the demo's district: every figure it shows for a reader
// equals `vets stats AREA --year Y` as that reader, and opens a list of as many rows (a sum
// figure: rows whose column adds up to it); the charts' SVG text equals the holiday visits by
// month and by street counted here in SQL, before and after a visit is added, a visit of
// another year is added and a visit's day is corrected; a station sees its own street only,
// whose value is its share of the district's; the administrators get 403; a bad year 400 in
// Chinese; the JSON API gives the same figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, cleanup, demoStore, hasChinese, sqlExec, sqlRows, vets } from './lib.mjs';

const YEAR = 2023;
let db, server;
const pw = {};
const as = {};

before(async () => {
	const r = await demoStore();
	db = r.db;
	for (const role of ['clerk', 'leader', 'station', 'sysadmin', 'auditor'])
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

const n = (sql) => Number(sqlExec(db, sql).trim());
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
const grouped = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const num = (s) => Number(s.replace(/,/g, ''));

/* `vets stats AREA --year Y` as role sees it. */
async function cliStats(role, area, year = YEAR) {
	const r = await vets(['stats', area, '--year', String(year), '--db', db, '--as', role, '--password-stdin'], { input: pw[role] });
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

/* The station's street code (its organisation's region). */
function stationStreet() {
	return sqlExec(db, "SELECT o.region_code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'station';").trim();
}

/* The holiday visits (春节、八一慰问) of the year by month, within a region prefix ('' for all). */
function visitsByMonth(year, prefix = '') {
	const rows = sqlRows(
		db,
		`SELECT substr(visited_on, 6, 2) AS m, count(*) AS c FROM care_visits WHERE kind IN ('春节慰问', '八一慰问') AND visited_on >= '${year}-01-01' AND visited_on <= '${year}-12-31' AND substr(region_code, 1, ${prefix.length}) = '${prefix}' GROUP BY substr(visited_on, 6, 2);`,
	);
	const out = Array(12).fill(0);
	for (const r of rows) out[Number(r.m) - 1] = Number(r.c);
	return out;
}

/* The holiday visits of the year in each street, by the street's name. */
function visitsByStreet(year) {
	const rows = sqlRows(
		db,
		`SELECT r.code AS code, r.name AS name, (SELECT count(*) FROM care_visits v WHERE v.kind IN ('春节慰问', '八一慰问') AND v.visited_on >= '${year}-01-01' AND v.visited_on <= '${year}-12-31' AND substr(v.region_code, 1, length(r.code)) = r.code) AS c FROM regions r WHERE r.level = 'street' ORDER BY r.code;`,
	);
	return rows.map((r) => ({ code: r.code, name: r.name, value: Number(r.c) }));
}

/* The values an SVG chart writes as text (class v), in order. */
function svgValues(svg) {
	return [...svg.matchAll(/<text class="v"[^>]*>([^<]*)<\/text>/g)].map((m) => num(m[1]));
}

/* The bars of a by-street chart: [{name, value}] in order. */
function svgStreets(svg) {
	return [...svg.matchAll(/<text class="t"[^>]*>([^<]*)<\/text>(?:<rect[^>]*\/>)?<text class="v"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
		name: unescape(m[1]),
		value: num(m[2]),
	}));
}

async function chart(client, kind, key, year = YEAR) {
	const r = await client.get(`/dashboard/chart?year=${year}&kind=${kind}&key=${key}`);
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.headers['content-type'], /^image\/svg\+xml/);
	assert.match(r.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
	return r.body;
}

/* Every figure and rate of the page and the API equals the command line's for role, and each
 * figure's link opens a list of its value's rows. */
async function checkFigures(role) {
	const page = await as[role].get(`/dashboard?year=${YEAR}`);
	assert.equal(page.status, 200, `${page}`);
	const api = await as[role].get(`/api/v1/dashboard?year=${YEAR}`);
	assert.equal(api.status, 200, `${api}`);
	assert.equal(api.json.year, YEAR);
	assert.ok(api.json.areas.length >= 5, `${role}: ${api.json.areas.map((a) => a.area)}`);
	let figures = 0;
	for (const area of api.json.areas) {
		const cli = await cliStats(role, area.area);
		assert.match(page.body, new RegExp(`<h2 id="h-${area.area}">`), `${role}: ${area.area} on the page`);
		for (const f of area.figures) {
			assert.equal(f.value, cli[f.key], `${role}: ${f.key} in the API`);
			const m = new RegExp(`id="fig-${f.key}" href="([^"]+)"[^>]*>.*?<span class="dash-num">([^<]*)</span>`, 's').exec(page.body);
			assert.ok(m, `${role}: ${f.key} on the page`);
			assert.equal(m[2], grouped(cli[f.key]), `${role}: ${f.key} shown`);
			const href = unescape(m[1]);
			assert.equal(href, `/${area.area}/stats/list?key=${f.key}&year=${YEAR}`);
			const list = await as[role].get(href);
			assert.equal(list.status, 200, `${list}`);
			const total = num(/<span id="list-total">([^<]*)<\/span>/.exec(list.body)[1]);
			if (/数字为其“/.test(list.body)) {
				/* a sum figure: its list's rows add up to it */
				const r = await vets(['stats', area.area, '--year', String(YEAR), '--list', f.key, '--db', db, '--as', role, '--password-stdin'], { input: pw[role] });
				const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
				assert.equal(total, rows.length, `${role}: ${f.key} rows`);
				const col = Object.keys(rows[0] ?? {}).find((k) => rows.reduce((s, x) => s + (Number(x[k]) || 0), 0) === cli[f.key]);
				assert.ok(rows.length === 0 ? cli[f.key] === 0 : col, `${role}: ${f.key}'s rows add up to ${cli[f.key]}`);
			} else {
				assert.equal(total, cli[f.key], `${role}: ${f.key}'s list has as many rows as its value`);
			}
			figures++;
		}
		for (const rate of area.rates) {
			assert.equal(rate.value, cli[rate.key], `${role}: ${rate.key}`);
			const shown = new RegExp(`id="rate-${rate.key}">([^<]*)<`).exec(page.body)[1];
			assert.equal(shown, cli[rate.key] === null ? '—' : `${cli[rate.key].toFixed(1)}%`);
		}
	}
	return figures;
}

test('every figure a leader and a station see equals vets stats as them, and opens a list of as many rows', async () => {
	const leader = await checkFigures('leader');
	const station = await checkFigures('station');
	assert.ok(leader >= 20 && station >= 20, `${leader} and ${station} figures`);
	/* the seed's, on the leader's page */
	const page = (await as.leader.get(`/dashboard?year=${YEAR}`)).body;
	assert.match(page, /id="fig-holiday_visits"[^>]*>.*?<span class="dash-num">1,496<\/span>/s);
	assert.match(page, /id="dash-scope">[^<]*<\/span>/);
	/* the clerk reads it too; the year select offers the years with records, this one first */
	const clerk = await as.clerk.get('/dashboard');
	assert.equal(clerk.status, 200);
	const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
	assert.match(clerk.body, new RegExp(`<h1 class="dash-title">统计看板（${thisYear} 年）</h1>`));
	const years = [...clerk.body.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
	assert.equal(years[0], thisYear);
	assert.ok(years.includes(2023));
	const first = n(
		"SELECT min(y) FROM (SELECT min(substr(visited_on, 1, 4)) AS y FROM care_visits UNION ALL SELECT min(substr(contacted_on, 1, 4)) AS y FROM care_contacts UNION ALL SELECT min(substr(held_on, 1, 4)) AS y FROM employment_fairs UNION ALL SELECT min(substr(held_on, 1, 4)) AS y FROM shuangyong_activities UNION ALL SELECT min(substr(held_on, 1, 4)) AS y FROM pufa_events UNION ALL SELECT min(substr(placed_on, 1, 4)) AS y FROM placement_cases UNION ALL SELECT min(substr(period, 1, 4)) AS y FROM pay_batches UNION ALL SELECT min(substr(accepted_on, 1, 4)) AS y FROM applications UNION ALL SELECT min(substr(received_on, 1, 4)) AS y FROM petitions) f;",
	);
	assert.deepEqual(years, Array.from({ length: thisYear - first + 1 }, (_, i) => thisYear - i));
});

test('the month and street charts write the holiday visits counted in SQL, through a new visit, one of another year and a correction', async () => {
	const street = stationStreet();
	const check = async () => {
		/* by month, district-wide and in the station's street */
		const all = visitsByMonth(YEAR);
		assert.deepEqual(svgValues(await chart(as.leader, 'month', 'holiday_visits')), all);
		assert.deepEqual(svgValues(await chart(as.station, 'month', 'holiday_visits')), visitsByMonth(YEAR, street));
		/* by street: every street for the leader, its own for the station; they add up to the district */
		const streets = visitsByStreet(YEAR);
		const drawn = svgStreets(await chart(as.leader, 'street', 'holiday_visits'));
		assert.deepEqual(drawn, streets.map(({ name, value }) => ({ name, value })));
		const sum = drawn.reduce((s, x) => s + x.value, 0);
		assert.equal(sum, all.reduce((s, x) => s + x, 0));
		assert.equal(sum, (await cliStats('leader', 'care')).holiday_visits);
		const own = svgStreets(await chart(as.station, 'street', 'holiday_visits'));
		assert.deepEqual(own, streets.filter((s) => s.code === street).map(({ name, value }) => ({ name, value })));
		assert.equal(own[0].value, (await cliStats('station', 'care')).holiday_visits);
		/* the page's table holds the same figures */
		const page = (await as.leader.get(`/dashboard?year=${YEAR}`)).body;
		const table = /id="chart-month-holiday_visits".*?<tbody>(.*?)<\/tbody>/s.exec(page)[1];
		assert.deepEqual([...table.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => num(m[1])), all);
		return all;
	};
	const before = await check();
	assert.equal(before.reduce((s, x) => s + x, 0), 1496);

	const copy = (day) =>
		`INSERT INTO care_visits (person_id, region_code, kind, campaign_id, visited_on, visitors, money, goods, note, created_at, created_by) SELECT person_id, region_code, '春节慰问', NULL, '${day}', '看板测试', 0, '', '看板测试', created_at, created_by FROM care_visits WHERE id = (SELECT min(id) FROM care_visits WHERE substr(region_code, 1, ${street.length}) = '${street}' AND kind = '春节慰问');`;
	sqlExec(db, copy(`${YEAR}-05-10`) + copy(`${YEAR + 1}-05-10`));
	const added = await check();
	assert.equal(added[4], before[4] + 1, 'May has the new visit');
	assert.equal(added.reduce((s, x) => s + x, 0), 1497, 'the next year\'s visit is not counted');

	/* a January visit corrected to July */
	const id = n(`SELECT min(id) FROM care_visits WHERE kind = '春节慰问' AND visited_on >= '${YEAR}-01-01' AND visited_on <= '${YEAR}-01-31';`);
	sqlExec(db, `UPDATE care_visits SET visited_on = '${YEAR}-07-15' WHERE id = ${id};`);
	const corrected = await check();
	assert.equal(corrected[0], added[0] - 1);
	assert.equal(corrected[6], added[6] + 1);
});

test('the shares chart writes each part and its percentage; an empty year draws 无数据', async () => {
	const cli = await cliStats('leader', 'pufa');
	const svg = await chart(as.leader, 'share', 'exams');
	const excellent = cli.exam_excellent, took = cli.exam_took, should = cli.exam_should;
	const parts = [excellent, took - excellent, should - took];
	assert.deepEqual([...svg.matchAll(/：<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => num(m[1])), [...parts, should]);
	const pct = (v) => `${(Math.round((v * 1000) / should) / 10).toFixed(1)}%`;
	assert.deepEqual(
		[...svg.matchAll(/（<tspan[^>]*>([^<]*)<\/tspan>）/g)].map((m) => m[1]),
		parts.map(pct),
	);
	assert.match(svg, /<desc id="share-exams-d">优秀 \d+ 人（[\d.]+%）；参考未达优秀/);
	/* the placement plan is the district's: the leader sees its parts, a street has none */
	const plan = await cliStats('leader', 'placement');
	const placed = [...(await chart(as.leader, 'share', 'placement')).matchAll(/：<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => num(m[1]));
	assert.deepEqual(placed, [
		plan.officers_placed,
		Math.max(plan.officers_planned - plan.officers_placed, 0),
		plan.soldiers_placed,
		Math.max(plan.soldiers_planned - plan.soldiers_placed, 0),
		plan.officers_placed + Math.max(plan.officers_planned - plan.officers_placed, 0) + plan.soldiers_placed + Math.max(plan.soldiers_planned - plan.soldiers_placed, 0),
	]);
	assert.equal((await cliStats('station', 'placement')).officers_planned, 0);
	assert.equal((await as.station.get(`/dashboard/chart?year=${YEAR}&kind=share&key=placement`)).status, 404);
	assert.doesNotMatch((await as.station.get(`/dashboard?year=${YEAR}`)).body, /chart-share-placement/);
	/* 1990: nothing recorded, no bar, no division by zero */
	for (const [kind, key] of [['month', 'holiday_visits'], ['street', 'holiday_visits'], ['share', 'exams']]) {
		const empty = await chart(as.leader, kind, key, 1990);
		assert.match(empty, />无数据<\/text>/);
		assert.doesNotMatch(empty, /NaN|nan"|inf"/);
	}
});

test('who may not: the administrators get 403, an unknown chart 404, a bad year 400 in Chinese', async () => {
	for (const role of ['sysadmin', 'auditor']) {
		for (const p of ['/dashboard', `/dashboard/chart?year=${YEAR}&kind=month&key=holiday_visits`]) {
			const r = await as[role].get(p);
			assert.equal(r.status, 403, `${role} ${p}: ${r}`);
			assert.match(r.body, /无权访问此功能/);
		}
		const api = await as[role].get('/api/v1/dashboard');
		assert.equal(api.status, 403);
		assert.equal(api.json.error.code, 'forbidden');
		assert.doesNotMatch((await as[role].get('/')).body, /href="\/dashboard"/, `${role}'s navigation`);
	}
	assert.match((await as.leader.get('/')).body, /href="\/dashboard">统计看板</);
	/* a set the station may not read (待遇发放's figures need stats.read): not on its page, its
	 * charts refused (the set exists once the payments' figures are registered) */
	const leaderAreas = (await as.leader.get(`/api/v1/dashboard?year=${YEAR}`)).json.areas.map((a) => a.area);
	const stationAreas = (await as.station.get(`/api/v1/dashboard?year=${YEAR}`)).json.areas.map((a) => a.area);
	assert.ok(stationAreas.every((a) => leaderAreas.includes(a)));
	if (leaderAreas.includes('payments')) {
		assert.ok(!stationAreas.includes('payments'));
		assert.equal((await as.station.get(`/dashboard/chart?year=${YEAR}&kind=month&key=benefit_payments`)).status, 403);
		assert.doesNotMatch((await as.station.get(`/dashboard?year=${YEAR}`)).body, /id="area-payments"/);
	}
	for (const p of ['/dashboard/chart?kind=month&key=nope', '/dashboard/chart?kind=pie&key=holiday_visits', '/dashboard/chart?kind=street&key=job_fairs', '/dashboard/chart']) {
		const r = await as.leader.get(p);
		assert.equal(r.status, 404, `${p}: ${r}`);
		assert.match(r.body, /没有这一图表/);
	}
	for (const y of ['abc', '1800', '20231', '-1']) {
		const r = await as.leader.get(`/dashboard?year=${y}`);
		assert.equal(r.status, 400, `${y}: ${r}`);
		assert.ok(hasChinese(r.body) && /年份/.test(r.body), `${r}`);
		const api = await as.leader.get(`/api/v1/dashboard?year=${y}`);
		assert.equal(api.status, 400);
		assert.match(api.json.error.message, /年份/);
		const c = await as.leader.get(`/dashboard/chart?year=${y}&kind=month&key=holiday_visits`);
		assert.equal(c.status, 400);
	}
});
