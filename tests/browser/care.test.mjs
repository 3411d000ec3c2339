// care.test.mjs - 关爱帮扶 as its users work it (MUST SHOW 3): a clerk creates a 春节 campaign
// from the registry by category, sees whom to visit, records visits (one refused first, then
// saved) and sees who is still due; a street station records visits in its street, is refused
// for a person of another street, finishes its part of the district's campaign and cannot
// open another street's record. Pages are looked at 1366 and 360 wide (screenshots in
// /tmp/shots-care/, not asserted) and checked with axe-core. In order.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { Server, addUser, cleanup, idNumber, importRegions, initDb, sqlRows, tempDir, vets } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, axeCheck, browserTest, launchBrowser, newPage, pathOf, signIn } from './lib.mjs';

const SHOTS = '/tmp/shots-care';
const NOW = Date.UTC(2026, 0, 25, 2, 0, 0) / 1000; /* 2026-01-25 10:00 in Shanghai */
let server;
let browser;
let site;
const P = {};

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'b_clerk', 'clerk', { org: '420199', displayName: '刘经办' });
	await addUser(db, 'b_station', 'station', { org: '420199002', displayName: '长青站' });
	await addUser(db, 'b_east', 'station', { org: '420199001', displayName: '东湖站' });
	const people = [
		['张一', '烈士遗属', '长青街道'],
		['李二', '在乡复员军人', '长青街道'],
		['王三', '军人家属', '东湖街道'],
		['赵四', '退役军人', '长青街道'],
		['钱五', '烈士遗属', '东湖街道'],
	];
	const file = path.join(tempDir('vets-care-b-'), 'people.csv');
	writeFileSync(file, ['姓名,身份证号,人员类别,街道', ...people.map(([n, c, s], i) => `${n},${idNumber(`4201061950020${1000 + i}`)},${c},${s}`)].join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	for (const row of sqlRows(db, 'SELECT id, name FROM persons ORDER BY id;')) P[row.name] = row.id;
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
	await page.setViewportSize({ width: 360, height: 740 });
	await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
	await page.setViewportSize({ width: 1366, height: 768 });
}

const dueNames = async (page) => (await page.locator('#people tbody tr td:nth-child(2)').allInnerTexts()).sort();

browserTest('a clerk records a holiday visit campaign: creates it, sees whom to visit, records visits, sees who is still due', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'b_clerk', PASSWORD);
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '关爱帮扶' }).click();
	await page.waitForURL((u) => u.pathname === '/care');
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/campaigns'), page.getByRole('link', { name: '节日慰问活动' }).click()]);
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/campaigns/new'), page.getByRole('link', { name: '新建慰问活动' }).click()]);
	await page.getByLabel('名称').fill('2026 年春节走访慰问');
	await page.getByLabel('节日').selectOption('春节');
	await page.getByLabel('开始日期').fill('2026-01-10');
	await page.getByLabel('结束日期').fill('2026-02-16');
	/* every holiday category is ticked; 军人家属 is left out this time */
	await page.getByLabel('军人家属').uncheck();
	await axeCheck(page);
	await shot(page, '1-campaign-new');
	await Promise.all([page.waitForURL((u) => /^\/care\/campaigns\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '新建并生成名单' }).click()]);
	const campaign = pathOf(page);
	/* whom to visit: the 在册 烈士遗属 and 在乡复员军人 of the district, not 王三 (军人家属) or 赵四 */
	assert.equal(await page.locator('#listed').innerText(), '3');
	assert.equal(await page.locator('#due').innerText(), '3');
	assert.deepEqual(await dueNames(page), ['张一', '李二', '钱五'].sort());
	await axeCheck(page);
	await shot(page, '2-campaign-due');

	/* a visit to 钱五: the money mistyped first, refused naming the field, then saved */
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/visits/new'), page.getByRole('link', { name: '登记慰问 钱五' }).click()]);
	await page.getByLabel('走访日期').fill('2026-01-20');
	await page.getByLabel('走访人员').fill('刘经办、东湖街道服务站');
	await page.getByLabel('慰问金（元）').fill('五百');
	await page.getByLabel('慰问品').fill('春联、米、油');
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/visits/new' && u.search.includes('form=')), page.getByRole('button', { name: '登记' }).click()]);
	const summary = page.getByRole('alert');
	await summary.waitFor();
	assert.match(await summary.innerText(), /未保存，请修改以下 1 处后再提交：\s*慰问金：慰问金应为/);
	await summary.getByRole('link', { name: '慰问金' }).waitFor();
	assert.equal(await page.getByLabel('走访人员').inputValue(), '刘经办、东湖街道服务站', 'what was typed is kept');
	await shot(page, '3-visit-refused');
	await page.getByLabel('慰问金（元）').fill('500');
	await Promise.all([page.waitForURL((u) => u.pathname === campaign), page.getByRole('button', { name: '登记' }).click()]);
	assert.equal(await page.locator('#due').innerText(), '2');
	assert.deepEqual(await dueNames(page), ['张一', '李二'].sort());
	/* the visited tab shows whom, and when */
	await Promise.all([page.waitForURL((u) => u.search === '?who=visited'), page.getByRole('link', { name: '已慰问', exact: true }).click()]);
	assert.match(await page.locator('#people tbody').innerText(), /钱五[\s\S]*已慰问 2026-01-20/);
	/* the visit in the list, money in 元 */
	await page.goto('/care/visits');
	assert.match(await page.locator('#visits tbody').innerText(), /2026-01-20\s+春节慰问\s+钱五\s+刘经办、东湖街道服务站\s+500\.00/);
	await page.goto('/care/campaigns');
	assert.match(await page.locator('#campaigns tbody').innerText(), /2026 年春节走访慰问\s+春节[\s\S]*3\s+1\s+2/);
	await shot(page, '4-campaigns');
	assertNoProblems(page, 'clerk');
});

browserTest('a station records visits in its street and is refused outside it', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'b_station', PASSWORD);
	await page.goto('/care/visits');
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/visits/new'), page.getByRole('link', { name: '登记走访慰问' }).click()]);
	/* 王三 lives in 东湖街道 */
	await page.getByLabel('人员编号').fill(String(P['王三']));
	await page.getByLabel('类别').selectOption('困难走访');
	await page.getByLabel('走访人员').fill('长青站 周丽');
	await Promise.all([page.waitForURL((u) => u.search.includes('form=')), page.getByRole('button', { name: '登记' }).click()]);
	await page.getByText(/本辖区人员信息库中没有编号为/).first().waitFor();
	await axeCheck(page);
	await shot(page, '5-station-refused');
	/* 赵四 of its own street: saved */
	await page.getByLabel('人员编号').fill(String(P['赵四']));
	await page.getByLabel('慰问金（元）').fill('800');
	await page.getByLabel('备注').fill('因病致困，送慰问金');
	await Promise.all([page.waitForURL((u) => /^\/care\/visits\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '登记' }).click()]);
	await page.goto('/care/visits');
	const rows = page.locator('#visits tbody');
	assert.match(await rows.innerText(), /困难走访\s+赵四\s+长青站 周丽\s+800\.00/);
	assert.doesNotMatch(await rows.innerText(), /钱五/, 'another street\'s visit is not listed');

	/* its part of the district's campaign: only 张一 and 李二 are due here */
	await page.goto('/care/campaigns');
	await Promise.all([page.waitForURL((u) => /^\/care\/campaigns\/\d+$/.test(u.pathname)), page.getByRole('link', { name: '2026 年春节走访慰问' }).click()]);
	const campaign = pathOf(page);
	assert.equal(await page.locator('#listed').innerText(), '2');
	assert.deepEqual(await dueNames(page), ['张一', '李二'].sort());
	for (const name of ['张一', '李二']) {
		await Promise.all([page.waitForURL((u) => u.pathname === '/care/visits/new'), page.getByRole('link', { name: `登记慰问 ${name}` }).click()]);
		await page.getByLabel('走访日期').fill('2026-01-22');
		await page.getByLabel('走访人员').fill('长青站 周丽');
		await page.getByLabel('慰问金（元）').fill('500');
		await Promise.all([page.waitForURL((u) => u.pathname === campaign), page.getByRole('button', { name: '登记' }).click()]);
	}
	assert.equal(await page.locator('#due').innerText(), '0');
	await page.getByText('名单上的人员都已慰问。').waitFor();
	await shot(page, '6-station-done');
	/* another street's visit, opened by its address: not found */
	const other = sqlRows(server.db, `SELECT id FROM care_visits WHERE person_id = ${P['钱五']};`)[0].id;
	const res = await page.goto(`/care/visits/${other}`);
	assert.equal(res.status(), 404);
	await page.getByText('走访记录不存在').waitFor();
	page.problems.length = 0; /* the 404 page is the page */

	/* the clerk sees the campaign with one still due: 钱五 visited, 张一 and 李二 by the station — 0 */
	const clerk = await newPage(browser, site);
	await signIn(clerk, 'b_clerk', PASSWORD);
	await clerk.goto(campaign);
	assert.equal(await clerk.locator('#visited').innerText(), '3');
	assert.equal(await clerk.locator('#due').innerText(), '0');
	assertNoProblems(clerk, 'clerk');
});
