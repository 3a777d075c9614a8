// Shared pieces of the fault-injection suites (fault-*.test.mjs): a load of
// grievance submissions (JSON API and the /report form) that keeps every
// receipt it was given, a judge of each answer during a fault (201 with a
// receipt, or a clear 5xx: problem+json for the API, an HTML page for
// pages, Retry-After on 503), and the invariants checked after each fault:
// every acknowledged grievance is still there (its receipt works), the
// server takes new ones, and `hrdd audit verify` passes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Client, hrdd } from './server.mjs';

const execFileP = promisify(execFile);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const RECEIPT = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/;

// What the load saw. receipts: every code a 201 carried; bad: answers that
// break the rules (a 201 without a receipt, a 4xx, a 5xx without a clear
// body, a 503 without Retry-After); statuses: counts per status ('reset'
// for a dropped connection, which acknowledges nothing).
export class Tally {
  constructor() {
    this.receipts = [];
    this.bad = [];
    this.statuses = {};
    this.sample = {};               // one body per status, for the report
  }

  count(s) { this.statuses[s] = (this.statuses[s] ?? 0) + 1; }

  // kind: 'api' (problem+json expected) or 'page' (an HTML page expected).
  judge(kind, r, receipt) {
    this.count(r.status);
    if (!(r.status in this.sample)) this.sample[r.status] = r.text.slice(0, 300);
    const ct = r.headers.get('content-type') ?? '';
    if (r.status === 201) {
      if (receipt && RECEIPT.test(receipt)) this.receipts.push(receipt);
      else this.bad.push(`${kind} 201 without a receipt: ${r.text.slice(0, 200)}`);
      return;
    }
    if (r.status < 500) {
      this.bad.push(`${kind} ${r.status} during a fault (not a server error): ${r.text.slice(0, 200)}`);
      return;
    }
    if (kind === 'api' && !/^application\/problem\+json/.test(ct))
      this.bad.push(`api ${r.status} with ${ct}, not problem+json: ${r.text.slice(0, 200)}`);
    if (kind === 'page' && !/^text\/html/.test(ct))
      this.bad.push(`page ${r.status} with ${ct}, not an HTML page: ${r.text.slice(0, 200)}`);
    if (r.status === 503 && !/^\d+$/.test(r.headers.get('retry-after') ?? ''))
      this.bad.push(`${kind} 503 without Retry-After`);
  }
}

let serial = 0;
function narrative(tag) {
  return `Fault load ${tag} ${process.pid}-${++serial}: my post was removed and my account suspended ` +
    'without any reason given, and I lost the income I earn from it.';
}

async function send(url, init, timeoutMs) {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal: ac.signal, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } finally {
    clearTimeout(t);
  }
}

// Files one grievance over the JSON API; judges the answer into tally.
// Returns the status, or 'reset' when the connection failed (no answer).
export async function fileApi(base, tally, { timeoutMs = 30000, file = false } = {}) {
  const body = { narrative: narrative('api'), contact_preference: 'anonymous' };
  if (file) body.attachments = [{ filename: 'evidence.txt', data: Buffer.from('x'.repeat(file)).toString('base64') }];
  let r;
  try {
    r = await send(`${base}/api/v1/grievances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }, timeoutMs);
  } catch {
    tally.count('reset');
    return 'reset';
  }
  let receipt = null;
  try {
    receipt = JSON.parse(r.text).receipt ?? null;
  } catch {
    /* not JSON */
  }
  tally.judge('api', r, receipt);
  return r.status;
}

// Files one grievance through the /report form (what a browser without
// JavaScript sends); the receipt is read back from the page's groups.
export async function fileForm(base, tally, { timeoutMs = 30000 } = {}) {
  const form = new URLSearchParams({ narrative: narrative('form'), contact_preference: 'anonymous' });
  let r;
  try {
    r = await send(`${base}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }, timeoutMs);
  } catch {
    tally.count('reset');
    return 'reset';
  }
  let receipt = null;
  if (r.status === 201) {
    const m = /[0-9A-HJKMNP-TV-Z]{5}(?:[\s\S]{0,200}?[0-9A-HJKMNP-TV-Z]{5}){3}/.exec(receiptBlock(r.text));
    if (m) receipt = (m[0].match(/[0-9A-HJKMNP-TV-Z]{5}/g) ?? []).slice(0, 4).join('-');
  }
  tally.judge('page', r, receipt);
  return r.status;
}

// The part of the receipt page that shows the code (report_done.html
// prints it in groups of five); falls back to the whole page.
function receiptBlock(html) {
  const i = html.search(/class="[^"]*receipt/);
  return i >= 0 ? html.slice(i, i + 4000) : html;
}

// Runs `loops` concurrent submission loops until stop() is called; each
// loop alternates API and form submissions when forms is true. tally may be
// a function returning the current one (to split a load into phases).
// A load ends by itself after maxMs, so a failing test never leaves it
// running (and node --test waiting) forever.
export function load(getBase, tallyOf, { loops = 6, forms = true, pauseMs = 0, timeoutMs = 30000, file = 0,
  maxMs = 60000 } = {}) {
  let stopped = false;
  const end = Date.now() + maxMs;
  const loop = async (n) => {
    let i = 0;
    while (!stopped && Date.now() < end) {
      const base = getBase();
      const tally = typeof tallyOf === 'function' ? tallyOf() : tallyOf;
      const st = forms && (i + n) % 3 === 2
        ? await fileForm(base, tally, { timeoutMs })
        : await fileApi(base, tally, { timeoutMs, file: file && i % 4 === 0 ? file : 0 });
      i++;
      if (st === 'reset' || st >= 500) await sleep(20);   // a client backing off
      else if (pauseMs) await sleep(pauseMs);
    }
  };
  const all = Array.from({ length: loops }, (_, n) => loop(n));
  return {
    async stop() {
      stopped = true;
      await Promise.all(all);
    },
  };
}

// Waits until cond() is true (polling), or fails after ms.
export async function until(what, cond, ms = 20000) {
  const t0 = Date.now();
  for (;;) {
    if (await cond()) return Date.now() - t0;
    if (Date.now() - t0 > ms) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

// Every receipt answers 200 (concurrently, 6 at a time); returns the
// failures as "CODE: status".
export async function lostReceipts(base, receipts) {
  const c = new Client(base);
  const bad = [];
  let next = 0;
  const worker = async () => {
    while (next < receipts.length) {
      const receipt = receipts[next++];
      const r = await c.post('/api/v1/receipt/status', { receipt });
      if (r.status !== 200) bad.push(`${receipt}: ${r.status} ${r.text.slice(0, 120)}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return bad;
}

// `hrdd audit verify` on the installation's database: its output, or throws.
export async function auditVerify(env) {
  const out = await hrdd(env.bin, ['audit', 'verify', '--db', env.db], { HRDD_SECRET_FILE: env.secretFile });
  assert.match(out, /audit chain OK: \d+ entries/);
  return out.trim();
}

// The invariants after a fault: the acknowledged grievances are all there,
// a new one is taken (201), and the audit chain verifies.
export async function assertRecovered(env, tally, label) {
  const lost = await lostReceipts(env.base, tally.receipts);
  assert.deepEqual(lost, [], `${label}: ${lost.length} of ${tally.receipts.length} acknowledged grievances lost`);
  const after = new Tally();
  assert.equal(await fileApi(env.base, after), 201, `${label}: no new grievance after recovery: ${JSON.stringify(after.sample)}`);
  assert.equal(await fileForm(env.base, after), 201, `${label}: no new grievance by form after recovery: ${JSON.stringify(after.sample)}`);
  assert.deepEqual(after.bad, []);
  tally.receipts.push(...after.receipts);
  return auditVerify(env);
}

// The pid of the installation's `hrdd serve` (its command line names the
// port it listens on).
export async function serverPid(env) {
  const want = `127.0.0.1:${env.port}`;
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = (await readFile(`/proc/${d}/cmdline`, 'latin1')).split('\0');
      if (argv.includes('serve') && argv.includes(want)) return Number(d);
    } catch {
      /* gone */
    }
  }
  throw new Error(`no hrdd serve process on ${want}`);
}

// Runs a command, resolving to {code, stdout, stderr} (never throws).
export async function run(cmd, args, opts = {}) {
  try {
    const { stdout, stderr } = await execFileP(cmd, args, { maxBuffer: 4 << 20, ...opts });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

// A one-line summary of a tally for the test log.
export function summary(tally) {
  return `statuses ${JSON.stringify(tally.statuses)}, ${tally.receipts.length} receipts`;
}
