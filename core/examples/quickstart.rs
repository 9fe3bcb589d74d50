//! Quickstart: two buyers checked for insurability, then the built-in sample year
//! (`delcredere::sample::year()`) replayed: the cover of each buyer and the worklist on a few
//! dates. Run with `cargo run --example quickstart`. `core/tests/quickstart.rs` checks the
//! figures it prints.

use std::fmt::Write as _;

use delcredere::account::{obligations, Account, ObligationStatus, ObligationsInput};
use delcredere::cover::CoverType;
use delcredere::decision::Details;
use delcredere::ffi::call_json;
use delcredere::{Decision, Error, Language, MoneyDto, Param, ReasonCode};

const POLICY: &str = r#"{
  "currency": "EUR",
  "insuranceYear": {"start": "2026-01-01"},
  "agreedCountries": ["DE", "FR", "NL", "DK"],
  "maxCreditPeriodDays": 120,
  "maxExtensionPeriodDays": 60,
  "waitingPeriodDays": 180,
  "indemnityPercentage": "90",
  "maximumLiability": {"amount": "2000000.00", "currency": "EUR"},
  "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
  "declarationDeadlineDays": 30
}"#;

fn main() -> Result<(), Error> {
    print!("{}", insurability()?);
    print!("{}", sample_year()?);
    Ok(())
}

/// Two buyers checked for insurability (BUY-1..5), the answers explained in English and German.
pub fn insurability() -> Result<String, Error> {
    let mut out = String::new();
    let buyers = [
        r#"{"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH", "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}"#,
        r#"{"legalName": "Ville de Lyon", "country": "FR", "entityKind": "publicBody", "vatNumber": "FR12345678901"}"#,
    ];
    for buyer in buyers {
        let input = format!(
            r#"{{"policy": {POLICY}, "buyer": {buyer}, "receivable": {{"kind": "goods", "paymentTermsDays": 60}}}}"#
        );
        let decision: Decision = json(&call_json("check_insurability", &input)?)?;
        for lang in [Language::En, Language::De] {
            let explained = decision.explain(lang)?;
            let _ = writeln!(out, "[{}] {}", lang.code(), explained.summary);
            for m in explained.messages {
                let _ = writeln!(out, "  - {} ({}): {}", m.code.as_str(), m.rule, m.text);
            }
        }
    }
    let bad = format!(
        r#"{{"policy": {POLICY}, "buyer": {{"legalName": "X", "country": "ZZ", "entityKind": "company"}}, "receivable": {{"kind": "goods", "paymentTermsDays": 60}}}}"#
    );
    if let Err(e) = call_json("check_insurability", &bad) {
        let _ = writeln!(out, "bad input -> error {}: {e}", e.code());
    }
    Ok(out)
}

/// The sample year 2026: on each of its dates, every buyer's cover (ACC: outstanding, covered
/// and uncovered exposure, what changed) and the open duties of the worklist, with the
/// number already done.
pub fn sample_year() -> Result<String, Error> {
    let year = delcredere::sample::year()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nSample year 2026: {} buyers, {} events (delcredere::sample::year())",
        year.accounts.len(),
        year.accounts.iter().map(|a| a.events.len()).sum::<usize>()
    );
    let accounts = year
        .accounts
        .iter()
        .map(|a| Account::replay(&year.policy, &a.events))
        .collect::<Result<Vec<_>, _>>()?;
    for date in &year.dates {
        let _ = writeln!(
            out,
            "\n{:<27} {:<16} {:>10} {:>11} {:>12}",
            date.0.to_string(),
            "cover",
            "owed",
            "covered",
            "not covered"
        );
        for (dto, account) in year.accounts.iter().zip(&accounts) {
            let state = account.state_at(&year.policy, &dto.buyer, date.0)?;
            let _ = writeln!(out, "  {}", cover_line(&dto.buyer.legal_name, &state));
        }
        let list = obligations(&ObligationsInput {
            policy: year.policy.clone(),
            accounts: year.accounts.clone(),
            as_of: *date,
            lang: Some("en".into()),
        })?;
        let Some(Details::Obligations { obligations: list }) = list.details else {
            continue;
        };
        let done = list.iter().filter(|o| o.status == ObligationStatus::Done).count();
        match list.len() - done {
            0 => writeln!(out, "  to do: nothing open ({done} done)"),
            open => writeln!(out, "  to do: {open} open ({done} done)"),
        }
        .unwrap_or_default();
        for o in list.iter().filter(|o| o.status != ObligationStatus::Done) {
            let status = serde_json::to_value(o.status).map_err(|e| Error::Internal { detail: e.to_string() })?;
            let _ = writeln!(
                out,
                "    {} {:<8} {:<5} {}: {}",
                o.due_date.0,
                status.as_str().unwrap_or_default(),
                o.rule,
                o.buyer.as_deref().unwrap_or_default(),
                o.message.as_deref().unwrap_or_default()
            );
        }
    }
    Ok(out)
}

/// One buyer's cover on a date: the cover it has, what it owes, the covered and uncovered
/// parts, and what the reasons say changed (a withdrawal, an exclusion, an insured event).
fn cover_line(buyer: &str, state: &Decision) -> String {
    let amount = |key: &str| state.amounts.get(key).map(figure).unwrap_or_default();
    let cover = match &state.details {
        Some(Details::Account(a)) => match a.cover_type {
            CoverType::NamedLimit => format!("limit {}", amount("limit")),
            CoverType::SelfAssessed => "self-assessed".to_owned(),
            CoverType::Automatic => "automatic".to_owned(),
            CoverType::None => "none".to_owned(),
        },
        _ => String::new(),
    };
    let param = |p: Option<&Param>| p.map(|p| p.to_string()).unwrap_or_default();
    let notes: Vec<String> = state
        .reasons
        .iter()
        .filter_map(|r| match r.code {
            ReasonCode::LimitWithdrawalPending => Some(format!("withdrawn, from {}", param(r.params.get("effective")))),
            ReasonCode::LimitWithdrawn => Some(format!("limit withdrawn {}", param(r.params.get("effective")))),
            ReasonCode::AccountDeliveriesExcluded => Some(format!("excluded since {}", param(r.params.get("since")))),
            ReasonCode::AccountProtractedDefault => Some(format!("protracted default {}", param(r.params.get("date")))),
            ReasonCode::AccountInsolvencyOpened => Some(format!("insolvency {}", param(r.params.get("date")))),
            _ => None,
        })
        .collect();
    format!(
        "{buyer:<25} {cover:<16} {:>10} {:>11} {:>12}  {}",
        amount("outstanding"),
        amount("coveredExposure"),
        amount("uncoveredExposure"),
        notes.join("; ")
    )
    .trim_end()
    .to_owned()
}

/// `25000.00` as `25,000.00`.
fn figure(m: &MoneyDto) -> String {
    let text = m.amount.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| Error::Internal { detail: e.to_string() })
}
