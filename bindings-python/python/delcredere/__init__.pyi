from datetime import date
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, ItemsView, KeysView, List, Mapping, Optional, Tuple, TypedDict, Union, ValuesView

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

class Policy(Mapping[str, Any]):
    def __init__(self, terms: Mapping[str, Any]) -> None: ...
    @classmethod
    def from_json(cls, text: str) -> Policy: ...
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def get(self, key, default=None): ...
    def items(self) -> ItemsView[str, Any]: ...
    def keys(self) -> KeysView[str]: ...
    def values(self) -> ValuesView[Any]: ...
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
def peak_outstanding(
    deliveries: Iterable[Mapping[str, Any]],
    day_count: Optional[str] = None,
    end_of_month_convention: Optional[str] = None,
) -> Decision: ...
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
    balance_reports: Optional[Iterable[Mapping[str, Any]]] = None,
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
def validate_claim_file_form(
    claim_file: Mapping[str, Any], as_of: Union[date, str], lang: str
) -> FormReport: ...
def validate_collection_file_form(collection_file: Mapping[str, Any], lang: str) -> FormReport: ...
def validate_overdue_report_form(
    policy: Mapping[str, Any], overdue_report: Mapping[str, Any], as_of: Union[date, str], lang: str
) -> FormReport: ...
def balance_premium(
    policy: Mapping[str, Any],
    reporting_date: Union[date, str],
    buyers: Iterable[Mapping[str, Any]],
) -> Decision: ...

def account_state(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    events: Iterable[Any],
    as_of: Union[date, str],
) -> Decision: ...
def obligations(
    policy: Mapping[str, Any],
    accounts: Iterable[Any],
    as_of: Union[date, str],
    lang: Optional[str] = None,
) -> Decision: ...
def insured_event(
    policy: Mapping[str, Any],
    as_of: Union[date, str],
    invoices: Optional[Iterable[Any]] = None,
    insolvency_opened_on: Optional[Union[date, str]] = None,
    overdue_reported_on: Optional[Union[date, str]] = None,
) -> Decision: ...
def check_claim_file(
    policy: Mapping[str, Any],
    oldest_open_receivable_date: Union[date, str],
    as_of: Union[date, str],
    invoices_provided: Optional[bool] = None,
    open_items_list_provided: Optional[bool] = None,
    trading_history: Optional[Mapping[str, Any]] = None,
    requested_documents: Optional[Iterable[Any]] = None,
    collection_wanted: Optional[bool] = None,
    insured_event_date: Optional[Union[date, str]] = None,
    complete_on: Optional[Union[date, str]] = None,
    lang: Optional[str] = None,
) -> Decision: ...
def indemnity(
    policy: Mapping[str, Any],
    receivables: Iterable[Any],
    insured_event_date: Union[date, str],
    as_of: Union[date, str],
    limit_events: Optional[Iterable[Any]] = None,
    payments: Optional[Iterable[Any]] = None,
    credit_notes: Optional[Iterable[Any]] = None,
    set_offs: Optional[Iterable[Any]] = None,
    prior_indemnities: Optional[Iterable[Any]] = None,
    overdue: Optional[Mapping[str, Any]] = None,
) -> Decision: ...
def recovery(
    policy: Mapping[str, Any],
    claim_filed_on: Union[date, str],
    open_items: Iterable[Any],
    as_of: Union[date, str],
    indemnity: Optional[Mapping[str, Any]] = None,
    recoveries: Optional[Iterable[Any]] = None,
) -> Decision: ...
def collection_handover(
    policy: Mapping[str, Any],
    as_of: Union[date, str],
    reminder_sent_on: Optional[Union[date, str]] = None,
    formal_notice_sent_on: Optional[Union[date, str]] = None,
    collection_warning_sent_on: Optional[Union[date, str]] = None,
    reported_on: Optional[Union[date, str]] = None,
) -> Decision: ...
def check_collection_file(
    buyer: Optional[Mapping[str, Any]] = None,
    invoices: Optional[bool] = None,
    purchase_orders: Optional[bool] = None,
    delivery_notes: Optional[bool] = None,
    account_statement_date: Optional[Union[date, str]] = None,
    last_settlement_date: Optional[Union[date, str]] = None,
    terms_or_contract: Optional[bool] = None,
    special_context: Optional[bool] = None,
    correspondence: Optional[bool] = None,
    payments_and_credit_notes: Optional[bool] = None,
    lang: Optional[str] = None,
) -> Decision: ...
def collection_contact_schedule(
    policy: Mapping[str, Any],
    opened_on: Union[date, str],
    first_export_file: Optional[bool] = None,
    special_context_on: Optional[Union[date, str]] = None,
    legal_action_considered_on: Optional[Union[date, str]] = None,
    closed_on: Optional[Union[date, str]] = None,
) -> Decision: ...
def dispute_collection(
    policy: Mapping[str, Any],
    invoices: Iterable[Any],
    legal_action: Optional[Mapping[str, Any]] = None,
    lang: Optional[str] = None,
    settlement_proposal: Optional[Mapping[str, Any]] = None,
) -> Decision: ...
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
) -> Decision: ...

def cover_batch(
    ledger: Any,
    policy: Mapping[str, Any],
    buyers: Mapping[Any, Mapping[str, Any]],
    as_of: Union[date, str],
    *,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any: ...
def exposure_batch(
    ledger: Any,
    policy: Mapping[str, Any],
    buyers: Mapping[Any, Mapping[str, Any]],
    as_of: Union[date, str],
    *,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: str = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any: ...
