//! Runs every conformance vector in `spec/vectors/` (and `$DELCREDERE_EXTRA_VECTORS`) against
//! the core, as the Python and node runners do (see `spec/vectors/README.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use delcredere::cover::DeliveryOrderDto;
use delcredere::engine::methods::MethodOutput;
use delcredere::engine::route::{route, ROUTED_OPS};
use delcredere::engine::Engine;
use delcredere::ffi::{self, Input, OPS};
use delcredere::Language;
use serde_json::{json, Value};

#[path = "support/vectors.rs"]
mod support;
use support::{compare, load_cases};

fn run_case(case: &Value) -> Result<(), String> {
    let id = case["id"].as_str().ok_or("case without id")?;
    let op = case["op"].as_str().ok_or("case without op")?;
    if !OPS.contains(&op) {
        return Err(format!("unknown op {op:?}"));
    }
    let rules = case["rules"].as_array().ok_or("case without rules")?;
    if rules.is_empty() {
        return Err("case with empty rules".into());
    }
    let subset = case.get("match").and_then(Value::as_str) == Some("subset");
    let result = ffi::call(op, Input::Value(case["input"].clone()));
    // The JSON text path must give the same answer as the value path.
    let text_result = ffi::call_json(op, &case["input"].to_string());
    match (&result, &text_result) {
        (Ok(o), Ok(t)) if serde_json::to_string(o).unwrap() == *t => {}
        (Err(a), Err(b)) if a == b => {}
        _ => {
            return Err(format!(
                "{id}: value and text inputs disagree: {result:?} vs {text_result:?}"
            ))
        }
    }
    match (case.get("expect"), case.get("error"), result) {
        (Some(expect), None, Ok(output)) => {
            let actual = serde_json::to_value(&output).unwrap();
            compare(expect, &actual, subset, "output").map_err(|e| format!("{e}\nfull output: {actual}"))?;
            if let delcredere::ffi::Output::Decision(decision) = &output {
                for lang in Language::ALL {
                    decision
                        .explain(lang)
                        .map_err(|e| format!("explain {}: {e}", lang.code()))?;
                }
            }
            Ok(())
        }
        (None, Some(error), Err(err)) => {
            let code = error["code"].as_str().ok_or("error without code")?;
            if code != err.code() {
                return Err(format!("expected error {code}, got {} ({err})", err.code()));
            }
            if let Some(field) = error.get("field").and_then(Value::as_str) {
                if field != err.field() {
                    return Err(format!("expected error field {field:?}, got {:?} ({err})", err.field()));
                }
            }
            Ok(())
        }
        (Some(_), None, Err(err)) => Err(format!("expected output, got error {}: {err}", err.code())),
        (None, Some(_), Ok(output)) => Err(format!(
            "expected error, got {}",
            serde_json::to_string(&output).unwrap()
        )),
        _ => Err("a case needs exactly one of expect and error".into()),
    }
}

/// The vectors of an op an engine method answers that do not run through the engine, each
/// with its reason (`spec/engine/not-through-the-engine.json`).
fn not_through_the_engine() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/engine/not-through-the-engine.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What running a case through the engine did.
#[derive(Debug, PartialEq, Eq)]
enum Through {
    /// Its op has no engine method.
    NoMethod,
    /// Listed in `spec/engine/not-through-the-engine.json`.
    Listed,
    /// The engine gave the expected output.
    Output,
    /// The engine gave the expected error code.
    Error,
}

/// Runs a case through the engine when an engine method answers its op (`spec/vectors/README.md`,
/// "Through the engine"): the core's conversion [`route`], [`Engine::load`], then the method by
/// [`Engine::call`]. An output is compared as the op's; an error by its code alone (the engine
/// names its own fields: `buyers[0].events`, `event`, ...). A cover check's figures
/// ([`Engine::cover_figures_of`]) must round to the decision's amounts.
fn run_through_engine(case: &Value, listed: &BTreeMap<String, String>) -> Result<Through, String> {
    let op = case["op"].as_str().unwrap_or("");
    if !ROUTED_OPS.contains(&op) {
        return Ok(Through::NoMethod);
    }
    if listed.contains_key(case["id"].as_str().unwrap_or("")) {
        return Ok(Through::Listed);
    }
    let routed = route(op, Input::Value(case["input"].clone()))
        .map_err(|e| {
            format!(
                "the conversion refused the input ({}: {e}): list the case with its reason",
                e.code()
            )
        })?
        .ok_or("no route for an op of ROUTED_OPS")?;
    let answer = Engine::load(routed.setup.clone()).and_then(|engine| {
        let output = engine.query(routed.method, routed.input.clone())?;
        if let MethodOutput::Decision(decision) = &output {
            if routed.method == "check_cover" {
                let delivery: DeliveryOrderDto = serde_json::from_value(routed.input["delivery"].clone()).unwrap();
                let as_of: delcredere::IsoDate = serde_json::from_value(routed.input["asOf"].clone()).unwrap();
                let figures = engine.cover_figures_of("b0", &delivery, as_of.0)?;
                let amount = |key: &str| decision.amounts[key].amount.0;
                assert_eq!(
                    figures.covered.rounded().amount,
                    amount("coveredAmount"),
                    "{}",
                    case["id"]
                );
                assert_eq!(
                    figures.uncovered.rounded().amount,
                    amount("uncoveredAmount"),
                    "{}",
                    case["id"]
                );
            }
        }
        Ok(output)
    });
    match (case.get("expect"), case.get("error"), answer) {
        (Some(expect), _, Ok(output)) => {
            let subset = case.get("match").and_then(Value::as_str) == Some("subset");
            let actual = serde_json::to_value(&output).unwrap();
            compare(expect, &actual, subset, "engine output").map_err(|e| format!("through the engine: {e}"))?;
            Ok(Through::Output)
        }
        (Some(_), _, Err(e)) => Err(format!("through the engine: error {}: {e}", e.code())),
        (None, Some(error), Err(e)) if error["code"].as_str() == Some(e.code()) => Ok(Through::Error),
        (None, Some(error), Err(e)) => Err(format!(
            "through the engine: expected error {}, got {}: {e}",
            error["code"],
            e.code()
        )),
        (None, Some(error), Ok(output)) => Err(format!(
            "through the engine: expected error {}, got {}",
            error["code"],
            serde_json::to_string(&output).unwrap()
        )),
        (None, None, _) => Err("a case needs exactly one of expect and error".into()),
    }
}

#[test]
fn every_vector_of_an_engine_method_passes_through_the_engine() {
    let listed = not_through_the_engine();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut ids = BTreeSet::new();
    for (file, case) in load_cases() {
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        if ROUTED_OPS.contains(&case["op"].as_str().unwrap_or("")) {
            ids.insert(id.clone());
        }
        match run_through_engine(&case, &listed) {
            Ok(through) => *count.entry(format!("{through:?}")).or_default() += 1,
            Err(e) => failures.push(format!("{} [{id}]: {e}", file.display())),
        }
    }
    // The list names only vectors of an op with an engine method, each with its reason.
    for (id, reason) in &listed {
        if !ids.contains(id) {
            failures.push(format!(
                "spec/engine/not-through-the-engine.json: {id} is no vector of {ROUTED_OPS:?}"
            ));
        }
        if reason.trim().is_empty() {
            failures.push(format!(
                "spec/engine/not-through-the-engine.json: {id} without a reason"
            ));
        }
    }
    println!("vectors through the engine: {count:?}, {} failed", failures.len());
    assert!(count.get("Output").copied().unwrap_or(0) > 100, "{count:?}");
    assert!(count.get("Error").copied().unwrap_or(0) > 10, "{count:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_vector_passes_in_rust() {
    let cases = load_cases();
    assert!(!cases.is_empty(), "no vectors found");
    let mut ids = BTreeSet::new();
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        if !ids.insert(id.clone()) {
            failures.push(format!("{}: duplicate id {id}", file.display()));
        }
        if let Err(e) = run_case(case) {
            failures.push(format!("{} [{id}]: {e}", file.display()));
        }
    }
    println!("vectors: {} cases run, {} failed", cases.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Counts the computations it runs.
struct Counting(std::cell::Cell<usize>);

impl ffi::Compute for Counting {
    fn compute<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.0.set(self.0.get() + 1);
        f()
    }
}

#[test]
fn call_source_answers_as_call_json_and_computes_through_its_computer_once() {
    let mut failures = Vec::new();
    for (_, case) in load_cases() {
        let (id, op) = (case["id"].as_str().unwrap(), case["op"].as_str().unwrap());
        let text = case["input"].to_string();
        let counting = Counting(std::cell::Cell::new(0));
        let result = ffi::call_source(op, text.as_str(), &counting).map(|o| serde_json::to_string(&o).unwrap());
        if result != ffi::call_json(op, &text) {
            failures.push(format!("{id}: call_source and call_json disagree"));
        }
        // Once the input is read, the rules run through the computer (the turnover declaration
        // form, which reads its input twice, computes in place).
        let expected = match (op, &result) {
            ("validate_turnover_declaration_form", _) => 0..=0,
            (_, Ok(_)) => 1..=1,
            (_, Err(_)) => 0..=1,
        };
        if !expected.contains(&counting.0.get()) {
            failures.push(format!("{id}: {} computations", counting.0.get()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let panic = ffi::call_source("__panic", "{}", &ffi::InPlace).unwrap_err();
    assert_eq!(panic.code(), "internal");
}

fn rule_ids(text: &str, out: &mut BTreeSet<String>) {
    const AREAS: [&str; 11] = [
        "POL", "BUY", "LIM", "DIS", "EXP", "OVD", "CLM", "COL", "PRM", "ACC", "PCI",
    ];
    for area in AREAS {
        let mut rest = text;
        while let Some(i) = rest.find(&format!("{area}-")) {
            let after = &rest[i + area.len() + 1..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                out.insert(format!("{area}-{digits}"));
            }
            rest = after;
        }
    }
}

#[test]
fn every_rule_id_cited_in_the_core_has_a_vector() {
    let mut in_code = BTreeSet::new();
    let mut files = Vec::new();
    fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rs_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    rs_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    for file in files {
        rule_ids(&std::fs::read_to_string(file).unwrap(), &mut in_code);
    }
    let mut in_vectors = BTreeSet::new();
    for (_, case) in load_cases() {
        for rule in case["rules"].as_array().into_iter().flatten() {
            in_vectors.insert(rule.as_str().unwrap_or("").to_owned());
        }
    }
    let implemented = implemented_rules(&in_code);
    let missing: Vec<_> = implemented.iter().filter(|r| !in_vectors.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "rule IDs implemented in core/src without a vector: {missing:?}"
    );
}

/// Rules the core implements: every rule ID that a [`delcredere::ReasonCode`] carries (each
/// must also be cited in core/src). Rule IDs that appear in code only to document a policy
/// term (e.g. `OVD-3` on `exclusionPeriodDays`) are not implementations.
fn implemented_rules(in_code: &BTreeSet<String>) -> BTreeSet<String> {
    let from_reasons: BTreeSet<String> = delcredere::ReasonCode::ALL
        .iter()
        .map(|c| c.rule().to_owned())
        .collect();
    // Areas without numbered rules (ACC) are cited by area name only.
    assert!(
        from_reasons
            .iter()
            .filter(|r| r.contains('-'))
            .all(|r| in_code.contains(r)),
        "a reason's rule ID is not cited in core/src"
    );
    from_reasons
}

/// Words of Rust or of serde that a user of JSON, JavaScript or Python cannot act on. A message
/// says "an object with keys ...", "a whole number", "a list", "true or false", "one of ...".
const JARGON: &[&str] = &[
    "struct",
    "enum",
    "variant",
    "identifier",
    "sequence",
    "newtype",
    "tuple",
    "map",
    "unit value",
    "internally tagged",
    "untagged",
    "floating point",
    "serde",
    "Option",
    "Vec",
    "String",
    "HashMap",
    "BTreeMap",
    "Box",
    "Some",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "bool",
    "str",
];

/// The jargon in `message`: a word of [`JARGON`] standing alone, a DTO name, a Rust path or
/// serde's backticks.
fn jargon(message: &str) -> Vec<String> {
    let mut found: Vec<String> = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| JARGON.contains(word) || word.ends_with("Dto") || word.ends_with("Input"))
        .map(str::to_owned)
        .collect();
    found.extend(
        ["internally tagged", "unit value", "floating point", "::", "`"]
            .iter()
            .filter(|s| message.contains(*s))
            .map(|s| (*s).to_owned()),
    );
    found
}

/// Every message of an error, with the messages of its problems.
fn messages(e: &delcredere::Error) -> Vec<String> {
    let mut all = vec![e.to_string()];
    all.extend(e.problems().into_iter().map(|p| p.message));
    all
}

#[test]
fn no_error_of_a_vector_names_a_rust_type() {
    let mut failures = Vec::new();
    let mut errors = 0;
    for (_, case) in load_cases() {
        if case.get("error").is_none() {
            continue;
        }
        let op = case["op"].as_str().unwrap();
        for result in [
            ffi::call(op, Input::Value(case["input"].clone())),
            ffi::call(op, Input::Json(&case["input"].to_string())),
        ] {
            let Err(e) = result else { continue };
            errors += 1;
            for message in messages(&e) {
                let words = jargon(&message);
                if !words.is_empty() {
                    failures.push(format!("{}: {words:?} in {message}", case["id"]));
                }
            }
        }
    }
    assert!(errors > 300, "only {errors} errors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The input with the value at one path replaced: every path of every vector input (once per
/// op and path, list indexes ignored), each replaced by a value of every other JSON kind, read
/// from JSON text and from a JSON value (the same error from both).
#[test]
fn no_error_on_a_value_of_the_wrong_kind_names_a_rust_type() {
    fn paths(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    here.push(Value::String(k.clone()));
                    out.push(here.clone());
                    paths(v, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().take(2) {
                    here.push(Value::from(i));
                    out.push(here.clone());
                    paths(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    fn at<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
        path.iter().fold(value, |v, step| match step {
            Value::String(k) => &mut v[k.as_str()],
            _ => &mut v[step.as_u64().unwrap() as usize],
        })
    }
    let replacements = [
        json!("x"),
        json!(15000.5),
        json!(-1),
        json!(5_000_000_000u64),
        json!(true),
        json!(null),
        json!({"zz": 1}),
        json!([1]),
    ];
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    let mut errors = 0;
    for (_, case) in load_cases() {
        let op = case["op"].as_str().unwrap();
        let mut all = Vec::new();
        paths(&case["input"], &mut Vec::new(), &mut all);
        for path in all {
            let shape: Vec<String> = path.iter().map(|s| s.as_str().unwrap_or("[]").to_owned()).collect();
            if !seen.insert((op.to_owned(), shape)) {
                continue;
            }
            for replacement in &replacements {
                let mut input = case["input"].clone();
                *at(&mut input, &path) = replacement.clone();
                let Err(e) = ffi::call(op, Input::Json(&input.to_string())) else {
                    continue;
                };
                errors += 1;
                // JSON text and a JSON value are read alike, errors and all.
                match ffi::call(op, Input::Value(input)) {
                    Err(other) if other == e => {}
                    other => failures.push(format!("{op} {path:?} = {replacement}: text {e} but value {other:?}")),
                }
                for message in messages(&e) {
                    let words = jargon(&message);
                    if !words.is_empty() {
                        failures.push(format!("{op} {path:?} = {replacement}: {words:?} in {message}"));
                    }
                }
            }
        }
    }
    assert!(errors > 1000, "only {errors} errors");
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
