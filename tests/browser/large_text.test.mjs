// large_text.test.mjs - 适老化 on the staff pages: 大字模式 makes the text one
// reads and types (body, table cells and headers) at least 18px, and a table
// wider than a phone says that it scrolls (a fading edge, the hint
// 「左右滑动查看更多」 above it) and can be scrolled from the keyboard. Saves screenshots
// at 1366 and 375 px in both modes to build/test-logs/screens/ for people to look at.
import assert from 'node:assert/strict';
import { setup, browserTest, assertNoProblems, screen } from './lib.mjs';

const env = setup();

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 375, height: 812 };

const PAGES = [
	{ user: 'clerk', path: '/persons' },
	{ user: 'clerk', path: '/payments' },
	{ user: 'clerk', path: '/payments/lines' },
	{ user: 'clerk', path: '/benefits' },
	{ user: 'secadmin', path: '/roles' },
	{ user: 'secadmin', path: '/users' },
];

/**
 * Computed font sizes in px of the body, the first td and the first th of the
 * page's main table, and the smallest visible text on the page (small print
 * included) with what it is.
 */
function sizes(page) {
	return page.evaluate(() => {
		const px = (el) => (el ? parseFloat(getComputedStyle(el).fontSize) : null);
		const main = document.querySelector('main') || document.body;
		let least = { px: Infinity, what: '' };
		for (const el of document.querySelectorAll('body *')) {
			const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
			if (!own || !el.offsetParent || el.closest('.sr-only')) continue;
			const size = px(el);
			if (size < least.px) least = { px: size, what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` };
		}
		return {
			body: px(document.body),
			td: px(main.querySelector('.table-wrap td')),
			th: px(main.querySelector('.table-wrap th')),
			least,
		};
	});
}

/** The first .table-wrap's state: overflowing class, hint visibility, keyboard access. */
function wrapState(page) {
	return page.evaluate(() => {
		const wrap = document.querySelector('main .table-wrap');
		const hint = wrap.previousElementSibling;
		return {
			overflowing: wrap.classList.contains('is-overflowing'),
			wider: wrap.scrollWidth > wrap.clientWidth + 1,
			hintVisible: !!(hint && hint.classList.contains('table-scroll-hint') && hint.offsetParent !== null),
			hintText: hint ? hint.textContent : '',
			tabindex: wrap.getAttribute('tabindex'),
			role: wrap.getAttribute('role'),
			label: wrap.getAttribute('aria-label'),
		};
	});
}

function fileName(p) {
	return p.replace(/^\//, '').replace(/\//g, '-');
}

for (const { user, path } of PAGES) {
	browserTest(`大字模式 makes body and table text at least 18px on ${path} as ${user}`, async () => {
		const page = await env.as(user, { viewport: DESKTOP });
		await page.goto(path);
		const before = await sizes(page);
		assert.ok(before.td && before.th, `${path}: has a table with th and td: ${JSON.stringify(before)}`);
		for (const k of ['body', 'td', 'th'])
			assert.ok(before[k] < 18, `${path}: ${k} is below 18px in the normal mode (so the test bites): ${JSON.stringify(before)}`);
		await screen(page, `large-${user}-${fileName(path)}-1366-normal`);

		await page.locator('#toggle-large').click();
		assert.equal(await page.locator('#toggle-large').getAttribute('aria-pressed'), 'true');
		const after = await sizes(page);
		for (const k of ['body', 'td', 'th'])
			assert.ok(after[k] >= 18, `${path}: ${k} is at least 18px in 大字模式: ${JSON.stringify(after)}`);
		/* small print (hints, badges, counts) has a floor of 16px */
		assert.ok(after.least.px >= 16, `${path}: no visible text below 16px in 大字模式: ${JSON.stringify(after.least)}`);
		await screen(page, `large-${user}-${fileName(path)}-1366-large`);

		/* remembered on the next page, and at a phone's width the page still fits */
		await page.setViewportSize(PHONE);
		await page.goto(path);
		assert.ok((await sizes(page)).td >= 18, `${path}: 大字模式 is remembered`);
		const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
		assert.ok(w.scroll <= w.inner, `${path} at 375 in 大字模式: no sideways scrolling of the page (${w.scroll} > ${w.inner})`);
		await screen(page, `large-${user}-${fileName(path)}-375-large`);
		await page.locator('#toggle-large').click();
		await screen(page, `large-${user}-${fileName(path)}-375-normal`);
		assertNoProblems(page, `${path} as ${user}`);
	});
}

browserTest('a wide table on a phone shows that it scrolls, a narrow one does not', async () => {
	const page = await env.as('secadmin', { viewport: PHONE });
	await page.goto('/roles');
	const wide = await wrapState(page);
	assert.ok(wide.wider, `/roles at 375: the matrix is wider than its box: ${JSON.stringify(wide)}`);
	assert.ok(wide.overflowing, `/roles at 375: the box has class is-overflowing: ${JSON.stringify(wide)}`);
	assert.ok(wide.hintVisible, `/roles at 375: the hint is shown: ${JSON.stringify(wide)}`);
	assert.equal(wide.hintText, '左右滑动查看更多');
	assert.equal(wide.tabindex, '0');
	assert.equal(wide.role, 'region');
	assert.ok(wide.label && wide.label.length > 0, 'the scrolling box is named');

	/* scrolled from the keyboard */
	const box = page.locator('main .table-wrap').first();
	await box.focus();
	await page.keyboard.press('End');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	/* the browser may scroll smoothly: wait for it to move rather than read it at once */
	const moved = await box
		.evaluate((el) => new Promise((done) => {
			const until = Date.now() + 5000;
			(function look() {
				if (el.scrollLeft > 0 || Date.now() > until) done(el.scrollLeft);
				else requestAnimationFrame(look);
			})();
		}));
	assert.ok(moved > 0, `the table box scrolls with the arrow keys (scrollLeft ${moved})`);

	/* the accounts table fits at 1366 px: no class, no hint; narrowed to a
	 * phone it no longer fits, and the class follows without a reload */
	await page.setViewportSize(DESKTOP);
	await page.goto('/users');
	const fits = await wrapState(page);
	assert.ok(!fits.wider && !fits.overflowing && !fits.hintVisible, `/users at 1366: fits, no hint: ${JSON.stringify(fits)}`);
	await page.setViewportSize(PHONE);
	await page.waitForFunction(() => document.querySelector('main .table-wrap').classList.contains('is-overflowing'));
	assert.ok((await wrapState(page)).hintVisible, '/users at 375 after a resize: the hint is shown');
	assertNoProblems(page, 'scrolling tables');

	/* the payment lines are wide too; the persons list becomes cards on a phone and fits */
	const clerk = await env.as('clerk', { viewport: PHONE });
	await clerk.goto('/payments/lines');
	const lines = await wrapState(clerk);
	assert.ok(lines.wider && lines.overflowing && lines.hintVisible, `/payments/lines at 375: ${JSON.stringify(lines)}`);
	await screen(clerk, 'scroll-hint-payments-lines-375');
	await clerk.goto('/persons');
	const persons = await wrapState(clerk);
	assert.ok(!persons.wider, `/persons at 375 fits its box: ${JSON.stringify(persons)}`);
	assert.ok(!persons.overflowing && !persons.hintVisible, `/persons at 375: no class, no hint: ${JSON.stringify(persons)}`);
	assert.equal(persons.tabindex, '0', 'a fitting table box is still reachable by keyboard');
	assertNoProblems(clerk, 'scrolling tables as clerk');
});
