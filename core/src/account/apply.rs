//! Duties to apply for a limit before a delivery (LIM-7) and for more when the projected peak
//! outstanding exceeds the limit in force (LIM-6), from every delivery of the account,
//! invoiced or planned, and the outstanding projected from them (EXP-1).
//!
//! A delivery day **needs a limit** when no named limit is usable for a delivery that day
//! (LIM-1, LIM-3, LIM-4: the limit timeline) and what the buyer owes at its end exceeds what
//! the policy covers without a named limit: the discretionary limit under self-assessment (CH:
//! small buyers below it need not be offered for cover, whatever the self-assessment's
//! evidence), the automatic cover (BE, DIS-7; nothing once a refusal or withdrawal ended it),
//! nothing at all under neither (DK). A day **needs more** when a limit is usable and what the
//! buyer owes at its end exceeds it. `spec/account.md` gives the choices.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::discretionary::AutomaticCover;
use crate::limit::{LimitEventDto, LimitHistory};
use crate::money::Money;
use crate::policy::Policy;

/// A delivery, invoiced or planned, that can be insured (buyer insurable, terms within the
/// maximum credit period): its day and its reference.
pub(super) struct Delivery<'a> {
    pub date: NaiveDate,
    pub reference: &'a str,
}

/// A duty to apply: for a first limit (LIM-7) or for more (LIM-6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApplyDuty<'a> {
    /// An application for more on a limit in force (LIM-6), else for a limit (LIM-7).
    pub increase: bool,
    /// The first delivery day that needs it: an application that day can still bring a decision
    /// that covers the delivery (LIM-1).
    pub due: NaiveDate,
    /// A limit was applied for (see [`duties`]).
    pub done: bool,
    /// That day's first delivery.
    pub reference: &'a str,
    /// The projected peak outstanding the limit is to cover (EXP-1), and its first day.
    pub peak: Money,
    pub peak_date: NaiveDate,
    /// The limit in force, for an application for more.
    pub limit: Option<Money>,
    /// The number of cancellations before the delivery (0: none).
    pub epoch: usize,
}

/// A run of delivery days that one application serves.
#[derive(Default)]
struct Episode<'a> {
    first: Option<(NaiveDate, &'a str)>,
    peak: Decimal,
    peak_date: Option<NaiveDate>,
}

impl<'a> Episode<'a> {
    fn see(&mut self, date: NaiveDate, reference: &'a str, need: Decimal, needs: bool) {
        if needs && self.first.is_none() {
            self.first = Some((date, reference));
        }
        if need > self.peak || self.peak_date.is_none() {
            self.peak = need;
            self.peak_date = Some(date);
        }
    }
}

/// What the limit events say besides the timeline: between two cancellations (an epoch), was a
/// limit applied for, and since when has the insurer refused or withdrawn it.
struct Epoch {
    starts: Option<NaiveDate>,
    applied: bool,
    barred_from: Option<NaiveDate>,
}

fn epochs(events: &[LimitEventDto]) -> Vec<Epoch> {
    let mut out = vec![Epoch {
        starts: None,
        applied: false,
        barred_from: None,
    }];
    let mut granted = false;
    for event in events {
        let date = event.date();
        let Some(epoch) = out.last_mut() else { break };
        match event {
            LimitEventDto::Applied { .. } => epoch.applied = true,
            LimitEventDto::Granted { .. } => granted = true,
            // A refused increase leaves the limit in force (LIM-6): no decision against the buyer.
            LimitEventDto::Refused { .. } if granted => {}
            LimitEventDto::Refused { .. } | LimitEventDto::Withdrawn { .. } => {
                epoch.barred_from = epoch.barred_from.or(Some(date));
                granted = false;
            }
            LimitEventDto::Reduced { .. } => {}
            LimitEventDto::Cancelled { .. } => {
                granted = false;
                out.push(Epoch {
                    starts: Some(date),
                    applied: false,
                    barred_from: None,
                });
            }
        }
    }
    out
}

/// The duties to apply, in date order of the epochs and then of the limit's stretches.
///
/// `changes` are the outstanding's changes, `(day, amount)`, of the same deliveries (only what
/// can be insured counts): each delivery adds its amount on
/// its day, each payment or credit note takes its amount off on its day, and what is open on
/// the as-of date is taken off on its due date if that is later (paid on time, EXP-1); an
/// invoice already past due stays owed. What the buyer owes at the end of a day is the sum of
/// the changes up to it.
///
/// - LIM-7: between two cancellations (LIM-4), the first delivery day that needs a limit and
///   comes before any refusal or withdrawal (after one, the insurer has judged the buyer: the
///   delivery is uncovered, not an application missing); done once a limit was applied for
///   between those cancellations (in time, or later). Its peak is the most owed on a day
///   without a limit in that stretch, before the refusal or withdrawal.
/// - LIM-6: for each stretch of the limit timeline, the first delivery day on which more is
///   owed than its amount; done once more was applied for after the decision that set the
///   amount (the grant or reduction of that stretch). Its peak is the most owed on a delivery
///   day of the stretch.
pub(super) fn duties<'a>(
    policy: &Policy,
    history: &LimitHistory,
    limit_events: &[LimitEventDto],
    mut deliveries: Vec<Delivery<'a>>,
    mut changes: Vec<(NaiveDate, Decimal)>,
) -> Vec<ApplyDuty<'a>> {
    deliveries.sort_by_key(|d| d.date); // stable: a day's first delivery stays first
    changes.sort_unstable_by_key(|c| c.0);
    let epochs = epochs(limit_events);
    let mut owed = Decimal::ZERO;
    let mut next = 0;
    let mut for_limit: BTreeMap<usize, Episode<'a>> = BTreeMap::new();
    let mut for_more: BTreeMap<usize, Episode<'a>> = BTreeMap::new();
    for day in deliveries.chunk_by(|a, b| a.date == b.date) {
        let Some(first) = day.first() else {
            continue;
        };
        let date = first.date;
        while let Some(&(_, delta)) = changes.get(next).filter(|c| c.0 <= date) {
            owed += delta;
            next += 1;
        }
        let stretch = history
            .segments
            .iter()
            .position(|s| s.from <= date && s.until.is_none_or(|u| date < u));
        match stretch.and_then(|s| history.segments.get(s).map(|seg| (s, seg))) {
            Some((s, seg)) => {
                for_more
                    .entry(s)
                    .or_default()
                    .see(date, first.reference, owed, owed > seg.amount.amount);
            }
            None => {
                let e = epochs
                    .iter()
                    .rposition(|e| e.starts.is_none_or(|c| c <= date))
                    .unwrap_or(0);
                if epochs.get(e).and_then(|e| e.barred_from).is_some_and(|b| b <= date) {
                    continue;
                }
                let covered = match (
                    policy.discretionary_limit,
                    AutomaticCover::on(policy, history.first_bar, date),
                ) {
                    (Some(dl), _) => dl.amount,
                    (None, Some(AutomaticCover::Cap(cap))) => cap.amount,
                    _ => Decimal::ZERO,
                };
                for_limit
                    .entry(e)
                    .or_default()
                    .see(date, first.reference, owed, owed > covered);
            }
        }
    }
    let money = |m: Decimal| Money::new(m, policy.currency);
    let mut out = Vec::new();
    for (e, episode) in for_limit {
        if let (Some((due, reference)), Some(peak_date)) = (episode.first, episode.peak_date) {
            out.push(ApplyDuty {
                increase: false,
                due,
                done: epochs.get(e).is_some_and(|e| e.applied),
                reference,
                peak: money(episode.peak),
                peak_date,
                limit: None,
                epoch: e,
            });
        }
    }
    for (s, episode) in for_more {
        let (Some((due, reference)), Some(peak_date), Some(seg)) =
            (episode.first, episode.peak_date, history.segments.get(s))
        else {
            continue;
        };
        // The decision that set the stretch's amount: the last grant or reduction notified on or
        // before the stretch starts.
        let decision = limit_events
            .iter()
            .rposition(|e| {
                matches!(e, LimitEventDto::Granted { .. } | LimitEventDto::Reduced { .. }) && e.date() <= seg.from
            })
            .unwrap_or(0);
        let done = limit_events
            .iter()
            .skip(decision + 1)
            .any(|e| matches!(e, LimitEventDto::Applied { .. }));
        out.push(ApplyDuty {
            increase: true,
            due,
            done,
            reference,
            peak: money(episode.peak),
            peak_date,
            limit: Some(seg.amount),
            epoch: epochs
                .iter()
                .rposition(|e| e.starts.is_none_or(|c| c <= due))
                .unwrap_or(0),
        });
    }
    out
}
