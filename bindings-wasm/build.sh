#!/bin/sh
# Builds the npm package `delcredere` from the Rust crate `delcredere-wasm`:
#   pkg-node/  wasm-bindgen --target nodejs (CommonJS, loads the wasm synchronously)
#   pkg-web/   wasm-bindgen --target web    (ES module; call the default export `init()` first)
# then optimises both .wasm files with wasm-opt from the npm package `binaryen` (pinned in
# package.json; Debian's binaryen is too old). Honours CARGO_TARGET_DIR.
# Needs the wasm32-unknown-unknown target, the wasm-bindgen CLI of the version in Cargo.lock
# and `npm ci` run in this directory (for wasm-opt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

cargo build --locked -p delcredere-wasm --target wasm32-unknown-unknown --profile wasm-release
wasm="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/wasm-release/delcredere_wasm.wasm"

rm -rf "$here/pkg-node" "$here/pkg-web"
wasm-bindgen --target nodejs --out-dir "$here/pkg-node" "$wasm"
wasm-bindgen --target web --out-dir "$here/pkg-web" "$wasm"
# The package itself has no "type"; say so per directory so node and bundlers agree.
printf '{ "type": "commonjs" }\n' >"$here/pkg-node/package.json"
printf '{ "type": "module" }\n' >"$here/pkg-web/package.json"

# -O3: speed first (the cover check runs on every keystroke); the size budget is checked by
# tests/size.test.mjs. The features are those rustc's wasm32 target emits by default.
wasm_opt="$here/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ]; then
  echo "wasm-opt missing: run 'npm ci' in $here" >&2
  exit 1
fi
# wasm-bindgen emits the same .wasm for both targets (checked here): optimise once, copy.
cmp -s "$here/pkg-node/delcredere_wasm_bg.wasm" "$here/pkg-web/delcredere_wasm_bg.wasm"
out="$here/pkg-web/delcredere_wasm_bg.wasm"
"$wasm_opt" -O3 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out" -o "$out.opt"
mv "$out.opt" "$out"
cp "$out" "$here/pkg-node/delcredere_wasm_bg.wasm"
echo "built $here/pkg-node and $here/pkg-web (wasm-opt -O3: $(wc -c <"$here/pkg-web/delcredere_wasm_bg.wasm") bytes)"
