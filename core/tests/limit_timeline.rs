//! The limit is a timeline (LIM-1, LIM-3, LIM-4): a delivery is judged by the limit in force on
//! its own date. Events dated after a delivery never change the limit that delivery had: a
//! reduction or withdrawal reaches it only through a notice dated before it whose delayed
//! effect starts on or before it, and such a notice is itself dated before the delivery.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Days, NaiveDate};
use delcredere::limit::{replay, LimitEventDto};
use delcredere::PolicyDto;
use proptest::prelude::*;
use serde_json::json;

fn policy() -> delcredere::policy::Policy {
    let dto: PolicyDto = serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
        "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000.00", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
    .unwrap();
    dto.validate().unwrap()
}

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(offset)
}

/// One event of a random kind on `date` (a temporary raise among them, LIM-6); whether it is
/// legal is left to `replay`.
fn event(kind: u8, date: NaiveDate, amount: u32, delay: u8) -> LimitEventDto {
    let money = json!({"amount": amount.to_string(), "currency": "EUR"});
    let d = date.to_string();
    let until = (date + Days::new(u64::from(delay))).to_string();
    serde_json::from_value(match kind % 7 {
        0 => json!({"type": "applied", "date": d, "requestedAmount": money, "paymentTermsDays": 60}),
        1 => json!({"type": "granted", "date": d, "amount": money}),
        2 => json!({"type": "refused", "date": d}),
        3 => json!({"type": "reduced", "date": d, "amount": money, "delayDays": delay % 40}),
        4 => json!({"type": "withdrawn", "date": d, "delayDays": delay % 40}),
        5 => json!({"type": "granted", "date": d, "amount": money, "until": until}),
        _ => json!({"type": "cancelled", "date": d}),
    })
    .unwrap()
}

/// A legal history: random events, in date order, each kept only if `replay` accepts it.
fn history(steps: &[(u8, u8, u32, u8)]) -> Vec<LimitEventDto> {
    let policy = policy();
    let mut events = Vec::new();
    let mut date = day(0);
    for &(kind, gap, amount, delay) in steps {
        date = date + Days::new(u64::from(gap % 30));
        events.push(event(kind, date, 1000 + amount % 90_000, delay));
        if replay(&policy, &events, day(400), "events").is_err() {
            events.pop();
        }
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn events_after_a_delivery_never_change_its_limit_lim_1_lim_3_lim_4_lim_6(
        steps in prop::collection::vec((0u8..7, 0u8..30, 0u32..90_000, 0u8..40), 1..16),
        delivery in 0u64..400,
    ) {
        let policy = policy();
        let events = history(&steps);
        let delivery = day(delivery);
        let known: Vec<LimitEventDto> = events
            .iter()
            .filter(|e| serde_json::to_value(e).unwrap()["date"].as_str().unwrap() <= delivery.to_string().as_str())
            .cloned()
            .collect();
        let later = replay(&policy, &events, day(400), "events").unwrap();
        let then = replay(&policy, &known, delivery.max(day(0)), "events").unwrap();
        prop_assert_eq!(later.amount_for_delivery(delivery), then.amount_for_delivery(delivery));
    }
}
