// The typed functions of the ops added after the first three: each takes its op's input DTO
// and returns the core's Decision. Expected figures are those of spec/vectors/limits/*.json,
// spec/vectors/exposure/exp.json and spec/vectors/property/*.json (case ids in the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const delcredere = require('../pkg-node/delcredere_wasm.js');

const eur = (amount) => ({ amount, currency: 'EUR' });
const dkk = (amount) => ({ amount, currency: 'DKK' });

const policy = (extra = {}) => ({
  currency: 'EUR',
  insuranceYear: { start: '2026-01-01' },
  agreedCountries: ['DE', 'FR', 'NL', 'DK', 'BE'],
  maxCreditPeriodDays: 120,
  maxExtensionPeriodDays: 60,
  waitingPeriodDays: 180,
  indemnityPercentage: '90',
  maximumLiability: eur('2000000.00'),
  premium: { basis: 'turnover', rate: '0.20', expectedTurnover: eur('20000000') },
  declarationDeadlineDays: 30,
  ...extra,
});
const selfAssessment = { selfAssessmentAgreed: true, discretionaryLimit: eur('20000'), creditChecksInsideDiscretionaryLimit: true };
const buyer = () => ({
  legalName: 'Müller Maschinenbau GmbH',
  legalForm: 'GmbH',
  registrationNumber: 'HRB 12345',
  country: 'DE',
  entityKind: 'company',
});
const applied = { type: 'applied', date: '2026-02-01', requestedAmount: eur('50000'), paymentTermsDays: 60 };
const paidOnTimeTwice = {
  purchases: [
    { deliveryDate: '2026-03-01', dueDate: '2026-04-30', paidOn: '2026-06-20' },
    { deliveryDate: '2026-05-01', dueDate: '2026-06-30', paidOn: '2026-06-30' },
  ],
};

function money(decision, name) {
  const m = decision.amounts?.[name];
  assert.ok(m, `no amount ${name} in ${JSON.stringify(decision)}`);
  return `${m.amount} ${m.currency}`;
}

// One naming rule in every runtime (issue #25): each op's function is the op's name, in
// camelCase here (snake_case in Rust and Python). The two file form validators had the JS names
// of issue #11 without the op's `_form`: those stay as deprecated aliases.
test('every op of the core has a function named after it in camelCase', () => {
  for (const op of delcredere.ops()) {
    const name = op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.equal(typeof delcredere[name], 'function', name);
  }
});

test('the old names validateClaimFile and validateCollectionFile still answer, as the new ones do', () => {
  const claim = { claimFile: { invoicesProvided: true }, asOf: '2026-09-10', lang: 'en' };
  assert.deepEqual(delcredere.validateClaimFile(claim), delcredere.validateClaimFileForm(claim));
  const collection = { collectionFile: { invoices: true }, lang: 'en' };
  assert.deepEqual(delcredere.validateCollectionFile(collection), delcredere.validateCollectionFileForm(collection));
  const dts = readFileSync(new URL('../pkg-node/delcredere_wasm.d.ts', import.meta.url), 'utf8');
  for (const [old, current] of [['validateClaimFile', 'validateClaimFileForm'], ['validateCollectionFile', 'validateCollectionFileForm']]) {
    const doc = dts.match(new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\nexport function ${old}\\(`));
    assert.ok(doc, `${old} has a doc comment`);
    assert.match(doc[1], new RegExp(`@deprecated Use \`${current}\``), old);
  }
});

test('checkDeliveryCover: the part above the limit is not insured', () => {
  // cover-lim-1-part-above-the-limit-is-not-insured
  const d = delcredere.checkDeliveryCover({
    policy: policy(),
    buyer: buyer(),
    outstanding: eur('45000'),
    delivery: { amount: eur('10000'), date: '2026-03-01', paymentTermsDays: 60 },
    limitEvents: [applied, { type: 'granted', date: '2026-02-05', amount: eur('50000') }],
    asOf: '2026-03-01',
  });
  assert.equal(d.outcome, 'partly_covered');
  assert.equal(money(d, 'coveredAmount'), '5000.00 EUR');
  assert.equal(money(d, 'uncoveredAmount'), '5000.00 EUR');
  assert.deepEqual(d.details, { type: 'cover', coverType: 'namedLimit' });
});

test('limitState: a limit granted in part', () => {
  // lim-1-granted-in-part
  const d = delcredere.limitState({
    policy: policy(),
    events: [applied, { type: 'granted', date: '2026-02-05', amount: eur('30000') }],
    asOf: '2026-03-01',
  });
  assert.equal(d.outcome, 'limit_partly_granted');
  assert.equal(money(d, 'limit'), '30000.00 EUR');
  assert.equal(d.reasons[0].params.requested, '50000.00');
});

test('checkLimitApplication: a request inside the discretionary limit costs a yearly fee', () => {
  // lim-5-request-inside-discretionary-limit-costs-a-yearly-fee
  const d = delcredere.checkLimitApplication({
    policy: policy(selfAssessment),
    application: { requestedAmount: eur('15000'), paymentTermsDays: 60, date: '2026-03-01' },
  });
  assert.equal(d.outcome, 'application_ready');
  assert.equal(money(d, 'requestedAmount'), '15000.00 EUR');
  assert.deepEqual(d.reasons[1], {
    code: 'credit_check_fee_applies',
    rule: 'LIM-5',
    params: { discretionaryLimit: '20000.00', currency: 'EUR' },
  });
});

test('assessDiscretionary: two purchases paid on time cover the need', () => {
  // dis-1a-two-purchases-paid-on-time
  const d = delcredere.assessDiscretionary({
    policy: policy(selfAssessment),
    neededAmount: eur('15000'),
    evidence: paidOnTimeTwice,
    asOf: '2026-10-01',
  });
  assert.equal(d.outcome, 'covered');
  assert.equal(money(d, 'coveredAmount'), '15000.00 EUR');
  assert.equal(money(d, 'uncoveredAmount'), '0.00 EUR');
});

test('peakOutstanding: three deliveries on 90 days peak at 400000.00 on 2026-03-02', () => {
  // exp-1-seed-three-deliveries-peak-400000
  const d = delcredere.peakOutstanding({
    deliveries: [
      { amount: dkk('150000'), deliveryDate: '2026-01-01', paymentTermsDays: 90 },
      { amount: dkk('150000'), deliveryDate: '2026-01-31', paymentTermsDays: 90 },
      { amount: dkk('100000'), deliveryDate: '2026-03-02', paymentTermsDays: 90 },
    ],
  });
  assert.equal(d.outcome, 'computed');
  assert.equal(money(d, 'peakOutstanding'), '400000.00 DKK');
  assert.deepEqual(d.reasons[0].params, { peak: '400000.00', currency: 'DKK', date: '2026-03-02' });
  assert.equal(d.details.type, 'curve');
  assert.deepEqual(d.details.points.at(-1), { date: '2026-05-31', outstanding: dkk('0.00') });
});

test('averageOutstanding: 600000 a year on 30 days is 50000.00', () => {
  // exp-2-seed-annual-sales-corrected-to-50000
  const d = delcredere.averageOutstanding({ annualSales: dkk('600000'), paymentTermsDays: 30 });
  assert.equal(d.outcome, 'computed');
  assert.equal(money(d, 'averageOutstanding'), '50000.00 DKK');
});

test('intakeOrder: an agency order is opened by hand with order number 0', () => {
  // pci-1-agency-order-opened-by-hand-order-number-zero-agent-code
  const d = delcredere.intakeOrder({
    order: { channel: 'agency', claimNumber: 'b1234567', orderNumber: '5521', agentCode: ' A0457 ' },
  });
  assert.equal(d.outcome, 'file_to_open_by_hand');
  assert.deepEqual(
    d.reasons.map((r) => [r.code, r.params]),
    [
      ['agency_order_opened_by_hand', {}],
      ['claim_number_recorded', { claimNumber: 'B1234567' }],
      ['order_number_set_to_zero', { orderNumber: '0' }],
      ['agent_code_recorded', { agentCode: 'A0457' }],
    ],
  );
});

test('checkWaterDamage: repair works once the cause is repaired may be dispatched', () => {
  // pci-2-repair-works-after-cause-repaired-may-be-dispatched
  const d = delcredere.checkWaterDamage({ claim: { request: 'repairWorks', causeRepaired: true } });
  assert.equal(d.outcome, 'dispatch_allowed');
  assert.deepEqual(d.reasons, [{ code: 'water_damage_cause_repaired', rule: 'PCI-2', params: {} }]);
});

test('followUpRemoteAssessment: after two reminders the third is due', () => {
  // pci-3-after-two-reminders-third-due-flag-set
  const d = delcredere.followUpRemoteAssessment({
    followUp: {
      awaitingSince: '2026-03-02',
      reminderIntervalDays: 2,
      attempts: [
        { kind: 'reminder', on: '2026-03-04' },
        { kind: 'reminder', on: '2026-03-06' },
      ],
    },
    asOf: '2026-03-07',
  });
  assert.equal(d.outcome, 'awaiting_remote_assessment');
  assert.deepEqual(d.reasons.at(-1), { code: 'next_reminder_due', rule: 'PCI-3', params: { number: 3, dueOn: '2026-03-08' } });
});

test('checkExpertise: a vehicle quote of 300.01 goes back to the insurer', () => {
  // pci-4-vehicle-quote-of-300-01-returns-to-insurer
  const d = delcredere.checkExpertise({ claim: { peril: 'vehicleImpact', quote: eur('300.01') } });
  assert.equal(d.outcome, 'returned_to_insurer');
  assert.equal(money(d, 'quote'), '300.01 EUR');
  assert.equal(money(d, 'handlingLimit'), '300.00 EUR');
  assert.equal(money(d, 'expertiseThreshold'), '800.00 EUR');
});

test('the new functions throw DelcredereError with a field path', () => {
  // bad-cover-zero-delivery
  let error;
  try {
    delcredere.checkDeliveryCover({
      policy: policy(),
      buyer: buyer(),
      outstanding: eur('0'),
      delivery: { amount: eur('0'), date: '2026-03-01', paymentTermsDays: 60 },
      asOf: '2026-03-01',
    });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'DelcredereError');
  assert.equal(error.code, 'out_of_range');
  assert.equal(error.field, 'delivery.amount.amount');
});

// The premium (PRM) and overdue (OVD) functions: each runs the first vector case of its op
// with an expected output and must give the same outcome and amounts.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'spec', 'vectors');
const firstCase = (area, op) => {
  for (const file of readdirSync(join(vectorsDir, area)).sort()) {
    const found = JSON.parse(readFileSync(join(vectorsDir, area, file), 'utf8')).find((c) => c.op === op && c.expect);
    if (found) return found;
  }
  throw new Error(`no ${op} case in ${area}`);
};
for (const [fn, area, op] of [
  ['overdueReport', 'overdue', 'overdue_report'],
  ['notificationDuty', 'overdue', 'notification_duty'],
  ['turnoverPremium', 'premium', 'turnover_premium'],
  ['declarationStatus', 'premium', 'declaration_status'],
  ['validateTurnoverDeclaration', 'premium', 'validate_turnover_declaration'],
  ['balancePremium', 'premium', 'balance_premium'],
  ['accountState', 'account', 'account_state'],
  ['obligations', 'account', 'obligations'],
  ['insuredEvent', 'claims', 'insured_event'],
  ['checkClaimFile', 'claims', 'check_claim_file'],
  ['indemnity', 'claims', 'indemnity'],
  ['recovery', 'claims', 'recovery'],
  ['collectionHandover', 'collections', 'collection_handover'],
  ['checkCollectionFile', 'collections', 'check_collection_file'],
  ['collectionContactSchedule', 'collections', 'collection_contact_schedule'],
  ['disputeCollection', 'collections', 'dispute_collection'],
  ['checkPreExport', 'collections', 'check_pre_export'],
]) {
  test(`${fn} gives the outcome and amounts of ${op}'s first vector`, () => {
    const c = firstCase(area, op);
    const d = delcredere[fn](c.input);
    assert.equal(d.outcome, c.expect.outcome, c.id);
    for (const [key, m] of Object.entries(c.expect.amounts ?? {})) {
      assert.equal(Number(d.amounts[key].amount), Number(m.amount), `${c.id} ${key}`);
      assert.equal(d.amounts[key].currency, m.currency);
    }
  });
}

test('turnoverPremium: the seed example, 20,000,000 DKK at 0.20 %', () => {
  // prm-1-seed-provisional-and-minimum-premium
  const d = delcredere.turnoverPremium({
    policy: policy({
      currency: 'DKK',
      maximumLiability: dkk('1000000'),
      premium: { basis: 'turnover', rate: '0.20', expectedTurnover: dkk('20000000'), minimumPremiumShare: '90' },
      agreedCountries: ['DK'],
    }),
  });
  assert.equal(money(d, 'provisionalPremium'), '40000.00 DKK');
  assert.equal(money(d, 'minimumPremium'), '36000.00 DKK');
});

// The form validators: {valid, fields: {path: [{code, severity, message}]}} in the language asked.
test('validateLimitApplication: each field gets its message in French, the whole form at once', () => {
  // form-lim-2-terms-beyond-max-credit-period-and-early-date-fr
  const r = delcredere.validateLimitApplication({
    policy: policy(),
    application: {
      buyerName: 'Müller Maschinenbau GmbH', legalForm: 'GmbH', registrationNumber: 'HRB 12345', buyerCountry: 'XX',
      customerNumber: 'K-10042', requestedAmount: '50000', currency: 'EUR', paymentTermsDays: '150', date: '2025-12-15',
      paymentExperience: { paysOnTime: true, seasonalPeaks: false, regularSales: false },
    },
    lang: 'fr',
  });
  assert.equal(r.valid, false);
  assert.deepEqual(Object.keys(r.fields).sort(), ['buyerCountry', 'date', 'paymentTermsDays']);
  assert.deepEqual(r.fields.paymentTermsDays, [{
    code: 'requested_terms_exceed_max_credit_period',
    severity: 'error',
    message: 'Le délai de paiement demandé de 150 jours dépasse la durée maximale de crédit de 120 jours.',
  }]);
});

test('validateLimitApplication: the LIM-5 fee is a warning, the form stays valid (German)', () => {
  const r = delcredere.validateLimitApplication({
    policy: policy(selfAssessment),
    application: {
      buyerName: 'Müller Maschinenbau GmbH', legalForm: 'GmbH', registrationNumber: 'HRB 12345', buyerCountry: 'DE',
      customerNumber: 'K-10042', requestedAmount: '15000.00', currency: 'EUR', paymentTermsDays: '60', date: '2026-03-02',
      paymentExperience: { paysOnTime: true, seasonalPeaks: false, regularSales: false },
    },
    lang: 'de',
  });
  assert.equal(r.valid, true);
  assert.deepEqual(r.fields, {
    requestedAmount: [{
      code: 'credit_check_fee_applies',
      severity: 'warning',
      message: 'Der Betrag liegt innerhalb der Anbietungsgrenze von 20.000,00 EUR: eine Kreditprüfung durch den Versicherer kostet eine jährliche Gebühr.',
    }],
  });
});

test('validateTurnoverDeclarationForm: a malformed figure is a field message, not an exception', () => {
  const r = delcredere.validateTurnoverDeclarationForm({
    policy: policy({ agreedCountries: ['DE', 'FR'] }),
    declaration: { currency: 'EUR', sections: [{ lines: [{ country: 'DE', amount: '6000000' }, { country: 'FR', amount: '3 Mio' }] }] },
    lang: 'de',
  });
  assert.deepEqual(r, {
    valid: false,
    fields: {
      'sections[0].lines[1].amount': [{
        code: 'declaration_amount_invalid',
        severity: 'error',
        message: '3 Mio ist kein Betrag: bitte Ziffern mit Komma als Dezimaltrennzeichen angeben, z. B. 125.000,00.',
      }],
    },
  });
});

test('validateClaimFile: the missing items of the claim file, each on its field, in French', () => {
  // form-clm-3-missing-items-and-short-history-de, in French: the window is 2025-02-01 (12 months
  // before 2026-02-01) to 2026-09-10; the history from 2025-03-01 misses February 2025.
  const r = delcredere.validateClaimFile({
    claimFile: {
      oldestOpenReceivableDate: '2026-02-01',
      invoicesProvided: true,
      tradingHistory: { from: '2025-03-01', to: '2026-09-10' },
      requestedDocuments: [{ name: 'Bons de livraison', provided: false }],
    },
    asOf: '2026-09-10',
    lang: 'fr',
  });
  assert.deepEqual(r, {
    valid: false,
    fields: {
      collectionWanted: [{ code: 'claim_file_item_missing', severity: 'error', message: "Manque au dossier de sinistre : Si vous souhaitez recourir au service de recouvrement de l'assureur." }],
      openItemsListProvided: [{ code: 'claim_file_item_missing', severity: 'error', message: 'Manque au dossier de sinistre : La liste des postes ouverts.' }],
      'requestedDocuments[0]': [{ code: 'claim_file_item_missing', severity: 'error', message: "Manque au dossier de sinistre : Document demandé par l'assureur : Bons de livraison." }],
      tradingHistory: [{ code: 'claim_file_item_missing', severity: 'error', message: "Manque au dossier de sinistre : L'historique des transactions (compte client) du 01/02/2025 au 10/09/2026." }],
    },
  });
});

test('validateCollectionFile: a malformed e-mail and date in German, the missing fax a warning', () => {
  const r = delcredere.validateCollectionFile({
    collectionFile: {
      buyer: { companyName: 'Dupont SA', address: '1 rue de la Paix, 75002 Paris', contactPerson: 'Marie Dupont', email: 'dupont.fr', phone: '+33 1 23 45 67 89' },
      invoices: true, purchaseOrders: true, deliveryNotes: true, accountStatementDate: '1.5.2026',
      termsOrContract: true, paymentsAndCreditNotes: true,
    },
    lang: 'de',
  });
  assert.deepEqual(r, {
    valid: false,
    fields: {
      accountStatementDate: [{ code: 'collection_file_date_invalid', severity: 'error', message: '1.5.2026 ist kein Datum: bitte im Format JJJJ-MM-TT angeben.' }],
      'buyer.email': [{ code: 'collection_file_email_invalid', severity: 'error', message: 'dupont.fr ist keine E-Mail-Adresse: bitte in der Form name@firma.de angeben.' }],
      'buyer.fax': [{ code: 'collection_file_item_missing', severity: 'warning', message: 'Fehlt im Inkassoauftrag: Faxnummer des Kunden (empfohlen).' }],
    },
  });
});

test('validateOverdueReportForm: terms that do not give the due date, a late report, in German', () => {
  // form-ovd-5-terms-that-do-not-give-the-due-date-de, reported a day late (due 31 May) and
  // without a reason.
  const r = delcredere.validateOverdueReportForm({
    policy: policy(),
    overdueReport: {
      invoiceDate: '2026-03-01', dueDate: '2026-03-31', paymentTermsDays: '60',
      openAmount: '12000.00', totalOverdue: '31500.00', bundled: true,
    },
    asOf: '2026-06-01',
    lang: 'de',
  });
  assert.deepEqual(r, {
    valid: false,
    fields: {
      delayReason: [{ code: 'overdue_form_reason_if_known', severity: 'notice', message: 'Falls Sie den Grund für die Verzögerung kennen (z. B. eine Reklamation), geben Sie ihn bitte an.' }],
      dueDate: [{ code: 'overdue_form_report_late', severity: 'warning', message: 'Diese Überfälligkeit war sofort, am 31.05.2026, zu melden: melden Sie sie jetzt ohne Verzug.' }],
      paymentTermsDays: [{ code: 'overdue_form_terms_inconsistent', severity: 'error', message: 'Ein Zahlungsziel von 60 Tagen auf eine Rechnung vom 01.03.2026 wird am 30.04.2026 fällig, nicht am 31.03.2026: prüfen Sie Rechnungsdatum, Fälligkeit und Zahlungsziel.' }],
    },
  });
});

test('a form validator still throws a DelcredereError for what a form cannot cause', () => {
  assert.throws(
    () => delcredere.validateLimitApplication({ policy: policy(), application: {}, lang: 'es' }),
    (e) => e instanceof Error && e.name === 'DelcredereError' && e.code === 'unknown_language' && e.field === 'lang',
  );
  assert.throws(
    () => delcredere.validateClaimFile({ claimFile: {}, asOf: '10.09.2026', lang: 'en' }),
    (e) => e instanceof Error && e.name === 'DelcredereError' && e.code === 'invalid_date' && e.field === 'asOf',
  );
  assert.throws(
    () => delcredere.validateOverdueReportForm({ policy: policy(), overdueReport: { bundled: 'yes' }, asOf: '2026-06-01', lang: 'en' }),
    (e) => e instanceof Error && e.name === 'DelcredereError' && e.code === 'invalid_type' && e.field === 'overdueReport.bundled',
  );
});

test('samplePolicy gives the four countries\' policies of spec/policies, each valid', async () => {
  const { readFileSync } = await import('node:fs');
  for (const country of ['be', 'ch', 'dk', 'fr']) {
    const text = readFileSync(new URL(`../../spec/policies/${country}.json`, import.meta.url), 'utf8');
    const policy = delcredere.samplePolicy(country.toUpperCase());
    assert.deepEqual(policy, JSON.parse(text), country);
    assert.deepEqual(delcredere.validatePolicy({ policy }), { valid: true, problems: [] }, country);
  }
  let error;
  try { delcredere.samplePolicy('se'); } catch (e) { error = e; }
  assert.equal(error?.name, 'DelcredereError');
  assert.equal(error.code, 'unknown_value');
  assert.equal(error.field, 'country');
});
