// Type-checked (never run) by `tsc --strict --noEmit -p bindings-wasm/tsconfig.json`: uses the
// TypeScript declarations that wasm-bindgen emits from the Rust DTOs (tsify), for both builds.
import {
  call,
  checkInsurability,
  explain,
  ops,
  validatePolicy,
  type CheckInsurabilityInput,
  type DecimalString,
  type Decision,
  type DelcredereError,
  type Explanation,
  type IsoDate,
  type Language,
  type MoneyDto,
  type Op,
  type Outcome,
  type PolicyDto,
  type PolicyReport,
  type Problem,
  type ReasonCode,
} from '../pkg-node/delcredere_wasm.js';
import init, * as web from '../pkg-web/delcredere_wasm.js';

const start: IsoDate = '2026-01-01';
const rate: DecimalString = '0.20';
const liability: MoneyDto = { amount: '2000000.00', currency: 'EUR' };

// Every policy term is optional in the DTO: validation reports what is missing.
const policy: PolicyDto = {
  currency: 'EUR',
  insuranceYear: { start },
  agreedCountries: ['DE', 'FR'],
  maxCreditPeriodDays: 120,
  maxExtensionPeriodDays: 60,
  waitingPeriodDays: 180,
  indemnityPercentage: '90',
  maximumLiability: liability,
  premium: { basis: 'turnover', rate, expectedTurnover: { amount: '20000000', currency: 'EUR' } },
  declarationDeadlineDays: 30,
};

const input: CheckInsurabilityInput = {
  policy,
  buyer: {
    legalName: 'Müller Maschinenbau GmbH',
    legalForm: 'GmbH',
    registrationNumber: 'HRB 12345',
    country: 'DE',
    entityKind: 'company',
    insuredHoldsMajority: false,
  },
  receivable: { kind: 'goods', paymentTermsDays: 60, paymentSecurity: 'openAccount' },
};

const decision: Decision = checkInsurability(input);
const outcome: Outcome = decision.outcome;
const insurable: boolean = outcome === 'insurable' || outcome === 'insurable_through_head_office';
const codes: ReasonCode[] = decision.reasons.map((r) => r.code);
const amount: string | undefined = decision.amounts?.['coveredAmount']?.amount;
const lang: Language = 'de';
const explanation: Explanation = explain({ decision, lang });
const texts: string[] = [explanation.summary, ...explanation.messages.map((m) => m.text)];
const report: PolicyReport = validatePolicy({ policy: {} });
const problems: Problem[] = report.problems;
const op: Op = 'validate_policy';
const names: Op[] = ops();
const output = call(op, { policy });
const valid: boolean = 'valid' in output ? output.valid : false;

try {
  checkInsurability(input);
} catch (e) {
  const err = e as DelcredereError;
  const described: string = `${err.code} at ${err.field}: ${err.message}`;
  const all: Problem[] = err.problems ?? [];
  void described;
  void all;
}

// The web build has the same functions after `init()`.
async function inBrowser(): Promise<string> {
  await init();
  const d: Decision = web.checkInsurability(input);
  return web.explain({ decision: d, lang: 'fr' }).summary;
}

// Misuse the generated types must reject.
// @ts-expect-error amounts are decimal strings, never JS numbers
const badMoney: MoneyDto = { amount: 1250.5, currency: 'EUR' };
// @ts-expect-error only the five catalogue languages
const badLang: Language = 'es';
// @ts-expect-error entity kinds are a closed set
checkInsurability({ ...input, buyer: { ...input.buyer, entityKind: 'ngo' } });
// @ts-expect-error unknown fields are refused
checkInsurability({ ...input, receivable: { kind: 'goods', paymentTermsDays: 60, vatNo: 'x' } });
// @ts-expect-error receivable is required
checkInsurability({ policy, buyer: input.buyer });
// @ts-expect-error unknown op name
call('frobnicate', { policy });

export { outcome, insurable, codes, amount, texts, problems, names, valid, inBrowser, badMoney, badLang };
