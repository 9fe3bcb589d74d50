//! The engine benches' body, run by `benches/engine.rs` (under mimalloc) and
//! `benches/engine_system_alloc.rs` (under the C library's allocator): see `benches/engine.rs`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion};
use delcredere::account::AccountEventDto;
use delcredere::cover::DeliveryOrderDto;
use delcredere::engine::{BuyerEventDto, Engine, EngineBuyerDto, EngineSetupDto};
use serde_json::json;

/// Buyers of the engine the benches build.
pub const BUYERS: usize = 10_000;

use super::events::{buyer, buyer_events, day, money, policy};

/// The key of buyer `n`.
pub fn key(n: usize) -> String {
    format!("D-{n:05}")
}

/// Every event of every buyer of `logs` in date order, buyers interleaved (stable: each
/// buyer's own order kept), as they happen.
pub fn interleaved(logs: &[Vec<AccountEventDto>]) -> Vec<BuyerEventDto> {
    let mut feed: Vec<BuyerEventDto> = logs
        .iter()
        .enumerate()
        .flat_map(|(b, events)| {
            events.iter().map(move |e| BuyerEventDto {
                buyer: key(b),
                event: e.clone(),
            })
        })
        .collect();
    feed.sort_by_key(|e| e.event.date());
    feed
}

/// An engine of the benches' policy and `buyers` buyers, without events.
pub fn empty_engine(buyers: usize) -> Engine {
    let mut engine = Engine::new(&policy()).unwrap();
    for b in 0..buyers {
        engine.add_buyer(&key(b), buyer(b)).unwrap();
    }
    engine
}

/// The benches, named `{bench}/...`: `engine` under mimalloc, `engine_system_alloc` under the C
/// library's allocator, so that criterion keeps each one's history apart.
pub fn bench(c: &mut Criterion, bench: &str) {
    let logs: Vec<Vec<AccountEventDto>> = (0..BUYERS).map(buyer_events).collect();
    let setup = EngineSetupDto {
        policy: policy(),
        buyers: logs
            .iter()
            .enumerate()
            .map(|(b, events)| EngineBuyerDto {
                id: key(b),
                buyer: buyer(b),
                events: events.clone(),
            })
            .collect(),
    };
    let engine = Engine::load(setup.clone()).unwrap();
    let feed = interleaved(&logs);
    let mut by_buyer = feed.clone();
    by_buyer.sort_by(|a, b| a.buyer.cmp(&b.buyer)); // stable: each buyer's events in date order

    // A prepared cover check: 2026-06-15, the buyer owes its open invoices.
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let delivery: DeliveryOrderDto =
        serde_json::from_value(json!({"amount": {"amount": "10000.00", "currency": "EUR"},
        "date": "2026-06-15", "paymentTermsDays": 60}))
        .unwrap();
    let planned = engine.planned(&delivery).unwrap();
    let id = engine.buyer_id(&key(4242)).unwrap();
    let name = key(4242);
    let figures = engine.cover_figures(id, &planned, as_of).unwrap();
    eprintln!(
        "cover check: outstanding {}, covered {}, uncovered {}",
        engine.outstanding(id, as_of).unwrap().amount,
        figures.covered.amount,
        figures.uncovered.amount
    );
    c.bench_function(&format!("{bench}/cover_figures"), |b| {
        b.iter(|| {
            engine
                .cover_figures(black_box(id), black_box(&planned), black_box(as_of))
                .unwrap()
        })
    });
    c.bench_function(&format!("{bench}/cover_figures_by_key"), |b| {
        b.iter(|| {
            engine
                .cover_figures(black_box(name.as_str()), black_box(&planned), black_box(as_of))
                .unwrap()
        })
    });
    // The same check as a binding's general way makes it (method `cover_figures` by name):
    // JSON text in, JSON text out. The like-for-like native figure for the WASM build's
    // `Engine.coverFigures` (JS objects in and out; benches/wasm/engine_cover.mjs).
    let input = json!({"buyer": name, "delivery": {"amount": {"amount": "10000.00", "currency": "EUR"},
        "date": "2026-06-15", "paymentTermsDays": 60}, "asOf": "2026-06-15"})
    .to_string();
    c.bench_function(&format!("{bench}/cover_figures_json"), |b| {
        b.iter(|| {
            let out = engine.query("cover_figures", black_box(input.as_str())).unwrap();
            serde_json::to_string(&out).unwrap()
        })
    });
    c.bench_function(&format!("{bench}/check_cover"), |b| {
        b.iter(|| {
            engine
                .check_cover(black_box(id), black_box(&delivery), black_box(as_of))
                .unwrap()
        })
    });

    // One invoice applied to a buyer whose log grows, amortized over chunks of 20,000
    // invoices, each chunk on a fresh engine (built and its events made outside the timing).
    const CHUNK: u64 = 20_000;
    c.bench_function(&format!("{bench}/apply_invoice"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                let n = CHUNK.min(iters - done);
                let mut engine = empty_engine(1);
                for e in buyer_events(0).into_iter().take(2) {
                    engine.apply("D-00000", e).unwrap();
                }
                let invoices: Vec<AccountEventDto> = (0..n)
                    .map(|k| AccountEventDto::InvoiceIssued {
                        id: format!("i{k}"),
                        date: day(2 + k / 100),
                        reference: format!("INV-{k}"),
                        amount: money(100_000 + (k as i64 % 1000)),
                        due_date: None,
                        payment_terms_days: Some(30),
                        end_of_month: false,
                    })
                    .collect();
                let start = Instant::now();
                for e in invoices {
                    engine.apply("D-00000", e).unwrap();
                }
                total += start.elapsed();
                done += n;
                drop(black_box(engine));
            }
            total
        })
    });

    let mut group = c.benchmark_group(bench);
    group.sample_size(10);
    for (id, events) in [
        ("apply_1m_events", &feed),
        ("apply_1m_events_buyer_by_buyer", &by_buyer),
    ] {
        group.bench_function(id, |b| {
            b.iter_batched(
                || (empty_engine(BUYERS), events.clone()),
                |(mut engine, feed)| {
                    for e in feed {
                        engine.apply(e.buyer.as_str(), e.event).unwrap();
                    }
                    engine
                },
                BatchSize::PerIteration,
            )
        });
    }
    let snapshot = engine.snapshot().unwrap();
    eprintln!("snapshot of {BUYERS} buyers, 1M events: {} bytes", snapshot.len());
    group.bench_function("restore_1m_events", |b| {
        b.iter_with_large_drop(|| Engine::restore(black_box(&snapshot)).unwrap())
    });
    group.bench_function("snapshot_1m_events", |b| {
        b.iter_with_large_drop(|| engine.snapshot().unwrap())
    });
    let bytes = engine.snapshot_bytes().unwrap();
    eprintln!("binary snapshot of {BUYERS} buyers, 1M events: {} bytes", bytes.len());
    assert!(Engine::restore_bytes(&bytes).unwrap() == engine);
    group.bench_function("restore_bytes_1m_events", |b| {
        b.iter_with_large_drop(|| Engine::restore_bytes(black_box(&bytes)).unwrap())
    });
    group.bench_function("restore_bytes_1m_events_1_thread", |b| {
        b.iter_with_large_drop(|| Engine::restore_bytes_in_threads(black_box(&bytes), 1).unwrap())
    });
    group.bench_function("snapshot_bytes_1m_events", |b| {
        b.iter_with_large_drop(|| engine.snapshot_bytes().unwrap())
    });
    // The floor of any restore that builds the engine's state as it is held, whatever the
    // format: copying it (every log's events with their strings, every ledger, every index),
    // no reading, no checking. `logs` the events alone.
    group.bench_function("restore_floor_clone_1m_events", |b| {
        b.iter_with_large_drop(|| black_box(&engine).clone())
    });
    group.bench_function("restore_floor_clone_logs_1m_events", |b| {
        b.iter_with_large_drop(|| black_box(&logs).clone())
    });
    group.bench_function("load_1m_events", |b| {
        b.iter_batched(
            || setup.clone(),
            |setup| Engine::load(setup).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}
