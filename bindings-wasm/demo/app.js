// The demo desk: every check and every message comes from the delcredere package (web build).
// The page only shapes the inputs and puts the engine's field messages next to their fields.
import init, { validateLimitApplication, validateTurnoverDeclarationForm, checkDeliveryCover, explain } from '../pkg-web/delcredere_wasm.js';

const eur = (amount) => ({ amount, currency: 'EUR' });
export const POLICY = Object.freeze({
  currency: 'EUR',
  insuranceYear: { start: '2026-01-01' },
  agreedCountries: ['DE', 'FR', 'NL'],
  maxCreditPeriodDays: 120,
  maxExtensionPeriodDays: 60,
  waitingPeriodDays: 180,
  indemnityPercentage: '90',
  maximumLiability: eur('2000000.00'),
  selfAssessmentAgreed: true,
  discretionaryLimit: eur('20000'),
  creditChecksInsideDiscretionaryLimit: true,
  premium: { basis: 'turnover', rate: '0.20', expectedTurnover: eur('10000000') },
  declarationDeadlineDays: 30,
});
const BUYER = { legalName: 'Müller Maschinenbau GmbH', legalForm: 'GmbH', registrationNumber: 'HRB 12345', country: 'DE', entityKind: 'company' };
const LIMIT_EVENTS = [
  { type: 'applied', date: '2026-02-01', requestedAmount: eur('50000'), paymentTermsDays: 60 },
  { type: 'granted', date: '2026-02-05', amount: eur('50000') },
];

const $ = (id) => document.getElementById(id);
const lang = () => $('lang').value;
const value = (id) => $(id).value.trim();

/** Shows a form report: messages under each field (all fields, or only those touched). */
function show(form, report, { all }) {
  const seen = new Set();
  for (const input of form.querySelectorAll('[data-field]')) {
    const path = input.dataset.field;
    seen.add(path);
    const messages = all || input.dataset.touched ? report.fields[path] ?? [] : [];
    let box = document.getElementById(`${input.id}-msg`);
    if (!box) {
      box = document.createElement('div');
      box.id = `${input.id}-msg`;
      input.after(box);
    }
    box.replaceChildren(...messages.map((m) => {
      const p = document.createElement('p');
      p.className = m.severity === 'error' ? 'field-error' : 'field-warning';
      p.dataset.code = m.code;
      p.textContent = m.message;
      return p;
    }));
    if (messages.some((m) => m.severity === 'error')) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (messages.length) input.setAttribute('aria-describedby', box.id);
    else input.removeAttribute('aria-describedby');
  }
  // Messages on paths without an input (e.g. a missing country) go under the whole form.
  const rest = Object.entries(report.fields).filter(([path]) => !seen.has(path)).flatMap(([, ms]) => ms);
  const formError = form.querySelector('.field-error[id$="form-error"]');
  if (formError) {
    formError.textContent = all ? rest.map((m) => m.message).join(' ') : '';
    formError.hidden = !formError.textContent;
  }
}

function wire(form, validate, statusId) {
  let submitted = false;
  const run = () => {
    const report = validate();
    show(form, report, { all: submitted });
    if (submitted) {
      const status = $(statusId);
      status.className = `form-status ${report.valid ? 'ok' : 'no'}`;
      status.textContent = report.valid ? '✓' : '✗';
    }
    return report;
  };
  form.addEventListener('input', (event) => {
    if (event.target.dataset.field) event.target.dataset.touched = 'true';
    run();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    const report = run();
    if (!report.valid) form.querySelector('[aria-invalid="true"]')?.focus();
  });
  $('lang').addEventListener('change', run);
}

const limitForm = $('limit-form');
wire(limitForm, () => validateLimitApplication({
  policy: POLICY,
  application: Object.fromEntries([...limitForm.querySelectorAll('[data-field]')].map((el) => [el.dataset.field, el.value])),
  lang: lang(),
}), 'limit-status');

const declarationForm = $('declaration-form');
wire(declarationForm, () => {
  const lines = [];
  for (const country of ['DE', 'FR', 'NL']) {
    const amount = value(`decl-${country}`);
    if (!amount) continue;
    const credit = value(`decl-${country}-cn`);
    lines.push({ country, amount, ...(credit ? { creditNotesDeducted: credit } : {}) });
  }
  // Paths follow the rows on the page: re-key the inputs to the lines actually sent.
  let i = 0;
  for (const country of ['DE', 'FR', 'NL']) {
    const has = value(`decl-${country}`) !== '';
    const at = has ? i++ : 99;
    $(`decl-${country}`).dataset.field = `sections[0].lines[${at}].amount`;
    $(`decl-${country}-cn`).dataset.field = `sections[0].lines[${at}].creditNotesDeducted`;
  }
  return validateTurnoverDeclarationForm({ policy: POLICY, declaration: { currency: 'EUR', sections: [{ lines }] }, lang: lang() });
}, 'declaration-status');

let lastCover = null;
function renderCover() {
  $('cover-result').dataset.outcome = lastCover?.outcome ?? '';
  if (!lastCover) return;
  const e = explain({ decision: lastCover, lang: lang() });
  $('cover-result').lang = lang();
  $('cover-summary').textContent = e.summary;
  $('cover-messages').replaceChildren(...e.messages.map((m) => {
    const li = document.createElement('li');
    li.dataset.code = m.code;
    li.textContent = m.text;
    return li;
  }));
}
const coverForm = $('cover-form');
coverForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const days = value('orderTerms');
  const empty = { fields: {} };
  show(coverForm, empty, { all: true });
  try {
    lastCover = checkDeliveryCover({
      policy: POLICY,
      buyer: BUYER,
      outstanding: eur(value('outstanding')),
      delivery: { amount: eur(value('orderAmount')), date: value('shipDate'), paymentTermsDays: /^\d+$/.test(days) ? Number(days) : days },
      limitEvents: LIMIT_EVENTS,
      asOf: value('shipDate') || '2026-03-01',
    });
  } catch (error) {
    // Input errors of the cover check are typed errors with a field path (English only).
    lastCover = null;
    $('cover-summary').textContent = '';
    $('cover-messages').replaceChildren();
    const input = [...coverForm.querySelectorAll('[data-field]')].find((el) => error.field?.startsWith(el.dataset.field));
    show(coverForm, { fields: input ? { [input.dataset.field]: [{ code: error.code, severity: 'error', message: error.message }] } : {} }, { all: true });
  }
  renderCover();
});
$('lang').addEventListener('change', () => {
  document.documentElement.lang = lang();
  renderCover();
});

await init();
$('status').textContent = 'Ready.';
document.body.dataset.ready = 'true';
