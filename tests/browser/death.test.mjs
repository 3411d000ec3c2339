// death.test.mjs - a death as the people who handle it: the 长青街道 service station
// reports the death of one of its people who receives a benefit, first with a "PDF" that
// is really text (refused, the form kept), then with the scanned certificate (a PNG);
// the bureau's clerk sees the report waiting (the count beside 死亡上报), looks at the
// certificate, accepts it after ticking 我已核对死亡证明, and finds the death recorded;
// then the family brings a corrected certificate and the clerk corrects the date, the
// benefit's end following it. Screenshots at 1366 px and on a phone go to
// build/test-logs/screens/death-*.png and /tmp/shots-death/ (looked at, not asserted).
// The tests run in order and share what the first one found.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setup, browserTest, pathOf, assertNoProblems, screen } from './lib.mjs';

const env = setup();
const SHOTS = '/tmp/shots-death';
const seen = { person: null, report: null };

async function shot(page, name, fullPage = true) {
	await screen(page, `death-${name}`);
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** The first person of the station's street paid 定期生活补助 monthly: {id, name, benefit}. */
async function someoneWithBenefit(page) {
	const r = await page.evaluate(async () => {
		const res = await fetch('/api/v1/entitlements?benefit=LIVING&status=' + encodeURIComponent('正常') + '&per_page=1');
		return res.json();
	});
	assert.ok(r.items?.length, 'the station has someone with a monthly benefit');
	return { id: r.items[0].person_id, name: r.items[0].name, benefit: r.items[0].benefit_name };
}

browserTest('the station reports a death with the certificate; a text file called .pdf is refused', async () => {
	const page = await env.as('station');
	seen.person = await someoneWithBenefit(page);
	await page.goto(`/persons/${seen.person.id}`);
	await Promise.all([page.waitForURL(/\/death-reports\/new\?person=/), page.getByRole('link', { name: '上报死亡' }).click()]);
	await page.getByLabel('死亡日期').fill('2026-09-12');
	await page.getByLabel('死亡原因').selectOption('因病');
	await page.getByLabel('说明（可不填）').fill('家属到站报告，带来死亡证明');
	await page.getByLabel(/死亡证明（PDF/).setInputFiles({ name: '死亡证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('这只是一段文字，不是扫描件') });
	/* refused: back to the form's GET (a refresh sends nothing), with what was typed */
	await Promise.all([page.waitForURL(/\/death-reports\/new\?person=\d+&form=[0-9a-f]{32}$/), page.getByRole('button', { name: '上报死亡' }).click()]);
	for (const round of ['refused', 'refreshed']) {
		await assert.doesNotReject(page.getByText('死亡证明：只接受 PDF、JPG 或 PNG 文件').waitFor());
		assert.equal(await page.getByLabel('死亡日期').inputValue(), '2026-09-12', `${round}: the form keeps what was typed`);
		assert.equal(await page.getByLabel('死亡原因').inputValue(), '因病', round);
		assert.equal(await page.getByLabel('说明（可不填）').inputValue(), '家属到站报告，带来死亡证明', round);
		await assert.doesNotReject(page.getByText('所选的死亡证明文件没有保存，请重新选择文件后再上报').waitFor(), `${round}: the file is not kept, and the form says so`);
		if (round === 'refused') {
			await shot(page, '1-station-refused-text-pdf');
			await page.reload();
		}
	}
	/* the scan: a real PNG (a picture of the page itself will do) */
	const scan = await page.screenshot({ clip: { x: 0, y: 0, width: 600, height: 300 } });
	await page.getByLabel(/死亡证明（PDF/).setInputFiles({ name: '死亡证明扫描件.png', mimeType: 'image/png', buffer: scan });
	await Promise.all([page.waitForURL(/\/death-reports\/\d+$/), page.getByRole('button', { name: '上报死亡' }).click()]);
	seen.report = pathOf(page);
	await assert.doesNotReject(page.getByText('死亡上报已提交，等待区局核查').waitFor());
	assert.match(await page.locator('h1').innerText(), /待核查/);
	await shot(page, '2-station-report-waiting');
	assertNoProblems(page, 'station');
});

browserTest('the clerk sees the report waiting, looks at the certificate and accepts it', async () => {
	const page = await env.as('clerk');
	const nav = page.locator('nav.sidenav a[href="/death-reports"]');
	assert.match(await nav.innerText(), /死亡上报\s*1/);
	await nav.click();
	await page.waitForURL('**/death-reports');
	await shot(page, '3-clerk-list');
	await page.getByRole('link', { name: seen.person.name }).first().click();
	await page.waitForURL((u) => u.pathname === seen.report);
	const img = page.locator('img.certificate');
	await img.waitFor();
	assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the certificate shows');
	/* without the tick nothing is recorded */
	await Promise.all([page.waitForURL((u) => u.pathname === seen.report && /^\?form=[0-9a-f]{32}$/.test(u.search)), page.getByRole('button', { name: '核实并登记死亡' }).click()]);
	await assert.doesNotReject(page.getByText(/确认：核实后将登记死亡/).waitFor());
	await shot(page, '4-clerk-report-untcked');
	await page.getByLabel('我已核对死亡证明').check();
	await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '核实并登记死亡' }).click()]);
	await assert.doesNotReject(page.getByText('已核实：死亡已登记').waitFor());
	assert.match(await page.locator('h1').innerText(), /已核实/);
	await shot(page, '5-clerk-report-accepted');
	assertNoProblems(page, 'clerk');
});

browserTest('the clerk corrects the date of the death; the benefit ends with the new month', async () => {
	const page = await env.as('clerk');
	await page.goto(`/persons/${seen.person.id}`);
	await assert.doesNotReject(page.getByText('现登记为 2026-09-12 死亡，死亡原因：因病').waitFor());
	const form = page.locator('#death-form');
	await form.getByLabel('死亡日期', { exact: true }).fill('2026-07-30');
	await form.getByLabel('更正理由').fill('家属提供的死亡证明更正件，死亡日期为 7 月 30 日');
	await form.getByLabel('我已核对更正后的死亡日期和原因').check();
	await Promise.all([page.waitForLoadState('load'), form.getByRole('button', { name: '更正死亡信息' }).click()]);
	await assert.doesNotReject(page.getByText(/死亡信息已更正/).waitFor());
	await assert.doesNotReject(page.getByText('现登记为 2026-07-30 死亡，死亡原因：因病').waitFor());
	const row = page.locator('table tr', { hasText: seen.person.benefit }).first();
	assert.match(await row.innerText(), /2026-07/);
	await shot(page, '6-clerk-person-corrected');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.locator('#death-form').evaluate((el) => el.scrollIntoView());
	await shot(page, '7-clerk-person-corrected-phone', false);
	await page.goto('/payments/recoveries');
	await shot(page, '8-recoveries');
	assertNoProblems(page, 'clerk');
});
