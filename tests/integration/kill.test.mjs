// Durability: the 201 for a grievance is sent only after the grievance is
// committed. Eight loops file grievances concurrently; the server is killed
// with SIGKILL in the middle of the load; restarted on the same database, it
// answers 200 for every receipt it handed out before it died.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ENGINES } from './lib/server.mjs';

const LOOPS = 8;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const engine of ENGINES) describe(`SIGKILL during submissions on ${engine}`, () => {
let env;

before(async () => {
  env = await startServer({ sector: false, engine });
});

after(async () => {
  if (env) await env.stop();
});

test('every receipt returned before the kill works after the restart', async () => {
  const receipts = [];
  let stop = false;
  let errors = 0;
  const base = env.base;
  const loop = async (n) => {
    let i = 0;
    while (!stop) {
      try {
        const res = await fetch(`${base}/api/v1/grievances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ narrative: `Load grievance ${n}/${i++}: content removed without reason.`, contact_preference: 'anonymous' }),
        });
        const text = await res.text();
        if (res.status === 201) receipts.push(JSON.parse(text).receipt);
      } catch {
        errors++;                   // connection reset by the kill: no receipt was returned
        if (!stop) await sleep(5);
      }
    }
  };
  const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
  // Kill once the load is well under way.
  const t0 = Date.now();
  while (receipts.length < 200 && Date.now() - t0 < 10000) await sleep(20);
  const killedAfter = receipts.length;
  const exit = await env.halt('SIGKILL');
  assert.equal(exit.sig, 'SIGKILL');
  stop = true;
  await Promise.all(loops);
  const before = receipts.slice();
  assert.ok(before.length >= killedAfter && before.length > 0, `got ${before.length} receipts before the kill`);

  await env.restart();
  const bad = [];
  const c = new Client(env.base);
  let next = 0;
  const check = async () => {
    while (next < before.length) {
      const receipt = before[next++];
      const r = await c.post('/api/v1/receipt/status', { receipt });
      if (r.status !== 200) bad.push(`${receipt}: ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, check));
  assert.deepEqual(bad, [], `${bad.length} of ${before.length} receipts lost`);
  // And the restarted server takes new grievances.
  const r = await c.post('/api/v1/grievances', { narrative: 'After the restart.', contact_preference: 'anonymous' });
  assert.equal(r.status, 201, r.text);
});
});
