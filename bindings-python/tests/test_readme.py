"""Every Python block of the README runs (issue #25: its first snippet raised AttributeError).

The blocks run in order in one namespace that holds the quickstart ``policy`` and ``buyer``
(conftest), ``date``, ``Decimal``, pandas as ``pd`` and ``as_of``; a block may use what an
earlier one defined. An expression followed by a comment that is itself a Python value
(``d.outcome  # 'insurable'``) must equal that value.
"""

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

import delcredere
from conftest import BUYER, POLICY

README = Path(__file__).resolve().parents[2] / "README.md"
NOTHING = object()


def python_blocks():
    text = README.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_has_python_blocks():
    assert len(python_blocks()) >= 4


def test_every_python_block_of_the_readme_runs_and_says_what_it_gives():
    namespace = {
        "delcredere": delcredere,
        "date": date,
        "Decimal": Decimal,
        "pd": pd,
        "policy": dict(POLICY),
        "buyer": dict(BUYER),
        "as_of": date(2026, 12, 31),
    }
    compared = 0
    for block in python_blocks():
        lines = block.splitlines()
        for statement in ast.parse(block).body:
            code = compile(ast.Module(body=[statement], type_ignores=[]), "README.md", "exec")
            if not isinstance(statement, ast.Expr):
                exec(code, namespace)
                continue
            value = eval(compile(ast.Expression(statement.value), "README.md", "eval"), namespace)
            line = lines[statement.end_lineno - 1]
            comment = line[statement.end_col_offset :].strip()
            if not comment.startswith("#"):
                continue
            # The value, then perhaps a note in brackets: `# 'computed' (call gives dicts)`.
            said = comment[1:].strip()
            candidates = [said, re.sub(r"\s+\([^()]*\)$", "", said)]
            expected = NOTHING
            for candidate in candidates:
                try:
                    expected = eval(candidate, dict(namespace))
                    break
                except Exception:
                    continue  # a comment in words, not a value
            if expected is NOTHING:
                continue
            assert value == expected, f"README: {line.strip()} gives {value!r}"
            compared += 1
    assert compared >= 4, f"only {compared} values compared"
