// Receipt enumeration (receipt-throttle.test.mjs covers identical 404s,
// timing and the 429 itself): issued receipts are 100-bit random codes
// (distinct, no shared prefixes, every symbol of the alphabet in use);
// guesses from several clients (distinct loopback source addresses) never
// match, each client is throttled on its own (one throttled client does not
// throttle the next), a valid receipt still works from a throttled client,
// and neither the server's log nor its database files hold any client
// address: the limiter keeps keyed hashes in memory only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startServer, Client } from './lib/server.mjs';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
function randomReceipt() {
  const b = randomBytes(20);
  let s = '';
  for (let i = 0; i < 20; i++) s += CROCKFORD[b[i] % 32] + (i % 5 === 4 && i < 19 ? '-' : '');
  return s;
}
const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];

// POST JSON from a given local address.
function postFrom(port, localAddress, path, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, localAddress, method: 'POST', path,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('receipt enumeration', () => {
let env;
const receipts = [];

before(async () => {
  env = await startServer({ sector: false });
  const anon = new Client(env.base);
  for (let i = 0; i < 24; i++) {
    const r = await anon.post('/api/v1/grievances', { narrative: `Enumeration test ${i}.`, contact_preference: 'anonymous' });
    assert.equal(r.status, 201, r.text);
    receipts.push(r.data.receipt);
  }
});

after(async () => {
  if (env) await env.stop();
});

test('issued receipts look random: distinct, no shared prefix, the whole alphabet', () => {
  for (const r of receipts) assert.match(r, FORMAT);
  assert.equal(new Set(receipts).size, receipts.length);
  assert.equal(new Set(receipts.map((r) => r.slice(0, 8))).size, receipts.length, 'no two share 8 leading symbols');
  const used = new Set(receipts.join('').replace(/-/g, ''));
  assert.equal(used.size, 32, `symbols used: ${[...used].sort().join('')}`);
});

test('guesses from several clients never match, and each client is throttled on its own', async () => {
  const firstThrottled = {};
  for (const src of SOURCES) {
    let n = 0;
    for (; n < 40; n++) {
      const r = await postFrom(env.port, src, '/api/v1/receipt/status', { receipt: randomReceipt() });
      assert.notEqual(r.status, 200, `a random code matched: ${r.text}`);
      if (r.status === 429) break;
      assert.equal(r.status, 404, r.text);
    }
    assert.ok(n >= 3 && n < 40, `${src}: throttled after ${n} guesses`);
    firstThrottled[src] = n;
    // Throttled now, but its own valid receipt still works.
    const ok = await postFrom(env.port, src, '/api/v1/receipt/status', { receipt: receipts[0] });
    assert.equal(ok.status, 200, ok.text);
  }
  // Each new source started with a clean slate (404s before its own 429).
  for (const src of SOURCES) assert.ok(firstThrottled[src] >= 3, `${src} throttled by another client`);
});

test('no client address in the log or the database', async () => {
  await env.halt();
  const log = env.stderr();
  for (const src of SOURCES) assert.ok(!log.includes(src), `${src} in the server log`);
  const dir = dirname(env.db);
  const files = (await readdir(dir)).filter((f) => f.startsWith('t.db'));
  assert.ok(files.length >= 1);
  for (const f of files) {
    const bytes = await readFile(join(dir, f));
    for (const src of SOURCES) assert.equal(bytes.indexOf(src), -1, `${src} in ${f}`);
  }
});
});
