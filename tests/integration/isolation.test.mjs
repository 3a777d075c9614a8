// Cross-organisation isolation: staff of organisation A, in every role, and
// an API token of A, can never read or change organisation B's records
// through any route with {org} and/or {id}: B's slug and B's numeric id
// answer 404, B's object ids under A's slug answer exactly what a
// non-existent id answers (never 2xx, never a 403 that a missing id would
// not get), lists never include B's rows, and B's records are unchanged.
// Runs on every engine available (SQLite; PostgreSQL when HRDD_TEST_PG_URL is set).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, routeTable, ROLES, Client, emailOf, ENGINES } from './lib/server.mjs';

const MISSING = '987654321';

for (const engine of ENGINES) describe(`isolation on ${engine}`, () => {
let env;
let orgRoutes;
const B = {};
let bAdmin;

before(async () => {
  env = await startServer({ sector: false, engine });
  // Public routes with {org} (filing a grievance with a named organisation)
  // are open to everyone by design: not a tenant boundary.
  orgRoutes = (await routeTable(env.bin)).filter((r) => r.pattern.includes('{org}') && r.perm !== 'public');
  bAdmin = await env.login('admin', 'b');
  const s = env.orgB.slug;
  let r = await bAdmin.post(`/api/v1/orgs/${s}/products`, { slug: 'b-secret-product', name: 'B secret product' });
  assert.equal(r.status, 201, r.text);
  B.product = r.data.id;
  r = await bAdmin.post(`/api/v1/orgs/${s}/tokens`, { name: 'b-token', scopes: ['read', 'write'] });
  assert.equal(r.status, 201, r.text);
  B.token = r.data.id;
  B.tokenValue = r.data.token;
  r = await bAdmin.get(`/api/v1/orgs/${s}/users`);
  B.users = r.data.items;
  B.user = B.users.find((u) => u.email === emailOf('analyst', 'b')).id;
  r = await bAdmin.get(`/api/v1/orgs/${s}`);
  B.orgBefore = r.data;
  // A grievance case of B, with a remedy, a referral and a collective case.
  r = await new Client(env.base).post(`/api/v1/orgs/${s}/grievances`, { narrative: 'B secret grievance', contact_preference: 'anonymous',
    attachments: [{ filename: 'b.txt', data: Buffer.from('B secret file').toString('base64') }] });
  assert.equal(r.status, 201, r.text);
  B.receipt = r.data.receipt;
  const bh = await env.login('case_handler', 'b');
  r = await bh.get(`/api/v1/orgs/${s}/cases`);
  assert.equal(r.status, 200, r.text);
  B.case = r.data.items[0].id;
  for (const action of ['acknowledge', 'assess', 'investigate']) {
    r = await bh.post(`/api/v1/orgs/${s}/cases/${B.case}/actions`, { action });
    assert.equal(r.status, 200, r.text);
  }
  r = await bh.post(`/api/v1/orgs/${s}/cases/${B.case}/remedies`, { type: 'apology', description: 'B remedy' });
  assert.equal(r.status, 201, r.text);
  B.remedy = r.data.id;
  r = await bAdmin.post('/api/v1/mechanisms', { slug: 'b-ombud', kind: 'state_non_judicial', subkind: 'ombudsman',
    name: 'B Ombud', jurisdictions: ['GB'], subjects: ['general'] });
  assert.equal(r.status, 201, r.text);
  B.mechanism = r.data.id;
  r = await bh.post(`/api/v1/orgs/${s}/cases/${B.case}/referrals`, { mechanism_id: B.mechanism, kind: 'parallel' });
  assert.equal(r.status, 201, r.text);
  B.referral = r.data.id;
  r = await bh.post(`/api/v1/orgs/${s}/collectives`, { title: 'B collective' });
  assert.equal(r.status, 201, r.text);
  B.collective = r.data.id;
  r = await bh.post(`/api/v1/orgs/${s}/collectives/${B.collective}/cases`, { case_id: B.case });
  assert.equal(r.status, 200, r.text);
  r = await bh.get(`/api/v1/orgs/${s}/cases/${B.case}`);
  B.caseBefore = r.data;
  B.attachment = r.data.attachments[0].id;
  r = await bAdmin.get(`/api/v1/orgs/${s}/audit?limit=500`);
  B.auditSeqs = new Set(r.data.items.map((e) => e.seq));
});

after(async () => {
  if (env) await env.stop();
});

function bodyFor(method, pattern) {
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (pattern.endsWith('/users/{id}')) return { role: 'admin', disabled: true };
  if (pattern.endsWith('/users')) return { email: 'intruder@acme.test', display_name: 'Intruder', role: 'admin', password: 'intruder-password-1' };
  if (pattern.endsWith('/products')) return { slug: 'intruder', name: 'Intruder' };
  if (pattern.endsWith('/tokens')) return { name: 'intruder', scopes: ['read', 'write'] };
  if (pattern.endsWith('/{org}')) return { name: 'Pwned' };
  if (pattern.endsWith('/cases')) {
    return pattern.includes('{cid}') ? { case_id: Number(MISSING) }
      : { narrative: 'Intruder case', contact_preference: 'anonymous', channel: 'phone' };
  }
  if (pattern.endsWith('/actions')) return { action: 'acknowledge' };
  if (pattern.endsWith('/attachments')) return { filename: 'intruder.txt', data: Buffer.from('intruder file').toString('base64') };
  if (pattern.endsWith('/referrals/{rid}')) return { state: 'closed', outcome: 'intruder outcome' };
  if (pattern.endsWith('/assign')) return { user_id: 0 };
  if (pattern.endsWith('/recuse')) return { reason: 'intruder recusal' };
  if (pattern.endsWith('/notes')) return { text: 'intruder note' };
  if (pattern.endsWith('/messages')) return { text: 'intruder message' };
  if (pattern.endsWith('/triage')) return { scale: 1, scope: 1, irremediable: 1 };
  if (pattern.endsWith('/extend')) return { clock: 'feedback', days: 1, notice: 'intruder notice' };
  if (pattern.endsWith('/remedies')) return { type: 'apology', description: 'intruder remedy' };
  if (pattern.endsWith('/implement')) return { evidence: 'intruder evidence' };
  if (pattern.endsWith('/referrals')) return { mechanism_id: B.mechanism, kind: 'parallel' };
  if (pattern.endsWith('/collectives')) return { title: 'intruder collective' };
  if (pattern.endsWith('/grievance-policy')) return { ack_days: 1 };
  return {};
}

function idFor(pattern) {
  if (pattern.includes('/users/')) return B.user;
  if (pattern.includes('/products/')) return B.product;
  if (pattern.includes('/tokens/')) return B.token;
  if (pattern.includes('/cases/{id}')) return B.case;
  return MISSING;
}

// B's ids for the other parameters ({rid}: a remedy or a referral; {cid}: a collective).
function subIds(pattern, mine) {
  if (!mine) return { rid: MISSING, cid: MISSING, aid: MISSING };
  return { rid: pattern.includes('/referrals/') ? B.referral : B.remedy, cid: B.collective, aid: B.attachment };
}

function fill(pattern, org, id, theirs = true) {
  const sub = subIds(pattern, theirs && id !== MISSING);
  return pattern.replace('{org}', String(org)).replace(/\{id\}/g, String(id))
    .replace('{rid}', String(sub.rid)).replace('{cid}', String(sub.cid)).replace('{aid}', String(sub.aid));
}

function hasObjectId(pattern) {
  return /\{(id|rid|cid|aid)\}/.test(pattern);
}

async function probe(client, who) {
  const bad = [];
  for (const r of orgRoutes) {
    const json = bodyFor(r.method, r.pattern);
    const opts = json === undefined ? {} : { json };
    const label = `${who}: ${r.method} ${r.pattern}`;
    // B by slug and by numeric id: 404, always.
    for (const org of [env.orgB.slug, env.orgB.id]) {
      const res = await client.req(r.method, fill(r.pattern, org, idFor(r.pattern)), opts);
      if (res.status !== 404) bad.push(`${label} with org=${org}: ${res.status} ${res.text.slice(0, 160)}`);
    }
    // B's object ids under A's slug: exactly like a missing id.
    if (hasObjectId(r.pattern)) {
      const theirs = await client.req(r.method, fill(r.pattern, env.orgA.slug, idFor(r.pattern), true), opts);
      const none = await client.req(r.method, fill(r.pattern, env.orgA.slug, MISSING, false), opts);
      if (theirs.status !== none.status || (theirs.status !== 404 && theirs.status !== 403))
        bad.push(`${label} with B's id under A: ${theirs.status} (missing id: ${none.status}) ${theirs.text.slice(0, 160)}`);
    }
  }
  return bad;
}

test('every role of A gets 404 for B, by slug, by id and by object id', async () => {
  const bad = [];
  for (const role of ROLES) {
    const c = await env.login(role, 'a');
    bad.push(...(await probe(c, role)));
  }
  assert.deepEqual(bad, []);
});

test('an API token of A cannot touch B', async () => {
  const admin = await env.login('admin', 'a');
  const r = await admin.post(`/api/v1/orgs/${env.orgA.slug}/tokens`, { name: 'a-token', scopes: ['read', 'write', 'metrics'] });
  assert.equal(r.status, 201, r.text);
  const tok = new Client(env.base, { token: r.data.token });
  assert.deepEqual(await probe(tok, 'token of A'), []);
  const orgs = await tok.get('/api/v1/orgs');
  assert.equal(orgs.status, 200);
  assert.ok(!orgs.data.items.some((o) => o.id === env.orgB.id));
  // A token's "me" shows only its own organisation, even when its creator
  // is also a member of B.
  const shared = await admin.post(`/api/v1/orgs/${env.orgA.slug}/users`, { email: emailOf('hr_lead', 'b'), role: 'admin' });
  assert.equal(shared.status, 201, shared.text);
  const sc = await env.login('hr_lead', 'b');
  const st = await sc.post(`/api/v1/orgs/${env.orgA.slug}/tokens`, { name: 'shared', scopes: ['read'] });
  assert.equal(st.status, 201, st.text);
  const stc = new Client(env.base, { token: st.data.token });
  const sme = await stc.get('/api/v1/me');
  assert.equal(sme.status, 200);
  assert.deepEqual(sme.data.memberships.map((m) => m.org.id), [env.orgA.id]);
  assert.ok(!(await stc.get('/api/v1/orgs')).data.items.some((o) => o.id === env.orgB.id));
  assert.equal((await stc.get(`/api/v1/orgs/${env.orgB.slug}/products`)).status, 404);
  assert.equal((await admin.del(`/api/v1/orgs/${env.orgA.slug}/users/${shared.data.id}`)).status, 204);
  // And B's token cannot reach A.
  const btok = new Client(env.base, { token: B.tokenValue });
  assert.equal((await btok.get(`/api/v1/orgs/${env.orgA.slug}/users`)).status, 404);
  assert.equal((await btok.get(`/api/v1/orgs/${env.orgA.id}`)).status, 404);
});

test("B's own mechanisms are invisible to A", async () => {
  for (const role of ['admin', 'case_handler', 'analyst']) {
    const c = await env.login(role, 'a');
    assert.equal((await c.get(`/api/v1/mechanisms/${B.mechanism}`)).status, 404, role);
    const p = await c.patch(`/api/v1/mechanisms/${B.mechanism}`, { name: 'Pwned' });
    assert.ok(p.status === 404 || p.status === 403, `${role}: ${p.status}`);
    const l = await c.get('/api/v1/mechanisms');
    assert.equal(l.status, 200);
    assert.ok(!l.data.items.some((m) => m.id === B.mechanism), role);
  }
  const m = await bAdmin.get(`/api/v1/mechanisms/${B.mechanism}`);
  assert.equal(m.status, 200);
  assert.equal(m.data.name, 'B Ombud');
});

test("A's lists never include B's rows", async () => {
  for (const role of ROLES) {
    const c = await env.login(role, 'a');
    const s = env.orgA.slug;
    const me = await c.get('/api/v1/me');
    assert.ok(!me.data.memberships.some((m) => m.org.id === env.orgB.id), `${role}: me`);
    const orgs = await c.get('/api/v1/orgs');
    assert.ok(!orgs.data.items.some((o) => o.id === env.orgB.id), `${role}: orgs`);
    const users = await c.get(`/api/v1/orgs/${s}/users`);
    if (users.status === 200) {
      for (const u of B.users) assert.ok(!users.data.items.some((x) => x.id === u.id || x.email === u.email), `${role}: users`);
    }
    const products = await c.get(`/api/v1/orgs/${s}/products`);
    assert.equal(products.status, 200);
    assert.ok(!products.data.items.some((p) => p.id === B.product), `${role}: products`);
    const tokens = await c.get(`/api/v1/orgs/${s}/tokens`);
    if (tokens.status === 200) assert.ok(!tokens.data.items.some((t) => t.id === B.token), `${role}: tokens`);
    const cases = await c.get(`/api/v1/orgs/${s}/cases`);
    if (cases.status === 200) assert.ok(!cases.data.items.some((x) => x.id === B.case), `${role}: cases`);
    const colls = await c.get(`/api/v1/orgs/${s}/collectives`);
    if (colls.status === 200) assert.ok(!colls.data.items.some((x) => x.id === B.collective), `${role}: collectives`);
    const audit = await c.get(`/api/v1/orgs/${s}/audit?limit=500`);
    if (audit.status === 200) assert.ok(!audit.data.items.some((e) => B.auditSeqs.has(e.seq)), `${role}: audit`);
  }
});

test("B's records are unchanged after all of that", async () => {
  const s = env.orgB.slug;
  const org = await bAdmin.get(`/api/v1/orgs/${s}`);
  assert.deepEqual(org.data, B.orgBefore);
  const users = await bAdmin.get(`/api/v1/orgs/${s}/users`);
  assert.equal(users.data.items.length, B.users.length);
  assert.ok(!users.data.items.some((u) => u.email === 'intruder@acme.test'));
  const victim = users.data.items.find((u) => u.id === B.user);
  assert.equal(victim.role, 'analyst');
  assert.equal(victim.disabled, false);
  const products = await bAdmin.get(`/api/v1/orgs/${s}/products`);
  assert.ok(products.data.items.some((p) => p.id === B.product));
  assert.ok(!products.data.items.some((p) => p.slug === 'intruder'));
  const tokens = await bAdmin.get(`/api/v1/orgs/${s}/tokens`);
  const t = tokens.data.items.find((x) => x.id === B.token);
  assert.equal(t.active, true);
  assert.equal(tokens.data.items.filter((x) => x.name === 'intruder').length, 0);
  // B's case: same state, no intruder's note, message, remedy or referral.
  const bh = await env.login('case_handler', 'b');
  const kase = await bh.get(`/api/v1/orgs/${s}/cases/${B.case}`);
  assert.equal(kase.status, 200, kase.text);
  assert.equal(kase.data.state, B.caseBefore.state);
  assert.equal(kase.data.events.length, B.caseBefore.events.length);
  assert.deepEqual(kase.data.remedies, B.caseBefore.remedies);
  assert.deepEqual(kase.data.triage, B.caseBefore.triage);
  assert.equal(kase.data.assigned_user_id, B.caseBefore.assigned_user_id);
  assert.ok(!/intruder/i.test(kase.text));
  const pkg = await bh.get(`/api/v1/orgs/${s}/cases/${B.case}/referrals/${B.referral}/package`);
  assert.equal(pkg.status, 200, pkg.text);
  assert.ok(!/intruder/i.test(pkg.text));
  const refs = await bh.get(`/api/v1/orgs/${s}/cases/${B.case}/referrals`);
  assert.equal(refs.status, 200, refs.text);
  assert.equal(refs.data.items[0].state, 'proposed');
  assert.equal(refs.data.items[0].outcome, null);
  const coll = await bh.get(`/api/v1/orgs/${s}/collectives/${B.collective}`);
  assert.deepEqual(coll.data.case_ids, [B.case]);
  const pol = await bAdmin.get(`/api/v1/orgs/${s}/grievance-policy`);
  assert.equal(pol.status, 200);
  assert.notEqual(pol.data.ack_days, 1);
  // B's token still works.
  const btok = new Client(env.base, { token: B.tokenValue });
  assert.equal((await btok.get(`/api/v1/orgs/${s}/products`)).status, 200);
});
});
