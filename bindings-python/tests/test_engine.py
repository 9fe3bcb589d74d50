"""delcredere.Engine (spec/engine.md): built from the core's table of methods, it answers as
the stateless ops on the same history; bad input raises InputError with the core's code and
field; it pickles through its snapshot."""

import copy
import inspect
import json
import pickle
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import pytest

import delcredere
from delcredere import Engine, InputError, _delcredere

POLICY = {
    "currency": "EUR",
    "insuranceYear": {"start": "2026-01-01"},
    "agreedCountries": ["DE"],
    "maxCreditPeriodDays": 120,
    "maxExtensionPeriodDays": 60,
    "waitingPeriodDays": 180,
    "indemnityPercentage": "90",
    "maximumLiability": {"amount": "1000000", "currency": "EUR"},
    "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}},
}
BUYER = {"legalName": "Müller GmbH", "legalForm": "GmbH", "country": "DE", "entityKind": "company"}
EVENTS = [
    {"type": "limitApplied", "id": "l1", "date": "2026-02-01",
     "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60},
    {"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}},
    {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1001",
     "amount": {"amount": "45000", "currency": "EUR"}, "paymentTermsDays": 60},
]
DELIVERY = {"date": "2026-03-02", "amount": {"amount": Decimal("10000"), "currency": "EUR"}, "paymentTermsDays": 60}


def engine() -> Engine:
    e = Engine(POLICY)
    assert e.add_buyer("D-1001", BUYER) == 0
    for event in EVENTS:
        assert e.apply("D-1001", event) is None
    return e


def eur(amount: str) -> dict:
    return {"amount": Decimal(amount), "currency": "EUR"}


def test_cover_figures_fast_path_answers_as_the_method() -> None:
    e = engine()
    # 45,000 owed under a 50,000 limit: 5,000 of the 10,000 delivery is covered (LIM-1).
    figures = e.cover_figures("D-1001", DELIVERY, date(2026, 3, 2))
    assert figures == {"covered": eur("5000"), "uncovered": eur("5000"), "coverType": "namedLimit",
                       "limit": eur("50000"), "excludedByOverdue": False}
    assert e.call("cover_figures", {"buyer": "D-1001", "delivery": DELIVERY, "asOf": "2026-03-02"}) == figures


def test_cover_figures_takes_a_position_and_plain_values() -> None:
    e = engine()
    expected = e.call("cover_figures", {"buyer": "D-1001", "delivery": DELIVERY, "asOf": "2026-03-02"})
    assert e.buyer_id("D-1001") == 0 and e.buyer_id("X-9") is None
    amounts = [Decimal("10000"), 10000, "10000", Decimal("10000.000"), Decimal("1E+4")]
    for amount in amounts:
        delivery = {**DELIVERY, "amount": {"amount": amount, "currency": "EUR"}}
        for buyer in ("D-1001", 0):
            for as_of in (date(2026, 3, 2), "2026-03-02"):
                got = e.cover_figures(buyer, delivery, as_of)
                want = e.call("cover_figures", {"buyer": "D-1001", "delivery": delivery, "asOf": "2026-03-02"})
                assert got == want
                # The same Decimals: value and exponent (their text), not just equal values.
                assert [str(got[k]["amount"]) for k in ("covered", "uncovered", "limit")] == \
                    [str(want[k]["amount"]) for k in ("covered", "uncovered", "limit")]
                assert list(got) == list(want)
    assert expected["covered"]["amount"].as_tuple() == Decimal("5000").as_tuple()
    # A delivery covered in full is answered with the amount given, exponent kept.
    small = {**DELIVERY, "amount": {"amount": Decimal("1000.50"), "currency": "EUR"}}
    got = e.cover_figures(0, small, date(2026, 3, 2))
    assert str(got["covered"]["amount"]) == "1000.50"
    assert got == e.call("cover_figures", {"buyer": "D-1001", "delivery": small, "asOf": "2026-03-02"})
    # What the plain read does not take goes the general way, with its errors.
    assert err(e.cover_figures, 0, {**DELIVERY, "color": "red"}, "2026-03-02") == ("unknown_field", "delivery.color")
    assert err(e.cover_figures, 0, DELIVERY, "2026-02-30") == ("invalid_date", "asOf")
    usd = {**DELIVERY, "amount": {"amount": Decimal("10"), "currency": "USD"}}
    assert err(e.cover_figures, 0, usd, "2026-03-02")[1] == "delivery.amount.currency"
    nan = {**DELIVERY, "amount": {"amount": Decimal("NaN"), "currency": "EUR"}}
    assert err(e.cover_figures, 0, nan, "2026-03-02") == ("invalid_amount", "delivery.amount.amount")


def test_check_cover_is_an_explained_decision() -> None:
    d = engine().check_cover("D-1001", DELIVERY, "2026-03-02")
    assert isinstance(d, delcredere.Decision)
    assert d.outcome == "partly_covered"
    assert d.amounts["coveredAmount"] == eur("5000.00")


def test_states_are_the_stateless_ops_answers() -> None:
    e = engine()
    as_of = date(2026, 6, 30)
    assert e.account_state("D-1001", as_of) == delcredere.account_state(POLICY, BUYER, EVENTS, as_of)
    assert e.obligations(as_of, "de") == delcredere.obligations(
        POLICY, [{"buyer": BUYER, "events": EVENTS}], as_of, "de")
    assert e.limit_state("D-1001", as_of) == delcredere.limit_state(
        POLICY, [{"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
                 {"type": "granted", "date": "2026-02-05", "amount": eur("50000")}], as_of)
    assert e.outstanding("D-1001", "2026-03-02") == eur("45000")
    assert e.buyer_keys() == ["D-1001"]
    assert [ev["id"] for ev in e.events("D-1001")] == ["l1", "l2", "i1"]
    assert e.policy()["currency"] == "EUR"
    assert len(e) == 1


def test_every_method_of_the_core_table_is_a_method_with_its_parameters() -> None:
    for name, _changes, params, _input, _output, _doc in _delcredere.ENGINE_METHODS:
        method = getattr(Engine, name)
        names = list(inspect.signature(method).parameters)[1:]
        snake = ["as_of" if k == "asOf" else k for k, _ts, _opt in params]
        assert names == snake, name
    assert delcredere._ENGINE_METHODS == [row[0] for row in _delcredere.ENGINE_METHODS]


def test_keywords_and_optional_parameters() -> None:
    e = engine()
    assert e.obligations(as_of="2026-06-30") == e.obligations("2026-06-30", None)
    with pytest.raises(TypeError):
        e.account_state("D-1001", as_of="2026-06-30", lang="de")
    with pytest.raises(TypeError):
        e.account_state("D-1001", "2026-06-30", "extra")


def test_apply_all_and_frames() -> None:
    pd = pytest.importorskip("pandas")
    e = Engine(POLICY)
    e.add_buyer("D-1001", BUYER)
    assert e.apply_all([{"buyer": "D-1001", "event": ev} for ev in EVENTS[:2]]) == 2
    frame = pd.DataFrame([{"buyer": "D-1001", "type": "invoiceIssued", "id": "i1", "date": date(2026, 3, 1),
                           "reference": "F-1001", "amount": Decimal("45000"), "paymentTermsDays": 60}])
    assert e.apply_frame(frame) == 1
    assert e == engine()
    loaded = Engine.load({"policy": POLICY, "buyers": [{"id": "D-1001", "buyer": BUYER, "events": EVENTS}]})
    assert loaded == engine()


def test_snapshot_pickle_and_copy() -> None:
    e = engine()
    again = Engine.restore(e.snapshot())
    assert isinstance(again, Engine) and again == e
    assert pickle.loads(pickle.dumps(e)) == e
    assert copy.deepcopy(e) == e
    assert type(copy.copy(e)) is Engine


def test_binary_snapshot_restores_and_pickles() -> None:
    e = engine()
    data = e.to_bytes()
    assert isinstance(data, bytes) and data[:8] == b"DLCRSNAP"
    again = Engine.from_bytes(data)
    assert isinstance(again, Engine) and again == e
    assert Engine.from_bytes(bytearray(data)) == e
    assert Engine.restore(data) == e  # type: ignore[arg-type]
    assert again.check_cover("D-1001", DELIVERY, "2026-03-02") == e.check_cover("D-1001", DELIVERY, "2026-03-02")
    # Pickles carry the bytes; a pickle of the text (earlier versions) still loads.
    assert data in pickle.dumps(e)
    assert pickle.loads(pickle.dumps(e)) == e
    from delcredere._engine import _restore
    assert _restore(Engine, e.snapshot()) == e
    # Cut short, edited, another version: typed errors.
    assert err(Engine.from_bytes, data[: len(data) // 2]) == ("invalid_type", "snapshot")
    edited = bytearray(data)
    edited[-1] ^= 1
    assert err(Engine.from_bytes, bytes(edited)) == ("invalid_type", "snapshot")
    other = data[:8] + (3).to_bytes(4, "little") + data[12:]
    assert err(Engine.from_bytes, other) == ("unsupported_snapshot", "formatVersion")


def err(f, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        f(*args)
    return info.value.code, info.value.field


def test_bad_input_is_input_error_with_code_and_field() -> None:
    e = engine()
    assert err(e.cover_figures, "X-9", DELIVERY, "2026-03-02") == ("unknown_buyer", "buyer")
    assert err(e.apply, "X-9", EVENTS[0]) == ("unknown_buyer", "buyer")
    assert err(e.set_policy, {**POLICY, "waitingPeriodDays": 90}) == ("policy_already_set", "policy")
    assert err(e.limit_state, "D-1001", "2025-12-31") == ("date_order", "asOf")
    float_amount = {**DELIVERY, "amount": {"amount": 10000.0, "currency": "EUR"}}
    assert err(e.cover_figures, "D-1001", float_amount, "2026-03-02") == ("invalid_amount", "delivery.amount.amount")
    assert err(e.cover_figures, 7, DELIVERY, "2026-03-02") == ("unknown_buyer", "buyer")
    assert err(e.cover_figures, -1, DELIVERY, "2026-03-02") == ("unknown_buyer", "buyer")
    assert err(e.cover_figures, True, DELIVERY, "2026-03-02") == ("invalid_type", "buyer")
    assert err(e.cover_figures, 7.0, DELIVERY, "2026-03-02") == ("invalid_type", "buyer")
    assert err(e.add_buyer, "B-2", {**BUYER, "country": "XX"})[1] == "buyer.country"
    assert err(e.call, "drop_all", {}) == ("unknown_op", "op")
    text = e.snapshot()
    assert err(Engine.restore, text[: len(text) // 2])[0] == "invalid_json"
    assert err(Engine.restore, text.replace('"formatVersion":1', '"formatVersion":2')) == (
        "unsupported_snapshot", "formatVersion")
    assert err(Engine.restore, 42) == ("invalid_type", "snapshot")
    with pytest.raises(delcredere.PolicyError):
        Engine({**POLICY, "currency": "XXX"})
    # A failed event changes nothing.
    assert err(e.apply, "D-1001", {**EVENTS[2], "amount": eur("1")})[0] == "invalid_event"
    assert e == engine()


# The engine's bad-input catalogue (spec/engine/bad-input.json), run by the Rust and node runners
# too: each case makes an engine (`policy`, `setup` or `snapshot`), runs its calls by method name,
# and the first failure must be the case's error, code and field.
with open(Path(__file__).resolve().parents[2] / "spec" / "engine" / "bad-input.json", encoding="utf-8") as _f:
    BAD_INPUT = json.load(_f)


@pytest.mark.parametrize("case", BAD_INPUT, ids=[c["id"] for c in BAD_INPUT])
def test_engine_bad_input_catalogue(case: Dict[str, Any]) -> None:
    start = case["engine"]
    with pytest.raises(delcredere.DelcredereError) as info:
        if "policy" in start:
            e = Engine(start["policy"])
        elif "setup" in start:
            e = Engine.load(start["setup"])
        else:
            e = Engine.restore(start["snapshot"])
        for call in case["calls"]:
            e.call(call["method"], call["input"])
    assert (info.value.code, info.value.field) == (case["error"]["code"], case["error"]["field"]), str(info.value)


def test_the_engine_bad_input_catalogue_has_the_engines_own_codes() -> None:
    codes = {c["error"]["code"] for c in BAD_INPUT}
    assert {"unknown_buyer", "duplicate_buyer", "policy_already_set", "unsupported_snapshot", "unknown_op"} <= codes


def test_reads_on_several_threads() -> None:
    e = engine()
    expected = e.cover_figures("D-1001", DELIVERY, "2026-03-02")
    answers = []

    def read() -> None:
        for _ in range(200):
            answers.append(e.cover_figures("D-1001", DELIVERY, "2026-03-02") == expected)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [True] * 800
