// concurrency.test.mjs - sixteen users at once: each signs in, reads its own
// identity, the account list and a page twenty times, and signs out. Every
// answer must be the right one for that user, nothing may fail, and the audit
// trail must come out whole, with one login and one logout per user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, auditVerify, cleanup, freshServer, request, sqlExec } from './lib.mjs';

const USERS = 16;
const ROUNDS = 20;
const ROLES = ['sysadmin', 'secadmin', 'clerk', 'leader']; /* two with account.read, two without */
const users = Array.from({ length: USERS }, (_, i) => {
	const n = String(i + 1).padStart(2, '0');
	return { name: `conc${n}`, display: `并发用户${n}`, role: ROLES[i % ROLES.length] };
});
const canReadAccounts = (u) => u.role === 'sysadmin' || u.role === 'secadmin';

let env;

before(async () => {
	env = await freshServer(users.map((u) => [u.name, u.role, { displayName: u.display }]));
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function session(u) {
	const problems = [];
	const expect = (cond, what) => {
		if (!cond) problems.push(`${u.name}: ${what}`);
	};
	const c = new Client(env.server);
	const login = await c.login(u.name);
	expect(login.status === 200, `login ${login.status}`);
	if (login.status !== 200) return problems;
	for (let i = 0; i < ROUNDS; i++) {
		const [me, list, page] = await Promise.all([c.get('/api/v1/me'), c.get('/api/v1/users?per_page=50'), c.get('/')]);
		expect(me.status === 200 && me.json?.user?.username === u.name, `me #${i}: ${me.status} ${me.json?.user?.username}`);
		if (canReadAccounts(u)) {
			expect(list.status === 200 && list.json?.total === USERS, `users #${i}: ${list.status} total ${list.json?.total}`);
			expect(list.json?.items?.length === USERS, `users #${i}: ${list.json?.items?.length} items`);
		} else {
			expect(list.status === 403 && list.json?.error?.code === 'forbidden', `users #${i}: ${list.status}`);
		}
		expect(page.status === 200, `page #${i}: ${page.status}`);
		expect(page.body.includes(u.display), `page #${i} is not ${u.display}'s`);
		for (const other of users)
			if (other !== u) expect(!page.body.includes(other.display), `page #${i} shows ${other.display}`);
	}
	const out = await c.logout();
	expect(out.status === 204, `logout ${out.status}`);
	const after_ = await c.get('/api/v1/me');
	expect(after_.status === 401, `after logout: ${after_.status}`);
	return problems;
}

test(`${USERS} users at once, ${ROUNDS} rounds each: every answer right, no 5xx`, async () => {
	const results = await Promise.all(users.map(session));
	assert.deepEqual(results.flat(), []);
	assert.ok(env.server.alive, 'the server died');
	assert.equal((await request(env.server, 'GET', '/healthz')).status, 200);
	const fivexx = env.server.accessLog().filter((l) => / status=5\d\d /.test(l));
	assert.deepEqual(fivexx, []);
	assert.ok(!/level=error|AddressSanitizer|runtime error/.test(env.server.log), env.server.log.slice(-2000));
});

test('the metrics counted every request', async () => {
	/* Counted when each connection completes, a moment after the answer: wait for the last. */
	let text = '';
	const want = USERS * ROUNDS;
	const metric = (route, status) => {
		const m = text.match(new RegExp(`vets_http_requests_total\\{method="GET",route="${route}",status="${status}"\\} (\\d+)`));
		return m ? Number(m[1]) : 0;
	};
	for (let i = 0; i < 100; i++) {
		text = (await request(env.server, 'GET', '/metrics')).body;
		if (metric('/api/v1/me', 200) >= want && metric('/api/v1/me', 401) >= USERS && metric('/', 200) >= want) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	/* Each user read /api/v1/me ROUNDS times and once more (401) after logging out. */
	assert.equal(metric('/api/v1/me', 200), want);
	assert.equal(metric('/api/v1/me', 401), USERS);
	assert.equal(metric('/api/v1/users', 200), want / 2);
	assert.equal(metric('/api/v1/users', 403), want / 2);
	assert.equal(metric('/', 200), want);
	assert.match(text, /vets_sessions_active 0\b/);
});

test('the audit trail is whole, with one login and one logout per user', async () => {
	await env.server.stop();
	const r = await auditVerify(env.db);
	assert.equal(r.code, 0, r.stderr);
	const total = Number(sqlExec(env.db, 'SELECT count(*) FROM audit_log;').trim());
	assert.match(r.stdout, new RegExp(`共 ${total} 条记录`));
	const rows = sqlExec(
		env.db,
		"SELECT actor || ' ' || action || ' ' || result FROM audit_log WHERE action IN ('login', 'logout') ORDER BY actor, action;",
	)
		.trim()
		.split('\n');
	const want = users.flatMap((u) => [`${u.name} login ok`, `${u.name} logout ok`]).sort();
	assert.deepEqual(rows, want);
	/* The sequence has no gaps and no duplicates, although sixteen threads wrote at once. */
	const seq = sqlExec(env.db, 'SELECT min(seq), max(seq), count(DISTINCT seq) FROM audit_log;').trim();
	assert.equal(seq, `1|${total}|${total}`);
});
