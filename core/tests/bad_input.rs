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
    assert_eq!((err.code(), err.field()), ("duplicate_field", "lang"));
    assert_eq!(err.to_string(), "lang: duplicate field 'lang'");
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

// --- Errors that say what to type (issue #25) -----------------------------------------------

fn cover_input() -> Value {
    json!({
        "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
                   "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
                   "indemnityPercentage": "90", "maximumLiability": {"amount": "2000000", "currency": "EUR"},
                   "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
        "buyer": {"legalName": "Müller GmbH", "country": "DE", "entityKind": "company"},
        "outstanding": {"amount": "20000", "currency": "EUR"},
        "delivery": {"amount": {"amount": "10000", "currency": "EUR"}, "date": "2026-03-01", "paymentTermsDays": 60,
                     "endOfMonth": false},
        "limitEvents": [
            {"type": "applied", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"},
             "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}
        ],
        "asOf": "2026-03-01"
    })
}

/// The error of `check_delivery_cover` on `input`, the same from JSON text and from a value.
fn cover_error(input: &Value) -> delcredere::Error {
    let from_value = call("check_delivery_cover", Input::Value(input.clone())).unwrap_err();
    let from_text = call_json("check_delivery_cover", &input.to_string()).unwrap_err();
    assert_eq!(from_value, from_text, "the text and value readers disagree");
    from_value
}

fn cover_error_with(change: impl FnOnce(&mut Value)) -> (String, String, String) {
    let mut input = cover_input();
    change(&mut input);
    let e = cover_error(&input);
    (e.code().to_owned(), e.field().to_owned(), e.to_string())
}

#[test]
fn an_unknown_key_is_named_by_its_path_with_the_keys_allowed_there_and_the_nearest() {
    let (code, field, message) = cover_error_with(|i| {
        let date = i["delivery"].as_object_mut().unwrap().remove("date").unwrap();
        i["delivery"]["deliveryDate"] = date;
    });
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("unknown_field", "delivery.deliveryDate")
    );
    assert_eq!(
        message,
        "delivery.deliveryDate: unknown field 'deliveryDate', expected one of amount, date, paymentTermsDays, \
         endOfMonth, kind, paymentSecurity (did you mean 'date'?)"
    );
    // At the top, the key alone; no nearest one when none is near.
    let (_, field, message) = cover_error_with(|i| i["lang"] = json!("en"));
    assert_eq!(field, "lang");
    assert_eq!(
        message,
        "lang: unknown field 'lang', expected one of policy, buyer, outstanding, delivery, limitEvents, \
         selfAssessment, asOf, overdue"
    );
}

#[test]
fn an_unknown_key_inside_a_limit_event_is_named_by_its_path() {
    // serde stops its path at an internally tagged enum: the key is found in the event.
    let (code, field, message) = cover_error_with(|i| {
        let amount = i["limitEvents"][1].as_object_mut().unwrap().remove("amount").unwrap();
        i["limitEvents"][1]["grantedAmount"] = amount;
    });
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("unknown_field", "limitEvents[1].grantedAmount")
    );
    assert_eq!(
        message,
        "limitEvents[1].grantedAmount: unknown field 'grantedAmount', expected one of date, amount, until \
         (did you mean 'amount'?)"
    );
    let (_, field, _) = cover_error_with(|i| i["limitEvents"][1]["amount"]["currencyCode"] = json!("EUR"));
    assert_eq!(field, "limitEvents[1].amount.currencyCode");
    let (code, field, _) = cover_error_with(|i| {
        i["limitEvents"][1]["amount"]
            .as_object_mut()
            .unwrap()
            .remove("currency");
    });
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("missing_field", "limitEvents[1].amount.currency")
    );
}

#[test]
fn a_value_inside_a_limit_event_is_named_by_its_path() {
    let (code, field, message) = cover_error_with(|i| i["limitEvents"][1]["amount"] = json!("50000"));
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("invalid_type", "limitEvents[1].amount")
    );
    assert_eq!(
        message,
        "limitEvents[1].amount: expected an object with keys amount, currency, found the string \"50000\""
    );
    let (code, field, message) = cover_error_with(|i| i["limitEvents"][1]["date"] = json!("05.02.2026"));
    assert_eq!((code.as_str(), field.as_str()), ("invalid_date", "limitEvents[1].date"));
    assert_eq!(
        message,
        "limitEvents[1].date: invalid date '05.02.2026', expected yyyy-mm-dd"
    );
    // An object where a number is expected: not the event's earlier objects, which are right.
    let (_, field, message) = cover_error_with(|i| i["limitEvents"][0]["paymentTermsDays"] = json!({"days": 60}));
    assert_eq!(field, "limitEvents[0].paymentTermsDays");
    assert_eq!(
        message,
        "limitEvents[0].paymentTermsDays: expected a whole number, found an object"
    );
}

#[test]
fn an_unknown_value_lists_the_values_allowed() {
    let (code, field, message) = cover_error_with(|i| i["limitEvents"][0]["type"] = json!("approved"));
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("unknown_value", "limitEvents[0].type")
    );
    assert_eq!(
        message,
        "limitEvents[0].type: unknown value 'approved', expected one of applied, granted, refused, reduced, \
         withdrawn, cancelled"
    );
    let (_, _, message) = cover_error_with(|i| i["buyer"]["entityKind"] = json!("Company"));
    assert_eq!(
        message,
        "buyer.entityKind: unknown value 'Company', expected one of company, branch, publicBody, \
         privateIndividual (did you mean 'company'?)"
    );
}

#[test]
fn a_value_of_another_kind_is_named_in_the_words_of_json() {
    let cases = [
        (
            "/delivery/paymentTermsDays",
            json!(60.5),
            "invalid_type",
            "delivery.paymentTermsDays: expected a whole number, found 60.5",
        ),
        (
            "/delivery/paymentTermsDays",
            json!(-1),
            "out_of_range",
            "delivery.paymentTermsDays: value -1 is out of range, expected a whole number from 0 to 4294967295",
        ),
        (
            "/delivery/paymentTermsDays",
            json!("60"),
            "invalid_type",
            "delivery.paymentTermsDays: expected a whole number, found the string \"60\"",
        ),
        (
            "/delivery/endOfMonth",
            json!("yes"),
            "invalid_type",
            "delivery.endOfMonth: expected true or false, found the string \"yes\"",
        ),
        (
            "/policy/agreedCountries",
            json!("DE"),
            "invalid_type",
            "policy.agreedCountries: expected a list, found the string \"DE\"",
        ),
        (
            "/buyer/legalName",
            json!(null),
            "invalid_type",
            "buyer.legalName: expected a string, found null",
        ),
        (
            "/outstanding",
            json!("20000"),
            "invalid_type",
            "outstanding: expected an object with keys amount, currency, found the string \"20000\"",
        ),
        (
            "/outstanding/amount",
            json!(true),
            "invalid_type",
            "outstanding.amount: expected a decimal string such as \"1250.00\", found true",
        ),
        (
            "/policy/premium/basis",
            json!(7),
            "invalid_type",
            "policy.premium.basis: expected one of turnover, outstandingBalance, fixed, found 7",
        ),
        (
            "/limitEvents/0",
            json!("applied"),
            "invalid_type",
            "limitEvents[0]: expected an object whose \"type\" is one of applied, granted, refused, reduced, \
             withdrawn, cancelled, found the string \"applied\"",
        ),
    ];
    for (pointer, value, code, message) in cases {
        let mut input = cover_input();
        *input.pointer_mut(pointer).unwrap() = value;
        let e = cover_error(&input);
        assert_eq!((e.code(), e.to_string().as_str()), (code, message), "{pointer}");
    }
}

#[test]
fn a_number_for_an_amount_is_refused_in_one_wording() {
    let (code, field, message) = cover_error_with(|i| i["delivery"]["amount"]["amount"] = json!(15000.5));
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("invalid_amount", "delivery.amount.amount")
    );
    assert_eq!(
        message,
        "delivery.amount.amount: a number (15000.5) is not an amount: give a decimal string such as \"15000.5\""
    );
    // A whole number written with a fraction or an exponent is a float too; the example to type
    // has no exponent.
    let mut input = cover_input().to_string();
    input = input.replace(r#""amount":"10000""#, r#""amount":1e4"#);
    let e = call_json("check_delivery_cover", &input).unwrap_err();
    assert_eq!(
        e.to_string(),
        "delivery.amount.amount: a number (10000.0) is not an amount: give a decimal string such as \"10000\""
    );
    // A string that is not a decimal keeps its own wording.
    let (code, _, message) = cover_error_with(|i| i["delivery"]["amount"]["amount"] = json!("10.000,00"));
    assert_eq!(code, "invalid_amount");
    assert_eq!(
        message,
        "delivery.amount.amount: invalid amount '10.000,00', expected a decimal string such as \"1250.00\""
    );
}

#[test]
fn an_amount_of_more_than_28_digits_is_out_of_range_not_malformed() {
    let (code, field, message) =
        cover_error_with(|i| i["delivery"]["amount"]["amount"] = json!(format!("1{}", "0".repeat(40))));
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("out_of_range", "delivery.amount.amount")
    );
    assert_eq!(
        message,
        format!(
            "delivery.amount.amount: value 1{}... is out of range, expected at most 28 significant digits",
            "0".repeat(39)
        )
    );
}

/// A binding's own objects read into a JSON value (the JS engine's arguments) stop at the
/// limits of every op's input, with the errors a JSON value gets: `invalid_json` past
/// `MAX_DEPTH` levels, `out_of_range` past `MAX_INPUT_BYTES`, both at field `input`.
#[test]
fn a_value_read_from_any_deserializer_stops_at_the_limits_of_an_op_input() {
    use delcredere::ffi::value_within_limits;
    let read = |v: &Value| value_within_limits(v, |e| panic!("the deserializer's own error: {e}"));
    let nested = |levels: usize| (0..levels).fold(Value::Null, |v, _| Value::Array(vec![v]));
    // MAX_DEPTH levels of arrays are read; one more is refused, as `call` refuses it.
    assert_eq!(read(&nested(MAX_DEPTH)).unwrap(), nested(MAX_DEPTH));
    let err = read(&nested(MAX_DEPTH + 1)).unwrap_err();
    assert_eq!((err.code(), err.field()), ("invalid_json", "input"));
    assert_eq!(err.to_string(), "input: invalid json: nesting deeper than 128 levels");
    let op = call("validate_policy", Input::Value(json!({ "policy": nested(MAX_DEPTH) }))).unwrap_err();
    assert_eq!(op.code(), "invalid_json");
    // Bytes: strings and keys by their length, 8 per other scalar, as for a value.
    let at_limit = json!({ "k": "x".repeat(MAX_INPUT_BYTES - 1) });
    assert_eq!(read(&at_limit).unwrap(), at_limit);
    let err = read(&json!({ "k": "x".repeat(MAX_INPUT_BYTES) })).unwrap_err();
    assert_eq!((err.code(), err.field()), ("out_of_range", "input"));
    let err = call("explain", Input::Value(json!({ "k": "x".repeat(MAX_INPUT_BYTES) }))).unwrap_err();
    assert_eq!((err.code(), err.field()), ("out_of_range", "input"));
    // The deserializer's own errors are the caller's to word.
    let err = value_within_limits(serde_json::Value::Bool(true), |_| unreachable!()).map(|v| v == json!(true));
    assert_eq!(err, Ok(true));
}

/// The engine's bad-input catalogue (`spec/engine/bad-input.json`, run by the Python and node
/// runners too): each case makes an engine (`engine`: `{"policy"}` for `Engine::new`,
/// `{"setup"}` for `Engine::load`, `{"snapshot"}` for `Engine::restore`), runs its `calls` by
/// method name ([`Engine::call`]), and the first failure must be the case's `error`, code and
/// field. The arguments are read as the bindings read them: a policy under `policy`, a setup
/// under `setup` (its errors named `setup.buyers[1].id`).
mod engine_catalogue {
    use delcredere::engine::{Engine, EngineSetupDto};
    use delcredere::ffi::{parse, Input};
    use delcredere::{Error, PolicyDto};
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Deserialize)]
    struct PolicyArg {
        policy: PolicyDto,
    }

    #[derive(Deserialize)]
    struct SetupArg {
        setup: EngineSetupDto,
    }

    fn start(engine: &Value) -> Result<Engine, Error> {
        if let Some(policy) = engine.get("policy") {
            let arg: PolicyArg = parse(Input::Value(serde_json::json!({ "policy": policy })))?;
            Engine::new(&arg.policy)
        } else if let Some(setup) = engine.get("setup") {
            let arg: SetupArg = parse(Input::Value(serde_json::json!({ "setup": setup })))?;
            Engine::load(arg.setup).map_err(|e| e.with_prefix("setup"))
        } else {
            Engine::restore(engine["snapshot"].as_str().expect("engine: policy, setup or snapshot"))
        }
    }

    /// The error of the case's first failing step, or what it answered when none failed.
    pub fn run(case: &Value) -> Result<Error, String> {
        let steps = || -> Result<String, Error> {
            let mut engine = start(&case["engine"])?;
            let mut last = String::from("the engine was made");
            for call in case["calls"].as_array().into_iter().flatten() {
                let method = call["method"].as_str().expect("a call names its method");
                let output = engine.call(method, Input::Value(call["input"].clone()))?;
                last = format!(
                    "{method} answered {}",
                    serde_json::to_string(&output).unwrap_or_default()
                );
            }
            Ok(last)
        };
        match steps() {
            Err(e) => Ok(e),
            Ok(last) => Err(last),
        }
    }

    pub fn cases() -> Vec<Value> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/engine/bad-input.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

#[test]
fn every_case_of_the_engine_bad_input_catalogue_is_its_typed_error_acc() {
    let cases = engine_catalogue::cases();
    let mut failures = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let (code, field) = (case["error"]["code"].as_str(), case["error"]["field"].as_str());
        match engine_catalogue::run(case) {
            Ok(e) if Some(e.code()) == code && Some(e.field()) == field => {
                codes.insert(e.code().to_owned());
            }
            Ok(e) => failures.push(format!(
                "{id}: expected {code:?} at {field:?}, got {} at {:?}: {e}",
                e.code(),
                e.field()
            )),
            Err(answer) => failures.push(format!("{id}: expected {code:?}, but {answer}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The engine's own codes are all there.
    for code in [
        "unknown_buyer",
        "duplicate_buyer",
        "policy_already_set",
        "unsupported_snapshot",
        "unknown_op",
    ] {
        assert!(codes.contains(code), "{code}");
    }
}
