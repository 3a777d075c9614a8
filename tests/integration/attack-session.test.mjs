// Cross-site request forgery and session handling, on the demo installation.
// CSRF: every state-changing route of `hrdd routes --json` (POST, PUT,
// PATCH, DELETE; HTML forms and API), sent with the admin's session cookie
// but without the CSRF token, with a wrong one, with another session's
// token, and from a cross-site origin without one: always 403, and the
// audit trail (every change writes an entry) shows nothing new. Anonymous
// state-changing requests (intake, receipts, sign-in) from another origin:
// 403. API bearer tokens need no CSRF token (a browser never attaches them on
// its own, and no CORS header lets another origin send one).
// Session: a planted session cookie never survives sign-in (a new id is
// issued, the planted one authenticates nothing), sign-in's next= never
// redirects off the site or splits headers, sign-out invalidates the
// session on the server (the old cookie replayed gets 401), and session
// cookies are HttpOnly, SameSite=Strict, Path=/, Secure behind TLS.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client, wrapped, TIME_SCALE } from './lib/server.mjs';
import { startDemo, pool, demoIds, fillPath, auditSince } from './lib/attack.mjs';

const STATEFUL = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVIL = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

describe('CSRF and sessions', () => {
let env;
let admin;
let ids;

before(async () => {
  env = await startDemo('sqlite');
  admin = await env.login('admin');
  ids = await demoIds(admin);
});

after(async () => {
  if (env) await env.stop();
});

async function lastSeq() {
  const r = await admin.get('/api/v1/orgs/kestrel/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.data.items[0]?.seq ?? 0;
}

function sessionCookie(res) {
  const list = res.headers.getSetCookie?.() ?? [];
  return list.find((c) => c.startsWith('hrdd_session=')) ?? null;
}

test('every state-changing route refuses a forged request and changes nothing', async (t) => {
  const other = await env.login('hr_lead');           // another session, another token
  const victim = await env.login('admin');            // the session being forged against
  const seq0 = await lastSeq();
  const routes = env.routes.filter((r) => STATEFUL.has(r.method));
  const jobs = [];
  for (const r of routes) {
    const path = fillPath(r.pattern, ids);
    const html = r.kind === 'html';
    const variants = {
      'no token': {},
      'wrong token': { token: randomBytes(32).toString('base64url') },
      "another session's token": { token: other.csrf },
      'cross-site, no token': { headers: EVIL },
      'cross-site, empty token': { token: '', headers: EVIL },
    };
    for (const [what, v] of Object.entries(variants)) {
      jobs.push(async () => {
        const headers = { cookie: victim.cookieHeader(), ...(v.headers ?? {}) };
        let body;
        if (html) {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = 'name=x&title=x&text=x' + (v.token !== undefined ? `&csrf=${encodeURIComponent(v.token)}` : '');
        } else {
          headers['content-type'] = 'application/json';
          if (v.token !== undefined) headers['x-csrf-token'] = v.token;
          body = r.method === 'DELETE' ? undefined : '{}';
        }
        const res = await fetch(env.base + path, { method: r.method, headers, body, redirect: 'manual' });
        await res.arrayBuffer();
        return res.status === 403 ? null : `${r.method} ${r.pattern} (${what}): ${res.status}`;
      });
    }
  }
  const bad = (await pool(jobs, 4, (j) => j())).filter(Boolean);
  t.diagnostic(`${jobs.length} forged requests over ${routes.length} routes`);
  assert.deepEqual(bad, []);
  assert.deepEqual(await auditSince(admin, seq0), [], 'the audit trail shows no change');
  // The victim's session still works and its own token is accepted.
  assert.equal((await victim.get('/api/v1/me')).status, 200);
});

test('anonymous state-changing requests from another origin are refused', async () => {
  const seq0 = await lastSeq();
  const publicRoutes = env.routes.filter((r) => STATEFUL.has(r.method) && r.perm === 'public');
  assert.ok(publicRoutes.length >= 10);
  for (const r of publicRoutes) {
    for (const h of [EVIL, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }]) {
      const html = r.kind === 'html';
      const res = await fetch(env.base + fillPath(r.pattern, ids), {
        method: r.method, redirect: 'manual',
        headers: { ...h, 'content-type': html ? 'application/x-www-form-urlencoded' : 'application/json' },
        body: html ? 'narrative=forged&contact_preference=anonymous&email=a%40b.example&password=x' : JSON.stringify({ narrative: 'forged', contact_preference: 'anonymous' }),
      });
      await res.arrayBuffer();
      assert.equal(res.status, 403, `${r.method} ${r.pattern} with ${JSON.stringify(h)}`);
    }
  }
  assert.deepEqual(await auditSince(admin, seq0), []);
});

test('bearer tokens need no CSRF token, and no CORS header lets another origin use one', async () => {
  const tok = await admin.post('/api/v1/orgs/kestrel/tokens', { name: 'csrf-by-design', scopes: ['read', 'write'] });
  assert.equal(tok.status, 201, tok.text);
  const c = new Client(env.base, { token: tok.data.token });
  const r = await c.post('/api/v1/orgs/kestrel/products', { slug: 'token-made', name: 'Token made' });
  assert.equal(r.status, 201, r.text);
  // A preflight from another origin gets no Access-Control-Allow-* header.
  const pre = await fetch(env.base + '/api/v1/orgs/kestrel/products', {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  await pre.arrayBuffer();
  for (const [k] of pre.headers) assert.ok(!k.startsWith('access-control-'), `${k} on a preflight`);
  const get = await c.get('/api/v1/orgs/kestrel/products', { headers: { origin: 'https://evil.example' } });
  assert.equal(get.headers.get('access-control-allow-origin'), null);
  assert.equal(get.headers.get('access-control-allow-credentials'), null);
});

test('a planted session cookie does not survive sign-in (API and form)', async () => {
  const { email, password } = env.accounts.case_handler;
  // 1. A made-up id: sign-in issues a fresh one; the planted one authenticates nothing.
  const planted = randomBytes(32).toString('base64url');
  let res = await fetch(env.base + '/api/v1/session', {
    method: 'POST', headers: { cookie: `hrdd_session=${planted}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  assert.equal(res.status, 200);
  let set = sessionCookie(res);
  assert.ok(set, 'sign-in sets a session cookie');
  assert.ok(!set.includes(planted));
  const me = await fetch(env.base + '/api/v1/me', { headers: { cookie: `hrdd_session=${planted}` } });
  assert.equal(me.status, 401);
  // 2. A real session of the attacker planted in the victim's browser: the
  // victim's sign-in through the form replaces it.
  const attacker = await env.login('analyst');
  const attackerId = attacker.cookies.get('hrdd_session');
  const page = await fetch(env.base + '/login', { headers: { cookie: `hrdd_session=${attackerId}` } });
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const form = new URLSearchParams({ email, password, ...(csrf ? { csrf } : {}) });
  res = await fetch(env.base + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `hrdd_session=${attackerId}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await res.arrayBuffer();
  assert.ok(res.status === 303 || res.status === 302, `form sign-in: ${res.status}`);
  set = sessionCookie(res);
  assert.ok(set, 'the form sign-in sets a new session cookie');
  const victimId = /^hrdd_session=([^;]*)/.exec(set)[1];
  assert.notEqual(victimId, attackerId);
  // The attacker's id is still the attacker's (analyst), never the victim's.
  const who = await fetch(env.base + '/api/v1/me', { headers: { cookie: `hrdd_session=${attackerId}` } });
  if (who.status === 200) assert.equal((await who.json()).user.email, env.accounts.analyst.email);
  else assert.equal(who.status, 401);
  const victim = await fetch(env.base + '/api/v1/me', { headers: { cookie: `hrdd_session=${victimId}` } });
  assert.equal(victim.status, 200);
  assert.equal((await victim.json()).user.email, email);
});

test('sign-in never redirects to another site (next=) nor splits headers', async () => {
  const { email, password } = env.accounts.auditor;
  const nexts = ['//evil.example/', 'https://evil.example/', '/\\evil.example', '\\\\evil.example', '/%2F%2Fevil.example',
    '/\t/evil.example', '/x\r\nSet-Cookie: pwned=1', 'javascript:alert(1)', '/%0d%0aSet-Cookie:%20pwned=1'];
  for (const next of nexts) {
    const page = await fetch(`${env.base}/login?next=${encodeURIComponent(next)}`);
    const html = await page.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    const res = await fetch(env.base + '/login', {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password, next, ...(csrf ? { csrf } : {}) }).toString(),
    });
    await res.arrayBuffer();
    const loc = res.headers.get('location') ?? '';
    assert.ok(res.status === 303 || res.status === 302, `${JSON.stringify(next)}: ${res.status}`);
    assert.match(loc, /^\/(?![\/\\])/, `${JSON.stringify(next)} -> ${loc}`);
    assert.ok(!(res.headers.getSetCookie?.() ?? []).some((c) => /pwned/.test(c)), `${JSON.stringify(next)} split a header`);
  }
});

test('sign-out invalidates the session on the server (API and form)', async () => {
  const c = await env.login('hr_lead');
  const id = c.cookies.get('hrdd_session');
  const out = await c.del('/api/v1/session');
  assert.ok(out.status === 204 || out.status === 200, out.text);
  const replay = await fetch(env.base + '/api/v1/me', { headers: { cookie: `hrdd_session=${id}` } });
  assert.equal(replay.status, 401);
  const d = await env.login('hr_lead');
  const id2 = d.cookies.get('hrdd_session');
  const res = await fetch(env.base + '/logout', {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `hrdd_session=${id2}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf=${encodeURIComponent(d.csrf)}`,
  });
  await res.arrayBuffer();
  assert.ok(res.status === 303 || res.status === 302, `logout: ${res.status}`);
  assert.match(sessionCookie(res) ?? '', /Max-Age=0/);
  const replay2 = await fetch(env.base + '/dashboard', { headers: { cookie: `hrdd_session=${id2}` }, redirect: 'manual' });
  await replay2.arrayBuffer();
  assert.ok(replay2.status === 303 || replay2.status === 302 || replay2.status === 401, `dashboard after logout: ${replay2.status}`);
  assert.equal((await fetch(env.base + '/api/v1/me', { headers: { cookie: `hrdd_session=${id2}` } })).status, 401);
});

test('session cookies: HttpOnly, SameSite=Strict, Path=/, Secure behind TLS', async () => {
  const c = new Client(env.base);
  const r = await c.login(env.accounts.auditor.email, env.accounts.auditor.password);
  const set = sessionCookie(r);
  assert.match(set, /;\s*HttpOnly/i);
  assert.match(set, /;\s*SameSite=Strict/i);
  assert.match(set, /;\s*Path=\//i);
  assert.doesNotMatch(set, /;\s*Domain=/i);
  assert.doesNotMatch(set, /;\s*Secure/i, 'plain HTTP on loopback: no Secure');
  const value = /^hrdd_session=([^;]*)/.exec(set)[1];
  assert.ok(value.length >= 32, 'at least 192 bits');
  // The same database served with --behind-tls marks it Secure.
  const proc = spawn(...wrapped(env.bin, ['serve', '--db', env.db, '--listen', '127.0.0.1:0', '--behind-tls']), {
    env: { ...process.env, HRDD_SECRET_FILE: `${env.dir}/demo/secret`, HRDD_PWHASH_COST: 'min' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  try {
    let base = null;
    for (let i = 0; i < 200 * TIME_SCALE && !base; i++) {
      base = /"msg":"listening","url":"(http:[^"]+)"/.exec(err)?.[1];
      if (!base) await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(base, err);
    const s = new Client(base);
    const r2 = await s.login(env.accounts.auditor.email, env.accounts.auditor.password);
    assert.match(sessionCookie(r2), /;\s*Secure/i);
    assert.match(r2.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((res) => (proc.exitCode !== null ? res() : proc.once('exit', res)));
  }
  assert.equal(proc.exitCode, 0, `hrdd serve --behind-tls: ${err.slice(-3000)}`);
});
});
