// outbox.test.mjs - 短信通知 over HTTP and at the command line: the staff page and its API
// say where messages go, or that no sender is configured; vets serve and vets outbox
// send refuse two senders at once or a URL that is not http(s); vets outbox send without
// a sender says so; 重发 of a message that is not there is "not found". Then, end to end
// through the counter: an application's acceptance queues a message that the server sends
// to the --sms-file sink at once, without the ID number or the name, shown masked on
// /outbox and not to another street, and listed on the public tracking page; a gateway
// that keeps failing is tried again on the schedule until the message is 发送失败, counted
// in the menu, and 重发 sends it (audited); the counter writes on while a slow gateway
// sends; a message whose server was killed while sending it waits out its claim, then goes. The tests of this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, ROOT, addUser, assertApiError, auditVerify, cleanup, idNumber, importRegions, initDb, Server, tempDir, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 16, 2, 0, 0) / 1000; /* 2026-11-16 10:00 in Shanghai, a Monday */

let env;
let sink;
const c = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'o_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'o_leader', 'leader', { org: '420199', displayName: '局领导' }),
		addUser(db, 'o_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'o_reviewer', 'reviewer', { org: '420199', displayName: '复核乙' }),
	]);
	sink = path.join(tempDir('vets-sms-'), 'sms.jsonl');
	env = { db };
	await start({ fakeNow: NOW });
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

/* (Re)starts the server on the store with a file sink (or args), signs everyone in. */
async function start({ fakeNow = NOW, args = ['--sms-file', sink] } = {}) {
	if (env.server?.alive) await env.server.stop();
	env.server = await Server.start(env.db, { fakeNow, args });
	for (const u of ['clerk', 'leader', 'station', 'reviewer']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`o_${u}`);
	}
}

function api(client, method, urlPath, json) {
	return client.request(method, urlPath, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

async function until(what, check, ms = 8000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await check();
		if (v) return v;
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

function sinkLines() {
	return existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

test('the staff page and its API say where messages go; the reviewer has no page', async () => {
	const page = await c.clerk.get('/outbox');
	assert.equal(page.status, 200, `${page}`);
	assert.match(page.body, /<h1>短信通知<\/h1>/);
	assert.ok(page.body.includes(`文件 ${sink}`), 'names the sink');
	assert.match(page.body, /没有短信。/);
	assert.match(page.body, /href="\/outbox"[^>]*>短信通知/, 'in the menu');
	const r = await c.leader.get('/api/v1/outbox?state=failed');
	assert.equal(r.status, 200, `${r}`);
	assert.deepEqual(r.json, { total: 0, failed: 0, sender: `文件 ${sink}`, page: 1, per_page: 50, items: [] });
	assert.equal((await c.station.get('/api/v1/outbox')).status, 200);
	assertApiError(await c.reviewer.get('/api/v1/outbox'), 403, 'forbidden');
	assertApiError(await c.leader.get('/api/v1/outbox?state=' + 'x'.repeat(9)), 400, 'invalid_parameter');
	assertApiError(await api(c.clerk, 'POST', '/api/v1/outbox/4242/retry'), 404, 'not_found');
	assertApiError(await api(c.leader, 'POST', '/api/v1/outbox/4242/retry'), 403, 'forbidden');
});

test('without a sender the page says messages wait; two senders or a bad URL are refused', async () => {
	await start({ args: [] });
	const page = await c.clerk.get('/outbox');
	assert.equal(page.status, 200);
	assert.match(page.body, /未配置短信发送方式/);
	assert.equal((await c.clerk.get('/api/v1/outbox')).json.sender, null);
	await env.server.stop();
	for (const args of [['--sms-file', sink, '--sms-command', 'true'], ['--sms-url', 'ftp://gateway/x']]) {
		const r = await vets(['serve', '--db', env.db, '--listen', '127.0.0.1:1', ...args]);
		assert.equal(r.code, 2, `${args}: ${r.stderr}`);
		assert.match(r.stderr, /--sms-/);
		const s = await vets(['outbox', 'send', '--db', env.db, ...args]);
		assert.equal(s.code, 2, s.stderr);
	}
	const none = await vets(['outbox', 'send', '--db', env.db], { env: { VETS_SMS_COMMAND: '', VETS_SMS_URL: '', VETS_SMS_FILE: '' } });
	assert.equal(none.code, 1);
	assert.match(none.stderr, /未配置短信发送方式/);
	const once = await vets(['outbox', 'send', '--db', env.db, '--sms-file', sink]);
	assert.equal(once.code, 0, once.stderr);
	assert.match(once.stdout, /发送 0 条/);
	const help = await vets(['serve', '--help']);
	assert.match(help.stdout, /--sms-command CMD/);
	assert.match(help.stdout, /--sms-url URL/);
	await start();
});

/* ---- end to end, through the counter ---- */

const SERVICE = 'TY-001'; /* 退役报到, in the demo bureau's catalogue */
let materials;
let appId;

async function accept(phone, name, seq) {
	const r = await api(c.clerk, 'POST', '/api/v1/applications', {
		service: SERVICE, name, id_number: idNumber(`4201061980010100${seq}`), phone, materials, promise: false,
	});
	assert.equal(r.status, 201, `${r}`);
	return r.json;
}

test('an accepted application queues a message, sent to the sink at once, shown masked to its scope', async () => {
	const imported = await vets(['service', 'import', path.join(ROOT, 'docs', 'service-catalogue.csv'), '--db', env.db]);
	assert.equal(imported.code, 0, imported.stderr);
	const shown = await vets(['service', 'show', SERVICE, '--db', env.db]);
	materials = JSON.parse(shown.stdout).materials.map((m) => m.name);
	const a = await accept('13800001111', '申请人甲', 1);
	appId = a.id;
	const line = await until('the message in the sink', () => sinkLines().find((l) => l.phone === '13800001111'));
	assert.match(line.text, /[\u4e00-\u9fff]/, 'in Chinese');
	assert.ok(!/\d{17}[\dX]/.test(line.text), 'no ID number');
	assert.ok(!line.text.includes('申请人甲'), 'no name');
	assert.ok(line.text.includes(a.tracking_code) || line.text.includes('查询码'), line.text);
	assert.equal(line.id > 0, true);
	assert.ok(!line.text.includes('13800001111'), 'no phone in the text');
	const r = await until('已发送 on the API', async () => {
		const l = await c.clerk.get('/api/v1/outbox?state=sent');
		return l.json.items.find((m) => m.subject_id === appId) && l;
	});
	const m = r.json.items.find((x) => x.subject_id === appId);
	assert.equal(m.phone_mask, '138****1111');
	assert.equal(m.link, `/applications/${appId}`);
	assert.equal(m.state, '已发送');
	const page = await c.clerk.get('/outbox?state=sent');
	assert.ok(page.body.includes('138****1111') && !page.body.includes('13800001111'));
	assert.ok(page.body.includes(`href="/applications/${appId}"`));
	/* the bureau's message is not the street's: the station sees none */
	const station = await c.station.get('/api/v1/outbox');
	assert.equal(station.json.items.some((x) => x.subject_id === appId), false);
	/* the public tracking page lists the same message, without the phone */
	const track = await new Client(env.server).get(`/track?code=${encodeURIComponent(a.tracking_code)}`);
	assert.equal(track.status, 200, `${track}`);
	assert.ok(track.body.includes(line.text.replace(/"/g, '&quot;')), 'the message on the tracking page');
	assert.ok(!track.body.includes('13800001111'));
});

test('a gateway that keeps failing: retried on the schedule, then 发送失败, counted, and 重发 sends it', async () => {
	assert.ok(appId);
	await start({ args: ['--sms-command', 'echo 网关拒绝 >&2; exit 7'] });
	const b = await accept('13900002222', '申请人乙', 2);
	const waiting = await until('the first failed attempt', async () => {
		const l = await c.clerk.get('/api/v1/outbox?state=waiting');
		const m = l.json.items.find((x) => x.subject_id === b.id && x.attempts === 1 && x.last_error);
		return m;
	});
	assert.match(waiting.last_error, /退出码 7：网关拒绝/);
	await env.server.stop();
	/* cron, later each time: after 1 min, 5 min, 30 min, 2 h, 6 h; each with half a minute
	 * to spare, for the seconds the server's first attempt came after NOW on a busy machine */
	let t0 = NOW;
	for (const wait of [90, 330, 1830, 7230, 21630]) {
		t0 += wait;
		const r = await vets(['outbox', 'send', '--db', env.db, '--sms-command', 'exit 7'], { env: { VETS_FAKE_NOW: String(t0) } });
		assert.equal(r.code, 0, r.stderr);
	}
	await start({ fakeNow: t0 + 60 });
	const failed = await c.clerk.get('/api/v1/outbox?state=failed');
	const m = failed.json.items.find((x) => x.subject_id === b.id);
	assert.equal(m.state, '发送失败');
	assert.equal(m.attempts, 6);
	assert.equal(failed.json.failed, 1);
	const page = await c.clerk.get('/outbox?state=failed');
	assert.match(page.body, /nav-count[^>]*>1</);
	assert.match(page.body, /重发/);
	const r = await c.clerk.postForm(`/outbox/${m.id}/retry`, { state: 'failed' });
	assert.equal(r.status, 303, `${r}`);
	await until('the retried message in the sink', () => sinkLines().find((l) => l.phone === '13900002222'));
	const after = await until('已发送', async () => {
		const l = await c.clerk.get('/api/v1/outbox?state=failed');
		return l.json.failed === 0 && l;
	});
	assert.equal(after.json.items.length, 0);
	/* sent: a second 重发 from a page left open says so */
	const again = await c.clerk.postForm(`/outbox/${m.id}/retry`, { state: 'failed' });
	assert.equal(again.status, 303, `${again}`);
	assert.match((await c.clerk.get(again.headers.location)).body, /已发送，无需重发/);
	assertApiError(await api(c.clerk, 'POST', `/api/v1/outbox/${m.id}/retry`), 409, 'conflict');
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('a message whose server was killed while sending it is sent once its claim has lapsed', async () => {
	const t1 = NOW + 2 * 86400;
	await start({ fakeNow: t1, args: ['--sms-command', 'sleep 3'] });
	const d = await accept('13700003333', '申请人丙', 3);
	await until('the message claimed', async () => {
		const l = await c.clerk.get('/api/v1/outbox?state=waiting');
		return l.json.items.find((x) => x.subject_id === d.id && x.attempts === 1 && !x.last_error);
	});
	/* sending holds no transaction: the counter writes on while the gateway takes its time */
	const t = Date.now();
	await accept('13600004444', '申请人丁', 4);
	assert.ok(Date.now() - t < 2000, `an application took ${Date.now() - t} ms while a message was being sent`);
	env.server.child.kill('SIGKILL');
	await env.server.exited;
	/* within the claim's five minutes another server leaves it alone */
	await start({ fakeNow: t1 + 100 });
	await new Promise((r) => setTimeout(r, 1500));
	assert.equal(sinkLines().some((l) => l.phone === '13700003333'), false);
	/* after them, it is sent: the second attempt */
	await start({ fakeNow: t1 + 400 });
	await until('the message in the sink', () => sinkLines().find((l) => l.phone === '13700003333'));
	const sent = await until('已发送', async () => {
		const l = await c.clerk.get('/api/v1/outbox?state=sent');
		return l.json.items.find((x) => x.subject_id === d.id);
	});
	assert.equal(sent.attempts, 2);
});
