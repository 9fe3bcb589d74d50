// No panic across the boundary (issue #13): a panic inside the engine is a DelcredereError with
// code `internal` naming what panicked, never a WebAssembly trap, and the package keeps working.
// Run on the test-only builds of `build.sh --test-panic` (the core's `__panic` op and the
// binding's `__abort`, feature test-panic), node and web targets; the package itself has
// neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const node = require('../pkg-test-panic-node/delcredere_wasm.js');
const web = await import('../pkg-test-panic-web/delcredere_wasm.js');
await web.default({ module_or_path: readFileSync(new URL('../pkg-test-panic-web/delcredere_wasm_bg.wasm', import.meta.url)) });

/** Calls `fn` and returns what it threw, failing when it returned. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

function assertInternal(e, pkg) {
  assert.ok(e instanceof Error, `an Error, not ${e}`);
  assert.ok(e instanceof pkg.DelcredereError, 'an instance of the package\'s DelcredereError');
  assert.ok(!(e instanceof WebAssembly.RuntimeError), 'not a trap');
  assert.equal(e.name, 'DelcredereError');
  assert.equal(e.code, 'internal', e.message);
  assert.equal(e.field, '');
  assert.match(e.message, /^internal error: /);
}

/** A normal call after the failure: the engine answers as before. */
function assertWorks(pkg) {
  assert.equal(pkg.explain({ decision: { outcome: 'insurable', reasons: [] }, lang: 'de' }).summary, 'Versicherbar.');
  const e = thrown(() => pkg.explain({ decision: { outcome: 'insurable', reasons: [] }, lang: 'es' }));
  assert.equal(e.code, 'unknown_language');
}

for (const [target, pkg] of [['node', node], ['web', web]]) {
  test(`${target}: a panic in the core is an internal error with the panic's message and place`, () => {
    assertWorks(pkg);
    const e = thrown(() => pkg.call('__panic', {}));
    assertInternal(e, pkg);
    assert.match(e.message, /deliberate panic for tests \(panicked at core\/src\/ffi\.rs:\d+:\d+\)$/);
    assertWorks(pkg);
  });

  test(`${target}: the package keeps working through repeated panics`, () => {
    for (let i = 0; i < 5; i++) {
      assertInternal(thrown(() => pkg.call('__panic', {})), pkg);
      assert.equal(pkg.validatePolicy({ policy: { currency: 'EUR' } }).valid, false);
    }
    assertWorks(pkg);
  });

  test(`${target}: a trap (an abort inside the engine) is an internal error too, the instance is replaced`, () => {
    const e = thrown(() => pkg.__abort());
    assertInternal(e, pkg);
    assert.ok(e.cause instanceof WebAssembly.RuntimeError, `cause: ${e.cause}`);
    assert.equal(e.message, `internal error: RuntimeError: ${e.cause.message}`);
    assertWorks(pkg);
  });
}

test('the package has neither the test-only op nor the abort', async () => {
  const shipped = require('../pkg-node/delcredere_wasm.js');
  assert.equal(shipped.__abort, undefined);
  assert.ok(!shipped.ops().includes('__panic'));
  assert.equal(thrown(() => shipped.call('__panic', {})).code, 'unknown_op');
  for (const build of ['pkg-web', 'pkg-web-full']) {
    const shippedWeb = await import(`../${build}/delcredere_wasm.js`);
    assert.equal(shippedWeb.__abort, undefined, build);
  }
  for (const build of ['pkg-node', 'pkg-web', 'pkg-web-full']) {
    const wasm = readFileSync(new URL(`../${build}/delcredere_wasm_bg.wasm`, import.meta.url));
    assert.equal(wasm.indexOf('deliberate panic'), -1, `${build} carries the test-only op`);
  }
});

for (const [target, pkg] of [['node', node], ['web', web]]) {
  test(`${target}: an engine made before the instance was reset is lost (internal), its snapshot restores it`, () => {
    const eur = (amount) => ({ amount, currency: 'EUR' });
    const engine = new pkg.Engine({ currency: 'EUR', insuranceYear: { start: '2026-01-01' }, agreedCountries: ['DE'],
      maxCreditPeriodDays: 120, maxExtensionPeriodDays: 60, waitingPeriodDays: 180, indemnityPercentage: '90',
      maximumLiability: eur('1000000'), premium: { basis: 'fixed', fixedAmount: eur('5000') } });
    engine.addBuyer('D-1', { legalName: 'M GmbH', legalForm: 'GmbH', country: 'DE', entityKind: 'company' });
    const text = engine.snapshot();
    assertInternal(thrown(() => pkg.call('__panic', {})), pkg);
    const lost = thrown(() => engine.snapshot());
    assertInternal(lost, pkg);
    assert.match(lost.message, /restore it from a snapshot/);
    assert.equal(pkg.Engine.restore(text).snapshot(), text);
  });
}
