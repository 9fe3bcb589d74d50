// One way to start in every runtime (issue #25): `import init from 'delcredere'; await init();`
// runs in Node as in a browser (a no-op in the node build); the web build used before `init()`
// throws a DelcredereError that says to call it; in the web (form) build an op of
// `delcredere/full` says to import that. The package is imported by its own name, as a user
// imports it (package.json "exports", conditions "node" and "import").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { policy as fixturePolicy } from './fixtures.mjs';

import init, { initSync, checkInsurability, call, ops, DelcredereError } from 'delcredere';
import initFull, { limitState } from 'delcredere/full';

const require = createRequire(import.meta.url);

const policy = fixturePolicy();
const input = {
  policy,
  buyer: { legalName: 'Müller Maschinenbau GmbH', legalForm: 'GmbH', registrationNumber: 'HRB 12345', country: 'DE', entityKind: 'company' },
  receivable: { kind: 'goods', paymentTermsDays: 60 },
};

/** Calls `fn` and returns what it threw, failing when it returned. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return assert.fail('expected a throw');
}

const wasmOf = (build) => readFileSync(new URL(`../${build}/delcredere_wasm_bg.wasm`, import.meta.url));

test("node: import init from 'delcredere'; await init() is a no-op and the functions answer", async () => {
  assert.equal(typeof init, 'function');
  assert.equal(await init(), undefined);
  assert.equal(initSync(), undefined);
  assert.equal(await initFull(), undefined);
  assert.equal(checkInsurability(input).outcome, 'insurable');
  assert.equal(call('check_insurability', input).outcome, 'insurable');
  assert.ok(ops().includes('limit_state'));
  assert.equal(typeof limitState, 'function');
});

test("node: import and require give the same functions (one instance), require's .default is init too", () => {
  const required = require('delcredere');
  assert.equal(required.checkInsurability, checkInsurability);
  assert.equal(required.DelcredereError, DelcredereError);
  assert.equal(required.default, init);
  assert.equal(required.start, undefined, 'the panic hook is not exported');
  const e = thrown(() => checkInsurability({ ...input, policy: { ...policy, currency: 'EURO' } }));
  assert.ok(e instanceof DelcredereError);
});

test('web build before init(): a DelcredereError not_initialized that says to call init()', async () => {
  // A module record of its own (the query), so that no other test has initialised it.
  const web = await import('../pkg-web/delcredere_wasm.js?before-init');
  for (const f of [() => web.checkInsurability(input), () => web.ops(), () => web.call('explain', {})]) {
    const e = thrown(f);
    assert.ok(e instanceof web.DelcredereError, String(e));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'DelcredereError');
    assert.equal(e.code, 'not_initialized');
    assert.equal(e.field, '');
    assert.match(e.message, /call `await init\(\)` \(the default export of 'delcredere'\) once before any other function/);
  }
  assert.match(thrown(() => web.checkInsurability(input)).message, /^checkInsurability: /);
  assert.equal(web.start, undefined, 'the panic hook is not exported');
  await web.default({ module_or_path: wasmOf('pkg-web') });
  assert.equal(web.checkInsurability(input).outcome, 'insurable');
});

test('web build: initSync() readies it too', async () => {
  const web = await import('../pkg-web-full/delcredere_wasm.js?init-sync');
  assert.equal(thrown(() => web.ops()).code, 'not_initialized');
  web.initSync({ module: wasmOf('pkg-web-full') });
  assert.ok(web.ops().includes('limit_state'));
});

test("web (form) build: an op of 'delcredere/full' says to import that, an unknown op is unknown", async () => {
  const web = await import('../pkg-web/delcredere_wasm.js?full-ops');
  await web.default({ module_or_path: wasmOf('pkg-web') });
  const e = thrown(() => web.call('limit_state', { policy, events: [], asOf: '2026-03-01' }));
  assert.ok(e instanceof web.DelcredereError);
  assert.equal(e.code, 'unknown_op');
  assert.equal(e.field, 'op');
  assert.equal(
    e.message,
    "op: operation 'limit_state' is not in this build of 'delcredere' (the web build has the form ops only): import it from 'delcredere/full'",
  );
  const unknown = thrown(() => web.call('frobnicate', {}));
  assert.equal(unknown.code, 'unknown_op');
  assert.doesNotMatch(unknown.message, /delcredere\/full/);
  // The full build has it.
  const full = await import('../pkg-web-full/delcredere_wasm.js?full-ops');
  await full.default({ module_or_path: wasmOf('pkg-web-full') });
  assert.equal(full.call('limit_state', { policy, events: [], asOf: '2026-03-01' }).outcome, 'no_limit');
});
