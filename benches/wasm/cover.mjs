// The same delivery cover check as `cargo bench -p delcredere --bench cover` (json_end_to_end:
// JSON text in, decision out, through ffi), timed through the node build of the npm package:
//   node benches/wasm/cover.mjs [iterations]
// Build first: sh bindings-wasm/build.sh. Compare the µs per check with criterion's figure.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const delcredere = require('../../bindings-wasm/pkg-node/delcredere_wasm.js');

const input = JSON.parse(readFileSync(new URL('./cover-input.json', import.meta.url), 'utf8'));
const n = Number(process.argv[2] ?? 20000);

const once = () => delcredere.checkDeliveryCover(input);
const expected = once().outcome;
for (let i = 0; i < 2000; i++) once(); // warm up the JIT and the allocator
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  if (once().outcome !== expected) throw new Error('outcome changed');
}
const ns = Number(process.hrtime.bigint() - t0) / n;
console.log(`check_delivery_cover via WASM (node ${process.version}): ${(ns / 1000).toFixed(2)} µs per check over ${n} checks (outcome ${expected})`);
