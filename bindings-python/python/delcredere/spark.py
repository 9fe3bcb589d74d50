"""The batch cover check on PySpark (spec/batch.md, "On a cluster"): :func:`cover_batch` over a
Spark ``DataFrame``, partitioned by buyer, with no scheduler of its own.

How it runs: the ledger is hash-partitioned on the buyer column (``repartition(n, buyer)``), so
that every row of one buyer is in one partition, as BAT-1 needs (a buyer's outstanding is the
sum of its own earlier invoices). Each partition goes through ``mapInArrow`` to one call of
:func:`delcredere.cover_batch` on the partition's Arrow data; the policy and the per-buyer table
travel as one Spark broadcast variable (once per executor, not once per row or per task), and
each call reads the entries of its partition's buyers only (the whole table is checked once, on
the driver). The
result's columns are the ledger's with ``outstanding``, ``covered``, ``uncovered``,
``cover_type``, ``overdue_status``, ``report_by`` (and ``error`` with ``errors="column"``),
with the same values as the single-process :func:`delcredere.cover_batch` on the same ledger.

This module imports pyspark only when called; install it yourself (``pip install pyspark``,
with a Java runtime): the package does not depend on it.
"""

from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional

from . import _batch
from ._errors import InputError

__all__ = ["cover_batch"]


def cover_batch(
    df: Any,
    policy: Mapping[str, Any],
    buyers: Mapping[Any, Mapping[str, Any]],
    as_of: Any,
    *,
    order: str,
    num_partitions: Optional[int] = None,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
    **options: Any,
) -> Any:
    """:func:`delcredere.cover_batch` over a Spark ``DataFrame`` (BAT-1, BAT-2, BAT-4, BAT-6).

    ``df`` has one row per invoice with the columns :func:`delcredere.cover_batch` reads
    (named by ``buyer``, ``amount``, ``date``, ``terms_days``, ``end_of_month`` and ``paid_on``
    as there): the amount a ``DecimalType`` (or a decimal string; never a float), the dates
    ``DateType``. ``policy``, ``buyers`` and ``as_of`` are those of
    :func:`delcredere.cover_batch`; ``buyers`` (a plain mapping, buyer id to entry) is sent to
    the executors as one broadcast variable. Other keyword arguments go to
    :func:`delcredere.cover_batch` unchanged.

    ``order`` names a column that orders the ledger's rows: an invoice number, a booking
    sequence, a row number given when the ledger was read. A Spark ``DataFrame`` has no row
    order that survives a shuffle, and BAT-1 takes one buyer's invoices of one date in row
    order; each partition is therefore sorted by (date, ``order``) before the call, and the
    figures are those of the single-process call on the ledger sorted by ``order``. Two rows of
    one buyer on one date with the same ``order`` value would leave their order to Spark: the
    task refuses them with an :class:`InputError` (code ``duplicate_order``), whatever
    ``errors`` says.

    *A buyer is never split across partitions.* The ledger is repartitioned here with
    ``df.repartition(num_partitions, buyer)`` (``num_partitions`` defaults to Spark's
    ``spark.sql.shuffle.partitions``), whatever partitioning it came with: hash partitioning
    sends every row with one buyer value to the one partition that value hashes to, and
    adaptive execution may merge such partitions (whole buyers together) but never splits
    them. A buyer with many invoices makes one large task; nothing splits it.

    Returns a lazy ``DataFrame``: the ledger's columns and the result columns of
    :func:`delcredere.cover_batch` (``cover_type`` and ``overdue_status`` as strings, the
    amounts as ``DecimalType(38, s)``), with rows in partition order (sort them by ``order``
    to compare). The policy and the buyers are checked here, on the driver, before any job:
    a bad policy or a buyer's bad events raise at once. A bad row raises only when the job
    runs: with ``errors="raise"`` the task fails with the :class:`InputError` (its ``field``
    names the row by its ``order`` value, e.g. ``rows[order=17].amount``), which Spark shows
    in the driver as a ``PythonException``; with ``errors="column"`` bad rows get null figures
    and an ``error`` column, as in :func:`delcredere.cover_batch`.

    ::

        from delcredere.spark import cover_batch
        ledger = spark.read.parquet("ledger.parquet")  # invoice_no, buyer, amount, date, ...
        covered = cover_batch(ledger, policy, buyers, "2026-12-31", order="invoice_no",
                              paid_on="paid_on", errors="column")
        covered.write.parquet("covered.parquet")
    """
    import pyarrow as pa
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    names = [c for c in (buyer, amount, date, terms_days, end_of_month, paid_on, order) if c is not None]
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise InputError(f"columns: no column {missing[0]!r} in the DataFrame", "missing_field",
                         f"columns.{missing[0]}")
    columns = dict(buyer=buyer, amount=amount, date=date, terms_days=terms_days,
                   end_of_month=end_of_month, paid_on=paid_on, errors=errors, **options)
    # The call on no rows, here on the driver: checks the policy and the buyers' events before
    # any job, and gives the result's schema. The amounts' scale is the amount column's or the
    # most decimals of any buyer's limits (BAT-2): a partition whose buyers' limits have fewer
    # decimals gives a smaller one, and its result is cast to this one (exact: zeros added).
    input_schema = to_arrow_schema(df.schema)
    empty = _batch.cover_batch(input_schema.empty_table(), policy, buyers, as_of, **columns)
    output_schema = pa.schema([_spark_field(f) for f in empty.schema])
    spark_schema = from_arrow_schema(output_schema)

    setup = _broadcast(df.sparkSession, (policy, buyers, as_of))
    run = _partition_function(setup, output_schema, order, columns)
    n = num_partitions or int(df.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    return df.repartition(n, F.col(buyer)).mapInArrow(run, spark_schema)


def _spark_field(field: Any) -> Any:
    """The Arrow field Spark reads back: categories as plain strings."""
    import pyarrow as pa

    if pa.types.is_dictionary(field.type):
        return pa.field(field.name, pa.string(), field.nullable)
    return field


def _broadcast(session: Any, value: Any) -> Callable[[], Any]:
    """A getter of ``value`` on the executors: a broadcast variable where the session has a
    SparkContext; under Spark Connect (no SparkContext) the value travels in the function."""
    try:
        handle = session.sparkContext.broadcast(value)
    except Exception:  # Spark Connect: no sparkContext; the closure carries the value
        return lambda: value
    return lambda: handle.value


def _partition_function(
    setup: Callable[[], Any], output_schema: Any, order: str, columns: Dict[str, Any]
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        parts = list(batches)
        if not parts:
            return
        # Every batch of the partition in one table: a buyer's rows may span Spark's batches
        # (spark.sql.execution.arrow.maxRecordsPerBatch), never two partitions.
        table = pa.Table.from_batches(parts)
        if table.num_rows == 0:
            return
        table = table.sort_by([(columns["date"], "ascending"), (order, "ascending")])
        _refuse_duplicate_order(table, columns["buyer"], columns["date"], order)
        policy, buyers, as_of = setup()
        try:
            result = _batch.cover_batch(table, policy, _own(buyers, table, columns["buyer"]), as_of, **columns)
        except InputError as e:
            raise _by_order(e, table, order) from None
        yield from result.cast(output_schema).to_batches()

    return run


def _own(buyers: Mapping[Any, Any], table: Any, buyer: str) -> Dict[Any, Any]:
    """The entries of the partition's buyers only: a call reads every entry it is given (about
    10 µs a buyer), and the partition's rows need no other (BAT-1..6 look at one buyer). A
    buyer id not in ``buyers`` stays unknown (a bad row), as in one call on the whole ledger."""
    import pyarrow.compute as pc

    return {b: buyers[b] for b in pc.unique(table.column(buyer)).to_pylist() if b is not None and b in buyers}


def _refuse_duplicate_order(table: Any, buyer: str, date: str, order: str) -> None:
    """Two rows of one buyer on one date with one ``order`` value have no defined order."""
    import pyarrow.compute as pc

    if table.num_rows < 2:
        return
    keys = [buyer, date, order]
    counts = table.select(keys).group_by(keys).aggregate([([], "count_all")])
    if counts.num_rows == table.num_rows:
        return
    twice = counts.filter(pc.greater(counts.column("count_all"), 1)).slice(0, 1).to_pylist()[0]
    raise InputError(
        f"rows[{order}={twice[order]!r}]: {twice['count_all']} rows of buyer {twice[buyer]!r} on "
        f"{twice[date]} have this {order}: BAT-1 takes a buyer's invoices of one date in row "
        f"order, and a Spark DataFrame keeps no row order; give {order!r} distinct values",
        "duplicate_order", f"rows[{order}={twice[order]!r}].{order}",
    )


def _by_order(e: InputError, table: Any, order: str) -> InputError:
    """The error with its ``rows[i]`` (a position in the partition) given by ``order``."""
    import re

    def name(match: "re.Match[str]") -> str:
        i = int(match.group(1))
        if i >= table.num_rows:
            return match.group(0)
        return f"rows[{order}={table.column(order)[i].as_py()!r}]"

    pattern = re.compile(r"rows\[(\d+)\]")
    problems: List[Dict[str, str]] = [
        {k: pattern.sub(name, v) if isinstance(v, str) else v for k, v in p.items()} for p in e.problems
    ]
    return type(e)(pattern.sub(name, e.message), e.code, pattern.sub(name, e.field), problems)
