"""One batch call repeated on 1 and on 2 threads, each result dropped before the next call, so
that the allocator's memory serves the next call as it is (no other call's memory in between,
as benches/python/bench_batch.py's threads section has); the wall, CPU (user + system) time and
minor page faults of each call. A script, not a test; not in CI. After a release build of the
module (`maturin develop --release`):

    .venv/bin/python benches/python/threads_steady.py [--rows 10000000] [--calls 6]

Calls: `cover_batch` on a prepared engine (`sample.engine`) and on policy and buyers (a setup of
20,000 buyers read from Python at each call), Arrow in and out; the setup's own cost is the
same call on the ledger's first 1,000 rows.
"""

import argparse
import os
import resource
import statistics
import time

from delcredere import _delcredere, sample


def timed(fn, calls):
    rows = []
    for _ in range(calls):
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        out = fn()
        t = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        del out
        cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        rows.append((t, cpu, r1.ru_minflt - r0.ru_minflt))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--calls", type=int, default=6)
    args = parser.parse_args()
    ledger, buyers = sample.ledger(20000, args.rows, seed=42)
    as_of = sample.as_of()
    engine = sample.engine(buyers)
    setup = {"policy": sample.POLICY, "buyers": list(buyers.values()), "asOf": as_of}
    ids = list(buyers)
    arrow = ledger.select(["buyer", "amount", "date", "terms_days"])
    calls = {
        "cover, prepared engine": lambda t: _delcredere.cover_batch_engine(arrow, engine, as_of, "raise", t),
        "cover, policy + buyers": lambda t: _delcredere.cover_batch(arrow, setup, ids, "raise", t),
        "cover, policy + buyers, 1,000 rows (the setup)": lambda t: _delcredere.cover_batch(
            arrow.slice(0, 1000), setup, ids, "raise", t),
    }
    print(f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{args.rows:,} rows, 20,000 buyers; {args.calls} calls each after one untimed")
    print("| call | threads | median wall | best wall | median CPU | median minor faults | speed-up (medians) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, fn in calls.items():
        one = None
        for threads in (1, 2):
            fn(threads)
            rows = timed(lambda: fn(threads), args.calls)
            wall = statistics.median(r[0] for r in rows)
            one = one or wall
            print(f"| {name} | {threads} | {wall:.3f} s | {min(r[0] for r in rows):.3f} s | "
                  f"{statistics.median(r[1] for r in rows):.3f} s | {statistics.median(r[2] for r in rows):,.0f} | "
                  f"{one / wall:.2f}x |")


if __name__ == "__main__":
    main()
