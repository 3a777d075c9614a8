// Route x role walk: for EVERY route the server has (from `hrdd routes --json`,
// the same table the server serves) and every role plus anonymous, one real
// request, and the outcome must match the policy table: allowed -> neither
// 401 nor 403 (nor a redirect to sign-in); denied -> 401 (or a redirect to
// sign-in for HTML pages) when anonymous, 403 when signed in. A route whose
// permission has no expectation fails the walk. Runs on every engine available.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, routeTable, ROLES, roleAllowed, Client, emailOf, ENGINES } from './lib/server.mjs';

for (const engine of ENGINES) describe(`route x role on ${engine}`, () => {
let env;
let routes;
const ids = {};

before(async () => {
  env = await startServer({ sector: false, engine });
  routes = await routeTable(env.bin);
  const admin = await env.login('admin');
  const slug = env.orgA.slug;
  let r = await admin.post(`/api/v1/orgs/${slug}/users`,
    { email: 'walk-victim@acme.test', display_name: 'Walk victim', role: 'analyst', password: 'walk-victim-password-1' });
  assert.equal(r.status, 201, r.text);
  ids.user = r.data.id;
  r = await admin.post(`/api/v1/orgs/${slug}/products`, { slug: 'walk-product', name: 'Walk product' });
  assert.equal(r.status, 201, r.text);
  ids.product = r.data.id;
  r = await admin.post(`/api/v1/orgs/${slug}/tokens`, { name: 'walk', scopes: ['read'] });
  assert.equal(r.status, 201, r.text);
  ids.token = r.data.id;
});

after(async () => {
  if (env) await env.stop();
});

function pathFor(pattern) {
  return pattern.replace(/\{([^}]+)\}/g, (_, name) => {
    if (name === 'org') return env.orgA.slug;
    if (name === 'id') {
      if (pattern.includes('/users/')) return String(ids.user);
      if (pattern.includes('/products/')) return String(ids.product);
      if (pattern.includes('/tokens/')) return String(ids.token);
      return '1';
    }
    return '1';
  });
}

const STATEFUL = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(client, route) {
  const path = pathFor(route.pattern);
  const opts = {};
  if (route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH') {
    if (route.kind === 'html') {
      opts.body = client.csrf ? `csrf=${encodeURIComponent(client.csrf)}` : '';
      opts.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    } else {
      opts.json = {};
    }
  }
  return client.req(route.method, path, opts);
}

// app_authorize turns away anonymous visitors of HTML pages with a redirect
// to the sign-in page that carries where they were going (?next=); a page's
// own redirect (sign-out -> /login, / -> /login) has no next.
function isSignInRedirect(r) {
  return r.status >= 300 && r.status < 400 && /^\/login\?(.*&)?next=/.test(r.headers.get('location') ?? '');
}

test('the route table is not empty and every permission has an expectation', () => {
  assert.ok(routes.length > 10, `only ${routes.length} routes`);
  for (const r of routes) {
    assert.doesNotThrow(() => roleAllowed(r.perm, 'admin'), `${r.method} ${r.pattern}: ${r.perm}`);
    assert.ok(r.kind === 'api' || r.kind === 'html', `${r.method} ${r.pattern}: kind ${r.kind}`);
  }
});

test('every route x every role and anonymous', async (t) => {
  // Public state-changing routes (sign-in forms) last: failed sign-ins count
  // towards the per-peer throttle, and later fresh sign-ins must not hit it.
  const ordered = [...routes].sort((x, y) => {
    const px = x.perm === 'public' && STATEFUL.has(x.method) ? 1 : 0;
    const py = y.perm === 'public' && STATEFUL.has(y.method) ? 1 : 0;
    return px - py;
  });
  const sessions = {};
  for (const role of ROLES) sessions[role] = await env.login(role);

  const failures = [];
  for (const route of ordered) {
    const label = `${route.method} ${route.pattern} [${route.perm}]`;
    // anonymous
    {
      const r = await send(new Client(env.base), route);
      const allowed = roleAllowed(route.perm, null);
      if (r.status >= 500) failures.push(`${label} anonymous: ${r.status}`);
      else if (allowed && (r.status === 401 || r.status === 403 || isSignInRedirect(r)))
        failures.push(`${label} anonymous: expected allow, got ${r.status}`);
      else if (!allowed && !(r.status === 401 || (route.kind === 'html' && isSignInRedirect(r))))
        failures.push(`${label} anonymous: expected 401, got ${r.status}`);
    }
    for (const role of ROLES) {
      // A state change may end or move the session (sign-out, switching
      // organisation): those requests get a session of their own.
      const client = STATEFUL.has(route.method) ? await env.login(role) : sessions[role];
      const r = await send(client, route);
      const allowed = roleAllowed(route.perm, role);
      // The running server routes what the table says: never "method not allowed".
      if (r.status === 405) failures.push(`${label} ${role}: 405, the server does not route it`);
      else if (r.status >= 500) failures.push(`${label} ${role}: ${r.status} ${r.text.slice(0, 200)}`);
      else if (allowed && (r.status === 401 || r.status === 403 || isSignInRedirect(r)))
        failures.push(`${label} ${role}: expected allow, got ${r.status} ${r.text.slice(0, 200)}`);
      else if (!allowed && r.status !== 403)
        failures.push(`${label} ${role}: expected 403, got ${r.status}`);
    }
  }
  t.diagnostic(`${ordered.length} routes x ${ROLES.length + 1} principals`);
  assert.deepEqual(failures, []);
});

test('API tokens are capped by scope and never exceed the creator\'s role', async () => {
  const admin = await env.login('admin');
  const slug = env.orgA.slug;
  const mk = async (scopes) => {
    const r = await admin.post(`/api/v1/orgs/${slug}/tokens`, { name: `t-${scopes.join('-')}`, scopes });
    assert.equal(r.status, 201, r.text);
    return new Client(env.base, { token: r.data.token });
  };
  const read = await mk(['read']);
  assert.equal((await read.get(`/api/v1/orgs/${slug}/users`)).status, 200);
  const w = await read.post(`/api/v1/orgs/${slug}/products`, { slug: 'by-read-token', name: 'x' });
  assert.equal(w.status, 403, 'a read-only token cannot write');
  const rw = await mk(['read', 'write']);
  const ok = await rw.post(`/api/v1/orgs/${slug}/products`, { slug: 'by-rw-token', name: 'x' });
  assert.equal(ok.status, 201, ok.text);
  // Tokens need no CSRF header: no cookie is involved.
  assert.equal((await read.get('/metrics')).status, 403, 'metrics needs the metrics scope');
  const m = await mk(['metrics']);
  assert.equal((await m.get('/metrics')).status, 200);
  // A garbage token is anonymous.
  const bad = new Client(env.base, { token: 'x'.repeat(43) });
  assert.equal((await bad.get('/api/v1/me')).status, 401);
  // Sanity: the users created by the harness exist with their roles.
  const list = await admin.get(`/api/v1/orgs/${slug}/users`);
  for (const role of ROLES) {
    const u = list.data.items.find((x) => x.email === emailOf(role));
    assert.ok(u, `${role} user exists`);
    assert.equal(u.role, role);
  }
});
});
