//! The indemnity (CLM-5) and how payments, credit notes and set-offs are credited (CLM-6).
//!
//! The insured loss is worked out at full precision as a chain of subtotals; each breakdown
//! line is the difference of two consecutive subtotals *after* rounding them (the one rounding
//! rule of `money.rs`, applied to each subtotal), so the lines telescope: their sum is the
//! rounded indemnity, exactly, to the cent.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{amount, currency, date, in_policy_currency, not_after};
use crate::calendar::{add_months, IsoDate};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::limit::{cancellation_deadline, replay, LimitEventDto};
use crate::money::{Money, MoneyDto};
use crate::overdue::{situation_exclusion, CoverKind, OverdueSituationDto};
use crate::policy::{PaymentAllocation, Policy, PolicyDto};

/// A receivable in a claim.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimReceivableDto {
    /// The insured's invoice number (unique in the claim).
    pub reference: String,
    /// Invoice amount, VAT included if any (more than zero, policy currency).
    pub amount: MoneyDto,
    /// The VAT included in `amount` (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_amount: Option<MoneyDto>,
    /// Delivery date: the limit and cover state of this day apply.
    pub delivery_date: IsoDate,
}

/// A payment, credit note or set-off, allocated by the buyer to an invoice or not.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimSettlementDto {
    /// When it was received or issued (on or before `asOf`).
    pub date: IsoDate,
    /// Amount (more than zero, policy currency).
    pub amount: MoneyDto,
    /// The invoice the buyer allocated it to; absent: the policy's allocation rule (CLM-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// An indemnity already paid.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriorIndemnityDto {
    /// The day it was paid; only those in the claim's insurance year count.
    pub paid_on: IsoDate,
    /// Amount (policy currency).
    pub amount: MoneyDto,
}

/// Input of op `indemnity` (CLM-5, CLM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndemnityInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyer's named-limit events in date order, up to `asOf`.
    #[serde(default)]
    pub limit_events: Vec<LimitEventDto>,
    /// The receivables claimed.
    pub receivables: Vec<ClaimReceivableDto>,
    /// Payments received.
    #[serde(default)]
    pub payments: Vec<ClaimSettlementDto>,
    /// Credit notes issued.
    #[serde(default)]
    pub credit_notes: Vec<ClaimSettlementDto>,
    /// Set-offs (counterclaims of the buyer set against the receivables).
    #[serde(default)]
    pub set_offs: Vec<ClaimSettlementDto>,
    /// Indemnities already paid (only those in the claim's insurance year count).
    #[serde(default)]
    pub prior_indemnities: Vec<PriorIndemnityDto>,
    /// The buyer's overdue situation, for the exclusion of deliveries (OVD-2, OVD-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<OverdueSituationDto>,
    /// The day of the insured event: its insurance year's maximum liability applies.
    pub insured_event_date: IsoDate,
    /// The date of the computation.
    pub as_of: IsoDate,
}

/// One line of the indemnity breakdown.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndemnityLine {
    /// The reason code of the step (its reason, with the figures, is in `reasons`).
    pub code: ReasonCode,
    /// Rule ID (spec/rules.md).
    pub rule: String,
    /// The line's amount: positive for the receivables, negative for each deduction.
    pub amount: MoneyDto,
    /// The running total after this line.
    pub subtotal: MoneyDto,
}

/// How a settlement was allocated (CLM-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allocated {
    /// To the invoice the buyer named.
    Buyer(usize),
    /// By the policy's rule.
    Policy(PaymentAllocation),
}

/// Splits `amount` over the open amounts `open` (full precision), by the buyer's allocation
/// when `reference` names an invoice, else by the policy's rule: oldest `dates` first, or pro
/// rata to the open amounts (the last open item takes the remainder, so the parts sum exactly).
/// More than is open is an error (`out_of_range`).
pub(crate) fn allocate(
    references: &[&str],
    dates: &[NaiveDate],
    open: &[Decimal],
    amount: Decimal,
    reference: Option<&str>,
    rule: PaymentAllocation,
    field: &str,
) -> Result<(Vec<Decimal>, Allocated), Error> {
    let mut parts = vec![Decimal::ZERO; open.len()];
    let overflow = || Error::Overflow {
        field: field.to_owned(),
    };
    if let Some(r) = reference {
        let i = references
            .iter()
            .position(|x| *x == r)
            .ok_or_else(|| Error::UnknownValue {
                field: format!("{field}.reference"),
                value: r.chars().take(40).collect(),
                expected: references.iter().map(|x| (*x).to_owned()).collect(),
            })?;
        let available = open.get(i).copied().unwrap_or_default();
        if amount > available {
            return Err(Error::OutOfRange {
                field: format!("{field}.amount.amount"),
                value: amount.to_string(),
                expected: format!("at most the open amount of invoice {r}, {available}"),
            });
        }
        if let Some(p) = parts.get_mut(i) {
            *p = amount;
        }
        return Ok((parts, Allocated::Buyer(i)));
    }
    let total = open
        .iter()
        .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
        .ok_or_else(overflow)?;
    if amount > total {
        return Err(Error::OutOfRange {
            field: format!("{field}.amount.amount"),
            value: amount.to_string(),
            expected: format!("at most the open receivables, {total}"),
        });
    }
    match rule {
        PaymentAllocation::OldestFirst => {
            let mut order: Vec<usize> = (0..open.len()).collect();
            order.sort_by_key(|i| (dates.get(*i).copied(), *i));
            let mut rest = amount;
            for i in order {
                let take = rest.min(open.get(i).copied().unwrap_or_default());
                if let Some(p) = parts.get_mut(i) {
                    *p = take;
                }
                rest -= take;
            }
        }
        PaymentAllocation::ProRata => {
            let last = open.iter().rposition(|x| *x > Decimal::ZERO);
            let mut given = Decimal::ZERO;
            for (i, o) in open.iter().enumerate() {
                if *o <= Decimal::ZERO {
                    continue;
                }
                let share = if Some(i) == last {
                    amount - given
                } else {
                    amount
                        .checked_mul(*o)
                        .and_then(|x| x.checked_div(total))
                        .ok_or_else(overflow)?
                };
                given += share;
                if let Some(p) = parts.get_mut(i) {
                    *p = share;
                }
            }
        }
    }
    Ok((parts, Allocated::Policy(rule)))
}

/// The insurance year (first and last day) that contains `d`.
pub(crate) fn insurance_year(policy: &Policy, d: NaiveDate, field: &str) -> Result<(NaiveDate, NaiveDate), Error> {
    let (start, _) = cancellation_deadline(policy, d).map_err(|e| match e {
        Error::DateOrder { detail, .. } => Error::DateOrder {
            field: field.to_owned(),
            detail,
        },
        other => other,
    })?;
    let next = add_months(start, policy.insurance_year_months, "insuranceYear")?;
    Ok((start, next.pred_opt().unwrap_or(next)))
}

/// The last three steps of CLM-5, from the open covered amount within the limit (`within_limit`):
/// the insured loss after the deductible (never below zero), the indemnity percentage of it,
/// and that within what is left of the maximum liability (`remaining`). Full precision; an
/// overflow names `field`.
pub(crate) fn loss_to_indemnity(
    policy: &Policy,
    within_limit: Decimal,
    remaining: Decimal,
    field: &str,
) -> Result<(Decimal, Decimal, Decimal), Error> {
    let loss = (within_limit - policy.deductible.amount).max(Decimal::ZERO);
    let share = loss
        .checked_mul(policy.indemnity_percentage.0)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .ok_or_else(|| Error::Overflow { field: field.into() })?;
    Ok((loss, share, share.min(remaining)))
}

/// Op `indemnity` (CLM-5, with CLM-6 for the crediting of payments): what the claim pays.
///
/// A receivable is covered when a limit could be used for a delivery on its delivery date
/// (the limit events up to that day, LIM-1, LIM-3) and the delivery was not in an exclusion
/// after an overdue (OVD-2, OVD-3). Lines, in order: all receivables; minus those not covered;
/// minus payments, credit notes and set-offs credited to covered receivables (CLM-6: the
/// buyer's allocation, else the policy's `paymentAllocation`); minus the VAT left in the
/// covered open amount (pro rata to each invoice's VAT share) unless `vatInsured`; minus the
/// part above the limit (the highest limit usable on a covered receivable's delivery date);
/// minus the `deductible` (never below zero); minus the insured's share (100 % − the indemnity
/// percentage); minus the part above what is left of the maximum liability in the insurance
/// year of the insured event. Outcome `indemnity_payable` or `no_indemnity`; amounts
/// `indemnity`, `insuredLoss` (after the deductible, before the percentage),
/// `remainingMaximumLiability`; `details.type = "indemnity"`.
pub fn indemnity(input: &IndemnityInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let cur = policy.currency;
    let event = not_after(input.insured_event_date.0, as_of, "insuredEventDate")?;
    if input.receivables.is_empty() {
        return Err(Error::EmptyValue {
            field: "receivables".into(),
        });
    }
    let exclusion = match &input.overdue {
        Some(s) => situation_exclusion(&policy, s, "overdue", as_of)?,
        None => None,
    };

    // Each receivable: amount, VAT, delivery date, cover.
    let mut refs: Vec<&str> = Vec::new();
    let mut dates = Vec::new();
    let mut amounts = Vec::new();
    let mut vats = Vec::new();
    let mut limits: Vec<Option<Money>> = Vec::new();
    let mut reasons = Vec::new();
    for (i, r) in input.receivables.iter().enumerate() {
        let field = format!("receivables[{i}]");
        let reference = r.reference.trim();
        if reference.is_empty() {
            return Err(Error::EmptyValue {
                field: format!("{field}.reference"),
            });
        }
        if refs.contains(&reference) {
            return Err(Error::InconsistentTerms {
                field: format!("{field}.reference"),
                detail: format!("invoice {reference} is listed twice"),
            });
        }
        let gross = in_policy_currency(&policy, &r.amount, &format!("{field}.amount"), true)?;
        let vat = match &r.vat_amount {
            Some(v) => in_policy_currency(&policy, v, &format!("{field}.vatAmount"), false)?,
            None => Money::zero(cur),
        };
        if vat.amount > gross.amount {
            return Err(Error::OutOfRange {
                field: format!("{field}.vatAmount.amount"),
                value: vat.amount.to_string(),
                expected: format!("at most the invoice amount, {}", gross.amount),
            });
        }
        let delivered = not_after(r.delivery_date.0, as_of, &format!("{field}.deliveryDate"))?;
        let events: Vec<LimitEventDto> = input
            .limit_events
            .iter()
            .filter(|e| event_date(e) <= delivered)
            .cloned()
            .collect();
        let limit = if delivered < policy.insurance_year_start {
            None
        } else {
            replay(&policy, &events, delivered, "limitEvents")?.amount_for_delivery(delivered)
        };
        let excluded = exclusion.and_then(|x| {
            x.effect(CoverKind::NamedLimit, delivered)
                .filter(|e| e.excludes())
                .map(|_| x)
        });
        let inv = Param::from(reference);
        let covered = match (limit, excluded) {
            (_, Some(x)) => {
                reasons.push(Reason::new(
                    ReasonCode::ReceivableExcluded,
                    [
                        ("invoice", inv),
                        ("deliveryDate", date(delivered)),
                        ("since", date(x.starts)),
                    ],
                ));
                None
            }
            (None, None) => {
                reasons.push(Reason::new(
                    ReasonCode::ReceivableNoLimit,
                    [("invoice", inv), ("deliveryDate", date(delivered))],
                ));
                None
            }
            (Some(l), None) => {
                reasons.push(Reason::new(
                    ReasonCode::ReceivableCovered,
                    [
                        ("invoice", inv),
                        ("deliveryDate", date(delivered)),
                        ("limit", amount(l)),
                        ("currency", currency(&policy)),
                    ],
                ));
                Some(l)
            }
        };
        refs.push(reference);
        dates.push(delivered);
        amounts.push(gross.amount);
        vats.push(vat.amount);
        limits.push(covered);
    }

    // CLM-6: payments, then credit notes, then set-offs, each in the order given.
    let mut open = amounts.clone();
    let mut credited = [
        vec![Decimal::ZERO; open.len()],
        vec![Decimal::ZERO; open.len()],
        vec![Decimal::ZERO; open.len()],
    ];
    let lists = [
        ("payments", &input.payments),
        ("creditNotes", &input.credit_notes),
        ("setOffs", &input.set_offs),
    ];
    for (k, (name, list)) in lists.iter().enumerate() {
        for (i, s) in list.iter().enumerate() {
            let field = format!("{name}[{i}]");
            let m = in_policy_currency(&policy, &s.amount, &format!("{field}.amount"), true)?;
            not_after(s.date.0, as_of, &format!("{field}.date"))?;
            let (parts, _) = allocate(
                &refs,
                &dates,
                &open,
                m.amount,
                s.reference.as_deref().map(str::trim),
                policy.payment_allocation,
                &field,
            )?;
            for (j, p) in parts.iter().enumerate() {
                if let (Some(o), Some(c)) = (open.get_mut(j), credited.get_mut(k).and_then(|c| c.get_mut(j))) {
                    *o -= *p;
                    *c += *p;
                }
            }
        }
    }

    let sum = |f: &dyn Fn(usize) -> Decimal, covered: bool| -> Result<Decimal, Error> {
        (0..amounts.len())
            .filter(|i| limits.get(*i).is_some_and(Option::is_some) == covered)
            .try_fold(Decimal::ZERO, |a, i| a.checked_add(f(i)))
            .ok_or_else(|| Error::Overflow {
                field: "receivables".into(),
            })
    };
    let at = |v: &[Decimal], i: usize| v.get(i).copied().unwrap_or_default();
    let all: Decimal = sum(&|i| at(&amounts, i), true)? + sum(&|i| at(&amounts, i), false)?;
    let not_covered = sum(&|i| at(&amounts, i), false)?;
    let [paid, notes, set_off] =
        [0usize, 1, 2].map(|k| sum(&|i| credited.get(k).map_or(Decimal::ZERO, |c| at(c, i)), true));
    let (paid, notes, set_off) = (paid?, notes?, set_off?);
    // VAT left in each covered open amount, pro rata to the invoice's VAT share.
    let vat = if policy.vat_insured {
        Decimal::ZERO
    } else {
        sum(
            &|i| {
                let a = at(&amounts, i);
                if a.is_zero() {
                    Decimal::ZERO
                } else {
                    at(&vats, i)
                        .checked_mul(at(&open, i))
                        .and_then(|x| x.checked_div(a))
                        .unwrap_or_default()
                }
            },
            true,
        )?
    };
    let cap = limits.iter().flatten().map(|m| m.amount).max().unwrap_or(Decimal::ZERO);

    // Insurance year of the event, prior indemnities in it, what is left of the maximum liability.
    let (year_start, year_end) = insurance_year(&policy, event, "insuredEventDate")?;
    let mut prior = Decimal::ZERO;
    for (i, p) in input.prior_indemnities.iter().enumerate() {
        let m = in_policy_currency(&policy, &p.amount, &format!("priorIndemnities[{i}].amount"), false)?;
        not_after(p.paid_on.0, as_of, &format!("priorIndemnities[{i}].paidOn"))?;
        if (year_start..=year_end).contains(&p.paid_on.0) {
            prior = prior.checked_add(m.amount).ok_or_else(|| Error::Overflow {
                field: "priorIndemnities".into(),
            })?;
        }
    }
    let max_liability = policy.maximum_liability.amount;
    let remaining = (max_liability - prior).max(Decimal::ZERO);

    // The chain of subtotals, full precision.
    let s1 = all;
    let s2 = s1 - not_covered;
    let s3 = s2 - paid;
    let s4 = s3 - notes;
    let s5 = s4 - set_off;
    let s6 = s5 - vat;
    let s7 = s6.min(cap);
    let (s8, s9, s10) = loss_to_indemnity(&policy, s7, remaining, "receivables")?;

    let r = |d: Decimal| Money::new(d, cur).rounded().amount;
    let count_covered = limits.iter().filter(|l| l.is_some()).count();
    let cur_p = || currency(&policy);
    let m = |d: Decimal| amount(Money::new(d, cur));
    let steps: Vec<(Decimal, Reason)> = vec![
        (
            s1,
            Reason::new(
                ReasonCode::IndemnityReceivables,
                [
                    ("count", Param::Int(amounts.len() as i64)),
                    ("amount", m(s1)),
                    ("currency", cur_p()),
                ],
            ),
        ),
        (
            s2,
            Reason::new(
                ReasonCode::IndemnityNotCovered,
                [
                    ("count", Param::Int((amounts.len() - count_covered) as i64)),
                    ("amount", m(not_covered)),
                    ("currency", cur_p()),
                ],
            ),
        ),
        (
            s3,
            Reason::new(
                ReasonCode::IndemnityPayments,
                [("amount", m(paid)), ("currency", cur_p())],
            ),
        ),
        (
            s4,
            Reason::new(
                ReasonCode::IndemnityCreditNotes,
                [("amount", m(notes)), ("currency", cur_p())],
            ),
        ),
        (
            s5,
            Reason::new(
                ReasonCode::IndemnitySetOffs,
                [("amount", m(set_off)), ("currency", cur_p())],
            ),
        ),
        (
            s6,
            if policy.vat_insured {
                Reason::new(ReasonCode::IndemnityVatInsured, [])
            } else {
                Reason::new(
                    ReasonCode::IndemnityVatRemoved,
                    [("amount", m(vat)), ("currency", cur_p())],
                )
            },
        ),
        (
            s7,
            Reason::new(
                ReasonCode::IndemnityAboveLimit,
                [("limit", m(cap)), ("amount", m(s6 - s7)), ("currency", cur_p())],
            ),
        ),
        (
            s8,
            Reason::new(
                ReasonCode::IndemnityDeductible,
                [
                    ("deductible", m(policy.deductible.amount)),
                    ("amount", m(s7 - s8)),
                    ("currency", cur_p()),
                ],
            ),
        ),
        (
            s9,
            Reason::new(
                ReasonCode::IndemnityUninsuredShare,
                [
                    (
                        "percentage",
                        Param::amount((Decimal::ONE_HUNDRED - policy.indemnity_percentage.0).normalize()),
                    ),
                    ("amount", m(s8 - s9)),
                    ("currency", cur_p()),
                ],
            ),
        ),
        (
            s10,
            Reason::new(
                ReasonCode::IndemnityAboveMaximumLiability,
                [
                    ("maximumLiability", m(max_liability)),
                    ("prior", m(prior)),
                    ("remaining", m(remaining)),
                    ("amount", m(s9 - s10)),
                    ("currency", cur_p()),
                ],
            ),
        ),
    ];
    let mut lines = Vec::new();
    let mut previous = Decimal::ZERO;
    for (subtotal, reason) in steps {
        let rounded = r(subtotal);
        lines.push(IndemnityLine {
            code: reason.code,
            rule: reason.rule.clone(),
            amount: MoneyDto::from(Money::new(rounded - previous, cur)),
            subtotal: MoneyDto::from(Money::new(rounded, cur)),
        });
        previous = rounded;
        reasons.push(reason);
    }
    let result = Money::new(s10, cur);
    reasons.push(Reason::new(
        ReasonCode::IndemnityResult,
        [("indemnity", amount(result)), ("currency", cur_p())],
    ));
    Ok(Decision {
        outcome: if r(s10) > Decimal::ZERO {
            Outcome::IndemnityPayable
        } else {
            Outcome::NoIndemnity
        },
        amounts: BTreeMap::from([
            ("indemnity".to_owned(), MoneyDto::from(result)),
            ("insuredLoss".to_owned(), MoneyDto::from(Money::new(s8, cur))),
            (
                "remainingMaximumLiability".to_owned(),
                MoneyDto::from(Money::new(remaining, cur)),
            ),
        ]),
        reasons,
        details: Some(Details::Indemnity { lines }),
    })
}

fn event_date(e: &LimitEventDto) -> NaiveDate {
    match e {
        LimitEventDto::Applied { date, .. }
        | LimitEventDto::Granted { date, .. }
        | LimitEventDto::Refused { date, .. }
        | LimitEventDto::Reduced { date, .. }
        | LimitEventDto::Withdrawn { date, .. }
        | LimitEventDto::Cancelled { date } => date.0,
    }
}
