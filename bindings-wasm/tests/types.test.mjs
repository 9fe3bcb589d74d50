// The hand-written parts of the TypeScript declarations (the `Op` union and DelcredereError)
// must stay in step with the core; the DTO types themselves are generated (tsify).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
