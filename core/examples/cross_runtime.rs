//! Reads `{"op": ..., "input": ...}` lines on stdin and prints one JSON line per case:
//! `{"ok": <output>}` or `{"error": {"code": ..., "field": ..., "message": ...}}`. Used by
//! `tests/cross_runtime.py` to compare the Rust, Python and node answers byte for byte.

use std::io::{BufRead, Write};

use delcredere::ffi::{call, Input};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let case: serde_json::Value = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        let op = case.get("op").and_then(|o| o.as_str()).unwrap_or_default().to_owned();
        let input = case.get("input").cloned().unwrap_or_default();
        let answer = match call(&op, Input::Value(input)) {
            Ok(output) => serde_json::json!({ "ok": output }),
            Err(e) => {
                serde_json::json!({ "error": { "code": e.code(), "field": e.field(), "message": e.to_string() } })
            }
        };
        writeln!(out, "{answer}")?;
    }
    out.flush()
}
