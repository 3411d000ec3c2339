// login_guard.test.mjs - logins against guessing: the lockout holds under
// concurrency, unknown names lock like accounts and reach the audit trail only
// masked, wrong old passwords count, one address is throttled, a user holds a
// bounded number of sessions for a bounded time, cookies carry Secure over https,
// /metrics is not for everyone, and the audit page shows invisible characters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
	BIN,
	Client,
	PASSWORD,
	Server,
	addUser,
	assertApiError,
	auditRows,
	cleanup,
	filesDir,
	freePort,
	freshServer,
	hasChinese,
	initDb,
	request,
	sqlExec,
	storeEnv,
	vets,
} from './lib.mjs';

after(cleanup);

const WRONG = 'Wrong#pass99';
/* For the lockout tests: every attempt comes from one address, which the throttle would cut short. */
const NO_THROTTLE = { args: ['--login-throttle', '0'] };

test('thirty concurrent wrong passwords get five tries: the count is read and raised in one transaction', async () => {
	const { server } = await freshServer([
		['g_conc', 'clerk'],
		['g_aud', 'auditor'],
	], NO_THROTTLE);
	const results = await Promise.all(Array.from({ length: 30 }, () => new Client(server).login('g_conc', WRONG)));
	const statuses = results.map((r) => r.status);
	assert.ok(statuses.every((s) => s === 401 || s === 423), `statuses: ${statuses}`);
	const aud = new Client(server);
	await aud.signIn('g_aud');
	const rows = await auditRows(aud, { actor: 'g_conc' });
	const tried = rows.filter((x) => x.action === 'login' && x.result === 'fail');
	assert.equal(tried.length, 5, `${tried.length} wrong passwords were checked, not 5`);
	assert.equal(rows.filter((x) => x.action === 'login.lock').length, 1);
	assert.equal(rows.filter((x) => x.action === 'login' && x.result === 'locked').length, 25);
	/* And the right password is refused while the lock holds. */
	assertApiError(await new Client(server).login('g_conc'), 423, 'locked');
	await server.stop();
});

test('an unknown name locks after five failures like an account, answers alike, and is audited only masked', async () => {
	const { server } = await freshServer([
		['g_known', 'clerk'],
		['g_aud2', 'auditor'],
	], NO_THROTTLE);
	const typed = 'Secret#Typed1'; /* a password typed into the name box */
	const answers = { known: [], unknown: [] };
	for (let i = 0; i < 6; i++) {
		answers.known.push(await new Client(server).login('g_known', WRONG));
		answers.unknown.push(await new Client(server).login(typed, WRONG));
	}
	const shape = (r) => `${r.status} ${r.json?.error?.code} ${r.json?.error?.message.replace(/\d{4}-\d\d-\d\d \d\d:\d\d/, 'T')}`;
	assert.deepEqual(answers.unknown.map(shape), answers.known.map(shape), 'an unknown name must answer as a known one');
	assert.deepEqual(
		answers.unknown.map((r) => r.status),
		[401, 401, 401, 401, 423, 423],
	);
	const aud = new Client(server);
	await aud.signIn('g_aud2');
	const rows = await auditRows(aud, { action: 'login' });
	assert.ok(!JSON.stringify(rows).includes(typed), 'the typed name must not reach the audit trail');
	const masked = rows.filter((x) => x.actor.startsWith('未知用户名#'));
	assert.ok(masked.length >= 6, `masked rows: ${masked.length}`);
	/* The same name masks alike, so repeated attempts correlate; its length shows. */
	assert.equal(new Set(masked.map((x) => x.actor)).size, 1);
	assert.match(masked[0].actor, /^未知用户名#[0-9a-f]{8}（13 个字符）$/);
	assert.ok(!sqlExec(server.db, 'SELECT name_key FROM login_names;').includes(typed));
	await server.stop();
});

test('wrong old passwords on /password count toward the lock, are audited, and the lock ends every session', async () => {
	const { server } = await freshServer([
		['g_pw', 'leader'],
		['g_aud3', 'auditor'],
	]);
	const stolen = new Client(server);
	await stolen.signIn('g_pw');
	const other = new Client(server);
	await other.signIn('g_pw');
	for (let i = 1; i <= 4; i++) {
		const r = await stolen.refused(await stolen.postForm('/password', { old_password: `Guess#${i}abc`, new_password: 'New#pass2026', confirm_password: 'New#pass2026' }));
		assert.match(r.body, /原密码不正确/);
	}
	const fifth = await stolen.postForm('/password', { old_password: 'Guess#5abc', new_password: 'New#pass2026', confirm_password: 'New#pass2026' });
	assert.equal(fifth.status, 423, `${fifth}`);
	assert.ok(hasChinese(fifth.body));
	assert.equal((await stolen.get('/api/v1/me')).status, 401, 'the session that guessed must end');
	assert.equal((await other.get('/api/v1/me')).status, 401, 'every session ends at the lock');
	assertApiError(await new Client(server).login('g_pw'), 423, 'locked');
	const aud = new Client(server);
	await aud.signIn('g_aud3');
	const rows = await auditRows(aud, { actor: 'g_pw' });
	assert.equal(rows.filter((x) => x.action === 'password.change' && x.result === 'fail').length, 5);
	assert.equal(rows.filter((x) => x.action === 'login.lock').length, 1);
	await server.stop();
});

/** POST /api/v1/session from a given local address (127.0.0.x are all this machine). */
function loginFrom(server, localAddress, username, password) {
	const body = JSON.stringify({ username, password });
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port: server.port,
				method: 'POST',
				path: '/api/v1/session',
				localAddress,
				agent: false,
				headers: { Host: server.host, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8').on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: JSON.parse(text || 'null') }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

test('one address that keeps failing is throttled (429, Retry-After, Chinese), others are not, and it is audited once', async () => {
	/* Three a minute: an allowance refills one try in twenty seconds, far longer than the
	 * three failures take even on a slow, busy machine, so the burst finds it empty. */
	const { server } = await freshServer(
		[
			['g_thr', 'clerk'],
			['g_aud4', 'auditor'],
		],
		{ args: ['--login-throttle', '3'] },
	);
	/* Three failures use up the address's allowance… */
	for (let i = 0; i < 3; i++) {
		const r = await loginFrom(server, '127.0.0.3', `nobody${i}`, WRONG);
		assert.equal(r.status, 401);
	}
	/* …then sixteen concurrent attempts are all refused before any password is checked. */
	const burst = await Promise.all(Array.from({ length: 16 }, (_, i) => loginFrom(server, '127.0.0.3', `anon${i}`, WRONG)));
	for (const r of burst) {
		assert.equal(r.status, 429);
		assert.equal(r.json.error.code, 'too_many_requests');
		assert.ok(hasChinese(r.json.error.message));
		assert.ok(Number(r.headers['retry-after']) >= 1, `Retry-After: ${r.headers['retry-after']}`);
	}
	/* The right password from there waits too; from another address it goes through. */
	assert.equal((await loginFrom(server, '127.0.0.3', 'g_thr', PASSWORD)).status, 429);
	assert.equal((await loginFrom(server, '127.0.0.4', 'g_thr', PASSWORD)).status, 200);
	const aud = new Client(server);
	await aud.signIn('g_aud4');
	const rows = await auditRows(aud, { action: 'login' });
	/* No throttled attempt reached the password check: three failures only. */
	assert.equal(rows.filter((x) => x.action === 'login' && x.ip === '127.0.0.3').length, 3);
	const throttled = rows.filter((x) => x.action === 'login.throttle');
	assert.equal(throttled.length, 1, 'the first refusal of a run is audited, not each');
	assert.equal(throttled[0].result, 'denied');
	assert.equal(throttled[0].ip, '127.0.0.3');
	await server.stop();
});

test('a user holds at most max_sessions sessions (default 3): a new login ends the oldest, audited', async () => {
	const { server } = await freshServer([
		['g_many', 'clerk'],
		['g_sec', 'secadmin'],
		['g_aud5', 'auditor'],
	]);
	const clients = [];
	for (let i = 0; i < 4; i++) {
		const c = new Client(server);
		await c.signIn('g_many');
		clients.push(c);
	}
	assert.equal((await clients[0].get('/api/v1/me')).status, 401, 'the oldest session must end');
	for (const c of clients.slice(1)) assert.equal((await c.get('/api/v1/me')).status, 200);
	assert.equal(sqlExec(server.db, "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'g_many';").trim(), '3');
	/* The security administrator tightens it to one. */
	const sec = new Client(server);
	await sec.signIn('g_sec');
	const page = await sec.get('/policy');
	assert.match(page.body, /每个账号同时在线会话数/);
	assert.match(page.body, /会话最长时限（小时）/);
	const form = { min_length: 8, expiry_days: 90, history: 5, max_failures: 5, lock_minutes: 30, idle_minutes: 30, max_sessions: 1, session_hours: 12 };
	assert.equal((await sec.postForm('/policy', form)).status, 303);
	const loose = await sec.postForm('/policy', { ...form, max_sessions: 11 });
	assert.equal(loose.status, 400);
	const a = new Client(server);
	await a.signIn('g_many');
	const b = new Client(server);
	await b.signIn('g_many');
	assert.equal((await a.get('/api/v1/me')).status, 401);
	assert.equal((await b.get('/api/v1/me')).status, 200);
	const aud = new Client(server);
	await aud.signIn('g_aud5');
	const rows = await auditRows(aud, { action: 'session.evict' });
	assert.ok(rows.length >= 2 && rows.every((x) => x.actor === 'g_many' && hasChinese(x.detail)));
	await server.stop();
});

test('a session ends 12 hours after login however busy it is (session_hours), audited', async () => {
	const { server } = await freshServer([
		['g_long', 'clerk'],
		['g_aud6', 'auditor'],
	]);
	const c = new Client(server);
	await c.signIn('g_long');
	assert.equal((await c.get('/api/v1/me')).status, 200);
	/* Logged in 12 h 1 min ago, busy all along (seen just now). */
	sqlExec(server.db, "UPDATE sessions SET created_at = created_at - 12 * 3600 - 60 WHERE user_id = (SELECT id FROM users WHERE username = 'g_long');");
	const r = await c.get('/api/v1/me');
	assertApiError(r, 401, 'unauthorized');
	assert.match(r.json.error.message, /会话已超时/);
	const aud = new Client(server);
	await aud.signIn('g_aud6');
	const rows = await auditRows(aud, { action: 'session.timeout' });
	assert.ok(rows.some((x) => x.actor === 'g_long' && /最长时限/.test(x.detail)));
	await server.stop();
});

test('cookies carry Secure for an https public host or --secure-cookie, and not otherwise', async () => {
	const { db } = await initDb();
	await addUser(db, 'g_cookie', 'clerk');
	const cases = [
		[[], false],
		[['--public-host', 'https://vets.example.cn'], true],
		[['--secure-cookie'], true],
		[['--public-host', 'vets.example.cn'], false],
	];
	for (const [args, secure] of cases) {
		const server = await Server.start(db, { args });
		const c = new Client(server);
		const login = await c.login('g_cookie');
		assert.equal(login.status, 200);
		assert.equal(login.cookie('vets_session').attrs.secure === true, secure, `${args.join(' ')}: session cookie`);
		const form = await new Client(server).get('/login');
		assert.equal(form.cookie('vets_form').attrs.secure === true, secure, `${args.join(' ')}: form cookie`);
		const out = await c.logout();
		assert.equal(out.status, 204);
		assert.equal(out.cookie('vets_session').attrs.secure === true, secure, `${args.join(' ')}: cleared cookie`);
		if (args[0] === '--public-host') {
			/* The https:// names the host: requests for it are served. */
			const r = await request(server, 'GET', '/healthz', { host: 'vets.example.cn' });
			assert.equal(r.status, 200);
		}
		await server.stop();
	}
});

/** GET /metrics from a local address, with extra headers. */
function metricsFrom(server, localAddress, headers = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port: server.port, path: '/metrics', localAddress, agent: false, headers: { Host: server.host, ...headers } },
			(res) => {
				let text = '';
				res.setEncoding('utf8').on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode, body: text }));
			},
		);
		req.on('error', reject);
		req.end();
	});
}

test('/metrics answers loopback clients only, or with the token of --metrics-token-file; a refusal looks like no page', async () => {
	const { db, dir } = await initDb();
	const plain = await Server.start(db);
	assert.equal((await metricsFrom(plain, '127.0.0.1')).status, 200);
	await plain.stop();

	const tokenFile = path.join(dir, 'metrics.token');
	const token = 'Tk0-' + 'a1b2c3d4e5f6a7b8c9d0';
	writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
	const guarded = await Server.start(db, { args: ['--metrics-token-file', tokenFile] });
	const none = await metricsFrom(guarded, '127.0.0.1');
	const wrong = await metricsFrom(guarded, '127.0.0.1', { Authorization: 'Bearer Tk0-wrongwrongwrongwr' });
	const missing = await request(guarded, 'GET', '/no-such-page');
	for (const r of [none, wrong]) {
		assert.equal(r.status, 404);
		assert.equal(r.body, missing.body, 'a refusal must read as a page that does not exist');
		assert.ok(!/vets_/.test(r.body));
	}
	const ok = await metricsFrom(guarded, '127.0.0.1', { Authorization: `Bearer ${token}` });
	assert.equal(ok.status, 200);
	assert.match(ok.body, /vets_http_requests_total/);
	await guarded.stop();

	/* A token file others may read is refused at start: the token would not be secret. */
	chmodSync(tokenFile, 0o644);
	const r = await vets(['serve', '--db', db, '--listen', '127.0.0.1:1', '--metrics-token-file', tokenFile]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /不得允许他人读取/);
});

test('a client that is not on the loopback address gets 404 from /metrics', async (t) => {
	/* Our only non-loopback address, if the machine has one. */
	const addr = Object.values(os.networkInterfaces())
		.flat()
		.find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
	if (!addr) return t.skip('no non-loopback IPv4 address on this machine');
	const { db } = await initDb();
	/* Listen on all addresses so that the non-loopback address reaches the server. */
	const port = await freePort();
	const child = spawn(BIN, ['serve', '--db', db, '--files-dir', filesDir(db), '--listen', `0.0.0.0:${port}`, '--no-jobs'], {
		env: { ...process.env, ...storeEnv(db) },
		stdio: 'ignore',
	});
	try {
		const target = { port, host: `127.0.0.1:${port}` };
		for (let i = 0; i < 200; i++) {
			try {
				if ((await request(target, 'GET', '/healthz')).status === 200) break;
			} catch {
				/* not yet */
			}
			await new Promise((r) => setTimeout(r, 25));
		}
		const outside = await new Promise((resolve, reject) => {
			const req = http.request({ host: addr, port, path: '/metrics', agent: false, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode));
			});
			req.on('error', reject);
			req.end();
		});
		assert.equal(outside, 404);
		assert.equal((await request(target, 'GET', '/metrics')).status, 200);
	} finally {
		child.kill('SIGTERM');
		await new Promise((r) => child.once('exit', r));
	}
});

test('the audit page shows bidi controls and other invisible characters as visible escapes', async () => {
	const { server } = await freshServer([
		['g_sys', 'sysadmin'],
		['g_aud7', 'auditor'],
	]);
	const sys = new Client(server);
	await sys.signIn('g_sys');
	/* A name that reads "张三 gpj.exe" backwards after U+202E, with a zero-width space. */
	const name = '张三\u202Eexe.jpg\u200B';
	const r = await sys.postForm('/users', { username: 'g_bidi', display_name: name, org_code: '420199', password: PASSWORD });
	assert.equal(r.status, 303, `${r}`);
	const id = sqlExec(server.db, "SELECT id FROM users WHERE username = 'g_bidi';").trim();
	assert.equal((await sys.postForm(`/users/${id}`, { display_name: name, org_code: '420199' })).status, 303);
	const aud = new Client(server);
	await aud.signIn('g_aud7');
	const page = await aud.get('/audit?action=user.update');
	assert.equal(page.status, 200);
	assert.ok(!/[\u202A-\u202E\u2066-\u2069\u200B-\u200F]/.test(page.body), 'an invisible character reached the page');
	assert.ok(page.body.includes('张三&lt;U+202E&gt;exe.jpg&lt;U+200B&gt;'), 'the escapes must show where the characters were');
	/* The record itself is kept as written: the API gives it verbatim. */
	const rows = await auditRows(aud, { action: 'user.update' });
	assert.ok(rows.some((x) => x.detail.includes(name)));
	await server.stop();
});
