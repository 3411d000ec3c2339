// care_demo.test.mjs - the demo's 关爱帮扶: its 2023 is the report's (62 people in regular
// contact, 59 people visited in difficulty, 1,496 holiday visits), each figure equal to its
// count in SQL and to its list; every whole year since plausible around it; the campaigns' lists
// visited (2023's 春节 whole) and the overdue contacts of 2023's end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, demoStore, sqlExec, vets } from './lib.mjs';

after(cleanup);

test('the demo gives 2023 the report\'s 62, 59 and 1,496, and plausible later years', async () => {
	const { db } = await demoStore();
	const n = (sql) => Number(sqlExec(db, sql).trim());
	const y23 = JSON.parse((await vets(['stats', 'care', '--year', '2023', '--db', db])).stdout);
	assert.equal(y23.regular_contacts, 62);
	assert.equal(y23.temporary_visits, 59);
	assert.equal(y23.holiday_visits, 1496);
	assert.equal(y23.overdue_contacts, 3);
	assert.equal(n("SELECT count(DISTINCT person_id) FROM care_contacts WHERE contacted_on BETWEEN '2023-01-01' AND '2023-12-31';"), 62);
	assert.equal(n("SELECT count(DISTINCT person_id) FROM care_visits WHERE kind = '困难走访' AND visited_on BETWEEN '2023-01-01' AND '2023-12-31';"), 59);
	assert.equal(n("SELECT count(*) FROM care_visits WHERE kind IN ('春节慰问', '八一慰问') AND visited_on BETWEEN '2023-01-01' AND '2023-12-31';"), 1496);
	const list = await vets(['stats', 'care', '--year', '2023', '--list', 'holiday_visits', '--db', db]);
	assert.equal(list.stdout.trim().split('\n').length, 1496);
	/* 2023's 春节 list visited whole */
	assert.equal(n("SELECT count(*) FROM care_campaign_people cp JOIN care_campaigns cc ON cc.id = cp.campaign_id WHERE cc.year = 2023 AND cc.holiday = '春节' AND NOT EXISTS (SELECT 1 FROM care_visits v WHERE v.campaign_id = cc.id AND v.person_id = cp.person_id);"), 0);
	/* every holiday visit went to a holder of a holiday category */
	assert.equal(n("SELECT count(*) FROM care_visits v WHERE v.kind <> '困难走访' AND NOT EXISTS (SELECT 1 FROM person_identities i WHERE i.person_id = v.person_id AND i.category IN ('烈士遗属', '因公牺牲军人遗属', '病故军人遗属', '烈士子女', '军人家属', '残疾军人', '在乡复员军人', '带病回乡退役军人', '参战退役军人', '参试退役军人', '年满60周岁农村籍退役士兵'));"), 0);
	const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
	for (let y = 2024; y < thisYear; y++) { /* whole years only: this year is still being written */
		const s = JSON.parse((await vets(['stats', 'care', '--year', String(y), '--db', db])).stdout);
		assert.ok(s.regular_contacts >= 50 && s.regular_contacts <= 100, `${y} regular_contacts ${s.regular_contacts}`);
		assert.ok(s.temporary_visits >= 30 && s.temporary_visits <= 80, `${y} temporary_visits ${s.temporary_visits}`);
		assert.ok(s.holiday_visits >= 1000 && s.holiday_visits <= 1700, `${y} holiday_visits ${s.holiday_visits}`);
	}
});
