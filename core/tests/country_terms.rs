//! Terms that differ between the four countries' policies (issue #21): the limit cancellation
//! deadline (LIM-4, CH), when the insurer's collection starts (COL-1: CH/FR at once, BE/DK
//! after reminder, notice and warning), and the express confirmation of cover after an overdue
//! (OVD-3, CH), through every op that reads them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::NaiveDate;
use delcredere::batch::{days_from_date, Batch, BatchSetupDto, Ledger, NO_DATE};
use delcredere::ffi::{call, Input};
use delcredere::PolicyDto;
use serde_json::{json, Value};

/// A policy with none of the country terms.
fn policy() -> Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE", "CH", "DK", "BE", "FR"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}})
}

fn with(terms: Value) -> Value {
    let mut p = policy();
    for (k, v) in terms.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

fn buyer() -> Value {
    json!({"legalName": "Müller GmbH", "legalForm": "GmbH", "registrationNumber": "HRB 1", "country": "DE", "entityKind": "company"})
}

fn run(op: &str, input: Value) -> Value {
    serde_json::to_value(call(op, Input::Value(input)).unwrap()).unwrap()
}

fn codes(decision: &Value) -> Vec<&str> {
    decision["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

fn kinds(worklist: &Value) -> Vec<&str> {
    worklist["details"]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn without_a_cancellation_day_there_is_no_fee_reason_and_no_cancel_duty_lim_4() {
    let limit_events = json!([
        {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-02-05", "amount": eur("50000")},
        {"type": "cancelled", "date": "2027-01-21"}]);
    let state = |p: Value| {
        run(
            "limit_state",
            json!({"policy": p, "events": limit_events, "asOf": "2027-01-21"}),
        )
    };
    // CH: cancelled on the 21st, after the 20th of the new year's first month: the fee is due.
    let ch = state(with(json!({"limitCancellationDay": 20})));
    assert_eq!(codes(&ch), ["limit_cancelled", "cancelled_after_deadline"]);
    assert_eq!(ch["reasons"][1]["params"]["deadline"], "2027-01-20");
    // Another country's policy has no such deadline: no fee reason either way.
    assert_eq!(codes(&state(policy())), ["limit_cancelled"]);

    // A limit unused for 12 months: the duty to cancel it only under the CH term.
    let account = json!([{"buyer": buyer(), "events": [
        {"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": eur("50000")}]}]);
    let worklist = |p: Value| {
        run(
            "obligations",
            json!({"policy": p, "accounts": account, "asOf": "2027-03-05"}),
        )
    };
    let ch = worklist(with(json!({"limitCancellationDay": 20})));
    assert_eq!(kinds(&ch), ["cancelUnusedLimit"]);
    // 5 March 2027 is past this year's 20 January: next year's, 20 January 2028.
    assert_eq!(ch["details"]["obligations"][0]["dueDate"], "2028-01-20");
    assert!(kinds(&worklist(policy())).is_empty());
}

#[test]
fn collection_starts_at_once_under_ch_and_fr_terms_and_after_the_warning_under_be_and_dk_col_1() {
    let handover = |p: Value, facts: Value| {
        let mut input = json!({"policy": p, "asOf": "2026-05-23"});
        for (k, v) in facts.as_object().unwrap() {
            input[k] = v.clone();
        }
        run("collection_handover", input)
    };
    // CH: nothing before; the insurer starts from the report.
    let ch = handover(
        with(json!({"collectionStart": "atOnce", "collectionServicesIncluded": true})),
        json!({"reportedOn": "2026-05-20"}),
    );
    assert_eq!(ch["outcome"], "collection_possible");
    assert_eq!(
        codes(&ch),
        ["collection_starts_at_once", "collection_services_included"]
    );
    assert_eq!(ch["reasons"][0]["params"]["from"], "2026-05-20");
    // FR without a report date: from the day asked about.
    let fr = handover(with(json!({"collectionStart": "atOnce"})), json!({}));
    assert_eq!(fr["reasons"][0]["params"]["from"], "2026-05-23");
    assert_eq!(codes(&fr), ["collection_starts_at_once", "collection_single_mandate"]);

    // BE/DK: the same facts are not enough; the policy's warning days are read.
    let facts = json!({"reminderSentOn": "2026-05-01", "formalNoticeSentOn": "2026-05-10", "collectionWarningSentOn": "2026-05-12"});
    let after = |days: u32| with(json!({"collectionStart": "afterReminderAndNotice", "collectionWarningDays": days}));
    // 12 May + 10 days = 22 May, over on the 23rd; + 15 days = 27 May, still running.
    assert_eq!(handover(after(10), facts.clone())["outcome"], "collection_possible");
    let be = handover(after(15), facts);
    assert_eq!(be["outcome"], "collection_not_yet_possible");
    assert_eq!(be["reasons"][2]["params"]["handOverFrom"], "2026-05-28");

    // Not stated: the op cannot answer.
    let err = call(
        "collection_handover",
        Input::Value(json!({"policy": policy(), "asOf": "2026-05-23"})),
    )
    .unwrap_err();
    assert_eq!((err.code(), err.field()), ("missing_field", "policy.collectionStart"));
}

#[test]
fn collection_start_and_warning_days_are_validated_together_col_1() {
    let problems = |terms: Value| -> Vec<(String, String)> {
        let dto: PolicyDto = serde_json::from_value(with(terms)).unwrap();
        match dto.validate() {
            Ok(_) => vec![],
            Err(e) => e.problems().iter().map(|p| (p.code.clone(), p.field.clone())).collect(),
        }
    };
    let one = |code: &str| vec![(code.to_owned(), "collectionWarningDays".to_owned())];
    assert_eq!(problems(json!({"collectionStart": "atOnce"})), vec![]);
    assert_eq!(
        problems(json!({"collectionStart": "afterReminderAndNotice", "collectionWarningDays": 0})),
        vec![]
    );
    assert_eq!(
        problems(json!({"collectionStart": "atOnce", "collectionWarningDays": 10})),
        one("inconsistent_terms")
    );
    assert_eq!(
        problems(json!({"collectionWarningDays": 10})),
        one("inconsistent_terms")
    );
    assert_eq!(
        problems(json!({"collectionStart": "afterReminderAndNotice"})),
        one("missing_field")
    );
    // Every problem at once, in the order of the terms table.
    assert_eq!(
        problems(json!({"limitCancellationDay": 32, "collectionStart": "atOnce", "collectionWarningDays": 10})),
        vec![
            ("out_of_range".to_owned(), "limitCancellationDay".to_owned()),
            ("inconsistent_terms".to_owned(), "collectionWarningDays".to_owned())
        ]
    );
}

#[test]
fn the_collection_warning_duty_is_only_for_policies_with_reminder_and_notice_first_col_1() {
    // An invoice of 1 March on 60 days, unpaid: the warning duty from the end of the extension
    // period, 60 days after the due date of 30 April: 29 June. (Under a named limit: without one
    // the delivery is a duty to apply for a limit too, LIM-7.)
    let accounts = json!([{"buyer": buyer(), "events": [
        {"type": "limitApplied", "id": "l1", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": eur("50000")},
        {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": eur("30000"), "paymentTermsDays": 60}]}]);
    let worklist = |terms: Value| {
        let mut p = with(terms);
        p["collectionServicesIncluded"] = json!(true);
        run(
            "obligations",
            json!({"policy": p, "accounts": accounts, "asOf": "2026-05-10"}),
        )
    };
    let dk = worklist(json!({"collectionStart": "afterReminderAndNotice", "collectionWarningDays": 10}));
    assert_eq!(kinds(&dk), ["sendCollectionWarning"]);
    assert_eq!(dk["details"]["obligations"][0]["dueDate"], "2026-06-29");
    assert!(kinds(&worklist(json!({"collectionStart": "atOnce"}))).is_empty());
    assert!(kinds(&worklist(json!({}))).is_empty());
}

/// A named limit of 50000 granted on 5 February; invoice A-100 of 1 March on 30 days is due 31
/// March, its extension ends 30 May, it is reported on 31 May: the exclusion period ends 30 June.
fn delivery_on(date: &str, confirmed: bool) -> Value {
    run(
        "check_delivery_cover",
        json!({"policy": policy(), "buyer": buyer(), "outstanding": eur("20000"),
            "delivery": {"amount": eur("10000"), "date": date, "paymentTermsDays": 60},
            "limitEvents": [
                {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
                {"type": "granted", "date": "2026-02-05", "amount": eur("50000")}],
            "asOf": date,
            "overdue": {"invoices": [{"reference": "A-100", "amount": eur("5000"), "invoiceDate": "2026-03-01", "paymentTermsDays": 30}],
                "reportedOn": "2026-05-31", "continuedCoverConfirmed": confirmed}}),
    )
}

#[test]
fn an_express_confirmation_keeps_cover_after_the_exclusion_period_ovd_3() {
    for date in ["2026-06-30", "2026-07-01", "2026-12-01"] {
        let d = delivery_on(date, true);
        assert_eq!(d["outcome"], "covered", "{date}");
        assert_eq!(d["amounts"]["coveredAmount"]["amount"], "10000.00", "{date}");
        assert_eq!(codes(&d).last(), Some(&"continued_cover_confirmed"), "{date}");
    }
    let inside = delivery_on("2026-06-30", false);
    assert_eq!(codes(&inside).last(), Some(&"new_receivables_excluded"));
    for date in ["2026-07-01", "2026-12-01"] {
        let d = delivery_on(date, false);
        assert_eq!(d["outcome"], "not_covered", "{date}");
        assert_eq!(codes(&d).last(), Some(&"exclusion_period_exceeded"), "{date}");
    }
}

#[test]
fn an_express_confirmation_keeps_the_accounts_cover_after_the_exclusion_period_ovd_3() {
    let events = |confirmed: bool| {
        let mut e = vec![
            json!({"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60}),
            json!({"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": eur("50000")}),
            json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": eur("5000"), "paymentTermsDays": 30}),
            json!({"type": "overdueReported", "id": "r1", "date": "2026-05-31"}),
            json!({"type": "invoiceIssued", "id": "i2", "date": "2026-07-15", "reference": "INV-2", "amount": eur("10000"), "paymentTermsDays": 30}),
        ];
        if confirmed {
            e.push(json!({"type": "continuedCoverConfirmed", "id": "c1", "date": "2026-06-05"}));
        }
        e
    };
    let state = |confirmed| {
        run(
            "account_state",
            json!({"policy": policy(), "buyer": buyer(), "events": events(confirmed), "asOf": "2026-07-20"}),
        )
    };
    // INV-2, delivered after the exclusion period, owed 5000 before it under a 50000 limit.
    let confirmed = state(true);
    assert_eq!(confirmed["amounts"]["coveredExposure"]["amount"], "15000.00");
    assert!(!codes(&confirmed).contains(&"account_deliveries_excluded"));
    let not = state(false);
    assert_eq!(not["amounts"]["coveredExposure"]["amount"], "5000.00");
    assert!(codes(&not).contains(&"account_deliveries_excluded"));
}

fn day(s: &str) -> i32 {
    days_from_date(s.parse::<NaiveDate>().unwrap())
}

#[test]
fn a_confirmed_buyer_keeps_named_limit_cover_through_its_overdues_in_the_batch_bat_6_ovd_3() {
    // Row 0 (1 March, 5000 on 30 days, paid 1 September) is due 31 March, reported 31 May and
    // unpaid: an exclusion from 31 May to 1 September, its period ending 30 June. Row 1 is
    // delivered inside the period, row 2 after it, row 3 after the payment.
    let buyer_table = |confirmed: bool| -> BatchSetupDto {
        serde_json::from_value(
            json!({"policy": policy(), "asOf": "2026-10-01", "buyers": [{"buyer": buyer(),
            "limitEvents": [
                {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
                {"type": "granted", "date": "2026-02-05", "amount": eur("50000")}],
            "continuedCoverConfirmed": confirmed}]}),
        )
        .unwrap()
    };
    let buyers = [0u32; 4];
    let amount: [i128; 4] = [500_000, 1_000_000, 1_000_000, 100_000];
    let date = [
        day("2026-03-01"),
        day("2026-06-15"),
        day("2026-07-15"),
        day("2026-09-02"),
    ];
    let terms = [30u32; 4];
    let paid = [day("2026-09-01"), NO_DATE, NO_DATE, NO_DATE];
    let ledger = Ledger {
        buyer: &buyers,
        amount: &amount,
        scale: 2,
        date: &date,
        terms_days: &terms,
        end_of_month: None,
        paid_on: Some(&paid),
    };
    let covered = |confirmed| {
        Batch::new(&buyer_table(confirmed))
            .unwrap()
            .cover(&ledger, Vec::new())
            .unwrap()
            .covered
    };
    assert_eq!(covered(false), vec![500_000, 0, 0, 100_000]);
    // Confirmed: rows 1 and 2 each owe 5000 before them (row 1 is paid on its due date, 15
    // July, the day row 2 is delivered), within the 50000 limit: covered in full.
    assert_eq!(covered(true), vec![500_000, 1_000_000, 1_000_000, 100_000]);
    // As check_delivery_cover says for row 2 on its delivery day.
    let row_2 = run(
        "check_delivery_cover",
        json!({"policy": policy(), "buyer": buyer(), "outstanding": eur("5000.00"),
            "delivery": {"amount": eur("10000.00"), "date": "2026-07-15", "paymentTermsDays": 30},
            "limitEvents": [
                {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
                {"type": "granted", "date": "2026-02-05", "amount": eur("50000")}],
            "asOf": "2026-07-15",
            "overdue": {"invoices": [
                {"reference": "row 0", "amount": eur("5000.00"), "invoiceDate": "2026-03-01", "paymentTermsDays": 30},
                {"reference": "row 1", "amount": eur("10000.00"), "invoiceDate": "2026-06-15", "paymentTermsDays": 30,
                 "payments": [{"date": "2026-07-15", "amount": eur("10000.00")}]}],
                "continuedCoverConfirmed": true}}),
    );
    assert_eq!(row_2["amounts"]["coveredAmount"]["amount"], "10000.00");
}
