//! Every DTO survives a JSON round trip: for every vector case, the op's input parses into its
//! typed DTO, serializes, and parses back to the same serialized form; every decision output
//! does too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use delcredere::ffi::{self, call, Input, OPS};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parses, serializes, parses again and serializes again: both texts must be identical.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let Ok(first) = serde_json::from_value::<T>(value.clone()) else {
        return Ok(());
    }; // bad-input cases
    let text = serde_json::to_string(&first).map_err(|e| e.to_string())?;
    let second: T = serde_json::from_str(&text).map_err(|e| format!("re-parse failed: {e}: {text}"))?;
    let again = serde_json::to_string(&second).map_err(|e| e.to_string())?;
    if text != again {
        return Err(format!("round trip changed the value: {text} -> {again}"));
    }
    Ok(())
}

fn input_round_trip(op: &str, input: &Value) -> Result<(), String> {
    use delcredere::*;
    match op {
        "validate_policy" => round_trip::<ffi::ValidatePolicyInput>(input),
        "check_insurability" => round_trip::<ffi::CheckInsurabilityInput>(input),
        "explain" => round_trip::<ffi::ExplainInput>(input),
        "assess_discretionary" => round_trip::<discretionary::AssessDiscretionaryInput>(input),
        "average_outstanding" => round_trip::<exposure::AverageOutstandingInput>(input),
        "peak_outstanding" => round_trip::<exposure::PeakOutstandingInput>(input),
        "check_delivery_cover" => round_trip::<cover::CheckDeliveryCoverInput>(input),
        "check_limit_application" => round_trip::<limit::CheckLimitApplicationInput>(input),
        "limit_state" => round_trip::<limit::LimitStateInput>(input),
        "notification_duty" => round_trip::<overdue::duty::NotificationDutyInput>(input),
        "overdue_report" => round_trip::<overdue::OverdueReportInput>(input),
        "turnover_premium" => round_trip::<premium::TurnoverPremiumInput>(input),
        "declaration_status" => round_trip::<premium::DeclarationStatusInput>(input),
        "balance_premium" => round_trip::<premium::BalancePremiumInput>(input),
        "validate_turnover_declaration" => round_trip::<declaration::ValidateTurnoverDeclarationInput>(input),
        "intake_order" => round_trip::<property::IntakeOrderInput>(input),
        "check_water_damage" => round_trip::<property::CheckWaterDamageInput>(input),
        "follow_up_remote_assessment" => round_trip::<property::FollowUpRemoteAssessmentInput>(input),
        "check_expertise" => round_trip::<property::CheckExpertiseInput>(input),
        "account_state" => round_trip::<account::AccountStateInput>(input),
        "obligations" => round_trip::<account::ObligationsInput>(input),
        "insured_event" => round_trip::<claim::InsuredEventInput>(input),
        "check_claim_file" => round_trip::<claim::CheckClaimFileInput>(input),
        "indemnity" => round_trip::<claim::indemnity::IndemnityInput>(input),
        "recovery" => round_trip::<claim::recovery::RecoveryInput>(input),
        "collection_handover" => round_trip::<collection::CollectionHandoverInput>(input),
        "check_collection_file" => round_trip::<collection::CheckCollectionFileInput>(input),
        "collection_contact_schedule" => round_trip::<collection::CollectionContactScheduleInput>(input),
        "dispute_collection" => round_trip::<collection::DisputeCollectionInput>(input),
        "check_pre_export" => round_trip::<collection::CheckPreExportInput>(input),
        "validate_limit_application" => round_trip::<form::ValidateLimitApplicationInput>(input),
        "validate_turnover_declaration_form" => round_trip::<declaration::ValidateTurnoverDeclarationInput>(input),
        "validate_claim_file_form" => round_trip::<form::ValidateClaimFileFormInput>(input),
        "validate_collection_file_form" => round_trip::<form::ValidateCollectionFileFormInput>(input),
        "validate_overdue_report_form" => round_trip::<form::ValidateOverdueReportFormInput>(input),
        other => Err(format!("no input DTO listed for op {other}: add it here")),
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_input_dto_and_decision_survives_a_json_round_trip() {
    let mut files = Vec::new();
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors"),
        &mut files,
    );
    let mut failures = Vec::new();
    let mut seen_ops = std::collections::BTreeSet::new();
    let mut count = 0;
    for file in files {
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in cases {
            let op = case["op"].as_str().unwrap();
            seen_ops.insert(op.to_owned());
            if let Err(e) = input_round_trip(op, &case["input"]) {
                failures.push(format!("{}: {e}", case["id"]));
            }
            if let Ok(ffi::Output::Decision(d)) = call(op, Input::Value(case["input"].clone())) {
                let value = serde_json::to_value(&d).unwrap();
                if let Err(e) = round_trip::<delcredere::Decision>(&value) {
                    failures.push(format!("{} output: {e}", case["id"]));
                }
            }
            count += 1;
        }
    }
    for op in OPS {
        if !seen_ops.contains(*op) {
            failures.push(format!("op {op} has no vector"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
