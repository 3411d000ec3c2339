// headers.test.mjs - security headers on every kind of answer, caching of static
// assets, and the Host allow-list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, cleanup, freshServer, rawSend, request } from './lib.mjs';

let env;
let admin; /* a signed-in sysadmin */
let clerk; /* a signed-in clerk */

before(async () => {
	env = await freshServer([
		['hadmin', 'sysadmin'],
		['hclerk', 'clerk'],
	]);
	admin = new Client(env.server);
	await admin.signIn('hadmin');
	clerk = new Client(env.server);
	await clerk.signIn('hclerk');
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

/** Splits a CSP header into {directive: [sources]}. */
function parseCsp(value) {
	const out = {};
	for (const part of value.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) out[name.toLowerCase()] = sources;
	}
	return out;
}

function assertSecurityHeaders(r, what) {
	const csp = r.all('Content-Security-Policy');
	assert.equal(csp.length, 1, `${what}: expected one CSP header, got ${csp.length}`);
	const d = parseCsp(csp[0]);
	const script = d['script-src'] ?? d['default-src'];
	assert.ok(script, `${what}: CSP has neither script-src nor default-src`);
	assert.ok(!script.includes("'unsafe-inline'"), `${what}: script-src allows 'unsafe-inline'`);
	assert.ok(!script.includes("'unsafe-eval'"), `${what}: script-src allows 'unsafe-eval'`);
	assert.ok(!script.includes('*'), `${what}: script-src allows any origin`);
	assert.deepEqual(d['frame-ancestors'], ["'none'"], `${what}: frame-ancestors`);
	assert.deepEqual(r.all('X-Content-Type-Options'), ['nosniff'], `${what}: X-Content-Type-Options`);
	const referrer = r.all('Referrer-Policy');
	assert.equal(referrer.length, 1, `${what}: Referrer-Policy`);
	assert.match(referrer[0], /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, what);
}

function assertNoStore(r, what) {
	assert.match(r.headers['cache-control'] ?? '', /no-store/, `${what}: Cache-Control`);
}

test('HTML pages carry the security headers and are not cached', async () => {
	const anon = new Client(env.server);
	const cases = [
		['login page', () => anon.get('/login'), 200],
		['home page for a visitor', () => anon.get('/'), 200],
		['404 page', () => anon.get('/no/such/page'), 404],
		['400 page (bad path)', () => anon.get('/%ff'), 400],
		['405 page', () => anon.request('PUT', '/login'), 405],
		['403 page', () => clerk.get('/users'), 403],
		['signed-in home page', () => admin.get('/'), 200],
		['signed-in list page', () => admin.get('/users'), 200],
		['password page', () => clerk.get('/password'), 200],
	];
	for (const [what, get, status] of cases) {
		const r = await get();
		assert.equal(r.status, status, `${what}: ${r}`);
		assert.match(r.headers['content-type'], /^text\/html; charset=utf-8/, what);
		assertSecurityHeaders(r, what);
		assertNoStore(r, what);
		assert.ok(r.body.length > 0, `${what}: empty body`);
	}
});

test('JSON answers, redirects and plain-text endpoints carry them too', async () => {
	const anon = new Client(env.server);
	const cases = [
		['GET /api/v1/me', () => admin.get('/api/v1/me'), 200, /^application\/json/],
		['GET /api/v1/users', () => admin.get('/api/v1/users'), 200, /^application\/json/],
		['401 JSON', () => anon.get('/api/v1/me'), 401, /^application\/json/],
		['403 JSON', () => clerk.get('/api/v1/users'), 403, /^application\/json/],
		['404 under /api', () => anon.get('/api/v1/nothing'), 404, /^application\/json/],
		['login 401', () => anon.login('hadmin', 'Wrong#pass1'), 401, /^application\/json/],
		['redirect to /login', () => anon.get('/users'), 303, null],
		['healthz', () => anon.get('/healthz'), 200, /^text\/plain/],
		['metrics', () => anon.get('/metrics'), 200, /^text\/plain/],
	];
	for (const [what, get, status, type] of cases) {
		const r = await get();
		assert.equal(r.status, status, `${what}: ${r}`);
		if (type) assert.match(r.headers['content-type'], type, what);
		assertSecurityHeaders(r, what);
		assertNoStore(r, what);
	}
	/* A successful API login (the answer sets the session cookie) is not cached either. */
	const c = new Client(env.server);
	const r = await c.signIn('hclerk');
	assertSecurityHeaders(r, 'login 200');
	assertNoStore(r, 'login 200');
});

test('static assets have an ETag and answer If-None-Match with 304', async () => {
	for (const p of ['/static/app.css', '/static/app.js']) {
		const r = await request(env.server, 'GET', p);
		assert.equal(r.status, 200, `${p}: ${r}`);
		assert.ok(r.body.length > 100, `${p} is nearly empty`);
		assertSecurityHeaders(r, p);
		const etag = r.headers.etag;
		assert.match(etag ?? '', /^"[^"]+"$/, `${p}: ETag`);
		assert.doesNotMatch(r.headers['cache-control'] ?? '', /no-store/, `${p} should be cacheable`);
		if (p.endsWith('.css')) assert.match(r.headers['content-type'], /^text\/css/);
		if (p.endsWith('.js')) assert.match(r.headers['content-type'], /^(text|application)\/javascript/);

		const again = await request(env.server, 'GET', p, { headers: { 'If-None-Match': etag } });
		assert.equal(again.status, 304, `${p}: ${again}`);
		assert.equal(again.body, '');
		assert.equal(again.headers.etag, etag);
		assertSecurityHeaders(again, `${p} 304`);

		const other = await request(env.server, 'GET', p, { headers: { 'If-None-Match': '"0000000000000000"' } });
		assert.equal(other.status, 200);
		assert.equal(other.body, r.body);
	}
	/* The same asset gets the same ETag every time; a different asset a different one. */
	const css1 = await request(env.server, 'GET', '/static/app.css');
	const css2 = await request(env.server, 'GET', '/static/app.css');
	const js = await request(env.server, 'GET', '/static/app.js');
	assert.equal(css1.headers.etag, css2.headers.etag);
	assert.notEqual(css1.headers.etag, js.headers.etag);
	/* An asset that does not exist is a 404, not a file from elsewhere. */
	assert.equal((await request(env.server, 'GET', '/static/nope.css')).status, 404);
	assert.equal((await request(env.server, 'GET', '/static/../meson.build')).status, 400);
});

test('a foreign Host is refused (421) for pages, the API and static files', async () => {
	const evil = { host: 'evil.example' };
	const cases = [
		['GET', '/login'],
		['GET', '/'],
		['GET', '/healthz'],
		['GET', '/api/v1/me'],
		['POST', '/api/v1/session'],
		['GET', '/static/app.css'],
		['GET', '/no/such/page'],
	];
	for (const [method, p] of cases) {
		for (const host of ['evil.example', `evil.example:${env.server.port}`, 'localhost.evil.example', '127.0.0.2']) {
			const opts = { host };
			if (method === 'POST') opts.json = { username: 'hadmin', password: 'x' };
			const r = await request(env.server, method, p, opts);
			assert.equal(r.status, 421, `${method} ${p} Host: ${host}: ${r}`);
			assertSecurityHeaders(r, `421 ${p}`);
			assert.equal(r.cookie('vets_session'), undefined);
		}
	}
	/* A signed-in session's cookie does not help under a foreign Host. */
	const r = await admin.get('/api/v1/me', evil);
	assert.equal(r.status, 421);
	assert.ok(!r.body.includes('hadmin'));
	/* A message in Chinese; JSON for an API client that asks for it. (The Host is checked
	 * before the path, so without Accept an /api/ path gets the HTML error page.) */
	const page = await request(env.server, 'GET', '/login', evil);
	assert.ok(page.body.includes('不受理此主机名的请求'), `${page}`);
	const api = await request(env.server, 'GET', '/api/v1/me', { ...evil, headers: { Accept: 'application/json' } });
	assert.equal(api.json?.error?.code, 'unknown_host', `${api}`);
	assert.equal(api.json.error.message, '不受理此主机名的请求');
	/* No Host at all (HTTP/1.0) is refused too. */
	const bare = await rawSend(env.server.port, 'GET /healthz HTTP/1.0\r\n\r\n');
	assert.equal(bare.status, 421);
});

test('the local names are accepted, with or without the port', async () => {
	const port = env.server.port;
	for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost', 'LOCALHOST', '127.0.0.1']) {
		const r = await request(env.server, 'GET', '/healthz', { host });
		assert.equal(r.status, 200, `Host: ${host}: ${r}`);
		const page = await request(env.server, 'GET', '/login', { host });
		assert.equal(page.status, 200, `Host: ${host} /login`);
	}
	/* Signed in under another local name: the cookie works the same. */
	const r = await admin.get('/api/v1/me', { host: `localhost:${port}` });
	assert.equal(r.status, 200);
	assert.equal(r.json.user.username, 'hadmin');
});

test('--public-host names are accepted, and only they', async () => {
	const before = await request(env.server, 'GET', '/healthz', { host: 'vets.example.gov.cn' });
	assert.equal(before.status, 421);
	const server = await Server.start(env.db, { args: ['--public-host', 'vets.example.gov.cn'] });
	try {
		for (const host of ['vets.example.gov.cn', 'vets.example.gov.cn:443', 'VETS.example.gov.cn', `127.0.0.1:${server.port}`]) {
			const r = await request(server, 'GET', '/login', { host });
			assert.equal(r.status, 200, `Host: ${host}: ${r}`);
		}
		const c = new Client(server, { host: 'vets.example.gov.cn' });
		await c.signIn('hclerk');
		assert.equal((await c.get('/api/v1/me')).status, 200);
		for (const host of ['example.gov.cn', 'evil.vets.example.gov.cn', 'vets.example.gov.cn.evil.example', 'evil.example']) {
			const r = await request(server, 'GET', '/login', { host });
			assert.equal(r.status, 421, `Host: ${host}: ${r}`);
		}
	} finally {
		await server.stop();
	}
});

test('the access log records each request with its status', async () => {
	await request(env.server, 'GET', '/no/such/thing');
	await request(env.server, 'GET', '/healthz', { host: 'evil.example' });
	await admin.get('/api/v1/me');
	const log = env.server.accessLog();
	assert.ok(log.some((l) => / method=GET route=\/no\/such\/thing status=404 /.test(l)), log.slice(-5).join('\n'));
	assert.ok(log.some((l) => / status=421 /.test(l)));
	assert.ok(log.some((l) => / user=hadmin method=GET route=\/api\/v1\/me status=200 /.test(l)));
	/* Neither passwords nor session ids are logged. */
	assert.ok(!env.server.log.includes('Qw7#pLm9Zx'));
	assert.ok(!env.server.log.includes(admin.jar.get('vets_session')));
});
