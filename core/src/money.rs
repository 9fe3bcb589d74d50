//! Money, currencies and percentages.
//!
//! Amounts are [`rust_decimal::Decimal`]; they cross every boundary as decimal strings
//! (`"855000.00"`). Arithmetic between two [`Money`] values refuses mixed currencies.
//!
//! **Rounding rule (the only one):** a figure is rounded once, at the end of a computation,
//! half-even ("banker's rounding") to the minor unit of its currency (see
//! [`Money::rounded`]). Intermediate results keep full precision.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::thread::LocalKey;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{AmountGiven, Error};
use crate::i18n::Language;

/// Largest number of significant digits accepted in an amount string.
pub const MAX_AMOUNT_DIGITS: usize = 28;

/// ISO 4217 currency codes in active use with their minor units (number of decimals), sorted
/// (looked up by binary search; a test checks the order).
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// An ISO 4217 currency code (e.g. `EUR`, `DKK`), validated against the built-in table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u32,
}

impl Currency {
    /// Parses an ISO 4217 code (upper case, three letters). `field` names the input field for
    /// the error.
    pub fn parse(field: &str, value: &str) -> Result<Self, Error> {
        Self::lookup(value).ok_or_else(|| Error::UnknownCurrency {
            field: field.to_owned(),
            value: value.to_owned(),
        })
    }

    /// The currency of an ISO 4217 code, if the table has it.
    fn lookup(value: &str) -> Option<Self> {
        // Codes compared as 3-byte arrays (same order as the strings): no memcmp per step.
        let key: [u8; 3] = value.as_bytes().try_into().ok()?;
        CURRENCIES
            .binary_search_by(|(code, _)| {
                code.as_bytes()
                    .try_into()
                    .map_or(std::cmp::Ordering::Less, |c: [u8; 3]| c.cmp(&key))
            })
            .ok()
            .and_then(|i| CURRENCIES.get(i))
            .and_then(|(code, minor)| {
                let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
                Some(Currency {
                    code: bytes,
                    minor_units: *minor,
                })
            })
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Whether `code` is this currency's code (compared as bytes).
    pub fn is(&self, code: &str) -> bool {
        code.as_bytes() == self.code
    }

    /// Number of decimals of the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Parses a decimal string strictly: optional `-`, digits, optional `.` and digits. No
/// exponent, no spaces, no thousands separators (`invalid_amount`); at most
/// [`MAX_AMOUNT_DIGITS`] significant digits (more is `out_of_range`).
pub fn parse_decimal(field: &str, value: &str) -> Result<Decimal, Error> {
    let bad = || Error::InvalidAmount {
        field: field.to_owned(),
        value: crate::error::truncated(value),
        given: AmountGiven::Text,
    };
    let body = value.strip_prefix('-').unwrap_or(value);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int_part) || frac_part.is_some_and(|f| !digits_ok(f)) {
        return Err(bad());
    }
    let significant = int_part.trim_start_matches('0').len() + frac_part.map_or(0, str::len);
    if significant > MAX_AMOUNT_DIGITS {
        return Err(too_many_digits(field, value));
    }
    Decimal::from_str(value).map_err(|_| bad())
}

/// [`parse_decimal`]'s answer for the common short form, read in one pass (the Python
/// binding's cover check reads a `Decimal`'s text with it): digits, optionally a `.` and
/// digits, at most 18 digits in all (so the value fits a `u64` and is well within
/// [`MAX_AMOUNT_DIGITS`]); `None` for anything else (a sign, an exponent, more digits), which
/// [`parse_decimal`] reads. The same value and scale as it: `"0012.50"` is 12.50 (scale 2).
pub fn parse_plain_decimal(value: &str) -> Option<Decimal> {
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut int_digits = 0u32;
    let mut dot = false;
    for b in value.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 18 {
                    return None;
                }
            }
            b'.' if !dot => {
                dot = true;
                int_digits = digits;
            }
            _ => return None,
        }
    }
    let scale = if dot { digits - int_digits } else { 0 };
    // Both parts non-empty: "12.", ".5" and "" are not plain (parse_decimal refuses them).
    if digits == 0 || (dot && (int_digits == 0 || scale == 0)) {
        return None;
    }
    Some(Decimal::from_i128_with_scale(i128::from(mantissa), scale))
}

/// The error of a decimal with more than [`MAX_AMOUNT_DIGITS`] significant digits: a well-formed
/// number too large (or too precise) for an amount.
fn too_many_digits(field: &str, value: &str) -> Error {
    Error::OutOfRange {
        field: field.to_owned(),
        value: crate::error::truncated(value),
        expected: amount_digits(),
    }
}

/// What an amount may have, in [`too_many_digits`]'s error: "at most 28 significant digits".
pub(crate) fn amount_digits() -> String {
    AMOUNT_DIGITS.to_owned()
}

/// [`amount_digits`]'s text, written out (a test holds it to [`MAX_AMOUNT_DIGITS`]).
const AMOUNT_DIGITS: &str = "at most 28 significant digits";

/// Whether `e` is [`too_many_digits`]'s error: a figure a form reports on its field.
pub(crate) fn is_too_many_digits(e: &Error) -> bool {
    matches!(e, Error::OutOfRange { expected, .. } if *expected == amount_digits())
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// The amount, full precision.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// A new amount.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    fn same_currency(&self, other: &Money, field: &str) -> Result<(), Error> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                field: field.to_owned(),
                expected: self.currency.code().to_owned(),
                found: other.currency.code().to_owned(),
            })
        }
    }

    /// `self + other`; refuses mixed currencies and overflow.
    pub fn checked_add(&self, other: &Money, field: &str) -> Result<Money, Error> {
        self.same_currency(other, field)?;
        let amount = self.amount.checked_add(other.amount).ok_or_else(|| Error::Overflow {
            field: field.to_owned(),
        })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self - other`; refuses mixed currencies and overflow.
    pub fn checked_sub(&self, other: &Money, field: &str) -> Result<Money, Error> {
        self.same_currency(other, field)?;
        let amount = self.amount.checked_sub(other.amount).ok_or_else(|| Error::Overflow {
            field: field.to_owned(),
        })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self × percent / 100`, full precision (not rounded).
    pub fn percent_of(&self, percent: Percent, field: &str) -> Result<Money, Error> {
        let amount = self
            .amount
            .checked_mul(percent.0)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| Error::Overflow {
                field: field.to_owned(),
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// The amount rounded half-even to the currency's minor unit, with exactly that many
    /// decimals (`40000` EUR becomes `40000.00`). This is the crate's one rounding rule.
    pub fn rounded(&self) -> Money {
        let mut amount = self
            .amount
            .round_dp_with_strategy(self.currency.minor_units(), RoundingStrategy::MidpointNearestEven);
        amount.rescale(self.currency.minor_units());
        Money::new(amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.rounded().amount, self.currency)
    }
}

/// A percentage, e.g. `90` for 90 % (stored as the number of hundredths, not as a fraction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(pub Decimal);

impl Percent {
    /// Parses a percentage from a decimal string (`"0.20"` is 0.20 %).
    pub fn parse(field: &str, value: &str) -> Result<Self, Error> {
        parse_decimal(field, value).map(Percent)
    }

    /// The value in percent.
    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str) -> Money {
        Money::new(parse_decimal("t", s).unwrap(), Currency::parse("c", "EUR").unwrap())
    }

    #[test]
    fn plain_decimal_reads_as_the_long_way_does() {
        let long = |s: &str| Decimal::from_str(s).unwrap();
        let mut cases: Vec<String> = [
            "0",
            "00",
            "0.0",
            "0.00",
            "1",
            "12.5",
            "0012.50",
            "855000.00",
            "100.00",
            "20000.00",
            "999999999999999999",
            "99999999999999999.9",
            "0.00000000000000001",
            "1.00000000000000000",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 1_000_000_000_000).to_string();
            let cut = usize::try_from(x >> 60).unwrap() % (digits.len() + 1);
            cases.push(match cut {
                0 => digits,
                _ if cut == digits.len() => digits,
                _ => format!("{}.{}", &digits[..cut], &digits[cut..]),
            });
        }
        for s in &cases {
            let fast = parse_plain_decimal(s).unwrap_or_else(|| panic!("{s} is plain"));
            assert_eq!(fast.serialize(), long(s).serialize(), "{s}");
            assert_eq!(parse_decimal("a", s).unwrap().serialize(), long(s).serialize(), "{s}");
        }
        // Not plain: read the long way (or refused) by parse_decimal.
        for s in [
            "",
            ".",
            "1.",
            ".5",
            "-1",
            "+1",
            "1e3",
            "1.2.3",
            "1 ",
            "1234567890123456789",
            "0.0000000000000000001",
        ] {
            assert_eq!(parse_plain_decimal(s), None, "{s}");
        }
        assert_eq!(
            parse_decimal("a", "1234567890123456789").unwrap().to_string(),
            "1234567890123456789"
        );
    }

    #[test]
    fn parses_strict_decimal_strings_only() {
        assert_eq!(parse_decimal("a", "855000.00").unwrap().to_string(), "855000.00");
        assert_eq!(parse_decimal("a", "-1.5").unwrap().to_string(), "-1.5");
        for bad in ["", "1e3", "1,000", " 1", "1.", ".5", "abc", "--1", "+1", "1 000", "NaN"] {
            let err = parse_decimal("amount", bad).unwrap_err();
            assert_eq!(err.code(), "invalid_amount", "{bad}");
        }
        assert_eq!(
            amount_digits(),
            format!("at most {MAX_AMOUNT_DIGITS} significant digits")
        );
        let forty = "1".repeat(40);
        let err = parse_decimal("amount", &forty).unwrap_err();
        assert_eq!(err.code(), "out_of_range");
        assert_eq!(
            err.to_string(),
            format!("amount: value {forty} is out of range, expected at most 28 significant digits")
        );
    }

    #[test]
    fn refuses_mixed_currencies() {
        let dkk = Money::new(Decimal::ONE, Currency::parse("c", "DKK").unwrap());
        let err = eur("1").checked_add(&dkk, "total").unwrap_err();
        assert_eq!(err.code(), "currency_mismatch");
        assert_eq!(err.to_string(), "total: currency mismatch, expected EUR, found DKK");
    }

    #[test]
    fn rounds_half_even_to_minor_unit() {
        assert_eq!(eur("0.125").rounded().amount.to_string(), "0.12");
        assert_eq!(eur("0.135").rounded().amount.to_string(), "0.14");
        assert_eq!(eur("40000").rounded().amount.to_string(), "40000.00");
        let jpy = Money::new(parse_decimal("a", "2.5").unwrap(), Currency::parse("c", "JPY").unwrap());
        assert_eq!(jpy.rounded().amount.to_string(), "2");
    }

    #[test]
    fn percent_of_keeps_precision_prm_1_seed() {
        // PRM-1 seed: 20,000,000 DKK at 0.20 % = 40,000.
        let dkk = Currency::parse("c", "DKK").unwrap();
        let turnover = Money::new(Decimal::from(20_000_000), dkk);
        let premium = turnover.percent_of(Percent::parse("r", "0.20").unwrap(), "p").unwrap();
        assert_eq!(premium.rounded().amount.to_string(), "40000.00");
    }

    #[test]
    fn currency_table_is_sorted_for_binary_search() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(Currency::parse("c", "ZWG").unwrap().minor_units(), 2);
        assert_eq!(Currency::parse("c", "AED").unwrap().minor_units(), 2);
    }

    #[test]
    fn unknown_currency_is_an_error() {
        let err = Currency::parse("policy.currency", "EUX").unwrap_err();
        assert_eq!(err.code(), "unknown_currency");
        assert_eq!(err.to_string(), "policy.currency: unknown currency code 'EUX'");
    }
}

/// Serde name under which [`DecimalString`] serializes as a newtype struct. JSON sees a plain
/// string; a binding's own serializer (Python) can recognise the name and build a native
/// decimal instead.
pub const DECIMAL_TOKEN: &str = "$delcredere::Decimal";

/// A decimal that crosses boundaries as a string (`"40000.00"`). Deserializes from a strict
/// decimal string or an integer; refuses floats, exponents and anything else.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecimalString(pub Decimal);

impl serde::Serialize for DecimalString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(DECIMAL_TOKEN, &self.0.to_string())
    }
}

/// A number of JSON text or JavaScript that is not an integer, as an error shows it: its
/// shortest digits without an exponent, with a decimal point (`15000.5`, `5000.0`, `1e-7` as
/// `0.0000001`), as serde shows a float. (JSON has no infinity or NaN.)
#[cfg(feature = "ffi-full")]
pub(crate) fn float_text(v: f64) -> String {
    let mut text = v.to_string();
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

/// Joins an error code and the offending value into a serde custom message that
/// [`crate::ffi`] turns back into a typed [`Error`] with the field path.
pub(crate) fn tagged_error<E: serde::de::Error>(code: &str, value: &str) -> E {
    let value = crate::error::truncated(value);
    E::custom(format!("{code}\u{1f}{value}"))
}

thread_local! {
    /// The language of the user who typed the figures being read, while a form's input is read
    /// ([`typed_figures_in`]).
    static FORM_LANG: Cell<Option<Language>> = const { Cell::new(None) };
    /// Whether the figures being read are ones the form's user typed ([`typed_figures`]).
    static TYPED_FIGURES: Cell<bool> = const { Cell::new(false) };
}

/// `value` in `key` while `f` runs; the value before after it (also when `f` unwinds).
fn with_cell<T: Copy + 'static, R>(key: &'static LocalKey<Cell<T>>, value: T, f: impl FnOnce() -> R) -> R {
    struct Restore<T: Copy + 'static>(&'static LocalKey<Cell<T>>, T);
    impl<T: Copy + 'static> Drop for Restore<T> {
        fn drop(&mut self) {
            self.0.set(self.1);
        }
    }
    let _restore = Restore(key, key.replace(value));
    f()
}

/// Runs `read` (the read of a form's input) with the figures its user typed read as a user of
/// `lang` types them ([`crate::form::typed_amount`]): the [`DecimalString`]s of the fields read
/// by [`typed_figures`]. Every other amount of the input is read as every op reads decimals.
pub(crate) fn typed_figures_in<R>(lang: Language, read: impl FnOnce() -> R) -> R {
    with_cell(&FORM_LANG, Some(lang), read)
}

/// A field's `deserialize_with` for figures a form's user types (the turnover declaration's):
/// read as typed inside [`typed_figures_in`], and as every op reads decimals elsewhere.
pub(crate) fn typed_figures<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    with_cell(&TYPED_FIGURES, true, || T::deserialize(d))
}

impl<'de> serde::Deserialize<'de> for DecimalString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DecimalString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"1250.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DecimalString, E> {
                let typed = TYPED_FIGURES.get().then(|| FORM_LANG.get()).flatten();
                let read = match typed {
                    Some(lang) => crate::form::typed_amount(lang, "", v),
                    None => parse_decimal("", v),
                };
                read.map(DecimalString).map_err(|e| match e {
                    Error::OutOfRange { .. } => tagged_error(Error::AMOUNT_DIGITS, v),
                    _ => tagged_error(Error::INVALID_AMOUNT, v),
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DecimalString, E> {
                Ok(DecimalString(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DecimalString, E> {
                Ok(DecimalString(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DecimalString, E> {
                // The browser build's numbers come from JSON.stringify, where a float with no
                // fraction is an integer: its text is the float's own.
                #[cfg(feature = "ffi-full")]
                let text = float_text(v);
                #[cfg(not(feature = "ffi-full"))]
                let text = v.to_string();
                Err(tagged_error(Error::NUMBER_AMOUNT, &text))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl fmt::Display for DecimalString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Money as it crosses a boundary: `{"amount": "1250.00", "currency": "EUR"}`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoneyDto {
    /// Decimal amount.
    pub amount: DecimalString,
    /// ISO 4217 code.
    pub currency: String,
}

impl MoneyDto {
    /// Validates the currency and builds a [`Money`]. `field` is the path of this object.
    pub fn to_money(&self, field: &str) -> Result<Money, Error> {
        // The field path is built only for the error: this runs once per amount read.
        let currency = Currency::lookup(&self.currency).ok_or_else(|| Error::UnknownCurrency {
            field: format!("{field}.currency"),
            value: self.currency.clone(),
        })?;
        Ok(Money::new(self.amount.0, currency))
    }

    /// Like [`MoneyDto::to_money`], and refuses negative amounts.
    pub fn to_non_negative(&self, field: &str) -> Result<Money, Error> {
        self.non_negative(self.to_money(field)?, field)
    }

    /// [`MoneyDto::to_non_negative`], without the table look-up when the code is `expected`'s.
    pub fn to_non_negative_in(&self, expected: Currency, field: &str) -> Result<Money, Error> {
        let money = if expected.is(&self.currency) {
            Money::new(self.amount.0, expected)
        } else {
            self.to_money(field)?
        };
        self.non_negative(money, field)
    }

    fn non_negative(&self, money: Money, field: &str) -> Result<Money, Error> {
        if money.amount.is_sign_negative() && !money.amount.is_zero() {
            return Err(Error::NegativeAmount {
                field: format!("{field}.amount"),
                value: self.amount.to_string(),
            });
        }
        Ok(money)
    }
}

impl MoneyDto {
    /// Money as the boundary takes it: `amount` in the ISO 4217 `currency`, e.g.
    /// `MoneyDto::new(Decimal::new(1_000_000, 2), "EUR")` for 10,000.00 EUR. The code is
    /// checked where the amount is read (`unknown_currency`), as for money read from JSON;
    /// `"10000.00 EUR".parse()` checks both at once.
    pub fn new(amount: Decimal, currency: impl Into<String>) -> Self {
        MoneyDto {
            amount: DecimalString(amount),
            currency: currency.into(),
        }
    }
}

/// Reads `"10000.00 EUR"`: a decimal string as JSON takes it (no exponent, no thousands
/// separators), one space and a known ISO 4217 code. `invalid_amount` (field `amount`) or
/// `unknown_currency` (field `currency`) otherwise.
///
/// ```
/// use delcredere::{Decimal, MoneyDto};
/// let m: MoneyDto = "10000.50 EUR".parse()?;
/// assert_eq!(m, MoneyDto::new(Decimal::new(1_000_050, 2), "EUR"));
/// assert_eq!(m.to_string(), "10000.50 EUR");
/// assert_eq!("1e4 EUR".parse::<MoneyDto>().unwrap_err().code(), "invalid_amount");
/// assert_eq!("100 EUX".parse::<MoneyDto>().unwrap_err().code(), "unknown_currency");
/// # Ok::<(), delcredere::Error>(())
/// ```
impl FromStr for MoneyDto {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let (amount, currency) = s.split_once(' ').ok_or_else(|| Error::InvalidAmount {
            field: "amount".to_owned(),
            value: crate::error::truncated(s),
            given: crate::error::AmountGiven::Text,
        })?;
        let amount = parse_decimal("amount", amount)?;
        let currency = Currency::parse("currency", currency)?;
        Ok(MoneyDto::new(amount, currency.code()))
    }
}

/// `"10000.50 EUR"`: the amount as given and the code, as `FromStr` reads it.
impl fmt::Display for MoneyDto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Reads a decimal string strictly, as JSON takes it ([`parse_decimal`]): `invalid_amount`
/// otherwise.
impl FromStr for DecimalString {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        parse_decimal("amount", s).map(DecimalString)
    }
}

impl From<Decimal> for DecimalString {
    fn from(amount: Decimal) -> Self {
        DecimalString(amount)
    }
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        let r = m.rounded();
        MoneyDto {
            amount: DecimalString(r.amount),
            currency: r.currency.code().to_owned(),
        }
    }
}
