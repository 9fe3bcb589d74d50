//! Quickstart: validate a policy, check two buyers, explain the answers in two languages.
//! Run with `cargo run --example quickstart`.

use delcredere::ffi::{call_json, Input};

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

fn main() -> Result<(), delcredere::Error> {
    println!(
        "validate_policy: {}",
        call_json("validate_policy", &format!(r#"{{"policy": {POLICY}}}"#))?
    );
    let buyers = [
        r#"{"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH", "registrationNumber": "HRB 12345", "country": "DE", "entityKind": "company"}"#,
        r#"{"legalName": "Ville de Lyon", "country": "FR", "entityKind": "publicBody", "vatNumber": "FR12345678901"}"#,
    ];
    for buyer in buyers {
        let input = format!(
            r#"{{"policy": {POLICY}, "buyer": {buyer}, "receivable": {{"kind": "goods", "paymentTermsDays": 60}}}}"#
        );
        let decision = call_json("check_insurability", &input)?;
        println!("\ncheck_insurability: {decision}");
        for lang in ["en", "de"] {
            let explained = delcredere::ffi::call(
                "explain",
                Input::Json(&format!(r#"{{"decision": {decision}, "lang": "{lang}"}}"#)),
            )?;
            if let delcredere::ffi::Output::Explanation(e) = explained {
                println!("[{lang}] {}", e.summary);
                for m in e.messages {
                    println!("  - {} ({}): {}", m.code, m.rule, m.text);
                }
            }
        }
    }
    let bad = format!(
        r#"{{"policy": {POLICY}, "buyer": {{"legalName": "X", "country": "ZZ", "entityKind": "company"}}, "receivable": {{"kind": "goods", "paymentTermsDays": 60}}}}"#
    );
    match call_json("check_insurability", &bad) {
        Err(e) => println!("\nbad input -> error {}: {e}", e.code()),
        Ok(out) => println!("\nunexpected: {out}"),
    }
    Ok(())
}
