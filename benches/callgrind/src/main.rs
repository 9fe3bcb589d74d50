//! Runs one case of `cases.txt` (an op and a conformance vector's input) through
//! `delcredere::ffi::call_json` once, then `ITERS` more times, so that
//! `benches/callgrind.sh` can count the instructions of the `ITERS` calls under callgrind as
//! the difference between a run with `ITERS` and a run with 0.
//!
//! Usage: `delcredere-callgrind CASES VECTORS_DIR NAME ITERS` prints `ok` or
//! `error <code>` (the result of the first call); `delcredere-callgrind CASES` lists the names.
//! Only `call_json` is used, the one entry point every commit has, so the same harness builds
//! against older commits of the core (benches/compare-commits.sh).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

/// One line of `cases.txt`: bench name, op, vector id.
struct Case {
    name: String,
    op: String,
    vector: String,
}

fn cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut fields = line.split_whitespace();
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some(name), Some(op), Some(vector), None) => out.push(Case {
                name: name.to_owned(),
                op: op.to_owned(),
                vector: vector.to_owned(),
            }),
            _ => {
                return Err(format!(
                    "{}: expected 'name op vector-id', got '{line}'",
                    path.display()
                ))
            }
        }
    }
    Ok(out)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            json_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `input` of the vector `id`, as JSON text.
fn vector_input(dir: &Path, id: &str) -> Result<String, String> {
    let mut files = Vec::new();
    json_files(dir, &mut files)?;
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let Ok(Value::Array(cases)) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(case) = cases.iter().find(|c| c.get("id").and_then(Value::as_str) == Some(id)) {
            return case
                .get("input")
                .map(Value::to_string)
                .ok_or_else(|| format!("vector {id} has no input"));
        }
    }
    Err(format!("no vector with id {id} under {}", dir.display()))
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [cases_path] => {
            for case in cases(Path::new(cases_path))? {
                println!("{}\t{}", case.name, case.op);
            }
            Ok(())
        }
        [cases_path, vectors, name, iters] => {
            let iters: u64 = iters.parse().map_err(|e| format!("ITERS '{iters}': {e}"))?;
            let all = cases(Path::new(cases_path))?;
            let case = all
                .iter()
                .find(|c| c.name == *name)
                .ok_or_else(|| format!("no case named {name}"))?;
            let input = vector_input(Path::new(vectors), &case.vector)?;
            // The first call also warms up what is built lazily; it is in both runs.
            match delcredere::ffi::call_json(&case.op, &input) {
                Ok(_) => println!("ok"),
                Err(e) => println!("error {}", e.code()),
            }
            for _ in 0..iters {
                let _ = black_box(delcredere::ffi::call_json(black_box(&case.op), black_box(&input)));
            }
            Ok(())
        }
        _ => Err("usage: delcredere-callgrind CASES [VECTORS_DIR NAME ITERS]".to_owned()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("delcredere-callgrind: {e}");
            ExitCode::FAILURE
        }
    }
}
