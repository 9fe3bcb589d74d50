//! Dates, periods and deadlines. All day counting of the crate happens here.
//!
//! The core never reads the clock: every question takes an explicit date.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::Error;

/// Longest payment term or period accepted anywhere, in days (10 years).
pub const MAX_PERIOD_DAYS: u32 = 3650;

/// Whether the start day of a period counts as its first day.
///
/// With [`DayCount::ExcludeStartDay`] (the default, the usual reading of "within 30 days
/// after"), 30 days after 1 March is 31 March. With [`DayCount::IncludeStartDay`], the start
/// day is day 1, so 30 days from 1 March end on 30 March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayCount {
    /// The start day is day 0.
    #[default]
    ExcludeStartDay,
    /// The start day is day 1.
    IncludeStartDay,
}

/// Parses an ISO date `YYYY-MM-DD` strictly (`2026-02-30` is refused).
pub fn parse_date(field: &str, value: &str) -> Result<NaiveDate, Error> {
    let bad = || Error::InvalidDate {
        field: field.to_owned(),
        value: value.chars().take(40).collect(),
    };
    let b = value.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(bad());
    }
    // The shape is checked: ten bytes, digits but for the two dashes.
    let number = |range: std::ops::Range<usize>| {
        b.get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, digit| n * 10 + u32::from(digit - b'0'))
    };
    let year = i32::try_from(number(0..4)).map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10)).ok_or_else(bad)
}

/// Checks that a number of days is within `0..=MAX_PERIOD_DAYS`.
pub fn check_period(field: &str, days: u32) -> Result<u32, Error> {
    if days > MAX_PERIOD_DAYS {
        Err(period_out_of_range(field, days))
    } else {
        Ok(days)
    }
}

/// [`check_period`]'s error (out of line: the check is on every cover check's path).
#[cold]
#[inline(never)]
fn period_out_of_range(field: &str, days: u32) -> Error {
    Error::OutOfRange {
        field: field.to_owned(),
        value: days.to_string(),
        expected: format!("0 to {MAX_PERIOD_DAYS} days"),
    }
}

/// The date `days` after `start` under `count`: the last day of the period.
pub fn days_after(start: NaiveDate, days: u32, count: DayCount, field: &str) -> Result<NaiveDate, Error> {
    let n = match count {
        DayCount::ExcludeStartDay => days,
        DayCount::IncludeStartDay => days.saturating_sub(1),
    };
    start
        .checked_add_days(Days::new(u64::from(n)))
        .ok_or_else(|| Error::OutOfRange {
            field: field.to_owned(),
            value: start.to_string(),
            expected: "a date before year 262143".into(),
        })
}

/// The last day of the month of `date`.
pub fn end_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

/// `date` plus `months` calendar months (clamped to the month's last day).
pub fn add_months(date: NaiveDate, months: u32, field: &str) -> Result<NaiveDate, Error> {
    date.checked_add_months(Months::new(months))
        .ok_or_else(|| Error::OutOfRange {
            field: field.to_owned(),
            value: date.to_string(),
            expected: "a representable date".into(),
        })
}

/// `date` minus `months` calendar months (clamped to the month's last day): "12 months
/// before" a date (CLM-3).
pub fn sub_months(date: NaiveDate, months: u32, field: &str) -> Result<NaiveDate, Error> {
    date.checked_sub_months(Months::new(months))
        .ok_or_else(|| Error::OutOfRange {
            field: field.to_owned(),
            value: date.to_string(),
            expected: "a representable date".into(),
        })
}

/// How "N days end of month" is read (policy term `endOfMonthConvention`): two conventions are
/// in use, and a policy says which.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EndOfMonthConvention {
    /// The end of the invoice month, then N days: 10 Feb on 30 days end of month is due 28 Feb
    /// + 30 days = 30 Mar (the default: market practice, not one country's).
    #[default]
    MonthEndThenDays,
    /// The invoice date plus N days, then the end of that month: 10 Feb on 30 days end of
    /// month is 10 Feb + 30 days = 12 Mar, due 31 Mar.
    DaysThenMonthEnd,
}

/// Payment terms of a receivable: `days` net, or `days` "end of month", read by `convention`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentTerms {
    /// Number of days.
    pub days: u32,
    /// Whether the terms are "end of month" ("30 days end of month").
    pub end_of_month: bool,
    /// How end-of-month terms are read (the policy's `endOfMonthConvention`); without
    /// `end_of_month` it plays no part.
    pub convention: EndOfMonthConvention,
}

impl PaymentTerms {
    /// Terms of `days` days, end of month when `end_of_month`, read by `convention`.
    pub fn new(days: u32, end_of_month: bool, convention: EndOfMonthConvention) -> Self {
        PaymentTerms {
            days,
            end_of_month,
            convention,
        }
    }

    /// Net terms of `days` days (no end of month).
    pub fn net(days: u32) -> Self {
        PaymentTerms {
            days,
            end_of_month: false,
            convention: EndOfMonthConvention::MonthEndThenDays,
        }
    }

    /// The due date of an invoice dated `invoice_date`, the days counted under `count`:
    /// net, the invoice date + `days`; end of month under
    /// [`EndOfMonthConvention::MonthEndThenDays`], the last day of the invoice month +
    /// `days`; under [`EndOfMonthConvention::DaysThenMonthEnd`], the last day of the month in
    /// which the invoice date + `days` falls. The one place that reads end-of-month terms.
    pub fn due_date(&self, invoice_date: NaiveDate, count: DayCount) -> Result<NaiveDate, Error> {
        match (self.end_of_month, self.convention) {
            (false, _) => days_after(invoice_date, self.days, count, "paymentTermsDays"),
            (true, EndOfMonthConvention::MonthEndThenDays) => {
                days_after(end_of_month(invoice_date), self.days, count, "paymentTermsDays")
            }
            (true, EndOfMonthConvention::DaysThenMonthEnd) => {
                days_after(invoice_date, self.days, count, "paymentTermsDays").map(end_of_month)
            }
        }
    }

    /// The credit period in days these terms give, from the invoice date to the due date with
    /// the start day not counted: exact when the invoice date is known; otherwise, for
    /// end-of-month terms, the longest case (30 more days, under either convention: the
    /// invoice, or the invoice date + `days`, on the first of a 31-day month).
    pub fn credit_days(&self, invoice_date: Option<NaiveDate>) -> i64 {
        match (self.end_of_month, invoice_date) {
            (false, _) => i64::from(self.days),
            (true, Some(d)) => match self.convention {
                EndOfMonthConvention::MonthEndThenDays => (end_of_month(d) - d).num_days() + i64::from(self.days),
                EndOfMonthConvention::DaysThenMonthEnd => match d.checked_add_days(Days::new(u64::from(self.days))) {
                    Some(due) => (end_of_month(due) - d).num_days(),
                    None => i64::from(self.days) + 30,
                },
            },
            (true, None) => i64::from(self.days) + 30,
        }
    }
}

/// A date as it crosses a boundary: the string `"2026-03-31"`, parsed strictly.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub NaiveDate);

impl IsoDate {
    /// The day `year-month-day`; `None` when there is no such day (`2026-02-30`).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(IsoDate)
    }
}

/// Reads `"2026-03-31"` strictly, as JSON takes it ([`parse_date`]): `invalid_date` (field
/// `date`) otherwise.
///
/// ```
/// use delcredere::{IsoDate, NaiveDate};
/// let d: IsoDate = "2026-03-31".parse()?;
/// assert_eq!(d, IsoDate::from_ymd(2026, 3, 31).unwrap());
/// assert_eq!(NaiveDate::from(d).to_string(), "2026-03-31");
/// assert_eq!(d.to_string(), "2026-03-31");
/// assert_eq!("31.03.2026".parse::<IsoDate>().unwrap_err().code(), "invalid_date");
/// assert_eq!(IsoDate::from_ymd(2026, 2, 30), None);
/// # Ok::<(), delcredere::Error>(())
/// ```
impl std::str::FromStr for IsoDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        parse_date("date", s).map(IsoDate)
    }
}

/// `2026-03-31`, as it crosses a boundary.
impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl From<NaiveDate> for IsoDate {
    fn from(date: NaiveDate) -> Self {
        IsoDate(date)
    }
}

impl From<IsoDate> for NaiveDate {
    fn from(date: IsoDate) -> Self {
        date.0
    }
}

impl serde::Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // NaiveDate's Display is `%Y-%m-%d`, without chrono's format-string machinery.
        serializer.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IsoDate;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date string yyyy-mm-dd")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IsoDate, E> {
                parse_date("", v)
                    .map(IsoDate)
                    .map_err(|_| crate::money::tagged_error(Error::INVALID_DATE, v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date("t", s).unwrap()
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        for bad in [
            "2026-02-30",
            "2026-2-1",
            "01.02.2026",
            "",
            "2026-13-01",
            "2026-00-10",
            "2026-04-00",
            "2025-02-29",
            "+026-02-01",
            "2026-0a-01",
            "20260201",
            "2026-02-01T00:00",
        ] {
            assert_eq!(parse_date("date", bad).unwrap_err().code(), "invalid_date", "{bad}");
        }
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
    }

    #[test]
    fn reads_year_month_and_day_digit_by_digit() {
        use chrono::Datelike;
        for (text, (y, m, day)) in [
            ("0000-01-01", (0, 1, 1)),
            ("0987-06-05", (987, 6, 5)),
            ("2026-12-31", (2026, 12, 31)),
            ("9999-12-31", (9999, 12, 31)),
        ] {
            let date = d(text);
            assert_eq!((date.year(), date.month(), date.day()), (y, m, day), "{text}");
            assert_eq!(IsoDate(date).0.to_string(), text);
            assert_eq!(serde_json::to_string(&IsoDate(date)).unwrap(), format!("\"{text}\""));
        }
    }

    #[test]
    fn days_after_counts_the_start_day_only_when_asked() {
        assert_eq!(
            days_after(d("2026-03-01"), 30, DayCount::ExcludeStartDay, "f").unwrap(),
            d("2026-03-31")
        );
        assert_eq!(
            days_after(d("2026-03-01"), 30, DayCount::IncludeStartDay, "f").unwrap(),
            d("2026-03-30")
        );
    }

    #[test]
    fn end_of_month_terms() {
        let terms = PaymentTerms::new(30, true, EndOfMonthConvention::MonthEndThenDays);
        // 10 Feb 2026 -> end of month 28 Feb -> +30 days = 30 Mar 2026.
        assert_eq!(
            terms.due_date(d("2026-02-10"), DayCount::ExcludeStartDay).unwrap(),
            d("2026-03-30")
        );
        assert_eq!(terms.credit_days(Some(d("2026-02-10"))), 48);
        assert_eq!(terms.credit_days(None), 60);
        assert_eq!(end_of_month(d("2024-02-03")), d("2024-02-29"));
        assert_eq!(end_of_month(d("2026-12-31")), d("2026-12-31"));
    }

    #[test]
    fn days_then_month_end_adds_the_days_first() {
        let terms = PaymentTerms::new(30, true, EndOfMonthConvention::DaysThenMonthEnd);
        let due = |date: &str, count| terms.due_date(d(date), count).unwrap();
        // 10 Feb 2026 + 30 days = 12 Mar (18 days to 28 Feb, 12 more) -> 31 Mar; counting the
        // start day, 11 Mar -> 31 Mar.
        assert_eq!(due("2026-02-10", DayCount::ExcludeStartDay), d("2026-03-31"));
        assert_eq!(due("2026-02-10", DayCount::IncludeStartDay), d("2026-03-31"));
        // 1 Jan 2026 + 30 days = 31 Jan, already a month's end; counting the start day, 30 Jan
        // -> 31 Jan. The other reading gives 31 Jan + 30 days = 2 Mar.
        assert_eq!(due("2026-01-01", DayCount::ExcludeStartDay), d("2026-01-31"));
        assert_eq!(due("2026-01-01", DayCount::IncludeStartDay), d("2026-01-31"));
        let other = PaymentTerms::new(30, true, EndOfMonthConvention::MonthEndThenDays);
        assert_eq!(
            other.due_date(d("2026-01-01"), DayCount::ExcludeStartDay).unwrap(),
            d("2026-03-02")
        );
        // 31 Jan 2026 + 30 days = 2 Mar -> 31 Mar.
        assert_eq!(due("2026-01-31", DayCount::ExcludeStartDay), d("2026-03-31"));
        // Credit days: 10 Feb to 31 Mar is 18 + 31 = 49 days (48 the other way: 18 + 30).
        assert_eq!(terms.credit_days(Some(d("2026-02-10"))), 49);
        assert_eq!(other.credit_days(Some(d("2026-02-10"))), 48);
        assert_eq!(terms.credit_days(None), 60);
        // Net terms ignore the convention.
        let net = PaymentTerms::new(30, false, EndOfMonthConvention::DaysThenMonthEnd);
        assert_eq!(
            net.due_date(d("2026-02-10"), DayCount::ExcludeStartDay).unwrap(),
            d("2026-03-12")
        );
        assert_eq!(net.credit_days(Some(d("2026-02-10"))), 30);
    }

    #[test]
    fn add_months_clamps() {
        assert_eq!(add_months(d("2026-01-31"), 1, "f").unwrap(), d("2026-02-28"));
        assert_eq!(add_months(d("2026-01-01"), 12, "f").unwrap(), d("2027-01-01"));
    }

    #[test]
    fn period_over_ten_years_is_out_of_range() {
        assert_eq!(
            check_period("paymentTermsDays", 3651).unwrap_err().code(),
            "out_of_range"
        );
        assert_eq!(check_period("paymentTermsDays", 3650).unwrap(), 3650);
    }
}
