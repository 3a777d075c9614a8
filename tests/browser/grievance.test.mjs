// Browser suite for the grievance mechanism (issue 3, "Done when"): Debian's
// Chromium against a real `hrdd serve`. The complainant's context has
// JavaScript DISABLED: they file a grievance anonymously through /report (with
// a file), keep the receipt code from the page, and follow the case through
// /receipt (the code travels only in POST bodies). A handler (a separate
// context, signed in through /login) acknowledges the case and asks a
// question; the complainant answers; the handler assesses, investigates and
// proposes a remedy; the complainant accepts it; the handler implements it
// and closes the case; the complainant rates it. Every page is checked for
// console errors and CSP violations; screenshots go to a temp dir (kept when
// HRDD_SCREENSHOTS names one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, emailOf, PASSWORD } from '../integration/lib/server.mjs';
import { launchBrowser, sanitizerReport } from './lib/browser.mjs';

let env;
let browser;
let shots;
let pngPath;

const HANDLER = emailOf('case_handler', 'a');
const NARRATIVE = 'My account was suspended after I posted about a strike at the factory. Marker-7Q2X.';

before(async () => {
  env = await startServer({ sector: false });
  browser = await launchBrowser();
  shots = process.env.HRDD_SCREENSHOTS || (await mkdtemp(join(tmpdir(), 'hrdd-shots-')));
  await mkdir(shots, { recursive: true });
  // a small PNG whose bytes hold CR LF pairs and a NUL (multipart must keep them)
  pngPath = join(shots, 'evidence.png');
  await writeFile(pngPath, Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex'));
});

after(async () => {
  if (browser) await browser.close();
  if (env) {
    await env.stop();
    const bad = sanitizerReport(env.stderr());
    assert.equal(bad, null, `sanitizer report from hrdd serve:\n${env.stderr().slice(-6000)}`);
  }
});

// A context whose pages record console errors, page errors and CSP violations.
async function newContext(opts = {}) {
  const { expectedStatuses, ...ctxOpts } = opts;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...ctxOpts });
  const problems = [];
  context.on('console', (m) => {
    // the test provokes a 400 (form error) and a 404 (wrong receipt) on purpose;
    // Chromium logs every 4xx document as a console error
    if (opts.expectedStatuses && /Failed to load resource: the server responded with a status of (\d+)/.test(m.text()) &&
        opts.expectedStatuses.includes(Number(RegExp.$1))) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
  if (opts.javaScriptEnabled !== false) {
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  }
  const page = await context.newPage();
  // no request may leave the server's origin (no external resources)
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base)) external.push(r.url()); });
  return { context, page, problems, external };
}

async function submit(page, name) {
  const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  return res;
}

// The complainant opens the case view with the receipt (a POST form).
async function openReceipt(page, receipt) {
  await page.goto(env.base + '/receipt');
  await page.getByLabel('Receipt code').fill(receipt.toLowerCase().replace(/-/g, ' '));
  const res = await submit(page, 'Open my grievance');
  assert.equal(res.status(), 200);
  assert.doesNotMatch(page.url(), /[0-9A-Z]{5}-[0-9A-Z]{5}/, 'the receipt never appears in a URL');
  return res;
}

async function signIn(page, email = HANDLER) {
  await page.goto(env.base + '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Sign in');
}

async function openCase(page, reference) {
  await page.goto(env.base + '/cases');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: reference }).click()]);
  assert.equal(await page.locator('h1').innerText(), reference);
}

async function caseAction(page, label) {
  const res = await submit(page, label);
  assert.equal(res.status(), 200, `after ${label}: ${page.url()}`);
  assert.equal(await page.locator('.error-summary').count(), 0, `no error after ${label}`);
}

test('a grievance goes from the anonymous form to a rated remedy, the complainant without JavaScript', async () => {
  const pub = await newContext({ javaScriptEnabled: false, expectedStatuses: [400, 404] });
  const staff = await newContext();
  const p = pub.page;
  const h = staff.page;

  // --- intake form: renders, light, accessible
  let res = await p.goto(env.base + '/report');
  assert.equal(res.status(), 200);
  assert.equal(await p.locator('h1').innerText(), 'Report a grievance');
  assert.equal(await p.locator('form[enctype="multipart/form-data"]').count(), 1);
  assert.equal(await p.getByLabel('Stay anonymous').isChecked(), true);
  await p.screenshot({ path: join(shots, 'report.png'), fullPage: true });

  // an error keeps the entries and is announced next to its field
  await p.getByLabel('What would you like to happen? (optional)').fill('An apology');
  res = await submit(p, 'Send grievance');
  assert.equal(res.status(), 400);
  assert.equal(await p.locator('.error-summary[role="alert"]').count(), 1);
  assert.equal(await p.locator('.error-summary a[href="#narrative"]').count(), 1);
  assert.equal(await p.locator('#narrative').getAttribute('aria-invalid'), 'true');
  assert.match(await p.locator('#narrative').getAttribute('aria-describedby'), /narrative-error/);
  assert.equal(await p.getByLabel('What would you like to happen? (optional)').inputValue(), 'An apology');
  await p.screenshot({ path: join(shots, 'report-error.png'), fullPage: true });

  // file it, anonymously, with a file
  await p.getByLabel('What happened?').fill(NARRATIVE);
  await p.getByLabel('Country where it happened (optional)').selectOption('DE');
  await p.getByLabel('Me', { exact: true }).check();
  await p.getByLabel('Add a file').setInputFiles(pngPath);
  res = await submit(p, 'Send grievance');
  assert.equal(res.status(), 201);
  assert.match(res.headers()['cache-control'] ?? '', /no-store/);
  const shown = (await p.locator('#receipt-code').innerText()).replace(/[^0-9A-Z]/g, '');
  assert.match(shown, /^[0-9A-HJKMNP-TV-Z]{20}$/);
  const receipt = shown.match(/.{5}/g).join('-');
  const reference = (await p.locator('#reference').innerText()).trim();
  assert.match(reference, /^G-[0-9A-Z]{8}$/);
  assert.equal(await p.locator('.receipt-code .group').count(), 4, 'shown in four groups');
  assert.ok(!(await p.content()).includes(NARRATIVE), 'the receipt page does not echo the grievance');
  await p.screenshot({ path: join(shots, 'receipt-shown.png'), fullPage: true });

  // --- the handler acknowledges and asks a question
  await signIn(h);
  res = await h.goto(env.base + '/cases');
  assert.equal(res.status(), 200);
  await h.screenshot({ path: join(shots, 'cases.png'), fullPage: true });
  await openCase(h, reference);
  assert.equal(await h.locator('#narrative-text').innerText(), NARRATIVE, 'the handler reads the decrypted narrative');
  // the handler downloads the complainant's file, decrypted, byte for byte
  const href = await h.getByRole('link', { name: 'evidence.png' }).getAttribute('href');
  const file = await h.request.get(env.base + href);
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-disposition'] ?? '', /^attachment; filename="evidence.png"$/);
  assert.deepEqual(Buffer.from(await file.body()), await readFile(pngPath));
  await caseAction(h, 'Acknowledge');
  assert.equal(await h.locator('#case-state').innerText(), 'Acknowledged');
  await h.getByLabel('Message to the complainant').fill('Which post was it, and on what date?');
  await h.getByLabel(/This is a question/).check();
  await caseAction(h, 'Send');
  await h.screenshot({ path: join(shots, 'case.png'), fullPage: true });

  // --- the complainant sees the question and answers it
  await openReceipt(p, receipt);
  assert.equal(await p.locator('#reference').innerText(), reference);
  assert.equal(await p.locator('#state').innerText(), 'Acknowledged');
  assert.equal(await p.locator('#waiting').count(), 1);
  assert.match(await p.locator('.thread').innerText(), /Which post was it/);
  // the complainant gets their own file back through a POST form (no receipt in any URL)
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: /Download/ }).first().click()]);
  assert.equal(dl.suggestedFilename(), 'evidence.png');
  assert.deepEqual(await readFile(await dl.path()), await readFile(pngPath));
  await p.screenshot({ path: join(shots, 'receipt-case.png'), fullPage: true });
  await p.getByLabel('Your message').fill('The post of 3 March about the strike.');
  res = await submit(p, 'Send message');
  assert.equal(res.status(), 200);
  assert.match(await p.locator('.notice').innerText(), /Your message was sent/);
  assert.match(await p.locator('.thread').innerText(), /The post of 3 March/);
  assert.equal(await p.locator('#waiting').count(), 0, 'the answer ends the wait');

  // --- the handler assesses, investigates and proposes a remedy
  await openCase(h, reference);
  assert.match(await h.locator('.thread').first().innerText(), /The post of 3 March/);
  await caseAction(h, 'Start assessment');
  await caseAction(h, 'Start investigation');
  assert.equal(await h.locator('#case-state').innerText(), 'In investigation');
  await h.getByLabel('Type of remedy').selectOption('restitution');
  await h.getByLabel('What is offered').fill('Your account is restored and the post is put back online.');
  await caseAction(h, 'Propose remedy');
  assert.equal(await h.locator('#case-state').innerText(), 'Remedy proposed');

  // --- the complainant accepts it
  await openReceipt(p, receipt);
  assert.equal(await p.locator('#state').innerText(), 'Remedy proposed');
  assert.match(await p.locator('.remedy').innerText(), /account is restored/);
  res = await submit(p, 'Accept the remedy');
  assert.equal(res.status(), 200);
  assert.equal(await p.locator('#state').innerText(), 'Remedy accepted');

  // --- the handler implements it and closes the case
  await openCase(h, reference);
  await h.getByLabel('Evidence').fill('Account restored on the same day; post visible again.');
  await caseAction(h, 'Record as carried out');
  assert.equal(await h.locator('#case-state').innerText(), 'Remedy carried out');
  await caseAction(h, 'Close');
  assert.equal(await h.locator('#case-state').innerText(), 'Closed');

  // --- the complainant rates it, once
  await openReceipt(p, receipt);
  assert.equal(await p.locator('#state').innerText(), 'Closed');
  await p.getByLabel('5: Very satisfied').check();
  res = await submit(p, 'Send my rating');
  assert.equal(res.status(), 200);
  assert.match(await p.locator('#rated').innerText(), /5 out of 5/);
  assert.equal(await p.getByRole('button', { name: 'Send my rating' }).count(), 0, 'rated once');

  // --- a wrong receipt reveals nothing
  await p.goto(env.base + '/receipt');
  await p.getByLabel('Receipt code').fill('00000-00000-00000-00000');
  res = await submit(p, 'Open my grievance');
  assert.equal(res.status(), 404);
  assert.equal(await p.locator('.error-summary[role="alert"]').count(), 1);

  // --- the published rules
  res = await p.goto(env.base + '/mechanism');
  assert.equal(res.status(), 200);
  assert.match(await p.locator('main').innerText(), /within 7 days/);
  await p.screenshot({ path: join(shots, 'mechanism.png'), fullPage: true });

  // --- statistics dashboard with server-drawn SVG charts
  res = await h.goto(env.base + '/grievance-stats');
  assert.equal(res.status(), 200);
  assert.ok((await h.locator('svg.chart[role="img"]').count()) >= 1, 'at least one chart');
  const titled = await h.locator('svg.chart > title').count();
  assert.equal(titled, await h.locator('svg.chart').count(), 'every chart has a title');
  await h.screenshot({ path: join(shots, 'grievance-stats.png'), fullPage: true });
  res = await h.goto(env.base + '/mechanisms');
  assert.equal(res.status(), 200);

  assert.deepEqual(pub.problems, []);
  assert.deepEqual(staff.problems, []);
  assert.deepEqual(pub.external, [], 'public pages load nothing from elsewhere');
  await pub.context.close();
  await staff.context.close();
});

test('public POSTs work with a staff session cookie present (CSRF field carried)', async () => {
  const { context, page, problems } = await newContext();
  await signIn(page, emailOf('admin', 'a'));
  await page.goto(env.base + '/report');
  await page.getByLabel('What happened?').fill('Filed while signed in as staff, from the same browser.');
  const res = await submit(page, 'Send grievance');
  assert.equal(res.status(), 201);
  assert.equal(await page.locator('#receipt-code .group').count(), 4);
  assert.deepEqual(problems, []);
  await context.close();
});

test('public pages hold at 320 px, and a contact preference without contact data is named', async () => {
  const { context, page, problems } = await newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 },
    expectedStatuses: [400] });
  for (const path of ['/report', '/receipt', '/mechanism']) {
    const res = await page.goto(env.base + path);
    assert.equal(res.status(), 200);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${path} scrolls sideways (${wide}px)`);
  }
  await page.goto(env.base + '/report');
  await page.getByLabel('What happened?').fill('Someone else is affected; I want to be contacted.');
  await page.getByLabel('Confidential').check();
  const res = await submit(page, 'Send grievance');
  assert.equal(res.status(), 400);
  assert.equal(await page.locator('.error-summary a[href="#contact_email"]').count(), 1);
  assert.equal(await page.getByLabel('Confidential').isChecked(), true, 'the choice is kept');
  assert.equal(await page.getByLabel('What happened?').inputValue(), 'Someone else is affected; I want to be contacted.');

  // a file over 5 MB is named next to its field, the entries stay
  const big = join(shots, 'too-big.bin');
  await writeFile(big, Buffer.alloc(5 * 1024 * 1024 + 1000, 7));
  await page.getByLabel('Stay anonymous').check();
  await page.getByLabel('Add a file').setInputFiles(big);
  const res2 = await submit(page, 'Send grievance');
  assert.equal(res2.status(), 400);
  assert.equal(await page.locator('.error-summary a[href="#attachment"]').count(), 1);
  assert.equal(await page.locator('#attachment').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('What happened?').inputValue(), 'Someone else is affected; I want to be contacted.');
  assert.deepEqual(problems, []);
  await context.close();
});

test('staff record a phone grievance (receipt shown once), triage it, and maintain the mechanism directory', async () => {
  const { context, page, problems } = await newContext();
  await signIn(page);
  let res = await page.goto(env.base + '/cases/new');
  assert.equal(res.status(), 200);
  await page.getByLabel('Received by').selectOption('phone');
  await page.getByLabel('What happened?').fill('Caller reports that her data was shared with her employer.');
  await page.getByLabel('Kind').selectOption('data_protection');
  res = await submit(page, 'Record grievance');
  assert.equal(res.status(), 201);
  assert.equal(await page.locator('#receipt-code .group').count(), 4);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Open the case' }).click()]);
  assert.match(await page.locator('main').innerText(), /Phone call/);
  assert.match(await page.locator('main').innerText(), /Answer to your request/, 'a data request runs its own clock');
  await page.getByLabel('Scale: how grave').selectOption('4');
  await page.getByLabel('Scope: how many people').selectOption('1');
  await page.getByLabel('Irremediable: how hard to put right').selectOption('3');
  await page.getByLabel('Affects a vulnerable group').check();
  res = await submit(page, 'Save triage');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('.notice').innerText(), /Saved/);
  await page.getByLabel('New note').fill('Internal: check the HR data flow.');
  await submit(page, 'Add note');
  assert.match(await page.locator('.notes').innerText(), /check the HR data flow/);

  // a collective case: the step applies to every member case
  await page.getByLabel('Or start a new collective case named').fill('Data shared with employers');
  res = await submit(page, 'Save');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('main').innerText(), /Data shared with employers \(1\)/);
  await page.locator('#all-acknowledge').check();
  await caseAction(page, 'Acknowledge');
  assert.match(await page.locator('.notice').innerText(), /collective/);
  assert.equal(await page.locator('#case-state').innerText(), 'Acknowledged');
  const caseUrl = page.url().replace(/\?.*$/, '');

  // the queue filters by state and shows the triaged priority
  res = await page.goto(env.base + '/cases?state=acknowledged&category=data_protection');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('table.queue tbody tr').count(), 1);

  // the directory: add an entry, find it by country, edit it
  res = await page.goto(env.base + '/mechanisms');
  assert.equal(res.status(), 200);
  await page.getByLabel('Short name').fill('test-ombuds');
  await page.getByLabel('Name', { exact: true }).fill('Test Ombudsperson');
  await page.getByLabel('Kind', { exact: true }).last().selectOption('state_non_judicial');
  await page.getByLabel('Type of body').selectOption('ombudsman');
  await page.getByLabel('Jurisdictions').fill('DE');
  await page.getByLabel('Subjects').fill('data_protection human_rights');
  await page.getByLabel('Complaint form address').fill('https://ombuds.example/complain');
  res = await submit(page, 'Add mechanism');
  assert.equal(res.status(), 200);
  res = await page.goto(env.base + '/mechanisms?country=DE');
  assert.match(await page.locator('main').innerText(), /Test Ombudsperson/);
  const pub = await page.goto(env.base + '/mechanism?country=DE');
  assert.equal(pub.status(), 200);
  assert.match(await page.locator('main').innerText(), /Test Ombudsperson/, 'the public pathway lists it');

  // a case in Germany gets it on its pathway; a parallel proceeding is recorded and tracked,
  // and the package for the outside body holds no internal note and no staff identity
  await page.goto(env.base + '/cases/new');
  await page.getByLabel('What happened?').fill('Letter: my employer received my health data from the app.');
  await page.getByLabel('Received by').selectOption('letter');
  await page.getByLabel('Kind').selectOption('data_protection');
  await page.getByLabel('Country where it happened (optional)').selectOption('DE');
  res = await submit(page, 'Record grievance');
  assert.equal(res.status(), 201);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Open the case' }).click()]);
  await page.getByLabel('New note').fill('Internal: do not share this note.');
  await submit(page, 'Add note');
  assert.match(await page.locator('.pathway').innerText(), /Test Ombudsperson/);
  await page.getByLabel('Kind', { exact: true }).selectOption('parallel');
  res = await submit(page, 'Record');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('#referrals').innerText(), /Test Ombudsperson/);
  await page.locator('#referrals select').first().selectOption('sent');
  await page.locator('#referrals input[name="outcome"]').first().fill('Complaint lodged on 1 December.');
  res = await submit(page, 'Update');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('#referrals').innerText(), /Sent/);
  const [dl] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download package (JSON)' }).click()]);
  const pkg = (await readFile(await dl.path())).toString('utf8');
  assert.match(pkg, /my employer received my health data/);
  assert.doesNotMatch(pkg, /do not share this note/);
  assert.doesNotMatch(pkg, new RegExp(HANDLER.replace('.', '\\.')));
  assert.ok(caseUrl.length > 0);
  assert.deepEqual(problems, []);
  await context.close();
});
