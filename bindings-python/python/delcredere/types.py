"""Literal types of the values the engine takes and returns, for type checkers (mypy, pyright).

The same unions as the TypeScript declarations of the npm package, which are generated from
the core's Rust types: a test of the npm package (bindings-wasm/tests/types.test.mjs) fails
when they differ.
"""

from typing import Literal

__all__ = ["Language", "Outcome"]

#: A language of the message catalogues: ``lang`` of ``explain`` and of the form validators.
Language = Literal["en", "de", "fr", "nl", "da"]

#: Every ``Decision.outcome`` of every op.
Outcome = Literal[
    "insurable", "not_insurable", "insurable_through_head_office", "computed", "covered",
    "partly_covered", "not_covered", "no_limit", "limit_requested", "limit_granted",
    "limit_partly_granted", "limit_refused", "limit_reduced", "limit_withdrawal_pending",
    "limit_withdrawn", "limit_cancelled", "application_ready", "application_flagged",
    "file_opened_automatically", "file_to_open_by_hand", "file_for_insurer_team",
    "order_to_check", "dispatch_allowed", "dispatch_not_allowed", "work_not_covered",
    "awaiting_remote_assessment", "waiting_for_customer", "waiting_for_customer_ended",
    "customer_reached", "handled_within_limit", "returned_to_insurer", "expertise_required",
    "overdue_to_report", "no_overdue_to_report", "notification_required", "consent_required",
    "no_notification_required", "additional_premium_due", "premium_refund_due",
    "premium_unchanged", "no_declaration_needed", "declaration_not_yet_due", "declaration_due",
    "declaration_overdue", "declaration_received", "balance_report_overdue",
    "declaration_valid", "declaration_has_warnings", "declaration_has_errors",
    "obligations_open", "no_obligations", "insured_event_insolvency",
    "insured_event_protracted_default", "no_insured_event", "claim_file_complete",
    "claim_file_incomplete", "indemnity_payable", "no_indemnity", "collection_possible",
    "collection_not_yet_possible", "collection_file_complete", "collection_file_incomplete",
    "pre_export_complete", "pre_export_gaps",
]
