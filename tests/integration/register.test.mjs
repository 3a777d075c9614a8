// The due diligence register over the JSON API, on every engine: bad input
// (each a 4xx problem naming the field, nothing stored), approval of policy
// versions and assessments by each role (only hr_lead and admin), the
// prioritised order (severity before likelihood), the grievance link
// (potential -> possibly_actual, one reassessment queued), the engagement
// fatigue warning, CSV exports, the public outputs (approved content only,
// no staff names, contact notes, stakeholder names or case references),
// organisation isolation, and export -> import into an empty database ->
// export again with nothing lost; an import with errors lists every path
// and stores nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ENGINES } from './lib/server.mjs';
import { schemaErrors, responseSchema } from './lib/schema.mjs';

for (const engine of ENGINES) describe(`register API on ${engine}`, () => {
let env;
let slug;
let lead;
let analyst;
let admin;
let O;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
const daysAhead = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
let scope;        // a product scope object
let extra = [];   // servers started by the round trip

before(async () => {
  env = await startServer({ sector: false, engine });
  slug = env.orgA.slug;
  O = `/api/v1/orgs/${slug}`;
  lead = await env.login('hr_lead');
  analyst = await env.login('analyst');
  admin = await env.login('admin');
  const r = await analyst.post(`${O}/scope-objects`, { slug: 'photo-feed', kind: 'product', name: 'Photo feed',
    phase: 'use', countries: ['DE', 'KE'], markers: ['children_users'] });
  assert.equal(r.status, 201, r.text);
  scope = r.data;
});

after(async () => {
  for (const e of extra) await e.stop().catch(() => {});
  if (env) await env.stop();
});

function impact(extraFields = {}) {
  return { scope_id: scope.id, title: 'Recommendations expose teenagers to self-harm content', status: 'potential',
    rights: ['CRC-24', 'ICESCR-12'], involvement: 'contribute', scale: 4, scope: 3, irremediable: 3, likelihood: 3,
    evidence: ['stakeholder_input'], ...extraFields };
}

async function count(path) {
  const r = await lead.get(`${O}/${path}?limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.data.items.length;
}

function problem(r, status, field, what) {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  assert.match(r.ct, /^application\/problem\+json/, what);
  if (field) assert.equal(r.data.field, field, `${what}: field ${r.data.field} (${r.data.detail})`);
}

test('scope objects: created, listed, bad input named, slug conflict', async () => {
  let r = await lead.get(`${O}/scope-objects/${scope.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.countries, ['DE', 'KE']);
  const bad = [
    [{ slug: 'x', kind: 'gadget', name: 'x', phase: 'use' }, 422, '/kind'],
    [{ slug: 'x', kind: 'product', name: 'x', phase: 'someday' }, 422, '/phase'],
    [{ slug: 'Not A Slug', kind: 'product', name: 'x', phase: 'use' }, 422, '/slug'],
    [{ slug: 'x', kind: 'product', name: 'x', phase: 'use', countries: ['d3'] }, 422, '/countries/0'],
    [{ slug: 'x', kind: 'product', name: 'x', phase: 'use', markers: ['spooky'] }, 422, '/markers/0'],
    [{ slug: 'x', kind: 'product', name: 'x', phase: 'use', product_id: 999999 }, 422, '/product_id'],
    [{ slug: 'x', kind: 'feature', name: 'x', phase: 'use', parent_id: 999999 }, 422, '/parent_id'],
    [{ slug: 'x', kind: 'product', phase: 'use' }, 422, '/name'],
    [{ slug: 'x', kind: 'product', name: 'x', phase: 'use', colour: 'red' }, 400, '/colour'],
    [{ slug: 'photo-feed', kind: 'product', name: 'Again', phase: 'use' }, 409, '/slug'],
  ];
  const before = await count('scope-objects');
  for (const [body, status, field] of bad) problem(await analyst.post(`${O}/scope-objects`, body), status, field, JSON.stringify(body));
  assert.equal(await count('scope-objects'), before, 'nothing stored');
  r = await analyst.patch(`${O}/scope-objects/${scope.id}`, { description: 'The photo and video feed.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.description, 'The photo and video feed.');
  assert.equal(r.data.slug, 'photo-feed');
});

test('impacts: every bad field is a 4xx naming it, and nothing is stored', async () => {
  const before = await count('impacts');
  const bad = [
    [{ scale: 7 }, 422, '/scale'],
    [{ scale: 0 }, 422, '/scale'],
    [{ scope: 6 }, 422, '/scope'],
    [{ irremediable: -1 }, 422, '/irremediable'],
    [{ likelihood: 6 }, 422, '/likelihood'],
    [{ likelihood: 0 }, 422, '/likelihood'],                       // potential needs a likelihood
    [{ scale: 'high' }, 422, '/scale'],
    [{ rights: ['XX-99'] }, 422, '/rights/0'],
    [{ rights: ['ICCPR-17', 'UDHR-99'] }, 422, '/rights/1'],
    [{ rights: [] }, 422, '/rights'],
    [{ rights: 'ICCPR-17' }, 422, '/rights'],
    [{ scope_id: 999999 }, 422, '/scope_id'],
    [{ status: 'maybe' }, 422, '/status'],
    [{ involvement: 'bystander' }, 422, '/involvement'],
    [{ countries: ['de'] }, 422, '/countries/0'],
    [{ evidence: ['rumour'] }, 422, '/evidence/0'],
    [{ title: '' }, 422, '/title'],
    [{ colour: 'red' }, 400, '/colour'],
  ];
  for (const [fields, status, field] of bad)
    problem(await analyst.post(`${O}/impacts`, impact(fields)), status, field, JSON.stringify(fields));
  let r = await analyst.post(`${O}/impacts`, { ...impact(), scope_id: undefined });
  problem(r, 422, '/scope_id', 'no scope');
  assert.equal(await count('impacts'), before, 'nothing stored');
  // an actual impact may leave likelihood at 0 (it counts as certain)
  r = await analyst.post(`${O}/impacts`, impact({ status: 'actual', likelihood: 0, title: 'Actual one' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.effective_likelihood, 5);
  assert.deepEqual(r.data.responses, ['cease_or_prevent_contribution', 'use_leverage', 'remedy']);
  // PATCH: out of range named, nothing changed
  problem(await analyst.patch(`${O}/impacts/${r.data.id}`, { scale: 9 }), 422, '/scale', 'patch scale');
  problem(await analyst.patch(`${O}/impacts/${r.data.id}`, { rights: ['NOPE'] }), 422, '/rights/0', 'patch rights');
  const g = await lead.get(`${O}/impacts/${r.data.id}`);
  assert.equal(g.data.scale, 4);
  // auditors read, never write
  const auditor = await env.login('auditor');
  assert.equal((await auditor.get(`${O}/impacts`)).status, 200);
  problem(await auditor.post(`${O}/impacts`, impact()), 403, null, 'auditor write');
});

test('prioritised order: severity before likelihood, then the documented ties', async () => {
  const mk = async (title, s, sc, irr, l, status = 'potential') => {
    const r = await analyst.post(`${O}/impacts`, impact({ title, scale: s, scope: sc, irremediable: irr, likelihood: l, status }));
    assert.equal(r.status, 201, r.text);
    return r.data.id;
  };
  const a = await mk('sev 12 lik 2', 4, 4, 4, 2);
  const b = await mk('sev 11 lik 5', 5, 3, 3, 5);
  const c = await mk('sev 12 lik 4', 4, 4, 4, 4);
  const d = await mk('sev 12 lik 4 more irremediable', 3, 4, 5, 4);
  const e = await mk('sev 12 actual', 4, 4, 4, 0, 'actual');
  const r = await lead.get(`${O}/impacts?sort=salience&limit=500`);
  assert.equal(r.status, 200);
  const order = r.data.items.map((x) => x.id).filter((id) => [a, b, c, d, e].includes(id));
  // actual (likelihood 5) > irremediable 5 > (4,4,4) lik 4 > lik 2; then severity 11
  assert.deepEqual(order, [e, d, c, a, b]);
  r.data.items.forEach((x, i) => assert.equal(x.rank, i + 1));
  const s = await lead.get(`${O}/register/salient-issues`);
  assert.equal(s.status, 200);
  assert.deepEqual(s.data.items.map((x) => x.impact_id), r.data.items.map((x) => x.id));
  problem(await lead.get(`${O}/impacts?sort=loudness`), 400, 'sort', 'bad sort');
  // heat map: the actual one sits in band 4, likelihood 5
  const h = await lead.get(`${O}/register/heatmap`);
  assert.equal(h.status, 200);
  assert.equal(h.data.cells.length, 25);
  const cell = h.data.cells.find((x) => x.band === 4 && x.likelihood === 5);
  assert.ok(cell.impact_ids.includes(e));
  assert.equal(h.data.total, r.data.items.length);
});

test('policy commitments: only hr_lead and admin approve (every role tried)', async () => {
  let r = await analyst.post(`${O}/policy-commitments`, { title: 'Human rights policy', body_md: '# We respect rights\n' });
  assert.equal(r.status, 201, r.text);
  const v1 = r.data;
  assert.equal(v1.status, 'draft');
  assert.equal(v1.version, 1);
  problem(await analyst.post(`${O}/policy-commitments`, { body_md: 'x' }), 422, '/title', 'no title');
  problem(await analyst.post(`${O}/policy-commitments`, { title: 'x', body_md: 'x', scope_rights: ['NOPE'] }), 422, '/scope_rights/0', 'bad right');
  for (const role of ['analyst', 'case_handler', 'auditor']) {
    const c = await env.login(role);
    problem(await c.post(`${O}/policy-commitments/${v1.id}/approve`, {}), 403, null, `${role} approves`);
  }
  const other = await env.login('admin', 'b');
  assert.equal((await other.post(`${O}/policy-commitments/${v1.id}/approve`, {})).status, 404, 'another org: 404');
  const otherOwn = await other.post(`/api/v1/orgs/${env.orgB.slug}/policy-commitments/${v1.id}/approve`, {});
  assert.equal(otherOwn.status, 404, 'id of another org: 404');
  assert.equal((await lead.get(`${O}/policy-commitments/${v1.id}`)).data.status, 'draft', 'still a draft');
  r = await lead.post(`${O}/policy-commitments/${v1.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'approved');
  assert.equal(r.data.approved_role, 'hr_lead');
  problem(await lead.post(`${O}/policy-commitments/${v1.id}/approve`, {}), 409, '/status', 'approve twice');
  problem(await analyst.patch(`${O}/policy-commitments/${v1.id}`, { title: 'Changed' }), 409, null, 'edit approved');
  r = await analyst.post(`${O}/policy-commitments/${v1.id}/communications`, { day: daysAgo(3), channel: 'intranet', audience: 'staff', note: 'All-hands' });
  assert.equal(r.status, 201, r.text);
  problem(await analyst.post(`${O}/policy-commitments/${v1.id}/communications`, { channel: 'pigeon', audience: 'staff' }), 422, '/channel', 'bad channel');
  r = await analyst.post(`${O}/policy-commitments/${v1.id}/links`, { title: 'Content policy', url: 'https://example.org/p', function: 'trust_and_safety' });
  assert.equal(r.status, 201, r.text);
  // version 2, approved by admin: version 1 is superseded
  r = await analyst.post(`${O}/policy-commitments`, { title: 'Human rights policy, 2nd edition', body_md: '# Now with end use\n', end_use: true });
  const v2 = r.data;
  assert.equal(v2.version, 2);
  r = await analyst.patch(`${O}/policy-commitments/${v2.id}`, { body_md: '# Now with end use and investees\n' });
  assert.equal(r.status, 200, r.text);
  r = await admin.post(`${O}/policy-commitments/${v2.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.approved_role, 'admin');
  r = await lead.get(`${O}/policy-commitments/${v1.id}`);
  assert.equal(r.data.status, 'superseded');
  assert.equal(r.data.communications.length, 1);
  assert.equal(r.data.links.length, 1);
  // public: current approved version and its history, no staff identities
  const anon = new Client(env.base);
  r = await anon.get(`${O}/human-rights-policy`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.current.version, 2);
  assert.deepEqual(r.data.history.map((x) => x.version), [2, 1]);
  assert.doesNotMatch(r.text, /approved_by|created_by|acme\.test/);
});

test('assessments: due dates, completion, approval by hr_lead/admin only, due list', async () => {
  let r = await analyst.post(`${O}/assessments`, { scope_id: scope.id, kind: 'hria', trigger: 'major_change',
    trigger_note: 'New recommendation model', event_day: daysAgo(10) });
  assert.equal(r.status, 201, r.text);
  const a = r.data;
  assert.equal(a.due_day, daysAgo(10));
  assert.equal(a.due_status, 'overdue');
  assert.equal(a.days_overdue, 10);
  problem(await analyst.post(`${O}/assessments`, { scope_id: scope.id, trigger: 'whim' }), 422, '/trigger', 'bad trigger');
  problem(await analyst.post(`${O}/assessments`, { scope_id: 999999, trigger: 'periodic' }), 422, '/scope_id', 'dangling scope');
  problem(await analyst.post(`${O}/assessments`, { scope_id: scope.id, trigger: 'periodic', event_day: '2026-02-30' }), 422, '/event_day', 'bad day');
  problem(await analyst.post(`${O}/assessments`, { scope_id: scope.id, trigger: 'periodic', impact_id: 999999 }), 422, '/impact_id', 'dangling impact');
  r = await analyst.post(`${O}/assessments`, { scope_id: scope.id, kind: 'dd_review', trigger: 'new_activity', event_day: daysAhead(20) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.due_status, 'due_soon');
  r = await lead.get(`${O}/assessments/due`);
  assert.equal(r.status, 200);
  assert.ok(r.data.overdue >= 1 && r.data.due_soon >= 1);
  assert.equal(r.data.items[0].due_status, 'overdue', 'overdue first');
  assert.equal(r.data.today, today);
  // approve an open one: 409; complete; approve by each role
  problem(await lead.post(`${O}/assessments/${a.id}/approve`, {}), 409, '/status', 'approve open');
  const imp = await analyst.post(`${O}/impacts`, impact({ title: 'Finding of the HRIA' }));
  problem(await analyst.post(`${O}/assessments/${a.id}/complete`, { completed_day: daysAhead(2) }), 422, '/completed_day', 'future day');
  problem(await analyst.post(`${O}/assessments/${a.id}/complete`, { findings: [999999] }), 422, '/findings/0', 'dangling finding');
  r = await analyst.post(`${O}/assessments/${a.id}/complete`, { summary: 'Teen exposure is the salient risk.', findings: [imp.data.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'completed');
  assert.deepEqual(r.data.findings, [imp.data.id]);
  assert.equal(r.data.due_status, 'late');
  for (const role of ['analyst', 'case_handler', 'auditor']) {
    const c = await env.login(role);
    problem(await c.post(`${O}/assessments/${a.id}/approve`, {}), 403, null, `${role} approves`);
  }
  r = await lead.req('POST', `${O}/assessments/${a.id}/approve`);   // no body at all
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'approved');
  problem(await admin.post(`${O}/assessments/${a.id}/approve`, {}), 409, '/status', 'approve twice');
  // the approved finding is published in the product summary and the report
  const anon = new Client(env.base);
  r = await anon.get(`${O}/impact-summaries/photo-feed`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.salient_issues.some((x) => x.title === 'Finding of the HRIA'));
  assert.equal(r.data.assessments[0].summary, 'Teen exposure is the salient risk.');
  assert.equal((await anon.get(`${O}/impact-summaries/no-such-product`)).status, 404);
  r = await anon.get(`${O}/human-rights-report`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.salient_issues.some((x) => x.title === 'Finding of the HRIA'));
  assert.ok(!r.data.salient_issues.some((x) => x.title === 'Actual one'), 'unreviewed impacts stay internal');
});

test('actions and indicators: dangling references named; measurements give trend and status', async () => {
  const imp = (await analyst.post(`${O}/impacts`, impact({ title: 'Tracked impact' }))).data;
  const bad = [
    [{ impact_id: 999999, kind: 'mitigate', title: 'x', function: 'product' }, '/impact_id'],
    [{ impact_id: imp.id, kind: 'pray', title: 'x', function: 'product' }, '/kind'],
    [{ impact_id: imp.id, kind: 'mitigate', title: 'x', function: 'astrology' }, '/function'],
    [{ impact_id: imp.id, kind: 'mitigate', title: 'x', function: 'product', status: 'dreaming' }, '/status'],
    [{ impact_id: imp.id, kind: 'mitigate', title: 'x', function: 'product', owner_id: 999999 }, '/owner_id'],
    [{ impact_id: imp.id, kind: 'mitigate', title: 'x', function: 'product', due_day: 'soon' }, '/due_day'],
  ];
  for (const [body, field] of bad) problem(await analyst.post(`${O}/actions`, body), 422, field, JSON.stringify(body));
  let r = await analyst.post(`${O}/actions`, { impact_id: imp.id, kind: 'mitigate', title: 'Default filter for teens',
    function: 'product', due_day: daysAhead(30), owner_name: 'Feed lead' });
  assert.equal(r.status, 201, r.text);
  const act = r.data;
  assert.equal(act.status, 'planned');
  r = await analyst.patch(`${O}/actions/${act.id}`, { status: 'done', integration: 'Release checklist item' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'done');
  assert.equal((await lead.get(`${O}/actions?impact_id=${imp.id}`)).data.items.length, 1);
  problem(await analyst.post(`${O}/indicators`, { impact_id: imp.id, action_id: act.id, name: 'x', unit: '%', direction: 'decrease', target: 1 }), 422, '/impact_id', 'both');
  problem(await analyst.post(`${O}/indicators`, { name: 'x', unit: '%', direction: 'decrease', target: 1 }), 422, '/impact_id', 'neither');
  problem(await analyst.post(`${O}/indicators`, { impact_id: imp.id, name: 'x', unit: '%', direction: 'sideways', target: 1 }), 422, '/direction', 'direction');
  problem(await analyst.post(`${O}/indicators`, { impact_id: imp.id, name: 'x', unit: '%', direction: 'maintain', target: 1, tolerance: -1 }), 422, '/tolerance', 'tolerance');
  r = await analyst.post(`${O}/indicators`, { impact_id: imp.id, name: 'Teen sessions shown harmful content', unit: 'per 10k', direction: 'decrease', target: 1 });
  assert.equal(r.status, 201, r.text);
  const ind = r.data;
  assert.equal(ind.track, 'no_data');
  for (const [ago, v] of [[150, 9], [120, 8], [90, 7], [60, 5], [30, 4], [0, 3]]) {
    r = await analyst.post(`${O}/indicators/${ind.id}/measurements`, { day: daysAgo(ago), value: v });
    assert.equal(r.status, 201, r.text);
  }
  r = await analyst.post(`${O}/indicators/${ind.id}/measurements`, { day: today, value: 2.5, note: 'corrected' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.measurements.length, 6, 'the same day replaces');
  assert.equal(r.data.latest, 2.5);
  assert.equal(r.data.trend, 'down');
  assert.equal(r.data.track, 'on_track');
  problem(await analyst.post(`${O}/indicators/${ind.id}/measurements`, { day: daysAhead(1), value: 1 }), 422, '/day', 'future');
  problem(await analyst.post(`${O}/indicators/${ind.id}/measurements`, { value: 'lots' }), 422, '/value', 'not a number');
  r = await lead.get(`${O}/impacts/${imp.id}/tracking`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.indicators.length, 1);
  assert.equal(r.data.indicators[0].measurements.length, 6);
  r = await lead.get(`${O}/impacts/${imp.id}`);
  assert.equal(r.data.action_list.length, 1);
});

test('grievance link: potential -> possibly_actual, one reassessment queued, errors named', async () => {
  const anon = new Client(env.base);
  const handler = await env.login('case_handler');
  const file = async () => {
    const f = await anon.post('/api/v1/grievances', { narrative: 'My photos were recognised and tagged without consent.', contact_preference: 'anonymous' });
    assert.equal(f.status, 201, f.text);
    const q = await handler.get(`${O}/cases?limit=500`);
    return q.data.items.find((c) => c.reference === f.data.reference);
  };
  const c1 = await file();
  const c2 = await file();
  const imp = (await analyst.post(`${O}/impacts`, impact({ title: 'Face matching without consent', rights: ['ICCPR-17'] }))).data;
  let r = await analyst.post(`${O}/impacts/${imp.id}/grievances`, { case_id: c1.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.old_status, 'potential');
  assert.equal(r.data.status, 'possibly_actual');
  assert.equal(r.data.reassessment_queued, true);
  const reassessment = r.data.reassessment_id;
  assert.ok(reassessment > 0);
  r = await analyst.post(`${O}/impacts/${imp.id}/grievances`, { reference: c2.reference });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.status, 'possibly_actual');
  assert.equal(r.data.reassessment_queued, false, 'one reassessment per impact');
  assert.equal(r.data.reassessment_id, reassessment);
  problem(await analyst.post(`${O}/impacts/${imp.id}/grievances`, { case_id: c1.id }), 409, '/case_id', 'linked twice');
  problem(await analyst.post(`${O}/impacts/${imp.id}/grievances`, { case_id: 999999 }), 422, '/case_id', 'no such case');
  problem(await analyst.post(`${O}/impacts/${imp.id}/grievances`, { reference: 'G-NOPE0000' }), 422, '/reference', 'no such reference');
  problem(await analyst.post(`${O}/impacts/${imp.id}/grievances`, {}), 422, '/case_id', 'nothing');
  // a case of another organisation is no case here
  const bCase = await anon.post(`/api/v1/orgs/${env.orgB.slug}/grievances`, { narrative: 'Elsewhere.', contact_preference: 'anonymous' });
  const bh = await env.login('case_handler', 'b');
  const bId = (await bh.get(`/api/v1/orgs/${env.orgB.slug}/cases?limit=500`)).data.items.find((c) => c.reference === bCase.data.reference).id;
  problem(await analyst.post(`${O}/impacts/${imp.id}/grievances`, { case_id: bId }), 422, '/case_id', 'case of another org');
  r = await lead.get(`${O}/impacts/${imp.id}`);
  assert.equal(r.data.status, 'possibly_actual');
  assert.equal(r.data.grievances, 2);
  assert.equal(r.data.reassessment_open, true);
  assert.deepEqual(r.data.grievance_links.map((l) => l.case_reference).sort(), [c1.reference, c2.reference].sort());
  r = await lead.get(`${O}/assessments/${reassessment}`);
  assert.equal(r.data.trigger, 'grievance');
  assert.equal(r.data.impact_id, imp.id);
  assert.equal(r.data.scope_id, scope.id);
  assert.ok((await lead.get(`${O}/assessments/due?limit=500`)).data.items.some((x) => x.id === reassessment));
  r = await lead.get(`${O}/impacts/${imp.id}/tracking`);
  assert.equal(r.data.grievances, 2);
  assert.equal(r.data.grievances_per_month.at(-1).count, 2);
  // an actual impact takes the grievance as evidence: no reassessment
  const act = (await analyst.post(`${O}/impacts`, impact({ title: 'Already happening', status: 'actual', likelihood: 0 }))).data;
  const c3 = await file();
  r = await analyst.post(`${O}/impacts/${act.id}/grievances`, { case_id: c3.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.status, 'actual');
  assert.equal(r.data.reassessment_queued, false);
  assert.equal(r.data.reassessment_id, null);
});

test('engagements: the fatigue warning past the limit per quarter; the engagement is still stored', async () => {
  let r = await analyst.post(`${O}/stakeholders`, { name: 'Digital rights group', kind: 'organisation', region: 'East Africa',
    countries: ['KE'], global_south: true, contact: 'Signal group, ask for the programme officer' });
  assert.equal(r.status, 201, r.text);
  const sh = r.data;
  problem(await analyst.post(`${O}/stakeholders`, { name: 'x', kind: 'crowd' }), 422, '/kind', 'bad kind');
  problem(await analyst.post(`${O}/engagements`, { stakeholder_id: 999999, step: 'assess', topics: 'x', format: 'meeting' }), 422, '/stakeholder_id', 'dangling');
  problem(await analyst.post(`${O}/engagements`, { stakeholder_id: sh.id, step: 'gossip', topics: 'x', format: 'meeting' }), 422, '/step', 'step');
  problem(await analyst.post(`${O}/engagements`, { stakeholder_id: sh.id, step: 'assess', topics: 'x', format: 'meeting', impact_ids: [999999] }), 422, '/impact_ids/0', 'dangling impact');
  problem(await analyst.post(`${O}/engagements`, { stakeholder_id: sh.id, step: 'assess', topics: 'x', format: 'meeting', day: daysAhead(3) }), 422, '/day', 'future');
  const imp = (await lead.get(`${O}/impacts?limit=1`)).data.items[0];
  const warnings = [];
  for (let i = 0; i < 4; i++) {
    r = await analyst.post(`${O}/engagements`, { stakeholder_id: sh.id, day: today, step: 'assess', topics: `Round ${i + 1}`,
      format: 'meeting', impact_ids: [imp.id] });
    assert.equal(r.status, 201, r.text);
    warnings.push(r.data.fatigue.warning);
    assert.equal(r.data.fatigue.count_before, i);
    assert.equal(r.data.fatigue.limit, 3);
  }
  assert.deepEqual(warnings, [false, false, false, true]);
  r = await lead.get(`${O}/engagements?stakeholder_id=${sh.id}`);
  assert.equal(r.data.items.length, 4, 'every engagement is stored');
  r = await lead.get(`${O}/stakeholders/${sh.id}/fatigue`);
  assert.equal(r.status, 200);
  assert.equal(r.data.warning, true);
  r = await lead.get(`${O}/register/coverage`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.items.some((x) => x.impact_id === imp.id && x.engagements === 4 && x.covered === false),
    'an organisation is not the affected group');
  r = await analyst.post(`${O}/stakeholders`, { name: 'Affected teenagers panel', kind: 'affected_group', global_south: false });
  r = await analyst.post(`${O}/engagements`, { stakeholder_id: r.data.id, step: 'track', topics: 'x', format: 'workshop', impact_ids: [imp.id] });
  assert.equal(r.status, 201, r.text);
  r = await lead.get(`${O}/register/coverage`);
  assert.ok(r.data.items.some((x) => x.impact_id === imp.id && x.covered === true));
});

test('CSV exports and organisation isolation', async () => {
  let r = await lead.get(`${O}/register/csv/impacts`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.ct, /^text\/csv/);
  assert.match(r.headers.get('content-disposition') ?? '', /attachment; filename=".*-impacts\.csv"/);
  const lines = r.text.split('\r\n');
  assert.match(lines[0], /^rank,id,/);
  assert.equal(lines.length - 2, await count('impacts'), 'one row per impact, CRLF-terminated');
  for (const list of ['actions', 'assessments', 'indicators', 'stakeholders', 'engagements']) {
    r = await lead.get(`${O}/register/csv/${list}`);
    assert.equal(r.status, 200, `${list}: ${r.text}`);
  }
  assert.equal((await lead.get(`${O}/register/csv/passwords`)).status, 404);
  // other organisation: 404 on A's routes, A's ids not visible in B
  const bLead = await env.login('hr_lead', 'b');
  assert.equal((await bLead.get(`${O}/impacts`)).status, 404);
  const id = (await lead.get(`${O}/impacts?limit=1`)).data.items[0].id;
  assert.equal((await bLead.get(`/api/v1/orgs/${env.orgB.slug}/impacts/${id}`)).status, 404);
  problem(await bLead.post(`/api/v1/orgs/${env.orgB.slug}/actions`, { impact_id: id, kind: 'mitigate', title: 'x', function: 'product' }),
    422, '/impact_id', 'A\'s impact from B');
  assert.equal((await bLead.get(`/api/v1/orgs/${env.orgB.slug}/scope-objects/${scope.id}`)).status, 404);
});

test('public outputs carry no staff names, contact notes, stakeholder names or case references', async () => {
  const anon = new Client(env.base);
  const r = await anon.get(`${O}/human-rights-report`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.policy && r.data.policy.version === 2);
  for (const secret of ['A hr_lead', 'A analyst', 'acme.test', 'Signal group', 'Digital rights group', 'Affected teenagers panel', 'G-'])
    assert.ok(!r.text.includes(secret), `report leaks ${secret}`);
  const s = await anon.get(`${O}/impact-summaries/photo-feed`);
  for (const secret of ['A hr_lead', 'acme.test', 'Signal group', 'G-'])
    assert.ok(!s.text.includes(secret), `summary leaks ${secret}`);
  assert.equal((await anon.get('/api/v1/orgs/no-such-org/human-rights-report')).status, 404);
});

test('every register response matches docs/openapi.json (status documented, members documented)', async () => {
  const doc = (await new Client(env.base).get('/api/v1/openapi.json')).data;
  const problems = [];
  const go = async (client, method, pattern, json) => {
    const path = pattern.replace('{org}', slug).replace(/\{(\w+)\}/g, (_, k) => String(ids[k]));
    const r = await client.req(method, `/api/v1${path}`, json === undefined ? {} : { json });
    const schema = responseSchema(doc, `/api/v1${pattern}`, method, r.status);
    if (schema === undefined) problems.push(`${method} ${pattern}: status ${r.status} not documented`);
    else if (schema && r.data) problems.push(...schemaErrors(doc, schema, r.data).map((e) => `${method} ${pattern} ${r.status}: ${e}`));
    return r;
  };
  const ids = {};
  const anon = new Client(env.base);
  const B = '/orgs/{org}';
  ids.id = (await go(analyst, 'POST', `${B}/policy-commitments`, { title: 'Doc check', body_md: 'x' })).data.id;
  await go(lead, 'GET', `${B}/policy-commitments`);
  await go(lead, 'GET', `${B}/policy-commitments/{id}`);
  await go(analyst, 'PATCH', `${B}/policy-commitments/{id}`, { title: 'Doc check 2' });
  await go(analyst, 'POST', `${B}/policy-commitments/{id}/communications`, { channel: 'email', audience: 'investors' });
  await go(analyst, 'POST', `${B}/policy-commitments/{id}/links`, { title: 'Ops policy' });
  await go(analyst, 'POST', `${B}/policy-commitments/{id}/approve`, {});
  await go(anon, 'GET', `${B}/human-rights-policy`);
  ids.id = scope.id;
  await go(lead, 'GET', `${B}/scope-objects`);
  await go(lead, 'GET', `${B}/scope-objects/{id}`);
  await go(analyst, 'PATCH', `${B}/scope-objects/{id}`, { phase: 'deployment' });
  await go(analyst, 'POST', `${B}/scope-objects`, { slug: 'doc-check', kind: 'supplier', name: 'Doc supplier', phase: 'use' });
  const im = await go(analyst, 'POST', `${B}/impacts`, impact({ title: 'Doc check impact' }));
  await go(analyst, 'POST', `${B}/impacts`, impact({ scale: 8 }));
  ids.id = im.data.id;
  await go(lead, 'GET', `${B}/impacts?sort=salience`.replace('?sort=salience', ''));
  await go(lead, 'GET', `${B}/impacts/{id}`);
  await go(analyst, 'PATCH', `${B}/impacts/{id}`, { likelihood: 4 });
  await go(lead, 'GET', `${B}/impacts/{id}/grievances`);
  await go(analyst, 'POST', `${B}/impacts/{id}/grievances`, { case_id: 999999 });
  await go(lead, 'GET', `${B}/impacts/{id}/tracking`);
  await go(lead, 'GET', `${B}/register/salient-issues`);
  await go(lead, 'GET', `${B}/register/heatmap`);
  await go(lead, 'GET', `${B}/register/coverage`);
  await go(lead, 'GET', `${B}/register/export`);
  await go(lead, 'POST', `${B}/register/import`, { format: 'hrdd-register', version: 1 });
  const as = await go(analyst, 'POST', `${B}/assessments`, { scope_id: scope.id, trigger: 'periodic' });
  await go(lead, 'GET', `${B}/assessments`);
  await go(lead, 'GET', `${B}/assessments/due`);
  ids.id = as.data.id;
  await go(lead, 'GET', `${B}/assessments/{id}`);
  await go(analyst, 'PATCH', `${B}/assessments/{id}`, { summary: 'Doc summary' });
  await go(analyst, 'POST', `${B}/assessments/{id}/findings`, { impact_id: im.data.id });
  await go(lead, 'POST', `${B}/assessments/{id}/approve`, {});
  await go(analyst, 'POST', `${B}/assessments/{id}/complete`, {});
  await go(lead, 'POST', `${B}/assessments/{id}/approve`, {});
  const ac = await go(analyst, 'POST', `${B}/actions`, { impact_id: im.data.id, kind: 'remediate', title: 'Doc action', function: 'legal' });
  await go(lead, 'GET', `${B}/actions`);
  ids.id = ac.data.id;
  await go(lead, 'GET', `${B}/actions/{id}`);
  await go(analyst, 'PATCH', `${B}/actions/{id}`, { status: 'in_progress' });
  const ind = await go(analyst, 'POST', `${B}/indicators`, { action_id: ac.data.id, name: 'Doc', unit: 'days', direction: 'maintain', target: 3, tolerance: 1 });
  await go(lead, 'GET', `${B}/indicators`);
  ids.id = ind.data.id;
  await go(lead, 'GET', `${B}/indicators/{id}`);
  await go(analyst, 'PATCH', `${B}/indicators/{id}`, { target: 2 });
  await go(analyst, 'POST', `${B}/indicators/{id}/measurements`, { value: 2.5 });
  const sh = await go(analyst, 'POST', `${B}/stakeholders`, { name: 'Doc org', kind: 'expert' });
  await go(lead, 'GET', `${B}/stakeholders`);
  ids.id = sh.data.id;
  await go(lead, 'GET', `${B}/stakeholders/{id}`);
  await go(analyst, 'PATCH', `${B}/stakeholders/{id}`, { region: 'Europe' });
  await go(lead, 'GET', `${B}/stakeholders/{id}/fatigue`);
  await go(analyst, 'POST', `${B}/engagements`, { stakeholder_id: sh.data.id, step: 'communicate', topics: 'Doc', format: 'other' });
  await go(lead, 'GET', `${B}/engagements`);
  await go(anon, 'GET', `${B}/human-rights-report`);
  ids.slug = 'photo-feed';
  await go(anon, 'GET', `${B}/impact-summaries/{slug}`);
  ids.slug = 'nothing-here';
  await go(anon, 'GET', `${B}/impact-summaries/{slug}`);
  assert.deepEqual(problems, []);
});

test('export -> import into an empty database -> export again: nothing lost; errors list every path', async () => {
  const ex1 = await lead.get(`${O}/register/export`);
  assert.equal(ex1.status, 200, ex1.text);
  assert.equal(ex1.data.format, 'hrdd-register');
  const doc = ex1.data;
  assert.ok(doc.impacts.length >= 10 && doc.grievance_links.length >= 3 && doc.policies.length >= 2);
  // importing into a register that is not empty: 409
  problem(await lead.post(`${O}/register/import`, doc), 409, null, 'not empty');
  // the analyst may not import (approved records stay approved)
  problem(await analyst.post(`${O}/register/import`, doc), 403, null, 'analyst import');

  const env2 = await startServer({ sector: false, engine });
  extra.push(env2);
  const lead2 = await env2.login('hr_lead');
  const O2 = `/api/v1/orgs/${env2.orgA.slug}`;
  // a document with errors: every one listed with its path, nothing stored
  const broken = structuredClone(doc);
  broken.impacts[0].rights[0] = 'NOPE-1';
  broken.impacts[2].scale = 9;
  broken.actions[0].impact = 9999;
  broken.engagements[0].stakeholder = 0;
  let r = await lead2.post(`${O2}/register/import`, broken);
  assert.equal(r.status, 422, r.text);
  const paths = r.data.errors.map((e) => e.field);
  for (const p of ['/impacts/0/rights/0', '/impacts/2/scale', '/actions/0/impact', '/engagements/0/stakeholder'])
    assert.ok(paths.includes(p), `${p} in ${paths.join(' ')}`);
  assert.equal(r.data.field, paths[0]);
  assert.equal((await lead2.get(`${O2}/impacts`)).data.items.length, 0, 'nothing stored');
  assert.equal((await lead2.get(`${O2}/policy-commitments`)).data.items.length, 0, 'nothing stored');
  // malformed JSON: 400
  r = await lead2.req('POST', `${O2}/register/import`, { body: '{"format": ', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  // the real import: cases do not exist in the new database, so their links are skipped with warnings
  r = await lead2.post(`${O2}/register/import`, doc);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.imported.impacts, doc.impacts.length);
  assert.equal(r.data.warnings.length, doc.grievance_links.length);
  const ex2 = await lead2.get(`${O2}/register/export`);
  assert.equal(ex2.status, 200);
  const strip = (x) => ({ ...x, grievance_links: [] });
  assert.deepEqual(strip(ex2.data), strip(doc), 'everything but the links to cases of the first database');
  // and once more into a third empty database: byte for byte the same export
  const env3 = await startServer({ sector: false, engine });
  extra.push(env3);
  const lead3 = await env3.login('hr_lead');
  const O3 = `/api/v1/orgs/${env3.orgA.slug}`;
  r = await lead3.post(`${O3}/register/import`, ex2.data);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.warnings.length, 0);
  const ex3 = await lead3.get(`${O3}/register/export`);
  assert.equal(ex3.text, ex2.text, 'export -> import -> export is byte for byte the same');
});
});
