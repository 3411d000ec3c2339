// placement.test.mjs - 安置 as the placement clerk works it: a case for a person who is not in
// the registry is refused on 人员编号; a case for a registry person is opened (自主就业), its
// 报到, 档案 and 安置落实 steps recorded (a date before the discharge refused on its field), and
// the year's statistics count it, its number leading to the list that names the person. The
// demo's 2023 is the seed's: 8 and 21 placed, 21 医保 continued. Screenshots at 1366 and 360.
import assert from 'node:assert/strict';
import { setup, browserTest, pathOf, assertNoProblems, axeCheck, screen } from './lib.mjs';

const env = setup();

/** The date n days from today, Asia/Shanghai. */
function day(n) {
	return new Date(Date.now() + 8 * 3600000 + n * 86400000).toISOString().slice(0, 10);
}

async function figure(page, year, key) {
	await page.goto(`/placement/stats?year=${year}`);
	return Number(await page.locator(`#fig-${key}`).innerText());
}

browserTest('a clerk opens a case for a registry person, records its steps, and sees it counted with its list', async () => {
	const page = await env.as('clerk');
	const year = day(0).slice(0, 4);
	const before = await figure(page, year, 'soldiers_placed');

	/* nobody with that number: refused on 人员编号, the form kept */
	await page.goto('/placement/new');
	await page.getByLabel('人员编号').fill('99999999');
	await page.getByLabel('人员类型').selectOption('退役士兵');
	await page.getByLabel('安置方式').selectOption('自主就业');
	await page.getByLabel('退役日期').fill(day(-10));
	await page.getByRole('button', { name: '建立案件' }).click();
	await assert.doesNotReject(page.getByText(/没有编号为 99999999 的人员/).first().waitFor());
	assert.equal(await page.getByLabel('安置方式').inputValue(), '自主就业');
	await screen(page, 'placement-refused');

	/* a person of the registry (the first of the list without a case yet) */
	await page.goto('/persons?category=退役军人&sort=id');
	const ids = [];
	for (const a of await page.locator('table a[href^="/persons/"]').all()) {
		const m = (await a.getAttribute('href')).match(/^\/persons\/(\d+)$/);
		if (m && !ids.includes(m[1])) ids.push(m[1]);
	}
	assert.ok(ids.length > 0, 'the registry lists people');
	let opened = false;
	for (const id of ids.slice(0, 10)) {
		await page.goto(`/placement/new?person=${id}`);
		assert.equal(await page.getByLabel('人员编号').inputValue(), id);
		await page.getByLabel('人员类型').selectOption('退役士兵');
		await page.getByLabel('安置方式').selectOption('自主就业');
		await page.getByLabel('退役日期').fill(day(-10));
		await page.getByRole('button', { name: '建立案件' }).click();
		await page.waitForLoadState();
		if (/^\/placement\/\d+$/.test(pathOf(page))) {
			opened = true;
			break;
		}
		assert.match(await page.locator('main').innerText(), /已有安置案件/);
	}
	assert.ok(opened, 'a case was opened');
	assert.equal(await page.locator('#status').innerText(), '办理中');
	assert.equal(await page.locator('#report-by').innerText().then((t) => t.slice(0, 10)), day(20));
	const name = (await page.locator('#sec-case').innerText()).replace(/（.*$/, '').trim();

	/* a date before the discharge is refused on its field */
	const files = page.getByRole('form', { name: '档案接收' });
	await files.getByLabel('档案接收日期').fill(day(-30));
	await files.getByRole('button').click();
	await assert.doesNotReject(page.getByText(/档案接收日期.*不能早于退役日期/).first().waitFor());
	assert.equal(await page.locator('#date-files').innerText(), '未登记');

	/* 报到, 档案接收, 档案审核, 安置落实 */
	for (const [form, label, n] of [['报到', '报到日期', -8], ['档案接收', '档案接收日期', -7], ['档案审核', '档案审核日期', -5], ['岗位落实', '安置落实日期', -2]]) {
		const f = page.getByRole('form', { name: form });
		await f.getByLabel(label).fill(day(n));
		await Promise.all([page.waitForURL(/\/placement\/\d+$/), f.getByRole('button').click()]);
		assert.ok(!(await page.locator('.form-errors, [role="alert"]').count()) || !(await page.getByText('未保存').count()), `${form} saved`);
	}
	assert.equal(await page.locator('#status').innerText(), '已安置');
	assert.equal(await page.locator('#date-place').innerText(), day(-2));
	assert.match(await page.locator('#history').innerText(), /报到/);
	await screen(page, 'placement-case');
	await axeCheck(page, 'the placement case');
	assertNoProblems(page, 'the placement case');

	/* counted this year, and the figure's list names the person */
	const after = await figure(page, year, 'soldiers_placed');
	assert.equal(after, before + 1);
	await screen(page, 'placement-stats');
	await Promise.all([page.waitForURL(/\/placement\/stats\/list/), page.locator('#fig-soldiers_placed').click()]);
	assert.equal(Number(await page.locator('#list-total').innerText()), after);
	assert.match(await page.locator('#figure-rows').innerText(), new RegExp(name));
	assertNoProblems(page, 'the placement statistics');
});

browserTest('the demo\'s 2023 is the seed\'s: 8 军转干部 and 21 退役士兵 planned and placed, 21 医保 continued', async () => {
	const page = await env.as('leader');
	const want = { officers_planned: 8, officers_placed: 8, soldiers_planned: 21, soldiers_placed: 21, medical_insurance_continued: 21 };
	await page.goto('/placement/stats?year=2023');
	for (const [key, n] of Object.entries(want)) assert.equal(Number(await page.locator(`#fig-${key}`).innerText()), n, key);
	assert.ok(Number(await page.locator('#fig-living_allowance_persons').innerText()) > 0);
	await page.goto('/placement?flagged=1');
	assert.ok((await page.locator('tbody tr').count()) > 0, 'the demo has cases past or near a deadline');
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto('/placement');
	await screen(page, 'placement-list-360');
	await page.goto('/placement/plans');
	await screen(page, 'placement-plans-360');
	assertNoProblems(page, 'the placement pages');
});
