// figures_demo.test.mjs - the demo's 2023 is the seed report's, from records: every figure of
// the report (11,047; 1,315; 304; 62; 59; 1,496; 8; 21; 21; 7; 16; 19; 20; 100%; 100%; 100%)
// as `vets stats <set> --year 2023` prints it, each figure's --list as long as its value (a sum
// figure: its column adding up to it); the new sets (payments, applications, petition) equal
// counts written here in SQL and the old statistics (vets stats benefits|counter|petitions),
// for 2023 and the years around it; a station reads its street, and the streets add up to the
// district.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, demoStore, sqlExec, vets } from './lib.mjs';

after(cleanup);

let store;
async function demo() {
	if (!store) store = await demoStore();
	return store;
}

async function stats(db, set, year, as) {
	const args = ['stats', set, '--year', String(year), '--db', db];
	if (as) args.push('--as', as.user, '--password-stdin');
	const r = await vets(args, as ? { input: `${as.password}\n` } : {});
	assert.equal(r.code, 0, `${set} ${year}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

async function list(db, set, year, key) {
	const r = await vets(['stats', set, '--year', String(year), '--list', key, '--db', db]);
	assert.equal(r.code, 0, `${set} --list ${key}: ${r.stderr}`);
	return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/* The seed report's figures: set, key, value; sum: the column a FIGURE_SUM adds up. */
const SEED = [
	['payments', 'benefit_payments', 11047],
	['payments', 'conscript_allowance_payments', 1315],
	['payments', 'enlistment_bonus_payments', 304],
	['care', 'regular_contacts', 62],
	['care', 'temporary_visits', 59],
	['care', 'holiday_visits', 1496],
	['placement', 'officers_placed', 8],
	['placement', 'soldiers_placed', 21],
	['placement', 'medical_insurance_continued', 21],
	['employment', 'job_fairs', 7],
	['shuangyong', 'shuangyong_activities', 16],
	['shuangyong', 'shuangyong_news', 19],
	['pufa', 'brochures', 3080, 'copies'],
	['applications', 'tolerated_items', 20],
];
/* The rates, percentages with one decimal on the command line. */
const SEED_RATES = [
	['petition', 'petition_reply_rate', 100],
	['pufa', 'exam_participation_rate', 100],
	['pufa', 'exam_excellence_rate', 100],
];

test('the demo\'s 2023 figures are the seed report\'s, and each list is as long as its figure', async () => {
	const { db } = await demo();
	const sets = {};
	for (const [set] of [...SEED, ...SEED_RATES]) sets[set] ??= await stats(db, set, 2023);
	for (const [set, key, value, sum] of SEED) {
		assert.equal(sets[set][key], value, `${set}.${key}`);
		const rows = await list(db, set, 2023, key);
		if (sum) assert.equal(rows.reduce((a, r) => a + r[sum], 0), value, `${key}: its rows' ${sum}`);
		else assert.equal(rows.length, value, `${key}: --list`);
	}
	for (const [set, key, value] of SEED_RATES) assert.equal(sets[set][key], value, `${set}.${key}`);
	/* the report's other employment figures, near the seed's */
	const emp = await stats(db, 'employment', 2023);
	assert.ok(emp.enterprises >= 1600 && emp.enterprises <= 1699, `enterprises ${emp.enterprises}`);
	assert.ok(emp.positions >= 44000 && emp.positions <= 46000, `positions ${emp.positions}`);
});

/* ---- the new sets against SQL written here ---- */

const one = (db, sql) => Number(sqlExec(db, sql).trim());
const NOT_YOUFU = "('CONSCRIPT', 'ENLIST_BONUS', 'PLACEMENT_WAIT')";
function paid(db, year, codes, street = '') {
	return one(db, `SELECT count(*) FROM pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE l.status = '已发' AND b.period >= '${year}-01' AND b.period <= '${year}-12' AND l.benefit_code ${codes}${street ? ` AND substr(l.region_code, 1, 9) = '${street}'` : ''};`);
}
/* The first second of 1 January of year in Asia/Shanghai. */
const yearStart = (year) => Date.UTC(year, 0, 1) / 1000 - 8 * 3600;
function toleratedItems(db, year) {
	return one(db, `SELECT count(*) FROM service_items i WHERE i.created_at < ${yearStart(year + 1)} AND EXISTS (SELECT 1 FROM service_materials m WHERE m.item_id = i.id AND m.essential = 0);`);
}
function counter(db, year, asof, street = null) {
	const s = street === null ? '' : ` AND substr(a.region_code, 1, ${street.length}) = '${street}'`;
	const c = (cond) => one(db, `SELECT count(*) FROM applications a WHERE a.accepted_on >= '${year}-01-01' AND a.accepted_on <= '${asof}'${cond}${s};`);
	return {
		applications_accepted: c(''),
		applications_tolerated: c(' AND a.partial <> 0'),
		applications_closed: c(` AND a.status = '已办结' AND a.closed_on <= '${asof}'`),
		applications_closed_on_time: c(` AND a.status = '已办结' AND a.closed_on <= '${asof}' AND a.closed_on <= a.due`),
	};
}
function petitions(db, year, asof, street = null) {
	const s = street === null ? '' : ` AND substr(p.region_code, 1, ${street.length}) = '${street}'`;
	const c = (cond) => one(db, `SELECT count(*) FROM petitions p WHERE p.received_on >= '${year}-01-01' AND p.received_on <= '${year}-12-31'${cond}${s};`);
	return {
		petitions_received: c(''),
		petitions_accepted: c(' AND p.accepted = 1'),
		petitions_closed: c(` AND p.accepted = 1 AND p.closed_on <= '${asof}'`),
		petitions_replied: c(` AND p.accepted = 1 AND p.replied_on <= '${asof}'`),
	};
}
const rate = (n, d) => (d ? Math.round((n * 1000) / d) / 10 : null);

test('payments, applications and petition equal counts in SQL and the old statistics, 2022 to 2025', async () => {
	const { db } = await demo();
	for (const year of [2022, 2023, 2024, 2025]) {
		const asof = `${year}-12-31`;
		const p = await stats(db, 'payments', year);
		assert.equal(p.benefit_payments, paid(db, year, `NOT IN ${NOT_YOUFU}`), `${year} benefit_payments`);
		assert.equal(p.conscript_allowance_payments, paid(db, year, "= 'CONSCRIPT'"), `${year} conscript`);
		assert.equal(p.enlistment_bonus_payments, paid(db, year, "= 'ENLIST_BONUS'"), `${year} bonus`);
		/* vets stats benefits says the same, benefit by benefit */
		const old = JSON.parse((await vets(['stats', 'benefits', '--year', String(year), '--db', db])).stdout);
		const by = Object.fromEntries(old.benefits.map((b) => [b.code, b.payments]));
		const youfu = old.benefits.filter((b) => !['CONSCRIPT', 'ENLIST_BONUS', 'PLACEMENT_WAIT'].includes(b.code)).reduce((a, b) => a + b.payments, 0);
		assert.deepEqual([p.benefit_payments, p.conscript_allowance_payments, p.enlistment_bonus_payments], [youfu, by.CONSCRIPT, by.ENLIST_BONUS], `${year}: vets stats benefits`);

		const a = await stats(db, 'applications', year);
		const want = counter(db, year, asof);
		for (const k of Object.keys(want)) assert.equal(a[k], want[k], `${year} ${k}`);
		assert.equal(a.tolerated_items, toleratedItems(db, year), `${year} tolerated_items`);
		const oldc = JSON.parse((await vets(['stats', 'counter', '--year', String(year), '--db', db])).stdout);
		assert.deepEqual([a.applications_accepted, a.applications_tolerated, a.applications_closed, a.applications_closed_on_time], [oldc.accepted, oldc.rongque, oldc.closed, oldc.closed_on_time], `${year}: vets stats counter`);

		const t = await stats(db, 'petition', year);
		const wp = petitions(db, year, asof);
		for (const k of Object.keys(wp)) assert.equal(t[k], wp[k], `${year} ${k}`);
		assert.equal(t.petition_reply_rate, rate(wp.petitions_replied, wp.petitions_accepted), `${year} reply rate`);
		const oldp = JSON.parse((await vets(['stats', 'petitions', '--year', String(year), '--db', db])).stdout);
		assert.deepEqual([t.petitions_received, t.petitions_accepted, t.petitions_closed, t.petitions_replied, t.petition_reply_rate], [oldp.received, oldp.accepted, oldp.closed, oldp.replied, oldp.reply_rate], `${year}: vets stats petitions`);
	}
	/* the 2022 intake is paid in 2022 (its first year) and in 2023 (its second); 2022 has no 优抚 yet */
	const y22 = await stats(db, 'payments', 2022);
	assert.deepEqual([y22.benefit_payments, y22.conscript_allowance_payments, y22.enlistment_bonus_payments], [0, 1011, 1011]);
	/* the catalogue predates 2023: its 20 容缺 items count in 2022 already */
	assert.equal(toleratedItems(db, 2022), 20);
	/* each list is as long as its figure */
	for (const [set, key] of [['payments', 'conscript_allowance_payments'], ['payments', 'enlistment_bonus_payments'], ['applications', 'applications_tolerated'], ['petition', 'petitions_replied']]) {
		const s = await stats(db, set, 2023);
		assert.equal((await list(db, set, 2023, key)).length, s[key], `${key} --list`);
	}
	/* a line of the list names its benefit, person and street; the amount in 分 */
	const [first] = await list(db, 'payments', 2023, 'benefit_payments');
	assert.deepEqual(Object.keys(first), ['line_id', 'period', 'benefit', 'name', 'street', 'amount_fen']);
	assert.equal(first.period.slice(0, 4), '2023');
	assert.ok(Number.isInteger(first.amount_fen) && first.amount_fen > 0);
});

test('a street\'s figures (the station\'s own, or the report narrowed to it); the streets add up to the district', async () => {
	const { db, stdout } = await demo();
	const password = stdout.match(/^\s*station\s+(\S+)/m)[1];
	const station = { user: 'station', password };
	const street = sqlExec(db, "SELECT o.region_code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'station';").trim();
	assert.equal(street.length, 9);
	/* 待遇发放 is not the station's to read (stats.read, as on the web): its street's figures are
	 * read through the report narrowed to the street. */
	const refused = await vets(['stats', 'payments', '--year', '2023', '--as', 'station', '--password-stdin', '--db', db], { input: `${password}\n` });
	assert.equal(refused.code, 1, refused.stderr);
	assert.match(refused.stderr, /没有查看待遇发放统计的权限/);
	assert.equal(refused.stdout, '');
	const r = await vets(['report', '--year', '2023', '--street', street, '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	const mine = Object.fromEntries(JSON.parse(r.stdout).figures.map((f) => [f.key, f.value]));
	const district = await stats(db, 'payments', 2023);
	const codes = { benefit_payments: `NOT IN ${NOT_YOUFU}`, conscript_allowance_payments: "= 'CONSCRIPT'", enlistment_bonus_payments: "= 'ENLIST_BONUS'" };
	const streets = sqlExec(db, "SELECT code FROM regions WHERE level = 'street' ORDER BY code;").trim().split('\n');
	for (const [key, codesOf] of Object.entries(codes)) {
		assert.equal(mine[key], paid(db, 2023, codesOf, street), `street ${key}`);
		assert.ok(mine[key] > 0 && mine[key] < district[key], `${key}: a part of the district`);
		const sum = streets.reduce((a, s) => a + paid(db, 2023, codesOf, s), 0);
		assert.equal(sum, district[key], `${key}: the streets add up`);
	}
	/* the counter and the petitions are the bureau's (the district's own code): none in a street */
	const a = await stats(db, 'applications', 2023, station);
	const wa = counter(db, 2023, '2023-12-31', street);
	for (const k of Object.keys(wa)) assert.equal(a[k], wa[k], `station ${k}`);
	assert.equal(a.tolerated_items, 0, 'the catalogue is the bureau\'s, not a street\'s');
	const t = await stats(db, 'petition', 2023, station);
	const wt = petitions(db, 2023, '2023-12-31', street);
	for (const k of Object.keys(wt)) assert.equal(t[k], wt[k], `station ${k}`);
});
