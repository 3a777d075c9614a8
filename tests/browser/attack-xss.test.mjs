// Stored script injection, proven in a real browser (Debian's Chromium via
// playwright-core) on the demo installation: payloads (<script>, an <img>
// with onerror, an SVG onload, attribute breakout) go into the
// organisation's name (shown on every page), a product, an impact, a
// stakeholder, a user's name and a recorded grievance; then staff and public
// pages are loaded with JavaScript on. Nothing may run: no dialog, no page
// error, no CSP violation (which would mean the markup reached the DOM and
// only the policy stopped it), and no request for the payload's image.
// tests/integration/attack-xss.test.mjs checks the escaping of every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, demoIds } from '../integration/lib/attack.mjs';
import { launchBrowser } from './lib/browser.mjs';

const XSS = `<script>alert("s")</script>"><img src=xss-probe onerror=alert("i")>'><svg onload=alert("v")>XSSMARK`;
const SHORT = '"><img src=xss-probe onerror=alert(1)>';

let env;
let browser;
let admin;
let ids;

before(async () => {
  env = await startDemo('sqlite');
  admin = await env.login('admin');
  ids = await demoIds(admin);
  const O = '/api/v1/orgs/kestrel';
  const ok = (r, what) => assert.ok(r.status < 300, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  ok(await admin.patch(O, { name: `Kestrel ${XSS}` }), 'org name');
  ok(await admin.post(`${O}/products`, { slug: 'xss-product', name: XSS }), 'product');
  ok(await admin.patch(`${O}/impacts/${ids.impacts}`, { title: XSS }), 'impact');
  ok(await admin.patch(`${O}/stakeholders/${ids.stakeholders}`, { name: XSS }), 'stakeholder');
  ok(await admin.post(`${O}/users`, { email: 'xss@kestrel.example', display_name: SHORT, role: 'analyst', password: 'xss-user-password-1' }), 'user');
  ok(await admin.post(`${O}/cases`, { narrative: XSS, contact_preference: 'anonymous', channel: 'phone', product_text: XSS }), 'case');
  const cases = (await admin.get(`${O}/cases?limit=500`)).data.items;
  ids.xssCase = cases.reduce((a, b) => (a.id > b.id ? a : b)).id;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (env) await env.stop();
});

test('no injected script runs on staff or public pages', async () => {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'hrdd_session', value: admin.cookies.get('hrdd_session'), url: env.base }]);
  const page = await context.newPage();
  const problems = [];
  page.on('dialog', async (d) => {
    problems.push(`dialog on ${page.url()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`pageerror on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) problems.push(`console on ${page.url()}: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (/xss-probe/.test(r.url())) problems.push(`payload image requested on ${page.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const pages = ['/dashboard', '/products', '/users', '/register', '/register/impacts', `/register/impacts/${ids.impacts}`,
    '/register/stakeholders', `/cases/${ids.xssCase}`, '/cases', '/assess', '/transparency', '/audit',
    '/orgs/kestrel/transparency', '/orgs/kestrel/human-rights-report', '/orgs/kestrel/human-rights-policy', '/mechanism', '/report'];
  let shown = 0;
  for (const p of pages) {
    const res = await page.goto(env.base + p, { waitUntil: 'load' });
    assert.ok(res.status() < 400, `${p}: ${res.status()}`);
    if ((await page.content()).includes('XSSMARK')) shown++;
  }
  await context.close();
  assert.deepEqual(problems, []);
  assert.ok(shown >= 10, `the payload shows on only ${shown} pages`);
});
