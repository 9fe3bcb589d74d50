"""The floor of default-dtype pandas in `cover_batch` (issue #26 item 0): what CPython itself
takes to read 1M `Decimal` objects and to make 1M new ones, the least a call with `object`
columns of `Decimal` in and out must do, set beside the whole call on Arrow-backed columns. A
script, not a test; not in CI. After a release build of the module:

    .venv/bin/python benches/python/decimal_floor.py [--rows 1000000] [--repeat 5]

Reading: `str` of each value (the cheapest exact read of a `Decimal` from outside it: the C
type has no public accessor for its digits), and `Decimal.as_tuple`. Making: from an `int`
times `Decimal("1E-2")` (what the module does), `Decimal(int).scaleb(-2)`, `Decimal(str)`. Each
the best of --repeat, in a list comprehension or `map` (no per-value Python function).
"""

import argparse
import time
from decimal import Decimal

import pandas as pd

import delcredere
from delcredere import sample


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ledger, buyers = sample.ledger(20000, args.rows, seed=42, max_days_late=60)
    as_of = sample.as_of()
    arrow_backed = ledger.to_pandas(types_mapper=pd.ArrowDtype)
    default = ledger.to_pandas()
    amounts = list(default["amount"])
    units = [int(a.scaleb(2)) for a in amounts]
    texts = [str(a) for a in amounts]
    e = Decimal("1E-2")
    n = args.rows
    call = best(lambda: delcredere.cover_batch(arrow_backed, sample.POLICY, buyers, as_of=as_of, threads=1), args.repeat)
    whole = best(lambda: delcredere.cover_batch(default, sample.POLICY, buyers, as_of=as_of, threads=1), args.repeat)
    rows = [
        ("cover_batch, Arrow-backed pandas (the path to match)", call),
        ("1.5x of it: the goal for default dtypes", 1.5 * call),
        ("cover_batch, default-dtype pandas (object Decimal and date in and out)", whole),
        ("read: str of each Decimal", best(lambda: list(map(str, amounts)), args.repeat)),
        ("read: Decimal.as_tuple of each", best(lambda: [a.as_tuple() for a in amounts], args.repeat)),
        ("make: int * Decimal('1E-2') each (the module's way)", best(lambda: [u * e for u in units], args.repeat)),
        ("make: Decimal(int).scaleb(-2) each", best(lambda: [Decimal(u).scaleb(-2) for u in units], args.repeat)),
        ("make: Decimal(str) each", best(lambda: list(map(Decimal, texts)), args.repeat)),
    ]
    print(f"{n:,} values, best of {args.repeat}")
    print("| what | time | per value |")
    print("|---|---:|---:|")
    for name, t in rows:
        print(f"| {name} | {t:.3f} s | {t / n * 1e9:.0f} ns |")


if __name__ == "__main__":
    main()
