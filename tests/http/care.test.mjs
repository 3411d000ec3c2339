// care.test.mjs - 关爱帮扶. MUST SHOW 1: the regular-contact list's overdue contacts flagged by
// the daily job (care.overdue) as the clock moves (VETS_FAKE_NOW, `vets jobs run`), and the
// figure overdue_contacts as of a day. MUST SHOW 2: every figure of `vets stats care` and of
// /care/stats equals a count made here in SQL, its --list has as many rows, and the detours
// (a visit corrected into another year, one deleted, a contact deleted, a station's own
// street) move it. Then: visits (money in 分, holiday visits only to 烈军属 and 重点优抚对象, bad
// input refused naming the field, nothing saved), campaigns (whom to visit, who is still due,
// a station's part of a district campaign), 光荣牌, and the street scope: a station writing
// for someone of another street is refused in Chinese, reading another street's record is
// "not found". The tests build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, addUser, auditVerify, cleanup, idNumber, importRegions, initDb, Server, sqlExec, sqlRows, tempDir, vets } from './lib.mjs';

/** Epoch seconds of YYYY-MM-DD 10:00 in Shanghai. */
const at = (day, h = 10) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), h - 8) / 1000;
const NOW = at('2026-01-25');

let env;
const c = {};
const P = {}; /* person ids by name */

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

function one(sql) {
	return sqlExec(env.db, sql).trim();
}

/* Six people: 长青街道 (420199002) 张一 烈士遗属, 李二 在乡复员军人, 赵四 退役军人; 东湖街道
 * (420199001) 王三 军人家属, 钱五 烈士遗属, 孙六 退役军人. */
const PEOPLE = [
	['张一', '烈士遗属', '长青街道'],
	['李二', '在乡复员军人', '长青街道'],
	['王三', '军人家属', '东湖街道'],
	['赵四', '退役军人', '长青街道'],
	['钱五', '烈士遗属', '东湖街道'],
	['孙六', '退役军人', '东湖街道'],
];

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'k_clerk', 'clerk', { org: '420199', displayName: '关爱经办' }),
		addUser(db, 'k_leader', 'leader', { org: '420199' }),
		addUser(db, 'k_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 'k_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	const file = path.join(tempDir('vets-care-'), 'people.csv');
	const lines = ['姓名,身份证号,人员类别,街道', ...PEOPLE.map(([n, cat, st], i) => `${n},${idNumber(`4201061950010${1000 + i}`)},${cat},${st}`)];
	writeFileSync(file, lines.join('\r\n') + '\r\n');
	const r = await vets(['import', 'persons', file, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	for (const row of sqlRows(db, 'SELECT id, name FROM persons ORDER BY id;')) P[row.name] = row.id;
	env = { db };
	env.server = await Server.start(db, { fakeNow: NOW });
	for (const u of ['clerk', 'leader', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`k_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const jobs = (day, h = 10) => vets(['jobs', 'run', 'care.overdue', '--db', env.db], { env: { VETS_FAKE_NOW: String(at(day, h)) } });
const flagged = () => one('SELECT person_id FROM care_plans WHERE overdue = 1 ORDER BY person_id;').split('\n').filter(Boolean).map(Number);

test('MUST SHOW 1: the daily job flags the contacts not made in time as the clock moves', async () => {
	/* 张一 quarterly from 2025-10-01, never contacted: due by 2026-01-31 */
	let r = await api(c.clerk, 'POST', '/api/v1/care/plans', { person_id: P['张一'], frequency: '每季度', since: '2025-10-01', contact_person: '网格员甲' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(r.json.due_on, '2026-01-31');
	const plan1 = r.json.id;
	/* 赵四 monthly from 2026-01-05, contacted 2026-01-20 by the station: due by 2026-02-28 */
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: P['赵四'], frequency: '每月', since: '2026-01-05' });
	assert.equal(r.status, 201, `${r.body}`);
	const plan4 = r.json.id;
	r = await api(c.station, 'POST', `/api/v1/care/plans/${plan4}/contacts`, { on: '2026-01-20', method: '电话', note: '身体好' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(r.json.due_on, '2026-02-28');
	assert.equal(r.json.contacts[0].by_name, '长青站', 'the one who records it, by default');
	/* 王三 (东湖) quarterly from 2025-09-01, contacted 2025-09-10: due by 2025-12-31, already late */
	r = await api(c.east, 'POST', '/api/v1/care/plans', { person_id: P['王三'], frequency: '每季度', since: '2025-09-01' });
	assert.equal(r.status, 201, `${r.body}`);
	env.plan3 = r.json.id;
	r = await api(c.east, 'POST', `/api/v1/care/plans/${env.plan3}/contacts`, { on: '2025-09-10', method: '上门' });
	assert.equal(r.status, 201, `${r.body}`);
	env.plans = { plan1, plan4 };

	/* the job as of 2026-01-26: only 王三 */
	let j = await jobs('2026-01-26');
	assert.equal(j.code, 0, j.stderr);
	assert.match(j.stdout, /常态化联系逾期检查.*截至 2026-01-26：1 人逾期未联系/);
	assert.deepEqual(flagged(), [P['王三']]);
	/* the same slot again: refused, nothing doubled */
	j = await jobs('2026-01-26', 23);
	assert.equal(j.code, 1);
	/* 2026-02-01: 张一's 2026-01-31 has passed */
	j = await jobs('2026-02-01');
	assert.equal(j.code, 0, j.stderr);
	assert.deepEqual(flagged(), [P['张一'], P['王三']].sort((a, b) => a - b));
	/* 2026-03-01: 赵四's 2026-02-28 too */
	j = await jobs('2026-03-01');
	assert.equal(j.code, 0, j.stderr);
	assert.match(j.stdout, /3 人逾期未联系/);
	assert.deepEqual(flagged(), [P['张一'], P['王三'], P['赵四']].sort((a, b) => a - b));
	/* the station sees its street's overdue only, in the list and beside the navigation */
	const page = await c.station.get('/care?overdue=1');
	assert.equal(page.status, 200);
	assert.match(page.body, /张一/);
	assert.match(page.body, /赵四/);
	assert.doesNotMatch(page.body, /王三/);
	assert.equal((page.body.match(/逾期未联系<\/span>/g) || []).length, 2);
	const list = await api(c.clerk, 'GET', '/api/v1/care/plans?overdue=1');
	assert.equal(list.json.total, 3);
});

/** overdue_contacts worked out here: plans on the list on asof whose next contact (last contact
 * up to asof, else since; + months; the month's end) is before asof. */
function overdueByHand(asof, where = '') {
	const rows = sqlRows(env.db, `SELECT pl.id, pl.months, pl.since, pl.ended_on, (SELECT max(c.contacted_on) FROM care_contacts c WHERE c.plan_id = pl.id AND c.contacted_on <= '${asof}') AS last FROM care_plans pl WHERE pl.since <= '${asof}' ${where};`);
	return rows.filter((r) => {
		if (r.ended_on && r.ended_on <= asof) return false;
		const base = r.last || r.since;
		const m = +base.slice(0, 4) * 12 + +base.slice(5, 7) - 1 + r.months + 1; /* the month after the due month */
		const first = new Date(Date.UTC(Math.floor(m / 12), m % 12, 1));
		const due = new Date(first - 86400000).toISOString().slice(0, 10);
		return due < asof;
	}).length;
}

test('MUST SHOW 1: overdue_contacts as of a day, and a contact made or deleted moves it', async () => {
	const stats = async (year, now) => JSON.parse((await vets(['stats', 'care', '--year', String(year), '--db', env.db], { env: { VETS_FAKE_NOW: String(at(now)) } })).stdout);
	let s = await stats(2026, '2026-03-01');
	assert.equal(s.as_of, '2026-03-01');
	assert.equal(s.overdue_contacts, 3);
	assert.equal(s.overdue_contacts, overdueByHand('2026-03-01'));
	/* as of 2026-01-25 only 王三 */
	s = await stats(2026, '2026-01-25');
	assert.equal(s.overdue_contacts, 1);
	/* the past year as of its last day: 王三's 2025-12-31 was not yet passed */
	s = await stats(2025, '2026-03-01');
	assert.equal(s.as_of, '2025-12-31');
	assert.equal(s.overdue_contacts, 0);
	assert.equal(s.overdue_contacts, overdueByHand('2025-12-31'));
	/* a contact with 张一 on 2026-01-24 clears him (as of 2026-03-01: due 2026-04-30) */
	const r = await api(c.clerk, 'POST', `/api/v1/care/plans/${env.plans.plan1}/contacts`, { on: '2026-01-24', method: '上门', by_name: '网格员甲' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(r.json.overdue, false, 'the flag follows the contact');
	s = await stats(2026, '2026-03-01');
	assert.equal(s.overdue_contacts, 2);
	/* deleted in error: late again */
	const del = await api(c.clerk, 'POST', `/api/v1/care/contacts/${r.json.contact_id}/delete`, {});
	assert.equal(del.status, 200, `${del.body}`);
	s = await stats(2026, '2026-03-01');
	assert.equal(s.overdue_contacts, 3);
	/* --list: as many rows as the figure */
	const l = await vets(['stats', 'care', '--year', '2026', '--list', 'overdue_contacts', '--db', env.db], { env: { VETS_FAKE_NOW: String(at('2026-03-01')) } });
	assert.equal(l.code, 0, l.stderr);
	const rows = l.stdout.trim().split('\n').map((x) => JSON.parse(x));
	assert.equal(rows.length, 3);
	assert.deepEqual(rows.map((x) => x.due_on), ['2025-12-31', '2026-01-31', '2026-02-28']);
});

test('contacts: bad input names the field, nothing saved; an ended plan takes no contact', async () => {
	const before = one('SELECT count(*) FROM care_contacts;');
	let r = await api(c.clerk, 'POST', `/api/v1/care/plans/${env.plans.plan1}/contacts`, { on: '2025-09-30', method: '飞鸽' });
	assert.equal(r.status, 400);
	const fields = r.json.error.fields.map((f) => f.field);
	assert.deepEqual(fields.sort(), ['联系方式', '联系日期'].sort());
	assert.match(JSON.stringify(r.json), /联系日期不能早于纳入日期 2025-10-01/);
	r = await api(c.clerk, 'POST', `/api/v1/care/plans/${env.plans.plan1}/contacts`, { on: '2026-01-26', method: '电话' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /联系日期不能晚于今天/);
	r = await api(c.clerk, 'POST', '/api/v1/care/plans', { person_id: P['张一'], frequency: '每两周', since: '2026-13-01' });
	assert.equal(r.status, 400);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['联系频次', '纳入日期'].sort());
	assert.equal(one('SELECT count(*) FROM care_contacts;'), before);
	/* the form: POST/redirect/GET with the errors shown */
	const form = await c.clerk.postForm(`/care/plans/${env.plans.plan1}/contacts`, { on: '2026-01-26', method: '电话', by_name: '', note: '' });
	const shown = await c.clerk.refused(form);
	assert.match(shown.body, /联系日期不能晚于今天/);
	/* 赵四 taken off the list on 2026-01-24: no contact from that day on, and not overdue after */
	const end = await c.station.postForm(`/care/plans/${env.plans.plan4}/end`, { ended_on: '2026-01-24' });
	assert.equal(end.status, 303, `${end}`);
	r = await api(c.station, 'POST', `/api/v1/care/plans/${env.plans.plan4}/contacts`, { on: '2026-01-25', method: '电话' });
	assert.equal(r.status, 409, `${r.body}`);
	assert.match(r.json.error.message, /已于 2026-01-24 停止常态化联系/);
	const s = JSON.parse((await vets(['stats', 'care', '--year', '2026', '--db', env.db], { env: { VETS_FAKE_NOW: String(at('2026-03-01')) } })).stdout);
	assert.equal(s.overdue_contacts, 2);
	assert.equal(s.overdue_contacts, overdueByHand('2026-03-01'));
	assert.equal((await api(c.clerk, 'GET', '/api/v1/care/plans')).json.items.some((p) => p.person_id === P['赵四']), false, 'the list shows those on it');
});

test('the street scope: a station writes only for its street (refused in Chinese) and reads nothing of another (not found)', async () => {
	/* 长青 station visits 王三 of 东湖: refused naming the field */
	let r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['王三'], kind: '困难走访', on: '2026-01-10', visitors: '长青站' });
	assert.equal(r.status, 400, `${r.body}`);
	assert.equal(r.json.error.fields[0].field, '人员编号');
	assert.match(r.json.error.fields[0].message, /本辖区人员信息库中没有编号为/);
	r = await api(c.station, 'POST', '/api/v1/care/plans', { person_id: P['钱五'], frequency: '每月', since: '2026-01-01' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /本辖区人员信息库中没有编号为/);
	/* the form says it too */
	const form = await c.station.postForm('/care/visits', { person_id: String(P['孙六']), kind: '困难走访', on: '2026-01-10', visitors: '长青站', money: '', goods: '', note: '' });
	const shown = await c.station.refused(form);
	assert.match(shown.body, /本辖区人员信息库中没有编号为/);
	/* 东湖's plan and visit: not found for 长青 */
	r = await api(c.east, 'POST', '/api/v1/care/visits', { person_id: P['孙六'], kind: '困难走访', on: '2026-01-12', visitors: '东湖站', money: '300' });
	assert.equal(r.status, 201, `${r.body}`);
	const eastVisit = r.json.id;
	assert.equal((await c.station.get(`/care/plans/${env.plan3}`)).status, 404);
	assert.equal((await c.station.get(`/care/visits/${eastVisit}`)).status, 404);
	assert.equal((await api(c.station, 'GET', `/api/v1/care/visits/${eastVisit}`)).status, 404);
	r = await api(c.station, 'POST', `/api/v1/care/visits/${eastVisit}/delete`, {});
	assert.equal(r.status, 404);
	r = await api(c.station, 'POST', `/api/v1/care/plans/${env.plan3}/contacts`, { on: '2026-01-20', method: '电话' });
	assert.equal(r.status, 404);
	assert.equal((await api(c.station, 'GET', '/api/v1/care/visits')).json.items.filter((v) => v.id === eastVisit).length, 0);
	/* the leader reads all, writes nothing */
	assert.equal((await c.leader.get(`/care/visits/${eastVisit}`)).status, 200);
	assert.equal((await api(c.leader, 'POST', '/api/v1/care/visits', { person_id: P['孙六'], kind: '困难走访', on: '2026-01-12', visitors: 'x' })).status, 403);
});

test('visits: money in 分, holiday visits only to 烈军属 and 重点优抚对象, bad input refused whole', async () => {
	let r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['赵四'], kind: '困难走访', on: '2026-01-15', visitors: '长青站 周丽', money: '1,000.50', goods: '米、油', note: '因病致困' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(r.json.money, 100050);
	assert.equal(one(`SELECT money FROM care_visits WHERE id = ${r.json.id};`), '100050');
	const page = await c.station.get('/care/visits');
	assert.match(page.body, /1,000\.50/);
	const before = one('SELECT count(*) FROM care_visits;');
	/* 赵四 is neither 烈军属 nor 重点优抚对象 */
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['赵四'], kind: '春节慰问', on: '2026-01-15', visitors: '长青站' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /烈军属或重点优抚对象/);
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['张一'], kind: '端午慰问', on: '2026-02-30', visitors: '', money: '-5' });
	assert.equal(r.status, 400);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['类别', '走访日期', '走访人员', '慰问金'].sort());
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: 999999, kind: '困难走访', on: '2026-01-15', visitors: 'x' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /没有编号为 999999 的人员/);
	assert.equal(one('SELECT count(*) FROM care_visits;'), before);
});

test('campaigns: whom to visit, who is still due, a station doing its street\'s part', async () => {
	let r = await api(c.clerk, 'POST', '/api/v1/care/campaigns', { title: '2026 年春节走访慰问', holiday: '春节', starts_on: '2026-01-10', ends_on: '2026-02-16', categories: ['烈士遗属', '军人家属', '在乡复员军人'], street: '' });
	assert.equal(r.status, 201, `${r.body}`);
	const id = r.json.id;
	/* 张一, 李二, 王三, 钱五: 在册 holders of those categories; 赵四 and 孙六 are not */
	assert.equal(r.json.listed, 4);
	assert.deepEqual(r.json.people.map((p) => p.name).sort(), ['张一', '李二', '王三', '钱五'].sort());
	/* the station sees the district's campaign with its street's part */
	let mine = await api(c.station, 'GET', `/api/v1/care/campaigns/${id}?who=due`);
	assert.equal(mine.status, 200);
	assert.equal(mine.json.listed, 2);
	assert.deepEqual(mine.json.people.map((p) => p.name).sort(), ['张一', '李二'].sort());
	/* a visit under it: the kind is the holiday's; outside its dates or off its list: refused */
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['张一'], campaign_id: id, on: '2026-01-05', visitors: '长青站' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /2026-01-10 至 2026-02-16/);
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['赵四'], campaign_id: id, on: '2026-01-20', visitors: '长青站' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /不在“2026 年春节走访慰问”的慰问名单上/);
	r = await api(c.station, 'POST', '/api/v1/care/visits', { person_id: P['张一'], campaign_id: id, on: '2026-01-20', visitors: '长青站', money: '500', goods: '春联' });
	assert.equal(r.status, 201, `${r.body}`);
	assert.equal(r.json.kind, '春节慰问');
	mine = await api(c.station, 'GET', `/api/v1/care/campaigns/${id}?who=due`);
	assert.equal(mine.json.due, 1);
	assert.deepEqual(mine.json.people.map((p) => p.name), ['李二']);
	/* the clerk sees the whole list: 4 listed, 1 visited, 3 due */
	const all = await api(c.clerk, 'GET', `/api/v1/care/campaigns/${id}?who=due`);
	assert.deepEqual([all.json.listed, all.json.visited, all.json.due], [4, 1, 3]);
	const page = await c.clerk.get(`/care/campaigns/${id}`);
	assert.match(page.body, /待慰问 <strong id="due">3<\/strong> 人/);
	/* 东湖 station may not visit 张一 under it */
	r = await api(c.east, 'POST', '/api/v1/care/visits', { person_id: P['张一'], campaign_id: id, on: '2026-01-20', visitors: '东湖站' });
	assert.equal(r.status, 400);
	/* a campaign for another street by a station: refused; an empty list: refused */
	r = await api(c.station, 'POST', '/api/v1/care/campaigns', { title: '八一', holiday: '八一', starts_on: '2025-07-20', ends_on: '2025-08-01', categories: ['烈士遗属'], street: '420199001' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /本辖区内的街道/);
	r = await api(c.clerk, 'POST', '/api/v1/care/campaigns', { title: '八一', holiday: '八一', starts_on: '2025-08-01', ends_on: '2025-07-20', categories: ['退役军人'] });
	assert.equal(r.status, 400);
	assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['人员类别', '结束日期'].sort());
	env.campaign = id;
});

test('光荣牌: the day it was hung, within the street', async () => {
	let r = await api(c.station, 'POST', '/api/v1/care/plaques', { person_id: P['李二'], hung_on: '2025-08-01' });
	assert.equal(r.status, 201, `${r.body}`);
	r = await api(c.station, 'POST', '/api/v1/care/plaques', { person_id: P['钱五'], hung_on: '2025-08-01' });
	assert.equal(r.status, 400);
	const page = await c.station.get('/care/plaques');
	assert.match(page.body, /李二/);
	assert.match(page.body, /2025-08-01/);
	assert.equal((await c.east.get('/care/plaques')).body.includes('李二'), false);
});

/* ---- MUST SHOW 2 ---- */

/** The figures counted here in SQL, for a year, in a street ('' the district). */
function byHand(year, street = '') {
	const ys = `${year}-01-01`, ye = `${year}-12-31`;
	const scope = (col) => (street ? ` AND substr(${col}, 1, 9) = '${street}'` : '');
	const n = (sql) => Number(one(sql));
	return {
		regular_contacts: n(`SELECT count(DISTINCT person_id) FROM care_contacts WHERE contacted_on BETWEEN '${ys}' AND '${ye}'${scope('region_code')};`),
		temporary_visits: n(`SELECT count(DISTINCT person_id) FROM care_visits WHERE kind = '困难走访' AND visited_on BETWEEN '${ys}' AND '${ye}'${scope('region_code')};`),
		holiday_visits: n(`SELECT count(*) FROM care_visits WHERE kind IN ('春节慰问', '八一慰问') AND visited_on BETWEEN '${ys}' AND '${ye}'${scope('region_code')};`),
	};
}

async function cliStats(year, as) {
	const args = ['stats', 'care', '--year', String(year), '--db', env.db];
	if (as) args.push('--as', as, '--password-stdin');
	const r = await vets(args, { env: { VETS_FAKE_NOW: String(NOW) }, input: as ? PASSWORD + '\n' : '' });
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

async function cliList(year, key) {
	const r = await vets(['stats', 'care', '--year', String(year), '--list', key, '--db', env.db], { env: { VETS_FAKE_NOW: String(NOW) } });
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.trim() ? r.stdout.trim().split('\n').map((l) => JSON.parse(l)) : [];
}

async function pageStats(client, year) {
	const page = await client.get(`/care/stats?year=${year}`);
	assert.equal(page.status, 200);
	const out = {};
	for (const k of ['regular_contacts', 'temporary_visits', 'holiday_visits', 'overdue_contacts']) {
		const m = page.body.match(new RegExp(`id="fig-${k}" href="([^"]*)">([\\d,]+)<`));
		assert.ok(m, `${k} on the page`);
		out[k] = Number(m[2].replace(/,/g, ''));
		out[`${k}_href`] = m[1].replace(/&amp;/g, '&');
	}
	return out;
}

async function checkYear(year) {
	const want = byHand(year);
	const cli = await cliStats(year);
	const page = await pageStats(c.clerk, year);
	for (const k of Object.keys(want)) {
		assert.equal(cli[k], want[k], `${year} ${k} (cli)`);
		assert.equal(page[k], want[k], `${year} ${k} (page)`);
		assert.equal((await cliList(year, k)).length, want[k], `${year} ${k} --list`);
	}
	return want;
}

test('MUST SHOW 2: each figure equals its count in SQL, on the command line and the page, with a list as long', async () => {
	/* more records: 2025 and 2026, several visits of one person, one person twice on holidays */
	const add = async (client, v) => {
		const r = await api(client, 'POST', '/api/v1/care/visits', v);
		assert.equal(r.status, 201, `${r.body}`);
		return r.json.id;
	};
	await add(c.clerk, { person_id: P['李二'], kind: '困难走访', on: '2025-03-01', visitors: '关爱经办' });
	await add(c.clerk, { person_id: P['李二'], kind: '困难走访', on: '2025-06-01', visitors: '关爱经办' });
	await add(c.east, { person_id: P['孙六'], kind: '困难走访', on: '2025-04-01', visitors: '东湖站' });
	await add(c.clerk, { person_id: P['王三'], kind: '八一慰问', on: '2025-07-30', visitors: '关爱经办', money: '300' });
	await add(c.clerk, { person_id: P['王三'], kind: '春节慰问', on: '2025-01-20', visitors: '关爱经办', money: '300' });
	await add(c.station, { person_id: P['李二'], kind: '八一慰问', on: '2025-07-31', visitors: '长青站' });
	const moving = await add(c.station, { person_id: P['张一'], kind: '八一慰问', on: '2025-08-01', visitors: '长青站' });
	const going = await add(c.clerk, { person_id: P['钱五'], kind: '春节慰问', on: '2026-01-21', visitors: '关爱经办' });
	/* contacts in 2025 under the plans */
	let r = await api(c.east, 'POST', `/api/v1/care/plans/${env.plan3}/contacts`, { on: '2025-11-02', method: '电话' });
	assert.equal(r.status, 201, `${r.body}`);

	let y25 = await checkYear(2025);
	let y26 = await checkYear(2026);
	assert.deepEqual(y25, { regular_contacts: 1, temporary_visits: 2, holiday_visits: 4 });
	assert.deepEqual(y26, { regular_contacts: 1, temporary_visits: 2, holiday_visits: 2 });

	/* a visit corrected into the other year moves it; a deleted one leaves */
	r = await api(c.station, 'POST', `/api/v1/care/visits/${moving}`, { person_id: P['张一'], kind: '春节慰问', on: '2026-01-22', visitors: '长青站' });
	assert.equal(r.status, 200, `${r.body}`);
	r = await api(c.clerk, 'POST', `/api/v1/care/visits/${going}/delete`, {});
	assert.equal(r.status, 200, `${r.body}`);
	y25 = await checkYear(2025);
	y26 = await checkYear(2026);
	assert.equal(y25.holiday_visits, 3);
	assert.equal(y26.holiday_visits, 2);
	/* a contact corrected by deleting it */
	const cid = one(`SELECT id FROM care_contacts WHERE plan_id = ${env.plan3} AND contacted_on = '2025-11-02';`);
	r = await api(c.east, 'POST', `/api/v1/care/contacts/${cid}/delete`, {});
	assert.equal(r.status, 200);
	y25 = await checkYear(2025);
	assert.equal(y25.regular_contacts, 1, '王三 still contacted on 2025-09-10');

	/* a station sees its street only: the command line --as and the page */
	for (const [user, street] of [['k_station', '420199002'], ['k_east', '420199001']]) {
		for (const year of [2025, 2026]) {
			const want = byHand(year, street);
			const got = await cliStats(year, user);
			const page = await pageStats(user === 'k_station' ? c.station : c.east, year);
			for (const k of Object.keys(want)) {
				assert.equal(got[k], want[k], `${user} ${year} ${k}`);
				assert.equal(page[k], want[k], `${user} ${year} ${k} (page)`);
			}
		}
	}
	/* the page's number links to the list of the rows it counts */
	const page = await pageStats(c.clerk, 2025);
	const list = await c.clerk.get(page.holiday_visits_href);
	assert.equal(list.status, 200);
	assert.equal((list.body.match(/<tr><td>/g) || []).length, y25.holiday_visits);
	/* the definitions say 人 or 人次 */
	const s = await c.clerk.get('/care/stats?year=2025');
	assert.match(s.body, /人次/);
	assert.match(s.body, /同一人多次走访计 1 人/);
	/* the trail still verifies */
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr);
});
