//! The property of the `engine_restore_bytes` fuzz target (ACC, `spec/engine.md`, "Binary
//! snapshot"), on one input: shared by the target (`engine_restore_bytes.rs`) and by
//! `core/tests/engine_snapshot_bytes.rs`. Arbitrary bytes as a binary engine snapshot, as they
//! are and with their checksums written again for their content (so that an edit reaches the
//! decoder behind them): `Engine::restore_bytes` gives an engine or a typed error, never a
//! panic or an `internal` error; an engine that restores writes bytes that restore to an
//! equal engine, and both answer the same questions (each buyer's account state, limit state
//! and a cover check on the day of its last event, and the worklist on the last day).

use delcredere::cover::DeliveryOrderDto;
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
    let answer = |r: Result<delcredere::Decision, delcredere::Error>| match r {
        Ok(d) => serde_json::to_string(&d).unwrap_or_default(),
        Err(e) => {
            assert_ne!(e.code(), "internal", "a question failed inside: {e}");
            format!("error {}", e.code())
        }
    };
    let keys: Vec<String> = engine.buyer_keys().map(str::to_owned).collect();
    let mut latest = None;
    for key in &keys {
        let Some(last) = engine.events(key).ok().and_then(|e| e.last()).map(|e| e.date()) else {
            continue;
        };
        latest = latest.max(Some(last));
        let currency = engine.policy().currency.clone().unwrap_or_default();
        // A day past 9999 (an edited snapshot's) is no delivery date: that question is skipped.
        let Ok(delivery) = serde_json::from_value::<DeliveryOrderDto>(serde_json::json!({
            "amount": {"amount": "1000", "currency": currency}, "date": last.to_string(), "paymentTermsDays": 30}))
        else {
            continue;
        };
        assert_eq!(
            answer(engine.account_state(key, last)),
            answer(restored.account_state(key, last)),
            "account_state differs after restore_bytes"
        );
        assert_eq!(
            answer(engine.limit_state(key, last)),
            answer(restored.limit_state(key, last)),
            "limit_state differs after restore_bytes"
        );
        assert_eq!(
            answer(engine.check_cover(key, &delivery, last)),
            answer(restored.check_cover(key, &delivery, last)),
            "check_cover differs after restore_bytes"
        );
    }
    if let Some(day) = latest {
        assert_eq!(
            answer(engine.obligations(day, None)),
            answer(restored.obligations(day, None)),
            "obligations differ after restore_bytes"
        );
    }
}
