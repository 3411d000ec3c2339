// employment.test.mjs - 就业创业 in a browser, on the demo's store. MUST SHOW 3: the employment
// officer (clerk) creates a fair, uploads the organisers' .xlsx (made here) on its page, sees
// the enterprises and positions, and finds them counted on /employment/stats; a sheet with a
// bad credit code and a negative count is refused naming row and field, saving nothing. The
// area's pages pass axe-core and fit at 360 px. In order.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { assertNoProblems, axeCheck, browserTest, pathOf, screen, setup } from './lib.mjs';

const env = setup();

/* Today in Shanghai, and this year: the demo's figures of this year are the baseline. */
const TODAY = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const YEAR = TODAY.slice(0, 4);

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body17[i]) * (3 ** i % 31);
	const c = 31 - (sum % 31);
	return body17 + ALPHABET[c === 31 ? 0 : c];
}
/* Codes the demo's pool never makes (its bodies are 91 + area + digits). */
const A = uscc('93420199MA4KT0001');
const B = uscc('93420199MA4KT0002');

/* A workbook of rows of text cells: a zip of stored parts. */
function xlsx(rows) {
	const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
	const sheet = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) =>
		`<c r="${String.fromCharCode(65 + i)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`).join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	const pkg = 'http://schemas.openxmlformats.org/package/2006';
	const parts = {
		'[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		'_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="岗位" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheet}</sheetData></worksheet>`,
	};
	const locals = [];
	const central = [];
	let offset = 0;
	for (const [name, text] of Object.entries(parts)) {
		const data = Buffer.from(text, 'utf8');
		const n = Buffer.from(name, 'utf8');
		const crc = zlib.crc32(data);
		const head = Buffer.alloc(30);
		head.writeUInt32LE(0x04034b50, 0);
		head.writeUInt16LE(20, 4);
		head.writeUInt32LE(crc, 14);
		head.writeUInt32LE(data.length, 18);
		head.writeUInt32LE(data.length, 22);
		head.writeUInt16LE(n.length, 26);
		const dir = Buffer.alloc(46);
		dir.writeUInt32LE(0x02014b50, 0);
		dir.writeUInt16LE(20, 4);
		dir.writeUInt16LE(20, 6);
		dir.writeUInt32LE(crc, 16);
		dir.writeUInt32LE(data.length, 20);
		dir.writeUInt32LE(data.length, 24);
		dir.writeUInt16LE(n.length, 28);
		dir.writeUInt32LE(offset, 42);
		locals.push(head, n, data);
		central.push(dir, n);
		offset += 30 + n.length + data.length;
	}
	const cd = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(central.length / 2, 8);
	end.writeUInt16LE(central.length / 2, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

const HEADER = ['统一社会信用代码', '企业名称', '岗位名称', '招聘人数', '月薪下限（元）', '月薪上限（元）', '岗位要求'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function figures(page) {
	await page.goto(`/employment/stats?year=${YEAR}`);
	const out = {};
	for (const k of ['job_fairs', 'enterprises', 'positions', 'seekers', 'hired'])
		out[k] = Number((await page.locator(`#fig-${k}`).innerText()).replace(/,/g, ''));
	return out;
}

let fairPath;

browserTest('MUST SHOW 3: the employment officer imports a fair\'s .xlsx on its page and sees it counted on /employment/stats', async () => {
	const page = await env.as('clerk');
	const before = await figures(page);
	await page.getByRole('link', { name: '就业创业' }).first().click();
	await page.waitForURL('**/employment');
	await page.getByRole('link', { name: '新建招聘会' }).click();
	await page.getByLabel('名称').fill('浏览器测试专场招聘会');
	await page.getByLabel('形式').selectOption('线下');
	await page.getByLabel('举办日期').fill(TODAY);
	await page.getByLabel('地点').fill('区退役军人服务中心');
	await page.getByRole('button', { name: '建立招聘会' }).click();
	await page.waitForURL(/\/employment\/fairs\/\d+$/);
	fairPath = pathOf(page);
	await page.getByText('招聘会已建立').waitFor();

	/* a bad sheet first: refused, naming the rows and fields; nothing saved */
	await page.getByText('导入参会企业和岗位（主办方表格）').click();
	const bad = A.slice(0, 17) + (A[17] === '0' ? '1' : '0');
	await page.getByLabel('企业和岗位表（.xlsx 或 .csv）').setInputFiles({
		name: '参会企业.xlsx', mimeType: XLSX_TYPE,
		buffer: xlsx([HEADER, [bad, '测试安保服务有限公司', '保安员', '10'], [B, '测试物流有限公司', '仓储管理员', '-3']]),
	});
	await page.getByRole('button', { name: '上传并导入' }).click();
	const error = page.locator('#import-error');
	await error.waitFor();
	const text = await error.innerText();
	assert.match(text, /第 2 行 统一社会信用代码：统一社会信用代码校验位不符/);
	assert.match(text, /第 3 行 招聘人数：“-3”无效/);
	assert.equal(await page.locator('#fair-positions').innerText(), '0');
	await screen(page, 'employment-import-refused');

	/* the corrected sheet */
	await page.getByLabel('企业和岗位表（.xlsx 或 .csv）').setInputFiles({
		name: '参会企业.xlsx', mimeType: XLSX_TYPE,
		buffer: xlsx([HEADER, [A, '测试安保服务有限公司', '保安员', '10', '4000', '6000', '退役军人优先'],
			[A, '测试安保服务有限公司', '驾驶员', '2', '5000', '7000', '持 C1 驾照'], [B, '测试物流有限公司', '仓储管理员', '3', '', '', '']]),
	});
	await page.getByRole('button', { name: '上传并导入' }).click();
	await page.getByText('已导入 3 行：参会企业 2 家（新企业 2 家），岗位 3 个，招聘 15 人').waitFor();
	assert.equal(await page.locator('#fair-enterprises').innerText(), '2');
	assert.equal(await page.locator('#fair-headcount').innerText(), '15');
	await page.getByRole('link', { name: '驾驶员' }).waitFor();
	await screen(page, 'employment-fair');

	const after = await figures(page);
	assert.deepEqual(after, { ...before, job_fairs: before.job_fairs + 1, enterprises: before.enterprises + 2, positions: before.positions + 15 });
	/* the fairs' list holds the new fair */
	await page.locator('#fig-job_fairs').click();
	await page.waitForURL('**/employment/stats/list?**');
	await page.locator('#figure-rows').getByText('浏览器测试专场招聘会').first().waitFor();
	assertNoProblems(page, 'the import');
});

browserTest('the area\'s pages pass axe-core and fit at 360 px', async () => {
	const page = await env.as('clerk');
	await page.goto('/employment/seekers');
	const seeker = await page.locator('#seekers a').first().getAttribute('href');
	const pages = ['/employment', fairPath, '/employment/enterprises', '/employment/seekers', seeker, '/employment/seekers/new',
		'/employment/fairs/new', `/employment/stats?year=${YEAR}`];
	for (const p of pages) {
		await page.goto(p);
		await axeCheck(page, p);
	}
	await page.goto(seeker);
	await page.locator('#matches').waitFor();
	await screen(page, 'employment-seeker');
	const narrow = await env.as('clerk', { viewport: { width: 360, height: 740 } });
	for (const p of [fairPath, seeker, '/employment']) {
		await narrow.goto(p);
		const wide = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		assert.ok(wide <= 0, `${p} scrolls sideways by ${wide} px at 360 px`);
	}
	await narrow.goto(fairPath);
	await screen(narrow, 'employment-fair-360');
	assertNoProblems(page, 'employment pages');
});
