// The grievance API beyond the main flow: bad intake input (each a 4xx
// problem naming the field, nothing stored), files with the grievance and
// by receipt, staff-recorded grievances with their channel, queue filters,
// side paths (inadmissible, reject then appeal, withdraw), assignment and
// recusal, triage, clock extension, collective cases, the time-limit policy,
// statistics and the public directory of other mechanisms.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib/server.mjs';

describe('grievance API', () => {
let env;
let slug;
let handler;
let handler2;
let anon;

before(async () => {
  env = await startServer({ sector: false });
  slug = env.orgA.slug;
  handler = await env.login('case_handler');
  const admin = await env.login('admin');
  const r = await admin.post(`/api/v1/orgs/${slug}/users`, { email: 'second-handler@acme.test', display_name: 'Second handler',
    role: 'case_handler', password: 'second-handler-password-1' });
  assert.equal(r.status, 201, r.text);
  handler2 = new Client(env.base);
  await handler2.login('second-handler@acme.test', 'second-handler-password-1');
  anon = new Client(env.base);
});

after(async () => {
  if (env) await env.stop();
});

async function count() {
  const r = await handler.get(`/api/v1/orgs/${slug}/cases?limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.data.items.length;
}

async function file(extra = {}) {
  const r = await anon.post('/api/v1/grievances', { narrative: 'A grievance for the API tests.', contact_preference: 'anonymous', ...extra });
  assert.equal(r.status, 201, r.text);
  const q = await handler.get(`/api/v1/orgs/${slug}/cases?limit=500`);
  const id = q.data.items.find((c) => c.reference === r.data.reference).id;
  return { ...r.data, id };
}

async function act(id, action, extra = {}, who = handler) {
  return who.post(`/api/v1/orgs/${slug}/cases/${id}/actions`, { action, ...extra });
}

test('bad intake input: a 4xx problem naming the field, and nothing stored', async () => {
  const before = await count();
  const cases = [
    [{ contact_preference: 'anonymous' }, 422, '/narrative'],
    [{ narrative: 'x' }, 422, '/contact_preference'],
    [{ narrative: 'x', contact_preference: 'sometimes' }, 422, '/contact_preference'],
    [{ narrative: 5, contact_preference: 'anonymous' }, 422, '/narrative'],
    [{ narrative: 'x'.repeat(20001), contact_preference: 'anonymous' }, 422, '/narrative'],
    [{ narrative: 'x', contact_preference: 'anonymous', colour: 'red' }, 400, '/colour'],
    [{ narrative: 'x', contact_preference: 'anonymous', contact_email: 'a@b.example' }, 422, null],
    [{ narrative: 'x', contact_preference: 'anonymous', country: 'XX' }, 422, '/country'],
    [{ narrative: 'x', contact_preference: 'anonymous', incident_date: '2999-01-01' }, 422, '/incident_date'],
    [{ narrative: 'x', contact_preference: 'anonymous', channel: 'phone' }, 400, '/channel'],
    [{ narrative: 'x', contact_preference: 'anonymous', attachments: [{ data: '%%%' }] }, 422, '/attachments/0/data'],
    [{ narrative: 'x', contact_preference: 'anonymous', attachments: [{ data: Buffer.from([0x4d, 0x5a, 0, 1, 2]).toString('base64') }] }, 422, '/attachments/0'],
  ];
  for (const [body, status, field] of cases) {
    const r = await anon.post('/api/v1/grievances', body);
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.match(r.ct, /^application\/problem\+json/);
    if (field) assert.ok(String(r.data.field).startsWith(field), `${JSON.stringify(body).slice(0, 80)}: field ${r.data.field}`);
    else assert.ok(r.data.field, 'a field is named');
  }
  // Malformed JSON and invalid UTF-8.
  let r = await anon.req('POST', '/api/v1/grievances', { body: '{"narrative": "x",', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  r = await anon.req('POST', '/api/v1/grievances', {
    body: Buffer.concat([Buffer.from('{"narrative": "'), Buffer.from([0xc3, 0x28]), Buffer.from('", "contact_preference": "anonymous"}')]),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.status, 400, r.text);
  // An unknown organisation.
  r = await anon.post('/api/v1/orgs/no-such-org/grievances', { narrative: 'x', contact_preference: 'anonymous' });
  assert.equal(r.status, 404);
  assert.equal(await count(), before, 'nothing half-written is stored');
});

test('filing with a named organisation lands there, whoever files it', async () => {
  // Staff of A filing as a person with organisation B (public route): the
  // case is B's, never A's, and A's staff cannot open it.
  const aAdmin = await env.login('admin');
  const r = await aAdmin.post(`/api/v1/orgs/${env.orgB.slug}/grievances`, { narrative: 'Filed by someone who also works at A.', contact_preference: 'anonymous' });
  assert.equal(r.status, 201, r.text);
  const mine = await handler.get(`/api/v1/orgs/${slug}/cases?limit=500`);
  assert.ok(!mine.data.items.some((c) => c.reference === r.data.reference));
  const bh = await env.login('case_handler', 'b');
  const theirs = await bh.get(`/api/v1/orgs/${env.orgB.slug}/cases`);
  assert.ok(theirs.data.items.some((c) => c.reference === r.data.reference));
  const byId = await anon.post(`/api/v1/orgs/${env.orgB.id}/grievances`, { narrative: 'By numeric id.', contact_preference: 'anonymous' });
  assert.equal(byId.status, 201, byId.text);
  // A cross-site browser post is refused; the receipt still works for its owner.
  const cross = await anon.req('POST', '/api/v1/grievances', { json: { narrative: 'x', contact_preference: 'anonymous' },
    headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
  assert.equal(cross.status, 403);
  assert.equal((await anon.post('/api/v1/receipt/status', { receipt: r.data.receipt })).status, 200);
});

test('files: with the grievance and by receipt, sniffed, shown to the complainant', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636060606000000005000157a1d2a60000000049454e44ae426082', 'hex');
  const g = await file({ attachments: [{ filename: 'shot.png', data: png.toString('base64') }] });
  let s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  assert.equal(s.status, 200);
  assert.equal(s.data.attachments.length, 1);
  assert.equal(s.data.attachments[0].content_type, 'image/png');
  const r = await anon.post('/api/v1/receipt/attachments', { receipt: g.receipt, filename: 'claimed.pdf', data: Buffer.from('plain words\n').toString('base64') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.content_type, 'text/plain', 'the type comes from the bytes, not the name');
  // Too big for the service (5 MiB) though within the route's 8 MiB body limit.
  const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x61).toString('base64');
  const tb = await anon.post('/api/v1/receipt/attachments', { receipt: g.receipt, filename: 'big.txt', data: big });
  assert.equal(tb.status, 422, tb.text.slice(0, 200));
  assert.equal(tb.data.field, '/data');
  const bad = await anon.post('/api/v1/receipt/attachments', { receipt: g.receipt, data: 'not base64!' });
  assert.equal(bad.status, 422);
  assert.equal(bad.data.field, '/data');
  s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  assert.equal(s.data.attachments.length, 2);
  const c = await handler.get(`/api/v1/orgs/${slug}/cases/${g.id}`);
  assert.equal(c.data.attachments.length, 2);
});

test('staff record a grievance received by phone; filters find it', async () => {
  let r = await handler.post(`/api/v1/orgs/${slug}/cases`, { narrative: 'Called about a deleted post.', contact_preference: 'confidential',
    contact_name: 'Phone Caller', contact_phone: '+33 1 23 45 67 89', channel: 'phone', category: 'content_moderation',
    decision_date: new Date(Date.now() - 5 * 86400000).toISOString().slice(0, 10) });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.data.receipt && r.data.id);
  const id = r.data.id;
  r = await handler.post(`/api/v1/orgs/${slug}/cases`, { narrative: 'x', contact_preference: 'anonymous' });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/channel');
  r = await handler.get(`/api/v1/orgs/${slug}/cases?channel=phone`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((c) => c.id), [id]);
  r = await handler.get(`/api/v1/orgs/${slug}/cases?category=content_moderation&state=received`);
  assert.ok(r.data.items.some((c) => c.id === id));
  r = await handler.get(`/api/v1/orgs/${slug}/cases?state=closed`);
  assert.ok(!r.data.items.some((c) => c.id === id));
  for (const q of ['state=nope', 'channel=pigeon', 'limit=0', 'overdue=2', 'category=x'])
    assert.equal((await handler.get(`/api/v1/orgs/${slug}/cases?${q}`)).status, 400, q);
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${id}`);
  assert.equal(r.data.channel, 'phone');
  assert.equal(r.data.contact.name, 'Phone Caller');
  // hr_lead reads, cannot act; analyst cannot read cases.
  const hr = await env.login('hr_lead');
  assert.equal((await hr.get(`/api/v1/orgs/${slug}/cases/${id}`)).status, 200);
  assert.equal((await act(id, 'acknowledge', {}, hr)).status, 403);
  const an = await env.login('analyst');
  assert.equal((await an.get(`/api/v1/orgs/${slug}/cases/${id}`)).status, 403);
});

test('inadmissible needs a reason; the complainant can appeal, a different handler reviews', async () => {
  const g = await file();
  assert.equal((await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/assign`, { user_id: handler.me.user.id })).status, 200);
  assert.equal((await act(g.id, 'acknowledge')).status, 200);
  assert.equal((await act(g.id, 'assess')).status, 200);
  let r = await act(g.id, 'declare_inadmissible');
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/reason');
  r = await act(g.id, 'declare_inadmissible', { reason: 'Outside our products.', public_text: 'This is outside what we can look at; the data protection authority can help.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'inadmissible');
  r = await act(g.id, 'accept_remedy');
  assert.equal(r.status, 422, 'a complainant step is refused for staff');
  r = await anon.post('/api/v1/receipt/appeal', { receipt: g.receipt });
  assert.equal(r.status, 422);
  r = await anon.post('/api/v1/receipt/appeal', { receipt: g.receipt, reason: 'It is about your app.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'appealed');
  r = await act(g.id, 'review_appeal');
  assert.equal(r.status, 403, 'the previous handler may not review the appeal');
  r = await act(g.id, 'review_appeal', {}, handler2);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'in_assessment');
  assert.equal(r.data.assigned_user_id, handler2.me.user.id);
});

test('reject a remedy, withdraw; conflicts are 409', async () => {
  const g = await file();
  for (const a of ['acknowledge', 'assess', 'investigate']) assert.equal((await act(g.id, a)).status, 200);
  let r = await anon.post('/api/v1/receipt/remedy', { receipt: g.receipt, decision: 'accept' });
  assert.equal(r.status, 409, 'nothing proposed yet');
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/remedies`, { type: 'apology', description: 'We apologise.' });
  assert.equal(r.status, 201, r.text);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/remedies`, { type: 'cake', description: 'x' });
  assert.equal(r.status, 422);
  r = await anon.post('/api/v1/receipt/remedy', { receipt: g.receipt, decision: 'maybe' });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/decision');
  r = await anon.post('/api/v1/receipt/remedy', { receipt: g.receipt, decision: 'reject', comment: 'Not enough.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'remedy_rejected');
  assert.equal(r.data.remedies[0].state, 'rejected');
  r = await anon.post('/api/v1/receipt/withdraw', { receipt: g.receipt });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'withdrawn');
  assert.equal((await act(g.id, 'assess')).status, 409);
  r = await anon.post('/api/v1/receipt/withdraw', { receipt: g.receipt });
  assert.equal(r.status, 409);
});

test('triage orders the queue; recusal bars the handler', async () => {
  const a = await file();
  const b = await file();
  let r = await handler.post(`/api/v1/orgs/${slug}/cases/${b.id}/triage`, { scale: 5, scope: 4, irremediable: 5, urgent: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.priority, 1);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${b.id}/triage`, { scale: 9, scope: 1, irremediable: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/scale');
  r = await handler.get(`/api/v1/orgs/${slug}/cases?open=1`);
  assert.equal(r.data.items[0].id, b.id, 'the urgent case comes first');
  r = await handler2.post(`/api/v1/orgs/${slug}/cases/${a.id}/recuse`, {});
  assert.equal(r.status, 422);
  r = await handler2.post(`/api/v1/orgs/${slug}/cases/${a.id}/recuse`, { reason: 'My cousin filed it.' });
  assert.equal(r.status, 204, r.text);
  assert.equal((await handler2.get(`/api/v1/orgs/${slug}/cases/${a.id}`)).status, 403);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${a.id}/assign`, { user_id: handler2.me.user.id });
  assert.equal(r.status, 403, 'a recused handler cannot be assigned');
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${a.id}/assign`, { user_id: 987654 });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/user_id');
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${a.id}`);
  assert.deepEqual(r.data.recused, [handler2.me.user.id]);
});

test('a question pauses the clocks; extension of a data-subject request', async () => {
  const g = await file({ category: 'data_protection' });
  let r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/messages`, { text: 'Which account?', ask: true });
  assert.equal(r.status, 200, r.text);
  let s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  assert.equal(s.data.waiting_on_complainant, true);
  assert.ok(s.data.clocks.some((c) => c.paused));
  r = await anon.post('/api/v1/receipt/info', { receipt: g.receipt, text: 'The one ending in 42.' });
  assert.equal(r.status, 200);
  assert.equal(r.data.waiting_on_complainant, false);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/extend`, { clock: 'answer_request', days: 30, notice: 'We need more time to collect your data.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.clocks.find((c) => c.clock === 'answer_request').extended_days, 30);
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/extend`, { clock: 'answer_request', days: 60, notice: 'More.' });
  assert.equal(r.status, 422, 'at most 2 months in total');
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/extend`, { clock: 'sundial', days: 1, notice: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/clock');
  s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  assert.ok(s.data.thread.some((e) => e.text === 'We need more time to collect your data.'), 'the notice reaches the complainant');
});

test('collective cases keep each complainant\'s thread private', async () => {
  const a = await file();
  const b = await file();
  let r = await handler.post(`/api/v1/orgs/${slug}/collectives`, { title: 'Feed ranking harms' });
  assert.equal(r.status, 201, r.text);
  const cid = r.data.id;
  for (const g of [a, b]) {
    r = await handler.post(`/api/v1/orgs/${slug}/collectives/${cid}/cases`, { case_id: g.id });
    assert.equal(r.status, 200, r.text);
  }
  assert.deepEqual([...r.data.case_ids].sort(), [a.id, b.id].sort());
  r = await handler.post(`/api/v1/orgs/${slug}/collectives/${cid}/cases`, { case_id: 987654 });
  assert.equal(r.status, 422);
  r = await handler.post(`/api/v1/orgs/${slug}/collectives/987654/cases`, { case_id: a.id });
  assert.equal(r.status, 404);
  r = await handler.get(`/api/v1/orgs/${slug}/cases?collective_id=${cid}`);
  assert.equal(r.data.items.length, 2);
  await handler.post(`/api/v1/orgs/${slug}/cases/${a.id}/messages`, { text: 'Private to A' });
  const sb = await anon.post('/api/v1/receipt/status', { receipt: b.receipt, detail: true });
  assert.ok(!sb.text.includes('Private to A'));
});

test('time-limit policy: read by handlers, changed by admins', async () => {
  let r = await handler.get(`/api/v1/orgs/${slug}/grievance-policy`);
  assert.equal(r.status, 200);
  assert.equal(r.data.ack_days, 7);
  assert.equal(r.data.feedback_days, 90);
  assert.equal((await handler.req('PUT', `/api/v1/orgs/${slug}/grievance-policy`, { json: { ack_days: 5 } })).status, 403);
  const admin = await env.login('admin');
  r = await admin.req('PUT', `/api/v1/orgs/${slug}/grievance-policy`, { json: { ack_days: 5 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.ack_days, 5);
  assert.equal(r.data.feedback_days, 90);
  r = await admin.req('PUT', `/api/v1/orgs/${slug}/grievance-policy`, { json: { ack_days: 0 } });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/ack_days');
  const g = await file();
  const s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  const ack = s.data.clocks.find((c) => c.clock === 'acknowledge');
  const days = (Date.parse(ack.due_at) - Date.parse(ack.started_at)) / 86400000;
  assert.equal(days, 5, 'new cases follow the new policy');
});

test('files both ways: staff share or keep internal, downloads are the exact bytes', async () => {
  const g = await file();
  const shared = Buffer.from('%PDF-1.4\n% a tiny pdf for the test\n');
  let r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/attachments`, { filename: 'letter "x".pdf', data: shared.toString('base64'), public: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.content_type, 'application/pdf');
  const sharedId = r.data.id;
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${g.id}/attachments`, { filename: 'internal.txt', data: Buffer.from('internal memo').toString('base64') });
  assert.equal(r.status, 201, r.text);
  const internalId = r.data.id;
  const dl = await fetch(`${env.base}/api/v1/orgs/${slug}/cases/${g.id}/attachments/${sharedId}`, { headers: { cookie: handler.cookieHeader() } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="letter__x_.pdf"$/);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), shared);
  // The complainant sees and downloads the shared one, not the internal one.
  const s = await anon.post('/api/v1/receipt/status', { receipt: g.receipt, detail: true });
  assert.deepEqual(s.data.attachments.map((a) => a.id), [sharedId]);
  const pdl = await fetch(`${env.base}/api/v1/receipt/attachments/download`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receipt: g.receipt, id: sharedId }) });
  assert.equal(pdl.status, 200);
  assert.deepEqual(Buffer.from(await pdl.arrayBuffer()), shared);
  r = await anon.post('/api/v1/receipt/attachments/download', { receipt: g.receipt, id: internalId });
  assert.equal(r.status, 404);
  assert.equal(r.data.field, '/id');
  r = await anon.post('/api/v1/receipt/attachments/download', { receipt: 'AAAAA-AAAAA-AAAAA-AAAAA', id: sharedId });
  assert.equal(r.status, 404);
});

test('collective steps, referral tracking, the pathway for the complainant', async () => {
  const a = await file({ country: 'FR', category: 'data_protection' });
  const b = await file({ country: 'FR', category: 'data_protection' });
  let r = await handler.post(`/api/v1/orgs/${slug}/collectives`, { title: 'Data broker sales', description: 'Same broker, many people.' });
  const cid = r.data.id;
  for (const g of [a, b]) await handler.post(`/api/v1/orgs/${slug}/collectives/${cid}/cases`, { case_id: g.id });
  await act(b.id, 'acknowledge');
  r = await handler.post(`/api/v1/orgs/${slug}/collectives/${cid}/actions`, { action: 'acknowledge', public_text: 'We are looking at all of these together.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.applied, 1);
  assert.equal(r.data.skipped, 1);
  r = await handler.post(`/api/v1/orgs/${slug}/collectives/${cid}/actions`, { action: 'refer' });
  assert.equal(r.status, 422);
  assert.equal(r.data.field, '/reason');
  r = await handler.get(`/api/v1/orgs/${slug}/collectives`);
  assert.ok(r.data.items.some((k) => k.id === cid));
  r = await handler.get(`/api/v1/orgs/${slug}/collectives/${cid}`);
  assert.equal(r.data.description, 'Same broker, many people.');
  const admin = await env.login('admin');
  r = await admin.post('/api/v1/mechanisms', { slug: 'cnil-test', kind: 'state_non_judicial', subkind: 'data_protection_authority',
    name: 'CNIL (test)', jurisdictions: 'FR', subjects: 'data_protection' });
  assert.equal(r.status, 201, r.text);
  const mid = r.data.id;
  r = await handler.patch(`/api/v1/mechanisms/${mid}`, { last_verified: '2026-01-15', website: 'https://cnil.example' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.last_verified, '2026-01-15');
  assert.equal(r.data.name, 'CNIL (test)');
  r = await handler.patch(`/api/v1/mechanisms/${mid}`, { slug: 'renamed' });
  assert.equal(r.status, 400);
  r = await handler.patch(`/api/v1/mechanisms/${mid}`, { kind: 'wizard' });
  assert.equal(r.status, 422);
  assert.equal((await handler.get(`/api/v1/mechanisms/${mid}`)).data.website, 'https://cnil.example');
  r = await anon.post('/api/v1/receipt/status', { receipt: a.receipt, pathway: true });
  assert.ok(!('thread' in r.data), 'the thread only with detail');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.pathway.some((m) => m.slug === 'cnil-test'), 'the complainant sees the other routes');
  assert.ok(!('pathway' in (await anon.post('/api/v1/receipt/status', { receipt: a.receipt })).data));
  r = await handler.post(`/api/v1/orgs/${slug}/cases/${a.id}/referrals`, { mechanism_id: mid, kind: 'parallel' });
  assert.equal(r.status, 201, r.text);
  const rid = r.data.id;
  r = await handler.req('PATCH', `/api/v1/orgs/${slug}/cases/${a.id}/referrals/${rid}`, { json: { state: 'decided', outcome: 'Fine imposed on the broker.' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'decided');
  assert.equal(r.data.outcome, 'Fine imposed on the broker.');
  r = await handler.req('PATCH', `/api/v1/orgs/${slug}/cases/${b.id}/referrals/${rid}`, { json: { state: 'closed' } });
  assert.equal(r.status, 404, 'a referral of another case');
  r = await handler.req('PATCH', `/api/v1/orgs/${slug}/cases/${a.id}/referrals/${rid}`, { json: { state: 'lost' } });
  assert.equal(r.status, 422);
  r = await handler.get(`/api/v1/orgs/${slug}/cases/${a.id}/referrals`);
  assert.equal(r.data.items.length, 1);
  assert.equal(r.data.items[0].kind, 'parallel');
});

test('statistics for staff (no case content) and the public directory', async () => {
  const an = await env.login('analyst');
  let r = await an.get('/api/v1/grievances/stats');
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.data, 'object');
  assert.ok(!r.text.includes('A grievance for the API tests.'), 'no narrative in statistics');
  const r2 = await an.get(`/api/v1/orgs/${slug}/grievances/stats?from=2020-01-01&to=2099-12-31`);
  assert.equal(r2.status, 200, r2.text);
  assert.equal((await an.get(`/api/v1/orgs/${slug}/grievances/stats?from=yesterday`)).status, 400);
  assert.equal((await an.get(`/api/v1/orgs/${slug}/grievances/stats?from=2024-02-01&to=2024-01-01`)).status, 400);
  const auditor = await env.login('auditor');
  assert.equal((await auditor.get('/api/v1/grievances/stats')).status, 403);
  r = await anon.get('/api/v1/mechanisms/public?country=de');
  assert.equal(r.status, 200);
  assert.ok(Array.isArray(r.data.items));
  for (const m of r.data.items) assert.ok(!('id' in m) && !('source' in m), 'public view only');
  assert.equal((await anon.get('/api/v1/mechanisms/public?country=Germany')).status, 400);
});
});
