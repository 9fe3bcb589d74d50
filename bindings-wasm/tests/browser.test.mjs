// Serves bindings-wasm/ on 127.0.0.1, opens the demo desk in headless Chromium (playwright-core)
// and drives its four panels: the limit application, turnover declaration and claim file forms
// (valid and invalid cases, exact localized messages in fr and de, the page's own labels in the
// chosen language, keyboard only, aria-invalid / aria-describedby) and the cover check. Then the
// page for every user (#25): axe-core (devDependency, its source injected into the page) on
// every panel in the five languages before and after invalid submits, no horizontal scroll at
// 320 CSS px, non-text contrast, errors announced, fields flagged on leaving them, date inputs.
// And panel 5, "how much limit do I need?" (#26): the outstanding curve of a schedule (EXP-1),
// its points checked against hand-worked figures, drawn against the limit in force.
// Screenshots: <repo>/target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { UI_TEXT } from '../demo/ui-text.mjs';

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
  // Panel 5 (the outstanding curve) loads the build with every op when it first draws.
  assert.ok(existsSync(join(pkgRoot, 'pkg-web-full', 'delcredere_wasm.js')), 'build pkg-web-full first (bindings-wasm/build.sh)');
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
  await page.getByLabel('Raison sociale du débiteur').fill('Müller Maschinenbau');
  await page.getByLabel('Pays', { exact: true }).fill('US');
  await page.getByLabel('Montant demandé').fill('50.000,00 €');
  await page.getByLabel('Délai de paiement (jours)', { exact: true }).fill('150');
  await page.getByLabel('Date de la demande').fill('2025-12-15');
  // As the user types: only touched fields speak.
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), [
    'Le délai de paiement demandé de 150 jours dépasse la durée maximale de crédit de 120 jours.',
  ]);
  assert.deepEqual(await messagesOf(page, 'legalForm'), []);
  await page.getByRole('button', { name: 'Vérifier la demande' }).click();
  assert.deepEqual(await messagesOf(page, 'buyerCountry'), [
    'Le pays du débiteur (US) ne fait pas partie des pays garantis par la police.',
  ]);
  assert.deepEqual(await messagesOf(page, 'requestedAmount'), [
    "50.000,00 € n'est pas un montant : saisissez des chiffres avec une virgule décimale, par exemple 50 000,00.",
  ]);
  assert.deepEqual(await messagesOf(page, 'date'), [
    'La date de la demande, 15/12/2025, est antérieure au début de la police le 01/01/2026.',
  ]);
  assert.deepEqual(await messagesOf(page, 'legalForm'), [
    'La forme juridique de Müller Maschinenbau manque : indiquez la raison sociale complète avec sa forme juridique.',
  ]);
  const country = page.locator('#buyerCountry');
  assert.equal(await country.getAttribute('aria-invalid'), 'true');
  assert.equal(await country.getAttribute('aria-describedby'), 'buyerCountry-msg');
  assert.equal(await page.getByLabel('Forme juridique').getAttribute('aria-invalid'), null, 'a warning is not invalid');
  assert.equal(await page.locator('#limit-status').innerText(), '✗ Corrigez les champs signalés');
  // Focus goes to the first invalid field.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'buyerCountry');
  await page.screenshot({ path: join(shots, 'limit-invalid-fr.png'), fullPage: true });

  // Switch language: the same messages, in German.
  await page.locator('#lang').selectOption('de');
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), [
    'Das beantragte Zahlungsziel von 150 Tagen überschreitet das höchstzulässige Zahlungsziel von 120 Tagen.',
  ]);
  assert.deepEqual(await messagesOf(page, 'date'), ['Das Antragsdatum 15.12.2025 liegt vor dem Beginn der Police am 01.01.2026.']);

  // Correct it: a valid form, the LIM-5 fee as a warning only.
  await page.getByLabel('Vollständiger Firmenname des Kunden').fill('Müller Maschinenbau GmbH');
  await page.getByLabel('Rechtsform').fill('GmbH');
  await page.getByLabel('Land', { exact: true }).fill('DE');
  await page.getByLabel('Beantragter Betrag').fill('15000.00');
  await page.getByLabel('Zahlungsziel (Tage)', { exact: true }).fill('60');
  await page.getByLabel('Antragsdatum').fill('2026-03-02');
  // The identification and the payment-experience answers the application needs (#22: BUY-5,
  // the insured's customer number, the Danish guide's questions).
  await page.getByLabel('Handelsregisternummer').fill('HRB 12345');
  await page.getByLabel('Ihre Kundennummer').fill('K-4711');
  await page.getByLabel('Ist es ein neuer Kunde?').selectOption('no');
  await page.getByLabel('Zahlt der Kunde pünktlich?').selectOption('yes');
  await page.getByLabel('Ist Ihr Geschäft saisonal?').selectOption('no');
  await page.getByLabel('Verkaufen Sie übers Jahr regelmässig?').selectOption('yes');
  await page.getByRole('button', { name: 'Antrag prüfen' }).click();
  assert.equal(await page.locator('#limit-status').innerText(), '✓ Bereit zum Senden');
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
  assert.deepEqual(await messagesOf(page, 'requestedAmount'), ['abc is not an amount: use digits, with a decimal point, e.g. 50,000.00.']);
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), ['This field is required.']);
  assert.equal(await page.getByLabel('Application date').getAttribute('aria-describedby'), 'date-msg');
  await page.screenshot({ path: join(shots, 'limit-keyboard-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('turnover declaration: findings per field in French, then a valid declaration', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('fr');
  await page.getByLabel("Chiffre d'affaires assuré DE").fill('6000000');
  await page.getByLabel('Avoirs déduits DE').fill('12000');
  await page.getByLabel("Chiffre d'affaires assuré FR").fill('3000000');
  await page.getByRole('button', { name: 'Vérifier la déclaration' }).click();
  assert.deepEqual(await messagesOf(page, 'decl-DE-cn'), [
    "Le chiffre d'affaires pour DE a été réduit d'avoirs (12\u202f000) : déclarez le montant facturé complet.",
  ]);
  assert.equal(await page.locator('#declaration-form-error').innerText(), "NL est un pays de la police et doit être déclaré (0 en l'absence de ventes).");
  assert.equal(await page.getByLabel('Avoirs déduits DE').getAttribute('aria-invalid'), 'true');
  // The form-level error is a live region, and the field it concerns (NL's empty turnover) is
  // marked and described by it: "correct the marked fields" has a field to point at.
  assert.equal(await page.locator('#declaration-form-error').getAttribute('role'), 'alert');
  const nl = page.getByLabel("Chiffre d'affaires assuré NL");
  assert.equal(await nl.getAttribute('aria-invalid'), 'true');
  assert.equal(await nl.getAttribute('aria-describedby'), 'declaration-form-error');
  assert.equal(await page.getByLabel("Chiffre d'affaires assuré FR").getAttribute('aria-invalid'), null);
  await page.getByLabel("Chiffre d'affaires assuré FR").fill('3 Mio');
  await page.getByLabel("Chiffre d'affaires assuré FR").blur();
  assert.deepEqual(await messagesOf(page, 'decl-FR'), [
    "3 Mio n'est pas un montant : saisissez des chiffres avec une virgule décimale, par exemple 125 000,00.",
  ]);
  await page.screenshot({ path: join(shots, 'declaration-invalid-fr.png'), fullPage: true });
  await page.locator('#lang').selectOption('de');
  assert.deepEqual(await messagesOf(page, 'decl-FR'), [
    '3 Mio ist kein Betrag: bitte Ziffern mit Komma als Dezimaltrennzeichen angeben, z. B. 125.000,00.',
  ]);
  await page.getByLabel('Abgezogene Gutschriften DE').fill('');
  await page.getByLabel('Versicherter Umsatz FR').fill('3000000');
  await page.getByLabel('Versicherter Umsatz NL').fill('1000000');
  await page.getByRole('button', { name: 'Meldung prüfen', exact: true }).click();
  assert.equal(await page.locator('#declaration-status').innerText(), '✓ Bereit zum Senden');
  assert.equal(await page.locator('#declaration-form [aria-invalid="true"]').count(), 0);
  assert.equal(await page.locator('#declaration-form-error').innerText(), '');
  assert.equal(await page.getByLabel('Versicherter Umsatz NL').getAttribute('aria-invalid'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('cover check: "can I ship this order?" answers in German and French', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('de');
  await page.getByRole('button', { name: 'Deckung prüfen' }).click();
  await page.locator('#cover-result[data-outcome="covered"]').waitFor({ state: 'attached' });
  const de = await page.locator('#cover-summary').innerText();
  await page.getByLabel('Auftragswert (EUR)').fill('20000.00');
  await page.getByRole('button', { name: 'Deckung prüfen' }).click();
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

test('cover check: a malformed amount is marked in the chosen language, and follows a switch', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('de');
  await page.getByLabel('Auftragswert (EUR)').fill('5.000,00');
  await page.getByRole('button', { name: 'Deckung prüfen' }).click();
  const amount = page.locator('#orderAmount');
  await page.locator('#orderAmount[aria-invalid="true"]').waitFor({ state: 'attached' });
  assert.equal(await amount.getAttribute('aria-describedby'), 'orderAmount-msg');
  assert.equal(await page.locator('#orderAmount-msg').innerText(), 'Geben Sie einen Betrag wie 12500.00 ein.');
  // Announced: the answer area (a live region) says so instead of going blank, and the focus
  // goes to the marked field, which its message describes.
  assert.equal(await page.locator('#cover-result').getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('#cover-summary').innerText(), 'Der Auftrag konnte nicht geprüft werden: Bitte das markierte Feld korrigieren.');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'orderAmount');
  await page.locator('#lang').selectOption('fr');
  await page.locator('#cover-title [data-i18n]').filter({ hasText: 'Puis-je livrer cette commande ?' }).waitFor();
  assert.equal(await page.locator('#orderAmount-msg').innerText(), 'Saisissez un montant comme 12500.00.');
  assert.equal(await page.locator('#cover-summary').innerText(), "La commande n'a pas pu être vérifiée : corrigez le champ signalé.");
  await page.screenshot({ path: join(shots, 'cover-invalid-fr.png'), fullPage: true });
  // Corrected, the field is no longer marked and the answer comes back.
  await amount.fill('5000.00');
  await page.getByRole('button', { name: 'Vérifier la garantie' }).click();
  await page.locator('#cover-result[data-outcome="covered"]').waitFor({ state: 'attached' });
  assert.equal(await amount.getAttribute('aria-invalid'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('claim file: missing items in French, the same in German after the switch, then complete', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('fr');
  await page.getByLabel('Date de facture de la plus ancienne créance impayée').fill('2026-02-01');
  await page.getByLabel('Du', { exact: true }).fill('2025-03-01');
  await page.getByLabel('Au', { exact: true }).fill('2026-09-10');
  await page.getByLabel('Copies des factures jointes').check();
  await page.getByRole('button', { name: 'Ajouter un document demandé' }).click();
  await page.getByLabel('Document', { exact: true }).fill('Bons de livraison');
  // As the user types: the touched trading history already says what it must cover (12 months
  // before 2026-02-01 is 2025-02-01, until the claim date 2026-09-10).
  assert.deepEqual(await messagesOf(page, 'tradingHistory'), [
    "Manque au dossier de sinistre : L'historique des transactions (compte client) du 01/02/2025 au 10/09/2026.",
  ]);
  assert.deepEqual(await messagesOf(page, 'collectionWanted'), [], 'untouched: nothing yet');
  await page.getByRole('button', { name: 'Vérifier le dossier' }).click();
  assert.deepEqual(await messagesOf(page, 'openItemsListProvided'), ['Manque au dossier de sinistre : La liste des postes ouverts.']);
  assert.deepEqual(await messagesOf(page, 'doc-1-provided'), ["Manque au dossier de sinistre : Document demandé par l'assureur : Bons de livraison."]);
  assert.deepEqual(await messagesOf(page, 'collectionWanted'), [
    "Manque au dossier de sinistre : Si vous souhaitez recourir au service de recouvrement de l'assureur.",
  ]);
  assert.deepEqual(await messagesOf(page, 'invoicesProvided'), []);
  assert.deepEqual(await messagesOf(page, 'oldestOpenReceivableDate'), []);
  // Announced: each control is invalid and described by the messages that concern it.
  const from = page.locator('#historyFrom');
  assert.equal(await from.getAttribute('aria-invalid'), 'true');
  assert.equal(await from.getAttribute('aria-describedby'), 'tradingHistory-msg');
  assert.equal(await page.locator('#openItemsListProvided').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#openItemsListProvided').getAttribute('aria-describedby'), 'openItemsListProvided-msg');
  const choice = page.getByRole('radiogroup', { name: "Souhaitez-vous recourir au service de recouvrement de l'assureur ?" });
  assert.equal(await choice.getAttribute('aria-invalid'), 'true');
  assert.equal(await choice.getAttribute('aria-describedby'), 'collectionWanted-msg');
  assert.equal(await page.locator('#invoicesProvided').getAttribute('aria-invalid'), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'historyFrom', 'focus on the first invalid field');
  assert.equal(await page.locator('#claim-status').innerText(), '✗ Corrigez les champs signalés');
  await page.screenshot({ path: join(shots, 'claim-invalid-fr.png'), fullPage: true });

  // Switch language: the page's words and the engine's messages, in German.
  await page.locator('#lang').selectOption('de');
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.equal(await page.locator('#clm-title [data-i18n]').innerText(), 'Schadenmeldung');
  assert.equal(await page.locator('label[for="historyFrom"]').innerText(), 'Von');
  assert.equal(await page.locator('#claim-status').innerText(), '✗ Bitte die markierten Felder korrigieren');
  assert.deepEqual(await messagesOf(page, 'tradingHistory'), [
    'Fehlt in der Schadenmeldung: Trading History (Kundenkonto) vom 01.02.2025 bis 10.09.2026.',
  ]);
  assert.deepEqual(await messagesOf(page, 'openItemsListProvided'), ['Fehlt in der Schadenmeldung: Offene Postenliste.']);
  assert.deepEqual(await messagesOf(page, 'doc-1-provided'), ['Fehlt in der Schadenmeldung: Vom Versicherer angeforderte Unterlage: Bons de livraison.']);
  assert.deepEqual(await messagesOf(page, 'collectionWanted'), [
    'Fehlt in der Schadenmeldung: Angabe, ob Sie die Inkassodienstleistung in Anspruch nehmen möchten.',
  ]);

  // Complete it.
  await page.getByLabel('Rechnungsdatum der ältesten offenen Forderung').fill('2026-02-01');
  await page.getByLabel('Von', { exact: true }).fill('2025-01-15');
  await page.getByLabel('Offene Postenliste liegt bei').check();
  await page.getByLabel('Liegt bei', { exact: true }).check();
  await page.getByLabel('Nein, wir mahnen selbst weiter').check();
  await page.getByRole('button', { name: 'Schadenmeldung prüfen' }).click();
  assert.equal(await page.locator('#claim-status').innerText(), '✓ Bereit zum Senden');
  assert.equal(await page.locator('#claim-form [aria-invalid="true"]').count(), 0);
  assert.equal(await page.locator('#claim-form .field-error').count(), 0);
  assert.equal(await page.locator('#historyFrom').getAttribute('aria-describedby'), null);
  await page.screenshot({ path: join(shots, 'claim-valid-de.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('claim file with the keyboard only: tab, type, Space for boxes, arrows for the choice, Enter', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#declaration-submit').focus();
  const focused = () => page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'oldestOpenReceivableDate');
  // Date inputs: the digits in the browser's order (en-US: month, day, year), each part moving
  // on to the next; Tab from the year goes to the browser's calendar button, Tab again leaves.
  await page.keyboard.type('02012026');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('02012025');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('09102026');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.deepEqual(await page.evaluate(() => ['oldestOpenReceivableDate', 'historyFrom', 'historyTo'].map((id) => document.getElementById(id).value)),
    ['2026-02-01', '2025-02-01', '2026-09-10']);
  assert.equal(await focused(), 'invoicesProvided');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'openItemsListProvided');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'add-document');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'doc-1-name', 'a new row takes the focus');
  await page.keyboard.type('Delivery notes');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'link doc-remove');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'add-document');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'collectionYes');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'collectionNo');
  assert.equal(await page.locator('#collectionNo').isChecked(), true);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'claim-submit');
  await page.keyboard.press('Enter');
  // The one gap: the open items list; the focus goes there, Space ticks it.
  assert.equal(await focused(), 'openItemsListProvided');
  assert.deepEqual(await messagesOf(page, 'openItemsListProvided'), ['Missing from the claim file: The open items list.']);
  assert.equal(await page.locator('#claim-form [aria-invalid="true"]').count(), 1);
  await page.screenshot({ path: join(shots, 'claim-keyboard-en.png'), fullPage: true });
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#claim-status').innerText(), '✓ Ready to send');
  assert.equal(await page.locator('#claim-form [aria-invalid="true"]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the page's own words exist in every language and follow the switch", { timeout: 120_000 }, async () => {
  const keys = Object.keys(UI_TEXT.en).sort();
  for (const lang of ['de', 'fr', 'nl', 'da']) assert.deepEqual(Object.keys(UI_TEXT[lang]).sort(), keys, lang);
  const { page, problems } = await open();
  const used = await page.evaluate(() => [...document.querySelectorAll('[data-i18n], [data-i18n-placeholder], [data-i18n-country]')]
    .flatMap((el) => [el.dataset.i18n, el.dataset.i18nPlaceholder, el.dataset.i18nCountry]).filter(Boolean));
  for (const key of used) assert.ok(keys.includes(key), `no text for ${key}`);
  await page.locator('#lang').selectOption('nl');
  assert.equal(await page.title(), 'Delcredere — kredietverzekeringsdesk');
  assert.equal(await page.locator('#status').innerText(), 'Klaar');
  assert.equal(await page.getByRole('button', { name: 'Gevraagd document toevoegen' }).count(), 1);
  assert.equal(await page.locator('label[for="decl-FR-cn"]').innerText(), "Afgetrokken creditnota's FR");
  assert.equal(await page.getByLabel("Afgetrokken creditnota's FR").getAttribute('id'), 'decl-FR-cn');
  await page.locator('#lang').selectOption('da');
  assert.equal(await page.locator('#cover-title [data-i18n]').innerText(), 'Kan jeg levere denne ordre?');
  assert.equal(await page.locator('label[for="oldestOpenReceivableDate"]').innerText(), 'Fakturadato for den ældste åbne fordring');
  await page.screenshot({ path: join(shots, 'desk-da.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

// ---- The page for every user (#25) ----

const LANGS = ['en', 'de', 'fr', 'nl', 'da'];
const axeSource = await readFile(join(pkgRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core (every rule it has: WCAG 2.x A/AA and best practices) on the whole page, every
 * panel; fails on any violation, naming the rule and the elements. */
async function assertNoAxeViolation(page, when) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe-core, ${when}`);
}

/** Submits every panel with what an impatient user leaves in it: the limit application and the
 * claim file empty, a declaration with only DE (NL and FR missing), an amount typed the German
 * way in the cover check. */
async function submitInvalid(page) {
  await page.locator('#limit-submit').click();
  await page.locator('#decl-DE').fill('6000000');
  await page.locator('#decl-DE-cn').fill('12000');
  await page.locator('#declaration-submit').click();
  await page.locator('#add-document').click();
  await page.locator('#claim-submit').click();
  await page.locator('#orderAmount').fill('5.000,00');
  await page.locator('#cover-submit').click();
  await page.locator('#cover-result[data-outcome="error"]').waitFor({ state: 'attached' });
  await page.locator('#schedule').fill('2026-03-02, 20000.00, 60\n2026-04-01; 25.000,00; 60');
  await page.locator('#need-submit').click();
  await page.locator('#need-result[data-outcome="error"]').waitFor({ state: 'attached' });
}

/** Draws the panel's curve for the schedule it holds. */
async function drawCurve(page) {
  await page.locator('#need-submit').click();
  await page.locator('#need-figure:not([hidden])').waitFor();
}

test('axe-core finds no violation on any panel, in the five languages, before and after invalid submits', { timeout: 300_000 }, async () => {
  for (const lang of LANGS) {
    const { page, problems } = await open();
    await page.locator('#lang').selectOption(lang);
    await assertNoAxeViolation(page, `${lang}, as loaded`);
    await submitInvalid(page);
    assert.ok((await page.locator('[aria-invalid="true"]').count()) > 5, 'the invalid submits marked fields');
    await assertNoAxeViolation(page, `${lang}, after invalid submits`);
    // A valid cover answer too (the result area with its outcome colours).
    await page.locator('#orderAmount').fill('20000.00');
    await page.locator('#cover-submit').click();
    await page.locator('#cover-result[data-outcome="partly_covered"]').waitFor({ state: 'attached' });
    await assertNoAxeViolation(page, `${lang}, with a cover answer`);
    await page.locator('#schedule').fill('2026-03-02, 20000.00, 60\n2026-04-01, 25000.00, 60\n2026-05-01, 30000.00, 60');
    await drawCurve(page);
    await assertNoAxeViolation(page, `${lang}, with the outstanding curve drawn`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('at 320 CSS px nothing scrolls sideways, in the five languages, with every message shown; the declaration stacks with visible labels', { timeout: 300_000 }, async () => {
  const { page, problems } = await open();
  await page.setViewportSize({ width: 320, height: 900 });
  const overflow = () => page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, wide };
  });
  for (const lang of LANGS) {
    await page.locator('#lang').selectOption(lang);
    const o = await overflow();
    assert.equal(o.clientWidth, 320);
    assert.ok(o.scrollWidth <= o.clientWidth, `${lang}: the page is ${o.scrollWidth} px wide at 320 px (${o.wide.join(', ')})`);
  }
  await submitInvalid(page);
  for (const lang of LANGS) {
    await page.locator('#lang').selectOption(lang);
    const o = await overflow();
    assert.ok(o.scrollWidth <= o.clientWidth, `${lang}, after invalid submits: the page is ${o.scrollWidth} px wide at 320 px (${o.wide.join(', ')})`);
  }
  await page.locator('#schedule').fill('2026-03-02, 20000.00, 60\n2026-04-01, 25000.00, 60\n2026-05-01, 30000.00, 60');
  await drawCurve(page);
  for (const lang of LANGS) {
    await page.locator('#lang').selectOption(lang);
    const o = await overflow();
    assert.ok(o.scrollWidth <= o.clientWidth, `${lang}, with the curve drawn: the page is ${o.scrollWidth} px wide at 320 px (${o.wide.join(', ')})`);
  }
  // The declaration table stacks: each input under its own visible label.
  const label = page.locator('label[for="decl-NL-cn"]');
  assert.equal(await label.isVisible(), true);
  const [labelBox, inputBox] = [await label.boundingBox(), await page.locator('#decl-NL-cn').boundingBox()];
  assert.ok(labelBox.width > 50 && labelBox.y + labelBox.height <= inputBox.y + 1, `label above its input: ${JSON.stringify([labelBox, inputBox])}`);
  assert.equal(await label.innerText(), UI_TEXT.da['decl.creditNotesOf'].replace('{country}', 'NL'));
  await page.screenshot({ path: join(shots, 'desk-320-da.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

/** WCAG 2.x contrast ratio of two CSS rgb() colours. */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('non-text contrast: input borders and the focus ring are at least 3:1 against what surrounds them', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  const controls = await page.evaluate(() => {
    const background = (el) => {
      for (let e = el.parentElement; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c !== 'rgba(0, 0, 0, 0)') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    return [...document.querySelectorAll('main input:not([type="checkbox"], [type="radio"]), main select, main textarea')]
      .map((el) => ({ id: el.id || el.className, border: getComputedStyle(el).borderTopColor, around: background(el) }));
  });
  assert.ok(controls.length >= 20, `${controls.length} controls`);
  for (const c of controls) {
    const ratio = contrast(c.border, c.around);
    assert.ok(ratio >= 3, `${c.id}: border ${c.border} on ${c.around} is ${ratio.toFixed(2)}:1`);
  }
  // The focus ring, as the keyboard shows it: on a field in a card and on the language menu in
  // the dark top bar.
  for (const [id, around] of [['buyerName', 'rgb(255, 255, 255)'], ['orderAmount', 'rgb(255, 255, 255)'], ['limit-submit', 'rgb(255, 255, 255)'], ['lang', 'rgb(20, 33, 61)']]) {
    await page.locator('#lang').focus();
    if (id !== 'lang') await page.locator(`#${id}`).focus();
    else {
      await page.locator('#buyerName').focus();
      await page.keyboard.press('Shift+Tab');
    }
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { id: document.activeElement.id, color: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle };
    });
    assert.equal(ring.id, id);
    assert.ok(ring.style !== 'none' && ring.width >= 2, `${id}: a ring of ${ring.width}px ${ring.style}`);
    const ratio = contrast(ring.color, around);
    assert.ok(ratio >= 3, `${id}: focus ring ${ring.color} on ${around} is ${ratio.toFixed(2)}:1`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('a field is flagged once left or on submit, not while it is being typed', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  const terms = page.locator('#paymentTermsDays');
  await terms.focus();
  await page.keyboard.type('150');
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), [], 'nothing while typing');
  assert.equal(await terms.getAttribute('aria-invalid'), null);
  await page.keyboard.press('Tab');
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), ['The requested payment terms of 150 days exceed the maximum credit period of 120 days.']);
  assert.equal(await terms.getAttribute('aria-invalid'), 'true');
  // Back in the flagged field, the flag follows the typing: it goes as soon as the value is right.
  await terms.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  assert.equal(await terms.getAttribute('aria-invalid'), null);
  assert.deepEqual(await messagesOf(page, 'paymentTermsDays'), []);
  // A date field: only the month typed is not flagged until the field is left.
  const date = page.locator('#date');
  assert.equal(await date.getAttribute('type'), 'date');
  await date.focus();
  await page.keyboard.type('03');
  assert.equal(await date.getAttribute('aria-invalid'), null);
  await page.locator('#registrationNumber').focus();
  assert.equal(await date.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await messagesOf(page, 'date'), ['Enter a complete date (day, month and year).']);
  // On submit, every field is flagged, the typed ones included.
  await page.locator('#limit-submit').click();
  assert.deepEqual(await messagesOf(page, 'buyerName'), ['This field is required.']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dates: every date field is a date input (its format shown by the browser), and a date the page writes can be pasted into one', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  const dateFields = await page.evaluate(() => [...document.querySelectorAll('main input')]
    .filter((el) => /date|from|to$/i.test(el.id)).map((el) => `${el.id}:${el.type}`));
  assert.deepEqual(dateFields, ['date:date', 'oldestOpenReceivableDate:date', 'historyFrom:date', 'historyTo:date', 'shipDate:date']);
  for (const lang of LANGS) {
    await page.locator('#lang').selectOption(lang);
    const body = await page.locator('body').innerText();
    assert.ok(!body.includes('\u2011'), `${lang}: a non-breaking hyphen (U+2011) in the page's text`);
    // The grant date in the cover panel's introduction, copied as a user would, into a field.
    const intro = await page.locator('#cover-title ~ .intro').innerText();
    const copied = intro.match(/2026.02.05/)[0];
    await page.locator('#shipDate').fill(copied);
    assert.equal(await page.locator('#shipDate').inputValue(), '2026-02-05', lang);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('structure: one <h1>, and every line of the page inside a landmark', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  assert.equal(await page.locator('h1').count(), 1);
  assert.match(await page.locator('h1').innerText(), /Delcredere/);
  assert.equal(await page.locator('main .policy-line').count(), 1, 'the policy line is in <main>');
  const outside = await page.evaluate(() => [...document.body.children]
    .filter((el) => !el.matches('header, main, footer, nav, aside, script, template')).map((el) => el.outerHTML.slice(0, 60)));
  assert.deepEqual(outside, []);
  assert.deepEqual(problems, []);
  await page.close();
});

// ---- How much limit do I need? (#26 item 4, EXP-1) ----

// The schedule, worked by hand. The policy counts payment terms from the day after delivery
// (the default day count), so each invoice is paid on delivery date + terms:
//   2026-03-02, 20,000.00, 60 days: March has 29 days after the 2nd, April 30: paid 2026-05-01
//   2026-04-01, 25,000.00, 60 days: 29 days of April, 31 of May:              paid 2026-05-31
//   2026-05-01, 30,000.00, 60 days: 30 days of May, 30 of June:               paid 2026-06-30
// The outstanding at the end of each day it changes:
//   2026-03-02  20,000.00                               (first delivery)
//   2026-04-01  45,000.00 = 20,000 + 25,000
//   2026-05-01  55,000.00 = 45,000 + 30,000 - 20,000    (a delivery and a payment the same day)
//   2026-05-31  30,000.00 = 55,000 - 25,000
//   2026-06-30       0.00 = 30,000 - 30,000
// Peak: 55,000.00 on 2026-05-01. The limit in force all along: 50,000.00 (granted on
// 2026-02-05, before the first delivery), so the peak is 5,000.00 above it. In days from the
// first delivery the change points are at 0, 30, 60, 90 and 120: a quarter of the width apart.
const SCHEDULE_PASTED = '2026-03-02\t20000.00\t60\n\n2026-04-01; 25000.00; 60\n2026-05-01, 30000.00, 60\n';
const CURVE = [
  ['2026-03-02', '20000.00'],
  ['2026-04-01', '45000.00'],
  ['2026-05-01', '55000.00'],
  ['2026-05-31', '30000.00'],
  ['2026-06-30', '0.00'],
];

test('how much limit do I need: the curve of a pasted 3-delivery schedule, its points, the limit and the peak, as SVG and as a table', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  // The forms' build only, until the curve is asked for: then the build with every op.
  const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)
    .filter((path) => path.endsWith('.wasm')));
  assert.deepEqual(await loaded(), ['/pkg-web/delcredere_wasm_bg.wasm']);
  await page.locator('#schedule').fill(SCHEDULE_PASTED);
  await drawCurve(page);
  assert.deepEqual(await loaded(), ['/pkg-web/delcredere_wasm_bg.wasm', '/pkg-web-full/delcredere_wasm_bg.wasm']);
  // The engine's points, as drawn.
  const drawn = await page.evaluate(() => {
    const svg = document.querySelector('#need-chart svg');
    const num = (n, a) => Number(n.getAttribute(a));
    return {
      title: svg.querySelector('title').textContent,
      desc: svg.querySelector('desc').textContent,
      labelledby: svg.getAttribute('aria-labelledby'),
      role: svg.getAttribute('role'),
      baseline: Number(svg.dataset.baseline),
      points: [...svg.querySelectorAll('.points circle')].map((c) => ({ date: c.dataset.date, amount: c.dataset.outstanding, x: num(c, 'cx'), y: num(c, 'cy') })),
      limits: [...svg.querySelectorAll('.limit line')].map((l) => ({ date: l.dataset.date, amount: l.dataset.limit, x1: num(l, 'x1'), x2: num(l, 'x2'), y: num(l, 'y1') })),
      peak: (() => { const c = svg.querySelector('.peak circle'); return { date: c.dataset.date, amount: c.dataset.amount, x: num(c, 'cx'), y: num(c, 'cy') }; })(),
      peakLabel: svg.querySelector('.peak text').textContent,
      path: svg.querySelector('path.outstanding').getAttribute('d'),
    };
  });
  assert.deepEqual(drawn.points.map((p) => [p.date, p.amount]), CURVE);
  // Positions: x a quarter of the width apart (0, 30, 60, 90, 120 days), y proportional to the
  // amount above the baseline (the 0.00 point on it), the peak the highest.
  const [x0, x4] = [drawn.points[0].x, drawn.points[4].x];
  drawn.points.forEach((p, i) => assert.ok(Math.abs((p.x - x0) / (x4 - x0) - i / 4) < 1e-9, `x of ${p.date}`));
  const height = (yy) => drawn.baseline - yy;
  assert.equal(drawn.points[4].y, drawn.baseline);
  const unit = height(drawn.points[2].y) / 55000;
  for (const p of drawn.points) assert.ok(Math.abs(height(p.y) - Number(p.amount) * unit) < 1e-9, `y of ${p.date}`);
  // The step line holds each level until the next date: H to the next x, then V to its level.
  assert.equal(drawn.path.match(/[MHV]/g).join(''), 'MVHVHVHVHV');
  // The limit in force: one dashed level of 50,000.00 over the whole range.
  assert.equal(drawn.limits.length, 1);
  assert.deepEqual([drawn.limits[0].date, drawn.limits[0].amount], ['2026-03-02', '50000.00']);
  assert.equal(drawn.limits[0].x1, x0);
  assert.equal(drawn.limits[0].x2, x4);
  assert.ok(Math.abs(height(drawn.limits[0].y) - 50000 * unit) < 1e-9, 'the limit at 50,000.00');
  // The peak, marked where the curve peaks.
  assert.deepEqual([drawn.peak.date, drawn.peak.amount, drawn.peak.x, drawn.peak.y], ['2026-05-01', '55000.00', drawn.points[2].x, drawn.points[2].y]);
  assert.equal(drawn.peakLabel, 'Peak: 55,000.00 · 2026-05-01');
  // Accessible: a named image with a description, and the same figures as a table.
  assert.equal(drawn.role, 'img');
  assert.equal(drawn.labelledby, 'curve-title curve-desc');
  assert.equal(drawn.title, 'Outstanding against the limit in force');
  assert.equal(drawn.desc, 'Step line of the amount owed from 2026-03-02 to 2026-06-30, with its peak of 55,000.00 EUR on 2026-05-01; the limit in force then: 50,000.00 EUR. The table below gives every step.');
  assert.equal(await page.getByRole('img', { name: 'Outstanding against the limit in force' }).count(), 1);
  const table = page.getByRole('table', { name: 'The curve as a table: from each date on, until the next' });
  assert.deepEqual(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))), [
    ['2026-03-02', '20,000.00', '50,000.00'],
    ['2026-04-01', '45,000.00', '50,000.00'],
    ['2026-05-01', '55,000.00 ▲ Peak', '50,000.00'],
    ['2026-05-31', '30,000.00', '50,000.00'],
    ['2026-06-30', '0.00', '50,000.00'],
  ]);
  // Said in words, in the live answer area: above the limit, and the engine's EXP-1 sentence.
  assert.equal(await page.locator('#need-result').getAttribute('role'), 'status');
  assert.equal(await page.locator('#need-summary').innerText(), 'The peak is above the limit in force (50,000.00 EUR).');
  assert.deepEqual(await page.locator('#need-messages li').allInnerTexts(), [
    'The peak outstanding is 55,000.00 EUR, first reached on 2026-05-01: apply for a credit limit of that amount.',
  ]);
  await page.locator('#need').screenshot({ path: join(shots, 'limit-curve-en.png') });

  // In German: the words, the amounts and the month names follow the switch.
  await page.locator('#lang').selectOption('de');
  assert.equal(await page.locator('#need-summary').innerText(), 'Der Höchststand liegt über dem geltenden Limit (50.000,00 EUR).');
  assert.equal(await page.locator('#need-chart svg .peak text').textContent(), 'Höchststand: 55.000,00 · 2026-05-01');
  assert.deepEqual(await page.locator('#need-rows tr[data-peak] td').allTextContents(), ['55.000,00 ▲ Höchststand', '50.000,00']);
  assert.equal(await page.getByRole('img', { name: 'Außenstand im Vergleich zum geltenden Limit' }).count(), 1);
  await page.locator('#need').screenshot({ path: join(shots, 'limit-curve-de.png') });

  // A peak within the limit: the first two deliveries only (45,000.00 on 2026-04-01).
  await page.locator('#schedule').fill('2026-03-02, 20000.00, 60\n2026-04-01, 25000.00, 60');
  await drawCurve(page);
  await page.locator('#need-rows tr:nth-child(4)').waitFor();
  assert.equal(await page.locator('#need-summary').innerText(), 'Der Höchststand bleibt innerhalb des geltenden Limits (50.000,00 EUR).');
  assert.deepEqual(await page.locator('#need-chart svg .points circle').evaluateAll((cs) => cs.map((c) => [c.dataset.date, c.dataset.outstanding])), [
    ['2026-03-02', '20000.00'], ['2026-04-01', '45000.00'], ['2026-05-01', '25000.00'], ['2026-05-31', '0.00'],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('how much limit do I need: a line the engine refuses is said on its line, announced and focused; a line without its three parts too', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#lang').selectOption('fr');
  await page.locator('#schedule').fill('2026-03-02, 20000.00, 60\n2026-04-01; 25000,00; 60\n2026-05-01, 30000.00, 60');
  await page.locator('#need-submit').click();
  await page.locator('#need-result[data-outcome="error"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#need-summary').innerText(), "La courbe n'a pas pu être tracée : corrigez la ligne 2.");
  assert.deepEqual(await messagesOf(page, 'schedule'), ['Ligne 2 : Saisissez un montant comme 12500.00.']);
  const schedule = page.locator('#schedule');
  assert.equal(await schedule.getAttribute('aria-invalid'), 'true');
  assert.equal(await schedule.getAttribute('aria-describedby'), 'schedule-hint schedule-msg');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'schedule');
  assert.equal(await page.locator('#need-figure').isHidden(), true);
  await page.locator('#lang').selectOption('de');
  assert.deepEqual(await messagesOf(page, 'schedule'), ['Zeile 2: Geben Sie einen Betrag wie 12500.00 ein.']);
  // Out of date order: the engine names the delivery, the page its line.
  await schedule.fill('2026-04-01, 25000.00, 60\n2026-03-02, 20000.00, 60');
  await page.locator('#need-submit').click();
  await page.locator('#need-summary', { hasText: 'Zeile 2' }).waitFor();
  assert.deepEqual(await messagesOf(page, 'schedule'), ['Zeile 2: Bitte die Lieferungen nach Datum ordnen.']);
  await schedule.fill('2026-03-02 20000.00');
  await page.locator('#need-submit').click();
  await page.locator('#need-summary', { hasText: 'Zeile 1' }).waitFor();
  assert.deepEqual(await messagesOf(page, 'schedule'), ['Zeile 1: Datum, Betrag und Zahlungsziel in Tagen angeben, durch Kommas getrennt.']);
  // Corrected, the mark goes and the curve comes.
  await schedule.fill('2026-03-02, 20000.00, 60');
  await drawCurve(page);
  assert.equal(await schedule.getAttribute('aria-invalid'), null);
  assert.equal(await schedule.getAttribute('aria-describedby'), 'schedule-hint');
  assert.deepEqual(await messagesOf(page, 'schedule'), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('how much limit do I need with the keyboard only: type the schedule, Tab to the button, Enter; Ctrl+Enter redraws', { timeout: 120_000 }, async () => {
  const { page, problems } = await open();
  await page.locator('#cover-submit').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'schedule');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('2026-03-02, 20000.00, 60');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2026-04-01, 25000.00, 60');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2026-05-01, 30000.00, 60');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'need-submit');
  await page.keyboard.press('Enter');
  await page.locator('#need-figure:not([hidden])').waitFor();
  assert.deepEqual(await page.locator('#need-chart svg .points circle').evaluateAll((cs) => cs.map((c) => [c.dataset.date, c.dataset.outstanding])), CURVE);
  // Back in the schedule: one more delivery, drawn with Ctrl+Enter: 30,000.00 on 2026-06-30,
  // paid 60 days later on 2026-08-29 (July 31 days, August 29). On 2026-06-30 it replaces the
  // third delivery's 30,000.00 paid that day: the level stays 30,000.00 from 2026-05-31, so no
  // new change point, until 0.00 on 2026-08-29.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2026-06-30, 30000.00, 60');
  await page.keyboard.press('Control+Enter');
  await page.locator('#need-chart svg .points circle[data-date="2026-08-29"]').waitFor();
  assert.deepEqual(await page.locator('#need-chart svg .points circle').evaluateAll((cs) => cs.map((c) => [c.dataset.date, c.dataset.outstanding])), [
    ...CURVE.slice(0, 4), ['2026-08-29', '0.00'],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});
