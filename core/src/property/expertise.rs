//! When an on-site expertise is opened (PCI-4).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{eur_amount, terms};
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Currency, Money, MoneyDto};

/// The peril of a property file, as far as PCI-4 distinguishes it.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Peril {
    /// Glass breakage.
    GlassBreakage,
    /// Impact by a vehicle.
    VehicleImpact,
    /// Theft or loss of keys.
    KeyTheftOrLoss,
    /// Cosmetic restoration in embellishment work.
    CosmeticRestoration,
}

/// A property file's peril and quote (PCI-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpertiseClaimDto {
    /// The peril.
    pub peril: Peril,
    /// The quote for the works, VAT incl., in EUR: required except for cosmetic restoration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<MoneyDto>,
    /// Key theft or loss only: the handling limit the insurer gave for this file (VAT incl.,
    /// EUR); 800 EUR when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_limit: Option<MoneyDto>,
}

/// Input of `check_expertise` (PCI-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckExpertiseInput {
    /// The file.
    pub claim: ExpertiseClaimDto,
}

/// An amount parameter written with at least the cents (`300` as `300.00`), exactly: more
/// decimals are kept as given, nothing is rounded.
fn amount(d: Decimal) -> Param {
    let mut d = d;
    if d.scale() < 2 {
        d.rescale(2);
    }
    Param::amount(d)
}

/// Decides whether works are handled, the file goes back to the insurer, or an on-site
/// expertise is opened (PCI-4). Every threshold is inclusive on the handled side:
///
/// - Glass breakage: quote ≤ 300 EUR handled (`handled_within_limit`); > 300 EUR expertise
///   (`expertise_required`).
/// - Vehicle impact: quote ≤ 300 EUR handled; 300 < quote ≤ 800 EUR returned to the insurer
///   (`returned_to_insurer`); > 800 EUR expertise.
/// - Key theft or loss: quote ≤ the insurer's handling limit for the file, or 800 EUR VAT
///   incl. when none is given, handled; above it, expertise.
/// - Cosmetic restoration in embellishment work: not covered (`work_not_covered`); no quote
///   needed.
///
/// Amounts: the quote (and handling limit) must be zero or more and in EUR; the decision's
/// `amounts` carry the quote and the limits compared, rounded to the cent.
pub fn check_expertise(claim: &ExpertiseClaimDto) -> Result<Decision, Error> {
    if claim.handling_limit.is_some() && claim.peril != Peril::KeyTheftOrLoss {
        return Err(Error::InconsistentTerms {
            field: "claim.handlingLimit".into(),
            detail: "a handling limit is given for key theft or loss only".into(),
        });
    }
    if claim.peril == Peril::CosmeticRestoration {
        if let Some(quote) = &claim.quote {
            eur_amount(quote, "claim.quote")?;
        }
        return Ok(Decision {
            outcome: Outcome::WorkNotCovered,
            amounts: BTreeMap::new(),
            reasons: vec![Reason::new(ReasonCode::CosmeticRestorationNotCovered, [])],
            details: None,
        });
    }
    let quote = match &claim.quote {
        Some(q) => eur_amount(q, "claim.quote")?,
        None => {
            return Err(Error::MissingField {
                field: "claim.quote".into(),
            })
        }
    };
    let eur = quote.currency;
    let q = quote.amount;
    let mut amounts = BTreeMap::new();
    amounts.insert("quote".to_owned(), MoneyDto::from(quote));
    let mut put = |name: &str, d: Decimal, currency: Currency| {
        amounts.insert(name.to_owned(), MoneyDto::from(Money::new(d, currency)));
    };
    let (outcome, reasons) = match claim.peril {
        Peril::GlassBreakage => {
            let limit = terms::glass_handling_limit();
            put("handlingLimit", limit, eur);
            let params = [("quote", amount(q)), ("limit", amount(limit))];
            if q <= limit {
                (
                    Outcome::HandledWithinLimit,
                    vec![Reason::new(ReasonCode::GlassWithinHandlingLimit, params)],
                )
            } else {
                (
                    Outcome::ExpertiseRequired,
                    vec![Reason::new(ReasonCode::GlassAboveHandlingLimit, params)],
                )
            }
        }
        Peril::VehicleImpact => {
            let limit = terms::vehicle_handling_limit();
            let threshold = terms::vehicle_expertise_threshold();
            put("handlingLimit", limit, eur);
            put("expertiseThreshold", threshold, eur);
            if q <= limit {
                (
                    Outcome::HandledWithinLimit,
                    vec![Reason::new(
                        ReasonCode::VehicleQuoteHandled,
                        [("quote", amount(q)), ("limit", amount(limit))],
                    )],
                )
            } else if q <= threshold {
                (
                    Outcome::ReturnedToInsurer,
                    vec![Reason::new(
                        ReasonCode::VehicleQuoteReturnedToInsurer,
                        [
                            ("quote", amount(q)),
                            ("limit", amount(limit)),
                            ("expertiseThreshold", amount(threshold)),
                        ],
                    )],
                )
            } else {
                (
                    Outcome::ExpertiseRequired,
                    vec![Reason::new(
                        ReasonCode::VehicleQuoteExpertise,
                        [("quote", amount(q)), ("expertiseThreshold", amount(threshold))],
                    )],
                )
            }
        }
        Peril::KeyTheftOrLoss => {
            let mut reasons = Vec::new();
            let limit = match &claim.handling_limit {
                Some(given) => eur_amount(given, "claim.handlingLimit")?.amount,
                None => {
                    let limit = terms::default_key_handling_limit();
                    reasons.push(Reason::new(
                        ReasonCode::KeyHandlingLimitDefault,
                        [("limit", amount(limit))],
                    ));
                    limit
                }
            };
            put("handlingLimit", limit, eur);
            let params = [("quote", amount(q)), ("limit", amount(limit))];
            let outcome = if q <= limit {
                reasons.push(Reason::new(ReasonCode::KeyWithinHandlingLimit, params));
                Outcome::HandledWithinLimit
            } else {
                reasons.push(Reason::new(ReasonCode::KeyAboveHandlingLimit, params));
                Outcome::ExpertiseRequired
            };
            (outcome, reasons)
        }
        Peril::CosmeticRestoration => (Outcome::WorkNotCovered, Vec::new()),
    };
    Ok(Decision {
        outcome,
        amounts,
        reasons,
        details: None,
    })
}
