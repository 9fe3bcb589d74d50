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
    /// The insured applied for a limit (LIM-1, LIM-2).
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
        /// Amount granted (more than zero).
        amount: MoneyDto,
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
    fn date(&self) -> NaiveDate {
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
            LimitState::Granted { amount, .. } | LimitState::PartlyGranted { amount, .. } => Some(amount),
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

    /// Moves a pending reduction or withdrawal forward once its effective date has come.
    fn settle(self, date: NaiveDate) -> LimitState {
        match self {
            LimitState::WithdrawalPending { effective, .. } if date >= effective => LimitState::Withdrawn { effective },
            other => other,
        }
    }
}

/// A replayed limit: its state on a date and what DIS-4 needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHistory {
    /// The state after the last event (not settled to any date).
    pub state: LimitState,
    /// The last refusal or withdrawal that does not allow self-assessment (DIS-4).
    pub last_bar: Option<NaiveDate>,
    /// The first refusal or withdrawal that does not allow cover without a named limit: from
    /// it on, a policy's automatic cover no longer covers the buyer (DIS-7).
    pub first_bar: Option<NaiveDate>,
    /// Date of the last event.
    pub last_event: Option<NaiveDate>,
    /// The credit decision date of the limit in force (or being reduced or withdrawn):
    /// deliveries before it are not covered by it (LIM-1).
    pub granted_on: Option<NaiveDate>,
}

impl LimitHistory {
    /// The limit usable for a delivery on `date` (LIM-1, LIM-3): none before the credit
    /// decision; the old amount during a reduction or withdrawal notice.
    pub fn amount_for_delivery(&self, date: NaiveDate) -> Option<Money> {
        if self.granted_on.is_some_and(|g| date < g) {
            return None;
        }
        self.state.amount_for_delivery(date)
    }

    /// The dates on which [`LimitHistory::amount_for_delivery`] changes, ascending: the credit
    /// decision and a reduction or withdrawal taking effect (LIM-1, LIM-3).
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = [self.granted_on, self.state.change_date()]
            .into_iter()
            .flatten()
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

/// Replays `events` (in date order) under `policy`, up to and including `as_of`; events after
/// `as_of` are an error (the future is not known). `field` is the path of the event list.
pub fn replay(policy: &Policy, events: &[LimitEventDto], as_of: NaiveDate, field: &str) -> Result<LimitHistory, Error> {
    let mut state = LimitState::None;
    let mut last_bar = None;
    let mut first_bar: Option<NaiveDate> = None;
    let mut last_event: Option<NaiveDate> = None;
    let mut granted_on: Option<NaiveDate> = None;
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
            LimitState::Granted { amount, .. } | LimitState::PartlyGranted { amount, .. } => Some(amount),
            LimitState::Reduced {
                amount,
                previous,
                effective,
            } => Some(if date < effective { previous } else { amount }),
            _ => None,
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
            (LimitEventDto::Granted { amount, .. }, LimitState::Requested { requested, .. }) => {
                let amount = money(amount, "amount")?;
                granted_on = Some(date);
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
                LimitState::Reduced {
                    amount,
                    previous,
                    effective: delay(*delay_days)?,
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
                }
                LimitState::WithdrawalPending {
                    amount: in_force.ok_or_else(illegal)?,
                    effective: delay(*delay_days)?,
                }
            }
            (LimitEventDto::Cancelled { .. }, LimitState::Requested { .. } | LimitState::WithdrawalPending { .. }) => {
                LimitState::Cancelled { on: date }
            }
            (LimitEventDto::Cancelled { .. }, _) if in_force.is_some() => LimitState::Cancelled { on: date },
            _ => return Err(illegal()),
        };
    }
    let granted_on = match state {
        LimitState::Granted { .. }
        | LimitState::PartlyGranted { .. }
        | LimitState::Reduced { .. }
        | LimitState::WithdrawalPending { .. }
        | LimitState::Withdrawn { .. } => granted_on,
        _ => None,
    };
    Ok(LimitHistory {
        state,
        last_bar,
        first_bar,
        last_event,
        granted_on,
    })
}

/// The LIM-4 deadline for cancelling limits without the new insurance year's credit check
/// fee: day `limitCancellationDay` of the first month of the insurance year that contains
/// `date` (the first such day on or after the year's start). Returns (year start, deadline).
pub fn cancellation_deadline(policy: &Policy, date: NaiveDate) -> Result<(NaiveDate, NaiveDate), Error> {
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
    let day_in = |d: NaiveDate| -> NaiveDate {
        let last = crate::calendar::end_of_month(d);
        let day = policy.limit_cancellation_day.min(chrono::Datelike::day(&last));
        chrono::Datelike::with_day(&d, day).unwrap_or(last)
    };
    let mut deadline = day_in(start);
    if deadline < start {
        deadline = day_in(add_months(start, 1, "insuranceYear")?);
    }
    Ok((start, deadline))
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
            let (start, deadline) = cancellation_deadline(policy, on)?;
            let code = if on <= deadline {
                ReasonCode::CancelledBeforeDeadline
            } else {
                ReasonCode::CancelledAfterDeadline
            };
            vec![
                Reason::new(ReasonCode::LimitCancelled, [("date", date(on))]),
                Reason::new(
                    code,
                    [("deadline", date(deadline)), ("insuranceYearStart", date(start))],
                ),
            ]
        }
    })
}

/// Op `limit_state`: replays the events and describes the limit on `asOf` (LIM-1, LIM-3, LIM-4).
pub fn limit_state(input: &LimitStateInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    if as_of < policy.insurance_year_start {
        return Err(Error::DateOrder {
            field: "asOf".into(),
            detail: format!("{as_of} is before the policy starts on {}", policy.insurance_year_start),
        });
    }
    let history = replay(&policy, &input.events, as_of, "events")?;
    let state = history.state.settle(as_of);
    let outcome = match state {
        LimitState::None => Outcome::NoLimit,
        LimitState::Requested { .. } => Outcome::LimitRequested,
        LimitState::Granted { .. } => Outcome::LimitGranted,
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
            Some(bar_end(&policy, d)?).filter(|until| as_of < *until).map(IsoDate)
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
        reasons: state_reasons(&policy, state, as_of)?,
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
