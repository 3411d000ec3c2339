// shuangyong_pufa_demo.test.mjs - the demo's 双拥 and 普法 give the seed's 2023: 16 activities
// and 19 news reports; 普法 events on the fixed days, 3,000 brochures and more, every staff
// member (each account and the named members) sat the exam and was excellent (参考率 and 优秀率
// 100%); and plausible later years. Counted by vets stats and by SQL here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, demoStore, sqlExec, vets } from './lib.mjs';

after(cleanup);

test("the demo's 2023 is the seed's, and later years are plausible", async () => {
	const { db } = await demoStore();
	const stats = async (area, year) => {
		const r = await vets(['stats', area, '--year', String(year), '--db', db]);
		assert.equal(r.code, 0, r.stderr);
		return JSON.parse(r.stdout);
	};
	const sy = await stats('shuangyong', 2023);
	assert.equal(sy.shuangyong_activities, 16);
	assert.equal(sy.shuangyong_news, 19);
	const pf = await stats('pufa', 2023);
	assert.ok(pf.brochures >= 3000, `brochures ${pf.brochures}`);
	assert.equal(pf.exam_participation_rate, 100);
	assert.equal(pf.exam_excellence_rate, 100);
	const accounts = Number(sqlExec(db, 'SELECT count(*) FROM users WHERE disabled = 0;').trim());
	assert.equal(pf.exam_should, accounts + 6, 'every account and the six named members');
	assert.equal(pf.exam_took, pf.exam_should);
	assert.equal(pf.exam_excellent, pf.exam_should);
	/* The fixed days each have their event. */
	const days = sqlExec(db, "SELECT held_on FROM pufa_events WHERE held_on >= '2023-01-01' AND held_on <= '2023-12-31' ORDER BY held_on;").trim().split('\n');
	for (const d of ['2023-04-05', '2023-08-01', '2023-09-30', '2023-12-04']) assert.ok(days.includes(d), d);
	assert.equal(pf.pufa_events, days.length);
	for (const year of [2024, 2025]) {
		const s = await stats('shuangyong', year);
		assert.ok(s.shuangyong_activities >= 12 && s.shuangyong_activities <= 18, `${year} activities ${s.shuangyong_activities}`);
		assert.ok(s.shuangyong_news >= s.shuangyong_activities, `${year} reports`);
		const p = await stats('pufa', year);
		assert.ok(p.brochures >= 2500 && p.pufa_events >= 4, `${year} 普法`);
		assert.ok(p.exam_participation_rate >= 80 && p.exam_excellence_rate >= 50, `${year} rates ${p.exam_participation_rate} ${p.exam_excellence_rate}`);
	}
});
