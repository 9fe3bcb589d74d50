//! `validate_turnover_declaration` (PRM-3..5): a clean three-country declaration (no
//! findings) and a three-section one with a copied and an empty section (PRM-5 findings,
//! rendered in English). Run: `cargo bench -p delcredere --bench declaration`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod vectors;

use criterion::{criterion_group, criterion_main, Criterion};
use delcredere::declaration::{validate_turnover_declaration, ValidateTurnoverDeclarationInput};

const PRM_3_5: &str = include_str!("../spec/vectors/premium/prm-3-5.json");

fn bench(c: &mut Criterion) {
    for (name, id) in [
        ("clean", "prm-3-correct-declaration-has-no-findings"),
        ("copied_and_empty_section", "prm-5-second-section-copied-third-empty"),
    ] {
        vectors::bench_op(
            c,
            "validate_turnover_declaration",
            name,
            PRM_3_5,
            id,
            |input: &ValidateTurnoverDeclarationInput| validate_turnover_declaration(input),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
