// home.test.mjs - the home page as a clerk and a station see it on the demo district: the
// to-dos first (待办事项), urgent ones marked, each a link that opens its list; an
// administrator with nothing waiting sees 暂无待办 and the pages he uses most. Looked at 1366
// and 360 wide (screenshots in /tmp/shots-home/, not asserted) and checked with axe-core.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, after } from 'node:test';
import { Server, cleanup, demoStore } from '../http/lib.mjs';
import { assertNoProblems, axeCheck, browserTest, launchBrowser, newPage, pathOf, signIn } from './lib.mjs';

const SHOTS = '/tmp/shots-home';
let server;
let browser;
let site;

before(async () => {
	const { db } = await demoStore();
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
	await page.setViewportSize({ width: 360, height: 740 });
	await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
	await page.setViewportSize({ width: 1366, height: 768 });
}

const todos = (page) => page.getByRole('region', { name: /待办事项/ }).getByRole('listitem');

browserTest('a clerk\'s home lists what waits, the overdue first, each opening its list', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'clerk', 'Demo@b1fdd5');
	assert.equal(pathOf(page), '/');
	const items = todos(page);
	assert.ok((await items.count()) >= 5, 'several kinds of work wait');
	/* the first are past a deadline, marked so */
	assert.match(await items.first().innerText(), /已超期/);
	const texts = await items.allInnerTexts();
	assert.ok(texts.some((t) => /生成 \d{4}-\d{2} 发放批次/.test(t)), texts.join('|'));
	assert.ok(texts.some((t) => /年度确认/.test(t)), texts.join('|'));
	await axeCheck(page);
	await shot(page, 'clerk');
	/* one opens its list, filtered */
	const petitions = page.getByRole('link', { name: /办理超期的信访/ });
	const n = Number((await petitions.locator('.todo-count').innerText()).trim());
	await Promise.all([page.waitForURL((u) => u.pathname === '/petitions' && u.search === '?overdue=1'), petitions.click()]);
	assert.match(await page.locator('.pager-info').innerText(), new RegExp(`共 ${n} 条`));
	assertNoProblems(page, 'clerk');
});

browserTest('a station\'s home counts its street only', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'station', 'Demo@12f628');
	const texts = await todos(page).allInnerTexts();
	assert.ok(texts.length >= 1, 'its street has work waiting');
	assert.ok(!texts.some((t) => /发放批次|确认待遇资格/.test(t)), 'no bureau\'s work');
	await axeCheck(page);
	await shot(page, 'station');
	assertNoProblems(page, 'station');
});

browserTest('an administrator with nothing waiting sees 暂无待办 and his usual pages', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'sysadmin', 'Demo@27ecdd');
	const region = page.getByRole('region', { name: /待办事项/ });
	await region.getByText('暂无待办').waitFor();
	await region.getByRole('link', { name: '管理账号' }).waitFor();
	await axeCheck(page);
	await shot(page, 'sysadmin');
	assertNoProblems(page, 'sysadmin');
});
