// lib.mjs - what the browser suites share: a demo server of their own (temp dir,
// `vets demo --no-serve`, `vets serve` on a free port), Debian's Chromium through
// playwright-core, pages that collect console errors, CSP violations and dialogs,
// signing in, and a test() wrapper that saves a full-page screenshot of every
// page still open when a test fails (build/test-logs/browser-<test name>.png).
//
// Usage in a suite:
//   const env = setup();                 // registers before/after hooks
//   browserTest('name', async () => { const page = await env.page(); ... });

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ROOT, BIN, SLOW, PASSWORD, freePort, demoCopy } from '../http/lib.mjs';

export { ROOT, BIN, SLOW, PASSWORD, freePort };
export const LOGS = path.join(ROOT, 'build', 'test-logs');
export const SCREENS = path.join(LOGS, 'screens');

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/* Servers still running when the process exits (a crash, an interrupted run) are killed. */
const children = new Set();
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

/** Parses the logins `vets demo` prints: "  username   password   角色". */
export function parseLogins(output) {
	const logins = {};
	for (const line of output.split('\n')) {
		const m = /^\s+([a-z][a-z0-9_.-]*)\s+(Demo@[0-9a-f]{6})\s+(\S+)\s*$/.exec(line);
		if (m) logins[m[1]] = { password: m[2], role: m[3] };
	}
	return logins;
}

/** Starts a demo server in a temp dir; resolves to {url, logins, log(), stop()}. */
export async function startServer() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vets-browser-'));
	const db = path.join(dir, 'v.db');
	const demo = { stdout: demoCopy(db) };
	const logins = parseLogins(demo.stdout);
	for (const u of ['sysadmin', 'secadmin', 'auditor', 'clerk'])
		if (!logins[u]) throw new Error(`no login for ${u} in vets demo output:\n${demo.stdout}`);

	const port = await freePort();
	let portalPort = await freePort();
	if (portalPort === port) portalPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const portalUrl = `http://127.0.0.1:${portalPort}`;
	/* the portal's forms take no minimum fill time here (a test fills faster than a person),
	 * and its pages are not cached (a test may change data behind the server's back) */
	const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--no-jobs',
		'--portal', `127.0.0.1:${portalPort}`, '--portal-min-fill', '0', '--portal-post-limit', '0', '--portal-cache', '0'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const exited = new Promise((resolve) => child.once('exit', resolve));

	const deadline = Date.now() + 10000 * SLOW;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`vets serve exited early (${child.exitCode ?? child.signalCode}):\n${output}`);
		try {
			const r = await fetch(`${url}/healthz`);
			if (r.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`vets serve did not answer /healthz in time:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}

	return {
		url,
		portalUrl,
		logins,
		log: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000 * SLOW);
				const code = await exited;
				clearTimeout(timer);
				rmSync(dir, { recursive: true, force: true });
				return code;
			}
			rmSync(dir, { recursive: true, force: true });
			return child.exitCode;
		},
	};
}

export function launchBrowser() {
	return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/* Pages opened during the running test, for the failure screenshots. */
let openPages = [];

/* Reports CSP violations to the console, where the page's listener sees them. */
const CSP_REPORTER = `document.addEventListener('securitypolicyviolation', function (e) {
	console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
		' at ' + e.sourceFile + ':' + e.lineNumber);
});`;

/**
 * A page in a new browser context. page.problems collects console errors and
 * warnings, uncaught exceptions, CSP violations and failed requests;
 * page.dialogs every alert/confirm/prompt (confirm() is accepted: it is the
 * data-confirm question of a form, which a person answers with 确定).
 */
export async function newPage(browser, server, options = {}) {
	const context = await browser.newContext({
		baseURL: server.url,
		locale: 'zh-CN',
		viewport: options.viewport ?? { width: 1366, height: 768 },
		...options.context,
	});
	context.setDefaultTimeout(10000 * SLOW);
	await context.addInitScript(CSP_REPORTER);
	const page = await context.newPage();
	page.problems = [];
	page.dialogs = [];
	page.on('console', (msg) => {
		/* a 4xx/5xx answer is reported below, unless it is the page itself (a 401
		 * login form or a 403 error page is a page, not a problem) */
		if (/^Failed to load resource: the server responded with a status of/.test(msg.text())) return;
		if (msg.type() === 'error' || msg.type() === 'warning')
			page.problems.push(`console.${msg.type()}: ${msg.text()}`);
	});
	page.on('response', (res) => {
		if (res.status() >= 400 && !res.request().isNavigationRequest())
			page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
	});
	page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
	page.on('requestfailed', (req) => {
		/* a navigation that replaces a page cancels its pending requests: not a problem */
		if (req.failure()?.errorText !== 'net::ERR_ABORTED')
			page.problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`);
	});
	page.on('dialog', async (dialog) => {
		page.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		if (dialog.type() === 'confirm') await dialog.accept();
		else await dialog.dismiss();
	});
	openPages.push(page);
	return page;
}

/** A page of the public portal (newPage with the portal's address as its base). */
export function newPortalPage(browser, server, options = {}) {
	return newPage(browser, { url: server.portalUrl }, options);
}

/**
 * Switches the portal's reading modes through its buttons, as a visitor does (they persist
 * in the browser): large 大字, contrast 高对比度; a mode not named is switched off.
 */
export async function portalMode(page, { large = false, contrast = false } = {}) {
	for (const [name, want] of [['大字', large], ['高对比度', contrast]]) {
		const button = page.getByRole('button', { name, exact: true });
		if ((await button.getAttribute('aria-pressed')) !== String(want)) await button.click();
		assert.equal(await button.getAttribute('aria-pressed'), String(want), `${name} mode`);
	}
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and asserts no serious or critical
 * violation; what names the page in the message.
 */
export async function axeCheck(page, what = pathOf(page)) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const bad = result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
	assert.deepEqual(bad, [], `axe-core on ${what}`);
}

/** Asserts the page has had no console error, CSP violation or uncaught exception. */
export function assertNoProblems(page, what = 'page') {
	assert.deepEqual(page.problems, [], `${what}: console errors / CSP violations / page errors`);
}

/** Signs in through the login form; does not check where it lands. */
export async function signIn(page, username, password) {
	await page.goto('/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码', { exact: true }).fill(password);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: '登录' }).click()]);
}

/** The path of the page's URL. */
export function pathOf(page) {
	return new URL(page.url()).pathname;
}

function fileSafe(name) {
	return name.replace(/[^A-Za-z0-9\u4e00-\u9fff._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

/** Saves a full-page screenshot for humans to look at: build/test-logs/screens/<name>.png. */
export async function screen(page, name) {
	mkdirSync(SCREENS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENS, `${fileSafe(name)}.png`), fullPage: true });
}

/**
 * test() that closes the contexts it opened and, when it fails, first saves a
 * full-page screenshot of each open page to build/test-logs/browser-<name>[-N].png.
 */
export function browserTest(name, fn, options = {}) {
	return test(name, options, async (t) => {
		openPages = [];
		try {
			await fn(t);
		} catch (err) {
			mkdirSync(LOGS, { recursive: true });
			const live = openPages.filter((p) => !p.isClosed());
			const saved = [];
			for (let i = 0; i < live.length; i++) {
				const file = path.join(LOGS, `browser-${fileSafe(name)}${live.length > 1 ? `-${i + 1}` : ''}.png`);
				try {
					await live[i].screenshot({ path: file, fullPage: true, timeout: 5000 });
					saved.push(`${path.relative(ROOT, file)} (${live[i].url()})`);
				} catch {
					/* the page may be gone */
				}
			}
			if (saved.length && err && typeof err === 'object')
				err.message += `\n    screenshot: ${saved.join(', ')}`;
			throw err;
		} finally {
			for (const p of openPages) await p.context().close().catch(() => {});
			openPages = [];
		}
	});
}

/**
 * A check that fails today because of a known, reported bug: run as a subtest
 * marked TODO (its failure is reported, with a screenshot of page, but does not
 * fail the suite). Once the bug is fixed the subtest passes: drop the marker by
 * setting bug to null.
 */
export async function knownBug(t, name, bug, page, fn) {
	await t.test(name, bug ? { todo: bug } : {}, async () => {
		try {
			await fn();
		} catch (err) {
			mkdirSync(LOGS, { recursive: true });
			const file = path.join(LOGS, `browser-${fileSafe(name)}.png`);
			await page.screenshot({ path: file, fullPage: true, timeout: 5000 }).catch(() => {});
			if (err && typeof err === 'object') err.message += `\n    screenshot: ${path.relative(ROOT, file)}`;
			throw err;
		}
	});
}

/**
 * Registers the hooks of a suite: a server and a browser before, both stopped
 * after. Returns {server, browser, page(options), login(username)}, filled in
 * by the before hook.
 */
export function setup() {
	const env = {
		server: null,
		browser: null,
		page(options) {
			return newPage(env.browser, env.server, options);
		},
		/** A page of the public portal. */
		portalPage(options) {
			return newPortalPage(env.browser, env.server, options);
		},
		password(username) {
			return env.server.logins[username].password;
		},
		/** A new context signed in as a demo account, on the page it lands on. */
		async as(username, options) {
			const page = await env.page(options);
			await signIn(page, username, env.password(username));
			assert.equal(pathOf(page), '/', `${username} should land on the home page`);
			return page;
		},
	};
	before(async () => {
		env.server = await startServer();
		env.browser = await launchBrowser();
	});
	after(async () => {
		await env.browser?.close();
		if (!env.server) return;
		const code = await env.server.stop();
		assert.equal(code, 0, `vets serve should exit 0 on SIGTERM; its output:\n${env.server.log()}`);
	});
	return env;
}
