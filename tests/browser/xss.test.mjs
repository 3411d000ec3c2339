// xss.test.mjs - markup typed into names is shown as text everywhere it appears:
// the account list, the account page, the organisation page and the audit log;
// nothing it contains runs (no dialog opens, no element is made from it).
import assert from 'node:assert/strict';
import { setup, browserTest, pathOf, assertNoProblems, screen } from './lib.mjs';

const env = setup();

const EVIL_NAME = '<img src=x onerror=alert(1)>';
const EVIL_ORG = '<script>alert(1)</script>';
const ORG_CODE = 'XSS-1';
const USERNAME = 'xssuser';
let accountPath = null;

/** Asserts no dialog but the expected confirmations opened, and no element came from the names. */
async function assertInert(page, what, confirmations = []) {
	assert.deepEqual(page.dialogs, confirmations, `${what}: dialogs`);
	const made = await page.evaluate(() => ({
		img: document.querySelectorAll('img[src="x"], img[onerror]').length,
		scripts: [...document.scripts].filter((s) => /alert/.test(s.textContent) || !s.src).length,
		handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
	}));
	assert.deepEqual(made, { img: 0, scripts: 0, handlers: 0 }, `${what}: elements made from the names`);
	assertNoProblems(page, what);
}

/** The text is visible on the page, literally. */
async function assertShown(page, text, what) {
	const found = page.getByText(text, { exact: true }).filter({ visible: true });
	assert.ok((await found.count()) >= 1, `${what}: "${text}" is visible on the page`);
}

browserTest('secadmin gives the system administrator the whole district as data scope', async () => {
	/* the demo's sysadmin sees only 办公室, under which no organisation can be made */
	const page = await env.as('secadmin');
	await page.getByRole('link', { name: '账号管理' }).click();
	await page.getByRole('link', { name: 'sysadmin', exact: true }).click();
	await page.waitForURL(/\/users\/\d+$/);
	assert.ok(await page.getByRole('checkbox', { name: '系统管理员' }).isChecked());
	await page.getByLabel('数据范围', { exact: true }).selectOption({ label: '全部' });
	await Promise.all([
		page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'GET'),
		page.getByRole('button', { name: '保存授权' }).click(),
	]);
	await page.waitForLoadState();
	assert.equal(await page.getByRole('alert').count(), 0, 'no error');
	assert.equal(
		await page.getByLabel('数据范围', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text),
		'全部'
	);
	await assertInert(page, 'grant', ['confirm: 确定修改该账号的角色与数据范围吗？']);
});

browserTest('an organisation and an account named with markup show it as text', async () => {
	const page = await env.as('sysadmin');

	/* the organisation */
	await page.getByRole('link', { name: '组织机构' }).click();
	await page.waitForURL('**/orgs');
	await page.getByText('新增机构', { exact: true }).first().click(); /* the <summary> */
	await page.getByLabel('上级机构').selectOption('420199');
	await page.getByLabel('机构类型').selectOption('section');
	await page.getByLabel('机构代码').fill(ORG_CODE);
	await page.getByLabel('机构名称', { exact: true }).fill(EVIL_ORG);
	await Promise.all([page.waitForURL('**/orgs'), page.getByRole('button', { name: '新增机构' }).click()]);
	await page.waitForLoadState();
	assert.equal(await page.getByRole('alert').count(), 0, 'the organisation was made');
	const orgRow = page.getByRole('row').filter({ hasText: ORG_CODE });
	assert.equal(await orgRow.count(), 1, 'the new organisation is listed');
	assert.equal((await orgRow.getByRole('rowheader').innerText()).trim(), EVIL_ORG, 'its name, as text');
	assert.equal(await orgRow.getByRole('textbox').inputValue(), EVIL_ORG, 'the rename field holds the name as typed');
	await assertShown(page, EVIL_ORG, 'org page');
	await assertInert(page, 'org page');
	await screen(page, 'xss-orgs');

	/* the account, in that organisation */
	await page.getByRole('link', { name: '账号管理' }).click();
	await page.getByRole('link', { name: '新建账号' }).click();
	const orgOption = page.getByLabel('所属机构').locator(`option[value="${ORG_CODE}"]`);
	assert.equal(await orgOption.innerText(), EVIL_ORG, 'the organisation choice shows the name as text');
	await page.getByLabel('用户名').fill(USERNAME);
	await page.getByLabel('姓名').fill(EVIL_NAME);
	await page.getByLabel('所属机构').selectOption(ORG_CODE);
	await page.getByLabel('初始密码').fill('Qw7#pLm9Zx');
	await Promise.all([page.waitForURL(/\/users\/\d+$/), page.getByRole('button', { name: '创建账号' }).click()]);
	accountPath = pathOf(page);
	const h1 = page.getByRole('heading', { level: 1 });
	assert.ok((await h1.innerText()).startsWith(EVIL_NAME), `the heading starts with the name as text: ${await h1.innerText()}`);
	assert.equal(await page.getByLabel('姓名').inputValue(), EVIL_NAME, 'the name field holds it as typed');
	await assertShown(page, EVIL_ORG, 'account page (所属机构)');
	assert.equal(
		await page.getByLabel('所属机构').evaluate((s) => s.options[s.selectedIndex].text),
		EVIL_ORG
	);
	await assertInert(page, 'account page');
	await screen(page, 'xss-account');

	/* the list */
	await page.getByRole('link', { name: '返回账号列表' }).click();
	await page.waitForURL('**/users');
	const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: USERNAME, exact: true }) });
	const cells = (await row.getByRole('cell').allInnerTexts()).map((s) => s.trim());
	assert.deepEqual(cells.slice(0, 3), [USERNAME, EVIL_NAME, EVIL_ORG]);
	await assertShown(page, EVIL_NAME, 'list');
	await assertShown(page, EVIL_ORG, 'list');
	/* and a search for it */
	await page.getByLabel('关键字').fill('<img');
	await page.getByRole('button', { name: '查询' }).click();
	await page.waitForURL(/q=/);
	assert.equal(await page.getByLabel('关键字').inputValue(), '<img', 'the query is kept as typed');
	await assertShown(page, EVIL_NAME, 'search result');
	await assertInert(page, 'list');
	await screen(page, 'xss-users');
});

browserTest('the audit log shows the markup as text', async () => {
	assert.ok(accountPath, 'the account was made');
	const page = await env.as('auditor');
	await page.getByRole('link', { name: '审计日志' }).click();
	await page.waitForURL('**/audit');
	const orgRow = page.locator('table tbody tr').filter({ hasText: ORG_CODE }).filter({ hasText: 'org.create' });
	assert.equal(await orgRow.count(), 1, 'the creation of the organisation is logged');
	assert.equal((await orgRow.locator('td').nth(7).innerText()).trim(), EVIL_ORG, 'its detail, as text');
	await assertShown(page, EVIL_ORG, 'audit page');
	await screen(page, 'xss-audit');
	const userRow = page.locator('table tbody tr').filter({ hasText: USERNAME }).filter({ hasText: 'user.create' });
	assert.equal(await userRow.count(), 1, 'the creation of the account is logged');

	/* markup typed into the filter is kept as text too */
	await page.getByLabel('操作人').fill('"><img src=x onerror=alert(2)>');
	await page.getByRole('button', { name: '查询' }).click();
	await page.getByText('没有符合条件的审计记录。').waitFor();
	assert.equal(await page.getByLabel('操作人').inputValue(), '"><img src=x onerror=alert(2)>');
	/* and the record of that query shows it literally */
	await page.getByRole('link', { name: '清除' }).click();
	await page.waitForURL((u) => u.search === '');
	assert.ok(await page.getByText('"><img src=x onerror=alert(2)>', { exact: false }).first().isVisible());
	await assertInert(page, 'audit page');
});
