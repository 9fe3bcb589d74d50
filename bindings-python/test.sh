#!/usr/bin/env bash
# Builds the Python binding into the repo's venv and runs its tests (pytest suite, spec
# vectors, docstring examples). Works from any directory; exits non-zero on any failure.
# Expects $REPO/.venv with maturin and pytest installed, e.g.
#   python3 -m venv .venv && .venv/bin/pip install maturin==1.16.0 pytest==9.2.0
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
VENV="$REPO/.venv"
PY="$VENV/bin/python"

if [ ! -x "$PY" ]; then
    echo "test.sh: no venv at $VENV (python3 -m venv .venv && .venv/bin/pip install maturin pytest)" >&2
    exit 1
fi

cd "$HERE"
# maturin develop installs into the active virtualenv. `--features` replaces pyproject.toml's
# list, so pyo3/extension-module is named again beside test-panic (else maturin warns).
VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --quiet --features test-panic,pyo3/extension-module --manifest-path "$HERE/Cargo.toml"

cd "$REPO"
# pytest exits 5 when it collects nothing: that counts as a failure here too.
"$PY" -m pytest "$HERE/tests" -q -p no:cacheprovider
"$PY" -m pytest --doctest-modules "$HERE/python/delcredere" -q -p no:cacheprovider
