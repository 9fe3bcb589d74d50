//! "Is this delivery covered, up to how much?": insurability (BUY), the named limit on the
//! delivery date (LIM-1, LIM-3) and self-assessed cover (DIS-1..5), combined.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::buyer::{check_insurability, BuyerDto, PaymentSecurity, ReceivableDto, ReceivableKind};
use crate::calendar::IsoDate;
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::discretionary::{assess, named_limit_duty, SelfAssessmentDto};
use crate::error::Error;
use crate::limit::{replay, state_reasons, LimitEventDto, LimitHistory};
use crate::money::{Money, MoneyDto};
use crate::policy::{Policy, PolicyDto};

/// Which cover a delivery uses.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CoverType {
    /// A limit granted by the insurer (LIM).
    NamedLimit,
    /// Self-assessment under the discretionary limit (DIS).
    SelfAssessed,
    /// No cover.
    None,
}

/// A planned or made delivery.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliveryOrderDto {
    /// Invoice amount (more than zero, policy currency).
    pub amount: MoneyDto,
    /// Delivery date.
    pub date: IsoDate,
    /// Payment terms in days.
    pub payment_terms_days: u32,
    /// Whether the days run from the end of the delivery month.
    #[serde(default)]
    pub end_of_month: bool,
    /// Goods (default), services, or real-estate rent or lease.
    #[serde(default = "goods")]
    pub kind: ReceivableKind,
    /// Payment security (default open account).
    #[serde(default)]
    pub payment_security: PaymentSecurity,
}

fn goods() -> ReceivableKind {
    ReceivableKind::Goods
}

/// Input of op `check_delivery_cover`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckDeliveryCoverInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyer receiving the delivery.
    pub buyer: BuyerDto,
    /// What the buyer owes before this delivery.
    pub outstanding: MoneyDto,
    /// The delivery.
    pub delivery: DeliveryOrderDto,
    /// The buyer's named-limit events in date order, up to `asOf`.
    #[serde(default)]
    pub limit_events: Vec<LimitEventDto>,
    /// Evidence for self-assessed cover, when the buyer has no named limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentDto>,
    /// The date the question is asked (limit events after it are unknown).
    pub as_of: IsoDate,
}

/// A buyer's cover state prepared once (policy validated, limit events replayed), to check
/// many deliveries quickly.
#[derive(Debug, Clone)]
pub struct CoverContext {
    policy: Policy,
    buyer: BuyerDto,
    history: LimitHistory,
    self_assessment: Option<SelfAssessmentDto>,
    as_of: NaiveDate,
}

/// The figures of a cover check, without the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverFigures {
    /// The part of the delivery that is insured.
    pub covered: Money,
    /// The part that is not.
    pub uncovered: Money,
    /// The cover used.
    pub cover_type: CoverType,
}

fn in_policy_currency(policy: &Policy, dto: &MoneyDto, field: &str) -> Result<Money, Error> {
    let money = dto.to_non_negative(field)?;
    if money.currency != policy.currency {
        return Err(Error::CurrencyMismatch {
            field: format!("{field}.currency"),
            expected: policy.currency.code().to_owned(),
            found: money.currency.code().to_owned(),
        });
    }
    Ok(money)
}

impl CoverContext {
    /// Validates the policy, replays the limit events up to `as_of`.
    pub fn new(
        policy: &PolicyDto,
        buyer: BuyerDto,
        limit_events: &[LimitEventDto],
        self_assessment: Option<SelfAssessmentDto>,
        as_of: NaiveDate,
    ) -> Result<Self, Error> {
        let policy = policy.validate()?;
        if as_of < policy.insurance_year_start {
            return Err(Error::DateOrder {
                field: "asOf".into(),
                detail: format!("{as_of} is before the policy starts on {}", policy.insurance_year_start),
            });
        }
        let history = replay(&policy, limit_events, as_of, "limitEvents")?;
        Ok(CoverContext {
            policy,
            buyer,
            history,
            self_assessment,
            as_of,
        })
    }

    fn delivery(&self, delivery: &DeliveryOrderDto) -> Result<Money, Error> {
        let amount = in_policy_currency(&self.policy, &delivery.amount, "delivery.amount")?;
        if amount.amount.is_zero() {
            return Err(Error::OutOfRange {
                field: "delivery.amount.amount".into(),
                value: delivery.amount.amount.to_string(),
                expected: "more than 0".into(),
            });
        }
        if delivery.date.0 < self.policy.insurance_year_start {
            return Err(Error::DateOrder {
                field: "delivery.date".into(),
                detail: format!(
                    "{} is before the policy starts on {}",
                    delivery.date.0, self.policy.insurance_year_start
                ),
            });
        }
        Ok(amount)
    }

    /// The covered and uncovered parts of `delivery` given what the buyer already owes,
    /// with the reasons (LIM-1, LIM-3, DIS-1..5, BUY-1..5).
    pub fn check(&self, outstanding: &MoneyDto, delivery: &DeliveryOrderDto) -> Result<Decision, Error> {
        let policy = &self.policy;
        let amount = self.delivery(delivery)?;
        let outstanding = in_policy_currency(policy, outstanding, "outstanding")?;
        let receivable = ReceivableDto {
            kind: delivery.kind,
            payment_terms_days: delivery.payment_terms_days,
            end_of_month: delivery.end_of_month,
            invoice_date: Some(delivery.date),
            payment_security: delivery.payment_security,
            amount: Some(delivery.amount.clone()),
            payer: None,
        };
        let insurability = check_insurability(policy, &self.buyer, &receivable)?;
        let zero = Money::zero(policy.currency);
        let cur = || Param::from(policy.currency.code());
        let insurable = insurability.outcome != Outcome::NotInsurable;
        // An insurable buyer keeps its BUY-1/BUY-2 notes and BUY-5 warnings; the positive
        // "independent company" and "agreed country" lines are implied by any cover.
        let mut all: Vec<Reason> = insurability
            .reasons
            .into_iter()
            .filter(|r| !insurable || !matches!(r.code, ReasonCode::IndependentCompany | ReasonCode::CountryAgreed))
            .collect();
        let (covered, cover_type, mut reasons) = if !insurable {
            (zero, CoverType::None, Vec::new())
        } else {
            let date = delivery.date.0;
            let state = self.history.state;
            let mut reasons = state_reasons(policy, state, date.max(self.as_of))?;
            match state.amount_for_delivery(date) {
                Some(limit) => {
                    let room = (limit.amount - outstanding.amount).max(Decimal::ZERO);
                    let covered = Money::new(room.min(amount.amount), policy.currency);
                    let after = outstanding.amount + amount.amount;
                    if covered.amount > Decimal::ZERO {
                        reasons.push(Reason::new(
                            ReasonCode::CoveredByNamedLimit,
                            [
                                ("limit", Param::amount(limit.rounded().amount)),
                                (
                                    "outstanding",
                                    Param::amount(Money::new(after, policy.currency).rounded().amount),
                                ),
                                ("covered", Param::amount(covered.rounded().amount)),
                                ("currency", cur()),
                            ],
                        ));
                    }
                    if after > limit.amount {
                        let uncovered = (after - limit.amount).min(amount.amount);
                        reasons.push(Reason::new(
                            ReasonCode::OutstandingAboveLimit,
                            [
                                ("limit", Param::amount(limit.rounded().amount)),
                                (
                                    "outstanding",
                                    Param::amount(Money::new(after, policy.currency).rounded().amount),
                                ),
                                (
                                    "uncovered",
                                    Param::amount(Money::new(uncovered, policy.currency).rounded().amount),
                                ),
                                ("currency", cur()),
                            ],
                        ));
                    }
                    (covered, CoverType::NamedLimit, reasons)
                }
                None => {
                    let needed = outstanding.checked_add(&amount, "delivery.amount")?;
                    let evidence = self.self_assessment.clone().unwrap_or_default();
                    let assessment = assess(policy, &evidence, needed, self.history.last_bar, self.as_of)?;
                    let room = (assessment.covered.amount - outstanding.amount).max(Decimal::ZERO);
                    let covered = Money::new(room.min(amount.amount), policy.currency);
                    reasons.extend(assessment.reasons);
                    let cover_type = if assessment.covered.amount > Decimal::ZERO {
                        CoverType::SelfAssessed
                    } else {
                        CoverType::None
                    };
                    if cover_type == CoverType::SelfAssessed {
                        reasons.extend(named_limit_duty(policy, needed));
                    }
                    (covered, cover_type, reasons)
                }
            }
        };
        all.append(&mut reasons);
        let covered = covered.rounded();
        let uncovered = amount.checked_sub(&covered, "delivery.amount")?.rounded();
        let outcome = if uncovered.amount.is_zero() {
            Outcome::Covered
        } else if covered.amount.is_zero() {
            Outcome::NotCovered
        } else {
            Outcome::PartlyCovered
        };
        Ok(Decision {
            outcome,
            amounts: [
                ("coveredAmount".to_owned(), covered.into()),
                ("uncoveredAmount".to_owned(), uncovered.into()),
            ]
            .into(),
            reasons: all,
            details: Some(Details::Cover { cover_type }),
        })
    }
}

/// Op `check_delivery_cover`: outcome `covered`, `partly_covered` or `not_covered`; amounts
/// `coveredAmount` and `uncoveredAmount` of the delivery; the cover type in `details`.
pub fn check_delivery_cover(input: &CheckDeliveryCoverInput) -> Result<Decision, Error> {
    let context = CoverContext::new(
        &input.policy,
        input.buyer.clone(),
        &input.limit_events,
        input.self_assessment.clone(),
        input.as_of.0,
    )?;
    context.check(&input.outstanding, &input.delivery)
}
