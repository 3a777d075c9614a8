// Transparency (issue 5) against a real server: statements of reasons are
// ingested with `hrdd transparency ingest` (the real DSA dumps, V1 and V2),
// then the public API and page show the stored aggregates; the DSA Annex I
// CSV downloads carry exactly the official header of each part; government
// requests are imported by staff with TR_MANAGE only, bad input is a
// problem+json naming the field, and the public report shows them by country.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, hrdd, REPO } from './lib/server.mjs';

const SOR = join(REPO, '..', 'shared', 'data', 'dsa-sor');
const TPL = join(REPO, '..', 'shared', 'data', 'dsa-templates');
let env;
let slug;
let haveData = true;

before(async () => {
  env = await startServer({ sector: false });
  slug = env.orgA.slug;
  try {
    await access(SOR);
    await access(TPL);
  } catch {
    haveData = false;
  }
  if (haveData) {
    const files = (await readdir(SOR)).filter((f) => f.endsWith('.csv')).map((f) => join(SOR, f));
    await hrdd(env.bin, ['transparency', 'ingest', '--db', env.db, '--org', slug, ...files],
      { HRDD_SECRET_FILE: env.secretFile });
  }
});

after(async () => {
  if (env) await env.stop();
});

function firstLine(text) {
  const i = text.indexOf('\n');
  return (i < 0 ? text : text.slice(0, i)).replace(/\r$/, '');
}

test('the public JSON report counts the ingested statements', { skip: !haveData && 'no shared data' }, async () => {
  const anon = env.client();
  const r = await anon.req('GET', `/api/v1/transparency/${slug}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.org.slug, slug);
  assert.equal(r.data.statements.total, 99);   // 100 rows, one uuid twice
  const sum = r.data.by_category.reduce((n, x) => n + x.count, 0);
  assert.equal(sum, 99);
  assert.ok(r.data.trend.length > 0);
  const day = await anon.req('GET', `/api/v1/transparency/${slug}?from=2025-07-01&to=2025-07-01`);
  assert.equal(day.status, 200);
  assert.ok(day.data.statements.total > 0 && day.data.statements.total < 99);
  const bad = await anon.req('GET', `/api/v1/transparency/${slug}?from=2025-13-01`);
  assert.equal(bad.status, 400);
  assert.match(bad.ct, /^application\/problem\+json/);
  const none = await anon.req('GET', '/api/v1/transparency/no-such-org');
  assert.equal(none.status, 404);
});

test('DSA CSV downloads carry exactly the official header of each part', { skip: !haveData && 'no shared data' }, async () => {
  const anon = env.client();
  const names = await readdir(TPL);
  for (let part = 1; part <= 11; part++) {
    const tpl = names.find((n) => n.includes(`_CSV_Part_${part}_`));
    const official = firstLine(await readFile(join(TPL, tpl), 'utf8'));
    const r = await anon.req('GET', `/api/v1/transparency/${slug}/dsa/${part}`);
    assert.equal(r.status, 200, `part ${part}: ${r.text.slice(0, 200)}`);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.equal(firstLine(r.text), official, `part ${part}`);
  }
  const all = await anon.req('GET', `/api/v1/transparency/${slug}/dsa/all`);
  assert.equal(all.status, 200);
  const bad = await anon.req('GET', `/api/v1/transparency/${slug}/dsa/12`);
  assert.equal(bad.status, 404);
});

test('government requests: staff import, field errors, public report', async () => {
  const admin = await env.login('admin');
  const auditor = await env.login('auditor');
  const line = {
    kind: 'user_data', period_start: '2025-01-01', period_end: '2025-06-30', country: 'DE',
    authority_type: 'law_enforcement', legal_process: 'court_order', requests: 120,
    accounts_specified: 180, complied_percent: 62.5,
  };
  const path = `/api/v1/transparency/${slug}/requests`;
  // a role without tr_manage
  const denied = await auditor.req('POST', path, { json: { requests: [line] } });
  assert.equal(denied.status, 403, denied.text);
  // bad input: the field is named
  const bad = await admin.req('POST', path, { json: { requests: [line, { ...line, country: 'Germany' }] } });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.ct, /^application\/problem\+json/);
  assert.equal(bad.data.field, '/requests/1/country');
  const badKind = await admin.req('POST', path, { json: { requests: [{ ...line, kind: 'takedown' }] } });
  assert.equal(badKind.status, 422);
  assert.equal(badKind.data.field, '/requests/0/kind');
  const badCsv = await admin.req('POST', path, {
    body: 'kind,period_start,period_end,country,authority_type,legal_process,requests,accounts_specified,complied_percent\n'
      + 'removal,2025-01-01,2025-06-30,FR,judicial,warrant,10,12,140\n',
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(badCsv.status, 422);
  assert.equal(badCsv.data.field, '/complied_percent');
  // nothing was stored by the bad attempts
  const anon = env.client();
  let pub = await anon.req('GET', path);
  assert.equal(pub.status, 200);
  assert.equal(pub.data.user_data.total.requests, 0);
  // good JSON, then CSV
  const ok = await admin.req('POST', path, { json: { requests: [line] } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.imported, 1);
  const okCsv = await admin.req('POST', path, {
    body: 'kind,period_start,period_end,country,authority_type,legal_process,requests,accounts_specified,complied_percent\n'
      + 'user_data,2025-01-01,2025-06-30,FR,judicial,warrant,80,90,50\n'
      + 'removal,2025-01-01,2025-06-30,FR,regulatory,administrative_order,10,12,100\n',
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(okCsv.status, 200, okCsv.text);
  pub = await anon.req('GET', path);
  assert.equal(pub.data.user_data.total.requests, 200);
  assert.equal(pub.data.user_data.total.complied_percent, 57.5);
  assert.deepEqual(pub.data.user_data.by_country.map((c) => c.country), ['DE', 'FR']);
  assert.equal(pub.data.removal.total.requests, 10);
  // the other organisation sees none of it
  const other = await anon.req('GET', '/api/v1/transparency/other/requests');
  assert.equal(other.data.user_data.total.requests, 0);
  // staff list of ingest runs
  const runs = await admin.req('GET', `/api/v1/transparency/${slug}/ingests`);
  assert.equal(runs.status, 200);
  if (haveData) assert.equal(runs.data.ingests[0].rows_new, 99);
});

test('the public transparency page shows charts and figures without signing in', { skip: !haveData && 'no shared data' }, async () => {
  const anon = env.client();
  const r = await anon.req('GET', `/orgs/${slug}/transparency`);
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.match(r.ct, /^text\/html/);
  assert.match(r.text, /<svg[^>]*role="img"/);
  assert.match(r.text, /Illegal or harmful speech/);
  assert.ok(r.text.replaceAll('&#47;', '/').includes(`/api/v1/transparency/${slug}/dsa/5?`), 'DSA download link');
  // the shares are percentages in the page language (web_fmt_pct), not C's "%.1f %"
  assert.match(r.text, />\d{1,3}\.\d%</, 'English share like 12.3%');
  const fr = await anon.req('GET', `/orgs/${slug}/transparency?lang=fr`);
  assert.equal(fr.status, 200);
  assert.match(fr.text, />\d{1,3},\d\u202f%</, 'French share like 12,3 %');
  assert.doesNotMatch(fr.text, />\d{1,3}\.\d %</);
  const staff = await anon.req('GET', '/transparency');
  assert.ok([302, 303, 401].includes(staff.status), `staff page for anonymous: ${staff.status}`);
  const missing = await anon.req('GET', '/orgs/no-such-org/transparency');
  assert.equal(missing.status, 404);
});

test('the staff page lists ingest runs and imports requests through the form', async () => {
  const admin = await env.login('admin');
  const page = await admin.req('GET', '/transparency');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="data"/);
  const body = new URLSearchParams({
    csrf: admin.csrf ?? '',
    data: 'kind,period_start,period_end,country,authority_type,legal_process,requests,accounts_specified,complied_percent\n'
      + 'removal,2025-07-01,2025-12-31,XX1,judicial,warrant,1,1,1\n',
  });
  const bad = await admin.req('POST', '/transparency/requests', {
    body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /country/);
  const analyst = await env.login('analyst');
  const ap = await analyst.req('GET', '/transparency');
  assert.equal(ap.status, 200);
  const hr = await env.login('hr_lead');
  const hp = await hr.req('GET', '/transparency');
  assert.equal(hp.status, 200);
  assert.doesNotMatch(hp.text, /name="data"/);   // hr_lead reads but does not manage
});

test('hrdd transparency ingest: exit 1 when rows are rejected (the rest kept), 2 for a broken archive', { skip: !haveData && 'no shared data' }, async () => {
  const v2 = join(SOR, (await readdir(SOR)).find((f) => f.startsWith('sor-global-2025')));
  const lines = (await readFile(v2, 'utf8')).split('\n');
  // header + the first row with a fresh uuid, + the same row with an unknown category
  const row = lines[1].replace(/^[0-9a-f-]{36}/, '0f0f0f0f-0000-4000-8000-000000000001');
  const bad = lines[1].replace(/^[0-9a-f-]{36}/, '0f0f0f0f-0000-4000-8000-000000000002')
    .replace('STATEMENT_CATEGORY_', 'STATEMENT_CATEGORY_NOT_A_');
  const file = join(env.dir, 'some-bad.csv');
  await writeFile(file, `${lines[0]}\n${row}\n${bad}\n`);
  const rejects = join(env.dir, 'rejects.csv');
  const run = (args) => spawnSync(env.bin, args, { env: { ...process.env, HRDD_SECRET_FILE: env.secretFile }, encoding: 'utf8' });
  const r1 = run(['transparency', 'ingest', '--db', env.db, '--org', 'other', '--rejects', rejects, file]);
  assert.equal(r1.status, 1, r1.stderr);
  const out = JSON.parse(r1.stdout);
  assert.deepEqual([out.rows_read, out.rows_new, out.rows_rejected], [2, 1, 1]);
  const rj = await readFile(rejects, 'utf8');
  assert.match(rj, /,2,category,/);
  const zip = join(env.dir, 'broken.zip');
  await writeFile(zip, Buffer.from('PK\u0003\u0004 not really a zip archive at all'));
  const r2 = run(['transparency', 'ingest', '--db', env.db, '--org', 'other', zip]);
  assert.equal(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, /broken\.zip/);
  const r3 = run(['transparency', 'report', '--db', env.db, '--org', 'other', '--format', 'nope']);
  assert.equal(r3.status, 2);
  // the good row of the first run is in the other organisation's report, nothing of the broken archive
  const rep = await env.client().req('GET', '/api/v1/transparency/other');
  assert.equal(rep.data.statements.total, 1);
});
