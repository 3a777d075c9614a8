// SQL injection: every route of `hrdd routes --json`, signed in as Kestrel's
// admin on the demo installation. Each path parameter, each query parameter
// docs/openapi.json lists, each field of the route's JSON request schema
// (the other fields get plausible values so validation reaches the injected
// one) and each field of the HTML forms the staff pages render for the route
// gets classic payloads (quotes, stacked statements, UNION, placeholders,
// backslashes, NUL, 64 KiB strings, a pg_sleep). Every answer must be < 500,
// carry no database error text and come back quickly; afterwards the records
// that were there are still there, the other organisation is unchanged and
// `hrdd audit verify` passes. Runs on every engine available.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, Client } from './lib/server.mjs';
import { startDemo, pool, openapi, operation, sample, demoIds, fillPath, forms, matches, urlencode } from './lib/attack.mjs';

const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE users;--",
  '1 UNION SELECT NULL,NULL,NULL--',
  '1) OR (1=1',
  '$1',
  "\\'\\\"\\\\",
  'a\u0000b',
  "1; SELECT pg_sleep(6)--",
  "%' AND 1=0 UNION ALL SELECT name FROM sqlite_master--",
  '"; DELETE FROM audit_log; --',
];
const LONG = 'A'.repeat(65536) + "'";
const PER_SLOT = 3;
// Text a database error would leave in a response.
// (Case-sensitive: pages echo the payloads, escaped, in refused form fields.)
const SQL_ERROR = /SQLITE_[A-Z]|sqlite3_|syntax error|SQLSTATE|unrecognized token|unterminated quoted|no such (table|column)|SQL logic error|libpq|PQexec|at or near "|column "[^"]*" does not exist/;
// Routes that end the walk's own session or switch its organisation.
const SKIP = new Set(['DELETE /api/v1/session', 'POST /logout', 'POST /org/switch']);

function payloadsFor(slot) {
  const out = [];
  for (let k = 0; k < PER_SLOT; k++) out.push(PAYLOADS[(slot * PER_SLOT + k) % PAYLOADS.length]);
  if (slot % 7 === 0) out.push(LONG);
  return out;
}

for (const engine of ENGINES) describe(`SQL injection on ${engine}`, () => {
let env;
let admin;
let ids;
const before_ = {};
const problems = [];
let sent = 0;
const statuses = {};

// What the HR lead sees (the walk's admin may recuse itself from a case).
async function snapshot() {
  const O = '/api/v1/orgs/kestrel';
  const out = {};
  const lead = await env.login('hr_lead');
  for (const k of ['users', 'products', 'cases', 'impacts', 'scope-objects', 'policy-commitments', 'stakeholders', 'collectives']) {
    const r = await lead.get(`${O}/${k}?limit=500`);
    assert.equal(r.status, 200, `${k}: ${r.text}`);
    out[k] = r.data.items.map((x) => x.id);
  }
  const dta = new Client(env.base);
  await dta.login(env.accounts.dta_admin.email, env.accounts.dta_admin.password);
  out.dtaUsers = (await dta.get('/api/v1/orgs/dta/users')).text.replace(/"last_login_at":"[^"]*"/g, '');
  out.dtaOrg = (await dta.get('/api/v1/orgs/dta')).text;
  out.mechanisms = (await admin.get('/api/v1/mechanisms?limit=500')).data.items.length;
  return out;
}

before(async () => {
  env = await startDemo(engine);
  await openapi();
  admin = await env.login('admin');
  ids = await demoIds(admin);
  Object.assign(before_, await snapshot());
});

after(async () => {
  if (env) await env.stop();
});

async function check(label, send) {
  const t0 = Date.now();
  let r;
  try {
    r = await send();
  } catch (e) {
    problems.push(`${label}: ${e.message}`);
    return;
  }
  sent++;
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const ms = Date.now() - t0;
  if (r.status >= 500) problems.push(`${label}: ${r.status} ${r.text.slice(0, 200)}`);
  else if (SQL_ERROR.test(r.text)) {
    const m = SQL_ERROR.exec(r.text);
    problems.push(`${label}: ${r.status} database error text: ${r.text.slice(Math.max(0, m.index - 150), m.index + 150)}`);
  }
  else if (ms > 5000) problems.push(`${label}: took ${ms} ms`);   // a pg_sleep(6) that ran
  if (r.status === 401) await admin.login(env.accounts.admin.email, env.accounts.admin.password);
}

test('API routes: every path, query and body parameter', async (t) => {
  const jobs = [];
  let slot = 0;
  for (const r of env.routes) {
    if (r.kind !== 'api' || SKIP.has(`${r.method} ${r.pattern}`)) continue;
    const op = operation(r.method, r.pattern);
    const params = [...r.pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(r.method);
    const base = op?.body ? sample(op.body) : {};
    const send = (path, body) => () => admin.req(r.method, path, hasBody ? { json: body } : {});
    for (const name of params) {
      for (const p of payloadsFor(slot++))
        jobs.push([`${r.method} ${r.pattern} {${name}}=${JSON.stringify(p.slice(0, 20))}`, send(fillPath(r.pattern, ids, { name, value: p }), base)]);
    }
    const path = fillPath(r.pattern, ids);
    for (const q of op?.query ?? []) {
      for (const p of payloadsFor(slot++))
        jobs.push([`${r.method} ${r.pattern} ?${q}=${JSON.stringify(p.slice(0, 20))}`, send(`${path}?${q}=${encodeURIComponent(p)}`, base)]);
    }
    for (const f of op?.bodyFields ?? []) {
      const schema = op.body.properties[f];
      const isArray = (schema.type === 'array') || (Array.isArray(schema.type) && schema.type.includes('array'));
      for (const p of payloadsFor(slot++))
        jobs.push([`${r.method} ${r.pattern} .${f}=${JSON.stringify(p.slice(0, 20))}`, send(path, { ...base, [f]: isArray ? [p] : p })]);
    }
  }
  await pool(jobs, 4, ([label, send]) => check(label, send));
  t.diagnostic(`${sent} requests: ${JSON.stringify(statuses)}`);
  assert.ok(sent > 1000, `only ${sent} requests`);
  assert.deepEqual(problems, []);
});

test('HTML routes: path parameters, filters and every form field', async (t) => {
  problems.length = 0;
  for (const k of Object.keys(statuses)) delete statuses[k];
  const html = env.routes.filter((r) => r.kind === 'html' && !SKIP.has(`${r.method} ${r.pattern}`));
  // The forms of every page, with the demo's ids.
  const found = [];
  await pool(html.filter((r) => r.method === 'GET'), 4, async (r) => {
    const res = await admin.get(fillPath(r.pattern, ids));
    if (/text\/html/.test(res.ct)) for (const f of forms(res.text)) found.push(f);
  });
  const jobs = [];
  let slot = 0;
  for (const r of html) {
    const params = [...r.pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const mine = found.filter((f) => f.method === r.method && matches(r.pattern, f.action || '/'));
    const fields = Object.assign({}, ...mine.map((f) => f.fields));
    if (r.method === 'POST') fields.csrf = admin.csrf;
    const post = (path, body) => () => admin.req('POST', path, { body: urlencode(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (const name of params) {
      for (const p of payloadsFor(slot++)) {
        const path = fillPath(r.pattern, ids, { name, value: p });
        jobs.push([`${r.method} ${r.pattern} {${name}}`, r.method === 'GET' ? () => admin.get(path) : post(path, fields)]);
      }
    }
    const path = fillPath(r.pattern, ids);
    // GET forms are filters: their fields are the page's query parameters.
    const filters = r.method === 'GET' ? found.filter((f) => f.method === 'GET' && matches(r.pattern, f.action || '/')) : [];
    const qfields = Object.assign({}, ...filters.map((f) => f.fields));
    for (const name of Object.keys(r.method === 'GET' ? qfields : fields)) {
      if (name === 'csrf') continue;
      for (const p of payloadsFor(slot++)) {
        if (r.method === 'GET') jobs.push([`GET ${r.pattern} ?${name}`, () => admin.get(`${path}?${urlencode({ ...qfields, [name]: p })}`)]);
        else jobs.push([`POST ${r.pattern} ${name}=${JSON.stringify(p.slice(0, 20))}`, post(path, { ...fields, [name]: p })]);
      }
    }
  }
  await pool(jobs, 4, ([label, send]) => check(label, send));
  t.diagnostic(`${jobs.length} requests: ${JSON.stringify(statuses)}`);
  assert.ok(jobs.length > 300, `only ${jobs.length} requests`);
  assert.deepEqual(problems, []);
});

test('records intact, the other organisation unchanged, the audit chain verifies', async () => {
  assert.ok(env.alive(), 'server still running');
  const now = await snapshot();
  for (const k of ['users', 'products', 'cases', 'impacts', 'scope-objects', 'policy-commitments', 'stakeholders', 'collectives']) {
    const missing = before_[k].filter((id) => !now[k].includes(id));
    assert.deepEqual(missing, [], `${k} lost records`);
  }
  assert.equal(now.dtaUsers, before_.dtaUsers);
  assert.equal(now.dtaOrg, before_.dtaOrg);
  assert.ok(now.mechanisms >= before_.mechanisms);
  const out = await env.auditVerify();
  assert.match(out, /ok|valid|verified/i);
});
});
