// Shared harness for the integration suites: a throw-away installation in a
// temporary directory (hrdd init + one staff account per role in two
// organisations, plus a sector body), a real `hrdd serve` on a free loopback
// port, and a small HTTP client that signs in over the API and sends the
// CSRF header. Only node built-ins; fetch is global in node 20.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm, access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');

export const ROLES = ['admin', 'hr_lead', 'case_handler', 'analyst', 'auditor'];
export const PASSWORD = 'integration-test-password-1';

// The policy table of src/core (core_authz_allows), restated independently.
export const POLICY = {
  public: null, // everyone, anonymous included
  signed_in: ['admin', 'hr_lead', 'case_handler', 'analyst', 'auditor'],
  org_read: ['admin', 'hr_lead', 'auditor'],
  users_manage: ['admin'],
  org_manage: ['admin'],
  tokens_manage: ['admin'],
  metrics: ['admin'],
  audit_read: ['admin', 'auditor'],
  cases_read: ['admin', 'hr_lead', 'case_handler'],
  cases_handle: ['admin', 'case_handler'],
  stats_read: ['admin', 'hr_lead', 'case_handler', 'analyst'],
  mechanisms_manage: ['admin', 'case_handler'],
  dd_read: ['admin', 'hr_lead', 'case_handler', 'analyst', 'auditor'],
  dd_edit: ['admin', 'hr_lead', 'analyst'],
  dd_approve: ['admin', 'hr_lead'],
  tr_read: ['admin', 'hr_lead', 'case_handler', 'analyst', 'auditor'],
  tr_manage: ['admin', 'analyst'],
  assess_read: ['admin', 'hr_lead', 'case_handler', 'analyst', 'auditor'],
  assess_edit: ['admin', 'hr_lead', 'analyst'],
  assess_publish: ['admin', 'hr_lead'],
};

export function permName(p) {
  return String(p).toLowerCase().replace(/^core_perm_/, '');
}

export function roleAllowed(perm, role) {
  const allowed = POLICY[permName(perm)];
  if (allowed === undefined) throw new Error(`no expectation for permission ${perm}`);
  if (allowed === null) return true;
  if (role === null) return false;
  return allowed.includes(role);
}

async function findBin() {
  if (process.env.HRDD_BIN) return process.env.HRDD_BIN;
  for (const d of ['build', 'build-api', 'build-cli', 'build-server']) {
    const p = join(REPO, d, 'src', 'cli', 'hrdd');
    try {
      await access(p);
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error('hrdd binary not found: set HRDD_BIN');
}

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// HRDD_WRAP: a command the server runs under, split on spaces (make
// check-valgrind: "valgrind --leak-check=full ..."); its exit status decides
// stop() as the server's own would. HRDD_TIME_SCALE multiplies the waits for
// start-up and shutdown (and suites may scale their own) for slow wrappers.
export const TIME_SCALE = Number(process.env.HRDD_TIME_SCALE) > 0 ? Number(process.env.HRDD_TIME_SCALE) : 1;
export const WRAP = (process.env.HRDD_WRAP ?? '').split(/\s+/).filter(Boolean);

// [command, args] that run `bin ARGS` under HRDD_WRAP when it is set: every
// suite that starts a server of its own starts it through this.
export function wrapped(bin, args) {
  return WRAP.length ? [WRAP[0], [...WRAP.slice(1), bin, ...args]] : [bin, args];
}

// Runs `hrdd ARGS` and returns stdout; throws with stderr on failure.
export async function hrdd(bin, args, env = {}) {
  try {
    const { stdout } = await execFileP(bin, args, {
      env: { ...process.env, HRDD_PWHASH_COST: 'min', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    throw new Error(`hrdd ${args.join(' ')} failed (${e.code}): ${e.stderr || e.message}`);
  }
}

// The server's own route table (hidden command `hrdd routes --json`), as
// [{method, pattern, perm, kind}] with one entry per method.
export async function routeTable(bin) {
  const out = await hrdd(bin ?? (await findBin()), ['routes', '--json']);
  let data = JSON.parse(out);
  if (!Array.isArray(data)) data = data.routes;
  const rows = [];
  for (const r of data) {
    let methods = r.methods ?? r.method;
    if (typeof methods === 'string') methods = methods.split(/[ ,|]+/);
    for (const m of methods) {
      const mu = String(m).toUpperCase();
      if (mu === 'HEAD' && methods.map((x) => String(x).toUpperCase()).includes('GET')) continue;
      if (mu === '') continue;
      rows.push({
        method: mu,
        pattern: r.pattern ?? r.path,
        perm: permName(r.perm ?? r.permission),
        kind: String(r.kind ?? 'api').toLowerCase(),
      });
    }
  }
  return rows;
}

// A cookie-keeping client for one principal.
export class Client {
  constructor(base, { token = null } = {}) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
    this.token = token;
    this.me = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keepCookies(res) {
    const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    for (const c of list) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // opts: json (object -> JSON body), body (raw), headers, csrf (default true), redirect
  async req(method, path, opts = {}) {
    const headers = { ...(opts.headers ?? {}) };
    if (this.cookies.size && !('cookie' in headers)) headers.cookie = this.cookieHeader();
    if (this.token && !('authorization' in headers)) headers.authorization = `Bearer ${this.token}`;
    if (this.csrf && opts.csrf !== false) headers['x-csrf-token'] = this.csrf;
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      if (!('content-type' in headers)) headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: opts.redirect ?? 'manual' });
    this.keepCookies(res);
    const text = await res.text();
    let data = null;
    const ct = res.headers.get('content-type') ?? '';
    if (/json/.test(ct) && text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    return { status: res.status, headers: res.headers, text, data, ct };
  }

  get(path, opts) { return this.req('GET', path, opts); }
  post(path, json, opts = {}) { return this.req('POST', path, { ...opts, json }); }
  patch(path, json, opts = {}) { return this.req('PATCH', path, { ...opts, json }); }
  del(path, opts) { return this.req('DELETE', path, opts); }

  async login(email, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/session', { json: { email, password } });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
    this.csrf = r.data.csrf_token;
    this.me = r.data;
    return r;
  }
}

const DOMAINS = { a: 'acme.test', b: 'other.test' };
export function emailOf(role, org = 'a') {
  return `${role.replace('_', '-')}@${DOMAINS[org] ?? org}`;
}

// Starts a fresh installation:
//   org A "Acme Social" (slug from init), staff <role>@acme.test for every role;
//   org B "Other" (slug "other"), staff <role>@other.test for every role;
//   org S "Sector" (slug "sector", kind sector_body) with admin@sector.test, when the CLI can.
// Returns {base, bin, dir, db, orgA, orgB, sector, stop(), client(), login(role, org)}.
// Engines the suites can run on: SQLite always, PostgreSQL when the test
// runner exported HRDD_TEST_PG_URL (tests/run_all.py starts one).
export const ENGINES = process.env.HRDD_TEST_PG_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
// The test PostgreSQL's data directory (scripts/pgtest start DIR keeps it in
// DIR/data; tests/run_all.py exports DIR as HRDD_TEST_PG_DIR), or null.
export const PG_DATA_DIR = process.env.HRDD_TEST_PG_DIR ? join(process.env.HRDD_TEST_PG_DIR, 'data') : null;

// Runs SQL on the test PostgreSQL server (as its superuser), e.g. CHECKPOINT.
export async function pgAdmin(sql) {
  const { stdout } = await execFileP('psql', [process.env.HRDD_TEST_PG_URL, '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return stdout;
}

// A fresh database on the test PostgreSQL server (psql, trust auth on loopback).
async function pgDatabase() {
  const url = new URL(process.env.HRDD_TEST_PG_URL);
  const name = `hrdd_it_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  await execFileP('psql', [url.toString(), '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
  const admin = url.toString();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => execFileP('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {}),
  };
}

export async function startServer(opts = {}) {
  const made = [];
  try {
    return await start(opts, made);
  } catch (e) {
    // Leave nothing behind when set-up fails (the error says why).
    for (const undo of made.reverse()) await undo().catch(() => {});
    throw e;
  }
}

async function start({ sector = true, engine = 'sqlite', serveArgs = [] } = {}, made) {
  const serveBin = await findBin();
  // HRDD_SETUP_BIN: another build for the set-up commands (e.g. to run only
  // the server under a sanitizer); defaults to HRDD_BIN.
  const bin = process.env.HRDD_SETUP_BIN || serveBin;
  const dir = await mkdtemp(join(tmpdir(), 'hrdd-it-'));
  if (!process.env.HRDD_KEEP_TMP) made.push(() => rm(dir, { recursive: true, force: true }));
  let db = join(dir, 't.db');
  let pg = null;
  const cmdEnv = { HRDD_SECRET_FILE: join(dir, 'secret') };
  if (engine === 'postgresql') {
    pg = await pgDatabase();
    if (!process.env.HRDD_KEEP_TMP) made.push(pg.drop);
    db = pg.url;
  }
  const run = (args) => hrdd(bin, args, cmdEnv);
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, PASSWORD + '\n', { mode: 0o600 });

  await run(['init', '--db', db, '--org', 'Acme Social', '--admin-email', emailOf('admin', 'a'),
    '--admin-password-file', pwfile]);
  await run(['org', 'add', '--db', db, '--slug', 'other', '--name', 'Other']);
  let sectorOk = false;
  if (sector) {
    try {
      await run(['org', 'add', '--db', db, '--slug', 'sector', '--name', 'Sector Body', '--kind', 'sector_body']);
      sectorOk = true;
    } catch {
      sectorOk = false;
    }
  }
  const adds = [];
  for (const role of ROLES) {
    if (role !== 'admin') adds.push(['user', 'add', '--db', db, '--email', emailOf(role, 'a'), '--role', role,
      '--password-file', pwfile, '--name', `A ${role}`]);
    adds.push(['user', 'add', '--db', db, '--email', emailOf(role, 'b'), '--role', role,
      '--password-file', pwfile, '--org', 'other', '--name', `B ${role}`]);
  }
  if (sectorOk) adds.push(['user', 'add', '--db', db, '--email', 'admin@sector.test', '--role', 'admin',
    '--password-file', pwfile, '--org', 'sector', '--name', 'Sector admin']);
  for (const a of adds) await run(a);   // sequential: one SQLite writer at a time

  // The server process; halt() and restart() let a suite stop it (SIGTERM or
  // SIGKILL) and start it again on the same database and secret.
  let child = null;
  let exited = null;
  let stderr = '';
  let base = '';
  let port = 0;
  const launch = async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    exited = null;
    const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...serveArgs];
    const proc = spawn(...wrapped(serveBin, args), {
      env: { ...process.env, HRDD_PWHASH_COST: 'min', ...cmdEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    proc.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    proc.on('exit', (code, sig) => { if (child === proc) exited = { code, sig }; });
    const deadline = Date.now() + 15000 * TIME_SCALE;
    for (;;) {
      if (exited) throw new Error(`hrdd serve exited ${JSON.stringify(exited)}: ${stderr.slice(-4000)}`);
      try {
        const r = await fetch(base + '/healthz');
        if (r.status === 200) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) {
        proc.kill('SIGTERM');
        throw new Error(`hrdd serve did not become healthy: ${stderr.slice(-4000)}`);
      }
      await sleep(50);
    }
  };
  const halt = async (signal = 'SIGTERM') => {
    if (exited === null && child) {
      const proc = child;
      proc.kill(signal);
      const t = signal === 'SIGKILL' ? null : setTimeout(() => proc.kill('SIGKILL'), 5000 * TIME_SCALE);
      await new Promise((r) => (exited ? r() : proc.once('exit', r)));
      if (t) clearTimeout(t);
    }
    return exited;
  };
  made.push(() => halt('SIGKILL'));
  await launch();

  const env = {
    get base() { return base; },
    get port() { return port; },
    bin, dir, db, pwfile, engine,
    sectorOk,
    secretFile: cmdEnv.HRDD_SECRET_FILE,
    stderr: () => stderr,
    alive: () => exited === null,
    client: (opts) => new Client(base, opts),
    async login(role, org = 'a') {
      const c = new Client(base);
      await c.login(emailOf(role, org));
      return c;
    },
    // Stops the server (SIGTERM by default, or SIGKILL) and keeps every file;
    // returns {code, sig}. stop() still cleans up afterwards.
    halt,
    // Starts the server again on the same database, on a new port (env.base changes).
    async restart() {
      await halt('SIGKILL');
      stderr = '';
      await launch();
    },
    async stop() {
      await halt('SIGTERM');
      if (!process.env.HRDD_KEEP_TMP) {
        await rm(dir, { recursive: true, force: true });
        if (pg) await pg.drop();
      }
      // A graceful stop exits 0; anything else (a sanitizer report, a crash) fails the suite.
      if (exited.code !== 0 || /runtime error:|Sanitizer/.test(stderr))
        throw new Error(`hrdd serve exited ${JSON.stringify(exited)}: ${stderr.slice(-6000)}`);
      return exited;
    },
  };
  // The organisations as the API sees them.
  const a = await env.login('admin', 'a');
  env.orgA = a.me.org;
  const b = await env.login('admin', 'b');
  env.orgB = b.me.org;
  if (sectorOk) {
    const s = new Client(base);
    await s.login('admin@sector.test');
    env.sector = s.me.org;
  }
  return env;
}

// Security headers every response must carry.
export function securityHeaderProblems(headers) {
  const out = [];
  const csp = headers.get('content-security-policy') ?? '';
  if (!csp) out.push('no Content-Security-Policy');
  if (!/frame-ancestors\s+'none'/.test(csp)) out.push("CSP lacks frame-ancestors 'none'");
  const script = /(?:^|;)\s*script-src([^;]*)/.exec(csp) ?? /(?:^|;)\s*default-src([^;]*)/.exec(csp);
  if (!script) out.push('CSP has neither script-src nor default-src');
  else if (/'unsafe-inline'|'unsafe-eval'/.test(script[1])) out.push('CSP allows inline script');
  if ((headers.get('x-content-type-options') ?? '').toLowerCase() !== 'nosniff') out.push('no X-Content-Type-Options: nosniff');
  if ((headers.get('referrer-policy') ?? '').toLowerCase() !== 'no-referrer') out.push('no Referrer-Policy: no-referrer');
  return out;
}
