"""Benchmark of the batch with a prepared engine (BAT-7, issue #23). A script, not a test.

    (cd bindings-python && maturin develop --release)   # a release build of the module
    .venv/bin/python benches/python/bench_batch_engine.py --rows 2000000 10000000 --buyers 20000

On each ledger of `delcredere.sample.ledger(buyers, rows, seed=42, max_days_late=60)` (pyarrow,
sorted by date, int64 buyer ids, decimal128 amounts, date32 dates) and the engine
`sample.engine(buyers)` holding the same buyers and limit events, whole calls of
`delcredere.cover_batch` (Arrow in, Arrow out, one thread):

  - policy + buyers: `cover_batch(ledger, POLICY, buyers, as_of, threads=1)`, every call
    reading the per-buyer table and preparing each buyer;
  - engine, first call for the date: `cover_batch(ledger, engine=engine, as_of=...)` on a fresh
    engine, which prepares each buyer once (BAT-7);
  - engine, prepared: the same call again, the engine's setup kept.

Each timed the best of --repeat calls (wall time, and the process's CPU time, user + system,
`time.process_time`, which a loaded machine inflates less), the three in turn (round robin) so that a change of the
machine's load falls on all alike; results checked equal. Also exposure_batch, the same way
(--exposure). The load average (`os.getloadavg`) is printed before and after.
"""

import argparse
import os
import time

import delcredere
from delcredere import sample


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000_000, 10_000_000])
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exposure", action="store_true", help="time exposure_batch too")
    args = parser.parse_args()
    as_of = sample.as_of()
    print(f"load average at the start: {load()}")
    for n in args.rows:
        ledger, buyers = sample.ledger(args.buyers, n, seed=42, max_days_late=60)
        t = time.perf_counter()
        engine = sample.engine(buyers)
        built = time.perf_counter() - t
        kw = dict(paid_on="paid_on", threads=1)
        functions = [("cover_batch", delcredere.cover_batch)]
        if args.exposure:
            functions.append(("exposure_batch", delcredere.exposure_batch))
        for name, fn in functions:
            labels = ("policy + buyers", "engine, first call for the date", "engine, prepared")
            best = {k: float("inf") for k in labels}
            cpu = {k: float("inf") for k in labels}

            def timed(label, call):
                t, c = time.perf_counter(), time.process_time()
                result = call()
                best[label] = min(best[label], time.perf_counter() - t)
                cpu[label] = min(cpu[label], time.process_time() - c)
                return result

            want = fn(ledger, sample.POLICY, buyers, as_of, **kw)
            for _ in range(args.repeat):
                out = timed(labels[0], lambda: fn(ledger, sample.POLICY, buyers, as_of, **kw))
                del out
                fresh = engine.__copy__()  # a copy keeps no prepared batch
                out = timed(labels[1], lambda: fn(ledger, engine=fresh, as_of=as_of, **kw))
                del out
                out = timed(labels[2], lambda: fn(ledger, engine=fresh, as_of=as_of, **kw))
                if name == "exposure_batch":
                    assert out.drop_columns(["buyer"]).equals(want.drop_columns(["buyer"]))
                else:
                    assert out.equals(want)
                del out
            print(f"\n{name}, {n:,} rows over {args.buyers:,} buyers, one thread, best of {args.repeat} "
                  f"(engine built from the buyers in {built:.2f} s):")
            print("| setup | time | rows/s | CPU time | rows per CPU second |")
            print("|---|---|---|---|---|")
            for k, v in best.items():
                print(f"| {k} | {v:.3f} s | {n / v / 1e6:.1f} M | {cpu[k]:.3f} s | {n / cpu[k] / 1e6:.1f} M |")
        del ledger
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
