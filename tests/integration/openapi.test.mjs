// The OpenAPI document versus the router: the paths and methods of the
// served /api/v1/openapi.json are exactly the router's routes under /api/
// plus /healthz and /metrics (from `hrdd routes --json`, the table the
// server serves), each operation's x-hrdd-permission matches the route's,
// and the served document is docs/openapi.json byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, routeTable, REPO } from './lib/server.mjs';

let env;
let routes;
let served;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

before(async () => {
  env = await startServer({ sector: false });
  routes = await routeTable(env.bin);
  const r = await fetch(env.base + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  served = await r.text();
});

after(async () => {
  if (env) await env.stop();
});

test('served document equals docs/openapi.json', async () => {
  const file = await readFile(join(REPO, 'docs', 'openapi.json'), 'utf8');
  assert.equal(served, file);
});

test('it is an OpenAPI 3.1 document with the Problem schema and security schemes', () => {
  const doc = JSON.parse(served);
  assert.match(doc.openapi, /^3\.1\./);
  assert.ok(doc.info?.title && doc.info?.version);
  const p = doc.components.schemas.Problem;
  for (const k of ['type', 'title', 'status', 'detail', 'field']) assert.ok(p.properties[k], `Problem.${k}`);
  const ss = doc.components.securitySchemes;
  assert.equal(ss.sessionCookie.in, 'cookie');
  assert.equal(ss.csrfHeader.in, 'header');
  assert.equal(ss.bearerToken.scheme, 'bearer');
  // Every $ref resolves.
  const refs = served.match(/"\$ref": "#\/components\/schemas\/[^"]+"/g) ?? [];
  for (const r of refs) {
    const name = r.split('/').pop().replace('"', '');
    assert.ok(doc.components.schemas[name], `dangling $ref ${name}`);
  }
});

test('paths and methods equal the router\'s /api/ routes plus /healthz and /metrics', () => {
  const doc = JSON.parse(served);
  const documented = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${path}`);
  }
  const routed = new Set(routes
    .filter((r) => r.pattern.startsWith('/api/') || r.pattern === '/healthz' || r.pattern === '/metrics')
    .map((r) => `${r.method} ${r.pattern}`));
  assert.ok(routed.has('GET /healthz') && routed.has('GET /metrics'), 'router has /healthz and /metrics');
  const missing = [...routed].filter((x) => !documented.has(x)).sort();
  const extra = [...documented].filter((x) => !routed.has(x)).sort();
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
});

test('each operation states the permission its route requires', () => {
  const doc = JSON.parse(served);
  for (const r of routes) {
    const op = doc.paths[r.pattern]?.[r.method.toLowerCase()];
    if (!op) continue;
    assert.equal(op['x-hrdd-permission'], r.perm, `${r.method} ${r.pattern}`);
    const anon = r.perm === 'public';
    assert.equal(Array.isArray(op.security) && op.security.length === 0, anon,
      `${r.method} ${r.pattern}: security must be empty exactly for public routes`);
    // Path parameters are declared.
    for (const [, name] of r.pattern.matchAll(/\{([^}]+)\}/g)) {
      const params = [...(doc.paths[r.pattern].parameters ?? []), ...(op.parameters ?? [])];
      assert.ok(params.some((p) => p.in === 'path' && p.name === name), `${r.method} ${r.pattern}: {${name}}`);
    }
  }
});

// A small JSON Schema checker for what the document uses: $ref, allOf,
// oneOf, type (incl. arrays of types), required, properties,
// additionalProperties: false, items, enum, const. Returns a list of errors.
function check(doc, schema, value, at = '$') {
  if (schema.$ref) return check(doc, doc.components.schemas[schema.$ref.split('/').pop()], value, at);
  const errs = [];
  if (schema.allOf) for (const s of schema.allOf) errs.push(...check(doc, s, value, at));
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => check(doc, s, value, at).length === 0).length;
    if (ok !== 1) errs.push(`${at}: matches ${ok} of oneOf`);
  }
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = value === null ? 'null' : Array.isArray(value) ? 'array'
      : Number.isInteger(value) ? 'integer' : typeof value;
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errs.push(`${at}: ${t} is not ${types.join('|')}`);
      return errs;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && value !== schema.const) errs.push(`${at}: not ${schema.const}`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required ?? []) if (!(k in value)) errs.push(`${at}: missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) errs.push(...check(doc, schema.properties[k], v, `${at}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${at}: unexpected ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errs.push(...check(doc, schema.items, v, `${at}[${i}]`)));
  return errs;
}

// Every property a response carries must be documented somewhere in its schema.
function undocumented(doc, schema, value, at = '$') {
  const props = new Set();
  const collect = (s) => {
    if (!s) return;
    if (s.$ref) return collect(doc.components.schemas[s.$ref.split('/').pop()]);
    for (const x of s.allOf ?? []) collect(x);
    for (const k of Object.keys(s.properties ?? {})) props.add(k);
  };
  collect(schema);
  const out = [];
  if (value && typeof value === 'object' && !Array.isArray(value) && props.size)
    for (const k of Object.keys(value)) if (!props.has(k)) out.push(`${at}.${k}`);
  return out;
}

test('responses match the documented schemas', async () => {
  const { Client } = await import('./lib/server.mjs');
  const doc = JSON.parse(served);
  // The checker itself catches mismatches.
  assert.ok(check(doc, { $ref: '#/components/schemas/Member' }, { id: 'x', email: 'a' }).length >= 3);
  assert.deepEqual(undocumented(doc, { $ref: '#/components/schemas/Member' }, { id: 1, pw_hash: 'x' }), ['$.pw_hash']);
  const slug = env.orgA.slug;
  const c = new Client(env.base);
  const problems = [];
  const verify = (method, pattern, r) => {
    const op = doc.paths[pattern]?.[method.toLowerCase()];
    const resp = op?.responses?.[String(r.status)];
    if (!resp) return problems.push(`${method} ${pattern}: status ${r.status} not documented`);
    const media = resp.content && Object.entries(resp.content)[0];
    if (!media) {
      if (r.text) problems.push(`${method} ${pattern} ${r.status}: body not documented`);
      return;
    }
    if (!r.ct.startsWith(media[0])) problems.push(`${method} ${pattern} ${r.status}: ${r.ct} vs ${media[0]}`);
    if (media[0].includes('json')) {
      problems.push(...check(doc, media[1].schema, r.data).map((e) => `${method} ${pattern} ${r.status}: ${e}`));
      problems.push(...undocumented(doc, media[1].schema, r.data).map((e) => `${method} ${pattern} ${r.status}: undocumented ${e}`));
    }
  };
  const go = async (method, pattern, path, json) => {
    const r = await c.req(method, path, json === undefined ? {} : { json });
    verify(method, pattern, r);
    return r;
  };
  verify('POST', '/api/v1/session', await c.req('POST', '/api/v1/session', { json: { email: 'admin@acme.test', password: 'wrong-password-x' } }));
  const s = await go('POST', '/api/v1/session', '/api/v1/session', { email: 'admin@acme.test', password: 'integration-test-password-1' });
  c.csrf = s.data.csrf_token;
  await go('GET', '/api/v1/me', '/api/v1/me');
  await go('GET', '/api/v1/orgs', '/api/v1/orgs');
  await go('POST', '/api/v1/orgs', '/api/v1/orgs', { slug: 'nope', name: 'Nope' });
  await go('GET', '/api/v1/orgs/{org}', `/api/v1/orgs/${slug}`);
  await go('PATCH', '/api/v1/orgs/{org}', `/api/v1/orgs/${slug}`, { description: 'd' });
  await go('PATCH', '/api/v1/orgs/{org}', `/api/v1/orgs/${slug}`, { name: '' });
  await go('GET', '/api/v1/orgs/{org}/users', `/api/v1/orgs/${slug}/users`);
  const u = await go('POST', '/api/v1/orgs/{org}/users', `/api/v1/orgs/${slug}/users`, { email: 'doc@acme.test', display_name: 'Doc', role: 'analyst' });
  await go('POST', '/api/v1/orgs/{org}/users', `/api/v1/orgs/${slug}/users`, { email: 'doc@acme.test', role: 'analyst' });
  await go('POST', '/api/v1/orgs/{org}/users', `/api/v1/orgs/${slug}/users`, { email: 'doc2@acme.test', role: 'analyst', extra: 1 });
  await go('GET', '/api/v1/orgs/{org}/users/{id}', `/api/v1/orgs/${slug}/users/${u.data.id}`);
  await go('PATCH', '/api/v1/orgs/{org}/users/{id}', `/api/v1/orgs/${slug}/users/${u.data.id}`, { role: 'auditor' });
  await go('DELETE', '/api/v1/orgs/{org}/users/{id}', `/api/v1/orgs/${slug}/users/${u.data.id}`);
  await go('GET', '/api/v1/orgs/{org}/users/{id}', `/api/v1/orgs/${slug}/users/${u.data.id}`);
  const p = await go('POST', '/api/v1/orgs/{org}/products', `/api/v1/orgs/${slug}/products`, { slug: 'doc', name: 'Doc', kind: 'feature' });
  await go('GET', '/api/v1/orgs/{org}/products', `/api/v1/orgs/${slug}/products`);
  await go('GET', '/api/v1/orgs/{org}/products/{id}', `/api/v1/orgs/${slug}/products/${p.data.id}`);
  const t = await go('POST', '/api/v1/orgs/{org}/tokens', `/api/v1/orgs/${slug}/tokens`, { name: 'doc', scopes: ['read'], expires_in_days: 7 });
  await go('GET', '/api/v1/orgs/{org}/tokens', `/api/v1/orgs/${slug}/tokens`);
  await go('DELETE', '/api/v1/orgs/{org}/tokens/{id}', `/api/v1/orgs/${slug}/tokens/${t.data.id}`);
  await go('GET', '/api/v1/orgs/{org}/audit', `/api/v1/orgs/${slug}/audit?limit=5`);
  await go('GET', '/api/v1/orgs/{org}/audit', `/api/v1/orgs/${slug}/audit?limit=0`);
  const tc = new Client(env.base, { token: t.data.token });
  verify('GET', '/api/v1/me', await tc.get('/api/v1/me'));
  const an = new Client(env.base);
  await an.login('analyst@acme.test');
  verify('GET', '/api/v1/orgs/{org}/audit', await an.get(`/api/v1/orgs/${slug}/audit`));
  verify('GET', '/healthz', await an.get('/healthz'));
  verify('GET', '/metrics', await an.get('/metrics'));
  await go('GET', '/metrics', '/metrics');
  // The grievance mechanism: public side ...
  const pub = new Client(env.base);
  const pv = async (method, pattern, path, json) => {
    const r = await pub.req(method, path, json === undefined ? {} : { json });
    verify(method, pattern, r);
    return r;
  };
  const g = await pv('POST', '/api/v1/grievances', '/api/v1/grievances', { narrative: 'Doc grievance', contact_preference: 'anonymous' });
  await pv('POST', '/api/v1/grievances', '/api/v1/grievances', { contact_preference: 'anonymous' });
  await pv('POST', '/api/v1/grievances', '/api/v1/grievances', { narrative: 'x', contact_preference: 'anonymous', bogus: 1 });
  await pv('POST', '/api/v1/orgs/{org}/grievances', `/api/v1/orgs/${slug}/grievances`, { narrative: 'Doc grievance 2', contact_preference: 'anonymous' });
  await pv('POST', '/api/v1/receipt/status', '/api/v1/receipt/status', { receipt: g.data.receipt });
  await pv('POST', '/api/v1/receipt/status', '/api/v1/receipt/status', { receipt: 'AAAAA-AAAAA-AAAAA-AAAAA' });
  await pv('POST', '/api/v1/receipt/messages', '/api/v1/receipt/messages', { receipt: g.data.receipt, text: 'Hello' });
  await pv('POST', '/api/v1/receipt/info', '/api/v1/receipt/info', { receipt: g.data.receipt, text: 'More' });
  await pv('POST', '/api/v1/receipt/attachments', '/api/v1/receipt/attachments',
    { receipt: g.data.receipt, filename: 'a.txt', data: Buffer.from('some text').toString('base64') });
  await pv('GET', '/api/v1/mechanisms/public', '/api/v1/mechanisms/public?country=DE');
  // ... and staff side.
  const cases = await go('GET', '/api/v1/orgs/{org}/cases', `/api/v1/orgs/${slug}/cases`);
  const cid = cases.data.items[0].id;
  await go('GET', '/api/v1/orgs/{org}/cases/{id}', `/api/v1/orgs/${slug}/cases/${cid}`);
  await go('GET', '/api/v1/orgs/{org}/cases/{id}', `/api/v1/orgs/${slug}/cases/987654`);
  await go('GET', '/api/v1/orgs/{org}/cases/{id}/events', `/api/v1/orgs/${slug}/cases/${cid}/events`);
  await go('POST', '/api/v1/orgs/{org}/cases/{id}/actions', `/api/v1/orgs/${slug}/cases/${cid}/actions`, { action: 'acknowledge' });
  await go('POST', '/api/v1/orgs/{org}/cases/{id}/actions', `/api/v1/orgs/${slug}/cases/${cid}/actions`, { action: 'acknowledge' });
  await go('POST', '/api/v1/orgs/{org}/cases/{id}/messages', `/api/v1/orgs/${slug}/cases/${cid}/messages`, { text: 'Question?', ask: true });
  await go('POST', '/api/v1/orgs/{org}/cases/{id}/notes', `/api/v1/orgs/${slug}/cases/${cid}/notes`, { text: 'Note' });
  await go('POST', '/api/v1/orgs/{org}/cases/{id}/triage', `/api/v1/orgs/${slug}/cases/${cid}/triage`, { scale: 2, scope: 2, irremediable: 1 });
  await go('POST', '/api/v1/orgs/{org}/cases', `/api/v1/orgs/${slug}/cases`, { narrative: 'By phone', contact_preference: 'anonymous', channel: 'phone' });
  await go('GET', '/api/v1/orgs/{org}/cases/{id}/pathway', `/api/v1/orgs/${slug}/cases/${cid}/pathway`);
  await go('POST', '/api/v1/orgs/{org}/collectives', `/api/v1/orgs/${slug}/collectives`, { title: 'Doc collective' });
  await go('GET', '/api/v1/orgs/{org}/grievance-policy', `/api/v1/orgs/${slug}/grievance-policy`);
  await go('PUT', '/api/v1/orgs/{org}/grievance-policy', `/api/v1/orgs/${slug}/grievance-policy`, { due_soon_days: 5 });
  await go('GET', '/api/v1/orgs/{org}/grievances/stats', `/api/v1/orgs/${slug}/grievances/stats`);
  await go('GET', '/api/v1/grievances/stats', '/api/v1/grievances/stats');
  await go('GET', '/api/v1/mechanisms', '/api/v1/mechanisms');
  await go('POST', '/api/v1/mechanisms', '/api/v1/mechanisms', { slug: 'doc-ombud', kind: 'non_state', subkind: 'ombudsman',
    name: 'Doc Ombud', jurisdictions: ['FR'], subjects: ['general'] });
  await go('DELETE', '/api/v1/session', '/api/v1/session');
  verify('GET', '/api/v1/me', await c.get('/api/v1/me'));
  assert.deepEqual(problems, []);
});
