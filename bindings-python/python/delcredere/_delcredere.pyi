from datetime import date
from decimal import Decimal
from typing import Any, Dict, ItemsView, Iterator, KeysView, List, Mapping, Optional, Tuple, Union, ValuesView

__version__: str
OPS: Tuple[str, ...]
SAMPLE_POLICIES_JSON: Dict[str, str]

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
    overdue: Optional[Mapping[str, Any]] = None,
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
def peak_outstanding(
    deliveries: Any, day_count: Optional[str] = None, end_of_month_convention: Optional[str] = None
) -> Dict[str, Any]: ...
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
    balance_reports: Optional[Any] = None,
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
def validate_claim_file_form(claim_file: Any, as_of: Any, lang: Any) -> Dict[str, Any]: ...
def validate_collection_file_form(collection_file: Any, lang: Any) -> Dict[str, Any]: ...
def validate_overdue_report_form(policy: Any, overdue_report: Any, as_of: Any, lang: Any) -> Dict[str, Any]: ...
def balance_premium(
    policy: Any,
    reporting_date: Any,
    buyers: Any,
) -> Dict[str, Any]: ...

def account_state(
    policy: Any,
    buyer: Any,
    events: Any,
    as_of: Any,
) -> Dict[str, Any]: ...
def obligations(
    policy: Any,
    accounts: Any,
    as_of: Any,
    lang: Optional[Any] = None,
) -> Dict[str, Any]: ...
def insured_event(
    policy: Any,
    as_of: Any,
    invoices: Optional[Any] = None,
    insolvency_opened_on: Optional[Any] = None,
    overdue_reported_on: Optional[Any] = None,
) -> Dict[str, Any]: ...
def check_claim_file(
    policy: Any,
    oldest_open_receivable_date: Any,
    as_of: Any,
    invoices_provided: Optional[Any] = None,
    open_items_list_provided: Optional[Any] = None,
    trading_history: Optional[Any] = None,
    requested_documents: Optional[Any] = None,
    collection_wanted: Optional[Any] = None,
    insured_event_date: Optional[Any] = None,
    complete_on: Optional[Any] = None,
    lang: Optional[Any] = None,
) -> Dict[str, Any]: ...
def indemnity(
    policy: Any,
    receivables: Any,
    insured_event_date: Any,
    as_of: Any,
    limit_events: Optional[Any] = None,
    payments: Optional[Any] = None,
    credit_notes: Optional[Any] = None,
    set_offs: Optional[Any] = None,
    prior_indemnities: Optional[Any] = None,
    overdue: Optional[Any] = None,
) -> Dict[str, Any]: ...
def recovery(
    policy: Any,
    claim_filed_on: Any,
    open_items: Any,
    as_of: Any,
    indemnity: Optional[Any] = None,
    recoveries: Optional[Any] = None,
) -> Dict[str, Any]: ...
def collection_handover(
    policy: Any,
    as_of: Any,
    reminder_sent_on: Optional[Any] = None,
    formal_notice_sent_on: Optional[Any] = None,
    collection_warning_sent_on: Optional[Any] = None,
    reported_on: Optional[Any] = None,
) -> Dict[str, Any]: ...
def check_collection_file(
    buyer: Optional[Any] = None,
    invoices: Optional[Any] = None,
    purchase_orders: Optional[Any] = None,
    delivery_notes: Optional[Any] = None,
    account_statement_date: Optional[Any] = None,
    last_settlement_date: Optional[Any] = None,
    terms_or_contract: Optional[Any] = None,
    special_context: Optional[Any] = None,
    correspondence: Optional[Any] = None,
    payments_and_credit_notes: Optional[Any] = None,
    lang: Optional[Any] = None,
) -> Dict[str, Any]: ...
def collection_contact_schedule(
    policy: Any,
    opened_on: Any,
    first_export_file: Optional[Any] = None,
    special_context_on: Optional[Any] = None,
    legal_action_considered_on: Optional[Any] = None,
    closed_on: Optional[Any] = None,
) -> Dict[str, Any]: ...
def dispute_collection(
    policy: Any,
    invoices: Any,
    legal_action: Optional[Any] = None,
    lang: Optional[Any] = None,
    settlement_proposal: Optional[Any] = None,
) -> Dict[str, Any]: ...
def check_pre_export(
    signed_contract: Optional[Any] = None,
    written_order: Optional[Any] = None,
    buyer_identity_verified: Optional[Any] = None,
    proof_of_delivery_signed: Optional[Any] = None,
    proof_of_delivery_stamped: Optional[Any] = None,
    retention_of_title_clause: Optional[Any] = None,
    jurisdiction_or_arbitration_clause: Optional[Any] = None,
    governing_law_clause: Optional[Any] = None,
    penalty_clause: Optional[Any] = None,
    lang: Optional[Any] = None,
) -> Dict[str, Any]: ...
def cover_batch(ledger: Any, setup: Mapping[str, Any], buyer_ids: List[Any], errors: str, threads: Optional[int] = ...) -> Any: ...
def exposure_batch(ledger: Any, setup: Mapping[str, Any], buyer_ids: List[Any], errors: str, threads: Optional[int] = ...) -> Any: ...
def cover_batch_engine(ledger: Any, engine: "Engine", as_of: Union[date, str], errors: str, threads: Optional[int] = ...) -> Any: ...
def exposure_batch_engine(ledger: Any, engine: "Engine", as_of: Union[date, str], errors: str, threads: Optional[int] = ...) -> Any: ...

def engine_route(op: str, input: Mapping[str, Any]) -> Optional[Dict[str, Any]]: ...
def decimals_from_objects(values: List[Any], scale: int, column: str) -> Optional[Tuple[Any, bool]]: ...
def decimal_objects(array: Any, originals: Optional[List[Any]] = ..., original_units: Optional[Any] = ...) -> List[Any]: ...

ENGINE_METHODS: Tuple[Tuple[str, bool, Tuple[Tuple[str, str, bool], ...], str, str, str], ...]

class CoverFigures(Mapping[str, Any]):
    """The answer of ``Engine.cover_figures``; reads as method ``cover_figures``'s dict."""
    covered: Decimal
    uncovered: Decimal
    currency: str
    cover_type: str
    limit: Optional[Decimal]
    excluded_by_overdue: bool
    def __init__(
        self,
        covered: Decimal,
        uncovered: Decimal,
        currency: str,
        cover_type: str,
        limit: Optional[Decimal] = None,
        excluded_by_overdue: bool = False,
    ) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def get(self, key: str, default: Any = None) -> Any: ...
    def keys(self) -> KeysView[str]: ...
    def values(self) -> ValuesView[Any]: ...
    def items(self) -> ItemsView[str, Any]: ...
    def __getitem__(self, key: str, /) -> Any: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

class Engine:
    def __init__(
        self,
        policy: Optional[Mapping[str, Any]] = None,
        *,
        setup: Optional[Mapping[str, Any]] = None,
        snapshot: Optional[Union[str, bytes]] = None,
    ) -> None: ...
    def call(self, method: str, input: Mapping[str, Any]) -> Any: ...
    def cover_figures(self, buyer: Union[str, int], delivery: Mapping[str, Any], as_of: Any) -> CoverFigures: ...
    def buyer_id(self, key: str) -> Optional[int]: ...
    def snapshot(self) -> str: ...
    def to_bytes(self) -> bytes: ...
    def __len__(self) -> int: ...
