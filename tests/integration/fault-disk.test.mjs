// Fault injection: the disk fills up under a submission load (SQLite).
// Two ways, as the machine allows: the installation's directory becomes a
// small tmpfs (root and mount(8) needed: writes fail with ENOSPC, SQLITE_FULL),
// and a file-size limit set on the running server with prlimit (RLIMIT_FSIZE:
// writes fail with EFBIG, SQLITE_IOERR; hrdd ignores SIGXFSZ so it lives).
// While writes fail every answer is a 201 with a receipt or a 503 with
// Retry-After (problem+json for the API, an HTML page for /report); no 500.
// Once there is room again the same process takes grievances (no restart,
// no repair); every receipt it handed out works, also after a SIGKILL and a
// restart, and `hrdd audit verify` passes. Attachments ride along (they are
// stored sealed in the database, so they fill the same disk).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { Tally, load, sleep, until, run, summary, assertRecovered, lostReceipts, auditVerify, fileApi, serverPid }
  from './lib/fault.mjs';

// Loads until at least `want` requests failed with a 5xx (the disk is full),
// then a little longer; returns the tally.
async function fillUp(env, want = 40) {
  const tally = new Tally();
  const l = load(() => env.base, tally, { loops: 4, file: 20000 });
  try {
    await until('writes to fail', () => (tally.statuses[503] ?? 0) + (tally.statuses[500] ?? 0) +
      (tally.statuses[507] ?? 0) >= want || tally.bad.length > 0 || (tally.statuses.reset ?? 0) > 20, 30000);
    await sleep(300);
  } finally {
    await l.stop();
  }
  return tally;
}

function assertFaultAnswers(tally, label) {
  assert.deepEqual(tally.bad, [], `${label}: answers that break the rules (${summary(tally)})`);
  assert.ok(tally.receipts.length > 0, `${label}: nothing was filed before the disk filled (${summary(tally)})`);
  assert.equal(tally.statuses[500] ?? 0, 0, `${label}: 500 instead of 503 (${summary(tally)}): ${tally.sample[500]}`);
  assert.ok((tally.statuses[503] ?? 0) > 0, `${label}: no 503 (${summary(tally)})`);
  assert.equal(tally.statuses.reset ?? 0, 0, `${label}: the server dropped connections (${summary(tally)})`);
}

// After recovery, a SIGKILL and a restart: still every receipt.
async function assertDurable(env, tally, label) {
  await env.restart();
  const lost = await lostReceipts(env.base, tally.receipts);
  assert.deepEqual(lost, [], `${label}: receipts lost after a restart`);
}

describe('disk full on a small filesystem (tmpfs)', () => {
  let env;
  let mounted = false;
  let why = '';

  before(async () => {
    env = await startServer({ sector: false });
    // Move the installation onto a tmpfs mounted over its own directory.
    await env.halt('SIGTERM');
    const save = await mkdtemp(join(tmpdir(), 'hrdd-fault-save-'));
    try {
      for (const f of await readdir(env.dir)) await cp(join(env.dir, f), join(save, f));
      let used = 0;
      for (const f of await readdir(save)) used += (await stat(join(save, f))).size;
      const size = Math.ceil((used + 600 * 1024) / 1024);
      const m = await run('mount', ['-t', 'tmpfs', '-o', `size=${size}k,mode=0700`, 'tmpfs', env.dir]);
      if (m.code === 0) {
        mounted = true;
        for (const f of await readdir(save)) await cp(join(save, f), join(env.dir, f));
      } else {
        why = `mount not possible here (${m.stderr.trim()})`;
      }
    } finally {
      await rm(save, { recursive: true, force: true });
    }
    await env.restart();
  });

  after(async () => {
    if (!env) return;
    await env.halt('SIGTERM');
    if (mounted) await run('umount', [env.dir]);
    await env.restart();          // the original files under the mount point
    await env.stop();
  });

  test('writes fail with 503, then succeed once there is room; nothing acknowledged is lost', async (t) => {
    if (!mounted) return t.skip(why);
    const tally = await fillUp(env);
    t.diagnostic(`while full: ${summary(tally)}`);
    assertFaultAnswers(tally, 'tmpfs full');
    // Still full: reads keep working, writes keep failing cleanly.
    const again = new Tally();
    assert.equal(await fileApi(env.base, again), 503, JSON.stringify(again.sample));
    assert.equal((await fetch(`${env.base}/healthz`)).status, 200);
    assert.deepEqual(await lostReceipts(env.base, tally.receipts), [], 'receipts unreadable while full');
    // Make room: the same process recovers by itself.
    const g = await run('mount', ['-o', 'remount,size=64m', env.dir]);
    assert.equal(g.code, 0, g.stderr);
    t.diagnostic(await assertRecovered(env, tally, 'tmpfs after room'));
    await assertDurable(env, tally, 'tmpfs');
    t.diagnostic(await auditVerify(env));
  });
});

describe('file-size limit (RLIMIT_FSIZE) on the running server', () => {
  let env;
  let pid;

  before(async () => {
    env = await startServer({ sector: false });
    pid = await serverPid(env);
  });

  after(async () => {
    if (env) await env.stop();
  });

  test('EFBIG is a 503 (the process survives SIGXFSZ), and writes succeed once the limit is raised', async (t) => {
    let largest = 0;
    for (const f of await readdir(env.dir)) largest = Math.max(largest, (await stat(join(env.dir, f))).size);
    // The soft limit only (a hard limit, once lowered, cannot be raised again
    // without CAP_SYS_RESOURCE).
    const lim = await run('prlimit', ['--pid', String(pid), `--fsize=${largest + 256 * 1024}:`]);
    assert.equal(lim.code, 0, lim.stderr);
    const tally = await fillUp(env);
    t.diagnostic(`past the limit: ${summary(tally)}`);
    assert.ok(env.alive(), `the server died: ${env.stderr().slice(-2000)}`);
    assertFaultAnswers(tally, 'file-size limit');
    const up = await run('prlimit', ['--pid', String(pid), '--fsize=unlimited:']);
    assert.equal(up.code, 0, up.stderr);
    t.diagnostic(await assertRecovered(env, tally, 'file-size limit raised'));
    await assertDurable(env, tally, 'file-size limit');
  });
});
