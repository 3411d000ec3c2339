// search.test.mjs - the counter as the 经办人 works it in the demo's 20,000 people: a
// visitor gives the last four characters of the 身份证号, the clerk types them with a
// space around them (" 1234 ") and finds the person, the list saying what it matched;
// the first six digits (the region code) narrow a street's list; a name typed with a
// full-width space is found. Registering someone already registered names that person
// as a link, keeps what was typed, and the link opens the person. The 长青街道 station
// does not find another street's person by the same digits. Screenshots (looked at, not
// asserted) go to /tmp/shots-search/ at a desktop and a phone size.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { assertNoProblems, browserTest, pathOf, setup } from './lib.mjs';

const env = setup();
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-search';
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const FULL_ID = /^\d{17}[\dX]$/;

async function shoot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The person list's rows as {id, name, idNumber, region}. */
function listRows(page) {
	return page.locator('table.table-persons tbody tr').evaluateAll((rows) =>
		rows
			.filter((tr) => tr.querySelector('td.c-name a'))
			.map((tr) => ({
				id: tr.querySelector('td.c-name a').getAttribute('href').split('/').pop(),
				name: tr.querySelector('td.c-name').innerText.trim(),
				idNumber: tr.querySelector('td.c-id').innerText.trim(),
				region: tr.querySelector('td.c-region').innerText.trim(),
			})),
	);
}

/** Types q into 关键字 as it is (spaces too) and sends the search form. */
async function search(page, q) {
	await page.getByLabel('关键字').fill(q);
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons' && u.searchParams.get('q') === q),
		page.getByRole('button', { name: '查询' }).click(),
	]);
	return listRows(page);
}

const caption = async (page) => (await page.locator('.result-count').innerText()).replace(/\s+/g, ' ').trim();

/* What the first test found, for the later ones. */
const seen = { person: null, last4: '', otherStreet: null };

browserTest('the clerk types " 1234 " (the last four) and finds the person; the list says what it matched', async () => {
	const page = await env.as('clerk');
	await page.goto('/persons');
	const [first] = await listRows(page);
	assert.match(first.idNumber, MASKED_ID);
	const last4 = first.idNumber.slice(-4);
	const rows = await search(page, ` ${last4} `);
	assert.ok(rows.length >= 1, 'found');
	assert.ok(rows.some((r) => r.id === first.id), `${first.name} among ${JSON.stringify(rows)}`);
	for (const r of rows) assert.ok(r.idNumber.endsWith(last4), `${r.idNumber} does not end in ${last4}`);
	assert.match(await caption(page), new RegExp(`身份证号后四位为 ${last4} 的人员：共 ${rows.length} 人`));
	await shoot(page, 'search-last4-desktop');
	seen.person = first;
	seen.last4 = last4;
	seen.otherStreet = rows.find((r) => !r.region.startsWith('长青街道')) ?? null;

	/* The first six digits within one street: everyone listed has them and lives there. */
	const first6 = first.idNumber.slice(0, 6);
	const street = first.region.split('·')[0].trim();
	await page.getByLabel('街道').selectOption({ label: street });
	const narrowed = await search(page, first6);
	assert.ok(narrowed.some((r) => r.id === first.id));
	for (const r of narrowed) {
		assert.ok(r.idNumber.startsWith(first6), r.idNumber);
		assert.ok(r.region.startsWith(street), r.region);
	}
	assert.match(await caption(page), /身份证号前六位（地区码）为 \d{6} 的人员：共 \d+ 人/);
	await shoot(page, 'search-first6-street');

	/* A name with a full-width space after it, as an input method leaves it. */
	await page.getByLabel('街道').selectOption({ label: '全部街道' });
	const byName = await search(page, `${first.name}\u3000`);
	assert.ok(byName.some((r) => r.id === first.id), `${first.name}: ${JSON.stringify(byName)}`);
	assert.match(await caption(page), new RegExp(`姓名含“${first.name}”的人员`));
	assertNoProblems(page, 'search');
});

browserTest('on a phone the clerk finds the person by the last four as well', async () => {
	assert.ok(seen.person, 'the first test found a person');
	const page = await env.as('clerk', { viewport: { width: 390, height: 844 } });
	await page.goto('/persons');
	const rows = await search(page, seen.last4);
	assert.ok(rows.some((r) => r.id === seen.person.id));
	await shoot(page, 'search-last4-phone');
	assertNoProblems(page, 'search on a phone');
});

browserTest('registering someone already registered links to that person, and the form keeps what was typed', async () => {
	assert.ok(seen.person, 'the first test found a person');
	const page = await env.as('clerk');
	/* The visitor's whole number, as the clerk reads it from the card: here from the full view. */
	await page.goto(`/persons/${seen.person.id}`);
	await Promise.all([
		page.waitForURL((u) => u.pathname === `/persons/${seen.person.id}/reveal`),
		page.getByRole('button', { name: '显示完整信息' }).click(),
	]);
	const full = (await page.locator('dl.facts dt:text-is("身份证号") + dd').first().innerText()).trim();
	assert.match(full, FULL_ID);

	await page.goto('/persons/new');
	await page.getByLabel('姓名').fill(' 重复登记 ');
	await page.getByLabel('身份证号').fill(` ${full.toLowerCase()} `);
	await page.getByRole('checkbox', { name: '退役军人', exact: true }).check();
	await page.getByLabel('住址').fill('长青路 18 号');
	/* refused by redirect to the form, which a refresh shows again, link and all */
	await Promise.all([page.waitForURL(/\/persons\/new\?form=/), page.getByRole('button', { name: '保存' }).click()]);
	await page.reload();
	const alert = page.getByRole('alert');
	await alert.waitFor();
	assert.equal(pathOf(page), '/persons/new', 'not registered');
	assert.match(await alert.innerText(), /该身份证号已登记为/);
	assert.equal(await page.getByLabel('姓名').inputValue(), ' 重复登记 ', 'what was typed stays');
	assert.equal(await page.getByLabel('住址').inputValue(), '长青路 18 号');
	const link = page.getByRole('link', { name: /人员编号/ });
	assert.match(await link.innerText(), new RegExp(`^${seen.person.name[0]}\\*+（人员编号 ${seen.person.id}）$`));
	await shoot(page, 'register-duplicate');
	await Promise.all([page.waitForURL((u) => u.pathname === `/persons/${seen.person.id}`), link.click()]);
	assert.match(await page.getByRole('heading', { level: 1 }).innerText(), new RegExp(`^${seen.person.name}`));
	assertNoProblems(page, 'duplicate');
});

browserTest('the 长青街道 station finds by the same digits only the people of its street', async () => {
	const page = await env.as('station');
	await page.goto('/persons');
	const [own] = await listRows(page);
	const first6 = own.idNumber.slice(0, 6);
	const rows = await search(page, ` ${first6}`);
	assert.ok(rows.some((r) => r.id === own.id), 'its own person found');
	for (const r of rows) assert.ok(r.region.startsWith('长青街道'), `${r.name} of ${r.region} found by the station`);
	const total = (s) => Number(/共 (\d+) 人/.exec(s)[1]);
	const stationTotal = total(await caption(page));
	await shoot(page, 'search-first6-station');
	assertNoProblems(page, 'station search');
	/* The district sees more people with that region code: the others are outside the station's scope. */
	const clerk = await env.as('clerk');
	await clerk.goto('/persons');
	await search(clerk, first6);
	assert.ok(total(await caption(clerk)) > stationTotal, 'the clerk finds no more than the station');
	if (seen.otherStreet) {
		await search(page, seen.last4);
		assert.ok(!(await listRows(page)).some((r) => r.id === seen.otherStreet.id), 'another street\'s person found by the last four');
	}
});
