// The demo installation's due diligence register (the issue 4 Done-when
// line on demo data): `hrdd demo` seeds Kestrel Social's register through
// the register service; over the API it holds at least 3 products, 12
// impacts over at least 8 different rights with every involvement kind,
// actual and potential, actions, indicators with at least 6 monthly
// measurements ending this month, engagements with one fatigue warning, an
// approved policy version and a newer draft, an overdue and an upcoming
// assessment, and a demo grievance linked to a potential impact (now
// possibly actual); the staff and public pages render it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, Client, ENGINES, wrapped, TIME_SCALE } from './lib/server.mjs';

const execFileP = promisify(execFile);

for (const engine of ENGINES) describe(`demo register on ${engine}`, () => {

let dir;
let dropDb = null;
let child;
let stderr = '';
let base;
let lead;
const O = '/api/v1/orgs/kestrel';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  const bin = process.env.HRDD_BIN ?? join(REPO, 'build', 'src', 'cli', 'hrdd');
  dir = await mkdtemp(join(tmpdir(), 'hrdd-demo-reg-'));
  let db = join(dir, 'demo', 'hrdd.db');
  const extraArgs = [];
  if (engine === 'postgresql') {
    const url = new URL(process.env.HRDD_TEST_PG_URL);
    const name = `hrdd_demo_${process.pid}_${Date.now().toString(36)}`;
    const admin = url.toString();
    await execFileP('psql', [admin, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
    dropDb = () => execFileP('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {});
    url.pathname = `/${name}`;
    db = url.toString();
    await execFileP('mkdir', ['-p', join(dir, 'demo')]);
    extraArgs.push('--credentials', join(dir, 'demo', 'credentials.txt'), '--secret-file', join(dir, 'demo', 'secret'));
  }
  child = spawn(...wrapped(bin, ['demo', '--db', db, '--listen', '127.0.0.1:0', ...extraArgs,
    '--mechanisms', join(REPO, '..', 'shared', 'data', 'remedy-mechanisms')]), {
    env: { ...process.env, HRDD_PWHASH_COST: 'min' }, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir,
  });
  child.stderr.on('data', (d) => { stderr += d; });
  const deadline = Date.now() + 120000 * TIME_SCALE;
  for (;;) {
    const m = /"msg":"listening","url":"(http:[^"]+)"/.exec(stderr);
    if (m) { base = m[1]; break; }
    if (child.exitCode !== null) throw new Error(`hrdd demo exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`hrdd demo did not start: ${stderr}`);
    await sleep(100);
  }
  const creds = await readFile(join(dir, 'demo', 'credentials.txt'), 'utf8');
  const line = creds.split('\n').find((l) => /\shr_lead\s/.test(l));
  const pw = line.trim().split(/\s+/)[3];
  lead = new Client(base);
  await lead.login('hr.lead@kestrel.example', pw);
});

after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  if (dropDb) await dropDb();
  assert.doesNotMatch(stderr, /runtime error:|Sanitizer/);
  assert.equal(child?.exitCode ?? 0, 0, `hrdd demo: ${stderr.slice(-3000)}`);
});

async function items(path) {
  const r = await lead.get(`${O}/${path}${path.includes('?') ? '&' : '?'}limit=500`);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.data.items;
}

test('the demo seeds the register without errors', () => {
  assert.match(stderr, /writing the due diligence register/);
  assert.doesNotMatch(stderr, /demo register: .* failed/);
});

test('products, business relationships, impacts over rights with every involvement', async () => {
  const scopes = await items('scope-objects');
  assert.ok(scopes.filter((s) => s.kind === 'product' && s.product_id).length >= 3, 'at least 3 products');
  for (const k of ['state_agency', 'supplier', 'investee', 'partner']) assert.ok(scopes.some((s) => s.kind === k), k);
  assert.ok(scopes.some((s) => s.markers.includes('surveillance_to_state')));
  const imps = await items('impacts?sort=salience');
  assert.ok(imps.length >= 12, `${imps.length} impacts`);
  const rights = new Set(imps.flatMap((i) => i.rights));
  assert.ok(rights.size >= 8, `${rights.size} rights`);
  for (const v of ['cause', 'contribute', 'directly_linked']) assert.ok(imps.some((i) => i.involvement === v), v);
  for (const s of ['potential', 'actual', 'possibly_actual']) assert.ok(imps.some((i) => i.status === s), s);
  assert.ok(imps.some((i) => i.status === 'possibly_actual' && i.grievances > 0 && i.reassessment_open),
    'a demo grievance linked to a potential impact made it possibly actual with a reassessment');
  const actions = await items('actions');
  assert.ok(new Set(actions.map((a) => a.kind)).size >= 5, 'actions of several kinds');
  assert.ok(new Set(actions.map((a) => a.function)).size >= 5, 'and functions');
});

test('indicators with at least 6 monthly measurements ending this month', async () => {
  const inds = await items('indicators');
  assert.ok(inds.length >= 3);
  const month = new Date().toISOString().slice(0, 7);
  for (const i of inds) {
    const r = await lead.get(`${O}/indicators/${i.id}`);
    assert.ok(r.data.measurements.length >= 6, i.name);
    assert.equal(r.data.latest_day.slice(0, 7), month, `${i.name} ends this month`);
    const months = new Set(r.data.measurements.map((m) => m.day.slice(0, 7)));
    assert.ok(months.size >= 6, `${i.name}: ${months.size} months`);
  }
  assert.ok(inds.some((i) => i.track === 'on_track') && inds.some((i) => i.track === 'off_track'));
});

test('stakeholders and engagements, one organisation over the fatigue limit', async () => {
  const sh = await items('stakeholders');
  assert.ok(sh.some((s) => s.global_south) && sh.some((s) => s.kind === 'affected_group'));
  const eng = await items('engagements');
  assert.ok(eng.length >= 8);
  let warned = 0;
  for (const s of sh) {
    const r = await lead.get(`${O}/stakeholders/${s.id}/fatigue`);
    if (r.data.warning) warned++;
  }
  assert.ok(warned >= 1, 'one organisation engaged too often this quarter');
  const cov = await lead.get(`${O}/register/coverage`);
  assert.ok(cov.data.covered >= 1 && cov.data.covered < cov.data.impacts);
});

test('policy approved plus a newer draft; assessments overdue and upcoming', async () => {
  const pols = await items('policy-commitments');
  assert.deepEqual(pols.map((p) => p.status), ['draft', 'approved']);
  const due = await lead.get(`${O}/assessments/due?limit=500`);
  assert.ok(due.data.overdue >= 1);
  assert.ok(due.data.items.some((a) => a.due_status === 'upcoming' && a.trigger === 'periodic'));
  const all = await items('assessments');
  assert.ok(all.some((a) => a.status === 'approved') && all.some((a) => a.status === 'completed'));
});

test('the staff and public pages render the register', async () => {
  const imps = await items('impacts?sort=salience');
  const pages = ['/register', '/register/impacts', `/register/impacts/${imps[0].id}`, '/register/assessments',
    '/register/indicators', '/register/stakeholders', '/register/coverage', '/register/policies', '/register/scope',
    '/register/actions'];
  for (const p of pages) {
    const r = await lead.get(p);
    assert.equal(r.status, 200, `${p}: ${r.status}`);
    assert.match(r.ct, /^text\/html/);
  }
  const overview = await lead.get('/register');
  assert.match(overview.text, /<svg/, 'heat map');
  assert.ok(overview.text.includes(imps[0].title.replace(/'/g, '&#39;').slice(0, 30)) ||
    overview.text.includes(imps[0].title.slice(0, 30)), 'top salient issue');
  const anon = new Client(base);
  for (const p of ['/orgs/kestrel/human-rights-report', '/orgs/kestrel/human-rights-policy',
    '/orgs/kestrel/products/kestrel-feed/human-rights']) {
    const r = await anon.get(p);
    assert.equal(r.status, 200, `${p}: ${r.status}`);
    assert.ok(!r.text.includes('Lena Fischer') && !r.text.includes('Signal group'), `${p} leaks staff data`);
  }
  const rep = await anon.get(`${O}/human-rights-report`);
  assert.ok(rep.data.salient_issues.length >= 5);
  assert.ok(rep.data.product_summaries.length >= 1);
});
});
