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

use crate::calendar::{add_months, days_after, IsoDate};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto, Percent};
use crate::policy::{Policy, PolicyDto, Premium};

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
/// the minimum premium (a share of that expected premium, `minimumPremiumShare`, usually 90 %).
/// After it, the final premium is the declared insured turnover × rate, never below the
/// minimum; the difference to the provisional premium is an additional premium or a refund.
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
///     "expectedTurnover": {"amount": "20000000", "currency": "DKK"}},
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
    let minimum = expected_premium.percent_of(minimum_share, "policy.premium.minimumPremiumShare")?;
    let provisional = expected_premium.rounded();
    let minimum_rounded = minimum.rounded();
    let mut amounts = BTreeMap::new();
    amounts.insert("provisionalPremium".to_owned(), MoneyDto::from(provisional));
    amounts.insert("minimumPremium".to_owned(), MoneyDto::from(minimum_rounded));
    let mut reasons = vec![
        Reason::new(
            ReasonCode::ProvisionalPremium,
            [
                ("expectedTurnover", money_param(expected_turnover)),
                ("rate", pct_param(rate)),
                ("premium", money_param(provisional)),
                ("currency", Param::from(code)),
            ],
        ),
        Reason::new(
            ReasonCode::MinimumPremium,
            [
                ("share", pct_param(minimum_share)),
                ("expectedPremium", money_param(provisional)),
                ("minimumPremium", money_param(minimum_rounded)),
                ("currency", Param::from(code)),
            ],
        ),
    ];

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
            let final_premium = if declared_premium.amount < minimum.amount {
                minimum
            } else {
                declared_premium
            };
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
            if declared_premium.amount < minimum.amount {
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

/// Input of op `declaration_status` (PRM-2).
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
}

/// The due date of the yearly declaration (PRM-2): `declarationDeadlineDays` after the last
/// day of the insurance year, counted with the policy's day count. `None` for a fixed premium.
pub fn declaration_due_date(policy: &Policy) -> Result<Option<(NaiveDate, NaiveDate)>, Error> {
    let Some(days) = policy.declaration_deadline_days else {
        return Ok(None);
    };
    let year_end = policy.insurance_year_end()?;
    let due = days_after(year_end, days, policy.day_count, "policy.declarationDeadlineDays")?;
    Ok(Some((year_end, due)))
}

/// The declaration status on a date (PRM-2): a fixed-premium policy needs no declaration;
/// otherwise the declaration is due within the policy's deadline after the insurance year ends,
/// and a missed deadline can end the policy.
pub fn declaration_status(input: &DeclarationStatusInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let Some((year_end, due)) = declaration_due_date(&policy)? else {
        return Ok(Decision {
            outcome: Outcome::NoDeclarationNeeded,
            amounts: BTreeMap::new(),
            reasons: vec![Reason::new(ReasonCode::NoDeclarationForFixedPremium, [])],
            details: None,
        });
    };
    let days = policy.declaration_deadline_days.unwrap_or_default();
    let due_on = Reason::new(
        ReasonCode::DeclarationDueOn,
        [
            ("yearEnd", Param::from(year_end.to_string())),
            ("deadlineDays", Param::from(days)),
            ("dueDate", Param::from(due.to_string())),
        ],
    );
    let (outcome, reasons) = match input.declared_on.map(|d| d.0) {
        Some(declared) if declared > as_of => {
            return Err(Error::DateOrder {
                field: "declaredOn".into(),
                detail: format!("the declaration on {declared} is after asOf {as_of}"),
            })
        }
        Some(declared) if declared <= due => (
            Outcome::DeclarationReceived,
            vec![
                due_on,
                Reason::new(
                    ReasonCode::DeclarationReceivedOnTime,
                    [
                        ("declaredOn", Param::from(declared.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                    ],
                ),
            ],
        ),
        Some(declared) => (
            Outcome::DeclarationReceived,
            vec![
                due_on,
                Reason::new(
                    ReasonCode::DeclarationReceivedLate,
                    [
                        ("declaredOn", Param::from(declared.to_string())),
                        ("dueDate", Param::from(due.to_string())),
                        ("daysLate", Param::Int((declared - due).num_days())),
                    ],
                ),
            ],
        ),
        None if as_of <= year_end => (Outcome::DeclarationNotYetDue, vec![due_on]),
        None if as_of <= due => (Outcome::DeclarationDue, vec![due_on]),
        None => (
            Outcome::DeclarationOverdue,
            vec![
                due_on,
                Reason::new(
                    ReasonCode::DeclarationOverdue,
                    [
                        ("dueDate", Param::from(due.to_string())),
                        ("daysOverdue", Param::Int((as_of - due).num_days())),
                    ],
                ),
                Reason::new(ReasonCode::MissedDeclarationMayEndPolicy, []),
            ],
        ),
    };
    Ok(Decision {
        outcome,
        amounts: BTreeMap::new(),
        reasons,
        details: None,
    })
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

    fn turnover() -> serde_json::Value {
        serde_json::json!({"basis": "turnover", "rate": "0.20",
            "expectedTurnover": {"amount": "20000000", "currency": "DKK"}})
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
}
