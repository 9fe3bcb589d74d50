// The demo desk: every check and every message comes from the delcredere package (web build).
// The page only shapes the inputs, puts the engine's field messages next to their fields and
// translates its own labels (ui-text.mjs).
import init, {
  validateLimitApplication,
  validateTurnoverDeclarationForm,
  validateClaimFileForm,
  checkDeliveryCover,
  explain,
} from '../pkg-web/delcredere_wasm.js';
import { UI_TEXT } from './ui-text.mjs';
import { setupLimitCurve } from './limit-curve.mjs';

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
/** The day the claim is filed on this desk (the trading history must reach it). */
const CLAIM_DATE = '2026-09-10';

const $ = (id) => document.getElementById(id);
const lang = () => $('lang').value;
const value = (id) => $(id).value.trim();
const text = (key) => UI_TEXT[lang()]?.[key] ?? UI_TEXT.en[key] ?? key;

/** Puts the page's own words in the chosen language (inside `root`, or everywhere). */
function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = text(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = text(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-country]')) {
    el.textContent = text(el.dataset.i18nCountry).replace('{country}', el.dataset.country ?? '');
  }
  if (root === document) {
    document.documentElement.lang = lang();
    document.title = text('doc.title');
  }
}

/** The message box of a field (created on first use): under the input, after a checkbox's
 * label, at the end of a fieldset. */
function messageBox(el) {
  const id = `${el.id}-msg`;
  let box = document.getElementById(id);
  if (!box) {
    box = document.createElement('div');
    box.id = id;
    box.className = 'messages-of-field';
    if (el.matches('fieldset')) el.append(box);
    else (el.closest('.check') ?? el).after(box);
  }
  return box;
}

function render(box, messages) {
  box.replaceChildren(...messages.map((m) => {
    const p = document.createElement('p');
    p.className = m.severity === 'error' ? 'field-error' : 'field-warning';
    p.dataset.code = m.code;
    p.textContent = m.message;
    return p;
  }));
}

const hasError = (messages) => messages.some((m) => m.severity === 'error');

/** A date field holding a date the browser cannot give as a value yet (e.g. only the year
 * typed): its value is empty, so the page says what is missing instead of "required". */
const incompleteDate = (el) => el.type === 'date' && el.validity.badInput;

/**
 * Shows a form report: messages under each field (all fields, or only those touched) and, for a
 * group of fields (`data-group`, e.g. a period), under the group; each control is marked
 * `aria-invalid` and points with `aria-describedby` at the messages that concern it.
 *
 * `typing` is the field being typed in: it (and its group) is not newly flagged until the
 * user leaves it or submits; a flag it already shows follows the typing (so that it goes as soon
 * as the value is right). `markRest(messages)` names the fields that form-level messages (on
 * paths without an input) concern: they are marked too and described by the form's error.
 */
function show(form, report, { all, typing = null, markRest = () => [] }) {
  const seen = new Set();
  const groups = new Map();
  const held = (el) => typing !== null && el.contains(typing) && el.getAttribute('aria-invalid') !== 'true'
    && !el.querySelector('[aria-invalid="true"]');
  for (const group of form.querySelectorAll('[data-group]')) {
    const path = group.dataset.group;
    seen.add(path);
    const box = messageBox(group);
    if (held(group)) {
      groups.set(group, { box, messages: [], held: true });
      continue;
    }
    const touched = all || group.querySelector('[data-touched]');
    const messages = touched ? report.fields[path] ?? [] : [];
    render(box, messages);
    groups.set(group, { box, messages });
  }
  // Messages on paths without an input (e.g. a missing country) go under the whole form.
  const rest = Object.entries(report.fields).filter(([path]) => !seen.has(path)
    && !form.querySelector(`[data-field="${CSS.escape(path)}"]`)).flatMap(([, ms]) => ms);
  const formError = form.querySelector('.form-error');
  const restShown = all ? rest : [];
  const restMarked = formError && hasError(restShown) ? markRest(restShown) : [];
  for (const el of form.querySelectorAll('[data-field]')) {
    const path = el.dataset.field;
    seen.add(path);
    const group = groups.get(el.closest('[data-group]'));
    if (held(el) || group?.held) continue;
    const box = messageBox(el);
    const shown = all || el.dataset.touched;
    let messages = shown ? report.fields[path] ?? [] : [];
    if (shown && incompleteDate(el)) messages = [{ code: 'invalid_date', severity: 'error', message: text('error.invalid_date') }];
    render(box, messages);
    const marked = restMarked.includes(el);
    const describedBy = [messages.length ? box.id : null, group?.messages.length ? group.box.id : null, marked ? formError.id : null]
      .filter(Boolean);
    if (hasError(messages) || hasError(group?.messages ?? []) || marked) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
    if (describedBy.length) el.setAttribute('aria-describedby', describedBy.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  // The form's own error is a live region (role="alert"), always in the page, empty when there
  // is nothing to say: a screen reader announces it when it changes.
  if (formError) {
    const message = restShown.map((m) => m.message).join(' ');
    if (formError.textContent !== message) formError.textContent = message;
  }
}

/** A field the user types in (not a box, a choice or a list). */
const typed = (el) => el.matches('input:not([type="checkbox"], [type="radio"]), textarea');

/**
 * Validates a field once the user leaves it after typing (or ticks, chooses, picks a date), and the whole
 * form on submit; while a field is being typed in, only a flag it already shows is updated.
 * Returns a re-run. `markRest` as for `show`.
 */
function wire(form, validate, statusId, markRest) {
  let submitted = false;
  const run = (typing = null) => {
    const report = validate();
    show(form, report, { all: submitted, typing, markRest });
    if (submitted) {
      const status = $(statusId);
      status.className = `form-status ${report.valid ? 'ok' : 'no'}`;
      status.textContent = text(report.valid ? 'form.ok' : 'form.no');
    }
    return report;
  };
  const commit = (event) => {
    const field = event.target.closest('[data-field]');
    if (!field) return;
    field.dataset.touched = 'true';
    run();
  };
  form.addEventListener('input', (event) => {
    if (!typed(event.target)) return commit(event);
    event.target.dataset.edited = 'true';
    run(event.target);
  });
  form.addEventListener('change', commit);
  // Leaving a field the user typed in (or a date typed in part); tabbing through is not typing.
  form.addEventListener('focusout', (event) => {
    if (typed(event.target) && (event.target.dataset.edited || incompleteDate(event.target))) commit(event);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    const report = run();
    if (!report.valid) {
      // The first marked field, or the form's own error when it concerns no field.
      const first = form.querySelector('[aria-invalid="true"]') ?? form.querySelector('.form-error:not(:empty)');
      (first?.matches('fieldset') ? first.querySelector('input') : first)?.focus();
    }
  });
  $('lang').addEventListener('change', () => run());
  return run;
}

$('lang').addEventListener('change', () => translate());

const limitForm = $('limit-form');
/** The application as the form holds it: text fields as typed; the payment-experience answers
 * (`data-answer`, paths `paymentExperience.*`) as booleans, left out while not answered. */
function limitApplication() {
  const application = { paymentExperience: {} };
  for (const el of limitForm.querySelectorAll('[data-field]')) {
    const path = el.dataset.field;
    if (el.dataset.answer === undefined) application[path] = el.value;
    else if (el.value) application.paymentExperience[path.split('.')[1]] = el.value === 'yes';
  }
  return application;
}
wire(limitForm, () => validateLimitApplication({
  policy: POLICY,
  application: limitApplication(),
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
}, 'declaration-status', (messages) => {
  // A country missing from the declaration (or none at all) is said for the whole form: it is
  // the turnover fields left empty (not sent) that need a figure, so they are the ones marked.
  if (!messages.some((m) => m.code === 'country_missing' || m.code === 'declaration_empty')) return [];
  return ['DE', 'FR', 'NL'].map((country) => $(`decl-${country}`)).filter((el) => el.value.trim() === '');
});

const claimForm = $('claim-form');
const documentRows = $('document-rows');
const claimRun = wire(claimForm, () => {
  // Paths follow the rows on the page: the n-th row is requestedDocuments[n].
  const rows = [...documentRows.children];
  rows.forEach((row, i) => {
    row.querySelector('.doc-name').dataset.field = `requestedDocuments[${i}].name`;
    row.querySelector('.doc-provided').dataset.field = `requestedDocuments[${i}]`;
  });
  const choice = claimForm.querySelector('input[name="collectionWanted"]:checked');
  return validateClaimFileForm({
    claimFile: {
      oldestOpenReceivableDate: $('oldestOpenReceivableDate').value,
      invoicesProvided: $('invoicesProvided').checked,
      openItemsListProvided: $('openItemsListProvided').checked,
      tradingHistory: { from: $('historyFrom').value, to: $('historyTo').value },
      requestedDocuments: rows.map((row) => ({
        name: row.querySelector('.doc-name').value,
        provided: row.querySelector('.doc-provided').checked,
      })),
      ...(choice ? { collectionWanted: choice.value === 'yes' } : {}),
    },
    asOf: CLAIM_DATE,
    lang: lang(),
  });
}, 'claim-status');

let documentCount = 0;
$('add-document').addEventListener('click', () => {
  const n = ++documentCount;
  const row = $('document-row').content.firstElementChild.cloneNode(true);
  const name = row.querySelector('.doc-name');
  const provided = row.querySelector('.doc-provided');
  name.id = `doc-${n}-name`;
  provided.id = `doc-${n}-provided`;
  const [nameLabel, providedLabel] = row.querySelectorAll('label');
  nameLabel.htmlFor = name.id;
  providedLabel.htmlFor = provided.id;
  row.querySelector('.doc-remove').addEventListener('click', () => {
    row.remove();
    claimRun();
    $('add-document').focus();
  });
  translate(row);
  documentRows.append(row);
  claimRun();
  name.focus();
});

let lastCover = null;
let lastCoverError = null;
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
    lastCoverError = null;
  } catch (error) {
    // Input errors of the cover check are typed errors with a code and a field path; the
    // engine's error messages are English (they are for developers), so the page shows its
    // own words for the codes a user can cause, in the chosen language.
    lastCover = null;
    lastCoverError = error;
  }
  renderCover();
  renderCoverError();
  // The answer area (a live region) says the order could not be checked, and the focus goes to
  // the marked field, which is described by its message: nothing is silently emptied.
  if (lastCoverError) coverForm.querySelector('[aria-invalid="true"]')?.focus();
});
function renderCoverError() {
  if (!lastCoverError) return;
  const error = lastCoverError;
  const input = [...coverForm.querySelectorAll('[data-field]')].find((el) => error.field?.startsWith(el.dataset.field));
  const key = `error.${error.code}`;
  const message = UI_TEXT.en[key] ? text(key) : error.message;
  show(coverForm, { fields: input ? { [input.dataset.field]: [{ code: error.code, severity: 'error', message }] } : {} }, { all: true });
  $('cover-result').dataset.outcome = 'error';
  $('cover-result').lang = lang();
  $('cover-summary').textContent = text(input ? 'cover.error' : 'cover.errorOther');
  $('cover-messages').replaceChildren(...(input ? [] : [Object.assign(document.createElement('li'), { textContent: message })]));
}
$('lang').addEventListener('change', () => {
  renderCover();
  renderCoverError();
});

// Panel 5: the outstanding curve of a delivery schedule against this buyer's limit (EXP-1).
setupLimitCurve({ $, text, lang, policy: POLICY, limitEvents: LIMIT_EVENTS, currency: 'EUR' });

translate();
await init();
$('status').dataset.i18n = 'status.ready';
$('status').dataset.state = 'ready';
translate();
document.body.dataset.ready = 'true';
