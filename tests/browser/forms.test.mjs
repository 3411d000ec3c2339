// forms.test.mjs - the forms and lists as the staff use them: the 经办人 has a
// registration refused, sees it again with what was typed, refreshes without sending
// it again and without losing it; picks a street and the communities narrow to it; finds the breadcrumbs and
// prints a person's record; the 长青街道 station's filters offer its own street only.
// Screenshots at 1366 px and 375 px go to /tmp/shots-forms/ (looked at, not asserted).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { setup, browserTest, pathOf, assertNoProblems } from './lib.mjs';

const env = setup();
const SHOTS = '/tmp/shots-forms';
const SIZES = [
	{ width: 1366, height: 768 },
	{ width: 375, height: 812 },
];

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The community select's options other than the empty one, as their text. */
function communities(page) {
	return page.locator('#community option').evaluateAll((os) => os.filter((o) => o.value).map((o) => o.textContent.trim()));
}

browserTest('a refused registration comes back with what was typed; a refresh sends nothing again and keeps it', async () => {
	for (const viewport of SIZES) {
		const page = await env.as('clerk', { viewport });
		const posts = [];
		page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
		await page.goto('/persons/new');
		/* required fields are marked, and the form says what the mark means */
		await page.getByText('带 * 的为必填项').waitFor();
		assert.match(await page.locator('label[for="name"]').evaluate((l) => getComputedStyle(l, '::after').content), /\*/);
		/* the star is not part of the field's name */
		await page.getByLabel('姓名', { exact: true }).fill('郑建华');
		await page.getByLabel('身份证号').fill('420106196503128570'); /* a wrong check character */
		await page.getByLabel('住址').fill('长青路 18 号');
		await page.locator('#street').selectOption({ label: '长青街道' });
		await page.getByLabel('退役军人', { exact: true }).check();
		await Promise.all([page.waitForURL(/\/persons\/new\?form=/), page.getByRole('button', { name: '保存' }).click()]);
		assert.deepEqual(posts, ['/persons']);
		const alert = page.getByRole('alert');
		assert.match(await alert.innerText(), /未保存，请修改以下 1 处后再提交/);
		assert.equal(await page.getByLabel('姓名').inputValue(), '郑建华', 'what was typed stays');
		assert.equal(await page.getByLabel('住址').inputValue(), '长青路 18 号');
		assert.equal(await page.locator('#street').inputValue(), '长青街道');
		await shot(page, `refused-${viewport.width}`);
		/* a refresh: a GET, no "resend the form?" question, nothing posted again */
		await page.reload();
		assert.equal(pathOf(page), '/persons/new');
		assert.deepEqual(posts, ['/persons'], 'the refresh sent nothing');
		assert.deepEqual(page.dialogs, []);
		assert.equal(await page.getByLabel('姓名').inputValue(), '郑建华', 'a refresh keeps what was typed');
		assert.match(await page.getByRole('alert').innerText(), /未保存，请修改以下 1 处后再提交/);
		assertNoProblems(page, `refused registration at ${viewport.width}`);
	}
});

browserTest('picking a street narrows the communities to that street', async () => {
	const page = await env.as('clerk');
	await page.goto('/persons/new');
	const all = await communities(page);
	await page.locator('#street').selectOption({ label: '长青街道' });
	const narrowed = await communities(page);
	assert.ok(narrowed.length > 0 && narrowed.length < all.length, `${narrowed.length} of ${all.length}`);
	assert.ok(narrowed.every((c) => c.startsWith('长青街道 · ')), narrowed.join(', '));
	await page.locator('#community').selectOption({ index: 1 });
	/* another street: the community chosen in the first is cleared */
	const other = await page.locator('#street option').evaluateAll((os) => os.find((o) => o.value && o.value !== '长青街道').value);
	await page.locator('#street').selectOption({ value: other });
	assert.equal(await page.locator('#community').inputValue(), '');
	await page.locator('#street').selectOption({ value: '' });
	assert.equal((await communities(page)).length, all.length);
	/* the list's filter narrows the same way */
	await page.goto('/persons');
	await page.locator('#street').selectOption({ label: '长青街道' });
	assert.ok((await communities(page)).every((c) => c.startsWith('长青街道 · ')));
	assertNoProblems(page);
});

browserTest('breadcrumbs lead back; a person\'s record prints without the navigation', async () => {
	for (const viewport of SIZES) {
		const page = await env.as('clerk', { viewport });
		await page.goto('/persons');
		const first = page.locator('table.table-persons tbody td.c-name a').first();
		const name = (await first.innerText()).trim();
		await first.click();
		await page.waitForURL(/\/persons\/\d+$/);
		const id = pathOf(page).split('/').pop();
		await page.goto(`/persons/${id}/edit`);
		const crumbs = page.getByRole('navigation', { name: '面包屑' });
		assert.deepEqual(
			(await crumbs.locator('li').allInnerTexts()).map((t) => t.trim()),
			['首页', '人员信息', name, '修改人员信息'],
		);
		assert.equal(await crumbs.locator('[aria-current="page"]').innerText(), '修改人员信息');
		await shot(page, `edit-breadcrumbs-${viewport.width}`);
		await crumbs.getByRole('link', { name }).click();
		await page.waitForURL(new RegExp(`/persons/${id}$`));
		/* the print button calls the browser's print (stubbed here: no dialog in a test) */
		await page.evaluate(() => {
			window.printed = 0;
			window.print = () => window.printed++;
		});
		const print = page.getByRole('button', { name: '打印' });
		await print.click();
		assert.equal(await page.evaluate(() => window.printed), 1);
		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.locator('.sidenav').isVisible(), false);
		assert.equal(await print.isVisible(), false);
		assert.equal(await page.getByRole('navigation', { name: '面包屑' }).isVisible(), false);
		await shot(page, `person-print-${viewport.width}`);
		await page.emulateMedia({ media: 'screen' });
		assertNoProblems(page, `person page at ${viewport.width}`);
	}
});

browserTest('the station\'s filters offer its own street only', async () => {
	const page = await env.as('station');
	await page.goto('/persons');
	const streets = await page.locator('#street option').evaluateAll((os) => os.filter((o) => o.value).map((o) => o.textContent.trim()));
	assert.deepEqual(streets, ['长青街道']);
	assert.ok((await communities(page)).every((c) => c.startsWith('长青街道 · ')));
	await shot(page, 'station-filters-1366');
	assertNoProblems(page);
});
