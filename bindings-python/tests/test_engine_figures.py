"""Engine.cover_figures answers with a CoverFigures (spec/engine.md "From Python"): the figures
as attributes, real Decimals, and the same answer as method cover_figures's dict
(Engine.call("cover_figures", ...)) read through the Mapping it also is."""

import collections.abc
import copy
import pickle
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import delcredere
from delcredere import CoverFigures, Engine, sample

AS_OF = sample.as_of()


def _engine_with_invoices(n_buyers: int, seed: int) -> "tuple[Engine, List[Any]]":
    ledger, buyers = sample.ledger(n_buyers, 400, seed=seed)
    e = sample.engine(buyers)
    rows = ledger.to_pylist()
    # Half the invoices issued on the buyers' accounts: outstandings, so that covers are partial.
    for i, row in enumerate(rows[::2]):
        e.apply(str(row["buyer"]), {"type": "invoiceIssued", "id": f"i{i}", "date": row["date"], "reference": f"F-{i}",
                                    "amount": {"amount": row["amount"], "currency": "EUR"},
                                    "paymentTermsDays": row["terms_days"]})
    return e, rows


def _amount_forms(rng: random.Random, amount: Decimal) -> Any:
    return rng.choice([amount, amount.quantize(Decimal("1.000")), str(amount), int(amount),
                       Decimal(int(amount)), amount.normalize()])


def test_answers_as_the_method_on_random_deliveries() -> None:
    rng = random.Random(20261205)
    e, rows = _engine_with_invoices(40, seed=7)
    cover_types = set()
    partial = 0
    for row in rng.sample(rows, 300):
        key = str(row["buyer"])
        when = rng.choice([AS_OF, row["date"], row["date"] + timedelta(days=rng.randint(0, 90)), row["date"].isoformat()])
        delivery: Dict[str, Any] = {
            "amount": {"amount": _amount_forms(rng, row["amount"]), "currency": "EUR"},
            "date": rng.choice([row["date"], row["date"].isoformat()]),
            "paymentTermsDays": rng.choice([row["terms_days"], 30, 60, 150]),
        }
        if rng.random() < 0.2:
            delivery["endOfMonth"] = rng.random() < 0.5
        buyer = rng.choice([key, e.buyer_id(key)])
        got = e.cover_figures(buyer, delivery, when)
        want = e.call("cover_figures", {"buyer": key, "delivery": delivery,
                                        "asOf": when if isinstance(when, str) else when.isoformat()})
        assert type(got) is CoverFigures
        assert got == want and got.to_dict() == want and dict(got) == want
        # The same Decimals (value and exponent), real Decimal objects held by the answer.
        for name in ("covered", "uncovered"):
            assert type(getattr(got, name)) is Decimal
            assert str(getattr(got, name)) == str(want[name]["amount"])
            assert got[name]["amount"] is getattr(got, name)
        assert got.currency == want["covered"]["currency"] == "EUR"
        assert got.cover_type == want["coverType"]
        assert got.excluded_by_overdue is want["excludedByOverdue"]
        assert (got.limit is None) == ("limit" not in want)
        if got.limit is not None:
            assert str(got.limit) == str(want["limit"]["amount"])
        assert list(got) == list(want) and list(got.keys()) == list(want.keys())
        cover_types.add(got.cover_type)
        partial += got.covered != 0 and got.uncovered != 0
    assert {"namedLimit", "none"} <= cover_types and partial > 0


def test_reads_as_the_methods_dict() -> None:
    e, rows = _engine_with_invoices(5, seed=3)
    row = rows[-1]
    key = str(row["buyer"])
    delivery = {"amount": {"amount": row["amount"], "currency": "EUR"}, "date": row["date"], "paymentTermsDays": 60}
    got = e.cover_figures(key, delivery, AS_OF)
    want = e.call("cover_figures", {"buyer": key, "delivery": delivery, "asOf": AS_OF.isoformat()})
    assert isinstance(got, collections.abc.Mapping) and not isinstance(got, dict)
    assert got == want and want == got and not (got != want) and not (want != got)
    assert got != {**want, "coverType": "other"} and got != [] and got != None  # noqa: E711
    assert len(got) == len(want)
    assert list(got.items()) == list(want.items())
    assert list(got.values()) == list(want.values())
    assert got.keys() == want.keys()
    assert all(k in got for k in want) and "amount" not in got and 1 not in got
    assert got.get("coverType") == want["coverType"] and got.get("nope") is None and got.get("nope", 5) == 5
    with pytest.raises(KeyError):
        got["nope"]
    with pytest.raises(KeyError):
        got[0]
    assert {**got} == want
    assert repr(got) == f"CoverFigures({want!r})"
    with pytest.raises(TypeError):
        hash(got)
    with pytest.raises(AttributeError):
        got.covered = Decimal("1")  # type: ignore[misc]
    # Another engine asked the same: equal answers.
    assert got == Engine.restore(e.snapshot()).cover_figures(key, delivery, AS_OF)


def test_without_a_limit_and_its_own_values() -> None:
    figures = CoverFigures(Decimal("0"), Decimal("12.50"), "EUR", "none")
    assert figures.limit is None and "limit" not in figures and len(figures) == 4
    assert figures == {"covered": {"amount": Decimal("0"), "currency": "EUR"},
                       "uncovered": {"amount": Decimal("12.50"), "currency": "EUR"},
                       "coverType": "none", "excludedByOverdue": False}
    assert list(figures) == ["covered", "uncovered", "coverType", "excludedByOverdue"]
    with pytest.raises(KeyError):
        figures["limit"]
    with pytest.raises(TypeError):
        CoverFigures(0.5, Decimal("1"), "EUR", "none")  # type: ignore[arg-type]


def test_pickles_and_copies() -> None:
    figures = CoverFigures(Decimal("5000"), Decimal("5000.00"), "EUR", "namedLimit", Decimal("50000"), True)
    for again in (pickle.loads(pickle.dumps(figures)), copy.copy(figures), copy.deepcopy(figures)):
        assert type(again) is CoverFigures and again == figures
        assert str(again.uncovered) == "5000.00" and again.excluded_by_overdue is True


def test_is_exported_and_typed() -> None:
    assert delcredere.CoverFigures is delcredere._delcredere.CoverFigures
