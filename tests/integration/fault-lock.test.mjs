// Fault injection: another process holds an exclusive lock on the SQLite
// database (python3's sqlite3 module, BEGIN EXCLUSIVE) for longer than
// hrdd's busy timeout (5 s) during a submission load. Each request waits at
// most the busy timeout and is then answered 503 with Retry-After
// (problem+json, or an HTML page for /report): no 500, no hang, no 201. Once
// the lock is released the same process takes grievances again; every
// receipt works and `hrdd audit verify` passes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer } from './lib/server.mjs';
import { Tally, load, until, summary, assertRecovered } from './lib/fault.mjs';

const HOLD_S = 7;                 // longer than the busy timeout

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
    const locker = spawn('python3', ['-c', LOCKER, env.db, String(HOLD_S)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    locker.stdout.on('data', (d) => { out += d; });
    locker.stderr.on('data', (d) => { err += d; });
    const exited = new Promise((r) => locker.on('exit', r));
    await until('the lock', () => out.includes('locked') || locker.exitCode !== null, 10000);
    assert.ok(out.includes('locked'), `python3 could not lock: ${err}`);

    const during = new Tally();
    const t0 = Date.now();
    // A request may wait the busy timeout, never much more.
    const l = load(() => env.base, during, { loops: 4, timeoutMs: 12000 });
    await until('the release', () => out.includes('released'), (HOLD_S + 5) * 1000);
    const held = Date.now() - t0;
    await l.stop();
    assert.equal(await exited, 0, err);
    t.diagnostic(`locked ${held} ms: ${summary(during)}`);
    assert.deepEqual(during.bad, [], summary(during));
    assert.equal(during.statuses.reset ?? 0, 0, `requests hung or dropped: ${summary(during)}`);
    assert.equal(during.statuses[500] ?? 0, 0, `500 instead of 503: ${during.sample[500]}`);
    assert.ok((during.statuses[503] ?? 0) > 0, `no 503 while locked: ${summary(during)}`);

    // Released: a new load goes through without a restart.
    const after = new Tally();
    const l2 = load(() => env.base, after, { loops: 4 });
    await until('201 after the release', () => after.receipts.length >= 20, 10000);
    await l2.stop();
    assert.deepEqual(after.bad, []);
    t.diagnostic(`released: ${summary(after)}`);
    during.receipts.push(...after.receipts);
    t.diagnostic(await assertRecovered(env, during, 'after the lock'));
  });
});
