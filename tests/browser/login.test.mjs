// login.test.mjs - signing in and out as a person does: the form, a wrong
// password, the clerk's home page and menu, 退出, and the keyboard-only way in.
import assert from 'node:assert/strict';
import { setup, browserTest, signIn, pathOf, assertNoProblems } from './lib.mjs';

const env = setup();

/** What has the keyboard focus: its id, else its tag and text. */
function focused(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return 'body';
		return e.id || `${e.tagName.toLowerCase()}:${e.textContent.trim()}`;
	});
}

browserTest('login page shows the form in Chinese', async () => {
	const page = await env.page();
	await page.goto('/');
	assert.equal(pathOf(page), '/', 'a visitor is shown the login form at /');
	await page.goto('/login');
	await assert.doesNotReject(page.getByRole('heading', { name: '退役军人服务保障平台' }).waitFor());
	assert.match(await page.title(), /^登录 - 退役军人服务保障平台$/);
	assert.ok(await page.getByText('用户名', { exact: true }).isVisible(), '用户名 label');
	assert.ok(await page.getByText('密码', { exact: true }).isVisible(), '密码 label');
	assert.ok(await page.getByRole('button', { name: '登录' }).isVisible(), '登录 button');
	/* the labels are tied to their inputs */
	assert.equal(await page.getByLabel('用户名').getAttribute('name'), 'username');
	assert.equal(await page.getByLabel('密码', { exact: true }).getAttribute('type'), 'password');
	assert.equal(await focused(page), 'username', 'the username field has the focus on arrival');
	assertNoProblems(page, 'login page');
});

browserTest('a wrong password shows a Chinese error and stays on the login page', async () => {
	const page = await env.page();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('clerk');
	await page.getByLabel('密码', { exact: true }).fill('Wrong#Pass123');
	await page.getByRole('button', { name: '登录' }).click();
	const alert = page.getByRole('alert');
	await alert.waitFor();
	assert.equal((await alert.innerText()).trim(), '用户名或密码错误');
	assert.equal(pathOf(page), '/login');
	assert.ok(await page.getByRole('button', { name: '登录' }).isVisible(), 'the form is still there');
	assert.equal(await page.getByLabel('用户名').inputValue(), 'clerk', 'the username is kept');
	assert.equal(await page.getByLabel('密码', { exact: true }).inputValue(), '', 'the password is not');
	/* not signed in: / still shows the login form */
	await page.goto('/');
	assert.ok(await page.getByRole('button', { name: '登录' }).isVisible());
	assertNoProblems(page, 'login page after a wrong password');
});

browserTest('clerk signs in, sees the home page without admin menus, and signs out', async () => {
	const page = await env.page();
	await signIn(page, 'clerk', env.password('clerk'));
	assert.equal(pathOf(page), '/');
	assert.match(await page.title(), /^首页 - /);
	await page.getByRole('heading', { name: '刘洋，您好' }).waitFor();
	const header = page.locator('header.topbar');
	assert.ok(await header.getByText('刘洋', { exact: true }).isVisible(), "the user's name in the top bar");
	assert.match(await header.innerText(), /经办人/, 'the role in the top bar');

	const nav = page.getByRole('navigation', { name: '主导航' });
	const links = (await nav.getByRole('link').allInnerTexts()).map((s) => s.trim());
	assert.deepEqual(
		links.map((l) => l.replace(/\s+\d+$/, '')),
		['首页', '统计看板', '人员信息', '死亡上报', '待遇发放', '待遇标准', '待遇统计', '窗口受理', '服务事项', '好差评', '办件统计', '短信通知', '信访', '查问题', '门户内容', '意见征集', '问卷调查', '智能问答', '安置', '就业创业', '关爱帮扶', '双拥', '普法', '节假日日历', '年度报告'],
		'a clerk reads the dashboard and works in the registry, the payments, the counter and 信访, writes the annual report, with no administration menus (a count may follow an entry)',
	);
	for (const admin of ['账号管理', '审计日志', '组织机构', '安全策略'])
		assert.equal(await page.getByRole('link', { name: admin }).count(), 0, `no ${admin} link`);
	assert.equal(await nav.getByRole('link', { name: '首页' }).getAttribute('aria-current'), 'page');

	/* an administration URL typed by hand is refused, in Chinese */
	const r = await page.goto('/users');
	assert.equal(r.status(), 403);
	await page.getByRole('heading', { name: '无权访问' }).waitFor();

	await page.goto('/');
	await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: '退出' }).click()]);
	assert.equal(pathOf(page), '/login');
	assert.ok(await page.getByRole('button', { name: '登录' }).isVisible(), 'back at the login form');
	assert.ok(await page.getByText('您已安全退出').isVisible(), 'the sign-out notice is shown');
	/* signed out for real: the home page asks to sign in again, and a page of
	 * the system sends one to the login form, saying why */
	await page.goto('/');
	assert.ok(await page.getByRole('button', { name: '登录' }).isVisible());
	assert.equal(await page.getByText('刘洋，您好').count(), 0);
	await page.goto('/password');
	assert.equal(pathOf(page), '/login');
	assert.equal((await page.getByRole('alert').innerText()).trim(), '请先登录');
	assertNoProblems(page, 'sign in and out');
});

browserTest('keyboard only: Tab to the form, type, Enter signs in', async () => {
	const page = await env.page();
	await page.goto('/login');
	/* from the top of the page: the skip link comes first, then 大字模式, then the form */
	const order = [];
	for (let i = 0; i < 12 && (await focused(page)) !== 'a:跳到主要内容'; i++) {
		await page.keyboard.press('Tab');
		order.push(await focused(page));
	}
	assert.equal(await focused(page), 'a:跳到主要内容', `Tab reaches the skip link; order: ${order.join(' → ')}`);
	await page.keyboard.press('Tab');
	assert.equal(await focused(page), 'toggle-large');
	await page.keyboard.press('Tab');
	assert.equal(await focused(page), 'username', 'Tab reaches the username field');
	await page.keyboard.type('clerk');
	await page.keyboard.press('Tab');
	assert.equal(await focused(page), 'password', 'Tab goes on to the password field');
	await page.keyboard.type(env.password('clerk'));
	await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.keyboard.press('Enter')]);
	await page.getByRole('heading', { name: '刘洋，您好' }).waitFor();
	/* the first Tab on the home page is the skip link, and it works */
	await page.keyboard.press('Tab');
	assert.equal(await focused(page), 'a:跳到主要内容');
	await page.keyboard.press('Enter');
	assert.equal(await focused(page), 'main', 'the skip link moves the focus to the main content');
	assertNoProblems(page, 'keyboard sign-in');
});
