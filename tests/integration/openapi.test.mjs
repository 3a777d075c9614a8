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
