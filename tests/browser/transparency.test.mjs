// Browser smoke of the transparency pages (issue 5): Debian's Chromium
// against a real `hrdd serve`. The real DSA dumps are ingested and
// government requests imported with the CLI; an anonymous visitor with
// JavaScript disabled opens the organisation's public page (charts as SVG
// with titles, tables behind <details>, requests by country, DSA download
// links); an admin imports a bad then a good CSV through the staff form.
// Every page is checked for console errors and CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, hrdd, emailOf, PASSWORD, REPO } from '../integration/lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';

const SOR = join(REPO, '..', 'shared', 'data', 'dsa-sor');
const HEADER = 'kind,period_start,period_end,country,authority_type,legal_process,requests,accounts_specified,complied_percent';
let env;
let browser;
let shots;
let slug;
let haveData = true;

before(async () => {
  env = await startServer({ sector: false });
  slug = env.orgA.slug;
  try {
    await access(SOR);
  } catch {
    haveData = false;
  }
  const cmdEnv = { HRDD_SECRET_FILE: env.secretFile };
  if (haveData) {
    const files = (await readdir(SOR)).filter((f) => f.endsWith('.csv')).map((f) => join(SOR, f));
    await hrdd(env.bin, ['transparency', 'ingest', '--db', env.db, '--org', slug, ...files], cmdEnv);
  }
  const req = join(env.dir, 'requests.csv');
  await writeFile(req, `${HEADER}\nuser_data,2025-01-01,2025-06-30,DE,law_enforcement,court_order,120,180,62.5\n`
    + 'removal,2025-01-01,2025-06-30,FR,judicial,court_order,8,11,100\n');
  await hrdd(env.bin, ['requests', 'import', '--db', env.db, '--org', slug, req], cmdEnv);
  browser = await launchBrowser();
  shots = process.env.HRDD_SCREENSHOTS || (await mkdtemp(join(tmpdir(), 'hrdd-shots-')));
  await mkdir(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (env) await env.stop();
});

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...opts });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    // a form answered 422 (the page showing the errors) is logged by Chromium; not a problem
    if (/status of 422/.test(m.text())) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

test('the public transparency page works without JavaScript and without signing in', async () => {
  const { context, page, problems } = await newPage({ javaScriptEnabled: false });
  const res = await page.goto(`${env.base}/orgs/${slug}/transparency`);
  assert.equal(res.status(), 200);
  await page.screenshot({ path: join(shots, 'transparency-public.png'), fullPage: true });
  assert.equal(await page.locator('h1').count(), 1);
  assert.ok(await page.getByRole('heading', { name: 'Government requests' }).isVisible());
  // requests by country, with the total row
  const table = page.locator('table').filter({ hasText: 'Accounts or items specified' }).first();
  assert.ok(await table.getByRole('rowheader', { name: 'DE' }).isVisible());
  if (haveData) {
    // every chart is an accessible image with a title, and its numbers are a table too
    const charts = page.locator('svg[role="img"]');
    assert.ok(await charts.count() >= 5, `charts: ${await charts.count()}`);
    for (let i = 0; i < await charts.count(); i++) {
      const labelled = await charts.nth(i).getAttribute('aria-labelledby');
      assert.ok(labelled, 'chart is labelled');
    }
    await page.locator('details summary').first().click();
    assert.ok(await page.locator('details[open] table').first().isVisible());
    const links = page.locator('a[href*="/dsa/"]');
    assert.equal(await links.count(), 11);
    const href = await links.nth(4).getAttribute('href');
    const csv = await context.request.get(env.base + href);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^Applicability,Service,Reporting period,Category of illegal content/);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('staff import government requests through the form: errors next to the field, then success', async () => {
  const { context, page, problems } = await newPage();
  await page.goto(env.base + '/login');
  await page.getByLabel('Email address').fill(emailOf('admin', 'a'));
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.goto(env.base + '/transparency');
  if (haveData) assert.ok(await page.getByRole('cell', { name: 'done' }).first().isVisible());
  await page.getByLabel('Request figures (CSV)').fill(`${HEADER}\nremoval,2025-07-01,2025-12-31,Italy,judicial,court_order,5,5,40\n`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import' }).click()]);
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /country/);
  assert.equal(await page.getByLabel('Request figures (CSV)').getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: join(shots, 'transparency-import-error.png'), fullPage: true });
  await page.getByLabel('Request figures (CSV)').fill(`${HEADER}\nremoval,2025-07-01,2025-12-31,IT,judicial,court_order,5,5,40\n`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import' }).click()]);
  assert.match(await page.getByRole('status').innerText(), /imported/);
  // the public page now lists Italy
  await page.goto(`${env.base}/orgs/${slug}/transparency`);
  assert.ok(await page.getByRole('rowheader', { name: 'IT' }).isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});
