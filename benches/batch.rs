//! The batch cover check (`Batch::cover`, BAT-1..6) over a generated ledger shaped like
//! `delcredere.sample.ledger` (sorted by date, 20 % of buyers self-assessed, one invoice in ten
//! paid late, one in six on terms over the policy maximum). Issue #10's goal is for the whole
//! Python call (`benches/python/bench_batch.py`); this bench times the core part alone.
//! Run: `cargo bench -p delcredere --bench batch` (rows: `DELCREDERE_BENCH_ROWS`, default
//! 1,000,000; buyers: a fiftieth of the rows, at most 20,000; `threads_<t>`: the same on t
//! threads, `DELCREDERE_BENCH_THREADS`, default 2; `MIMALLOC_ALLOW_THP=0` for the module's
//! allocator without huge pages, see `ALLOCATOR`).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use delcredere::batch::{Batch, BatchSetupDto, Ledger, NO_DATE};
use serde_json::json;

/// The Python module's allocator (bindings-python/src/lib.rs): the batch's large columns are
/// allocated as they are there. The module's mimalloc is built with `no_thp` (no huge pages);
/// the benches' is not (the engine bench gains from them), so run this one with
/// `MIMALLOC_ALLOW_THP=0` to time it as the module runs (spec/batch.md, "Threads").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// SplitMix64: a small seeded generator, the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Columns {
    buyer: Vec<u32>,
    amount: Vec<i128>,
    date: Vec<i32>,
    terms: Vec<u32>,
    paid_on: Vec<i32>,
}

fn ledger(rows: usize, buyers: usize) -> Columns {
    let mut rng = Rng(42);
    let start = 20_454; // 2026-01-01
    let mut date: Vec<i32> = (0..rows).map(|_| start + rng.below(365) as i32).collect();
    date.sort_unstable();
    let terms_choice = [30u32, 45, 60, 60, 90, 150];
    let mut c = Columns {
        buyer: Vec::with_capacity(rows),
        amount: Vec::with_capacity(rows),
        date,
        terms: Vec::with_capacity(rows),
        paid_on: Vec::with_capacity(rows),
    };
    for i in 0..rows {
        c.buyer.push(rng.below(buyers as u64) as u32);
        c.amount.push(10_000 + i128::from(rng.below(1_990_000)));
        let terms = terms_choice[rng.below(6) as usize];
        c.terms.push(terms);
        let late = rng.below(10) == 0;
        c.paid_on.push(if late {
            c.date[i] + terms as i32 + 1 + rng.below(60) as i32
        } else {
            NO_DATE
        });
    }
    c
}

fn setup(buyers: usize, rows: usize) -> BatchSetupDto {
    let mut rng = Rng(7);
    let typical = (rows / buyers) as u64 * 10_050 * 72 / 365;
    let list: Vec<serde_json::Value> = (0..buyers)
        .map(|b| {
            let country = ["DE", "FR", "NL", "DK", "BE", "DE", "FR", "US"][rng.below(8) as usize];
            let buyer = json!({"legalName": format!("Buyer {b:05}"), "legalForm": "GmbH",
                "registrationNumber": format!("HRB {b:05}"), "country": country, "entityKind": "company"});
            let roll = rng.below(100);
            if roll < 80 {
                let granted = (typical / 2 + rng.below(typical.max(1))).max(1000) / 1000 * 1000;
                let mut events = vec![
                    json!({"type": "applied", "date": "2026-01-02", "paymentTermsDays": 60,
                        "requestedAmount": {"amount": granted.to_string(), "currency": "EUR"}}),
                    json!({"type": "granted", "date": "2026-01-05",
                        "amount": {"amount": granted.to_string(), "currency": "EUR"}}),
                ];
                let reduced = granted / 2000 * 1000;
                if roll < 15 && reduced > 0 && reduced < granted {
                    events.push(json!({"type": "reduced", "date": "2026-07-01",
                        "amount": {"amount": reduced.to_string(), "currency": "EUR"}}));
                }
                json!({"buyer": buyer, "limitEvents": events})
            } else {
                json!({"buyer": buyer, "selfAssessment": {"purchases": [
                    {"deliveryDate": "2026-01-10", "dueDate": "2026-03-10", "paidOn": "2026-03-08"},
                    {"deliveryDate": "2026-02-10", "dueDate": "2026-04-10", "paidOn": "2026-04-09"}]}})
            }
        })
        .collect();
    serde_json::from_value(json!({
        "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
            "agreedCountries": ["DE", "FR", "NL", "DK", "BE"], "maxCreditPeriodDays": 120,
            "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "5000000.00", "currency": "EUR"},
            "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
            "declarationDeadlineDays": 30, "selfAssessmentAgreed": true,
            "discretionaryLimit": {"amount": "20000", "currency": "EUR"},
            "creditChecksInsideDiscretionaryLimit": true},
        "buyers": list,
        "asOf": "2026-12-31"
    }))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("DELCREDERE_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let buyers = (rows / 50).clamp(1, 20_000);
    let columns = ledger(rows, buyers);
    let batch = Batch::new(&setup(buyers, rows)).unwrap();
    let ledger = Ledger {
        buyer: &columns.buyer,
        amount: &columns.amount,
        scale: 2,
        date: &columns.date,
        terms_days: &columns.terms,
        end_of_month: None,
        paid_on: Some(&columns.paid_on),
    };
    let mut group = c.benchmark_group("batch_cover");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_with_input(BenchmarkId::from_parameter(rows), &ledger, |b, l| {
        b.iter(|| batch.cover(black_box(l), Vec::new()).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("exposures", rows), &ledger, |b, l| {
        b.iter(|| batch.exposures(black_box(l), Vec::new()).unwrap())
    });
    // Split by buyer (`Batch::cover_in_threads`): 1 thread is `Batch::cover`; the threads
    // to time are `DELCREDERE_BENCH_THREADS` (comma-separated, default 2).
    // What a second thread of `Batch::cover_chunks` carries before its range: the state of
    // the first 5/9 of the rows (the share of the first thread of two when carrying costs a
    // fifth of the row pass). Against `batch_cover` over 5/9 of the rows.
    group.bench_with_input(BenchmarkId::new("carry", rows), &ledger, |b, l| {
        b.iter_custom(|times| batch.time_carry(black_box(l), rows * 5 / 9, times).unwrap())
    });
    let threads = std::env::var("DELCREDERE_BENCH_THREADS").unwrap_or_else(|_| "2".into());
    for t in threads.split(',').filter_map(|t| t.trim().parse::<usize>().ok()) {
        group.bench_with_input(BenchmarkId::new(format!("threads_{t}"), rows), &ledger, |b, l| {
            b.iter(|| batch.cover_chunks(black_box(l), Vec::new(), t).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
