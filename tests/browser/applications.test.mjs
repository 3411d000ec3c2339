// applications.test.mjs - the window as a clerk works it: choose the item, tick the materials
// handed in, see at once that it is 容缺受理 and what is missing, enter the applicant with the
// promise, receive; print the 容缺受理通知书, whose QR code (screenshot in Chromium, decoded by
// zbarimg) leads to the public tracking page, which shows the progress and not the applicant.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, browserTest, pathOf, assertNoProblems, screen } from './lib.mjs';

const env = setup();

/** A valid 18-character ID number from its first 17 digits (GB 11643 check character). */
function idNumber(body) {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
	return body + '10X98765432'[sum % 11];
}

browserTest('a clerk receives a 容缺 application, prints the notice, and its QR code leads to the tracking page', async () => {
	const page = await env.as('clerk');
	await page.goto('/applications/new');
	await page.getByLabel('事项', { exact: true }).selectOption('TY-001');
	await page.getByRole('button', { name: '选择' }).click();
	/* every material is offered; the clerk ticks what was handed in: not the photo */
	const photo = page.getByRole('checkbox', { name: /近期免冠彩色证件照/ });
	await photo.waitFor();
	for (const box of await page.getByRole('checkbox').all()) if (!(await box.isChecked())) await box.check();
	await photo.uncheck();
	await page.getByRole('button', { name: '核对材料' }).click();
	await assert.doesNotReject(page.locator('#verdict', { hasText: '容缺受理' }).waitFor());
	assert.match(await page.locator('#missing').innerText(), /近期免冠彩色证件照/);
	await page.getByLabel('姓名').fill('韩立军');
	await page.getByLabel('身份证号').fill(idNumber('42010619850315123'));
	await page.getByLabel('手机号').fill('13912340000');
	/* without the promise: refused, the form kept */
	await page.getByRole('button', { name: '容缺受理' }).click();
	await assert.doesNotReject(page.getByText('容缺受理须申请人签署书面承诺').first().waitFor());
	assert.equal(await page.getByLabel('姓名').inputValue(), '韩立军');
	await page.getByLabel(/申请人已签署书面承诺/).check();
	await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.getByRole('button', { name: '容缺受理' }).click()]);
	assert.equal(await page.locator('#status').innerText(), '容缺受理');
	const code = (await page.locator('#code').innerText()).trim();
	assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
	await screen(page, 'application-received');
	assertNoProblems(page, 'the application page');

	await page.getByRole('link', { name: '打印容缺受理通知书' }).click();
	await assert.doesNotReject(page.getByRole('heading', { name: '容缺受理通知书' }).waitFor());
	assert.match(await page.locator('#notice-missing').innerText(), /近期免冠彩色证件照/);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vets-qr-'));
	try {
		const shot = path.join(dir, 'qr.png');
		await page.locator('svg.qr').screenshot({ path: shot });
		const decoded = execFileSync('zbarimg', ['--quiet', '--raw', shot], { encoding: 'utf8' }).trim();
		assert.equal(decoded, `${env.server.url}/track?code=${code}`);
		await screen(page, 'application-notice');
		assertNoProblems(page, 'the notice');

		/* the applicant follows the QR code: no login, the progress, nobody's name */
		const visitor = await env.page();
		await visitor.goto(decoded);
		assert.equal(pathOf(visitor), '/track');
		assert.equal(await visitor.locator('#status').innerText(), '容缺受理');
		const text = await visitor.locator('main').innerText();
		assert.match(text, /退役报到/);
		assert.match(text, /近期免冠彩色证件照/);
		assert.doesNotMatch(text, /韩立军|13912340000|刘洋/);
		assert.ok(await visitor.locator('#rating-spot').count(), 'the place of the rating form');
		assertNoProblems(visitor, 'the tracking page');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

browserTest('the demo counter has a history: the queues and the year\'s figures', async () => {
	const page = await env.as('leader');
	await page.goto('/applications?queue=all&year=2023');
	const total = Number(await page.locator('#total').innerText());
	assert.ok(total > 0, 'applications of 2023');
	await page.goto('/applications');
	assert.equal(await page.locator('main a[href="/counter/stats"]').count(), 1, 'the queue links the figures');
	await page.goto('/counter/stats?year=2023');
	const figures = await page.locator('#counter-stats').innerText();
	assert.match(figures, /受理件数[^\n]*\s*[1-9]\d*/);
	assertNoProblems(page, 'the statistics');
});
