// employment.test.mjs - 就业创业. MUST SHOW 2: every figure of `vets stats employment` (job_fairs,
// enterprises, positions, seekers, hired) and of /employment/stats equals a count written
// here in SQL, and each `--list KEY` has as many rows (positions: the listed headcounts sum
// to it) — for the district and for a street station, and again after a fair moves to
// another year, a hire is taken back and another is corrected. Then: the organisers' sheet
// (.xlsx and .csv) with its refusals naming row and field (missing columns, a bad credit code,
// a negative count: nothing saved), enterprises deduplicated by code, seekers from the
// registry only and within the station's street, matching both ways with its reasons, hires.
// The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client, addUser, auditVerify, cleanup, idNumber, importRegions, initDb, Server, sqlExec, tempDir, vets, PASSWORD } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const FAKE = { VETS_FAKE_NOW: String(NOW) };
const KEYS = ['job_fairs', 'enterprises', 'positions', 'seekers', 'hired'];
const HEADER = ['统一社会信用代码', '企业名称', '岗位名称', '招聘人数', '月薪下限（元）', '月薪上限（元）', '岗位要求', '所在街道'];

/* Codes whose check characters were worked out apart from the server (weights 3^i mod 31). */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body17[i]) * (3 ** i % 31);
	const c = 31 - (sum % 31);
	return body17 + ALPHABET[c === 31 ? 0 : c];
}
const E1 = '914403001922038216'; /* a published code */
const E2 = uscc('91420106MA4K00001');
const E3 = uscc('91420111MA4K00002');
const E4 = uscc('92420102MA4K00003');
const E5 = uscc('91420199MA4K00004');
/* E2 with its last character wrong */
const BAD = E2.slice(0, 17) + ALPHABET[(ALPHABET.indexOf(E2[17]) + 1) % 31];

let env;
const c = {};
const fairs = {};
const people = {};
const seekers = {};

/* ---- sheets ---- */

/* A zip of stored entries {name: text}. */
function zipOf(entries) {
	const locals = [];
	const central = [];
	let offset = 0;
	for (const [name, text] of Object.entries(entries)) {
		const data = Buffer.from(text, 'utf8');
		const n = Buffer.from(name, 'utf8');
		const crc = zlib.crc32(data);
		const head = Buffer.alloc(30);
		head.writeUInt32LE(0x04034b50, 0);
		head.writeUInt16LE(20, 4);
		head.writeUInt16LE(0x0800, 6);
		head.writeUInt32LE(crc, 14);
		head.writeUInt32LE(data.length, 18);
		head.writeUInt32LE(data.length, 22);
		head.writeUInt16LE(n.length, 26);
		const dir = Buffer.alloc(46);
		dir.writeUInt32LE(0x02014b50, 0);
		dir.writeUInt16LE(20, 4);
		dir.writeUInt16LE(20, 6);
		dir.writeUInt16LE(0x0800, 8);
		dir.writeUInt32LE(crc, 16);
		dir.writeUInt32LE(data.length, 20);
		dir.writeUInt32LE(data.length, 24);
		dir.writeUInt16LE(n.length, 28);
		dir.writeUInt32LE(offset, 42);
		locals.push(head, n, data);
		central.push(dir, n);
		offset += 30 + n.length + data.length;
	}
	const cd = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(central.length / 2, 8);
	end.writeUInt16LE(central.length / 2, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

/* An .xlsx of rows of cells (strings; a number {n} as a number cell). */
function xlsx(rows) {
	const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const col = (i) => String.fromCharCode(65 + i);
	const sheet = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) => {
		const ref = `${col(i)}${r + 1}`;
		if (typeof v === 'object') return `<c r="${ref}"><v>${v.n}</v></c>`;
		return v === '' ? '' : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
	}).join('')}</row>`).join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	const pkg = 'http://schemas.openxmlformats.org/package/2006';
	return zipOf({
		'[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="参会企业" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheet}</sheetData></worksheet>`,
	});
}

const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

/* ---- helpers ---- */

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

/* The flash message of a redirect's next page. */
async function follow(client, r) {
	assert.equal(r.status, 303, `${r}`);
	const page = await client.get(r.headers.location);
	assert.equal(page.status, 200, `${page}`);
	return page;
}

async function newFair(client, form) {
	const r = await client.postForm('/employment/fairs', form);
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/employment\/fairs\/(\d+)$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	return Number(m[1]);
}

/* The figures counted in SQL, apart from the server, for a year and a street ('' = the district). */
function expected(year, street = '') {
	const ys = `'${year}-01-01'`;
	const ye = `'${year}-12-31'`;
	const fin = (col) => `${col} >= ${ys} AND ${col} <= ${ye} AND substr(${col.split('.')[0]}.region_code, 1, ${street.length}) = '${street}'`;
	const n = (sql) => Number(one(sql));
	return {
		job_fairs: n(`SELECT count(*) FROM employment_fairs f WHERE ${fin('f.held_on')};`),
		enterprises: n(`SELECT count(DISTINCT fe.enterprise_id) FROM employment_fair_enterprises fe JOIN employment_fairs f ON f.id = fe.fair_id WHERE ${fin('f.held_on')};`),
		positions: n(`SELECT coalesce(sum(p.headcount), 0) FROM employment_positions p JOIN employment_fairs f ON f.id = p.fair_id WHERE ${fin('f.held_on')};`),
		seekers: n(`SELECT count(DISTINCT s.person_id) FROM employment_seekers s WHERE ${fin('s.registered_on')};`),
		hired: n(`SELECT count(DISTINCT s.person_id) FROM employment_seekers s WHERE s.status = '已就业' AND ${fin('s.hired_on')};`),
	};
}

async function cliStats(year, as, list) {
	const args = ['stats', 'employment', '--year', String(year), '--db', env.db];
	if (list) args.push('--list', list);
	if (as) args.push('--as', as, '--password-stdin');
	const r = await vets(args, { env: FAKE, input: as ? PASSWORD + '\n' : '' });
	assert.equal(r.code, 0, r.stderr);
	return r.stdout;
}

/* The CLI, the page and every list against the SQL count, for the district (clerk) and for
 * the 长青 station. Returns the district's figures. */
async function checkYear(year) {
	const views = [
		{ who: null, client: c.clerk, street: '' },
		{ who: 'e_station', client: c.station, street: '420199002' },
	];
	let district;
	for (const v of views) {
		const want = expected(year, v.street);
		const got = JSON.parse(await cliStats(year, v.who));
		for (const k of KEYS) assert.equal(got[k], want[k], `${year} ${v.who ?? 'district'}: ${k}`);
		const page = await v.client.get(`/employment/stats?year=${year}`);
		assert.equal(page.status, 200, `${page}`);
		for (const k of KEYS) {
			const m = new RegExp(`id="fig-${k}"[^>]*>([\\d,]+)<`).exec(page.body);
			assert.ok(m, `fig-${k} on the page`);
			assert.equal(Number(m[1].replace(/,/g, '')), want[k], `${year} page ${v.who ?? 'district'}: ${k}`);
		}
		for (const k of KEYS) {
			const lines = (await cliStats(year, v.who, k)).split('\n').filter(Boolean).map((l) => JSON.parse(l));
			if (k === 'positions') assert.equal(lines.reduce((s, l) => s + l.headcount, 0), want[k], `${year} list ${k}`);
			else assert.equal(lines.length, want[k], `${year} list ${k}`);
		}
		if (!v.who) district = want;
	}
	return district;
}

before(async () => {
	const { db, dir } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'e_clerk', 'clerk', { org: '420199', displayName: '就业科' }),
		addUser(db, 'e_leader', 'leader', { org: '420199' }),
		addUser(db, 'e_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'e_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	/* the registry: three people of 长青街道, one of 东湖街道 */
	const rows = [
		['求职甲', idNumber('42010619850101101'), '长青街道'],
		['求职乙', idNumber('42010619860202102'), '长青街道'],
		['求职丙', idNumber('42010619870303103'), '东湖街道'],
		['求职丁', idNumber('42010619880404104'), '长青街道'],
	];
	const file = path.join(dir, 'people.csv');
	writeFileSync(file, csv([['姓名', '身份证号', '人员类别', '街道'], ...rows.map((r) => [r[0], r[1], '退役军人', r[2]])]));
	const r = await vets(['import', 'persons', file, '--db', db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	env = { db, dir };
	for (const [name] of rows) people[name] = Number(one(`SELECT id FROM persons WHERE name = '${name}';`));
	env.server = await Server.start(db, { fakeNow: NOW });
	for (const u of ['clerk', 'leader', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`e_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('a fair is created and its organisers\' .xlsx imported on its page; enterprises counted once by code', async () => {
	fairs.f1 = await newFair(c.clerk, { name: '2025年春季退役军人专场招聘会', kind: '线下', held_on: '2025-03-10', place: '区人力资源市场' });
	const book = xlsx([
		['序号', ...HEADER],
		['1', E1, '华为技术有限公司', '保安员', { n: 10 }, '4000', '6000', '退役军人优先，能倒班', '长青街道'],
		['2', E1, '华为技术有限公司', '驾驶员', '5', '5000', '', '持 C1 驾照', ''],
		['3', E2.toLowerCase().replace(/(.{4})/g, '$1 '), '江城电力工程有限公司', '电工', { n: '3.0' }, '', '', '持低压电工证', '420199001'],
		['4', E3, '长兴物流有限公司', '仓储管理员', '20', '3500.50', '4500', '会开叉车者优先', ''],
	]);
	const r = await c.clerk.upload(`/employment/fairs/${fairs.f1}/import`, '参会企业.xlsx', book);
	const page = await follow(c.clerk, r);
	assert.match(page.body, /已导入 4 行：参会企业 3 家（新企业 3 家），岗位 4 个，招聘 38 人/);
	assert.match(page.body, /id="fair-enterprises">3</);
	assert.match(page.body, /id="fair-headcount">38</);
	/* the typed code was tidied; pay kept in 分 */
	assert.equal(one(`SELECT uscc FROM employment_enterprises WHERE name = '江城电力工程有限公司';`), E2);
	assert.equal(one(`SELECT pay_min || '-' || pay_max FROM employment_positions WHERE title = '仓储管理员';`), '350050-450000');
	assert.equal(one(`SELECT r.name FROM employment_enterprises e JOIN regions r ON r.code = e.street_code WHERE e.uscc = '${E1}';`), '长青街道');

	/* a second fair's CSV: E1 again (the same enterprise), E4 new */
	fairs.f2 = await newFair(c.clerk, { name: '2025年网络招聘会', kind: '线上', held_on: '2025-06-01', place: '区就业服务网' });
	const r2 = await c.clerk.upload(`/employment/fairs/${fairs.f2}/import`, 'f2.csv', csv([
		['统一社会信用代码', '企业名称', '岗位名称', '招聘人数', '岗位要求', '联系人'],
		[E1, '华为技术有限公司', '保安员', '8', '', '王先生'],
		[E4, '楚天餐饮管理有限公司', '厨师', '4', '持健康证，有炊事经历', '李女士'],
	]));
	assert.match((await follow(c.clerk, r2)).body, /参会企业 2 家（新企业 1 家），岗位 2 个，招聘 12 人/);
	assert.equal(one('SELECT count(*) FROM employment_enterprises;'), '4');

	/* a 2024 fair, its position added by hand */
	fairs.f3 = await newFair(c.clerk, { name: '2024年冬季招聘会', kind: '线下', held_on: '2024-11-11', place: '区体育馆' });
	const r3 = await c.clerk.postForm(`/employment/fairs/${fairs.f3}/positions`, {
		which: 'position', uscc: E5, enterprise: '鹏程安保服务有限公司', title: '保安员', headcount: '7', pay_min: '3800', pay_max: '4800', requirements: '', street: '',
	});
	assert.match((await follow(c.clerk, r3)).body, /岗位已添加/);
	/* the same title twice at the fair: refused */
	const again = await c.clerk.refused(await c.clerk.postForm(`/employment/fairs/${fairs.f3}/positions`, {
		which: 'position', uscc: E5, enterprise: '鹏程安保服务有限公司', title: '保安员', headcount: '2',
	}));
	assert.match(again.body, /该企业在本场招聘会已有同名岗位/);

	/* the 长青 station's own fair, where E2 comes again */
	fairs.f4 = await newFair(c.station, { name: '长青街道退役军人招聘会', kind: '线下', held_on: '2025-09-09', place: '长青街道综合文化站' });
	const r4 = await c.station.upload(`/employment/fairs/${fairs.f4}/import`, 'f4.xlsx', xlsx([HEADER, [E2, '江城电力工程有限公司', '电工', '6', '', '', '', '']]));
	assert.match((await follow(c.station, r4)).body, /参会企业 1 家（新企业 0 家）/);
	/* the other street's station does not see it; the district does */
	assert.equal((await c.east.get(`/employment/fairs/${fairs.f4}`)).status, 404);
	assert.equal((await c.east.upload(`/employment/fairs/${fairs.f4}/import`, 'x.csv', csv([HEADER]))).status, 404);
	assert.equal((await c.leader.get(`/employment/fairs/${fairs.f4}`)).status, 200);
});

test('a bad sheet is refused whole, naming row and field, and saves nothing', async () => {
	const before = one(`SELECT count(*) || '/' || coalesce(sum(headcount), 0) FROM employment_positions;`);
	const enterprises = one('SELECT count(*) FROM employment_enterprises;');
	const cases = [
		['missing.xlsx', xlsx([['统一社会信用代码', '企业名称', '岗位名称'], [E1, '华为技术有限公司', '保安员']]), [/第 1 行 表头：缺少列“招聘人数”/]],
		['code.xlsx', xlsx([HEADER, [E3, '长兴物流有限公司', '仓储管理员', '2'], [uscc('91420106MA4K00099'), '新企业', '保安员', '1'], [BAD, '江城电力工程有限公司', '电工', '3']]),
			[new RegExp(`第 4 行 统一社会信用代码：统一社会信用代码校验位不符（按前 17 位应为 ${E2[17]}）`)]],
		['short.csv', csv([HEADER, ['91420106', '某公司', '保安员', '2']]), [/第 2 行 统一社会信用代码：统一社会信用代码应为 18 位/]],
		['negative.xlsx', xlsx([HEADER, [E3, '长兴物流有限公司', '仓储管理员', '-2'], [E1, '华为技术有限公司', '保安员', { n: 0 }]]),
			[/第 2 行 招聘人数：“-2”无效，招聘人数应为 1 至 100000 的整数/, /第 3 行 招聘人数：“0”无效/]],
		['twice.csv', csv([HEADER, [E1, '华为技术有限公司', '保安员', '2'], [E1, '华为有限公司', '保安员', '3']]),
			[/第 3 行 企业名称：统一社会信用代码 914403001922038216 在第 2 行的企业名称是“华为技术有限公司”，两处不一致/, /第 3 行 岗位名称：与第 2 行重复/]],
		['pay.csv', csv([HEADER, [E1, '华为技术有限公司', '保安员', '2', '6000', '5000', '', '西山街道']]),
			[/第 2 行 月薪上限（元）：月薪上限低于月薪下限/, /第 2 行 所在街道：本区没有街道“西山街道”/]],
		['empty.csv', csv([HEADER]), [/文件中没有岗位/]],
	];
	for (const [name, body, patterns] of cases) {
		const page = await c.clerk.refused(await c.clerk.upload(`/employment/fairs/${fairs.f1}/import`, name, body));
		const m = /id="import-error">([^<]*)</.exec(page.body);
		assert.ok(m, `${name}: the refusal is shown`);
		for (const p of patterns) assert.match(m[1], p, name);
	}
	assert.equal(one(`SELECT count(*) || '/' || coalesce(sum(headcount), 0) FROM employment_positions;`), before);
	assert.equal(one('SELECT count(*) FROM employment_enterprises;'), enterprises);
	assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'employment.import';`), '3');
});

test('seekers come from the registry, within the station\'s street; refusals are in Chinese', async () => {
	const register = async (client, form) => client.postForm('/employment/seekers', form);
	const id = (r) => Number(/\/employment\/seekers\/(\d+)$/.exec(r.headers.location)?.[1]);
	let r = await register(c.clerk, { person_id: String(people['求职甲']), intention: '保安、驾驶员', skills: '电工', registered_on: '2025-02-01' });
	assert.equal(r.status, 303, `${r}`);
	seekers.a = id(r);
	r = await register(c.clerk, { person_id: String(people['求职丙']), intention: '厨师', skills: '炊事', registered_on: '2025-04-01' });
	seekers.c = id(r);
	r = await register(c.station, { person_id: String(people['求职乙']), intention: '仓储', skills: '叉车', registered_on: '2025-05-05' });
	seekers.b = id(r);
	r = await register(c.clerk, { person_id: String(people['求职丁']), intention: '网格员', registered_on: '2024-12-20' });
	seekers.d = id(r);
	assert.ok(seekers.a && seekers.b && seekers.c && seekers.d);

	/* not in the registry; another street; a second open record; bad dates */
	let page = await c.clerk.refused(await register(c.clerk, { person_id: '99999', intention: '保安' }));
	assert.match(page.body, /人员编号<\/a>：退役军人信息库中没有编号为 99999 的人员/);
	page = await c.station.refused(await register(c.station, { person_id: String(people['求职丙']), intention: '保安' }));
	assert.match(page.body, new RegExp(`人员编号</a>：退役军人信息库中没有编号为 ${people['求职丙']} 的人员`));
	page = await c.clerk.refused(await register(c.clerk, { person_id: String(people['求职甲']), intention: '保安' }));
	assert.match(page.body, /该人员已有求职登记（编号 \d+），正在求职中/);
	page = await c.clerk.refused(await register(c.clerk, { person_id: String(people['求职丁']), intention: '', registered_on: '2026-02-01' }));
	assert.match(page.body, /求职意向<\/a>：请填写求职意向/);
	assert.match(page.body, /登记日期<\/a>：登记日期不能晚于今天/);
	assert.equal(one('SELECT count(*) FROM employment_seekers;'), '4');

	/* the station sees its street's seekers only */
	const list = await c.station.get('/employment/seekers');
	assert.match(list.body, /求职甲/);
	assert.match(list.body, /求职乙/);
	assert.doesNotMatch(list.body, /求职丙/);
	assert.equal((await c.station.get(`/employment/seekers/${seekers.c}`)).status, 404);
	assert.equal((await c.east.postForm(`/employment/seekers/${seekers.a}/hire`, { uscc: E1, title: '保安员', hired_on: '2025-03-01' })).status, 404);
});

test('matching both ways is explained; hires are recorded where and when', async () => {
	const m = await c.clerk.get(`/api/v1/employment/seekers/${seekers.a}/matches`);
	assert.equal(m.status, 200, `${m}`);
	const top = m.json.items[0];
	assert.equal(top.title, '保安员');
	assert.equal(top.enterprise, '华为技术有限公司');
	assert.match(top.why, /意向“保安”见于岗位名称/);
	/* the 保安员 of E1 is in 长青街道, where 求职甲 lives; the 电工 position fits his skill */
	assert.ok(m.json.items.some((i) => i.title === '保安员' && /同在一个街道/.test(i.why)));
	assert.ok(m.json.items.some((i) => i.title === '电工' && /技能“电工”符合岗位/.test(i.why)));
	assert.ok(!m.json.items.some((i) => i.title === '厨师'));
	const position = top.position_id;
	const back = await c.clerk.get(`/api/v1/employment/positions/${position}/matches`);
	assert.deepEqual(back.json.items.map((i) => i.name), ['求职甲']);
	const page = await c.clerk.get(`/employment/positions/${position}`);
	assert.match(page.body, /求职甲/);

	/* hired at the matched position; another by code and title; one before registering refused */
	let r = await c.clerk.postForm(`/employment/seekers/${seekers.a}/hire`, { position_id: String(position), hired_on: '2025-04-01' });
	assert.match((await follow(c.clerk, r)).body, /id="status">已就业</);
	r = await c.clerk.postForm(`/employment/seekers/${seekers.c}/hire`, { uscc: E4, title: '厨师', hired_on: '2025-07-01' });
	assert.equal(r.status, 303);
	let refused = await c.station.refused(await c.station.postForm(`/employment/seekers/${seekers.b}/hire`, { uscc: E3, title: '仓储管理员', hired_on: '2025-01-01' }));
	assert.match(refused.body, /就业日期早于求职登记日期 2025-05-05/);
	refused = await c.station.refused(await c.station.postForm(`/employment/seekers/${seekers.b}/hire`, { uscc: uscc('91420106MA4K00099'), title: '仓储管理员', hired_on: '2025-06-01' }));
	assert.match(refused.body, /没有统一社会信用代码为 .* 的企业/);
	assert.equal(one(`SELECT status FROM employment_seekers WHERE id = ${seekers.b};`), '求职中');
	/* hired seekers are no longer offered for positions */
	assert.deepEqual((await c.clerk.get(`/api/v1/employment/positions/${position}/matches`)).json.items, []);
});

test('enterprises are added and renamed by their code, found by name or code; a bad code is refused', async () => {
	const count = () => one('SELECT count(*) FROM employment_enterprises;');
	const before = Number(count());
	let r = await c.clerk.postForm('/employment/enterprises', { uscc: E5.toLowerCase().replace(/(.{6})/g, '$1 '), name: '鹏程安保服务（湖北）有限公司', street: '长青街道' });
	const page = await follow(c.clerk, r);
	assert.match(page.body, /鹏程安保服务（湖北）有限公司/);
	assert.match(page.body, new RegExp(`id="uscc">${E5}<`));
	assert.equal(Number(count()), before);
	assert.equal(one(`SELECT street_code FROM employment_enterprises WHERE uscc = '${E5}';`), '420199002');
	r = await c.station.postForm('/employment/enterprises', { uscc: uscc('91420199MA4K00077'), name: '长青便民服务有限公司' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(Number(count()), before + 1);
	const refused = await c.clerk.refused(await c.clerk.postForm('/employment/enterprises', { uscc: BAD, name: '江城电力工程有限公司' }));
	assert.match(refused.body, /统一社会信用代码<\/a>：统一社会信用代码校验位不符/);
	assert.equal(Number(count()), before + 1);
	assert.match((await c.leader.get(`/employment/enterprises?q=${E5}`)).body, /鹏程安保服务（湖北）有限公司/);
	const byName = await c.leader.get(`/employment/enterprises?q=${encodeURIComponent('鹏程')}`);
	assert.match(byName.body, /鹏程安保服务（湖北）有限公司/);
	assert.doesNotMatch(byName.body, /华为技术有限公司/);
});

test('a seeker no longer seeking is withdrawn and may be registered again; a hire of no one is refused', async () => {
	let r = await c.clerk.postForm(`/employment/seekers/${seekers.d}/withdraw`, {});
	assert.match((await follow(c.clerk, r)).body, /id="status">已退出</);
	const again = await c.clerk.refused(await c.clerk.postForm(`/employment/seekers/${seekers.d}/withdraw`, {}));
	assert.match(again.body, /该求职登记的状态不是求职中/);
	const none = await c.clerk.refused(await c.clerk.postForm(`/employment/seekers/${seekers.d}/unhire`, {}));
	assert.match(none.body, /该求职登记没有就业结果可撤销/);
	r = await c.clerk.postForm('/employment/seekers', { person_id: String(people['求职丁']), intention: '网格员', registered_on: '2026-01-10' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(one(`SELECT count(*) FROM employment_seekers WHERE person_id = ${people['求职丁']};`), '2');
	assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'employment.withdraw';`), '1');
});

test('MUST SHOW 2: every figure, on the command line and the page, equals the SQL count, and its list has as many rows', async () => {
	const y2025 = await checkYear(2025);
	/* the hand counts agree with the SQL ones */
	assert.deepEqual(y2025, { job_fairs: 3, enterprises: 4, positions: 56, seekers: 3, hired: 2 });
	assert.deepEqual(await checkYear(2024), { job_fairs: 1, enterprises: 1, positions: 7, seekers: 1, hired: 0 });
	assert.deepEqual(expected(2025, '420199002'), { job_fairs: 1, enterprises: 1, positions: 6, seekers: 2, hired: 1 });
	/* a list's page for a reader links back to its figure */
	const list = await c.leader.get('/employment/stats/list?key=enterprises&year=2025');
	assert.equal(list.status, 200);
	assert.match(list.body, /id="list-total">4</);
	assert.match(list.body, new RegExp(E1));
});

test('a fair moved to another year, a hire taken back and another corrected change the figures', async () => {
	/* F2 (E1 again, E4; 12 positions) moves to 2024 */
	let r = await c.clerk.postForm(`/employment/fairs/${fairs.f2}`, { which: 'edit', name: '2024年网络招聘会', kind: '线上', held_on: '2024-06-01', place: '区就业服务网' });
	assert.equal(r.status, 303, `${r}`);
	assert.deepEqual(await checkYear(2025), { job_fairs: 2, enterprises: 3, positions: 44, seekers: 3, hired: 2 });
	assert.deepEqual(await checkYear(2024), { job_fairs: 2, enterprises: 3, positions: 19, seekers: 1, hired: 0 });
	/* a bad edit is refused and changes nothing */
	const page = await c.clerk.refused(await c.clerk.postForm(`/employment/fairs/${fairs.f2}`, { which: 'edit', name: '2024年网络招聘会', kind: '展会', held_on: '2024-02-30', place: '' }));
	assert.match(page.body, /地点<\/a>：请填写地点/);
	assert.match(page.body, /形式<\/a>：请选择线下或线上/);
	assert.match(page.body, /举办日期<\/a>：日期应为 YYYY-MM-DD/);
	assert.equal(one(`SELECT held_on FROM employment_fairs WHERE id = ${fairs.f2};`), '2024-06-01');
	/* 求职丙's hire taken back */
	r = await c.clerk.postForm(`/employment/seekers/${seekers.c}/unhire`, {});
	assert.equal(r.status, 303);
	assert.equal((await checkYear(2025)).hired, 1);
	/* 求职甲's hire corrected into 2026 */
	r = await c.clerk.postForm(`/employment/seekers/${seekers.a}/hire`, { uscc: E1, title: '保安员', hired_on: '2026-01-05' });
	assert.equal(r.status, 303);
	assert.equal((await checkYear(2025)).hired, 0);
	assert.equal((await checkYear(2026)).hired, 1);
	/* the organisers' corrected sheet replaces F1's list; the hire named its position, kept by enterprise and title */
	r = await c.clerk.postForm(`/employment/seekers/${seekers.a}/hire`, { position_id: one(`SELECT id FROM employment_positions WHERE fair_id = ${fairs.f1} AND title = '保安员';`), hired_on: '2026-01-05' });
	assert.equal(r.status, 303);
	r = await c.clerk.upload(`/employment/fairs/${fairs.f1}/import`, 'f1-v2.xlsx', xlsx([HEADER, [E1, '华为技术有限公司', '保安员', '12']]));
	assert.match((await follow(c.clerk, r)).body, /参会企业 1 家（新企业 0 家），岗位 1 个，招聘 12 人/);
	assert.equal(one(`SELECT s.hired_title || '/' || e.uscc || '/' || CASE WHEN s.hired_position_id IS NULL THEN 'none' ELSE 'set' END FROM employment_seekers s JOIN employment_enterprises e ON e.id = s.hired_enterprise_id WHERE s.id = ${seekers.a};`), `保安员/${E1}/none`);
	assert.deepEqual(await checkYear(2025), { job_fairs: 2, enterprises: 2, positions: 18, seekers: 3, hired: 0 });
	const audit = await auditVerify(env.db);
	assert.equal(audit.code, 0, audit.stderr);
});
