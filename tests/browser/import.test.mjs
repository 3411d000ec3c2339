// import.test.mjs - the import as an Excel user does it: the 经办人 reads the rules on the
// page and downloads both templates, uploads a list saved by Excel as "CSV" on Chinese
// Windows (GBK), sees the encoding named in the preview, downloads the rejected row (the
// row as sent, its reason last), imports, and follows the link to exactly the people this
// import added. Screenshots go to /tmp/shots-import/ (looked at, not asserted).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setup, browserTest, pathOf, assertNoProblems } from './lib.mjs';

const env = setup();
const SHOTS = '/tmp/shots-import';

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** An 18-character ID number: 17 digits and the ISO 7064 MOD 11-2 check character. */
function idNumber(body17) {
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(body17[i]) * weights[i];
	return body17 + '10X98765432'[sum % 11];
}

/** Clicks the link named name and returns the downloaded bytes. */
async function downloaded(page, name) {
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
	return Buffer.concat(await (await download.createReadStream()).toArray());
}

browserTest('clerk imports a GBK list from Excel: template, encoding named, rejected rows, the import\'s people', async () => {
	const page = await env.as('clerk');
	await page.goto('/persons/import');
	await page.getByRole('heading', { name: '填写说明' }).waitFor();
	const rules = await page.locator('section[aria-labelledby="rules-heading"] tbody tr').count();
	assert.equal(rules, 15, 'one rule per column');
	await shot(page, 'import-form-1366');

	const xlsx = await downloaded(page, /Excel 模板/);
	assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'a workbook');
	const csv = (await downloaded(page, /CSV 模板/)).toString('utf8');
	const [header, example] = csv.replace(/^\ufeff/, '').trim().split('\r\n');
	assert.match(header, /^姓名,身份证号,人员类别,/);
	const cells = example.split(',');
	const [street, community] = [cells[4], cells[5]];
	assert.ok(street && community, `the example names a street and a community: ${example}`);

	/* The list as Excel on Chinese Windows saves it: GBK. */
	const rows = [
		['浏览器甲', idNumber('65010219330303101'), '退役军人', street, community],
		['欧阳浏览', idNumber('65010219330303202'), '烈士遗属', street, ''],
		['校验错误', idNumber('65010219330303303').slice(0, 17) + '0', '退役军人', street, ''],
	];
	if (rows[2][1] === idNumber('65010219330303303')) rows[2][1] = rows[2][1].slice(0, 17) + '1';
	const text = ['姓名,身份证号,人员类别,街道,社区', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
	const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(text) });
	await page.getByLabel(/人员名单/).setInputFiles({ name: '退役军人名单.csv', mimeType: 'text/csv', buffer: gbk });
	await page.getByRole('button', { name: '上传并预览' }).click();
	await page.getByRole('heading', { name: '导入预览：退役军人名单.csv' }).waitFor();
	assert.equal((await page.locator('.file-encoding').innerText()).trim(), '文件编码：GB18030（GBK）');
	const facts = await page.locator('dl.facts').innerText();
	assert.match(facts, /将新增\s+2 人/);
	assert.match(facts, /将拒绝\s+1 行/);
	await shot(page, 'import-preview-gbk-1366');

	const rejected = (await downloaded(page, /下载被拒绝的行/)).toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
	assert.equal(rejected[0], '姓名,身份证号,人员类别,街道,社区,错误原因');
	assert.equal(rejected.length, 2);
	assert.ok(rejected[1].startsWith(rows[2].join(',') + ','), rejected[1]);
	assert.match(rejected[1], /身份证号：/);

	await page.getByRole('button', { name: /确认导入/ }).click();
	await page.getByRole('heading', { name: '导入完成：退役军人名单.csv' }).waitFor();
	await shot(page, 'import-result-1366');
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons/import/people'),
		page.getByRole('link', { name: '查看本次导入的人员' }).click(),
	]);
	const names = await page.locator('table.table-persons tbody td.c-name').allInnerTexts();
	assert.deepEqual(names.map((n) => n.trim()), ['浏览器甲', '欧阳浏览']);
	await shot(page, 'import-people-1366');
	await page.setViewportSize({ width: 390, height: 844 });
	await shot(page, 'import-people-390');
	assert.equal(pathOf(page), '/persons/import/people');
	assertNoProblems(page, 'import');
});
