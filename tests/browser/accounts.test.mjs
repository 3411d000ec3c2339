// accounts.test.mjs - the life of a new account across the three administrators:
// the 系统管理员 creates it, the new user must change the temporary password first,
// only then the 安全管理员 grants a role, and the 审计管理员 finds it all in the log.
// The tests run in order and share the account.
import assert from 'node:assert/strict';
import { setup, browserTest, signIn, pathOf, assertNoProblems, knownBug, PASSWORD } from './lib.mjs';

const env = setup();

/* Reported: reply_flash (src/web/page.c) URL-encodes the message into a
 * 180-byte buffer and silently drops it on overflow; a CJK character takes 9
 * bytes, so a notice of more than 19 characters never reaches the page. */
const BUG_LONG_FLASH = null;
/* Reported: PERM_SIGNED_IN is granted to every role, not to every signed-in
 * user, so an account without a role gets 403 on /password and /logout. */
/* Reported: the home page's 在用账号 / 锁定中账号 cards count every account
 * (src/web/home.c), not those in the viewer's data scope as the list does. */
const BUG_HOME_SCOPE = null;
const BUG_NO_ROLE = null;

const NEW = {
	username: 'zhaoxl',
	name: '赵晓丽',
	/* the demo's sysadmin works in 办公室 with the scope 本部门及以下, so that is
	 * the organisation he can put an account in */
	org: '420199-BGS',
	orgName: '办公室',
	password: PASSWORD,
	newPassword: 'Nw8$kRt2Vb',
};
let accountPath = null; /* /users/<id>, once created */

/** The text of the <dd> after the <dt> named term on an account page. */
function fact(page, term) {
	return page.locator(`dl.facts dt:text-is("${term}") + dd`).first().innerText();
}

browserTest('sysadmin creates an account from the 账号管理 page', async (t) => {
	const page = await env.as('sysadmin');
	const card = page.locator('.card').filter({ hasText: '在用账号' });
	const onHome = Number((await card.locator('.card-value').innerText()).trim());
	await card.click(); /* the card leads to the list */
	await page.waitForURL('**/users');
	await page.getByRole('heading', { name: '账号管理' }).waitFor();
	const listed = Number(/共 (\d+) 个账号/.exec(await page.locator('.toolbar-total').innerText())?.[1]);
	await knownBug(t, 'the home page counts the accounts the list shows', BUG_HOME_SCOPE, page, async () => {
		assert.equal(onHome, listed, `在用账号 on the home page (${onHome}) and 共 N 个账号 in the list (${listed})`);
	});
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).click();
	await page.waitForURL('**/users');
	await page.getByRole('link', { name: '新建账号' }).click();
	await page.waitForURL('**/users/new');
	await page.getByLabel('用户名').fill(NEW.username);
	await page.getByLabel('姓名').fill(NEW.name);
	await page.getByLabel('所属机构').selectOption(NEW.org);
	await page.getByLabel('初始密码').fill(NEW.password);
	await Promise.all([
		page.waitForURL(/\/users\/\d+$/),
		page.getByRole('button', { name: '创建账号' }).click(),
	]);
	accountPath = pathOf(page);

	await knownBug(t, 'the account page says the account was created', BUG_LONG_FLASH, page, async () => {
		const notice = page.getByRole('status').filter({ hasText: '账号已创建' });
		assert.ok(await notice.isVisible(), 'a success notice');
	});
	const h1 = page.getByRole('heading', { level: 1 });
	assert.match(await h1.innerText(), new RegExp(`${NEW.name}\\s+${NEW.username}\\s+正常`));
	assert.equal((await fact(page, '用户名')).trim(), NEW.username);
	assert.equal((await fact(page, '所属机构')).trim(), NEW.orgName);
	assert.equal((await fact(page, '状态')).trim(), '正常');
	assert.equal((await fact(page, '角色')).trim(), '未授权', 'a new account has no role');
	assert.match(await fact(page, '须修改密码'), /^是/);
	assert.equal(await page.getByRole('button', { name: '保存授权' }).count(), 0, 'sysadmin cannot grant roles');

	/* and the list shows it */
	await page.getByRole('link', { name: '返回账号列表' }).click();
	const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: NEW.username, exact: true }) });
	assert.equal(await row.count(), 1);
	const cells = (await row.getByRole('cell').allInnerTexts()).map((s) => s.trim());
	assert.deepEqual(cells.slice(0, 3), [NEW.username, NEW.name, NEW.orgName]);
	assert.match(cells[3], /未授权|未授予角色/, 'no role');
	assert.equal(cells[5], '正常');
	assert.equal(cells[6], '从未登录');
	assertNoProblems(page, 'account creation');
});

browserTest('the new user must change the temporary password first', async () => {
	assert.ok(accountPath, 'the account was created');
	const page = await env.page();
	await signIn(page, NEW.username, NEW.password);
	assert.equal(pathOf(page), '/password', 'the first sign-in lands on 修改密码');
	await page.getByRole('heading', { name: '修改密码', level: 1 }).waitFor();
	assert.ok(await page.getByText('请先修改密码。').isVisible(), 'says why');
	assert.equal(await page.getByRole('link', { name: '取消' }).count(), 0, 'no way to skip it');

	for (const url of ['/', '/users', '/audit', '/orgs', accountPath]) {
		await page.goto(url);
		assert.equal(pathOf(page), '/password', `${url} redirects to 修改密码`);
	}

	/* a password of one character class breaks the rule, and the page says which */
	await page.getByLabel('当前密码').fill(NEW.password);
	await page.getByLabel('新密码', { exact: true }).fill('abcdefghijk');
	await page.getByLabel('再次输入新密码').fill('abcdefghijk');
	await page.getByRole('button', { name: '修改密码' }).click();
	const alert = page.getByRole('alert');
	await alert.waitFor();
	assert.match(await alert.innerText(), /密码须包含大写字母、小写字母、数字、符号中的至少三类/);
	assert.equal(pathOf(page), '/password');
	assert.ok(await page.getByRole('heading', { name: '密码规则' }).isVisible(), 'the rules are shown beside the form');
	assert.match(await page.locator('#pw-rules').innerText(), /长度不少于 8 个字符/);
	/* still forced */
	await page.goto('/');
	assert.equal(pathOf(page), '/password');

	/* the two new passwords must match */
	await page.getByLabel('当前密码').fill(NEW.password);
	await page.getByLabel('新密码', { exact: true }).fill(NEW.newPassword);
	await page.getByLabel('再次输入新密码').fill(NEW.newPassword + 'x');
	await page.getByRole('button', { name: '修改密码' }).click();
	await page.getByRole('alert').filter({ hasText: '两次输入的新密码不一致' }).waitFor();

	await page.getByLabel('当前密码').fill(NEW.password);
	await page.getByLabel('新密码', { exact: true }).fill(NEW.newPassword);
	await page.getByLabel('再次输入新密码').fill(NEW.newPassword);
	await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: '修改密码' }).click()]);
	await page.getByRole('heading', { name: `${NEW.name}，您好` }).waitFor();
	assert.ok(await page.getByRole('status').filter({ hasText: '密码已修改' }).isVisible(), 'a success notice');
	assert.doesNotMatch(await page.locator('header.topbar').innerText(), /经办人/, 'no role before the grant');
	await page.goto('/users');
	assert.equal(pathOf(page), '/users', 'no longer redirected');
	await page.getByRole('heading', { name: '无权访问' }).waitFor();

	/* the new password works from now on, the old one does not */
	await page.goto('/');
	await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: '退出' }).click()]);
	await page.getByLabel('用户名').fill(NEW.username);
	await page.getByLabel('密码', { exact: true }).fill(NEW.password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
	await signIn(page, NEW.username, NEW.newPassword);
	assert.equal(pathOf(page), '/');
	assertNoProblems(page, 'forced password change');
});

browserTest('secadmin grants the clerk role and a data scope once the owner has his own password', async (t) => {
	assert.ok(accountPath, 'the account was created');
	const page = await env.as('secadmin');
	await page.getByRole('link', { name: '账号管理' }).click();
	await page.getByLabel('关键字').fill(NEW.username);
	await page.getByRole('button', { name: '查询' }).click();
	await page.waitForURL(/q=zhaoxl/);
	await page.getByRole('link', { name: NEW.username, exact: true }).click();
	await page.waitForURL(`**${accountPath}`);

	const clerkBox = page.getByRole('checkbox', { name: '经办人', exact: true });
	assert.equal(await clerkBox.isChecked(), false);
	await clerkBox.check();
	await page.getByLabel('数据范围', { exact: true }).selectOption({ label: '本部门' });
	await Promise.all([
		/* the form posts to …/roles, which answers with a redirect back here */
		page.waitForResponse(
			(r) => r.request().method() === 'GET' && r.request().isNavigationRequest() && new URL(r.url()).pathname === accountPath
		),
		page.getByRole('button', { name: '保存授权' }).click(),
	]);
	assert.deepEqual(page.dialogs, ['confirm: 确定修改该账号的角色与数据范围吗？'], 'the save asks for confirmation first');
	await page.waitForLoadState();
	assert.equal(pathOf(page), accountPath, 'back on the account page');
	assert.equal(await page.getByRole('alert').count(), 0, 'no error');
	await knownBug(t, 'the account page says the grant was saved', BUG_LONG_FLASH, page, async () => {
		const notice = page.getByRole('status').filter({ hasText: '角色与数据范围已保存' });
		assert.ok(await notice.isVisible(), 'a success notice');
	});
	assert.equal(await page.getByRole('checkbox', { name: '经办人', exact: true }).isChecked(), true);
	const checked = await page.getByRole('checkbox', { checked: true }).count();
	assert.equal(checked, 1, 'only 经办人 is ticked');
	assert.equal(
		await page.getByLabel('数据范围', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text),
		'本部门'
	);
	assertNoProblems(page, 'grant');

	/* the owner, who set his own password, has the role at his next sign-in */
	const owner = await env.page();
	await signIn(owner, NEW.username, NEW.newPassword);
	assert.match(await owner.locator('header.topbar').innerText(), /经办人/, 'the granted role is in effect');
});

browserTest('auditor finds the creation and the grant in 审计日志 and filters by action', async () => {
	assert.ok(accountPath, 'the account was created');
	const page = await env.as('auditor');
	const nav = page.getByRole('navigation', { name: '主导航' });
	assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((s) => s.trim()), ['首页', '审计日志']);
	await nav.getByRole('link', { name: '审计日志' }).click();
	await page.waitForURL('**/audit');
	await page.getByRole('heading', { name: '审计日志', level: 1 }).waitFor();

	/* the 操作 column: a Chinese title and the action's code, e.g. "新建账号 user.create" */
	const actions = async () =>
		(await page.locator('table tbody tr td:nth-child(5)').allInnerTexts()).map((s) => s.trim().split(/\s+/).pop());
	const all = await actions();
	assert.ok(all.includes('user.create'), `user.create listed; got ${all.join(', ')}`);
	assert.ok(all.includes('user.grant'), `user.grant listed; got ${all.join(', ')}`);

	await page.getByLabel('操作', { exact: true }).fill('user.grant');
	await Promise.all([page.waitForURL(/action=user\.grant/), page.getByRole('button', { name: '查询' }).click()]);
	const filtered = await actions();
	assert.ok(filtered.length >= 1, 'the grant is found');
	assert.deepEqual([...new Set(filtered)], ['user.grant'], 'only user.grant rows');
	assert.equal(await page.getByLabel('操作', { exact: true }).inputValue(), 'user.grant', 'the filter is kept');
	const row = page.locator('table tbody tr').filter({ hasText: 'user.grant' }).first();
	const text = await row.innerText();
	assert.match(text, /secadmin|李红梅/, 'the actor is the security administrator');
	assert.match(text, /经办人/);
	assert.match(text, /本部门/);
	assert.match(text, /成功/);

	await page.getByLabel('操作', { exact: true }).fill('user.create');
	await page.getByRole('button', { name: '查询' }).click();
	await page.waitForURL(/action=user\.create/);
	const created = await page.locator('table tbody tr').filter({ hasText: NEW.username }).count();
	assert.ok(created >= 1, 'the creation of the account is found');
	assert.deepEqual([...new Set(await actions())], ['user.create']);

	/* an action nobody did: an empty, explained table */
	await page.getByLabel('操作', { exact: true }).fill('no.such.action');
	await page.getByRole('button', { name: '查询' }).click();
	await page.getByText('没有符合条件的审计记录。').waitFor();

	await page.getByRole('link', { name: '清除' }).click();
	await page.waitForURL((u) => u.pathname === '/audit' && u.search === '');
	assert.ok((await actions()).length > filtered.length);
	assertNoProblems(page, 'audit');
});

browserTest('an account not yet given a role can still change its password and sign out', async (t) => {
	const admin = await env.as('sysadmin');
	await admin.goto('/users/new');
	await admin.getByLabel('用户名').fill('qianwei');
	await admin.getByLabel('姓名').fill('钱伟');
	await admin.getByLabel('所属机构').selectOption(NEW.org);
	await admin.getByLabel('初始密码').fill(NEW.password);
	await Promise.all([admin.waitForURL(/\/users\/\d+$/), admin.getByRole('button', { name: '创建账号' }).click()]);
	await admin.context().close();

	const page = await env.page();
	await signIn(page, 'qianwei', NEW.password);
	assert.equal(pathOf(page), '/password', 'the first sign-in lands on 修改密码');
	await knownBug(t, 'the role-less user sees the password form and can sign out', BUG_NO_ROLE, page, async () => {
		await page.getByLabel('当前密码').waitFor({ timeout: 2000 });
		await page.getByLabel('当前密码').fill(NEW.password);
		await page.getByLabel('新密码', { exact: true }).fill(NEW.newPassword);
		await page.getByLabel('再次输入新密码').fill(NEW.newPassword);
		await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: '修改密码' }).click()]);
		await page.getByRole('heading', { name: '钱伟，您好' }).waitFor({ timeout: 2000 });
		await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: '退出' }).click()]);
	});
});

browserTest('a reset of a role holder takes two: the sysadmin asks, the secadmin confirms, then the temporary password works', async () => {
	assert.ok(accountPath, 'the account was created (and holds 经办人)');
	const TEMP = 'Tmp#reset2026';
	const admin = await env.as('sysadmin');
	await admin.goto(accountPath);
	await admin.getByText('该账号持有业务角色：重置须由安全管理员确认后生效').waitFor();
	await admin.getByLabel('临时密码').fill(TEMP);
	await admin.getByRole('button', { name: '重置密码' }).click();
	await admin.getByText(/提交的重置申请待安全管理员确认/).waitFor();
	assert.equal(await admin.getByRole('button', { name: '确认重置' }).count(), 0, 'the sysadmin cannot confirm');
	assertNoProblems(admin, 'reset request');
	await admin.context().close();

	/* Not yet: the requested password does not sign in. */
	const early = await env.page();
	await early.goto('/login');
	await early.getByLabel('用户名').fill(NEW.username);
	await early.getByLabel('密码', { exact: true }).fill(TEMP);
	await early.getByRole('button', { name: '登录' }).click();
	await early.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
	await early.context().close();

	const sec = await env.as('secadmin');
	await sec.goto(accountPath);
	await sec.getByRole('heading', { name: '确认重置密码' }).waitFor();
	await Promise.all([
		sec.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${accountPath}/password/confirm`),
		sec.getByRole('button', { name: '确认重置' }).click(),
	]);
	await sec.getByText('已确认重置').waitFor();
	assert.equal(await sec.getByRole('button', { name: '确认重置' }).count(), 0, 'nothing left to confirm');
	assertNoProblems(sec, 'reset confirmation');
	await sec.context().close();

	const page = await env.page();
	await signIn(page, NEW.username, TEMP);
	assert.equal(pathOf(page), '/password', 'the temporary password works and must be changed first');
});
