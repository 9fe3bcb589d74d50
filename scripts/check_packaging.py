#!/usr/bin/env python3
"""Checks the packages' metadata, and the contents of a built wheel and npm tarball.

    python3 scripts/check_packaging.py                                   # the sources only
    python3 scripts/check_packaging.py --wheel W.whl --tarball T.tgz      # and what was built

From the sources: one version everywhere (Cargo.toml's workspace, bindings-wasm/package.json,
the newest section of CHANGELOG.md); each extra of bindings-python/pyproject.toml has as lower
bound the version scripts/setup.sh installs (the one the tests run against); no placeholder
address (example.invalid, example.com) in any package manifest; the crate's files (cargo
package --list) include LICENSE, THIRD-PARTY-NOTICES and the README.

From a wheel: the README as its description, LICENSE and THIRD-PARTY-NOTICES as its licence
files, the licence expression, the extras, no placeholder address. From an npm tarball:
LICENSE, THIRD-PARTY-NOTICES and the three builds, no placeholder address in any file. In
both, THIRD-PARTY-NOTICES is the package directory's (scripts/licences.py), with a licence text
for every crate it lists.

Exit status 0 when all holds, 1 with one line per problem otherwise.
"""

import json
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from licences import crates_without_text  # noqa: E402
PLACEHOLDER = re.compile(rb"example\.(invalid|com|org)")
EXTRAS = {"arrow": ["pyarrow"], "pandas": ["pandas", "pyarrow"], "polars": ["polars", "pyarrow"]}


def setup_pins() -> dict:
    """The Python packages scripts/setup.sh installs, by name: their pinned versions."""
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r'"?([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([0-9][^\s"]*)"?', text)}


def lower_bound(requirement: str):
    """(name, lower bound) of a requirement such as ``pandas>=3.1.1,<4``."""
    m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)", requirement)
    return (m.group(1).lower(), m.group(2)) if m else (requirement.split("[")[0].strip().lower(), None)


def check_sources() -> list:
    problems = []
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    version = cargo["workspace"]["package"]["version"]
    npm = json.loads((ROOT / "bindings-wasm" / "package.json").read_text(encoding="utf-8"))
    if npm["version"] != version:
        problems.append(f"bindings-wasm/package.json has version {npm['version']}, Cargo.toml {version}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (\d+\.\d+\.\d+\S*)", changelog, flags=re.M)
    if not sections or sections[0] != version:
        problems.append(f"CHANGELOG.md's newest section is {sections[:1]}, the version is {version}")
    pyproject = tomllib.loads((ROOT / "bindings-python" / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"].get("optional-dependencies", {})
    if sorted(extras) != sorted(EXTRAS):
        problems.append(f"pyproject.toml's extras are {sorted(extras)}, expected {sorted(EXTRAS)}")
    pins = setup_pins()
    for extra, requirements in extras.items():
        names = sorted(lower_bound(r)[0] for r in requirements)
        if names != sorted(EXTRAS.get(extra, [])):
            problems.append(f"extra [{extra}] requires {names}, expected {sorted(EXTRAS.get(extra, []))}")
        for requirement in requirements:
            name, bound = lower_bound(requirement)
            if bound is None or pins.get(name) != bound:
                problems.append(f"extra [{extra}]: {requirement!r} has not scripts/setup.sh's version "
                                f"{pins.get(name)} as its lower bound")
    for manifest in ["Cargo.toml", "core/Cargo.toml", "bindings-python/Cargo.toml", "bindings-wasm/Cargo.toml",
                     "bindings-c/Cargo.toml", "bindings-python/pyproject.toml", "bindings-wasm/package.json"]:
        if PLACEHOLDER.search((ROOT / manifest).read_bytes()):
            problems.append(f"{manifest} names a placeholder address")
    listed = subprocess.run(["cargo", "package", "-p", "delcredere", "--list", "--locked", "--allow-dirty", "--quiet"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for needed in ("LICENSE", "THIRD-PARTY-NOTICES", "README.md"):
        if needed not in listed:
            problems.append(f"the crate delcredere (cargo package --list) has no {needed}")
    return problems


def check_notices(path: Path, shipped: bytes, directory: str) -> list:
    """The THIRD-PARTY-NOTICES a package ships: the directory's, a licence text for each crate."""
    if shipped != (ROOT / directory / "THIRD-PARTY-NOTICES").read_bytes():
        return [f"{path.name}: its THIRD-PARTY-NOTICES is not {directory}/THIRD-PARTY-NOTICES"]
    return [f"{path.name}: THIRD-PARTY-NOTICES has no licence text for {crate}"
            for crate in crates_without_text(shipped.decode("utf-8"))]


def check_wheel(path: Path) -> list:
    problems = []
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        metadata_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if metadata_name is None:
            return [f"{path.name}: no METADATA"]
        metadata = wheel.read(metadata_name).decode("utf-8")
        for name in names:
            if PLACEHOLDER.search(wheel.read(name)):
                problems.append(f"{path.name}: {name} names a placeholder address")
    head, _, body = metadata.partition("\n\n")
    fields = [line.split(": ", 1) for line in head.splitlines() if ": " in line]
    def values(key):
        return [v for k, v in fields if k == key]
    if values("License-Expression") != ["Apache-2.0"]:
        problems.append(f"{path.name}: License-Expression {values('License-Expression')}")
    for licence_file in ("LICENSE", "THIRD-PARTY-NOTICES"):
        if licence_file not in values("License-File"):
            problems.append(f"{path.name}: no License-File {licence_file} (has {values('License-File')})")
        if not any(n.endswith(f".dist-info/licenses/{licence_file}") for n in names):
            problems.append(f"{path.name}: {licence_file} is not in .dist-info/licenses/")
    with zipfile.ZipFile(path) as wheel:
        shipped = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/THIRD-PARTY-NOTICES")]
        if shipped:
            problems += check_notices(path, wheel.read(shipped[0]), "bindings-python")
    if sorted(values("Provides-Extra")) != sorted(EXTRAS):
        problems.append(f"{path.name}: Provides-Extra {values('Provides-Extra')}")
    content_type = values("Description-Content-Type")
    if len(content_type) != 1 or not content_type[0].startswith("text/markdown") or not body.startswith("# delcredere"):
        problems.append(f"{path.name}: the description is not the README ({content_type})")
    return problems


def check_tarball(path: Path) -> list:
    problems = []
    with tarfile.open(path) as tarball:
        members = {m.name: m for m in tarball.getmembers() if m.isfile()}
        for needed in ("package/LICENSE", "package/THIRD-PARTY-NOTICES", "package/package.json",
                       "package/pkg-node/delcredere_wasm.js", "package/pkg-web/delcredere_wasm.js",
                       "package/pkg-web-full/delcredere_wasm.js"):
            if needed not in members:
                problems.append(f"{path.name}: no {needed}")
        if "package/THIRD-PARTY-NOTICES" in members:
            shipped = tarball.extractfile(members["package/THIRD-PARTY-NOTICES"]).read()
            problems += check_notices(path, shipped, "bindings-wasm")
        for name, member in members.items():
            data = tarball.extractfile(member).read()
            if PLACEHOLDER.search(data):
                problems.append(f"{path.name}: {name} names a placeholder address")
    return problems


def main(argv: list) -> int:
    problems = check_sources()
    if "--wheel" in argv:
        problems += check_wheel(Path(argv[argv.index("--wheel") + 1]))
    if "--tarball" in argv:
        problems += check_tarball(Path(argv[argv.index("--tarball") + 1]))
    for problem in problems:
        print(f"packaging: {problem}", file=sys.stderr)
    if not problems:
        print("packaging: metadata agrees" + (" and the built packages carry what they should"
                                              if len(argv) > 0 else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
