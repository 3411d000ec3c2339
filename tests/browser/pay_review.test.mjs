// pay_review.test.mjs - a month's batches as the staff do them on the demo district: the
// 经办人 generates every benefit of 2026-01 with one button; the 复核人 opens the
// 定期生活补助 batch and reads its summary against 2025-12 (people added and stopped with
// the reason, each street, back pay and re-issues) above its 1,540 lines, then reviews
// two batches ticked on the list and the last one with "复核本期全部"; the 审批人 reads
// a batch page that tells him what he does (and nothing of the bank file, which is the
// 经办人's) and approves the whole month at once. Screenshots at 1366 px and on a phone
// go to /tmp/shots-batch/ (looked at, not asserted).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { assertNoProblems, browserTest, pathOf, setup } from './lib.mjs';

const env = setup();
const SHOTS = process.env.SHOTS ?? '/tmp/shots-batch';
const PERIOD = '2026-01';

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/* The list's row of the period's batch of benefit. */
const row = (page, benefit) => page.locator('tbody tr').filter({ hasText: PERIOD }).filter({ hasText: benefit });

browserTest('the clerk generates every benefit of the month with one button', async () => {
	const page = await env.as('clerk');
	await page.goto('/payments');
	await page.getByLabel('发放期间').fill(PERIOD);
	await page.getByRole('button', { name: '生成本期全部待遇' }).click();
	const outcome = page.locator('#outcome');
	await outcome.getByRole('heading', { name: `${PERIOD} 生成结果：生成 3 批` }).waitFor();
	for (const name of ['残疾抚恤金', '定期抚恤金', '定期生活补助'])
		assert.match(await outcome.locator('li').filter({ hasText: name }).innerText(), /已生成.*第 \d+ 批.*笔，合计 [\d,]+\.\d\d 元/);
	assert.match(await outcome.locator('li').filter({ hasText: '定期生活补助' }).innerText(), /1533 笔，合计 1,369,238\.73 元/);
	await shot(page, 'generate-due-1366');
	/* again: each benefit skipped, and said why */
	await page.getByLabel('发放期间').fill(PERIOD);
	await page.getByRole('button', { name: '生成本期全部待遇' }).click();
	await outcome.getByRole('heading', { name: `${PERIOD} 生成结果：生成 0 批` }).waitFor();
	assert.match(await outcome.locator('li').filter({ hasText: '定期生活补助' }).innerText(), /跳过.*已经生成过批次/);
	assertNoProblems(page, 'generate');
});

browserTest('the reviewer reads the summary first, then reviews several batches at once', async () => {
	const page = await env.as('reviewer');
	await page.goto('/payments');
	await row(page, '定期生活补助').getByRole('link', { name: /^第 \d+ 批$/ }).click();
	await page.waitForURL((u) => /^\/payments\/\d+$/.test(u.pathname));
	const summary = page.locator('#summary');
	await summary.getByRole('heading', { name: /与上期对比/ }).waitFor();
	assert.match(await summary.locator('#summary-totals').innerText(), /笔数\s+1533\s+1540\s+-7/);
	assert.match(await summary.locator('#summary-totals').innerText(), /金额（元）\s+1,369,238\.73\s+1,377,953\.00\s+-8,714\.27/);
	assert.match(await summary.innerText(), /新增 1 人[\s\S]*中止结束，恢复发放/);
	assert.match(await summary.innerText(), /停发 2 人[\s\S]*死亡（2025-12，因病）/);
	assert.match(await summary.innerText(), /重发 1 笔[\s\S]*账户状态异常/);
	assert.equal(await summary.locator('#summary-streets tbody tr').count(), 14);
	assert.equal(await summary.locator('#summary-largest tbody tr').count(), 10);
	/* the summary stands above the lines */
	const top = async (sel) => (await page.locator(sel).boundingBox()).y;
	assert.ok((await top('#summary')) < (await top('#sec-lines')), 'summary before the lines');
	assert.match(await page.locator('#role-hint').innerText(), /您是复核人/);
	assert.doesNotMatch(await page.locator('main').innerText(), /下载代发文件/);
	await shot(page, 'reviewer-batch-summary-1366');
	await page.locator('#summary').scrollIntoViewIfNeeded();
	await page.screenshot({ path: path.join(SHOTS, 'reviewer-summary-view-1366.png') });
	await page.locator('#summary-stopped').scrollIntoViewIfNeeded();
	await page.screenshot({ path: path.join(SHOTS, 'reviewer-summary-lists-1366.png') });

	await page.goto('/payments');
	await page.getByRole('heading', { name: '批量复核' }).waitFor();
	assert.equal(await page.getByRole('button', { name: `复核本期全部（${PERIOD}，3 批）` }).count(), 1);
	await row(page, '残疾抚恤金').getByRole('checkbox').check();
	await row(page, '定期抚恤金').getByRole('checkbox').check();
	await shot(page, 'reviewer-batches-ticked-1366');
	await page.getByRole('button', { name: '复核所勾选的批次' }).click();
	await page.locator('#outcome').getByRole('heading', { name: `${PERIOD} 复核结果：复核 2 批，共 2 项` }).waitFor();
	assert.ok(page.dialogs.some((d) => /确认已逐批核对所勾选的批次/.test(d)), page.dialogs.join('\n'));
	/* the last one of the month with the period's button */
	await page.getByRole('button', { name: `复核本期全部（${PERIOD}，1 批）` }).click();
	await page.locator('#outcome').getByRole('heading', { name: `${PERIOD} 复核结果：复核 1 批，共 1 项` }).waitFor();
	for (const name of ['残疾抚恤金', '定期抚恤金', '定期生活补助']) assert.match(await row(page, name).innerText(), /待审批/);
	await shot(page, 'reviewer-batches-reviewed-1366');
	assertNoProblems(page, 'review');
});

browserTest('the approver is told what he does, not to download the bank file, and approves the month', async () => {
	const page = await env.as('approver');
	await page.goto('/payments');
	await row(page, '定期生活补助').getByRole('link', { name: /^第 \d+ 批$/ }).click();
	await page.waitForURL((u) => /^\/payments\/\d+$/.test(u.pathname));
	const text = await page.locator('main').innerText();
	assert.match(text, /您是审批人/);
	assert.doesNotMatch(text, /下载代发文件|您是经办人|您是复核人/);
	assert.equal(await page.getByRole('link', { name: /代发文件/ }).count(), 0);
	await page.locator('#summary').waitFor();
	await shot(page, 'approver-batch-1366');

	await page.goto('/payments');
	await page.getByRole('button', { name: `审批本期全部（${PERIOD}，3 批）` }).click();
	await page.locator('#outcome').getByRole('heading', { name: `${PERIOD} 审批结果：审批 3 批，共 3 项` }).waitFor();
	for (const name of ['残疾抚恤金', '定期抚恤金', '定期生活补助']) assert.match(await row(page, name).innerText(), /已审批/);
	await shot(page, 'approver-batches-approved-1366');
	assertNoProblems(page, 'approve');
});

browserTest('on a phone the summary fits: its wide tables scroll inside their frame', async () => {
	const page = await env.as('reviewer', { viewport: { width: 390, height: 844 } });
	await page.goto('/payments');
	await row(page, '定期生活补助').getByRole('link', { name: /^第 \d+ 批$/ }).click();
	await page.waitForURL((u) => /^\/payments\/\d+$/.test(u.pathname));
	await page.locator('#summary').waitFor();
	const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
	assert.ok(w.scroll <= w.inner, `${pathOf(page)}: horizontal scrolling (${w.scroll} > ${w.inner})`);
	await shot(page, 'reviewer-batch-summary-390');
	await page.locator('#summary').scrollIntoViewIfNeeded();
	await page.screenshot({ path: path.join(SHOTS, 'reviewer-summary-view-390.png') });
	await page.locator('#summary-streets').scrollIntoViewIfNeeded();
	await page.screenshot({ path: path.join(SHOTS, 'reviewer-summary-streets-390.png') });
	await page.goto('/payments');
	const l = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
	assert.ok(l.scroll <= l.inner, `/payments: horizontal scrolling (${l.scroll} > ${l.inner})`);
	/* every batch approved: nothing left to tick */
	assert.equal(await page.getByRole('button', { name: '复核所勾选的批次' }).count(), 0);
	assert.equal(await page.getByRole('checkbox').count(), 0);
	await shot(page, 'reviewer-batches-390');
	assertNoProblems(page, 'phone');
});
