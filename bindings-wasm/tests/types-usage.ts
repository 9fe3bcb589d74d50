// Type-checked (never run) by `tsc --strict --noEmit -p bindings-wasm/tsconfig.json`: uses the
// TypeScript declarations that wasm-bindgen emits from the Rust DTOs (tsify), for both builds.
import {
  assessDiscretionary,
  averageOutstanding,
  call,
  checkDeliveryCover,
  checkExpertise,
  checkInsurability,
  checkLimitApplication,
  checkWaterDamage,
  explain,
  followUpRemoteAssessment,
  intakeOrder,
  limitState,
  notificationDuty,
  turnoverPremium,
  declarationStatus,
  ops,
  peakOutstanding,
  validatePolicy,
  validateLimitApplication,
  validateTurnoverDeclarationForm,
  validateClaimFile,
  validateClaimFileForm,
  validateCollectionFile,
  validateCollectionFileForm,
  validateOverdueReportForm,
  type AssessDiscretionaryInput,
  type ClaimFileFormDto,
  type CollectionFileFormDto,
  type ValidateClaimFileFormInput,
  type ValidateCollectionFileFormInput,
  type OverdueReportFormDto,
  type ValidateOverdueReportFormInput,
  type FieldMessage,
  type FormReport,
  type LimitApplicationFormDto,
  type Severity,
  type ValidateLimitApplicationInput,
  type ValidateTurnoverDeclarationInput,
  type AverageOutstandingInput,
  type CheckDeliveryCoverInput,
  type CheckExpertiseInput,
  type CheckInsurabilityInput,
  type CheckLimitApplicationInput,
  type CheckWaterDamageInput,
  type CoverType,
  type CurvePoint,
  type FollowUpRemoteAssessmentInput,
  type IntakeOrderInput,
  type LimitEventDto,
  type LimitStateInput,
  type PeakOutstandingInput,
  type DecimalString,
  type Decision,
  DelcredereError,
  type ErrorCode,
  type OpInput,
  type OpOutput,
  type OpTypes,
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
import { Engine, type CoverFiguresDto } from '../pkg-node/delcredere_wasm.js';
import * as node from '../pkg-node/delcredere_wasm.js';
import init, * as web from '../pkg-web/delcredere_wasm.js';
import initFull, * as webFull from '../pkg-web-full/delcredere_wasm.js';

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
  if (e instanceof DelcredereError) {
    const described: string = `${e.code} at ${e.field}: ${e.message}`;
    const all: Problem[] = e.problems ?? [];
    void described;
    void all;
  }
}

// The ops added after the first three: one typed call each, every one returning a Decision.
const events: LimitEventDto[] = [
  { type: 'applied', date: '2026-02-01', requestedAmount: { amount: '50000', currency: 'EUR' }, paymentTermsDays: 60 },
  { type: 'granted', date: '2026-02-05', amount: { amount: '50000', currency: 'EUR' } },
];
const coverInput: CheckDeliveryCoverInput = {
  policy,
  buyer: input.buyer,
  outstanding: { amount: '45000', currency: 'EUR' },
  delivery: { amount: { amount: '10000', currency: 'EUR' }, date: '2026-03-01', paymentTermsDays: 60 },
  limitEvents: events,
  asOf: '2026-03-01',
};
const cover: Decision = checkDeliveryCover(coverInput);
const coverType: CoverType | undefined = cover.details?.type === 'cover' ? cover.details.coverType : undefined;
const limitInput: LimitStateInput = { policy, events, asOf: '2026-03-01' };
const limit: Decision = limitState(limitInput);
const applicationInput: CheckLimitApplicationInput = {
  policy,
  application: { requestedAmount: { amount: '15000', currency: 'EUR' }, paymentTermsDays: 60, date: '2026-03-01' },
};
const application: Decision = checkLimitApplication(applicationInput);
const discretionaryInput: AssessDiscretionaryInput = {
  policy,
  neededAmount: { amount: '15000', currency: 'EUR' },
  evidence: { purchases: [{ deliveryDate: '2026-03-01', dueDate: '2026-04-30', paidOn: '2026-06-20' }] },
  asOf: '2026-10-01',
};
const discretionary: Decision = assessDiscretionary(discretionaryInput);
const peakInput: PeakOutstandingInput = {
  deliveries: [{ amount: { amount: '150000', currency: 'DKK' }, deliveryDate: '2026-01-01', paymentTermsDays: 90, endOfMonth: true }],
  dayCount: 'includeStartDay',
  endOfMonthConvention: 'daysThenMonthEnd',
};
const peak: Decision = peakOutstanding(peakInput);
const curve: CurvePoint[] = peak.details?.type === 'curve' ? peak.details.points : [];
const averageInput: AverageOutstandingInput = { annualSales: { amount: '600000', currency: 'DKK' }, paymentTermsDays: 30 };
const average: Decision = averageOutstanding(averageInput);
const intakeInput: IntakeOrderInput = { order: { channel: 'agency', claimNumber: 'B1234567', agentCode: 'A0457' } };
const intake: Decision = intakeOrder(intakeInput);
const waterInput: CheckWaterDamageInput = { claim: { request: 'repairWorks', causeRepaired: true } };
const water: Decision = checkWaterDamage(waterInput);
const followUpInput: FollowUpRemoteAssessmentInput = {
  followUp: { awaitingSince: '2026-03-02', reminderIntervalDays: 2, attempts: [{ kind: 'reminder', on: '2026-03-04' }] },
  asOf: '2026-03-07',
};
const followUp: Decision = followUpRemoteAssessment(followUpInput);
const expertiseInput: CheckExpertiseInput = { claim: { peril: 'vehicleImpact', quote: { amount: '300.01', currency: 'EUR' } } };
const expertise: Decision = checkExpertise(expertiseInput);
const newDecisions: Decision[] = [cover, limit, application, discretionary, peak, average, intake, water, followUp, expertise];
const duty: Decision = notificationDuty({ event: 'insolvency', coverKind: 'selfAssessed', date: '2026-09-01' });
const premium: Decision = turnoverPremium({ policy: input.policy, declaredTurnover: { amount: '18000000', currency: 'EUR' } });
const status: Decision = declarationStatus({ policy: input.policy, asOf: '2027-01-15' });
// PRM-2 (CH) end-of-month deadline, PRM-6 reporting days and the balance reports sent.
const balancePolicy: PolicyDto = {
  ...policy,
  premium: { basis: 'outstandingBalance', rate, reportingDays: ['2026-06-30', '2026-12-31'], balanceReportDeadlineDays: 30 },
  declarationDeadlineDays: undefined,
  declarationDeadlineEndOfMonth: 1,
};
const balanceStatus: Decision = declarationStatus({
  policy: balancePolicy,
  asOf: '2026-08-15',
  balanceReports: [{ reportingDay: '2026-06-30', sentOn: '2026-07-20' }],
});
const laterDecisions: Decision[] = [duty, premium, status, balanceStatus];

// Form validators: values as typed (strings, any of them missing), messages keyed by field.
const typed: LimitApplicationFormDto = { buyerName: 'Müller Maschinenbau GmbH', requestedAmount: '50000' };
const formInput: ValidateLimitApplicationInput = { policy, application: typed, lang: 'de' };
const form: FormReport = validateLimitApplication(formInput);
const amountMessages: FieldMessage[] = form.fields['requestedAmount'] ?? [];
const severities: Severity[] = amountMessages.map((m) => m.severity);
const firstCode: ReasonCode | undefined = amountMessages[0]?.code;
const declarationInput: ValidateTurnoverDeclarationInput = {
  policy,
  declaration: { currency: 'EUR', sections: [{ lines: [{ country: 'DE', amount: '6000000' }] }] },
  lang: 'fr',
};
const declarationForm: FormReport = validateTurnoverDeclarationForm(declarationInput);
const formValid: boolean = form.valid && declarationForm.valid;
const claimForm: ClaimFileFormDto = {
  oldestOpenReceivableDate: '2026-02-01',
  invoicesProvided: true,
  tradingHistory: { from: '2025-03-01' },
  requestedDocuments: [{ name: 'Lieferscheine', provided: false }],
};
const claimInput: ValidateClaimFileFormInput = { claimFile: claimForm, asOf: '2026-09-10', lang: 'de' };
const claimReport: FormReport = validateClaimFileForm(claimInput);
// The name before the naming rule still compiles (deprecated).
const claimReportOld: FormReport = validateClaimFile(claimInput);
const collectionForm: CollectionFileFormDto = { buyer: { companyName: 'Dupont SA', email: 'm.dupont@dupont.fr' }, invoices: true };
const collectionInput: ValidateCollectionFileFormInput = { collectionFile: collectionForm, lang: 'fr' };
const collectionReport: FormReport = validateCollectionFileForm(collectionInput);
const collectionReportOld: FormReport = validateCollectionFile(collectionInput);
const fileFormsValid: boolean = claimReport.valid && collectionReport.valid && claimReportOld.valid && collectionReportOld.valid;
const overdueForm: OverdueReportFormDto = { invoiceDate: '2026-03-01', dueDate: '2026-03-31', paymentTermsDays: '30', bundled: true };
const overdueInput: ValidateOverdueReportFormInput = { policy, overdueReport: overdueForm, asOf: '2026-05-31', lang: 'nl' };
const overdueReport: FormReport = validateOverdueReportForm(overdueInput);
// @ts-expect-error the box of several overdues is a boolean
validateOverdueReportForm({ policy, overdueReport: { bundled: 'yes' }, asOf: '2026-05-31', lang: 'en' });
// @ts-expect-error the answers on the buyer's payment behaviour are booleans
validateLimitApplication({ policy, application: { paymentExperience: { paysOnTime: 'yes' } }, lang: 'en' });
// @ts-expect-error a ticked box is a boolean, not the text of the label
validateClaimFileForm({ claimFile: { invoicesProvided: 'yes' }, asOf: '2026-09-10', lang: 'en' });
// @ts-expect-error the claim file form needs the day of the claim
validateClaimFileForm({ claimFile: claimForm, lang: 'en' });
// @ts-expect-error form values are strings as typed, not numbers
validateLimitApplication({ policy, application: { paymentTermsDays: 60 }, lang: 'en' });
// @ts-expect-error a form validator needs a catalogue language
validateLimitApplication({ policy, application: typed, lang: 'es' });

// The browser build has the form functions after `init()`; `delcredere/full` has every one.
async function inBrowser(): Promise<string> {
  await init();
  const d: Decision = web.checkInsurability(input);
  const f: FormReport = web.validateLimitApplication(formInput);
  const claim: FormReport = web.validateClaimFileForm(claimInput);
  // The web build's call is typed per op too, over its own ops.
  const webDecision: Decision = web.call('check_delivery_cover', coverInput);
  // @ts-expect-error the browser build's call knows only the ops a web form needs
  web.call('limit_state', { policy, events, asOf: '2026-03-01' });
  // @ts-expect-error the panic hook is internal: not part of the web build's API
  web.start();
  void webDecision;
  // @ts-expect-error the browser build has only the ops a web form needs
  web.peakOutstanding(peakInput);
  await initFull();
  const p: Decision = webFull.peakOutstanding(peakInput);
  return web.explain({ decision: d, lang: 'fr' }).summary + p.outcome + String(f.valid && claim.valid);
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
// @ts-expect-error a delivery cover check needs the date it is asked on
checkDeliveryCover({ ...coverInput, asOf: undefined });
// @ts-expect-error limit events are a closed set of types
limitState({ policy, events: [{ type: 'suspended', date: '2026-03-01' }], asOf: '2026-03-01' });
// @ts-expect-error perils are a closed set
checkExpertise({ claim: { peril: 'flood' } });
// @ts-expect-error payment terms are a number of days, not text
averageOutstanding({ annualSales: { amount: '1', currency: 'EUR' }, paymentTermsDays: '30' });

// The engine: its methods are typed from the core's table (guard.mjs).
const engine = new Engine(policy);
const position: number = engine.addBuyer('D-1001', input.buyer);
engine.apply('D-1001', { type: 'invoiceIssued', id: 'i1', date: '2026-03-01', reference: 'F-1',
  amount: { amount: '100', currency: 'EUR' }, paymentTermsDays: 30 });
const figures: CoverFiguresDto = engine.coverFigures('D-1001', { date: '2026-03-02',
  amount: { amount: '10', currency: 'EUR' }, paymentTermsDays: 30 }, '2026-03-02');
const engineOutcome: Outcome = engine.checkCover('D-1001', { date: '2026-03-02',
  amount: { amount: '10', currency: 'EUR' }, paymentTermsDays: 30 }, '2026-03-02').outcome;
const worklist: Decision = engine.obligations('2026-03-02');
const restored: Engine = Engine.restore(engine.snapshot());
// @ts-expect-error events are a closed set of types
engine.apply('D-1001', { type: 'invoiceLost', id: 'x', date: '2026-03-01' });
// `call` is typed per op: the op's name picks its input and output, nothing to narrow by hand.
const viaCall: Decision = call('check_insurability', input);
const viaCallOutcome: Outcome = call('check_delivery_cover', coverInput).outcome;
const reportViaCall: PolicyReport = call('validate_policy', { policy });
const formViaCall: FormReport = call('validate_claim_file_form', claimInput);
const explainedViaCall: Explanation = call('explain', { decision, lang: 'nl' });
const peakViaCall = call('peak_outstanding', peakInput);
const curveViaCall: CurvePoint[] = peakViaCall.details?.type === 'curve' ? peakViaCall.details.points : [];
const inputOfOp: OpInput<'check_delivery_cover'> = coverInput;
const outputOfOp: OpOutput<'validate_policy'> = reportViaCall;
const limitTypes: OpTypes['limit_state']['input'] = { policy, events, asOf: '2026-03-01' };
// @ts-expect-error the input of another op: check_insurability needs a buyer and a receivable
call('check_insurability', { policy });
// @ts-expect-error check_insurability returns a Decision, not a PolicyReport
const wrongOutput: PolicyReport = call('check_insurability', input);
// @ts-expect-error a form report has no outcome
void call('validate_claim_file_form', claimInput).outcome;
// @ts-expect-error a misspelled key of the op's input
call('validate_policy', { polciy: policy });
// @ts-expect-error amounts are decimal strings in call too
call('check_delivery_cover', { ...coverInput, outstanding: { amount: 45000, currency: 'EUR' } });

// DelcredereError.code is the union of the stable codes.
function codeOf(e: unknown): ErrorCode | undefined {
  if (!(e instanceof DelcredereError)) return undefined;
  const code: ErrorCode = e.code;
  // @ts-expect-error a misspelled code can never match
  if (e.code === 'invalid_amout') return undefined;
  return code;
}
const notInitialized: ErrorCode = 'not_initialized';
// @ts-expect-error not one of the codes
const badCode: ErrorCode = 'bad_amount';
// @ts-expect-error the panic hook is internal: not part of the API
node.start();

export {
  position,
  figures,
  engineOutcome,
  worklist,
  restored,
  outcome,
  viaCall,
  viaCallOutcome,
  formViaCall,
  explainedViaCall,
  curveViaCall,
  inputOfOp,
  outputOfOp,
  limitTypes,
  wrongOutput,
  codeOf,
  notInitialized,
  badCode,
  insurable,
  codes,
  amount,
  texts,
  problems,
  names,
  valid,
  inBrowser,
  badMoney,
  badLang,
  coverType,
  curve,
  newDecisions,
  laterDecisions,
  severities,
  firstCode,
  formValid,
  fileFormsValid,
  overdueReport,
};
