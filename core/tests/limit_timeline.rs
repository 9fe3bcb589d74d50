//! The limit is a timeline (LIM-1, LIM-3, LIM-4): a delivery is judged by the limit in force on
//! its own date. Events dated after a delivery never change the limit that delivery had: a
//! reduction or withdrawal reaches it only through a notice dated before it whose delayed
//! effect starts on or before it, and such a notice is itself dated before the delivery.
//! Likewise for self-assessed cover (DIS-1, DIS-2, DIS-4): evidence dated after a delivery
//! (a purchase paid, a report, negative information) and a later refusal or withdrawal never
//! change its cover.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Days, NaiveDate};
use delcredere::cover::{CoverContext, PlannedDelivery};
use delcredere::discretionary::SelfAssessmentDto;
use delcredere::limit::{replay, LimitEventDto};
use delcredere::{PaymentSecurity, PolicyDto, ReceivableKind};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

fn policy() -> delcredere::policy::Policy {
    policy_dto().validate().unwrap()
}

fn policy_dto() -> PolicyDto {
    serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
        "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000.00", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
    .unwrap()
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

/// [`policy`] with self-assessment (CH): discretionary limit 20,000.00, window 12 months,
/// two purchases, insurer credit checks allowed.
fn self_assessment_policy() -> PolicyDto {
    serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
        "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000.00", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}},
        "selfAssessmentAgreed": true, "discretionaryLimit": {"amount": "20000.00", "currency": "EUR"},
        "creditChecksInsideDiscretionaryLimit": true}))
    .unwrap()
}

/// Evidence dated from 2025-07-01 on: purchases `(delivered, paid after, due
/// after)` in days, a report `(date, figure)`, an insurer check, negative information; those
/// dated after `known` (a purchase paid after it is then unpaid) are left out.
fn evidence(
    purchases: &[(u16, u8, Option<u8>)],
    report: Option<(u16, u32)>,
    check: Option<(u16, u32)>,
    negative: &[u16],
    known: NaiveDate,
) -> SelfAssessmentDto {
    let at = |n: u16| NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() + Days::new(u64::from(n));
    let money = |a: u32| json!({"amount": a.to_string(), "currency": "EUR"});
    serde_json::from_value(json!({
        "purchases": purchases.iter().filter(|p| at(p.0) <= known).map(|&(n, due, paid)| {
            let delivered = at(n);
            let mut p = json!({"deliveryDate": delivered.to_string(),
                "dueDate": (delivered + Days::new(u64::from(due))).to_string()});
            if let Some(paid) = paid.map(|p| delivered + Days::new(u64::from(p))).filter(|p| *p <= known) {
                p["paidOn"] = json!(paid.to_string());
            }
            p
        }).collect::<Vec<_>>(),
        "report": report.filter(|r| at(r.0) <= known)
            .map(|(n, figure)| json!({"date": at(n).to_string(), "recommendedMaximumCredit": money(figure)})),
        "insurerCreditCheck": check.filter(|c| at(c.0) <= known)
            .map(|(n, approved)| json!({"date": at(n).to_string(), "approvedAmount": money(approved)})),
        "negativeInformation": negative.iter().filter(|n| at(**n) <= known)
            .map(|n| json!({"date": at(*n).to_string()})).collect::<Vec<_>>(),
    }))
    .unwrap()
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A delivery's cover (its amount, its type, the limit used) under a self-assessment policy
    /// is the same asked on day 400 with every limit event and piece of evidence as asked on
    /// its own date with those dated up to it: evidence and refusals dated after a delivery do
    /// not change it (LIM-1, LIM-3, DIS-1, DIS-2, DIS-4).
    #[test]
    fn evidence_and_events_after_a_delivery_never_change_its_cover_dis_1_dis_2_dis_4(
        steps in prop::collection::vec((0u8..7, 0u8..30, 0u32..90_000, 0u8..40), 0..10),
        purchases in prop::collection::vec((0u16..560, 0u8..90, prop::option::of(0u8..160)), 0..5),
        report in prop::option::of((0u16..560, 1000u32..30_000)),
        check in prop::option::of((0u16..560, 1000u32..30_000)),
        negative in prop::collection::vec(0u16..560, 0..2),
        owed in 0u32..25_000,
        delivery in 0u64..400,
    ) {
        let policy = self_assessment_policy();
        let events = history(&steps);
        let delivery = day(delivery);
        let last = day(400);
        let known: Vec<LimitEventDto> = events
            .iter()
            .filter(|e| serde_json::to_value(e).unwrap()["date"].as_str().unwrap() <= delivery.to_string().as_str())
            .cloned()
            .collect();
        let later = CoverContext::new(&policy, buyer(), &events,
            Some(evidence(&purchases, report, check, &negative, last)), last).unwrap();
        let then = CoverContext::new(&policy, buyer(), &known,
            Some(evidence(&purchases, report, check, &negative, delivery)), delivery).unwrap();
        let planned = PlannedDelivery::from_parts(later.policy(), Decimal::from(15_000), delivery, 60, false,
            ReceivableKind::Goods, PaymentSecurity::OpenAccount).unwrap();
        let outstanding = delcredere::Money::new(Decimal::from(owed), later.policy().currency);
        prop_assert_eq!(later.figures(outstanding, &planned).unwrap(), then.figures(outstanding, &planned).unwrap());
    }
}

fn buyer() -> delcredere::BuyerDto {
    serde_json::from_value(json!({"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
        "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The quick block of a context ([`CoverContext::quick`], the engine's prepared cover
    /// check) gives the context's figures, each amount to its scale, for a delivery on every
    /// day of the year and after; a context has one unless its caps change more than
    /// `QUICK_STRETCHES - 1` times (LIM-1, LIM-3, LIM-6, DIS-1, DIS-2, DIS-4).
    #[test]
    fn the_quick_block_answers_as_its_context_lim_1_lim_3_dis_1_dis_4(
        steps in prop::collection::vec((0u8..7, 0u8..30, 0u32..90_000, 0u8..40), 1..16),
        purchases in prop::collection::vec((0u16..560, 0u8..90, prop::option::of(0u8..160)), 0..5),
        report in prop::option::of((0u16..560, 1000u32..30_000)),
        negative in prop::collection::vec(0u16..560, 0..2),
        self_assessment in any::<bool>(),
        owed in 0u32..25_000,
        as_of in 60u64..400,
    ) {
        let as_of = day(as_of);
        let dto = if self_assessment {
            self_assessment_policy()
        } else {
            policy_dto()
        };
        let evidence = self_assessment.then(|| evidence(&purchases, report, None, &negative, as_of));
        // The events up to the as-of date (a context is asked on or after its events).
        let known: Vec<LimitEventDto> = history(&steps)
            .into_iter()
            .filter(|e| serde_json::to_value(e).unwrap()["date"].as_str().unwrap() <= as_of.to_string().as_str())
            .collect();
        let context = CoverContext::new(&dto, buyer(), &known, evidence, as_of).unwrap();
        let Some(quick) = context.quick() else {
            prop_assert!(context.cap_changes_on().len() >= delcredere::cover::QUICK_STRETCHES);
            return Ok(());
        };
        let outstanding = delcredere::Money::new(Decimal::from(owed), context.policy().currency);
        for d in 0..500 {
            for (amount, terms) in [(Decimal::new(1_500_050, 2), 60), (Decimal::from(90), 150)] {
                let planned = PlannedDelivery::from_parts(context.policy(), amount, day(d), terms, false,
                    ReceivableKind::Goods, PaymentSecurity::OpenAccount).unwrap();
                prop_assert_eq!(format!("{:?}", quick.figures(outstanding, &planned)),
                    format!("{:?}", context.figures(outstanding, &planned)), "day {}", d);
            }
        }
    }
}

/// A limit applied for, granted and reduced (the engine's usual buyer) has a quick block, and
/// it gives the limit before and after the reduction's effective day (LIM-1, LIM-3).
#[test]
fn a_granted_and_reduced_limit_has_a_quick_block_lim_1_lim_3() {
    let events = [
        event(0, day(3), 50_000, 0),
        event(1, day(10), 50_000, 0),
        event(3, day(150), 30_000, 30),
    ];
    let context = CoverContext::new(&policy_dto(), buyer(), &events, None, day(364)).unwrap();
    let quick = context.quick().expect("a quick block");
    let outstanding = delcredere::Money::new(Decimal::ZERO, context.policy().currency);
    let covered = |d: u64| {
        let planned = PlannedDelivery::from_parts(
            context.policy(),
            Decimal::from(40_000),
            day(d),
            60,
            false,
            ReceivableKind::Goods,
            PaymentSecurity::OpenAccount,
        )
        .unwrap();
        let figures = quick.figures(outstanding, &planned).unwrap();
        assert_eq!(figures, context.figures(outstanding, &planned).unwrap());
        figures.covered.amount
    };
    assert_eq!(covered(5), Decimal::ZERO);
    assert_eq!(covered(10), Decimal::from(40_000));
    assert_eq!(covered(179), Decimal::from(40_000));
    assert_eq!(covered(180), Decimal::from(30_000));
}
