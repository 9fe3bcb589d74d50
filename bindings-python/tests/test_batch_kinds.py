"""The batch API on several threads and from every kind of input (spec/batch.md, "Threads"
and "Input kinds"): the same figures row for row whatever the number of threads; pandas
frames of default dtypes (``object`` columns of ``Decimal`` and ``date``), of Arrow-backed
dtypes, and amounts as integer minor units, all giving the figures of the Arrow call."""

from datetime import date
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from delcredere import InputError, cover_batch, exposure_batch, sample

AS_OF = sample.as_of()
FIGURES = ("outstanding", "covered", "uncovered", "cover_type", "overdue_status", "report_by")


@pytest.fixture(scope="module")
def wide():
    """40,000 rows over 300 buyers: room for 7 threads of at least 4,096 rows each; a few
    rows of an unknown buyer and a few amounts of zero, bad rows for ``errors="column"``."""
    ledger, buyers = sample.ledger(n_buyers=300, n_invoices=40_000, seed=11)
    buyer = ledger.column("buyer").to_pylist()
    amount = ledger.column("amount").to_pylist()
    for i in range(5, len(buyer), 3_001):
        buyer[i] = 10_000  # not in the table
    for i in range(17, len(amount), 4_999):
        amount[i] = Decimal("0.00")
    ledger = ledger.set_column(0, "buyer", pa.array(buyer, pa.int64()))
    ledger = ledger.set_column(1, "amount", pa.array(amount, ledger.schema.field("amount").type))
    return ledger, buyers


@pytest.mark.parametrize("threads", [1, 2, 7, None])
def test_any_number_of_threads_gives_the_single_threaded_rows(wide, threads) -> None:
    ledger, buyers = wide
    one = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=1)
    errors = [e for e in one.column("error").to_pylist() if e is not None]
    assert len(errors) == 14 + 8, errors[:3]  # 14 unknown buyers, 8 zero amounts
    assert sum(1 for c in one.column("covered").to_pylist() if c) > 10_000
    many = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=threads)
    assert many.equals(one)
    e_one = exposure_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=1)
    e_many = exposure_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column",
                            threads=threads)
    assert e_many.equals(e_one)
    assert e_one.num_rows == 300


def test_a_ledger_in_date_order_on_threads_gives_a_chunk_per_thread_not_copied_together(wide) -> None:
    """A ledger in date order is split by row range: the result's columns have a chunk per
    thread, in row order; pandas (Arrow-backed) and polars results have its rows."""
    ledger, buyers = wide
    one = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=1)
    two = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=2)
    assert two.column("covered").num_chunks == 2
    assert [len(c) for c in two.column("error").chunks][0] > ledger.num_rows // 2
    assert two.equals(one)
    frame = ledger.to_pandas(types_mapper=pd.ArrowDtype)
    by_pandas = cover_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=2)
    assert _values(by_pandas["covered"]) == one.column("covered").to_pylist()
    by_polars = cover_batch(pl.from_arrow(ledger), sample.POLICY, buyers, AS_OF, paid_on="paid_on",
                            errors="column", threads=2)
    assert by_polars["covered"].to_list() == one.column("covered").to_pylist()


def test_by_default_a_small_ledger_runs_on_one_thread(wide) -> None:
    """The default (threads=None) gives each thread at least 4,096 rows and 16 rows per buyer
    (Batch::default_threads): with 300 buyers, a thread needs 4,800 rows, so 9,599 rows run on
    one thread (one chunk), whatever the machine's cores."""
    ledger, buyers = wide
    small = ledger.slice(0, 2 * 16 * len(buyers) - 1)
    out = cover_batch(small, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column")
    assert out.column("covered").num_chunks == 1
    two = cover_batch(small, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column", threads=2)
    assert two.column("covered").num_chunks == 2
    assert out.equals(two)


def test_the_first_bad_row_is_named_in_the_whole_ledger_whatever_the_threads(wide) -> None:
    ledger, buyers = wide
    for threads in (1, 7):
        with pytest.raises(InputError) as error:
            cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on", threads=threads)
        assert error.value.field == "rows[5].buyer", threads


@pytest.mark.parametrize("threads", [0, -1, 1.5, True])
def test_threads_below_one_or_not_an_integer_are_refused(small_ledger, threads) -> None:
    ledger, buyers = small_ledger
    with pytest.raises(InputError) as error:
        cover_batch(ledger, sample.POLICY, buyers, AS_OF, threads=threads)
    assert (error.value.code, error.value.field) == ("out_of_range", "threads")


def _values(series):
    """The values of a pandas column, a missing one as None."""
    return [None if v is None or v is pd.NA or v != v else v for v in series.tolist()]


@pytest.fixture(scope="module")
def small_ledger():
    return sample.ledger(n_buyers=12, n_invoices=400, seed=7)


def test_default_dtype_pandas_gives_the_arrow_figures_as_decimal_and_date_objects(small_ledger) -> None:
    ledger, buyers = small_ledger
    arrow = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    frame = ledger.to_pandas()  # object columns of Decimal and date
    assert frame["amount"].dtype == object and isinstance(frame["amount"].iloc[0], Decimal)
    assert isinstance(frame["date"].iloc[0], date)
    out = cover_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    for name in FIGURES:
        assert _values(out[name]) == arrow.column(name).to_pylist(), name
    assert out["covered"].dtype == object
    assert [str(v) for v in out["covered"].iloc[:3]] == [str(v) for v in arrow.column("covered").to_pylist()[:3]]
    assert all(type(v) is Decimal for v in out["outstanding"])  # noqa: E721
    assert out["report_by"].dtype == object
    assert out["cover_type"].dtype == "category"
    assert out["amount"].dtype == object  # the input's own columns are left as they were
    # Python's exact arithmetic, after a group-by too.
    summary = out.groupby("cover_type", observed=True)[["amount", "covered", "uncovered"]].sum()
    assert (summary["covered"] + summary["uncovered"] == summary["amount"]).all()
    exposure = exposure_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    assert exposure["peak"].dtype == object
    assert exposure["peak"].tolist() == exposure_batch(ledger, sample.POLICY, buyers, AS_OF,
                                                       paid_on="paid_on").column("peak").to_pylist()


def test_default_dtype_pandas_with_bad_rows_gives_none_for_their_figures(small_ledger) -> None:
    ledger, buyers = small_ledger
    frame = ledger.to_pandas()
    frame.loc[3, "amount"] = Decimal("0.00")
    out = cover_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on", errors="column")
    assert out["covered"].iloc[3] is None and out["error"].iloc[3].startswith("out_of_range: rows[3].amount")
    assert out["covered"].iloc[4] == cover_batch(ledger, sample.POLICY, buyers, AS_OF,
                                                 paid_on="paid_on").column("covered")[4].as_py()


def test_arrow_backed_pandas_gives_arrow_backed_results(small_ledger) -> None:
    ledger, buyers = small_ledger
    frame = ledger.to_pandas(types_mapper=pd.ArrowDtype)
    out = cover_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    arrow = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    for name in FIGURES:
        assert isinstance(out[name].dtype, pd.ArrowDtype), name
        assert pa.chunked_array(pa.array(out[name])).equals(arrow.column(name)), name
    exposure = exposure_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    assert all(isinstance(t, pd.ArrowDtype) for t in exposure.dtypes)


def test_decimal_objects_with_more_than_two_decimals_keep_their_scale() -> None:
    frame = pd.DataFrame({"buyer": [1, 1], "amount": [Decimal("100.005"), Decimal("50")],
                          "date": [date(2026, 3, 1), date(2026, 3, 2)], "terms_days": [30, 30]})
    out = cover_batch(frame, sample.POLICY, {1: {"buyer": sample.BUYER}}, "2026-03-10")
    assert out["outstanding"].tolist() == [Decimal("0.000"), Decimal("100.005")]
    assert str(out["outstanding"].iloc[1]) == "100.005"


def test_object_decimals_are_read_exactly_in_one_native_pass() -> None:
    """The native reader of an ``object`` column (spec/batch.md, "Input kinds"): a ``Decimal``
    through its text, whatever its exponent (``1E+3``, ``1.5E-7``), ``int``s as they are,
    ``None`` and ``NaN`` as nulls, at 2 decimals unless a value has more; anything else is left
    to pyarrow (``None``), whose errors name the column as before."""
    from delcredere import _delcredere

    def read(values, scale):
        return _delcredere.decimals_from_objects(values, scale, "amount")

    got, exact = read([Decimal("12.5"), Decimal("1E+3"), 7, None, float("nan"), Decimal("-0.00")], 2)
    assert got.type == pa.decimal128(38, 2) and not exact
    assert got.to_pylist() == [Decimal("12.50"), Decimal("1000.00"), Decimal("7.00"), None, None, Decimal("0.00")]
    got, exact = read([Decimal("1.5E-7"), Decimal("100.000")], 2)
    assert got.type == pa.decimal128(38, 8) and got.to_pylist() == [Decimal("1.5E-7"), Decimal("100")]
    assert read([Decimal("100.000")], 2)[0].to_pylist() == [Decimal("100.00")]  # exact at 2: read at 2
    # Every value a Decimal of exactly 2 decimals (or null): each is what the results would make.
    assert read([Decimal("12.50"), None, Decimal("0.07")], 2)[1] is True
    assert read([], 2)[0].type == pa.decimal128(38, 2)
    for other in (["1.00"], [Decimal("NaN")], [Decimal("Infinity")], [True], [Decimal("1" * 39)], [2**70]):
        assert read(other, 2) is None, other


def test_decimal_results_are_made_natively_exact_whatever_the_context() -> None:
    """``Decimal`` results for default-dtype pandas are each value's unscaled integer times
    10^-scale under a context of their own: exact and with the scale kept even when the
    caller's context has 3 digits, which is left as it was."""
    import decimal

    from delcredere import _delcredere

    array = pa.array([Decimal("123456789012345678901234.56"), None, Decimal("-0.05"), Decimal("0.00"),
                      Decimal("0.00")], pa.decimal128(38, 2))
    with decimal.localcontext(decimal.Context(prec=3)):
        made = _delcredere.decimal_objects(array)
        assert decimal.getcontext().prec == 3
    assert [str(v) for v in made] == ["123456789012345678901234.56", "None", "-0.05", "0.00", "0.00"]
    assert all(type(v) is Decimal for v in made if v is not None)  # noqa: E721
    assert _delcredere.decimal_objects(pa.array([], pa.decimal128(38, 4))) == []
    assert [str(v) for v in _delcredere.decimal_objects(pa.array([Decimal("7"), Decimal("-12")], pa.decimal128(38, 0)))] \
        == ["7", "-12"]
    with pytest.raises(TypeError):
        _delcredere.decimal_objects(pa.array([1]))


def test_results_equal_to_the_invoice_are_its_own_decimal_objects(small_ledger) -> None:
    """From default-dtype pandas, a covered or uncovered part equal to the whole invoice is the
    ledger's own ``Decimal`` (the same value and decimals: nothing new to make), only when the
    ledger's amounts have exactly the results' decimals."""
    ledger, buyers = small_ledger
    frame = ledger.to_pandas()
    arrow = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    out = cover_batch(frame, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    for name in ("covered", "uncovered"):
        assert out[name].tolist() == arrow.column(name).to_pylist(), name
        assert [str(v) for v in out[name]] == [str(v) for v in arrow.column(name).to_pylist()], name
    whole = [i for i, (a, c) in enumerate(zip(frame["amount"], out["covered"])) if a == c]
    assert whole and all(out["covered"].iloc[i] is frame["amount"].iloc[i] for i in whole)
    # Amounts of one decimal: results at 2 are new objects, with 2 decimals.
    short = pd.DataFrame({"buyer": [1], "amount": [Decimal("100.5")], "date": [date(2026, 3, 1)],
                          "terms_days": [30]})
    one = cover_batch(short, sample.POLICY, {1: {"buyer": sample.BUYER}}, "2026-03-10")
    assert str(one["uncovered"].iloc[0]) == "100.50" and one["uncovered"].iloc[0] is not short["amount"].iloc[0]


def test_a_float_among_object_decimals_is_refused_naming_its_row() -> None:
    """A float in an ``object`` column of ``Decimal`` is refused whole, naming its row, in the
    dict API's words (pyarrow's own conversion failed on it with an ``ArrowTypeError``)."""
    frame = pd.DataFrame({"buyer": [1, 1], "amount": [Decimal("100.00"), 15000.5],
                          "date": [date(2026, 3, 1), date(2026, 3, 2)], "terms_days": [30, 30]})
    with pytest.raises(InputError) as error:
        cover_batch(frame, sample.POLICY, {1: {"buyer": sample.BUYER}}, "2026-03-10")
    assert (error.value.code, error.value.field) == ("invalid_amount", "rows[1].amount")
    assert "a float (15000.5) is not an amount" in str(error.value)


def _cents(ledger):
    """The ledger's amounts (decimal128 at scale 2) as int64 cents."""
    return pa.array([int(a * 100) for a in ledger.column("amount").to_pylist()], pa.int64())


@pytest.mark.parametrize("kind", ["arrow", "pandas", "pandas-arrow", "polars"])
def test_minor_units_with_amount_scale_give_the_decimal_figures(small_ledger, kind) -> None:
    ledger, buyers = small_ledger
    expected = cover_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    cents = ledger.set_column(1, "amount", _cents(ledger))
    table = {"arrow": lambda: cents, "pandas": cents.to_pandas,
             "pandas-arrow": lambda: cents.to_pandas(types_mapper=pd.ArrowDtype),
             "polars": lambda: pl.from_arrow(cents)}[kind]()
    out = cover_batch(table, sample.POLICY, buyers, AS_OF, paid_on="paid_on", amount_scale=2)
    covered = out["covered"].to_list() if kind == "polars" else (
        out["covered"].tolist() if kind.startswith("pandas") else out.column("covered").to_pylist())
    assert covered == expected.column("covered").to_pylist()
    e = exposure_batch(table, sample.POLICY, buyers, AS_OF, paid_on="paid_on", amount_scale=2)
    peak = e["peak"].to_list() if kind != "arrow" else e.column("peak").to_pylist()
    assert peak == exposure_batch(ledger, sample.POLICY, buyers, AS_OF, paid_on="paid_on").column("peak").to_pylist()


def test_minor_units_are_exact_past_the_53_bits_of_a_float() -> None:
    # 2^53 + 1 cents is 90,071,992,547,409.93 EUR: a float would read it as ...409.92.
    units = 2**53 + 1
    ledger = pa.table({"buyer": [1, 1], "amount": pa.array([units, 7], pa.int64()),
                       "date": [date(2026, 3, 1), date(2026, 3, 2)], "terms_days": [30, 30]})
    out = cover_batch(ledger, sample.POLICY, {1: {"buyer": sample.BUYER}}, "2026-03-10", amount_scale=2)
    assert out.column("outstanding").to_pylist() == [Decimal("0.00"), Decimal("90071992547409.93")]
    assert out.column("uncovered").to_pylist()[1] == Decimal("0.07")
    # amount_scale=3: the same integers are mills.
    out = cover_batch(ledger, sample.POLICY, {1: {"buyer": sample.BUYER}}, "2026-03-10", amount_scale=3)
    assert out.column("outstanding").to_pylist()[1] == Decimal("9007199254740.993")


def test_amount_scale_refuses_a_column_that_is_not_integers_and_a_bad_scale(small_ledger) -> None:
    ledger, buyers = small_ledger
    with pytest.raises(InputError) as error:
        cover_batch(ledger, sample.POLICY, buyers, AS_OF, amount_scale=2)
    assert (error.value.code, error.value.field) == ("invalid_type", "columns.amount")
    cents = ledger.set_column(1, "amount", _cents(ledger))
    for scale in (-1, 19, 2.0, True):
        with pytest.raises(InputError) as error:
            cover_batch(cents, sample.POLICY, buyers, AS_OF, amount_scale=scale)
        assert (error.value.code, error.value.field) == ("out_of_range", "amount_scale"), scale
