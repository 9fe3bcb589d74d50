"""delcredere: a rules engine for trade credit insurance.

Inputs are plain dicts with the camelCase keys of the JSON DTOs; amounts are
``decimal.Decimal`` (or decimal strings), never floats. Answers are small value objects
(:class:`Decision`, :class:`PolicyReport`, :class:`Explanation`); bad input raises a
:class:`DelcredereError` carrying a stable ``code`` and the ``field`` path.

>>> from decimal import Decimal
>>> import delcredere
>>> policy = {
...     "currency": "EUR",
...     "insuranceYear": {"start": "2026-01-01"},
...     "agreedCountries": ["DE", "FR"],
...     "maxCreditPeriodDays": 120,
...     "maxExtensionPeriodDays": 60,
...     "waitingPeriodDays": 180,
...     "indemnityPercentage": "90",
...     "maximumLiability": {"amount": Decimal("2000000.00"), "currency": "EUR"},
...     "premium": {"basis": "turnover", "rate": "0.20",
...                 "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
...     "declarationDeadlineDays": 30,
... }
>>> delcredere.validate_policy(policy).valid
True
>>> buyer = {"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
...          "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}
>>> decision = delcredere.check_insurability(policy, buyer, {"kind": "goods", "paymentTermsDays": 60})
>>> decision.outcome
'insurable'
>>> decision.reasons[1]
Reason(code='country_agreed', rule='BUY-4', params={'country': 'DE'})
>>> print(decision.explain("de").summary)
Versicherbar.
>>> try:
...     delcredere.check_insurability(policy, dict(buyer, country="ZZ"), {"kind": "goods", "paymentTermsDays": 60})
... except delcredere.InputError as e:
...     print(e.code, e.field)
unknown_country buyer.country
"""

import copy
import html
import json
from datetime import date
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, TypedDict, Union

from ._errors import DelcredereError, InputError, InternalError, PolicyError
from . import _delcredere
from ._delcredere import OPS, call
from ._batch import cover_batch, exposure_batch
from ._events import events_from as _events_from
from . import sample
from . import charts

__version__: str = _delcredere.__version__

__all__ = [
    "CoverFigures",
    "Decision",
    "DelcredereError",
    "Engine",
    "Explanation",
    "FieldMessageDict",
    "FormReport",
    "Policy",
    "InputError",
    "InternalError",
    "Message",
    "MoneyDict",
    "OPS",
    "Param",
    "PolicyError",
    "PolicyReport",
    "ProblemDict",
    "Reason",
    "__version__",
    "assess_discretionary",
    "average_outstanding",
    "balance_premium",
    "call",
    "check_delivery_cover",
    "check_expertise",
    "check_insurability",
    "check_limit_application",
    "check_water_damage",
    "declaration_status",
    "cover_batch",
    "exposure_batch",
    "explain",
    "follow_up_remote_assessment",
    "intake_order",
    "limit_state",
    "notification_duty",
    "overdue_report",
    "peak_outstanding",
    "turnover_premium",
    "validate_policy",
    "validate_limit_application",
    "validate_turnover_declaration",
    "account_state",
    "obligations",
    "insured_event",
    "check_claim_file",
    "indemnity",
    "recovery",
    "collection_handover",
    "check_collection_file",
    "collection_contact_schedule",
    "dispute_collection",
    "check_pre_export",
    "validate_turnover_declaration_form",
    "validate_claim_file_form",
    "validate_collection_file_form",
    "validate_overdue_report_form",
]


class MoneyDict(TypedDict):
    """An amount as the engine returns it: ``{"amount": Decimal("40000.00"), "currency": "EUR"}``."""

    amount: Decimal
    currency: str


class ProblemDict(TypedDict):
    """One problem of a policy or input: stable ``code``, ``field`` path and ``message``."""

    code: str
    field: str
    message: str


class FieldMessageDict(TypedDict):
    """One message on a form field: stable ``code``, ``severity`` (``"error"``, ``"warning"`` or
    ``"notice"``) and the ``message`` in the language asked for."""

    code: str
    severity: str
    message: str


Param = Union[int, Decimal, str]
"""A reason parameter: a whole number, a decimal figure or a name."""

_Date = Union[date, str]
"""A date: a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string."""


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # str() would give "1E-24" for small amounts
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class _Value:
    """Shared behaviour of the result classes: value equality, repr, dict and JSON forms."""

    __slots__ = ()
    _fields: "tuple[str, ...]" = ()

    def to_dict(self) -> Dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> str:
        """The JSON form, amounts as decimal strings, keys as in the core's DTOs."""
        return json.dumps(self.to_dict(), default=_json_default, ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> Any:
        return (type(self)._from_dict, (self.to_dict(),))  # type: ignore[attr-defined]


class Reason(_Value):
    """Why a decision came out as it did: a stable ``code``, the ``rule`` ID (spec/rules.md) and
    the ``params`` (figures and names) the rule used.

    >>> Reason("country_not_agreed", "BUY-4", {"country": "US"})
    Reason(code='country_not_agreed', rule='BUY-4', params={'country': 'US'})
    """

    __slots__ = ("code", "rule", "params")
    _fields = ("code", "rule", "params")

    def __init__(self, code: str, rule: str, params: Optional[Mapping[str, Any]] = None) -> None:
        self.code = code
        self.rule = rule
        self.params: Dict[str, Any] = dict(params or {})

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "Reason":
        return cls(d["code"], d["rule"], d.get("params"))

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "rule": self.rule, "params": dict(self.params)}


class Decision(_Value):
    """The answer to a question: an ``outcome`` (e.g. ``"insurable"``), named ``amounts``
    (``{"coveredAmount": {"amount": Decimal("40000.00"), "currency": "EUR"}}``), the
    ``reasons`` and, for some ops, ``details``.

    >>> d = Decision.from_dict({"outcome": "not_insurable",
    ...                         "amounts": {"limit": {"amount": "40000.00", "currency": "EUR"}},
    ...                         "reasons": [{"code": "country_not_agreed", "rule": "BUY-4",
    ...                                      "params": {"country": "US"}}]})
    >>> d.amounts["limit"]["amount"]
    Decimal('40000.00')
    >>> d.explain("fr").summary
    'Non assurable.'
    >>> import pickle; pickle.loads(pickle.dumps(d)) == d
    True
    >>> d._repr_html_().startswith("<div")  # how a notebook shows it
    True
    """

    __slots__ = ("outcome", "amounts", "reasons", "details")
    _fields = ("outcome", "amounts", "reasons", "details")

    def __init__(
        self,
        outcome: str,
        amounts: Optional[Mapping[str, Mapping[str, Any]]] = None,
        reasons: Iterable[Reason] = (),
        details: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.outcome = outcome
        self.amounts: Dict[str, Dict[str, Any]] = {k: dict(v) for k, v in (amounts or {}).items()}
        self.reasons: List[Reason] = list(reasons)
        #: Op-specific detail (e.g. a curve of figures) when the op gives one, else None.
        self.details: Optional[Dict[str, Any]] = None if details is None else dict(details)

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "Decision":
        return cls(
            d["outcome"],
            d.get("amounts"),
            [Reason._from_dict(r) for r in d.get("reasons", [])],
            d.get("details"),
        )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Decision":
        """Reads a decision dict (as :meth:`to_dict` or the JSON form gives it), checked by the
        core: unknown codes or fields raise :class:`InputError`."""
        return cls._from_dict(_delcredere.decision_from_dict(d))

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {
            "outcome": self.outcome,
            "amounts": {k: dict(v) for k, v in self.amounts.items()},
            "reasons": [r.to_dict() for r in self.reasons],
        }
        if self.details is not None:
            d["details"] = self.details
        return d

    def explain(self, lang: str = "en") -> "Explanation":
        """Renders the decision in ``lang`` (``en``, ``de``, ``fr``, ``nl``, ``da``)."""
        return explain(self, lang)

    def __reduce__(self) -> Any:
        return (_decision_from_dict, (self.to_dict(),))

    def _repr_html_(self) -> str:
        """A notebook rendering: outcome, amounts, and each reason with its rule and English text."""
        from html import escape

        try:
            texts = [m.text for m in self.explain("en").messages]
        except DelcredereError:
            texts = [""] * len(self.reasons)
        amounts = "".join(
            f"<tr><td>{escape(k)}</td><td style='text-align:right'>{escape(format(v['amount'], 'f'))} "
            f"{escape(str(v['currency']))}</td></tr>"
            for k, v in self.amounts.items()
        )
        reasons = "".join(
            f"<li><code>{escape(r.rule)}</code> <code>{escape(r.code)}</code> {escape(t)}</li>"
            for r, t in zip(self.reasons, texts)
        )
        curve = ""
        if self._curve():
            from .charts import curve_svg

            curve = curve_svg(self._curve(), currency=self._curve_currency(), title="Outstanding (EXP-1)")
        return (
            f"<div><b>Decision: {escape(self.outcome)}</b>"
            f"<table>{amounts}</table><ul>{reasons}</ul>{curve}</div>"
        )

    def _curve(self) -> List[Any]:
        return list((self.details or {}).get("points") or [])

    def _curve_currency(self) -> str:
        points = self._curve()
        return str(points[0]["outstanding"]["currency"]) if points else ""

    def plot(self, ax: Any = None, limit: Optional[Any] = None) -> Any:
        """Draws the decision's outstanding curve (:func:`peak_outstanding`'s
        ``details["points"]``, EXP-1) with matplotlib: a step line, the peak marked, and
        ``limit`` (a ``Decimal`` or a money dict) as a dashed line when given. Returns the
        ``Axes``. A notebook shows the same curve as an inline SVG (``_repr_html_``).
        ``ValueError`` for a decision without a curve."""
        if not self._curve():
            raise ValueError(f"this decision ({self.outcome}) has no outstanding curve to plot: peak_outstanding's has")
        from .charts import plot_curve

        if isinstance(limit, Mapping):
            limit = limit["amount"]
        return plot_curve(self._curve(), limit=limit, currency=self._curve_currency(), ax=ax)


def _decision_from_dict(d: Mapping[str, Any]) -> Decision:
    return Decision.from_dict(d)


class Message(_Value):
    """One rendered reason: its ``code``, ``rule`` and ``text``."""

    __slots__ = ("code", "rule", "text")
    _fields = ("code", "rule", "text")

    def __init__(self, code: str, rule: str, text: str) -> None:
        self.code = code
        self.rule = rule
        self.text = text

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "Message":
        return cls(d["code"], d["rule"], d["text"])

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "rule": self.rule, "text": self.text}


class Explanation(_Value):
    """A decision rendered for people: ``lang``, a ``summary`` line and one message per
    reason. ``str()`` gives the text.

    >>> e = explain({"outcome": "not_insurable", "reasons": [
    ...     {"code": "country_not_agreed", "rule": "BUY-4", "params": {"country": "US"}}]}, "de")
    >>> print(e)
    Nicht versicherbar.
    - Das Land des Kunden (US) gehört nicht zu den vereinbarten Ländern der Police.
    """

    __slots__ = ("lang", "summary", "messages")
    _fields = ("lang", "summary", "messages")

    def __init__(self, lang: str, summary: str, messages: Iterable[Message] = ()) -> None:
        self.lang = lang
        self.summary = summary
        self.messages: List[Message] = list(messages)

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "Explanation":
        return cls(d["lang"], d["summary"], [Message._from_dict(m) for m in d.get("messages", [])])

    def to_dict(self) -> Dict[str, Any]:
        return {
            "lang": self.lang,
            "summary": self.summary,
            "messages": [m.to_dict() for m in self.messages],
        }

    def __str__(self) -> str:
        return "\n".join([self.summary] + [f"- {m.text}" for m in self.messages])


class PolicyReport(_Value):
    """The result of :func:`validate_policy`: ``valid`` and every problem at once, each a dict
    with ``code``, ``field`` (relative to the policy) and ``message``.

    >>> r = validate_policy({"currency": "EUX"})
    >>> r.valid
    False
    >>> r.problems[0]["code"], r.problems[0]["field"]
    ('unknown_currency', 'currency')
    """

    __slots__ = ("valid", "problems")
    _fields = ("valid", "problems")

    def __init__(self, valid: bool, problems: Iterable[Mapping[str, str]] = ()) -> None:
        self.valid = valid
        self.problems: List[Dict[str, str]] = [dict(p) for p in problems]

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "PolicyReport":
        return cls(d["valid"], d.get("problems", []))

    def to_dict(self) -> Dict[str, Any]:
        return {"valid": self.valid, "problems": [dict(p) for p in self.problems]}


class FormReport(_Value):
    """The result of a form validator: ``valid`` (no field has an error; warnings allowed) and
    ``fields``, the messages by field path, in the language asked for.

    >>> r = FormReport(False, {"date": [{"code": "application_field_required",
    ...                                  "severity": "error", "message": "This field is required."}]})
    >>> r.fields["date"][0]["message"]
    'This field is required.'
    """

    __slots__ = ("valid", "fields")
    _fields = ("valid", "fields")

    def __init__(self, valid: bool, fields: Mapping[str, Iterable[Mapping[str, str]]] = {}) -> None:
        self.valid = valid
        self.fields: Dict[str, List[Dict[str, str]]] = {k: [dict(m) for m in v] for k, v in fields.items()}

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "FormReport":
        return cls(d["valid"], d.get("fields", {}))

    def to_dict(self) -> Dict[str, Any]:
        return {"valid": self.valid, "fields": {k: [dict(m) for m in v] for k, v in self.fields.items()}}


class Policy(Mapping[str, Any]):
    """Policy terms (POL), validated once: a read-only mapping of the terms, accepted wherever
    a policy dict is. An invalid policy raises :class:`PolicyError` with every problem.
    Compares by value (also with a plain dict of the same terms), pickles through its JSON
    form and shows its terms in a notebook.

    >>> from delcredere.sample import POLICY
    >>> p = Policy(POLICY)
    >>> p["currency"], p == POLICY
    ('EUR', True)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(p)) == p
    True
    >>> Policy({**POLICY, "indemnityPercentage": "150"})
    Traceback (most recent call last):
    ...
    delcredere._errors.PolicyError: invalid policy: indemnityPercentage: value 150 is out of range, expected more than 0 and at most 100
    """

    __slots__ = ("_terms",)

    def __init__(self, terms: Mapping[str, Any]) -> None:
        plain = copy.deepcopy(dict(terms.items()))
        report = validate_policy(plain)
        if not report.valid:
            first = report.problems[0]
            more = len(report.problems) - 1
            message = f"invalid policy: {first['message']}"
            if more:
                message += f" (and {more} more problem{'s' if more > 1 else ''})"
            raise PolicyError(message, "invalid_policy", first["field"], report.problems)
        self._terms: Dict[str, Any] = plain

    @classmethod
    def from_json(cls, text: str) -> "Policy":
        """The policy of a JSON text (amounts as decimal strings)."""
        return cls(json.loads(text))

    def __getitem__(self, key: str) -> Any:
        return copy.deepcopy(self._terms[key])

    def __iter__(self) -> Any:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def to_dict(self) -> Dict[str, Any]:
        """The terms as a new plain dict."""
        return copy.deepcopy(self._terms)

    def to_json(self) -> str:
        """The JSON form of the terms."""
        return json.dumps(self._terms, default=_json_default, ensure_ascii=False)

    def __repr__(self) -> str:
        return f"Policy({self._terms!r})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(json.dumps(v, default=_json_default, ensure_ascii=False))}</td></tr>"
            for k, v in self._terms.items()
        )
        return f"<table><caption>Policy</caption>{rows}</table>"

    def __reduce__(self) -> Any:
        return (Policy.from_json, (self.to_json(),))


def validate_policy(policy: Mapping[str, Any]) -> PolicyReport:
    """Validates policy terms (POL) and reports every problem at once. An invalid policy is a
    report, not an exception; malformed input (e.g. an unknown field) raises
    :class:`InputError`."""
    return PolicyReport._from_dict(_delcredere.validate_policy(policy))


def check_insurability(
    policy: Mapping[str, Any], buyer: Mapping[str, Any], receivable: Mapping[str, Any]
) -> Decision:
    """Is this buyer and receivable insurable under the policy (BUY-1..5, PRM-4)? Raises
    :class:`PolicyError` when the policy does not validate."""
    return Decision._from_dict(_delcredere.check_insurability(policy, buyer, receivable))


def explain(decision: Union[Decision, Mapping[str, Any]], lang: str = "en") -> Explanation:
    """Renders a decision (a :class:`Decision` or its dict form) in ``lang``.

    >>> explain({"outcome": "insurable", "reasons": []}, "nl").summary
    'Verzekerbaar.'
    """
    if isinstance(decision, Decision):
        decision = decision.to_dict()
    return Explanation._from_dict(_delcredere.explain(decision, lang))


# Limits, self-assessment, exposure (LIM, DIS, EXP). Each function builds the op's input DTO
# from its arguments (snake_case here, camelCase in the DTO) and returns the core's decision.


def check_delivery_cover(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    outstanding: Mapping[str, Any],
    delivery: Mapping[str, Any],
    as_of: _Date,
    limit_events: Iterable[Mapping[str, Any]] = (),
    self_assessment: Optional[Mapping[str, Any]] = None,
    overdue: Optional[Mapping[str, Any]] = None,
) -> Decision:
    """How much of a planned ``delivery`` is insured, given what the buyer already owes
    (``outstanding``), the buyer's named-limit events up to ``as_of`` and, when it has no
    named limit, the ``self_assessment`` evidence (BUY-1..5, PRM-4, LIM-1, LIM-3, DIS-1..5).
    ``overdue``, the buyer's overdue situation, excludes new deliveries from cover while it
    lasts (OVD-2, OVD-3, DIS-6); without it, no exclusion applies.
    Outcome ``covered``, ``partly_covered`` or ``not_covered``; amounts ``coveredAmount``
    and ``uncoveredAmount``; ``details["coverType"]`` says which cover was used. Raises
    :class:`PolicyError` when the policy does not validate.

    >>> policy = {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
    ...           "agreedCountries": ["DE"], "maxCreditPeriodDays": 120,
    ...           "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
    ...           "indemnityPercentage": "90",
    ...           "maximumLiability": {"amount": "2000000", "currency": "EUR"},
    ...           "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}
    >>> buyer = {"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
    ...          "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}
    >>> eur = lambda amount: {"amount": Decimal(amount), "currency": "EUR"}
    >>> events = [
    ...     {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"),
    ...      "paymentTermsDays": 60},
    ...     {"type": "granted", "date": "2026-02-05", "amount": eur("50000")},
    ... ]
    >>> d = check_delivery_cover(
    ...     policy, buyer, outstanding=eur("45000"),
    ...     delivery={"amount": eur("10000"), "date": "2026-03-01", "paymentTermsDays": 60},
    ...     as_of=date(2026, 3, 1), limit_events=events)
    >>> d.outcome
    'partly_covered'
    >>> d.amounts["coveredAmount"]["amount"], d.amounts["uncoveredAmount"]["amount"]
    (Decimal('5000.00'), Decimal('5000.00'))
    >>> d.details
    {'type': 'cover', 'coverType': 'namedLimit'}
    """
    return Decision._from_dict(
        _delcredere.check_delivery_cover(
            policy, buyer, outstanding, delivery, as_of, limit_events, self_assessment, overdue
        )
    )


def limit_state(
    policy: Mapping[str, Any], events: Iterable[Mapping[str, Any]], as_of: _Date
) -> Decision:
    """Replays a credit limit's ``events`` (applied, granted, refused, reduced, withdrawn,
    cancelled) in date order and describes the limit on ``as_of`` (LIM-1, LIM-3, LIM-4):
    outcomes such as ``limit_granted`` or ``limit_partly_granted``, amount ``limit`` when one
    is in force. Raises :class:`PolicyError` when the policy does not validate."""
    return Decision._from_dict(_delcredere.limit_state(policy, events, as_of))


def check_limit_application(
    policy: Mapping[str, Any], application: Mapping[str, Any]
) -> Decision:
    """Checks a credit limit application before it is sent: requested payment terms beyond
    the maximum credit period are flagged (LIM-2), and a request inside the discretionary
    limit is told it costs a yearly credit check fee (LIM-5). Outcome ``application_ready``
    or ``application_flagged``."""
    return Decision._from_dict(_delcredere.check_limit_application(policy, application))


def assess_discretionary(
    policy: Mapping[str, Any],
    needed_amount: Mapping[str, Any],
    as_of: _Date,
    outstanding: Optional[Mapping[str, Any]] = None,
    evidence: Optional[Mapping[str, Any]] = None,
    limit_events: Iterable[Mapping[str, Any]] = (),
) -> Decision:
    """Self-assessed (discretionary) cover for a buyer without a named limit (DIS-1..5):
    how much of ``needed_amount`` the ``evidence`` (purchases paid on time, a credit report,
    an insurer credit check, negative information) covers on ``as_of``, barred for 12 months
    after a refusal in ``limit_events`` (DIS-4). ``outstanding`` (default: the needed amount)
    drives the DIS-5 duty to apply for a named limit. Outcome ``covered``,
    ``partly_covered`` or ``not_covered``; amounts ``coveredAmount`` and
    ``uncoveredAmount``."""
    return Decision._from_dict(
        _delcredere.assess_discretionary(
            policy, needed_amount, as_of, outstanding, evidence, limit_events
        )
    )


def peak_outstanding(
    deliveries: Iterable[Mapping[str, Any]],
    day_count: Optional[str] = None,
    end_of_month_convention: Optional[str] = None,
) -> Decision:
    """The outstanding curve of a delivery schedule and its peak (EXP-1): each delivery is
    owed from its delivery date until it is paid (``paidOn``, else its due date).
    ``day_count`` is ``"excludeStartDay"`` (the default) or ``"includeStartDay"``;
    ``end_of_month_convention`` reads "N days end of month" (``endOfMonth``) as
    ``"monthEndThenDays"`` (the default) or ``"daysThenMonthEnd"``. Amount
    ``peakOutstanding``; ``details["points"]`` is the curve.

    >>> dkk = lambda amount: {"amount": Decimal(amount), "currency": "DKK"}
    >>> d = peak_outstanding([
    ...     {"amount": dkk("150000"), "deliveryDate": "2026-01-01", "paymentTermsDays": 90},
    ...     {"amount": dkk("150000"), "deliveryDate": "2026-01-31", "paymentTermsDays": 90},
    ...     {"amount": dkk("100000"), "deliveryDate": "2026-03-02", "paymentTermsDays": 90},
    ... ])
    >>> d.amounts["peakOutstanding"]
    {'amount': Decimal('400000.00'), 'currency': 'DKK'}
    >>> r = d.reasons[0]
    >>> r.rule, r.code, r.params["peak"], r.params["date"]
    ('EXP-1', 'peak_outstanding', Decimal('400000.00'), '2026-03-02')
    >>> [(p["date"], str(p["outstanding"]["amount"])) for p in d.details["points"]][-3:]
    [('2026-04-01', '250000.00'), ('2026-05-01', '100000.00'), ('2026-05-31', '0.00')]
    """
    return Decision._from_dict(_delcredere.peak_outstanding(deliveries, day_count, end_of_month_convention))


def average_outstanding(
    payment_terms_days: int,
    *,
    annual_sales: Optional[Mapping[str, Any]] = None,
    monthly_sales: Optional[Mapping[str, Any]] = None,
) -> Decision:
    """The average outstanding of regular sales (EXP-2): ``annual_sales`` / 360 or
    ``monthly_sales`` / 30, times ``payment_terms_days`` (give one of the two sales
    figures). Amount ``averageOutstanding``."""
    return Decision._from_dict(
        _delcredere.average_outstanding(
            payment_terms_days, annual_sales=annual_sales, monthly_sales=monthly_sales
        )
    )


# Property-claims intake (PCI), a product line separate from trade credit insurance.


def intake_order(order: Mapping[str, Any]) -> Decision:
    """Routes a property-claims mission order by its channel (central platform, agency,
    broker, expert firm) and normalises its claim number, order number and agent or broker
    code (PCI-1). Outcome ``file_opened_automatically``, ``file_to_open_by_hand``,
    ``file_for_insurer_team`` or ``order_to_check``."""
    return Decision._from_dict(_delcredere.intake_order(order))


def check_water_damage(claim: Mapping[str, Any]) -> Decision:
    """Whether someone may be dispatched on a water-damage file, and for which leak
    detection (PCI-2). Outcomes such as ``dispatch_allowed``, ``dispatch_not_allowed`` or
    ``work_not_covered``."""
    return Decision._from_dict(_delcredere.check_water_damage(claim))


def follow_up_remote_assessment(follow_up: Mapping[str, Any], as_of: _Date) -> Decision:
    """The next step on ``as_of`` for a file waiting for the remote assessment: reminders,
    the "confirmed with customer" flag, the SMS and the week of waiting (PCI-3)."""
    return Decision._from_dict(_delcredere.follow_up_remote_assessment(follow_up, as_of))


def check_expertise(claim: Mapping[str, Any]) -> Decision:
    """Whether a quote is handled within the handling limits or the file needs an on-site
    expertise (or goes back to the insurer) for glass breakage, vehicle impact and key theft
    or loss (PCI-4). Amounts ``quote``, ``handlingLimit`` and, for vehicles,
    ``expertiseThreshold``."""
    return Decision._from_dict(_delcredere.check_expertise(claim))


def overdue_report(
    policy: Mapping[str, Any],
    invoices: Iterable[Mapping[str, Any]],
    as_of: _Date,
    cover_kind: Optional[str] = None,
    extra_reporting_dates: Optional[Iterable[_Date]] = None,
    reported_on: Optional[_Date] = None,
    continued_cover_confirmed: Optional[bool] = None,
    negative_information_remains: Optional[bool] = None,
) -> Decision:
    """Which of a buyer's ``invoices`` must be reported as overdue on ``as_of``, by when, the
    combined report, payments to report on the insurer's extra reporting dates and the
    exclusion of new deliveries (OVD-1..6, DIS-6). Outcome ``overdue_to_report`` or
    ``no_overdue_to_report``; amounts ``overdueTotal`` and ``reportableTotal``; the
    per-invoice list in ``details``."""
    return Decision._from_dict(_delcredere.overdue_report(policy, invoices, as_of, cover_kind, extra_reporting_dates, reported_on, continued_cover_confirmed, negative_information_remains))


def notification_duty(
    event: str,
    cover_kind: str,
    date: _Date,
    instalment_plan: Optional[bool] = None,
    written_consent: Optional[bool] = None,
) -> Decision:
    """Whether ``event`` must be notified to the insurer under a named limit or self-assessed
    cover, whether the insurer's consent is needed before acting, and by when (OVD-7..9).
    Outcome ``notification_required``, ``consent_required`` or ``no_notification_required``."""
    return Decision._from_dict(_delcredere.notification_duty(event, cover_kind, date, instalment_plan, written_consent))


def turnover_premium(
    policy: Mapping[str, Any],
    declared_turnover: Optional[Mapping[str, Any]] = None,
) -> Decision:
    """The provisional premium on expected turnover and the minimum premium, and, given the
    ``declared_turnover``, the final premium with the additional premium or refund (PRM-1)."""
    return Decision._from_dict(_delcredere.turnover_premium(policy, declared_turnover))


def declaration_status(
    policy: Mapping[str, Any],
    as_of: _Date,
    declared_on: Optional[_Date] = None,
    balance_reports: Optional[Iterable[Mapping[str, Any]]] = None,
) -> Decision:
    """When the yearly turnover declaration is due and, on ``as_of``, whether it is not yet
    due, due, overdue (with its consequence) or received; none for fixed premiums (PRM-2).
    On a balance premium, each reporting day's report with its deadline, given the
    ``balance_reports`` sent (``[{"reportingDay": ..., "sentOn": ...}]``); a late or missing
    report puts cover and the right to an indemnity at risk (PRM-6)."""
    return Decision._from_dict(_delcredere.declaration_status(policy, as_of, declared_on, balance_reports))


def validate_turnover_declaration(
    policy: Mapping[str, Any],
    declaration: Mapping[str, Any],
    context: Optional[Mapping[str, Any]] = None,
    lang: Optional[str] = None,
) -> Decision:
    """Field-keyed findings on a turnover declaration before it is sent (PRM-3..5): countries
    outside or missing from the policy, excluded sales, deductions, VAT, a missing or extra
    zero, copied or empty sections. With ``lang``, each finding carries its message."""
    return Decision._from_dict(_delcredere.validate_turnover_declaration(policy, declaration, context, lang))


def validate_limit_application(
    policy: Mapping[str, Any], application: Mapping[str, Any], lang: str
) -> FormReport:
    """Validates a limit application form as typed (text values as strings, yes/no answers as
    booleans, any may be missing), all fields at once: required fields, amount, currency,
    payment terms within the maximum credit period (LIM-2), date; the buyer's insurability as
    :func:`check_insurability` finds it (BUY-2..5), its registration number or full address
    with the state where the country needs one (BUY-5), the insured's customer number, the
    answers on the buyer's payment behaviour (LIM-1); the LIM-5 credit check fee and an amount
    above the maximum liability (CLM-5) as warnings. Messages are in ``lang``."""
    return FormReport._from_dict(_delcredere.validate_limit_application(policy, application, lang))


def validate_turnover_declaration_form(
    policy: Mapping[str, Any],
    declaration: Mapping[str, Any],
    lang: str,
    context: Optional[Mapping[str, Any]] = None,
) -> FormReport:
    """The findings of :func:`validate_turnover_declaration` (PRM-3..5) as a form report keyed
    by field path, messages in ``lang``; a malformed figure or code is a field message too."""
    return FormReport._from_dict(
        _delcredere.validate_turnover_declaration_form(policy, declaration, lang, context)
    )


def validate_claim_file_form(
    claim_file: Mapping[str, Any], as_of: _Date, lang: str
) -> FormReport:
    """Validates a claim file form as typed (CLM-3), all fields at once: the oldest open
    receivable's date, the trading history period, the requested documents' names, then every
    item of the :func:`check_claim_file` checklist that is missing, each on its field. ``as_of``
    is the day of the claim (the trading history must reach it). Messages are in ``lang``.

    >>> r = validate_claim_file_form(
    ...     {"oldestOpenReceivableDate": "2026-02-01", "invoicesProvided": True,
    ...      "openItemsListProvided": True, "collectionWanted": False,
    ...      "tradingHistory": {"from": "2025-03-01", "to": "2026-09-10"}},
    ...     "2026-09-10", "fr")
    >>> r.valid
    False
    >>> print(r.fields["tradingHistory"][0]["message"])
    Manque au dossier de sinistre : L'historique des transactions (compte client) du 01/02/2025 au 10/09/2026.
    """
    return FormReport._from_dict(_delcredere.validate_claim_file_form(claim_file, as_of, lang))


def validate_collection_file_form(collection_file: Mapping[str, Any], lang: str) -> FormReport:
    """Validates an international collection file form as typed (COL-2), all fields at once:
    the buyer's e-mail and the dates, then every item of the :func:`check_collection_file`
    checklist that is missing, each on its field (the fax only as a warning). Messages are in
    ``lang``.

    >>> r = validate_collection_file_form({"buyer": {"email": "m.dupont(at)dupont.fr"}}, "de")
    >>> r.fields["buyer.email"][0]["message"]
    'm.dupont(at)dupont.fr ist keine E-Mail-Adresse: bitte in der Form name@firma.de angeben.'
    >>> r.fields["buyer.fax"][0]["severity"], r.fields["buyer.fax"][0]["message"]
    ('warning', 'Fehlt im Inkassoauftrag: Faxnummer des Kunden (empfohlen).')
    """
    return FormReport._from_dict(_delcredere.validate_collection_file_form(collection_file, lang))


def validate_overdue_report_form(
    policy: Mapping[str, Any], overdue_report: Mapping[str, Any], as_of: _Date, lang: str
) -> FormReport:
    """Validates an overdue report form as typed (OVD-1, OVD-5), all fields at once: the
    (oldest) invoice's date, due date and original payment terms, which must agree with each
    other; the open amount and the total of all overdue receivables (at least the open amount,
    more than it when several overdues are ``bundled``); whether the report is early (a notice)
    or late (a warning) on ``as_of``, the day of the report; the reason for the delay, if known
    (a notice while it is empty). Messages are in ``lang``.

    >>> r = validate_overdue_report_form(
    ...     sample.POLICY,
    ...     {"invoiceDate": "2026-03-01", "dueDate": "2026-03-31", "paymentTermsDays": "30",
    ...      "openAmount": "12000.00", "totalOverdue": "9500.00", "bundled": True},
    ...     "2026-06-01", "de")
    >>> r.valid
    False
    >>> print(r.fields["totalOverdue"][0]["message"])
    Die Gesamtsumme aller überfälligen Forderungen, 9.500,00 EUR, kann nicht kleiner sein als der offene Betrag der ältesten Rechnung, 12.000,00 EUR.
    >>> r.fields["dueDate"][0]["code"], r.fields["dueDate"][0]["severity"]
    ('overdue_form_report_late', 'warning')
    """
    return FormReport._from_dict(
        _delcredere.validate_overdue_report_form(policy, overdue_report, as_of, lang)
    )


def balance_premium(
    policy: Mapping[str, Any],
    reporting_date: _Date,
    buyers: Iterable[Mapping[str, Any]],
) -> Decision:
    """The declarable outstanding balance on the reporting day, capped per buyer at its limit,
    without VAT, and its premium (PRM-6)."""
    return Decision._from_dict(_delcredere.balance_premium(policy, reporting_date, buyers))


def account_state(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    events: Iterable[Any],
    as_of: _Date,
) -> Decision:
    """The state of one buyer's account on ``as_of`` replayed from its ``events`` (ACC): outstanding,
    covered and uncovered exposure, overdues, exclusion, insured event.

    ``events`` is a list of event dicts (``{"type": "invoiceIssued", "id": ..., "date": ...}``,
    spec/account.md) or a pandas or polars DataFrame with one row per event and one column per
    event field, a null cell for an absent field. In a DataFrame, ``amount`` and
    ``requestedAmount`` hold a ``Decimal`` or a decimal string in the policy's currency (or the
    row's ``currency`` column), dates are ``datetime.date`` or strings, and a float amount is
    refused; a bad cell raises :class:`InputError` naming its row and column
    (``events[3].amount``).

    >>> import pandas as pd
    >>> policy = {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
    ...           "agreedCountries": ["FR"], "maxCreditPeriodDays": 120,
    ...           "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
    ...           "indemnityPercentage": "90",
    ...           "maximumLiability": {"amount": "2000000", "currency": "EUR"},
    ...           "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}
    >>> buyer = {"legalName": "Dupont Industrie SAS", "legalForm": "SAS",
    ...          "registrationNumber": "RCS Lyon 123 456 789", "country": "FR", "entityKind": "company"}
    >>> events = pd.DataFrame([
    ...     {"type": "limitApplied", "id": "a1", "date": date(2026, 1, 10),
    ...      "requestedAmount": Decimal("40000"), "paymentTermsDays": 60},
    ...     {"type": "limitGranted", "id": "a2", "date": date(2026, 1, 15), "amount": Decimal("40000")},
    ...     {"type": "invoiceIssued", "id": "i1", "date": date(2026, 2, 1), "reference": "F-1",
    ...      "amount": Decimal("20000"), "paymentTermsDays": 30},
    ...     {"type": "paymentReceived", "id": "p1", "date": date(2026, 3, 31), "amount": "5000"},
    ... ])
    >>> d = account_state(policy, buyer, events, date(2026, 4, 1))
    >>> d.outcome, d.amounts["outstanding"]["amount"], d.amounts["coveredExposure"]["amount"]
    ('covered', Decimal('15000.00'), Decimal('15000.00'))
    >>> events.loc[3, "amount"] = 5000.0
    >>> account_state(policy, buyer, events, date(2026, 4, 1))
    Traceback (most recent call last):
    ...
    delcredere._errors.InputError: events[3].amount: a float (5000.0) is not an amount: give a Decimal or a string (row 3, column 'amount')
    """
    events = _events_from(events, "events", _currency_of(policy))
    return Decision._from_dict(_delcredere.account_state(policy, buyer, events, as_of))


def obligations(
    policy: Mapping[str, Any],
    accounts: Iterable[Any],
    as_of: _Date,
    lang: Optional[str] = None,
) -> Decision:
    """The obligations worklist of one or more accounts on ``as_of`` (ACC), sorted by due date,
    with messages in ``lang`` when given. Each account is ``{"buyer": ..., "events": ...}``,
    its events a list of dicts or a DataFrame as for :func:`account_state` (errors name
    ``accounts[i].events[row].column``)."""
    currency = _currency_of(policy)
    accounts = [
        {**a, "events": _events_from(a["events"], f"accounts[{i}].events", currency)}
        if isinstance(a, Mapping) and "events" in a
        else a
        for i, a in enumerate(accounts)
    ]
    return Decision._from_dict(_delcredere.obligations(policy, accounts, as_of, lang))


def _currency_of(policy: Any) -> Optional[str]:
    try:
        code = policy["currency"]
    except (KeyError, TypeError, IndexError):
        return None
    return code if isinstance(code, str) else None


def insured_event(
    policy: Mapping[str, Any],
    as_of: _Date,
    invoices: Optional[Iterable[Any]] = None,
    insolvency_opened_on: Optional[_Date] = None,
    overdue_reported_on: Optional[_Date] = None,
) -> Decision:
    """Which insured event occurred (insolvency or protracted default), when, the claim filing
    deadline and the duties that run (CLM-1, CLM-2, CLM-7)."""
    return Decision._from_dict(_delcredere.insured_event(policy, as_of, invoices, insolvency_opened_on, overdue_reported_on))


def check_claim_file(
    policy: Mapping[str, Any],
    oldest_open_receivable_date: _Date,
    as_of: _Date,
    invoices_provided: Optional[bool] = None,
    open_items_list_provided: Optional[bool] = None,
    trading_history: Optional[Mapping[str, Any]] = None,
    requested_documents: Optional[Iterable[Any]] = None,
    collection_wanted: Optional[bool] = None,
    insured_event_date: Optional[_Date] = None,
    complete_on: Optional[_Date] = None,
    lang: Optional[str] = None,
) -> Decision:
    """What a claim file has and lacks, the trading-history window and, when complete, the
    indemnity payment date (CLM-3, CLM-4)."""
    return Decision._from_dict(_delcredere.check_claim_file(policy, oldest_open_receivable_date, as_of, invoices_provided, open_items_list_provided, trading_history, requested_documents, collection_wanted, insured_event_date, complete_on, lang))


def indemnity(
    policy: Mapping[str, Any],
    receivables: Iterable[Any],
    insured_event_date: _Date,
    as_of: _Date,
    limit_events: Optional[Iterable[Any]] = None,
    payments: Optional[Iterable[Any]] = None,
    credit_notes: Optional[Iterable[Any]] = None,
    set_offs: Optional[Iterable[Any]] = None,
    prior_indemnities: Optional[Iterable[Any]] = None,
    overdue: Optional[Mapping[str, Any]] = None,
) -> Decision:
    """The indemnity with its breakdown, every line with its rule and figures (CLM-5, CLM-6)."""
    return Decision._from_dict(_delcredere.indemnity(policy, receivables, insured_event_date, as_of, limit_events, payments, credit_notes, set_offs, prior_indemnities, overdue))


def recovery(
    policy: Mapping[str, Any],
    claim_filed_on: _Date,
    open_items: Iterable[Any],
    as_of: _Date,
    indemnity: Optional[Mapping[str, Any]] = None,
    recoveries: Optional[Iterable[Any]] = None,
) -> Decision:
    """Recoveries after the claim allocated to invoices and shared between insurer and insured
    (CLM-6)."""
    return Decision._from_dict(_delcredere.recovery(policy, claim_filed_on, open_items, as_of, indemnity, recoveries))


def collection_handover(
    policy: Mapping[str, Any],
    as_of: _Date,
    reminder_sent_on: Optional[_Date] = None,
    formal_notice_sent_on: Optional[_Date] = None,
    collection_warning_sent_on: Optional[_Date] = None,
    reported_on: Optional[_Date] = None,
) -> Decision:
    """Whether the file can be handed to the insurer's collection service on ``as_of`` (COL-1),
    by the policy's ``collectionStart``: ``afterReminderAndNotice`` reads the reminder, formal
    notice and warning dates; ``atOnce`` needs none and starts from ``reported_on`` (else ``as_of``)."""
    return Decision._from_dict(
        _delcredere.collection_handover(policy, as_of, reminder_sent_on, formal_notice_sent_on, collection_warning_sent_on, reported_on)
    )


def check_collection_file(
    buyer: Optional[Mapping[str, Any]] = None,
    invoices: Optional[bool] = None,
    purchase_orders: Optional[bool] = None,
    delivery_notes: Optional[bool] = None,
    account_statement_date: Optional[_Date] = None,
    last_settlement_date: Optional[_Date] = None,
    terms_or_contract: Optional[bool] = None,
    special_context: Optional[bool] = None,
    correspondence: Optional[bool] = None,
    payments_and_credit_notes: Optional[bool] = None,
    lang: Optional[str] = None,
) -> Decision:
    """What an international collection file has and lacks (COL-2)."""
    return Decision._from_dict(_delcredere.check_collection_file(buyer, invoices, purchase_orders, delivery_notes, account_statement_date, last_settlement_date, terms_or_contract, special_context, correspondence, payments_and_credit_notes, lang))


def collection_contact_schedule(
    policy: Mapping[str, Any],
    opened_on: _Date,
    first_export_file: Optional[bool] = None,
    special_context_on: Optional[_Date] = None,
    legal_action_considered_on: Optional[_Date] = None,
    closed_on: Optional[_Date] = None,
) -> Decision:
    """The dates the insurer contacts the insured about a collection file (COL-3)."""
    return Decision._from_dict(_delcredere.collection_contact_schedule(policy, opened_on, first_export_file, special_context_on, legal_action_considered_on, closed_on))


def dispute_collection(
    policy: Mapping[str, Any],
    invoices: Iterable[Any],
    legal_action: Optional[Mapping[str, Any]] = None,
    lang: Optional[str] = None,
    settlement_proposal: Optional[Mapping[str, Any]] = None,
) -> Decision:
    """The undisputed part of a disputed debt, collected first, and the legal-action checklist
    (COL-4); a ``settlement_proposal`` (``{"agreementDate": ..., "instalmentPlan": ...,
    "writtenConsent": ...}``) adds the insurer's consent needed before it is concluded (OVD-7,
    OVD-8)."""
    return Decision._from_dict(
        _delcredere.dispute_collection(policy, invoices, legal_action, lang, settlement_proposal)
    )


def check_pre_export(
    signed_contract: Optional[bool] = None,
    written_order: Optional[bool] = None,
    buyer_identity_verified: Optional[bool] = None,
    proof_of_delivery_signed: Optional[bool] = None,
    proof_of_delivery_stamped: Optional[bool] = None,
    retention_of_title_clause: Optional[bool] = None,
    jurisdiction_or_arbitration_clause: Optional[bool] = None,
    governing_law_clause: Optional[bool] = None,
    penalty_clause: Optional[bool] = None,
    lang: Optional[str] = None,
) -> Decision:
    """The good-practice checklist before exporting (COL-5)."""
    return Decision._from_dict(_delcredere.check_pre_export(signed_contract, written_order, buyer_identity_verified, proof_of_delivery_signed, proof_of_delivery_stamped, retention_of_title_clause, jurisdiction_or_arbitration_clause, governing_law_clause, penalty_clause, lang))


from ._engine import CoverFigures, Engine, install as _install_engine  # noqa: E402 (needs Decision)

_ENGINE_METHODS = _install_engine(Decision._from_dict)
