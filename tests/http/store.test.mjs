// store.test.mjs - the store itself, on both backends: a whole database copied between
// SQLite and PostgreSQL and back (vets db copy), the same demo giving the same figures on
// both, and, on PostgreSQL, the faults an operator meets: a wrong URI, an unreachable
// server, a wrong password, another program's database, a missing key file, the server
// stopping under load, and an application role that may not change the audit trail.
//
// The PostgreSQL parts run when the suite runs with VETS_TEST_PG (make test's http-pg);
// on SQLite the copy round trip goes file to file.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
	PG, SLOW, PASSWORD, tempDir, newStore, demoStore, keyFile, storeName, vets, cleanup, sqlExec, Server, Client, addUser, auditVerify,
} from './lib.mjs';

after(cleanup);

const pgOnly = PG ? false : 'needs the PostgreSQL test cluster (VETS_TEST_PG)';

/* The SQLite demo with seed 1, made once for the tests that start from it. */
let demoDb;
async function sqliteDemo() {
	if (demoDb) return demoDb;
	const db = path.join(tempDir(), 'demo.db');
	const r = await vets(['demo', '--db', db, '--no-serve', '--seed', '1']);
	assert.equal(r.code, 0, r.stderr);
	demoDb = db;
	return db;
}

/* What a store shows of itself: every person exported, and the benefit statistics of two years. */
async function figures(db, key) {
	const dir = tempDir();
	const csv = path.join(dir, 'persons.csv');
	const env = { VETS_KEY_FILE: key };
	const e = await vets(['export', 'persons', csv, '--db', db], { env });
	assert.equal(e.code, 0, e.stderr);
	const out = { persons: readFileSync(csv, 'utf8') };
	for (const year of ['2025', '2026']) {
		const s = await vets(['stats', 'benefits', '--year', year, '--db', db], { env });
		assert.equal(s.code, 0, s.stderr);
		out[year] = s.stdout;
	}
	return out;
}

/* The rows of every table of a SQLite file but schema_migrations (when each store applied its
 * migrations differs), sorted: a table keyed by text holds its rows in the order they came. */
function sqliteRows(db) {
	const tables = sqlExec(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations' ORDER BY name;")
		.trim()
		.split('\n');
	return sqlExec(db, tables.map((t) => `.dump ${t}\n`).join(''))
		.split('\n')
		.filter((l) => l.startsWith('INSERT'))
		.sort()
		.join('\n');
}

test('vets db copy takes the demo to the other backend and back: the same rows, exports and figures, the chain intact', async () => {
	const src = await sqliteDemo();
	const key = keyFile(src);
	const middle = PG ? newStore() : path.join(tempDir(), 'middle.db');
	const back = path.join(tempDir(), 'back.db');
	const env = { VETS_KEY_FILE: key };

	const there = await vets(['db', 'copy', '--from', src, '--to', middle], { env });
	assert.equal(there.code, 0, there.stderr);
	assert.match(there.stdout, /复制完成：各表行数一致，审计链完整/);
	const again = await vets(['db', 'copy', '--from', middle, '--to', back], { env });
	assert.equal(again.code, 0, again.stderr);
	/* Before anything else writes (an export is audited): every row of every table. */
	assert.equal(sqliteRows(back), sqliteRows(src), 'the round trip changed a row');

	for (const db of [middle, back]) {
		const v = await vets(['audit', 'verify', '--db', db], { env });
		assert.equal(v.code, 0, v.stderr);
	}
	assert.deepEqual(await figures(middle, key), await figures(src, key));
	assert.deepEqual(await figures(back, key), await figures(src, key));

	/* The copy goes on working: a new record appends to the copied chain. */
	const u = await vets(['user', 'add', 'after_copy', '--role', 'clerk', '--password-stdin', '--db', middle], {
		input: PASSWORD + '\n',
		env,
	});
	assert.equal(u.code, 0, u.stderr);
	assert.equal((await vets(['audit', 'verify', '--db', middle], { env })).code, 0);
});

test('vets db copy refuses a target that holds data, and changes nothing there', async () => {
	const src = await sqliteDemo();
	const env = { VETS_KEY_FILE: keyFile(src) };
	const target = PG ? newStore() : path.join(tempDir(), 'used.db');
	const init = await vets(['init', '--db', target], { env });
	assert.equal(init.code, 0, init.stderr);
	const before = sqlExec(target, 'SELECT count(*) FROM orgs;');
	const r = await vets(['db', 'copy', '--from', src, '--to', target], { env });
	assert.equal(r.code, 1);
	assert.match(r.stderr, /目标数据库中已有数据/);
	assert.equal(sqlExec(target, 'SELECT count(*) FROM orgs;'), before);
	const misuse = await vets(['db', 'copy', '--from', src]);
	assert.equal(misuse.code, 2);
});

test('the demo with the same seed gives the same figures on PostgreSQL as on SQLite', { skip: pgOnly }, async () => {
	const lite = await sqliteDemo();
	const pg = (await demoStore()).db; /* vets demo --seed 1 on PostgreSQL (made once per run) */
	const a = await figures(lite, keyFile(lite));
	const b = await figures(pg, keyFile(pg));
	assert.ok(a['2025'].includes('amount_fen'), a['2025']);
	assert.deepEqual(b, a);
});

/* Runs vets with args; asserts the exit code and that stderr is one line matching re. */
async function refused(args, code, re, opts = {}) {
	const r = await vets(args, opts);
	assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
	const lines = r.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `more than one line:\n${r.stderr}`);
	assert.match(lines[0], re);
	return r;
}

test('a wrong URI, an unreachable server, a wrong password, another program\'s database: one line, exit 1', { skip: pgOnly }, async () => {
	const dir = tempDir();
	const key = path.join(dir, 'k.key');
	await refused(['init', '--db', `postgresql:///vets_no_such_db?host=${PG}&user=postgres`, '--key-file', key], 1, /无法连接数据库/);
	await refused(['init', '--db', 'postgresql:///x?host=/nonexistent-dir&user=postgres', '--key-file', key], 1, /无法连接数据库/);
	await refused(['init', '--db', 'postgresql://[bad', '--key-file', key], 1, /无法连接数据库/);

	/* A role that must give its password (the cluster trusts the others on the socket). */
	const hba = path.join(PG, 'data', 'pg_hba.conf');
	const rules = readFileSync(hba, 'utf8');
	writeFileSync(hba, 'local all vets_pw scram-sha-256\n' + rules);
	const db = newStore();
	const name = storeName(db);
	sqlExec(db, `SELECT pg_reload_conf(); DROP ROLE IF EXISTS vets_pw; CREATE ROLE vets_pw LOGIN PASSWORD 'right-one'; GRANT ALL ON DATABASE ${name} TO vets_pw;`);
	try {
		const r = await refused(
			['init', '--db', `postgresql://vets_pw:wrong-one@/${name}?host=${PG}`, '--key-file', key],
			1,
			/无法连接数据库.*password/,
		);
		assert.ok(!r.stderr.includes('wrong-one'), 'the password was shown');
	} finally {
		writeFileSync(hba, rules);
		sqlExec(db, 'SELECT pg_reload_conf();');
	}

	/* Another program's database: init and every other command refuse it, and it keeps its table. */
	sqlExec(db, 'CREATE TABLE invoices (id integer PRIMARY KEY, total integer);');
	await refused(['init', '--db', db, '--key-file', key], 1, /已有其他程序的表/);
	const some = await keyDir();
	const someKey = path.join(some, 'vets.db.key');
	await refused(['audit', 'verify', '--db', db, '--key-file', someKey], 1, /不是已初始化的 vets 数据库/);
	await refused(['db', 'copy', '--from', path.join(some, 'vets.db'), '--to', db, '--key-file', someKey], 1, /已有其他程序的表/);
	assert.equal(sqlExec(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';").trim(), '1');
});

/* A dir with a SQLite store and its key, for a key file that exists. */
async function keyDir() {
	const dir = tempDir();
	const r = await vets(['init', '--db', path.join(dir, 'vets.db')]);
	assert.equal(r.code, 0, r.stderr);
	return dir;
}

test('a database on a server needs --key-file, and a missing key is never made anew for a database that has data', { skip: pgOnly }, async () => {
	const db = newStore();
	const noKey = { VETS_KEY_FILE: '' };
	await refused(['init', '--db', db], 2, /必须用 --key-file/, { env: noKey });
	await refused(['demo', '--db', db, '--no-serve'], 2, /必须用 --key-file/, { env: noKey });
	await refused(['audit', 'verify', '--db', db], 2, /必须用 --key-file/, { env: noKey });
	await refused(['serve', '--db', db, '--files-dir', tempDir()], 2, /必须用 --key-file/, { env: noKey });
	await refused(['pay', 'list', '--db', db], 2, /必须用 --key-file/, { env: noKey });
	const key = path.join(tempDir(), 'a.key');
	const init = await vets(['init', '--db', db, '--key-file', key], { env: noKey });
	assert.equal(init.code, 0, init.stderr);
	const other = path.join(tempDir(), 'new.key');
	await refused(['init', '--db', db, '--key-file', other], 1, /找不到密钥文件/, { env: noKey });
	await refused(['serve', '--db', db, '--key-file', key], 2, /必须用 --files-dir/, { env: { ...noKey, VETS_FILES_DIR: '' } });
});

/* The cluster of this test alone, for stopping it under load. */
function cluster(dir, cmd) {
	const r = spawnSync('sh', [path.join('tests', 'pg.sh'), cmd, dir], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
}

function pgCtl(dir, ...args) {
	const bin = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout.trim();
	const r = spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', path.join(dir, 'data'), '-w', ...args], {
		encoding: 'utf8',
	});
	assert.equal(r.status, 0, r.stderr + r.stdout);
}

test('the database server stopping under load: 503 while it is away, no crash, work again when it is back', { skip: pgOnly }, async () => {
	const dir = tempDir('vets-pgown-');
	cluster(dir, 'start');
	try {
		const own = `postgresql:///postgres?host=${dir}&user=postgres`;
		const key = path.join(dir, 'vets.key');
		const env = { VETS_KEY_FILE: key };
		const init = await vets(['init', '--db', own], { env });
		assert.equal(init.code, 0, init.stderr);
		const add = await vets(['user', 'add', 'clerk1', '--role', 'clerk', '--password-stdin', '--db', own], {
			input: PASSWORD + '\n',
			env,
		});
		assert.equal(add.code, 0, add.stderr);
		const server = await Server.start(own, { env, args: ['--files-dir', path.join(dir, 'files')], threads: 4 });
		const clerk = new Client(server);
		await clerk.login('clerk1', PASSWORD);
		assert.equal((await clerk.get('/api/v1/persons')).status, 200);

		/* Load while the server goes away and comes back. */
		let stop = false;
		const seen = new Map();
		const load = Array.from({ length: 4 }, async () => {
			while (!stop) {
				const r = await clerk.get('/api/v1/persons');
				seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
			}
		});
		await new Promise((r) => setTimeout(r, 300 * SLOW));
		pgCtl(dir, 'stop', '-m', 'fast');
		await new Promise((r) => setTimeout(r, 500 * SLOW));
		const during = await clerk.get('/api/v1/persons');
		assert.equal(during.status, 503, during.body);
		assert.doesNotMatch(during.json.error.message, /ERROR|FATAL|server|connection|socket|postgres/i, 'the 503 tells too much');
		pgCtl(dir, 'start', '-o', `-k ${dir} -c listen_addresses=''`, '-l', path.join(dir, 'log2'));
		await new Promise((r) => setTimeout(r, 300 * SLOW));
		stop = true;
		await Promise.all(load);

		assert.equal(server.exit, null, `the server exited: ${server.log}`);
		for (const status of seen.keys()) assert.ok([200, 503].includes(status), `answered ${status} under the outage`);
		assert.ok(seen.get(503) > 0, 'no request saw the outage');
		const back = await clerk.get('/api/v1/persons');
		assert.equal(back.status, 200, back.body);
		/* A write after the return is recorded and the chain is whole. */
		await clerk.logout();
		await server.stop();
		assert.equal((await vets(['audit', 'verify', '--db', own], { env })).code, 0);
	} finally {
		cluster(dir, 'stop');
	}
});

test('run as a role that may only read and append the audit trail, vets works and the trail cannot be changed', { skip: pgOnly }, async () => {
	const db = newStore();
	const init = await vets(['init', '--db', db]);
	assert.equal(init.code, 0, init.stderr);
	await addUser(db, 'clerk1', 'clerk');
	const name = storeName(db);
	sqlExec(
		db,
		`DROP ROLE IF EXISTS vets_app_${name}; CREATE ROLE vets_app_${name} LOGIN;
		 GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vets_app_${name};
		 GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vets_app_${name};
		 REVOKE UPDATE, DELETE ON audit_log FROM vets_app_${name};`,
	);
	const app = db.replace('user=postgres', `user=vets_app_${name}`);
	const server = await Server.start(app, { env: { VETS_KEY_FILE: keyFile(db) }, args: ['--files-dir', path.join(tempDir(), 'f')] });
	const clerk = new Client(server);
	await clerk.login('clerk1', PASSWORD);
	assert.equal((await clerk.get('/api/v1/persons')).status, 200);
	await server.stop();
	const r = spawnSync('psql', ['-X', '-h', PG, '-U', `vets_app_${name}`, '-d', name, '-c', 'UPDATE audit_log SET detail = detail;'], {
		encoding: 'utf8',
	});
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /permission denied/);
	assert.equal((await auditVerify(db)).code, 0);
	sqlExec(db, `REASSIGN OWNED BY vets_app_${name} TO postgres; DROP OWNED BY vets_app_${name}; DROP ROLE vets_app_${name};`);
});
