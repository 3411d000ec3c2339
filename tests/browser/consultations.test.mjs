// consultations.test.mjs - 意见征集 in a browser, on the demo's store: the portal's list, a closed
// consultation with its summary, an open one, its comment form filled and sent by keyboard
// (the thank-you page after), each checked by axe-core in the plain reading mode and with both
// modes on, and at 360 px without sideways scrolling; then the clerk moderates the new comment
// on the staff page and the portal shows it. In order.
import assert from 'node:assert/strict';
import { assertNoProblems, axeCheck, browserTest, pathOf, portalMode, screen, setup } from './lib.mjs';

const env = setup();

/* The demo's consultations: 1 closed with its summary, 2 open. */
const PAGES = ['/consult', '/consult/1', '/consult/2', '/consult/2/comment', '/consult/1/comment', '/consult/2/thanks'];

async function noSidewaysScroll(page, what) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	assert.ok(wide <= 0, `${what} scrolls sideways by ${wide} px at 360 px`);
}

browserTest('every consultation page of the portal passes axe-core in both reading modes', async () => {
	const page = await env.portalPage();
	for (const modes of [{}, { large: true, contrast: true }]) {
		await page.goto('/consult');
		await portalMode(page, modes);
		for (const p of PAGES) {
			await page.goto(p);
			assert.equal(pathOf(page), p);
			await axeCheck(page, `${p} ${JSON.stringify(modes)}`);
		}
	}
	assertNoProblems(page, 'consultation pages');
});

browserTest('at 360 px the pages fit; the document shows the draft, the published comments and the summary', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	for (const p of PAGES) {
		await page.goto(p);
		await noSidewaysScroll(page, p);
	}
	await page.goto('/consult/1');
	await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /区退役军人创业扶持办法/ }).waitFor());
	await page.getByRole('heading', { name: '意见采纳情况' }).waitFor();
	/* the draft's and the summary's Markdown headings are real headings */
	await page.getByRole('heading', { level: 2, name: '第一章 扶持对象' }).waitFor();
	await page.getByRole('heading', { name: '未采纳及理由' }).waitFor();
	assert.match(await page.locator('main').innerText(), /关于将创业补贴提高至 2 万元的意见：暂不采纳/);
	assert.doesNotMatch(await page.locator('main').innerText(), /我的退役金三个月没有发了/, 'a rejected comment is not shown');
	await screen(page, 'consult-closed-360');
	await page.goto('/consult');
	await screen(page, 'consult-list-360');
});

browserTest('a visitor comments with the keyboard; the clerk publishes it; the portal shows it', async () => {
	const page = await env.portalPage();
	await page.goto('/consult/2');
	await page.getByRole('link', { name: '我要发表意见' }).click();
	await page.waitForURL('**/consult/2/comment');
	const text = '建议在服务站公示栏同时公布街道和社区两级的值班电话。';
	/* too short: the form comes back (400) with the error linked to its box, still accessible */
	await page.getByLabel('意见').fill('短');
	await page.getByRole('button', { name: '提交意见' }).click();
	await page.getByRole('alert').filter({ hasText: '意见至少 5 个字' }).waitFor();
	await axeCheck(page, 'the refused comment form');
	await page.getByRole('alert').getByRole('link', { name: '意见', exact: true }).click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-意见', 'the error links to its box');
	await page.getByLabel('姓名（可不填，不公开）').fill('浏览器测试');
	await page.getByLabel('意见').fill(text);
	await page.getByRole('button', { name: '提交意见' }).focus();
	await Promise.all([page.waitForURL('**/consult/2/thanks'), page.keyboard.press('Enter')]);
	await page.getByRole('heading', { name: '感谢您的意见' }).waitFor();
	await axeCheck(page, 'the thank-you page');
	await page.goto('/consult/2');
	assert.doesNotMatch(await page.locator('main').innerText(), /值班电话/, 'not before moderation');

	const staff = await env.as('clerk');
	await staff.goto('/consultations/2');
	const item = staff.locator('article.comment', { hasText: text });
	await item.getByRole('button', { name: '发布', exact: true }).click();
	await staff.waitForURL('**/consultations/2');
	assert.match(await staff.locator('article.comment', { hasText: text }).innerText(), /已发布/);
	await screen(staff, 'consultation-staff');
	assertNoProblems(staff, 'the staff page');

	/* a new visitor (the first one's browser may keep the page for its 60 s) */
	const later = await env.portalPage();
	await later.goto('/consult/2');
	assert.match(await later.locator('main').innerText(), /值班电话/);
	assert.match(await later.locator('main').innerText(), /收到意见 5 条 · 已公开 3 条/);
	assert.doesNotMatch(await later.locator('main').innerText(), /浏览器测试/, 'no name on the portal');
	assertNoProblems(page, 'the portal pages');
	assertNoProblems(later, 'the portal page');
});
