//! Invariants under proptest (10,000 cases each): serde round trips, money arithmetic,
//! determinism, order independence, monotone deadlines, no panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::ffi::{call_json, parse, Input};
use delcredere::money::parse_decimal;
use delcredere::{Currency, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;

const POLICY: &str = r#"{"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE", "FR"],
  "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
  "maximumLiability": {"amount": "1000000", "currency": "EUR"},
  "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}"#;

fn eur(cents: i64) -> Money {
    Money::new(Decimal::new(cents, 2), Currency::parse("c", "EUR").unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn money_addition_and_subtraction_never_lose_a_cent(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000) {
        let sum = eur(a).checked_add(&eur(b), "t").unwrap();
        prop_assert_eq!(sum.amount, Decimal::new(a + b, 2));
        prop_assert_eq!(sum.checked_sub(&eur(b), "t").unwrap().amount, Decimal::new(a, 2));
    }

    #[test]
    fn rounding_is_idempotent_and_within_half_a_cent(units in -1_000_000_000i64..1_000_000_000, scale in 0u32..8) {
        let m = Money::new(Decimal::new(units, scale), Currency::parse("c", "EUR").unwrap());
        let r = m.rounded();
        prop_assert_eq!(r.rounded(), r);
        prop_assert!((r.amount - m.amount).abs() <= Decimal::new(5, 3));
    }

    #[test]
    fn decimal_strings_round_trip(units in any::<i64>(), scale in 0u32..10) {
        let d = Decimal::new(units, scale);
        prop_assert_eq!(parse_decimal("a", &d.to_string()).unwrap(), d);
    }

    #[test]
    fn insurability_is_deterministic_and_round_trips(days in 0u32..4000, kind in 0usize..4, country in "[A-Z]{2}", majority in any::<bool>()) {
        let kinds = ["company", "branch", "publicBody", "privateIndividual"];
        let input = format!(r#"{{"policy": {POLICY}, "buyer": {{"legalName": "Acme SA", "country": "{country}", "entityKind": "{}", "insuredHoldsMajority": {majority}}}, "receivable": {{"kind": "goods", "paymentTermsDays": {days}}}}}"#, kinds[kind]);
        let first = call_json("check_insurability", &input);
        let second = call_json("check_insurability", &input);
        prop_assert_eq!(&first, &second);
        if let Ok(out) = first {
            // The output decision parses back and serializes to the same bytes.
            let decision: delcredere::Decision = parse(Input::Json(&out)).unwrap();
            prop_assert_eq!(serde_json::to_string(&decision).unwrap(), out);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(op in prop::sample::select(vec!["validate_policy", "check_insurability", "explain"]), text in ".{0,200}") {
        let _ = call_json(op, &text);
    }

    #[test]
    fn deadlines_are_monotone_in_their_inputs(start in 0i64..20_000, later in 0i64..400, days in 0u32..3650, more in 0u32..400, eom in any::<bool>(), include in any::<bool>(), days_first in any::<bool>()) {
        use delcredere::calendar::{days_after, DayCount, EndOfMonthConvention, PaymentTerms};
        let base = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let a = base + chrono::Days::new(start as u64);
        let b = a + chrono::Days::new(later as u64);
        let count = if include { DayCount::IncludeStartDay } else { DayCount::ExcludeStartDay };
        prop_assert!(days_after(a, days, count, "f").unwrap() <= days_after(b, days, count, "f").unwrap());
        prop_assert!(days_after(a, days, count, "f").unwrap() <= days_after(a, days + more, count, "f").unwrap());
        let convention = if days_first { EndOfMonthConvention::DaysThenMonthEnd } else { EndOfMonthConvention::MonthEndThenDays };
        let terms = PaymentTerms::new(days, eom, convention);
        prop_assert!(terms.due_date(a, count).unwrap() <= terms.due_date(b, count).unwrap());
        prop_assert!(terms.due_date(a, count).unwrap() >= a);
    }

    /// "N days end of month" under either convention falls between the net due date and 30
    /// days after it; `credit_days` is the distance from the invoice date to it (start day
    /// not counted) and never more than the longest case taken without a date; under
    /// `daysThenMonthEnd` it is the last day of a month.
    #[test]
    fn end_of_month_due_dates_stay_within_a_month_of_the_net_one(start in 0i64..40_000, days in 0u32..3650, include in any::<bool>(), days_first in any::<bool>()) {
        use chrono::Datelike;
        use delcredere::calendar::{DayCount, EndOfMonthConvention, PaymentTerms};
        let d = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(start as u64);
        let count = if include { DayCount::IncludeStartDay } else { DayCount::ExcludeStartDay };
        let convention = if days_first { EndOfMonthConvention::DaysThenMonthEnd } else { EndOfMonthConvention::MonthEndThenDays };
        let net = PaymentTerms::net(days).due_date(d, count).unwrap();
        let terms = PaymentTerms::new(days, true, convention);
        let due = terms.due_date(d, count).unwrap();
        prop_assert!(net <= due && due <= net + chrono::Days::new(30), "{d} {days} {due}");
        let exact = terms.credit_days(Some(d));
        prop_assert_eq!(exact, (terms.due_date(d, DayCount::ExcludeStartDay).unwrap() - d).num_days());
        prop_assert!(exact <= terms.credit_days(None));
        if days_first {
            prop_assert_eq!(due.succ_opt().unwrap().day(), 1);
        }
    }

    #[test]
    fn insurability_does_not_depend_on_the_order_of_agreed_countries(
        countries in prop::sample::subsequence(vec!["DE", "FR", "NL", "DK", "BE", "AT"], 1..6),
        buyer_country in prop::sample::select(vec!["DE", "FR", "NL", "US"]),
        seed in any::<u64>(),
    ) {
        let mut shuffled = countries.clone();
        let n = shuffled.len();
        for i in (1..n).rev() {
            shuffled.swap(i, (seed as usize).wrapping_mul(31).wrapping_add(i) % (i + 1));
        }
        let ask = |list: &Vec<&str>| {
            let policy = POLICY.replace(r#"["DE", "FR"]"#, &serde_json::to_string(list).unwrap());
            call_json("check_insurability", &format!(r#"{{"policy": {policy}, "buyer": {{"legalName": "Acme SA", "legalForm": "SA", "registrationNumber": "1", "country": "{buyer_country}", "entityKind": "company"}}, "receivable": {{"kind": "goods", "paymentTermsDays": 30}}}}"#))
        };
        prop_assert_eq!(ask(&countries), ask(&shuffled));
    }

    #[test]
    fn peak_outstanding_does_not_depend_on_the_order_of_same_day_deliveries(amounts in prop::collection::vec(1i64..1_000_000, 1..12), terms in prop::collection::vec(0u32..120, 12), rotate in 0usize..12) {
        let deliveries: Vec<String> = amounts.iter().zip(&terms).map(|(a, t)| format!(r#"{{"amount": {{"amount": "{}", "currency": "EUR"}}, "deliveryDate": "2026-03-01", "paymentTermsDays": {t}}}"#, Decimal::new(*a, 2))).collect();
        let mut rotated = deliveries.clone();
        let k = rotate % rotated.len();
        rotated.rotate_left(k);
        let ask = |list: &Vec<String>| call_json("peak_outstanding", &format!(r#"{{"deliveries": [{}]}}"#, list.join(",")));
        prop_assert_eq!(ask(&deliveries), ask(&rotated));
        // All delivered the same day: the peak is the end of that day, without those on 0-day terms.
        let total: i64 = amounts.iter().zip(&terms).filter(|(_, t)| **t > 0).map(|(a, _)| *a).sum();
        let out: serde_json::Value = serde_json::from_str(&ask(&deliveries).unwrap()).unwrap();
        prop_assert_eq!(out["amounts"]["peakOutstanding"]["amount"].as_str().unwrap(), Decimal::new(total, 2).round_dp(2).to_string());
    }
}
