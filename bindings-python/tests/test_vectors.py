"""Runs the conformance vectors (spec/vectors/**/*.json, plus every *.json below
$DELCREDERE_EXTRA_VECTORS) through ``delcredere.call`` and compares as
spec/vectors/README.md says."""

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import delcredere

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "spec" / "vectors"
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _files() -> List[Path]:
    files = sorted(VECTORS.glob("**/*.json"))
    extra = os.environ.get("DELCREDERE_EXTRA_VECTORS")
    if extra:
        files += sorted(Path(extra).glob("**/*.json"))
    return files


def _load() -> List[Tuple[str, Dict[str, Any]]]:
    cases = []
    for path in _files():
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        assert isinstance(data, list), f"{path}: a vector file is a JSON array of cases"
        for case in data:
            case = dict(case, _file=str(path))
            cases.append((case.get("id", f"{path.name}:<no id>"), case))
    return cases


CASES = _load()


def test_vectors_were_loaded() -> None:
    assert len(CASES) >= 1, f"no vector cases found under {VECTORS} or $DELCREDERE_EXTRA_VECTORS"


def test_vector_ids_are_unique() -> None:
    ids = [case_id for case_id, _ in CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate vector ids: {duplicates}"


def _same(expected: Any, actual: Any, subset: bool, path: str) -> None:
    if isinstance(actual, Decimal):
        actual = format(actual, "f")  # its plain string; str() may use an exponent
    where = path or "<output>"
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        if not subset:
            assert set(actual) == set(expected), (
                f"{where}: keys differ: missing {sorted(set(expected) - set(actual))}, "
                f"unexpected {sorted(set(actual) - set(expected))}"
            )
        for key, value in expected.items():
            assert key in actual, f"{where}: missing key {key!r}"
            _same(value, actual[key], subset, f"{path}.{key}" if path else key)
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{where}: expected {len(expected)} elements, got {len(actual)}: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual)):
            _same(e, a, subset, f"{path}[{i}]")
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{where}: expected {expected!r}, got {actual!r}"
        if expected != actual:
            both_decimal = DECIMAL.match(expected) and DECIMAL.match(actual)
            assert both_decimal and Decimal(expected) == Decimal(actual), (
                f"{where}: expected {expected!r}, got {actual!r}"
            )
    elif isinstance(expected, bool) or expected is None:
        assert actual is expected, f"{where}: expected {expected!r}, got {actual!r}"
    else:
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_vector(case: Dict[str, Any]) -> None:
    op = case.get("op")
    assert op in delcredere.OPS, f"{case['_file']}: unknown op {op!r} (known: {delcredere.OPS})"
    assert ("expect" in case) != ("error" in case), "a case has exactly one of expect and error"
    assert case.get("match", "exact") in ("exact", "subset"), f"unknown match {case['match']!r}"
    subset = case.get("match") == "subset"
    if "error" in case:
        with pytest.raises(delcredere.DelcredereError) as info:
            delcredere.call(op, case["input"])
        error = case["error"]
        assert info.value.code == error["code"], f"{info.value!r}"
        if "field" in error:
            assert info.value.field == error["field"], f"{info.value!r}"
    else:
        actual = delcredere.call(op, case["input"])
        _same(case["expect"], actual, subset, "")


def _engine_route(op: str, input: Dict[str, Any]) -> Any:
    """A case of an op that an engine method answers, as an engine setup, the method and its
    arguments (spec/vectors/README.md, "Through the engine")."""
    if op == "account_state":
        setup = {"policy": input["policy"],
                 "buyers": [{"id": "b0", "buyer": input["buyer"], "events": input["events"]}]}
        return setup, "account_state", ("b0", input["asOf"])
    if op == "obligations":
        buyers = [{"id": f"b{i}", "buyer": a["buyer"], "events": a["events"]}
                  for i, a in enumerate(input["accounts"])]
        return {"policy": input["policy"], "buyers": buyers}, "obligations", (input["asOf"], input.get("lang"))
    return None


ENGINE_CASES = [(i, c) for i, c in CASES if "expect" in c and _engine_route(c["op"], c["input"])]


def test_some_vectors_run_through_the_engine() -> None:
    assert ENGINE_CASES


@pytest.mark.parametrize("case", [c for _, c in ENGINE_CASES], ids=[i for i, _ in ENGINE_CASES])
def test_vector_through_the_engine(case: Dict[str, Any]) -> None:
    setup, method, args = _engine_route(case["op"], case["input"])
    engine = delcredere.Engine.load(setup)
    actual = getattr(engine, method)(*args)
    _same(case["expect"], actual.to_dict(), case.get("match") == "subset", "")
