"""Per-call cost of one cover check from Python, side by side in one run (issue #23): the
prepared engine's cover figures (delcredere.Engine.cover_figures), zen-engine's
ZenEngine.evaluate on the JDM decision of run.py, and the plain Python function of run.py.
A script, not a test; not in CI. After a release build of the Python module:

    .venv/bin/python benches/compare/engine_cover.py [--calls 20000] [--buyers 2000]

Each version runs on the same delivery rows of the sample ledger (buyer, amount, date,
terms), one call per row, timed per call with time.perf_counter_ns around the call alone
(the loop and the argument lookup are outside); the median and the quartiles are printed.
The engine runs twice: the buyer named by its key, then by its position (Engine.buyer_id).

What each gets: the engine holds the policy and every buyer with its limit events (the sample's
limit history as account events); it works out the limit in force, insurability and the
outstanding from its own history (no invoices here, so the outstanding is 0) and returns the
figures as a delcredere.CoverFigures (covered and uncovered as Decimals, made in the call; it
also reads as method cover_figures's dict). zen and the plain function get the per-buyer facts
precomputed by run.py's buyer_facts and the outstanding as an input (0 here too, so the three
answer the same question); zen's numbers are floats. Every version's timed call produces the
two figures: the plain function returns (covered, uncovered), zen its result dict, the engine
its answer holding them as Decimal objects (checked after timing, on every row). The figures
are checked equal between the three on every row, in cents.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (run.py's rule versions and data)
import zen  # noqa: E402

import delcredere  # noqa: E402
from delcredere import sample  # noqa: E402

LIMIT_TYPES = {"applied": "limitApplied", "granted": "limitGranted", "refused": "limitRefused",
               "reduced": "limitReduced", "withdrawn": "limitWithdrawn", "cancelled": "limitCancelled"}


def account_events(key, entry):
    out = []
    for i, e in enumerate(entry.get("limitEvents", [])):
        event = {k: v for k, v in e.items() if k != "type"}
        event["type"] = LIMIT_TYPES[e["type"]]
        event["id"] = f"{key}-l{i}"
        out.append(event)
    return out


def timed(fn, args_list):
    times = []
    out = []
    clock = time.perf_counter_ns
    for args in args_list:
        t0 = clock()
        r = fn(*args)
        times.append(clock() - t0)
        out.append(r)
    return out, times


def summary(times):
    q = statistics.quantiles(times, n=4)
    return f"median {statistics.median(times) / 1000:.2f} µs (quartiles {q[0] / 1000:.2f} / {q[2] / 1000:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--buyers", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", choices=["delivery", "fixed"], default="fixed",
                        help="the engine's question date: each delivery's own date (the cover is prepared "
                             "again for every new date of a buyer) or one date for all (the sample's "
                             "as-of day, as an ERP asks on the day: prepared once per buyer)")
    args = parser.parse_args()
    load = os.getloadavg()
    ledger, buyers = sample.ledger(args.buyers, args.calls, seed=args.seed, max_days_late=60)
    py = ledger.to_pydict()
    rows = list(zip(py["buyer"], py["amount"], py["date"], py["terms_days"]))

    # Buyers with self-assessment evidence answer from it; the engine would need it as an event:
    # left out here, so every version answers from the limits alone.
    for entry in buyers.values():
        entry.pop("selfAssessment", None)
    engine = delcredere.Engine.load({"policy": run.POLICY, "buyers": [
        {"id": str(key), "buyer": entry["buyer"], "events": account_events(key, entry)} for key, entry in buyers.items()]})
    facts = run.buyer_facts(buyers)
    zfacts = run.zen_facts(facts)
    zen_engine = zen.ZenEngine({"loader": {"type": "static", "content": {run.ZEN_KEY: run.jdm()}}})
    as_of = sample.as_of()
    zero = Decimal("0.00")

    engine_args = [(str(b), {"amount": {"amount": a, "currency": "EUR"}, "date": d, "paymentTermsDays": t},
                    d if args.as_of == "delivery" else as_of) for b, a, d, t in rows]
    zen_args = [(run.ZEN_KEY, {"amount": float(a), "outstanding": 0.0, "day": (d - run.EPOCH).days, "terms": t,
                               **{k: v for k, v in zfacts[b].items()}}) for b, a, d, t in rows]
    py_args = [(a, zero, (d - run.EPOCH).days, t, facts[b]) for b, a, d, t in rows]

    # The same calls naming the buyer by its position (Engine.buyer_id), as a loop that has
    # looked the keys up once does.
    ids = {key: engine.buyer_id(key) for key in {a[0] for a in engine_args}}
    engine_id_args = [(ids[b], d, when) for b, d, when in engine_args]

    e_out, e_times = timed(engine.cover_figures, engine_args)
    ei_out, ei_times = timed(engine.cover_figures, engine_id_args)
    assert ei_out == e_out, "by position and by key answer the same"
    z_out, z_times = timed(zen_engine.evaluate, zen_args)
    p_out, p_times = timed(run.cover_py, py_args)

    # What each timed call produced: the two figures, the engine's as Decimal objects it holds
    # (the CoverFigures built them in the call: its attributes are plain slots).
    for e in e_out + ei_out:
        assert type(e) is delcredere.CoverFigures and type(e.covered) is Decimal and type(e.uncovered) is Decimal
    assert all(isinstance(p, tuple) and len(p) == 2 and type(p[0]) is Decimal for p in p_out)
    assert all({"covered", "uncovered"} <= z["result"].keys() for z in z_out)
    cents = lambda x: int(Decimal(repr(x) if isinstance(x, float) else x).scaleb(2))  # noqa: E731
    mismatches = 0
    for e, z, p in zip(e_out, z_out, p_out):
        ec = (cents(e.covered), cents(e.uncovered))
        zc = (cents(z["result"]["covered"]), cents(z["result"]["uncovered"]))
        pc = (cents(p[0]), cents(p[1]))
        mismatches += not (ec == zc == pc)
    print(f"{len(rows):,} calls over {args.buyers:,} buyers (seed {args.seed}); engine asked as of "
          f"{'each delivery date' if args.as_of == 'delivery' else as_of}; "
          f"figures equal on {len(rows) - mismatches:,} of {len(rows):,} rows")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    print(f"delcredere Engine.cover_figures: {summary(e_times)}")
    print(f"  the same, buyer by position:   {summary(ei_times)}")
    print(f"zen-engine ZenEngine.evaluate:   {summary(z_times)}")
    print(f"plain Python cover_py:           {summary(p_times)}")


if __name__ == "__main__":
    main()
