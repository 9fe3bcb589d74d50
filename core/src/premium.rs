//! Premium (PRM-1, PRM-2, PRM-6): the turnover premium and its adjustment after the yearly
//! declaration, the declaration deadline, and the balance premium on the reporting day.
//!
//! The declaration validator (PRM-3..5) is in [`crate::declaration`].
//!
//! Rounding: each premium is a figure of its own (it is invoiced), so it is computed at full
//! precision and rounded once, half-even to the currency's minor unit ([`Money::rounded`]). The
//! additional premium or refund is the difference of the two rounded premiums, exact, so that
//! it is what the insured was invoiced against.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{add_months, days_after, end_of_month, IsoDate};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto, Percent};
use crate::policy::{DeclarationDeadline, Policy, PolicyDto, Premium};

/// Input of op `turnover_premium` (PRM-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TurnoverPremiumInput {
    /// Policy terms; the premium basis must be `turnover`.
    pub policy: PolicyDto,
    /// The insured turnover declared after the insurance year; absent before the declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_turnover: Option<MoneyDto>,
}

fn money_param(m: Money) -> Param {
    Param::amount(m.rounded().amount)
}

fn pct_param(p: Percent) -> Param {
    Param::amount(p.value().normalize())
}

fn mul(a: Money, k: Decimal, field: &str) -> Result<Money, Error> {
    a.amount
        .checked_mul(k)
        .map(|x| Money::new(x, a.currency))
        .ok_or_else(|| Error::Overflow {
            field: field.to_owned(),
        })
}

/// The turnover premium (PRM-1): premium = insured turnover × premium rate.
///
/// Before the declaration, the provisional premium is charged on the expected turnover, with
/// the minimum premium when the policy sets one (a share of that expected premium,
/// `minimumPremiumShare`; DK: 90 %; absent: no minimum premium). After it, the final premium is
/// the declared insured turnover × rate, never below the minimum if there is one; the
/// difference to the provisional premium is an additional premium or a refund.
/// When the policy sets the maximum liability as a multiple of the premium, it is derived from
/// the premium of the answer (provisional, or final once declared).
///
/// ```
/// use delcredere::premium::{turnover_premium, TurnoverPremiumInput};
/// let input: TurnoverPremiumInput = serde_json::from_str(r#"{"policy": {"currency": "DKK",
///   "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DK"],
///   "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
///   "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "DKK"},
///   "premium": {"basis": "turnover", "rate": "0.20",
///     "expectedTurnover": {"amount": "20000000", "currency": "DKK"}, "minimumPremiumShare": "90"},
///   "declarationDeadlineDays": 60}}"#).unwrap();
/// let d = turnover_premium(&input).unwrap();
/// assert_eq!(d.amounts["provisionalPremium"].amount.to_string(), "40000.00");
/// assert_eq!(d.amounts["minimumPremium"].amount.to_string(), "36000.00");
/// ```
pub fn turnover_premium(input: &TurnoverPremiumInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let Premium::Turnover {
        rate,
        expected_turnover,
        minimum_share,
    } = policy.premium
    else {
        return Err(Error::InconsistentTerms {
            field: "policy.premium.basis".into(),
            detail: "a turnover premium needs the premium basis turnover".into(),
        });
    };
    let currency = policy.currency;
    let code = currency.code();
    let expected_premium = expected_turnover.percent_of(rate, "policy.premium.expectedTurnover")?;
    let provisional = expected_premium.rounded();
    let mut amounts = BTreeMap::new();
    amounts.insert("provisionalPremium".to_owned(), MoneyDto::from(provisional));
    let mut reasons = vec![Reason::new(
        ReasonCode::ProvisionalPremium,
        [
            ("expectedTurnover", money_param(expected_turnover)),
            ("rate", pct_param(rate)),
            ("premium", money_param(provisional)),
            ("currency", Param::from(code)),
        ],
    )];
    // PRM-1, PRM-2: only a policy that sets a minimum premium share has a minimum premium.
    let minimum = match minimum_share {
        Some(share) => {
            let minimum = expected_premium.percent_of(share, "policy.premium.minimumPremiumShare")?;
            let minimum_rounded = minimum.rounded();
            amounts.insert("minimumPremium".to_owned(), MoneyDto::from(minimum_rounded));
            reasons.push(Reason::new(
                ReasonCode::MinimumPremium,
                [
                    ("share", pct_param(share)),
                    ("expectedPremium", money_param(provisional)),
                    ("minimumPremium", money_param(minimum_rounded)),
                    ("currency", Param::from(code)),
                ],
            ));
            Some((minimum, minimum_rounded))
        }
        None => None,
    };

    let (outcome, premium_for_liability) = match &input.declared_turnover {
        None => (Outcome::Computed, expected_premium),
        Some(dto) => {
            let declared = dto.to_non_negative("declaredTurnover")?;
            if declared.currency != currency {
                return Err(Error::CurrencyMismatch {
                    field: "declaredTurnover.currency".into(),
                    expected: code.to_owned(),
                    found: declared.currency.code().to_owned(),
                });
            }
            let declared_premium = declared.percent_of(rate, "declaredTurnover")?;
            let raised_to = minimum.filter(|(m, _)| declared_premium.amount < m.amount);
            let final_premium = raised_to.map_or(declared_premium, |(m, _)| m);
            let final_rounded = final_premium.rounded();
            amounts.insert("finalPremium".to_owned(), MoneyDto::from(final_rounded));
            reasons.push(Reason::new(
                ReasonCode::FinalPremium,
                [
                    ("declaredTurnover", money_param(declared)),
                    ("rate", pct_param(rate)),
                    ("premium", money_param(declared_premium)),
                    ("currency", Param::from(code)),
                ],
            ));
            if let Some((_, minimum_rounded)) = raised_to {
                reasons.push(Reason::new(
                    ReasonCode::FinalPremiumRaisedToMinimum,
                    [
                        ("declaredPremium", money_param(declared_premium)),
                        ("minimumPremium", money_param(minimum_rounded)),
                        ("currency", Param::from(code)),
                    ],
                ));
            }
            let difference = final_rounded.amount - provisional.amount;
            let outcome = if difference > Decimal::ZERO {
                let additional = Money::new(difference, currency);
                amounts.insert("additionalPremium".to_owned(), MoneyDto::from(additional));
                reasons.push(Reason::new(
                    ReasonCode::AdditionalPremium,
                    [
                        ("finalPremium", money_param(final_rounded)),
                        ("provisionalPremium", money_param(provisional)),
                        ("additional", money_param(additional)),
                        ("currency", Param::from(code)),
                    ],
                ));
                Outcome::AdditionalPremiumDue
            } else if difference < Decimal::ZERO {
                let refund = Money::new(-difference, currency);
                amounts.insert("refund".to_owned(), MoneyDto::from(refund));
                reasons.push(Reason::new(
                    ReasonCode::PremiumRefund,
                    [
                        ("finalPremium", money_param(final_rounded)),
                        ("provisionalPremium", money_param(provisional)),
                        ("refund", money_param(refund)),
                        ("currency", Param::from(code)),
                    ],
                ));
                Outcome::PremiumRefundDue
            } else {
                reasons.push(Reason::new(
                    ReasonCode::PremiumUnchanged,
                    [("premium", money_param(final_rounded)), ("currency", Param::from(code))],
                ));
                Outcome::PremiumUnchanged
            };
            (outcome, final_premium)
        }
    };

    if let Some(multiple) = policy.maximum_liability_multiple {
        let liability = mul(
            premium_for_liability,
            multiple,
            "policy.premium.maximumLiabilityMultiple",
        )?;
        amounts.insert("maximumLiability".to_owned(), MoneyDto::from(liability));
        reasons.push(Reason::new(
            ReasonCode::MaximumLiabilityFromPremium,
            [
                ("multiple", Param::amount(multiple.normalize())),
                ("premium", money_param(premium_for_liability)),
                ("maximumLiability", money_param(liability)),
                ("currency", Param::from(code)),
            ],
        ));
    }

    Ok(Decision {
        outcome,
        amounts,
        reasons,
        details: None,
    })
}

/// Input of op `declaration_status` (PRM-2, PRM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeclarationStatusInput {
    /// Policy terms; `insuranceYear` is the year being declared.
    pub policy: PolicyDto,
    /// The date of the question.
    pub as_of: IsoDate,
    /// The day the declaration was sent, if it was (on or before `asOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_on: Option<IsoDate>,
    /// PRM-6, balance premium: the balance reports sent so far, one per reporting day of the
    /// policy (`premium.reportingDays`); a reporting day not listed has no report yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_reports: Option<Vec<BalanceReportDto>>,
}

/// A balance report that was sent (PRM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BalanceReportDto {
    /// The policy's reporting day whose balance the report gives.
    pub reporting_day: IsoDate,
    /// The day the report was sent (on or after the reporting day, on or before `asOf`).
    pub sent_on: IsoDate,
}

/// The due date of the yearly declaration for an insurance year ending on `year_end` (PRM-2):
/// `deadline` days after it, counted with the policy's day count, or the last day of the Nth
/// month after its month.
pub fn declaration_due(
    policy: &Policy,
    deadline: DeclarationDeadline,
    year_end: NaiveDate,
) -> Result<NaiveDate, Error> {
    match deadline {
        DeclarationDeadline::Days(days) => {
            days_after(year_end, days, policy.day_count, "policy.declarationDeadlineDays")
        }
        DeclarationDeadline::EndOfMonth(months) => {
            add_months(year_end, months, "policy.declarationDeadlineEndOfMonth").map(end_of_month)
        }
    }
}

/// The due date of the yearly declaration (PRM-2) for the policy's insurance year: the last day
/// of the year and the due date; `None` for a fixed premium.
pub fn declaration_due_date(policy: &Policy) -> Result<Option<(NaiveDate, NaiveDate)>, Error> {
    let Some(deadline) = policy.declaration_deadline else {
        return Ok(None);
    };
    let year_end = policy.insurance_year_end()?;
    Ok(Some((year_end, declaration_due(policy, deadline, year_end)?)))
}

/// The `declaration_due_on` reason (PRM-2): the year end, the kind of deadline (`days` with
/// `deadlineDays`, or `endOfMonth` with `deadlineMonths`) and the due date.
fn declaration_due_on(deadline: DeclarationDeadline, year_end: NaiveDate, due: NaiveDate) -> Reason {
    let (kind, name, n) = match deadline {
        DeclarationDeadline::Days(n) => ("days", "deadlineDays", n),
        DeclarationDeadline::EndOfMonth(n) => ("endOfMonth", "deadlineMonths", n),
    };
    Reason::new(
        ReasonCode::DeclarationDueOn,
        [
            ("yearEnd", Param::from(year_end.to_string())),
            ("deadlineKind", Param::from(kind)),
            (name, Param::from(n)),
            ("dueDate", Param::from(due.to_string())),
        ],
    )
}

/// The due date of the balance report for `reporting_day` (PRM-6): `deadline_days` after it,
/// counted with the policy's day count (0: the reporting day itself).
pub fn balance_report_due(policy: &Policy, reporting_day: NaiveDate, deadline_days: u32) -> Result<NaiveDate, Error> {
    days_after(
        reporting_day,
        deadline_days,
        policy.day_count,
        "policy.premium.balanceReportDeadlineDays",
    )
}

/// The declaration status on a date (PRM-2): a fixed-premium policy needs no declaration;
/// otherwise the declaration is due within the policy's deadline after the insurance year ends,
/// and a missed deadline can end the policy. On a balance premium (PRM-6), each reporting day's
/// report follows with its deadline, and a report missing or sent after its deadline puts cover
/// and the right to an indemnity at risk.
pub fn declaration_status(input: &DeclarationStatusInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let Some((year_end, due)) = declaration_due_date(&policy)? else {
        if input.balance_reports.as_ref().is_some_and(|r| !r.is_empty()) {
            return Err(not_a_balance_premium());
        }
        return Ok(Decision {
            outcome: Outcome::NoDeclarationNeeded,
            amounts: BTreeMap::new(),
            reasons: vec![Reason::new(ReasonCode::NoDeclarationForFixedPremium, [])],
            details: None,
        });
    };
    let due_on = policy
        .declaration_deadline
        .map(|d| declaration_due_on(d, year_end, due))
        .into_iter();
    let (outcome, mut reasons): (Outcome, Vec<Reason>) = match input.declared_on.map(|d| d.0) {
        Some(declared) if declared > as_of => {
            return Err(Error::DateOrder {
                field: "declaredOn".into(),
                detail: format!("the declaration on {declared} is after asOf {as_of}"),
            })
        }
        Some(declared) if declared <= due => (
            Outcome::DeclarationReceived,
            due_on
                .chain([Reason::new(
                    ReasonCode::DeclarationReceivedOnTime,
                    [
                        ("declaredOn", Param::from(declared.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                    ],
                )])
                .collect(),
        ),
        Some(declared) => (
            Outcome::DeclarationReceived,
            due_on
                .chain([Reason::new(
                    ReasonCode::DeclarationReceivedLate,
                    [
                        ("declaredOn", Param::from(declared.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                        ("daysLate", Param::Int((declared - due).num_days())),
                    ],
                )])
                .collect(),
        ),
        None if as_of <= year_end => (Outcome::DeclarationNotYetDue, due_on.collect()),
        None if as_of <= due => (Outcome::DeclarationDue, due_on.collect()),
        None => (
            Outcome::DeclarationOverdue,
            due_on
                .chain([
                    Reason::new(
                        ReasonCode::DeclarationOverdue,
                        [
                            ("dueDate", Param::from(due.to_string())),
                            ("daysOverdue", Param::Int((as_of - due).num_days())),
                        ],
                    ),
                    Reason::new(ReasonCode::MissedDeclarationMayEndPolicy, []),
                ])
                .collect(),
        ),
    };
    let balance_overdue = balance_report_reasons(&policy, input, &mut reasons)?;
    let outcome = if balance_overdue && outcome != Outcome::DeclarationOverdue {
        Outcome::BalanceReportOverdue
    } else {
        outcome
    };
    Ok(Decision {
        outcome,
        amounts: BTreeMap::new(),
        reasons,
        details: None,
    })
}

fn not_a_balance_premium() -> Error {
    Error::InconsistentTerms {
        field: "balanceReports".into(),
        detail: "balance reports belong to a balance premium (basis outstandingBalance)".into(),
    }
}

/// PRM-6 in `declaration_status`: for each reporting day of a balance premium, in order, its
/// due date, then whether its report came on time, late, or not yet (overdue once the due date
/// has passed); late and overdue reports put cover at risk. Checks `balanceReports`: each for
/// a reporting day of the policy, once, sent on or after that day and on or before `asOf`.
/// True when a report is overdue.
fn balance_report_reasons(
    policy: &Policy,
    input: &DeclarationStatusInput,
    reasons: &mut Vec<Reason>,
) -> Result<bool, Error> {
    let as_of = input.as_of.0;
    let sent = input.balance_reports.as_deref().unwrap_or_default();
    let Premium::OutstandingBalance {
        reporting_days,
        report_deadline_days,
        ..
    } = &policy.premium
    else {
        return if sent.is_empty() {
            Ok(false)
        } else {
            Err(not_a_balance_premium())
        };
    };
    for (i, report) in sent.iter().enumerate() {
        let field = format!("balanceReports[{i}]");
        let (day, on) = (report.reporting_day.0, report.sent_on.0);
        if !reporting_days.contains(&day) {
            return Err(Error::OutOfRange {
                field: format!("{field}.reportingDay"),
                value: day.to_string(),
                expected: "one of the policy's premium.reportingDays".into(),
            });
        }
        if sent.iter().take(i).any(|r| r.reporting_day.0 == day) {
            return Err(Error::InconsistentTerms {
                field: format!("{field}.reportingDay"),
                detail: format!("the report for {day} is given twice"),
            });
        }
        if on > as_of {
            return Err(Error::DateOrder {
                field: format!("{field}.sentOn"),
                detail: format!("the report sent on {on} is after asOf {as_of}"),
            });
        }
        if on < day {
            return Err(Error::DateOrder {
                field: format!("{field}.sentOn"),
                detail: format!("the report sent on {on} is before its reporting day {day}"),
            });
        }
    }
    let mut overdue = false;
    for &day in reporting_days {
        let due = balance_report_due(policy, day, *report_deadline_days)?;
        let day_param = || Param::from(day.to_string());
        reasons.push(Reason::new(
            ReasonCode::BalanceReportDueOn,
            [
                ("reportingDay", day_param()),
                ("deadlineDays", Param::from(*report_deadline_days)),
                ("dueDate", Param::from(due.to_string())),
            ],
        ));
        let late = match sent.iter().find(|r| r.reporting_day.0 == day).map(|r| r.sent_on.0) {
            Some(on) if on <= due => {
                reasons.push(Reason::new(
                    ReasonCode::BalanceReportReceivedOnTime,
                    [
                        ("reportingDay", day_param()),
                        ("sentOn", Param::from(on.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                    ],
                ));
                false
            }
            Some(on) => {
                reasons.push(Reason::new(
                    ReasonCode::BalanceReportReceivedLate,
                    [
                        ("reportingDay", day_param()),
                        ("sentOn", Param::from(on.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                        ("daysLate", Param::Int((on - due).num_days())),
                    ],
                ));
                true
            }
            None if as_of > due => {
                overdue = true;
                reasons.push(Reason::new(
                    ReasonCode::BalanceReportOverdue,
                    [
                        ("reportingDay", day_param()),
                        ("dueDate", Param::from(due.to_string())),
                        ("daysOverdue", Param::Int((as_of - due).num_days())),
                    ],
                ));
                true
            }
            None => false,
        };
        if late {
            reasons.push(Reason::new(
                ReasonCode::LateBalanceReportRisksCover,
                [("reportingDay", day_param())],
            ));
        }
    }
    Ok(overdue)
}

/// A periodic balance report as a duty (PRM-6): the reporting day, its due date and whether a
/// report for it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceReportDuty {
    /// The reporting day whose balance is reported.
    pub reporting_day: NaiveDate,
    /// The last day to send the report.
    pub due: NaiveDate,
    /// Whether a report for the reporting day was sent.
    pub done: bool,
}

/// The balance reports to list on `as_of` (PRM-6): every reporting day of the insurance year
/// that contains `as_of`, and the reports of the year before still not sent. The policy's
/// reporting days are those of its first insurance year; in a later year they fall on the same
/// days, moved by whole insurance years (a day past the end of a shorter month is that month's
/// last day). `sent` holds the reporting days whose report was sent. Empty for a policy without
/// a balance premium or reporting days.
pub fn balance_report_duties(
    policy: &Policy,
    as_of: NaiveDate,
    sent: &[NaiveDate],
) -> Result<Vec<BalanceReportDuty>, Error> {
    let Premium::OutstandingBalance {
        reporting_days,
        report_deadline_days,
        ..
    } = &policy.premium
    else {
        return Ok(Vec::new());
    };
    if reporting_days.is_empty() || as_of < policy.insurance_year_start {
        return Ok(Vec::new());
    }
    let months = policy.insurance_year_months;
    let mut year = 0u32;
    while add_months(
        policy.insurance_year_start,
        months.saturating_mul(year.saturating_add(1)),
        "insuranceYear",
    )? <= as_of
    {
        year += 1;
    }
    let mut out = Vec::new();
    for (k, current) in year
        .checked_sub(1)
        .map(|y| (y, false))
        .into_iter()
        .chain([(year, true)])
    {
        for &day in reporting_days {
            let reporting_day = add_months(day, months.saturating_mul(k), "premium.reportingDays")?;
            let due = balance_report_due(policy, reporting_day, *report_deadline_days)?;
            let done = sent.contains(&reporting_day);
            if current || !done {
                out.push(BalanceReportDuty {
                    reporting_day,
                    due,
                    done,
                });
            }
        }
    }
    Ok(out)
}

/// One open receivable of a buyer for the balance premium (PRM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BalanceReceivableDto {
    /// Invoice amount as invoiced (VAT included when the invoice carries VAT).
    pub amount: MoneyDto,
    /// The VAT part of `amount`, left out of the balance (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<MoneyDto>,
    /// Invoice date (on or before the reporting date).
    pub invoice_date: IsoDate,
    /// Day it was paid, if paid. For a bill of exchange, ignored: see `honouredOn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<IsoDate>,
    /// Paid by a bill of exchange: counted as paid only when honoured.
    #[serde(default)]
    pub bill_of_exchange: bool,
    /// Day the bill of exchange was honoured, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honoured_on: Option<IsoDate>,
}

/// One buyer for the balance premium (PRM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BalanceBuyerDto {
    /// The buyer's name or number, as shown in the reasons.
    pub buyer: String,
    /// The buyer's limit (named or self-assessed) on the reporting day: the cap of its balance.
    pub limit: MoneyDto,
    /// Date of an insured event (insolvency, protracted default), if one occurred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_event_on: Option<IsoDate>,
    /// The buyer's receivables.
    pub receivables: Vec<BalanceReceivableDto>,
}

/// Input of op `balance_premium` (PRM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BalancePremiumInput {
    /// Policy terms; the premium basis must be `outstandingBalance`.
    pub policy: PolicyDto,
    /// The policy's reporting day for which the balance is declared.
    pub reporting_date: IsoDate,
    /// Every buyer with receivables.
    pub buyers: Vec<BalanceBuyerDto>,
}

/// The balance premium (PRM-6): the outstanding balance on the reporting day, without VAT,
/// per buyer only up to the buyer's limit; a receivable counts until it is paid or until the
/// insured event; a bill of exchange counts as paid only when honoured. Premium = declarable
/// balance × rate. The records must be kept 12 months.
pub fn balance_premium(input: &BalancePremiumInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let Premium::OutstandingBalance { rate, .. } = policy.premium else {
        return Err(Error::InconsistentTerms {
            field: "policy.premium.basis".into(),
            detail: "a balance premium needs the premium basis outstandingBalance".into(),
        });
    };
    let currency = policy.currency;
    let code = currency.code();
    let day = input.reporting_date.0;
    let in_currency = |dto: &MoneyDto, field: &str| -> Result<Money, Error> {
        let m = dto.to_non_negative(field)?;
        if m.currency == currency {
            Ok(m)
        } else {
            Err(Error::CurrencyMismatch {
                field: format!("{field}.currency"),
                expected: code.to_owned(),
                found: m.currency.code().to_owned(),
            })
        }
    };
    let overflow = || Error::Overflow { field: "buyers".into() };
    let mut total = Decimal::ZERO;
    let mut reasons = Vec::new();
    for (b, buyer) in input.buyers.iter().enumerate() {
        let bf = format!("buyers[{b}]");
        let limit = in_currency(&buyer.limit, &format!("{bf}.limit"))?;
        let name = Param::from(buyer.buyer.as_str());
        let mut outstanding = Decimal::ZERO;
        let mut vat_total = Decimal::ZERO;
        let mut unhonoured = Decimal::ZERO;
        for (r, rec) in buyer.receivables.iter().enumerate() {
            let rf = format!("{bf}.receivables[{r}]");
            let amount = in_currency(&rec.amount, &format!("{rf}.amount"))?;
            let vat = match &rec.vat {
                Some(v) => in_currency(v, &format!("{rf}.vat"))?.amount,
                None => Decimal::ZERO,
            };
            if vat > amount.amount {
                return Err(Error::OutOfRange {
                    field: format!("{rf}.vat.amount"),
                    value: vat.to_string(),
                    expected: format!("at most the invoice amount {}", amount.amount),
                });
            }
            if rec.invoice_date.0 > day {
                return Err(Error::DateOrder {
                    field: format!("{rf}.invoiceDate"),
                    detail: format!("invoice of {} is after the reporting date {day}", rec.invoice_date.0),
                });
            }
            let settled = if rec.bill_of_exchange {
                rec.honoured_on.is_some_and(|d| d.0 <= day)
            } else {
                rec.paid_on.is_some_and(|d| d.0 <= day)
            };
            if settled {
                continue;
            }
            let net = amount.amount - vat;
            outstanding = outstanding.checked_add(net).ok_or_else(overflow)?;
            vat_total += vat;
            if rec.bill_of_exchange {
                unhonoured += net;
            }
        }
        if let Some(event) = buyer.insured_event_on.filter(|e| e.0 <= day) {
            reasons.push(Reason::new(
                ReasonCode::BalanceExcludedAfterInsuredEvent,
                [("buyer", name), ("eventDate", Param::from(event.0.to_string()))],
            ));
            continue;
        }
        if vat_total > Decimal::ZERO {
            reasons.push(Reason::new(
                ReasonCode::VatExcludedFromBalance,
                [
                    ("buyer", name.clone()),
                    ("vat", money_param(Money::new(vat_total, currency))),
                    ("currency", Param::from(code)),
                ],
            ));
        }
        if unhonoured > Decimal::ZERO {
            reasons.push(Reason::new(
                ReasonCode::UnhonouredBillCounted,
                [
                    ("buyer", name.clone()),
                    ("amount", money_param(Money::new(unhonoured, currency))),
                    ("currency", Param::from(code)),
                ],
            ));
        }
        let declared = if outstanding > limit.amount {
            reasons.push(Reason::new(
                ReasonCode::BalanceCappedAtLimit,
                [
                    ("buyer", name.clone()),
                    ("outstanding", money_param(Money::new(outstanding, currency))),
                    ("limit", money_param(limit)),
                    ("currency", Param::from(code)),
                ],
            ));
            limit.amount
        } else {
            outstanding
        };
        reasons.push(Reason::new(
            ReasonCode::BalanceDeclared,
            [
                ("buyer", name),
                ("outstanding", money_param(Money::new(outstanding, currency))),
                ("declared", money_param(Money::new(declared, currency))),
                ("currency", Param::from(code)),
            ],
        ));
        total = total.checked_add(declared).ok_or_else(overflow)?;
    }
    let balance = Money::new(total, currency);
    let premium = balance.percent_of(rate, "buyers")?;
    reasons.push(Reason::new(
        ReasonCode::BalancePremium,
        [
            ("balance", money_param(balance)),
            ("rate", pct_param(rate)),
            ("premium", money_param(premium)),
            ("currency", Param::from(code)),
        ],
    ));
    let keep_until = add_months(day, 12, "reportingDate")?;
    reasons.push(Reason::new(
        ReasonCode::KeepBalanceRecords,
        [
            ("reportingDate", Param::from(day.to_string())),
            ("until", Param::from(keep_until.to_string())),
        ],
    ));
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts: [
            ("declarableBalance".to_owned(), MoneyDto::from(balance)),
            ("balancePremium".to_owned(), MoneyDto::from(premium)),
        ]
        .into(),
        reasons,
        details: None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn policy(premium: serde_json::Value, extra: serde_json::Value) -> PolicyDto {
        let mut p = serde_json::json!({"currency": "DKK", "insuranceYear": {"start": "2026-01-01"},
            "agreedCountries": ["DK"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
            "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "1000000", "currency": "DKK"},
            "premium": premium, "declarationDeadlineDays": 60});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                p.as_object_mut().unwrap().remove(k);
            } else {
                p[k] = v.clone();
            }
        }
        serde_json::from_value(p).unwrap()
    }

    /// The Danish guide's seed example, with its 90 % minimum premium.
    fn turnover() -> serde_json::Value {
        serde_json::json!({"basis": "turnover", "rate": "0.20",
            "expectedTurnover": {"amount": "20000000", "currency": "DKK"}, "minimumPremiumShare": "90"})
    }

    fn declared(amount: &str) -> Option<MoneyDto> {
        Some(MoneyDto {
            amount: crate::DecimalString(amount.parse().unwrap()),
            currency: "DKK".into(),
        })
    }

    fn amount(d: &Decision, key: &str) -> String {
        d.amounts[key].amount.to_string()
    }

    #[test]
    fn seed_example_gives_40000_premium_and_36000_minimum_prm_1() {
        let d = turnover_premium(&TurnoverPremiumInput {
            policy: policy(turnover(), serde_json::json!({})),
            declared_turnover: None,
        })
        .unwrap();
        assert_eq!(d.outcome, Outcome::Computed);
        assert_eq!(amount(&d, "provisionalPremium"), "40000.00");
        assert_eq!(amount(&d, "minimumPremium"), "36000.00");
    }

    #[test]
    fn refund_stops_at_the_minimum_premium_prm_1() {
        let d = turnover_premium(&TurnoverPremiumInput {
            policy: policy(turnover(), serde_json::json!({})),
            declared_turnover: declared("15000000"),
        })
        .unwrap();
        assert_eq!(d.outcome, Outcome::PremiumRefundDue);
        assert_eq!(amount(&d, "finalPremium"), "36000.00");
        assert_eq!(amount(&d, "refund"), "4000.00");
        assert!(d
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::FinalPremiumRaisedToMinimum));
    }

    #[test]
    fn more_turnover_means_additional_premium_prm_1() {
        let d = turnover_premium(&TurnoverPremiumInput {
            policy: policy(turnover(), serde_json::json!({})),
            declared_turnover: declared("25000000"),
        })
        .unwrap();
        assert_eq!(d.outcome, Outcome::AdditionalPremiumDue);
        assert_eq!(amount(&d, "additionalPremium"), "10000.00");
    }

    #[test]
    fn maximum_liability_follows_the_final_premium_prm_1() {
        let mut premium = turnover();
        premium["maximumLiabilityMultiple"] = "25".into();
        let p = policy(premium, serde_json::json!({"maximumLiability": null}));
        assert_eq!(
            p.validate().unwrap().maximum_liability.rounded().amount.to_string(),
            "1000000.00"
        );
        let d = turnover_premium(&TurnoverPremiumInput {
            policy: p,
            declared_turnover: declared("25000000"),
        })
        .unwrap();
        assert_eq!(amount(&d, "maximumLiability"), "1250000.00");
    }

    #[test]
    fn maximum_liability_amount_and_multiple_together_are_inconsistent_pol() {
        let mut premium = turnover();
        premium["maximumLiabilityMultiple"] = "25".into();
        let err = policy(premium, serde_json::json!({})).validate().unwrap_err();
        assert!(err
            .problems()
            .iter()
            .any(|p| p.field == "premium.maximumLiabilityMultiple" && p.code == "inconsistent_terms"));
    }

    fn status(
        extra: serde_json::Value,
        premium: serde_json::Value,
        as_of: &str,
        declared_on: Option<&str>,
    ) -> Decision {
        let date = |s: &str| IsoDate(s.parse().unwrap());
        declaration_status(&DeclarationStatusInput {
            policy: policy(premium, extra),
            as_of: date(as_of),
            declared_on: declared_on.map(date),
            balance_reports: None,
        })
        .unwrap()
    }

    #[test]
    fn declaration_is_due_60_days_after_year_end_then_overdue_prm_2() {
        let due = status(serde_json::json!({}), turnover(), "2027-03-01", None);
        assert_eq!(due.outcome, Outcome::DeclarationDue);
        assert_eq!(due.reasons[0].params["dueDate"], Param::from("2027-03-01"));
        let late = status(serde_json::json!({}), turnover(), "2027-03-02", None);
        assert_eq!(late.outcome, Outcome::DeclarationOverdue);
        assert_eq!(late.reasons[1].params["daysOverdue"], Param::Int(1));
        assert_eq!(late.reasons[2].code, ReasonCode::MissedDeclarationMayEndPolicy);
    }

    #[test]
    fn thirty_day_deadline_ends_on_30_january_prm_2() {
        let d = status(
            serde_json::json!({"declarationDeadlineDays": 30}),
            turnover(),
            "2027-02-01",
            Some("2027-01-31"),
        );
        assert_eq!(d.outcome, Outcome::DeclarationReceived);
        assert_eq!(d.reasons[1].code, ReasonCode::DeclarationReceivedLate);
    }

    #[test]
    fn fixed_premium_needs_no_declaration_prm_2() {
        let fixed = serde_json::json!({"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "DKK"}});
        let d = status(
            serde_json::json!({"declarationDeadlineDays": null}),
            fixed,
            "2027-06-01",
            None,
        );
        assert_eq!(d.outcome, Outcome::NoDeclarationNeeded);
    }

    #[test]
    fn balance_is_capped_per_buyer_and_bills_count_until_honoured_prm_6() {
        let input: BalancePremiumInput = serde_json::from_value(serde_json::json!({
            "policy": policy(serde_json::json!({"basis": "outstandingBalance", "rate": "0.5"}), serde_json::json!({})),
            "reportingDate": "2026-06-30",
            "buyers": [
                {"buyer": "A", "limit": {"amount": "10000", "currency": "DKK"}, "receivables": [
                    {"amount": {"amount": "12500", "currency": "DKK"}, "vat": {"amount": "2500", "currency": "DKK"}, "invoiceDate": "2026-06-01"},
                    {"amount": {"amount": "4000", "currency": "DKK"}, "invoiceDate": "2026-06-01", "billOfExchange": true, "paidOn": "2026-06-10"}
                ]},
                {"buyer": "B", "limit": {"amount": "10000", "currency": "DKK"}, "insuredEventOn": "2026-06-30", "receivables": [
                    {"amount": {"amount": "5000", "currency": "DKK"}, "invoiceDate": "2026-06-01"}
                ]}
            ]
        }))
        .unwrap();
        let d = balance_premium(&input).unwrap();
        // A: 12,500 - 2,500 VAT + 4,000 unhonoured bill = 14,000, capped at 10,000; B excluded.
        assert_eq!(amount(&d, "declarableBalance"), "10000.00");
        assert_eq!(amount(&d, "balancePremium"), "50.00");
    }

    #[test]
    fn without_a_minimum_premium_share_the_refund_goes_down_to_the_declared_premium_prm_1() {
        let mut premium = turnover();
        premium.as_object_mut().unwrap().remove("minimumPremiumShare");
        let d = turnover_premium(&TurnoverPremiumInput {
            policy: policy(premium, serde_json::json!({})),
            declared_turnover: declared("15000000"),
        })
        .unwrap();
        // 15,000,000 x 0.20 % = 30,000; 40,000 - 30,000 = 10,000 refunded; no minimum at all.
        assert_eq!(d.outcome, Outcome::PremiumRefundDue);
        assert_eq!(amount(&d, "finalPremium"), "30000.00");
        assert_eq!(amount(&d, "refund"), "10000.00");
        assert!(!d.amounts.contains_key("minimumPremium"));
        assert!(!d.reasons.iter().any(|r| matches!(
            r.code,
            ReasonCode::MinimumPremium | ReasonCode::FinalPremiumRaisedToMinimum
        )));
    }

    #[test]
    fn ch_end_of_first_month_deadline_is_31_january_prm_2() {
        let ch = serde_json::json!({"declarationDeadlineDays": null, "declarationDeadlineEndOfMonth": 1});
        let on_time = status(ch.clone(), turnover(), "2027-02-10", Some("2027-01-31"));
        assert_eq!(on_time.outcome, Outcome::DeclarationReceived);
        assert_eq!(on_time.reasons[0].params["deadlineKind"], Param::from("endOfMonth"));
        assert_eq!(on_time.reasons[0].params["deadlineMonths"], Param::from(1u32));
        assert_eq!(on_time.reasons[0].params["dueDate"], Param::from("2027-01-31"));
        assert_eq!(on_time.reasons[1].code, ReasonCode::DeclarationReceivedOnTime);
        let late = status(ch, turnover(), "2027-02-01", None);
        assert_eq!(late.outcome, Outcome::DeclarationOverdue);
        assert_eq!(late.reasons[1].params["daysOverdue"], Param::Int(1));
    }

    #[test]
    fn end_of_month_deadline_follows_the_length_of_the_month_prm_2() {
        let policy = |start: &str, months: u32| {
            let p = super::tests::policy(
                turnover(),
                serde_json::json!({"insuranceYear": {"start": start},
                    "declarationDeadlineDays": null, "declarationDeadlineEndOfMonth": months}),
            );
            declaration_due_date(&p.validate().unwrap()).unwrap().unwrap()
        };
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // A year ending on 31 January: the end of February (28 days), not 30 days later (2 March).
        assert_eq!(policy("2026-02-01", 1), (d("2027-01-31"), d("2027-02-28")));
        // Ending on 29 February 2028 (leap year): the end of March.
        assert_eq!(policy("2027-03-01", 1), (d("2028-02-29"), d("2028-03-31")));
        // Ending on 31 March: the end of April (30 days).
        assert_eq!(policy("2026-04-01", 1), (d("2027-03-31"), d("2027-04-30")));
        // The end of the second month after a year ending on 31 December.
        assert_eq!(policy("2026-01-01", 2), (d("2026-12-31"), d("2027-02-28")));
    }

    #[test]
    fn deadline_in_days_and_as_end_of_month_together_is_inconsistent_prm_2() {
        let err = policy(turnover(), serde_json::json!({"declarationDeadlineEndOfMonth": 13}))
            .validate()
            .unwrap_err();
        assert_eq!(
            problems(&err),
            vec![(
                "inconsistent_terms".to_owned(),
                "declarationDeadlineEndOfMonth".to_owned()
            )]
        );
        let err = policy(
            turnover(),
            serde_json::json!({"declarationDeadlineDays": null, "declarationDeadlineEndOfMonth": 0}),
        )
        .validate()
        .unwrap_err();
        assert_eq!(err.problems()[0].field, "declarationDeadlineEndOfMonth");
        assert_eq!(err.problems()[0].code, "out_of_range");
    }

    fn problems(err: &Error) -> Vec<(String, String)> {
        err.problems()
            .iter()
            .map(|p| (p.code.to_string(), p.field.clone()))
            .collect()
    }

    fn balance(reporting_days: serde_json::Value, deadline: u32) -> serde_json::Value {
        serde_json::json!({"basis": "outstandingBalance", "rate": "0.5",
            "reportingDays": reporting_days, "balanceReportDeadlineDays": deadline})
    }

    #[test]
    fn reporting_days_outside_the_year_or_out_of_order_are_each_a_problem_prm_6() {
        let err = policy(
            balance(
                serde_json::json!(["2025-12-31", "2026-06-30", "2026-06-30", "2026-03-31", "2027-01-01"]),
                30,
            ),
            serde_json::json!({}),
        )
        .validate()
        .unwrap_err();
        let expected = [
            ("out_of_range", "premium.reportingDays[0]"),
            ("inconsistent_terms", "premium.reportingDays[2]"),
            ("inconsistent_terms", "premium.reportingDays[3]"),
            ("out_of_range", "premium.reportingDays[4]"),
        ];
        assert_eq!(
            problems(&err),
            expected.map(|(c, f)| (c.to_owned(), f.to_owned())).to_vec()
        );
        let err = policy(
            serde_json::json!({"basis": "turnover", "rate": "0.20",
                "expectedTurnover": {"amount": "20000000", "currency": "DKK"},
                "reportingDays": ["2026-03-31"], "balanceReportDeadlineDays": 10}),
            serde_json::json!({}),
        )
        .validate()
        .unwrap_err();
        let fields: Vec<String> = problems(&err).into_iter().map(|(_, f)| f).collect();
        assert_eq!(
            fields,
            vec!["premium.reportingDays", "premium.balanceReportDeadlineDays"]
        );
    }

    fn balance_status(as_of: &str, reports: serde_json::Value) -> Result<Decision, Error> {
        let input: DeclarationStatusInput = serde_json::from_value(serde_json::json!({
            "policy": policy(balance(serde_json::json!(["2026-03-31", "2026-06-30", "2026-09-30"]), 30),
                serde_json::json!({"declarationDeadlineDays": null, "declarationDeadlineEndOfMonth": 1})),
            "asOf": as_of,
            "balanceReports": reports,
        }))
        .unwrap();
        declaration_status(&input)
    }

    #[test]
    fn late_or_missing_balance_reports_put_cover_at_risk_prm_6() {
        // 31 March due 30 April, sent on time; 30 June due 30 July, sent 5 days late;
        // 30 September due 30 October, not sent by 2 November: 3 days overdue.
        let d = balance_status(
            "2026-11-02",
            serde_json::json!([{"reportingDay": "2026-06-30", "sentOn": "2026-08-04"},
                {"reportingDay": "2026-03-31", "sentOn": "2026-04-30"}]),
        )
        .unwrap();
        assert_eq!(d.outcome, Outcome::BalanceReportOverdue);
        let codes: Vec<ReasonCode> = d.reasons.iter().map(|r| r.code).collect();
        assert_eq!(
            codes,
            vec![
                ReasonCode::DeclarationDueOn,
                ReasonCode::BalanceReportDueOn,
                ReasonCode::BalanceReportReceivedOnTime,
                ReasonCode::BalanceReportDueOn,
                ReasonCode::BalanceReportReceivedLate,
                ReasonCode::LateBalanceReportRisksCover,
                ReasonCode::BalanceReportDueOn,
                ReasonCode::BalanceReportOverdue,
                ReasonCode::LateBalanceReportRisksCover,
            ]
        );
        assert_eq!(d.reasons[3].params["dueDate"], Param::from("2026-07-30"));
        assert_eq!(d.reasons[4].params["daysLate"], Param::Int(5));
        assert_eq!(d.reasons[7].params["daysOverdue"], Param::Int(3));
        // On its due date a report not yet sent is not overdue.
        let due = balance_status("2026-10-30", serde_json::json!([])).unwrap();
        assert_eq!(
            due.outcome,
            Outcome::BalanceReportOverdue,
            "31 March and 30 June are missing"
        );
        assert_eq!(due.reasons.last().unwrap().code, ReasonCode::BalanceReportDueOn);
    }

    #[test]
    fn a_balance_report_for_a_day_the_policy_does_not_set_is_refused_prm_6() {
        let err = balance_status(
            "2026-11-02",
            serde_json::json!([{"reportingDay": "2026-04-30", "sentOn": "2026-04-30"}]),
        )
        .unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("out_of_range", "balanceReports[0].reportingDay")
        );
        let err = balance_status(
            "2026-11-02",
            serde_json::json!([{"reportingDay": "2026-03-31", "sentOn": "2026-03-30"}]),
        )
        .unwrap_err();
        assert_eq!((err.code(), err.field()), ("date_order", "balanceReports[0].sentOn"));
    }

    #[test]
    fn balance_report_duties_move_to_the_current_insurance_year_prm_6() {
        let p = policy(
            balance(serde_json::json!(["2026-02-28", "2026-08-31"]), 0),
            serde_json::json!({}),
        )
        .validate()
        .unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let duties = balance_report_duties(&p, d("2027-03-15"), &[d("2026-02-28")]).unwrap();
        let got: Vec<(NaiveDate, NaiveDate, bool)> = duties.iter().map(|x| (x.reporting_day, x.due, x.done)).collect();
        // 2026: only the report still open (31 August); 2027: both, same days, due that day.
        assert_eq!(
            got,
            vec![
                (d("2026-08-31"), d("2026-08-31"), false),
                (d("2027-02-28"), d("2027-02-28"), false),
                (d("2027-08-31"), d("2027-08-31"), false),
            ]
        );
    }
}
