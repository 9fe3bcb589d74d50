"""Type-checked, never run: `mypy --strict` over this file must pass (test_typing.py). Every line
marked `# type: ignore[...]` is one mypy must refuse, with that error code: under --strict an
ignore that silences nothing is itself an error (warn_unused_ignores), so a line that stops
being refused fails the check."""

from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional

import delcredere
from delcredere import Decision, Explanation, InputError
from delcredere.inputs import CheckDeliveryCoverInput, MoneyDto
from delcredere.types import Language, Outcome

policy: Dict[str, Any] = {"currency": "EUR", "maximumLiability": {"amount": Decimal("2000000"), "currency": "EUR"}}
buyer: Dict[str, Any] = {"legalName": "Dupont SA", "country": "FR", "entityKind": "company"}
receivable: Dict[str, Any] = {"kind": "goods", "paymentTermsDays": 60}

decision: Decision = delcredere.check_insurability(policy, buyer, receivable)
outcome: Outcome = decision.outcome
insurable: bool = decision.outcome in ("insurable", "insurable_through_head_office")
lang: Language = "fr"
explanation: Explanation = delcredere.explain(decision, lang)
summary: str = decision.explain("de").summary
languages: List[Language] = ["en", "de", "fr", "nl", "da"]

# Bad input is a ValueError.
try:
    delcredere.check_insurability(policy, buyer, receivable)
except ValueError as e:
    bad: ValueError = e
input_error: ValueError = InputError("buyer.country: unknown country code 'XX'", "unknown_country", "buyer.country")

# call is typed per op: the op's name picks its input TypedDict (delcredere.inputs).
outstanding: MoneyDto = {"amount": Decimal("45000"), "currency": "EUR"}
cover_input: CheckDeliveryCoverInput = {
    "policy": {"currency": "EUR"},
    "buyer": {"legalName": "Dupont SA", "country": "FR", "entityKind": "company"},
    "outstanding": outstanding,
    "delivery": {"amount": {"amount": "10000", "currency": "EUR"}, "date": "2026-03-01", "paymentTermsDays": 60},
    "limitEvents": [{"type": "granted", "date": "2026-02-05", "amount": {"amount": 50000, "currency": "EUR"}}],
    "asOf": "2026-03-01",
}
as_dict: Dict[str, Any] = delcredere.call("check_delivery_cover", cover_input)
delcredere.call("validate_policy", {"policy": {"currency": "EUR"}})

# The engine's cover figures: Decimals as attributes, and a Mapping as the method's dict.
engine = delcredere.Engine(policy)
figures: delcredere.CoverFigures = engine.cover_figures("D-1", cover_input["delivery"], "2026-03-01")
covered: Decimal = figures.covered + figures.uncovered
limit: Optional[Decimal] = figures.limit
cover_type: str = figures.cover_type
read_as_dict: Decimal = figures["covered"]["amount"]
as_mapping: Mapping[str, Any] = figures
method_dict: Dict[str, Any] = figures.to_dict()

# What mypy must refuse.
float_amount: MoneyDto = {"amount": 45000.5, "currency": "EUR"}  # type: ignore[typeddict-item]
delcredere.call("validate_policy", {"polciy": {"currency": "EUR"}})  # type: ignore[call-overload]
delcredere.call("validate_polcy", {"policy": {}})  # type: ignore[call-overload]
delcredere.call("check_insurability", {"policy": {}})  # type: ignore[call-overload]
bad_event: CheckDeliveryCoverInput = {**cover_input, "limitEvents": [{"type": "approved", "date": "2026-02-05"}]}  # type: ignore[misc, list-item]
misspelled_outcome: bool = decision.outcome == "insurabel"  # type: ignore[comparison-overlap]
delcredere.explain(decision, "es")  # type: ignore[arg-type]
decision.explain(lang="english")  # type: ignore[arg-type]
wrong_outcome: Outcome = "approved"  # type: ignore[assignment]
delcredere.validate_collection_file_form({}, lang="it")  # type: ignore[arg-type]
delcredere.cover_batch(None, policy, {}, "2026-03-01", errors="ignore")  # type: ignore[arg-type]
not_a_str: int = explanation.lang  # type: ignore[assignment]
not_a_float: float = figures.covered  # type: ignore[assignment]
