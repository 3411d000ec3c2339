// search.test.mjs - the registry's search structures: part of a name of any
// length found through the name grams (kept by triggers through renames), and
// list totals from the kept counts equal to a count made directly in SQL after
// people move, change status and are renamed, for the bureau and for a station.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec } from './lib.mjs';

let env;
let clerk, station;

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 's_clerk', 'clerk', { org: '420199' });
	await addUser(db, 's_station', 'station', { org: '420199002' });
	env = { db, server: await Server.start(db) };
	clerk = new Client(env.server);
	station = new Client(env.server);
	await clerk.signIn('s_clerk');
	await station.signIn('s_station');
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const PEOPLE = [
	['王芳', '东湖街道', '建设社区'],
	['王小芳', '长青街道', '和平社区'],
	['张王', '长青街道', ''],
	['阿卜杜热合曼·买买提', '东湖街道', ''],
	['李', '长青街道', '和平社区'],
	['Ann O\'Neil', '', ''],
];

async function list(client, query) {
	const r = await client.get(`/api/v1/persons?${new URLSearchParams(query)}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json;
}
const names = (l) => l.items.map((p) => p.name).sort();
const send = (client, method, path, json) =>
	client.request(method, path, { json, headers: { 'X-CSRF-Token': client.csrf } });

test('part of a name, of one to many characters, at any place in the name', async () => {
	let seq = 300;
	for (const [name, street, community] of PEOPLE) {
		const r = await send(clerk, 'POST', '/api/v1/persons', {
			name,
			id_number: idNumber(`42010619750101${seq++}`),
			categories: '退役军人',
			street,
			community,
		});
		assert.equal(r.status, 201, `${name}: ${r}`);
	}
	const cases = [
		['王', ['王小芳', '王芳', '张王']],
		['芳', ['王小芳', '王芳']],
		['王芳', ['王芳']],
		['小芳', ['王小芳']],
		['王小芳', ['王小芳']],
		['李', ['李']],
		['买买提', ['阿卜杜热合曼·买买提']],
		['杜热合曼·买', ['阿卜杜热合曼·买买提']], /* longer than three: grams, then the rest */
		['热合曼X', []],
		["O'Neil", ["Ann O'Neil"]],
		['n', ["Ann O'Neil"]],
		['赵', []],
	];
	for (const [q, want] of cases) {
		const l = await list(clerk, { q });
		assert.deepEqual(names(l), [...want].sort(), `q=${q}`);
		assert.equal(l.total, want.length, `total for q=${q}`);
	}
	/* Pages of a name search keep the person order and the total. */
	const first = await list(clerk, { q: '王', per_page: '2', page: '1' });
	const second = await list(clerk, { q: '王', per_page: '2', page: '2' });
	assert.equal(first.total, 3);
	assert.equal(second.total, 3);
	const ids = [...first.items, ...second.items].map((p) => p.id);
	assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
	/* A station searches only its street. */
	assert.deepEqual(names(await list(station, { q: '王' })), ['张王', '王小芳'].sort());
	assert.deepEqual(names(await list(station, { q: '王', sort: '-name' })), ['张王', '王小芳'].sort());
});

test('a renamed person is found by the new name only', async () => {
	const [p] = (await list(clerk, { q: '王芳' })).items;
	const r = await send(clerk, 'PATCH', `/api/v1/persons/${p.id}`, { name: '钱多多' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal((await list(clerk, { q: '王芳' })).total, 0);
	assert.deepEqual(names(await list(clerk, { q: '多' })), ['钱多多']);
	const grams = sqlExec(env.db, `SELECT group_concat(gram, ' ') FROM (SELECT gram FROM person_name_grams WHERE person_id = ${p.id} ORDER BY gram) g;`);
	assert.equal(grams.trim().split(' ').sort().join(' '), ['钱', '多', '钱多', '多多'].sort().join(' '));
});

/* Each filter's total against a count made in SQL: the kept counts must follow every change. */
async function assertTotals() {
	const sql = (where) => Number(sqlExec(env.db, `SELECT count(*) FROM persons p WHERE ${where};`).trim());
	const checks = [
		[clerk, {}, 'TRUE'],
		[clerk, { street: '长青街道' }, "street_code = '420199002'"],
		[clerk, { street: '长青街道', community: '和平社区' }, "community_code = '420199002001'"],
		[clerk, { status: '死亡' }, "status = '死亡'"],
		[clerk, { street: '东湖街道', status: '在册' }, "street_code = '420199001' AND status = '在册'"],
		[station, {}, "substr(region_code, 1, 9) = '420199002'"],
		[station, { status: '在册' }, "substr(region_code, 1, 9) = '420199002' AND status = '在册'"],
		[station, { street: '东湖街道' }, 'FALSE'],
	];
	for (const [client, query, where] of checks) {
		const l = await list(client, query);
		assert.equal(l.total, sql(where), `${client === clerk ? 'clerk' : 'station'} ${JSON.stringify(query)}`);
		assert.ok(l.items.length <= l.total);
	}
}

test('list totals follow moves and status changes', async () => {
	await assertTotals();
	const [li] = (await list(clerk, { q: '李' })).items;
	/* Moved to the other street, then its status changed directly in the database
	 * (as a later area's batch would), then moved out of any street. */
	assert.equal((await send(clerk, 'PATCH', `/api/v1/persons/${li.id}`, { street: '东湖街道', community: '建设社区' })).status, 200);
	await assertTotals();
	sqlExec(env.db, `UPDATE persons SET status = '死亡', status_date = '2026-01-02' WHERE id = ${li.id};`);
	await assertTotals();
	assert.equal((await send(clerk, 'PATCH', `/api/v1/persons/${li.id}`, { street: '' })).status, 200);
	await assertTotals();
	assert.equal(Number(sqlExec(env.db, 'SELECT count(*) FROM person_counts WHERE n < 0;').trim()), 0);
});
