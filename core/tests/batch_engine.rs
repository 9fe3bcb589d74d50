//! The batch with a prepared engine (BAT-7, `spec/batch.md`): an engine holding the buyers and
//! limit events of a per-buyer table gives, row for row, the figures and errors of the batch
//! built from the policy and that table; its own invoices are not read; the setup is kept for
//! its date until the engine changes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chrono::NaiveDate;
use delcredere::batch::{days_from_date, Batch, BatchSetupDto, CoverColumns, NO_DATE};
use delcredere::engine::{Engine, EngineSetupDto};
use delcredere::Error;
use proptest::prelude::*;
use serde_json::{json, Value};

#[path = "support/batch.rs"]
mod fixtures;
use fixtures::{buyer, eur, policy, view, Rows, AS_OF};

/// Six buyers of a per-buyer table: a named limit reduced during the year, self-assessed
/// cover, no cover, a buyer in a country the policy does not agree, a named limit with the
/// insurer's confirmation of continued cover (OVD-3), and a limit withdrawn with
/// self-assessment allowed (DIS-4).
fn table() -> Vec<Value> {
    let purchases = json!({"purchases": [
        {"deliveryDate": "2025-11-01", "dueDate": "2025-12-31", "paidOn": "2025-12-20"},
        {"deliveryDate": "2025-12-01", "dueDate": "2026-01-30", "paidOn": "2026-01-30"}]});
    let granted = |amount: &str| {
        vec![
            json!({"type": "applied", "date": "2026-01-02", "requestedAmount": eur(amount), "paymentTermsDays": 60}),
            json!({"type": "granted", "date": "2026-01-03", "amount": eur(amount)}),
        ]
    };
    let mut reduced = granted("50000");
    reduced.push(json!({"type": "reduced", "date": "2026-03-10", "amount": eur("20000")}));
    let mut withdrawn = granted("30000");
    withdrawn.push(json!({"type": "withdrawn", "date": "2026-05-01", "allowsSelfAssessment": true}));
    vec![
        json!({"buyer": buyer("Reduced AG", "DE"), "limitEvents": reduced}),
        json!({"buyer": buyer("Self Assessed BV", "NL"), "selfAssessment": purchases}),
        json!({"buyer": buyer("Nothing SARL", "FR")}),
        json!({"buyer": buyer("Elsewhere Inc", "US"), "limitEvents": granted("50000")}),
        json!({"buyer": buyer("Confirmed ApS", "DK"), "limitEvents": granted("40000"), "continuedCoverConfirmed": true}),
        json!({"buyer": buyer("Withdrawn NV", "BE"), "limitEvents": withdrawn, "selfAssessment": purchases}),
    ]
}

/// The engine buyer of a per-buyer table entry under key `id`: each limit event as the account
/// event of the same name (`reduced` as `limitReduced`), the evidence recorded and the
/// confirmation given on the policy's first day.
fn engine_buyer(id: &str, entry: &Value) -> Value {
    let mut events = Vec::new();
    for (k, e) in entry["limitEvents"].as_array().into_iter().flatten().enumerate() {
        let mut e = e.clone();
        let kind = e["type"].as_str().unwrap();
        e["type"] = json!(format!("limit{}{}", kind[..1].to_uppercase(), &kind[1..]));
        e["id"] = json!(format!("l{k}"));
        events.push(e);
    }
    if let Some(evidence) = entry.get("selfAssessment") {
        events.push(json!({"type": "selfAssessmentRecorded", "id": "s", "date": "2026-01-01", "evidence": evidence}));
    }
    if entry.get("continuedCoverConfirmed") == Some(&json!(true)) {
        events.push(json!({"type": "continuedCoverConfirmed", "id": "c", "date": "2026-01-01"}));
    }
    json!({"id": id, "buyer": entry["buyer"], "events": events})
}

fn batch_of(table: &[Value]) -> Batch {
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy(), "buyers": table, "asOf": AS_OF})).unwrap();
    Batch::new(&setup).unwrap()
}

fn engine_of(table: &[Value]) -> Engine {
    let buyers: Vec<Value> = table
        .iter()
        .enumerate()
        .map(|(i, e)| engine_buyer(&format!("B{i}"), e))
        .collect();
    let setup: EngineSetupDto = serde_json::from_value(json!({"policy": policy(), "buyers": buyers})).unwrap();
    Engine::load(setup).unwrap()
}

fn as_of() -> NaiveDate {
    AS_OF.parse().unwrap()
}

/// A seeded ledger in no particular order over `buyers` buyers, a few of them unknown (one
/// past the table), with bad rows and late payments.
fn ledger(n: usize, buyers: u64, mut seed: u64) -> Rows {
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let start = days_from_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    let mut rows = Rows::empty();
    for _ in 0..n {
        rows.buyer.push(next(buyers + 1) as u32);
        rows.amount.push(if next(50) == 0 {
            0
        } else {
            10_000 + next(900_000) as i128
        });
        rows.date.push(start + next(300) as i32 - 10);
        rows.terms.push([0, 30, 60, 60, 90, 150][next(6) as usize]);
        rows.eom.push(next(5) == 0);
        rows.paid.push(match next(6) {
            0 => rows.date.last().unwrap() + next(150) as i32 - 5,
            _ => NO_DATE,
        });
    }
    rows
}

/// The rows whose buyer is past the table, as the binding names them before the batch (an
/// unknown buyer id).
fn unknown(rows: &Rows, buyers: usize) -> Vec<(usize, Error)> {
    (0..rows.buyer.len())
        .filter(|&i| rows.buyer[i] as usize >= buyers)
        .map(|i| {
            (
                i,
                Error::UnknownValue {
                    field: format!("rows[{i}].buyer"),
                    value: format!("B{}", rows.buyer[i]),
                    expected: Vec::new(),
                },
            )
        })
        .collect()
}

/// Cover and exposures of `rows` from the policy and `table` and from an engine holding the
/// same buyers and events, on 1 and 2 threads: equal, figures and errors.
fn assert_engine_equals_table(table: &[Value], engine: &Engine, rows: &Rows) -> CoverColumns {
    let direct = batch_of(table);
    let prepared = engine.batch(as_of()).unwrap();
    let n = table.len();
    let want = direct.cover(&view(rows), unknown(rows, n)).unwrap();
    for threads in [1, 2] {
        let got = prepared
            .cover_in_threads(&view(rows), unknown(rows, n), threads)
            .unwrap();
        assert_eq!(got, want, "cover on {threads} thread(s)");
        let exposures = prepared
            .exposures_in_threads(&view(rows), unknown(rows, n), threads)
            .unwrap();
        assert_eq!(exposures, direct.exposures(&view(rows), unknown(rows, n)).unwrap());
    }
    want
}

#[test]
fn a_prepared_engine_gives_the_figures_of_the_policy_and_buyers_row_for_row_bat_7() {
    let table = table();
    let rows = ledger(3000, table.len() as u64, 0x2545_f491_4f6c_dd1d);
    let out = assert_engine_equals_table(&table, &engine_of(&table), &rows);
    // The ledger reaches every kind of cover, bad rows and exclusions (BAT-6).
    for t in ["namedLimit", "selfAssessed", "none"] {
        assert!(out.cover_type.iter().any(|c| c.as_str() == t), "{t}");
    }
    assert!(out.errors.iter().any(|e| e.1.code() == "unknown_value"));
    assert!(out.errors.iter().any(|e| e.1.code() == "out_of_range"));
    let excluded = (0..rows.buyer.len())
        .filter(|&i| out.cover_type[i].as_str() == "namedLimit" && out.covered[i] == 0 && out.uncovered[i] > 0)
        .count();
    assert!(excluded > 0);
}

#[test]
fn the_engine_s_own_invoices_payments_and_later_events_are_not_read_bat_7() {
    // Invoices and payments in the engine's logs leave the outstanding to the ledger (BAT-1);
    // a limit event after asOf is not known on asOf.
    let table = table();
    let mut engine = engine_of(&table);
    let invoice = json!({"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1",
        "amount": eur("45000"), "paymentTermsDays": 90});
    engine.apply("B0", serde_json::from_value(invoice).unwrap()).unwrap();
    let paid = json!({"type": "paymentReceived", "id": "p1", "date": "2026-02-10", "amount": eur("5000")});
    engine.apply("B0", serde_json::from_value(paid).unwrap()).unwrap();
    let later = json!({"type": "limitReduced", "id": "l9", "date": "2026-11-01", "amount": eur("1000")});
    engine.apply("B4", serde_json::from_value(later).unwrap()).unwrap();
    let rows = ledger(800, table.len() as u64, 99);
    assert_engine_equals_table(&table, &engine, &rows);
}

#[test]
fn the_setup_is_kept_for_its_date_until_the_engine_changes_bat_7() {
    let table = table();
    let mut engine = engine_of(&table);
    let first = engine.batch(as_of()).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &engine.batch(as_of()).unwrap()));
    let other_day = engine.batch("2026-09-30".parse().unwrap()).unwrap();
    assert_eq!(other_day.as_of(), "2026-09-30".parse::<NaiveDate>().unwrap());
    // A change drops it: the next call reads the reduction (LIM-3), as the table with the
    // same event does.
    let reduced = json!({"type": "limitReduced", "id": "l9", "date": "2026-03-01", "amount": eur("10000")});
    engine
        .apply("B4", serde_json::from_value(reduced.clone()).unwrap())
        .unwrap();
    let again = engine.batch(as_of()).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &again));
    let mut changed = table.clone();
    let mut events = changed[4]["limitEvents"].as_array().unwrap().clone();
    events.push(json!({"type": "reduced", "date": "2026-03-01", "amount": eur("10000")}));
    changed[4]["limitEvents"] = json!(events);
    let rows = ledger(600, table.len() as u64, 7);
    assert_engine_equals_table(&changed, &engine, &rows);
    // Only the changed buyer is prepared again: with no caller holding the batch, in place.
    drop((first, again, other_day));
    let kept = engine.batch(as_of()).unwrap();
    let before = std::sync::Arc::as_ptr(&kept);
    drop(kept);
    let granted = json!({"type": "limitApplied", "id": "a9", "date": "2026-04-01", "requestedAmount": eur("30000"),
        "paymentTermsDays": 60});
    engine.apply("B2", serde_json::from_value(granted).unwrap()).unwrap();
    let granted = json!({"type": "limitGranted", "id": "g9", "date": "2026-04-03", "amount": eur("30000.125")});
    engine.apply("B2", serde_json::from_value(granted).unwrap()).unwrap();
    assert_eq!(std::sync::Arc::as_ptr(&engine.batch(as_of()).unwrap()), before);
    changed[2]["limitEvents"] = json!([
        {"type": "applied", "date": "2026-04-01", "requestedAmount": eur("30000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-04-03", "amount": eur("30000.125")}]);
    // The limit's decimal raises the scale of the results (BAT-2), as from the table.
    assert_eq!(assert_engine_equals_table(&changed, &engine, &rows).scale, 3);
    // A buyer added: the ledger's buyer 6 is now known.
    engine
        .add_buyer("B6", serde_json::from_value(buyer("New GmbH", "DE")).unwrap())
        .unwrap();
    changed.push(json!({"buyer": buyer("New GmbH", "DE")}));
    assert_eq!(engine.batch(as_of()).unwrap().buyers(), 7);
    assert_engine_equals_table(&changed, &engine, &rows);
}

#[test]
fn policy_terms_set_for_a_buyer_is_refused_naming_the_buyer_and_the_event_bat_7() {
    let table = table();
    let mut engine = engine_of(&table);
    let mut terms = policy();
    terms["maxCreditPeriodDays"] = json!(90);
    let set = json!({"type": "policyTermsSet", "id": "t1", "date": "2026-06-01", "policy": terms});
    engine.apply("B2", serde_json::from_value(set).unwrap()).unwrap();
    // Before the new terms, the batch is the engine's policy's.
    assert!(engine.batch("2026-05-31".parse().unwrap()).is_ok());
    let e = engine.batch(as_of()).unwrap_err();
    assert_eq!(e.code(), "invalid_event");
    assert_eq!(e.field(), "buyers[2].events");
    assert!(e.to_string().contains("t1"), "{e}");
}

#[test]
fn an_engine_without_buyers_makes_every_row_bad_as_an_empty_table_does_bat_7() {
    let engine = engine_of(&[]);
    let rows = ledger(50, 0, 5);
    assert_engine_equals_table(&[], &engine, &rows);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any seeded ledger, any subset of the table's buyers: the engine's batch is the table's.
    #[test]
    fn any_ledger_gives_the_same_rows_from_the_engine_as_from_the_table_bat_7(
        seed in 1u64..u64::MAX,
        n in 0usize..400,
        keep in proptest::collection::vec(any::<bool>(), 6),
    ) {
        let table: Vec<Value> = table().into_iter().zip(&keep).filter(|(_, k)| **k).map(|(t, _)| t).collect();
        let rows = ledger(n, table.len() as u64, seed);
        assert_engine_equals_table(&table, &engine_of(&table), &rows);
    }
}
