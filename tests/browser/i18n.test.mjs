// Browser suite for the languages (issue 7, item 1): Debian's Chromium
// against a real `hrdd serve`. The complainant's context has JavaScript
// DISABLED and an English browser: the language switcher (plain links) turns
// the intake page French and the choice sticks (a SameSite=Lax cookie) on the
// next page; Arabic is right-to-left and its header mirrors; a grievance
// filed from the French page records French, and the handler sees that on the
// case page (with the page dates in the handler's language when they switch).
// Expected texts come from the catalogues, so wording changes do not break it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, emailOf, PASSWORD, REPO, securityHeaderProblems } from '../integration/lib/server.mjs';
import { launchBrowser, sanitizerReport } from './lib/browser.mjs';

let env;
let browser;
const cat = {};

async function catalogue(lang) {
  const out = {};
  for (const part of ['', '.dd', '.tr', '.as']) {
    try {
      Object.assign(out, JSON.parse(await readFile(join(REPO, 'src/web/i18n', `${lang}${part}.json`), 'utf8')));
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  return out;
}

before(async () => {
  for (const l of ['en', 'fr', 'ar']) cat[l] = await catalogue(l);
  env = await startServer({ sector: false });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (env) {
    await env.stop();
    const bad = sanitizerReport(env.stderr());
    assert.equal(bad, null, `sanitizer report from hrdd serve:\n${env.stderr().slice(-6000)}`);
  }
});

async function follow(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return res;
}

const FR_MONTH = /\b\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}\b/;

test('?lang= sets only a year-long Lax preference cookie and keeps the security headers', async () => {
  let res = await fetch(`${env.base}/report?lang=fr`);
  assert.equal(res.status, 200);
  assert.deepEqual(securityHeaderProblems(res.headers), []);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^lang=fr; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
  assert.equal(res.headers.get('content-language'), 'fr');
  assert.match(res.headers.get('vary') ?? '', /Accept-Language/);
  const html = await res.text();
  assert.match(html, /<html lang="fr" dir="ltr">/);
  // the switcher: each language by its own name, the current one marked
  assert.match(html, /<a href="(?:\/|&#47;)report\?lang=fr" hreflang="fr" lang="fr" aria-current="true">Français<\/a>/);
  assert.match(html, /<a href="(?:\/|&#47;)report\?lang=en" hreflang="en" lang="en">English<\/a>/);
  assert.match(html, /<a href="(?:\/|&#47;)report\?lang=ar" hreflang="ar" lang="ar" dir="rtl">العربية<\/a>/);
  // already chosen: no new cookie; an unknown language: none either, English page
  res = await fetch(`${env.base}/report?lang=fr`, { headers: { cookie: 'lang=fr' } });
  assert.equal(res.headers.get('set-cookie'), null);
  res = await fetch(`${env.base}/report?lang=xx`);
  assert.equal(res.headers.get('set-cookie'), null);
  assert.match(await res.text(), /<html lang="en" dir="ltr">/);
  // Accept-Language alone chooses too, without a cookie
  res = await fetch(`${env.base}/mechanism`, { headers: { 'accept-language': 'ar, en;q=0.5' } });
  assert.equal(res.headers.get('set-cookie'), null);
  assert.match(await res.text(), /<html lang="ar" dir="rtl">/);
});

test('without JavaScript: switch to French and Arabic, file in French, the handler sees French', async () => {
  const pub = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB', viewport: { width: 1000, height: 800 } });
  const p = await pub.newPage();
  const external = [];
  p.on('request', (r) => { if (!r.url().startsWith(env.base)) external.push(r.url()); });

  let res = await p.goto(env.base + '/report');
  assert.equal(res.status(), 200);
  assert.equal(await p.locator('html').getAttribute('lang'), 'en');
  assert.equal(await p.locator('h1').innerText(), cat.en['report.title']);
  const switcher = p.getByRole('navigation', { name: cat.en['layout.language'] });
  assert.ok((await switcher.getByRole('link').count()) >= 3, 'the switcher lists the languages');
  assert.equal(await switcher.locator('a[aria-current="true"]').innerText(), 'English');

  // French through the switcher: same page, French text, choice remembered
  res = await follow(p, switcher.getByRole('link', { name: 'Français' }));
  assert.equal(res.status(), 200);
  assert.equal(new URL(p.url()).pathname, '/report');
  assert.equal(await p.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await p.locator('html').getAttribute('dir'), 'ltr');
  assert.equal(await p.locator('h1').innerText(), cat.fr['report.title']);
  assert.notEqual(cat.fr['report.title'], cat.en['report.title']);
  const frSwitch = p.getByRole('navigation', { name: cat.fr['layout.language'] });
  assert.equal(await frSwitch.locator('a[aria-current="true"]').innerText(), 'Français');
  const [langCookie] = (await pub.cookies()).filter((c) => c.name === 'lang');
  assert.equal(langCookie?.value, 'fr');
  assert.equal(langCookie?.sameSite, 'Lax');
  assert.ok(langCookie.expires > Date.now() / 1000 + 300 * 86400, 'kept for about a year');
  res = await p.goto(env.base + '/mechanism');
  assert.equal(await p.locator('html').getAttribute('lang'), 'fr', 'the cookie keeps French on the next page');

  // Arabic: right to left, and the header mirrors (the brand moves to the right)
  res = await follow(p, p.locator('.lang-switch a[hreflang="ar"]'));
  assert.equal(await p.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await p.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await p.locator('h1').innerText(), cat.ar['mechanism.title']);
  const brand = await p.locator('.brand').boundingBox();
  assert.ok(brand.x + brand.width > 1000 / 2, `brand on the right in RTL (x=${brand.x})`);
  const main = await p.locator('main h1').boundingBox();
  assert.ok(main.x + main.width > 1000 / 2, 'the heading starts on the right');

  // back to French, file a grievance there
  await follow(p, p.locator('.lang-switch a[hreflang="fr"]'));
  await p.goto(env.base + '/report');
  assert.equal(await p.locator('h1').innerText(), cat.fr['report.title']);
  assert.equal(await p.locator('#language').inputValue(), 'fr', 'the answer language defaults to the page language');
  await p.locator('#narrative').fill('Mon compte a été suspendu après un message sur une grève. Marqueur-FR7.');
  res = await follow(p, p.getByRole('button', { name: cat.fr['report.submit'], exact: true }));
  assert.equal(res.status(), 201);
  assert.equal(await p.locator('html').getAttribute('lang'), 'fr');
  const reference = (await p.locator('#reference').innerText()).trim();
  assert.match(reference, /^G-[0-9A-Z]{8}$/);
  assert.deepEqual(external, [], 'nothing loaded from another origin');
  await pub.close();

  // the handler (English browser) sees the case's language
  const staff = await browser.newContext({ locale: 'en-GB' });
  const h = await staff.newPage();
  await h.goto(env.base + '/login');
  await h.getByLabel('Email address').fill(emailOf('case_handler', 'a'));
  await h.getByLabel('Password').fill(PASSWORD);
  await follow(h, h.getByRole('button', { name: 'Sign in', exact: true }));
  await h.goto(env.base + '/cases');
  assert.equal(await h.locator('html').getAttribute('lang'), 'en');
  const row = h.locator('tr', { has: h.getByRole('link', { name: reference }) });
  assert.match(await row.innerText(), new RegExp(cat.en['language.fr'].replace(/[()]/g, '\\$&')), 'the queue shows the language');
  await follow(h, h.getByRole('link', { name: reference }));
  const dd = h.locator('dt', { hasText: cat.en['report.language'] }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await dd.innerText(), cat.en['language.fr']);
  // the staff page switches too, and its dates follow
  const caseUrl = new URL(h.url()).pathname;
  await follow(h, h.locator('.lang-switch a[hreflang="fr"]'));
  assert.equal(new URL(h.url()).pathname, caseUrl);
  assert.equal(await h.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await h.locator('h1').innerText(), reference);
  const frDd = h.locator('dt', { hasText: cat.fr['report.language'] }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await frDd.innerText(), cat.fr['language.fr']);
  const filed = h.locator('dt', { hasText: cat.fr['case.filed'] }).locator('xpath=following-sibling::dd[1]');
  assert.match(await filed.innerText(), FR_MONTH, 'a French date on the case page');

  // a grievance taken by phone records the language the handler picks (default: the page's)
  res = await h.goto(env.base + '/cases/new?lang=en');
  assert.equal(await h.locator('#language').inputValue(), 'en');
  await h.locator('#language').selectOption('ar');
  await h.locator('#narrative').fill('Caller speaks Arabic; reports a dismissal after a complaint.');
  res = await follow(h, h.getByRole('button', { name: cat.en['case_new.submit'], exact: true }));
  assert.equal(res.status(), 201);
  await follow(h, h.getByRole('link', { name: cat.en['case_new.to_case'] }));
  const arDd = h.locator('dt', { hasText: cat.en['report.language'] }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await arDd.innerText(), cat.en['language.ar']);

  // the SVG charts stay left-to-right in Arabic: labels and values never run into their bars
  res = await h.goto(env.base + '/grievance-stats?lang=ar');
  assert.equal(res.status(), 200);
  assert.equal(await h.locator('html').getAttribute('dir'), 'rtl');
  const bars = h.locator('svg.chart g.bar');
  assert.ok((await bars.count()) > 0, 'the statistics page has bars');
  for (let i = 0; i < Math.min(await bars.count(), 6); i++) {
    const g = bars.nth(i);
    const label = await g.locator('text').first().boundingBox();
    const rect = await g.locator('rect').boundingBox();
    const value = await g.locator('text').nth(1).boundingBox();
    assert.ok(label.x + label.width <= rect.x + 1, `label ${i} left of its bar (${label.x}+${label.width} vs ${rect.x})`);
    assert.ok(value.x >= rect.x + rect.width - 1, `value ${i} right of its bar (${value.x} vs ${rect.x}+${rect.width})`);
  }
  await staff.close();
});

test('without JavaScript: switching language on a filtered /cases list keeps the filter', async () => {
  const staff = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
  const h = await staff.newPage();
  await h.goto(env.base + '/login');
  await h.getByLabel('Email address').fill(emailOf('case_handler', 'a'));
  await h.getByLabel('Password').fill(PASSWORD);
  await follow(h, h.getByRole('button', { name: 'Sign in', exact: true }));
  // a filter with a value that needs encoding, and an old lang= to replace
  let res = await h.goto(env.base + '/cases?state=received&overdue=1&open=0&category=&lang=en&x=%22%3E%3Cb%3E');
  assert.equal(res.status(), 200);
  const fr = h.locator('.lang-switch a[hreflang="fr"]');
  const href = await fr.getAttribute('href');
  assert.equal(href, '/cases?state=received&overdue=1&open=0&category=&x=%22%3E%3Cb%3E&lang=fr');
  assert.equal(await h.locator('.lang-switch b').count(), 0, 'nothing from the query becomes markup');
  res = await follow(h, fr);
  assert.equal(res.status(), 200);
  assert.deepEqual(securityHeaderProblems(new Headers(res.headers())), []);
  const u = new URL(h.url());
  assert.equal(u.pathname, '/cases');
  assert.equal(u.searchParams.get('state'), 'received');
  assert.equal(u.searchParams.get('overdue'), '1');
  assert.deepEqual(u.searchParams.getAll('lang'), ['fr']);
  assert.equal(await h.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await h.locator('#f-state').inputValue(), 'received', 'the state filter is still applied');
  assert.ok(await h.locator('#f-overdue').isChecked(), 'the overdue filter is still applied');
  assert.ok(await h.locator('#f-open').isChecked());
  // and back to English from there: the filter stays again
  await follow(h, h.locator('.lang-switch a[hreflang="en"]'));
  assert.equal(await h.locator('html').getAttribute('lang'), 'en');
  assert.equal(await h.locator('#f-state').inputValue(), 'received');
  await staff.close();
});
