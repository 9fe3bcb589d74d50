//! The property of the `account_replay` fuzz target (ACC), on one input: shared by the target
//! (`account_replay.rs`) and by `core/tests/fuzz_regressions.rs`, which replays its crashers
//! and corpus on stable Rust. Arbitrary JSON shaped like an `account_state` input:
//! `Account::replay` of the events in any order, then `Account::apply` of the same events one
//! at a time. Any panic is a finding; errors are expected. When every `apply` is accepted, the
//! log must be the one `replay` keeps, and the state on `asOf` the same either way; replaying
//! the kept log again must give the same log (replay is deterministic).

use delcredere::account::{Account, AccountStateInput};

fn state(account: &Account, input: &AccountStateInput) -> String {
    match account.state_at(&input.policy, &input.buyer, input.as_of.0) {
        Ok(decision) => serde_json::to_string(&decision).unwrap_or_default(),
        Err(e) => format!("error {}", e.code()),
    }
}

/// Checks the property on `data`; panics on a finding.
pub fn check(data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<AccountStateInput>(data) else {
        return;
    };
    let replayed = Account::replay(&input.policy, &input.events);
    let mut applied = Account::default();
    let mut all_applied = true;
    for event in &input.events {
        all_applied &= applied.apply(&input.policy, event.clone()).is_ok();
    }
    if let Ok(replayed) = &replayed {
        let again = Account::replay(&input.policy, &replayed.events().to_vec());
        assert!(
            again.is_ok_and(|a| a.events() == replayed.events()),
            "replaying a kept log changed it"
        );
        let _ = state(replayed, &input);
    }
    if all_applied {
        let Ok(replayed) = &replayed else {
            panic!("every event applied one at a time, but replay refused them")
        };
        assert_eq!(
            applied.events(),
            replayed.events(),
            "apply and replay keep different logs"
        );
        assert_eq!(
            state(&applied, &input),
            state(replayed, &input),
            "apply and replay give different states"
        );
    }
}
