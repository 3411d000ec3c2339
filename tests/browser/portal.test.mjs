// portal.test.mjs - the portal's frame and 区长信箱 as a visitor meets them, on the demo district
// served with --portal: axe-core finds no serious or critical violation on each page in the
// plain reading mode and with 大字 and 高对比度 on (MUST SHOW 3); the modes persist from page to
// page; body text is at least 18 px with a line height of at least 1.5 in 大字; nothing scrolls
// sideways at 360 px; the keyboard reaches everything with a visible focus; an elderly visitor
// writes a letter with the keyboard and follows it by its code. Screenshots (1366 and 360 px wide)
// go to build/test-logs/screens/ for people to look at.
import assert from 'node:assert/strict';
import { assertNoProblems, axeCheck, browserTest, pathOf, portalMode, screen, setup } from './lib.mjs';

const env = setup();

const PAGES = ['/mailbox', '/mailbox/write', '/track', '/mailbox/999999999'];

/** Asserts nothing on the page is wider than the window (no sideways scrolling). */
async function assertNoSidewaysScroll(page, what) {
	const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
	assert.ok(scroll <= client, `${what}: ${scroll}px wide in a ${client}px window`);
}

browserTest('every page of the frame and the mailbox passes axe-core in the plain mode and in 大字 + 高对比度, which persist', async () => {
	const page = await env.portalPage();
	for (const p of PAGES) {
		await page.goto(p);
		await axeCheck(page, `${p} (plain)`);
	}
	await page.goto('/mailbox');
	await portalMode(page, { large: true, contrast: true });
	for (const p of PAGES) {
		await page.goto(p);
		const cls = await page.evaluate(() => document.documentElement.className);
		assert.match(cls, /p-large/, `${p}: 大字 persists`);
		assert.match(cls, /p-contrast/, `${p}: 高对比度 persists`);
		await axeCheck(page, `${p} (大字 + 高对比度)`);
		const body = await page.evaluate(() => {
			const s = getComputedStyle(document.body);
			return { size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) / parseFloat(s.fontSize), bg: s.backgroundColor, color: s.color };
		});
		assert.ok(body.size >= 18, `${p}: body text ${body.size}px in 大字`);
		assert.ok(body.line >= 1.5, `${p}: line height ${body.line} in 大字`);
		assert.equal(body.bg, 'rgb(0, 0, 0)');
		assert.equal(body.color, 'rgb(255, 255, 255)');
	}
	await page.goto('/mailbox');
	await screen(page, 'portal-mailbox-1366-large-contrast');
	/* and off again */
	await portalMode(page, { large: false, contrast: false });
	await page.reload();
	assert.equal(await page.evaluate(() => document.documentElement.className), '');
	assertNoProblems(page, 'the portal pages');
});

browserTest('at 360 px wide nothing scrolls sideways, in either mode; the QR code and 返回顶部 are there', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	for (const modes of [{}, { large: true, contrast: true }]) {
		await page.goto('/mailbox');
		await portalMode(page, modes);
		for (const p of PAGES) {
			await page.goto(p);
			await assertNoSidewaysScroll(page, `${p} ${JSON.stringify(modes)}`);
		}
	}
	await page.goto('/mailbox');
	await portalMode(page, {});
	await page.goto('/mailbox');
	assert.ok(await page.getByRole('img', { name: /^二维码：http:\/\/127\.0\.0\.1:\d+\/mailbox$/ }).isVisible());
	await page.getByText('扫一扫在手机上查看').waitFor();
	await page.getByRole('link', { name: '返回顶部' }).click();
	assert.equal(new URL(page.url()).hash, '#top');
	await screen(page, 'portal-mailbox-360');
	assertNoProblems(page, 'the portal at 360 px');
});

browserTest('an elderly visitor writes to the mailbox with the keyboard only, is told what is missing, and follows the letter by its code', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	await page.goto('/mailbox');
	/* the first Tab reaches the skip link, with a visible focus ring */
	await page.keyboard.press('Tab');
	const first = await page.evaluate(() => ({ text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle }));
	assert.equal(first.text, '跳到主要内容');
	assert.notEqual(first.outline, 'none');
	await page.getByRole('link', { name: '我要写信' }).focus();
	await page.keyboard.press('Enter');
	await page.waitForURL('**/mailbox/write');
	await page.locator('#f-姓名').focus();
	await page.keyboard.type('王大爷');
	await page.keyboard.press('Tab');
	await page.keyboard.type('138');
	await page.keyboard.press('Tab');
	await page.keyboard.type('优待证办理进度');
	await page.keyboard.press('Tab');
	await page.keyboard.type('三月份交的材料，至今没有消息，请帮忙查一下。');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space'); /* 同意公开答复 */
	await page.keyboard.press('Tab');
	await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
	/* refused: the phone is too short; what was typed is kept */
	await page.getByRole('alert').getByText('联系电话应为').waitFor();
	assert.equal(await page.getByLabel('标题').inputValue(), '优待证办理进度');
	assert.ok(await page.getByLabel('同意公开答复').isChecked());
	await axeCheck(page, 'the refused form');
	await screen(page, 'portal-mailbox-refused-360');
	await page.getByRole('alert').getByRole('link', { name: '联系电话' }).click();
	await page.locator('#f-联系电话').fill('13800138000');
	await Promise.all([page.waitForURL(/\/track\?code=/), page.getByRole('button', { name: '提交' }).click()]);
	const code = await page.locator('#new-code').textContent();
	assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
	await page.locator('#status').getByText('待受理').waitFor();
	await axeCheck(page, 'the tracking page');
	await screen(page, 'portal-track-360');
	/* later, by the code alone */
	await page.goto('/track');
	await page.getByRole('searchbox').fill(code.toLowerCase());
	await Promise.all([page.waitForURL(/code=/), page.getByRole('button', { name: '查询' }).click()]);
	await page.getByRole('heading', { name: /区长信箱来信：优待证办理进度/ }).waitFor();
	assert.equal(pathOf(page), '/track');
	assertNoProblems(page, 'writing to the mailbox');
});

browserTest('the published replies: one opens from the list; at 1366 px', async () => {
	const page = await env.portalPage();
	await page.goto('/mailbox');
	const first = page.locator('.p-list a').first();
	const title = await first.textContent();
	await first.click();
	await page.getByRole('heading', { level: 1, name: title }).waitFor();
	await page.getByText('答复单位：').waitFor();
	await axeCheck(page, 'a published reply');
	await screen(page, 'portal-mailbox-reply-1366');
	await page.goto('/mailbox');
	await screen(page, 'portal-mailbox-1366');
	assertNoProblems(page, 'the published replies');
});
