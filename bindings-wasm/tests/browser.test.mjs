// Serves bindings-wasm/ on 127.0.0.1, opens the demo desk in headless Chromium (playwright-core)
// and drives its three panels: the limit application and turnover declaration forms (valid and
// invalid cases, exact localized messages in fr and de, language switch, keyboard only,
// aria-invalid / aria-describedby) and the cover check. Screenshots: <repo>/target/screenshots/.
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
const shots = join(repoRoot, 'target', 'screenshots');
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


async function open() {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${baseUrl}/demo/index.html`);
  await page.locator('body[data-ready="true"]').waitFor();
  await mkdir(shots, { recursive: true });
  return { page, problems };
}

const messagesOf = (page, id) => page.locator(`#${id}-msg p`).allInnerTexts();

test('limit application: invalid then valid, exact messages in French and German, errors announced', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('fr');
  await page.getByLabel('Buyer legal name').fill('Müller Maschinenbau');
  await page.getByLabel('Country', { exact: true }).fill('US');
  await page.getByLabel('Requested amount').fill('50.000,00');
  await page.getByLabel('Payment terms (days)', { exact: true }).fill('150');
  await page.getByLabel('Application date').fill('2025-12-15');
  // As the user types: only touched fields speak.
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), [
    'Le délai de paiement demandé de 150 jours dépasse la durée maximale de crédit de 120 jours.',
  ]);
  assert.deepEqual(await messagesOf(page, 'legalForm'), []);
  await page.getByRole('button', { name: 'Check application' }).click();
  assert.deepEqual(await messagesOf(page, 'buyerCountry'), [
    'Le pays du débiteur (US) ne fait pas partie des pays garantis par la police.',
  ]);
  assert.deepEqual(await messagesOf(page, 'requestedAmount'), [
    "50.000,00 n'est pas un montant : saisissez des chiffres avec un point décimal, par exemple 50000.00.",
  ]);
  assert.deepEqual(await messagesOf(page, 'date'), [
    'La date de la demande, 2025-12-15, est antérieure au début de la police le 2026-01-01.',
  ]);
  assert.deepEqual(await messagesOf(page, 'legalForm'), [
    'La forme juridique de Müller Maschinenbau manque : indiquez la raison sociale complète avec sa forme juridique.',
  ]);
  const country = page.getByLabel('Country', { exact: true });
  assert.equal(await country.getAttribute('aria-invalid'), 'true');
  assert.equal(await country.getAttribute('aria-describedby'), 'buyerCountry-msg');
  assert.equal(await page.getByLabel('Legal form').getAttribute('aria-invalid'), null, 'a warning is not invalid');
  // Focus goes to the first invalid field.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'buyerCountry');
  await page.screenshot({ path: join(shots, 'limit-invalid-fr.png'), fullPage: true });

  // Switch language: the same messages, in German.
  await page.locator('#lang').selectOption('de');
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), [
    'Das beantragte Zahlungsziel von 150 Tagen überschreitet das höchstzulässige Zahlungsziel von 120 Tagen.',
  ]);
  assert.deepEqual(await messagesOf(page, 'date'), ['Das Antragsdatum 2025-12-15 liegt vor dem Beginn der Police am 2026-01-01.']);

  // Correct it: a valid form, the LIM-5 fee as a warning only.
  await page.getByLabel('Buyer legal name').fill('Müller Maschinenbau GmbH');
  await page.getByLabel('Legal form').fill('GmbH');
  await country.fill('DE');
  await page.getByLabel('Requested amount').fill('15000.00');
  await page.getByLabel('Payment terms (days)', { exact: true }).fill('60');
  await page.getByLabel('Application date').fill('2026-03-02');
  await page.getByRole('button', { name: 'Check application' }).click();
  assert.equal(await page.locator('#limit-status').innerText(), '✓');
  assert.equal(await page.locator('#limit-form [aria-invalid="true"]').count(), 0);
  assert.deepEqual(await messagesOf(page, 'requestedAmount'), [
    'Der Betrag liegt innerhalb der Anbietungsgrenze von 20.000,00 EUR: eine Kreditprüfung durch den Versicherer kostet eine jährliche Gebühr.',
  ]);
  await page.screenshot({ path: join(shots, 'limit-valid-de.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('limit application with the keyboard only: tab through, type, submit with Enter', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'buyerName');
  await page.keyboard.type('Dupont Industrie');
  await page.keyboard.press('Tab');
  await page.keyboard.type('SAS');
  await page.keyboard.press('Tab');
  await page.keyboard.type('FR');
  await page.keyboard.press('Tab');
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'requestedAmount');
  assert.deepEqual(await messagesOf(page, 'requestedAmount'), ['abc is not an amount: use digits and a decimal point, e.g. 50000.00.']);
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), ['This field is required.']);
  assert.equal(await page.getByLabel('Application date').getAttribute('aria-describedby'), 'date-msg');
  await page.screenshot({ path: join(shots, 'limit-keyboard-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('turnover declaration: findings per field in French, then a valid declaration', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('fr');
  await page.getByLabel('Insured turnover DE').fill('6000000');
  await page.getByLabel('Credit notes deducted DE').fill('12000');
  await page.getByLabel('Insured turnover FR').fill('3000000');
  await page.getByRole('button', { name: 'Check declaration' }).click();
  assert.deepEqual(await messagesOf(page, 'decl-DE-cn'), [
    "Le chiffre d'affaires pour DE a été réduit d'avoirs (12\u202f000) : déclarez le montant facturé complet.",
  ]);
  assert.equal(await page.locator('#declaration-form-error').innerText(), "NL est un pays de la police et doit être déclaré (0 en l'absence de ventes).");
  assert.equal(await page.getByLabel('Credit notes deducted DE').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Insured turnover FR').fill('3 Mio');
  assert.deepEqual(await messagesOf(page, 'decl-FR'), [
    "3 Mio n'est pas un montant : saisissez des chiffres avec un point décimal, par exemple 125000.00.",
  ]);
  await page.screenshot({ path: join(shots, 'declaration-invalid-fr.png'), fullPage: true });
  await page.locator('#lang').selectOption('de');
  assert.deepEqual(await messagesOf(page, 'decl-FR'), [
    '3 Mio ist kein Betrag: bitte Ziffern mit Punkt als Dezimaltrennzeichen angeben, z. B. 125000.00.',
  ]);
  await page.getByLabel('Credit notes deducted DE').fill('');
  await page.getByLabel('Insured turnover FR').fill('3000000');
  await page.getByLabel('Insured turnover NL').fill('1000000');
  await page.getByRole('button', { name: 'Check declaration' }).click();
  assert.equal(await page.locator('#declaration-status').innerText(), '✓');
  assert.equal(await page.locator('#declaration-form [aria-invalid="true"]').count(), 0);
  assert.equal(await page.locator('#declaration-form-error').isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('cover check: "can I ship this order?" answers in German and French', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('de');
  await page.getByRole('button', { name: 'Check cover' }).click();
  await page.locator('#cover-result[data-outcome="covered"]').waitFor({ state: 'attached' });
  const de = await page.locator('#cover-summary').innerText();
  await page.getByLabel('Order amount (EUR)').fill('20000.00');
  await page.getByRole('button', { name: 'Check cover' }).click();
  await page.locator('#cover-result[data-outcome="partly_covered"]').waitFor({ state: 'attached' });
  await page.locator('#lang').selectOption('fr');
  await page.locator('#cover-result[lang="fr"]').waitFor({ state: 'attached' });
  const fr = await page.locator('#cover-summary').innerText();
  await page.screenshot({ path: join(shots, 'cover-partly-fr.png'), fullPage: true });
  assert.ok(de.length > 0 && fr.length > 0 && de !== fr, `${de} / ${fr}`);
  assert.ok((await page.locator('#cover-messages li').count()) > 0);
  assert.deepEqual(problems, []);
  await page.close();
});
