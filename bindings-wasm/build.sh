#!/bin/sh
# Builds the npm package `delcredere` from the Rust crate `delcredere-wasm`:
#   pkg-node/  wasm-bindgen --target nodejs (CommonJS, loads the wasm synchronously)
#   pkg-web/   wasm-bindgen --target web    (ES module; call the default export `init()` first)
# Needs the wasm32-unknown-unknown target and the wasm-bindgen CLI of the version in Cargo.lock.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

cargo build --locked -p delcredere-wasm --target wasm32-unknown-unknown --release
wasm="$root/target/wasm32-unknown-unknown/release/delcredere_wasm.wasm"

rm -rf "$here/pkg-node" "$here/pkg-web"
wasm-bindgen --target nodejs --out-dir "$here/pkg-node" "$wasm"
wasm-bindgen --target web --out-dir "$here/pkg-web" "$wasm"
# The package itself has no "type"; say so per directory so node and bundlers agree.
printf '{ "type": "commonjs" }\n' >"$here/pkg-node/package.json"
printf '{ "type": "module" }\n' >"$here/pkg-web/package.json"
echo "built $here/pkg-node and $here/pkg-web"
