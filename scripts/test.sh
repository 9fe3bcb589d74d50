#!/usr/bin/env bash
# Runs every test: format, lints, Rust tests (vectors included), the Python package's pytest
# suite, the WASM package's node tests, tsc and the browser test, and the C ABI (header check,
# the C example against the shared and static library, under valgrind). Installs what is missing
# first (scripts/setup.sh skips what is already there).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

# On CI every build is from scratch: incremental caches only cost disk there.
if [[ -n "${CI:-}" ]]; then export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"; fi

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked
step "python"
bash bindings-python/test.sh
step "wasm"
bash bindings-wasm/test.sh
step "c abi"
sh bindings-c/test.sh
step "cross-runtime agreement (Rust, Python, node on seeded random inputs)"
.venv/bin/python tests/cross_runtime.py 1000 20261125
step "all green"
