#!/bin/sh
# Builds the npm package `delcredere` from the Rust crate `delcredere-wasm`:
#   pkg-web/       wasm-bindgen --target web (ES module; call the default export `init()`
#                  first), without the crate's feature `full`: only the ops a web form needs
#                  (the core's `ffi::FORM_OPS`), from cargo profile wasm-release: optimised for
#                  size, as browsers download it. What `import 'delcredere'` gives in a browser.
#   pkg-web-full/  the same with every op (feature `full`): `import 'delcredere/full'`.
#   pkg-node/      wasm-bindgen --target nodejs (CommonJS, loads the wasm synchronously), every
#                  op, from cargo profile wasm-release-speed: optimised for speed
# then runs wasm-opt from the npm package `binaryen` (pinned in package.json; Debian's
# binaryen is too old) on each .wasm, and puts the guard of guard.mjs around every function (a
# failure inside the engine is a typed `internal` error and the next call gets a fresh
# instance). Honours CARGO_TARGET_DIR.
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
target_dir="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown"

wasm_opt="$here/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ]; then
  echo "wasm-opt missing: run 'npm ci' in $here" >&2
  exit 1
fi

# cargo_build <profile> [--features test-panic]
cargo_build() {
  profile=$1
  shift
  cargo build --locked -p delcredere-wasm --target wasm32-unknown-unknown --profile "$profile" "$@"
}

# bindgen <.wasm> <wasm-bindgen target> <out dir> <package.json type> <guard.mjs kind>
bindgen() {
  rm -rf "$3"
  wasm-bindgen --target "$2" --experimental-reset-state-function --out-dir "$3" "$1"
  # The package itself has no "type"; say so per directory so node and bundlers agree.
  printf '{ "type": "%s" }\n' "$4" >"$3/package.json"
  node "$here/guard.mjs" "$3" "$5"
}

# optimise <out dir>: wasm-opt -O1. The heavier levels make the gzipped size of the size-
# optimised build larger (-Os and -Oz: 504 KB instead of 429 KB, same input) and the speed-
# optimised build no faster (-O3). The features are those rustc's wasm32 target emits.
optimise() {
  out="$1/delcredere_wasm_bg.wasm"
  "$wasm_opt" -O1 --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out" -o "$out.opt"
  mv "$out.opt" "$out"
}

if [ "${1:-}" = "--test-panic" ]; then
  cargo_build wasm-release --features test-panic
  wasm="$target_dir/wasm-release/delcredere_wasm.wasm"
  bindgen "$wasm" nodejs "$here/pkg-test-panic-node" commonjs cjs
  bindgen "$wasm" web "$here/pkg-test-panic-web" module esm
  echo "built $here/pkg-test-panic-node and -web (feature test-panic)"
  exit 0
fi

cargo_build wasm-release --no-default-features
bindgen "$target_dir/wasm-release/delcredere_wasm.wasm" web "$here/pkg-web" module esm
optimise "$here/pkg-web"

cargo_build wasm-release
bindgen "$target_dir/wasm-release/delcredere_wasm.wasm" web "$here/pkg-web-full" module esm
optimise "$here/pkg-web-full"

cargo_build wasm-release-speed
bindgen "$target_dir/wasm-release-speed/delcredere_wasm.wasm" nodejs "$here/pkg-node" commonjs cjs
optimise "$here/pkg-node"

for dir in pkg-web pkg-web-full pkg-node; do
  echo "built $here/$dir ($(wc -c <"$here/$dir/delcredere_wasm_bg.wasm") bytes of wasm)"
done
