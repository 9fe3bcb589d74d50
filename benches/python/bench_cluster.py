"""Dask (and optionally Spark) scaling of the batch cover check, by-buyer partitions (issue #26).
A script, not a test.

    (cd bindings-python && maturin develop --release)   # a release build of the module
    .venv/bin/python benches/python/bench_cluster.py --rows 1000000 --buyers 20000 --partitions 8
    .venv/bin/python benches/python/bench_cluster.py ... --spark     # also local[1] vs local[2]

One ledger (delcredere.sample.ledger, seed 42), sorted by buyer (stable: a buyer's rows keep
their order) and cut into --partitions pieces at buyer boundaries (spec/batch.md, "On a
cluster": a buyer never split), each piece a pandas frame with Arrow-backed columns
(``to_pandas(types_mapper=pd.ArrowDtype)``). Measured, each --repeat times (min, median, max):

  1. one process, no cluster: the per-call setup (the policy and the --buyers buyers' table,
     read on every call), the whole ledger in one call, and each partition in turn, given
     either the whole buyers' table ("run") or its own buyers' entries only ("run_own", the
     recipe of spec/batch.md);
  2. Dask, LocalCluster of 1 then 2 worker processes, one thread each, "run" then "run_own":
     a. "end to end": map_partitions(cover_batch).compute() from the client's frames (ships the
        partitions to the workers and the results back);
     b. "on the workers": the partitions persisted on the workers first, then
        map_partitions(cover_batch).persist() + wait (the results stay on the workers);
     the buyers' table is scattered to every worker once (client.scatter(..., broadcast=True))
     and passed to map_partitions as a future;
  3. with --spark: delcredere.spark.cover_batch on local[1] and local[2] (write to the noop
     sink), the ledger cached in Spark first.

Speedup = time on 1 worker / time on 2; efficiency = speedup / 2. The load average is printed
before and after: the machine may be shared.
"""

import argparse
import os
import pickle
import platform
import statistics
import sys
import time
from typing import Callable, List, Tuple

import pandas as pd
import pyarrow as pa

import delcredere
from delcredere import sample


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def timed(fn: Callable[[], object], repeat: int) -> List[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def spread(times: List[float]) -> str:
    return f"min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s"


def by_buyer(ledger: pa.Table, n: int) -> List[pa.Table]:
    """The ledger sorted by buyer (stable) and cut into n pieces of about equal rows, each cut
    moved forward to the next change of buyer: a buyer is never split."""
    ledger = ledger.take(pa.compute.sort_indices(ledger, [("buyer", "ascending")]))
    buyer = ledger.column("buyer").to_numpy()
    cuts = [0]
    for k in range(1, n):
        i = max(k * len(buyer) // n, cuts[-1])
        while 0 < i < len(buyer) and buyer[i] == buyer[i - 1]:
            i += 1
        cuts.append(i)
    cuts.append(len(buyer))
    return [ledger.slice(a, b - a) for a, b in zip(cuts, cuts[1:])]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--spark", action="store_true")
    args = parser.parse_args()
    as_of = sample.as_of()

    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, wait

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}; python {platform.python_version()}; "
          f"pyarrow {pa.__version__}, pandas {pd.__version__}, dask {dask.__version__}")
    print(f"before: {load()}")
    ledger, buyers = sample.ledger(args.buyers, args.rows, seed=42)
    pieces = by_buyer(ledger, args.partitions)
    frames = [p.to_pandas(types_mapper=pd.ArrowDtype) for p in pieces]
    expected = delcredere.cover_batch(ledger, sample.POLICY, buyers, as_of, paid_on="paid_on")
    print(f"ledger: {args.rows:,} rows, {args.buyers:,} buyers, {args.partitions} by-buyer partitions of "
          f"{min(len(f) for f in frames):,} to {max(len(f) for f in frames):,} rows, Arrow-backed pandas")
    arrow_bytes = sum(p.nbytes for p in pieces) / len(pieces)
    setup_bytes = len(pickle.dumps((sample.POLICY, buyers, as_of), protocol=5))
    print(f"shipped per partition: its Arrow data, {arrow_bytes / 1e6:.1f} MB on average; "
          f"policy + buyers pickled: {setup_bytes / 1e6:.1f} MB (once per worker here)")

    def run(frame: pd.DataFrame, table) -> pd.DataFrame:
        """One partition with the whole buyers' table (what a naive map_partitions does)."""
        return delcredere.cover_batch(frame, sample.POLICY, table, as_of, paid_on="paid_on")

    def run_own(frame: pd.DataFrame, table) -> pd.DataFrame:
        """One partition with its own buyers' entries only (spec/batch.md's recipe)."""
        own = {b: table[b] for b in frame["buyer"].unique().tolist() if b in table}
        return delcredere.cover_batch(frame, sample.POLICY, own, as_of, paid_on="paid_on")

    # 1. one process
    setup_times = timed(lambda: run(frames[0].iloc[:0], buyers), args.repeat)
    whole = timed(lambda: run(pd.concat(frames), buyers), args.repeat)
    print(f"one process: per-call setup (policy + {args.buyers:,} buyers, no rows) {spread(setup_times)}; "
          f"the whole ledger in one call (from the concatenated frames): {spread(whole)}")
    want = expected.take(pa.compute.sort_indices(ledger, [("buyer", "ascending")]))
    for fn in (run, run_own):
        part_times = [min(timed(lambda f=f: fn(f, buyers), args.repeat)) for f in frames]
        serial = timed(lambda: [fn(f, buyers) for f in frames], args.repeat)
        print(f"one process, {fn.__name__}: per partition {min(part_times):.3f} to {max(part_times):.3f} s "
              f"(best of {args.repeat}); the {args.partitions} partitions in turn: {spread(serial)}")
        combined = pd.concat([fn(f, buyers) for f in frames])
        for name in ("outstanding", "covered", "cover_type", "overdue_status", "report_by"):
            assert pa.array(combined[name]).to_pylist() == want.column(name).to_pylist(), name

    # 2. Dask
    results = {}
    for fn, workers in ((run, 1), (run, 2), (run_own, 1), (run_own, 2)):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            ddf = dd.from_delayed([dask.delayed(f) for f in frames], meta=frames[0].iloc[:0])
            meta = run(frames[0].iloc[:0], buyers)
            # The buyers' table on every worker once, held there (a delayed value would be
            # rebuilt and unpickled, 2.5 MB, on every compute).
            shared = client.scatter([buyers], broadcast=True)[0]

            def end_to_end():
                out = ddf.map_partitions(fn, shared, meta=meta).compute()
                assert len(out) == args.rows

            held = client.persist(ddf)
            wait(held)

            def on_workers():
                out = held.map_partitions(fn, shared, meta=meta).persist()
                wait(out)
                del out

            end_to_end()  # warm: workers import delcredere, receive the buyers
            on_workers()
            e2e = timed(end_to_end, args.repeat)
            resident = timed(on_workers, args.repeat)
            results[fn.__name__, workers] = (e2e, resident)
            print(f"dask {fn.__name__}, {workers} worker(s): end to end {spread(e2e)}; "
                  f"on the workers {spread(resident)}; {load()}")
    for name in ("run", "run_own"):
        for label, i in (("end to end", 0), ("on the workers", 1)):
            one, two = statistics.median(results[name, 1][i]), statistics.median(results[name, 2][i])
            best = min(results[name, 1][i]) / min(results[name, 2][i])
            print(f"dask {name} speedup 1 -> 2 workers, {label}: {one / two:.2f}x on medians "
                  f"(efficiency {one / two / 2:.0%}), {best:.2f}x on best times")

    # 3. Spark
    if args.spark:
        spark_bench(ledger, buyers, as_of, args)
    print(f"after: {load()}")
    return 0


def spark_bench(ledger: pa.Table, buyers, as_of, args) -> None:
    from pyspark.sql import SparkSession

    from delcredere.spark import cover_batch

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    ledger = ledger.append_column("row", pa.array(range(ledger.num_rows), pa.int64()))
    medians = {}
    for cores in (1, 2):
        spark = (SparkSession.builder.master(f"local[{cores}]").appName("bench")
                 .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
                 .config("spark.sql.shuffle.partitions", str(args.partitions)).getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.createDataFrame(ledger).cache()
        df.count()

        def go():
            cover_batch(df, sample.POLICY, buyers, as_of, order="row", paid_on="paid_on") \
                .write.format("noop").mode("overwrite").save()

        go()
        times = timed(go, args.repeat)
        medians[cores] = statistics.median(times)
        print(f"spark local[{cores}]: shuffle by buyer + {args.partitions} mapInArrow tasks: {spread(times)}; {load()}")
        spark.stop()
    s = medians[1] / medians[2]
    print(f"spark speedup local[1] -> local[2]: {s:.2f}x on medians (efficiency {s / 2:.0%})")


if __name__ == "__main__":
    sys.exit(main())
