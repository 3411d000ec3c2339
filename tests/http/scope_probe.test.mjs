// scope_probe.test.mjs - what a station learns of an ID number registered in another
// street: every field is checked first; then it is told that the number is registered
// elsewhere and to ask the bureau (409, no name, no street, no person id: a failed save
// of a complete form in its own street would tell it that much anyway); each hit is
// audited and counted in the database, past 20 a day the user
// registers no one new (429, also after a restart), and the import preview counts
// such rows without naming them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Client, Server, addUser, cleanup, hasChinese, idNumber, importRegions, initDb, sqlExec, tempDir, vets } from './lib.mjs';

const ELSEWHERE = 25; /* people registered in 东湖街道, outside the stations' street */
const elsewhere = Array.from({ length: ELSEWHERE }, (_, i) => idNumber(`42010619600101${String(100 + i)}`));
const fresh = (i) => idNumber(`42010619700101${String(100 + i)}`); /* never registered */

let env;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	const file = path.join(tempDir('vets-probe-'), 'east.csv');
	writeFileSync(file, ['姓名,身份证号,人员类别,街道', ...elsewhere.map((id, i) => `东湖人员${i},${id},退役军人,东湖街道`)].join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	await Promise.all([
		addUser(db, 'pr_st1', 'station', { org: '420199002' }),
		addUser(db, 'pr_st2', 'station', { org: '420199002' }),
		addUser(db, 'pr_st3', 'station', { org: '420199002' }),
		addUser(db, 'pr_aud', 'auditor'),
	]);
	env = { db, server: await Server.start(db) };
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function signedIn(name) {
	const c = new Client(env.server);
	await c.signIn(name);
	return c;
}

const create = (c, fields) => c.request('POST', '/api/v1/persons', { json: fields, headers: { 'X-CSRF-Token': c.csrf } });
const hits = (user) => Number(sqlExec(env.db, `SELECT count(*) FROM person_scope_hits h JOIN users u ON u.id = h.user_id WHERE u.username = '${user}';`).trim());
const audits = (action) => Number(sqlExec(env.db, `SELECT count(*) FROM audit_log WHERE action = '${action}';`).trim());

test('an ID registered in another street is not told apart before every field is checked', async () => {
	const st = await signedIn('pr_st1');
	/* Only the number: the answer is the one a number nobody registered gets. */
	const probe = await create(st, { id_number: elsewhere[0] });
	const control = await create(st, { id_number: fresh(0) });
	assert.equal(probe.status, 400, `${probe}`);
	assert.equal(probe.status, control.status);
	assert.deepEqual(probe.json, control.json);
	assert.ok(!probe.body.includes('其他辖区'), probe.body);
	assert.equal(hits('pr_st1'), 0, 'an incomplete form is no hit');
});

test('a complete form with an ID registered elsewhere is told so, without whose it is, audited', async () => {
	const st = await signedIn('pr_st1');
	const before_ = audits('person.out_of_scope');
	/* A number registered in 东湖街道, the station's own street: */
	const probe = await create(st, { name: '探测', id_number: elsewhere[1], categories: '退役军人', street: '长青街道' });
	assert.equal(probe.status, 409, `${probe}`);
	assert.equal(probe.json.error.code, 'exists');
	assert.deepEqual(probe.json.error.fields.map((f) => f.field), ['身份证号']);
	assert.match(probe.json.error.message, /已在其他辖区登记.*请联系区局/);
	/* Nothing of the person it protects: no name, no street, no id. */
	const theirs = sqlExec(env.db, `SELECT id FROM persons WHERE name = '东湖人员1';`).trim();
	assert.ok(!('person_id' in probe.json.error), probe.body);
	assert.ok(!probe.body.includes('东湖') && !probe.body.includes(`编号 ${theirs}`), probe.body);
	/* A street outside the scope is a different refusal, on the street. */
	const outside = await create(st, { name: '探测', id_number: fresh(1), categories: '退役军人', street: '东湖街道' });
	assert.equal(outside.status, 400, `${outside}`);
	assert.deepEqual(outside.json.error.fields.map((f) => f.field), ['街道']);
	assert.equal(audits('person.out_of_scope'), before_ + 1);
	assert.equal(hits('pr_st1'), 1);
	/* Nothing was written, and the person in 东湖街道 is unchanged. */
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM persons WHERE name = '探测';").trim(), '0');
	const aud = await signedIn('pr_aud');
	const r = await aud.get('/api/v1/audit?per_page=50&action=person.out_of_scope');
	assert.equal(r.status, 200, `${r}`);
	assert.ok(r.json.items.some((i) => i.actor === 'pr_st1' && i.result === 'denied'), JSON.stringify(r.json.items.slice(0, 3)));
});

const upload = (client, filename, text) => client.upload('/persons/import', filename, text);
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('the import preview counts the rows registered elsewhere without naming them', async () => {
	const st = await signedIn('pr_st2');
	const rows = [
		`本街甲,${fresh(10)},退役军人,长青街道`, // row 2
		`探测乙,${elsewhere[2]},退役军人,长青街道`, // row 3: registered in 东湖街道
		`本街丙,${fresh(11)},退役军人,长青街道`, // row 4
		`探测丁,${elsewhere[3]},退役军人,长青街道`, // row 5: registered in 东湖街道
		`外街戊,${fresh(12)},退役军人,东湖街道`, // row 6: a street outside the scope, named
	];
	const r = await upload(st, 'mixed.csv', ['姓名,身份证号,人员类别,街道', ...rows].join('\r\n') + '\r\n');
	assert.equal(r.status, 200, `${r}`);
	const t = text(r.body);
	assert.match(t, /将新增 2 人/);
	assert.match(t, /将拒绝 1 行/);
	assert.match(t, /2 行的身份证号不在本辖区，未导入/);
	/* Row 6 is named (its street is the station's own choice); rows 3 and 5 are not. */
	assert.match(r.body, /<td>6<\/td>/);
	assert.ok(!/<td>[35]<\/td>/.test(r.body), 'a row registered elsewhere is named');
	assert.ok(!r.body.includes('探测乙') && !r.body.includes('探测丁'));
	const token = /name="token" value="([0-9a-f]{64})"/.exec(r.body)[1];
	const csv = await st.get(`/persons/import/rejected?token=${token}`);
	assert.equal(csv.status, 200);
	assert.deepEqual(csv.body.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]), ['外街戊']);
	assert.equal(hits('pr_st2'), 2, 'the preview\'s hits count');
	/* The import says the same, and adds no hit for the numbers already counted. */
	const done = await st.postForm('/persons/import/confirm', { token });
	assert.equal(done.status, 303, `${done}`);
	assert.equal(hits('pr_st2'), 2);
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM persons WHERE name LIKE '本街%';").trim(), '2');
});

test('past 20 numbers registered elsewhere in a day, no one new is registered: 429, also after a restart', async () => {
	let st = await signedIn('pr_st3');
	const own = await create(st, { name: '本街己', id_number: fresh(20), categories: '退役军人', street: '长青街道' });
	assert.equal(own.status, 201, `${own}`);
	for (let i = 0; i < 20; i++) {
		const r = await create(st, { name: '探测', id_number: elsewhere[i], categories: '退役军人', street: '长青街道' });
		assert.equal(r.status, 409, `hit ${i + 1}: ${r}`);
	}
	/* The same number again is no new hit. */
	assert.equal((await create(st, { name: '探测', id_number: elsewhere[0], categories: '退役军人', street: '长青街道' })).status, 429);
	assert.equal(hits('pr_st3'), 20);
	const limited = await create(st, { name: '探测', id_number: elsewhere[21], categories: '退役军人', street: '长青街道' });
	assert.equal(limited.status, 429, `${limited}`);
	assert.ok(hasChinese(limited.json.error.message), limited.body);
	/* A number nobody registered gets the same answer now: nothing tells them apart. */
	const newcomer = await create(st, { name: '新人', id_number: fresh(21), categories: '退役军人', street: '长青街道' });
	assert.equal(newcomer.status, 429);
	assert.deepEqual(newcomer.json, limited.json);
	assert.ok(audits('person.scope_limit') >= 2);
	/* The station's own people can still be edited. */
	const edit = await st.request('PATCH', `/api/v1/persons/${own.json.id}`, { json: { address: '长青路 1 号' }, headers: { 'X-CSRF-Token': st.csrf } });
	assert.equal(edit.status, 200, `${edit}`);
	/* An import is refused at once. */
	const up = await st.refused(await upload(st, 'more.csv', `姓名,身份证号,人员类别,街道\r\n新人,${fresh(22)},退役军人,长青街道\r\n`));
	assert.ok(up.body.includes('今日登记的身份证号中不在本辖区的已达上限'), 'says why');
	/* The count is in the database: a restart forgets nothing. */
	await env.server.stop();
	env.server = await Server.start(env.db);
	st = await signedIn('pr_st3');
	const again = await create(st, { name: '探测', id_number: elsewhere[22], categories: '退役军人', street: '长青街道' });
	assert.equal(again.status, 429, `${again}`);
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM persons WHERE name IN ('探测', '新人');").trim(), '0');
	const v = await vets(['audit', 'verify', '--db', env.db]);
	assert.equal(v.code, 0, v.stderr);
});
