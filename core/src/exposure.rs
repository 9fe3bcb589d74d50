//! Exposure and limit sizing (EXP-1, EXP-2).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{check_period, DayCount, EndOfMonthConvention, IsoDate, PaymentTerms};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Currency, Money, MoneyDto};
use crate::policy::DayCountDto;

/// One delivery of a schedule: it is outstanding from its delivery date until it is paid —
/// on `paidOn` when given, else on its due date (paid on time).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliveryDto {
    /// Invoice amount (more than zero).
    pub amount: MoneyDto,
    /// Delivery (invoice) date.
    pub delivery_date: IsoDate,
    /// Payment terms in days.
    pub payment_terms_days: u32,
    /// Whether the days run from the end of the delivery month.
    #[serde(default)]
    pub end_of_month: bool,
    /// Actual payment date, if paid or expected on another day than the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<IsoDate>,
}

/// A validated delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Amount.
    pub amount: Money,
    /// Delivery date.
    pub delivery_date: NaiveDate,
    /// The day it stops being outstanding.
    pub paid_on: NaiveDate,
}

/// One change point of the outstanding curve: from `date` on, `outstanding` is owed.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CurvePoint {
    /// First day of this level.
    pub date: IsoDate,
    /// Outstanding at the end of that day.
    pub outstanding: MoneyDto,
}

/// The outstanding curve and its peak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// Highest outstanding at the end of any day.
    pub peak: Money,
    /// First day the peak was reached (`None` for an empty schedule).
    pub peak_date: Option<NaiveDate>,
    /// Change points, one per day on which the outstanding changed.
    pub curve: Vec<(NaiveDate, Money)>,
}

impl DeliveryDto {
    /// Validates one delivery; `field` is its path (e.g. `deliveries[3]`). Its due date is
    /// counted under `count`, end-of-month terms read by `convention`.
    pub fn validate(&self, field: &str, count: DayCount, convention: EndOfMonthConvention) -> Result<Delivery, Error> {
        let amount = self.amount.to_non_negative(&format!("{field}.amount"))?;
        if amount.amount.is_zero() {
            return Err(Error::OutOfRange {
                field: format!("{field}.amount.amount"),
                value: self.amount.amount.to_string(),
                expected: "more than 0".into(),
            });
        }
        let days = check_period(&format!("{field}.paymentTermsDays"), self.payment_terms_days)?;
        let delivery_date = self.delivery_date.0;
        let paid_on = match self.paid_on {
            Some(p) if p.0 < delivery_date => {
                return Err(Error::DateOrder {
                    field: format!("{field}.paidOn"),
                    detail: format!("payment on {} is before the delivery on {}", p.0, delivery_date),
                })
            }
            Some(p) => p.0,
            None => PaymentTerms::new(days, self.end_of_month, convention).due_date(delivery_date, count)?,
        };
        Ok(Delivery {
            amount,
            delivery_date,
            paid_on,
        })
    }
}

/// The outstanding curve of a delivery schedule and its peak: the limit to apply for (EXP-1).
///
/// A delivery is outstanding from its delivery date (inclusive) until its payment date
/// (exclusive): the curve gives the amount owed at the end of each day. Deliveries must be in
/// date order. Runs in O(n log n) for the payment dates, O(n) otherwise.
///
/// ```
/// use delcredere::exposure::{peak_outstanding, Delivery};
/// use delcredere::{Currency, Money};
/// use chrono::NaiveDate;
/// let dkk = Currency::parse("c", "DKK").unwrap();
/// let d = |m, amount: i64| {
///     let date = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
///     Delivery { amount: Money::new(amount.into(), dkk), delivery_date: date, paid_on: date + chrono::Days::new(90) }
/// };
/// // EXP-1 seed: 150,000, 150,000 and 100,000 DKK a month apart on 90-day terms.
/// let e = peak_outstanding(&[d(1, 150_000), d(2, 150_000), d(3, 100_000)], dkk).unwrap();
/// assert_eq!(e.peak.amount, 400_000.into());
/// ```
pub fn peak_outstanding(deliveries: &[Delivery], currency: Currency) -> Result<Exposure, Error> {
    let mut payments: Vec<(NaiveDate, Decimal)> = deliveries.iter().map(|d| (d.paid_on, d.amount.amount)).collect();
    payments.sort_unstable_by_key(|p| p.0);
    let mut curve: Vec<(NaiveDate, Money)> = Vec::new();
    let mut outstanding = Decimal::ZERO;
    let mut peak = Decimal::ZERO;
    let mut peak_date = None;
    let (mut i, mut j) = (0, 0);
    while i < deliveries.len() || j < payments.len() {
        let next_delivery = deliveries.get(i).map(|d| d.delivery_date);
        let next_payment = payments.get(j).map(|p| p.0);
        let Some(day) = [next_delivery, next_payment].into_iter().flatten().min() else {
            break;
        };
        while let Some(d) = deliveries.get(i).filter(|d| d.delivery_date == day) {
            if d.amount.currency != currency {
                return Err(Error::CurrencyMismatch {
                    field: format!("deliveries[{i}].amount.currency"),
                    expected: currency.code().to_owned(),
                    found: d.amount.currency.code().to_owned(),
                });
            }
            outstanding = outstanding
                .checked_add(d.amount.amount)
                .ok_or_else(|| Error::Overflow {
                    field: "deliveries".into(),
                })?;
            i += 1;
        }
        while let Some(p) = payments.get(j).filter(|p| p.0 == day) {
            outstanding -= p.1;
            j += 1;
        }
        if outstanding > peak {
            peak = outstanding;
            peak_date = Some(day);
        }
        match curve.last() {
            Some((_, last)) if last.amount == outstanding => {}
            _ => curve.push((day, Money::new(outstanding, currency))),
        }
    }
    Ok(Exposure {
        peak: Money::new(peak, currency),
        peak_date,
        curve,
    })
}

/// Input of op `peak_outstanding` (EXP-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeakOutstandingInput {
    /// The schedule, in delivery-date order, all in one currency.
    pub deliveries: Vec<DeliveryDto>,
    /// Whether the start day of the payment terms counts (default: it does not).
    #[serde(default)]
    pub day_count: DayCountDto,
    /// How "N days end of month" is read, as the policy term of that name (default
    /// `monthEndThenDays`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_month_convention: Option<EndOfMonthConvention>,
}

/// Op `peak_outstanding`: validates the schedule, computes the curve, explains the peak (EXP-1).
pub fn peak_outstanding_decision(input: &PeakOutstandingInput) -> Result<Decision, Error> {
    let first = input.deliveries.first().ok_or_else(|| Error::EmptyValue {
        field: "deliveries".into(),
    })?;
    let currency = first.amount.to_money("deliveries[0].amount")?.currency;
    let count = input.day_count.into();
    let convention = input
        .end_of_month_convention
        .unwrap_or(crate::policy::defaults::END_OF_MONTH_CONVENTION);
    let mut deliveries = Vec::with_capacity(input.deliveries.len());
    let mut previous: Option<NaiveDate> = None;
    for (i, d) in input.deliveries.iter().enumerate() {
        let field = format!("deliveries[{i}]");
        let delivery = d.validate(&field, count, convention)?;
        if let Some(prev) = previous.filter(|p| *p > delivery.delivery_date) {
            return Err(Error::DateOrder {
                field: format!("{field}.deliveryDate"),
                detail: format!(
                    "delivery on {} comes after one on {prev}: deliveries must be in date order",
                    delivery.delivery_date
                ),
            });
        }
        previous = Some(delivery.delivery_date);
        deliveries.push(delivery);
    }
    let exposure = peak_outstanding(&deliveries, currency)?;
    let peak = exposure.peak.rounded();
    let peak_date = exposure.peak_date.map(|d| d.to_string()).unwrap_or_default();
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts: [("peakOutstanding".to_owned(), MoneyDto::from(peak))].into(),
        reasons: vec![Reason::new(
            ReasonCode::PeakOutstanding,
            [
                ("peak", Param::amount(peak.amount)),
                ("currency", Param::from(currency.code())),
                ("date", Param::from(peak_date)),
            ],
        )],
        details: Some(Details::Curve {
            points: exposure
                .curve
                .into_iter()
                .map(|(date, m)| CurvePoint {
                    date: IsoDate(date),
                    outstanding: m.into(),
                })
                .collect(),
        }),
    })
}

/// Input of op `average_outstanding` (EXP-2): annual or monthly sales, not both.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AverageOutstandingInput {
    /// Sales to the buyer over a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_sales: Option<MoneyDto>,
    /// Sales to the buyer per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_sales: Option<MoneyDto>,
    /// Payment terms in days.
    pub payment_terms_days: u32,
}

/// Average outstanding for regular sales (EXP-2): annual sales / 360 × payment terms in days,
/// or monthly sales / 30 × payment terms. Multiplies before dividing, so 600,000 / 360 × 30 is
/// exactly 50,000 (the Danish guide's own example prints "× 300 = 500,000": a slip).
pub fn average_outstanding(input: &AverageOutstandingInput) -> Result<Decision, Error> {
    let days = check_period("paymentTermsDays", input.payment_terms_days)?;
    let (sales, basis, divisor, field) = match (&input.annual_sales, &input.monthly_sales) {
        (Some(a), None) => (a, "annual", 360, "annualSales"),
        (None, Some(m)) => (m, "monthly", 30, "monthlySales"),
        (None, None) => {
            return Err(Error::MissingField {
                field: "annualSales".into(),
            })
        }
        (Some(_), Some(_)) => {
            return Err(Error::InconsistentTerms {
                field: "monthlySales".into(),
                detail: "give annual sales or monthly sales, not both".into(),
            })
        }
    };
    let sales = sales.to_non_negative(field)?;
    let average = sales
        .amount
        .checked_mul(Decimal::from(days))
        .and_then(|x| x.checked_div(Decimal::from(divisor)))
        .ok_or_else(|| Error::Overflow { field: field.into() })?;
    let average = Money::new(average, sales.currency).rounded();
    let code = if basis == "annual" {
        ReasonCode::AverageOutstandingAnnual
    } else {
        ReasonCode::AverageOutstandingMonthly
    };
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts: [("averageOutstanding".to_owned(), MoneyDto::from(average))].into(),
        reasons: vec![Reason::new(
            code,
            [
                ("sales", Param::amount(sales.rounded().amount)),
                ("currency", Param::from(sales.currency.code())),
                ("paymentTermsDays", Param::from(days)),
                ("average", Param::amount(average.amount)),
            ],
        )],
        details: None,
    })
}
