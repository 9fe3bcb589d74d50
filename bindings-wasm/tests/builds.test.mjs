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

// The browser form build reads errors the light way (core/src/serde_error.rs, without the
// feature `ffi-full`, to stay under its download budget): plainer messages, the same codes.
// Every bad-input vector of a form op gives the vector's code there too, and its field, except
// inside a limit event (an internally tagged enum), where the light build names the event
// (`limitEvents[1]`), or the event and the key for an unknown or missing key
// (`limitEvents[1].currency` for `limitEvents[1].amount.currency`). No message names a Rust type.
test('pkg-web gives every form vector its error code and field', async () => {
  const forms = await web('pkg-web');
  const { readdirSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = new URL('../../spec/vectors/', import.meta.url).pathname;
  const files = (dir) => readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });
  const ops = new Set(forms.ops());
  const jargon = /\b(struct|enum|variant|u8|u16|u32|u64|i32|i64|f64|usize|String|Vec|Option)\b|Dto\b|Input\b|`|::/;
  let checked = 0;
  let insideEvents = 0;
  for (const file of files(root)) {
    for (const c of JSON.parse(readFileSync(file, 'utf8'))) {
      if (!c.error || !ops.has(c.op)) continue;
      let error;
      try { forms.call(c.op, c.input); } catch (e) { error = e; }
      const where = `${c.id} (${c.op})`;
      assert.equal(error?.name, 'DelcredereError', where);
      assert.equal(error.code, c.error.code, `${where}: ${error.message}`);
      assert.doesNotMatch(error.message, jargon, where);
      checked++;
      if (c.error.field === undefined || error.field === c.error.field) continue;
      const event = /^limitEvents\[\d+\]/.exec(c.error.field);
      assert.ok(event, `${where}: field ${error.field}, expected ${c.error.field}`);
      const lastKey = c.error.field.split('.').at(-1);
      assert.ok(
        [event[0], `${event[0]}.${lastKey}`].includes(error.field),
        `${where}: field ${error.field}, expected ${c.error.field} or the event`,
      );
      insideEvents++;
    }
  }
  assert.ok(checked > 90, `only ${checked} form vectors with errors`);
  assert.ok(insideEvents < 10, `${insideEvents} vectors placed at their limit event`);
});
