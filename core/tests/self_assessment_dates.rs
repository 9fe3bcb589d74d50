//! The self-assessment's evidence is judged on the delivery date (DIS-1 a/b/c, DIS-2): each
//! purchase, report, insurer check and piece of negative information counts for the deliveries
//! of the 12 months from its date (a purchase from its payment), whatever the as-of date, in
//! the single op, the account, the engine and the step function the batch reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Days, NaiveDate};
use delcredere::account::{account_state, AccountStateInput};
use delcredere::cover::{check_delivery_cover, CheckDeliveryCoverInput, CoverContext, CoverType};
use delcredere::discretionary::{assess_on, window_end, window_start, SelfAssessedCaps, SelfAssessmentDto};
use delcredere::engine::Engine;
use delcredere::policy::Policy;
use delcredere::{Decision, PolicyDto};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

/// (CH) self-assessment, discretionary limit 20,000.00, maximum extension 60 days.
fn policy_json(window_months: u32, min_purchases: u32, checks: bool) -> Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
        "indemnityPercentage": "90", "maximumLiability": eur("2000000.00"),
        "premium": {"basis": "fixed", "fixedAmount": eur("5000")},
        "selfAssessmentAgreed": true, "discretionaryLimit": eur("20000.00"),
        "selfAssessmentWindowMonths": window_months, "selfAssessmentMinPurchases": min_purchases,
        "creditChecksInsideDiscretionaryLimit": checks})
}

fn policy_dto() -> PolicyDto {
    serde_json::from_value(policy_json(12, 2, false)).unwrap()
}

fn policy_of(window_months: u32, min_purchases: u32, checks: bool) -> Policy {
    let dto: PolicyDto = serde_json::from_value(policy_json(window_months, min_purchases, checks)).unwrap();
    dto.validate().unwrap()
}

fn buyer() -> Value {
    json!({"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH", "registrationNumber": "HRB 12345",
        "country": "DE", "entityKind": "company"})
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn codes(decision: &Decision) -> Vec<&'static str> {
    decision.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn amount(decision: &Decision, key: &str) -> String {
    decision.amounts[key].amount.0.normalize().to_string()
}

fn params(decision: &Decision, code: &str) -> Value {
    let reason = decision.reasons.iter().find(|r| r.code.as_str() == code).unwrap();
    serde_json::to_value(reason).unwrap()["params"].clone()
}

/// Purchases delivered 2025-03-01 (paid 2025-04-20) and 2025-04-01 (paid 2025-05-25), both by
/// their due dates; a report of 2026-05-10 recommending 8,000; negative information learned
/// 2026-07-15.
fn evidence() -> Value {
    json!({
        "purchases": [
            {"deliveryDate": "2025-03-01", "dueDate": "2025-04-30", "paidOn": "2025-04-20"},
            {"deliveryDate": "2025-04-01", "dueDate": "2025-05-31", "paidOn": "2025-05-25"}],
        "report": {"date": "2026-05-10", "recommendedMaximumCredit": eur("8000")},
        "negativeInformation": [{"date": "2026-07-15", "note": "a supplier reports unpaid invoices"}]})
}

/// The cap over the year, worked out by hand (window 12 months, two purchases needed):
/// - to 2025-05-24: one purchase paid at most, 0;
/// - 2025-05-25 (second payment) to 2026-03-01: two purchases, the discretionary limit 20,000
///   (the window of 2026-03-01 starts 2025-03-01, the first purchase's day);
/// - 2026-03-02 to 2026-05-09: the first purchase left the window, one of two, 0;
/// - 2026-05-10 to 2026-07-14: the report, 8,000;
/// - from 2026-07-15: negative information within the window, 0 (up to 2027-07-15; the report
///   leaves on 2027-05-11, the second purchase on 2026-04-02, so 0 after it too).
#[test]
fn the_self_assessed_cap_is_a_step_function_of_the_delivery_date_dis_1_dis_2() {
    let sa: SelfAssessmentDto = serde_json::from_value(evidence()).unwrap();
    let context = CoverContext::new(
        &policy_dto(),
        serde_json::from_value(buyer()).unwrap(),
        &[],
        Some(sa),
        d("2026-10-01"),
    )
    .unwrap();
    let cases = [
        ("2025-05-24", CoverType::None, "0"),
        ("2025-05-25", CoverType::SelfAssessed, "20000"),
        ("2026-03-01", CoverType::SelfAssessed, "20000"),
        ("2026-03-02", CoverType::None, "0"),
        ("2026-05-09", CoverType::None, "0"),
        ("2026-05-10", CoverType::SelfAssessed, "8000"),
        ("2026-07-14", CoverType::SelfAssessed, "8000"),
        ("2026-07-15", CoverType::None, "0"),
        ("2027-07-16", CoverType::None, "0"),
    ];
    for (date, cover_type, cap) in cases {
        let on = context.cap_on(d(date));
        assert_eq!((on.cover_type, on.cap.normalize()), (cover_type, dec(cap)), "{date}");
    }
    assert_eq!(
        context.cap_changes_on(),
        [d("2025-05-25"), d("2026-03-02"), d("2026-05-10"), d("2026-07-15")]
    );
}

fn cover(evidence: Value, outstanding: &str, delivery: &str, date: &str, as_of: &str) -> Decision {
    let input: CheckDeliveryCoverInput = serde_json::from_value(json!({
        "policy": policy_json(12, 2, false), "buyer": buyer(), "outstanding": eur(outstanding),
        "delivery": {"amount": eur(delivery), "date": date, "paymentTermsDays": 60},
        "selfAssessment": evidence, "asOf": as_of}))
    .unwrap();
    check_delivery_cover(&input).unwrap()
}

/// The explained decision quotes the window of the delivery date and the evidence that counts
/// on it, and its amounts agree with the step function (DIS-1, DIS-3).
#[test]
fn the_explained_decision_quotes_the_figures_of_the_delivery_date_dis_1_dis_3() {
    // 2026-02-15, owing 5,000: the two purchases (window from 2025-02-15); need 15,000, cap
    // 20,000: the delivery of 10,000 is covered in full.
    let before = cover(evidence(), "5000", "10000", "2026-02-15", "2026-10-01");
    assert_eq!(
        codes(&before),
        ["no_limit_in_force", "paid_on_time_twice", "self_assessed_cover"]
    );
    assert_eq!(
        params(&before, "paid_on_time_twice"),
        json!({"count": 2, "since": "2025-02-15"})
    );
    assert_eq!(params(&before, "self_assessed_cover")["covered"], "15000.00");
    assert_eq!(amount(&before, "coveredAmount"), "10000");
    // 2026-04-01: one purchase left (window from 2025-04-01) and the report of 2026-05-10 not
    // yet written.
    let between = cover(evidence(), "0", "10000", "2026-04-01", "2026-10-01");
    assert_eq!(
        codes(&between),
        [
            "no_limit_in_force",
            "too_few_paid_purchases",
            "report_after_delivery",
            "no_self_assessment_evidence"
        ]
    );
    assert_eq!(
        params(&between, "too_few_paid_purchases"),
        json!({"count": 1, "needed": 2, "since": "2025-04-01"})
    );
    assert_eq!(
        params(&between, "report_after_delivery"),
        json!({"reportDate": "2026-05-10", "date": "2026-04-01"})
    );
    assert_eq!(amount(&between, "coveredAmount"), "0");
    // 2026-06-01, owing 3,000, delivering 10,000: the report's 8,000 caps the need of 13,000;
    // 5,000 of the delivery is covered.
    let report = cover(evidence(), "3000", "10000", "2026-06-01", "2026-10-01");
    assert_eq!(
        codes(&report),
        [
            "no_limit_in_force",
            "report_justifies_amount",
            "capped_at_discretionary_limit",
            "self_assessed_cover"
        ]
    );
    assert_eq!(
        params(&report, "capped_at_discretionary_limit"),
        json!({"cap": "8000.00", "needed": "13000.00", "currency": "EUR"})
    );
    assert_eq!(
        (amount(&report, "coveredAmount"), amount(&report, "uncoveredAmount")),
        ("5000".into(), "5000".into())
    );
    // 2026-08-01: the negative information of 2026-07-15.
    let after = cover(evidence(), "0", "10000", "2026-08-01", "2026-10-01");
    assert_eq!(codes(&after), ["no_limit_in_force", "negative_information"]);
    assert_eq!(params(&after, "negative_information"), json!({"date": "2026-07-15"}));
}

fn account(events: Value, as_of: &str) -> Decision {
    let input: AccountStateInput = serde_json::from_value(json!({
        "policy": policy_json(12, 2, false), "buyer": buyer(), "asOf": as_of, "events": events}))
    .unwrap();
    account_state(&input).unwrap()
}

/// The account covers each invoice as it was covered on its delivery date (DIS-1, DIS-2): an
/// invoice made while two purchases were within the 12 months before it stays covered after
/// they left the window; negative information learned after an invoice does not uncover it.
#[test]
fn the_account_judges_each_invoice_on_its_own_delivery_date_dis_1_dis_2() {
    // Purchases of 2025-03-01 and 2025-04-01: 2026-02-15 (10,000) is within 12 months of both,
    // 2026-03-10 (5,000) only of the second. On 2026-05-15 neither counts any more for new
    // deliveries; the first invoice keeps its cover.
    let expired = account(
        json!([
            {"type": "selfAssessmentRecorded", "id": "s1", "date": "2026-01-05", "evidence": {"purchases": [
                {"deliveryDate": "2025-03-01", "dueDate": "2025-04-30", "paidOn": "2025-04-20"},
                {"deliveryDate": "2025-04-01", "dueDate": "2025-05-31", "paidOn": "2025-05-25"}]}},
            {"type": "invoiceIssued", "id": "i1", "date": "2026-02-15", "reference": "R-1", "amount": eur("10000"), "paymentTermsDays": 60},
            {"type": "invoiceIssued", "id": "i2", "date": "2026-03-10", "reference": "R-2", "amount": eur("5000"), "paymentTermsDays": 60}]),
        "2026-05-15",
    );
    assert_eq!(
        (
            amount(&expired, "outstanding"),
            amount(&expired, "coveredExposure"),
            amount(&expired, "uncoveredExposure")
        ),
        ("15000".into(), "10000".into(), "5000".into())
    );
    // Purchases paid 2026-01-09 and 2026-02-08; negative information of 2026-04-20 recorded
    // with them that day: R-1 of 2026-03-01 (10,000) stays covered, R-2 of 2026-05-01 (5,000)
    // is not.
    let purchases = json!([
        {"deliveryDate": "2025-11-10", "dueDate": "2026-01-09", "paidOn": "2026-01-09"},
        {"deliveryDate": "2025-12-10", "dueDate": "2026-02-08", "paidOn": "2026-02-08"}]);
    let events = json!([
        {"type": "selfAssessmentRecorded", "id": "s1", "date": "2026-02-10", "evidence": {"purchases": purchases}},
        {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "R-1", "amount": eur("10000"), "paymentTermsDays": 60},
        {"type": "selfAssessmentRecorded", "id": "s2", "date": "2026-04-20", "evidence": {"purchases": purchases,
            "negativeInformation": [{"date": "2026-04-20"}]}},
        {"type": "invoiceIssued", "id": "i2", "date": "2026-05-01", "reference": "R-2", "amount": eur("5000"), "paymentTermsDays": 60}]);
    let later = account(events.clone(), "2026-05-15");
    assert_eq!(
        (amount(&later, "coveredExposure"), amount(&later, "uncoveredExposure")),
        ("10000".into(), "5000".into())
    );
    // The engine, fed the same events up to the negative information, answers for a delivery
    // like R-1 on its date, asked on 2026-05-15 (owing R-1's 10,000 then: need 20,000, the
    // discretionary limit), as the single op does.
    let mut engine = Engine::new(&policy_dto()).unwrap();
    let id = engine
        .add_buyer("mueller", serde_json::from_value(buyer()).unwrap())
        .unwrap();
    for event in events.as_array().unwrap().iter().take(3) {
        engine
            .apply(id, serde_json::from_value(event.clone()).unwrap())
            .unwrap();
    }
    let r1 =
        serde_json::from_value(json!({"amount": eur("10000"), "date": "2026-03-01", "paymentTermsDays": 60})).unwrap();
    let from_engine = engine.check_cover(id, &r1, d("2026-05-15")).unwrap();
    assert_eq!(amount(&from_engine, "coveredAmount"), "10000");
    assert_eq!(
        codes(&from_engine),
        ["no_limit_in_force", "paid_on_time_twice", "self_assessed_cover"]
    );
    let single = cover(
        json!({"purchases": purchases, "negativeInformation": [{"date": "2026-04-20"}]}),
        "10000",
        "10000",
        "2026-03-01",
        "2026-05-15",
    );
    assert_eq!(from_engine.reasons, single.reasons);
}

/// The window's edges, day by day over three years with two 28 Februaries and a 29 February,
/// for windows of 1, 12 and 36 months: evidence dated `x` counts for a delivery on `day` when
/// `window_start(day) <= x <= day`, exactly the days from `x` up to the day before
/// `window_end(x)` (DIS-1, DIS-2).
#[test]
fn window_end_is_the_first_day_whose_window_starts_after_the_evidence_dis_1_dis_2() {
    let p12 = policy_of(12, 2, false);
    assert_eq!(window_start(&p12, d("2028-02-29")), d("2027-02-28"));
    assert_eq!(window_start(&p12, d("2029-02-28")), d("2028-02-28"));
    assert_eq!(window_end(&p12, d("2028-02-29")), Some(d("2029-03-01")));
    assert_eq!(window_end(&p12, d("2027-02-28")), Some(d("2028-03-01")));
    assert_eq!(window_end(&p12, d("2026-03-01")), Some(d("2027-03-02")));
    let p1 = policy_of(1, 2, false);
    assert_eq!(window_end(&p1, d("2026-04-30")), Some(d("2026-06-01")));
    assert_eq!(window_end(&p1, d("2028-01-30")), Some(d("2028-03-01")));
    for months in [1, 12, 36] {
        let policy = policy_of(months, 2, false);
        let mut x = d("2027-01-01");
        while x <= d("2029-12-31") {
            let end = window_end(&policy, x).unwrap();
            assert!(window_start(&policy, end) > x, "{months} {x}");
            assert!(window_start(&policy, end.pred_opt().unwrap()) <= x, "{months} {x}");
            x = x.succ_opt().unwrap();
        }
    }
}

/// Evidence of up to six purchases, a report, an insurer check and two pieces of negative
/// information, dated around the 29 February 2028, none after `as_of`.
fn random_evidence(
    purchases: &[(u16, u8, Option<u8>)],
    report: Option<(u16, Option<u32>, bool)>,
    check: Option<(u16, u32)>,
    negative: &[u16],
) -> SelfAssessmentDto {
    let day = |n: u16| (d("2027-01-01") + Days::new(u64::from(n))).to_string();
    let later = |n: u16, by: u8| (d("2027-01-01") + Days::new(u64::from(n) + u64::from(by))).to_string();
    serde_json::from_value(json!({
        "purchases": purchases.iter().map(|&(at, terms, paid)| {
            let mut p = json!({"deliveryDate": day(at), "dueDate": later(at, terms)});
            if let Some(paid) = paid {
                p["paidOn"] = json!(later(at, paid));
            }
            p
        }).collect::<Vec<_>>(),
        "report": report.map(|(at, figure, contradictory)| {
            let mut r = json!({"date": day(at), "contradictory": contradictory});
            if let Some(f) = figure {
                r["recommendedMaximumCredit"] = eur(&f.to_string());
            }
            r
        }),
        "insurerCreditCheck": check.map(|(at, approved)| json!({"date": day(at), "approvedAmount": eur(&approved.to_string())})),
        "negativeInformation": negative.iter().map(|&n| json!({"date": day(n)})).collect::<Vec<_>>(),
    }))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The step function the batch, the account and the engine read gives, on every day, the
    /// cover [`assess_on`] gives for a need as large as the discretionary limit (DIS-1..3).
    #[test]
    fn the_caps_equal_the_assessment_on_every_delivery_date_dis_1_dis_2_dis_3(
        months in prop::sample::select(vec![1u32, 12, 13]),
        min_purchases in 1u32..4,
        checks in any::<bool>(),
        purchases in prop::collection::vec((0u16..700, 0u8..90, prop::option::of(0u8..200)), 0..6),
        report in prop::option::of((0u16..700, prop::option::of(1000u32..30_000), any::<bool>())),
        check in prop::option::of((0u16..700, 1000u32..30_000)),
        negative in prop::collection::vec(0u16..700, 0..2),
    ) {
        let policy = policy_of(months, min_purchases, checks);
        let evidence = random_evidence(&purchases, report, check, &negative);
        let as_of = d("2029-01-01");
        let caps = SelfAssessedCaps::new(&policy, &evidence, as_of).unwrap();
        let dl = policy.discretionary_limit.unwrap();
        let mut date = d("2026-12-01");
        while date <= d("2030-06-30") {
            let assessed = assess_on(&policy, &evidence, dl, None, date, as_of).unwrap();
            prop_assert_eq!(caps.on(date), assessed.covered.amount, "{}", date);
            date = date + Days::new(3);
        }
        for change in caps.changes() {
            for day in [change.pred_opt().unwrap(), change] {
                let assessed = assess_on(&policy, &evidence, dl, None, day, as_of).unwrap();
                prop_assert_eq!(caps.on(day), assessed.covered.amount, "{}", day);
            }
        }
    }
}
