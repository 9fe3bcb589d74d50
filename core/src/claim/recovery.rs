//! Recoveries after the claim (CLM-6): every payment is reported and credited to the open
//! receivables as the policy says; after indemnification it is shared between insurer and
//! insured.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::indemnity::{allocate, Allocated, ClaimSettlementDto};
use super::{amount, currency, date, in_policy_currency, not_after};
use crate::calendar::IsoDate;
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto};
use crate::policy::{PaymentAllocation, Policy, PolicyDto, RecoverySharing};

/// A receivable open when the claim was filed.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenItemDto {
    /// Invoice number.
    pub reference: String,
    /// Amount open when the claim was filed (more than zero, policy currency).
    pub amount: MoneyDto,
    /// Invoice date (oldest first allocation).
    pub invoice_date: IsoDate,
}

/// The indemnity paid on the claim.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaidIndemnityDto {
    /// The indemnity paid.
    pub amount: MoneyDto,
    /// The insured loss it was computed on (`amounts.insuredLoss` of `indemnity`); at least the
    /// indemnity and at most the whole loss (the debt open when the indemnity was paid). A
    /// check of the figures: the shares of a recovery come from the whole loss, not from it.
    pub insured_loss: MoneyDto,
    /// The day it was paid.
    pub paid_on: IsoDate,
}

/// Input of op `recovery` (CLM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecoveryInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The day the claim was filed.
    pub claim_filed_on: IsoDate,
    /// The receivables open when the claim was filed.
    pub open_items: Vec<OpenItemDto>,
    /// The indemnity, once paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indemnity: Option<PaidIndemnityDto>,
    /// Payments received after the claim was filed, in date order.
    #[serde(default)]
    pub recoveries: Vec<ClaimSettlementDto>,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// A part of a recovery credited to one invoice.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceAllocation {
    /// Invoice number.
    pub reference: String,
    /// Amount credited.
    pub amount: MoneyDto,
}

/// One recovery, allocated and shared.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecoveryLine {
    /// Day received.
    pub date: IsoDate,
    /// Amount received.
    pub amount: MoneyDto,
    /// Whether it came after indemnification and is shared.
    pub shared: bool,
    /// The insurer's share (zero before indemnification).
    pub insurer_share: MoneyDto,
    /// The insured's share: the amount less the insurer's share, to the cent.
    pub insured_share: MoneyDto,
    /// How it was credited to the invoices.
    pub allocations: Vec<InvoiceAllocation>,
}

/// The recoveries shared so far (CLM-6): their total and the insurer's part of it, both
/// rounded to the minor unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharedSoFar {
    /// Total of the (rounded) recoveries shared so far.
    pub recovered: Decimal,
    /// What the insurer received of them.
    pub insurer: Decimal,
}

/// Shares a recovery of `received` (rounded) between insurer and insured (CLM-6), after the
/// recoveries `so_far`.
///
/// `ProRata`: in proportion to the shares of the whole loss. The insurer's share of the
/// whole loss is its indemnity, the insured's the rest (the part above the limit, the
/// retention and the deductible), so the insurer is owed recovered × indemnity / whole loss.
/// That is worked on the running total of the recoveries shared, rounded once, and this
/// recovery gives the insurer what that adds to what it already has: the insurer's total is
/// always the rounded pro rata of the total recovered, without a cent of drift however many
/// recoveries there are, and once the whole loss is recovered it has exactly its indemnity.
///
/// `InsurerFirst`: to the insurer until its indemnity is recovered.
///
/// Either way the insurer never receives more than its (rounded) indemnity in total, nor more
/// than the recovery; the insured gets the rest, so the two parts sum to the rounded recovery
/// exactly. Returns (insurer, insured).
pub fn share(
    rule: RecoverySharing,
    received: Money,
    indemnity: Money,
    whole_loss: Money,
    so_far: SharedSoFar,
) -> (Money, Money) {
    let r = received.rounded();
    let left = (indemnity.rounded().amount - so_far.insurer).max(Decimal::ZERO);
    let wanted = match rule {
        RecoverySharing::ProRata if whole_loss.amount > Decimal::ZERO => {
            let total = so_far.recovered + r.amount;
            // total × indemnity first (exact); for sums past 28 digits, total × the ratio
            // (indemnity ≤ whole loss, so the ratio is at most 1 and the product fits).
            let owed = total
                .checked_mul(indemnity.amount)
                .and_then(|x| x.checked_div(whole_loss.amount))
                .or_else(|| {
                    indemnity
                        .amount
                        .checked_div(whole_loss.amount)
                        .and_then(|q| q.checked_mul(total))
                })
                .unwrap_or(Decimal::ZERO);
            (Money::new(owed, r.currency).rounded().amount - so_far.insurer).max(Decimal::ZERO)
        }
        RecoverySharing::ProRata => Decimal::ZERO,
        RecoverySharing::InsurerFirst => r.amount,
    };
    let insurer = wanted.min(left).min(r.amount);
    (
        Money::new(insurer, r.currency),
        Money::new(r.amount - insurer, r.currency),
    )
}

/// Op `recovery` (CLM-6): each payment received after the claim, credited to the open
/// receivables (the buyer's allocation, else the policy's `paymentAllocation`) and, once the
/// indemnity is paid, shared by the policy's `recoverySharing`: by default pro rata to the
/// shares of the whole loss (insurer: recovered × indemnity / whole loss, see [`share`]). The
/// whole loss is the debt open when the indemnity was paid: the open items less the recoveries
/// credited to them before that day. Before indemnification a payment goes to the insured's
/// account and is credited to the claim (it lowers the indemnity). Outcome `computed`; amounts
/// `recovered`, `insurerShare`, `insuredShare`, and `wholeLoss` once the indemnity is paid;
/// `details.type = "recovery"`.
pub fn recovery(input: &RecoveryInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    let cur = policy.currency;
    let filed = not_after(input.claim_filed_on.0, as_of, "claimFiledOn")?;
    if input.open_items.is_empty() {
        return Err(Error::EmptyValue {
            field: "openItems".into(),
        });
    }
    let mut refs = Vec::new();
    let mut dates = Vec::new();
    let mut open = Vec::new();
    for (i, item) in input.open_items.iter().enumerate() {
        let r = item.reference.trim();
        if r.is_empty() {
            return Err(Error::EmptyValue {
                field: format!("openItems[{i}].reference"),
            });
        }
        if refs.contains(&r) {
            return Err(Error::InconsistentTerms {
                field: format!("openItems[{i}].reference"),
                detail: format!("invoice {r} is listed twice"),
            });
        }
        refs.push(r);
        dates.push(item.invoice_date.0);
        open.push(in_policy_currency(&policy, &item.amount, &format!("openItems[{i}].amount"), true)?.amount);
    }
    let paid = match &input.indemnity {
        Some(p) => {
            let amount = in_policy_currency(&policy, &p.amount, "indemnity.amount", false)?;
            let loss = in_policy_currency(&policy, &p.insured_loss, "indemnity.insuredLoss", false)?;
            if amount.amount > loss.amount {
                return Err(Error::OutOfRange {
                    field: "indemnity.amount.amount".into(),
                    value: amount.amount.to_string(),
                    expected: format!("at most the insured loss, {}", loss.amount),
                });
            }
            let on = not_after(p.paid_on.0, as_of, "indemnity.paidOn")?;
            if on < filed {
                return Err(Error::DateOrder {
                    field: "indemnity.paidOn".into(),
                    detail: format!("indemnity paid on {on}, before the claim was filed on {filed}"),
                });
            }
            Some((amount, loss, on))
        }
        None => None,
    };

    let mut reasons = Vec::new();
    let mut lines = Vec::new();
    let (mut total, mut insured_total) = (Decimal::ZERO, Decimal::ZERO);
    let mut so_far = SharedSoFar::default();
    // The whole loss, known once the recoveries before the indemnity are credited.
    let mut whole: Option<Money> = None;
    let mut previous: Option<NaiveDate> = None;
    for (i, rec) in input.recoveries.iter().enumerate() {
        let field = format!("recoveries[{i}]");
        let d = not_after(rec.date.0, as_of, &format!("{field}.date"))?;
        if d < filed {
            return Err(Error::DateOrder {
                field: format!("{field}.date"),
                detail: format!("{d} is before the claim was filed on {filed}: it belongs in the indemnity"),
            });
        }
        if let Some(p) = previous.filter(|p| *p > d) {
            return Err(Error::DateOrder {
                field: format!("{field}.date"),
                detail: format!("{d} comes after {p}: recoveries must be in date order"),
            });
        }
        previous = Some(d);
        if let Some((ind, loss, on)) = paid.filter(|p| d >= p.2 && whole.is_none()) {
            whole = Some(whole_loss(&policy, &open, ind, loss, on, &mut reasons)?);
        }
        let m = in_policy_currency(&policy, &rec.amount, &format!("{field}.amount"), true)?;
        let (parts, how) = allocate(
            &refs,
            &dates,
            &open,
            m.amount,
            rec.reference.as_deref().map(str::trim),
            policy.payment_allocation,
            &field,
        )?;
        let mut allocations = Vec::new();
        for (j, p) in parts.iter().enumerate() {
            if let Some(o) = open.get_mut(j) {
                *o -= *p;
            }
            if *p > Decimal::ZERO {
                allocations.push(InvoiceAllocation {
                    reference: refs.get(j).copied().unwrap_or_default().to_owned(),
                    amount: MoneyDto::from(Money::new(*p, cur)),
                });
            }
        }
        reasons.push(match how {
            Allocated::Buyer(j) => Reason::new(
                ReasonCode::RecoveryAllocatedByBuyer,
                [
                    ("date", date(d)),
                    ("invoice", Param::from(refs.get(j).copied().unwrap_or_default())),
                    ("amount", amount(m)),
                    ("currency", currency(&policy)),
                ],
            ),
            Allocated::Policy(PaymentAllocation::OldestFirst) => Reason::new(
                ReasonCode::RecoveryAllocatedOldestFirst,
                [
                    ("date", date(d)),
                    ("amount", amount(m)),
                    ("currency", currency(&policy)),
                ],
            ),
            Allocated::Policy(PaymentAllocation::ProRata) => Reason::new(
                ReasonCode::RecoveryAllocatedProRata,
                [
                    ("date", date(d)),
                    ("amount", amount(m)),
                    ("currency", currency(&policy)),
                ],
            ),
        });
        let (shared, insurer, insured) = match (paid, whole) {
            (Some((ind, _, on)), Some(w)) if d >= on => {
                let (a, b) = share(policy.recovery_sharing, m, ind, w, so_far);
                so_far.recovered += m.rounded().amount;
                so_far.insurer += a.amount;
                reasons.push(Reason::new(
                    ReasonCode::RecoveryShared,
                    [
                        ("date", date(d)),
                        ("amount", amount(m)),
                        ("insurerShare", amount(a)),
                        ("insuredShare", amount(b)),
                        ("currency", currency(&policy)),
                    ],
                ));
                (true, a, b)
            }
            _ => {
                reasons.push(Reason::new(
                    ReasonCode::RecoveryCreditedToClaim,
                    [
                        ("date", date(d)),
                        ("amount", amount(m)),
                        ("currency", currency(&policy)),
                    ],
                ));
                let r = m.rounded();
                (false, Money::zero(cur), r)
            }
        };
        total += m.rounded().amount;
        insured_total += insured.amount;
        lines.push(RecoveryLine {
            date: IsoDate(d),
            amount: MoneyDto::from(m),
            shared,
            insurer_share: MoneyDto::from(insurer),
            insured_share: MoneyDto::from(insured),
            allocations,
        });
    }
    if let Some((ind, loss, on)) = paid {
        if whole.is_none() {
            whole = Some(whole_loss(&policy, &open, ind, loss, on, &mut reasons)?);
        }
        reasons.push(Reason::new(ReasonCode::ContinueCollection, []));
    }
    let mut amounts = BTreeMap::from([
        ("recovered".to_owned(), MoneyDto::from(Money::new(total, cur))),
        (
            "insurerShare".to_owned(),
            MoneyDto::from(Money::new(so_far.insurer, cur)),
        ),
        (
            "insuredShare".to_owned(),
            MoneyDto::from(Money::new(insured_total, cur)),
        ),
    ]);
    if let Some(w) = whole {
        amounts.insert("wholeLoss".to_owned(), MoneyDto::from(w.rounded()));
    }
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts,
        reasons,
        details: Some(Details::Recovery { recoveries: lines }),
    })
}

/// The whole loss when the indemnity was paid on `on` (CLM-6): the debt still open on the
/// open items, `open`, after the recoveries credited to the claim before that day. Checks that
/// the insured loss is not above it, and, under `proRata`, gives the reason that states the
/// two shares of it.
fn whole_loss(
    policy: &Policy,
    open: &[Decimal],
    indemnity: Money,
    insured_loss: Money,
    on: NaiveDate,
    reasons: &mut Vec<Reason>,
) -> Result<Money, Error> {
    let debt = open
        .iter()
        .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
        .ok_or_else(|| Error::Overflow {
            field: "openItems".into(),
        })?;
    let whole = Money::new(debt, policy.currency);
    if insured_loss.amount > whole.amount {
        return Err(Error::OutOfRange {
            field: "indemnity.insuredLoss.amount".into(),
            value: insured_loss.amount.to_string(),
            expected: format!(
                "at most the whole loss, {} (the open items less the recoveries credited to the claim before the indemnity was paid on {on})",
                whole.amount
            ),
        });
    }
    if policy.recovery_sharing == RecoverySharing::ProRata {
        reasons.push(Reason::new(
            ReasonCode::RecoveryShareOfWholeLoss,
            [
                ("indemnity", amount(indemnity)),
                ("wholeLoss", amount(whole)),
                (
                    "insuredPart",
                    amount(Money::new(whole.amount - indemnity.amount, policy.currency)),
                ),
                ("currency", currency(policy)),
            ],
        ));
    }
    Ok(whole)
}
