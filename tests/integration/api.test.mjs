// Functional tests of every /api/v1 endpoint against a real server: sign-in
// and sign-out, me, organisations (and a sector body creating a member
// company), users (create, change role, disable, remove, self-protection),
// products, API tokens (create, use, revoke), and the audit trail showing
// each change. Secrets (password hashes, token hashes, TOTP secrets) never
// appear in any response.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startServer, Client, emailOf, PASSWORD, hrdd } from './lib/server.mjs';

let env;
let admin;
let slug;
const bodies = [];   // every JSON body seen, for the secrets check

before(async () => {
  env = await startServer({ sector: true });
  admin = await env.login('admin');
  slug = env.orgA.slug;
});

after(async () => {
  if (env) await env.stop();
});

async function call(client, method, path, json) {
  const r = await client.req(method, path, json === undefined ? {} : { json });
  bodies.push(r.text);
  return r;
}

test('sign in returns user, org, role, csrf token and a hardened cookie', async () => {
  const c = new Client(env.base);
  const r = await c.req('POST', '/api/v1/session', { json: { email: 'Admin@ACME.test', password: PASSWORD } });
  bodies.push(r.text);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.user.email, 'admin@acme.test');
  assert.equal(r.data.org.slug, slug);
  assert.equal(r.data.role, 'admin');
  assert.equal(typeof r.data.csrf_token, 'string');
  assert.ok(r.data.csrf_token.length >= 20);
  assert.ok(Array.isArray(r.data.memberships));
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('hrdd_session='));
  assert.ok(cookie, 'session cookie set');
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  assert.doesNotMatch(cookie, /Secure/i, 'not Secure without --behind-tls');
});

test('wrong password and unknown account get the same 401', async () => {
  const c = new Client(env.base);
  const a = await c.req('POST', '/api/v1/session', { json: { email: 'analyst@acme.test', password: 'wrong-password-123' } });
  const b = await c.req('POST', '/api/v1/session', { json: { email: 'nobody@acme.test', password: 'wrong-password-123' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.match(a.ct, /^application\/problem\+json/);
  assert.equal(a.data.detail, b.data.detail);
  assert.equal(a.headers.get('set-cookie'), null);
});

test('me: user, current org, role, memberships, csrf token', async () => {
  const r = await call(admin, 'GET', '/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.data.user.email, 'admin@acme.test');
  assert.equal(r.data.org.id, env.orgA.id);
  assert.equal(r.data.role, 'admin');
  assert.equal(r.data.auth, 'session');
  assert.equal(r.data.csrf_token, admin.csrf);
  assert.deepEqual(r.data.memberships.map((m) => m.org.slug), [slug]);
  const an = await env.login('analyst');
  const r2 = await call(an, 'GET', '/api/v1/me');
  assert.equal(r2.data.role, 'analyst');
});

test('orgs: list, get, patch (and who may)', async () => {
  let r = await call(admin, 'GET', '/api/v1/orgs');
  assert.equal(r.status, 200);
  assert.equal(r.data.items.length, 1);
  assert.equal(r.data.items[0].slug, slug);
  assert.equal(r.data.items[0].role, 'admin');
  assert.equal(r.data.items[0].current, true);
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}`);
  assert.equal(r.status, 200);
  assert.equal(r.data.name, 'Acme Social');
  assert.equal(r.data.kind, 'company');
  r = await call(admin, 'GET', `/api/v1/orgs/${env.orgA.id}`);
  assert.equal(r.status, 200, 'numeric id works too');
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}`, { description: 'A fictional social platform.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.description, 'A fictional social platform.');
  assert.equal(r.data.name, 'Acme Social');
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}`, { name: 'Acme Social Ltd' });
  assert.equal(r.data.name, 'Acme Social Ltd');
  assert.equal(r.data.description, 'A fictional social platform.');
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}`);
  assert.equal(r.data.name, 'Acme Social Ltd');
  const hr = await env.login('hr_lead');
  assert.equal((await call(hr, 'GET', `/api/v1/orgs/${slug}`)).status, 200);
  assert.equal((await call(hr, 'PATCH', `/api/v1/orgs/${slug}`, { name: 'x' })).status, 403);
});

test('a company cannot create member organisations (409)', async () => {
  const r = await call(admin, 'POST', '/api/v1/orgs', { slug: 'sub', name: 'Sub' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.ct, /problem\+json/);
});

test('a sector body creates a member company; its creator is admin there', async (t) => {
  if (!env.sectorOk) return t.skip('the CLI could not create a sector body');
  const s = new Client(env.base);
  await s.login('admin@sector.test');
  assert.equal(s.me.org.kind, 'sector_body');
  let r = await call(s, 'POST', '/api/v1/orgs', { slug: 'member-co', name: 'Member Co', description: 'A member' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.kind, 'company');
  assert.equal(r.data.parent_id, s.me.org.id);
  assert.match(r.headers.get('location') ?? '', /\/api\/v1\/orgs\/member-co$/);
  r = await call(s, 'GET', '/api/v1/orgs');
  const mine = r.data.items.find((o) => o.slug === 'member-co');
  assert.equal(mine.role, 'admin');
  r = await call(s, 'GET', '/api/v1/orgs/member-co/users');
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((u) => [u.email, u.role]), [['admin@sector.test', 'admin']]);
  r = await call(s, 'POST', '/api/v1/orgs', { slug: 'member-co', name: 'Again' });
  assert.equal(r.status, 409);
  assert.equal(r.data.field, '/slug');
  // Acme's admin is not a member of it.
  assert.equal((await call(admin, 'GET', '/api/v1/orgs/member-co')).status, 404);
  r = await call(s, 'GET', '/api/v1/orgs/member-co/audit');
  assert.ok(r.data.items.some((e) => e.object_type === 'org' && e.action === 'create'));
});

let newUser;

test('users: create with a password, sign in as them', async () => {
  let r = await call(admin, 'POST', `/api/v1/orgs/${slug}/users`,
    { email: 'New.Person@Acme.test', display_name: 'New Person', role: 'case_handler', password: 'new-person-password-1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.email, 'new.person@acme.test');
  assert.equal(r.data.role, 'case_handler');
  assert.equal(r.data.created, true);
  assert.equal(r.data.initial_password, undefined);
  assert.match(r.headers.get('location') ?? '', new RegExp(`/api/v1/orgs/${slug}/users/${r.data.id}$`));
  newUser = r.data;
  const c = new Client(env.base);
  await c.login('new.person@acme.test', 'new-person-password-1');
  assert.equal(c.me.role, 'case_handler');
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}/users/${newUser.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.data.display_name, 'New Person');
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}/users`);
  assert.ok(r.data.items.some((u) => u.id === newUser.id));
  r = await call(admin, 'POST', `/api/v1/orgs/${slug}/users`, { email: 'new.person@acme.test', role: 'analyst' });
  assert.equal(r.status, 409);
  assert.equal(r.data.field, '/email');
});

test('users: create without a password returns a one-time initial password', async () => {
  const r = await call(admin, 'POST', `/api/v1/orgs/${slug}/users`,
    { email: 'gen@acme.test', display_name: 'Generated', role: 'analyst' });
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.data.initial_password, 'string');
  assert.ok(r.data.initial_password.length >= 20);
  const c = new Client(env.base);
  await c.login('gen@acme.test', r.data.initial_password);
  const again = await call(admin, 'GET', `/api/v1/orgs/${slug}/users/${r.data.id}`);
  assert.equal(again.data.initial_password, undefined);
});

test('users: an existing account is added as a member without touching it', async () => {
  // B's analyst exists; adding them to A only creates a membership.
  const r = await call(admin, 'POST', `/api/v1/orgs/${slug}/users`,
    { email: emailOf('analyst', 'b'), role: 'auditor', password: 'attempted-override-1', display_name: 'Renamed' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.created, false);
  assert.equal(r.data.role, 'auditor');
  assert.notEqual(r.data.display_name, 'Renamed');
  // Their password did not change.
  const c = new Client(env.base);
  await c.login(emailOf('analyst', 'b'));
  assert.equal(c.me.memberships.length, 2);
  // A's admin may change their role in A, but not the shared account itself.
  const path = `/api/v1/orgs/${slug}/users/${r.data.id}`;
  assert.equal((await call(admin, 'PATCH', path, { role: 'hr_lead' })).data.role, 'hr_lead');
  let x = await call(admin, 'PATCH', path, { disabled: true });
  assert.equal(x.status, 409);
  assert.equal(x.data.field, '/disabled');
  x = await call(admin, 'PATCH', path, { display_name: 'Renamed' });
  assert.equal(x.status, 409);
  assert.equal(x.data.field, '/display_name');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'still signed in');
  const gone = await call(admin, 'DELETE', `/api/v1/orgs/${slug}/users/${r.data.id}`);
  assert.equal(gone.status, 204);
});

test('users: change role, disable (signs them out), enable, remove', async () => {
  const victim = new Client(env.base);
  await victim.login('new.person@acme.test', 'new-person-password-1');
  let r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${newUser.id}`, { role: 'analyst' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.role, 'analyst');
  assert.equal((await victim.get('/api/v1/me')).data.role, 'analyst');
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${newUser.id}`, { disabled: true });
  assert.equal(r.status, 200);
  assert.equal(r.data.disabled, true);
  assert.equal((await victim.get('/api/v1/me')).status, 401, 'sessions of a disabled account end');
  const again = await new Client(env.base).req('POST', '/api/v1/session', { json: { email: 'new.person@acme.test', password: 'new-person-password-1' } });
  assert.equal(again.status, 401);
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${newUser.id}`, { disabled: false, display_name: 'Renamed Person' });
  assert.equal(r.data.disabled, false);
  assert.equal(r.data.display_name, 'Renamed Person');
  await victim.login('new.person@acme.test', 'new-person-password-1');
  r = await call(admin, 'DELETE', `/api/v1/orgs/${slug}/users/${newUser.id}`);
  assert.equal(r.status, 204);
  assert.equal((await call(admin, 'GET', `/api/v1/orgs/${slug}/users/${newUser.id}`)).status, 404);
  assert.equal((await call(admin, 'DELETE', `/api/v1/orgs/${slug}/users/${newUser.id}`)).status, 404);
  assert.equal((await victim.get(`/api/v1/orgs/${slug}/products`)).status, 404, 'no longer a member');
});

test('users: an admin cannot demote, disable or remove themselves (409)', async () => {
  const me = admin.me.user.id;
  let r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${me}`, { role: 'analyst' });
  assert.equal(r.status, 409);
  assert.equal(r.data.field, '/role');
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${me}`, { disabled: true });
  assert.equal(r.status, 409);
  assert.equal(r.data.field, '/disabled');
  r = await call(admin, 'DELETE', `/api/v1/orgs/${slug}/users/${me}`);
  assert.equal(r.status, 409);
  r = await call(admin, 'PATCH', `/api/v1/orgs/${slug}/users/${me}`, { role: 'admin' });
  assert.equal(r.status, 200, 'keeping one\'s own role is fine');
  assert.equal((await call(admin, 'GET', '/api/v1/me')).data.role, 'admin');
});

test('products: create, list, get; any staff member reads them', async () => {
  let r = await call(admin, 'POST', `/api/v1/orgs/${slug}/products`,
    { slug: 'chat', name: 'Chat', kind: 'service', description: 'Direct messages\nand groups' });
  assert.equal(r.status, 201, r.text);
  const p = r.data;
  assert.equal(p.kind, 'service');
  assert.equal(p.description, 'Direct messages\nand groups');
  r = await call(admin, 'POST', `/api/v1/orgs/${slug}/products`, { slug: 'feed', name: 'Feed' });
  assert.equal(r.data.kind, 'product');
  r = await call(admin, 'POST', `/api/v1/orgs/${slug}/products`, { slug: 'chat', name: 'Dup' });
  assert.equal(r.status, 409);
  assert.equal(r.data.field, '/slug');
  const an = await env.login('case_handler');
  r = await call(an, 'GET', `/api/v1/orgs/${slug}/products`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((x) => x.slug).sort(), ['chat', 'feed']);
  r = await call(an, 'GET', `/api/v1/orgs/${slug}/products/${p.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.data.name, 'Chat');
  assert.equal((await call(an, 'GET', `/api/v1/orgs/${slug}/products/987654`)).status, 404);
  assert.equal((await call(an, 'POST', `/api/v1/orgs/${slug}/products`, { slug: 'x', name: 'x' })).status, 403);
});

test('tokens: create, use, list (no hash), revoke', async () => {
  let r = await call(admin, 'POST', `/api/v1/orgs/${slug}/tokens`, { name: 'ci', scopes: ['write', 'read'], expires_in_days: 30 });
  assert.equal(r.status, 201, r.text);
  const tok = r.data;
  assert.equal(typeof tok.token, 'string');
  assert.deepEqual(tok.scopes, ['read', 'write']);
  assert.ok(tok.expires_at);
  assert.equal(tok.active, true);
  const m = new Client(env.base, { token: tok.token });
  r = await call(m, 'GET', '/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.data.auth, 'token');
  assert.equal(r.data.org.id, env.orgA.id);
  assert.deepEqual(r.data.scopes, ['read', 'write']);
  r = await call(m, 'POST', `/api/v1/orgs/${slug}/products`, { slug: 'via-token', name: 'Via token' });
  assert.equal(r.status, 201, 'tokens need no CSRF header');
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}/tokens`);
  const listed = r.data.items.find((x) => x.id === tok.id);
  assert.ok(listed);
  assert.equal(listed.token, undefined, 'the clear token is shown once');
  assert.ok(listed.last_used_at, 'use is recorded');
  r = await call(admin, 'DELETE', `/api/v1/orgs/${slug}/tokens/${tok.id}`);
  assert.equal(r.status, 204);
  assert.equal((await call(m, 'GET', '/api/v1/me')).status, 401, 'revoked token is refused');
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}/tokens`);
  assert.equal(r.data.items.find((x) => x.id === tok.id).active, false);
  assert.equal((await call(admin, 'DELETE', `/api/v1/orgs/${slug}/tokens/987654`)).status, 404);
});

test('audit: lists the changes newest first, pages with before/limit', async () => {
  let r = await call(admin, 'GET', `/api/v1/orgs/${slug}/audit?limit=500`);
  assert.equal(r.status, 200);
  const items = r.data.items;
  assert.ok(items.length > 10);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].seq > items[i].seq, 'newest first');
  const has = (type, action) => items.some((e) => e.object_type === type && e.action === action);
  for (const [type, action] of [['user', 'create'], ['user', 'role_change'], ['user', 'disable'], ['user', 'enable'],
    ['user', 'remove_member'], ['user', 'add_member'], ['org', 'update'], ['product', 'create'], ['token', 'revoke'], ['user', 'login']])
    assert.ok(has(type, action), `audit has ${type} ${action}`);
  assert.ok(items.some((e) => e.object_type === 'token' && e.action !== 'revoke'), 'token creation is audited');
  for (const e of items) {
    assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.ok(e.actor);
  }
  const roleChange = items.find((e) => e.action === 'role_change');
  assert.equal(roleChange.actor_user_id, admin.me.user.id);
  assert.ok(roleChange.before_digest && roleChange.after_digest);
  r = await call(admin, 'GET', `/api/v1/orgs/${slug}/audit?limit=3`);
  assert.equal(r.data.items.length, 3);
  assert.equal(r.data.next_before, r.data.items[2].seq);
  const p2 = await call(admin, 'GET', `/api/v1/orgs/${slug}/audit?limit=3&before=${r.data.next_before}`);
  assert.equal(p2.data.items.length, 3);
  assert.ok(p2.data.items[0].seq < r.data.items[2].seq);
  assert.deepEqual(p2.data.items, items.filter((e) => e.seq < r.data.next_before).slice(0, 3));
  const aud = await env.login('auditor');
  assert.equal((await call(aud, 'GET', `/api/v1/orgs/${slug}/audit`)).status, 200);
  const an = await env.login('analyst');
  assert.equal((await call(an, 'GET', `/api/v1/orgs/${slug}/audit`)).status, 403);
});

test('concurrent writes: all distinct creations succeed, one of a duplicate wins', async () => {
  const distinct = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    admin.post(`/api/v1/orgs/${slug}/products`, { slug: `par-${i}`, name: `Parallel ${i}` })));
  assert.deepEqual(distinct.map((r) => r.status), Array(40).fill(201), distinct.map((r) => r.text).join('\n').slice(0, 500));
  const dup = await Promise.all(Array.from({ length: 20 }, () =>
    admin.post(`/api/v1/orgs/${slug}/products`, { slug: 'par-dup', name: 'Dup' })));
  const codes = dup.map((r) => r.status).sort();
  assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
  assert.equal(codes.filter((c) => c === 409).length, 19, codes.join(','));
  const list = await admin.get(`/api/v1/orgs/${slug}/products`);
  assert.equal(list.data.items.filter((p) => p.slug.startsWith('par-')).length, 41);
  // Every creation left exactly one audit entry, and the chain is intact.
  const audit = await admin.get(`/api/v1/orgs/${slug}/audit?limit=500`);
  const ids = new Set(list.data.items.filter((p) => p.slug.startsWith('par-')).map((p) => String(p.id)));
  const entries = audit.data.items.filter((e) => e.object_type === 'product' && ids.has(e.object_id));
  assert.equal(entries.length, 41);
  await hrdd(env.bin, ['audit', 'verify', '--db', env.db]);
});

test('the OpenAPI document is served publicly', async () => {
  const r = await new Client(env.base).get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.data.openapi, '3.1.0');
});

test('sign out ends the session', async () => {
  const c = await env.login('hr_lead');
  const saved = c.cookieHeader();
  const r = await c.del('/api/v1/session');
  assert.equal(r.status, 204);
  assert.equal(c.cookies.size, 0, 'cookie cleared');
  const stale = await c.req('GET', '/api/v1/me', { headers: { cookie: saved } });
  assert.equal(stale.status, 401, 'the old cookie no longer works');
});

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(buf) {
  let bits = 0, value = 0, out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}
function totp(secretBytes, t = Date.now() / 1000) {   // RFC 6238: HMAC-SHA1, 30 s, 6 digits
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', secretBytes).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

test('TOTP: sign-in needs the code once enrolled (401 totp_required, then 200)', async () => {
  const pw = 'totp-person-password-1';
  let r = await call(admin, 'POST', `/api/v1/orgs/${slug}/users`, { email: 'totp@acme.test', display_name: 'Totp', role: 'analyst', password: pw });
  assert.equal(r.status, 201, r.text);
  const c = new Client(env.base);
  await c.login('totp@acme.test', pw);
  // Enrol through the web form (the API has no enrolment endpoint).
  const secret = randomBytes(20);
  const form = new URLSearchParams({ csrf: c.csrf, action: 'enable', secret: base32(secret), code: totp(secret) });
  r = await c.req('POST', '/account/totp', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.ok(r.status === 303 || r.status === 302, `enrol: ${r.status} ${r.text.slice(0, 200)}`);
  r = await call(c, 'GET', '/api/v1/me');
  assert.equal(r.data.user.totp_enabled, true);
  const fresh = () => new Client(env.base);
  const half = fresh();
  r = await half.req('POST', '/api/v1/session', { json: { email: 'totp@acme.test', password: pw } });
  assert.equal(r.status, 401);
  assert.equal(r.data.totp_required, true);
  assert.equal(r.data.field, '/totp');
  assert.equal(half.cookies.size, 0, 'no half-signed-in session cookie is kept');
  const wrong = String((Number(totp(secret)) + 500000) % 1000000).padStart(6, '0');
  r = await fresh().req('POST', '/api/v1/session', { json: { email: 'totp@acme.test', password: pw, totp: wrong } });
  assert.equal(r.status, 401);
  assert.equal(r.data.totp_required, true);
  const ok = fresh();
  r = await ok.req('POST', '/api/v1/session', { json: { email: 'totp@acme.test', password: pw, totp: totp(secret) } });
  bodies.push(r.text);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.user.email, 'totp@acme.test');
  assert.equal(r.data.role, 'analyst');
  assert.equal(typeof r.data.csrf_token, 'string');
  ok.csrf = r.data.csrf_token;
  assert.equal((await ok.get('/api/v1/me')).status, 200);
  // A wrong password with a right code is still just a wrong password.
  r = await fresh().req('POST', '/api/v1/session', { json: { email: 'totp@acme.test', password: 'nope-nope-nope', totp: totp(secret) } });
  assert.equal(r.status, 401);
  assert.equal(r.data.totp_required, undefined);
  assert.doesNotMatch(bodies.join('\n'), new RegExp(base32(secret)));
});

test('no response ever carried a secret', () => {
  const all = bodies.join('\n');
  assert.doesNotMatch(all, /\$argon2id\$/, 'password hash');
  assert.doesNotMatch(all, /"(pw_hash|password_hash|token_hash|totp_secret|id_hash)"/);
});

test('repeated failures are throttled with 429 and Retry-After', async () => {
  const c = new Client(env.base);
  let last;
  for (let i = 0; i < 8; i++) {
    last = await c.req('POST', '/api/v1/session', { json: { email: 'auditor@acme.test', password: `wrong-${i}-password` } });
    if (last.status === 429) break;
  }
  assert.equal(last.status, 429, last.text);
  assert.ok(last.headers.get('retry-after'));
  // The right password is refused too while locked.
  const r = await c.req('POST', '/api/v1/session', { json: { email: 'auditor@acme.test', password: PASSWORD } });
  assert.equal(r.status, 429);
});
