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

// coverFigures' fast path (guard.mjs: a plain delivery read in JS, one call into the engine,
// the answer unpacked in JS) against the general way, method cover_figures by name: the same
// answer, key order included, or the same error, on seeded random deliveries of plain shape
// and unusual values, and on shapes the fast path leaves to the general read.
test('coverFigures answers as method cover_figures on random deliveries', () => {
  const e = engine();
  // No limit (no cover), and an invoice unpaid long after its due date (OVD-2, OVD-3).
  assert.equal(e.addBuyer('D-2002', BUYER), 1);
  assert.equal(e.addBuyer('D-3003 Müller', BUYER), 2);
  for (const ev of EVENTS.slice(0, 2)) assert.equal(e.apply('D-3003 Müller', ev), null);
  assert.equal(e.apply('D-3003 Müller', { type: 'invoiceIssued', id: 'o1', date: '2026-02-10', reference: 'F-1',
    amount: eur('1000.5'), paymentTermsDays: 30 }), null);
  let seed = 20261205; // mulberry32
  const random = (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = (xs) => xs[random(xs.length)];
  const digits = (n) => Array.from({ length: n }, () => random(10)).join('');
  // Mostly usual values, sometimes unusual ones.
  const usual = (xs, unusual) => (random(4) === 0 ? pick(unusual) : pick(xs));
  const amounts = () => pick([
    () => `${digits(1 + random(6))}.${digits(random(4))}`, () => digits(1 + random(7)), () => `${digits(random(3))}.${digits(1 + random(3))}`,
    () => `${digits(1 + random(6))}.${digits(random(4))}`, () => digits(1 + random(7)), () => `${digits(random(3))}.${digits(1 + random(3))}`,
    () => pick(['1e3', '1E4', '-0', '0', '0.00', '-5', '+5', ' 10', '10 ', '10.', '.5', '1_000', '1,5', '', 'NaN', 'Infinity', '0x10', '٣']),
    () => pick(['79228162514459439543950335', '7922816251426433759354395033.5', '99999999999999999999999999999',
      '0.0000000000000000000000000001', '0.00000000000000000000000000001', `${'0'.repeat(2000)}1`, `1.${'0'.repeat(2000)}`]),
    () => `10\n${pick(['EUR', '2026-03-02'])}`,
  ])();
  const dates = () => (random(6) === 0 ? pick(['2026-02-30', '2025-12-31', '26-03-02', '2026-3-2', '', '2026-03-02\n2026-03-02',
    '2026-03-02T00:00:00Z']) : `2026-0${1 + random(9)}-${10 + random(19)}`);
  const delivery = () => {
    const d = {
      amount: random(20) === 0 ? pick([10000, 10.5, null, '10', [], { amount: '10' }])
        : { amount: amounts(), currency: usual(['EUR'], ['USD', 'eur', 'EU\nR', 'ABC']) },
      date: random(10) === 0 ? pick([null, 20260302, new Date(0)]) : dates(),
      paymentTermsDays: usual([0, 30, 60, 90, 120], [121, 180, -1, -0, 1.5, 2 ** 32, 2 ** 32 - 1, NaN, Infinity, '60', 60n]),
    };
    if (random(3) === 0) d.endOfMonth = usual([true, false], ['yes', 1, null, undefined]);
    if (random(15) === 0) delete d[pick(['amount', 'date', 'paymentTermsDays'])];
    if (random(15) === 0) d.kind = pick(['goods', 'services']);
    return d;
  };
  const outcome = (f) => {
    try {
      return ['ok', JSON.stringify(f())];
    } catch (err) {
      assert.ok(err instanceof DelcredereError, String(err));
      return [err.code, err.field];
    }
  };
  const kinds = {};
  for (let i = 0; i < 3000; i++) {
    const buyer = pick(['D-1001', 'D-1001', 'D-2002', 'D-3003 Müller', 'D-9', 'D-1001\n']);
    const d = delivery();
    const asOf = random(8) === 0 ? dates() : `2026-${pick(['03', '06', '09', '12'])}-0${1 + random(9)}`;
    const fast = outcome(() => e.coverFigures(buyer, d, asOf));
    const slow = outcome(() => e.call('cover_figures', { buyer, delivery: d, asOf }));
    assert.deepEqual(fast, slow, JSON.stringify({ buyer, d, asOf }, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
    const kind = fast[0] === 'ok' ? JSON.parse(fast[1]).coverType + (JSON.parse(fast[1]).excludedByOverdue ? '+excluded' : '') : fast[0];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  // The run reached answers of every kind and the usual errors.
  for (const kind of ['namedLimit', 'none', 'namedLimit+excluded', 'invalid_amount', 'unknown_buyer', 'invalid_date']) {
    assert.ok(kinds[kind] > 10, `${kind}: ${JSON.stringify(kinds)}`);
  }
});

test('coverFigures reads getters and proxies as the general read does', () => {
  const e = engine();
  // The class's own coverFigures (wasm-bindgen's, under guard.mjs's): the general read, as
  // before the fast path (its errors name the argument, where call's name the input).
  const own = Object.getPrototypeOf(Engine.prototype).coverFigures;
  const general = (delivery) => JSON.stringify(own.call(e, 'D-1001', delivery, '2026-03-02'));
  const fast = (delivery) => JSON.stringify(e.coverFigures('D-1001', delivery, '2026-03-02'));
  const reads = [];
  const logged = (o) => new Proxy(o, { get: (t, k, r) => { reads.push(k); return Reflect.get(t, k, r); } });
  const deliveries = [
    { get amount() { return eur('1000.50'); }, date: '2026-03-02', paymentTermsDays: 60 },
    { ...DELIVERY, amount: { get amount() { return '1000.50'; }, currency: 'EUR' } },
    logged({ ...DELIVERY, amount: logged(eur('1000.50')), endOfMonth: true }),
    Object.defineProperty({ ...DELIVERY }, 'color', { value: 'red', enumerable: false }),
    Object.defineProperty({ date: '2026-03-02', paymentTermsDays: 60, color: 'red' }, 'amount', { value: eur('1'), enumerable: false }),
    Object.assign(Object.create({ endOfMonth: 'yes' }), DELIVERY),
    { ...DELIVERY, amount: Object.assign(Object.create({ [Symbol.iterator]: null }), eur('10')) },
    { ...DELIVERY, [Symbol('s')]: 1 },
  ];
  for (const d of deliveries) {
    let slow;
    try { slow = general(d); } catch (err) { slow = [err.code, err.field]; }
    let got;
    try { got = fast(d); } catch (err) { got = [err.code, err.field]; }
    assert.deepEqual(got, slow);
  }
  // The proxy's properties were read by the fast path: no more than the general read's.
  assert.ok(reads.includes('amount') && reads.includes('currency'));
  // A getter that throws: the general read meets it again, and its error is what leaves.
  const boom = { ...DELIVERY, get date() { throw new TypeError('boom'); } };
  assert.throws(() => e.coverFigures('D-1001', boom, '2026-03-02'), /boom/);
});

test('coverFigures\' fast path is internal', () => {
  const e = engine();
  assert.ok(!Object.getOwnPropertyNames(Engine.prototype).includes('__coverFiguresParts'));
  const raw = Object.getPrototypeOf(Engine.prototype).__coverFiguresParts;
  // The parts of a plain delivery, packed as guard.mjs packs them: answered in one string.
  assert.equal(raw.call(e, 'D-1001', '10000\nEUR\n2026-03-02\n2026-03-02', 60, false),
    '5000 EUR 5000 EUR 50000 EUR namedLimit 0');
  // Anything else, and every error, is undefined: the general way answers.
  for (const [buyer, parts, terms] of [['D-9', '10000\nEUR\n2026-03-02\n2026-03-02', 60],
    ['D-1001', '10000\nEUR\n2026-03-02', 60], ['D-1001', '10000\nEUR\n2026-03-02\n2026-03-02\n', 60],
    ['D-1001', '10000\nEUR\n2026-03-02\n2026-03-02', 60.5], ['D-1001', '10000\nEUR\n2026-03-02\n2026-03-02', -1],
    ['D-1001', `${'0'.repeat(2000)}1\nEUR\n2026-03-02\n2026-03-02`, 60]]) {
    assert.equal(raw.call(e, buyer, parts, terms, false), undefined, parts);
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
