"""Account events as a pandas or polars DataFrame (ACC): the same answers as the list of event
dicts, on the sample year of the core (core/src/sample/year-2026.json), and bad cells named by
row and column."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import polars as pl
import pytest

import delcredere
from delcredere import InputError

YEAR = json.loads(
    (Path(__file__).resolve().parents[2] / "core" / "src" / "sample" / "year-2026.json").read_text(encoding="utf-8")
)
POLICY = YEAR["policy"]
DUPONT = YEAR["accounts"][2]
ON = date(2026, 12, 31)


def _rows(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events as DataFrame rows: money as a Decimal amount (the currency is the policy's),
    dates as datetime.date."""
    rows = []
    for e in events:
        row: Dict[str, Any] = {}
        for k, v in e.items():
            if isinstance(v, dict) and set(v) == {"amount", "currency"}:
                row[k] = Decimal(v["amount"])
            elif k in ("date", "dueDate"):
                row[k] = date.fromisoformat(v)
            else:
                row[k] = v
        rows.append(row)
    return rows


def _polars(rows: List[Dict[str, Any]]) -> "pl.DataFrame":
    columns = sorted({k for r in rows for k in r})
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in columns})


def test_the_sample_year_buyer_in_default_from_pandas_equals_the_dicts_acc() -> None:
    frame = pd.DataFrame(_rows(DUPONT["events"]))
    assert frame["amount"].dtype == object  # Decimal cells, NaN where absent
    from_dicts = delcredere.account_state(POLICY, DUPONT["buyer"], DUPONT["events"], ON)
    from_frame = delcredere.account_state(POLICY, DUPONT["buyer"], frame, ON)
    assert from_frame == from_dicts
    # 20,000 + 10,000 - 5,000 - 2,000 (worked in core/tests/quickstart.rs)
    assert from_frame.amounts["outstanding"]["amount"] == Decimal("23000.00")
    assert from_frame.details["insuredEvent"] == {
        "event": "protractedDefault",
        "eventDate": "2026-08-31",
        "fileClaimBy": "2026-09-30",
    }


def test_the_sample_year_buyer_in_default_from_polars_equals_the_dicts_acc() -> None:
    frame = _polars(_rows(DUPONT["events"]))
    assert frame.schema["amount"] == pl.Decimal(scale=2) or frame.schema["amount"].is_decimal()
    from_dicts = delcredere.account_state(POLICY, DUPONT["buyer"], DUPONT["events"], ON)
    assert delcredere.account_state(POLICY, DUPONT["buyer"], frame, ON) == from_dicts


def test_a_portfolio_of_frames_gives_the_worklist_of_the_dicts_acc() -> None:
    frames = [
        {"buyer": a["buyer"], "events": pd.DataFrame(_rows(a["events"])) if i % 2 == 0 else _polars(_rows(a["events"]))}
        for i, a in enumerate(YEAR["accounts"])
    ]
    from_dicts = delcredere.obligations(POLICY, YEAR["accounts"], ON, lang="en")
    from_frames = delcredere.obligations(POLICY, frames, ON, lang="en")
    assert from_frames == from_dicts
    assert from_frames.reasons[0].params == {"open": 1, "total": 6}


def test_pandas_timestamps_gaps_in_day_columns_and_a_currency_column_acc() -> None:
    rows = _rows(DUPONT["events"])
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])  # datetime64 cells: Timestamps at midnight
    frame["currency"] = "EUR"
    assert frame["paymentTermsDays"].dtype == "float64"  # 60.0, 30.0, NaN...
    expected = delcredere.account_state(POLICY, DUPONT["buyer"], DUPONT["events"], ON)
    assert delcredere.account_state(POLICY, DUPONT["buyer"], frame, ON) == expected


def test_a_float_amount_is_refused_naming_its_row_and_column_acc() -> None:
    frame = pd.DataFrame(_rows(DUPONT["events"]))
    frame["amount"] = frame["amount"].astype(object)
    frame.loc[4, "amount"] = 5000.0
    with pytest.raises(InputError) as e:
        delcredere.account_state(POLICY, DUPONT["buyer"], frame, ON)
    assert (e.value.code, e.value.field) == ("invalid_amount", "events[4].amount")
    # The words of a float in a dict (tests/test_inputs.py), with the row and the column.
    assert str(e.value) == (
        "events[4].amount: a float (5000.0) is not an amount: give a Decimal or a string (row 4, column 'amount')"
    )


def test_a_bad_row_in_a_portfolio_names_account_row_and_column_acc() -> None:
    rows = _rows(DUPONT["events"])
    rows[2]["paymentTermsDays"] = 30.5
    accounts = [YEAR["accounts"][0], {"buyer": DUPONT["buyer"], "events": pd.DataFrame(rows)}]
    with pytest.raises(InputError) as e:
        delcredere.obligations(POLICY, accounts, ON)
    assert (e.value.code, e.value.field) == ("invalid_type", "accounts[1].events[2].paymentTermsDays")
    assert str(e.value) == (
        "accounts[1].events[2].paymentTermsDays: expected a whole number, found 30.5 "
        "(row 2, column 'paymentTermsDays')"
    )


def test_a_bad_date_or_amount_string_is_named_by_row_and_column_acc() -> None:
    rows = _rows(DUPONT["events"])
    rows[3]["date"] = "2026-02-30"
    with pytest.raises(InputError) as e:
        delcredere.account_state(POLICY, DUPONT["buyer"], pd.DataFrame(rows), ON)
    assert (e.value.code, e.value.field) == ("invalid_date", "events[3].date")
    assert str(e.value) == "events[3].date: invalid date '2026-02-30', expected yyyy-mm-dd (row 3, column 'date')"
    rows = _rows(DUPONT["events"])
    rows[2]["amount"] = "12,50"
    with pytest.raises(InputError) as e:
        delcredere.account_state(POLICY, DUPONT["buyer"], _polars([{**r, "amount": str(r.get("amount", "")) or None} for r in rows]), ON)
    assert (e.value.code, e.value.field) == ("invalid_amount", "events[2].amount")
    assert str(e.value) == (
        "events[2].amount: invalid amount '12,50', expected a decimal string such as \"1250.00\" "
        "(row 2, column 'amount')"
    )


def test_an_unknown_column_is_refused_by_the_engine_naming_row_and_column_acc() -> None:
    rows = _rows(DUPONT["events"])
    rows[1]["colour"] = "red"
    with pytest.raises(InputError) as e:
        delcredere.account_state(POLICY, DUPONT["buyer"], _polars(rows), ON)
    # The field is the row's column, inside the event (a tagged union) as anywhere else.
    assert (e.value.code, e.value.field) == ("unknown_field", "events[1].colour")
    assert "'colour'" in str(e.value)


def test_a_money_struct_cell_and_an_allocation_list_acc() -> None:
    frame = pl.DataFrame(
        {
            "type": ["limitApplied", "limitGranted", "invoiceIssued", "paymentReceived"],
            "id": ["a1", "a2", "i1", "p1"],
            "date": [date(2026, 1, 10), date(2026, 1, 15), date(2026, 2, 1), date(2026, 3, 31)],
            "requestedAmount": [{"amount": "40000", "currency": "EUR"}, None, None, None],
            "amount": [None, Decimal("40000"), Decimal("20000"), Decimal("5000")],
            "paymentTermsDays": [60, None, 30, None],
            "reference": [None, None, "F-1", None],
            "allocation": [None, None, None, [{"reference": "F-1", "amount": Decimal("5000")}]],
        }
    )
    d = delcredere.account_state(POLICY, DUPONT["buyer"], frame, date(2026, 4, 1))
    # 20,000 delivered under the 40,000 limit, 5,000 paid on it: 15,000 open and covered.
    assert d.amounts["outstanding"]["amount"] == Decimal("15000.00")
    assert d.amounts["coveredExposure"]["amount"] == Decimal("15000.00")
