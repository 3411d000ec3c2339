// person_status.test.mjs - a person's status changes (在册, 中止, 取消, 迁出, 死亡 with a
// date and a reason) and family links (配偶, 父母, 子女, 兄弟姐妹) on the person page and
// through the API: each change leaves a history line and an audit record, bad input is
// refused in Chinese and changes nothing, and a station sees neither the people of
// another street nor their ID numbers. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	Client,
	addUser,
	assertApiError,
	auditRows,
	auditVerify,
	cleanup,
	hasChinese,
	idNumber,
	importRegions,
	initDb,
	now,
	Server,
	shanghaiDate,
	sqlExec,
} from './lib.mjs';

const ID_A = idNumber('42010619700101011'); /* 王一, 东湖街道 */
const ID_B = idNumber('42010619720202022'); /* 王二, 东湖街道 */
const ID_C = idNumber('42010619450303033'); /* 王三, 长青街道 */
const ID_NOBODY = idNumber('42010619800404044'); /* valid, never registered */

let env;
let clerk; /* the bureau's clerk: sees the district */
let east; /* the station of 东湖街道 */
let green; /* the station of 长青街道 */
let aud;
const ids = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 's_clerk', 'clerk', { org: '420199' }),
		addUser(db, 's_east', 'station', { org: '420199001' }),
		addUser(db, 's_green', 'station', { org: '420199002' }),
		addUser(db, 's_aud', 'auditor'),
	]);
	env = { db, server: await Server.start(db) };
	clerk = new Client(env.server);
	east = new Client(env.server);
	green = new Client(env.server);
	aud = new Client(env.server);
	await Promise.all([clerk.signIn('s_clerk'), east.signIn('s_east'), green.signIn('s_green'), aud.signIn('s_aud')]);
	for (const [name, id, street] of [
		['王一', ID_A, '东湖街道'],
		['王二', ID_B, '东湖街道'],
		['王三', ID_C, '长青街道'],
	]) {
		const r = await api(clerk, 'POST', '/api/v1/persons', { name, id_number: id, categories: '退役军人', street });
		assert.equal(r.status, 201, `${name}: ${r}`);
		ids[name] = r.json.id;
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, path, json) {
	return client.request(method, path, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

async function person(id) {
	const r = await clerk.get(`/api/v1/persons/${id}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json;
}

/** What a refused request must not have changed. */
function state() {
	return sqlExec(
		env.db,
		`SELECT id, status, status_date, status_reason, updated_at FROM persons ORDER BY id;
		 SELECT person_id, relative_id, relation FROM family_links ORDER BY id;
		 SELECT count(*) FROM person_history;
		 SELECT count(*) FROM audit_log WHERE action IN ('person.status', 'person.link', 'person.unlink');`,
	);
}

test('a status change on the page: the status, its date and reason, a history line, an audit record', async () => {
	const a = ids['王一'];
	const r = await clerk.postForm(`/persons/${a}/status`, { status: '中止', date: '2024-03-01', reason: '本人申请暂停待遇' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/persons/${a}`);
	const page = await clerk.get(`/persons/${a}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /状态已变更/);
	assert.match(page.body, /该人员当前状态为<strong>中止<\/strong>（2024-03-01 起）：本人申请暂停待遇/);

	const p = await person(a);
	assert.equal(p.status, '中止');
	assert.equal(p.status_date, '2024-03-01');
	assert.equal(p.status_reason, '本人申请暂停待遇');
	assert.equal(p.history.length, 1, JSON.stringify(p.history));
	assert.deepEqual(
		{ field: p.history[0].field, old: p.history[0].old, new: p.history[0].new },
		{ field: '状态', old: '在册', new: '中止（2024-03-01，本人申请暂停待遇）' },
	);

	const rows = (await auditRows(aud, { action: 'person.status' })).filter((x) => x.object === `person:${a}`);
	assert.equal(rows.length, 1, JSON.stringify(rows));
	assert.equal(rows[0].actor, 's_clerk');
	assert.equal(rows[0].result, 'ok');
	assert.match(rows[0].detail, /在册 → 中止/);

	/* Through the API, back to 在册: 200 and the person. */
	const back = await api(clerk, 'POST', `/api/v1/persons/${a}/status`, { status: '在册', date: '2024-06-01', reason: '恢复' });
	assert.equal(back.status, 200, `${back}`);
	assert.equal(back.json.status, '在册');
	assert.equal(back.json.status_date, '2024-06-01');
	assert.equal(back.json.history.length, 2);
	assert.equal(back.json.history[0].old, '中止');
});

test('a bad status, date or reason is refused with a Chinese message naming the field, and changes nothing', async () => {
	const a = ids['王一'];
	const before_ = state();
	const good = { status: '迁出', date: '2024-05-01', reason: '迁往外省' };
	const tomorrow = shanghaiDate(now() + 2 * 86400);
	const cases = [
		[{ ...good, status: '退休' }, '状态', /之一/],
		[{ ...good, status: '在册' }, '状态', /当前已是“在册”/],
		[{ ...good, status: undefined }, '状态', /请选择/],
		[{ ...good, date: '2024-02-30' }, '变更日期', /有效日期/],
		[{ ...good, date: '2024/05/01' }, '变更日期', /YYYY-MM-DD/],
		[{ ...good, date: '2024-5-1' }, '变更日期', /YYYY-MM-DD/],
		[{ ...good, date: tomorrow }, '变更日期', /不能晚于今天/],
		[{ ...good, date: '1969-12-31' }, '变更日期', /出生日期/],
		[{ ...good, date: undefined }, '变更日期', /请填写/],
		[{ ...good, reason: '' }, '变更原因', /请填写/],
		[{ ...good, reason: '   ' }, '变更原因', /请填写/],
		[{ ...good, reason: '因'.repeat(201) }, '变更原因', /200/],
	];
	for (const [fields, field, message] of cases) {
		const r = await api(clerk, 'POST', `/api/v1/persons/${a}/status`, fields);
		const err = assertApiError(r, 400, 'invalid');
		const hit = err.fields.find((f) => f.field === field);
		assert.ok(hit && hasChinese(hit.message), `${JSON.stringify(fields)}: ${r}`);
		assert.match(hit.message, message, `${JSON.stringify(fields)}: ${r}`);
	}
	/* Longer than any reason may be: stopped by the parameter's bound. */
	assertApiError(await api(clerk, 'POST', `/api/v1/persons/${a}/status`, { ...good, reason: '因'.repeat(201) }), 400);

	/* On the page: 303 back to the person page (POST/redirect/GET), whose status form shows
	 * the field's message and what was typed; a refresh shows the same and sends nothing. */
	const sent = await clerk.postForm(`/persons/${a}/status`, { ...good, date: '2024-02-30' });
	assert.match(sent.headers.location || '', new RegExp(`^/persons/${a}\\?form=[0-9a-f]{32}$`), `${sent}`);
	const r = await clerk.refused(sent);
	const again = await clerk.get(sent.headers.location);
	for (const page of [r, again]) {
		assert.equal(page.status, 200, `${page}`);
		assert.match(page.body, /未保存，请修改以下 \d+ 处后再提交/);
		assert.match(page.body, /变更日期<\/a>：应为 YYYY-MM-DD 格式的有效日期/);
		assert.match(page.body, /value="迁往外省"/);
		assert.match(page.body, /<option value="迁出" selected>/);
		assert.match(page.body, /id="status-date" name="date" value="2024-02-30" required aria-invalid="true"/);
	}
	/* The person page without the token: the empty form. */
	const plain = await clerk.get(`/persons/${a}`);
	assert.doesNotMatch(plain.body, /2024-02-30|迁往外省|未保存/);
	/* Without the session's CSRF token: refused before anything is looked at. */
	const noCsrf = await clerk.postForm(`/persons/${a}/status`, good, { csrf: false });
	assert.equal(noCsrf.status, 403, `${noCsrf}`);
	const apiNoCsrf = await clerk.request('POST', `/api/v1/persons/${a}/family`, { json: { id_number: ID_B, relation: '配偶' } });
	assertApiError(apiNoCsrf, 403);
	/* Markup in the reason comes back escaped. */
	const x = await clerk.refused(await clerk.postForm(`/persons/${a}/status`, { ...good, reason: '<b>x</b>', date: 'x' }));
	assert.ok(!x.body.includes('<b>x</b>') && x.body.includes('&lt;b&gt;x&lt;/b&gt;'));

	assert.equal(state(), before_);
});

test('a station of another street gets 404 for the status and family routes of a person, and changes nothing', async () => {
	const a = ids['王一'];
	const before_ = state();
	const status = { status: '死亡', date: '2024-01-01', reason: '病故' };
	const family = { id_number: ID_C, relation: '父母' };
	for (const r of [
		await green.postForm(`/persons/${a}/status`, status),
		await green.postForm(`/persons/${a}/family`, family),
		await green.postForm(`/persons/${a}/family/delete`, { relative: String(ids['王二']) }),
	]) {
		assert.equal(r.status, 404, `${r}`);
		assert.doesNotMatch(r.body, /王一|王二|王三/);
	}
	assertApiError(await api(green, 'POST', `/api/v1/persons/${a}/status`, status), 404, 'not_found');
	assertApiError(await api(green, 'POST', `/api/v1/persons/${a}/family`, family), 404, 'not_found');
	/* Even a bad request about someone outside the scope is only "not found". */
	assertApiError(await api(green, 'POST', `/api/v1/persons/${a}/status`, { status: '退休' }), 404);
	/* A person of one's own street cannot be linked to someone of another street: the number names no one. */
	const r = await api(east, 'POST', `/api/v1/persons/${a}/family`, family);
	const err = assertApiError(r, 400);
	assert.ok(err.fields.some((f) => f.field === '亲属身份证号' && /本辖区未登记/.test(f.message)), `${r}`);
	assert.doesNotMatch(r.body, /王三|长青/);
	assert.equal(state(), before_);
});

test('a family link shows on both pages with the inverse relation, and unlinking removes both', async () => {
	const [a, b, c] = [ids['王一'], ids['王二'], ids['王三']];
	const r = await clerk.postForm(`/persons/${a}/family`, { id_number: ID_B, relation: '配偶' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/persons/${a}`);
	const pageA = await clerk.get(`/persons/${a}`);
	assert.match(pageA.body, /家庭成员已登记/);
	assert.match(pageA.body, new RegExp(`<span class="family-rel">配偶</span><a href="/persons/${b}">王二</a>`));
	const pageB = await clerk.get(`/persons/${b}`);
	assert.match(pageB.body, new RegExp(`<span class="family-rel">配偶</span><a href="/persons/${a}">王一</a>`));

	/* Through the API: 王三 is 王一's parent, so 王一 is 王三's child. */
	const api1 = await api(clerk, 'POST', `/api/v1/persons/${a}/family`, { id_number: ID_C, relation: '父母' });
	assert.equal(api1.status, 201, `${api1}`);
	assert.deepEqual(
		api1.json.family.map((f) => [f.relation, f.id, f.name]),
		[
			['配偶', b, '王二'],
			['父母', c, '王三'],
		],
	);
	const pc = await person(c);
	assert.deepEqual(pc.family.map((f) => [f.relation, f.id, f.name]), [['子女', a, '王一']]);
	assert.deepEqual([pc.history[0].field, pc.history[0].old, pc.history[0].new], ['家庭成员', '', '子女：王一']);
	/* The station of 长青街道 sees 王三 but not 王一: the link is not shown to it. */
	const greenView = await green.get(`/api/v1/persons/${c}`);
	assert.equal(greenView.status, 200);
	assert.deepEqual(greenView.json.family, []);

	const pa = await person(a);
	assert.deepEqual(
		pa.history.slice(0, 2).map((h) => [h.field, h.old, h.new]),
		[
			['家庭成员', '', '父母：王三'],
			['家庭成员', '', '配偶：王二'],
		],
	);
	const links = (await auditRows(aud, { action: 'person.link' })).filter((x) => x.object === `person:${a}`);
	assert.equal(links.length, 2, JSON.stringify(links));

	/* Unlink 王二 from 王一's page: gone from both pages. */
	const un = await clerk.postForm(`/persons/${a}/family/delete`, { relative: String(b) });
	assert.equal(un.status, 303, `${un}`);
	assert.match((await clerk.get(`/persons/${a}`)).body, /已解除家庭关系/);
	assert.deepEqual((await person(a)).family.map((f) => f.id), [c]);
	const pb = await person(b);
	assert.deepEqual(pb.family, []);
	assert.deepEqual([pb.history[0].field, pb.history[0].old, pb.history[0].new], ['家庭成员', '配偶：王一', '']);
	assert.equal((await person(a)).history[0].old, '配偶：王二');
	const unlinks = await auditRows(aud, { action: 'person.unlink' });
	assert.ok(unlinks.some((x) => x.object === `person:${a}` && x.actor === 's_clerk'), JSON.stringify(unlinks));
	/* Unlinking again, or people who were never linked: 404. */
	assert.equal((await clerk.postForm(`/persons/${a}/family/delete`, { relative: String(b) })).status, 404);
	assert.equal((await clerk.postForm(`/persons/${b}/family/delete`, { relative: String(c) })).status, 404);
	/* Unlinking from the other side works too. */
	assert.equal((await clerk.postForm(`/persons/${c}/family/delete`, { relative: String(a) })).status, 303);
	assert.deepEqual((await person(a)).family, []);
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM family_links;').trim(), '0');
});

test('a link to oneself, a duplicate link, an unknown number and a bad relation are refused', async () => {
	const [a, b] = [ids['王一'], ids['王二']];
	assert.equal((await api(clerk, 'POST', `/api/v1/persons/${a}/family`, { id_number: ID_B, relation: '兄弟姐妹' })).status, 201);
	const before_ = state();
	const cases = [
		[{ id_number: ID_A, relation: '配偶' }, 400, '亲属身份证号', /本人/],
		[{ id_number: ID_A.toLowerCase(), relation: '配偶' }, 400, '亲属身份证号', /本人/],
		[{ id_number: ID_B, relation: '配偶' }, 409, '亲属身份证号', /已登记/],
		[{ id_number: ID_NOBODY, relation: '配偶' }, 400, '亲属身份证号', /本辖区未登记/],
		[{ id_number: ID_B.slice(0, 17) + (ID_B[17] === '1' ? '2' : '1'), relation: '配偶' }, 400, '亲属身份证号', /校验/],
		[{ id_number: '', relation: '配偶' }, 400, '亲属身份证号', /请填写/],
		[{ id_number: ID_NOBODY, relation: '叔侄' }, 400, '关系', /之一/],
		[{ id_number: ID_B }, 400, '关系', /请选择/],
	];
	for (const [fields, status, field, message] of cases) {
		const r = await api(clerk, 'POST', `/api/v1/persons/${a}/family`, fields);
		const err = assertApiError(r, status);
		const hit = err.fields.find((f) => f.field === field);
		assert.ok(hit, `${JSON.stringify(fields)}: ${r}`);
		assert.match(hit.message, message, `${JSON.stringify(fields)}: ${r}`);
	}
	/* The same link asked from the relative's side is a duplicate too. */
	assertApiError(await api(clerk, 'POST', `/api/v1/persons/${b}/family`, { id_number: ID_A, relation: '兄弟姐妹' }), 409);
	/* On the page: back to the person page (POST/redirect/GET), the form with the message. */
	const r = await clerk.refused(await clerk.postForm(`/persons/${a}/family`, { id_number: ID_A, relation: '子女' }));
	assert.match(r.body, /亲属身份证号<\/a>：不能与本人建立家庭关系/);
	assert.match(r.body, /<option value="子女" selected>/);
	assert.equal(state(), before_);
});

test('a clerk records a death; the audit trail still verifies', async () => {
	const c = ids['王三'];
	const r = await clerk.postForm(`/persons/${c}/status`, { status: '死亡', date: '2025-11-02', reason: '病故', confirm: '1' });
	assert.equal(r.status, 303, `${r}`);
	const p = await person(c);
	assert.equal(p.status, '死亡');
	assert.equal(p.history[0].new, '死亡（2025-11-02，病故）');
	/* A status outside 在册 shows in the list's filter. */
	const list = await clerk.get(`/api/v1/persons?status=${encodeURIComponent('死亡')}`);
	assert.equal(list.status, 200, `${list}`);
	assert.deepEqual(list.json.items.map((x) => x.id), [c]);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr + v.stdout);
});
