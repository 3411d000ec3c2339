// privacy.test.mjs - what the registry lets out besides its audited full view: the
// masked ID hides exactly the birth date, so no list, page, API answer, sort or refusal
// shows or narrows the birth date (age instead); a search by a whole ID or phone number
// is audited (the number masked) and limited per user and day (429 past it); a full
// export's audit record names its filter and the number of people (its purpose:
// export_purpose.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	Client,
	Server,
	addUser,
	assertApiError,
	auditRows,
	cleanup,
	hasChinese,
	idNumber,
	importRegions,
	initDb,
	maskId,
	sqlExec,
	tempDir,
	vets,
} from './lib.mjs';

/* 2026-06-15 12:00 in Beijing: ages below are as of that day. */
const NOW = Date.UTC(2026, 5, 15, 4) / 1000;
const DAY = 86400;
const LIMIT = 200; /* PERSON_FULL_SEARCHES_PER_DAY */

/* Registered in this order (so ids ascend): 甲 and 乙 are both 45, 甲 born first. */
const PEOPLE = [
	{ name: '甲', birth: '1980-07-01', id: idNumber('42010619800701013'), phone: '13811110001', age: 45, street: '长青街道' },
	{ name: '乙', birth: '1981-05-01', id: idNumber('42010619810501024'), phone: '13811110002', age: 45, street: '长青街道' },
	{ name: '丙', birth: '1990-01-01', id: idNumber('42010619900101035'), phone: '13811110003', age: 36, street: '东湖街道' },
	{ name: '丁', birth: '1950-12-31', id: idNumber('42010619501231046'), phone: '13811110004', age: 75, street: '东湖街道' },
];

let env; /* {db, server} */
let clerk;
let clerk2;
let aud;

async function start(fakeNow) {
	env.server = await Server.start(env.db, { fakeNow });
	clerk = new Client(env.server);
	clerk2 = new Client(env.server);
	aud = new Client(env.server);
	await clerk.signIn('v_clerk');
	await clerk2.signIn('v_clerk2');
	await aud.signIn('v_aud');
}

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'v_clerk', 'clerk', { org: '420199' });
	await addUser(db, 'v_clerk2', 'clerk', { org: '420199' });
	await addUser(db, 'v_aud', 'auditor');
	env = { db };
	await start(NOW);
	for (const p of PEOPLE) {
		const r = await clerk.request('POST', '/api/v1/persons', {
			json: { name: p.name, id_number: p.id, categories: '退役军人', phone: p.phone, street: p.street },
			headers: { 'X-CSRF-Token': clerk.csrf },
		});
		assert.equal(r.status, 201, `${r}`);
		p.pid = r.json.id;
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

/** The forms a birth date could take in a page or an answer. */
function birthForms(birth) {
	const [y, m, d] = birth.split('-');
	return [birth, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}/${m}/${d}`];
}

function assertNoBirthDate(body, where) {
	for (const p of PEOPLE)
		for (const form of birthForms(p.birth)) assert.ok(!body.includes(form), `${p.name}'s birth date (${form}) in ${where}`);
}

async function apiList(client, query) {
	const r = await client.get(`/api/v1/persons?${new URLSearchParams(query)}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json;
}

test('no list, page, search result or API answer shows a birth date; they show age', async () => {
	const pages = ['/persons', `/persons?q=${encodeURIComponent('甲')}`, `/persons?q=${PEOPLE[0].id}`, '/persons?sort=age', '/persons?sort=-age', `/persons?street=${encodeURIComponent('长青街道')}`];
	for (const p of PEOPLE) pages.push(`/persons/${p.pid}`, `/persons/${p.pid}/edit`);
	for (const url of pages) {
		const r = await clerk.get(url);
		assert.equal(r.status, 200, `${url}: ${r}`);
		/* The search box keeps what was typed: only the rest of the page counts. */
		assertNoBirthDate(r.body.replaceAll(PEOPLE[0].id, ''), url);
	}
	const all = await apiList(clerk, {});
	assertNoBirthDate(JSON.stringify(all), '/api/v1/persons');
	for (const p of PEOPLE) {
		const item = all.items.find((x) => x.id === p.pid);
		assert.equal(item.age, p.age, p.name);
		assert.equal(item.id_number, maskId(p.id));
		assert.ok(!('birth_date' in item), JSON.stringify(item));
		for (const q of [p.id, p.phone]) {
			const found = await apiList(clerk, { q });
			assert.deepEqual(found.items.map((x) => x.name), [p.name]);
			assertNoBirthDate(JSON.stringify(found), `search ${q}`);
		}
		const one = await clerk.get(`/api/v1/persons/${p.pid}`);
		assert.equal(one.status, 200);
		assert.equal(one.json.age, p.age);
		assert.ok(!('birth_date' in one.json));
		assertNoBirthDate(one.body, `/api/v1/persons/${p.pid}`);
	}
	/* The history of a change shows no birth date either. */
	const r = await clerk.request('PATCH', `/api/v1/persons/${PEOPLE[0].pid}`, {
		json: { address: '长青路 1 号' },
		headers: { 'X-CSRF-Token': clerk.csrf },
	});
	assert.equal(r.status, 200, `${r}`);
	assert.ok(r.json.history.length >= 1);
	assertNoBirthDate(r.body, 'the history');

	/* The audited full view is where the birth date is. */
	const full = await clerk.postForm(`/persons/${PEOPLE[0].pid}/reveal`, {});
	assert.equal(full.status, 200);
	assert.ok(full.body.includes(PEOPLE[0].birth));
});

test('sorting by age orders by whole years, then by registration: never by birth date', async () => {
	const byAge = await apiList(clerk, { sort: 'age' });
	/* 甲 (born 1980-07-01) and 乙 (1981-05-01) are both 45: in the order they were registered. */
	assert.deepEqual(byAge.items.map((x) => x.name), ['丙', '甲', '乙', '丁']);
	const byAgeDesc = await apiList(clerk, { sort: '-age' });
	assert.deepEqual(byAgeDesc.items.map((x) => x.name), ['丁', '甲', '乙', '丙']);
	/* With a filter that leaves two people of one age: the order tells nothing. */
	const street = await apiList(clerk, { sort: 'age', street: '长青街道' });
	assert.deepEqual(street.items.map((x) => x.name), ['甲', '乙']);
	/* The old sort by birth date is gone: it falls back to the default order. */
	const birth = await apiList(clerk, { sort: 'birth' });
	assert.deepEqual(birth.items.map((x) => x.name), ['甲', '乙', '丙', '丁']);
	const page = await clerk.get('/persons');
	assert.ok(!page.body.includes('value="birth"') && page.body.includes('value="age"'));
});

test('a refused status date does not name the birth date', async () => {
	const yi = PEOPLE[1];
	const r = await clerk.request('POST', `/api/v1/persons/${yi.pid}/status`, {
		json: { status: '迁出', date: '1980-12-31', reason: '迁往外地' },
		headers: { 'X-CSRF-Token': clerk.csrf },
	});
	assertApiError(r, 400);
	assert.ok(hasChinese(r.json.error.message));
	assertNoBirthDate(r.body, 'the refusal');
	const still = await clerk.get(`/api/v1/persons/${yi.pid}`);
	assert.equal(still.json.status, '在册');
});

test('searches by a whole number: each audited masked; the 201st of a day is 429, audited, changes nothing', async () => {
	const db = env.db;
	const done = () =>
		Number(sqlExec(db, "SELECT count(*) FROM audit_log WHERE action = 'person.search_full' AND actor = 'v_clerk' AND result = 'ok';").trim());
	const first = done(); /* the searches of the first test */
	assert.ok(first > 0 && first < LIMIT);
	for (let i = first; i < LIMIT; i++) {
		const p = PEOPLE[i % PEOPLE.length];
		/* IDs and phones, registered or not, through the API and the page alike. */
		const q = i % 3 === 0 ? p.id : i % 3 === 1 ? p.phone : `1390000${String(i).padStart(4, '0')}`;
		const r = i % 2 ? await clerk.get(`/api/v1/persons?q=${q}`) : await clerk.get(`/persons?q=${q}`);
		assert.equal(r.status, 200, `search ${i + 1}: ${r}`);
	}
	assert.equal(done(), LIMIT);

	const refused = await clerk.get(`/api/v1/persons?q=${PEOPLE[0].id}`);
	assertApiError(refused, 429);
	assert.match(refused.json.error.message, /200 次/);
	assert.ok(!refused.body.includes(PEOPLE[0].name), 'a refusal answers nothing');
	const page = await clerk.get(`/persons?q=${PEOPLE[1].phone}`);
	assert.equal(page.status, 429);
	assert.ok(hasChinese(page.body) && !page.body.includes(PEOPLE[1].name));
	assert.equal(done(), LIMIT, 'a refusal does not count as a search');

	/* Each search and each refusal is in the audit trail, with the number masked. */
	const rows = sqlExec(db, "SELECT result || '|' || detail FROM audit_log WHERE action = 'person.search_full' AND actor = 'v_clerk';")
		.trim()
		.split('\n');
	assert.equal(rows.filter((x) => x.startsWith('ok|')).length, LIMIT);
	assert.equal(rows.filter((x) => x.startsWith('refused|')).length, 2);
	assert.ok(rows.some((x) => x.includes(maskId(PEOPLE[0].id))), rows.slice(0, 5).join('\n'));
	assert.ok(rows.some((x) => x.includes('138****0002')));
	for (const p of PEOPLE) assert.ok(!rows.some((x) => x.includes(p.id) || x.includes(p.phone)), `${p.name}'s full number audited`);
	const viaApi = await auditRows(aud, { action: 'person.search_full', actor: 'v_clerk' });
	assert.ok(viaApi.some((x) => x.result === 'refused'));

	/* So does an export filtered by a whole number. */
	const exp = await clerk.get(`/persons/export?${new URLSearchParams({ q: PEOPLE[2].id, format: 'csv' })}`);
	assert.equal(exp.status, 429);
	assert.ok(hasChinese(exp.body) && !exp.body.includes(PEOPLE[2].id));

	/* Registering a relative by a whole ID number answers the same question: it counts too. */
	const family = (client) =>
		client.request('POST', `/api/v1/persons/${PEOPLE[0].pid}/family`, {
			json: { id_number: PEOPLE[1].id, relation: '兄弟姐妹' },
			headers: { 'X-CSRF-Token': client.csrf },
		});
	const link = await family(clerk);
	assertApiError(link, 429);
	assert.ok(hasChinese(link.json.error.message));
	assert.equal(sqlExec(db, 'SELECT count(*) FROM family_links;').trim(), '0');
	assert.equal(
		sqlExec(db, "SELECT count(*) FROM audit_log WHERE action = 'person.search_full' AND actor = 'v_clerk' AND result = 'refused';").trim(),
		'4',
	);

	/* A search by name is not limited; another user has an allowance of their own. */
	assert.equal((await apiList(clerk, { q: '甲' })).total, 1);
	assert.equal((await apiList(clerk2, { q: PEOPLE[0].id })).total, 1);
	assert.equal((await family(clerk2)).status, 201);
	assert.equal(
		sqlExec(db, "SELECT count(*) FROM audit_log WHERE action = 'person.search_full' AND actor = 'v_clerk2' AND result = 'ok';").trim(),
		'2',
	);

	/* The next day (Beijing time) the allowance is new. */
	await env.server.stop();
	await start(NOW + DAY);
	assert.equal((await apiList(clerk, { q: PEOPLE[0].id })).total, 1);
});

test('a full export is audited with its filter and the number of people, on the web and at the command line', async () => {
	const full = (filter) => clerk.postForm('/persons/export/full', { ...filter, purpose: '发放核对', format: 'csv' });
	const r = await full({ street: '长青街道', status: '在册' });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.body.trim().split('\n').length, 1 + 2);
	let rows = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(rows.length, 1, JSON.stringify(rows));
	assert.equal(rows[0].actor, 'v_clerk');
	assert.match(rows[0].detail, /2 人/);
	assert.match(rows[0].detail, /街道 长青街道（420199002）/);
	assert.match(rows[0].detail, /状态 在册/);

	/* A whole number in the filter is recorded masked. */
	const one = await full({ q: PEOPLE[3].id });
	assert.equal(one.status, 200);
	assert.ok(one.body.includes(PEOPLE[3].id));
	rows = await auditRows(aud, { action: 'person.export_full' });
	assert.equal(rows.length, 2);
	const last = rows.find((x) => x.detail.includes('1 人'));
	assert.ok(last && last.detail.includes(maskId(PEOPLE[3].id)) && !last.detail.includes(PEOPLE[3].id), JSON.stringify(rows));

	/* The command line exports everyone: "全部" and the count. */
	const file = path.join(tempDir('vets-export-'), 'all.csv');
	const cli = await vets(['export', 'persons', file, '--db', env.db]);
	assert.equal(cli.code, 0, cli.stderr);
	assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1 + PEOPLE.length);
	rows = await auditRows(aud, { action: 'person.export_full', actor: 'cli' });
	assert.equal(rows.length, 1, JSON.stringify(rows));
	assert.match(rows[0].detail, new RegExp(`${PEOPLE.length} 人`));
	assert.match(rows[0].detail, /条件：全部/);
});
