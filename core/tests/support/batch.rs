//! What the batch's test files share (`core/tests/batch.rs`, `core/tests/batch_engine.rs`): the
//! policy their buyers are insured under, a buyer and an amount in JSON, the date they look at,
//! and a ledger's columns with their [`Ledger`] view. Included with `#[path]` by each.

#![allow(dead_code)]

use delcredere::batch::Ledger;
use serde_json::{json, Value};

/// A German-style turnover policy from 1 January 2026 with self-assessment up to 20,000 EUR.
pub fn policy() -> Value {
    json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DE", "FR", "NL", "DK", "BE"], "maxCreditPeriodDays": 120,
        "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000.00", "currency": "EUR"},
        "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
        "declarationDeadlineDays": 30, "selfAssessmentAgreed": true,
        "discretionaryLimit": {"amount": "20000", "currency": "EUR"}, "creditChecksInsideDiscretionaryLimit": true})
}

pub fn buyer(name: &str, country: &str) -> Value {
    json!({"legalName": name, "legalForm": "GmbH", "registrationNumber": "HRB 1", "country": country, "entityKind": "company"})
}

pub fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

pub const AS_OF: &str = "2026-10-01";

/// A ledger's columns (amounts in cents).
pub struct Rows {
    pub buyer: Vec<u32>,
    pub amount: Vec<i128>,
    pub date: Vec<i32>,
    pub terms: Vec<u32>,
    pub eom: Vec<bool>,
    pub paid: Vec<i32>,
}

impl Rows {
    pub fn empty() -> Rows {
        Rows {
            buyer: vec![],
            amount: vec![],
            date: vec![],
            terms: vec![],
            eom: vec![],
            paid: vec![],
        }
    }
}

pub fn view(rows: &Rows) -> Ledger<'_> {
    Ledger {
        buyer: &rows.buyer,
        amount: &rows.amount,
        scale: 2,
        date: &rows.date,
        terms_days: &rows.terms,
        end_of_month: Some(&rows.eom),
        paid_on: Some(&rows.paid),
    }
}
