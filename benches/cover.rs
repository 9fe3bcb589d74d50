//! `check_delivery_cover` on a prepared policy and buyer state (issue goal: under 200 ns per
//! call in Rust). Run: `cargo bench -p delcredere --bench cover`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use delcredere::cover::{CoverContext, DeliveryOrderDto};
use delcredere::ffi::call_json;
use delcredere::limit::LimitEventDto;
use delcredere::{BuyerDto, MoneyDto, PolicyDto};
use serde_json::json;

fn policy_json() -> serde_json::Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE", "FR"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}})
}

fn bench(c: &mut Criterion) {
    let policy: PolicyDto = serde_json::from_value(policy_json()).unwrap();
    let buyer: BuyerDto = serde_json::from_value(json!({"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
        "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}))
    .unwrap();
    let events: Vec<LimitEventDto> = serde_json::from_value(json!([
        {"type": "applied", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}]))
    .unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let context = CoverContext::new(&policy, buyer, &events, None, as_of).unwrap();
    let outstanding: MoneyDto = serde_json::from_value(json!({"amount": "45000.00", "currency": "EUR"})).unwrap();
    let delivery: DeliveryOrderDto =
        serde_json::from_value(json!({"amount": {"amount": "10000.00", "currency": "EUR"},
        "date": "2026-03-01", "paymentTermsDays": 60}))
        .unwrap();

    c.bench_function("check_delivery_cover/prepared_decision", |b| {
        b.iter(|| context.check(black_box(&outstanding), black_box(&delivery)).unwrap())
    });
    let planned = context.planned(&delivery).unwrap();
    let owed = outstanding.to_money("outstanding").unwrap();
    c.bench_function("check_delivery_cover/prepared_figures", |b| {
        b.iter(|| context.figures(black_box(owed), black_box(&planned)).unwrap())
    });
    let input = json!({"policy": policy_json(), "buyer": {"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
        "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"},
        "outstanding": {"amount": "45000.00", "currency": "EUR"},
        "delivery": {"amount": {"amount": "10000.00", "currency": "EUR"}, "date": "2026-03-01", "paymentTermsDays": 60},
        "limitEvents": events, "asOf": "2026-03-01"})
    .to_string();
    c.bench_function("check_delivery_cover/json_end_to_end", |b| {
        b.iter(|| call_json("check_delivery_cover", black_box(&input)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
