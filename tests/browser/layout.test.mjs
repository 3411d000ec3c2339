// layout.test.mjs - the pages at a desktop, a tablet and a phone size: no
// sideways scrolling, a menu one can reach, 返回顶部, and the 大字模式 switch.
// Also saves screenshots of the main pages at each size to
// build/test-logs/screens/ for people to look at (not asserted).
import assert from 'node:assert/strict';
import { setup, browserTest, assertNoProblems, screen } from './lib.mjs';

const env = setup();

const SIZES = [
	{ width: 1366, height: 768 },
	{ width: 768, height: 1024 },
	{ width: 390, height: 844 },
];

/** {scrollWidth, innerWidth} of the page. */
function widths(page) {
	return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

async function assertNoSideways(page, what) {
	const w = await widths(page);
	assert.ok(w.scrollWidth <= w.innerWidth, `${what}: horizontal scrolling (scrollWidth ${w.scrollWidth} > innerWidth ${w.innerWidth})`);
}

/** The nav link named name can be brought into view, lies inside the viewport, and works. */
async function assertNavReachable(page, name, path, what) {
	const link = page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true });
	await link.scrollIntoViewIfNeeded();
	assert.ok(await link.isVisible(), `${what}: the ${name} menu entry is visible`);
	const box = await link.boundingBox();
	const { innerWidth } = await widths(page);
	assert.ok(box && box.x >= 0 && box.x + box.width <= innerWidth + 0.5, `${what}: ${name} lies inside the viewport: ${JSON.stringify(box)}`);
	await Promise.all([page.waitForURL((u) => u.pathname === path), link.click()]);
}

/** 返回顶部 exists once and brings one back to the top. */
async function assertToTop(page, what) {
	const link = page.getByRole('link', { name: '返回顶部' });
	assert.equal(await link.count(), 1, `${what}: one 返回顶部 link`);
	await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	await link.click();
	await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 3000 });
}

for (const size of SIZES) {
	const tag = `${size.width}x${size.height}`;
	browserTest(`pages fit and the menu is reachable at ${tag}`, async () => {
		const admin = await env.as('sysadmin', { viewport: size });
		await assertNoSideways(admin, `home ${tag}`);
		await assertToTop(admin, `home ${tag}`);
		await screen(admin, `home-${tag}`);

		await assertNavReachable(admin, '账号管理', '/users', `home ${tag}`);
		await admin.getByRole('heading', { name: '账号管理', level: 1 }).waitFor();
		await assertNoSideways(admin, `账号管理 ${tag}`);
		await assertToTop(admin, `账号管理 ${tag}`);
		await screen(admin, `users-${tag}`);
		await assertNavReachable(admin, '首页', '/', `账号管理 ${tag}`);

		/* the other pages */
		await admin.goto('/users');
		await admin.getByRole('link', { name: 'secadmin', exact: true }).click();
		await admin.waitForURL(/\/users\/\d+$/);
		await screen(admin, `account-${tag}`);
		await assertNoSideways(admin, `account page ${tag}`);
		await assertNavReachable(admin, '组织机构', '/orgs', `account page ${tag}`);
		await screen(admin, `orgs-${tag}`);
		/* its .sr-only rename labels (position: absolute) in the scrolling table
		 * once widened the page on a phone */
		await assertNoSideways(admin, `组织机构 ${tag}`);
		await admin.goto('/roles');
		await screen(admin, `roles-${tag}`);
		assertNoProblems(admin, `sysadmin pages ${tag}`);

		const auditor = await env.as('auditor', { viewport: size });
		await assertNavReachable(auditor, '审计日志', '/audit', `home ${tag}`);
		await screen(auditor, `audit-${tag}`);
		await assertNoSideways(auditor, `audit ${tag}`);
		assertNoProblems(auditor, `audit ${tag}`);

		const visitor = await env.page({ viewport: size });
		await visitor.goto('/login');
		await assertNoSideways(visitor, `login ${tag}`);
		await screen(visitor, `login-${tag}`);
		assertNoProblems(visitor, `login ${tag}`);

	});
}

/** The computed font size of <body> in px. */
function bodyFontSize(page) {
	return page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
}

browserTest('大字模式 enlarges the text and is remembered', async () => {
	const page = await env.as('sysadmin', { viewport: { width: 390, height: 844 } });
	const button = page.getByRole('button', { name: '大字模式' });
	assert.equal(await button.getAttribute('aria-pressed'), 'false');
	const normal = await bodyFontSize(page);
	await button.click();
	const large = await bodyFontSize(page);
	assert.ok(large > normal, `body font grows: ${normal}px → ${large}px`);
	assert.equal(await button.getAttribute('aria-pressed'), 'true', 'the button says it is on');
	await screen(page, 'home-large-390x844');

	await page.reload();
	assert.equal(await bodyFontSize(page), large, 'still large after a reload');
	assert.equal(await button.getAttribute('aria-pressed'), 'true', 'still pressed after a reload');
	/* and on the next page, where it matters most: a wide table on a phone */
	await page.goto('/users');
	assert.equal(await bodyFontSize(page), large, 'large on the next page too');
	await assertNoSideways(page, '账号管理 in 大字模式 at 390x844');
	await screen(page, 'users-large-390x844');

	/* the login page has the switch too, and the choice holds there */
	await page.goto('/');
	await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: '退出' }).click()]);
	assert.equal(await bodyFontSize(page), large, 'the login page is large too');

	await page.getByRole('button', { name: '大字模式' }).click();
	assert.equal(await bodyFontSize(page), normal, 'switched back to normal');
	await page.reload();
	assert.equal(await bodyFontSize(page), normal, 'normal after a reload');
	assert.equal(await page.getByRole('button', { name: '大字模式' }).getAttribute('aria-pressed'), 'false');
	assertNoProblems(page, '大字模式');
});
