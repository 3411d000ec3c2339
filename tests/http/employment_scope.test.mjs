// employment_scope.test.mjs - 就业创业: who sees and changes what. A seeker follows his person
// to a new street (the old station loses him, the new one takes him over); refusals name no
// record and no person the user may not see; an enterprise is renamed only by whom may, its
// known street kept, the old name and street in the audit; matching stays within its window;
// the organisers' sheet takes the headers and digits people type and says when its report is cut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, addUser, cleanup, idNumber, importRegions, indexesOf, initDb, isPg, Server, sqlExec, vets } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const FAKE = { VETS_FAKE_NOW: String(NOW) };
const HEADER = ['统一社会信用代码', '企业名称', '岗位名称', '招聘人数', '月薪下限（元）', '月薪上限（元）', '岗位要求', '所在街道'];
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body17[i]) * (3 ** i % 31);
	const c = 31 - (sum % 31);
	return body17 + ALPHABET[c === 31 ? 0 : c];
}
const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

let env;
const c = {};
const people = {};

const one = (sql) => sqlExec(env.db, sql).trim();
const seekerId = (r) => Number(/\/employment\/seekers\/(\d+)$/.exec(r.headers.location)?.[1]);

before(async () => {
	const { db, dir } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 's_clerk', 'clerk', { org: '420199', displayName: '就业科' }),
		addUser(db, 's_station', 'station', { org: '420199002', displayName: '长青站' }),
		addUser(db, 's_east', 'station', { org: '420199001', displayName: '东湖站' }),
	]);
	const rows = [
		['迁居甲', idNumber('42010619850101201'), '长青街道'],
		['留居乙', idNumber('42010619860202202'), '长青街道'],
		['东湖丙', idNumber('42010619870303203'), '东湖街道'],
	];
	const file = path.join(dir, 'people.csv');
	writeFileSync(file, csv([['姓名', '身份证号', '人员类别', '街道'], ...rows.map((r) => [r[0], r[1], '退役军人', r[2]])]));
	const r = await vets(['import', 'persons', file, '--db', db], { env: FAKE });
	assert.equal(r.code, 0, r.stderr);
	env = { db, dir };
	for (const [name] of rows) people[name] = Number(one(`SELECT id FROM persons WHERE name = '${name}';`));
	env.server = await Server.start(db, { fakeNow: NOW });
	for (const u of ['clerk', 'station', 'east']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`s_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server?.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

test('a seeker follows his person to another street: the old station loses him, the new one takes him over', async () => {
	let r = await c.station.postForm('/employment/seekers', { person_id: String(people['迁居甲']), intention: '保安', registered_on: '2025-03-01' });
	assert.equal(r.status, 303, `${r}`);
	const id = seekerId(r);
	assert.equal((await c.station.get(`/employment/seekers/${id}`)).status, 200);
	assert.equal((await c.east.get(`/employment/seekers/${id}`)).status, 404);

	/* he moves to 东湖街道 (as the registry's edit writes it) */
	sqlExec(env.db, `UPDATE persons SET region_code = '420199001', street_code = '420199001' WHERE id = ${people['迁居甲']};`);
	assert.equal(one(`SELECT region_code || '/' || street_code FROM employment_seekers WHERE id = ${id};`), '420199001/420199001');
	assert.equal((await c.station.get(`/employment/seekers/${id}`)).status, 404);
	assert.equal((await c.station.postForm(`/employment/seekers/${id}/withdraw`, {})).status, 404);
	assert.doesNotMatch((await c.station.get('/employment/seekers')).body, /迁居甲/);
	const page = await c.east.get(`/employment/seekers/${id}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /东湖街道/);
	/* the new station, registering him again, is told of the record it now sees */
	const again = await c.east.refused(await c.east.postForm('/employment/seekers', { person_id: String(people['迁居甲']), intention: '保安' }));
	assert.match(again.body, new RegExp(`该人员已有求职登记（编号 ${id}），正在求职中`));
	r = await c.east.postForm(`/employment/seekers/${id}/withdraw`, {});
	assert.equal(r.status, 303, `${r}`);
	assert.equal(one(`SELECT status FROM employment_seekers WHERE id = ${id};`), '已退出');
});

test('refusals to a station name no record and no person outside its street', async () => {
	/* a person of another street: answered as one not in the registry */
	const other = await c.station.refused(await c.station.postForm('/employment/seekers', { person_id: String(people['东湖丙']), intention: '保安' }));
	assert.match(other.body, new RegExp(`人员编号</a>：退役军人信息库中没有编号为 ${people['东湖丙']} 的人员`));
	assert.doesNotMatch(other.body, /辖区/);
	/* an open record the station can't see (written elsewhere before the person's street was known) */
	sqlExec(env.db, `INSERT INTO employment_seekers (person_id, region_code, street_code, intention, registered_on, status, created_at, created_by, created_name, updated_at, updated_by, updated_name)
		VALUES (${people['留居乙']}, '420199001', '420199001', '厨师', '2025-01-01', '求职中', 0, NULL, '东湖站', 0, NULL, '东湖站');`);
	const hidden = one(`SELECT id FROM employment_seekers WHERE person_id = ${people['留居乙']};`);
	const page = await c.station.refused(await c.station.postForm('/employment/seekers', { person_id: String(people['留居乙']), intention: '保安' }));
	assert.match(page.body, /该人员已有一条求职中的登记/);
	assert.doesNotMatch(page.body, new RegExp(`编号 ${hidden}`));
	/* the district sees it and is told which */
	const clerk = await c.clerk.refused(await c.clerk.postForm('/employment/seekers', { person_id: String(people['留居乙']), intention: '保安' }));
	assert.match(clerk.body, new RegExp(`该人员已有求职登记（编号 ${hidden}），正在求职中`));
});

test('a fair\'s positions are replaced without reading every seeker per position: hires are found by their position', async () => {
	assert.ok(indexesOf(env.db, 'employment_seekers').includes('employment_seekers_hired_position'));
	const cols = isPg(env.db)
		? one(`SELECT indexdef FROM pg_indexes WHERE indexname = 'employment_seekers_hired_position';`)
		: one(`SELECT group_concat(name) FROM pragma_index_info('employment_seekers_hired_position');`);
	assert.match(cols, /hired_position_id/);
	if (!isPg(env.db)) {
		const plan = one('EXPLAIN QUERY PLAN UPDATE employment_seekers SET hired_position_id = NULL WHERE hired_position_id IN (SELECT id FROM employment_positions WHERE fair_id = 1);');
		assert.match(plan, /employment_seekers USING (COVERING )?INDEX employment_seekers_hired_position/);
	}
});

test('an enterprise saved again by its code keeps its known street, is renamed only by whom may, and the audit keeps what it was', async () => {
	const E = uscc('91420199MA4K10001');
	const S = uscc('91420199MA4K10002');
	/* the bureau adds one in 长青街道 */
	let r = await c.clerk.postForm('/employment/enterprises', { uscc: E, name: '长青物业有限公司', street: '长青街道' });
	assert.equal(r.status, 303, `${r}`);
	/* a station can't rename the bureau's enterprise: refused, naming the code only */
	const page = await c.east.refused(await c.east.postForm('/employment/enterprises', { uscc: E, name: '东湖冒名公司', street: '东湖街道' }));
	assert.match(page.body, new RegExp(`统一社会信用代码</a>：统一社会信用代码为 ${E} 的企业已在企业名录中，由他人登记，您不能修改其名称或街道`));
	/* (the list below shows every enterprise: the refusal itself names neither the name nor who added it) */
	assert.doesNotMatch(/统一社会信用代码为 [^<]*/.exec(page.body)[0], /长青物业|就业科/);
	assert.equal(one(`SELECT name || '/' || street_code FROM employment_enterprises WHERE uscc = '${E}';`), '长青物业有限公司/420199002');
	/* the bureau renames it with the street left blank: the known street stays; the audit says what it was */
	r = await c.clerk.postForm('/employment/enterprises', { uscc: E, name: '长青物业服务有限公司', street: '' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(one(`SELECT name || '/' || street_code || '/' || region_code FROM employment_enterprises WHERE uscc = '${E}';`), '长青物业服务有限公司/420199002/420199002');
	const detail = one(`SELECT detail FROM audit_log WHERE action = 'employment.enterprise_edit' ORDER BY seq DESC LIMIT 1;`);
	assert.match(detail, /长青物业有限公司 → 长青物业服务有限公司/);
	assert.match(detail, /街道：420199002 → 420199002/);
	/* a station renames the one it added itself */
	r = await c.east.postForm('/employment/enterprises', { uscc: S, name: '东湖便民有限公司', street: '东湖街道' });
	assert.equal(r.status, 303, `${r}`);
	r = await c.east.postForm('/employment/enterprises', { uscc: S, name: '东湖便民服务有限公司', street: '' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(one(`SELECT name || '/' || street_code FROM employment_enterprises WHERE uscc = '${S}';`), '东湖便民服务有限公司/420199001');
	assert.match(one(`SELECT detail FROM audit_log WHERE action = 'employment.enterprise_edit' ORDER BY seq DESC LIMIT 1;`), /东湖便民有限公司 → 东湖便民服务有限公司；街道：420199001 → 420199001/);
});

test('matching reads the fairs from 180 days before registering to a year after, and only while the seeker is seeking; the page says so', async () => {
	const fair = async (held_on, code) => {
		const r = await c.east.postForm('/employment/fairs', { name: `东湖招聘会${held_on}`, kind: '线下', held_on, place: '东湖街道文化站' });
		assert.equal(r.status, 303, `${r}`);
		const id = Number(/(\d+)$/.exec(r.headers.location)[1]);
		const up = await c.east.upload(`/employment/fairs/${id}/import`, 'f.csv', csv([HEADER, [code, `东湖保安${held_on}有限公司`, '保安员', '2', '', '', '', '']]));
		assert.equal(up.status, 303, `${up}`);
		return id;
	};
	const early = await fair('2022-08-01', uscc('91420199MA4K20001'));
	const within = await fair('2023-06-01', uscc('91420199MA4K20002'));
	const late = await fair('2024-03-01', uscc('91420199MA4K20003'));
	const tooEarly = await fair('2022-06-01', uscc('91420199MA4K20004'));
	const r = await c.east.postForm('/employment/seekers', { person_id: String(people['东湖丙']), intention: '保安', registered_on: '2023-01-10' });
	assert.equal(r.status, 303, `${r}`);
	const id = seekerId(r);
	const fairsOf = async () => (await c.east.get(`/api/v1/employment/seekers/${id}/matches`)).json.items.map((i) => i.fair_id).sort((a, b) => a - b);
	assert.deepEqual(await fairsOf(), [early, within].sort((a, b) => a - b));
	const day = (ms) => new Date(ms).toISOString().slice(0, 10);
	const reg = Date.UTC(2023, 0, 10);
	const page = await c.east.get(`/employment/seekers/${id}`);
	const hint = /id="match-window">([\s\S]*?)<\/p>/.exec(page.body)[1].replace(/<[^>]*>/g, '');
	assert.match(hint, new RegExp(`登记前 180 天至登记后一年之内（${day(reg - 180 * 86400000)} 至 ${day(reg + 365 * 86400000)}）`));
	/* hired: no longer matched */
	const h = await c.east.postForm(`/employment/seekers/${id}/hire`, { uscc: uscc('91420199MA4K20002'), title: '保安员', hired_on: '2023-07-01' });
	assert.equal(h.status, 303, `${h}`);
	assert.deepEqual(await fairsOf(), []);
	assert.match((await c.east.get(`/employment/seekers/${id}`)).body, /该登记已不在求职中（已就业），不再匹配岗位/);
});

test('a long report of a bad sheet says how many more faults it left out', async () => {
	const r = await c.east.postForm('/employment/fairs', { name: '东湖大型招聘会', kind: '线下', held_on: '2025-05-05', place: '东湖街道文化站' });
	const fair = Number(/(\d+)$/.exec(r.headers.location)[1]);
	const rows = [HEADER];
	for (let i = 0; i < 300; i++) rows.push([uscc(`91420199MA4K3${String(i).padStart(4, '0')}`), `企业${i}`, '保安员', '零']);
	const page = await c.east.refused(await c.east.upload(`/employment/fairs/${fair}/import`, 'big.csv', csv(rows)));
	const text = /id="import-error">([^<]*)</.exec(page.body)[1];
	const listed = (text.match(/第 \d+ 行 招聘人数：/g) || []).length;
	assert.ok(listed > 5 && listed < 300, `${listed} listed`);
	assert.match(text, new RegExp(`……另有 ${300 - listed} 处错误未列出（共 300 处）`));
	assert.equal(one(`SELECT count(*) FROM employment_positions WHERE fair_id = ${fair};`), '0');
});

test('the sheet takes the header 招聘人数（人） and counts and pay typed in full-width digits', async () => {
	const r = await c.east.postForm('/employment/fairs', { name: '东湖秋季招聘会', kind: '线下', held_on: '2025-10-10', place: '东湖街道文化站' });
	const fair = Number(/(\d+)$/.exec(r.headers.location)[1]);
	const code = uscc('91420199MA4K40001');
	const up = await c.east.upload(`/employment/fairs/${fair}/import`, 'units.csv', csv([
		['统一社会信用代码', '企业名称', '岗位名称', '招聘人数（人）', '月薪下限(元)'],
		[code, '东湖全角有限公司', '保安员', '１２', '３５００．５'],
		[code, '东湖全角有限公司', '驾驶员', '3', ''],
	]));
	assert.equal(up.status, 303, `${up}`);
	assert.doesNotMatch(up.headers.location, /form=/);
	assert.equal(one(`SELECT sum(headcount) FROM employment_positions WHERE fair_id = ${fair};`), '15');
	assert.equal(one(`SELECT pay_min FROM employment_positions WHERE fair_id = ${fair} AND title = '保安员';`), '350050');
});

test('a file over the upload limit is refused saying the limit', async () => {
	const r = await c.east.postForm('/employment/fairs', { name: '东湖冬季招聘会', kind: '线下', held_on: '2025-12-01', place: '东湖街道文化站' });
	const fair = Number(/(\d+)$/.exec(r.headers.location)[1]);
	const big = Buffer.concat([Buffer.from(csv([HEADER])), Buffer.alloc(5 * 1024 * 1024 + 100, 0x20)]);
	const page = await c.east.refused(await c.east.upload(`/employment/fairs/${fair}/import`, 'big.csv', big));
	assert.match(/id="import-error">([^<]*)</.exec(page.body)[1], /文件未导入：文件大小 5\.0 MB，超过 5 MB 的上限/);
});
