//! Following up a file waiting for the remote assessment (PCI-3): a small state machine
//! replayed from the contact attempts, asked at any date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::terms;
use crate::calendar::{check_period, days_after, DayCount, IsoDate};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;

/// A contact attempt towards the customer (PCI-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContactKind {
    /// A reminder (call or message) asking the customer to do the remote assessment.
    Reminder,
    /// The SMS sent after the last reminder, asking the customer to call back.
    Sms,
}

/// One contact attempt, dated.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactAttemptDto {
    /// Reminder or SMS.
    pub kind: ContactKind,
    /// When it was made.
    pub on: IsoDate,
}

/// A file waiting for the remote assessment and its contact history (PCI-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUpDto {
    /// The day the file was put in "waiting for remote assessment".
    pub awaiting_since: IsoDate,
    /// Days between two steps (the guide gives no interval; the handler's procedure does).
    pub reminder_interval_days: u32,
    /// The contact attempts, in date order.
    #[serde(default)]
    pub attempts: Vec<ContactAttemptDto>,
    /// The day the customer was reached (answered or called back), if they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_reached_on: Option<IsoDate>,
}

/// Input of `follow_up_remote_assessment` (PCI-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUpRemoteAssessmentInput {
    /// The file's follow-up.
    pub follow_up: FollowUpDto,
    /// The date of the question.
    pub as_of: IsoDate,
}

/// The follow-up state (PCI-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reminding the customer: `reminders` sent so far, the last step on `last`.
    Awaiting { reminders: u32, last: NaiveDate },
    /// The SMS was sent on `sms_on`; the file waits for the customer.
    WaitingForCustomer { sms_on: NaiveDate },
    /// The customer was reached on `on`.
    CustomerReached { on: NaiveDate },
}

enum Event {
    Attempt(ContactKind),
    Reached,
}

fn illegal(field: String, detail: &str) -> Error {
    Error::InconsistentTerms {
        field,
        detail: detail.to_owned(),
    }
}

impl State {
    /// The transition on `event` at `on`; an illegal one is an error naming `field`.
    fn apply(self, event: &Event, on: NaiveDate, field: String) -> Result<State, Error> {
        match (self, event) {
            (State::CustomerReached { .. }, _) => Err(illegal(field, "the customer was already reached")),
            (_, Event::Reached) => Ok(State::CustomerReached { on }),
            (State::Awaiting { reminders, .. }, Event::Attempt(ContactKind::Reminder))
                if reminders < terms::REMINDERS_BEFORE_SMS =>
            {
                Ok(State::Awaiting {
                    reminders: reminders + 1,
                    last: on,
                })
            }
            (State::Awaiting { .. }, Event::Attempt(ContactKind::Reminder)) => Err(illegal(
                field,
                "a fourth reminder: after three reminders the customer gets an sms",
            )),
            (State::Awaiting { reminders, .. }, Event::Attempt(ContactKind::Sms))
                if reminders == terms::REMINDERS_BEFORE_SMS =>
            {
                Ok(State::WaitingForCustomer { sms_on: on })
            }
            (State::Awaiting { .. }, Event::Attempt(ContactKind::Sms)) => {
                Err(illegal(field, "the sms comes after the third reminder"))
            }
            (State::WaitingForCustomer { .. }, Event::Attempt(_)) => Err(illegal(
                field,
                "no further contact attempt once the sms is sent: the file waits for the customer",
            )),
        }
    }
}

/// The dated events of a follow-up, in order: attempts, then the customer reached (validated
/// against each other and the start date).
fn events(follow_up: &FollowUpDto) -> Result<Vec<(NaiveDate, Event, String)>, Error> {
    let start = follow_up.awaiting_since.0;
    let mut out = Vec::new();
    let mut previous = start;
    for (i, attempt) in follow_up.attempts.iter().enumerate() {
        let field = format!("followUp.attempts[{i}].on");
        if attempt.on.0 < previous {
            return Err(illegal(
                field,
                &format!(
                    "{} is before {previous}: attempts must be in date order, after awaitingSince",
                    attempt.on.0
                ),
            ));
        }
        previous = attempt.on.0;
        out.push((
            attempt.on.0,
            Event::Attempt(attempt.kind),
            format!("followUp.attempts[{i}].kind"),
        ));
    }
    if let Some(reached) = follow_up.customer_reached_on {
        let field = "followUp.customerReachedOn".to_owned();
        if reached.0 < previous {
            return Err(illegal(
                field,
                &format!(
                    "{} is before {previous}: no contact attempt after the customer was reached",
                    reached.0
                ),
            ));
        }
        out.push((reached.0, Event::Reached, field));
    }
    Ok(out)
}

fn after(date: NaiveDate, days: u32, field: &str) -> Result<NaiveDate, Error> {
    days_after(date, days, DayCount::ExcludeStartDay, field)
}

fn date(d: NaiveDate) -> Param {
    Param::from(d.to_string())
}

/// The state of a file waiting for the remote assessment at `as_of`, with the next action and
/// its date (PCI-3).
///
/// The customer gets three reminders, then an SMS, and the file then waits for the customer
/// for one week (7 days after the SMS; from that day the week is over and the file is
/// reviewed). Each reminder and the SMS are due `reminderIntervalDays` after the previous step
/// (the first reminder after `awaitingSince`). The "remote assessment confirmed with customer"
/// flag is set from the first contact attempt on, whether the customer answered or not.
/// Events after `as_of` are not counted; the whole history must still be a legal sequence
/// (a fourth reminder, an SMS before the third reminder, an attempt after the SMS or after the
/// customer was reached, or dates out of order are [`Error::InconsistentTerms`]).
pub fn follow_up_remote_assessment(follow_up: &FollowUpDto, as_of: IsoDate) -> Result<Decision, Error> {
    let interval = check_period("followUp.reminderIntervalDays", follow_up.reminder_interval_days)?;
    let start = follow_up.awaiting_since.0;
    if as_of.0 < start {
        return Err(illegal(
            "asOf".into(),
            &format!("{} is before awaitingSince {start}", as_of.0),
        ));
    }
    let events = events(follow_up)?;
    let mut state = State::Awaiting {
        reminders: 0,
        last: start,
    };
    let mut full = state;
    let mut first_contact = None;
    for (on, event, field) in &events {
        full = full.apply(event, *on, field.clone())?;
        if *on <= as_of.0 {
            state = full;
            first_contact.get_or_insert(*on);
        }
    }

    let mut reasons = Vec::new();
    let flag = match first_contact {
        Some(since) => Reason::new(ReasonCode::ConfirmedWithCustomerFlagSet, [("since", date(since))]),
        None => Reason::new(ReasonCode::ConfirmedWithCustomerFlagNotYetSet, []),
    };
    let sent = |count: u32| {
        Reason::new(
            ReasonCode::RemindersSent,
            [
                ("count", Param::from(count)),
                ("maximum", Param::from(terms::REMINDERS_BEFORE_SMS)),
            ],
        )
    };
    let outcome = match state {
        State::Awaiting { reminders, last } => {
            let due = after(last, interval, "followUp.reminderIntervalDays")?;
            reasons.push(sent(reminders));
            reasons.push(flag);
            reasons.push(if reminders < terms::REMINDERS_BEFORE_SMS {
                Reason::new(
                    ReasonCode::NextReminderDue,
                    [("number", Param::from(reminders + 1)), ("dueOn", date(due))],
                )
            } else {
                Reason::new(ReasonCode::NextSmsDue, [("dueOn", date(due))])
            });
            Outcome::AwaitingRemoteAssessment
        }
        State::WaitingForCustomer { sms_on } => {
            let until = after(sms_on, terms::WAITING_FOR_CUSTOMER_DAYS, "followUp.attempts")?;
            reasons.push(sent(terms::REMINDERS_BEFORE_SMS));
            reasons.push(Reason::new(
                ReasonCode::SmsSent,
                [("sentOn", date(sms_on)), ("waitUntil", date(until))],
            ));
            reasons.push(flag);
            reasons.push(Reason::new(ReasonCode::NextFileReviewDue, [("dueOn", date(until))]));
            if as_of.0 < until {
                Outcome::WaitingForCustomer
            } else {
                Outcome::WaitingForCustomerEnded
            }
        }
        State::CustomerReached { on } => {
            reasons.push(Reason::new(ReasonCode::CustomerReachedOn, [("reachedOn", date(on))]));
            reasons.push(flag);
            reasons.push(Reason::new(ReasonCode::NextRemoteAssessmentDue, [("dueOn", date(on))]));
            Outcome::CustomerReached
        }
    };
    Ok(Decision {
        outcome,
        amounts: Default::default(),
        reasons,
        details: None,
    })
}
