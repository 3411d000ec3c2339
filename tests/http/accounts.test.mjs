// accounts.test.mjs - accounts and organisations on the web: the system
// administrator creates, the security administrator grants (三员分立), data
// scope limits what an administrator of a street sees, and all of it is audited.
// The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, addUser, assertApiError, auditRows, cleanup, freshServer, sqlExec } from './lib.mjs';

const STREET = '420199002';
const STREET_NAME = '长青街道退役军人服务站';
const COMMUNITY = '420199002001';
const COMMUNITY_NAME = '长青街道幸福社区退役军人服务站';
const NEW_PASSWORD = 'Tmp#pass2024';
const OWN_PASSWORD = 'Own#pass2025';

let env;
let sys; /* signed-in sysadmin */
let sec; /* signed-in secadmin */
let aud; /* signed-in auditor */
let newId; /* the account created on the web */
let secId;

before(async () => {
	env = await freshServer([
		['acc_sys', 'sysadmin'],
		['acc_sec', 'secadmin'],
		['acc_aud', 'auditor'],
		['acc_yf', 'clerk', { org: '420199-YF' }],
	]);
	sys = new Client(env.server);
	sec = new Client(env.server);
	aud = new Client(env.server);
	await sys.signIn('acc_sys');
	secId = (await sec.signIn('acc_sec')).json.user.id;
	await aud.signIn('acc_aud');
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

async function findUser(client, username) {
	const r = await client.get(`/api/v1/users?q=${encodeURIComponent(username)}`);
	assert.equal(r.status, 200, `${r}`);
	return r.json.items.find((u) => u.username === username);
}

const roleNames = (u) => u.roles.map((r) => r.name).sort();

/* The owner of a new account signs in with its temporary password and sets his own. */
async function ownPassword(username) {
	const c = new Client(env.server);
	await c.signIn(username, NEW_PASSWORD);
	const r = await c.postForm('/password', { old_password: NEW_PASSWORD, new_password: OWN_PASSWORD, confirm_password: OWN_PASSWORD });
	assert.equal(r.status, 303, `${r}`);
	return c;
}

test('the sysadmin creates an account on the web: no role, a temporary password', async () => {
	const r = await sys.postForm('/users', {
		username: 'newbie',
		display_name: '王新兵',
		org_code: '420199',
		password: NEW_PASSWORD,
	});
	assert.equal(r.status, 303, `${r}`);
	const m = r.headers.location.match(/^\/users\/(\d+)$/);
	assert.ok(m, `redirected to ${r.headers.location}`);
	newId = Number(m[1]);

	const page = await sys.get(r.headers.location);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes('王新兵') && page.body.includes('newbie'));

	const u = await findUser(sys, 'newbie');
	assert.ok(u, 'newbie not listed');
	assert.equal(u.id, newId);
	assert.deepEqual(u.roles, []);
	assert.equal(u.must_change, true);
	assert.equal(u.org_code, '420199');

	/* The new user signs in with it and must change it first. */
	const c = new Client(env.server);
	const login = await c.signIn('newbie', NEW_PASSWORD);
	assert.equal(login.json.user.must_change_password, true);
	assert.deepEqual(login.json.user.roles, []);
	assertApiError(await c.get('/api/v1/users'), 403, 'password_change_required');
});

test('creating an account: refusals for a taken name, a bad name, an unknown org, a weak password', async () => {
	const cases = [
		[{ username: 'newbie', display_name: '重名', org_code: '420199', password: NEW_PASSWORD }, '用户名已存在'],
		[{ username: '9lives', display_name: '数字开头', org_code: '420199', password: NEW_PASSWORD }, '用户名应为'],
		[{ username: 'nowhere', display_name: '无机构', org_code: '999999', password: NEW_PASSWORD }, '所属机构不存在'],
		[{ username: 'weakling', display_name: '弱密码', org_code: '420199', password: 'password' }, '至少三类'],
	];
	/* Each goes back to the form (POST/redirect/GET), which says why and keeps what was
	 * typed, but the password: that is typed again. */
	for (const [form, message] of cases) {
		const sent = await sys.postForm('/users', form);
		assert.match(sent.headers.location ?? '', /^\/users\/new\?form=[0-9a-f]{32}$/, `${sent}`);
		for (const r of [await sys.refused(sent), await sys.get(sent.headers.location)]) {
			assert.equal(r.status, 200, `${r}`);
			assert.ok(r.body.includes(message), `${form.username}: “${message}” not in ${r.body.slice(0, 2000)}`);
			assert.ok(r.body.includes(`value="${form.display_name}"`), `${form.username}: ${r.body.slice(0, 2000)}`);
			assert.ok(!r.body.includes(`value="${form.password}"`), `${form.username}: the password is shown again`);
		}
	}
	for (const name of ['9lives', 'nowhere', 'weakling']) assert.equal(await findUser(sys, name), undefined);
	/* The secadmin may not create accounts. */
	const r = await sec.postForm('/users', { username: 'bysec', display_name: '安全员建', org_code: '420199', password: NEW_PASSWORD });
	assert.equal(r.status, 403);
	assert.equal(await findUser(sys, 'bysec'), undefined);
});

test('editing an account: an unknown org is a bad field (400), not a missing account', async () => {
	const r = await sys.refused(await sys.postForm(`/users/${newId}`, { display_name: '新用户', org_code: '999999' }));
	assert.ok(r.body.includes('所属机构不存在：999999'), r.body.slice(0, 2000));
	assert.ok(!r.body.includes('账号不存在'));
	assert.equal((await findUser(sys, 'newbie')).org_code, '420199');
});

test('roles wait until the owner has replaced the temporary password the sysadmin set', async () => {
	const early = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'clerk'],
		['scope', 'org_tree'],
	]);
	assert.equal(early.status, 403, `${early}`);
	assert.ok(early.body.includes('临时密码尚未由本人修改'), early.body.slice(0, 2000));
	assert.deepEqual(roleNames(await findUser(sec, 'newbie')), []);
	const refused = sqlExec(env.db, `SELECT result FROM audit_log WHERE action = 'user.grant' AND object = 'user:${newId}';`);
	assert.equal(refused.trim(), 'denied');
});

test('the secadmin grants clerk + reviewer with scope org_tree', async () => {
	const newbie = await ownPassword('newbie');
	const r = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'clerk'],
		['role', 'reviewer'],
		['scope', 'org_tree'],
	]);
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/users/${newId}`);
	const u = await findUser(sec, 'newbie');
	assert.deepEqual(roleNames(u), ['clerk', 'reviewer']);
	assert.equal(u.scope, 'org_tree');
	/* New rights take effect at the next login: the user's sessions were ended. */
	assertApiError(await newbie.get('/api/v1/me'), 401);
	const again = await newbie.signIn('newbie', OWN_PASSWORD);
	assert.deepEqual(again.json.user.roles.map((x) => x.name).sort(), ['clerk', 'reviewer']);
});

test('三员分立: an administrator role with any other role is refused, nothing changed', async () => {
	const combos = [
		['sysadmin', 'clerk'],
		['secadmin', 'reviewer'],
		['auditor', 'leader'],
		['sysadmin', 'secadmin'],
		['secadmin', 'auditor'],
	];
	for (const combo of combos) {
		const form = [...combo.map((r) => ['role', r]), ['scope', 'org_tree']];
		const r = await sec.refused(await sec.postForm(`/users/${newId}/roles`, form));
		assert.ok(r.body.includes('三员分立'), `${combo}: ${r.body.slice(0, 2000)}`);
	}
	const bad = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'superuser'],
		['scope', 'org_tree'],
	]);
	assert.equal(bad.status, 400);
	assert.ok(bad.body.includes('角色无效'));
	const badScope = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'clerk'],
		['scope', 'galaxy'],
	]);
	assert.equal(badScope.status, 400);
	assert.ok(badScope.body.includes('数据范围无效'));
	const u = await findUser(sec, 'newbie');
	assert.deepEqual(roleNames(u), ['clerk', 'reviewer']);
	assert.equal(u.scope, 'org_tree');
	/* One administrator role alone is fine (and is put back after). */
	const alone = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'auditor'],
		['scope', 'all'],
	]);
	assert.equal(alone.status, 303, `${alone}`);
	assert.deepEqual(roleNames(await findUser(sec, 'newbie')), ['auditor']);
	const back = await sec.postForm(`/users/${newId}/roles`, [
		['role', 'clerk'],
		['role', 'reviewer'],
		['scope', 'org_tree'],
	]);
	assert.equal(back.status, 303);
});

test('the secadmin may not change their own roles', async () => {
	for (const form of [
		[
			['role', 'secadmin'],
			['scope', 'all'],
		],
		[['scope', 'org_tree']],
	]) {
		const r = await sec.postForm(`/users/${secId}/roles`, form);
		assert.ok(r.status === 400 || r.status === 403, `${r}`);
		assert.ok(r.body.includes('不能修改自己的角色'), r.body.slice(0, 2000));
	}
	const me = await findUser(sec, 'acc_sec');
	assert.deepEqual(roleNames(me), ['secadmin']);
	/* Still signed in, still secadmin. */
	assert.deepEqual(
		(await sec.get('/api/v1/me')).json.user.roles.map((x) => x.name),
		['secadmin'],
	);
});

test(
	'after creating an account or granting roles, the next page confirms it',
	async () => {
		const created = await sys.postForm('/users', {
			username: 'flashy',
			display_name: '闪现',
			org_code: '420199',
			password: NEW_PASSWORD,
		});
		assert.equal(created.status, 303);
		assert.ok((await sys.get(created.headers.location)).body.includes('账号已创建'), 'no confirmation after creating');
		const id = created.headers.location.split('/').pop();
		await ownPassword('flashy');
		const granted = await sec.postForm(`/users/${id}/roles`, [
			['role', 'leader'],
			['scope', 'all'],
		]);
		assert.equal(granted.status, 303);
		assert.ok((await sec.get(granted.headers.location)).body.includes('角色与数据范围已保存'), 'no confirmation after granting');
	},
);

test('the sysadmin may not grant roles (403), not even to themself', async () => {
	const sysId = sys.user.id;
	for (const [id, role] of [
		[newId, 'leader'],
		[sysId, 'clerk'],
	]) {
		const r = await sys.postForm(`/users/${id}/roles`, [
			['role', role],
			['scope', 'all'],
		]);
		assert.equal(r.status, 403, `${r}`);
		assert.ok(r.body.includes('无权访问此功能'));
	}
	assert.deepEqual(roleNames(await findUser(sys, 'newbie')), ['clerk', 'reviewer']);
	assert.deepEqual(roleNames(await findUser(sys, 'acc_sys')), ['sysadmin']);
});

test('the sysadmin creates a street and a community under it; wrong shapes are refused', async () => {
	const street = await sys.postForm('/orgs', { parent_code: '420199', code: STREET, kind: 'street', name: STREET_NAME });
	assert.equal(street.status, 303, `${street}`);
	assert.equal(street.headers.location, '/orgs');
	const community = await sys.postForm('/orgs', {
		parent_code: STREET,
		code: COMMUNITY,
		kind: 'community',
		name: COMMUNITY_NAME,
	});
	assert.equal(community.status, 303, `${community}`);
	const page = await sys.get('/orgs');
	assert.equal(page.status, 200);
	assert.ok(page.body.includes(STREET_NAME) && page.body.includes(COMMUNITY_NAME));
	assert.ok(page.body.includes('机构已创建'));

	const refusals = [
		[{ parent_code: '420199', code: STREET, kind: 'street', name: '重复' }, '机构代码已存在'],
		[{ parent_code: '420199', code: '420199003', kind: 'community', name: '社区挂在区局下' }, '机构类型与上级机构不相符'],
		[{ parent_code: STREET, code: '420199002-KS', kind: 'section', name: '科室挂在街道下' }, '机构类型与上级机构不相符'],
		[{ parent_code: '420199', code: '420199004', kind: 'bureau', name: '第二个区局' }, '机构类型与上级机构不相符'],
		[{ parent_code: '999999', code: '420199005', kind: 'street', name: '无上级' }, '上级机构不存在'],
	];
	/* Each goes back to the page (POST/redirect/GET), with why and what was typed. */
	for (const [form, message] of refusals) {
		const r = await sys.refused(await sys.postForm('/orgs', form));
		assert.ok(r.body.includes(message), `${form.code}: “${message}” not in ${r.body.slice(0, 2000)}`);
		assert.ok(r.body.includes(`value="${form.name}"`), `${form.code}: ${r.body.slice(0, 2000)}`);
	}
	/* The secadmin reads organisations but may not create them. */
	const bySec = await sec.postForm('/orgs', { parent_code: '420199', code: '420199006', kind: 'street', name: '安全员建' });
	assert.equal(bySec.status, 403);
	assert.equal((await sec.get('/orgs')).status, 200);
	const after = await sys.get('/orgs');
	for (const name of ['社区挂在区局下', '科室挂在街道下', '第二个区局', '无上级', '安全员建']) assert.ok(!after.body.includes(name), name);
});

test('data scope: a secadmin of the street (org_tree) sees only the street subtree', async () => {
	await addUser(env.db, 'st_user', 'station', { org: STREET });
	await addUser(env.db, 'comm_user', 'clerk', { org: COMMUNITY });
	await addUser(env.db, 'sec_street', 'secadmin', { org: STREET });

	const s = new Client(env.server);
	await s.signIn('sec_street');
	const r = await s.get('/api/v1/users?per_page=200');
	assert.equal(r.status, 200, `${r}`);
	assert.deepEqual(r.json.items.map((u) => u.username).sort(), ['comm_user', 'sec_street', 'st_user']);
	assert.equal(r.json.total, 3);
	/* The search stays inside the scope too. */
	const q = await s.get('/api/v1/users?q=acc_');
	assert.deepEqual(q.json.items, []);
	/* A user outside the subtree is not there at all. */
	const outside = await s.get(`/users/${newId}`);
	assert.equal(outside.status, 404);
	const inside = (await findUser(sys, 'comm_user')).id;
	assert.equal((await s.get(`/users/${inside}`)).status, 200);
	/* And may not be granted roles. */
	const grant = await s.postForm(`/users/${newId}/roles`, [
		['role', 'leader'],
		['scope', 'all'],
	]);
	assert.equal(grant.status, 404, `${grant}`);
	assert.deepEqual(roleNames(await findUser(sys, 'newbie')), ['clerk', 'reviewer']);
	/* The organisations page shows the subtree only. */
	const orgs = await s.get('/orgs');
	assert.equal(orgs.status, 200);
	assert.ok(orgs.body.includes(STREET_NAME) && orgs.body.includes(COMMUNITY_NAME));
	assert.ok(!orgs.body.includes('优抚科'), 'a section of the bureau is visible to the street');

	/* The bureau's secadmin (scope org_tree at the root) sees everybody. */
	const all = await sec.get('/api/v1/users?per_page=200');
	const names = all.json.items.map((u) => u.username);
	for (const n of ['acc_sys', 'acc_yf', 'newbie', 'st_user', 'comm_user', 'sec_street']) assert.ok(names.includes(n), n);

	/* The station worker has no account.read at all. */
	const st = new Client(env.server);
	await st.signIn('st_user');
	assertApiError(await st.get('/api/v1/users'), 403, 'forbidden');
});

test('every change is in the audit log: user.create, user.grant, org.create — and the refused ones are not', async () => {
	const created = (await auditRows(aud, { action: 'user.create', actor: 'acc_sys' })).filter((x) => x.object === `user:${newId}`);
	assert.equal(created.length, 1, JSON.stringify(created));
	assert.equal(created[0].object, `user:${newId}`);
	assert.match(created[0].detail, /newbie/);
	assert.match(created[0].detail, /临时密码/);
	assert.equal(created[0].result, 'ok');

	const tried = (await auditRows(aud, { action: 'user.grant' })).filter((x) => x.object === `user:${newId}`);
	/* The grant refused before the owner had his own password is a denied record. */
	assert.deepEqual(tried.filter((x) => x.result !== 'ok').map((x) => x.result), ['denied']);
	const grants = tried.filter((x) => x.result === 'ok');
	/* None of the refused creations left a record. */
	const allCreated = await auditRows(aud, { action: 'user.create' });
	for (const name of ['9lives', 'nowhere', 'weakling', 'bysec']) assert.ok(!allCreated.some((x) => x.detail.includes(name)), name);
	/* clerk+reviewer, auditor, clerk+reviewer again: the invalid combinations left no record. */
	assert.equal(grants.length, 3, JSON.stringify(grants));
	assert.ok(grants.every((g) => g.actor === 'acc_sec'));
	const first = grants[grants.length - 1];
	assert.match(first.detail, /经办人/);
	assert.match(first.detail, /复核人/);
	assert.match(first.detail, /本部门及以下/);
	assert.equal((await auditRows(aud, { action: 'user.grant', actor: 'acc_sys' })).length, 0);
	assert.equal((await auditRows(aud, { action: 'user.grant', actor: 'sec_street' })).length, 0);
	const ownGrants = (await auditRows(aud, { action: 'user.grant' })).filter((x) => x.object === `user:${secId}`);
	assert.equal(ownGrants.length, 0);

	const orgs = await auditRows(aud, { action: 'org.create', actor: 'acc_sys' });
	assert.deepEqual(orgs.map((o) => o.object).sort(), [STREET, COMMUNITY].sort());
	assert.ok(orgs.some((o) => o.detail.includes(STREET_NAME)));
	/* The CLI's own changes are there too, under the actor "cli". */
	const cli = await auditRows(aud, { action: 'user.create', actor: 'cli' });
	assert.ok(cli.length >= 7, `only ${cli.length} user.create by cli`);
});
