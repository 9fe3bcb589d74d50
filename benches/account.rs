//! Account replay (ACC): 10,000, 100,000 and 1,000,000 events across 100, 1,000 and 10,000
//! buyers (100 events each: a limit applied and granted, 49 invoices and 49 payments, out of
//! date order), every buyer's log replayed and asked for its state once, one buyer after the
//! other on one thread. Issue goal: 1M events under 1 s on one core, 10× the events at most
//! ~11× the time.
//!
//! `account_replay_and_state` hands each log over (`Account::from_events`, as an ERP gives
//! away the events it has just read); the logs are copied before each timed pass, outside the
//! timing. `account_replay_cloning_and_state` replays borrowed logs (`Account::replay`), which
//! clones every event it keeps.
//! Run: `cargo bench -p delcredere --bench account`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use delcredere::account::{Account, AccountEventDto};
use delcredere::{BuyerDto, PolicyDto};
use serde_json::json;

#[path = "support/events.rs"]
mod events;
use events::buyer_events;

fn bench(c: &mut Criterion) {
    let policy: PolicyDto = serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
        "indemnityPercentage": "90", "maximumLiability": {"amount": "2000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
    .unwrap();
    let buyer: BuyerDto = serde_json::from_value(json!({"legalName": "Müller GmbH", "legalForm": "GmbH",
        "registrationNumber": "HRB 1", "country": "DE", "entityKind": "company"}))
    .unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let sizes = [100usize, 1_000, 10_000];
    let logs: Vec<Vec<AccountEventDto>> = (0..10_000).map(buyer_events).collect();
    let mut group = c.benchmark_group("account_replay_and_state");
    group.sample_size(10);
    for buyers in sizes {
        let logs = &logs[..buyers];
        group.bench_with_input(BenchmarkId::from_parameter(buyers * 100), logs, |b, logs| {
            b.iter_batched(
                || logs.to_vec(),
                |logs| {
                    for log in logs {
                        let account = Account::from_events(&policy, black_box(log)).unwrap();
                        black_box(account.state_at(&policy, &buyer, as_of).unwrap());
                    }
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
    let mut group = c.benchmark_group("account_replay_cloning_and_state");
    group.sample_size(10);
    for buyers in sizes {
        let logs = &logs[..buyers];
        group.bench_with_input(BenchmarkId::from_parameter(buyers * 100), logs, |b, logs| {
            b.iter(|| {
                for log in logs {
                    let account = Account::replay(&policy, black_box(log)).unwrap();
                    black_box(account.state_at(&policy, &buyer, as_of).unwrap());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
