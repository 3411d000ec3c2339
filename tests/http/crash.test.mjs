// crash.test.mjs - the server killed with SIGKILL while several clients write, for each
// kind of write (person edits, imports, payment batches, counter applications), on a copy
// of the demo district; then, before it is started again: the store is whole (SQLite's
// integrity_check and foreign_key_check), the audit chain verifies, no record is half
// written (checked in SQL from what the tables mean), counts only grew, and every write the
// server acknowledged (2xx, or the 303 of a form that succeeded) is there; started again,
// it serves those writes.
//
// A power cut, on SQLite: at random moments of the writes the server is stopped (SIGSTOP),
// the database file and its -wal (not the -shm, rebuilt from the WAL on opening) are
// copied, and it goes on (SIGCONT). Each copy must open, pass integrity_check and `vets
// audit verify` with the key file, hold no half-written record, and hold every write
// acknowledged before it was taken. What this simulates: the process gone at that instant,
// with everything it had handed to the kernel kept (the OS cache is coherent: the copy
// reads what write() put there, synced or not). What it does not: a real power cut also
// loses the writes the kernel had not yet put on the disk, in any order the disk chooses;
// vets opens SQLite with synchronous=NORMAL in WAL mode, where a power cut may lose the
// last commits (never corrupt the file): that loss is not tested here. On PostgreSQL the
// kill -9 part runs alike (the store is a database of the test cluster; the cluster itself
// is not killed) and the file copies are skipped.
//
// The moments are random from a seed printed at the start ("crash seed N"); CRASH_SEED=N
// runs the same choices again (the machine's timing still varies).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client, PG, SLOW, Server, addUser, auditVerify, cleanup, copyDb, demoStore, idNumber, keyFile, sqlExec, sqlRows, tempDir, vets } from './lib.mjs';

const SEED = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 1e9));
console.log(`# crash seed ${SEED}`);
const ROUNDS = 2; /* kills per kind of write */
const CLIENTS = 4;
const COPIES = PG ? 0 : 2; /* power-cut copies per round */

/* mulberry32: the seeded choices */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rand = rng(SEED);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let db;
let demo; /* vets demo's output: the logins */
const pw = (role) => demo.match(new RegExp(`^\\s*${role}\\s+(\\S+)`, 'm'))[1];

before(async () => {
	const r = await demoStore();
	db = r.db;
	demo = r.stdout;
	const org = sqlExec(db, "SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'clerk';").trim();
	await Promise.all(Array.from({ length: CLIENTS }, (_, i) => addUser(db, `crash${i}`, 'clerk', { org })));
});

after(cleanup);

const one = (store, sql) => sqlExec(store, sql).trim();
const num = (store, sql) => Number(one(store, sql));

/* What must hold of any store this test leaves, crashed or copied. */
async function storeWhole(store, what, tables) {
	if (!PG) {
		/* The crashed store: integrity_check of the whole file. A copy: the whole file's pages
		 * and records (quick_check), and the tables the writes touched with their indexes
		 * (integrity_check of each): a full check of the 60 MB demo file takes a second or
		 * more on a busy machine, which the crashed store alone pays. */
		const checks = tables ? ['quick_check', ...[...tables, 'audit_log', 'sessions'].map((t) => `integrity_check(${t})`)] : ['integrity_check'];
		assert.equal(one(store, checks.map((c) => `PRAGMA ${c};`).join('\n')), checks.map(() => 'ok').join('\n'), `${what}: ${checks}`);
		assert.equal(one(store, 'PRAGMA foreign_key_check;'), '', `${what}: foreign_key_check`);
	}
	const v = await auditVerify(store);
	assert.equal(v.code, 0, `${what}: vets audit verify: ${v.stderr}${v.stdout}`);
	/* Each a count of what must not be, in one query. */
	const [bad] = sqlRows(
		store,
		`SELECT
		(SELECT count(*) FROM audit_log) AS audit_records,
		-- a person without a sealed value or its blind index, or one without the other
		(SELECT count(*) FROM persons WHERE id_enc IS NULL OR id_bidx IS NULL OR id_mask IS NULL
			OR id_last4_bidx IS NULL OR id_first6_bidx IS NULL
			OR (phone_enc IS NULL) <> (phone_bidx IS NULL) OR (phone_enc IS NULL) <> (phone_mask IS NULL)
			OR (account_enc IS NULL) <> (account_mask IS NULL)) AS person_unsealed,
		-- a person without the audit record of its creation
		${missing('SELECT id FROM persons', "'person.create'", 'person')} AS person_unaudited,
		-- a batch whose counts are not its lines'
		(SELECT count(*) FROM (SELECT b.id FROM pay_batches b LEFT JOIN pay_lines l ON l.batch_id = b.id
			GROUP BY b.id, b.lines, b.amount_fen
			HAVING b.lines <> count(l.id) OR b.amount_fen <> coalesce(sum(l.amount_fen), 0)) d) AS batch_counts,
		-- a line of no batch
		(SELECT count(*) FROM pay_lines l LEFT JOIN pay_batches b ON b.id = l.batch_id WHERE b.id IS NULL) AS line_orphan,
		-- a batch whose signatures do not match its status
		(SELECT count(*) FROM pay_batches WHERE
			(status = '待复核' AND (reviewed_by IS NOT NULL OR approved_by IS NOT NULL))
			OR (status = '待审批' AND (reviewed_by IS NULL OR approved_by IS NOT NULL))
			OR (status = '已审批' AND (reviewed_by IS NULL OR approved_by IS NULL))
			OR (status = '已退回' AND rejected_by IS NULL)) AS batch_signatures,
		-- a batch without the record of each step it went through
		${missing('SELECT id FROM pay_batches', "'pay.generate'", 'batch')} AS batch_unaudited,
		${missing("SELECT id FROM pay_batches WHERE status IN ('待审批', '已审批')", "'pay.review'", 'batch')} AS review_unaudited,
		${missing("SELECT id FROM pay_batches WHERE status = '已审批'", "'pay.approve'", 'batch')} AS approve_unaudited,
		-- an application without its materials or its first step
		(SELECT count(*) FROM applications a WHERE
			NOT EXISTS (SELECT 1 FROM application_steps s WHERE s.application_id = a.id AND s.step IN ('受理', '容缺受理'))
			OR NOT EXISTS (SELECT 1 FROM application_materials m WHERE m.application_id = a.id)) AS application_partial,
		-- an application without its audit record
		${missing('SELECT id FROM applications', "'application.receive'", 'application')} AS application_unaudited,
		-- a person listed by no import
		(SELECT count(*) FROM person_import_people ip LEFT JOIN person_imports i ON i.id = ip.import_id
			WHERE i.id IS NULL) AS import_orphan;`,
	);
	assert.match(v.stdout, new RegExp(`共 ${bad.audit_records} 条记录`), what);
	delete bad.audit_records;
	assert.deepEqual(bad, Object.fromEntries(Object.keys(bad).map((k) => [k, 0])), `${what}: half-written records`);
}

/* An SQL count of the rows of ids (a query of one column, id) with no audit record of
 * actions on "OBJECT:id" (a set difference: the audit log has no index on object). */
function missing(ids, actions, object) {
	return `(SELECT count(*) FROM (SELECT '${object}:' || CAST(id AS TEXT) AS o FROM (${ids}) i
		EXCEPT SELECT object FROM audit_log WHERE action IN (${actions})) d)`;
}

const COUNTED = ['persons', 'applications', 'application_steps', 'pay_batches', 'person_imports', 'audit_log'];
function counts(store) {
	return Object.fromEntries(COUNTED.map((t) => [t, num(store, `SELECT count(*) FROM ${t};`)]));
}

/* ---- the kinds of writes ----
 * Each: prepare(round) before the server starts; write(c, i, state) runs in a loop per
 * client until the server is gone (or its own end), recording what was acknowledged;
 * check(store, state, acked) on the crashed store or a copy, acked: the acknowledgements
 * seen before it was taken. */

function api(c, method, p, json) {
	return c.request(method, p, { json, headers: { 'X-CSRF-Token': c.csrf } });
}

const EDIT_PEOPLE = 5; /* each client edits its own people, one after the other */
const edits = {
	name: 'person edits',
	tables: ['persons'],
	prepare(state) {
		/* each round starts from the addresses the last one left */
		state.people = sqlRows(db, `SELECT id, address FROM persons WHERE status = '在册' ORDER BY id LIMIT ${CLIENTS * EDIT_PEOPLE};`);
		state.serial ??= 0;
	},
	async write(c, i, state, log) {
		const p = state.people[i * EDIT_PEOPLE + (log.length % EDIT_PEOPLE)];
		const k = ++state.serial;
		const phone = `139${String(k).padStart(8, '0')}`;
		const w = { person: p.id, k, phone, address: `崩溃路 ${k} 号` };
		log.push(w);
		const r = await api(c, 'PATCH', `/api/v1/persons/${p.id}`, { phone: w.phone, address: w.address });
		assert.equal(r.status, 200, `${r}`);
		w.acked = true;
	},
	check(store, state, logs) {
		const rows = new Map(sqlRows(store, `SELECT id, address, phone_mask FROM persons WHERE id IN (${state.people.map((p) => p.id).join(',')});`).map((r) => [r.id, r]));
		for (const p of state.people) {
			const row = rows.get(p.id);
			/* the last acknowledged edit of that person, or the one in flight after it */
			const mine = logs.flat().filter((w) => w.person === p.id);
			const lastAcked = mine.filter((w) => w.acked).at(-1);
			const allowed = [lastAcked ? lastAcked.address : p.address, ...mine.filter((w) => !w.acked && (!lastAcked || w.k > lastAcked.k)).map((w) => w.address)];
			if (!lastAcked && !mine.length) continue;
			assert.ok(allowed.includes(row.address), `person ${p.id}: address ${row.address}, expected one of ${allowed}`);
			const w = mine.find((x) => x.address === row.address);
			/* the phone of the same edit: sealed value, mask and blind index written together */
			if (w) assert.equal(row.phone_mask.slice(-4), w.phone.slice(-4), `person ${p.id}: phone of another edit than its address`);
		}
	},
	/* started again: each person is found by the blind index of its phone, and the sealed
	 * phone decrypts to that phone (vets export persons). */
	async after(store, state, client) {
		const file = path.join(tempDir('vets-crash-'), 'persons.csv');
		const r = await vets(['export', 'persons', file, '--db', store]);
		assert.equal(r.code, 0, r.stderr);
		const text = readFileSync(file, 'utf8');
		const rows = sqlRows(store, `SELECT id, address FROM persons WHERE id IN (${state.people.map((p) => p.id).join(',')});`);
		for (const row of rows) {
			const m = /^崩溃路 (\d+) 号$/.exec(row.address || '');
			if (!m) continue;
			const phone = `139${m[1].padStart(8, '0')}`;
			const line = text.split(/\r?\n/).find((l) => l.includes(row.address));
			assert.ok(line && line.includes(phone), `person ${row.id}: the sealed phone is not ${phone}: ${line}`);
			const found = await client.get(`/api/v1/persons?q=${phone}`);
			assert.equal(found.status, 200, `${found}`);
			assert.deepEqual(found.json.items.map((p) => p.id), [row.id], `person ${row.id}: not found by the blind index of ${phone}`);
			state.found.push([row.id, phone]);
		}
	},
};

const IMPORT_ROWS = 6;
const imports = {
	name: 'imports',
	tables: ['persons', 'person_imports', 'person_import_people', 'person_identities'],
	prepare(state) {
		state.partial ??= new Set(); /* files a kill cut between two slices */
		state.files ??= [];
		state.serial ??= 0;
	},
	async write(c, i, state, log) {
		const k = ++state.serial;
		const name = `crash-${SEED}-${k}.csv`;
		const rows = [];
		for (let j = 0; j < IMPORT_ROWS; j++) {
			/* area 110101 is not the demo's: new people */
			const birth = new Date(Date.UTC(1960, 0, 1) + (k % 5000) * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
			rows.push({ name: `崩${k}-${j}`, id: idNumber(`110101${birth}${String(100 + ((SEED + j) % 900)).padStart(3, '0')}`) });
		}
		const f = { name, k, rows };
		log.push(f);
		state.files.push(f);
		const csv = ['姓名,身份证号,人员类别,街道', ...rows.map((r) => `${r.name},${r.id},退役军人,东湖街道`)].join('\r\n') + '\r\n';
		const up = await c.upload('/persons/import', name, csv);
		assert.equal(up.status, 200, `${up}`);
		const token = /name="token" value="([0-9a-f]{64})"/.exec(up.body)?.[1];
		assert.ok(token, up.body.slice(0, 500));
		const r = await c.postForm('/persons/import/confirm', { token });
		assert.equal(r.status, 303, `${r}`);
		/* back to the form with its refusal, or on to the result */
		f.acked = !/[?&]form=/.test(r.headers.location);
	},
	check(store, state, logs) {
		/* one query each: the people of these files, the imports' lists, their records */
		const people = new Map();
		for (const p of sqlRows(store, "SELECT id, name FROM persons WHERE substr(name, 1, 1) = '崩' ORDER BY id;")) {
			const k = /^崩(\d+)-/.exec(p.name)?.[1];
			if (k) people.set(k, [...(people.get(k) || []), p]);
		}
		const imports = new Map(sqlRows(store, "SELECT id, file FROM person_imports WHERE substr(file, 1, 6) = 'crash-';").map((r) => [r.file, r.id]));
		const listed = new Map();
		for (const r of sqlRows(store, "SELECT ip.import_id, ip.person_id FROM person_import_people ip JOIN person_imports i ON i.id = ip.import_id WHERE substr(i.file, 1, 6) = 'crash-' ORDER BY ip.person_id;"))
			listed.set(r.import_id, [...(listed.get(r.import_id) || []), r.person_id]);
		const recorded = new Set(sqlRows(store, "SELECT detail FROM audit_log WHERE action = 'person.import';").map((r) => /（导入记录 (\d+)）$/.exec(r.detail)?.[1]));
		for (const f of logs.flat()) {
			const got = people.get(String(f.k)) || [];
			const names = got.map((p) => p.name);
			/* rows are saved in the file's order, in slices that commit whole: what is there is
			 * the file's first rows, all of them when the import was acknowledged */
			assert.deepEqual(names, f.rows.slice(0, names.length).map((r) => r.name), `${f.name}: not the file's first rows`);
			if (f.acked) assert.equal(names.length, IMPORT_ROWS, `${f.name}: acknowledged, yet ${names.length} of ${IMPORT_ROWS} rows`);
			if (names.length && names.length < IMPORT_ROWS) state.partial.add(f.name);
			if (!names.length) continue;
			/* the import lists exactly its people */
			const id = imports.get(f.name);
			assert.deepEqual(listed.get(id) || [], got.map((p) => p.id), `${f.name}: the import's list is not its people`);
			if (f.acked) assert.ok(recorded.has(String(id)), `${f.name}: acknowledged without its record`);
		}
	},
};

const batches = {
	name: 'payment batches',
	window: 600, /* the clerks are done with their months within a second */
	tables: ['pay_batches', 'pay_lines'],
	prepare(state) {
		state.next ??= {};
		/* each clerk generates the months after its benefit's last batch, in order */
		for (const b of ['LIVING', 'DISABILITY', 'SURVIVOR'])
			state.next[b] = one(db, `SELECT max(period) FROM pay_batches WHERE benefit_code = '${b}' AND status <> '已退回';`);
		state.generated = [];
	},
	async write(c, i, state, log) {
		if (i >= 3) {
			/* the reviewer and the approver sign what was generated */
			const todo = state.generated.filter((b) => (i === 3 ? !b.reviewed : b.reviewed && !b.approved));
			if (!todo.length) return sleep(20);
			const b = todo[0];
			const w = { batch: b.id, step: i === 3 ? 'review' : 'approve' };
			log.push(w);
			const r = await api(c, 'POST', `/api/v1/payments/batches/${b.id}/${w.step}`);
			assert.equal(r.status, 200, `${r}`);
			w.acked = true;
			if (i === 3) b.reviewed = true;
			else b.approved = true;
			return;
		}
		const benefit = ['LIVING', 'DISABILITY', 'SURVIVOR'][i];
		/* at most 5 months a round: the year's months last both rounds */
		if (log.filter((w) => w.period).length >= 5) return 'done';
		const [y, m] = state.next[benefit].split('-').map(Number);
		const period = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
		if (period > new Date().toISOString().slice(0, 7)) return 'done';
		const w = { period, benefit };
		log.push(w);
		const r = await api(c, 'POST', '/api/v1/payments/batches', { period, benefit });
		assert.equal(r.status, 201, `${r}`);
		Object.assign(w, { acked: true, id: r.json.id, lines: r.json.generated.lines, amount: r.json.generated.amount_fen });
		state.next[benefit] = period;
		state.generated.push({ id: r.json.id });
	},
	check(store, state, logs) {
		for (const w of logs.flat()) {
			if (!w.acked) continue;
			if (w.period) {
				const b = sqlRows(store, `SELECT period, benefit_code, lines, amount_fen FROM pay_batches WHERE id = ${w.id};`);
				assert.deepEqual(b, [{ period: w.period, benefit_code: w.benefit, lines: w.lines, amount_fen: w.amount }], `batch ${w.id}`);
			} else {
				const status = one(store, `SELECT status FROM pay_batches WHERE id = ${w.batch};`);
				assert.ok(w.step === 'review' ? ['待审批', '已审批'].includes(status) : status === '已审批', `batch ${w.batch} ${w.step} acknowledged, status ${status}`);
			}
		}
		/* one batch per period and benefit, and no line twice */
		assert.equal(num(store, "SELECT count(*) FROM (SELECT period, benefit_code FROM pay_batches WHERE status <> '已退回' GROUP BY period, benefit_code HAVING count(*) > 1) d;"), 0);
	},
};

const MATERIALS = ['安置地人民政府退役军人事务部门开具的介绍信', '退出现役证明（退役证）', '居民身份证', '近期免冠彩色证件照'];
const applications = {
	name: 'counter applications',
	tables: ['applications', 'application_materials', 'application_steps'],
	prepare(state) {
		state.serial ??= 0;
	},
	async write(c, i, state, log) {
		const k = ++state.serial;
		const birth = new Date(Date.UTC(1970, 0, 1) + (k % 5000) * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
		const w = { name: `崩申${k}`, id: idNumber(`120101${birth}${String(100 + (SEED % 900)).padStart(3, '0')}`) };
		log.push(w);
		const r = await api(c, 'POST', '/api/v1/applications', { service: 'TY-001', name: w.name, id_number: w.id, phone: '13800000000', materials: MATERIALS });
		assert.equal(r.status, 201, `${r}`);
		Object.assign(w, { acked: true, app: r.json.id });
	},
	check(store, state, logs) {
		const apps = new Map();
		for (const a of sqlRows(store, "SELECT a.id, a.name, a.status, (SELECT count(*) FROM application_materials m WHERE m.application_id = a.id) AS materials FROM applications a WHERE substr(a.name, 1, 2) = '崩申' ORDER BY a.id;"))
			apps.set(a.name, [...(apps.get(a.name) || []), { id: a.id, status: a.status, materials: a.materials }]);
		for (const w of logs.flat()) {
			const got = apps.get(w.name) || [];
			if (w.acked) assert.deepEqual(got, [{ id: w.app, status: '已受理', materials: MATERIALS.length }], `application ${w.name}`);
			else assert.ok(got.length <= 1, `application ${w.name} twice`);
			if (got.length) assert.equal(got[0].materials, MATERIALS.length, `application ${w.name}: its materials`);
		}
	},
};

/* ---- a round: writes, copies, the kill, the checks, a restart ---- */

/* Runs check; when it fails on a SQLite store, keeps a copy of the store (file, WAL, key) in
 * /tmp/vets-crash-SEED-N to look at, and says where. */
let keptCount = 0;
async function kept(store, check) {
	try {
		await check();
	} catch (err) {
		if (!PG) {
			const dir = `/tmp/vets-crash-${SEED}-${++keptCount}`;
			mkdirSync(dir, { recursive: true });
			for (const suffix of ['', '-wal', '.key']) if (existsSync(store + suffix)) copyFileSync(store + suffix, path.join(dir, `vets.db${suffix}`));
			err.message += `\n(the store is kept in ${dir}; crash seed ${SEED})`;
		}
		throw err;
	}
}

function copyStore(server) {
	const dir = mkdtempSync(path.join(tempDir('vets-cut-'), 'c'));
	const to = path.join(dir, 'vets.db');
	server.child.kill('SIGSTOP');
	try {
		/* kill() returns before every thread has stopped (one running on the other core, or in
		 * a system call, goes on a moment): copy once each of them is in state T */
		const pid = server.child.pid;
		const state = (t) => {
			try {
				return readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
			} catch {
				return ') T '; /* a thread that ended meanwhile runs no more */
			}
		};
		const stopped = () => readdirSync(`/proc/${pid}/task`).every((t) => /\) [tT] /.test(state(t)));
		for (const end = Date.now() + 5000; !stopped(); ) assert.ok(Date.now() < end, 'the server did not stop on SIGSTOP');
		copyFileSync(db, to);
		if (existsSync(`${db}-wal`)) copyFileSync(`${db}-wal`, `${to}-wal`);
	} finally {
		server.child.kill('SIGCONT');
	}
	copyFileSync(keyFile(db), keyFile(to));
	return to;
}

async function round(kind, state, r) {
	kind.prepare(state);
	const before = counts(db);
	const server = await Server.start(db);
	const clients = [];
	for (let i = 0; i < CLIENTS + (kind === batches ? 1 : 0); i++) {
		const c = new Client(server);
		const who = kind === batches && i === 3 ? ['reviewer', pw('reviewer')] : kind === batches && i === 4 ? ['approver', pw('approver')] : [`crash${i}`];
		await c.signIn(...who);
		clients.push(c);
	}
	const logs = clients.map(() => []);
	const problems = [];
	let killed = false;
	const loops = clients.map(async (c, i) => {
		for (let n = 0; n < 5000 && !killed; n++) {
			try {
				if ((await kind.write(c, i, state, logs[i])) === 'done') break;
			} catch (err) {
				/* a write the kill cut short fails: anything else is a defect */
				if (!killed) problems.push(`${kind.name}, client ${i}: ${err.message}`);
				break;
			}
		}
	});
	/* the kill: somewhere in the second and a half after the first acknowledged write (longer
	 * under ASan), so that some writes are done and others in flight; the copies before it */
	const t0 = Date.now();
	while (!logs.flat().some((w) => w.acked) && Date.now() - t0 < 30000 * SLOW && !problems.length) await sleep(5);
	const first = Date.now() - t0;
	const killAt = first + rand() * (kind.window ?? 1500) * SLOW;
	const copyAt = Array.from({ length: COPIES }, () => first + rand() * (killAt - first)).sort((a, b) => a - b);
	const copies = [];
	for (const at of copyAt) {
		await sleep(Math.max(0, at - (Date.now() - t0)));
		/* every write sent so far, acknowledged or not yet (it may be in the copy) */
		const acked = logs.map((l) => l.map((w) => ({ ...w })));
		copies.push({ store: copyStore(server), acked, at: Date.now() - t0 });
	}
	await sleep(Math.max(0, killAt - (Date.now() - t0)));
	killed = true;
	server.child.kill('SIGKILL');
	const killedAt = Date.now() - t0;
	await server.exited;
	await Promise.all(loops);
	const writes = logs.flat();
	const acked = writes.filter((w) => w.acked).length;
	const tCheck = Date.now();
	console.log(`# ${kind.name}, round ${r}: first acknowledgement at ${first} ms, killed at ${killedAt} ms, ${writes.length} writes sent, ${acked} acknowledged; copies at ${copies.map((c) => c.at).join(', ') || 'none'} ms`);
	assert.deepEqual(problems, []);

	await kept(db, () => storeWhole(db, `${kind.name}, round ${r}, after the kill`));
	await kept(db, () => kind.check(db, state, logs));
	const now = counts(db);
	for (const t of COUNTED) assert.ok(now[t] >= before[t], `${t}: ${before[t]} before, ${now[t]} after`);
	for (const [i, c] of copies.entries()) {
		await kept(c.store, () => storeWhole(c.store, `${kind.name}, round ${r}, copy ${i} at ${c.at} ms`, kind.tables));
		/* what was acknowledged before the copy is in it (and nothing is half written) */
		await kept(c.store, () => kind.check(c.store, state, c.acked));
	}

	console.log(`# ${kind.name}, round ${r}: checks took ${Date.now() - tCheck} ms`);
	/* started again, it serves: the writes are readable through it */
	const again = await Server.start(db);
	const c = new Client(again);
	await c.signIn('crash0');
	const todo = await c.get('/');
	assert.equal(todo.status, 200);
	if (kind.after && r === ROUNDS) await kind.after(db, state, c);
	await again.stop();
	return acked;
}

async function kind(k) {
	const state = { found: [] };
	let acked = 0;
	for (let r = 1; r <= ROUNDS; r++) acked += await round(k, state, r);
	return { state, acked };
}

test('person edits: killed mid-write, every acknowledged edit is there, whole, sealed and indexed', async () => {
	const { state, acked } = await kind(edits);
	assert.ok(acked > 0, 'no edit was acknowledged before the kills');
	assert.ok(state.found.length > 0);
});

test('imports: killed mid-import, each file is there in whole slices, all of it when acknowledged', async () => {
	/* A web import commits every 500 rows or 50 ms (areas/person_import.c), so a kill may cut
	 * even a small file between two slices: its first rows stay, listed by its import. */
	const { state } = await kind(imports);
	console.log(`# imports cut between two slices: ${state.partial.size} (${[...state.partial].join(', ') || 'none'})`);
});

test('payment batches: killed mid-generation, each batch is absent or whole, its counts its lines', async () => {
	await kind(batches);
});

test('counter applications: killed mid-write, each application whole, with its step and record', async () => {
	const { acked } = await kind(applications);
	assert.ok(acked > 0, 'no application was acknowledged before the kills');
});

test('the checks above find a half-written record when there is one', async () => {
	for (const [what, sql, key] of [
		['a line changed behind its batch', 'UPDATE pay_lines SET amount_fen = amount_fen + 1 WHERE id = (SELECT max(id) FROM pay_lines);', 'batch_counts'],
		['a sealed phone without its blind index', 'UPDATE persons SET phone_bidx = NULL WHERE id = (SELECT min(id) FROM persons WHERE phone_enc IS NOT NULL);', 'person_unsealed'],
		['an application without its first step', "DELETE FROM application_steps WHERE step IN ('受理', '容缺受理') AND application_id = (SELECT max(id) FROM applications);", 'application_partial'],
	]) {
		const copy = copyDb(db);
		sqlExec(copy, sql);
		await assert.rejects(storeWhole(copy, what), (err) => new RegExp(`${key}: 1\\b`).test(err.message), what);
	}
});
