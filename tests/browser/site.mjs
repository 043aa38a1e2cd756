// Drives Debian's Chromium through the site built by `yakkan site` and prints what it saw
// as one JSON object; tests/site_browser.rs checks it. Usage:
//   node site.mjs CORPUS_SITE_URL FIXTURE_SITE_URL SCREENSHOT_DIR QUERY...
import { chromium } from 'playwright-core';

const [corpus, fixture, shots, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const out = { errors: [], dialogs: [] };
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('pageerror', e => out.errors.push(e.message));
page.on('dialog', d => { out.dialogs.push(d.message()); d.dismiss(); });

async function search(base, q, filters = '') {
  await page.goto(`${base}/search.html?q=${encodeURIComponent(q)}${filters}`);
  await page.waitForSelector('body[data-search-done]');
  return page.evaluate(() => ({
    status: document.getElementById('status').textContent,
    results: [...document.querySelectorAll('#results li > a')].map(a => {
      const u = new URL(a.href);
      return { page: u.pathname, id: decodeURIComponent(u.hash.slice(1)), title: a.textContent };
    }),
    marks: [...document.querySelectorAll('#results mark')].map(m => m.textContent),
  }));
}

// 1. Search on the bundled corpus.
out.search = {};
for (const q of queries) out.search[q] = await search(corpus, q);
await search(corpus, queries[0]);
await page.screenshot({ path: `${shots}/search.png` });

// 2. Clicking a cross-reference lands on its target.
const docPage = `${corpus}/d/iij/general-provisions/2025-07-18.html`;
await page.goto(docPage);
const link = page.locator('#art_14__para_2 a.ref[href="#art_13"]').first();
out.refText = await link.textContent();
await link.click();
await page.waitForFunction(() => location.hash === '#art_13');
out.afterClick = await page.evaluate(() => {
  const t = document.getElementById('art_13').getBoundingClientRect();
  return { hash: location.hash, top: t.top, inView: t.top >= -1 && t.top < innerHeight,
    targetMatches: document.querySelector(':target')?.id };
});

// 3. Hovering a cross-reference and focusing a term show their previews.
await page.hover('#art_14__para_2 a.ref[href="#art_13"]');
out.refPreview = await page.locator('#yakkan-preview').textContent();
const term = page.locator('#art_13 a.term').first();
out.termHref = await term.getAttribute('href');
out.termText = await term.textContent();
await term.focus();
out.termPreview = await page.locator('#yakkan-preview').textContent();
await term.hover();
await page.screenshot({ path: `${shots}/document.png` });

// 4. The 新旧対照表 of the two-revision fixture.
await page.goto(`${fixture}/d/example/two-revisions/2024-04-01_2025-04-01.html`);
out.taisho = await page.evaluate(() => {
  const rows = [...document.querySelectorAll('table.taisho tbody tr')];
  const col = i => rows.flatMap(tr => [...tr.children[i].querySelectorAll('u.chg')].map(u => u.textContent));
  return { headers: [...document.querySelectorAll('table.taisho th')].map(t => t.textContent),
    left: col(0), right: col(1), text: document.querySelector('table.taisho').innerText };
});
// Filters: the latest revision of each document (default), every revision, one document.
out.filters = {};
for (const [name, f] of [['latest', ''], ['all', '&rev=all'], ['old', '&doc=0&rev=2024-04-01'], ['xssOnly', '&doc=1&rev=all']]) {
  out.filters[name] = (await search(fixture, '申込書', f)).results.map(r => r.page.split('/').pop() + '#' + r.id);
}
const timeline = `${fixture}/d/example/two-revisions/index.html`;
await page.goto(timeline);
out.timeline = await page.evaluate(() => document.querySelector('main').innerText);

// 5. The XSS fixture: every page, previews and search, with nothing run.
const xssPages = ['/index.html', '/d/example/xss/index.html', '/d/example/xss/2025-01-01.html', '/search.html'];
out.xss = [];
for (const p of xssPages) {
  await page.goto(fixture + p);
  for (const a of await page.locator('a.ref, a.term').all()) await a.hover();
  out.xss.push(await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    imgs: document.querySelectorAll('img').length,
    foreignScripts: [...document.scripts].filter(s => !/assets\/(site|search)\.js$/.test(s.src)).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.startsWith('javascript:')).length,
    shownAsText: document.body.innerText.includes('<script>') || document.body.innerText.includes('<img'),
  })));
}
for (const q of ['script', 'javascript', 'onerror']) {
  const r = await search(fixture, q);
  out.xss.push(await page.evaluate(n => ({
    query: n,
    pwned: window.__pwned ?? null,
    imgs: document.querySelectorAll('img').length,
    foreignScripts: [...document.scripts].filter(s => !/assets\/(site|search)\.js$/.test(s.src)).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.startsWith('javascript:')).length,
    shownAsText: document.body.innerText.includes('<script>') || document.body.innerText.includes('<img')
      || document.body.innerText.includes('javascript:'),
    results: document.querySelectorAll('#results li').length,
  }), q));
}

console.log(JSON.stringify(out));
await browser.close();
