// Shared helpers of the attack suites (tests/integration/attack-*.test.mjs):
// a demo installation (`hrdd demo`: Kestrel Social with cases in every state,
// a register, assessments; the sector body DTA) served on a free port, the
// route table joined with docs/openapi.json (query parameters and request
// body schemas) and with the forms the HTML pages render, sample values from
// a JSON schema, and a small bounded-concurrency runner. Built-ins only.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, Client, hrdd, routeTable, TIME_SCALE, WRAP, wrapped } from './server.mjs';

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findBin() {
  return process.env.HRDD_BIN ?? join(REPO, 'build', 'src', 'cli', 'hrdd');
}

// Starts `hrdd demo` in a temporary directory on ENGINE. Returns
// {base, bin, db, env, password(role), login(role), receipts, stop()}.
export async function startDemo(engine = 'sqlite') {
  const serveBin = findBin();
  const bin = process.env.HRDD_SETUP_BIN || serveBin;
  const dir = await mkdtemp(join(tmpdir(), 'hrdd-atk-'));
  await mkdir(join(dir, 'demo'));
  let db = join(dir, 'demo', 'hrdd.db');
  let dropDb = null;
  if (engine === 'postgresql') {
    const url = new URL(process.env.HRDD_TEST_PG_URL);
    const name = `hrdd_atk_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const admin = url.toString();
    await execFileP('psql', [admin, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
    dropDb = () => execFileP('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {});
    url.pathname = `/${name}`;
    db = url.toString();
  }
  const secret = join(dir, 'demo', 'secret');
  const cmdEnv = { HRDD_SECRET_FILE: secret, HRDD_PWHASH_COST: 'min' };
  const demoArgs = ['demo', '--db', db, '--listen', '127.0.0.1:0',
    '--credentials', join(dir, 'demo', 'credentials.txt'), '--secret-file', secret,
    '--mechanisms', join(dir, 'no-mechanisms')];
  // Starts `cmd args` and waits for its "listening" line; returns the child,
  // its address and its stderr so far (kept in child.err).
  const launch = async (cmd, args) => {
    const c = spawn(cmd, args, { env: { ...process.env, ...cmdEnv }, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
    c.err = '';
    c.stderr.on('data', (d) => {
      c.err += d;
      if (c.err.length > 1 << 21) c.err = c.err.slice(-(1 << 20));
    });
    const deadline = Date.now() + 120000 * TIME_SCALE;
    for (;;) {
      const m = /"msg":"listening","url":"(http:[^"]+)"/.exec(c.err);
      if (m) return [c, m[1]];
      if (c.exitCode !== null) throw new Error(`hrdd demo exited ${c.exitCode}: ${c.err}`);
      if (Date.now() > deadline) { c.kill('SIGKILL'); throw new Error(`hrdd demo did not start: ${c.err}`); }
      await sleep(50);
    }
  };
  if (WRAP.length) {
    // under a wrapper (make check-valgrind) the demo data is written natively
    // first; the wrapped run then only serves the seeded installation
    const [seed] = await launch(serveBin, demoArgs);
    seed.kill('SIGTERM');
    await new Promise((r) => (seed.exitCode !== null || seed.signalCode !== null ? r() : seed.once('exit', r)));
  }
  const [child, base] = await launch(...wrapped(serveBin, demoArgs));
  const stderrNow = () => child.err;
  const creds = await readFile(join(dir, 'demo', 'credentials.txt'), 'utf8');
  const accounts = {};
  for (const l of creds.split('\n')) {
    const f = l.trim().split(/\s+/);
    if (f.length >= 4 && f[0] === 'kestrel' && /@/.test(f[2])) accounts[f[1]] = { email: f[2], password: f[3] };
    if (f.length >= 4 && f[0] === 'dta' && f[1] === 'admin') accounts.dta_admin = { email: f[2], password: f[3] };
  }
  const receipts = [...creds.matchAll(/\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b/g)].map((m) => m[1]);
  const port = Number(new URL(base).port);
  const env = {
    base, port, bin, db, dir, engine, accounts, receipts,
    stderr: stderrNow,
    alive: () => child.exitCode === null && child.signalCode === null,
    async login(role = 'admin') {
      const a = accounts[role];
      const c = new Client(base);
      await c.login(a.email, a.password);
      return c;
    },
    auditVerify: () => hrdd(bin, ['audit', 'verify', '--db', db], cmdEnv),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10000 * TIME_SCALE);
        await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
        clearTimeout(t);
      }
      if (!process.env.HRDD_KEEP_TMP) {
        await rm(dir, { recursive: true, force: true });
        if (dropDb) await dropDb();
      }
      if (child.exitCode !== 0 || /runtime error:|Sanitizer/.test(child.err))
        throw new Error(`hrdd demo exited ${child.exitCode} ${child.signalCode}: ${child.err.slice(-6000)}`);
    },
  };
  env.routes = await routeTable(serveBin);
  return env;
}

// Runs fn over items with at most `width` at a time; returns the results in order.
export async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

// ---- docs/openapi.json ----

let spec = null;
export async function openapi() {
  if (!spec) spec = JSON.parse(await readFile(join(REPO, 'docs', 'openapi.json'), 'utf8'));
  return spec;
}

export function resolve(s) {
  let guard = 0;
  while (s && s.$ref && guard++ < 20) s = spec.components.schemas[s.$ref.split('/').pop()];
  if (s && (s.oneOf || s.anyOf)) return resolve((s.oneOf || s.anyOf)[0]);
  if (s && s.allOf) {
    const props = {};
    for (const x of s.allOf) Object.assign(props, resolve(x).properties ?? {});
    return { type: 'object', properties: props };
  }
  return s ?? {};
}

// A plausible value for a schema (so that the other fields of a body pass
// validation and the injected one is reached).
export function sample(schema, name = '') {
  const s = resolve(schema);
  if ('example' in s) return s.example;
  if ('default' in s && s.default !== null) return s.default;
  if (s.enum) return s.enum.find((x) => x !== null) ?? null;
  let t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (!t && s.properties) t = 'object';
  switch (t) {
    case 'integer':
    case 'number': return Math.max(1, s.minimum ?? 1);
    case 'boolean': return false;
    case 'array': return [];
    case 'object': {
      const o = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if ((s.required ?? []).includes(k)) o[k] = sample(v, k);
      }
      return o;
    }
    default:
      if (s.format === 'date' || /(_on|_date|^day|date)$/.test(name)) return '2026-06-01';
      if (s.format === 'date-time') return '2026-06-01T00:00:00Z';
      if (s.format === 'email' || /email/.test(name)) return 'attack@kestrel.example';
      if (/country|countries/.test(name)) return 'GB';
      if (/slug/.test(name)) return 'attack-slug';
      return 'attack text';
  }
}

// The operation of METHOD PATTERN: {query: [names], body: schema|null, bodyFields: [names]}.
export function operation(method, pattern) {
  const p = spec.paths[pattern];
  const op = p?.[method.toLowerCase()];
  if (!op) return null;
  const params = [...(p.parameters ?? []), ...(op.parameters ?? [])];
  const query = params.filter((x) => x.in === 'query').map((x) => x.name);
  let body = null;
  const rb = op.requestBody?.content?.['application/json']?.schema;
  if (rb) body = resolve(rb);
  return { query, body, bodyFields: body ? Object.keys(body.properties ?? {}) : [] };
}

// ---- HTML forms ----

function attr(tag, name) {
  const m = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>') : null;
}

// Forms of an HTML page: [{action, method, fields: {name: value}}] (the
// first option of a select, checked boxes only, hidden fields kept).
export function forms(html) {
  const out = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const method = (attr(m[1], 'method') ?? 'get').toUpperCase();
    const action = attr(m[1], 'action') ?? '';
    const fields = {};
    const inner = m[2];
    for (const t of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(t[0], 'name');
      if (!name) continue;
      const type = (attr(t[0], 'type') ?? 'text').toLowerCase();
      if (type === 'file' || type === 'submit') continue;
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/i.test(t[0])) {
        if (!(name in fields) && type === 'radio') fields[name] = attr(t[0], 'value') ?? 'on';
        continue;
      }
      fields[name] = attr(t[0], 'value') ?? (type === 'date' ? '2026-06-01' : type === 'number' ? '1' : 'x');
    }
    for (const t of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(t[1], 'name');
      if (name) fields[name] = t[2] || 'x';
    }
    for (const t of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(t[1], 'name');
      if (!name) continue;
      const opts = [...t[2].matchAll(/<option\b([^>]*)>/gi)].map((o) => attr(o[1], 'value')).filter((v) => v);
      fields[name] = opts[0] ?? '';
    }
    out.push({ action, method, fields });
  }
  return out;
}

// Does PATH match the route PATTERN ({x} = one segment)?
export function matches(pattern, path) {
  const re = new RegExp('^' + pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
  return re.test(path.split('?')[0]);
}

export function urlencode(fields) {
  return Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// Real identifiers of the demo's records, by the route segment before {id}.
export async function demoIds(admin) {
  const O = '/api/v1/orgs/kestrel';
  const first = async (path, pick = (x) => x[0]) => {
    const r = await admin.get(path);
    const items = r.data?.items ?? (Array.isArray(r.data) ? r.data : []);
    const x = items.length ? pick(items) : null;
    return x ? x.id : 1;
  };
  const ids = {};
  ids.users = await first(`${O}/users`, (x) => x.find((u) => !/^admin@/.test(u.email)) ?? x[0]);
  ids.products = await first(`${O}/products`);
  const t = await admin.post(`${O}/tokens`, { name: 'attack-walk', scopes: ['read'] });
  ids.tokens = t.data?.id ?? 1;
  const cases = (await admin.get(`${O}/cases?limit=500`)).data.items;
  // A case with a remedy, a referral and an attachment when the demo has one.
  ids.cases = cases[0].id;
  ids.rid = 1; ids.aid = 1; ids.referral = 1;
  for (const c of cases) {
    const d = (await admin.get(`${O}/cases/${c.id}`)).data;
    if (d?.remedies?.length) { ids.cases = c.id; ids.rid = d.remedies[0].id; ids.aid = d.attachments?.[0]?.id ?? 1; break; }
  }
  // A staff-visible file of any demo case (for the {aid}/{fid} of other routes).
  ids.aidCase = ids.cases;
  for (const c of cases) {
    const d = (await admin.get(`${O}/cases/${c.id}`)).data;
    if (d?.attachments?.length) { ids.aid = d.attachments[0].id; ids.aidCase = c.id; break; }
  }
  // A mechanism, a referral to it and a staff file on that case, which the
  // demo (without the mechanism directory) does not have.
  const me = (await admin.get('/api/v1/me')).data;
  await admin.post(`${O}/cases/${ids.cases}/assign`, { user_id: me.user?.id ?? me.id });
  const m = await admin.post('/api/v1/mechanisms', { slug: 'attack-ombud', kind: 'state_non_judicial', subkind: 'ombudsman',
    name: 'Attack Ombud', jurisdictions: ['GB'], subjects: ['general'] });
  ids.mechanisms = m.data?.id ?? (await first('/api/v1/mechanisms'));
  await admin.post(`${O}/cases/${ids.cases}/referrals`, { mechanism_id: ids.mechanisms, kind: 'parallel' });
  await admin.post(`${O}/cases/${ids.cases}/attachments`, { filename: 'staff.txt', data: Buffer.from('staff file').toString('base64') });
  const kase = (await admin.get(`${O}/cases/${ids.cases}`)).data;
  if (kase?.attachments?.length) { ids.aid = kase.attachments[0].id; ids.aidCase = ids.cases; }
  const refs = (await admin.get(`${O}/cases/${ids.cases}/referrals`)).data?.items ?? [];
  if (refs.length) ids.referral = refs[0].id;
  ids.collectives = await first(`${O}/collectives`);
  for (const k of ['policy-commitments', 'scope-objects', 'impacts', 'assessments', 'actions', 'indicators', 'stakeholders'])
    ids[k] = await first(`${O}/${k}`);
  ids['assess/methodologies'] = await first(`${O}/assess/methodologies`);
  ids['assess/entities'] = await first(`${O}/assess/entities`);
  ids['assess/assessments'] = await first(`${O}/assess/assessments`);
  ids.scorecards = await first('/api/v1/scorecards');
  ids.portfolio = ids['assess/entities'];
  return ids;
}

const ALIAS = {
  'register/impacts': 'impacts', 'register/scope': 'scope-objects', 'register/assessments': 'assessments',
  'register/actions': 'actions', 'register/indicators': 'indicators', 'register/policies': 'policy-commitments',
  'assess/scorecards': 'assess/assessments', 'assess/portfolio': 'assess/entities', 'scorecards': 'scorecards',
};

// The value of path parameter NAME in PATTERN from the demo's ids.
export function idValue(pattern, name, ids) {
  const segs = pattern.split('/');
  const i = segs.indexOf(`{${name}}`);
  if (name === 'org') return 'kestrel';
  if (name === 'rid') return pattern.includes('/referrals/') ? ids.referral : ids.rid;
  if (name === 'aid' || name === 'fid') return ids.aid;
  if (name === 'cid') return ids.collectives;
  if (name === 'part') return 'summary';
  if (name === 'list') return 'impacts';
  if (name === 'slug') return pattern.includes('impact-summaries') ? 'attack' : 'kestrel-app';
  if (name === 'file') return pattern.includes('static') ? 'app.css' : 'register.json';
  let key = segs.slice(Math.max(0, i - 2), i).join('/').replace(/^(api|v1|orgs)\/?/, '');
  if (!(key in ids)) key = segs[i - 1];
  key = ALIAS[key] ?? ALIAS[segs.slice(i - 2, i).join('/')] ?? key;
  return ids[key] ?? 1;
}

export function fillPath(pattern, ids, inject = null) {
  return pattern.replace(/\{([^}]+)\}/g, (_, name) =>
    encodeURIComponent(inject && inject.name === name ? inject.value : String(idValue(pattern, name, ids))));
}

// Audit entries of Kestrel after SEQ, without the server's own time-limit
// checks (sla_*), which run in the background.
export async function auditSince(client, seq) {
  const r = await client.get('/api/v1/orgs/kestrel/audit?limit=200');
  return r.data.items.filter((e) => e.seq > seq && !/^sla_/.test(e.action)).map((e) => `${e.action} ${e.actor ?? ''}`);
}
