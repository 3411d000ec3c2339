// service.test.mjs - vets serve as a service lives: SIGHUP reloads (the --log-file reopened
// after logrotate's rename, the metrics token file read again) and never stops it; SIGTERM
// lets a request under way finish, then exits 0; SIGINT too. Every line of the event log has
// the key=value shape, values quoted and escaped, nothing personal in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, SLOW, Server, addUser, cleanup, initDb, request } from './lib.mjs';

after(cleanup);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const env = {};

/* One line of the event log: ts, level, event, then key=value (a value bare, or quoted with escapes). */
const LINE = /^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=(debug|info|warn|error) event=[a-z][a-z0-9_.]*( [a-z][a-z0-9_]*=("(?:[^"\\\x00-\x1f]|\\["\\nrt]|\\x[0-9a-f]{2})*"|[^\s"=\\]+))*$/;

/* The fields of a line, values unquoted. */
function fields(line) {
	const out = {};
	const re = / ?([a-z][a-z0-9_]*)=("(?:[^"\\]|\\.)*"|[^\s"]+)/g;
	let m;
	while ((m = re.exec(line)))
		out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\x([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\(.)/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c) : m[2];
	return out;
}

const logLines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function waitFor(what, check) {
	const deadline = Date.now() + 15000 * SLOW;
	for (;;) {
		const got = check();
		if (got) return got;
		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		await sleep(25);
	}
}

before(async () => {
	const { db, dir } = await initDb();
	await addUser(db, 'sv_clerk', 'clerk');
	env.db = db;
	env.dir = dir;
	env.log = path.join(dir, 'events.log');
	env.token = path.join(dir, 'metrics.token');
	writeFileSync(env.token, 'first-token-0123456789abcdef\n');
	chmodSync(env.token, 0o600);
	env.server = await Server.start(db, { args: ['--log-file', env.log, '--metrics-token-file', env.token] });
});

test('SIGHUP: the log file is reopened after a rename, the metrics token read again, the server keeps serving', async () => {
	const s = env.server;
	assert.equal((await request(s, 'GET', '/healthz')).status, 200);
	await waitFor('the first request in the log', () => logLines(env.log).some((l) => /event=http\.request .*route=\/healthz/.test(l)));
	const metrics = (token) => request(s, 'GET', '/metrics', { headers: { Authorization: `Bearer ${token}` } });
	assert.equal((await metrics('first-token-0123456789abcdef')).status, 200);
	/* logrotate: rename, then SIGHUP */
	const rotated = `${env.log}.1`;
	renameSync(env.log, rotated);
	writeFileSync(env.token, 'second-token-0123456789abcdef\n');
	s.child.kill('SIGHUP');
	await waitFor('the reload in the new file', () => logLines(env.log).find((l) => /event=server\.reloaded /.test(l)));
	const reloaded = fields(logLines(env.log).find((l) => /event=server\.reloaded /.test(l)));
	assert.equal(reloaded.log_file, 'reopened');
	assert.equal(reloaded.reread, 'metrics_token');
	assert.equal(s.exit, null, 'SIGHUP must not stop the server');
	const c = new Client(s);
	await c.signIn('sv_clerk');
	assert.equal((await c.get('/api/v1/me')).status, 200);
	await waitFor('the new requests in the new file', () => logLines(env.log).some((l) => /user=sv_clerk method=GET route=\/api\/v1\/me status=200/.test(l)));
	/* the old file has what came before, nothing after */
	const old = logLines(rotated);
	assert.ok(old.some((l) => /event=server\.listening/.test(l)));
	assert.ok(!old.some((l) => /sv_clerk/.test(l)));
	/* the token: the old one refused now, the new one accepted */
	assert.equal((await metrics('first-token-0123456789abcdef')).status, 404);
	assert.equal((await metrics('second-token-0123456789abcdef')).status, 200);
	/* a token file that no longer reads keeps the token in force, and the server up */
	chmodSync(env.token, 0o644);
	s.child.kill('SIGHUP');
	await waitFor('the refused token file in the log', () => logLines(env.log).some((l) => /event=server\.reload_token_failed /.test(l)));
	assert.equal((await metrics('second-token-0123456789abcdef')).status, 200);
	chmodSync(env.token, 0o600);
	/* several at once */
	for (let i = 0; i < 5; i++) s.child.kill('SIGHUP');
	await sleep(200);
	assert.equal((await request(s, 'GET', '/healthz')).status, 200);
	assert.equal(s.exit, null);
});

test('every line of the event log has the key=value shape; values are escaped; nothing personal', async () => {
	const s = env.server;
	/* a path with a space and a quote (decoded: /no such"thing), one with a long number */
	assert.equal((await request(s, 'GET', '/no%20such%22thing')).status, 404);
	assert.equal((await request(s, 'GET', '/nothing/420106198001011234')).status, 404);
	const bad = new Client(s);
	await bad.login('sv_clerk', 'Wrong#Password1');
	await waitFor('the 404s in the log', () => logLines(env.log).filter((l) => / status=404 /.test(l)).length >= 2);
	const all = [...logLines(`${env.log}.1`), ...logLines(env.log)];
	assert.ok(all.length >= 8, all.join('\n'));
	for (const l of all) assert.match(l, LINE);
	const quoted = all.map(fields).find((f) => f.event === 'http.request' && f.route === '/no such"thing');
	assert.ok(quoted, all.join('\n'));
	assert.equal(quoted.status, '404');
	const text = all.join('\n');
	assert.ok(!text.includes('420106198001011234'), 'an ID number in the log');
	assert.ok(!text.includes('Wrong#Password1') && !text.includes('Qw7#pLm9Zx'), 'a password in the log');
	/* with --log-file nothing but the start's own messages goes to stderr */
	assert.doesNotMatch(s.log, /event=http\.request/);
	/* the event names documented */
	const ops = readFileSync(new URL('../../docs/OPERATIONS.md', import.meta.url), 'utf8');
	for (const e of new Set(all.map((l) => fields(l).event))) assert.ok(ops.includes(`\`${e}\``), `event ${e} not in docs/OPERATIONS.md`);
});

test('SIGTERM while a request is under way: it completes, then the server exits 0', async () => {
	const s = env.server;
	const body = JSON.stringify({ username: 'sv_clerk', password: 'Not#ThePassword9' });
	const sock = net.connect(s.port, '127.0.0.1');
	let answer = '';
	const closed = new Promise((resolve) => sock.on('close', resolve));
	sock.on('data', (d) => (answer += d.toString('utf8')));
	sock.on('error', () => {});
	await new Promise((resolve) => sock.on('connect', resolve));
	/* the headers and half the body: the request has begun */
	sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: ${s.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
	await sleep(1000 * SLOW);
	s.child.kill('SIGTERM');
	await waitFor('the stop in the log', () => logLines(env.log).some((l) => /event=server\.stopping signal=TERM/.test(l)));
	const stopping = fields(logLines(env.log).find((l) => /event=server\.stopping/.test(l)));
	assert.equal(stopping.in_flight, '1');
	/* it waits for the request: still there half a second later */
	await sleep(500);
	assert.equal(s.exit, null, 'the server stopped before the request under way ended');
	/* no new connection is taken meanwhile: this one is never answered */
	const late = request(s, 'GET', '/healthz').then(
		() => 'answered',
		() => 'refused',
	);
	sock.write(body.slice(10));
	const exit = await s.exited;
	await closed;
	assert.deepEqual(exit, { code: 0, signal: null }, s.log);
	assert.match(answer, /^HTTP\/1\.1 401 /, answer);
	assert.match(answer, /"unauthorized"/);
	const stopped = logLines(env.log).find((l) => /event=server\.stopped /.test(l));
	assert.ok(stopped, logLines(env.log).join('\n'));
	assert.equal(fields(stopped).cut, '0');
	assert.equal(await late, 'refused');
	for (const l of logLines(env.log)) assert.match(l, LINE);
});

test('SIGINT stops it cleanly too, and the database is left closed and consistent', async () => {
	const { db } = await initDb();
	const s = await Server.start(db);
	assert.equal((await request(s, 'GET', '/healthz')).status, 200);
	s.child.kill('SIGINT');
	assert.deepEqual(await s.exited, { code: 0, signal: null });
	assert.match(s.log, /event=server\.stopping signal=INT/);
	assert.match(s.log, /event=server\.stopped cut=0/);
	/* a SQLite database closed by every connection leaves no -wal behind */
	if (!/^postgres/.test(db)) assert.ok(!existsSync(`${db}-wal`), 'the database was not closed');
});
