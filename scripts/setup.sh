#!/usr/bin/env bash
# Installs what the tests need and skips what is already there: the minimum Rust version's
# toolchain (rust-version in Cargo.toml), the wasm32 target, the
# wasm-bindgen CLI matching Cargo.lock, cbindgen (pinned) with gcc and valgrind for the C ABI,
# Debian's chromium, node and npm, Debian's headless Java runtime (for pyspark), the npm
# packages from bindings-wasm/package-lock.json, and a Python venv (.venv) with maturin, pytest
# and mypy.
set -euo pipefail
cd "$(dirname "$0")/.."

MATURIN_VERSION=1.9.6
# The C ABI's header generator (bindings-c/header.sh): a pinned version, so that the header it
# writes, committed and checked in CI, is the same on every machine.
CBINDGEN_VERSION=0.29.4
PYTEST_VERSION=8.4.2
# The type check of the stubs (bindings-python/tests/test_typing.py: mypy --strict, issue #25).
MYPY_VERSION=2.4.1
# The batch API's tests, the notebook run and the Dask test (issue #10).
PY_DATA_PACKAGES=(
  pyarrow==26.0.1 pandas==3.1.1 polars==2.1.0 numpy==2.4.6 "dask[distributed]==2026.8.0"
  matplotlib==3.11.2 nbclient==0.11.0 nbformat==5.11.1 ipykernel==7.4.0
  # The Spark test and example (delcredere.spark, issue #26); needs the Java runtime below.
  pyspark==4.3.0 py4j==0.10.9.9
)

log() { printf '\n== setup: %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    log "rustup component $component"
    rustup component add "$component"
  fi
done

# --- The declared minimum Rust version (rust-version in Cargo.toml), for the MSRV step of
# scripts/test.sh: the toolchain only (profile minimal), no components.
MSRV=$(awk -F'"' '/^rust-version = / { print $2; exit }' Cargo.toml)
if ! rustup run "$MSRV" rustc --version >/dev/null 2>&1; then
  log "rustup toolchain $MSRV (the minimum Rust version)"
  rustup toolchain install "$MSRV" --profile minimal
fi
# --- end of the minimum Rust version

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -n "$wb_version" ] && ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb_version"; then
  log "wasm-bindgen-cli $wb_version (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

if ! cbindgen --version 2>/dev/null | grep -qx "cbindgen $CBINDGEN_VERSION"; then
  log "cbindgen $CBINDGEN_VERSION (about 5 minutes)"
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked
fi

# The C ABI's example is compiled with the system C compiler and run under valgrind.
if ! command -v gcc >/dev/null; then
  log "gcc (Debian)"
  apt_install gcc libc6-dev
fi
if ! command -v valgrind >/dev/null; then
  log "valgrind (Debian)"
  apt_install valgrind
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "node and npm"
  apt_install nodejs npm
fi

# Spark (pyspark, pinned in PY_DATA_PACKAGES) runs on a Java runtime: Debian's default headless JRE
# (OpenJDK 17 on Debian 12; Spark 4 runs on Java 17 and 21).
if ! command -v java >/dev/null; then
  log "Java runtime (Debian default-jre-headless, for pyspark)"
  apt_install default-jre-headless
fi

if ! command -v chromium >/dev/null; then
  log "chromium (Debian)"
  apt_install chromium
fi

if [ ! -d bindings-wasm/node_modules ] || [ bindings-wasm/package-lock.json -nt bindings-wasm/node_modules/.package-lock.json ]; then
  log "npm ci (bindings-wasm)"
  (cd bindings-wasm && npm ci --no-audit --no-fund)
fi

if [ ! -x .venv/bin/python ]; then
  log "python venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -m pip show maturin pytest mypy >/dev/null 2>&1 \
   || [ "$(.venv/bin/python -m pip show maturin 2>/dev/null | awk '/^Version:/ {print $2}')" != "$MATURIN_VERSION" ] \
   || [ "$(.venv/bin/python -m pip show mypy 2>/dev/null | awk '/^Version:/ {print $2}')" != "$MYPY_VERSION" ]; then
  log "maturin $MATURIN_VERSION, pytest $PYTEST_VERSION, mypy $MYPY_VERSION"
  .venv/bin/python -m pip install -q --disable-pip-version-check "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION"
fi
missing=()
for spec in "${PY_DATA_PACKAGES[@]}"; do
  name="${spec%%==*}"; name="${name%%[*}"; version="${spec##*==}"
  if [ "$(.venv/bin/python -m pip show "$name" 2>/dev/null | awk '/^Version:/ {print $2}')" != "$version" ]; then
    missing+=("$spec")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "python data packages: ${missing[*]}"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${missing[@]}"
fi
log "done"
