// denied.test.mjs - a signed-in user's request for a function their roles do not hold
// is refused and leaves an audit record naming the route, never the values in its path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, cleanup, initDb, importRegions, rawSend, Server, sqlExec } from './lib.mjs';

let env;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'east1', 'station', { org: '420199001' });
	await addUser(db, 'aud1', 'auditor', { org: '420199' });
	env = { db, server: await Server.start(db) };
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function denials(user) {
	return sqlExec(env.db, `SELECT object || '|' || result FROM audit_log WHERE action = 'access.denied' ` +
		`AND actor = '${user}' ORDER BY seq;`).trim().split('\n').filter(Boolean);
}

test('a refused page, API call and form are each audited with their route', async () => {
	const station = new Client(env.server);
	await station.signIn('east1');
	assert.deepEqual(denials('east1'), []);
	const page = await station.get('/users/7');
	assert.equal(page.status, 403, String(page));
	const api = await station.get('/api/v1/users');
	assert.equal(api.status, 403, String(api));
	const form = await station.postForm('/policy', { min_length: '8' });
	assert.equal(form.status, 403, String(form));
	assert.deepEqual(denials('east1'), ['GET /users/{id}|denied', 'GET /api/v1/users|denied', 'POST /policy|denied']);
});

test('an upload refused before its body is read is audited too', async () => {
	const aud = new Client(env.server);
	await aud.signIn('aud1');
	const head = `POST /persons/import HTTP/1.1\r\nHost: 127.0.0.1:${env.server.port}\r\n` +
		'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 41943040\r\n' +
		`Cookie: ${aud.cookieHeader()}\r\n\r\n`;
	const refused = await rawSend(env.server.port, head);
	assert.equal(refused.status, 403);
	assert.deepEqual(denials('aud1'), ['POST /persons/import|denied']);
});

test('an anonymous request is not an access-control record: it is asked to sign in', async () => {
	const anon = new Client(env.server);
	const r = await anon.get('/users');
	assert.notEqual(r.status, 200);
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND actor = '';").trim(), '0');
});
