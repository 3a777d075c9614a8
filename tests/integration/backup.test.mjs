// backup.test.mjs: `hrdd backup` while a submission load runs, `hrdd restore`
// into a fresh database, then a server on the restored database: every
// receipt acknowledged before the backup started still works there and
// `hrdd audit verify` passes (the restore entry continues the chain). On the
// restored installation: erasure through the receipt page (ask, confirm
// with a CSRF-protected form, no JavaScript) and the API, and a retention
// run that erases exactly the case past its time with the statistics
// unchanged. Every engine the runner offers (SQLite; PostgreSQL with
// HRDD_TEST_PG_URL, through pg_dump/pg_restore).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { ENGINES, TIME_SCALE, startServer, hrdd, pgAdmin, Client, wrapped } from './lib/server.mjs';
import { Tally, load, until, lostReceipts, fileApi, run, summary, sleep } from './lib/fault.mjs';

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// A second server on the restored database (its own secret file).
async function serve(bin, db, secret) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let stderr = '';
  let exited = null;
  const proc = spawn(...wrapped(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--sla-interval', '0']), {
    env: { ...process.env, HRDD_PWHASH_COST: 'min', HRDD_SECRET_FILE: secret },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.on('exit', (code, sig) => { exited = { code, sig }; });
  const deadline = Date.now() + 15000 * TIME_SCALE;
  for (;;) {
    if (exited) throw new Error(`restored server exited ${JSON.stringify(exited)}: ${stderr.slice(-3000)}`);
    try {
      if ((await fetch(base + '/healthz')).status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`restored server not healthy: ${stderr.slice(-3000)}`);
    await sleep(50);
  }
  return {
    base,
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        await new Promise((r) => (exited ? r() : proc.once('exit', r)));
      }
      assert.equal(exited.code, 0, `restored server: ${JSON.stringify(exited)} ${stderr.slice(-3000)}`);
    },
  };
}

const form = (fields) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
const csrfOf = (html) => (/name="csrf" value="([^"]*)"/.exec(html) ?? [])[1] ?? '';

for (const engine of ENGINES) {
  test(`backup under load, restore, receipts and audit chain (${engine})`, { timeout: 240000 * TIME_SCALE }, async () => {
    const env = await startServer({ engine, sector: false });
    let restored = null;
    let target = null;
    try {
      const cmd = { HRDD_SECRET_FILE: env.secretFile };
      // Some grievances first, then a load that keeps filing during the backup.
      const tally = new Tally();
      for (let i = 0; i < 10; i++) assert.equal(await fileApi(env.base, tally), 201);
      const ld = load(() => env.base, tally, { loops: 4, forms: true });
      await until('load running', () => tally.receipts.length >= 30, 60000 * TIME_SCALE);
      const before = [...tally.receipts];
      const out = join(env.dir, engine === 'sqlite' ? 'backup.db' : 'backup.dump');
      const t0 = Date.now();
      const b = await run(env.bin, ['backup', '--db', env.db, '--out', out], { env: { ...process.env, ...cmd } });
      const ms = Date.now() - t0;
      const during = tally.receipts.length - before.length;
      await sleep(200);
      await ld.stop();
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stdout, /backup written: .* bytes\)/);
      assert.match(b.stdout, /not in the backup: back it up separately/);
      assert.deepEqual(tally.bad, [], summary(tally));
      console.log(`# ${engine}: backup in ${ms} ms while ${during} grievances were filed; ${summary(tally)}`);
      // A second backup to the same file is refused.
      const again = await run(env.bin, ['backup', '--db', env.db, '--out', out], { env: { ...process.env, ...cmd } });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /exists/);

      // Restore into a fresh database with the saved secret.
      const secret2 = join(env.dir, 'restored.secret');
      if (engine === 'sqlite') {
        target = join(env.dir, 'restored.db');
      } else {
        const name = `hrdd_bk_${process.pid}_${Date.now().toString(36)}`;
        await pgAdmin(`CREATE DATABASE ${name}`);
        const u = new URL(process.env.HRDD_TEST_PG_URL);
        u.pathname = `/${name}`;
        target = u.toString();
      }
      const r = await hrdd(env.bin, ['restore', '--db', target, '--from', out, '--key', env.secretFile,
        '--secret-file', secret2]);
      assert.match(r, /restored .* audit chain OK: \d+ entries/);
      const refused = await run(env.bin, ['restore', '--db', target, '--from', out, '--secret-file', secret2]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /not empty/);
      const verify = await hrdd(env.bin, ['audit', 'verify', '--db', target], { HRDD_SECRET_FILE: secret2 });
      assert.match(verify, /audit chain OK/);
      const list = await hrdd(env.bin, ['audit', 'list', '--db', target, '--limit', '1', '--json'],
        { HRDD_SECRET_FILE: secret2 });
      assert.match(JSON.parse(list)[0].action, /^restore file=backup\./);

      // Every receipt acknowledged before the backup works on the restored database.
      restored = await serve(env.bin, target, secret2);
      assert.deepEqual(await lostReceipts(restored.base, before), []);

      // Erasure through the receipt page: ask, confirm, erased.
      const anon = new Client(restored.base);
      const filed = await anon.post('/api/v1/grievances', {
        narrative: 'My name is Jane Secret-Tester', contact_preference: 'named',
        contact_name: 'Jane Secret-Tester', contact_email: 'jane@example.org',
      });
      assert.equal(filed.status, 201);
      const receipt = filed.data.receipt;
      let page = await anon.req('POST', '/receipt', form({ receipt, op: 'view' }));
      assert.equal(page.status, 200);
      assert.match(page.text, /name="op" value="erase_ask"/);
      page = await anon.req('POST', '/receipt', form({ receipt, op: 'erase_ask', csrf: csrfOf(page.text) }));
      assert.equal(page.status, 200);
      assert.match(page.text, /id="erase-confirm"/);
      assert.match(page.text, /still open/);                    // the warning for an open grievance
      const noTick = await anon.req('POST', '/receipt', form({ receipt, op: 'erase', csrf: csrfOf(page.text) }));
      assert.equal(noTick.status, 400);
      assert.match(noTick.text, /Tick the box/);
      assert.equal((await anon.post('/api/v1/receipt/status', { receipt })).data.erased_at, null);
      page = await anon.req('POST', '/receipt', form({ receipt, op: 'erase', confirm: 'yes', csrf: csrfOf(noTick.text) }));
      assert.equal(page.status, 200);
      assert.match(page.text, /id="erased"/);
      assert.doesNotMatch(page.text, /Jane Secret-Tester/);
      assert.doesNotMatch(page.text, /name="op" value="erase_ask"/);
      const st = await anon.post('/api/v1/receipt/status', { receipt, detail: true });
      assert.equal(st.status, 200);
      assert.equal(st.data.state, 'withdrawn');
      assert.ok(st.data.erased_at);
      assert.equal(st.data.can.erase, false);
      assert.equal((await anon.post('/api/v1/receipt/messages', { receipt, text: 'again' })).status, 409);

      // The API: confirmation required, then erased.
      const second = (await anon.post('/api/v1/grievances', { narrative: 'Second one', contact_preference: 'anonymous' })).data.receipt;
      assert.equal((await anon.post('/api/v1/receipt/erase', { receipt: second })).status, 422);
      const er = await anon.post('/api/v1/receipt/erase', { receipt: second, confirm: true });
      assert.equal(er.status, 200);
      assert.equal(er.data.withdrawn, true);
      assert.ok(er.data.erased_at);

      // Retention: one case withdrawn now; a policy of 1 month; a run 40 days on
      // erases it (and only it: the others are open or erased already), with
      // the statistics unchanged.
      const old = before[0];
      assert.equal((await anon.post('/api/v1/receipt/withdraw', { receipt: old })).status, 200);
      const admin = new Client(restored.base);
      await admin.login('admin@acme.test');
      const statsBefore = (await admin.get('/api/v1/grievances/stats')).text;
      const e2 = { HRDD_SECRET_FILE: secret2 };
      await hrdd(env.bin, ['retention', 'set', '--db', target, '--closed-cases-months', '1'], e2);
      const slug = admin.me.org.slug;
      assert.equal((await admin.get(`/api/v1/orgs/${slug}/retention`)).data.closed_cases_months, 1);
      assert.equal((await admin.req('PUT', `/api/v1/orgs/${slug}/retention`, { json: { closed_cases_months: -1 } })).status, 422);
      const handler = new Client(restored.base);
      await handler.login('case-handler@acme.test');
      assert.equal((await handler.req('PUT', `/api/v1/orgs/${slug}/retention`, { json: { closed_cases_months: 0 } })).status, 403);
      const put = await admin.req('PUT', `/api/v1/orgs/${slug}/retention`, { json: { closed_cases_months: 1 } });
      assert.equal(put.status, 200);
      assert.equal(put.data.closed_cases_months, 1);
      assert.match(await hrdd(env.bin, ['retention', 'run', '--db', target], e2), /0 cases erased, 0 failed/);
      const later = String(Math.floor(Date.now() / 1000) + 40 * 86400);
      assert.match(await hrdd(env.bin, ['retention', 'run', '--db', target, '--now', later], e2), /1 cases erased, 0 failed/);
      assert.match(await hrdd(env.bin, ['retention', 'run', '--db', target, '--now', later], e2), /0 cases erased/);
      const statsAfter = (await admin.get('/api/v1/grievances/stats')).text;
      assert.equal(statsAfter, statsBefore);
      const os = await anon.post('/api/v1/receipt/status', { receipt: old });
      assert.ok(os.data.erased_at);
      assert.deepEqual(await lostReceipts(restored.base, before), []);   // erased receipts still answer
      assert.match(await hrdd(env.bin, ['audit', 'verify', '--db', target], e2), /audit chain OK/);
      const audit = JSON.parse(await hrdd(env.bin, ['audit', 'list', '--db', target, '--limit', '20', '--json'], e2));
      const erasures = audit.filter((x) => x.action.startsWith('erase '));
      assert.equal(erasures.length, 3);
      assert.ok(erasures.some((x) => /policy=retention:1_months/.test(x.action)));
      assert.ok(audit.every((x) => !/Jane|Secret/.test(JSON.stringify(x))));
    } finally {
      if (restored) await restored.stop();
      await env.stop();
      if (engine === 'postgresql' && target) {
        await pgAdmin(`DROP DATABASE IF EXISTS ${new URL(target).pathname.slice(1)} WITH (FORCE)`).catch(() => {});
      }
    }
  });
}
