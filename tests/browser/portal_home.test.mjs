// portal_home.test.mjs - the portal's home, 新闻动态, 信息公开 and 办事指南 on the demo district:
// axe-core finds no serious or critical problem in the plain mode and with 大字 and 高对比度 on;
// at 360 px nothing scrolls sideways; keyboard reaches the entries; screenshots of the home
// page at 1366 and 360 px for people to look at.
import assert from 'node:assert/strict';
import { axeCheck, assertNoProblems, browserTest, portalMode, screen, setup } from './lib.mjs';

const env = setup();

/** Fails when the page is wider than its viewport (sideways scrolling). */
async function assertNoSideways(page, what) {
	const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
	assert.ok(scroll <= client, `${what}: ${scroll}px wide in a ${client}px window`);
}

/** The pages under test, found from the home page as a visitor would. */
async function portalPaths(page) {
	await page.goto('/');
	const news = await page.locator('a[href^="/news/"]').first().getAttribute('href');
	await page.goto('/open');
	const open = await page.locator('a[href^="/open/"]').first().getAttribute('href');
	await page.goto('/guide');
	const guide = await page.locator('a[href^="/guide/"]').first().getAttribute('href');
	return ['/', '/news', '/news?type=notice', news, '/open', open, '/guide', guide];
}

browserTest('home: news, notices, the entries and the 智能问答 box', async () => {
	const page = await env.portalPage();
	await page.goto('/');
	await page.getByRole('heading', { level: 1, name: '公众服务门户' }).waitFor();
	for (const name of ['信息公开', '办事指南', '进度查询', '区长信箱', '意见征集', '问卷调查', '智能问答'])
		assert.ok(await page.locator('.p-grid').getByRole('link', { name: new RegExp(`^${name}`) }).count(), name);
	assert.ok((await page.locator('section[aria-labelledby="home-news"] li a').count()) >= 5, 'the latest news');
	assert.ok((await page.locator('section[aria-labelledby="home-notices"] li a').count()) >= 3, 'the latest notices');
	assert.doesNotMatch(await page.content(), /（草稿）/, 'drafts are not shown');
	/* the question box sends to /qa?q=… */
	const box = page.getByLabel('输入您的问题');
	await box.fill('优待证怎么办');
	await Promise.all([page.waitForURL(/\/qa\?q=/), box.press('Enter')]);
	assert.match(decodeURIComponent(new URL(page.url()).search), /q=优待证怎么办/);
	/* keyboard: the first entry tile is reachable and visibly focused */
	await page.goto('/');
	let found = false;
	for (let i = 0; i < 40 && !found; i++) {
		await page.keyboard.press('Tab');
		found = await page.evaluate(() => document.activeElement?.classList.contains('p-tile'));
	}
	assert.ok(found, 'Tab reaches the entries');
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	assert.notEqual(outline, 'none', 'a visible focus ring');
	await screen(page, 'portal-home-1366');
	assertNoProblems(page, 'home');
});

browserTest('axe-core on home, news, 信息公开 and 办事指南, plain and in both reading modes', async () => {
	const page = await env.portalPage();
	const paths = await portalPaths(page);
	for (const p of paths) {
		await page.goto(p);
		await axeCheck(page, `${p} (plain)`);
	}
	await page.goto('/');
	await portalMode(page, { large: true, contrast: true });
	for (const p of paths) {
		await page.goto(p);
		assert.match(await page.evaluate(() => document.documentElement.className), /p-large/, `${p}: the mode persists`);
		await axeCheck(page, `${p} (大字 + 高对比度)`);
	}
	await page.goto('/');
	await screen(page, 'portal-home-1366-contrast');
	assertNoProblems(page, 'portal pages');
});

browserTest('360 px: no sideways scrolling on any page, in both modes', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	const paths = await portalPaths(page);
	for (const p of paths) {
		await page.goto(p);
		await assertNoSideways(page, `${p} at 360px`);
	}
	await page.goto(paths[5]);
	await screen(page, 'portal-open-item-360');
	await page.goto(paths[7]);
	await screen(page, 'portal-guide-item-360');
	await page.goto('/');
	await screen(page, 'portal-home-360');
	await portalMode(page, { large: true, contrast: false });
	for (const p of paths) {
		await page.goto(p);
		await assertNoSideways(page, `${p} at 360px, 大字`);
	}
	await page.goto('/');
	await screen(page, 'portal-home-360-large');
	assertNoProblems(page, 'portal pages at 360px');
});

browserTest('a clerk writes, previews and publishes a notice; the portal shows it at once', async () => {
	const page = await env.as('clerk');
	await page.goto('/articles');
	await axeCheck(page, '/articles');
	await page.getByRole('link', { name: '新建' }).click();
	await page.getByLabel('类型', { exact: true }).selectOption('通知公告');
	await page.getByLabel('标题', { exact: true }).fill('关于服务中心搬迁的公告');
	await page.getByLabel('文号（可不填）').fill('区退役军人局〔2026〕9号');
	await page.getByLabel('正文', { exact: true }).fill('服务中心自下月起迁至**新址**办公。\n\n- 地址：和平大道 88 号\n- 电话：0XX-8888 1235');
	await page.getByRole('button', { name: '预览' }).click();
	const preview = page.locator('#article-preview');
	await preview.getByText('新址').waitFor();
	assert.equal(await preview.locator('strong').first().textContent(), '新址');
	assert.equal(await preview.locator('li').count(), 2);
	await axeCheck(page, '/articles/new (preview)');
	await Promise.all([page.waitForURL(/\/articles\/\d+$/), page.getByRole('button', { name: '保存' }).click()]);
	const id = /\/articles\/(\d+)$/.exec(page.url())[1];
	assert.equal(await page.locator('#article-status').textContent(), '草稿');
	await axeCheck(page, `/articles/${id}`);
	await Promise.all([page.waitForURL(/\/articles\/\d+$/), page.getByRole('button', { name: '发布到门户网站' }).click()]);
	assert.equal(await page.locator('#article-status').textContent(), '已发布');
	const portal = await env.portalPage();
	await portal.goto('/news?type=notice');
	await portal.getByRole('link', { name: '关于服务中心搬迁的公告' }).click();
	await portal.getByRole('heading', { level: 1, name: '关于服务中心搬迁的公告' }).waitFor();
	assert.match(await portal.locator('.p-md').innerHTML(), /<strong>新址<\/strong>/);
	await axeCheck(portal, `/news/${id}`);
	assertNoProblems(page, 'the staff pages');
	assertNoProblems(portal, 'the portal page');
});
