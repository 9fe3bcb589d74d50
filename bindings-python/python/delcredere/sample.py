"""Seeded sample data for examples, notebooks and benchmarks: a policy, a buyer, and a
generated ledger of invoices with its per-buyer table. Same seed, same data, everywhere.

>>> from delcredere import sample
>>> ledger, buyers = sample.ledger(n_buyers=3, n_invoices=5, seed=1)
>>> ledger.num_rows, sorted(ledger.column_names)
(5, ['amount', 'buyer', 'date', 'paid_on', 'terms_days'])
>>> str(ledger.schema.field("amount").type), str(ledger.schema.field("date").type)
('decimal128(18, 2)', 'date32[day]')
>>> sorted(buyers) == [0, 1, 2]
True

The same buyers in an engine, for ``cover_batch(ledger, engine=...)`` (BAT-7):

>>> sample.engine(buyers).buyer_keys()
['0', '1', '2']

The four countries' sample policies (CH, DK, BE, FR; ``spec/policies/README.md`` says which
guide passage each term comes from), the same in Rust and JS:

>>> sorted(sample.POLICIES)
['be', 'ch', 'dk', 'fr']
>>> sample.policy("DK")["premium"]["minimumPremiumShare"]
'90'
"""

import copy
import json
from datetime import date
from typing import Any, Dict, Tuple

from delcredere._delcredere import SAMPLE_POLICIES_JSON

__all__ = ["POLICY", "POLICIES", "BUYER", "as_of", "engine", "ledger", "policy"]

POLICIES: Dict[str, Dict[str, Any]] = {
    country: json.loads(text) for country, text in sorted(SAMPLE_POLICIES_JSON.items())
}
"""The four countries' sample policies by lower-case country code: ``be`` automatic cover up to
a preset amount per buyer (DIS-7), ``ch`` conditional self-assessment (DIS-1..6) and a
declaration due at the end of the first month (PRM-2), ``dk`` a named limit for every buyer
and a 90 % minimum premium (PRM-1), ``fr`` a fixed premium and collections started at once
(COL-1). Read from the core (``delcredere::sample::POLICIES_JSON``)."""


def policy(country: str) -> Dict[str, Any]:
    """A fresh copy of the sample policy of ``country`` (``"be"``, ``"ch"``, ``"dk"`` or
    ``"fr"``, any case); ``KeyError`` naming the four for any other."""
    key = country.lower()
    if key not in POLICIES:
        raise KeyError(f"no sample policy for {country!r}: choose one of {', '.join(POLICIES)}")
    return copy.deepcopy(POLICIES[key])

POLICY: Dict[str, Any] = {
    "currency": "EUR",
    "insuranceYear": {"start": "2026-01-01"},
    "agreedCountries": ["DE", "FR", "NL", "DK", "BE"],
    "maxCreditPeriodDays": 120,
    "maxExtensionPeriodDays": 60,
    "waitingPeriodDays": 180,
    "indemnityPercentage": "90",
    "maximumLiability": {"amount": "5000000.00", "currency": "EUR"},
    "premium": {"basis": "turnover", "rate": "0.20",
                "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
    "declarationDeadlineDays": 30,
    "selfAssessmentAgreed": True,
    "discretionaryLimit": {"amount": "20000", "currency": "EUR"},
    "creditChecksInsideDiscretionaryLimit": True,
}
"""A policy in EUR from 1 January 2026 with a 20,000 EUR discretionary limit."""

BUYER: Dict[str, Any] = {
    "legalName": "Müller Maschinenbau GmbH",
    "legalForm": "GmbH",
    "registrationNumber": "HRB 12345",
    "country": "DE",
    "entityKind": "company",
}
"""A German company buyer."""

_COUNTRIES = ["DE", "FR", "NL", "DK", "BE", "DE", "FR", "US"]
_TERMS = [30, 45, 60, 60, 90, 150]


def _eur(amount: Any) -> Dict[str, str]:
    return {"amount": str(amount), "currency": "EUR"}


def ledger(
    n_buyers: int, n_invoices: int, seed: int = 0, kind: str = "arrow", max_days_late: int = 89
) -> Tuple[Any, Dict[int, Dict[str, Any]]]:
    """A ledger of ``n_invoices`` invoices in 2026 over ``n_buyers`` buyers (ids
    ``0..n_buyers-1``), sorted by date, and the per-buyer table for :func:`cover_batch`.

    Columns: ``buyer`` (int64), ``amount`` (decimal128(18, 2), 100.00 to 20,000.00 EUR),
    ``date`` (date32), ``terms_days`` (int32; one in six is 150 days, over the policy's
    maximum) and ``paid_on`` (date32, null when paid on the due date; about one invoice in ten
    is paid late, 1 to ``max_days_late`` days after its due date: with more than the policy's
    60-day extension period, some overdues reach their reporting date and exclude the buyer's
    next deliveries, BAT-6). Buyers: most have a named limit granted in January sized near their
    expected exposure (some reduced in the summer), some rely on self-assessment, one in eight
    is in a country the policy does not agree. ``kind`` is ``"arrow"`` (a pyarrow Table),
    ``"pandas"`` or ``"polars"``. Vectorised with numpy: 10 million rows take seconds.
    """
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-01", "D").astype(np.int32)
    days = np.sort(rng.integers(0, 365, n_invoices, dtype=np.int32)) + start
    buyer = rng.integers(0, max(n_buyers, 1), n_invoices, dtype=np.int64)
    cents = rng.integers(100_00, 20_000_00, n_invoices, dtype=np.int64)
    terms = np.asarray(_TERMS, dtype=np.int32)[rng.integers(0, len(_TERMS), n_invoices)]
    late = rng.random(n_invoices) < 0.1
    paid = days + terms + rng.integers(1, max_days_late + 1, n_invoices, dtype=np.int32)

    int128 = np.zeros((n_invoices, 2), dtype=np.int64)
    int128[:, 0] = cents  # little-endian i128: low word, then the (zero) high word
    amount = pa.Array.from_buffers(pa.decimal128(18, 2), n_invoices, [None, pa.py_buffer(int128.tobytes())])
    table = pa.table({
        "buyer": pa.array(buyer),
        "amount": amount,
        "date": pa.array(days, pa.int32()).cast(pa.date32()),
        "terms_days": pa.array(terms),
        "paid_on": pa.array(paid, pa.int32(), mask=~late).cast(pa.date32()),
    })

    # Expected exposure per buyer: its invoices a year x mean amount x mean terms / 365.
    per_buyer = n_invoices / max(n_buyers, 1)
    typical = per_buyer * 10_050 * 72 / 365
    buyers: Dict[int, Dict[str, Any]] = {}
    for b in range(n_buyers):
        country = _COUNTRIES[int(rng.integers(0, len(_COUNTRIES)))]
        entry: Dict[str, Any] = {
            "buyer": dict(BUYER, legalName=f"Buyer {b:05d}", registrationNumber=f"HRB {b:05d}", country=country),
        }
        roll = rng.random()
        if roll < 0.75:
            amount_granted = max(1000, int(typical * rng.uniform(0.5, 1.5)) // 1000 * 1000)
            events = [
                {"type": "applied", "date": "2026-01-02", "requestedAmount": _eur(amount_granted), "paymentTermsDays": 60},
                {"type": "granted", "date": "2026-01-05", "amount": _eur(amount_granted)},
            ]
            # A reduction must end below the limit in force (LIM-3): a limit at the 1,000 floor
            # keeps its amount.
            reduced = amount_granted // 2000 * 1000
            if roll < 0.15 and 0 < reduced < amount_granted:
                events.append({"type": "reduced", "date": "2026-07-01", "amount": _eur(reduced)})
            entry["limitEvents"] = events
        else:
            entry["selfAssessment"] = {"purchases": [
                {"deliveryDate": "2026-01-10", "dueDate": "2026-03-10", "paidOn": "2026-03-08"},
                {"deliveryDate": "2026-02-10", "dueDate": "2026-04-10", "paidOn": "2026-04-09"},
            ]}
        buyers[b] = entry
    if kind == "pandas":
        return table.to_pandas(), buyers
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(table), buyers
    if kind != "arrow":
        raise ValueError(f"kind must be 'arrow', 'pandas' or 'polars', not {kind!r}")
    return table, buyers


def engine(buyers: Dict[Any, Dict[str, Any]], policy: Any = None) -> Any:
    """A :class:`delcredere.Engine` of ``policy`` (default :data:`POLICY`) holding the buyers of
    a per-buyer table such as :func:`ledger` gives, each under its id as text (``"7"`` for
    ``7``), with the events that say what its entry says: each limit event as the account
    event of the same name (``applied`` as ``limitApplied``), the self-assessment evidence
    recorded and the confirmation of continued cover given on the policy's first day. With it,
    ``cover_batch(ledger, engine=...)`` gives what ``cover_batch(ledger, policy, buyers)``
    gives (BAT-7)."""
    from delcredere import Engine

    policy = POLICY if policy is None else policy
    start = policy["insuranceYear"]["start"]
    entries = []
    for key, entry in buyers.items():
        events = [dict(e, type="limit" + e["type"][:1].upper() + e["type"][1:], id=f"limit-{i}")
                  for i, e in enumerate(entry.get("limitEvents", []))]
        if entry.get("selfAssessment") is not None:
            events.append({"type": "selfAssessmentRecorded", "id": "self-assessment", "date": start,
                           "evidence": entry["selfAssessment"]})
        if entry.get("continuedCoverConfirmed"):
            events.append({"type": "continuedCoverConfirmed", "id": "continued-cover", "date": start})
        entries.append({"id": str(key), "buyer": entry["buyer"], "events": events})
    return Engine.load({"policy": policy, "buyers": entries})


def as_of() -> date:
    """The date the sample ledger is looked at: the last day of 2026."""
    return date(2026, 12, 31)

