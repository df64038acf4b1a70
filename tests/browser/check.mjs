// Opens a web page in Debian's headless chromium and reports, as one JSON object on stdout,
// what tests/html.rs judges:
//   node check.mjs PAGE.html SCREENSHOT_DIR [CHROMIUM]
// - `axe`: per width (1280 and 390 px), axe-core's WCAG 2.1 A and AA violations;
// - `widths`: per width, the page's scrollWidth and the window's innerWidth;
// - `requests`: every request the page made to another origin than its own file;
// - `text`: the page's text as a reader sees it (document.body.innerText);
// - `screenshots`: the full-page screenshots written into SCREENSHOT_DIR.
// The page is opened as a file: it must need nothing from anywhere else.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const [page_path, shots, executable = '/usr/bin/chromium'] = process.argv.slice(2);
if (!page_path || !shots) {
  console.error('gebruik: node check.mjs PAGINA.html SCHERMAFDRUKMAP [CHROMIUM]');
  process.exit(2);
}
const url = pathToFileURL(resolve(page_path)).href;
mkdirSync(shots, { recursive: true });

const WIDTHS = [1280, 390];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// a fresh profile: nothing from an earlier run (cache, storage) can hide a request
const profile = mkdtempSync(join(tmpdir(), 'werkplan-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: executable,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: WIDTHS[0], height: 900 },
  deviceScaleFactor: 1,
});
const result = { axe: {}, widths: {}, requests: [], text: '', screenshots: [] };
try {
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.url() !== url && !request.url().startsWith('data:')) {
      result.requests.push(request.url());
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  result.text = await page.evaluate(() => document.body.innerText);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    result.widths[width] = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    const shot = join(shots, `pagina-${width}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    result.screenshots.push(shot);
    // axe is put into the page as a script of its own, not fetched by the page
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    }
    const axe = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      TAGS,
    );
    result.axe[width] = {
      version: axe.testEngine.version,
      violations: axe.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
    };
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result));
