// Runs every conformance vector (spec/vectors/**/*.json, plus $DELCREDERE_EXTRA_VECTORS) through
// the built node package, one subtest per case, comparing as spec/vectors/README.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const delcredere = require('../pkg-node/delcredere_wasm.js');

const KNOWN_OPS = new Set(delcredere.ops());

function jsonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...jsonFiles(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out;
}

function loadCases() {
  const dirs = [join(root, 'spec', 'vectors')];
  if (process.env.DELCREDERE_EXTRA_VECTORS) dirs.push(process.env.DELCREDERE_EXTRA_VECTORS);
  const cases = [];
  for (const dir of dirs) {
    for (const file of jsonFiles(dir)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8'));
      assert.ok(Array.isArray(parsed), `${file}: a vector file is a JSON array of cases`);
      for (const c of parsed) cases.push({ ...c, file: relative(root, file) });
    }
  }
  return cases;
}

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/** Decimal strings as [sign, integer digits, fraction digits] with no padding, for exact comparison. */
function normalizeDecimal(s) {
  let negative = s.startsWith('-');
  let [int, frac = ''] = (negative ? s.slice(1) : s).split('.');
  int = int.replace(/^0+/, '') || '0';
  frac = frac.replace(/0+$/, '');
  if (int === '0' && frac === '') negative = false;
  return `${negative ? '-' : ''}${int}.${frac}`;
}

function stringsEqual(a, b) {
  return a === b || (DECIMAL.test(a) && DECIMAL.test(b) && normalizeDecimal(a) === normalizeDecimal(b));
}

/** Returns null when `actual` matches `expected`, otherwise a description of the first difference. */
function difference(actual, expected, subset, path = '$') {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'string' && typeof actual === 'string') {
      return stringsEqual(actual, expected) ? null : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
    }
    return Object.is(actual, expected) || actual === expected
      ? null
      : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: ${actual.length} elements, expected ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], subset, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return `${path}: expected an object, got ${JSON.stringify(actual)}`;
  }
  for (const key of Object.keys(expected)) {
    if (!(key in actual)) return `${path}.${key}: missing`;
    const d = difference(actual[key], expected[key], subset, `${path}.${key}`);
    if (d) return d;
  }
  if (!subset) {
    for (const key of Object.keys(actual)) {
      if (!(key in expected)) return `${path}.${key}: unexpected key`;
    }
  }
  return null;
}

const cases = loadCases();

test('at least one vector case is loaded', () => {
  assert.ok(cases.length > 0, 'no vector case found under spec/vectors');
});

test('vector ids are unique', () => {
  const seen = new Set();
  for (const c of cases) {
    assert.ok(!seen.has(c.id), `duplicate id ${c.id} (${c.file})`);
    seen.add(c.id);
  }
});

test('the comparison follows spec/vectors/README.md', () => {
  assert.equal(difference({ a: '40000' }, { a: '40000.00' }, false), null);
  assert.equal(difference('-0.50', '-0.5', false), null);
  assert.equal(difference('0.0', '-0', false), null);
  assert.notEqual(difference({ a: '1', b: 2 }, { a: '1' }, false), null);
  assert.equal(difference({ a: '1', b: 2 }, { a: '1' }, true), null);
  assert.notEqual(difference([1, 2], [1], true), null);
  assert.notEqual(difference('40000', '40000.01', false), null);
  assert.notEqual(difference('1e5', '100000', false), null);
});

for (const c of cases) {
  test(c.id ?? '(case without id)', () => {
    assert.ok(typeof c.id === 'string' && c.id, `${c.file}: case without id`);
    assert.ok(KNOWN_OPS.has(c.op), `${c.file}: ${c.id}: unknown op ${JSON.stringify(c.op)}`);
    assert.ok(('expect' in c) !== ('error' in c), `${c.file}: ${c.id}: needs exactly one of expect, error`);
    const subset = c.match === 'subset';
    if (c.match !== undefined) assert.equal(c.match, 'subset', `${c.id}: unknown match mode`);
    if ('error' in c) {
      let thrown;
      try {
        const out = delcredere.call(c.op, c.input);
        assert.fail(`expected error ${c.error.code}, got ${JSON.stringify(out)}`);
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        thrown = e;
      }
      assert.ok(thrown instanceof Error, 'a thrown error is an Error');
      assert.equal(thrown.code, c.error.code, thrown.message);
      if ('field' in c.error) assert.equal(thrown.field, c.error.field, thrown.message);
    } else {
      const out = delcredere.call(c.op, c.input);
      const d = difference(out, c.expect, subset);
      assert.equal(d, null, `${d}\nactual: ${JSON.stringify(out)}`);
    }
  });
}

// The ops an engine method answers, and the vectors of theirs that do not run through the
// engine, each with its reason (spec/vectors/README.md, "Through the engine").
const ROUTED_OPS = new Set(['account_state', 'obligations', 'check_delivery_cover', 'limit_state']);
const notThroughTheEngine = JSON.parse(readFileSync(join(root, 'spec', 'engine', 'not-through-the-engine.json'), 'utf8'));
const engineCases = cases.filter((c) => ROUTED_OPS.has(c.op) && !(c.id in notThroughTheEngine));

test('vectors run through the engine', () => {
  assert.ok(engineCases.filter((c) => 'expect' in c).length > 100);
  assert.ok(engineCases.filter((c) => 'error' in c).length > 10);
});

test('the vectors not through the engine are vectors of its ops, each with a reason', () => {
  const routed = new Set(cases.filter((c) => ROUTED_OPS.has(c.op)).map((c) => c.id));
  for (const [id, reason] of Object.entries(notThroughTheEngine)) {
    assert.ok(routed.has(id), `${id} is no vector of ${[...ROUTED_OPS]}`);
    assert.ok(reason.trim(), `${id} without a reason`);
  }
  assert.equal(delcredere.engineRoute('validate_policy', {}), null);
});

// The core's conversion of the op's input (engine::route), the engine loaded from its setup, the
// method run by name: the op's output, or its error code (the engine names its own fields, e.g.
// `setup.buyers[0].events`).
for (const c of engineCases) {
  test(`${c.id} (through the engine)`, () => {
    const routed = delcredere.engineRoute(c.op, c.input);
    assert.ok(routed);
    let out;
    try {
      out = delcredere.Engine.load(routed.setup).call(routed.method, routed.input);
    } catch (e) {
      assert.ok('error' in c, `through the engine: ${e.code}: ${e.message}`);
      assert.equal(e.code, c.error.code, e.message);
      return;
    }
    assert.ok('expect' in c, `through the engine: expected error ${c.error?.code}, got ${JSON.stringify(out)}`);
    const d = difference(out, c.expect, c.match === 'subset');
    assert.equal(d, null, `${d}\nactual: ${JSON.stringify(out)}`);
  });
}
