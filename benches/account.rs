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

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use delcredere::account::{Account, AccountEventDto};
use delcredere::{BuyerDto, IsoDate, MoneyDto, PolicyDto};
use serde_json::json;

fn money(cents: i64) -> MoneyDto {
    serde_json::from_value(json!({"amount": rust_decimal::Decimal::new(cents, 2).to_string(), "currency": "EUR"}))
        .unwrap()
}

/// 100 events: limit applied and granted, 49 invoices, 49 payments of the same amounts.
fn buyer_events(seed: usize) -> Vec<AccountEventDto> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let day = |d: u64| IsoDate(start + Days::new(d));
    let mut events = vec![
        AccountEventDto::LimitApplied {
            id: "a".into(),
            date: day(0),
            requested_amount: money(5_000_000),
            payment_terms_days: 60,
        },
        AccountEventDto::LimitGranted {
            id: "g".into(),
            date: day(1),
            amount: money(5_000_000),
            until: None,
        },
    ];
    for k in 0..49u64 {
        let cents = 100_000 + ((seed as i64 * 7919 + k as i64 * 104_729) % 900_000);
        events.push(AccountEventDto::InvoiceIssued {
            id: format!("i{k}"),
            date: day(2 + k * 5),
            reference: format!("INV-{k}"),
            amount: money(cents),
            due_date: None,
            payment_terms_days: Some(30),
            end_of_month: false,
        });
        events.push(AccountEventDto::PaymentReceived {
            id: format!("p{k}"),
            date: day(2 + k * 5 + 30),
            amount: money(cents),
            allocation: None,
        });
    }
    events
}

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
