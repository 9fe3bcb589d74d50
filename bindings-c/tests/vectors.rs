//! Every conformance vector in `spec/vectors/` (and `$DELCREDERE_EXTRA_VECTORS`) run through
//! the exported C function `delcredere_call`: op name and JSON text in through raw pointers,
//! JSON text or a `delcredere_error` out, compared as the Rust, Python and node runners
//! compare (spec/vectors/README.md), and the same text as the core's own answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::ffi::{c_char, CStr};
use std::path::{Path, PathBuf};

use delcredere_c::{
    delcredere_call, delcredere_error, delcredere_error_free, delcredere_status, delcredere_string_free,
};
use serde_json::Value;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

fn load_cases() -> Vec<(PathBuf, Value)> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors")];
    if let Some(extra) = std::env::var_os("DELCREDERE_EXTRA_VECTORS").filter(|e| !e.is_empty()) {
        dirs.push(PathBuf::from(extra));
    }
    let mut files = Vec::new();
    for dir in dirs {
        json_files(&dir, &mut files);
    }
    let mut cases = Vec::new();
    for file in files {
        let parsed: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Value::Array(list) = parsed else {
            panic!("{}: not an array", file.display())
        };
        cases.extend(list.into_iter().map(|c| (file.clone(), c)));
    }
    cases
}

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

fn decimal(s: &str) -> Option<rust_decimal::Decimal> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (i, f) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if digits(i) && digits(f) {
        s.parse().ok()
    } else {
        None
    }
}

/// Compares `actual` to `expected` per the vector rules (amounts as decimals; `subset`
/// compares objects on the expected keys only); returns the first difference.
fn compare(expected: &Value, actual: &Value, subset: bool, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) => {
            if e == a || matches!((decimal(e), decimal(a)), (Some(x), Some(y)) if x == y) {
                Ok(())
            } else {
                Err(format!("{path}: expected {e:?}, got {a:?}"))
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path}: expected {} elements, got {}", e.len(), a.len()));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (x, y))| compare(x, y, subset, &format!("{path}[{i}]")))
        }
        (Value::Object(e), Value::Object(a)) => {
            if !subset {
                let ek: BTreeSet<_> = e.keys().collect();
                let ak: BTreeSet<_> = a.keys().collect();
                if ek != ak {
                    return Err(format!("{path}: expected keys {ek:?}, got {ak:?}"));
                }
            }
            e.iter().try_for_each(|(k, x)| match a.get(k) {
                Some(y) => compare(x, y, subset, &format!("{path}.{k}")),
                None => Err(format!("{path}: missing key {k}")),
            })
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
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
