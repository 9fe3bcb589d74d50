//! Water damage: when someone may be dispatched (PCI-2).

use serde::{Deserialize, Serialize};

use crate::decision::{Decision, Outcome, Reason, ReasonCode};
use crate::error::Error;

/// What is asked for on a water-damage file (PCI-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WaterDamageRequest {
    /// Dispatch a contractor for the repair of the damage.
    RepairWorks,
    /// Repair the leak itself.
    LeakRepair,
    /// Search for the leak.
    LeakDetection,
}

/// How a leak is searched for (PCI-2): the usual rules allow these two only.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeakDetectionMethod {
    /// A visual search.
    Visual,
    /// A non-destructive search (instruments, no opening of walls or floors).
    NonDestructive,
}

/// The kind of dwelling (PCI-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Dwelling {
    /// A house.
    House,
    /// A flat (apartment).
    Flat,
}

/// Who occupies the dwelling (PCI-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Occupancy {
    /// The owner lives there.
    OwnerOccupier,
    /// A tenant lives there.
    Tenant,
    /// An owner who does not live there (e.g. a landlord).
    NonOccupyingOwner,
}

/// A water-damage file and what is asked for (PCI-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaterDamageClaimDto {
    /// What is asked for.
    pub request: WaterDamageRequest,
    /// Whether the cause of the damage is repaired: required for `repairWorks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_repaired: Option<bool>,
    /// The search method: required for `leakDetection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leak_detection_method: Option<LeakDetectionMethod>,
    /// The kind of dwelling: required for `leakDetection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwelling: Option<Dwelling>,
    /// Who occupies it: required for `leakDetection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupancy: Option<Occupancy>,
}

/// Input of `check_water_damage` (PCI-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckWaterDamageInput {
    /// The water-damage file.
    pub claim: WaterDamageClaimDto,
}

fn required<T: Copy>(value: Option<T>, field: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::MissingField {
        field: field.to_owned(),
    })
}

/// Decides whether someone may be dispatched on a water-damage file (PCI-2).
///
/// - `repairWorks`: dispatch only once the cause is repaired (`dispatch_allowed`), else
///   `dispatch_not_allowed`.
/// - `leakRepair`: leak repairs are not covered (`work_not_covered`).
/// - `leakDetection`: a visual or non-destructive search may be ordered (`dispatch_allowed`),
///   except in an owner-occupied house, where the insured calls their own contractor and sends
///   the invoice (`dispatch_not_allowed`). A leak search is how an unknown cause is found, so
///   the cause-repaired condition does not apply to it.
pub fn check_water_damage(claim: &WaterDamageClaimDto) -> Result<Decision, Error> {
    let (outcome, reason) = match claim.request {
        WaterDamageRequest::RepairWorks => {
            if required(claim.cause_repaired, "claim.causeRepaired")? {
                (Outcome::DispatchAllowed, ReasonCode::WaterDamageCauseRepaired)
            } else {
                (Outcome::DispatchNotAllowed, ReasonCode::WaterDamageCauseNotRepaired)
            }
        }
        WaterDamageRequest::LeakRepair => (Outcome::WorkNotCovered, ReasonCode::LeakRepairNotCovered),
        WaterDamageRequest::LeakDetection => {
            let method = required(claim.leak_detection_method, "claim.leakDetectionMethod")?;
            let dwelling = required(claim.dwelling, "claim.dwelling")?;
            let occupancy = required(claim.occupancy, "claim.occupancy")?;
            if dwelling == Dwelling::House && occupancy == Occupancy::OwnerOccupier {
                (
                    Outcome::DispatchNotAllowed,
                    ReasonCode::NoLeakDetectionForOwnerOccupiedHouse,
                )
            } else {
                match method {
                    LeakDetectionMethod::Visual => (Outcome::DispatchAllowed, ReasonCode::VisualLeakDetectionAllowed),
                    LeakDetectionMethod::NonDestructive => {
                        (Outcome::DispatchAllowed, ReasonCode::NonDestructiveLeakDetectionAllowed)
                    }
                }
            }
        }
    };
    Ok(Decision {
        outcome,
        amounts: Default::default(),
        reasons: vec![Reason::new(reason, [])],
        details: None,
    })
}
