//! Cover over a whole ledger at once (BAT-1..3, spec/batch.md): columns of invoices in, columns
//! of covered and uncovered amounts out, and per buyer the peak and current exposure.
//!
//! The columns are plain slices, as the Arrow arrays of a binding hold them: buyers as row
//! indices into the per-buyer table, amounts as `i128` at one decimal `scale` (Arrow's
//! `decimal128`), dates as days since 1970-01-01 (Arrow's `date32`). Each buyer's cover is
//! prepared once ([`CoverContext`]); the row pass is then integer arithmetic only. The rules are
//! the single-delivery ones: [`CoverContext::blocks`] and [`CoverContext::cap_on`] decide, and a
//! test checks every row against [`crate::cover::check_delivery_cover`].
//!
//! Each row also gets where it stands on `asOf` and its reporting deadline (BAT-4, through the
//! OVD-1/OVD-4/DIS-6 rules of [`crate::overdue`]), and each buyer the indemnity its open
//! covered receivables would give if the insured event occurred on `asOf` (BAT-5, the CLM-5
//! steps of [`crate::claim::indemnity`]). A delivery made while one of the buyer's overdues is
//! past its reporting date and unpaid is excluded (BAT-6: OVD-2, OVD-3, DIS-6).

use std::borrow::Cow;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::buyer::{BuyerDto, PaymentSecurity, ReceivableKind};
use crate::calendar::{check_period, days_after, DayCount, IsoDate, PaymentTerms};
use crate::claim::indemnity::loss_to_indemnity;
use crate::cover::{CoverCap, CoverContext, CoverType};
use crate::discretionary::SelfAssessmentDto;
use crate::error::Error;
use crate::exposure::{peak_outstanding, Delivery};
use crate::limit::LimitEventDto;
use crate::money::{Currency, Money};
use crate::overdue::InvoiceStatus;
use crate::policy::{Policy, PolicyDto};

/// Marks "no date" in a date column (a null `paidOn`).
pub const NO_DATE: i32 = i32::MIN;

/// Largest decimal scale of the amount columns (Arrow's `decimal128` holds 38 digits).
pub const MAX_SCALE: u32 = 18;

/// One buyer of the per-buyer table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchBuyerDto {
    /// The buyer.
    pub buyer: BuyerDto,
    /// Its named-limit events in date order, up to `asOf`.
    #[serde(default)]
    pub limit_events: Vec<LimitEventDto>,
    /// Evidence for self-assessed cover, when it has no named limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentDto>,
}

/// What a batch needs besides the ledger: the policy, the per-buyer table and the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchSetupDto {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyers; ledger rows name them by position in this list.
    pub buyers: Vec<BatchBuyerDto>,
    /// The date the question is asked (limit events after it are unknown).
    pub as_of: IsoDate,
}

/// Bad rows by ascending row index, each with its error.
pub type RowErrors = Vec<(usize, Error)>;

/// A ledger as columns, one entry per invoice (delivery).
#[derive(Debug, Clone, Copy)]
pub struct Ledger<'a> {
    /// Position of the row's buyer in [`BatchSetupDto::buyers`].
    pub buyer: &'a [u32],
    /// Invoice amounts in units of 10^-`scale` of the policy currency.
    pub amount: &'a [i128],
    /// Decimal scale of `amount` (at most [`MAX_SCALE`]).
    pub scale: u32,
    /// Delivery (invoice) dates, days since 1970-01-01.
    pub date: &'a [i32],
    /// Payment terms in days.
    pub terms_days: &'a [u32],
    /// Whether the days run from the end of the delivery month (all `false` when absent).
    pub end_of_month: Option<&'a [bool]>,
    /// Actual payment dates, days since 1970-01-01, [`NO_DATE`] when not paid early or late
    /// (then the invoice is paid on its due date). Absent: all on their due dates.
    pub paid_on: Option<&'a [i32]>,
}

/// Per-row results, in row order. A row listed in `errors` has zero figures and cover type
/// [`CoverType::None`]; it does not count towards any outstanding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoverColumns {
    /// Decimal scale of the amount columns below: the largest of the ledger's and the caps'.
    pub scale: u32,
    /// What the buyer owes before this row (BAT-1).
    pub outstanding: Vec<i128>,
    /// The covered part of the row's amount.
    pub covered: Vec<i128>,
    /// The uncovered part.
    pub uncovered: Vec<i128>,
    /// The cover used.
    pub cover_type: Vec<CoverType>,
    /// Where the row stands on `asOf` (BAT-4: OVD-1, OVD-4, DIS-6); `None` for a row delivered
    /// after `asOf`, a row without cover, or a bad row.
    pub status: Vec<Option<InvoiceStatus>>,
    /// The row's reporting date (BAT-4, OVD-1), days since 1970-01-01, when it is open on
    /// `asOf` under a named limit and above the overdue reporting threshold; else [`NO_DATE`].
    pub report_by: Vec<i32>,
    /// Bad rows, by ascending row index, with the reason (field `rows[i].<column>`).
    pub errors: Vec<(usize, Error)>,
}

/// A buyer's exposure over the ledger (BAT-3, EXP-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerExposure {
    /// Highest outstanding at the end of any day.
    pub peak: Money,
    /// First day the peak was reached (`None` when the buyer has no valid row).
    pub peak_date: Option<NaiveDate>,
    /// Outstanding at the end of `asOf`.
    pub current: Money,
    /// The cover the buyer has for deliveries on `asOf`.
    pub cover_type: CoverType,
    /// The named limit in force for deliveries on `asOf`, if any.
    pub limit: Option<Money>,
    /// Number of valid rows of the buyer.
    pub rows: usize,
    /// The covered parts of the rows still open at the end of `asOf` (BAT-5).
    pub open_covered: Money,
    /// The indemnity those would give if the insured event occurred on `asOf` (BAT-5, CLM-5),
    /// rounded to the minor unit.
    pub expected_indemnity: Money,
}

/// A buyer's cap, from [`CoverContext::cap_on`], at the batch scale.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// The buyer itself is not insurable: nothing is covered.
    blocked: bool,
    /// First days (days since 1970-01-01) of `middle` and `after`, ascending; `i32::MAX`
    /// when the cap does not change there (the credit decision, then a reduction or
    /// withdrawal taking effect).
    switches: [i32; 2],
    before: (CoverType, i128),
    middle: (CoverType, i128),
    after: (CoverType, i128),
}

impl Plan {
    /// The cover type and cap for a delivery on day `d`.
    fn on(&self, d: i32) -> (CoverType, i128) {
        if d < self.switches[0] {
            self.before
        } else if d < self.switches[1] {
            self.middle
        } else {
            self.after
        }
    }
}

/// The per-buyer table prepared once: policy validated, each buyer's cover worked out.
#[derive(Debug, Clone)]
pub struct Batch {
    contexts: Vec<CoverContext>,
    policy: Policy,
    currency: Currency,
    day_count: DayCount,
    as_of: NaiveDate,
    /// `as_of` in days since 1970-01-01, as the date columns count.
    as_of_days: i32,
    /// Largest scale of any cap: amounts are computed at `max(ledger scale, cap_scale)`.
    cap_scale: u32,
}

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The date `days` after 1970-01-01.
pub fn date_from_days(days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        EPOCH.checked_add_days(Days::new(u64::from(days.unsigned_abs())))
    } else {
        EPOCH.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
    }
}

/// Days since 1970-01-01 of `date`.
pub fn days_from_date(date: NaiveDate) -> i32 {
    i32::try_from((date - EPOCH).num_days()).unwrap_or(i32::MAX)
}

/// `value` (scale `from`) at scale `to >= from`, if it fits.
fn rescale(value: i128, from: u32, to: u32) -> Option<i128> {
    10i128
        .checked_pow(to.checked_sub(from)?)
        .and_then(|f| value.checked_mul(f))
}

/// A decimal as an integer at `scale`, when it has no more decimals than that and fits.
fn to_scaled(value: Decimal, scale: u32) -> Option<i128> {
    let n = value.normalize();
    rescale(n.mantissa(), n.scale(), scale)
}

fn cap_at(cap: CoverCap, scale: u32) -> Result<(CoverType, i128), Error> {
    let scaled = to_scaled(cap.cap, scale).ok_or_else(|| Error::Overflow { field: "buyers".into() })?;
    Ok((cap.cover_type, scaled))
}

impl Batch {
    /// Validates the policy and prepares every buyer (limit events replayed, insurability and
    /// self-assessment worked out). An error names the buyer (`buyers[i]`).
    pub fn new(setup: &BatchSetupDto) -> Result<Self, Error> {
        let policy = setup.policy.validate()?;
        let as_of = setup.as_of.0;
        let mut contexts = Vec::with_capacity(setup.buyers.len());
        let mut cap_scale = 0;
        for (i, b) in setup.buyers.iter().enumerate() {
            let context = CoverContext::new(
                &setup.policy,
                b.buyer.clone(),
                &b.limit_events,
                b.self_assessment.clone(),
                as_of,
            )
            .map_err(|e| in_buyer(i, e))?;
            let switches = context.cap_changes_on();
            for date in std::iter::once(policy.insurance_year_start).chain(switches) {
                cap_scale = cap_scale.max(context.cap_on(date).cap.normalize().scale());
            }
            contexts.push(context);
        }
        if cap_scale > MAX_SCALE {
            return Err(Error::OutOfRange {
                field: "buyers".into(),
                value: cap_scale.to_string(),
                expected: format!("limits with at most {MAX_SCALE} decimals"),
            });
        }
        Ok(Batch {
            contexts,
            currency: policy.currency,
            day_count: policy.day_count,
            as_of,
            as_of_days: days_from_date(as_of),
            cap_scale,
            policy,
        })
    }

    /// Number of buyers.
    pub fn buyers(&self) -> usize {
        self.contexts.len()
    }

    /// The policy currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The decimal scale of the results for a ledger at `scale`.
    pub fn scale_for(&self, scale: u32) -> u32 {
        scale.max(self.cap_scale)
    }

    fn plans(&self, scale: u32) -> Result<Vec<Plan>, Error> {
        self.contexts
            .iter()
            .map(|c| {
                let start = c.policy().insurance_year_start;
                let changes = c.cap_changes_on();
                let before = cap_at(c.cap_on(start), scale)?;
                let first = changes.first().copied();
                let second = changes.get(1).copied();
                let middle = match first {
                    Some(d) => cap_at(c.cap_on(d), scale)?,
                    None => before,
                };
                let after = match second {
                    Some(d) => cap_at(c.cap_on(d), scale)?,
                    None => middle,
                };
                let plain = PaymentTerms {
                    days: 0,
                    end_of_month: false,
                };
                Ok(Plan {
                    blocked: c.blocks(ReceivableKind::Goods, PaymentSecurity::OpenAccount, plain, start),
                    switches: [
                        first.map_or(i32::MAX, days_from_date),
                        second.map_or(i32::MAX, days_from_date),
                    ],
                    before,
                    middle,
                    after,
                })
            })
            .collect()
    }

    /// Checks each row, works out its payment date, and orders the valid rows by (date, row).
    fn prepare<'a>(&self, ledger: &Ledger<'a>, pre_errors: Vec<(usize, Error)>) -> Result<Prepared<'a>, Error> {
        let n = ledger.buyer.len();
        for (name, len) in [
            ("amount", ledger.amount.len()),
            ("date", ledger.date.len()),
            ("terms_days", ledger.terms_days.len()),
            ("end_of_month", ledger.end_of_month.map_or(n, <[bool]>::len)),
            ("paid_on", ledger.paid_on.map_or(n, <[i32]>::len)),
        ] {
            if len != n {
                return Err(Error::OutOfRange {
                    field: format!("columns.{name}"),
                    value: len.to_string(),
                    expected: format!("{n} rows, as many as the buyer column"),
                });
            }
        }
        if ledger.scale > MAX_SCALE {
            return Err(Error::OutOfRange {
                field: "columns.amount".into(),
                value: format!("scale {}", ledger.scale),
                expected: format!("at most {MAX_SCALE} decimals"),
            });
        }
        let scale = self.scale_for(ledger.scale);
        let mut bad = vec![false; n];
        let mut errors = pre_errors;
        for (i, _) in &errors {
            if let Some(b) = bad.get_mut(*i) {
                *b = true;
            }
        }
        let amount: Cow<'_, [i128]> = if scale == ledger.scale {
            Cow::Borrowed(ledger.amount)
        } else {
            Cow::Owned(
                ledger
                    .amount
                    .iter()
                    .map(|&a| rescale(a, ledger.scale, scale).unwrap_or(i128::MIN))
                    .collect(),
            )
        };
        let mut paid = vec![0i32; n];
        let mut due = vec![0i32; n];
        let first = self
            .contexts
            .first()
            .map(|c| days_from_date(c.policy().insurance_year_start));
        for (i, (slot, due_slot)) in paid.iter_mut().zip(due.iter_mut()).enumerate() {
            if bad.get(i).copied().unwrap_or(true) {
                continue;
            }
            match self.row(ledger, &amount, i, first) {
                Ok((d, p)) => {
                    *due_slot = d;
                    *slot = p;
                }
                Err(e) => {
                    errors.push((i, e));
                    if let Some(b) = bad.get_mut(i) {
                        *b = true;
                    }
                }
            }
        }
        errors.sort_by_key(|e| e.0);
        errors.dedup_by_key(|e| e.0);
        let order = date_order(ledger.date, &bad);
        Ok(Prepared {
            amount,
            scale,
            paid,
            due,
            order,
            errors,
        })
    }

    /// Checks row `i` and returns its due date and its payment date (BAT-1, BAT-2).
    fn row(&self, ledger: &Ledger<'_>, amount: &[i128], i: usize, start: Option<i32>) -> Result<(i32, i32), Error> {
        let field = |c: &str| format!("rows[{i}].{c}");
        let buyer = ledger.buyer.get(i).copied().unwrap_or(u32::MAX);
        if buyer as usize >= self.contexts.len() {
            return Err(Error::OutOfRange {
                field: field("buyer"),
                value: buyer.to_string(),
                expected: format!("a buyer of the table (0 to {})", self.contexts.len().saturating_sub(1)),
            });
        }
        let a = amount.get(i).copied().unwrap_or(0);
        if a == i128::MIN {
            return Err(Error::Overflow { field: field("amount") });
        }
        if a <= 0 {
            let value = Decimal::try_from_i128_with_scale(ledger.amount.get(i).copied().unwrap_or(0), ledger.scale)
                .map(|d| d.to_string())
                .unwrap_or_default();
            return Err(Error::OutOfRange {
                field: field("amount"),
                value,
                expected: "more than 0".into(),
            });
        }
        let days = ledger.terms_days.get(i).copied().unwrap_or(0);
        check_period("", days).map_err(|e| e.with_prefix(&field("terms_days")))?;
        let d = ledger.date.get(i).copied().unwrap_or(0);
        let date = date_from_days(d).ok_or_else(|| Error::OutOfRange {
            field: field("date"),
            value: d.to_string(),
            expected: "a date between years -262143 and 262142".into(),
        })?;
        if start.is_some_and(|s| d < s) {
            return Err(Error::DateOrder {
                field: field("date"),
                detail: format!("{date} is before the policy starts"),
            });
        }
        let terms = PaymentTerms {
            days,
            end_of_month: ledger.end_of_month.and_then(|e| e.get(i)).copied().unwrap_or(false),
        };
        let due = if !terms.end_of_month && self.day_count == DayCount::ExcludeStartDay {
            // Same as `due_date`, without the round trip through a calendar date.
            i32::try_from(i64::from(d) + i64::from(days)).map_err(|_| Error::Overflow { field: field("date") })?
        } else {
            terms
                .due_date(date, self.day_count)
                .map(days_from_date)
                .map_err(|_| Error::Overflow {
                    field: field("terms_days"),
                })?
        };
        match ledger.paid_on.and_then(|p| p.get(i)).copied() {
            Some(p) if p != NO_DATE => {
                if p < d {
                    return Err(Error::DateOrder {
                        field: field("paid_on"),
                        detail: format!("payment is before the delivery on {date}"),
                    });
                }
                Ok((due, p))
            }
            _ => Ok((due, due)),
        }
    }

    /// The reporting date of an invoice due on `due` (OVD-1): the day after the maximum
    /// extension period.
    fn duty_day(&self, due: i32) -> i32 {
        date_from_days(due)
            .and_then(|due| days_after(due, self.policy.max_extension_period_days, self.day_count, "").ok())
            .and_then(|ends| ends.succ_opt())
            .map_or(i32::MAX, days_from_date)
    }

    /// The overdues of the valid rows that trigger an exclusion (OVD-2, OVD-4): amount above
    /// the reporting threshold and still unpaid on the day before their reporting date; each
    /// as a start on its reporting date and an end on its payment date, in day order.
    fn triggers(&self, ledger: &Ledger<'_>, prepared: &Prepared<'_>) -> Vec<(i32, u32, i8, i32)> {
        let mut out = Vec::new();
        for &r in &prepared.order {
            let i = r as usize;
            let (Some(&b), Some(&a), Some(&due), Some(&paid)) = (
                ledger.buyer.get(i),
                prepared.amount.get(i),
                prepared.due.get(i),
                prepared.paid.get(i),
            ) else {
                continue;
            };
            if paid <= due {
                continue;
            }
            let duty = self.duty_day(due);
            if paid >= duty && self.above_threshold(a, prepared.scale) {
                out.push((duty, b, 1, duty));
                out.push((paid, b, -1, duty));
            }
        }
        out.sort_by_key(|e| e.0);
        out
    }

    /// Whether an amount (`units` at `scale`) exceeds the overdue reporting threshold (OVD-4).
    fn above_threshold(&self, units: i128, scale: u32) -> bool {
        Decimal::try_from_i128_with_scale(units, scale)
            .map_or(true, |amount| amount > self.policy.overdue_reporting_threshold.amount)
    }

    /// Whether an active exclusion that started on `start` takes a delivery on day `d` under
    /// `cover_type` out of cover (BAT-6): always under a named limit (OVD-2, OVD-3: the batch
    /// knows of no confirmation of continued cover); for a self-assessed buyer only after the
    /// exclusion period (DIS-6).
    fn excludes(&self, cover_type: CoverType, d: i32, start: i32) -> bool {
        match cover_type {
            CoverType::NamedLimit => true,
            CoverType::SelfAssessed => {
                let period_ends = date_from_days(start)
                    .and_then(|s| days_after(s, self.policy.exclusion_period_days, self.day_count, "").ok())
                    .map_or(i32::MAX, days_from_date);
                d > period_ends
            }
            CoverType::None => false,
        }
    }

    /// Where a valid row stands on `asOf` and its reporting deadline (BAT-4), under the cover
    /// `cover_type` it was delivered with: the rules of [`crate::overdue::InvoiceFacts::status`]
    /// for an invoice of `units` at `scale`, paid in full on `paid` (OVD-1, OVD-4, DIS-6).
    fn overdue(
        &self,
        delivered: i32,
        due: i32,
        paid: i32,
        (units, scale): (i128, u32),
        cover_type: CoverType,
    ) -> (Option<InvoiceStatus>, i32) {
        let as_of = self.as_of_days;
        if delivered > as_of || cover_type == CoverType::None {
            return (None, NO_DATE);
        }
        if paid <= as_of {
            return (Some(InvoiceStatus::Paid), NO_DATE);
        }
        let duty = self.duty_day(due);
        let above = self.above_threshold(units, scale);
        let named = cover_type == CoverType::NamedLimit;
        let status = if duty <= as_of {
            if !above {
                InvoiceStatus::BelowThreshold
            } else if named {
                InvoiceStatus::ToReport
            } else {
                InvoiceStatus::NoDutySelfAssessed
            }
        } else if as_of <= due {
            InvoiceStatus::NotDue
        } else {
            InvoiceStatus::WithinExtensionPeriod
        };
        (Some(status), if named && above { duty } else { NO_DATE })
    }

    /// The covered and uncovered part of every row (BAT-1, BAT-2). `pre_errors` are rows the
    /// caller already found bad (a null, an unknown buyer), by row index; they are skipped and
    /// reported with the others. Fails as a whole only when the columns do not fit together.
    pub fn cover(&self, ledger: &Ledger<'_>, pre_errors: Vec<(usize, Error)>) -> Result<CoverColumns, Error> {
        let prepared = self.prepare(ledger, pre_errors)?;
        let mut out = self.sweep(ledger, &prepared)?;
        let mut errors = prepared.errors;
        if !out.errors.is_empty() {
            errors.append(&mut out.errors);
            errors.sort_by_key(|e| e.0);
        }
        out.errors = errors;
        Ok(out)
    }

    /// The row pass of [`Batch::cover`] over prepared rows.
    /// Its `errors` are only the rows found bad in the pass (an overflowing outstanding).
    fn sweep(&self, ledger: &Ledger<'_>, prepared: &Prepared<'_>) -> Result<CoverColumns, Error> {
        let plans = self.plans(prepared.scale)?;
        let n = ledger.buyer.len();
        let mut out = CoverColumns {
            scale: prepared.scale,
            outstanding: vec![0; n],
            covered: vec![0; n],
            uncovered: vec![0; n],
            cover_type: vec![CoverType::None; n],
            status: vec![None; n],
            report_by: vec![NO_DATE; n],
            errors: Vec::new(),
        };
        let mut owed = vec![0i128; self.contexts.len()];
        // BAT-1 as a sweep: rows in date order, and the payments of the rows that are ever
        // outstanding (paid after delivery) in payment-date order, each applied on its day.
        let payments = payments_by_day(prepared, ledger);
        let mut next_payment = payments.iter().peekable();
        // BAT-6: overdues that reached their reporting date unpaid, as (day, buyer, +1 from the
        // reporting date / -1 from the payment, reporting date), in day order.
        let triggers = self.triggers(ledger, prepared);
        let mut next_trigger = triggers.iter().peekable();
        let mut unpaid_triggers = vec![0u32; self.contexts.len()];
        let mut first_trigger = vec![i32::MAX; self.contexts.len()];
        let mut late: Vec<(usize, Error)> = Vec::new();
        let mut overflowed: Vec<bool> = Vec::new();
        let max_credit = self.contexts.first().map_or(0, |c| c.policy().max_credit_period_days);
        for &r in &prepared.order {
            let i = r as usize;
            let (Some(&b), Some(&d), Some(&a), Some(&paid)) = (
                ledger.buyer.get(i),
                ledger.date.get(i),
                prepared.amount.get(i),
                prepared.paid.get(i),
            ) else {
                continue;
            };
            while let Some(&&(day, row, buyer, amount)) = next_payment.peek() {
                if day > d {
                    break;
                }
                next_payment.next();
                if overflowed.get(row as usize).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(o) = owed.get_mut(buyer as usize) {
                    *o -= amount;
                }
            }
            while let Some(&&(day, buyer, step, duty)) = next_trigger.peek() {
                if day > d {
                    break;
                }
                next_trigger.next();
                if let (Some(u), Some(f)) = (
                    unpaid_triggers.get_mut(buyer as usize),
                    first_trigger.get_mut(buyer as usize),
                ) {
                    if step > 0 {
                        *u += 1;
                        *f = (*f).min(duty);
                    } else {
                        *u = u.saturating_sub(1);
                    }
                }
            }
            let (Some(context), Some(plan), Some(owed_b)) = (
                self.contexts.get(b as usize),
                plans.get(b as usize),
                owed.get_mut(b as usize),
            ) else {
                continue;
            };
            let before = *owed_b;
            let Some(after) = before.checked_add(a) else {
                late.push((
                    i,
                    Error::Overflow {
                        field: format!("rows[{i}].amount"),
                    },
                ));
                // Never added, so its payment must not be taken off either.
                if overflowed.is_empty() {
                    overflowed = vec![false; n];
                }
                if let Some(o) = overflowed.get_mut(i) {
                    *o = true;
                }
                continue;
            };
            let eom = ledger.end_of_month.and_then(|e| e.get(i)).copied().unwrap_or(false);
            let days = ledger.terms_days.get(i).copied().unwrap_or(0);
            // BAT-2: the single-delivery rules, via the prepared cover of the buyer; the terms
            // matter only when they may be longer than the maximum credit period.
            let blocked = plan.blocked
                || ((eom || days > max_credit)
                    && context.blocks(
                        ReceivableKind::Goods,
                        PaymentSecurity::OpenAccount,
                        PaymentTerms {
                            days,
                            end_of_month: eom,
                        },
                        date_from_days(d).unwrap_or(EPOCH),
                    ));
            let (cover_type, cap) = plan.on(d);
            let excluded = unpaid_triggers.get(b as usize).is_some_and(|&u| u > 0)
                && self.excludes(
                    cover_type,
                    d,
                    first_trigger.get(b as usize).copied().unwrap_or(i32::MAX),
                );
            let (cover_type, covered) = if blocked || cover_type == CoverType::None {
                (CoverType::None, 0)
            } else if excluded {
                (cover_type, 0)
            } else {
                (cover_type, cap.saturating_sub(before).clamp(0, a))
            };
            if let (Some(o), Some(c), Some(u), Some(t)) = (
                out.outstanding.get_mut(i),
                out.covered.get_mut(i),
                out.uncovered.get_mut(i),
                out.cover_type.get_mut(i),
            ) {
                *o = before;
                *c = covered;
                *u = a - covered;
                *t = cover_type;
            }
            if paid > d {
                *owed_b = after;
            }
            let due = prepared.due.get(i).copied().unwrap_or(paid);
            let (status, report_by) = self.overdue(d, due, paid, (a, prepared.scale), cover_type);
            if let (Some(s), Some(r)) = (out.status.get_mut(i), out.report_by.get_mut(i)) {
                *s = status;
                *r = report_by;
            }
        }
        out.errors = late;
        Ok(out)
    }

    /// Each buyer's peak and current exposure over the valid rows of the ledger, through
    /// [`peak_outstanding`] (BAT-3, EXP-1), with the cover it has on `asOf`. One entry per
    /// buyer of the table, in its order; the row errors are those of [`Batch::cover`].
    pub fn exposures(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: Vec<(usize, Error)>,
    ) -> Result<(Vec<BuyerExposure>, RowErrors), Error> {
        let prepared = self.prepare(ledger, pre_errors)?;
        let as_of_days = self.as_of_days;
        // BAT-5: the covered parts of the rows open at the end of `asOf`, per buyer.
        let mut open_covered = vec![0i128; self.contexts.len()];
        let scale = prepared.scale;
        let covered = self.sweep(ledger, &prepared)?.covered;
        for &r in &prepared.order {
            let i = r as usize;
            let (Some(&b), Some(&d), Some(&p), Some(&c)) = (
                ledger.buyer.get(i),
                ledger.date.get(i),
                prepared.paid.get(i),
                covered.get(i),
            ) else {
                continue;
            };
            if d <= as_of_days && p > as_of_days {
                if let Some(o) = open_covered.get_mut(b as usize) {
                    *o = o.saturating_add(c);
                }
            }
        }
        // Valid rows grouped by buyer, each group in (date, row) order.
        let mut starts = vec![0usize; self.contexts.len() + 1];
        for &r in &prepared.order {
            if let Some(s) = ledger
                .buyer
                .get(r as usize)
                .and_then(|&b| starts.get_mut(b as usize + 1))
            {
                *s += 1;
            }
        }
        for k in 1..starts.len() {
            let prev = starts.get(k - 1).copied().unwrap_or(0);
            if let Some(s) = starts.get_mut(k) {
                *s += prev;
            }
        }
        let mut next = starts.clone();
        let mut grouped = vec![0u32; prepared.order.len()];
        for &r in &prepared.order {
            if let Some(slot) = ledger.buyer.get(r as usize).and_then(|&b| next.get_mut(b as usize)) {
                if let Some(g) = grouped.get_mut(*slot) {
                    *g = r;
                }
                *slot += 1;
            }
        }
        let mut deliveries: Vec<Delivery> = Vec::new();
        let mut result = Vec::with_capacity(self.contexts.len());
        for (b, context) in self.contexts.iter().enumerate() {
            let (from, to) = (
                starts.get(b).copied().unwrap_or(0),
                starts.get(b + 1).copied().unwrap_or(0),
            );
            deliveries.clear();
            for &r in grouped.get(from..to).unwrap_or(&[]) {
                let i = r as usize;
                let amount =
                    Decimal::try_from_i128_with_scale(prepared.amount.get(i).copied().unwrap_or(0), prepared.scale)
                        .map_err(|_| Error::Overflow {
                            field: format!("rows[{i}].amount"),
                        })?;
                deliveries.push(Delivery {
                    amount: Money::new(amount, self.currency),
                    delivery_date: date_from_days(ledger.date.get(i).copied().unwrap_or(0)).unwrap_or(EPOCH),
                    paid_on: date_from_days(prepared.paid.get(i).copied().unwrap_or(0)).unwrap_or(EPOCH),
                });
            }
            let exposure = peak_outstanding(&deliveries, self.currency)?;
            let current = exposure
                .curve
                .iter()
                .take_while(|(date, _)| *date <= self.as_of)
                .last()
                .map_or(Money::zero(self.currency), |(_, m)| *m);
            let cap = context.cap_on(self.as_of);
            let open =
                Decimal::try_from_i128_with_scale(open_covered.get(b).copied().unwrap_or(0), scale).map_err(|_| {
                    Error::Overflow {
                        field: format!("buyers[{b}]"),
                    }
                })?;
            let (_, _, indemnity) = loss_to_indemnity(
                &self.policy,
                open,
                self.policy.maximum_liability.amount,
                &format!("buyers[{b}]"),
            )?;
            result.push(BuyerExposure {
                peak: exposure.peak,
                peak_date: exposure.peak_date,
                current,
                cover_type: cap.cover_type,
                limit: cap.limit,
                rows: to - from,
                open_covered: Money::new(open, self.currency),
                expected_indemnity: Money::new(indemnity, self.currency).rounded(),
            });
        }
        Ok((result, prepared.errors))
    }
}

/// Rows checked and ordered, shared by [`Batch::cover`] and [`Batch::exposures`].
struct Prepared<'a> {
    amount: Cow<'a, [i128]>,
    scale: u32,
    paid: Vec<i32>,
    /// Due dates (days since 1970-01-01) of the valid rows.
    due: Vec<i32>,
    /// Valid rows in (date, row) order.
    order: Vec<u32>,
    errors: Vec<(usize, Error)>,
}

/// The payments of the valid rows that are ever outstanding (paid after delivery) as
/// (payment day, row, buyer, amount), in payment-day order (stable): a compact list that the
/// sweep of [`Batch::cover`] reads front to back.
fn payments_by_day(prepared: &Prepared<'_>, ledger: &Ledger<'_>) -> Vec<(i32, u32, u32, i128)> {
    let entry = |r: u32| {
        let i = r as usize;
        let paid = prepared.paid.get(i).copied().unwrap_or(i32::MIN);
        let date = ledger.date.get(i).copied().unwrap_or(i32::MAX);
        (paid > date).then(|| {
            (
                paid,
                r,
                ledger.buyer.get(i).copied().unwrap_or(0),
                prepared.amount.get(i).copied().unwrap_or(0),
            )
        })
    };
    let (lo, hi, count) = prepared
        .order
        .iter()
        .filter_map(|&r| entry(r))
        .fold((i32::MAX, i32::MIN, 0usize), |(lo, hi, n), e| {
            (lo.min(e.0), hi.max(e.0), n + 1)
        });
    if count == 0 {
        return Vec::new();
    }
    let range = (i64::from(hi) - i64::from(lo) + 1) as usize;
    if range > count.saturating_mul(4).max(1 << 16) {
        let mut all: Vec<_> = prepared.order.iter().filter_map(|&r| entry(r)).collect();
        all.sort_by_key(|e| e.0);
        return all;
    }
    let slot = |day: i32| (i64::from(day) - i64::from(lo)) as usize;
    let mut starts = vec![0usize; range + 1];
    for e in prepared.order.iter().filter_map(|&r| entry(r)) {
        if let Some(c) = starts.get_mut(slot(e.0) + 1) {
            *c += 1;
        }
    }
    for k in 1..starts.len() {
        let prev = starts.get(k - 1).copied().unwrap_or(0);
        if let Some(c) = starts.get_mut(k) {
            *c += prev;
        }
    }
    let mut out = vec![(0i32, 0u32, 0u32, 0i128); count];
    for e in prepared.order.iter().filter_map(|&r| entry(r)) {
        if let Some(c) = starts.get_mut(slot(e.0)) {
            if let Some(o) = out.get_mut(*c) {
                *o = e;
            }
            *c += 1;
        }
    }
    out
}

/// The valid rows in (date, row) order.
fn date_order(date: &[i32], bad: &[bool]) -> Vec<u32> {
    let rows = (0..date.len())
        .filter(|i| !bad.get(*i).copied().unwrap_or(true))
        .map(|i| i as u32)
        .collect();
    order_by(date, rows)
}

/// `rows` stably sorted by `keys[row]`: as they are when already sorted, else by a counting
/// sort over the key range, or a comparison sort when the range is much wider than the rows.
fn order_by(keys: &[i32], mut rows: Vec<u32>) -> Vec<u32> {
    let key = |r: u32| keys.get(r as usize).copied().unwrap_or(0);
    if rows.windows(2).all(|w| matches!(w, [a, b] if key(*a) <= key(*b))) {
        return rows;
    }
    let (lo, hi) = rows
        .iter()
        .fold((i32::MAX, i32::MIN), |(lo, hi), &r| (lo.min(key(r)), hi.max(key(r))));
    let range = (i64::from(hi) - i64::from(lo) + 1) as usize;
    if range > rows.len().saturating_mul(4).max(1 << 16) {
        rows.sort_by_key(|&r| key(r));
        return rows;
    }
    let slot = |r: u32| (i64::from(key(r)) - i64::from(lo)) as usize;
    let mut counts = vec![0usize; range + 1];
    for &r in &rows {
        if let Some(c) = counts.get_mut(slot(r) + 1) {
            *c += 1;
        }
    }
    for k in 1..counts.len() {
        let prev = counts.get(k - 1).copied().unwrap_or(0);
        if let Some(c) = counts.get_mut(k) {
            *c += prev;
        }
    }
    let mut sorted = vec![0u32; rows.len()];
    for &r in &rows {
        if let Some(c) = counts.get_mut(slot(r)) {
            if let Some(s) = sorted.get_mut(*c) {
                *s = r;
            }
            *c += 1;
        }
    }
    sorted
}

fn in_buyer(i: usize, error: Error) -> Error {
    error.with_prefix(&format!("buyers[{i}]"))
}
