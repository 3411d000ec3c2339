// audit_archive.test.mjs - the audit retention (security policy, at least 6 months) and
// vets audit archive: records older than the retention go to a file that verifies on its
// own, and leave the database only then; vets audit verify walks on from the anchor; a
// second archive continues the first; a tampered file is caught; the database refuses a
// DELETE that no archive covers. Old records are written by commands run with VETS_FAKE_NOW.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
	Client,
	PASSWORD,
	Server,
	addUser,
	auditVerify,
	cleanup,
	copyDb,
	hasChinese,
	isPg,
	newStore,
	now,
	sqlExec,
	sqlRows,
	tempDir,
	vets,
} from './lib.mjs';

after(cleanup);

const DAY = 86400;
const env = {};

/** Midnight, Beijing time, of the day `months` months before today (as the retention counts). */
function cutoff(months) {
	const bj = new Date((now() + 8 * 3600) * 1000);
	let y = bj.getUTCFullYear();
	let m = bj.getUTCMonth() - months;
	while (m < 0) {
		m += 12;
		y--;
	}
	const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	const d = Math.min(bj.getUTCDate(), last);
	return Date.UTC(y, m, d) / 1000 - 8 * 3600;
}

const rows = (db) => sqlRows(db, 'SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY seq;');
const count = (db, sql) => Number(sqlExec(db, sql).trim());
const sm3 = (file) => createHash('sm3').update(readFileSync(file)).digest('hex');
const lines = (file) => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));

function archive(db, file, { as = 'ar_aud', input } = {}) {
	const args = ['audit', 'archive', '--to', file, '--db', db];
	if (as) args.push('--as', as, '--password-stdin');
	return vets(args, { input: input ?? (as ? PASSWORD + '\n' : '') });
}

before(async () => {
	env.dir = tempDir();
	env.db = newStore(env.dir);
	const old = String(now() - 400 * DAY);
	let r = await vets(['init', '--db', env.db], { env: { VETS_FAKE_NOW: old } });
	assert.equal(r.code, 0, r.stderr);
	/* Accounts made 400 days ago; one 200 days ago (older than 6 months, younger than 12). */
	for (const [name, role] of [
		['ar_old1', 'clerk'],
		['ar_old2', 'leader'],
		['ar_old3', 'clerk'],
	]) {
		r = await vets(['user', 'add', name, '--role', role, '--password-stdin', '--db', env.db], {
			input: PASSWORD + '\n',
			env: { VETS_FAKE_NOW: old },
		});
		assert.equal(r.code, 0, r.stderr);
	}
	r = await vets(['user', 'add', 'ar_mid', '--role', 'clerk', '--password-stdin', '--db', env.db], {
		input: PASSWORD + '\n',
		env: { VETS_FAKE_NOW: String(now() - 200 * DAY) },
	});
	assert.equal(r.code, 0, r.stderr);
	/* today: those who act (a password set 400 days ago would have expired) */
	for (const [name, role] of [
		['ar_aud', 'auditor'],
		['ar_sec', 'secadmin'],
		['ar_clerk', 'clerk'],
	])
		await addUser(env.db, name, role);
	env.server = await Server.start(env.db);
});

test('the policy page shows the retention; under 6 months is refused in Chinese, nothing saved', async () => {
	const sec = new Client(env.server);
	await sec.signIn('ar_sec');
	const page = await sec.get('/policy');
	assert.equal(page.status, 200);
	assert.match(page.body, /审计记录保留期（月）/);
	assert.match(page.body, /name="audit_months" value="12"/);
	const form = { min_length: 8, expiry_days: 90, history: 5, max_failures: 5, lock_minutes: 30, idle_minutes: 30, max_sessions: 3, session_hours: 12 };
	const before_ = count(env.db, "SELECT count(*) FROM audit_log WHERE action = 'policy.update';");
	for (const months of [5, 0, 1]) {
		const shown = await sec.refused(await sec.postForm('/policy', { ...form, audit_months: months }));
		assert.match(shown.body, /审计记录保留期（月）不能少于 6：等级保护要求审计记录至少保存 6 个月/);
	}
	const over = await sec.refused(await sec.postForm('/policy', { ...form, audit_months: 601 }));
	assert.match(over.body, /审计记录保留期（月）应在 6 到 600 之间/);
	assert.equal(count(env.db, "SELECT count(*) FROM settings WHERE key = 'policy.audit_months';"), 0);
	assert.equal(count(env.db, "SELECT count(*) FROM audit_log WHERE action = 'policy.update';"), before_);
	/* 12 saved explicitly: stored and audited with the other values */
	assert.equal((await sec.postForm('/policy', { ...form, audit_months: 12 })).status, 303);
	assert.equal(sqlExec(env.db, "SELECT value FROM settings WHERE key = 'policy.audit_months';").trim(), '12');
	const detail = sqlExec(env.db, "SELECT detail FROM audit_log WHERE action = 'policy.update' ORDER BY seq DESC LIMIT 1;");
	assert.match(detail, /审计记录保留 12 个月/);
});

test('bad input: no --to, an existing file, a missing directory, not an auditor, a broken chain — refused, nothing changed', async () => {
	const n = count(env.db, 'SELECT count(*) FROM audit_log;');
	let r = await vets(['audit', 'archive', '--db', env.db]);
	assert.equal(r.code, 2);
	assert.ok(hasChinese(r.stderr), r.stderr);
	const existing = path.join(env.dir, 'existing.jsonl');
	writeFileSync(existing, 'keep me\n');
	r = await archive(env.db, existing);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, /文件已存在/);
	assert.equal(readFileSync(existing, 'utf8'), 'keep me\n');
	r = await archive(env.db, path.join(env.dir, 'no', 'such', 'dir.jsonl'));
	assert.equal(r.code, 1);
	assert.match(r.stderr, /目录不存在/);
	r = await archive(env.db, path.join(env.dir, 'by-sec.jsonl'), { as: 'ar_sec' });
	assert.equal(r.code, 1);
	assert.match(r.stderr, /审计管理员/);
	assert.ok(!existsSync(path.join(env.dir, 'by-sec.jsonl')));
	/* the sign-in of the refused attempts is audited, nothing else: no record left the log */
	assert.equal(count(env.db, "SELECT count(*) FROM audit_log WHERE action <> 'login' AND action <> 'logout';") <= n, true);
	assert.equal(count(env.db, 'SELECT min(seq) FROM audit_log;'), 1);
	assert.equal(count(env.db, 'SELECT count(*) FROM audit_archives;'), 0);
	/* a chain that does not verify is never archived */
	const bad = copyDb(env.db);
	sqlExec(bad, `DROP TRIGGER audit_log_no_update${isPg(bad) ? ' ON audit_log' : ''}; UPDATE audit_log SET detail = 'x' WHERE seq = 2;`);
	const file = path.join(env.dir, 'broken.jsonl');
	r = await archive(bad, file);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, /校验未通过，未归档/);
	assert.ok(!existsSync(file));
	assert.equal(count(bad, 'SELECT min(seq) FROM audit_log;'), 1);
});

test('archive: the records older than 12 months go to the file, verified, then leave the database', async () => {
	const all = rows(env.db);
	const young = all.find((x) => x.at >= cutoff(12));
	const last = young.seq - 1;
	assert.ok(last >= 5, `too few old records: ${last}`);
	const old = all.filter((x) => x.seq <= last);
	assert.ok(old.every((x) => x.at < cutoff(12)));
	env.file1 = path.join(env.dir, 'audit-1.jsonl');
	/* while the server runs and writes */
	const clerk = new Client(env.server);
	await clerk.signIn('ar_clerk');
	const r = await archive(env.db, env.file1);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, new RegExp(`已归档第 1–${last} 条审计记录（共 ${last} 条`));
	/* the file: header, each record as it was, trailer */
	const f = lines(env.file1);
	assert.equal(f.length, last + 2);
	assert.deepEqual([f[0].vets_audit_archive, f[0].first_seq, f[0].last_seq, f[0].records, f[0].retention_months], [1, 1, last, last, 12]);
	assert.equal(f[0].prev_hash, '0'.repeat(64));
	for (let i = 0; i < last; i++) {
		const rec = f[i + 1];
		for (const k of ['seq', 'at', 'actor', 'action', 'detail', 'prev_hash', 'hash']) assert.equal(rec[k], old[i][k], `record ${i + 1} ${k}`);
	}
	assert.deepEqual([f[last + 1].end, f[last + 1].last_seq, f[last + 1].records, f[last + 1].last_hash], [true, last, last, old[last - 1].hash]);
	/* the database: the records gone, the anchor, the audit.archive record */
	assert.equal(count(env.db, `SELECT count(*) FROM audit_log WHERE seq <= ${last};`), 0);
	assert.equal(count(env.db, 'SELECT min(seq) FROM audit_log;'), last + 1);
	const [a] = sqlRows(env.db, 'SELECT first_seq, last_seq, records, last_hash, file_name, file_sm3, record_seq, actor FROM audit_archives;');
	assert.deepEqual(
		{ ...a },
		{ first_seq: 1, last_seq: last, records: last, last_hash: old[last - 1].hash, file_name: env.file1, file_sm3: sm3(env.file1), record_seq: a.record_seq, actor: 'ar_aud' },
	);
	const [rec] = sqlRows(env.db, `SELECT action, actor, detail FROM audit_log WHERE seq = ${a.record_seq};`);
	assert.equal(rec.action, 'audit.archive');
	assert.equal(rec.actor, 'ar_aud');
	assert.ok(rec.detail.includes(env.file1) && rec.detail.includes(sm3(env.file1)) && rec.detail.includes(`第 1–${last} 条`), rec.detail);
	/* verify: from the anchor on, and the file on its own */
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, new RegExp(`共 ${count(env.db, 'SELECT count(*) FROM audit_log;')} 条记录`));
	assert.match(v.stdout, new RegExp(`第 1–${last} 条已归档`));
	const va = await vets(['audit', 'verify', '--archive', env.file1, '--db', env.db]);
	assert.equal(va.code, 0, va.stderr);
	assert.match(va.stdout, new RegExp(`第 1–${last} 条审计记录，共 ${last} 条`));
	assert.match(va.stdout, /与数据库记下的归档一致/);
	/* the server kept serving and writing on the shortened chain */
	assert.equal((await clerk.get('/api/v1/me')).status, 200);
	const again = new Client(env.server);
	await again.signIn('ar_clerk');
	assert.equal((await auditVerify(env.db)).code, 0);
	env.last1 = last;
	env.hash1 = old[last - 1].hash;
	/* nothing more is old enough: no file */
	const none = path.join(env.dir, 'none.jsonl');
	const r2 = await archive(env.db, none);
	assert.equal(r2.code, 0, r2.stderr);
	assert.match(r2.stdout, /没有早于 .* 的审计记录/);
	assert.ok(!existsSync(none));
});

test('a second archive (retention now 6 months) continues from the anchor', async () => {
	const sec = new Client(env.server);
	await sec.signIn('ar_sec');
	const form = { min_length: 8, expiry_days: 90, history: 5, max_failures: 5, lock_minutes: 30, idle_minutes: 30, max_sessions: 3, session_hours: 12, audit_months: 6 };
	assert.equal((await sec.postForm('/policy', form)).status, 303);
	const all = rows(env.db);
	const last = all.find((x) => x.at >= cutoff(6)).seq - 1;
	assert.ok(last > env.last1, 'the record of 200 days ago is older than 6 months');
	assert.ok(all.some((x) => x.seq <= last && x.detail.includes('ar_mid')));
	env.file2 = path.join(env.dir, 'audit-2.jsonl');
	const r = await archive(env.db, env.file2);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const f = lines(env.file2);
	assert.deepEqual([f[0].first_seq, f[0].last_seq, f[0].prev_hash, f[0].retention_months], [env.last1 + 1, last, env.hash1, 6]);
	assert.equal(f[1].prev_hash, env.hash1);
	assert.equal(f.length, last - env.last1 + 2);
	assert.equal(count(env.db, 'SELECT min(seq) FROM audit_log;'), last + 1);
	const anchors = sqlRows(env.db, 'SELECT first_seq, last_seq FROM audit_archives ORDER BY last_seq;');
	assert.deepEqual(anchors.map((x) => [x.first_seq, x.last_seq]), [
		[1, env.last1],
		[env.last1 + 1, last],
	]);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, new RegExp(`第 1–${last} 条已归档`));
	for (const file of [env.file1, env.file2]) {
		const va = await vets(['audit', 'verify', '--archive', file, '--db', env.db]);
		assert.equal(va.code, 0, va.stderr);
		assert.match(va.stdout, /与数据库记下的归档一致/);
	}
	/* the key file alone (no database beside it) verifies a file too */
	const lone = await vets(['audit', 'verify', '--archive', env.file2, '--db', path.join(env.dir, 'gone.db'), '--key-file', isPg(env.db) ? path.join(env.dir, 'vets.key') : `${env.db}.key`]);
	assert.equal(lone.code, 0, lone.stderr);
	assert.doesNotMatch(lone.stdout, /数据库/);
	env.last2 = last;
});

test('a tampered, cut or foreign archive file is detected', async () => {
	const f = readFileSync(env.file1, 'utf8').trimEnd().split('\n');
	const keyArgs = ['--db', env.db];
	const check = async (name, text, pattern) => {
		const file = path.join(env.dir, name);
		writeFileSync(file, text);
		const r = await vets(['audit', 'verify', '--archive', file, ...keyArgs]);
		assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, pattern, name);
		assert.ok(hasChinese(r.stderr));
	};
	/* a detail edited */
	const edited = JSON.parse(f[1]);
	edited.detail += '（改）';
	await check('edited.jsonl', [f[0], JSON.stringify(edited), ...f.slice(2)].join('\n') + '\n', /内容被篡改/);
	/* a record removed from the middle */
	if (f.length > 4) await check('gap.jsonl', [f[0], f[1], ...f.slice(3)].join('\n') + '\n', /实为第|链接断开/);
	/* the trailer cut off */
	await check('cut.jsonl', f.slice(0, -1).join('\n') + '\n', /没有结尾行/);
	/* the last record dropped and both ends rewritten to match: the MAC does not */
	const head = JSON.parse(f[0]);
	const lastRec = JSON.parse(f[f.length - 3]);
	const trailer = JSON.parse(f[f.length - 1]);
	head.last_seq -= 1;
	head.records -= 1;
	Object.assign(trailer, { last_seq: head.last_seq, records: head.records, last_hash: lastRec.hash });
	await check('forged.jsonl', [JSON.stringify(head), ...f.slice(1, -2), JSON.stringify(trailer)].join('\n') + '\n', /首尾校验码不符/);
	/* a line after the end, another program's file, an empty file */
	await check('extra.jsonl', f.join('\n') + '\n{"seq":99}\n', /结尾行之后/);
	await check('foreign.jsonl', 'id,name\n1,x\n', /不是/);
	await check('empty.jsonl', '', /空文件/);
	/* and the database's own chain is untouched by all this */
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('the database refuses a DELETE no archive covers, and changes to the anchors; a forged anchor fails verify', async () => {
	await env.server.stop();
	const newest = count(env.db, 'SELECT max(seq) FROM audit_log;');
	const db = copyDb(env.db);
	assert.throws(() => sqlExec(db, `DELETE FROM audit_log WHERE seq = ${newest};`), /append-only/);
	assert.throws(() => sqlExec(db, `DELETE FROM audit_log WHERE seq = ${env.last2 + 1};`), /append-only/);
	assert.throws(() => sqlExec(db, 'DELETE FROM audit_archives;'), /append-only/);
	assert.throws(() => sqlExec(db, `UPDATE audit_archives SET last_seq = ${newest} WHERE last_seq = ${env.last2};`), /append-only/);
	assert.equal(count(db, 'SELECT count(*) FROM audit_log;'), count(env.db, 'SELECT count(*) FROM audit_log;'));
	/* someone without the key writes an anchor over the next two records, then deletes them: the
	 * trigger lets the covered records go, but the chain has no audit.archive record saying so */
	const [h] = sqlRows(db, `SELECT hash FROM audit_log WHERE seq = ${env.last2 + 2};`);
	sqlExec(
		db,
		`INSERT INTO audit_archives (id, first_seq, last_seq, last_hash, records, file_name, file_sm3, record_seq, at, actor) VALUES (99, ${env.last2 + 1}, ${env.last2 + 2}, '${h.hash}', 2, '/tmp/x', '${'0'.repeat(64)}', ${newest}, ${now()}, 'ar_aud');
		 DELETE FROM audit_log WHERE seq BETWEEN ${env.last2 + 1} AND ${env.last2 + 2};`,
	);
	const v = await auditVerify(db);
	assert.equal(v.code, 1, v.stdout + v.stderr);
	assert.match(v.stderr, /归档表被改动/);
	/* the original verifies */
	assert.equal((await auditVerify(env.db)).code, 0);
});

test('after a key rotation: old-generation records archive and verify under their own key (the key history)', async () => {
	const dir = tempDir();
	const db = newStore(dir);
	const old = String(now() - 400 * DAY);
	let r = await vets(['init', '--db', db], { env: { VETS_FAKE_NOW: old } });
	assert.equal(r.code, 0, r.stderr);
	r = await vets(['user', 'add', 'kr_old', '--role', 'clerk', '--password-stdin', '--db', db], { input: PASSWORD + '\n', env: { VETS_FAKE_NOW: old } });
	assert.equal(r.code, 0, r.stderr);
	const before_ = rows(db);
	r = await vets(['key', 'rotate', '--db', db]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const file = path.join(dir, 'rotated.jsonl');
	r = await archive(db, file, { as: null });
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const f = lines(file);
	assert.equal(f[0].last_seq, before_.length);
	assert.deepEqual(
		f.slice(1, -1).map((x) => x.hash),
		before_.map((x) => x.hash),
	);
	assert.equal((await auditVerify(db)).code, 0);
	const v = await vets(['audit', 'verify', '--archive', file, '--db', db]);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, /与数据库记下的归档一致/);
	/* the new key file alone does not hold the retired generation's audit key */
	const lone = await vets(['audit', 'verify', '--archive', file, '--db', path.join(dir, 'gone.db'), '--key-file', isPg(db) ? path.join(dir, 'vets.key') : `${db}.key`]);
	assert.equal(lone.code, 1, lone.stdout + lone.stderr);
	assert.match(lone.stderr, /密钥/);
});
