// Stored script injection: script, attribute-breakout, javascript: URL,
// template and SVG payloads (starting with a spreadsheet formula) go into
// every text field of every JSON request the API accepts (organisation
// name, users' names, grievance intake fields, messages, notes, remedies,
// mechanisms, products, the whole register, assessments and their answers,
// transparency requests, complainant messages through a receipt). A field
// the server refuses falls back to a plain value and the request is tried
// again, so everything storable is stored. Then every page staff can reach
// (a crawl of same-origin links from the dashboard) and every public page
// (anonymous crawl, the receipt page) is fetched: HTML and SVG must show the
// payloads only escaped, CSV cells must never start with = + - @ unguarded.
// (Every page also carries a CSP without inline script: bad-input checks that.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from './lib/server.mjs';
import { startDemo, openapi, operation, resolve, sample, demoIds, fillPath, forms, matches, urlencode } from './lib/attack.mjs';

const MARK = 'XSSMARK';
const XSS = `=1+1<script>alert("${MARK}1")</script>"><img src=x onerror=alert(2)>'><svg/onload=alert(3)>{{7*7}}{{{raw}}}<a href="javascript:alert(4)">j</a>${MARK}`;
const URLISH = `javascript:alert(5)//${MARK}`;
const SHORT = `"><img src=x onerror=${MARK}>`;   // for fields of at most 32 bytes
// What escaped output never contains.
const RAW = [/<script>alert/i, /<img src=x onerror/i, /<svg\/onload/i, /"><img/, /'><svg/, /(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i,
  /<a href="javascript:alert\(4\)/i];
const SKIP = new Set(['/api/v1/session', '/api/v1/orgs/{org}/register/import', '/api/v1/orgs']);

function isText(s) {
  const r = resolve(s);
  const t = Array.isArray(r.type) ? r.type : [r.type];
  return t.includes('string') && !r.enum && !r.format && !r.pattern;
}

// A body with every free-text field set to the payload.
function poisoned(schema, receipt) {
  const body = sample(schema);
  for (const [k, v] of Object.entries(schema.properties ?? {})) {
    const r = resolve(v);
    if (k === 'receipt') body[k] = receipt;
    else if (/url|website|link/.test(k) && isText(v)) body[k] = URLISH;
    else if (isText(v) && !/slug|email|password|country|code|lang|currency|date|day|period/.test(k)) body[k] = XSS;
    else if (r.type === 'array' && isText(r.items ?? {}) && !/countr|right|lang|juris/.test(k)) body[k] = [XSS];
  }
  return body;
}

describe('stored script injection', () => {
let env;
let admin;
let ids;
let handler;
let myCase;
let myReceipt;
let fixed;
const stored = [];
const refused = [];

before(async () => {
  env = await startDemo('sqlite');
  await openapi();
  admin = await env.login('admin');
  ids = await demoIds(admin);
  handler = await env.login('case_handler');
  // A case of the handler's own (the demo's may be closed or recused).
  let r = await handler.post('/api/v1/orgs/kestrel/cases', { narrative: XSS, contact_preference: 'anonymous', channel: 'phone', product_text: XSS });
  assert.equal(r.status, 201, r.text);
  myReceipt = r.data.receipt;
  const list = (await handler.get('/api/v1/orgs/kestrel/cases?limit=500')).data.items;
  myCase = list.reduce((a, b) => (a.id > b.id ? a : b));
  const me = (await handler.get('/api/v1/me')).data;
  r = await handler.post(`/api/v1/orgs/kestrel/cases/${myCase.id}/assign`, { user_id: me.id ?? me.user?.id });
  assert.equal(r.status, 200, `assign ${JSON.stringify(me).slice(0, 200)}: ${r.text}`);
  for (const action of ['acknowledge', 'assess', 'investigate'])
    await handler.post(`/api/v1/orgs/kestrel/cases/${myCase.id}/actions`, { action });
  const imp = (await admin.get(`/api/v1/orgs/kestrel/impacts/${ids.impacts}`)).data;
  const meth = (await admin.get('/api/v1/orgs/kestrel/assess/methodologies')).data.items[0];
  fixed = {
    product: null, scopes: ['read', 'write'], data: Buffer.from('plain file').toString('base64'), filename: 'a.txt',
    impact_id: ids.impacts, action_id: null, rights: imp.rights, kind: 'company', methodology: meth.slug ?? meth.id,
    period: '2026-Q1', reference: myCase.reference, mechanism_id: ids.mechanisms, entity_id: ids['assess/entities'],
    url: 'https://example.org/policy', case_id: myCase.id,
  };
});

after(async () => {
  if (env) await env.stop();
});

test('payloads go into every text field the API stores', async (t) => {
  // Recusal last: it takes the handler off the case.
  const order = [...env.routes].sort((a, b) => a.pattern.endsWith('/recuse') - b.pattern.endsWith('/recuse'));
  for (const r of order) {
    if (r.kind !== 'api' || !['POST', 'PUT', 'PATCH'].includes(r.method) || SKIP.has(r.pattern)) continue;
    const op = operation(r.method, r.pattern);
    if (!op?.body?.properties) continue;
    const body = poisoned(op.body, env.receipts[0]);
    for (const [k, v] of Object.entries(fixed)) if (k in (op.body.properties ?? {}) && !resolve(op.body.properties[k]).enum) body[k] = v;
    if (!Object.values(body).some((v) => v === XSS || (Array.isArray(v) && v[0] === XSS))) continue;
    const path = fillPath(r.pattern, { ...ids, cases: myCase.id });
    const who = r.pattern.includes('/cases/') ? handler : admin;
    const plain = sample(op.body);
    let res;
    for (let i = 0; i < 16; i++) {
      res = await who.req(r.method, path, { json: body });
      if (![400, 422].includes(res.status)) break;
      // The refused field: shorter payload, then a plain value, then none.
      const f = (res.data?.field && String(res.data.field).match(/^\/?([A-Za-z_]+)/)?.[1])
        ?? /"([a-z_]+)"/.exec(res.data?.detail ?? '')?.[1];
      if (!f || !(f in body)) break;
      const v = body[f];
      if (v === XSS || v === URLISH) body[f] = SHORT;
      else if (Array.isArray(v) && v[0] === XSS) body[f] = [SHORT];
      else if (f in plain && JSON.stringify(v) !== JSON.stringify(plain[f])) body[f] = plain[f];
      else if (!(op.body.required ?? []).includes(f)) delete body[f];
      else break;
    }
    if (res.status < 300) stored.push(`${r.method} ${r.pattern}`);
    else refused.push(`${r.method} ${r.pattern}: ${res.status} ${res.data?.detail} ${res.data?.field}`);
  }
  // A complainant writes through the receipt page, a staff member answers.
  const anon = new Client(env.base);
  const g = await anon.post('/api/v1/orgs/kestrel/grievances', { narrative: XSS, contact_preference: 'anonymous', outcome_sought: XSS });
  assert.equal(g.status, 201, g.text);
  env.xssReceipt = g.data.receipt;
  t.diagnostic(`stored through ${stored.length} routes; refused: ${refused.length}`);
  for (const x of refused) t.diagnostic(`refused ${x}`);
  assert.ok(stored.length >= 35, `only ${stored.length} routes stored a payload`);
});

test('payloads go into every free-text field of the staff forms', async (t) => {
  const html = env.routes.filter((r) => r.kind === 'html');
  const found = [];
  for (const r of html.filter((x) => x.method === 'GET' && x.perm !== 'public')) {
    const res = await admin.get(fillPath(r.pattern, ids));
    if (/text\/html/.test(res.ct)) found.push(...forms(res.text).filter((f) => f.method === 'POST'));
  }
  let sent = 0;
  let accepted = 0;
  for (const r of html.filter((x) => x.method === 'POST' && !['/logout', '/org/switch', '/login', '/login/totp'].includes(x.pattern))) {
    for (const f of found.filter((x) => matches(r.pattern, x.action || '/'))) {
      const body = { ...f.fields, csrf: admin.csrf };
      let any = false;
      for (const [k, v] of Object.entries(body)) {
        // Free text: what the form leaves empty or our scraper filled in.
        if ((v === 'x' || v === '') && !/csrf|email|password|date|day|code|slug|country|lang|token/.test(k)) { body[k] = XSS; any = true; }
      }
      if (!any) continue;
      const res = await admin.req('POST', f.action, { body: urlencode(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      sent++;
      if (res.status === 303 || res.status === 201 || res.status === 200) accepted++;
      assert.ok(res.status < 500, `${f.action}: ${res.status}`);
      // The answer itself (a form shown again with the values) is escaped too.
      assert.deepEqual(problemsOf(f.action, res), []);
    }
  }
  t.diagnostic(`${sent} form posts, ${accepted} accepted`);
  assert.ok(sent >= 20, `only ${sent} form posts`);
});

test('hostile file names: downloads are attachments with one quoted file name, never active content', async () => {
  const anon = new Client(env.base);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>').toString('base64');
  const names = ['"><img src=x onerror=alert(1)>.txt', 'a";\r\nX-Injected: 1.txt', "a\"; filename*=UTF-8''evil.html", 'e\u202Etxt.exe', 'x.svg', 'x.html'];
  const bad = [];
  for (const filename of names) {
    const g = await anon.post('/api/v1/orgs/kestrel/grievances', { narrative: `file ${MARK}`, contact_preference: 'anonymous', attachments: [{ filename, data: svg }] });
    assert.equal(g.status, 201, g.text);
    const st = await anon.post('/api/v1/receipt/status', { receipt: g.data.receipt, detail: true });
    const fid = st.data.attachments[0].id;
    const list = (await admin.get('/api/v1/orgs/kestrel/cases?limit=500')).data.items;
    const cid = list.reduce((a, b) => (a.id > b.id ? a : b)).id;
    const sid = (await admin.get(`/api/v1/orgs/kestrel/cases/${cid}`)).data.attachments[0].id;
    const page = await admin.get(`/cases/${cid}`);
    bad.push(...problemsOf(`/cases/${cid}`, page));
    for (const [where, res] of [
      ['receipt API', await anon.post('/api/v1/receipt/attachments/download', { receipt: g.data.receipt, id: fid })],
      ['staff API', await admin.get(`/api/v1/orgs/kestrel/cases/${cid}/attachments/${sid}`)],
      ['staff page', await admin.get(`/cases/${cid}/files/${sid}`)],
      ['receipt page', await anon.req('POST', '/receipt', { body: urlencode({ receipt: g.data.receipt, op: 'file', attachment_id: String(fid) }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ]) {
      const cd = res.headers.get('content-disposition') ?? '';
      const ct = res.headers.get('content-type') ?? '';
      if (res.status !== 200) bad.push(`${where} ${JSON.stringify(filename)}: ${res.status}`);
      else if (!/^attachment; filename="[^"\r\n]*"$/.test(cd)) bad.push(`${where} ${JSON.stringify(filename)}: Content-Disposition ${cd}`);
      else if (/html|svg|xml|javascript/i.test(ct)) bad.push(`${where} ${JSON.stringify(filename)}: served as ${ct}`);
      if (res.headers.get('x-injected') !== null) bad.push(`${where}: header injected`);
      if ((res.headers.get('x-content-type-options') ?? '') !== 'nosniff') bad.push(`${where}: no nosniff`);
    }
  }
  assert.deepEqual(bad, []);
});

function problemsOf(path, res) {
  const out = [];
  const ct = res.ct || '';
  if (/text\/html|image\/svg|xml/.test(ct)) {
    for (const re of RAW) if (re.test(res.text)) {
      const m = re.exec(res.text);
      out.push(`${path}: raw ${re} …${res.text.slice(Math.max(0, m.index - 80), m.index + 80)}…`);
    }
  } else if (/text\/csv/.test(ct)) {
    for (const line of res.text.split(/\r?\n/)) {
      for (const cell of line.split(',')) {
        const c = cell.replace(/^"/, '');
        if (/^[=+@]/.test(c) || (/^-/.test(c) && !/^-?\d/.test(c))) out.push(`${path}: CSV cell ${cell.slice(0, 60)}`);
      }
    }
  }
  return out;
}

// Same-origin GET links of a page (paths only; no language variants).
function links(html) {
  const out = new Set();
  for (const m of html.matchAll(/\shref="([^"#]*)"/g)) {
    let h = m[1].replace(/&amp;/g, '&').replace(/&#47;/g, '/');
    if (!h.startsWith('/') || h.startsWith('//') || /[?&]lang=/.test(h) || h.startsWith('/static/')) continue;
    out.add(h);
  }
  return [...out];
}

async function crawl(client, starts, limit) {
  const seen = new Set();
  const queue = [...starts];
  const bad = [];
  let withMark = 0;
  const kinds = {};
  while (queue.length && seen.size < limit) {
    const batch = queue.splice(0, 4).filter((p) => !seen.has(p));
    for (const p of batch) seen.add(p);
    const got = await Promise.all(batch.map((p) => client.get(p).then((r) => [p, r])));
    for (const [p, r] of got) {
      bad.push(...problemsOf(p, r));
      if (r.text.includes(MARK)) withMark++;
      const k = (r.ct || 'none').split(';')[0];
      kinds[k] = (kinds[k] ?? 0) + 1;
      if (/text\/html/.test(r.ct)) for (const l of links(r.text)) if (!seen.has(l)) queue.push(l);
    }
  }
  return { bad, seen: seen.size, withMark, kinds };
}

test('staff pages, CSV and SVG show the payloads only escaped', async (t) => {
  const starts = ['/dashboard', '/cases', '/register', '/assess', '/transparency', '/users', '/products', '/mechanisms',
    '/grievance-stats', '/audit', '/tokens', '/account'];
  for (const r of env.routes) if (r.kind === 'html' && r.method === 'GET' && r.perm !== 'public') starts.push(fillPath(r.pattern, ids));
  const { bad, seen, withMark, kinds } = await crawl(admin, starts, 700);
  t.diagnostic(`${seen} staff pages, ${withMark} show the marker: ${JSON.stringify(kinds)}`);
  assert.ok(kinds['text/csv'] >= 3, 'CSV outputs checked');
  assert.deepEqual(bad, []);
  assert.ok(withMark >= 20, `the payload shows on only ${withMark} pages`);
});

test('public pages and the receipt page show the payloads only escaped', async (t) => {
  const anon = new Client(env.base);
  const starts = ['/', '/report', '/receipt', '/mechanism', '/scorecards', '/orgs/kestrel/transparency',
    '/orgs/kestrel/human-rights-policy', '/orgs/kestrel/human-rights-report'];
  for (const r of env.routes) if (r.kind === 'html' && r.method === 'GET' && r.perm === 'public') starts.push(fillPath(r.pattern, ids));
  const { bad, seen, withMark } = await crawl(anon, starts, 200);
  let shown = 0;
  for (const rc of [env.xssReceipt, env.receipts[0], myReceipt].filter(Boolean)) {
    const page = await anon.req('POST', '/receipt', { body: `receipt=${encodeURIComponent(rc)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(page.status, 200, page.text.slice(0, 300));
    if (page.text.includes(MARK)) shown++;
    bad.push(...problemsOf('/receipt', page));
  }
  assert.ok(shown >= 1, 'a receipt page shows the payload');
  t.diagnostic(`${seen} public pages, ${withMark} show the marker`);
  assert.deepEqual(bad, []);
});
});
