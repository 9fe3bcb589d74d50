//! Credit limits (LIM-1..5): a state machine replayed from the limit's events.
//!
//! `none -> requested -> granted | partlyGranted | refused`, then `reduced`,
//! `withdrawalPending{effective}`, `withdrawn`, `cancelled`; after a refusal, withdrawal or
//! cancellation a new application may start again. Illegal transitions and dates going
//! backwards are typed errors ([`Error::IllegalTransition`], [`Error::DateOrder`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{add_months, check_period, days_after, IsoDate};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto};
use crate::policy::Policy;

/// One event in the life of a named limit, as the ERP records it.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum LimitEventDto {
    /// The insured applied for a limit (LIM-1, LIM-2), or, on a limit in force, for more
    /// (LIM-6: the granted amount stays in force until the decision).
    Applied {
        /// Date of the application.
        date: IsoDate,
        /// Amount asked for.
        requested_amount: MoneyDto,
        /// Payment terms the insured wants to grant, in days.
        payment_terms_days: u32,
    },
    /// The insurer granted an amount: in full when at least the requested amount, else in
    /// part (LIM-1).
    Granted {
        /// Date of the credit decision.
        date: IsoDate,
        /// Amount granted (more than zero). On an application for more (LIM-6), the new
        /// amount: more than the limit in force.
        amount: MoneyDto,
        /// A temporary raise (LIM-6): the last day the granted amount applies; from the next
        /// day the limit falls back to the amount in force before. Only on an application for
        /// more on a limit in force.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        until: Option<IsoDate>,
    },
    /// The insurer refused (LIM-1).
    Refused {
        /// Date of the credit decision.
        date: IsoDate,
        /// Whether the decision expressly allows cover without a named limit: self-assessment
        /// within the bar (DIS-4), or under automatic cover, keeping it (DIS-7).
        #[serde(default)]
        allows_self_assessment: bool,
    },
    /// The insurer reduced the limit (LIM-3), effective after the delay.
    Reduced {
        /// Date of the notice.
        date: IsoDate,
        /// The new, lower amount.
        amount: MoneyDto,
        /// Delayed effect in days; default: the policy's `withdrawalDelayDays`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_days: Option<u32>,
    },
    /// The insurer withdrew the limit (LIM-3), effective after the delay.
    Withdrawn {
        /// Date of the notice.
        date: IsoDate,
        /// Delayed effect in days; default: the policy's `withdrawalDelayDays`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_days: Option<u32>,
        /// Whether the decision expressly allows cover without a named limit: self-assessment
        /// within the bar (DIS-4), or under automatic cover, keeping it (DIS-7).
        #[serde(default)]
        allows_self_assessment: bool,
    },
    /// The insured cancelled the limit (LIM-4), effective at once.
    Cancelled {
        /// Date of the cancellation.
        date: IsoDate,
    },
}

impl LimitEventDto {
    /// The insured applied on `date` for `requested_amount` on `payment_terms_days` (LIM-1).
    pub fn applied(date: IsoDate, requested_amount: MoneyDto, payment_terms_days: u32) -> Self {
        LimitEventDto::Applied {
            date,
            requested_amount,
            payment_terms_days,
        }
    }

    /// The insurer granted `amount` on `date`, with no end (LIM-1).
    pub fn granted(date: IsoDate, amount: MoneyDto) -> Self {
        LimitEventDto::Granted {
            date,
            amount,
            until: None,
        }
    }

    /// The event's date.
    pub fn date(&self) -> NaiveDate {
        match self {
            LimitEventDto::Applied { date, .. }
            | LimitEventDto::Granted { date, .. }
            | LimitEventDto::Refused { date, .. }
            | LimitEventDto::Reduced { date, .. }
            | LimitEventDto::Withdrawn { date, .. }
            | LimitEventDto::Cancelled { date } => date.0,
        }
    }

    fn verb(&self) -> &'static str {
        match self {
            LimitEventDto::Applied { .. } => "apply for",
            LimitEventDto::Granted { .. } => "grant",
            LimitEventDto::Refused { .. } => "refuse",
            LimitEventDto::Reduced { .. } => "reduce",
            LimitEventDto::Withdrawn { .. } => "withdraw",
            LimitEventDto::Cancelled { .. } => "cancel",
        }
    }
}

/// The state of a limit on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitState {
    /// Never applied for.
    None,
    /// Applied for, awaiting the decision.
    Requested {
        /// Amount asked for.
        requested: Money,
        /// Date of the application.
        on: NaiveDate,
    },
    /// Granted in full.
    Granted {
        /// Amount in force.
        amount: Money,
        /// Date of the decision.
        on: NaiveDate,
    },
    /// Granted for less than requested.
    PartlyGranted {
        /// Amount in force.
        amount: Money,
        /// Amount asked for.
        requested: Money,
        /// Date of the decision.
        on: NaiveDate,
    },
    /// An application for more on a limit in force awaits the decision (LIM-6); the limit in
    /// force stays usable.
    IncreaseRequested {
        /// Amount in force when the application was made.
        amount: Money,
        /// Amount asked for.
        requested: Money,
        /// Date of the application.
        on: NaiveDate,
    },
    /// A temporary raise (LIM-6): `amount` up to and including `until`, then `fallback` again.
    TemporarilyRaised {
        /// The raised amount.
        amount: Money,
        /// Last day of the raise.
        until: NaiveDate,
        /// The amount in force before the raise, and again after it.
        fallback: Money,
        /// The credit decision date of the fallback amount.
        fallback_on: NaiveDate,
        /// Date of the decision on the raise.
        on: NaiveDate,
    },
    /// Refused.
    Refused {
        /// Date of the decision.
        on: NaiveDate,
    },
    /// Reduced; before `effective` deliveries keep `previous`.
    Reduced {
        /// New amount.
        amount: Money,
        /// Amount before the reduction.
        previous: Money,
        /// First day the new amount applies.
        effective: NaiveDate,
    },
    /// Withdrawal announced: deliveries before `effective`, within `amount`, stay covered.
    WithdrawalPending {
        /// The old amount, usable until the effective date.
        amount: Money,
        /// First day the limit can no longer be used.
        effective: NaiveDate,
    },
    /// Withdrawn.
    Withdrawn {
        /// Day the withdrawal took effect.
        effective: NaiveDate,
    },
    /// Cancelled by the insured.
    Cancelled {
        /// Date of the cancellation.
        on: NaiveDate,
    },
}

impl LimitState {
    fn name(&self) -> &'static str {
        match self {
            LimitState::None => "not applied for",
            LimitState::Requested { .. } => "requested",
            LimitState::IncreaseRequested { .. } => "granted, with an application for more",
            LimitState::TemporarilyRaised { .. } => "temporarily raised",
            LimitState::Granted { .. } => "granted",
            LimitState::PartlyGranted { .. } => "partly granted",
            LimitState::Refused { .. } => "refused",
            LimitState::Reduced { .. } => "reduced",
            LimitState::WithdrawalPending { .. } => "being withdrawn",
            LimitState::Withdrawn { .. } => "withdrawn",
            LimitState::Cancelled { .. } => "cancelled",
        }
    }

    /// The amount usable for a delivery made on `date` (LIM-1, LIM-3): the granted amount;
    /// during a reduction or withdrawal notice, the old amount until the effective date.
    pub fn amount_for_delivery(&self, date: NaiveDate) -> Option<Money> {
        match *self {
            LimitState::Granted { amount, .. }
            | LimitState::PartlyGranted { amount, .. }
            | LimitState::IncreaseRequested { amount, .. } => Some(amount),
            LimitState::TemporarilyRaised {
                amount,
                until,
                fallback,
                ..
            } => Some(if date <= until { amount } else { fallback }),
            LimitState::Reduced {
                amount,
                previous,
                effective,
            } => Some(if date < effective { previous } else { amount }),
            LimitState::WithdrawalPending { amount, effective } => (date < effective).then_some(amount),
            _ => None,
        }
    }

    /// The date from which [`LimitState::amount_for_delivery`] changes, if it does (LIM-3).
    pub fn change_date(&self) -> Option<NaiveDate> {
        match *self {
            LimitState::Reduced { effective, .. } | LimitState::WithdrawalPending { effective, .. } => Some(effective),
            _ => None,
        }
    }

    /// Moves a pending reduction or withdrawal forward once its effective date has come, and a
    /// temporary raise back to the amount before it once it has ended (LIM-3, LIM-6).
    fn settle(self, date: NaiveDate) -> LimitState {
        match self {
            LimitState::WithdrawalPending { effective, .. } if date >= effective => LimitState::Withdrawn { effective },
            LimitState::TemporarilyRaised {
                until,
                fallback,
                fallback_on,
                ..
            } if date > until => LimitState::Granted {
                amount: fallback,
                on: fallback_on,
            },
            other => other,
        }
    }
}

/// One stretch of a limit's timeline (LIM-1, LIM-3, LIM-4): `amount` is the limit for
/// deliveries made on `from` or later and before `until` (open-ended when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First delivery day the amount applies to: the credit decision, or the day a reduction
    /// takes effect.
    pub from: NaiveDate,
    /// First delivery day it no longer applies to: a reduction or withdrawal taking effect, a
    /// cancellation; `None` while nothing ends it.
    pub until: Option<NaiveDate>,
    /// The limit for those deliveries.
    pub amount: Money,
}

impl Segment {
    fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }
}

/// A replayed limit: its state after the last event, and its timeline, the amount in force for
/// a delivery on each date, built from every decision, reduction, withdrawal, cancellation and
/// new grant (LIM-1, LIM-3, LIM-4). A delivery is judged on its own date: an event dated after
/// the delivery never changes the limit that delivery had, except a reduction or withdrawal
/// notified before it and taking effect on or before it (its delayed effect, LIM-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHistory {
    /// The state after the last event (not settled to any date).
    pub state: LimitState,
    /// The last refusal or withdrawal that does not allow self-assessment (DIS-4).
    pub last_bar: Option<NaiveDate>,
    /// The first refusal or withdrawal that does not allow cover without a named limit: from
    /// it on, a policy's automatic cover no longer covers the buyer (DIS-7).
    pub first_bar: Option<NaiveDate>,
    /// Every refusal or withdrawal that does not allow self-assessment, in date order: a
    /// delivery is barred from self-assessed cover by the ones before it (DIS-4, judged on the
    /// delivery date).
    pub bars: Vec<NaiveDate>,
    /// Date of the last event.
    pub last_event: Option<NaiveDate>,
    /// The timeline: stretches in date order, not overlapping.
    pub segments: Vec<Segment>,
}

impl LimitHistory {
    /// The limit usable for a delivery on `date` (LIM-1, LIM-3, LIM-4): the amount of the
    /// stretch of the timeline that contains `date`; none before the first credit decision,
    /// between a limit's end and the next grant, and after a withdrawal or cancellation.
    pub fn amount_for_delivery(&self, date: NaiveDate) -> Option<Money> {
        self.segments.iter().find(|s| s.contains(date)).map(|s| s.amount)
    }

    /// For a delivery on `date` that no limit covers: the next credit decision after it, if
    /// there is one (LIM-1: a limit does not cover deliveries made before it was granted).
    pub fn decision_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.amount_for_delivery(date).is_some() {
            return None;
        }
        self.segments.iter().map(|s| s.from).find(|from| *from > date)
    }

    /// The dates on which [`LimitHistory::amount_for_delivery`] changes, ascending: every
    /// start and end of a stretch of the timeline (LIM-1, LIM-3, LIM-4).
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = self
            .segments
            .iter()
            .flat_map(|s| [Some(s.from), s.until])
            .flatten()
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

/// Ends every stretch of the timeline at `at`: stretches from `at` on are dropped, the others
/// end on `at` at the latest (a reduction or withdrawal taking effect, a cancellation).
fn end_at(segments: &mut Vec<Segment>, at: NaiveDate) {
    segments.retain(|s| s.from < at);
    for s in segments.iter_mut() {
        if s.until.is_none_or(|u| u > at) {
            s.until = Some(at);
        }
    }
}

/// Replays `events` (in date order) under `policy`, up to and including `as_of`; events after
/// `as_of` are an error (the future is not known). `field` is the path of the event list.
pub fn replay(policy: &Policy, events: &[LimitEventDto], as_of: NaiveDate, field: &str) -> Result<LimitHistory, Error> {
    let mut state = LimitState::None;
    let mut last_bar = None;
    let mut first_bar: Option<NaiveDate> = None;
    let mut bars: Vec<NaiveDate> = Vec::new();
    let mut last_event: Option<NaiveDate> = None;
    let mut segments: Vec<Segment> = Vec::new();
    // The state an application for more (LIM-6) started from: back to it on a refusal.
    let mut before_increase: Option<LimitState> = None;
    for (i, event) in events.iter().enumerate() {
        // Field paths below are the event's; the event's own path is put in front of them
        // only for an error (this runs for every event of every buyer of a batch).
        let at = |e: Error| e.with_prefix(&format!("{field}[{i}]"));
        let date = event.date();
        if let Some(prev) = last_event.filter(|p| *p > date) {
            return Err(at(Error::DateOrder {
                field: "date".into(),
                detail: format!("event on {date} comes after one on {prev}: events must be in date order"),
            }));
        }
        if date > as_of {
            return Err(at(Error::DateOrder {
                field: "date".into(),
                detail: format!("event on {date} is after the as-of date {as_of}"),
            }));
        }
        if date < policy.insurance_year_start {
            return Err(at(Error::DateOrder {
                field: "date".into(),
                detail: format!(
                    "event on {date} is before the policy starts on {}",
                    policy.insurance_year_start
                ),
            }));
        }
        last_event = Some(date);
        state = state.settle(date);
        let illegal = || {
            at(Error::IllegalTransition {
                field: String::new(),
                event: event.verb().to_owned(),
                state: state.name().to_owned(),
            })
        };
        let money = |m: &MoneyDto, name: &str| -> Result<Money, Error> {
            let money = m.to_money(name).map_err(at)?;
            if money.currency != policy.currency {
                return Err(at(Error::CurrencyMismatch {
                    field: format!("{name}.currency"),
                    expected: policy.currency.code().to_owned(),
                    found: money.currency.code().to_owned(),
                }));
            }
            if money.amount <= Decimal::ZERO {
                return Err(at(Error::OutOfRange {
                    field: format!("{name}.amount"),
                    value: m.amount.to_string(),
                    expected: "more than 0".into(),
                }));
            }
            Ok(money)
        };
        let delay = |d: Option<u32>| -> Result<NaiveDate, Error> {
            let days = check_period("delayDays", d.unwrap_or(policy.withdrawal_delay_days)).map_err(at)?;
            days_after(date, days, policy.day_count, "delayDays").map_err(at)
        };
        let in_force = match state {
            LimitState::WithdrawalPending { .. } => None,
            other => other.amount_for_delivery(date),
        };
        state = match (event, state) {
            (
                LimitEventDto::Applied {
                    requested_amount,
                    payment_terms_days,
                    ..
                },
                LimitState::None
                | LimitState::Refused { .. }
                | LimitState::Withdrawn { .. }
                | LimitState::Cancelled { .. },
            ) => {
                check_period("paymentTermsDays", *payment_terms_days).map_err(at)?;
                LimitState::Requested {
                    requested: money(requested_amount, "requestedAmount")?,
                    on: date,
                }
            }
            (
                LimitEventDto::Applied {
                    requested_amount,
                    payment_terms_days,
                    ..
                },
                LimitState::Granted { .. }
                | LimitState::PartlyGranted { .. }
                | LimitState::Reduced { .. }
                | LimitState::TemporarilyRaised { .. },
            ) => {
                let amount = in_force.ok_or_else(illegal)?;
                check_period("paymentTermsDays", *payment_terms_days).map_err(at)?;
                let requested = money(requested_amount, "requestedAmount")?;
                if requested.amount <= amount.amount {
                    return Err(at(Error::OutOfRange {
                        field: "requestedAmount.amount".into(),
                        value: requested_amount.amount.to_string(),
                        expected: format!(
                            "more than the limit in force, {} (an application on a limit in force asks for more)",
                            amount.rounded().amount
                        ),
                    }));
                }
                before_increase = Some(state);
                LimitState::IncreaseRequested {
                    amount,
                    requested,
                    on: date,
                }
            }
            (
                LimitEventDto::Granted {
                    amount: granted, until, ..
                },
                LimitState::IncreaseRequested {
                    amount: current,
                    requested,
                    ..
                },
            ) => {
                let granted = money(granted, "amount")?;
                if granted.amount <= current.amount {
                    return Err(at(Error::OutOfRange {
                        field: "amount.amount".into(),
                        value: granted.amount.to_string(),
                        expected: format!(
                            "more than the limit in force, {} (a lower amount is a reduction)",
                            current.rounded().amount
                        ),
                    }));
                }
                let before = before_increase.take().unwrap_or(state);
                match until {
                    Some(until) => {
                        let until = until.0;
                        if until < date {
                            return Err(at(Error::DateOrder {
                                field: "until".into(),
                                detail: format!(
                                    "a temporary limit from {date} cannot end before it starts, on {until}"
                                ),
                            }));
                        }
                        if let LimitState::TemporarilyRaised { until: running, .. } = before {
                            return Err(at(Error::DateOrder {
                                field: "until".into(),
                                detail: format!(
                                    "a temporary limit from {date} overlaps the one running until {running}"
                                ),
                            }));
                        }
                        let back = until.succ_opt().ok_or_else(|| {
                            at(Error::OutOfRange {
                                field: "until".into(),
                                value: until.to_string(),
                                expected: "a date before the end of the calendar".into(),
                            })
                        })?;
                        let tail: Vec<Segment> = segments
                            .iter()
                            .filter(|s| s.until.is_none_or(|u| u > back))
                            .map(|s| Segment {
                                from: s.from.max(back),
                                ..*s
                            })
                            .collect();
                        end_at(&mut segments, date);
                        segments.push(Segment {
                            from: date,
                            until: Some(back),
                            amount: granted,
                        });
                        segments.extend(tail);
                        let fallback_on = match before {
                            LimitState::Granted { on, .. } | LimitState::PartlyGranted { on, .. } => on,
                            _ => segments.first().map_or(date, |s| s.from),
                        };
                        LimitState::TemporarilyRaised {
                            amount: granted,
                            until,
                            fallback: current,
                            fallback_on,
                            on: date,
                        }
                    }
                    None => {
                        end_at(&mut segments, date);
                        segments.push(Segment {
                            from: date,
                            until: None,
                            amount: granted,
                        });
                        if granted.amount >= requested.amount {
                            LimitState::Granted {
                                amount: granted,
                                on: date,
                            }
                        } else {
                            LimitState::PartlyGranted {
                                amount: granted,
                                requested,
                                on: date,
                            }
                        }
                    }
                }
            }
            (
                LimitEventDto::Refused {
                    allows_self_assessment, ..
                },
                LimitState::IncreaseRequested { .. },
            ) => {
                // LIM-6: a refused increase leaves the limit in force as it was; it bars no
                // self-assessment (the buyer keeps its named limit).
                let _ = allows_self_assessment;
                before_increase.take().ok_or_else(illegal)?
            }
            (LimitEventDto::Granted { until: Some(_), .. }, LimitState::Requested { .. }) => {
                return Err(at(Error::InconsistentTerms {
                    field: "until".into(),
                    detail: "a temporary limit raises a limit in force: a first limit has no end date".into(),
                }));
            }
            (LimitEventDto::Granted { amount, .. }, LimitState::Requested { requested, .. }) => {
                let amount = money(amount, "amount")?;
                segments.push(Segment {
                    from: date,
                    until: None,
                    amount,
                });
                if amount.amount >= requested.amount {
                    LimitState::Granted { amount, on: date }
                } else {
                    LimitState::PartlyGranted {
                        amount,
                        requested,
                        on: date,
                    }
                }
            }
            (
                LimitEventDto::Refused {
                    allows_self_assessment, ..
                },
                LimitState::Requested { .. },
            ) => {
                if !allows_self_assessment {
                    last_bar = Some(date);
                    first_bar = first_bar.or(Some(date));
                    bars.push(date);
                }
                LimitState::Refused { on: date }
            }
            (LimitEventDto::Reduced { amount, delay_days, .. }, _) if in_force.is_some() => {
                let previous = in_force.ok_or_else(illegal)?;
                let amount = money(amount, "amount")?;
                if amount.amount >= previous.amount {
                    return Err(at(Error::OutOfRange {
                        field: "amount.amount".into(),
                        value: amount.amount.to_string(),
                        expected: format!("less than the limit in force, {}", previous.rounded().amount),
                    }));
                }
                let effective = delay(*delay_days)?;
                end_at(&mut segments, effective);
                segments.push(Segment {
                    from: effective,
                    until: None,
                    amount,
                });
                LimitState::Reduced {
                    amount,
                    previous,
                    effective,
                }
            }
            (
                LimitEventDto::Withdrawn {
                    delay_days,
                    allows_self_assessment,
                    ..
                },
                _,
            ) if in_force.is_some() => {
                if !allows_self_assessment {
                    last_bar = Some(date);
                    first_bar = first_bar.or(Some(date));
                    bars.push(date);
                }
                let effective = delay(*delay_days)?;
                end_at(&mut segments, effective);
                LimitState::WithdrawalPending {
                    amount: in_force.ok_or_else(illegal)?,
                    effective,
                }
            }
            (LimitEventDto::Cancelled { .. }, LimitState::Requested { .. } | LimitState::WithdrawalPending { .. }) => {
                end_at(&mut segments, date);
                LimitState::Cancelled { on: date }
            }
            (LimitEventDto::Cancelled { .. }, _) if in_force.is_some() => {
                before_increase = None;
                end_at(&mut segments, date);
                LimitState::Cancelled { on: date }
            }
            _ => return Err(illegal()),
        };
    }
    Ok(LimitHistory {
        state,
        last_bar,
        first_bar,
        bars,
        last_event,
        segments,
    })
}

/// The LIM-4 deadline for cancelling limits without the new insurance year's credit check
/// fee: day `limitCancellationDay` of the first month of the insurance year that contains
/// `date` (the first such day on or after the year's start). Returns (year start, deadline);
/// the deadline is `None` when the policy sets no `limitCancellationDay` (LIM-4 is a CH term).
pub fn cancellation_deadline(policy: &Policy, date: NaiveDate) -> Result<(NaiveDate, Option<NaiveDate>), Error> {
    if date < policy.insurance_year_start {
        return Err(Error::DateOrder {
            field: "date".into(),
            detail: format!("{date} is before the policy starts on {}", policy.insurance_year_start),
        });
    }
    let mut start = policy.insurance_year_start;
    let mut k = 1;
    loop {
        let next = add_months(
            policy.insurance_year_start,
            policy.insurance_year_months.saturating_mul(k),
            "insuranceYear",
        )?;
        if next > date {
            break;
        }
        start = next;
        k += 1;
    }
    let Some(cancellation_day) = policy.limit_cancellation_day else {
        return Ok((start, None));
    };
    let day_in = |d: NaiveDate| -> NaiveDate {
        let last = crate::calendar::end_of_month(d);
        let day = cancellation_day.min(chrono::Datelike::day(&last));
        chrono::Datelike::with_day(&d, day).unwrap_or(last)
    };
    let mut deadline = day_in(start);
    if deadline < start {
        deadline = day_in(add_months(start, 1, "insuranceYear")?);
    }
    Ok((start, Some(deadline)))
}

/// What `limit_state` reports in `details`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitSummary {
    /// Amount usable for a delivery on the as-of date, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_in_force: Option<MoneyDto>,
    /// When a pending reduction or withdrawal takes effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<IsoDate>,
    /// Until when self-assessment is barred (DIS-4), if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment_barred_until: Option<IsoDate>,
    /// Since when the policy's automatic cover no longer covers the buyer (DIS-7), if it has
    /// automatic cover and the insurer refused or withdrew a limit on the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_cover_barred_since: Option<IsoDate>,
}

/// Input of op `limit_state`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitStateInput {
    /// Policy terms.
    pub policy: crate::policy::PolicyDto,
    /// The limit's events in date order.
    pub events: Vec<LimitEventDto>,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// The end of the DIS-4 bar after a refusal or withdrawal on `date`: the policy's
/// self-assessment window (`selfAssessmentWindowMonths`, "12 months") later.
pub fn bar_end(policy: &Policy, date: NaiveDate) -> Result<NaiveDate, Error> {
    add_months(date, policy.self_assessment_window_months, "date")
}

/// The reasons describing a limit's state on `as_of` (LIM-1, LIM-3, LIM-4).
pub fn state_reasons(policy: &Policy, state: LimitState, as_of: NaiveDate) -> Result<Vec<Reason>, Error> {
    let cur = || Param::from(policy.currency.code());
    let date = |d: NaiveDate| Param::from(d.to_string());
    Ok(match state.settle(as_of) {
        LimitState::None => vec![Reason::new(ReasonCode::NoLimitInForce, [])],
        LimitState::Requested { requested, on } => vec![Reason::new(
            ReasonCode::LimitApplied,
            [
                ("requested", Param::amount(requested.rounded().amount)),
                ("currency", cur()),
                ("date", date(on)),
            ],
        )],
        LimitState::Granted { amount, on } => vec![Reason::new(
            ReasonCode::LimitGranted,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("currency", cur()),
                ("date", date(on)),
            ],
        )],
        LimitState::PartlyGranted { amount, requested, on } => vec![Reason::new(
            ReasonCode::LimitPartlyGranted,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("requested", Param::amount(requested.rounded().amount)),
                ("currency", cur()),
                ("date", date(on)),
            ],
        )],
        LimitState::IncreaseRequested { amount, requested, on } => vec![Reason::new(
            ReasonCode::LimitIncreaseApplied,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("requested", Param::amount(requested.rounded().amount)),
                ("currency", cur()),
                ("date", date(on)),
            ],
        )],
        LimitState::TemporarilyRaised {
            amount,
            until,
            fallback,
            on,
            ..
        } => vec![Reason::new(
            ReasonCode::LimitTemporarilyRaised,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("fallback", Param::amount(fallback.rounded().amount)),
                ("currency", cur()),
                ("date", date(on)),
                ("until", date(until)),
            ],
        )],
        LimitState::Refused { on } => vec![Reason::new(ReasonCode::LimitRefused, [("date", date(on))])],
        LimitState::Reduced {
            amount,
            previous,
            effective,
        } => vec![Reason::new(
            ReasonCode::LimitReduced,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("previous", Param::amount(previous.rounded().amount)),
                ("currency", cur()),
                ("effective", date(effective)),
            ],
        )],
        LimitState::WithdrawalPending { amount, effective } => vec![Reason::new(
            ReasonCode::LimitWithdrawalPending,
            [
                ("amount", Param::amount(amount.rounded().amount)),
                ("currency", cur()),
                ("effective", date(effective)),
            ],
        )],
        LimitState::Withdrawn { effective } => vec![Reason::new(
            ReasonCode::LimitWithdrawn,
            [("effective", date(effective))],
        )],
        LimitState::Cancelled { on } => {
            let mut reasons = vec![Reason::new(ReasonCode::LimitCancelled, [("date", date(on))])];
            // LIM-4: the fee reasons only where the policy sets a cancellation deadline.
            if let (start, Some(deadline)) = cancellation_deadline(policy, on)? {
                let code = if on <= deadline {
                    ReasonCode::CancelledBeforeDeadline
                } else {
                    ReasonCode::CancelledAfterDeadline
                };
                reasons.push(Reason::new(
                    code,
                    [("deadline", date(deadline)), ("insuranceYearStart", date(start))],
                ));
            }
            reasons
        }
    })
}

/// Op `limit_state`: replays the events and describes the limit on `asOf` (LIM-1, LIM-3, LIM-4).
pub fn limit_state(input: &LimitStateInput) -> Result<Decision, Error> {
    limit_state_of(&input.policy.validate()?, &input.events, input.as_of.0)
}

/// [`limit_state`] under a policy already validated, on the limit's `events` in date order.
pub fn limit_state_of(policy: &Policy, events: &[LimitEventDto], as_of: NaiveDate) -> Result<Decision, Error> {
    if as_of < policy.insurance_year_start {
        return Err(Error::DateOrder {
            field: "asOf".into(),
            detail: format!("{as_of} is before the policy starts on {}", policy.insurance_year_start),
        });
    }
    let history = replay(policy, events, as_of, "events")?;
    let state = history.state.settle(as_of);
    let outcome = match state {
        LimitState::None => Outcome::NoLimit,
        LimitState::Requested { .. } => Outcome::LimitRequested,
        LimitState::Granted { .. } | LimitState::IncreaseRequested { .. } | LimitState::TemporarilyRaised { .. } => {
            Outcome::LimitGranted
        }
        LimitState::PartlyGranted { .. } => Outcome::LimitPartlyGranted,
        LimitState::Refused { .. } => Outcome::LimitRefused,
        LimitState::Reduced { .. } => Outcome::LimitReduced,
        LimitState::WithdrawalPending { .. } => Outcome::LimitWithdrawalPending,
        LimitState::Withdrawn { .. } => Outcome::LimitWithdrawn,
        LimitState::Cancelled { .. } => Outcome::LimitCancelled,
    };
    let amount_in_force = history.amount_for_delivery(as_of).map(|m| MoneyDto::from(m.rounded()));
    let effective_date = match state {
        LimitState::Reduced { effective, .. } | LimitState::WithdrawalPending { effective, .. }
            if as_of < effective =>
        {
            Some(IsoDate(effective))
        }
        _ => None,
    };
    let barred_until = match history.last_bar {
        Some(d) if policy.self_assessment_agreed() => {
            Some(bar_end(policy, d)?).filter(|until| as_of < *until).map(IsoDate)
        }
        _ => None,
    };
    let mut amounts = std::collections::BTreeMap::new();
    if let Some(a) = &amount_in_force {
        amounts.insert("limit".to_owned(), a.clone());
    }
    Ok(Decision {
        outcome,
        amounts,
        reasons: state_reasons(policy, state, as_of)?,
        details: Some(Details::Limit(LimitSummary {
            amount_in_force,
            effective_date,
            self_assessment_barred_until: barred_until,
            automatic_cover_barred_since: history
                .first_bar
                .filter(|_| policy.automatic_cover.is_some())
                .map(IsoDate),
        })),
    })
}

/// A limit application to check before it is sent (LIM-2, LIM-5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitApplicationDto {
    /// Amount asked for (more than zero, policy currency).
    pub requested_amount: MoneyDto,
    /// Payment terms the insured wants to grant, in days.
    pub payment_terms_days: u32,
    /// Date of the application.
    pub date: IsoDate,
}

/// Input of op `check_limit_application`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckLimitApplicationInput {
    /// Policy terms.
    pub policy: crate::policy::PolicyDto,
    /// The application.
    pub application: LimitApplicationDto,
}

/// LIM-2: the requested payment terms against the policy's maximum credit period (equal is
/// fine): `requested_terms_exceed_max_credit_period` or `requested_terms_within_max_credit_period`.
pub fn terms_reason(policy: &Policy, days: u32) -> Reason {
    Reason::new(
        if days > policy.max_credit_period_days {
            ReasonCode::RequestedTermsExceedMaxCreditPeriod
        } else {
            ReasonCode::RequestedTermsWithinMaxCreditPeriod
        },
        [
            ("paymentTermsDays", Param::from(days)),
            ("maxCreditPeriodDays", Param::from(policy.max_credit_period_days)),
        ],
    )
}

/// LIM-5: a request of at most the discretionary limit, where the policy has the insurer check
/// such buyers, costs a yearly credit check fee (`credit_check_fee_applies`).
pub fn credit_check_fee_reason(policy: &Policy, requested: Decimal) -> Option<Reason> {
    let dl = policy
        .discretionary_limit
        .filter(|dl| requested <= dl.amount && policy.credit_checks_inside_discretionary_limit)?;
    Some(Reason::new(
        ReasonCode::CreditCheckFeeApplies,
        [
            ("discretionaryLimit", Param::amount(dl.rounded().amount)),
            ("currency", Param::from(policy.currency.code())),
        ],
    ))
}

/// Op `check_limit_application`: flags requested terms beyond the maximum credit period
/// (LIM-2) and says when a request inside the discretionary limit will cost a yearly credit
/// check fee (LIM-5). Outcome `application_ready` or `application_flagged`.
pub fn check_limit_application(input: &CheckLimitApplicationInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let app = &input.application;
    let requested = app.requested_amount.to_money("application.requestedAmount")?;
    if requested.currency != policy.currency {
        return Err(Error::CurrencyMismatch {
            field: "application.requestedAmount.currency".into(),
            expected: policy.currency.code().to_owned(),
            found: requested.currency.code().to_owned(),
        });
    }
    if requested.amount <= Decimal::ZERO {
        return Err(Error::OutOfRange {
            field: "application.requestedAmount.amount".into(),
            value: app.requested_amount.amount.to_string(),
            expected: "more than 0".into(),
        });
    }
    let days = check_period("application.paymentTermsDays", app.payment_terms_days)?;
    if app.date.0 < policy.insurance_year_start {
        return Err(Error::DateOrder {
            field: "application.date".into(),
            detail: format!(
                "{} is before the policy starts on {}",
                app.date.0, policy.insurance_year_start
            ),
        });
    }
    let flagged = days > policy.max_credit_period_days;
    let mut reasons = vec![terms_reason(&policy, days)];
    reasons.extend(credit_check_fee_reason(&policy, requested.amount));
    Ok(Decision {
        outcome: if flagged {
            Outcome::ApplicationFlagged
        } else {
            Outcome::ApplicationReady
        },
        amounts: [("requestedAmount".to_owned(), MoneyDto::from(requested))].into(),
        reasons,
        details: None,
    })
}
