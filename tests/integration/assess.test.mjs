// The assessment engine's application over the JSON API, on every engine
// available (issue 6): entities and assessments by role, answers with
// evidence, the review workflow answered -> reviewed -> final by two
// different people (the reviewer can never finalise; finalising needs
// assess_publish), frozen answers after review, bad input answered with
// problem+json naming the field, the UNGP 31 elements evidenced from the
// grievance data (filed and acknowledged through the grievance API), the
// scorecard (JSON and CSV), element changes since the previous assessment
// with the note that explains them, ranking and comparison, the investor
// portfolio, public scorecards (final only, no staff identity) and
// isolation between organisations.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ENGINES } from './lib/server.mjs';

for (const engine of ENGINES) describe(`assessments on ${engine}`, () => {
let env;
let slug;
let admin;
let lead;
let analyst;
let auditor;
let handler;
let base;
let mech;
let asm;

before(async () => {
  env = await startServer({ sector: false, engine });
  slug = env.orgA.slug;
  base = `/api/v1/orgs/${slug}/assess`;
  admin = await env.login('admin');
  lead = await env.login('hr_lead');
  analyst = await env.login('analyst');
  auditor = await env.login('auditor');
  handler = await env.login('case_handler');
});

after(async () => {
  if (env) await env.stop();
});

function problem(r, status, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.ct, /application\/problem\+json/);
  if (field !== undefined) assert.equal(r.data.field, field, r.text);
}

test('methodologies: stored and shipped ones, for every staff role', async () => {
  for (const c of [admin, lead, analyst, auditor, handler]) {
    const r = await c.get(`${base}/methodologies`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.items.some((m) => m.slug === 'ungp31'), r.text);
  }
  assert.equal((await new Client(env.base).get(`${base}/methodologies`)).status, 401);
});

test('entities: analysts add them, auditors only read, bad input names the field', async () => {
  let r = await auditor.post(`${base}/entities`, { kind: 'mechanism', slug: 'aud', name: 'Nope' });
  assert.equal(r.status, 403, r.text);
  r = await analyst.post(`${base}/entities`, { kind: 'mechanism', slug: 'acme-mechanism', name: 'Acme grievance mechanism' });
  assert.equal(r.status, 201, r.text);
  mech = r.data;
  problem(await analyst.post(`${base}/entities`, { kind: 'mechanism', slug: 'acme-mechanism', name: 'Again' }), 409, '/slug');
  problem(await analyst.post(`${base}/entities`, { kind: 'planet', slug: 'x1', name: 'X' }), 422, '/kind');
  problem(await analyst.post(`${base}/entities`, { kind: 'company', slug: 'Bad Slug', name: 'X' }), 422, '/slug');
  problem(await analyst.post(`${base}/entities`, { kind: 'company', slug: 'x2', name: 'X', colour: 'red' }), 400, '/colour');
  problem(await analyst.post(`${base}/entities`, { kind: 'company', slug: 'x3', name: 'X', attributes: [] }), 422, '/attributes');
  r = await auditor.get(`${base}/entities?kind=mechanism`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((e) => e.slug), ['acme-mechanism']);
});

test('assessments: start one, answer with evidence; bad answers are 422 naming the member', async () => {
  problem(await analyst.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'ungp31', period: 'not a period!' }), 422, '/period');
  problem(await analyst.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'no-such-thing', period: '2025' }), 422, '/methodology');
  problem(await analyst.post(`${base}/assessments`, { entity_id: 999999, methodology: 'ungp31', period: '2025' }), 422, '/entity_id');
  assert.equal((await auditor.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'ungp31', period: '2025' })).status, 403);
  let r = await analyst.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'ungp31', period: '2025' });
  assert.equal(r.status, 201, r.text);
  asm = r.data;
  assert.equal(asm.status, 'answered');
  problem(await analyst.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'ungp31', period: '2025' }), 409);
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'legit.1', value: 'yes' }, { element: 'nope.9', value: 'yes' }] }), 422, '/answers/1/element');
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'legit.1', value: 'maybe' }] }), 422, '/answers/0/value');
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'legit.1', value: 'yes', evidence_url: 'javascript:alert(1)' }] }), 422, '/answers/0/evidence_url');
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'legit.1', value: 'yes', level: 'opcom' }] }), 422, '/answers/0/level');
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'legit.1', value: 'yes', colour: 1 }] }), 400, '/answers/0/colour');
  problem(await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [] }), 422, '/answers');
  // nothing was stored by the refused requests
  r = await analyst.get(`${base}/assessments/${asm.id}`);
  assert.equal(r.data.answers.length, 0);
  r = await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [
    { element: 'legit.1', value: 'yes', evidence_url: 'https://example.org/charter', evidence_quote: 'The board oversees it.', note: 'Charter 2025' },
    { element: 'access.1', value: 'partial', evidence_document: 'Intake policy v3' },
    { element: 'rights.2', value: 'no' },
  ] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.answers.length, 3);
  const a = r.data.answers.find((x) => x.element === 'legit.1');
  assert.equal(a.evidence_url, 'https://example.org/charter');
  assert.equal(a.note, 'Charter 2025');
  assert.equal(a.level, 'group');
  // null removes an answer
  r = await analyst.post(`${base}/assessments/${asm.id}/answers`, { answers: [{ element: 'rights.2', value: null }] });
  assert.equal(r.data.answers.length, 2);
});

test('the UNGP 31 elements hrdd can evidence come from the grievance data, each linked to its evidence', async () => {
  // three grievances; the handler acknowledges two of them
  const anon = new Client(env.base);
  for (let i = 0; i < 3; i++) {
    const r = await anon.post('/api/v1/grievances', { narrative: `Assessment evidence grievance ${i}.`, contact_preference: 'anonymous', language: i ? 'fr' : 'en' });
    assert.equal(r.status, 201, r.text);
  }
  const q = await handler.get(`/api/v1/orgs/${slug}/cases?limit=50`);
  for (const c of q.data.items.slice(0, 2)) {
    const r = await handler.post(`/api/v1/orgs/${slug}/cases/${c.id}/actions`, { action: 'acknowledge' });
    assert.equal(r.status, 200, r.text);
  }
  let r = await auditor.get(`${base}/assessments/${asm.id}/automatic`);
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.data.items.map((i) => [i.source, i]));
  assert.deepEqual(Object.keys(by).sort(), ['grievance.ack_in_time', 'grievance.appeal_available', 'grievance.languages',
    'grievance.outcomes_published', 'grievance.rules_published', 'grievance.satisfaction']);
  assert.equal(by['grievance.ack_in_time'].facts.decided, 2);
  assert.equal(by['grievance.ack_in_time'].facts.met, 2);
  assert.equal(by['grievance.ack_in_time'].value, 'yes');
  assert.equal(by['grievance.ack_in_time'].evidence_url, '/grievance-stats');
  assert.equal(by['grievance.rules_published'].evidence_url, '/mechanism');
  assert.equal(by['grievance.languages'].value, 'yes', JSON.stringify(by['grievance.languages']));
  assert.equal(by['grievance.outcomes_published'].facts.cases, 3);
  assert.equal(by['grievance.satisfaction'].value, 'na');
  assert.equal(by['grievance.satisfaction'].facts.mean, null);
  assert.equal((await auditor.post(`${base}/assessments/${asm.id}/automatic`)).status, 403);
  r = await analyst.post(`${base}/assessments/${asm.id}/automatic`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.filled, 6);
  r = await analyst.get(`${base}/assessments/${asm.id}/scorecard`);
  assert.equal(r.status, 200, r.text);
  const pred2 = r.data.answers.find((x) => x.element === 'pred.2');
  assert.equal(pred2.value, 'yes');
  assert.equal(pred2.evidence_url, '/grievance-stats');
  assert.match(pred2.note, /^automatic: grievance\.ack_in_time/);
  assert.equal(JSON.parse(pred2.evidence_quote).decided, 2);
  assert.equal(typeof r.data.total, 'number');
  assert.equal(r.data.rounded, Math.round(r.data.total));
});

test('review and finalise by two different people; answers are frozen after review', async () => {
  const path = `${base}/assessments/${asm.id}`;
  assert.equal((await auditor.post(`${path}/review`)).status, 403);
  let r = await lead.post(`${path}/review`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'reviewed');
  assert.equal(r.data.reviewed_by, lead.me.user.id);
  problem(await analyst.post(`${path}/answers`, { answers: [{ element: 'legit.2', value: 'yes' }] }), 409, '/status');
  problem(await lead.post(`${path}/review`), 409, '/status');
  // an analyst may not publish at all; the reviewer may not finalise
  assert.equal((await analyst.post(`${path}/finalise`)).status, 403);
  problem(await lead.post(`${path}/finalise`), 403, '/status');
  // reopen and review again by the analyst, then the lead may finalise
  r = await analyst.post(`${path}/reopen`);
  assert.equal(r.data.status, 'answered', r.text);
  assert.equal(r.data.reviewed_by, 0);
  r = await analyst.post(`${path}/review`);
  assert.equal(r.data.reviewed_by, analyst.me.user.id);
  r = await lead.post(`${path}/finalise`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'final');
  assert.equal(r.data.finalised_by, lead.me.user.id);
  // the staff page names the reviewer and the finaliser, not their account numbers
  const page = await lead.get(`/assess/assessments/${asm.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<dd>A analyst, /, 'reviewed by the analyst, by name');
  assert.match(page.text, /<dd>A hr_lead, /, 'finalised by the lead, by name');
  assert.doesNotMatch(page.text, /<dd>#\d+/);
  problem(await admin.post(`${path}/reopen`), 409, '/status');
  problem(await admin.post(`${path}/answers`, { answers: [{ element: 'legit.2', value: 'yes' }] }), 409);
  assert.equal((await admin.del(path)).status, 409);
  // the audit trail records each step without content
  const au = await admin.get(`/api/v1/orgs/${slug}/audit?limit=100`);
  const steps = au.data.items.filter((e) => e.object_type === 'assessment' && e.object_id === String(asm.id)).map((e) => e.action);
  for (const s of ['create', 'answer', 'auto_answer', 'review', 'reopen', 'finalise']) assert.ok(steps.includes(s), `${s} in ${steps}`);
  assert.ok(!au.text.includes('Charter 2025'));
});

test('the next period: changes per element with the note that explains them, and the previous total', async () => {
  let r = await analyst.post(`${base}/assessments`, { entity_id: mech.id, methodology: 'ungp31', period: '2026' });
  assert.equal(r.status, 201, r.text);
  const next = r.data;
  r = await analyst.post(`${base}/assessments/${next.id}/answers`, { answers: [
    { element: 'legit.1', value: 'partial', note: 'The oversight board was dissolved in 2026.' },
    { element: 'access.1', value: 'partial' },
    { element: 'dial.1', value: 'yes', note: 'New user council.' },
  ] });
  assert.equal(r.status, 200, r.text);
  r = await auditor.get(`${base}/assessments/${next.id}/changes`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.previous.id, asm.id);
  const ch = Object.fromEntries(r.data.items.map((c) => [c.element, c]));
  assert.deepEqual(ch['legit.1'], { element: 'legit.1', level: 'group', before: 'yes', after: 'partial', why: 'The oversight board was dissolved in 2026.' });
  assert.equal(ch['dial.1'].before, null);
  assert.equal(ch['pred.1'].after, null);          // answered before, not now
  assert.ok(!ch['access.1'], 'unchanged answers are not listed');
  r = await auditor.get(`${base}/assessments/${next.id}/scorecard`);
  assert.equal(r.data.previous.id, asm.id);
  assert.equal(r.data.previous.period, '2025');
  // CSV of the scorecard
  r = await auditor.get(`${base}/assessments/${next.id}/scorecard.csv`);
  assert.equal(r.status, 200);
  assert.match(r.ct, /^text\/csv/);
  const lines = r.text.trim().split('\r\n');
  assert.match(lines[0], /^entity,period,methodology,version,type,id,name/);
  assert.ok(lines.some((l) => l.includes(',answer,legit.1,')), lines.slice(0, 3).join('\n'));
});

test('ranking, comparison and CSV', async () => {
  let r = await analyst.post(`${base}/entities`, { kind: 'mechanism', slug: 'other-mechanism', name: '=Other mechanism' });
  assert.equal(r.status, 201, r.text);
  r = await analyst.post(`${base}/assessments`, { entity_id: r.data.id, methodology: 'ungp31', period: '2026' });
  const other = r.data;
  await analyst.post(`${base}/assessments/${other.id}/answers`, { answers: [{ element: 'legit.1', value: 'yes' }, { element: 'access.1', value: 'yes' }] });
  const list = await auditor.get(`${base}/assessments?entity_id=${mech.id}`);
  assert.equal(list.data.items.length, 2);
  const mid = list.data.items[0].methodology_id;
  r = await auditor.get(`${base}/methodologies/${mid}/ranking`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.items.length, 2, 'the latest assessment per entity');
  assert.equal(r.data.items[0].entity.name, '=Other mechanism');
  assert.equal(r.data.items[0].rank, 1);
  assert.ok(r.data.items[0].total >= r.data.items[1].total);
  r = await auditor.get(`${base}/methodologies/${mid}/ranking.csv`);
  assert.match(r.ct, /^text\/csv/);
  assert.match(r.text, /^rank,entity,period,status,total,rounded/);
  assert.ok(r.text.includes(",\"'=Other mechanism\","), 'a formula-looking name is neutralised');
  r = await auditor.get(`${base}/methodologies/${mid}/ranking?final=1`);
  assert.equal(r.data.items.length, 1);
  const mine = list.data.items.find((a) => a.period === '2026');
  r = await auditor.get(`${base}/compare?a=${mine.id}&b=${other.id}`);
  assert.equal(r.status, 200, r.text);
  const total = r.data.rows.find((x) => x.kind === 'total');
  assert.ok(Math.abs(total.difference - (total.a - total.b)) < 1e-9);
  assert.ok(r.data.rows.some((x) => x.kind === 'category'));
  r = await auditor.get(`${base}/compare.csv?a=${mine.id}&b=${other.id}`);
  assert.match(r.ct, /^text\/csv/);
  problem(await auditor.get(`${base}/compare?a=${mine.id}`), 400, 'b');
  assert.equal((await auditor.get(`${base}/compare?a=${mine.id}&b=99999`)).status, 404);
});

test('investor portfolio: holdings with latest score, salient risks and engagement notes', async () => {
  let r = await analyst.req('PUT', `${base}/portfolio/${mech.id}`, { json: { salient_risks: ['Retaliation against complainants', 'Privacy'], engagement_notes: 'Met the board in May.' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.items.length, 1);
  const h = r.data.items[0];
  assert.deepEqual(h.salient_risks, ['Retaliation against complainants', 'Privacy']);
  assert.equal(h.engagement_notes, 'Met the board in May.');
  assert.equal(h.latest.period, '2026');
  assert.equal(typeof h.latest.total, 'number');
  problem(await analyst.req('PUT', `${base}/portfolio/${mech.id}`, { json: { salient_risks: 'one' } }), 422, '/salient_risks');
  problem(await analyst.req('PUT', `${base}/portfolio/${mech.id}`, { json: { salient_risks: ['ok', 3] } }), 422, '/salient_risks/1');
  problem(await analyst.req('PUT', `${base}/portfolio/999999`, { json: { salient_risks: [] } }), 404);
  assert.equal((await auditor.req('PUT', `${base}/portfolio/${mech.id}`, { json: { salient_risks: [] } })).status, 403);
  r = await auditor.get(`${base}/portfolio`);
  assert.equal(r.data.items.length, 1);
});

test('public scorecards: final assessments only, without staff identities; other organisations see nothing', async () => {
  const anon = new Client(env.base);
  let r = await anon.get('/api/v1/scorecards');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data.items.map((i) => i.id), [asm.id]);
  r = await anon.get(`/api/v1/scorecards/${asm.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.assessment.status, 'final');
  assert.ok(!('reviewed_by' in r.data.assessment) && !('finalised_by' in r.data.assessment));
  assert.ok(!('answers' in r.data));
  assert.ok(!r.text.includes('Charter 2025'));
  const draft = (await auditor.get(`${base}/assessments?status=answered`)).data.items[0];
  assert.equal((await anon.get(`/api/v1/scorecards/${draft.id}`)).status, 404);
  // the public pages
  let res = await fetch(`${env.base}/scorecards`);
  assert.equal(res.status, 200);
  res = await fetch(`${env.base}/scorecards/${asm.id}`);
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.match(html, /Acme grievance mechanism/);
  assert.match(html, /<svg[^>]+role="img"/);
  assert.match(html, /href="(&#47;|\/)mechanism"/, 'the evidence links the published rules and statistics');
  assert.doesNotMatch(html, /grievance-stats/, 'no staff page is linked from a public scorecard');
  assert.equal((await fetch(`${env.base}/scorecards/${draft.id}`)).status, 404);
  // another organisation's staff
  const other = await env.login('admin', 'b');
  const ob = `/api/v1/orgs/${env.orgB.slug}/assess`;
  assert.equal((await other.get(`${ob}/assessments/${asm.id}`)).status, 404);
  assert.equal((await other.get(`${ob}/assessments/${asm.id}/scorecard`)).status, 404);
  assert.equal((await other.post(`${ob}/assessments/${draft.id}/answers`, { answers: [{ element: 'legit.1', value: 'no' }] })).status, 404);
  assert.equal((await other.get(`${ob}/entities`)).data.items.length, 0);
  assert.equal((await other.get(`${base}/assessments`)).status, 404);
});
});
