//! The claim invariants of CLM-5 and CLM-6 under proptest, 10,000 cases each: the indemnity is
//! never above limit × indemnity percentage nor above the remaining maximum liability, never
//! negative, its breakdown lines sum to it exactly; a recovery's insurer and insured shares sum
//! to the recovery, and pro rata shares follow the running total of recoveries without drift.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::claim::recovery::{share, SharedSoFar};
use delcredere::decision::Details;
use delcredere::ffi::{call, Input, Output};
use delcredere::policy::RecoverySharing;
use delcredere::{Currency, Decision, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

#[derive(Debug, Clone)]
struct Case {
    limit: i64,
    percentage: i64, // hundredths of a percent, 1..=10000
    max_liability: i64,
    prior: i64,
    deductible: i64,
    vat_insured: bool,
    receivables: Vec<(i64, i64, u32)>, // amount cents, VAT per mille of amount, delivery day in 2026 (1..=200)
    paid_per_mille: i64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        1i64..100_000_000,
        1i64..=10_000,
        1i64..200_000_000,
        0i64..100_000_000,
        0i64..1_000_000,
        any::<bool>(),
        prop::collection::vec((1i64..50_000_000, 0i64..=250, 1u32..=200), 1..5),
        0i64..=1000,
    )
        .prop_map(
            |(limit, percentage, max_liability, prior, deductible, vat_insured, receivables, paid_per_mille)| Case {
                limit,
                percentage,
                max_liability,
                prior,
                deductible,
                vat_insured,
                receivables,
                paid_per_mille,
            },
        )
}

fn run(c: &Case) -> Decision {
    let total: i64 = c.receivables.iter().map(|r| r.0).sum();
    let paid = total * c.paid_per_mille / 1000;
    let day = |d: u32| {
        chrono::NaiveDate::from_yo_opt(2026, d)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    let receivables: Vec<_> = c
        .receivables
        .iter()
        .enumerate()
        .map(|(i, (a, vat, d))| {
            json!({"reference": format!("R{i}"), "amount": {"amount": cents(*a), "currency": "EUR"},
                   "vatAmount": {"amount": cents(a * vat / 1000), "currency": "EUR"}, "deliveryDate": day(*d)})
        })
        .collect();
    let payments = if paid > 0 {
        json!([{"date": "2026-08-01", "amount": {"amount": cents(paid), "currency": "EUR"}}])
    } else {
        json!([])
    };
    let input = json!({
        "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
            "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
            "indemnityPercentage": Decimal::new(c.percentage, 2).to_string(),
            "maximumLiability": {"amount": cents(c.max_liability), "currency": "EUR"},
            "deductible": {"amount": cents(c.deductible), "currency": "EUR"}, "vatInsured": c.vat_insured,
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
        "limitEvents": [
            {"type": "applied", "date": "2026-01-20", "requestedAmount": {"amount": cents(c.limit), "currency": "EUR"}, "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-02-01", "amount": {"amount": cents(c.limit), "currency": "EUR"}}],
        "receivables": receivables,
        "payments": payments,
        "priorIndemnities": [{"paidOn": "2026-03-01", "amount": {"amount": cents(c.prior), "currency": "EUR"}}],
        "insuredEventDate": "2026-08-31", "asOf": "2026-09-10"
    });
    match call("indemnity", Input::Value(input)) {
        Ok(Output::Decision(d)) => d,
        other => panic!("{other:?}"),
    }
}

fn indemnity(d: &Decision) -> Decimal {
    d.amounts["indemnity"].amount.0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn indemnity_never_exceeds_limit_times_indemnity_percentage_clm_5(c in case()) {
        let cap = Money::new(Decimal::new(c.limit, 2) * Decimal::new(c.percentage, 2) / Decimal::ONE_HUNDRED,
            Currency::parse("c", "EUR").unwrap()).rounded().amount;
        prop_assert!(indemnity(&run(&c)) <= cap);
    }

    #[test]
    fn indemnity_never_exceeds_remaining_maximum_liability_clm_5(c in case()) {
        let remaining = (Decimal::new(c.max_liability, 2) - Decimal::new(c.prior, 2)).max(Decimal::ZERO);
        let d = run(&c);
        prop_assert!(indemnity(&d) <= remaining);
        prop_assert_eq!(d.amounts["remainingMaximumLiability"].amount.0, remaining);
    }

    #[test]
    fn indemnity_is_never_negative_clm_5(c in case()) {
        prop_assert!(indemnity(&run(&c)) >= Decimal::ZERO);
    }

    #[test]
    fn indemnity_breakdown_lines_sum_to_the_result_exactly_clm_5(c in case()) {
        let d = run(&c);
        let Some(Details::Indemnity { lines }) = &d.details else { panic!("no breakdown") };
        let sum: Decimal = lines.iter().map(|l| l.amount.amount.0).sum();
        prop_assert_eq!(sum, indemnity(&d));
        prop_assert_eq!(lines.last().unwrap().subtotal.amount.0, indemnity(&d));
    }

    #[test]
    fn insurer_and_insured_shares_sum_to_the_recovery_clm_6(
        recovery in 1i64..1_000_000_000_000, whole in 1i64..1_000_000_000_000, pct in 1i64..=10_000,
        recovered_per_mille in 0i64..=1000, so_far_per_mille in 0i64..=1000, insurer_first in any::<bool>(),
        scale in 0u32..4,
    ) {
        let eur = Currency::parse("c", "EUR").unwrap();
        let indemnity = Decimal::new(whole, 2) * Decimal::new(pct, 2) / Decimal::ONE_HUNDRED;
        let so_far = SharedSoFar {
            recovered: (Decimal::new(whole, 2) * Decimal::new(recovered_per_mille, 3)).round_dp(2),
            insurer: (Money::new(indemnity, eur).rounded().amount * Decimal::new(so_far_per_mille, 3)).round_dp(2),
        };
        let rule = if insurer_first { RecoverySharing::InsurerFirst } else { RecoverySharing::ProRata };
        let received = Money::new(Decimal::new(recovery, 2 + scale), eur);
        let (insurer, insured) = share(rule, received, Money::new(indemnity, eur), Money::new(Decimal::new(whole, 2), eur), so_far);
        prop_assert_eq!(insurer.amount + insured.amount, received.rounded().amount);
        prop_assert!(insurer.amount >= Decimal::ZERO && insured.amount >= Decimal::ZERO);
        prop_assert!(so_far.insurer + insurer.amount <= Money::new(indemnity, eur).rounded().amount.max(so_far.insurer));
    }

    /// Pro rata to the shares of the whole loss, over any run of recoveries up to the whole
    /// loss: after each one the insurer holds exactly the rounded pro rata of the total
    /// recovered (no drift), and once the whole loss is recovered exactly its indemnity, the
    /// insured exactly the rest.
    #[test]
    fn pro_rata_shares_follow_the_running_total_without_drift_clm_6(
        whole in 1i64..1_000_000_000_000, pct in 1i64..=10_000, cuts in prop::collection::vec(1i64..=1000, 1..12),
    ) {
        let eur = Currency::parse("c", "EUR").unwrap();
        let w = Decimal::new(whole, 2);
        let indemnity = (w * Decimal::new(pct, 2) / Decimal::ONE_HUNDRED).round_dp(2);
        // The whole loss cut into recoveries of whole cents, in the proportions of `cuts`.
        let weight: i64 = cuts.iter().sum();
        let mut parts: Vec<i64> = cuts.iter().map(|c| (i128::from(whole) * i128::from(*c) / i128::from(weight)) as i64).collect();
        let given: i64 = parts.iter().sum();
        *parts.last_mut().unwrap() += whole - given;
        let mut so_far = SharedSoFar::default();
        let mut insured_total = Decimal::ZERO;
        for part in parts.iter().filter(|p| **p > 0) {
            let r = Money::new(Decimal::new(*part, 2), eur);
            let (a, b) = share(RecoverySharing::ProRata, r, Money::new(indemnity, eur), Money::new(w, eur), so_far);
            so_far.recovered += r.amount;
            so_far.insurer += a.amount;
            insured_total += b.amount;
            let pro_rata = Money::new(so_far.recovered * indemnity / w, eur).rounded().amount;
            prop_assert_eq!(so_far.insurer, pro_rata);
        }
        prop_assert_eq!(so_far.recovered, w);
        prop_assert_eq!(so_far.insurer, indemnity);
        prop_assert_eq!(insured_total, w - indemnity);
    }
}
