//! Python bindings of `delcredere`: the native module `delcredere._delcredere`.
//!
//! Every function hands its arguments to [`delcredere::ffi::call_source`] and translates: the
//! core reads the Python objects through their own deserializer ([`from_python`]), its output
//! becomes Python objects with amounts as `decimal.Decimal` ([`to_python`]), and its errors
//! become the exceptions of `delcredere._errors` ([`errors`]). No rule lives here.

mod batch;
mod engine;
mod errors;
mod figures;
mod from_python;
mod objects;
mod to_python;

/// mimalloc for every Rust allocation of the module (Python's own objects keep pymalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::panic::{catch_unwind, AssertUnwindSafe};

use delcredere::ffi;
use delcredere::Decision;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde::Deserialize;
use serde_json::Value;

use crate::errors::{core_error, internal_error};
use crate::from_python::{to_value, PyInput};
use crate::to_python::to_python;

/// Runs `f`, turning a Rust panic into `InternalError` so that no `PanicException` reaches
/// the caller.
fn guarded<'py, F>(py: Python<'py>, f: F) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce() -> PyResult<Bound<'py, PyAny>>,
{
    guarded_value(py, f)
}

/// [`guarded`] for any result.
fn guarded_value<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> PyResult<T>,
{
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Err(internal_error(py, &detail))
    })
}

/// Runs op `op` of the core on `input` and returns its output as Python objects. The core
/// reads the input with the GIL held and computes with it released when the input is large
/// ([`from_python::Gil`]).
fn run<'py>(py: Python<'py>, op: &str, input: PyInput<'py>) -> PyResult<Bound<'py, PyAny>> {
    let output = input.call(py, op)?;
    to_python(py, &output)
}

/// The input object of an op from named Python arguments; paths start at each name.
fn object<'py>(fields: &[(&'static str, &Bound<'py, PyAny>)]) -> PyResult<PyInput<'py>> {
    object_with(fields, &[])
}

/// [`object`] with optional arguments too: one that is `None` is left out, so that the core
/// applies its own default.
fn object_with<'py>(
    fields: &[(&'static str, &Bound<'py, PyAny>)],
    optional: &[(&'static str, Option<&Bound<'py, PyAny>>)],
) -> PyResult<PyInput<'py>> {
    let given = optional
        .iter()
        .filter_map(|(name, value)| value.map(|value| (*name, value.clone())));
    let all = fields
        .iter()
        .map(|(name, value)| (*name, (*value).clone()))
        .chain(given);
    Ok(PyInput::fields(all.collect()))
}

/// Runs the core operation `op` on `input` (a dict of the op's camelCase input DTO) and
/// returns its output as plain Python values, amounts as `decimal.Decimal`.
#[pyfunction]
#[pyo3(signature = (op, input))]
fn call<'py>(py: Python<'py>, op: &Bound<'py, PyAny>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let op = match to_value(op, "op")? {
            Value::String(op) => op,
            other => {
                let error = delcredere::Error::InvalidType {
                    field: "op".to_owned(),
                    detail: format!("expected an op name (str), found {other}"),
                };
                return Err(core_error(py, &error));
            }
        };
        let input = PyInput::whole(input);
        if !ffi::OPS.contains(&op.as_str()) {
            // The core refuses the op without reading the input; the former path converted the
            // input first, and raised its conversion errors first.
            input.check_converts(py)?;
        }
        run(py, &op, input)
    })
}

/// Validates a policy (POL); returns `{"valid": bool, "problems": [...]}`.
#[pyfunction]
#[pyo3(signature = (policy))]
fn validate_policy<'py>(py: Python<'py>, policy: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy)])?;
        run(py, "validate_policy", input)
    })
}

/// Checks whether a buyer and receivable are insurable under a policy (BUY-1..5); returns
/// the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, buyer, receivable))]
fn check_insurability<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    buyer: &Bound<'py, PyAny>,
    receivable: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy), ("buyer", buyer), ("receivable", receivable)])?;
        run(py, "check_insurability", input)
    })
}

/// Renders a decision (a dict) in `lang` (`en`, `de`, `fr`, `nl`, `da`); returns the
/// explanation as a dict.
#[pyfunction]
#[pyo3(signature = (decision, lang))]
fn explain<'py>(
    py: Python<'py>,
    decision: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("decision", decision), ("lang", lang)])?;
        run(py, "explain", input)
    })
}

/// Checks how much of a planned delivery is insured given what the buyer already owes
/// (BUY-1..5, PRM-4, LIM-1, LIM-3, DIS-1..5); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, buyer, outstanding, delivery, as_of, limit_events=None, self_assessment=None, overdue=None))]
#[allow(clippy::too_many_arguments)]
fn check_delivery_cover<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    buyer: &Bound<'py, PyAny>,
    outstanding: &Bound<'py, PyAny>,
    delivery: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    limit_events: Option<&Bound<'py, PyAny>>,
    self_assessment: Option<&Bound<'py, PyAny>>,
    overdue: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[
                ("policy", policy),
                ("buyer", buyer),
                ("outstanding", outstanding),
                ("delivery", delivery),
                ("asOf", as_of),
            ],
            &[
                ("limitEvents", limit_events),
                ("selfAssessment", self_assessment),
                ("overdue", overdue),
            ],
        )?;
        run(py, "check_delivery_cover", input)
    })
}

/// Replays a limit's events and describes the limit on `as_of` (LIM-1, LIM-3, LIM-4);
/// returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, events, as_of))]
fn limit_state<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    events: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy), ("events", events), ("asOf", as_of)])?;
        run(py, "limit_state", input)
    })
}

/// Checks a credit limit application before it is sent (LIM-2, LIM-5); returns the decision
/// as a dict.
#[pyfunction]
#[pyo3(signature = (policy, application))]
fn check_limit_application<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    application: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy), ("application", application)])?;
        run(py, "check_limit_application", input)
    })
}

/// Assesses self-assessed (discretionary) cover for a needed amount (DIS-1..5); returns the
/// decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, needed_amount, as_of, outstanding=None, evidence=None, limit_events=None))]
fn assess_discretionary<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    needed_amount: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    outstanding: Option<&Bound<'py, PyAny>>,
    evidence: Option<&Bound<'py, PyAny>>,
    limit_events: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("neededAmount", needed_amount), ("asOf", as_of)],
            &[
                ("outstanding", outstanding),
                ("evidence", evidence),
                ("limitEvents", limit_events),
            ],
        )?;
        run(py, "assess_discretionary", input)
    })
}

/// Computes the outstanding curve of a delivery schedule and its peak (EXP-1); returns the
/// decision as a dict.
#[pyfunction]
#[pyo3(signature = (deliveries, day_count=None, end_of_month_convention=None))]
fn peak_outstanding<'py>(
    py: Python<'py>,
    deliveries: &Bound<'py, PyAny>,
    day_count: Option<&Bound<'py, PyAny>>,
    end_of_month_convention: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("deliveries", deliveries)],
            &[
                ("dayCount", day_count),
                ("endOfMonthConvention", end_of_month_convention),
            ],
        )?;
        run(py, "peak_outstanding", input)
    })
}

/// Computes the average outstanding of regular sales from annual or monthly sales (EXP-2);
/// returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (payment_terms_days, *, annual_sales=None, monthly_sales=None))]
fn average_outstanding<'py>(
    py: Python<'py>,
    payment_terms_days: &Bound<'py, PyAny>,
    annual_sales: Option<&Bound<'py, PyAny>>,
    monthly_sales: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("paymentTermsDays", payment_terms_days)],
            &[("annualSales", annual_sales), ("monthlySales", monthly_sales)],
        )?;
        run(py, "average_outstanding", input)
    })
}

/// Routes a property-claims mission order by its channel and normalises it (PCI-1); returns
/// the decision as a dict.
#[pyfunction]
#[pyo3(signature = (order))]
fn intake_order<'py>(py: Python<'py>, order: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("order", order)])?;
        run(py, "intake_order", input)
    })
}

/// Decides whether someone may be dispatched on a water-damage file (PCI-2); returns the
/// decision as a dict.
#[pyfunction]
#[pyo3(signature = (claim))]
fn check_water_damage<'py>(py: Python<'py>, claim: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("claim", claim)])?;
        run(py, "check_water_damage", input)
    })
}

/// Says the next step of a file waiting for the remote assessment on `as_of` (PCI-3);
/// returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (follow_up, as_of))]
fn follow_up_remote_assessment<'py>(
    py: Python<'py>,
    follow_up: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("followUp", follow_up), ("asOf", as_of)])?;
        run(py, "follow_up_remote_assessment", input)
    })
}

/// Decides whether a property file is handled within the limits or needs an on-site
/// expertise (PCI-4); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (claim))]
fn check_expertise<'py>(py: Python<'py>, claim: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("claim", claim)])?;
        run(py, "check_expertise", input)
    })
}

/// Op `overdue_report`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, invoices, as_of, cover_kind=None, extra_reporting_dates=None, reported_on=None, continued_cover_confirmed=None, negative_information_remains=None))]
#[allow(clippy::too_many_arguments)]
fn overdue_report<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    invoices: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    cover_kind: Option<&Bound<'py, PyAny>>,
    extra_reporting_dates: Option<&Bound<'py, PyAny>>,
    reported_on: Option<&Bound<'py, PyAny>>,
    continued_cover_confirmed: Option<&Bound<'py, PyAny>>,
    negative_information_remains: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("invoices", invoices), ("asOf", as_of)],
            &[
                ("coverKind", cover_kind),
                ("extraReportingDates", extra_reporting_dates),
                ("reportedOn", reported_on),
                ("continuedCoverConfirmed", continued_cover_confirmed),
                ("negativeInformationRemains", negative_information_remains),
            ],
        )?;
        run(py, "overdue_report", input)
    })
}

/// Op `notification_duty`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (event, cover_kind, date, instalment_plan=None, written_consent=None))]
#[allow(clippy::too_many_arguments)]
fn notification_duty<'py>(
    py: Python<'py>,
    event: &Bound<'py, PyAny>,
    cover_kind: &Bound<'py, PyAny>,
    date: &Bound<'py, PyAny>,
    instalment_plan: Option<&Bound<'py, PyAny>>,
    written_consent: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("event", event), ("coverKind", cover_kind), ("date", date)],
            &[("instalmentPlan", instalment_plan), ("writtenConsent", written_consent)],
        )?;
        run(py, "notification_duty", input)
    })
}

/// Op `turnover_premium`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, declared_turnover=None))]
#[allow(clippy::too_many_arguments)]
fn turnover_premium<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    declared_turnover: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(&[("policy", policy)], &[("declaredTurnover", declared_turnover)])?;
        run(py, "turnover_premium", input)
    })
}

/// Op `declaration_status`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, as_of, declared_on=None, balance_reports=None))]
#[allow(clippy::too_many_arguments)]
fn declaration_status<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    declared_on: Option<&Bound<'py, PyAny>>,
    balance_reports: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("asOf", as_of)],
            &[("declaredOn", declared_on), ("balanceReports", balance_reports)],
        )?;
        run(py, "declaration_status", input)
    })
}

/// Op `validate_turnover_declaration`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, declaration, context=None, lang=None))]
#[allow(clippy::too_many_arguments)]
fn validate_turnover_declaration<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    declaration: &Bound<'py, PyAny>,
    context: Option<&Bound<'py, PyAny>>,
    lang: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("declaration", declaration)],
            &[("context", context), ("lang", lang)],
        )?;
        run(py, "validate_turnover_declaration", input)
    })
}

/// Op `validate_limit_application`: the limit application form as typed; returns the form
/// report (`valid`, `fields`) as a dict.
#[pyfunction]
#[pyo3(signature = (policy, application, lang))]
fn validate_limit_application<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    application: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy), ("application", application), ("lang", lang)])?;
        run(py, "validate_limit_application", input)
    })
}

/// Op `validate_turnover_declaration_form`; returns the form report as a dict.
#[pyfunction]
#[pyo3(signature = (policy, declaration, lang, context=None))]
fn validate_turnover_declaration_form<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    declaration: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
    context: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("declaration", declaration), ("lang", lang)],
            &[("context", context)],
        )?;
        run(py, "validate_turnover_declaration_form", input)
    })
}

/// Op `validate_claim_file_form` (CLM-3): the claim file form as typed; returns the form report
/// as a dict.
#[pyfunction]
#[pyo3(signature = (claim_file, as_of, lang))]
fn validate_claim_file_form<'py>(
    py: Python<'py>,
    claim_file: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("claimFile", claim_file), ("asOf", as_of), ("lang", lang)])?;
        run(py, "validate_claim_file_form", input)
    })
}

/// Op `validate_collection_file_form` (COL-2): the collection file form as typed; returns the
/// form report as a dict.
#[pyfunction]
#[pyo3(signature = (collection_file, lang))]
fn validate_collection_file_form<'py>(
    py: Python<'py>,
    collection_file: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("collectionFile", collection_file), ("lang", lang)])?;
        run(py, "validate_collection_file_form", input)
    })
}

/// Op `validate_overdue_report_form` (OVD-1, OVD-5): the overdue report form as typed; returns
/// the form report as a dict.
#[pyfunction]
#[pyo3(signature = (policy, overdue_report, as_of, lang))]
fn validate_overdue_report_form<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    overdue_report: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[
            ("policy", policy),
            ("overdueReport", overdue_report),
            ("asOf", as_of),
            ("lang", lang),
        ])?;
        run(py, "validate_overdue_report_form", input)
    })
}

/// Op `balance_premium`; returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, reporting_date, buyers))]
#[allow(clippy::too_many_arguments)]
fn balance_premium<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    reporting_date: &Bound<'py, PyAny>,
    buyers: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[
            ("policy", policy),
            ("reportingDate", reporting_date),
            ("buyers", buyers),
        ])?;
        run(py, "balance_premium", input)
    })
}

/// Op `account_state` (ACC); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, buyer, events, as_of))]
#[allow(clippy::too_many_arguments)]
fn account_state<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    buyer: &Bound<'py, PyAny>,
    events: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[
            ("policy", policy),
            ("buyer", buyer),
            ("events", events),
            ("asOf", as_of),
        ])?;
        run(py, "account_state", input)
    })
}

/// Op `obligations` (ACC); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, accounts, as_of, lang=None))]
#[allow(clippy::too_many_arguments)]
fn obligations<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    accounts: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    lang: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("accounts", accounts), ("asOf", as_of)],
            &[("lang", lang)],
        )?;
        run(py, "obligations", input)
    })
}

/// Op `insured_event` (CLM-1, CLM-2); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, as_of, invoices=None, insolvency_opened_on=None, overdue_reported_on=None))]
#[allow(clippy::too_many_arguments)]
fn insured_event<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    invoices: Option<&Bound<'py, PyAny>>,
    insolvency_opened_on: Option<&Bound<'py, PyAny>>,
    overdue_reported_on: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("asOf", as_of)],
            &[
                ("invoices", invoices),
                ("insolvencyOpenedOn", insolvency_opened_on),
                ("overdueReportedOn", overdue_reported_on),
            ],
        )?;
        run(py, "insured_event", input)
    })
}

/// Op `check_claim_file` (CLM-3, CLM-4); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, oldest_open_receivable_date, as_of, invoices_provided=None, open_items_list_provided=None, trading_history=None, requested_documents=None, collection_wanted=None, insured_event_date=None, complete_on=None, lang=None))]
#[allow(clippy::too_many_arguments)]
fn check_claim_file<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    oldest_open_receivable_date: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    invoices_provided: Option<&Bound<'py, PyAny>>,
    open_items_list_provided: Option<&Bound<'py, PyAny>>,
    trading_history: Option<&Bound<'py, PyAny>>,
    requested_documents: Option<&Bound<'py, PyAny>>,
    collection_wanted: Option<&Bound<'py, PyAny>>,
    insured_event_date: Option<&Bound<'py, PyAny>>,
    complete_on: Option<&Bound<'py, PyAny>>,
    lang: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[
                ("policy", policy),
                ("oldestOpenReceivableDate", oldest_open_receivable_date),
                ("asOf", as_of),
            ],
            &[
                ("invoicesProvided", invoices_provided),
                ("openItemsListProvided", open_items_list_provided),
                ("tradingHistory", trading_history),
                ("requestedDocuments", requested_documents),
                ("collectionWanted", collection_wanted),
                ("insuredEventDate", insured_event_date),
                ("completeOn", complete_on),
                ("lang", lang),
            ],
        )?;
        run(py, "check_claim_file", input)
    })
}

/// Op `indemnity` (CLM-5); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, receivables, insured_event_date, as_of, limit_events=None, payments=None, credit_notes=None, set_offs=None, prior_indemnities=None, overdue=None))]
#[allow(clippy::too_many_arguments)]
fn indemnity<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    receivables: &Bound<'py, PyAny>,
    insured_event_date: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    limit_events: Option<&Bound<'py, PyAny>>,
    payments: Option<&Bound<'py, PyAny>>,
    credit_notes: Option<&Bound<'py, PyAny>>,
    set_offs: Option<&Bound<'py, PyAny>>,
    prior_indemnities: Option<&Bound<'py, PyAny>>,
    overdue: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[
                ("policy", policy),
                ("receivables", receivables),
                ("insuredEventDate", insured_event_date),
                ("asOf", as_of),
            ],
            &[
                ("limitEvents", limit_events),
                ("payments", payments),
                ("creditNotes", credit_notes),
                ("setOffs", set_offs),
                ("priorIndemnities", prior_indemnities),
                ("overdue", overdue),
            ],
        )?;
        run(py, "indemnity", input)
    })
}

/// Op `recovery` (CLM-6); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, claim_filed_on, open_items, as_of, indemnity=None, recoveries=None))]
#[allow(clippy::too_many_arguments)]
fn recovery<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    claim_filed_on: &Bound<'py, PyAny>,
    open_items: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    indemnity: Option<&Bound<'py, PyAny>>,
    recoveries: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[
                ("policy", policy),
                ("claimFiledOn", claim_filed_on),
                ("openItems", open_items),
                ("asOf", as_of),
            ],
            &[("indemnity", indemnity), ("recoveries", recoveries)],
        )?;
        run(py, "recovery", input)
    })
}

/// Op `collection_handover` (COL-1); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, as_of, reminder_sent_on=None, formal_notice_sent_on=None, collection_warning_sent_on=None, reported_on=None))]
#[allow(clippy::too_many_arguments)]
fn collection_handover<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    reminder_sent_on: Option<&Bound<'py, PyAny>>,
    formal_notice_sent_on: Option<&Bound<'py, PyAny>>,
    collection_warning_sent_on: Option<&Bound<'py, PyAny>>,
    reported_on: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("asOf", as_of)],
            &[
                ("reminderSentOn", reminder_sent_on),
                ("formalNoticeSentOn", formal_notice_sent_on),
                ("collectionWarningSentOn", collection_warning_sent_on),
                ("reportedOn", reported_on),
            ],
        )?;
        run(py, "collection_handover", input)
    })
}

/// Op `check_collection_file` (COL-2); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (buyer=None, invoices=None, purchase_orders=None, delivery_notes=None, account_statement_date=None, last_settlement_date=None, terms_or_contract=None, special_context=None, correspondence=None, payments_and_credit_notes=None, lang=None))]
#[allow(clippy::too_many_arguments)]
fn check_collection_file<'py>(
    py: Python<'py>,
    buyer: Option<&Bound<'py, PyAny>>,
    invoices: Option<&Bound<'py, PyAny>>,
    purchase_orders: Option<&Bound<'py, PyAny>>,
    delivery_notes: Option<&Bound<'py, PyAny>>,
    account_statement_date: Option<&Bound<'py, PyAny>>,
    last_settlement_date: Option<&Bound<'py, PyAny>>,
    terms_or_contract: Option<&Bound<'py, PyAny>>,
    special_context: Option<&Bound<'py, PyAny>>,
    correspondence: Option<&Bound<'py, PyAny>>,
    payments_and_credit_notes: Option<&Bound<'py, PyAny>>,
    lang: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[],
            &[
                ("buyer", buyer),
                ("invoices", invoices),
                ("purchaseOrders", purchase_orders),
                ("deliveryNotes", delivery_notes),
                ("accountStatementDate", account_statement_date),
                ("lastSettlementDate", last_settlement_date),
                ("termsOrContract", terms_or_contract),
                ("specialContext", special_context),
                ("correspondence", correspondence),
                ("paymentsAndCreditNotes", payments_and_credit_notes),
                ("lang", lang),
            ],
        )?;
        run(py, "check_collection_file", input)
    })
}

/// Op `collection_contact_schedule` (COL-3); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, opened_on, first_export_file=None, special_context_on=None, legal_action_considered_on=None, closed_on=None))]
#[allow(clippy::too_many_arguments)]
fn collection_contact_schedule<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    opened_on: &Bound<'py, PyAny>,
    first_export_file: Option<&Bound<'py, PyAny>>,
    special_context_on: Option<&Bound<'py, PyAny>>,
    legal_action_considered_on: Option<&Bound<'py, PyAny>>,
    closed_on: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("openedOn", opened_on)],
            &[
                ("firstExportFile", first_export_file),
                ("specialContextOn", special_context_on),
                ("legalActionConsideredOn", legal_action_considered_on),
                ("closedOn", closed_on),
            ],
        )?;
        run(py, "collection_contact_schedule", input)
    })
}

/// Op `dispute_collection` (COL-4); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, invoices, legal_action=None, lang=None, settlement_proposal=None))]
#[allow(clippy::too_many_arguments)]
fn dispute_collection<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    invoices: &Bound<'py, PyAny>,
    legal_action: Option<&Bound<'py, PyAny>>,
    lang: Option<&Bound<'py, PyAny>>,
    settlement_proposal: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[("policy", policy), ("invoices", invoices)],
            &[
                ("legalAction", legal_action),
                ("lang", lang),
                ("settlementProposal", settlement_proposal),
            ],
        )?;
        run(py, "dispute_collection", input)
    })
}

/// Op `check_pre_export` (COL-5); returns the decision as a dict.
#[pyfunction]
#[pyo3(signature = (signed_contract=None, written_order=None, buyer_identity_verified=None, proof_of_delivery_signed=None, proof_of_delivery_stamped=None, retention_of_title_clause=None, jurisdiction_or_arbitration_clause=None, governing_law_clause=None, penalty_clause=None, lang=None))]
#[allow(clippy::too_many_arguments)]
fn check_pre_export<'py>(
    py: Python<'py>,
    signed_contract: Option<&Bound<'py, PyAny>>,
    written_order: Option<&Bound<'py, PyAny>>,
    buyer_identity_verified: Option<&Bound<'py, PyAny>>,
    proof_of_delivery_signed: Option<&Bound<'py, PyAny>>,
    proof_of_delivery_stamped: Option<&Bound<'py, PyAny>>,
    retention_of_title_clause: Option<&Bound<'py, PyAny>>,
    jurisdiction_or_arbitration_clause: Option<&Bound<'py, PyAny>>,
    governing_law_clause: Option<&Bound<'py, PyAny>>,
    penalty_clause: Option<&Bound<'py, PyAny>>,
    lang: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object_with(
            &[],
            &[
                ("signedContract", signed_contract),
                ("writtenOrder", written_order),
                ("buyerIdentityVerified", buyer_identity_verified),
                ("proofOfDeliverySigned", proof_of_delivery_signed),
                ("proofOfDeliveryStamped", proof_of_delivery_stamped),
                ("retentionOfTitleClause", retention_of_title_clause),
                ("jurisdictionOrArbitrationClause", jurisdiction_or_arbitration_clause),
                ("governingLawClause", governing_law_clause),
                ("penaltyClause", penalty_clause),
                ("lang", lang),
            ],
        )?;
        run(py, "check_pre_export", input)
    })
}

/// The input of [`decision_from_dict`]: a decision under the key `decision`, so that error
/// paths read `decision.amounts...` as in `explain`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    decision: Decision,
}

/// Reads a decision dict through the core's `Decision` DTO and returns it in canonical form
/// (amounts as `decimal.Decimal`); used to rebuild decisions, e.g. when unpickling.
#[pyfunction]
#[pyo3(signature = (decision))]
fn decision_from_dict<'py>(py: Python<'py>, decision: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let parsed: DecisionInput = object(&[("decision", decision)])?.parse(py)?;
        to_python(py, &parsed.decision)
    })
}

/// Native part of `delcredere`; use the `delcredere` package rather than this module.
#[pymodule]
mod _delcredere {
    use super::*;

    #[pymodule_export]
    use super::batch::{cover_batch, cover_batch_engine, exposure_batch, exposure_batch_engine};
    #[pymodule_export]
    use super::engine::{engine_route, PyEngine};
    #[pymodule_export]
    use super::figures::PyCoverFigures;
    #[pymodule_export]
    use super::objects::{decimal_objects, decimals_from_objects};
    #[pymodule_export]
    use super::{
        account_state, assess_discretionary, average_outstanding, balance_premium, call, check_claim_file,
        check_collection_file, check_delivery_cover, check_expertise, check_insurability, check_limit_application,
        check_pre_export, check_water_damage, collection_contact_schedule, collection_handover, decision_from_dict,
        declaration_status, dispute_collection, explain, follow_up_remote_assessment, indemnity, insured_event,
        intake_order, limit_state, notification_duty, obligations, overdue_report, peak_outstanding, recovery,
        turnover_premium, validate_claim_file_form, validate_collection_file_form, validate_limit_application,
        validate_overdue_report_form, validate_policy, validate_turnover_declaration,
        validate_turnover_declaration_form,
    };

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("OPS", PyTuple::new(m.py(), ffi::OPS)?)?;
        m.add("ENGINE_METHODS", engine::methods_table(m.py())?)?;
        let samples = PyDict::new(m.py());
        for (country, json) in delcredere::sample::POLICIES_JSON {
            samples.set_item(country, json)?;
        }
        m.add("SAMPLE_POLICIES_JSON", samples)?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
