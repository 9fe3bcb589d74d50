//! The duties the account's events give (ACC): apply for a limit before a delivery that needs one
//! (LIM-7) or for more when the projected peak exceeds the limit (LIM-6, EXP-1); notify a
//! circumstance at once or ask consent before an agreement, by cover kind (OVD-7..9, the matrix
//! of op `notification_duty`); report on the insurer's extra reporting dates (OVD-6); the
//! settlement of a dispute needs consent first (OVD-8, COL-4). Exact figures, worked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::account::{obligation_message, Account, AccountEventDto, Obligation, ObligationKind, ObligationStatus};
use delcredere::overdue::duty::{notification_duty, EventKind, NotificationDutyInput};
use delcredere::overdue::CoverKind;
use delcredere::{BuyerDto, Language, PolicyDto};
use serde_json::{json, Value};

fn money(amount: &str, currency: &str) -> Value {
    json!({"amount": amount, "currency": currency})
}

/// (DK) neither self-assessment nor automatic cover: every buyer needs a named limit.
fn dk() -> PolicyDto {
    serde_json::from_value(json!({"currency": "DKK", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["DK", "DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
        "waitingPeriodDays": 180, "indemnityPercentage": "90", "maximumLiability": money("10000000", "DKK"),
        "premium": {"basis": "fixed", "fixedAmount": money("40000", "DKK")}}))
    .unwrap()
}

/// (CH) self-assessment with a discretionary limit of 20,000.
fn ch() -> PolicyDto {
    let mut p = serde_json::to_value(dk()).unwrap();
    p["currency"] = json!("DKK");
    p["selfAssessmentAgreed"] = json!(true);
    p["discretionaryLimit"] = money("20000", "DKK");
    serde_json::from_value(p).unwrap()
}

fn buyer() -> BuyerDto {
    serde_json::from_value(json!({"legalName": "Aalborg Træ ApS", "legalForm": "ApS",
        "registrationNumber": "CVR 12345678", "country": "DK", "entityKind": "company"}))
    .unwrap()
}

fn events(list: Value) -> Vec<AccountEventDto> {
    serde_json::from_value(list).unwrap()
}

fn plan(id: &str, reference: &str, delivery: &str, amount: &str, days: u32) -> Value {
    json!({"type": "deliveryPlanned", "id": id, "date": "2026-03-01", "reference": reference,
        "deliveryDate": delivery, "amount": money(amount, "DKK"), "paymentTermsDays": days})
}

/// The Danish guide's example (EXP-1): 150,000, 150,000 and 100,000 DKK on 16 March, 15 April
/// and 15 May, 90-day terms, paid on time: 400,000 owed on 15 May.
fn seed() -> Vec<Value> {
    vec![
        plan("p1", "F-1", "2026-03-16", "150000", 90),
        plan("p2", "F-2", "2026-04-15", "150000", 90),
        plan("p3", "F-3", "2026-05-15", "100000", 90),
    ]
}

fn worklist(policy: &PolicyDto, buyer: &BuyerDto, list: Vec<Value>, as_of: &str) -> Vec<Obligation> {
    let account = Account::replay(policy, &events(Value::Array(list))).unwrap();
    account.obligations(policy, buyer, as_of.parse().unwrap()).unwrap()
}

fn of_kind(list: &[Obligation], kind: ObligationKind) -> Vec<&Obligation> {
    list.iter().filter(|o| o.kind == kind).collect()
}

#[test]
fn the_first_delivery_to_a_new_buyer_needs_a_limit_for_the_projected_peak_lim_7_exp_1() {
    let list = worklist(&dk(), &buyer(), seed(), "2026-03-05");
    assert_eq!(list.len(), 1);
    let duty = &list[0];
    assert_eq!(
        (duty.kind, duty.rule.as_str()),
        (ObligationKind::ApplyForLimit, "LIM-7")
    );
    assert_eq!(duty.due_date.0.to_string(), "2026-03-16");
    assert_eq!(duty.status, ObligationStatus::Upcoming);
    assert_eq!(duty.amount.as_ref().unwrap().amount.to_string(), "400000.00");
    assert_eq!(duty.peak_date.unwrap().0.to_string(), "2026-05-15");
    assert_eq!(duty.reference.as_deref(), Some("F-1"));
    assert_eq!(
        obligation_message(duty, Language::En).unwrap(),
        "Apply for a credit limit by 2026-03-16, before delivery F-1: the buyer has no limit and the policy does \
         not cover it without one; the projected peak outstanding is 400,000.00 DKK, on 2026-05-15."
    );
}

#[test]
fn an_application_after_the_delivery_still_ends_the_duty_late_lim_7() {
    let mut list = seed();
    list.push(
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-16", "reference": "F-1",
        "amount": money("150000", "DKK"), "paymentTermsDays": 90}),
    );
    let before = worklist(&dk(), &buyer(), list.clone(), "2026-03-20");
    assert_eq!(before[0].status, ObligationStatus::Overdue);
    list.push(json!({"type": "limitApplied", "id": "a1", "date": "2026-03-18",
        "requestedAmount": money("400000", "DKK"), "paymentTermsDays": 90}));
    let after = worklist(&dk(), &buyer(), list, "2026-03-20");
    assert_eq!(after[0].kind, ObligationKind::ApplyForLimit);
    assert_eq!(after[0].due_date.0.to_string(), "2026-03-16");
    assert_eq!(after[0].status, ObligationStatus::Done);
}

#[test]
fn no_application_is_due_for_a_buyer_or_a_delivery_that_cannot_be_insured_lim_7() {
    let public: BuyerDto = serde_json::from_value(json!({"legalName": "Aalborg Kommune",
        "country": "DK", "entityKind": "publicBody"}))
    .unwrap();
    assert!(worklist(&dk(), &public, seed(), "2026-03-05").is_empty());
    // 150 days of credit are more than the policy's maximum of 120 (BUY-3).
    let long = vec![plan("p1", "F-1", "2026-03-16", "150000", 150)];
    assert!(worklist(&dk(), &buyer(), long, "2026-03-05").is_empty());
}

#[test]
fn under_self_assessment_only_the_need_above_the_discretionary_limit_is_a_duty_lim_7() {
    // 12,000 then 10,000 planned while it is owed: 22,000 on 20 March, above 20,000.
    let list = vec![
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-02", "reference": "C-1",
            "amount": money("12000", "DKK"), "paymentTermsDays": 30}),
        json!({"type": "deliveryPlanned", "id": "p2", "date": "2026-03-05", "reference": "C-2",
            "deliveryDate": "2026-03-20", "amount": money("10000", "DKK"), "paymentTermsDays": 30}),
    ];
    assert!(worklist(&ch(), &buyer(), list[..1].to_vec(), "2026-03-10").is_empty());
    let duties = worklist(&ch(), &buyer(), list, "2026-03-10");
    assert_eq!(duties.len(), 1);
    assert_eq!(duties[0].due_date.0.to_string(), "2026-03-20");
    assert_eq!(duties[0].amount.as_ref().unwrap().amount.to_string(), "22000.00");
}

#[test]
fn the_projected_peak_above_the_limit_asks_for_more_with_the_peak_the_limit_and_its_date_lim_6_exp_1() {
    let mut list = vec![
        json!({"type": "limitApplied", "id": "a1", "date": "2026-02-10", "requestedAmount": money("300000", "DKK"), "paymentTermsDays": 90}),
        json!({"type": "limitGranted", "id": "g1", "date": "2026-02-20", "amount": money("300000", "DKK")}),
    ];
    list.extend(seed());
    let duties = worklist(&dk(), &buyer(), list.clone(), "2026-03-01");
    assert_eq!(duties.len(), 1);
    let more = &duties[0];
    assert_eq!(
        (more.kind, more.rule.as_str()),
        (ObligationKind::ApplyForLimitIncrease, "LIM-6")
    );
    assert_eq!(more.due_date.0.to_string(), "2026-05-15");
    assert_eq!(more.reference.as_deref(), Some("F-3"));
    assert_eq!(more.amount.as_ref().unwrap().amount.to_string(), "400000.00");
    assert_eq!(more.limit.as_ref().unwrap().amount.to_string(), "300000.00");
    assert_eq!(more.peak_date.unwrap().0.to_string(), "2026-05-15");
    // Applied for more, refused: the insurer has answered; the duty is done and no new one
    // arises for the same limit.
    list.push(json!({"type": "limitApplied", "id": "a2", "date": "2026-03-20", "requestedAmount": money("400000", "DKK"), "paymentTermsDays": 90}));
    list.push(json!({"type": "limitRefused", "id": "r2", "date": "2026-03-25"}));
    let after = worklist(&dk(), &buyer(), list, "2026-03-26");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].status, ObligationStatus::Done);
}

#[test]
fn each_circumstance_gives_the_duty_of_the_notification_matrix_for_its_cover_kind_ovd_7_ovd_9() {
    let circumstances = [
        (
            json!({"type": "adverseInformation", "id": "c", "date": "2026-04-10"}),
            EventKind::AdverseInformation,
            None,
        ),
        (
            json!({"type": "paymentTermsExtensionProposed", "id": "c", "date": "2026-04-10", "reference": "F-1", "agreementDate": "2026-04-20"}),
            EventKind::PaymentTermsExtended,
            Some("2026-04-20"),
        ),
        (
            json!({"type": "paymentReturned", "id": "c", "date": "2026-04-10", "instrument": "cheque"}),
            EventKind::BillsProlongedOrPaymentsReturned,
            None,
        ),
        (
            json!({"type": "billProlonged", "id": "c", "date": "2026-04-10"}),
            EventKind::BillsProlongedOrPaymentsReturned,
            None,
        ),
        (
            json!({"type": "openTermsStopped", "id": "c", "date": "2026-04-10", "measure": "deliveriesStopped"}),
            EventKind::CashTermsOrDeliveriesStopped,
            None,
        ),
        (
            json!({"type": "legalActionStarted", "id": "c", "date": "2026-04-10"}),
            EventKind::LegalActionStarted,
            None,
        ),
        (
            json!({"type": "lawyerInstructed", "id": "c", "date": "2026-04-10", "agent": "lawyer"}),
            EventKind::LawyerOrCollectionAgencyInstructed,
            None,
        ),
        (
            json!({"type": "standstillProposed", "id": "c", "date": "2026-04-10", "agreementDate": "2026-04-20"}),
            EventKind::InstalmentOrSettlementAgreement,
            Some("2026-04-20"),
        ),
        (
            json!({"type": "settlementProposed", "id": "c", "date": "2026-04-10", "agreementDate": "2026-04-20"}),
            EventKind::InstalmentOrSettlementAgreement,
            Some("2026-04-20"),
        ),
    ];
    // A named limit under DK terms; self-assessed under CH terms (no limit events). F-1 is
    // inside both covers, so no duty to apply interferes.
    let limit = [
        json!({"type": "limitApplied", "id": "a1", "date": "2026-02-01", "requestedAmount": money("50000", "DKK"), "paymentTermsDays": 60}),
        json!({"type": "limitGranted", "id": "g1", "date": "2026-02-05", "amount": money("50000", "DKK")}),
    ];
    let invoice = json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1", "amount": money("10000", "DKK"), "paymentTermsDays": 60});
    for (event, kind, agreement) in circumstances {
        for (policy, cover_kind) in [(dk(), CoverKind::NamedLimit), (ch(), CoverKind::SelfAssessed)] {
            let mut list = if cover_kind == CoverKind::NamedLimit {
                limit.to_vec()
            } else {
                vec![]
            };
            list.push(invoice.clone());
            list.push(event.clone());
            let duties = worklist(&policy, &buyer(), list, "2026-04-12");
            let expected = notification_duty(&NotificationDutyInput {
                event: kind,
                cover_kind,
                date: delcredere::IsoDate(agreement.unwrap_or("2026-04-10").parse().unwrap()),
                written_consent: false,
                instalment_plan: false,
            })
            .unwrap();
            let Some(delcredere::decision::Details::NotificationDuty(summary)) = expected.details else {
                panic!()
            };
            let notices: Vec<&Obligation> = duties.iter().filter(|o| o.circumstance.is_some()).collect();
            match summary.notify_by {
                None => assert!(notices.is_empty(), "{kind:?} {cover_kind:?}: {notices:?}"),
                Some(by) => {
                    assert_eq!(notices.len(), 1, "{kind:?} {cover_kind:?}");
                    let o = notices[0];
                    let want = if summary.consent_before_acting {
                        ObligationKind::AskConsent
                    } else {
                        ObligationKind::NotifyInsurer
                    };
                    assert_eq!(
                        (o.kind, o.due_date, o.circumstance),
                        (want, by, Some(kind)),
                        "{kind:?} {cover_kind:?}"
                    );
                    assert_eq!(o.event_id.as_deref(), Some("c"));
                    for lang in Language::ALL {
                        let text = obligation_message(o, lang).unwrap();
                        let due = delcredere::i18n::format_date(lang, &by.0.to_string()).unwrap();
                        assert!(text.contains(&due), "{lang:?}: {text}");
                    }
                }
            }
        }
    }
}

#[test]
fn each_extra_reporting_date_is_a_report_with_the_payments_it_reports_ovd_6() {
    let list = vec![
        json!({"type": "limitApplied", "id": "a1", "date": "2026-02-01", "requestedAmount": money("50000", "DKK"), "paymentTermsDays": 60}),
        json!({"type": "limitGranted", "id": "g1", "date": "2026-02-05", "amount": money("50000", "DKK")}),
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1", "amount": money("30000", "DKK"), "paymentTermsDays": 60}),
        json!({"type": "extraReportingDatesSet", "id": "x1", "date": "2026-04-01", "dates": ["2026-05-15", "2026-06-15"]}),
        json!({"type": "paymentReceived", "id": "m1", "date": "2026-05-10", "amount": money("5000", "DKK")}),
        json!({"type": "paymentReceived", "id": "m2", "date": "2026-05-20", "amount": money("2500", "DKK")}),
    ];
    let duties = worklist(&dk(), &buyer(), list, "2026-05-25");
    let reports = of_kind(&duties, ObligationKind::ReportOnReportingDate);
    let seen: Vec<(String, ObligationStatus, Option<String>)> = reports
        .iter()
        .map(|o| {
            assert_eq!(o.rule, "OVD-6");
            (
                o.reporting_day.unwrap().0.to_string(),
                o.status,
                o.amount.as_ref().map(|m| m.amount.to_string()),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "2026-05-15".to_owned(),
                ObligationStatus::Overdue,
                Some("5000.00".to_owned())
            ),
            (
                "2026-06-15".to_owned(),
                ObligationStatus::Upcoming,
                Some("2500.00".to_owned())
            ),
        ]
    );
}

#[test]
fn a_settlement_proposed_in_a_dispute_needs_the_insurers_consent_first_ovd_8_col_4() {
    let input = json!({"policy": serde_json::to_value(dk()).unwrap(),
        "invoices": [{"reference": "F-1", "amount": money("30000", "DKK"), "disputedAmount": money("10000", "DKK")}],
        "settlementProposal": {"agreementDate": "2026-05-20", "instalmentPlan": true}});
    let out: Value =
        serde_json::from_str(&delcredere::ffi::call_json("dispute_collection", &input.to_string()).unwrap()).unwrap();
    let codes: Vec<&str> = out["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "collect_undisputed_first",
            "amicable_settlement_first",
            "consent_required_before_acting",
            "instalment_plan_without_written_consent"
        ]
    );
    assert_eq!(out["reasons"][2]["params"]["agreementDate"], "2026-05-20");
}

#[test]
fn a_consent_event_without_its_agreement_date_is_a_missing_field_with_its_path_ovd_8() {
    let input = json!({"policy": serde_json::to_value(dk()).unwrap(),
        "accounts": [{"buyer": serde_json::to_value(buyer()).unwrap(), "events": [
            {"type": "standstillProposed", "id": "s1", "date": "2026-04-02"}]}],
        "asOf": "2026-04-05"});
    let err = delcredere::ffi::call_json("obligations", &input.to_string()).unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("missing_field", "accounts[0].events[0].agreementDate")
    );
}
