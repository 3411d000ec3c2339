// backup.test.mjs - vets backup --to / --verify and vets restore, on the backend the suite runs
// on (SQLite, or PostgreSQL with VETS_TEST_PG): a backup taken while sixteen clerks register and
// edit people, restored into a new store that holds exactly what the manifest says; then every
// bad input — a target that exists or can't be written, the disk full, a corrupt, truncated or
// foreign backup, a missing manifest, a wrong key, an existing database — refused with one
// Chinese line, exit 1, the live database and the target untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import {
	PG, BIN, Client, Server, addUser, auditVerify, cleanup, idNumber, importRegions, initDb, keyFile, newStore, sqlExec, tempDir, vets,
} from './lib.mjs';

const CLIENTS = 16;
let live; /* {db, dir, server}: the store the writes go to */
let backup; /* {file, manifest} taken during the writes */

before(async () => {
	const { db, dir } = await initDb();
	await importRegions(db);
	await Promise.all(Array.from({ length: CLIENTS }, (_, i) => addUser(db, `bk_clerk${i}`, 'clerk', { org: '420199' })));
	live = { db, dir, server: await Server.start(db) };
});

after(async () => {
	try {
		if (live?.server.alive) await live.server.stop();
	} finally {
		await cleanup();
	}
});

/* Every table the manifest lists, counted in store db: {table: rows}. */
function counts(db, tables) {
	const sql = tables.map((t) => `SELECT '${t}', count(*) FROM ${t}`).join(' UNION ALL ') + ';';
	const out = {};
	for (const line of sqlExec(db, sql).trim().split('\n')) {
		const [t, n] = line.split('|');
		out[t] = Number(n);
	}
	return out;
}

const manifestOf = (file) => JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8'));
const sm3 = (file) => createHash('sm3').update(readFileSync(file)).digest('hex');

/* The manifest's MAC as one who holds the key file computes it: HMAC-SM3 under
 * HMAC-SM3(mac_key, "vets backup manifest v1") of the manifest without "mac", as compact JSON
 * with every object's keys sorted. (To forge a manifest that passes its MAC, which only a
 * holder of the key file can do, and so reach the checks behind it.) */
function canonical(v) {
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
	return JSON.stringify(v);
}
function signManifest(m, key) {
	const hex = /^mac_key=([0-9a-f]{64})$/m.exec(readFileSync(key, 'utf8'))[1];
	const k = createHmac('sm3', Buffer.from(hex, 'hex')).update('vets backup manifest v1').digest();
	const { mac: _, ...rest } = m;
	return { ...rest, mac: createHmac('sm3', k).update(canonical(rest)).digest('hex') };
}

/* Runs vets with args; asserts exit 1 and one line of Chinese on stderr matching re. */
async function refused(args, re, opts = {}) {
	const r = await vets(args, opts);
	assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
	const lines = r.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `more than one line:\n${r.stderr}`);
	assert.match(lines[0], /^vets: .*[\u4e00-\u9fff]/);
	assert.match(lines[0], re);
	return r;
}

/* The files of dir (to see that nothing, not even a temporary, was left). */
const filesIn = (dir) => readdirSync(dir).sort();

test('a backup taken while 16 clients write restores to exactly the manifest: integrity, audit chain, every count', async () => {
	const { db, server } = live;
	let stop = false;
	let writes = 0;
	const failures = [];
	const clerk = async (i) => {
		const c = new Client(server);
		await c.signIn(`bk_clerk${i}`);
		for (let n = 0; !stop && n < 999; n++) {
			const id = idNumber(`420106${1950 + i}0101${String(n).padStart(3, '0')}`);
			const r = await c.request('POST', '/api/v1/persons', {
				json: { name: `备份${i}号${n}`, id_number: id, categories: '退役军人', street: n % 2 ? '东湖街道' : '长青街道' },
				headers: { 'X-CSRF-Token': c.csrf },
			});
			if (r.status !== 201) {
				failures.push(`create ${i}/${n}: ${r.status}`);
				break;
			}
			const p = await c.request('PATCH', `/api/v1/persons/${r.json.id}`, {
				json: { phone: `139${String(i).padStart(2, '0')}${String(n).padStart(6, '0')}` },
				headers: { 'X-CSRF-Token': c.csrf },
			});
			if (p.status !== 200) {
				failures.push(`patch ${i}/${n}: ${p.status}`);
				break;
			}
			writes += 2;
		}
	};
	const running = Promise.all(Array.from({ length: CLIENTS }, (_, i) => clerk(i)));
	const waitWrites = async (n) => {
		while (writes < n && failures.length === 0) await new Promise((r) => setTimeout(r, 20));
	};
	await waitWrites(64);

	/* The tables as the store lists them, counted before the backup begins. */
	const tables = PG
		? sqlExec(db, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename;").trim().split('\n')
		: sqlExec(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;").trim().split('\n');
	const before_ = counts(db, tables);
	const writesAtBackup = writes;
	const file = path.join(tempDir(), 'during.vbk');
	const b = await vets(['backup', '--db', db, '--to', file]);
	assert.equal(b.code, 0, b.stderr);
	assert.match(b.stdout, /备份完成/);
	assert.match(b.stdout, /密钥文件不在备份中/);
	assert.ok(b.stdout.includes(keyFile(db)), `the key file's place is not said: ${b.stdout}`);
	/* The writes go on after it. */
	await waitWrites(Math.max(writes, writesAtBackup) + 64);
	stop = true;
	await running;
	assert.deepEqual(failures, []);
	const after_ = counts(db, tables);

	const m = manifestOf(file);
	backup = { file, manifest: m };
	assert.equal(m.format, 'vets-backup');
	assert.equal(m.version, 1);
	assert.equal(m.backend, PG ? 'postgresql' : 'sqlite');
	assert.deepEqual(Object.keys(m.tables).sort(), [...tables].sort());
	assert.equal(m.file.size, statSync(file).size);
	assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup is readable by others');
	assert.equal(m.file.sm3, sm3(file));
	assert.match(m.key.fingerprint, /^[0-9a-f]{16}$/);
	assert.match(m.created_utc, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	/* Between the counts before and after, table by table, for the tables that only grow. */
	for (const t of ['persons', 'person_history', 'audit_log', 'person_identities']) {
		assert.ok(m.tables[t] >= before_[t], `${t}: manifest ${m.tables[t]} < before ${before_[t]}`);
		assert.ok(m.tables[t] <= after_[t], `${t}: manifest ${m.tables[t]} > after ${after_[t]}`);
	}
	assert.ok(m.tables.audit_log < after_.audit_log, 'the writes after the backup are not after it');
	/* The audit head is the record of that seq in the live store. */
	assert.equal(m.audit.records, m.tables.audit_log);
	assert.equal(sqlExec(db, `SELECT hash FROM audit_log WHERE seq = ${m.audit.last_seq};`).trim(), m.audit.last_hash);
	/* The backup itself is audited in the live store, after the snapshot's head. */
	const made = sqlExec(db, "SELECT seq, object FROM audit_log WHERE action = 'backup.create';").trim().split('|');
	assert.ok(Number(made[0]) > m.audit.last_seq);
	assert.equal(made[1], file);

	const v = await vets(['backup', '--verify', file, '--key-file', keyFile(db)]);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, /备份完好/);

	const target = newStore();
	const r = await vets(['restore', file, '--db', target, '--key-file', keyFile(db)]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /恢复完成/);
	if (!PG) {
		assert.match(r.stdout, /密钥文件已复制为/);
		assert.equal(statSync(keyFile(target)).mode & 0o777, 0o600);
		assert.equal(sqlExec(target, 'PRAGMA integrity_check;').trim(), 'ok');
	} else copyFileSync(keyFile(db), keyFile(target));
	const restored = counts(target, tables);
	/* Every table as the manifest says, the restore's own audit record after the backup's head. */
	assert.deepEqual({ ...restored, audit_log: restored.audit_log - 1 }, m.tables);
	const last = sqlExec(target, 'SELECT seq, action, prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1;').trim().split('|');
	assert.deepEqual(last, [String(m.audit.last_seq + 1), 'backup.restore', m.audit.last_hash]);
	const av = await auditVerify(target);
	assert.equal(av.code, 0, av.stderr);
	/* The people registered after the backup are not there; those before are, with their edits. */
	assert.equal(Number(sqlExec(target, 'SELECT count(*) FROM persons;')), m.tables.persons);
	assert.ok(after_.persons > m.tables.persons || after_.person_history > m.tables.person_history);
	const fivexx = server.accessLog().filter((l) => / status=5\d\d /.test(l));
	assert.deepEqual(fivexx, []);
});

test('a backup target that exists, or in a directory that is not there, is refused: nothing written', async () => {
	const { db } = live;
	const dir = tempDir();
	const file = path.join(dir, 'taken.vbk');
	writeFileSync(file, 'not to be replaced');
	await refused(['backup', '--db', db, '--to', file], /备份文件已存在/);
	assert.equal(readFileSync(file, 'utf8'), 'not to be replaced');
	writeFileSync(path.join(dir, 'man.vbk.manifest.json'), '{}');
	await refused(['backup', '--db', db, '--to', path.join(dir, 'man.vbk')], /备份清单已存在/);
	assert.deepEqual(filesIn(dir), ['man.vbk.manifest.json', 'taken.vbk']);
	await refused(['backup', '--db', db, '--to', path.join(dir, 'no-such-dir', 'x.vbk')], /无法在目录 .* 中写入备份/);
	await refused(['backup', '--db', db, '--to', path.join(file, 'x.vbk')], /无法在目录 .* 中写入备份/);
	assert.deepEqual(filesIn(dir), ['man.vbk.manifest.json', 'taken.vbk']);
	/* A directory that can't be written (root writes anywhere else: a read-only mount). */
	const ro = tempDir();
	if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]).status === 0) {
		try {
			await refused(['backup', '--db', db, '--to', path.join(ro, 'x.vbk')], /无法在目录 .* 中写入备份：Read-only file system/);
			assert.deepEqual(filesIn(ro), []);
		} finally {
			spawnSync('umount', [ro]);
		}
	}
	const misuse = await vets(['backup', '--db', db]);
	assert.equal(misuse.code, 2);
});

/* A write that fails part-way: the file size limit (ulimit -f, SIGXFSZ ignored, so the write
 * returns EFBIG), which any user can set; a full tmpfs (ENOSPC) too when we may mount one. */
test('the disk full during a backup: exit 1, nothing left behind, the live store unchanged', async () => {
	const { db } = live;
	const auditBefore = sqlExec(db, 'SELECT count(*) FROM audit_log;');
	const dir = tempDir();
	const file = path.join(dir, 'full.vbk');
	const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 16; exec "$0" "$@"`, BIN, 'backup', '--db', db, '--to', file], {
		encoding: 'utf8',
		env: { ...process.env, ...(PG ? { VETS_KEY_FILE: keyFile(db) } : {}) },
	});
	assert.equal(r.status, 1, r.stderr);
	assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
	assert.match(r.stderr, PG ? /备份失败：pg_dump 失败：.*(File too large|could not write)/ : /备份失败：.*磁盘已满或超出文件大小限制/);
	assert.deepEqual(filesIn(dir), []);
	assert.equal(sqlExec(db, 'SELECT count(*) FROM audit_log;'), auditBefore);
	assert.equal((await auditVerify(db)).code, 0);

	/* A real full disk, where this machine lets us mount a small tmpfs: far too small, and
	 * about the copy's size (the disk fills late: after the copy, at its log or its manifest). */
	const small = tempDir();
	if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]).status !== 0) return;
	spawnSync('umount', [small]);
	const sized = path.join(tempDir(), 'sized.vbk');
	assert.equal((await vets(['backup', '--db', db, '--to', sized])).code, 0);
	const pages = Math.ceil(statSync(sized).size / 4096);
	let fullSeen = 0;
	for (const kb of [256, 4 * pages - 8, 4 * pages, 4 * pages + 4]) {
		assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', small]).status, 0);
		try {
			const f = path.join(small, 'full.vbk');
			const full = await vets(['backup', '--db', db, '--to', f]);
			if (full.code === 0) assert.deepEqual(filesIn(small), ['full.vbk', 'full.vbk.manifest.json']);
			else {
				fullSeen++;
				assert.equal(full.code, 1, full.stderr);
				assert.match(full.stderr, /备份失败：.*(磁盘已满|pg_dump 失败：.*No space left|No space left)/);
				assert.deepEqual(filesIn(small), [], `${kb}k: left behind`);
			}
		} finally {
			spawnSync('umount', [small]);
		}
	}
	assert.ok(fullSeen >= 2, 'the disk never filled');
	/* SQLite: a copy larger than the connection's page cache (32 MiB) spills to disk with a
	 * rollback journal beside it (data-journal), which a full disk used to leave behind. */
	if (!PG) {
		const { db: big } = await initDb();
		sqlExec(big, 'CREATE TABLE bulk (b BLOB); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000) INSERT INTO bulk SELECT randomblob(4000) FROM c;');
		assert.ok(statSync(big).size > 40e6);
		assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', small]).status, 0);
		try {
			await refused(['backup', '--db', big, '--to', path.join(small, 'y.vbk')], /备份失败：.*磁盘已满/);
			assert.deepEqual(filesIn(small), []);
		} finally {
			spawnSync('umount', [small]);
		}
	}
	assert.equal(sqlExec(db, `SELECT count(*) FROM audit_log WHERE action = 'backup.create' AND object = '${path.join(small, 'full.vbk')}';`).trim(), String(4 - fullSeen));
});

/* A copy of the backup (and its manifest) in a new directory, to spoil. */
function spoilable() {
	const dir = tempDir();
	const file = path.join(dir, 'copy.vbk');
	copyFileSync(backup.file, file);
	copyFileSync(`${backup.file}.manifest.json`, `${file}.manifest.json`);
	return { dir, file };
}

/* Verify and restore both refuse file with re; the restore's target is not created. */
async function bothRefuse(file, re, key = keyFile(live.db)) {
	await refused(['backup', '--verify', file, '--key-file', key], re);
	const target = newStore();
	await refused(['restore', file, '--db', target, '--key-file', key], re);
	if (PG) assert.equal(sqlExec(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';").trim(), '0');
	else {
		assert.ok(!existsSync(target), 'the restore left its target');
		assert.deepEqual(filesIn(path.dirname(target)), []);
	}
}

test('a corrupt, truncated or foreign backup, or one without its manifest, is refused by verify and restore', async () => {
	assert.ok(backup, 'the first test made the backup');
	{
		/* One byte flipped in the middle. */
		const { file } = spoilable();
		const bytes = readFileSync(file);
		bytes[bytes.length >> 1] ^= 0x40;
		writeFileSync(file, bytes);
		await bothRefuse(file, /SM3 与清单不符/);
	}
	{
		const { file } = spoilable();
		truncateSync(file, statSync(file).size - 1000);
		await bothRefuse(file, /长度与清单不符.*截断/);
	}
	{
		const { file } = spoilable();
		writeFileSync(`${file}.manifest.json`, '{"format": "something-else"}');
		await bothRefuse(file, /备份清单 .* 无法识别/);
	}
	{
		/* Another program's files: a SQLite database, a text file; without a manifest… */
		const dir = tempDir();
		const other = path.join(dir, 'other.db');
		spawnSync('sqlite3', [other, 'CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1);']);
		const text = path.join(dir, 'notes.txt');
		writeFileSync(text, '这是一份会议纪要，不是备份。\n');
		await bothRefuse(other, /找不到备份清单/);
		await bothRefuse(text, /找不到备份清单/);
		/* …with a manifest made to match its size and SM3, without the key: its MAC fails… */
		for (const f of [other, text]) {
			const m = structuredClone(backup.manifest);
			m.file = { size: statSync(f).size, sm3: sm3(f) };
			writeFileSync(`${f}.manifest.json`, JSON.stringify(m));
		}
		await bothRefuse(other, /备份清单的校验码不符/);
		await bothRefuse(text, /备份清单的校验码不符/);
		/* …and with the key too: the content is refused. */
		for (const f of [other, text]) writeFileSync(`${f}.manifest.json`, JSON.stringify(signManifest(manifestOf(f), keyFile(live.db))));
		await bothRefuse(other, PG ? /pg_restore 失败/ : /不是 vets 的数据库/);
		await bothRefuse(text, PG ? /pg_restore 失败/ : /不是 SQLite 数据库文件/);
	}
	{
		const { file } = spoilable();
		spawnSync('rm', [`${file}.manifest.json`]);
		await bothRefuse(file, /找不到备份清单/);
	}
});

test('a wrong key file at restore is refused naming both fingerprints', async () => {
	const other = await initDb();
	const { file } = spoilable();
	const m = backup.manifest;
	const r = await refused(['backup', '--verify', file, '--key-file', keyFile(other.db)], /密钥文件与备份不符/);
	assert.ok(r.stderr.includes(m.key.fingerprint), r.stderr);
	await bothRefuse(file, new RegExp(`密钥文件与备份不符：备份所用密钥的指纹为 ${m.key.fingerprint}.*所给密钥文件的指纹为 [0-9a-f]{16}`), keyFile(other.db));
	/* A PostgreSQL archive is not restored into a SQLite file (the other way needs the cluster). */
	if (PG) {
		const target = path.join(tempDir(), 'lite.db');
		await refused(['restore', file, '--db', target, '--key-file', keyFile(live.db)], /备份来自 postgresql，只能恢复到同类数据库/);
		assert.ok(!existsSync(target));
	}
	const misuse = await vets(['backup', '--verify', file], { env: { VETS_KEY_FILE: '' } });
	assert.equal(misuse.code, 2);
});

test('across a key rotation: a backup needs the key of its generation, and the chain verifies across generations', async () => {
	const { db } = await initDb();
	await addUser(db, 'bk_rot', 'clerk');
	const key = keyFile(db);
	const dir = tempDir();
	const before_ = path.join(dir, 'before.vbk');
	const after_ = path.join(dir, 'after.vbk');
	assert.equal((await vets(['backup', '--db', db, '--to', before_])).code, 0);
	const rot = await vets(['key', 'rotate', '--db', db]);
	assert.equal(rot.code, 0, rot.stderr);
	assert.ok(existsSync(`${key}.1`), 'the old key file is not kept');
	assert.equal((await vets(['backup', '--db', db, '--to', after_])).code, 0);
	const [m1, m2] = [manifestOf(before_), manifestOf(after_)];
	assert.deepEqual([m1.key.generation, m2.key.generation], [1, 2]);
	assert.notEqual(m1.key.fingerprint, m2.key.fingerprint);
	/* The rotated key does not open the older backup; that generation's key file does. */
	await refused(['backup', '--verify', before_, '--key-file', key], new RegExp(`备份所用密钥的指纹为 ${m1.key.fingerprint}（第 1 代）.*密钥文件路径\\.N`));
	assert.equal((await vets(['backup', '--verify', before_, '--key-file', `${key}.1`])).code, 0);
	/* The newer one restores with the new key, its records under both audit keys verified. */
	const target = newStore();
	const r = await vets(['restore', after_, '--db', target, '--key-file', key]);
	assert.equal(r.code, 0, r.stderr);
	if (PG) copyFileSync(key, keyFile(target));
	assert.equal((await auditVerify(target)).code, 0);
	assert.equal(sqlExec(target, "SELECT count(*) FROM users WHERE username = 'bk_rot';").trim(), '1');
});

test('restore refuses an existing database without --force; with --force it replaces it whole, its old log included', async () => {
	const key = keyFile(live.db);
	/* A store with writes of its own, its server killed so that they are still in its log. */
	const { db: target } = await initDb();
	await addUser(target, 'bk_old', 'clerk');
	const server = await Server.start(target);
	const c = new Client(server);
	await c.signIn('bk_old');
	server.child.kill('SIGKILL');
	await server.exited;
	if (!PG) assert.ok(statSync(`${target}-wal`).size > 0, 'the writes are not in the log');
	const users = sqlExec(target, 'SELECT count(*) FROM users;');
	const audit = sqlExec(target, 'SELECT count(*) FROM audit_log;');
	await refused(['restore', backup.file, '--db', target, '--key-file', key], PG ? /目标数据库中已有 \d+ 个表/ : /目标数据库已存在/);
	assert.equal(sqlExec(target, 'SELECT count(*) FROM users;'), users);
	assert.equal(sqlExec(target, 'SELECT count(*) FROM audit_log;'), audit);

	/* The key beside it is another one: refused before anything is read. */
	if (!PG) await refused(['restore', backup.file, '--db', target, '--key-file', key, '--force'], /已存在且与所给密钥文件不同/);
	if (!PG) copyFileSync(key, keyFile(target));
	const r = await vets(['restore', backup.file, '--db', target, '--key-file', key, '--force']);
	assert.equal(r.code, 0, r.stderr);
	if (PG) copyFileSync(key, keyFile(target));
	const m = backup.manifest;
	const got = counts(target, Object.keys(m.tables));
	assert.deepEqual({ ...got, audit_log: got.audit_log - 1 }, m.tables);
	assert.equal(sqlExec(target, "SELECT count(*) FROM users WHERE username = 'bk_old';").trim(), '0');
	if (!PG) assert.equal(sqlExec(target, 'PRAGMA integrity_check;').trim(), 'ok');
	assert.equal((await auditVerify(target)).code, 0);
	/* It opens and serves as any store. */
	const again = await Server.start(target);
	const login = await new Client(again).login('bk_clerk0');
	assert.equal(login.status, 200, `${login}`);
	await again.stop();
});

test('a backup changed inside and given a matching size and SM3, or a manifest edited, fails the manifest MAC', async () => {
	const key = keyFile(live.db);
	/* The MAC this test computes is the one vets wrote (so the forgeries below are real ones). */
	assert.match(backup.manifest.mac, /^[0-9a-f]{64}$/);
	assert.equal(signManifest(backup.manifest, key).mac, backup.manifest.mac);
	const mac = /备份清单的校验码不符：备份或清单被改动，或密钥文件不是该备份的/;
	{
		/* One account given another's password inside the copy, the size and SM3 rewritten. */
		const { file } = spoilable();
		if (!PG) {
			const r = spawnSync('sqlite3', [file, "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'bk_clerk1') WHERE username = 'bk_clerk0';"]);
			assert.equal(r.status, 0, `${r.stderr}`);
			assert.equal(sqlExec(file, "SELECT count(DISTINCT password_hash) FROM users WHERE username IN ('bk_clerk0', 'bk_clerk1');").trim(), '1');
		} else {
			const bytes = readFileSync(file);
			bytes[bytes.length >> 1] ^= 0x40;
			writeFileSync(file, bytes);
		}
		const m = manifestOf(file);
		m.file = { size: statSync(file).size, sm3: sm3(file) };
		writeFileSync(`${file}.manifest.json`, JSON.stringify(m, null, 2));
		await bothRefuse(file, mac);
	}
	{
		/* The file untouched, one count in the manifest changed; and the MAC removed. */
		const { file } = spoilable();
		const m = manifestOf(file);
		writeFileSync(`${file}.manifest.json`, JSON.stringify({ ...m, tables: { ...m.tables, persons: m.tables.persons + 1 } }));
		await bothRefuse(file, mac);
		delete m.mac;
		writeFileSync(`${file}.manifest.json`, JSON.stringify(m));
		await bothRefuse(file, mac);
	}
	{
		/* Counts that would overflow their sum: refused as they are read. */
		const { file } = spoilable();
		const text = readFileSync(`${file}.manifest.json`, 'utf8')
			.replace(/"persons": \d+/, '"persons": 9223372036854775807')
			.replace(/"users": \d+/, '"users": 9223372036854775807');
		assert.match(text, /"users": 9223372036854775807/);
		writeFileSync(`${file}.manifest.json`, text);
		await bothRefuse(file, /备份清单 .* 无法识别：表 .* 的行数不是 0 到 \d+ 之间的整数/);
	}
});

test('restore never calls a target it changed unchanged: foreign tables refused first, a check failing after the write says so', async () => {
	const key = keyFile(live.db);
	const m = backup.manifest;
	/* A restored store, then one row changed and a table of another program added. */
	const target = newStore();
	assert.equal((await vets(['restore', backup.file, '--db', target, '--key-file', key])).code, 0);
	if (PG) copyFileSync(key, keyFile(target));
	sqlExec(target, "UPDATE users SET display_name = '改过' WHERE username = 'bk_clerk0'; CREATE TABLE extra (x INTEGER);");
	const restores = () => sqlExec(target, "SELECT count(*) FROM audit_log WHERE action = 'backup.restore';").trim();
	if (PG) {
		await refused(['restore', backup.file, '--db', target, '--key-file', key, '--force'], /目标数据库中有 1 个备份里没有的表：extra（恢复不会删除它们）；目标未改动/);
		assert.equal(sqlExec(target, "SELECT display_name FROM users WHERE username = 'bk_clerk0';").trim(), '改过');
		assert.equal(restores(), '1');
	} else {
		/* A file is replaced whole: the other table goes with the rest. */
		const r = await vets(['restore', backup.file, '--db', target, '--key-file', key, '--force']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(sqlExec(target, "SELECT count(*) FROM sqlite_master WHERE name = 'extra';").trim(), '0');
		assert.notEqual(sqlExec(target, "SELECT display_name FROM users WHERE username = 'bk_clerk0';").trim(), '改过');
		assert.equal(restores(), '1');
	}

	/* A manifest signed with the key but one count off: SQLite's verify finds it in the copy;
	 * PostgreSQL's only after pg_restore wrote the target, and then says so. */
	const { file } = spoilable();
	writeFileSync(`${file}.manifest.json`, JSON.stringify(signManifest({ ...m, tables: { ...m.tables, persons: m.tables.persons + 1 } }, key)));
	const off = new RegExp(`表 persons 的行数与清单不符：清单 ${m.tables.persons + 1} 行，实有 ${m.tables.persons} 行`);
	if (!PG) {
		await bothRefuse(file, off);
		return;
	}
	for (const [db, force] of [[newStore(), []], [target, ['--force']]]) {
		sqlExec(db, 'DROP TABLE IF EXISTS extra;');
		const r = await refused(['restore', file, '--db', db, '--key-file', key, ...force], /目标数据库已被改写，但恢复后的检查未通过：.*请勿使用它，重新恢复到新的数据库/);
		assert.match(r.stderr, off);
		assert.doesNotMatch(r.stderr, /目标未改动/);
		/* It was indeed written: the backup's rows are there, with no restore recorded. */
		assert.equal(Number(sqlExec(db, 'SELECT count(*) FROM persons;')), m.tables.persons);
		assert.equal(sqlExec(db, "SELECT count(*) FROM audit_log WHERE action = 'backup.restore';").trim(), '0');
	}
});

test('a path too long for SQLite, or a restore onto the backup itself, is refused at once in Chinese', async () => {
	const key = keyFile(live.db);
	const dir = tempDir();
	const long = path.join(dir, 'a'.repeat(200), 'b'.repeat(200), `${'c'.repeat(150)}.vbk`);
	await refused(['backup', '--db', live.db, '--to', long], /路径太长：.*请换一个短些的路径/);
	await refused(['restore', backup.file, '--db', long, '--key-file', key], /路径太长/);
	assert.deepEqual(filesIn(dir), []);
	/* The backup as its own target, under its name, a link to it, or its manifest's name. */
	const link = path.join(dir, 'link.vbk');
	symlinkSync(backup.file, link);
	for (const t of [backup.file, link, `${backup.file}.manifest.json`])
		await refused(['restore', backup.file, '--db', t, '--key-file', key, '--force'], /就是备份文件（或其清单）本身：不能把备份恢复到它自己上面/);
	await refused(['restore', link, '--db', backup.file, '--key-file', key, '--force'], /就是备份文件/);
	assert.equal(sm3(backup.file), backup.manifest.file.sm3);
	assert.equal((await vets(['backup', '--verify', backup.file, '--key-file', key])).code, 0);
});
