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
- the package's THIRD-PARTY-NOTICES is written, or with --check compared with the committed
  file: the crates compiled into it (name, version, licence, source), then each crate's licence
  text with its copyright notice, as MIT, BSD, ISC, Zlib and Apache ask of a binary that ships
  their code. Where a crate offers a choice, one licence is taken (PREFERENCE); its text is the
  crate's own file for it (LICENSE-MIT, LICENSE, COPYING, ...; with its NOTICE and COPYRIGHT
  files), read from the crate's source at the locked version in Cargo's registry (~/.cargo, or
  $CARGO_HOME: the sources `cargo fetch --locked` unpacks, which this script runs when one is
  missing). A crate that ships no text for it gets the licence's standard text from
  scripts/licence-texts/ under its declared authors; a crate with neither is a problem;
- the package directory's LICENSE must be a copy of the repository's LICENSE.

    python3 scripts/licences.py           # (re)writes the four THIRD-PARTY-NOTICES
    python3 scripts/licences.py --check   # CI: fails on a licence off the list or any drift

Exit status 0 when all is well, 1 with one line per problem otherwise.
"""

import os
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_FILE = ROOT / "scripts" / "licences-allowed.txt"
STANDARD_TEXTS = ROOT / "scripts" / "licence-texts"

# The licence taken where a crate offers a choice: the first of these it offers (the shortest
# obligations first), then any other allowed one.
PREFERENCE = ["MIT", "BSL-1.0", "Zlib", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Unlicense", "CC0-1.0",
              "Apache-2.0", "Apache-2.0 WITH LLVM-exception"]

# A licence's file in a crate: a licence file whose name contains one of these words. A licence
# without such a file is in the crate's one generic file (LICENSE, LICENSE.txt, COPYING...).
FILE_WORDS = {
    "MIT": ["MIT"], "Apache-2.0": ["APACHE"], "Apache-2.0 WITH LLVM-exception": ["LLVM"],
    "BSL-1.0": ["BOOST", "BSL"], "Zlib": ["ZLIB"], "ISC": ["ISC"], "BSD-2-Clause": ["BSD"],
    "BSD-3-Clause": ["BSD"], "Unlicense": ["UNLICENSE"], "CC0-1.0": ["CC0"], "Unicode-3.0": ["UNICODE"],
}
LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|UNLICENSE|NOTICE|COPYRIGHT)", re.IGNORECASE)
GENERIC_FILE = re.compile(r"^(LICEN[CS]E|COPYING)(\.(md|txt))?$", re.IGNORECASE)
# Shipped with whichever licence is taken: Apache's NOTICE (section 4(d)) and the COPYRIGHT
# files that say who holds the copyright.
ALWAYS_FILE = re.compile(r"^(NOTICE|COPYRIGHT)", re.IGNORECASE)

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
    return _choice(expression, allowed) is not None


def chosen(expression: str, allowed: set) -> list:
    """The licences a recipient takes to meet the SPDX `expression` with `allowed` licences:
    one side of each OR (the first in PREFERENCE), both sides of each AND; [] when it cannot be
    met.

    >>> ok = {"MIT", "Apache-2.0", "Unicode-3.0", "BSL-1.0", "BSD-2-Clause"}
    >>> chosen("Apache-2.0 OR MIT", ok), chosen("MIT/Apache-2.0", ok), chosen("Apache-2.0 OR BSL-1.0", ok)
    (['MIT'], ['MIT'], ['BSL-1.0'])
    >>> chosen("(MIT OR Apache-2.0) AND Unicode-3.0", ok), chosen("Apache-2.0 AND MIT", ok)
    (['MIT', 'Unicode-3.0'], ['Apache-2.0', 'MIT'])
    >>> chosen("BSD-2-Clause OR Apache-2.0 OR MIT", ok), chosen("LGPL-2.1-or-later", ok)
    (['MIT'], [])
    """
    return _choice(expression, allowed) or []


def _choice(expression: str, allowed: set):
    """The one reading of an SPDX `expression` behind :func:`satisfiable` and :func:`chosen`: the
    licences taken (a list), or None when `allowed` cannot meet it; a ValueError when it does not
    read."""
    toks = tokens(expression)
    pos = 0
    rank = {name: i for i, name in enumerate(PREFERENCE)}

    def cost(names):
        return sum(rank.get(n, len(PREFERENCE)) for n in names)

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        if pos >= len(toks):
            raise ValueError(f"cannot read licence expression {expression!r}")
        pos += 1
        return toks[pos - 1]

    def primary():
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
        return [name] if name in allowed else None

    def conjunction():
        value = primary()
        while peek() == "AND":
            take()
            other = primary()
            value = None if value is None or other is None else value + [n for n in other if n not in value]
        return value

    def disjunction():
        options = [conjunction()]
        while peek() == "OR":
            take()
            options.append(conjunction())
        options = [o for o in options if o is not None]
        return min(options, key=cost) if options else None

    result = disjunction()
    if pos != len(toks):
        raise ValueError(f"cannot read licence expression {expression!r}")
    return result


def registry() -> Path:
    return Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo") / "registry"


def crate_source(name: str, version: str) -> dict:
    """{file name: text} of the files at the top of the crate's source in Cargo's registry (its
    licence files and Cargo.toml), or None when the registry does not hold it."""
    wanted = lambda f: bool(LICENCE_FILE.match(f)) or f == "Cargo.toml"
    read = lambda data: data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    for directory in sorted(registry().glob(f"src/*/{name}-{version}")):
        if (directory / "Cargo.toml").is_file():
            return {f.name: read(f.read_bytes()) for f in sorted(directory.iterdir()) if f.is_file() and wanted(f.name)}
    for archive in sorted(registry().glob(f"cache/*/{name}-{version}.crate")):
        with tarfile.open(archive) as crate:
            files = {}
            for member in crate.getmembers():
                top, _, file = member.name.partition("/")
                if top == f"{name}-{version}" and "/" not in file and member.isfile() and wanted(file):
                    files[file] = read(crate.extractfile(member).read())
            return files
    return None


_fetched = False


def crate_files(name: str, version: str) -> dict:
    """crate_source, after `cargo fetch --locked` if the registry does not hold the crate."""
    global _fetched
    files = crate_source(name, version)
    if files is None and not _fetched:
        _fetched = True
        subprocess.run(["cargo", "fetch", "--locked", "--quiet"], cwd=ROOT, check=True)
        files = crate_source(name, version)
    return files


def licence_texts(name: str, version: str, licences: list, repository: str) -> tuple:
    """([(file name, text)], problem): the texts of `licences` for the crate, with its NOTICE and
    COPYRIGHT files."""
    files = crate_files(name, version)
    if files is None:
        return [], f"{name} {version} is not in Cargo's registry ({registry()}) after cargo fetch"
    licence_files = sorted(f for f in files if LICENCE_FILE.match(f))
    texts, missing = [], []
    for licence in licences:
        words = FILE_WORDS.get(licence, [licence.upper()])
        found = [f for f in licence_files if any(w in f.upper() for w in words) and not ALWAYS_FILE.match(f)]
        if licence == "Apache-2.0":
            found = [f for f in found if "LLVM" not in f.upper()]
        if not found:
            found = [f for f in licence_files if GENERIC_FILE.match(f)]
        if found:
            texts += [(f, files[f]) for f in found if (f, files[f]) not in texts]
        else:
            missing.append(licence)
    texts += [(f, files[f]) for f in licence_files if ALWAYS_FILE.match(f)]
    problem = None
    for licence in missing:
        standard = STANDARD_TEXTS / licence
        if not standard.is_file():
            problem = (f"{name} {version} ships no {licence} text and {standard.relative_to(ROOT)} "
                       "does not exist: add the licence's standard text there")
            continue
        authors = tomllib.loads(files.get("Cargo.toml", "")).get("package", {}).get("authors", [])
        holders = ", ".join(a.split(" <")[0] for a in authors) or f"the authors of {name} ({repository})"
        notice = (f"(The crate ships no licence file: the {licence} licence's standard text, under the\n"
                  f"copyright of its declared authors.)\n\nCopyright (c) {holders}\n\n")
        texts.append((f"{licence} (standard text)", notice + standard.read_text(encoding="utf-8")))
    return texts, problem


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


def notices(package: str, target: str, what: str, linked: list, allowed: set, problems: list) -> str:
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
        "Their licence texts and copyright notices follow the list, as each crate ships them.\n"
        "\n"
        "Written by scripts/licences.py from Cargo.lock; CI checks that it is current.\n"
        "\n"
    )
    lines = [f"{'crate':<{width_name}}  {'version':<{width_version}}  {'licence':<{width_licence}}  source"]
    for name, version, licence, repository in rows:
        lines.append(f"{name:<{width_name}}  {version:<{width_version}}  {licence:<{width_licence}}  {repository}".rstrip())
    # Texts several crates ship alike are given once, after the list of those crates.
    groups = {}
    for name, version, licence, repository in rows:
        taken = chosen(licence, allowed)
        texts, problem = licence_texts(name, version, taken, repository)
        if problem:
            problems.append(f"{package}: {problem}")
        for file, text in texts:
            groups.setdefault(text.strip("\n"), []).append(f"{name} {version} ({' AND '.join(taken)}: {file})")
    body = [
        "",
        "",
        "LICENCE TEXTS",
        "",
        "Each crate above is used under the licence named here (one of those its expression offers",
        "where it offers a choice), whose text and copyright notice follow, from the file of the",
        "crate's source named. A text several crates ship alike is given once.",
    ]
    for text, users in groups.items():
        body += ["", "=" * 78] + [f"{TEXT_OF} {user}" for user in users] + ["=" * 78, "", text]
    return head + "\n".join(lines) + "\n".join(body) + "\n"


# The line that names a crate whose licence text follows it.
TEXT_OF = "Text of:"


def crates_without_text(notice: str) -> list:
    """The crates of a THIRD-PARTY-NOTICES list that no licence text in it is given for.

    >>> listed = "crate  version  licence  source\\nfoo    1.0.0    MIT      x\\nbar    2.0.0    MIT      y\\n"
    >>> crates_without_text(listed + "\\nLICENCE TEXTS\\n" + TEXT_OF + " foo 1.0.0 (MIT: LICENSE)\\n")
    ['bar 2.0.0']

    The committed files, each shipped in its package, give a text for every crate:

    >>> [str(p.relative_to(ROOT)) for p in notice_files() if crates_without_text(p.read_text(encoding="utf-8"))]
    []
    """
    listing, _, texts = notice.partition("\nLICENCE TEXTS\n")
    rows = listing.split("\ncrate ", 1)[-1].splitlines()[1:]
    listed = [" ".join(row.split()[:2]) for row in rows if row.strip()]
    given = {" ".join(line.split()[2:4]) for line in texts.splitlines() if line.startswith(TEXT_OF)}
    return [crate for crate in listed if crate not in given]


def notice_files() -> list:
    return [ROOT / directory / "THIRD-PARTY-NOTICES" for _, _, directory, _ in PACKAGES]


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
        text = notices(package, target, what, crates(package, target, "normal,no-proc-macro"), allowed, problems)
        for crate in crates_without_text(text):
            problems.append(f"{package}: no licence text for {crate} in its THIRD-PARTY-NOTICES")
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
