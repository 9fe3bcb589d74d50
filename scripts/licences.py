#!/usr/bin/env python3
"""The licence inventory of the four shipped packages, and its check.

For each package (the crate `delcredere`, the Python wheel built from `delcredere-python`, the
npm package built from `delcredere-wasm` for wasm32, the C library `delcredere-c`) it asks
`cargo tree --locked` for the crates of the package's dependency graph: normal dependencies
only (no dev- or build-dependencies), the package's own features, every target platform for
the native packages (so the answer does not depend on the machine it runs on) and
wasm32-unknown-unknown for the npm package. Then:

- every crate's declared licence (an SPDX expression; `MIT/Apache-2.0` read as an OR) must be
  met by the allow-list scripts/licences-allowed.txt, proc-macro crates included;
- the package's THIRD-PARTY-NOTICES (the crates compiled into it: name, version, licence,
  source) is written, or with --check compared with the committed file;
- the package directory's LICENSE must be a copy of the repository's LICENSE.

    python3 scripts/licences.py           # (re)writes the four THIRD-PARTY-NOTICES
    python3 scripts/licences.py --check   # CI: fails on a licence off the list or any drift

Exit status 0 when all is well, 1 with one line per problem otherwise.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_FILE = ROOT / "scripts" / "licences-allowed.txt"

# (cargo package, target, directory that ships it, what ships)
PACKAGES = [
    ("delcredere", "all", "core", "the Rust crate delcredere (the crates it depends on)"),
    ("delcredere-python", "all", "bindings-python", "the Python package delcredere (its compiled module)"),
    ("delcredere-wasm", "wasm32-unknown-unknown", "bindings-wasm",
     "the npm package delcredere (its WebAssembly modules and their JavaScript glue)"),
    ("delcredere-c", "all", "bindings-c", "the C library delcredere_c (shared and static)"),
]


def allowed_licences() -> set:
    lines = ALLOWED_FILE.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def tokens(expression: str) -> list:
    spaced = expression.replace("/", " OR ").replace("(", " ( ").replace(")", " ) ")
    return spaced.split()


def satisfiable(expression: str, allowed: set) -> bool:
    """Whether the SPDX `expression` can be met with `allowed` licences: OR binds looser than
    AND, AND looser than WITH; `A WITH B` must be allowed as a whole.

    >>> ok = {"MIT", "Apache-2.0", "Unicode-3.0"}
    >>> satisfiable("MIT OR Apache-2.0", ok), satisfiable("MIT/Apache-2.0", ok)
    (True, True)
    >>> satisfiable("(MIT OR Apache-2.0) AND Unicode-3.0", ok), satisfiable("MIT AND LGPL-2.1", ok)
    (True, False)
    >>> satisfiable("GPL-3.0-only OR LGPL-2.1-or-later", ok)
    False
    >>> satisfiable("Apache-2.0 WITH LLVM-exception", ok), satisfiable("Apache-2.0 WITH LLVM-exception OR MIT", ok)
    (False, True)
    """
    toks = tokens(expression)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def primary() -> bool:
        if peek() == "(":
            take()
            value = disjunction()
            if take() != ")":
                raise ValueError(f"unbalanced parentheses in {expression!r}")
            return value
        name = take()
        if peek() == "WITH":
            take()
            name = f"{name} WITH {take()}"
        return name in allowed

    def conjunction() -> bool:
        value = primary()
        while peek() == "AND":
            take()
            value = primary() and value
        return value

    def disjunction() -> bool:
        value = conjunction()
        while peek() == "OR":
            take()
            value = conjunction() or value
        return value

    result = disjunction()
    if pos != len(toks):
        raise ValueError(f"cannot read licence expression {expression!r}")
    return result


def crates(package: str, target: str, edges: str) -> list:
    """(name, version, licence, repository, is_ours) of each crate in `package`'s graph."""
    out = subprocess.run(
        ["cargo", "tree", "--locked", "--quiet", "-p", package, "-e", edges, "--target", target,
         "--prefix", "none", "--format", "{p}\t{l}\t{r}"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        line = line.replace(" (*)", "")
        if not line.strip():
            continue
        spec, licence, repository = (line.split("\t") + ["", ""])[:3]
        parts = spec.split()
        name, version = parts[0], parts[1].lstrip("v")
        ours = len(parts) > 2 and parts[2].startswith("(") and not parts[2].startswith("(proc-macro")
        found[(name, version)] = (name, version, licence.strip(), repository.strip(), ours)
    return sorted(found.values())


def notices(package: str, target: str, what: str, linked: list) -> str:
    rows = [(name, version, licence, repository) for name, version, licence, repository, ours in linked if not ours]
    width_name = max(len(r[0]) for r in rows)
    width_version = max(len(r[1]) for r in rows)
    width_licence = max(len(r[2]) for r in rows)
    platform = "every target platform" if target == "all" else target
    head = (
        f"Third-party software in {what}\n"
        f"Built from the Cargo package {package} ({platform}).\n"
        "\n"
        "delcredere is licensed under the Apache License 2.0 (LICENSE, beside this file). It\n"
        "contains code compiled from the Rust crates below, each under the licence it declares\n"
        "(an SPDX expression: where it offers a choice, the recipient may use any one of them).\n"
        "Their licence texts and copyright notices are in each crate's source at the version\n"
        "given, on crates.io.\n"
        "\n"
        "Written by scripts/licences.py from Cargo.lock; CI checks that it is current.\n"
        "\n"
    )
    lines = [f"{'crate':<{width_name}}  {'version':<{width_version}}  {'licence':<{width_licence}}  source"]
    for name, version, licence, repository in rows:
        lines.append(f"{name:<{width_name}}  {version:<{width_version}}  {licence:<{width_licence}}  {repository}".rstrip())
    return head + "\n".join(lines) + "\n"


def main(argv: list) -> int:
    check = "--check" in argv
    allowed = allowed_licences()
    problems = []
    licence_text = (ROOT / "LICENSE").read_bytes()
    for package, target, directory, what in PACKAGES:
        for name, version, licence, _, _ in crates(package, target, "normal"):
            if not licence:
                problems.append(f"{package}: {name} {version} declares no licence (license field)")
            elif not satisfiable(licence, allowed):
                problems.append(f"{package}: {name} {version} is under {licence!r}, not met by "
                                f"{ALLOWED_FILE.relative_to(ROOT)}")
        text = notices(package, target, what, crates(package, target, "normal,no-proc-macro"))
        path = ROOT / directory / "THIRD-PARTY-NOTICES"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                problems.append(f"{path.relative_to(ROOT)} is not current: run python3 scripts/licences.py")
        else:
            path.write_text(text, encoding="utf-8")
        copy = ROOT / directory / "LICENSE"
        if not copy.exists() or copy.read_bytes() != licence_text:
            problems.append(f"{copy.relative_to(ROOT)} is not a copy of LICENSE")
    for problem in problems:
        print(f"licences: {problem}", file=sys.stderr)
    if not problems:
        print("licences: every crate's licence is allowed; THIRD-PARTY-NOTICES "
              + ("current" if check else "written") + f" in {len(PACKAGES)} packages")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
