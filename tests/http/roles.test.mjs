// roles.test.mjs - the role × route table. Written down in ./roles/ from what each
// permission means, independently of the areas' declarations in src/:
// a route added to the server without an entry here fails this test, and a
// route whose permission drifts from its meaning fails it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { Client, addPeople, cleanup, freshServer, sqlExec, vets } from './lib.mjs';
import { ROLES } from './roles/roles.mjs';

/* Who holds each permission and every route, one file per area in ./roles/ (a new area adds
 * its file there; every .mjs in it but roles.mjs is read). */
const AREA_FILES = readdirSync(new URL('./roles/', import.meta.url)).filter(
	(f) => f.endsWith('.mjs') && f !== 'roles.mjs',
);
const AREAS = await Promise.all(AREA_FILES.sort().map((f) => import(`./roles/${f}`)));
const PERMS = Object.assign({}, ...AREAS.map((a) => a.perms));
const ROUTES = AREAS.flatMap((a) => a.routes);

/* Routes that end the session: requested last, each on its own session. */
const SESSION_ENDERS = new Set(['DELETE /api/v1/session', 'POST /logout']);

function allowed(perm, role) {
	const who = PERMS[perm];
	assert.ok(who, `no meaning written down for permission ${perm}`);
	if (who === 'everyone') return true;
	return role !== null && who.includes(role);
}

let env;
let targetId; /* the user every {id} names */

before(async () => {
	env = await freshServer([
		...ROLES.map((role) => [`u_${role}`, role, { org: '420199' }]),
		['target', 'clerk', { org: '420199' }],
	]);
	targetId = Number(sqlExec(env.db, "SELECT id FROM users WHERE username = 'target';").trim());
	assert.ok(targetId > 0);
	/* People, so that the person whose id is targetId exists too. */
	await addPeople(env.db, targetId + 2);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('`vets routes` lists exactly the routes of this table, with the same permissions', async () => {
	const r = await vets(['routes']);
	assert.equal(r.code, 0, r.stderr);
	/* the portal's routes are another listener's: tests/http/portal.test.mjs */
	const listed = r.stdout
		.trim()
		.split('\n')
		.filter((line) => !line.endsWith(' portal'))
		.map((line) => {
			const [method, pattern, perm, api] = line.trim().split(/\s+/);
			return `${method} ${pattern} ${perm}${api === 'api' ? ' api' : ''}`;
		});
	const mine = ROUTES.map(([m, p, perm, kind]) => `${m} ${p} ${perm}${kind === 'api' ? ' api' : ''}`);
	const missing = listed.filter((x) => !mine.includes(x));
	const extra = mine.filter((x) => !listed.includes(x));
	assert.deepEqual(missing, [], `routes of the server that this table lacks or disagrees with: ${missing.join('; ')}`);
	assert.deepEqual(extra, [], `routes of this table that the server lacks or disagrees with: ${extra.join('; ')}`);
	assert.equal(listed.length, new Set(listed).size, 'a route is listed twice');
});

/** The request for one route with the session's csrf (the login form's when anonymous) and no other params. */
function hit(c, method, pattern) {
	const path = pattern.replace('{id}', String(targetId));
	if (method === 'GET') return c.get(path);
	const token = c.csrf ?? c.jar.get('vets_form') ?? '';
	if (method === 'DELETE' || method === 'PATCH')
		return c.request(method, path, { headers: { 'X-CSRF-Token': token } });
	return c.request('POST', path, { form: { csrf: token } });
}

/** True when the answer refuses: 401, 403, or a GET sent to the login page. */
function refused(method, r) {
	/* Allowed by the role, refused by the rules of the account it names (checked in expectAllowed). */
	if (r.status === 403 && /不能由系统管理员提前解锁/.test(r.body)) return false;
	if (r.status === 401 || r.status === 403) return true;
	return method === 'GET' && r.status === 303 && r.headers.location === '/login';
}

/* Routes of a payment batch that take no params (or none required). */
const NO_BATCH = new Set([
	'GET /payments/{id}',
	'GET /payments/{id}/bank',
	'POST /payments/{id}/review',
	'POST /payments/{id}/approve',
	'POST /payments/{id}/reject',
	'GET /api/v1/payments/batches/{id}',
	'GET /api/v1/payments/batches/{id}/summary',
	'POST /api/v1/payments/batches/{id}/reject',
	'POST /api/v1/payments/batches/{id}/review',
	'POST /api/v1/payments/batches/{id}/approve',
]);

/* Routes of an object that the probe's {id} does not name, declared by their area's file
 * (`export const absent = [['GET /foo/{id}', /该对象不存在/], …]`): 404 after the permission. */
const ABSENT = new Map(AREAS.flatMap((a) => a.absent ?? []));

/* Forms refused for what they sent: back to the page that shows them (POST/redirect/GET). */
const FORM = '\\?form=[0-9a-f]{32}$';
const FORM_PAGES = new Map([
	['POST /persons', new RegExp(`^/persons/new${FORM}`)],
	['POST /persons/{id}', new RegExp(`^/persons/\\d+/edit${FORM}`)],
	['POST /persons/{id}/status', new RegExp(`^/persons/\\d+${FORM}`)],
	['POST /persons/{id}/family', new RegExp(`^/persons/\\d+${FORM}`)],
	['POST /persons/{id}/death', new RegExp(`^/persons/\\d+${FORM}`)],
	['POST /benefits/standards', new RegExp(`^/benefits${FORM}`)],
	['POST /benefits/rules', new RegExp(`^/benefits${FORM}`)],
	...['confirm', 'suspend', 'resume', 'cancel'].map((a) => [`POST /entitlements/{id}/${a}`, new RegExp(`^/entitlements${FORM}`)]),
]);

/** What an allowed request with no params must answer. */
function expectAllowed(role, method, pattern, r) {
	const what = `${role ?? 'anonymous'}: ${method} ${pattern}`;
	assert.ok(r.status < 500, `${what}: ${r}`);
	const key = `${method} ${pattern}`;
	if (key === 'GET /login' && role) {
		assert.equal(r.status, 303, what);
		assert.equal(r.headers.location, '/');
	} else if (key === 'POST /logout') {
		assert.equal(r.status, 303, what);
		assert.equal(r.headers.location, '/login');
	} else if (key === 'DELETE /api/v1/session') {
		assert.equal(r.status, 204, what);
	} else if (key === 'POST /users/{id}/unlock') {
		/* The target holds a role: only its lock's end or a confirmed reset unlocks it
		 * (三员分立: the system administrator could guess on without end). */
		assert.equal(r.status, 403, what);
		assert.match(r.body, /不能由系统管理员提前解锁/, what);
	} else if (key === 'POST /users/{id}/password/confirm') {
		/* Nothing was asked for: nothing to confirm. */
		assert.equal(r.status, 409, `${what}: ${r}`);
		assert.match(r.body, /没有待确认的密码重置申请/, what);
	} else if (['GET /persons/import/rejected', 'GET /persons/import/progress', 'GET /persons/import/status', 'GET /persons/import/people', 'GET /api/v1/calendar/due'].includes(key)) {
		/* Needs the token of an upload (or the day a deadline counts from): without one it stops at the missing param. */
		assert.equal(r.status, 400, `${what}: ${r}`);
		assert.match(r.body, /请填写/, what);
	} else if (method === 'GET' && /^\/(placement|employment|care|shuangyong|pufa|payments|applications|petition)\/stats\/list$/.test(pattern)) {
		/* The rows of one figure of an area's figure set (web/figures.h): without its key it stops there. */
		assert.equal(r.status, 400, `${what}: ${r}`);
		assert.match(r.body, /请填写统计项/, what);
	} else if (NO_BATCH.has(key)) {
		/* There is no payment batch with that id: found out after the permission. */
		assert.equal(r.status, 404, `${what}: ${r}`);
		assert.match(r.body, /发放批次不存在/, what);
	} else if (ABSENT.has(key)) {
		assert.equal(r.status, 404, `${what}: ${r}`);
		assert.match(r.body, ABSENT.get(key), what);
	} else if (key === 'GET /death-reports/new') {
		/* The form is for one person: without one it stops at the missing param. */
		assert.equal(r.status, 400, `${what}: ${r}`);
		assert.match(r.body, /请填写人员/, what);
	} else if (key === 'POST /entitlements/propose') {
		/* Takes no params; nobody here is eligible (退役军人 only): nothing proposed, nothing audited. */
		assert.equal(r.status, 303, `${what}: ${r}`);
		assert.match(r.headers.location, /^\/entitlements\?status=/, what);
	} else if (FORM_PAGES.has(key)) {
		/* A refused form goes back to its page (POST/redirect/GET), which lists what is missing. */
		assert.equal(r.status, 303, `${what}: ${r}`);
		assert.match(r.headers.location, FORM_PAGES.get(key), what);
	} else if (method === 'GET') {
		assert.equal(r.status, 200, `${what}: ${r}`);
	} else if (key === 'PATCH /api/v1/persons/{id}') {
		/* An empty patch is valid and changes nothing. */
		assert.equal(r.status, 200, `${what}: ${r}`);
		assert.equal(JSON.parse(r.body).history.length, 0, what);
	} else if (key === 'POST /persons/{id}/reveal') {
		/* Takes no params: the full view, audited (person.view_full). */
		assert.equal(r.status, 200, `${what}: ${r}`);
		assert.match(r.body, /4201061970010/, what);
	} else {
		/* Allowed, and stopped at the missing params (or file): nothing changed. */
		assert.equal(r.status, 400, `${what}: ${r}`);
		assert.match(r.body, /请填写|请选择/, what);
	}
}

function expectRefused(role, method, pattern, kind, r) {
	const what = `${role ?? 'anonymous'}: ${method} ${pattern}`;
	if (role) {
		assert.equal(r.status, 403, `${what}: ${r}`);
		if (kind === 'api') assert.equal(r.json?.error?.code, 'forbidden', what);
		else assert.ok(r.body.includes('无权访问此功能'), `${what}: ${r}`);
	} else if (kind === 'api') {
		assert.equal(r.status, 401, `${what}: ${r}`);
		assert.equal(r.json?.error?.code, 'unauthorized', what);
	} else if (method === 'GET') {
		assert.equal(r.status, 303, `${what}: ${r}`);
		assert.equal(r.headers.location, '/login', what);
	} else {
		assert.equal(r.status, 401, `${what}: ${r}`);
	}
}

async function checkRole(role) {
	const c = new Client(env.server);
	if (role) {
		const r = await c.signIn(`u_${role}`);
		assert.deepEqual(
			r.json.user.roles.map((x) => x.name),
			[role],
		);
	} else {
		/* A visitor first reads the login page, which hands out the form token. */
		assert.equal((await c.get('/login')).status, 200);
	}
	const mismatches = [];
	const check = (method, pattern, perm, kind, r) => {
		const want = allowed(perm, role);
		if (want !== !refused(method, r)) {
			mismatches.push(`${method} ${pattern}: table says ${want ? 'allowed' : 'refused'}, server answered ${r.status} ${r.headers.location ?? ''}`);
			return;
		}
		if (want) expectAllowed(role, method, pattern, r);
		else expectRefused(role, method, pattern, kind, r);
	};
	for (const [method, pattern, perm, kind] of ROUTES) {
		if (SESSION_ENDERS.has(`${method} ${pattern}`)) continue;
		check(method, pattern, perm, kind, await hit(c, method, pattern));
	}
	/* Still the same session after all of it. */
	if (role) assert.equal((await c.get('/api/v1/me')).json?.user?.username, `u_${role}`);
	for (const key of SESSION_ENDERS) {
		const [method, pattern] = key.split(' ');
		const [, , perm, kind] = ROUTES.find(([m, p]) => m === method && p === pattern);
		if (role && !c.csrf) await c.signIn(`u_${role}`);
		check(method, pattern, perm, kind, await hit(c, method, pattern));
		if (role) {
			/* The session really ended. */
			assert.equal((await c.get('/api/v1/me')).status, 401, `${role}: ${key} left the session alive`);
			c.csrf = null;
		}
	}
	assert.deepEqual(mismatches, [], `${role ?? 'anonymous'}:\n${mismatches.join('\n')}`);
}

/** What must not change while the table is probed. */
function snapshot() {
	return sqlExec(
		env.db,
		`SELECT id, username, display_name, org_id, scope, disabled, must_change_password, password_hash FROM users ORDER BY id;
		 SELECT * FROM user_roles ORDER BY user_id, role;
		 SELECT id, parent_id, code, name, kind FROM orgs ORDER BY id;
		 SELECT key, value FROM settings ORDER BY key;`,
	);
}

let before_;

test('the snapshot before probing', () => {
	before_ = snapshot();
	assert.match(before_, /u_sysadmin/);
});

for (const role of [null, ...ROLES]) {
	test(`every route, as ${role ?? 'an anonymous visitor'}`, async () => {
		await checkRole(role);
	});
}

test('probing changed nothing but logins, logouts, the unlock, audit reading and the records of refusals', () => {
	assert.equal(snapshot(), before_);
	const actions = sqlExec(env.db, "SELECT DISTINCT action FROM audit_log WHERE actor <> 'cli' ORDER BY action;")
		.trim()
		.split('\n');
	assert.deepEqual(actions, [
		'access.denied',
		'audit.view',
		'login',
		'logout',
		'person.view_full',
		'user.password_confirm',
		'user.unlock',
	]);
	/* The refusals of the account rules were audited as refusals. */
	const refusals = sqlExec(env.db, "SELECT action, result FROM audit_log WHERE action IN ('user.unlock', 'user.password_confirm') ORDER BY action;");
	assert.equal(refusals.trim(), 'user.password_confirm|denied\nuser.unlock|denied');
	/* Each role signed in twice (once for each way out). */
	const logins = sqlExec(env.db, "SELECT count(*) FROM audit_log WHERE action = 'login' AND result = 'ok';").trim();
	assert.equal(Number(logins), 2 * ROLES.length);
});
