"""Columnar batch API: a whole ledger through the engine in one call (spec/batch.md).

The table goes to the native module through the Arrow C data interface (zero-copy for
``decimal128`` and ``date32`` columns); the computation runs in Rust without the GIL; the
result comes back as a table of the same kind as the input. No Python loop over rows.
"""

from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _delcredere
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


def _to_arrow(table: Any, kind: str, pairs: List[Tuple[str, str]]) -> Any:
    """The needed columns as a pyarrow Table under the canonical names (no copy for Arrow
    input; pandas and polars convert through their own Arrow export)."""
    import pyarrow as pa

    names = [user for user, _ in pairs]
    available = set(_column_names(table, kind))
    for user, canonical in pairs:
        if user not in available:
            raise InputError(f"columns.{canonical}: missing field (no column {user!r})", "missing_field",
                             f"columns.{canonical}")
    if kind == "pandas":
        arrow = pa.Table.from_pandas(table[names], preserve_index=False)
    elif kind == "polars":
        arrow = table.select(names).to_arrow()
    elif kind == "arrow-RecordBatch":
        arrow = pa.Table.from_batches([table]).select(names)
    elif kind == "arrow-Table":
        arrow = table.select(names)
    else:
        arrow = pa.table(table).select(names)
    return arrow.rename_columns([canonical for _, canonical in pairs])


def _setup(policy: Mapping[str, Any], buyers: Mapping[Any, Mapping[str, Any]], as_of: _Date) -> Tuple[Dict[str, Any], List[Any]]:
    ids = list(buyers.keys())
    return {"policy": policy, "buyers": [buyers[k] for k in ids], "asOf": as_of}, ids


def _attach(table: Any, kind: str, result: Any) -> Any:
    """``table`` with the columns of the pyarrow Table ``result`` added (replacing any of the
    same name), as the same kind of table."""
    import pyarrow as pa

    if kind == "pandas":
        import pandas as pd

        arrow_backed = any(isinstance(t, pd.ArrowDtype) for t in table.dtypes)
        out = table.copy(deep=False)
        for name in result.column_names:
            column = result.column(name)
            if arrow_backed:
                values = pd.Series(column, dtype=pd.ArrowDtype(column.type), index=table.index)
            else:
                values = column.to_pandas().set_axis(table.index)
            out[name] = values
        return out
    if kind == "polars":
        import polars as pl

        new = pl.from_arrow(result)
        return table.with_columns(new.get_columns())
    base = pa.Table.from_batches([table]) if kind == "arrow-RecordBatch" else pa.table(table)
    for name in result.column_names:
        if name in base.column_names:
            base = base.drop_columns([name])
        base = base.append_column(name, result.column(name))
    if kind == "arrow-RecordBatch":
        return base.combine_chunks().to_batches()[0] if base.num_rows else pa.RecordBatch.from_pylist([], schema=base.schema)
    return base


def _same_kind(result: Any, kind: str) -> Any:
    if kind == "pandas":
        return result.to_pandas()
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    if kind == "arrow-RecordBatch":
        return result.combine_chunks().to_batches()[0]
    return result


def cover_batch(
    ledger: Any,
    policy: Mapping[str, Any],
    buyers: Mapping[Any, Mapping[str, Any]],
    as_of: _Date,
    *,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
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

    Bad rows (a null, an unknown buyer, an amount of zero or less, a date it cannot read, a
    date before the policy starts, a payment before delivery...): with ``errors="raise"`` (the default) an
    :class:`InputError` names the first one in ``field`` (``rows[17].amount``) and lists
    all of them in ``problems``; with ``errors="column"`` they get null figures and an
    ``error`` column says why (null for good rows). Bad rows never count as outstanding.

    A delivery made while one of the buyer's invoices is past its reporting date and unpaid is
    excluded from cover (BAT-6: OVD-2, OVD-3, DIS-6): covered 0.

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
    """
    kind = _kind(ledger)
    pairs = _columns(buyer, amount, date, terms_days, end_of_month, paid_on)
    arrow = _to_arrow(ledger, kind, pairs)
    setup, ids = _setup(policy, buyers, as_of)
    result = _delcredere.cover_batch(arrow, setup, ids, errors)
    return _attach(ledger, kind, result)


def exposure_batch(
    ledger: Any,
    policy: Mapping[str, Any],
    buyers: Mapping[Any, Mapping[str, Any]],
    as_of: _Date,
    *,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
) -> Any:
    """Exposure per buyer over a ledger (BAT-3, EXP-1): one row per buyer of ``buyers``, in
    its order, with ``buyer``, ``rows`` (valid invoices), ``peak`` outstanding and
    ``peak_date``, ``current`` outstanding at the end of ``as_of``, and the ``cover_type``
    and named ``limit`` the buyer has on ``as_of``; ``open_covered``, the covered parts of its
    invoices still open at the end of ``as_of``, and ``expected_indemnity``, what they would
    pay if the insured event occurred on ``as_of`` (BAT-5: CLM-5's deductible, indemnity
    percentage and maximum liability; amounts taken as they are, VAT included if any, no
    payment after ``as_of``). Same arguments and bad-row handling as
    :func:`cover_batch` (with ``errors="column"`` bad rows are left out). Returns the same
    kind of table as ``ledger``.

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
    pairs = _columns(buyer, amount, date, terms_days, end_of_month, paid_on)
    arrow = _to_arrow(ledger, kind, pairs)
    setup, ids = _setup(policy, buyers, as_of)
    result = _delcredere.exposure_batch(arrow, setup, ids, errors)
    return _same_kind(result, kind)
