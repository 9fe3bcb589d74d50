//! # delcredere
//!
//! An embeddable rules engine for trade credit insurance. A seller insures its receivables:
//! the insurer sets a credit limit per buyer, the seller may self-assess small buyers, must
//! report overdues in time, declares its turnover for the premium, and is paid an indemnity
//! when a buyer goes insolvent or does not pay. This crate answers those questions from a
//! policy's terms, exactly (decimal money, explicit dates), and explains each answer with the
//! rule it applied (rule IDs from `spec/rules.md`) in English, German, French, Dutch and Danish.
//!
//! ## Quick start: a cover check, typed
//!
//! Is a delivery of DKK 10,000 to a German buyer covered, when the buyer already owes
//! DKK 45,000 and has a named limit of DKK 50,000 (LIM-1)? Only the part within the limit:
//!
//! ```
//! use delcredere::{check_delivery_cover, sample, BuyerDto, CheckDeliveryCoverInput, DeliveryOrderDto};
//! use delcredere::{EntityKind, IsoDate, LimitEventDto, MoneyDto, Outcome};
//!
//! let policy = sample::policy("dk")?; // a named limit for every buyer, DE an agreed country
//! let buyer = BuyerDto::new("Müller Maschinenbau GmbH", "DE", EntityKind::Company);
//! let march: IsoDate = "2026-03-01".parse()?;
//! let delivery = DeliveryOrderDto::new("10000 DKK".parse()?, march, 60);
//! let mut input = CheckDeliveryCoverInput::new(policy, buyer, "45000 DKK".parse()?, delivery, march);
//! input.limit_events = vec![
//!     LimitEventDto::applied("2026-02-01".parse()?, "50000 DKK".parse()?, 60),
//!     LimitEventDto::granted("2026-02-05".parse()?, "50000 DKK".parse()?),
//! ];
//! let decision = check_delivery_cover(&input)?;
//! assert_eq!(decision.outcome, Outcome::PartlyCovered);
//! assert_eq!(decision.amounts["coveredAmount"], "5000.00 DKK".parse::<MoneyDto>()?);
//! assert_eq!(decision.amounts["uncoveredAmount"], "5000.00 DKK".parse::<MoneyDto>()?);
//! # Ok::<(), delcredere::Error>(())
//! ```
//!
//! 45,000 owed and 10,000 delivered is 55,000 against a 50,000 limit: 5,000 covered, 5,000 not.
//! Every input is a DTO ([`MoneyDto`], [`IsoDate`], [`BuyerDto`], ...): build it with its
//! constructor, `parse()` or `Default` (where every field is optional, as [`PolicyDto`]), or
//! deserialize it from the camelCase JSON the other runtimes send. Amounts are [`Decimal`]s,
//! dates [`NaiveDate`]s (both re-exported), never floats or strings read loosely.
//!
//! ## Ops
//!
//! Each op of [`ffi::OPS`] is a function here, named after the op (snake_case, as in Python;
//! camelCase in JS); [`ffi::call`] runs any of them by name on JSON.
//!
//! | op | function | input type |
//! |---|---|---|
//! | `validate_policy` | [`PolicyDto::validate`] | [`PolicyDto`] ([`ffi::ValidatePolicyInput`] in JSON) |
//! | `check_insurability` | [`check_insurability`] | [`Policy`], [`BuyerDto`], [`ReceivableDto`] ([`ffi::CheckInsurabilityInput`]) |
//! | `explain` | [`Decision::explain`] | [`Decision`], [`Language`] ([`ffi::ExplainInput`]) |
//! | `check_delivery_cover` | [`check_delivery_cover`] | [`CheckDeliveryCoverInput`] |
//! | `limit_state` | [`limit_state`] | [`LimitStateInput`] |
//! | `check_limit_application` | [`check_limit_application`] | [`CheckLimitApplicationInput`] |
//! | `assess_discretionary` | [`assess_discretionary`] | [`AssessDiscretionaryInput`] |
//! | `peak_outstanding` | [`peak_outstanding_decision`] | [`PeakOutstandingInput`] |
//! | `average_outstanding` | [`average_outstanding`] | [`AverageOutstandingInput`] |
//! | `overdue_report` | [`overdue_report`] | [`OverdueReportInput`] |
//! | `notification_duty` | [`notification_duty`] | [`NotificationDutyInput`] |
//! | `turnover_premium` | [`turnover_premium`] | [`TurnoverPremiumInput`] |
//! | `declaration_status` | [`declaration_status`] | [`DeclarationStatusInput`] |
//! | `validate_turnover_declaration` | [`validate_turnover_declaration`] | [`ValidateTurnoverDeclarationInput`] |
//! | `balance_premium` | [`balance_premium`] | [`BalancePremiumInput`] |
//! | `account_state` | [`account_state`] | [`AccountStateInput`] |
//! | `obligations` | [`obligations`] | [`ObligationsInput`] |
//! | `insured_event` | [`insured_event`] | [`InsuredEventInput`] |
//! | `check_claim_file` | [`check_claim_file`] | [`CheckClaimFileInput`] |
//! | `indemnity` | [`indemnity`] | [`IndemnityInput`] |
//! | `recovery` | [`recovery`] | [`RecoveryInput`] |
//! | `collection_handover` | [`collection_handover`] | [`CollectionHandoverInput`] |
//! | `check_collection_file` | [`check_collection_file`] | [`CheckCollectionFileInput`] |
//! | `collection_contact_schedule` | [`collection_contact_schedule`] | [`CollectionContactScheduleInput`] |
//! | `dispute_collection` | [`dispute_collection`] | [`DisputeCollectionInput`] |
//! | `check_pre_export` | [`check_pre_export`] | [`CheckPreExportInput`] |
//! | `validate_limit_application` | [`validate_limit_application`] | [`ValidateLimitApplicationInput`] |
//! | `validate_turnover_declaration_form` | [`validate_turnover_declaration_form`] | [`ValidateTurnoverDeclarationInput`] (as JSON or a [`ffi::Source`]) |
//! | `validate_claim_file_form` | [`validate_claim_file_form`] | [`ValidateClaimFileFormInput`] |
//! | `validate_collection_file_form` | [`validate_collection_file_form`] | [`ValidateCollectionFileFormInput`] |
//! | `validate_overdue_report_form` | [`validate_overdue_report_form`] | [`ValidateOverdueReportFormInput`] |
//! | `intake_order` | [`intake_order`] | [`MissionOrderDto`] ([`IntakeOrderInput`]`.order`) |
//! | `check_water_damage` | [`check_water_damage`] | [`WaterDamageClaimDto`] ([`CheckWaterDamageInput`]`.claim`) |
//! | `follow_up_remote_assessment` | [`follow_up_remote_assessment`] | [`FollowUpDto`], [`IsoDate`] ([`FollowUpRemoteAssessmentInput`]) |
//! | `check_expertise` | [`check_expertise`] | [`ExpertiseClaimDto`] ([`CheckExpertiseInput`]`.claim`) |
//!
//! The same through JSON, as the bindings (Python, WebAssembly, C) call it:
//!
//! ```
//! use delcredere::ffi::call_json;
//! let out = call_json("check_insurability", r#"{
//!   "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
//!     "agreedCountries": ["DE", "FR"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
//!     "waitingPeriodDays": 180, "indemnityPercentage": "90",
//!     "maximumLiability": {"amount": "1000000", "currency": "EUR"},
//!     "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
//!   "buyer": {"legalName": "Müller Maschinenbau GmbH", "legalForm": "GmbH",
//!     "registrationNumber": "HRB 12345", "country": "US", "entityKind": "company"},
//!   "receivable": {"kind": "goods", "paymentTermsDays": 60}
//! }"#).unwrap();
//! assert!(out.starts_with(r#"{"outcome":"not_insurable""#));
//! ```

/// The repository's README, whose Rust code blocks run as doc tests (`cargo test -p delcredere
/// --doc`), so that they cannot drift from the crate (scripts/readme_snippets.py runs its Python
/// and JS blocks). In the source tree only: the packaged crate's README sits elsewhere.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub mod account;
pub mod batch;
pub mod buyer;
pub mod calendar;
pub mod claim;
pub mod collection;
pub mod country;
pub mod cover;
pub mod decision;
pub mod declaration;
pub mod discretionary;
pub mod engine;
pub mod error;
pub mod exposure;
pub mod ffi;
pub mod form;
pub mod i18n;
pub mod limit;
pub mod money;
pub mod overdue;
pub mod policy;
pub mod premium;
pub mod property;
pub mod sample;
mod serde_error;

pub use buyer::{check_insurability, BuyerDto, EntityKind, PaymentSecurity, ReceivableDto, ReceivableKind};
pub use calendar::{DayCount, IsoDate, PaymentTerms};
pub use country::Country;
pub use decision::{Decision, Explanation, Outcome, Param, Reason, ReasonCode};
pub use error::{Error, Problem};
pub use i18n::Language;
pub use money::{Currency, DecimalString, Money, MoneyDto, Percent};
pub use policy::{Policy, PolicyDto};

// The op functions and their input types (the table above), and the types they need.
pub use account::{account_state, obligations, AccountStateInput, ObligationsInput};
pub use chrono::NaiveDate;
pub use claim::indemnity::{indemnity, IndemnityInput};
pub use claim::recovery::{recovery, RecoveryInput};
pub use claim::{check_claim_file, insured_event, CheckClaimFileInput, InsuredEventInput};
pub use collection::{
    check_collection_file, check_pre_export, collection_contact_schedule, collection_handover, dispute_collection,
    CheckCollectionFileInput, CheckPreExportInput, CollectionContactScheduleInput, CollectionHandoverInput,
    DisputeCollectionInput,
};
pub use cover::{check_delivery_cover, CheckDeliveryCoverInput, DeliveryOrderDto};
pub use declaration::{validate_turnover_declaration, ValidateTurnoverDeclarationInput};
pub use discretionary::{assess_discretionary, AssessDiscretionaryInput, SelfAssessmentDto};
pub use exposure::{average_outstanding, peak_outstanding_decision, AverageOutstandingInput, PeakOutstandingInput};
pub use form::{
    validate_claim_file_form, validate_collection_file_form, validate_limit_application, validate_overdue_report_form,
    validate_turnover_declaration_form, FormReport, ValidateClaimFileFormInput, ValidateCollectionFileFormInput,
    ValidateLimitApplicationInput, ValidateOverdueReportFormInput,
};
pub use limit::{check_limit_application, limit_state, CheckLimitApplicationInput, LimitEventDto, LimitStateInput};
pub use overdue::duty::{notification_duty, NotificationDutyInput};
pub use overdue::{overdue_report, OverdueReportInput};
pub use premium::{
    balance_premium, declaration_status, turnover_premium, BalancePremiumInput, DeclarationStatusInput,
    TurnoverPremiumInput,
};
pub use property::{
    check_expertise, check_water_damage, follow_up_remote_assessment, intake_order, CheckExpertiseInput,
    CheckWaterDamageInput, ExpertiseClaimDto, FollowUpDto, FollowUpRemoteAssessmentInput, IntakeOrderInput,
    MissionOrderDto, WaterDamageClaimDto,
};
pub use rust_decimal::Decimal;

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    /// `Default` is what the empty JSON object `{}` reads as, for the DTOs whose every field is
    /// optional.
    fn default_is_the_empty_object<T: DeserializeOwned + Default + PartialEq + std::fmt::Debug>() {
        assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T::default());
    }

    #[test]
    fn dtos_with_only_optional_fields_default_to_the_empty_object() {
        default_is_the_empty_object::<crate::PolicyDto>();
        default_is_the_empty_object::<crate::policy::PremiumDto>();
        default_is_the_empty_object::<crate::policy::InsuranceYearDto>();
        default_is_the_empty_object::<crate::policy::ExcludedBuyerDto>();
        default_is_the_empty_object::<crate::form::ClaimFileFormDto>();
        default_is_the_empty_object::<crate::form::LimitApplicationFormDto>();
        default_is_the_empty_object::<crate::form::OverdueReportFormDto>();
    }

    #[test]
    fn the_constructors_build_what_the_json_without_optional_keys_reads_as() {
        let delivery: crate::DeliveryOrderDto = serde_json::from_str(
            r#"{"amount": {"amount": "10000", "currency": "EUR"}, "date": "2026-03-01", "paymentTermsDays": 60}"#,
        )
        .unwrap();
        let built = crate::DeliveryOrderDto::new("10000 EUR".parse().unwrap(), "2026-03-01".parse().unwrap(), 60);
        assert_eq!(built, delivery);
        let buyer: crate::BuyerDto =
            serde_json::from_str(r#"{"legalName": "Dupont SA", "country": "FR", "entityKind": "company"}"#).unwrap();
        assert_eq!(
            crate::BuyerDto::new("Dupont SA", "FR", crate::EntityKind::Company),
            buyer
        );
        let receivable: crate::ReceivableDto =
            serde_json::from_str(r#"{"kind": "services", "paymentTermsDays": 30}"#).unwrap();
        assert_eq!(
            crate::ReceivableDto::new(crate::ReceivableKind::Services, 30),
            receivable
        );
        let granted: crate::LimitEventDto = serde_json::from_str(
            r#"{"type": "granted", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}"#,
        )
        .unwrap();
        assert_eq!(
            crate::LimitEventDto::granted("2026-02-05".parse().unwrap(), "50000 EUR".parse().unwrap()),
            granted
        );
    }
}
