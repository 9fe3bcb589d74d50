//! Cover for buyers without a named limit: self-assessment under the discretionary limit
//! (DIS-1..5, CH) or automatic cover up to a preset amount per buyer (DIS-7, BE).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{days_after, IsoDate};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::limit::{bar_end, replay, LimitEventDto};
use crate::money::{Money, MoneyDto};
use crate::policy::{Policy, PolicyDto};

/// A past purchase of the buyer (DIS-1 a).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurchaseDto {
    /// Delivery (invoice) date.
    pub delivery_date: IsoDate,
    /// Original due date.
    pub due_date: IsoDate,
    /// Payment date; absent while unpaid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<IsoDate>,
}

/// A written bank or credit-agency report on the buyer (DIS-1 b, DIS-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditReportDto {
    /// Date of the report.
    pub date: IsoDate,
    /// The recommended maximum credit, if the report gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_maximum_credit: Option<MoneyDto>,
    /// Whether the report contradicts itself (e.g. a maximum credit beside "no credit advised").
    #[serde(default)]
    pub contradictory: bool,
}

/// A credit check the insurer ran inside the discretionary limit (DIS-1 c, LIM-5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsurerCreditCheckDto {
    /// Date of the check.
    pub date: IsoDate,
    /// Amount the insurer considers safe.
    pub approved_amount: MoneyDto,
}

/// Negative information the insured learned about the buyer (DIS-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NegativeInformationDto {
    /// When it was learned.
    pub date: IsoDate,
    /// What it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The evidence behind a self-assessment.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelfAssessmentDto {
    /// Purchases of the buyer (any period; those within the self-assessment window count).
    #[serde(default)]
    pub purchases: Vec<PurchaseDto>,
    /// A written report, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<CreditReportDto>,
    /// An insurer credit check, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurer_credit_check: Option<InsurerCreditCheckDto>,
    /// Negative information learned.
    #[serde(default)]
    pub negative_information: Vec<NegativeInformationDto>,
}

/// The result of a self-assessment: the total cover it gives and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Total cover for the buyer (0 when not covered).
    pub covered: Money,
    /// The reasons, in rule order.
    pub reasons: Vec<Reason>,
}

/// The first day of the self-assessment window that ends on `date` (DIS-1 a/b, DIS-2): the
/// same day `selfAssessmentWindowMonths` ("12 months") before, inclusive; the last day of the
/// month when that month is shorter (a window ending on 29 February 2028 starts on 28 February
/// 2027).
pub fn window_start(policy: &Policy, date: NaiveDate) -> NaiveDate {
    date.checked_sub_months(chrono::Months::new(policy.self_assessment_window_months))
        .unwrap_or(date)
}

/// The first day whose self-assessment window no longer contains `date` (DIS-1 a/b, DIS-2):
/// evidence dated `date` counts for deliveries from its date up to the day before. The windows'
/// first days ([`window_start`]) only move forward from one day to the next, so this is the
/// first day after the same day `selfAssessmentWindowMonths` later whose window starts after
/// `date`: evidence of 29 February 2024 counts up to 28 February 2025 (whose window starts 28
/// February 2024) and no longer from 1 March 2025; evidence of 28 February 2027 still counts on
/// 29 February 2028 (whose window starts 28 February 2027) and no longer from 1 March 2028.
/// `None` when that day is past the last representable date (the evidence never leaves the
/// window).
pub fn window_end(policy: &Policy, date: NaiveDate) -> Option<NaiveDate> {
    // The same day that many months later (or the month's last day) has a window that starts
    // on or before `date`; the next days' windows start at most a few days later.
    let mut end = date.checked_add_months(chrono::Months::new(policy.self_assessment_window_months))?;
    while window_start(policy, end) <= date {
        end = end.succ_opt()?;
    }
    Some(end)
}

/// The evidence checked once (dates in order, figures in the policy currency) with the figures
/// the rules read: each purchase's last day for a payment on time (its due date plus the
/// maximum extension period), the report's recommended maximum credit and the insurer check's
/// approved amount.
struct Evidence {
    latest: Vec<NaiveDate>,
    recommended: Option<Money>,
    approved: Option<Money>,
}

impl Evidence {
    /// Errors: evidence dated after `as_of` (negative information, a report), a purchase due or
    /// paid before its delivery (`date_order`), a figure in another currency.
    fn read(policy: &Policy, dto: &SelfAssessmentDto, as_of: NaiveDate) -> Result<Self, Error> {
        for (i, info) in dto.negative_information.iter().enumerate() {
            if info.date.0 > as_of {
                return Err(Error::DateOrder {
                    field: format!("evidence.negativeInformation[{i}].date"),
                    detail: format!("{} is after the as-of date {as_of}", info.date.0),
                });
            }
        }
        let mut latest = Vec::with_capacity(dto.purchases.len());
        for (i, p) in dto.purchases.iter().enumerate() {
            if p.due_date.0 < p.delivery_date.0 {
                return Err(Error::DateOrder {
                    field: format!("evidence.purchases[{i}].dueDate"),
                    detail: format!(
                        "due date {} is before the delivery on {}",
                        p.due_date.0, p.delivery_date.0
                    ),
                });
            }
            if let Some(paid) = p.paid_on.filter(|paid| paid.0 < p.delivery_date.0) {
                return Err(Error::DateOrder {
                    field: format!("evidence.purchases[{i}].paidOn"),
                    detail: format!("payment on {} is before the delivery on {}", paid.0, p.delivery_date.0),
                });
            }
            latest.push(days_after(
                p.due_date.0,
                policy.max_extension_period_days,
                policy.day_count,
                "maxExtensionPeriodDays",
            )?);
        }
        let recommended = match &dto.report {
            Some(report) => {
                let recommended = match &report.recommended_maximum_credit {
                    Some(m) => Some(policy.money(m, "evidence.report.recommendedMaximumCredit")?),
                    None => None,
                };
                if report.date.0 > as_of {
                    return Err(Error::DateOrder {
                        field: "evidence.report.date".into(),
                        detail: format!("{} is after the as-of date {as_of}", report.date.0),
                    });
                }
                recommended
            }
            None => None,
        };
        let approved = match &dto.insurer_credit_check {
            Some(check) => Some(policy.money(&check.approved_amount, "evidence.insurerCreditCheck.approvedAmount")?),
            None => None,
        };
        Ok(Evidence {
            latest,
            recommended,
            approved,
        })
    }

    /// Whether purchase `i` counts for a delivery on `date` known on `as_of` (DIS-1 a): delivered
    /// within the window ending on `date`, and paid by its last day on time, by `date` and by
    /// `as_of` (a payment after the delivery was not known when it was made).
    fn purchase_counts(&self, i: usize, p: &PurchaseDto, since: NaiveDate, date: NaiveDate, as_of: NaiveDate) -> bool {
        let latest = self.latest.get(i).copied().unwrap_or(NaiveDate::MIN);
        p.delivery_date.0 >= since
            && p.delivery_date.0 <= date
            && p.paid_on
                .is_some_and(|paid| paid.0 <= latest && paid.0 <= date && paid.0 <= as_of)
    }
}

/// Assesses self-assessed cover for a buyer needing `needed` in total, on `as_of`: the
/// assessment of op `assess_discretionary`, [`assess_on`] with the as-of date as the date
/// judged.
pub fn assess(
    policy: &Policy,
    evidence: &SelfAssessmentDto,
    needed: Money,
    last_bar: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<Assessment, Error> {
    assess_on(policy, evidence, needed, last_bar, as_of, as_of)
}

/// Assesses self-assessed cover for a buyer needing `needed` in total, for a delivery on
/// `date`, with the evidence known on `as_of`.
///
/// The conditions are judged on `date`, the delivery date: what the insured knew when it
/// delivered (DIS-1, DIS-2). The window is `selfAssessmentWindowMonths` ("the last 12 months"):
/// from the same day that many months before `date`, inclusive ([`window_start`]), up to
/// `date`. Evidence dated after `date` did not exist then and does not count, so negative
/// information learned after a delivery does not take its cover away, and a purchase paid after
/// it is not yet a purchase paid on time. For a delivery after `as_of` (a planned one) the
/// window still ends on its date, with the evidence known on `as_of`.
///
/// In order, stopping at the first condition that fails: self-assessment agreed (DIS-1); no
/// refusal or withdrawal barring `date` unless it allowed self-assessment (DIS-4, `last_bar`,
/// barred up to [`bar_end`]); no negative information learned within the window (DIS-2); then
/// at least one evidence route (DIS-1): (a) at least `selfAssessmentMinPurchases` purchases
/// delivered within the window and paid by their due date plus the maximum extension period,
/// (b) a report dated within the window with a maximum credit figure and no contradiction
/// (DIS-3; a report dated after `date` is `report_after_delivery`), (c) an insurer credit check
/// within the window where the policy allows it. The cover is the lowest of the need, the
/// discretionary limit and the best route's figure (DIS-3). Evidence dated after `as_of` is an
/// error (`date_order`), as is a purchase due or paid before its delivery.
pub fn assess_on(
    policy: &Policy,
    evidence: &SelfAssessmentDto,
    needed: Money,
    last_bar: Option<NaiveDate>,
    date: NaiveDate,
    as_of: NaiveDate,
) -> Result<Assessment, Error> {
    let zero = Money::zero(policy.currency);
    let not_covered = |reasons: Vec<Reason>| Ok(Assessment { covered: zero, reasons });
    let Some(discretionary) = policy.discretionary_limit else {
        return not_covered(vec![Reason::new(ReasonCode::SelfAssessmentNotAgreed, [])]);
    };
    let read = Evidence::read(policy, evidence, as_of)?;
    let since = window_start(policy, date);
    let day = |d: NaiveDate| Param::from(d.to_string());
    let cur = || Param::from(policy.currency.code());

    if let Some(bar) = last_bar {
        let until = bar_end(policy, bar)?;
        if date < until {
            return not_covered(vec![Reason::new(
                ReasonCode::BarredAfterRefusalOrWithdrawal,
                [("date", day(bar)), ("until", day(until))],
            )]);
        }
    }
    if let Some(info) = evidence
        .negative_information
        .iter()
        .filter(|n| n.date.0 >= since && n.date.0 <= date)
        .max_by_key(|n| n.date.0)
    {
        return not_covered(vec![Reason::new(
            ReasonCode::NegativeInformation,
            [("date", day(info.date.0))],
        )]);
    }

    let mut caps: Vec<(Decimal, Reason)> = Vec::new();
    let mut failures = Vec::new();
    // (a) purchases
    let count = evidence
        .purchases
        .iter()
        .enumerate()
        .filter(|(i, p)| read.purchase_counts(*i, p, since, date, as_of))
        .count();
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let needed_purchases = i64::from(policy.self_assessment_min_purchases);
    if count >= needed_purchases {
        caps.push((
            discretionary.amount,
            Reason::new(
                ReasonCode::PaidOnTimeTwice,
                [("count", Param::Int(count)), ("since", day(since))],
            ),
        ));
    } else {
        failures.push(Reason::new(
            ReasonCode::TooFewPaidPurchases,
            [
                ("count", Param::Int(count)),
                ("needed", Param::Int(needed_purchases)),
                ("since", day(since)),
            ],
        ));
    }
    // (b) report
    if let Some(report) = &evidence.report {
        match read.recommended {
            _ if report.date.0 < since => failures.push(Reason::new(
                ReasonCode::ReportTooOld,
                [("reportDate", day(report.date.0)), ("since", day(since))],
            )),
            _ if report.date.0 > date => failures.push(Reason::new(
                ReasonCode::ReportAfterDelivery,
                [("reportDate", day(report.date.0)), ("date", day(date))],
            )),
            None => failures.push(Reason::new(ReasonCode::ReportWithoutMaximumCredit, [])),
            Some(_) if report.contradictory => failures.push(Reason::new(ReasonCode::ReportContradictsItself, [])),
            Some(r) => caps.push((
                r.amount,
                Reason::new(
                    ReasonCode::ReportJustifiesAmount,
                    [
                        ("recommended", Param::amount(r.rounded().amount)),
                        ("currency", cur()),
                        ("reportDate", day(report.date.0)),
                    ],
                ),
            )),
        }
    }
    // (c) insurer credit check
    if let (Some(check), Some(approved)) = (&evidence.insurer_credit_check, read.approved) {
        if !policy.credit_checks_inside_discretionary_limit {
            failures.push(Reason::new(ReasonCode::CreditCheckNotAgreed, []));
        } else if check.date.0 >= since && check.date.0 <= date.min(as_of) {
            caps.push((
                approved.amount,
                Reason::new(
                    ReasonCode::InsurerCreditCheck,
                    [
                        ("approved", Param::amount(approved.rounded().amount)),
                        ("currency", cur()),
                        ("date", day(check.date.0)),
                    ],
                ),
            ));
        }
    }

    let Some((best, route)) = caps.into_iter().max_by(|a, b| a.0.cmp(&b.0)) else {
        failures.push(Reason::new(ReasonCode::NoSelfAssessmentEvidence, []));
        return not_covered(failures);
    };
    let cap = best.min(discretionary.amount);
    let covered = needed.amount.min(cap).max(Decimal::ZERO);
    let mut reasons = vec![route];
    if needed.amount > cap {
        reasons.push(Reason::new(
            ReasonCode::CappedAtDiscretionaryLimit,
            [
                ("cap", Param::amount(Money::new(cap, policy.currency).rounded().amount)),
                ("needed", Param::amount(needed.rounded().amount)),
                ("currency", cur()),
            ],
        ));
    }
    reasons.push(Reason::new(
        ReasonCode::SelfAssessedCover,
        [
            (
                "covered",
                Param::amount(Money::new(covered, policy.currency).rounded().amount),
            ),
            ("currency", cur()),
        ],
    ));
    Ok(Assessment {
        covered: Money::new(covered, policy.currency),
        reasons,
    })
}

/// The self-assessed cap for deliveries on each date (DIS-1..3): what the evidence known on
/// `asOf` gives, in total, for a delivery on that date, judged on it as [`assess_on`] judges
/// it (the DIS-4 bar aside, which [`crate::cover::CoverContext`] reads from the limit's
/// events). A step function of the date: each piece of evidence counts from its date (a
/// purchase from its payment) up to the day its window ends ([`window_end`]), so the cap changes
/// only on those days. Worked out once, by a sweep over them, for the batch and the account to
/// read the cap of any day without assessing again; a test checks it against [`assess_on`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessedCaps {
    /// `(first day, cap)` in date order, the first from [`NaiveDate::MIN`], no two neighbours
    /// with the same cap.
    steps: Vec<(NaiveDate, Decimal)>,
}

impl SelfAssessedCaps {
    /// The caps of `evidence` known on `as_of` under `policy`: zero on every date without
    /// self-assessment agreed (DIS-1). The evidence's errors are those of [`assess_on`].
    pub fn new(policy: &Policy, evidence: &SelfAssessmentDto, as_of: NaiveDate) -> Result<Self, Error> {
        const NEGATIVE: usize = 0;
        const PURCHASE: usize = 1;
        const REPORT: usize = 2;
        const CHECK: usize = 3;
        let Some(discretionary) = policy.discretionary_limit else {
            return Ok(SelfAssessedCaps {
                steps: vec![(NaiveDate::MIN, Decimal::ZERO)],
            });
        };
        let read = Evidence::read(policy, evidence, as_of)?;
        // Each piece of evidence counts on the days [from, window_end(dated)).
        // The marks are kept in date order as they come, by binary insertion: the evidence is
        // short and mostly in date order already, and the browser build is spared the code of
        // a sort (about 3.6 KB of wasm).
        let mut marks: Vec<(NaiveDate, usize, i64)> = Vec::new();
        let mut mark = |day: NaiveDate, kind: usize, delta: i64| {
            let at = marks.partition_point(|m| m.0 <= day);
            marks.insert(at, (day, kind, delta));
        };
        let mut span = |kind: usize, from: NaiveDate, dated: NaiveDate| {
            let to = window_end(policy, dated);
            if to.is_none_or(|to| from < to) {
                mark(from, kind, 1);
                if let Some(to) = to {
                    mark(to, kind, -1);
                }
            }
        };
        for info in &evidence.negative_information {
            span(NEGATIVE, info.date.0, info.date.0);
        }
        for (p, latest) in evidence.purchases.iter().zip(&read.latest) {
            if let Some(paid) = p.paid_on.filter(|paid| paid.0 <= *latest && paid.0 <= as_of) {
                span(PURCHASE, paid.0, p.delivery_date.0);
            }
        }
        let report = evidence
            .report
            .as_ref()
            .filter(|r| !r.contradictory)
            .zip(read.recommended);
        if let Some((r, _)) = report {
            span(REPORT, r.date.0, r.date.0);
        }
        let check = evidence
            .insurer_credit_check
            .as_ref()
            .filter(|c| policy.credit_checks_inside_discretionary_limit && c.date.0 <= as_of)
            .zip(read.approved);
        if let Some((c, _)) = check {
            span(CHECK, c.date.0, c.date.0);
        }
        let needed = i64::from(policy.self_assessment_min_purchases);
        let cap = |counts: &[i64; 4]| {
            if counts[NEGATIVE] > 0 {
                return Decimal::ZERO;
            }
            let routes = [
                (counts[PURCHASE] >= needed).then_some(discretionary.amount),
                report.filter(|_| counts[REPORT] > 0).map(|(_, m)| m.amount),
                check.filter(|_| counts[CHECK] > 0).map(|(_, m)| m.amount),
            ];
            routes
                .into_iter()
                .flatten()
                .max()
                .map_or(Decimal::ZERO, |best| best.min(discretionary.amount).max(Decimal::ZERO))
        };
        let mut counts = [0i64; 4];
        let mut steps = vec![(NaiveDate::MIN, cap(&counts))];
        for day in marks.chunk_by(|a, b| a.0 == b.0) {
            for &(_, kind, delta) in day {
                if let Some(n) = counts.get_mut(kind) {
                    *n += delta;
                }
            }
            let now = cap(&counts);
            if let (Some(&(first, _, _)), Some(&(_, last))) = (day.first(), steps.last()) {
                if now != last {
                    steps.push((first, now));
                }
            }
        }
        Ok(SelfAssessedCaps { steps })
    }

    /// The cap for a delivery on `date`.
    pub fn on(&self, date: NaiveDate) -> Decimal {
        let i = self.steps.partition_point(|(from, _)| *from <= date);
        self.steps
            .get(i.saturating_sub(1))
            .map_or(Decimal::ZERO, |(_, cap)| *cap)
    }

    /// The days the cap changes, ascending.
    pub fn changes(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.steps.iter().skip(1).map(|(from, _)| *from)
    }

    /// Whether some date has a cap above zero.
    pub fn any(&self) -> bool {
        self.steps.iter().any(|(_, cap)| *cap > Decimal::ZERO)
    }
}

/// The DIS-5 duty: outstanding above the discretionary limit means applying for a named
/// limit at once. `None` when there is no duty.
pub fn named_limit_duty(policy: &Policy, outstanding: Money) -> Option<Reason> {
    let dl = policy.discretionary_limit?;
    (outstanding.amount > dl.amount).then(|| {
        Reason::new(
            ReasonCode::ApplyForNamedLimit,
            [
                ("outstanding", Param::amount(outstanding.rounded().amount)),
                ("discretionaryLimit", Param::amount(dl.rounded().amount)),
                ("currency", Param::from(policy.currency.code())),
            ],
        )
    })
}

/// What a policy's automatic cover (DIS-7, BE) gives a buyer without a named limit on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutomaticCover {
    /// Covered up to this amount in total, without the conditions of DIS-1..2.
    Cap(Money),
    /// No automatic cover: the insurer refused or withdrew a limit on the buyer on this date,
    /// without expressly allowing cover without one.
    Barred(NaiveDate),
}

impl AutomaticCover {
    /// The automatic cover on `date` (DIS-7): `None` when the policy has none. It ends for
    /// good on the first refusal or withdrawal of a named limit on the buyer that does not
    /// expressly allow cover without a limit (`first_bar`, see
    /// [`crate::limit::LimitHistory::first_bar`]); only a named limit covers the buyer from then
    /// on.
    pub fn on(policy: &Policy, first_bar: Option<NaiveDate>, date: NaiveDate) -> Option<AutomaticCover> {
        let amount = policy.automatic_cover?;
        Some(match first_bar.filter(|bar| *bar <= date) {
            Some(bar) => AutomaticCover::Barred(bar),
            None => AutomaticCover::Cap(amount),
        })
    }

    /// The reasons for a buyer owing `outstanding` in total under this cover, of which
    /// `covered` and `uncovered` are the parts of the delivery (or need) asked about:
    /// `covered_by_automatic_cover` when something is covered, `outstanding_above_automatic_cover`
    /// when something is not; `automatic_cover_barred` when barred (DIS-7).
    pub fn reasons(self, outstanding: Money, covered: Money, uncovered: Money) -> Vec<Reason> {
        let cur = || Param::from(outstanding.currency.code());
        let amount = |m: Money| Param::amount(m.rounded().amount);
        match self {
            AutomaticCover::Barred(bar) => vec![Reason::new(
                ReasonCode::AutomaticCoverBarred,
                [("date", Param::from(bar.to_string()))],
            )],
            AutomaticCover::Cap(cap) => {
                let mut reasons = Vec::new();
                if covered.amount > Decimal::ZERO {
                    reasons.push(Reason::new(
                        ReasonCode::CoveredByAutomaticCover,
                        [
                            ("automaticCover", amount(cap)),
                            ("outstanding", amount(outstanding)),
                            ("covered", amount(covered)),
                            ("currency", cur()),
                        ],
                    ));
                }
                if uncovered.amount > Decimal::ZERO {
                    reasons.push(Reason::new(
                        ReasonCode::OutstandingAboveAutomaticCover,
                        [
                            ("automaticCover", amount(cap)),
                            ("outstanding", amount(outstanding)),
                            ("uncovered", amount(uncovered)),
                            ("currency", cur()),
                        ],
                    ));
                }
                reasons
            }
        }
    }
}

/// Input of op `assess_discretionary`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssessDiscretionaryInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The total cover needed for the buyer (e.g. its peak outstanding).
    pub needed_amount: MoneyDto,
    /// The buyer's current outstanding, for the DIS-5 duty (default: the needed amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outstanding: Option<MoneyDto>,
    /// The evidence.
    #[serde(default)]
    pub evidence: SelfAssessmentDto,
    /// The buyer's named-limit events, for DIS-4.
    #[serde(default)]
    pub limit_events: Vec<LimitEventDto>,
    /// Date of the assessment.
    pub as_of: IsoDate,
}

/// Op `assess_discretionary` (DIS-1..5, DIS-7): the cover the buyer has without a named limit.
/// Outcome `covered`, `partly_covered` or `not_covered`, amounts `coveredAmount` and
/// `uncoveredAmount`. Under a policy with automatic cover (DIS-7) the need is covered up to the
/// automatic amount whatever the evidence, unless a refusal or withdrawal ended it; under a
/// policy with neither, `self_assessment_not_agreed`.
pub fn assess_discretionary(input: &AssessDiscretionaryInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    if as_of < policy.insurance_year_start {
        return Err(Error::DateOrder {
            field: "asOf".into(),
            detail: format!("{as_of} is before the policy starts on {}", policy.insurance_year_start),
        });
    }
    let needed = policy.money(&input.needed_amount, "neededAmount")?;
    let outstanding = match &input.outstanding {
        Some(o) => policy.money(o, "outstanding")?,
        None => needed,
    };
    let history = replay(&policy, &input.limit_events, as_of, "limitEvents")?;
    let (covered, reasons) = match AutomaticCover::on(&policy, history.first_bar, as_of) {
        Some(automatic) => {
            let covered = match automatic {
                AutomaticCover::Cap(cap) => Money::new(needed.amount.min(cap.amount), policy.currency),
                AutomaticCover::Barred(_) => Money::zero(policy.currency),
            };
            let uncovered = needed.checked_sub(&covered, "neededAmount")?;
            (covered, automatic.reasons(needed, covered, uncovered))
        }
        None => {
            let assessment = assess(&policy, &input.evidence, needed, history.last_bar, as_of)?;
            let mut reasons = assessment.reasons;
            reasons.extend(named_limit_duty(&policy, outstanding));
            (assessment.covered, reasons)
        }
    };
    let covered = covered.rounded();
    let uncovered = needed.checked_sub(&covered, "neededAmount")?.rounded();
    let outcome = if covered.amount.is_zero() && !needed.amount.is_zero() {
        Outcome::NotCovered
    } else if uncovered.amount.is_zero() {
        Outcome::Covered
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
        details: None,
    })
}
