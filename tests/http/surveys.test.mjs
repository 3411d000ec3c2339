// surveys.test.mjs - 问卷调查. A questionnaire written by a clerk (every kind of question), a
// hand-counted set of answers posted on the portal whose results show exactly the counts
// worked out below (a multiple choice counts options, not combinations), and every refusal
// of a bad answer with nothing stored: answered twice, a required question missing, an
// option of another question, a scale of 0 or 6, two options for a single choice, a text
// too long, a closed or not yet open survey, an oversized body, a flood from one address.
// Results stay off the portal until staff publish them; the export reads back; a script
// typed in every field is shown as text on staff and portal pages. The tests build on each
// other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { Client, addUser, auditVerify, cleanup, initDb, request, portalForm, Server, sqlExec } from './lib.mjs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0) / 1000; /* 2026-01-15 10:00 in Shanghai */
const XSS = '<script>alert(1)</script>';

let env;
const c = {};
const ids = {};

before(async () => {
	const { db } = await initDb();
	await addUser(db, 'sv_clerk', 'clerk', { displayName: '问卷经办' });
	await addUser(db, 'sv_leader', 'leader');
	await addUser(db, 'sv_auditor', 'auditor');
	const server = await Server.start(db, { portal: true, env: { VETS_FAKE_NOW: String(NOW) } });
	env = { db, server };
	for (const who of ['clerk', 'leader', 'auditor']) {
		c[who] = new Client(server);
		await c[who].signIn(`sv_${who}`);
	}
});

after(async () => {
	await env?.server?.stop();
	await cleanup();
});

const portal = () => env.server.portal;
const count = (sql) => Number(sqlExec(env.db, sql).trim());
const answers = () => count('SELECT count(*) FROM survey_answers;');
const responses = () => count('SELECT count(*) FROM survey_responses;');

/** A new visitor: a cookie jar of his own on the portal. */
const visitor = () => new Client(portal());

/** Posts answer pairs ([[name, value]…]) to survey id as visitor v (a fresh one by default),
 * with a fresh form guard: a guard is single-use. It is taken from survey A's form, which a
 * visitor without a cookie always gets while A is open. */
async function answer(id, pairs, v = visitor()) {
	const guard = await portalForm(env.server, `/survey/${ids.a}`);
	const r = await v.request('POST', `/survey/${id}`, { form: [['_t', guard._t], ['website', ''], ...pairs] });
	return r;
}

async function createSurvey(fields) {
	const r = await c.clerk.postForm('/surveys', fields);
	assert.equal(r.status, 303, `${r}`);
	const m = /^\/surveys\/(\d+)$/.exec(r.headers.location);
	assert.ok(m, r.headers.location);
	return Number(m[1]);
}

async function addQuestion(id, q) {
	const r = await c.clerk.postForm(`/surveys/${id}/questions`, q);
	assert.equal(r.status, 303, `${r}`);
	assert.equal(r.headers.location, `/surveys/${id}`, 'added: back to the survey, no refusal');
}

/** The option ids of survey id's question at position, by label. */
function optionIds(id, position) {
	const rows = sqlExec(env.db, `SELECT o.label, o.id FROM survey_options o JOIN survey_questions q ON q.id = o.question_id WHERE q.survey_id = ${id} AND q.position = ${position} ORDER BY o.position;`)
		.trim()
		.split('\n');
	return Object.fromEntries(rows.map((l) => l.split('|')).map(([k, v]) => [k, v]));
}

test('a clerk writes a questionnaire one question at a time; refusals say why in Chinese and keep what was typed', async () => {
	ids.a = await createSurvey({ title: '服务站满意度调查', intro: '请根据最近一次办事的感受填写。', opens_on: '2026-01-01', closes_on: '2026-01-31' });
	await addQuestion(ids.a, { kind: 'single', title: '您来办什么事？', required: '1', options: 'A\nB\n\nC\n' });
	await addQuestion(ids.a, { kind: 'multiple', title: '您办过哪些事项？', required: '1', options: '甲\n乙\n丙\n丁' });
	await addQuestion(ids.a, { kind: 'scale', title: '服务态度打几分？', required: '1' });
	await addQuestion(ids.a, { kind: 'text', title: '意见和建议', options: 'ignored' });
	/* a choice with one option, duplicate options, an unknown kind: refused, kept */
	for (const [q, want] of [
		[{ kind: 'single', title: '只有一项', options: '唯一' }, /至少要有 2 个选项/],
		[{ kind: 'multiple', title: '重复', options: '是\n是' }, /选项“是”重复/],
		[{ kind: 'ranking', title: '排序题', options: 'x\ny' }, /题型应为单选、多选、填空或量表/],
		[{ kind: 'single', title: '', options: 'x\ny' }, /请填写题目/],
		[{ kind: 'single', title: '太多', options: Array.from({ length: 21 }, (_, i) => `项${i}`).join('\n') }, /选项最多 20 个/],
	]) {
		const page = await c.clerk.refused(await c.clerk.postForm(`/surveys/${ids.a}/questions`, q));
		assert.match(page.body, want);
		assert.match(page.body, /未保存/);
		if (q.title) assert.ok(page.body.includes(`value="${q.title}"`), 'the title typed is kept');
	}
	assert.equal(count(`SELECT count(*) FROM survey_questions WHERE survey_id = ${ids.a};`), 4);
	assert.equal(count(`SELECT count(*) FROM survey_options o JOIN survey_questions q ON q.id = o.question_id WHERE q.survey_id = ${ids.a} AND q.kind = 'text';`), 0, 'a text question keeps no options');
	/* the dates: the end before the start is refused */
	const bad = await c.clerk.refused(await c.clerk.postForm(`/surveys/${ids.a}`, { title: '服务站满意度调查', opens_on: '2026-02-01', closes_on: '2026-01-31' }));
	assert.match(bad.body, /结束日期不能早于开始日期/);
	/* move the text question up and back down: positions stay 1..4 */
	const qText = count(`SELECT id FROM survey_questions WHERE survey_id = ${ids.a} AND position = 4;`);
	assert.equal((await c.clerk.postForm(`/surveys/questions/${qText}/up`)).status, 303);
	assert.equal(count(`SELECT position FROM survey_questions WHERE id = ${qText};`), 3);
	assert.equal((await c.clerk.postForm(`/surveys/questions/${qText}/down`)).status, 303);
	assert.equal(count(`SELECT position FROM survey_questions WHERE id = ${qText};`), 4);
	/* add a fifth and delete it: the others keep their places */
	await addQuestion(ids.a, { kind: 'text', title: '临时题' });
	const q5 = count(`SELECT id FROM survey_questions WHERE survey_id = ${ids.a} AND position = 5;`);
	assert.equal((await c.clerk.postForm(`/surveys/questions/${q5}/delete`)).status, 303);
	assert.equal(sqlExec(env.db, `SELECT position FROM survey_questions WHERE survey_id = ${ids.a} ORDER BY position;`).trim(), '1\n2\n3\n4');
	/* the leader reads, but may not write */
	assert.equal((await c.leader.get(`/surveys/${ids.a}`)).status, 200);
	assert.equal((await c.leader.postForm(`/surveys/${ids.a}/publish`)).status, 403);
	ids.opts1 = optionIds(ids.a, 1);
	ids.opts2 = optionIds(ids.a, 2);
	assert.deepEqual(Object.keys(ids.opts1), ['A', 'B', 'C']);
});

test('a draft is not on the portal; published, it is listed with its form', async () => {
	assert.equal((await request(portal(), 'GET', `/survey/${ids.a}`)).status, 404);
	assert.doesNotMatch((await request(portal(), 'GET', '/survey')).body, /服务站满意度调查/);
	const r = await c.clerk.postForm(`/surveys/${ids.a}/publish`);
	assert.equal(r.status, 303);
	const list = await request(portal(), 'GET', '/survey');
	assert.equal(list.status, 200);
	assert.match(list.body, /服务站满意度调查/);
	assert.match(list.body, /进行中/);
	const form = await request(portal(), 'GET', `/survey/${ids.a}`);
	assert.equal(form.status, 200);
	assert.match(form.body, /name="q1" value="\d+"/);
	assert.match(form.body, /type="checkbox" id="q2-o\d+" name="q2"/);
	assert.match(form.body, /name="q3" value="5"/);
	assert.match(form.body, /<textarea id="f-第4题" name="q4"/);
	/* staff pages do not exist on the portal, the portal's not on the staff side */
	assert.equal((await request(portal(), 'GET', '/surveys')).status, 404);
	assert.equal((await c.clerk.get(`/survey/${ids.a}`)).status, 404);
});

/* The hand-counted set: 5 respondents.
 *   q1 (single):   A A B C A          → A 3 (60.0%), B 1 (20.0%), C 1 (20.0%)
 *   q2 (multiple): 甲乙, 甲, 甲乙丙, 丁, 乙丁 → 甲 3 (60.0%), 乙 3 (60.0%), 丙 1 (20.0%), 丁 2 (40.0%): 9 rows
 *   q3 (scale):    5 4 4 2 5          → 1:0 2:1 3:0 4:2 5:2, mean 4.0
 *   q4 (text):     two answers (one a script), three left blank */
const SET = [
	{ q1: 'A', q2: ['甲', '乙'], q3: '5', q4: '很好' },
	{ q1: 'A', q2: ['甲'], q3: '4', q4: '' },
	{ q1: 'B', q2: ['甲', '乙', '丙'], q3: '4', q4: XSS },
	{ q1: 'C', q2: ['丁'], q3: '2' },
	{ q1: 'A', q2: ['乙', '丁'], q3: '5', q4: '   ' },
];
const pairsOf = (a) => [
	...(a.q1 ? [['q1', ids.opts1[a.q1]]] : []),
	...(a.q2 ?? []).map((l) => ['q2', ids.opts2[l]]),
	...(a.q3 !== undefined ? [['q3', a.q3]] : []),
	...(a.q4 !== undefined ? [['q4', a.q4]] : []),
];

test('the hand-counted answers are stored one row per chosen option, each audited as the public', async () => {
	c.first = visitor();
	for (const [i, a] of SET.entries()) {
		const v = i === 0 ? c.first : visitor();
		const r = await answer(ids.a, pairsOf(a), v);
		assert.equal(r.status, 303, `${r}`);
		assert.equal(r.headers.location, `/survey/${ids.a}`);
		const cookie = r.cookies.find((k) => k.name === 'vets_survey');
		assert.match(cookie?.value ?? '', /^[0-9a-f]{32}$/);
		assert.equal(cookie.attrs.httponly, true);
		assert.equal(cookie.attrs.secure, undefined, 'plain http: no Secure');
	}
	assert.equal(responses(), 5);
	/* 5 single + 9 multiple + 5 scale + 2 texts */
	assert.equal(answers(), 21);
	assert.equal(count(`SELECT n_responses FROM surveys WHERE id = ${ids.a};`), 5);
	assert.equal(count("SELECT count(*) FROM audit_log WHERE action = 'survey.answer' AND actor = '公众';"), 5);
	/* the token is never stored, only its hash */
	const token = c.first.jar.get('vets_survey');
	assert.equal(count(`SELECT count(*) FROM survey_responses WHERE visitor_hash = '${token}';`), 0);
});

test('answered twice: the page says so, a second post is refused in Chinese and nothing is stored', async () => {
	const page = await c.first.get(`/survey/${ids.a}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /您已提交过此问卷/);
	assert.doesNotMatch(page.body, /name="_t"/, 'no form');
	assert.doesNotMatch(page.headers['cache-control'] ?? '', /public/, 'a visitor\'s own page is never cached publicly');
	const before = answers();
	const r = await answer(ids.a, pairsOf(SET[1]), c.first);
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.body, /您已提交过此问卷/);
	assert.equal(answers(), before);
	assert.equal(responses(), 5);
});

test('bad answers are refused whole with a Chinese message, the form keeps what was chosen, nothing is stored', async () => {
	const before = answers();
	const cases = [
		[{ q2: ['甲', '丙'], q3: '4' }, /第1题：请回答此题/],
		[{ q1: 'A', q3: '4' }, /第2题：请回答此题/],
		[{ q1: 'A', q2: ['甲'] }, /第3题：请回答此题/],
		[{ q1: 'A', q2: ['甲'], q3: '0' }, /第3题：请选择 1 到 5/],
		[{ q1: 'A', q2: ['甲'], q3: '6' }, /第3题：请选择 1 到 5/],
		[{ q1: 'A', q2: ['甲'], q3: '4.5' }, /第3题：请选择 1 到 5/],
		[{ q1: 'A', q2: ['甲'], q3: '4', q4: '字'.repeat(501) }, /第4题：最多 500 个字/],
	];
	for (const [a, want] of cases) {
		const r = await answer(ids.a, pairsOf(a));
		assert.equal(r.status, 400, `${JSON.stringify(a)}: ${r}`);
		assert.match(r.body, want);
		assert.match(r.body, /未能提交/);
		if (a.q2?.includes('丙')) assert.match(r.body, new RegExp(`value="${ids.opts2['丙']}" checked`), 'the choice is kept');
		assert.equal(r.cookies.length, 0, 'no cookie for a refused answer');
	}
	/* an option of another question, a forged id, two options for a single choice, a
	 * question the survey does not have */
	const foreign = [
		[[['q1', ids.opts2['甲']], ['q2', ids.opts2['甲']], ['q3', '3']], /第1题：选项无效/],
		[[['q1', '999999'], ['q2', ids.opts2['甲']], ['q3', '3']], /第1题：选项无效/],
		[[['q1', 'A'], ['q2', ids.opts2['甲']], ['q3', '3']], /第1题：选项无效/],
		[[['q1', ids.opts1.A], ['q2', ids.opts1.B], ['q3', '3']], /第2题：选项无效/],
		[[['q1', ids.opts1.A], ['q2', ids.opts2['甲']], ['q2', ids.opts2['甲']], ['q3', '3']], /第2题：选项无效/],
		[[['q1', ids.opts1.A], ['q1', ids.opts1.B], ['q2', ids.opts2['甲']], ['q3', '3']], /第1题：只能选一项/],
		[[['q1', ids.opts1.A], ['q2', ids.opts2['甲']], ['q3', '3'], ['q3', '4']], /第3题：只能选一项/],
		[[['q1', ids.opts1.A], ['q2', ids.opts2['甲']], ['q3', '3'], ['q9', 'x']], /问卷中没有第9题/],
	];
	for (const [pairs, want] of foreign) {
		const r = await answer(ids.a, pairs);
		assert.equal(r.status, 400, `${JSON.stringify(pairs)}: ${r}`);
		assert.match(r.body, want);
	}
	/* a parameter the form does not have */
	const odd = await answer(ids.a, [['q41', '1']]);
	assert.equal(odd.status, 400);
	assert.equal(answers(), before);
	assert.equal(responses(), 5);
});

test('once answered, questions and options can no longer change: said in Chinese, nothing changed', async () => {
	const q1 = count(`SELECT id FROM survey_questions WHERE survey_id = ${ids.a} AND position = 1;`);
	const snapshot = sqlExec(env.db, `SELECT * FROM survey_options ORDER BY id; SELECT * FROM survey_questions ORDER BY id;`);
	const page = await c.clerk.refused(await c.clerk.postForm(`/surveys/questions/${q1}`, { kind: 'single', title: '改题', options: 'X\nY' }));
	assert.match(page.body, /已有 5 份答卷，题目和选项不能再修改/);
	const add = await c.clerk.refused(await c.clerk.postForm(`/surveys/${ids.a}/questions`, { kind: 'text', title: '新题' }));
	assert.match(add.body, /不能再修改/);
	const del = await c.clerk.refused(await c.clerk.postForm(`/surveys/questions/${q1}/delete`));
	assert.match(del.body, /不能再修改/);
	assert.equal(sqlExec(env.db, `SELECT * FROM survey_options ORDER BY id; SELECT * FROM survey_questions ORDER BY id;`), snapshot);
	/* the dates still can */
	const r = await c.clerk.postForm(`/surveys/${ids.a}`, { title: '服务站满意度调查', intro: '请根据最近一次办事的感受填写。', opens_on: '2026-01-01', closes_on: '2026-02-15' });
	assert.equal(r.status, 303);
	assert.equal(sqlExec(env.db, `SELECT closes_on FROM surveys WHERE id = ${ids.a};`).trim(), '2026-02-15');
	const show = await c.clerk.get(`/surveys/${ids.a}`);
	assert.match(show.body, /题目和选项不能再修改/);
	assert.doesNotMatch(show.body, /action="\/surveys\/questions\//, 'no question forms left');
});

/** The rows of a results page's tables: [[label, count, share]…] in order. */
function tableRows(body) {
	return [...body.matchAll(/<tr><th scope="row">(.*?)<\/th><td class="num">(\d+)<\/td><td class="num">([\d.]+%)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2]), m[3]]);
}

test('the results: exact counts per option, shares of respondents, the scale\'s distribution and mean; texts for staff only', async () => {
	const r = await c.leader.get(`/surveys/${ids.a}/results`);
	assert.equal(r.status, 200, `${r}`);
	assert.match(r.body, /id="respondents">5</);
	assert.deepEqual(tableRows(r.body), [
		['A', 3, '60.0%'], ['B', 1, '20.0%'], ['C', 1, '20.0%'],
		['甲', 3, '60.0%'], ['乙', 3, '60.0%'], ['丙', 1, '20.0%'], ['丁', 2, '40.0%'],
		['1 分', 0, '0.0%'], ['2 分', 1, '20.0%'], ['3 分', 0, '0.0%'], ['4 分', 2, '40.0%'], ['5 分', 2, '40.0%'],
	]);
	assert.match(r.body, /平均分：<strong>4\.0<\/strong>/);
	/* the bars: A's share 60% of a 60% span is 36% of the chart's width */
	assert.match(r.body, /<rect class="chart-bar" x="0" y="26" width="36.00%" height="20" fill="currentColor"\/>/);
	assert.match(r.body, /3 人 60\.0%/);
	/* the texts, escaped */
	assert.match(r.body, /很好/);
	assert.ok(r.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
	assert.ok(!r.body.includes(XSS));
});

test('results are on the portal only once staff publish them, and never the texts', async () => {
	assert.equal((await request(portal(), 'GET', `/survey/${ids.a}/results`)).status, 404);
	assert.doesNotMatch((await request(portal(), 'GET', '/survey')).body, /查看调查结果/);
	assert.equal((await c.clerk.postForm(`/surveys/${ids.a}/results/show`)).status, 303);
	const r = await request(portal(), 'GET', `/survey/${ids.a}/results`);
	assert.equal(r.status, 200, `${r}`);
	assert.equal(tableRows(r.body).length, 12);
	assert.deepEqual(tableRows(r.body).slice(3, 7), [['甲', 3, '60.0%'], ['乙', 3, '60.0%'], ['丙', 1, '20.0%'], ['丁', 2, '40.0%']]);
	assert.match(r.body, /填空题的回答不公开/);
	assert.doesNotMatch(r.body, /很好/);
	assert.doesNotMatch(r.body, /alert\(1\)/);
	assert.match(r.headers['cache-control'] ?? '', /public/);
	assert.match(r.body, /<svg class="chart-svg p-chart"/);
	assert.doesNotMatch(r.body, /style="/, 'no inline style (CSP)');
	assert.equal((await c.clerk.postForm(`/surveys/${ids.a}/results/hide`)).status, 303);
	assert.equal((await request(portal(), 'GET', `/survey/${ids.a}/results`)).status, 404);
	assert.equal((await c.clerk.postForm(`/surveys/${ids.a}/results/show`)).status, 303);
});

/** GET as bytes: {status, headers, raw}. */
function download(client, p) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: client.server.port, path: p, headers: { Host: client.server.host, Cookie: client.cookieHeader() }, agent: false, setHost: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

function unzip(buf) {
	let end = buf.length - 22;
	while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
	assert.ok(end >= 0, 'a zip');
	const n = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const out = {};
	for (let i = 0; i < n; i++) {
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLen = buf.readUInt16LE(at + 28);
		const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + size);
		out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
		at += 46 + nameLen + extra;
	}
	return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

function workbookRows(buf) {
	const parts = unzip(buf);
	const shared = parts['xl/sharedStrings.xml'] ? [...parts['xl/sharedStrings.xml'].matchAll(/<si>.*?<t[^>]*>(.*?)<\/t>.*?<\/si>/gs)].map((m) => unxml(m[1])) : [];
	return [...parts['xl/worksheets/sheet1.xml'].matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) =>
		[...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((cell) => {
			const body = cell[2] ?? '';
			if (/t="s"/.test(cell[1])) return shared[Number(/<v>(\d+)<\/v>/.exec(body)[1])];
			const t = /<t[^>]*>(.*?)<\/t>/s.exec(body);
			return t ? unxml(t[1]) : '';
		}),
	);
}

test('the XLSX export: one row per response, one column per question, multiple choice joined with ；, audited', async () => {
	const r = await download(c.leader, `/surveys/${ids.a}/export`);
	assert.equal(r.status, 200);
	assert.match(r.headers['content-type'], /spreadsheetml/);
	assert.match(r.headers['content-disposition'], /attachment; filename="survey-\d+\.xlsx"/);
	const rows = workbookRows(r.raw);
	assert.deepEqual(rows[0], ['编号', '提交时间', '第1题 您来办什么事？', '第2题 您办过哪些事项？', '第3题 服务态度打几分？', '第4题 意见和建议']);
	assert.equal(rows.length, 6);
	const body = rows.slice(1).map((row) => row.slice(2));
	assert.deepEqual(body, [
		['A', '甲；乙', '5', '很好'],
		['A', '甲', '4', ''],
		['B', '甲；乙；丙', '4', XSS],
		['C', '丁', '2', ''],
		['A', '乙；丁', '5', ''],
	]);
	assert.match(rows[1][1], /^2026-01-15 \d\d:\d\d$/);
	assert.equal(count("SELECT count(*) FROM audit_log WHERE action = 'survey.export' AND actor = 'sv_leader';"), 1);
	/* export is a reader's right (survey.read): one without it is refused */
	assert.equal((await download(c.auditor, `/surveys/${ids.a}/export`)).status, 403);
});

test('a closed survey and one not yet open take no answers; the portal says which', async () => {
	ids.closed = await createSurvey({ title: '上月的调查', opens_on: '2025-12-01', closes_on: '2025-12-31' });
	ids.later = await createSurvey({ title: '下月的调查', opens_on: '2026-02-01', closes_on: '2026-02-28' });
	for (const id of [ids.closed, ids.later]) {
		await addQuestion(id, { kind: 'scale', title: '打几分？', required: '1' });
		assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	}
	const closed = await request(portal(), 'GET', `/survey/${ids.closed}`);
	assert.equal(closed.status, 200);
	assert.match(closed.body, /此问卷已结束/);
	assert.doesNotMatch(closed.body, /<form class="p-form/);
	const later = await request(portal(), 'GET', `/survey/${ids.later}`);
	assert.match(later.body, /此问卷尚未开始/);
	const before = answers();
	const r1 = await answer(ids.closed, [['q1', '3']]);
	assert.equal(r1.status, 409, `${r1}`);
	assert.match(r1.body, /此问卷已结束/);
	const r2 = await answer(ids.later, [['q1', '3']]);
	assert.equal(r2.status, 409);
	assert.match(r2.body, /尚未开始/);
	/* a draft and a survey that does not exist */
	const draft = await createSurvey({ title: '草稿', opens_on: '2026-01-01', closes_on: '2026-01-31' });
	assert.equal((await answer(draft, [['q1', '3']])).status, 404);
	assert.equal((await answer(999999, [['q1', '3']])).status, 404);
	assert.equal(answers(), before);
});

test('a script typed in every field is shown as text on staff and portal pages', async () => {
	const id = await createSurvey({ title: `标题${XSS}`, intro: `说明${XSS}`, opens_on: '2026-01-01', closes_on: '2026-01-31' });
	await addQuestion(id, { kind: 'single', title: `题目${XSS}`, required: '1', options: `选项${XSS}\n"><img src=x onerror=alert(2)>` });
	await addQuestion(id, { kind: 'text', title: `填空${XSS}` });
	assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	assert.equal((await c.clerk.postForm(`/surveys/${id}/results/show`)).status, 303);
	const opt = Object.values(optionIds(id, 1))[0];
	const r = await answer(id, [['q1', opt], ['q2', `答案${XSS}`]]);
	assert.equal(r.status, 303, `${r}`);
	/* a refused answer echoes the text typed, escaped */
	const refused = await answer(id, [['q2', `再答${XSS}`]]);
	assert.equal(refused.status, 400);
	const pages = [
		await c.clerk.get('/surveys'),
		await c.clerk.get(`/surveys/${id}`),
		await c.clerk.get(`/surveys/${id}/results`),
		await request(portal(), 'GET', '/survey'),
		await request(portal(), 'GET', `/survey/${id}`),
		await request(portal(), 'GET', `/survey/${id}/results`),
		refused,
	];
	for (const p of pages) {
		assert.ok(p.status === 200 || p.status === 400, `${p}`);
		assert.ok(!p.body.includes('<script>alert'), `raw script in ${p.body.slice(0, 200)}`);
		assert.ok(!p.body.includes('<img src=x'), 'raw tag');
		assert.ok(p.body.includes('&lt;script&gt;'), 'shown as text');
	}
	assert.ok(refused.body.includes('再答&lt;script&gt;alert(1)&lt;/script&gt;'), 'the text typed is kept, escaped');
});

test('an answer ticking every option fits: the editor caps a survey at 60 answer values, in Chinese', async () => {
	const id = await createSurvey({ title: '多选很多的问卷', opens_on: '2026-01-01', closes_on: '2026-01-31' });
	const twenty = (k) => Array.from({ length: 20 }, (_, i) => `${k}${i + 1}`).join('\n');
	for (const k of ['甲', '乙', '丙']) await addQuestion(id, { kind: 'multiple', title: `多选${k}`, required: '1', options: twenty(k) });
	/* a fourth would make an answer of 80 values, past what the portal accepts: refused */
	const over = await c.clerk.refused(await c.clerk.postForm(`/surveys/${id}/questions`, { kind: 'multiple', title: '多选丁', options: twenty('丁') }));
	assert.match(over.body, /作答项最多 60 个/);
	const single = await c.clerk.refused(await c.clerk.postForm(`/surveys/${id}/questions`, { kind: 'single', title: '再一题', options: 'x\ny' }));
	assert.match(single.body, /加上此题将有 61 个/);
	assert.equal(count(`SELECT count(*) FROM survey_questions WHERE survey_id = ${id};`), 3);
	assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	const pairs = [1, 2, 3].flatMap((p) => Object.values(optionIds(id, p)).map((o) => [`q${p}`, o]));
	assert.equal(pairs.length, 60);
	const before = answers();
	const r = await answer(id, pairs);
	assert.equal(r.status, 303, `${r}`);
	assert.equal(answers(), before + 60);
});

test('a published survey keeps its last question, and a survey without questions takes no answer', async () => {
	const id = await createSurvey({ title: '只有一题', opens_on: '2026-01-01', closes_on: '2026-01-31' });
	await addQuestion(id, { kind: 'scale', title: '打几分？', required: '1' });
	assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	const only = count(`SELECT id FROM survey_questions WHERE survey_id = ${id};`);
	const del = await c.clerk.refused(await c.clerk.postForm(`/surveys/questions/${only}/delete`));
	assert.match(del.body, /已发布的问卷至少要保留一题/);
	assert.equal(count(`SELECT count(*) FROM survey_questions WHERE survey_id = ${id};`), 1);
	/* withdrawn to a draft, it may go */
	assert.equal((await c.clerk.postForm(`/surveys/${id}/unpublish`)).status, 303);
	assert.equal((await c.clerk.postForm(`/surveys/questions/${only}/delete`)).status, 303);
	assert.match((await c.clerk.refused(await c.clerk.postForm(`/surveys/${id}/publish`))).body, /问卷还没有题目，不能发布/);
	/* one left without questions all the same (written before this check): no empty answer */
	await addQuestion(id, { kind: 'scale', title: '打几分？' });
	assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	sqlExec(env.db, `DELETE FROM survey_questions WHERE survey_id = ${id};`);
	const before = responses();
	const r = await answer(id, []);
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.body, /此问卷没有题目/);
	assert.equal(responses(), before);
});

test('a text answer is tidied before it is checked: full-width spaces alone do not answer, and are not counted', async () => {
	const id = await createSurvey({ title: '必答填空', opens_on: '2026-01-01', closes_on: '2026-01-31' });
	await addQuestion(id, { kind: 'text', title: '请写下意见', required: '1' });
	assert.equal((await c.clerk.postForm(`/surveys/${id}/publish`)).status, 303);
	const before = responses();
	for (const blank of ['\u3000\u3000', '\u00a0 \u3000\n', ' ']) {
		const r = await answer(id, [['q1', blank]]);
		assert.equal(r.status, 400, `${JSON.stringify(blank)}: ${r}`);
		assert.match(r.body, /第1题：请回答此题/);
	}
	assert.equal(responses(), before);
	const ok = await answer(id, [['q1', '\u3000意见\u00a0']]);
	assert.equal(ok.status, 303, `${ok}`);
	/* 500 characters and full-width spaces around them: 500 once tidied, as stored */
	const full = await answer(id, [['q1', '\u3000'.repeat(20) + '字'.repeat(500) + '\u3000'.repeat(20)]]);
	assert.equal(full.status, 303, `${full}`);
	assert.equal(sqlExec(env.db, `SELECT text_value FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id WHERE q.survey_id = ${id} ORDER BY a.id;`), `意见\n${'字'.repeat(500)}\n`);
	/* 200 more (written straight to the store: the portal takes 20 an hour from one address):
	 * the results page lists the latest 200 and points to the export for all 202 */
	sqlExec(env.db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO survey_responses (survey_id, submitted_at, visitor_hash) SELECT ${id}, ${NOW} + i, 'bulk' || i FROM n;`);
	sqlExec(env.db, `INSERT INTO survey_answers (response_id, question_id, text_value) SELECT r.id, q.id, '批量' || r.visitor_hash FROM survey_responses r JOIN survey_questions q ON q.survey_id = r.survey_id WHERE r.survey_id = ${id} AND r.visitor_hash LIKE 'bulk%';`);
	const res = await c.leader.get(`/surveys/${id}/results`);
	assert.equal(res.status, 200);
	assert.equal([...res.body.matchAll(/<li><span class="prewrap">/g)].length, 200);
	assert.match(res.body, /仅列出最新的 200 条回答（最新的在前）；全部 202 条请导出答卷/);
	assert.ok(res.body.indexOf('批量bulk200') < res.body.indexOf('批量bulk1<'), 'newest first');
	assert.doesNotMatch(res.body, /<span class="prewrap">意见</, 'the oldest is left to the export');
	/* gone again: the flood test below counts the responses from this address */
	sqlExec(env.db, `DELETE FROM survey_answers WHERE text_value LIKE '批量bulk%'; DELETE FROM survey_responses WHERE visitor_hash LIKE 'bulk%';`);
});

test('titles and the introduction are tidied whole before they are counted: nothing is cut silently', async () => {
	const id = await createSurvey({ title: `甲${'\u3000'.repeat(200)}乙`, intro: `${'\u3000'.repeat(3000)}说明`, opens_on: '2026-01-01', closes_on: '2026-01-31' });
	assert.equal(sqlExec(env.db, `SELECT title FROM surveys WHERE id = ${id};`).trim(), '甲 乙');
	assert.equal(sqlExec(env.db, `SELECT intro FROM surveys WHERE id = ${id};`).trim(), '说明');
	await addQuestion(id, { kind: 'text', title: `题${'\u3000'.repeat(300)}目` });
	assert.equal(sqlExec(env.db, `SELECT title FROM survey_questions WHERE survey_id = ${id};`).trim(), '题 目');
	/* too long once tidied: refused in Chinese, not cut */
	for (const [fields, want] of [
		[{ title: '字'.repeat(101), opens_on: '2026-01-01', closes_on: '2026-01-31' }, /标题最多 100 个字/],
		[{ title: '说明太长', intro: '字'.repeat(2001), opens_on: '2026-01-01', closes_on: '2026-01-31' }, /说明最多 2000 个字/],
	]) {
		const page = await c.clerk.refused(await c.clerk.postForm(`/surveys/${id}`, fields));
		assert.match(page.body, want);
	}
	const q = await c.clerk.refused(await c.clerk.postForm(`/surveys/${id}/questions`, { kind: 'text', title: '题'.repeat(201) }));
	assert.match(q.body, /题目最多 200 个字/);
	assert.equal(sqlExec(env.db, `SELECT title FROM surveys WHERE id = ${id};`).trim(), '甲 乙');
});

test('an oversized body is refused before it is read; a flood from one address is stopped with 429', async () => {
	const before = answers();
	const big = await request(portal(), 'POST', `/survey/${ids.a}`, { body: 'q4=' + 'x'.repeat(300 * 1024), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal(big.status, 413, `${big.status}`);
	assert.equal(answers(), before);
	/* every answer stored from this address so far counted against it (refused ones did not):
	 * it gets 20 an hour, then 429 with a Chinese message and Retry-After */
	const stored = responses();
	assert.ok(stored < 20, `${stored}`);
	let limited = null;
	for (let i = stored; i < 20; i++) assert.equal((await answer(ids.a, pairsOf(SET[1]))).status, 303);
	limited = await answer(ids.a, pairsOf(SET[1]));
	assert.equal(limited.status, 429, `${limited}`);
	/* a bad answer is still told what is wrong: the limit counts only answers that would count */
	const bad = await answer(ids.a, [['q3', '9']]);
	assert.equal(bad.status, 400);
	assert.match(limited.body, /过于频繁/);
	assert.ok(Number(limited.headers['retry-after']) >= 1);
	const after_ = responses();
	assert.equal((await answer(ids.a, pairsOf(SET[1]))).status, 429);
	assert.equal(responses(), after_, 'nothing stored past the limit');
});

test('every staff action and answer is in the audit trail, which verifies', async () => {
	const actions = sqlExec(env.db, "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'survey.%' ORDER BY action;").trim().split('\n');
	for (const a of ['survey.answer', 'survey.create', 'survey.export', 'survey.publish', 'survey.question_add', 'survey.question_delete', 'survey.question_move', 'survey.results_hide', 'survey.results_show', 'survey.update'])
		assert.ok(actions.includes(a), a);
	const titled = await c.auditor.get('/audit?action=survey.');
	assert.equal(titled.status, 200);
	assert.match(titled.body, /提交问卷/);
	const v = await auditVerify(env.db);
	assert.equal(v.code, 0, v.stderr);
});

test('over https (a public host given as https://NAME) the visitor\'s cookie carries Secure', async () => {
	const server = await Server.start(env.db, { portal: true, args: ['--public-host', 'https://survey.example.gov.cn'], env: { VETS_FAKE_NOW: String(NOW) } });
	try {
		const g = await portalForm(server, `/survey/${ids.a}`);
		const v = new Client(server.portal);
		const r = await v.request('POST', `/survey/${ids.a}`, { form: [['_t', g._t], ['website', ''], ...pairsOf(SET[0])] });
		assert.equal(r.status, 303, `${r}`);
		assert.equal(r.cookies.find((k) => k.name === 'vets_survey')?.attrs.secure, true);
	} finally {
		await server.stop();
	}
});
