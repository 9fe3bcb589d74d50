//! Reads `{"op": ..., "input": ...}` lines on stdin and prints one JSON line per case:
//! `{"ok": <output>}` or `{"error": {"code": ..., "field": ..., "message": ...}}`. Used by
//! `tests/cross_runtime.py` to compare the Rust, Python and node answers byte for byte.
//!
//! A line `{"engine": <setup>, "calls": [{"method": ..., "input": ...}]}` is an engine: loaded
//! as the bindings load it (its errors under `setup`), then each call run by name; it prints
//! `{"engine": [<answer of each call>]}`, or `{"engine": [<the load's error>]}`.

use std::io::{BufRead, Write};

use delcredere::engine::{Engine, EngineSetupDto};
use delcredere::ffi::{call, parse, Input};
use delcredere::Error;
use serde_json::{json, Value};

fn answer<T: serde::Serialize>(result: Result<T, Error>) -> Value {
    match result {
        Ok(output) => json!({ "ok": output }),
        Err(e) => json!({ "error": { "code": e.code(), "field": e.field(), "message": e.to_string() } }),
    }
}

#[derive(serde::Deserialize)]
struct SetupArg {
    setup: EngineSetupDto,
}

fn engine(case: &Value) -> Value {
    let loaded = parse::<SetupArg, _>(Input::Value(json!({ "setup": case["engine"] })))
        .and_then(|arg| Engine::load(arg.setup).map_err(|e| e.with_prefix("setup")));
    let mut engine = match loaded {
        Ok(engine) => engine,
        Err(e) => return json!({ "engine": [answer::<()>(Err(e))] }),
    };
    let answers: Vec<Value> = case["calls"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            answer(engine.call(
                c["method"].as_str().unwrap_or_default(),
                Input::Value(c["input"].clone()),
            ))
        })
        .collect();
    json!({ "engine": answers })
}

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let case: Value = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        if case.get("engine").is_some() {
            writeln!(out, "{}", engine(&case))?;
            continue;
        }
        let op = case.get("op").and_then(|o| o.as_str()).unwrap_or_default().to_owned();
        let input = case.get("input").cloned().unwrap_or_default();
        writeln!(out, "{}", answer(call(&op, Input::Value(input))))?;
    }
    out.flush()
}
