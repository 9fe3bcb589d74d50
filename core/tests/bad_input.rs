//! Bad input that cannot live in a vector file (too large, too deep, duplicate keys): every
//! case is a typed error, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::ffi::{call, call_json, Input, MAX_DEPTH, MAX_INPUT_BYTES};
use serde_json::{json, Value};

#[test]
fn a_ten_megabyte_string_is_refused_only_past_the_documented_size() {
    // 10 MB is under the 16 MiB limit: it parses and fails on the field's own rule.
    let big = "x".repeat(10_000_000);
    let err = call_json(
        "explain",
        &format!(r#"{{"decision": {{"outcome": "insurable", "reasons": []}}, "lang": "{big}"}}"#),
    )
    .unwrap_err();
    assert_eq!(err.code(), "unknown_language");
    assert!(err.to_string().len() < 200, "the message must not echo the whole value");
    // Past the limit: out_of_range on the whole input, in both input forms.
    let huge = "x".repeat(MAX_INPUT_BYTES + 1);
    let text = format!(r#"{{"lang": "{huge}"}}"#);
    assert_eq!(call_json("explain", &text).unwrap_err().code(), "out_of_range");
    let value = json!({ "lang": huge });
    let err = call("explain", Input::Value(value)).unwrap_err();
    assert_eq!((err.code(), err.field()), ("out_of_range", "input"));
}

#[test]
fn nesting_ten_thousand_deep_is_invalid_json() {
    // As text: a typed error (the first wrong type is found before the depth limit), no
    // stack overflow.
    let deep = format!("{{\"policy\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(["invalid_json", "invalid_type"].contains(&call_json("validate_policy", &deep).unwrap_err().code()));
    // The same as a value: built iteratively, checked without recursion.
    let mut value = Value::Null;
    for _ in 0..(MAX_DEPTH + 5) {
        value = Value::Array(vec![value]);
    }
    let err = call("validate_policy", Input::Value(json!({ "policy": value }))).unwrap_err();
    assert_eq!(err.code(), "invalid_json");
}

#[test]
fn duplicate_keys_in_json_text_are_refused() {
    let err = call_json(
        "explain",
        r#"{"lang": "en", "lang": "de", "decision": {"outcome": "insurable", "reasons": []}}"#,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.field()), ("duplicate_field", "input"));
}

#[test]
fn input_that_is_not_an_object_is_invalid_type() {
    for text in ["[]", "null", "42", "\"x\"", "  [1]"] {
        let err = call_json("validate_policy", text).unwrap_err();
        assert_eq!((err.code(), err.field()), ("invalid_type", "input"), "{text}");
    }
    assert_eq!(call_json("validate_policy", "{").unwrap_err().code(), "invalid_json");
    assert_eq!(call_json("validate_policy", "").unwrap_err().code(), "invalid_type");
}

#[test]
fn unknown_op_is_a_typed_error() {
    let err = call_json("drop_tables", "{}").unwrap_err();
    assert_eq!((err.code(), err.field()), ("unknown_op", "op"));
}

#[test]
fn a_panic_inside_the_engine_becomes_an_internal_error() {
    let err = call_json("__panic", "{}").unwrap_err();
    assert_eq!(err.code(), "internal");
    assert_eq!(err.to_string(), "internal error: deliberate panic for tests");
    // The engine still answers afterwards.
    assert!(call_json(
        "explain",
        r#"{"lang": "en", "decision": {"outcome": "insurable", "reasons": []}}"#
    )
    .is_ok());
}

/// `explain` reads a decision's outcome and reasons only: its amounts and details may be any
/// JSON, but the nesting limit still holds for them.
#[test]
fn explain_skips_amounts_and_details_within_the_nesting_limit() {
    let decision = json!({
        "outcome": "covered",
        "amounts": {"coveredAmount": {"amount": "100.00", "currency": "EUR"}},
        "reasons": [],
        "details": {"type": "cover", "coverType": "namedLimit", "extra": [1, 2.5, null, true, {"a": "b"}]},
    });
    let input = json!({"decision": decision, "lang": "de"}).to_string();
    let out: Value = serde_json::from_str(&call_json("explain", &input).unwrap()).unwrap();
    assert_eq!(out["summary"], "Versichert.");

    let mut deep = String::from("null");
    for _ in 0..=MAX_DEPTH {
        deep = format!("[{deep}]");
    }
    let input = format!(r#"{{"decision": {{"outcome": "covered", "reasons": [], "details": {deep}}}, "lang": "en"}}"#);
    let e = call_json("explain", &input).unwrap_err();
    assert_eq!(e.code(), "invalid_json", "{e}");
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
}
