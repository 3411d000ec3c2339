// services.test.mjs - the service catalogue as the clerk uses it: 服务事项 from the navigation,
// a search, an item with its materials marked 必要 / 可容缺, the 一次性告知书 printed (its print
// layout without the page's tools), a new item by the form (refused once, then saved), and the
// pages on a phone. Runs on a store of its own with the bureau's shipped catalogue imported.
// Screenshots go to /tmp/shots-services/ (looked at, not asserted). In order.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { ROOT, Server, addUser, cleanup, initDb, vets } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, browserTest, launchBrowser, newPage, pathOf, signIn } from './lib.mjs';

const SHOTS = '/tmp/shots-services';
let server;
let browser;
let site;

before(async () => {
	const { db } = await initDb();
	await addUser(db, 'v_clerk', 'clerk', { org: '420199', displayName: '刘经办' });
	const r = await vets(['service', 'import', path.join(ROOT, 'docs', 'service-catalogue.csv'), '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	server = await Server.start(db);
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

browserTest('the clerk finds an item, reads its materials and prints the 一次性告知书', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'v_clerk', PASSWORD);
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '服务事项' }).click();
	await page.waitForURL((u) => u.pathname === '/services');
	await page.getByText('共 31 个事项，其中可容缺受理 20 个').waitFor();
	await shot(page, '1-list');
	await page.getByLabel('编码或名称').fill('退役报到');
	await Promise.all([page.waitForURL((u) => u.pathname === '/services' && u.search.includes('q=')), page.getByRole('button', { name: '查询' }).click()]);
	assert.equal(await page.locator('tbody tr').count(), 1);
	await Promise.all([page.waitForURL((u) => /^\/services\/\d+$/.test(u.pathname)), page.getByRole('link', { name: '退役报到' }).click()]);
	const id = pathOf(page).split('/').pop();
	const rows = page.locator('#materials tbody tr');
	assert.equal(await rows.count(), 4);
	assert.match(await rows.nth(3).innerText(), /近期免冠彩色证件照\s+可容缺\s+2 寸 2 张/);
	assert.match(await rows.nth(0).innerText(), /介绍信\s+必要/);
	await shot(page, '2-item');

	await Promise.all([page.waitForURL((u) => u.pathname === `/services/${id}/notice`), page.getByRole('link', { name: '一次性告知书' }).click()]);
	const words = await page.locator('article.notice').innerText();
	assert.match(words, /一\s*次\s*性\s*告\s*知\s*书/);
	assert.match(words, /“近期免冠彩色证件照”为可容缺材料/);
	assert.match(words, /申请人＿+/);
	await page.evaluate(() => {
		window.printed = 0;
		window.print = () => {
			window.printed += 1;
		};
	});
	await page.getByRole('button', { name: '打印' }).click();
	assert.equal(await page.evaluate(() => window.printed), 1);
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'the tools are not printed');
	assert.equal(await page.getByRole('link', { name: '下载 Word 文档' }).isVisible(), false);
	await shot(page, '3-notice-print');
	await page.emulateMedia({ media: 'screen' });
	assertNoProblems(page, 'services');
});

browserTest('a new item by the form: refused with what was typed kept, then saved', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'v_clerk', PASSWORD);
	await page.goto('/services/new');
	await page.getByLabel('事项编码').fill('TY-001');
	await page.getByLabel('事项名称').fill('退役军人适应性培训报名');
	await page.getByLabel('承诺时限（工作日）').fill('5');
	await page.getByLabel('必要材料').fill('居民身份证｜原件\n退出现役证明');
	await page.getByLabel('可容缺材料').fill('学历证明');
	await Promise.all([page.waitForURL((u) => u.pathname === '/services/new' && /^\?form=[0-9a-f]{32}$/.test(u.search)), page.getByRole('button', { name: '保存' }).click()]);
	await page.getByRole('alert').filter({ hasText: '事项编码：编码 TY-001 已被其他事项使用' }).waitFor();
	assert.equal(await page.getByLabel('事项名称').inputValue(), '退役军人适应性培训报名');
	assert.equal(await page.getByLabel('事项编码').getAttribute('aria-invalid'), 'true');
	await shot(page, '4-refused');
	await page.getByLabel('事项编码').fill('JY-009');
	await Promise.all([page.waitForURL((u) => /^\/services\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '保存' }).click()]);
	await page.getByRole('status').filter({ hasText: '服务事项已新建' }).waitFor();
	assert.match(await page.locator('#materials tbody').innerText(), /学历证明\s+可容缺/);
	assertNoProblems(page, 'form');
});

browserTest('on a phone the list and an item fit the screen', async () => {
	const page = await newPage(browser, site, { viewport: { width: 390, height: 844 } });
	await signIn(page, 'v_clerk', PASSWORD);
	for (const [p, name] of [['/services', '5-phone-list'], ['/services/1', '6-phone-bundle']]) {
		await page.goto(p);
		await page.locator('h1').waitFor();
		const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
		assert.ok(scroll <= width, `${p}: the page is ${scroll} px wide on a ${width} px screen`);
		await shot(page, name);
	}
	assertNoProblems(page, 'phone');
});
