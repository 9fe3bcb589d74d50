// The web build with Vite (issue #11): a minimal app that imports the package the way the README
// says (`import init, { ... } from 'delcredere'; await init();`) is built with `vite build` (vite
// pinned in package.json), served from its dist/ on 127.0.0.1 and opened in headless Chromium
// (playwright-core); a form validator call must answer in the built bundle. The same app under
// `vite` (the dev server, which pre-bundles the package and rewrites the .wasm's URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { policy } from './fixtures.mjs';
import { build, createServer as createViteServer } from 'vite';

const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const MAIN = `import init, { validateLimitApplication } from 'delcredere';

await init();
const report = validateLimitApplication({
  policy: ${JSON.stringify(policy())},
  application: {
    buyerName: 'Müller Maschinenbau GmbH', legalForm: 'GmbH', buyerCountry: 'DE',
    registrationNumber: 'HRB 12345', customerNumber: 'K-4711',
    requestedAmount: '50000', currency: 'EUR', paymentTermsDays: '150', date: '2026-03-02',
    paymentExperience: { newBuyer: false, paysOnTime: true, seasonalPeaks: false, regularSales: true },
  },
  lang: 'fr',
});
document.querySelector('#out').textContent = JSON.stringify(report);
document.body.dataset.ready = 'true';
`;

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>delcredere with Vite</title></head>
<body><output id="out"></output><script type="module" src="/main.js"></script></body></html>
`;

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const EXPECTED = {
  valid: false,
  fields: {
    paymentTermsDays: [{
      code: 'requested_terms_exceed_max_credit_period',
      severity: 'error',
      message: 'Le délai de paiement demandé de 150 jours dépasse la durée maximale de crédit de 120 jours.',
    }],
  },
};

let app;
let browser;
const cleanup = [];

before(async () => {
  app = await mkdtemp(join(tmpdir(), 'delcredere-vite-'));
  cleanup.push(() => rm(app, { recursive: true, force: true }));
  await writeFile(join(app, 'index.html'), INDEX);
  await writeFile(join(app, 'main.js'), MAIN);
  // As after `npm install delcredere`: the package under node_modules (a link to this one,
  // kept as a path under the app by resolve.preserveSymlinks, as an installed copy would be).
  await mkdir(join(app, 'node_modules'));
  await symlink(pkgRoot, join(app, 'node_modules', 'delcredere'), 'dir');
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60_000,
  });
  cleanup.push(() => browser.close());
});

after(async () => {
  for (const f of cleanup.reverse()) await f().catch((e) => console.error(e.message));
});

/** Opens `url`, waits for main.js to finish and returns the report it wrote. */
async function reportAt(url) {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor();
  const report = JSON.parse(await page.locator('#out').textContent());
  await page.close();
  assert.deepEqual(problems, []);
  return report;
}

test('vite build: the bundle validates a limit application in the browser', { timeout: 120_000 }, async () => {
  const dist = join(app, 'dist');
  await build({ root: app, configFile: false, logLevel: 'warn', resolve: { preserveSymlinks: true }, build: { outDir: dist } });
  const assets = await readdir(join(dist, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the .wasm is an asset of the bundle: ${assets.join(', ')}`);

  const server = createServer(async (req, res) => {
    const file = normalize(join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const path = file.endsWith(sep) ? join(file, 'index.html') : file;
    try {
      if (!path.startsWith(dist + sep)) throw new Error('outside dist');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  assert.deepEqual(await reportAt(`http://127.0.0.1:${server.address().port}/`), EXPECTED);
});

test('vite dev server: the same app, no configuration needed (the package is pre-bundled)', { timeout: 120_000 }, async () => {
  const server = await createViteServer({
    root: app,
    configFile: false,
    logLevel: 'warn',
    resolve: { preserveSymlinks: true },
    server: { host: '127.0.0.1', port: 0 },
  });
  cleanup.push(() => server.close());
  await server.listen();
  assert.deepEqual(await reportAt(server.resolvedUrls.local[0]), EXPECTED);
});
