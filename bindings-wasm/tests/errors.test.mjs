// Bad input is thrown as a real JS Error carrying the core's stable code, field path and,
// for an invalid policy, every problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { policy } from './fixtures.mjs';

const require = createRequire(import.meta.url);
const delcredere = require('../pkg-node/delcredere_wasm.js');

const buyer = () => ({
  legalName: 'Müller Maschinenbau GmbH',
  legalForm: 'GmbH',
  registrationNumber: 'HRB 12345',
  country: 'DE',
  entityKind: 'company',
});
const receivable = () => ({ kind: 'goods', paymentTermsDays: 60 });

/** Calls `fn` and returns what it threw, failing when it returned. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

function assertDelcredereError(e, code, field) {
  assert.ok(e instanceof Error, 'is an Error');
  assert.ok(e instanceof delcredere.DelcredereError, 'is the package\'s Error subclass');
  assert.equal(e.name, 'DelcredereError');
  assert.equal(e.code, code, e.message);
  if (field !== undefined) assert.equal(e.field, field, e.message);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
  assert.equal(typeof e.stack, 'string', 'has a stack like any Error');
}

test('a valid call returns plain objects with amounts as strings', () => {
  const d = delcredere.checkInsurability({
    policy: policy(),
    buyer: buyer(),
    receivable: { ...receivable(), amount: { amount: '1250.5', currency: 'EUR' } },
  });
  assert.equal(d.outcome, 'insurable');
  assert.deepEqual(Object.getPrototypeOf(d), Object.prototype);
  const e = delcredere.explain({ decision: d, lang: 'de' });
  assert.equal(e.summary, 'Versicherbar.');
  assert.deepEqual(delcredere.validatePolicy({ policy: policy() }), { valid: true, problems: [] });
});

test('an unknown field is unknown_field at its own path, with the keys allowed there and the nearest one', () => {
  const e = thrown(() => delcredere.checkInsurability({ policy: policy(), buyer: { ...buyer(), vatNo: 'DE1' }, receivable: receivable() }));
  assertDelcredereError(e, 'unknown_field', 'buyer.vatNo');
  assert.equal(
    e.message,
    "buyer.vatNo: unknown field 'vatNo', expected one of legalName, legalForm, registrationNumber, vatNumber, country, "
      + "entityKind, insuredHoldsMajority, excludedByName (did you mean 'vatNumber'?)",
  );
});

test('a JS number where an amount string is expected is invalid_amount', () => {
  const p = policy();
  p.maximumLiability.amount = 2000000.5;
  const e = thrown(() => delcredere.validatePolicy({ policy: p }));
  assertDelcredereError(e, 'invalid_amount', 'policy.maximumLiability.amount');
  assert.equal(
    e.message,
    'policy.maximumLiability.amount: a number (2000000.5) is not an amount: give a decimal string such as "2000000.5"',
  );
  // A float that is not exact in binary is refused too, never rounded.
  const r = { ...receivable(), amount: { amount: 0.1 + 0.2, currency: 'EUR' } };
  assertDelcredereError(
    thrown(() => delcredere.checkInsurability({ policy: policy(), buyer: buyer(), receivable: r })),
    'invalid_amount',
    'receivable.amount.amount',
  );
});

test('a bad currency is unknown_currency', () => {
  const r = { ...receivable(), amount: { amount: '100', currency: 'EUX' } };
  const e = thrown(() => delcredere.checkInsurability({ policy: policy(), buyer: buyer(), receivable: r }));
  assertDelcredereError(e, 'unknown_currency', 'receivable.amount.currency');
});

test('an invalid policy throws invalid_policy with every problem', () => {
  const p = { ...policy(), currency: 'EUX', indemnityPercentage: '120' };
  delete p.waitingPeriodDays;
  const e = thrown(() => delcredere.checkInsurability({ policy: p, buyer: buyer(), receivable: receivable() }));
  assertDelcredereError(e, 'invalid_policy', 'policy');
  assert.ok(Array.isArray(e.problems));
  const codes = e.problems.map((pr) => `${pr.code}@${pr.field}`);
  assert.ok(codes.includes('unknown_currency@currency'), codes.join(', '));
  assert.ok(codes.includes('out_of_range@indemnityPercentage'), codes.join(', '));
  assert.ok(codes.includes('missing_field@waitingPeriodDays'), codes.join(', '));
  for (const pr of e.problems) assert.equal(typeof pr.message, 'string');
  // validatePolicy reports the same problems as data instead of throwing.
  const report = delcredere.validatePolicy({ policy: p });
  assert.equal(report.valid, false);
  assert.deepEqual(report.problems, e.problems);
});

test('errors other than invalid_policy have no problems property', () => {
  const e = thrown(() => delcredere.explain({ decision: { outcome: 'insurable', reasons: [] }, lang: 'es' }));
  assertDelcredereError(e, 'unknown_language', 'lang');
  assert.equal(e.problems, undefined);
});

test('an unknown op is unknown_op', () => {
  assertDelcredereError(thrown(() => delcredere.call('frobnicate', {})), 'unknown_op', 'op');
});

test('input that is not an object is an error, not a crash', () => {
  for (const input of [undefined, null, 42, 'text', []]) {
    const e = thrown(() => delcredere.validatePolicy(input));
    assert.ok(e instanceof Error);
    assert.equal(typeof e.code, 'string');
  }
  assertDelcredereError(thrown(() => delcredere.validatePolicy({ policy: 10n })), 'invalid_json');
  const cyclic = { policy: policy() };
  cyclic.policy.self = cyclic;
  assertDelcredereError(thrown(() => delcredere.validatePolicy(cyclic)), 'invalid_json');
});

test('the module keeps working after many errors', () => {
  for (let i = 0; i < 2000; i++) {
    thrown(() => delcredere.validatePolicy({ policy: { ...policy(), bogus: i } }));
  }
  assert.equal(delcredere.validatePolicy({ policy: policy() }).valid, true);
});

// Bad input past the documented limits (issue #13; core/src/ffi.rs: MAX_INPUT_BYTES 16 MiB of
// JSON text, MAX_DEPTH 128 levels; the same cases as core/tests/bad_input.rs and the Python
// tests): each is a typed error, never a crash, and the module keeps working.
const insurable = () => ({ outcome: 'insurable', reasons: [] });

test('a 10 MB string is under the size limit: it fails on its field, the message does not echo it', () => {
  const e = thrown(() => delcredere.explain({ decision: insurable(), lang: 'x'.repeat(10_000_000) }));
  assertDelcredereError(e, 'unknown_language', 'lang');
  assert.ok(e.message.length < 200, `message of ${e.message.length} characters`);
});

test('an input over 16 MiB of JSON is out_of_range on the whole input', () => {
  const e = thrown(() => delcredere.explain({ decision: insurable(), lang: 'x'.repeat(16 * 1024 * 1024 + 1) }));
  assertDelcredereError(e, 'out_of_range', 'input');
  assert.match(e.message, /at most 16777216 bytes/);
});

test('nesting 10,000 deep is invalid_json: JSON.stringify gives up before the engine', () => {
  let deep = null;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const e = thrown(() => delcredere.validatePolicy({ policy: deep }));
  assertDelcredereError(e, 'invalid_json', 'input');
  assert.match(e.message, /Maximum call stack size exceeded/);
  assert.equal(delcredere.validatePolicy({ policy: policy() }).valid, true);
});

test('nesting past the engine\'s 128 levels is invalid_json where the JSON is read whole', () => {
  let deep = null;
  for (let i = 0; i < 200; i++) deep = [deep];
  // A decision's details are read whole before their type is looked at: the depth limit is
  // what stops them.
  const decision = { outcome: 'insurable', reasons: [], details: { type: 'curve', points: deep } };
  const e = thrown(() => delcredere.explain({ decision, lang: 'en' }));
  assertDelcredereError(e, 'invalid_json');
  assert.match(e.message, /recursion limit exceeded/);
  // Where an object is expected (the Python test's case), the first wrong type stops it first.
  assertDelcredereError(thrown(() => delcredere.validatePolicy({ policy: deep })), 'invalid_type');
});
