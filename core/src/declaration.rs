//! The yearly turnover declaration and its validator (PRM-3, PRM-4, PRM-5): the checks a web
//! form runs before the declaration is sent.
//!
//! A well-formed declaration is never refused: what is wrong in it comes back as findings, each
//! with a reason code, a severity, the field path inside the declaration
//! (`sections[1].lines[3].amount`), the rule and its parameters, and, when a language is asked
//! for, the rendered message. Malformed input (an unknown currency or country code, an empty
//! declaration, an invalid policy) is an [`Error`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::i18n::{self, Language};
use crate::money::{Currency, DecimalString, Money, MoneyDto};
use crate::policy::{Policy, PolicyDto, Premium};

/// A declared figure this many times last year's (or the expected) figure, or at most its
/// reciprocal, is reported as a likely extra or missing zero (PRM-5). A slipped zero gives a
/// factor of 10; a real change of 8× within a year is rare enough to be worth a question.
pub const ZERO_SLIP_FACTOR: u32 = 8;

/// How serious a finding is.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The declaration breaks a rule as it stands: correct it before sending.
    Error,
    /// The declaration looks like a common mistake: check it.
    Warning,
    /// Something the insured may do either way (PRM-4: sales the insured may leave out): for
    /// information; the declaration is valid with it.
    Notice,
}

/// One finding of the declaration validator.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Finding {
    /// Stable code (a reason code: `explain` renders it).
    pub code: ReasonCode,
    /// Error, warning or notice.
    pub severity: Severity,
    /// Field path inside the declaration, e.g. `sections[1].lines[3].amount`.
    pub field: String,
    /// Rule ID (spec/rules.md).
    pub rule: String,
    /// The figures and names used.
    pub params: BTreeMap<String, Param>,
    /// The rendered message, when the input asked for a language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Sales of a declaration line that must not, or need not, be in the insured turnover (PRM-4):
/// how much of the line's amount each category is, as far as the insured knows.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncludedSalesDto {
    /// Sales not on credit (cash before or on delivery).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cash_sales: Option<DecimalString>,
    /// Sales to affiliates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliates: Option<DecimalString>,
    /// Sales to public buyers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_buyers: Option<DecimalString>,
    /// Sales secured by a letter of credit (PRM-4: the insured may leave them out, or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_of_credit: Option<DecimalString>,
    /// Sales to buyers after their cover was refused or withdrawn (PRM-4: the insured may leave
    /// them out, or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_refusal_or_withdrawal: Option<DecimalString>,
}

/// One line of a declaration section: the insured turnover of one country.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeclarationLineDto {
    /// Buyer country, ISO 3166-1 alpha-2.
    pub country: String,
    /// Insured turnover declared, in the declaration's currency.
    pub amount: DecimalString,
    /// The insured's total turnover with that country, when the form asks for it (PRM-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_turnover: Option<DecimalString>,
    /// Credit notes deducted from the amount, if any (PRM-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_notes_deducted: Option<DecimalString>,
    /// Discounts deducted from the amount, if any (PRM-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounts_deducted: Option<DecimalString>,
    /// Whether the amount includes VAT (PRM-3).
    #[serde(default)]
    pub vat_included: bool,
    /// Sales included in the amount that must, or may, be left out (PRM-4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<IncludedSalesDto>,
}

/// One section of a declaration: the insured or one co-insured company.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeclarationSectionDto {
    /// The company the section is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Per-country lines.
    pub lines: Vec<DeclarationLineDto>,
}

/// A yearly turnover declaration (PRM-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeclarationDto {
    /// The currency of the amounts (ISO 4217); the form's currency is the policy currency.
    pub currency: String,
    /// Sections, the insured's first.
    pub sections: Vec<DeclarationSectionDto>,
}

/// What the validator may compare with.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeclarationContextDto {
    /// Last year's declaration: lines are compared by section position and country (PRM-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_declaration: Option<DeclarationDto>,
    /// The form asks for the total turnover on every line (the Danish form does): a line
    /// without `totalTurnover` is an error (PRM-5, the total turnover forgotten). Without it, a
    /// line without a total is a warning only when another line of the declaration has one.
    #[serde(default)]
    pub total_turnover_required: bool,
}

/// Input of op `validate_turnover_declaration` (PRM-3..5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateTurnoverDeclarationInput {
    /// Policy terms; the premium basis must be `turnover`.
    pub policy: PolicyDto,
    /// The declaration to check. Its figures are decimals (`125000.00`), and as its user types
    /// them in `lang` (`125.000,00` in German) when `validate_turnover_declaration_form` reads it.
    #[serde(deserialize_with = "crate::money::typed_figures")]
    pub declaration: DeclarationDto,
    /// Figures to compare with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<DeclarationContextDto>,
    /// `en`, `de`, `fr`, `nl` or `da`: each finding then carries its rendered message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
}

/// A parsed declaration: countries validated, amounts as decimals.
struct Parsed {
    currency: Currency,
    sections: Vec<Vec<(Country, Decimal)>>,
}

fn parse_declaration(dto: &DeclarationDto, field: &str) -> Result<Parsed, Error> {
    let currency = Currency::parse(&format!("{field}.currency"), &dto.currency)?;
    let mut sections = Vec::with_capacity(dto.sections.len());
    for (s, section) in dto.sections.iter().enumerate() {
        let mut lines = Vec::with_capacity(section.lines.len());
        for (l, line) in section.lines.iter().enumerate() {
            let country = Country::parse(&format!("{field}.sections[{s}].lines[{l}].country"), &line.country)?;
            lines.push((country, line.amount.0));
        }
        sections.push(lines);
    }
    if sections.iter().all(Vec::is_empty) {
        return Err(Error::EmptyValue {
            field: format!("{field}.sections"),
        });
    }
    Ok(Parsed { currency, sections })
}

/// A sum of amounts, refusing overflow.
fn sum<'a>(mut amounts: impl Iterator<Item = &'a Decimal>, field: &str) -> Result<Decimal, Error> {
    amounts.try_fold(Decimal::ZERO, |acc, x| {
        acc.checked_add(*x).ok_or_else(|| Error::Overflow {
            field: field.to_owned(),
        })
    })
}

/// Collects findings in reading order.
struct Findings {
    list: Vec<Finding>,
    lang: Option<Language>,
}

impl Findings {
    fn push<const N: usize>(
        &mut self,
        code: ReasonCode,
        severity: Severity,
        field: String,
        params: [(&str, Param); N],
    ) -> Result<(), Error> {
        let reason = Reason::new(code, params);
        let message = match self.lang {
            Some(lang) => Some(i18n::render(
                lang,
                code.as_str(),
                &reason.params,
                code.decimal_params(),
                &field,
            )?),
            None => None,
        };
        self.list.push(Finding {
            code,
            severity,
            field,
            rule: reason.rule,
            params: reason.params,
            message,
        });
        Ok(())
    }
}

fn dec(d: Decimal) -> Param {
    Param::amount(d)
}

/// Whether `amount` is about ten times `reference` (or more): `Some(true)`; about a tenth (or
/// less): `Some(false)`; neither, or nothing to compare: `None` (PRM-5).
fn zero_slip(amount: Decimal, reference: Decimal) -> Option<bool> {
    if amount <= Decimal::ZERO || reference <= Decimal::ZERO {
        return None;
    }
    let factor = Decimal::from(ZERO_SLIP_FACTOR);
    if amount >= reference.checked_mul(factor)? {
        Some(true)
    } else if amount.checked_mul(factor)? <= reference {
        Some(false)
    } else {
        None
    }
}

/// Validates a turnover declaration against the policy (PRM-3, PRM-4, PRM-5).
///
/// - PRM-3: the declaration is in the policy currency; every line's country is in the policy,
///   once per section; every policy country is declared (zero when there were no sales); no
///   negative amounts; not reduced by credit notes or discounts; no VAT unless the policy
///   insures it.
/// - PRM-4: no cash sales, affiliates, or public buyers (unless the policy covers them). Sales
///   under a letter of credit and sales to a buyer after its cover was refused or withdrawn
///   *may* be left out (DK "kan udelade"): included, they are a notice, not an error.
/// - PRM-5: total turnover declared instead of insured turnover (the line equals, or is less
///   than, the total given with it); the total turnover forgotten (left empty); a missing or
///   extra zero against last year's line or the policy's expected turnover
///   ([`ZERO_SLIP_FACTOR`]); a later section identical to an earlier one; an empty section.
///
/// Outcome: `declaration_has_errors`, `declaration_has_warnings` or `declaration_valid` (with
/// notices at most);
/// `amounts.declaredTurnover` is the sum of all lines; `details.findings` the findings, which
/// are also the decision's reasons, in the same order.
pub fn validate_turnover_declaration(input: &ValidateTurnoverDeclarationInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let Premium::Turnover { expected_turnover, .. } = policy.premium else {
        return Err(Error::InconsistentTerms {
            field: "policy.premium.basis".into(),
            detail: "a turnover declaration needs the premium basis turnover".into(),
        });
    };
    let lang = input.lang.as_deref().map(|l| Language::parse("lang", l)).transpose()?;
    let decl = &input.declaration;
    let parsed = parse_declaration(decl, "declaration")?;
    let previous = match input.context.as_ref().and_then(|c| c.previous_declaration.as_ref()) {
        Some(p) => {
            let prev = parse_declaration(p, "context.previousDeclaration")?;
            if prev.currency != parsed.currency {
                return Err(Error::CurrencyMismatch {
                    field: "context.previousDeclaration.currency".into(),
                    expected: parsed.currency.code().to_owned(),
                    found: prev.currency.code().to_owned(),
                });
            }
            Some(prev)
        }
        None => None,
    };
    let mut f = Findings { list: Vec::new(), lang };
    // PRM-5: is a line without its total turnover a forgotten total, and how serious is it?
    let total_asked = if input.context.as_ref().is_some_and(|c| c.total_turnover_required) {
        Some(Severity::Error)
    } else if decl
        .sections
        .iter()
        .flat_map(|s| &s.lines)
        .any(|l| l.total_turnover.is_some())
    {
        Some(Severity::Warning)
    } else {
        None
    };

    if parsed.currency != policy.currency {
        f.push(
            ReasonCode::DeclarationCurrencyWrong,
            Severity::Error,
            "currency".into(),
            [
                ("currency", Param::from(parsed.currency.code())),
                ("expected", Param::from(policy.currency.code())),
            ],
        )?;
    }

    for (s, (section, lines)) in decl.sections.iter().zip(&parsed.sections).enumerate() {
        check_section(&mut f, &parsed, s, lines)?;
        for (l, (line, (country, amount))) in section.lines.iter().zip(lines).enumerate() {
            let field = format!("sections[{s}].lines[{l}]");
            let country_param = || Param::from(country.code());
            if !policy.agreed_countries.contains(country) {
                f.push(
                    ReasonCode::CountryNotInPolicy,
                    Severity::Error,
                    format!("{field}.country"),
                    [("country", country_param())],
                )?;
            }
            if lines.iter().take(l).any(|(c, _)| c == country) {
                f.push(
                    ReasonCode::CountryDeclaredTwice,
                    Severity::Error,
                    format!("{field}.country"),
                    [("country", country_param()), ("section", Param::Int(s as i64 + 1))],
                )?;
            }
            if *amount < Decimal::ZERO {
                f.push(
                    ReasonCode::NegativeTurnover,
                    Severity::Error,
                    format!("{field}.amount"),
                    [("country", country_param()), ("amount", dec(*amount))],
                )?;
            }
            check_line(&mut f, &policy, line, &field, country, total_asked)?;
            if let Some(prev) = previous
                .as_ref()
                .and_then(|p| p.sections.get(s))
                .map(|lines| lines.iter().filter(|(c, _)| c == country).map(|(_, a)| a))
            {
                let reference = sum(prev, "context.previousDeclaration")?;
                let code = match zero_slip(*amount, reference) {
                    Some(true) => Some(ReasonCode::ExtraZeroVsPreviousYear),
                    Some(false) => Some(ReasonCode::MissingZeroVsPreviousYear),
                    None => None,
                };
                if let Some(code) = code {
                    f.push(
                        code,
                        Severity::Warning,
                        format!("{field}.amount"),
                        [
                            ("country", country_param()),
                            ("amount", dec(*amount)),
                            ("previous", dec(reference)),
                        ],
                    )?;
                }
            }
        }
    }

    for country in &policy.agreed_countries {
        if !parsed.sections.iter().flatten().any(|(c, _)| c == country) {
            f.push(
                ReasonCode::CountryMissing,
                Severity::Error,
                "sections".into(),
                [("country", Param::from(country.code()))],
            )?;
        }
    }

    let total = sum(parsed.sections.iter().flatten().map(|(_, a)| a), "declaration.sections")?;
    if parsed.currency == policy.currency {
        let code = match zero_slip(total, expected_turnover.amount) {
            Some(true) => Some(ReasonCode::ExtraZeroVsExpected),
            Some(false) => Some(ReasonCode::MissingZeroVsExpected),
            None => None,
        };
        if let Some(code) = code {
            f.push(
                code,
                Severity::Warning,
                "sections".into(),
                [("total", dec(total)), ("expected", dec(expected_turnover.amount))],
            )?;
        }
    }

    let outcome = if f.list.iter().any(|x| x.severity == Severity::Error) {
        Outcome::DeclarationHasErrors
    } else if f.list.iter().any(|x| x.severity == Severity::Warning) {
        Outcome::DeclarationHasWarnings
    } else {
        Outcome::DeclarationValid
    };
    let reasons = f
        .list
        .iter()
        .map(|x| Reason {
            code: x.code,
            rule: x.rule.clone(),
            params: x.params.clone(),
        })
        .collect();
    Ok(Decision {
        outcome,
        amounts: [(
            "declaredTurnover".to_owned(),
            MoneyDto::from(Money::new(total, parsed.currency)),
        )]
        .into(),
        reasons,
        details: Some(Details::Findings { findings: f.list }),
    })
}

/// PRM-5 on one section: empty (no line: error; only zero lines: warning), or the same lines
/// as an earlier section (same countries and amounts, in any order).
fn check_section(f: &mut Findings, parsed: &Parsed, s: usize, lines: &[(Country, Decimal)]) -> Result<(), Error> {
    let number = Param::Int(s as i64 + 1);
    if lines.is_empty() {
        return f.push(
            ReasonCode::SectionEmpty,
            Severity::Error,
            format!("sections[{s}].lines"),
            [("section", number)],
        );
    }
    if lines.iter().all(|(_, a)| a.is_zero()) {
        return f.push(
            ReasonCode::SectionEmpty,
            Severity::Warning,
            format!("sections[{s}].lines"),
            [("section", number)],
        );
    }
    let key = |lines: &[(Country, Decimal)]| {
        let mut k: Vec<(Country, Decimal)> = lines.iter().map(|(c, a)| (*c, a.normalize())).collect();
        k.sort();
        k
    };
    let mine = key(lines);
    if let Some(j) = parsed.sections.iter().take(s).position(|other| key(other) == mine) {
        f.push(
            ReasonCode::SectionCopied,
            Severity::Error,
            format!("sections[{s}]"),
            [("section", number), ("copyOf", Param::Int(j as i64 + 1))],
        )?;
    }
    Ok(())
}

/// PRM-3 deductions and VAT, PRM-4 excluded sales, PRM-5 total turnover, on one line.
/// `total_asked`: the severity of a line without its total turnover, if that is a finding.
fn check_line(
    f: &mut Findings,
    policy: &Policy,
    line: &DeclarationLineDto,
    field: &str,
    country: &Country,
    total_asked: Option<Severity>,
) -> Result<(), Error> {
    let country_param = || Param::from(country.code());
    let positive = |v: &Option<DecimalString>, name: &str| -> Result<Option<Decimal>, Error> {
        match v {
            Some(d) if d.0 < Decimal::ZERO => Err(Error::NegativeAmount {
                field: format!("declaration.{field}.{name}"),
                value: d.to_string(),
            }),
            Some(d) if d.0 > Decimal::ZERO => Ok(Some(d.0)),
            _ => Ok(None),
        }
    };
    for (value, name, code) in [
        (
            &line.credit_notes_deducted,
            "creditNotesDeducted",
            ReasonCode::ReducedByCreditNotes,
        ),
        (
            &line.discounts_deducted,
            "discountsDeducted",
            ReasonCode::ReducedByDiscounts,
        ),
    ] {
        if let Some(d) = positive(value, name)? {
            f.push(
                code,
                Severity::Error,
                format!("{field}.{name}"),
                [("country", country_param()), ("deducted", dec(d))],
            )?;
        }
    }
    if line.vat_included && !policy.vat_insured {
        f.push(
            ReasonCode::VatIncluded,
            Severity::Error,
            format!("{field}.vatIncluded"),
            [("country", country_param())],
        )?;
    }
    if let Some(inc) = &line.includes {
        // The severity of each category included, if it is a finding: the excluded sales
        // are errors; those the insured may leave out (DK "kan udelade") are notices.
        let public = (!policy.public_buyers_covered).then_some(Severity::Error);
        let categories = [
            (
                &inc.cash_sales,
                "cashSales",
                ReasonCode::CashSalesDeclared,
                Some(Severity::Error),
            ),
            (
                &inc.affiliates,
                "affiliates",
                ReasonCode::AffiliateSalesDeclared,
                Some(Severity::Error),
            ),
            (
                &inc.public_buyers,
                "publicBuyers",
                ReasonCode::PublicBuyerSalesDeclared,
                public,
            ),
            (
                &inc.letter_of_credit,
                "letterOfCredit",
                ReasonCode::LetterOfCreditSalesDeclared,
                Some(Severity::Notice),
            ),
            (
                &inc.after_refusal_or_withdrawal,
                "afterRefusalOrWithdrawal",
                ReasonCode::SalesAfterRefusalDeclared,
                Some(Severity::Notice),
            ),
        ];
        for (value, name, code, severity) in categories {
            let inc_field = format!("includes.{name}");
            if let (Some(d), Some(severity)) = (positive(value, &inc_field)?, severity) {
                f.push(
                    code,
                    severity,
                    format!("{field}.{inc_field}"),
                    [("country", country_param()), ("amount", dec(d))],
                )?;
            }
        }
    }
    positive(&line.total_turnover, "totalTurnover")?;
    if let (None, Some(severity)) = (line.total_turnover, total_asked) {
        f.push(
            ReasonCode::TotalTurnoverMissing,
            severity,
            format!("{field}.totalTurnover"),
            [("country", country_param())],
        )?;
    }
    if let Some(total) = line.total_turnover.map(|t| t.0) {
        let amount = line.amount.0;
        if amount > total {
            f.push(
                ReasonCode::InsuredExceedsTotal,
                Severity::Error,
                format!("{field}.amount"),
                [
                    ("country", country_param()),
                    ("amount", dec(amount)),
                    ("totalTurnover", dec(total)),
                ],
            )?;
        } else if amount == total && !amount.is_zero() {
            f.push(
                ReasonCode::TotalTurnoverDeclared,
                Severity::Warning,
                format!("{field}.amount"),
                [("country", country_param()), ("amount", dec(amount))],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn input(declaration: serde_json::Value, extra: serde_json::Value) -> ValidateTurnoverDeclarationInput {
        let mut v = serde_json::json!({
            "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
                "agreedCountries": ["DE", "FR"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
                "waitingPeriodDays": 180, "indemnityPercentage": "90",
                "maximumLiability": {"amount": "2000000", "currency": "EUR"},
                "premium": {"basis": "turnover", "rate": "0.20",
                    "expectedTurnover": {"amount": "1000000", "currency": "EUR"}},
                "declarationDeadlineDays": 30},
            "declaration": declaration
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    fn findings(d: &Decision) -> Vec<(ReasonCode, Severity, String)> {
        let Some(Details::Findings { findings }) = &d.details else {
            unreachable!()
        };
        findings.iter().map(|f| (f.code, f.severity, f.field.clone())).collect()
    }

    fn lines(l: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"currency": "EUR", "sections": [{"lines": l}]})
    }

    #[test]
    fn country_outside_policy_is_an_error_on_its_country_field_prm_3() {
        let d = validate_turnover_declaration(&input(
            lines(
                serde_json::json!([{"country": "DE", "amount": "600000"}, {"country": "FR", "amount": "300000"},
                {"country": "US", "amount": "100000"}]),
            ),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationHasErrors);
        assert_eq!(
            findings(&d),
            vec![(
                ReasonCode::CountryNotInPolicy,
                Severity::Error,
                "sections[0].lines[2].country".into()
            )]
        );
    }

    #[test]
    fn missing_policy_country_is_reported_once_for_the_declaration_prm_3() {
        let d = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "DE", "amount": "1000000"}])),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(
            findings(&d),
            vec![(ReasonCode::CountryMissing, Severity::Error, "sections".into())]
        );
    }

    #[test]
    fn finding_carries_its_message_in_the_asked_language_prm_3() {
        let d = validate_turnover_declaration(&input(
            lines(
                serde_json::json!([{"country": "DE", "amount": "1000000", "vatIncluded": true},
                {"country": "FR", "amount": "0"}]),
            ),
            serde_json::json!({"lang": "da"}),
        ))
        .unwrap();
        let Some(Details::Findings { findings }) = &d.details else {
            unreachable!()
        };
        assert_eq!(
            findings[0].message.as_deref(),
            Some("Omsætningen for DE indeholder moms, som policen ikke dækker: oplys den uden moms.")
        );
        // The reasons mirror the findings, so explain renders the same text.
        let e = d.explain(Language::Da).unwrap();
        assert_eq!(e.messages[0].text, findings[0].message.clone().unwrap());
    }

    #[test]
    fn affiliate_and_letter_of_credit_sales_are_errors_prm_4() {
        let d = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "DE", "amount": "700000",
                "includes": {"affiliates": "5000", "letterOfCredit": "0"}}, {"country": "FR", "amount": "300000"}])),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(
            findings(&d),
            vec![(
                ReasonCode::AffiliateSalesDeclared,
                Severity::Error,
                "sections[0].lines[0].includes.affiliates".into()
            )]
        );
    }

    #[test]
    fn tenfold_jump_against_last_year_is_a_warning_not_an_error_prm_5() {
        let prev =
            lines(serde_json::json!([{"country": "DE", "amount": "70000"}, {"country": "FR", "amount": "300000"}]));
        let d = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "DE", "amount": "700000"}, {"country": "FR", "amount": "300000"}])),
            serde_json::json!({"context": {"previousDeclaration": prev}}),
        ))
        .unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationHasWarnings);
        assert_eq!(
            findings(&d),
            vec![(
                ReasonCode::ExtraZeroVsPreviousYear,
                Severity::Warning,
                "sections[0].lines[0].amount".into()
            )]
        );
    }

    #[test]
    fn zero_slip_thresholds_are_eight_times_and_an_eighth_prm_5() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(zero_slip(d("800"), d("100")), Some(true));
        assert_eq!(zero_slip(d("799.99"), d("100")), None);
        assert_eq!(zero_slip(d("12.5"), d("100")), Some(false));
        assert_eq!(zero_slip(d("12.51"), d("100")), None);
        assert_eq!(zero_slip(d("0"), d("100")), None);
    }

    #[test]
    fn insured_turnover_above_a_zero_total_is_an_error_prm_5() {
        let d = validate_turnover_declaration(&input(
            lines(
                serde_json::json!([{"country": "DE", "amount": "1000000", "totalTurnover": "1500000"},
                {"country": "FR", "amount": "5", "totalTurnover": "0"}]),
            ),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(
            findings(&d),
            vec![(
                ReasonCode::InsuredExceedsTotal,
                Severity::Error,
                "sections[0].lines[1].amount".into()
            )]
        );
    }

    #[test]
    fn copied_section_is_found_in_any_line_order_prm_5() {
        let a = serde_json::json!([{"country": "DE", "amount": "400000"}, {"country": "FR", "amount": "100000.00"}]);
        let b = serde_json::json!([{"country": "FR", "amount": "100000"}, {"country": "DE", "amount": "400000"}]);
        let d = validate_turnover_declaration(&input(
            serde_json::json!({"currency": "EUR", "sections": [{"lines": a}, {"lines": b}]}),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(
            findings(&d),
            vec![(ReasonCode::SectionCopied, Severity::Error, "sections[1]".into())]
        );
    }

    #[test]
    fn malformed_country_code_is_a_typed_error_not_a_finding_prm_3() {
        let err = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "de", "amount": "1"}])),
            serde_json::json!({}),
        ))
        .unwrap_err();
        assert_eq!(err.code(), "unknown_country");
        assert_eq!(err.field(), "declaration.sections[0].lines[0].country");
    }

    #[test]
    fn letter_of_credit_and_after_refusal_sales_may_be_left_in_a_notice_not_an_error_prm_4() {
        let d = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "DE", "amount": "700000",
                "includes": {"letterOfCredit": "40000", "afterRefusalOrWithdrawal": "50000"}},
                {"country": "FR", "amount": "300000"}])),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationValid);
        assert_eq!(
            findings(&d),
            vec![
                (
                    ReasonCode::LetterOfCreditSalesDeclared,
                    Severity::Notice,
                    "sections[0].lines[0].includes.letterOfCredit".into()
                ),
                (
                    ReasonCode::SalesAfterRefusalDeclared,
                    Severity::Notice,
                    "sections[0].lines[0].includes.afterRefusalOrWithdrawal".into()
                ),
            ]
        );
    }

    #[test]
    fn a_forgotten_total_turnover_is_a_finding_prm_5() {
        let decl = lines(
            serde_json::json!([{"country": "DE", "amount": "700000", "totalTurnover": "900000"},
            {"country": "FR", "amount": "300000"}]),
        );
        // One line has its total, the other not: that one looks forgotten.
        let d = validate_turnover_declaration(&input(decl.clone(), serde_json::json!({}))).unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationHasWarnings);
        assert_eq!(
            findings(&d),
            vec![(
                ReasonCode::TotalTurnoverMissing,
                Severity::Warning,
                "sections[0].lines[1].totalTurnover".into()
            )]
        );
        // The form asks for it on every line: an error.
        let d = validate_turnover_declaration(&input(
            decl,
            serde_json::json!({"context": {"totalTurnoverRequired": true}}),
        ))
        .unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationHasErrors);
        assert_eq!(findings(&d)[0].1, Severity::Error);
        // No line has a total and the form does not ask for one: nothing to say.
        let d = validate_turnover_declaration(&input(
            lines(serde_json::json!([{"country": "DE", "amount": "700000"}, {"country": "FR", "amount": "300000"}])),
            serde_json::json!({}),
        ))
        .unwrap();
        assert_eq!(d.outcome, Outcome::DeclarationValid);
    }
}
