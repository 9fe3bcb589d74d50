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

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use delcredere::ffi::call_json;
use delcredere::property::{check_water_damage, intake_order, CheckWaterDamageInput, IntakeOrderInput};

const INTAKE: &str = include_str!("../spec/vectors/property/intake.json");
const WATER_DAMAGE: &str = include_str!("../spec/vectors/property/water-damage.json");

fn bench(c: &mut Criterion) {
    let (value, expect) = vectors::case(INTAKE, "pci-1-agency-order-opened-by-hand-order-number-zero-agent-code");
    let input: IntakeOrderInput = serde_json::from_value(value.clone()).unwrap();
    vectors::check(&intake_order(&input.order).unwrap(), &expect);
    c.bench_function("intake_order/agency_by_hand/typed", |b| {
        b.iter(|| intake_order(black_box(&input.order)).unwrap())
    });
    let text = value.to_string();
    c.bench_function("intake_order/agency_by_hand/json_end_to_end", |b| {
        b.iter(|| call_json("intake_order", black_box(&text)).unwrap())
    });

    let (value, expect) = vectors::case(
        WATER_DAMAGE,
        "pci-2-non-destructive-leak-detection-for-owner-occupied-flat",
    );
    let input: CheckWaterDamageInput = serde_json::from_value(value.clone()).unwrap();
    vectors::check(&check_water_damage(&input.claim).unwrap(), &expect);
    c.bench_function("check_water_damage/leak_detection_flat/typed", |b| {
        b.iter(|| check_water_damage(black_box(&input.claim)).unwrap())
    });
    let text = value.to_string();
    c.bench_function("check_water_damage/leak_detection_flat/json_end_to_end", |b| {
        b.iter(|| call_json("check_water_damage", black_box(&text)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
