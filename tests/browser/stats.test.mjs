// stats.test.mjs - every count on the statistics pages of the demo district opens the
// list of exactly the lines it counts. As the demo's 经办人, on the pages of 2023, 2024
// and 2025, of October 2025 (the month of the late raise's back pay) and of one street,
// each figure (人, 人次, 金额, 生成笔数, 生成金额, 待发, 失败, and the totals row) is clicked;
// the list it opens must show that figure as its total (人: its distinct persons; 人次,
// 笔数, 待发, 失败: its lines; 金额: its amount) and be filtered to the status the column
// counts.
import assert from 'node:assert/strict';
import { assertNoProblems, browserTest, pathOf, setup } from './lib.mjs';

const env = setup();

/* The status each column's list is filtered to ('' all). */
const COLUMN_STATUS = { 人: '已发', 人次: '已发', '金额（元）': '已发', 生成笔数: '', '生成金额（元）': '', 待发: '待发', 失败: '失败' };

/** The counts of the statistics page now shown: [{index, figure, shown, column, row}]. */
function countsOf(page) {
	return page.evaluate(() => {
		const heads = [...document.querySelectorAll('table.table-stats thead th')].map((th) => th.textContent.trim());
		return [...document.querySelectorAll('table.table-stats a[data-figure]')].map((a, index) => {
			const cell = a.closest('td');
			const row = cell.parentElement;
			return {
				index,
				figure: a.dataset.figure,
				shown: a.textContent.trim(),
				column: heads[[...row.children].indexOf(cell)],
				row: row.querySelector('th').textContent.trim(),
			};
		});
	});
}

async function clickEvery(page, url) {
	await page.goto(url);
	const counts = await countsOf(page);
	/* 6 benefits (待安置期生活费 the sixth) × 7 figures, and the totals row's 6 */
	assert.equal(counts.length, 6 * 7 + 6, `${url}: ${counts.length} counts`);
	let nonZero = 0;
	for (const c of counts) {
		if (pathOf(page) !== '/stats/benefits') await page.goto(url);
		const what = `${url} ${c.row} ${c.column} (${c.shown})`;
		await Promise.all([
			page.waitForURL((u) => u.pathname === '/payments/lines'),
			page.locator('table.table-stats a[data-figure]').nth(c.index).click(),
		]);
		const total = (await page.locator(`.result-count [data-total="${c.figure}"]`).innerText()).trim();
		assert.equal(total, c.shown, `${what}: the list totals ${total}`);
		const status = await page.locator('#l-status').inputValue();
		assert.equal(status, COLUMN_STATUS[c.column], `${what}: the list is of status "${status}"`);
		if (c.shown !== '0' && c.shown !== '0.00') nonZero++;
	}
	assert.ok(nonZero > 20, `${url}: only ${nonZero} figures are not zero`);
	assertNoProblems(page, url);
}

browserTest('every count of the years 2023 to 2025 opens a list whose total is that count', async () => {
	const page = await env.as('clerk');
	for (const year of [2023, 2024, 2025]) await clickEvery(page, `/stats/benefits?year=${year}`);
});

browserTest('so does every count of one month (with back pay) and of one street', async () => {
	const page = await env.as('clerk');
	await clickEvery(page, '/stats/benefits?year=2025&month=10');
	/* the street chosen on the form, as a person would */
	await page.goto('/stats/benefits?year=2025');
	await page.locator('#st-street').selectOption({ label: '长青街道' });
	await Promise.all([page.waitForURL((u) => u.searchParams.get('street') !== null), page.getByRole('button', { name: '统计' }).click()]);
	const url = new URL(page.url());
	await clickEvery(page, url.pathname + url.search);
});
