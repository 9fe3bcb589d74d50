//! Cover for small buyers as policy terms: conditional self-assessment (CH, DIS-1..6) with its
//! window and purchases as terms, automatic cover up to a preset amount (BE, DIS-7), or
//! neither (DK: every buyer needs a named limit); and public buyers the policy expressly
//! covers (PRM-4, BUY-3), through the typed Rust API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::account::{account_state, AccountStateInput};
use delcredere::cover::{check_delivery_cover, CheckDeliveryCoverInput};
use delcredere::discretionary::{assess_discretionary, AssessDiscretionaryInput};
use delcredere::{check_insurability, Decision, Language, Outcome, PolicyDto, ReasonCode};
use serde_json::{json, Value};

fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

fn neutral() -> Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE", "FR", "NL", "DK", "BE"], "maxCreditPeriodDays": 120,
        "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": eur("2000000.00"),
        "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": eur("20000000")},
        "declarationDeadlineDays": 30})
}

fn with(mut policy: Value, terms: Value) -> Value {
    for (k, v) in terms.as_object().unwrap() {
        policy[k] = v.clone();
    }
    policy
}

/// (CH) self-assessment with a discretionary limit of 20,000.00.
fn ch() -> Value {
    with(
        neutral(),
        json!({"selfAssessmentAgreed": true, "discretionaryLimit": eur("20000")}),
    )
}

/// (BE) automatic cover of 20,000.00 per buyer.
fn be() -> Value {
    with(neutral(), json!({"automaticCover": eur("20000")}))
}

fn buyer() -> Value {
    json!({"legalName": "Janssens Bouw NV", "legalForm": "NV", "registrationNumber": "0403.170.701",
        "country": "BE", "entityKind": "company"})
}

fn codes(d: &Decision) -> Vec<&'static str> {
    d.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn amount(d: &Decision, key: &str) -> String {
    d.amounts[key].amount.0.normalize().to_string()
}

fn cover(policy: Value, outstanding: &str, delivery: &str, date: &str, events: Value) -> Decision {
    let input: CheckDeliveryCoverInput = serde_json::from_value(json!({
        "policy": policy, "buyer": buyer(), "outstanding": eur(outstanding),
        "delivery": {"amount": eur(delivery), "date": date, "paymentTermsDays": 60},
        "limitEvents": events, "asOf": "2026-09-01"}))
    .unwrap();
    check_delivery_cover(&input).unwrap()
}

fn assess(policy: Value, evidence: Value, events: Value, as_of: &str) -> Decision {
    let input: AssessDiscretionaryInput = serde_json::from_value(json!({
        "policy": policy, "neededAmount": eur("15000"), "evidence": evidence,
        "limitEvents": events, "asOf": as_of}))
    .unwrap();
    assess_discretionary(&input).unwrap()
}

fn problems(policy: Value) -> Vec<(String, String)> {
    let dto: PolicyDto = serde_json::from_value(policy).unwrap();
    match dto.validate() {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| (p.code.clone(), p.field.clone())).collect(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Purchases delivered on the first of each month listed (2026), each paid on its due date
/// 30 days later.
fn purchases(months: &[u32]) -> Value {
    let list: Vec<Value> = months
        .iter()
        .map(|m| {
            let delivered = chrono::NaiveDate::from_ymd_opt(2026, *m, 1).unwrap();
            let due = delivered + chrono::Days::new(30);
            json!({"deliveryDate": delivered.to_string(), "dueDate": due.to_string(), "paidOn": due.to_string()})
        })
        .collect();
    json!({ "purchases": list })
}

#[test]
fn the_window_term_decides_which_purchases_count_dis_1() {
    // Asked on 1 September 2026: purchases of February and June.
    let evidence = purchases(&[2, 6]);
    for (months, covered) in [(12, true), (7, true), (6, false), (3, false)] {
        let policy = with(ch(), json!({ "selfAssessmentWindowMonths": months }));
        let d = assess(policy, evidence.clone(), json!([]), "2026-09-01");
        let expected = if covered { Outcome::Covered } else { Outcome::NotCovered };
        assert_eq!(d.outcome, expected, "{months} months: {:?}", codes(&d));
        let since = &d.reasons[0].params["since"].to_string();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
            .unwrap()
            .checked_sub_months(chrono::Months::new(months))
            .unwrap();
        assert_eq!(since, &start.to_string(), "{months} months");
    }
}

#[test]
fn the_purchases_term_sets_how_many_are_needed_dis_1() {
    let evidence = purchases(&[3, 5, 7]);
    for (needed, outcome) in [(1, Outcome::Covered), (3, Outcome::Covered), (4, Outcome::NotCovered)] {
        let policy = with(ch(), json!({ "selfAssessmentMinPurchases": needed }));
        let d = assess(policy, evidence.clone(), json!([]), "2026-09-01");
        assert_eq!(d.outcome, outcome, "{needed}");
        if outcome == Outcome::NotCovered {
            assert_eq!(codes(&d), ["too_few_paid_purchases", "no_self_assessment_evidence"]);
            assert_eq!(d.reasons[0].params["needed"].to_string(), "4");
            let en = d.explain(Language::En).unwrap();
            assert!(
                en.messages[0].text.ends_with("; 4 are needed."),
                "{}",
                en.messages[0].text
            );
        }
    }
}

#[test]
fn the_window_term_sets_the_bar_after_a_refusal_and_the_negative_information_window_dis_2_dis_4() {
    let refused = json!([
        {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "refused", "date": "2026-02-10"}]);
    let evidence = purchases(&[6, 7]);
    let six = with(ch(), json!({"selfAssessmentWindowMonths": 6}));
    // Barred until 10 August with six months, until 10 February 2027 with twelve.
    let d = assess(six.clone(), evidence.clone(), refused.clone(), "2026-08-09");
    assert_eq!(codes(&d), ["barred_after_refusal_or_withdrawal"]);
    assert_eq!(d.reasons[0].params["until"].to_string(), "2026-08-10");
    assert_eq!(
        assess(six.clone(), evidence.clone(), refused.clone(), "2026-08-10").outcome,
        Outcome::Covered
    );
    let d = assess(ch(), evidence.clone(), refused, "2026-08-10");
    assert_eq!(d.reasons[0].params["until"].to_string(), "2027-02-10");
    // Negative information of 31 January is inside twelve months of 1 September, not six.
    let mut with_info = evidence;
    with_info["negativeInformation"] = json!([{"date": "2026-01-31"}]);
    assert_eq!(
        assess(ch(), with_info.clone(), json!([]), "2026-09-01").outcome,
        Outcome::NotCovered
    );
    assert_eq!(
        assess(six, with_info, json!([]), "2026-09-01").outcome,
        Outcome::Covered
    );
}

#[test]
fn the_same_delivery_under_ch_be_and_dk_policies_dis_1_dis_7_lim_1() {
    // 15,000.00 delivered to a buyer owing 8,000.00, without a named limit.
    let evidence = json!({"purchases": [
        {"deliveryDate": "2026-04-01", "dueDate": "2026-05-01", "paidOn": "2026-05-01"},
        {"deliveryDate": "2026-06-01", "dueDate": "2026-07-01", "paidOn": "2026-07-01"}]});
    let mut ch_input = json!({"policy": ch(), "buyer": buyer(), "outstanding": eur("8000"),
        "delivery": {"amount": eur("15000"), "date": "2026-09-01", "paymentTermsDays": 60},
        "selfAssessment": evidence, "asOf": "2026-09-01"});
    let ch_d = check_delivery_cover(&serde_json::from_value(ch_input.clone()).unwrap()).unwrap();
    ch_input["policy"] = be();
    let be_d = check_delivery_cover(&serde_json::from_value(ch_input.clone()).unwrap()).unwrap();
    ch_input["policy"] = neutral();
    let dk_d = check_delivery_cover(&serde_json::from_value(ch_input).unwrap()).unwrap();
    // CH and BE: 20,000.00 − 8,000.00 = 12,000.00 covered, 3,000.00 not.
    for d in [&ch_d, &be_d] {
        assert_eq!(d.outcome, Outcome::PartlyCovered);
        assert_eq!(
            (amount(d, "coveredAmount"), amount(d, "uncoveredAmount")),
            ("12000".into(), "3000".into())
        );
    }
    assert!(codes(&ch_d).contains(&"self_assessed_cover"));
    assert!(codes(&ch_d).contains(&"apply_for_named_limit"));
    assert_eq!(
        codes(&be_d),
        [
            "no_limit_in_force",
            "covered_by_automatic_cover",
            "outstanding_above_automatic_cover"
        ]
    );
    assert_eq!(dk_d.outcome, Outcome::NotCovered);
    assert_eq!(codes(&dk_d), ["no_limit_in_force", "self_assessment_not_agreed"]);
    let cover_type = |d: &Decision| serde_json::to_value(&d.details).unwrap()["coverType"].clone();
    assert_eq!(
        [cover_type(&ch_d), cover_type(&be_d), cover_type(&dk_d)],
        [json!("selfAssessed"), json!("automatic"), json!("none")]
    );
}

#[test]
fn automatic_cover_splits_every_delivery_at_the_preset_amount_dis_7() {
    // covered = min(delivery, max(0, 20,000 − outstanding)), for outstanding and delivery
    // amounts on both sides of the preset amount.
    for outstanding in [0i64, 5_000, 19_999, 20_000, 25_000] {
        for delivery in [1i64, 10_000, 15_000, 30_000] {
            let d = cover(
                be(),
                &outstanding.to_string(),
                &delivery.to_string(),
                "2026-09-01",
                json!([]),
            );
            let covered = delivery.min((20_000 - outstanding).max(0));
            assert_eq!(
                amount(&d, "coveredAmount"),
                covered.to_string(),
                "{outstanding} + {delivery}"
            );
            assert_eq!(amount(&d, "uncoveredAmount"), (delivery - covered).to_string());
        }
    }
}

#[test]
fn a_named_limit_replaces_automatic_cover_and_a_refusal_or_withdrawal_ends_it_dis_7() {
    let applied =
        json!({"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60});
    // A granted limit of 5,000.00 replaces the 20,000.00 of automatic cover from its decision.
    let granted = json!([applied, {"type": "granted", "date": "2026-03-01", "amount": eur("5000")}]);
    let d = cover(be(), "0", "10000", "2026-09-01", granted.clone());
    assert_eq!(amount(&d, "coveredAmount"), "5000");
    let d = cover(be(), "0", "10000", "2026-02-15", granted);
    assert_eq!(amount(&d, "coveredAmount"), "10000");
    assert!(codes(&d).contains(&"covered_by_automatic_cover"));
    // A refusal ends it from its date, for good; one that expressly allows cover without a
    // limit does not.
    let refused = json!([applied, {"type": "refused", "date": "2026-03-01"}]);
    assert_eq!(
        amount(
            &cover(be(), "0", "10000", "2026-02-28", refused.clone()),
            "coveredAmount"
        ),
        "10000"
    );
    let d = cover(be(), "0", "10000", "2026-03-01", refused);
    assert_eq!(amount(&d, "coveredAmount"), "0");
    assert_eq!(codes(&d), ["limit_refused", "automatic_cover_barred"]);
    let allowed = json!([applied, {"type": "refused", "date": "2026-03-01", "allowsSelfAssessment": true}]);
    assert_eq!(
        amount(&cover(be(), "0", "10000", "2026-08-01", allowed), "coveredAmount"),
        "10000"
    );
    // A withdrawal: the limit until it takes effect, then nothing.
    let withdrawn = json!([applied, {"type": "granted", "date": "2026-02-05", "amount": eur("40000")},
        {"type": "withdrawn", "date": "2026-05-01", "delayDays": 10}]);
    assert_eq!(
        amount(
            &cover(be(), "0", "30000", "2026-05-10", withdrawn.clone()),
            "coveredAmount"
        ),
        "30000"
    );
    let d = cover(be(), "0", "30000", "2026-05-11", withdrawn);
    assert_eq!(amount(&d, "coveredAmount"), "0");
    assert_eq!(d.reasons[1].params["date"].to_string(), "2026-05-01");
}

#[test]
fn assess_discretionary_under_automatic_cover_and_under_neither_dis_7_dis_1() {
    let d = assess(be(), json!({}), json!([]), "2026-09-01");
    assert_eq!(d.outcome, Outcome::Covered);
    assert_eq!(codes(&d), ["covered_by_automatic_cover"]);
    let d = assess(neutral(), purchases(&[3, 5]), json!([]), "2026-09-01");
    assert_eq!(d.outcome, Outcome::NotCovered);
    assert_eq!(codes(&d), ["self_assessment_not_agreed"]);
}

#[test]
fn small_buyer_terms_that_contradict_each_other_are_all_reported_dis_1_dis_7() {
    assert_eq!(problems(be()), pairs(&[]));
    assert_eq!(
        problems(with(
            ch(),
            json!({"automaticCover": {"amount": "20000", "currency": "CHF"}})
        )),
        pairs(&[
            ("inconsistent_terms", "automaticCover"),
            ("currency_mismatch", "automaticCover.currency")
        ])
    );
    assert_eq!(
        problems(with(
            neutral(),
            json!({"selfAssessmentWindowMonths": 6, "selfAssessmentMinPurchases": 3, "automaticCover": eur("0")})
        )),
        pairs(&[
            ("inconsistent_terms", "selfAssessmentWindowMonths"),
            ("inconsistent_terms", "selfAssessmentMinPurchases"),
            ("out_of_range", "automaticCover.amount")
        ])
    );
    assert_eq!(
        problems(with(
            ch(),
            json!({"selfAssessmentWindowMonths": 37, "selfAssessmentMinPurchases": 0})
        )),
        pairs(&[
            ("out_of_range", "selfAssessmentWindowMonths"),
            ("out_of_range", "selfAssessmentMinPurchases")
        ])
    );
    assert_eq!(
        problems(with(
            ch(),
            json!({"selfAssessmentWindowMonths": 1, "selfAssessmentMinPurchases": 100})
        )),
        pairs(&[])
    );
}

#[test]
fn a_public_buyer_expressly_covered_is_insurable_everywhere_prm_4_buy_3() {
    let city = json!({"legalName": "Stad Gent", "country": "BE", "entityKind": "publicBody",
        "registrationNumber": "0207.451.227"});
    let limit = json!([
        {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-02-05", "amount": eur("50000")}]);
    for covered in [false, true] {
        let policy = with(neutral(), json!({ "publicBuyersCovered": covered }));
        let dto: PolicyDto = serde_json::from_value(policy.clone()).unwrap();
        let insurability = check_insurability(
            &dto.validate().unwrap(),
            &serde_json::from_value(city.clone()).unwrap(),
            &serde_json::from_value(json!({"kind": "goods", "paymentTermsDays": 60})).unwrap(),
        )
        .unwrap();
        let code = if covered {
            ReasonCode::PublicBuyerCovered
        } else {
            ReasonCode::PublicBody
        };
        assert!(insurability.reasons.iter().any(|r| r.code == code));
        let cover_input: CheckDeliveryCoverInput = serde_json::from_value(json!({
            "policy": policy, "buyer": city, "outstanding": eur("0"), "limitEvents": limit,
            "delivery": {"amount": eur("10000"), "date": "2026-03-01", "paymentTermsDays": 60},
            "asOf": "2026-03-01"}))
        .unwrap();
        let d = check_delivery_cover(&cover_input).unwrap();
        let account: AccountStateInput = serde_json::from_value(json!({
            "policy": policy, "buyer": city, "asOf": "2026-03-02", "events": [
                {"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
                {"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": eur("50000")},
                {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "R-1",
                 "amount": eur("10000"), "paymentTermsDays": 60}]}))
        .unwrap();
        let state = account_state(&account).unwrap();
        if covered {
            assert_eq!(insurability.outcome, Outcome::Insurable);
            assert_eq!(d.outcome, Outcome::Covered);
            assert_eq!(amount(&state, "coveredExposure"), "10000");
        } else {
            assert_eq!(insurability.outcome, Outcome::NotInsurable);
            assert_eq!(d.outcome, Outcome::NotCovered);
            assert_eq!(amount(&state, "coveredExposure"), "0");
        }
        let de = insurability.explain(Language::De).unwrap();
        assert!(de.messages.iter().any(|m| m.text.contains("Stad Gent")));
    }
}
