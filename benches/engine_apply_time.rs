//! Where the time of `engine/apply_1m_events` goes (issue #23): the same 1,000,000 events
//! (10,000 buyers × 100, date order, buyers interleaved; `benches/support/events.rs`) applied
//! one by one to a fresh engine, round after round in one process, each round's wall time split
//! into the process's user and system time and its minor page faults (from `/proc/self/stat`:
//! Linux only; elsewhere the wall time alone). The engine and the events of a round are made
//! before its timing; the engine is dropped after it, as criterion's `iter_batched` does.
//!
//! User time is the engine's own work. System time is the kernel backing the memory the engine
//! grows into (about 200 MB here): each page faulted in and zeroed, more when the allocator
//! asks for huge pages and the system has to assemble them. A process that keeps its memory
//! (mimalloc's `MIMALLOC_PURGE_DELAY=-1`) pays it in the first round only; criterion's median
//! includes whatever the rounds pay. Under mimalloc, as `benches/engine.rs`:
//!
//! ```sh
//! cargo bench -p delcredere --bench engine_apply_time -- 8
//! MIMALLOC_ALLOW_THP=0 cargo bench -p delcredere --bench engine_apply_time -- 8
//! MIMALLOC_PURGE_DELAY=-1 cargo bench -p delcredere --bench engine_apply_time -- 8
//! ```
//!
//! The argument is the number of rounds (default 6). Figures: spec/engine.md, "Speed".

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use delcredere::account::AccountEventDto;

/// The Python module's allocator (bindings-python/src/lib.rs), as `benches/engine.rs` has it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[path = "support/engine_body.rs"]
mod body;
#[path = "support/events.rs"]
mod events;

/// The process's user and system time in clock ticks (1/100 s on Linux) and its minor page
/// faults so far, or `None` where `/proc/self/stat` cannot be read.
fn usage() -> Option<(u64, u64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which ends at the last ')'): state is field 3.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some((field(14)?, field(15)?, field(10)?))
}

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(6);
    let logs: Vec<Vec<AccountEventDto>> = (0..body::BUYERS).map(events::buyer_events).collect();
    let feed = body::interleaved(&logs);
    println!(
        "{} events, {} buyers, interleaved; {rounds} rounds",
        feed.len(),
        body::BUYERS
    );
    println!("| round | wall | user | system | minor faults |");
    println!("|---:|---:|---:|---:|---:|");
    for round in 1..=rounds {
        let mut engine = body::empty_engine(body::BUYERS);
        let events = feed.clone();
        let before = usage();
        let start = Instant::now();
        for e in events {
            engine.apply(e.buyer.as_str(), e.event).unwrap();
        }
        let wall = start.elapsed().as_secs_f64();
        match (before, usage()) {
            (Some((u0, s0, f0)), Some((u1, s1, f1))) => println!(
                "| {round} | {wall:.3} s | {:.2} s | {:.2} s | {} |",
                (u1 - u0) as f64 / 100.0,
                (s1 - s0) as f64 / 100.0,
                f1 - f0
            ),
            _ => println!("| {round} | {wall:.3} s | — | — | — |"),
        }
        drop(std::hint::black_box(engine));
    }
}
