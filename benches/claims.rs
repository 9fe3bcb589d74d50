//! `indemnity` (CLM-5, CLM-6): what a claim pays, line by line, on the conformance vectors'
//! worked example (three invoices, VAT, a payment, a credit note, a deductible, a prior
//! indemnity capping the payout at the remaining maximum liability).
//! Run: `cargo bench -p delcredere --bench claims`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod vectors;

use criterion::{criterion_group, criterion_main, Criterion};
use delcredere::claim::indemnity::{indemnity, IndemnityInput};

const INDEMNITY: &str = include_str!("../spec/vectors/claims/indemnity.json");

fn bench(c: &mut Criterion) {
    for (name, id) in [
        (
            "full_breakdown",
            "clm-5-breakdown-71400-less-11900-uncovered-1190-credit-9310-vat-9000-above-limit-1000-deductible-10pct-5100-above-max-liability-gives-30000",
        ),
        ("payment_pro_rata", "clm-6-payment-pro-rata-3000-over-6000-and-4000-gives-1800-and-1200"),
    ] {
        vectors::bench_op(c, "indemnity", name, INDEMNITY, id, |input: &IndemnityInput| indemnity(input));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
