// export.test.mjs - sensitive exports as the demo's staff do them: the clerk narrows the
// list to one street, asks for the full export, is told to say why, says it and gets the
// file (full numbers), recorded with purpose, filter and count; the leader reads the
// statistics and the masked list, with no way to full values, until the security
// administrator grants him the full view by name, with a reason.
// Screenshots: build/test-logs/screens/export-*.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertNoProblems, browserTest, pathOf, screen, setup, signIn } from './lib.mjs';

const env = setup();

const FULL_ID = /\b\d{17}[\dX]\b/;
const MASKED_ID = /\b\d{6}\*{8}\d{3}[\dX]\b/;

/** Saves what a click downloads and returns its text. */
async function download(page, click) {
	const [file] = await Promise.all([page.waitForEvent('download'), click()]);
	return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/** The list narrowed to 长青街道 and 在册 through the toolbar, as a person would. */
async function narrowList(page) {
	await page.goto('/persons');
	await page.locator('#street').selectOption({ label: '长青街道' });
	await page.locator('#status').selectOption('在册');
	await Promise.all([page.waitForURL((u) => u.searchParams.get('street') !== null), page.getByRole('button', { name: '查询', exact: true }).click()]);
	return (await page.locator('.result-count strong').innerText()).replaceAll(',', '');
}

browserTest('the clerk exports the full list of a street after saying why; the file and the audit record follow', async () => {
	const page = await env.as('clerk');
	const total = await narrowList(page);
	assert.ok(Number(total) > 100, `长青街道 has ${total} people`);
	await screen(page, 'export-1-clerk-list');
	await Promise.all([page.waitForURL((u) => u.pathname === '/persons/export/full'), page.getByRole('link', { name: '导出完整信息…' }).click()]);
	await screen(page, 'export-2-purpose-form');
	assert.match(await page.locator('.facts').innerText(), /街道 长青街道（\d+）、状态 在册/);

	/* 其他 without words: the server asks for them, and the form keeps the filter. */
	await page.getByLabel('其他').check();
	await page.getByRole('button', { name: '导出完整信息' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.form-errors').innerText(), /用途说明：选择“其他”时请填写用途说明/);
	assert.equal(await page.getByLabel('其他').isChecked(), true);
	await screen(page, 'export-3-purpose-missing');

	await page.getByLabel('发放核对').check();
	const file = await download(page, () => page.getByRole('button', { name: '导出完整信息' }).click());
	assert.equal(file.name, 'persons-full.csv');
	const lines = file.text.trim().split('\n');
	assert.equal(lines.length, 1 + Number(total), 'one line per person of the list');
	assert.match(lines[1], FULL_ID);
	assert.doesNotMatch(file.text, MASKED_ID);
	assertNoProblems(page, 'the full export');

	/* The masked export of the same list needs no purpose. */
	await narrowList(page);
	const masked = await download(page, () => page.getByRole('link', { name: '导出 CSV' }).click());
	assert.equal(masked.text.trim().split('\n').length, 1 + Number(total));
	assert.doesNotMatch(masked.text, FULL_ID);
	assert.match(masked.text, MASKED_ID);

	/* The auditor reads what was recorded: one full export, with the purpose and the count. */
	const auditor = await env.as('auditor');
	await auditor.goto('/audit?action=person.export_full');
	await screen(auditor, 'export-4-audit');
	const r = await auditor.request.get('/api/v1/audit?action=person.export_full');
	const rows = (await r.json()).items;
	assert.equal(rows.length, 1, JSON.stringify(rows));
	assert.match(rows[0].detail, new RegExp(`^导出含完整身份证号的人员名单：${total} 人；用途：发放核对；条件：街道 长青街道（\\d+）、状态 在册$`));
});

browserTest('the leader reads the statistics and the masked list, with no way to full values', async () => {
	const page = await env.as('leader');
	await page.goto('/stats/benefits?year=2025');
	assert.ok((await page.locator('table.table-stats a[data-figure]').count()) > 20, 'the figures');
	await screen(page, 'export-5-leader-stats');
	await narrowList(page);
	await screen(page, 'export-6-leader-list');
	assert.equal(await page.getByRole('link', { name: '导出完整信息…' }).count(), 0);
	const ids = await page.locator('td.c-id').allInnerTexts();
	assert.ok(ids.length > 0 && ids.every((x) => MASKED_ID.test(x)), ids.slice(0, 3).join(' '));
	await page.locator('td.c-name a').first().click();
	await page.waitForURL((u) => /^\/persons\/\d+$/.test(u.pathname));
	assert.equal(await page.getByRole('button', { name: '显示完整信息' }).count(), 0);
	assert.doesNotMatch(await page.locator('main').innerText(), FULL_ID);
	await screen(page, 'export-7-leader-person');
	await narrowList(page);
	const masked = await download(page, () => page.getByRole('link', { name: '导出 CSV' }).click());
	assert.doesNotMatch(masked.text, FULL_ID);
	assertNoProblems(page, 'the leader');
});

browserTest('the security administrator grants the leader the full view, with a reason; the account list shows it', async () => {
	const sec = await env.as('secadmin');
	await sec.goto('/users?q=leader');
	await Promise.all([sec.waitForURL((u) => /^\/users\/\d+$/.test(u.pathname)), sec.getByRole('link', { name: 'leader', exact: true }).click()]);
	await sec.getByLabel('授权理由').fill('分管信访工作，须核对来访人身份（局办公会决定）');
	await Promise.all([sec.waitForLoadState(), sec.getByRole('button', { name: '授予' }).click()]);
	assert.deepEqual(sec.dialogs, ['confirm: 确定授予该授权吗？']);
	assert.match(await sec.locator('#sec-grants').locator('..').innerText(), /已授权/);
	await screen(sec, 'export-8-grant');
	await sec.goto('/users?q=leader');
	assert.match(await sec.locator('tbody tr', { hasText: '孙卫东' }).innerText(), /局领导\s*可查看完整个人信息/);
	await screen(sec, 'export-9-users-list');
	assertNoProblems(sec, 'the grant');

	/* The leader signs in again and may now see one person in full (audited), still no lists. */
	const page = await env.page();
	await signIn(page, 'leader', env.password('leader'));
	assert.equal(pathOf(page), '/');
	await narrowList(page);
	assert.equal(await page.getByRole('link', { name: '导出完整信息…' }).count(), 0);
	await page.locator('td.c-name a').first().click();
	await page.waitForURL((u) => /^\/persons\/\d+$/.test(u.pathname));
	await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '显示完整信息' }).click()]);
	assert.match(await page.locator('mark.revealed').first().innerText(), FULL_ID);
	await screen(page, 'export-10-leader-granted');
	assertNoProblems(page, 'the granted leader');
});
