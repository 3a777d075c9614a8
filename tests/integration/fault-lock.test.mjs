// Fault injection: another process holds an exclusive lock on the SQLite
// database (python3's sqlite3 module, BEGIN EXCLUSIVE) for longer than
// hrdd's busy timeout (5 s) during a submission load. Each request waits at
// most the busy timeout and is then answered 503 with Retry-After
// (problem+json, or an HTML page for /report and /receipt): no 500, no
// hang, and a complainant's message answered 503 is not stored. Signing in
// (API and /login) is 503 too, not the 429 of the sign-in throttle, and the
// access log names the cause ("storage: database is locked"). Once
// the lock is released the same process takes grievances again; every
// receipt works and `hrdd audit verify` passes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, Client, emailOf, PASSWORD } from './lib/server.mjs';
import { Tally, load, sleep, until, summary, assertRecovered, fileApi } from './lib/fault.mjs';

const HOLD_S = 17;                // past three busy timeouts (5 s) in a row: four requests at once
                                  // on a small pool may wait for a connection, then for the lock
const PAGE_TEXT = `sent through the page while locked ${process.pid}`;
const API_TEXT = `sent through the API while locked ${process.pid}`;

const LOCKER = `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute('BEGIN EXCLUSIVE')
print('locked', flush=True)
time.sleep(float(sys.argv[2]))
c.execute('ROLLBACK')
c.close()
print('released', flush=True)
`;

describe('database locked by another process (SQLite)', () => {
  let env;

  before(async () => {
    env = await startServer({ sector: false });
  });

  after(async () => {
    if (env) await env.stop();
  });

  test('503 with Retry-After while locked past the busy timeout, 201 again once released', async (t) => {
    const first = new Tally();
    assert.equal(await fileApi(env.base, first), 201);
    const receipt = first.receipts[0];
    const loginPage = await fetch(`${env.base}/login`);
    const loginCsrf = /name="csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1];
    const loginCookie = (loginPage.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const locker = spawn('python3', ['-c', LOCKER, env.db, String(HOLD_S)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    locker.stdout.on('data', (d) => { out += d; });
    locker.stderr.on('data', (d) => { err += d; });
    const exited = new Promise((r) => locker.on('exit', r));
    await until('the lock', () => out.includes('locked') || locker.exitCode !== null, 10000);
    assert.ok(out.includes('locked'), `python3 could not lock: ${err}`);

    // First, a complainant writes through the receipt (the page's form and
    // the API): each waits the busy timeout, then a clear 503.
    const pub = [
      fetch(`${env.base}/receipt`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ receipt, op: 'message', text: PAGE_TEXT }).toString(),
      }),
      fetch(`${env.base}/api/v1/receipt/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ receipt, text: API_TEXT }),
      }),
      // staff sign-in: storage trouble, not the sign-in throttle
      fetch(`${env.base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emailOf('admin'), password: PASSWORD }),
      }),
      fetch(`${env.base}/login`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(loginCookie ? { cookie: loginCookie } : {}) },
        body: new URLSearchParams({ email: emailOf('admin'), password: PASSWORD, ...(loginCsrf ? { csrf: loginCsrf } : {}) }).toString(),
      }),
    ].map((p) => p.then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() })));
    const t0 = Date.now();
    const [page, api, signApi, signPage] = await Promise.all(pub);
    t.diagnostic(`receipt message while locked: page ${page.status}, API ${api.status}`);
    t.diagnostic(`sign-in while locked: API ${signApi.status}, page ${signPage.status} ${signPage.headers.get('location') ?? ''}`);
    assert.equal(signApi.status, 503, signApi.text);
    assert.match(signApi.headers.get('content-type'), /^application\/problem\+json/);
    assert.match(signApi.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(signPage.status, 503, signPage.text.slice(0, 300));
    assert.match(signPage.headers.get('content-type'), /^text\/html/);
    assert.match(signPage.headers.get('retry-after') ?? '', /^\d+$/);
    // The access log says why (a fixed text), for the API and the pages.
    const routes = ['/api/v1/session', '/login', '/receipt', '/api/v1/receipt/messages'];
    const lines503 = () => env.stderr().split('\n').filter((l) => l.includes('"msg":"request"') && l.includes('"status":503'));
    await until('the log lines', () => routes.every((r) => lines503().some((l) => l.includes(`"route":"${r}"`))), 3000).catch(() => {});
    const causes = lines503();
    for (const route of routes) {
      const line = causes.find((l) => l.includes(`"route":"${route}"`));
      assert.ok(line, `no 503 log line for ${route}: ${causes.join('\n')}`);
      assert.match(line, /"cause":"storage: database is locked"/, line);
    }
    assert.equal(page.status, 503, page.text.slice(0, 300));
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(page.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(api.status, 503, api.text);
    assert.match(api.headers.get('content-type'), /^application\/problem\+json/);
    assert.match(api.headers.get('retry-after') ?? '', /^\d+$/);
    // Then a submission load until the release: a request may wait the busy
    // timeout, never much more.
    const during = new Tally();
    const l = load(() => env.base, during, { loops: 4, timeoutMs: 12000 });
    try {
      await until('the release', () => out.includes('released'), (HOLD_S + 5) * 1000);
    } finally {
      await l.stop();
    }
    const held = Date.now() - t0;
    assert.equal(await exited, 0, err);
    t.diagnostic(`locked ${held} ms: ${summary(during)}`);
    assert.deepEqual(during.bad, [], summary(during));
    assert.equal(during.statuses.reset ?? 0, 0, `requests hung or dropped: ${summary(during)}`);
    assert.equal(during.statuses[500] ?? 0, 0, `500 instead of 503: ${during.sample[500]}`);
    // (the load's requests may all have waited until the release: 201)

    // Released: a new load goes through without a restart.
    const after = new Tally();
    const l2 = load(() => env.base, after, { loops: 4 });
    try {
      await until('201 after the release', () => after.receipts.length >= 20, 10000);
    } finally {
      await l2.stop();
    }
    assert.deepEqual(after.bad, []);
    t.diagnostic(`released: ${summary(after)}`);
    during.receipts.push(...after.receipts);
    t.diagnostic(await assertRecovered(env, during, 'after the lock'));
    // What was answered 503 was not stored.
    const st = await new Client(env.base).post('/api/v1/receipt/status', { receipt, detail: true });
    assert.equal(st.status, 200, st.text);
    assert.ok(!st.text.includes(PAGE_TEXT) && !st.text.includes(API_TEXT), 'a message answered 503 was stored');
  });
});
