//! The property of the `engine_restore` fuzz target (ACC, `spec/engine.md`), on one input:
//! shared by the target (`engine_restore.rs`) and by `core/tests/fuzz_regressions.rs`, which
//! replays its crashers and corpus on stable Rust. Arbitrary bytes as an engine snapshot:
//! `Engine::restore` gives an engine or a typed error, never a panic or an `internal` error;
//! an engine that restores writes a snapshot that restores to an equal engine, and both
//! answer the same questions (`engine_same_answers.rs`: each buyer's account state, limit state
//! and a cover check on the day of its last event, and the worklist on the last such day).

use delcredere::engine::Engine;

/// Checks the property on `data`; panics on a finding.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let engine = match Engine::restore(text) {
        Ok(engine) => engine,
        Err(e) => {
            assert_ne!(e.code(), "internal", "restore failed inside: {e}");
            return;
        }
    };
    let again = engine.snapshot().expect("an engine writes its snapshot");
    let restored = Engine::restore(&again).expect("a written snapshot restores");
    assert!(restored == engine, "a snapshot restored to another engine");
    same_answers(&engine, &restored, "a snapshot");
}

include!("engine_same_answers.rs");
