//! The overdue report form (OVD-1, OVD-5): the oldest overdue invoice's date, due date and
//! original payment terms, what is open on it, the total of all the buyer's overdue
//! receivables, whether several overdues are reported together, and the reason for the delay
//! if known. Dates are counted as `overdue_report` counts them (`spec/overdue.md`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Codes, Collector, FormReport};
use crate::calendar::{days_after, IsoDate, PaymentTerms};
use crate::claim::date;
use crate::decision::{Param, ReasonCode};
use crate::declaration::Severity;
use crate::error::Error;
use crate::i18n::Language;
use crate::policy::PolicyDto;

/// The codes of the overdue report form's typed values.
const CODES: Codes = Codes {
    required: ReasonCode::OverdueFormFieldRequired,
    amount_invalid: ReasonCode::OverdueFormAmountInvalid,
    amount_not_positive: ReasonCode::OverdueFormAmountNotPositive,
    amount_too_precise: ReasonCode::OverdueFormAmountTooPrecise,
    terms_invalid: ReasonCode::OverdueFormTermsInvalid,
    date_invalid: ReasonCode::OverdueFormDateInvalid,
};

/// The overdue report form, its values as typed: dates, days and amounts as strings, absent or
/// empty when not filled in yet; boxes as booleans. Amounts are in the policy currency.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdueReportFormDto {
    /// Date of the (oldest) overdue invoice, `YYYY-MM-DD` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub invoice_date: Option<String>,
    /// Its due date, `YYYY-MM-DD` (required; after the invoice date, before `asOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub due_date: Option<String>,
    /// Its original payment terms, whole days (required; the two dates must agree with them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub payment_terms_days: Option<String>,
    /// The terms are "end of month" ("30 days end of month"), read as the policy's
    /// `endOfMonthConvention` reads them.
    #[serde(default)]
    pub end_of_month: bool,
    /// What is still unpaid on that invoice, a decimal string (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub open_amount: Option<String>,
    /// The total of all the buyer's overdue receivables, a decimal string (required; at least
    /// the open amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub total_overdue: Option<String>,
    /// Several overdues reported together (OVD-5): the invoice above is the oldest of them.
    #[serde(default)]
    pub bundled: bool,
    /// The reason for the delay, if known (a complaint, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub delay_reason: Option<String>,
}

/// Input of op `validate_overdue_report_form`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateOverdueReportFormInput {
    /// Policy terms (currency, maximum extension and credit periods, day count).
    pub policy: PolicyDto,
    /// The form as typed.
    pub overdue_report: OverdueReportFormDto,
    /// The day of the report ("today").
    pub as_of: IsoDate,
    /// `en`, `de`, `fr`, `nl` or `da`.
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: String,
}

/// Op `validate_overdue_report_form` (OVD-1, OVD-5): every field of an overdue report form at
/// once (`spec/forms.md` lists each check with its code).
///
/// `invoiceDate` and `dueDate` required dates (`overdue_form_field_required`,
/// `overdue_form_date_invalid`), the due date after the invoice date
/// (`overdue_form_due_not_after_invoice`) and before `asOf` (`overdue_form_not_overdue`); on
/// `dueDate` a notice while the maximum extension period runs
/// (`overdue_form_within_extension_period`) and a warning once the day to report has passed
/// (`overdue_form_report_late`). `paymentTermsDays` whole days (`overdue_form_terms_invalid`)
/// giving the due date from the invoice date (`overdue_form_terms_inconsistent`), within the
/// maximum credit period (BUY-3 `payment_terms_exceed_max_credit_period`, a warning).
/// `openAmount` and `totalOverdue` amounts (`overdue_form_amount_invalid`,
/// `overdue_form_amount_not_positive`, `overdue_form_amount_too_precise`), the total at least
/// the open amount (`overdue_form_total_below_open_amount`) and, for several overdues, more
/// than it (`overdue_form_bundle_total_not_above_open_amount`). A notice on `delayReason` while
/// it is empty (`overdue_form_reason_if_known`).
pub fn validate_overdue_report_form(input: &ValidateOverdueReportFormInput) -> Result<FormReport, Error> {
    let policy = input.policy.validate()?;
    let lang = Language::parse("lang", &input.lang)?;
    let form = &input.overdue_report;
    let as_of = input.as_of.0;
    let mut c = Collector::default();

    let invoice_date = c.date(&CODES, "invoiceDate", form.invoice_date.as_deref());
    let due = c.date(&CODES, "dueDate", form.due_date.as_deref());
    let due = match (invoice_date, due) {
        (Some(invoice), Some(due)) if due <= invoice => {
            c.error(
                ReasonCode::OverdueFormDueNotAfterInvoice,
                "dueDate",
                [("invoiceDate", date(invoice)), ("dueDate", date(due))],
            );
            None
        }
        (_, due) => due,
    };
    if let Some(due) = due {
        reporting_day(&mut c, due, as_of, policy.max_extension_period_days, policy.day_count)?;
    }

    if let Some(days) = c.days(&CODES, "paymentTermsDays", form.payment_terms_days.as_deref()) {
        if let Some(invoice) = invoice_date {
            let terms = PaymentTerms::new(days, form.end_of_month, policy.end_of_month_convention);
            let expected = terms.due_date(invoice, policy.day_count)?;
            if let Some(due) = due.filter(|due| *due != expected) {
                c.error(
                    ReasonCode::OverdueFormTermsInconsistent,
                    "paymentTermsDays",
                    [
                        ("paymentTermsDays", Param::from(days)),
                        ("invoiceDate", date(invoice)),
                        ("expectedDueDate", date(expected)),
                        ("dueDate", date(due)),
                    ],
                );
            }
            // BUY-3: a receivable on terms beyond the maximum credit period is not insured.
            let credit_days = terms.credit_days(Some(invoice));
            if credit_days > i64::from(policy.max_credit_period_days) {
                c.push(
                    ReasonCode::PaymentTermsExceedMaxCreditPeriod,
                    Severity::Warning,
                    "paymentTermsDays",
                    [
                        ("paymentTermsDays", Param::Int(credit_days)),
                        ("maxCreditPeriodDays", Param::from(policy.max_credit_period_days)),
                    ],
                );
            }
        }
    }

    let open = c.amount(&CODES, lang, "openAmount", form.open_amount.as_deref(), policy.currency);
    let total = c.amount(
        &CODES,
        lang,
        "totalOverdue",
        form.total_overdue.as_deref(),
        policy.currency,
    );
    if let (Some(open), Some(total)) = (open, total) {
        let currency = Param::from(policy.currency.code());
        if total < open {
            c.error(
                ReasonCode::OverdueFormTotalBelowOpenAmount,
                "totalOverdue",
                [
                    ("total", Param::amount(total)),
                    ("openAmount", Param::amount(open)),
                    ("currency", currency),
                ],
            );
        } else if form.bundled && total == open {
            c.error(
                ReasonCode::OverdueFormBundleTotalNotAboveOpenAmount,
                "totalOverdue",
                [("total", Param::amount(total)), ("currency", currency)],
            );
        }
    }

    if form.delay_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        c.push(
            ReasonCode::OverdueFormReasonIfKnown,
            Severity::Notice,
            "delayReason",
            [],
        );
    }
    FormReport::from_findings(&c.0, lang)
}

/// OVD-1 on `dueDate`: overdue only after the due date; the report is due the day after the
/// maximum extension period ends (`overdue_report`'s reporting date), "at once": a notice
/// before that day (a report is early unless the period will clearly be exceeded), a warning
/// after it.
fn reporting_day(
    c: &mut Collector,
    due: NaiveDate,
    as_of: NaiveDate,
    max_extension_days: u32,
    day_count: crate::calendar::DayCount,
) -> Result<(), Error> {
    if due >= as_of {
        c.error(
            ReasonCode::OverdueFormNotOverdue,
            "dueDate",
            [("dueDate", date(due)), ("asOf", date(as_of))],
        );
        return Ok(());
    }
    let extension_ends = days_after(due, max_extension_days, day_count, "dueDate")?;
    let report_by = extension_ends.succ_opt().unwrap_or(extension_ends);
    if as_of < report_by {
        c.push(
            ReasonCode::OverdueFormWithinExtensionPeriod,
            Severity::Notice,
            "dueDate",
            [("extensionEnds", date(extension_ends))],
        );
    } else if as_of > report_by {
        c.push(
            ReasonCode::OverdueFormReportLate,
            Severity::Warning,
            "dueDate",
            [("reportBy", date(report_by))],
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(form: OverdueReportFormDto, as_of: &str, lang: &str) -> FormReport {
        let input = serde_json::json!({
            "policy": {
                "currency": "EUR",
                "insuranceYear": {"start": "2026-01-01"},
                "agreedCountries": ["DE", "FR"],
                "maxCreditPeriodDays": 120,
                "maxExtensionPeriodDays": 60,
                "waitingPeriodDays": 180,
                "indemnityPercentage": "90",
                "maximumLiability": {"amount": "2000000", "currency": "EUR"},
                "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
                "declarationDeadlineDays": 30
            },
            "overdueReport": form,
            "asOf": as_of,
            "lang": lang,
        });
        validate_overdue_report_form(&serde_json::from_value(input).unwrap()).unwrap()
    }

    fn complete() -> OverdueReportFormDto {
        // Invoice of 1 March on 30 days: due 31 March, extension ends 30 May, report by 31 May.
        OverdueReportFormDto {
            invoice_date: Some("2026-03-01".into()),
            due_date: Some("2026-03-31".into()),
            payment_terms_days: Some("30".into()),
            end_of_month: false,
            open_amount: Some("12000.00".into()),
            total_overdue: Some("12000.00".into()),
            bundled: false,
            delay_reason: Some("Reklamation".into()),
        }
    }

    #[test]
    fn a_report_on_the_day_it_is_due_is_valid_without_any_message_ovd_1() {
        let report = run(complete(), "2026-05-31", "en");
        assert!(report.valid && report.fields.is_empty(), "{report:?}");
    }

    #[test]
    fn an_empty_overdue_form_asks_for_every_field_and_the_reason() {
        let report = run(OverdueReportFormDto::default(), "2026-05-31", "en");
        let keys: Vec<_> = report.fields.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "delayReason",
                "dueDate",
                "invoiceDate",
                "openAmount",
                "paymentTermsDays",
                "totalOverdue"
            ]
        );
        assert_eq!(report.fields["delayReason"][0].severity, Severity::Notice);
    }

    #[test]
    fn end_of_month_terms_run_from_the_month_end_ovd_5() {
        let mut form = complete();
        form.end_of_month = true;
        form.due_date = Some("2026-04-30".into());
        let report = run(form, "2026-06-30", "en");
        assert!(report.valid && report.fields.is_empty(), "{report:?}");
    }

    #[test]
    fn a_bundle_must_total_more_than_its_oldest_invoice_ovd_5() {
        let mut form = complete();
        form.bundled = true;
        let report = run(form, "2026-05-31", "en");
        assert_eq!(
            report.fields["totalOverdue"][0].code,
            ReasonCode::OverdueFormBundleTotalNotAboveOpenAmount
        );
    }
}
