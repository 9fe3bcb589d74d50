#!/bin/sh
# Builds the npm package `delcredere` from the Rust crate `delcredere-wasm`:
#   pkg-node/  wasm-bindgen --target nodejs (CommonJS, loads the wasm synchronously)
#   pkg-web/   wasm-bindgen --target web    (ES module; call the default export `init()` first)
# then optimises both .wasm files with wasm-opt from the npm package `binaryen` (pinned in
# package.json; Debian's binaryen is too old), and puts the guard of guard.mjs around every
# function (a failure inside the engine is a typed `internal` error and the next call gets a
# fresh instance). Honours CARGO_TARGET_DIR.
#
#   build.sh --test-panic   builds pkg-test-panic-node/ and pkg-test-panic-web/ instead: the
#                           same with the core's test-only `__panic` op (feature test-panic),
#                           for tests/panic.test.mjs. Not part of the package ("files" in
#                           package.json), and not optimised by wasm-opt.
#
# Needs the wasm32-unknown-unknown target, the wasm-bindgen CLI of the version in Cargo.lock
# and `npm ci` run in this directory (for wasm-opt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

features=""
if [ "${1:-}" = "--test-panic" ]; then
  features="--features test-panic"
fi

# shellcheck disable=SC2086 # $features is one flag and its value, or nothing
cargo build --locked -p delcredere-wasm --target wasm32-unknown-unknown --profile wasm-release $features
wasm="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/wasm-release/delcredere_wasm.wasm"

# bindgen <wasm-bindgen target> <out dir> <package.json type> <guard.mjs kind>
bindgen() {
  rm -rf "$2"
  wasm-bindgen --target "$1" --experimental-reset-state-function --out-dir "$2" "$wasm"
  # The package itself has no "type"; say so per directory so node and bundlers agree.
  printf '{ "type": "%s" }\n' "$3" >"$2/package.json"
  node "$here/guard.mjs" "$2" "$4"
}

if [ -n "$features" ]; then
  bindgen nodejs "$here/pkg-test-panic-node" commonjs cjs
  bindgen web "$here/pkg-test-panic-web" module esm
  echo "built $here/pkg-test-panic-node and -web (feature test-panic)"
  exit 0
fi

bindgen nodejs "$here/pkg-node" commonjs cjs
bindgen web "$here/pkg-web" module esm

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
