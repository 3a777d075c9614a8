// Fault injection: the server is stopped at random moments during a mixed
// load, on every engine: complainants filing (JSON API and the /report
// form), a handler acknowledging cases, writing to complainants and noting
// internally, complainants answering through their receipts. Each round
// ends with SIGKILL or SIGTERM (alternately) after a random delay; after a
// restart on the same database (SQLite replays its WAL), everything the
// server acknowledged is there: every receipt works, every acknowledged case
// is no longer "received", every message and note answered 2xx is in the
// case, every complainant message answered 200 is in the public thread;
// and `hrdd audit verify` passes. A SIGTERM is a clean exit (status 0).
// kill.test.mjs covers a plain SIGKILL during submissions only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { startServer, Client, ENGINES, TIME_SCALE } from './lib/server.mjs';
import { Tally, load, sleep, lostReceipts, auditVerify, summary } from './lib/fault.mjs';

const ROUNDS = 4;

let seq = 0;
const uniq = (what) => `${what}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

for (const engine of ENGINES) describe(`killed at random points during a mixed load on ${engine}`, () => {
  let env;
  let handler;
  let slug;
  const tally = new Tally();            // intake: every receipt acknowledged
  const acked = new Set();              // case ids acknowledged with 200
  const staffTexts = [];                // {id, text} answered 2xx
  const publicTexts = [];               // {receipt, text} answered 200
  const other = { statuses: {} };       // staff and complainant answers, for the log

  before(async () => {
    env = await startServer({ sector: false, engine });
    slug = env.orgA.slug;
    handler = await env.login('case_handler');
  });

  after(async () => {
    if (env) await env.stop();
  });

  const count = (s) => { other.statuses[s] = (other.statuses[s] ?? 0) + 1; };
  async function guarded(fn) {
    try {
      return await fn();
    } catch {
      count('reset');
      await sleep(20);
      return null;
    }
  }

  // The handler: acknowledge a received case, write to its complainant and
  // note something internally.
  async function staffLoop(stopped) {
    while (!stopped()) {
      handler.base = env.base;
      const q = await guarded(() => handler.get(`/api/v1/orgs/${slug}/cases?state=received&limit=5`));
      if (!q || q.status !== 200 || !q.data.items.length) {
        if (q) count(q.status);
        await sleep(30);
        continue;
      }
      const id = q.data.items[Math.floor(Math.random() * q.data.items.length)].id;
      const a = await guarded(() => handler.post(`/api/v1/orgs/${slug}/cases/${id}/actions`,
        { action: 'acknowledge', public_text: 'Received; we are looking into it.' }));
      if (a) count(a.status);
      if (a?.status === 200) acked.add(id);
      for (const kind of ['messages', 'notes']) {
        const text = uniq(kind);
        const m = await guarded(() => handler.post(`/api/v1/orgs/${slug}/cases/${id}/${kind}`, { text }));
        if (m) count(m.status);
        if (m && m.status >= 200 && m.status < 300) staffTexts.push({ id, text });
      }
    }
  }

  // Complainants answering through their receipts.
  async function publicLoop(stopped) {
    while (!stopped()) {
      if (!tally.receipts.length) {
        await sleep(30);
        continue;
      }
      const receipt = tally.receipts[Math.floor(Math.random() * tally.receipts.length)];
      const text = uniq('answer');
      const r = await guarded(() => new Client(env.base).post('/api/v1/receipt/messages', { receipt, text }));
      if (r) count(r.status);
      if (r?.status === 200) publicTexts.push({ receipt, text });
    }
  }

  // Everything acknowledged so far is stored.
  async function assertKept(label, receipts) {
    handler.base = env.base;
    const lost = await lostReceipts(env.base, receipts);
    assert.deepEqual(lost, [], `${label}: receipts lost`);
    const cases = new Map();
    const caseOf = async (id) => {
      if (!cases.has(id)) {
        const r = await handler.get(`/api/v1/orgs/${slug}/cases/${id}`);
        assert.equal(r.status, 200, `${label}: case ${id}: ${r.text}`);
        const ev = await handler.get(`/api/v1/orgs/${slug}/cases/${id}/events`);
        assert.equal(ev.status, 200, ev.text);
        cases.set(id, { state: r.data.state, text: r.text + ev.text });
      }
      return cases.get(id);
    };
    for (const id of acked) assert.notEqual((await caseOf(id)).state, 'received', `${label}: acknowledgement of case ${id} lost`);
    for (const { id, text } of staffTexts) assert.ok((await caseOf(id)).text.includes(text), `${label}: ${text} lost from case ${id}`);
    const threads = new Map();
    const c = new Client(env.base);
    for (const { receipt, text } of publicTexts) {
      if (!threads.has(receipt)) {
        const r = await c.post('/api/v1/receipt/status', { receipt, detail: true });
        assert.equal(r.status, 200, r.text);
        threads.set(receipt, r.text);
      }
      assert.ok(threads.get(receipt).includes(text), `${label}: complainant message ${text} lost`);
    }
  }

  test(`${ROUNDS} rounds of load, then SIGKILL or SIGTERM at a random moment; everything acknowledged survives`, async (t) => {
    let checked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const signal = round % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
      const delay = Math.round((300 + Math.floor(Math.random() * 1200)) * TIME_SCALE);   // slower under valgrind
      let stopped = false;
      const intake = load(() => env.base, tally, { loops: 3, timeoutMs: 15000 });
      const others = [staffLoop(() => stopped), publicLoop(() => stopped)];
      await sleep(delay);
      const exit = await env.halt(signal);
      stopped = true;
      await intake.stop();
      await Promise.all(others);
      const label = `round ${round + 1} (${signal} after ${delay} ms)`;
      if (signal === 'SIGTERM') assert.equal(exit.code, 0, `${label}: unclean exit ${JSON.stringify(exit)}: ${env.stderr().slice(-3000)}`);
      else assert.equal(exit.sig, 'SIGKILL');
      if (engine === 'sqlite' && signal === 'SIGKILL')
        await access(`${env.db}-wal`);   // left behind: the restart replays it
      assert.deepEqual(tally.bad, [], `${label}: ${summary(tally)}`);
      await env.restart();
      await assertKept(label, tally.receipts.slice(checked));
      checked = tally.receipts.length;
      t.diagnostic(`${label}: intake ${summary(tally)}; cases acknowledged ${acked.size}, staff texts ${staffTexts.length}, ` +
        `complainant messages ${publicTexts.length}; other answers ${JSON.stringify(other.statuses)}; ${await auditVerify(env)}`);
    }
    assert.ok(tally.receipts.length > 0 && acked.size > 0 && publicTexts.length > 0,
      `the load did too little to prove anything: ${summary(tally)}, ${acked.size} acknowledged, ${publicTexts.length} messages`);
    // Once more, everything from every round.
    await assertKept('at the end', tally.receipts);
  });
});
