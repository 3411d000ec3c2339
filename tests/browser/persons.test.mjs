// persons.test.mjs - 人员信息 as the people who use it: the 经办人 finds a person in
// the demo's 20,000, edits a phone number and sees the change recorded; shows the
// full record (and the 审计管理员 finds that in the log); the 长青街道 service
// station sees only its own street; a new person is registered after a refused
// form; a file of 5,000 people is imported behind a progress bar. Screenshots of the pages at a desktop and a phone size go to
// build/test-logs/screens/persons-*.png (looked at, not asserted).
// The tests run in order and share what the first one found.
import assert from 'node:assert/strict';
import { setup, browserTest, pathOf, assertNoProblems, screen, knownBug } from './lib.mjs';

const env = setup();

/* Reported: the 变更记录 table's 操作人 shows the login name ("clerk"), not the
 * person's name (刘洋) shown everywhere else: person_history keeps username and
 * history_json (src/areas/person.c) prints it as is. */
const BUG_HISTORY_BY_LOGIN = null;
/* Reported: the edit form preselects every community of the person's community
 * name (region_choices in src/web/persons.c matches by name alone; the demo has a
 * 东风社区 in several streets), so the browser shows the last of them, e.g.
 * 钢都花园街道 · 东风社区 for someone in 关山街道 · 东风社区. */
const BUG_EDIT_COMMUNITY = null;

const SIZES = [
	{ width: 1366, height: 768 },
	{ width: 390, height: 844 },
];
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const FULL_ID = /^\d{17}[\dX]$/;
const NEW_PHONE = '13800138000';
const CLERK_NAME = '刘洋';
const STATION_STREET = '长青街道';

/* What the first test found, for the later ones. */
const seen = {
	person: null /* {id, name, path, maskedId} of the list's first row */,
	otherStreet: null /* /persons/<id> of someone outside 长青街道 */,
};

/** An 18-character ID number: 17 digits and the ISO 7064 MOD 11-2 check character. */
function idNumber(body17) {
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(body17[i]) * weights[i];
	return body17 + '10X98765432'[sum % 11];
}

/** The text of the <dd> after the <dt> named term on a person page. */
async function fact(page, term) {
	return (await page.locator(`dl.facts dt:text-is("${term}") + dd`).first().innerText()).trim();
}

/** The person list's rows as {id, name, idNumber, region}. */
async function listRows(page) {
	return page.locator('table.table-persons tbody tr').evaluateAll((rows) =>
		rows
			.filter((tr) => tr.querySelector('td.c-name a'))
			.map((tr) => ({
				id: tr.querySelector('td.c-name a').getAttribute('href').split('/').pop(),
				name: tr.querySelector('td.c-name').innerText.trim(),
				idNumber: tr.querySelector('td.c-id').innerText.trim(),
				region: tr.querySelector('td.c-region').innerText.trim(),
			}))
	);
}

/** N of "共 N 人". */
async function listTotal(page) {
	const text = await page.locator('.result-count').innerText();
	const m = /共\s*(\d+)\s*人/.exec(text);
	assert.ok(m, `"共 N 人" above the list; got ${JSON.stringify(text)}`);
	return Number(m[1]);
}

/** Types q into 关键字 and presses 查询; returns the rows. */
async function search(page, q) {
	await page.getByLabel('关键字').fill(q);
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons' && u.searchParams.get('q') === q),
		page.getByRole('button', { name: '查询' }).click(),
	]);
	assert.equal(await page.getByLabel('关键字').inputValue(), q, 'the search box keeps the words');
	return listRows(page);
}

/** The 变更记录 table's rows as [时间, 操作人, 字段, 原值, 新值]. */
async function historyRows(page) {
	const section = page.locator('section').filter({ has: page.getByRole('heading', { name: '变更记录' }) });
	return section.locator('tbody tr').evaluateAll((rows) =>
		rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))
	);
}

browserTest('clerk finds a person, edits the phone number and sees the change recorded', async (t) => {
	const page = await env.as('clerk');
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员信息' }).click();
	await page.waitForURL((u) => u.pathname === '/persons');
	await page.getByRole('heading', { name: '人员信息', level: 1 }).waitFor();

	const total = await listTotal(page);
	assert.ok(total >= 19000 && total <= 22000, `the clerk sees the district's ~20000 people and the conscripts of 2022-2025; 共 ${total} 人`);
	const rows = await listRows(page);
	assert.equal(rows.length, 20, 'a page of 20 rows');
	for (const r of rows) assert.match(r.idNumber, MASKED_ID, `${r.name}'s ID number is masked`);
	const first = rows[0];
	seen.otherStreet = rows.find((r) => r.region && !r.region.includes(STATION_STREET))?.id ?? null;

	/* a part of the name (its first two characters) finds the person, and only matching names */
	const part = [...first.name].slice(0, 2).join('');
	let found = await search(page, part);
	assert.ok(found.some((r) => r.id === first.id), `searching ${part} finds ${first.name}`);
	for (const r of found) assert.ok(r.name.includes(part), `${r.name} matches ${part}`);
	const partTotal = await listTotal(page);
	assert.ok(partTotal < total, `the search narrows the list (${partTotal} of ${total})`);

	/* so does the surname alone */
	const surname = [...first.name][0];
	found = await search(page, surname);
	assert.ok(found.some((r) => r.id === first.id), `searching ${surname} finds ${first.name}`);
	for (const r of found) assert.ok(r.name.includes(surname), `${r.name} matches ${surname}`);
	assert.ok((await listTotal(page)) >= partTotal, 'the surname finds at least as many as the longer part');

	/* a name nobody has: an explained, empty list */
	await search(page, '无此人名');
	assert.equal(await listTotal(page), 0);
	await page.getByText('没有符合条件的人员。').waitFor();
	await search(page, part);

	await Promise.all([
		page.waitForURL((u) => u.pathname === `/persons/${first.id}`),
		page.getByRole('link', { name: first.name, exact: true }).first().click(),
	]);
	seen.person = { id: first.id, name: first.name, path: `/persons/${first.id}`, maskedId: first.idNumber };
	assert.match(await page.getByRole('heading', { level: 1 }).innerText(), new RegExp(`^${first.name}\\s`));
	assert.equal(await fact(page, '身份证号'), first.idNumber, 'the same masked ID number as in the list');
	const tags = await page
		.locator('section')
		.filter({ has: page.getByRole('heading', { name: '人员类别与服役信息' }) })
		.locator('.tags')
		.innerText();
	assert.ok(tags.trim().length > 0, 'the categories are shown');
	assert.ok(await page.getByRole('button', { name: '显示完整信息' }).isVisible());
	const oldPhone = await fact(page, '联系电话');
	const region = await fact(page, '街道 / 社区');
	assert.ok(oldPhone === '未填写' || /^1\d{2}\*{4}\d{4}$/.test(oldPhone), `the phone is masked: ${oldPhone}`);

	await Promise.all([
		page.waitForURL((u) => u.pathname === `/persons/${first.id}/edit`),
		page.getByRole('link', { name: '编辑' }).click(),
	]);
	await page.getByRole('heading', { name: /修改人员信息/, level: 1 }).waitFor();
	assert.equal(await page.getByLabel('姓名').inputValue(), first.name);
	assert.equal(await page.getByLabel('身份证号').inputValue(), first.idNumber, 'the form shows the masked ID only');
	assert.ok(await page.getByLabel('身份证号').isEditable() === false, 'the ID number cannot be changed');
	const selectedText = (label) =>
		page.getByLabel(label, { exact: true }).evaluate((s) => s.options[s.selectedIndex].text.trim());
	assert.equal(await selectedText('街道'), region.split(' · ')[0], 'the street is preselected');
	await knownBug(t, 'the edit form preselects the person\'s own community', BUG_EDIT_COMMUNITY, page, async () => {
		assert.equal(await selectedText('社区'), region, 'the community is preselected');
	});
	const phone = page.getByLabel('联系电话');
	assert.equal(await phone.inputValue(), '', 'the stored phone is not put in the form');
	if (oldPhone !== '未填写') assert.match(await phone.getAttribute('placeholder'), new RegExp(oldPhone.replace(/\*/g, '\\*')));
	await phone.fill(NEW_PHONE);
	await Promise.all([
		page.waitForURL((u) => u.pathname === `/persons/${first.id}`),
		page.getByRole('button', { name: '保存' }).click(),
	]);
	assert.equal(await page.getByRole('alert').count(), 0, 'no error');
	assert.ok(await page.getByRole('status').filter({ hasText: '修改已保存' }).isVisible(), 'a success notice');
	assert.equal(await fact(page, '联系电话'), '138****8000', 'the new phone, masked');

	const history = await historyRows(page);
	const change = history.find((r) => r[2] === '联系电话');
	assert.ok(change, `a 联系电话 row in 变更记录; got ${JSON.stringify(history)}`);
	assert.ok([CLERK_NAME, 'clerk'].includes(change[1]), `by the clerk: ${change[1]}`);
	assert.equal(change[3], oldPhone === '未填写' ? '（空）' : oldPhone, 'the old value, masked');
	assert.equal(change[4], '138****8000', 'the new value, masked');
	assert.ok(!history.flat().some((c) => c.includes(NEW_PHONE)), 'the full number is nowhere in the history');
	assert.deepEqual(history.map((r) => r[2]), ['联系电话'], 'saving the form changed nothing else');
	assert.equal(await fact(page, '街道 / 社区'), region, 'still in the same street and community');
	await knownBug(t, 'the 变更记录 names the clerk as 刘洋', BUG_HISTORY_BY_LOGIN, page, async () => {
		assert.equal(change[1], CLERK_NAME, 'by the clerk, by name');
	});
	assertNoProblems(page, 'find and edit');
});

browserTest('显示完整信息 shows the full ID number, and the auditor finds the view in the log', async () => {
	assert.ok(seen.person, 'the first test found a person');
	const page = await env.as('clerk');
	await page.goto(seen.person.path);
	assert.equal(await fact(page, '身份证号'), seen.person.maskedId);
	assert.equal(await page.locator('mark.revealed').count(), 0, 'nothing revealed yet');
	await Promise.all([
		page.waitForURL((u) => u.pathname === `${seen.person.path}/reveal`),
		page.getByRole('button', { name: '显示完整信息' }).click(),
	]);
	const full = await fact(page, '身份证号');
	assert.match(full, FULL_ID, 'the whole ID number');
	assert.equal(full.slice(0, 6), seen.person.maskedId.slice(0, 6), 'the same person: region code');
	assert.equal(full.slice(-4), seen.person.maskedId.slice(-4), 'the same person: last four');
	assert.ok(await page.getByText(full, { exact: true }).isVisible());
	assert.equal(await fact(page, '联系电话'), NEW_PHONE, 'the full phone number too');
	const notice = page.locator('.reveal-notice');
	assert.ok(await notice.isVisible(), 'the reveal notice');
	assert.match(await notice.innerText(), /本次查看已记入审计日志/);
	assert.equal(await page.getByRole('button', { name: '显示完整信息' }).count(), 0);
	/* leaving and coming back masks it again */
	await page.getByRole('link', { name: '返回列表' }).click();
	await page.goto(seen.person.path);
	assert.equal(await fact(page, '身份证号'), seen.person.maskedId, 'masked again on the next visit');
	assertNoProblems(page, 'reveal');

	const auditor = await env.as('auditor');
	await auditor.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).click();
	await auditor.waitForURL('**/audit');
	await auditor.getByLabel('操作', { exact: true }).fill('person.');
	await Promise.all([auditor.waitForURL(/action=person\./), auditor.getByRole('button', { name: '查询' }).click()]);
	const rows = await auditor.locator('table tbody tr').evaluateAll((trs) =>
		trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))
	);
	const actions = rows.map((r) => r[4]);
	assert.ok(actions.length > 0 && actions.every((a) => /\bperson\.\S+$/.test(a)), `only person.* rows; got ${actions.join(', ')}`);
	const object = `person:${seen.person.id}`;
	const view = rows.find((r) => r[5] === object && /查看完整信息|person\.view_full/.test(r[4]));
	assert.ok(view, `a 查看完整信息 row for ${object}; got ${JSON.stringify(rows.slice(0, 5))}`);
	assert.match(view[2], /clerk|刘洋/, 'by the clerk');
	assert.match(view[6], /成功/);
	const update = rows.find((r) => r[5] === object && /person\.update/.test(r[4]));
	assert.ok(update, `the phone change is logged too (person.update ${object})`);
	assert.ok(!rows.flat().some((c) => c.includes(NEW_PHONE)), 'the full phone number is not in the log');
	assertNoProblems(auditor, 'audit');
});

browserTest('the 长青街道 service station sees only its street', async () => {
	const page = await env.as('station');
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员信息' }).click();
	await page.waitForURL((u) => u.pathname === '/persons');
	const total = await listTotal(page);
	assert.ok(total > 0 && total < 19000, `the station sees a part of the district; 共 ${total} 人`);
	const rows = await listRows(page);
	assert.ok(rows.length > 0);
	for (const r of rows) assert.ok(r.region.includes(STATION_STREET), `${r.name} lives in ${STATION_STREET}: ${r.region}`);
	for (const r of rows) assert.match(r.idNumber, MASKED_ID);

	/* page 2 and a search stay within the street too */
	await page.goto('/persons?page=2');
	for (const r of await listRows(page)) assert.ok(r.region.includes(STATION_STREET), `page 2: ${r.name}: ${r.region}`);

	/* someone from another street, by URL: not found, in Chinese */
	assert.ok(seen.otherStreet, 'the clerk saw someone outside 长青街道');
	for (const url of [`/persons/${seen.otherStreet}`, `/persons/${seen.otherStreet}/edit`]) {
		const res = await page.goto(url);
		assert.equal(res.status(), 404, `${url} is 404 for the station`);
		await page.getByRole('heading', { name: '页面不存在', level: 1 }).waitFor();
		assert.ok(await page.getByText('人员不存在').isVisible(), 'says the person does not exist');
		assert.ok(await page.getByRole('link', { name: '返回', exact: true }).isVisible(), 'a way back');
	}
	assertNoProblems(page, 'station');
});

browserTest('clerk registers a person after the form refuses bad values', async () => {
	const page = await env.as('clerk');
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员信息' }).click();
	await page.waitForURL((u) => u.pathname === '/persons');
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons/new'),
		page.getByRole('link', { name: '登记人员' }).click(),
	]);
	await page.getByRole('heading', { name: '登记人员', level: 1 }).waitFor();

	/* an empty form: the browser itself asks for the required 姓名 first */
	await page.getByRole('button', { name: '保存' }).click();
	assert.equal(pathOf(page), '/persons/new', 'not sent');
	assert.equal(await page.getByLabel('姓名').evaluate((e) => e.validity.valueMissing), true);

	/* sent anyway (no browser check, as with an old browser): the server lists what is missing */
	await page.locator('form.person-form').evaluate((f) => (f.noValidate = true));
	await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/persons'),
		page.getByRole('button', { name: '保存' }).click(),
	]);
	const alert = page.getByRole('alert');
	await alert.waitFor();
	const text = await alert.innerText();
	assert.match(text, /未保存，请修改以下 \d+ 处后再提交/);
	assert.match(text, /姓名/);
	assert.match(text, /身份证号/);
	assert.doesNotMatch(text, /[A-Za-z_]{4,}/, `the errors are in Chinese: ${text}`);
	/* each error links to its field */
	await alert.getByRole('link', { name: '身份证号' }).click();
	assert.equal(new URL(page.url()).hash, `#${encodeURI('f-身份证号')}`);

	/* a wrong check character is explained */
	const id = idNumber('42010619650312857');
	const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
	await page.getByLabel('姓名').fill('郑建国');
	await page.getByLabel('身份证号').fill(wrong);
	await page.getByRole('button', { name: '保存' }).click();
	await page.getByRole('alert').filter({ hasText: '校验位' }).waitFor();
	assert.equal(await page.getByLabel('姓名').inputValue(), '郑建国', 'what was typed stays');

	await page.getByLabel('身份证号').fill(id);
	await page.getByRole('checkbox', { name: '退役军人', exact: true }).check();
	await page.getByLabel('街道').selectOption({ label: STATION_STREET });
	await page.getByLabel('联系电话').fill('13912345678');
	await Promise.all([
		page.waitForURL((u) => /^\/persons\/\d+$/.test(u.pathname)),
		page.getByRole('button', { name: '保存' }).click(),
	]);
	assert.ok(await page.getByRole('status').filter({ hasText: '人员已登记' }).isVisible(), 'a success notice');
	const h1 = await page.getByRole('heading', { level: 1 }).innerText();
	assert.match(h1, /^郑建国\s+男/, 'name, and the sex from the ID number');
	assert.match(h1, /在册/);
	assert.equal(await fact(page, '身份证号'), `${id.slice(0, 6)}********${id.slice(-4)}`);
	/* Age, not the birth date: beside the masked number it would complete it. */
	assert.equal(await page.locator('dt', { hasText: '出生日期' }).count(), 0, 'no birth date on the page');
	assert.match(h1, /\d+ 岁/, 'the age instead');
	assert.equal(await fact(page, '联系电话'), '139****5678');
	assert.equal(await fact(page, '街道 / 社区'), STATION_STREET);
	assert.ok(await page.locator('.tags .tag').filter({ hasText: '退役军人' }).isVisible());

	/* the new person can be found by the whole ID number */
	await page.getByRole('link', { name: '返回列表' }).click();
	const rows = await search(page, id);
	assert.deepEqual(rows.map((r) => r.name), ['郑建国']);

	/* and registering the same ID number again is refused */
	await page.goto('/persons/new');
	await page.getByLabel('姓名').fill('郑建国');
	await page.getByLabel('身份证号').fill(id);
	await page.getByRole('button', { name: '保存' }).click();
	await page.getByRole('alert').waitFor();
	assert.equal(pathOf(page), '/persons/new', 'back on the form (POST/redirect/GET)');
	assertNoProblems(page, 'register');
});

browserTest('clerk records a death and sees the status and the history line', async () => {
	const page = await env.as('clerk');
	await page.goto('/persons?status=' + encodeURIComponent('在册'));
	const target = (await listRows(page)).find((r) => r.id !== seen.person?.id);
	assert.ok(target, 'someone 在册 in the list');
	await page.goto(`/persons/${target.id}`);
	const form = page.locator('#status-form');
	await form.getByLabel('新的状态').selectOption('死亡');
	await form.getByLabel('变更原因').fill('病故');
	await form.getByLabel('死亡原因').selectOption('因病');

	/* a death is saved only once the clerk confirms the date and cause */
	await form.getByLabel('变更日期').fill('2025-10-08');
	await form.getByRole('button', { name: '变更状态' }).click();
	await page.locator('#status-form').getByRole('alert').filter({ hasText: '我已核对死亡日期和原因' }).waitFor();
	assert.match(await fact(page, '状态'), /^在册/);
	await page.locator('#status-form').scrollIntoViewIfNeeded();
	await shoot(page, 'person-death-confirm');
	await page.locator('#status-form').getByLabel('我已核对死亡日期和原因').check();

	/* a date in the future is refused by the server, next to the form, and nothing changes */
	await form.getByLabel('变更日期').fill('2099-01-01');
	await form.getByRole('button', { name: '变更状态' }).click();
	const alert = page.locator('#status-form').getByRole('alert');
	await alert.waitFor();
	assert.match(await alert.innerText(), /变更日期：不能晚于今天/);
	assert.equal(await page.locator('#status-form').getByLabel('变更原因').inputValue(), '病故', 'what was typed stays');
	assert.match(await fact(page, '状态'), /^在册/);

	assert.ok(await page.locator('#status-form').getByLabel('我已核对死亡日期和原因').isChecked(), 'the box stays ticked');
	await page.locator('#status-form').getByLabel('变更日期').fill('2025-10-08');
	await Promise.all([
		page.waitForURL((u) => u.pathname === `/persons/${target.id}`),
		page.locator('#status-form').getByRole('button', { name: '变更状态' }).click(),
	]);
	assert.ok(await page.getByRole('status').filter({ hasText: '状态已变更' }).isVisible(), 'a success notice');
	assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /死亡/);
	assert.match(await fact(page, '状态'), /^死亡.*2025-10-08.*病故/);
	const history = await historyRows(page);
	assert.deepEqual(history[0].slice(2), ['状态', '在册', '死亡（2025-10-08，病故）']);
	assertNoProblems(page, 'status');
});

/** Saves the screenshot and checks that the page does not scroll sideways. */
async function shoot(page, name) {
	await screen(page, name);
	const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
	assert.ok(w.scroll <= w.inner, `${name}: horizontal scrolling (scrollWidth ${w.scroll} > innerWidth ${w.inner})`);
}

for (const size of SIZES) {
	const tag = `${size.width}x${size.height}`;
	browserTest(`the person pages fit at ${tag} (screenshots)`, async () => {
		assert.ok(seen.person, 'the first test found a person');
		const page = await env.as('clerk', { viewport: size });
		await page.goto('/persons');
		await shoot(page, `persons-list-${tag}`);
		await page.goto(seen.person.path);
		await shoot(page, `persons-show-${tag}`);
		await page.getByRole('button', { name: '显示完整信息' }).click();
		await page.locator('.reveal-notice').waitFor();
		await shoot(page, `persons-revealed-${tag}`);
		await page.goto(`${seen.person.path}/edit`);
		await shoot(page, `persons-edit-${tag}`);
		await page.goto('/persons/new');
		await page.locator('form.person-form').evaluate((f) => (f.noValidate = true));
		await page.getByRole('button', { name: '保存' }).click();
		await page.getByRole('alert').waitFor();
		await shoot(page, `persons-errors-${tag}`);
		assertNoProblems(page, `screens ${tag}`);
	});
}

browserTest('clerk imports 5,000 people: a progress bar, the preview, then the result', async () => {
	const ROWS = 5000;
	const BAD = [100, 2600]; /* rows (0-based) with a wrong check character */
	const lines = ['姓名,身份证号,人员类别,联系电话'];
	for (let i = 0; i < ROWS; i++) {
		const birth = new Date(Date.UTC(1940, 0, 1) + i * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
		let id = idNumber(`110101${birth}357`);
		if (BAD.includes(i)) id = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
		lines.push(`批量${i},${id},退役军人,139${String(i).padStart(8, '0')}`);
	}
	const page = await env.as('clerk');
	await page.goto('/persons');
	const before = await listTotal(page);
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons/import'),
		page.getByRole('link', { name: '批量导入' }).click(),
	]);
	await page.getByLabel(/人员名单/).setInputFiles({
		name: '五千人.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n'),
	});

	/* The upload lands on the progress page: a <progress> bar and the rows done, then the preview. */
	const first = page.waitForResponse((r) => new URL(r.url()).pathname === '/persons/import/progress');
	await page.getByRole('button', { name: '上传并预览' }).click();
	const progressHtml = await (await first).text();
	assert.match(progressHtml, /<progress class="progress-bar" max="5000"/, 'the first answer is the progress page');
	assert.match(progressHtml, /已处理 \d+ 行，共约 5000 行|排队中/);
	await page.waitForURL((u) => u.pathname === '/persons/import/progress');
	const heading = page.getByRole('heading', { name: '导入预览：五千人.csv' });
	await heading.waitFor({ timeout: 60000 });
	const facts = await page.locator('dl.facts').innerText();
	assert.match(facts, new RegExp(`将新增\\s+${ROWS - BAD.length} 人`));
	assert.match(facts, new RegExp(`将拒绝\\s+${BAD.length} 行`));
	const rejected = await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td').innerText.trim()));
	assert.deepEqual(rejected, BAD.map((i) => String(i + 2)), 'the rejected rows by their row numbers');
	assert.equal(await page.locator('progress').count(), 0);

	/* Confirmed: the progress page again, then the result with the rejected rows to download. */
	const second = page.waitForResponse((r) => new URL(r.url()).pathname === '/persons/import/progress');
	await page.getByRole('button', { name: /确认导入/ }).click();
	assert.match(await (await second).text(), /正在导入：五千人\.csv/);
	await page.getByRole('heading', { name: '导入完成：五千人.csv' }).waitFor({ timeout: 60000 });
	const notice = await page.getByRole('status').filter({ hasText: '导入完成：' }).innerText();
	assert.match(notice, new RegExp(`新增 ${ROWS - BAD.length} 人，更新 0 人，未变化 0 人，拒绝 ${BAD.length} 行`));
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: /下载被拒绝的行/ }).click(),
	]);
	const csv = (await (await download.createReadStream()).toArray()).join('');
	assert.equal(csv.replace(/^\ufeff/, '').trim().split('\r\n').length, 1 + BAD.length);
	await shoot(page, 'persons-import-result-1366x768');

	await Promise.all([
		page.waitForURL((u) => u.pathname === '/persons'),
		page.getByRole('link', { name: '查看人员列表' }).click(),
	]);
	assert.equal(await listTotal(page), before + ROWS - BAD.length);
	assertNoProblems(page, 'import');
});
