// Encryption at rest: after grievances are filed (with distinctive narrative,
// names, e-mail addresses, phone numbers, messages, added information,
// attachments and a handler's note and remedy), the server is stopped and
// the raw database files are scanned byte by byte: SQLite's db, -wal and -shm
// (and anything else next to them), and on PostgreSQL every file of the data
// directory after a CHECKPOINT. None of the submitted strings may appear.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, Client, ENGINES, PG_DATA_DIR, pgAdmin } from './lib/server.mjs';

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

// Which needles occur in which files (raw bytes, UTF-8).
async function scan(files, needles) {
  const hits = [];
  const bufs = needles.map((n) => [n, Buffer.from(n, 'utf8')]);
  let bytes = 0;
  for (const f of files) {
    let data;
    try {
      data = await readFile(f);
    } catch {
      continue;   // PostgreSQL may remove a file between listing and reading
    }
    bytes += data.length;
    for (const [n, b] of bufs) if (data.includes(b)) hits.push(`${n} in ${f}`);
  }
  return { hits, bytes };
}

for (const engine of ENGINES) describe(`encryption at rest on ${engine}`, () => {
let env;
const tag = randomBytes(6).toString('hex');
const S = {
  narrative: `Narrative-${tag}: the recommender pushed self-harm videos to my daughter`,
  name: `Zelda Quixote-${tag}`,
  email: `zelda.${tag}@mail.example`,
  phone: `+44 7700 9${tag.slice(0, 5).replace(/[a-f]/g, '1')}`,
  rights: `Rights-${tag}: health of a child`,
  vulnerable: `Vulnerable-${tag}: minor`,
  outcome: `Outcome-${tag}: stop recommending such content`,
  product: `ProductText-${tag}`,
  message: `Message-${tag}: she is 14 years old`,
  info: `Info-${tag}: screenshots from the app`,
  attachment: `Attachment-${tag}: the screenshot bytes`,
  note: `Note-${tag}: handler thinks this is credible`,
  reply: `Reply-${tag}: which account?`,
  remedy: `Remedy-${tag}: remove videos from the feed`,
};

before(async () => {
  env = await startServer({ sector: false, engine });
});

after(async () => {
  if (env) await env.stop();
});

test('file grievances with distinctive strings and work on them', async () => {
  const anon = new Client(env.base);
  const receipts = [];
  for (const pref of ['confidential', 'named']) {
    const r = await anon.post('/api/v1/grievances', {
      narrative: S.narrative,
      contact_preference: pref,
      contact_name: S.name,
      contact_email: S.email,
      contact_phone: S.phone,
      rights_text: S.rights,
      vulnerable_group: S.vulnerable,
      outcome_sought: S.outcome,
      product_text: S.product,
      country: 'GB',
      affected: 'someone_else',
    });
    assert.equal(r.status, 201, r.text);
    receipts.push(r.data.receipt);
  }
  const a = await anon.post('/api/v1/grievances', { narrative: S.narrative, contact_preference: 'anonymous' });
  assert.equal(a.status, 201, a.text);
  receipts.push(a.data.receipt);
  const receipt = receipts[0];
  let r = await anon.post('/api/v1/receipt/messages', { receipt, text: S.message });
  assert.equal(r.status, 200, r.text);
  r = await anon.post('/api/v1/receipt/info', { receipt, text: S.info });
  assert.equal(r.status, 200, r.text);
  r = await anon.post('/api/v1/receipt/attachments', {
    receipt, filename: 'notes.txt', data: Buffer.from(S.attachment).toString('base64'),
  });
  assert.equal(r.status, 201, r.text);

  const h = await env.login('case_handler');
  const slug = env.orgA.slug;
  const q = await h.get(`/api/v1/orgs/${slug}/cases`);
  assert.equal(q.status, 200, q.text);
  assert.ok(q.data.items.length >= 3);
  const id = q.data.items[q.data.items.length - 1].id;
  r = await h.post(`/api/v1/orgs/${slug}/cases/${id}/notes`, { text: S.note });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  r = await h.post(`/api/v1/orgs/${slug}/cases/${id}/messages`, { text: S.reply, ask: true });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  for (const action of ['acknowledge', 'assess', 'investigate']) {
    r = await h.post(`/api/v1/orgs/${slug}/cases/${id}/actions`, { action });
    assert.equal(r.status, 200, r.text);
  }
  r = await h.post(`/api/v1/orgs/${slug}/cases/${id}/remedies`, { type: 'non_repetition', description: S.remedy });
  assert.equal(r.status, 201, r.text);
  // The staff view does show the clear text (so the test strings really were stored).
  const all = [];
  for (const it of q.data.items) all.push((await h.get(`/api/v1/orgs/${slug}/cases/${it.id}`)).text);
  const seen = all.join('\n');
  for (const k of ['narrative', 'name', 'email', 'message', 'info', 'note', 'remedy'])
    assert.ok(seen.includes(S[k]), `${k} readable by the handler`);
});

test('the stopped database files hold none of them', async () => {
  let files = [];
  if (engine === 'sqlite') {
    await env.halt('SIGTERM');
    for await (const f of walk(env.dir)) files.push(f);
    const names = files.map((f) => f.slice(env.dir.length + 1));
    assert.ok(names.includes('t.db'), names.join(','));
  } else {
    assert.ok(PG_DATA_DIR, 'HRDD_TEST_PG_DIR is exported by tests/run_all.py');
    await env.halt('SIGTERM');
    await pgAdmin('CHECKPOINT');
    for await (const f of walk(PG_DATA_DIR)) files.push(f);
    for await (const f of walk(env.dir)) files.push(f);
    assert.ok(files.some((f) => /\/pg_wal\//.test(f)), 'the WAL is scanned too');
  }
  const { hits, bytes } = await scan(files, Object.values(S));
  assert.ok(bytes > 10000, `scanned ${bytes} bytes in ${files.length} files`);
  assert.deepEqual(hits, []);
  // Control: the scanner does find a string that is stored in the clear.
  const control = await scan(files, [env.orgA.name]);
  assert.ok(control.hits.length > 0, 'the organisation name (stored in the clear) is found');
});
});
