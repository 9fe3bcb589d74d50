// The three builds of the package (build.sh): pkg-node/ and pkg-web-full/ have every op;
// pkg-web/, what a browser gets from `import 'delcredere'`, has the ops a web form needs (the
// core's `ffi::FORM_OPS`) and no code for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const node = require('../pkg-node/delcredere_wasm.js');
const functionsOf = (pkg) => Object.keys(pkg).filter((k) => typeof pkg[k] === 'function' && !k.startsWith('__') && k !== 'default' && k !== 'initSync').sort();

async function web(build) {
  const pkg = await import(`../${build}/delcredere_wasm.js`);
  await pkg.default({ module_or_path: readFileSync(new URL(`../${build}/delcredere_wasm_bg.wasm`, import.meta.url)) });
  return pkg;
}

const FORM_FUNCTIONS = [
  'call', 'checkDeliveryCover', 'checkInsurability', 'explain', 'ops', 'samplePolicy', 'validateClaimFile',
  'validateClaimFileForm', 'validateCollectionFile', 'validateCollectionFileForm', 'validateLimitApplication', 'validateOverdueReportForm', 'validatePolicy',
  'validateTurnoverDeclarationForm',
];

test('pkg-web-full has every function and op of pkg-node', async () => {
  const full = await web('pkg-web-full');
  const nodeFunctions = functionsOf(node);
  for (const name of nodeFunctions) assert.equal(typeof full[name], 'function', name);
  assert.deepEqual([...full.ops()], [...node.ops()]);
});

test('pkg-web has the form functions only, and says unknown_op for the others', async () => {
  const forms = await web('pkg-web');
  for (const name of FORM_FUNCTIONS) assert.equal(typeof forms[name], 'function', name);
  assert.equal(forms.accountState, undefined);
  assert.equal(forms.indemnity, undefined);
  assert.deepEqual([...forms.ops()], [
    'check_delivery_cover', 'check_insurability', 'explain', 'validate_claim_file_form',
    'validate_collection_file_form', 'validate_limit_application', 'validate_overdue_report_form',
    'validate_policy', 'validate_turnover_declaration_form',
  ]);
  assert.ok(node.ops().length > forms.ops().length);
  let error;
  try { forms.call('account_state', {}); } catch (e) { error = e; }
  assert.equal(error?.name, 'DelcredereError');
  assert.equal(error.code, 'unknown_op');
});

test('explain reads a decision with amounts and details in every build', async () => {
  const decision = {
    outcome: 'covered',
    amounts: { coveredAmount: { amount: '100.00', currency: 'EUR' } },
    reasons: [],
    details: { type: 'cover', coverType: 'namedLimit' },
  };
  for (const pkg of [node, await web('pkg-web'), await web('pkg-web-full')]) {
    const text = pkg.explain({ decision, lang: 'de' });
    assert.equal(text.lang, 'de');
    assert.equal(typeof text.summary, 'string');
  }
});
