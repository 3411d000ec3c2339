// shuangyong.test.mjs - 双拥 as the demo's clerk does it: records an activity, then the news
// report about it (a report dated before the activity comes back with the summary and what was
// typed), sees the report's link open apart (rel="noopener"), and finds both counted on the
// statistics page, each figure opening the list that holds them. Pages checked with axe-core
// and shot at 1366 and 360 px (build/test-logs/screens/shuangyong-*.png).
import assert from 'node:assert/strict';
import { assertNoProblems, axeCheck, browserTest, pathOf, screen, setup } from './lib.mjs';

const env = setup();

async function figure(page, year, key) {
	await page.goto(`/shuangyong/stats?year=${year}`);
	return Number((await page.locator(`#fig-${key}`).innerText()).replace(/,/g, ''));
}

browserTest('a clerk records an activity with its news report and sees them counted', async () => {
	const page = await env.as('clerk', { viewport: { width: 1366, height: 900 } });
	const year = new Date().getFullYear();
	const before = { shuangyong_activities: await figure(page, year, 'shuangyong_activities'), shuangyong_news: await figure(page, year, 'shuangyong_news') };

	await page.goto('/');
	await Promise.all([page.waitForURL((u) => u.pathname === '/shuangyong'), page.getByRole('link', { name: '双拥', exact: true }).first().click()]);
	await axeCheck(page, '/shuangyong');
	await screen(page, 'shuangyong-list-1366');
	await Promise.all([page.waitForURL((u) => u.pathname === '/shuangyong/new'), page.getByRole('link', { name: '登记双拥活动' }).click()]);
	const day = `${year}-01-02`;
	await page.getByLabel('活动日期').fill(day);
	await page.getByLabel('活动类型').selectOption('为部队办实事');
	await page.getByLabel('参与单位').fill('区退役军人事务局、驻区某部（浏览器测试）');
	await page.getByLabel('活动地点').fill('驻区某部营区');
	await page.getByLabel('解决的问题').fill('协调解决营区饮水管网改造');
	await axeCheck(page, '/shuangyong/new');
	await Promise.all([page.waitForURL((u) => /^\/shuangyong\/\d+$/.test(u.pathname)), page.getByRole('button', { name: '登记' }).click()]);
	const activity = pathOf(page);

	/* A report dated before the activity: refused, back with what was typed. */
	await page.getByLabel('媒体').fill('区融媒体中心');
	await page.getByLabel('报道日期').fill(`${year - 1}-12-31`);
	await page.getByLabel('标题').fill('营区喝上放心水');
	await page.getByLabel(/^链接/).fill('https://news.example.cn/sy/water.html');
	await Promise.all([page.waitForURL((u) => u.search.includes('form=')), page.getByRole('button', { name: '登记报道' }).click()]);
	await page.getByText('未保存，请修改以下 1 处后再提交：').waitFor();
	await page.getByRole('link', { name: '报道日期' }).waitFor();
	assert.equal(await page.getByLabel('标题').inputValue(), '营区喝上放心水');
	await axeCheck(page, `${activity} (refused)`);
	await page.getByLabel('报道日期').fill(`${year}-01-03`);
	await Promise.all([page.waitForURL((u) => u.pathname === activity && !u.search), page.getByRole('button', { name: '登记报道' }).click()]);
	const link = page.getByRole('link', { name: '营区喝上放心水' });
	assert.equal(await link.getAttribute('href'), 'https://news.example.cn/sy/water.html');
	assert.match(await link.getAttribute('rel'), /noopener/);
	await axeCheck(page, activity);
	await screen(page, 'shuangyong-activity-1366');
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'shuangyong-activity-360');
	await page.setViewportSize({ width: 1366, height: 900 });

	/* Counted, and in the lists the figures open. */
	assert.equal(await figure(page, year, 'shuangyong_activities'), before.shuangyong_activities + 1);
	await axeCheck(page, '/shuangyong/stats');
	await screen(page, 'shuangyong-stats-1366');
	await Promise.all([page.waitForURL((u) => u.pathname === '/shuangyong/stats/list'), page.locator('#fig-shuangyong_activities').click()]);
	await page.locator('#figure-rows').getByText('区退役军人事务局、驻区某部（浏览器测试）').waitFor();
	assert.equal(Number(await page.locator('#list-total').innerText()), before.shuangyong_activities + 1);
	assert.equal(await figure(page, year, 'shuangyong_news'), before.shuangyong_news + 1);
	await Promise.all([page.waitForURL((u) => u.pathname === '/shuangyong/stats/list'), page.locator('#fig-shuangyong_news').click()]);
	await page.locator('#figure-rows').getByText('营区喝上放心水').waitFor();
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'shuangyong-stats-list-360');
	assertNoProblems(page, 'shuangyong');
});
