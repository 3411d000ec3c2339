// soak.mjs - the driver of bench/soak.sh: CLIENTS signed-in users for DURATION seconds on
// a mix of staff pages, API reads, portal pages and writes (registry edits, imports,
// counter applications, payment batches generated, reviewed and approved), against a
// vets server that soak.sh started on a demo district. Node built-ins only.
//
// Environment (soak.sh sets it): SOAK_URL, SOAK_PORTAL, SOAK_PID (the server, for its
// RSS), SOAK_USERS (comma-separated NAME:PASSWORD, one per client), SOAK_BATCH
// ("clerk:PW,reviewer:PW,approver:PW": the three who sign a batch), CLIENTS, DURATION
// (seconds), WARMUP (seconds, default a fifth of DURATION, at most 60), THINK_MS (a
// client's pause between two actions: uniform in 0..THINK_MS, default 200), SEED.
//
// An answer is an error when the connection fails or the status is not one the action
// expects; a refusal the product gives on purpose (an import refused while another
// runs, a batch period already generated) is counted apart, as "refused". Prints one
// line per route (method and path, ids replaced by {id}) with count, errors and
// p50/p95/p99, the server's RSS at start, after warm-up, peak and end, and the p99 of
// the mix against the p99 of /healthz measured in the same run, under the same load.
// Exits 1 on any error or 5xx, or when the RSS at the end exceeds 1.5 times the RSS
// after warm-up.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const env = process.env;
const URL_ = new URL(env.SOAK_URL);
const PORTAL = new URL(env.SOAK_PORTAL);
const PID = Number(env.SOAK_PID);
const CLIENTS = Number(env.CLIENTS || 64);
const DURATION = Number(env.DURATION || 600);
const WARMUP = Number(env.WARMUP || Math.min(60, DURATION / 5));
const THINK_MS = Number(env.THINK_MS ?? 200);
const SEED = Number(env.SEED || Date.now() % 1000000);
const USERS = env.SOAK_USERS.split(',').map((u) => u.split(':'));
const [BATCH_CLERK, BATCH_REVIEWER, BATCH_APPROVER] = env.SOAK_BATCH.split(',').map((u) => u.split(':'));

/* A small seeded generator (mulberry32), one per client, so a run can be repeated. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/* ---- figures ---- */

const routes = new Map(); /* route -> {ms: [], errors, refused, s5xx} */
let total = 0;
let errors = 0;
let refused = 0;
let s5xx = 0;
const errorSamples = [];

function routeOf(method, path) {
	const p = path.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/{id}');
	return `${method} ${p}`;
}

function record(route, ms, outcome, detail) {
	let r = routes.get(route);
	if (!r) routes.set(route, (r = { ms: [], errors: 0, refused: 0 }));
	r.ms.push(ms);
	total++;
	if (outcome === 'error') {
		r.errors++;
		errors++;
		if (errorSamples.length < 20) errorSamples.push(`${route}: ${detail}`);
	} else if (outcome === 'refused') {
		r.refused++;
		refused++;
	}
}

function pct(sorted, p) {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/* ---- HTTP: one keep-alive connection per client, as a browser keeps ---- */

class Client {
	constructor(target, n) {
		this.target = target;
		this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		this.jar = new Map();
		this.csrf = null;
		this.n = n;
	}

	/* Resolves {status, headers, body} or {status: 0, error}; records the time. */
	send(method, path, { json, form, body, headers = {}, expect = [200], refuse = [], label } = {}) {
		const h = { ...headers, Host: this.target.host };
		if (this.jar.size) h.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
		if (json !== undefined) {
			body = JSON.stringify(json);
			h['Content-Type'] = 'application/json';
		} else if (form !== undefined) {
			body = Object.entries(form)
				.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
				.join('&');
			h['Content-Type'] = 'application/x-www-form-urlencoded';
		}
		if (this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
		if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
		const route = label || routeOf(method, path);
		const t0 = process.hrtime.bigint();
		return new Promise((resolve) => {
			const done = (res) => {
				const ms = Number(process.hrtime.bigint() - t0) / 1e6;
				if (res.status >= 500) s5xx++;
				const outcome = res.status === 0 || !(expect.includes(res.status) || refuse.includes(res.status)) ? 'error' : refuse.includes(res.status) ? 'refused' : 'ok';
				record(route, ms, outcome, res.error || `${res.status} ${String(res.body).slice(0, 200)}`);
				resolve(res);
			};
			const req = http.request(
				{ host: this.target.hostname, port: this.target.port, method, path, headers: h, agent: this.agent, setHost: false },
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => {
						for (const line of res.headers['set-cookie'] || []) {
							const pair = line.split(';')[0];
							const i = pair.indexOf('=');
							const k = pair.slice(0, i).trim();
							const v = pair.slice(i + 1).trim();
							if (v === '' || /max-age=0/i.test(line)) this.jar.delete(k);
							else this.jar.set(k, v);
						}
						done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
					});
					res.on('error', (e) => done({ status: 0, error: e.message }));
				},
			);
			req.setTimeout(60000, () => req.destroy(new Error('timeout after 60 s')));
			req.on('error', (e) => done({ status: 0, error: e.message }));
			req.end(body);
		});
	}

	async login(user, password) {
		const r = await this.send('POST', '/api/v1/session', { json: { username: user, password } });
		if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${r.body}`);
		this.csrf = JSON.parse(r.body).csrf;
	}
}

/* ---- the mix ---- */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let importsDone = 0;
let importsRefused = 0;
let persons = []; /* ids of people the clerks may edit */
let names = []; /* names to search for */
const pick = (rand, a) => a[Math.floor(rand() * a.length)];

/* 18-digit ID numbers (GB 11643) that no demo person has: area 110101 is not the demo's. */
function idNumber(body) {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((a, c, i) => a + Number(c) * w[i], 0);
	return body + '10X98765432'[sum % 11];
}
let idSerial = 0;
function newId(n) {
	/* client n, serial k: a birth day per (n, k / 900), a sequence number 100..999 */
	const k = idSerial++;
	const day = new Date(Date.UTC(1950, 0, 1) + (n * 400 + Math.floor(k / 900)) * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
	return idNumber(`110101${day}${String(100 + (k % 900))}`);
}

const PAGES = ['/', '/persons', '/benefits', '/payments', '/entitlements', '/dashboard', '/applications', '/persons/import'];
const APIS = ['/api/v1/me', '/api/v1/todos', '/api/v1/payments/batches', '/api/v1/applications', '/api/v1/dashboard', '/api/v1/entitlements'];
const PORTAL_PAGES = ['/', '/news', '/guide', '/qa', '/open', '/mailbox'];
const MATERIALS = ['安置地人民政府退役军人事务部门开具的介绍信', '退出现役证明（退役证）', '居民身份证', '近期免冠彩色证件照'];

async function staffPage(c, rand) {
	const x = rand();
	if (x < 0.5) return c.send('GET', pick(rand, PAGES));
	if (x < 0.65) return c.send('GET', `/persons?q=${encodeURIComponent(pick(rand, names))}`, { label: 'GET /persons?q=' });
	if (x < 0.85) return c.send('GET', `/persons/${pick(rand, persons)}`);
	return c.send('GET', `/persons/${pick(rand, persons)}/edit`);
}

async function apiRead(c, rand) {
	const x = rand();
	if (x < 0.5) return c.send('GET', pick(rand, APIS));
	if (x < 0.75) return c.send('GET', `/api/v1/persons?q=${encodeURIComponent(pick(rand, names))}`, { label: 'GET /api/v1/persons?q=' });
	return c.send('GET', `/api/v1/persons/${pick(rand, persons)}`);
}

async function personEdit(c, rand) {
	const id = pick(rand, persons);
	const phone = `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
	return c.send('PATCH', `/api/v1/persons/${id}`, { json: { phone, address: `压测路 ${Math.floor(rand() * 1000)} 号` } });
}

async function application(c, rand) {
	return c.send('POST', '/api/v1/applications', {
		json: { service: 'TY-001', name: `窗口${c.n}`, id_number: newId(c.n), phone: '13800000000', materials: MATERIALS },
		expect: [201, 200],
	});
}

async function personImport(c, rand) {
	const rows = ['姓名,身份证号,人员类别,街道'];
	const n = 2 + Math.floor(rand() * 4);
	for (let i = 0; i < n; i++) rows.push(`导入${c.n}-${i},${newId(c.n)},退役军人,${pick(rand, ['东湖街道', '长青街道', '关山街道'])}`);
	const boundary = '----soak' + Math.floor(rand() * 1e12).toString(16);
	const body = Buffer.concat([
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="soak.csv"\r\nContent-Type: text/csv\r\n\r\n`),
		Buffer.from(rows.join('\r\n') + '\r\n'),
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	/* 200: the preview; 303 to the form: refused (another import of the district runs). */
	const up = await c.send('POST', '/persons/import', { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, expect: [200], refuse: [303] });
	const token = /name="token" value="([0-9a-f]{64})"/.exec(up.body || '')?.[1];
	if (up.status !== 200) return up;
	if (!token) {
		record('POST /persons/import', 0, 'error', 'no token in the preview');
		return up;
	}
	/* 303 either way: to the result, or back to the form with its refusal (?form=…) */
	const r = await c.send('POST', '/persons/import/confirm', { form: { csrf: c.csrf, token }, expect: [303] });
	if (r.status === 303) (/[?&]form=/.test(r.headers.location || '') ? importsRefused++ : importsDone++);
	return r;
}

/* The batches: every monthly benefit's months of the current year, in order; each generated
 * by the clerk, reviewed by the reviewer, approved by the approver. When none is left, one
 * period is generated and sent back by its reviewer, again and again (the same steps, and
 * a sent-back period may be generated anew). */
async function batchLoop(signers, deadline, rand) {
	const [clerk, reviewer, approver] = signers;
	const year = new Date().getUTCFullYear();
	const month = new Date().getUTCMonth() + 1;
	const periods = [];
	for (let m = 1; m <= month; m++)
		for (const b of ['LIVING', 'DISABILITY', 'SURVIVOR']) periods.push([`${year}-${String(m).padStart(2, '0')}`, b]);
	const last = periods.pop(); /* kept for the send-back cycle */
	let approved = 0;
	let sentBack = 0;
	const every = Math.max(2000, (DURATION * 1000) / (periods.length + 4));
	while (Date.now() < deadline) {
		const t = Date.now();
		const [period, benefit] = periods.length ? periods.shift() : last;
		const g = await clerk.send('POST', '/api/v1/payments/batches', { json: { period, benefit }, expect: [201], refuse: [409, 400] });
		if (g.status === 201) {
			const id = JSON.parse(g.body).id;
			await clerk.send('GET', `/payments/${id}`);
			if (period !== last[0] || benefit !== last[1]) {
				const r = await reviewer.send('POST', `/api/v1/payments/batches/${id}/review`);
				if (r.status === 200) {
					const a = await approver.send('POST', `/api/v1/payments/batches/${id}/approve`);
					if (a.status === 200) approved++;
				}
			} else {
				const r = await reviewer.send('POST', `/api/v1/payments/batches/${id}/reject`, { json: { reason: '压测退回' } });
				if (r.status === 200) sentBack++;
			}
		}
		await sleep(Math.max(0, every - (Date.now() - t)) * (0.5 + rand()));
	}
	return { approved, sentBack };
}

async function worker(n, user, deadline) {
	const rand = rng(SEED * 1000 + n);
	const c = new Client(URL_, n);
	await c.login(user[0], user[1]);
	const p = new Client(PORTAL, n);
	await sleep(rand() * 2000); /* not all at once */
	while (Date.now() < deadline) {
		const x = rand();
		if (x < 0.36) await staffPage(c, rand);
		else if (x < 0.6) await apiRead(c, rand);
		else if (x < 0.75) {
			const page = pick(rand, PORTAL_PAGES);
			await p.send('GET', page, { label: `GET portal ${page}` });
		}
		else if (x < 0.8) await c.send('GET', '/healthz', { label: 'REF GET /healthz' });
		else if (x < 0.9) await personEdit(c, rand);
		else if (x < 0.98) await application(c, rand);
		else await personImport(c, rand);
		if (THINK_MS > 0) await sleep(rand() * THINK_MS);
	}
}

/* ---- RSS ---- */

function rss() {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${PID}/status`, 'utf8'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

/* The server's CPU time (user + system), in seconds. */
function cpu() {
	try {
		const f = readFileSync(`/proc/${PID}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12])) / 100;
	} catch {
		return 0;
	}
}

async function main() {
	const start = Date.now();
	console.log(`soak: ${CLIENTS} clients, ${DURATION} s (warm-up ${WARMUP} s), think 0..${THINK_MS} ms, seed ${SEED}`);
	const rssStart = rss();
	const cpuStart = cpu();
	let rssPeak = rssStart;
	let rssWarm = 0;
	const samples = [];
	const sampler = setInterval(() => {
		const v = rss();
		samples.push([Math.round((Date.now() - start) / 1000), v]);
		rssPeak = Math.max(rssPeak, v);
		if (!rssWarm && Date.now() - start >= WARMUP * 1000) rssWarm = v;
	}, 2000);

	/* What the mix reads and edits: people of the district, through the API. */
	const admin = new Client(URL_, 0);
	await admin.login(USERS[0][0], USERS[0][1]);
	for (let page = 1; page <= 5; page++) {
		const r = await admin.send('GET', `/api/v1/persons?per_page=200&page=${page * 7}`);
		const j = JSON.parse(r.body);
		for (const it of j.items || []) {
			persons.push(it.id);
			names.push(it.name);
		}
	}
	if (!persons.length) throw new Error('no people in the district');

	const deadline = start + DURATION * 1000;
	const signers = [];
	for (const [u, pw] of [BATCH_CLERK, BATCH_REVIEWER, BATCH_APPROVER]) {
		const c = new Client(URL_, 999);
		await c.login(u, pw);
		signers.push(c);
	}
	const jobs = [];
	for (let i = 0; i < CLIENTS; i++) jobs.push(worker(i + 1, USERS[i % USERS.length], deadline));
	const batch = batchLoop(signers, deadline, rng(SEED));
	const results = await Promise.allSettled([...jobs, batch]);
	clearInterval(sampler);
	const failed = results.filter((r) => r.status === 'rejected');
	for (const f of failed) {
		errors++;
		errorSamples.push(String(f.reason?.message || f.reason));
	}
	const batches = results.at(-1).value || { approved: 0, sentBack: 0 };
	/* The end: after the load, as the server is left. */
	await sleep(2000);
	const rssEnd = rss();
	const cpuUsed = cpu() - cpuStart;
	rssPeak = Math.max(rssPeak, rssEnd);
	if (!rssWarm) rssWarm = rssStart;
	const secs = (Date.now() - start) / 1000;

	console.log('');
	console.log(`${'route'.padEnd(44)} ${'count'.padStart(7)} ${'err'.padStart(4)} ${'refused'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
	const all = [];
	for (const [route, r] of [...routes].sort((a, b) => a[0].localeCompare(b[0]))) {
		const s = r.ms.slice().sort((a, b) => a - b);
		if (!route.startsWith('REF ')) all.push(...r.ms);
		console.log(`${route.padEnd(44)} ${String(s.length).padStart(7)} ${String(r.errors).padStart(4)} ${String(r.refused).padStart(7)} ${pct(s, 50).toFixed(1).padStart(8)} ${pct(s, 95).toFixed(1).padStart(8)} ${pct(s, 99).toFixed(1).padStart(8)}`);
	}
	all.sort((a, b) => a - b);
	const ref = (routes.get('REF GET /healthz')?.ms || []).slice().sort((a, b) => a - b);
	const mixP99 = pct(all, 99);
	const refP99 = pct(ref, 99);
	const ratio = refP99 > 0 ? mixP99 / refP99 : 0;
	console.log('');
	console.log(`requests ${total} in ${secs.toFixed(0)} s (${(total / secs).toFixed(1)}/s), errors ${errors}, refused ${refused}, 5xx ${s5xx}`);
	console.log(`imports confirmed ${importsDone}, refused at confirmation ${importsRefused}`);
	console.log(`batches approved ${batches.approved}, generated and sent back ${batches.sentBack}`);
	console.log(`mix (all but the reference): p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, p99 ${mixP99.toFixed(1)} ms`);
	console.log(`server CPU ${cpuUsed.toFixed(0)} s in ${secs.toFixed(0)} s (${(cpuUsed / secs).toFixed(2)} of the machine's ${os.cpus().length} cores); load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	console.log(`RSS KiB: start ${rssStart}, after warm-up ${rssWarm}, peak ${rssPeak}, end ${rssEnd} (end/warm-up ${(rssEnd / rssWarm).toFixed(2)})`);
	console.log(`RSS samples (s:KiB): ${samples.filter((_, i) => i % 15 === 0).map(([t, v]) => `${t}:${v}`).join(' ')}`);
	console.log(`ratio p99 mix / p99 /healthz (same run, same load): ${mixP99.toFixed(1)} / ${refP99.toFixed(1)} = ${ratio.toFixed(1)}`);
	for (const e of errorSamples) console.log(`error: ${e}`);
	/* for soak.sh's result line */
	console.log(`SOAK\t${mixP99.toFixed(1)}\t${refP99.toFixed(1)}\t${ratio.toFixed(1)}\t${errors}\t${s5xx}\t${rssStart}\t${rssWarm}\t${rssPeak}\t${rssEnd}`);
	const bad = [];
	if (errors) bad.push(`${errors} errors`);
	if (s5xx) bad.push(`${s5xx} answers 5xx`);
	if (rssEnd > 1.5 * rssWarm) bad.push(`RSS at the end ${rssEnd} KiB > 1.5 × ${rssWarm} KiB after warm-up`);
	if (!rssStart) bad.push('the server is gone');
	if (bad.length) {
		console.log(`FAIL: ${bad.join(', ')}`);
		process.exit(1);
	}
	console.log('ok');
}

main().catch((e) => {
	console.error(`soak: ${e.stack || e}`);
	process.exit(1);
});
