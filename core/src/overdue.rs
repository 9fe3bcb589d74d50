//! Overdues, notification duties and exclusion (OVD-1..9, DIS-6).
//!
//! Op `overdue_report` works out, for one buyer's invoices on a given date, which invoices are
//! past due plus the maximum extension period and must be reported by when (OVD-1), which stay
//! below the per-invoice overdue reporting threshold (OVD-4), the one combined report (OVD-5),
//! when payments are reported on the insurer's extra reporting dates (OVD-6), and the exclusion
//! of new deliveries that follows (OVD-2, OVD-3, DIS-6). The same exclusion is the cover-state
//! change [`crate::cover::CoverContext`] applies to deliveries. Op `notification_duty` is the
//! duty matrix (OVD-7, OVD-8, OVD-9).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{check_period, days_after, IsoDate, PaymentTerms};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto};
use crate::policy::{Policy, PolicyDto};

pub mod duty;

/// A payment received or a credit note issued against an invoice.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettlementDto {
    /// When it was received or issued (on or before `asOf`).
    pub date: IsoDate,
    /// Amount (more than zero, policy currency).
    pub amount: MoneyDto,
}

/// One invoice of the buyer.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceDto {
    /// The insured's invoice number.
    pub reference: String,
    /// Invoice amount (more than zero, policy currency).
    pub amount: MoneyDto,
    /// Invoice date.
    pub invoice_date: IsoDate,
    /// Due date; give either this or `paymentTermsDays`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<IsoDate>,
    /// Original payment terms in days; give either this or `dueDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms_days: Option<u32>,
    /// Whether the terms run from the end of the invoice month.
    #[serde(default)]
    pub end_of_month: bool,
    /// Payments received.
    #[serde(default)]
    pub payments: Vec<SettlementDto>,
    /// Credit notes issued.
    #[serde(default)]
    pub credit_notes: Vec<SettlementDto>,
    /// The day the insured learned that the maximum extension period will clearly be exceeded
    /// (OVD-1), if before it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearly_exceeded_on: Option<IsoDate>,
    /// The reason for the delay, if known (e.g. a complaint), to give in the report (OVD-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_reason: Option<String>,
}

/// The kind of cover a buyer is insured under, for the duties that depend on it (OVD-7, DIS-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum CoverKind {
    /// A credit limit granted by the insurer.
    #[default]
    NamedLimit,
    /// Self-assessment under the discretionary limit.
    SelfAssessed,
}

impl CoverKind {
    fn code(self) -> &'static str {
        match self {
            CoverKind::NamedLimit => "namedLimit",
            CoverKind::SelfAssessed => "selfAssessed",
        }
    }
}

/// Where an invoice stands on the as-of date.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InvoiceStatus {
    /// Nothing open.
    Paid,
    /// Not yet past its due date.
    NotDue,
    /// Past due, still inside the maximum extension period (OVD-1).
    WithinExtensionPeriod,
    /// Past the extension period but not above the threshold: no duty, no exclusion (OVD-4).
    BelowThreshold,
    /// Past the extension period (or clearly going to exceed it): report it (OVD-1).
    ToReport,
    /// Past the extension period on a self-assessed buyer: no reporting duty (DIS-6).
    NoDutySelfAssessed,
}

impl InvoiceStatus {
    /// Every status, in declaration order (`ALL[s as usize] == s`).
    pub const ALL: [InvoiceStatus; 6] = [
        InvoiceStatus::Paid,
        InvoiceStatus::NotDue,
        InvoiceStatus::WithinExtensionPeriod,
        InvoiceStatus::BelowThreshold,
        InvoiceStatus::ToReport,
        InvoiceStatus::NoDutySelfAssessed,
    ];

    /// The status's name as every runtime writes it (its JSON string, e.g. `toReport`).
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::NotDue => "notDue",
            InvoiceStatus::WithinExtensionPeriod => "withinExtensionPeriod",
            InvoiceStatus::BelowThreshold => "belowThreshold",
            InvoiceStatus::ToReport => "toReport",
            InvoiceStatus::NoDutySelfAssessed => "noDutySelfAssessed",
        }
    }
}

/// One invoice in the answer of `overdue_report`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceSummary {
    /// Invoice number.
    pub reference: String,
    /// Open amount on the as-of date.
    pub open_amount: MoneyDto,
    /// Due date.
    pub due_date: IsoDate,
    /// Last day of the maximum extension period.
    pub extension_ends: IsoDate,
    /// Where it stands.
    pub status: InvoiceStatus,
    /// The reporting deadline, when it must be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub report_by: Option<IsoDate>,
}

/// The one combined overdue report (OVD-5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CombinedReport {
    /// Invoices reported together.
    pub count: u32,
    /// The oldest of them.
    pub oldest_invoice: String,
    /// Its invoice date.
    pub invoice_date: IsoDate,
    /// Its due date.
    pub due_date: IsoDate,
    /// Its original payment terms, in days.
    pub payment_terms_days: u32,
    /// Whether those terms ran from the end of the invoice month.
    pub end_of_month: bool,
    /// Total of all overdue receivables of the buyer.
    pub total_overdue: MoneyDto,
    /// The earliest deadline among the invoices reported.
    pub report_by: IsoDate,
}

/// Payments to report on one extra reporting date (OVD-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentReport {
    /// The reporting date set by the insurer.
    pub reporting_date: IsoDate,
    /// Number of payments.
    pub count: u32,
    /// Their total.
    pub total: MoneyDto,
}

/// The exclusion of new deliveries after an overdue (OVD-2, OVD-3, DIS-6), in boundary form.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExclusionSummary {
    /// The reporting date: from it, new receivables no longer enter cover (OVD-2).
    pub starts: IsoDate,
    /// Last day of the exclusion period; deliveries after it are not covered (OVD-3, DIS-6).
    pub period_ends: IsoDate,
    /// The day the exclusion ended (all overdues paid and, for self-assessed buyers, no
    /// negative information left), if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub ended_on: Option<IsoDate>,
}

/// What `overdue_report` reports in `details`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdueSummary {
    /// Every invoice, in input order.
    pub invoices: Vec<InvoiceSummary>,
    /// The combined report, when something must be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub combined_report: Option<CombinedReport>,
    /// Payments grouped by the extra reporting date they are reported on (OVD-6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_reports: Vec<PaymentReport>,
    /// The next extra reporting date on or after `asOf` (OVD-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub next_reporting_date: Option<IsoDate>,
    /// The exclusion of new deliveries, when an overdue triggered one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exclusion: Option<ExclusionSummary>,
}

/// Input of op `overdue_report`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdueReportInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// Named limit (default) or self-assessed.
    #[serde(default)]
    pub cover_kind: CoverKind,
    /// The buyer's invoices.
    pub invoices: Vec<InvoiceDto>,
    /// Extra reporting dates set by the insurer for this buyer, ascending (OVD-6).
    #[serde(default)]
    pub extra_reporting_dates: Vec<IsoDate>,
    /// The date the overdue was reported, if it was (OVD-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<IsoDate>,
    /// Whether the insurer, answering the report, expressly confirmed that cover continues (OVD-2).
    #[serde(default)]
    pub continued_cover_confirmed: bool,
    /// Whether negative information on the buyer remains (DIS-6).
    #[serde(default)]
    pub negative_information_remains: bool,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// The buyer's overdue situation, as `check_delivery_cover` takes it (OVD-2, OVD-3, DIS-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdueSituationDto {
    /// The buyer's invoices with payments and credit notes up to `asOf`.
    #[serde(default)]
    pub invoices: Vec<InvoiceDto>,
    /// The date the overdue was reported, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<IsoDate>,
    /// Whether the insurer expressly confirmed that cover continues.
    #[serde(default)]
    pub continued_cover_confirmed: bool,
    /// Whether negative information on the buyer remains (DIS-6).
    #[serde(default)]
    pub negative_information_remains: bool,
}

/// One invoice worked out on the as-of date.
#[derive(Debug, Clone)]
pub struct InvoiceFacts {
    /// Invoice number.
    pub reference: String,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Original terms in days.
    pub payment_terms_days: u32,
    /// End-of-month terms.
    pub end_of_month: bool,
    /// Last day of the maximum extension period (OVD-1).
    pub extension_ends: NaiveDate,
    /// The day the reporting duty arises and its deadline ("at once", OVD-1).
    pub duty_date: NaiveDate,
    /// Whether the duty arose early because the period will clearly be exceeded.
    pub clearly_exceeded: bool,
    /// Open amount on the as-of date.
    pub open: Money,
    /// Open amount just before the duty date.
    pub open_at_duty: Money,
    /// The day the invoice was fully settled, if it was by the as-of date.
    pub settled_on: Option<NaiveDate>,
    /// The reason for the delay, if given.
    pub delay_reason: Option<String>,
    /// Payments (not credit notes) received, with their dates (OVD-6).
    pub payments: Vec<(NaiveDate, Money)>,
}

fn date_order(field: String, detail: String) -> Error {
    Error::DateOrder { field, detail }
}

fn positive_in(policy: &Policy, dto: &MoneyDto, field: &str) -> Result<Money, Error> {
    let money = policy.money(dto, field)?;
    if money.amount.is_zero() {
        return Err(Error::OutOfRange {
            field: format!("{field}.amount"),
            value: dto.amount.to_string(),
            expected: "more than 0".into(),
        });
    }
    Ok(money)
}

/// Validates one invoice and works out its due date, extension period and reporting date
/// (OVD-1) and what is open, on `as_of`, under the policy's day count. `field` is the invoice's
/// path, put in front of the field of any error.
pub fn invoice_facts(policy: &Policy, dto: &InvoiceDto, field: &str, as_of: NaiveDate) -> Result<InvoiceFacts, Error> {
    facts(policy, dto, as_of).map_err(|e| e.with_prefix(field))
}

/// [`invoice_facts`] for many invoices; an error's field starts with `{field}[i]`. The paths
/// are built only for an error.
pub fn invoices_facts(
    policy: &Policy,
    invoices: &[InvoiceDto],
    field: &str,
    as_of: NaiveDate,
) -> Result<Vec<InvoiceFacts>, Error> {
    invoices
        .iter()
        .enumerate()
        .map(|(i, inv)| facts(policy, inv, as_of).map_err(|e| e.with_prefix(&format!("{field}[{i}]"))))
        .collect()
}

/// An invoice kept in typed form (amounts already [`Money`]), e.g. by an account's ledger: what
/// [`invoice_facts`] reads from an [`InvoiceDto`] without `clearlyExceededOn` or `delayReason`.
#[derive(Debug, Clone, Copy)]
pub struct TypedInvoice<'a> {
    /// Invoice number.
    pub reference: &'a str,
    /// Invoice amount.
    pub amount: Money,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date; either this or `payment_terms_days`.
    pub due_date: Option<NaiveDate>,
    /// Original payment terms in days.
    pub payment_terms_days: Option<u32>,
    /// Whether the terms run from the end of the invoice month.
    pub end_of_month: bool,
    /// Payments received, in the order received.
    pub payments: &'a [(NaiveDate, Money)],
    /// Credit notes issued, in the order issued.
    pub credit_notes: &'a [(NaiveDate, Money)],
}

/// [`invoice_facts`] for an invoice in typed form: the same checks in the same order, the same
/// errors, the same facts. `field` gives the invoice's path, asked only for an error.
pub fn typed_invoice_facts(
    policy: &Policy,
    invoice: &TypedInvoice<'_>,
    field: impl FnOnce() -> String,
    as_of: NaiveDate,
) -> Result<InvoiceFacts, Error> {
    facts_of(
        policy,
        &Record {
            reference: invoice.reference,
            amount: Given::Typed(invoice.amount),
            invoice_date: invoice.invoice_date,
            due_date: invoice.due_date,
            payment_terms_days: invoice.payment_terms_days,
            end_of_month: invoice.end_of_month,
            payments: Settlements::Typed(invoice.payments),
            credit_notes: Settlements::Typed(invoice.credit_notes),
            clearly_exceeded_on: None,
            delay_reason: None,
        },
        as_of,
    )
    .map_err(|e| e.with_prefix(&field()))
}

/// An amount as given: a boundary DTO still to check, or one already typed.
#[derive(Clone, Copy)]
enum Given<'a> {
    Dto(&'a MoneyDto),
    Typed(Money),
}

impl Given<'_> {
    /// The amount, more than zero, in the policy currency (the errors of [`positive_in`]).
    fn positive(self, policy: &Policy, field: &str) -> Result<Money, Error> {
        match self {
            Given::Dto(dto) => positive_in(policy, dto, field),
            Given::Typed(money) => {
                if money.amount.is_sign_negative() && !money.amount.is_zero() {
                    return Err(Error::NegativeAmount {
                        field: format!("{field}.amount"),
                        value: money.amount.to_string(),
                    });
                }
                if money.currency != policy.currency {
                    return Err(Error::CurrencyMismatch {
                        field: format!("{field}.currency"),
                        expected: policy.currency.code().to_owned(),
                        found: money.currency.code().to_owned(),
                    });
                }
                if money.amount.is_zero() {
                    return Err(Error::OutOfRange {
                        field: format!("{field}.amount"),
                        value: money.amount.to_string(),
                        expected: "more than 0".into(),
                    });
                }
                Ok(money)
            }
        }
    }

    fn shown(self) -> String {
        match self {
            Given::Dto(dto) => dto.amount.to_string(),
            Given::Typed(money) => money.amount.to_string(),
        }
    }
}

/// The payments or credit notes of an invoice, as given.
#[derive(Clone, Copy)]
enum Settlements<'a> {
    Dto(&'a [SettlementDto]),
    Typed(&'a [(NaiveDate, Money)]),
}

impl<'a> Settlements<'a> {
    fn len(self) -> usize {
        match self {
            Settlements::Dto(list) => list.len(),
            Settlements::Typed(list) => list.len(),
        }
    }

    fn iter(self) -> impl Iterator<Item = (NaiveDate, Given<'a>)> {
        let (dto, typed) = match self {
            Settlements::Dto(list) => (list, &[][..]),
            Settlements::Typed(list) => (&[][..], list),
        };
        dto.iter()
            .map(|s| (s.date.0, Given::Dto(&s.amount)))
            .chain(typed.iter().map(|(d, m)| (*d, Given::Typed(*m))))
    }
}

/// An invoice as given, from a DTO or typed.
struct Record<'a> {
    reference: &'a str,
    amount: Given<'a>,
    invoice_date: NaiveDate,
    due_date: Option<NaiveDate>,
    payment_terms_days: Option<u32>,
    end_of_month: bool,
    payments: Settlements<'a>,
    credit_notes: Settlements<'a>,
    clearly_exceeded_on: Option<NaiveDate>,
    delay_reason: Option<&'a str>,
}

/// [`invoice_facts`] with error fields relative to the invoice.
fn facts(policy: &Policy, dto: &InvoiceDto, as_of: NaiveDate) -> Result<InvoiceFacts, Error> {
    facts_of(
        policy,
        &Record {
            reference: &dto.reference,
            amount: Given::Dto(&dto.amount),
            invoice_date: dto.invoice_date.0,
            due_date: dto.due_date.map(|d| d.0),
            payment_terms_days: dto.payment_terms_days,
            end_of_month: dto.end_of_month,
            payments: Settlements::Dto(&dto.payments),
            credit_notes: Settlements::Dto(&dto.credit_notes),
            clearly_exceeded_on: dto.clearly_exceeded_on.map(|d| d.0),
            delay_reason: dto.delay_reason.as_deref(),
        },
        as_of,
    )
}

fn facts_of(policy: &Policy, dto: &Record<'_>, as_of: NaiveDate) -> Result<InvoiceFacts, Error> {
    if dto.reference.trim().is_empty() {
        return Err(Error::EmptyValue {
            field: "reference".into(),
        });
    }
    let amount = dto.amount.positive(policy, "amount")?;
    let invoice_date = dto.invoice_date;
    if invoice_date > as_of {
        return Err(date_order(
            "invoiceDate".into(),
            format!("{invoice_date} is after asOf {as_of}"),
        ));
    }
    let (due_date, payment_terms_days) = match (dto.due_date, dto.payment_terms_days) {
        (Some(due), None) => {
            if due < invoice_date {
                return Err(date_order(
                    "dueDate".into(),
                    format!("due date {due} is before the invoice date {invoice_date}"),
                ));
            }
            let days = u32::try_from((due - invoice_date).num_days()).unwrap_or(u32::MAX);
            (due, check_period("dueDate", days)?)
        }
        (None, Some(days)) => {
            let days = check_period("paymentTermsDays", days)?;
            let terms = PaymentTerms::new(days, dto.end_of_month, policy.end_of_month_convention);
            (terms.due_date(invoice_date, policy.day_count)?, days)
        }
        (None, None) => {
            return Err(Error::MissingField {
                field: "dueDate".into(),
            })
        }
        (Some(_), Some(_)) => {
            return Err(Error::InconsistentTerms {
                field: "paymentTermsDays".into(),
                detail: "give either dueDate or paymentTermsDays, not both".into(),
            })
        }
    };
    let extension_ends = days_after(due_date, policy.max_extension_period_days, policy.day_count, "dueDate")?;
    let after_extension = extension_ends.succ_opt().unwrap_or(extension_ends);
    let (duty_date, clearly_exceeded) = match dto.clearly_exceeded_on {
        Some(d) if d > as_of => {
            return Err(date_order(
                "clearlyExceededOn".into(),
                format!("{d} is after asOf {as_of}"),
            ))
        }
        Some(d) if d < after_extension => (d.max(invoice_date), true),
        _ => (after_extension, false),
    };

    // Payments then credit notes, each checked against what is still open.
    let mut payments = Vec::with_capacity(dto.payments.len());
    let mut credit_notes = Vec::with_capacity(dto.credit_notes.len());
    let mut settled_total = Money::zero(policy.currency);
    for (list, name, out) in [
        (dto.payments, "payments", &mut payments),
        (dto.credit_notes, "creditNotes", &mut credit_notes),
    ] {
        for (j, (date, given)) in list.iter().enumerate() {
            let money = settlement(policy, date, given, amount, &mut settled_total, invoice_date, as_of)
                .map_err(|e| e.with_prefix(&format!("{name}[{j}]")))?;
            out.push((date, money));
        }
    }
    let open_on = |day: NaiveDate| {
        let paid: Decimal = payments
            .iter()
            .chain(&credit_notes)
            .filter(|(d, _)| *d <= day)
            .map(|(_, m)| m.amount)
            .sum();
        Money::new(amount.amount - paid, policy.currency)
    };
    let open = open_on(as_of);
    let open_at_duty = open_on(duty_date.pred_opt().unwrap_or(duty_date));
    // Every settlement is more than zero and on or before `as_of`: when nothing is open, the
    // running total reaches the amount with the last of them.
    let settled_on = if open.amount.is_zero() {
        payments.iter().chain(&credit_notes).map(|(d, _)| *d).max()
    } else {
        None
    };
    Ok(InvoiceFacts {
        reference: dto.reference.to_owned(),
        invoice_date,
        due_date,
        payment_terms_days,
        end_of_month: dto.end_of_month && dto.payment_terms_days.is_some(),
        extension_ends,
        duty_date,
        clearly_exceeded,
        open,
        open_at_duty,
        settled_on,
        delay_reason: dto.delay_reason.filter(|r| !r.trim().is_empty()).map(str::to_owned),
        payments,
    })
}

/// One payment or credit note on an invoice of `amount`, checked against what is still open
/// and added to `settled_total`; error fields relative to the settlement.
fn settlement(
    policy: &Policy,
    date: NaiveDate,
    given: Given<'_>,
    amount: Money,
    settled_total: &mut Money,
    invoice_date: NaiveDate,
    as_of: NaiveDate,
) -> Result<Money, Error> {
    let money = given.positive(policy, "amount")?;
    if date < invoice_date || date > as_of {
        return Err(date_order(
            "date".into(),
            format!("{date} is not between the invoice date {invoice_date} and asOf {as_of}"),
        ));
    }
    let open_before = amount.checked_sub(settled_total, "")?;
    if money.amount > open_before.amount {
        return Err(Error::OutOfRange {
            field: "amount".into(),
            value: given.shown(),
            expected: format!("at most the open amount {}", open_before.rounded().amount),
        });
    }
    *settled_total = settled_total.checked_add(&money, "")?;
    Ok(money)
}

impl InvoiceFacts {
    /// Where the invoice stands on `as_of` (OVD-1, OVD-4, DIS-6). The threshold applies per
    /// invoice, to its open amount; an amount equal to it does not exceed it.
    pub fn status(&self, policy: &Policy, kind: CoverKind, as_of: NaiveDate) -> InvoiceStatus {
        if self.open.amount.is_zero() {
            InvoiceStatus::Paid
        } else if self.duty_date <= as_of {
            if self.open.amount <= policy.overdue_reporting_threshold.amount {
                InvoiceStatus::BelowThreshold
            } else if kind == CoverKind::SelfAssessed {
                InvoiceStatus::NoDutySelfAssessed
            } else {
                InvoiceStatus::ToReport
            }
        } else if as_of <= self.due_date {
            InvoiceStatus::NotDue
        } else {
            InvoiceStatus::WithinExtensionPeriod
        }
    }

    /// Whether this invoice triggered an exclusion: its duty date has come and, just before it,
    /// more than the threshold was open (OVD-2, OVD-4).
    fn triggers(&self, policy: &Policy, as_of: NaiveDate) -> bool {
        self.duty_date <= as_of && self.open_at_duty.amount > policy.overdue_reporting_threshold.amount
    }
}

/// The exclusion of new deliveries after an overdue (OVD-2, OVD-3, DIS-6), worked out once.
/// `Copy`, so a cover check reads it without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exclusion {
    /// The reporting date: the earliest reporting date of the invoices that triggered it, or the
    /// day the overdue was reported if earlier.
    pub starts: NaiveDate,
    /// Last day of the exclusion period, counted from `starts` (OVD-3).
    pub period_ends: NaiveDate,
    /// The day the last triggering invoice was paid, if all are paid by the as-of date.
    pub paid_on: Option<NaiveDate>,
    /// Whether the insurer confirmed that cover continues (OVD-2).
    pub continued_cover_confirmed: bool,
    /// Whether negative information remains (DIS-6).
    pub negative_information_remains: bool,
}

/// Why a delivery is not covered because of an overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExclusionEffect {
    /// From the reporting date, new receivables do not enter cover (OVD-2).
    NewReceivablesExcluded,
    /// The insurer confirmed continued cover (OVD-2): covered, inside the exclusion period and
    /// after it, since the confirmation has no time limit (OVD-3, CH).
    ContinuedCoverConfirmed,
    /// The exclusion period is exceeded: no cover for further deliveries (OVD-3).
    ExclusionPeriodExceeded,
    /// Self-assessed buyer, exclusion period exceeded (DIS-6).
    SelfAssessedExcluded,
}

impl ExclusionEffect {
    /// Whether the effect takes the delivery out of cover.
    pub fn excludes(self) -> bool {
        self != ExclusionEffect::ContinuedCoverConfirmed
    }
}

impl Exclusion {
    /// The day the exclusion ended for `kind`: all triggering overdues paid, and for a
    /// self-assessed buyer also no negative information left (DIS-6).
    pub fn ended_on(&self, kind: CoverKind) -> Option<NaiveDate> {
        match kind {
            CoverKind::SelfAssessed if self.negative_information_remains => None,
            _ => self.paid_on,
        }
    }

    /// The effect on a delivery made on `date` under cover `kind` (OVD-2, OVD-3, DIS-6).
    /// An express confirmation of continued cover keeps a named limit's cover as it states,
    /// with no time limit (OVD-3, CH): it is looked at before the exclusion period's end.
    /// Allocation-free.
    pub fn effect(&self, kind: CoverKind, date: NaiveDate) -> Option<ExclusionEffect> {
        if date < self.starts || self.ended_on(kind).is_some_and(|end| date >= end) {
            return None;
        }
        let exceeded = date > self.period_ends;
        match kind {
            CoverKind::NamedLimit if self.continued_cover_confirmed => Some(ExclusionEffect::ContinuedCoverConfirmed),
            CoverKind::NamedLimit if exceeded => Some(ExclusionEffect::ExclusionPeriodExceeded),
            CoverKind::NamedLimit => Some(ExclusionEffect::NewReceivablesExcluded),
            CoverKind::SelfAssessed if exceeded => Some(ExclusionEffect::SelfAssessedExcluded),
            CoverKind::SelfAssessed => None,
        }
    }

    /// The reason explaining `effect`.
    pub fn reason(&self, effect: ExclusionEffect) -> Reason {
        let since = Param::from(self.starts.to_string());
        let until = Param::from(self.period_ends.to_string());
        match effect {
            ExclusionEffect::NewReceivablesExcluded => {
                Reason::new(ReasonCode::NewReceivablesExcluded, [("since", since), ("until", until)])
            }
            ExclusionEffect::ContinuedCoverConfirmed => {
                Reason::new(ReasonCode::ContinuedCoverConfirmed, [("since", since)])
            }
            ExclusionEffect::ExclusionPeriodExceeded => Reason::new(
                ReasonCode::ExclusionPeriodExceeded,
                [("since", since), ("exclusionEnds", until)],
            ),
            ExclusionEffect::SelfAssessedExcluded => {
                Reason::new(ReasonCode::SelfAssessedDeliveriesExcluded, [("exclusionEnds", until)])
            }
        }
    }
}

/// The exclusion the invoices trigger on `as_of`, if any (OVD-2, OVD-3, OVD-4, DIS-6). One
/// episode: from the earliest reporting date of the triggering invoices (or the report, if
/// earlier) until the day the last of them is paid.
pub fn exclusion(
    policy: &Policy,
    facts: &[InvoiceFacts],
    reported_on: Option<NaiveDate>,
    continued_cover_confirmed: bool,
    negative_information_remains: bool,
    as_of: NaiveDate,
) -> Result<Option<Exclusion>, Error> {
    let triggering = || facts.iter().filter(|f| f.triggers(policy, as_of));
    let Some(first) = triggering().map(|f| f.duty_date).min() else {
        return Ok(None);
    };
    let starts = reported_on.map_or(first, |r| r.min(first));
    let period_ends = days_after(
        starts,
        policy.exclusion_period_days,
        policy.day_count,
        "exclusionPeriodDays",
    )?;
    let paid_on = triggering()
        .map(|f| f.settled_on)
        .try_fold(None, |latest: Option<NaiveDate>, s| {
            s.map(|d| Some(latest.map_or(d, |l| l.max(d))))
        })
        .flatten();
    Ok(Some(Exclusion {
        starts,
        period_ends,
        paid_on,
        continued_cover_confirmed,
        negative_information_remains,
    }))
}

/// Validates every invoice and works out the exclusion, for [`crate::cover::CoverContext`].
pub fn situation_exclusion(
    policy: &Policy,
    situation: &OverdueSituationDto,
    field: &str,
    as_of: NaiveDate,
) -> Result<Option<Exclusion>, Error> {
    let facts = invoices_facts(policy, &situation.invoices, &format!("{field}.invoices"), as_of)?;
    check_reported_on(situation.reported_on, &format!("{field}.reportedOn"), as_of)?;
    exclusion(
        policy,
        &facts,
        situation.reported_on.map(|d| d.0),
        situation.continued_cover_confirmed,
        situation.negative_information_remains,
        as_of,
    )
}

fn check_reported_on(reported_on: Option<IsoDate>, field: &str, as_of: NaiveDate) -> Result<(), Error> {
    match reported_on {
        Some(d) if d.0 > as_of => Err(date_order(field.to_owned(), format!("{} is after asOf {as_of}", d.0))),
        _ => Ok(()),
    }
}

fn date(d: NaiveDate) -> Param {
    Param::from(d.to_string())
}

fn amount(m: Money) -> Param {
    Param::amount(m.rounded().amount)
}

/// Op `overdue_report` (OVD-1..6, DIS-6): outcome `overdue_to_report` when at least one
/// invoice must be reported, else `no_overdue_to_report`; amounts `overdueTotal` (every
/// receivable past its due date) and `reportableTotal` (those to report); the per-invoice list,
/// the combined report, the payment reports and the exclusion in `details`.
pub fn overdue_report(input: &OverdueReportInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let facts = invoices_facts(&policy, &input.invoices, "invoices", as_of)?;
    check_reported_on(input.reported_on, "reportedOn", as_of)?;
    for (i, pair) in input.extra_reporting_dates.windows(2).enumerate() {
        if let [a, b] = pair {
            if b.0 <= a.0 {
                return Err(date_order(
                    format!("extraReportingDates[{}]", i + 1),
                    format!("{} does not come after {}", b.0, a.0),
                ));
            }
        }
    }
    report(
        &policy,
        facts,
        &OverdueContext {
            cover_kind: input.cover_kind,
            extra_reporting_dates: &input.extra_reporting_dates,
            reported_on: input.reported_on.map(|d| d.0),
            continued_cover_confirmed: input.continued_cover_confirmed,
            negative_information_remains: input.negative_information_remains,
            as_of,
        },
    )
}

/// What is known about a buyer's overdues besides its invoices, for [`report`].
#[derive(Debug, Clone, Copy)]
pub struct OverdueContext<'a> {
    /// Named limit or self-assessed.
    pub cover_kind: CoverKind,
    /// Extra reporting dates, ascending (OVD-6).
    pub extra_reporting_dates: &'a [IsoDate],
    /// The day the overdue was reported, on or before `as_of` (OVD-2).
    pub reported_on: Option<NaiveDate>,
    /// Whether the insurer confirmed that cover continues (OVD-2).
    pub continued_cover_confirmed: bool,
    /// Whether negative information remains (DIS-6).
    pub negative_information_remains: bool,
    /// The date asked about.
    pub as_of: NaiveDate,
}

/// The answer of `overdue_report` from a validated policy and invoices already worked out
/// with [`invoice_facts`] on `context.as_of` (OVD-1..6, DIS-6). The facts are taken: their
/// references move into the answer.
pub fn report(policy: &Policy, facts: Vec<InvoiceFacts>, context: &OverdueContext<'_>) -> Result<Decision, Error> {
    let as_of = context.as_of;
    let cur = || Param::from(policy.currency.code());
    let zero = Money::zero(policy.currency);
    let mut reasons = Vec::new();
    let mut invoices = Vec::new();
    let mut overdue_total = zero;
    let mut reportable_total = zero;
    let mut to_report: Vec<&InvoiceFacts> = Vec::new();
    for f in &facts {
        let status = f.status(policy, context.cover_kind, as_of);
        if f.due_date < as_of && !f.open.amount.is_zero() {
            overdue_total = overdue_total.checked_add(&f.open, "invoices")?;
        }
        let report_by = (status == InvoiceStatus::ToReport).then_some(IsoDate(f.duty_date));
        match status {
            InvoiceStatus::WithinExtensionPeriod => reasons.push(Reason::new(
                ReasonCode::OverdueWithinExtensionPeriod,
                [
                    ("invoice", Param::from(f.reference.as_str())),
                    ("dueDate", date(f.due_date)),
                    ("extensionEnds", date(f.extension_ends)),
                ],
            )),
            InvoiceStatus::BelowThreshold => reasons.push(Reason::new(
                ReasonCode::BelowOverdueReportingThreshold,
                [
                    ("invoice", Param::from(f.reference.as_str())),
                    ("open", amount(f.open)),
                    ("threshold", amount(policy.overdue_reporting_threshold)),
                    ("currency", cur()),
                ],
            )),
            InvoiceStatus::ToReport => {
                reportable_total = reportable_total.checked_add(&f.open, "invoices")?;
                to_report.push(f);
                let code = if f.clearly_exceeded {
                    ReasonCode::OverdueClearlyExceeded
                } else {
                    ReasonCode::OverdueReportingDuty
                };
                reasons.push(Reason::new(
                    code,
                    [
                        ("invoice", Param::from(f.reference.as_str())),
                        ("dueDate", date(f.due_date)),
                        ("extensionEnds", date(f.extension_ends)),
                        ("reportBy", date(f.duty_date)),
                        ("open", amount(f.open)),
                        ("currency", cur()),
                    ],
                ));
                if let Some(why) = &f.delay_reason {
                    reasons.push(Reason::new(
                        ReasonCode::OverdueDelayReason,
                        [
                            ("invoice", Param::from(f.reference.as_str())),
                            ("reason", Param::from(why.as_str())),
                        ],
                    ));
                }
            }
            InvoiceStatus::Paid | InvoiceStatus::NotDue | InvoiceStatus::NoDutySelfAssessed => {}
        }
        invoices.push(InvoiceSummary {
            reference: String::new(), // moved in from the facts at the end
            open_amount: f.open.into(),
            due_date: IsoDate(f.due_date),
            extension_ends: IsoDate(f.extension_ends),
            status,
            report_by,
        });
    }
    if context.cover_kind == CoverKind::SelfAssessed {
        reasons.push(Reason::new(ReasonCode::NoOverdueReportingDutySelfAssessed, []));
    }

    // OVD-5: one report, with the oldest invoice's dates and the total of all overdues.
    let combined_report = to_report
        .iter()
        .min_by_key(|f| (f.invoice_date, f.due_date))
        .map(|oldest| {
            let report_by = to_report.iter().map(|f| f.duty_date).min().unwrap_or(oldest.duty_date);
            let count = u32::try_from(to_report.len()).unwrap_or(u32::MAX);
            reasons.push(Reason::new(
                ReasonCode::CombinedOverdueReport,
                [
                    ("count", Param::from(count)),
                    ("oldestInvoice", Param::from(oldest.reference.as_str())),
                    ("invoiceDate", date(oldest.invoice_date)),
                    ("dueDate", date(oldest.due_date)),
                    ("paymentTermsDays", Param::from(oldest.payment_terms_days)),
                    ("total", amount(overdue_total)),
                    ("currency", cur()),
                    ("reportBy", date(report_by)),
                ],
            ));
            CombinedReport {
                count,
                oldest_invoice: oldest.reference.clone(),
                invoice_date: IsoDate(oldest.invoice_date),
                due_date: IsoDate(oldest.due_date),
                payment_terms_days: oldest.payment_terms_days,
                end_of_month: oldest.end_of_month,
                total_overdue: overdue_total.into(),
                report_by: IsoDate(report_by),
            }
        });

    // OVD-6: payments received in between are reported on the next extra reporting date.
    let mut payment_reports = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for reporting_date in context.extra_reporting_dates {
        let mut count = 0u32;
        let mut total = zero;
        for (d, m) in facts.iter().flat_map(|f| f.payments.iter()) {
            if *d <= reporting_date.0 && previous.is_none_or(|p| *d > p) {
                count += 1;
                total = total.checked_add(m, "invoices")?;
            }
        }
        previous = Some(reporting_date.0);
        if count > 0 {
            reasons.push(Reason::new(
                ReasonCode::PaymentsReportedOnReportingDate,
                [
                    ("reportingDate", date(reporting_date.0)),
                    ("count", Param::from(count)),
                    ("total", amount(total)),
                    ("currency", cur()),
                ],
            ));
            payment_reports.push(PaymentReport {
                reporting_date: *reporting_date,
                count,
                total: total.into(),
            });
        }
    }
    let next_reporting_date = context.extra_reporting_dates.iter().find(|d| d.0 >= as_of).copied();
    if let Some(next) = next_reporting_date {
        reasons.push(Reason::new(ReasonCode::NextReportingDate, [("date", date(next.0))]));
    }

    // OVD-2, OVD-3, DIS-6: what the overdue does to new deliveries.
    let exclusion = exclusion(
        policy,
        &facts,
        context.reported_on,
        context.continued_cover_confirmed,
        context.negative_information_remains,
        as_of,
    )?;
    if let Some(ex) = &exclusion {
        reasons.extend(exclusion_reasons(ex, context.cover_kind));
    }

    let outcome = if to_report.is_empty() {
        Outcome::NoOverdueToReport
    } else {
        Outcome::OverdueToReport
    };
    for (summary, f) in invoices.iter_mut().zip(facts) {
        summary.reference = f.reference;
    }
    Ok(Decision {
        outcome,
        amounts: [
            ("overdueTotal".to_owned(), overdue_total.into()),
            ("reportableTotal".to_owned(), reportable_total.into()),
        ]
        .into(),
        reasons,
        details: Some(Details::Overdue(OverdueSummary {
            invoices,
            combined_report,
            payment_reports,
            next_reporting_date,
            exclusion: exclusion.map(|ex| ExclusionSummary {
                starts: IsoDate(ex.starts),
                period_ends: IsoDate(ex.period_ends),
                ended_on: ex.ended_on(context.cover_kind).map(IsoDate),
            }),
        })),
    })
}

/// The reasons describing an exclusion as a whole, for `overdue_report`.
fn exclusion_reasons(ex: &Exclusion, kind: CoverKind) -> Vec<Reason> {
    let mut reasons = Vec::new();
    match (kind, ex.ended_on(kind), ex.paid_on) {
        (CoverKind::NamedLimit, Some(paid), _) => {
            reasons.push(Reason::new(ReasonCode::ExclusionEndedAllPaid, [("paidOn", date(paid))]));
        }
        // OVD-3 (CH): a confirmation has no time limit, so the period's end changes nothing.
        (CoverKind::NamedLimit, None, _) if ex.continued_cover_confirmed => {
            reasons.push(ex.reason(ExclusionEffect::ContinuedCoverConfirmed));
        }
        (CoverKind::NamedLimit, None, _) => {
            reasons.push(ex.reason(ExclusionEffect::NewReceivablesExcluded));
            reasons.push(ex.reason(ExclusionEffect::ExclusionPeriodExceeded));
        }
        (CoverKind::SelfAssessed, Some(paid), _) => {
            reasons.push(Reason::new(
                ReasonCode::SelfAssessedExclusionEnded,
                [("paidOn", date(paid))],
            ));
        }
        (CoverKind::SelfAssessed, None, Some(paid)) => {
            reasons.push(ex.reason(ExclusionEffect::SelfAssessedExcluded));
            reasons.push(Reason::new(
                ReasonCode::NegativeInformationRemains,
                [("paidOn", date(paid))],
            ));
        }
        (CoverKind::SelfAssessed, None, None) => {
            reasons.push(ex.reason(ExclusionEffect::SelfAssessedExcluded));
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;
    use crate::calendar::parse_date;
    use crate::policy::DayCountDto;

    fn d(s: &str) -> NaiveDate {
        parse_date("t", s).unwrap()
    }

    fn eur(amount: &str) -> MoneyDto {
        MoneyDto {
            amount: crate::money::DecimalString(amount.parse().unwrap()),
            currency: "EUR".into(),
        }
    }

    fn policy_dto() -> PolicyDto {
        serde_json::from_value(serde_json::json!({
            "currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
            "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "exclusionPeriodDays": 30,
            "overdueReportingThreshold": {"amount": "1000", "currency": "EUR"},
            "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "2000000", "currency": "EUR"},
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}
        }))
        .unwrap()
    }

    fn invoice(reference: &str, amount: &str, date: &str, terms: u32) -> InvoiceDto {
        InvoiceDto {
            reference: reference.into(),
            amount: eur(amount),
            invoice_date: IsoDate(d(date)),
            due_date: None,
            payment_terms_days: Some(terms),
            end_of_month: false,
            payments: vec![],
            credit_notes: vec![],
            clearly_exceeded_on: None,
            delay_reason: None,
        }
    }

    fn input(invoices: Vec<InvoiceDto>, as_of: &str) -> OverdueReportInput {
        OverdueReportInput {
            policy: policy_dto(),
            cover_kind: CoverKind::NamedLimit,
            invoices,
            extra_reporting_dates: vec![],
            reported_on: None,
            continued_cover_confirmed: false,
            negative_information_remains: false,
            as_of: IsoDate(d(as_of)),
        }
    }

    fn summary(decision: &Decision) -> &OverdueSummary {
        match &decision.details {
            Some(Details::Overdue(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reporting_deadline_is_the_day_after_the_extension_period_ovd_1() {
        let policy = policy_dto().validate().unwrap();
        // 1 March + 30 days = 31 March; + 60 days = 30 May; report at once: 31 May.
        let f = invoice_facts(&policy, &invoice("I", "5000", "2026-03-01", 30), "i", d("2026-06-01")).unwrap();
        assert_eq!(f.due_date, d("2026-03-31"));
        assert_eq!(f.extension_ends, d("2026-05-30"));
        assert_eq!(f.duty_date, d("2026-05-31"));
        assert_eq!(
            f.status(&policy, CoverKind::NamedLimit, d("2026-05-30")),
            InvoiceStatus::WithinExtensionPeriod
        );
        assert_eq!(
            f.status(&policy, CoverKind::NamedLimit, d("2026-05-31")),
            InvoiceStatus::ToReport
        );
    }

    #[test]
    fn same_invoice_under_both_day_count_settings_ovd_1() {
        let mut dto = policy_dto();
        let exclude = dto.validate().unwrap();
        dto.day_count = DayCountDto::IncludeStartDay;
        let include = dto.validate().unwrap();
        let inv = invoice("I", "5000", "2026-03-01", 30);
        let a = invoice_facts(&exclude, &inv, "i", d("2026-06-01")).unwrap();
        let b = invoice_facts(&include, &inv, "i", d("2026-06-01")).unwrap();
        assert_eq!(
            (a.due_date, a.extension_ends, a.duty_date),
            (d("2026-03-31"), d("2026-05-30"), d("2026-05-31"))
        );
        assert_eq!(
            (b.due_date, b.extension_ends, b.duty_date),
            (d("2026-03-30"), d("2026-05-28"), d("2026-05-29"))
        );
        let ex_a = exclusion(&exclude, &[a], None, false, false, d("2026-06-01"))
            .unwrap()
            .unwrap();
        let ex_b = exclusion(&include, &[b], None, false, false, d("2026-06-01"))
            .unwrap()
            .unwrap();
        assert_eq!(ex_a.period_ends, d("2026-06-30"));
        assert_eq!(ex_b.period_ends, d("2026-06-27"));
    }

    #[test]
    fn invoice_below_threshold_creates_no_duty_even_beside_a_reportable_one_ovd_4() {
        let out = overdue_report(&input(
            vec![
                invoice("small", "800", "2026-02-20", 30),
                invoice("big", "5000", "2026-03-01", 30),
            ],
            "2026-06-06",
        ))
        .unwrap();
        let s = summary(&out);
        assert_eq!(s.invoices[0].status, InvoiceStatus::BelowThreshold);
        assert_eq!(s.invoices[0].report_by, None);
        assert_eq!(s.invoices[1].status, InvoiceStatus::ToReport);
        assert_eq!(out.amounts["reportableTotal"].amount.0.to_string(), "5000.00");
        assert_eq!(out.amounts["overdueTotal"].amount.0.to_string(), "5800.00");
        // Only the big invoice triggers the exclusion: from its reporting date, 31 May.
        assert_eq!(s.exclusion.as_ref().unwrap().starts, IsoDate(d("2026-05-31")));
    }

    #[test]
    fn three_overdues_give_one_report_with_the_oldest_invoice_ovd_5() {
        let out = overdue_report(&input(
            vec![
                invoice("c", "2000", "2026-03-07", 30),
                invoice("a", "5000", "2026-03-01", 30),
                invoice("b", "3000", "2026-03-04", 30),
            ],
            "2026-06-06",
        ))
        .unwrap();
        assert_eq!(out.outcome, Outcome::OverdueToReport);
        let r = summary(&out).combined_report.clone().unwrap();
        assert_eq!(r.count, 3);
        assert_eq!(r.oldest_invoice, "a");
        assert_eq!(
            (r.invoice_date, r.due_date),
            (IsoDate(d("2026-03-01")), IsoDate(d("2026-03-31")))
        );
        assert_eq!(r.payment_terms_days, 30);
        assert_eq!(r.total_overdue.amount.0.to_string(), "10000.00");
        assert_eq!(r.report_by, IsoDate(d("2026-05-31")));
    }

    #[test]
    fn payments_wait_for_the_next_extra_reporting_date_ovd_6() {
        let mut inv = invoice("I", "10000", "2026-03-01", 30);
        inv.payments = vec![
            SettlementDto {
                date: IsoDate(d("2026-05-10")),
                amount: eur("1000"),
            },
            SettlementDto {
                date: IsoDate(d("2026-05-16")),
                amount: eur("2000"),
            },
        ];
        let mut i = input(vec![inv], "2026-06-01");
        i.extra_reporting_dates = vec![IsoDate(d("2026-05-15")), IsoDate(d("2026-06-15"))];
        let out = overdue_report(&i).unwrap();
        let s = summary(&out);
        assert_eq!(s.payment_reports.len(), 2);
        assert_eq!(s.payment_reports[1].reporting_date, IsoDate(d("2026-06-15")));
        assert_eq!(s.payment_reports[1].total.amount.0.to_string(), "2000.00");
        assert_eq!(s.next_reporting_date, Some(IsoDate(d("2026-06-15"))));
    }

    #[test]
    fn exclusion_effects_by_date_and_cover_kind_ovd_2_ovd_3_dis_6() {
        let ex = Exclusion {
            starts: d("2026-05-31"),
            period_ends: d("2026-06-30"),
            paid_on: None,
            continued_cover_confirmed: false,
            negative_information_remains: false,
        };
        let named = CoverKind::NamedLimit;
        let sa = CoverKind::SelfAssessed;
        assert_eq!(ex.effect(named, d("2026-05-30")), None);
        assert_eq!(
            ex.effect(named, d("2026-05-31")),
            Some(ExclusionEffect::NewReceivablesExcluded)
        );
        assert_eq!(
            ex.effect(named, d("2026-07-01")),
            Some(ExclusionEffect::ExclusionPeriodExceeded)
        );
        let confirmed = Exclusion {
            continued_cover_confirmed: true,
            ..ex
        };
        assert_eq!(
            confirmed.effect(named, d("2026-06-30")),
            Some(ExclusionEffect::ContinuedCoverConfirmed)
        );
        // OVD-3 (CH): the confirmation has no time limit; the period's end does not undo it.
        for after_the_period in ["2026-07-01", "2027-06-30"] {
            assert_eq!(
                confirmed.effect(named, d(after_the_period)),
                Some(ExclusionEffect::ContinuedCoverConfirmed)
            );
        }
        assert!(!ExclusionEffect::ContinuedCoverConfirmed.excludes());
        // A self-assessed buyer has its own rule (DIS-6): a confirmation does not change it.
        assert_eq!(
            confirmed.effect(sa, d("2026-07-01")),
            Some(ExclusionEffect::SelfAssessedExcluded)
        );
        assert_eq!(ex.effect(sa, d("2026-06-30")), None);
        assert_eq!(
            ex.effect(sa, d("2026-07-01")),
            Some(ExclusionEffect::SelfAssessedExcluded)
        );
        let paid = Exclusion {
            paid_on: Some(d("2026-07-10")),
            negative_information_remains: true,
            ..ex
        };
        assert_eq!(paid.effect(named, d("2026-07-10")), None);
        assert_eq!(
            paid.effect(sa, d("2026-07-10")),
            Some(ExclusionEffect::SelfAssessedExcluded)
        );
    }

    #[test]
    fn payment_larger_than_the_open_amount_is_out_of_range() {
        let mut inv = invoice("I", "5000", "2026-03-01", 30);
        inv.payments = vec![
            SettlementDto {
                date: IsoDate(d("2026-04-01")),
                amount: eur("3000"),
            },
            SettlementDto {
                date: IsoDate(d("2026-04-02")),
                amount: eur("2000.01"),
            },
        ];
        let err = overdue_report(&input(vec![inv], "2026-06-01")).unwrap_err();
        assert_eq!(err.code(), "out_of_range");
        assert_eq!(err.field(), "invoices[0].payments[1].amount");
    }

    #[test]
    fn due_date_before_invoice_date_is_a_date_order_error() {
        let mut inv = invoice("I", "5000", "2026-03-01", 30);
        inv.payment_terms_days = None;
        inv.due_date = Some(IsoDate(d("2026-02-28")));
        let err = overdue_report(&input(vec![inv], "2026-06-01")).unwrap_err();
        assert_eq!((err.code(), err.field()), ("date_order", "invoices[0].dueDate"));
    }

    #[test]
    fn threshold_in_another_currency_is_an_invalid_policy_with_currency_mismatch() {
        let mut i = input(vec![], "2026-06-01");
        i.policy.overdue_reporting_threshold = Some(MoneyDto {
            amount: crate::money::DecimalString(Decimal::ONE_THOUSAND),
            currency: "CHF".into(),
        });
        let err = overdue_report(&i).unwrap_err();
        assert_eq!(err.code(), "invalid_policy");
        let p = &err.problems()[0];
        assert_eq!(
            (p.code.as_str(), p.field.as_str()),
            ("currency_mismatch", "overdueReportingThreshold.currency")
        );
    }
}
