"""Peer comparison of the delivery cover rule (issue #12). A script, not a test; not in CI.

One command (from the repository root, after a release build of the Python module):

    .venv/bin/python benches/compare/run.py            # writes benches/RESULTS.md

The rule, kept the same in all five versions, per ledger row (buyer, outstanding before,
delivery amount, delivery date, payment terms):

    no cover when the buyer is not insurable (country outside the policy) or the terms are
    longer than the policy's maxCreditPeriodDays;
    cap = the buyer's named limit in force on the date (the granted amount from the date of
          the credit decision, the `granted` event, on: LIM-1; the reduced amount from the
          reduction's effective date = event date + 30 days, LIM-3),
          else (also before the credit decision) its self-assessment cap (the discretionary
          limit when its evidence holds on the delivery date, DIS-1: the sample's two purchases
          count from the second one's payment until the 12-month window before the delivery
          no longer holds the first; else 0);
    covered = clamp(cap - outstanding, 0, amount);  uncovered = amount - covered.

Versions:
  (a) delcredere.check_delivery_cover per row (the engine's op; per-row dict arguments);
  (b) delcredere.cover_batch over the whole ledger (Arrow in / out). It does more than the
      others: it derives every row's outstanding from the ledger itself (BAT-1) and the
      per-buyer limit state and self-assessment from the raw events and evidence;
  (c) zen-engine: a JDM decision (decision table -> cap, expression node -> covered /
      uncovered) evaluated per row;
  (d) a plain Python function over Decimal values;
  (e) pandas/numpy vectorised over int64 cents.
(c), (d), (e) get the per-buyer facts (insurable flag, limit amounts and switch dates,
self-assessment cap) as a table derived in plain Python from the buyer table and the
policy (the limit's first day is the grant's date), and each row's outstanding as an input column computed beforehand with a heap pass
(BAT-1); neither is timed. (a) gets the outstanding too, and the raw buyer entries.

First every version is checked equal to the others, in cents, on the rows it ran on; then
timed. (a) and (c) run on the first --call-rows / --zen-rows rows, their rate extrapolated.
"""

import argparse
import heapq
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
import timeit
from datetime import date, timedelta
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import zen

import delcredere
from delcredere import _delcredere, sample

ROOT = Path(__file__).resolve().parents[2]
KEPT_MARKER = "<!-- Below: not written by benches/compare/run.py, kept as it is by a new run. -->"
POLICY = sample.POLICY
MAX_TERMS = POLICY["maxCreditPeriodDays"]
REDUCTION_DELAY_DAYS = 30  # LIM-3 default withdrawalDelayDays; the sample policy sets none
EPOCH = date(1970, 1, 1)
NEVER = 10**6  # a day number after any ledger date
ZERO = Decimal("0.00")
ZEN_KEY = "cover.json"


def day_number(iso: str) -> int:
    return (date.fromisoformat(iso) - EPOCH).days


# --- inputs shared by (c), (d), (e) ---------------------------------------------------------

def self_assessed_days(evidence):
    """The delivery days [from, until) on which the sample's self-assessment evidence gives the
    discretionary limit (DIS-1 (a), judged on the delivery date): the sample's evidence is
    `selfAssessmentMinPurchases` (2) purchases paid on time; they count from the last one's
    payment on (a purchase counts once paid, on or before the delivery) up to the day the
    window of `selfAssessmentWindowMonths` (12) months before the delivery no longer holds the
    earliest purchase's delivery date. Other evidence stops the script rather than being read
    wrongly."""
    if not evidence:
        return NEVER, NEVER
    purchases = evidence.get("purchases", [])
    needed = POLICY.get("selfAssessmentMinPurchases", 2)
    if set(evidence) != {"purchases"} or len(purchases) != needed or POLICY.get("selfAssessmentWindowMonths", 12) != 12:
        raise SystemExit(f"run.py reads only {needed} purchases under a 12-month window as evidence, not {evidence!r}")
    ext = POLICY["maxExtensionPeriodDays"]
    for p in purchases:
        if day_number(p["paidOn"]) > day_number(p["dueDate"]) + ext:
            raise SystemExit(f"run.py reads only purchases paid on time, not {p!r}")
    first = min(date.fromisoformat(p["deliveryDate"]) for p in purchases)
    if (first.month, first.day) == (2, 29):
        raise SystemExit("run.py does not read a purchase delivered on 29 February")
    return max(day_number(p["paidOn"]) for p in purchases), (first.replace(year=first.year + 1) - EPOCH).days + 1


def buyer_facts(buyers):
    """Per buyer, from the raw table and the policy (no engine call): insurable, first day of the named limit
    (the grant's date, LIM-1), limit before / after the reduction, the reduction's effective day (LIM-3),
    self-assessment cap (also the cap before the grant) and the delivery days it holds on (DIS-1)."""
    agreed = set(POLICY["agreedCountries"])
    discretionary = Decimal(POLICY["discretionaryLimit"]["amount"])
    facts = {}
    for b, entry in buyers.items():
        events = entry.get("limitEvents", [])
        limit_from_day = switch_day = NEVER
        before = after = ZERO
        for e in events:
            if e["type"] == "granted":
                # LIM-1: the limit covers deliveries from its credit decision on (core/src/limit.rs,
                # LimitHistory::amount_for_delivery); before it the buyer has its self-assessment
                # cap, as if it had no limit.
                limit_from_day = day_number(e["date"])
                before = after = Decimal(e["amount"]["amount"])
            elif e["type"] == "reduced":
                switch_day = day_number(e["date"]) + e.get("delayDays", REDUCTION_DELAY_DAYS)
                after = Decimal(e["amount"]["amount"])
        self_from, self_until = self_assessed_days(entry.get("selfAssessment"))
        facts[b] = {
            "insurable": entry["buyer"]["country"] in agreed,
            "limitFromDay": limit_from_day,
            "limitBefore": before,
            "switchDay": switch_day,
            "limitAfter": after,
            "selfCap": discretionary if entry.get("selfAssessment") else ZERO,
            "selfFromDay": self_from,
            "selfUntilDay": self_until,
        }
    return facts


def outstanding_before(ledger: pa.Table):
    """BAT-1 with a heap per buyer, in ledger order (the sample ledger is sorted by date):
    Decimal outstanding before every row."""
    rows = ledger.to_pydict()
    heaps, owed, out = {}, {}, []
    for b, amount, d, terms, paid in zip(rows["buyer"], rows["amount"], rows["date"], rows["terms_days"], rows["paid_on"]):
        heap = heaps.setdefault(b, [])
        while heap and heap[0][0] <= d:
            owed[b] -= heapq.heappop(heap)[1]
        before = owed.get(b, ZERO)
        out.append(before)
        due = paid if paid is not None else d + timedelta(days=terms)
        if due > d:
            heapq.heappush(heap, (due, amount))
            owed[b] = before + amount
    return out


# --- (d) plain Python -----------------------------------------------------------------------

def cover_py(amount, outstanding, day, terms, f):
    if not f["insurable"] or terms > MAX_TERMS:
        return ZERO, amount
    if day >= f["switchDay"]:
        cap = f["limitAfter"]
    elif day >= f["limitFromDay"]:
        cap = f["limitBefore"]
    elif f["selfFromDay"] <= day < f["selfUntilDay"]:
        cap = f["selfCap"]
    else:
        cap = ZERO
    covered = min(max(cap - outstanding, ZERO), amount)
    return covered, amount - covered


def run_python(cols, facts):
    return [cover_py(a, o, d, t, facts[b])
            for b, a, o, d, t in zip(cols["buyer"], cols["amount"], cols["outstanding"], cols["day"], cols["terms"])]


# --- (a) delcredere per call ----------------------------------------------------------------

def run_per_call(cols, buyers, as_of, n):
    out = []
    for b, a, o, d, t in zip(cols["buyer"][:n], cols["amount"][:n], cols["outstanding"][:n], cols["date"][:n], cols["terms"][:n]):
        entry = buyers[b]
        decision = delcredere.check_delivery_cover(
            POLICY, entry["buyer"], {"amount": o, "currency": "EUR"},
            {"amount": {"amount": a, "currency": "EUR"}, "date": d, "paymentTermsDays": t},
            as_of, entry.get("limitEvents", ()), entry.get("selfAssessment"))
        amounts = decision.amounts
        out.append((amounts["coveredAmount"]["amount"], amounts["uncoveredAmount"]["amount"]))
    return out


# --- (c) zen-engine -------------------------------------------------------------------------

def jdm() -> dict:
    """input -> decision table (first hit: which cap applies) -> expressions -> output."""
    def node(id_, type_, x, content=None):
        n = {"id": id_, "type": type_, "name": id_, "position": {"x": x, "y": 0}}
        if content is not None:
            n["content"] = content
        return n

    # Input columns without `field`: their cells are whole expressions over the context.
    inputs = [{"id": "i_ins", "name": "Insurable"}, {"id": "i_terms", "name": "Terms"},
              {"id": "i_date", "name": "Limit in force"}]
    outputs = [{"id": "o_cap", "name": "Cap", "field": "cap"},
               {"id": "o_type", "name": "Cover type", "field": "coverType"}]
    rules = [
        {"_id": "not_insurable", "i_ins": "insurable == false", "i_terms": "", "i_date": "",
         "o_cap": "0", "o_type": '"none"'},
        {"_id": "terms_too_long", "i_ins": "", "i_terms": f"terms > {MAX_TERMS}", "i_date": "",
         "o_cap": "0", "o_type": '"none"'},
        {"_id": "reduced_limit", "i_ins": "", "i_terms": "", "i_date": "day >= switchDay",
         "o_cap": "limitAfter", "o_type": '"namedLimit"'},
        {"_id": "granted_limit", "i_ins": "", "i_terms": "", "i_date": "day >= limitFromDay",
         "o_cap": "limitBefore", "o_type": '"namedLimit"'},
        {"_id": "self_assessed", "i_ins": "", "i_terms": "", "i_date": "day >= selfFromDay and day < selfUntilDay",
         "o_cap": "selfCap", "o_type": '"selfAssessed"'},
        {"_id": "no_cover", "i_ins": "", "i_terms": "", "i_date": "",
         "o_cap": "0", "o_type": '"none"'},
    ]
    table = {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rules,
             "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single"}
    expressions = {"expressions": [
        {"id": "x_cov", "key": "covered", "value": "max([0, min([cap - outstanding, amount])])"},
        {"id": "x_unc", "key": "uncovered", "value": "amount - $.covered"},
    ], "passThrough": False, "inputField": None, "outputPath": None, "executionMode": "single"}
    doc = {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [node("request", "inputNode", 0), node("cap", "decisionTableNode", 300, table),
                  node("cover", "expressionNode", 600, expressions), node("response", "outputNode", 900)],
        "edges": [{"id": "e1", "type": "edge", "sourceId": "request", "targetId": "cap"},
                  {"id": "e2", "type": "edge", "sourceId": "cap", "targetId": "cover"},
                  {"id": "e3", "type": "edge", "sourceId": "cover", "targetId": "response"}],
    }
    return doc


def zen_facts(facts):
    """The per-buyer facts as zen gets them: numbers as Python floats (zen's binding takes
    JSON-like values; it computes in decimals inside and hands floats back)."""
    return {b: {k: (float(v) if isinstance(v, Decimal) else v) for k, v in f.items()} for b, f in facts.items()}


def zen_contexts(cols, zfacts, n):
    for b, a, o, d, t in zip(cols["buyer"][:n], cols["amount_f"][:n], cols["outstanding_f"][:n], cols["day"][:n], cols["terms"][:n]):
        f = zfacts[b]
        yield {"amount": a, "outstanding": o, "day": d, "terms": t, "insurable": f["insurable"],
               "limitFromDay": f["limitFromDay"], "limitBefore": f["limitBefore"], "switchDay": f["switchDay"],
               "limitAfter": f["limitAfter"], "selfCap": f["selfCap"], "selfFromDay": f["selfFromDay"],
               "selfUntilDay": f["selfUntilDay"]}


def run_zen(engine, cols, zfacts, n):
    """(c): ZenEngine.evaluate(key, context) per row, the decision loaded once by a static
    loader. (ZenDecision.evaluate, from create_decision, is much slower per call in 2.1.3:
    see the per-call rows.)"""
    out = []
    for ctx in zen_contexts(cols, zfacts, n):
        r = engine.evaluate(ZEN_KEY, ctx)["result"]
        out.append((r["covered"], r["uncovered"]))
    return out


def run_zen_decision(decision, cols, zfacts, n):
    return [(r["covered"], r["uncovered"]) for r in
            (decision.evaluate(ctx)["result"] for ctx in zen_contexts(cols, zfacts, n))]


def run_zen_batch(engine, cols, zfacts, n):
    """(c'): the same rows through ZenEngine.evaluate_batch."""
    out = []
    for r in engine.evaluate_batch([{"key": ZEN_KEY, "context": ctx} for ctx in zen_contexts(cols, zfacts, n)]):
        if not r.get("success"):
            raise RuntimeError(f"zen evaluate_batch: {r.get('error')}")
        res = r["data"]["result"]
        out.append((res["covered"], res["uncovered"]))
    return out


# --- (e) pandas -----------------------------------------------------------------------------

def facts_frame(facts):
    df = pd.DataFrame.from_dict(facts, orient="index")
    for k in ("limitBefore", "limitAfter", "selfCap"):
        df[k] = (df[k].map(lambda v: int(v * 100))).astype(np.int64)
    return df.astype({"insurable": bool, "limitFromDay": np.int64, "switchDay": np.int64,
                      "selfFromDay": np.int64, "selfUntilDay": np.int64})


def run_pandas(df: pd.DataFrame, fdf: pd.DataFrame) -> pd.DataFrame:
    f = fdf.reindex(df["buyer"].to_numpy())
    day = df["day"].to_numpy()
    cap = np.where(day >= f["switchDay"].to_numpy(), f["limitAfter"].to_numpy(),
                   np.where(day >= f["limitFromDay"].to_numpy(), f["limitBefore"].to_numpy(),
                            np.where((day >= f["selfFromDay"].to_numpy()) & (day < f["selfUntilDay"].to_numpy()),
                                     f["selfCap"].to_numpy(), 0)))
    ok = f["insurable"].to_numpy() & (df["terms"].to_numpy() <= MAX_TERMS)
    cents = df["cents"].to_numpy()
    covered = np.where(ok, np.minimum(np.maximum(cap - df["outstanding"].to_numpy(), 0), cents), 0)
    return pd.DataFrame({"covered": covered, "uncovered": cents - covered})


# --- helpers --------------------------------------------------------------------------------

def units(column) -> np.ndarray:
    """The unscaled int64 of a decimal128 column at scale 2 (values fit in int64)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    assert array.type.scale == 2 and array.offset == 0 and array.null_count == 0
    return np.frombuffer(array.buffers()[1], dtype=np.int64)[::2].copy()


def cents_of(pairs):
    """(covered, uncovered) Decimals -> two int64 arrays of cents; raises if not whole cents."""
    cov = np.array([int(c.scaleb(2).to_integral_exact()) for c, _ in pairs], dtype=np.int64)
    unc = np.array([int(u.scaleb(2).to_integral_exact()) for _, u in pairs], dtype=np.int64)
    return cov, unc


def best_of(fn, repeat):
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "not found"


def ratio(x: float) -> str:
    if x < 1:
        return f"{x:.2g}"
    return f"{x:.2f}" if x < 10 else f"{x:,.0f}"


def to_us(value: str, unit: str) -> float:
    return float(value) * {"ps": 1e-6, "ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}[unit]


def cargo_bench(log):
    """Criterion's median time of check_delivery_cover/json_end_to_end, in µs, or a note."""
    cmd = ["cargo", "bench", "-p", "delcredere", "--bench", "cover", "--", "json_end_to_end",
           "--warm-up-time", "1", "--measurement-time", "3"]
    log(f"running: {' '.join(cmd)} (builds the bench in release first)")
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    m = re.search(r"json_end_to_end\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", p.stdout)
    if p.returncode != 0 or not m:
        return None, f"cargo bench failed (exit {p.returncode}): {p.stderr.strip().splitlines()[-1:]}"
    return to_us(m.group(1), m.group(2)), " ".join(cmd)


def criterion_medians(log, bench, *filters):
    """Criterion's median time of every function of `bench` whose name matches `filters`, in µs,
    by name; and the command (or a note of the failure)."""
    cmd = ["cargo", "bench", "-p", "delcredere", "--bench", bench, "--", *filters,
           "--warm-up-time", "1", "--measurement-time", "3"]
    log(f"running: {' '.join(cmd)} (builds the bench in release first)")
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    found = {m.group(1): to_us(m.group(2), m.group(3))
             for m in re.finditer(r"^(\S+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", p.stdout, re.M)}
    if p.returncode != 0 or not found:
        return {}, f"cargo bench failed (exit {p.returncode}): {p.stderr.strip().splitlines()[-1:]}"
    return found, " ".join(cmd)


def node_engine(log, n, buyers):
    """benches/wasm/engine_cover.mjs: ns per `Engine.coverFigures` check in the node build, or a note."""
    if not (ROOT / "bindings-wasm/pkg-node/delcredere_wasm.js").exists():
        return None, "skipped: bindings-wasm/pkg-node not built (sh bindings-wasm/build.sh)"
    cmd = ["node", "benches/wasm/engine_cover.mjs", str(n), str(buyers)]
    log(f"running: {' '.join(cmd)}")
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    m = re.search(r"Engine\.coverFigures \(WASM\): (\d+) ns per check", p.stdout)
    if p.returncode != 0 or not m:
        return None, f"node failed (exit {p.returncode}): {p.stderr.strip()[-200:]}"
    return float(m.group(1)) / 1000, " ".join(cmd)


def node_wasm(log, n):
    script = ROOT / "benches/wasm/cover.mjs"
    pkg = ROOT / "bindings-wasm/pkg-node/delcredere_wasm.js"
    if not script.exists():
        return None, "skipped: benches/wasm/cover.mjs missing"
    if not pkg.exists():
        return None, "skipped: bindings-wasm/pkg-node not built (sh bindings-wasm/build.sh)"
    cmd = ["node", str(script.relative_to(ROOT)), str(n)]
    log(f"running: {' '.join(cmd)}")
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    m = re.search(r"([\d.]+) µs per check", p.stdout)
    if p.returncode != 0 or not m:
        return None, f"node failed (exit {p.returncode}): {p.stderr.strip()[-200:]}"
    return float(m.group(1)), " ".join(cmd)


# --- main -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--buyers", type=int, default=2_000)
    parser.add_argument("--call-rows", type=int, default=20_000, help="rows for (a), per-call delcredere")
    parser.add_argument("--zen-rows", type=int, default=20_000, help="rows for (c), zen-engine")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for (b), (d), (e)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--node-iterations", type=int, default=20_000)
    parser.add_argument("--skip-cargo", action="store_true", help="no cargo bench row")
    parser.add_argument("--skip-wasm", action="store_true", help="no node/WASM row")
    parser.add_argument("--out", default=str(ROOT / "benches/RESULTS.md"))
    args = parser.parse_args()
    command = ".venv/bin/python benches/compare/run.py" + ("" if len(sys.argv) == 1 else " " + shlex.join(sys.argv[1:]))

    def log(msg):
        print(msg, flush=True)

    as_of = sample.as_of()
    n = args.rows
    load_before = os.getloadavg()
    t = time.perf_counter()
    ledger, buyers = sample.ledger(args.buyers, n, seed=args.seed, max_days_late=60)
    facts = buyer_facts(buyers)
    outstanding = outstanding_before(ledger)
    log(f"data: {n:,} rows, {args.buyers:,} buyers, seed {args.seed}; facts and outstanding in {time.perf_counter() - t:.1f} s")

    py = ledger.to_pydict()
    days = (ledger.column("date").combine_chunks().cast(pa.int32()).to_numpy()).astype(np.int64)
    cols = {"buyer": py["buyer"], "amount": py["amount"], "outstanding": outstanding, "date": py["date"],
            "day": days.tolist(), "terms": py["terms_days"]}
    cols["amount_f"] = [float(a) for a in cols["amount"]]
    cols["outstanding_f"] = [float(o) for o in outstanding]
    cents = units(ledger.column("amount"))
    out_cents = np.array([int(o.scaleb(2)) for o in outstanding], dtype=np.int64)
    df = pd.DataFrame({"buyer": ledger.column("buyer").to_numpy(), "cents": cents, "outstanding": out_cents,
                       "day": days, "terms": ledger.column("terms_days").to_numpy().astype(np.int64)})
    fdf = facts_frame(facts)
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {ZEN_KEY: jdm()}}})
    decision = zen.ZenEngine().create_decision(json.dumps(jdm()))
    zfacts = zen_facts(facts)
    call_n, zen_n = min(args.call_rows, n), min(args.zen_rows, n)

    # ---- correctness first ----
    batch_out = delcredere.cover_batch(ledger, POLICY, buyers, as_of, paid_on="paid_on")
    ref_cov, ref_unc = units(batch_out.column("covered")), units(batch_out.column("uncovered"))
    assert (units(batch_out.column("outstanding")) == out_cents).all(), "heap outstanding differs from BAT-1"
    checks = []

    def check(name, cov, unc, rows):
        bad = np.flatnonzero((cov != ref_cov[:rows]) | (unc != ref_unc[:rows]))
        if len(bad):
            i = int(bad[0])
            raise SystemExit(f"{name} differs from cover_batch on {len(bad)} of {rows} rows; first row {i}: "
                             f"{cov[i]}/{unc[i]} vs {ref_cov[i]}/{ref_unc[i]}")
        checks.append(f"{name}: equal to (b) on all {rows:,} rows it ran on")
        log(checks[-1])

    prepared = sample.engine(buyers)
    eng_out = delcredere.cover_batch(ledger, engine=prepared, as_of=as_of, paid_on="paid_on")
    check("(b″) cover_batch on a prepared engine", units(eng_out.column("covered")), units(eng_out.column("uncovered")), n)
    check("(a) per call", *cents_of(run_per_call(cols, buyers, as_of, call_n)), call_n)
    check("(d) plain Python", *cents_of(run_python(cols, facts)), n)
    p = run_pandas(df, fdf)
    check("(e) pandas", p["covered"].to_numpy(), p["uncovered"].to_numpy(), n)
    zen_raw = run_zen(engine, cols, zfacts, zen_n)
    zen_batch_raw = run_zen_batch(engine, cols, zfacts, zen_n)
    assert zen_batch_raw == zen_raw, "zen evaluate_batch differs from evaluate"
    zen_dec_raw = run_zen_decision(decision, cols, zfacts, min(zen_n, 500))
    assert zen_dec_raw == zen_raw[:len(zen_dec_raw)], "zen decision.evaluate differs from engine.evaluate"
    # zen hands back floats: take each float's shortest repr as the decimal it stands for.
    zen_dec = [(Decimal(repr(float(c))), Decimal(repr(float(u)))) for c, u in zen_raw]
    not_cents = sum(1 for c, u in zen_dec if c != c.quantize(Decimal("0.01")) or u != u.quantize(Decimal("0.01")))
    if not_cents:
        raise SystemExit(f"(c) zen: {not_cents} results are not whole cents")
    check("(c) zen-engine (engine.evaluate, evaluate_batch and decision.evaluate agree)", *cents_of(zen_dec), zen_n)
    float_types = {type(c).__name__ for c, _ in zen_raw[:100]}
    float_roundtrip = sum(1 for (c, u), (dc, du) in zip(zen_raw, zen_dec) if float(dc) != c or float(du) != u)
    zen_note = (f"zen returns {'/'.join(sorted(float_types))} (inputs passed as float); every result's shortest repr is "
                f"the exact decimal in whole cents ({float_roundtrip} round-trip misses on {zen_n:,} rows)")
    checks.append(zen_note)
    log(zen_note)

    # ---- timings ----
    results = []  # (name, rows, seconds, note)
    setup = {"policy": POLICY, "buyers": list(buyers.values()), "asOf": as_of}
    ids = list(buyers)
    arrow = ledger.select(["buyer", "amount", "date", "terms_days", "paid_on"])
    # One thread (`threads=1`), as every peer here runs on one: the default is the cores
    # available (benches/RESULTS.md, "Threads").
    s, _ = best_of(lambda: delcredere.cover_batch(ledger, POLICY, buyers, as_of, paid_on="paid_on", threads=1),
                   args.repeat)
    results.append(("(b) delcredere `cover_batch` (Arrow in/out), one thread", n, s,
                    "derives outstanding (BAT-1) and limit state itself"))
    s, _ = best_of(lambda: _delcredere.cover_batch(arrow, setup, ids, "raise", 1), args.repeat)
    results.append(("(b′) same, native call only (`_delcredere.cover_batch`)", n, s, "without the Python wrapper's checks and conversions"))
    s, _ = best_of(lambda: delcredere.cover_batch(ledger, engine=prepared, as_of=as_of, paid_on="paid_on", threads=1),
                   args.repeat)
    results.append(("(b″) same on a prepared `delcredere.Engine` (`cover_batch(ledger, engine=…)`, BAT-7)", n, s,
                    "policy and buyers' limit histories prepared once, before the timed calls"))
    s, _ = best_of(lambda: run_pandas(df, fdf), args.repeat)
    results.append(("(e) pandas/numpy vectorised, int64 cents", n, s, "outstanding and buyer facts given"))
    s, _ = best_of(lambda: run_python(cols, facts), args.repeat)
    results.append(("(d) plain Python function, Decimal", n, s, "outstanding and buyer facts given"))
    s, _ = best_of(lambda: run_zen(engine, cols, zfacts, zen_n), 1)
    results.append(("(c) zen-engine JDM, `engine.evaluate(key, row)` per row", zen_n, s, "table + expression node; floats in/out"))
    s, _ = best_of(lambda: run_zen_batch(engine, cols, zfacts, zen_n), 1)
    results.append(("(c′) zen-engine JDM, `engine.evaluate_batch` over the rows", zen_n, s, "same decision; one call, a list of row dicts"))
    s, _ = best_of(lambda: run_per_call(cols, buyers, as_of, call_n), 1)
    results.append(("(a) delcredere `check_delivery_cover` per row", call_n, s, "full op per row: raw events, evidence, Decision object"))
    log("timed (a)-(e)")

    # ---- per-call overhead ----
    b0 = next(b for b in buyers if "limitEvents" in buyers[b])
    e0 = buyers[b0]
    k = 5_000
    one = lambda: delcredere.check_delivery_cover(  # noqa: E731
        POLICY, e0["buyer"], {"amount": Decimal("1000.00"), "currency": "EUR"},
        {"amount": {"amount": Decimal("100.00"), "currency": "EUR"}, "date": date(2026, 3, 1), "paymentTermsDays": 30},
        as_of, e0["limitEvents"], None)
    per_call = min(timeit.repeat(one, number=k, repeat=3)) / k
    raw = lambda: _delcredere.check_delivery_cover(  # noqa: E731
        POLICY, e0["buyer"], {"amount": Decimal("1000.00"), "currency": "EUR"},
        {"amount": {"amount": Decimal("100.00"), "currency": "EUR"}, "date": date(2026, 3, 1), "paymentTermsDays": 30},
        as_of, e0["limitEvents"], None)
    raw_call = min(timeit.repeat(raw, number=k, repeat=3)) / k
    tiny = min(timeit.repeat(lambda: _delcredere.explain({"outcome": "insurable", "reasons": []}, "en"),
                             number=20_000, repeat=3)) / 20_000
    z = zfacts[b0]
    zctx = {"amount": 100.0, "outstanding": 1000.0, "day": 20513, "terms": 30, **z}
    zen_one = min(timeit.repeat(lambda: engine.evaluate(ZEN_KEY, zctx), number=k, repeat=3)) / k
    zen_dec_one = min(timeit.repeat(lambda: decision.evaluate(zctx), number=200, repeat=3)) / 200
    d0 = {"amount": {"amount": Decimal("100.00"), "currency": "EUR"}, "date": date(2026, 3, 1), "paymentTermsDays": 30}
    k0 = str(b0)
    engine_one = min(timeit.repeat(lambda: prepared.cover_figures(k0, d0, as_of), number=50_000, repeat=3)) / 50_000
    i0 = prepared.buyer_id(k0)
    engine_pos = min(timeit.repeat(lambda: prepared.cover_figures(i0, d0, as_of), number=50_000, repeat=3)) / 50_000
    # The plain function's arguments made once, as the engine's are (d0): neither timed call
    # makes its Decimals.
    a0, o0, f0 = Decimal("100.00"), Decimal("1000.00"), facts[b0]
    pyfn = min(timeit.repeat(lambda: cover_py(a0, o0, 20513, 30, f0), number=50_000, repeat=3)) / 50_000
    overhead = [
        ("one `delcredere.check_delivery_cover` call (Python, with `Decision`)", per_call),
        ("one `_delcredere.check_delivery_cover` call (native module, dict out)", raw_call),
        ("one `_delcredere.explain` call (smallest op: Python↔native floor)", tiny),
        ("one zen `engine.evaluate(key, ctx)` of the cover JDM (static loader)", zen_one),
        ("one zen `decision.evaluate(ctx)` of the same JDM (`create_decision`)", zen_dec_one),
        ("one plain Python `cover_py` call", pyfn),
        ("one `Engine.cover_figures(key, delivery, as_of)` call on the prepared engine (a `CoverFigures` of Decimals out)", engine_one),
        ("one `Engine.cover_figures(position, delivery, as_of)` call, the buyer by `Engine.buyer_id`", engine_pos),
    ]
    log("timed per-call overhead")

    # ---- WASM vs native ----
    native = wasm = None
    native_note = wasm_note = "skipped (--skip-cargo)" if args.skip_cargo else ""
    if not args.skip_cargo:
        native, native_note = cargo_bench(log)
    if args.skip_wasm:
        wasm_note = "skipped (--skip-wasm)"
    else:
        wasm, wasm_note = node_wasm(log, args.node_iterations)
    engine_rust, engine_rust_note = ({}, "skipped (--skip-cargo)") if args.skip_cargo else criterion_medians(log, "engine")
    engine_wasm, engine_wasm_note = (None, "skipped (--skip-wasm)") if args.skip_wasm else node_engine(log, args.node_iterations, 1000)
    load_after = os.getloadavg()

    # ---- report ----
    batch_rate = n / results[0][2]
    py_rate = next(rows / secs for name, rows, secs, _ in results if name.startswith("(d)"))
    lines = []
    w = lines.append
    w("# Peer comparison: the delivery cover rule (issue #12)")
    w("")
    w("Generated by `benches/compare/run.py` (see `benches/compare/README.md`). Command, from the repository root:")
    w("")
    w("```sh")
    w(f"{command}")
    w("```")
    w("")
    w(f"Machine: {os.cpu_count()} cores, {cpu_model()}, {platform.system()} {platform.release()}; "
      f"load average {load_before[0]:.2f} before / {load_after[0]:.2f} after the run (the machine is shared with other "
      "jobs: the figures are indicative, not a clean-room measurement).")
    w("")
    vers = {name: metadata.version(name) for name in ("delcredere", "zen-engine", "pandas", "numpy", "pyarrow")}
    w("Versions: Python " + platform.python_version() + ", " + ", ".join(f"{k} {v}" for k, v in vers.items())
      + f"; {tool_version(['rustc', '--version'])}; node {tool_version(['node', '--version'])}. "
      "delcredere built with `maturin develop --release`.")
    w("")
    w(f"Data: `delcredere.sample.ledger({args.buyers}, {n}, seed={args.seed}, max_days_late=60)` — {n:,} invoices over {args.buyers:,} buyers, "
      "sorted by date; one row in six has terms over the policy maximum, one buyer in eight is in a non-agreed country, "
      "about 25% of buyers are self-assessed, 15% have a limit reduced in July. Best of "
      f"{args.repeat} runs for (b), (d), (e); one run for (a) and (c), on the first {call_n:,} / {zen_n:,} rows, rate extrapolated.")
    w("")
    w("## Throughput")
    w("")
    w("| version | rows timed | time | rows/s | (b) is N× as fast | N× as fast as (d) | note |")
    w("|---|---:|---:|---:|---:|---:|---|")

    def row(name, rows, time_text, rate, note):
        w(f"| {name} | {rows} | {time_text} | {rate:,.0f} | {ratio(batch_rate / rate)} | {ratio(rate / py_rate)} | {note} |")

    for name, rows, secs, note in results:
        row(name, f"{rows:,}", f"{secs:.3f} s", rows / secs, note)
    for label, us in overhead:
        row(f"per call: {label}", "—", f"{us * 1e6:.2f} µs", 1 / us, "one call in a `timeit` loop")
    if native is not None:
        row("native Rust: `call_json(\"check_delivery_cover\")`, JSON text in/out (criterion `json_end_to_end`, median)",
            "—", f"{native:.2f} µs", 1e6 / native, f"`{native_note}`")
    else:
        w(f"| native Rust: criterion `json_end_to_end` | — | — | — | — | — | {native_note} |")
    if wasm is not None:
        extra = f"; WASM / native = {wasm / native:.2f}× the time" if native else ""
        row("WASM in node: `checkDeliveryCover`, same input (benches/wasm/cover.mjs)", "—", f"{wasm:.2f} µs",
            1e6 / wasm, f"`{wasm_note}`{extra}")
    else:
        w(f"| WASM in node: `checkDeliveryCover` | — | — | — | — | — | {wasm_note} |")
    w("")
    w("The native-Rust and WASM rows time one cover check on the fixed input `benches/wasm/cover-input.json` (a named limit, "
      "JSON text in and out): one check of the same op as (a), without Python, but on a smaller fixed input (fixed-premium "
      "policy, two limit events), not on the ledger's rows; \"rows/s\" there is 1 / time per check. The rows/s of "
      "(a) and (c) are extrapolated from the rows they ran on.")
    w("")
    w("## The prepared engine (issue #23)")
    w("")
    w("Criterion medians of `benches/engine.rs`, under mimalloc (its doc says what each times; the engine of 10,000 buyers and "
      "1M events of `benches/support/events.rs`; the same benches under the C library's allocator: "
      "`cargo bench -p delcredere --bench engine_system_alloc`, spec/engine.md \"Speed\"), "
      f"command: `{engine_rust_note}`; the WASM row: `{engine_wasm_note}`.")
    w("")
    w("| what | median | target (issue #23) | met |")
    w("|---|---:|---:|---|")
    targets = [
        ("engine/cover_figures", "prepared cover check, the figures (buyer by `BuyerId`)", 0.1),
        ("engine/cover_figures_by_key", "prepared cover check, the figures (buyer by key)", None),
        ("engine/cover_figures_json", "the same by method name, JSON text in and out", None),
        ("engine/check_cover", "explained `Decision`", 2.0),
        ("engine/apply_invoice", "`apply` of an invoice, amortized", 1.0),
        ("engine/apply_1m_events", "1M events applied one by one, buyers interleaved", 500_000.0),
        ("engine/apply_1m_events_buyer_by_buyer", "1M events applied one by one, buyer after buyer", None),
        ("engine/restore_bytes_1m_events", "restore of a binary snapshot (format 2) of 10,000 buyers and 1M events, "
         "on the machine's threads", 100_000.0),
        ("engine/restore_bytes_1m_events_1_thread", "the same restore on one thread", None),
        ("engine/snapshot_bytes_1m_events", "binary snapshot of the same engine", None),
        ("engine/restore_floor_clone_1m_events", "a clone of the same engine (the floor of a restore that builds its "
         "state as it is held)", None),
        ("engine/restore_1m_events", "restore of the JSON snapshot (format 1) of the same engine", None),
        ("engine/snapshot_1m_events", "JSON snapshot of the same engine", None),
        ("engine/load_1m_events", "`Engine::load` of the same setup (validated, read in)", None),
    ]

    def us_text(us):
        return f"{us / 1e6:.3f} s" if us >= 1e4 else f"{us * 1000:.0f} ns" if us < 1 else f"{us:.2f} µs"

    for key, label, target in targets:
        if key in engine_rust:
            got = engine_rust[key]
            w(f"| {label} (`{key}`) | {us_text(got)} | {'—' if target is None else '< ' + us_text(target)} | "
              f"{'—' if target is None else ('yes' if got < target else '**no**')} |")
    w(f"| Python: {overhead[-2][0]} | {us_text(overhead[-2][1] * 1e6)} | < 700 ns | "
      f"{'yes' if overhead[-2][1] < 0.7e-6 else '**no**'} |")
    w(f"| Python: {overhead[-1][0]} | {us_text(overhead[-1][1] * 1e6)} | < 700 ns | "
      f"{'yes' if overhead[-1][1] < 0.7e-6 else '**no**'} |")
    zen_ratio = zen_one / overhead[-2][1]
    w(f"| zen `engine.evaluate` / `Engine.cover_figures` (by key), same run | {zen_ratio:.1f}× | ≥ 15× | "
      f"{'yes' if zen_ratio >= 15 else '**no**'} |")
    if engine_wasm is not None and "engine/cover_figures_json" in engine_rust:
        wr = engine_wasm / engine_rust["engine/cover_figures_json"]
        w(f"| WASM in node: `Engine.coverFigures` (JS objects in and out) | {us_text(engine_wasm)} | ≤ 2× native JSON "
          f"(`cover_figures_json`): {wr:.1f}× | {'yes' if wr <= 2 else '**no**'} |")
    else:
        w(f"| WASM in node: `Engine.coverFigures` | — | — | {engine_wasm_note} |")
    eb = next((rows / secs for name, rows, secs, _ in results if name.startswith("(b″)")), None)
    if eb is not None:
        w(f"| `cover_batch` on a prepared engine, {n:,} rows over {args.buyers:,} buyers, one thread | {eb:,.0f} rows/s | "
          f"≥ 20,000,000 rows/s (2M rows over 20,000 buyers) | {'yes' if eb >= 20e6 else '**no**'} |")
    w("")
    w("## Equal results (checked before timing, in cents)")
    w("")
    for c in checks:
        w(f"- {c}")
    w("")
    w("(b) is the reference: it is the only version that derives everything (outstanding, limit state, self-assessment) "
      "from the raw ledger and buyer table. The others got the per-row outstanding and per-buyer facts precomputed "
      "(not timed), so the comparison favours them.")
    w("")
    w("## Notes")
    w("")
    w("- The rule's \"limit in force on the date\" follows the engine (LIM-1, since commit 44a16da): the limit events "
      "are replayed up to `asOf`, a granted limit covers deliveries from the date of its credit decision (the "
      "`granted` event) on, and a delivery dated before it gets the buyer's self-assessment cap as if it had no limit "
      "(0 for the sample's limit buyers, which have no evidence; the engine adds the reason "
      "`delivery_before_limit_decision`). Before that commit the engine applied a granted limit to every delivery "
      "date of the policy, and the peers copied it; this comparison found the difference on early-January rows.")
    w("- The self-assessment cap holds on a delivery date only when the evidence holds on that date (DIS-1, judged on the "
      "delivery date since issue #22): the sample's two paid purchases count from the second payment (2026-04-09) on, "
      "while the 12 months before the delivery still hold the first purchase; before that day a self-assessed buyer's "
      "deliveries are not covered. The peers (c), (d), (e) get that window as two per-buyer facts (`selfFromDay`, "
      "`selfUntilDay`); before this, they gave the cap on every date and differed from the engine on 10,032 of 2M rows.")
    w("- The per-call rows repeat one call with the same argument objects. `Engine.cover_figures` keeps the "
      "last `Decimal` amount and the last dates it read (by identity: they are immutable), so here it reads "
      "them once; `benches/compare/engine_cover.py` times one call per ledger row, each with its own objects, "
      "over 2,000 buyers, which is slower (spec/engine.md, \"Speed\", \"From Python\").")
    w("- zen-engine 2.1.3's `ZenDecision.evaluate` (from `create_decision`) costs far more per call than "
      "`ZenEngine.evaluate(key, …)` with a static loader, also for a graph with no nodes between input and output; "
      "(c) uses the faster path.")
    w("- Inputs to (c) are Python floats (the binding takes JSON-like values); zen computes in decimals and returns "
      "floats (or ints for whole numbers). With at most 15 significant digits (here at most 9) every returned float's shortest repr is the "
      "exact decimal, so no row differs; that would not hold for amounts with more digits than a double keeps.")
    # The sections from KEPT_MARKER on (criterion and callgrind figures) are written by hand
    # from other commands; a new run of this script keeps them as they are.
    out = Path(args.out)
    kept = out.read_text().partition(KEPT_MARKER) if out.exists() else ("", "", "")
    tail = kept[1] + kept[2] if kept[1] else ""
    out.write_text("\n".join(lines) + "\n" + ("\n" + tail if tail else ""))
    log(f"wrote {args.out}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
