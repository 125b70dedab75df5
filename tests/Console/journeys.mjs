// The console's journeys in a real browser (Debian's Chromium, driven by playwright-core), against a running store the
// test seeded. Prints one JSON line: each journey's outcome, the first load's bytes and time to the funnel chart, and
// each page's API calls; screenshots go to OUT. Exits 0 only if every journey passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const env = process.env;
const base = env.CONSOLE_URL; // …/api/manage/console/
const out = env.OUT ?? 'console-artefacts';
fs.mkdirSync(out, { recursive: true });
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const browser = await chromium.launch({ executablePath: env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const page = await context.newPage();
const results = [];
const figures = { pages: {} };
let apiCalls = 0;
// API calls a page view makes; a QR code's image is fetched like an <img> (it needs the key) and is not counted.
page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/api/manage/') && !p.startsWith('/api/manage/console/') && !p.endsWith('.png')) apiCalls++; });

async function journey(name, run) {
  try {
    await run();
    results.push({ name, ok: true });
  } catch (e) {
    await page.screenshot({ path: path.join(out, `failed-${name}.png`), fullPage: true }).catch(() => {});
    results.push({ name, ok: false, error: String(e?.stack ?? e).slice(0, 1500) });
  }
}

async function signIn(key) {
  await page.fill('#key', key);
  await page.click('#signin-form button[type=submit]');
}

await journey('wrong key shows sign-in again', async () => {
  await page.goto(base);
  await signIn('not-the-key');
  await page.waitForSelector('#signin-form .problem, .signin .problem', { timeout: 10000 });
  if (!(await page.isVisible('#signin-form'))) throw new Error('the sign-in form is gone');
});

await journey('sign in with the master key, first load and the funnel chart', async () => {
  // A fresh tab: the first load as an operator opening the console, key typed, to the chart drawn.
  // Its own context: nothing cached, as an operator's first visit.
  const firstVisit = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const fresh = await firstVisit.newPage();
  let bytes = 0;
  const sizes = [];
  fresh.on('requestfinished', (r) => sizes.push(r.sizes().then((s) => { bytes += s.responseBodySize + s.responseHeadersSize; })));
  const started = Date.now();
  await fresh.goto(base, { waitUntil: 'load' });
  const loaded = Date.now();
  await fresh.fill('#key', env.KEY);
  const submitted = Date.now();
  await fresh.click('#signin-form button[type=submit]');
  await fresh.waitForSelector('#chart[data-ready]', { timeout: 15000 });
  const charted = Date.now();
  await Promise.all(sizes);
  figures.firstLoadBytes = bytes;
  figures.pageLoadMs = loaded - started;
  figures.signInToChartMs = charted - submitted;
  const paid = await fresh.textContent(`[data-kpi="${'支付订单'}"]`);
  if (Number(paid) < Number(env.EXPECT_PAID ?? 1)) throw new Error(`the paid-orders figure is ${paid}`);
  const table = await fresh.textContent('#funnel-table');
  if (!table.includes(env.EXPECT_CHANNEL ?? 'packaging')) throw new Error('the seeded channel is not in the funnel: ' + table.slice(0, 300));
  await firstVisit.close();
  await page.goto(base);
  await signIn(env.KEY);
  await page.waitForSelector('#nav a');
});

await journey('ship an order through the form', async () => {
  await page.goto(base + '#/orders');
  await page.fill('#find input[name=orderNo]', env.SHIP_ORDER);
  await page.click('#find button');
  await page.waitForSelector('#ship-form');
  await page.fill('#ship-form [name=trackingNo]', 'SF' + Date.now());
  await page.click('#ship-form button[type=submit]');
  await page.waitForSelector(`[data-shipped="${env.SHIP_ORDER}"]`, { timeout: 15000 });
});

await journey('import a CSV through the file input', async () => {
  await page.goto(base + '#/orders?status=toShip');
  await page.waitForSelector('#import input[type=file]');
  await page.setInputFiles('#import input[type=file]', { name: 'warehouse.csv', mimeType: 'text/csv', buffer: Buffer.from(`orderNo,expressCompany,trackingNo\n${env.IMPORT_ORDER},YTO,YT${Date.now()}\nNOTANORDER,YTO,YT1\n`) });
  await page.click('#import button[type=submit]');
  await page.waitForSelector('#import-result [data-outcome="shipped"]', { timeout: 15000 });
  if (!(await page.isVisible('#import-result [data-outcome="invalid"], #import-result [data-outcome="refused"]'))) throw new Error('the bad line has no result');
});

await journey('approve and receive an after-sale request', async () => {
  await page.goto(base + '#/afterSales?status=requested');
  await page.click(`[data-id="${env.AFTER_SALE}"]`);
  await page.fill('#as-actions [name=returnAddress]', '上海市徐汇区漕溪北路 88 号 WeStore 退货组 021-60000000');
  await page.click('[data-act="approve"]');
  await page.waitForSelector('[data-status="approved"]', { timeout: 15000 });
  // The buyer sends the return back (the member's own route), then the operator receives it with restock.
  const shipped = await fetch(new URL(`/api/after-sales/${env.AFTER_SALE}/return-shipment`, base), {
    method: 'POST', headers: { authorization: `Bearer ${env.MEMBER_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'console-return' },
    body: JSON.stringify({ expressCompany: 'SF', trackingNo: 'SFRET' + Date.now() }),
  });
  if (!shipped.ok) throw new Error('the return shipment answered ' + shipped.status + ' ' + await shipped.text());
  await page.goto(base + '#/afterSales?status=returnShipped');
  await page.click(`[data-id="${env.AFTER_SALE}"]`);
  await page.click('[data-act="receive"]');
  await page.waitForSelector('[data-status="returnReceived"], [data-status="refunding"], [data-status="refunded"]', { timeout: 15000 });
});

await journey('create a contact-me code and see its image', async () => {
  await page.goto(base + '#/codes');
  await page.waitForSelector('#way-form');
  const name = '控制台码' + Date.now() % 100000;
  await page.fill('#way-form [name=name]', name);
  await page.fill('#way-form [name=staff]', env.STAFF ?? 'staff.li');
  await page.click('#way-form button[type=submit]');
  const img = await page.waitForSelector(`#way-list img[alt="${name}"]`, { timeout: 15000 });
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, img, { timeout: 15000 });
});

await journey('every page: a screenshot, its API calls, no critical accessibility violation', async () => {
  const critical = [];
  for (const p of ['today', 'orders', 'afterSales', 'codes', 'coupons', 'reconciliation', 'members']) {
    apiCalls = 0;
    await page.goto(base + '#/' + p);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const sections = await page.$$eval('main section.card, main .kpis', (els) => els.length);
    figures.pages[p] = { apiCalls, sections };
    await page.screenshot({ path: path.join(out, `${p}.png`), fullPage: true });
    await page.evaluate(axeSource);
    const report = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of report.violations.filter((x) => x.impact === 'critical')) critical.push(`${p}: ${v.id} (${v.nodes.length})`);
    figures.pages[p].violations = report.violations.map((v) => `${v.impact}:${v.id}`);
  }
  if (critical.length > 0) throw new Error('critical accessibility violations: ' + critical.join(', '));
  const over = Object.entries(figures.pages).filter(([, f]) => f.apiCalls > Math.max(1, f.sections));
  if (over.length > 0) throw new Error('pages calling more often than they show sections: ' + JSON.stringify(over));
});

await journey('English is switchable', async () => {
  await page.goto(base + '#/orders');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('#nav a[aria-current="page"]')?.textContent === 'Orders');
  await page.click('#lang');
});

await browser.close();
console.log(JSON.stringify({ results, figures }));
process.exit(results.every((r) => r.ok) ? 0 : 1);
