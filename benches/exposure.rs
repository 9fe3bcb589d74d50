//! `peak_outstanding` over 10k, 100k and 1M deliveries (issue goal: linear, under 1 s for
//! 1,000,000). Run: `cargo bench -p delcredere --bench exposure`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use delcredere::exposure::{peak_outstanding, Delivery};
use delcredere::{Currency, Money};
use rust_decimal::Decimal;

/// A deterministic schedule: one delivery every few hours (dates advance every 8 deliveries),
/// amounts 100.00..999.99, terms 30/60/90 days, every 7th paid 10 days late.
fn schedule(n: usize) -> Vec<Delivery> {
    let eur = Currency::parse("c", "EUR").unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let date = start + Days::new((i / 8) as u64);
            let terms = [30u64, 60, 90][i % 3] + if i % 7 == 0 { 10 } else { 0 };
            let cents = 10_000 + (i as i64 * 7919) % 90_000;
            Delivery {
                amount: Money::new(Decimal::new(cents, 2), eur),
                delivery_date: date,
                paid_on: date + Days::new(terms),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let eur = Currency::parse("c", "EUR").unwrap();
    let mut group = c.benchmark_group("peak_outstanding");
    group.sample_size(10);
    for n in [10_000usize, 100_000, 1_000_000] {
        let deliveries = schedule(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &deliveries, |b, d| {
            b.iter(|| peak_outstanding(black_box(d), eur).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
