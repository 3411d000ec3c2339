// employment_demo.test.mjs - the demo's 就业创业 for 2023, on the store `vets demo` builds:
// 7 fairs, 1,600–1,699 enterprises taking part, 44,000–46,000 positions (招聘人数), as the
// command line counts them and as SQL written here counts them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, demoStore, sqlExec, vets } from './lib.mjs';

after(cleanup);

test('the demo\'s 2023 employment figures are the issue\'s, on the command line and in SQL', async () => {
	const { db } = await demoStore();
	const one = (sql) => Number(sqlExec(db, sql).trim());
	const fin = `f.held_on >= '2023-01-01' AND f.held_on <= '2023-12-31'`;
	const sql = {
		job_fairs: one(`SELECT count(*) FROM employment_fairs f WHERE ${fin};`),
		enterprises: one(`SELECT count(DISTINCT fe.enterprise_id) FROM employment_fair_enterprises fe JOIN employment_fairs f ON f.id = fe.fair_id WHERE ${fin};`),
		positions: one(`SELECT coalesce(sum(p.headcount), 0) FROM employment_positions p JOIN employment_fairs f ON f.id = p.fair_id WHERE ${fin};`),
	};
	assert.equal(sql.job_fairs, 7);
	assert.ok(sql.enterprises >= 1600 && sql.enterprises <= 1699, `enterprises ${sql.enterprises}`);
	assert.ok(sql.positions >= 44000 && sql.positions <= 46000, `positions ${sql.positions}`);
	const r = await vets(['stats', 'employment', '--year', '2023', '--db', db]);
	assert.equal(r.code, 0, r.stderr);
	const cli = JSON.parse(r.stdout);
	for (const k of Object.keys(sql)) assert.equal(cli[k], sql[k], k);
});
