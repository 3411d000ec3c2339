// audit.test.mjs - the audit trail: `vets audit verify` finds edits, deletions
// in the middle and at the end; the auditor (and only the auditor) reads it,
// with filters, and the reading is itself recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	Client,
	Server,
	assertApiError,
	auditRows,
	auditVerify,
	cleanup,
	copyDb,
	freshServer,
	isPg,
	now,
	shanghaiDate,
	sqlExec,
} from './lib.mjs';

const DAY = 86400;
let env;
let auditor;
let oldDate; /* the day, three days ago, of the early activity */
let today;

before(async () => {
	env = await freshServer(
		[
			['aud_a', 'auditor'],
			['au_sys', 'sysadmin'],
			['au_sec', 'secadmin'],
			['au_clerk', 'clerk'],
		],
		{ fakeNow: now() - 3 * DAY },
	);
	/* Three days ago: the clerk fails once, signs in and out. */
	oldDate = shanghaiDate(now() - 3 * DAY);
	const early = new Client(env.server);
	assertApiError(await early.login('au_clerk', 'Wrong#pass1'), 401);
	await early.signIn('au_clerk');
	assert.equal((await early.logout()).status, 204);
	await env.server.stop();

	/* Today. */
	today = shanghaiDate(now());
	env.server = await Server.start(env.db);
	const clerk = new Client(env.server);
	await clerk.signIn('au_clerk');
	assert.equal((await clerk.get('/api/v1/me')).status, 200);
	const sys = new Client(env.server);
	await sys.signIn('au_sys');
	const org = await sys.postForm('/orgs', { parent_code: '420199', code: '420199009', kind: 'street', name: '审计街道服务站' });
	assert.equal(org.status, 303, `${org}`);
	assert.equal((await sys.logout()).status, 204);
	auditor = new Client(env.server);
	await auditor.signIn('aud_a');
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const count = (where) => Number(sqlExec(env.db, `SELECT count(*) FROM audit_log WHERE ${where};`).trim());

test('after the activity, `vets audit verify` exits 0 and counts every record', async () => {
	const r = await auditVerify(env.db);
	assert.equal(r.code, 0, r.stderr);
	const n = count('TRUE');
	assert.ok(n > 10, `only ${n} records`);
	assert.match(r.stdout, new RegExp(`共 ${n} 条记录`));
});

test('the auditor reads the log: the page and the API, newest first', async () => {
	const page = await auditor.get('/audit');
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('au_clerk'));
	assert.ok(page.body.includes('org.create'));
	const r = await auditor.get('/api/v1/audit?per_page=200');
	assert.equal(r.status, 200);
	const { items, total } = r.json;
	assert.equal(total, count('TRUE'));
	const seqs = items.map((x) => x.seq);
	assert.deepEqual(
		seqs,
		[...seqs].sort((a, b) => b - a),
	);
	for (const key of ['seq', 'at', 'actor', 'ip', 'action', 'object', 'result', 'detail']) assert.ok(key in items[0], key);
	/* Paging. */
	const p1 = await auditor.get('/api/v1/audit?per_page=5&page=1');
	const p2 = await auditor.get('/api/v1/audit?per_page=5&page=2');
	assert.equal(p1.json.items.length, 5);
	assert.equal(p2.json.items.length, 5);
	/* Reading page 2 added one audit.view record, so the pages overlap by one. */
	assert.equal(p2.json.items[0].seq, p1.json.items.at(-1).seq);
	assert.equal(p2.json.items.at(-1).seq, p2.json.items[0].seq - 4);
});

test('filters: actor, action (a prefix), from and to', async () => {
	const byActor = await auditRows(auditor, { actor: 'au_clerk' });
	assert.ok(byActor.length > 0);
	assert.ok(byActor.every((x) => x.actor === 'au_clerk'));
	assert.equal(byActor.length, count("actor = 'au_clerk'"));

	const logins = await auditRows(auditor, { action: 'login' });
	assert.ok(logins.every((x) => x.action === 'login' || x.action.startsWith('login.')), JSON.stringify(logins.map((x) => x.action)));
	assert.ok(logins.some((x) => x.result === 'fail' && x.actor === 'au_clerk'));
	assert.ok(logins.some((x) => x.result === 'ok' && x.actor === 'au_sys'));

	const both = await auditRows(auditor, { actor: 'au_sys', action: 'org.create' });
	assert.equal(both.length, 1);
	assert.equal(both[0].object, '420199009');

	/* Dates are whole days in Beijing time. */
	const old = await auditRows(auditor, { from: oldDate, to: oldDate });
	assert.ok(old.length >= 3, JSON.stringify(old));
	assert.ok(old.every((x) => x.at.startsWith(oldDate)), JSON.stringify(old.map((x) => x.at)));
	assert.deepEqual(old.map((x) => `${x.actor} ${x.action} ${x.result}`).sort(), ['au_clerk login fail', 'au_clerk login ok', 'au_clerk logout ok']);
	const fromToday = await auditRows(auditor, { from: today });
	assert.ok(fromToday.length > 0);
	assert.ok(fromToday.every((x) => x.at >= today), JSON.stringify(fromToday.map((x) => x.at)));
	assert.ok(!fromToday.some((x) => x.at.startsWith(oldDate)));
	const untilYesterday = await auditRows(auditor, { to: shanghaiDate(now() - DAY) });
	assert.deepEqual(
		untilYesterday.map((x) => x.seq).sort(),
		old.map((x) => x.seq).sort(),
	);
	const future = await auditRows(auditor, { from: shanghaiDate(now() + 2 * DAY) });
	assert.deepEqual(future, []);
	/* The filters on the page too. */
	const page = await auditor.get(`/audit?actor=au_sys&action=org.create`);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('420199009'));
	assert.ok(!page.body.includes('au_clerk'), 'the actor filter did not apply to the page');

	for (const bad of ['2024-13-01', '2024-02-30', 'yesterday', '20240101']) {
		const r = await auditor.get(`/api/v1/audit?from=${bad}`);
		const e = assertApiError(r, 400, 'invalid_parameter');
		assert.match(e.message, /开始日期/);
	}
	assertApiError(await auditor.get('/api/v1/audit?per_page=500'), 400, 'invalid_parameter');
});

test("the auditor's reading is itself recorded (audit.view)", async () => {
	const first = await auditor.get('/api/v1/audit?action=audit.view&per_page=1');
	const t1 = first.json.total;
	/* The record of this very reading is already in its answer. */
	assert.equal(first.json.items[0].action, 'audit.view');
	assert.equal(first.json.items[0].actor, 'aud_a');
	await auditor.get('/api/v1/audit?actor=au_clerk');
	await auditor.get('/audit?action=login');
	const again = await auditor.get('/api/v1/audit?action=audit.view&per_page=3');
	assert.equal(again.json.total, t1 + 3);
	const [latest, page, filtered] = again.json.items;
	assert.equal(latest.actor, 'aud_a');
	assert.match(page.detail, /login/);
	assert.match(filtered.detail, /au_clerk/);
});

test('the sysadmin and the secadmin may not read it (403), and leave no audit.view', async () => {
	const before_ = count("action = 'audit.view'");
	for (const name of ['au_sys', 'au_sec']) {
		const c = new Client(env.server);
		await c.signIn(name);
		const page = await c.get('/audit');
		assert.equal(page.status, 403, `${name}: ${page}`);
		assert.ok(!page.body.includes('au_clerk'));
		assertApiError(await c.get('/api/v1/audit'), 403, 'forbidden');
		assertApiError(await c.get('/api/v1/audit?actor=au_clerk'), 403, 'forbidden');
	}
	assert.equal(count("action = 'audit.view'"), before_);
	/* And nobody can read it anonymously. */
	const anon = new Client(env.server);
	assertApiError(await anon.get('/api/v1/audit'), 401);
	const page = await anon.get('/audit');
	assert.equal(page.status, 303);
	assert.equal(page.headers.location, '/login');
});

/** A stopped copy of the database, with the append-only triggers dropped. */
function tamperable() {
	const db = copyDb(env.db);
	const on = isPg(db) ? ' ON audit_log' : '';
	sqlExec(db, `DROP TRIGGER audit_log_no_update${on}; DROP TRIGGER audit_log_no_delete${on};`);
	return db;
}

let n; /* records when the server stopped */

test('the triggers refuse UPDATE and DELETE on the log', async () => {
	await env.server.stop();
	n = count('TRUE');
	const r = await auditVerify(env.db);
	assert.equal(r.code, 0, r.stderr);
	for (const sql of ["UPDATE audit_log SET detail = 'x' WHERE seq = 1;", 'DELETE FROM audit_log WHERE seq = 1;']) {
		const db = copyDb(env.db);
		assert.throws(() => sqlExec(db, sql), /append-only/);
	}
});

test('an edited record: verify exits 1 and names its seq', async () => {
	const k = Math.floor(n / 2);
	const db = tamperable();
	sqlExec(db, `UPDATE audit_log SET detail = detail || '（已篡改）' WHERE seq = ${k};`);
	const r = await auditVerify(db);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, new RegExp(`第 ${k} 条`), r.stderr);
	assert.match(r.stderr, /篡改/);
	/* Another field, another record. */
	const db2 = tamperable();
	sqlExec(db2, "UPDATE audit_log SET actor = 'someone_else' WHERE seq = 3;");
	const r2 = await auditVerify(db2);
	assert.equal(r2.code, 1);
	assert.match(r2.stderr, /第 3 条/);
});

test('a deleted record in the middle: verify exits 1 and names it', async () => {
	const k = Math.floor(n / 2) + 1;
	const db = tamperable();
	sqlExec(db, `DELETE FROM audit_log WHERE seq = ${k};`);
	const r = await auditVerify(db);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, new RegExp(`第 ${k} 条`), r.stderr);
});

test('the newest record deleted: verify exits 1', async () => {
	const db = tamperable();
	sqlExec(db, `DELETE FROM audit_log WHERE seq = ${n};`);
	const r = await auditVerify(db);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, new RegExp(`应有 ${n} 条，现有 ${n - 1} 条`), r.stderr);
	/* The head moved back with it is no better: its MAC is for the old end. */
	const db2 = tamperable();
	sqlExec(db2, `DELETE FROM audit_log WHERE seq = ${n}; UPDATE audit_head SET seq = ${n - 1};`);
	const r2 = await auditVerify(db2);
	assert.equal(r2.code, 1, r2.stdout + r2.stderr);
});

test('the untouched original still verifies, and the server refuses to extend a broken chain', async () => {
	const r = await auditVerify(env.db);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`共 ${n} 条记录`));
	/* A server on a copy whose newest record was deleted writes no more records. */
	const db = tamperable();
	sqlExec(db, `DELETE FROM audit_log WHERE seq = ${n};`);
	const server = await Server.start(db);
	try {
		const c = new Client(server);
		const login = await c.login('au_clerk');
		assert.ok(login.status >= 500, `a login was recorded on a broken chain: ${login}`);
		assert.equal(Number(sqlExec(db, 'SELECT count(*) FROM audit_log;').trim()), n - 1);
	} finally {
		await server.stop();
	}
});
