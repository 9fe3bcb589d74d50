//! Property-claims intake: `intake_order` (PCI-1) on an agency order opened by hand, and
//! `check_water_damage` (PCI-2) on a non-destructive leak detection in an owner-occupied flat.
//! Run: `cargo bench -p delcredere --bench property`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod vectors;

use criterion::{criterion_group, criterion_main, Criterion};
use delcredere::property::{check_water_damage, intake_order, CheckWaterDamageInput, IntakeOrderInput};

const INTAKE: &str = include_str!("../spec/vectors/property/intake.json");
const WATER_DAMAGE: &str = include_str!("../spec/vectors/property/water-damage.json");

fn bench(c: &mut Criterion) {
    vectors::bench_op(
        c,
        "intake_order",
        "agency_by_hand",
        INTAKE,
        "pci-1-agency-order-opened-by-hand-order-number-zero-agent-code",
        |input: &IntakeOrderInput| intake_order(&input.order),
    );
    vectors::bench_op(
        c,
        "check_water_damage",
        "leak_detection_flat",
        WATER_DAMAGE,
        "pci-2-non-destructive-leak-detection-for-owner-occupied-flat",
        |input: &CheckWaterDamageInput| check_water_damage(&input.claim),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
