//! Channel intake of mission orders (PCI-1).

use serde::{Deserialize, Serialize};

use super::{non_blank, terms};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;

/// The insurer's channel a mission order comes from (PCI-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    /// The insurer's central claims platform: orders arrive through the web.
    CentralPlatform,
    /// An agency of the insurer: order by mail or fax.
    Agency,
    /// A broker placing a claim of the insurer's customer: order by e-mail, no fixed form.
    Broker,
    /// An expert firm working for the insurer.
    ExpertFirm,
}

/// A mission order as received (PCI-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MissionOrderDto {
    /// Where the order comes from.
    pub channel: Channel,
    /// The insurer's claim number.
    pub claim_number: String,
    /// The order number, when the channel gives one (agency and broker orders have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// The agent code: required on agency orders, not used for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_code: Option<String>,
    /// The broker code found in a broker order, if any; not used for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_code: Option<String>,
}

/// Input of `intake_order` (PCI-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntakeOrderInput {
    /// The mission order.
    pub order: MissionOrderDto,
}

/// Routes a mission order by its channel and normalises it (PCI-1).
///
/// - Central claims platform: the file opens automatically from the web
///   (`file_opened_automatically`); the companion "full management" file that opens with it is
///   not to be touched. The order number is kept when given.
/// - Agency: opened by hand (`file_to_open_by_hand`); the claim number must start with `B`
///   (else `order_to_check`); the order number field is set to `0`; the agent code is
///   required (a missing one is [`Error::MissingField`] `order.agentCode`).
/// - Broker: opened by hand; the claim number usually starts with `C` (another prefix is a
///   warning, not a block); order number `0`; the broker code from the order, or `000`.
/// - Expert firm: opened and handled by the insurer's team (`file_for_insurer_team`).
///
/// Normalisation: every text is trimmed; the claim number is upper-cased. The normalised
/// values are the reasons' parameters.
pub fn intake_order(order: &MissionOrderDto) -> Result<Decision, Error> {
    let claim_number = non_blank(&order.claim_number, "order.claimNumber")?.to_uppercase();
    let order_number = order.order_number.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let claim = || {
        Reason::new(
            ReasonCode::ClaimNumberRecorded,
            [("claimNumber", Param::from(claim_number.as_str()))],
        )
    };
    let zero_order_number = || {
        Reason::new(
            ReasonCode::OrderNumberSetToZero,
            [("orderNumber", Param::from(terms::NO_ORDER_NUMBER))],
        )
    };
    let given_order_number =
        || order_number.map(|n| Reason::new(ReasonCode::OrderNumberRecorded, [("orderNumber", Param::from(n))]));

    let (outcome, reasons) = match order.channel {
        Channel::CentralPlatform => {
            let mut reasons = vec![
                Reason::new(ReasonCode::OpenedAutomaticallyFromWeb, []),
                Reason::new(ReasonCode::FullManagementFileNotToBeTouched, []),
                claim(),
            ];
            reasons.extend(given_order_number());
            (Outcome::FileOpenedAutomatically, reasons)
        }
        Channel::Agency => {
            let agent_code = match order.agent_code.as_deref() {
                None => {
                    return Err(Error::MissingField {
                        field: "order.agentCode".into(),
                    })
                }
                Some(code) => non_blank(code, "order.agentCode")?,
            };
            let mut reasons = vec![Reason::new(ReasonCode::AgencyOrderOpenedByHand, [])];
            let outcome = if claim_number.starts_with(terms::AGENCY_CLAIM_PREFIX) {
                reasons.push(claim());
                Outcome::FileToOpenByHand
            } else {
                reasons.push(Reason::new(
                    ReasonCode::AgencyClaimNumberPrefixMissing,
                    [
                        ("claimNumber", Param::from(claim_number.as_str())),
                        ("prefix", Param::from(terms::AGENCY_CLAIM_PREFIX)),
                    ],
                ));
                Outcome::OrderToCheck
            };
            reasons.push(zero_order_number());
            reasons.push(Reason::new(
                ReasonCode::AgentCodeRecorded,
                [("agentCode", Param::from(agent_code))],
            ));
            (outcome, reasons)
        }
        Channel::Broker => {
            let mut reasons = vec![Reason::new(ReasonCode::BrokerOrderOpenedByHand, []), claim()];
            if !claim_number.starts_with(terms::BROKER_CLAIM_PREFIX) {
                reasons.push(Reason::new(
                    ReasonCode::BrokerClaimNumberUnusualPrefix,
                    [
                        ("claimNumber", Param::from(claim_number.as_str())),
                        ("prefix", Param::from(terms::BROKER_CLAIM_PREFIX)),
                    ],
                ));
            }
            reasons.push(zero_order_number());
            match order.broker_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => reasons.push(Reason::new(
                    ReasonCode::BrokerCodeRecorded,
                    [("brokerCode", Param::from(code))],
                )),
                None => reasons.push(Reason::new(
                    ReasonCode::BrokerCodeDefaulted,
                    [("brokerCode", Param::from(terms::DEFAULT_BROKER_CODE))],
                )),
            }
            (Outcome::FileToOpenByHand, reasons)
        }
        Channel::ExpertFirm => {
            let mut reasons = vec![Reason::new(ReasonCode::ExpertFirmOrderForInsurerTeam, []), claim()];
            reasons.extend(given_order_number());
            (Outcome::FileForInsurerTeam, reasons)
        }
    };
    Ok(Decision {
        outcome,
        amounts: Default::default(),
        reasons,
        details: None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn order(channel: Channel, claim: &str) -> MissionOrderDto {
        MissionOrderDto {
            channel,
            claim_number: claim.into(),
            order_number: None,
            agent_code: None,
            broker_code: None,
        }
    }

    #[test]
    fn blank_claim_number_is_an_empty_value_pci_1() {
        let err = intake_order(&order(Channel::Broker, "  ")).unwrap_err();
        assert_eq!(
            err,
            Error::EmptyValue {
                field: "order.claimNumber".into()
            }
        );
    }

    #[test]
    fn blank_agent_code_is_an_empty_value_pci_1() {
        let mut o = order(Channel::Agency, "B1");
        o.agent_code = Some(" ".into());
        assert_eq!(intake_order(&o).unwrap_err().code(), "empty_value");
    }
}
