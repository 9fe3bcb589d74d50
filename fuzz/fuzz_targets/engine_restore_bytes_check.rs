//! The property of the `engine_restore_bytes` fuzz target (ACC, `spec/engine.md`, "Binary
//! snapshot"), on one input: shared by the target (`engine_restore_bytes.rs`) and by
//! `core/tests/engine_snapshot_bytes.rs`. Arbitrary bytes as a binary engine snapshot, as they
//! are and with their checksums written again for their content (so that an edit reaches the
//! decoder behind them): `Engine::restore_bytes` gives an engine or a typed error, never a
//! panic or an `internal` error; an engine that restores writes bytes that restore to an
//! equal engine, and both answer the same questions (each buyer's account state, limit state
//! and a cover check on the day of its last event, and the worklist on the last day).

use delcredere::engine::{reseal_snapshot_bytes, Engine};

/// Checks the property on `data`; panics on a finding.
pub fn check(data: &[u8]) {
    check_as_is(data);
    let mut sealed = data.to_vec();
    reseal_snapshot_bytes(&mut sealed);
    if sealed != data {
        check_as_is(&sealed);
    }
}

fn check_as_is(data: &[u8]) {
    let engine = match Engine::restore_bytes_in_threads(data, 1) {
        Ok(engine) => engine,
        Err(e) => {
            assert_ne!(e.code(), "internal", "restore_bytes failed inside: {e}");
            return;
        }
    };
    let again = engine.snapshot_bytes().expect("an engine writes its bytes");
    let restored = Engine::restore_bytes_in_threads(&again, 2).expect("written bytes restore");
    assert!(restored == engine, "bytes restored to another engine");
    same_answers(&engine, &restored, "restore_bytes");
}

include!("engine_same_answers.rs");
