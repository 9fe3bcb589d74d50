//! Policy terms (POL): a typed, validated set of terms that every rule reads its parameters
//! from. Nothing in the rules hard-codes a figure a policy can set.
//!
//! [`PolicyDto`] is the boundary form (camelCase JSON, every term optional so that
//! [`PolicyDto::validate`] can report *all* problems at once); [`Policy`] is the validated form.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{add_months, DayCount, EndOfMonthConvention, IsoDate, MAX_PERIOD_DAYS};
use crate::country::Country;
use crate::error::{Error, Problem};
use crate::money::{Currency, DecimalString, Money, MoneyDto, Percent};

/// The defaults for terms that the guides call "usually" (POL), in one place.
pub mod defaults {
    /// Exclusion period after an overdue: "typically 30 days" (OVD-3).
    pub const EXCLUSION_PERIOD_DAYS: u32 = 30;
    /// Delayed effect of a limit withdrawal: "normally 30 days" (LIM-3).
    pub const WITHDRAWAL_DELAY_DAYS: u32 = 30;
    /// Indemnity payment deadline: 30 days (CLM-4).
    pub const INDEMNITY_PAYMENT_DAYS: u32 = 30;
    /// Length of an insurance year in months.
    pub const INSURANCE_YEAR_MONTHS: u32 = 12;
    /// Where the waiting period for protracted default starts (CLM-1): the due date.
    pub const WAITING_PERIOD_START: super::WaitingPeriodStart = super::WaitingPeriodStart::DueDate;
    /// How a payment the buyer did not allocate is credited (CLM-6): oldest receivable first.
    pub const PAYMENT_ALLOCATION: super::PaymentAllocation = super::PaymentAllocation::OldestFirst;
    /// How a recovery after indemnification is shared (CLM-6): pro rata to the shares of the loss.
    pub const RECOVERY_SHARING: super::RecoverySharing = super::RecoverySharing::ProRata;
    /// The insurer contacts the insured this many days after opening a collection file (COL-3).
    pub const COLLECTION_FOLLOW_UP_DAYS: u32 = 30;
    // --- cover terms (#21) ---
    /// The "12 months" windows of self-assessment (DIS-1 a/b, DIS-2, DIS-4). Self-assessment
    /// exists only in the Swiss (CH) product, so this is that product's own figure, used only
    /// when the policy agrees self-assessment.
    pub const SELF_ASSESSMENT_WINDOW_MONTHS: u32 = 12;
    /// DIS-1 (a): "at least twice", the purchases paid on time that self-assessment needs (CH,
    /// as above).
    pub const SELF_ASSESSMENT_MIN_PURCHASES: u32 = 2;
    // --- premium terms (#21) ---
    // No minimum premium without `premium.minimumPremiumShare` (PRM-1, PRM-2): the 90 % of the
    // Danish guide is that policy's term, not a default.
    /// Days after a reporting day by which its balance report must be in (PRM-6): 0, the
    /// reporting day itself, when the policy names no reporting deadline.
    pub const BALANCE_REPORT_DEADLINE_DAYS: u32 = 0;
    /// How "N days end of month" is read: the end of the invoice month, then N days. Market
    /// practice, not one country's term; a policy that reads it the other way says
    /// `daysThenMonthEnd`.
    pub const END_OF_MONTH_CONVENTION: crate::calendar::EndOfMonthConvention =
        crate::calendar::EndOfMonthConvention::MonthEndThenDays;
}

/// Where the waiting period for protracted default starts (CLM-1): a policy term.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WaitingPeriodStart {
    /// The original due date of the oldest open receivable (default).
    DueDate,
    /// The end of the maximum extension period after that due date.
    ExtensionEnd,
    /// The day the overdue was reported to the insurer.
    OverdueReport,
}

/// How a payment that the buyer did not allocate is credited to the open receivables (CLM-6):
/// a policy term, because jurisdictions differ.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PaymentAllocation {
    /// Oldest receivable (earliest date) first (default).
    OldestFirst,
    /// Over all open receivables in proportion to their open amounts.
    ProRata,
}

/// How a recovery after indemnification is shared between insurer and insured (CLM-6).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecoverySharing {
    /// In proportion to the shares of the whole loss (default): the insurer's share of each
    /// recovery is indemnity / whole loss, the whole loss being the debt open when the
    /// indemnity was paid; the insured's share, the rest, includes the part above the limit,
    /// the retention and the deductible.
    ProRata,
    /// To the insurer until its indemnity is recovered, the rest to the insured.
    InsurerFirst,
}

/// How the premium is computed (PRM).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PremiumBasis {
    /// Premium = insured turnover × rate (PRM-1).
    Turnover,
    /// Premium on the outstanding balance declared on the reporting day (PRM-6).
    OutstandingBalance,
    /// A fixed premium; no declaration (PRM-2).
    Fixed,
}

/// Day-count setting as it crosses a boundary.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum DayCountDto {
    /// "30 days after 1 March" is 31 March.
    #[default]
    ExcludeStartDay,
    /// "30 days after 1 March" is 30 March.
    IncludeStartDay,
}

impl From<DayCountDto> for DayCount {
    fn from(d: DayCountDto) -> Self {
        match d {
            DayCountDto::ExcludeStartDay => DayCount::ExcludeStartDay,
            DayCountDto::IncludeStartDay => DayCount::IncludeStartDay,
        }
    }
}

/// Insurance year terms.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsuranceYearDto {
    /// First day of the insurance year.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start: Option<IsoDate>,
    /// Length in months (default 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
}

/// A buyer the policy excludes by name (BUY-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExcludedBuyerDto {
    /// Registration number, matched exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// Full legal name, matched ignoring case and surrounding spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<String>,
}

/// Premium terms.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PremiumDto {
    /// Premium basis.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub basis: Option<PremiumBasis>,
    /// Premium rate in percent (`"0.20"` is 0.20 %), for turnover and balance premiums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<DecimalString>,
    /// Expected insured turnover, for turnover premiums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_turnover: Option<MoneyDto>,
    /// The premium of a fixed-premium policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_amount: Option<MoneyDto>,
    /// Minimum premium as a percentage of the expected premium (PRM-1, PRM-2); absent: the
    /// policy has no minimum premium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_premium_share: Option<DecimalString>,
    /// Maximum liability as a multiple of the premium (e.g. `"30"`), instead of an amount
    /// (PRM-1); turnover and fixed premiums only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_liability_multiple: Option<DecimalString>,
    // --- premium terms (#21) ---
    /// The reporting days of a balance premium (PRM-6), inside the insurance year, ascending,
    /// no repeats; `outstandingBalance` basis only. Absent: no periodic reports listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_days: Option<Vec<IsoDate>>,
    /// Days after a reporting day by which its balance report must be in (PRM-6; 0..3650,
    /// default 0: due on the reporting day itself); `outstandingBalance` basis only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_report_deadline_days: Option<u32>,
}

/// A policy as it crosses a boundary (camelCase JSON). Every term is optional here so that
/// validation reports every missing or inconsistent term at once.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PolicyDto {
    /// Policy currency (ISO 4217).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub currency: Option<String>,
    /// Insurance year.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub insurance_year: Option<InsuranceYearDto>,
    /// Agreed (covered) countries, ISO 3166-1 alpha-2 (BUY-4).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub agreed_countries: Option<Vec<String>>,
    /// Buyers excluded by name (BUY-4).
    #[serde(default)]
    pub excluded_buyers: Vec<ExcludedBuyerDto>,
    /// Discretionary limit for self-assessed buyers (DIS).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub discretionary_limit: Option<MoneyDto>,
    /// Whether self-assessment is agreed (DIS-1).
    #[serde(default)]
    pub self_assessment_agreed: bool,
    /// Whether the insurer may run credit checks inside the discretionary limit (DIS-1c, LIM-5).
    #[serde(default)]
    pub credit_checks_inside_discretionary_limit: bool,
    /// Longest payment terms allowed, in days (BUY-3, LIM-2).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_credit_period_days: Option<u32>,
    /// Grace after the due date before an overdue must be reported, in days (OVD-1).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_extension_period_days: Option<u32>,
    /// Exclusion period after an overdue, in days (OVD-3; default 30).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exclusion_period_days: Option<u32>,
    /// Per-invoice overdue reporting threshold (OVD-4; default none).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub overdue_reporting_threshold: Option<MoneyDto>,
    /// Waiting period for protracted default, in days (CLM-1).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub waiting_period_days: Option<u32>,
    /// Indemnity percentage in (0, 100] (CLM-5).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub indemnity_percentage: Option<DecimalString>,
    /// Maximum liability per insurance year (CLM-5); not needed when
    /// `premium.maximumLiabilityMultiple` sets it as a multiple of the premium (PRM-1).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub maximum_liability: Option<MoneyDto>,
    /// Premium terms (PRM).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub premium: Option<PremiumDto>,
    /// Days after the insurance year's end to declare turnover (PRM-2); or see
    /// `declarationDeadlineEndOfMonth`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub declaration_deadline_days: Option<u32>,
    /// Day of the first month of a new insurance year by which limits must be cancelled (LIM-4,
    /// a CH term); absent: the policy sets no cancellation deadline (no fee reason, no duty).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub limit_cancellation_day: Option<u32>,
    /// Delayed effect of a limit withdrawal, in days (LIM-3; default 30).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub withdrawal_delay_days: Option<u32>,
    /// Whether the insurer's collection services are included (COL).
    #[serde(default)]
    pub collection_services_included: bool,
    /// Collection warning period, in days (COL-1), only with `collectionStart:
    /// afterReminderAndNotice`, where it is required.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub collection_warning_days: Option<u32>,
    /// Days for the insurer to pay an indemnity once a claim is complete (CLM-4; default 30).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub indemnity_payment_days: Option<u32>,
    /// Whether a period's start day counts (default: it does not).
    #[serde(default)]
    pub day_count: DayCountDto,
    /// Whether VAT is insured, so that declared turnover includes it (PRM-3; default false).
    #[serde(default)]
    pub vat_insured: bool,
    /// Whether sales to public buyers are expressly covered (PRM-4; default false).
    #[serde(default)]
    pub public_buyers_covered: bool,
    /// Where the waiting period for protracted default starts (CLM-1; default `dueDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_period_start: Option<WaitingPeriodStart>,
    /// Days after the insured event to file the claim (CLM-2; default none: no date is computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_filing_deadline_days: Option<u32>,
    /// Deductible taken from the insured loss before the indemnity percentage (CLM-5; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deductible: Option<MoneyDto>,
    /// How unallocated payments are credited (CLM-6; default `oldestFirst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_allocation: Option<PaymentAllocation>,
    /// How recoveries after indemnification are shared (CLM-6; default `proRata`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_sharing: Option<RecoverySharing>,
    /// Days after opening a collection file when the insurer contacts the insured (COL-3; default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_follow_up_days: Option<u32>,
    // --- cancel/collect terms (#21) ---
    /// When the insurer's collection starts (COL-1): `atOnce` after the report (CH, FR) or
    /// `afterReminderAndNotice` and the collection warning (BE, DK). Absent: not stated; ops
    /// that need it fail with `missing_field`, and the worklist gives no collection warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_start: Option<CollectionStart>,
    // --- cover terms (#21) ---
    /// The self-assessment windows in months, 1..36 (DIS-1 a/b, DIS-2, DIS-4; default 12); only
    /// with `selfAssessmentAgreed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment_window_months: Option<u32>,
    /// The purchases paid on time that self-assessment needs, 1..100 (DIS-1 a; default 2); only
    /// with `selfAssessmentAgreed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment_min_purchases: Option<u32>,
    /// (BE) Automatic cover: every buyer without a named limit is covered up to this amount,
    /// without the conditions of self-assessment (DIS-7); not with `selfAssessmentAgreed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_cover: Option<MoneyDto>,
    // --- premium terms (#21) ---
    /// PRM-2 (CH): the declaration is due on the last day of the Nth month (1..12) after the
    /// month in which the insurance year ends ("30 days, i.e. by the end of the first month" is
    /// 1); instead of `declarationDeadlineDays`, not with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration_deadline_end_of_month: Option<u32>,
    // --- calendar/claims terms (#21) ---
    /// How "N days end of month" is read, for every invoice with `endOfMonth` (default
    /// `monthEndThenDays`: the end of the invoice month, then N days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_month_convention: Option<EndOfMonthConvention>,
}

/// Premium terms, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Premium {
    /// Turnover premium (PRM-1).
    Turnover {
        /// Rate in percent.
        rate: Percent,
        /// Expected insured turnover.
        expected_turnover: Money,
        /// Minimum premium as a share of the expected premium; `None`: no minimum premium.
        minimum_share: Option<Percent>,
    },
    /// Outstanding-balance premium (PRM-6).
    OutstandingBalance {
        /// Rate in percent.
        rate: Percent,
        /// Minimum premium share, if the policy sets one (not applied to balance premiums).
        minimum_share: Option<Percent>,
        /// The reporting days the policy sets, ascending (PRM-6).
        reporting_days: Vec<NaiveDate>,
        /// Days after a reporting day by which its report must be in (PRM-6).
        report_deadline_days: u32,
    },
    /// Fixed premium.
    Fixed {
        /// The premium.
        amount: Money,
    },
}

impl Premium {
    /// The premium charged at the start of the insurance year, before any declaration:
    /// expected turnover × rate for a turnover premium (PRM-1), the fixed amount for a fixed
    /// premium; `None` for a balance premium, which is known only from the declared balances.
    /// Full precision (not rounded).
    pub fn provisional_premium(&self) -> Option<Money> {
        match self {
            Premium::Turnover {
                rate,
                expected_turnover,
                ..
            } => expected_turnover.percent_of(*rate, "premium.expectedTurnover").ok(),
            Premium::OutstandingBalance { .. } => None,
            Premium::Fixed { amount } => Some(*amount),
        }
    }
}

/// A validated policy. Build it with [`PolicyDto::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Policy currency.
    pub currency: Currency,
    /// First day of the insurance year.
    pub insurance_year_start: NaiveDate,
    /// Length of the insurance year in months.
    pub insurance_year_months: u32,
    /// Agreed countries (BUY-4).
    pub agreed_countries: Vec<Country>,
    /// Buyers excluded by name (BUY-4).
    pub excluded_buyers: Vec<ExcludedBuyerDto>,
    /// Discretionary limit, present only when self-assessment is agreed (DIS).
    pub discretionary_limit: Option<Money>,
    /// Credit checks by the insurer inside the discretionary limit (DIS-1c, LIM-5).
    pub credit_checks_inside_discretionary_limit: bool,
    /// Maximum credit period in days (BUY-3, LIM-2).
    pub max_credit_period_days: u32,
    /// Maximum extension period in days (OVD-1).
    pub max_extension_period_days: u32,
    /// Exclusion period in days (OVD-3).
    pub exclusion_period_days: u32,
    /// Per-invoice overdue reporting threshold (OVD-4).
    pub overdue_reporting_threshold: Money,
    /// Waiting period for protracted default (CLM-1).
    pub waiting_period_days: u32,
    /// Indemnity percentage (CLM-5).
    pub indemnity_percentage: Percent,
    /// Maximum liability per insurance year (CLM-5); when set as a multiple of the premium,
    /// the multiple times the provisional (expected or fixed) premium (PRM-1).
    pub maximum_liability: Money,
    /// The multiple of the premium that sets the maximum liability, if the policy says so (PRM-1).
    pub maximum_liability_multiple: Option<Decimal>,
    /// VAT insured: declared turnover includes VAT (PRM-3).
    pub vat_insured: bool,
    /// Sales to public buyers expressly covered (PRM-4).
    pub public_buyers_covered: bool,
    /// Premium terms (PRM).
    pub premium: Premium,
    /// Limit cancellation day of the new year's first month (LIM-4).
    /// `None`: the policy sets no cancellation deadline.
    pub limit_cancellation_day: Option<u32>,
    /// Withdrawal delay (LIM-3).
    pub withdrawal_delay_days: u32,
    /// Where the waiting period for protracted default starts (CLM-1).
    pub waiting_period_start: WaitingPeriodStart,
    /// Days after the insured event to file the claim, if the policy says (CLM-2).
    pub claim_filing_deadline_days: Option<u32>,
    /// Deductible from the insured loss (CLM-5); zero when none.
    pub deductible: Money,
    /// How unallocated payments are credited (CLM-6).
    pub payment_allocation: PaymentAllocation,
    /// How recoveries after indemnification are shared (CLM-6).
    pub recovery_sharing: RecoverySharing,
    /// Days after opening a collection file for the insurer's follow-up contact (COL-3).
    pub collection_follow_up_days: u32,
    /// Collection services included (COL).
    pub collection_services_included: bool,
    /// Indemnity payment deadline (CLM-4).
    pub indemnity_payment_days: u32,
    /// Day-count setting used by every deadline.
    pub day_count: DayCount,
    // --- cancel/collect terms (#21) ---
    /// What must happen before the insurer's collection starts (COL-1); `None` when the policy
    /// does not say.
    pub collection_start: Option<CollectionPrerequisites>,
    // --- cover terms (#21) ---
    /// The self-assessment windows in months (DIS-1 a/b, DIS-2, DIS-4).
    pub self_assessment_window_months: u32,
    /// The purchases paid on time that self-assessment needs (DIS-1 a).
    pub self_assessment_min_purchases: u32,
    /// Automatic cover per buyer without a named limit (DIS-7), if the policy has it.
    pub automatic_cover: Option<Money>,
    // --- premium terms (#21) ---
    /// The yearly declaration deadline; `None` for fixed premiums (PRM-2).
    pub declaration_deadline: Option<DeclarationDeadline>,
    // --- calendar/claims terms (#21) ---
    /// How "N days end of month" is read.
    pub end_of_month_convention: EndOfMonthConvention,
}

/// The deadline of the yearly declaration after the insurance year ends (PRM-2): a policy term,
/// because the countries' guides state it differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclarationDeadline {
    /// N days after the insurance year's last day, counted with the policy's day count
    /// (`declarationDeadlineDays`; DK: 60).
    Days(u32),
    /// The last day of the Nth month after the month in which the insurance year ends
    /// (`declarationDeadlineEndOfMonth`; CH: "by the end of the first month" is 1).
    EndOfMonth(u32),
}

impl Policy {
    /// Money from a boundary DTO that must be in the policy currency and not negative;
    /// `field` is the path of the money object. The one place that checks this.
    pub fn money(&self, dto: &MoneyDto, field: &str) -> Result<Money, Error> {
        let money = dto.to_non_negative_in(self.currency, field)?;
        if money.currency != self.currency {
            return Err(Error::CurrencyMismatch {
                field: format!("{field}.currency"),
                expected: self.currency.code().to_owned(),
                found: money.currency.code().to_owned(),
            });
        }
        Ok(money)
    }

    /// Whether self-assessment is agreed (a discretionary limit is set).
    pub fn self_assessment_agreed(&self) -> bool {
        self.discretionary_limit.is_some()
    }

    /// The first day after the insurance year that contains `date`'s year start.
    pub fn insurance_year_end(&self) -> Result<NaiveDate, Error> {
        add_months(self.insurance_year_start, self.insurance_year_months, "insuranceYear")
            .map(|d| d.pred_opt().unwrap_or(d))
    }
}

/// Collects problems while validating, each with its field path.
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, error: Error) {
        self.0.push(Problem::from_error(error.field(), &error));
    }

    fn ok<T>(&mut self, result: Result<T, Error>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    fn required<'a, T>(&mut self, value: &'a Option<T>, field: &str) -> Option<&'a T> {
        if value.is_none() {
            self.push(Error::MissingField {
                field: field.to_owned(),
            });
        }
        value.as_ref()
    }

    fn days(&mut self, value: Option<u32>, field: &str, min: u32) -> Option<u32> {
        let days = value?;
        if days < min || days > MAX_PERIOD_DAYS {
            self.push(Error::OutOfRange {
                field: field.to_owned(),
                value: days.to_string(),
                expected: format!("{min} to {MAX_PERIOD_DAYS} days"),
            });
            return None;
        }
        Some(days)
    }

    /// A percentage in (0, 100].
    fn percent(&mut self, value: &DecimalString, field: &str) -> Option<Percent> {
        if value.0 <= Decimal::ZERO || value.0 > Decimal::ONE_HUNDRED {
            self.push(Error::OutOfRange {
                field: field.to_owned(),
                value: value.to_string(),
                expected: "more than 0 and at most 100".into(),
            });
            return None;
        }
        Some(Percent(value.0))
    }

    /// Money in the policy currency, not negative (positive when `positive`).
    fn money(&mut self, value: &MoneyDto, field: &str, currency: Option<Currency>, positive: bool) -> Option<Money> {
        let money = self.ok(value.to_non_negative(field))?;
        if positive && money.amount.is_zero() {
            self.push(Error::OutOfRange {
                field: format!("{field}.amount"),
                value: value.amount.to_string(),
                expected: "more than 0".into(),
            });
            return None;
        }
        match currency {
            Some(c) if c != money.currency => {
                self.push(Error::CurrencyMismatch {
                    field: format!("{field}.currency"),
                    expected: c.code().to_owned(),
                    found: money.currency.code().to_owned(),
                });
                None
            }
            _ => Some(money),
        }
    }
}

impl PolicyDto {
    /// Validates every term and returns the typed [`Policy`], or [`Error::InvalidPolicy`] with
    /// *all* problems found (POL). Field paths are relative to the policy object.
    ///
    /// ```
    /// let dto: delcredere::PolicyDto = serde_json::from_str(r#"{"currency": "EUR", "indemnityPercentage": "120"}"#).unwrap();
    /// let err = dto.validate().unwrap_err();
    /// assert_eq!(err.code(), "invalid_policy");
    /// assert!(err.problems().iter().any(|p| p.field == "indemnityPercentage" && p.code == "out_of_range"));
    /// assert!(err.problems().iter().any(|p| p.field == "insuranceYear" && p.code == "missing_field"));
    /// ```
    pub fn validate(&self) -> Result<Policy, Error> {
        let mut p = Problems(Vec::new());
        let currency = p
            .required(&self.currency, "currency")
            .and_then(|c| p.ok(Currency::parse("currency", c)));

        let year = p.required(&self.insurance_year, "insuranceYear");
        let year_start = year
            .and_then(|y| p.required(&y.start, "insuranceYear.start"))
            .map(|d| d.0);
        let year_months = year.and_then(|y| {
            let months = y.months.unwrap_or(defaults::INSURANCE_YEAR_MONTHS);
            if (1..=24).contains(&months) {
                Some(months)
            } else {
                p.push(Error::OutOfRange {
                    field: "insuranceYear.months".into(),
                    value: months.to_string(),
                    expected: "1 to 24 months".into(),
                });
                None
            }
        });

        let mut agreed_countries = Vec::new();
        if let Some(list) = p.required(&self.agreed_countries, "agreedCountries") {
            if list.is_empty() {
                p.push(Error::EmptyValue {
                    field: "agreedCountries".into(),
                });
            }
            for (i, code) in list.iter().enumerate() {
                let field = format!("agreedCountries[{i}]");
                if let Some(c) = p.ok(Country::parse(&field, code)) {
                    if agreed_countries.contains(&c) {
                        p.push(Error::InconsistentTerms {
                            field,
                            detail: format!("country {c} is listed twice"),
                        });
                    } else {
                        agreed_countries.push(c);
                    }
                }
            }
        }

        for (i, b) in self.excluded_buyers.iter().enumerate() {
            let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
            if blank(&b.registration_number) && blank(&b.legal_name) {
                p.push(Error::MissingField {
                    field: format!("excludedBuyers[{i}].registrationNumber"),
                });
            }
        }

        let discretionary_limit = self
            .discretionary_limit
            .as_ref()
            .and_then(|m| p.money(m, "discretionaryLimit", currency, true));
        if self.discretionary_limit.is_some() && !self.self_assessment_agreed {
            p.push(Error::InconsistentTerms {
                field: "selfAssessmentAgreed".into(),
                detail: "a discretionary limit needs self-assessment agreed".into(),
            });
        }
        if self.self_assessment_agreed && self.discretionary_limit.is_none() {
            p.push(Error::MissingField {
                field: "discretionaryLimit".into(),
            });
        }
        if self.credit_checks_inside_discretionary_limit && !self.self_assessment_agreed {
            p.push(Error::InconsistentTerms {
                field: "creditChecksInsideDiscretionaryLimit".into(),
                detail: "credit checks inside the discretionary limit need self-assessment agreed".into(),
            });
        }

        p.required(&self.max_credit_period_days, "maxCreditPeriodDays");
        let max_credit_period_days = p.days(self.max_credit_period_days, "maxCreditPeriodDays", 1);
        p.required(&self.max_extension_period_days, "maxExtensionPeriodDays");
        let max_extension_period_days = p.days(self.max_extension_period_days, "maxExtensionPeriodDays", 0);
        let exclusion_period_days = p.days(
            Some(self.exclusion_period_days.unwrap_or(defaults::EXCLUSION_PERIOD_DAYS)),
            "exclusionPeriodDays",
            0,
        );
        let overdue_reporting_threshold = match &self.overdue_reporting_threshold {
            Some(m) => p.money(m, "overdueReportingThreshold", currency, false),
            None => currency.map(Money::zero),
        };
        p.required(&self.waiting_period_days, "waitingPeriodDays");
        let waiting_period_days = p.days(self.waiting_period_days, "waitingPeriodDays", 1);
        let indemnity_percentage = p
            .required(&self.indemnity_percentage, "indemnityPercentage")
            .and_then(|v| p.percent(v, "indemnityPercentage"));
        let multiple_given = self
            .premium
            .as_ref()
            .is_some_and(|pr| pr.maximum_liability_multiple.is_some());
        let stated_maximum_liability = match &self.maximum_liability {
            Some(m) if !multiple_given => p.money(m, "maximumLiability", currency, true),
            Some(_) => None,
            None if !multiple_given => {
                p.required(&self.maximum_liability, "maximumLiability");
                None
            }
            None => None,
        };

        let premium = p
            .required(&self.premium, "premium")
            .and_then(|pr| validate_premium(&mut p, pr, currency, year_start.zip(year_months)));
        let multiple = self
            .premium
            .as_ref()
            .and_then(|pr| pr.maximum_liability_multiple.as_ref())
            .and_then(|m| {
                if m.0 > Decimal::ZERO {
                    Some(m.0)
                } else {
                    p.push(Error::OutOfRange {
                        field: "premium.maximumLiabilityMultiple".into(),
                        value: m.to_string(),
                        expected: "more than 0".into(),
                    });
                    None
                }
            });
        let maximum_liability = match (self.maximum_liability.is_some(), multiple_given) {
            (_, false) => stated_maximum_liability,
            (true, true) => {
                p.push(Error::InconsistentTerms {
                    field: "premium.maximumLiabilityMultiple".into(),
                    detail: "give the maximum liability as an amount or as a multiple of the premium, not both".into(),
                });
                None
            }
            (false, true) => match (multiple, premium.as_ref().map(Premium::provisional_premium)) {
                (Some(k), Some(Some(base))) => p.ok(base
                    .amount
                    .checked_mul(k)
                    .map(|a| Money::new(a, base.currency))
                    .ok_or_else(|| Error::Overflow {
                        field: "premium.maximumLiabilityMultiple".into(),
                    })),
                (Some(_), Some(None)) => {
                    p.push(Error::InconsistentTerms {
                        field: "premium.maximumLiabilityMultiple".into(),
                        detail: "a maximum liability as a multiple of the premium needs a turnover or fixed premium"
                            .into(),
                    });
                    None
                }
                _ => None,
            },
        };
        let is_fixed = matches!(premium, Some(Premium::Fixed { .. }));
        let declaration_deadline = validate_declaration_deadline(
            &mut p,
            self.declaration_deadline_days,
            self.declaration_deadline_end_of_month,
            premium.is_some() && !is_fixed,
        );
        let limit_cancellation_day = self.limit_cancellation_day;
        if let Some(day) = limit_cancellation_day.filter(|d| !(1..=31).contains(d)) {
            p.push(Error::OutOfRange {
                field: "limitCancellationDay".into(),
                value: day.to_string(),
                expected: "a day of the month, 1 to 31".into(),
            });
        }
        let withdrawal_delay_days = p.days(
            Some(self.withdrawal_delay_days.unwrap_or(defaults::WITHDRAWAL_DELAY_DAYS)),
            "withdrawalDelayDays",
            0,
        );
        let collection_start = collection_start(&mut p, self.collection_start, self.collection_warning_days);
        let indemnity_payment_days = p.days(
            Some(self.indemnity_payment_days.unwrap_or(defaults::INDEMNITY_PAYMENT_DAYS)),
            "indemnityPaymentDays",
            1,
        );

        let claim_filing_deadline_days = self
            .claim_filing_deadline_days
            .and_then(|d| p.days(Some(d), "claimFilingDeadlineDays", 1));
        let deductible = match &self.deductible {
            Some(m) => p.money(m, "deductible", currency, false),
            None => currency.map(Money::zero),
        };
        let collection_follow_up_days = p.days(
            Some(
                self.collection_follow_up_days
                    .unwrap_or(defaults::COLLECTION_FOLLOW_UP_DAYS),
            ),
            "collectionFollowUpDays",
            1,
        );

        // --- cover terms (#21) ---
        let (self_assessment_window_months, self_assessment_min_purchases, automatic_cover) =
            validate_small_buyer_cover(&mut p, self, currency);

        let policy = (|| {
            Some(Policy {
                currency: currency?,
                insurance_year_start: year_start?,
                insurance_year_months: year_months?,
                agreed_countries,
                excluded_buyers: self.excluded_buyers.clone(),
                discretionary_limit: if self.self_assessment_agreed {
                    Some(discretionary_limit?)
                } else {
                    None
                },
                credit_checks_inside_discretionary_limit: self.credit_checks_inside_discretionary_limit,
                max_credit_period_days: max_credit_period_days?,
                max_extension_period_days: max_extension_period_days?,
                exclusion_period_days: exclusion_period_days?,
                overdue_reporting_threshold: overdue_reporting_threshold?,
                waiting_period_days: waiting_period_days?,
                indemnity_percentage: indemnity_percentage?,
                maximum_liability: maximum_liability?,
                maximum_liability_multiple: multiple,
                vat_insured: self.vat_insured,
                public_buyers_covered: self.public_buyers_covered,
                premium: premium?,
                limit_cancellation_day,
                withdrawal_delay_days: withdrawal_delay_days?,
                collection_services_included: self.collection_services_included,
                indemnity_payment_days: indemnity_payment_days?,
                day_count: self.day_count.into(),
                waiting_period_start: self.waiting_period_start.unwrap_or(defaults::WAITING_PERIOD_START),
                claim_filing_deadline_days,
                deductible: deductible?,
                payment_allocation: self.payment_allocation.unwrap_or(defaults::PAYMENT_ALLOCATION),
                recovery_sharing: self.recovery_sharing.unwrap_or(defaults::RECOVERY_SHARING),
                collection_follow_up_days: collection_follow_up_days?,
                // --- cancel/collect terms (#21) ---
                collection_start: collection_start?,
                // --- cover terms (#21) ---
                self_assessment_window_months: self_assessment_window_months?,
                self_assessment_min_purchases: self_assessment_min_purchases?,
                automatic_cover: match &self.automatic_cover {
                    Some(_) => Some(automatic_cover?),
                    None => None,
                },
                // --- premium terms (#21) ---
                declaration_deadline: if is_fixed { None } else { Some(declaration_deadline?) },
                // --- calendar/claims terms (#21) ---
                end_of_month_convention: self
                    .end_of_month_convention
                    .unwrap_or(defaults::END_OF_MONTH_CONVENTION),
            })
        })();
        match policy {
            Some(policy) if p.0.is_empty() => Ok(policy),
            _ => Err(Error::InvalidPolicy { problems: p.0 }),
        }
    }
}

// --- cover terms (#21) ---
/// The terms of cover for small buyers: self-assessment's windows and purchases (DIS-1 a/b,
/// DIS-2, DIS-4), only with self-assessment agreed; automatic cover (DIS-7), in the policy
/// currency and not with self-assessment. Returns (window months, minimum purchases, automatic
/// cover), each `None` when invalid.
fn validate_small_buyer_cover(
    p: &mut Problems,
    dto: &PolicyDto,
    currency: Option<Currency>,
) -> (Option<u32>, Option<u32>, Option<Money>) {
    let mut count = |value: Option<u32>, default: u32, field: &str, max: u32, what: &str| {
        if value.is_some() && !dto.self_assessment_agreed {
            p.push(Error::InconsistentTerms {
                field: field.to_owned(),
                detail: format!("{what} needs self-assessment agreed"),
            });
        }
        let n = value.unwrap_or(default);
        if (1..=max).contains(&n) {
            Some(n)
        } else {
            p.push(Error::OutOfRange {
                field: field.to_owned(),
                value: n.to_string(),
                expected: format!("1 to {max}"),
            });
            None
        }
    };
    let window = count(
        dto.self_assessment_window_months,
        defaults::SELF_ASSESSMENT_WINDOW_MONTHS,
        "selfAssessmentWindowMonths",
        36,
        "a self-assessment window",
    );
    let purchases = count(
        dto.self_assessment_min_purchases,
        defaults::SELF_ASSESSMENT_MIN_PURCHASES,
        "selfAssessmentMinPurchases",
        100,
        "a minimum of purchases for self-assessment",
    );
    let automatic = dto.automatic_cover.as_ref().and_then(|m| {
        if dto.self_assessment_agreed {
            p.push(Error::InconsistentTerms {
                field: "automaticCover".into(),
                detail: "automatic cover and self-assessment exclude each other: give one of the two".into(),
            });
        }
        p.money(m, "automaticCover", currency, true)
    });
    (window, purchases, automatic)
}

fn validate_premium(
    p: &mut Problems,
    dto: &PremiumDto,
    currency: Option<Currency>,
    year: Option<(NaiveDate, u32)>,
) -> Option<Premium> {
    let basis = *p.required(&dto.basis, "premium.basis")?;
    // PRM-1, PRM-2: absent means no minimum premium (`Some(None)`); `None` is a wrong share.
    let minimum_share = match &dto.minimum_premium_share {
        Some(v) => p.percent(v, "premium.minimumPremiumShare").map(Some),
        None => Some(None),
    };
    let balance = basis == PremiumBasis::OutstandingBalance;
    let rate = |p: &mut Problems| {
        p.required(&dto.rate, "premium.rate")
            .and_then(|r| p.percent(r, "premium.rate"))
    };
    match basis {
        PremiumBasis::Turnover => {
            let rate = rate(p);
            let expected = p
                .required(&dto.expected_turnover, "premium.expectedTurnover")
                .and_then(|m| p.money(m, "premium.expectedTurnover", currency, true));
            validate_reporting_days(p, dto, year, balance);
            Some(Premium::Turnover {
                rate: rate?,
                expected_turnover: expected?,
                minimum_share: minimum_share?,
            })
        }
        PremiumBasis::OutstandingBalance => {
            let rate = rate(p);
            let (reporting_days, report_deadline_days) = validate_reporting_days(p, dto, year, balance);
            Some(Premium::OutstandingBalance {
                rate: rate?,
                minimum_share: minimum_share?,
                reporting_days: reporting_days?,
                report_deadline_days: report_deadline_days?,
            })
        }
        PremiumBasis::Fixed => {
            let amount = p
                .required(&dto.fixed_amount, "premium.fixedAmount")
                .and_then(|m| p.money(m, "premium.fixedAmount", currency, true));
            validate_reporting_days(p, dto, year, balance);
            Some(Premium::Fixed { amount: amount? })
        }
    }
}

// --- premium terms (#21) ---

/// PRM-2: the declaration deadline, as days or as the end of a month, not both; one of them is
/// required when the premium needs a declaration (`required`).
fn validate_declaration_deadline(
    p: &mut Problems,
    days: Option<u32>,
    end_of_month: Option<u32>,
    required: bool,
) -> Option<DeclarationDeadline> {
    match (days, end_of_month) {
        (Some(_), Some(_)) => {
            p.days(days, "declarationDeadlineDays", 1);
            p.push(Error::InconsistentTerms {
                field: "declarationDeadlineEndOfMonth".into(),
                detail: "give the declaration deadline in days or as the end of a month, not both".into(),
            });
            None
        }
        (Some(_), None) => p
            .days(days, "declarationDeadlineDays", 1)
            .map(DeclarationDeadline::Days),
        (None, Some(months)) if (1..=12).contains(&months) => Some(DeclarationDeadline::EndOfMonth(months)),
        (None, Some(months)) => {
            p.push(Error::OutOfRange {
                field: "declarationDeadlineEndOfMonth".into(),
                value: months.to_string(),
                expected: "1 to 12 months".into(),
            });
            None
        }
        (None, None) => {
            if required {
                p.push(Error::MissingField {
                    field: "declarationDeadlineDays".into(),
                });
            }
            None
        }
    }
}

/// PRM-6: the reporting days (each inside the insurance year, ascending, no repeats) and the
/// report deadline, both for a balance premium (`balance`) only. `None` when a problem was found.
fn validate_reporting_days(
    p: &mut Problems,
    dto: &PremiumDto,
    year: Option<(NaiveDate, u32)>,
    balance: bool,
) -> (Option<Vec<NaiveDate>>, Option<u32>) {
    let only_balance = |p: &mut Problems, field: &str| {
        p.push(Error::InconsistentTerms {
            field: field.to_owned(),
            detail: "reporting days and their deadline belong to a balance premium (basis outstandingBalance)".into(),
        });
    };
    if !balance {
        if dto.reporting_days.is_some() {
            only_balance(p, "premium.reportingDays");
        }
        if dto.balance_report_deadline_days.is_some() {
            only_balance(p, "premium.balanceReportDeadlineDays");
        }
        return (Some(Vec::new()), Some(defaults::BALANCE_REPORT_DEADLINE_DAYS));
    }
    let year_range = year.and_then(|(start, months)| {
        let end = add_months(start, months, "insuranceYear").ok()?.pred_opt()?;
        Some((start, end))
    });
    let mut days = Vec::new();
    let mut ok = true;
    let given = dto.reporting_days.as_deref().unwrap_or_default();
    for (i, day) in given.iter().enumerate() {
        let field = format!("premium.reportingDays[{i}]");
        let day = day.0;
        if let Some((start, end)) = year_range.filter(|(s, e)| day < *s || day > *e) {
            p.push(Error::OutOfRange {
                field,
                value: day.to_string(),
                expected: format!("a day of the insurance year, {start} to {end}"),
            });
            ok = false;
        } else if let Some(before) = i.checked_sub(1).and_then(|j| given.get(j)).filter(|b| b.0 >= day) {
            p.push(Error::InconsistentTerms {
                field,
                detail: format!(
                    "reporting days must be in ascending order without repeats: {day} is listed after {}",
                    before.0
                ),
            });
            ok = false;
        }
        days.push(day);
    }
    let deadline = p.days(
        Some(
            dto.balance_report_deadline_days
                .unwrap_or(defaults::BALANCE_REPORT_DEADLINE_DAYS),
        ),
        "premium.balanceReportDeadlineDays",
        0,
    );
    (ok.then_some(days), deadline)
}

// --- cancel/collect terms (#21) ---

/// When the insurer's collection service starts on a file (COL-1): a policy term, because the
/// countries differ.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CollectionStart {
    /// (CH, FR) At once after the insured's report: no reminder, formal notice or collection
    /// warning first.
    AtOnce,
    /// (BE, DK) After the insured's own payment reminder and formal notice, once the collection
    /// warning of `collectionWarningDays` given to the buyer has run.
    AfterReminderAndNotice,
}

/// What must happen before the insurer's collection starts (COL-1), validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionPrerequisites {
    /// (CH, FR) Nothing: the insurer starts at once after the report.
    AtOnce,
    /// (BE, DK) The insured's own reminder, the formal notice and a collection warning of
    /// `warning_days` days.
    AfterReminderAndNotice {
        /// The collection warning period in days.
        warning_days: u32,
    },
}

/// COL-1: `collectionStart` with `collectionWarningDays`. The warning period is required with
/// `afterReminderAndNotice` and belongs to no other start: giving it with `atOnce`, or without a
/// `collectionStart`, is `inconsistent_terms`. `None` when a problem was pushed.
fn collection_start(
    p: &mut Problems,
    start: Option<CollectionStart>,
    warning_days: Option<u32>,
) -> Option<Option<CollectionPrerequisites>> {
    let field = "collectionWarningDays";
    let inconsistent = |detail: &str| Error::InconsistentTerms {
        field: field.into(),
        detail: detail.into(),
    };
    match (start, warning_days) {
        (None, None) => Some(None),
        (Some(CollectionStart::AtOnce), None) => Some(Some(CollectionPrerequisites::AtOnce)),
        (Some(CollectionStart::AfterReminderAndNotice), None) => {
            p.push(Error::MissingField { field: field.into() });
            None
        }
        (Some(CollectionStart::AfterReminderAndNotice), days) => p
            .days(days, field, 0)
            .map(|warning_days| Some(CollectionPrerequisites::AfterReminderAndNotice { warning_days })),
        (Some(CollectionStart::AtOnce), Some(_)) => {
            p.push(inconsistent(
                "a collection warning period belongs to collectionStart afterReminderAndNotice, not atOnce",
            ));
            None
        }
        (None, Some(_)) => {
            p.push(inconsistent(
                "a collection warning period needs collectionStart afterReminderAndNotice",
            ));
            None
        }
    }
}
