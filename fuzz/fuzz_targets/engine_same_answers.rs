// The comparison the engine's restore properties share (`engine_restore_check.rs`,
// `engine_restore_bytes_check.rs`), brought into each with `include!`: an engine and the one
// its snapshot restored to answer the same questions (ACC, `spec/engine.md`): each buyer's
// account state, limit state and a cover check on the day of its last event, and the worklist
// on the last such day. A question that fails must fail with a typed error, never `internal`.

/// Panics, naming `after`, when `engine` and `restored` answer a question differently.
fn same_answers(engine: &delcredere::engine::Engine, restored: &delcredere::engine::Engine, after: &str) {
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
        let Ok(delivery) = serde_json::from_value::<delcredere::cover::DeliveryOrderDto>(serde_json::json!({
            "amount": {"amount": "1000", "currency": currency}, "date": last.to_string(), "paymentTermsDays": 30}))
        else {
            continue;
        };
        assert_eq!(
            answer(engine.account_state(key, last)),
            answer(restored.account_state(key, last)),
            "account_state differs after {after}"
        );
        assert_eq!(
            answer(engine.limit_state(key, last)),
            answer(restored.limit_state(key, last)),
            "limit_state differs after {after}"
        );
        assert_eq!(
            answer(engine.check_cover(key, &delivery, last)),
            answer(restored.check_cover(key, &delivery, last)),
            "check_cover differs after {after}"
        );
    }
    if let Some(day) = latest {
        assert_eq!(
            answer(engine.obligations(day, None)),
            answer(restored.obligations(day, None)),
            "obligations differ after {after}"
        );
    }
}
