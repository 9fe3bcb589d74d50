//! The engine's table of methods (`spec/engine.md`, "Methods"): every method of
//! `engine::methods::METHODS` runs by name through `Engine::call` on an object of its listed
//! parameters and answers as the typed method does; each listed parameter that is not
//! optional is required under that key; reads and changes go where the table says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::engine::methods::{method, MethodOutput, METHODS};
use delcredere::engine::Engine;
use delcredere::PolicyDto;
use serde_json::{json, Value};

fn policy() -> Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
        "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}})
}

fn buyer() -> Value {
    json!({"legalName": "Müller GmbH", "legalForm": "GmbH", "country": "DE", "entityKind": "company"})
}

/// A value for each parameter key of the table.
fn argument(key: &str) -> Value {
    match key {
        "id" | "buyer" => json!("D-1001"),
        "event" => json!({"type": "invoiceIssued", "id": "i2", "date": "2026-03-05", "reference": "F-1002",
            "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 30}),
        "events" => json!([{"buyer": "D-1001", "event": {"type": "invoiceIssued", "id": "i3", "date": "2026-03-06",
            "reference": "F-1003", "amount": {"amount": "500", "currency": "EUR"}, "paymentTermsDays": 30}}]),
        "policy" => policy(),
        "delivery" => json!({"date": "2026-03-10", "amount": {"amount": "10000", "currency": "EUR"},
            "paymentTermsDays": 60}),
        "asOf" => json!("2026-03-10"),
        "lang" => json!("de"),
        other => panic!("no example for parameter {other}"),
    }
}

/// An engine with buyer D-1001: a 50,000 limit and a 45,000 invoice.
fn engine() -> Engine {
    let policy: PolicyDto = serde_json::from_value(policy()).unwrap();
    let mut engine = Engine::new(&policy).unwrap();
    engine
        .add_buyer("D-1001", serde_json::from_value(buyer()).unwrap())
        .unwrap();
    for e in [
        json!({"type": "limitApplied", "id": "l1", "date": "2026-02-01",
            "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60}),
        json!({"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}),
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1001",
            "amount": {"amount": "45000", "currency": "EUR"}, "paymentTermsDays": 60}),
    ] {
        engine.apply("D-1001", serde_json::from_value(e).unwrap()).unwrap();
    }
    engine
}

fn input_of(params: &[delcredere::engine::methods::Param], leave_out: Option<&str>) -> Value {
    let mut input = serde_json::Map::new();
    for p in params {
        if Some(p.name) != leave_out {
            let value = if p.name == "buyer" && params.iter().any(|q| q.name == "id") {
                buyer()
            } else {
                argument(p.name)
            };
            input.insert(p.name.to_owned(), value);
        }
    }
    Value::Object(input)
}

#[test]
fn every_method_runs_by_name_on_an_object_of_its_parameters() {
    for m in METHODS {
        let mut e = engine();
        let input = input_of(m.params, None);
        let out = e.call(m.name, input.to_string().as_str());
        assert!(out.is_ok(), "{}: {out:?}", m.name);
        if !m.changes {
            // A read answers the same through query, and from a Value as from text.
            let again = engine().query(m.name, input.clone()).unwrap();
            assert_eq!(out.unwrap(), again, "{}", m.name);
        } else {
            let refused = engine().query(m.name, input).unwrap_err();
            assert_eq!(refused.code(), "internal", "{}", m.name);
        }
        for p in m.params.iter().filter(|p| !p.optional) {
            let err = engine().call(m.name, input_of(m.params, Some(p.name))).unwrap_err();
            assert_eq!(
                (err.code(), err.field()),
                ("missing_field", p.name),
                "{} without {}",
                m.name,
                p.name
            );
        }
    }
}

#[test]
fn the_table_lists_each_method_once_with_its_input_and_output() {
    let mut names: Vec<_> = METHODS.iter().map(|m| m.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), METHODS.len());
    let check = method("check_cover").unwrap();
    assert_eq!(
        (check.input, check.output, check.changes),
        ("CoverInput", "Decision", false)
    );
    let apply = method("apply").unwrap();
    assert_eq!((apply.input, apply.output, apply.changes), ("ApplyInput", "null", true));
}

#[test]
fn the_methods_answer_as_the_typed_calls() {
    let mut e = engine();
    let cover = json!({"buyer": "D-1001", "delivery": argument("delivery"), "asOf": "2026-03-10"});
    // 45,000 owed under a 50,000 limit: 5,000 of the 10,000 delivery is covered (LIM-1).
    let MethodOutput::Figures(f) = e.query("cover_figures", cover.clone()).unwrap() else {
        panic!("figures expected")
    };
    assert_eq!(
        serde_json::to_value(&f).unwrap(),
        json!({"covered": {"amount": "5000", "currency": "EUR"}, "uncovered": {"amount": "5000", "currency": "EUR"},
            "coverType": "namedLimit", "limit": {"amount": "50000", "currency": "EUR"}, "excludedByOverdue": false})
    );
    let MethodOutput::Decision(d) = e.query("check_cover", cover).unwrap() else {
        panic!("decision expected")
    };
    let delivery = serde_json::from_value(argument("delivery")).unwrap();
    assert_eq!(
        d,
        e.check_cover("D-1001", &delivery, "2026-03-10".parse().unwrap())
            .unwrap()
    );
    assert_eq!(
        serde_json::to_value(e.call("add_buyer", json!({"id": "B-2", "buyer": buyer()})).unwrap()).unwrap(),
        json!(1)
    );
    assert_eq!(
        serde_json::to_value(e.call("buyer_keys", json!({})).unwrap()).unwrap(),
        json!(["D-1001", "B-2"])
    );
    assert_eq!(
        serde_json::to_value(
            e.call("apply", json!({"buyer": "D-1001", "event": argument("event")}))
                .unwrap()
        )
        .unwrap(),
        Value::Null
    );
    assert_eq!(
        serde_json::to_value(
            e.call("outstanding", json!({"buyer": "D-1001", "asOf": "2026-03-10"}))
                .unwrap()
        )
        .unwrap(),
        json!({"amount": "46000", "currency": "EUR"})
    );
    let text = e.query("snapshot", json!({})).unwrap();
    let MethodOutput::Text(text) = text else {
        panic!("text expected")
    };
    assert!(Engine::restore(&text).unwrap() == e);
}

#[test]
fn bad_calls_are_typed_errors() {
    let mut e = engine();
    let unknown = e.call("delete_everything", json!({})).unwrap_err();
    assert_eq!((unknown.code(), unknown.field()), ("unknown_op", "op"));
    let buyer = e
        .query("account_state", json!({"buyer": "X-9", "asOf": "2026-03-10"}))
        .unwrap_err();
    assert_eq!((buyer.code(), buyer.field()), ("unknown_buyer", "buyer"));
    let mut other = policy();
    other["waitingPeriodDays"] = json!(90);
    let second = e.call("set_policy", json!({"policy": other})).unwrap_err();
    assert_eq!((second.code(), second.field()), ("policy_already_set", "policy"));
    let early = e
        .query("limit_state", json!({"buyer": "D-1001", "asOf": "2025-12-31"}))
        .unwrap_err();
    assert_eq!((early.code(), early.field()), ("date_order", "asOf"));
    let extra = e.query("snapshot", json!({"x": 1})).unwrap_err();
    assert_eq!(extra.code(), "unknown_field");
    let not_object = e.query("snapshot", "[]").unwrap_err();
    assert_eq!((not_object.code(), not_object.field()), ("invalid_type", "input"));
}
