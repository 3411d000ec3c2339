// lib.mjs - what the HTTP suites share: temp dirs, the vets CLI, a server child
// process, an HTTP client with a cookie jar (node:http, so that Host and raw
// headers are ours), and a raw-socket sender for malformed requests.
//
// Everything started here is remembered and cleaned up: call cleanup() from an
// after() hook; a process 'exit' hook kills any child still running and removes
// the temp dirs even when a test failed half-way.
//
// The store: a SQLite file in a temp dir, or, when VETS_TEST_PG names the socket
// dir of a cluster that tests/pg.sh started, a new PostgreSQL database per store
// (its key file and certificate files in the temp dir). A test names its store by
// the string it gives to --db; vets(), Server.start() and the helpers below add
// what that store needs (the key file, the files dir) and query it with the right
// shell (sqlExec).

import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, existsSync, copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
/* VETS_BIN is relative to the current directory (tests/run.sh runs from the root). */
export const BIN = process.env.VETS_BIN ? path.resolve(process.env.VETS_BIN) : path.join(ROOT, 'build', 'vets');
/* Under AddressSanitizer everything is slower: scale the waits, never the assertions. */
export const SLOW = /asan/.test(BIN) ? 4 : 1;

/** A password that satisfies the default policy and contains none of our usernames. */
export const PASSWORD = 'Qw7#pLm9Zx';

/** The socket dir of the test cluster when the stores are PostgreSQL databases, else ''. */
export const PG = process.env.VETS_TEST_PG || '';

const children = new Set();
const dirs = new Set();

function reap() {
	for (const child of children) {
		try {
			child.kill('SIGKILL');
		} catch {
			/* already gone */
		}
	}
	dropStores();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.on('exit', reap);
/* The test runner interrupted (Ctrl-C, a timeout): no 'exit' handler runs on a signal by itself. */
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
	process.once(sig, () => {
		reap();
		process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
	});

/** Stops every server still running (asserting nothing) and removes the temp dirs. */
export async function cleanup() {
	for (const child of [...children]) {
		if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await new Promise((resolve) => child.once('exit', resolve));
		}
		children.delete(child);
	}
	dropStores();
	/* a process that just ended may still have a file appear (a SQLite -wal): try again, for
	 * seconds on a loaded machine; a directory that still won't go is named, not a failure of
	 * the test that used it */
	for (const d of dirs)
		try {
			rmSync(d, { recursive: true, force: true, maxRetries: 30, retryDelay: 200 });
		} catch (e) {
			const left = existsSync(d) ? readdirSync(d, { recursive: true }).join(', ') : '';
			console.error(`# cleanup: ${d} not removed (${e.code}): ${left}`);
		}
	dirs.clear();
}

/** A fresh temp dir, removed by cleanup(). */
export function tempDir(prefix = 'vets-http-') {
	const d = mkdtempSync(path.join(os.tmpdir(), prefix));
	dirs.add(d);
	return d;
}

/* ---- the store ---- */

/* PostgreSQL stores by their --db string: {name, dir, key, files}. */
const pgStores = new Map();
let pgCount = 0;

/** True when db names a PostgreSQL store. */
export function isPg(db) {
	return pgStores.has(db) || /^postgres(ql)?:/.test(db);
}

/* Runs psql on the test cluster (database dbname) with sql on stdin: the sqlite3 shell's list
 * output (no header, '|' between columns), no command tags, stopping at the first error. */
function psql(dbname, sql, extra = []) {
	return spawnSync(
		'psql',
		['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-h', PG, '-U', 'postgres', '-d', dbname, ...extra],
		{ input: sql, encoding: 'utf8', maxBuffer: 256 << 20 },
	);
}

function pgAdmin(sql) {
	const r = psql('postgres', sql);
	assert.equal(r.status, 0, `psql failed: ${r.stderr}`);
}

/**
 * A new, empty store in dir (a temp dir by default), for vets init or vets demo to fill: a file
 * path (name, default vets.db) or, under VETS_TEST_PG, a new database's URI.
 */
export function newStore(dir = tempDir(), name = 'vets.db') {
	if (!PG) return path.join(dir, name);
	const dbname = `vets_${process.pid}_${++pgCount}_${Math.random().toString(36).slice(2, 8)}`;
	pgAdmin(`CREATE DATABASE ${dbname} STRATEGY FILE_COPY;`);
	return pgStore(dir, dbname);
}

function pgStore(dir, dbname) {
	const db = `postgresql:///${dbname}?host=${PG}&user=postgres`;
	pgStores.set(db, { name: dbname, dir, key: path.join(dir, 'vets.key'), files: path.join(dir, 'files') });
	return db;
}

/* Drops the databases of the stores made so far (their servers are gone or get disconnected). */
function dropStores() {
	if (!pgStores.size) return;
	const names = [...pgStores.values()].map((s) => s.name);
	pgStores.clear();
	psql('postgres', names.map((n) => `DROP DATABASE IF EXISTS ${n} WITH (FORCE);`).join('\n'));
}

/** The database name of a PostgreSQL store (its URI is postgresql:///NAME?host=…, which URL() reads as a host). */
export function storeName(db) {
	const s = pgStores.get(db);
	if (s) return s.name;
	const m = /^postgres(?:ql)?:\/\/[^/]*\/([^?]+)/.exec(db);
	assert.ok(m, `not a PostgreSQL store: ${db}`);
	return decodeURIComponent(m[1]);
}

/** The key file of store db: PATH.key beside a SQLite file, the temp dir's vets.key for PostgreSQL. */
export function keyFile(db) {
	return pgStores.get(db)?.key ?? `${db}.key`;
}

/** Where vets serve keeps store db's uploaded files unless told otherwise (PATH.files for SQLite). */
export function filesDir(db) {
	return pgStores.get(db)?.files ?? `${db}.files`;
}

/** What a vets process on store db needs in its environment: the key file for PostgreSQL (no file to put it beside). */
export function storeEnv(db) {
	const s = pgStores.get(db);
	return s ? { VETS_KEY_FILE: s.key } : {};
}

/* The value of --db (or --db=) in args. */
function dbArg(args) {
	for (let i = 0; i < args.length; i++) {
		if (args[i] === '--db') return args[i + 1];
		if (typeof args[i] === 'string' && args[i].startsWith('--db=')) return args[i].slice(5);
	}
	return undefined;
}

/**
 * Runs SQL against store db with the sqlite3 shell or psql, as the store is; asserts it succeeded
 * and returns stdout: one line per row, columns separated by '|', NULL as empty (both shells).
 * Write SQL that both accept (booleans print as 1/0 in SQLite but t/f in PostgreSQL: CAST them).
 */
export function sqlExec(db, sql) {
	if (isPg(db)) {
		const s = pgStores.get(db);
		assert.ok(s, `not a store of this run: ${db}`);
		const r = psql(s.name, sql);
		assert.equal(r.status, 0, `psql failed: ${r.stderr}`);
		return r.stdout;
	}
	const r = spawnSync('sqlite3', ['-batch', db], { input: sql, encoding: 'utf8', maxBuffer: 256 << 20 });
	assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
	return r.stdout;
}

/**
 * The rows of a query (one statement, no trailing text after its ';') as objects by column name:
 * numbers as numbers, NULL as null, a BLOB/BYTEA as a string of its bytes (latin1 for PostgreSQL).
 */
export function sqlRows(db, sql) {
	if (!isPg(db)) {
		const out = sqlExec(db, `.mode json\n${sql}`).trim();
		return out ? JSON.parse(out) : [];
	}
	const q = sql.trim().replace(/;$/, '');
	const rows = JSON.parse(sqlExec(db, `SELECT coalesce(json_agg(q), '[]'::json) FROM (${q}) q;`));
	for (const row of rows)
		for (const [k, v] of Object.entries(row))
			if (typeof v === 'string' && /^\\x([0-9a-f]{2})*$/.test(v)) row[k] = Buffer.from(v.slice(2), 'hex').toString('latin1');
	return rows;
}

/** The column names of table. */
export function columnsOf(db, table) {
	const sql = isPg(db)
		? `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position;`
		: `SELECT name FROM pragma_table_info('${table}');`;
	return sqlExec(db, sql).trim().split('\n').filter(Boolean);
}

/** The index names of table. */
export function indexesOf(db, table) {
	const sql = isPg(db)
		? `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '${table}' ORDER BY 1;`
		: `SELECT name FROM pragma_index_list('${table}');`;
	return sqlExec(db, sql).trim().split('\n').filter(Boolean);
}

/** An SQL literal of a BLOB (BYTEA) value, from its hex digits. */
export function blobSql(db, hex) {
	return isPg(db) ? `'\\x${hex}'::bytea` : `x'${hex}'`;
}

/** The rows of each table, in a form to compare before and after (the same store kind only). */
export function dumpTables(db, tables) {
	if (!isPg(db)) return sqlExec(db, tables.map((t) => `.dump ${t}\n`).join(''));
	return tables.map((t) => `-- ${t}\n` + sqlExec(db, `SELECT * FROM ${t} ORDER BY 1;`)).join('');
}

/** An SQL expression of the upper-case hex digits of a text (or, with blob, a BLOB/BYTEA) column. */
export function hexSql(db, expr, { blob = false } = {}) {
	if (!isPg(db)) return `hex(${expr})`;
	return blob ? `upper(encode(${expr}, 'hex'))` : `upper(encode(convert_to(${expr}, 'UTF8'), 'hex'))`;
}

/**
 * All the bytes store db keeps, to look for what must not be there in clear: the SQLite file
 * with its WAL and journal, or a dump of the PostgreSQL database's data (where a BYTEA shows as
 * hex digits: storeHolds looks for those too). Resolves [{what, bytes}].
 */
export function storeBytes(db) {
	if (!isPg(db)) {
		const out = [];
		for (const suffix of ['', '-wal', '-journal'])
			if (existsSync(db + suffix)) out.push({ what: db + suffix, bytes: readFileSync(db + suffix) });
		return out;
	}
	const s = pgStores.get(db);
	const r = spawnSync('pg_dump', ['-h', PG, '-U', 'postgres', '--data-only', s.name], { maxBuffer: 1 << 30 });
	assert.equal(r.status, 0, `pg_dump failed: ${r.stderr}`);
	return [{ what: `database ${s.name}`, bytes: r.stdout }];
}

/** True when bytes (from storeBytes) hold the Buffer b as it is or, for PostgreSQL, as hex digits. */
export function storeHolds(db, bytes, b) {
	if (bytes.indexOf(b) >= 0) return true;
	return isPg(db) && bytes.indexOf(Buffer.from(b.toString('hex'))) >= 0;
}

/* The demo district, made once per binary (vets demo takes 10 s and more on a busy machine)
 * and copied for each store (a SQLite file and its key): a copy is the same as a new demo. Made in a directory of its
 * own and renamed into place, so two runs at once never read half of one; caches of other
 * binaries are removed after an hour. */
export function demoCopy(db) {
	const st = statSync(BIN);
	const key = createHash('sha256').update(`${path.resolve(BIN)}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 16);
	const cache = path.join(os.tmpdir(), `vets-demo-${key}`);
	if (!existsSync(path.join(cache, 'out.txt'))) {
		const made = mkdtempSync(`${cache}.tmp-`);
		const demo = spawnSync(BIN, ['demo', '--db', path.join(made, 'v.db'), '--no-serve', '--seed', '1'], {
			encoding: 'utf8',
			timeout: 120000 * SLOW,
		});
		if (demo.status !== 0) throw new Error(`vets demo failed (${demo.status}): ${demo.stderr}${demo.stdout}`);
		writeFileSync(path.join(made, 'out.txt'), demo.stdout);
		for (const old of readdirSync(os.tmpdir()))
			if (old.startsWith('vets-demo-') && !old.startsWith(path.basename(cache))) {
				const dir = path.join(os.tmpdir(), old);
				if (Date.now() - statSync(dir).mtimeMs > 3600000) rmSync(dir, { recursive: true, force: true });
			}
		try {
			renameSync(made, cache);
		} catch {
			rmSync(made, { recursive: true, force: true }); /* another run put it there first */
		}
	}
	copyFileSync(path.join(cache, 'v.db'), db);
	copyFileSync(path.join(cache, 'v.db.key'), `${db}.key`);
	chmodSync(`${db}.key`, 0o600);
	return readFileSync(path.join(cache, 'out.txt'), 'utf8');
}

/**
 * A new store that `vets demo --seed 1` filled: resolves {db, stdout} (stdout lists the logins).
 * Made once per program and copied: on SQLite by demoCopy, on PostgreSQL (where the demo takes over
 * a minute) once per cluster too, as a template database (a file beside the cluster's socket marks
 * it made; test files run one at a time).
 */
export async function demoStore() {
	const dir = tempDir();
	if (!PG) {
		const db = path.join(dir, 'demo.db');
		return { db, stdout: demoCopy(db) };
	}
	const st = statSync(BIN);
	const tag = createHash('sha256').update(`${BIN}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 12);
	const made = path.join(PG, `demo-${tag}`);
	const template = `vets_demo_${tag}`;
	if (!existsSync(path.join(made, 'out.txt'))) {
		rmSync(made, { recursive: true, force: true });
		mkdirSync(made);
		pgAdmin(`DROP DATABASE IF EXISTS ${template}; CREATE DATABASE ${template} STRATEGY FILE_COPY;`);
		const uri = `postgresql:///${template}?host=${PG}&user=postgres`;
		const r = await vets(['demo', '--db', uri, '--no-serve', '--seed', '1'], { env: { VETS_KEY_FILE: path.join(made, 'vets.key') } });
		assert.equal(r.code, 0, `vets demo failed: ${r.stderr}`);
		writeFileSync(path.join(made, 'out.txt'), r.stdout);
	}
	const db = pgStore(dir, `vets_${process.pid}_${++pgCount}_demo`);
	pgAdmin(`CREATE DATABASE ${pgStores.get(db).name} TEMPLATE ${template} STRATEGY FILE_COPY;`);
	copyFileSync(path.join(made, 'vets.key'), keyFile(db));
	chmodSync(keyFile(db), 0o600);
	return { db, stdout: readFileSync(path.join(made, 'out.txt'), 'utf8') };
}

/** Runs the vets binary with args; input goes to stdin. Resolves {code, stdout, stderr}. */
export function vets(args, { input = '', env = {} } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(BIN, args, {
			env: { ...process.env, ...storeEnv(dbArg(args)), ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
		child.stdin.on('error', () => {}); /* the command may exit before reading */
		child.stdin.end(input);
	});
}

/** vets init in a new temp dir; returns {dir, db}. */
export async function initDb() {
	const dir = tempDir();
	const db = newStore(dir);
	const r = await vets(['init', '--db', db]);
	assert.equal(r.code, 0, `vets init failed: ${r.stderr}`);
	return { dir, db };
}

/** vets user add NAME --role ROLE … --password-stdin; asserts success. */
export async function addUser(db, name, role, { org, password = PASSWORD, temporary = false, displayName } = {}) {
	const args = ['user', 'add', name, '--role', role, '--password-stdin', '--db', db];
	if (org) args.push('--org', org);
	if (temporary) args.push('--temporary');
	if (displayName) args.push('--name', displayName);
	const r = await vets(args, { input: password + '\n' });
	assert.equal(r.code, 0, `vets user add ${name} failed: ${r.stderr}`);
	return r;
}

/** vets audit verify --db D: {code, stdout, stderr}. */
export function auditVerify(db) {
	return vets(['audit', 'verify', '--db', db]);
}

/** Copies a store (with its WAL, if any, and key) to a new temp dir; the server should be stopped. */
export function copyDb(db) {
	const dir = tempDir();
	if (isPg(db)) {
		const from = pgStores.get(db);
		const to = pgStore(dir, `${from.name}_c${++pgCount}`);
		const name = pgStores.get(to).name;
		/* A template must have no connections; a store in use is copied by a dump instead. */
		if (psql('postgres', `CREATE DATABASE ${name} TEMPLATE ${from.name} STRATEGY FILE_COPY;`).status !== 0) {
			pgAdmin(`CREATE DATABASE ${name} STRATEGY FILE_COPY;`);
			const dump = spawnSync('pg_dump', ['-h', PG, '-U', 'postgres', from.name], { maxBuffer: 1 << 30 });
			assert.equal(dump.status, 0, `pg_dump failed: ${dump.stderr}`);
			const r = psql(name, dump.stdout);
			assert.equal(r.status, 0, `psql failed: ${r.stderr}`);
		}
		if (existsSync(from.key)) copyFileSync(from.key, keyFile(to));
		return to;
	}
	const to = path.join(dir, 'vets.db');
	for (const suffix of ['', '-wal', '-shm', '.key'])
		if (existsSync(db + suffix)) copyFileSync(db + suffix, to + suffix);
	return to;
}

/* VETS_TEST_PORTS=LOW-HIGH: the ports this run may listen on. tests/run.sh gives each suite that
 * runs beside another a range of its own, below the kernel's ephemeral ports, so that neither
 * another suite's server nor a client's source port takes a port between our probe and the bind. */
const PORTS = /^(\d+)-(\d+)$/.exec(process.env.VETS_TEST_PORTS || '');

function probe(port) {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(port, '127.0.0.1', () => {
			const { port: got } = srv.address();
			srv.close(() => resolve(got));
		});
	});
}

/** A TCP port that was free a moment ago (in VETS_TEST_PORTS if set). */
export async function freePort() {
	if (!PORTS) return probe(0);
	const low = Number(PORTS[1]);
	const n = Number(PORTS[2]) - low + 1;
	const start = Math.floor(Math.random() * n);
	for (let i = 0; i < n; i++) {
		try {
			return await probe(low + ((start + i) % n));
		} catch (err) {
			if (err.code !== 'EADDRINUSE') throw err;
		}
	}
	throw new Error(`no free port in VETS_TEST_PORTS=${process.env.VETS_TEST_PORTS}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A running `vets serve`. */
export class Server {
	constructor(child, port, db) {
		this.child = child;
		this.port = port;
		this.db = db;
		this.host = `127.0.0.1:${port}`;
		this.log = '';
		this.exit = null;
		child.stderr.setEncoding('utf8').on('data', (d) => (this.log += d));
		child.stdout.setEncoding('utf8').on('data', (d) => (this.log += d));
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.exit = { code, signal };
				/* VETS_TEST_SERVER_LOGS=DIR keeps every server's output there, to read after a run. */
				if (process.env.VETS_TEST_SERVER_LOGS)
					appendFileSync(path.join(process.env.VETS_TEST_SERVER_LOGS, `${path.basename(process.argv[1] ?? 'test')}.log`), `--- vets serve ${db} (pid ${child.pid}, exit ${code ?? signal})\n${this.log}`);
				resolve(this.exit);
			});
			/* Not started at all (say, the binary is being rebuilt): no 'exit' follows. */
			child.on('error', (err) => {
				this.log += `spawn failed: ${err.message}\n`;
				this.exit ??= { code: null, signal: null, error: err.message };
				resolve(this.exit);
			});
		});
	}

	/**
	 * Starts vets serve on a free port and waits until /healthz answers 200.
	 * fakeNow: epoch seconds for VETS_FAKE_NOW; args: more serve options; jobs: run the
	 * timed jobs (off otherwise, so that a test crossing 02:00 Beijing time sees no sweep).
	 */
	static async start(db, { fakeNow, args = [], env = {}, threads, jobs = false, portal = false } = {}) {
		for (let attempt = 0; ; attempt++) {
			const port = await freePort();
			const e = { ...process.env, ...env };
			if (fakeNow !== undefined) e.VETS_FAKE_NOW = String(Math.floor(fakeNow));
			const a = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args];
			/* portal: also the public portal's listener (server.portal), its forms accepted at once,
			 * without a post limit and without its page cache unless args say otherwise. */
			let portalPort;
			if (portal) {
				portalPort = await freePort();
				if (portalPort === port) portalPort = await freePort();
				a.push('--portal', `127.0.0.1:${portalPort}`);
				if (!args.includes('--portal-min-fill')) a.push('--portal-min-fill', '0');
				if (!args.includes('--portal-post-limit')) a.push('--portal-post-limit', '0');
				/* what a test writes behind the server's back (sqlExec, the CLI) shows at once */
				if (!args.includes('--portal-cache')) a.push('--portal-cache', '0');
			}
			if (threads) a.push('--threads', String(threads));
			if (!jobs) a.push('--no-jobs');
			if (isPg(db) && !a.some((x) => /^--files-dir(=|$)/.test(x))) a.push('--files-dir', filesDir(db));
			const child = spawn(BIN, a, { env: { ...storeEnv(db), ...e }, stdio: ['ignore', 'pipe', 'pipe'] });
			children.add(child);
			const server = new Server(child, port, db);
			if (portalPort) server.portal = { port: portalPort, host: `127.0.0.1:${portalPort}` };
			try {
				await server.waitReady();
				if (server.portal) await server.waitPortal();
				return server;
			} catch (err) {
				if (child.exitCode === null) {
					child.kill('SIGKILL');
					await server.exited;
				}
				children.delete(child);
				/* Someone took the port between our probe and the server's bind: try another. */
				if (attempt < 3 && /无法在|address already in use/i.test(server.log)) continue;
				throw new Error(`vets serve did not start: ${err.message}\n${server.log}`);
			}
		}
	}

	async waitReady() {
		const deadline = Date.now() + 10000 * SLOW;
		for (;;) {
			if (this.exit) throw new Error(`exited early with ${JSON.stringify(this.exit)}`);
			try {
				const r = await request(this, 'GET', '/healthz');
				if (r.status === 200) return;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) throw new Error('no answer from /healthz');
			await sleep(25);
		}
	}

	/* The portal has no /healthz: its home page answering at all is enough. */
	async waitPortal() {
		const deadline = Date.now() + 10000 * SLOW;
		for (;;) {
			if (this.exit) throw new Error(`exited early with ${JSON.stringify(this.exit)}`);
			try {
				await request(this.portal, 'GET', '/static/portal.css');
				return;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) throw new Error('no answer from the portal');
			await sleep(25);
		}
	}

	get alive() {
		return this.exit === null;
	}

	/** SIGTERM, wait, and assert a graceful exit (status 0). */
	async stop() {
		if (!this.exit) this.child.kill('SIGTERM');
		/* A stopping server finishes the import it runs: 10,000 rows take over 10 s on a busy machine. */
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 60000 * SLOW);
		const exit = await this.exited;
		clearTimeout(timer);
		children.delete(this.child);
		assert.deepEqual(exit, { code: 0, signal: null }, `vets serve did not stop cleanly:\n${this.log.slice(-3000)}`);
		return exit;
	}

	/** The access log lines (those with req=). */
	accessLog() {
		return this.log.split('\n').filter((l) => / req=\S+ /.test(l));
	}
}

/* ---- HTTP ---- */

function parseSetCookie(line) {
	const [pair, ...attrs] = line.split(';');
	const eq = pair.indexOf('=');
	const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs: {} };
	for (const a of attrs) {
		const i = a.indexOf('=');
		const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
		cookie.attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
	}
	return cookie;
}

/** One response: status, headers (lower-case names), rawHeaders, body (text), json (or undefined). */
class Response {
	constructor(res, body) {
		this.status = res.statusCode;
		this.headers = res.headers;
		this.rawHeaders = res.rawHeaders;
		this.body = body;
		this.cookies = (res.headers['set-cookie'] || []).map(parseSetCookie);
		const ct = res.headers['content-type'] || '';
		if (ct.startsWith('application/json')) {
			try {
				this.json = JSON.parse(body);
			} catch {
				this.json = undefined;
			}
		}
	}

	/** All values of a header, from the raw list (so repeated headers show). */
	all(name) {
		const out = [];
		for (let i = 0; i < this.rawHeaders.length; i += 2)
			if (this.rawHeaders[i].toLowerCase() === name.toLowerCase()) out.push(this.rawHeaders[i + 1]);
		return out;
	}

	cookie(name) {
		return this.cookies.find((c) => c.name === name);
	}

	toString() {
		return `${this.status} ${JSON.stringify(this.headers)}\n${this.body.slice(0, 2000)}`;
	}
}

/**
 * One request on a fresh connection. target: a Server or {port, host}.
 * opts: headers, host (the Host header; default the server's), body (string or Buffer),
 * json (an object, sent as application/json), form (an object or [[k, v], ...] pairs,
 * sent urlencoded).
 */
export function request(target, method, urlPath, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['Content-Type'] ??= 'application/json';
	} else if (opts.form !== undefined) {
		body = formEncode(opts.form);
		headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
	}
	if (opts.host !== null) headers.Host = opts.host ?? target.host;
	if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port: target.port, method, path: urlPath, headers, agent: false, setHost: false },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve(new Response(res, Buffer.concat(chunks).toString('utf8'))));
				res.on('error', reject);
			},
		);
		req.setTimeout(30000 * SLOW, () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * The guard fields of the portal form on the page at urlPath ({_t, website}), to post with it:
 *   await request(server.portal, 'POST', '/mailbox/write', { form: { ...await portalForm(server, '/mailbox/write'), … } })
 */
export async function portalForm(server, urlPath) {
	const r = await request(server.portal, 'GET', urlPath);
	assert.equal(r.status, 200, `GET ${urlPath} on the portal: ${r.status}`);
	const m = /name="_t" value="([^"]+)"/.exec(r.body);
	assert.ok(m, `no form guard on ${urlPath}`);
	return { _t: m[1], website: '' };
}

export function formEncode(form) {
	const pairs = Array.isArray(form) ? form : Object.entries(form);
	return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** A client with a cookie jar and, once signed in through the API, the session's CSRF token. */
export class Client {
	constructor(server, { host } = {}) {
		this.server = server;
		this.host = host;
		this.jar = new Map();
		this.csrf = null;
		this.user = null;
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	async request(method, urlPath, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		if (this.jar.size && !('Cookie' in headers)) headers.Cookie = this.cookieHeader();
		const r = await request(this.server, method, urlPath, { host: this.host, ...opts, headers });
		for (const c of r.cookies) {
			if (c.value === '' || c.attrs['max-age'] === '0') this.jar.delete(c.name);
			else this.jar.set(c.name, c.value);
		}
		return r;
	}

	get(p, opts) {
		return this.request('GET', p, opts);
	}

	/** A form POST with the csrf field (the session's token, else the login form's cookie). */
	postForm(p, form = {}, opts = {}) {
		const pairs = Array.isArray(form) ? [...form] : Object.entries(form);
		const token = this.csrf ?? this.jar.get('vets_form');
		if (token && opts.csrf !== false) pairs.unshift(['csrf', token]);
		return this.request('POST', p, { ...opts, form: pairs });
	}

	/** A multipart POST of one file (field "file") with the session's CSRF header. */
	upload(urlPath, filename, content) {
		const boundary = '----vetsUpload' + Math.random().toString(16).slice(2);
		const body = Buffer.concat([
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
			Buffer.from(content),
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]);
		return this.request('POST', urlPath, {
			body,
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'X-CSRF-Token': this.csrf },
		});
	}

	/** A refused form's answer (POST/redirect/GET): asserts the 303 to the form's page with
	 * a one-time token, and resolves the GET of that page (200), which shows the refusal. */
	async refused(r) {
		assert.equal(r.status, 303, `${r}`);
		assert.match(r.headers.location || '', /[?&]form=[0-9a-f]{32}$/, `${r}`);
		const page = await this.get(r.headers.location);
		assert.equal(page.status, 200, `${page}`);
		return page;
	}

	/** POST /api/v1/session; on 200 keeps csrf and user. */
	async login(username, password = PASSWORD) {
		const r = await this.request('POST', '/api/v1/session', { json: { username, password } });
		if (r.status === 200) {
			this.csrf = r.json.csrf;
			this.user = r.json.user;
		}
		return r;
	}

	/** login and assert 200. */
	async signIn(username, password = PASSWORD) {
		const r = await this.login(username, password);
		assert.equal(r.status, 200, `login ${username}: ${r}`);
		return r;
	}

	/** DELETE /api/v1/session with the CSRF header. */
	async logout() {
		const r = await this.request('DELETE', '/api/v1/session', { headers: { 'X-CSRF-Token': this.csrf ?? '' } });
		if (r.status === 204) this.csrf = null;
		return r;
	}
}

/**
 * Sends raw bytes on a new TCP connection and reads the answer: resolves
 * {text, status, headers, body, closed, timedOut}. The read stops after one
 * complete response (by Content-Length; the headers alone when head is set,
 * for HEAD), when the server closes, or after waitMs. end: half-close our side
 * after writing; chunks: write these one by one instead of data.
 */
export function rawSend(port, data, { waitMs = 5000 * SLOW, end = false, chunks, head = false } = {}) {
	return new Promise((resolve) => {
		const sock = net.connect(port, '127.0.0.1');
		let buf = Buffer.alloc(0);
		let done = false;
		const finish = (how) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			const text = buf.toString('utf8');
			const head = parseHead(text);
			resolve({ text, ...head, closed: how === 'closed', timedOut: how === 'timeout' });
		};
		const timer = setTimeout(() => finish('timeout'), waitMs);
		sock.on('connect', async () => {
			for (const part of chunks || [data]) {
				if (done) return;
				sock.write(part);
				if (chunks) await sleep(10);
			}
			if (end) sock.end();
		});
		sock.on('data', (d) => {
			buf = Buffer.concat([buf, d]);
			const h = parseHead(buf.toString('latin1'));
			if (h.status && (h.complete || (head && h.headEnd))) finish('complete');
		});
		sock.on('end', () => finish('closed'));
		sock.on('close', () => finish('closed'));
		sock.on('error', () => finish('closed'));
	});
}

function parseHead(text) {
	const sep = text.indexOf('\r\n\r\n');
	if (!text.startsWith('HTTP/') || sep < 0) return { status: 0, headers: {}, body: '', complete: false, headEnd: false };
	const lines = text.slice(0, sep).split('\r\n');
	const status = Number(lines[0].split(' ')[1]);
	const headers = {};
	for (const l of lines.slice(1)) {
		const i = l.indexOf(':');
		const k = l.slice(0, i).trim().toLowerCase();
		headers[k] = headers[k] ? `${headers[k]}, ${l.slice(i + 1).trim()}` : l.slice(i + 1).trim();
	}
	const rest = text.slice(sep + 4);
	const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
	const body = len === null ? rest : rest.slice(0, len);
	const complete = len !== null && Buffer.byteLength(rest, 'latin1') >= len;
	return { status, headers, body, complete, headEnd: true };
}

/** True when s holds at least one CJK character. */
export function hasChinese(s) {
	return /[\u4e00-\u9fff]/.test(s || '');
}

/** Asserts an API error body {"error":{"code","message"}} with a Chinese message; returns the error. */
export function assertApiError(r, status, code) {
	assert.equal(r.status, status, `expected ${status}: ${r}`);
	assert.match(r.headers['content-type'] || '', /^application\/json/, `${r}`);
	assert.ok(r.json && r.json.error, `no error object: ${r}`);
	assert.equal(typeof r.json.error.code, 'string');
	assert.equal(typeof r.json.error.message, 'string');
	if (code) assert.equal(r.json.error.code, code, `${r}`);
	assert.ok(hasChinese(r.json.error.message), `message not in Chinese: ${r.json.error.message}`);
	return r.json.error;
}

/** Epoch seconds now. */
export function now() {
	return Math.floor(Date.now() / 1000);
}

/** Audit rows as the auditor sees them through the API (newest first). */
export async function auditRows(auditor, query = {}) {
	const q = new URLSearchParams({ per_page: '200', ...query }).toString();
	const r = await auditor.get(`/api/v1/audit?${q}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json.items;
}

/**
 * A new database with users (each [name, role, options for addUser]) and a
 * server on it: resolves {db, dir, server}.
 */
export async function freshServer(users = [], serverOpts = {}) {
	const { db, dir } = await initDb();
	await Promise.all(users.map(([name, role, opts]) => addUser(db, name, role, opts)));
	const server = await Server.start(db, serverOpts);
	return { db, dir, server };
}

/** The date (YYYY-MM-DD) in Asia/Shanghai of epoch seconds t. */
export function shanghaiDate(t) {
	return new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** A valid 18-character ID number (GB 11643) made from a 17-digit body. */
export function idNumber(body) {
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
	return body + '10X98765432'[sum % 11];
}

/** Registers n people (with the CLI import) in the database db; returns their ID numbers. */
export async function addPeople(db, n) {
	const ids = [];
	const lines = ['姓名,身份证号,人员类别,联系电话'];
	for (let i = 0; i < n; i++) {
		const id = idNumber(`42010619700101${String(100 + i)}`);
		ids.push(id);
		lines.push(`测试人员${i},${id},退役军人,1380000${String(1000 + i).slice(-4)}`);
	}
	const file = path.join(tempDir('vets-people-'), 'people.csv');
	writeFileSync(file, lines.join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
	return ids;
}

/* ---- the registry (persons and import suites) ---- */

/** The test district's regions: 示范区 with 东湖街道 (建设社区) and 长青街道 (和平社区), as CSV text. */
export const REGIONS_CSV = [
	'区划代码,名称,上级区划代码',
	'420199,示范区,',
	'420199001,东湖街道,420199',
	'420199002,长青街道,420199',
	'420199001001,建设社区,420199001',
	'420199002001,和平社区,420199002',
].join('\r\n') + '\r\n';

/** vets region import of REGIONS_CSV into db; asserts success. */
export async function importRegions(db) {
	const file = path.join(tempDir('vets-regions-'), 'regions.csv');
	writeFileSync(file, REGIONS_CSV);
	const r = await vets(['region', 'import', file, '--db', db]);
	assert.equal(r.code, 0, `vets region import failed: ${r.stderr}`);
	return r;
}

/** A valid ID number born on birth (YYYYMMDD) in area (6 digits) with a check digit of check ('X' or a digit), seq from start. */
export function idNumberEnding(check, birth = '19800101', area = '420106', start = 100) {
	for (let seq = start; seq < 1000; seq++) {
		const id = idNumber(`${area}${birth}${String(seq).padStart(3, '0')}`);
		if (id.endsWith(check)) return id;
	}
	throw new Error(`no ID ending in ${check}`);
}

/** The masked form of an ID number as the server shows it: 6 digits, 8 asterisks, 4 characters. */
export function maskId(id) {
	return id.slice(0, 6) + '*'.repeat(8) + id.slice(14);
}
