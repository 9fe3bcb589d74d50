//! Message catalogues in en, de, fr, nl, da. The texts are data: one object `code -> template`
//! per language in `*.json` beside this file, in its subfolders (overdue, premium, account,
//! claims, forms) and in `property/i18n/`; `build.rs` turns them into one table, each key once
//! with its five texts, and fails the build on a key repeated or missing in a language.
//! `{name}` in a template is replaced by the reason's parameter `name`. Decimal parameters are
//! written with the language's separators, and a parameter that is a date (`YYYY-MM-DD`) in the
//! language's date format ([`format_date`]).

use std::collections::BTreeMap;

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

    /// (thousands separator, decimal separator)
    fn separators(&self) -> (&'static str, &'static str) {
        match self {
            Language::En => (",", "."),
            Language::De | Language::Nl | Language::Da => (".", ","),
            Language::Fr => ("\u{202f}", ","),
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// Record `i` of the catalogue: its key, then its templates in the order of [`Language::ALL`].
#[cfg(test)]
fn record(i: usize) -> Option<std::str::Split<'static, char>> {
    Some(record_text(i)?.split('\0'))
}

/// The text of record `i`, from its key to the end of the catalogue.
fn record_text(i: usize) -> Option<&'static str> {
    text_from(*CATALOGUE_RECORDS.get(i)?)
}

/// The catalogue text from offset `start` on.
fn text_from(start: u32) -> Option<&'static str> {
    CATALOGUE_TEXT.get(usize::try_from(start).ok()?..)
}

/// How the key of a record starting with `record` compares with `key`: byte by byte, the key
/// ending at its NUL (which sorts before any other byte, as a shorter string does), without
/// searching for the NUL first. The catalogue's keys are in this order (`build.rs` sorts them
/// as strings, and a string's order is its bytes' order).
fn compare_key(record: &str, key: &str) -> std::cmp::Ordering {
    let (record, key) = (record.as_bytes(), key.as_bytes());
    match record.get(..key.len()) {
        Some(head) => head.cmp(key).then(match record.get(key.len()) {
            Some(0) | None => std::cmp::Ordering::Equal,
            Some(_) => std::cmp::Ordering::Greater,
        }),
        // The record is shorter than the key: it ends earlier, or differs before.
        None => record.cmp(key),
    }
}

/// The template for `key` in `lang`, if the catalogue has one.
pub fn template(lang: Language, key: &str) -> Option<&'static str> {
    let index = Language::ALL.iter().position(|l| *l == lang)?;
    if key.contains('\0') {
        return None;
    }
    let found = CATALOGUE_RECORDS
        .binary_search_by(|&start| compare_key(text_from(start).unwrap_or(""), key))
        .ok()?;
    // The record past its key, then the language's template.
    record_text(found)?.get(key.len() + 1..)?.split('\0').nth(index)
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

/// Writes a date `YYYY-MM-DD` in the language's format: `2026-02-05` stays `2026-02-05` in
/// English (ISO 8601: one reading for British and American readers), and is `05.02.2026` in
/// German and Danish, `05/02/2026` in French and `05-02-2026` in Dutch (each language's
/// numeric day-month-year order and separator). `None` for any other text, a date-shaped
/// reference that is no calendar date included.
pub fn format_date(lang: Language, value: &str) -> Option<String> {
    let b = value.as_bytes();
    let is_date = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !is_date {
        return None;
    }
    let (year, month, day) = (value.get(..4)?, value.get(5..7)?, value.get(8..)?);
    // A calendar date, checked without chrono's format parser (the browser build's size).
    chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    Some(match lang {
        Language::En => value.to_owned(),
        Language::De | Language::Da => format!("{day}.{month}.{year}"),
        Language::Fr => format!("{day}/{month}/{year}"),
        Language::Nl => format!("{day}-{month}-{year}"),
    })
}

/// Renders `key` in `lang` with `params`; the parameters named in `decimal_params` are written
/// with the language's separators, and a text parameter that is a date in the language's
/// format ([`format_date`]). A placeholder without a parameter is an error
/// ([`Error::MissingParam`]) naming `field`.
pub fn render(
    lang: Language,
    key: &str,
    params: &BTreeMap<String, Param>,
    decimal_params: &[&str],
    field: &str,
) -> Result<String, Error> {
    let template = template(lang, key).ok_or_else(|| {
        if cfg!(feature = "ffi-full") {
            Error::Internal {
                detail: format!("no {} message for '{key}'", lang.code()),
            }
        } else {
            // The form build carries the messages of its own ops only (build.rs).
            Error::UnknownValue {
                field: format!("{field} ('{key}' is explained by the build with every op, delcredere/full)"),
                value: key.to_owned(),
                expected: Vec::new(),
            }
        }
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
        } else if let Some(date) = match value {
            Param::Text(text) => format_date(lang, text),
            _ => None,
        } {
            out.push_str(&date);
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
        let keys: Vec<&str> = (0..CATALOGUE_RECORDS.len())
            .map(|i| record(i).unwrap().next().unwrap())
            .collect();
        for key in &keys {
            assert!(known.iter().any(|k| k == key), "unknown catalogue key {key}");
        }
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "the records are in key order");
        assert_eq!(keys.len(), known.len(), "a record per reason code and outcome");
    }

    #[test]
    fn dates_use_the_languages_format() {
        let dates: Vec<_> = Language::ALL.iter().map(|l| format_date(*l, "2026-02-05")).collect();
        assert_eq!(
            dates,
            ["2026-02-05", "05.02.2026", "05/02/2026", "05-02-2026", "05.02.2026"].map(|d| Some(d.to_owned()))
        );
        // Only a real calendar date is one: a reference shaped like a date is text.
        for text in ["2026-02-30", "2026-2-05", "F-2026-02-05", "2026-02-05 ", "２026-02-05"] {
            assert_eq!(format_date(Language::De, text), None, "{text}");
        }
        assert_eq!(format_date(Language::Fr, "2028-02-29").as_deref(), Some("29/02/2028"));
    }

    #[test]
    fn decimals_use_the_languages_separators() {
        assert_eq!(format_decimal(Language::En, "1234567.50"), "1,234,567.50");
        assert_eq!(format_decimal(Language::De, "1234567.50"), "1.234.567,50");
        assert_eq!(format_decimal(Language::Fr, "-400000"), "-400\u{202f}000");
        assert_eq!(format_decimal(Language::Da, "999"), "999");
    }

    #[test]
    fn every_key_is_found_and_a_key_it_does_not_hold_is_not() {
        for i in 0..CATALOGUE_RECORDS.len() {
            let mut fields = record(i).unwrap();
            let key = fields.next().unwrap();
            for lang in Language::ALL {
                assert_eq!(template(lang, key), fields.next(), "{key} in {}", lang.code());
            }
            // A prefix, an extension and a NUL-ended copy of a key are other keys.
            for other in [&key[..key.len() - 1], &format!("{key}_"), &format!("{key}\0")] {
                if !(0..CATALOGUE_RECORDS.len()).any(|j| record(j).unwrap().next() == Some(other)) {
                    assert_eq!(template(Language::En, other), None, "{other:?}");
                }
            }
        }
        assert_eq!(template(Language::En, ""), None);
        assert_eq!(template(Language::En, "zzz"), None);
    }

    #[test]
    fn unknown_language_is_an_error() {
        assert_eq!(Language::parse("lang", "es").unwrap_err().code(), "unknown_language");
    }
}
