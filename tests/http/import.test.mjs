// import.test.mjs - the registry's import and export on the command line:
// row-by-row refusals with their row numbers, idempotent re-import, byte-exact
// round trips through CSV and XLSX (with the formula guard), all-or-nothing,
// files refused whole, and the audited export. Then the import on the web: a
// small file previewed at once, a large one checked and imported in the
// background behind a progress page (limits on jobs, who may see them), and the
// server stopped while a job runs. The tests of this file build on each other,
// in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Server, SLOW, addUser, cleanup, dumpTables, hasChinese, hexSql, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const HEADER = '姓名,身份证号,人员类别,联系电话,街道,社区,住址,入伍时间,退役时间,安置方式,残疾等级,残疾性质,开户银行,银行账号,备注';
const HYPERLINK = '=HYPERLINK("http://x","y")';
const NOTE = '家住"东湖",\n门牌 3 号';

const ids = {
	good1: idNumber('42010619800101011'),
	good2: idNumber('42010619700202022'),
	good3: idNumber('42010619650303033'),
	good4: idNumber('42010619900404044'),
	good5: idNumber('42010619301212055'),
	cat: idNumber('42010619800505066'),
	street: idNumber('42010619800606077'),
	account: idNumber('42010619800707088'),
	extra: idNumber('42010619811111099'),
};
const badCheck = ((id) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))(idNumber('42010619800808019'));

const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (cells) => cells.map(csvCell).join(',');
/* A row in HEADER's order from a partial object. */
function row(o) {
	const cols = ['name', 'id', 'cat', 'phone', 'street', 'community', 'address', 'enlisted', 'discharged', 'placement', 'grade', 'nature', 'bank', 'account', 'note'];
	return csvLine(cols.map((k) => o[k] ?? ''));
}

/* Rows 2..10 of the mixed file (the header is row 1); a quoted cell with a newline is still one row. */
const MIXED = [
	row({ name: '刘一', id: ids.good1, cat: '退役军人', phone: '13812340001', street: '东湖街道', community: '建设社区', enlisted: '1998-12', discharged: '2003-12', placement: '自主就业', bank: '中国银行', account: '6217001234567890' }), // 2
	row({ name: '陈二', id: badCheck, cat: '退役军人' }), // 3: bad check digit
	row({ name: '张三', id: ids.good2, cat: '退役军人、残疾军人', grade: '6', nature: '因战', street: '长青街道', community: '和平社区', phone: '027-88886666' }), // 4
	row({ name: '李四', id: ids.cat, cat: '退休军人' }), // 5: unknown category
	row({ name: '王五', id: ids.good3, cat: '烈士遗属', street: '长青街道', note: NOTE }), // 6: comma, newline, quote
	row({ name: '赵六', id: ids.street, cat: '退役军人', street: '西湖街道' }), // 7: unknown street
	row({ name: '孙七', id: ids.good4, cat: '参战退役军人', address: HYPERLINK, street: '东湖街道', note: '@张三 +1 -1' }), // 8: formula-like cells
	row({ name: '周八', id: ids.account, cat: '退役军人', account: '6222021234' }), // 9: a 10-digit account
	row({ name: '吴九', id: ids.good5, cat: '在乡复员军人', enlisted: '1950-03', note: "''以撇号开头" }), // 10: a guarded apostrophe
];
const BAD_ROWS = { 3: '身份证号', 5: '人员类别', 7: '街道', 9: '银行账号' };
const GOOD = 5;

let dir;
let db; /* the main database */
let mixed; /* the mixed file's path */

before(async () => {
	({ db, dir } = await initDb());
	await importRegions(db);
	mixed = path.join(dir, 'mixed.csv');
	writeFileSync(mixed, '\ufeff' + [HEADER, ...MIXED].join('\r\n') + '\r\n');
});

after(cleanup);

const count = (d) => Number(sqlExec(d, 'SELECT count(*) FROM persons;').trim());
const dump = (d) => dumpTables(d, ['persons', 'person_history', 'person_identities']);

/** A fresh database with the same regions. */
async function freshDb() {
	const f = await initDb();
	await importRegions(f.db);
	return f.db;
}

function importFile(file, d = db, extra = []) {
	return vets(['import', 'persons', file, '--db', d, ...extra]);
}

async function exportTo(file, d = db) {
	const r = await vets(['export', 'persons', file, '--db', d]);
	assert.equal(r.code, 0, `export ${file}: ${r.stderr}`);
	return readFileSync(file);
}

test('a CSV with BOM and CRLF: bad rows reported one line each with their row numbers, good rows in', async () => {
	const r = await importFile(mixed);
	assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
	assert.equal(r.signal, null);
	const lines = r.stderr.split('\n').filter((l) => l.trim());
	const rowLines = lines.filter((l) => /^第 \d+ 行：/.test(l));
	assert.equal(rowLines.length, Object.keys(BAD_ROWS).length, r.stderr);
	for (const [n, field] of Object.entries(BAD_ROWS)) {
		const l = rowLines.filter((x) => x.startsWith(`第 ${n} 行：`));
		assert.equal(l.length, 1, `row ${n}: ${r.stderr}`);
		assert.match(l[0], new RegExp(`^第 ${n} 行：${field}：\\S`), l[0]);
	}
	assert.ok(!r.stderr.includes(badCheck), 'the refused ID number echoed on stderr');
	assert.match(r.stdout, new RegExp(`新增 ${GOOD} 人，更新 0 人，未变化 0 人，拒绝 4 行`));
	assert.equal(count(db), GOOD);
	const got = sqlExec(db, 'SELECT name FROM persons ORDER BY id;').trim().split('\n');
	assert.deepEqual(got, ['刘一', '张三', '王五', '孙七', '吴九']);
	/* The quoted cell kept its comma, newline and quote; the formula-like text is kept as text. */
	assert.equal(sqlExec(db, `SELECT ${hexSql(db, 'note')} FROM persons WHERE name = '王五';`).trim(), Buffer.from(NOTE).toString('hex').toUpperCase());
	assert.equal(sqlExec(db, "SELECT address FROM persons WHERE name = '孙七';").trim(), HYPERLINK);
	assert.equal(sqlExec(db, "SELECT note FROM persons WHERE name = '孙七';").trim(), '@张三 +1 -1');
	/* One leading apostrophe is taken as the guard, the second one is text. */
	assert.equal(sqlExec(db, "SELECT note FROM persons WHERE name = '吴九';").trim(), "'以撇号开头");
	const cats = sqlExec(db, "SELECT group_concat(category, '|') FROM (SELECT category FROM person_identities i JOIN persons p ON p.id = i.person_id WHERE p.name = '张三' ORDER BY category) c;").trim();
	assert.deepEqual(cats.split('|').sort(), ['残疾军人', '退役军人'].sort());
});

test('importing the same file again changes nothing', async () => {
	const before = dump(db);
	const audits = sqlExec(db, 'SELECT count(*) FROM audit_log;');
	const r = await importFile(mixed);
	assert.equal(r.code, 1); /* the bad rows are still bad */
	assert.match(r.stdout, new RegExp(`新增 0 人，更新 0 人，未变化 ${GOOD} 人`));
	assert.equal(dump(db), before);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM person_history;').trim(), '0');
	assert.equal(sqlExec(db, 'SELECT count(*) FROM audit_log;'), audits);
});

let gcsv; /* the first CSV export's bytes */

test('CSV round trip: export, import into a fresh database, export again: the same bytes', async () => {
	const g = path.join(dir, 'G.csv');
	gcsv = await exportTo(g);
	const text = gcsv.toString('utf8');
	assert.ok(text.startsWith('\ufeff' + HEADER + '\r\n'), text.slice(0, 200));
	/* The export holds full values (CLI export), and the formula-like cells are guarded. */
	assert.ok(text.includes(ids.good1) && text.includes('6217001234567890'));
	assert.ok(text.includes(csvCell("'" + HYPERLINK)), 'HYPERLINK not guarded');
	assert.ok(!text.includes(',' + csvCell(HYPERLINK)), 'an unguarded formula');
	assert.ok(text.includes(",'@张三 +1 -1\r\n"), '@ not guarded');
	assert.ok(text.includes(",''以撇号开头\r\n"), 'an apostrophe not guarded');
	assert.ok(text.includes(csvCell(NOTE)));

	const other = await freshDb();
	const r = await importFile(g, other);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`新增 ${GOOD} 人，更新 0 人，未变化 0 人，拒绝 0 行`));
	assert.equal(sqlExec(other, "SELECT address FROM persons WHERE name = '孙七';").trim(), HYPERLINK);
	assert.equal(sqlExec(other, "SELECT note FROM persons WHERE name = '吴九';").trim(), "'以撇号开头");
	assert.equal(sqlExec(other, "SELECT note FROM persons WHERE name = '孙七';").trim(), '@张三 +1 -1');
	const again = await exportTo(path.join(dir, 'G2.csv'), other);
	assert.ok(again.equals(gcsv), `exports differ:\n${gcsv.toString()}\n---\n${again.toString()}`);
	/* And importing the export into its own database changes nothing. */
	const same = await importFile(g);
	assert.equal(same.code, 0, same.stderr);
	assert.match(same.stdout, new RegExp(`新增 0 人，更新 0 人，未变化 ${GOOD} 人`));
});

test('XLSX round trip: export .xlsx, import into a fresh database, export .csv: the first CSV', async () => {
	const x = path.join(dir, 'G.xlsx');
	const bytes = await exportTo(x);
	assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
	const other = await freshDb();
	const r = await importFile(x, other);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`新增 ${GOOD} 人`));
	assert.equal(sqlExec(other, "SELECT address FROM persons WHERE name = '孙七';").trim(), HYPERLINK);
	const back = await exportTo(path.join(dir, 'X.csv'), other);
	assert.ok(back.equals(gcsv), `exports differ:\n${gcsv.toString()}\n---\n${back.toString()}`);
});

test('--all-or-nothing: one bad row and nothing is imported', async () => {
	const before = dump(db);
	const f = path.join(dir, 'aon.csv');
	writeFileSync(
		f,
		[
			'姓名,身份证号,人员类别',
			csvLine(['新人甲', ids.extra, '退役军人']),
			csvLine(['新人乙', badCheck, '退役军人']),
			/* an update of a known person too: rolled back as well */
			csvLine(['刘一改', ids.good1, '退役军人']),
		].join('\n') + '\n',
	);
	const r = await importFile(f, db, ['--all-or-nothing']);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, /^第 3 行：身份证号：/m);
	assert.ok(hasChinese(r.stderr));
	assert.equal(count(db), GOOD);
	assert.equal(dump(db), before);
	/* Without the flag, the good rows go in. */
	const fresh = await freshDb();
	const ok = await importFile(f, fresh);
	assert.equal(ok.code, 1);
	assert.equal(count(fresh), 2);
});

test('files refused whole: exit 1, a Chinese message, nothing changed', async () => {
	const before = dump(db);
	const good = csvLine(['新人丙', ids.extra, '退役军人']);
	const write = (name, content) => {
		const f = path.join(dir, name);
		writeFileSync(f, content);
		return f;
	};
	const cases = [
		['an unknown column', write('unknown.csv', '姓名,身份证号,人员类别,籍贯\r\n' + good + ',湖北\r\n')],
		['an empty file', write('empty.csv', '')],
		[
			'GBK bytes',
			write('gbk.csv', Buffer.concat([Buffer.from('姓名,身份证号,人员类别\r\n' + good + '\r\n'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(`,${idNumber('42010619800909018')},退役军人\r\n`)])),
		],
		['a GBK header', write('gbk-header.csv', Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x0d, 0x0a]))],
		['a 100 KB cell', write('big.csv', '姓名,身份证号,人员类别,备注\r\n' + good + ',' + 'x'.repeat(100 * 1024) + '\r\n')],
		['an .xlsx that is not a zip', write('fake.xlsx', '姓名,身份证号,人员类别\r\n' + good + '\r\n')],
		['a .txt file', write('people.txt', '姓名,身份证号,人员类别\r\n' + good + '\r\n')],
		['a missing file', path.join(dir, 'nowhere.csv')],
		['a missing required column', write('nocat.csv', '姓名,身份证号\r\n新人丙,' + ids.extra + '\r\n')],
	];
	for (const [what, file] of cases) {
		const r = await importFile(file);
		assert.equal(r.signal, null, `${what}: ${r.signal}`);
		assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stdout}${r.stderr}`);
		assert.ok(hasChinese(r.stderr), `${what}: ${r.stderr}`);
		assert.equal(dump(db), before, `${what}: the registry changed`);
	}
});

/* src/cli/registry.c import_persons returns the reader's negated code (-VE_INVALID,
 * -VE_LIMIT) as is; cmd_import_persons then adds "导入失败（系统内部错误）" after the
 * reader's own precise message. */
test('a file refused by the reader mid-way is not called an internal error', async () => {
	const f = path.join(dir, 'gbk-row.csv');
	writeFileSync(f, Buffer.concat([Buffer.from('姓名,身份证号,人员类别\r\n'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(`,${ids.extra},退役军人\r\n`)]));
	const r = await importFile(f);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 2 行：不是有效的 UTF-8 编码/);
	assert.ok(!r.stderr.includes('系统内部错误'), r.stderr);
});

test('200,000 empty lines after the header: no crash, nothing imported', async () => {
	const before = dump(db);
	const f = path.join(dir, 'blank.csv');
	writeFileSync(f, '姓名,身份证号,人员类别\r\n' + '\r\n'.repeat(200000));
	const r = await importFile(f);
	assert.equal(r.signal, null);
	assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
	if (r.code === 0) assert.match(r.stdout, /新增 0 人，更新 0 人，未变化 0 人，拒绝 0 行/);
	else assert.ok(hasChinese(r.stderr));
	assert.equal(dump(db), before);
});

test('the export is audited as person.export_full, the import as person.create', async () => {
	const rows = sqlExec(db, "SELECT action || '|' || actor FROM audit_log WHERE action LIKE 'person.%' ORDER BY seq;").trim().split('\n');
	const exports = rows.filter((x) => x.startsWith('person.export_full|'));
	/* G.csv and G.xlsx */
	assert.equal(exports.length, 2, rows.join('\n'));
	assert.equal(rows.filter((x) => x.startsWith('person.create|')).length, GOOD);
	const v = await vets(['audit', 'verify', '--db', db]);
	assert.equal(v.code, 0, v.stderr);
});

/* ---- the import on the web ---- */

const web = { db: null, server: null, clerks: [] };
const BIG = 10000; /* rows of a large file: checked and imported in the background */
const BAD_EVERY = 2500; /* a row with a bad check digit every BAD_EVERY rows, at 1234 */
const BIG_BAD = Math.ceil((BIG - 1234) / BAD_EVERY);

/** A CSV of n people whose ID numbers start with area (unique per file); every BAD_EVERY-th row refused. */
function bigCsv(area, n = BIG) {
	const lines = ['姓名,身份证号,人员类别'];
	for (let i = 0; i < n; i++) {
		const birth = new Date(Date.UTC(1950, 0, 1) + i * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
		let id = idNumber(`${area}${birth}101`);
		if (i % BAD_EVERY === 1234) id = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
		lines.push(`导入${area}-${i},${id},退役军人`);
	}
	return lines.join('\r\n') + '\r\n';
}

/** A multipart POST of one file with the session's CSRF header. */
const upload = (client, filename, text, urlPath = '/persons/import') => client.upload(urlPath, filename, text);

/** The token of a redirect to the progress page. */
function progressToken(r) {
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/persons\/import\/progress\?token=([0-9a-f]{64})$/.exec(r.headers.location ?? '');
	assert.ok(m, `a redirect to the progress page: ${r.headers.location}`);
	return m[1];
}

const status = (client, token) =>
	client.get(`/persons/import/status?token=${token}`, { headers: { Accept: 'application/json' } });

/** Polls the status of token until the job has finished; resolves every status seen. */
async function waitJob(client, token) {
	const seen = [];
	const deadline = Date.now() + 60000 * SLOW;
	for (;;) {
		const r = await status(client, token);
		assert.equal(r.status, 200, `${r}`);
		seen.push(r.json);
		if (r.json.state === 'done' || r.json.state === 'failed') return seen;
		assert.ok(Date.now() < deadline, `the job did not finish: ${JSON.stringify(r.json)}`);
		await new Promise((resolve) => setTimeout(resolve, 30));
	}
}

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('web: the server for the web import, with three clerks', async () => {
	({ db: web.db } = await initDb());
	await importRegions(web.db);
	for (const name of ['wclerk1', 'wclerk2', 'wclerk3']) await addUser(web.db, name, 'clerk', { org: '420199' });
	web.server = await Server.start(web.db);
	for (const name of ['wclerk1', 'wclerk2', 'wclerk3']) {
		const c = new Client(web.server);
		await c.signIn(name);
		web.clerks.push(c);
	}
});

test('web: a small file is previewed at once, without a job', async () => {
	const [c] = web.clerks;
	const r = await upload(c, 'small.csv', '\ufeff' + [HEADER, ...MIXED].join('\r\n') + '\r\n');
	assert.equal(r.status, 200, `${r}`);
	assert.match(text(r.body), /将新增 5 人/);
	assert.match(text(r.body), /将拒绝 4 行/);
	assert.ok(!r.body.includes('<progress'), 'no progress page for a small file');
	assert.equal(count(web.db), 0);
});

let bigToken; /* wclerk1's large file */
let otherToken; /* wclerk2's large file */

test('web: a large file is checked in the background behind a progress bar; jobs are limited', async () => {
	const [c1, c2, c3] = web.clerks;
	/* The files made first: a preview of 10,000 rows takes a good part of a second, an
	 * upload a few milliseconds. The two refused ones are as small as a job's file can be
	 * (2,000 rows), so they reach the server while both previews still run, however busy
	 * the machine. */
	const [mine, other] = [bigCsv('420106'), bigCsv('420107')];
	const [again_, third_] = [bigCsv('420107', 2000), bigCsv('420111', 2000)];
	const up = await upload(c1, '大名单.csv', mine);
	bigToken = progressToken(up);
	/* Two jobs in all, side by side (a preview holds no lock), one per user, then 429. */
	otherToken = progressToken(await upload(c2, 'other.csv', other));
	const again = await c1.refused(await upload(c1, 'again.csv', again_));
	assert.match(text(again.body), /您已有一个导入正在进行/);
	const third = await c3.refused(await upload(c3, 'third.csv', third_));
	assert.match(text(third.body), /正在进行的导入过多，请稍后再试/);

	/* The progress page at once: a <progress> bar, the rows done, a refresh without script. */
	const page = await c1.get(up.headers.location);
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /<progress class="progress-bar" max="10000" value="\d+"/);
	assert.match(page.body, new RegExp(`data-import-token="${bigToken}"`));
	assert.match(page.body, /<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
	assert.match(text(page.body), /正在检查：大名单\.csv/);
	/* (queued for the moment its thread takes to start) */
	assert.match(text(page.body), /已处理 \d+ 行，共约 10000 行|排队中：等待其他导入完成后开始/);


	/* Only the uploader sees the job; a token nobody has is not found. */
	const theirs = await status(c2, bigToken);
	assert.equal(theirs.status, 404);
	assert.ok(hasChinese(theirs.json.error.message));
	assert.equal((await c2.get(`/persons/import/progress?token=${bigToken}`)).status, 404);
	assert.equal((await status(c1, 'f'.repeat(64))).status, 404);
	assert.equal((await status(c1, 'bad')).status, 400);

	/* (A preview only reads, and is quick: the rows are seen growing during the import.) */
	const seen = await waitJob(c1, bigToken);
	assert.deepEqual(seen.at(-1), { state: 'done', kind: 'preview', done: BIG, total: BIG });

	/* The same page now shows the preview, as a small file's upload does. */
	const preview = await c1.get(up.headers.location);
	assert.equal(preview.status, 200);
	const t = text(preview.body);
	assert.match(t, /导入预览：大名单\.csv/);
	assert.match(t, new RegExp(`将新增 ${BIG - BIG_BAD} 人`));
	assert.match(t, new RegExp(`将拒绝 ${BIG_BAD} 行`));
	assert.match(preview.body, new RegExp(`name="token" value="${bigToken}"`));
	assert.ok(!preview.body.includes('<progress'));
	assert.equal(count(web.db), 0, 'a preview writes nothing');

	const csv = await c1.get(`/persons/import/rejected?token=${bigToken}`);
	assert.equal(csv.status, 200);
	const rows = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
	/* The rows as sent, with the reason last (the big job writes it as the small preview does). */
	assert.equal(rows[0], '姓名,身份证号,人员类别,错误原因');
	assert.deepEqual(rows.slice(1).map((l) => l.split(',')[0]), [1234, 3734, 6234, 8734].slice(0, BIG_BAD).map((i) => `导入${'420106'}-${i}`));
	assert.ok(rows.slice(1).every((l) => /,身份证号：[^,]+$/.test(l)), rows[1]);

	/* wclerk2's file, queued behind it, is checked too. */
	assert.equal((await waitJob(c2, otherToken)).at(-1).state, 'done');
});

test('web: the confirmed import of a large file runs in the background and ends on its result', async () => {
	const [c1] = web.clerks;
	const r = await c1.postForm('/persons/import/confirm', { token: bigToken });
	assert.equal(progressToken(r), bigToken);
	const twice = await c1.refused(await c1.postForm('/persons/import/confirm', { token: bigToken }));
	assert.match(text(twice.body), /该文件正在处理中|上传的文件已过期/, 'a second confirmation imports nothing');
	const seen = await waitJob(c1, bigToken);
	assert.ok(
		seen.some((s) => s.state === 'running' && s.done > 0 && s.done < s.total && s.total === BIG),
		`the rows done were seen growing: ${JSON.stringify(seen.slice(0, 5))}…`,
	);
	assert.deepEqual(seen.at(-1), { state: 'done', kind: 'import', done: BIG, total: BIG });
	const result = await c1.get(r.headers.location);
	assert.equal(result.status, 200);
	const t = text(result.body);
	assert.match(t, new RegExp(`导入完成：新增 ${BIG - BIG_BAD} 人，更新 0 人，未变化 0 人，拒绝 ${BIG_BAD} 行`));
	assert.match(result.body, new RegExp(`href="/persons/import/rejected\\?token=${bigToken}"`));
	assert.equal(count(web.db), BIG - BIG_BAD);
	/* The background import links to its own people, as a small one does. */
	const people = /href="\/persons\/import\/people\?import=(\d+)"/.exec(result.body);
	assert.ok(people, 'a link to the people of this import');
	assert.equal(sqlExec(web.db, `SELECT count(*) FROM person_import_people WHERE import_id = ${people[1]};`).trim(), String(BIG - BIG_BAD));
	assert.match((await c1.get(`/persons/import/people?import=${people[1]}`)).body, new RegExp(`新增 <strong>${BIG - BIG_BAD}</strong> 人`));
	/* The rejected rows are still there to download; the upload itself is gone. */
	const csv = await c1.get(`/persons/import/rejected?token=${bigToken}`);
	assert.equal(csv.status, 200);
	assert.equal(csv.body.trim().split('\r\n').length, 1 + BIG_BAD);
	const again = await c1.refused(await c1.postForm('/persons/import/confirm', { token: bigToken }));
	assert.match(text(again.body), /上传的文件已过期/);
	assert.equal(count(web.db), BIG - BIG_BAD);
	const audits = sqlExec(web.db, "SELECT count(*) FROM audit_log WHERE action = 'person.import';").trim();
	assert.equal(audits, '1');
});

test('web: a large file that cannot be read half-way fails its job with the reader\'s reason', async () => {
	const [c1] = web.clerks;
	const good = bigCsv('420103', 3000);
	const file = Buffer.concat([Buffer.from(good), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(`,${idNumber('42010319800101101')},退役军人\r\n`)]);
	const token = progressToken(await upload(c1, 'gbk.csv', file));
	assert.equal((await waitJob(c1, token)).at(-1).state, 'failed');
	const page = await c1.get(`/persons/import/progress?token=${token}`);
	assert.equal(page.status, 400);
	assert.match(text(page.body), /文件无法导入：.*UTF-8/);
	assert.ok(!page.body.includes('name="token"'), 'nothing to confirm');
	const confirm = await c1.refused(await c1.postForm('/persons/import/confirm', { token }));
	assert.match(text(confirm.body), /上传的文件已过期/, 'the unreadable upload is gone');
	assert.equal(count(web.db), BIG - BIG_BAD);
});

test('web: the server stopped while a job runs waits for it, drops the queued one and exits cleanly', async () => {
	const [, c2, c3] = web.clerks;
	const r = await c2.postForm('/persons/import/confirm', { token: otherToken });
	assert.equal(progressToken(r), otherToken);
	/* A preview queued behind that import: never started. */
	progressToken(await upload(c3, 'queued.csv', bigCsv('420111')));
	await web.server.stop(); /* asserts exit status 0 (and no leak under ASan) */
	assert.match(web.server.log, /event=import\.wait jobs=[12]\b/);
	/* The import was finished, not cut off. */
	assert.equal(count(web.db), 2 * (BIG - BIG_BAD));
	const v = await vets(['audit', 'verify', '--db', web.db]);
	assert.equal(v.code, 0, v.stderr);
});
