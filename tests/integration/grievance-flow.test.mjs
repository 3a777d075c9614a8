// The grievance mechanism's "Done when" flow over the JSON API, on every
// engine available: an anonymous person files a grievance and keeps the
// receipt; a handler acknowledges it and asks a question; the complainant
// answers through /receipt/messages; the handler assesses, investigates and
// proposes a remedy; the complainant accepts it; the handler implements it
// with evidence and closes the case; the complainant rates the outcome.
// At each step the states on both sides and the public thread are checked,
// and the public view never shows internal notes or staff identities.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, emailOf, ENGINES } from './lib/server.mjs';

const NOTE = 'INTERNAL-NOTE-zq81-do-not-show';
const QUESTION = 'When did the account get suspended? Q-7731';
const ANSWER = 'On the 3rd of May, right after my post. A-5521';

for (const engine of ENGINES) describe(`grievance flow on ${engine}`, () => {
let env;
let handler;
let slug;
let receipt;
let caseId;
let remedyId;
let handlerUser;
const publicBodies = [];

before(async () => {
  env = await startServer({ sector: false, engine });
  slug = env.orgA.slug;
  handler = await env.login('case_handler');
  handlerUser = handler.me.user;
});

after(async () => {
  if (env) await env.stop();
});

async function pub(path, json) {
  const r = await new Client(env.base).post(path, json);
  publicBodies.push(r.text);
  return r;
}

async function status() {
  const r = await pub('/api/v1/receipt/status', { receipt, detail: true });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

async function act(action, extra = {}) {
  const r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/actions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  assert.equal(r.data.id, caseId);
  return r.data;
}

test('an anonymous person files a grievance and gets a receipt', async () => {
  const r = await pub('/api/v1/grievances', {
    narrative: 'My account was suspended without any explanation and I lost my livelihood.',
    contact_preference: 'anonymous',
  });
  assert.equal(r.status, 201, r.text);
  assert.match(r.data.receipt, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
  assert.match(r.data.reference, /^G-[0-9A-HJKMNP-TV-Z]{8}$/);
  assert.equal(r.data.state, 'received');
  receipt = r.data.receipt;
  const s = await status();
  assert.equal(s.state, 'received');
  assert.equal(s.reference, r.data.reference);
  assert.ok(Array.isArray(s.thread));
  assert.ok(Array.isArray(s.clocks) && s.clocks.length >= 1, 'a clock runs from filing');
  // The receipt works in any case and with spaces; the smallest body is enough.
  const light = await pub('/api/v1/receipt/status', { receipt: receipt.toLowerCase().replace(/-/g, ' ') });
  assert.equal(light.status, 200);
  assert.equal(light.data.state, 'received');
  assert.ok(!('thread' in light.data), 'the plain status read leaves the thread out (ask with detail: true)');
  // The case shows in the handler's queue.
  const q = await handler.get(`/api/v1/orgs/${slug}/cases`);
  assert.equal(q.status, 200, q.text);
  const item = q.data.items.find((c) => c.reference === r.data.reference);
  assert.ok(item, 'case in the queue');
  assert.equal(item.state, 'received');
  caseId = item.id;
});

test('the handler acknowledges, notes internally and asks a question', async () => {
  let c = await act('acknowledge', { public_text: 'We have received your grievance and will look into it.' });
  assert.equal(c.state, 'acknowledged');
  const n = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/notes`, { text: NOTE });
  assert.ok(n.status === 200 || n.status === 201, n.text);
  const m = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/messages`, { text: QUESTION, ask: true });
  assert.ok(m.status === 200 || m.status === 201, m.text);
  const s = await status();
  assert.equal(s.state, 'acknowledged');
  assert.ok(s.thread.some((e) => e.text === QUESTION), 'the question is in the public thread');
  assert.ok(!JSON.stringify(s).includes(NOTE), 'no internal note in the public view');
  c = (await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`)).data;
  assert.equal(c.state, 'acknowledged');
  assert.ok(JSON.stringify(c).includes(NOTE), 'the handler sees the note');
});

test('the complainant answers through the receipt', async () => {
  const r = await pub('/api/v1/receipt/messages', { receipt, text: ANSWER });
  assert.equal(r.status, 200, r.text);
  const s = await status();
  assert.ok(s.thread.some((e) => e.text === ANSWER && e.from === 'complainant'));
  const ev = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}/events`);
  assert.equal(ev.status, 200, ev.text);
  const c = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`);
  assert.ok(JSON.stringify(c.data).includes(ANSWER), 'the handler reads the answer');
});

test('assess, investigate, propose a remedy', async () => {
  assert.equal((await act('assess')).state, 'in_assessment');
  assert.equal((await status()).state, 'in_assessment');
  assert.equal((await act('investigate')).state, 'in_investigation');
  assert.equal((await status()).state, 'in_investigation');
  const r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/remedies`, {
    type: 'restitution', description: 'Restore the account and its content within 7 days.',
  });
  assert.equal(r.status, 201, r.text);
  remedyId = r.data.id;
  const c = (await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`)).data;
  assert.equal(c.state, 'remedy_proposed');
  const s = await status();
  assert.equal(s.state, 'remedy_proposed');
  const pr = s.remedies.find((x) => x.id === remedyId);
  assert.ok(pr, 'the proposed remedy is shown to the complainant');
  assert.equal(pr.type, 'restitution');
});

test('the complainant accepts the remedy', async () => {
  const r = await pub('/api/v1/receipt/remedy', { receipt, decision: 'accept' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'remedy_accepted');
  const c = (await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`)).data;
  assert.equal(c.state, 'remedy_accepted');
});

test('the handler implements it with evidence and closes the case', async () => {
  const noEvidence = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/remedies/${remedyId}/implement`, {});
  assert.equal(noEvidence.status, 422, noEvidence.text);
  assert.equal(noEvidence.data.field, '/evidence');
  const r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/remedies/${remedyId}/implement`,
    { evidence: 'Account restored on 2026-05-10, ticket 4411.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'remedy_implemented');
  assert.equal((await status()).state, 'remedy_implemented');
  const c = await act('close', { public_text: 'Your account has been restored. Thank you for telling us.' });
  assert.equal(c.state, 'closed');
  assert.equal((await status()).state, 'closed');
});

test('the complainant rates the outcome', async () => {
  const bad = await pub('/api/v1/receipt/rating', { receipt, satisfaction: 9 });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.data.field, '/satisfaction');
  const r = await pub('/api/v1/receipt/rating', { receipt, satisfaction: 4, comment: 'Slow but fair.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.satisfaction, 4);
  const c = (await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`)).data;
  assert.equal(c.satisfaction, 4);
});

test('the case history records every step, with actor and time', async () => {
  const ev = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}/events`);
  assert.equal(ev.status, 200);
  const actions = ev.data.items.map((e) => e.action).filter(Boolean);
  for (const a of ['acknowledge', 'assess', 'investigate', 'propose_remedy', 'accept_remedy', 'implement_remedy', 'close'])
    assert.ok(actions.includes(a), `event ${a} in ${actions.join(',')}`);
  for (const e of ev.data.items) assert.ok(e.at, 'each event has a time');
});

test('every step is in the audit trail, without case content', async () => {
  const admin = await env.login('admin');
  const r = await admin.get(`/api/v1/orgs/${slug}/audit?limit=500`);
  assert.equal(r.status, 200, r.text);
  const mine = r.data.items.filter((e) => e.object_type === 'grievance' && e.object_id === String(caseId));
  assert.ok(mine.length >= 8, `${mine.length} audit entries for the case`);
  for (const text of [NOTE, QUESTION, ANSWER, 'livelihood']) assert.ok(!r.text.includes(text), `audit holds ${text}`);
});

test('the public view never showed an internal note or a staff identity', () => {
  const all = publicBodies.join('\n');
  assert.ok(!all.includes(NOTE), 'internal note leaked');
  for (const s of [handlerUser.email, handlerUser.display_name, emailOf('case_handler'), `"user_id":${handlerUser.id}`,
    'assignee', 'actor_user_id'])
    assert.ok(!all.includes(s), `staff identity leaked: ${s}`);
});

test('the server log holds no receipt, no complainant text and no client address', () => {
  // (the server's own "listening" line names its loopback address: not a client's)
  const log = env.stderr().split('\n').filter((l) => !l.includes('"msg":"listening"')).join('\n');
  assert.ok(log.length > 0, 'the server logged its requests');
  const compact = receipt.replace(/-/g, '');
  for (const bad of [receipt, compact, ANSWER, 'livelihood', QUESTION, NOTE, '127.0.0.1'])
    assert.ok(!log.includes(bad), `log holds ${bad}`);
});

test('a wrong receipt and a finished case behave', async () => {
  const w = await pub('/api/v1/receipt/messages', { receipt: 'AAAAA-AAAAA-AAAAA-AAAAA', text: 'x' });
  assert.equal(w.status, 404);
  assert.match(w.headers.get('content-type'), /^application\/problem\+json/);
  // Withdrawal is no longer possible once closed.
  const wd = await pub('/api/v1/receipt/withdraw', { receipt });
  assert.equal(wd.status, 409, wd.text);
});
});
