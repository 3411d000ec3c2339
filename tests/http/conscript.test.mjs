// conscript.test.mjs - 义务兵优待 on the command line: the rule tables (vets conscript
// rule set / rules), and the recruitment office's list (vets conscript import) as CSV
// and XLSX: good rows registered as 现役军人 with their allowance and bonus granted at
// exactly what the rules give, bad rows reported with their row numbers (exit 1),
// a second import changing nothing, all-or-nothing and dry runs keeping nothing, and
// no account or phone number stored in plain text. The tests build on each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PASSWORD, addUser, auditVerify, cleanup, dumpTables, idNumber, importRegions, initDb, sqlExec, sqlRows, storeBytes, storeHolds, vets } from './lib.mjs';

const HEADER = ['姓名', '身份证号', '入伍时间', '学历', '大学生情况', '艰苦地区', '立功受奖', '街道', '社区', '家属姓名', '家属联系电话', '开户行', '银行账号'];
const KEYS = ['name', 'id', 'enlisted', 'education', 'college', 'hardship', 'merit', 'street', 'community', 'family', 'phone', 'bank', 'account'];

const ids = {
	wang: idNumber('42010620070312011'),
	li: idNumber('42010620060101022'),
	zhao: idNumber('42010620060505033'),
	chen: idNumber('42010620070909044'),
	sun: idNumber('42010620050202055'),
	zhou: idNumber('42010620061111066'),
	wu: idNumber('42010620070707077'),
	zheng: idNumber('42010620060606088'),
	feng: idNumber('42010620050505099'),
};
const badCheck = ((id) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))(idNumber('42010620060808019'));
const ACCOUNT_WANG = '6217000011112222333';
const ACCOUNT_CHEN = '6222020200112233445';
const PHONE_WANG = '13812345678';
const PHONE_CHEN = '13987654321';

const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const cellsOf = (o) => KEYS.map((k) => o[k] ?? '');
const csvOf = (rows) => '\ufeff' + [HEADER, ...rows.map(cellsOf)].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

const WANG = { name: '王小兵', id: ids.wang, enlisted: '2026-03-10', education: '本科', college: '毕业生', hardship: '艰苦地区', street: '东湖街道', community: '建设社区', family: '王大山', phone: PHONE_WANG, bank: '中国银行', account: ACCOUNT_WANG };
const CHEN = { name: '陈新兵', id: ids.chen, enlisted: '2026-09-01', education: '高中及以下', college: '新生', hardship: '进藏进疆', merit: '新训标兵、三等功', street: '长青街道', family: '陈母', phone: PHONE_CHEN, bank: '中国农业银行', account: ACCOUNT_CHEN };

/* Rows 2..9 (the header is row 1). */
const MIXED = [
	WANG, // 2: 基数 + 毕业生 + 艰苦地区; 本科
	{ ...WANG, name: '李入伍', id: ids.li, enlisted: '2024-09-10', family: '李父', account: '6217000011119999001' }, // 3: no rules for 2024
	{ ...WANG, name: '赵博士', id: ids.zhao, education: '博士', family: '赵父', account: '6217000011119999002' }, // 4: unknown education
	{ ...WANG, name: '钱错号', id: badCheck, family: '钱父', account: '6217000011119999003' }, // 5: bad ID number
	{ ...WANG, name: '孙错日', id: ids.sun, enlisted: '2026-02-30', family: '孙父', account: '6217000011119999004' }, // 6: no such date
	CHEN, // 7: 基数 + 新生 + 进藏进疆 + 立功; 高中及以下
	{ ...WANG, name: '周研', id: ids.zhou, education: '研究生', college: '', hardship: '', family: '周父', account: '6217000011119999005' }, // 8: no 奖励金 for 研究生
	{ ...WANG, name: '吴无户', id: ids.wu, family: '', account: '' }, // 9: no family name, no account
];
const BAD_ROWS = { 3: '优待规则', 4: '学历', 5: '身份证号', 6: '入伍时间', 8: '优待规则', 9: '家属姓名' };

const RULES_2026 = [
	['基数', '基数', '28000'],
	['增发', '在校生', '4000'],
	['增发', '毕业生', '5000'],
	['增发', '新生', '3000'],
	['增发', '艰苦地区', '2000'],
	['增发', '进藏进疆', '3000.50'],
	['增发', '立功', '1000'],
	['奖励金', '高中及以下', '3000'],
	['奖励金', '大专', '5000'],
	['奖励金', '本科', '8000'],
];

let dir;
let db;
let mixed;

before(async () => {
	({ db, dir } = await initDb());
	await importRegions(db);
	mixed = path.join(dir, 'mixed.csv');
	writeFileSync(mixed, csvOf(MIXED));
});

after(cleanup);

const conscript = (args, d = db) => vets(['conscript', ...args, '--db', d]);

/* A second person approves the year's table (a reviewer, made once per database). */
const reviewers = new Set();
async function approveRules(d) {
	if (!reviewers.has(d)) {
		await addUser(d, 'c_rev', 'reviewer');
		reviewers.add(d);
	}
	const r = await vets(['conscript', 'rules', 'approve', '--year', '2026', '--as', 'c_rev', '--password-stdin', '--db', d], { input: `${PASSWORD}\n` });
	assert.equal(r.code, 0, r.stderr);
}

async function setRules(d) {
	for (const [kind, item, amount] of RULES_2026) {
		const r = await conscript(['rule', 'set', '--year', '2026', '--kind', kind, '--item', item, '--amount', amount], d);
		assert.equal(r.code, 0, r.stderr);
	}
	await approveRules(d);
}

async function freshDb({ rules = true } = {}) {
	const f = await initDb();
	await importRegions(f.db);
	if (rules) await setRules(f.db);
	return f.db;
}

/* The entitlements of person name: {CONSCRIPT: {...}, ENLIST_BONUS: {...}}. */
function entitlements(d, name) {
	const rows = sqlRows(
		d,
		`SELECT e.benefit_code, e.amount_fen, e.start_month, e.end_month, e.status, e.computation, e.category FROM entitlements e JOIN persons p ON p.id = e.person_id WHERE p.name = '${name}' ORDER BY e.benefit_code;`,
	);
	return Object.fromEntries(rows.map((e) => [e.benefit_code, e]));
}

const dump = (d) => dumpTables(d, ['persons', 'person_identities', 'person_history', 'conscripts', 'entitlements']);
const auditCount = (d, action) => Number(sqlExec(d, `SELECT count(*) FROM audit_log WHERE action = '${action}';`).trim());

test('rules: set, replace, list; bad values exit 1, misuse exit 2', async () => {
	let r = await conscript(['rule', 'set', '--year', '2026', '--kind', '基数', '--amount', '1']);
	assert.equal(r.code, 0, r.stderr);
	await setRules(db); /* 基数 replaced by 28000 */
	r = await conscript(['rules', '--year', '2026']);
	assert.equal(r.code, 0, r.stderr);
	const lines = r.stdout.trim().split('\n');
	assert.equal(lines[0], '年度\t类型\t项目\t金额（元）');
	assert.equal(lines.length, 1 + RULES_2026.length, r.stdout);
	assert.equal(lines[1], '2026\t基数\t基数\t28000.00');
	assert.ok(lines.includes('2026\t增发\t进藏进疆\t3000.50'), r.stdout);
	assert.ok(lines.includes('2026\t奖励金\t本科\t8000.00'), r.stdout);
	assert.equal(sqlExec(db, "SELECT amount_fen FROM conscript_rules WHERE year = 2026 AND kind = '基数';").trim(), '2800000');
	assert.equal(auditCount(db, 'conscript.rule'), 1 + RULES_2026.length);

	r = await conscript(['rules', '--year', '2024']);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /2024 年没有设置义务兵优待规则/);

	for (const [args, code] of [
		[['--kind', '奖金', '--item', '本科', '--amount', '1'], 1], // unknown kind
		[['--kind', '奖励金', '--item', '博士', '--amount', '1'], 1], // not an education
		[['--kind', '增发', '--item', '大学生', '--amount', '1'], 1], // not a supplement
		[['--kind', '基数', '--amount', '-5'], 1],
		[['--kind', '基数', '--amount', '12.345'], 1],
		[['--kind', '基数', '--amount', '2000000'], 1], // over 100万元
		[['--kind', '基数'], 2], // no amount
		[['--kind', '增发', '--amount', '1'], 2], // no item
		[['--kind', '基数', '--amount', '1', '--bogus'], 2],
	]) {
		const year = args.includes('--year') ? [] : ['--year', '2026'];
		const x = await conscript(['rule', 'set', ...year, ...args]);
		assert.equal(x.code, code, `${args.join(' ')}: ${x.stderr}`);
		assert.match(x.stderr, /[\u4e00-\u9fff]/, 'no Chinese message');
	}
	assert.equal((await conscript(['rule', 'set', '--year', '1999', '--kind', '基数', '--amount', '1'])).code, 1);
	/* Nothing of the refused ones was stored. */
	assert.equal(sqlExec(db, 'SELECT count(*) FROM conscript_rules;').trim(), String(RULES_2026.length));
	assert.equal((await vets(['conscript', 'frobnicate', '--db', db])).code, 2);
	const help = await vets(['conscript', '--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /vets conscript import FILE/);
});

test('CSV import: good rows in with their entitlements, bad rows reported with row numbers, exit 1', async () => {
	const r = await conscript(['import', mixed]);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	const rowLines = r.stderr.split('\n').filter((l) => /^第 \d+ 行：/.test(l));
	for (const [n, field] of Object.entries(BAD_ROWS)) {
		const l = rowLines.filter((x) => x.startsWith(`第 ${n} 行：`));
		assert.ok(l.length >= 1, `row ${n} not reported: ${r.stderr}`);
		assert.ok(
			l.some((x) => x.startsWith(`第 ${n} 行：${field}：`)),
			`row ${n} should name ${field}: ${l.join(' | ')}`,
		);
	}
	const reported = new Set(rowLines.map((l) => l.match(/^第 (\d+) 行/)[1]));
	assert.deepEqual([...reported].sort(), Object.keys(BAD_ROWS).sort(), r.stderr);
	assert.match(r.stderr, /^第 3 行：优待规则：2024 年还没有设置义务兵优待规则（基数、增发、奖励金）$/m);
	assert.match(r.stderr, /第 8 行：优待规则：2026 年没有设置学历为“研究生”的一次性入伍奖励金/);
	assert.match(r.stderr, /第 9 行：银行账号：/);
	assert.ok(!r.stderr.includes(badCheck), 'the refused ID number echoed');
	assert.match(r.stdout, /义务兵 2 人：新增 2 人，更新 0 人，未变化 0 人；核定待遇 4 项（优待金 70,000.50 元\/年，奖励金 11,000.00 元），已有待遇 0 项未改动；拒绝 6 行/);

	assert.deepEqual(sqlExec(db, 'SELECT name FROM persons ORDER BY id;').trim().split('\n'), ['王小兵', '陈新兵']);
	/* Registered as 现役军人 with the date of enlistment; a rejected row left nothing. */
	assert.equal(
		sqlExec(db, "SELECT i.category || '|' || i.enlisted FROM person_identities i JOIN persons p ON p.id = i.person_id WHERE p.name = '王小兵';").trim(),
		'现役军人|2026-03-10',
	);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM conscripts;').trim(), '2');
	assert.equal(
		sqlExec(db, "SELECT c.education || '|' || c.college || '|' || c.hardship || '|' || c.family_name || '|' || c.family_phone_mask FROM conscripts c JOIN persons p ON p.id = c.person_id WHERE p.name = '王小兵';").trim(),
		'本科|毕业生|艰苦地区|王大山|138****5678',
	);
	assert.equal(sqlExec(db, "SELECT bank_name || '|' || account_mask FROM persons WHERE name = '王小兵';").trim(), '中国银行|***************2333');

	const wang = entitlements(db, '王小兵');
	assert.deepEqual(Object.keys(wang), ['CONSCRIPT', 'ENLIST_BONUS']);
	assert.equal(wang.CONSCRIPT.amount_fen, 3500000);
	assert.equal(wang.CONSCRIPT.start_month, '2026-03');
	assert.equal(wang.CONSCRIPT.end_month, '2028-02');
	assert.equal(wang.CONSCRIPT.status, '正常');
	assert.equal(wang.CONSCRIPT.category, '现役军人');
	assert.equal(wang.CONSCRIPT.computation, '基数 28,000.00 + 毕业生 5,000.00 + 艰苦地区 2,000.00 = 35,000.00 元/年（2026年标准）');
	assert.equal(wang.ENLIST_BONUS.amount_fen, 800000);
	assert.equal(wang.ENLIST_BONUS.start_month, '2026-03');
	assert.equal(wang.ENLIST_BONUS.end_month, '2026-03');
	assert.equal(wang.ENLIST_BONUS.computation, '学历 本科：8,000.00 元（2026年标准）');

	const chen = entitlements(db, '陈新兵');
	assert.equal(chen.CONSCRIPT.amount_fen, 2800000 + 300000 + 300050 + 100000);
	assert.equal(chen.CONSCRIPT.computation, '基数 28,000.00 + 新生 3,000.00 + 进藏进疆 3,000.50 + 立功 1,000.00 = 35,000.50 元/年（2026年标准）');
	assert.equal(chen.CONSCRIPT.start_month, '2026-09');
	assert.equal(chen.CONSCRIPT.end_month, '2028-08');
	assert.equal(chen.ENLIST_BONUS.amount_fen, 300000);
	assert.equal(chen.ENLIST_BONUS.computation, '学历 高中及以下：3,000.00 元（2026年标准）');

	/* Audited: each grant, each person, each record, and the import as a whole. */
	assert.equal(auditCount(db, 'entitlement.grant'), 4);
	assert.equal(auditCount(db, 'person.create'), 2);
	assert.equal(auditCount(db, 'conscript.record'), 2);
	assert.equal(auditCount(db, 'conscript.import'), 1);
	assert.match(sqlExec(db, "SELECT detail FROM audit_log WHERE action = 'conscript.import';"), /mixed\.csv.*拒绝 6 行/);
	const v = await auditVerify(db);
	assert.equal(v.code, 0, v.stdout + v.stderr);
});

test('importing the same file again changes nothing', async () => {
	const before = dump(db);
	const audits = sqlExec(db, 'SELECT count(*) FROM audit_log;');
	const r = await conscript(['import', mixed]);
	assert.equal(r.code, 1); /* the bad rows are still bad */
	assert.match(r.stdout, /义务兵 2 人：新增 0 人，更新 0 人，未变化 2 人；核定待遇 0 项（优待金 0.00 元\/年，奖励金 0.00 元），已有待遇 4 项未改动；拒绝 6 行/);
	assert.equal(dump(db), before);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM audit_log;'), audits);
});

test('a family phone sealed for one conscript does not open in another\'s row', async () => {
	/* A list in which 陈新兵's family has 王小兵's family's phone, and 王小兵's sealed phone
	 * copied into 陈新兵's row: were seals not bound to their row it would open there and
	 * 陈新兵 would be unchanged; bound, it opens to nothing and his phone is sealed anew. */
	const same = path.join(dir, 'same-phone.csv');
	writeFileSync(same, csvOf([WANG, { ...CHEN, phone: PHONE_WANG }]));
	sqlExec(db, `UPDATE conscripts SET family_phone_enc = (SELECT x.family_phone_enc FROM conscripts x
		JOIN persons p ON p.id = x.person_id WHERE p.name = '王小兵') WHERE person_id =
		(SELECT id FROM persons WHERE name = '陈新兵');`);
	let r = await conscript(['import', same]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /义务兵 2 人：新增 0 人，更新 1 人，未变化 1 人/);
	r = await conscript(['import', same]);
	assert.match(r.stdout, /义务兵 2 人：新增 0 人，更新 0 人，未变化 2 人/);
	/* and back to the list as it was */
	r = await conscript(['import', mixed]);
	assert.match(r.stdout, /义务兵 2 人：新增 0 人，更新 1 人，未变化 1 人/);
});

test('a later rule change does not touch what was granted, and says so', async () => {
	const good = path.join(dir, 'good.csv');
	writeFileSync(good, csvOf([WANG, CHEN]));
	let r = await conscript(['rule', 'set', '--year', '2026', '--kind', '增发', '--item', '毕业生', '--amount', '6000']);
	assert.equal(r.code, 0, r.stderr);
	/* not used until approved again */
	const unapproved = await conscript(['import', good]);
	assert.equal(unapproved.code, 1);
	assert.match(unapproved.stderr, /尚未经第二人审批/);
	await approveRules(db);
	const before = dump(db);
	r = await conscript(['import', good]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /未变化 2 人/);
	assert.match(r.stdout, /已有待遇中 1 项按现行规则计算的金额或起始月份不同，未自动修改/);
	assert.equal(dump(db), before);
	r = await conscript(['rule', 'set', '--year', '2026', '--kind', '增发', '--item', '毕业生', '--amount', '5000']);
	assert.equal(r.code, 0, r.stderr);
	await approveRules(db);
});

test('the family account and phone and the ID numbers are stored only encrypted', () => {
	const secrets = [ACCOUNT_WANG, ACCOUNT_CHEN, PHONE_WANG, PHONE_CHEN, ids.wang, ids.chen];
	const stored = storeBytes(db);
	for (const { what, bytes } of stored)
		for (const s of secrets) {
			const le = Buffer.from(s, 'utf16le');
			for (const enc of [Buffer.from(s, 'utf8'), le]) assert.ok(!storeHolds(db, bytes, enc), `${s} in ${what}`);
		}
	assert.ok(stored.length >= 1);
	/* Sealed values are there. */
	assert.equal(sqlExec(db, 'SELECT count(*) FROM conscripts WHERE length(family_phone_enc) > 32;').trim(), '2');
	assert.equal(sqlExec(db, 'SELECT count(*) FROM persons WHERE length(account_enc) > 32;').trim(), '2');
});

test('a registered person keeps their identities and gains 现役军人; a person twice in a file is refused', async () => {
	const d = await freshDb();
	const people = path.join(dir, 'people.csv');
	writeFileSync(people, '姓名,身份证号,人员类别,联系电话\r\n郑家属,' + ids.zheng + ',军人家属,13700001111\r\n');
	const p = await vets(['import', 'persons', people, '--db', d]);
	assert.equal(p.code, 0, p.stderr);
	const f = path.join(dir, 'twice.csv');
	const zheng = { ...WANG, name: '郑家属', id: ids.zheng, family: '郑父', account: '6217000011110000111' };
	writeFileSync(f, csvOf([zheng, { ...zheng, education: '大专', college: '' }]));
	const r = await conscript(['import', f], d);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, /^第 3 行：身份证号：与第 2 行是同一人$/m);
	assert.match(r.stdout, /义务兵 1 人：新增 0 人，更新 1 人/);
	const cats = sqlExec(d, "SELECT group_concat(category, '|') FROM (SELECT category FROM person_identities i JOIN persons p ON p.id = i.person_id WHERE p.name = '郑家属' ORDER BY category) c;").trim();
	assert.deepEqual(cats.split('|').sort(), ['军人家属', '现役军人'].sort());
	/* The registry's own phone is kept; the history records what changed. */
	assert.equal(sqlExec(d, "SELECT phone_mask FROM persons WHERE name = '郑家属';").trim(), '137****1111');
	assert.match(sqlExec(d, "SELECT group_concat(field, ',') FROM person_history;"), /人员类别/);
	assert.equal(entitlements(d, '郑家属').CONSCRIPT.amount_fen, 3500000);
});

test('--all-or-nothing keeps nothing when a row is bad; --dry-run keeps nothing at all', async () => {
	const d = await freshDb();
	const before = dump(d);
	let r = await conscript(['import', mixed, '--all-or-nothing'], d);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 3 行：优待规则/);
	assert.match(r.stderr, /有 6 行被拒绝；按 --all-or-nothing，未导入任何一行/);
	assert.equal(dump(d), before);

	const good = path.join(dir, 'good-only.csv');
	writeFileSync(good, csvOf([WANG, CHEN]));
	const audits = sqlExec(d, 'SELECT count(*) FROM audit_log;');
	r = await conscript(['import', good, '--dry-run'], d);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^试导入（未保存）：义务兵 2 人：新增 2 人.*核定待遇 4 项（优待金 70,000.50 元\/年，奖励金 11,000.00 元）/);
	assert.equal(dump(d), before);
	assert.equal(sqlExec(d, 'SELECT count(*) FROM audit_log;'), audits);

	r = await conscript(['import', good, '--all-or-nothing'], d);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 2 人/);
	assert.equal(entitlements(d, '陈新兵').ENLIST_BONUS.amount_fen, 300000);
	assert.equal((await conscript(['import', good, '--all-or-nothing', '--dry-run'], d)).code, 2);
});

test('files refused whole: unknown or missing columns, not a sheet', async () => {
	const d = await freshDb();
	const write = (name, text) => {
		const f = path.join(dir, name);
		writeFileSync(f, text);
		return f;
	};
	for (const [f, re] of [
		[write('unknown.csv', HEADER.join(',') + ',血型\r\n'), /未知的列：血型/],
		[write('missing.csv', HEADER.filter((h) => h !== '学历').join(',') + '\r\n'), /缺少必填列：学历/],
		[write('empty.csv', ''), /文件是空的/],
		[write('list.txt', 'x'), /\S/],
		[write('fake.xlsx', HEADER.join(',') + '\r\n'), /\S/],
	]) {
		const r = await conscript(['import', f], d);
		assert.equal(r.code, 1, `${f}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, re);
		assert.match(r.stderr, /[\u4e00-\u9fff]/);
	}
	assert.equal(sqlExec(d, 'SELECT count(*) FROM persons;').trim(), '0');
	assert.equal((await conscript(['import'], d)).code, 2);
	assert.equal((await conscript(['import', 'a.csv', '--frob'], d)).code, 2);
});

/* ---- a minimal .xlsx (stored zip entries, inline strings) ---- */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/* A zip of deflated entries: {name: string content}. */
function zip(entries) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const data = Buffer.from(content, 'utf8');
		const packed = zlib.deflateRawSync(data);
		const nameBuf = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); /* UTF-8 names */
		local.writeUInt16LE(8, 8); /* deflate */
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		locals.push(local, nameBuf, packed);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBuf.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, nameBuf);
		offset += local.length + nameBuf.length + packed.length;
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

const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colName = (i) => String.fromCharCode(65 + i);

/* A workbook whose first sheet holds rows; a cell {n: number} is a number cell (a date, say). */
function xlsx(rows) {
	const sheetRows = rows
		.map((cells, r) => {
			const xs = cells
				.map((v, c) => {
					const ref = `${colName(c)}${r + 1}`;
					if (typeof v === 'object') return `<c r="${ref}"><v>${v.n}</v></c>`;
					if (v === '') return '';
					return `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(v)}</t></is></c>`;
				})
				.join('');
			return `<row r="${r + 1}">${xs}</row>`;
		})
		.join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	return zip({
		'[Content_Types].xml':
			'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="新兵名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetRows}</sheetData></worksheet>`,
	});
}

/* The day number a spreadsheet stores for a date. */
const serial = (iso) => (Date.parse(iso + 'T00:00:00Z') - Date.UTC(1899, 11, 30)) / 86400000;

test('XLSX import: date cells as day numbers, the same checks and amounts as CSV', async () => {
	const d = await freshDb();
	const feng = { ...WANG, name: '冯大专', id: ids.feng, education: '大专', college: '在校生', hardship: '', family: '冯母', account: '6228480011223344556' };
	const rows = [
		HEADER,
		cellsOf(WANG), // 2
		cellsOf({ ...WANG, name: '赵博士', id: ids.zhao, education: '博士', family: '赵父', account: '6217000011119999002' }), // 3
		[], // 4: an empty row is skipped
		cellsOf({ ...feng, enlisted: '' }).map((v, i) => (i === 2 ? { n: serial('2026-09-15') } : v)), // 5: a date cell
		cellsOf({ ...WANG, name: '李入伍', id: ids.li, enlisted: '', family: '李父', account: '6217000011119999001' }).map((v, i) => (i === 2 ? { n: serial('2024-09-10') } : v)), // 6: no rules for 2024
	];
	const f = path.join(dir, '新兵名单.xlsx');
	writeFileSync(f, xlsx(rows));
	const r = await conscript(['import', f], d);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	const reported = r.stderr.split('\n').filter((l) => /^第 \d+ 行：/.test(l));
	assert.deepEqual(
		[...new Set(reported.map((l) => l.match(/^第 (\d+) 行/)[1]))].sort(),
		['3', '6'],
		r.stderr,
	);
	assert.match(r.stderr, /第 3 行：学历：应为 高中及以下、大专、本科 或 研究生/);
	assert.match(r.stderr, /第 6 行：优待规则：2024 年/);
	assert.match(r.stdout, /义务兵 2 人：新增 2 人/);
	const wang = entitlements(d, '王小兵');
	assert.equal(wang.CONSCRIPT.amount_fen, 3500000);
	assert.equal(wang.ENLIST_BONUS.amount_fen, 800000);
	const fengE = entitlements(d, '冯大专');
	assert.equal(fengE.CONSCRIPT.amount_fen, 2800000 + 400000);
	assert.equal(fengE.CONSCRIPT.computation, '基数 28,000.00 + 在校生 4,000.00 = 32,000.00 元/年（2026年标准）');
	assert.equal(fengE.CONSCRIPT.start_month, '2026-09');
	assert.equal(fengE.CONSCRIPT.end_month, '2028-08');
	assert.equal(fengE.ENLIST_BONUS.amount_fen, 500000);
	assert.equal(sqlExec(d, "SELECT enlisted_on FROM conscripts c JOIN persons p ON p.id = c.person_id WHERE p.name = '冯大专';").trim(), '2026-09-15');

	/* Again: nothing changes. */
	const before = dump(d);
	const again = await conscript(['import', f], d);
	assert.equal(again.code, 1);
	assert.match(again.stdout, /未变化 2 人/);
	assert.equal(dump(d), before);
});
