//! Every conformance vector in `spec/vectors/` (and `$DELCREDERE_EXTRA_VECTORS`) run through
//! the exported C function `delcredere_call`: op name and JSON text in through raw pointers,
//! JSON text or a `delcredere_error` out, compared as the Rust, Python and node runners
//! compare (spec/vectors/README.md), and the same text as the core's own answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::ffi::{c_char, CStr};

use delcredere_c::{
    delcredere_call, delcredere_error, delcredere_error_free, delcredere_status, delcredere_string_free,
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
    if status == delcredere_status::Ok {
        assert!(error.is_null());
        let text = owned(out);
        assert_eq!(text.len(), len, "out_len is the length of the text");
        // SAFETY: a string of the library, given back once.
        unsafe { delcredere_string_free(out) };
        Answer::Output(text)
    } else {
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
