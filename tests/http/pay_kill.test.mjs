// pay_kill.test.mjs - a batch generation killed with SIGKILL at many moments leaves
// either no batch or the whole batch, and running it again then gives exactly the
// lines of an uninterrupted run; a second generation of the same period is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, SLOW, blobSql, cleanup, copyDb, importRegions, initDb, isPg, sqlExec, storeEnv, vets } from './lib.mjs';

after(cleanup);

const PEOPLE = 60000;

/* A district with PEOPLE entitled to 定期生活补助, written straight into the tables
 * (the registry's checks are not what this test is about), a standard in force, and
 * earlier batches so that the new one also pays a failed line again. */
async function world() {
	const { db } = await initDb();
	await importRegions(db);
	const bidx = isPg(db) ? "lpad(CAST(i AS TEXT), 64, '0')" : "printf('%064d', i)";
	sqlExec(
		db,
		`BEGIN;
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PEOPLE})
		INSERT INTO persons (id, region_code, name, id_enc, id_bidx, id_mask, sex, birth_date,
			street_code, status, created_at, updated_at, account_enc)
		SELECT i, '420199001', '测试' || i, ${blobSql(db, '00')}, ${bidx}, '420106********0000', '男',
			'1930-01-01', '420199001', '在册', 0, 0, ${blobSql(db, '00')} FROM n;
		INSERT INTO person_identities (person_id, region_code, category)
			SELECT id, region_code, '在乡复员军人' FROM persons;
		INSERT INTO benefit_standards (benefit_code, category, effective_from, national_fen, local_fen,
			status, approved_seq, proposed_name, proposed_at, decided_name, region_code)
			VALUES ('LIVING', '在乡复员军人', '2025-01-01', 600000, 60000, '已生效', 1, 'a', 0, 'b', '420199');
		INSERT INTO entitlements (person_id, benefit_code, region_code, category, start_month, status,
			created_at, confirmed_at)
			SELECT id, 'LIVING', region_code, '在乡复员军人', '2025-06', '正常', 0, 0 FROM persons;
		INSERT INTO pay_batches (period, benefit_code, status, lines, through, created_at, created_name,
			region_code) VALUES ('2025-12', 'LIVING', '已审批', 1, '2025-12', 0, 'a', '420199');
		INSERT INTO pay_lines (batch_id, entitlement_id, person_id, benefit_code, month, kind,
			standard_id, amount_fen, status, fail_reason, region_code, street_code)
			VALUES (1, 7, 7, 'LIVING', '2025-12', 'regular', 1, 55000, '失败', '账户冻结', '420199001', '420199001');
		COMMIT;`,
	);
	return db;
}

/* What a finished generation wrote: batches and a digest of every line. */
function figures(db) {
	return sqlExec(
		db,
		`SELECT count(*), coalesce(sum(lines), 0), coalesce(sum(amount_fen), 0) FROM pay_batches WHERE period = '2026-01';
		SELECT count(*), sum(amount_fen), sum(entitlement_id * 7 + amount_fen * 3 + CAST(substr(month, 6) AS INTEGER)),
			count(reissue_of) FROM pay_lines WHERE batch_id > 1;
		${isPg(db) ? "SELECT 'ok';" : 'PRAGMA integrity_check;'}`,
	);
}

const generate = (db) => vets(['pay', 'generate', '--period', '2026-01', '--benefit', 'LIVING', '--db', db]);

test('a generation killed at any moment leaves no batch or the whole one; a rerun gives the same lines', async () => {
	const base = await world();
	const reference = copyDb(base);
	const done = await generate(reference);
	assert.equal(done.code, 0, done.stderr);
	assert.match(done.stdout, new RegExp(`2026-01 定期生活补助，${PEOPLE + 1} 笔，${((PEOPLE * 55000 + 55000) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`));
	const want = figures(reference);
	assert.match(want, /^1\|60001\|3300055000\n60001\|3300055000\|\d+\|1\nok\n$/);

	const again = await generate(reference);
	assert.equal(again.code, 1);
	assert.match(again.stderr, /已经生成过批次/);
	assert.equal(figures(reference), want);

	let interrupted = 0;
	for (const ms of [0, 10, 30, 60, 100, 160, 250, 400, 600, 900]) {
		const db = copyDb(base);
		const child = spawn(BIN, ['pay', 'generate', '--period', '2026-01', '--benefit', 'LIVING', '--db', db], {
			env: { ...process.env, ...storeEnv(db) },
			stdio: 'ignore',
		});
		const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal)));
		await new Promise((r) => setTimeout(r, ms * SLOW));
		child.kill('SIGKILL');
		if ((await exited) === 'SIGKILL') interrupted++;
		const after = sqlExec(db, "SELECT count(*), coalesce(sum(lines), 0) FROM pay_batches WHERE period = '2026-01';").trim();
		assert.ok(after === '0|0' || after === `1|${PEOPLE + 1}`, `after a kill at ${ms} ms: ${after}`);
		if (after === '0|0') {
			const rerun = await generate(db);
			assert.equal(rerun.code, 0, `rerun after ${ms} ms: ${rerun.stderr}`);
		}
		assert.equal(figures(db), want, `figures after a kill at ${ms} ms`);
	}
	assert.ok(interrupted >= 3, `only ${interrupted} runs were killed before they ended`);
});
