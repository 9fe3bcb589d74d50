// The optimised browser .wasm (wasm-opt from the npm package `binaryen`, see build.sh) must stay
// under the size budget once gzipped: what a browser downloads (issue #11). The budget holds
// for pkg-web/, the build `import 'delcredere'` gives a browser: the ops a web form needs. The
// build with every op (pkg-web-full/, `delcredere/full`) is reported, not held to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 250 KB read strictly: 250,000 bytes.
const BUDGET_GZIPPED = 250_000;

function sizes(build) {
  const wasm = readFileSync(new URL(`../${build}/delcredere_wasm_bg.wasm`, import.meta.url));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  console.log(`${build}/delcredere_wasm_bg.wasm: ${wasm.length} bytes raw, ${gzipped} bytes gzipped (budget ${BUDGET_GZIPPED} for pkg-web)`);
  return gzipped;
}

test('the optimised browser .wasm (pkg-web) is under 250 KB (250,000 bytes) gzipped', () => {
  const gzipped = sizes('pkg-web');
  assert.ok(gzipped < BUDGET_GZIPPED, `${gzipped} bytes gzipped is over the ${BUDGET_GZIPPED}-byte budget`);
});

test('the browser build with every op (pkg-web-full) is built and reported', () => {
  assert.ok(sizes('pkg-web-full') > 0);
});
