// The optimised browser .wasm (wasm-opt from the npm package `binaryen`, see build.sh) must stay
// under the size budget once gzipped: what a browser downloads (issue #11). The budget holds
// for pkg-web/, the build `import 'delcredere'` gives a browser: the ops a web form needs. The
// build with every op (pkg-web-full/, `delcredere/full`) is reported, not held to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 262 KB read strictly: 262,000 bytes. It was 250,000 until issue #22, which asked the form
// build for more and allowed it to grow where measured: at the start of that work pkg-web was
// 246,400 bytes gzipped; the four countries' terms, the limit timeline and their messages in
// five languages (issue #21) took it to 256,337, and leaving the property-claims and account
// message catalogues out of this build (core/build.rs) back to 247,662; the limit application's
// identification, address, payment-experience answers and insurability at application, and
// the new overdue report form (#22 item 5, with their messages in five languages), to 257,918.
// 266,000 since: from 258,377, the self-assessment judged on each delivery's date (#22,
// DIS-1/DIS-2: the cap as a step function of the date) +1,861; errors that say what to type
// (#25: the light reader of the form build; the allowed-key lists stay in the full build)
// +3,600; amounts as the reader types them and dates in the reader's format (#25) about
// +1,200; `not_initialized` before init() and the typed names (#25) +573: 265,613 in all. The
// turnover declaration form's figures read as typed (#25, with the declaration op's own types:
// a second, string-typed copy of them measured +3,934) +291: 265,904.
const BUDGET_GZIPPED = 266_000;

function sizes(build) {
  const wasm = readFileSync(new URL(`../${build}/delcredere_wasm_bg.wasm`, import.meta.url));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  console.log(`${build}/delcredere_wasm_bg.wasm: ${wasm.length} bytes raw, ${gzipped} bytes gzipped (budget ${BUDGET_GZIPPED} for pkg-web)`);
  return gzipped;
}

test('the optimised browser .wasm (pkg-web) is under 266 KB (266,000 bytes) gzipped', () => {
  const gzipped = sizes('pkg-web');
  assert.ok(gzipped < BUDGET_GZIPPED, `${gzipped} bytes gzipped is over the ${BUDGET_GZIPPED}-byte budget`);
});

test('the browser build with every op (pkg-web-full) is built and reported', () => {
  assert.ok(sizes('pkg-web-full') > 0);
});
