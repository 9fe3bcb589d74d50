//! The one error type of the crate.
//!
//! Bad input is an [`Error`], never a panic and never a [`crate::Decision`]: each variant has a
//! stable snake_case [`Error::code`] and a lowercase message that names the field (as a path,
//! e.g. `policy.indemnityPercentage`) and the offending value.

use serde::Serialize;

/// One problem found while validating a policy or another input, with its field path.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable snake_case code, e.g. `out_of_range`.
    pub code: String,
    /// The field path in camelCase, e.g. `indemnityPercentage`.
    pub field: String,
    /// Lowercase English message naming the field and the value.
    pub message: String,
}

impl Problem {
    /// A problem from an [`Error`] (its code and message).
    pub fn from_error(field: &str, error: &Error) -> Self {
        Problem {
            code: error.code().to_owned(),
            field: field.to_owned(),
            message: error.to_string(),
        }
    }
}

/// Every error the engine returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is not well-formed JSON (or too deeply nested).
    #[error("{field}: invalid json: {detail}")]
    InvalidJson {
        /// Where the problem was found.
        field: String,
        /// Parser detail.
        detail: String,
    },
    /// A field that the input type does not have: `field` is the path of the key itself
    /// (`delivery.deliveryDate`), the message lists the keys allowed there and the nearest one.
    #[error("{field}: unknown field '{value}'{}", one_of(.value, .expected))]
    UnknownField {
        /// Path of the unknown key.
        field: String,
        /// The unknown key.
        value: String,
        /// The keys allowed in its object (empty when not known).
        expected: Vec<String>,
    },
    /// The same key twice in one JSON object.
    #[error("{field}: duplicate field '{value}'")]
    DuplicateField {
        /// Path of the repeated key.
        field: String,
        /// The repeated key.
        value: String,
    },
    /// A required field is absent.
    #[error("{field}: missing field")]
    MissingField {
        /// Path of the missing field.
        field: String,
    },
    /// A field has the wrong JSON type (e.g. a number where a string is expected).
    #[error("{field}: {detail}")]
    InvalidType {
        /// Path of the field.
        field: String,
        /// What was found and expected.
        detail: String,
    },
    /// A value that is not one of the allowed names (enum tag); the message lists them (and
    /// the nearest one) when they are known.
    #[error("{field}: unknown value '{value}'{}", one_of(.value, .expected))]
    UnknownValue {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
        /// The values allowed there (empty when not known or not to be listed).
        expected: Vec<String>,
    },
    /// An amount that is not a plain decimal string (floats and exponents are refused). The
    /// message says what to give instead, in the words of the input it came in
    /// ([`AmountGiven`]).
    #[error("{field}: {}", amount_message(.value, *.given))]
    InvalidAmount {
        /// Path of the field.
        field: String,
        /// The value given (a float as its shortest text, e.g. `15000.5`).
        value: String,
        /// What kind of value it was.
        given: AmountGiven,
    },
    /// A negative amount where only zero or more makes sense.
    #[error("{field}: negative amount '{value}'")]
    NegativeAmount {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
    },
    /// Not an ISO 4217 code.
    #[error("{field}: unknown currency code '{value}'")]
    UnknownCurrency {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
    },
    /// Not an ISO 3166-1 alpha-2 code.
    #[error("{field}: unknown country code '{value}'")]
    UnknownCountry {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
    },
    /// Not a calendar date in `YYYY-MM-DD` form.
    #[error("{field}: invalid date '{value}', expected yyyy-mm-dd")]
    InvalidDate {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A number outside its allowed range.
    #[error("{field}: value {value} is out of range, expected {expected}")]
    OutOfRange {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
        /// The allowed range in words.
        expected: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("{field}: currency mismatch, expected {expected}, found {found}")]
    CurrencyMismatch {
        /// Path of the field.
        field: String,
        /// The currency required.
        expected: String,
        /// The currency given.
        found: String,
    },
    /// An empty string where text is required.
    #[error("{field}: must not be empty")]
    EmptyValue {
        /// Path of the field.
        field: String,
    },
    /// Two terms that contradict each other.
    #[error("{field}: {detail}")]
    InconsistentTerms {
        /// Path of the field.
        field: String,
        /// What contradicts what.
        detail: String,
    },
    /// Dates that go backwards where they must not (deliveries out of order, a payment before
    /// its delivery, an event before the previous one, a date before the policy starts).
    #[error("{field}: {detail}")]
    DateOrder {
        /// Path of the field.
        field: String,
        /// Which dates, in which order.
        detail: String,
    },
    /// A state-machine event that is not allowed in the current state (e.g. deciding a limit
    /// twice, withdrawing a refused limit).
    #[error("{field}: cannot {event} a limit that is {state}")]
    IllegalTransition {
        /// Path of the event.
        field: String,
        /// The event.
        event: String,
        /// The state it met.
        state: String,
    },
    /// An account event that contradicts the log (ACC): a payment on an unknown invoice, more
    /// paid than is open, an id reused for another event. Nothing of it is applied.
    #[error("{field}: event '{id}': {detail}")]
    InvalidEvent {
        /// Path of the event list.
        field: String,
        /// The event's id.
        id: String,
        /// What it contradicts.
        detail: String,
    },
    /// A computation exceeded the decimal range.
    #[error("{field}: amount overflow")]
    Overflow {
        /// Path of the field.
        field: String,
    },
    /// A policy that does not validate; carries every problem found.
    #[error("policy: {} problem(s): {}", problems.len(), problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; "))]
    InvalidPolicy {
        /// All problems, in field order.
        problems: Vec<Problem>,
    },
    /// An operation name the engine does not know.
    #[error("op: unknown operation '{value}'")]
    UnknownOp {
        /// The name given.
        value: String,
    },
    /// A language without a message catalogue.
    #[error("{field}: unknown language '{value}', expected one of en, de, fr, nl, da")]
    UnknownLanguage {
        /// Path of the field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A reason whose parameters do not fit its message.
    #[error("{field}: reason '{code}' lacks parameter '{value}'")]
    MissingParam {
        /// Path of the reason.
        field: String,
        /// The reason code.
        code: String,
        /// The missing parameter.
        value: String,
    },
    /// A buyer the engine does not hold ([`crate::engine::Engine`]).
    #[error("{field}: unknown buyer '{value}'")]
    UnknownBuyer {
        /// Path of the buyer's key.
        field: String,
        /// The key given.
        value: String,
    },
    /// A buyer key the engine holds already, given again with other details.
    #[error("{field}: buyer '{value}' was already added with other details")]
    DuplicateBuyer {
        /// Path of the buyer's key.
        field: String,
        /// The key given.
        value: String,
    },
    /// A second, different policy for an engine, which holds one policy for its life.
    #[error("{field}: the engine already holds another policy; changed terms are a policyTermsSet event")]
    PolicyAlreadySet {
        /// Path of the policy.
        field: String,
    },
    /// An engine snapshot of a format version this build does not read.
    #[error("{field}: snapshot format version {value} is not supported, expected {expected}")]
    UnsupportedSnapshot {
        /// Path of the version.
        field: String,
        /// The version found.
        value: String,
        /// The versions read.
        expected: String,
    },
    /// A bug inside the engine (e.g. a caught panic). Never expected.
    #[error("internal error: {detail}")]
    Internal {
        /// What happened.
        detail: String,
    },
}

/// What an [`Error::InvalidAmount`] was given as: its message is worded for that kind of input,
/// one wording per kind, the same in every op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountGiven {
    /// A string that is not a plain decimal (`"1,000.00"`, `"1e3"`, `"abc"`).
    Text,
    /// A number with a fraction or an exponent in JSON text or a JavaScript value
    /// (`15000.5`): "a number (15000.5) is not an amount: give a decimal string such as
    /// \"15000.5\"".
    Number,
    /// A binary float of a host language, e.g. a Python `float` (`15000.5`): "a float
    /// (15000.5) is not an amount: give a Decimal or a string".
    Float,
}

fn amount_message(value: &str, given: AmountGiven) -> String {
    match given {
        AmountGiven::Number => {
            // The number's own digits, without an exponent: what to type instead, quoted.
            let plain = value.strip_suffix(".0").unwrap_or(value);
            format!("a number ({value}) is not an amount: give a decimal string such as \"{plain}\"")
        }
        // Only a host language's reader (Python's) gives a float; the browser build (without
        // the feature `ffi-full`) has none and words it as text.
        #[cfg(feature = "ffi-full")]
        AmountGiven::Float => format!("a float ({value}) is not an amount: give a Decimal or a string"),
        _ => format!("invalid amount '{value}', expected a decimal string such as \"1250.00\""),
    }
}

/// Most allowed names an error lists; past it, only the nearest one is named.
#[cfg(feature = "ffi-full")]
const MAX_LISTED: usize = 40;

/// `, expected one of a, b, c (did you mean 'b'?)` for a value that is not among `expected`:
/// the allowed names (all of them, up to [`MAX_LISTED`]) and the nearest one, if one is near.
#[cfg(feature = "ffi-full")]
fn one_of(value: &str, expected: &[String]) -> String {
    let near = nearest(value, expected).map(|n| format!(" (did you mean '{n}'?)"));
    let near = near.unwrap_or_default();
    match expected {
        [] => String::new(),
        [one] => format!(", expected {one}{near}"),
        many if many.len() > MAX_LISTED => format!(", expected one of {} names{near}", many.len()),
        many => {
            let mut listed = String::from(", expected one of ");
            for (i, name) in many.iter().enumerate() {
                if i > 0 {
                    listed.push_str(", ");
                }
                listed.push_str(name);
            }
            listed + &near
        }
    }
}

/// The name of `names` nearest to `value`, if one is near: the same but for case, a few
/// letters apart, one inside the other (`deliveryDate` and `date`), or a shared start of more
/// than half of the shorter (`vatNo` and `vatNumber`). Ties go to the first listed.
pub fn nearest<'a>(value: &str, names: &'a [String]) -> Option<&'a str> {
    let value = value.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        let lower = name.to_lowercase();
        let distance = edit_distance(&value, &lower);
        let (short, long) = if value.len() <= lower.len() {
            (&value, &lower)
        } else {
            (&lower, &value)
        };
        let shared = short.chars().zip(long.chars()).take_while(|(a, b)| a == b).count();
        let near = distance <= 2.max(long.chars().count() / 4)
            || (short.chars().count() >= 3 && long.contains(short.as_str()))
            || (shared >= 3 && shared * 2 > short.chars().count());
        if near && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// The browser build (without the feature `ffi-full`, held to a download budget) lists no
/// allowed names: its reader leaves them out ([`crate::serde_error`]).
#[cfg(not(feature = "ffi-full"))]
fn one_of(_: &str, _: &[String]) -> String {
    String::new()
}

/// Levenshtein distance between two short texts, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (diagonal + usize::from(ca != *cb)).min(above + 1).min(left + 1);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The variants that carry a field path, listed once: [`Error::field_path`] and
/// [`Error::field_path_mut`] are this match on `&self` and on `&mut self`.
macro_rules! field_path_of {
    ($error:expr) => {
        match $error {
            Error::InvalidJson { field, .. }
            | Error::UnknownField { field, .. }
            | Error::MissingField { field }
            | Error::DuplicateField { field, .. }
            | Error::InvalidType { field, .. }
            | Error::UnknownValue { field, .. }
            | Error::InvalidAmount { field, .. }
            | Error::NegativeAmount { field, .. }
            | Error::UnknownCurrency { field, .. }
            | Error::UnknownCountry { field, .. }
            | Error::InvalidDate { field, .. }
            | Error::OutOfRange { field, .. }
            | Error::CurrencyMismatch { field, .. }
            | Error::EmptyValue { field }
            | Error::InconsistentTerms { field, .. }
            | Error::Overflow { field }
            | Error::InvalidEvent { field, .. }
            | Error::DateOrder { field, .. }
            | Error::IllegalTransition { field, .. }
            | Error::UnknownLanguage { field, .. }
            | Error::MissingParam { field, .. }
            | Error::UnknownBuyer { field, .. }
            | Error::DuplicateBuyer { field, .. }
            | Error::PolicyAlreadySet { field }
            | Error::UnsupportedSnapshot { field, .. } => Some(field),
            Error::InvalidPolicy { .. } | Error::UnknownOp { .. } | Error::Internal { .. } => None,
        }
    };
}

/// A value as an error quotes it: its first 40 characters, then `...` when it is longer.
pub fn truncated(value: &str) -> String {
    if value.chars().count() > 40 {
        let head: String = value.chars().take(40).collect();
        format!("{head}...")
    } else {
        value.to_owned()
    }
}

/// [`Error::code`] and [`Error::CODES`] from one table: a variant's code is written once, and
/// the list of codes cannot miss one (a binding builds its own list of codes from it).
macro_rules! error_codes {
    ($($variant:ident => $code:literal,)*) => {
        impl Error {
            /// Every stable code an [`Error`] has, in the order of the variants.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The stable snake_case code of this error.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Error::$variant { .. } => $code,)*
                }
            }
        }
    };
}

error_codes! {
    InvalidJson => "invalid_json",
    UnknownField => "unknown_field",
    MissingField => "missing_field",
    DuplicateField => "duplicate_field",
    InvalidType => "invalid_type",
    UnknownValue => "unknown_value",
    InvalidAmount => "invalid_amount",
    NegativeAmount => "negative_amount",
    UnknownCurrency => "unknown_currency",
    UnknownCountry => "unknown_country",
    InvalidDate => "invalid_date",
    OutOfRange => "out_of_range",
    CurrencyMismatch => "currency_mismatch",
    EmptyValue => "empty_value",
    InconsistentTerms => "inconsistent_terms",
    Overflow => "overflow",
    InvalidEvent => "invalid_event",
    DateOrder => "date_order",
    IllegalTransition => "illegal_transition",
    InvalidPolicy => "invalid_policy",
    UnknownOp => "unknown_op",
    UnknownLanguage => "unknown_language",
    MissingParam => "missing_param",
    UnknownBuyer => "unknown_buyer",
    DuplicateBuyer => "duplicate_buyer",
    PolicyAlreadySet => "policy_already_set",
    UnsupportedSnapshot => "unsupported_snapshot",
    Internal => "internal",
}

impl Error {
    /// The field path of an error that has one (not of `invalid_policy`, `unknown_op`, `internal`).
    fn field_path(&self) -> Option<&String> {
        field_path_of!(self)
    }

    /// The same, to change it.
    fn field_path_mut(&mut self) -> Option<&mut String> {
        field_path_of!(self)
    }

    /// Tags of the errors that a value's own `Deserialize` raises inside serde
    /// ([`crate::money::tagged_error`]), turned back into typed errors with their field path
    /// by [`crate::ffi`]: an amount that is not a decimal string ([`Error::InvalidAmount`]).
    pub(crate) const INVALID_AMOUNT: &'static str = "invalid_amount";
    /// A number with a fraction or an exponent where an amount is expected
    /// ([`Error::InvalidAmount`], [`AmountGiven::Number`]).
    pub(crate) const NUMBER_AMOUNT: &'static str = "number_amount";
    /// A decimal with more significant digits than an amount holds ([`Error::OutOfRange`]).
    pub(crate) const AMOUNT_DIGITS: &'static str = "amount_digits";
    /// Not a date `yyyy-mm-dd` ([`Error::InvalidDate`]).
    pub(crate) const INVALID_DATE: &'static str = "invalid_date";
    /// The field path the error is about (empty for errors about the whole call).
    pub fn field(&self) -> &str {
        match self.field_path() {
            Some(field) => field,
            None => match self {
                Error::InvalidPolicy { .. } => "policy",
                Error::UnknownOp { .. } => "op",
                _ => "",
            },
        }
    }

    /// The same error with `prefix` put in front of its field path (`limitEvents[0].date`
    /// becomes `buyers[3].limitEvents[0].date`); errors about the whole call are unchanged.
    pub fn with_prefix(mut self, prefix: &str) -> Error {
        if let Some(field) = self.field_path_mut() {
            *field = if field.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{field}")
            };
        }
        self
    }

    /// The same error with its field path rewritten by `f` (`buyers[0].buyer` becomes
    /// `buyers['A'].buyer` in a binding that names the buyers by key); errors about the whole
    /// call are unchanged.
    pub fn map_field(mut self, f: impl FnOnce(&str) -> String) -> Error {
        if let Some(field) = self.field_path_mut() {
            *field = f(field);
        }
        self
    }

    /// The same error about row `to` where it was about row `from` (its field path
    /// `rows[from]...` becomes `rows[to]...`): a row of a part of a ledger named by its row in
    /// the whole.
    pub(crate) fn renumbered(mut self, from: usize, to: usize) -> Error {
        if let Some(field) = self.field_path_mut() {
            let old = format!("rows[{from}]");
            if let Some(rest) = field.strip_prefix(&old) {
                *field = format!("rows[{to}]{rest}");
            }
        }
        self
    }

    /// The problems of an [`Error::InvalidPolicy`]; for any other error, itself as one problem.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::InvalidPolicy { problems } => problems.clone(),
            other => vec![Problem::from_error(other.field(), other)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_nearest_name_is_the_same_but_for_case_a_few_letters_off_or_inside() {
        let cover = names(&["amount", "date", "paymentTermsDays", "endOfMonth"]);
        assert_eq!(nearest("deliveryDate", &cover), Some("date"));
        assert_eq!(nearest("paymentTerms", &cover), Some("paymentTermsDays"));
        assert_eq!(nearest("ammount", &cover), Some("amount"));
        assert_eq!(nearest("Date", &cover), Some("date"));
        assert_eq!(nearest("vatRate", &cover), None);
        let buyer = names(&["legalName", "vatNumber", "country"]);
        assert_eq!(nearest("vatNo", &buyer), Some("vatNumber"));
        assert_eq!(nearest("x", &buyer), None);
    }

    #[test]
    fn an_unknown_value_lists_every_allowed_one_up_to_forty() {
        let e = Error::UnknownValue {
            field: "kind".into(),
            value: "Goods".into(),
            expected: names(&["goods", "services"]),
        };
        assert_eq!(
            e.to_string(),
            "kind: unknown value 'Goods', expected one of goods, services (did you mean 'goods'?)"
        );
        let many: Vec<String> = (0..41).map(|i| format!("code{i}")).collect();
        let e = Error::UnknownValue {
            field: "code".into(),
            value: "zzz".into(),
            expected: many,
        };
        assert_eq!(e.to_string(), "code: unknown value 'zzz', expected one of 41 names");
        let e = Error::UnknownValue {
            field: "country".into(),
            value: "se".into(),
            expected: Vec::new(),
        };
        assert_eq!(e.to_string(), "country: unknown value 'se'");
    }
}
