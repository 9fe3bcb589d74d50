//! The cover check in Rust beside the same check through the C ABI (issue #24): timing loops
//! of the same shape as the C loop of `benches/c_abi/cover.c`, on the same engine (that of
//! `benches/engine.rs`: 10,000 buyers × 100 events), buyer 4242, 10,000.00 EUR on 2026-06-15
//! at 60 days, asked on 2026-06-15:
//!
//! - `rust/cover_figures`: `Engine::cover_figures` by `BuyerId` with the delivery typed once,
//!   what criterion's `engine/cover_figures` times;
//! - `rust/planned_parts+cover_figures`: the delivery typed from its parts on every call and
//!   the figures (covered, uncovered, limit) rounded to minor units: the C function's answer,
//!   in Rust;
//! - `c_abi/cover (from Rust)`: `delcredere_engine_cover` called through a function pointer.
//!
//! The three loops take turns in each round (a busy machine slows each alike). Run:
//! `cargo bench -p delcredere-c --bench c_abi -- [calls per round] [rounds]`;
//! `benches/c_abi/run.sh` runs it and the C loop one after the other.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use delcredere::engine::{Engine, EngineBuyerDto, EngineSetupDto};
use delcredere::{PaymentSecurity, ReceivableKind};
use delcredere_c::{
    delcredere_cover, delcredere_cover_type, delcredere_engine, delcredere_error, delcredere_overdue_effect,
    delcredere_status,
};
use serde_json::json;

/// Buyers in the engine: 10,000, or `$DELCREDERE_BENCH_BUYERS` (fewer, for a run under
/// callgrind; the buyer checked is then the last).
fn buyers() -> usize {
    std::env::var("DELCREDERE_BENCH_BUYERS")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(10_000)
}

#[path = "support/events.rs"]
mod events;
use events::{buyer, buyer_events, policy};

/// ns per call of one round of `calls` calls of `f` (not inlined: one symbol per loop, so that
/// callgrind can count each loop's instructions, `--toggle-collect='c_abi::round*'`).
#[inline(never)]
fn round(calls: u64, f: &mut impl FnMut() -> i64) -> f64 {
    let start = Instant::now();
    let mut sink = 0i64;
    for _ in 0..calls {
        sink = sink.wrapping_add(f());
    }
    black_box(sink);
    start.elapsed().as_nanos() as f64 / calls.max(1) as f64
}

/// The median of `rounds`, with the min and the max.
fn summary(mut per_call: Vec<f64>) -> (f64, f64, f64) {
    per_call.sort_by(f64::total_cmp);
    let n = per_call.len();
    (per_call[n / 2], per_call[0], per_call[n - 1])
}

fn main() {
    // `cargo bench` passes `--bench`; the numbers are the arguments that parse.
    let numbers: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let calls = numbers.first().copied().unwrap_or(2_000_000);
    let rounds = numbers.get(1).copied().unwrap_or(7) as usize;

    let setup = EngineSetupDto {
        policy: policy(),
        buyers: (0..buyers())
            .map(|b| EngineBuyerDto {
                id: format!("D-{b:05}"),
                buyer: buyer(b),
                events: buyer_events(b),
            })
            .collect(),
    };
    let engine = Engine::load(setup).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let delivery: delcredere::cover::DeliveryOrderDto = serde_json::from_value(
        json!({"amount": {"amount": "10000.00", "currency": "EUR"}, "date": "2026-06-15", "paymentTermsDays": 60}),
    )
    .unwrap();
    let planned = engine.planned(&delivery).unwrap();
    let id = engine.buyer_id(&format!("D-{:05}", 4242.min(buyers() - 1))).unwrap();
    let figures = engine.cover_figures(id, &planned, as_of).unwrap();
    eprintln!(
        "figures: covered {}, uncovered {}",
        figures.covered.amount, figures.uncovered.amount
    );

    let mut typed_once = || {
        let f = engine
            .cover_figures(black_box(id), black_box(&planned), black_box(as_of))
            .unwrap();
        f.covered.amount.mantissa() as i64
    };
    let amount = rust_decimal::Decimal::new(1_000_000, 2);
    let mut same_work = || {
        let planned = engine
            .planned_parts(
                black_box(amount),
                black_box(as_of),
                60,
                false,
                ReceivableKind::Goods,
                PaymentSecurity::OpenAccount,
            )
            .unwrap();
        let f = engine.cover_figures(black_box(id), &planned, black_box(as_of)).unwrap();
        // The same answer as the C function's: covered, uncovered and the limit in cents.
        let cents = |m: delcredere::Money| i64::try_from(m.rounded().amount.mantissa()).unwrap();
        let limit = f.limit.map_or(0, cents);
        cents(f.covered) + black_box(cents(f.uncovered)) + black_box(limit)
    };

    // The same engine behind a C handle.
    let snapshot = engine.snapshot().unwrap();
    let mut handle: *mut delcredere_engine = std::ptr::null_mut();
    // SAFETY: valid text and places.
    let status = unsafe {
        delcredere_c::delcredere_engine_restore(
            snapshot.as_ptr().cast(),
            snapshot.len(),
            &mut handle,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(status, delcredere_status::Ok);
    drop(snapshot);
    type CoverFn = unsafe extern "C" fn(
        *const delcredere_engine,
        u32,
        i64,
        u32,
        i32,
        u32,
        u32,
        u32,
        u32,
        i32,
        *mut delcredere_cover,
        *mut *mut delcredere_error,
    ) -> delcredere_status;
    let cover_fn: CoverFn = black_box(delcredere_c::delcredere_engine_cover);
    let day = (as_of - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32;
    let mut out = delcredere_cover {
        covered_minor: 0,
        uncovered_minor: 0,
        limit_minor: 0,
        scale: 0,
        has_limit: 0,
        cover_type: delcredere_cover_type::None,
        overdue: delcredere_overdue_effect::NoEffect,
    };
    let mut through_abi = || {
        // SAFETY: a live handle and a valid place for the figures.
        let status = unsafe {
            cover_fn(
                handle,
                id.index() as u32,
                1_000_000,
                2,
                day,
                60,
                0,
                0,
                0,
                day,
                &mut out,
                std::ptr::null_mut(),
            )
        };
        debug_assert_eq!(status, delcredere_status::Ok);
        out.covered_minor
    };

    // The three loops take turns in each round, so that a busy machine slows each alike.
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..rounds {
        times[0].push(round(calls, &mut typed_once));
        times[1].push(round(calls, &mut same_work));
        times[2].push(round(calls, &mut through_abi));
    }
    let names = [
        "rust/cover_figures (BuyerId, typed delivery)",
        "rust/planned_parts+cover_figures (the C function's work, in Rust)",
        "c_abi/cover (from Rust, through a function pointer)",
    ];
    for (name, per_call) in names.iter().zip(times) {
        let (median, min, max) = summary(per_call);
        println!("{name}: {median:.1} ns per call (median of {rounds} rounds of {calls}; min {min:.1}, max {max:.1})");
    }
    // SAFETY: a live handle, given back once.
    let status = unsafe { delcredere_c::delcredere_engine_free(handle) };
    assert_eq!(status, delcredere_status::Ok);
}
