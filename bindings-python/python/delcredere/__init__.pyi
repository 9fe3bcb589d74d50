from datetime import date
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, TypedDict, Union

__version__: str
OPS: Tuple[str, ...]

class MoneyDict(TypedDict):
    amount: Decimal
    currency: str

class ProblemDict(TypedDict):
    code: str
    field: str
    message: str

Param = Union[int, Decimal, str]

class DelcredereError(Exception):
    message: str
    code: str
    field: str
    problems: List[ProblemDict]
    def __init__(
        self,
        message: str,
        code: str = "internal",
        field: str = "",
        problems: Optional[List[ProblemDict]] = None,
    ) -> None: ...

class PolicyError(DelcredereError): ...
class InputError(DelcredereError): ...
class InternalError(DelcredereError): ...

class Reason:
    code: str
    rule: str
    params: Dict[str, Param]
    def __init__(self, code: str, rule: str, params: Optional[Mapping[str, Param]] = None) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Decision:
    outcome: str
    amounts: Dict[str, MoneyDict]
    reasons: List[Reason]
    details: Optional[Dict[str, Any]]
    def __init__(
        self,
        outcome: str,
        amounts: Optional[Mapping[str, Mapping[str, Any]]] = None,
        reasons: Iterable[Reason] = (),
        details: Optional[Mapping[str, Any]] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def explain(self, lang: str = "en") -> Explanation: ...

class Message:
    code: str
    rule: str
    text: str
    def __init__(self, code: str, rule: str, text: str) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Explanation:
    lang: str
    summary: str
    messages: List[Message]
    def __init__(self, lang: str, summary: str, messages: Iterable[Message] = ()) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class PolicyReport:
    valid: bool
    problems: List[ProblemDict]
    def __init__(self, valid: bool, problems: Iterable[Mapping[str, str]] = ()) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class FieldMessageDict(TypedDict):
    code: str
    severity: str
    message: str

class FormReport:
    valid: bool
    fields: Dict[str, List[FieldMessageDict]]
    def __init__(self, valid: bool, fields: Mapping[str, Iterable[Mapping[str, str]]] = {}) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

def call(op: str, input: Mapping[str, Any]) -> Any: ...
def validate_policy(policy: Mapping[str, Any]) -> PolicyReport: ...
def check_insurability(
    policy: Mapping[str, Any], buyer: Mapping[str, Any], receivable: Mapping[str, Any]
) -> Decision: ...
def explain(decision: Union[Decision, Mapping[str, Any]], lang: str = "en") -> Explanation: ...
def check_delivery_cover(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    outstanding: Mapping[str, Any],
    delivery: Mapping[str, Any],
    as_of: Union[date, str],
    limit_events: Iterable[Mapping[str, Any]] = (),
    self_assessment: Optional[Mapping[str, Any]] = None,
) -> Decision: ...
def limit_state(
    policy: Mapping[str, Any], events: Iterable[Mapping[str, Any]], as_of: Union[date, str]
) -> Decision: ...
def check_limit_application(policy: Mapping[str, Any], application: Mapping[str, Any]) -> Decision: ...
def assess_discretionary(
    policy: Mapping[str, Any],
    needed_amount: Mapping[str, Any],
    as_of: Union[date, str],
    outstanding: Optional[Mapping[str, Any]] = None,
    evidence: Optional[Mapping[str, Any]] = None,
    limit_events: Iterable[Mapping[str, Any]] = (),
) -> Decision: ...
def peak_outstanding(deliveries: Iterable[Mapping[str, Any]], day_count: Optional[str] = None) -> Decision: ...
def average_outstanding(
    payment_terms_days: int,
    *,
    annual_sales: Optional[Mapping[str, Any]] = None,
    monthly_sales: Optional[Mapping[str, Any]] = None,
) -> Decision: ...
def intake_order(order: Mapping[str, Any]) -> Decision: ...
def check_water_damage(claim: Mapping[str, Any]) -> Decision: ...
def follow_up_remote_assessment(follow_up: Mapping[str, Any], as_of: Union[date, str]) -> Decision: ...
def check_expertise(claim: Mapping[str, Any]) -> Decision: ...
def overdue_report(
    policy: Mapping[str, Any],
    invoices: Iterable[Mapping[str, Any]],
    as_of: Union[date, str],
    cover_kind: Optional[str] = None,
    extra_reporting_dates: Optional[Iterable[Union[date, str]]] = None,
    reported_on: Optional[Union[date, str]] = None,
    continued_cover_confirmed: Optional[bool] = None,
    negative_information_remains: Optional[bool] = None,
) -> Decision: ...
def notification_duty(
    event: str,
    cover_kind: str,
    date: Union[date, str],
    instalment_plan: Optional[bool] = None,
    written_consent: Optional[bool] = None,
) -> Decision: ...
def turnover_premium(
    policy: Mapping[str, Any],
    declared_turnover: Optional[Mapping[str, Any]] = None,
) -> Decision: ...
def declaration_status(
    policy: Mapping[str, Any],
    as_of: Union[date, str],
    declared_on: Optional[Union[date, str]] = None,
) -> Decision: ...
def validate_turnover_declaration(
    policy: Mapping[str, Any],
    declaration: Mapping[str, Any],
    context: Optional[Mapping[str, Any]] = None,
    lang: Optional[str] = None,
) -> Decision: ...
def validate_limit_application(
    policy: Mapping[str, Any], application: Mapping[str, Any], lang: str
) -> FormReport: ...
def validate_turnover_declaration_form(
    policy: Mapping[str, Any],
    declaration: Mapping[str, Any],
    lang: str,
    context: Optional[Mapping[str, Any]] = None,
) -> FormReport: ...
def balance_premium(
    policy: Mapping[str, Any],
    reporting_date: Union[date, str],
    buyers: Iterable[Mapping[str, Any]],
) -> Decision: ...
