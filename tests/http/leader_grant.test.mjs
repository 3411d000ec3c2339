// leader_grant.test.mjs - the leader sees figures and masked lists, not full personal
// data, unless the security administrator grants a named leader 可查看完整个人信息: with a
// reason, audited, shown in the account list, and taken back (audited) by a revoke, a
// change of roles or of data scope, a move, disabling the account or a password someone else set. The
// system administrator cannot give it in one step or two, and nobody gives it to himself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, addUser, auditRows, cleanup, idNumber, importRegions, initDb, sqlExec } from './lib.mjs';

const P = { name: '周全', id: idNumber('42010619700315013'), phone: '13911112222', account: '6222020200112233449' };
const SECRETS = [P.id, P.phone, P.account, '1970-03-15'];
const GRANT = '可查看完整个人信息';

let env; /* {db, server} */
let sec, sys, aud, clerk;
let pid;
const ids = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		...['g_lead', 'g_lead2', 'g_move', 'g_off', 'g_reset', 'g_roles'].map((n) => addUser(db, n, 'leader', { org: '420199' })),
		addUser(db, 'g_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'g_sec', 'secadmin'),
		addUser(db, 'g_sys', 'sysadmin'),
		addUser(db, 'g_aud', 'auditor'),
	]);
	for (const line of sqlExec(db, 'SELECT username, id FROM users;').trim().split('\n')) {
		const [name, id] = line.split('|');
		ids[name] = Number(id);
	}
	env = { db, server: await Server.start(db) };
	sec = new Client(env.server);
	sys = new Client(env.server);
	aud = new Client(env.server);
	clerk = new Client(env.server);
	await Promise.all([sec.signIn('g_sec'), sys.signIn('g_sys'), aud.signIn('g_aud'), clerk.signIn('g_clerk')]);
	const r = await clerk.request('POST', '/api/v1/persons', {
		json: { name: P.name, id_number: P.id, categories: '退役军人', phone: P.phone, street: '长青街道', bank_name: '工商银行', bank_account: P.account },
		headers: { 'X-CSRF-Token': clerk.csrf },
	});
	assert.equal(r.status, 201, `${r}`);
	pid = r.json.id;
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function signedIn(name) {
	const c = new Client(env.server);
	await c.signIn(name);
	return c;
}

function assertNoFullValues(body, where) {
	for (const s of SECRETS) assert.ok(!body.includes(s), `${s} in ${where}`);
}

const grantsOf = (name) => sqlExec(env.db, `SELECT grant_name FROM user_grants WHERE user_id = ${ids[name]};`).trim();

const right = (c, name, op, reason = '分管信访工作，须核对来访人身份') =>
	c.postForm(`/users/${ids[name]}/rights`, { grant: 'person_full', op, reason });

/** Every way a leader could reach full values: the person page and its reveal, the API, the exports. */
async function assertFiguresOnly(c, who) {
	const pages = ['/persons', `/persons/${pid}`, '/api/v1/persons', `/api/v1/persons/${pid}`, '/persons/export?format=csv', '/stats/benefits', '/'];
	for (const url of pages) {
		const r = await c.get(url);
		assert.equal(r.status, 200, `${who}: ${url}: ${r}`);
		assertNoFullValues(r.body, `${who}: ${url}`);
	}
	const page = await c.get(`/persons/${pid}`);
	assert.ok(!page.body.includes(`/persons/${pid}/reveal`), `${who}: a reveal button`);
	const list = await c.get('/persons');
	assert.ok(list.body.includes(`${P.id.slice(0, 6)}********${P.id.slice(14)}`), `${who}: the masked list`);
	for (const r of [await c.postForm(`/persons/${pid}/reveal`, {}), await c.postForm('/persons/export/full', { purpose: '上级报送' })]) {
		assert.equal(r.status, 403, `${who}: ${r}`);
		assert.ok(r.body.includes('无权访问此功能'));
		assertNoFullValues(r.body, `${who}: a refusal`);
	}
}

test('a leader without the grant sees the figures and masked lists, and no full value anywhere', async () => {
	const leader = await signedIn('g_lead');
	await assertFiguresOnly(leader, 'g_lead');
	const stats = await leader.get('/stats/benefits');
	assert.ok(stats.body.includes('人次'), 'the statistics page');
	const list = await leader.get('/api/v1/persons');
	assert.equal(list.json.items[0].id_number, `${P.id.slice(0, 6)}********${P.id.slice(14)}`);
	assert.equal(sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'person.view_full';").trim(), '0');
});

test('the system administrator cannot give the grant, nor a leader to himself; the security administrator only to a leader, with a reason', async () => {
	const leader = await signedIn('g_lead');
	for (const [c, who] of [
		[sys, 'the system administrator'],
		[leader, 'the leader himself'],
		[aud, 'the auditor'],
		[clerk, 'a clerk'],
	]) {
		const r = await right(c, 'g_lead', 'give');
		assert.equal(r.status, 403, `${who}: ${r}`);
		assert.ok(r.body.includes('无权访问此功能'), who);
	}
	/* The sysadmin's two steps: a reset he asks for and a new organisation give nothing. */
	const sec2 = await right(sec, 'g_sec', 'give');
	assert.equal(sec2.status, 403, `${sec2}`);
	assert.match(sec2.body, /不能修改自己的授权/);
	/* Refusals of what was sent go back to the account page (POST/redirect/GET), which says why. */
	const toClerk = await sec.refused(await right(sec, 'g_clerk', 'give'));
	assert.match(toClerk.body, /「可查看完整个人信息」只能授予持有局领导角色的账号/);
	await sec.refused(await right(sec, 'g_sys', 'give'));
	/* No reason at all stops at the missing parameter; one too short is the area's refusal. */
	const none = await right(sec, 'g_lead', 'give', '');
	assert.equal(none.status, 400, `${none}`);
	assert.match(none.body, /请填写授权理由/);
	const short = await sec.refused(await right(sec, 'g_lead', 'give', '好'));
	assert.match(short.body, /请填写授权理由/);
	const unknown = await sec.postForm(`/users/${ids.g_lead}/rights`, { grant: 'everything', op: 'give', reason: '测试授权' });
	assert.equal(unknown.status, 400);
	assert.equal(sqlExec(env.db, 'SELECT count(*) FROM user_grants;').trim(), '0');
	/* The refusals of the account rules are on record. */
	const denied = sqlExec(env.db, `SELECT count(*) FROM audit_log WHERE action = 'user.right' AND result = 'denied' AND object = 'user:${ids.g_sec}';`);
	assert.equal(denied.trim(), '1');
});

test('granted by the security administrator: audited with the reason, listed, and the leader sees a person in full (audited)', async () => {
	const leader = await signedIn('g_lead');
	const r = await right(sec, 'g_lead', 'give');
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/users/${ids.g_lead}`);
	assert.equal(grantsOf('g_lead'), 'person_full');
	const [row] = await auditRows(aud, { action: 'user.right' });
	assert.equal(row.actor, 'g_sec');
	assert.equal(row.object, `user:${ids.g_lead}`);
	assert.equal(row.detail, `授予个人授权「${GRANT}」；理由：分管信访工作，须核对来访人身份`);
	/* As a change of roles: his session ended. */
	assert.equal((await leader.get('/api/v1/me')).status, 401);

	/* Who holds it shows in the account list, to both administrators, and on his page. */
	for (const c of [sec, sys]) {
		const list = await c.get('/api/v1/users?q=g_lead');
		const u = list.json.items.find((x) => x.username === 'g_lead');
		assert.deepEqual(u.grants, [{ name: 'person_full', title: GRANT }]);
		assert.deepEqual(list.json.items.find((x) => x.username === 'g_lead2').grants, []);
		const page = await c.get('/users?q=g_lead');
		assert.match(page.body, new RegExp(`局领导 <span class="tag tag-sm">${GRANT}</span>`));
	}
	const show = await sec.get(`/users/${ids.g_lead}`);
	assert.match(show.body, /已授权/);
	assert.match(show.body, /收回授权/);

	const again = await signedIn('g_lead');
	const page = await again.get(`/persons/${pid}`);
	assert.ok(page.body.includes(`/persons/${pid}/reveal`), 'the reveal button');
	assertNoFullValues(page.body, 'the page before the reveal');
	const full = await again.postForm(`/persons/${pid}/reveal`, {});
	assert.equal(full.status, 200, `${full}`);
	assert.ok(full.body.includes(P.id) && full.body.includes(P.account));
	const views = await auditRows(aud, { action: 'person.view_full' });
	assert.equal(views.length, 1);
	assert.equal(views[0].actor, 'g_lead');
	/* The grant is to see a person, not to take lists away. */
	assert.equal((await again.postForm('/persons/export/full', { purpose: '上级报送' })).status, 403);
	const masked = await again.get('/persons/export?format=csv');
	assertNoFullValues(masked.body, 'the masked export of a granted leader');
	/* Another leader still has none. */
	await assertFiguresOnly(await signedIn('g_lead2'), 'g_lead2');
});

test('revoked: the leader is back to figures at once', async () => {
	const leader = await signedIn('g_lead');
	assert.equal((await leader.postForm(`/persons/${pid}/reveal`, {})).status, 200);
	const r = await right(sec, 'g_lead', 'revoke', '调整分管工作');
	assert.equal(r.status, 303, `${r}`);
	assert.equal(grantsOf('g_lead'), '');
	assert.equal((await leader.get('/api/v1/me')).status, 401, 'the session ended');
	await assertFiguresOnly(await signedIn('g_lead'), 'g_lead revoked');
	const [row] = await auditRows(aud, { action: 'user.right' });
	assert.equal(row.detail, `收回个人授权「${GRANT}」；理由：调整分管工作`);
	/* Nothing left to take back. */
	const twice = await right(sec, 'g_lead', 'revoke', '调整分管工作');
	assert.equal(twice.status, 409, `${twice}`);
	assert.match(twice.body, /该账号没有「可查看完整个人信息」授权/);
});

/** Grants person_full to name and checks it took. */
async function give(name) {
	const r = await right(sec, name, 'give');
	assert.equal(r.status, 303, `${r}`);
	assert.equal(grantsOf(name), 'person_full');
}

async function assertTakenBack(name, why) {
	assert.equal(grantsOf(name), '', `${name} keeps the grant after: ${why}`);
	const rows = sqlExec(env.db, `SELECT detail FROM audit_log WHERE action = 'user.right' AND object = 'user:${ids[name]}' ORDER BY seq DESC LIMIT 1;`);
	assert.equal(rows.trim(), `收回个人授权「${GRANT}」：${why}`);
}

test('the grant goes with a change of roles or of data scope, wider or narrower, and may be given again', async () => {
	const setRoles = (roles, scope) =>
		sec.postForm(`/users/${ids.g_roles}/roles`, [...roles.map((r) => ['role', r]), ['scope', scope]]);
	const scopeOf = () => sqlExec(env.db, `SELECT scope FROM users WHERE id = ${ids.g_roles};`).trim();
	await give('g_roles');
	/* Saving the same roles and scope again changes nothing. */
	const same = await setRoles(['leader'], scopeOf());
	assert.equal(same.status, 303, `${same}`);
	assert.equal(grantsOf('g_roles'), 'person_full', 'an unchanged account keeps it');

	/* Decided for a street, the grant does not silently cover the district. */
	const wider = await setRoles(['leader'], 'all');
	assert.equal(wider.status, 303, `${wider}`);
	assert.equal(scopeOf(), 'all');
	await assertTakenBack('g_roles', '数据范围变更');
	await give('g_roles');

	const narrower = await setRoles(['leader'], 'org');
	assert.equal(narrower.status, 303, `${narrower}`);
	await assertTakenBack('g_roles', '数据范围变更');
	await give('g_roles');
	const leader = await signedIn('g_roles');
	const me = await leader.get('/api/v1/me');
	assert.equal(me.status, 200, `${me}`);

	const roles = await setRoles(['leader', 'reviewer'], 'org');
	assert.equal(roles.status, 303, `${roles}`);
	await assertTakenBack('g_roles', '角色变更');

	const back = await setRoles(['leader'], 'org');
	assert.equal(back.status, 303, `${back}`);
	await give('g_roles');
	const both = await setRoles(['leader', 'reviewer'], 'all');
	assert.equal(both.status, 303, `${both}`);
	await assertTakenBack('g_roles', '角色与数据范围变更');
});

test('the system administrator takes it away by moving or disabling the account, and never gives it back', async () => {
	await give('g_move');
	const move = await sys.postForm(`/users/${ids.g_move}`, { display_name: 'g_move', org_code: '420199002' });
	assert.equal(move.status, 303, `${move}`);
	await assertTakenBack('g_move', '调整所属机构');

	await give('g_off');
	const off = await sys.postForm(`/users/${ids.g_off}`, { display_name: 'g_off', org_code: '420199', disabled: '1' });
	assert.equal(off.status, 303, `${off}`);
	await assertTakenBack('g_off', '停用账号');
	const on = await sys.postForm(`/users/${ids.g_off}`, { display_name: 'g_off', org_code: '420199' });
	assert.equal(on.status, 303);
	assert.equal(grantsOf('g_off'), '', 'enabled again, without the grant');
	/* A disabled account is given nothing. */
	await sys.postForm(`/users/${ids.g_off}`, { display_name: 'g_off', org_code: '420199', disabled: '1' });
	const refused = await right(sec, 'g_off', 'give');
	assert.equal(refused.status, 409, `${refused}`);
	assert.match(refused.body, /该账号已停用/);
});

test('a password someone else set takes it away, and it waits until the owner has set his own', async () => {
	await give('g_reset');
	const ask = await sys.postForm(`/users/${ids.g_reset}/password`, { password: 'Tmp#2026reset' });
	assert.equal(ask.status, 303, `${ask}`);
	assert.equal(grantsOf('g_reset'), 'person_full', 'a request alone changes nothing');
	const ok = await sec.postForm(`/users/${ids.g_reset}/password/confirm`, {});
	assert.equal(ok.status, 303, `${ok}`);
	await assertTakenBack('g_reset', '密码由他人重置');
	/* The system administrator knows the temporary password: nothing is granted to it. */
	const early = await right(sec, 'g_reset', 'give');
	assert.equal(early.status, 403, `${early}`);
	assert.match(early.body, /临时密码尚未由本人修改/);
	assert.equal(grantsOf('g_reset'), '');
	/* Once the owner has set his own, the security administrator may grant it again. */
	const owner = new Client(env.server);
	await owner.signIn('g_reset', 'Tmp#2026reset');
	const own = await owner.postForm('/password', { old_password: 'Tmp#2026reset', new_password: 'Own#2026pass', confirm_password: 'Own#2026pass' });
	assert.equal(own.status, 303, `${own}`);
	await give('g_reset');
});

test('a grant counts only beside the role it is made for', async () => {
	/* Written into the store by hand for an auditor: it gives him nothing. */
	sqlExec(env.db, `INSERT INTO user_grants (user_id, grant_name, granted_at, granted_by, reason) VALUES (${ids.g_aud}, 'person_full', 0, ${ids.g_sec}, 'x');`);
	const a = await signedIn('g_aud');
	for (const r of [await a.get(`/persons/${pid}`), await a.postForm(`/persons/${pid}/reveal`, {})]) assert.equal(r.status, 403, `${r}`);
	const list = await sec.get('/api/v1/users?q=g_aud');
	assert.deepEqual(list.json.items[0].grants, []);
	sqlExec(env.db, `DELETE FROM user_grants WHERE user_id = ${ids.g_aud};`);
});
