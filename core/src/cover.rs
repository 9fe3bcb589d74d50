//! "Is this delivery covered, up to how much?": insurability (BUY, PRM-4), the named limit on
//! the delivery date (LIM-1, LIM-3), and for a buyer without one the policy's cover for small
//! buyers, self-assessed (DIS-1..5) or automatic (DIS-7), combined, and the exclusion of new
//! deliveries after an overdue (OVD-2, OVD-3, DIS-6).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::buyer::{check_insurability, BuyerDto, PaymentSecurity, ReceivableDto, ReceivableKind};
use crate::calendar::{check_period, IsoDate, PaymentTerms};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::discretionary::{assess_on, named_limit_duty, AutomaticCover, SelfAssessedCaps, SelfAssessmentDto};
use crate::error::Error;
use crate::limit::{bar_end, replay, state_reasons, LimitEventDto, LimitHistory};
use crate::money::{Currency, Money, MoneyDto};
use crate::overdue::{situation_exclusion, CoverKind, Exclusion, ExclusionEffect, OverdueSituationDto};
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
    /// The policy's automatic cover up to a preset amount per buyer (DIS-7).
    Automatic,
}

impl CoverType {
    /// Every cover type, in declaration order (`ALL[t as usize] == t`).
    pub const ALL: [CoverType; 4] = [
        CoverType::NamedLimit,
        CoverType::SelfAssessed,
        CoverType::None,
        CoverType::Automatic,
    ];

    /// The cover type's name as every runtime writes it (its JSON string, e.g. `namedLimit`).
    pub fn as_str(self) -> &'static str {
        match self {
            CoverType::NamedLimit => "namedLimit",
            CoverType::SelfAssessed => "selfAssessed",
            CoverType::None => "none",
            CoverType::Automatic => "automatic",
        }
    }

    /// The kind of cover the overdue rules apply to a delivery under this cover, if any:
    /// automatic cover has the duties and the exclusion of a named limit (OVD-1..4, DIS-7).
    pub fn overdue_kind(self) -> Option<CoverKind> {
        match self {
            CoverType::NamedLimit | CoverType::Automatic => Some(CoverKind::NamedLimit),
            CoverType::SelfAssessed => Some(CoverKind::SelfAssessed),
            CoverType::None => None,
        }
    }
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
    /// Evidence for self-assessed cover, when the buyer has no named limit (ignored when the
    /// policy has no self-assessment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentDto>,
    /// The date the question is asked (limit events after it are unknown).
    pub as_of: IsoDate,
    /// The buyer's overdue situation (OVD-2, OVD-3, DIS-6); without it, no exclusion applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<OverdueSituationDto>,
}

impl DeliveryOrderDto {
    /// A delivery of goods on open account of `amount` on `date`, payable `payment_terms_days`
    /// later (not at the end of the month): what a JSON delivery without the optional keys is.
    pub fn new(amount: MoneyDto, date: IsoDate, payment_terms_days: u32) -> Self {
        DeliveryOrderDto {
            amount,
            date,
            payment_terms_days,
            end_of_month: false,
            kind: ReceivableKind::Goods,
            payment_security: PaymentSecurity::default(),
        }
    }
}

impl CheckDeliveryCoverInput {
    /// The question for `delivery` to `buyer`, who owes `outstanding` before it, asked on
    /// `as_of`: no limit events (set `limit_events`), no self-assessment, no overdue, as a
    /// JSON input without those keys.
    pub fn new(
        policy: PolicyDto,
        buyer: BuyerDto,
        outstanding: MoneyDto,
        delivery: DeliveryOrderDto,
        as_of: IsoDate,
    ) -> Self {
        CheckDeliveryCoverInput {
            policy,
            buyer,
            outstanding,
            delivery,
            limit_events: Vec::new(),
            self_assessment: None,
            as_of,
            overdue: None,
        }
    }
}

/// A buyer's cover state prepared once (policy validated, limit events replayed, the
/// buyer's own insurability and the self-assessment cap of each delivery date worked out), to
/// check many deliveries quickly: [`CoverContext::figures`] for the numbers alone,
/// [`CoverContext::check`] for the explained decision. Both use the same figures; the
/// explanation assesses the self-assessment again on the delivery date (DIS-1..3), which gives
/// the cap [`SelfAssessedCaps`] worked out (a property test checks it).
#[derive(Debug, Clone)]
pub struct CoverContext {
    policy: Policy,
    buyer: BuyerDto,
    history: LimitHistory,
    self_assessment: Option<SelfAssessmentDto>,
    as_of: NaiveDate,
    /// What a cover check reads besides the cap: the policy's currency, start and maximum
    /// credit period, whether the buyer itself is not insurable (BUY-2..4) and the exclusion of
    /// new deliveries after an overdue, if one was triggered (OVD-2, OVD-3, DIS-6).
    facts: FiguresFacts,
    /// Total self-assessed cover the evidence gives for a delivery on each date (DIS-1..3),
    /// before the need caps it and the DIS-4 bar.
    self_assessed_caps: SelfAssessedCaps,
    /// Each refusal or withdrawal that bars self-assessment and the day the bar ends (DIS-4).
    self_assessment_bars: Vec<(NaiveDate, NaiveDate)>,
}

/// A delivery in typed form, for [`CoverContext::figures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedDelivery {
    /// Amount (more than zero, policy currency).
    pub amount: Money,
    /// Delivery date.
    pub date: NaiveDate,
    /// Payment terms.
    pub terms: PaymentTerms,
    /// What is delivered.
    pub kind: ReceivableKind,
    /// Payment security.
    pub payment_security: PaymentSecurity,
}

impl PlannedDelivery {
    /// A delivery from its parts, the amount in `policy`'s currency: more than zero
    /// (`out_of_range`, or `negative_amount`, at `delivery.amount.amount`), payment terms within
    /// the longest period (`delivery.paymentTermsDays`), end-of-month terms read by the policy's
    /// convention. The one check behind [`CoverContext::planned`] and the engine's cover check;
    /// sign and zero tests, not comparisons of decimals, as it runs on every check.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        policy: &Policy,
        amount: Decimal,
        date: NaiveDate,
        payment_terms_days: u32,
        end_of_month: bool,
        kind: ReceivableKind,
        payment_security: PaymentSecurity,
    ) -> Result<Self, Error> {
        if amount.is_zero() || amount.is_sign_negative() {
            return Err(not_above_zero(amount));
        }
        check_period("delivery.paymentTermsDays", payment_terms_days)?;
        Ok(PlannedDelivery {
            amount: Money::new(amount, policy.currency),
            date,
            terms: PaymentTerms::new(payment_terms_days, end_of_month, policy.end_of_month_convention),
            kind,
            payment_security,
        })
    }
}

/// [`PlannedDelivery::from_parts`]'s error for an amount of zero or below (out of line).
#[cold]
#[inline(never)]
fn not_above_zero(amount: Decimal) -> Error {
    if amount.is_zero() {
        Error::OutOfRange {
            field: "delivery.amount.amount".into(),
            value: amount.to_string(),
            expected: "more than 0".into(),
        }
    } else {
        Error::NegativeAmount {
            field: "delivery.amount.amount".into(),
            value: amount.to_string(),
        }
    }
}

/// The cover a buyer has for deliveries on a date: see [`CoverContext::cap_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverCap {
    /// The cover used.
    pub cover_type: CoverType,
    /// The named limit, if that is the cover.
    pub limit: Option<Money>,
    /// What the buyer may owe, in total, under that cover (zero for none).
    pub cap: Decimal,
}

/// The figures of a cover check, without the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverFigures {
    /// The part of the delivery that is insured (full precision; rounded in decisions).
    pub covered: Money,
    /// The part that is not.
    pub uncovered: Money,
    /// The cover used.
    pub cover_type: CoverType,
    /// The named limit used, if any.
    pub limit: Option<Money>,
    /// What an overdue does to this delivery, if anything (OVD-2, OVD-3, DIS-6).
    pub overdue: Option<ExclusionEffect>,
}

/// How many stretches of caps a [`QuickCover`] holds.
pub const QUICK_STRETCHES: usize = 4;

/// What a cover check reads of its context besides the cap (a small `Copy` block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FiguresFacts {
    /// The policy currency.
    currency: Currency,
    /// The policy start (the insurance year's first day).
    start: NaiveDate,
    /// The policy's maximum credit period (PRM-4).
    max_credit_period_days: u32,
    /// Whether the buyer itself is not insurable (BUY-2..4).
    buyer_blocked: bool,
    /// The exclusion after an overdue, if any (OVD-2, OVD-3, DIS-6).
    exclusion: Option<Exclusion>,
}

impl FiguresFacts {
    /// [`CoverContext::blocks`].
    fn blocks(&self, kind: ReceivableKind, security: PaymentSecurity, terms: PaymentTerms, date: NaiveDate) -> bool {
        self.buyer_blocked
            || matches!(kind, ReceivableKind::RealEstateRent | ReceivableKind::RealEstateLease)
            || security != PaymentSecurity::OpenAccount
            || terms.credit_days(Some(date)) > i64::from(self.max_credit_period_days)
    }

    /// [`CoverContext::figures`], the cap of a delivery date given by `cap_on`.
    fn figures(
        &self,
        cap_on: impl FnOnce(NaiveDate) -> CoverCap,
        outstanding: Money,
        delivery: &PlannedDelivery,
    ) -> Result<CoverFigures, Error> {
        let currency = self.currency;
        for (field, money) in [("outstanding", outstanding), ("delivery.amount", delivery.amount)] {
            if money.currency != currency {
                return Err(currency_mismatch(field, currency, money.currency));
            }
        }
        if delivery.date < self.start {
            return Err(before_start(delivery.date, self.start));
        }
        let amount = delivery.amount.amount;
        let none = |cover_type| CoverFigures {
            covered: Money::zero(currency),
            uncovered: delivery.amount,
            cover_type,
            limit: None,
            overdue: None,
        };
        if self.blocks(delivery.kind, delivery.payment_security, delivery.terms, delivery.date) {
            return Ok(none(CoverType::None));
        }
        let split = |cap: Decimal| {
            let covered = (cap - outstanding.amount).max(Decimal::ZERO).min(amount);
            (Money::new(covered, currency), Money::new(amount - covered, currency))
        };
        let cap = cap_on(delivery.date);
        let Some(kind) = cap.cover_type.overdue_kind() else {
            return Ok(none(CoverType::None));
        };
        let overdue = self.exclusion.and_then(|ex| ex.effect(kind, delivery.date));
        let (covered, uncovered) = if overdue.is_some_and(ExclusionEffect::excludes) {
            (Money::zero(currency), delivery.amount)
        } else {
            split(cap.cap)
        };
        Ok(CoverFigures {
            covered,
            uncovered,
            cover_type: cap.cover_type,
            limit: cap.limit,
            overdue,
        })
    }
}

/// [`FiguresFacts::figures`]'s error for an amount in another currency than the policy's (out
/// of line: the cover check's own code stays compact).
#[cold]
#[inline(never)]
fn currency_mismatch(field: &str, expected: Currency, found: Currency) -> Error {
    Error::CurrencyMismatch {
        field: format!("{field}.currency"),
        expected: expected.code().to_owned(),
        found: found.code().to_owned(),
    }
}

/// [`FiguresFacts::figures`]'s error for a delivery before the policy start.
#[cold]
#[inline(never)]
fn before_start(date: NaiveDate, start: NaiveDate) -> Error {
    Error::DateOrder {
        field: "delivery.date".into(),
        detail: format!("{date} is before the policy starts on {start}"),
    }
}

/// A context's cover checks in one small block ([`CoverContext::quick`]): the same figures as
/// [`CoverContext::figures`] (LIM-1, LIM-3, DIS-1..5, DIS-7, BUY-2..4, PRM-4, OVD-2, OVD-3,
/// DIS-6), its caps one per stretch of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuickCover {
    facts: FiguresFacts,
    /// How many of `stretches` are used (at least one).
    len: u8,
    /// Each stretch's first day (the first the policy start), cover type and cap; a named
    /// limit is its cap in the policy currency.
    stretches: [(NaiveDate, CoverType, Decimal); QUICK_STRETCHES],
}

impl QuickCover {
    /// [`CoverContext::figures`].
    pub fn figures(&self, outstanding: Money, delivery: &PlannedDelivery) -> Result<CoverFigures, Error> {
        self.facts.figures(|date| self.cap_on(date), outstanding, delivery)
    }

    /// [`CoverContext::cap_on`] for a date from the policy start on: the last stretch that
    /// starts on or before it (the first, from the policy start, for any earlier date).
    #[inline]
    fn cap_on(&self, date: NaiveDate) -> CoverCap {
        // A plain scan of the (at most four, ascending) stretches: `engine/cover_figures` took
        // 24 ns with it against 41 ns with a reversed search over the used slice.
        let [mut found, ..] = self.stretches;
        for stretch in self.stretches.get(1..usize::from(self.len)).unwrap_or(&[]) {
            if stretch.0 <= date {
                found = *stretch;
            }
        }
        let (_, cover_type, cap) = found;
        CoverCap {
            cover_type,
            limit: (cover_type == CoverType::NamedLimit).then(|| Money::new(cap, self.facts.currency)),
            cap,
        }
    }
}

impl CoverContext {
    /// Validates the policy, replays the limit events up to `as_of`, checks the buyer's own
    /// insurability and works out the self-assessment cap.
    pub fn new(
        policy: &PolicyDto,
        buyer: BuyerDto,
        limit_events: &[LimitEventDto],
        self_assessment: Option<SelfAssessmentDto>,
        as_of: NaiveDate,
    ) -> Result<Self, Error> {
        Self::with_policy(policy.validate()?, buyer, limit_events, self_assessment, as_of)
    }

    /// [`CoverContext::new`] for a policy already validated.
    pub fn with_policy(
        policy: Policy,
        buyer: BuyerDto,
        limit_events: &[LimitEventDto],
        self_assessment: Option<SelfAssessmentDto>,
        as_of: NaiveDate,
    ) -> Result<Self, Error> {
        if as_of < policy.insurance_year_start {
            return Err(Error::DateOrder {
                field: "asOf".into(),
                detail: format!("{as_of} is before the policy starts on {}", policy.insurance_year_start),
            });
        }
        let history = replay(&policy, limit_events, as_of, "limitEvents")?;
        // The buyer alone: a plain open-account sale of goods on no credit days.
        let neutral = ReceivableDto::buyer_only();
        let buyer_blocked = check_insurability(&policy, &buyer, &neutral)?.outcome == Outcome::NotInsurable;
        // The caps are what the evidence gives on each date for a need as large as the
        // discretionary limit, judged on the delivery date (DIS-1, DIS-2); the DIS-4 bar is
        // judged on it too ([`CoverContext::self_assessment_bar`]).
        let none = SelfAssessmentDto::default();
        let self_assessed_caps = SelfAssessedCaps::new(&policy, self_assessment.as_ref().unwrap_or(&none), as_of)?;
        // Without self-assessment agreed there is nothing to bar (the reason is then that it
        // is not agreed, DIS-1).
        let bars = if policy.discretionary_limit.is_some() {
            history.bars.as_slice()
        } else {
            &[]
        };
        let self_assessment_bars = bars
            .iter()
            .map(|&bar| Ok((bar, bar_end(&policy, bar)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let facts = FiguresFacts {
            currency: policy.currency,
            start: policy.insurance_year_start,
            max_credit_period_days: policy.max_credit_period_days,
            buyer_blocked,
            exclusion: None,
        };
        Ok(CoverContext {
            policy,
            buyer,
            history,
            self_assessment,
            as_of,
            facts,
            self_assessed_caps,
            self_assessment_bars,
        })
    }

    /// Adds the buyer's overdue situation: its invoices are checked on the as-of date and the
    /// exclusion they trigger applies to every later check (OVD-2, OVD-3, DIS-6).
    pub fn with_overdue(mut self, situation: &OverdueSituationDto) -> Result<Self, Error> {
        self.facts.exclusion = situation_exclusion(&self.policy, situation, "overdue", self.as_of)?;
        Ok(self)
    }

    /// Sets the exclusion worked out by [`crate::overdue::exclusion`] on the as-of date (OVD-2,
    /// OVD-3, DIS-6), for a caller that has the invoices' facts already.
    pub fn with_exclusion(mut self, exclusion: Option<Exclusion>) -> Self {
        self.facts.exclusion = exclusion;
        self
    }

    /// The cover in force on `date` for the buyer as a whole: its type, the named limit usable
    /// for a delivery that day (if any) and the reasons describing the limit's state (LIM-1,
    /// LIM-3, LIM-4, DIS-1, DIS-7).
    pub fn limit_view(&self, date: NaiveDate) -> Result<(CoverType, Option<Money>, Vec<Reason>), Error> {
        let limit = self.history.amount_for_delivery(date);
        let cover_type = if self.facts.buyer_blocked {
            CoverType::None
        } else {
            self.cap_on(date).cover_type
        };
        Ok((
            cover_type,
            limit,
            state_reasons(&self.policy, self.history.state, date)?,
        ))
    }

    /// Checks a delivery DTO and returns it in typed form.
    pub fn planned(&self, delivery: &DeliveryOrderDto) -> Result<PlannedDelivery, Error> {
        let amount = self.policy.money(&delivery.amount, "delivery.amount")?;
        PlannedDelivery::from_parts(
            &self.policy,
            amount.amount,
            delivery.date.0,
            delivery.payment_terms_days,
            delivery.end_of_month,
            delivery.kind,
            delivery.payment_security,
        )
    }

    /// The covered and uncovered parts of a delivery given what the buyer already owes
    /// (LIM-1, LIM-3, DIS-1..5, DIS-7, BUY-2..4, PRM-4), without the explanation. Allocation-free.
    pub fn figures(&self, outstanding: Money, delivery: &PlannedDelivery) -> Result<CoverFigures, Error> {
        self.facts.figures(|date| self.cap_on(date), outstanding, delivery)
    }

    /// The same figures as [`CoverContext::figures`] in one small block, for a holder that
    /// asks many cover checks of one context (the engine's prepared cover): its caps worked out
    /// for each stretch of [`CoverContext::cap_changes_on`] (as the batch does), so a check
    /// reads a few adjacent cache lines instead of the context's scattered fields and its limit
    /// timeline. `None` when the caps change more than [`QUICK_STRETCHES`] - 1 times or a named
    /// limit is not the cap in the policy currency (then ask the context).
    pub fn quick(&self) -> Option<QuickCover> {
        let facts = self.facts;
        let mut stretches = [(facts.start, CoverType::None, Decimal::ZERO); QUICK_STRETCHES];
        let starts = std::iter::once(facts.start).chain(self.cap_changes_on().into_iter().filter(|d| *d > facts.start));
        let mut len = 0;
        for from in starts {
            let cap = self.cap_on(from);
            let limit = match cap.cover_type {
                CoverType::NamedLimit => Some(Money::new(cap.cap, facts.currency)),
                _ => None,
            };
            // The limit must be what the stretch gives back, to the bit (value and scale).
            let same = match (cap.limit, limit) {
                (None, None) => true,
                (Some(a), Some(b)) => a.currency == b.currency && a.amount.serialize() == b.amount.serialize(),
                _ => false,
            };
            if !same {
                return None;
            }
            *stretches.get_mut(len)? = (from, cap.cover_type, cap.cap);
            len += 1;
        }
        Some(QuickCover {
            facts,
            len: u8::try_from(len).ok()?,
            stretches,
        })
    }

    /// The validated policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Whether a delivery gets no cover at all whatever the buyer owes: the buyer is not
    /// insurable (BUY-2..4), the receivable is rent or a lease (BUY-5), it is not on open
    /// account, or its credit period is longer than the policy's maximum (PRM-4).
    pub fn blocks(
        &self,
        kind: ReceivableKind,
        security: PaymentSecurity,
        terms: PaymentTerms,
        date: NaiveDate,
    ) -> bool {
        self.facts.blocks(kind, security, terms, date)
    }

    /// The cover available to deliveries on `date` (LIM-1, LIM-3, DIS-1..4, DIS-7): the named
    /// limit in force for that date, which replaces any other; else the self-assessed cap of
    /// that date, its evidence windows and its bar judged on it (DIS-1, DIS-2, DIS-4); else
    /// the policy's automatic cover unless a refusal or withdrawal ended it; else none. The
    /// buyer's outstanding after a delivery is covered up to [`CoverCap::cap`].
    pub fn cap_on(&self, date: NaiveDate) -> CoverCap {
        if let Some(limit) = self.history.amount_for_delivery(date) {
            return CoverCap {
                cover_type: CoverType::NamedLimit,
                limit: Some(limit),
                cap: limit.amount,
            };
        }
        let self_assessed = self.self_assessed_caps.on(date);
        if self_assessed > Decimal::ZERO && self.self_assessment_bar(date).is_none() {
            return CoverCap {
                cover_type: CoverType::SelfAssessed,
                limit: None,
                cap: self_assessed,
            };
        }
        match AutomaticCover::on(&self.policy, self.history.first_bar, date) {
            Some(AutomaticCover::Cap(cap)) => CoverCap {
                cover_type: CoverType::Automatic,
                limit: None,
                cap: cap.amount,
            },
            _ => CoverCap {
                cover_type: CoverType::None,
                limit: None,
                cap: Decimal::ZERO,
            },
        }
    }

    /// The refusal or withdrawal that bars self-assessed cover for a delivery on `date` and the
    /// day the bar ends, if one does (DIS-4): dated on or before the delivery, within the
    /// self-assessment window before it. A later refusal does not uncover an earlier delivery.
    pub fn self_assessment_bar(&self, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        self.self_assessment_bars
            .iter()
            .rev()
            .find(|(bar, until)| *bar <= date && date < *until)
            .copied()
    }

    /// The dates from which [`CoverContext::cap_on`] may give another answer, ascending: each
    /// stretch of the limit's timeline (LIM-1, LIM-3, LIM-4, LIM-6); under self-assessment, each
    /// day the evidence's cap changes (a piece of evidence entering or leaving the window ending
    /// on the delivery date, DIS-1, DIS-2) and each DIS-4 bar's first and end days; under
    /// automatic cover, the refusal or withdrawal that ended it (DIS-7).
    pub fn cap_changes_on(&self) -> Vec<NaiveDate> {
        let mut dates = self.history.change_dates();
        if self.self_assessed_caps.any() {
            dates.extend(self.self_assessed_caps.changes());
            for &(bar, until) in &self.self_assessment_bars {
                dates.extend([bar, until]);
            }
            dates.sort();
            dates.dedup();
        }
        if self.policy.automatic_cover.is_some() {
            if let Some(bar) = self.history.first_bar {
                dates.push(bar);
                dates.sort();
                dates.dedup();
            }
        }
        dates
    }

    /// The cover decision for `delivery` given what the buyer already owes, with the reasons
    /// (BUY-1..5, PRM-4, LIM-1, LIM-3, DIS-1..5, DIS-7). Amounts come from [`CoverContext::figures`].
    pub fn check(&self, outstanding: &MoneyDto, delivery: &DeliveryOrderDto) -> Result<Decision, Error> {
        let policy = &self.policy;
        let planned = self.planned(delivery)?;
        let outstanding = policy.money(outstanding, "outstanding")?;
        let figures = self.figures(outstanding, &planned)?;
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
        let insurable = insurability.outcome != Outcome::NotInsurable;
        // An insurable buyer keeps its BUY-1/BUY-2 notes and BUY-5 warnings; the positive
        // "independent company" and "agreed country" lines are implied by any cover.
        let mut reasons: Vec<Reason> = insurability
            .reasons
            .into_iter()
            .filter(|r| !insurable || !matches!(r.code, ReasonCode::IndependentCompany | ReasonCode::CountryAgreed))
            .collect();
        let cur = || Param::from(policy.currency.code());
        let amount = |m: Money| Param::amount(m.rounded().amount);
        if insurable {
            reasons.extend(state_reasons(policy, self.history.state, planned.date.max(self.as_of))?);
            let after = outstanding.checked_add(&planned.amount, "delivery.amount")?;
            let excluded = figures.overdue.is_some_and(ExclusionEffect::excludes);
            match figures.limit {
                Some(_) if excluded => {}
                Some(limit) => {
                    if figures.covered.amount > Decimal::ZERO {
                        reasons.push(Reason::new(
                            ReasonCode::CoveredByNamedLimit,
                            [
                                ("limit", amount(limit)),
                                ("outstanding", amount(after)),
                                ("covered", amount(figures.covered)),
                                ("currency", cur()),
                            ],
                        ));
                    }
                    if figures.uncovered.amount > Decimal::ZERO {
                        reasons.push(Reason::new(
                            ReasonCode::OutstandingAboveLimit,
                            [
                                ("limit", amount(limit)),
                                ("outstanding", amount(after)),
                                ("uncovered", amount(figures.uncovered)),
                                ("currency", cur()),
                            ],
                        ));
                    }
                }
                None => {
                    if let Some(decided) = self.history.decision_after(planned.date) {
                        reasons.push(Reason::new(
                            ReasonCode::DeliveryBeforeLimitDecision,
                            [
                                ("date", Param::from(planned.date.to_string())),
                                ("decided", Param::from(decided.to_string())),
                            ],
                        ));
                    }
                    match AutomaticCover::on(policy, self.history.first_bar, planned.date) {
                        Some(_) if excluded => {}
                        Some(automatic) => reasons.extend(automatic.reasons(after, figures.covered, figures.uncovered)),
                        None => {
                            let evidence = self.self_assessment.clone().unwrap_or_default();
                            reasons.extend(match self.self_assessment_bar(planned.date) {
                                Some((bar, until)) => vec![Reason::new(
                                    ReasonCode::BarredAfterRefusalOrWithdrawal,
                                    [
                                        ("date", Param::from(bar.to_string())),
                                        ("until", Param::from(until.to_string())),
                                    ],
                                )],
                                None => assess_on(policy, &evidence, after, None, planned.date, self.as_of)?.reasons,
                            });
                            if figures.cover_type == CoverType::SelfAssessed && !excluded {
                                reasons.extend(named_limit_duty(policy, after));
                            }
                        }
                    }
                }
            }
            if let (Some(effect), Some(ex)) = (figures.overdue, self.facts.exclusion) {
                reasons.push(ex.reason(effect));
            }
        }
        let covered = figures.covered.rounded();
        let uncovered = figures.uncovered.rounded();
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
            reasons,
            details: Some(Details::Cover {
                cover_type: figures.cover_type,
            }),
        })
    }
}

/// Op `check_delivery_cover`: outcome `covered`, `partly_covered` or `not_covered`; amounts
/// `coveredAmount` and `uncoveredAmount` of the delivery; the cover type in `details`. With an
/// `overdue` situation, deliveries inside or after the exclusion are refused (OVD-2, OVD-3, DIS-6).
pub fn check_delivery_cover(input: &CheckDeliveryCoverInput) -> Result<Decision, Error> {
    let mut context = CoverContext::new(
        &input.policy,
        input.buyer.clone(),
        &input.limit_events,
        input.self_assessment.clone(),
        input.as_of.0,
    )?;
    if let Some(situation) = &input.overdue {
        context = context.with_overdue(situation)?;
    }
    context.check(&input.outstanding, &input.delivery)
}
