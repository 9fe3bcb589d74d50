//! Insurability (BUY-1..5, PRM-4) through the typed Rust API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::{
    check_insurability, BuyerDto, Decision, Language, Outcome, Policy, PolicyDto, ReasonCode, ReceivableDto,
};

fn policy() -> Policy {
    let dto: PolicyDto = serde_json::from_value(serde_json::json!({
        "currency": "DKK",
        "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DK", "SE", "DE"],
        "maxCreditPeriodDays": 90,
        "maxExtensionPeriodDays": 30,
        "waitingPeriodDays": 180,
        "indemnityPercentage": "90",
        "maximumLiability": {"amount": "5000000", "currency": "DKK"},
        "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "DKK"}},
        "declarationDeadlineDays": 60
    }))
    .unwrap();
    dto.validate().unwrap()
}

fn buyer(kind: &str) -> BuyerDto {
    serde_json::from_value(serde_json::json!({
        "legalName": "Jensen Træ ApS", "legalForm": "ApS", "registrationNumber": "CVR 12345678",
        "country": "DK", "entityKind": kind
    }))
    .unwrap()
}

fn goods(days: u32) -> ReceivableDto {
    serde_json::from_value(serde_json::json!({"kind": "goods", "paymentTermsDays": days})).unwrap()
}

fn codes(d: &Decision) -> Vec<ReasonCode> {
    d.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn danish_company_with_cvr_number_is_insurable_buy_2_buy_4_buy_5() {
    let d = check_insurability(&policy(), &buyer("company"), &goods(60)).unwrap();
    assert_eq!(d.outcome, Outcome::Insurable);
    assert_eq!(codes(&d), [ReasonCode::IndependentCompany, ReasonCode::CountryAgreed]);
    let da = d.explain(Language::Da).unwrap();
    assert_eq!(da.summary, "Kan forsikres.");
    assert_eq!(da.messages[1].text, "Kundens land (DK) er et aftalt land i policen.");
}

#[test]
fn branch_is_insured_through_head_office_buy_2() {
    let d = check_insurability(&policy(), &buyer("branch"), &goods(60)).unwrap();
    assert_eq!(d.outcome, Outcome::InsurableThroughHeadOffice);
    assert_eq!(
        codes(&d),
        [ReasonCode::InsuredThroughHeadOffice, ReasonCode::CountryAgreed]
    );
}

#[test]
fn terms_one_day_over_the_max_credit_period_are_not_insurable_buy_3() {
    let d = check_insurability(&policy(), &buyer("company"), &goods(91)).unwrap();
    assert_eq!(d.outcome, Outcome::NotInsurable);
    assert_eq!(codes(&d), [ReasonCode::PaymentTermsExceedMaxCreditPeriod]);
    let r = &d.reasons[0];
    assert_eq!(r.rule, "BUY-3");
    assert_eq!(r.params["paymentTermsDays"].to_string(), "91");
    assert_eq!(r.params["maxCreditPeriodDays"].to_string(), "90");
    assert_eq!(
        d.explain(Language::De).unwrap().messages[0].text,
        "Das Zahlungsziel von 91 Tagen überschreitet das höchstzulässige Zahlungsziel von 90 Tagen."
    );
    let at_max = check_insurability(&policy(), &buyer("company"), &goods(90)).unwrap();
    assert_eq!(at_max.outcome, Outcome::Insurable);
}

#[test]
fn public_body_affiliate_and_unagreed_country_all_block_buy_3_buy_4() {
    let mut b = buyer("publicBody");
    b.insured_holds_majority = true;
    b.country = "NO".into();
    let d = check_insurability(&policy(), &b, &goods(30)).unwrap();
    assert_eq!(d.outcome, Outcome::NotInsurable);
    assert_eq!(
        codes(&d),
        [
            ReasonCode::PublicBody,
            ReasonCode::Affiliate,
            ReasonCode::CountryNotAgreed
        ]
    );
}

#[test]
fn vat_number_alone_gives_a_warning_not_a_refusal_buy_5() {
    let mut b = buyer("company");
    b.registration_number = None;
    b.vat_number = Some("DK12345678".into());
    let d = check_insurability(&policy(), &b, &goods(30)).unwrap();
    assert_eq!(d.outcome, Outcome::Insurable);
    assert_eq!(codes(&d).last(), Some(&ReasonCode::IdentifiedByVatOnly));
}

#[test]
fn payer_other_than_recipient_is_explained_buy_1() {
    let mut r = goods(30);
    r.payer = Some(serde_json::from_value(serde_json::json!({"legalName": "Jensen Holding A/S"})).unwrap());
    let d = check_insurability(&policy(), &buyer("company"), &r).unwrap();
    assert_eq!(codes(&d)[0], ReasonCode::CoverFollowsRecipient);
    assert_eq!(
        d.explain(Language::En).unwrap().messages[0].text,
        "Cover is assessed for Jensen Træ ApS, who receives the goods or services, not for the payer Jensen Holding A/S."
    );
}

#[test]
fn unknown_country_is_an_error_not_a_decision_buy_4() {
    let mut b = buyer("company");
    b.country = "XK".into();
    let err = check_insurability(&policy(), &b, &goods(30)).unwrap_err();
    assert_eq!(err.code(), "unknown_country");
    assert_eq!(err.to_string(), "buyer.country: unknown country code 'XK'");
}
