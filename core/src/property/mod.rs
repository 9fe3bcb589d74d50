//! Property-claims intake (PCI-1..4), a product line separate from trade credit insurance.
//!
//! A claims-handling provider receives mission orders from an insurer's channels and applies
//! the insurer's intake procedure: who opens the file and how its fields are filled (PCI-1),
//! when someone may be dispatched on a water-damage claim (PCI-2), how a file waiting for the
//! remote assessment is followed up (PCI-3), and when an on-site expertise is opened (PCI-4).
//! Every answer is a [`crate::Decision`] explained with the same catalogues as the rest of the
//! crate (the property messages live in `property/i18n/`).
//!
//! The procedure's figures are in [`terms`]; amounts are decimal EUR, quotes VAT-inclusive.

pub mod expertise;
pub mod follow_up;
pub mod intake;
pub mod water_damage;

pub use expertise::{check_expertise, CheckExpertiseInput, ExpertiseClaimDto, Peril};
pub use follow_up::{
    follow_up_remote_assessment, ContactAttemptDto, ContactKind, FollowUpDto, FollowUpRemoteAssessmentInput,
};
pub use intake::{intake_order, Channel, IntakeOrderInput, MissionOrderDto};
pub use water_damage::{
    check_water_damage, CheckWaterDamageInput, Dwelling, LeakDetectionMethod, Occupancy, WaterDamageClaimDto,
    WaterDamageRequest,
};

/// The figures of the insurer's intake procedure, in one place. The guide states them as
/// fixed figures of this insurer's procedure; only the key handling limit can be set per
/// file (the insurer may give one, PCI-4).
pub mod terms {
    use rust_decimal::Decimal;

    /// The currency of every property amount.
    pub const CURRENCY: &str = "EUR";
    /// PCI-1: agency claim numbers start with this letter.
    pub const AGENCY_CLAIM_PREFIX: &str = "B";
    /// PCI-1: broker claim numbers usually start with this letter.
    pub const BROKER_CLAIM_PREFIX: &str = "C";
    /// PCI-1: the order number entered for agency and broker orders, which have none.
    pub const NO_ORDER_NUMBER: &str = "0";
    /// PCI-1: the broker code entered when the order gives none.
    pub const DEFAULT_BROKER_CODE: &str = "000";
    /// PCI-3: reminders to the customer before the SMS.
    pub const REMINDERS_BEFORE_SMS: u32 = 3;
    /// PCI-3: days the file waits for the customer after the SMS (one week).
    pub const WAITING_FOR_CUSTOMER_DAYS: u32 = 7;

    /// PCI-4: handling limit for glass breakage works (EUR); above it, on-site expertise.
    pub fn glass_handling_limit() -> Decimal {
        Decimal::from(300)
    }

    /// PCI-4: vehicle-impact quotes up to this amount (EUR) are handled.
    pub fn vehicle_handling_limit() -> Decimal {
        Decimal::from(300)
    }

    /// PCI-4: vehicle-impact quotes above this amount (EUR) go to on-site expertise; between
    /// the handling limit and this amount the file goes back to the insurer.
    pub fn vehicle_expertise_threshold() -> Decimal {
        Decimal::from(800)
    }

    /// PCI-4: key theft or loss handling limit (EUR, VAT incl.) when the insurer gives none.
    pub fn default_key_handling_limit() -> Decimal {
        Decimal::from(800)
    }
}

use crate::error::Error;
use crate::money::{Money, MoneyDto};

/// Reads an amount of a property file: zero or more, in EUR. `field` is the path of the
/// money object (e.g. `claim.quote`).
pub(crate) fn eur_amount(dto: &MoneyDto, field: &str) -> Result<Money, Error> {
    let money = dto.to_non_negative(field)?;
    if money.currency.code() != terms::CURRENCY {
        return Err(Error::CurrencyMismatch {
            field: format!("{field}.currency"),
            expected: terms::CURRENCY.to_owned(),
            found: money.currency.code().to_owned(),
        });
    }
    Ok(money)
}

/// Trims a text field; a blank value is [`Error::EmptyValue`].
pub(crate) fn non_blank(value: &str, field: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        Err(Error::EmptyValue {
            field: field.to_owned(),
        })
    } else {
        Ok(v.to_owned())
    }
}
