// Browser suite for the human rights due diligence register (issue 4, "Done
// when": a browser test creates an impact, assesses it, adds an action,
// records a measurement, and sees it in the heat map and the trend). Debian's
// Chromium against a real `hrdd serve`, the staff forms used without
// JavaScript. An analyst records a scope object and an impact (first with an
// error shown next to the rights picker), rates and re-rates it with the
// rubric, starts and completes an assessment with the impact as a finding,
// adds an action and an indicator, records measurements and reads the trend
// chart and on-track status; the heat map cell of the impact links to it.
// The analyst sees no approve button and a POST to the approve route is
// refused (403); the HR lead approves, and the impact appears on the public
// company report. An engagement over the quarter's limit shows the fatigue
// warning. Every page is checked for console errors and CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, emailOf, PASSWORD } from '../integration/lib/server.mjs';
import { launchBrowser, sanitizerReport } from './lib/browser.mjs';

let env;
let browser;
let shots;

before(async () => {
  env = await startServer({ sector: false });
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

// A context without JavaScript whose pages record console errors.
async function newContext(expectedStatuses = []) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
  const problems = [];
  context.on('console', (m) => {
    if (/Failed to load resource: the server responded with a status of (\d+)/.test(m.text()) &&
        expectedStatuses.includes(Number(RegExp.$1))) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
  const page = await context.newPage();
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.base)) external.push(r.url()); });
  return { context, page, problems, external };
}

async function submit(page, name) {
  const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  return res;
}

async function signIn(page, role) {
  await page.goto(env.base + '/login');
  await page.getByLabel('Email address').fill(emailOf(role, 'a'));
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Sign in');
}

async function noErrors(page, what) {
  assert.equal(await page.locator('.error-summary').count(), 0, `no error after ${what}: ${await page.locator('main').innerText()}`);
}

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

test('an impact is recorded, assessed, acted on and tracked; it shows in the heat map and the trend', async () => {
  const an = await newContext([400, 403]);
  const p = an.page;
  await signIn(p, 'analyst');

  // the register is in the navigation of a role with dd_read
  let res = await p.goto(env.base + '/dashboard');
  assert.equal(res.status(), 200);
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Due diligence register' }).click()]);
  assert.equal(await p.locator('h1').innerText(), 'Due diligence register');

  // --- a scope object
  res = await p.goto(env.base + '/register/scope');
  assert.equal(res.status(), 200);
  await p.locator('#name').fill('Browser messenger');
  await p.locator('#slug').fill('browser-messenger');
  await p.locator('#kind').selectOption('product');
  await p.locator('#phase').selectOption('use');
  await p.locator('#countries').fill('KE NG');
  await p.getByLabel('Children among the users').check();
  res = await submit(p, 'Add it');
  assert.equal(res.status(), 200);
  await noErrors(p, 'adding the scope object');
  assert.match(await p.locator('.notice').innerText(), /scope object was added/);
  assert.match(await p.locator('main table').innerText(), /Browser messenger/);
  // its lifecycle phase moves on: edited in place
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Edit', exact: true }).click()]);
  assert.equal(await p.locator('#name').inputValue(), 'Browser messenger');
  assert.equal(await p.getByLabel('Children among the users').isChecked(), true);
  await p.locator('#phase').selectOption('deployment');
  res = await submit(p, 'Save');
  assert.equal(res.status(), 200);
  await noErrors(p, 'editing the scope object');
  assert.match(await p.locator('main table').innerText(), /Deployment/);

  // --- an impact: first without a right (the error sits next to the picker, entries kept)
  res = await p.goto(env.base + '/register/impacts/new');
  assert.equal(res.status(), 200);
  await p.locator('#scope_id').selectOption({ label: 'Browser messenger (Product)' });
  await p.locator('#title').fill('Location of activists exposed through contact discovery');
  await p.locator('#status').selectOption('potential');
  await p.locator('#involvement').selectOption('contribute');
  await p.locator('#scale').selectOption('4');
  await p.locator('#scope').selectOption('3');
  await p.locator('#irremediable').selectOption('4');
  await p.locator('#likelihood').selectOption('3');
  await p.locator('#affected_groups').fill('Human rights defenders using the app');
  // the rubric text of every level is on the form
  assert.match(await p.locator('main form').textContent(), /Life, bodily integrity or freedom at stake/);
  res = await submit(p, 'Record the impact');
  assert.equal(res.status(), 400);
  assert.equal(await p.locator('.error-summary a[href="#rights"]').count(), 1);
  assert.equal(await p.locator('#rights-error').count(), 1);
  assert.equal(await p.locator('#title').inputValue(), 'Location of activists exposed through contact discovery');
  assert.equal(await p.locator('#scale').inputValue(), '4');
  await p.screenshot({ path: join(shots, 'dd-impact-error.png'), fullPage: true });
  // the rights picker is grouped by digital-harm tag
  await p.locator('summary', { hasText: 'Privacy and personal data' }).click();
  await p.locator('#right_ICCPR-17').check();
  await p.getByLabel('Media reports').check();
  res = await submit(p, 'Record the impact');
  assert.equal(res.status(), 200);
  await noErrors(p, 'recording the impact');
  const impactUrl = p.url().replace(/\?.*$/, '');
  assert.match(impactUrl, /\/register\/impacts\/\d+$/);
  assert.equal(await p.locator('h1').innerText(), 'Location of activists exposed through contact discovery');
  assert.equal(await p.locator('#impact-severity').innerText(), '11');
  assert.equal(await p.locator('#impact-likelihood').innerText(), '3');
  assert.equal(await p.locator('#impact-status').innerText(), 'Potential');
  assert.match(await p.locator('main').innerText(), /Use or build leverage/, 'the response implied by contributing');

  // --- assess it: re-rate with the rubric (likelihood 3 -> 4)
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Edit or reassess this impact' }).click()]);
  assert.equal(await p.locator('#right_ICCPR-17').isChecked(), true);
  await p.locator('#likelihood').selectOption('4');
  res = await submit(p, 'Save');
  assert.equal(res.status(), 200);
  await noErrors(p, 'reassessing');
  assert.equal(await p.locator('#impact-likelihood').innerText(), '4');

  // ... and an assessment of its product with the impact as a finding
  res = await p.goto(env.base + '/register/assessments');
  assert.equal(res.status(), 200);
  await p.locator('#scope_id').selectOption({ label: 'Browser messenger' });
  await p.locator('#kind').selectOption('hria');
  await p.locator('#trigger').selectOption('new_activity');
  await p.locator('#event_day').fill(isoDay(0));
  await p.locator('#trigger_note').fill('Contact discovery launched in two markets');
  res = await submit(p, 'Start the assessment');
  assert.equal(res.status(), 200);
  await noErrors(p, 'starting the assessment');
  const assessmentUrl = p.url().replace(/\?.*$/, '');
  await p.getByLabel('Location of activists exposed through contact discovery').check();
  await p.locator('#summary').fill('Contact discovery can reveal who talks to whom; defenders are at risk.');
  res = await submit(p, 'Complete the assessment');
  assert.equal(res.status(), 200);
  await noErrors(p, 'completing the assessment');
  assert.equal(await p.locator('#assessment-status').innerText(), 'Completed, awaiting approval');
  // the analyst sees no approve button, and a POST by the analyst is refused
  assert.equal(await p.getByRole('button', { name: 'Approve the assessment' }).count(), 0);
  assert.match(await p.locator('#approve').innerText(), /HR lead or an administrator/);
  const csrf = await p.locator('input[name="csrf"]').first().inputValue();
  const refused = await p.request.post(`${assessmentUrl}/approve`, { form: { csrf }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);

  // --- an action and an indicator with measurements
  await p.goto(impactUrl);
  await p.locator('#a_title').fill('Make contact discovery opt-in');
  await p.locator('#a_kind').selectOption('prevent');
  await p.locator('#a_function').selectOption('product');
  await p.locator('#a_due').fill(isoDay(60));
  await p.locator('#a_owner').fill('Product lead, messaging');
  res = await submit(p, 'Add the action');
  assert.equal(res.status(), 200);
  await noErrors(p, 'adding the action');
  assert.match(await p.locator('main table').first().innerText(), /Make contact discovery opt-in/);
  // the action moves on: in progress, with evidence of integration
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Edit the action' }).click()]);
  assert.equal(await p.locator('#a_title').inputValue(), 'Make contact discovery opt-in');
  await p.locator('#a_status').selectOption('in_progress');
  await p.locator('#a_integration').fill('Privacy review checklist now requires opt-in for discovery features');
  res = await submit(p, 'Save');
  assert.equal(res.status(), 200);
  await noErrors(p, 'editing the action');
  assert.equal(p.url().replace(/\?.*$/, ''), impactUrl);
  assert.match(await p.locator('main table').first().innerText(), /In progress/);
  assert.match(await p.locator('main table').first().innerText(), /Privacy review checklist/);

  await p.locator('#i_name').fill('Accounts with discovery on by default');
  await p.locator('#i_unit').fill('%');
  await p.locator('#i_direction').selectOption('decrease');
  await p.locator('#i_target').fill('5');
  res = await submit(p, 'Add the indicator');
  assert.equal(res.status(), 200);
  await noErrors(p, 'adding the indicator');
  const ind = p.locator('article.indicator').first();
  assert.match(await ind.innerText(), /No data yet/);
  // a bad value is an error next to the value field
  const dayField = ind.locator('input[name="day"]');
  await dayField.fill(isoDay(-60));
  await ind.locator('input[name="value"]').fill('lots');
  res = await Promise.all([p.waitForNavigation(), ind.getByRole('button', { name: 'Record the measurement' }).click()]).then((r) => r[0]);
  assert.equal(res.status(), 400);
  assert.equal(await p.locator('article.indicator .field-error').count(), 1);
  for (const [day, value] of [[-60, '40'], [-30, '25'], [0, '12']]) {
    const art = p.locator('article.indicator').first();
    await art.locator('input[name="day"]').fill(isoDay(day));
    await art.locator('input[name="value"]').fill(value);
    res = await Promise.all([p.waitForNavigation(), art.getByRole('button', { name: 'Record the measurement' }).click()]).then((r) => r[0]);
    assert.equal(res.status(), 200);
    await noErrors(p, `recording ${value}`);
  }
  // the trend: a line through three points, the target dashed, the status in words
  const chart = p.locator('article.indicator svg[role="img"]').first();
  assert.equal(await chart.locator('circle').count(), 3);
  assert.equal(await chart.locator('polyline').count(), 1);
  assert.equal(await chart.locator('[stroke-dasharray]').count(), 1);
  assert.match(await chart.locator('desc').textContent(), /: 12\./);
  const indText = await p.locator('article.indicator').first().innerText();
  assert.match(indText, /Going down/);
  assert.match(indText, /On track|Target met/);
  await p.screenshot({ path: join(shots, 'dd-impact.png'), fullPage: true });

  // --- the heat map: severity 11 is band 4, likelihood 4; the cell links to the impact
  res = await p.goto(env.base + '/register');
  assert.equal(res.status(), 200);
  const cell = p.locator('#heatmap svg a[href="/register/impacts?band=4&likelihood=4"]');
  assert.equal(await cell.count(), 1);
  assert.equal((await cell.locator('text').textContent()).trim(), '1');
  assert.match(await p.locator('#heatmap desc').textContent(), /Severity band 4, Likelihood 4: 1/);
  assert.match(await p.locator('main table.queue').innerText(), /Location of activists/);
  await p.screenshot({ path: join(shots, 'dd-overview.png'), fullPage: true });
  res = await p.goto(env.base + '/register/impacts?band=4&likelihood=4');
  assert.equal(res.status(), 200);
  assert.equal(await p.getByRole('link', { name: 'Location of activists exposed through contact discovery' }).count(), 1);
  // the list filters by status (a GET form)
  res = await p.goto(env.base + '/register/impacts');
  await p.locator('#f-status').selectOption('actual');
  res = await submit(p, 'Show');
  assert.match(p.url(), /status=actual/);
  assert.equal(await p.getByRole('link', { name: 'Location of activists exposed through contact discovery' }).count(), 0);
  await p.locator('#f-status').selectOption('potential');
  res = await submit(p, 'Show');
  assert.equal(await p.getByRole('link', { name: 'Location of activists exposed through contact discovery' }).count(), 1);
  res = await p.goto(env.base + '/register/impacts?band=1&likelihood=1');
  assert.equal(await p.getByRole('link', { name: 'Location of activists exposed through contact discovery' }).count(), 0);
  // the indicators page draws the same trend
  res = await p.goto(env.base + '/register/indicators');
  assert.equal(res.status(), 200);
  assert.equal(await p.locator('svg[role="img"] circle').count(), 3);
  // ... and takes a measurement too (a value between two others)
  const sec = p.locator('section.indicator').first();
  await sec.locator('input[name="day"]').fill(isoDay(-15));
  await sec.locator('input[name="value"]').fill('18.5');
  res = await Promise.all([p.waitForNavigation(), sec.getByRole('button', { name: 'Record the measurement' }).click()]).then((r) => r[0]);
  assert.equal(res.status(), 200);
  await noErrors(p, 'recording from the indicators page');
  assert.match(await p.locator('.notice').innerText(), /measurement was recorded/);
  assert.equal(await p.locator('svg[role="img"] circle').count(), 4);
  // the CSV export of the impacts
  const csv = await p.request.get(env.base + '/register/export/impacts.csv');
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  assert.match(await csv.text(), /Location of activists exposed through contact discovery/);

  // --- the HR lead approves the assessment; the issue is published
  const hr = await newContext();
  await signIn(hr.page, 'hr_lead');
  res = await hr.page.goto(assessmentUrl);
  assert.equal(res.status(), 200);
  res = await submit(hr.page, 'Approve the assessment');
  assert.equal(res.status(), 200);
  await noErrors(hr.page, 'approving');
  assert.equal(await hr.page.locator('#assessment-status').innerText(), 'Approved');
  // approved once: a second approval is a conflict, said next to the state
  const hrCsrf = await hr.page.locator('input[name="csrf"]').first().inputValue();
  const again = await hr.page.request.post(`${assessmentUrl}/approve`, { form: { csrf: hrCsrf }, maxRedirects: 0 });
  assert.equal(again.status(), 409);
  assert.match(await again.text(), /id="approve"/);
  const pub = await newContext([400]);
  res = await pub.page.goto(`${env.base}/orgs/${env.orgA.slug}/human-rights-report`);
  assert.equal(res.status(), 200);
  const report = await pub.page.locator('main').innerText();
  assert.match(report, /Location of activists exposed through contact discovery/);
  assert.match(report, /Make contact discovery opt-in/);
  assert.doesNotMatch(report, /Product lead, messaging/, 'no owner names on the public report');
  assert.equal(await pub.page.locator('main a[href="/report"]').count(), 1, 'remedy links the grievance mechanism');
  assert.ok(await pub.page.locator('main svg[role="img"]').count() >= 1, 'tracking is charted');
  res = await pub.page.goto(`${env.base}/orgs/${env.orgA.slug}/products/browser-messenger/human-rights`);
  assert.equal(res.status(), 200);
  assert.match(await pub.page.locator('main').innerText(), /defenders are at risk/);
  await pub.page.screenshot({ path: join(shots, 'dd-public-report.png'), fullPage: true });

  // --- a grievance feeds due diligence: linked from the case page, the potential
  // impact becomes possibly actual and a reassessment is queued (once)
  res = await pub.page.goto(env.base + '/report');
  await pub.page.getByLabel('What happened?').fill('The app showed my contacts where I live. Marker-DD7.');
  res = await submit(pub.page, 'Send grievance');
  assert.equal(res.status(), 201);
  const reference = (await pub.page.locator('#reference').innerText()).trim();
  await hr.page.goto(env.base + '/cases');
  await Promise.all([hr.page.waitForNavigation(), hr.page.getByRole('link', { name: reference }).click()]);
  await hr.page.locator('#dd-impact').selectOption({ label: 'Location of activists exposed through contact discovery (Potential)' });
  res = await submit(hr.page, 'Link to this impact');
  assert.equal(res.status(), 200);
  assert.match(await hr.page.locator('.notice').innerText(), /possibly actual and a reassessment was queued/);
  assert.equal(await hr.page.getByRole('link', { name: 'Location of activists exposed through contact discovery' }).count(), 1);
  // linking again is refused without a second reassessment
  await hr.page.locator('#dd-impact').selectOption({ label: 'Location of activists exposed through contact discovery (Possibly actual)' });
  res = await submit(hr.page, 'Link to this impact');
  assert.match(await hr.page.locator('.notice').innerText(), /already linked/);
  res = await hr.page.goto(impactUrl);
  assert.equal(await hr.page.locator('#impact-status').innerText(), 'Possibly actual');
  const side = await hr.page.locator('.case-side').innerText();
  assert.match(side, new RegExp(`${isoDay(0).slice(0, 7)}\\s+1`), 'one linked grievance this month');
  assert.equal((side.match(/Grievance linked to a potential impact/g) ?? []).length, 1, 'one reassessment queued');
  await hr.page.screenshot({ path: join(shots, 'dd-impact-linked.png'), fullPage: true });

  for (const c of [an, hr, pub]) {
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.external, []);
    await c.context.close();
  }
});

test('policy approval is for the HR lead only; engagement fatigue is shown', async () => {
  const an = await newContext([403]);
  const p = an.page;
  await signIn(p, 'analyst');
  let res = await p.goto(env.base + '/register/policies');
  assert.equal(res.status(), 200);
  await p.locator('#title').fill('Our human rights commitment');
  await p.locator('#body_md').fill('We respect all internationally recognised human rights.');
  await p.getByLabel('Our own operations').check();
  res = await submit(p, 'Save the draft');
  assert.equal(res.status(), 200);
  await noErrors(p, 'saving the draft');
  const policyUrl = p.url().replace(/\?.*$/, '');
  assert.equal(await p.getByRole('button', { name: 'Approve this version' }).count(), 0);
  const csrf = await p.locator('input[name="csrf"]').first().inputValue();
  const refused = await p.request.post(`${policyUrl}/approve`, { form: { csrf }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);

  const hr = await newContext();
  await signIn(hr.page, 'hr_lead');
  await hr.page.goto(policyUrl);
  res = await submit(hr.page, 'Approve this version');
  assert.equal(res.status(), 200);
  assert.equal(await hr.page.locator('#policy-status').innerText(), 'Approved');
  const pub = await newContext();
  res = await pub.page.goto(`${env.base}/orgs/${env.orgA.slug}/human-rights-policy`);
  assert.equal(res.status(), 200);
  assert.match(await pub.page.locator('#policy-text').innerText(), /internationally recognised/);

  // engagement fatigue: the fourth engagement of a quarter with one organisation
  res = await p.goto(env.base + '/register/stakeholders');
  await p.locator('#sh_name').fill('Digital Rights Collective Nairobi');
  await p.locator('#sh_kind').selectOption('organisation');
  await p.locator('#sh_region').fill('East Africa');
  await p.getByLabel('Global South').check();
  res = await submit(p, 'Add the stakeholder');
  assert.equal(res.status(), 200);
  await noErrors(p, 'adding the stakeholder');
  let warned = false;
  for (let i = 0; i < 4; i++) {
    await p.locator('#e_stakeholder').selectOption({ label: 'Digital Rights Collective Nairobi' });
    await p.locator('#e_day').fill(isoDay(0));
    await p.locator('#e_topics').fill(`Consultation round ${i + 1}`);
    res = await submit(p, 'Record the engagement');
    assert.equal(res.status(), 200);
    await noErrors(p, `engagement ${i + 1}`);
    warned = (await p.locator('#fatigue-warning').count()) === 1;
    assert.equal(warned, i === 3, `fatigue warning only on the fourth (${i + 1})`);
  }
  assert.match(await p.locator('#fatigue-warning').innerText(), /4 \/ 3/);
  assert.match(await p.locator('main').innerText(), /Consultation round 4/, 'the engagement is stored anyway');
  await p.screenshot({ path: join(shots, 'dd-fatigue.png'), fullPage: true });

  // an affected group's input on the impact: stakeholder feedback and coverage
  res = await p.goto(env.base + '/register/coverage');
  assert.match(await p.locator('main table').innerText(), /Location of activists[^\n]*\n?.*No input yet/);
  res = await p.goto(env.base + '/register/stakeholders');
  await p.locator('#sh_name').fill('Defenders using the app, Lagos group');
  await p.locator('#sh_kind').selectOption('affected_group');
  res = await submit(p, 'Add the stakeholder');
  await noErrors(p, 'adding the affected group');
  await p.locator('#e_stakeholder').selectOption({ label: 'Defenders using the app, Lagos group' });
  await p.locator('#e_step').selectOption('assess');
  await p.locator('#e_format').selectOption('interview');
  await p.locator('#e_topics').fill('What contact discovery revealed about them');
  await p.locator('#e_outcome').fill('They want discovery off by default');
  await p.getByLabel('Location of activists exposed through contact discovery').check();
  res = await submit(p, 'Record the engagement');
  assert.equal(res.status(), 200);
  await noErrors(p, 'recording the affected group engagement');
  res = await p.goto(env.base + '/register/coverage');
  const row = p.locator('main tr', { hasText: 'Location of activists' });
  assert.match(await row.innerText(), /Yes/);
  await Promise.all([p.waitForNavigation(), row.getByRole('link').click()]);
  assert.match(await p.locator('.case-side').innerText(), /They want discovery off by default/);
  for (const c of [an, hr, pub]) {
    assert.deepEqual(c.problems, []);
    await c.context.close();
  }
});
