//! The property of the `engine_restore` fuzz target (ACC, `spec/engine.md`), on one input:
//! shared by the target (`engine_restore.rs`) and by `core/tests/fuzz_regressions.rs`, which
//! replays its crashers and corpus on stable Rust. Arbitrary bytes as an engine snapshot:
//! `Engine::restore` gives an engine or a typed error, never a panic or an `internal` error;
//! an engine that restores writes a snapshot that restores to an equal engine, and both
//! answer the same questions (the account state and a cover check of every buyer on the day
//! of its last event).

use delcredere::cover::DeliveryOrderDto;
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
    let answer = |r: Result<delcredere::Decision, delcredere::Error>| match r {
        Ok(d) => serde_json::to_string(&d).unwrap_or_default(),
        Err(e) => {
            assert_ne!(e.code(), "internal", "a question failed inside: {e}");
            format!("error {}", e.code())
        }
    };
    let keys: Vec<String> = engine.buyer_keys().map(str::to_owned).collect();
    for key in &keys {
        let Some(last) = engine.events(key).ok().and_then(|e| e.last()).map(|e| e.date()) else {
            continue;
        };
        let currency = engine.policy().currency.clone().unwrap_or_default();
        let delivery: DeliveryOrderDto = serde_json::from_value(serde_json::json!({
            "amount": {"amount": "1000", "currency": currency}, "date": last.to_string(), "paymentTermsDays": 30}))
        .expect("a delivery");
        assert_eq!(
            answer(engine.account_state(key, last)),
            answer(restored.account_state(key, last)),
            "account_state differs after a snapshot"
        );
        assert_eq!(
            answer(engine.check_cover(key, &delivery, last)),
            answer(restored.check_cover(key, &delivery, last)),
            "check_cover differs after a snapshot"
        );
    }
}
