//! The one answer type: [`Decision`] with its [`Reason`]s, and their rendering in five languages.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::i18n::{self, Language};
use crate::money::{DecimalString, MoneyDto};

/// The outcome of a question. Each op documents which outcomes it can give.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The buyer and receivable can be insured (BUY-1..5).
    Insurable,
    /// The buyer or receivable cannot be insured; the reasons say why.
    NotInsurable,
    /// A branch or establishment: insurable, but the cover is held through its head office (BUY-2).
    InsurableThroughHeadOffice,
    /// A figure was computed (EXP); `amounts` holds it.
    Computed,
    /// The delivery or need is covered in full.
    Covered,
    /// Covered in part; `amounts` holds the covered and uncovered parts.
    PartlyCovered,
    /// Not covered.
    NotCovered,
    /// No limit has been applied for (LIM-1).
    NoLimit,
    /// A limit application awaits the insurer's decision (LIM-1).
    LimitRequested,
    /// The limit was granted in full (LIM-1).
    LimitGranted,
    /// The limit was granted for a lower amount (LIM-1).
    LimitPartlyGranted,
    /// The limit was refused (LIM-1).
    LimitRefused,
    /// The limit was reduced (LIM-3).
    LimitReduced,
    /// A withdrawal was announced and takes effect later (LIM-3).
    LimitWithdrawalPending,
    /// The limit is withdrawn (LIM-3).
    LimitWithdrawn,
    /// The insured cancelled the limit (LIM-4).
    LimitCancelled,
    /// A limit application is complete and consistent with the policy (LIM-2).
    ApplicationReady,
    /// A limit application has something the insurer will question (LIM-2).
    ApplicationFlagged,
    /// Property claims: the file opens automatically from the insurer's web platform (PCI-1).
    FileOpenedAutomatically,
    /// Property claims: a claims handler opens the file by hand (PCI-1).
    FileToOpenByHand,
    /// Property claims: the insurer's own team opens and handles the file (PCI-1).
    FileForInsurerTeam,
    /// Property claims: the order does not fit its channel; check it before opening (PCI-1).
    OrderToCheck,
    /// Property claims: someone may be dispatched (PCI-2).
    DispatchAllowed,
    /// Property claims: nobody may be dispatched yet, or not by us (PCI-2).
    DispatchNotAllowed,
    /// Property claims: the work asked for is not covered (PCI-2, PCI-4).
    WorkNotCovered,
    /// Property claims: waiting for the remote assessment, reminding the customer (PCI-3).
    AwaitingRemoteAssessment,
    /// Property claims: SMS sent, the file waits for the customer for one week (PCI-3).
    WaitingForCustomer,
    /// Property claims: the week of waiting for the customer is over (PCI-3).
    WaitingForCustomerEnded,
    /// Property claims: the customer was reached (PCI-3).
    CustomerReached,
    /// Property claims: the works are handled within the handling limit (PCI-4).
    HandledWithinLimit,
    /// Property claims: the file goes back to the insurer (PCI-4).
    ReturnedToInsurer,
    /// Property claims: an on-site expertise is opened (PCI-4).
    ExpertiseRequired,
    /// At least one overdue invoice must be reported (OVD-1, OVD-5).
    OverdueToReport,
    /// No overdue has to be reported (OVD-1, OVD-4, DIS-6).
    NoOverdueToReport,
    /// The event must be notified to the insurer (OVD-7).
    NotificationRequired,
    /// The insurer's consent is needed before acting (OVD-7, OVD-8).
    ConsentRequired,
    /// The event need not be notified (OVD-7).
    NoNotificationRequired,
    /// The final premium is above the provisional premium: additional premium is due (PRM-1).
    AdditionalPremiumDue,
    /// The final premium is below the provisional premium: a refund is due (PRM-1).
    PremiumRefundDue,
    /// The final premium equals the provisional premium (PRM-1).
    PremiumUnchanged,
    /// No declaration is needed (fixed premium, PRM-2).
    NoDeclarationNeeded,
    /// The insurance year has not ended yet; the declaration will be due (PRM-2).
    DeclarationNotYetDue,
    /// The insurance year has ended; the declaration is due by the deadline (PRM-2).
    DeclarationDue,
    /// The declaration deadline has passed without a declaration (PRM-2).
    DeclarationOverdue,
    /// The declaration was received (PRM-2).
    DeclarationReceived,
    /// A balance report is past its deadline without being sent: cover and the right to an
    /// indemnity are at risk (PRM-6).
    BalanceReportOverdue,
    /// The declaration has no finding (PRM-3..5).
    DeclarationValid,
    /// The declaration has warnings to check, no errors (PRM-3..5).
    DeclarationHasWarnings,
    /// The declaration has errors to correct before it is sent (PRM-3..5).
    DeclarationHasErrors,
    /// At least one obligation is not done (ACC).
    ObligationsOpen,
    /// Every obligation is done (ACC).
    NoObligations,
    /// The insured event occurred: the buyer's insolvency proceedings were opened (CLM-1).
    InsuredEventInsolvency,
    /// The insured event occurred: protracted default, the waiting period expired (CLM-1).
    InsuredEventProtractedDefault,
    /// No insured event has occurred yet (CLM-1).
    NoInsuredEvent,
    /// The claim file has every document (CLM-3).
    ClaimFileComplete,
    /// The claim file lacks documents (CLM-3).
    ClaimFileIncomplete,
    /// An indemnity is payable; `amounts.indemnity` holds it (CLM-5).
    IndemnityPayable,
    /// The claim gives no indemnity (CLM-5).
    NoIndemnity,
    /// The file can be handed to the insurer's collection service (COL-1).
    CollectionPossible,
    /// The file cannot be handed over yet (COL-1).
    CollectionNotYetPossible,
    /// The collection file has every required item (COL-2).
    CollectionFileComplete,
    /// The collection file lacks required items (COL-2).
    CollectionFileIncomplete,
    /// Every pre-export safeguard is in place (COL-5).
    PreExportComplete,
    /// Some pre-export safeguards are missing (COL-5).
    PreExportGaps,
}

/// A parameter of a reason: a figure or a name used by the rule.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Param {
    /// A whole number, e.g. a number of days.
    Int(i64),
    /// A decimal amount or percentage (a string across boundaries).
    Decimal(DecimalString),
    /// A name, code or date.
    Text(String),
}

/// Reads a whole number as [`Param::Int`] and any string as [`Param::Text`]: whether a
/// parameter is a decimal is declared by its reason code ([`ReasonCode::decimal_params`]), not
/// guessed from its text, so a decision read back renders exactly as it was produced.
impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Param;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Param, E> {
                Ok(Param::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Param, E> {
                i64::try_from(v)
                    .map(Param::Int)
                    .map_err(|_| E::custom("parameter out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Param, E> {
                Ok(Param::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Param {
    /// An amount parameter.
    pub fn amount(d: Decimal) -> Self {
        Param::Decimal(DecimalString(d))
    }
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<u32> for Param {
    fn from(v: u32) -> Self {
        Param::Int(i64::from(v))
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_owned())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Int(v) => v.fmt(f),
            Param::Decimal(v) => v.fmt(f),
            Param::Text(v) => f.write_str(v),
        }
    }
}

macro_rules! reason_codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, $rule:literal, [$($param:literal),*] $(decimal [$($dec:literal),*])?; )*) => {
        /// Stable identifier of a reason. Each code belongs to one rule of spec/rules.md and carries
        /// a fixed set of parameters.
        ///
        /// Serialized as its snake_case code. Serialize and Deserialize are written by hand
        /// (a lookup in [`ReasonCode::CODES`]): the derived ones match every code in several
        /// generated functions, the largest code in the WebAssembly build.
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ReasonCode {
            $( $(#[$doc])* #[cfg_attr(feature = "ts", serde(rename = $code))] $variant, )*
        }

        impl ReasonCode {
            /// Every reason code, for catalogue checks.
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant),*];

            /// The snake_case codes, in the order of [`ReasonCode::ALL`].
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The reason with snake_case code `code`.
            pub fn from_code(code: &str) -> Option<ReasonCode> {
                let index = Self::CODES.iter().position(|c| *c == code)?;
                Self::ALL.get(index).copied()
            }

            /// The snake_case code.
            pub fn as_str(&self) -> &'static str {
                match self { $(ReasonCode::$variant => $code,)* }
            }

            /// The rule ID (spec/rules.md) this reason applies.
            pub fn rule(&self) -> &'static str {
                match self { $(ReasonCode::$variant => $rule,)* }
            }

            /// The names of the parameters the reason carries.
            pub fn param_names(&self) -> &'static [&'static str] {
                match self { $(ReasonCode::$variant => &[$($param),*],)* }
            }

            /// The parameters that are decimals (amounts, percentages): rendered with the
            /// language's separators.
            pub fn decimal_params(&self) -> &'static [&'static str] {
                match self { $(ReasonCode::$variant => &[$($($dec),*)?],)* }
            }
        }
    };
}

impl Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReasonCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = ReasonCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a reason code")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<ReasonCode, E> {
                ReasonCode::from_code(code).ok_or_else(|| E::unknown_variant(code, ReasonCode::CODES))
            }
        }
        deserializer.deserialize_str(CodeVisitor)
    }
}

reason_codes! {
    /// BUY-1: cover is for the buyer who receives the goods, not for the payer.
    CoverFollowsRecipient => "cover_follows_recipient", "BUY-1", ["buyer", "payer"];
    /// BUY-2: a legally independent company at its registered head office.
    IndependentCompany => "independent_company", "BUY-2", ["buyer"];
    /// BUY-2: a branch or establishment is insured through its head office.
    InsuredThroughHeadOffice => "insured_through_head_office", "BUY-2", ["buyer"];
    /// BUY-2: a private individual is not a company.
    NotACompany => "not_a_company", "BUY-2", ["buyer"];
    /// BUY-3: public-law bodies are not insurable.
    PublicBody => "public_body", "BUY-3", ["buyer"];
    /// BUY-3: companies in which the insured holds a majority are not insurable.
    Affiliate => "affiliate", "BUY-3", ["buyer"];
    /// BUY-3: receivables from renting or leasing real estate are not insurable.
    RealEstateRentOrLease => "real_estate_rent_or_lease", "BUY-3", [];
    /// BUY-3: payment terms longer than the maximum credit period.
    PaymentTermsExceedMaxCreditPeriod => "payment_terms_exceed_max_credit_period", "BUY-3", ["paymentTermsDays", "maxCreditPeriodDays"];
    /// BUY-4: the buyer's country is one of the agreed countries.
    CountryAgreed => "country_agreed", "BUY-4", ["country"];
    /// BUY-4: the buyer's country is not agreed in the policy.
    CountryNotAgreed => "country_not_agreed", "BUY-4", ["country"];
    /// BUY-4: the policy excludes this buyer by name.
    BuyerExcludedByName => "buyer_excluded_by_name", "BUY-4", ["buyer"];
    /// BUY-5: identified by VAT number only, which is not reliable.
    IdentifiedByVatOnly => "identified_by_vat_only", "BUY-5", ["vatNumber"];
    /// BUY-5: identified by name and address only.
    IdentifiedByNameOnly => "identified_by_name_only", "BUY-5", ["buyer"];
    /// BUY-5: the legal form is missing from the legal name.
    LegalFormMissing => "legal_form_missing", "BUY-5", ["buyer"];
    /// PRM-4: a sale not on credit (cash before or on delivery) carries no credit risk.
    NotOnCredit => "not_on_credit", "PRM-4", [];
    /// PRM-4: a sale secured by a confirmed letter of credit is not insured.
    SecuredByLetterOfCredit => "secured_by_letter_of_credit", "PRM-4", [];
    /// PRM-4: a public buyer the policy expressly covers is insurable (an exception to BUY-3).
    PublicBuyerCovered => "public_buyer_covered", "PRM-4", ["buyer"];
    /// LIM-1: the buyer has no named limit and no self-assessed cover.
    NoLimitInForce => "no_limit_in_force", "LIM-1", [];
    /// LIM-1: a limit was applied for and awaits a decision.
    LimitApplied => "limit_applied", "LIM-1", ["requested", "currency", "date"] decimal ["requested"];
    /// LIM-1: the limit was granted in full.
    LimitGranted => "limit_granted", "LIM-1", ["amount", "currency", "date"] decimal ["amount"];
    /// LIM-1: the limit was granted for less than requested.
    LimitPartlyGranted => "limit_partly_granted", "LIM-1", ["amount", "requested", "currency", "date"] decimal ["amount", "requested"];
    /// LIM-1: the limit was refused.
    LimitRefused => "limit_refused", "LIM-1", ["date"];
    /// LIM-6: more was applied for on a limit in force, which stays usable until the decision.
    LimitIncreaseApplied => "limit_increase_applied", "LIM-6", ["amount", "requested", "currency", "date"] decimal ["amount", "requested"];
    /// LIM-6: a temporary raise, until its last day; then the amount before it again.
    LimitTemporarilyRaised => "limit_temporarily_raised", "LIM-6", ["amount", "fallback", "currency", "date", "until"] decimal ["amount", "fallback"];
    /// LIM-1: the delivery is covered by the named limit.
    CoveredByNamedLimit => "covered_by_named_limit", "LIM-1", ["limit", "outstanding", "covered", "currency"] decimal ["limit", "outstanding", "covered"];
    /// LIM-1: a delivery before the credit decision is not covered by the limit.
    DeliveryBeforeLimitDecision => "delivery_before_limit_decision", "LIM-1", ["date", "decided"];
    /// LIM-1: the part of the outstanding above the limit is not insured.
    OutstandingAboveLimit => "outstanding_above_limit", "LIM-1", ["limit", "outstanding", "uncovered", "currency"] decimal ["limit", "outstanding", "uncovered"];
    /// LIM-2: the requested payment terms exceed the maximum credit period.
    RequestedTermsExceedMaxCreditPeriod => "requested_terms_exceed_max_credit_period", "LIM-2", ["paymentTermsDays", "maxCreditPeriodDays"];
    /// LIM-2: the requested payment terms are within the maximum credit period.
    RequestedTermsWithinMaxCreditPeriod => "requested_terms_within_max_credit_period", "LIM-2", ["paymentTermsDays", "maxCreditPeriodDays"];
    /// LIM-3: the limit was reduced; deliveries before the effective date keep the old amount.
    LimitReduced => "limit_reduced", "LIM-3", ["amount", "previous", "currency", "effective"] decimal ["amount", "previous"];
    /// LIM-3: a withdrawal takes effect later; deliveries until then, within the old limit, stay covered.
    LimitWithdrawalPending => "limit_withdrawal_pending", "LIM-3", ["amount", "currency", "effective"] decimal ["amount"];
    /// LIM-3: the limit is withdrawn and can no longer be used.
    LimitWithdrawn => "limit_withdrawn", "LIM-3", ["effective"];
    /// LIM-4: the insured cancelled the limit.
    LimitCancelled => "limit_cancelled", "LIM-4", ["date"];
    /// LIM-4: cancelled by the deadline: no credit check fee for the new insurance year.
    CancelledBeforeDeadline => "cancelled_before_deadline", "LIM-4", ["deadline", "insuranceYearStart"];
    /// LIM-4: cancelled after the deadline: this insurance year's fee is due.
    CancelledAfterDeadline => "cancelled_after_deadline", "LIM-4", ["deadline", "insuranceYearStart"];
    /// LIM-5: a limit inside the discretionary limit checked by the insurer costs a yearly fee.
    CreditCheckFeeApplies => "credit_check_fee_applies", "LIM-5", ["discretionaryLimit", "currency"] decimal ["discretionaryLimit"];
    /// DIS-1: the policy has no self-assessment.
    SelfAssessmentNotAgreed => "self_assessment_not_agreed", "DIS-1", [];
    /// DIS-1 (a): enough purchases (`selfAssessmentMinPurchases`, "twice") within the window
    /// (`selfAssessmentWindowMonths`, "12 months") paid by due date plus the maximum extension period.
    PaidOnTimeTwice => "paid_on_time_twice", "DIS-1", ["count", "since"];
    /// DIS-1 (a): fewer such purchases than the policy needs.
    TooFewPaidPurchases => "too_few_paid_purchases", "DIS-1", ["count", "needed", "since"];
    /// DIS-1 (b): a written report justifies the amount.
    ReportJustifiesAmount => "report_justifies_amount", "DIS-1", ["recommended", "currency", "reportDate"] decimal ["recommended"];
    /// DIS-1 (b): the report is older than the self-assessment window.
    ReportTooOld => "report_too_old", "DIS-1", ["reportDate", "since"];
    /// DIS-1 (b): the report is dated after the delivery judged: the insured did not hold it then.
    ReportAfterDelivery => "report_after_delivery", "DIS-1", ["reportDate", "date"];
    /// DIS-1 (c): the insurer's credit check approved an amount.
    InsurerCreditCheck => "insurer_credit_check", "DIS-1", ["approved", "currency", "date"] decimal ["approved"];
    /// DIS-1 (c): credit checks inside the discretionary limit are not agreed.
    CreditCheckNotAgreed => "credit_check_not_agreed", "DIS-1", [];
    /// DIS-1: none of the three routes holds.
    NoSelfAssessmentEvidence => "no_self_assessment_evidence", "DIS-1", [];
    /// DIS-2: negative information learned within the self-assessment window before the assessment.
    NegativeInformation => "negative_information", "DIS-2", ["date"];
    /// DIS-3: a report without a maximum credit figure does not qualify.
    ReportWithoutMaximumCredit => "report_without_maximum_credit", "DIS-3", [];
    /// DIS-3: a report that contradicts itself does not qualify.
    ReportContradictsItself => "report_contradicts_itself", "DIS-3", [];
    /// DIS-3: self-assessed cover never exceeds the discretionary limit (or the evidence's figure).
    CappedAtDiscretionaryLimit => "capped_at_discretionary_limit", "DIS-3", ["cap", "needed", "currency"] decimal ["cap", "needed"];
    /// DIS-1..3: the self-assessed cover.
    SelfAssessedCover => "self_assessed_cover", "DIS-1", ["covered", "currency"] decimal ["covered"];
    /// DIS-4: no self-assessment for the window (`selfAssessmentWindowMonths`) after a refusal or withdrawal.
    BarredAfterRefusalOrWithdrawal => "barred_after_refusal_or_withdrawal", "DIS-4", ["date", "until"];
    /// DIS-5: outstanding above the discretionary limit: apply for a named limit at once.
    ApplyForNamedLimit => "apply_for_named_limit", "DIS-5", ["outstanding", "discretionaryLimit", "currency"] decimal ["outstanding", "discretionaryLimit"];
    /// DIS-7: covered by the policy's automatic cover per buyer, without a named limit.
    CoveredByAutomaticCover => "covered_by_automatic_cover", "DIS-7", ["automaticCover", "outstanding", "covered", "currency"] decimal ["automaticCover", "outstanding", "covered"];
    /// DIS-7: the part of the outstanding above the automatic cover is not insured.
    OutstandingAboveAutomaticCover => "outstanding_above_automatic_cover", "DIS-7", ["automaticCover", "outstanding", "uncovered", "currency"] decimal ["automaticCover", "outstanding", "uncovered"];
    /// DIS-7: after a refusal or withdrawal of a limit on the buyer, no automatic cover.
    AutomaticCoverBarred => "automatic_cover_barred", "DIS-7", ["date"];
    /// EXP-1: the peak outstanding is the limit to apply for.
    PeakOutstanding => "peak_outstanding", "EXP-1", ["peak", "currency", "date"] decimal ["peak"];
    /// EXP-2: average outstanding from annual sales.
    AverageOutstandingAnnual => "average_outstanding_annual", "EXP-2", ["sales", "currency", "paymentTermsDays", "average"] decimal ["sales", "average"];
    /// EXP-2: average outstanding from monthly sales.
    AverageOutstandingMonthly => "average_outstanding_monthly", "EXP-2", ["sales", "currency", "paymentTermsDays", "average"] decimal ["sales", "average"];
    // PCI
    /// PCI-1: an order of the central claims platform opens the file automatically from the web.
    OpenedAutomaticallyFromWeb => "opened_automatically_from_web", "PCI-1", [];
    /// PCI-1: the companion "full management" file opens with it and must not be touched.
    FullManagementFileNotToBeTouched => "full_management_file_not_to_be_touched", "PCI-1", [];
    /// PCI-1: an agency order (mail or fax) is opened by hand.
    AgencyOrderOpenedByHand => "agency_order_opened_by_hand", "PCI-1", [];
    /// PCI-1: a broker order (e-mail, no fixed form) is opened by hand.
    BrokerOrderOpenedByHand => "broker_order_opened_by_hand", "PCI-1", [];
    /// PCI-1: an expert firm's order is opened and handled by the insurer's team.
    ExpertFirmOrderForInsurerTeam => "expert_firm_order_for_insurer_team", "PCI-1", [];
    /// PCI-1: the claim number, normalised.
    ClaimNumberRecorded => "claim_number_recorded", "PCI-1", ["claimNumber"];
    /// PCI-1: an agency claim number must start with the agencies' prefix.
    AgencyClaimNumberPrefixMissing => "agency_claim_number_prefix_missing", "PCI-1", ["claimNumber", "prefix"];
    /// PCI-1: a broker claim number usually starts with the brokers' prefix.
    BrokerClaimNumberUnusualPrefix => "broker_claim_number_unusual_prefix", "PCI-1", ["claimNumber", "prefix"];
    /// PCI-1: agency and broker orders carry no order number; the field is set to 0.
    OrderNumberSetToZero => "order_number_set_to_zero", "PCI-1", ["orderNumber"];
    /// PCI-1: the order number given by the channel.
    OrderNumberRecorded => "order_number_recorded", "PCI-1", ["orderNumber"];
    /// PCI-1: the agent code of an agency order.
    AgentCodeRecorded => "agent_code_recorded", "PCI-1", ["agentCode"];
    /// PCI-1: the broker code found in the order.
    BrokerCodeRecorded => "broker_code_recorded", "PCI-1", ["brokerCode"];
    /// PCI-1: no broker code in the order: the default code is entered.
    BrokerCodeDefaulted => "broker_code_defaulted", "PCI-1", ["brokerCode"];
    /// PCI-2: the cause of the water damage is repaired: repair works may be dispatched.
    WaterDamageCauseRepaired => "water_damage_cause_repaired", "PCI-2", [];
    /// PCI-2: the cause of the water damage is not repaired: nobody is dispatched.
    WaterDamageCauseNotRepaired => "water_damage_cause_not_repaired", "PCI-2", [];
    /// PCI-2: leak repairs are not covered.
    LeakRepairNotCovered => "leak_repair_not_covered", "PCI-2", [];
    /// PCI-2: a visual leak detection may be ordered.
    VisualLeakDetectionAllowed => "visual_leak_detection_allowed", "PCI-2", [];
    /// PCI-2: a non-destructive leak detection may be ordered.
    NonDestructiveLeakDetectionAllowed => "non_destructive_leak_detection_allowed", "PCI-2", [];
    /// PCI-2: no leak detection for an owner-occupied house: own contractor, invoice sent in.
    NoLeakDetectionForOwnerOccupiedHouse => "no_leak_detection_for_owner_occupied_house", "PCI-2", [];
    /// PCI-3: reminders sent so far, out of the number due before the SMS.
    RemindersSent => "reminders_sent", "PCI-3", ["count", "maximum"];
    /// PCI-3: the SMS was sent; the file waits for the customer until a date.
    SmsSent => "sms_sent", "PCI-3", ["sentOn", "waitUntil"];
    /// PCI-3: the customer was reached on a date.
    CustomerReachedOn => "customer_reached_on", "PCI-3", ["reachedOn"];
    /// PCI-3: next action: a reminder, its number and due date.
    NextReminderDue => "next_reminder_due", "PCI-3", ["number", "dueOn"];
    /// PCI-3: next action: the SMS, and its due date.
    NextSmsDue => "next_sms_due", "PCI-3", ["dueOn"];
    /// PCI-3: next action: review the file when the week of waiting ends.
    NextFileReviewDue => "next_file_review_due", "PCI-3", ["dueOn"];
    /// PCI-3: next action: carry out the remote assessment with the customer.
    NextRemoteAssessmentDue => "next_remote_assessment_due", "PCI-3", ["dueOn"];
    /// PCI-3: contact was attempted: the "remote assessment confirmed with customer" flag is set.
    ConfirmedWithCustomerFlagSet => "confirmed_with_customer_flag_set", "PCI-3", ["since"];
    /// PCI-3: no contact attempted yet: the flag is not set yet.
    ConfirmedWithCustomerFlagNotYetSet => "confirmed_with_customer_flag_not_yet_set", "PCI-3", [];
    /// PCI-4: glass breakage works within the handling limit are handled.
    GlassWithinHandlingLimit => "glass_within_handling_limit", "PCI-4", ["quote", "limit"] decimal ["quote", "limit"];
    /// PCI-4: glass breakage works above the handling limit need an on-site expertise.
    GlassAboveHandlingLimit => "glass_above_handling_limit", "PCI-4", ["quote", "limit"] decimal ["quote", "limit"];
    /// PCI-4: a vehicle-impact quote up to the handling limit is handled.
    VehicleQuoteHandled => "vehicle_quote_handled", "PCI-4", ["quote", "limit"] decimal ["quote", "limit"];
    /// PCI-4: a vehicle-impact quote above the handling limit, up to the expertise threshold, goes back to the insurer.
    VehicleQuoteReturnedToInsurer => "vehicle_quote_returned_to_insurer", "PCI-4", ["quote", "limit", "expertiseThreshold"] decimal ["quote", "limit", "expertiseThreshold"];
    /// PCI-4: a vehicle-impact quote above the expertise threshold needs an on-site expertise.
    VehicleQuoteExpertise => "vehicle_quote_expertise", "PCI-4", ["quote", "expertiseThreshold"] decimal ["quote", "expertiseThreshold"];
    /// PCI-4: no handling limit given by the insurer for keys: the default limit (VAT incl.) applies.
    KeyHandlingLimitDefault => "key_handling_limit_default", "PCI-4", ["limit"] decimal ["limit"];
    /// PCI-4: key theft or loss within the handling limit is handled.
    KeyWithinHandlingLimit => "key_within_handling_limit", "PCI-4", ["quote", "limit"] decimal ["quote", "limit"];
    /// PCI-4: key theft or loss above the handling limit needs an on-site expertise.
    KeyAboveHandlingLimit => "key_above_handling_limit", "PCI-4", ["quote", "limit"] decimal ["quote", "limit"];
    /// PCI-4: cosmetic restoration in embellishment work is not covered.
    CosmeticRestorationNotCovered => "cosmetic_restoration_not_covered", "PCI-4", [];
    // OVD
    /// OVD-1: past due plus the maximum extension period: report the overdue at once.
    OverdueReportingDuty => "overdue_reporting_duty", "OVD-1", ["invoice", "dueDate", "extensionEnds", "reportBy", "open", "currency"] decimal ["open"];
    /// OVD-1: the maximum extension period will clearly be exceeded: report at once.
    OverdueClearlyExceeded => "overdue_clearly_exceeded", "OVD-1", ["invoice", "dueDate", "extensionEnds", "reportBy", "open", "currency"] decimal ["open"];
    /// OVD-1: the known reason for the delay is given in the report.
    OverdueDelayReason => "overdue_delay_reason", "OVD-1", ["invoice", "reason"];
    /// OVD-1: past due, still inside the maximum extension period.
    OverdueWithinExtensionPeriod => "overdue_within_extension_period", "OVD-1", ["invoice", "dueDate", "extensionEnds"];
    /// OVD-2: from the reporting date new receivables do not enter cover.
    NewReceivablesExcluded => "new_receivables_excluded", "OVD-2", ["since", "until"];
    /// OVD-2, OVD-3 (CH): the insurer expressly confirmed that cover continues; the
    /// confirmation has no time limit, so the exclusion period does not end it.
    ContinuedCoverConfirmed => "continued_cover_confirmed", "OVD-2", ["since"];
    /// OVD-3: once the exclusion period is exceeded, further deliveries are not covered.
    ExclusionPeriodExceeded => "exclusion_period_exceeded", "OVD-3", ["since", "exclusionEnds"];
    /// OVD-3: every overdue that triggered the exclusion is paid: the exclusion ended.
    ExclusionEndedAllPaid => "exclusion_ended_all_paid", "OVD-3", ["paidOn"];
    /// OVD-4: an overdue invoice not above the per-invoice threshold: no duty, no exclusion.
    BelowOverdueReportingThreshold => "below_overdue_reporting_threshold", "OVD-4", ["invoice", "open", "threshold", "currency"] decimal ["open", "threshold"];
    /// OVD-5: one report for all overdues, with the oldest invoice's dates and the total.
    CombinedOverdueReport => "combined_overdue_report", "OVD-5", ["count", "oldestInvoice", "invoiceDate", "dueDate", "paymentTermsDays", "total", "currency", "reportBy"] decimal ["total"];
    /// OVD-6: payments received in between are reported on the insurer's reporting date.
    PaymentsReportedOnReportingDate => "payments_reported_on_reporting_date", "OVD-6", ["reportingDate", "count", "total", "currency"] decimal ["total"];
    /// OVD-6: the next extra reporting date set by the insurer.
    NextReportingDate => "next_reporting_date", "OVD-6", ["date"];
    /// OVD-7: the event must be notified.
    NotificationRequired => "notification_required", "OVD-7", ["event", "coverKind", "notifyBy"];
    /// OVD-7: the event need not be notified.
    NoNotificationRequired => "no_notification_required", "OVD-7", ["event", "coverKind"];
    /// OVD-7: the insurer's consent is needed before agreeing.
    ConsentRequiredBeforeActing => "consent_required_before_acting", "OVD-7", ["event", "agreementDate"];
    /// OVD-7: the insurer's written consent is on file.
    ConsentOnFile => "consent_on_file", "OVD-7", ["event"];
    /// OVD-8: an instalment plan without the insurer's written consent.
    InstalmentPlanWithoutWrittenConsent => "instalment_plan_without_written_consent", "OVD-8", [];
    /// OVD-8: the instalment plan has the insurer's written consent.
    InstalmentPlanWrittenConsent => "instalment_plan_written_consent", "OVD-8", [];
    /// OVD-9: a risk-increasing circumstance.
    RiskIncreasingCircumstance => "risk_increasing_circumstance", "OVD-9", ["event"];
    /// DIS-6: self-assessed buyers: no duty to report overdues.
    NoOverdueReportingDutySelfAssessed => "no_overdue_reporting_duty_self_assessed", "DIS-6", [];
    /// DIS-6: self-assessed buyer: deliveries after the exclusion period are not insured.
    SelfAssessedDeliveriesExcluded => "self_assessed_deliveries_excluded", "DIS-6", ["exclusionEnds"];
    /// DIS-6: all due is paid and no negative information remains: the exclusion ended.
    SelfAssessedExclusionEnded => "self_assessed_exclusion_ended", "DIS-6", ["paidOn"];
    /// DIS-6: all due is paid but negative information remains: still excluded.
    NegativeInformationRemains => "negative_information_remains", "DIS-6", ["paidOn"];
    // PRM
    /// PRM-1: the provisional premium on the expected turnover.
    ProvisionalPremium => "provisional_premium", "PRM-1", ["expectedTurnover", "rate", "premium", "currency"] decimal ["expectedTurnover", "rate", "premium"];
    /// PRM-1: the minimum premium, a share of the expected premium.
    MinimumPremium => "minimum_premium", "PRM-1", ["share", "expectedPremium", "minimumPremium", "currency"] decimal ["share", "expectedPremium", "minimumPremium"];
    /// PRM-1: the final premium on the declared insured turnover.
    FinalPremium => "final_premium", "PRM-1", ["declaredTurnover", "rate", "premium", "currency"] decimal ["declaredTurnover", "rate", "premium"];
    /// PRM-1: the premium on the declared turnover is below the minimum: the minimum is due.
    FinalPremiumRaisedToMinimum => "final_premium_raised_to_minimum", "PRM-1", ["declaredPremium", "minimumPremium", "currency"] decimal ["declaredPremium", "minimumPremium"];
    /// PRM-1: more turnover than expected: additional premium.
    AdditionalPremium => "additional_premium", "PRM-1", ["finalPremium", "provisionalPremium", "additional", "currency"] decimal ["finalPremium", "provisionalPremium", "additional"];
    /// PRM-1: less turnover than expected: a refund, never below the minimum premium.
    PremiumRefund => "premium_refund", "PRM-1", ["finalPremium", "provisionalPremium", "refund", "currency"] decimal ["finalPremium", "provisionalPremium", "refund"];
    /// PRM-1: the final premium equals the provisional premium.
    PremiumUnchanged => "premium_unchanged", "PRM-1", ["premium", "currency"] decimal ["premium"];
    /// PRM-1: the maximum liability is a multiple of the premium.
    MaximumLiabilityFromPremium => "maximum_liability_from_premium", "PRM-1", ["multiple", "premium", "maximumLiability", "currency"] decimal ["multiple", "premium", "maximumLiability"];
    /// PRM-2: a fixed-premium policy needs no declaration.
    NoDeclarationForFixedPremium => "no_declaration_for_fixed_premium", "PRM-2", [];
    /// PRM-2: the yearly declaration is due within the deadline after the insurance year ends;
    /// `deadlineKind` is `days` (with `deadlineDays`) or `endOfMonth` (with `deadlineMonths`).
    DeclarationDueOn => "declaration_due_on", "PRM-2", ["yearEnd", "deadlineKind", "deadlineDays", "deadlineMonths", "dueDate"];
    /// PRM-2: the declaration deadline has passed without a declaration.
    DeclarationOverdue => "declaration_overdue", "PRM-2", ["dueDate", "daysOverdue"];
    /// PRM-2: a missed declaration can end the policy.
    MissedDeclarationMayEndPolicy => "missed_declaration_may_end_policy", "PRM-2", [];
    /// PRM-2: the declaration arrived by the deadline.
    DeclarationReceivedOnTime => "declaration_received_on_time", "PRM-2", ["declaredOn", "dueDate"];
    /// PRM-2: the declaration arrived after the deadline.
    DeclarationReceivedLate => "declaration_received_late", "PRM-2", ["declaredOn", "dueDate", "daysLate"];
    /// PRM-3: the declaration is not in the form's (policy) currency.
    DeclarationCurrencyWrong => "declaration_currency_wrong", "PRM-3", ["currency", "expected"];
    /// PRM-3, PRM-5: a country outside the policy is declared.
    CountryNotInPolicy => "country_not_in_policy", "PRM-3", ["country"];
    /// PRM-3: a country of the policy is not declared.
    CountryMissing => "country_missing", "PRM-3", ["country"];
    /// PRM-3: the same country twice in one section.
    CountryDeclaredTwice => "country_declared_twice", "PRM-3", ["country", "section"];
    /// PRM-3: a negative turnover.
    NegativeTurnover => "negative_turnover", "PRM-3", ["country", "amount"] decimal ["amount"];
    /// PRM-3: turnover reduced by credit notes.
    ReducedByCreditNotes => "reduced_by_credit_notes", "PRM-3", ["country", "deducted"] decimal ["deducted"];
    /// PRM-3: turnover reduced by discounts.
    ReducedByDiscounts => "reduced_by_discounts", "PRM-3", ["country", "deducted"] decimal ["deducted"];
    /// PRM-3: VAT included although the policy does not insure it.
    VatIncluded => "vat_included", "PRM-3", ["country"];
    /// PRM-4: sales not on credit (cash before delivery) declared.
    CashSalesDeclared => "cash_sales_declared", "PRM-4", ["country", "amount"] decimal ["amount"];
    /// PRM-4: sales to affiliates declared.
    AffiliateSalesDeclared => "affiliate_sales_declared", "PRM-4", ["country", "amount"] decimal ["amount"];
    /// PRM-4: sales to public buyers declared though not expressly covered.
    PublicBuyerSalesDeclared => "public_buyer_sales_declared", "PRM-4", ["country", "amount"] decimal ["amount"];
    /// PRM-4: sales secured by a letter of credit declared.
    LetterOfCreditSalesDeclared => "letter_of_credit_sales_declared", "PRM-4", ["country", "amount"] decimal ["amount"];
    /// PRM-4: sales to a buyer after its cover was refused or withdrawn declared.
    SalesAfterRefusalDeclared => "sales_after_refusal_declared", "PRM-4", ["country", "amount"] decimal ["amount"];
    /// PRM-5: the declared figure equals the total turnover: total declared instead of insured?
    TotalTurnoverDeclared => "total_turnover_declared", "PRM-5", ["country", "amount"] decimal ["amount"];
    /// PRM-5: the total turnover was left empty (forgotten).
    TotalTurnoverMissing => "total_turnover_missing", "PRM-5", ["country"];
    /// PRM-5: the declared insured turnover exceeds the total turnover.
    InsuredExceedsTotal => "insured_exceeds_total", "PRM-5", ["country", "amount", "totalTurnover"] decimal ["amount", "totalTurnover"];
    /// PRM-5: about ten times last year's figure: an extra zero?
    ExtraZeroVsPreviousYear => "extra_zero_vs_previous_year", "PRM-5", ["country", "amount", "previous"] decimal ["amount", "previous"];
    /// PRM-5: about a tenth of last year's figure: a missing zero?
    MissingZeroVsPreviousYear => "missing_zero_vs_previous_year", "PRM-5", ["country", "amount", "previous"] decimal ["amount", "previous"];
    /// PRM-5: the declared total is about ten times the expected turnover: an extra zero?
    ExtraZeroVsExpected => "extra_zero_vs_expected", "PRM-5", ["total", "expected"] decimal ["total", "expected"];
    /// PRM-5: the declared total is about a tenth of the expected turnover: a missing zero?
    MissingZeroVsExpected => "missing_zero_vs_expected", "PRM-5", ["total", "expected"] decimal ["total", "expected"];
    /// PRM-5: a section copied from an earlier one.
    SectionCopied => "section_copied", "PRM-5", ["section", "copyOf"];
    /// PRM-5: a section left empty.
    SectionEmpty => "section_empty", "PRM-5", ["section"];
    /// PRM-6: a buyer's declarable balance.
    BalanceDeclared => "balance_declared", "PRM-6", ["buyer", "outstanding", "declared", "currency"] decimal ["outstanding", "declared"];
    /// PRM-6: a buyer's balance is declared only up to its limit.
    BalanceCappedAtLimit => "balance_capped_at_limit", "PRM-6", ["buyer", "outstanding", "limit", "currency"] decimal ["outstanding", "limit"];
    /// PRM-6: after the insured event the buyer's receivables are no longer declared.
    BalanceExcludedAfterInsuredEvent => "balance_excluded_after_insured_event", "PRM-6", ["buyer", "eventDate"];
    /// PRM-6: VAT is left out of the balance.
    VatExcludedFromBalance => "vat_excluded_from_balance", "PRM-6", ["buyer", "vat", "currency"] decimal ["vat"];
    /// PRM-6: a bill of exchange not yet honoured still counts as outstanding.
    UnhonouredBillCounted => "unhonoured_bill_counted", "PRM-6", ["buyer", "amount", "currency"] decimal ["amount"];
    /// PRM-6: the balance premium on the declared balance.
    BalancePremium => "balance_premium", "PRM-6", ["balance", "rate", "premium", "currency"] decimal ["balance", "rate", "premium"];
    /// PRM-6: keep the records of the declaration for 12 months.
    KeepBalanceRecords => "keep_balance_records", "PRM-6", ["reportingDate", "until"];
    /// PRM-6: the balance of a reporting day is to be reported by its due date.
    BalanceReportDueOn => "balance_report_due_on", "PRM-6", ["reportingDay", "deadlineDays", "dueDate"];
    /// PRM-6: the balance report arrived by its deadline.
    BalanceReportReceivedOnTime => "balance_report_received_on_time", "PRM-6", ["reportingDay", "sentOn", "dueDate"];
    /// PRM-6: the balance report arrived after its deadline.
    BalanceReportReceivedLate => "balance_report_received_late", "PRM-6", ["reportingDay", "sentOn", "dueDate", "daysLate"];
    /// PRM-6: the balance report's deadline has passed without a report.
    BalanceReportOverdue => "balance_report_overdue", "PRM-6", ["reportingDay", "dueDate", "daysOverdue"];
    /// PRM-6: only a timely balance report keeps cover and the right to an indemnity.
    LateBalanceReportRisksCover => "late_balance_report_risks_cover", "PRM-6", ["reportingDay"];
    // ACC
    /// ACC: new deliveries are excluded from cover since an overdue (OVD-2, OVD-3, DIS-6).
    AccountDeliveriesExcluded => "account_deliveries_excluded", "ACC", ["since"];
    /// ACC: insolvency proceedings were opened: the insured event (CLM-1).
    AccountInsolvencyOpened => "account_insolvency_opened", "ACC", ["date"];
    /// ACC / CLM-1: the waiting period expired unpaid: protracted default, the insured event.
    AccountProtractedDefault => "account_protracted_default", "CLM-1", ["date"];
    /// ACC: how many obligations are open.
    ObligationsSummary => "obligations_summary", "ACC", ["open", "total"];
    /// ACC / OVD-1: report the overdue.
    ObligationReportOverdue => "obligation_report_overdue", "OVD-1", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / DIS-5: apply for a named limit.
    ObligationApplyForNamedLimit => "obligation_apply_for_named_limit", "DIS-5", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / OVD-8: ask the insurer's written consent before agreeing to the instalment plan.
    ObligationAskInstalmentConsent => "obligation_ask_instalment_consent", "OVD-8", ["dueDate", "amount", "currency"];
    /// ACC / LIM-4: cancel the unused limit by the deadline.
    ObligationCancelUnusedLimit => "obligation_cancel_unused_limit", "LIM-4", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / PRM-2: declare the insured turnover.
    ObligationDeclareTurnover => "obligation_declare_turnover", "PRM-2", ["dueDate", "amount", "currency"];
    /// ACC / PRM-6: report the outstanding balance of a reporting day.
    ObligationReportBalance => "obligation_report_balance", "PRM-6", ["dueDate", "amount", "currency", "reportingDay"];
    /// ACC / CLM-2: file the claim and report the open receivables.
    ObligationFileClaim => "obligation_file_claim", "CLM-2", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / COL-1: send the collection warning before handing over.
    ObligationSendCollectionWarning => "obligation_send_collection_warning", "COL-1", ["dueDate", "amount", "currency"];
    /// ACC / CLM-6: report the payment received after the claim.
    ObligationReportPaymentsAfterClaim => "obligation_report_payments_after_claim", "CLM-6", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / CLM-2: file the claim after protracted default by the deadline.
    ObligationFileClaimAfterDefault => "obligation_file_claim_after_default", "CLM-2", ["dueDate", "amount", "currency"] decimal ["amount"];
    /// ACC / CLM-3: send the claim file's documents.
    ObligationSendClaimDocuments => "obligation_send_claim_documents", "CLM-3", ["dueDate", "amount", "currency"];
    /// ACC / LIM-7: apply for a limit before the delivery that needs one.
    ObligationApplyForLimit => "obligation_apply_for_limit", "LIM-7", ["dueDate", "amount", "currency", "reference", "peakDate"] decimal ["amount"];
    /// ACC / LIM-6: apply for more before the delivery that takes the projected peak above the limit.
    ObligationApplyForLimitIncrease => "obligation_apply_for_limit_increase", "LIM-6", ["dueDate", "amount", "currency", "reference", "peakDate", "limit"] decimal ["amount", "limit"];
    /// ACC / OVD-7: notify the insurer of adverse information on the buyer at once.
    ObligationNotifyAdverseInformation => "obligation_notify_adverse_information", "OVD-7", ["dueDate"];
    /// ACC / OVD-7: notify a prolonged bill, a dishonoured cheque or bill, a returned direct debit.
    ObligationNotifyBillsOrPaymentsReturned => "obligation_notify_bills_or_payments_returned", "OVD-7", ["dueDate"];
    /// ACC / OVD-7: notify a switch to cash terms or a stop of deliveries for credit reasons.
    ObligationNotifyCashTermsOrDeliveriesStopped => "obligation_notify_cash_terms_or_deliveries_stopped", "OVD-7", ["dueDate"];
    /// ACC / OVD-7: notify the legal action started.
    ObligationNotifyLegalAction => "obligation_notify_legal_action", "OVD-7", ["dueDate"];
    /// ACC / OVD-9: notify that a lawyer or collection agency was instructed.
    ObligationNotifyLawyerInstructed => "obligation_notify_lawyer_instructed", "OVD-9", ["dueDate"];
    /// ACC / OVD-7: notify another circumstance of the matrix.
    ObligationNotifyInsurer => "obligation_notify_insurer", "OVD-7", ["dueDate", "event"];
    /// ACC / OVD-7: ask the insurer's consent before extending the payment terms.
    ObligationAskConsentTermsExtension => "obligation_ask_consent_terms_extension", "OVD-7", ["dueDate", "reference"];
    /// ACC / OVD-7: ask the insurer's consent before a standstill agreement or settlement.
    ObligationAskConsentAgreement => "obligation_ask_consent_agreement", "OVD-7", ["dueDate"];
    /// ACC / OVD-6: report on the insurer's extra reporting date.
    ObligationReportOnReportingDate => "obligation_report_on_reporting_date", "OVD-6", ["dueDate", "amount", "currency", "reportingDay"];
    // CLM
    /// CLM-1: the insured event of insolvency occurs when proceedings are opened.
    InsolvencyOpened => "insolvency_opened", "CLM-1", ["date"];
    /// CLM-1: protracted default: the waiting period expired.
    ProtractedDefault => "protracted_default", "CLM-1", ["invoice", "startDate", "waitingPeriodDays", "waitingPeriodEnds", "eventDate"];
    /// CLM-1: the waiting period runs; protracted default if still unpaid when it expires.
    WaitingPeriodRunning => "waiting_period_running", "CLM-1", ["invoice", "startDate", "waitingPeriodDays", "waitingPeriodEnds"];
    /// CLM-1: the waiting period starts with the overdue report, which has not been made.
    WaitingPeriodNotStarted => "waiting_period_not_started", "CLM-1", [];
    /// CLM-1: nothing is open: no insured event.
    NoOpenReceivables => "no_open_receivables", "CLM-1", [];
    /// CLM-1: on the insured event the open receivables count as uncollectable.
    ReceivablesUncollectable => "receivables_uncollectable", "CLM-1", ["open", "currency"] decimal ["open"];
    /// CLM-2: payment has stopped: remind the buyer.
    RemindBuyer => "remind_buyer", "CLM-2", ["invoice", "dueDate"];
    /// CLM-2: file the claim by the policy's deadline.
    FileClaimBy => "file_claim_by", "CLM-2", ["eventDate", "deadlineDays", "fileBy"];
    /// CLM-2: file the claim within the deadline the policy states (no term given).
    FileClaimPerPolicy => "file_claim_per_policy", "CLM-2", ["eventDate"];
    /// CLM-2: in insolvency, report the open receivables at once.
    ReportOpenReceivablesAtOnce => "report_open_receivables_at_once", "CLM-2", ["date", "open", "currency"] decimal ["open"];
    /// CLM-3: claim file item: copies of the invoices.
    ClaimInvoices => "claim_invoices", "CLM-3", [];
    /// CLM-3: claim file item: the open items list.
    ClaimOpenItemsList => "claim_open_items_list", "CLM-3", [];
    /// CLM-3: claim file item: the trading history over the window it must cover.
    ClaimTradingHistory => "claim_trading_history", "CLM-3", ["from", "to"];
    /// CLM-3: claim file item: a document the insurer asked for.
    ClaimRequestedDocument => "claim_requested_document", "CLM-3", ["name"];
    /// CLM-3: claim file item: whether the insurer's collection service is wanted.
    ClaimCollectionChoice => "claim_collection_choice", "CLM-3", [];
    /// CLM-4: complete file and insured event: the indemnity is paid by a date.
    IndemnityPaymentDue => "indemnity_payment_due", "CLM-4", ["completeOn", "paymentDays", "payBy"];
    /// CLM-4: the file is complete but the insured event has not occurred yet.
    InsuredEventNotYetOccurred => "insured_event_not_yet_occurred", "CLM-4", [];
    /// CLM-5: a receivable delivered within a limit and outside any exclusion: covered.
    ReceivableCovered => "receivable_covered", "CLM-5", ["invoice", "deliveryDate", "limit", "currency"] decimal ["limit"];
    /// CLM-5: no usable limit on the delivery date: not covered.
    ReceivableNoLimit => "receivable_no_limit", "CLM-5", ["invoice", "deliveryDate"];
    /// CLM-5: delivered during an exclusion after an overdue: not covered.
    ReceivableExcluded => "receivable_excluded", "CLM-5", ["invoice", "deliveryDate", "since"];
    /// CLM-5 line: all receivables claimed.
    IndemnityReceivables => "indemnity_receivables", "CLM-5", ["count", "amount", "currency"] decimal ["amount"];
    /// CLM-5 line: receivables not covered.
    IndemnityNotCovered => "indemnity_not_covered", "CLM-5", ["count", "amount", "currency"] decimal ["amount"];
    /// CLM-6 line: payments credited to covered receivables.
    IndemnityPayments => "indemnity_payments", "CLM-6", ["amount", "currency"] decimal ["amount"];
    /// CLM-6 line: credit notes on covered receivables.
    IndemnityCreditNotes => "indemnity_credit_notes", "CLM-6", ["amount", "currency"] decimal ["amount"];
    /// CLM-6 line: set-offs against covered receivables.
    IndemnitySetOffs => "indemnity_set_offs", "CLM-6", ["amount", "currency"] decimal ["amount"];
    /// CLM-5 line: VAT removed, the policy does not insure it.
    IndemnityVatRemoved => "indemnity_vat_removed", "CLM-5", ["amount", "currency"] decimal ["amount"];
    /// CLM-5 line: VAT kept, the policy insures it.
    IndemnityVatInsured => "indemnity_vat_insured", "CLM-5", [];
    /// CLM-5 line: the part of the loss above the limit.
    IndemnityAboveLimit => "indemnity_above_limit", "CLM-5", ["limit", "amount", "currency"] decimal ["limit", "amount"];
    /// CLM-5 line: the policy's deductible.
    IndemnityDeductible => "indemnity_deductible", "CLM-5", ["deductible", "amount", "currency"] decimal ["deductible", "amount"];
    /// CLM-5 line: the insured's own share, the complement of the indemnity percentage.
    IndemnityUninsuredShare => "indemnity_uninsured_share", "CLM-5", ["percentage", "amount", "currency"] decimal ["percentage", "amount"];
    /// CLM-5 line: the part above what is left of the maximum liability this insurance year.
    IndemnityAboveMaximumLiability => "indemnity_above_maximum_liability", "CLM-5", ["maximumLiability", "prior", "remaining", "amount", "currency"] decimal ["maximumLiability", "prior", "remaining", "amount"];
    /// CLM-5: the indemnity, the sum of the lines.
    IndemnityResult => "indemnity_result", "CLM-5", ["indemnity", "currency"] decimal ["indemnity"];
    /// CLM-6: a payment received after the claim, before indemnification: credited to the claim.
    RecoveryCreditedToClaim => "recovery_credited_to_claim", "CLM-6", ["date", "amount", "currency"] decimal ["amount"];
    /// CLM-6: a recovery after indemnification, shared between insurer and insured.
    RecoveryShared => "recovery_shared", "CLM-6", ["date", "amount", "insurerShare", "insuredShare", "currency"] decimal ["amount", "insurerShare", "insuredShare"];
    /// CLM-6: recoveries after the indemnity are shared pro rata to the shares of the whole
    /// loss: the indemnity is the insurer's, the rest (above the limit, retention, deductible)
    /// the insured's.
    RecoveryShareOfWholeLoss => "recovery_share_of_whole_loss", "CLM-6", ["indemnity", "wholeLoss", "insuredPart", "currency"] decimal ["indemnity", "wholeLoss", "insuredPart"];
    /// CLM-6: the buyer allocated the payment to an invoice.
    RecoveryAllocatedByBuyer => "recovery_allocated_by_buyer", "CLM-6", ["date", "invoice", "amount", "currency"] decimal ["amount"];
    /// CLM-6: credited oldest receivable first, as the policy says.
    RecoveryAllocatedOldestFirst => "recovery_allocated_oldest_first", "CLM-6", ["date", "amount", "currency"] decimal ["amount"];
    /// CLM-6: credited pro rata to the open receivables, as the policy says.
    RecoveryAllocatedProRata => "recovery_allocated_pro_rata", "CLM-6", ["date", "amount", "currency"] decimal ["amount"];
    /// CLM-6: collection continues after indemnification; report later recoveries.
    ContinueCollection => "continue_collection", "CLM-6", [];
    /// CLM-7: mitigate the loss: remind, enforce or sue, in agreement with the insurer.
    MitigateLoss => "mitigate_loss", "CLM-7", [];
    // COL
    /// COL-1: the insured's own payment reminder was sent.
    OwnReminderSent => "own_reminder_sent", "COL-1", ["date"];
    /// COL-1: the insured's own payment reminder is missing.
    OwnReminderMissing => "own_reminder_missing", "COL-1", [];
    /// COL-1: the formal notice was sent.
    FormalNoticeSent => "formal_notice_sent", "COL-1", ["date"];
    /// COL-1: the formal notice is missing.
    FormalNoticeMissing => "formal_notice_missing", "COL-1", [];
    /// COL-1: the collection warning period has elapsed.
    CollectionWarningElapsed => "collection_warning_elapsed", "COL-1", ["sentOn", "warningDays", "warningEnds"];
    /// COL-1: the collection warning period is still running.
    CollectionWarningRunning => "collection_warning_running", "COL-1", ["sentOn", "warningDays", "warningEnds", "handOverFrom"];
    /// COL-1: no collection warning was given.
    CollectionWarningMissing => "collection_warning_missing", "COL-1", ["warningDays"];
    /// COL-1 (CH, FR): the insurer starts at once after the report; no reminder, formal notice
    /// or collection warning is needed first.
    CollectionStartsAtOnce => "collection_starts_at_once", "COL-1", ["from"];
    /// COL-1: collection services are included in the policy.
    CollectionServicesIncluded => "collection_services_included", "COL-1", [];
    /// COL-1: collection services are not included: a single collection mandate.
    CollectionSingleMandate => "collection_single_mandate", "COL-1", [];
    /// COL-2 item: the buyer's company name.
    ColCompanyName => "col_company_name", "COL-2", [];
    /// COL-2 item: the buyer's address.
    ColCompanyAddress => "col_company_address", "COL-2", [];
    /// COL-2 item: the contact person.
    ColContactPerson => "col_contact_person", "COL-2", [];
    /// COL-2 item: e-mail.
    ColEmail => "col_email", "COL-2", [];
    /// COL-2 item: phone.
    ColPhone => "col_phone", "COL-2", [];
    /// COL-2 item: fax (recommended).
    ColFax => "col_fax", "COL-2", [];
    /// COL-2 item: copies of invoices.
    ColInvoices => "col_invoices", "COL-2", [];
    /// COL-2 item: copies of purchase orders.
    ColPurchaseOrders => "col_purchase_orders", "COL-2", [];
    /// COL-2 item: copies of delivery notes.
    ColDeliveryNotes => "col_delivery_notes", "COL-2", [];
    /// COL-2 item: an up-to-date account statement.
    ColAccountStatement => "col_account_statement", "COL-2", [];
    /// COL-2 item: general terms of sale or the contract.
    ColTermsOrContract => "col_terms_or_contract", "COL-2", [];
    /// COL-2 item: correspondence on the special context (dispute, payment proposal, steps taken).
    ColCorrespondence => "col_correspondence", "COL-2", [];
    /// COL-2 item: every payment received and credit note issued.
    ColPaymentsAndCreditNotes => "col_payments_and_credit_notes", "COL-2", [];
    /// COL-3: contact at receipt of the first export file.
    ContactFirstExportFile => "contact_first_export_file", "COL-3", ["date"];
    /// COL-3: contact on a special context (dispute, insolvency proceedings).
    ContactSpecialContext => "contact_special_context", "COL-3", ["date"];
    /// COL-3: contact a number of days after opening.
    ContactAfterOpening => "contact_after_opening", "COL-3", ["date", "days"];
    /// COL-3: contact when legal action is considered.
    ContactLegalAction => "contact_legal_action", "COL-3", ["date"];
    /// COL-3: contact at closure.
    ContactClosure => "contact_closure", "COL-3", ["date"];
    /// COL-4: on a dispute, collect the undisputed part first.
    CollectUndisputedFirst => "collect_undisputed_first", "COL-4", ["undisputed", "disputed", "currency"] decimal ["undisputed", "disputed"];
    /// COL-4: amicable settlement first (goods taken back, partial waiver, set-off).
    AmicableSettlementFirst => "amicable_settlement_first", "COL-4", [];
    /// COL-4: legal action can succeed and be enforced.
    LegalActionWorthConsidering => "legal_action_worth_considering", "COL-4", [];
    /// COL-4: legal action is not advised: a criterion fails.
    LegalActionNotAdvised => "legal_action_not_advised", "COL-4", ["failing"];
    /// COL-4 criterion: the competent court is known.
    LegalCompetentCourt => "legal_competent_court", "COL-4", [];
    /// COL-4 criterion: time and cost of the proceedings are acceptable.
    LegalTimeAndCost => "legal_time_and_cost", "COL-4", [];
    /// COL-4 criterion: the evidence required is available.
    LegalEvidence => "legal_evidence", "COL-4", [];
    /// COL-4 criterion: the debtor is not in insolvency proceedings.
    EnforceNotInsolvent => "enforce_not_insolvent", "COL-4", [];
    /// COL-4 criterion: the debtor is still trading.
    EnforceStillTrading => "enforce_still_trading", "COL-4", [];
    /// COL-4 criterion: the debtor has seizable assets.
    EnforceSeizableAssets => "enforce_seizable_assets", "COL-4", [];
    /// COL-5: a signed contract, or at least a written order.
    PreContractOrOrder => "pre_contract_or_order", "COL-5", [];
    /// COL-5: the buyer's identity (and the contact's) verified.
    PreBuyerIdentity => "pre_buyer_identity", "COL-5", [];
    /// COL-5: proof of delivery with the buyer's signature and stamp.
    PreProofOfDelivery => "pre_proof_of_delivery", "COL-5", [];
    /// COL-5: retention of title clause.
    PreRetentionOfTitle => "pre_retention_of_title", "COL-5", [];
    /// COL-5: jurisdiction or arbitration clause.
    PreJurisdictionClause => "pre_jurisdiction_clause", "COL-5", [];
    /// COL-5: governing-law clause.
    PreGoverningLaw => "pre_governing_law", "COL-5", [];
    /// COL-5: penalty clause.
    PrePenaltyClause => "pre_penalty_clause", "COL-5", [];
    // FORM
    /// LIM-2: a field of the limit application form is empty.
    ApplicationFieldRequired => "application_field_required", "LIM-2", [];
    /// LIM-2: the requested amount is not a decimal amount.
    ApplicationAmountInvalid => "application_amount_invalid", "LIM-2", ["value"];
    /// LIM-2: the requested amount is zero or negative.
    ApplicationAmountNotPositive => "application_amount_not_positive", "LIM-2", ["amount"] decimal ["amount"];
    /// LIM-2: the requested amount has more decimals than the currency's minor unit.
    ApplicationAmountTooPrecise => "application_amount_too_precise", "LIM-2", ["amount", "currency", "decimals"] decimal ["amount"];
    /// LIM-2: a limit is applied for in the policy currency.
    ApplicationCurrencyNotPolicy => "application_currency_not_policy", "LIM-2", ["currency", "expected"];
    /// LIM-2: the buyer's country is not an ISO 3166-1 alpha-2 code.
    ApplicationCountryUnknown => "application_country_unknown", "LIM-2", ["country"];
    /// LIM-2: the payment terms are not a whole number of days in range.
    ApplicationTermsInvalid => "application_terms_invalid", "LIM-2", ["value", "maxDays"];
    /// LIM-2: the application date is not a date.
    ApplicationDateInvalid => "application_date_invalid", "LIM-2", ["value"];
    /// LIM-2: the application is dated before the policy starts.
    ApplicationDateBeforePolicyStart => "application_date_before_policy_start", "LIM-2", ["date", "policyStart"];
    /// BUY-5: an address in this country needs its state, province or prefecture.
    ApplicationStateRequired => "application_state_required", "BUY-5", ["country"];
    /// LIM-1: a question of the application on the buyer's payment behaviour is not answered.
    ApplicationAnswerRequired => "application_answer_required", "LIM-1", [];
    /// CLM-5: the amount asked for is more than the policy's maximum liability.
    RequestedAmountAboveMaximumLiability => "requested_amount_above_maximum_liability", "CLM-5", ["amount", "maximumLiability", "currency"] decimal ["amount", "maximumLiability"];
    /// PRM-3: a declared figure is not a decimal amount.
    DeclarationAmountInvalid => "declaration_amount_invalid", "PRM-3", ["value"];
    /// PRM-3: a country or currency code of the declaration is unknown.
    DeclarationCodeUnknown => "declaration_code_unknown", "PRM-3", ["value"];
    /// PRM-3: the declaration has no line at all.
    DeclarationEmpty => "declaration_empty", "PRM-3", [];
    /// CLM-3: a field of the claim file form is empty.
    ClaimFileFieldRequired => "claim_file_field_required", "CLM-3", [];
    /// CLM-3: a date of the claim file form is not a date.
    ClaimFileDateInvalid => "claim_file_date_invalid", "CLM-3", ["value"];
    /// CLM-3: the oldest open receivable is dated after the day of the claim.
    ClaimFileDateInFuture => "claim_file_date_in_future", "CLM-3", ["date", "asOf"];
    /// CLM-3: the trading history period ends before it starts.
    ClaimFilePeriodReversed => "claim_file_period_reversed", "CLM-3", ["from", "to"];
    /// CLM-3: an item of the claim file is missing; `item` is the item's own message.
    ClaimFileItemMissing => "claim_file_item_missing", "CLM-3", ["item"];
    /// COL-2: a date of the collection file form is not a date.
    CollectionFileDateInvalid => "collection_file_date_invalid", "COL-2", ["value"];
    /// COL-2: the buyer's e-mail is not an e-mail address.
    CollectionFileEmailInvalid => "collection_file_email_invalid", "COL-2", ["value"];
    /// COL-2: an item of the collection file is missing (a warning for a recommended one);
    /// `item` is the item's own message.
    CollectionFileItemMissing => "collection_file_item_missing", "COL-2", ["item"];
    /// OVD-1: a field of the overdue report form is empty.
    OverdueFormFieldRequired => "overdue_form_field_required", "OVD-1", [];
    /// OVD-1: a date of the overdue report form is not a date.
    OverdueFormDateInvalid => "overdue_form_date_invalid", "OVD-1", ["value"];
    /// OVD-1: an amount of the overdue report form is not a decimal amount.
    OverdueFormAmountInvalid => "overdue_form_amount_invalid", "OVD-1", ["value"];
    /// OVD-1: an amount of the overdue report form is zero or negative.
    OverdueFormAmountNotPositive => "overdue_form_amount_not_positive", "OVD-1", ["amount"] decimal ["amount"];
    /// OVD-1: an amount has more decimals than the currency's minor unit.
    OverdueFormAmountTooPrecise => "overdue_form_amount_too_precise", "OVD-1", ["amount", "currency", "decimals"] decimal ["amount"];
    /// OVD-5: the original payment terms are not a whole number of days in range.
    OverdueFormTermsInvalid => "overdue_form_terms_invalid", "OVD-5", ["value", "maxDays"];
    /// OVD-5: the due date is not after the invoice date.
    OverdueFormDueNotAfterInvoice => "overdue_form_due_not_after_invoice", "OVD-5", ["invoiceDate", "dueDate"];
    /// OVD-1: the invoice is not past its due date on the day of the report.
    OverdueFormNotOverdue => "overdue_form_not_overdue", "OVD-1", ["dueDate", "asOf"];
    /// OVD-1: the maximum extension period still runs: the report is not due yet.
    OverdueFormWithinExtensionPeriod => "overdue_form_within_extension_period", "OVD-1", ["extensionEnds"];
    /// OVD-1: the day the overdue was to be reported at once has passed.
    OverdueFormReportLate => "overdue_form_report_late", "OVD-1", ["reportBy"];
    /// OVD-5: the payment terms do not give the due date from the invoice date.
    OverdueFormTermsInconsistent => "overdue_form_terms_inconsistent", "OVD-5", ["paymentTermsDays", "invoiceDate", "expectedDueDate", "dueDate"];
    /// OVD-5: the total of all overdue receivables is less than the oldest invoice's open amount.
    OverdueFormTotalBelowOpenAmount => "overdue_form_total_below_open_amount", "OVD-5", ["total", "openAmount", "currency"] decimal ["total", "openAmount"];
    /// OVD-5: several overdues reported together total no more than the oldest invoice.
    OverdueFormBundleTotalNotAboveOpenAmount => "overdue_form_bundle_total_not_above_open_amount", "OVD-5", ["total", "currency"] decimal ["total"];
    /// OVD-1: the reason for the delay is asked for, if known.
    OverdueFormReasonIfKnown => "overdue_form_reason_if_known", "OVD-1", [];
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a decision came out as it did: the rule applied and the figures used.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reason {
    /// Stable code.
    pub code: ReasonCode,
    /// Rule ID (spec/rules.md), e.g. `BUY-4`.
    pub rule: String,
    /// The figures and names used, by parameter name.
    pub params: BTreeMap<String, Param>,
}

impl Reason {
    /// A reason with its rule filled in from the code.
    pub fn new<const N: usize>(code: ReasonCode, params: [(&str, Param); N]) -> Self {
        // Inserted one by one: a reason has a handful of parameters, and collecting them
        // would first gather and sort them in a vector of its own.
        let mut map = BTreeMap::new();
        for (k, v) in params {
            map.insert(k.to_owned(), v);
        }
        Reason {
            code,
            rule: code.rule().to_owned(),
            params: map,
        }
    }
}

/// The answer to a question: an outcome, the amounts computed and the reasons.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Decision {
    /// What came out.
    pub outcome: Outcome,
    /// Named amounts (e.g. `coveredAmount`), rounded to the currency's minor unit.
    #[serde(default)]
    pub amounts: BTreeMap<String, MoneyDto>,
    /// Every rule that fired, in rule order.
    pub reasons: Vec<Reason>,
    /// Op-specific detail (e.g. the outstanding curve), absent for most ops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// A decision as the `explain` op reads it: its outcome and reasons. Its `amounts` and
/// `details` are accepted, as any JSON, and not read: the explanation does not use them, and
/// not compiling their readers keeps the browser build of the npm package small.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DecisionToExplain {
    /// What came out.
    pub outcome: Outcome,
    /// Every rule that fired, in rule order.
    pub reasons: Vec<Reason>,
    /// The decision's amounts: not read.
    #[serde(default, rename = "amounts")]
    _amounts: Unread,
    /// The decision's details: not read.
    #[serde(default, rename = "details")]
    _details: Unread,
}

/// Any JSON value, skipped. Unlike [`serde::de::IgnoredAny`], it goes down arrays and objects
/// one level at a time, so that the JSON reader's nesting limit ([`crate::ffi::MAX_DEPTH`])
/// holds for it as for every other input.
#[derive(Debug, Default)]
struct Unread;

impl<'de> Deserialize<'de> for Unread {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Unread;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_str<E>(self, _: &str) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_unit<E>(self) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_none<E>(self) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Unread, D::Error> {
                Unread::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Unread, A::Error> {
                while seq.next_element::<Unread>()?.is_some() {}
                Ok(Unread)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Unread, A::Error> {
                while map.next_entry::<Unread, Unread>()?.is_some() {}
                Ok(Unread)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl DecisionToExplain {
    /// Renders the outcome and every reason in `lang`, as [`Decision::explain`].
    pub fn explain(&self, lang: Language) -> Result<Explanation, Error> {
        explain(self.outcome, &self.reasons, lang)
    }
}

/// Op-specific detail of a [`Decision`].
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Details {
    /// The outstanding curve of `peak_outstanding` (EXP-1): change points in date order.
    Curve {
        /// Change points.
        points: Vec<crate::exposure::CurvePoint>,
    },
    /// The limit state of `limit_state` (LIM): amounts in force and the dates that matter.
    Limit(crate::limit::LimitSummary),
    /// Which cover `check_delivery_cover` used.
    Cover {
        /// Named limit, self-assessment, automatic cover, or none.
        cover_type: crate::cover::CoverType,
    },
    /// Per-invoice overdue status, the combined report and the exclusion of `overdue_report`
    /// (OVD-1..6, DIS-6).
    Overdue(crate::overdue::OverdueSummary),
    /// The duty for one event of `notification_duty` (OVD-7..9).
    NotificationDuty(crate::overdue::duty::NotificationSummary),
    /// The findings of `validate_turnover_declaration` (PRM-3..5), keyed by field path.
    Findings {
        /// Findings in the order the declaration is read.
        findings: Vec<crate::declaration::Finding>,
    },
    /// The state of an account on a date (ACC).
    Account(Box<crate::account::AccountState>),
    /// The obligations worklist (ACC), sorted by due date.
    Obligations {
        /// The duties.
        obligations: Vec<crate::account::Obligation>,
    },
    /// When and which insured event of `insured_event` (CLM-1, CLM-2).
    InsuredEvent(crate::claim::InsuredEventSummary),
    /// A file checklist, keyed by field path: `check_claim_file` (CLM-3),
    /// `check_collection_file` (COL-2), `dispute_collection` (COL-4), `check_pre_export` (COL-5).
    Checklist {
        /// Items in the order of the form.
        items: Vec<crate::claim::ChecklistItem>,
    },
    /// The breakdown of `indemnity` (CLM-5): the lines sum to `amounts.indemnity` exactly.
    Indemnity {
        /// Lines in the order they apply.
        lines: Vec<crate::claim::indemnity::IndemnityLine>,
    },
    /// Each recovery of `recovery`, allocated and shared (CLM-6).
    Recovery {
        /// One entry per recovery, in date order.
        recoveries: Vec<crate::claim::recovery::RecoveryLine>,
    },
    /// The dated contacts of `collection_contact_schedule` (COL-3).
    ContactSchedule {
        /// Contacts in date order.
        contacts: Vec<crate::collection::Contact>,
    },
}

/// One rendered reason.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The reason code.
    pub code: ReasonCode,
    /// The rule ID.
    pub rule: String,
    /// The rendered text.
    pub text: String,
}

/// A decision rendered for people.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Language code.
    pub lang: Language,
    /// The outcome in words.
    pub summary: String,
    /// One message per reason, in order.
    pub messages: Vec<Message>,
}

impl Decision {
    /// Renders the outcome and every reason in `lang` from the message catalogues.
    ///
    /// ```
    /// use delcredere::{Decision, Outcome, Reason, ReasonCode, Param, Language};
    /// let d = Decision {
    ///     outcome: Outcome::NotInsurable,
    ///     amounts: Default::default(),
    ///     details: None,
    ///     reasons: vec![Reason::new(ReasonCode::CountryNotAgreed, [("country", Param::from("US"))])],
    /// };
    /// let e = d.explain(Language::De).unwrap();
    /// assert_eq!(e.summary, "Nicht versicherbar.");
    /// assert_eq!(e.messages[0].text, "Das Land des Kunden (US) gehört nicht zu den vereinbarten Ländern der Police.");
    /// ```
    pub fn explain(&self, lang: Language) -> Result<Explanation, Error> {
        explain(self.outcome, &self.reasons, lang)
    }
}

/// The summary line of `outcome` and one message per reason, in `lang`.
fn explain(outcome: Outcome, reasons: &[Reason], lang: Language) -> Result<Explanation, Error> {
    let summary = i18n::render(lang, &outcome_key(outcome), &BTreeMap::new(), &[], "decision.outcome")?;
    let messages = reasons
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let text = i18n::render(
                lang,
                r.code.as_str(),
                &r.params,
                r.code.decimal_params(),
                &format!("decision.reasons[{i}]"),
            )?;
            Ok(Message {
                code: r.code,
                rule: r.rule.clone(),
                text,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Explanation {
        lang,
        summary,
        messages,
    })
}

/// Catalogue key of an outcome's summary line.
pub(crate) fn outcome_key(outcome: Outcome) -> String {
    // The outcome's JSON form is its quoted snake_case name.
    let json = serde_json::to_string(&outcome).unwrap_or_default();
    format!("outcome.{}", json.trim_matches('"'))
}

/// Every outcome, for catalogue checks.
pub const ALL_OUTCOMES: &[Outcome] = &[
    Outcome::Insurable,
    Outcome::NotInsurable,
    Outcome::InsurableThroughHeadOffice,
    Outcome::Computed,
    Outcome::Covered,
    Outcome::PartlyCovered,
    Outcome::NotCovered,
    Outcome::NoLimit,
    Outcome::LimitRequested,
    Outcome::LimitGranted,
    Outcome::LimitPartlyGranted,
    Outcome::LimitRefused,
    Outcome::LimitReduced,
    Outcome::LimitWithdrawalPending,
    Outcome::LimitWithdrawn,
    Outcome::LimitCancelled,
    Outcome::ApplicationReady,
    Outcome::ApplicationFlagged,
    Outcome::FileOpenedAutomatically,
    Outcome::FileToOpenByHand,
    Outcome::FileForInsurerTeam,
    Outcome::OrderToCheck,
    Outcome::DispatchAllowed,
    Outcome::DispatchNotAllowed,
    Outcome::WorkNotCovered,
    Outcome::AwaitingRemoteAssessment,
    Outcome::WaitingForCustomer,
    Outcome::WaitingForCustomerEnded,
    Outcome::CustomerReached,
    Outcome::HandledWithinLimit,
    Outcome::ReturnedToInsurer,
    Outcome::ExpertiseRequired,
    Outcome::OverdueToReport,
    Outcome::NoOverdueToReport,
    Outcome::NotificationRequired,
    Outcome::ConsentRequired,
    Outcome::NoNotificationRequired,
    Outcome::AdditionalPremiumDue,
    Outcome::PremiumRefundDue,
    Outcome::PremiumUnchanged,
    Outcome::NoDeclarationNeeded,
    Outcome::DeclarationNotYetDue,
    Outcome::DeclarationDue,
    Outcome::DeclarationOverdue,
    Outcome::DeclarationReceived,
    Outcome::BalanceReportOverdue,
    Outcome::DeclarationValid,
    Outcome::DeclarationHasWarnings,
    Outcome::DeclarationHasErrors,
    Outcome::ObligationsOpen,
    Outcome::NoObligations,
    Outcome::InsuredEventInsolvency,
    Outcome::InsuredEventProtractedDefault,
    Outcome::NoInsuredEvent,
    Outcome::ClaimFileComplete,
    Outcome::ClaimFileIncomplete,
    Outcome::IndemnityPayable,
    Outcome::NoIndemnity,
    Outcome::CollectionPossible,
    Outcome::CollectionNotYetPossible,
    Outcome::CollectionFileComplete,
    Outcome::CollectionFileIncomplete,
    Outcome::PreExportComplete,
    Outcome::PreExportGaps,
];
