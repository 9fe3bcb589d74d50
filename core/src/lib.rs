//! # delcredere
//!
//! An embeddable rules engine for trade credit insurance. A seller insures its receivables:
//! the insurer sets a credit limit per buyer, the seller may self-assess small buyers, must
//! report overdues in time, declares its turnover for the premium, and is paid an indemnity
//! when a buyer goes insolvent or does not pay. This crate answers those questions from a
//! policy's terms, exactly (decimal money, explicit dates), and explains each answer with the
//! rule it applied (rule IDs from `spec/rules.md`) in English, German, French, Dutch and Danish.
//!
//! ```
//! use delcredere::ffi::{call_json};
//! let out = call_json("check_insurability", r#"{
//!   "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
//!     "agreedCountries": ["DE", "FR"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
//!     "waitingPeriodDays": 180, "indemnityPercentage": "90",
//!     "maximumLiability": {"amount": "1000000", "currency": "EUR"},
//!     "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
//!   "buyer": {"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
//!     "registrationNumber": "HRB 12345", "country": "US", "entityKind": "company"},
//!   "receivable": {"kind": "goods", "paymentTermsDays": 60}
//! }"#).unwrap();
//! assert!(out.starts_with(r#"{"outcome":"not_insurable""#));
//! ```
//!
//! The bindings (Python, WebAssembly) call [`ffi::call`]; Rust users may call the typed
//! functions directly ([`PolicyDto::validate`], [`check_insurability`], [`Decision::explain`]).

/// The repository's README, whose Rust code blocks run as doc tests (`cargo test -p delcredere
/// --doc`), so that they cannot drift from the crate (scripts/readme_snippets.py runs its Python
/// and JS blocks). In the source tree only: the packaged crate's README sits elsewhere.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub mod account;
pub mod batch;
pub mod buyer;
pub mod calendar;
pub mod claim;
pub mod collection;
pub mod country;
pub mod cover;
pub mod decision;
pub mod declaration;
pub mod discretionary;
pub mod engine;
pub mod error;
pub mod exposure;
pub mod ffi;
pub mod form;
pub mod i18n;
pub mod limit;
pub mod money;
pub mod overdue;
pub mod policy;
pub mod premium;
pub mod property;
pub mod sample;
mod serde_error;

pub use buyer::{check_insurability, BuyerDto, EntityKind, PaymentSecurity, ReceivableDto, ReceivableKind};
pub use calendar::{DayCount, IsoDate, PaymentTerms};
pub use country::Country;
pub use decision::{Decision, Explanation, Outcome, Param, Reason, ReasonCode};
pub use error::{Error, Problem};
pub use i18n::Language;
pub use money::{Currency, DecimalString, Money, MoneyDto, Percent};
pub use policy::{Policy, PolicyDto};
