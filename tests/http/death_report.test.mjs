// death_report.test.mjs - 死亡上报: a station reports a death of its street with the death
// certificate; the bureau's clerk sees it waiting (with the count in the navigation), opens
// the certificate, and accepts it (the death is recorded, the benefits end) or returns it
// with a reason the station then reads. The certificate must be a PDF, JPEG or PNG by its
// content, not its name, of at most 5 MiB; it is kept outside the database, in
// <db>.files/ (0700), as a file named by a random id (0600), and only its id, type, size,
// SM3 hash and original name are in the database. A person outside the station's street
// is "not found"; a second report waiting for the same person is refused; a station can
// neither accept nor return, nor record a death through the status form. The tests build
// on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { Client, addUser, assertApiError, auditVerify, cleanup, idNumber, importRegions, initDb, Server, filesDir, sqlExec, storeBytes, storeHolds, tempDir } from './lib.mjs';

let env;
const c = {};
const ids = {};

/* A small but real PDF and PNG (by their first bytes); the PDF carries a marker to look for. */
const MARKER = 'certificate-marker-7f3a91';
const PDF = Buffer.from(`%PDF-1.4\n% ${MARKER}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000dIHDR-png-body')]);

/** A multipart POST of fields and an optional file "file" {name, type, data}, with the CSRF token. */
function post(client, urlPath, fields, file) {
	const boundary = '----vetsDeath' + Math.random().toString(16).slice(2);
	const parts = [];
	for (const [k, v] of Object.entries({ csrf: client.csrf, ...fields }))
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
	if (file)
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
			file.data,
			Buffer.from('\r\n'),
		);
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return client.request('POST', urlPath, {
		body: Buffer.concat(parts),
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'X-CSRF-Token': client.csrf },
	});
}

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

const FILES = () => filesDir(env.db);
const files = () => (existsSync(FILES()) ? readdirSync(FILES()).sort() : []);
const reports = () => sqlExec(env.db, 'SELECT id, person_id, status FROM death_reports ORDER BY id;');

before(async () => {
	const { db } = await initDb();
	await importRegions(db);
	await Promise.all([
		addUser(db, 'dr_clerk', 'clerk', { org: '420199' }),
		addUser(db, 'dr_st', 'station', { org: '420199002', displayName: '长青站甲' }),
		addUser(db, 'dr_st2', 'station', { org: '420199002' }),
		addUser(db, 'dr_other', 'station', { org: '420199001' }),
	]);
	env = { db, server: await Server.start(db) };
	for (const u of ['clerk', 'st', 'st2', 'other']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`dr_${u}`);
	}
	for (const [name, street, n] of [['甲', '长青街道', '101'], ['乙', '东湖街道', '102'], ['丙', '长青街道', '103'], ['丁', '长青街道', '104']]) {
		const r = await api(c.clerk, 'POST', '/api/v1/persons', { name, id_number: idNumber(`42010619500101${n}`), categories: '烈士遗属', street });
		assert.equal(r.status, 201, `${r}`);
		ids[name] = r.json.id;
	}
	sqlExec(db, `INSERT INTO entitlements (person_id, benefit_code, region_code, category, start_month, status, created_at, confirmed_at)
		SELECT id, 'SURVIVOR', region_code, '烈士遗属', '2024-01', '正常', 0, 0 FROM persons WHERE id = ${ids['甲']};`);
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

const REPORT = { date: '2025-10-08', cause: '因病', note: '家属到站报告' };

test('a certificate is checked by its content and size, not its name; a refusal keeps nothing', async () => {
	const person = ids['甲'];
	const cases = [
		[{ name: '死亡证明.pdf', type: 'application/pdf', data: Buffer.from('这其实是一段文字，不是 PDF\n') }, /只接受 PDF、JPG 或 PNG 文件/],
		[{ name: 'scan.png', type: 'image/png', data: Buffer.from('GIF89a....') }, /只接受 PDF、JPG 或 PNG 文件/],
		[{ name: 'big.pdf', type: 'application/pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024 - 8, 0x20)]) }, /文件不能超过 5 MB/],
		[undefined, /请上传死亡证明/],
	];
	for (const [file, message] of cases) {
		const r = await post(c.st, '/api/v1/death-reports', { person, ...REPORT }, file);
		const err = assertApiError(r, 400);
		assert.ok(err.fields.some((f) => f.field === '死亡证明' && message.test(f.message)), `${file?.name}: ${r}`);
	}
	/* the page answers the same on the form (back to it: POST/redirect/GET), and keeps what was typed */
	const page = await c.st.refused(await post(c.st, '/death-reports', { person, ...REPORT }, { name: '死亡证明.pdf', type: 'application/pdf', data: Buffer.from('plain text') }));
	assert.match(page.body, /<a href="#f-死亡证明">死亡证明<\/a>：只接受 PDF、JPG 或 PNG 文件/);
	assert.match(page.body, /id="report-date" name="date" value="2025-10-08"/);
	assert.match(page.body, /id="report-file"[^>]*aria-invalid="true"/);
	/* other fields are checked too */
	const bad = await post(c.st, '/api/v1/death-reports', { person, date: '2099-01-01', cause: '' }, { name: 'a.pdf', type: 'application/pdf', data: PDF });
	const err = assertApiError(bad, 400);
	assert.deepEqual(err.fields.map((f) => f.field), ['死亡日期', '死亡原因']);
	assert.equal(reports(), '');
	assert.deepEqual(files(), []);
});

test('a refused report answers 303 to its form, which shows what was typed, says the file was not kept, and again on a refresh', async () => {
	const person = ids['甲'];
	const r = await post(c.st, '/death-reports', { person, date: '2025-10-08', cause: '因病', note: '家属口述，证明待补' }, { name: 'big.pdf', type: 'application/pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024 - 8, 0x20)]) });
	assert.equal(r.status, 303, `${r}`);
	const location = r.headers.location;
	assert.match(location, new RegExp(`^/death-reports/new\\?person=${person}&form=[0-9a-f]{32}$`));
	assert.ok(!location.includes(encodeURIComponent('家属')), 'nothing typed travels in the URL');
	for (const round of ['after the refusal', 'on a refresh']) {
		const page = await c.st.get(location);
		assert.equal(page.status, 200, `${round}: ${page}`);
		assert.match(page.body, /未保存，请修改以下 1 处后再提交：/, round);
		assert.match(page.body, /<a href="#f-死亡证明">死亡证明<\/a>：文件不能超过 5 MB/, round);
		assert.ok(page.body.includes('id="f-死亡证明"'), `${round}: the summary links to the field`);
		assert.match(page.body, /id="report-date" name="date" value="2025-10-08"/, round);
		assert.match(page.body, /<option value="因病" selected>/, round);
		assert.match(page.body, />家属口述，证明待补<\/textarea>/, round);
		assert.match(page.body, /所选的死亡证明文件没有保存，请重新选择文件后再上报/, `${round}: the file is not kept, and the form says so`);
		assert.equal(reports(), '', `${round}: nothing sent`);
		assert.deepEqual(files(), []);
	}
	/* the form without a kept refusal is empty */
	const plain = await c.st.get(`/death-reports/new?person=${person}`);
	assert.doesNotMatch(plain.body, /家属口述|没有保存|未保存/);
});

test("a person outside the station's street is not found, and nothing is kept", async () => {
	for (const data of [PDF, Buffer.from('text')]) {
		const r = await post(c.st, '/api/v1/death-reports', { person: ids['乙'], ...REPORT }, { name: 'a.pdf', type: 'application/pdf', data });
		const err = assertApiError(r, 404);
		assert.equal(err.fields, undefined, 'nothing about the person or the file');
	}
	assert.equal((await c.st.get(`/death-reports/new?person=${ids['乙']}`)).status, 404);
	assert.equal(reports(), '');
	assert.deepEqual(files(), []);
});

test('a station records no death itself: the status form sends it to the report', async () => {
	const person = ids['丁'];
	const before_ = sqlExec(env.db, `SELECT status, status_date FROM persons WHERE id = ${person}; SELECT count(*) FROM audit_log;`);
	const page = await c.st.refused(await c.st.postForm(`/persons/${person}/status`, { status: '死亡', date: '2025-10-08', reason: '病故', cause: '因病', confirm: '1' }));
	assert.match(page.body, /状态<\/a>：服务站不能直接登记死亡：请在人员页点“上报死亡”并附死亡证明/);
	const r = await api(c.st, 'POST', `/api/v1/persons/${person}/status`, { status: '死亡', date: '2025-10-08', reason: '病故', cause: '因病' });
	const err = assertApiError(r, 400);
	assert.ok(err.fields.some((f) => f.field === '状态' && /上报死亡/.test(f.message)), `${r}`);
	assert.equal(sqlExec(env.db, `SELECT status, status_date FROM persons WHERE id = ${person}; SELECT count(*) FROM audit_log;`), before_);
	/* outside its street it is still only "not found" */
	assertApiError(await api(c.st, 'POST', `/api/v1/persons/${ids['乙']}/status`, { status: '死亡', date: '2025-10-08', reason: '病故' }), 404);
});

test('a report is kept with its certificate on disk outside the database, and waits for the bureau', async () => {
	const person = ids['甲'];
	const form = await c.st.get(`/persons/${person}`);
	assert.match(form.body, new RegExp(`href="/death-reports/new\\?person=${person}">上报死亡`));
	const r = await post(c.st, '/death-reports', { person, ...REPORT }, { name: '../../甲的死亡证明.pdf', type: 'application/octet-stream', data: PDF });
	assert.equal(r.status, 303, `${r}`);
	const id = Number(r.headers.location.split('/').pop());
	const [row] = sqlExec(env.db, `SELECT status, death_date, cause, note, file_id, file_type, file_size, file_sm3, file_name FROM death_reports WHERE id = ${id};`).trim().split('\n');
	const [status, date, cause, note, fileId, type, size, sm3, name] = row.split('|');
	assert.deepEqual([status, date, cause, note, type, Number(size), name], ['待核查', '2025-10-08', '因病', '家属到站报告', 'application/pdf', PDF.length, '../../甲的死亡证明.pdf']);
	assert.match(fileId, /^[0-9a-f]{32}$/, 'named by a random id, never by the name sent');
	assert.deepEqual(files(), [fileId]);
	assert.equal(statSync(FILES()).mode & 0o777, 0o700);
	assert.equal(statSync(`${FILES()}/${fileId}`).mode & 0o777, 0o600);
	assert.deepEqual(readFileSync(`${FILES()}/${fileId}`), PDF);
	assert.equal(sm3, createHash('sm3').update(PDF).digest('hex'));
	/* the certificate's bytes are not in the database (nor its journal) */
	for (const { what, bytes } of storeBytes(env.db)) assert.ok(!storeHolds(env.db, bytes, Buffer.from(MARKER)), `${what} holds the certificate`);
	/* a second report waiting for the same person is refused */
	const again = await post(c.st2, '/api/v1/death-reports', { person, ...REPORT }, { name: 'b.pdf', type: 'application/pdf', data: PDF });
	const err = assertApiError(again, 409);
	assert.match(err.message, /已有一份死亡上报在等待区局核查/);
	assert.equal(files().length, 1, 'the refused file is not kept');
	ids.report = id;
});

test('the bureau sees the waiting report, with the count in the navigation, and its certificate; outsiders do not', async () => {
	const id = ids.report;
	const home = await c.clerk.get('/death-reports');
	assert.equal(home.status, 200);
	assert.match(home.body, /href="\/death-reports" class="active" aria-current="page">死亡上报 <span[^>]*>1<\/span>/);
	assert.match(home.body, /等待核查 <strong>1<\/strong> 份/);
	const cert = await c.clerk.get(`/death-reports/${id}/certificate`);
	assert.equal(cert.status, 200);
	assert.equal(cert.headers['content-type'], 'application/pdf');
	assert.equal(cert.headers['content-disposition'], `attachment; filename="death-certificate-${id}.pdf"`);
	assert.equal(cert.headers['x-content-type-options'], 'nosniff');
	assert.equal(cert.body, PDF.toString('utf8'));
	assert.equal(sqlExec(env.db, `SELECT actor || ' ' || object FROM audit_log WHERE action = 'death_report.view';`).trim(), `dr_clerk death_report:${id}`);
	/* the other station of the street sees it; a station of another street does not */
	assert.equal((await c.st2.get(`/death-reports/${id}/certificate`)).status, 200);
	for (const p of [`/death-reports/${id}`, `/death-reports/${id}/certificate`, `/api/v1/death-reports/${id}`])
		assert.equal((await c.other.get(p)).status, 404, p);
	assert.doesNotMatch((await c.other.get('/death-reports')).body, /甲/);
	/* a station sees no count: it has nothing to check */
	assert.doesNotMatch((await c.st.get('/death-reports')).body, /死亡上报 <span/);
});

test('a station cannot check a report; the clerk returns it with a reason the station reads', async () => {
	const id = ids.report;
	assert.equal((await c.st.postForm(`/death-reports/${id}/accept`, { confirm: '1' })).status, 403);
	assert.equal((await api(c.st, 'POST', `/api/v1/death-reports/${id}/return`, { reason: 'x' })).status, 403);
	const none = await api(c.clerk, 'POST', `/api/v1/death-reports/${id}/return`, { reason: '  ' });
	const err = assertApiError(none, 400);
	assert.equal(err.fields[0].field, '退回原因');
	const empty = await c.clerk.refused(await c.clerk.postForm(`/death-reports/${id}/return`, { reason: ' ' }));
	assert.match(empty.body, /<a href="#f-退回原因">退回原因<\/a>：/);
	assert.match(empty.body, /id="return-reason"[^>]*aria-invalid="true"/);
	assert.equal(sqlExec(env.db, `SELECT status FROM death_reports WHERE id = ${id};`).trim(), '待核查');
	const r = await c.clerk.postForm(`/death-reports/${id}/return`, { reason: '死亡证明不清晰，请重新上传' });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(sqlExec(env.db, `SELECT status, return_reason FROM death_reports WHERE id = ${id};`).trim(), '已退回|死亡证明不清晰，请重新上传');
	assert.match((await c.st.get(`/death-reports/${id}`)).body, /区局已退回：死亡证明不清晰，请重新上传/);
	assert.equal(sqlExec(env.db, `SELECT status FROM persons WHERE id = ${ids['甲']};`).trim(), '在册');
	const twice = await api(c.clerk, 'POST', `/api/v1/death-reports/${id}/accept`, {});
	assertApiError(twice, 409);
});

test('accepted, the death is recorded through the death form\'s path in the same step', async () => {
	const r = await post(c.st, '/api/v1/death-reports', { person: ids['甲'], ...REPORT }, { name: 'scan.png', type: 'image/png', data: PNG });
	assert.equal(r.status, 201, `${r}`);
	const id = r.json.id;
	assert.equal(r.json.status, '待核查');
	const img = await c.clerk.get(`/death-reports/${id}/certificate`);
	assert.equal(img.headers['content-type'], 'image/png');
	assert.match(img.headers['content-disposition'], /^inline; filename="death-certificate-\d+\.png"$/);
	const page = await c.clerk.get(`/death-reports/${id}`);
	assert.match(page.body, new RegExp(`<img class="certificate" src="/death-reports/${id}/certificate"`));
	/* the page asks to confirm first */
	const unticked = await c.clerk.refused(await c.clerk.postForm(`/death-reports/${id}/accept`, {}));
	assert.match(unticked.body, /<a href="#f-确认">确认<\/a>：核实后将登记死亡/);
	assert.match(unticked.body, /id="accept-confirm"[^>]*aria-invalid="true"/);
	assert.equal(sqlExec(env.db, `SELECT status FROM death_reports WHERE id = ${id};`).trim(), '待核查');
	const ok = await c.clerk.postForm(`/death-reports/${id}/accept`, { confirm: '1' });
	assert.equal(ok.status, 303, `${ok}`);
	assert.equal(
		sqlExec(env.db, `SELECT r.status, p.status, p.status_date, e.status, e.end_month, e.death_cause FROM death_reports r JOIN persons p ON p.id = r.person_id JOIN entitlements e ON e.person_id = p.id WHERE r.id = ${id};`).trim(),
		'已核实|死亡|2025-10-08|终止|2025-10|因病',
	);
	const actions = sqlExec(env.db, `SELECT action FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log WHERE action = 'death_report.submit') ORDER BY seq;`);
	for (const a of ['person.status', 'entitlement.death', 'death_report.accept']) assert.match(actions, new RegExp(a));
});

test('a report whose death cannot be recorded stays waiting, nothing half done', async () => {
	const person = ids['丙'];
	const r = await post(c.st, '/api/v1/death-reports', { person, ...REPORT }, { name: 'a.pdf', type: 'application/pdf', data: PDF });
	assert.equal(r.status, 201, `${r}`);
	/* meanwhile the clerk records the death directly */
	const d = await api(c.clerk, 'POST', `/api/v1/persons/${person}/status`, { status: '死亡', date: '2025-10-01', reason: '病故', cause: '因病' });
	assert.equal(d.status, 200, `${d}`);
	const before_ = sqlExec(env.db, `SELECT status, status_date FROM persons WHERE id = ${person}; SELECT status FROM death_reports WHERE id = ${r.json.id}; SELECT count(*) FROM audit_log;`);
	const acc = await api(c.clerk, 'POST', `/api/v1/death-reports/${r.json.id}/accept`, {});
	const err = assertApiError(acc, 400);
	assert.match(err.message, /已是“死亡”状态/);
	assert.equal(sqlExec(env.db, `SELECT status, status_date FROM persons WHERE id = ${person}; SELECT status FROM death_reports WHERE id = ${r.json.id}; SELECT count(*) FROM audit_log;`), before_);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr + v.stdout);
});

test('vets serve --files-dir keeps the certificates where it is told', async () => {
	const dir = `${tempDir()}/certificates`;
	const other = await Server.start(env.db, { args: ['--files-dir', dir] });
	try {
		const st = new Client(other);
		await st.signIn('dr_st2');
		const r = await post(st, '/api/v1/death-reports', { person: ids['丁'], ...REPORT }, { name: 'a.pdf', type: 'application/pdf', data: PDF });
		assert.equal(r.status, 201, `${r}`);
		const fileId = sqlExec(env.db, `SELECT file_id FROM death_reports WHERE id = ${r.json.id};`).trim();
		assert.deepEqual(readdirSync(dir), [fileId]);
		assert.equal(statSync(dir).mode & 0o777, 0o700);
		assert.ok(!files().includes(fileId));
	} finally {
		await other.stop();
	}
});
