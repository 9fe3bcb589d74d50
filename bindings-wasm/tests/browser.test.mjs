// Serves bindings-wasm/ on 127.0.0.1, opens the demo form in headless Chromium (playwright-core),
// fills it in and checks the engine's exact answer in English and German, then an input error.
// Saves a screenshot to <repo>/target/demo-insurability.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, '..');
const repoRoot = join(pkgRoot, '..');
const screenshot = join(repoRoot, 'target', 'demo-insurability.png');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

let server;
let baseUrl;
let context;
let userDataDir;

/** Resolves `promise`, or rejects after `ms` so that nothing can hang the run. */
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

before(async () => {
  assert.ok(existsSync(join(pkgRoot, 'pkg-web', 'delcredere_wasm.js')), 'build pkg-web first (bindings-wasm/build.sh)');
  server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(pkgRoot, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(pkgRoot + sep) || file.includes(`${sep}node_modules${sep}`)) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;

  userDataDir = await mkdtemp(join(tmpdir(), 'delcredere-chromium-'));
  context = await within(
    60_000,
    chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1200, height: 900 },
      timeout: 60_000,
    }),
    'launching chromium',
  );
});

after(async () => {
  await within(15_000, context?.close() ?? Promise.resolve(), 'closing chromium').catch((e) => console.error(e.message));
  if (server) {
    server.closeAllConnections();
    await within(5_000, new Promise((resolve) => server.close(resolve)), 'closing the server').catch((e) => console.error(e.message));
  }
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function texts(page) {
  return {
    summary: await page.locator('#summary').innerText(),
    messages: await page.locator('#messages li').evaluateAll((lis) => lis.map((li) => li.firstChild.textContent)),
  };
}

test('the demo form answers in English and German, and puts input errors next to the field', { timeout: 120_000 }, async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });

  await page.goto(`${baseUrl}/demo/index.html`);
  await page.locator('body[data-ready="true"]').waitFor();

  await page.getByLabel('Legal name').fill('Müller Maschinenbau GmbH');
  await page.getByLabel('Legal form').fill('GmbH');
  await page.getByLabel('Registration number').fill('HRB 12345');
  await page.getByLabel('VAT number').fill('DE123456789');
  await page.getByLabel(/^Country/).fill('DE');
  await page.getByLabel('Entity kind').selectOption('company');
  await page.getByLabel('Receivable kind').selectOption('goods');
  await page.getByLabel(/^Payment terms/).fill('60');
  await page.getByLabel('Payment security').selectOption('openAccount');
  await page.getByLabel('Answer language').selectOption('en');
  await page.getByRole('button', { name: 'Check insurability' }).click();

  await page.locator('#summary:not([hidden])').waitFor();
  assert.equal(await page.locator('#result').getAttribute('aria-live'), 'polite');
  assert.deepEqual(await texts(page), {
    summary: 'Insurable.',
    messages: [
      'Müller Maschinenbau GmbH is a legally independent company at its registered head office.',
      "The buyer's country (DE) is an agreed country of the policy.",
    ],
  });
  await mkdir(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.getByLabel('Answer language').selectOption('de');
  await page.locator('#result[lang="de"]').waitFor();
  assert.deepEqual(await texts(page), {
    summary: 'Versicherbar.',
    messages: [
      'Müller Maschinenbau GmbH ist ein rechtlich selbständiges Unternehmen an seinem eingetragenen Hauptsitz.',
      'Das Land des Kunden (DE) gehört zu den vereinbarten Ländern der Police.',
    ],
  });

  // An affiliate in a country outside the policy: not insurable, with both reasons, in German.
  await page.getByLabel(/^Country/).fill('US');
  await page.getByLabel('The insured holds a majority in this buyer').check();
  await page.getByRole('button', { name: 'Check insurability' }).click();
  await page.locator('#result[data-outcome="not_insurable"]').waitFor();
  const refused = await texts(page);
  assert.equal(refused.summary, 'Nicht versicherbar.');
  assert.ok(
    refused.messages.includes('Das Land des Kunden (US) gehört nicht zu den vereinbarten Ländern der Police.'),
    refused.messages.join('\n'),
  );
  assert.ok(
    refused.messages.includes(
      'Der Versicherungsnehmer ist mehrheitlich an Müller Maschinenbau GmbH beteiligt: verbundene Unternehmen sind nicht versicherbar.',
    ),
    refused.messages.join('\n'),
  );

  // An unknown country code is an input error shown next to the country field.
  await page.getByLabel(/^Country/).fill('XX');
  await page.getByRole('button', { name: 'Check insurability' }).click();
  const countryError = page.locator('#country-error');
  await countryError.waitFor();
  assert.equal(await countryError.innerText(), "buyer.country: unknown country code 'XX'");
  assert.equal(await page.getByLabel(/^Country/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#summary').isHidden(), true);

  assert.deepEqual(problems, []);
  await page.close();
});
