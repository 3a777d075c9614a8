// Receipt lookups: a wrong receipt reveals nothing (every wrong receipt, well
// formed or not, gets the byte-identical 404 problem, in similar time), and
// guessing is throttled (failed lookups from one source end in 429 with
// Retry-After) while a valid receipt keeps working at the same time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, Client } from './lib/server.mjs';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function randomReceipt() {
  const b = randomBytes(20);
  let s = '';
  for (let i = 0; i < 20; i++) s += CROCKFORD[b[i] % 32] + (i % 5 === 4 && i < 19 ? '-' : '');
  return s;
}
const MALFORMED = ['x', 'not a receipt at all', '!!!!!-?????-#####-%%%%%', '0'.repeat(19), 'U'.repeat(20), 'ÄÖÜÄÖ-ÄÖÜÄÖ-ÄÖÜÄÖ-ÄÖÜÄÖ'];

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

describe('receipt lookups', () => {
let env;
let receipt;

before(async () => {
  env = await startServer({ sector: false });
  const r = await new Client(env.base).post('/api/v1/grievances', { narrative: 'Throttle test grievance.', contact_preference: 'anonymous' });
  assert.equal(r.status, 201, r.text);
  receipt = r.data.receipt;
});

after(async () => {
  if (env) await env.stop();
});

async function lookup(c, code, path = '/api/v1/receipt/status') {
  const t = process.hrtime.bigint();
  const r = await c.post(path, { receipt: code });
  return { ...r, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

test('every wrong receipt gets the identical 404 body, in similar time', async () => {
  const c = new Client(env.base);
  // Warm up the connection pool and code paths.
  await lookup(c, receipt);
  const wellFormed = [];
  const malformed = [];
  const bodies = new Set();
  const m = await c.post('/api/v1/receipt/messages', { receipt: randomReceipt(), text: 'Anyone there?' });
  // Interleave the two kinds; stop before the per-source throttle would
  // start (a 429 is checked in the next test).
  for (let i = 0; i < 5; i++) {
    const a = await lookup(c, randomReceipt());
    const b = await lookup(c, MALFORMED[i % MALFORMED.length]);
    for (const r of [a, b]) {
      if (r.status === 429) continue;
      assert.equal(r.status, 404, r.text);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
      bodies.add(r.text);
    }
    if (a.status === 404) wellFormed.push(a.ms);
    if (b.status === 404) malformed.push(b.ms);
  }
  assert.equal(bodies.size, 1, [...bodies].join('\n'));
  // The same body on every receipt endpoint apart from its own path.
  assert.equal(m.status, 404, m.text);
  assert.equal(m.text.replace('/api/v1/receipt/messages', '/api/v1/receipt/status'), [...bodies][0]);
  assert.ok(wellFormed.length >= 3 && malformed.length >= 3, `${wellFormed.length}/${malformed.length} samples`);
  const a = median(wellFormed);
  const b = median(malformed);
  // Loose: no early exit on the format (which would be far faster).
  assert.ok(Math.abs(a - b) < 5 || (a / b < 3 && b / a < 3), `medians ${a.toFixed(2)} ms vs ${b.toFixed(2)} ms`);
});

test('guessing ends in 429 with Retry-After while a valid receipt still works', async () => {
  const c = new Client(env.base);
  let throttled = null;
  let n = 0;
  for (; n < 2000 && !throttled; n++) {
    const r = await lookup(c, randomReceipt());
    if (r.status === 429) throttled = r;
    else assert.equal(r.status, 404, r.text);
  }
  assert.ok(throttled, `no 429 after ${n} wrong receipts`);
  assert.match(throttled.headers.get('content-type'), /^application\/problem\+json/);
  const ra = Number(throttled.headers.get('retry-after'));
  assert.ok(Number.isInteger(ra) && ra >= 1, `Retry-After ${throttled.headers.get('retry-after')}`);
  // Still throttled for wrong ones, malformed ones too; identical 429 bodies.
  const again = await lookup(c, randomReceipt());
  const again2 = await lookup(c, 'x');
  assert.equal(again.status, 429);
  assert.equal(again2.status, 429);
  assert.equal(again.text, again2.text);
  // The valid receipt is never throttled, on every receipt endpoint.
  for (let i = 0; i < 20; i++) {
    const ok = await lookup(c, receipt);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data.state, 'received');
  }
  const msg = await c.post('/api/v1/receipt/messages', { receipt, text: 'Still here.' });
  assert.equal(msg.status, 200, msg.text);
  // Concurrently too.
  const rs = await Promise.all(Array.from({ length: 16 }, (_, i) => lookup(c, i % 2 ? receipt : randomReceipt())));
  for (const [i, r] of rs.entries()) assert.equal(r.status, i % 2 ? 200 : 429, r.text);
  // Bad input that is not a receipt at all is a 422, not counted as a guess.
  const bad = await c.post('/api/v1/receipt/status', { receipt: 5 });
  assert.equal(bad.status, 422);
  assert.equal(bad.data.field, '/receipt');
});
});
