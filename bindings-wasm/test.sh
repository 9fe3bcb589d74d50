#!/bin/sh
# Builds and tests the npm package `delcredere` (bindings-wasm), from any working directory:
# npm ci (when node_modules is missing or older than package-lock.json, as scripts/setup.sh
# checks), cargo + wasm-bindgen for node and web, the node tests (conformance vectors, errors,
# panics, the typed op functions, the demo form in headless Chromium, a Vite app built with the
# web build) and tsc on the generated types.
# Needs: the wasm32-unknown-unknown target, the wasm-bindgen CLI of Cargo.lock's version,
# node >= 18 with npm, and Chromium at /usr/bin/chromium (or $CHROMIUM_PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

sh ./build.sh
# The test-only builds with the core's `__panic` op (pkg-test-panic-node/, pkg-test-panic-web/),
# for tests/panic.test.mjs; never part of the package, like the Python binding's test-panic build.
sh ./build.sh --test-panic

node --test --test-reporter=spec tests/size.test.mjs tests/builds.test.mjs tests/vectors.test.mjs tests/engine.test.mjs tests/errors.test.mjs tests/panic.test.mjs \
  tests/ops.test.mjs tests/types.test.mjs tests/init.test.mjs tests/browser.test.mjs tests/vite.test.mjs

npx --no-install tsc --strict --noEmit -p tsconfig.json
echo "tsc: generated TypeScript types check against tests/types-usage.ts"
