// dashboard.test.mjs - the 统计看板 as a leader and a station read it: the year's figures of
// every area they may read, each opening its list; the charts drawn by the server as SVG
// images that load and carry their figures in words, each with its table. Checked with
// axe-core and shot at 1366 and 360 px, in a forced-colours (high-contrast) mode and as
// printed (build/test-logs/screens/dashboard-*.png, dashboard-print.pdf).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SCREENS, assertNoProblems, axeCheck, browserTest, screen, setup } from './lib.mjs';

const env = setup();

/* Every chart image on the page has loaded and has a size (an SVG that failed to parse has none). */
async function chartsLoaded(page) {
	const imgs = page.locator('img.dash-chart-img');
	const n = await imgs.count();
	for (let i = 0; i < n; i++) {
		const img = imgs.nth(i);
		await img.scrollIntoViewIfNeeded();
		await page.waitForFunction((el) => el.complete, await img.elementHandle());
		const w = await img.evaluate((el) => el.naturalWidth);
		assert.ok(w > 0, `chart ${await img.getAttribute('src')} did not load`);
	}
	return n;
}

browserTest('a leader reads the dashboard of 2023, opens a figure, and prints it', async () => {
	const page = await env.as('leader', { viewport: { width: 1366, height: 900 } });
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '统计看板' }).click();
	await page.waitForURL((u) => u.pathname === '/dashboard');
	await page.getByLabel('年份', { exact: true }).selectOption('2023');
	await Promise.all([page.waitForURL((u) => u.search.includes('year=2023')), page.getByRole('button', { name: '查看' }).click()]);
	await page.getByRole('heading', { name: '统计看板（2023 年）' }).waitFor();
	/* the seed's figures, as the report states them */
	assert.equal(await page.locator('#fig-holiday_visits .dash-num').innerText(), '1,496');
	assert.equal(await page.locator('#fig-officers_placed .dash-num').innerText(), '8');
	const charts = await chartsLoaded(page);
	assert.ok(charts >= 4, `${charts} charts`);
	/* each chart has its words and its table */
	const alt = await page.locator('#chart-month-holiday_visits img').getAttribute('alt');
	assert.match(alt, /^2023 年节日慰问人次（按月，人次）：1月 \d+/);
	assert.match(alt, /合计 1,496 人次。$/);
	const details = page.locator('#chart-month-holiday_visits details');
	await details.locator('summary').click();
	await details.getByRole('row', { name: /合计 1,496/ }).waitFor();
	await axeCheck(page, '/dashboard?year=2023');
	await screen(page, 'dashboard-1366');
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'dashboard-360');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	assert.ok(overflow <= 0, `the page scrolls sideways at 360 px by ${overflow} px`);

	/* high contrast: the page's colours replaced, the charts still there and readable */
	await page.emulateMedia({ forcedColors: 'active' });
	await page.setViewportSize({ width: 1366, height: 900 });
	await axeCheck(page, '/dashboard?year=2023 (forced colours)');
	await screen(page, 'dashboard-forced-1366');
	await page.emulateMedia({ forcedColors: 'none' });

	/* print: no navigation, no forms, every area from a new page */
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.sidenav').isVisible(), false);
	assert.equal(await page.locator('form.toolbar').isVisible(), false);
	await screen(page, 'dashboard-print');
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	writeFileSync(path.join(SCREENS, 'dashboard-print.pdf'), pdf);
	assert.ok(pdf.length > 10000);
	await page.emulateMedia({ media: 'screen' });

	/* a figure opens its list, of as many rows */
	await Promise.all([page.waitForURL((u) => u.pathname === '/care/stats/list'), page.locator('#fig-holiday_visits').click()]);
	await page.locator('#list-total').getByText('1,496').waitFor();
	assertNoProblems(page, 'dashboard');
});

browserTest('a station reads its own street only', async () => {
	const page = await env.as('station', { viewport: { width: 1366, height: 900 } });
	await page.goto('/dashboard?year=2023');
	await page.getByRole('heading', { name: '统计看板（2023 年）' }).waitFor();
	await chartsLoaded(page);
	const rows = page.locator('#chart-street-holiday_visits tbody tr');
	assert.equal(await rows.count(), 1);
	await axeCheck(page, '/dashboard (station)');
	await screen(page, 'dashboard-station-1366');
	assertNoProblems(page, 'dashboard (station)');
});
