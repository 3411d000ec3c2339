// home.test.mjs - each role's home page shows its to-dos (SQLite and, with VETS_TEST_PG,
// PostgreSQL), on the demo district: every count equal to a count written here in SQL, every
// link opening a list of as many rows, the JSON twin /api/v1/todos the same list, a role with
// nothing waiting told so with the pages it uses most. Detours on another copy of the demo:
// generating this month's batches removes their to-do (the generation itself says how many
// were due), a batch sent back (退回) shows to the clerk as one to generate again, and a
// station counts only its street's overdue contacts, a password reset waits for the
// security administrator's confirmation, a station's campaign lists whom it has still to visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Server, cleanup, demoStore, now, shanghaiDate, sqlExec, vets } from './lib.mjs';

const LOGINS = {
	clerk: 'Demo@b1fdd5',
	reviewer: 'Demo@91fe86',
	approver: 'Demo@6dc92b',
	leader: 'Demo@b5527b',
	station: 'Demo@12f628',
	sysadmin: 'Demo@27ecdd',
	secadmin: 'Demo@0f21b7',
	auditor: 'Demo@af15fe',
};

let demo;
after(async () => {
	if (demo?.server?.alive) await demo.server.stop();
	await cleanup();
});

before(async () => {
	const { db } = await demoStore();
	demo = { db, server: await Server.start(db) };
});

const count = (db, sql) => Number(sqlExec(db, sql).trim());

async function signedIn(server, name) {
	const c = new Client(server);
	await c.signIn(name, LOGINS[name]);
	return c;
}

async function todosOf(c) {
	const r = await c.get('/api/v1/todos');
	assert.equal(r.status, 200, `${r}`);
	return r.json.items;
}

/* The number of rows a list page says it holds. */
function listTotal(body) {
	const m =
		/id="total">(\d+)</.exec(body) ||
		/id="article-total">(\d+)</.exec(body) ||
		/共 <strong>(\d+)<\/strong>/.exec(body) ||
		/class="pager-info">共 (\d+) 条/.exec(body);
	assert.ok(m, `no total on the page: ${body.slice(0, 400)}`);
	return Number(m[1]);
}

/* The to-do whose href starts with prefix (exactly one). */
function todo(items, prefix) {
	const found = items.filter((t) => t.href.startsWith(prefix));
	assert.equal(found.length, 1, `${prefix} in ${JSON.stringify(items)}`);
	return found[0];
}

/* The street of the demo's station, as its organisation says. */
const stationStreet = (db) =>
	sqlExec(db, "SELECT o.region_code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'station';").trim();

/* Independent counts of what waits, in SQL (street: one street's rows only). */
function expected(db, street = '') {
	const year = Number(shanghaiDate(now()).slice(0, 4));
	const today = shanghaiDate(now());
	const inStreet = (col) => (street ? ` AND substr(${col}, 1, ${street.length}) = '${street}'` : '');
	return {
		verifications: count(
			db,
			`SELECT count(*) FROM persons p WHERE EXISTS (SELECT 1 FROM entitlements e JOIN benefit_types t ON t.code = e.benefit_code
			 WHERE e.person_id = p.id AND t.basis <> 'fixed' AND e.status IN ('正常', '中止'))
			 AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.person_id = p.id AND v.year = ${year} AND v.verified_on IS NOT NULL)${inStreet('p.region_code')};`,
		),
		proposals: count(db, `SELECT count(*) FROM entitlements WHERE status = '待确认'${inStreet('region_code')};`),
		petitions: count(db, `SELECT count(*) FROM petitions WHERE flag <> ''${inStreet('region_code')};`),
		overdueApps: count(db, `SELECT count(*) FROM applications WHERE status IN ('已受理', '容缺受理') AND due < '${today}'${inStreet('region_code')};`),
		partialApps: count(db, `SELECT count(*) FROM applications WHERE status = '容缺受理'${inStreet('region_code')};`),
		placement: count(db, `SELECT count(*) FROM placement_cases WHERE flag <> ''${inStreet('region_code')};`),
		contacts: count(db, `SELECT count(*) FROM care_plans WHERE overdue = 1 AND ended_on IS NULL${inStreet('region_code')};`),
		drafts: count(db, "SELECT count(*) FROM articles WHERE status = '草稿';"),
		comments: count(db, "SELECT count(*) FROM consultation_comments WHERE status = '待审核';"),
		failed: count(db, `SELECT count(*) FROM sms_outbox WHERE state = '发送失败'${inStreet('region_code')};`),
		toReview: count(db, "SELECT count(*) FROM pay_batches WHERE status = '待复核';"),
		toApprove: count(db, "SELECT count(*) FROM pay_batches WHERE status = '待审批';"),
		standards: count(db, "SELECT count(*) FROM benefit_standards WHERE status = '待审核';"),
		year,
	};
}

/* Asserts the to-do of prefix has count n (absent when n is 0) and its link lists n rows. */
async function shows(c, items, prefix, n, what) {
	const found = items.filter((t) => t.href.startsWith(prefix));
	if (n === 0) {
		assert.equal(found.length, 0, `${what}: nothing waits, no to-do: ${JSON.stringify(found)}`);
		return;
	}
	assert.equal(found.length, 1, `${what}: ${JSON.stringify(items)}`);
	assert.equal(found[0].count, n, `${what}: the count`);
	assert.match(found[0].title, /[\u4e00-\u9fff]/, `${what}: a title in Chinese`);
	const page = await c.get(found[0].href);
	assert.equal(page.status, 200, `${what}: ${found[0].href}: ${page.status}`);
	assert.equal(listTotal(page.body), n, `${what}: ${found[0].href} lists as many rows`);
}

/* The home page shows the to-dos first, in the API's order, each linked. */
async function homeShows(c, items) {
	const r = await c.get('/');
	assert.equal(r.status, 200);
	const body = r.body;
	const head = body.indexOf('待办事项');
	assert.ok(head > 0, 'the to-dos have their heading');
	let at = head;
	for (const t of items) {
		const i = body.indexOf(`href="${t.href.replace(/&/g, '&amp;')}"`, at);
		assert.ok(i > at, `${t.title} shown in order, linked to ${t.href}`);
		at = i;
	}
	if (!items.length) assert.match(body, /暂无待办/);
	return body;
}

test('a clerk sees the bureau\'s waiting work, each count as SQL counts it and each list as long', async () => {
	const { db, server } = demo;
	const c = await signedIn(server, 'clerk');
	const items = await todosOf(c);
	const e = expected(db);
	await shows(c, items, '/verifications', e.verifications, '年度确认');
	assert.equal(todo(items, '/verifications').href, `/verifications?year=${e.year}`);
	await shows(c, items, '/petitions?overdue=1', e.petitions, '超期信访');
	await shows(c, items, '/applications?queue=overdue', e.overdueApps, '超期申请');
	await shows(c, items, '/applications?queue=all', e.partialApps, '容缺受理');
	await shows(c, items, '/placement?flagged=1', e.placement, '安置临期或超期');
	await shows(c, items, '/care?overdue=1', e.contacts, '常态化联系逾期');
	await shows(c, items, '/articles?status=', e.drafts, '门户草稿');
	await shows(c, items, '/outbox?state=failed', e.failed, '发送失败的短信');
	const moderation = items.filter((t) => t.href.startsWith('/consultations/'));
	assert.equal(moderation.reduce((s, t) => s + t.count, 0), e.comments, '公众意见待审核');
	for (const t of moderation) {
		const id = /\/consultations\/(\d+)/.exec(t.href)[1];
		assert.equal(t.count, count(db, `SELECT count(*) FROM consultation_comments WHERE status = '待审核' AND consultation_id = ${id};`));
		assert.equal(listTotal((await c.get(t.href)).body), t.count);
	}
	/* this month's batches: the generation page with the month filled in (the detour
	 * below generates them and compares) */
	const month = shanghaiDate(now()).slice(0, 7);
	const gen = todo(items, '/payments?period=');
	assert.equal(gen.href, `/payments?period=${month}`);
	assert.equal(gen.title, `生成 ${month} 发放批次`);
	assert.match((await c.get(gen.href)).body, new RegExp(`name="period" value="${month}"`));
	/* nothing of a reviewer's or an approver's */
	assert.ok(!items.some((t) => /复核发放批次|审批发放批次|确认待遇资格/.test(t.title)));
	/* the urgent (past a deadline) first, then the larger count */
	const urgent = items.map((t) => !!t.urgent);
	assert.deepEqual(urgent, [...urgent].sort((a, b) => b - a), 'urgent first');
	for (let i = 1; i < items.length; i++)
		if (!!items[i].urgent === !!items[i - 1].urgent) assert.ok(items[i - 1].count >= items[i].count, 'larger first');
	await homeShows(c, items);
});

test('a reviewer and an approver see what waits for their step', async () => {
	const { db, server } = demo;
	const e = expected(db);
	for (const name of ['reviewer', 'approver']) {
		const c = await signedIn(server, name);
		const items = await todosOf(c);
		await shows(c, items, '/entitlements?status=', e.proposals, `${name}: 确认待遇资格`);
		await shows(c, items, '/payments?status=%E5%BE%85%E5%A4%8D%E6%A0%B8', name === 'reviewer' ? e.toReview : 0, `${name}: 待复核`);
		await shows(c, items, '/payments?status=%E5%BE%85%E5%AE%A1%E6%89%B9', name === 'approver' ? e.toApprove : 0, `${name}: 待审批`);
		const standards = items.filter((t) => t.href.startsWith('/benefits?benefit='));
		assert.equal(standards.reduce((s, t) => s + t.count, 0), e.standards, `${name}: 待审批的标准`);
		assert.ok(!items.some((t) => t.href.startsWith('/verifications') || t.href.startsWith('/payments?period=')), 'no clerk\'s work');
		await homeShows(c, items);
	}
});

test('a station sees its street\'s work only; a leader its own and the dashboard\'s place', async () => {
	const { db, server } = demo;
	const street = stationStreet(db);
	assert.match(street, /^\d{9}$/);
	const s = await signedIn(server, 'station');
	const items = await todosOf(s);
	const e = expected(db, street);
	await shows(s, items, '/verifications', e.verifications, 'station 年度确认');
	await shows(s, items, '/petitions?overdue=1', e.petitions, 'station 超期信访');
	await shows(s, items, '/applications?queue=overdue', e.overdueApps, 'station 超期申请');
	await shows(s, items, '/placement?flagged=1', e.placement, 'station 安置');
	await shows(s, items, '/care?overdue=1', e.contacts, 'station 常态化联系');
	assert.ok(e.verifications < expected(db).verifications, 'a street is a part of the district');
	assert.ok(!items.some((t) => t.href.startsWith('/payments') || t.href.startsWith('/entitlements')), 'batches and confirmations are the bureau\'s');
	await homeShows(s, items);

	const l = await signedIn(server, 'leader');
	const li = await todosOf(l);
	const d = expected(db);
	await shows(l, li, '/applications?queue=overdue', d.overdueApps, 'leader 超期申请');
	await shows(l, li, '/applications?queue=all', d.partialApps, 'leader 容缺受理');
	assert.ok(!li.some((t) => /批次|年度确认/.test(t.title)), 'a leader makes and signs no batch');
	const body = await homeShows(l, li);
	/* Below his to-dos, the dashboard of the year: the figures as vets stats gives them. */
	const year = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
	const care = JSON.parse((await vets(['stats', 'care', '--year', String(year), '--db', db])).stdout);
	const shown = care.holiday_visits.toLocaleString('en-US');
	assert.match(body, new RegExp(`id="fig-holiday_visits" href="/care/stats/list\\?key=holiday_visits&amp;year=${year}"[^>]*>.*?<span class="dash-num">${shown}</span>`, 's'), 'the dashboard on his home');
	assert.ok(body.indexOf('todos-heading') < body.indexOf('home-dash-heading'), 'his to-dos first');
});

test('the administrators have nothing waiting: 暂无待办 and the pages they use most', async () => {
	const { server } = demo;
	const want = { sysadmin: ['/users', '/orgs'], secadmin: ['/users', '/policy'], auditor: ['/audit'] };
	for (const [name, links] of Object.entries(want)) {
		const c = await signedIn(server, name);
		assert.deepEqual(await todosOf(c), [], name);
		const body = await homeShows(c, []);
		const usual = body.slice(body.indexOf('常用功能'));
		for (const href of links) assert.match(usual, new RegExp(`href="${href}"`), `${name}: ${href}`);
		assert.doesNotMatch(usual.slice(0, usual.indexOf('</ul>')), /href="\/(persons|payments)"/, `${name} sees no business page`);
	}
	/* a visitor gets the login page, and the API refuses */
	const anon = new Client(server);
	assert.equal((await anon.get('/api/v1/todos')).status, 401);
});

test('detours: this month\'s batches generated, one sent back, a station\'s overdue contact', async () => {
	const { db } = await demoStore();
	const server = await Server.start(db);
	try {
		const clerk = await signedIn(server, 'clerk');
		const month = shanghaiDate(now()).slice(0, 7);
		const gen = todo(await todosOf(clerk), '/payments?period=');
		/* generating every benefit of the month: as many batches made as the to-do said */
		const made = await clerk.request('POST', '/api/v1/payments/batches/due', { json: { period: month }, headers: { 'X-CSRF-Token': clerk.csrf } });
		assert.ok(made.status === 201 || made.status === 200, `${made}`);
		assert.equal(made.json.done, gen.count, `${JSON.stringify(made.json)}`);
		const names = made.json.items.filter((i) => i.done).map((i) => i.name);
		assert.equal(gen.note, `尚未生成：${names.join('、')}`);
		let items = await todosOf(clerk);
		assert.ok(!items.some((t) => t.href.startsWith('/payments')), `generated: ${JSON.stringify(items)}`);

		const reviewer = await signedIn(server, 'reviewer');
		const waiting = count(db, `SELECT count(*) FROM pay_batches WHERE status = '待复核' AND period = '${month}';`);
		assert.equal(waiting, gen.count);
		await shows(reviewer, await todosOf(reviewer), '/payments?status=%E5%BE%85%E5%A4%8D%E6%A0%B8', waiting, '待复核');

		/* 退回 one: the clerk is to generate it again, the reviewer has one fewer */
		const id = count(db, `SELECT min(id) FROM pay_batches WHERE status = '待复核' AND period = '${month}';`);
		const benefit = sqlExec(db, `SELECT t.name FROM pay_batches b JOIN benefit_types t ON t.code = b.benefit_code WHERE b.id = ${id};`).trim();
		const back = await reviewer.request('POST', `/api/v1/payments/batches/${id}/reject`, { json: { reason: '人数与上月差异较大，请核对' }, headers: { 'X-CSRF-Token': reviewer.csrf } });
		assert.equal(back.status, 200, `${back}`);
		items = await todosOf(clerk);
		await shows(clerk, items, '/payments?status=%E5%B7%B2%E9%80%80%E5%9B%9E', 1, '已退回');
		const again = todo(items, '/payments?period=');
		assert.equal(again.count, 1);
		assert.equal(again.note, `尚未生成：${benefit}`);
		await shows(reviewer, await todosOf(reviewer), '/payments?status=%E5%BE%85%E5%A4%8D%E6%A0%B8', waiting - 1, '待复核 after 退回');
		/* generated again: both to-dos gone, the batch sent back no longer listed as to fix */
		const redo = await clerk.request('POST', '/api/v1/payments/batches/due', { json: { period: month }, headers: { 'X-CSRF-Token': clerk.csrf } });
		assert.equal(redo.json.done, 1, `${JSON.stringify(redo.json)}`);
		items = await todosOf(clerk);
		assert.ok(!items.some((t) => t.href.startsWith('/payments')), `${JSON.stringify(items)}`);
		assert.equal(listTotal((await clerk.get('/payments?status=%E5%B7%B2%E9%80%80%E5%9B%9E')).body), 0);
		await shows(reviewer, await todosOf(reviewer), '/payments?status=%E5%BE%85%E5%A4%8D%E6%A0%B8', waiting, '待复核 after generating again');

		/* a contact overdue in the station's street: the station counts it, not the others */
		const street = stationStreet(db);
		const before = expected(db, street).contacts;
		const all = expected(db).contacts;
		sqlExec(db, `UPDATE care_plans SET overdue = 1 WHERE id = (SELECT min(id) FROM care_plans WHERE overdue = 0 AND ended_on IS NULL AND substr(region_code, 1, 9) = '${street}');`);
		assert.equal(expected(db, street).contacts, before + 1);
		const station = await signedIn(server, 'station');
		await shows(station, await todosOf(station), '/care?overdue=1', before + 1, 'the station\'s street');
		await shows(clerk, await todosOf(clerk), '/care?overdue=1', all + 1, 'the district');

		/* a holiday campaign over the station's street: its unvisited people wait for it */
		const today = shanghaiDate(now());
		const ends = shanghaiDate(now() + 10 * 86400);
		const made2 = await station.postForm('/care/campaigns', [
			['title', '年终走访慰问'], ['holiday', '春节'], ['starts_on', today], ['ends_on', ends],
			['categories', '烈士遗属'], ['categories', '在乡复员军人'], ['street', street],
		]);
		assert.equal(made2.status, 303, `${made2}`);
		const campaign = count(db, "SELECT max(id) FROM care_campaigns WHERE title = '年终走访慰问';");
		const listed = count(db, `SELECT count(*) FROM care_campaign_people WHERE campaign_id = ${campaign};`);
		assert.ok(listed > 0, 'someone to visit');
		const visit = todo(await todosOf(station), `/care/campaigns/${campaign}?who=due`);
		assert.equal(visit.title, '走访慰问：年终走访慰问');
		await shows(station, await todosOf(station), `/care/campaigns/${campaign}?who=due`, listed, 'the campaign\'s people not visited');

		/* the system administrator asks for a role holder's new password: the security
		 * administrator has it to confirm, until he does */
		const sys = await signedIn(server, 'sysadmin');
		const sec = await signedIn(server, 'secadmin');
		const approverId = count(db, "SELECT id FROM users WHERE username = 'approver';");
		assert.equal((await sys.postForm(`/users/${approverId}/password`, { password: 'Tmp#2026reset' })).status, 303);
		const asks = await todosOf(sec);
		assert.deepEqual(asks, [{ title: '确认密码重置：approver', count: 1, href: `/users/${approverId}`, note: '系统管理员提出，24 小时内确认后生效' }]);
		assert.match((await sec.get(asks[0].href)).body, new RegExp(`action="/users/${approverId}/password/confirm"`));
		assert.deepEqual(await todosOf(sys), [], 'not the asker\'s to confirm');
		assert.equal((await sec.postForm(`/users/${approverId}/password/confirm`, {})).status, 303);
		assert.deepEqual(await todosOf(sec), []);
	} finally {
		await server.stop();
	}
});
