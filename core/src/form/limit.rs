//! The limit application form (LIM-2, LIM-5, BUY-4, BUY-5): its values as typed, with the same
//! LIM-2 and LIM-5 rules as `check_limit_application`.

use serde::{Deserialize, Serialize};

use super::{shown, Codes, Collector, FormReport};
use crate::country::Country;
use crate::decision::{Param, ReasonCode};
use crate::declaration::{Finding, Severity};
use crate::error::Error;
use crate::i18n::Language;
use crate::limit::{credit_check_fee_reason, terms_reason};
use crate::policy::{Policy, PolicyDto};

/// The codes of the limit application form's typed values.
const CODES: Codes = Codes {
    required: ReasonCode::ApplicationFieldRequired,
    amount_invalid: ReasonCode::ApplicationAmountInvalid,
    amount_not_positive: ReasonCode::ApplicationAmountNotPositive,
    amount_too_precise: ReasonCode::ApplicationAmountTooPrecise,
    terms_invalid: ReasonCode::ApplicationTermsInvalid,
    date_invalid: ReasonCode::ApplicationDateInvalid,
};

/// The limit application form, its values as typed (every field a string, absent or empty
/// when not filled in yet).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitApplicationFormDto {
    /// The buyer's full legal name (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub buyer_name: Option<String>,
    /// The buyer's legal form, e.g. `GmbH` (BUY-5: a warning when missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub legal_form: Option<String>,
    /// The buyer's country, ISO 3166-1 alpha-2 (required; BUY-4: agreed in the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub buyer_country: Option<String>,
    /// The amount asked for, a decimal string (required, more than zero, at most the
    /// currency's minor unit of decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub requested_amount: Option<String>,
    /// The amount's currency (required, the policy currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub currency: Option<String>,
    /// The payment terms the insured wants to grant, whole days (required; LIM-2: at most the
    /// maximum credit period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub payment_terms_days: Option<String>,
    /// Date of the application, `YYYY-MM-DD` (required, not before the policy starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub date: Option<String>,
}

/// Input of op `validate_limit_application`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateLimitApplicationInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The form as typed.
    pub application: LimitApplicationFormDto,
    /// `en`, `de`, `fr`, `nl` or `da`.
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: String,
}

/// Op `validate_limit_application`: every field of a limit application form at once.
///
/// Field checks (LIM-2 unless said): each field filled in (`application_field_required`);
/// `buyerCountry` a known code (`application_country_unknown`) agreed in the policy
/// (BUY-4 `country_not_agreed`); `legalForm` given (BUY-5 `legal_form_missing`, a warning);
/// `requestedAmount` a decimal (`application_amount_invalid`), more than zero
/// (`application_amount_not_positive`), with at most the currency's decimals
/// (`application_amount_too_precise`); `currency` the policy's
/// (`application_currency_not_policy`); `paymentTermsDays` whole days up to 3650
/// (`application_terms_invalid`) and within the maximum credit period
/// (`requested_terms_exceed_max_credit_period`, an error); `date` a date
/// (`application_date_invalid`) not before the policy start
/// (`application_date_before_policy_start`). LIM-5 `credit_check_fee_applies` is a warning on
/// `requestedAmount`.
pub fn validate_limit_application(input: &ValidateLimitApplicationInput) -> Result<FormReport, Error> {
    let policy = input.policy.validate()?;
    let lang = Language::parse("lang", &input.lang)?;
    let findings = limit_application_findings(&policy, &input.application);
    FormReport::from_findings(&findings, lang)
}

fn limit_application_findings(policy: &Policy, app: &LimitApplicationFormDto) -> Vec<Finding> {
    let mut c = Collector::default();

    if let Some(name) = c.required_as(CODES.required, "buyerName", app.buyer_name.as_deref()) {
        if app.legal_form.as_deref().is_none_or(|f| f.trim().is_empty()) {
            c.push(
                ReasonCode::LegalFormMissing,
                Severity::Warning,
                "legalForm",
                [("buyer", Param::from(name))],
            );
        }
    }

    if let Some(code) = c.required_as(CODES.required, "buyerCountry", app.buyer_country.as_deref()) {
        match Country::parse("buyerCountry", code) {
            Err(_) => c.error(
                ReasonCode::ApplicationCountryUnknown,
                "buyerCountry",
                [("country", shown(code))],
            ),
            Ok(country) if !policy.agreed_countries.contains(&country) => c.error(
                ReasonCode::CountryNotAgreed,
                "buyerCountry",
                [("country", Param::from(country.code()))],
            ),
            Ok(_) => {}
        }
    }

    let currency_ok = match c.required_as(CODES.required, "currency", app.currency.as_deref()) {
        Some(code) if code == policy.currency.code() => true,
        Some(code) => {
            c.error(
                ReasonCode::ApplicationCurrencyNotPolicy,
                "currency",
                [
                    ("currency", shown(code)),
                    ("expected", Param::from(policy.currency.code())),
                ],
            );
            false
        }
        None => false,
    };

    if let Some(amount) = c.amount(
        &CODES,
        "requestedAmount",
        app.requested_amount.as_deref(),
        policy.currency,
    ) {
        if currency_ok {
            if let Some(reason) = credit_check_fee_reason(policy, amount) {
                c.reason(Severity::Warning, "requestedAmount", reason);
            }
        }
    }

    if let Some(days) = c.days(&CODES, "paymentTermsDays", app.payment_terms_days.as_deref()) {
        let reason = terms_reason(policy, days);
        if reason.code == ReasonCode::RequestedTermsExceedMaxCreditPeriod {
            c.reason(Severity::Error, "paymentTermsDays", reason);
        }
    }

    if let Some(date) = c.date(&CODES, "date", app.date.as_deref()) {
        if date < policy.insurance_year_start {
            c.error(
                ReasonCode::ApplicationDateBeforePolicyStart,
                "date",
                [
                    ("date", Param::from(date.to_string())),
                    ("policyStart", Param::from(policy.insurance_year_start.to_string())),
                ],
            );
        }
    }
    c.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PolicyDto {
        serde_json::from_value(serde_json::json!({
            "currency": "EUR",
            "insuranceYear": {"start": "2026-01-01"},
            "agreedCountries": ["DE", "FR"],
            "maxCreditPeriodDays": 120,
            "maxExtensionPeriodDays": 60,
            "waitingPeriodDays": 180,
            "indemnityPercentage": "90",
            "maximumLiability": {"amount": "2000000", "currency": "EUR"},
            "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
            "declarationDeadlineDays": 30
        }))
        .unwrap()
    }

    fn run(app: LimitApplicationFormDto, lang: &str) -> FormReport {
        validate_limit_application(&ValidateLimitApplicationInput {
            policy: policy(),
            application: app,
            lang: lang.into(),
        })
        .unwrap()
    }

    #[test]
    fn an_empty_limit_application_form_asks_for_every_required_field_lim_2() {
        let report = run(LimitApplicationFormDto::default(), "en");
        assert!(!report.valid);
        let keys: Vec<_> = report.fields.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "buyerCountry",
                "buyerName",
                "currency",
                "date",
                "paymentTermsDays",
                "requestedAmount"
            ]
        );
        assert_eq!(report.fields["date"][0].message, "This field is required.");
    }

    #[test]
    fn terms_beyond_the_maximum_credit_period_are_an_error_on_the_terms_field_lim_2() {
        let report = run(
            LimitApplicationFormDto {
                buyer_name: Some("Müller GmbH".into()),
                legal_form: Some("GmbH".into()),
                buyer_country: Some("DE".into()),
                requested_amount: Some("50000".into()),
                currency: Some("EUR".into()),
                payment_terms_days: Some("150".into()),
                date: Some("2026-03-02".into()),
            },
            "de",
        );
        assert!(!report.valid);
        assert_eq!(report.fields.len(), 1);
        let m = &report.fields["paymentTermsDays"][0];
        assert_eq!(m.code, ReasonCode::RequestedTermsExceedMaxCreditPeriod);
        assert_eq!(m.severity, Severity::Error);
    }
}
