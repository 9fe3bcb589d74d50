from typing import Any, Dict, Mapping, Optional, Tuple

__version__: str
OPS: Tuple[str, ...]

def call(op: str, input: Mapping[str, Any]) -> Any: ...
def validate_policy(policy: Mapping[str, Any]) -> Dict[str, Any]: ...
def check_insurability(
    policy: Mapping[str, Any], buyer: Mapping[str, Any], receivable: Mapping[str, Any]
) -> Dict[str, Any]: ...
def explain(decision: Mapping[str, Any], lang: Any) -> Dict[str, Any]: ...
def decision_from_dict(decision: Mapping[str, Any]) -> Dict[str, Any]: ...
def check_delivery_cover(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    outstanding: Mapping[str, Any],
    delivery: Mapping[str, Any],
    as_of: Any,
    limit_events: Optional[Any] = None,
    self_assessment: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]: ...
def limit_state(policy: Mapping[str, Any], events: Any, as_of: Any) -> Dict[str, Any]: ...
def check_limit_application(policy: Mapping[str, Any], application: Mapping[str, Any]) -> Dict[str, Any]: ...
def assess_discretionary(
    policy: Mapping[str, Any],
    needed_amount: Mapping[str, Any],
    as_of: Any,
    outstanding: Optional[Mapping[str, Any]] = None,
    evidence: Optional[Mapping[str, Any]] = None,
    limit_events: Optional[Any] = None,
) -> Dict[str, Any]: ...
def peak_outstanding(deliveries: Any, day_count: Optional[str] = None) -> Dict[str, Any]: ...
def average_outstanding(
    payment_terms_days: int,
    *,
    annual_sales: Optional[Mapping[str, Any]] = None,
    monthly_sales: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]: ...
def intake_order(order: Mapping[str, Any]) -> Dict[str, Any]: ...
def check_water_damage(claim: Mapping[str, Any]) -> Dict[str, Any]: ...
def follow_up_remote_assessment(follow_up: Mapping[str, Any], as_of: Any) -> Dict[str, Any]: ...
def check_expertise(claim: Mapping[str, Any]) -> Dict[str, Any]: ...
def overdue_report(
    policy: Any,
    invoices: Any,
    as_of: Any,
    cover_kind: Optional[Any] = None,
    extra_reporting_dates: Optional[Any] = None,
    reported_on: Optional[Any] = None,
    continued_cover_confirmed: Optional[Any] = None,
    negative_information_remains: Optional[Any] = None,
) -> Dict[str, Any]: ...
def notification_duty(
    event: Any,
    cover_kind: Any,
    date: Any,
    instalment_plan: Optional[Any] = None,
    written_consent: Optional[Any] = None,
) -> Dict[str, Any]: ...
def turnover_premium(
    policy: Any,
    declared_turnover: Optional[Any] = None,
) -> Dict[str, Any]: ...
def declaration_status(
    policy: Any,
    as_of: Any,
    declared_on: Optional[Any] = None,
) -> Dict[str, Any]: ...
def validate_turnover_declaration(
    policy: Any,
    declaration: Any,
    context: Optional[Any] = None,
    lang: Optional[Any] = None,
) -> Dict[str, Any]: ...
def validate_limit_application(policy: Any, application: Any, lang: Any) -> Dict[str, Any]: ...
def validate_turnover_declaration_form(
    policy: Any,
    declaration: Any,
    lang: Any,
    context: Optional[Any] = None,
) -> Dict[str, Any]: ...
def balance_premium(
    policy: Any,
    reporting_date: Any,
    buyers: Any,
) -> Dict[str, Any]: ...
