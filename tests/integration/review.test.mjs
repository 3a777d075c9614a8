// Adversarial review of the grievance mechanism: each test pins a defect the
// review found (it failed before the fix), so it cannot come back.
// - A handler who recused themselves from a case (conflict of interest)
//   cannot read or change its referrals (consent text, outcome) either.
// - The /report form with a file of a type that is not accepted re-renders
//   with the error next to the file field and stores nothing (before: the
//   grievance was stored and the file silently dropped in a second step).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib/server.mjs';

describe('review findings', () => {
let env;
let slug;
let handler;
let handler2;
let admin;
let anon;

before(async () => {
  env = await startServer({ sector: false });
  slug = env.orgA.slug;
  handler = await env.login('case_handler');
  admin = await env.login('admin');
  const r = await admin.post(`/api/v1/orgs/${slug}/users`, { email: 'review-handler@acme.test', display_name: 'Review handler',
    role: 'case_handler', password: 'review-handler-password-1' });
  assert.equal(r.status, 201, r.text);
  handler2 = new Client(env.base);
  await handler2.login('review-handler@acme.test', 'review-handler-password-1');
  anon = new Client(env.base);
});

after(async () => {
  if (env) await env.stop();
});

async function file(extra = {}) {
  const r = await anon.post('/api/v1/grievances', { narrative: 'A grievance for the review tests.', contact_preference: 'anonymous', ...extra });
  assert.equal(r.status, 201, r.text);
  const q = await handler.get(`/api/v1/orgs/${slug}/cases?limit=500`);
  const id = q.data.items.find((c) => c.reference === r.data.reference).id;
  return { ...r.data, id };
}

test('a recused handler can neither read nor change the case\'s referrals', async () => {
  const g = await file({ country: 'FR', category: 'data_protection' });
  let r = await admin.post('/api/v1/mechanisms', { slug: 'review-ombud', kind: 'state_non_judicial', subkind: 'ombudsman',
    name: 'Review Ombud', jurisdictions: ['FR'], subjects: ['general'] });
  assert.equal(r.status, 201, r.text);
  const mid = r.data.id;
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/referrals`, { mechanism_id: mid, kind: 'parallel',
    consent: { given: true, text: 'Consent secret words' } });
  assert.equal(r.status, 201, r.text);
  const rid = r.data.id;
  r = await handler.patch(`/api/v1/orgs/${slug}/cases/${g.id}/referrals/${rid}`, { state: 'sent', outcome: 'Outcome secret words' });
  assert.equal(r.status, 200, r.text);
  r = await handler2.post(`/api/v1/orgs/${slug}/cases/${g.id}/recuse`, { reason: 'I know the complainant.' });
  assert.equal(r.status, 204, r.text);
  assert.equal((await handler2.get(`/api/v1/orgs/${slug}/cases/${g.id}`)).status, 403);
  r = await handler2.get(`/api/v1/orgs/${slug}/cases/${g.id}/referrals`);
  assert.equal(r.status, 403, `referral list: ${r.status} ${r.text}`);
  assert.ok(!r.text.includes('secret words'));
  r = await handler2.patch(`/api/v1/orgs/${slug}/cases/${g.id}/referrals/${rid}`, { state: 'closed', outcome: 'Overwritten' });
  assert.equal(r.status, 403, `referral update: ${r.status} ${r.text}`);
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${g.id}/referrals`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.items[0].state, 'sent');
  assert.equal(r.data.items[0].outcome, 'Outcome secret words');
});
test('the report form refuses a file of a type not accepted, storing nothing', async () => {
  const before = (await handler.get(`/api/v1/orgs/${slug}/cases?limit=500&open=0`)).data.items.length;
  const form = new FormData();
  form.append('narrative', 'Review form narrative with a bad file');
  form.append('contact_preference', 'anonymous');
  form.append('attachment', new Blob([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01, 0x02, 0xff])],
    { type: 'application/zip' }), 'archive.zip');
  const res = await fetch(`${env.base}/report`, { method: 'POST', body: form, redirect: 'manual' });
  const html = await res.text();
  assert.equal(res.status, 400, html.slice(0, 300));
  assert.match(html, /href="#attachment"/, 'the error names the file field');
  assert.match(html, /Review form narrative with a bad file/, 'the entries are kept');
  const after = (await handler.get(`/api/v1/orgs/${slug}/cases?limit=500&open=0`)).data.items.length;
  assert.equal(after, before, 'nothing stored');
  // a good file goes in with the grievance
  const ok = new FormData();
  ok.append('narrative', 'Review form narrative with a good file');
  ok.append('contact_preference', 'anonymous');
  ok.append('attachment', new Blob([Buffer.from('plain words')], { type: 'text/plain' }), 'note.txt');
  const res2 = await fetch(`${env.base}/report`, { method: 'POST', body: ok, redirect: 'manual' });
  assert.equal(res2.status, 201, (await res2.text()).slice(0, 300));
  const q = await handler.get(`/api/v1/orgs/${slug}/cases?limit=500&open=0`);
  assert.equal(q.data.items.length, before + 1);
  const id = q.data.items.reduce((m, c) => (c.id > m ? c.id : m), 0);
  const c = await handler.get(`/api/v1/orgs/${slug}/cases/${id}`);
  assert.equal(c.data.attachments.length, 1);
  assert.equal(c.data.attachments[0].filename, 'note.txt');
});
});
