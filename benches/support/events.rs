//! The engine and the events the account, engine and C ABI benches share: one policy, buyers
//! `Müller {n} GmbH`, and 100 events a buyer (a limit applied and granted, 49 invoices and 49
//! payments of the same amounts, 30 days later). Included with `#[path]` by each bench.
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use delcredere::account::AccountEventDto;
use delcredere::{BuyerDto, IsoDate, MoneyDto, PolicyDto};
use serde_json::json;

pub fn money(cents: i64) -> MoneyDto {
    MoneyDto {
        amount: delcredere::DecimalString(rust_decimal::Decimal::new(cents, 2)),
        currency: "EUR".into(),
    }
}

pub fn policy() -> PolicyDto {
    serde_json::from_value(json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
        "indemnityPercentage": "90", "maximumLiability": {"amount": "2000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
    .unwrap()
}

pub fn buyer(n: usize) -> BuyerDto {
    serde_json::from_value(json!({"legalName": format!("Müller {n} GmbH"), "legalForm": "GmbH",
        "registrationNumber": format!("HRB {n}"), "country": "DE", "entityKind": "company"}))
    .unwrap()
}

pub fn day(d: u64) -> IsoDate {
    IsoDate(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap() + Days::new(d))
}

/// 100 events of one buyer, as `benches/account.rs` has them: a limit applied and granted, 49
/// invoices and 49 payments of the same amounts, 30 days later.
pub fn buyer_events(seed: usize) -> Vec<AccountEventDto> {
    let mut events = vec![
        AccountEventDto::LimitApplied {
            id: "a".into(),
            date: day(0),
            requested_amount: money(5_000_000),
            payment_terms_days: 60,
        },
        AccountEventDto::LimitGranted {
            id: "g".into(),
            date: day(1),
            amount: money(5_000_000),
            until: None,
        },
    ];
    for k in 0..49u64 {
        let cents = 100_000 + ((seed as i64 * 7919 + k as i64 * 104_729) % 900_000);
        events.push(AccountEventDto::InvoiceIssued {
            id: format!("i{k}"),
            date: day(2 + k * 5),
            reference: format!("INV-{k}"),
            amount: money(cents),
            due_date: None,
            payment_terms_days: Some(30),
            end_of_month: false,
        });
        events.push(AccountEventDto::PaymentReceived {
            id: format!("p{k}"),
            date: day(2 + k * 5 + 30),
            amount: money(cents),
            allocation: None,
        });
    }
    events
}
