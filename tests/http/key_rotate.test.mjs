// vets key rotate: new data, MAC, blind-index and audit keys for a whole database, in
// batches that a kill -9 interrupts anywhere and a rerun finishes; the old key file kept as
// PATH.N and refused; the audit trail verifying across generations.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

import { BIN, Client, Server, addPeople, blobSql, cleanup, demoStore, filesDir, freePort, hexSql, initDb, keyFile, sqlExec, storeEnv, tempDir, vets } from './lib.mjs';

after(cleanup);

const CLERK = ['clerk', 'Demo@b1fdd5'];

async function exportPersons(db) {
	const file = path.join(tempDir(), 'persons.csv');
	const r = await vets(['export', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	return readFileSync(file, 'utf8');
}

async function auditOk(db, keyArgs = []) {
	const r = await vets(['audit', 'verify', '--db', db, ...keyArgs]);
	assert.equal(r.code, 0, r.stderr);
	return Number(/共 (\d+) 条/.exec(r.stdout)[1]);
}

/* Every kind of sealed value, by table: the rotation re-seals each. */
const SEALED = [
	['persons', 'id', 'id_enc'],
	['person_identities', 'id', 'disability_enc'],
	['conscripts', 'person_id', 'family_phone_enc'],
	['sms_outbox', 'id', 'phone_enc'],
	['applications', 'id', 'id_enc'],
	['petitions', 'id', 'address_enc'],
];

/** The sealed bytes of each kind, 40 rows of each. */
function sealedSample(db) {
	return SEALED.map(([t, key, col]) =>
		sqlExec(db, `SELECT ${key}, ${hexSql(db, col, { blob: true })} FROM ${t} WHERE ${col} IS NOT NULL ORDER BY ${key} LIMIT 40`)
			.trim()
			.split('\n'),
	);
}

/** A store of n people made by import (faster than the demo where the demo adds nothing). */
async function smallStore(n) {
	const { db } = await initDb();
	await addPeople(db, n);
	return db;
}

const setting = (db, key) => sqlExec(db, `SELECT value FROM settings WHERE key = '${key}'`).trim();

/** Runs vets key rotate and kills it with SIGKILL once it has printed `lines` progress lines. */
function rotateKilledAfter(db, lines, batch) {
	return new Promise((resolve, reject) => {
		const child = spawn(BIN, ['key', 'rotate', '--db', db, '--batch', String(batch)], {
			env: { ...process.env, ...storeEnv(db) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		let killed = false;
		child.stderr.setEncoding('utf8').on('data', (d) => {
			stderr += d;
			if (!killed && (stderr.match(/已处理/g) || []).length >= lines) {
				killed = true;
				child.kill('SIGKILL');
			}
		});
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stderr }));
	});
}

/** The people of the export: [name, id number] of some rows spread over the file. */
function samplePeople(csv, n) {
	const rows = csv.trim().split('\n').slice(1);
	const out = [];
	for (let i = 0; i < n; i++) {
		const cols = rows[Math.floor((i * rows.length) / n)].split(',');
		out.push([cols[0], cols[1]]);
	}
	return out;
}

test('rotation on the demo: same exports, searches by ID number still find, the audit chain verifies across generations, the old key refused', async () => {
	const { db } = await demoStore();
	const before = await exportPersons(db);
	const records = await auditOk(db);
	const fp1 = setting(db, 'key.fingerprint');
	assert.match(fp1, /^[0-9a-f]{16}$/);
	assert.equal(setting(db, 'key.generation'), '1');
	const oldKey = readFileSync(keyFile(db), 'utf8');
	const sealedBefore = sqlExec(db, 'SELECT count(*) FROM persons WHERE id_enc IS NOT NULL').trim();
	const bytesBefore = sealedSample(db);

	// Not while a server holds the key file: it would write under the old keys.
	const server = await Server.start(db);
	const busy = await vets(['key', 'rotate', '--db', db]);
	assert.equal(busy.code, 1);
	assert.match(busy.stderr, /正在使用密钥文件.*请先停止/);
	assert.equal(setting(db, 'key.fingerprint'), fp1, 'nothing changed');
	assert.equal(existsSync(`${keyFile(db)}.new`), false);
	await server.stop();

	const r = await vets(['key', 'rotate', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /现为第 2 代密钥/);
	assert.match(r.stdout, /审计链校验通过/);
	const fp2 = setting(db, 'key.fingerprint');
	assert.notEqual(fp2, fp1);
	assert.equal(setting(db, 'key.generation'), '2');
	assert.equal(readFileSync(`${keyFile(db)}.1`, 'utf8'), oldKey, 'the old key file kept as PATH.1');
	assert.notEqual(readFileSync(keyFile(db), 'utf8'), oldKey);
	assert.equal(existsSync(`${keyFile(db)}.new`), false);
	const values = Number(/重新加密 (\d+) 个值/.exec(r.stdout)[1]);
	assert.ok(values >= Number(sealedBefore), `${values} values re-sealed, ${sealedBefore} people have an ID`);

	assert.equal(await exportPersons(db), before, 'the export is the same, byte for byte');
	// every kind of sealed value was sealed again: no row keeps its old bytes
	sealedSample(db).forEach((rows, k) => {
		assert.ok(rows.length >= 10, `${SEALED[k][0]} has sealed values in the demo`);
		const old = new Set(bytesBefore[k]);
		assert.equal(rows.filter((x) => old.has(x)).length, 0, `${SEALED[k][0]} re-sealed`);
		assert.deepEqual(rows.map((x) => x.split('|')[0]), bytesBefore[k].map((x) => x.split('|')[0]));
	});
	// the rotation's start and end are in the trail, and every record verifies
	assert.ok((await auditOk(db)) >= records + 3);
	const rotations = sqlExec(db, "SELECT result FROM audit_log WHERE action = 'key.rotate' ORDER BY seq").trim().split('\n');
	assert.deepEqual(rotations, ['started', 'ok']);
	assert.equal(sqlExec(db, 'SELECT generation, fingerprint FROM key_history').trim(), `1|${fp1}`);

	// Blind indexes recomputed: the counter's searches by the whole number and by its last four still find.
	const s = await Server.start(db);
	const clerk = new Client(s);
	await clerk.signIn(...CLERK);
	for (const [name, id] of samplePeople(before, 5)) {
		const whole = await clerk.get(`/api/v1/persons?${new URLSearchParams({ q: id })}`);
		assert.equal(whole.status, 200, `${whole}`);
		assert.deepEqual(whole.json.items.map((p) => p.name), [name], `search by ${id.slice(0, 6)}…`);
		const last4 = await clerk.get(`/api/v1/persons?${new URLSearchParams({ q: id.slice(-4), per_page: 200 })}`);
		assert.ok(last4.json.items.some((p) => p.name === name), `search by the last four of ${name}`);
	}
	await s.stop();

	// The old key file alone opens nothing: every command refuses it, naming its generation.
	const old = await vets(['export', 'persons', path.join(tempDir(), 'x.csv'), '--db', db, '--key-file', `${keyFile(db)}.1`]);
	assert.equal(old.code, 1);
	assert.match(old.stderr, /第 1 代密钥文件.*已在密钥轮换中停用/);
	const oldVerify = await vets(['audit', 'verify', '--db', db, '--key-file', `${keyFile(db)}.1`]);
	assert.equal(oldVerify.code, 1);

	// A second rotation opens every value sealed by the first (it stops on any that does not):
	// three generations, the chain still verifies from the first record.
	const again = await vets(['key', 'rotate', '--db', db]);
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stdout, /现为第 3 代密钥/);
	assert.ok(existsSync(`${keyFile(db)}.2`));
	assert.equal(await exportPersons(db), before);
	await auditOk(db);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM key_history').trim(), '2');
});

test('kill -9 in the middle of a rotation: the database is refused until a rerun finishes it, with nothing lost', async () => {
	const db = await smallStore(400);
	const before = await exportPersons(db);
	const people = Number(sqlExec(db, 'SELECT count(*) FROM persons').trim());

	const killed = await rotateKilledAfter(db, 4, 25);
	assert.equal(killed.signal, 'SIGKILL', killed.stderr);
	assert.equal(setting(db, 'key.rotating'), '2', 'the rotation was under way');
	const after = Number(setting(db, 'key.rotate_after'));
	assert.ok(after > 0 && after < Number(sqlExec(db, 'SELECT max(id) FROM persons').trim()), `stopped at person ${after}`);
	assert.ok(existsSync(`${keyFile(db)}.new`));

	// half-rotated: every other command says what to do, and changes nothing
	for (const args of [
		['export', 'persons', path.join(tempDir(), 'x.csv')],
		['audit', 'verify'],
	]) {
		const r = await vets([...args, '--db', db]);
		assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
		assert.match(r.stderr, /密钥轮换尚未完成.*再次运行 vets key rotate/);
	}
	const listen = `127.0.0.1:${await freePort()}`;
	const server = spawn(BIN, ['serve', '--db', db, '--listen', listen, '--files-dir', filesDir(db)], { env: { ...process.env, ...storeEnv(db) } });
	let serveErr = '';
	server.stderr.setEncoding('utf8').on('data', (d) => (serveErr += d));
	const served = await new Promise((resolve) => server.on('close', (code) => resolve(code)));
	assert.equal(served, 1, `vets serve refuses a half-rotated database: ${serveErr}`);
	assert.match(serveErr, /密钥轮换尚未完成/);

	// killed again, a few batches later, then finished
	const second = await rotateKilledAfter(db, 3, 25);
	assert.equal(second.signal, 'SIGKILL', second.stderr);
	assert.ok(Number(setting(db, 'key.rotate_after')) > after || Number(setting(db, 'key.rotate_step')) > 0, 'went on from where it stopped');
	const r = await vets(['key', 'rotate', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /接续上次中断的轮换/);
	assert.equal(setting(db, 'key.rotating'), '');
	assert.equal(await exportPersons(db), before, 'every person opens under the new key, as before');
	assert.equal(Number(sqlExec(db, 'SELECT count(*) FROM persons').trim()), people);
	await auditOk(db);
	const old = await vets(['audit', 'verify', '--db', db, '--key-file', `${keyFile(db)}.1`]);
	assert.equal(old.code, 1);
	assert.match(old.stderr, /已在密钥轮换中停用/);
});

test('a rotation stopped between its steps on the files, a stray new key file, a lost one, a wrong key: finished, remade or refused', async () => {
	const db = await smallStore(300);
	const before = await exportPersons(db);
	const key = keyFile(db);
	const oldKey = readFileSync(key, 'utf8');

	// A wrong key file: refused before anything is written.
	const wrongDir = tempDir();
	const wrong = await vets(['init', '--db', path.join(wrongDir, 'w.db')]);
	assert.equal(wrong.code, 0, wrong.stderr);
	const bad = await vets(['key', 'rotate', '--db', db, '--key-file', path.join(wrongDir, 'w.db.key')]);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /密钥文件与数据库不符/);
	assert.equal(existsSync(path.join(wrongDir, 'w.db.key.new')), false);
	assert.equal(setting(db, 'key.rotating'), '');

	// A new key file left by a run killed before the database named it: made again.
	writeFileSync(`${key}.new`, readFileSync(path.join(wrongDir, 'w.db.key')));
	chmodSync(`${key}.new`, 0o600);
	const r = await vets(['key', 'rotate', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	assert.notEqual(readFileSync(key, 'utf8'), readFileSync(path.join(wrongDir, 'w.db.key'), 'utf8'));
	assert.equal(await exportPersons(db), before);

	// Killed after the database was finished, before the files were swapped (and once more
	// after the old file was kept, before the new one took its place): the rerun swaps them.
	const newKey = readFileSync(key, 'utf8');
	renameSync(key, `${key}.new`);
	copyFileSync(`${key}.1`, key);
	rmSync(`${key}.1`);
	const stale = await vets(['export', 'persons', path.join(tempDir(), 'x.csv'), '--db', db]);
	assert.equal(stale.code, 1, 'the old file is refused meanwhile');
	const swap = await vets(['key', 'rotate', '--db', db]);
	assert.equal(swap.code, 0, swap.stderr);
	assert.match(swap.stdout, /接续上次中断的轮换.*第 2 代/);
	assert.equal(readFileSync(key, 'utf8'), newKey);
	assert.equal(readFileSync(`${key}.1`, 'utf8'), oldKey);
	renameSync(key, `${key}.new`);
	copyFileSync(`${key}.1`, key);
	const swap2 = await vets(['key', 'rotate', '--db', db]);
	assert.equal(swap2.code, 0, swap2.stderr);
	assert.equal(readFileSync(key, 'utf8'), newKey);
	assert.equal(await exportPersons(db), before);

	// The new key file lost in the middle of a rotation: a clear error, nothing changed.
	const killed = await rotateKilledAfter(db, 2, 25);
	assert.equal(killed.signal, 'SIGKILL');
	const cursor = setting(db, 'key.rotate_after');
	renameSync(`${key}.new`, `${key}.away`);
	const lost = await vets(['key', 'rotate', '--db', db]);
	assert.equal(lost.code, 1);
	assert.match(lost.stderr, /新密钥文件 .* 不见了/);
	assert.equal(setting(db, 'key.rotate_after'), cursor);
	renameSync(`${key}.away`, `${key}.new`);
	const done = await vets(['key', 'rotate', '--db', db]);
	assert.equal(done.code, 0, done.stderr);
	assert.match(done.stdout, /第 3 代/);
	assert.equal(await exportPersons(db), before);
	await auditOk(db);
});

test('what would stop a rotation half-way stops it before it starts: a value that does not open, a retired name taken; a cut-short new key file is made again; a wrong key is never recorded', async () => {
	const db = await smallStore(60);
	const key = keyFile(db);
	const before = await exportPersons(db);
	const first = Number(sqlExec(db, 'SELECT min(id) FROM persons').trim());
	const phone = sqlExec(db, `SELECT ${hexSql(db, 'phone_enc', { blob: true })} FROM persons WHERE id = ${first}`).trim();

	// A sealed value that does not open (here: another row's, bound to that row).
	sqlExec(db, `UPDATE persons SET phone_enc = (SELECT p2.id_enc FROM persons p2 WHERE p2.id = ${first + 1}) WHERE id = ${first}`);
	const r = await vets(['key', 'rotate', '--db', db]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, new RegExp(`persons 第 ${first} 行的 persons.phone_enc 无法用当前密钥解开：轮换没有开始，数据库未改动`));
	assert.equal(setting(db, 'key.rotating'), '');
	assert.equal(setting(db, 'key.generation'), '1');
	assert.equal(existsSync(`${key}.new`), false);
	sqlExec(db, `UPDATE persons SET phone_enc = ${blobSql(db, phone)} WHERE id = ${first}`);
	assert.equal(await exportPersons(db), before);

	// PATH.1 taken by another file (a key an old backup needs): refused before anything.
	writeFileSync(`${key}.1`, 'another file\n');
	const taken = await vets(['key', 'rotate', '--db', db]);
	assert.equal(taken.code, 1);
	assert.match(taken.stderr, /\.1 已存在，且不是当前的密钥文件：请先把它移走/);
	assert.equal(readFileSync(`${key}.1`, 'utf8'), 'another file\n');
	assert.equal(setting(db, 'key.rotating'), '');
	rmSync(`${key}.1`);

	// A new key file cut short by a kill while it was written (the database never named it).
	writeFileSync(`${key}.new`, '');
	const cut = await vets(['key', 'rotate', '--db', db]);
	assert.equal(cut.code, 0, cut.stderr);
	assert.equal(await exportPersons(db), before);

	// A database without a recorded fingerprint (from before they were kept) opened with a
	// wrong key file: refused, and nothing recorded; the right one is recorded.
	sqlExec(db, "DELETE FROM settings WHERE key IN ('key.fingerprint', 'key.generation')");
	const other = await initDb();
	const wrong = await vets(['export', 'persons', path.join(tempDir(), 'x.csv'), '--db', db, '--key-file', keyFile(other.db)]);
	assert.equal(wrong.code, 1);
	assert.match(wrong.stderr, /密钥文件与数据库不符：审计链无法用该密钥文件/);
	assert.equal(sqlExec(db, "SELECT count(*) FROM settings WHERE key = 'key.fingerprint'").trim(), '0');
	assert.equal(await exportPersons(db), before);
	assert.match(setting(db, 'key.fingerprint'), /^[0-9a-f]{16}$/);
	assert.equal(setting(db, 'key.generation'), '2', 'the generation after the one key_history holds');
	const next = await vets(['key', 'rotate', '--db', db]);
	assert.equal(next.code, 0, next.stderr);
	assert.match(next.stdout, /现为第 3 代/);
});
