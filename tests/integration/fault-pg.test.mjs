// Fault injection: PostgreSQL goes away under a submission load (only when
// HRDD_TEST_PG_URL says PostgreSQL is available). The suite starts its own
// throw-away server with scripts/pgtest (another directory and port), so
// stopping it never disturbs the suites sharing the runner's server.
// 1. Stopped for a while (pg_ctl stop -m fast), then started again: while it
//    is down every answer is a 503 with Retry-After (problem+json, or an
//    HTML page for /report), never a 500 or a 201; once it is back the same
//    hrdd process reconnects by itself and files grievances again.
// 2. Restarted (pg_ctl restart -m fast) in the middle of the load: the same.
// After each, every receipt handed out works and `hrdd audit verify` passes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, access, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, REPO } from './lib/server.mjs';
import { Tally, load, sleep, until, run, summary, assertRecovered } from './lib/fault.mjs';

const PGTEST = join(REPO, 'scripts', 'pgtest');
const DOWN_MS = 2500;

async function pgBin() {
  try {
    const vs = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(a) - Number(b));
    for (const v of vs.reverse()) {
      const d = `/usr/lib/postgresql/${v}/bin`;
      try {
        await access(`${d}/pg_ctl`);
        return d;
      } catch {
        /* next */
      }
    }
  } catch {
    /* not Debian's layout */
  }
  return '';
}

// pg_ctl as the postgres user when we are root (as scripts/pgtest does).
// Its output goes to DIR/ctl.log, not to a pipe: the server it starts
// would hold a pipe open for as long as it runs.
async function pgCtl(dir, args) {
  const bin = await pgBin();
  const cmd = [bin ? `${bin}/pg_ctl` : 'pg_ctl', '-D', join(dir, 'data'), ...args];
  const argv = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd;
  const log = await open(join(dir, 'ctl.log'), 'a');
  try {
    const code = await new Promise((res, rej) => {
      const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', log.fd, log.fd] });
      p.on('error', rej);
      p.on('exit', (c) => res(c));
    });
    if (code !== 0) assert.fail(`pg_ctl ${args.join(' ')} exited ${code}: ${await readFile(join(dir, 'ctl.log'), 'utf8')}`);
  } finally {
    await log.close();
  }
}

const pgDown = (dir) => pgCtl(dir, ['-m', 'fast', '-w', 'stop']);
async function pgUp(dir) {
  // the options scripts/pgtest starts it with
  const port = (await readFile(join(dir, 'port'), 'utf8')).trim();
  await pgCtl(dir, ['-l', join(dir, 'log'), '-w', 'start',
    '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`]);
}
const pgRestart = (dir) => pgCtl(dir, ['-m', 'fast', '-w', 'restart']);

describe('PostgreSQL stopped and restarted during a write load', { skip: !process.env.HRDD_TEST_PG_URL && 'HRDD_TEST_PG_URL not set' }, () => {
  let env;
  let dir;
  let shared;
  const all = new Tally();        // every receipt of the suite

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hrdd-fault-pg-'));
    const r = await run(PGTEST, ['start', dir]);
    assert.equal(r.code, 0, `pgtest start: ${r.stderr}`);
    const url = r.stdout.trim().split('\n').pop();
    assert.match(url, /^postgresql:\/\//);
    // startServer creates its database on the server HRDD_TEST_PG_URL names.
    shared = process.env.HRDD_TEST_PG_URL;
    process.env.HRDD_TEST_PG_URL = url;
    try {
      env = await startServer({ sector: false, engine: 'postgresql' });
    } finally {
      process.env.HRDD_TEST_PG_URL = shared;
    }
  });

  after(async () => {
    try {
      if (env) await env.stop();     // drops its database on our own server
    } finally {
      if (dir) await run(PGTEST, ['stop', dir]);
    }
  });

  // Runs the load through three phases around fault(): before, during
  // (from the fault until `restored` resolves) and after; returns them.
  async function around(fault) {
    const phases = { before: new Tally(), during: new Tally(), after: new Tally() };
    let phase = 'before';
    const l = load(() => env.base, () => phases[phase], { loops: 4, timeoutMs: 20000 });
    try {
      await until('a few grievances', () => phases.before.receipts.length >= 20, 15000);
      phase = 'during';
      const t0 = Date.now();
      await fault();
      phase = 'after';
      const back = await until('201 after the fault', () => phases.after.receipts.length >= 10, 20000);
      phases.ms = { fault: Date.now() - t0 - back, reconnect: back };
    } finally {
      await l.stop();
    }
    for (const p of ['before', 'during', 'after']) all.receipts.push(...phases[p].receipts);
    return phases;
  }

  function assertClean(phases, label) {
    for (const p of ['before', 'during', 'after']) {
      assert.deepEqual(phases[p].bad, [], `${label} ${p}: ${summary(phases[p])}`);
      assert.equal(phases[p].statuses[500] ?? 0, 0, `${label} ${p}: 500: ${phases[p].sample[500]}`);
      assert.equal(phases[p].statuses.reset ?? 0, 0, `${label} ${p}: dropped connections`);
    }
  }

  test('stopped: 503 while down, reconnects by itself, nothing acknowledged lost', async (t) => {
    let down = null;
    const phases = await around(async () => {
      await pgDown(dir);
      down = new Tally();
      // While the server is down, fresh requests are answered 503 only.
      const t0 = Date.now();
      const l = load(() => env.base, down, { loops: 2, timeoutMs: 20000 });
      await sleep(DOWN_MS);
      await l.stop();
      down.ms = Date.now() - t0;
      await pgUp(dir);
    });
    t.diagnostic(`before ${summary(phases.before)}; during ${summary(phases.during)}; after ${summary(phases.after)}; ${JSON.stringify(phases.ms)}`);
    t.diagnostic(`while down (${down.ms} ms): ${summary(down)}`);
    assertClean(phases, 'stop');
    assert.deepEqual(down.bad, [], summary(down));
    assert.equal(down.receipts.length, 0, 'a 201 while PostgreSQL was down');
    assert.ok((down.statuses[503] ?? 0) > 0, `no 503 while down: ${summary(down)}`);
    assert.equal(Object.keys(down.statuses).filter((s) => s !== '503').length, 0, summary(down));
    t.diagnostic(await assertRecovered(env, all, 'after the stop'));
  });

  test('restarted in the middle of the load: the same', async (t) => {
    const phases = await around(() => pgRestart(dir));
    t.diagnostic(`before ${summary(phases.before)}; during ${summary(phases.during)}; after ${summary(phases.after)}; ${JSON.stringify(phases.ms)}`);
    assertClean(phases, 'restart');
    t.diagnostic(await assertRecovered(env, all, 'after the restart'));
  });
});
