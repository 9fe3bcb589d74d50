//! Claims (CLM-1..7): the insured event and its duties, the claim file, the indemnity
//! ([`indemnity`]) and recoveries ([`recovery`]).
//!
//! Periods are counted with the policy's day count (`calendar.rs`); as in `overdue.rs`, the
//! last day of a period still belongs to it, so an insured event that occurs "when the waiting
//! period expires" occurs on the day after its last day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{days_after, sub_months, IsoDate};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::i18n::{self, Language};
use crate::money::{Money, MoneyDto};
use crate::overdue::{invoices_facts, InvoiceDto, InvoiceFacts};
use crate::policy::{Policy, PolicyDto, WaitingPeriodStart};

pub mod indemnity;
pub mod recovery;

/// Months of trading history before the oldest open receivable that a claim file needs (CLM-3).
pub const TRADING_HISTORY_MONTHS: u32 = 12;

/// One item of a file checklist, keyed by the field path of the form (the findings shape of
/// `declaration.rs`, with `present` instead of a severity).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable code naming the item (a reason code: `explain` renders it).
    pub code: ReasonCode,
    /// Field path in the input, e.g. `requestedDocuments[1]`.
    pub field: String,
    /// Rule ID (spec/rules.md).
    pub rule: String,
    /// Whether the item is in the file (or the criterion holds).
    pub present: bool,
    /// Whether the item is required (a missing required item makes the file incomplete);
    /// recommended items only warn.
    pub required: bool,
    /// The figures and names used.
    pub params: BTreeMap<String, Param>,
    /// The item rendered in the language asked for, when the input asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Builds checklist items, rendering each in the asked language.
pub(crate) struct Checklist {
    /// The items so far.
    pub items: Vec<ChecklistItem>,
    lang: Option<Language>,
}

impl Checklist {
    /// A checklist rendered in `lang` (a language code), if given.
    pub fn new(lang: Option<&str>) -> Result<Self, Error> {
        let lang = lang.map(|l| Language::parse("lang", l)).transpose()?;
        Ok(Checklist {
            items: Vec::new(),
            lang,
        })
    }

    /// Adds an item.
    pub fn push<const N: usize>(
        &mut self,
        code: ReasonCode,
        field: &str,
        present: bool,
        required: bool,
        params: [(&str, Param); N],
    ) -> Result<(), Error> {
        let reason = Reason::new(code, params);
        let message = match self.lang {
            Some(lang) => Some(i18n::render(
                lang,
                code.as_str(),
                &reason.params,
                code.decimal_params(),
                field,
            )?),
            None => None,
        };
        self.items.push(ChecklistItem {
            code,
            field: field.to_owned(),
            rule: reason.rule,
            present,
            required,
            params: reason.params,
            message,
        });
        Ok(())
    }

    /// Whether every required item is present.
    pub fn complete(&self) -> bool {
        self.items.iter().all(|i| i.present || !i.required)
    }

    /// The missing items as reasons, in order (so that `explain` lists what is missing).
    pub fn missing_reasons(&self) -> Vec<Reason> {
        self.items
            .iter()
            .filter(|i| !i.present)
            .map(|i| Reason {
                code: i.code,
                rule: i.rule.clone(),
                params: i.params.clone(),
            })
            .collect()
    }
}

pub(crate) fn date(d: NaiveDate) -> Param {
    Param::from(d.to_string())
}

pub(crate) fn amount(m: Money) -> Param {
    Param::amount(m.rounded().amount)
}

pub(crate) fn currency(policy: &Policy) -> Param {
    Param::from(policy.currency.code())
}

/// Money in the policy currency, not negative (more than zero when `positive`).
pub(crate) fn in_policy_currency(policy: &Policy, dto: &MoneyDto, field: &str, positive: bool) -> Result<Money, Error> {
    let money = policy.money(dto, field)?;
    if positive && money.amount.is_zero() {
        return Err(Error::OutOfRange {
            field: format!("{field}.amount"),
            value: dto.amount.to_string(),
            expected: "more than 0".into(),
        });
    }
    Ok(money)
}

/// A date that must not be after `as_of`.
pub(crate) fn not_after(d: NaiveDate, as_of: NaiveDate, field: &str) -> Result<NaiveDate, Error> {
    if d > as_of {
        return Err(Error::DateOrder {
            field: field.to_owned(),
            detail: format!("{d} is after asOf {as_of}"),
        });
    }
    Ok(d)
}

pub(crate) fn next_day(d: NaiveDate, field: &str) -> Result<NaiveDate, Error> {
    d.succ_opt().ok_or_else(|| Error::OutOfRange {
        field: field.to_owned(),
        value: d.to_string(),
        expected: "a representable date".into(),
    })
}

/// The kind of insured event (CLM-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InsuredEventKind {
    /// Insolvency proceedings opened.
    Insolvency,
    /// The waiting period expired with the receivable unpaid.
    ProtractedDefault,
}

/// The dates of `insured_event` (CLM-1, CLM-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsuredEventSummary {
    /// The event, if one occurred by `asOf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<InsuredEventKind>,
    /// The day it occurred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<IsoDate>,
    /// The last day to file the claim, when the policy sets a deadline (CLM-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_claim_by: Option<IsoDate>,
    /// The last day of the waiting period of the oldest open receivable, when it runs (CLM-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_period_ends: Option<IsoDate>,
}

/// Input of op `insured_event` (CLM-1, CLM-2, CLM-7).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsuredEventInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyer's invoices with payments and credit notes up to `asOf`.
    #[serde(default)]
    pub invoices: Vec<InvoiceDto>,
    /// The day insolvency proceedings were opened, if they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insolvency_opened_on: Option<IsoDate>,
    /// The day the overdue was reported (where the waiting period starts with the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_reported_on: Option<IsoDate>,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// Op `insured_event` (CLM-1, CLM-2, CLM-7): which insured event occurred by `asOf`, its date,
/// the claim filing deadline and the duties that run. Outcomes `insured_event_insolvency`,
/// `insured_event_protracted_default`, `no_insured_event`; amount `openReceivables`.
///
/// CLM-1: insolvency occurs on the day proceedings are opened; protracted default on the day
/// after the last day of the waiting period, which starts (policy term `waitingPeriodStart`)
/// on the oldest open receivable's due date, at the end of its maximum extension period, or on
/// the overdue report. If both occurred, the earlier one is the insured event (insolvency on a
/// tie).
pub fn insured_event(input: &InsuredEventInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let facts = invoices_facts(&policy, &input.invoices, "invoices", as_of)?;
    let first_delivery = facts.iter().map(|f| f.invoice_date).min();
    let insolvency = match input.insolvency_opened_on {
        Some(d) => {
            let d = not_after(d.0, as_of, "insolvencyOpenedOn")?;
            if let Some(first) = first_delivery.filter(|f| d < *f) {
                return Err(Error::DateOrder {
                    field: "insolvencyOpenedOn".into(),
                    detail: format!("insolvency opened on {d}, before the first delivery on {first}"),
                });
            }
            Some(d)
        }
        None => None,
    };
    let reported_on = input
        .overdue_reported_on
        .map(|d| not_after(d.0, as_of, "overdueReportedOn"))
        .transpose()?;
    insured_event_of(&policy, &facts, insolvency, reported_on, as_of)
}

/// The answer of `insured_event` from a validated policy and the invoices' facts on `as_of`
/// (CLM-1, CLM-2, CLM-7), for a caller that checked the dates (the account ledger):
/// `insolvency` and `reported_on` on or before `as_of`.
pub fn insured_event_of(
    policy: &Policy,
    facts: &[InvoiceFacts],
    insolvency: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<Decision, Error> {
    let open: Vec<&InvoiceFacts> = facts.iter().filter(|f| f.open.amount > Decimal::ZERO).collect();
    let open_total = open.iter().try_fold(Money::zero(policy.currency), |acc, f| {
        acc.checked_add(&f.open, "invoices")
    })?;
    // The oldest open receivable: earliest invoice date, then due date, then input order.
    let oldest = open.iter().min_by_key(|f| (f.invoice_date, f.due_date)).copied();

    // CLM-1: the waiting period of the oldest open receivable.
    let waiting = match oldest {
        Some(f) => {
            let start = match policy.waiting_period_start {
                WaitingPeriodStart::DueDate => Some(f.due_date),
                WaitingPeriodStart::ExtensionEnd => Some(f.extension_ends),
                WaitingPeriodStart::OverdueReport => reported_on,
            };
            match start {
                Some(start) => {
                    let ends = days_after(start, policy.waiting_period_days, policy.day_count, "waitingPeriodDays")?;
                    Some((f, start, ends, next_day(ends, "waitingPeriodDays")?))
                }
                None => None,
            }
        }
        None => None,
    };
    let default_on = waiting.and_then(|(_, _, _, event)| (event <= as_of).then_some(event));
    let event = match (insolvency, default_on) {
        (Some(i), Some(d)) if d < i => Some((InsuredEventKind::ProtractedDefault, d)),
        (Some(i), _) => Some((InsuredEventKind::Insolvency, i)),
        (None, Some(d)) => Some((InsuredEventKind::ProtractedDefault, d)),
        (None, None) => None,
    };

    let mut reasons = Vec::new();
    let mut summary = InsuredEventSummary {
        event: event.map(|(k, _)| k),
        event_date: event.map(|(_, d)| IsoDate(d)),
        file_claim_by: None,
        waiting_period_ends: None,
    };
    let waiting_params = |f: &InvoiceFacts, start: NaiveDate, ends: NaiveDate| {
        [
            ("invoice", Param::from(f.reference.clone())),
            ("startDate", date(start)),
            ("waitingPeriodDays", Param::from(policy.waiting_period_days)),
            ("waitingPeriodEnds", date(ends)),
        ]
    };
    match event {
        Some((InsuredEventKind::Insolvency, d)) => {
            reasons.push(Reason::new(ReasonCode::InsolvencyOpened, [("date", date(d))]));
        }
        Some((InsuredEventKind::ProtractedDefault, d)) => {
            if let Some((f, start, ends, _)) = waiting {
                let [a, b, c, e] = waiting_params(f, start, ends);
                reasons.push(Reason::new(
                    ReasonCode::ProtractedDefault,
                    [a, b, c, e, ("eventDate", date(d))],
                ));
            }
        }
        None => match (oldest, waiting) {
            (None, _) => reasons.push(Reason::new(ReasonCode::NoOpenReceivables, [])),
            (Some(_), None) => reasons.push(Reason::new(ReasonCode::WaitingPeriodNotStarted, [])),
            (Some(_), Some((f, start, ends, _))) => {
                summary.waiting_period_ends = Some(IsoDate(ends));
                reasons.push(Reason::new(
                    ReasonCode::WaitingPeriodRunning,
                    waiting_params(f, start, ends),
                ));
            }
        },
    }
    if let Some((kind, d)) = event {
        reasons.push(Reason::new(
            ReasonCode::ReceivablesUncollectable,
            [("open", amount(open_total)), ("currency", currency(policy))],
        ));
        // CLM-2: file the claim within the policy's deadline; in insolvency, report at once.
        match policy.claim_filing_deadline_days {
            Some(days) => {
                let by = days_after(d, days, policy.day_count, "claimFilingDeadlineDays")?;
                summary.file_claim_by = Some(IsoDate(by));
                reasons.push(Reason::new(
                    ReasonCode::FileClaimBy,
                    [
                        ("eventDate", date(d)),
                        ("deadlineDays", Param::from(days)),
                        ("fileBy", date(by)),
                    ],
                ));
            }
            None => reasons.push(Reason::new(ReasonCode::FileClaimPerPolicy, [("eventDate", date(d))])),
        }
        if kind == InsuredEventKind::Insolvency {
            reasons.push(Reason::new(
                ReasonCode::ReportOpenReceivablesAtOnce,
                [
                    ("date", date(d)),
                    ("open", amount(open_total)),
                    ("currency", currency(policy)),
                ],
            ));
        }
    }
    // CLM-2: payment has stopped on an open receivable past its due date: remind the buyer.
    let past_due = open
        .iter()
        .filter(|f| f.due_date < as_of)
        .min_by_key(|f| (f.due_date, f.invoice_date))
        .copied();
    if let Some(f) = past_due {
        reasons.push(Reason::new(
            ReasonCode::RemindBuyer,
            [
                ("invoice", Param::from(f.reference.clone())),
                ("dueDate", date(f.due_date)),
            ],
        ));
    }
    // CLM-7: mitigate the loss, whenever payment stopped or the event occurred.
    if past_due.is_some() || event.is_some() {
        reasons.push(Reason::new(ReasonCode::MitigateLoss, []));
    }
    let outcome = match event {
        Some((InsuredEventKind::Insolvency, _)) => Outcome::InsuredEventInsolvency,
        Some((InsuredEventKind::ProtractedDefault, _)) => Outcome::InsuredEventProtractedDefault,
        None => Outcome::NoInsuredEvent,
    };
    Ok(Decision {
        outcome,
        amounts: BTreeMap::from([("openReceivables".to_owned(), MoneyDto::from(open_total))]),
        reasons,
        details: Some(Details::InsuredEvent(summary)),
    })
}

/// The period a claim file's trading history must cover (CLM-3): from 12 calendar months
/// before the oldest open receivable (clamped to the month's end) until the day of the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TradingHistoryWindow {
    /// First day needed.
    pub from: NaiveDate,
    /// Last day needed ("until today").
    pub to: NaiveDate,
}

impl TradingHistoryWindow {
    /// Whether a history from `from` to `to` (both included) contains the window.
    pub fn covered_by(&self, from: NaiveDate, to: NaiveDate) -> bool {
        from <= self.from && to >= self.to
    }
}

/// The CLM-3 window for the oldest open receivable's date on `as_of`.
pub(crate) fn trading_history_window(oldest: NaiveDate, as_of: NaiveDate) -> Result<TradingHistoryWindow, Error> {
    Ok(TradingHistoryWindow {
        from: sub_months(oldest, TRADING_HISTORY_MONTHS, "oldestOpenReceivableDate")?,
        to: as_of,
    })
}

/// What a claim file holds, as the CLM-3 checklist reads it.
pub(crate) struct ClaimFileContents<'a> {
    /// Copies of the invoices are in the file.
    pub invoices: bool,
    /// The open items list is in the file.
    pub open_items_list: bool,
    /// The window the trading history must cover and whether the file's history covers it;
    /// `None` when the window is not known yet (a form without a readable oldest receivable
    /// date): then the item is left out.
    pub trading_history: Option<(TradingHistoryWindow, bool)>,
    /// Requested documents: (index in the input, name, provided).
    pub requested_documents: Vec<(usize, &'a str, bool)>,
    /// Whether the collection service is wanted; `None`: not stated.
    pub collection_wanted: Option<bool>,
}

/// The CLM-3 checklist of a claim file, items keyed by the input's field paths and rendered in
/// `lang` when given: invoices, open items list, trading history, each requested document,
/// the collection choice. Shared by `check_claim_file` and the claim file form.
pub(crate) fn claim_file_checklist(file: &ClaimFileContents<'_>, lang: Option<&str>) -> Result<Checklist, Error> {
    let mut c = Checklist::new(lang)?;
    c.push(ReasonCode::ClaimInvoices, "invoicesProvided", file.invoices, true, [])?;
    c.push(
        ReasonCode::ClaimOpenItemsList,
        "openItemsListProvided",
        file.open_items_list,
        true,
        [],
    )?;
    if let Some((window, covered)) = file.trading_history {
        c.push(
            ReasonCode::ClaimTradingHistory,
            "tradingHistory",
            covered,
            true,
            [("from", date(window.from)), ("to", date(window.to))],
        )?;
    }
    for (i, name, provided) in &file.requested_documents {
        c.push(
            ReasonCode::ClaimRequestedDocument,
            &format!("requestedDocuments[{i}]"),
            *provided,
            true,
            [("name", Param::from(*name))],
        )?;
    }
    c.push(
        ReasonCode::ClaimCollectionChoice,
        "collectionWanted",
        file.collection_wanted.is_some(),
        true,
        [],
    )?;
    Ok(c)
}

/// A period covered by a document, both days included.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodDto {
    /// First day.
    pub from: IsoDate,
    /// Last day.
    pub to: IsoDate,
}

/// A document the insurer asked for (CLM-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestedDocumentDto {
    /// What was asked for, in the insurer's words.
    pub name: String,
    /// Whether it is in the file.
    #[serde(default)]
    pub provided: bool,
}

/// Input of op `check_claim_file` (CLM-3, CLM-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckClaimFileInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// Invoice date of the oldest open receivable: the trading history starts 12 months before it.
    pub oldest_open_receivable_date: IsoDate,
    /// Copies of the invoices are in the file.
    #[serde(default)]
    pub invoices_provided: bool,
    /// The open items list is in the file.
    #[serde(default)]
    pub open_items_list_provided: bool,
    /// The period the trading history (the buyer's account) in the file covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading_history: Option<PeriodDto>,
    /// Further documents the insurer asked for.
    #[serde(default)]
    pub requested_documents: Vec<RequestedDocumentDto>,
    /// Whether the insurer's collection service is wanted; absent: not stated yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_wanted: Option<bool>,
    /// The day the insured event occurred (from `insured_event`), if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_event_date: Option<IsoDate>,
    /// The day the last document reached the insurer (default `asOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_on: Option<IsoDate>,
    /// Language of the item messages (`en`, `de`, `fr`, `nl`, `da`); none: no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
    /// The date asked about ("today" for the trading history).
    pub as_of: IsoDate,
}

/// Op `check_claim_file` (CLM-3, CLM-4): what the claim file has and lacks, keyed by field.
///
/// CLM-3: invoices, the open items list, the trading history from 12 months before the oldest
/// open receivable until `asOf` (the period given must contain that window), every requested
/// document, and the choice whether collection is wanted. CLM-4: once the file is complete and
/// the insured event has occurred, the indemnity is due `indemnityPaymentDays` after the later
/// of the event and the day the file was complete. Outcomes `claim_file_complete`,
/// `claim_file_incomplete`; `details.type = "checklist"`.
pub fn check_claim_file(input: &CheckClaimFileInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let oldest = not_after(input.oldest_open_receivable_date.0, as_of, "oldestOpenReceivableDate")?;
    let window = trading_history_window(oldest, as_of)?;
    let covered = match &input.trading_history {
        Some(p) => {
            if p.from.0 > p.to.0 {
                return Err(Error::DateOrder {
                    field: "tradingHistory.to".into(),
                    detail: format!("{} is before from {}", p.to.0, p.from.0),
                });
            }
            window.covered_by(p.from.0, p.to.0)
        }
        None => false,
    };
    let mut documents = Vec::with_capacity(input.requested_documents.len());
    for (i, d) in input.requested_documents.iter().enumerate() {
        let name = d.name.trim();
        if name.is_empty() {
            return Err(Error::EmptyValue {
                field: format!("requestedDocuments[{i}].name"),
            });
        }
        documents.push((i, name, d.provided));
    }
    let c = claim_file_checklist(
        &ClaimFileContents {
            invoices: input.invoices_provided,
            open_items_list: input.open_items_list_provided,
            trading_history: Some((window, covered)),
            requested_documents: documents,
            collection_wanted: input.collection_wanted,
        },
        input.lang.as_deref(),
    )?;
    let complete = c.complete();
    let mut reasons = c.missing_reasons();
    if complete {
        match input.insured_event_date.map(|d| d.0).filter(|d| *d <= as_of) {
            Some(event) => {
                let done = not_after(input.complete_on.map_or(as_of, |d| d.0), as_of, "completeOn")?;
                let start = event.max(done);
                let pay_by = days_after(
                    start,
                    policy.indemnity_payment_days,
                    policy.day_count,
                    "indemnityPaymentDays",
                )?;
                reasons.push(Reason::new(
                    ReasonCode::IndemnityPaymentDue,
                    [
                        ("completeOn", date(start)),
                        ("paymentDays", Param::from(policy.indemnity_payment_days)),
                        ("payBy", date(pay_by)),
                    ],
                ));
            }
            None => reasons.push(Reason::new(ReasonCode::InsuredEventNotYetOccurred, [])),
        }
    }
    Ok(Decision {
        outcome: if complete {
            Outcome::ClaimFileComplete
        } else {
            Outcome::ClaimFileIncomplete
        },
        amounts: BTreeMap::new(),
        reasons,
        details: Some(Details::Checklist { items: c.items }),
    })
}
