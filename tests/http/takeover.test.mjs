// takeover.test.mjs - 三员分立 against one administrator: the system administrator
// may not sign in as a business user by resetting or unlocking his account, nor
// widen a user's data scope by moving him to another organisation; and a password
// change signs out whoever else holds the user's sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PASSWORD, addUser, auditRows, cleanup, freshServer, sqlExec, vets } from './lib.mjs';

const TEMP = 'Tmp#reset2026';
const STREET = '420199003';

let env;
let sys; /* signed-in system administrator */
let sec; /* signed-in security administrator */
let aud; /* signed-in auditor */

before(async () => {
	env = await freshServer([
		['tk_sys', 'sysadmin'],
		['tk_sec', 'secadmin'],
		['tk_aud', 'auditor'],
		['tk_clerk', 'clerk'],
		['tk_approver', 'approver'],
	], { args: ['--login-throttle', '0'] }); /* locks on purpose from one address; the throttle has tests of its own */
	sys = new Client(env.server);
	sec = new Client(env.server);
	aud = new Client(env.server);
	await sys.signIn('tk_sys');
	await sec.signIn('tk_sec');
	await aud.signIn('tk_aud');
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function userId(name) {
	return Number(sqlExec(env.db, `SELECT id FROM users WHERE username = '${name}';`).trim());
}

function passwordHash(name) {
	return sqlExec(env.db, `SELECT password_hash FROM users WHERE username = '${name}';`).trim();
}

/** A role-less account made on the web by the system administrator. */
async function addRoleless(name) {
	const r = await sys.postForm('/users', { username: name, display_name: '无角色', org_code: '420199', password: PASSWORD });
	assert.equal(r.status, 303, `${r}`);
	return userId(name);
}

test('the system administrator cannot set a role holder\'s password: he asks, the security administrator confirms', async () => {
	const id = userId('tk_clerk');
	const before_ = passwordHash('tk_clerk');
	const r = await sys.postForm(`/users/${id}/password`, { password: TEMP });
	assert.equal(r.status, 303, `${r}`);
	/* Nothing changed yet: not the password, and the clerk's own still works. */
	assert.equal(passwordHash('tk_clerk'), before_);
	const thief = new Client(env.server);
	assert.equal((await thief.login('tk_clerk', TEMP)).status, 401, 'the requested password must not work before confirmation');
	await new Client(env.server).signIn('tk_clerk');
	/* The page says so, to both administrators. */
	const page = await sys.get(`/users/${id}`);
	assert.match(page.body, /tk_sys 于 .* 提交的重置申请待安全管理员确认/);
	const secPage = await sec.get(`/users/${id}`);
	assert.match(secPage.body, new RegExp(`action="/users/${id}/password/confirm"`));
	/* The sysadmin cannot confirm his own request (his role has no such right). */
	const self = await sys.postForm(`/users/${id}/password/confirm`, {});
	assert.equal(self.status, 403);
	assert.equal(passwordHash('tk_clerk'), before_);
	/* The security administrator confirms: the temporary password takes effect. */
	const ok = await sec.postForm(`/users/${id}/password/confirm`, {});
	assert.equal(ok.status, 303, `${ok}`);
	assert.notEqual(passwordHash('tk_clerk'), before_);
	const clerk = new Client(env.server);
	const login = await clerk.signIn('tk_clerk', TEMP);
	assert.equal(login.json.user.must_change_password, true);
	/* Confirmed once: a second confirmation finds nothing to confirm. */
	const again = await sec.postForm(`/users/${id}/password/confirm`, {});
	assert.equal(again.status, 409);
	assert.match(again.body, /没有待确认的密码重置申请/);
	const rows = await auditRows(aud, { action: 'user.password' });
	const mine = rows.filter((x) => x.object === `user:${id}`);
	assert.ok(mine.some((x) => x.action === 'user.password_request' && x.actor === 'tk_sys' && x.result === 'ok'));
	assert.ok(mine.some((x) => x.action === 'user.password_set' && x.actor === 'tk_sec' && /确认 tk_sys 的重置申请/.test(x.detail)));
	assert.ok(mine.some((x) => x.action === 'user.password_confirm' && x.result === 'denied'));
	/* Put the clerk's own password back for the other tests. */
	sqlExec(env.db, `UPDATE users SET must_change_password = 0 WHERE id = ${id};`);
});

test('a role-less account is still reset by the system administrator at once, audited', async () => {
	const id = await addRoleless('tk_norole');
	const r = await sys.postForm(`/users/${id}/password`, { password: TEMP });
	assert.equal(r.status, 303, `${r}`);
	const c = new Client(env.server);
	assert.equal((await c.signIn('tk_norole', TEMP)).json.user.must_change_password, true);
	const rows = await auditRows(aud, { action: 'user.password_set' });
	assert.ok(rows.some((x) => x.object === `user:${id}` && x.actor === 'tk_sys' && x.result === 'ok'));
});

test('a role holder\'s lock is not the system administrator\'s to lift: 403, still locked, audited', async () => {
	const id = userId('tk_approver');
	for (let i = 0; i < 5; i++) await new Client(env.server).login('tk_approver', 'Wrong#pass1');
	assert.equal((await new Client(env.server).login('tk_approver')).status, 423);
	const r = await sys.postForm(`/users/${id}/unlock`, {});
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.body, /不能由系统管理员提前解锁/);
	assert.equal((await new Client(env.server).login('tk_approver')).status, 423, 'still locked');
	const rows = await auditRows(aud, { action: 'user.unlock' });
	assert.ok(rows.some((x) => x.object === `user:${id}` && x.actor === 'tk_sys' && x.result === 'denied'));
	/* A confirmed reset ends the lock. */
	assert.equal((await sys.postForm(`/users/${id}/password`, { password: TEMP })).status, 303);
	assert.equal((await sec.postForm(`/users/${id}/password/confirm`, {})).status, 303);
	assert.equal((await new Client(env.server).login('tk_approver', TEMP)).status, 200);
	/* A role-less account is unlocked by the system administrator as before. */
	const plain = await addRoleless('tk_plainlock');
	for (let i = 0; i < 5; i++) await new Client(env.server).login('tk_plainlock', 'Wrong#pass1');
	assert.equal((await sys.postForm(`/users/${plain}/unlock`, {})).status, 303);
	assert.equal((await new Client(env.server).login('tk_plainlock')).status, 200);
});

test('vets user passwd, run on the server by whoever holds the database and its key, may set a role holder\'s password: audited as such', async () => {
	await addUser(env.db, 'tk_cli', 'reviewer');
	const r = await vets(['user', 'passwd', 'tk_cli', '--password-stdin', '--temporary', '--db', env.db], { input: TEMP + '\n' });
	assert.equal(r.code, 0, r.stderr);
	const rows = await auditRows(aud, { action: 'user.password_set', actor: 'cli' });
	assert.ok(rows.some((x) => x.object === `user:${userId('tk_cli')}` && /持有角色/.test(x.detail)));
});

test('moving a role holder to another organisation takes his roles and scope and ends his sessions, audited as a scope change', async () => {
	const org = await sys.postForm('/orgs', { parent_code: '420199', code: STREET, name: '东湖街道退役军人服务站', kind: 'street' });
	assert.equal(org.status, 303, `${org}`);
	await addUser(env.db, 'tk_station', 'station', { org: STREET });
	const id = userId('tk_station');
	const station = new Client(env.server);
	await station.signIn('tk_station');
	assert.equal((await station.get('/persons')).status, 200);
	/* To the bureau: a station user would see the whole district. */
	const r = await sys.postForm(`/users/${id}`, { display_name: '东湖站员', org_code: '420199' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT count(*) FROM user_roles WHERE user_id = ${id};`).trim(), '0');
	assert.equal(sqlExec(env.db, `SELECT scope FROM users WHERE id = ${id};`).trim(), 'self');
	assert.equal((await station.get('/api/v1/me')).status, 401, 'the moved user\'s session must end');
	const again = new Client(env.server);
	await again.signIn('tk_station');
	assert.equal((await again.get('/persons')).status, 403, 'no roles until the security administrator grants them');
	const rows = await auditRows(aud, { action: 'user.scope_change' });
	const row = rows.find((x) => x.object === `user:${id}`);
	assert.ok(row, 'no user.scope_change record');
	assert.equal(row.actor, 'tk_sys');
	assert.match(row.detail, /收回角色 服务站工作人员/);
	/* A rename in place keeps the roles. */
	await addUser(env.db, 'tk_stay', 'station', { org: STREET });
	const stay = userId('tk_stay');
	assert.equal((await sys.postForm(`/users/${stay}`, { display_name: '新名字', org_code: STREET })).status, 303);
	assert.equal(sqlExec(env.db, `SELECT role FROM user_roles WHERE user_id = ${stay};`).trim(), 'station');
});

test('nobody moves himself to another organisation: 403, unchanged, audited', async () => {
	const id = userId('tk_sys');
	const org = sqlExec(env.db, `SELECT org_id FROM users WHERE id = ${id};`).trim();
	const r = await sys.postForm(`/users/${id}`, { display_name: '系统管理员', org_code: STREET });
	assert.equal(r.status, 403, `${r}`);
	assert.match(r.body, /不能更改自己的所属机构/);
	assert.equal(sqlExec(env.db, `SELECT org_id FROM users WHERE id = ${id};`).trim(), org);
	const rows = await auditRows(aud, { action: 'user.update' });
	assert.ok(rows.some((x) => x.object === `user:${id}` && x.result === 'denied'));
});

test('a password change ends the user\'s other sessions and keeps the current one', async () => {
	await addUser(env.db, 'tk_two', 'leader');
	const here = new Client(env.server);
	const there = new Client(env.server);
	await here.signIn('tk_two');
	await there.signIn('tk_two');
	const NEW = 'Chg#pass2026x';
	const r = await here.postForm('/password', { old_password: PASSWORD, new_password: NEW, confirm_password: NEW });
	assert.equal(r.status, 303, `${r}`);
	assert.equal((await here.get('/api/v1/me')).status, 200, 'the current session goes on');
	assert.equal((await there.get('/api/v1/me')).status, 401, 'the other session must end');
	const rows = await auditRows(aud, { action: 'password.change' });
	assert.ok(rows.some((x) => x.actor === 'tk_two' && x.result === 'ok' && /其他会话已结束/.test(x.detail)));
});
