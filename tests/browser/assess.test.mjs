// Browser suite for the assessment engine (issue 6, "Done when": a browser
// test opens a scorecard, compares two companies and exports CSV), with
// Debian's Chromium against a real `hrdd serve`. The Ranking Digital Rights
// 2020 data is imported with `hrdd assess import-rdr` from ../shared/data
// (skipped when that folder is absent). An analyst signs in through /login,
// opens /assess, the ranking of the index, a company's scorecard (SVG bars
// per category and indicator, scores as text), compares two companies from
// the ranking's form and downloads the comparison and the scorecard as CSV.
// A UNGP 31 self-assessment of the organisation's own mechanism shows the
// elements evidenced from the grievance data, each linked to its evidence;
// the two-person rule is visible in the page (the reviewer gets no finalise
// button); the published scorecard is public. Every page is checked for
// console errors and CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, emailOf, PASSWORD, REPO, hrdd, Client } from '../integration/lib/server.mjs';
import { launchBrowser, sanitizerReport } from './lib/browser.mjs';

const RDR = process.env.HRDD_RDR_DIR || join(REPO, '..', 'shared', 'data', 'rdr-2020');
const HAVE_RDR = existsSync(join(RDR, 'indicators'));

let env;
let browser;
let shots;

before(async () => {
  env = await startServer({ sector: false });
  if (HAVE_RDR)
    await hrdd(env.bin, ['assess', 'import-rdr', '--db', env.db, '--org', env.orgA.slug, RDR], { HRDD_SECRET_FILE: env.secretFile });
  browser = await launchBrowser();
  shots = process.env.HRDD_SCREENSHOTS || (await mkdtemp(join(tmpdir(), 'hrdd-shots-')));
  await mkdir(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (env) {
    await env.stop();
    const bad = sanitizerReport(env.stderr());
    assert.equal(bad, null, `sanitizer report from hrdd serve:\n${env.stderr().slice(-6000)}`);
  }
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base)) external.push(r.url()); });
  return { context, page, problems, external };
}

async function signIn(page, email) {
  await page.goto(env.base + '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const path = join(shots, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('open a scorecard, compare two companies and export CSV', { skip: !HAVE_RDR && 'no ../shared/data/rdr-2020' }, async () => {
  const { context, page, problems, external } = await newPage();
  await signIn(page, emailOf('analyst'));
  // the navigation leads to the assessments
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Assessments', exact: true }).click()]);
  assert.match(page.url(), /\/assess$/);
  await Promise.all([page.waitForNavigation(),
    page.getByRole('row', { name: /Ranking Digital Rights/ }).locator('a[href^="/assess/ranking"]').click()]);
  assert.match(page.url(), /\/assess\/ranking\?methodology=\d+$/);
  const rows = page.locator('table.ranking tbody tr');
  assert.equal(await rows.count(), 26);
  // the published 2020 order at the top
  assert.equal((await rows.nth(0).locator('th').innerText()).trim(), 'Twitter');
  assert.equal((await rows.nth(0).locator('td').nth(1).innerText()).trim(), '53');
  await page.screenshot({ path: join(shots, 'assess-ranking.png'), fullPage: true });
  // open a scorecard
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Microsoft', exact: true }).click()]);
  assert.match(page.url(), /\/assess\/scorecards\/\d+$/);
  assert.equal(await page.locator('#sc-total').innerText(), '50');
  const charts = page.locator('svg[role="img"]');
  assert.equal(await charts.count(), 2, 'bars per category and per indicator');
  assert.match(await charts.nth(0).locator('title').first().textContent(), /Scores by category/);
  assert.equal(await charts.nth(1).locator('g.bar').count(), 37, 'a bar for each top-level indicator (G1-G6, F1-F13, P1-P18)');
  assert.match(await page.locator('h3#cat-G').innerText(), /^G · .*: \d+$/);
  await page.screenshot({ path: join(shots, 'assess-scorecard.png'), fullPage: true });
  const sc = await download(page, page.getByRole('link', { name: 'Export CSV' }));
  assert.equal(sc.name, 'scorecard.csv');
  const scLines = sc.text.trim().split('\r\n');
  assert.match(scLines[0], /^entity,period,methodology,version,type,id,name,level,score,rounded/);
  assert.ok(scLines.some((l) => /^Microsoft,2020,rdr-2020,[^,]*,total,total,Total,,[0-9.]+,50,/.test(l)), scLines[1]);
  assert.ok(scLines.some((l) => l.includes(',indicator,G1,')));
  // compare two companies from the ranking's form
  await page.goBack();
  await page.getByLabel('First').selectOption({ label: 'Microsoft (2020)' });
  await page.getByLabel('Second').selectOption({ label: 'Google (2020)' });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Compare' }).click()]);
  assert.match(page.url(), /\/assess\/compare\?a=\d+&b=\d+$/);
  const head = await page.locator('table.compare thead').innerText();
  assert.match(head, /Microsoft/);
  assert.match(head, /Google/);
  const total = page.locator('table.compare tbody tr').first();
  assert.deepEqual((await total.locator('td').allInnerTexts()).map((s) => s.trim()), ['50', '48', '+2']);
  assert.equal(await page.locator('svg[role="img"]').count(), 1);
  await page.screenshot({ path: join(shots, 'assess-compare.png'), fullPage: true });
  const cmp = await download(page, page.getByRole('link', { name: 'Export CSV' }));
  assert.equal(cmp.name, 'comparison.csv');
  const cl = cmp.text.trim().split('\r\n');
  assert.equal(cl[0], 'type,id,name,Microsoft,Google,difference');
  assert.match(cl[1], /^total,total,Total,[0-9.]+,[0-9.]+,[0-9.]+$/);
  assert.ok(cl.some((l) => l.startsWith('category,P,')));
  // and the ranking itself
  await page.goto(page.url().replace(/\/assess\/compare.*/, '/assess'));
  assert.deepEqual(problems, []);
  assert.deepEqual(external, []);
  await context.close();
});

test('UNGP 31 self-assessment: the automatic elements show their evidence; review and finalise by two people; published', async () => {
  // a grievance acknowledged in time, so the evidence has figures
  const anon = new Client(env.base);
  let r = await anon.post('/api/v1/grievances', { narrative: 'A grievance for the UNGP 31 browser test.', contact_preference: 'anonymous' });
  assert.equal(r.status, 201, r.text);
  const handler = await env.login('case_handler');
  const q = await handler.get(`/api/v1/orgs/${env.orgA.slug}/cases?limit=5`);
  r = await handler.post(`/api/v1/orgs/${env.orgA.slug}/cases/${q.data.items[0].id}/actions`, { action: 'acknowledge' });
  assert.equal(r.status, 200, r.text);

  const { context, page, problems } = await newPage();
  await signIn(page, emailOf('analyst'));
  await page.goto(env.base + '/assess');
  // add the mechanism and start its assessment through the forms
  await page.locator('#kind').selectOption('mechanism');
  await page.getByLabel('Short name').fill('own-mechanism');
  await page.getByLabel('Name', { exact: true }).fill('Our grievance mechanism');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add the entity' }).click()]);
  assert.match(await page.locator('.notice').innerText(), /entity was added/);
  await page.locator('#entity').selectOption({ label: 'Our grievance mechanism (Grievance mechanism)' });
  await page.locator('#methodology').selectOption('ungp31');
  await page.getByLabel('Period').fill('2026');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Start the assessment' }).click()]);
  assert.match(page.url(), /\/assess\/assessments\/\d+\?notice=as_created$/);
  const id = page.url().match(/assessments\/(\d+)/)[1];
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Fill the automatic evidence' }).click()]);
  assert.match(await page.locator('.notice').innerText(), /automatic evidence/);
  // answer one element by hand, with evidence
  await page.goto(`${env.base}/assess/assessments/${id}?indicator=legitimate`);
  await page.locator('#v0').selectOption('yes');
  await page.locator('#u0').fill('https://example.org/charter');
  await page.locator('#c0').fill('Board charter, 2026');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save the answers' }).click()]);
  assert.match(await page.locator('.notice').innerText(), /answers were saved/);
  assert.equal(await page.locator('#v0').inputValue(), 'yes');
  // the scorecard lists the automatic elements with links to their evidence
  await page.goto(`${env.base}/assess/scorecards/${id}`);
  const auto = page.locator('table.auto-evidence tbody tr');
  assert.equal(await auto.count(), 6);
  const ack = auto.filter({ hasText: 'pred.2' });
  assert.match(await ack.innerText(), /100 % \(1 of 1\)/);
  assert.equal(await ack.getByRole('link').getAttribute('href'), '/grievance-stats');
  assert.equal(await auto.filter({ hasText: 'pred.1' }).getByRole('link').getAttribute('href'), '/mechanism');
  await page.screenshot({ path: join(shots, 'assess-ungp31.png'), fullPage: true });
  // the analyst reviews; as reviewer they get no finalise button (and may not publish anyway)
  await page.goto(`${env.base}/assess/assessments/${id}`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Mark as reviewed' }).click()]);
  assert.equal(await page.locator('#as-status').innerText(), 'Reviewed');
  assert.equal(await page.getByRole('button', { name: 'Finalise and publish' }).count(), 0);
  await context.close();
  // the HR lead finalises
  const lead = await newPage();
  await signIn(lead.page, emailOf('hr_lead'));
  await lead.page.goto(`${env.base}/assess/assessments/${id}`);
  await Promise.all([lead.page.waitForNavigation(), lead.page.getByRole('button', { name: 'Finalise and publish' }).click()]);
  assert.equal(await lead.page.locator('#as-status').innerText(), 'Final');
  await lead.context.close();
  // published: anyone can read it, evidence linked to the public rules page
  const pub = await newPage();
  await pub.page.goto(`${env.base}/scorecards`);
  await Promise.all([pub.page.waitForNavigation(), pub.page.getByRole('link', { name: 'Our grievance mechanism' }).click()]);
  assert.match(pub.page.url(), new RegExp(`/scorecards/${id}$`));
  const links = await pub.page.locator('table.auto-evidence a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length === 6 && links.every((h) => h === '/mechanism'), links.join(' '));
  assert.deepEqual([...problems, ...pub.problems], []);
  await pub.context.close();
});
