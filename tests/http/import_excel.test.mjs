// import_excel.test.mjs - the import as Excel users work: the template to download
// (CSV and XLSX with an example row and, in the workbook, the rules), a CSV saved in GBK
// (Excel's "CSV" on Chinese Windows) read as such and named in the preview, bytes that
// are text in neither encoding refused with their row and nothing saved, the rejected
// rows' file as the rows were sent plus the reason (fixed, it imports again), and the
// list of exactly the people one import added or changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec } from './lib.mjs';

const HEADER = '姓名,身份证号,人员类别,联系电话,街道,社区,住址,入伍时间,退役时间,安置方式,残疾等级,残疾性质,开户银行,银行账号,备注';
const EXAMPLE_ID = '11010519491231002X';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let env;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'ex_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'ex_clerk2', 'clerk', { org: '420199' }),
		addUser(db, 'ex_station', 'station', { org: '420199002' }),
	]);
	env = { db, server: await Server.start(db) };
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function signedIn(name) {
	const c = new Client(env.server);
	await c.signIn(name);
	return c;
}

const text = (html) => html.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
const tokenOf = (r) => /name="token" value="([0-9a-f]{64})"/.exec(r.body)?.[1];
const count = () => Number(sqlExec(env.db, 'SELECT count(*) FROM persons;').trim());
const gbk = (s) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(s) });
const bytesOf = (r) => r.raw;

/** The entries of a zip (a workbook) by name, inflated. */
function unzip(buf) {
	let end = buf.length - 22;
	while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
	assert.ok(end >= 0, 'a zip');
	const n = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const out = {};
	for (let i = 0; i < n; i++) {
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLen = buf.readUInt16LE(at + 28);
		const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + size);
		out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
		at += 46 + nameLen + extra;
	}
	return out;
}

/** The text of each row of a worksheet's XML: [[cell text…]…] (inline or shared strings). */
function sheetRows(xml, shared = []) {
	return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) =>
		[...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((c) => {
			const body = c[2] ?? '';
			if (/t="s"/.test(c[1])) return shared[Number(/<v>(\d+)<\/v>/.exec(body)[1])];
			const t = /<t[^>]*>(.*?)<\/t>/s.exec(body);
			return t ? t[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') : '';
		}),
	);
}

function workbookRows(buf, sheet = 1) {
	const parts = unzip(buf);
	const shared = parts['xl/sharedStrings.xml'] ? [...parts['xl/sharedStrings.xml'].matchAll(/<si>.*?<t[^>]*>(.*?)<\/t>.*?<\/si>/gs)].map((m) => m[1]) : [];
	return sheetRows(parts[`xl/worksheets/sheet${sheet}.xml`], shared);
}

/** GET as bytes (the client keeps a body as text): {status, headers, raw}. */
function download(c, p) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: c.server.port, path: p, headers: { Host: c.server.host, Cookie: c.cookieHeader() }, agent: false, setHost: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

async function upload(c, name, content) {
	return c.upload('/persons/import', name, content);
}

/** Confirms the preview r, follows the redirect to the result page, returns it. */
async function confirm(c, r) {
	const done = await c.postForm('/persons/import/confirm', { token: tokenOf(r) });
	assert.equal(done.status, 303, `${done}`);
	assert.match(done.headers.location, /^\/persons\/import\/progress\?token=[0-9a-f]{64}$/);
	const result = await c.get(done.headers.location);
	assert.equal(result.status, 200, `${result}`);
	return result;
}

test('the templates: the import\'s columns, one fictional example row, the rules; each previews cleanly', async () => {
	const c = await signedIn('ex_clerk');
	const csv = await c.get('/persons/import/template.csv');
	assert.equal(csv.status, 200, `${csv}`);
	assert.match(csv.headers['content-type'], /^text\/csv/);
	assert.match(csv.headers['content-disposition'], /attachment/);
	assert.ok(csv.body.startsWith('\ufeff' + HEADER + '\r\n'), csv.body.slice(0, 200));
	const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
	assert.equal(lines.length, 2, 'the header and one example row');
	const example = lines[1].split(',');
	assert.equal(example[0], '张示例');
	assert.equal(example[1], EXAMPLE_ID, 'GB 11643\'s own example number');
	assert.equal(example[4], '东湖街道', 'a street of the district');
	assert.equal(example[5], '建设社区', 'a community of that street');
	assert.match(example[14], /示例/);

	const xlsx = await download(c, '/persons/import/template.xlsx');
	assert.equal(xlsx.status, 200, `${xlsx}`);
	assert.equal(xlsx.headers['content-type'], XLSX_TYPE);
	const book = bytesOf(xlsx);
	const parts = unzip(book);
	const sheets = [...parts['xl/workbook.xml'].matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
	assert.deepEqual(sheets, ['人员名单', '填写说明']);
	const first = workbookRows(book, 1);
	assert.equal(first[0].join(','), HEADER);
	assert.equal(first[1].join(','), lines[1], 'the same example row in both templates');
	const rules = workbookRows(book, 2);
	assert.deepEqual(rules[0], ['列名', '是否必填', '填写要求']);
	assert.deepEqual(rules.slice(1, 16).map((r) => r[0]), HEADER.split(','));
	const rule = Object.fromEntries(rules.slice(1, 16).map((r) => [r[0], r]));
	assert.equal(rule['姓名'][1], '必填');
	assert.equal(rule['联系电话'][1], '选填');
	assert.match(rule['残疾等级'][1], /残疾军人/);
	/* The vocabularies as their areas define them. */
	assert.match(rule['人员类别'][2], /退役军人、残疾军人、烈士遗属/);
	assert.match(rule['残疾性质'][2], /因战、因公、因病/);
	assert.match(rule['安置方式'][2], /自主就业/);
	assert.match(rule['街道'][2], /东湖街道、长青街道/);
	assert.ok(rules.some((r) => /错误原因/.test(r[0] ?? '')), 'the notes say the reason column is ignored');

	/* The page shows the same rules beside the two links. */
	const form = await c.get('/persons/import');
	assert.match(form.body, /href="\/persons\/import\/template\.xlsx"/);
	assert.match(form.body, /href="\/persons\/import\/template\.csv"/);
	assert.match(text(form.body), /填写说明/);
	assert.match(text(form.body), /因战、因公、因病/);

	/* Round trips: each template as downloaded, and the CSV without its example. */
	for (const [name, content, added] of [
		['模板.csv', Buffer.from(csv.body), 1],
		['模板.xlsx', book, 1],
		['只有表头.csv', Buffer.from('\ufeff' + HEADER + '\r\n'), 0],
	]) {
		const r = await upload(c, name, content);
		assert.equal(r.status, 200, `${name}: ${r}`);
		const t = text(r.body);
		assert.match(t, new RegExp(`将新增\\s*${added} 人`), `${name}: ${t.slice(0, 600)}`);
		assert.match(t, /将拒绝\s*0 行/, name);
	}
	assert.equal(count(), 0, 'a preview writes nothing');
});

test('a station\'s template: the example row in its own street, and the rules list only that street', async () => {
	const c = await signedIn('ex_station');
	const csv = await c.get('/persons/import/template.csv');
	const example = csv.body.replace(/^\ufeff/, '').trim().split('\r\n')[1].split(',');
	assert.deepEqual(example.slice(4, 6), ['长青街道', '和平社区']);
	const r = await upload(c, '模板.csv', csv.body);
	assert.match(text(r.body), /将新增\s*1 人/);
	assert.match(text(r.body), /将拒绝\s*0 行/);
	const form = text((await c.get('/persons/import')).body);
	assert.match(form, /本辖区街道名称：长青街道/);
	assert.ok(!form.includes('东湖街道'), 'another street offered to a station');
});

const GBK_ROWS = [
	['王小明', idNumber('42010619800101101'), '退役军人', '13912340001', '东湖街道', '建设社区', '东湖路 8 号'],
	['欧阳秀芳', idNumber('42010619750202202'), '烈士遗属', '', '长青街道', '和平社区', ''],
	['张三丰', idNumber('42010619600303303'), '退役军人、参战退役军人', '', '东湖街道', '', '备注：“引号”'],
];

test('a CSV saved in GBK: read as GB18030, the encoding named in the preview, the names imported right', async () => {
	const c = await signedIn('ex_clerk');
	const csv = ['姓名,身份证号,人员类别,联系电话,街道,社区,住址', ...GBK_ROWS.map((r) => r.join(','))].join('\r\n') + '\r\n';
	const bytes = gbk(csv);
	assert.notDeepEqual(Buffer.from(bytes.toString('utf8')), bytes, 'the file is not UTF-8');
	const r = await upload(c, '名单（GBK）.csv', bytes);
	assert.equal(r.status, 200, `${r}`);
	const t = text(r.body);
	assert.match(t, /文件编码：GB18030（GBK）/);
	assert.match(t, /将新增\s*3 人/);
	assert.match(t, /将拒绝\s*0 行/);
	/* A UTF-8 file says so too. */
	const utf8 = await upload(c, '名单.csv', '\ufeff' + csv);
	assert.match(text(utf8.body), /文件编码：UTF-8/);
	const again = await upload(c, '名单（GBK）.csv', bytes);
	const result = await confirm(c, again);
	assert.match(text(result.body), /导入完成：新增 3 人，更新 0 人，未变化 0 人，拒绝 0 行/);
	/* The names as the list shows them. */
	for (const [name, id] of GBK_ROWS) {
		const list = await c.get(`/api/v1/persons?q=${encodeURIComponent(name)}`);
		assert.equal(list.status, 200);
		const items = list.json.items.filter((p) => p.name === name);
		assert.equal(items.length, 1, `${name}: ${list.body}`);
		assert.equal(items[0].id_number.slice(-4), id.slice(-4));
	}
	assert.equal(sqlExec(env.db, "SELECT address FROM persons WHERE name = '张三丰';").trim(), '备注：“引号”');
});

test('bytes that are text in neither encoding: refused with their row, nothing saved', async () => {
	const c = await signedIn('ex_clerk');
	const before = count();
	const head = gbk('姓名,身份证号,人员类别\r\n新人甲,' + idNumber('42010619810101404') + ',退役军人\r\n');
	const bad = Buffer.concat([head, Buffer.from([0x80, 0x80]), gbk(',' + idNumber('42010619810101505') + ',退役军人\r\n')]);
	const r = await c.refused(await upload(c, '坏文件.csv', bad));
	const t = text(r.body);
	assert.match(t, /第 3 行：既不是有效的 UTF-8 编码，也不是有效的 GB18030（GBK）编码/);
	assert.ok(!tokenOf(r), 'nothing to confirm');
	/* A UTF-8 file with one row in GBK: that row, not a garbled import. */
	const mixed = Buffer.concat([Buffer.from('姓名,身份证号,人员类别\r\n新人乙,' + idNumber('42010619810101606') + ',退役军人\r\n'), gbk('新人丙,' + idNumber('42010619810101707') + ',退役军人\r\n')]);
	const m = await c.refused(await upload(c, '混合.csv', mixed));
	assert.match(text(m.body), /第 3 行：不是有效的 UTF-8 编码/);
	assert.equal(count(), before);
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM persons WHERE name LIKE '新人%';").trim(), '0');
});

test('the rejected rows: the rows as sent plus 错误原因; fixed, the same file imports again', async () => {
	const c = await signedIn('ex_clerk');
	const good = idNumber('42010619820101808');
	const badCheck = ((id) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))(idNumber('42010619820101909'));
	const fixedId = idNumber('42010619820101909');
	const header = '备注,姓名,身份证号,人员类别,街道,';
	const rows = [
		`第一行,退回甲,${good},退役军人,东湖街道,`, // 2: good
		`"有逗号,和""引号""",退回乙,${badCheck},退役军人,东湖街道,`, // 3: bad check digit
		`,退回丙,${idNumber('42010619820102000')},退休军人,西湖街道,`, // 4: a category and a street
		`=1+1,退回丁,${idNumber('42010619820102101')},军属,东湖街道,`, // 5: a formula-like cell, a bad category
	];
	const r = await upload(c, '退回.csv', '\ufeff' + [header, ...rows].join('\r\n') + '\r\n');
	assert.equal(r.status, 200, `${r}`);
	assert.match(text(r.body), /将拒绝\s*3 行/);
	assert.match(r.body, /改正下载的文件中被拒绝的行后，可直接再次导入/);
	const file = await c.get(`/persons/import/rejected?token=${tokenOf(r)}`);
	assert.equal(file.status, 200, `${file}`);
	assert.match(file.headers['content-type'], /^text\/csv/);
	const lines = file.body.replace(/^\ufeff/, '').trim().split('\r\n');
	assert.equal(lines[0], '备注,姓名,身份证号,人员类别,街道,,错误原因', 'the header as sent, the reason last');
	assert.equal(lines.length, 4, file.body);
	assert.ok(lines[1].startsWith(rows[1] + ','), lines[1]);
	assert.match(lines[1], /,身份证号：[^,]+$/);
	assert.ok(lines[2].startsWith(rows[2] + ','), lines[2]);
	assert.match(lines[2], /人员类别：.+；街道：/, 'every reason of the row');
	/* A formula is guarded (the import takes the guard off again). */
	assert.ok(lines[3].startsWith("'" + rows[3] + ','), lines[3]);

	/* Fixed in the downloaded file, reason column and all: imported as it is. */
	const fixed = file.body
		.replace(badCheck, fixedId)
		.replace('退休军人,西湖街道', '退役军人,长青街道')
		.replace('军属', '退役军人');
	const again = await upload(c, 'rejected.csv', fixed);
	assert.equal(again.status, 200, `${again}`);
	assert.match(text(again.body), /将新增\s*3 人/);
	assert.match(text(again.body), /将拒绝\s*0 行/);
	const result = await confirm(c, again);
	assert.match(text(result.body), /新增 3 人/);
	assert.equal(sqlExec(env.db, "SELECT note FROM persons WHERE name = '退回乙';").trim(), '有逗号,和"引号"');
	assert.equal(sqlExec(env.db, "SELECT note FROM persons WHERE name = '退回丁';").trim(), '=1+1');
	/* A new preview's rejected file has one reason column, not two. */
	const twice = await upload(c, 'rejected2.csv', file.body);
	const second = await c.get(`/persons/import/rejected?token=${tokenOf(twice)}`);
	assert.equal(second.body.replace(/^\ufeff/, '').split('\r\n')[0], '备注,姓名,身份证号,人员类别,街道,,错误原因');
});

/* A workbook with inline strings whose first sheet holds rows. */
function workbook(rows) {
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const data = rows
		.map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) => (v === '' ? '' : `<c r="${String.fromCharCode(65 + i)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`)
		.join('');
	const entries = {
		'[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${data}</sheetData></worksheet>`,
	};
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const raw = Buffer.from(content);
		const packed = zlib.deflateRawSync(raw);
		const fname = Buffer.from(name);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(zlib.crc32(raw), 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(raw.length, 22);
		local.writeUInt16LE(fname.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(zlib.crc32(raw), 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(raw.length, 24);
		central.writeUInt16LE(fname.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, fname, packed);
		centrals.push(central, fname);
		offset += 30 + fname.length + packed.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(centrals.length / 2, 8);
	end.writeUInt16LE(centrals.length / 2, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

test('an .xlsx upload\'s rejected rows come as .xlsx: the rows as sent plus 错误原因, read again', async () => {
	const c = await signedIn('ex_clerk');
	const rows = [
		['姓名', '身份证号', '人员类别', '街道'],
		['表格甲', idNumber('42010619830101111'), '退役军人', '东湖街道'],
		['表格乙', idNumber('42010619830101222'), '退役军人', '北湖街道'],
	];
	const r = await upload(c, '名单.xlsx', workbook(rows));
	assert.equal(r.status, 200, `${r}`);
	assert.match(text(r.body), /将拒绝\s*1 行/);
	assert.ok(!/文件编码/.test(text(r.body)), 'a workbook has no text encoding to name');
	const file = await download(c, `/persons/import/rejected?token=${tokenOf(r)}`);
	assert.equal(file.status, 200, `${file}`);
	assert.equal(file.headers['content-type'], XLSX_TYPE);
	const got = workbookRows(bytesOf(file));
	assert.deepEqual(got[0], [...rows[0], '错误原因']);
	assert.deepEqual(got[1].slice(0, 4), rows[2]);
	assert.match(got[1][4], /^街道：/);
	assert.equal(got.length, 2);
	/* Uploaded again as it came: the reason column is ignored, the row still refused for its street. */
	const again = await upload(c, 'rejected.xlsx', bytesOf(file));
	assert.equal(again.status, 200, `${again}`);
	assert.match(text(again.body), /将新增\s*0 人/);
	assert.match(text(again.body), /将拒绝\s*1 行/);
});

test('after an import, its link lists exactly the people it added or changed', async () => {
	const c = await signedIn('ex_clerk');
	const [a, b, d] = [idNumber('42010619840101111'), idNumber('42010619840101222'), idNumber('42010619840101333')];
	const first = await confirm(c, await upload(c, '第一批.csv', `姓名,身份证号,人员类别,联系电话\r\n一批甲,${a},退役军人,13900000001\r\n一批乙,${b},退役军人,13900000002\r\n`));
	const link1 = /href="(\/persons\/import\/people\?import=(\d+))"[^>]*>查看本次导入的人员</.exec(first.body);
	assert.ok(link1, first.body);
	const list1 = await c.get(link1[1]);
	assert.equal(list1.status, 200, `${list1}`);
	const names = (html) => [...html.matchAll(/<td class="c-name nowrap"><a href="\/persons\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
	assert.deepEqual(names(list1.body), ['一批甲', '一批乙']);
	assert.match(text(list1.body), /新增 2 人，更新 0 人/);

	/* The second: 甲 changed, 乙 unchanged, 丙 new. */
	const second = await confirm(c, await upload(c, '第二批.csv', `姓名,身份证号,人员类别,联系电话\r\n一批甲,${a},退役军人,13900000009\r\n一批乙,${b},退役军人,13900000002\r\n二批丙,${d},退役军人,\r\n`));
	assert.match(text(second.body), /新增 1 人，更新 1 人，未变化 1 人/);
	const link2 = /href="(\/persons\/import\/people\?import=(\d+))"/.exec(second.body);
	assert.notEqual(link2[2], link1[2]);
	const list2 = await c.get(link2[1]);
	assert.deepEqual(names(list2.body), ['一批甲', '二批丙'], 'not the unchanged, not the first import\'s');
	const t2 = text(list2.body);
	assert.match(t2, /一批甲.*更新/s);
	assert.match(t2, /二批丙.*新增/s);
	assert.ok(!t2.includes(a) && !t2.includes(d), 'numbers masked');
	/* The first list is still its own. */
	assert.deepEqual(names((await c.get(link1[1])).body), ['一批甲', '一批乙']);
	assert.equal(sqlExec(env.db, `SELECT group_concat(outcome, ',') FROM person_import_people WHERE import_id = ${link2[2]};`).trim(), 'changed,added');
	/* Another user's import is not found; a station sees nothing of it either. */
	const other = await signedIn('ex_clerk2');
	assert.equal((await other.get(link1[1])).status, 404);
	const st = await signedIn('ex_station');
	assert.equal((await st.get(link1[1])).status, 404);
	/* The list keeps to the viewer's scope: a person of a station's import moved to another
	 * street since is no longer shown to the station. */
	const [s1, s2] = [idNumber('42010619840101555'), idNumber('42010619840101666')];
	const stImport = await confirm(st, await upload(st, '站点.csv', `姓名,身份证号,人员类别,街道\r\n站点甲,${s1},退役军人,长青街道\r\n站点乙,${s2},退役军人,长青街道\r\n`));
	const stLink = /href="(\/persons\/import\/people\?import=\d+)"/.exec(stImport.body)[1];
	assert.deepEqual(names((await st.get(stLink)).body), ['站点甲', '站点乙']);
	sqlExec(env.db, "UPDATE persons SET street_code = '420199001', region_code = '420199001' WHERE name = '站点乙';");
	const moved = await st.get(stLink);
	assert.deepEqual(names(moved.body), ['站点甲']);
	assert.ok(!moved.body.includes('站点乙'));
	/* A preview records no import. */
	const imports = sqlExec(env.db, 'SELECT count(*) FROM person_imports;').trim();
	await upload(c, '只看看.csv', `姓名,身份证号,人员类别\r\n预览丁,${idNumber('42010619840101444')},退役军人\r\n`);
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM person_imports;').trim(), imports);
});
