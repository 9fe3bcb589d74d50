"""Cross-runtime agreement: seeded random inputs through Rust, Python and node must give
identical JSON (outputs, or error code, field and message; a float amount is worded for
Python's float in Python, so its message is compared in Rust and node only).

Besides the ops, seeded random engines (spec/engine.md): a setup made by the core's conversion
of a random `check_delivery_cover` or `limit_state` input (engine::route), loaded, then method
calls by name (the op's question, other questions on other dates, events applied, a buyer
added, a snapshot; some with a mistake): each runtime's answers to every call must be the same.

Run after the bindings are built: `.venv/bin/python tests/cross_runtime.py [N] [SEED]`.
Needs `cargo`, the Python package installed in the running interpreter, and
bindings-wasm/pkg-node (built by bindings-wasm/build.sh).
"""

import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import delcredere

REPO = Path(__file__).resolve().parent.parent
COUNTRIES = ["DE", "FR", "NL", "DK", "BE", "US", "XX", "de"]
CURRENCIES = ["EUR", "EUR", "EUR", "DKK", "USD", "EUX"]


def amount(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.05:
        return rng.choice(["-1", "1e3", "", "abc", "0"])
    return f"{rng.randint(0, 10**8) / 100:.2f}" if choice < 0.9 else str(rng.randint(1, 10**6))


def policy(rng: random.Random) -> dict:
    p = {
        "currency": "EUR",
        "insuranceYear": {"start": rng.choice(["2026-01-01", "2026-04-25", "2026-02-30"])},
        "agreedCountries": rng.sample(["DE", "FR", "NL", "DK", "BE"], rng.randint(1, 5)),
        "maxCreditPeriodDays": rng.choice([30, 60, 90, 120, 180, 0, 4000]),
        "maxExtensionPeriodDays": rng.choice([0, 30, 60]),
        "waitingPeriodDays": 180,
        "indemnityPercentage": rng.choice(["90", "85.5", "100", "0", "120"]),
        "maximumLiability": {"amount": rng.choice(["2000000", "1", "-5"]), "currency": rng.choice(CURRENCIES)},
        "premium": rng.choice([
            {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}},
            {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
        ]),
        "declarationDeadlineDays": 30,
    }
    if rng.random() < 0.3:
        p.update({"selfAssessmentAgreed": True, "discretionaryLimit": {"amount": "20000", "currency": "EUR"}})
    # --- cancel/collect terms (#21): LIM-4, COL-1 (absent, consistent or not) ---
    if rng.random() < 0.5:
        p["limitCancellationDay"] = rng.choice([20, 10, 31, 0])
    start = rng.choice([None, "atOnce", "afterReminderAndNotice", "afterReminderAndNotice"])
    if start:
        p["collectionStart"] = start
    if rng.random() < (0.8 if start == "afterReminderAndNotice" else 0.1):
        p["collectionWarningDays"] = rng.choice([10, 15, 0, 4000])
    # Cover for small buyers (DIS-1, DIS-7) and public buyers (PRM-4): the terms, valid or not.
    if rng.random() < 0.3:
        p["automaticCover"] = {"amount": rng.choice(["20000", "0"]), "currency": rng.choice(["EUR", "EUR", "CHF"])}
    if rng.random() < 0.2:
        p["selfAssessmentWindowMonths"] = rng.choice([6, 12, 0, 37])
    if rng.random() < 0.2:
        p["selfAssessmentMinPurchases"] = rng.choice([1, 3, 0])
    if rng.random() < 0.3:
        p["publicBuyersCovered"] = True
    # Premium and declaration terms (PRM-1, PRM-2, PRM-6): valid or not.
    if rng.random() < 0.3:
        p["declarationDeadlineEndOfMonth"] = rng.choice([1, 2, 13])
        if rng.random() < 0.7:
            del p["declarationDeadlineDays"]
    if p["premium"]["basis"] == "turnover" and rng.random() < 0.5:
        p["premium"]["minimumPremiumShare"] = rng.choice(["90", "100", "0"])
    # One of the four countries' sample policies as it stands (spec/policies/).
    if rng.random() < 0.2:
        return delcredere.sample.policy(rng.choice(["ch", "dk", "be", "fr"]))
    return p


def end_of_month_convention(rng: random.Random, into: dict) -> dict:
    """Sets the term `endOfMonthConvention` (#21) in `into` (a policy or an op input), or leaves
    it out, at random; returns `into`."""
    choice = rng.random()
    if choice < 0.6:
        into["endOfMonthConvention"] = "daysThenMonthEnd" if choice < 0.4 else "monthEndThenDays"
    return into


def buyer(rng: random.Random) -> dict:
    b = {"legalName": rng.choice(["Müller GmbH", "Jensen Træ ApS", "Ville de Lyon", " ", "12345678"]),
         "country": rng.choice(COUNTRIES),
         "entityKind": rng.choice(["company", "branch", "publicBody", "privateIndividual"])}
    for key, values in (("legalForm", ["GmbH", "ApS"]), ("registrationNumber", ["HRB 1", "CVR 12345678"]),
                        ("vatNumber", ["DE811234567"])):
        if rng.random() < 0.6:
            b[key] = rng.choice(values)
    if rng.random() < 0.2:
        b["insuredHoldsMajority"] = True
    return b


def date(rng: random.Random, year: int = 2026) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def limit_events(rng: random.Random) -> list:
    events = []
    if rng.random() < 0.7:
        events.append({"type": "applied", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"},
                       "paymentTermsDays": 60})
        if rng.random() < 0.8:
            events.append({"type": "granted", "date": "2026-02-05", "amount": {"amount": rng.choice(["50000", "30000"]), "currency": "EUR"}})
        elif rng.random() < 0.5:
            events.append({"type": "refused", "date": "2026-02-10", "allowsSelfAssessment": rng.random() < 0.3})
        if len(events) == 2 and events[1]["type"] == "granted":
            if rng.random() < 0.4:
                events.append(rng.choice([{"type": "withdrawn", "date": "2026-03-10"},
                                          {"type": "reduced", "date": "2026-03-10", "amount": {"amount": "20000", "currency": "EUR"}},
                                          {"type": "cancelled", "date": "2026-03-10"}]))
            elif rng.random() < 0.4:
                # LIM-6: an application for more, then an increase, a temporary raise or a refusal.
                events.append({"type": "applied", "date": "2026-03-01",
                               "requestedAmount": {"amount": rng.choice(["80000", "10000"]), "currency": "EUR"},
                               "paymentTermsDays": 60})
                events.append(rng.choice([
                    {"type": "granted", "date": "2026-03-05", "amount": {"amount": "70000", "currency": "EUR"}},
                    {"type": "granted", "date": "2026-03-05", "amount": {"amount": "80000", "currency": "EUR"},
                     "until": rng.choice(["2026-04-30", "2026-03-01"])},
                    {"type": "refused", "date": "2026-03-05"}]))
    return events


def case(rng: random.Random, op: str = "") -> dict:
    op = op or rng.choice(["validate_policy", "check_insurability", "check_delivery_cover", "peak_outstanding",
                           "average_outstanding", "limit_state", "explain", "collection_handover",
                           "declaration_status", "turnover_premium"])
    if op == "validate_policy":
        return {"op": op, "input": {"policy": policy(rng)}}
    if op == "check_insurability":
        receivable = {"kind": rng.choice(["goods", "services", "realEstateRent"]),
                      "paymentTermsDays": rng.choice([30, 60, 90, 150]),
                      "paymentSecurity": rng.choice(["openAccount", "prepayment"])}
        if rng.random() < 0.4:
            receivable["endOfMonth"] = True
            if rng.random() < 0.7:
                receivable["invoiceDate"] = date(rng)
        return {"op": op, "input": {"policy": end_of_month_convention(rng, policy(rng)), "buyer": buyer(rng),
                                    "receivable": receivable}}
    if op == "check_delivery_cover":
        return {"op": op, "input": {"policy": end_of_month_convention(rng, policy(rng)), "buyer": buyer(rng),
                                    "outstanding": {"amount": amount(rng), "currency": "EUR"},
                                    "delivery": {"amount": {"amount": amount(rng), "currency": rng.choice(CURRENCIES)},
                                                 "date": "2026-04-01", "paymentTermsDays": rng.choice([30, 60, 90]),
                                                 "endOfMonth": rng.random() < 0.3},
                                    "limitEvents": limit_events(rng), "asOf": "2026-03-20",
                                    "selfAssessment": {"purchases": [
                                        {"deliveryDate": "2026-01-05", "dueDate": "2026-02-04", "paidOn": "2026-02-10"},
                                        {"deliveryDate": "2026-02-05", "dueDate": "2026-03-07", "paidOn": "2026-03-07"}][: rng.randint(0, 2)]}}}
    if op == "peak_outstanding":
        dates = sorted(date(rng) for _ in range(rng.randint(1, 8)))
        return {"op": op, "input": end_of_month_convention(rng, {
            "deliveries": [{"amount": {"amount": amount(rng), "currency": "DKK"}, "deliveryDate": d,
                            "paymentTermsDays": rng.choice([30, 60, 90]),
                            "endOfMonth": rng.random() < 0.3} for d in dates]})}
    if op == "average_outstanding":
        key = rng.choice(["annualSales", "monthlySales"])
        return {"op": op, "input": {key: {"amount": amount(rng), "currency": "DKK"}, "paymentTermsDays": rng.randint(0, 120)}}
    if op == "limit_state":
        return {"op": op, "input": {"policy": policy(rng), "events": limit_events(rng), "asOf": rng.choice(["2026-03-20", "2026-06-01"])}}
    if op == "collection_handover":
        facts = {"reminderSentOn": "2026-05-01", "formalNoticeSentOn": "2026-05-10", "collectionWarningSentOn": "2026-05-12",
                 "reportedOn": rng.choice(["2026-05-02", "2026-06-30"])}
        given = {k: v for k, v in facts.items() if rng.random() < 0.7}
        return {"op": op, "input": {"policy": policy(rng), "asOf": rng.choice(["2026-05-22", "2026-05-28"]), **given}}
    if op == "declaration_status":
        given = {"declaredOn": rng.choice(["2027-01-30", "2027-01-31", "2027-03-01"])} if rng.random() < 0.5 else {}
        return {"op": op, "input": {"policy": policy(rng), "asOf": rng.choice(["2027-01-31", "2027-02-01", "2027-03-02"]),
                                    **given}}
    if op == "turnover_premium":
        given = {"declaredTurnover": {"amount": amount(rng), "currency": "EUR"}} if rng.random() < 0.7 else {}
        return {"op": op, "input": {"policy": policy(rng), **given}}
    decision = {"outcome": "not_insurable", "reasons": [
        {"code": "payment_terms_exceed_max_credit_period", "rule": "BUY-3",
         "params": {"paymentTermsDays": rng.randint(1, 400), "maxCreditPeriodDays": 120}}]}
    return {"op": op, "input": {"decision": decision, "lang": rng.choice(["en", "de", "fr", "nl", "da", "xx"])}}


def account_event(rng: random.Random, k: int) -> dict:
    """An invoice, a payment or an overdue report, for `apply`: some contradict the log."""
    day = date(rng)
    kind = rng.choice(["invoiceIssued", "invoiceIssued", "paymentReceived", "overdueReported"])
    if kind == "invoiceIssued":
        return {"type": kind, "id": f"x{k}", "date": day, "reference": f"R-{rng.randint(1, 3)}",
                "amount": {"amount": amount(rng), "currency": "EUR"}, "paymentTermsDays": rng.choice([30, 60])}
    if kind == "paymentReceived":
        return {"type": kind, "id": f"x{k}", "date": day, "amount": {"amount": amount(rng), "currency": "EUR"}}
    return {"type": kind, "id": f"x{k}", "date": day}


def engine_case(rng: random.Random) -> dict:
    """A random engine: the setup of a random cover check or limit (the core's conversion), the
    method that answers the op, then other calls."""
    # Most setups load (a random policy often is invalid): those of a load error are one in five.
    must_load = rng.random() < 0.8
    while True:
        op_case = case(rng, rng.choice(["check_delivery_cover", "limit_state"]))
        try:
            routed = delcredere._delcredere.engine_route(op_case["op"], op_case["input"])
            if must_load:
                delcredere.Engine(setup=routed["setup"])
            break
        except delcredere.DelcredereError:
            continue
    routed = json.loads(canonical(routed))  # amounts as the strings they were
    calls = [{"method": routed["method"], "input": routed["input"]}]
    for k in range(rng.randint(1, 6)):
        day = rng.choice(["2026-03-20", "2026-06-01", "2026-02-03", "2025-12-31", date(rng)])
        key = rng.choice(["b0", "b0", "b0", "b0", "b0", "b1", "zz"])
        method = rng.choice(["account_state", "limit_state", "outstanding", "buyer_obligations", "obligations",
                             "events", "cover_figures", "check_cover", "apply", "apply", "add_buyer", "snapshot",
                             "buyer_keys", "policy"])
        if method in ("account_state", "limit_state", "outstanding", "buyer_obligations"):
            given = {"buyer": key, "asOf": day}
        elif method == "obligations":
            given = {"asOf": day, **({"lang": rng.choice(["en", "de", "da", "xx"])} if rng.random() < 0.5 else {})}
        elif method == "events":
            given = {"buyer": key}
        elif method in ("cover_figures", "check_cover"):
            given = {"buyer": key, "delivery": {"amount": {"amount": amount(rng), "currency": rng.choice(CURRENCIES)},
                                                "date": day, "paymentTermsDays": rng.choice([30, 60, 90])},
                     "asOf": day}
        elif method == "apply":
            given = {"buyer": key, "event": account_event(rng, k)}
        elif method == "add_buyer":
            given = {"id": rng.choice(["b1", "b0", " "]), "buyer": buyer(rng)}
        else:
            given = {}
        calls.append({"method": method, "input": given})
    c = {"engine": routed["setup"], "calls": calls}
    if rng.random() < 0.2:
        call = rng.choice(calls)
        call["input"] = mistake(rng, {"input": call["input"]})["input"]
    return c


# A value of another JSON kind, put where a user might mistype (issue #25).
WRONG_KINDS = ["x", 15000.5, -1, 5_000_000_000, True, None, {"zz": 1}, [1]]


def paths(value, here=()):
    """Every path into `value` (keys and list positions), in order."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield here + (k,)
            yield from paths(v, here + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield here + (i,)
            yield from paths(v, here + (i,))


def mistake(rng: random.Random, c: dict) -> dict:
    """`c` with one mistake a user makes: a misspelled key (another case, a letter more) or a
    value of another kind, at a random path."""
    c = json.loads(json.dumps(c))
    every = list(paths(c["input"]))
    if not every:
        return c
    *parent_path, last = rng.choice(every)
    parent = c["input"]
    for step in parent_path:
        parent = parent[step]
    if isinstance(last, str) and rng.random() < 0.4:
        parent[rng.choice([last.lower(), last + "s", last[:-1]]) or "x"] = parent.pop(last)
    else:
        parent[last] = rng.choice(WRONG_KINDS)
    return c


def canonical(answer: dict) -> str:
    return json.dumps(answer, sort_keys=True, ensure_ascii=False, default=lambda d: format(d, "f"))


def python_answer(f) -> dict:
    try:
        return {"ok": f()}
    except delcredere.DelcredereError as e:
        return {"error": {"code": e.code, "field": e.field, "message": str(e)}}


def python_engine(c: dict) -> list:
    """The answers of an engine case: the load's error, or one answer per call."""
    try:
        engine = delcredere.Engine(setup=c["engine"])
    except delcredere.DelcredereError as e:
        return [{"error": {"code": e.code, "field": e.field, "message": str(e)}}]
    return [python_answer(lambda call=call: engine.call(call["method"], call["input"])) for call in c["calls"]]


def python_answers(cases: list) -> list:
    out = []
    for c in cases:
        if "engine" in c:
            out.append(canonical({"engine": python_engine(c)}))
        else:
            out.append(canonical(python_answer(lambda: delcredere.call(c["op"], c["input"]))))
    return out


def without_float_wording(answer: str) -> str:
    """An answer without the message of a float amount, which each runtime words for its own
    kind of input (Python: "a float (...)", JSON and JavaScript: "a number (...)")."""
    parsed = json.loads(answer)
    for one in parsed.get("engine", [parsed]):
        error = one.get("error", {})
        if error.get("code") == "invalid_amount" and error.get("message", "").split(": ", 1)[-1].startswith(("a float", "a number")):
            del error["message"]
    return canonical(parsed)


NODE = r"""
const { call, Engine } = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const answer = (f) => {
  try { return { ok: f() }; }
  catch (e) { if (!e.code) throw e; return { error: { code: e.code, field: e.field, message: e.message } }; }
};
for (const line of lines) {
  const c = JSON.parse(line);
  if ('engine' in c) {
    let engine;
    const loaded = answer(() => { engine = Engine.load(c.engine); return null; });
    const answers = engine ? c.calls.map((k) => answer(() => engine.call(k.method, k.input))) : [loaded];
    console.log(JSON.stringify({ engine: answers }));
  } else {
    console.log(JSON.stringify(answer(() => call(c.op, c.input))));
  }
}
"""


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261125
    rng = random.Random(seed)
    cases = [case(rng) for _ in range(n)]
    cases = [mistake(rng, c) if rng.random() < 0.2 else c for c in cases]
    # One engine case for every four op cases.
    cases += [engine_case(rng) for _ in range(max(1, n // 4))]
    n = len(cases)
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)
    rust = subprocess.run(["cargo", "run", "-q", "--locked", "-p", "delcredere", "--example", "cross_runtime"],
                          input=text, capture_output=True, text=True, cwd=REPO, check=True).stdout.splitlines()
    node = subprocess.run(["node", "-e", NODE, str(REPO / "bindings-wasm" / "pkg-node" / "delcredere_wasm.js")],
                          input=text, capture_output=True, text=True, check=True).stdout.splitlines()
    rust = [canonical(json.loads(line)) for line in rust]
    node = [canonical(json.loads(line)) for line in node]
    py = python_answers(cases)
    bad = [i for i in range(n) if not (rust[i] == node[i] and without_float_wording(rust[i]) == without_float_wording(py[i]))]
    for i in bad[:5]:
        print(f"case {i} {json.dumps(cases[i])[:300]}\n  rust   {rust[i][:300]}\n  python {py[i][:300]}\n  node   {node[i][:300]}")
    errors = sum(1 for r in rust if r.startswith('{"error"'))
    engines = [json.loads(r)["engine"] for r in rust if r.startswith('{"engine"')]
    loaded = [a for a in engines if len(a) > 1 or "ok" in a[0]]
    calls = sum(len(a) for a in loaded)
    call_errors = sum(1 for a in loaded for x in a if "error" in x)
    print(f"cross-runtime: {n - len(bad)} passed, {len(bad)} failed ({n} seeded cases, seed {seed}, {errors} of them "
          f"errors; {len(engines)} engines, {len(loaded)} loaded, {calls} method calls, {call_errors} of them errors)")
    return 1 if bad or len(rust) != n or len(node) != n else 0


if __name__ == "__main__":
    sys.exit(main())
