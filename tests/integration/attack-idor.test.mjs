// Insecure direct object references, exhaustively over the route table, on
// the demo installation: the sector body's admin (DTA, not a member of
// Kestrel) puts Kestrel's real identifiers (cases, remedies, referrals,
// files, collectives, users, tokens, products, every register record,
// assessments, entities, mechanisms) into every route with an object
// parameter, API routes under its own organisation and HTML pages (whose
// organisation is the session's): every answer is exactly what a
// non-existent identifier gets, never a success, and Kestrel's audit trail
// shows no change. (isolation.test.mjs covers {org} itself, lists and
// tokens on a two-organisation installation.) Within one organisation, a
// case's remedy, referral and file ids under another case answer like
// missing ones. On every engine. Receipts: one complainant's
// receipt never reaches another case's messages or files, over the API and
// the receipt page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ENGINES } from './lib/server.mjs';
import { startDemo, pool, demoIds, idValue, urlencode, auditSince } from './lib/attack.mjs';

const MISSING = '987654321';
const OBJECT = /\{(id|rid|cid|aid|fid)\}/;

for (const engine of ENGINES) describe(`IDOR over the route table on ${engine}`, () => {
let env;
let kestrel;
let dta;
let ids;
let seq0;

before(async () => {
  env = await startDemo(engine);
  kestrel = await env.login('admin');
  ids = await demoIds(kestrel);
  dta = new Client(env.base);
  await dta.login(env.accounts.dta_admin.email, env.accounts.dta_admin.password);
  seq0 = (await kestrel.get('/api/v1/orgs/kestrel/audit?limit=1')).data.items[0].seq;
});

after(async () => {
  if (env) await env.stop();
});

function fill(pattern, org, theirs) {
  return pattern.replace(/\{([^}]+)\}/g, (_, name) => {
    if (name === 'org') return org;
    if (!['id', 'rid', 'cid', 'aid', 'fid'].includes(name)) return String(idValue(pattern, name, ids));
    return theirs ? String(idValue(pattern, name, ids)) : MISSING;
  });
}

function send(client, r, path) {
  const stateful = ['POST', 'PUT', 'PATCH'].includes(r.method);
  if (r.kind === 'html') {
    if (!stateful) return client.get(path);
    return client.req(r.method, path, { body: urlencode({ csrf: client.csrf, name: 'x', title: 'x', text: 'x', op: 'note' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  return client.req(r.method, path, stateful ? { json: {} } : {});
}

test("Kestrel's identifiers in every route answer like missing ones", async (t) => {
  const routes = env.routes.filter((r) => OBJECT.test(r.pattern) && r.perm !== 'public');
  const bad = [];
  let n = 0;
  await pool(routes, 4, async (r) => {
    const org = r.pattern.includes('{org}');
    const theirs = await send(dta, r, fill(r.pattern, 'dta', true));
    const none = await send(dta, r, fill(r.pattern, 'dta', false));
    n += 2;
    const success = theirs.status < 300 || (theirs.status === 303 && !/login/.test(theirs.headers.get('location') ?? ''));
    if (theirs.status !== none.status || success)
      bad.push(`${r.method} ${r.pattern}: ${theirs.status} with Kestrel's ids, ${none.status} with missing ones: ${theirs.text.slice(0, 120)}`);
    if (org) {
      const direct = await send(dta, r, fill(r.pattern, 'kestrel', true));
      n++;
      if (direct.status !== 404) bad.push(`${r.method} ${r.pattern} under /kestrel: ${direct.status}`);
    }
  });
  t.diagnostic(`${routes.length} routes, ${n} requests`);
  assert.ok(routes.length >= 60, `${routes.length} routes with object ids`);
  assert.deepEqual(bad, []);
  // Nothing happened to Kestrel.
  assert.deepEqual(await auditSince(kestrel, seq0), [], "Kestrel's audit trail shows no change");
});

test("another case's remedies, referrals and files under a case of the same organisation", async (t) => {
  // Case "other" of Kestrel, with the sub-ids (remedy, referral, file) of ids.cases.
  const O = '/api/v1/orgs/kestrel';
  const cases = (await kestrel.get(`${O}/cases?limit=500`)).data.items;
  const other = cases.find((c) => c.id !== ids.cases && c.id !== ids.aidCase).id;
  const routes = env.routes.filter((r) => /\/cases\/\{id\}\/.*\{(rid|aid|fid)\}/.test(r.pattern));
  assert.ok(routes.length >= 4, routes.map((r) => r.pattern).join(' '));
  const bad = [];
  for (const r of routes) {
    const sub = (missing) => r.pattern.replace('{org}', 'kestrel').replace('{id}', String(other))
      .replace(/\{(rid|aid|fid)\}/, (_, n) => (missing ? MISSING : String(idValue(r.pattern, n, ids))));
    const theirs = await send(kestrel, r, sub(false));
    const none = await send(kestrel, r, sub(true));
    if (theirs.status !== none.status || theirs.status < 300)
      bad.push(`${r.method} ${r.pattern}: ${theirs.status} with case ${ids.cases}'s sub-id under case ${other}, ${none.status} with a missing one`);
  }
  t.diagnostic(`${routes.length} routes`);
  assert.deepEqual(bad, []);
});

test("one receipt never reaches another case's messages or files", async () => {
  const anon = new Client(env.base);
  const file = (s) => [{ filename: `${s}.txt`, data: Buffer.from(`${s} secret file`).toString('base64') }];
  const x = await anon.post('/api/v1/orgs/kestrel/grievances', { narrative: 'Case X narrative', contact_preference: 'anonymous', attachments: file('x') });
  const y = await anon.post('/api/v1/orgs/kestrel/grievances', { narrative: 'Case Y narrative YSECRET', contact_preference: 'anonymous', attachments: file('y') });
  assert.equal(x.status, 201, x.text);
  assert.equal(y.status, 201, y.text);
  assert.equal((await anon.post('/api/v1/receipt/messages', { receipt: y.data.receipt, text: 'Y message YSECRET' })).status, 200);
  const sx = await anon.post('/api/v1/receipt/status', { receipt: x.data.receipt, detail: true });
  const sy = await anon.post('/api/v1/receipt/status', { receipt: y.data.receipt, detail: true });
  assert.equal(sx.status, 200, sx.text);
  assert.equal(sy.status, 200, sy.text);
  assert.doesNotMatch(sx.text, /YSECRET|y\.txt/);
  const yFile = sy.data.attachments[0].id;
  const xFile = sx.data.attachments[0].id;
  // X's receipt with Y's file id: exactly like a file that does not exist.
  const cross = await anon.post('/api/v1/receipt/attachments/download', { receipt: x.data.receipt, id: yFile });
  const none = await anon.post('/api/v1/receipt/attachments/download', { receipt: x.data.receipt, id: Number(MISSING) });
  const own = await anon.post('/api/v1/receipt/attachments/download', { receipt: x.data.receipt, id: xFile });
  assert.equal(own.status, 200, own.text);
  assert.equal(cross.status, 404, cross.text);
  assert.equal(cross.status, none.status);
  assert.doesNotMatch(cross.text, /y secret file/);
  // Staff files of a Kestrel case are not a complainant's either.
  const staffFile = await anon.post('/api/v1/receipt/attachments/download', { receipt: x.data.receipt, id: ids.aid });
  assert.equal(staffFile.status, ids.aid === xFile ? 200 : 404, `file ${ids.aid} (x: ${xFile}, y: ${yFile}): ${staffFile.text.slice(0, 100)}`);
  // The receipt page: X's receipt with Y's file id.
  const form = { receipt: x.data.receipt, op: 'file', attachment_id: String(yFile) };
  const page = await anon.req('POST', '/receipt', { body: urlencode(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.ok(page.status === 404 || (page.status < 500 && !/y secret file/.test(page.text)), `receipt page: ${page.status}`);
  assert.doesNotMatch(page.text, /y secret file|YSECRET/);
  const mine = await anon.req('POST', '/receipt', { body: urlencode({ ...form, attachment_id: String(xFile) }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(mine.status, 200);
  assert.match(mine.text, /x secret file/);
  // Writing through X's receipt never lands on Y.
  assert.equal((await anon.post('/api/v1/receipt/messages', { receipt: x.data.receipt, text: 'X only XONLY' })).status, 200);
  const sy2 = await anon.post('/api/v1/receipt/status', { receipt: y.data.receipt, detail: true });
  assert.doesNotMatch(sy2.text, /XONLY/);
});
});
