// payments.test.mjs - 待遇发放 as the three people who sign a batch: the 经办人 generates
// the month's batch of 残疾抚恤金 (after a refused form), the 复核人 reviews it, the
// 审批人 approves it, and the 经办人 downloads the bank's 代发文件. Nobody sees a button
// for a step that is not theirs or not yet due. Runs on a small district of its own
// (standards approved and entitlements confirmed through HTTP beforehand), on a fixed
// date. Screenshots of the pages go to build/test-logs/screens/payments-*.png (looked
// at, not asserted).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { before, after } from 'node:test';
import path from 'node:path';
import { Client, Server, addUser, cleanup, idNumber, importRegions, initDb, tempDir, vets } from '../http/lib.mjs';
import { PASSWORD, assertNoProblems, browserTest, launchBrowser, newPage, pathOf, screen, signIn } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 15, 2, 0, 0) / 1000; /* 2026-11-15 10:00 in Shanghai */
const PERIOD = '2026-10';

let server;
let browser;
let site; /* {url} for newPage */
let batchId;

/* 残疾军人 of two streets, with their accounts, and one 烈士遗属. */
const PEOPLE = [
	['张建国', '42010619600101013', '残疾军人', '6', '因战', '东湖街道', '中国银行', '6222020000000000011'],
	['李卫东', '42010619620202025', '残疾军人', '6', '因战', '长青街道', '农业银行', '6222020000000000022'],
	['王秀英', '42010619550303046', '残疾军人', '4', '因公', '长青街道', '建设银行', '6222020000000000033'],
	['赵红梅', '42010619500404047', '烈士遗属', '', '', '东湖街道', '工商银行', '6222020000000000044'],
];

before(async () => {
	const { db, dir } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'w_clerk', 'clerk', { org: '420199', displayName: '刘经办' }),
		addUser(db, 'w_rev', 'reviewer', { org: '420199', displayName: '陈复核' }),
		addUser(db, 'w_appr', 'approver', { org: '420199', displayName: '周审批' }),
	]);
	const csv = [
		'姓名,身份证号,人员类别,残疾等级,残疾性质,街道,开户银行,银行账号',
		...PEOPLE.map(([name, body, ...rest]) => [name, idNumber(body), ...rest].join(',')),
	];
	const file = path.join(dir, 'people.csv');
	writeFileSync(file, csv.join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	server = await Server.start(db, { fakeNow: NOW });
	site = { url: `http://${server.host}` };

	/* Standards (proposed by the clerk, approved by the reviewer) and entitlements (proposed by
	 * the clerk, confirmed by the reviewer). */
	const clerk = new Client(server);
	const rev = new Client(server);
	await clerk.signIn('w_clerk');
	await rev.signIn('w_rev');
	for (const [grade, nature, national] of [['6', '因战', '12000'], ['4', '因公', '18000']]) {
		const p = await clerk.postForm('/benefits/standards', {
			benefit: 'DISABILITY', grade, nature, effective_from: '2026-01-01', national, local: '1200',
		});
		assert.equal(p.status, 303, `${p}`);
	}
	const page = await rev.get('/benefits?benefit=DISABILITY');
	for (const m of page.body.matchAll(/\/benefits\/standards\/(\d+)\/decide/g)) {
		const a = await rev.postForm(`/benefits/standards/${m[1]}/decide`, { decision: 'approve' });
		assert.ok([303, 409].includes(a.status), `${a}`);
	}
	assert.equal((await clerk.postForm('/entitlements/propose', {})).status, 303);
	const list = await clerk.get(`/api/v1/entitlements?benefit=DISABILITY&status=${encodeURIComponent('待确认')}`);
	assert.equal(list.json.total, 3);
	for (const e of list.json.items) {
		const c = await rev.postForm(`/entitlements/${e.id}/confirm`, { start_month: '2026-09' });
		assert.equal(c.status, 303, `${c}`);
	}
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

/** A new browser context signed in as username, on the home page. */
async function as(username, viewport) {
	const page = await newPage(browser, site, viewport ? { viewport } : {});
	await signIn(page, username, PASSWORD);
	assert.equal(pathOf(page), '/', `${username} lands on the home page`);
	return page;
}

/** The text of the <dd> after the <dt> named term. */
async function fact(page, term) {
	return (await page.locator(`dl.facts dt:text-is("${term}") + dd`).first().innerText()).trim();
}

browserTest('the clerk generates the month\'s batch, after a refused form', async () => {
	const page = await as('w_clerk');
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待遇发放' }).click();
	await page.waitForURL((u) => u.pathname === '/payments');
	await page.getByRole('heading', { name: '待遇发放', level: 1 }).waitFor();
	await page.getByText('尚未生成发放批次。').waitFor();

	/* no benefit chosen: the form comes back with the reason, the period kept */
	await page.getByLabel('发放期间').fill(PERIOD);
	await page.getByRole('button', { name: '生成批次' }).click();
	await page.getByRole('alert').filter({ hasText: '请选择待遇' }).waitFor();
	assert.equal(await page.getByLabel('发放期间').inputValue(), PERIOD);
	assert.equal(await page.getByLabel('待遇', { exact: true }).getAttribute('aria-invalid'), 'true');

	await page.getByLabel('待遇', { exact: true }).selectOption({ label: '残疾抚恤金' });
	await Promise.all([
		page.waitForURL((u) => /^\/payments\/\d+$/.test(u.pathname)),
		page.getByRole('button', { name: '生成批次' }).click(),
	]);
	batchId = Number(pathOf(page).split('/').pop());
	await page.getByRole('status').filter({ hasText: '已生成批次：6 笔' }).waitFor();
	assert.equal(await fact(page, '笔数'), '6 笔', '3 people × September and October');
	/* 13,200 + 19,200 per year: 1,100 + 1,100 + 1,600 a month, twice */
	assert.equal(await fact(page, '金额'), '7,600.00 元');
	assert.equal(await fact(page, '复核'), '待复核');
	assert.equal(await page.getByRole('button', { name: '复核通过' }).count(), 0, 'the clerk cannot review');
	assert.equal(await page.getByRole('link', { name: /下载代发文件/ }).count(), 0, 'no bank file yet');
	await page.getByText('本批次尚未审批，还不能下载代发文件或导入回盘。').waitFor();
	const lines = page.locator('section').filter({ has: page.getByRole('heading', { name: /发放明细/ }) }).locator('tbody tr');
	assert.equal(await lines.count(), 6);
	assert.match(await lines.first().innerText(), /年标准 .* 元.*÷ 12/);
	await screen(page, 'payments-batch-generated');
	assertNoProblems(page, 'generate');
});

browserTest('the reviewer reviews it, the approver approves it', async () => {
	assert.ok(batchId, 'the first test generated a batch');
	const rev = await as('w_rev');
	await rev.goto('/payments');
	const row = rev.locator('tbody tr').filter({ hasText: PERIOD });
	assert.match(await row.innerText(), /待复核/);
	await Promise.all([rev.waitForURL((u) => u.pathname === `/payments/${batchId}`), row.getByRole('link', { name: `第 ${batchId} 批` }).click()]);
	assert.equal(await rev.getByRole('button', { name: '审批通过' }).count(), 0, 'a reviewer does not approve');
	await Promise.all([rev.waitForURL((u) => u.pathname === `/payments/${batchId}`), rev.getByRole('button', { name: '复核通过' }).click()]);
	assert.deepEqual(rev.dialogs, ['confirm: 确认已核对本批次明细，复核通过吗？']);
	await rev.getByRole('status').filter({ hasText: '批次已复核，待审批人审批' }).waitFor();
	assert.notEqual(await fact(rev, '复核'), '待复核');
	assert.equal(await rev.getByRole('button', { name: '复核通过' }).count(), 0, 'reviewed once');
	assertNoProblems(rev, 'review');

	const appr = await as('w_appr');
	await appr.goto(`/payments/${batchId}`);
	assert.equal(await appr.getByRole('button', { name: '复核通过' }).count(), 0);
	await Promise.all([appr.waitForURL((u) => u.pathname === `/payments/${batchId}`), appr.getByRole('button', { name: '审批通过' }).click()]);
	await appr.getByRole('status').filter({ hasText: '批次已审批' }).waitFor();
	assert.match(await appr.locator('h1').innerText(), /已审批/);
	assert.equal(await appr.getByRole('link', { name: /下载代发文件/ }).count(), 0, 'the approver has no bank file');
	await screen(appr, 'payments-batch-approved');
	assertNoProblems(appr, 'approve');
});

browserTest('the clerk downloads the bank file of the approved batch', async () => {
	assert.ok(batchId, 'the first test generated a batch');
	const page = await as('w_clerk');
	await page.goto(`/payments/${batchId}`);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载代发文件（CSV）' }).click()]);
	assert.equal(download.suggestedFilename(), `代发文件-${batchId}-${PERIOD}.csv`);
	const file = path.join(tempDir('vets-bank-'), 'bank.csv');
	await download.saveAs(file);
	const rows = readFileSync(file, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
	assert.equal(rows[0], '流水号,户名,账号,开户行,金额,摘要');
	assert.equal(rows.length, 7);
	assert.ok(rows.some((r) => r.includes('张建国,6222020000000000011,中国银行,1100.00,')), rows.join('\n'));
	assert.ok(rows.some((r) => r.includes('王秀英,6222020000000000033,建设银行,1600.00,')), rows.join('\n'));

	const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载代发文件（Excel）' }).click()]);
	assert.equal(xlsx.suggestedFilename(), `代发文件-${batchId}-${PERIOD}.xlsx`);

	/* the statistics count the batch as generated, nothing paid until the bank answers */
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待遇统计', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/stats/benefits');
	const stats = page.locator('tbody tr').filter({ hasText: '残疾抚恤金' });
	assert.match(await stats.innerText(), /0\s+0\s+0\.00\s+6\s+7,600\.00\s+6\s+0/);
	await screen(page, 'payments-stats');
	await page.goto('/benefits');
	await screen(page, 'payments-standards');
	await page.goto('/entitlements');
	await screen(page, 'payments-entitlements');
	await page.goto('/verifications');
	await screen(page, 'payments-verifications');
	await page.goto('/payments');
	await screen(page, 'payments-batches');
	await page.goto('/payments/lines');
	await screen(page, 'payments-lines');
	await page.goto('/persons');
	await Promise.all([page.waitForURL((u) => /^\/persons\/\d+$/.test(u.pathname)), page.getByRole('link', { name: '张建国' }).click()]);
	await page.getByRole('heading', { name: '待遇与发放' }).waitFor();
	await screen(page, 'payments-person');
	assertNoProblems(page, 'bank file');
});

browserTest('on a phone the pages fit the screen: wide tables scroll inside their frame', async () => {
	assert.ok(batchId, 'the first test generated a batch');
	const page = await as('w_clerk', { width: 390, height: 844 });
	for (const [name, url] of [
		['batch', `/payments/${batchId}`],
		['batches', '/payments'],
		['lines', '/payments/lines'],
		['entitlements', '/entitlements'],
		['verifications', '/verifications'],
		['standards', '/benefits'],
		['stats', '/stats/benefits'],
	]) {
		await page.goto(url);
		const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
		assert.ok(w.scroll <= w.inner, `${url}: horizontal scrolling (${w.scroll} > ${w.inner})`);
		if (name === 'batch' || name === 'entitlements') await screen(page, `payments-${name}-390x844`);
	}
	assertNoProblems(page, 'phone');
});
