// pufa.test.mjs - 普法 as the demo's clerk does it: records an event on 12·4 国家宪法日,
// brochures handed to a street's station and a staff member's exam row, then finds them on the
// year's page and counted on the statistics page (events, brochures as copies, the exam's
// 应考/参考/优秀 and their rates), each figure opening the list that holds them; a negative
// count comes back with the summary. Pages checked with axe-core and shot at 1366 and 360 px
// (build/test-logs/screens/pufa-*.png), the per-year excellent marks' page among them.
import assert from 'node:assert/strict';
import { assertNoProblems, axeCheck, browserTest, screen, setup } from './lib.mjs';

const env = setup();

async function figures(page, year) {
	await page.goto(`/pufa/stats?year=${year}`);
	const out = {};
	for (const key of ['pufa_events', 'brochures', 'exam_should', 'exam_took', 'exam_excellent'])
		out[key] = Number((await page.locator(`#fig-${key}`).innerText()).replace(/,/g, ''));
	return out;
}

async function record(page, kind, fill) {
	await page.goto('/pufa');
	const section = page.locator(`#${kind}`);
	await Promise.all([page.waitForURL((u) => u.pathname === `/pufa/${kind}/new`), section.getByRole('link').first().click()]);
	await fill();
	await axeCheck(page, `/pufa/${kind}/new`);
	await Promise.all([page.waitForURL((u) => u.pathname === '/pufa'), page.getByRole('button', { name: '登记' }).click()]);
}

browserTest('a clerk records an event, brochures and an exam row and sees them counted', async () => {
	const page = await env.as('clerk', { viewport: { width: 1366, height: 900 } });
	const year = new Date().getFullYear();
	const day = `${year}-01-02`;
	const before = await figures(page, year);

	/* A negative count is refused with the field named; nothing saved. */
	await page.goto('/pufa/events/new');
	await page.getByLabel('活动日期').fill(day);
	await page.getByLabel('活动类型').selectOption('国家宪法日（12·4）');
	await page.getByLabel('普法对象').fill('机关干部（浏览器测试）');
	await page.getByLabel('参加人数').fill('-3');
	await Promise.all([page.waitForURL((u) => u.search.includes('form=')), page.getByRole('button', { name: '登记' }).click()]);
	await page.getByText('参加人数不能为负数').waitFor();
	assert.equal(await page.getByLabel('普法对象').inputValue(), '机关干部（浏览器测试）');
	await axeCheck(page, '/pufa/events/new (refused)');
	await screen(page, 'pufa-event-refused-1366');
	await page.getByLabel('参加人数').fill('86');
	await Promise.all([page.waitForURL((u) => u.pathname === '/pufa'), page.getByRole('button', { name: '登记' }).click()]);

	await record(page, 'brochures', async () => {
		await page.getByLabel('发放日期').fill(day);
		await page.getByLabel('份数').fill('1500');
		await page.getByLabel('资料名称').fill('宪法宣传折页（浏览器测试）');
		await page.getByLabel('发放对象').fill('东湖街道退役军人服务站');
	});
	await record(page, 'exams', async () => {
		await page.getByLabel('年度').fill(String(year));
		await page.getByLabel('姓名').fill('测试干事');
		await page.getByLabel('单位').fill('办公室');
		await page.getByLabel('成绩').fill('97');
	});
	await page.locator('#brochures').getByText('宪法宣传折页（浏览器测试）').waitFor();
	await page.locator('#exams').getByRole('row').filter({ hasText: '测试干事' }).getByText('优秀').waitFor();
	await axeCheck(page, '/pufa');
	await screen(page, 'pufa-year-1366');
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'pufa-year-360');
	await page.setViewportSize({ width: 1366, height: 900 });

	const after = await figures(page, year);
	assert.deepEqual(after, {
		pufa_events: before.pufa_events + 1,
		brochures: before.brochures + 1500,
		exam_should: before.exam_should + 1,
		exam_took: before.exam_took + 1,
		exam_excellent: before.exam_excellent + 1,
	});
	await page.locator('#rate-exam_participation_rate').waitFor();
	await axeCheck(page, '/pufa/stats');
	await screen(page, 'pufa-stats-1366');
	await Promise.all([page.waitForURL((u) => u.pathname === '/pufa/stats/list'), page.locator('#fig-brochures').click()]);
	await page.locator('#figure-rows').getByText('宪法宣传折页（浏览器测试）').waitFor();
	await page.goto(`/pufa/stats?year=${year}`);
	await Promise.all([page.waitForURL((u) => u.pathname === '/pufa/stats/list'), page.locator('#fig-pufa_events').click()]);
	await page.locator('#figure-rows').getByText('机关干部（浏览器测试）').waitFor();
	await page.goto(`/pufa/stats?year=${year}`);
	await Promise.all([page.waitForURL((u) => u.pathname === '/pufa/stats/list'), page.locator('#fig-exam_excellent').click()]);
	await page.locator('#figure-rows').getByText('测试干事').waitFor();
	await page.setViewportSize({ width: 360, height: 740 });
	await screen(page, 'pufa-stats-list-360');
	/* The marks page: a mark per year, the form asking the year. */
	await page.goto('/pufa/settings');
	await page.getByLabel('年度').waitFor();
	await page.getByText('只改变该年度的优秀人数和优秀率').waitFor();
	await screen(page, 'pufa-settings-360');
	await page.setViewportSize({ width: 1366, height: 900 });
	await axeCheck(page, '/pufa/settings');
	await screen(page, 'pufa-settings-1366');
	assertNoProblems(page, 'pufa');
});
