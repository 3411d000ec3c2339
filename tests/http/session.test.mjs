// session.test.mjs - signing in and out, lockout, temporary passwords, the
// password policy, and the idle timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	Client,
	Server,
	PASSWORD,
	addUser,
	assertApiError,
	auditRows,
	cleanup,
	freshServer,
	hasChinese,
	now,
} from './lib.mjs';

let env; /* the shared server: {db, server} */

before(async () => {
	env = await freshServer([
		['alice', 'sysadmin'],
		['temp1', 'sysadmin', { temporary: true }],
		['pwuser', 'clerk'],
	]);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('POST /api/v1/session signs in: csrf, user, and an HttpOnly SameSite=Strict cookie', async () => {
	const c = new Client(env.server);
	const r = await c.login('alice');
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.headers['content-type'], /^application\/json/);
	assert.deepEqual(Object.keys(r.json).sort(), ['csrf', 'user']);
	assert.match(r.json.csrf, /^[0-9a-f]{64}$/);
	assert.equal(r.json.user.username, 'alice');
	assert.deepEqual(
		r.json.user.roles.map((x) => x.name),
		['sysadmin'],
	);
	assert.equal(r.json.user.must_change_password, false);
	const cookie = r.cookie('vets_session');
	assert.ok(cookie, 'no vets_session cookie');
	assert.match(cookie.value, /^[0-9a-f]{64}$/);
	assert.equal(cookie.attrs.httponly, true);
	assert.equal(cookie.attrs.samesite, 'Strict');
	assert.equal(cookie.attrs.path, '/');
	/* The password never comes back, and the cookie is not the CSRF token. */
	assert.ok(!r.body.includes(PASSWORD));
	assert.notEqual(cookie.value, r.json.csrf);
	const me = await c.get('/api/v1/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.user.username, 'alice');
});

test('a wrong password and an unknown user get the same 401 with a Chinese message', async () => {
	const c = new Client(env.server);
	const wrong = await c.login('alice', 'Wrong#pass123');
	const e1 = assertApiError(wrong, 401, 'unauthorized');
	assert.equal(wrong.cookie('vets_session'), undefined);
	const unknown = await c.login('nobody', PASSWORD);
	const e2 = assertApiError(unknown, 401, 'unauthorized');
	assert.deepEqual(e1, e2, 'an unknown user must not be told apart from a wrong password');
	assert.equal(unknown.cookie('vets_session'), undefined);
	/* Neither signed anybody in. */
	assertApiError(await c.get('/api/v1/me'), 401, 'unauthorized');
	/* A successful login resets the failure count, so alice is not locked by this test. */
	await c.signIn('alice');
});

test('a login without JSON, or with missing fields, is refused without signing in', async () => {
	const c = new Client(env.server);
	const form = await c.request('POST', '/api/v1/session', { form: { username: 'alice', password: PASSWORD } });
	assertApiError(form, 415);
	const missing = await c.request('POST', '/api/v1/session', { json: { username: 'alice' } });
	assertApiError(missing, 400, 'invalid_parameter');
	assert.match(missing.json.error.message, /密码/);
	assertApiError(await c.get('/api/v1/me'), 401);
});

test('DELETE /api/v1/session needs the CSRF token; then the session is gone', async () => {
	const c = new Client(env.server);
	await c.signIn('alice');
	const sid = c.jar.get('vets_session');
	const noToken = await c.request('DELETE', '/api/v1/session');
	assertApiError(noToken, 403, 'csrf');
	const badToken = await c.request('DELETE', '/api/v1/session', { headers: { 'X-CSRF-Token': '0'.repeat(64) } });
	assertApiError(badToken, 403, 'csrf');
	/* Still signed in after the refused attempts. */
	assert.equal((await c.get('/api/v1/me')).status, 200);
	const out = await c.logout();
	assert.equal(out.status, 204, `${out}`);
	const cleared = out.cookie('vets_session');
	assert.ok(cleared && (cleared.value === '' || cleared.attrs['max-age'] === '0'), 'cookie not cleared');
	/* The old cookie, sent again, no longer works. */
	const again = await c.get('/api/v1/me', { headers: { Cookie: `vets_session=${sid}` } });
	assertApiError(again, 401, 'unauthorized');
	const page = await c.get('/users', { headers: { Cookie: `vets_session=${sid}` } });
	assert.equal(page.status, 303);
	assert.equal(page.headers.location, '/login');
});

test('POST /logout (form) ends the session and sends the browser to /login', async () => {
	const c = new Client(env.server);
	await c.signIn('alice');
	const sid = c.jar.get('vets_session');
	const noToken = await c.postForm('/logout', {}, { csrf: false });
	assert.equal(noToken.status, 403);
	const r = await c.postForm('/logout');
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, '/login');
	const again = await c.get('/api/v1/me', { headers: { Cookie: `vets_session=${sid}` } });
	assertApiError(again, 401);
});

test('five wrong passwords lock the account (423 even with the right one) until the lock time passes', async () => {
	const { db, server } = await freshServer([['locky', 'clerk']]);
	let later;
	try {
		const c = new Client(server);
		const t0 = now();
		for (let i = 1; i <= 4; i++) assertApiError(await c.login('locky', `Wrong#pass${i}`), 401, 'unauthorized');
		/* The fifth failure locks. */
		const fifth = await c.login('locky', 'Wrong#pass5');
		assertApiError(fifth, 423, 'locked');
		const t1 = now();
		const right = await c.login('locky');
		const err = assertApiError(right, 423, 'locked');
		assert.equal(right.cookie('vets_session'), undefined);
		/* The message says until when (Beijing time, to the minute): 30 minutes from now. */
		const m = err.message.match(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/);
		assert.ok(m, `no time in: ${err.message}`);
		const until = Date.parse(`${m[1].replace(' ', 'T')}:00+08:00`) / 1000;
		assert.ok(until >= t0 + 30 * 60 - 60 && until <= t1 + 30 * 60, `lock until ${m[1]} is not ~30 minutes on`);
		assert.match(err.message, /锁定/);
		await server.stop();

		/* 31 minutes later the right password works again. */
		later = await Server.start(db, { fakeNow: now() + 31 * 60 });
		const c2 = new Client(later);
		const ok = await c2.login('locky');
		assert.equal(ok.status, 200, `${ok}`);
		/* And the failure count starts again from zero: one wrong password is a plain 401. */
		assertApiError(await c2.login('locky', 'Wrong#again1'), 401, 'unauthorized');
		assert.equal((await c2.login('locky')).status, 200);
		await later.stop();
	} finally {
		if (server.alive) await server.stop();
		if (later?.alive) await later.stop();
	}
});

test('a temporary password: signed in, but nothing but the password change until it is changed', async () => {
	const c = new Client(env.server);
	const r = await c.signIn('temp1');
	assert.equal(r.json.user.must_change_password, true);
	/* The API refuses, with its own code. */
	assertApiError(await c.get('/api/v1/users'), 403, 'password_change_required');
	/* A page sends the browser to /password. */
	const page = await c.get('/users');
	assert.equal(page.status, 303);
	assert.equal(page.headers.location, '/password');
	const home = await c.get('/');
	assert.equal(home.status, 303);
	assert.equal(home.headers.location, '/password');
	/* What stays open: the password page, /api/v1/me. */
	assert.equal((await c.get('/password')).status, 200);
	const me = await c.get('/api/v1/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.user.must_change_password, true);

	/* Without the csrf field the change is refused. */
	const fresh = 'Nw5$tRk8Yq';
	const noCsrf = await c.postForm(
		'/password',
		{ old_password: PASSWORD, new_password: fresh, confirm_password: fresh },
		{ csrf: false },
	);
	assert.equal(noCsrf.status, 403);
	assertApiError(await c.get('/api/v1/users'), 403, 'password_change_required');

	const changed = await c.postForm('/password', { old_password: PASSWORD, new_password: fresh, confirm_password: fresh });
	assert.equal(changed.status, 303, `${changed}`);
	assert.equal(changed.headers.location, '/');
	/* The same session may now go everywhere its role allows. */
	const users = await c.get('/api/v1/users');
	assert.equal(users.status, 200, `${users}`);
	assert.ok(users.json.items.some((u) => u.username === 'temp1' && u.must_change === false));
	assert.equal((await c.get('/users')).status, 200);
	assert.equal((await c.get('/api/v1/me')).json.user.must_change_password, false);
	/* And the new password is the one that signs in. */
	const other = new Client(env.server);
	assertApiError(await other.login('temp1', PASSWORD), 401);
	assert.equal((await other.login('temp1', fresh)).status, 200);
});

test('the password policy: too short, two kinds, the username, reuse — refused in Chinese, nothing changed', async () => {
	const c = new Client(env.server);
	await c.signIn('pwuser');
	let current = PASSWORD;
	const change = (old_password, pw, confirm = pw) =>
		c.postForm('/password', { old_password, new_password: pw, confirm_password: confirm });
	const refused = async (pw, message, old = current, confirm = pw) => {
		/* Back to the form (POST/redirect/GET) with why, on a refresh too; no password typed
		 * was kept (flash.h): the page shows none of them. */
		const sent = await change(old, pw, confirm);
		assert.match(sent.headers.location ?? '', /^\/password\?form=[0-9a-f]{32}$/, `${pw}: ${sent}`);
		const r = await c.refused(sent);
		for (const page of [r, await c.get(sent.headers.location)]) {
			assert.equal(page.status, 200, `${pw}: ${page}`);
			assert.ok(page.body.includes(message), `${pw}: expected “${message}” in ${page.body.slice(0, 3000)}`);
			for (const typed of [old, pw, confirm]) assert.ok(!page.body.includes(typed), `${pw}: a password typed is on the page`);
		}
		return r;
	};
	await refused('Ab1#xyz', '密码至少需要 8 个字符');
	await refused('abcdefgh123', '至少三类');
	await refused('ABCDEFGH!!!', '至少三类');
	await refused('Xpwuser#12', '密码不能包含用户名');
	await refused('XPWUSER#ab12', '密码不能包含用户名');
	await refused(current, '新密码不能与原密码相同');
	await refused('Nw5$tRk8Yq', '原密码不正确', 'Wrong#pass99');
	await refused('Nw5$tRk8Yq', '两次输入的新密码不一致', current, 'Nw5$tRk8Yz');

	/* Five changes: history now holds PASSWORD and these five. */
	const history = ['Hs1#aaaaaa', 'Hs2#bbbbbb', 'Hs3#cccccc', 'Hs4#dddddd', 'Hs5#eeeeee'];
	for (const pw of history) {
		const r = await change(current, pw);
		assert.equal(r.status, 303, `${pw}: ${r}`);
		current = pw;
	}
	/* The last five (the current one included) may not be used again: the oldest of them
	 * and one in the middle… */
	for (const pw of [history[0], history[2]]) await refused(pw, '新密码不能与最近 5 次使用过的密码相同');
	/* …and each refusal changed nothing: the current password still signs in. */
	const other = new Client(env.server);
	assert.equal((await other.login('pwuser', current)).status, 200);
	/* The sixth back is allowed again. */
	const r = await change(current, PASSWORD);
	assert.equal(r.status, 303, `${r}`);
	assert.equal((await new Client(env.server).login('pwuser', PASSWORD)).status, 200);
});

test('an idle session ends after 30 minutes: 401, and a session.timeout audit record', async () => {
	const { db, server } = await freshServer([
		['idler', 'clerk'],
		['aud1', 'auditor'],
	]);
	let later;
	try {
		const c = new Client(server);
		await c.signIn('idler');
		assert.equal((await c.get('/api/v1/me')).status, 200);
		await server.stop();

		later = await Server.start(db, { fakeNow: now() + 31 * 60 });
		c.server = later;
		const r = await c.get('/api/v1/me');
		const err = assertApiError(r, 401, 'unauthorized');
		assert.match(err.message, /超时/);
		/* The session was deleted, not only refused: a second try is a plain 401. */
		const again = await c.get('/api/v1/me');
		const err2 = assertApiError(again, 401, 'unauthorized');
		assert.doesNotMatch(err2.message, /超时/);

		const auditor = new Client(later);
		await auditor.signIn('aud1');
		const rows = await auditRows(auditor, { action: 'session.timeout' });
		assert.equal(rows.length, 1, JSON.stringify(rows));
		assert.equal(rows[0].action, 'session.timeout');
		assert.equal(rows[0].actor, 'idler');
		assert.ok(hasChinese(rows[0].detail));
		await later.stop();
	} finally {
		if (server.alive) await server.stop();
		if (later?.alive) await later.stop();
	}
});

test('an idle page session is sent to /login with a message', async () => {
	const { db, server } = await freshServer([['idle2', 'sysadmin']]);
	let later;
	try {
		const c = new Client(server);
		await c.signIn('idle2');
		assert.equal((await c.get('/users')).status, 200);
		await server.stop();
		later = await Server.start(db, { fakeNow: now() + 31 * 60 });
		c.server = later;
		const r = await c.get('/users');
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/login');
		const login = await c.get('/login');
		assert.equal(login.status, 200);
		assert.ok(login.body.includes('会话已超时，请重新登录'), 'the login page does not say why');
		await later.stop();
	} finally {
		if (server.alive) await server.stop();
		if (later?.alive) await later.stop();
	}
});

test('a session younger than the idle time survives a restart', async () => {
	/* The other half of the idle rule: 10 minutes idle is fine. */
	const c = new Client(env.server);
	await c.signIn('alice');
	await env.server.stop();
	env.server = await Server.start(env.db, { fakeNow: now() + 10 * 60 });
	c.server = env.server;
	const r = await c.get('/api/v1/me');
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.user.username, 'alice');
});

test('a user added while the server runs can sign in', async () => {
	await addUser(env.db, 'latecomer', 'leader');
	const c = new Client(env.server);
	const r = await c.signIn('latecomer');
	assert.deepEqual(
		r.json.user.roles.map((x) => x.name),
		['leader'],
	);
});
