// outbox.test.mjs - 短信通知 as the clerk sees it: a message the gateway kept refusing is
// counted beside 短信通知 in the menu, listed under 发送失败 with the masked phone, the
// attempts and the gateway's reason, linked to its application; 重发 sends it through the
// gateway that now works, and it moves to 已发送. On a phone the list fits the screen.
// Runs on a small district of its own: one application received over the API with a gateway
// that fails, then `vets outbox send` (cron) through the retry schedule, on fixed dates.
// Screenshots go to /tmp/shots-outbox/ (looked at, not asserted). The tests build on each
// other, in order.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { Client, ROOT, Server, addUser, cleanup, idNumber, importRegions, initDb, tempDir, vets } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, browserTest, launchBrowser, newPage, signIn } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 16, 2, 0, 0) / 1000; /* 2026-11-16 10:00 in Shanghai, a Monday */
const SHOTS = '/tmp/shots-outbox';

let server;
let browser;
let site;
let sink;
let appId;

async function until(what, check, ms = 8000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await check();
		if (v) return v;
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'b_clerk', 'clerk', { org: '420199', displayName: '王窗口' });
	const imported = await vets(['service', 'import', path.join(ROOT, 'docs', 'service-catalogue.csv'), '--db', db]);
	assert.equal(imported.code, 0, imported.stderr);
	const materials = JSON.parse((await vets(['service', 'show', 'TY-001', '--db', db])).stdout).materials.map((m) => m.name);
	sink = path.join(tempDir('vets-sms-'), 'sms.jsonl');

	/* received while the gateway refuses everything */
	server = await Server.start(db, { fakeNow: NOW, args: ['--sms-command', 'echo 号码已停机 >&2; exit 5'] });
	const clerk = new Client(server);
	await clerk.signIn('b_clerk');
	const r = await clerk.request('POST', '/api/v1/applications', {
		json: { service: 'TY-001', name: '赵申请', id_number: idNumber('42010619800101009'), phone: '13912345678', materials, promise: false },
		headers: { 'X-CSRF-Token': clerk.csrf },
	});
	assert.equal(r.status, 201, `${r}`);
	appId = r.json.id;
	await until('the first attempt', async () => (await clerk.get('/api/v1/outbox')).json.items[0]?.last_error);
	await server.stop();
	/* cron through the schedule: 1 min, 5 min, 30 min, 2 h, 6 h later, each with half a
	 * minute to spare for the seconds the server's first attempt came after NOW */
	let t = NOW;
	for (const wait of [90, 330, 1830, 7230, 21630]) {
		t += wait;
		const sent = await vets(['outbox', 'send', '--db', db, '--sms-command', 'echo 号码已停机 >&2; exit 5'], { env: { VETS_FAKE_NOW: String(t) } });
		assert.equal(sent.code, 0, sent.stderr);
	}
	server = await Server.start(db, { fakeNow: t + 60, args: ['--sms-file', sink] });
	site = { url: `http://${server.host}` };
	mkdirSync(SHOTS, { recursive: true });
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	try {
		if (server?.alive) await server.stop();
	} finally {
		await cleanup();
	}
});

async function shot(page, name) {
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

browserTest('the clerk finds the failed message from the menu and sends it again', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'b_clerk', PASSWORD);
	const nav = page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /短信通知/ });
	assert.match(await nav.innerText(), /短信通知\s*1/);
	await Promise.all([page.waitForURL((u) => u.pathname === '/outbox'), nav.click()]);
	await page.getByText(`文件 ${sink}`).waitFor();
	await page.getByLabel('状态').selectOption('failed');
	await Promise.all([page.waitForURL((u) => u.search === '?state=failed'), page.getByRole('button', { name: '查询' }).click()]);
	const row = page.locator('tbody tr').filter({ hasText: '139****5678' });
	const words = await row.innerText();
	assert.match(words, /受理件 \d+/);
	assert.match(words, /查询码/);
	assert.match(words, /发送失败/);
	assert.match(words, /\b6\b/);
	assert.match(words, /发送命令退出码 5：号码已停机/);
	assert.ok(!(await page.content()).includes('13912345678'), 'the phone only masked');
	assert.equal(await row.getByRole('link').getAttribute('href'), `/applications/${appId}`);
	await shot(page, '1-failed');

	await Promise.all([page.waitForURL((u) => u.pathname === '/outbox'), row.getByRole('button', { name: '重发' }).click()]);
	await page.getByRole('status').filter({ hasText: '已安排立即重发' }).waitFor();
	await until('the message in the sink', () => existsSync(sink) && readFileSync(sink, 'utf8').includes('13912345678'));
	await page.goto('/outbox?state=sent');
	const sent = page.locator('tbody tr').filter({ hasText: '139****5678' });
	assert.match(await sent.innerText(), /已发送/);
	assert.doesNotMatch(await page.getByRole('navigation', { name: '主导航' }).innerText(), /短信通知\s*1/);
	await shot(page, '2-sent');

	/* the application the message is about */
	await Promise.all([page.waitForURL((u) => u.pathname === `/applications/${appId}`), sent.getByRole('link').click()]);
	await page.locator('h1').waitFor();
	assertNoProblems(page, 'outbox');
});

browserTest('on a phone the list fits the screen: the wide table scrolls in its frame', async () => {
	const page = await newPage(browser, site, { viewport: { width: 390, height: 844 } });
	await signIn(page, 'b_clerk', PASSWORD);
	await page.goto('/outbox?state=all');
	await page.locator('h1').waitFor();
	const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(scroll <= width, `the page is ${scroll} px wide on a ${width} px screen`);
	await shot(page, '3-phone');
	assertNoProblems(page, 'phone');
});
