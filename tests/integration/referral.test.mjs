// Referral to an outside mechanism: the package handed over (JSON and the
// human-readable summary) carries the case as the complainant told it, the
// public thread and the recorded consent, and never an internal note or a
// staff identity (name, e-mail, user id), with distinctive strings planted
// in every place they could leak from. Contact data goes only with consent.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, Client, PASSWORD } from './lib/server.mjs';

describe('referral package', () => {
let env;
let slug;
let handler;
let admin;
let caseId;
let receipt;
let mechanismId;
const tag = randomBytes(5).toString('hex');
const staff = { email: `quill.${tag}@acme.test`, name: `Quill Staffname-${tag}` };
const NOTE = `InternalNote-${tag}-credibility-doubts`;
const NOTE2 = `SecondNote-${tag}-legal-risk`;
const NARRATIVE = `Narrative-${tag}: my data was sold to a broker`;
const CONTACT = `contact.${tag}@mail.example`;

before(async () => {
  env = await startServer({ sector: false });
  slug = env.orgA.slug;
  admin = await env.login('admin');
  // A handler with a distinctive name and address.
  let r = await admin.post(`/api/v1/orgs/${slug}/users`,
    { email: staff.email, display_name: staff.name, role: 'case_handler', password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  staff.id = r.data.id;
  handler = new Client(env.base);
  await handler.login(staff.email);
  r = await new Client(env.base).post('/api/v1/grievances', {
    narrative: NARRATIVE, contact_preference: 'confidential', contact_email: CONTACT, country: 'DE',
    category: 'data_protection',
  });
  assert.equal(r.status, 201, r.text);
  receipt = r.data.receipt;
  r = await handler.get(`/api/v1/orgs/${slug}/cases`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.items.length, 1);
  caseId = r.data.items[0].id;
});

after(async () => {
  if (env) await env.stop();
});

test('a handler works the case: assignment, notes, messages, triage', async () => {
  let r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/assign`, { user_id: staff.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.assigned_user_id, staff.id);
  for (const action of ['acknowledge', 'assess']) {
    r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/actions`, { action, reason: `Reason ${action} ${NOTE2}` });
    assert.equal(r.status, 200, r.text);
  }
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/notes`, { text: NOTE });
  assert.equal(r.status, 200, r.text);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/notes`, { text: NOTE2 });
  assert.equal(r.status, 200, r.text);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/messages`, { text: 'May we refer your case to the data protection authority?', ask: true });
  assert.equal(r.status, 200, r.text);
  r = await new Client(env.base).post('/api/v1/receipt/messages', { receipt, text: 'Yes, please refer it.' });
  assert.equal(r.status, 200, r.text);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/triage`, { scale: 3, scope: 2, irremediable: 2, vulnerable: true });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.priority >= 1);
  // The staff view has the notes and the handler's identity (so they exist to leak).
  const c = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`);
  assert.ok(c.text.includes(NOTE) && c.text.includes(staff.name));
});

test('the pathway proposes mechanisms for the case; a referral needs consent', async () => {
  let r = await admin.post('/api/v1/mechanisms', {
    slug: `dpa-de-${tag}`, kind: 'state_non_judicial', subkind: 'data_protection_authority',
    name: 'Test Data Protection Authority', jurisdictions: ['DE'], subjects: ['data_protection'],
    website: 'https://dpa.example', languages: ['de', 'en'],
  });
  assert.equal(r.status, 201, r.text);
  mechanismId = r.data.id;
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}/pathway`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.items.some((m) => m.id === mechanismId), 'the matching mechanism is proposed');
  const pub = await new Client(env.base).get('/api/v1/mechanisms/public?country=DE&subject=data_protection');
  assert.equal(pub.status, 200, pub.text);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/referrals`, { mechanism_id: mechanismId });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.data.field, '/consent');
});

test('the package holds no internal note and no staff identity', async () => {
  let r = await handler.post(`/api/v1/orgs/${slug}/cases/${caseId}/referrals`, {
    mechanism_id: mechanismId, kind: 'referral',
    consent: { given: true, share_contact: false, text: 'Agreed in a message through the receipt page.' },
  });
  assert.equal(r.status, 201, r.text);
  const rid = r.data.id;
  assert.equal((await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}`)).data.state, 'referred');
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${caseId}/referrals/${rid}/package`);
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.data.summary, 'string');
  assert.ok(r.data.summary.length > 20);
  assert.equal(typeof r.data.package, 'object');
  const all = r.text + '\n' + r.data.summary;
  assert.ok(all.includes(NARRATIVE), 'the package carries the grievance');
  for (const bad of [NOTE, NOTE2, staff.name, staff.email, 'Quill'])
    assert.ok(!all.includes(bad), `package leaks ${bad}`);
  // No member anywhere in the package names a user id of staff.
  const ids = [];
  JSON.stringify(r.data.package, (k, v) => {
    if (/user_id|handler|assignee|actor/i.test(k) && v !== null && typeof v !== 'object') ids.push(`${k}=${v}`);
    return v;
  });
  assert.deepEqual(ids, []);
  assert.ok(!all.includes(CONTACT), 'no contact data without consent to share it');
  // A referral of another case's id under this case is a 404.
  const other = await handler.get(`/api/v1/orgs/${slug}/cases/987654/referrals/${rid}/package`);
  assert.equal(other.status, 404);
});
});
