// import_parallel.test.mjs - two users' previews run side by side now (a preview
// holds no lock), and each must see its own file exactly: the category parser
// used strtok(), whose hidden state the other thread's parse overwrote, so rows of
// either file came out as "未知的人员类别：?…" (in about one run in two).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, cleanup, importRegions, initDb, idNumber } from './lib.mjs';

after(cleanup);

const ROUNDS = 5;

/** A CSV of n good people whose ID numbers start with area. */
function bigCsv(area, n = 10000) {
	const lines = ['姓名,身份证号,人员类别'];
	for (let i = 0; i < n; i++) {
		const birth = new Date(Date.UTC(1950, 0, 1) + i * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
		lines.push(`导入${area}-${i},${idNumber(`${area}${birth}101`)},退役军人`);
	}
	return lines.join('\r\n') + '\r\n';
}

const upload = (client, filename, text) => client.upload('/persons/import', filename, text);

async function finished(client, token) {
	for (;;) {
		const r = await client.get(`/persons/import/status?token=${token}`);
		assert.equal(r.status, 200, `${r}`);
		if (r.json.state === 'done' || r.json.state === 'failed') return r.json;
		await new Promise((resolve) => setTimeout(resolve, 30));
	}
}

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('two previews side by side each check their own file right, again and again', async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'par1', 'clerk', { org: '420199' });
	await addUser(db, 'par2', 'clerk', { org: '420199' });
	const server = await Server.start(db);
	const a = new Client(server);
	const b = new Client(server);
	await a.signIn('par1');
	await b.signIn('par2');
	const files = [bigCsv('420106'), bigCsv('420107')];
	const wrong = [];
	for (let k = 0; k < ROUNDS; k++) {
		const ups = await Promise.all([upload(a, 'a.csv', files[0]), upload(b, 'b.csv', files[1])]);
		const tokens = ups.map((u) => /token=([0-9a-f]{64})/.exec(u.headers.location ?? '')?.[1]);
		assert.ok(tokens[0] && tokens[1], `both run as jobs: ${ups.map(String)}`);
		for (const [c, t] of [[a, tokens[0]], [b, tokens[1]]]) {
			assert.equal((await finished(c, t)).state, 'done');
			const page = text((await c.get(`/persons/import/progress?token=${t}`)).body);
			assert.match(page, /将新增 10000 人/);
			const refused = /将拒绝 (\d+) 行/.exec(page)[1];
			if (refused !== '0') wrong.push(`round ${k}: ${(await c.get(`/persons/import/rejected?token=${t}`)).body.slice(0, 300)}`);
		}
	}
	await server.stop();
	assert.deepEqual(wrong, [], 'a preview refused good rows');
});
