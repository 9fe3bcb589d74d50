"""Benchmark of the batch cover check (issue #10). A script, not a test.

    (cd bindings-python && maturin develop --release)   # a release build of the module
    .venv/bin/python benches/python/bench_batch.py --rows 10000000 --buyers 20000

Measures on one generated ledger (delcredere.sample.ledger, sorted by date, int buyer ids,
decimal128 amounts, date32 dates):
  1. delcredere.cover_batch (Arrow in, Arrow out; the native call releases the GIL): the
     slower of the process's first two calls, then the best of --repeat calls after them;
  2. a plain Python loop calling delcredere.check_delivery_cover per row, keeping each
     buyer's open invoices in a heap (on --loop-rows rows, rate extrapolated);
  3. the best pandas vectorised version of the same rule I could write (int64 cents, one
     stable sort, groupby cumsum, searchsorted over per-buyer payment cumsums); per-buyer
     facts (limit amounts and dates, self-assessed cap, insurability) come from the engine's
     single-buyer functions, once per buyer. A granted limit applies from its credit decision
     (the `granted` event's date) on, the self-assessed cap before it (LIM-1). Its output is
     checked equal to cover_batch's;
  4. the per-call time of single Python calls into the module;
  5. (--sections kinds) cover_batch and exposure_batch, whole calls on one thread, from each
     kind of input: pyarrow; pandas with Arrow-backed columns; polars; pandas of default
     dtypes (object columns of Decimal and date), and the same as converted before #26 and at
     commit af71c4d (pyarrow's passes); integer cents with amount_scale=2, from
     pyarrow and from pandas' own int64 / datetime64 columns. Each result is checked equal to
     the pyarrow one; the best of --repeat calls, the kinds taken in turn (round robin) so
     that a change in the machine's load falls on all of them alike;
  6. (--sections threads) the native calls on 1 and on 2 threads (--threads-list), in turn,
     on policy and buyers and on a prepared engine (sample.engine), the best of --repeat
     each, results checked equal.

    .venv/bin/python benches/python/bench_batch.py --rows 1000000 --sections kinds
    .venv/bin/python benches/python/bench_batch.py --rows 10000000 --sections threads
"""

import argparse
import contextlib
import heapq
import os
import platform
import time
import timeit
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa

import delcredere
from delcredere import _delcredere, sample


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def best_of(fn, repeat, worst=False):
    """The least time of `repeat` calls (the greatest with `worst`), and the last result. Each
    result is kept until the next call has returned, as a notebook keeps the one it shows."""
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return max(times) if worst else min(times), result


# --- 5. input kinds ---------------------------------------------------------------------------

def input_kinds(ledger: pa.Table, buyers, as_of, repeat: int) -> None:
    import polars as pl

    cents = pa.array(units(ledger.column("amount")))
    in_cents = ledger.set_column(ledger.schema.get_field_index("amount"), "amount", cents)
    native = pd.DataFrame({
        "buyer": ledger.column("buyer").to_numpy(),
        "amount": cents.to_numpy(),
        "date": ledger.column("date").to_pandas(date_as_object=False),
        "terms_days": ledger.column("terms_days").to_numpy(),
        "paid_on": ledger.column("paid_on").to_pandas(date_as_object=False),
    })
    kinds = {
        "pyarrow Table (decimal128, date32)": (ledger, None),
        "pandas, Arrow-backed (`to_pandas(types_mapper=pd.ArrowDtype)`)": (
            ledger.to_pandas(types_mapper=pd.ArrowDtype), None),
        "polars (`pl.from_arrow`)": (pl.from_arrow(ledger), None),
        "pandas, default dtypes (`to_pandas()`: object Decimal and date)": (ledger.to_pandas(), None),
        "int64 cents, `amount_scale=2`, pyarrow": (in_cents, 2),
        "int64 cents, `amount_scale=2`, pandas int64 / datetime64": (native, 2),
    }
    assert kinds["pandas, default dtypes (`to_pandas()`: object Decimal and date)"][0]["amount"].dtype == object
    before = "pandas, default dtypes, as converted before #26 (pyarrow's type inference in, object Decimal out)"
    kinds[before] = kinds["pandas, default dtypes (`to_pandas()`: object Decimal and date)"]
    by_pyarrow = ("pandas, default dtypes, as converted at af71c4d (pyarrow's `decimal128(38, 2)` pass in, "
                  "`int * Decimal` out)")
    kinds[by_pyarrow] = kinds[before]
    conversions = {before: _conversion_before_26, by_pyarrow: _conversion_by_pyarrow}
    expected = delcredere.cover_batch(ledger, sample.POLICY, buyers, as_of, paid_on="paid_on", threads=1)
    expected_e = delcredere.exposure_batch(ledger, sample.POLICY, buyers, as_of, paid_on="paid_on", threads=1)
    best = {(k, f): float("inf") for k in kinds for f in ("cover", "exposure")}
    for _ in range(repeat):
        for kind, (table, scale) in kinds.items():
            for name, fn in (("cover", delcredere.cover_batch), ("exposure", delcredere.exposure_batch)):
                with conversions.get(kind, contextlib.nullcontext)():
                    t = time.perf_counter()
                    out = fn(table, sample.POLICY, buyers, as_of, paid_on="paid_on", amount_scale=scale, threads=1)
                    best[kind, name] = min(best[kind, name], time.perf_counter() - t)
                column = "covered" if name == "cover" else "peak"
                got = out.column(column).to_pylist() if isinstance(out, pa.Table) else out[column].to_list()
                want = (expected if name == "cover" else expected_e).column(column).to_pylist()
                assert got == want, (kind, name)
                del out
    base = best[next(iter(kinds)), "cover"]
    backed = best["pandas, Arrow-backed (`to_pandas(types_mapper=pd.ArrowDtype)`)", "cover"]
    print(f"input kinds, {ledger.num_rows:,} rows, whole calls on one thread (threads=1), best of {repeat}:")
    print("| input | cover_batch | rows/s | vs pyarrow | vs Arrow-backed pandas | exposure_batch |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        c, e = best[kind, "cover"], best[kind, "exposure"]
        print(f"| {kind} | {c:.3f} s | {ledger.num_rows / c / 1e6:.1f} M | {c / base:.2f}x | {c / backed:.2f}x "
              f"| {e:.3f} s |")


@contextlib.contextmanager
def _conversion_by_pyarrow():
    """The pandas conversion as it was at commit af71c4d, for its row: an object column of
    ``Decimal`` through pyarrow's typed pass, ``Decimal`` results as Python integers times
    10^-scale (the native passes of bindings-python/src/objects.rs replaced both)."""
    from delcredere import _batch

    def decimal_objects(column, keep=None):
        try:
            return pa.array(column, type=pa.decimal128(38, 2), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None

    def decimals_out(column, amounts=None):
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if isinstance(array, pa.ChunkedArray) or array.null_count:
            return column.to_pandas().to_numpy()
        words = np.frombuffer(array.buffers()[1], dtype=np.int64, count=2 * (array.offset + len(array)))
        words = words.reshape(-1, 2)[array.offset:]
        low = words[:, 0]
        if not (words[:, 1] == (low >> 63)).all():
            return column.to_pandas().to_numpy()
        return low.astype(object) * Decimal(1).scaleb(-array.type.scale)

    saved = _batch._decimal_objects, _batch._decimals_out
    _batch._decimal_objects, _batch._decimals_out = decimal_objects, decimals_out
    try:
        yield
    finally:
        _batch._decimal_objects, _batch._decimals_out = saved


@contextlib.contextmanager
def _conversion_before_26(on: bool = True):
    """The pandas conversion as it was before issue #26, for the "before" row: every column
    through pyarrow's type inference, every result column through ``to_pandas``."""
    from delcredere import _batch

    saved = _batch._decimal_objects, _batch._pandas_column
    if on:
        _batch._decimal_objects = lambda column, keep=None: None
        _batch._pandas_column = lambda column, index, arrow_backed, amounts=None: (
            pd.Series(column, dtype=pd.ArrowDtype(column.type), index=index) if arrow_backed
            else column.to_pandas().set_axis(index))
    try:
        yield
    finally:
        _batch._decimal_objects, _batch._pandas_column = saved


# --- 6. threads ---------------------------------------------------------------------------------

def thread_counts(ledger: pa.Table, buyers, as_of, repeat: int, counts) -> None:
    setup = {"policy": sample.POLICY, "buyers": list(buyers.values()), "asOf": as_of}
    ids = list(buyers)
    engine = sample.engine(buyers)
    arrow = ledger.select(["buyer", "amount", "date", "terms_days", "paid_on"])
    import resource

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    # The native calls as delcredere.cover_batch / exposure_batch make them: on policy and
    # buyers (a batch setup read from Python at every call), and on a prepared engine (BAT-7:
    # no per-call setup but the engine's view on `as_of`).
    calls = {
        "cover": lambda t: _delcredere.cover_batch(arrow, setup, ids, "raise", t),
        "exposure": lambda t: _delcredere.exposure_batch(arrow, setup, ids, "raise", t),
        "cover, engine": lambda t: _delcredere.cover_batch_engine(arrow, engine, as_of, "raise", t),
        "exposure, engine": lambda t: _delcredere.exposure_batch_engine(arrow, engine, as_of, "raise", t),
    }
    best = {(t, f): float("inf") for t in counts for f in calls}
    best_cpu = dict(best)
    first = {}
    for _ in range(repeat):
        for t in counts:
            for name, fn in calls.items():
                start, start_cpu = time.perf_counter(), cpu()
                out = fn(t)
                best[t, name] = min(best[t, name], time.perf_counter() - start)
                best_cpu[t, name] = min(best_cpu[t, name], cpu() - start_cpu)
                # The engine's buyer keys are text ("7" for 7): the other columns are compared.
                kind = name.split(",")[0]
                out = out.drop_columns(["buyer"]) if "buyer" in out.column_names else out
                if kind not in first:
                    first[kind] = out
                else:
                    assert out.equals(first[kind]), (t, name)
                del out
    print(f"threads, native calls, {ledger.num_rows:,} rows, best of {repeat} (taken in turn), results equal:")
    print("| call | threads | time | rows/s | speed-up | CPU s (user+sys) |")
    print("|---|---|---|---|---|---|")
    for name in calls:
        for t in counts:
            s = best[t, name]
            print(f"| {name} | {t} | {s:.3f} s | {ledger.num_rows / s / 1e6:.1f} M | "
                  f"{best[counts[0], name] / s:.2f}x | {best_cpu[t, name]:.2f} |")


# --- 2. the plain Python loop ---------------------------------------------------------------

def python_loop(ledger: pa.Table, buyers, as_of, n: int):
    rows = ledger.slice(0, n).to_pydict()
    open_invoices = {}
    owed = {}
    covered = []
    for b, amount, d, terms, paid in zip(rows["buyer"], rows["amount"], rows["date"], rows["terms_days"], rows["paid_on"]):
        heap = open_invoices.setdefault(b, [])
        while heap and heap[0][0] <= d:
            owed[b] -= heapq.heappop(heap)[1]
        before = owed.get(b, Decimal("0.00"))
        entry = buyers[b]
        decision = delcredere.check_delivery_cover(
            sample.POLICY, entry["buyer"], {"amount": before, "currency": "EUR"},
            {"amount": {"amount": amount, "currency": "EUR"}, "date": d, "paymentTermsDays": terms},
            as_of, entry.get("limitEvents", ()), entry.get("selfAssessment"))
        covered.append(decision.amounts["coveredAmount"]["amount"])
        due = paid if paid is not None else d + timedelta(days=terms)
        owed[b] = before + amount
        if due > d:
            heapq.heappush(heap, (due, amount))
        else:
            owed[b] = before
    return covered


# --- 3. the pandas version ------------------------------------------------------------------

def buyer_caps(buyers, as_of):
    """Per buyer: blocked, the cap before the credit decision (the self-assessed cap, as for a
    buyer without a limit: LIM-1), the decision date, the cap from it and from the reduction's
    effective date (LIM-3), in cents (engine's single calls)."""
    policy = sample.POLICY
    never = np.datetime64("2262-01-01")
    rows = []
    for b, entry in buyers.items():
        insurable = delcredere.check_insurability(policy, entry["buyer"], {"kind": "goods", "paymentTermsDays": 0})
        blocked = insurable.outcome == "not_insurable"
        events = entry.get("limitEvents", [])
        assessed = delcredere.assess_discretionary(
            policy, policy["discretionaryLimit"], as_of, evidence=entry.get("selfAssessment"), limit_events=events)
        before = after = self_cap = assessed.amounts["coveredAmount"]["amount"]
        decided = switch = never
        for e in events:
            if e["type"] == "granted":
                decided = np.datetime64(e["date"])
                before = after = Decimal(e["amount"]["amount"])
            elif e["type"] == "reduced":
                state = delcredere.limit_state(policy, events, e["date"])
                switch = np.datetime64(state.details["effectiveDate"])
                after = Decimal(e["amount"]["amount"])
        rows.append((b, blocked, int(self_cap * 100), decided, int(before * 100), switch, int(after * 100)))
    columns = ["buyer", "blocked", "cap_pre", "decided", "cap_before", "switch", "cap_after"]
    return pd.DataFrame(rows, columns=columns).set_index("buyer")


def pandas_cover(df: pd.DataFrame, caps: pd.DataFrame) -> pd.DataFrame:
    """BAT-1/BAT-2 vectorised: amounts as int64 cents, exact."""
    n = len(df)
    cents = df["cents"].to_numpy()
    buyer = df["buyer"].to_numpy()
    day = df["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    terms = df["terms_days"].to_numpy().astype(np.int64)
    paid = df["paid_on"].to_numpy().astype("datetime64[D]")
    paid = np.where(np.isnat(paid), day + terms, paid.astype(np.int64))
    # Rows in (buyer, date, row) order: earlier invoices of the buyer come first.
    order = np.lexsort((np.arange(n), day, buyer))
    b_sorted, c_sorted = buyer[order], cents[order]
    start = np.r_[True, b_sorted[1:] != b_sorted[:-1]]
    cum = np.cumsum(c_sorted)
    group_base = np.maximum.accumulate(np.where(start, cum - c_sorted, 0))
    earlier = cum - c_sorted - group_base  # sum of the buyer's earlier invoices
    # Paid by this row's date: per-buyer cumsum over payment dates, looked up by searchsorted.
    big = np.int64(1 << 32)
    pay_key = buyer * big + paid
    pay_order = np.argsort(pay_key, kind="stable")
    pay_key_sorted = pay_key[pay_order]
    pay_cum = np.r_[0, np.cumsum(cents[pay_order])]
    q = buyer[order] * big + day[order]
    upto = np.searchsorted(pay_key_sorted, q, side="right")
    buyer_start = np.searchsorted(pay_key_sorted, buyer[order] * big, side="left")
    paid_by_then = pay_cum[upto] - pay_cum[buyer_start]
    outstanding = np.empty(n, dtype=np.int64)
    outstanding[order] = earlier - paid_by_then
    # Cap per row from the buyer table; no cover when blocked or terms over the maximum.
    c = caps.reindex(buyer)
    decided = c["decided"].to_numpy().astype("datetime64[D]").astype(np.int64)
    switch = c["switch"].to_numpy().astype("datetime64[D]").astype(np.int64)
    cap = np.where(day < decided, c["cap_pre"].to_numpy(),
                   np.where(day < switch, c["cap_before"].to_numpy(), c["cap_after"].to_numpy()))
    none = c["blocked"].to_numpy() | (terms > sample.POLICY["maxCreditPeriodDays"]) | (cap == 0)
    covered = np.where(none, 0, np.clip(cap - outstanding, 0, cents))
    return pd.DataFrame({"outstanding": outstanding, "covered": covered, "uncovered": cents - covered})


def units(column: pa.ChunkedArray) -> np.ndarray:
    """The unscaled integers of a decimal128 column at scale 2 whose values fit in int64."""
    array = column.combine_chunks()
    assert array.type.scale == 2 and array.offset == 0
    return np.frombuffer(array.buffers()[1], dtype=np.int64)[::2].copy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--loop-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sections", default="batch,loop,pandas,calls",
                        help="comma-separated: batch, loop, pandas, calls, kinds, threads")
    parser.add_argument("--threads-list", default="1,2")
    args = parser.parse_args()
    as_of = sample.as_of()
    sections = set(args.sections.split(","))

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}; python {platform.python_version()}; "
          f"pyarrow {pa.__version__}, pandas {pd.__version__}, numpy {np.__version__}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    t = time.perf_counter()
    ledger, buyers = sample.ledger(args.buyers, args.rows, seed=42, max_days_late=60)
    print(f"ledger: {args.rows:,} rows, {args.buyers:,} buyers, generated in {time.perf_counter() - t:.1f} s")
    if "kinds" in sections:
        input_kinds(ledger, buyers, as_of, args.repeat)
    if "threads" in sections:
        thread_counts(ledger, buyers, as_of, args.repeat, [int(t) for t in args.threads_list.split(",")])
    if not sections & {"batch", "loop", "pandas", "calls"}:
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return

    # 1. batch
    setup = {"policy": sample.POLICY, "buyers": list(buyers.values()), "asOf": as_of}
    ids = list(buyers)
    arrow = ledger.select(["buyer", "amount", "date", "terms_days", "paid_on"])
    # The first two calls of a process write their result columns (two sets alive at once, as
    # in best_of) into memory the process has not used before, which the OS zeroes first:
    # timed apart, then the best of --repeat calls after them.
    cold = best_of(lambda: _delcredere.cover_batch(arrow, setup, ids, "raise"), 2, worst=True)[0]
    native, result = best_of(lambda: _delcredere.cover_batch(arrow, setup, ids, "raise"), args.repeat)
    full, out = best_of(lambda: delcredere.cover_batch(ledger, sample.POLICY, buyers, as_of, paid_on="paid_on"), args.repeat)
    print(f"cover_batch, first two calls of the process: slower one {cold:.3f} s (result memory new to the process)")
    print(f"cover_batch, native call:  {native:.3f} s = {args.rows / native / 1e6:.1f} M rows/s (one core)")
    print(f"cover_batch, whole call:   {full:.3f} s = {args.rows / full / 1e6:.1f} M rows/s")

    # 2. Python loop
    loop_n = min(args.loop_rows, args.rows)
    t = time.perf_counter()
    covered_loop = python_loop(ledger, buyers, as_of, loop_n)
    loop = time.perf_counter() - t
    loop_rate = loop_n / loop
    # The loop sees only the first rows: equal to the batch on those (same rows, same order).
    head = delcredere.cover_batch(ledger.slice(0, loop_n), sample.POLICY, buyers, as_of, paid_on="paid_on")
    assert covered_loop == head.column("covered").to_pylist(), "python loop differs"
    print(f"python loop over check_delivery_cover: {loop_rate:,.0f} rows/s on {loop_n:,} rows "
          f"-> batch is {args.rows / full / loop_rate:,.0f}x faster")

    # 3. pandas
    df = pd.DataFrame({
        "buyer": ledger.column("buyer").to_numpy(),
        "cents": units(ledger.column("amount")),
        "date": ledger.column("date").to_pandas(types_mapper=None).astype("datetime64[s]"),
        "terms_days": ledger.column("terms_days").to_numpy(),
        "paid_on": pd.to_datetime(ledger.column("paid_on").to_pandas()),
    })
    t = time.perf_counter()
    caps = buyer_caps(buyers, as_of)
    caps_time = time.perf_counter() - t
    pand, pandas_out = best_of(lambda: pandas_cover(df, caps), args.repeat)
    ours = pd.DataFrame({name: units(out.column(name)) for name in ("outstanding", "covered", "uncovered")})
    assert (ours["covered"].to_numpy() == pandas_out["covered"].to_numpy()).all(), "pandas covered differs"
    assert (ours["outstanding"].to_numpy() == pandas_out["outstanding"].to_numpy()).all(), "pandas outstanding differs"
    print(f"pandas vectorised: {pand:.3f} s = {args.rows / pand / 1e6:.1f} M rows/s (+ {caps_time:.2f} s per-buyer "
          f"facts) -> batch is {pand / full:.1f}x faster (native call: {pand / native:.1f}x); outputs equal")

    # 4. per-call overhead
    n = 20_000
    buyer0 = buyers[0]
    call = lambda: delcredere.check_delivery_cover(  # noqa: E731
        sample.POLICY, buyer0["buyer"], {"amount": Decimal("0"), "currency": "EUR"},
        {"amount": {"amount": Decimal("100"), "currency": "EUR"}, "date": date(2026, 3, 1), "paymentTermsDays": 30},
        as_of, buyer0.get("limitEvents", ()), buyer0.get("selfAssessment"))
    per_call = min(timeit.repeat(call, number=n // 10, repeat=3)) / (n // 10)
    tiny = min(timeit.repeat(lambda: _delcredere.explain({"outcome": "insurable", "reasons": []}, "en"),
                             number=n, repeat=3)) / n
    noop = min(timeit.repeat(lambda: _delcredere.OPS.__len__(), number=n, repeat=3)) / n
    print(f"single calls: check_delivery_cover {per_call * 1e6:.1f} us; explain (smallest op) {tiny * 1e6:.2f} us; "
          f"(a Python attribute call for scale: {noop * 1e6:.2f} us)")


if __name__ == "__main__":
    main()
