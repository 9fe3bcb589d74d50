"""Columnar batch API: a whole ledger through the engine in one call (spec/batch.md).

The table goes to the native module through the Arrow C data interface (zero-copy for
``decimal128`` and ``date32`` columns); the computation runs in Rust without the GIL; the
result comes back as a table of the same kind as the input. No Python loop over rows.
"""

from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _delcredere
from ._engine import Engine
from ._errors import InputError

_Date = Union[date, str]

# The native module reads these names; the user's columns are renamed to them.
_CANONICAL = ("buyer", "amount", "date", "terms_days", "end_of_month", "paid_on")
_RESULT_COLUMNS = ("outstanding", "covered", "uncovered", "cover_type", "error")


def _kind(table: Any) -> str:
    module = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "arrow-" + name
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        return "arrow-stream"
    raise TypeError(
        f"expected a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or an Arrow "
        f"stream, not {type(table).__name__}"
    )


def _columns(
    buyer: str,
    amount: str,
    date: str,
    terms_days: str,
    end_of_month: Optional[str],
    paid_on: Optional[str],
) -> List[Tuple[str, str]]:
    pairs = [(buyer, "buyer"), (amount, "amount"), (date, "date"), (terms_days, "terms_days")]
    if end_of_month is not None:
        pairs.append((end_of_month, "end_of_month"))
    if paid_on is not None:
        pairs.append((paid_on, "paid_on"))
    return pairs


def _column_names(table: Any, kind: str) -> List[str]:
    if kind in ("pandas", "polars"):
        return [str(c) for c in table.columns]
    if kind.startswith("arrow-"):
        import pyarrow as pa

        return list(table.schema.names) if kind != "arrow-stream" else list(pa.table(table).column_names)
    return []


# The scale an `object` column of `Decimal` is read at first: the minor unit of the usual
# currencies (cents). A column with a value of more decimals is read at its largest scale.
_OBJECT_DECIMAL_SCALE = 2


def _decimal_objects(column: Any, keep: Optional[Dict[str, Any]] = None) -> Any:
    """A pandas ``object`` column of ``Decimal`` as a pyarrow ``decimal128(38, 2)`` array (at
    the largest scale of its values when one has more decimals), in one native pass over the
    column (each ``Decimal`` read through its text, no Python code run per value; pyarrow's
    own conversion, tried next, reads the text too and took about 2.7 times as long); ``None``
    when a value is not a ``Decimal`` or an integer (the caller then lets pyarrow infer the
    type, which is slower, as it was before). A float that is not ``NaN`` (pandas' missing value) is
    refused, naming its row (``rows[1].amount``, ``invalid_amount``), as in a dict. ``keep``
    gets ``"amount"``: the ``Decimal`` objects and the array read from them, when each has
    exactly the array's decimals (a result equal to its row's amount is then that object, see
    :func:`_decimals_out`)."""
    import pyarrow as pa

    values = column.tolist()
    native = _delcredere.decimals_from_objects(values, _OBJECT_DECIMAL_SCALE, "amount")
    if native is not None:
        array, exact = native
        if exact and keep is not None:
            keep["amount"] = (values, array)
        return array
    try:
        return pa.array(column, type=pa.decimal128(38, _OBJECT_DECIMAL_SCALE), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None


def _minor_units(arrow: Any, scale: Any) -> Any:
    """``arrow`` with its integer ``amount`` column read as units of 10^-``scale`` (cents with
    2): the integers become the unscaled values of a ``decimal128(38, scale)`` column, exactly
    (no division, no float)."""
    import pyarrow as pa

    if isinstance(scale, bool) or not isinstance(scale, int) or not 0 <= scale <= 18:
        raise InputError(f"amount_scale: out of range: {scale!r}, expected an integer from 0 to 18",
                         "out_of_range", "amount_scale")
    index = arrow.column_names.index("amount")
    column = arrow.column(index)
    if not pa.types.is_integer(column.type):
        raise InputError(f"columns.amount: invalid type: {column.type} with amount_scale, expected integers "
                         f"(minor units)", "invalid_type", "columns.amount")
    units = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if isinstance(units, pa.ChunkedArray):  # no chunks at all
        units = pa.array([], pa.int64())
    as_decimal = units.cast(pa.decimal128(38, 0))
    # A decimal128 value is its unscaled integer: the same buffers under scale `scale`.
    amounts = pa.Array.from_buffers(pa.decimal128(38, scale), len(as_decimal), as_decimal.buffers(),
                                    null_count=as_decimal.null_count, offset=as_decimal.offset)
    return arrow.set_column(index, "amount", amounts)


def _to_arrow(table: Any, kind: str, pairs: List[Tuple[str, str]], keep: Optional[Dict[str, Any]] = None) -> Any:
    """The needed columns as a pyarrow Table under the canonical names (no copy for Arrow
    input; pandas and polars convert through their own Arrow export; a pandas ``object``
    column of ``Decimal`` amounts in one pass, see :func:`_decimal_objects`)."""
    import pyarrow as pa

    names = [user for user, _ in pairs]
    available = set(_column_names(table, kind))
    for user, canonical in pairs:
        if user not in available:
            raise InputError(f"columns.{canonical}: missing field (no column {user!r})", "missing_field",
                             f"columns.{canonical}")
    if kind == "pandas":
        frame = table[names]
        amounts = None
        if frame[_amount_name(pairs)].dtype == object:
            amounts = _decimal_objects(frame[_amount_name(pairs)], keep)
        if amounts is None:
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
        else:
            others = [user for user in names if user != _amount_name(pairs)]
            rest = pa.Table.from_pandas(frame[others], preserve_index=False)
            arrow = pa.table([amounts if user == _amount_name(pairs) else rest.column(user) for user in names],
                             names=names)
    elif kind == "polars":
        arrow = table.select(names).to_arrow()
    elif kind == "arrow-RecordBatch":
        arrow = pa.Table.from_batches([table]).select(names)
    elif kind == "arrow-Table":
        arrow = table.select(names)
    else:
        arrow = pa.table(table).select(names)
    return arrow.rename_columns([canonical for _, canonical in pairs])


def _threads(threads: Optional[int]) -> Optional[int]:
    """``threads`` checked: ``None`` (the cores available, fewer for a small ledger) or an
    integer of at least 1."""
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise InputError(f"threads: out of range: {threads!r}, expected an integer of at least 1",
                         "out_of_range", "threads")
    return threads


def _amount_name(pairs: List[Tuple[str, str]]) -> str:
    return next(user for user, canonical in pairs if canonical == "amount")


def _setup(policy: Mapping[str, Any], buyers: Mapping[Any, Mapping[str, Any]], as_of: _Date) -> Tuple[Dict[str, Any], List[Any]]:
    ids = list(buyers.keys())
    return {"policy": policy, "buyers": [buyers[k] for k in ids], "asOf": as_of}, ids


def _source(policy: Any, buyers: Any, as_of: Any, engine: Any) -> Optional[Any]:
    """Which of the two sources of the per-buyer setup a call has (BAT-7): the engine, returned,
    or ``policy`` and ``buyers`` (``None`` returned); giving both, or neither, or no ``as_of``,
    is an :class:`InputError` naming the argument."""
    if engine is not None:
        if not isinstance(engine, _delcredere.Engine):
            raise InputError(f"engine: invalid type: expected a delcredere.Engine, found {type(engine).__name__}",
                             "invalid_type", "engine")
        for name, value in (("policy", policy), ("buyers", buyers)):
            if value is not None:
                raise InputError(f"{name}: invalid type: give either engine, or policy and buyers, not both "
                                 f"(the engine holds the policy and the buyers)", "invalid_type", name)
    else:
        for name, value in (("policy", policy), ("buyers", buyers)):
            if value is None:
                raise InputError(f"{name}: missing field (give policy and buyers, or engine=)", "missing_field", name)
    if as_of is None:
        raise InputError("as_of: missing field", "missing_field", "as_of")
    return engine


def _run(native: Any, native_engine: Any, arrow: Any, amount_scale: Optional[int], policy: Any, buyers: Any,
         as_of: Any, engine: Any, errors: str, threads: Optional[int]) -> Any:
    """What :func:`cover_batch` and :func:`exposure_batch` share once the ledger is Arrow: the
    amounts read as minor units when ``amount_scale`` is given, then the native call
    ``native_engine`` on the engine (BAT-7) or ``native`` on policy and buyers (:func:`_source`
    says which)."""
    if amount_scale is not None:
        arrow = _minor_units(arrow, amount_scale)
    if _source(policy, buyers, as_of, engine) is not None:
        return native_engine(arrow, engine, as_of, errors, _threads(threads))
    setup, ids = _setup(policy, buyers, as_of)
    return native(arrow, setup, ids, errors, _threads(threads))


def _attach(table: Any, kind: str, result: Any, amounts: Optional[Tuple[List[Any], Any]] = None) -> Any:
    """``table`` with the columns of the pyarrow Table ``result`` added (replacing any of the
    same name), as the same kind of table (``amounts``: see :func:`_decimals_out`)."""
    import pyarrow as pa

    if kind == "pandas":
        out = table.copy(deep=False)
        arrow_backed = _arrow_backed(table)
        for name in result.column_names:
            out[name] = _pandas_column(result.column(name), table.index, arrow_backed, amounts)
        return out
    if kind == "polars":
        import polars as pl

        new = pl.from_arrow(result, rechunk=False)
        return table.with_columns(new.get_columns())
    base = pa.Table.from_batches([table]) if kind == "arrow-RecordBatch" else pa.table(table)
    for name in result.column_names:
        if name in base.column_names:
            base = base.drop_columns([name])
        base = base.append_column(name, result.column(name))
    if kind == "arrow-RecordBatch":
        return base.combine_chunks().to_batches()[0] if base.num_rows else pa.RecordBatch.from_pylist([], schema=base.schema)
    return base


def _arrow_backed(frame: Any) -> bool:
    import pandas as pd

    return any(isinstance(t, pd.ArrowDtype) for t in frame.dtypes)


def _decimals_out(column: Any, amounts: Optional[Tuple[List[Any], Any]] = None) -> Any:
    """A ``decimal128`` column as a list of ``Decimal`` (``None`` for a null), made in one
    native pass, each its unscaled integer times ``Decimal("1E-<scale>")`` under a context of
    40 digits set for the pass (exact, whatever the caller's decimal context; the scale kept). With ``amounts`` (the ledger's ``Decimal`` objects and the array read
    from them, of the same scale), a value equal to its row's amount is that object: most
    covered and uncovered parts are the whole invoice or zero, and no new object is made for
    them (a ``Decimal`` cannot be changed, so sharing one is safe)."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if isinstance(array, pa.ChunkedArray):  # no chunks at all
        array = pa.array([], column.type)
    if amounts is None:
        return _delcredere.decimal_objects(array)
    return _delcredere.decimal_objects(array, amounts[0], amounts[1])


def _pandas_column(column: Any, index: Any, arrow_backed: bool,
                   amounts: Optional[Tuple[List[Any], Any]] = None) -> Any:
    """A result column for a pandas frame: Arrow-backed (``pd.ArrowDtype``) when the input had
    Arrow-backed columns; otherwise as pandas' default dtypes have them: ``object`` columns of
    ``Decimal`` (exact, with Python's arithmetic) and ``date``, categories as ``category``."""
    import pandas as pd
    import pyarrow as pa

    t = column.type
    if arrow_backed:
        return pd.Series(column, dtype=pd.ArrowDtype(t), index=index)
    if pa.types.is_decimal(t):
        return pd.Series(_decimals_out(column, amounts), index=index, dtype=object)
    return column.to_pandas().set_axis(index)


def _same_kind(result: Any, kind: str, table: Any = None) -> Any:
    if kind == "pandas":
        import pandas as pd

        arrow_backed = _arrow_backed(table)
        index = pd.RangeIndex(result.num_rows)
        return pd.DataFrame({name: _pandas_column(result.column(name), index, arrow_backed)
                             for name in result.column_names})
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    if kind == "arrow-RecordBatch":
        return result.combine_chunks().to_batches()[0]
    return result


def cover_batch(
    ledger: Any,
    policy: Optional[Mapping[str, Any]] = None,
    buyers: Optional[Mapping[Any, Mapping[str, Any]]] = None,
    as_of: Optional[_Date] = None,
    *,
    engine: Optional[Engine] = None,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any:
    """Covered and uncovered amount of every invoice of a ledger (BAT-1, BAT-2).

    ``ledger`` is a pyarrow ``Table`` or ``RecordBatch``, a pandas or polars ``DataFrame``
    (or any Arrow stream): one row per invoice, with the buyer id, the amount
    (``decimal128``, ``Decimal`` objects, decimal strings or integers; never floats), the
    delivery date (``date32`` / ``datetime.date``, a timestamp without a time zone at
    midnight, or an ISO string ``yyyy-mm-dd``), the payment terms in days (integers, or floats
    when whole), and optionally an ``end_of_month`` flag and an actual payment date ``paid_on``
    (null: paid when due). ``buyers`` maps each buyer id (all ``str`` or all ``int``, the type
    of the buyer column: ``"01"`` is not ``1``) to ``{"buyer": {...}, "limitEvents": [...],
    "selfAssessment": {...}}`` as ``check_delivery_cover`` takes them, and optionally
    ``"continuedCoverConfirmed": True`` when the insurer confirmed that the buyer's cover
    continues after an overdue (OVD-2, OVD-3: no time limit). Values are read as the dict API
    reads them (spec/batch.md): a date with a time of day or a string that is not a date is a
    bad row (``invalid_date``), as are fractional terms; an empty ledger gives an empty result.

    Returns the ledger, as the same kind of table, with the columns ``outstanding`` (what
    the buyer owed before this invoice: its earlier invoices not yet paid on this date, in
    date order), ``covered``, ``uncovered`` (exact decimals), ``cover_type``, and where the
    invoice stands on ``as_of`` (BAT-4): ``overdue_status`` (``paid``, ``notDue``,
    ``withinExtensionPeriod``, ``belowThreshold``, ``toReport``, ``noDutySelfAssessed``, as
    ``overdue_report`` says; null for an invoice without cover or delivered after ``as_of``)
    and ``report_by`` (the OVD-1 reporting date of an invoice open on ``as_of`` under a named
    limit and above the reporting threshold; null otherwise). The row order is kept; the
    ledger need not be sorted. ``cover_type`` and ``overdue_status`` are categories
    (Arrow ``dictionary<int8, string>``: a pandas ``category``, a polars ``Categorical``)
    whose categories are always every label in the order above, whatever rows a call saw.

    ``engine=`` (keyword, instead of ``policy`` and ``buyers``): a prepared
    :class:`delcredere.Engine` supplies the policy and, per buyer, what ``buyers`` would (BAT-7,
    spec/batch.md): its limit events and latest self-assessment evidence up to ``as_of``, and
    whether the insurer confirmed continued cover. The engine prepares this once for a date and
    keeps it until it changes, so later calls for that date pay no per-buyer setup. The buyer
    column names the engine's keys (strings; in a column of integers, ``7`` is the key ``"7"``);
    an id the engine does not hold is a bad row, as with ``buyers``. The ledger's rows are the
    invoices: those in the engine's logs (invoices, payments, overdue reports) are not read.
    Giving ``engine`` with ``policy`` or ``buyers`` is an :class:`InputError` naming the argument.

    Bad rows (a null, an unknown buyer, an amount of zero or less, a date it cannot read, a
    date before the policy starts, a payment before delivery...): with ``errors="raise"`` (the default) an
    :class:`InputError` names the first one in ``field`` (``rows[17].amount``) and lists
    all of them in ``problems``; with ``errors="column"`` they get null figures and an
    ``error`` column says why (null for good rows). Bad rows never count as outstanding.

    A delivery made while one of the buyer's invoices is past its reporting date and unpaid is
    excluded from cover (BAT-6: OVD-2, OVD-3, DIS-6): covered 0.

    ``amount_scale``: the ``amount`` column holds integers in units of 10^-``amount_scale`` of
    the policy currency (minor units: ``12345`` with ``amount_scale=2`` is 123.45), read
    exactly (no float on the way); a column of other than integers is then refused.

    ``threads``: how many threads the call runs on (default: the cores available to the
    process, fewer for a small ledger: each thread is given at least 4,096 rows and 16 rows per
    buyer, as a thread first sets up every buyer's state; see ``benches/RESULTS.md``). A ledger in
    date order is split by row range (each thread first carries its buyers' state from the
    rows before its range, then fills result columns of its own: the result table has a
    record batch per thread, not copied together); any other ledger is split by buyer. The
    result is the same row for row whatever the number; a ledger of fewer than 4,096 rows a
    thread runs on fewer threads.

    Fastest input, in order: Arrow columns (pyarrow, polars, or pandas with
    ``pd.ArrowDtype`` columns, e.g. ``to_pandas(types_mapper=pd.ArrowDtype)``) of
    ``decimal128`` amounts or integer minor units with ``amount_scale``, ``date32`` dates and
    ``int32`` terms; then pandas' own dtypes (``int64``, ``datetime64``); slowest, ``object``
    columns of ``Decimal`` and ``date``: the ``Decimal`` column read in one native pass (each
    value through its text, no Python code run per value; at 2 decimals, or at the largest
    scale of its values when one has more), the ``date`` columns in one pass of pyarrow. From
    pandas, the result columns are Arrow-backed (``pd.ArrowDtype``, the fastest: no Python
    object per value) when the input has an Arrow-backed column; otherwise they are as pandas'
    default dtypes have them: ``object`` columns of ``Decimal`` and ``date``, labels as
    ``category``. Those ``Decimal`` objects are made in one native pass, exact whatever the
    decimal context; a covered or uncovered part equal to its whole invoice is the ledger's
    own ``Decimal`` object when the amounts have exactly 2 decimals (as ``to_pandas()`` gives
    them), and every zero is one object, so mostly only ``outstanding`` makes new ones: that
    is most of the time such a call takes over the Arrow-backed one. Note that pyarrow keeps
    decimals within 38 digits and gives a ``decimal128`` sum 38: adding two Arrow-backed sums
    fails (``Decimal precision out of range``); take ``.astype(object)`` first.

    >>> import pyarrow as pa
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from delcredere.sample import POLICY, BUYER
    >>> ledger = pa.table({
    ...     "buyer": ["A", "A", "A"],
    ...     "amount": pa.array([Decimal("30000.00"), Decimal("15000.00"), Decimal("10000.00")]),
    ...     "date": [date(2026, 3, 1), date(2026, 3, 2), date(2026, 6, 1)],
    ...     "terms_days": [60, 60, 60],
    ... })
    >>> buyers = {"A": {"buyer": BUYER, "limitEvents": [
    ...     {"type": "applied", "date": "2026-02-01", "paymentTermsDays": 60,
    ...      "requestedAmount": {"amount": "40000", "currency": "EUR"}},
    ...     {"type": "granted", "date": "2026-02-05",
    ...      "amount": {"amount": "40000", "currency": "EUR"}}]}}
    >>> out = cover_batch(ledger, POLICY, buyers, as_of="2026-06-30")
    >>> out.column("covered").to_pylist()
    [Decimal('30000.00'), Decimal('10000.00'), Decimal('10000.00')]
    >>> out.column("outstanding").to_pylist()[2]  # both March invoices were paid by June
    Decimal('0.00')
    >>> out.column("overdue_status").to_pylist(), out.column("report_by").to_pylist()[2]
    (['paid', 'paid', 'notDue'], datetime.date(2026, 9, 30))

    The same buyer in a prepared engine (its limit events as account events) gives the same
    rows:

    >>> from delcredere import Engine
    >>> engine = Engine(POLICY)
    >>> engine.add_buyer("A", BUYER)
    0
    >>> engine.apply_all([{"buyer": "A", "event": dict(e, type="limit" + e["type"].title(), id=f"l{i}")}
    ...                   for i, e in enumerate(buyers["A"]["limitEvents"])])
    2
    >>> again = cover_batch(ledger, engine=engine, as_of="2026-06-30")
    >>> again.column("covered").to_pylist()
    [Decimal('30000.00'), Decimal('10000.00'), Decimal('10000.00')]
    >>> again.equals(out)
    True
    """
    kind = _kind(ledger)
    keep: Dict[str, Any] = {}
    arrow = _to_arrow(ledger, kind, _columns(buyer, amount, date, terms_days, end_of_month, paid_on), keep)
    result = _run(_delcredere.cover_batch, _delcredere.cover_batch_engine, arrow, amount_scale, policy, buyers,
                  as_of, engine, errors, threads)
    return _attach(ledger, kind, result, keep.get("amount"))


def exposure_batch(
    ledger: Any,
    policy: Optional[Mapping[str, Any]] = None,
    buyers: Optional[Mapping[Any, Mapping[str, Any]]] = None,
    as_of: Optional[_Date] = None,
    *,
    engine: Optional[Engine] = None,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any:
    """Exposure per buyer over a ledger (BAT-3, EXP-1): one row per buyer of ``buyers``, in
    its order, with ``buyer``, ``rows`` (valid invoices), ``peak`` outstanding and
    ``peak_date``, ``current`` outstanding at the end of ``as_of``, and the ``cover_type``
    and named ``limit`` the buyer has on ``as_of``; ``open_covered``, the covered parts of its
    invoices still open at the end of ``as_of``, and ``expected_indemnity``, what they would
    pay if the insured event occurred on ``as_of`` (BAT-5: CLM-5's deductible, indemnity
    percentage and maximum liability; amounts taken as they are, VAT included if any, no
    payment after ``as_of``). With ``engine=``, one row per buyer of the engine, in its order,
    ``buyer`` its key. Same arguments (``engine``, ``amount_scale``, ``threads``) and bad-row
    handling as :func:`cover_batch` (with ``errors="column"`` bad rows are left out). Returns
    the same kind of table as ``ledger`` (from pandas, with the column types
    :func:`cover_batch` gives).

    >>> import pyarrow as pa
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from delcredere.sample import POLICY, BUYER
    >>> ledger = pa.table({"buyer": [7, 7], "amount": pa.array([Decimal("100.00"), Decimal("50.00")]),
    ...                    "date": [date(2026, 3, 1), date(2026, 3, 15)], "terms_days": [30, 30]})
    >>> e = exposure_batch(ledger, POLICY, {7: {"buyer": BUYER}}, as_of="2026-04-05")
    >>> e.column("peak").to_pylist(), e.column("current").to_pylist()
    ([Decimal('150.00')], [Decimal('50.00')])
    """
    kind = _kind(ledger)
    arrow = _to_arrow(ledger, kind, _columns(buyer, amount, date, terms_days, end_of_month, paid_on))
    result = _run(_delcredere.exposure_batch, _delcredere.exposure_batch_engine, arrow, amount_scale, policy, buyers,
                  as_of, engine, errors, threads)
    return _same_kind(result, kind, ledger)
