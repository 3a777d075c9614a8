// Browser suite for the web shell: Debian's Chromium driven by playwright-core
// against a real `hrdd serve` (the integration harness starts it). Checks the
// sign-in page (no console errors, no CSP violations), signing in, adding a
// user through the form, switching organisation, signing out, the accessible
// error on a wrong password, the whole flow with JavaScript disabled, and the
// layout at 320 px (no horizontal scroll). Screenshots go to a temp dir
// (kept when HRDD_SCREENSHOTS names one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { startServer, hrdd, emailOf, PASSWORD } from '../integration/lib/server.mjs';
import { launchBrowser, sanitizerReport } from './lib/browser.mjs';

let env;
let browser;
let shots;

const ADMIN = emailOf('admin', 'a');

before(async () => {
  env = await startServer({ sector: false });
  // The admin of A is also a member of B, so the switcher has two entries.
  await hrdd(env.bin, ['user', 'role', '--db', env.db, '--email', ADMIN, '--org', 'other', '--role', 'analyst']);
  browser = await launchBrowser();
  shots = process.env.HRDD_SCREENSHOTS || (await mkdtemp(join(tmpdir(), 'hrdd-shots-')));
  await mkdir(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (env) {
    await env.stop();
    // under -Db_sanitize the server reports memory errors and leaks on stderr
    const bad = sanitizerReport(env.stderr());
    assert.equal(bad, null, `sanitizer report from hrdd serve:\n${env.stderr().slice(-6000)}`);
  }
});

// A page that records console errors, page errors and CSP violations.
async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...opts });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (opts.javaScriptEnabled !== false) {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  }
  return { context, page, problems };
}

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), independent of the server's code.
function base32Decode(s) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let val = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    val = ((val << 5) | A.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secret, offsetSteps = 0) {
  const counter = Math.floor(Date.now() / 1000 / 30) + offsetSteps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function signIn(page, email = ADMIN, password = PASSWORD) {
  await page.goto(env.base + '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

test('the sign-in page renders cleanly: landmarks, labels, no console errors, no CSP violations', async () => {
  const { context, page, problems } = await newPage();
  const res = await page.goto(env.base + '/');
  assert.equal(res.status(), 200);
  assert.match(page.url(), /\/login$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('main#main').count(), 1);
  assert.equal(await page.locator('h1').innerText(), 'Sign in');
  assert.equal(await page.getByLabel('Email address').getAttribute('type'), 'email');
  assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
  await page.screenshot({ path: join(shots, 'login.png'), fullPage: true });
  // the skip link is the first focusable element and becomes visible on focus
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  const box = await page.locator('.skip-link').boundingBox();
  assert.ok(box && box.y >= 0, 'skip link is visible when focused');
  // the stylesheet loaded (computed style differs from the browser default)
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.ok(csp.length > 0, 'the page has a CSP');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a wrong password shows an accessible error linked to the field', async () => {
  const { context, page, problems } = await newPage();
  await signIn(page, ADMIN, 'not-the-password');
  assert.match(page.url(), /\/login$/);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /email address or password is not right/);
  const link = alert.locator('a[href="#password"]');
  assert.equal(await link.count(), 1);
  const pw = page.locator('#password');
  assert.equal(await pw.getAttribute('aria-invalid'), 'true');
  const described = await pw.getAttribute('aria-describedby');
  assert.match(await page.locator('#' + described).innerText(), /not right/);
  // the e-mail is kept, the password is not
  assert.equal(await page.locator('#email').inputValue(), ADMIN);
  assert.equal(await pw.inputValue(), '');
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.screenshot({ path: join(shots, 'login-error.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await context.close();
});

test('admin signs in, sees the dashboard, adds a user, switches organisation and signs out', async () => {
  const { context, page, problems } = await newPage();
  await signIn(page);
  assert.match(page.url(), /\/dashboard$/);
  assert.equal(await page.locator('h1').innerText(), 'Dashboard');
  const main = await page.locator('main').innerText();
  assert.match(main, /Acme Social/);
  assert.match(main, /Administrator/);
  // navigation offers what an admin may use, and marks the current page
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const name of ['Dashboard', 'Members', 'Audit trail', 'API tokens', 'Your account']) {
    assert.equal(await nav.getByRole('link', { name }).count(), 1, name);
  }
  assert.equal(await nav.locator('[aria-current="page"]').innerText(), 'Dashboard');
  assert.ok((await page.locator('main table').count()) >= 1, 'recent audit entries are listed');
  await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });

  // add a user through the form
  await nav.getByRole('link', { name: 'Members' }).click();
  assert.match(page.url(), /\/users$/);
  const form = page.locator('form[action="/users"]');
  await form.getByLabel('Email address').fill('new.person@acme.test');
  await form.getByLabel('Name').fill('New <Person>');
  await form.getByLabel('Initial password').fill('a-long-enough-password');
  await form.getByLabel('Role').selectOption('case_handler');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Add user' }).click()]);
  assert.equal(await page.getByRole('status').innerText(), 'The user was added.');
  const row = page.locator('tr', { hasText: 'new.person@acme.test' });
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /New <Person>/);   // escaped on output, shown as typed
  assert.match(await row.innerText(), /Case handler/);
  await page.screenshot({ path: join(shots, 'users.png'), fullPage: true });

  // an existing account is added as a member as it is; a second time is refused
  const existing = emailOf('auditor', 'b');
  await form.getByLabel('Email address').fill(existing);
  await form.getByLabel('Role').selectOption('auditor');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Add user' }).click()]);
  assert.equal(await page.getByRole('status').innerText(), 'The existing account was added as a member.');
  assert.equal(await page.locator('tr', { hasText: existing }).count(), 1);
  await form.getByLabel('Email address').fill(existing);
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Add user' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /already a member/);

  // a validation error is announced and linked to its field
  await form.getByLabel('Email address').fill('not-an-email');
  await form.getByLabel('Name').fill('X');
  await form.getByLabel('Initial password').fill('short');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Add user' }).click()]);
  const alert = page.getByRole('alert');
  assert.equal(await alert.locator('a[href="#email"]').count(), 1);
  assert.equal(await alert.locator('a[href="#password"]').count(), 1);
  assert.equal(await page.locator('form[action="/users"] #email').getAttribute('aria-invalid'), 'true');

  // the new user can sign in (own context)
  const other = await newPage();
  await signIn(other.page, 'new.person@acme.test', 'a-long-enough-password');
  assert.match(other.page.url(), /\/dashboard$/);
  assert.equal(await other.page.getByRole('navigation').getByRole('link', { name: 'Audit trail' }).count(), 0,
    'a case handler is not offered the audit trail');
  await other.context.close();

  // switch organisation
  const sw = page.locator('form[action="/org/switch"]');
  await sw.getByLabel('Organisation').selectOption({ label: 'Other' });
  await Promise.all([page.waitForNavigation(), sw.getByRole('button', { name: 'Switch' }).click()]);
  assert.match(page.url(), /\/dashboard/);
  assert.match(await page.locator('main').innerText(), /Other/);
  assert.match(await page.locator('main').innerText(), /Analyst/);
  assert.equal(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'API tokens' }).count(), 0,
    'an analyst is not offered API tokens');
  const r = await page.goto(env.base + '/tokens');
  assert.equal(r.status(), 403);
  await page.goto(env.base + '/dashboard');

  // sign out
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()]);
  assert.match(page.url(), /\/login/);
  assert.equal(await page.getByRole('status').innerText(), 'You have signed out.');
  await page.goto(env.base + '/dashboard');
  assert.match(page.url(), /\/login\?next=/);
  assert.deepEqual(problems.filter((p) => !/status of 40[039]/.test(p)), []);
  await context.close();
});

test('own account: change password, turn two-step verification on, sign in with a code, turn it off', async () => {
  const { context, page, problems } = await newPage();
  const email = emailOf('hr_lead', 'a');
  await signIn(page, email);
  assert.match(page.url(), /\/dashboard$/);
  await page.goto(env.base + '/account');

  // password: mismatch is reported, then a real change
  const pwForm = page.locator('form[action="/account/password"]');
  await pwForm.getByLabel('Current password').fill(PASSWORD);
  await pwForm.getByLabel('New password', { exact: true }).fill('another-long-password');
  await pwForm.getByLabel('New password again').fill('something-else-entirely');
  await Promise.all([page.waitForNavigation(), pwForm.getByRole('button', { name: 'Change password' }).click()]);
  assert.equal(await page.getByRole('alert').locator('a[href="#confirm"]').count(), 1);
  await pwForm.getByLabel('Current password').fill(PASSWORD);
  await pwForm.getByLabel('New password', { exact: true }).fill('another-long-password');
  await pwForm.getByLabel('New password again').fill('another-long-password');
  await Promise.all([page.waitForNavigation(), pwForm.getByRole('button', { name: 'Change password' }).click()]);
  // every session ends with the old password: sign in again with the new one
  assert.match(page.url(), /\/login/);
  assert.match(await page.getByRole('status').innerText(), /Your password was changed/);
  await signIn(page, email, PASSWORD);
  assert.match(page.url(), /\/login$/, 'the old password no longer works');
  await signIn(page, email, 'another-long-password');
  assert.match(page.url(), /\/dashboard$/);
  await page.goto(env.base + '/account');

  // TOTP on: the secret is shown as text, a wrong code is refused, the right one accepted
  const secret = (await page.locator('code.secret').first().innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(await page.locator('code.secret').nth(1).innerText(), /^otpauth:\/\/totp\//);
  const totpForm = page.locator('form[action="/account/totp"]');
  await totpForm.getByLabel('Code from your app').fill('000000' === totp(secret) ? '111111' : '000000');
  await Promise.all([page.waitForNavigation(), totpForm.getByRole('button', { name: 'Turn on' }).click()]);
  assert.equal(await page.getByRole('alert').locator('a[href="#code"]').count(), 1);
  assert.equal((await page.locator('code.secret').first().innerText()).trim(), secret, 'same secret offered again');
  await totpForm.getByLabel('Code from your app').fill(totp(secret));
  await Promise.all([page.waitForNavigation(), totpForm.getByRole('button', { name: 'Turn on' }).click()]);
  assert.equal(await page.getByRole('status').innerText(), 'Two-step verification is now on.');
  await page.screenshot({ path: join(shots, 'account.png'), fullPage: true });

  // sign out, sign in again: the code is asked for
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()]);
  await signIn(page, email, 'another-long-password');
  assert.match(page.url(), /\/login\/totp$/);
  await page.getByLabel('Verification code').fill(totp(secret) === '123456' ? '654321' : '123456');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
  assert.equal(await page.getByRole('alert').count(), 1);
  assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Verification code').fill(totp(secret, 1));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
  assert.match(page.url(), /\/dashboard$/);

  // off again (needs a current code)
  await page.goto(env.base + '/account');
  const off = page.locator('form[action="/account/totp"]');
  await off.getByLabel('Code from your app').fill(totp(secret, -1));
  await Promise.all([page.waitForNavigation(), off.getByRole('button', { name: 'Turn off' }).click()]);
  assert.equal(await page.getByRole('status').innerText(), 'Two-step verification is now off.');
  assert.deepEqual(problems.filter((p) => !/status of 40[01]/.test(p)), []);
  await context.close();
});

test('API tokens: created and shown once, usable, revoked', async () => {
  const { context, page, problems } = await newPage();
  await signIn(page);
  await page.goto(env.base + '/tokens');
  const form = page.locator('form[action="/tokens"]');
  await form.getByLabel('Name').fill('reporting <bot>');
  await form.getByLabel('Valid for (days)').fill('30');
  const [nav] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Create token' }).click()]);
  assert.equal(nav.status(), 201);
  const token = (await page.locator('.new-token code').innerText()).trim();
  assert.ok(token.length >= 40, 'the clear token is shown');
  const row = page.locator('tr', { hasText: 'reporting <bot>' });
  assert.match(await row.innerText(), /Active/);
  const me = await fetch(env.base + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  // shown once: a fresh load of the page does not contain it
  await page.goto(env.base + '/tokens');
  assert.equal((await page.content()).includes(token), false);
  await Promise.all([page.waitForNavigation(), page.locator('tr', { hasText: 'reporting <bot>' }).getByRole('button', { name: /Revoke/ }).click()]);
  assert.equal(await page.getByRole('status').innerText(), 'The token was revoked.');
  assert.match(await page.locator('tr', { hasText: 'reporting <bot>' }).innerText(), /Revoked/);
  const after = await fetch(env.base + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
  await page.screenshot({ path: join(shots, 'tokens.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('everything works with JavaScript disabled', async () => {
  const { context, page, problems } = await newPage({ javaScriptEnabled: false });
  await page.goto(env.base + '/login');
  await page.fill('#email', ADMIN);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert.match(page.url(), /\/dashboard$/);
  await page.goto(env.base + '/products');
  await page.fill('#name', 'Messaging app');
  await page.fill('#slug', 'messaging-app');
  await page.selectOption('#kind', 'service');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/products"] button[type=submit]')]);
  assert.match(await page.locator('main').innerText(), /Messaging app/);
  await page.goto(env.base + '/audit');
  assert.match(await page.locator('main').innerText(), /product/);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/logout"] button[type=submit]')]);
  assert.match(page.url(), /\/login/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 320 px wide no page scrolls sideways', async () => {
  const { context, page, problems } = await newPage({ viewport: { width: 320, height: 640 } });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto(env.base + '/login');
  assert.equal(await overflow(), 0, 'login');
  await page.screenshot({ path: join(shots, 'login-320.png'), fullPage: true });
  await signIn(page);
  for (const path of ['/dashboard', '/users', '/products', '/audit', '/tokens', '/account']) {
    await page.goto(env.base + path);
    assert.equal(await overflow(), 0, path);
  }
  await page.goto(env.base + '/dashboard');
  await page.screenshot({ path: join(shots, 'dashboard-320.png'), fullPage: true });
  await page.goto(env.base + '/users');
  await page.screenshot({ path: join(shots, 'users-320.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
  console.log(`# screenshots in ${shots}`);
});

test('static assets are cached for long and typed correctly', async () => {
  const html = await (await fetch(env.base + '/login')).text();
  const m = /href="([^"]*app\.css[^"]*)"/.exec(html);
  assert.ok(m, 'the layout links the stylesheet');
  const url = m[1].replace(/&#47;/g, '/').replace(/&amp;/g, '&');
  const r = await fetch(env.base + url);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
  assert.match(r.headers.get('cache-control'), /max-age=31536000/);
  const missing = await fetch(env.base + '/static/nope.css');
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type'), /text\/html/);
});
