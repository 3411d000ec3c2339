// separation.test.mjs - regressions from the security review: 三员分立 holds for passwords,
// uploads are refused before their bodies are read, station codes are region codes,
// out-of-scope ID numbers name no one, and cut Chinese text never breaks a JSON answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, cleanup, idNumber, importRegions, initDb, rawSend, Server, sqlExec } from './lib.mjs';

let env;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	for (const [name, role, org] of [
		['sys1', 'sysadmin', '420199'],
		['sec1', 'secadmin', '420199'],
		['aud1', 'auditor', '420199'],
		['clerk1', 'clerk', '420199'],
		['east1', 'station', '420199001'],
	])
		await addUser(db, name, role, { org });
	env = { db, server: await Server.start(db) };
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('the system administrator cannot set another administrator\'s password or disable them', async () => {
	const sys = new Client(env.server);
	await sys.signIn('sys1');
	const secId = sqlExec(env.db, "SELECT id FROM users WHERE username = 'sec1';").trim();
	const hashBefore = sqlExec(env.db, `SELECT password_hash FROM users WHERE id = ${secId};`);
	const reset = await sys.postForm(`/users/${secId}/password`, { password: 'Take0ver!now' });
	assert.equal(reset.status, 403, String(reset));
	assert.match(reset.body, /三员/);
	const disable = await sys.postForm(`/users/${secId}`, { display_name: 'x', org_code: '420199', disabled: '1' });
	assert.equal(disable.status, 403, String(disable));
	assert.equal(sqlExec(env.db, `SELECT password_hash FROM users WHERE id = ${secId};`), hashBefore);
	assert.equal(sqlExec(env.db, `SELECT disabled FROM users WHERE id = ${secId};`).trim(), '0');
});

test('an upload from someone who may not send it is refused before its body is read', async () => {
	/* Declares 40 MB and sends none of it: the answer must come at once. */
	const head = `POST /persons/import HTTP/1.1\r\nHost: 127.0.0.1:${env.server.port}\r\n` +
		'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 41943040\r\n\r\n';
	const anon = await rawSend(env.server.port, head);
	assert.equal(anon.status, 401, anon.text);
	const aud = new Client(env.server);
	await aud.signIn('aud1');
	const withCookie = head.replace('\r\n\r\n', `\r\nCookie: ${aud.cookieHeader()}\r\n\r\n`);
	const refused = await rawSend(env.server.port, withCookie);
	assert.equal(refused.status, 403);
});

test('a service station\'s code is the region code of its street or community', async () => {
	const sys = new Client(env.server);
	await sys.signIn('sys1');
	for (const [code, kind, parent] of [
		['4', 'street', '420199'],
		['42019', 'street', '420199'],
		['420288001', 'street', '420199'],
		['420199002001', 'community', '420199001'],
	]) {
		const r = await sys.refused(await sys.postForm('/orgs', { parent_code: parent, code, name: '伪造服务站', kind }));
		assert.match(r.body, /区划代码/);
	}
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM orgs WHERE name = '伪造服务站';").trim(), '0');
});

test('an ID number registered outside the caller\'s scope names no one', async () => {
	const clerk = new Client(env.server);
	await clerk.signIn('clerk1');
	const id = idNumber('42010619800101123');
	const made = await clerk.request('POST', '/api/v1/persons', {
		headers: { 'X-CSRF-Token': clerk.csrf },
		json: { name: '长青人', id_number: id, categories: '退役军人', street: '长青街道' },
	});
	assert.equal(made.status, 201, String(made));
	const east = new Client(env.server);
	await east.signIn('east1');
	const again = await east.request('POST', '/api/v1/persons', {
		headers: { 'X-CSRF-Token': east.csrf },
		json: { name: '东湖人', id_number: id, categories: '退役军人', street: '东湖街道' },
	});
	assert.ok(again.status >= 400 && again.status < 500, String(again));
	assert.doesNotMatch(again.body, new RegExp(`人员编号|${made.json.id}\\b`));
	assert.doesNotMatch(again.body, /长青/);
});

test('a long Chinese value cut in a message still gives valid JSON', async () => {
	const clerk = new Client(env.server);
	await clerk.signIn('clerk1');
	const r = await clerk.request('POST', '/api/v1/persons', {
		headers: { 'X-CSRF-Token': clerk.csrf },
		json: { name: '某人', id_number: idNumber('42010619800101124'), categories: '退役军人', street: '一二三四五六七八九十一二三四' },
	});
	assert.equal(r.status, 400, String(r));
	assert.equal(r.json.error.fields[0].field, '街道');
});
