// qa.test.mjs - 智能问答: `vets qa import` (good and bad files, all or nothing, exit codes),
// `vets qa ask` (the JSON contract), the staff pages (CRUD, import upload, the try-out, the
// questions visitors left: turn into an entry, ignore), edits seen by the matcher at once, a
// script in every field shown as text, the portal's /qa (answer, related, fall-through and the
// form that leaves a question) and /qa/{id}, and the audit trail. Tests build on each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, ROOT, addUser, auditRows, auditVerify, cleanup, initDb, portalForm, request, Server, sqlRows, tempDir, vets } from './lib.mjs';

const BASE = path.join(ROOT, 'data', 'qa', 'base.csv');
const XSS = '<script>alert(1)</script>';
/* another script for the visitors' side: the words of XSS are in an entry by then */
const XSS2 = '<svg onload=confirm(9)>';
let env;
let dir;
const c = {};

before(async () => {
	const { db } = await initDb();
	dir = tempDir('vets-qa-');
	await Promise.all([
		addUser(db, 'q_clerk', 'clerk', { org: '420199', displayName: '窗口甲' }),
		addUser(db, 'q_leader', 'leader', { org: '420199' }),
		addUser(db, 'q_auditor', 'auditor', { org: '420199' }),
	]);
	env = { db, server: await Server.start(db, { portal: true }) };
	for (const u of ['clerk', 'leader', 'auditor']) {
		c[u] = new Client(env.server);
		await c[u].signIn(`q_${u}`);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function file(name, text) {
	const p = path.join(dir, name);
	writeFileSync(p, text);
	return p;
}
const ask = async (q, ...more) => JSON.parse((await vets(['qa', 'ask', q, ...more, '--db', env.db])).stdout);
const count = (table) => Number(sqlRows(env.db, `SELECT count(*) AS n FROM ${table}`)[0].n);

test('import: a bad file names each bad row in Chinese, exits 1 and saves nothing', async () => {
	const bad = file('bad.csv', '编号,问题,答案,相似问法\nB1,,答案,\nB2,问题二,,\nB3,问题三,答案三,a；b\nB3,问题四,答案四,\n');
	const r = await vets(['qa', 'import', bad, '--db', env.db]);
	assert.equal(r.code, 1, r.stderr);
	assert.match(r.stderr, /第 2 行 问题：请填写问题/);
	assert.match(r.stderr, /第 3 行 答案：请填写答案/);
	assert.match(r.stderr, /第 5 行 编号：编号“B3”在文件中重复/);
	assert.equal(count('qa_entries'), 0);
	const head = await vets(['qa', 'import', file('head.csv', '编号,答案\nX,y\n'), '--db', env.db]);
	assert.equal(head.code, 1);
	assert.match(head.stderr, /缺少列“问题”/);
	assert.equal((await vets(['qa', 'import', '--db', env.db])).code, 2);
	assert.equal((await vets(['qa', 'frob'])).code, 2);
	assert.equal((await vets(['qa', 'ask', 'x', '--top', '0', '--db', env.db])).code, 2);
});

test('import: at most 5,000 rows a file, refused in Chinese before anything is written; duplicates found among many', async () => {
	const rows = (n, dup) => '编号,问题,答案\n' + Array.from({ length: n }, (_, i) => `M${dup && i === n - 1 ? 0 : i},问题${i},答案${i}`).join('\n') + '\n';
	let r = await vets(['qa', 'import', file('many.csv', rows(5001)), '--db', env.db]);
	assert.notEqual(r.code, 0, r.stderr);
	assert.match(r.stderr, /一个文件最多 5000 行条目/);
	assert.equal(count('qa_entries'), 0);
	r = await vets(['qa', 'import', file('dup.csv', rows(5000, true)), '--db', env.db]);
	assert.equal(r.code, 1, r.stderr);
	assert.match(r.stderr, /第 5001 行 编号：编号“M0”在文件中重复/);
	assert.equal(count('qa_entries'), 0);
});

test('import: the demo base loads, and loading it again changes nothing', async () => {
	const r = await vets(['qa', 'import', BASE, '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /新增 64/);
	const again = await vets(['qa', 'import', BASE, '--db', env.db]);
	assert.match(again.stdout, /新增 0，更新 0，未变 64/);
	/* ";" separates phrasings as "；" does */
	const semi = await vets(['qa', 'import', file('semi.csv', '编号,问题,答案,相似问法\nZ1,测试条目甲,答案甲,问法一;问法二\n'), '--db', env.db]);
	assert.equal(semi.code, 0, semi.stderr);
	assert.equal(sqlRows(env.db, "SELECT phrasings FROM qa_entries WHERE code = 'Z1'")[0].phrasings, '问法一；问法二');
});

/* An .xlsx of rows (inline strings), written with Python's zipfile. */
function xlsx(name, rows) {
	const p = path.join(dir, name);
	const script = `
import json, sys, zipfile
from xml.sax.saxutils import escape
rows = json.loads(sys.argv[2])
ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
pkg = 'http://schemas.openxmlformats.org/package/2006'
data = ''.join('<row r="%d">%s</row>' % (r + 1, ''.join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), r + 1, escape(v)) for i, v in enumerate(cells) if v)) for r, cells in enumerate(rows))
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="%s/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>' % pkg)
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (pkg, rel))
    z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="问答" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % (pkg, rel))
    z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (ns, data))
`;
	const r = spawnSync('python3', ['-c', script, p, JSON.stringify(rows)], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return p;
}

test('import: an .xlsx, columns in another order, good and bad', async () => {
	const bad = xlsx('bad.xlsx', [['问题', '编号', '相似问法', '答案'], ['表格里的问题', '', '', '表格里的答案']]);
	let r = await vets(['qa', 'import', bad, '--db', env.db]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 2 行 编号：请填写编号/);
	const good = xlsx('good.xlsx', [['问题', '编号', '相似问法', '答案'], ['表格里的问题', 'X1', '表格问法甲；表格问法乙', '表格里的答案']]);
	r = await vets(['qa', 'import', good, '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	const row = sqlRows(env.db, "SELECT question, answer, phrasings FROM qa_entries WHERE code = 'X1'")[0];
	assert.deepEqual({ ...row }, { question: '表格里的问题', answer: '表格里的答案', phrasings: '表格问法甲；表格问法乙' });
});

test('ask: the JSON contract, short words, and fall-through', async () => {
	const r = await vets(['qa', 'ask', '退伍后医疗保险怎么转', '--top', '3', '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stdout.trim().split('\n').length, 1);
	const j = JSON.parse(r.stdout);
	assert.deepEqual(Object.keys(j), ['answers', 'fallback']);
	assert.equal(j.fallback, false);
	assert.equal(j.answers.length, 3);
	assert.deepEqual(Object.keys(j.answers[0]), ['id', 'question', 'score']);
	assert.equal(j.answers[0].id, 'QA017');
	assert.ok(j.answers[0].score >= j.answers[1].score);
	assert.equal((await ask('医保')).answers[0].id, 'QA017');
	assert.equal((await ask('优待证')).fallback, false);
	const off = await ask('红烧肉怎么做');
	assert.equal(off.fallback, true);
	const none = await ask('怎么办理呢');
	assert.deepEqual(none, { answers: [], fallback: true });
});

test('staff: create, edit, delete, with the matcher seeing each change at once', async () => {
	const form = { code: 'QA900', question: '退役军人参加马拉松有报名优惠吗？', answer: '有，凭优待证报名费减半。', phrasings: '跑马拉松优惠；马拉松报名' };
	let r = await c.clerk.postForm('/qa-base', form);
	assert.equal(r.status, 303, `${r}`);
	const id = Number(/\/qa-base\/(\d+)$/.exec(r.headers.location)[1]);
	const api = async (q) => (await c.leader.get(`/api/v1/qa/ask?q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } })).json;
	assert.equal((await api('马拉松报名有优惠吗')).answers[0].id, 'QA900');
	/* an empty answer is refused (400, in Chinese); a taken code with the form's errors */
	r = await c.clerk.postForm('/qa-base', { ...form, answer: '' });
	assert.equal(r.status, 400);
	assert.match(r.body, /请填写答案/);
	r = await c.clerk.postForm('/qa-base', { ...form, answer: 'x'.repeat(4001) });
	assert.equal(r.status, 400);
	r = await c.clerk.postForm('/qa-base', form);
	let page = await c.clerk.refused(r);
	assert.match(page.body, /已被另一条目使用/);
	r = await c.clerk.postForm(`/qa-base/${id}`, { ...form, question: '退役军人参加越野跑有优惠吗？', phrasings: '越野跑报名' });
	assert.equal(r.status, 303);
	assert.equal((await api('越野跑报名')).answers[0].id, 'QA900');
	page = await c.leader.get(`/qa-base/${id}`);
	assert.match(page.body, /越野跑/);
	assert.equal((await c.leader.postForm(`/qa-base/${id}/delete`, {})).status, 403);
	r = await c.clerk.postForm(`/qa-base/${id}/delete`, {});
	assert.equal(r.status, 303);
	assert.notEqual((await api('越野跑报名')).answers[0]?.id, 'QA900');
	assert.equal((await c.clerk.get(`/qa-base/${id}`)).status, 404);
	const tried = await c.leader.get(`/qa-base/try?q=${encodeURIComponent('医保')}`);
	assert.equal(tried.status, 200);
	assert.match(tried.body, /QA017/);
	assert.equal((await c.clerk.get('/qa-base/999999/edit')).status, 404);
});

test('staff: a script in every field is shown as text', async () => {
	const r = await c.clerk.postForm('/qa-base', { code: 'X<b>1', question: `问题${XSS}`, answer: `答案${XSS}`, phrasings: `问法${XSS}` });
	assert.equal(r.status, 303, `${r}`);
	for (const p of [r.headers.location, '/qa-base', `${r.headers.location}/edit`]) {
		const page = await c.clerk.get(p);
		assert.equal(page.status, 200);
		assert.ok(!page.body.includes(XSS), p);
		assert.ok(!page.body.includes('X<b>1'), p);
	}
	const id = /\/qa-base\/(\d+)$/.exec(r.headers.location)[1];
	const pub = await request(env.server.portal, 'GET', `/qa/${id}`);
	assert.equal(pub.status, 200);
	assert.ok(!pub.body.includes(XSS));
	assert.match(pub.body, /&lt;script&gt;/);
});

test('portal: the page title holds the longest question whole, never cut inside a character', async () => {
	const question = '𠀀'.repeat(200); /* 200 characters, 800 bytes */
	const r = await vets(['qa', 'import', file('long.csv', `编号,问题,答案\nW1,${question},很长的问题的答案\n`), '--db', env.db]);
	assert.equal(r.code, 0, r.stderr);
	const id = sqlRows(env.db, "SELECT id FROM qa_entries WHERE code = 'W1'")[0].id;
	const page = await request(env.server.portal, 'GET', `/qa/${id}`);
	assert.equal(page.status, 200);
	const title = /<title>([^<]*)<\/title>/.exec(page.body)[1];
	assert.ok(title.startsWith(question), title.slice(0, 40));
	assert.ok(!title.includes('\ufffd'));
});

test('staff: import upload, all or nothing', async () => {
	let r = await c.clerk.upload('/qa-base/import', 'bad.csv', '编号,问题,答案\nU1,,x\n');
	const page = await c.clerk.refused(r);
	assert.match(page.body, /第 2 行 问题/);
	assert.equal(count("qa_entries WHERE code = 'U1'"), 0);
	r = await c.clerk.upload('/qa-base/import', 'good.csv', '编号,问题,答案,相似问法\nU1,上传的问题,上传的答案,\n');
	assert.equal(r.status, 303, `${r}`);
	assert.equal(count("qa_entries WHERE code = 'U1'"), 1);
	assert.equal((await c.leader.upload('/qa-base/import', 'good.csv', '编号,问题,答案\nU2,q,a\n')).status, 403);
	/* past the row cap: refused with the reason, nothing stored */
	r = await c.clerk.upload('/qa-base/import', 'many.csv', '编号,问题,答案\n' + Array.from({ length: 5001 }, (_, i) => `N${i},问题${i},答案${i}`).join('\n'));
	assert.match((await c.clerk.refused(r)).body, /一个文件最多 5000 行条目/);
	assert.equal(count("qa_entries WHERE code LIKE 'N%'"), 0);
});

test('portal: an answer in full with related questions, and /qa/{id}', async () => {
	const r = await request(env.server.portal, 'GET', `/qa?q=${encodeURIComponent('优待证丢了怎么补办')}`);
	assert.equal(r.status, 200);
	assert.match(r.body, /优待证丢了怎么补办？/);
	assert.match(r.body, /补领申请表/);
	assert.match(r.body, /相关问题/);
	assert.ok(r.headers.etag);
	const home = await request(env.server.portal, 'GET', '/qa');
	assert.equal(home.status, 200);
	assert.match(home.body, /您想问什么/);
	const id = sqlRows(env.db, "SELECT id FROM qa_entries WHERE code = 'QA001'")[0].id;
	const one = await request(env.server.portal, 'GET', `/qa/${id}`);
	assert.equal(one.status, 200);
	assert.match(one.body, /怎样申领退役军人优待证/);
	assert.equal((await request(env.server.portal, 'GET', '/qa/99999999')).status, 404);
	/* staff pages do not exist on the portal, the portal page not on the staff listener */
	assert.equal((await request(env.server.portal, 'GET', '/qa-base')).status, 404);
	assert.equal((await request(env.server.portal, 'GET', '/api/v1/qa/ask?q=x')).status, 404);
});

test('portal: a question the base does not cover is left for staff, who turn it into an entry or ignore it', async () => {
	const q = `钓鱼比赛的奖品有哪些${XSS2}`;
	const page = await request(env.server.portal, 'GET', `/qa?q=${encodeURIComponent(q)}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /暂时没有找到合适的答案/);
	assert.ok(!page.body.includes(XSS2));
	/* a guard is single-use: a fresh one for every post */
	const guard = () => portalForm(env.server, `/qa?q=${encodeURIComponent(q)}`);
	/* an empty question: 400 with the reason, nothing stored */
	const before = count('qa_questions');
	let r = await request(env.server.portal, 'POST', '/qa/ask', { form: { ...(await guard()), q: '   ' } });
	assert.equal(r.status, 400);
	assert.match(r.body, /请填写您的问题/);
	r = await request(env.server.portal, 'POST', '/qa/ask', { form: { ...(await guard()), q: 'x'.repeat(201) } });
	assert.equal(r.status, 400);
	r = await request(env.server.portal, 'POST', '/qa/ask', { form: { q } });
	assert.equal(r.status, 400, 'no guard');
	assert.equal(count('qa_questions'), before);
	r = await request(env.server.portal, 'POST', '/qa/ask', { form: { ...(await guard()), q } });
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, '/qa?left=1');
	const again = await request(env.server.portal, 'POST', '/qa/ask', { form: { ...(await portalForm(env.server, '/qa?q=%E7%BA%A2%E7%83%A7%E8%82%89')), q: '红烧肉怎么做' } });
	assert.equal(again.status, 303);
	const list = await c.leader.get('/qa-base/questions');
	assert.equal(list.status, 200);
	assert.match(list.body, /钓鱼比赛/);
	assert.ok(!list.body.includes(XSS2));
	const rows = sqlRows(env.db, "SELECT id, text FROM qa_questions WHERE status = '待处理' ORDER BY id");
	const plane = rows.find((x) => x.text.includes('钓鱼')).id;
	const food = rows.find((x) => x.text.includes('红烧肉')).id;
	assert.equal((await c.leader.postForm(`/qa-base/questions/${food}/ignore`, {})).status, 403);
	assert.equal((await c.clerk.postForm(`/qa-base/questions/${food}/ignore`, {})).status, 303);
	assert.equal((await c.clerk.postForm(`/qa-base/questions/${food}/ignore`, {})).status, 409);
	const conv = await c.clerk.get(`/qa-base/questions/${plane}/convert`);
	assert.equal(conv.status, 200);
	assert.ok(!conv.body.includes(XSS2));
	r = await c.clerk.postForm(`/qa-base/questions/${plane}/convert`, { code: 'QA901', question: '退役军人钓鱼比赛有奖品吗？', answer: '区局每年秋季举办钓鱼比赛，前十名有纪念品。', phrasings: '钓鱼比赛奖品；钓鱼活动' });
	assert.equal(r.status, 303, `${r}`);
	const st = sqlRows(env.db, `SELECT q.status, e.code FROM qa_questions q JOIN qa_entries e ON e.id = q.entry_id WHERE q.id = ${plane}`)[0];
	assert.deepEqual({ ...st }, { status: '已转为条目', code: 'QA901' });
	assert.equal((await ask('钓鱼比赛发什么奖品')).answers[0].id, 'QA901');
	assert.equal((await c.clerk.postForm('/qa-base/questions/99999/ignore', {})).status, 404);
});

test('audit: every change is in the trail, and the trail holds', async () => {
	const rows = await auditRows(c.auditor);
	const actions = new Set(rows.map((x) => x.action));
	for (const a of ['qa.import', 'qa.create', 'qa.update', 'qa.delete', 'qa.question_leave', 'qa.question_convert', 'qa.question_ignore'])
		assert.ok(actions.has(a), a);
	auditVerify(env.db);
});
