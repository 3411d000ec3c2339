// seal.test.mjs - how the registry's sensitive values are kept: one blind-index key per
// field (HMAC-SM3 of the key file's index key and the field's name), every sealed value
// bound to its column and person (so that a value copied elsewhere in the database does
// not open), and the one-time upgrade of a database written by an older vets (re-indexed
// and re-sealed by `vets init` or the first `vets serve`).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
	Client,
	PG,
	Server,
	addUser,
	auditRows,
	auditVerify,
	cleanup,
	idNumber,
	importRegions,
	initDb,
	keyFile,
	sqlExec,
	tempDir,
	vets,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

after(cleanup);

/** The keys of a key file, as Buffers by name. */
function readKeys(file) {
	const keys = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const m = /^(\w+)=([0-9a-f]+)$/.exec(line);
		if (m) keys[m[1]] = Buffer.from(m[2], 'hex');
	}
	return keys;
}

const hmac = (key, data) => createHmac('sm3', key).update(data).digest();
/** The blind index of value under field's own key (crypto_derive_key + crypto_blind_index). */
const fieldIndex = (keys, field, value) => hmac(hmac(keys.index_key, field), value).toString('hex');
/** The blind index as vets made it before: one key for every field. */
const sharedIndex = (keys, value) => hmac(keys.index_key, value).toString('hex');

function create(client, fields) {
	return client.request('POST', '/api/v1/persons', { json: fields, headers: { 'X-CSRF-Token': client.csrf } });
}

/** A database with regions, a clerk at the bureau and the given people; the server stopped. */
async function world(people) {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 's_clerk', 'clerk', { org: '420199' });
	await addUser(db, 's_aud', 'auditor');
	const server = await Server.start(db);
	const clerk = new Client(server);
	await clerk.signIn('s_clerk');
	const ids = [];
	for (const p of people) {
		const r = await create(clerk, p);
		assert.equal(r.status, 201, `${r}`);
		ids.push(r.json.id);
	}
	await server.stop();
	return { db, ids };
}

/** The reveal page of person id as the clerk, on a new server over db. */
async function reveal(db, ids) {
	const server = await Server.start(db);
	const clerk = new Client(server);
	await clerk.signIn('s_clerk');
	const pages = [];
	for (const id of ids) {
		const r = await clerk.postForm(`/persons/${id}/reveal`, {});
		assert.equal(r.status, 200, `${r}`);
		pages.push(r.body);
	}
	await server.stop();
	return pages;
}

const ID_A = idNumber('42010619850615013');
const ID_B = idNumber('42010619700302024');
const ACCOUNT_A = '6222021234567890123';
const ACCOUNT_B = '6227009876543210';
const PHONE_A = '13812345678';
const PHONE_B = '13900002222';

test('ID numbers and phones have unrelated blind indexes: one key per field', async () => {
	const { db, ids } = await world([
		{ name: '甲', id_number: ID_A, categories: '退役军人', phone: PHONE_A, street: '东湖街道' },
	]);
	const keys = readKeys(keyFile(db));
	const [row] = sqlExec(db, `SELECT id_bidx || '|' || phone_bidx FROM persons WHERE id = ${ids[0]};`).trim().split('\n');
	const [idBidx, phoneBidx] = row.split('|');
	assert.equal(idBidx, fieldIndex(keys, 'persons.id_bidx', ID_A));
	assert.equal(phoneBidx, fieldIndex(keys, 'persons.phone_bidx', PHONE_A));
	/* Not the shared key of before: a phone's index says nothing about an ID's. */
	assert.notEqual(idBidx, sharedIndex(keys, ID_A));
	assert.notEqual(phoneBidx, sharedIndex(keys, PHONE_A));
	assert.notEqual(fieldIndex(keys, 'persons.id_bidx', PHONE_A), phoneBidx);
});

test('a sealed value copied to another person or another column does not open there', async () => {
	const { db, ids } = await world([
		{ name: '甲', id_number: ID_A, categories: '退役军人', phone: PHONE_A, bank_name: '工商银行', bank_account: ACCOUNT_A, street: '东湖街道' },
		{ name: '乙', id_number: ID_B, categories: '退役军人、残疾军人', disability_grade: '5', disability_nature: '因公', phone: PHONE_B, bank_name: '建设银行', bank_account: ACCOUNT_B, street: '长青街道' },
	]);
	const [a, b] = ids;
	/* Before: each person's own values open. */
	let [pageA, pageB] = await reveal(db, [a, b]);
	assert.ok(pageA.includes(ACCOUNT_A) && pageA.includes(PHONE_A) && pageA.includes(ID_A));
	assert.ok(pageB.includes(ACCOUNT_B) && pageB.includes('5 级'));

	/* Someone with the database but not the key file moves 甲's account to 乙 (to have 乙's
	 * benefits paid to it), 甲's phone into 甲's account column, and 乙's disability record to 甲. */
	sqlExec(
		db,
		`UPDATE persons SET account_enc = (SELECT account_enc FROM persons WHERE id = ${a}) WHERE id = ${b};
		 UPDATE persons SET account_enc = phone_enc WHERE id = ${a};
		 INSERT INTO person_identities (person_id, region_code, category, disability_enc)
		   SELECT ${a}, region_code, '残疾军人', disability_enc FROM person_identities
		   WHERE person_id = ${b} AND disability_enc IS NOT NULL;`,
	);
	[pageA, pageB] = await reveal(db, [a, b]);
	assert.ok(!pageB.includes(ACCOUNT_A), '甲\'s account opened in 乙\'s row');
	const accountA = /<dt>银行账号<\/dt>\s*<dd>(.*?)<\/dd>/s.exec(pageA)[1];
	assert.ok(!accountA.includes(PHONE_A), `the phone opened in the account column: ${accountA}`);
	assert.ok(!pageA.includes('5 级'), '乙\'s disability opened for 甲');
	/* What was not moved still opens. */
	assert.ok(pageA.includes(ID_A) && pageA.includes(PHONE_A) && pageB.includes(ID_B) && pageB.includes('5 级'));
});

/* The legacy fixture is a SQLite database of an older vets: a PostgreSQL store starts at the current schema. */
const LEGACY_ONLY = { skip: PG ? 'the fixture is a SQLite database of an older vets; a PostgreSQL store never had its schema' : false };

/** The fixture database of vets before this change (schema 0006), with its key file, in a new dir. */
function legacyDb() {
	const dir = tempDir('vets-legacy-');
	const db = path.join(dir, 'vets.db');
	const sql = gunzipSync(readFileSync(path.join(here, 'fixtures', 'legacy-registry.sql.gz'))).toString('utf8');
	sqlExec(db, sql);
	copyFileSync(path.join(here, 'fixtures', 'legacy-registry.key.txt'), `${db}.key`);
	chmodSync(`${db}.key`, 0o600);
	return db;
}

const LEGACY = {
	旧张三: { id: idNumber('42010619850615013'), phone: '13812345678', account: '6222021234567890123' },
	旧李四: { id: idNumber('42010619700302024'), phone: '13900002222', disability: ['6 级', '因战'] },
	旧王五: { id: idNumber('42010619600606061'), account: '6227001234567890' },
};

/** Checks that db (upgraded) finds and opens every legacy person, and is marked current. */
async function checkUpgraded(db) {
	const keys = readKeys(`${db}.key`);
	for (const [name, p] of Object.entries(LEGACY)) {
		const bidx = sqlExec(db, `SELECT id_bidx FROM persons WHERE name = '${name}';`).trim();
		assert.equal(bidx, fieldIndex(keys, 'persons.id_bidx', p.id), `${name} not re-indexed`);
	}
	assert.equal(sqlExec(db, "SELECT value FROM settings WHERE key = 'registry.seal';").trim(), '2');
	await addUser(db, 's_clerk', 'clerk', { org: '420199' });
	await addUser(db, 's_aud', 'auditor');
	const server = await Server.start(db);
	const clerk = new Client(server);
	await clerk.signIn('s_clerk');
	for (const [name, p] of Object.entries(LEGACY)) {
		for (const q of [p.id, p.phone].filter(Boolean)) {
			const r = await clerk.get(`/api/v1/persons?q=${q}`);
			assert.equal(r.status, 200, `${r}`);
			assert.deepEqual(r.json.items.map((x) => x.name), [name], `search by ${q}`);
		}
		const id = sqlExec(db, `SELECT id FROM persons WHERE name = '${name}';`).trim();
		const page = await clerk.postForm(`/persons/${id}/reveal`, {});
		assert.equal(page.status, 200);
		for (const v of [p.id, p.phone, p.account, ...(p.disability ?? [])].filter(Boolean))
			assert.ok(page.body.includes(v), `${name}: ${v} does not open after the upgrade`);
	}
	/* An edit after the upgrade keeps working, and the audit chain is whole. */
	const id = sqlExec(db, "SELECT id FROM persons WHERE name = '旧王五';").trim();
	const r = await clerk.request('PATCH', `/api/v1/persons/${id}`, {
		json: { phone: '13700001111' },
		headers: { 'X-CSRF-Token': clerk.csrf },
	});
	assert.equal(r.status, 200, `${r}`);
	const aud = new Client(server);
	await aud.signIn('s_aud');
	const rows = await auditRows(aud, { action: 'person.seal_upgrade' });
	assert.equal(rows.length, 1, JSON.stringify(rows));
	assert.match(rows[0].detail, /3 人/);
	await server.stop();
	const v = await auditVerify(db);
	assert.equal(v.code, 0, v.stderr);
}

test('a database of the previous vets is re-indexed and re-sealed once by vets init', LEGACY_ONLY, async () => {
	const db = legacyDb();
	const keys = readKeys(`${db}.key`);
	/* The fixture is in the old form: one shared index key. */
	const old = sqlExec(db, "SELECT id_bidx FROM persons WHERE name = '旧张三';").trim();
	assert.equal(old, sharedIndex(keys, LEGACY.旧张三.id));
	const r = await vets(['init', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stderr, /已升级 3 人/);
	/* Once: a second init has nothing to do. */
	const again = await vets(['init', '--db', db]);
	assert.equal(again.code, 0, again.stderr);
	assert.doesNotMatch(again.stderr, /已升级/);
	await checkUpgraded(db);
});

test('a database of the previous vets is upgraded by vets serve when init was not run', LEGACY_ONLY, async () => {
	const db = legacyDb();
	const server = await Server.start(db);
	assert.match(server.log, /已升级 3 人/);
	await server.stop();
	await checkUpgraded(db);
});

test('the upgrade refuses another key file and changes nothing', LEGACY_ONLY, async () => {
	const db = legacyDb();
	const before = sqlExec(db, 'SELECT hex(id_enc), id_bidx FROM persons ORDER BY id;');
	const other = await initDb();
	writeFileSync(`${db}.key`, readFileSync(keyFile(other.db)));
	chmodSync(`${db}.key`, 0o600);
	const r = await vets(['init', '--db', db]);
	assert.equal(r.code, 1);
	// refused by the key check before the upgrade would try to open a value under it
	assert.match(r.stderr, /密钥文件与数据库不符：审计链无法用该密钥文件/);
	assert.equal(sqlExec(db, 'SELECT hex(id_enc), id_bidx FROM persons ORDER BY id;'), before);
	assert.equal(sqlExec(db, "SELECT count(*) FROM settings WHERE key = 'registry.seal';").trim(), '0');
	assert.equal(sqlExec(db, "SELECT count(*) FROM settings WHERE key = 'key.fingerprint';").trim(), '0', 'the wrong key is not recorded');
});
