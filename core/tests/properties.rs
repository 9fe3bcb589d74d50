//! Invariants under proptest: serde round trips, money arithmetic, determinism, no panics.

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
    #![proptest_config(ProptestConfig::with_cases(2000))]

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
}
