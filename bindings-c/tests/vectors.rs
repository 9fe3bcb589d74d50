//! Every conformance vector in `spec/vectors/` (and `$DELCREDERE_EXTRA_VECTORS`) run through
//! the exported C function `delcredere_call`: op name and JSON text in through raw pointers,
//! JSON text or a `delcredere_error` out, compared as the Rust, Python and node runners
//! compare (spec/vectors/README.md), and the same text as the core's own answer. The vectors of
//! an op an engine method answers run through the C engine too (`delcredere_engine_load`,
//! `delcredere_engine_call`), and so does the engine's bad-input catalogue.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::ffi::{c_char, CStr};

use std::path::Path;

use delcredere::engine::route::{route, ROUTED_OPS};
use delcredere::engine::Engine;
use delcredere::ffi::Input;
use delcredere_c::{
    delcredere_call, delcredere_engine, delcredere_engine_call, delcredere_engine_free, delcredere_engine_load,
    delcredere_engine_new, delcredere_engine_restore, delcredere_error, delcredere_error_free, delcredere_status,
    delcredere_string_free,
};
use serde_json::Value;

#[path = "../../core/tests/support/vectors.rs"]
mod support;
use support::{compare, load_cases};

/// What one call of `delcredere_call` answered.
#[derive(Debug, PartialEq)]
enum Answer {
    Output(String),
    Error {
        status: delcredere_status,
        code: String,
        field: String,
        message: String,
    },
}

fn owned(text: *const c_char) -> String {
    assert!(!text.is_null());
    // SAFETY: a NUL-terminated string of the library, alive until its error is freed.
    unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned()
}

/// Calls the exported function as a C program does: pointers and byte lengths.
fn call(op: &str, input: &str) -> Answer {
    let mut out: *mut c_char = std::ptr::null_mut();
    let mut len = 0usize;
    let mut error: *mut delcredere_error = std::ptr::null_mut();
    // SAFETY: valid text with its lengths, valid places for the answers.
    let status = unsafe {
        delcredere_call(
            op.as_ptr().cast(),
            op.len(),
            input.as_ptr().cast(),
            input.len(),
            &mut out,
            &mut len,
            &mut error,
        )
    };
    answer(status, out, len, error)
}

/// What a call that writes JSON text or an error answered; both are given back.
fn answer(status: delcredere_status, out: *mut c_char, len: usize, error: *mut delcredere_error) -> Answer {
    if status == delcredere_status::Ok {
        assert!(error.is_null());
        let text = owned(out);
        assert_eq!(text.len(), len, "out_len is the length of the text");
        // SAFETY: a string of the library, given back once.
        unsafe { delcredere_string_free(out) };
        Answer::Output(text)
    } else {
        failure(status, error)
    }
}

/// The error a failed call wrote, given back.
fn failure(status: delcredere_status, error: *mut delcredere_error) -> Answer {
    assert!(!error.is_null());
    // SAFETY: an error of the library, read before it is given back.
    let e = unsafe { &*error };
    let answer = Answer::Error {
        status,
        code: owned(e.code),
        field: owned(e.field),
        message: owned(e.message),
    };
    // SAFETY: an error of the library, given back once.
    unsafe { delcredere_error_free(error) };
    answer
}

fn run_case(case: &Value) -> Result<(), String> {
    let op = case["op"].as_str().ok_or("case without op")?;
    let input = case["input"].to_string();
    let subset = case.get("match").and_then(Value::as_str) == Some("subset");
    let answer = call(op, &input);
    // The C ABI answers exactly what the core answers, byte for byte.
    let core = delcredere::ffi::call_json(op, &input);
    match (&answer, &core) {
        (Answer::Output(a), Ok(c)) if a == c => {}
        (
            Answer::Error {
                code, field, message, ..
            },
            Err(e),
        ) if code == e.code() && field == e.field() && *message == e.to_string() => {}
        _ => return Err(format!("the C ABI and the core disagree: {answer:?} vs {core:?}")),
    }
    match (case.get("expect"), case.get("error"), answer) {
        (Some(expect), None, Answer::Output(text)) => {
            let actual: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            compare(expect, &actual, subset, "output").map_err(|e| format!("{e}\nfull output: {actual}"))
        }
        (
            None,
            Some(error),
            Answer::Error {
                status, code, field, ..
            },
        ) => {
            let expected = error["code"].as_str().ok_or("error without code")?;
            if code != expected {
                return Err(format!("expected error {expected}, got {code}"));
            }
            let kind = if code == "internal" {
                delcredere_status::InternalError
            } else {
                delcredere_status::InputError
            };
            if status != kind {
                return Err(format!("error {code} with status {status:?}"));
            }
            match error.get("field").and_then(Value::as_str) {
                Some(f) if f != field => Err(format!("expected error field {f:?}, got {field:?}")),
                _ => Ok(()),
            }
        }
        (Some(_), None, Answer::Error { code, message, .. }) => Err(format!("expected output, got {code}: {message}")),
        (None, Some(_), Answer::Output(text)) => Err(format!("expected an error, got {text}")),
        _ => Err("a case needs exactly one of expect and error".into()),
    }
}

#[test]
fn every_vector_passes_through_the_c_abi() {
    let cases = load_cases();
    assert!(cases.len() > 100, "only {} vectors found", cases.len());
    let mut failures = Vec::new();
    for (file, case) in &cases {
        if let Err(e) = run_case(case) {
            let id = case["id"].as_str().unwrap_or("?");
            failures.push(format!("{} [{id}]: {e}", file.display()));
        }
    }
    println!(
        "vectors through the C ABI: {} cases run, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_panic_inside_an_op_is_the_typed_error_internal() {
    let Answer::Error {
        status, code, field, ..
    } = call("__panic", "{}")
    else {
        panic!("the panic op answered")
    };
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (delcredere_status::InternalError, "internal", "")
    );
}

/// A live engine of the C ABI, freed when dropped.
struct CEngine(*mut delcredere_engine);

impl Drop for CEngine {
    fn drop(&mut self) {
        // SAFETY: a live handle of the library, freed once.
        assert_eq!(unsafe { delcredere_engine_free(self.0) }, delcredere_status::Ok);
    }
}

/// Makes an engine by `make` (`delcredere_engine_new`, `_load` or `_restore`) from `json`.
fn start(
    make: unsafe extern "C" fn(
        *const c_char,
        usize,
        *mut *mut delcredere_engine,
        *mut *mut delcredere_error,
    ) -> delcredere_status,
    json: &str,
) -> Result<CEngine, Answer> {
    let mut engine: *mut delcredere_engine = std::ptr::null_mut();
    let mut error: *mut delcredere_error = std::ptr::null_mut();
    // SAFETY: valid text with its length, valid places for the answers.
    let status = unsafe { make(json.as_ptr().cast(), json.len(), &mut engine, &mut error) };
    if status == delcredere_status::Ok {
        assert!(!engine.is_null() && error.is_null());
        Ok(CEngine(engine))
    } else {
        Err(failure(status, error))
    }
}

/// Runs engine method `method` on `input` through `delcredere_engine_call`.
fn engine_call(engine: &CEngine, method: &str, input: &str) -> Answer {
    let mut out: *mut c_char = std::ptr::null_mut();
    let mut len = 0usize;
    let mut error: *mut delcredere_error = std::ptr::null_mut();
    // SAFETY: a live engine, valid text with its lengths, valid places for the answers.
    let status = unsafe {
        delcredere_engine_call(
            engine.0,
            method.as_ptr().cast(),
            method.len(),
            input.as_ptr().cast(),
            input.len(),
            &mut out,
            &mut len,
            &mut error,
        )
    };
    answer(status, out, len, error)
}

/// The core's answer as the C ABI words it: the output's JSON text, or the error.
fn as_answer<T: serde::Serialize>(result: Result<T, delcredere::Error>) -> Answer {
    match result {
        Ok(output) => Answer::Output(serde_json::to_string(&output).unwrap()),
        Err(e) => Answer::Error {
            status: delcredere_status::InputError,
            code: e.code().to_owned(),
            field: e.field().to_owned(),
            message: e.to_string(),
        },
    }
}

/// Runs a vector of an op an engine method answers through the C ABI's engine, as the Rust,
/// Python and node runners do (`spec/vectors/README.md`, "Through the engine"): the core's
/// conversion `route`, `delcredere_engine_load` of its setup, `delcredere_engine_call` of its
/// method. The answer must be the core engine's, byte for byte, and the case's: its output, or
/// its error code. `Ok(false)`: not run (no engine method, or listed with its reason).
fn run_through_the_c_engine(case: &Value, listed: &Value) -> Result<bool, String> {
    let op = case["op"].as_str().unwrap_or("");
    if !ROUTED_OPS.contains(&op) || listed.get(case["id"].as_str().unwrap_or("")).is_some() {
        return Ok(false);
    }
    let routed = route(op, Input::Value(case["input"].clone()))
        .map_err(|e| format!("the conversion refused the input: {e}"))?
        .ok_or("no route for an op of ROUTED_OPS")?;
    let setup = serde_json::to_string(&routed.setup).unwrap();
    let input = routed.input.to_string();
    let answer = match start(delcredere_engine_load, &setup) {
        Ok(engine) => engine_call(&engine, routed.method, &input),
        Err(refused) => refused,
    };
    let core = as_answer(
        Engine::load(routed.setup.clone())
            .map_err(|e| e.with_prefix("setup"))
            .and_then(|engine| engine.query(routed.method, input.as_str())),
    );
    if answer != core {
        return Err(format!(
            "the C ABI and the core engine disagree: {answer:?} vs {core:?}"
        ));
    }
    let subset = case.get("match").and_then(Value::as_str) == Some("subset");
    match (case.get("expect"), case.get("error"), answer) {
        (Some(expect), _, Answer::Output(text)) => {
            let actual: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            compare(expect, &actual, subset, "engine output").map(|()| true)
        }
        (None, Some(error), Answer::Error { code, .. }) if error["code"].as_str() == Some(code.as_str()) => Ok(true),
        (_, _, answer) => Err(format!("through the engine: {answer:?}")),
    }
}

#[test]
fn every_vector_of_an_engine_method_passes_through_the_c_engine() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/engine/not-through-the-engine.json");
    let listed: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut run = 0;
    let mut failures = Vec::new();
    for (file, case) in load_cases() {
        match run_through_the_c_engine(&case, &listed) {
            Ok(true) => run += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{} [{}]: {e}", file.display(), case["id"])),
        }
    }
    println!("vectors through the C engine: {run} run, {} failed", failures.len());
    assert!(run > 100, "only {run} vectors ran through the engine");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The engine's bad-input catalogue (`spec/engine/bad-input.json`, run by the Rust, Python and
/// node runners too) through the C ABI: the engine made by `delcredere_engine_new` (`policy`),
/// `_load` (`setup`) or `_restore` (`snapshot`), each call by `delcredere_engine_call`; the
/// first failure must be the case's error, code and field.
#[test]
fn every_case_of_the_engine_bad_input_catalogue_is_its_typed_error_through_the_c_abi() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/engine/bad-input.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 10, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let made = &case["engine"];
        let engine = if let Some(policy) = made.get("policy") {
            start(delcredere_engine_new, &policy.to_string())
        } else if let Some(setup) = made.get("setup") {
            start(delcredere_engine_load, &setup.to_string())
        } else {
            start(delcredere_engine_restore, made["snapshot"].as_str().unwrap())
        };
        let first_failure = engine.and_then(|engine| {
            for call in case["calls"].as_array().into_iter().flatten() {
                let answer = engine_call(&engine, call["method"].as_str().unwrap(), &call["input"].to_string());
                if let Answer::Error { .. } = answer {
                    return Err(answer);
                }
            }
            Ok(engine)
        });
        let expected = (case["error"]["code"].as_str(), case["error"]["field"].as_str());
        match first_failure {
            Err(Answer::Error {
                status, code, field, ..
            }) if (Some(code.as_str()), Some(field.as_str())) == expected
                && status == delcredere_status::InputError => {}
            Err(answer) => failures.push(format!("{}: expected {expected:?}, got {answer:?}", case["id"])),
            Ok(_) => failures.push(format!("{}: expected {expected:?}, every call answered", case["id"])),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
