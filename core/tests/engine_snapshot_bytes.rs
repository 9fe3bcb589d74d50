//! The engine's binary snapshot (format 2, `spec/engine.md`, "Binary snapshot"; ACC): it
//! restores to an equal engine holding the same state read from the logs, for every kind of
//! event; bytes cut short or edited, of another format version, or a JSON snapshot, are a typed
//! error, never a panic; events applied after a restore are read as by the engine that wrote it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::account::AccountEventDto;
use delcredere::engine::{Engine, SNAPSHOT_BYTES_FORMAT_VERSION};
use delcredere::{BuyerDto, PolicyDto};
use serde_json::{json, Value};

fn policy() -> PolicyDto {
    serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE", "FR"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
        "waitingPeriodDays": 180, "indemnityPercentage": "90", "claimFilingDeadlineDays": 30,
        "maximumLiability": {"amount": "2000000", "currency": "EUR"}, "selfAssessmentAgreed": true,
        "discretionaryLimit": {"amount": "20000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
    .unwrap()
}

fn buyer(n: usize) -> BuyerDto {
    serde_json::from_value(json!({"legalName": format!("Käufer {n} GmbH"), "legalForm": "GmbH",
        "registrationNumber": format!("HRB {n}"), "country": "DE", "entityKind": "company"}))
    .unwrap()
}

fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

fn event(v: Value) -> AccountEventDto {
    serde_json::from_value(v).unwrap()
}

/// Buyer 0: the common events (their ledger written); buyer 1: every other kind as well
/// (planned deliveries and circumstances: its log read again at restore); buyer 2: new policy
/// terms; buyer 3: no events.
fn sample() -> Engine {
    let mut engine = Engine::new(&policy()).unwrap();
    let logs: [Vec<Value>; 4] = [
        vec![
            json!({"type": "limitApplied", "id": "a", "date": "2026-01-05", "requestedAmount": eur("50000"), "paymentTermsDays": 60}),
            json!({"type": "limitGranted", "id": "g", "date": "2026-01-08", "amount": eur("50000")}),
            json!({"type": "limitApplied", "id": "a-raise", "date": "2026-01-09", "requestedAmount": eur("60000"), "paymentTermsDays": 60}),
            json!({"type": "limitGranted", "id": "g2", "date": "2026-01-10", "amount": eur("60000"), "until": "2026-12-31"}),
            json!({"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1", "amount": eur("12000.55"), "paymentTermsDays": 30}),
            json!({"type": "invoiceIssued", "id": "i2", "date": "2026-02-03", "reference": "F-2", "amount": eur("8000"), "dueDate": "2026-03-31", "endOfMonth": false}),
            json!({"type": "invoiceIssued", "id": "i3", "date": "2026-02-04", "reference": "F-3", "amount": eur("3000"), "paymentTermsDays": 30, "endOfMonth": true}),
            json!({"type": "paymentReceived", "id": "p1", "date": "2026-02-20", "amount": eur("5000")}),
            json!({"type": "paymentReceived", "id": "p2", "date": "2026-02-21", "amount": eur("1000"),
                "allocation": [{"reference": "F-2", "amount": eur("1000")}]}),
            json!({"type": "creditNoteIssued", "id": "c1", "date": "2026-02-22", "reference": "F-3", "amount": eur("500")}),
            json!({"type": "limitReduced", "id": "r", "date": "2026-03-01", "amount": eur("30000"), "delayDays": 14}),
            json!({"type": "overdueReported", "id": "o", "date": "2026-05-10"}),
            json!({"type": "continuedCoverConfirmed", "id": "cc", "date": "2026-05-12"}),
            json!({"type": "selfAssessmentRecorded", "id": "s", "date": "2026-05-13", "evidence": {
                "report": {"date": "2026-05-01", "recommendedMaximumCredit": eur("15000")}}}),
            json!({"type": "instalmentPlanProposed", "id": "ip", "date": "2026-05-14", "agreementDate": "2026-05-20"}),
            json!({"type": "instalmentConsentReceived", "id": "ic", "date": "2026-05-15"}),
            json!({"type": "declarationSubmitted", "id": "d", "date": "2026-05-16"}),
            json!({"type": "balanceReportSubmitted", "id": "b", "date": "2026-05-17", "reportingDay": "2026-04-30"}),
            json!({"type": "extraReportingDatesSet", "id": "x", "date": "2026-05-18", "dates": ["2026-06-01", "2026-07-01"]}),
            json!({"type": "extraReportSubmitted", "id": "xs", "date": "2026-06-02", "reportingDate": "2026-06-01"}),
            json!({"type": "insolvencyOpened", "id": "io", "date": "2026-07-01"}),
            json!({"type": "claimFiled", "id": "cf", "date": "2026-07-02"}),
            json!({"type": "paymentReceived", "id": "p3", "date": "2026-07-03", "amount": eur("100")}),
            json!({"type": "claimDocumentsSent", "id": "cd", "date": "2026-07-04"}),
            json!({"type": "indemnityPaid", "id": "ind", "date": "2026-07-05", "amount": eur("1000")}),
            json!({"type": "recoveryReceived", "id": "rec", "date": "2026-07-06", "amount": eur("10")}),
            json!({"type": "paymentsReported", "id": "pr", "date": "2026-07-07"}),
            json!({"type": "collectionHandedOver", "id": "ch", "date": "2026-07-08"}),
        ],
        vec![
            json!({"type": "limitApplied", "id": "a", "date": "2026-01-05", "requestedAmount": eur("50000"), "paymentTermsDays": 60}),
            json!({"type": "limitRefused", "id": "rf", "date": "2026-01-06", "allowsSelfAssessment": true}),
            json!({"type": "limitApplied", "id": "a2", "date": "2026-01-07", "requestedAmount": eur("50000"), "paymentTermsDays": 60}),
            json!({"type": "limitGranted", "id": "g", "date": "2026-01-08", "amount": eur("40000")}),
            json!({"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1", "amount": eur("12000"), "paymentTermsDays": 30}),
            json!({"type": "deliveryPlanned", "id": "dp", "date": "2026-02-02", "reference": "F-9", "deliveryDate": "2026-03-01",
                "amount": eur("5000"), "paymentTermsDays": 30}),
            json!({"type": "deliveryPlanned", "id": "dp2", "date": "2026-02-02", "reference": "F-8", "deliveryDate": "2026-03-01",
                "amount": eur("5000"), "paymentTermsDays": 30, "endOfMonth": true}),
            json!({"type": "deliveryPlanCancelled", "id": "dpc", "date": "2026-02-03", "reference": "F-8"}),
            json!({"type": "adverseInformation", "id": "ai", "date": "2026-02-04", "note": "late"}),
            json!({"type": "notificationSent", "id": "n", "date": "2026-02-05", "about": "ai"}),
            json!({"type": "adverseInformationCleared", "id": "aic", "date": "2026-02-06"}),
            json!({"type": "paymentTermsExtensionProposed", "id": "pte", "date": "2026-02-07", "reference": "F-1", "agreementDate": "2026-02-20"}),
            json!({"type": "consentReceived", "id": "cr", "date": "2026-02-08", "about": "pte"}),
            json!({"type": "paymentReturned", "id": "pret", "date": "2026-02-09", "instrument": "cheque", "reference": "F-1"}),
            json!({"type": "billProlonged", "id": "bp", "date": "2026-02-10"}),
            json!({"type": "openTermsStopped", "id": "ots", "date": "2026-02-11", "measure": "cashInAdvance"}),
            json!({"type": "legalActionStarted", "id": "las", "date": "2026-02-12"}),
            json!({"type": "lawyerInstructed", "id": "li", "date": "2026-02-13", "agent": "lawyer"}),
            json!({"type": "standstillProposed", "id": "sp", "date": "2026-02-14", "agreementDate": "2026-03-01"}),
            json!({"type": "settlementProposed", "id": "stp", "date": "2026-02-15", "agreementDate": "2026-03-01"}),
            json!({"type": "consentRefused", "id": "crf", "date": "2026-02-16", "about": "stp"}),
            json!({"type": "limitWithdrawn", "id": "w", "date": "2026-04-01", "delayDays": 10, "allowsSelfAssessment": false}),
            json!({"type": "limitApplied", "id": "a3", "date": "2026-04-20", "requestedAmount": eur("10000"), "paymentTermsDays": 30}),
            json!({"type": "limitGranted", "id": "g3", "date": "2026-04-21", "amount": eur("10000")}),
            json!({"type": "limitCancelled", "id": "lc", "date": "2026-04-22"}),
        ],
        vec![
            json!({"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1", "amount": eur("25000"), "paymentTermsDays": 30}),
            json!({"type": "policyTermsSet", "id": "t", "date": "2026-03-01", "policy": serde_json::to_value(policy()).unwrap()}),
        ],
        vec![],
    ];
    for (b, log) in logs.into_iter().enumerate() {
        let key = format!("B-{b}");
        engine.add_buyer(&key, buyer(b)).unwrap();
        for e in log {
            let e = event(e);
            let id = e.id().to_owned();
            engine
                .apply(&key, e)
                .unwrap_or_else(|err| panic!("buyer {b} event {id}: {err}"));
        }
    }
    engine
}

fn code_field<T>(r: Result<T, delcredere::Error>) -> (String, String) {
    match r {
        Ok(_) => ("ok".into(), String::new()),
        Err(e) => (e.code().to_owned(), e.field().to_owned()),
    }
}

#[test]
fn a_binary_snapshot_restores_to_an_equal_engine_with_the_same_state_acc() {
    let engine = sample();
    let bytes = engine.snapshot_bytes().unwrap();
    assert_eq!(&bytes[..8], b"DLCRSNAP");
    assert_eq!(bytes[8..12], SNAPSHOT_BYTES_FORMAT_VERSION.to_le_bytes());
    for threads in [1, 2, 8] {
        let restored = Engine::restore_bytes_in_threads(&bytes, threads).unwrap();
        assert!(restored == engine);
        assert!(restored.same_derived_state(&engine));
        assert_eq!(
            restored.snapshot_bytes().unwrap(),
            bytes,
            "written again, the same bytes"
        );
        assert_eq!(restored.snapshot().unwrap(), engine.snapshot().unwrap());
        let as_of = "2026-08-01".parse().unwrap();
        for b in 0..4 {
            let key = format!("B-{b}");
            let state = engine.account_state(&key, as_of);
            assert!(state.is_ok(), "{key}: {state:?}");
            assert_eq!(restored.account_state(&key, as_of), state);
            assert_eq!(restored.limit_state(&key, as_of), engine.limit_state(&key, as_of));
        }
        assert_eq!(
            restored.obligations(as_of, None).unwrap(),
            engine.obligations(as_of, None).unwrap()
        );
    }
    // An engine with no buyers.
    let empty = Engine::new(&policy()).unwrap();
    let restored = Engine::restore_bytes(&empty.snapshot_bytes().unwrap()).unwrap();
    assert!(restored == empty);
    assert_eq!(restored.buyer_count(), 0);
}

#[test]
fn events_applied_after_a_binary_restore_are_read_as_by_the_engine_that_wrote_it_acc() {
    let engine = sample();
    let mut restored = Engine::restore_bytes(&engine.snapshot_bytes().unwrap()).unwrap();
    let mut original = engine.clone();
    let events = [
        // The same event again: kept once.
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-02-01", "reference": "F-1", "amount": eur("12000.55"), "paymentTermsDays": 30}),
        // Its id for another event: refused.
        json!({"type": "overdueReported", "id": "i1", "date": "2026-09-01"}),
        // A reference issued already: refused.
        json!({"type": "invoiceIssued", "id": "new", "date": "2026-09-01", "reference": "F-2", "amount": eur("1"), "paymentTermsDays": 30}),
        // A credit note on an invoice of the restored log, then a payment allocated to one.
        json!({"type": "creditNoteIssued", "id": "c9", "date": "2026-09-02", "reference": "F-1", "amount": eur("10")}),
        json!({"type": "paymentReceived", "id": "p9", "date": "2026-09-03", "amount": eur("20"),
            "allocation": [{"reference": "F-1", "amount": eur("20")}]}),
        // Out of date order: the log read again.
        json!({"type": "invoiceIssued", "id": "early", "date": "2026-01-20", "reference": "F-0", "amount": eur("10"), "paymentTermsDays": 30}),
    ];
    for b in 0..4 {
        let key = format!("B-{b}");
        for e in &events {
            let by_original = code_field(original.apply(&key, event(e.clone())));
            assert_eq!(
                code_field(restored.apply(&key, event(e.clone()))),
                by_original,
                "{key} {e}"
            );
        }
    }
    assert!(restored == original);
    assert!(restored.same_derived_state(&original));
}

#[test]
fn every_cut_and_every_edit_of_a_binary_snapshot_is_a_typed_error_acc() {
    let engine = sample();
    let bytes = engine.snapshot_bytes().unwrap();
    for n in 0..bytes.len() {
        let e = Engine::restore_bytes(&bytes[..n]).map(|_| ()).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_type", "snapshot"), "cut at {n}: {e}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        code_field(Engine::restore_bytes(&longer)),
        ("invalid_type".into(), "snapshot".into())
    );
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut edited = bytes.clone();
            edited[i] ^= flip;
            let (code, field) = code_field(Engine::restore_bytes(&edited));
            let expected = if (8..12).contains(&i) {
                ("unsupported_snapshot", "formatVersion")
            } else {
                ("invalid_type", "snapshot")
            };
            assert_eq!((code.as_str(), field.as_str()), expected, "byte {i} ^ {flip:#x}");
        }
    }
}

#[test]
fn another_format_version_or_a_json_snapshot_is_refused_with_its_field_acc() {
    let engine = sample();
    let mut bytes = engine.snapshot_bytes().unwrap();
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    let e = Engine::restore_bytes(&bytes).map(|_| ()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("unsupported_snapshot", "formatVersion"));
    assert!(e.to_string().contains("expected 2"), "{e}");
    let json = engine.snapshot().unwrap();
    let e = Engine::restore_bytes(json.as_bytes()).map(|_| ()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid_type", "snapshot"));
    assert!(e.to_string().contains("restore()"), "{e}");
    for junk in [&b""[..], b"DLCR", b"hello world", &[0xff; 64]] {
        assert_eq!(
            code_field(Engine::restore_bytes(junk)),
            ("invalid_type".into(), "snapshot".into())
        );
    }
}

#[test]
fn a_large_snapshot_restores_the_same_on_one_thread_and_on_several_acc() {
    // About 3 MB: several blocks, spread over the threads.
    let mut engine = Engine::new(&policy()).unwrap();
    for b in 0..600 {
        let key = format!("K-{b}");
        engine.add_buyer(&key, buyer(b)).unwrap();
        for k in 0..25 {
            let day = format!("2026-{:02}-{:02}", 2 + k / 10, 1 + k % 10);
            engine
                .apply(
                    &key,
                    event(json!({"type": "invoiceIssued", "id": format!("i{k}"), "date": day,
                    "reference": format!("F-{b}-{k}"), "amount": eur("1234.56"), "paymentTermsDays": 30})),
                )
                .unwrap();
            engine
                .apply(
                    &key,
                    event(
                        json!({"type": "paymentReceived", "id": format!("p{k}"), "date": day, "amount": eur("1000")}),
                    ),
                )
                .unwrap();
        }
    }
    let bytes = engine.snapshot_bytes().unwrap();
    assert!(bytes.len() > 2 << 20, "{}", bytes.len());
    let one = Engine::restore_bytes_in_threads(&bytes, 1).unwrap();
    let several = Engine::restore_bytes_in_threads(&bytes, 4).unwrap();
    assert!(one == engine && several == engine);
    assert!(several.same_derived_state(&engine) && one.same_derived_state(&engine));
    assert_eq!(
        several.buyer_keys().collect::<Vec<_>>(),
        engine.buyer_keys().collect::<Vec<_>>()
    );
}

/// The property of the `engine_restore_bytes` fuzz target, the same code the target runs.
#[path = "../../fuzz/fuzz_targets/engine_restore_bytes_check.rs"]
mod engine_restore_bytes_check;

#[test]
fn one_bit_edits_resealed_restore_or_fails_typed_and_survives_its_own_bytes_acc() {
    let bytes = sample().snapshot_bytes().unwrap();
    engine_restore_bytes_check::check(&bytes);
    let mut restored = 0;
    // One bit of each byte (bit i mod 8 of byte i), each cut.
    for i in 0..bytes.len() {
        let mut edited = bytes.clone();
        edited[i] ^= 1 << (i % 8);
        engine_restore_bytes_check::check(&edited);
        delcredere::engine::reseal_snapshot_bytes(&mut edited);
        restored += usize::from(Engine::restore_bytes(&edited).is_ok());
    }
    for n in (0..bytes.len()).step_by(7) {
        engine_restore_bytes_check::check(&bytes[..n]);
    }
    println!("{} edits, {restored} restored once resealed", bytes.len());
}
