// surveys.test.mjs - 问卷调查 in a browser, as a visitor does it: the list, the demo's open
// questionnaire answered by clicking labels (a radio, checkboxes, a 1-5 scale, a text), the
// thanks, a form sent with a required question left out (its errors, what was chosen kept),
// a closed survey, the results with their charts. axe-core on every portal page in the plain
// mode and with large type and high contrast on; the results at 1366 and 360 px wide (no
// sideways scroll) kept as screenshots; and the clerk's results page.
import assert from 'node:assert/strict';
import { setup, browserTest, axeCheck, portalMode, screen, assertNoProblems, pathOf } from './lib.mjs';

const env = setup();

/** axe-core on the page as it is, then with both reading modes on, then back to plain. */
async function axeBothModes(page, what) {
	await portalMode(page, { large: false, contrast: false });
	await axeCheck(page, `${what} (plain)`);
	await portalMode(page, { large: true, contrast: true });
	await axeCheck(page, `${what} (large type, high contrast)`);
	await portalMode(page, { large: false, contrast: false });
}

async function noSidewaysScroll(page, what) {
	const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
	assert.ok(scroll <= width, `${what}: ${scroll}px wide in a ${width}px window`);
}

/** Every label and count of every chart lies inside its chart (nothing cut off at the edge). */
async function textsInsideCharts(page, what) {
	for (const chart of await page.locator('svg.chart-svg').all()) {
		const box = await chart.boundingBox();
		for (const t of await chart.locator('text').all()) {
			const b = await t.boundingBox();
			assert.ok(b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1, `${what}: "${await t.textContent()}" runs out of its chart`);
		}
	}
}

browserTest('a visitor answers the open survey by clicking labels, once', async () => {
	const page = await env.portalPage();
	await page.goto('/survey');
	await axeBothModes(page, '/survey');
	await page.getByRole('link', { name: '2026年退役军人服务站满意度调查' }).click();
	assert.match(pathOf(page), /^\/survey\/\d+$/);
	await axeBothModes(page, 'the questionnaire');
	await page.getByLabel('社区宣传').check();
	await page.getByLabel('优抚待遇申领').check();
	await page.getByLabel('政策咨询').check();
	await page.getByRole('group', { name: /服务态度/ }).getByLabel('5 分').check();
	await page.getByRole('group', { name: /办事效率/ }).getByLabel('4 分').check();
	await page.getByLabel(/还有什么意见和建议/).fill('希望<b>周末</b>也能办理');
	await page.getByRole('button', { name: '提交问卷' }).click();
	await page.waitForURL(/\/survey\/\d+$/);
	await assert.doesNotReject(page.getByText('您已提交过此问卷，感谢您的参与！').waitFor());
	await axeBothModes(page, 'the thanks');
	/* the form is gone for this visitor */
	assert.equal(await page.getByRole('button', { name: '提交问卷' }).count(), 0);
	assertNoProblems(page, 'answering');
});

browserTest('a required question left out: the errors link to it, the choices made stay', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	await page.goto('/survey');
	await page.getByRole('link', { name: '2026年退役军人服务站满意度调查' }).click();
	await page.getByLabel('就业创业服务').check();
	/* the browser would stop at the required question itself; a visitor whose browser does
	 * not (an old one) sends the form as it is, and the server says what is missing */
	await page.locator('form.survey-form').evaluate((f) => (f.noValidate = true));
	await page.getByRole('button', { name: '提交问卷' }).click();
	await assert.doesNotReject(page.getByRole('alert').getByText(/未能提交/).waitFor());
	const alert = await page.getByRole('alert').innerText();
	assert.match(alert, /第1题：请回答此题/);
	assert.match(alert, /第3题：请回答此题/);
	assert.equal(await page.getByLabel('就业创业服务').isChecked(), true);
	await noSidewaysScroll(page, 'the refused form at 360 px');
	await axeBothModes(page, 'the refused form');
	await page.getByRole('link', { name: '第1题' }).click();
	assert.match(page.url(), /#f-/);
});

browserTest('a closed survey says so; the results are charts with tables, readable at 1366 and 360 px', async () => {
	const page = await env.portalPage();
	await page.goto('/survey');
	await page.getByRole('link', { name: '2026年优待证申领服务调查' }).click();
	await assert.doesNotReject(page.getByText('此问卷已结束，不再接受提交').waitFor());
	await axeBothModes(page, 'a closed survey');
	await page.goto('/survey');
	await page.getByRole('link', { name: '查看调查结果' }).first().click();
	assert.match(pathOf(page), /^\/survey\/\d+\/results$/);
	await axeBothModes(page, 'the results');
	const charts = page.locator('svg.chart-svg');
	assert.ok((await charts.count()) >= 4, 'a chart per choice and scale question');
	assert.ok((await page.locator('table.chart-table').count()) === (await charts.count()), 'a table beside each chart');
	await assert.doesNotReject(page.getByText(/平均分/).first().waitFor());
	await screen(page, 'survey-results-1366');
	await portalMode(page, { large: true, contrast: true });
	await screen(page, 'survey-results-1366-large-contrast');
	await portalMode(page, { large: false, contrast: false });

	const phone = await env.portalPage({ viewport: { width: 360, height: 740 } });
	await phone.goto(pathOf(page));
	await noSidewaysScroll(phone, 'the results at 360 px');
	await textsInsideCharts(phone, 'at 360 px');
	await screen(phone, 'survey-results-360');
	await portalMode(phone, { large: true, contrast: true });
	await noSidewaysScroll(phone, 'the results at 360 px, large type');
	await textsInsideCharts(phone, 'at 360 px, large type');
	await screen(phone, 'survey-results-360-large-contrast');
	assertNoProblems(page, 'results');
	assertNoProblems(phone, 'results at 360 px');
});

browserTest('the clerk sees the results with the texts, and the export link', async () => {
	const page = await env.as('clerk');
	await page.goto('/surveys');
	await axeCheck(page, 'the staff list');
	await page.getByRole('link', { name: '2026年退役军人服务站满意度调查' }).click();
	await axeCheck(page, 'the survey\'s staff page');
	await page.getByRole('link', { name: '查看结果' }).click();
	await axeCheck(page, 'the staff results');
	await assert.doesNotReject(page.getByText('工作人员很耐心，点赞！').first().waitFor());
	assert.ok((await page.locator('svg.chart-svg').count()) >= 4);
	await screen(page, 'survey-staff-results');
	assertNoProblems(page, 'staff results');
});
