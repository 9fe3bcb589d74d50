//! Bench inputs taken from the conformance vectors (`spec/vectors/`), so that the benches time
//! the same realistic inputs that the three runtimes are tested on.

use std::hint::black_box;

use criterion::Criterion;
use delcredere::ffi::call_json;
use delcredere::{Decision, Error};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Times op `op` on the vector `id` of `file` twice: `run` on the typed input
/// (`<op>/<label>/typed`) and the op through [`call_json`] from JSON text
/// (`<op>/<label>/json_end_to_end`), after checking that `run` gives what the vector expects.
pub fn bench_op<T: DeserializeOwned>(
    c: &mut Criterion,
    op: &str,
    label: &str,
    file: &str,
    id: &str,
    run: impl Fn(&T) -> Result<Decision, Error>,
) {
    let (value, expect) = case(file, id);
    let input: T = serde_json::from_value(value.clone()).unwrap();
    check(&run(&input).unwrap(), &expect);
    c.bench_function(&format!("{op}/{label}/typed"), |b| {
        b.iter(|| run(black_box(&input)).unwrap())
    });
    let text = value.to_string();
    c.bench_function(&format!("{op}/{label}/json_end_to_end"), |b| {
        b.iter(|| call_json(op, black_box(&text)).unwrap())
    });
}

/// The case `id` of a vector file's text (embedded with `include_str!`): its `input` and its
/// `expect`.
fn case(file: &str, id: &str) -> (Value, Value) {
    let cases: Vec<Value> = serde_json::from_str(file).expect("a vector file is a JSON array");
    let case = cases
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id}"));
    (case["input"].clone(), case["expect"].clone())
}

/// Checks, before timing, that the bench computes what the vector expects: the outcome and the
/// amounts the vector gives (decimal strings compared by value, as the runners do).
fn check(decision: &Decision, expect: &Value) {
    let got = serde_json::to_value(decision).expect("a decision serializes");
    if let Some(want) = expect.get("outcome") {
        assert_eq!(&got["outcome"], want, "outcome");
    }
    for (name, want) in expect.get("amounts").and_then(Value::as_object).into_iter().flatten() {
        assert_eq!(by_value(&got["amounts"][name]), by_value(want), "{name}");
    }
}

/// Decimal strings normalized (`"40000"` and `"40000.00"` alike), recursively.
fn by_value(value: &Value) -> Value {
    match value {
        Value::String(s) => match s.parse::<rust_decimal::Decimal>() {
            Ok(d) => Value::String(d.normalize().to_string()),
            Err(_) => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(by_value).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), by_value(v))).collect()),
        other => other.clone(),
    }
}
