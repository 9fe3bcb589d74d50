#!/usr/bin/env python3
"""Runs the code blocks of README.md, so that none can drift from the package it shows.

    python3 scripts/readme_snippets.py python [--first N]   # the ```python blocks, in this interpreter
    python3 scripts/readme_snippets.py js DIR [--readme PATH] # the ```js blocks, with node, from DIR

The ```rust blocks are doc tests of the core (`core/src/lib.rs` includes README.md under
`cfg(doctest)`), so `cargo test -p delcredere --doc` runs them.

The blocks of one language run in order and build on each other, as a reader reads them: a
name defined in one block is there in the next (Python: one namespace; JS: the blocks are
joined into one module). A line that is an expression followed by a comment holding a value
is a check, and must give that value:

    d.outcome                    # 'insurable'        (Python: the comment is a Python literal,
                                                       Decimal(...) and date(...) allowed)
    decision.outcome;            // "insurable"       (JS: the comment is a JSON value)

A check inside a branch that never runs fails too (each check must run). A Python block whose
last lines are comments and that prints compares what it prints with them, line by line: each
printed line must begin that comment line (what follows it explains it). bindings-python's
tests/test_readme.py runs the Python blocks under pytest; scripts/package_smoke.sh runs the
first Python block in a fresh venv with the built wheel and the JS blocks in a fresh npm
project with the packed tarball. Exit status 0 when every block runs and every check holds.
"""

import ast
import contextlib
import io
import json
import re
import subprocess
import sys
import tokenize
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def blocks(language: str, readme: Path = README) -> list:
    """(first line number, code) of each fenced block of `language` in `readme`."""
    found = []
    lines = readme.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == f"```{language}":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            found.append((start + 1, "\n".join(lines[start:j]) + "\n"))
            i = j
        i += 1
    return found


# --- Python -------------------------------------------------------------------------------

_VALUE_NAMES = {"Decimal": Decimal, "date": date}


def _python_value(comment: str):
    """The value a check comment holds, or None when the comment is prose."""
    text = comment.lstrip("#").strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in _VALUE_NAMES:
            return None
        if isinstance(node, (ast.Attribute, ast.Lambda, ast.NamedExpr)):
            return None
    return (eval(compile(tree, "<readme check>", "eval"), dict(_VALUE_NAMES)),)  # noqa: S307


def _python_checks(code: str) -> tuple:
    """`code` with each check line made a call of `__readme_check__`, and the checks:
    {number: (line, source, expected)}."""
    comments = {}
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = (tok.start[1], tok.string)
    lines = code.splitlines()
    checks = {}
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Expr) or node.lineno != node.end_lineno or node.lineno not in comments:
            continue
        column, comment = comments[node.lineno]
        value = _python_value(comment)
        if value is None:
            continue
        line = lines[node.lineno - 1]
        source = line[node.col_offset:node.end_col_offset]
        n = len(checks)
        checks[n] = (node.lineno, source, value[0])
        lines[node.lineno - 1] = f"{line[:node.col_offset]}__readme_check__({n}, ({source}))"
    return "\n".join(lines) + "\n", checks


def _trailing_comments(code: str) -> list:
    lines = code.rstrip("\n").splitlines()
    tail = []
    while lines and lines[-1].lstrip().startswith("#"):
        tail.insert(0, lines.pop().lstrip()[1:].strip())
    return tail


def run_python(first=None, readme: Path = README) -> list:
    """Runs the Python blocks (the first `first` of them when given); the problems found."""
    namespace = {"__name__": "__readme__"}
    problems = []
    for start, code in blocks("python", readme)[:first]:
        rewritten, checks = _python_checks(code)
        ran = set()

        def check(n, value, checks=checks, ran=ran, start=start):
            ran.add(n)
            line, source, expected = checks[n]
            if value != expected or type(value) is not type(expected):
                problems.append(f"README.md:{start + line - 1}: {source} is {value!r}, the README says {expected!r}")

        namespace["__readme_check__"] = check
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(rewritten, f"README.md:{start}", "exec"), namespace)  # noqa: S102
        except Exception as e:  # noqa: BLE001 - a snippet's failure is reported, whatever it is
            problems.append(f"README.md:{start}: the block raises {type(e).__name__}: {e}")
            continue
        for n in sorted(set(checks) - ran):
            line, source, _ = checks[n]
            problems.append(f"README.md:{start + line - 1}: the check of {source} never ran")
        printed = out.getvalue().splitlines()
        if printed:
            said = _trailing_comments(code)
            if len(said) != len(printed) or any(not s.startswith(p) for p, s in zip(printed, said)):
                problems.append(f"README.md:{start}: the block prints {printed}, its closing comments say {said}")
    return problems


# --- JavaScript ---------------------------------------------------------------------------

_JS_CHECK = re.compile(r"^(?P<indent>\s*)(?P<source>[^;]+?);\s*//\s*(?P<value>.+?)\s*$")


def _js_value(text: str):
    try:
        return (json.loads(text),)
    except ValueError:
        return None


def js_program(readme: Path = README) -> tuple:
    """The JS blocks joined into one module, checks rewritten; the number of checks."""
    out = []
    n = 0
    for start, code in blocks("js", readme):
        out.append(f"// README.md:{start}")
        for offset, line in enumerate(code.splitlines()):
            m = _JS_CHECK.match(line)
            value = _js_value(m.group("value")) if m else None
            source = m.group("source") if m else ""
            balanced = all(source.count(a) == source.count(b) for a, b in ("()", "[]", "{}"))
            if m and value is not None and balanced and not source.lstrip().startswith(("import ", "const ", "let ", "return ")):
                where = f"README.md:{start + offset}"
                out.append(f"{m.group('indent')}__readme_check__({n}, ({source}), {json.dumps(value[0])}, "
                           f"{json.dumps(where + ': ' + source.strip())});")
                n += 1
            else:
                out.append(line)
    header = (
        "import { deepStrictEqual as __readme_equal__ } from 'node:assert/strict';\n"
        "const __readme_ran__ = new Set();\n"
        "function __readme_check__(n, value, expected, where) {\n"
        "  __readme_ran__.add(n);\n"
        "  try { __readme_equal__(value, expected); }\n"
        "  catch { throw new Error(`${where} is ${JSON.stringify(value)}, the README says ${JSON.stringify(expected)}`); }\n"
        "}\n"
    )
    # Imports first: an ES module's imports may stand anywhere, but keep the order readable.
    footer = (
        f"\nfor (let n = 0; n < {n}; n++) if (!__readme_ran__.has(n)) throw new Error(`README check ${{n}} never ran`);\n"
        f"console.log('README: {n} JS checks hold');\n"
    )
    return header + "\n".join(out) + footer, n


def run_js(directory: Path, readme: Path = README) -> list:
    """Runs the JS blocks with node as a module in `directory` (where `delcredere` resolves)."""
    program, _ = js_program(readme)
    path = directory / "readme-snippets.test.mjs"
    path.write_text(program, encoding="utf-8")
    try:
        done = subprocess.run(["node", str(path)], cwd=directory, capture_output=True, text=True)
    finally:
        path.unlink()
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        return [f"the README's JS blocks fail under node:\n{done.stderr.strip()}"]
    return []


def main(argv: list) -> int:
    if argv[:1] == ["python"]:
        first = int(argv[argv.index("--first") + 1]) if "--first" in argv else None
        problems = run_python(first)
        count = len(blocks("python")[:first])
        if not problems:
            print(f"README: {count} Python block(s) run, every check holds")
    elif len(argv) in (2, 4) and argv[0] == "js" and (len(argv) == 2 or argv[2] == "--readme"):
        readme = Path(argv[3]).resolve() if len(argv) == 4 else README
        problems = run_js(Path(argv[1]).resolve(), readme)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
