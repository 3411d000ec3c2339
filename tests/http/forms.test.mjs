// forms.test.mjs - the conventions every form and list shares: a refused form answers
// 303 to its page, which shows what was typed and why (POST/redirect/GET) on every
// refresh while it is kept, for its own session only; a community outside the chosen street is refused; a station's
// filters offer its own street only, and another street gets the ordinary empty answer;
// required fields are marked one way with one legend per form; one summary of what to
// fix; breadcrumbs; a print button on documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec } from './lib.mjs';

let env;
const users = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'fm_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'fm_clerk2', 'clerk', { org: '420199' }),
		addUser(db, 'fm_station', 'station', { org: '420199002' }),
		addUser(db, 'fm_street_clerk', 'clerk', { org: '420199002' }),
		addUser(db, 'fm_sys', 'sysadmin'),
		addUser(db, 'fm_sec', 'secadmin'),
	]);
	env = { db, server: await Server.start(db) };
	for (const name of ['fm_clerk', 'fm_clerk2', 'fm_station', 'fm_street_clerk', 'fm_sys', 'fm_sec']) {
		users[name] = new Client(env.server);
		await users[name].signIn(name);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const persons = () => Number(sqlExec(env.db, 'SELECT count(*) FROM persons;').trim());
const ID_A = idNumber('42010619850615013');
const ID_B = idNumber('42010619700302024');

/** The registration form's fields, with some wrong. */
const badForm = [
	['name', '周小明'],
	['id_number', ID_A.slice(0, 17) + (ID_A[17] === '1' ? '2' : '1')],
	['category', '退役军人'],
	['address', '长青路 8 号'],
	['street', '长青街道'],
	['community', '和平社区'],
];

test('a refused registration answers 303 to its form; the form shows what was typed and why, and again on a refresh', async () => {
	const clerk = users.fm_clerk;
	const before_ = persons();
	const r = await clerk.postForm('/persons', badForm);
	assert.equal(r.status, 303, `${r}`);
	const location = r.headers.location;
	assert.match(location, /^\/persons\/new\?form=[0-9a-f]{32}$/);
	/* Nothing typed travels in the URL or a cookie. */
	assert.ok(!location.includes(encodeURIComponent('周小明')) && !location.includes(ID_A.slice(0, 10)));
	assert.ok(!(r.headers['set-cookie'] ?? []).join('').includes(encodeURIComponent('周小明')));
	assert.equal(persons(), before_, 'nothing saved');
	const page = await clerk.get(location);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('value="周小明"'), 'the name is kept');
	assert.ok(page.body.includes('value="长青路 8 号"'), 'the address is kept');
	assert.match(page.body, /<option value="和平社区"[^>]*selected/);
	assert.match(page.body, /未保存，请修改以下 1 处后再提交：/);
	assert.match(page.body, /<a href="#f-身份证号">身份证号<\/a>：/);
	assert.ok(page.body.includes('id="f-身份证号"'), 'the summary links to the field');
	/* The same URL again (a refresh, a back button): the same form, nothing resent. */
	const again = await clerk.get(location);
	assert.equal(again.status, 200);
	assert.ok(again.body.includes('value="周小明"'), 'a refresh loses nothing typed');
	assert.match(again.body, /未保存，请修改以下 1 处后再提交：/);
	assert.equal(persons(), before_);
});

test('another session\'s token shows nothing, and leaves the form for its owner', async () => {
	const r = await users.fm_clerk.postForm('/persons', badForm);
	const theirs = await users.fm_clerk2.get(r.headers.location);
	assert.equal(theirs.status, 200);
	assert.ok(!theirs.body.includes('周小明'), 'another session sees nothing typed');
	assert.ok(!theirs.body.includes('请修改以下'));
	const mine = await users.fm_clerk.get(r.headers.location);
	assert.ok(mine.body.includes('value="周小明"'));
	/* A token that is not one is refused as any bad parameter is. */
	assert.equal((await users.fm_clerk.get('/persons/new?form=xyz')).status, 400);
});

test('a refused edit answers 303 to the edit form, with what was typed over the stored values', async () => {
	const clerk = users.fm_clerk;
	const ok = await clerk.postForm('/persons', [['name', '郑一'], ['id_number', ID_B], ['category', '退役军人'], ['street', '长青街道']]);
	assert.equal(ok.status, 303, `${ok}`);
	const id = /^\/persons\/(\d+)$/.exec(ok.headers.location)[1];
	const r = await clerk.postForm(`/persons/${id}`, [['name', '郑一改'], ['id_number', ''], ['phone', 'abc'], ['category', '退役军人'], ['street', '长青街道']]);
	assert.equal(r.status, 303, `${r}`);
	assert.match(r.headers.location, new RegExp(`^/persons/${id}/edit\\?form=[0-9a-f]{32}$`));
	const page = await clerk.get(r.headers.location);
	assert.ok(page.body.includes('value="郑一改"'), 'the typed name, not the stored one');
	assert.ok(page.body.includes('value="abc"'));
	assert.match(page.body, /<a href="#f-联系电话">联系电话<\/a>：/);
	/* Breadcrumbs: the person as stored, then the page. */
	assert.match(page.body, /<nav class="breadcrumbs" aria-label="面包屑">/);
	const crumbs = /<nav class="breadcrumbs"[\s\S]*?<\/nav>/.exec(page.body)[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
	assert.equal(crumbs, '首页 人员信息 郑一 修改人员信息');
	assert.match(page.body, /<span aria-current="page">修改人员信息<\/span>/);
	const api = await clerk.get(`/api/v1/persons/${id}`);
	assert.equal(api.json.name, '郑一', 'nothing half-saved');
	/* The person's page is a document: a print button (shown by the script). */
	const show = await clerk.get(`/persons/${id}`);
	assert.match(show.body, /<button type="button" class="btn" data-print hidden>打印<\/button>/);
	/* A top-level page has no breadcrumbs. */
	assert.ok(!(await clerk.get('/persons')).body.includes('aria-label="面包屑"'));
});

test('a community of another street is refused with a field error; the form narrows it by data', async () => {
	const clerk = users.fm_clerk;
	const before_ = persons();
	const r = await clerk.postForm('/persons', [['name', '错社区'], ['id_number', idNumber('42010619800101100')], ['category', '退役军人'], ['street', '长青街道'], ['community', '建设社区']]);
	const page = await clerk.refused(r);
	assert.match(page.body, /<a href="#f-社区">社区<\/a>：街道下没有名为“建设社区”的社区/);
	assert.equal(persons(), before_);
	/* The data the script narrows by: each community names its street's code. */
	const form = await clerk.get('/persons/new');
	assert.match(form.body, /<select id="street" name="street" data-narrows="community">/);
	assert.match(form.body, /<option value="长青街道" data-code="420199002">/);
	assert.match(form.body, /<option value="建设社区" data-street="420199001">/);
});

test('a refused upload answers 303 to the import form, which says why, on a refresh too', async () => {
	const clerk = users.fm_clerk;
	const r = await clerk.upload('/persons/import', 'names.txt', 'hello');
	const page = await clerk.refused(r);
	assert.match(page.body, /alert/);
	const why = /<div class="alert alert-error"[^>]*>([\s\S]*?)<\/div>/.exec(page.body);
	assert.ok(why, page.body.slice(0, 4000));
	const again = await clerk.get(r.headers.location);
	assert.ok(again.body.includes(why[1]), 'shown again on a refresh');
	/* the form without its token: empty */
	assert.ok(!(await clerk.get('/persons/import')).body.includes(why[1]));
});

test('a station\'s filters offer its own street only; another street gets the ordinary empty answer', async () => {
	const st = users.fm_station;
	const clerk = users.fm_clerk;
	const streetsOf = (body, id) => [...(new RegExp(`<select id="${id}"[\\s\\S]*?</select>`).exec(body)?.[0] ?? '').matchAll(/<option value="[^"]+"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1]);
	assert.deepEqual(streetsOf((await st.get('/persons')).body, 'street'), ['长青街道']);
	assert.deepEqual(streetsOf((await st.get('/persons')).body, 'community'), ['长青街道 · 和平社区']);
	assert.deepEqual(streetsOf((await st.get('/persons/new')).body, 'street'), ['长青街道']);
	assert.deepEqual(streetsOf((await st.get('/payments/lines')).body, 'l-street'), ['长青街道']);
	/* (The statistics are not the station's: 403.) */
	assert.equal((await st.get('/stats/benefits')).status, 403);
	assert.deepEqual(streetsOf((await clerk.get('/persons')).body, 'street'), ['东湖街道', '长青街道']);
	/* Someone in 东湖街道, then the station asks for that street. */
	const east = await clerk.postForm('/persons', [['name', '东湖人'], ['id_number', idNumber('42010619800101119')], ['category', '退役军人'], ['street', '东湖街道']]);
	assert.equal(east.status, 303, `${east}`);
	for (const q of ['420199001', encodeURIComponent('东湖街道')]) {
		const list = await st.get(`/api/v1/persons?street=${q}`);
		assert.equal(list.status, 200);
		assert.equal(list.json.total, 0);
		const page = await st.get(`/persons?street=${q}`);
		assert.equal(page.status, 200);
		assert.ok(!page.body.includes('东湖'), 'not named back');
		/* A clerk of the street's station may read the statistics: its street only. */
		const stats = await users.fm_street_clerk.get(`/stats/benefits?street=${q}`);
		assert.equal(stats.status, 200);
		assert.deepEqual(streetsOf(stats.body, 'st-street'), ['长青街道']);
		assert.ok(!stats.body.includes('东湖'), 'the statistics do not name it');
		const lines = await st.get(`/payments/lines?street=${q}`);
		assert.equal(lines.status, 200);
		assert.ok(!lines.body.includes('东湖'), 'the lines do not name it');
	}
});

/* Every control with `required` has the marker in its label; each such form has the legend once. */
function checkRequired(body, where) {
	const forms = [...body.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]);
	let marked = 0;
	for (const form of forms) {
		const ids = [...form.matchAll(/<(?:input|select|textarea)\b[^>]*\srequired\b[^>]*>/g)]
			.map((m) => /\sid="([^"]+)"/.exec(m[0])?.[1])
			.filter(Boolean);
		for (const id of ids) {
			const label = new RegExp(`<label for="${id}"[^>]*>`).exec(form);
			/* labelled otherwise (aria-label), or a one-field inline form whose label is not shown */
			if (!label || label[0].includes('class="sr-only"')) continue;
			assert.match(label[0], / class="required"/, `${where}: ${id}`);
			marked++;
		}
		if (form.includes('class="required"'))
			assert.equal(form.split('带 * 的为必填项').length - 1, 1, `${where}: one legend per form`);
	}
	assert.ok(marked > 0, `${where}: no required field marked`);
}

test('required fields are marked one way, with one legend per form, on every form page', async () => {
	const { fm_clerk: clerk, fm_sys: sys, fm_sec: sec } = users;
	const id = /\/persons\/(\d+)/.exec((await clerk.get('/persons')).body)[1];
	const userId = /\/users\/(\d+)/.exec((await sys.get('/users')).body)[1];
	const pages = [
		[clerk, '/persons/new'],
		[clerk, `/persons/${id}/edit`],
		[clerk, `/persons/${id}`],
		[clerk, '/persons/import'],
		[clerk, '/benefits'],
		[clerk, '/payments'],
		[clerk, '/password'],
		[sys, '/users/new'],
		[sys, `/users/${userId}`],
		[sys, '/orgs'],
		[sec, '/policy'],
	];
	for (const [client, path] of pages) {
		const r = await client.get(path);
		assert.equal(r.status, 200, `${path}: ${r.status}`);
		checkRequired(r.body, path);
	}
});
