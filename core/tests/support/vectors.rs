//! What every Rust runner of the conformance vectors shares (`core/tests/vectors.rs`, the C
//! ABI's `bindings-c/tests/vectors.rs`): where the vectors are (`spec/vectors/` and
//! `$DELCREDERE_EXTRA_VECTORS`), reading every case, and comparing an output with the rules of
//! `spec/vectors/README.md`. Included with `#[path]` by each runner.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
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

pub fn vector_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors")];
    if let Ok(extra) = std::env::var("DELCREDERE_EXTRA_VECTORS") {
        if !extra.is_empty() {
            dirs.push(PathBuf::from(extra));
        }
    }
    dirs
}

pub fn load_cases() -> Vec<(PathBuf, Value)> {
    let mut files = Vec::new();
    for dir in vector_dirs() {
        json_files(&dir, &mut files);
    }
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Value::Array(list) = parsed else {
            panic!("{}: not an array", file.display())
        };
        cases.extend(list.into_iter().map(|c| (file.clone(), c)));
    }
    cases
}

pub fn decimal(s: &str) -> Option<rust_decimal::Decimal> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (i, f) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if digits(i) && digits(f) {
        s.parse().ok()
    } else {
        None
    }
}

/// Compares `actual` to `expected` per the vector rules; returns the first difference.
pub fn compare(expected: &Value, actual: &Value, subset: bool, path: &str) -> Result<(), String> {
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
                return Err(format!("{path}: expected {} elements, got {}: {a:?}", e.len(), a.len()));
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
