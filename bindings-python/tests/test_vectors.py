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


# The ops an engine method answers, and the vectors of theirs that do not run through the
# engine, each with its reason (spec/vectors/README.md, "Through the engine").
ROUTED_OPS = ("account_state", "obligations", "check_delivery_cover", "limit_state")
with open(REPO / "spec" / "engine" / "not-through-the-engine.json", encoding="utf-8") as _f:
    NOT_THROUGH_THE_ENGINE: Dict[str, str] = json.load(_f)

ENGINE_CASES = [(i, c) for i, c in CASES if c.get("op") in ROUTED_OPS and i not in NOT_THROUGH_THE_ENGINE]


def test_vectors_run_through_the_engine() -> None:
    assert len([c for _, c in ENGINE_CASES if "expect" in c]) > 100
    assert len([c for _, c in ENGINE_CASES if "error" in c]) > 10


def test_the_vectors_not_through_the_engine_are_vectors_of_its_ops_with_a_reason() -> None:
    routed = {i for i, c in CASES if c.get("op") in ROUTED_OPS}
    for case_id, reason in NOT_THROUGH_THE_ENGINE.items():
        assert case_id in routed, f"{case_id} is no vector of {ROUTED_OPS}"
        assert reason.strip(), f"{case_id} without a reason"
    # The core's conversion answers for exactly these ops.
    assert delcredere._delcredere.engine_route("validate_policy", {}) is None


@pytest.mark.parametrize("case", [c for _, c in ENGINE_CASES], ids=[i for i, _ in ENGINE_CASES])
def test_vector_through_the_engine(case: Dict[str, Any]) -> None:
    """The core's conversion of the op's input (engine::route), the engine loaded from its setup,
    the method run by name: the op's output, or its error code (the engine names its own fields,
    e.g. ``setup.buyers[0].events``)."""
    routed = delcredere._delcredere.engine_route(case["op"], case["input"])
    assert routed is not None
    try:
        engine = delcredere.Engine.load(routed["setup"])
        actual = engine.call(routed["method"], routed["input"])
    except delcredere.DelcredereError as e:
        assert "error" in case, f"through the engine: {e!r}"
        assert e.code == case["error"]["code"], f"through the engine: {e!r}"
        return
    assert "expect" in case, f"through the engine: expected error {case['error']}, got {actual!r}"
    _same(case["expect"], actual, case.get("match") == "subset", "")
