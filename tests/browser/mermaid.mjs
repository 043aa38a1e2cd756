// Renders a Mermaid diagram written by `yakkan graph --format mermaid` with the real
// Mermaid (the npm package, in Debian's Chromium) and prints what the rendered SVG holds
// as one JSON object; tests/browser.rs checks that document text stayed text. Usage:
//   node mermaid.mjs DIAGRAM.mmd
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const diagram = readFileSync(process.argv[2], 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage();
const out = { errors: [], dialogs: [] };
page.on('pageerror', e => out.errors.push(e.message));
page.on('dialog', d => { out.dialogs.push(d.message()); d.dismiss(); });
await page.setContent('<!doctype html><html><body><div id="g"></div></body></html>');
await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
Object.assign(out, await page.evaluate(async (text) => {
  mermaid.initialize({ startOnLoad: false });
  try {
    const { svg } = await mermaid.render('graph', text);
    document.getElementById('g').innerHTML = svg;
  } catch (e) {
    return { renderError: String(e) };
  }
  const root = document.getElementById('g');
  return {
    elements: [...new Set([...root.querySelectorAll('*')].map(e => e.localName))].sort(),
    labels: [...root.querySelectorAll('.nodeLabel, .edgeLabel, .cluster-label')]
      .map(e => e.textContent).filter(t => t.trim()),
    // what %%{init: {"theme": "forest"}}%% would have changed
    theme: mermaid.mermaidAPI.getConfig().theme,
  };
}, diagram));
await page.waitForTimeout(200);
console.log(JSON.stringify(out));
await browser.close();
