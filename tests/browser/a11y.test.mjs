// Accessibility and low-bandwidth suite (issue 7, items 2 and 3): Debian's
// Chromium against `hrdd demo` (Kestrel Social's fictional data, so every
// page has content). It
//  - runs axe-core (node_modules/axe-core/axe.min.js, served to the page by
//    this test from a loopback port so the browser caches its compiled code;
//    never from a CDN)
//    with the WCAG 2.0/2.1 A and AA rules on every public and staff page, in
//    every language the server has a catalogue for (probed with ?lang=), and
//    fails on any serious or critical violation; staff pages are found by
//    walking the links from the dashboard and must cover every GET page of
//    `hrdd routes --json`;
//  - files a grievance with the keyboard only and checks the focus ring;
//  - checks the intake, receipt, statistics and case pages at 320 px and at
//    640 px (1280 px at 200% zoom) for horizontal scrolling and clipped controls;
//  - checks that form errors are announced and linked to their fields, with
//    JavaScript enabled and disabled;
//  - weighs the intake and receipt pages (< 60 KB with every subresource, no
//    other origin, no web font) and files a grievance without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, routeTable } from '../integration/lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// HRDD_A11Y_LANGS (space-separated) narrows the languages tried, for debugging.
const UN_LANGS = (process.env.HRDD_A11Y_LANGS || 'en ar es fr ru zh').split(/[ ,]+/).filter(Boolean);
const NARRATIVE = 'My post about the strike at the factory was removed and my account suspended.';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dir;
let child;
let stderr = '';
let base;
let bin;
let browser;
let langs = [];
let adminPassword;
let receipts = [];
let totpUsers = [];
let axeServer;
let axeUrl;

before(async () => {
  // axe's source from node_modules, over HTTP with a long cache lifetime: the
  // browser then keeps its compiled code instead of parsing 600 KB per page
  axeServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=86400' });
    res.end(AXE_SOURCE);
  });
  await new Promise((r) => axeServer.listen(0, '127.0.0.1', r));
  axeUrl = `http://127.0.0.1:${axeServer.address().port}/axe.min.js`;
  bin = process.env.HRDD_BIN ?? join(REPO, 'build', 'src', 'cli', 'hrdd');
  dir = await mkdtemp(join(tmpdir(), 'hrdd-a11y-'));
  child = spawn(bin, ['demo', '--db', join(dir, 'demo', 'hrdd.db'), '--listen', '127.0.0.1:0',
    '--mechanisms', join(REPO, '..', 'shared', 'data', 'remedy-mechanisms')], {
    env: { ...process.env, HRDD_PWHASH_COST: 'min' }, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir,
  });
  child.stderr.on('data', (d) => { stderr += d; });
  const deadline = Date.now() + 180000;
  for (;;) {
    const m = /"msg":"listening","url":"(http:[^"]+)"/.exec(stderr);
    if (m) { base = m[1]; break; }
    if (child.exitCode !== null) throw new Error(`hrdd demo exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`hrdd demo did not start: ${stderr}`);
    await sleep(100);
  }
  const creds = await readFile(join(dir, 'demo', 'credentials.txt'), 'utf8');
  adminPassword = creds.split('\n').find((l) => /\sadmin\s+admin@kestrel\.example\s/.test(l)).trim().split(/\s+/)[3];
  receipts = [...creds.matchAll(/\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b/g)].map((m) => m[1]);
  assert.ok(receipts.length >= 1, 'the demo gives a receipt');
  // The languages the server has a catalogue for: a ?lang= it honours.
  for (const l of UN_LANGS) {
    const html = await (await fetch(`${base}/report?lang=${l}`)).text();
    if (new RegExp(`<html[^>]* lang="${l}"`).test(html)) langs.push(l);
  }
  assert.ok(langs.includes('en'));
  browser = await launchBrowser();
  // two accounts with a second factor, taken in turn, so that one wrong code
  // per language stays under the per-account throttle (5 failures)
  for (const role of ['auditor', 'analyst']) {
    const line = creds.split('\n').find((l) => new RegExp(`^\\s*kestrel\\s+${role}\\s`).test(l)).trim().split(/\s+/);
    const u = { email: line[2], password: line[3] };
    u.secret = await enableTotp(u.email, u.password);
    totpUsers.push(u);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (axeServer) axeServer.close();
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  assert.doesNotMatch(stderr, /runtime error:|Sanitizer/);
});

// ---------------------------------------------------------------- helpers

async function setLang(context, lang) {
  await context.addCookies([{ name: 'lang', value: lang, url: base }]);
}

function withLang(path, lang) {
  return path + (path.includes('?') ? '&' : '?') + 'lang=' + lang;
}

async function signIn(page, email = 'admin@kestrel.example', password = adminPassword) {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type="submit"]')]);
  assert.doesNotMatch(page.url(), /\/login/, 'signed in');
}

// Colour contrast is about 70% of axe's time. It runs in every language,
// unless HRDD_A11Y_CONTRAST_LANGS narrows it: `make check-sanitize` keeps one
// left-to-right and one right-to-left language there (colours come from the
// one stylesheet whatever the language; the plain run checks them all), so the
// two CI runs stay within their time. Every other rule runs in every language.
const CONTRAST_LANGS = process.env.HRDD_A11Y_CONTRAST_LANGS
  ? process.env.HRDD_A11Y_CONTRAST_LANGS.split(/[ ,]+/).filter(Boolean) : null;

// Runs axe on the page and returns its serious and critical violations, one
// line each, plus a count of the lesser ones.
async function axe(page, lang) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: axeUrl });
  const contrast = !CONTRAST_LANGS || CONTRAST_LANGS.includes(lang);
  const res = await page.evaluate(async ([tags, contrast]) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
      rules: { 'color-contrast': { enabled: contrast } },
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`),
    }));
  }, [WCAG_TAGS, contrast]);
  return {
    bad: res.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    minor: res.filter((v) => !(v.impact === 'serious' || v.impact === 'critical')),
  };
}

function describe(where, lang, violations) {
  return violations.map((v) => `${where} [${lang}] ${v.impact} ${v.id} (${v.help}):\n    ` +
    v.nodes.slice(0, 6).join('\n    ') + (v.nodes.length > 6 ? `\n    ... ${v.nodes.length - 6} more` : '')).join('\n');
}

// Checks the page currently shown: its language and axe.
const checks = [];
async function check(page, where, lang, { problems, minors }) {
  const t0 = Date.now();
  const htmlLang = await page.getAttribute('html', 'lang');
  if (htmlLang !== lang) problems.push(`${where} [${lang}]: <html lang="${htmlLang}">`);
  const { bad, minor } = await axe(page, lang);
  if (bad.length) problems.push(describe(where, lang, bad));
  for (const v of minor) minors.add(`${v.id} (${v.impact})`);
  checks.push([Date.now() - t0, where, lang]);
}

// The route pattern a path matches, or null.
function matchRoute(routes, path) {
  for (const r of routes) {
    const re = new RegExp('^' + r.pattern.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(path)) return r.pattern;
  }
  return null;
}

// GET pages that are no pages: downloads, static files, redirects.
const NOT_PAGES = [/^\/static\//, /\.csv$/, /\/files\//, /^\/register\/export\//, /^\/$/];

// Walks the links from the start pages; returns one URL per route pattern.
async function walk(page, routes, starts, lang, out, seen = new Map()) {
  const queue = [...starts];
  const visited = new Set();
  while (queue.length) {
    const url = queue.shift();
    const u = new URL(url, base);
    const pattern = matchRoute(routes, u.pathname);
    if (visited.has(u.pathname + u.search)) continue;
    if (pattern && seen.has(pattern) && !starts.includes(url)) continue;
    visited.add(u.pathname + u.search);
    const res = await page.goto(base + withLang(u.pathname + u.search, lang));
    if (res.status() !== 200) {
      out.problems.push(`${url}: status ${res.status()}`);
      continue;
    }
    if (pattern && !seen.has(pattern)) seen.set(pattern, u.pathname + u.search);
    await check(page, u.pathname + u.search, lang, out);
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    // GET forms (filters, comparisons) lead to pages too: submit them with
    // their defaults, the n-th select of a form on its n-th option
    links.push(...(await page.$$eval('main form[method="get" i]', (fs) => fs.map((f) => {
      const u = new URL(f.action);
      let n = 0;
      for (const el of f.elements) {
        if (!el.name) continue;
        if (el.tagName === 'SELECT') {
          const o = el.options;
          if (o.length) u.searchParams.set(el.name, o[n++ % o.length].value);
        } else if (el.type === 'checkbox' || el.type === 'radio') {
          if (el.checked) u.searchParams.set(el.name, el.value);
        } else if (el.type !== 'submit') u.searchParams.set(el.name, el.value);
      }
      return u.href;
    }))));
    for (const l of links) {
      let lu;
      try { lu = new URL(l); } catch { continue; }
      if (lu.origin !== new URL(base).origin) continue;
      lu.searchParams.delete('lang');
      const p = lu.pathname + lu.search;
      if (NOT_PAGES.some((re) => re.test(lu.pathname)) || lu.pathname === '/logout') continue;
      const lp = matchRoute(routes, lu.pathname);
      if (!lp || seen.has(lp)) continue;
      if (!queue.includes(p)) queue.push(p);
    }
  }
  return seen;
}

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), as tests/browser/web.test.mjs.
function totp(secret, offsetSteps = 0) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let val = 0;
  const key = [];
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    val = ((val << 5) | A.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      key.push((val >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offsetSteps));
  const h = createHmac('sha1', Buffer.from(key)).update(msg).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Turns two-step verification on for an account, so /login/totp can be seen.
async function enableTotp(email, password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await page.goto(base + '/account');
  const secret = (await page.locator('code.secret').first().innerText()).trim();
  await page.fill('form[action="/account/totp"] #code', totp(secret));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/account/totp"] button[type="submit"]')]);
  assert.equal(await page.locator('.error-summary').count(), 0, 'TOTP turned on');
  await context.close();
  return secret;
}

// One browser context for the public, one signed in as Kestrel's admin.
async function worker() {
  const opts = { viewport: { width: 1200, height: 900 }, bypassCSP: true };
  const pub = await browser.newContext(opts);
  const staff = await browser.newContext(opts);
  const w = { pub, staff, p: await pub.newPage(), s: await staff.newPage() };
  await signIn(w.s);
  return w;
}

async function submitForm(page, action) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`form[action="${action}"] button[type="submit"]`)]);
  return res;
}

// The pages only a form post reaches, in one language: errors, the receipt
// shown once, the case by receipt, the second sign-in step.
async function postedPages(w, lang, out) {
  const { p, s } = w;
  const visit = async (page, path, expect) => {
    const res = await page.goto(base + withLang(path, lang));
    if (res.status() !== expect) out.problems.push(`${path} [${lang}]: status ${res.status()}`);
  };
  await visit(p, '/nonexistent-page', 404);
  await check(p, '404 page', lang, out);
  await visit(p, '/report', 200);
  await submitForm(p, '/report');
  await check(p, 'intake with errors', lang, out);
  await p.fill('#narrative', NARRATIVE);
  await submitForm(p, '/report');
  assert.equal(await p.locator('#receipt-code').count(), 1, `a grievance filed in ${lang}`);
  await check(p, 'receipt shown after filing', lang, out);
  await visit(p, '/receipt', 200);
  await p.fill('#receipt', 'AAAAA-AAAAA-AAAAA-AAAAA');
  await submitForm(p, '/receipt');
  await check(p, 'receipt with a wrong code', lang, out);
  for (const r of receipts) {
    await visit(p, '/receipt', 200);
    await p.fill('#receipt', r);
    await submitForm(p, '/receipt');
    assert.equal(await p.locator('#reference').count(), 1, `the case of ${r} in ${lang}`);
    await check(p, `receipt case page (${r.slice(0, 5)}...)`, lang, out);
  }
  await visit(p, '/login', 200);
  // no password: the error page without counting a failed sign-in (the
  // server throttles failures per address)
  await p.fill('#email', 'nobody@kestrel.example');
  await submitForm(p, '/login');
  await check(p, 'sign-in with errors', lang, out);
  const totpUser = totpUsers[langs.indexOf(lang) % totpUsers.length];
  if (totpUser) {
    await visit(p, '/login', 200);
    await p.fill('#email', totpUser.email);
    await p.fill('#password', totpUser.password);
    await submitForm(p, '/login');
    assert.match(p.url(), /\/login\/totp/);
    await check(p, 'second sign-in step', lang, out);
    await p.fill('#code', '000000' === totp(totpUser.secret) ? '111111' : '000000');
    await submitForm(p, '/login/totp');
    await check(p, 'second sign-in step with errors', lang, out);
  }
  await visit(s, '/cases/new', 200);
  await submitForm(s, '/cases/new');
  await check(s, 'record a grievance with errors', lang, out);
}

// ---------------------------------------------------------------- axe

test('axe-core: no serious or critical WCAG 2.1 A/AA violation on any page in any language', async (t) => {
  const started = Date.now();
  const routes = (await routeTable(bin)).filter((r) => r.kind === 'html' && r.method === 'GET');
  const out = { problems: [], minors: new Set() };
  const nworkers = Math.max(1, Number(process.env.HRDD_A11Y_WORKERS) || 2);
  const workers = [];
  for (let i = 0; i < nworkers; i++) workers.push(await worker());
  const publicStarts = ['/report', '/receipt', '/mechanism', '/login', '/scorecards', '/orgs/kestrel/transparency',
    '/orgs/kestrel/human-rights-report', '/orgs/kestrel/human-rights-policy', '/orgs/dta/transparency'];

  // the first language walks the links (public pages and staff pages at once)
  const first = langs[0];
  for (const w of workers) {
    await setLang(w.pub, first);
    await setLang(w.staff, first);
  }
  const w2 = workers[1 % workers.length];
  const [publicPages, staffPages] = await Promise.all([
    walk(workers[0].p, routes.filter((r) => r.perm === 'public'), publicStarts, first, out),
    // the demo ranks one assessment per methodology, so no form offers a comparison
    walk(w2.s, routes.filter((r) => r.perm !== 'public'), ['/dashboard', '/assess/compare?a=1&b=2'], first, out),
  ]);
  const publicPaths = [...new Set([...publicStarts, ...publicPages.values()])];

  // then every language on a pool of workers, one language at a time each
  const todo = [...langs];
  await Promise.all(workers.map(async (w) => {
    for (let lang = todo.shift(); lang; lang = todo.shift()) {
      await setLang(w.pub, lang);
      await setLang(w.staff, lang);
      if (lang !== first) {
        for (const [page, paths] of [[w.p, publicPaths], [w.s, [...staffPages.values()]]]) {
          for (const path of paths) {
            const res = await page.goto(base + withLang(path, lang));
            if (res.status() !== 200) out.problems.push(`${path} [${lang}]: status ${res.status()}`);
            await check(page, path, lang, out);
          }
        }
      }
      await postedPages(w, lang, out);
    }
  }));
  for (const w of workers) {
    await w.pub.close();
    await w.staff.close();
  }

  // every GET page of the route table was seen (except downloads and redirects)
  const seen = new Set([...publicPages.keys(), ...staffPages.keys()]);
  for (const r of routes) {
    if (seen.has(r.pattern) || NOT_PAGES.some((re) => re.test(r.pattern.replace(/\{[^}]+\}/g, 'x')))) continue;
    if (r.pattern === '/login/totp' && totpUsers.length) continue;
    out.problems.push(`no link leads to ${r.pattern}`);
  }
  t.diagnostic(`languages: ${langs.join(' ')}; ${seen.size} kinds of page; ${checks.length} checks; ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s with ${nworkers} workers`);
  if (out.minors.size) t.diagnostic(`moderate or minor (not failing): ${[...out.minors].join(', ')}`);
  checks.sort((a, b) => b[0] - a[0]);
  t.diagnostic('slowest checks (ms): ' + checks.slice(0, 8).map((x) => x.join(' ')).join('; '));
  assert.equal(out.problems.length, 0, `accessibility problems:\n${out.problems.join('\n')}`);
});

// ---------------------------------------------------------------- keyboard

// Presses Tab (or Shift+Tab) until the focused element matches sel; returns
// the focused elements passed on the way.
async function tabTo(page, sel, { back = false, max = 250 } = {}) {
  const passed = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await page.evaluate((s) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // a date field's calendar button has the focus inside the field: the
      // browser draws its own ring around that native button
      if (el.matches('input[type="date"]') && !el.matches(':focus')) return null;
      const cs = getComputedStyle(el);
      return {
        match: el.matches(s),
        what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ')[0] : ''}`,
        visible: el.matches(':focus-visible'),
        ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none',
      };
    }, sel);
    if (!f) continue;
    passed.push(f);
    if (f.match) return passed;
  }
  throw new Error(`${sel} not reached with the keyboard`);
}

test('keyboard only: a grievance is filed with Tab, Shift+Tab, Space, Enter and typing; focus is always visible', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + '/report?lang=en');
  const passed = [];
  // the skip link comes first and leads to the main content
  passed.push(...(await tabTo(page, '.skip-link', { max: 1 })));
  await page.keyboard.press('Enter');
  passed.push(...(await tabTo(page, '#narrative')));
  await page.keyboard.type(NARRATIVE);
  // forward to the category, back to the text with Shift+Tab
  passed.push(...(await tabTo(page, '#category')));
  passed.push(...(await tabTo(page, '#narrative', { back: true })));
  assert.equal(await page.inputValue('#narrative'), NARRATIVE);
  // who is affected: a radio group, chosen with Space
  passed.push(...(await tabTo(page, 'input[name="affected"]')));
  await page.keyboard.press('Space');
  assert.equal(await page.locator('input[name="affected"]:checked').count(), 1, 'Space chose who is affected');
  // the contact preference stays anonymous; on to the button, sent with Enter
  passed.push(...(await tabTo(page, 'form[action="/report"] button[type="submit"]')));
  const [res] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(res.status(), 201);
  const code = (await page.locator('#receipt-code').innerText()).replace(/[^0-9A-Z]/g, '');
  assert.match(code, /^[0-9A-Z]{20}$/, 'the receipt is shown');
  // every element the keyboard reached showed that it had the focus
  const unseen = passed.filter((f) => !f.visible || !f.ring).map((f) => f.what);
  assert.deepEqual([...new Set(unseen)], [], 'focused without a visible focus indicator');
  assert.ok(passed.length >= 10, `${passed.length} focus stops`);
  // the stylesheet has a :focus-visible rule
  const rules = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText)));
  assert.ok(rules.some((r) => /:focus-visible/.test(r) && /outline/.test(r)), 'a :focus-visible style');
  await context.close();
});

// ---------------------------------------------------------------- reflow

// The page's horizontal overflow and the form controls cut off by the
// viewport (a control inside a scrolling box of its own is fine).
async function reflowProblems(page) {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const out = [];
    const de = document.documentElement;
    if (de.scrollWidth > de.clientWidth) out.push(`page scrolls sideways: ${de.scrollWidth} > ${de.clientWidth}`);
    const scrolls = (el) => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o === 'auto' || o === 'scroll') return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('input:not([type="hidden"]), select, textarea, button')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if ((r.left < -1 || r.right > de.clientWidth + 1) && !scrolls(el))
        out.push(`${el.tagName.toLowerCase()}#${el.id || el.name} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${de.clientWidth}`);
    }
    // a wide element other than a table or chart in its own scrolling box
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.right > de.clientWidth + 1 && !scrolls(el) && getComputedStyle(el).position !== 'absolute')
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} ends at ${Math.round(r.right)}`);
    }
    return [...new Set(out)].slice(0, 12);
  });
}

test('320 px wide and 200% zoom: no sideways scrolling, no control cut off', async () => {
  const sizes = [
    { name: '320x640', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
    { name: '1280 at 200%', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
  ];
  const problems = [];
  for (const size of sizes) {
    const ctxOpts = { viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor };
    const pub = await browser.newContext(ctxOpts);
    const staff = await browser.newContext(ctxOpts);
    const p = await pub.newPage();
    const s = await staff.newPage();
    await signIn(s);
    for (const lang of langs) {
      await setLang(pub, lang);
      await setLang(staff, lang);
      const at = async (page, what) => {
        for (const pr of await reflowProblems(page)) problems.push(`${size.name} [${lang}] ${what}: ${pr}`);
      };
      for (const path of ['/report', '/receipt', '/mechanism', '/orgs/kestrel/transparency']) {
        await p.goto(base + withLang(path, lang));
        await at(p, path);
      }
      await p.goto(base + withLang('/receipt', lang));
      await p.fill('#receipt', receipts[0]);
      await submitForm(p, '/receipt');
      await at(p, 'receipt case page');
      for (const path of ['/grievance-stats', '/cases']) {
        await s.goto(base + withLang(path, lang));
        await at(s, path);
      }
      const href = await s.locator('main table a[href^="/cases/"]').first().getAttribute('href');
      await s.goto(base + withLang(href, lang));
      await at(s, 'case page');
    }
    await pub.close();
    await staff.close();
  }
  assert.deepEqual(problems, []);
});

// ---------------------------------------------------------------- form errors

// The error summary's links, the fields they name and those fields' messages.
async function errorLinks(page) {
  return page.evaluate(() => {
    const sum = document.querySelector('.error-summary');
    if (!sum) return null;
    return {
      role: sum.getAttribute('role'),
      focused: document.activeElement === sum || sum.contains(document.activeElement),
      links: [...sum.querySelectorAll('a')].map((a) => {
        const id = decodeURIComponent(a.getAttribute('href').replace(/^#/, ''));
        const field = document.getElementById(id);
        const described = (field?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
          .map((d) => document.getElementById(d)?.textContent.trim() ?? '');
        return {
          href: a.getAttribute('href'), text: a.textContent.trim(), exists: !!field,
          invalid: field?.getAttribute('aria-invalid'), described,
        };
      }),
    };
  });
}

function checkErrorLinks(e, where) {
  assert.ok(e, `${where}: an error summary`);
  assert.equal(e.role, 'alert', `${where}: the summary is an alert`);
  assert.ok(e.focused, `${where}: the summary has the focus`);
  assert.ok(e.links.length >= 1, `${where}: at least one error`);
  for (const l of e.links) {
    assert.ok(l.exists, `${where}: ${l.href} names a field`);
    assert.equal(l.invalid, 'true', `${where}: ${l.href} is aria-invalid`);
    assert.ok(l.described.some((d) => d === l.text), `${where}: ${l.href} is described by its message "${l.text}"`);
  }
}

for (const js of [true, false]) {
  test(`form errors are announced and linked to their fields (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const p = await context.newPage();
    // intake: nothing written, a bad count of people and a bad e-mail
    await p.goto(base + '/report?lang=en');
    await p.fill('#affected_count', 'many');
    await p.fill('#contact_email', 'not an address');
    await p.check('#contact-confidential');
    let res = await submitForm(p, '/report');
    assert.equal(res.status(), 400);
    let e = await errorLinks(p);
    checkErrorLinks(e, 'intake');
    assert.ok(e.links.some((l) => l.href === '#narrative'), 'the missing text is named');
    assert.ok(e.links.length >= 2, `several errors: ${e.links.map((l) => l.href)}`);
    // following a link puts the focus on its field
    await p.focus('.error-summary a[href="#narrative"]');
    await p.keyboard.press('Enter');
    assert.equal(await p.evaluate(() => document.activeElement.id), 'narrative');
    // a wrong receipt
    await p.goto(base + '/receipt?lang=en');
    await p.fill('#receipt', 'nonsense');
    await submitForm(p, '/receipt');
    checkErrorLinks(await errorLinks(p), 'receipt');
    // a staff form (_errors.html): recording a grievance without its text
    const s = await context.newPage();
    await signIn(s);
    await s.goto(base + '/cases/new?lang=en');
    res = await submitForm(s, '/cases/new');
    assert.equal(res.status(), 400);
    checkErrorLinks(await errorLinks(s), 'record a grievance');
    await context.close();
  });
}

// ---------------------------------------------------------------- weight

// Loads pages in a context without JavaScript and records every request.
async function weigh(page, log, what, go) {
  log.current = { what, urls: [], bytes: 0 };
  const res = await go();
  await page.waitForLoadState('load');
  // subresources the browser may skip (an icon in a headless browser) still count
  const refs = await page.evaluate(() => [...document.querySelectorAll('link[href], script[src], img[src]')]
    .map((e) => e.href || e.src).filter((u) => !/^data:/.test(u)));
  const entry = log.current;
  for (const r of refs) {
    if (entry.urls.includes(r)) continue;
    if (new URL(r).origin !== new URL(base).origin) { log.foreign.push(`${what}: ${r}`); continue; }
    const b = await (await fetch(r)).arrayBuffer();
    entry.urls.push(r);
    entry.bytes += b.byteLength;
  }
  log.pages.push(entry);
  return res;
}

test('intake, receipt and case pages weigh under 60 KB, load nothing from elsewhere, no web font, work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const log = { pages: [], foreign: [], fonts: [], current: null, pending: [] };
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(base).origin && !/^data:/.test(r.url())) log.foreign.push(r.url());
    if (r.resourceType() === 'font') log.fonts.push(r.url());
  });
  page.on('response', (r) => {
    const entry = log.current;
    log.pending.push(r.body().then((b) => {
      entry.urls.push(r.url());
      entry.bytes += b.length;
    }, () => {}));
  });
  for (const lang of langs) {
    await setLang(context, lang);
    await weigh(page, log, `intake [${lang}]`, () => page.goto(base + withLang('/report', lang)));
    await Promise.all(log.pending);
    await page.fill('#narrative', NARRATIVE);
    const res = await weigh(page, log, `receipt shown [${lang}]`, () => submitForm(page, '/report'));
    await Promise.all(log.pending);
    assert.equal(res.status(), 201, 'filed without JavaScript');
    const code = (await page.locator('#receipt-code').innerText()).replace(/[^0-9A-Z]/g, '').match(/.{5}/g).join('-');
    await weigh(page, log, `receipt form [${lang}]`, () => page.goto(base + withLang('/receipt', lang)));
    await Promise.all(log.pending);
    await page.fill('#receipt', code);
    await weigh(page, log, `receipt case page [${lang}]`, () => submitForm(page, '/receipt'));
    await Promise.all(log.pending);
    assert.equal(await page.locator('#reference').count(), 1, 'the case opens without JavaScript');
    const fontFaces = await page.evaluate(() => document.fonts.size).catch(() => 0);
    if (fontFaces) log.fonts.push(`${fontFaces} @font-face in ${lang}`);
  }
  await context.close();
  const heavy = log.pages.filter((p) => p.bytes > 60 * 1024).map((p) => `${p.what}: ${p.bytes} bytes`);
  const most = log.pages.reduce((a, p) => (p.bytes > a.bytes ? p : a));
  console.log(`# heaviest: ${most.what} ${most.bytes} bytes (${most.urls.length} requests)`);
  assert.deepEqual(heavy, [], 'pages over 60 KB');
  assert.deepEqual(log.foreign, [], 'requests to another origin');
  assert.deepEqual(log.fonts, [], 'web fonts');
  for (const p of log.pages) assert.ok(p.urls.some((u) => /\.css/.test(u)), `${p.what}: the stylesheet counted`);
});
