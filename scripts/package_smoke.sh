#!/usr/bin/env bash
# The packages as a user gets them: builds the wheel (maturin build, dev profile: a smoke test,
# not a release) and fails on any warning maturin or cargo prints; installs it into a fresh venv
# without the index and runs the README's first Python block and a typed error there (outside
# the repository, so that the installed package is the one imported). Then packs the npm
# package (bindings-wasm, whose pkg-node/, pkg-web/ and pkg-web-full/ must be built:
# bindings-wasm/build.sh), installs the tarball into a fresh npm project offline (the package
# has no dependencies) and runs the README's JS blocks there. Last, checks what the wheel and
# the tarball carry (scripts/check_packaging.py). Expects .venv with maturin (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- wheel: maturin build"
# An abi3 wheel is built for no particular interpreter, so pyo3's build configuration differs
# from maturin develop's (bindings-python/test.sh) and cargo rebuilds pyo3 and what uses it.
PATH="$root/.venv/bin:$PATH" .venv/bin/maturin build --manifest-path bindings-python/Cargo.toml \
  --out "$work/wheels" 2>&1 | tee "$work/maturin.log"
if grep -n -i "warning" "$work/maturin.log"; then
  echo "package_smoke: maturin build printed the warnings above" >&2
  exit 1
fi
wheel=$(ls "$work"/wheels/*.whl)

echo "-- wheel: installed into a fresh venv, without the index"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$wheel"
(
  cd "$work"
  "$work/venv/bin/python" "$root/scripts/readme_snippets.py" python --first 1
  "$work/venv/bin/python" - "$work/venv" <<'EOF'
import sys
import delcredere
assert delcredere.__file__.startswith(sys.argv[1]), delcredere.__file__
try:
    delcredere.call("check_insurability", {})
except delcredere.InputError as e:
    assert e.code == "missing_field", e.code
else:
    raise SystemExit("no InputError for an empty input")
print(f"wheel: delcredere imported from the fresh venv, {len(delcredere.OPS)} ops, typed errors")
EOF
)

echo "-- npm: pack, install into a fresh project offline"
tarball="$work/$(cd bindings-wasm && npm pack --silent --pack-destination "$work")"
mkdir "$work/app"
printf '{ "name": "smoke", "version": "1.0.0", "private": true, "type": "module" }\n' >"$work/app/package.json"
(cd "$work/app" && npm install --offline --no-audit --no-fund --ignore-scripts --silent "$tarball")
python3 scripts/readme_snippets.py js "$work/app"
python3 scripts/readme_snippets.py js "$work/app" --readme bindings-wasm/README.md
(cd "$work/app" && node --input-type=module -e "
  import { createRequire } from 'node:module';
  const require = createRequire(process.cwd() + '/package.json');
  const cjs = require('delcredere');
  const full = await import('delcredere/full');
  if (typeof cjs.checkInsurability !== 'function' || typeof full.checkInsurability !== 'function') process.exit(1);
  console.log('npm: require and import of delcredere and delcredere/full from the installed tarball');
")

python3 scripts/check_packaging.py --wheel "$wheel" --tarball "$tarball"
