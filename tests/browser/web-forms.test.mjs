// The web forms' error paths over plain HTTP (no browser): every invalid or
// refused submission answers an HTML page with the right status and an
// accessible error, never a 500, and other tenants' ids are "not found".
// Runs against the same harness as the browser suite; under -Db_sanitize a
// sanitizer report in the server's stderr fails the suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, hrdd, emailOf, PASSWORD, Client } from '../integration/lib/server.mjs';
import { sanitizerReport } from './lib/browser.mjs';

let env;
let admin;        // admin of A, as a browser would be: cookie + csrf form field
let csrf;

function form(fields) {
  return new URLSearchParams(fields).toString();
}

async function signIn(email) {
  const c = new Client(env.base);
  const r = await c.req('POST', '/login', {
    body: form({ email, password: PASSWORD }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, r.text);
  const page = await c.get('/dashboard');
  const m = /name="csrf" value="([^"]+)"/.exec(page.text);
  assert.ok(m, 'pages carry the CSRF field');
  return { c, csrf: m[1] };
}

async function post(path, fields, who = admin, token = csrf) {
  return who.req('POST', path, {
    body: form({ csrf: token, ...fields }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

function assertHtmlError(r, status, re) {
  assert.equal(r.status, status, r.text.slice(0, 500));
  assert.match(r.ct, /^text\/html/);
  if (re) assert.match(r.text, re);
}

before(async () => {
  env = await startServer({ sector: false });
  ({ c: admin, csrf } = await signIn(emailOf('admin', 'a')));
});

after(async () => {
  if (env) {
    await env.stop();
    const bad = sanitizerReport(env.stderr());
    assert.equal(bad, null, `sanitizer report from hrdd serve:\n${env.stderr().slice(-6000)}`);
  }
});

test('login form: missing fields are named, unknown account and wrong password answer alike', async () => {
  const c = new Client(env.base);
  const h = { 'content-type': 'application/x-www-form-urlencoded' };
  let r = await c.req('POST', '/login', { body: '', headers: h });
  assertHtmlError(r, 400, /role="alert"/);
  assert.match(r.text, /href="#email"/);
  assert.match(r.text, /href="#password"/);
  const a = await c.req('POST', '/login', { body: form({ email: 'nobody@acme.test', password: 'x' }), headers: h });
  const b = await c.req('POST', '/login', { body: form({ email: emailOf('analyst', 'a'), password: 'x' }), headers: h });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  const strip = (t) => t.replace(/value="[^"]*"/g, '');
  assert.equal(strip(a.text), strip(b.text), 'same page for unknown account and wrong password');
  // the next parameter is kept, but only a local path
  r = await c.get('/login?next=%2Fusers');
  assert.match(r.text, /name="next" value="&#47;users"/);
  r = await c.get('/login?next=%2F%2Fevil.example');
  assert.doesNotMatch(r.text, /name="next" value="[^"]*evil/, 'an off-site next is not carried by the form');
  // the language switcher keeps the query only percent-encoded (sign-in checks next anyway)
  assert.doesNotMatch(r.text, /href="[^"]*next=(\/\/|&#47;&#47;)evil/);
  r = await c.req('POST', '/login', { body: form({ email: emailOf('analyst', 'a'), password: PASSWORD, next: '//evil.example' }), headers: h });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/dashboard');
  // the TOTP step without a pending session goes back to the sign-in page
  r = await new Client(env.base).get('/login/totp');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
});

test('state-changing forms without the CSRF field are refused', async () => {
  const r = await post('/products', { name: 'X', slug: 'x', kind: 'product' }, admin, 'wrong');
  assertHtmlError(r, 403);
});

test('users: invalid input, self-lockout, other tenants and unknown ids', async () => {
  let r = await post('/users', { email: 'bad', display_name: '', password: 'short', role: 'king' });
  assertHtmlError(r, 400, /role="alert"/);
  for (const f of ['email', 'password', 'role']) assert.match(r.text, new RegExp(`href="#${f}"`), f);
  r = await post('/users', { email: 'fresh@acme.test', display_name: '', password: '', role: 'analyst' });
  assertHtmlError(r, 400, /href="#display_name"/);
  assert.match(r.text, /href="#password"/);

  const me = await admin.get('/api/v1/me', { headers: {} });
  const myId = me.data?.user?.id ?? me.data?.id;
  assert.ok(myId, me.text);
  r = await post(`/users/${myId}`, { role: 'analyst', status: 'active' });
  assertHtmlError(r, 409, /own role/);
  r = await post(`/users/${myId}`, { role: 'admin', status: 'disabled' });
  assertHtmlError(r, 409);
  r = await post('/users/999999', { role: 'analyst', status: 'active' });
  assertHtmlError(r, 404);
  r = await post('/users/abc', { role: 'analyst', status: 'active' });
  assertHtmlError(r, 404);
  r = await post('/users/2', { role: 'nope', status: 'active' });
  assertHtmlError(r, 400);

  // a member of B only: "not found" from A, and B's record is untouched
  const bAdmin = await env.login('admin', 'b');
  const list = await bAdmin.get(`/api/v1/orgs/${env.orgB.slug}/users`);
  const bAnalyst = list.data.items.find((u) => u.email === emailOf('analyst', 'b'));
  r = await post(`/users/${bAnalyst.id}`, { role: 'admin', status: 'disabled' });
  assertHtmlError(r, 404);
  const again = await bAdmin.get(`/api/v1/orgs/${env.orgB.slug}/users/${bAnalyst.id}`);
  assert.equal(again.data.role, 'analyst');
  assert.equal(again.data.disabled, false);

  // an account that also belongs to B cannot be disabled from A (account-wide)
  await hrdd(env.bin, ['user', 'role', '--db', env.db, '--email', emailOf('hr_lead', 'b'), '--org',
    env.orgA.slug, '--role', 'analyst']);
  const aList = await admin.get(`/api/v1/orgs/${env.orgA.slug}/users`);
  const shared = aList.data.items.find((u) => u.email === emailOf('hr_lead', 'b'));
  r = await post(`/users/${shared.id}`, { role: 'analyst', status: 'disabled' });
  assertHtmlError(r, 409, /other organisations/);
  // its role here can change
  r = await post(`/users/${shared.id}`, { role: 'auditor', status: 'active' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/users?notice=user_updated');
});

test('products: invalid input and duplicates', async () => {
  let r = await post('/products', { name: '', slug: 'Not A Slug', kind: 'gadget', description: 'x'.repeat(5000) });
  assertHtmlError(r, 400, /role="alert"/);
  for (const f of ['name', 'slug', 'kind', 'description']) assert.match(r.text, new RegExp(`href="#${f}"`), f);
  r = await post('/products', { name: 'Feed <ranking>', slug: 'feed-ranking', kind: 'feature' });
  assert.equal(r.status, 303);
  r = await post('/products', { name: 'Again', slug: 'feed-ranking', kind: 'feature' });
  assertHtmlError(r, 409, /already exists/);
  r = await admin.get('/products');
  assert.match(r.text, /Feed &lt;ranking&gt;/);
  // an analyst sees the list but not the form, and cannot post
  const { c: analyst, csrf: acsrf } = await signIn(emailOf('analyst', 'a'));
  r = await analyst.get('/products');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /action="&#47;products"|action="\/products"/);
  r = await post('/products', { name: 'Y', slug: 'y', kind: 'product' }, analyst, acsrf);
  assertHtmlError(r, 403);
});

test('tokens, account, audit and the org switcher: bad input never breaks a page', async () => {
  let r = await post('/tokens', { name: '', days: '0' });
  assertHtmlError(r, 400, /href="#name"/);
  assert.match(r.text, /href="#scopes"/);
  assert.match(r.text, /href="#days"/);
  r = await post('/tokens', { name: 'n', scope_read: '1', days: 'abc' });
  assertHtmlError(r, 400, /href="#days"/);
  r = await post('/tokens/999999/revoke', {});
  assertHtmlError(r, 404);
  r = await post('/account/totp', { action: 'explode' });
  assertHtmlError(r, 400);
  r = await post('/account/totp', { action: 'enable', secret: 'short', code: '123456' });
  assertHtmlError(r, 400);
  r = await post('/account/password', { current: '', new_password: 'x', confirm: 'y' });
  assertHtmlError(r, 400, /href="#current"/);
  r = await post('/account/password', { current: 'wrong-password-here', new_password: 'long-enough-password', confirm: 'long-enough-password' });
  assertHtmlError(r, 400, /not right/);
  r = await post('/org/switch', { org: 'abc' });
  assertHtmlError(r, 400);
  r = await post('/org/switch', { org: String(env.orgB.id) });
  assertHtmlError(r, 404);
  for (const q of ['', '?before=abc', '?before=-5', '?before=99999999999999999999', '?before=2']) {
    r = await admin.get('/audit' + q);
    assert.equal(r.status, 200, q);
  }
  r = await admin.get('/dashboard?notice=%3Cscript%3E');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<script>/);
  assert.doesNotMatch(r.text, /role="status"/);
  assert.ok(env.alive());
});

test('retention page: an admin sets 6 months and sees it, bad values are named, hr_lead reads, a case handler gets 403', async () => {
  let r = await admin.get('/users');
  assert.match(r.text, /href="\/retention"/, 'the members page links to the retention policy');
  r = await admin.get('/retention');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /No policy/);
  assert.match(r.text, /<form method="post" action="\/retention"/);
  r = await post('/retention', { months: 'six' });
  assertHtmlError(r, 400, /href="#months"/);
  assert.match(r.text, /id="months-error"/);
  assert.match(r.text, /aria-invalid="true"/);
  r = await post('/retention', { months: '1201' });
  assertHtmlError(r, 400, /href="#months"/);
  r = await post('/retention', { months: '6' }, admin, 'not-the-token');
  assertHtmlError(r, 403);
  r = await post('/retention', { months: '6' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await admin.get('/retention?notice=retention_set');
  assert.equal(r.status, 200);
  assert.match(r.text, /retention policy was saved/);
  assert.match(r.text, /<strong>6<\/strong>/);
  assert.match(r.text, /value="6"/);
  // the same policy as the API's, and audited like it
  const api = await admin.get(`/api/v1/orgs/${env.orgA.slug}/retention`);
  assert.equal(api.status, 200, api.text);
  assert.equal(JSON.parse(api.text).closed_cases_months, 6);
  const audit = await admin.get(`/api/v1/orgs/${env.orgA.slug}/audit`);
  assert.match(audit.text, /set closed_cases_months=6/);
  // org_read roles see it without the form; others get 403
  const { c: lead } = await signIn(emailOf('hr_lead', 'a'));
  r = await lead.get('/retention');
  assert.equal(r.status, 200);
  assert.match(r.text, /<strong>6<\/strong>/);
  assert.doesNotMatch(r.text, /action="\/retention"/);
  const { c: handler, csrf: hcsrf } = await signIn(emailOf('case_handler', 'a'));
  r = await handler.get('/retention');
  assertHtmlError(r, 403);
  r = await post('/retention', { months: '1' }, handler, hcsrf);
  assertHtmlError(r, 403);
  r = await post('/retention', { months: '', clear: '1' }, lead, (await lead.get('/dashboard')).text.match(/name="csrf" value="([^"]+)"/)[1]);
  assertHtmlError(r, 403);
  // cleared by the admin: no policy again
  r = await post('/retention', { months: '6', clear: '1' });
  assert.equal(r.status, 303);
  r = await admin.get('/retention');
  assert.match(r.text, /No policy/);
  assert.equal(JSON.parse((await admin.get(`/api/v1/orgs/${env.orgA.slug}/retention`)).text).closed_cases_months, 0);
  assert.ok(env.alive());
});
