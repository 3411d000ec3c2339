// report.test.mjs - the annual report as the bureau uses it: a leader opens the demo's 2023
// report from the navigation, follows a figure to the list of the rows it counts (as many rows
// as the figure); a clerk adds a sentence with a figure to the draft, refused first for a code
// that is no figure (what was typed comes back), then saved as a version the page shows. Pages
// checked with axe-core and shot at 1366 and 360 px and in print (build/test-logs/screens/report-*.png).
import assert from 'node:assert/strict';
import { axeCheck, browserTest, screen, setup } from './lib.mjs';

const env = setup();

browserTest('a leader reads the 2023 report and checks a figure against its rows', async () => {
	const page = await env.as('leader', { viewport: { width: 1366, height: 900 } });
	await Promise.all([page.waitForURL((u) => u.pathname === '/report'), page.getByRole('link', { name: '年度报告', exact: true }).first().click()]);
	await page.goto('/report?year=2023');
	await page.getByRole('heading', { name: /2023年法治政府建设工作报告/ }).waitFor();
	for (const part of ['一、主要举措和成效', '二、存在的不足和问题', '四、下一年度主要安排'])
		await page.getByRole('heading', { name: part }).waitFor();
	await axeCheck(page, '/report?year=2023');
	await screen(page, 'report-2023-1366');
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'report-2023-360');
	await page.emulateMedia({ media: 'print' });
	await screen(page, 'report-2023-print');
	assert.equal(await page.locator('nav').first().isVisible(), false, 'no navigation on paper');
	await page.emulateMedia({ media: 'screen' });
	await page.setViewportSize({ width: 1366, height: 900 });

	const link = page.locator('#report .report-part a.figure[data-key="holiday_visits"]').first();
	const shown = Number((await link.innerText()).replace(/,/g, ''));
	assert.equal(shown, 1496);
	await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/stats/list')), link.click()]);
	assert.equal(Number((await page.locator('#list-total').innerText()).replace(/,/g, '')), shown);
});

browserTest('a clerk adds a sentence with a figure to the draft and saves it as a version', async () => {
	const page = await env.as('clerk', { viewport: { width: 1366, height: 900 } });
	await page.goto('/report?year=2023');
	await Promise.all([page.waitForURL((u) => u.pathname === '/report/edit'), page.getByRole('link', { name: '撰写' }).click()]);
	const plans = page.getByLabel('四、下一年度主要安排');
	const typed = `${await plans.inputValue()}\n五是巩固好 {no_such_figure} 项成果。`;
	await plans.fill(typed);
	await Promise.all([page.waitForURL((u) => u.search.includes('form=')), page.getByRole('button', { name: '保存为新的一稿' }).click()]);
	await page.getByText(/no_such_figure/).first().waitFor();
	assert.equal(await page.getByLabel('四、下一年度主要安排').inputValue(), typed, 'what was typed comes back');
	await axeCheck(page, '/report/edit (refused)');
	await screen(page, 'report-edit-refused');
	await page.getByLabel('四、下一年度主要安排').fill(typed.replace('{no_such_figure}', '{job_fairs} 场招聘会的'));
	await Promise.all([page.waitForURL((u) => u.pathname === '/report'), page.getByRole('button', { name: '保存为新的一稿' }).click()]);
	await page.getByText('已保存为第 1 稿').waitFor();
	await page.getByText(/五是巩固好 7 场招聘会的项成果/).waitFor();
	await page.locator('#report-versions summary').click();
	await page.getByRole('link', { name: '第 1 稿' }).waitFor();
	await screen(page, 'report-saved');
});
