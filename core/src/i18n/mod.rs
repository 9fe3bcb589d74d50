//! Message catalogues in en, de, fr, nl, da. The texts are data (`*.json` beside this file,
//! one object `code -> template` per language); `{name}` in a template is replaced by the
//! reason's parameter `name`. Decimal parameters are written with the language's separators.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::decision::Param;
use crate::error::Error;

/// A language with a message catalogue.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Dutch.
    Nl,
    /// Danish.
    Da,
}

impl Language {
    /// Every supported language.
    pub const ALL: [Language; 5] = [Language::En, Language::De, Language::Fr, Language::Nl, Language::Da];

    /// Parses `en`, `de`, `fr`, `nl` or `da`.
    pub fn parse(field: &str, value: &str) -> Result<Self, Error> {
        Language::ALL
            .into_iter()
            .find(|l| l.code() == value)
            .ok_or_else(|| Error::UnknownLanguage {
                field: field.to_owned(),
                value: value.chars().take(40).collect(),
            })
    }

    /// The two-letter code.
    pub fn code(&self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
            Language::Nl => "nl",
            Language::Da => "da",
        }
    }

    /// The catalogue files of this language: the trade-credit catalogue beside this file and
    /// the property-claims catalogue in `property/i18n/`, the premium catalogue in `premium/`, the claims and collections catalogue in `claims/`. Keys must not repeat across files.
    /// the property-claims catalogue in `property/i18n/`, the premium catalogue in `premium/`, the form-validator catalogue in `forms/`. Keys must
    /// not repeat across files.
    fn sources(&self) -> &'static [&'static str] {
        match self {
            Language::En => &[
                include_str!("en.json"),
                include_str!("../property/i18n/en.json"),
                include_str!("overdue/en.json"),
                include_str!("premium/en.json"),
                include_str!("account/en.json"),
                include_str!("claims/en.json"),
                include_str!("forms/en.json"),
            ],
            Language::De => &[
                include_str!("de.json"),
                include_str!("../property/i18n/de.json"),
                include_str!("overdue/de.json"),
                include_str!("premium/de.json"),
                include_str!("account/de.json"),
                include_str!("claims/de.json"),
                include_str!("forms/de.json"),
            ],
            Language::Fr => &[
                include_str!("fr.json"),
                include_str!("../property/i18n/fr.json"),
                include_str!("overdue/fr.json"),
                include_str!("premium/fr.json"),
                include_str!("account/fr.json"),
                include_str!("claims/fr.json"),
                include_str!("forms/fr.json"),
            ],
            Language::Nl => &[
                include_str!("nl.json"),
                include_str!("../property/i18n/nl.json"),
                include_str!("overdue/nl.json"),
                include_str!("premium/nl.json"),
                include_str!("account/nl.json"),
                include_str!("claims/nl.json"),
                include_str!("forms/nl.json"),
            ],
            Language::Da => &[
                include_str!("da.json"),
                include_str!("../property/i18n/da.json"),
                include_str!("overdue/da.json"),
                include_str!("premium/da.json"),
                include_str!("account/da.json"),
                include_str!("claims/da.json"),
                include_str!("forms/da.json"),
            ],
        }
    }

    /// (thousands separator, decimal separator)
    fn separators(&self) -> (&'static str, &'static str) {
        match self {
            Language::En => (",", "."),
            Language::De | Language::Nl | Language::Da => (".", ","),
            Language::Fr => ("\u{202f}", ","),
        }
    }
}

type Catalogue = BTreeMap<String, String>;

fn catalogues() -> &'static [Catalogue; 5] {
    static CATALOGUES: OnceLock<[Catalogue; 5]> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        Language::ALL.map(|l| {
            l.sources()
                .iter()
                .flat_map(|source| serde_json::from_str::<Catalogue>(source).unwrap_or_default())
                .collect()
        })
    })
}

/// The template for `key` in `lang`, if the catalogue has one.
pub fn template(lang: Language, key: &str) -> Option<&'static str> {
    let index = Language::ALL.iter().position(|l| *l == lang)?;
    catalogues().get(index)?.get(key).map(String::as_str)
}

/// The parameter names a template uses, in order of appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..).unwrap_or("");
        match after.find('}') {
            Some(end) => {
                names.push(after.get(..end).unwrap_or(""));
                rest = after.get(end + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    names
}

/// Writes a decimal with the language's separators: `1234567.5` is `1,234,567.5` in English,
/// `1.234.567,5` in German.
pub fn format_decimal(lang: Language, value: &str) -> String {
    let (thousands, decimal) = lang.separators();
    let (sign, digits) = match value.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", value),
    };
    let (int_part, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push_str(thousands);
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}{decimal}{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Renders `key` in `lang` with `params`; the parameters named in `decimal_params` are written
/// with the language's separators. A placeholder without a parameter is an error
/// ([`Error::MissingParam`]) naming `field`.
pub fn render(
    lang: Language,
    key: &str,
    params: &BTreeMap<String, Param>,
    decimal_params: &[&str],
    field: &str,
) -> Result<String, Error> {
    let template = template(lang, key).ok_or_else(|| Error::Internal {
        detail: format!("no {} message for '{key}'", lang.code()),
    })?;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 1..).unwrap_or("");
        let end = after.find('}').unwrap_or(after.len());
        let name = after.get(..end).unwrap_or("");
        let value = params.get(name).ok_or_else(|| Error::MissingParam {
            field: field.to_owned(),
            code: key.to_owned(),
            value: name.to_owned(),
        })?;
        if decimal_params.contains(&name) {
            out.push_str(&format_decimal(lang, &value.to_string()));
        } else {
            out.push_str(&value.to_string());
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{outcome_key, ReasonCode, ALL_OUTCOMES};

    #[test]
    fn every_reason_code_and_outcome_has_a_message_in_every_language() {
        for lang in Language::ALL {
            for code in ReasonCode::ALL {
                for name in code.decimal_params() {
                    assert!(
                        code.param_names().contains(name),
                        "{code}: decimal parameter {name} is not a parameter"
                    );
                }
                let t = template(lang, code.as_str()).unwrap_or_else(|| panic!("{} lacks {code}", lang.code()));
                for name in placeholders(t) {
                    assert!(
                        code.param_names().contains(&name),
                        "{} message for {code} uses {{{name}}}, not a parameter",
                        lang.code()
                    );
                }
            }
            for outcome in ALL_OUTCOMES {
                assert!(
                    template(lang, &outcome_key(*outcome)).is_some(),
                    "{} lacks {outcome:?}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn catalogues_have_no_stray_keys() {
        let mut known: Vec<String> = ReasonCode::ALL.iter().map(|c| c.as_str().to_owned()).collect();
        known.extend(ALL_OUTCOMES.iter().map(|o| outcome_key(*o)));
        for lang in Language::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for source in lang.sources() {
                let catalogue: Catalogue = serde_json::from_str(source).unwrap();
                for key in catalogue.keys() {
                    assert!(known.contains(key), "{} has unknown key {key}", lang.code());
                    assert!(seen.insert(key.clone()), "{} has key {key} in two files", lang.code());
                }
            }
        }
    }

    #[test]
    fn decimals_use_the_languages_separators() {
        assert_eq!(format_decimal(Language::En, "1234567.50"), "1,234,567.50");
        assert_eq!(format_decimal(Language::De, "1234567.50"), "1.234.567,50");
        assert_eq!(format_decimal(Language::Fr, "-400000"), "-400\u{202f}000");
        assert_eq!(format_decimal(Language::Da, "999"), "999");
    }

    #[test]
    fn unknown_language_is_an_error() {
        assert_eq!(Language::parse("lang", "es").unwrap_err().code(), "unknown_language");
    }
}
