//! Property-claims intake (PCI-1..4) through the typed Rust API, with the guide's figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::property::{
    check_expertise, check_water_damage, follow_up_remote_assessment, intake_order, ExpertiseClaimDto, FollowUpDto,
    MissionOrderDto, WaterDamageClaimDto,
};
use delcredere::{Decision, IsoDate, Language, Outcome, ReasonCode};
use serde_json::json;

fn codes(d: &Decision) -> Vec<ReasonCode> {
    d.reasons.iter().map(|r| r.code).collect()
}

fn param(d: &Decision, i: usize, name: &str) -> String {
    d.reasons[i].params[name].to_string()
}

fn order(v: serde_json::Value) -> MissionOrderDto {
    serde_json::from_value(v).unwrap()
}

fn water(v: serde_json::Value) -> WaterDamageClaimDto {
    serde_json::from_value(v).unwrap()
}

fn quote(peril: &str, amount: &str) -> ExpertiseClaimDto {
    serde_json::from_value(json!({"peril": peril, "quote": {"amount": amount, "currency": "EUR"}})).unwrap()
}

fn date(s: &str) -> IsoDate {
    serde_json::from_value(json!(s)).unwrap()
}

fn follow_up(attempts: &[(&str, &str)], reached: Option<&str>) -> FollowUpDto {
    let attempts: Vec<_> = attempts.iter().map(|(k, d)| json!({"kind": k, "on": d})).collect();
    let mut v = json!({"awaitingSince": "2026-03-02", "reminderIntervalDays": 2, "attempts": attempts});
    if let Some(r) = reached {
        v["customerReachedOn"] = json!(r);
    }
    serde_json::from_value(v).unwrap()
}

// PCI-1

#[test]
fn central_platform_order_opens_automatically_and_leaves_full_management_file_alone_pci_1() {
    let d = intake_order(&order(
        json!({"channel": "centralPlatform", "claimNumber": "2026ZX0041"}),
    ))
    .unwrap();
    assert_eq!(d.outcome, Outcome::FileOpenedAutomatically);
    assert_eq!(
        codes(&d),
        [
            ReasonCode::OpenedAutomaticallyFromWeb,
            ReasonCode::FullManagementFileNotToBeTouched,
            ReasonCode::ClaimNumberRecorded
        ]
    );
    let fr = d.explain(Language::Fr).unwrap();
    assert_eq!(fr.summary, "Dossier ouvert automatiquement.");
    assert_eq!(
        fr.messages[1].text,
        "Le dossier « gestion intégrale » ouvert en même temps ne doit pas être touché."
    );
}

#[test]
fn agency_order_gets_order_number_zero_and_its_agent_code_pci_1() {
    let d = intake_order(&order(json!({
        "channel": "agency", "claimNumber": " b1234567 ", "orderNumber": "5521", "agentCode": "A0457"
    })))
    .unwrap();
    assert_eq!(d.outcome, Outcome::FileToOpenByHand);
    assert_eq!(param(&d, 1, "claimNumber"), "B1234567");
    assert_eq!(param(&d, 2, "orderNumber"), "0");
    assert_eq!(param(&d, 3, "agentCode"), "A0457");
    assert_eq!(
        d.explain(Language::Fr).unwrap().messages[2].text,
        "Pas de numéro d'ordre sur cette mission : le champ est renseigné avec 0."
    );
}

#[test]
fn agency_order_without_agent_code_is_a_missing_field_pci_1() {
    let err = intake_order(&order(json!({"channel": "agency", "claimNumber": "B1234567"}))).unwrap_err();
    assert_eq!(err.code(), "missing_field");
    assert_eq!(err.to_string(), "order.agentCode: missing field");
}

#[test]
fn agency_claim_number_not_starting_with_b_is_to_check_pci_1() {
    let d = intake_order(&order(
        json!({"channel": "agency", "claimNumber": "C7654321", "agentCode": "A1"}),
    ))
    .unwrap();
    assert_eq!(d.outcome, Outcome::OrderToCheck);
    assert_eq!(d.reasons[1].code, ReasonCode::AgencyClaimNumberPrefixMissing);
    assert_eq!(param(&d, 1, "prefix"), "B");
}

#[test]
fn broker_order_without_broker_code_gets_000_pci_1() {
    let d = intake_order(&order(json!({"channel": "broker", "claimNumber": "C2026002"}))).unwrap();
    assert_eq!(d.outcome, Outcome::FileToOpenByHand);
    assert_eq!(
        codes(&d),
        [
            ReasonCode::BrokerOrderOpenedByHand,
            ReasonCode::ClaimNumberRecorded,
            ReasonCode::OrderNumberSetToZero,
            ReasonCode::BrokerCodeDefaulted
        ]
    );
    assert_eq!(param(&d, 3, "brokerCode"), "000");
}

#[test]
fn broker_claim_number_without_c_is_only_a_warning_pci_1() {
    let d = intake_order(&order(
        json!({"channel": "broker", "claimNumber": "X99", "brokerCode": "4471"}),
    ))
    .unwrap();
    assert_eq!(d.outcome, Outcome::FileToOpenByHand);
    assert!(codes(&d).contains(&ReasonCode::BrokerClaimNumberUnusualPrefix));
    assert_eq!(param(&d, 4, "brokerCode"), "4471");
}

#[test]
fn expert_firm_order_is_for_the_insurer_team_pci_1() {
    let d = intake_order(&order(json!({"channel": "expertFirm", "claimNumber": "2026ZX0043"}))).unwrap();
    assert_eq!(d.outcome, Outcome::FileForInsurerTeam);
}

#[test]
fn unknown_channel_is_an_unknown_value_naming_the_field_pci_1() {
    let err = delcredere::ffi::call_json("intake_order", r#"{"order": {"channel": "fax", "claimNumber": "B1"}}"#)
        .unwrap_err();
    assert_eq!(err.code(), "unknown_value");
    assert_eq!(err.field(), "order.channel");
}

// PCI-2

#[test]
fn repair_works_wait_until_the_cause_is_repaired_pci_2() {
    let not_yet = check_water_damage(&water(json!({"request": "repairWorks", "causeRepaired": false}))).unwrap();
    assert_eq!(not_yet.outcome, Outcome::DispatchNotAllowed);
    assert_eq!(codes(&not_yet), [ReasonCode::WaterDamageCauseNotRepaired]);
    let repaired = check_water_damage(&water(json!({"request": "repairWorks", "causeRepaired": true}))).unwrap();
    assert_eq!(repaired.outcome, Outcome::DispatchAllowed);
}

#[test]
fn leak_repair_is_not_covered_pci_2() {
    let d = check_water_damage(&water(json!({"request": "leakRepair"}))).unwrap();
    assert_eq!(d.outcome, Outcome::WorkNotCovered);
    assert_eq!(
        d.explain(Language::Fr).unwrap().messages[0].text,
        "Les réparations de fuite ne sont pas prises en charge."
    );
}

#[test]
fn leak_detection_is_refused_only_for_an_owner_occupied_house_pci_2() {
    let claim = |dwelling: &str, occupancy: &str| {
        water(
            json!({"request": "leakDetection", "leakDetectionMethod": "nonDestructive",
            "dwelling": dwelling, "occupancy": occupancy}),
        )
    };
    let house = check_water_damage(&claim("house", "ownerOccupier")).unwrap();
    assert_eq!(house.outcome, Outcome::DispatchNotAllowed);
    assert_eq!(codes(&house), [ReasonCode::NoLeakDetectionForOwnerOccupiedHouse]);
    for (dwelling, occupancy) in [
        ("flat", "ownerOccupier"),
        ("house", "tenant"),
        ("house", "nonOccupyingOwner"),
    ] {
        let d = check_water_damage(&claim(dwelling, occupancy)).unwrap();
        assert_eq!(d.outcome, Outcome::DispatchAllowed, "{dwelling} {occupancy}");
        assert_eq!(codes(&d), [ReasonCode::NonDestructiveLeakDetectionAllowed]);
    }
}

#[test]
fn leak_detection_needs_its_method_pci_2() {
    let err = check_water_damage(&water(
        json!({"request": "leakDetection", "dwelling": "flat", "occupancy": "tenant"}),
    ))
    .unwrap_err();
    assert_eq!(err.field(), "claim.leakDetectionMethod");
}

// PCI-3 (awaitingSince 2026-03-02, steps 2 days apart)

#[test]
fn first_reminder_is_due_one_interval_after_the_file_starts_waiting_pci_3() {
    let d = follow_up_remote_assessment(&follow_up(&[], None), date("2026-03-02")).unwrap();
    assert_eq!(d.outcome, Outcome::AwaitingRemoteAssessment);
    assert_eq!(
        codes(&d),
        [
            ReasonCode::RemindersSent,
            ReasonCode::ConfirmedWithCustomerFlagNotYetSet,
            ReasonCode::NextReminderDue
        ]
    );
    assert_eq!(param(&d, 2, "number"), "1");
    assert_eq!(param(&d, 2, "dueOn"), "2026-03-04");
}

#[test]
fn flag_is_set_from_the_first_attempt_even_unanswered_pci_3() {
    let d = follow_up_remote_assessment(&follow_up(&[("reminder", "2026-03-04")], None), date("2026-03-04")).unwrap();
    assert_eq!(d.reasons[1].code, ReasonCode::ConfirmedWithCustomerFlagSet);
    assert_eq!(param(&d, 1, "since"), "2026-03-04");
    assert_eq!(param(&d, 2, "dueOn"), "2026-03-06");
}

#[test]
fn after_three_reminders_the_sms_is_due_then_one_week_of_waiting_pci_3() {
    let three = [
        ("reminder", "2026-03-04"),
        ("reminder", "2026-03-06"),
        ("reminder", "2026-03-09"),
    ];
    let d = follow_up_remote_assessment(&follow_up(&three, None), date("2026-03-10")).unwrap();
    assert_eq!(d.reasons[2].code, ReasonCode::NextSmsDue);
    assert_eq!(param(&d, 2, "dueOn"), "2026-03-11");

    let with_sms = [three.as_slice(), &[("sms", "2026-03-11")]].concat();
    // 2026-03-11 + 7 days = 2026-03-18: waiting on the 17th, over on the 18th.
    let day_6 = follow_up_remote_assessment(&follow_up(&with_sms, None), date("2026-03-17")).unwrap();
    assert_eq!(day_6.outcome, Outcome::WaitingForCustomer);
    assert_eq!(param(&day_6, 1, "waitUntil"), "2026-03-18");
    let day_7 = follow_up_remote_assessment(&follow_up(&with_sms, None), date("2026-03-18")).unwrap();
    assert_eq!(day_7.outcome, Outcome::WaitingForCustomerEnded);
    assert_eq!(
        day_7.explain(Language::Fr).unwrap().messages[1].text,
        "SMS envoyé le 11/03/2026 : le dossier est en attente de client jusqu'au 18/03/2026."
    );
}

#[test]
fn a_fourth_reminder_is_an_illegal_transition_pci_3() {
    let four = [
        ("reminder", "2026-03-04"),
        ("reminder", "2026-03-06"),
        ("reminder", "2026-03-09"),
        ("reminder", "2026-03-11"),
    ];
    let err = follow_up_remote_assessment(&follow_up(&four, None), date("2026-03-05")).unwrap_err();
    assert_eq!(err.code(), "inconsistent_terms");
    assert_eq!(err.field(), "followUp.attempts[3].kind");
}

#[test]
fn reaching_the_customer_ends_the_reminders_pci_3() {
    let d = follow_up_remote_assessment(
        &follow_up(&[("reminder", "2026-03-04")], Some("2026-03-05")),
        date("2026-03-06"),
    )
    .unwrap();
    assert_eq!(d.outcome, Outcome::CustomerReached);
    assert_eq!(d.reasons[2].code, ReasonCode::NextRemoteAssessmentDue);
    // The same history asked before the customer was reached.
    let before = follow_up_remote_assessment(
        &follow_up(&[("reminder", "2026-03-04")], Some("2026-03-05")),
        date("2026-03-04"),
    )
    .unwrap();
    assert_eq!(before.outcome, Outcome::AwaitingRemoteAssessment);
}

// PCI-4

#[test]
fn glass_quote_of_exactly_300_is_handled_and_300_01_needs_expertise_pci_4() {
    let at = check_expertise(&quote("glassBreakage", "300.00")).unwrap();
    assert_eq!(at.outcome, Outcome::HandledWithinLimit);
    let over = check_expertise(&quote("glassBreakage", "300.01")).unwrap();
    assert_eq!(over.outcome, Outcome::ExpertiseRequired);
    assert_eq!(
        over.explain(Language::Fr).unwrap().messages[0].text,
        "Bris de glace : le devis de 300,01 EUR dépasse la limite de gestion de 300,00 EUR : un expert doit être envoyé."
    );
}

#[test]
fn vehicle_quote_of_exactly_300_is_handled_pci_4() {
    let d = check_expertise(&quote("vehicleImpact", "300")).unwrap();
    assert_eq!(d.outcome, Outcome::HandledWithinLimit);
    assert_eq!(codes(&d), [ReasonCode::VehicleQuoteHandled]);
}

#[test]
fn vehicle_quote_between_300_and_800_inclusive_returns_to_insurer_pci_4() {
    for amount in ["300.01", "550", "800.00"] {
        let d = check_expertise(&quote("vehicleImpact", amount)).unwrap();
        assert_eq!(d.outcome, Outcome::ReturnedToInsurer, "{amount}");
    }
}

#[test]
fn vehicle_quote_above_800_needs_expertise_pci_4() {
    let d = check_expertise(&quote("vehicleImpact", "800.01")).unwrap();
    assert_eq!(d.outcome, Outcome::ExpertiseRequired);
    assert_eq!(d.amounts["quote"].amount.to_string(), "800.01");
    assert_eq!(d.amounts["expertiseThreshold"].amount.to_string(), "800.00");
}

#[test]
fn keys_default_to_800_incl_vat_when_the_insurer_gives_no_limit_pci_4() {
    let d = check_expertise(&quote("keyTheftOrLoss", "800")).unwrap();
    assert_eq!(d.outcome, Outcome::HandledWithinLimit);
    assert_eq!(
        codes(&d),
        [ReasonCode::KeyHandlingLimitDefault, ReasonCode::KeyWithinHandlingLimit]
    );
    assert_eq!(
        d.explain(Language::Fr).unwrap().messages[0].text,
        "Aucune limite de gestion indiquée par l'assureur : la limite est de 800,00 EUR TTC."
    );
    let over = check_expertise(&quote("keyTheftOrLoss", "800.01")).unwrap();
    assert_eq!(over.outcome, Outcome::ExpertiseRequired);
}

#[test]
fn keys_use_the_insurers_given_limit_pci_4() {
    let mut claim = quote("keyTheftOrLoss", "620.40");
    claim.handling_limit = Some(serde_json::from_value(json!({"amount": "650", "currency": "EUR"})).unwrap());
    let d = check_expertise(&claim).unwrap();
    assert_eq!(d.outcome, Outcome::HandledWithinLimit);
    assert_eq!(codes(&d), [ReasonCode::KeyWithinHandlingLimit]);
    assert_eq!(d.amounts["handlingLimit"].amount.to_string(), "650.00");
}

#[test]
fn cosmetic_restoration_is_not_covered_pci_4() {
    let claim: ExpertiseClaimDto = serde_json::from_value(json!({"peril": "cosmeticRestoration"})).unwrap();
    let d = check_expertise(&claim).unwrap();
    assert_eq!(d.outcome, Outcome::WorkNotCovered);
    assert_eq!(codes(&d), [ReasonCode::CosmeticRestorationNotCovered]);
}

#[test]
fn negative_quote_and_quote_in_another_currency_are_errors_naming_the_field_pci_4() {
    let err = check_expertise(&quote("glassBreakage", "-10")).unwrap_err();
    assert_eq!((err.code(), err.field()), ("negative_amount", "claim.quote.amount"));
    let chf: ExpertiseClaimDto =
        serde_json::from_value(json!({"peril": "vehicleImpact", "quote": {"amount": "450", "currency": "CHF"}}))
            .unwrap();
    let err = check_expertise(&chf).unwrap_err();
    assert_eq!(
        err.to_string(),
        "claim.quote.currency: currency mismatch, expected EUR, found CHF"
    );
}

#[test]
fn every_pci_answer_explains_itself_in_five_languages_pci_1_pci_4() {
    let d = check_expertise(&quote("vehicleImpact", "450")).unwrap();
    for lang in Language::ALL {
        let e = d.explain(lang).unwrap();
        assert!(!e.summary.is_empty());
        assert!(e.messages[0].text.contains("450"), "{lang:?}: {}", e.messages[0].text);
    }
}
