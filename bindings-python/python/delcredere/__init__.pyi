from datetime import date
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, ItemsView, KeysView, List, Literal, Mapping, Optional, Tuple, TypedDict, Union, ValuesView, overload

from . import _delcredere
from . import inputs as _inputs
from .types import Language, Outcome

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

class PolicyError(DelcredereError, ValueError): ...
class InputError(DelcredereError, ValueError): ...
class InternalError(DelcredereError): ...

class Reason:
    code: str
    rule: str
    params: Dict[str, Param]
    def __init__(self, code: str, rule: str, params: Optional[Mapping[str, Param]] = None) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Decision:
    outcome: Outcome
    amounts: Dict[str, MoneyDict]
    reasons: List[Reason]
    details: Optional[Dict[str, Any]]
    def __init__(
        self,
        outcome: Outcome,
        amounts: Optional[Mapping[str, Mapping[str, Any]]] = None,
        reasons: Iterable[Reason] = (),
        details: Optional[Mapping[str, Any]] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def explain(self, lang: Language = "en") -> Explanation: ...
    def plot(self, ax: Any = None, limit: Optional[Union[Decimal, Mapping[str, Any]]] = None) -> Any: ...
    def _repr_html_(self) -> str: ...

class Message:
    code: str
    rule: str
    text: str
    def __init__(self, code: str, rule: str, text: str) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Explanation:
    lang: Language
    summary: str
    messages: List[Message]
    def __init__(self, lang: Language, summary: str, messages: Iterable[Message] = ()) -> None: ...
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
    def get(self, key: str, default: Any = None) -> Any: ...
    def items(self) -> ItemsView[str, Any]: ...
    def keys(self) -> KeysView[str]: ...
    def values(self) -> ValuesView[Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

# `call` is typed per op: the op's name picks its input TypedDict (delcredere.inputs).
@overload
def call(op: Literal["account_state"], input: _inputs.AccountStateInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["assess_discretionary"], input: _inputs.AssessDiscretionaryInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["average_outstanding"], input: _inputs.AverageOutstandingInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["balance_premium"], input: _inputs.BalancePremiumInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_claim_file"], input: _inputs.CheckClaimFileInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_collection_file"], input: _inputs.CheckCollectionFileInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_delivery_cover"], input: _inputs.CheckDeliveryCoverInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_expertise"], input: _inputs.CheckExpertiseInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_insurability"], input: _inputs.CheckInsurabilityInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_limit_application"], input: _inputs.CheckLimitApplicationInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_pre_export"], input: _inputs.CheckPreExportInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["check_water_damage"], input: _inputs.CheckWaterDamageInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["collection_contact_schedule"], input: _inputs.CollectionContactScheduleInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["collection_handover"], input: _inputs.CollectionHandoverInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["declaration_status"], input: _inputs.DeclarationStatusInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["dispute_collection"], input: _inputs.DisputeCollectionInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["explain"], input: _inputs.ExplainInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["follow_up_remote_assessment"], input: _inputs.FollowUpRemoteAssessmentInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["indemnity"], input: _inputs.IndemnityInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["insured_event"], input: _inputs.InsuredEventInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["intake_order"], input: _inputs.IntakeOrderInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["limit_state"], input: _inputs.LimitStateInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["notification_duty"], input: _inputs.NotificationDutyInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["obligations"], input: _inputs.ObligationsInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["overdue_report"], input: _inputs.OverdueReportInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["peak_outstanding"], input: _inputs.PeakOutstandingInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["recovery"], input: _inputs.RecoveryInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["turnover_premium"], input: _inputs.TurnoverPremiumInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_claim_file_form"], input: _inputs.ValidateClaimFileFormInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_collection_file_form"], input: _inputs.ValidateCollectionFileFormInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_limit_application"], input: _inputs.ValidateLimitApplicationInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_overdue_report_form"], input: _inputs.ValidateOverdueReportFormInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_policy"], input: _inputs.ValidatePolicyInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_turnover_declaration"], input: _inputs.ValidateTurnoverDeclarationInput) -> Dict[str, Any]: ...
@overload
def call(op: Literal["validate_turnover_declaration_form"], input: _inputs.ValidateTurnoverDeclarationInput) -> Dict[str, Any]: ...
def validate_policy(policy: Mapping[str, Any]) -> PolicyReport: ...
def check_insurability(
    policy: Mapping[str, Any], buyer: Mapping[str, Any], receivable: Mapping[str, Any]
) -> Decision: ...
def explain(decision: Union[Decision, Mapping[str, Any]], lang: Language = "en") -> Explanation: ...
def check_delivery_cover(
    policy: Mapping[str, Any],
    buyer: Mapping[str, Any],
    outstanding: Mapping[str, Any],
    delivery: Mapping[str, Any],
    as_of: Union[date, str],
    limit_events: Iterable[Mapping[str, Any]] = (),
    self_assessment: Optional[Mapping[str, Any]] = None,
    overdue: Optional[Mapping[str, Any]] = None,
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
    lang: Optional[Language] = None,
) -> Decision: ...
def validate_limit_application(
    policy: Mapping[str, Any], application: Mapping[str, Any], lang: Language
) -> FormReport: ...
def validate_turnover_declaration_form(
    policy: Mapping[str, Any],
    declaration: Mapping[str, Any],
    lang: Language,
    context: Optional[Mapping[str, Any]] = None,
) -> FormReport: ...
def validate_claim_file_form(
    claim_file: Mapping[str, Any], as_of: Union[date, str], lang: Language
) -> FormReport: ...
def validate_collection_file_form(collection_file: Mapping[str, Any], lang: Language) -> FormReport: ...
def validate_overdue_report_form(
    policy: Mapping[str, Any], overdue_report: Mapping[str, Any], as_of: Union[date, str], lang: Language
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
    lang: Optional[Language] = None,
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
    lang: Optional[Language] = None,
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
    lang: Optional[Language] = None,
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
    lang: Optional[Language] = None,
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
    lang: Optional[Language] = None,
) -> Decision: ...

def cover_batch(
    ledger: Any,
    policy: Optional[Mapping[str, Any]] = None,
    buyers: Optional[Mapping[Any, Mapping[str, Any]]] = None,
    as_of: Union[date, str, None] = None,
    *,
    engine: Optional["Engine"] = None,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: Literal["raise", "column"] = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any: ...
def exposure_batch(
    ledger: Any,
    policy: Optional[Mapping[str, Any]] = None,
    buyers: Optional[Mapping[Any, Mapping[str, Any]]] = None,
    as_of: Union[date, str, None] = None,
    *,
    engine: Optional["Engine"] = None,
    buyer: str = "buyer",
    amount: str = "amount",
    date: str = "date",
    terms_days: str = "terms_days",
    end_of_month: Optional[str] = None,
    paid_on: Optional[str] = None,
    errors: Literal["raise", "column"] = "raise",
    amount_scale: Optional[int] = None,
    threads: Optional[int] = None,
) -> Any: ...

CoverFigures = _delcredere.CoverFigures

class Engine(_delcredere.Engine):
    """A policy and its buyers' accounts held between calls (spec/engine.md); its methods are
    the core's table of engine methods (``_delcredere.ENGINE_METHODS``)."""
    @classmethod
    def load(cls, setup: Mapping[str, Any]) -> "Engine": ...
    @classmethod
    def restore(cls, snapshot: str) -> "Engine": ...
    @classmethod
    def from_bytes(cls, data: bytes) -> "Engine": ...
    def apply_frame(self, events: Any, buyer: str = "buyer") -> int: ...
    def cover_figures(self, buyer: Union[str, int], delivery: Mapping[str, Any], as_of: Union[date, str]) -> CoverFigures: ...
    def buyer_id(self, key: str) -> Optional[int]: ...
    def add_buyer(self, id: str, buyer: Mapping[str, Any]) -> int: ...
    def apply(self, buyer: str, event: Mapping[str, Any]) -> None: ...
    def apply_all(self, events: Iterable[Mapping[str, Any]]) -> int: ...
    def set_policy(self, policy: Mapping[str, Any]) -> None: ...
    def check_cover(self, buyer: str, delivery: Mapping[str, Any], as_of: Union[date, str]) -> Decision: ...
    def outstanding(self, buyer: str, as_of: Union[date, str]) -> MoneyDict: ...
    def account_state(self, buyer: str, as_of: Union[date, str]) -> Decision: ...
    def limit_state(self, buyer: str, as_of: Union[date, str]) -> Decision: ...
    def buyer_obligations(self, buyer: str, as_of: Union[date, str]) -> List[Dict[str, Any]]: ...
    def obligations(self, as_of: Union[date, str], lang: Optional[str] = None) -> Decision: ...
    def events(self, buyer: str) -> List[Dict[str, Any]]: ...
    def policy(self) -> Dict[str, Any]: ...
    def buyer_keys(self) -> List[str]: ...
    def snapshot(self) -> str: ...
    def to_bytes(self) -> bytes: ...
    def call(self, method: str, input: Mapping[str, Any]) -> Any: ...
