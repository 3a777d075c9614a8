// Bad input: malformed JSON, invalid UTF-8, wrong content type, oversize
// bodies and headers, unknown routes and methods, unknown JSON members,
// missing CSRF token... each gets the right 4xx as application/problem+json
// (naming the field where there is one), HTML routes get HTML error pages,
// every response carries the security headers, and the server keeps serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, routeTable, securityHeaderProblems } from './lib/server.mjs';

let env;
let admin;
let productsPath;
let htmlRoute;
const seen = [];   // every response, for the security header check

before(async () => {
  env = await startServer({ sector: false });
  admin = await env.login('admin');
  productsPath = `/api/v1/orgs/${env.orgA.slug}/products`;
  const routes = await routeTable(env.bin);
  // An HTML page with GET and no other method on that pattern, for the 405 case.
  const byPattern = new Map();
  for (const r of routes) byPattern.set(r.pattern, [...(byPattern.get(r.pattern) ?? []), r]);
  htmlRoute = routes.find((r) => r.kind === 'html' && r.method === 'GET' && !r.pattern.includes('{')
    && byPattern.get(r.pattern).every((x) => x.method === 'GET' || x.method === 'POST'));
});

after(async () => {
  if (env) await env.stop();
});

async function send(method, path, opts = {}) {
  const r = await admin.req(method, path, opts);
  seen.push({ what: `${method} ${path}`, headers: r.headers });
  return r;
}

function assertProblem(r, status, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.ct, /^application\/problem\+json/, `content-type ${r.ct}`);
  assert.ok(r.data, 'problem body is JSON');
  assert.equal(r.data.status, status);
  assert.equal(typeof r.data.title, 'string');
  if (field !== undefined) assert.equal(r.data.field, field);
}

// One raw HTTP/1.1 exchange; tolerates the server closing early.
function raw(head, body = null, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const s = connect(env.port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const done = () => {
      s.destroy();
      const text = buf.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const headerEnd = text.indexOf('\r\n\r\n');
      const headers = new Map();
      for (const line of text.slice(0, headerEnd < 0 ? text.length : headerEnd).split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      resolve({ status: m ? Number(m[1]) : 0, text, headers: { get: (k) => headers.get(k.toLowerCase()) ?? null } });
    };
    const t = setTimeout(done, timeoutMs);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      // A complete response with a Content-Length: stop reading.
      const text = buf.toString('latin1');
      const he = text.indexOf('\r\n\r\n');
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, he));
      if (he >= 0 && cl && buf.length >= he + 4 + Number(cl[1])) {
        clearTimeout(t);
        done();
      }
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      done();
    });
    // The body follows after a pause, unless the server has answered on the
    // headers alone (as it should for a Content-Length over the limit):
    // writing into a closed connection would reset it and lose the answer.
    s.write(head, () => {
      if (body) setTimeout(() => { if (buf.length === 0 && !s.destroyed) s.write(body, () => {}); }, 300);
    });
  });
}

const jsonHeaders = { 'content-type': 'application/json' };

test('malformed JSON -> 400 problem', async () => {
  assertProblem(await send('POST', productsPath, { body: '{"slug": ', headers: jsonHeaders }), 400);
  assertProblem(await send('POST', productsPath, { body: '{"slug": "a",}', headers: jsonHeaders }), 400);
  assertProblem(await send('POST', productsPath, { body: '', headers: jsonHeaders }), 400);
});

test('JSON that is not an object -> 400 problem', async () => {
  assertProblem(await send('POST', productsPath, { body: '[1,2,3]', headers: jsonHeaders }), 400);
  assertProblem(await send('POST', productsPath, { body: '"x"', headers: jsonHeaders }), 400);
});

test('deeply nested JSON -> 4xx, no crash', async () => {
  const r = await send('POST', productsPath, { body: '['.repeat(100000) + ']'.repeat(100000), headers: jsonHeaders });
  assert.ok(r.status >= 400 && r.status < 500, String(r.status));
});

test('invalid UTF-8 -> 400 problem', async () => {
  const body = Buffer.concat([Buffer.from('{"slug":"ok","name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
  assertProblem(await send('POST', productsPath, { body, headers: jsonHeaders }), 400);
});

test('NUL inside a JSON string -> 4xx problem', async () => {
  const r = await send('POST', productsPath, { body: '{"slug":"nul","name":"a\\u0000b"}', headers: jsonHeaders });
  assert.ok(r.status === 400 || r.status === 422, r.text);
  assert.match(r.ct, /^application\/problem\+json/);
});

test('wrong content type -> 415 problem', async () => {
  assertProblem(await send('POST', productsPath, { body: '{"slug":"ct","name":"x"}', headers: { 'content-type': 'text/plain' } }), 415);
  assertProblem(await send('POST', productsPath, { body: 'slug=ct&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
});

test('unknown JSON member -> 400 naming it', async () => {
  const r = await send('POST', productsPath, { json: { slug: 'unk', name: 'x', bogus: 1 } });
  assertProblem(r, 400, '/bogus');
  const r2 = await send('PATCH', `/api/v1/orgs/${env.orgA.slug}`, { json: { 'a/b~c': 1 } });
  assertProblem(r2, 400, '/a~1b~0c');
});

test('invalid and missing fields -> 422 naming them', async () => {
  assertProblem(await send('POST', productsPath, { json: { slug: 5, name: 'x' } }), 422, '/slug');
  assertProblem(await send('POST', productsPath, { json: { name: 'x' } }), 422, '/slug');
  assertProblem(await send('POST', productsPath, { json: { slug: 'Not A Slug', name: 'x' } }), 422, '/slug');
  assertProblem(await send('POST', productsPath, { json: { slug: 'k', name: 'x', kind: 'weapon' } }), 422, '/kind');
  assertProblem(await send('POST', productsPath, { json: { slug: 'k', name: 'x'.repeat(201) } }), 422, '/name');
  const users = `/api/v1/orgs/${env.orgA.slug}/users`;
  assertProblem(await send('POST', users, { json: { email: 'not-an-email', display_name: 'x', role: 'admin' } }), 422, '/email');
  assertProblem(await send('POST', users, { json: { email: 'n@acme.test', display_name: 'x', role: 'overlord' } }), 422, '/role');
  assertProblem(await send('POST', users, { json: { email: 'n@acme.test', display_name: 'x', role: 'analyst', password: 'short' } }), 422, '/password');
  assertProblem(await send('POST', users, { json: { email: 'n@acme.test', display_name: 'a\u0007b', role: 'analyst' } }), 422, '/display_name');
  const tokens = `/api/v1/orgs/${env.orgA.slug}/tokens`;
  assertProblem(await send('POST', tokens, { json: { name: 't', scopes: ['read', 'root'] } }), 422, '/scopes/1');
  assertProblem(await send('POST', tokens, { json: { name: 't', scopes: 'read' } }), 422, '/scopes');
  assertProblem(await send('POST', tokens, { json: { name: 't', scopes: ['read'], expires_in_days: 0 } }), 422, '/expires_in_days');
  assertProblem(await send('PATCH', `${users}/1`, { json: { disabled: 'yes' } }), 422, '/disabled');
  assertProblem(await send('GET', `/api/v1/orgs/${env.orgA.slug}/audit?limit=abc`), 400, 'limit');
  assertProblem(await send('GET', `/api/v1/orgs/${env.orgA.slug}/audit?limit=501`), 400, 'limit');
  assertProblem(await send('POST', '/api/v1/session', { json: { email: 'x@acme.test' } }), 422, '/password');
});

test('missing or wrong CSRF token -> 403 problem', async () => {
  const r = await send('POST', productsPath, { json: { slug: 'csrf', name: 'x' }, csrf: false });
  assertProblem(r, 403);
  const r2 = await send('POST', productsPath, { json: { slug: 'csrf', name: 'x' }, csrf: false, headers: { 'x-csrf-token': 'nope' } });
  assertProblem(r2, 403);
  const list = await send('GET', productsPath);
  assert.ok(!list.data.items.some((p) => p.slug === 'csrf'), 'nothing was created');
});

test('oversize body (> 1 MiB) -> 413 problem', async () => {
  const big = Buffer.alloc(1024 * 1024 + 16, 0x20);
  big.write('{"slug":"big","name":"', 0);
  big.write('"}', big.length - 2);
  const head = `POST ${productsPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Cookie: ${admin.cookieHeader()}\r\nX-CSRF-Token: ${admin.csrf}\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`;
  const r = await raw(head, big);
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  seen.push({ what: 'oversize body', headers: r.headers });
});

test('oversize headers -> 4xx, no crash', async () => {
  const head = `GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`;
  const r = await raw(head);
  assert.ok([400, 413, 414, 431].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
  const url = `GET /api/v1/${'x'.repeat(64 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
  const r2 = await raw(url);
  assert.ok(r2.status >= 400 && r2.status < 500, `long URL: ${r2.status}`);
});

test('garbage on the wire -> 400 or closed, no crash', async () => {
  const r = await raw('NONSENSE\r\n\r\n');
  assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), String(r.status));
  const r2 = await raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\nConnection: close\r\n\r\n`);
  assert.ok(r2.status === 0 || (r2.status >= 400 && r2.status < 500) || r2.status === 200, String(r2.status));
});

test('unknown API route -> 404 problem; unknown page -> HTML 404', async () => {
  assertProblem(await send('GET', '/api/v1/no-such-thing'), 404);
  assertProblem(await send('GET', `/api/v1/orgs/${env.orgA.slug}/users/abc`), 404);
  const enc = await send('GET', '/api/v1/orgs/%ff%fe/users');
  assert.ok(enc.status === 400 || enc.status === 404, String(enc.status));
  assert.match(enc.ct, /^application\/problem\+json/);
  const r = await send('GET', '/no-such-page');
  assert.equal(r.status, 404);
  assert.match(r.ct, /^text\/html/);
  assert.match(r.text, /<html/i);
});

test('wrong method -> 405 with Allow; HTML 405 for pages', async () => {
  const r = await send('PUT', '/api/v1/me', { json: {} });
  assertProblem(r, 405);
  assert.match(r.headers.get('allow') ?? '', /GET/);
  const r2 = await send('DELETE', '/api/v1/orgs');
  assertProblem(r2, 405);
  assert.match(r2.headers.get('allow') ?? '', /POST/);
  if (htmlRoute) {
    const r3 = await send('PATCH', htmlRoute.pattern, { body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r3.status, 405, `${htmlRoute.pattern}: ${r3.status}`);
    assert.match(r3.ct, /^text\/html/);
  }
});

test('HTML routes answer errors with HTML pages, not problem+json', async () => {
  // A form post without its CSRF token: 403 page.
  const r = await send('POST', '/products', { body: 'slug=x&name=y', csrf: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 403);
  assert.match(r.ct, /^text\/html/);
  assert.match(r.text, /<html/i);
  // An analyst on an admin page: 403 page.
  const an = await env.login('analyst');
  const r2 = await an.get('/users');
  seen.push({ what: 'analyst GET /users', headers: r2.headers });
  assert.equal(r2.status, 403);
  assert.match(r2.ct, /^text\/html/);
  // Anonymous: redirected to sign in.
  const r3 = await fetch(`${env.base}/dashboard`, { redirect: 'manual' });
  seen.push({ what: 'anon dashboard', headers: r3.headers });
  assert.equal(r3.status, 303);
  assert.match(r3.headers.get('location') ?? '', /^\/login\?next=/);
  await r3.text();
});

test('anonymous API request -> 401 problem; bad bearer -> 401 problem', async () => {
  const r = await fetch(`${env.base}/api/v1/me`);
  seen.push({ what: 'anon me', headers: r.headers });
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  const r2 = await fetch(`${env.base}/api/v1/me`, { headers: { authorization: 'Bearer not-a-token' } });
  seen.push({ what: 'bad bearer', headers: r2.headers });
  assert.equal(r2.status, 401);
  await r.text();
  await r2.text();
});

test('the server still serves, and every response carried the security headers', async () => {
  const r = await fetch(`${env.base}/healthz`);
  seen.push({ what: 'healthz', headers: r.headers });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { status: 'ok' });
  assert.ok(env.alive(), 'server process alive');
  const bad = [];
  for (const s of seen) {
    const p = securityHeaderProblems(s.headers);
    if (p.length) bad.push(`${s.what}: ${p.join(', ')}`);
  }
  assert.ok(seen.length > 30, `checked ${seen.length} responses`);
  assert.deepEqual(bad, []);
  // No HSTS without --behind-tls.
  assert.equal(r.headers.get('strict-transport-security'), null);
});
