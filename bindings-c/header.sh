#!/bin/sh
# Generates include/delcredere.h from the crate with cbindgen (the version scripts/setup.sh
# pins). With --check, regenerates to a temporary file and fails when it differs from the
# committed header: the header is checked against the code in CI.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
generate() {
  # --quiet: cbindgen warns that it cannot see the opaque delcredere_engine, which
  # cbindgen.toml excludes on purpose (declared in after_includes).
  cbindgen --quiet --config cbindgen.toml --crate delcredere-c --output "$1" .
}
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  generate "$tmp"
  if ! diff -u include/delcredere.h "$tmp"; then
    echo "bindings-c/include/delcredere.h differs from the code: run sh bindings-c/header.sh and commit it" >&2
    exit 1
  fi
  echo "header: include/delcredere.h matches the code"
else
  generate include/delcredere.h
  echo "header: wrote include/delcredere.h"
fi
