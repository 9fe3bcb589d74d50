//! Form validators: the checks a web form runs as the user types and on submit, answering
//! `{valid, fields: {path: [{code, severity, message}]}}` in the chosen language.
//!
//! A form validator never throws for what a user can type: empty fields, text where a number
//! is expected, unknown codes all come back as field messages. Only what a form cannot cause
//! (an invalid policy, an unknown language, an unknown key) is an [`Error`].
//!
//! - Op `validate_limit_application` (LIM-2, LIM-5, BUY-4, BUY-5): the limit application
//!   form, its values as typed (strings), with the same LIM-2 and LIM-5 rules as
//!   `check_limit_application`.
//! - Op `validate_turnover_declaration_form` (PRM-3..5): the findings of
//!   `validate_turnover_declaration` in the form shape; a malformed figure or code becomes a
//!   field message too.
//!
//! - Op `validate_claim_file_form` (CLM-3) and op `validate_collection_file_form` (COL-2): the
//!   checklists of `check_claim_file` and `check_collection_file` as form reports ([`files`]).
//!
//! Any op whose decision carries field-keyed findings ([`Details::Findings`]) gets the form
//! shape through [`FormReport::from_decision`]; a validator that checks fields itself builds
//! [`Finding`]s and calls [`FormReport::from_findings`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{parse_date, MAX_PERIOD_DAYS};
use crate::country::Country;
use crate::decision::{Decision, Details, Param, Reason, ReasonCode};
use crate::declaration::{validate_turnover_declaration, Finding, Severity, ValidateTurnoverDeclarationInput};
use crate::error::Error;
use crate::ffi::{parse, Source};
use crate::i18n::{self, Language};
use crate::limit::{credit_check_fee_reason, terms_reason};
use crate::money::parse_decimal;
use crate::policy::{Policy, PolicyDto};

pub mod files;

pub use files::{
    validate_claim_file_form, validate_collection_file_form, ClaimFileFormDto, CollectionFileFormDto, PeriodFormDto,
    RequestedDocumentFormDto, ValidateClaimFileFormInput, ValidateCollectionFileFormInput,
};

/// One message on a form field.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldMessage {
    /// Stable code (a reason code).
    pub code: ReasonCode,
    /// `error` (the form cannot be sent as it is), `warning` (worth a look) or `notice` (for
    /// information: something the user may do either way).
    pub severity: Severity,
    /// The message in the language asked for.
    pub message: String,
}

/// What a form validator returns.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormReport {
    /// True when no field has an error (warnings allowed).
    pub valid: bool,
    /// Messages by field path (relative to the form, e.g. `requestedAmount` or
    /// `sections[0].lines[1].amount`), each list in the order the checks ran. Fields without
    /// a message are absent.
    pub fields: BTreeMap<String, Vec<FieldMessage>>,
}

impl FormReport {
    /// Groups findings by field and renders each message in `lang` (a finding that already
    /// carries its message keeps it).
    pub fn from_findings(findings: &[Finding], lang: Language) -> Result<Self, Error> {
        let mut fields: BTreeMap<String, Vec<FieldMessage>> = BTreeMap::new();
        for (i, f) in findings.iter().enumerate() {
            let message = match &f.message {
                Some(m) => m.clone(),
                None => i18n::render(
                    lang,
                    f.code.as_str(),
                    &f.params,
                    f.code.decimal_params(),
                    &format!("findings[{i}]"),
                )?,
            };
            fields.entry(f.field.clone()).or_default().push(FieldMessage {
                code: f.code,
                severity: f.severity,
                message,
            });
        }
        let valid = !fields.values().flatten().any(|m| m.severity == Severity::Error);
        Ok(FormReport { valid, fields })
    }

    /// The form shape of a decision with field-keyed findings ([`Details::Findings`]); a
    /// decision without findings is a valid form.
    pub fn from_decision(decision: &Decision, lang: Language) -> Result<Self, Error> {
        match &decision.details {
            Some(Details::Findings { findings }) => FormReport::from_findings(findings, lang),
            _ => FormReport::from_findings(&[], lang),
        }
    }
}

fn finding(code: ReasonCode, severity: Severity, field: &str, reason: Reason) -> Finding {
    Finding {
        code,
        severity,
        field: field.to_owned(),
        rule: reason.rule,
        params: reason.params,
        message: None,
    }
}

/// Collects findings in the order the form reads.
#[derive(Default)]
struct Collector(Vec<Finding>);

impl Collector {
    fn push<const N: usize>(&mut self, code: ReasonCode, severity: Severity, field: &str, params: [(&str, Param); N]) {
        self.0.push(finding(code, severity, field, Reason::new(code, params)));
    }

    fn reason(&mut self, severity: Severity, field: &str, reason: Reason) {
        self.0.push(finding(reason.code, severity, field, reason));
    }

    fn error<const N: usize>(&mut self, code: ReasonCode, field: &str, params: [(&str, Param); N]) {
        self.push(code, Severity::Error, field, params);
    }

    /// The trimmed value, or an `application_field_required` error when it is blank.
    fn required<'a>(&mut self, field: &str, value: Option<&'a str>) -> Option<&'a str> {
        self.required_as(ReasonCode::ApplicationFieldRequired, field, value)
    }

    /// The trimmed value, or a `code` error when it is blank.
    fn required_as<'a>(&mut self, code: ReasonCode, field: &str, value: Option<&'a str>) -> Option<&'a str> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(v),
            None => {
                self.error(code, field, []);
                None
            }
        }
    }
}

fn shown(value: &str) -> Param {
    Param::Text(value.chars().take(40).collect())
}

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

    if let Some(name) = c.required("buyerName", app.buyer_name.as_deref()) {
        if app.legal_form.as_deref().is_none_or(|f| f.trim().is_empty()) {
            c.push(
                ReasonCode::LegalFormMissing,
                Severity::Warning,
                "legalForm",
                [("buyer", Param::from(name))],
            );
        }
    }

    if let Some(code) = c.required("buyerCountry", app.buyer_country.as_deref()) {
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

    let currency_ok = match c.required("currency", app.currency.as_deref()) {
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

    if let Some(text) = c.required("requestedAmount", app.requested_amount.as_deref()) {
        match parse_decimal("requestedAmount", text) {
            Err(_) => c.error(
                ReasonCode::ApplicationAmountInvalid,
                "requestedAmount",
                [("value", shown(text))],
            ),
            Ok(amount) if amount <= Decimal::ZERO => c.error(
                ReasonCode::ApplicationAmountNotPositive,
                "requestedAmount",
                [("amount", Param::amount(amount))],
            ),
            Ok(amount) => {
                let decimals = policy.currency.minor_units();
                if amount.normalize().scale() > decimals {
                    c.error(
                        ReasonCode::ApplicationAmountTooPrecise,
                        "requestedAmount",
                        [
                            ("amount", Param::amount(amount)),
                            ("currency", Param::from(policy.currency.code())),
                            ("decimals", Param::from(decimals)),
                        ],
                    );
                } else if currency_ok {
                    if let Some(reason) = credit_check_fee_reason(policy, amount) {
                        c.reason(Severity::Warning, "requestedAmount", reason);
                    }
                }
            }
        }
    }

    if let Some(text) = c.required("paymentTermsDays", app.payment_terms_days.as_deref()) {
        match text
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_PERIOD_DAYS && text.bytes().all(|b| b.is_ascii_digit()))
        {
            None => c.error(
                ReasonCode::ApplicationTermsInvalid,
                "paymentTermsDays",
                [("value", shown(text)), ("maxDays", Param::from(MAX_PERIOD_DAYS))],
            ),
            Some(days) => {
                let reason = terms_reason(policy, days);
                if reason.code == ReasonCode::RequestedTermsExceedMaxCreditPeriod {
                    c.reason(Severity::Error, "paymentTermsDays", reason);
                }
            }
        }
    }

    if let Some(text) = c.required("date", app.date.as_deref()) {
        match parse_date("date", text) {
            Err(_) => c.error(ReasonCode::ApplicationDateInvalid, "date", [("value", shown(text))]),
            Ok(date) if date < policy.insurance_year_start => c.error(
                ReasonCode::ApplicationDateBeforePolicyStart,
                "date",
                [
                    ("date", Param::from(date.to_string())),
                    ("policyStart", Param::from(policy.insurance_year_start.to_string())),
                ],
            ),
            Ok(_) => {}
        }
    }
    c.0
}

/// Op `validate_turnover_declaration_form`: the findings of `validate_turnover_declaration`
/// (PRM-3..5) as a form report, keyed by paths inside the declaration. The input is that op's
/// input; `lang` is required. A figure that is not a decimal (`declaration_amount_invalid`),
/// an unknown country or currency code (`declaration_code_unknown`) or a declaration without
/// any line (`declaration_empty`) is a field error, reported alone as the declaration cannot
/// be read further.
pub fn validate_turnover_declaration_form<I: Source>(input: I) -> Result<FormReport, Error> {
    let parsed: Result<ValidateTurnoverDeclarationInput, Error> = parse(input.clone());
    let (lang, result) = match parsed {
        Ok(typed) => {
            let lang = typed
                .lang
                .as_deref()
                .ok_or_else(|| Error::MissingField { field: "lang".into() })?;
            let lang = Language::parse("lang", lang)?;
            (lang, validate_turnover_declaration(&typed))
        }
        Err(e) => (lang_of(input)?, Err(e)),
    };
    match result {
        Ok(decision) => FormReport::from_decision(&decision, lang),
        Err(e) => match declaration_field_error(&e) {
            Some(f) => FormReport::from_findings(&[f], lang),
            None => Err(e),
        },
    }
}

/// The `lang` of an input that did not parse as a whole.
fn lang_of<I: Source>(input: I) -> Result<Language, Error> {
    #[derive(Deserialize)]
    struct LangOnly {
        lang: Option<String>,
    }
    // Every other field is skipped: the input's error is the typed parse's, reported after.
    let only: LangOnly = parse(input).map_err(|_| Error::InvalidType {
        field: "lang".into(),
        detail: "expected a language code".into(),
    })?;
    let lang = only.lang.ok_or_else(|| Error::MissingField { field: "lang".into() })?;
    Language::parse("lang", &lang)
}

/// A malformed value inside the declaration as a field finding, if it is one.
fn declaration_field_error(e: &Error) -> Option<Finding> {
    let field = e.field().strip_prefix("declaration.")?;
    let (code, params): (ReasonCode, Vec<(&str, Param)>) = match e {
        Error::InvalidAmount { value, .. } => (ReasonCode::DeclarationAmountInvalid, vec![("value", shown(value))]),
        Error::OutOfRange { value, .. } if crate::money::is_too_many_digits(e) => {
            (ReasonCode::DeclarationAmountInvalid, vec![("value", shown(value))])
        }
        Error::UnknownCountry { value, .. } | Error::UnknownCurrency { value, .. } => {
            (ReasonCode::DeclarationCodeUnknown, vec![("value", shown(value))])
        }
        Error::EmptyValue { .. } => (ReasonCode::DeclarationEmpty, vec![]),
        _ => return None,
    };
    let reason = Reason {
        code,
        rule: code.rule().to_owned(),
        params: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    };
    Some(finding(code, Severity::Error, field, reason))
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

    #[test]
    fn a_decision_without_findings_is_a_valid_form() {
        let d = Decision {
            outcome: crate::decision::Outcome::DeclarationValid,
            amounts: BTreeMap::new(),
            reasons: vec![],
            details: None,
        };
        let report = FormReport::from_decision(&d, Language::Fr).unwrap();
        assert!(report.valid && report.fields.is_empty());
    }
}
