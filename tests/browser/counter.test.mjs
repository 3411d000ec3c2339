// counter.test.mjs - the counter from the window to the 回访, as people do it: a clerk
// receives an application with one 容缺 material at the window page and prints the
// 容缺受理通知书 (the missing material and the supply-by day on it); the applicant follows
// it on the public tracking page by its code (nothing personal shown); the clerk records
// the material supplied and closes it; the applicant rates it 非常不满意 on the tracking
// page; the clerk records the 回访 and it shows. Then a leader sits at the window (坐窗口)
// and marks a problem found there (查问题). On a fixed Monday; screenshots go to
// /tmp/shots-counter/ (looked at, not asserted). The tests build on each other, in order.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { Server, addUser, cleanup, idNumber, importRegions, initDb, tempDir, vets } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, browserTest, launchBrowser, newPage, pathOf, signIn } from './lib.mjs';

const NOW = Date.UTC(2026, 2, 2, 2, 0, 0) / 1000; /* Monday 2026-03-02 10:00 in Shanghai */
const SHOTS = '/tmp/shots-counter';
const ID_NUMBER = idNumber('42010619800101001');
const PHONE = '13807180001';

let server;
let browser;
let site;
let code; /* the application's tracking code */
let appPath; /* its staff page */

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'w_clerk', 'clerk', { org: '420199', displayName: '王窗口' });
	await addUser(db, 'w_leader', 'leader', { org: '420199', displayName: '赵局长' });
	const csv = [
		'事项编码,事项名称,承诺时限,法定依据,材料名称,材料必要',
		'YD-001,退役军人优待证申领,5,《退役军人优待证管理办法》,居民身份证,是',
		'YD-001,退役军人优待证申领,5,《退役军人优待证管理办法》,退役证件,是',
		'YD-001,退役军人优待证申领,5,《退役军人优待证管理办法》,近期免冠彩色照片,否',
	].join('\r\n') + '\r\n';
	const file = path.join(tempDir('vets-catalogue-'), 'items.csv');
	writeFileSync(file, csv);
	const r = await vets(['service', 'import', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	server = await Server.start(db, { fakeNow: NOW });
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

browserTest('the clerk receives an application with one 容缺 material and prints the notice', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'w_clerk', PASSWORD);
	await page.goto('/applications/new');
	await page.getByLabel('事项', { exact: true }).selectOption('YD-001');
	await Promise.all([page.waitForURL((u) => u.searchParams.get('service') === 'YD-001'), page.getByRole('button', { name: '选择' }).click()]);
	await page.getByLabel('居民身份证（必要）').check();
	await page.getByLabel('退役证件（必要）').check();
	await page.getByLabel('近期免冠彩色照片（可容缺）').uncheck();
	await Promise.all([page.waitForURL((u) => u.searchParams.has('materials')), page.getByRole('button', { name: '核对材料' }).click()]);
	assert.equal((await page.locator('#verdict').innerText()).trim(), '容缺受理');
	assert.equal((await page.locator('#missing').innerText()).trim(), '近期免冠彩色照片');
	await page.getByLabel('姓名').fill('陈志强');
	await page.getByLabel('身份证号').fill(ID_NUMBER);
	await page.getByLabel('手机号').fill(PHONE);
	await page.getByLabel(/申请人已签署书面承诺/).check();
	await shot(page, '1-window');
	await Promise.all([page.waitForURL((u) => /^\/applications\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '容缺受理' }).click()]);
	appPath = pathOf(page);
	code = (await page.locator('#code').innerText()).trim();
	assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
	assert.equal((await page.locator('#status').innerText()).trim(), '容缺受理');
	const supplyBy = (await page.locator('dl.facts dt:text-is("补齐期限") + dd').innerText()).trim();
	assert.match(supplyBy, /^2026-03-\d\d$/);

	/* the notice names the missing material and the day it is due; printed without the tools */
	await Promise.all([page.waitForURL((u) => u.pathname === `${appPath}/notice`), page.getByRole('link', { name: '打印容缺受理通知书' }).click()]);
	assert.match(await page.locator('#notice-missing').innerText(), /近期免冠彩色照片/);
	assert.equal((await page.locator('#supply-by').innerText()).trim(), supplyBy);
	assert.match(await page.locator('article.notice').innerText(), new RegExp(code));
	await shot(page, '2-notice');
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'the tools are not printed');
	await shot(page, '3-notice-print');
	assertNoProblems(page, 'window');
});

browserTest('the applicant tracks it by code: the item, the steps and dates, nothing personal', async () => {
	assert.ok(code, 'the first test received an application');
	const page = await newPage(browser, site);
	await page.goto('/track');
	await page.locator('#t-code').fill(code.toLowerCase());
	await Promise.all([page.waitForURL((u) => u.searchParams.has('code')), page.getByRole('button', { name: '查询' }).click()]);
	assert.equal((await page.locator('#status').innerText()).trim(), '容缺受理');
	const text = await page.locator('body').innerText();
	assert.match(text, /退役军人优待证申领/);
	assert.match(text, /近期免冠彩色照片/);
	for (const personal of ['陈志强', '陈', ID_NUMBER, ID_NUMBER.slice(-4), PHONE, PHONE.slice(-4)])
		assert.ok(!text.includes(personal), `the tracking page shows ${personal}`);
	assert.match(text, /办结（或不予受理、退回、终止）后，您可以在这里评价/);
	await shot(page, '4-track-open');
	assertNoProblems(page, 'track');
});

browserTest('the clerk records the material supplied and closes the application', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'w_clerk', PASSWORD);
	await page.goto(appPath);
	await page.getByLabel('补齐的材料').selectOption('近期免冠彩色照片');
	await Promise.all([page.waitForURL((u) => u.pathname === appPath), page.getByRole('button', { name: '补齐', exact: true }).click()]);
	await page.locator('#status').filter({ hasText: '已受理' }).waitFor();
	await Promise.all([page.waitForURL((u) => u.pathname === appPath), page.getByRole('button', { name: '办结', exact: true }).click()]);
	await page.locator('#status').filter({ hasText: '已办结' }).waitFor();
	assert.match(await page.locator('section').filter({ has: page.getByRole('heading', { name: '办理过程' }) }).innerText(), /补齐[\s\S]*办结/);
	await shot(page, '5-closed');
	assertNoProblems(page, 'close');
});

browserTest('the applicant rates it 非常不满意 on the tracking page', async () => {
	const page = await newPage(browser, site);
	await page.goto(`/track?code=${code}`);
	assert.equal((await page.locator('#status').innerText()).trim(), '已办结');
	await page.getByLabel('非常不满意').check();
	await page.getByLabel('意见或建议（可不填）').fill('补照片跑了两趟，希望一次告知清楚');
	await shot(page, '6-rate');
	await Promise.all([page.waitForURL((u) => u.pathname === '/track'), page.getByRole('button', { name: '提交评价' }).click()]);
	assert.match(await page.locator('#my-rating').innerText(), /本件已评价：非常不满意（2026-03-02）。感谢您的评价，工作人员将在规定时间内与您联系回访/);
	assert.equal(await page.getByRole('button', { name: '提交评价' }).count(), 0, 'rated once');
	await shot(page, '7-rated');
	assertNoProblems(page, 'rate');
});

browserTest('the clerk records the 回访 of the 差评 and it shows', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'w_clerk', PASSWORD);
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '好差评' }).click();
	await page.waitForURL((u) => u.pathname === '/ratings');
	const row = page.locator('tbody tr').filter({ hasText: code });
	assert.match(await row.innerText(), /非常不满意\s+查询页\s+2026-03-09/);
	await shot(page, '8-ratings');
	await Promise.all([page.waitForURL((u) => /^\/ratings\/\d+$/.test(u.pathname)), row.getByRole('link', { name: code }).click()]);
	const ratingPath = pathOf(page);
	assert.match(await page.locator('#rating-level').innerText(), /非常不满意/);
	assert.match(await page.locator('#visit').innerText(), /尚未回访/);
	/* a note too short comes back with its reason */
	await page.getByLabel('回访情况').fill('好');
	await Promise.all([page.waitForURL((u) => u.pathname === ratingPath && u.searchParams.has('form')), page.getByRole('button', { name: '登记回访' }).click()]);
	await page.getByRole('alert').filter({ hasText: '回访情况：请填写回访情况（2 至 500 个字）' }).waitFor();
	await page.getByLabel('回访情况').fill('电话回访陈先生，致歉并说明照片要求已写入一次性告知书');
	await Promise.all([page.waitForURL((u) => u.pathname === ratingPath && !u.search), page.getByRole('button', { name: '登记回访' }).click()]);
	await page.getByRole('status').filter({ hasText: '回访已登记' }).waitFor();
	assert.match(await page.locator('#visit').innerText(), /2026-03-02 王窗口回访：电话回访陈先生，致歉并说明照片要求已写入一次性告知书（王窗口登记）/);
	assert.equal(await page.getByRole('button', { name: '登记回访' }).count(), 0);
	await page.getByLabel('整改情况').fill('一次性告知书补充照片规格，窗口张贴样例');
	await Promise.all([page.waitForURL((u) => u.pathname === ratingPath && !u.search), page.getByRole('button', { name: '登记整改' }).click()]);
	assert.match(await page.locator('#fix').innerText(), /一次性告知书补充照片规格/);
	await shot(page, '9-followed-up');
	assertNoProblems(page, 'followup');
});

browserTest('a leader sits at the window (坐窗口) and marks the problem found, tracked on 查问题', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'w_leader', PASSWORD);
	await page.goto('/applications/new');
	await page.getByLabel('事项', { exact: true }).selectOption('YD-001');
	await Promise.all([page.waitForURL((u) => u.searchParams.get('service') === 'YD-001'), page.getByRole('button', { name: '选择' }).click()]);
	await page.locator('#assessment').waitFor();
	await page.goto('/inspections/new');
	await page.getByLabel('类型').selectOption('坐窗口');
	await page.getByLabel('发现的问题').fill('一次性告知书未写明照片规格，申请人往返两次');
	await page.getByLabel('责任单位').selectOption({ index: 1 });
	await page.getByLabel('整改期限').fill('2026-03-06');
	await page.getByLabel(/关联办件/).fill(code);
	await Promise.all([page.waitForURL((u) => /^\/inspections\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '登记' }).click()]);
	assert.equal((await page.locator('#inspection-status').innerText()).trim(), '待整改');
	await page.goto('/inspections');
	assert.match(await page.locator('tbody').innerText(), /坐窗口\s+一次性告知书未写明照片规格/);
	await shot(page, '10-inspections');
	/* the counter's figures: the 差评 counted, and its figure leads to the application */
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办件统计' }).click();
	await page.waitForURL((u) => u.pathname === '/counter/stats');
	const bad = page.locator('tr[data-figure="bad_followed_in_time"]');
	assert.match(await bad.innerText(), /按期回访整改的差评件数\s+1/);
	await shot(page, '11-stats');
	await Promise.all([page.waitForURL((u) => u.pathname === '/counter/stats/list'), bad.getByRole('link').click()]);
	assert.equal((await page.locator('#list-total').innerText()).trim(), '1');
	assert.match(await page.locator('#figure-list tbody').innerText(), new RegExp(`${code}[\\s\\S]*非常不满意`));
	await shot(page, '12-stats-list');
	assertNoProblems(page, 'inspection');
});
