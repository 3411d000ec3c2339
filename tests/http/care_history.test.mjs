// care_history.test.mjs - 关爱帮扶's records kept honest over a person's life and a plan's:
// a person who moves takes his records to his new street; a station can't learn of other
// streets' people or campaigns by their ids; people no longer 在册 leave the overdue list and
// take no record dated after it; a plan's past is not rewritten by an edit; a person is
// visited once under a campaign; corrections and deletions are audited with what changed.
// The tests build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, addUser, cleanup, idNumber, importRegions, initDb, Server, sqlExec, sqlRows, tempDir, vets } from './lib.mjs';

const at = (day, h = 10) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), h - 8) / 1000;
const NOW = at('2026-01-25');

let env;
const c = {};
const P = {};

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}
const one = (sql) => sqlExec(env.db, sql).trim();
const stats = async (year, day) => JSON.parse((await vets(['stats', 'care', '--year', String(year), '--db', env.db], { env: { VETS_FAKE_NOW: String(at(day)) } })).stdout);

/* 长青街道 (420199002): 周甲 烈士遗属, 吴乙 在乡复员军人, 郑丙 烈士遗属; 东湖街道 (420199001): 冯丁 军人家属. */
const PEOPLE = [
	['周甲', '烈士遗属', '长青街道'],
	['吴乙', '在乡复员军人', '长青街道'],
	['郑丙', '烈士遗属', '长青街道'],
	['冯丁', '军人家属', '东湖街道'],
];

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'h_clerk', 'clerk', { org: '420199', displayName: '关爱经办' }),
		addUser(db, 'h_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'h_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	const file = path.join(tempDir('vets-care-h-'), 'people.csv');
	const lines = ['姓名,身份证号,人员类别,街道', ...PEOPLE.map(([n, cat, st], i) => `${n},${idNumber(`4201061950020${1000 + i}`)},${cat},${st}`)];
	writeFileSync(file, lines.join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	for (const row of sqlRows(db, 'SELECT id, name FROM persons ORDER BY id;')) P[row.name] = row.id;
	env = { db };
	env.server = await Server.start(db, { fakeNow: NOW });
	for (const u of ['clerk', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`h_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('a person who moves takes his plan, contacts, visits, 光荣牌 and campaign line to his new street', async () => {
	const who = P['周甲'];
	let r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每季度', since: '2025-10-01' });
	assert.equal(r.status, 201, `${r.body}`);
	const plan = r.json.id;
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2025-11-03', method: '电话' });
	assert.equal(r.status, 201, `${r.body}`);
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: who, kind: '困难走访', on: '2025-12-01', visitors: '长青站', money: '200' });
	assert.equal(r.status, 201, `${r.body}`);
	const visit = r.json.id;
	r = await api(c.station, 'POST', '/api/v1/care/plaques', { person_id: who, hung_on: '2025-08-01' });
	assert.ok(r.status < 300, `${r.body}`);
	r = await api(c.clerk, 'POST', '/api/v1/care/campaigns', { title: '2026 年春节慰问', holiday: '春节', starts_on: '2026-01-10', ends_on: '2026-02-16', categories: ['烈士遗属', '在乡复员军人', '军人家属'], street: '' });
	assert.equal(r.status, 201, `${r.body}`);
	env.campaign = r.json.id;
	const before = await stats(2025, '2026-01-25');
	assert.equal(before.temporary_visits, 1);
	/* 周甲 moves to 东湖 */
	r = await api(c.clerk, 'PATCH', `/api/v1/persons/${who}`, { street: '东湖街道' });
	assert.ok(r.status < 300, `${r.body}`);
	assert.match(one(`SELECT region_code FROM persons WHERE id = ${who};`), /^420199001/);
	for (const t of ['care_plans', 'care_contacts', 'care_visits', 'care_plaques', 'care_campaign_people'])
		assert.equal(one(`SELECT count(*) FROM ${t} WHERE person_id = ${who} AND substr(region_code, 1, 9) <> '420199001';`), '0', t);
	/* the old street's station no longer reads or writes them; the new one does */
	assert.equal((await c.station.get(`/care/plans/${plan}`)).status, 404);
	assert.equal((await api(c.station, 'GET', `/api/v1/care/visits/${visit}`)).status, 404);
	assert.equal((await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2026-01-05', method: '电话' })).status, 404);
	assert.equal((await c.east.get(`/care/plans/${plan}`)).status, 200);
	assert.equal((await api(c.east, 'GET', `/api/v1/care/visits/${visit}`)).status, 200);
	const mine = await api(c.station, 'GET', `/api/v1/care/campaigns/${env.campaign}?who=all`);
	assert.deepEqual(mine.json.people.map((p) => p.name).sort(), ['吴乙', '郑丙'].sort());
	const east = await api(c.east, 'GET', `/api/v1/care/campaigns/${env.campaign}?who=all`);
	assert.deepEqual(east.json.people.map((p) => p.name).sort(), ['冯丁', '周甲'].sort());
	/* the per-street figures credit the new street: 东湖's station counts the visit, 长青's no more */
	const page = async (client) => Number(((await client.get('/care/stats?year=2025')).body.match(/id="fig-temporary_visits"[^>]*>([\d,]+)/) || [])[1]?.replace(/,/g, ''));
	assert.equal(await page(c.east), 1);
	assert.equal(await page(c.station), 0);
	env.plan = plan;
});

test('a station learns nothing of other streets by their ids: an unseen campaign or person answers as one that does not exist', async () => {
	/* 东湖's own 八一 campaign, over its street */
	let r = await api(c.east, 'POST', '/api/v1/care/campaigns', { title: '东湖街道八一走访机密名单', holiday: '八一', starts_on: '2025-07-20', ends_on: '2025-08-10', categories: ['军人家属', '烈士遗属'], street: '420199001' });
	assert.equal(r.status, 201, `${r.body}`);
	const eastCampaign = r.json.id;
	const visit = (campaign_id) => api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['吴乙'], campaign_id, on: '2025-08-01', visitors: '长青站' });
	const unseen = await visit(eastCampaign);
	const absent = await visit(999999);
	assert.equal(unseen.status, 400);
	assert.doesNotMatch(unseen.body, /机密名单/);
	assert.deepEqual(unseen.json.error.fields, [{ field: '慰问活动', message: '慰问活动不存在' }]);
	assert.deepEqual(absent.json.error.fields, unseen.json.error.fields, 'an unknown campaign adds no 类别 error either');
	/* a person of 东湖 and no person at all: the same answer to 长青's station */
	const other = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['冯丁'], kind: '困难走访', on: '2025-12-01', visitors: '长青站' });
	const none = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: 999999, kind: '困难走访', on: '2025-12-01', visitors: '长青站' });
	assert.equal(other.status, 400);
	assert.equal(other.json.error.fields[0].message.replace(String(P['冯丁']), 'N'), none.json.error.fields[0].message.replace('999999', 'N'));
	const plaque = await api(c.station, 'POST', '/api/v1/care/plaques', { person_id: P['冯丁'], hung_on: '2025-08-01' });
	assert.equal(plaque.json.error.fields[0].message.replace(String(P['冯丁']), 'N'), none.json.error.fields[0].message.replace('999999', 'N'));
});

test('a person no longer 在册 leaves the overdue list from his status date and takes no record dated after it', async () => {
	const who = P['郑丙'];
	let r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每季度', since: '2025-01-01' });
	assert.equal(r.status, 201, `${r.body}`);
	const plan = r.json.id;
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2025-02-10', method: '电话' });
	assert.equal(r.status, 201, `${r.body}`);
	/* due by 2025-05-31, never contacted again; he dies on 2025-09-15 */
	r = await api(c.clerk, 'POST', `/api/v1/persons/${who}/status`, { status: '死亡', date: '2025-09-15', reason: '病故' });
	assert.ok(r.status < 300, `${r.body}`);
	const overdueOn = async (day) => {
		const l = await vets(['stats', 'care', '--year', day.slice(0, 4), '--list', 'overdue_contacts', '--db', env.db], { env: { VETS_FAKE_NOW: String(at(day)) } });
		assert.equal(l.code, 0, l.stderr);
		return l.stdout.trim().split('\n').filter(Boolean).map((x) => JSON.parse(x).person_id);
	};
	assert.ok((await overdueOn('2025-08-01')).includes(who), 'still 在册 on 2025-08-01: overdue');
	assert.ok(!(await overdueOn('2025-10-01')).includes(who), 'dead on 2025-10-01: not overdue');
	assert.ok(!(await overdueOn('2026-01-25')).includes(who));
	/* flagged while he lived; the job clears it */
	assert.equal(one(`SELECT overdue FROM care_plans WHERE id = ${plan};`), '1');
	const j = await vets(['jobs', 'run', 'care.overdue', '--db', env.db], { env: { VETS_FAKE_NOW: String(at('2026-01-26', 2)) } });
	assert.equal(j.code, 0, j.stderr);
	assert.equal(one(`SELECT overdue FROM care_plans WHERE id = ${plan};`), '0');
	/* records after his death: refused naming the date; before it: taken */
	const before = one('SELECT count(*) FROM care_contacts;') + '/' + one('SELECT count(*) FROM care_visits;');
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2025-10-01', method: '上门' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '联系日期');
	assert.match(r.json.error.fields[0].message, /2025-09-15 起状态为“死亡”/);
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: who, kind: '困难走访', on: '2025-12-01', visitors: '长青站' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '走访日期');
	r = await api(c.station, 'POST', '/api/v1/care/plaques', { person_id: who, hung_on: '2025-10-01' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(one('SELECT count(*) FROM care_contacts;') + '/' + one('SELECT count(*) FROM care_visits;'), before);
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2025-09-01', method: '上门' });
	assert.equal(r.status, 201, `${r.body}`);
});

test('a person is visited once under a campaign: the second visit is refused, by the area and by the store', async () => {
	let r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['吴乙'], campaign_id: env.campaign, on: '2026-01-12', visitors: '长青站', money: '500' });
	assert.equal(r.status, 201, `${r.body}`);
	const first = r.json.id;
	const count = () => one(`SELECT count(*) FROM care_visits WHERE campaign_id = ${env.campaign};`);
	const before = count();
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['吴乙'], campaign_id: env.campaign, on: '2026-01-20', visitors: '长青站', money: '500' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '人员编号');
	assert.match(r.json.error.fields[0].message, /已于 2026-01-12 慰问/);
	assert.equal(count(), before);
	/* correcting the first keeps it */
	r = await api(c.station, 'POST', `/api/v1/care/visits/${first}`, { person_id: P['吴乙'], campaign_id: env.campaign, on: '2026-01-13', visitors: '长青站', money: '600' });
	assert.equal(r.status, 200, `${r.body}`);
	/* the store refuses a second row too */
	assert.throws(() => sqlExec(env.db, `INSERT INTO care_visits (person_id, region_code, kind, campaign_id, visited_on, visitors, money, created_at) SELECT person_id, region_code, kind, campaign_id, '2026-01-21', 'x', 0, 0 FROM care_visits WHERE id = ${first};`));
	const s = await stats(2026, '2026-01-25');
	assert.equal(s.holiday_visits, Number(one("SELECT count(*) FROM care_visits WHERE kind IN ('春节慰问', '八一慰问') AND substr(visited_on, 1, 4) = '2026';")));
	env.visit = first;
});

test('a visit corrected or deleted: the audit keeps its date, kind and money before and after', async () => {
	let r = await api(c.station, 'POST', `/api/v1/care/visits/${env.visit}`, { person_id: P['吴乙'], campaign_id: env.campaign, on: '2026-01-15', visitors: '长青站', money: '800' });
	assert.equal(r.status, 200, `${r.body}`);
	let d = one("SELECT detail FROM audit_log WHERE action = 'care.visit_correct' ORDER BY seq DESC LIMIT 1;");
	assert.match(d, /原 2026-01-13 春节慰问 慰问金 600\.00 元/);
	assert.match(d, /改为 2026-01-15 春节慰问 慰问金 800\.00 元/);
	r = await api(c.station, 'POST', `/api/v1/care/visits/${env.visit}/delete`, {});
	assert.ok(r.status < 300, `${r.body}`);
	d = one("SELECT detail FROM audit_log WHERE action = 'care.visit_delete' ORDER BY seq DESC LIMIT 1;");
	assert.match(d, /2026-01-15 春节慰问 慰问金 800\.00 元/);
});

test('a plan\'s past is not rewritten: frequency and 纳入日期 fixed once contacted, an ended plan re-opened as a new one, omitted fields kept', async () => {
	const who = P['吴乙'];
	let r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每半年', since: '2023-01-01', contact_person: '网格员乙', reason: '独居' });
	assert.equal(r.status, 201, `${r.body}`);
	const plan = r.json.id;
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2023-02-01', method: '上门' });
	assert.equal(r.status, 201, `${r.body}`);
	/* half-yearly from a contact on 2023-02-01: due by 2023-08-31, so overdue at the end of 2023 */
	const overdue2023 = async () => (await vets(['stats', 'care', '--year', '2023', '--list', 'overdue_contacts', '--db', env.db], { env: { VETS_FAKE_NOW: String(NOW) } })).stdout.trim().split('\n').filter(Boolean).map((x) => JSON.parse(x).person_id);
	assert.ok((await overdue2023()).includes(who));
	/* a yearly frequency, or a later 纳入日期, would rewrite 2023: refused naming the field */
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每年', since: '2023-01-01' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '联系频次');
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每半年', since: '2024-01-01' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '纳入日期');
	assert.ok((await overdue2023()).includes(who), '2023 unchanged');
	/* the same frequency and day, fields omitted: 联系人 and 纳入原因 kept */
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每半年', since: '2023-01-01' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(one(`SELECT contact_person || '/' || reason FROM care_plans WHERE id = ${plan};`), '网格员乙/独居');
	/* ended, then put back: a new plan from a day not before the end; the old one stays ended */
	r = await c.station.postForm(`/care/plans/${plan}/end`, { ended_on: '2024-06-30' });
	assert.equal(r.status, 303, `${r}`);
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每年', since: '2024-01-01' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '纳入日期');
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: who, frequency: '每年', since: '2025-03-01' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.notEqual(r.json.id, plan);
	assert.equal(one(`SELECT ended_on || '/' || months FROM care_plans WHERE id = ${plan};`), '2024-06-30/6');
	assert.ok((await overdue2023()).includes(who), '2023 still as it was');
	assert.equal(one(`SELECT count(*) FROM care_plans WHERE person_id = ${who} AND ended_on IS NULL;`), '1');
});

test('a campaign\'s dates lie in 1950–2100; a plan is not stopped before its last contact', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/care/campaigns', { title: '远古', holiday: '春节', starts_on: '1949-01-20', ends_on: '1949-02-10', categories: ['烈士遗属'], street: '' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['开始日期', '结束日期'].sort());
	r = await api(c.clerk, 'POST', '/api/v1/care/campaigns', { title: '未来', holiday: '八一', starts_on: '2101-07-20', ends_on: '2101-08-01', categories: ['烈士遗属'], street: '' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.match(r.json.error.message, /1950 年至 2100 年/);
	/* 吴乙's new plan from 2025-03-01, contacted on 2025-06-10: not stopped on or before that day */
	const plan = Number(one(`SELECT id FROM care_plans WHERE person_id = ${P['吴乙']} AND ended_on IS NULL;`));
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan}/contacts`, { on: '2025-06-10', method: '电话' });
	assert.equal(r.status, 201, `${r.body}`);
	const refused = await c.station.refused(await c.station.postForm(`/care/plans/${plan}/end`, { ended_on: '2025-05-01' }));
	assert.match(refused.body, /停止日期应晚于最近一次联系日期 2025-06-10/);
	assert.equal(one(`SELECT count(*) FROM care_plans WHERE id = ${plan} AND ended_on IS NULL;`), '1');
	const ok = await c.station.postForm(`/care/plans/${plan}/end`, { ended_on: '2025-06-11' });
	assert.equal(ok.status, 303, `${ok}`);
});
