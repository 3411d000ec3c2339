// malformed.test.mjs - broken, hostile and oversized requests on raw sockets:
// each is refused with a 4xx (and a Chinese message where the server writes the
// body), or the connection is closed; the server keeps serving throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cleanup, freshServer, formEncode, rawSend, request } from './lib.mjs';

let env;
let H; /* the Host header value */
let formToken; /* the login form's double-submit token (cookie vets_form) */

before(async () => {
	env = await freshServer([['mroot', 'sysadmin']]);
	H = env.server.host;
	const c = new Client(env.server);
	const page = await c.get('/login');
	assert.equal(page.status, 200);
	formToken = c.jar.get('vets_form');
	assert.match(formToken ?? '', /^[0-9a-f]{64}$/);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const send = (data, opts) => rawSend(env.server.port, data, opts);

function get(target, headers = '') {
	return `GET ${target} HTTP/1.1\r\nHost: ${H}\r\n${headers}\r\n`;
}

function post(target, type, body, headers = '') {
	const len = Buffer.byteLength(body);
	return `POST ${target} HTTP/1.1\r\nHost: ${H}\r\nContent-Type: ${type}\r\nContent-Length: ${len}\r\n${headers}\r\n${body}`;
}

/** Asserts the status and that the body (HTML page or JSON error) carries message. */
function assertRefused(r, status, message, what) {
	assert.equal(r.status, status, `${what}: ${r.text.slice(0, 1500) || (r.closed ? '(closed)' : '(no answer)')}`);
	assert.ok(r.body.includes(message), `${what}: “${message}” not in ${r.body.slice(0, 1500)}`);
}

/** Asserts {"error":{code,message}} in a raw answer. */
function assertJsonError(r, status, code, message, what) {
	assertRefused(r, status, message, what);
	assert.match(r.headers['content-type'] ?? '', /^application\/json/, what);
	const body = JSON.parse(r.body);
	assert.equal(body.error.code, code, what);
}

async function assertHealthy() {
	assert.ok(env.server.alive, 'the server process died');
	const r = await request(env.server, 'GET', '/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.body, 'ok\n');
}

test('bad paths: invalid UTF-8, dot segments, empty segments, NUL, backslashes → 400', async () => {
	const targets = [
		'/%ff',
		'/%c0%af',
		'/%ed%a0%80',
		'/%ff/../..',
		'/a/../b',
		'/../etc/passwd',
		'/users/..',
		'/./x',
		'/.',
		'/%2e%2e/x',
		'/%2E/x',
		'//x',
		'/users//1',
		'/login/',
		'/a%00b',
		'/%00',
		'/a%0ab',
		'/a%7f',
		'/a\\b',
		'/a%5cb',
		'/static/%2e%2e/meson.build',
		'/%zz',
		'/%',
		'http://evil.example/',
		'*',
	];
	for (const t of targets) {
		const r = await send(get(t));
		assertRefused(r, 400, '请求地址无效', t);
		assert.match(r.headers['content-type'], /^text\/html/, t);
	}
	/* The same under /api/ answers JSON. */
	assertJsonError(await send(get('/api/v1/%ff')), 400, 'bad_path', '请求地址无效', '/api/v1/%ff');
	assertJsonError(await send(get('/api/v1/../me')), 400, 'bad_path', '请求地址无效', '/api/v1/../me');
	await assertHealthy();
});

/* libmicrohttpd 0.9.75 ends the request target at a raw NUL byte, so what follows it never
 * reaches the router: the request is answered for the part before it, or refused. */
test('a raw NUL byte in the request target smuggles nothing past it', async () => {
	const r = await send(get('/healthz\0/../x'));
	assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `got ${r.status}`);
	if (r.status === 200) assert.equal(r.body, 'ok\n');
	const secret = await send(get('/static/app.css\0/../../etc/passwd'));
	assert.ok(!String(secret.body).includes('root:'), 'no file outside the embedded ones');
	await assertHealthy();
});

test('paths that are fine but unknown → 404 with a Chinese page', async () => {
	for (const t of ['/nope', '/users/abc', '/users/0', '/users/-1', '/users/99999999999999999999', '/%e4%b8%ad%e6%96%87']) {
		assertRefused(await send(get(t)), 404, '页面不存在', t);
	}
	assertJsonError(await send(get('/api/v2/me')), 404, 'not_found', '页面不存在', '/api/v2/me');
});

test('a 5 KB request target → 414; a 70 KB one is refused too', async () => {
	assertRefused(await send(get('/' + 'a'.repeat(5000))), 414, '请求地址过长', '5 KB path');
	assertRefused(await send(get('/healthz?q=' + 'a'.repeat(5000))), 414, '请求地址过长', '5 KB query');
	const huge = await send(get('/' + 'a'.repeat(70000)));
	assert.ok(huge.closed || (huge.status >= 400 && huge.status < 500), `70 KB: ${huge.status}`);
	await assertHealthy();
});

test('10 KB of headers, or 100 headers → 431', async () => {
	const ten = Array.from({ length: 10 }, (_, i) => `X-Pad-${i}: ${'a'.repeat(1000)}\r\n`).join('');
	assertRefused(await send(get('/healthz', ten)), 431, '请求头过大或过多', '10 × 1 KB');
	assertRefused(await send(get('/healthz', `X-Big: ${'b'.repeat(10240)}\r\n`)), 431, '请求头过大或过多', 'one 10 KB header');
	const hundred = Array.from({ length: 100 }, (_, i) => `X-H-${i}: v\r\n`).join('');
	assertRefused(await send(get('/healthz', hundred)), 431, '请求头过大或过多', '100 headers');
	const r = await send(get('/api/v1/me', hundred + 'Accept: application/json\r\n'));
	assertJsonError(r, 431, 'headers_too_large', '请求头过大或过多', '100 headers, JSON');
	/* Past the connection's memory, libmicrohttpd itself refuses. */
	const huge = await send(get('/healthz', `X-Huge: ${'c'.repeat(100000)}\r\n`));
	assert.ok(huge.closed || (huge.status >= 400 && huge.status < 500), `100 KB header: ${huge.status}`);
	await assertHealthy();
});

test('repeated Host, Content-Length, Cookie, Content-Type, X-CSRF-Token → 400', async () => {
	const cases = {
		Host: `GET /healthz HTTP/1.1\r\nHost: ${H}\r\nHost: ${H}\r\n\r\n`,
		'Host (a foreign second)': `GET /healthz HTTP/1.1\r\nHost: ${H}\r\nHost: evil.example\r\n\r\n`,
		'Content-Length': `POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}`,
		Cookie: get('/', 'Cookie: a=1\r\nCookie: b=2\r\n'),
		'Content-Type': `POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}`,
		'X-CSRF-Token': `DELETE /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nX-CSRF-Token: a\r\nX-CSRF-Token: b\r\n\r\n`,
	};
	for (const [what, data] of Object.entries(cases)) assertRefused(await send(data), 400, '请求头重复', what);
	/* Content-Length that is not a number: libmicrohttpd answers 400 itself. */
	for (const bad of ['abc', '-1', '1 2']) {
		const r = await send(`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: ${bad}\r\n\r\n{}`);
		assert.ok(r.closed || (r.status >= 400 && r.status < 500), `Content-Length: ${bad}: ${r.status}`);
	}
	await assertHealthy();
});

test('bad JSON bodies → 400 bad_request', async () => {
	const bodies = {
		truncated: '{"username":"mroot",',
		'not JSON': 'username=mroot',
		empty: ' ',
		'trailing garbage': '{"username":"mroot"} x',
		'single quotes': "{'username':'mroot'}",
		'NUL in a string': '{"username":"mr\\u0000oot","password":"x"}',
		'lone surrogate': '{"username":"\\ud800","password":"x"}',
		'a float': '{"username":"mroot","password":1.5}',
		'a huge number': '{"username":"mroot","password":123456789012345678901234567890}',
		'an empty key': '{"":"x"}',
		'an array': '[]',
		'an array of objects': '[{"username":"mroot","password":"x"}]',
		'a string': '"mroot"',
		null: 'null',
		'a nested object': '{"username":{"name":"mroot"},"password":"x"}',
		'a nested array': '{"username":["mroot"],"password":"x"}',
		'deep nesting': '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
		'duplicate keys': '{"username":"mroot","username":"other","password":"x"}',
	};
	for (const [what, body] of Object.entries(bodies)) {
		const r = await send(post('/api/v1/session', 'application/json', body));
		assertJsonError(r, 400, 'bad_request', '请求内容格式错误', what);
	}
	/* Invalid UTF-8 in the body. */
	const head = `POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n`;
	const bad = Buffer.concat([Buffer.from(head + '{"username":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
	assertJsonError(await send(bad), 400, 'bad_request', '请求内容格式错误', 'invalid UTF-8');
	/* None of them signed anybody in or counted as a failed login. */
	const c = new Client(env.server);
	await c.signIn('mroot');
	assert.equal((await c.get('/api/v1/me')).json.user.username, 'mroot');
	await assertHealthy();
});

test('forms: 100 params, bad escapes, duplicates, unknown and overlong params → 400', async () => {
	const csrf = `csrf=${formToken}`;
	const cookie = `Cookie: vets_form=${formToken}\r\n`;
	const form = 'application/x-www-form-urlencoded';
	const hundred = Array.from({ length: 100 }, (_, i) => `p${i}=1`).join('&');
	assertRefused(await send(post('/login', form, `${csrf}&${hundred}`, cookie)), 400, '参数过多', '100 form params');
	assertRefused(await send(get(`/login?${hundred}`)), 400, '参数过多', '100 query params');
	assertRefused(await send(post('/login', form, `${csrf}&username=%zz&password=x`, cookie)), 400, '请求内容格式错误', 'bad escape');
	assertRefused(await send(post('/login', form, `${csrf}&username=%ff&password=x`, cookie)), 400, '请求内容格式错误', 'bad UTF-8');
	assertRefused(await send(post('/login', form, `${csrf}&username=a%00b&password=x`, cookie)), 400, '请求内容格式错误', 'NUL');
	assertRefused(await send(post('/login', form, `${csrf}&=x&password=x`, cookie)), 400, '请求内容格式错误', 'empty name');
	const dup = formEncode({ csrf: formToken, username: 'a', password: 'x' }) + '&username=b';
	assertRefused(await send(post('/login', form, dup, cookie)), 400, '参数重复：用户名', 'duplicate username');
	const extra = formEncode({ csrf: formToken, username: 'mroot', password: 'x', role: 'sysadmin' });
	assertRefused(await send(post('/login', form, extra, cookie)), 400, '不接受的参数：role', 'unknown form param');
	const long = formEncode({ csrf: formToken, username: 'u'.repeat(65), password: 'x' });
	assertRefused(await send(post('/login', form, long, cookie)), 400, '用户名长度应为', 'username too long');
	const ctl = formEncode({ csrf: formToken, username: 'a\u0001b', password: 'x' });
	assertRefused(await send(post('/login', form, ctl, cookie)), 400, '控制字符', 'control character');
	/* A query parameter and a JSON member of the same name are a duplicate too. */
	const r = await send(post('/api/v1/session?username=a', 'application/json', '{"username":"b","password":"x"}'));
	assertJsonError(r, 400, 'invalid_parameter', '参数重复', 'query + JSON');
	await assertHealthy();
});

test('unknown query parameters → 400 naming them', async () => {
	for (const [t, name] of [
		['/healthz?foo=1', 'foo'],
		['/login?next=/users', 'next'],
		['/?debug', 'debug'],
		['/static/app.css?v=1', null],
	]) {
		const r = await send(get(t));
		if (name === null) {
			/* Static files ignore the query (cache busting). */
			assert.equal(r.status, 200, t);
			continue;
		}
		assertRefused(r, 400, `不接受的参数：${name}`, t);
	}
	const r = await send(get('/api/v1/session?x=1'));
	assert.equal(r.status, 405);
	await assertHealthy();
});

test('a method a path does not take → 405 with Allow', async () => {
	const cases = [
		['PUT', '/login', 'GET, POST'],
		['DELETE', '/login', 'GET, POST'],
		['PATCH', '/users', 'GET, POST'],
		['PUT', '/api/v1/session', 'POST, DELETE'],
		['GET', '/api/v1/session', 'POST, DELETE'],
		['POST', '/healthz', 'GET'],
		['DELETE', '/users/1', 'GET, POST'],
		['GET', '/logout', 'POST'],
		['BREW', '/', 'GET'],
	];
	for (const [method, p, allow] of cases) {
		const r = await send(`${method} ${p} HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 0\r\n\r\n`);
		assertRefused(r, 405, '不支持此请求方法', `${method} ${p}`);
		const got = r.headers.allow.split(',').map((m) => m.trim());
		assert.deepEqual(got.sort(), allow.split(', ').sort(), `${method} ${p}: Allow`);
	}
	/* HEAD is GET without a body. */
	const head = await send(`HEAD /healthz HTTP/1.1\r\nHost: ${H}\r\n\r\n`, { head: true });
	assert.equal(head.status, 200);
	await assertHealthy();
});

test('an unsupported Content-Type → 415', async () => {
	for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'json']) {
		const r = await send(post('/api/v1/session', type, '{"username":"mroot","password":"x"}'));
		assertJsonError(r, 415, 'unsupported_media_type', '不支持', type);
	}
	/* No Content-Type with a body. */
	const r = await send(`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 2\r\n\r\n{}`);
	assertJsonError(r, 415, 'unsupported_media_type', '不支持', 'no Content-Type');
	/* A form where JSON is expected. */
	const form = await send(post('/api/v1/session', 'application/x-www-form-urlencoded', 'username=mroot&password=x'));
	assertJsonError(form, 415, 'unsupported_media_type', 'application/json', 'form to the JSON API');
	await assertHealthy();
});

test('a 2 MB body → 413 before it is read', async () => {
	/* Declared: answered as soon as the headers are in. */
	const head = `POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`;
	assertJsonError(await send(head), 413, 'body_too_large', '请求内容过大', 'declared 2 MB');
	const page = `POST /login HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`;
	assertRefused(await send(page + 'a'.repeat(1000)), 413, '请求内容过大', 'declared 2 MB form');
	/* Just over the 1 MB limit. */
	const over = `POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`;
	assertJsonError(await send(over), 413, 'body_too_large', '请求内容过大', '1 MB + 1');
	await assertHealthy();
});

test('a 2 MB chunked body → 413', async () => {
	const chunk = 'a'.repeat(65536);
	const parts = [`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
	for (let i = 0; i < 32; i++) parts.push(`10000\r\n${chunk}\r\n`);
	parts.push('0\r\n\r\n');
	const r = await send(null, { chunks: parts });
	assertJsonError(r, 413, 'body_too_large', '请求内容过大', 'chunked 2 MB');
});

test('a 2 MB chunked body does not hurt the server', async () => {
	const chunk = 'a'.repeat(65536);
	const parts = [`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
	for (let i = 0; i < 32; i++) parts.push(`10000\r\n${chunk}\r\n`);
	parts.push('0\r\n\r\n');
	const r = await send(null, { chunks: parts });
	assert.ok(r.closed || r.status === 413, `got ${r.status}`);
	await assertHealthy();
});

test('garbage that is not HTTP: an answer in 4xx, or no answer at all', async () => {
	const cases = {
		words: 'hello there\r\n\r\n',
		'a bare method': 'GET\r\n\r\n',
		'HTTP/0.9': 'GET /\r\n\r\n',
		binary: Buffer.from([0x16, 3, 1, 0, 0x50, 1, 0, 0, 0x4c, 3, 3, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 0x0d, 0x0a, 0x0d, 0x0a]),
		'random bytes': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
		'only CRLFs': '\r\n'.repeat(50),
		'a header without a request line': `Host: ${H}\r\n\r\n`,
		'a bad version': `GET / HTTP/9.9\r\nHost: ${H}\r\n\r\n`,
		'spaces in the target': `GET /a b c HTTP/1.1\r\nHost: ${H}\r\n\r\n`,
		'a header line without a colon': `GET / HTTP/1.1\r\nHost: ${H}\r\nno colon here\r\n\r\n`,
	};
	for (const [what, data] of Object.entries(cases)) {
		/* Some of these leave libmicrohttpd waiting for more: then we hang up after a while. */
		const r = await send(data, { waitMs: 1500 });
		const answered = r.status !== 0;
		assert.ok(
			!answered || (r.status >= 400 && r.status < 500) || r.status === 505,
			`${what}: ${r.status} ${r.text.slice(0, 300)}`,
		);
		if (!answered) assert.equal(r.text, '', `${what}: not HTTP back: ${r.text.slice(0, 100)}`);
	}
	await assertHealthy();
});

test('a truncated request, then close: nothing breaks', async () => {
	const partials = [
		'GET /heal',
		`GET /healthz HTTP/1.1\r\nHost: ${H}\r\n`,
		`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user`,
		`POST /api/v1/session HTTP/1.1\r\nHost: ${H}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"us`,
	];
	for (const data of partials) {
		/* Wait briefly: no answer may come to half a request. Then hang up. */
		const r = await send(data, { waitMs: 300 });
		assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), `${JSON.stringify(data)}: ${r.status}`);
		await assertHealthy();
	}
	/* And many at once, closed abruptly. */
	await Promise.all(Array.from({ length: 20 }, (_, i) => send(partials[i % partials.length], { waitMs: 100 })));
	await assertHealthy();
});

test('after all of it the server is alive and sane, and it never answered 5xx', async () => {
	await assertHealthy();
	const c = new Client(env.server);
	await c.signIn('mroot');
	assert.equal((await c.get('/api/v1/users')).status, 200);
	const fivexx = env.server.accessLog().filter((l) => / status=5\d\d /.test(l));
	assert.deepEqual(fivexx, []);
	assert.ok(!/level=error|AddressSanitizer|runtime error/.test(env.server.log), env.server.log.slice(-2000));
});
