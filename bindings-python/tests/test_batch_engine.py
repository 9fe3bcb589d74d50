"""The batch with a prepared engine (BAT-7, spec/batch.md): ``cover_batch(ledger, engine=...)``
and ``exposure_batch(..., engine=...)`` give, row for row, what the policy and the per-buyer
table give when the engine holds the same buyers and limit events; the engine's own invoices
are not read; giving both sources is a typed error naming the argument."""

from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from delcredere import Engine, InputError, cover_batch, exposure_batch, sample

AS_OF = sample.as_of()


@pytest.fixture(scope="module")
def data():
    ledger, buyers = sample.ledger(n_buyers=40, n_invoices=3000, seed=11)
    # One buyer with the insurer's confirmation of continued cover (BAT-6, OVD-3).
    buyers[3]["continuedCoverConfirmed"] = True
    return ledger, buyers, sample.engine(buyers)


def _string_ids(ledger):
    ids = pa.array([str(b) for b in ledger.column("buyer").to_pylist()])
    return ledger.set_column(ledger.schema.get_field_index("buyer"), "buyer", ids)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_engine_gives_the_rows_of_policy_and_buyers_bat_7(data, threads) -> None:
    ledger, buyers, engine = data
    want = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", threads=threads)
    kinds = set(want.column("cover_type").to_pylist())
    assert kinds == {"namedLimit", "selfAssessed", "none"}
    # Integer ids name the keys "0", "1", ...; string ids and categories name them as they are.
    for table in (ledger, _string_ids(ledger), _string_ids(ledger).set_column(
            0, "buyer", _string_ids(ledger).column("buyer").dictionary_encode())):
        got = cover_batch(table, engine=engine, as_of=AS_OF, paid_on="paid_on", threads=threads)
        for name in ("outstanding", "covered", "uncovered", "cover_type", "overdue_status", "report_by"):
            assert got.column(name).equals(want.column(name)), name
    e_want = exposure_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", threads=threads)
    e_got = exposure_batch(ledger, engine=engine, as_of=AS_OF, paid_on="paid_on", threads=threads)
    assert e_got.column("buyer").to_pylist() == [str(b) for b in buyers]
    assert e_got.drop_columns(["buyer"]).equals(e_want.drop_columns(["buyer"]))


def test_pandas_and_polars_with_an_engine_bat_7(data) -> None:
    ledger, buyers, engine = data
    frame = _string_ids(ledger).to_pandas()
    frame["buyer"] = frame["buyer"].astype("category")
    want = cover_batch(ledger.to_pandas(), sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    got = cover_batch(frame, engine=engine, as_of=AS_OF, paid_on="paid_on")
    assert got["covered"].tolist() == want["covered"].tolist()
    polars = cover_batch(pl.from_arrow(ledger), engine=engine, as_of=AS_OF, paid_on="paid_on")
    assert polars["covered"].to_list() == want["covered"].tolist()


def test_unknown_buyers_are_bad_rows_as_with_a_buyers_mapping_bat_7(data) -> None:
    _, buyers, engine = data
    ledger = pa.table({"buyer": ["0", "nobody", "1"],
                       "amount": pa.array([Decimal("100.00")] * 3),
                       "date": ["2026-03-01"] * 3, "terms_days": [30, 30, 30]})
    out = cover_batch(ledger, engine=engine, as_of=AS_OF, errors="column")
    direct = cover_batch(ledger, sample.POLICY, {str(k): v for k, v in buyers.items()}, AS_OF, errors="column")
    assert out.column("error").to_pylist()[1].startswith("unknown_value: rows[1].buyer")
    assert out.column("error").equals(direct.column("error"))
    # The same from a dictionary-encoded column (a category looked up once).
    categories = ledger.set_column(0, "buyer", ledger.column("buyer").dictionary_encode())
    assert cover_batch(categories, engine=engine, as_of=AS_OF, errors="column").column("error").equals(
        direct.column("error"))
    assert out.column("covered").equals(direct.column("covered"))
    with pytest.raises(InputError) as e:
        cover_batch(ledger, engine=engine, as_of=AS_OF)
    assert (e.value.code, e.value.field) == ("unknown_value", "rows[1].buyer")
    # "07" is not 7: only keys written as integers are named by an integer column.
    ints = ledger.set_column(0, "buyer", pa.array([0, 7, 1]))
    assert cover_batch(ints, engine=engine, as_of=AS_OF).column("covered").to_pylist()[1] == Decimal("100.00")


def test_the_engine_s_own_invoices_are_not_read_bat_7(data) -> None:
    ledger, buyers, _ = data
    engine = sample.engine(buyers)
    before = cover_batch(ledger, engine=engine, as_of=AS_OF, paid_on="paid_on")
    engine.apply("0", {"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1",
                       "amount": {"amount": "45000", "currency": "EUR"}, "paymentTermsDays": 90})
    after = cover_batch(ledger, engine=engine, as_of=AS_OF, paid_on="paid_on")
    assert after.equals(before)


def test_a_change_to_the_engine_is_read_by_the_next_call_bat_7() -> None:
    ledger = pa.table({"buyer": ["A", "A"], "amount": pa.array([Decimal("30000.00"), Decimal("15000.00")]),
                       "date": ["2026-03-01", "2026-03-02"], "terms_days": [60, 60]})
    engine = Engine(sample.POLICY)
    engine.add_buyer("A", sample.BUYER)
    assert cover_batch(ledger, engine=engine, as_of="2026-06-30").column("cover_type").to_pylist() == ["none", "none"]
    engine.apply("A", {"type": "limitApplied", "id": "l0", "date": "2026-02-01",
                       "requestedAmount": {"amount": "40000", "currency": "EUR"}, "paymentTermsDays": 60})
    engine.apply("A", {"type": "limitGranted", "id": "l1", "date": "2026-02-05",
                       "amount": {"amount": "40000", "currency": "EUR"}})
    out = cover_batch(ledger, engine=engine, as_of="2026-06-30")
    # 30,000 owed under the 40,000 limit: 10,000 of the second covered (LIM-1, BAT-1).
    assert out.column("covered").to_pylist() == [Decimal("30000.00"), Decimal("10000.00")]


def test_engine_with_policy_or_buyers_is_a_typed_error_naming_the_argument(data) -> None:
    ledger, buyers, engine = data
    for kwargs, field in (({"policy": sample.POLICY}, "policy"), ({"buyers": buyers}, "buyers")):
        for fn in (cover_batch, exposure_batch):
            with pytest.raises(InputError) as e:
                fn(ledger, engine=engine, as_of=AS_OF, **kwargs)
            assert (e.value.code, e.value.field) == ("invalid_type", field)
            assert "not both" in str(e.value)
    with pytest.raises(InputError) as e:
        cover_batch(ledger, sample.POLICY, buyers, AS_OF, engine=engine)
    assert (e.value.code, e.value.field) == ("invalid_type", "policy")
    with pytest.raises(InputError) as e:
        cover_batch(ledger, engine=sample.POLICY, as_of=AS_OF)
    assert (e.value.code, e.value.field) == ("invalid_type", "engine")
    with pytest.raises(InputError) as e:
        cover_batch(ledger, engine=engine)
    assert (e.value.code, e.value.field) == ("missing_field", "as_of")
    with pytest.raises(InputError) as e:
        cover_batch(ledger, sample.POLICY, as_of=AS_OF)
    assert (e.value.code, e.value.field) == ("missing_field", "buyers")


def test_policy_terms_set_for_a_buyer_names_it_by_key_bat_7(data) -> None:
    ledger, buyers, _ = data
    engine = sample.engine(buyers)
    terms = dict(sample.POLICY, maxCreditPeriodDays=90)
    engine.apply("2", {"type": "policyTermsSet", "id": "t1", "date": "2026-06-01", "policy": terms})
    with pytest.raises(InputError) as e:
        cover_batch(ledger, engine=engine, as_of=AS_OF)
    assert (e.value.code, e.value.field) == ("invalid_event", "buyers['2'].events")


def test_a_float_buyer_column_names_the_engine_s_keys(data) -> None:
    ledger, _, engine = data
    floats = ledger.set_column(0, "buyer", pa.array([float(b) for b in ledger.column("buyer").to_pylist()]))
    with pytest.raises(InputError) as e:
        cover_batch(floats, engine=engine, as_of=AS_OF)
    assert (e.value.code, e.value.field) == ("invalid_type", "columns.buyer")
    assert "the engine's keys" in str(e.value)


def test_an_empty_ledger_with_an_engine_bat_7(data) -> None:
    ledger, _, engine = data
    assert cover_batch(ledger.slice(0, 0), engine=engine, as_of=AS_OF).num_rows == 0
    assert exposure_batch(ledger.slice(0, 0), engine=engine, as_of=AS_OF).num_rows == len(engine)


def test_pandas_frame_of_default_dtypes_with_an_engine(data) -> None:
    ledger, buyers, engine = data
    frame = ledger.slice(0, 200).to_pandas()
    want = cover_batch(frame, sample.POLICY, buyers, AS_OF)
    got = cover_batch(frame, engine=engine, as_of=AS_OF)
    pd.testing.assert_frame_equal(got, want)


def test_an_event_to_one_buyer_is_read_by_the_next_call_the_others_kept_bat_7(data) -> None:
    ledger, buyers, _ = data
    engine = sample.engine(buyers)
    cover_batch(ledger, engine=engine, as_of=AS_OF, paid_on="paid_on")  # prepared for AS_OF
    key = next(k for k, v in buyers.items() if len(v.get("limitEvents", [])) == 2
               and Decimal(v["limitEvents"][1]["amount"]["amount"]) > 2000)
    reduced = {"type": "reduced", "date": "2026-06-01", "amount": {"amount": "1000", "currency": "EUR"}}
    engine.apply(str(key), dict(reduced, type="limitReduced", id="r9"))
    changed = {**buyers, key: dict(buyers[key], limitEvents=buyers[key]["limitEvents"] + [reduced])}
    want = cover_batch(ledger, sample.POLICY, changed, AS_OF, paid_on="paid_on")
    assert cover_batch(ledger, engine=engine, as_of=AS_OF, paid_on="paid_on").equals(want)
    assert not want.equals(cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on"))
