// The hand-written parts of the TypeScript declarations (the `Op` union, `OpTypes` and the
// per-op `call`, DelcredereError and its `ErrorCode` union) must stay in step with the core; the
// DTO types themselves are generated (tsify). What tsc must accept and refuse with them is in
// tests/types-usage.ts and tests/types-usage-node.mts (test.sh runs tsc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const delcredere = require('../pkg-node/delcredere_wasm.js');

// The ops of the browser build pkg-web/ (the core's `ffi::FORM_OPS`); the others have all.
const FORM_OPS = [
  'check_delivery_cover', 'check_insurability', 'explain', 'validate_claim_file_form',
  'validate_collection_file_form', 'validate_limit_application', 'validate_overdue_report_form',
  'validate_policy', 'validate_turnover_declaration_form',
];

for (const build of ['pkg-node', 'pkg-web-full', 'pkg-web']) {
  const dts = readFileSync(new URL(`../${build}/delcredere_wasm.d.ts`, import.meta.url), 'utf8');

  test(`${build}: the Op type lists exactly the build's ops`, () => {
    const m = dts.match(/export type Op = ([^;]+);/);
    assert.ok(m, 'no Op type in the declarations');
    const declared = [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]).sort();
    assert.deepEqual(declared, build === 'pkg-web' ? FORM_OPS : [...delcredere.ops()].sort());
  });

  test(`${build}: DecimalString and IsoDate are strings, the DTOs are declared`, () => {
    assert.match(dts, /export type DecimalString = string;/);
    assert.match(dts, /export type IsoDate = string;/);
    for (const name of ['PolicyDto', 'BuyerDto', 'ReceivableDto', 'Decision', 'Explanation', 'PolicyReport', 'Problem', 'ErrorDto', 'FormReport', 'FieldMessage', 'LimitApplicationFormDto', 'ValidateLimitApplicationInput', 'ClaimFileFormDto', 'ValidateClaimFileFormInput', 'CollectionFileFormDto', 'ValidateCollectionFileFormInput', 'PaymentExperienceFormDto', 'OverdueReportFormDto', 'ValidateOverdueReportFormInput']) {
      assert.match(dts, new RegExp(`export (interface|type) ${name}\\b`), name);
    }
  });
}

/** Every error code of the conformance vectors (spec/vectors/**, `error.code`). */
function vectorErrorCodes(dir = new URL('../../spec/vectors/', import.meta.url).pathname) {
  const codes = new Set();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const c of vectorErrorCodes(path)) codes.add(c);
    else if (name.endsWith('.json')) {
      for (const c of JSON.parse(readFileSync(path, 'utf8'))) if (c.error?.code) codes.add(c.error.code);
    }
  }
  return codes;
}

const declarations = (build) => readFileSync(new URL(`../${build}/delcredere_wasm.d.ts`, import.meta.url), 'utf8');

for (const build of ['pkg-node', 'pkg-web-full', 'pkg-web']) {
  const dts = declarations(build);

  test(`${build}: call is typed per op (OpTypes), not a union to narrow`, () => {
    assert.match(dts, /export function call<K extends Op>\(op: K, input: OpInput<K>\): OpOutput<K>;/);
    assert.doesNotMatch(dts, /export function call\(op: Op, input: object\)/);
    const m = dts.match(/export interface OpTypes \{\n([\s\S]*?)\n\}\n/);
    assert.ok(m, 'no OpTypes');
    const keys = [...m[1].matchAll(/^ {4}([a-z_]+): \{ input: (\w+); output: (\w+) \};$/gm)];
    const ops = dts.match(/export type Op = ([^;]+);/)[1].match(/[a-z_]+/g);
    assert.deepEqual(keys.map((k) => k[1]), ops);
    for (const [, op, inputType, outputType] of keys) {
      for (const type of [inputType, outputType]) assert.match(dts, new RegExp(`export (interface|type) ${type}\\b`), `${op}: ${type}`);
    }
  });

  test(`${build}: DelcredereError.code is the ErrorCode union, with every code of the vectors`, () => {
    assert.match(dts, /^ {4}code: ErrorCode;$/m);
    const m = dts.match(/export type ErrorCode = ([^;]+);/);
    assert.ok(m, 'no ErrorCode');
    const codes = new Set(m[1].match(/[a-z_]+/g));
    for (const code of vectorErrorCodes()) assert.ok(codes.has(code), code);
    for (const code of ['internal', 'not_initialized', 'unknown_op', 'invalid_amount']) assert.ok(codes.has(code), code);
  });

  test(`${build}: start() is neither declared nor exported`, async () => {
    assert.doesNotMatch(dts, /export function start\b/);
    const js = readFileSync(new URL(`../${build}/delcredere_wasm.js`, import.meta.url), 'utf8');
    assert.doesNotMatch(js, /\bstart\b/);
  });

  test(`${build}: no rustdoc link in the declarations' comments`, () => {
    const links = dts.match(/\[`[^`\]]*`\](\([^)]*\))?/g) ?? [];
    assert.deepEqual(links, []);
    assert.doesNotMatch(dts, /\]\((crate|super|self)::/);
  });
}

test('pkg-node: the ES module face declares init() as its default export, as the web build does', () => {
  const dmts = readFileSync(new URL('../pkg-node/delcredere_wasm.d.mts', import.meta.url), 'utf8');
  assert.match(dmts, /export default function init\(module_or_path\?: unknown\): Promise<void>;/);
  assert.match(declarations('pkg-web'), /export default function __wbg_init/);
});

test("README's naming table: every op, its Rust function (the crate docs' table), Python and JS names", () => {
  const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## One name per op'));
  const rows = [...section.slice(0, section.indexOf('\n## ')).matchAll(/^\| `(\w+)` \| `([\w:]+)` \| `(\w+)` \| `(\w+)` \|$/gm)];
  const node = require('../pkg-node/delcredere_wasm.js');
  assert.deepEqual(rows.map((r) => r[1]), [...node.ops()].sort());
  const crateDocs = read('core/src/lib.rs');
  const python = read('bindings-python/python/delcredere/__init__.py');
  for (const [, op, rust, py, js] of rows) {
    assert.equal(js, op.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), op);
    assert.equal(typeof node[js], 'function', js);
    assert.match(declarations('pkg-node'), new RegExp(`Op \`${op}\`, also the function \`${js}\``), op);
    assert.equal(py, op);
    assert.match(python, new RegExp(`^    "${py}",$`, 'm'), `Python's __all__ has ${py}`);
    assert.ok(crateDocs.includes(`//! | \`${op}\` | [\`${rust}\`] |`), `${op}: ${rust} in the crate docs' table`);
  }
});

test("Python's Literal types (delcredere.types) are the declarations' unions: Outcome and Language", () => {
  const python = readFileSync(new URL('../../bindings-python/python/delcredere/types.py', import.meta.url), 'utf8');
  const dts = declarations('pkg-node');
  for (const name of ['Outcome', 'Language']) {
    const ts = dts.match(new RegExp(`export type ${name} = ([^;]+);`));
    assert.ok(ts, name);
    const py = python.match(new RegExp(`^${name} = Literal\\[([^\\]]+)\\]`, 'm'));
    assert.ok(py, `types.py has no ${name}`);
    const values = (text) => [...text.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    assert.deepEqual(values(py[1]), values(ts[1]), name);
  }
});

test("Python's input TypedDicts (delcredere.inputs) are generated from these declarations, and call is overloaded per op", async () => {
  const { pythonInputs } = await import('../python-types.mjs');
  const committed = readFileSync(new URL('../../bindings-python/python/delcredere/inputs.py', import.meta.url), 'utf8');
  assert.equal(committed, pythonInputs(declarations('pkg-node')), 'run `node bindings-wasm/python-types.mjs` and commit inputs.py');
  const stub = readFileSync(new URL('../../bindings-python/python/delcredere/__init__.pyi', import.meta.url), 'utf8');
  const overloads = [...stub.matchAll(/^@overload\ndef call\(op: Literal\["(\w+)"\], input: _inputs\.(\w+)\) -> Dict\[str, Any\]: \.\.\.$/gm)]
    .map(([, op, input]) => `${op}: ${input}`);
  const ops = [...declarations('pkg-node').match(/export interface OpTypes \{\n([\s\S]*?)\n\}\n/)[1].matchAll(/^ {4}(\w+): \{ input: (\w+);/gm)]
    .map(([, op, input]) => `${op}: ${input}`);
  assert.deepEqual(overloads, ops);
});
