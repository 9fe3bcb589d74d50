//! Form validators: the checks a web form runs as the user types and on submit, answering
//! `{valid, fields: {path: [{code, severity, message}]}}` in the chosen language.
//!
//! A form validator never throws for what a user can type: empty fields, text where a number
//! is expected, unknown codes all come back as field messages. Only what a form cannot cause
//! (an invalid policy, an unknown language, an unknown key) is an [`Error`].
//!
//! - Op `validate_limit_application` (LIM-2, LIM-5, BUY-4, BUY-5): the limit application
//!   form, its values as typed (strings), with the same LIM-2 and LIM-5 rules as
//!   `check_limit_application` ([`limit`]).
//! - Op `validate_turnover_declaration_form` (PRM-3..5): the findings of
//!   `validate_turnover_declaration` in the form shape; a malformed figure or code becomes a
//!   field message too.
//!
//! - Op `validate_claim_file_form` (CLM-3) and op `validate_collection_file_form` (COL-2): the
//!   checklists of `check_claim_file` and `check_collection_file` as form reports ([`files`]).
//! - Op `validate_overdue_report_form` (OVD-1, OVD-5): the overdue report, alone or for
//!   several overdues together ([`overdue`]).
//!
//! Any op whose decision carries field-keyed findings ([`Details::Findings`]) gets the form
//! shape through [`FormReport::from_decision`]; a validator that checks fields itself builds
//! [`Finding`]s and calls [`FormReport::from_findings`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{parse_date, MAX_PERIOD_DAYS};
use crate::decision::{Decision, Details, Param, Reason, ReasonCode};
use crate::declaration::{validate_turnover_declaration, Finding, Severity, ValidateTurnoverDeclarationInput};
use crate::error::Error;
use crate::ffi::{parse, Source};
use crate::i18n::{self, Language};
use crate::money::{parse_decimal, typed_figures_in, Currency};

pub mod files;
pub mod limit;
pub mod overdue;

pub use files::{
    validate_claim_file_form, validate_collection_file_form, ClaimFileFormDto, CollectionFileFormDto, PeriodFormDto,
    RequestedDocumentFormDto, ValidateClaimFileFormInput, ValidateCollectionFileFormInput,
};
pub use limit::{
    validate_limit_application, LimitApplicationFormDto, PaymentExperienceFormDto, ValidateLimitApplicationInput,
};
pub use overdue::{validate_overdue_report_form, OverdueReportFormDto, ValidateOverdueReportFormInput};

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

    /// A whole number of days, `0..=3650` (required): `codes.terms_invalid` when it is not one.
    fn days(&mut self, codes: &Codes, field: &str, value: Option<&str>) -> Option<u32> {
        let text = self.required_as(codes.required, field, value)?;
        let days = text
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_PERIOD_DAYS && text.bytes().all(|b| b.is_ascii_digit()));
        if days.is_none() {
            self.error(
                codes.terms_invalid,
                field,
                [("value", shown(text)), ("maxDays", Param::from(MAX_PERIOD_DAYS))],
            );
        }
        days
    }

    /// A date `YYYY-MM-DD` (required): `codes.date_invalid` when it is not one.
    fn date(&mut self, codes: &Codes, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        let text = self.required_as(codes.required, field, value)?;
        let date = parse_date(field, text).ok();
        if date.is_none() {
            self.error(codes.date_invalid, field, [("value", shown(text))]);
        }
        date
    }

    /// An amount in `currency` (required): a decimal as a user of `lang` types it
    /// ([`typed_decimal`]; `codes.amount_invalid`), more than zero (`codes.amount_not_positive`),
    /// with at most the currency's decimals (`codes.amount_too_precise`).
    fn amount(
        &mut self,
        codes: &Codes,
        lang: Language,
        field: &str,
        value: Option<&str>,
        currency: Currency,
    ) -> Option<Decimal> {
        let text = self.required_as(codes.required, field, value)?;
        match typed_amount(lang, field, text) {
            Err(_) => self.error(codes.amount_invalid, field, [("value", shown(text))]),
            Ok(amount) if amount <= Decimal::ZERO => {
                self.error(codes.amount_not_positive, field, [("amount", Param::amount(amount))])
            }
            Ok(amount) if amount.normalize().scale() > currency.minor_units() => self.error(
                codes.amount_too_precise,
                field,
                [
                    ("amount", Param::amount(amount)),
                    ("currency", Param::from(currency.code())),
                    ("decimals", Param::from(currency.minor_units())),
                ],
            ),
            Ok(amount) => return Some(amount),
        }
        None
    }
}

/// The codes a form reports its typed values with. Each form has its own, so that a program
/// reading a report knows which form a code belongs to.
struct Codes {
    required: ReasonCode,
    amount_invalid: ReasonCode,
    amount_not_positive: ReasonCode,
    amount_too_precise: ReasonCode,
    terms_invalid: ReasonCode,
    date_invalid: ReasonCode,
}

/// An amount as a user of `lang` types it (spec/forms.md, "Numbers as users type them"): the
/// one reader of every amount a form takes from its user (the limit application's, the overdue
/// report's and the turnover declaration's). Blanks around it are ignored; anything
/// [`typed_decimal`] does not read is `invalid_amount` at `field`, and a figure of more than 28
/// significant digits `out_of_range`.
pub fn typed_amount(lang: Language, field: &str, text: &str) -> Result<Decimal, Error> {
    let text = text.trim();
    match typed_decimal(lang, text) {
        Some(d) => parse_decimal(field, &d),
        None => parse_decimal(field, text),
    }
}

/// A number as a user of `lang` types it, in the form every op reads (`-1234.5`), or `None`
/// when it is not one (spec/forms.md, "Numbers as users type them"):
/// - the decimal separator is the language's: `.` in English, `,` in German, French, Dutch and
///   Danish; where it is `,`, a `.` is read as a decimal point only when it cannot be a
///   thousands separator (`12.5`, `1234.56`: the way every op writes numbers), so `50.000` is
///   fifty thousand;
/// - thousands are grouped by one separator throughout, in groups of three after the first
///   group of one to three digits: `,` (English) or `.` (the other languages), a space (also
///   no-break or narrow no-break, as French writes it) or an apostrophe (`'` or `’`, as Swiss
///   German writes it), in any language; a grouped number does not start with `0` (`0.500`
///   is a half in German, not five hundred, and `0,500` in English is not a number);
/// - a leading `-` is kept (the form then says the amount must be more than zero); nothing else
///   (no currency, no sign after the number, no second decimal separator).
pub fn typed_decimal(lang: Language, text: &str) -> Option<String> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let comma_decimal = lang != Language::En;
    let group_seps: &[char] = if comma_decimal {
        &['.', ' ', '\u{a0}', '\u{202f}', '\'', '’']
    } else {
        &[',', ' ', '\u{a0}', '\u{202f}', '\'', '’']
    };
    let decimal_sep = if comma_decimal { ',' } else { '.' };
    let (int_part, frac) = match body.split_once(decimal_sep) {
        Some((_, f)) if f.contains(decimal_sep) => return None,
        Some((i, f)) => (i, Some(f)),
        // `12.5` where `,` is the decimal separator: a point that cannot group thousands.
        None if comma_decimal && body.matches('.').count() == 1 && grouped_digits(body, group_seps).is_none() => {
            body.split_once('.').map(|(i, f)| (i, Some(f)))?
        }
        None => (body, None),
    };
    let int_digits = grouped_digits(int_part, group_seps)?;
    match frac {
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => None,
        Some(f) => Some(format!("{sign}{int_digits}.{f}")),
        None => Some(format!("{sign}{int_digits}")),
    }
}

/// The digits of `text`: plain digits, or digits grouped by one of `seps` (the same one
/// throughout) in groups of three after a first group of one to three.
fn grouped_digits(text: &str, seps: &[char]) -> Option<String> {
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match text.chars().find(|c| seps.contains(c)) {
        None => is_digits(text).then(|| text.to_owned()),
        Some(sep) => {
            let mut groups = text.split(sep);
            let first = groups.next()?;
            if !is_digits(first) || first.len() > 3 || first.starts_with('0') {
                return None;
            }
            let mut digits = first.to_owned();
            for group in groups {
                if group.len() != 3 || !is_digits(group) {
                    return None;
                }
                digits.push_str(group);
            }
            Some(digits)
        }
    }
}

fn shown(value: &str) -> Param {
    Param::Text(value.chars().take(40).collect())
}

/// Op `validate_turnover_declaration_form`: the findings of `validate_turnover_declaration`
/// (PRM-3..5) as a form report, keyed by paths inside the declaration. The input is that op's
/// input, and `lang` is required; the declaration's figures are read as a user of `lang` types
/// them ([`typed_amount`]: `50.000,00` in German), its `context.previousDeclaration` (last
/// year's figures, from the insurer's records) and the policy as every op reads decimals. A
/// figure that is not an amount (`declaration_amount_invalid`), an unknown country or currency
/// code (`declaration_code_unknown`) or a declaration without any line (`declaration_empty`)
/// is a field error, reported alone as the declaration cannot be read further.
pub fn validate_turnover_declaration_form<I: Source>(input: I) -> Result<FormReport, Error> {
    // The language first: the figures are read in it. A missing or unknown `lang` is the
    // error, whatever else is wrong.
    let lang = lang_of(input.clone())?;
    let parsed: Result<ValidateTurnoverDeclarationInput, Error> = typed_figures_in(lang, || parse(input));
    match parsed.and_then(|typed| validate_turnover_declaration(&typed)) {
        Ok(decision) => FormReport::from_decision(&decision, lang),
        Err(e) => match declaration_field_error(&e) {
            Some(f) => FormReport::from_findings(&[f], lang),
            None => Err(e),
        },
    }
}

/// The `lang` of an input, read alone.
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

    #[test]
    fn numbers_are_read_as_a_user_of_the_language_types_them() {
        use Language::*;
        let cases: &[(Language, &str, Option<&str>)] = &[
            (De, "12,5", Some("12.5")),
            (De, "50.000,00", Some("50000.00")),
            (De, "50.000", Some("50000")),
            (De, "1.234.567,89", Some("1234567.89")),
            (De, "12.5", Some("12.5")),
            (De, "1234.56", Some("1234.56")),
            (De, "50'000.50", Some("50000.50")),
            (De, "50’000", Some("50000")),
            (Fr, "50\u{202f}000,00", Some("50000.00")),
            (Fr, "50\u{a0}000,5", Some("50000.5")),
            (Fr, "50 000", Some("50000")),
            (Nl, "50.000,00", Some("50000.00")),
            (Da, "1.500,75", Some("1500.75")),
            (En, "50,000.00", Some("50000.00")),
            (En, "12.5", Some("12.5")),
            (En, "-1,000", Some("-1000")),
            (De, "1'000.50", Some("1000.50")),
            (De, "1'000,50", Some("1000.50")),
            (Fr, "1’000,50", Some("1000.50")),
            (En, "1'000.50", Some("1000.50")),
            (De, "1 000.50", Some("1000.50")),
            (De, "1,000", Some("1.000")),
            (En, "1.000", Some("1.000")),
            // A grouped number does not start with 0: `0.500` is a half.
            (De, "0.500", Some("0.500")),
            (Da, "0,500", Some("0.500")),
            // Not numbers: the form says so.
            (En, "12,5", None),
            (De, "12,5,0", None),
            (De, "1.00.000", None),
            (De, "50.000 000", None),
            (De, "1.2.3", None),
            (De, "12,", None),
            (De, ",5", None),
            (Fr, "EUR 12", None),
            (Da, "", None),
            (En, "0,500", None),
            (De, "0.500,00", None),
            (De, "1,000.50", None),
            (En, "1.000,50", None),
            (En, "+5", None),
            (En, "1e5", None),
        ];
        for (lang, text, want) in cases {
            assert_eq!(typed_decimal(*lang, text).as_deref(), *want, "{lang:?} {text:?}");
        }
    }

    #[test]
    fn a_typed_amount_ignores_blanks_around_it_and_names_its_field() {
        assert_eq!(
            typed_amount(Language::De, "f", " 12,50 ").unwrap(),
            Decimal::new(1250, 2)
        );
        let e = typed_amount(Language::En, "f", "12,5").unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_amount", "f"));
    }

    /// PRM-3: only the form reads figures as typed, and only the declaration's; the op, before
    /// and after a form on the same thread, and the policy and last year's figures in the
    /// form's input, read decimals as every op does.
    #[test]
    fn only_the_forms_declaration_is_read_as_typed_prm_3() {
        let input = r#"{"policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
            "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
            "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "2.000", "currency": "EUR"},
            "premium": {"basis": "turnover", "rate": "0.20",
                        "expectedTurnover": {"amount": "1000000", "currency": "EUR"}},
            "declarationDeadlineDays": 30},
            "declaration": {"currency": "EUR", "sections": [{"lines": [{"country": "DE", "amount": "6.000"}]}]},
            "context": {"previousDeclaration": {"currency": "EUR",
                        "sections": [{"lines": [{"country": "DE", "amount": "6.000"}]}]}},
            "lang": "de"}"#;
        let read = |typed: bool| {
            let run = || parse::<ValidateTurnoverDeclarationInput, _>(input).unwrap();
            let i = if typed {
                typed_figures_in(Language::De, run)
            } else {
                run()
            };
            let previous = i.context.unwrap().previous_declaration.unwrap();
            (
                i.declaration.sections[0].lines[0].amount.0,
                previous.sections[0].lines[0].amount.0,
                i.policy.maximum_liability.unwrap().amount.0,
            )
        };
        let (six, six_thousand, two) = (Decimal::new(6000, 3), Decimal::from(6000), Decimal::new(2000, 3));
        assert_eq!(read(false), (six, six, two));
        assert_eq!(read(true), (six_thousand, six, two));
        assert_eq!(read(false).0, six);
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
