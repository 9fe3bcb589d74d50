// The engine class (spec/engine.md) in the node build: its methods come from the core's table
// (engineMethods()), arguments are plain JS values, answers are those of the stateless ops on
// the same history, bad input throws DelcredereError with the core's code and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const delcredere = require('../pkg-node/delcredere_wasm.js');
const { Engine, DelcredereError } = delcredere;

const eur = (amount) => ({ amount, currency: 'EUR' });
const POLICY = {
  currency: 'EUR', insuranceYear: { start: '2026-01-01' }, agreedCountries: ['DE'],
  maxCreditPeriodDays: 120, maxExtensionPeriodDays: 60, waitingPeriodDays: 180, indemnityPercentage: '90',
  maximumLiability: eur('1000000'), premium: { basis: 'fixed', fixedAmount: eur('5000') },
};
const BUYER = { legalName: 'Müller GmbH', legalForm: 'GmbH', country: 'DE', entityKind: 'company' };
const EVENTS = [
  { type: 'limitApplied', id: 'l1', date: '2026-02-01', requestedAmount: eur('50000'), paymentTermsDays: 60 },
  { type: 'limitGranted', id: 'l2', date: '2026-02-05', amount: eur('50000') },
  { type: 'invoiceIssued', id: 'i1', date: '2026-03-01', reference: 'F-1001', amount: eur('45000'), paymentTermsDays: 60 },
];
const DELIVERY = { date: '2026-03-02', amount: eur('10000'), paymentTermsDays: 60 };

function engine() {
  const e = new Engine(POLICY);
  assert.equal(e.addBuyer('D-1001', BUYER), 0);
  for (const ev of EVENTS) assert.equal(e.apply('D-1001', ev), null);
  return e;
}

function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error);
    return [e.code, e.field];
  }
  assert.fail('expected an error');
}

test('every method of the core table is a method of Engine', () => {
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const methods = delcredere.engineMethods();
  assert.ok(methods.length >= 10);
  for (const m of methods) assert.equal(typeof Engine.prototype[camel(m.name)], 'function', m.name);
});

test('cover figures and the explained decision', () => {
  const e = engine();
  // 45,000 owed under a 50,000 limit: 5,000 of the 10,000 delivery is covered (LIM-1).
  const figures = e.coverFigures('D-1001', DELIVERY, '2026-03-02');
  assert.deepEqual(figures, { covered: eur('5000'), uncovered: eur('5000'), coverType: 'namedLimit',
    limit: eur('50000'), excludedByOverdue: false });
  assert.deepEqual(e.call('cover_figures', { buyer: 'D-1001', delivery: DELIVERY, asOf: '2026-03-02' }), figures);
  const d = e.checkCover('D-1001', DELIVERY, '2026-03-02');
  assert.equal(d.outcome, 'partly_covered');
  assert.deepEqual(d.amounts.coveredAmount, eur('5000.00'));
});

test('states are the stateless ops answers', () => {
  const e = engine();
  assert.deepEqual(e.accountState('D-1001', '2026-06-30'),
    delcredere.accountState({ policy: POLICY, buyer: BUYER, events: EVENTS, asOf: '2026-06-30' }));
  assert.deepEqual(e.obligations('2026-06-30', 'de'),
    delcredere.obligations({ policy: POLICY, accounts: [{ buyer: BUYER, events: EVENTS }], asOf: '2026-06-30', lang: 'de' }));
  assert.deepEqual(e.obligations('2026-06-30'),
    delcredere.obligations({ policy: POLICY, accounts: [{ buyer: BUYER, events: EVENTS }], asOf: '2026-06-30' }));
  assert.deepEqual(e.outstanding('D-1001', '2026-03-02'), eur('45000'));
  assert.deepEqual(e.buyerKeys(), ['D-1001']);
  assert.deepEqual(e.events('D-1001').map((ev) => ev.id), ['l1', 'l2', 'i1']);
  assert.equal(e.buyerCount, 1);
  assert.equal(e.applyAll([{ buyer: 'D-1001', event: { ...EVENTS[2], id: 'i2', reference: 'F-2' } }]), 1);
});

test('snapshot, restore and load', () => {
  const e = engine();
  const text = e.snapshot();
  const again = Engine.restore(text);
  assert.ok(again instanceof Engine);
  assert.equal(again.snapshot(), text);
  const loaded = Engine.load({ policy: POLICY, buyers: [{ id: 'D-1001', buyer: BUYER, events: EVENTS }] });
  assert.equal(loaded.snapshot(), text);
});

test('coverFigures answers as method cover_figures, plain delivery or not', () => {
  const e = engine();
  const general = (delivery, asOf) => e.call('cover_figures', { buyer: 'D-1001', delivery, asOf });
  // Read by the fast path (a plain object of the usual keys) and by the general read (anything
  // else): the same answer, key order included.
  const deliveries = [
    DELIVERY,
    { ...DELIVERY, endOfMonth: false },
    { ...DELIVERY, amount: eur('1000.50') },
    { ...DELIVERY, amount: eur('10000.000') },
    { ...DELIVERY, amount: { amount: 10000, currency: 'EUR' } },
    { ...DELIVERY, kind: 'goods' },
    Object.assign(Object.create({ inherited: 1 }), DELIVERY),
  ];
  for (const d of deliveries) {
    const got = e.coverFigures('D-1001', d, '2026-03-02');
    assert.equal(JSON.stringify(got), JSON.stringify(general(d, '2026-03-02')), JSON.stringify(d));
  }
  // 1,000.50 is within the 5,000 left under the limit: covered in full, to the cent (LIM-1).
  assert.deepEqual(e.coverFigures('D-1001', { ...DELIVERY, amount: eur('1000.50') }, '2026-03-02').covered, eur('1000.50'));
  // What the fast path does not take, and every error, is the general read's.
  const errors = [
    [{ ...DELIVERY, color: 'red' }, '2026-03-02', ['unknown_field', 'delivery.color']],
    [{ ...DELIVERY, endOfMonth: undefined }, '2026-03-02', null],
    [{ ...DELIVERY, paymentTermsDays: 60.5 }, '2026-03-02', null],
    [{ ...DELIVERY, amount: eur('1E4') }, '2026-03-02', null],
    [{ ...DELIVERY, amount: { amount: '10', currency: 'USD' } }, '2026-03-02', null],
    [DELIVERY, '2026-02-30', ['invalid_date', 'asOf']],
  ];
  for (const [d, asOf, expected] of errors) {
    let fast;
    let slow;
    try { fast = ['ok', JSON.stringify(e.coverFigures('D-1001', d, asOf))]; } catch (err) { fast = [err.code, err.field]; }
    try { slow = ['ok', JSON.stringify(general(d, asOf))]; } catch (err) { slow = [err.code, err.field]; }
    assert.deepEqual(fast, slow, JSON.stringify(d));
    if (expected) assert.deepEqual(fast, expected);
  }
});

test('bad input throws DelcredereError with the core code and field', () => {
  const e = engine();
  assert.deepEqual(thrown(() => e.coverFigures('X-9', DELIVERY, '2026-03-02')), ['unknown_buyer', 'buyer']);
  assert.deepEqual(thrown(() => e.apply('X-9', EVENTS[0])), ['unknown_buyer', 'buyer']);
  assert.deepEqual(thrown(() => e.setPolicy({ ...POLICY, waitingPeriodDays: 90 })), ['policy_already_set', 'policy']);
  assert.deepEqual(thrown(() => e.limitState('D-1001', '2025-12-31')), ['date_order', 'asOf']);
  assert.deepEqual(thrown(() => e.coverFigures('D-1001', { ...DELIVERY, amount: { amount: 10000.5, currency: 'EUR' } }, '2026-03-02')),
    ['invalid_amount', 'delivery.amount.amount']);
  // The unknown key itself, as every op names it (the core's reader of errors).
  assert.deepEqual(thrown(() => e.apply('D-1001', { ...EVENTS[0], color: 'red' })), ['unknown_field', 'event.color']);
  assert.deepEqual(thrown(() => e.call('drop_all', {})), ['unknown_op', 'op']);
  const text = e.snapshot();
  assert.equal(thrown(() => Engine.restore(text.slice(0, text.length / 2)))[0], 'invalid_json');
  assert.deepEqual(thrown(() => Engine.restore(text.replace('"formatVersion":1', '"formatVersion":2'))),
    ['unsupported_snapshot', 'formatVersion']);
  assert.equal(thrown(() => new Engine({ ...POLICY, currency: 'XXX' }))[0], 'invalid_policy');
  try {
    e.apply('X-9', EVENTS[0]);
  } catch (err) {
    assert.ok(err instanceof DelcredereError);
  }
  // A failed event changes nothing.
  assert.equal(thrown(() => e.apply('D-1001', { ...EVENTS[2], amount: eur('1') }))[0], 'invalid_event');
  assert.equal(e.snapshot(), engine().snapshot());
});

// The arguments are read within the limits of every op's input (core/src/ffi.rs: MAX_DEPTH 128
// levels, MAX_INPUT_BYTES 16 MiB, counted as for a JSON value), the read stopped at the first
// level or byte past them (ffi::value_within_limits): a typed error naming the argument, never
// a stack overflow (which would reset the module and lose every engine), and the engine keeps
// its state.
test('an argument nested past 128 levels or over 16 MiB is a typed error; the engine keeps its state', () => {
  const e = engine();
  const before = e.snapshot();
  const nested = (levels) => {
    let v = '2026-03-01';
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };
  const caught = (f) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof DelcredereError, String(err));
      return err;
    }
    assert.fail('expected an error');
  };
  // The input object, then 127 levels of arrays: read whole, refused for its type.
  assert.deepEqual(thrown(() => e.call('account_state', { buyer: 'D-1001', asOf: nested(127) })), ['invalid_type', 'asOf']);
  // One level more, or 10,000: invalid_json on the input, read no deeper.
  for (const levels of [128, 10_000]) {
    const err = caught(() => e.call('account_state', { buyer: 'D-1001', asOf: nested(levels) }));
    assert.deepEqual([err.code, err.field], ['invalid_json', 'input']);
    assert.match(err.message, /nesting deeper than 128 levels/);
  }
  assert.deepEqual(thrown(() => e.accountState('D-1001', nested(10_000))), ['invalid_json', 'input']);
  assert.deepEqual(thrown(() => e.coverFigures('D-1001', nested(10_000), '2026-03-02')), ['invalid_json', 'delivery']);
  assert.deepEqual(thrown(() => new Engine(nested(10_000))), ['invalid_json', 'policy']);
  assert.deepEqual(thrown(() => Engine.load({ policy: POLICY, buyers: nested(10_000) })), ['invalid_json', 'setup']);
  // Bytes: 10 MB is under the limit (the key is read, and unknown); 16 MiB more is not.
  assert.deepEqual(thrown(() => e.call('account_state', { buyer: 'x'.repeat(10_000_000), asOf: '2026-03-01' })),
    ['unknown_buyer', 'buyer']);
  const err = caught(() => e.call('account_state', { buyer: 'x'.repeat(16 * 1024 * 1024), asOf: '2026-03-01' }));
  assert.deepEqual([err.code, err.field], ['out_of_range', 'input']);
  assert.match(err.message, /at most 16777216 bytes/);
  assert.deepEqual(thrown(() => Engine.load({ policy: POLICY, buyers: [{ id: 'x'.repeat(16 * 1024 * 1024), buyer: BUYER }] })),
    ['out_of_range', 'setup']);
  assert.equal(e.snapshot(), before);
  assert.equal(e.checkCover('D-1001', DELIVERY, '2026-03-02').outcome, 'partly_covered');
});

// The engine's bad-input catalogue (spec/engine/bad-input.json), run by the Rust and Python
// runners too: each case makes an engine (`policy`, `setup` or `snapshot`), runs its calls by
// method name, and the first failure must be the case's error, code and field.
const BAD_INPUT = JSON.parse(readFileSync(new URL('../../spec/engine/bad-input.json', import.meta.url), 'utf8'));

test('the engine bad-input catalogue has the engine\'s own codes', () => {
  const codes = new Set(BAD_INPUT.map((c) => c.error.code));
  for (const code of ['unknown_buyer', 'duplicate_buyer', 'policy_already_set', 'unsupported_snapshot', 'unknown_op']) {
    assert.ok(codes.has(code), code);
  }
});

for (const c of BAD_INPUT) {
  test(`engine bad input: ${c.id}`, () => {
    const run = () => {
      const start = c.engine;
      const e = 'policy' in start
        ? new Engine(start.policy)
        : 'setup' in start ? Engine.load(start.setup) : Engine.restore(start.snapshot);
      for (const call of c.calls) e.call(call.method, call.input);
    };
    assert.deepEqual(thrown(run), [c.error.code, c.error.field]);
  });
}
