// report.test.mjs - the annual report drafted from the records (areas/report.h): the demo's 2023
// report has the seed report's figures, each figure's list as long as its value (or summing to
// it); later years' records leave 2023 alone; once finalised, a corrected 2023 record shows
// beside the frozen figure, marked as a correction, on the page, in JSON and in the .docx; the
// .docx converts to PDF in LibreOffice; who may write, finalise and publish, and a street's view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client, Server, auditVerify, cleanup, demoStore, sqlExec, tempDir, vets } from './lib.mjs';

/* The demo's logins (vets demo --seed 1). */
const LOGIN = {
	clerk: 'Demo@b1fdd5',
	leader: 'Demo@b5527b',
	station: 'Demo@12f628',
	reviewer: 'Demo@91fe86',
	sysadmin: 'Demo@27ecdd',
};

/* The seed: the bureau's 2023 法治政府建设 report, typed by hand. */
const SEED = {
	benefit_payments: 11047,
	conscript_allowance_payments: 1315,
	enlistment_bonus_payments: 304,
	regular_contacts: 62,
	temporary_visits: 59,
	holiday_visits: 1496,
	officers_placed: 8,
	soldiers_placed: 21,
	medical_insurance_continued: 21,
	job_fairs: 7,
	shuangyong_activities: 16,
	shuangyong_news: 19,
	tolerated_items: 20,
	petition_reply_rate: 1,
	exam_participation_rate: 1,
	exam_excellence_rate: 1,
};

let env;
const c = {};

before(async () => {
	const { db } = await demoStore();
	env = { db, server: await Server.start(db) };
	for (const u of Object.keys(LOGIN)) {
		c[u] = new Client(env.server);
		await c[u].signIn(u, LOGIN[u]);
	}
});

after(async () => {
	try {
		if (env?.server.alive) await env.server.stop();
	} finally {
		await cleanup();
	}
});

function api(client, method, p, json) {
	return client.request(method, p, { json, headers: { 'X-CSRF-Token': client.csrf } });
}

async function report(year, ...more) {
	const r = await vets(['report', '--year', String(year), '--db', env.db, ...more]);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

const byKey = (r) => Object.fromEntries(r.figures.map((f) => [f.key, f]));

async function listRows(key, year = 2023) {
	const r = await vets(['report', '--year', String(year), '--figure', key, '--list', '--db', env.db]);
	assert.equal(r.code, 0, `${key}: ${r.stderr}`);
	return r.stdout.trim() ? r.stdout.trim().split('\n').map((l) => JSON.parse(l)) : [];
}

test('MUST SHOW 1: the demo\'s 2023 report has the seed\'s figures, each list as long as its value', async () => {
	const r = await report(2023);
	assert.equal(r.year, 2023);
	assert.equal(r.status, '草稿');
	assert.deepEqual(r.sections.map((s) => s.title), [
		'一、主要举措和成效',
		'二、存在的不足和问题',
		'三、党政主要负责人履行推进法治建设第一责任人职责情况',
		'四、下一年度主要安排',
	]);
	const f = byKey(r);
	for (const [key, value] of Object.entries(SEED)) {
		assert.ok(f[key], `the report has ${key}`);
		assert.equal(f[key].value, value, key);
		for (const field of ['name', 'unit', 'definition']) assert.ok(f[key][field], `${key} ${field}`);
	}
	assert.ok(f.brochures.value >= 3000);
	/* Every number of the seed is printed in the first part, from the records. */
	const text = r.sections[0].text;
	for (const shown of ['11,047', '1,315', '304', '62', '59', '1,496', '8', '21', '7', '16', '19', '20', '100%'])
		assert.ok(text.includes(shown), `一、主要举措和成效 prints ${shown}`);
	/* Each figure's rows: as many as its value, or summing to it. */
	for (const fig of r.figures) {
		if (fig.unit === '%') {
			const refused = await vets(['report', '--year', '2023', '--figure', fig.key, '--list', '--db', env.db]);
			assert.equal(refused.code, 2, `${fig.key} is a rate: its two figures are listed instead`);
			assert.match(refused.stderr, /比率/);
			continue;
		}
		const rows = await listRows(fig.key);
		if (fig.sum_column) assert.equal(rows.reduce((n, row) => n + row[fig.sum_column], 0), fig.value, `${fig.key} sums its rows`);
		else assert.equal(rows.length, fig.value, `${fig.key} lists as many rows as its value`);
	}
	/* The same figures in JSON, HTML and through the API. */
	const page = await c.leader.get('/report?year=2023');
	assert.equal(page.status, 200);
	assert.match(page.body, /href="\/[a-z_]+\/stats\/list\?key=benefit_payments&amp;year=2023"[^>]*>11,047</);
	const json = await c.leader.get('/api/v1/report?year=2023');
	assert.deepEqual(byKey(json.json).holiday_visits.value, 1496);
	const html = await vets(['report', '--year', '2023', '--format', 'html', '--db', env.db]);
	assert.equal(html.code, 0, html.stderr);
	assert.match(html.stdout, /^<!doctype html>/);
	assert.ok(html.stdout.includes('1,496') && html.stdout.includes('附件：统计数字及口径'));
	assert.ok(!html.stdout.includes('<a '), 'the standalone document links nowhere');
});

test('a street\'s report: its own figures, the streets summing to the district', async () => {
	const district = byKey(await report(2023));
	const streets = sqlExec(env.db, "SELECT code, name FROM regions WHERE level = 'street' ORDER BY code;").trim().split('\n').map((l) => l.split('|'));
	let sum = 0;
	for (const [code] of streets) sum += byKey(await report(2023, '--street', code)).holiday_visits.value;
	assert.equal(sum, district.holiday_visits.value);
	/* A station sees its street's report, live, and may not widen it to another street. */
	const own = await c.station.get('/api/v1/report?year=2023');
	assert.equal(own.status, 200, `${own}`);
	const [ownCode] = streets.find(([, name]) => name === own.json.scope);
	assert.equal(byKey(own.json).holiday_visits.value, byKey(await report(2023, '--street', ownCode)).holiday_visits.value);
	assert.equal(own.json.frozen, false);
	const [foreign] = streets.find(([code]) => code !== ownCode);
	const refused = await c.station.get(`/api/v1/report?year=2023&street=${foreign}`);
	assert.equal(refused.status, 404);
	assert.doesNotMatch(refused.body, new RegExp(foreign), 'the refusal does not echo the street');
	const bad = await vets(['report', '--year', '2023', '--street', '42', '--db', env.db]);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /街道代码应为 9 位数字/);
	assert.equal((await c.station.get('/report/edit?year=2023')).status, 403);
});

test('MUST SHOW 2: later records leave 2023 alone; after finalising, a correction shows beside the frozen figure', async () => {
	const before23 = (await report(2023)).figures.map((f) => [f.key, f.value]);
	/* 2024's records: a 双拥 activity with its news report, a 普法 brochure handout. */
	let r = await api(c.clerk, 'POST', '/api/v1/shuangyong', { held_on: '2024-05-20', kind: '军民共建', units: '区退役军人事务局、驻区某部', place: '驻区某部营区', solved: '' });
	assert.equal(r.status, 201, `${r}`);
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/${r.json.id}/reports`, { medium: '区融媒体中心', published_on: '2024-05-21', title: '军民共建新篇章', link: '' });
	assert.equal(r.status, 201, `${r}`);
	assert.deepEqual((await report(2023)).figures.map((f) => [f.key, f.value]), before23, '2024 changes nothing of 2023');

	/* The text: a version saved, an unknown figure refused (nothing saved). */
	const draft = (await c.clerk.get('/api/v1/report?year=2023')).json;
	assert.equal(draft.version, 0, 'the draft the records give, not yet saved');
	const parts = { achievements: '全年开展双拥活动 {shuangyong_activities} 场，新闻报道 {shuangyong_news} 篇。\n节日慰问 {holiday_visits} 人次。', shortcomings: '一是……', duties: '局党组书记……', plans: '一是……' };
	r = await api(c.clerk, 'POST', '/api/v1/report', { year: 2023, ...parts, plans: '{no_such_figure}' });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /no_such_figure/);
	assert.equal(Number(sqlExec(env.db, 'SELECT count(*) FROM report_drafts WHERE year = 2023;').trim()), 0);
	r = await api(c.clerk, 'POST', '/api/v1/report', { year: 2023, ...parts });
	assert.equal(r.status, 200, `${r}`);
	assert.equal(r.json.version, 1);
	/* A part left out, a text longer than the portal takes, a long refused form: nothing saved. */
	r = await api(c.clerk, 'POST', '/api/v1/report', { year: 2023, achievements: 'x' });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /请填写/);
	r = await api(c.clerk, 'POST', '/api/v1/report', { year: 2023, ...parts, achievements: '甲'.repeat(13000), shortcomings: '乙'.repeat(12000) });
	assert.equal(r.status, 400, `${r}`);
	assert.match(r.body, /24000/);
	const long = `${'丙'.repeat(14000)} {holiday_visit}`;
	r = await c.clerk.postForm('/report/edit', { year: 2023, ...parts, achievements: long });
	assert.equal(r.status, 400, 'too long a form to keep: it answers itself');
	assert.ok(r.body.includes(long), 'with what was typed');
	assert.match(r.body, /「\{holiday_visit\}」不是统计项/);
	assert.equal(Number(sqlExec(env.db, 'SELECT count(*) FROM report_drafts WHERE year = 2023;').trim()), 1);
	r = await api(c.leader, 'POST', '/api/v1/report', { year: 2023, ...parts });
	assert.equal(r.status, 403, 'a leader finalises; the bureau\'s clerks write');

	/* Finalising: a leader only, a year that is over, once. */
	assert.equal((await api(c.clerk, 'POST', '/api/v1/report/finalise', { year: 2023 })).status, 403);
	const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
	r = await api(c.leader, 'POST', '/api/v1/report/finalise', { year: thisYear });
	assert.equal(r.status, 409, `${r}`);
	assert.match(r.body, /尚未结束/);
	r = await api(c.leader, 'POST', '/api/v1/report/finalise', { year: 2023 });
	assert.equal(r.status, 200, `${r}`);
	assert.equal((await api(c.leader, 'POST', '/api/v1/report/finalise', { year: 2023 })).status, 409);
	assert.equal((await api(c.clerk, 'POST', '/api/v1/report', { year: 2023, ...parts })).status, 409, 'a finalised text stays');
	let final = await report(2023);
	assert.equal(final.status, '已定稿');
	assert.equal(final.corrections, 0);
	assert.equal(final.sections[0].text, '全年开展双拥活动 16 场，新闻报道 19 篇。\n节日慰问 1,496 人次。');
	assert.deepEqual(final.figures.map((f) => [f.key, f.value]), before23, 'frozen as they stood');

	/* A 2023 record corrected: a news report recorded in error is deleted. */
	const wrong = sqlExec(env.db, "SELECT id FROM shuangyong_reports WHERE published_on >= '2023-01-01' AND published_on <= '2023-12-31' ORDER BY id LIMIT 1;").trim();
	r = await api(c.clerk, 'POST', `/api/v1/shuangyong/reports/${wrong}/delete`, {});
	assert.equal(r.status, 200, `${r}`);
	final = await report(2023);
	const fn = byKey(final).shuangyong_news;
	assert.equal(fn.value, 19, 'the finalised figure is kept');
	assert.equal(fn.current, 18, 'the figure as the records now stand');
	assert.equal(fn.corrected, true);
	assert.equal(final.corrections, 1);
	assert.equal(byKey(final).shuangyong_activities.corrected, undefined, 'the others unchanged');
	assert.equal(final.sections[0].text, '全年开展双拥活动 16 场，新闻报道 19（更正后为 18） 篇。\n节日慰问 1,496 人次。');
	const page = await c.reviewer.get('/report?year=2023');
	assert.equal(page.status, 200);
	assert.match(page.body, /<ins class="correction"[^>]*>（更正：现为 18）<\/ins>/);
	assert.match(page.body, /定稿/);
	/* Rates are frozen as their two counts, not as a rounded fraction. */
	assert.equal(sqlExec(env.db, "SELECT value FROM report_figures WHERE year = 2023 AND key = 'petition_reply_rate';").trim(), `${byKey(final).petitions_replied.value}/${byKey(final).petitions_closed.value}`);
	/* A station reads its street's live figures, not told they are frozen; a narrowed report links nowhere. */
	const own = await c.station.get('/report?year=2023');
	assert.match(own.body, /区局报告已于 \d{4}-\d\d-\d\d 定稿；以下为.+按现有记录的实时数字/);
	assert.doesNotMatch(own.body, /数字冻结于定稿之日/);
	const narrowed = await c.leader.get(`/report?year=2023&street=${sqlExec(env.db, "SELECT min(code) FROM regions WHERE level = 'street';").trim()}`);
	assert.equal(narrowed.status, 200);
	assert.doesNotMatch(narrowed.body, /class="figure" href=/);
	/* Published on 信息公开 by a clerk, once, however many ask at the same time. */
	const tries = await Promise.all([1, 2, 3].map(() => api(c.clerk, 'POST', '/api/v1/report/publish', { year: 2023 })));
	assert.deepEqual(tries.map((t) => t.status).sort(), [200, 409, 409], tries.map(String).join('\n'));
	const published = tries.find((t) => t.status === 200).json.article_id;
	assert.equal(sqlExec(env.db, `SELECT count(*) FROM articles WHERE title = '${final.title}';`).trim(), '1', 'one article, the drafts of the others dropped');
	const article = sqlExec(env.db, `SELECT kind, category, status FROM articles WHERE id = ${published};`).trim();
	assert.equal(article, '信息公开|年度报告|已发布');
	assert.equal((await api(c.clerk, 'POST', '/api/v1/report/publish', { year: 2023 })).status, 409);
	/* A figure the registry gained after finalising (its frozen row absent) shows as not frozen. */
	sqlExec(env.db, "DELETE FROM report_figures WHERE year = 2023 AND key = 'brochures';");
	const later = byKey(await report(2023)).brochures;
	assert.equal(later.added, true);
	assert.equal(later.frozen, undefined);
	/* The CLI lists a figure's rows only to one who may read its set. */
	const denied = await vets(['report', '--year', '2023', '--figure', 'benefit_payments', '--list', '--as', 'station', '--password-stdin', '--db', env.db], { input: `${LOGIN.station}\n` });
	assert.equal(denied.code, 1, denied.stderr);
	assert.match(denied.stderr, /权限/);
	assert.equal(denied.stdout, '');
	/* The trail: saved, finalised; and it verifies. */
	const actions = sqlExec(env.db, "SELECT action FROM audit_log WHERE action IN ('report.save', 'report.finalise') ORDER BY seq;").trim().split('\n');
	assert.deepEqual(actions, ['report.save', 'report.finalise']);
	auditVerify(env.db);
});

test('MUST SHOW 3: the .docx opens in LibreOffice and converts to PDF', async () => {
	const dir = tempDir();
	const file = path.join(dir, 'report-2023.docx');
	const made = await vets(['report', '--year', '2023', '--format', 'docx', '--output', file, '--db', env.db]);
	assert.equal(made.code, 0, made.stderr);
	const unzip = spawnSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
	if (unzip.status === 0) assert.match(unzip.stdout, /一、主要举措和成效/);
	const profile = path.join(dir, 'lo-profile');
	mkdirSync(profile);
	const lo = spawnSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { encoding: 'utf8', timeout: 240000 });
	assert.equal(lo.status, 0, `soffice: ${lo.stderr}${lo.stdout}`);
	const pdf = path.join(dir, 'report-2023.pdf');
	assert.ok(existsSync(pdf), 'LibreOffice wrote the PDF');
	assert.ok(statSync(pdf).size > 10000, 'a PDF with pages in it');
	assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
	try {
		const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
		assert.match(text.replace(/\s+/g, ''), /法治政府建设工作报告/);
		assert.match(text, /附件：统计数字及口径/);
	} catch (e) {
		if (e.code !== 'ENOENT') throw e; /* no pdftotext here: the PDF's existence is the check */
	}
	/* Refusals: no file name, a bad format, a year out of range. */
	for (const args of [['--format', 'docx'], ['--format', 'pdf'], ['--year', '1800']]) {
		const r = await vets(['report', '--year', '2023', ...args, '--db', env.db]);
		assert.equal(r.code, 2, args.join(' '));
		assert.match(r.stderr, /[\u4e00-\u9fff]/);
	}
	const download = await c.leader.get('/report/docx?year=2023');
	assert.equal(download.status, 200);
	assert.match(download.headers['content-type'], /wordprocessingml/);
});
