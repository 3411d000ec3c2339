// recovery.test.mjs - 追缴 as the clerk does it: from 待遇发放's tab 追缴 to the list, a case
// opened from it, the 追缴通知书 printed (its print layout without the page's tools), an
// amount refused then recorded, the case closed; the dead person's page shows the lines
// paid after the death with the case. Runs on a small district of its own: two deaths
// reported after their months were paid (pay lines written straight into the store), on a
// fixed date; then the list and a case on a phone. Screenshots go to /tmp/shots-recovery/
// (looked at, not asserted). The tests build on each other, in order.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, after } from 'node:test';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, sqlExec } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, browserTest, launchBrowser, newPage, pathOf, signIn } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const SHOTS = '/tmp/shots-recovery';

let server;
let browser;
let site;
const people = {};
let caseId; /* the case the first test opens */

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await addUser(db, 'v_clerk', 'clerk', { org: '420199', displayName: '刘经办' });
	server = await Server.start(db, { fakeNow: NOW });
	site = { url: `http://${server.host}` };
	const clerk = new Client(server);
	await clerk.signIn('v_clerk');
	const api = (method, path, json) => clerk.request(method, path, { json, headers: { 'X-CSRF-Token': clerk.csrf } });
	for (const [name, body, street] of [['张建国', '42010619500101011', '东湖街道'], ['李卫东', '42010619510202022', '长青街道']]) {
		const r = await api('POST', '/api/v1/persons', { name, id_number: idNumber(body), categories: '退役军人', street });
		assert.equal(r.status, 201, `${r}`);
		people[name] = r.json.id;
	}
	let sql = '';
	for (const name of Object.keys(people))
		sql += `INSERT INTO entitlements (person_id, benefit_code, region_code, grade, nature, start_month, status, created_at)
			SELECT id, 'DISABILITY', region_code, 6, '因战', '2024-01', '正常', 0 FROM persons WHERE id = ${people[name]};\n`;
	for (const m of ['09', '10', '11', '12']) {
		sql += `INSERT INTO pay_batches (period, benefit_code, status, through, created_at, created_name, region_code) VALUES ('2025-${m}', 'DISABILITY', '已审批', '2025-${m}', 0, '刘经办', '420199');\n`;
		for (const name of Object.keys(people))
			sql += `INSERT INTO pay_lines (batch_id, entitlement_id, person_id, benefit_code, month, kind, amount_fen, status, region_code, street_code)
				SELECT (SELECT max(id) FROM pay_batches), e.id, p.id, 'DISABILITY', '2025-${m}', 'regular', 123456, '已发', p.region_code, p.street_code
				FROM persons p JOIN entitlements e ON e.person_id = p.id WHERE p.id = ${people[name]};\n`;
	}
	sqlExec(db, sql);
	for (const [name, date] of [['张建国', '2025-10-08'], ['李卫东', '2025-11-02']]) {
		const r = await api('POST', `/api/v1/persons/${people[name]}/status`, { status: '死亡', date, reason: '病故', cause: '因战' });
		assert.equal(r.status, 200, `${r}`);
	}
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

async function fact(page, term) {
	return (await page.locator(`dl.facts dt:text-is("${term}") + dd`).first().innerText()).trim();
}

browserTest('the clerk opens a case from the list, prints the notice, records what came back and closes the case', async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'v_clerk', PASSWORD);
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待遇发放' }).click();
	await page.getByRole('navigation', { name: '待遇与发放' }).getByRole('link', { name: '追缴' }).click();
	await page.waitForURL((u) => u.pathname === '/recoveries');
	await page.getByText('应追缴 3,703.68 元').waitFor();
	const row = page.locator('tbody tr').filter({ hasText: '张建国' });
	assert.match(await row.innerText(), /2025-11 至 2025-12（2 笔）\s+2,469\.12\s+0\.00\s+2,469\.12\s+立案/);
	await shot(page, '1-list');

	await Promise.all([page.waitForURL((u) => /^\/recoveries\/\d+$/.test(u.pathname)), row.getByRole('button', { name: '立案' }).click()]);
	caseId = Number(pathOf(page).split('/').pop());
	await page.getByRole('status').filter({ hasText: '已立案追缴' }).waitFor();
	assert.equal(await fact(page, '尚欠'), '2,469.12 元');

	/* the notice: a document with a print button; printed, the tools are not on paper */
	await Promise.all([page.waitForURL((u) => u.pathname === `/recoveries/${caseId}/notice`), page.getByRole('link', { name: '追缴通知书' }).click()]);
	const notice = page.locator('article.notice');
	const words = await notice.innerText();
	assert.match(words, /追\s*缴\s*通\s*知\s*书/);
	assert.match(words, /张建国（身份证号 420106\*{8}\d{3}[\dX]）家属或继承人/);
	assert.match(words, /合计应退还\s+2,469\.12/);
	assert.match(words, /示范区退役军人事务局优抚窗口/);
	await page.evaluate(() => {
		window.printed = 0;
		window.print = () => {
			window.printed += 1;
		};
	});
	await page.getByRole('button', { name: '打印' }).click();
	assert.equal(await page.evaluate(() => window.printed), 1, '打印 opens the print dialog');
	await shot(page, '2-notice');
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'the tools are not printed');
	assert.equal(await page.locator('.topbar').isVisible(), false);
	await shot(page, '3-notice-print');
	await page.emulateMedia({ media: 'screen' });

	/* back to the case: a bad amount comes back with its reason and the typed value */
	await Promise.all([page.waitForURL((u) => u.pathname === `/recoveries/${caseId}`), page.getByRole('link', { name: '返回案件' }).click()]);
	await page.getByLabel('金额（元）').fill('12.345');
	await page.getByLabel('方式').selectOption('现金');
	/* refused: redirected back to the case (POST/redirect/GET), so a refresh sends nothing */
	await Promise.all([page.waitForURL((u) => u.pathname === `/recoveries/${caseId}` && /^\?form=[0-9a-f]{32}$/.test(u.search)), page.getByRole('button', { name: '登记' }).click()]);
	for (const round of ['refused', 'refreshed']) {
		await page.getByRole('alert').filter({ hasText: '金额：金额应为大于 0 的元数，最多两位小数' }).waitFor();
		assert.equal(await page.getByLabel('金额（元）').inputValue(), '12.345', round);
		assert.equal(await page.getByLabel('金额（元）').getAttribute('aria-invalid'), 'true', round);
		assert.equal(await page.getByLabel('方式').inputValue(), '现金', `${round}: the chosen method stays`);
		if (round === 'refused') {
			await shot(page, '4-refused');
			await page.reload();
		}
	}

	await page.getByLabel('金额（元）').fill('2,469.12');
	await page.getByLabel('备注').fill('收据 0001');
	await Promise.all([page.waitForURL((u) => u.pathname === `/recoveries/${caseId}`), page.getByRole('button', { name: '登记' }).click()]);
	await page.getByRole('status').filter({ hasText: '追回款已登记' }).waitFor();
	assert.equal(await fact(page, '尚欠'), '0.00 元');
	assert.match(await page.locator('section').filter({ has: page.getByRole('heading', { name: '追回记录' }) }).locator('tbody').innerText(), /2026-01-15\s+2,469\.12\s+现金\s+收据 0001\s+刘经办/);
	await Promise.all([page.waitForURL((u) => u.pathname === `/recoveries/${caseId}`), page.getByRole('button', { name: '结案' }).click()]);
	await page.getByRole('status').filter({ hasText: '已结案' }).waitFor();
	assert.match(await fact(page, '状态'), /已结清/);
	assert.equal(await page.getByRole('button', { name: '登记' }).count(), 0, 'a closed case takes nothing more');
	await shot(page, '5-closed');
	assertNoProblems(page, 'recovery');
});

browserTest("the dead person's page shows the lines paid after the death, with the case", async () => {
	const page = await newPage(browser, site);
	await signIn(page, 'v_clerk', PASSWORD);
	await page.goto(`/persons/${people['张建国']}`);
	const section = page.locator('section#recoveries');
	await section.getByRole('heading', { name: '资格终止后发放（应追缴）' }).waitFor();
	const rows = section.locator('tbody tr');
	assert.equal(await rows.count(), 2);
	assert.match(await rows.first().innerText(), /2025-11\s+残疾抚恤金\s+1,234\.56\s+第 \d+ 批（2025-11）\s+已结清/);
	await section.scrollIntoViewIfNeeded();
	await shot(page, '6-person');
	/* 李卫东's lines have no case yet: the link leads to the list */
	await page.goto(`/persons/${people['李卫东']}`);
	await page.locator('section#recoveries').getByRole('link', { name: '未立案' }).click();
	await page.waitForURL((u) => u.pathname === '/recoveries');
	assertNoProblems(page, 'person');
});

browserTest('on a phone the list and a case fit the screen: the wide tables scroll in their frame', async () => {
	assert.ok(caseId, 'the first test opened a case');
	const page = await newPage(browser, site, { viewport: { width: 390, height: 844 } });
	await signIn(page, 'v_clerk', PASSWORD);
	for (const [path, name] of [['/recoveries?status=all', '7-phone-list'], [`/recoveries/${caseId}`, '8-phone-case']]) {
		await page.goto(path);
		await page.locator('h1').waitFor();
		const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
		assert.ok(scroll <= width, `${path}: the page is ${scroll} px wide on a ${width} px screen`);
		await shot(page, name);
	}
	assertNoProblems(page, 'phone');
});
