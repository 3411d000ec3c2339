// search_fragments.test.mjs - searching as counter staff type: spaces around a term (and
// full-width ones) do not matter; the last four characters of a 身份证号 (X included) or
// its first six digits find people through blind indexes of their own, in the searcher's
// scope and with the other filters, audited but not counted against the day's searches
// by whole numbers; no part is kept in plaintext. Registration tidies what is typed, and
// a 身份证号 already registered names that person as a link when the user may see them,
// and only "registered elsewhere" when not. An older database gets the new indexes once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
	Client,
	Server,
	addUser,
	assertApiError,
	auditRows,
	PG,
	cleanup,
	columnsOf,
	idNumber,
	importRegions,
	indexesOf,
	initDb,
	keyFile,
	sqlExec,
	sqlRows,
	tempDir,
	vets,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A valid 身份证号 of area (6 digits) whose last four characters are last4 (3 digits and a
 * check character): the birth date is moved until the check character fits. */
function idEnding(area, last4, year = 1970) {
	for (let day = 0; day < 366; day++) {
		const d = new Date(Date.UTC(year, 0, 1 + day));
		const birth = d.toISOString().slice(0, 10).replaceAll('-', '');
		const id = idNumber(`${area}${birth}${last4.slice(0, 3)}`);
		if (id.endsWith(last4)) return id;
	}
	throw new Error(`no ID ending in ${last4}`);
}

const ZHANG = idEnding('420106', '1234'); /* 长青街道 */
const LI = idEnding('420106', '123X'); /* 长青街道 */
const WANG = idEnding('420111', '1234', 1980); /* 东湖街道: outside the station's street */
const ZHAO = idEnding('420111', '5678'); /* 长青街道, 中止 */

let env, clerk, station, auditor;
const ids = {};

const send = (c, method, p, json) => c.request(method, p, { json, headers: { 'X-CSRF-Token': c.csrf } });
async function list(c, query) {
	const r = await c.get(`/api/v1/persons?${new URLSearchParams(query)}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json;
}
const names = (l) => l.items.map((p) => p.name).sort();

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'f_clerk', 'clerk', { org: '420199' });
	await addUser(db, 'f_station', 'station', { org: '420199002' });
	await addUser(db, 'f_aud', 'auditor');
	env = { db, server: await Server.start(db) };
	clerk = new Client(env.server);
	station = new Client(env.server);
	auditor = new Client(env.server);
	await clerk.signIn('f_clerk');
	await station.signIn('f_station');
	await auditor.signIn('f_aud');
	for (const [name, id, street] of [
		['张三', ZHANG, '长青街道'],
		['李四', LI, '长青街道'],
		['王五', WANG, '东湖街道'],
		['赵六', ZHAO, '长青街道'],
	]) {
		const r = await send(clerk, 'POST', '/api/v1/persons', { name, id_number: id, categories: '退役军人', street });
		assert.equal(r.status, 201, `${name}: ${r}`);
		ids[name] = r.json.id;
	}
	const r = await send(clerk, 'POST', `/api/v1/persons/${ids.赵六}/status`, { status: '中止', date: '2024-01-01', reason: '测试中止' });
	assert.equal(r.status, 200, `${r}`);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('the last four characters find people, spaces around them ignored, X in either case', async () => {
	for (const q of ['1234', ' 1234 ', '\u30001234\u3000', '\t1234']) {
		const l = await list(clerk, { q });
		assert.deepEqual(names(l), ['张三', '王五'], `q=${JSON.stringify(q)}`);
		assert.equal(l.total, 2);
		assert.equal(l.matched, '身份证号后四位为 1234 的人员');
	}
	for (const q of ['123X', '123x', ' 123x ']) assert.deepEqual(names(await list(clerk, { q })), ['李四'], `q=${q}`);
	/* Neither a name nor an ID part: nothing, and no error. */
	assert.equal((await list(clerk, { q: '9999' })).total, 0);
	assert.equal((await list(clerk, { q: '12X4' })).total, 0);
});

test('the first six digits (the region code) find people; combined with the other filters', async () => {
	let l = await list(clerk, { q: ' 420111 ' });
	assert.deepEqual(names(l), ['王五', '赵六']);
	assert.equal(l.matched, '身份证号前六位（地区码）为 420111 的人员');
	assert.deepEqual(names(await list(clerk, { q: '420106' })), ['张三', '李四']);
	assert.deepEqual(names(await list(clerk, { q: '420111', street: '420199001' })), ['王五']);
	assert.deepEqual(names(await list(clerk, { q: '420111', status: '在册' })), ['王五']);
	assert.deepEqual(names(await list(clerk, { q: '1234', street: '420199002' })), ['张三']);
	assert.deepEqual(names(await list(clerk, { q: '1234', category: '残疾军人' })), []);
	/* Pages and order work as for any list. */
	l = await list(clerk, { q: '420106', sort: '-id', per_page: '1', page: '2' });
	assert.equal(l.total, 2);
	assert.deepEqual(names(l), ['张三']);
});

test('a station finds by a part only the people of its street', async () => {
	assert.deepEqual(names(await list(station, { q: '1234' })), ['张三']);
	assert.deepEqual(names(await list(station, { q: '420111' })), ['赵六']);
	const page = await station.get(`/persons?q=${encodeURIComponent(' 1234 ')}`);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('身份证号后四位为 1234 的人员'), page.body);
	assert.ok(page.body.includes('张三') && !page.body.includes('王五'));
});

test('a name typed with spaces around it is found', async () => {
	for (const q of ['  张三 ', '\u3000张三\u3000', '张三\u00a0'])
		assert.deepEqual(names(await list(clerk, { q })), ['张三'], `q=${JSON.stringify(q)}`);
	assert.equal((await list(clerk, { q: ' 张 ' })).matched, '姓名含“张”的人员');
	/* A whole number typed in groups is the whole number. */
	const grouped = `${ZHANG.slice(0, 6)} ${ZHANG.slice(6, 14)} ${ZHANG.slice(14)}`;
	assert.deepEqual(names(await list(clerk, { q: grouped })), ['张三']);
});

test('part searches are audited with the part, and do not use up the searches by whole numbers', async () => {
	const full = (await auditRows(auditor, { action: 'person.search_full' })).length;
	await list(clerk, { q: '5678' });
	const rows = await auditRows(auditor, { action: 'person.search_part' });
	assert.ok(rows.some((r) => r.actor === 'f_clerk' && /后四位查询：5678/.test(r.detail)), JSON.stringify(rows.slice(0, 3)));
	assert.ok(rows.some((r) => /前六位（地区码）查询：420111/.test(r.detail)));
	assert.equal((await auditRows(auditor, { action: 'person.search_full' })).length, full);
});

const hmac = (key, data) => createHmac('sm3', key).update(data).digest();
function readKeys(file) {
	const keys = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const m = /^(\w+)=([0-9a-f]+)$/.exec(line);
		if (m) keys[m[1]] = Buffer.from(m[2], 'hex');
	}
	return keys;
}
const fieldIndex = (keys, field, value) => hmac(hmac(keys.index_key, field), value).toString('hex');

test('the parts are kept only as blind indexes under keys of their own, never in plaintext', async () => {
	const keys = readKeys(keyFile(env.db));
	const cols = columnsOf(env.db, 'persons');
	assert.ok(cols.includes('id_last4_bidx') && cols.includes('id_first6_bidx'), cols.join(','));
	const indexes = indexesOf(env.db, 'persons').join('\n');
	assert.match(indexes, /persons_id_last4/);
	assert.match(indexes, /persons_id_first6/);
	const [last4, first6] = sqlExec(env.db, `SELECT id_last4_bidx || '|' || id_first6_bidx FROM persons WHERE id = ${ids.张三};`).trim().split('|');
	assert.equal(last4, fieldIndex(keys, 'persons.id_last4_bidx', '1234'));
	assert.equal(first6, fieldIndex(keys, 'persons.id_first6_bidx', '420106'));
	/* Each part has its own key: neither is the whole number's index nor the other part's. */
	assert.notEqual(last4, fieldIndex(keys, 'persons.id_bidx', '1234'));
	assert.notEqual(fieldIndex(keys, 'persons.id_first6_bidx', '1234'), last4);
	/* No cell of any person holds a part as its value: only the masked number (as lists
	 * show it) contains it. */
	const rows = sqlRows(env.db, 'SELECT * FROM persons;');
	for (const row of rows)
		for (const [col, v] of Object.entries(row)) {
			if (typeof v !== 'string' || col === 'id_mask') continue;
			for (const part of ['1234', '123X', '5678', '420106', '420111'])
				assert.ok(!v.includes(part) || /_bidx$/.test(col) && /^[0-9a-f]{64}$/.test(v), `${col} holds ${part}: ${v}`);
		}
});

test('registration tidies what is typed; a wrong check digit is still refused', async () => {
	const id = idEnding('420106', '4321');
	const r = await send(clerk, 'POST', '/api/v1/persons', {
		name: ' \u3000钱七 ',
		id_number: ` ${id.slice(0, 6)} ${id.slice(6)}\u3000`,
		categories: ' 退役军人 ',
		phone: '138 1234 5678',
		address: '  长青路   8 号 ',
		street: ' 长青街道 ',
	});
	assert.equal(r.status, 201, `${r}`);
	assert.equal(r.json.name, '钱七');
	assert.equal(r.json.address, '长青路 8 号');
	assert.equal(r.json.phone, '138****5678');
	assert.equal(r.json.street, '长青街道');
	assert.deepEqual(names(await list(clerk, { q: '4321' })), ['钱七']);
	/* An edit is tidied too. */
	const e = await send(clerk, 'PATCH', `/api/v1/persons/${r.json.id}`, { name: 'Ann   Lee\u3000', id_number: ` ${id.toLowerCase()} ` });
	assert.equal(e.status, 200, `${e}`);
	assert.equal(e.json.name, 'Ann Lee');
	/* The number as typed with a lower-case x is the stored number, not a change of it. */
	const x = await send(clerk, 'PATCH', `/api/v1/persons/${ids.李四}`, { id_number: ` ${LI.toLowerCase()}`, address: ' 长青路 2 号 ' });
	assert.equal(x.status, 200, `${x}`);
	assert.equal(x.json.address, '长青路 2 号');
	/* The form tidies the same way. */
	const f = await clerk.postForm('/persons', [['name', '  孙八 '], ['id_number', ` ${idEnding('420106', '2468')} `], ['category', '退役军人']]);
	assert.equal(f.status, 303, `${f}`);
	assert.deepEqual(names(await list(clerk, { q: '2468' })), ['孙八']);
	/* The check digit is checked after the spaces are gone. */
	const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
	const wrong = await send(clerk, 'POST', '/api/v1/persons', { name: '错号', id_number: ` ${bad} `, categories: '退役军人' });
	const err = assertApiError(wrong, 400);
	assert.ok(err.fields.some((x) => x.field === '身份证号' && /校验位/.test(x.message)), JSON.stringify(err));
});

test('a duplicate ID in scope names that person (masked) as a link; the form keeps what was typed', async () => {
	const api = await send(clerk, 'POST', '/api/v1/persons', { name: '张三丰', id_number: ` ${ZHANG.toLowerCase()} `, categories: '退役军人' });
	const err = assertApiError(api, 409, 'exists');
	assert.equal(err.person_id, ids.张三);
	assert.match(err.message, /张\*/);
	assert.ok(!api.body.includes('张三'), api.body);
	const sent = await station.postForm('/persons', [['name', '张三丰'], ['id_number', ZHANG], ['category', '退役军人'], ['address', '长青路 9 号']]);
	/* refused by redirect to the form, which shows the link on every refresh */
	for (const form of [await station.refused(sent), await station.get(sent.headers.location)]) {
		assert.ok(form.body.includes(`href="/persons/${ids.张三}"`), form.body);
		assert.ok(form.body.includes('张*'));
		assert.ok(form.body.includes('value="张三丰"') && form.body.includes('value="长青路 9 号"'), 'the form keeps the values');
	}
	assert.equal((await list(clerk, { q: '张三丰' })).total, 0);
});

test('a duplicate ID outside the scope: only that it is registered elsewhere, no name, no street, no id', async () => {
	const api = await send(station, 'POST', '/api/v1/persons', { name: '冒名', id_number: WANG, categories: '退役军人', street: '长青街道' });
	const err = assertApiError(api, 409, 'exists');
	assert.ok(!('person_id' in err), api.body);
	assert.match(err.message, /已在其他辖区登记.*联系区局/);
	for (const leak of ['王', '东湖', `${ids.王五}`]) assert.ok(!api.body.includes(leak), `${leak} in ${api.body}`);
	const form = await station.refused(await station.postForm('/persons', [['name', '冒名'], ['id_number', WANG], ['category', '退役军人'], ['street', '长青街道']]));
	assert.ok(form.body.includes('已在其他辖区登记'));
	assert.ok(!form.body.includes(`/persons/${ids.王五}`) && !form.body.includes('王*'), 'the form links to the person');
	assert.ok(form.body.includes('value="冒名"'));
});

/* The legacy fixture is a SQLite database of an older vets: a PostgreSQL store starts at the current schema. */
const LEGACY_ONLY = { skip: PG ? 'the fixture is a SQLite database of an older vets; a PostgreSQL store never had its schema' : false };

/** The fixture database of an older vets (schema 0006) with its key file, in a new dir. */
function legacyDb() {
	const dir = tempDir('vets-legacy-');
	const db = path.join(dir, 'vets.db');
	sqlExec(db, gunzipSync(readFileSync(path.join(here, 'fixtures', 'legacy-registry.sql.gz'))).toString('utf8'));
	copyFileSync(path.join(here, 'fixtures', 'legacy-registry.key.txt'), `${db}.key`);
	chmodSync(`${db}.key`, 0o600);
	return db;
}

test('a database of an older vets gets the parts indexed when it is first opened', LEGACY_ONLY, async () => {
	const db = legacyDb();
	const r = await vets(['init', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM persons WHERE id_last4_bidx IS NULL OR id_first6_bidx IS NULL;').trim(), '0');
	await addUser(db, 'l_clerk', 'clerk', { org: '420199' });
	const server = await Server.start(db);
	try {
		const c = new Client(server);
		await c.signIn('l_clerk');
		const id = idNumber('42010619850615013');
		assert.deepEqual(names(await list(c, { q: id.slice(-4) })), ['旧张三']);
		assert.deepEqual(names(await list(c, { q: '420106' })), ['旧张三', '旧李四', '旧王五'].sort());
	} finally {
		await server.stop();
	}
});

test('a database of the previous vets (registry sealed, no part indexes) is indexed once, audited', async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'p_clerk', 'clerk', { org: '420199' });
	let server = await Server.start(db);
	let c = new Client(server);
	await c.signIn('p_clerk');
	for (const [name, last4] of [['甲', '1357'], ['乙', '2468']]) {
		const r = await send(c, 'POST', '/api/v1/persons', { name, id_number: idEnding('420106', last4), categories: '退役军人' });
		assert.equal(r.status, 201, `${r}`);
	}
	await server.stop();
	/* As the previous program left it: the columns of 0015 empty, not marked done. */
	sqlExec(db, "UPDATE persons SET id_last4_bidx = NULL, id_first6_bidx = NULL; DELETE FROM settings WHERE key = 'registry.id_parts';");
	server = await Server.start(db);
	try {
		assert.match(server.log, /已为 2 人的身份证号前六位、后四位建立盲索引/);
		c = new Client(server);
		await c.signIn('p_clerk');
		assert.deepEqual(names(await list(c, { q: '2468' })), ['乙']);
	} finally {
		await server.stop();
	}
	/* Once: the next start has nothing to do. */
	server = await Server.start(db);
	await server.stop();
	assert.doesNotMatch(server.log, /建立盲索引/);
	assert.equal(sqlExec(db, "SELECT count(*) FROM audit_log WHERE action = 'person.seal_upgrade' AND detail LIKE '%2 人的身份证号%';").trim(), '1');
	const v = await vets(['audit', 'verify', '--db', db]);
	assert.equal(v.code, 0, v.stderr);
});
