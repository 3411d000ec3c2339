// services.test.mjs - the service catalogue (事项): `vets service import` of a CSV or the first
// sheet of an .xlsx (columns by header, in any order; a bad row names its row and field and
// saves nothing; the same file twice changes nothing; an item's materials are replaced by the
// file's), the bureau's shipped catalogue (31 items, 20 that allow 容缺受理, two 一件事), the
// staff pages (list and search, item, the form that creates and edits), the API, the two
// printed documents as pages and as .docx (opened by LibreOffice when it is installed), who may
// do what, and the audit trail. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { Client, ROOT, addUser, auditRows, auditVerify, cleanup, demoStore, dumpTables, initDb, Server, sqlRows, tempDir, vets } from './lib.mjs';

const CATALOGUE = path.join(ROOT, 'docs', 'service-catalogue.csv');
const TABLES = ['service_items', 'service_materials', 'service_bundle_items'];
let env;
const c = {};
let dir;

before(async () => {
	const { db } = await initDb();
	dir = tempDir('vets-services-');
	await Promise.all([
		addUser(db, 's_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 's_station', 'station', { org: '420199', displayName: '服务站' }),
		addUser(db, 's_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 's_auditor', 'auditor', { org: '420199' }),
	]);
	env = { db, server: await Server.start(db) };
	for (const u of ['clerk', 'station', 'leader', 'auditor']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`s_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const HEAD = ['事项编码', '事项名称', '承诺时限', '法定依据', '材料名称', '材料必要'];
const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (rows) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

function file(name, rows) {
	const p = path.join(dir, name);
	writeFileSync(p, typeof rows === 'string' ? rows : csv(rows));
	return p;
}

const importFile = (p) => vets(['service', 'import', p, '--db', env.db]);
const api = (client, p) => client.get(p, { headers: { Accept: 'application/json' } });

/* A small catalogue: two items and a bundle of them, columns in another order than the usual,
 * with optional ones. */
const SMALL = [
	['材料必要', '材料名称', '事项名称', '事项编码', '承诺时限', '法定依据', '办理地点', '所属一件事', '材料说明'],
	['是', '居民身份证', '测试报到', 'T-01', '1', '《中华人民共和国退役军人保障法》', '一号窗口', 'T-B', '原件'],
	['否', '近期照片', '测试报到', 'T-01', '1', '', '', '', '2 寸 2 张'],
	['是', '介绍信', '测试报到', 'T-01', '', '', '', '', ''],
	['是', '户口簿', '测试落户', 'T-02', '3', '《中华人民共和国户口登记条例》', '二号窗口', 'T-B', ''],
	['', '', '测试一件事', 'T-B', '5', '《中华人民共和国退役军人保障法》', '一号窗口', '', ''],
];

test('a CSV imports its items, materials and bundle, whatever the order of its columns', async () => {
	const r = await importFile(file('small.csv', SMALL));
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /服务事项 3 个（材料 4 行）：新增 3，修改 0，未变 0/);
	const item = await api(c.clerk, '/api/v1/services?q=T-01');
	assert.equal(item.status, 200, `${item}`);
	assert.equal(item.json.total, 1);
	const one = await api(c.clerk, `/api/v1/services/${item.json.items[0].id}`);
	assert.equal(one.status, 200);
	assert.equal(one.json.code, 'T-01');
	assert.equal(one.json.time_limit_days, 1);
	assert.equal(one.json.place, '一号窗口');
	assert.deepEqual(one.json.materials.map((m) => [m.name, m.essential, m.note]), [
		['居民身份证', true, '原件'],
		['近期照片', false, '2 寸 2 张'],
		['介绍信', true, ''],
	]);
	assert.deepEqual(one.json.optional, ['近期照片']);
	assert.equal(one.json.rongque, true);
	assert.deepEqual(one.json.bundles.map((b) => b.code), ['T-B']);
	const bundle = sqlRows(env.db, "SELECT id, is_bundle FROM service_items WHERE code = 'T-B'")[0];
	assert.equal(Number(bundle.is_bundle), 1);
	const b = await api(c.station, `/api/v1/services/${bundle.id}`);
	assert.equal(b.json.is_bundle, true);
	assert.deepEqual(b.json.members.map((m) => m.code), ['T-01', 'T-02']);
	assert.equal(b.json.members[0].materials.length, 3);
	/* by code */
	const byCode = await api(c.station, '/api/v1/services?code=T-B');
	assert.equal(byCode.status, 200);
	assert.equal(byCode.json.id, Number(bundle.id));
	assert.equal((await api(c.station, '/api/v1/services?code=NONE')).status, 404);
	assert.equal((await api(c.station, '/api/v1/services?code=' + encodeURIComponent('<x>'))).status, 400);
	assert.equal((await api(c.station, '/api/v1/services/999999')).status, 404);
});

test('the same file twice changes nothing', async () => {
	const before = dumpTables(env.db, TABLES);
	const r = await importFile(path.join(dir, 'small.csv'));
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 0，修改 0，未变 3/);
	assert.equal(dumpTables(env.db, TABLES), before);
});

test('an item of the file gets exactly the file\'s materials; items not in it stay', async () => {
	const r = await importFile(file('replace.csv', [
		HEAD,
		['T-01', '测试报到', '2', '《中华人民共和国退役军人保障法》', '退出现役证明', '是'],
		['T-01', '测试报到', '2', '《中华人民共和国退役军人保障法》', '居民身份证', '否'],
	]));
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 0，修改 1，未变 0/);
	const rows = sqlRows(env.db, "SELECT m.name, m.essential FROM service_materials m JOIN service_items i ON i.id = m.item_id WHERE i.code = 'T-01' ORDER BY m.position");
	assert.deepEqual(rows.map((x) => [x.name, Number(x.essential)]), [['退出现役证明', 1], ['居民身份证', 0]]);
	/* no 所属一件事 column: the item left its bundle; T-02 is as it was */
	const members = sqlRows(env.db, "SELECT i.code FROM service_bundle_items x JOIN service_items i ON i.id = x.item_id JOIN service_items b ON b.id = x.bundle_id WHERE b.code = 'T-B' ORDER BY i.code");
	assert.deepEqual(members.map((x) => x.code), ['T-02']);
	assert.equal(sqlRows(env.db, "SELECT time_limit_days FROM service_items WHERE code = 'T-02'")[0].time_limit_days, 3);
	const back = await importFile(path.join(dir, 'small.csv'));
	assert.match(back.stdout, /新增 0，修改 1，未变 2/);
});

const BAD = [
	['承诺时限 0', [HEAD, ['X-1', '甲', '0', '', '身份证', '是']], /第 2 行 承诺时限：承诺时限应为 1 至 365 之间的整数/],
	['承诺时限 366', [HEAD, ['X-1', '甲', '366', '', '身份证', '是']], /第 2 行 承诺时限/],
	['承诺时限 not a number', [HEAD, ['X-1', '甲', '5', '', '身份证', '是'], ['X-2', '乙', '五天', '', '身份证', '是']], /第 3 行 承诺时限/],
	['材料必要 neither 是 nor 否', [HEAD, ['X-1', '甲', '5', '', '身份证', '是'], ['X-1', '甲', '5', '', '照片', '可以']], /第 3 行 材料必要：应填 是（必要）或 否（可容缺）/],
	['a bad code', [HEAD, ['X 1', '甲', '5', '', '身份证', '是']], /第 2 行 事项编码/],
	['no name', [HEAD, ['X-1', '', '5', '', '身份证', '是']], /第 2 行 事项名称：请填写事项名称/],
	['two names for one item', [HEAD, ['X-1', '甲', '5', '', '身份证', '是'], ['X-1', '乙', '5', '', '照片', '否']], /第 3 行 事项名称：与第 2 行同一事项的事项名称不一致/],
	['a material twice', [HEAD, ['X-1', '甲', '5', '', '身份证', '是'], ['X-1', '甲', '5', '', '身份证', '否']], /第 3 行 材料名称：材料重复/],
	['an empty material among others', [HEAD, ['X-1', '甲', '5', '', '身份证', '是'], ['X-1', '甲', '5', '', '', '']], /第 3 行 材料名称/],
	['an unknown column', [[...HEAD, '备注'], ['X-1', '甲', '5', '', '身份证', '是', '']], /第 1 行 表头：.*备注/],
	['a missing column', [HEAD.slice(0, 5), ['X-1', '甲', '5', '', '身份证']], /第 1 行 表头：.*材料必要/],
	['an unknown bundle', [[...HEAD, '所属一件事'], ['X-1', '甲', '5', '', '身份证', '是', 'NONE']], /第 2 行 所属一件事：没有编码为 NONE 的事项/],
	['a bundle in a bundle', [[...HEAD, '所属一件事'], ['T-02', '测试落户', '3', '', '户口簿', '是', 'X-9'], ['X-9', '大', '5', '', '', '', ''], ['T-B', '测试一件事', '5', '', '', '', 'X-9']], /所属一件事：T-B 本身是一件事/],
	['a long legal basis', [HEAD, ['X-1', '甲', '5', '法'.repeat(1001), '身份证', '是']], /第 2 行 法定依据：法定依据最多 1000 个字/],
];

for (const [what, rows, says] of BAD) {
	test(`a bad file is refused whole, naming its row and field: ${what}`, async () => {
		const before = dumpTables(env.db, TABLES);
		/* a good item last (the errors found once every row is read, or while writing, come after it) */
		const good = ['GOOD-1', '好', '5', '', '身份证', '是'];
		const plain = rows[0].length === HEAD.length && rows[0].every((h, i) => h === HEAD[i]);
		const r = await importFile(file('bad.csv', plain ? [...rows, good] : rows));
		assert.equal(r.code, 1, r.stdout);
		assert.match(r.stderr, says);
		assert.match(r.stderr, /未导入任何数据/);
		assert.equal(dumpTables(env.db, TABLES), before);
	});
}

test('the command line: misuse exits 2, a file it cannot read 1, show prints an item', async () => {
	for (const args of [[], ['import'], ['list', 'x'], ['export']]) {
		const r = await vets(['service', ...args, '--db', env.db]);
		assert.equal(r.code, 2, `${args}: ${r.stderr}`);
		assert.match(r.stderr, /^vets: .*（用 --help 查看用法）/);
	}
	const missing = await importFile(path.join(dir, 'none.csv'));
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /无法读取文件/);
	const txt = await importFile(file('catalogue.txt', 'x'));
	assert.match(txt.stderr, /只能导入 \.csv 或 \.xlsx 文件/);
	const empty = await importFile(file('empty.csv', ''));
	assert.equal(empty.code, 1);
	assert.match(empty.stderr, /第 1 行应为表头/);
	const show = await vets(['service', 'show', 'T-01', '--db', env.db]);
	assert.equal(show.code, 0, show.stderr);
	assert.equal(JSON.parse(show.stdout).name, '测试报到');
	assert.equal((await vets(['service', 'show', 'NOPE', '--db', env.db])).code, 1);
	const help = await vets(['service', '--help']);
	assert.match(help.stdout, /材料必要（是\/否/);
});

test('the first sheet of an .xlsx imports like a CSV', async () => {
	const p = path.join(dir, 'small.xlsx');
	writeFileSync(p, xlsx([HEAD, ['XL-1', '表格事项', '7', '《军人抚恤优待条例》', '居民身份证', '是'], ['XL-1', '表格事项', '7', '', '银行卡', '否']]));
	const r = await importFile(p);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 1/);
	const rows = sqlRows(env.db, "SELECT m.name, m.essential FROM service_materials m JOIN service_items i ON i.id = m.item_id WHERE i.code = 'XL-1' ORDER BY m.position");
	assert.deepEqual(rows.map((x) => [x.name, Number(x.essential)]), [['居民身份证', 1], ['银行卡', 0]]);
});

test('a clerk imports a sheet on the list page: all or nothing, the error names the row', async () => {
	const good = await c.clerk.upload('/services/import', '网页目录.csv', csv([HEAD, ['UP-1', '上传事项', '4', '', '居民身份证', '是']]));
	assert.equal(good.status, 303, `${good}`);
	assert.equal(good.headers.location, '/services');
	const page = await c.clerk.get('/services');
	assert.match(page.body, /已导入服务事项 1 个（材料 1 行）：新增 1，修改 0，未变 0/);
	assert.match(page.body, /导入事项目录/);
	const before = dumpTables(env.db, TABLES);
	const bad = await c.clerk.upload('/services/import', '错误.csv', csv([HEAD, ['UP-2', '上传事项二', '4', '', '居民身份证', '是'], ['UP-1', '上传事项', '400', '', '居民身份证', '是']]));
	const shown = await c.clerk.refused(bad);
	assert.match(shown.body, /文件无法导入：第 3 行 承诺时限：承诺时限应为 1 至 365 之间的整数（工作日）（事项 UP-1），未导入任何数据/);
	assert.match(shown.body, /<details class="panel disclosure" id="service-import" open>/);
	const wrong = await c.clerk.upload('/services/import', '目录.txt', 'x');
	assert.match((await c.clerk.refused(wrong)).body, /只能上传 \.csv 或 \.xlsx 文件/);
	assert.equal(dumpTables(env.db, TABLES), before);
	assert.equal((await c.station.upload('/services/import', 'a.csv', 'x')).status, 403);
	assert.doesNotMatch((await c.station.get('/services')).body, /导入事项目录/);
	const audit = sqlRows(env.db, "SELECT detail FROM audit_log WHERE action = 'service.import' ORDER BY seq DESC");
	assert.match(audit[0].detail, /^文件 网页目录\.csv：1 个事项 1 行材料，新增 1/);
});

test('the bureau\'s catalogue imports: 31 items, 20 allow 容缺受理, 退役军人服务一件事 bundles the counter\'s items', async () => {
	const r = await importFile(CATALOGUE);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /服务事项 31 个（材料 \d+ 行）：新增 31/);
	const again = await importFile(CATALOGUE);
	assert.match(again.stdout, /新增 0，修改 0，未变 31/);
	const list = await api(c.leader, '/api/v1/services');
	const shipped = list.json.items.filter((i) => !/^(T-|XL-|UP-)/.test(i.code));
	assert.equal(shipped.length, 31);
	assert.equal(shipped.filter((i) => i.rongque).length, 20);
	const yjs = shipped.find((i) => i.code === 'YJS-001');
	assert.equal(yjs.name, '退役军人服务一件事');
	const b = await api(c.leader, '/api/v1/services/' + yjs.id);
	const names = b.json.members.map((m) => m.name).join('|');
	for (const n of ['退役报到', '户口登记', '档案接收', '医保关系接续', '社保关系接续', '优待证申领', '经济补助金给付', '伤残抚恤关系转移', '光荣牌悬挂'])
		assert.match(names, new RegExp(n));
	const bundles = await api(c.leader, '/api/v1/services?bundles=1');
	assert.deepEqual(bundles.json.items.map((i) => i.code).filter((x) => /^YJS/.test(x)), ['YJS-001', 'YJS-002']);
});

test('the list searches by code or name; the item page marks 必要 and 可容缺', async () => {
	const page = await c.station.get('/services?q=' + encodeURIComponent('光荣牌'));
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /光荣牌悬挂/);
	assert.doesNotMatch(page.body, /退役报到/);
	assert.doesNotMatch(page.body, /新建事项/); /* a station reads only */
	const byCode = await c.station.get('/services?q=FX-00');
	assert.match(byCode.body, /伤残抚恤关系转移/);
	const id = sqlRows(env.db, "SELECT id FROM service_items WHERE code = 'TY-001'")[0].id;
	const item = await c.station.get(`/services/${id}`);
	assert.equal(item.status, 200);
	assert.match(item.body, /<h1>退役报到/);
	assert.match(item.body, /安置地人民政府退役军人事务部门开具的介绍信<\/td>\s*<td class="nowrap"><span class="badge badge-active">必要/);
	assert.match(item.body, /近期免冠彩色证件照<\/td>\s*<td class="nowrap"><span class="badge">可容缺/);
	assert.match(item.body, /退役军人服务一件事/);
	assert.equal((await c.station.get('/services/999999')).status, 404);
});

test('a clerk creates and edits an item by the form; a refused form keeps what was typed', async () => {
	const form = {
		code: 'WEB-1', name: '网页新建事项', time_limit_days: '8', legal_basis: '《军人抚恤优待条例》', conditions: '符合条件的',
		fee: '不收费', place: '三号窗口', how: '窗口办理', hours: '工作日', phone: '027-0000', department: '本局',
		essential: '居民身份证｜原件\n申请表', optional: '银行卡|复印件', members: '',
	};
	const bad = await c.clerk.postForm('/services', { ...form, time_limit_days: '0', code: 'T-01' });
	const shown = await c.clerk.refused(bad);
	assert.match(shown.body, /未保存，请修改以下/);
	assert.match(shown.body, /承诺时限应为 1 至 365/);
	assert.match(shown.body, /网页新建事项/);
	const ok = await c.clerk.postForm('/services', form);
	assert.equal(ok.status, 303, `${ok}`);
	const id = ok.headers.location.split('/').pop();
	const item = await api(c.clerk, `/api/v1/services/${id}`);
	assert.deepEqual(item.json.materials.map((m) => [m.name, m.essential, m.note]), [['居民身份证', true, '原件'], ['申请表', true, ''], ['银行卡', false, '复印件']]);
	const edit = await c.clerk.get(`/services/${id}/edit`);
	assert.equal(edit.status, 200);
	assert.match(edit.body, /居民身份证｜原件/);
	const taken = await c.clerk.postForm(`/services/${id}`, { ...form, code: 'T-01' });
	assert.match((await c.clerk.refused(taken)).body, /编码 T-01 已被其他事项使用/);
	/* a bundle of it and T-02 */
	const b = await c.clerk.postForm('/services', { ...form, code: 'WEB-B', name: '网页一件事', essential: '', optional: '', members: 'WEB-1、T-02' });
	assert.equal(b.status, 303, `${b}`);
	const bundle = await api(c.clerk, `/api/v1/services/${b.headers.location.split('/').pop()}`);
	assert.deepEqual(bundle.json.members.map((m) => m.code), ['WEB-1', 'T-02']);
	const nested = await c.clerk.postForm('/services', { ...form, code: 'WEB-C', name: '套娃', members: 'WEB-B' });
	assert.match((await c.clerk.refused(nested)).body, /WEB-B 本身是一件事/);
	const saved = await c.clerk.postForm(`/services/${id}`, { ...form, time_limit_days: '9' });
	assert.equal(saved.status, 303);
	assert.equal((await api(c.clerk, `/api/v1/services/${id}`)).json.time_limit_days, 9);
	/* the same again changes nothing, and writes no audit record */
	const n = sqlRows(env.db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'service.%'")[0].n;
	await c.clerk.postForm(`/services/${id}`, { ...form, time_limit_days: '9' });
	assert.equal(sqlRows(env.db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'service.%'")[0].n, n);
});

test('only clerks keep the catalogue', async () => {
	for (const u of ['station', 'leader']) {
		assert.equal((await c[u].get('/services/new')).status, 403);
		assert.equal((await c[u].postForm('/services', { code: 'NO-1' })).status, 403);
	}
	assert.equal((await c.auditor.get('/services')).status, 403);
});

test('the 办事指南 and the 一次性告知书 print as A4 pages', async () => {
	const id = sqlRows(env.db, "SELECT id FROM service_items WHERE code = 'TY-001'")[0].id;
	const guide = await c.station.get(`/services/${id}/guide`);
	assert.equal(guide.status, 200);
	for (const s of ['办事指南', '退役报到', '法定依据', '《中华人民共和国退役军人保障法》', '1 个工作日', '近期免冠彩色证件照', '可容缺', '027-5999 0012', 'data-print'])
		assert.ok(guide.body.includes(s), s);
	const notice = await c.station.get(`/services/${id}/notice`);
	assert.equal(notice.status, 200);
	for (const s of ['一次性告知书', '申请人＿＿', '“近期免冠彩色证件照”为可容缺材料', '容缺受理', '1</strong> 个工作日内办结', '日期：＿＿＿＿年'])
		assert.ok(notice.body.includes(s), s);
	const bundle = sqlRows(env.db, "SELECT id FROM service_items WHERE code = 'YJS-001'")[0].id;
	const bn = await c.station.get(`/services/${bundle}/notice`);
	assert.match(bn.body, /退役报到：/);
});

/* A download's status, headers and bytes (the client's text body would garble them). */
function download(client, urlPath) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: env.server.port, path: urlPath, agent: false, setHost: false, headers: { Host: env.server.host, Cookie: client.cookieHeader() } }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

function soffice() {
	for (const p of ['/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice'])
		if (existsSync(p)) return p;
	return null;
}

/* The text LibreOffice reads from a .docx. */
function docxText(bytes, name) {
	const out = path.join(dir, 'lo-' + name);
	mkdirSync(out, { recursive: true });
	const p = path.join(out, name + '.docx');
	writeFileSync(p, bytes);
	const r = spawnSync(soffice(), [`-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'txt:Text', '--outdir', out, p], { encoding: 'utf8', timeout: 120000 });
	assert.equal(r.status, 0, r.stderr);
	return readFileSync(path.join(out, name + '.txt'), 'utf8');
}

test('both documents download as .docx that LibreOffice opens', async (t) => {
	const id = sqlRows(env.db, "SELECT id FROM service_items WHERE code = 'TY-001'")[0].id;
	const g = await download(c.station, `/services/${id}/guide.docx`);
	assert.equal(g.status, 200);
	assert.equal(g.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
	assert.match(g.headers['content-disposition'], /filename="guide-TY-001\.docx"; filename\*=UTF-8''%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97-TY-001\.docx/);
	assert.equal(g.raw.subarray(0, 2).toString(), 'PK');
	const n = await download(c.station, `/services/${id}/notice.docx`);
	assert.equal(n.status, 200);
	if (!soffice()) return t.skip('LibreOffice is not installed (scripts/install-deps.sh installs it)');
	const gt = docxText(g.raw, 'guide');
	for (const s of ['办事指南', '退役报到', '《中华人民共和国退役军人保障法》', '近期免冠彩色证件照', '可容缺', '1 个工作日', '027-5999 0012'])
		assert.ok(gt.includes(s), `${s} in ${gt}`);
	const nt = docxText(n.raw, 'notice');
	for (const s of ['一次性告知书', '申请人＿＿', '“近期免冠彩色证件照”为可容缺材料', '日期：＿＿＿＿年'])
		assert.ok(nt.includes(s), `${s} in ${nt}`);
	/* markup in the catalogue is text in the document */
	const form = { code: 'ESC-1', name: '<b>&"转义"</b>', time_limit_days: '3', essential: "a<b>&c'd", optional: '', members: '' };
	const made = await c.clerk.postForm('/services', form);
	assert.equal(made.status, 303, `${made}`);
	const e = await download(c.station, `${made.headers.location}/guide.docx`);
	const et = docxText(e.raw, 'escape');
	assert.ok(et.includes('<b>&"转义"</b>'), et);
	assert.ok(et.includes("a<b>&c'd"), et);
});

test('every change is audited, and the trail verifies', async () => {
	const rows = await auditRows(c.auditor, { action: 'service.' });
	const actions = new Set(rows.map((r) => r.action));
	for (const a of ['service.import', 'service.create', 'service.update']) assert.ok(actions.has(a), a);
	const imp = rows.find((r) => r.action === 'service.import');
	assert.match(imp.detail, /文件 .*：\d+ 个事项 \d+ 行材料，新增 \d+，修改 \d+，未变 \d+/);
	assert.equal(rows.find((r) => r.action === 'service.create').action_title, '新建服务事项');
	auditVerify(env.db);
});

test('vets demo fills the same catalogue as the shipped CSV', async () => {
	const { db, stdout } = await demoStore();
	assert.match(stdout, /服务事项目录：31 个事项（其中一件事 2 个，可容缺受理 20 个）/);
	const r = await vets(['service', 'import', CATALOGUE, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 0，修改 0，未变 31/);
	const list = await vets(['service', 'list', '--db', db]);
	assert.match(list.stdout, /共 31 个事项，其中可容缺受理 20 个/);
});

/* ---- a small .xlsx: stored zip entries ---- */

function zip(files) {
	const locals = [];
	const central = [];
	let offset = 0;
	for (const [name, text] of Object.entries(files)) {
		const data = Buffer.from(text);
		const nameBuf = Buffer.from(name);
		const crc = zlib.crc32(data);
		const h = Buffer.alloc(30);
		h.writeUInt32LE(0x04034b50, 0);
		h.writeUInt16LE(20, 4);
		h.writeUInt32LE(crc, 14);
		h.writeUInt32LE(data.length, 18);
		h.writeUInt32LE(data.length, 22);
		h.writeUInt16LE(nameBuf.length, 26);
		locals.push(h, nameBuf, data);
		const ch = Buffer.alloc(46);
		ch.writeUInt32LE(0x02014b50, 0);
		ch.writeUInt16LE(20, 4);
		ch.writeUInt16LE(20, 6);
		ch.writeUInt32LE(crc, 16);
		ch.writeUInt32LE(data.length, 20);
		ch.writeUInt32LE(data.length, 24);
		ch.writeUInt16LE(nameBuf.length, 28);
		ch.writeUInt32LE(offset, 42);
		central.push(ch, nameBuf);
		offset += 30 + nameBuf.length + data.length;
	}
	const cd = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(files).length, 8);
	end.writeUInt16LE(Object.keys(files).length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

function xlsx(rows) {
	const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const data = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) => (v === '' ? '' : `<c r="${String.fromCharCode(65 + i)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`).join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	const pkg = 'http://schemas.openxmlformats.org/package/2006';
	return zip({
		'[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="事项" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${data}</sheetData></worksheet>`,
	});
}
