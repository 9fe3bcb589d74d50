//! The limit application form (LIM-1, LIM-2, LIM-5, BUY-2..5, CLM-5): its values as typed,
//! with the same LIM-2 and LIM-5 rules as `check_limit_application` and the insurability of
//! `check_insurability` (BUY-2..5), the buyer's identification and address, the insured's
//! customer number and the answers on the buyer's payment behaviour.

use serde::{Deserialize, Serialize};

use super::{shown, Codes, Collector, FormReport};
use crate::buyer::{check_insurability, BuyerDto, EntityKind, ReceivableDto};
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

/// The countries whose postal addresses need a state, province or prefecture, so that an
/// address there is not complete without it (BUY-5). The Danish guide says only that "for some
/// countries" the state or province is mandatory and names none: this list is the project's
/// own, sorted. Australia, Brazil, Canada, China, India, Italy (the two-letter province),
/// Japan (the prefecture), Mexico, the United States.
pub const STATE_COUNTRIES: [&str; 9] = ["AU", "BR", "CA", "CN", "IN", "IT", "JP", "MX", "US"];

/// The limit application form, its values as typed: text fields as strings, absent or empty
/// when not filled in yet; boxes and yes/no answers as booleans (an answer absent when not
/// given yet).
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
    /// The buyer's company registration number (CVR, HRB, SIREN...): the best identifier
    /// (BUY-5: a warning when missing, and the address is then required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub registration_number: Option<String>,
    /// The buyer's VAT number, if any: not reliable on its own (BUY-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub vat_number: Option<String>,
    /// What the buyer is (BUY-2, BUY-3); absent: a company at its head office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub entity_kind: Option<EntityKind>,
    /// The insured holds, directly or indirectly, a majority in the buyer (BUY-3).
    #[serde(default)]
    pub insured_holds_majority: bool,
    /// Street and number of the buyer's registered address (required without a registration
    /// number, or once any part of the address is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub street: Option<String>,
    /// The postcode (required with the address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub postcode: Option<String>,
    /// The town (required with the address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub city: Option<String>,
    /// The state, province or prefecture (required with the address in the countries of
    /// [`STATE_COUNTRIES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub state: Option<String>,
    /// The buyer's country, ISO 3166-1 alpha-2 (required; BUY-4: agreed in the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub buyer_country: Option<String>,
    /// The insured's own customer number for the buyer (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub customer_number: Option<String>,
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
    /// The answers on the buyer's payment behaviour and the insured's sales to it.
    #[serde(default)]
    pub payment_experience: PaymentExperienceFormDto,
}

/// The questions of the limit application on the buyer's payment behaviour and the insured's
/// sales to it, as the guides ask them; each answer is `true` (yes), `false` (no) or absent
/// (not answered yet). The answers go to the insurer with the application.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentExperienceFormDto {
    /// Nothing delivered to this buyer yet: there is no payment behaviour to tell, and
    /// `paysOnTime` is not asked.
    #[serde(default)]
    pub new_buyer: bool,
    /// Does the buyer pay on time, as a rule? (Required unless `newBuyer`.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub pays_on_time: Option<bool>,
    /// Are the insured's sales cyclical, with a seasonal peak (Christmas, say)? (Required.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seasonal_peaks: Option<bool>,
    /// Are the sales to the buyer regular over the year? (Required.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub regular_sales: Option<bool>,
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

/// Op `validate_limit_application`: every field of a limit application form at once
/// (`spec/forms.md` lists each check with its code).
///
/// Each required field filled in (`application_field_required`): `buyerName`, `buyerCountry`,
/// `customerNumber`, `currency`, `requestedAmount`, `paymentTermsDays`, `date`, and the
/// address (`street`, `postcode`, `city`) when there is no registration number or any part of
/// the address is given; `state` with an address in a country of [`STATE_COUNTRIES`]
/// (`application_state_required`, BUY-5). `buyerCountry` a known code
/// (`application_country_unknown`). Once the name and country can be read, the buyer's
/// insurability as `check_insurability` finds it (BUY-2..5): a branch, a private person or a
/// public body (unless the policy covers public buyers) on `entityKind`, an affiliate on
/// `insuredHoldsMajority`, a country not agreed on `buyerCountry`, a buyer the policy excludes
/// on `buyerName`, all errors; a buyer identified by name or VAT number only on
/// `registrationNumber` and a missing legal form on `legalForm`, warnings. The amount, currency,
/// terms and date as LIM-2 checks them; on `requestedAmount` the LIM-5 fee and an amount above
/// the policy's maximum liability (CLM-5) are warnings. Each question of
/// `paymentExperience` answered (`application_answer_required`).
pub fn validate_limit_application(input: &ValidateLimitApplicationInput) -> Result<FormReport, Error> {
    let policy = input.policy.validate()?;
    let lang = Language::parse("lang", &input.lang)?;
    let findings = limit_application_findings(&policy, &input.application, lang)?;
    FormReport::from_findings(&findings, lang)
}

fn filled(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

fn limit_application_findings(
    policy: &Policy,
    app: &LimitApplicationFormDto,
    lang: Language,
) -> Result<Vec<Finding>, Error> {
    let mut c = Collector::default();

    let name = c.required_as(CODES.required, "buyerName", app.buyer_name.as_deref());
    let country = match c.required_as(CODES.required, "buyerCountry", app.buyer_country.as_deref()) {
        Some(code) => match Country::parse("buyerCountry", code) {
            Ok(country) => Some(country),
            Err(_) => {
                c.error(
                    ReasonCode::ApplicationCountryUnknown,
                    "buyerCountry",
                    [("country", shown(code))],
                );
                None
            }
        },
        None => None,
    };
    if let (Some(name), Some(country)) = (name, country) {
        insurability(&mut c, policy, app, name, country)?;
    }
    address(&mut c, app, country);
    c.required_as(CODES.required, "customerNumber", app.customer_number.as_deref());

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

    let amount = c.amount(
        &CODES,
        lang,
        "requestedAmount",
        app.requested_amount.as_deref(),
        policy.currency,
    );
    if let Some(amount) = amount.filter(|_| currency_ok) {
        if let Some(reason) = credit_check_fee_reason(policy, amount) {
            c.reason(Severity::Warning, "requestedAmount", reason);
        }
        // CLM-5: the indemnities of an insurance year never exceed the maximum liability.
        let maximum = policy.maximum_liability.rounded();
        if amount > maximum.amount {
            c.push(
                ReasonCode::RequestedAmountAboveMaximumLiability,
                Severity::Warning,
                "requestedAmount",
                [
                    ("amount", Param::amount(amount)),
                    ("maximumLiability", Param::amount(maximum.amount)),
                    ("currency", Param::from(policy.currency.code())),
                ],
            );
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

    payment_experience(&mut c, &app.payment_experience);
    Ok(c.0)
}

/// The buyer's insurability, from `check_insurability` (BUY-2..5) on the buyer as typed and an
/// open-account sale of goods (its terms are LIM-2's to check): each reason that concerns a
/// limit application, on the field it comes from.
fn insurability(
    c: &mut Collector,
    policy: &Policy,
    app: &LimitApplicationFormDto,
    name: &str,
    country: Country,
) -> Result<(), Error> {
    let buyer = BuyerDto {
        legal_name: name.to_owned(),
        legal_form: app.legal_form.clone(),
        registration_number: app.registration_number.clone(),
        vat_number: app.vat_number.clone(),
        country: country.code().to_owned(),
        entity_kind: app.entity_kind.unwrap_or(EntityKind::Company),
        insured_holds_majority: app.insured_holds_majority,
        excluded_by_name: false,
    };
    let receivable = ReceivableDto::buyer_only();
    for reason in check_insurability(policy, &buyer, &receivable)?.reasons {
        let (field, severity) = match reason.code {
            // BUY-2: a limit is applied for on the head office, not on a branch.
            ReasonCode::InsuredThroughHeadOffice | ReasonCode::NotACompany | ReasonCode::PublicBody => {
                ("entityKind", Severity::Error)
            }
            ReasonCode::Affiliate => ("insuredHoldsMajority", Severity::Error),
            ReasonCode::CountryNotAgreed => ("buyerCountry", Severity::Error),
            ReasonCode::BuyerExcludedByName => ("buyerName", Severity::Error),
            ReasonCode::IdentifiedByNameOnly | ReasonCode::IdentifiedByVatOnly => {
                ("registrationNumber", Severity::Warning)
            }
            ReasonCode::LegalFormMissing => ("legalForm", Severity::Warning),
            _ => continue,
        };
        c.reason(severity, field, reason);
    }
    Ok(())
}

/// The registered address (BUY-5): the fallback that identifies a buyer without a
/// registration number, and complete once any part of it is given.
fn address(c: &mut Collector, app: &LimitApplicationFormDto, country: Option<Country>) {
    let parts = [&app.street, &app.postcode, &app.city, &app.state];
    if filled(app.registration_number.as_deref()) && !parts.iter().any(|p| filled(p.as_deref())) {
        return;
    }
    c.required_as(CODES.required, "street", app.street.as_deref());
    c.required_as(CODES.required, "postcode", app.postcode.as_deref());
    c.required_as(CODES.required, "city", app.city.as_deref());
    if let Some(country) = country.filter(|c| STATE_COUNTRIES.contains(&c.code())) {
        if !filled(app.state.as_deref()) {
            c.push(
                ReasonCode::ApplicationStateRequired,
                Severity::Error,
                "state",
                [("country", Param::from(country.code()))],
            );
        }
    }
}

/// The questions on the buyer's payment behaviour and the insured's sales: each answered
/// (`application_answer_required`), `paysOnTime` only for a buyer already delivered to.
fn payment_experience(c: &mut Collector, answers: &PaymentExperienceFormDto) {
    let questions = [
        ("paysOnTime", answers.pays_on_time.or(answers.new_buyer.then_some(true))),
        ("seasonalPeaks", answers.seasonal_peaks),
        ("regularSales", answers.regular_sales),
    ];
    for (name, answer) in questions {
        if answer.is_none() {
            let field = format!("paymentExperience.{name}");
            c.push(ReasonCode::ApplicationAnswerRequired, Severity::Error, &field, []);
        }
    }
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

    /// A complete application: identified by its registration number, every question answered.
    fn complete() -> LimitApplicationFormDto {
        LimitApplicationFormDto {
            buyer_name: Some("Müller Maschinenbau GmbH".into()),
            legal_form: Some("GmbH".into()),
            registration_number: Some("HRB 12345".into()),
            buyer_country: Some("DE".into()),
            customer_number: Some("K-10042".into()),
            requested_amount: Some("50000".into()),
            currency: Some("EUR".into()),
            payment_terms_days: Some("90".into()),
            date: Some("2026-03-02".into()),
            payment_experience: PaymentExperienceFormDto {
                new_buyer: false,
                pays_on_time: Some(true),
                seasonal_peaks: Some(false),
                regular_sales: Some(false),
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_application_is_valid_without_any_message() {
        let report = run(complete(), "en");
        assert!(report.valid && report.fields.is_empty(), "{report:?}");
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
                "city",
                "currency",
                "customerNumber",
                "date",
                "paymentExperience.paysOnTime",
                "paymentExperience.regularSales",
                "paymentExperience.seasonalPeaks",
                "paymentTermsDays",
                "postcode",
                "requestedAmount",
                "street",
            ]
        );
        assert_eq!(report.fields["date"][0].message, "This field is required.");
    }

    #[test]
    fn terms_beyond_the_maximum_credit_period_are_an_error_on_the_terms_field_lim_2() {
        let report = run(
            LimitApplicationFormDto {
                payment_terms_days: Some("150".into()),
                ..complete()
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
    fn without_a_registration_number_the_address_identifies_the_buyer_buy_5() {
        let mut app = complete();
        app.registration_number = None;
        app.buyer_country = Some("US".into());
        app.street = Some("1 Main Street".into());
        let report = run(app, "en");
        let keys: Vec<_> = report.fields.keys().cloned().collect();
        // The US is not agreed here: insurability speaks too.
        assert_eq!(
            keys,
            ["buyerCountry", "city", "postcode", "registrationNumber", "state"]
        );
        assert_eq!(report.fields["registrationNumber"][0].severity, Severity::Warning);
        assert_eq!(
            report.fields["state"][0].message,
            "An address in US needs its state or province."
        );
    }

    #[test]
    fn a_new_buyer_is_not_asked_whether_it_pays_on_time() {
        let mut app = complete();
        app.payment_experience = PaymentExperienceFormDto {
            new_buyer: true,
            pays_on_time: None,
            seasonal_peaks: Some(true),
            regular_sales: Some(false),
        };
        let report = run(app, "da");
        assert!(report.valid && report.fields.is_empty(), "{report:?}");
    }

    #[test]
    fn the_state_countries_are_sorted_known_codes() {
        assert!(STATE_COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        for code in STATE_COUNTRIES {
            assert_eq!(Country::parse("c", code).unwrap().code(), code);
        }
    }
}
