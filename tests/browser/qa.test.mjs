// qa.test.mjs - 智能问答 as the public and the staff use it, on the demo (its base of 64
// entries): a question typed on the portal gets the best answer in full and related questions;
// an entry on its own page; a question the base does not cover falls through to the form that
// leaves it for staff, who find it among the questions left and turn it into an entry. Every
// portal page passes axe-core in the plain mode and with large type and high contrast, and does
// not scroll sideways at 360 px. Screenshots: build/test-logs/screens/qa-*.png. In order.
import assert from 'node:assert/strict';
import { assertNoProblems, axeCheck, browserTest, pathOf, portalMode, screen, setup } from './lib.mjs';

const env = setup();

async function checkModes(page, what) {
	await axeCheck(page, `${what} (plain)`);
	await portalMode(page, { large: true, contrast: true });
	await axeCheck(page, `${what} (large, contrast)`);
	await portalMode(page, {});
}

async function noSideways(page, what) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	assert.ok(wide <= 0, `${what} scrolls sideways by ${wide} px at 360 px`);
}

browserTest('a visitor asks, reads the answer and a related question', async () => {
	const page = await env.portalPage({ viewport: { width: 360, height: 740 } });
	await page.goto('/qa');
	await checkModes(page, '/qa');
	await page.getByLabel('您想问什么？').fill('优待证丢了怎么补办');
	await Promise.all([page.waitForURL((u) => u.pathname === '/qa' && u.search.includes('q=')), page.getByRole('button', { name: '查询' }).click()]);
	await page.getByRole('heading', { name: '优待证丢了怎么补办？' }).waitFor();
	await page.getByText('补领申请表').waitFor();
	await noSideways(page, '/qa?q=');
	await screen(page, 'qa-answer-360');
	await checkModes(page, '/qa?q= (answered)');
	const related = page.getByRole('list', { name: '相关问题' }).getByRole('link').first();
	await Promise.all([page.waitForURL((u) => /^\/qa\/\d+$/.test(u.pathname)), related.click()]);
	await page.getByRole('heading', { level: 1 }).waitFor();
	await checkModes(page, pathOf(page));
	await noSideways(page, pathOf(page));
	assertNoProblems(page, 'qa portal');
});

browserTest('a question the base does not cover is left, and the clerk turns it into an entry', async () => {
	const page = await env.portalPage({ viewport: { width: 1366, height: 900 } });
	await page.goto('/qa?q=' + encodeURIComponent('退役军人参加篮球联赛有补贴吗'));
	await page.getByRole('heading', { name: '抱歉，暂时没有找到合适的答案' }).waitFor();
	await screen(page, 'qa-fallback-1366');
	await checkModes(page, '/qa?q= (fallback)');
	await Promise.all([page.waitForURL((u) => u.search.includes('left=1')), page.getByRole('button', { name: '把问题留给工作人员' }).click()]);
	await page.getByText('您的问题已经留给工作人员').waitFor();
	await checkModes(page, '/qa?left=1');
	assertNoProblems(page, 'qa portal');

	const staff = await env.as('clerk');
	await staff.goto('/qa-base/questions');
	const row = staff.getByRole('row').filter({ hasText: '篮球联赛' });
	await Promise.all([staff.waitForURL((u) => u.pathname.endsWith('/convert')), row.getByRole('link', { name: '转为条目' }).click()]);
	await staff.getByLabel('编号').fill('QA900');
	await staff.getByLabel('答案').fill('参加区级以上体育赛事的退役军人，可向服务站申请交通和食宿补贴。');
	await staff.getByLabel('相似问法').fill('篮球比赛补贴；体育比赛补贴');
	await Promise.all([staff.waitForURL((u) => /^\/qa-base\/\d+$/.test(u.pathname)), staff.getByRole('button', { name: '保存' }).click()]);
	await staff.getByText('已转为问答条目').waitFor();
	assertNoProblems(staff, 'qa staff');

	await page.goto('/qa?q=' + encodeURIComponent('篮球比赛有补贴吗'));
	await page.getByText('交通和食宿补贴').waitFor();
});
