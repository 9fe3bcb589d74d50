// The demo form: every check and every message comes from the delcredere package (web build).
import init, { checkInsurability, explain } from '../pkg-web/delcredere_wasm.js';

/** A sample policy (camelCase DTO, amounts as decimal strings). */
export const SAMPLE_POLICY = Object.freeze({
  currency: 'EUR',
  insuranceYear: { start: '2026-01-01' },
  agreedCountries: ['DE', 'FR', 'NL', 'DK', 'BE'],
  maxCreditPeriodDays: 120,
  maxExtensionPeriodDays: 60,
  waitingPeriodDays: 180,
  indemnityPercentage: '90',
  maximumLiability: { amount: '2000000.00', currency: 'EUR' },
  premium: { basis: 'turnover', rate: '0.20', expectedTurnover: { amount: '20000000', currency: 'EUR' } },
  declarationDeadlineDays: 30,
});

const $ = (id) => document.getElementById(id);
const form = $('buyer-form');
let lastDecision = null;

function showPolicy() {
  const p = SAMPLE_POLICY;
  const terms = [
    ['Currency', p.currency],
    ['Insurance year from', p.insuranceYear.start],
    ['Agreed countries', p.agreedCountries.join(', ')],
    ['Maximum credit period', `${p.maxCreditPeriodDays} days`],
    ['Indemnity', `${p.indemnityPercentage} %`],
    ['Maximum liability', `${p.maximumLiability.amount} ${p.maximumLiability.currency}`],
  ];
  const dl = $('policy-terms');
  for (const [term, value] of terms) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }
  $('policy-json').textContent = JSON.stringify(p, null, 2);
}

const text = (name) => form.elements[name].value.trim();
const optional = (name) => text(name) || undefined;

/** The form as the check_insurability input DTO. Only shaping: the engine validates. */
function readInput() {
  const days = text('paymentTermsDays');
  return {
    policy: SAMPLE_POLICY,
    buyer: {
      legalName: form.elements.legalName.value,
      legalForm: optional('legalForm'),
      registrationNumber: optional('registrationNumber'),
      vatNumber: optional('vatNumber'),
      country: text('country').toUpperCase(),
      entityKind: form.elements.entityKind.value,
      insuredHoldsMajority: form.elements.insuredHoldsMajority.checked,
    },
    receivable: {
      kind: form.elements.kind.value,
      // A whole number goes as a number; anything else as typed, for the engine to refuse.
      paymentTermsDays: /^-?\d+$/.test(days) ? Number(days) : days,
      paymentSecurity: form.elements.paymentSecurity.value,
    },
  };
}

function clearErrors() {
  for (const el of form.querySelectorAll('[data-field]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
    const msg = $(`${el.id}-error`);
    msg.hidden = true;
    msg.textContent = '';
  }
  $('form-error').hidden = true;
  $('form-error').textContent = '';
}

/** Shows an engine error next to the field it names, or above the result when none matches. */
function showError(error) {
  const field = error.field ?? '';
  const input = [...form.querySelectorAll('[data-field]')].find(
    (el) => field === el.dataset.field || field.startsWith(`${el.dataset.field}.`),
  );
  const detail = error.problems?.length
    ? error.problems.map((p) => `policy.${p.field}: ${p.message}`).join('; ')
    : error.message;
  if (input) {
    const msg = $(`${input.id}-error`);
    msg.textContent = error.message;
    msg.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', msg.id);
  } else {
    $('form-error').textContent = detail;
    $('form-error').hidden = false;
  }
}

function render() {
  const summary = $('summary');
  const list = $('messages');
  list.replaceChildren();
  summary.hidden = true;
  $('result').dataset.outcome = '';
  if (!lastDecision) return;
  const lang = form.elements.lang.value;
  const explanation = explain({ decision: lastDecision, lang });
  $('result').lang = lang;
  $('result').dataset.outcome = lastDecision.outcome;
  summary.textContent = explanation.summary;
  summary.hidden = false;
  for (const m of explanation.messages) {
    const li = document.createElement('li');
    li.dataset.code = m.code;
    const rule = document.createElement('span');
    rule.className = 'rule';
    rule.textContent = m.rule;
    li.append(document.createTextNode(m.text), ' ', rule);
    list.append(li);
  }
  $('status').hidden = true;
}

function check() {
  clearErrors();
  try {
    lastDecision = checkInsurability(readInput());
  } catch (error) {
    lastDecision = null;
    $('status').textContent = 'Please correct the input.';
    $('status').hidden = false;
    showError(error);
  }
  render();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  check();
});
form.elements.lang.addEventListener('change', () => {
  if (lastDecision) render();
});

showPolicy();
await init();
$('check').disabled = false;
$('status').textContent = 'Fill in the buyer and press “Check insurability”.';
document.body.dataset.ready = 'true';
