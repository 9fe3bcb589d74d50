//! Fixed cases for claims and collections (CLM, COL), with exact figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::ffi::{call, Input, Output};
use delcredere::Decision;
use serde_json::{json, Value};

fn policy(extra: Value) -> Value {
    let mut p = json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "1000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}});
    p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    p
}

fn decide(op: &str, input: Value) -> Decision {
    match call(op, Input::Value(input)) {
        Ok(Output::Decision(d)) => d,
        other => panic!("{other:?}"),
    }
}

fn eur(a: &str) -> Value {
    json!({"amount": a, "currency": "EUR"})
}

#[test]
fn trading_history_window_starts_12_months_before_the_oldest_receivable_clamped_to_month_end_clm_3() {
    let d = decide(
        "check_claim_file",
        json!({"policy": policy(json!({})), "oldestOpenReceivableDate": "2024-02-29", "asOf": "2024-06-01"}),
    );
    let history = d
        .reasons
        .iter()
        .find(|r| r.code.as_str() == "claim_trading_history")
        .unwrap();
    assert_eq!(history.params["from"].to_string(), "2023-02-28");
    assert_eq!(history.params["to"].to_string(), "2024-06-01");
}

#[test]
fn insolvency_on_the_day_protracted_default_occurs_wins_the_tie_clm_1() {
    // Due 3 Mar 2026, 180 days: the waiting period ends 30 Aug, protracted default on 31 Aug.
    let d = decide(
        "insured_event",
        json!({"policy": policy(json!({})), "invoices": [{"reference": "I", "amount": eur("100"), "invoiceDate": "2026-02-01",
            "paymentTermsDays": 30}], "insolvencyOpenedOn": "2026-08-31", "asOf": "2026-09-01"}),
    );
    assert_eq!(serde_json::to_value(d.outcome).unwrap(), "insured_event_insolvency");
}

#[test]
fn pro_rata_payment_allocation_splits_exactly_and_keeps_the_cent_clm_6() {
    // 100.00 over three covered receivables of 1.00 each, VAT insured, 100 %: 3.00 - 1.00 = 2.00 indemnity.
    let receivables: Vec<Value> = (0..3)
        .map(|i| json!({"reference": format!("R{i}"), "amount": eur("1.00"), "deliveryDate": "2026-03-01"}))
        .collect();
    let d = decide(
        "indemnity",
        json!({"policy": policy(json!({"paymentAllocation": "proRata", "vatInsured": true, "indemnityPercentage": "100"})),
            "limitEvents": [{"type": "applied", "date": "2026-01-05", "requestedAmount": eur("10"), "paymentTermsDays": 30},
                            {"type": "granted", "date": "2026-01-10", "amount": eur("10")}],
            "receivables": receivables, "payments": [{"date": "2026-05-01", "amount": eur("1.00")}],
            "insuredEventDate": "2026-08-31", "asOf": "2026-09-10"}),
    );
    assert_eq!(d.amounts["indemnity"].amount.0.to_string(), "2.00");
}

#[test]
fn prior_indemnities_of_an_earlier_insurance_year_do_not_use_up_this_years_maximum_liability_clm_5() {
    let d = decide(
        "indemnity",
        json!({"policy": policy(json!({"maximumLiability": eur("1000"), "vatInsured": true})),
            "limitEvents": [{"type": "applied", "date": "2026-01-05", "requestedAmount": eur("10000"), "paymentTermsDays": 30},
                            {"type": "granted", "date": "2026-01-10", "amount": eur("10000")}],
            "receivables": [{"reference": "R", "amount": eur("1000"), "deliveryDate": "2026-03-01"}],
            "priorIndemnities": [{"paidOn": "2026-12-31", "amount": eur("1000")}],
            "insuredEventDate": "2027-01-05", "asOf": "2027-02-01"}),
    );
    // Insurance year 2027: nothing paid yet, 1000 x 90 % = 900.
    assert_eq!(d.amounts["indemnity"].amount.0.to_string(), "900.00");
    assert_eq!(d.amounts["remainingMaximumLiability"].amount.0.to_string(), "1000.00");
}

#[test]
fn deductible_larger_than_the_loss_gives_no_indemnity_never_a_negative_one_clm_5() {
    let d = decide(
        "indemnity",
        json!({"policy": policy(json!({"deductible": eur("5000"), "vatInsured": true})),
            "limitEvents": [{"type": "applied", "date": "2026-01-05", "requestedAmount": eur("10000"), "paymentTermsDays": 30},
                            {"type": "granted", "date": "2026-01-10", "amount": eur("10000")}],
            "receivables": [{"reference": "R", "amount": eur("1000"), "deliveryDate": "2026-03-01"}],
            "insuredEventDate": "2026-08-31", "asOf": "2026-09-10"}),
    );
    assert_eq!(serde_json::to_value(d.outcome).unwrap(), "no_indemnity");
    assert_eq!(d.amounts["indemnity"].amount.0.to_string(), "0.00");
}

#[test]
fn recovery_before_the_claim_is_filed_is_a_date_order_error_clm_6() {
    let err = call(
        "recovery",
        Input::Value(json!({"policy": policy(json!({})), "claimFiledOn": "2026-09-01",
            "openItems": [{"reference": "I", "amount": eur("100"), "invoiceDate": "2026-02-01"}],
            "recoveries": [{"date": "2026-08-31", "amount": eur("10")}], "asOf": "2026-10-01"})),
    )
    .unwrap_err();
    assert_eq!(err.code(), "date_order");
    assert_eq!(err.field(), "recoveries[0].date");
}

#[test]
fn follow_up_contact_is_dropped_when_the_file_closes_before_it_col_3() {
    let d = decide(
        "collection_contact_schedule",
        json!({"policy": policy(json!({})), "openedOn": "2026-06-01", "closedOn": "2026-06-15"}),
    );
    let codes: Vec<_> = d.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["contact_closure"]);
}

#[test]
fn collection_file_items_are_rendered_in_danish_col_2() {
    let d = decide("check_collection_file", json!({"lang": "da"}));
    let Some(delcredere::decision::Details::Checklist { items }) = &d.details else {
        panic!()
    };
    assert_eq!(items[0].message.as_deref(), Some("Kundens firmanavn."));
    assert_eq!(items.len(), 12); // no special context: no correspondence item
}
