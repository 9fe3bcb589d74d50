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
//!
//! The rows are taken in date order, and no column is kept per row besides the results. A
//! ledger already in date order (the usual one, as `sample.ledger` gives it) is taken in row
//! order, in one pass that checks each row as it comes (a scan of the dates first finds the
//! order and the delivery days), and the result columns are appended. Any other ledger is
//! checked first, and its valid rows ordered by (date, row). The row pass keeps per buyer only
//! what it owes and its cap (16 bytes in `i64`, which serves whenever the ledger's sums fit in
//! it, else 32 in `i128`) and two bytes of cover, and queues each row still owed after its
//! delivery day, 8 bytes with its buyer and amount, on the first delivery day on or after its
//! payment; an overdue that triggers an exclusion (BAT-6) queues its opening and its closing
//! the same way. The results of 64 rows at a time are written to the columns together. Its
//! speed is measured in `benches/batch.rs` and, through Python, in
//! `benches/python/bench_batch.py`.

use std::borrow::Cow;
use std::ops::Range;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::buyer::{BuyerDto, PaymentSecurity, ReceivableKind};
use crate::calendar::{check_period, DayCount, EndOfMonthConvention, IsoDate, PaymentTerms, MAX_PERIOD_DAYS};
use crate::claim::indemnity::loss_to_indemnity;
use crate::cover::{CoverCap, CoverContext, CoverType};
use crate::discretionary::SelfAssessmentDto;
use crate::error::Error;
use crate::exposure::{peak_outstanding, Delivery};
use crate::limit::LimitEventDto;
use crate::money::{Currency, Money};
use crate::overdue::InvoiceStatus;
use crate::policy::{Policy, PolicyDto};

mod threads;
pub use threads::{available_threads, MIN_ROWS_PER_BUYER_PER_THREAD, MIN_ROWS_PER_THREAD};

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
    // --- cancel/collect terms (#21) ---
    /// Whether the insurer, answering an overdue report on this buyer, expressly confirmed that
    /// cover continues (OVD-2, OVD-3 CH): its named limit then keeps cover through the buyer's
    /// overdues, with no time limit.
    #[serde(default)]
    pub continued_cover_confirmed: bool,
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

/// A buyer's caps, from [`CoverContext::cap_on`], at the batch scale: one for each stretch
/// of its limit's timeline (LIM-1, LIM-3, LIM-4).
#[derive(Debug, Clone)]
struct Plan {
    /// The caps and their cover types in date order: the first from the policy start, each
    /// next from its switch day. All cover types are [`CoverType::None`] when the buyer itself
    /// is not insurable (nothing is covered).
    caps: Vec<(i128, CoverType)>,
    /// First days (days since 1970-01-01) of `caps[1..]`, ascending: a credit decision, a
    /// reduction or withdrawal taking effect, a cancellation.
    switches: Vec<i32>,
}

/// The amounts the row pass reads and writes of a buyer for each of its rows: what it owes
/// before the current row (BAT-1) and its cap for deliveries on the current day, as
/// [`Units`]. 16 bytes in `i64` (the table of 20,000 buyers, 320 KB, stays in a core's L2
/// cache, and the row stream evicts less of it); 32 in `i128`.
#[derive(Debug, Clone, Copy)]
#[repr(align(16))]
struct BuyerState<U> {
    owed: U,
    cap: U,
}

/// The integer the row pass computes amounts in (units of 10^-scale): `i128` (Arrow's
/// `decimal128`) in general, `i64` when no sum it forms can leave it ([`fits_i64`]).
/// Both give the same figures; `i64` is the faster (measured on a 10M-row ledger: about 15 %
/// less time for the row pass), as half the registers and half the buyer table.
trait Units: Copy + Ord + std::ops::Sub<Output = Self> + std::ops::SubAssign {
    const ZERO: Self;
    /// A row's amount, at most the largest one the ledger was checked for.
    fn narrow(units: i128) -> Self;
    /// A cap, saturated at a bound above any sum the row pass forms: what it covers of a row
    /// is the same (see [`fits_i64`]).
    fn cap(units: i128) -> Self;
    fn widen(self) -> i128;
    /// The amount as a [`Payment`] holds it in a queue, when it fits in 32 bits.
    fn to_u32(self) -> Option<u32>;
    fn checked_add(self, other: Self) -> Option<Self>;
    /// `self - other`, for a cap less what the buyer owes: saturating in `i128`, exact in
    /// `i64` (see [`Units::cap`]).
    fn less(self, other: Self) -> Self;
}

impl Units for i128 {
    const ZERO: Self = 0;
    fn narrow(units: i128) -> Self {
        units
    }
    fn cap(units: i128) -> Self {
        units
    }
    fn widen(self) -> i128 {
        self
    }
    fn to_u32(self) -> Option<u32> {
        u32::try_from(self).ok()
    }
    fn checked_add(self, other: Self) -> Option<Self> {
        i128::checked_add(self, other)
    }
    fn less(self, other: Self) -> Self {
        i128::saturating_sub(self, other)
    }
}

/// The bound of what the row pass adds up in `i64`: what a buyer owes is at most the sum of
/// the ledger's positive amounts, which [`fits_i64`] keeps under it.
const I64_SUMS: i128 = 1 << 61;

impl Units for i64 {
    const ZERO: Self = 0;
    /// Exact: the pass is in `i64` only when every positive amount fits ([`fits_i64`]), and
    /// it narrows only those (a non-positive amount is a bad row, never narrowed).
    #[allow(clippy::cast_possible_truncation)]
    fn narrow(units: i128) -> Self {
        units as i64
    }
    /// Saturated at ±2^62. A buyer owes `before` in [0, 2^61) before a row of `a` in
    /// (0, 2^61), so a cap of 2^62 or more covers the whole row, as any larger cap does, and a
    /// cap of -2^62 or less covers nothing, as any cap at most 0 does; `cap - before` stays in
    /// `i64`.
    fn cap(units: i128) -> Self {
        i64::try_from(units.clamp(-2 * I64_SUMS, 2 * I64_SUMS)).unwrap_or(0)
    }
    fn widen(self) -> i128 {
        i128::from(self)
    }
    fn to_u32(self) -> Option<u32> {
        u32::try_from(self).ok()
    }
    fn checked_add(self, other: Self) -> Option<Self> {
        i64::checked_add(self, other)
    }
    fn less(self, other: Self) -> Self {
        self - other
    }
}

/// Whether the row pass over `amount` can compute in `i64`: the ledger's rows times its
/// largest amount (rounded up, below twice it) is under [`I64_SUMS`], so no buyer ever owes
/// more than fits, and no row overflows in `i64` that would not in `i128`. A non-positive
/// amount is a bad row, never added: it does not count.
fn fits_i64(amount: &[i128]) -> bool {
    fits_i64_bits(amount.len(), amount_bits(amount))
}

/// At least the largest positive amount of `amount` (and less than twice it): the bits of
/// every one, or'ed, a negative one as 0. Bit operations only, so that the compiler
/// vectorises them.
fn amount_bits(amount: &[i128]) -> u128 {
    amount.iter().fold(0u128, |m, &a| m | (a & !(a >> 127)) as u128)
}

/// [`fits_i64`] of `n` amounts whose [`amount_bits`] are `bits`.
fn fits_i64_bits(n: usize, bits: u128) -> bool {
    u128::try_from(n)
        .ok()
        .and_then(|n| n.checked_mul(bits))
        .is_some_and(|sum| sum < I64_SUMS as u128)
}

/// What else the row pass reads of a buyer for each row, two bytes: its cover type on the
/// current day and whether one of its triggering overdues is past its reporting date and
/// unpaid (BAT-6).
#[derive(Debug, Clone, Copy)]
struct BuyerCover {
    cover: CoverType,
    excluding: bool,
}

/// A buyer's triggering overdues (BAT-6): how many are past their reporting date and unpaid,
/// and the earliest reporting date so far. Read for a row only while it is excluding.
#[derive(Debug, Clone, Copy)]
struct BuyerTriggers {
    open: u32,
    first: i32,
}

/// A buyer's triggering overdue (BAT-6) opening (on its reporting date) or closing (on its
/// payment), waiting in the queue of the first delivery day on or after that day.
#[derive(Debug, Clone, Copy)]
struct Trigger {
    buyer: u32,
    opens: bool,
    /// The overdue's reporting date.
    duty: i32,
}

/// A row's amount waiting in a delivery day's queue to leave what its buyer owes (BAT-1), in
/// 8 bytes: the amount and the buyer when the amount fits in 32 bits (then the queue is read
/// in order, without going back to the rows), else [`Payment::WIDE`] and the row.
#[derive(Debug, Clone, Copy)]
struct Payment {
    amount: u32,
    buyer_or_row: u32,
}

impl Payment {
    const WIDE: u32 = u32::MAX;

    fn new<U: Units>(amount: U, buyer: u32, row: usize) -> Self {
        match amount.to_u32().filter(|&a| a != Self::WIDE) {
            Some(amount) => Payment {
                amount,
                buyer_or_row: buyer,
            },
            None => Payment {
                amount: Self::WIDE,
                buyer_or_row: u32::try_from(row).unwrap_or(u32::MAX),
            },
        }
    }

    /// The buyer and the amount.
    fn of(&self, buyers: &[u32], amounts: &[i128]) -> (usize, i128) {
        if self.amount == Self::WIDE {
            let row = self.buyer_or_row as usize;
            (
                buyers.get(row).map_or(usize::MAX, |&b| b as usize),
                amounts.get(row).copied().unwrap_or(0),
            )
        } else {
            (self.buyer_or_row as usize, i128::from(self.amount))
        }
    }
}

/// One row's results (see [`CoverColumns`]).
#[derive(Debug, Clone, Copy)]
struct Row {
    outstanding: i128,
    covered: i128,
    uncovered: i128,
    cover_type: CoverType,
    status: Option<InvoiceStatus>,
    report_by: i32,
}

impl Row {
    /// What a bad row gets: zero figures, no cover, no status.
    const EMPTY: Row = Row {
        outstanding: 0,
        covered: 0,
        uncovered: 0,
        cover_type: CoverType::None,
        status: None,
        report_by: NO_DATE,
    };
}

/// The result columns being filled. Rows taken in row order (a ledger sorted by date) are
/// appended, each column written once; otherwise the columns are filled with
/// [`Row::EMPTY`] first and written by index.
struct Rows {
    columns: CoverColumns,
    appending: bool,
    n: usize,
    /// The ledger's row of the first row (a range of rows, [`Batch::cover_chunks`]).
    base: usize,
}

impl Rows {
    /// The columns of `rows` of a ledger in date order, appended.
    fn of_range(rows: &Range<usize>, scale: u32) -> Self {
        let mut r = Rows::new(rows.len(), scale, true);
        r.base = rows.start;
        r
    }

    fn new(n: usize, scale: u32, in_row_order: bool) -> Self {
        let mut columns = CoverColumns {
            scale,
            outstanding: Vec::with_capacity(n),
            covered: Vec::with_capacity(n),
            uncovered: Vec::with_capacity(n),
            cover_type: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            report_by: Vec::with_capacity(n),
            errors: Vec::new(),
        };
        if !in_row_order {
            columns.outstanding.resize(n, 0);
            columns.covered.resize(n, 0);
            columns.uncovered.resize(n, 0);
            columns.cover_type.resize(n, CoverType::None);
            columns.status.resize(n, None);
            columns.report_by.resize(n, NO_DATE);
        }
        Rows {
            columns,
            appending: in_row_order,
            n,
            base: 0,
        }
    }

    // Once per row in the row pass: a call here cost more than the six stores it makes.
    #[inline(always)]
    fn push(&mut self, row: Row) {
        let c = &mut self.columns;
        c.outstanding.push(row.outstanding);
        c.covered.push(row.covered);
        c.uncovered.push(row.uncovered);
        c.cover_type.push(row.cover_type);
        c.status.push(row.status);
        c.report_by.push(row.report_by);
    }

    /// The first rows of `staged`, rows `at` (as many), when not appending (the rows of a
    /// ledger not in date order).
    #[inline(always)]
    fn scatter(&mut self, staged: &Staged, at: &[u32]) {
        let c = &mut self.columns;
        scatter(&mut c.outstanding, &staged.outstanding, at);
        scatter(&mut c.covered, &staged.covered, at);
        scatter(&mut c.uncovered, &staged.uncovered, at);
        scatter(&mut c.cover_type, &staged.cover_type, at);
        scatter(&mut c.status, &staged.status, at);
        scatter(&mut c.report_by, &staged.report_by, at);
    }

    /// The first `m` rows of `staged`, rows `from..from + m`, when appending (the rows of
    /// a ledger in date order).
    #[inline(always)]
    fn append(&mut self, from: usize, staged: &Staged, m: usize) {
        let from = from.saturating_sub(self.base);
        while self.columns.covered.len() < from {
            self.push(Row::EMPTY);
        }
        let c = &mut self.columns;
        let m = m.min(READ_AHEAD);
        if let (Some(o), Some(cv), Some(u), Some(t), Some(s), Some(rb)) = (
            staged.outstanding.get(..m),
            staged.covered.get(..m),
            staged.uncovered.get(..m),
            staged.cover_type.get(..m),
            staged.status.get(..m),
            staged.report_by.get(..m),
        ) {
            c.outstanding.extend_from_slice(o);
            c.covered.extend_from_slice(cv);
            c.uncovered.extend_from_slice(u);
            c.cover_type.extend_from_slice(t);
            c.status.extend_from_slice(s);
            c.report_by.extend_from_slice(rb);
        }
    }

    fn finish(mut self) -> CoverColumns {
        if self.appending {
            while self.columns.covered.len() < self.n {
                self.push(Row::EMPTY);
            }
        }
        self.columns
    }
}

/// The results of up to [`READ_AHEAD`] rows taken one after the other, written to the columns
/// together: appended for a ledger in date order ([`Rows::append`]: each column grows once for
/// them all; measured: about a tenth fewer instructions for the row pass than six pushes a
/// row), else scattered to their rows ([`Rows::scatter`]).
struct Staged {
    outstanding: [i128; READ_AHEAD],
    covered: [i128; READ_AHEAD],
    uncovered: [i128; READ_AHEAD],
    cover_type: [CoverType; READ_AHEAD],
    status: [Option<InvoiceStatus>; READ_AHEAD],
    report_by: [i32; READ_AHEAD],
}

impl Default for Staged {
    fn default() -> Self {
        Staged {
            outstanding: [0; READ_AHEAD],
            covered: [0; READ_AHEAD],
            uncovered: [0; READ_AHEAD],
            cover_type: [CoverType::None; READ_AHEAD],
            status: [None; READ_AHEAD],
            report_by: [NO_DATE; READ_AHEAD],
        }
    }
}

impl Staged {
    #[inline(always)]
    fn set(&mut self, j: usize, row: Row) {
        if let (Some(o), Some(cv), Some(u), Some(t), Some(s), Some(rb)) = (
            self.outstanding.get_mut(j),
            self.covered.get_mut(j),
            self.uncovered.get_mut(j),
            self.cover_type.get_mut(j),
            self.status.get_mut(j),
            self.report_by.get_mut(j),
        ) {
            *o = row.outstanding;
            *cv = row.covered;
            *u = row.uncovered;
            *t = row.cover_type;
            *s = row.status;
            *rb = row.report_by;
        }
    }
}

/// `column[at[j]] = values[j]` for each `j`.
fn scatter<T: Copy>(column: &mut [T], values: &[T], at: &[u32]) {
    for (&i, &v) in at.iter().zip(values) {
        if let Some(slot) = column.get_mut(i as usize) {
            *slot = v;
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
    /// How the rows with end-of-month terms are read (the policy's `endOfMonthConvention`):
    /// one for the whole call, read only for those rows (the others take [`Batch::plain`],
    /// which has no end-of-month terms).
    end_of_month_convention: EndOfMonthConvention,
    as_of: NaiveDate,
    /// `as_of` in days since 1970-01-01, as the date columns count.
    as_of_days: i32,
    /// Largest scale of any cap: amounts are computed at `max(ledger scale, cap_scale)`.
    cap_scale: u32,
    /// Days since 1970-01-01 of the first and the last calendar date (chrono's range).
    day_range: (i32, i32),
    /// The policy start in days since 1970-01-01.
    start_days: i32,
    /// The delivery days of the rows [`Batch::plain`] takes: calendar dates from the policy
    /// start on, when the start day of a period does not count; none (an empty range) when it
    /// does.
    plain_days: (i32, i32),
    /// Days from a due date to its reporting date (OVD-1): the maximum extension period as
    /// [`crate::calendar::days_after`] counts it, then one day.
    duty_offset: i64,
    /// Days from the start of an exclusion to the last day of its period (DIS-6).
    exclusion_offset: i64,
    /// Per buyer, its caps and the days they change, worked out once.
    caps: Vec<BuyerCaps>,
    // --- cancel/collect terms (#21) ---
    /// Per buyer, whether the insurer confirmed continued cover (OVD-2, OVD-3 CH).
    continued_cover_confirmed: Vec<bool>,
}

/// A buyer's caps as decimals, one for each stretch of its limit's timeline (see [`Plan`]),
/// worked out once when the batch is built; each call scales them to its amounts.
#[derive(Debug, Clone)]
struct BuyerCaps {
    caps: Vec<(Decimal, CoverType)>,
    switches: Vec<i32>,
    /// The most decimals of its caps on the policy start and on each day they change.
    scale: u32,
}

impl BuyerCaps {
    /// The caps of `context` under a policy starting on `policy_start`.
    fn of(context: &CoverContext, policy_start: NaiveDate) -> Self {
        let changes = context.cap_changes_on();
        let scale = std::iter::once(policy_start)
            .chain(changes.iter().copied())
            .map(|date| context.cap_on(date).cap.normalize().scale())
            .max()
            .unwrap_or(0);
        let start = context.policy().insurance_year_start;
        let changes: Vec<NaiveDate> = changes.into_iter().filter(|d| *d > start).collect();
        let plain = PaymentTerms::net(0);
        let blocked = context.blocks(ReceivableKind::Goods, PaymentSecurity::OpenAccount, plain, start);
        let caps = std::iter::once(start)
            .chain(changes.iter().copied())
            .map(|d| {
                let cap: CoverCap = context.cap_on(d);
                (cap.cap, if blocked { CoverType::None } else { cap.cover_type })
            })
            .collect();
        BuyerCaps {
            caps,
            switches: changes.into_iter().map(days_from_date).collect(),
            scale,
        }
    }
}

/// An amount's mantissa must fit in 96 bits to be a [`Decimal`].
const DECIMAL_MAX_UNITS: u128 = (1 << 96) - 1;

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

impl Batch {
    /// Validates the policy and prepares every buyer (limit events replayed, insurability and
    /// self-assessment worked out). An error names the buyer (`buyers[i]`).
    pub fn new(setup: &BatchSetupDto) -> Result<Self, Error> {
        let policy = setup.policy.validate()?;
        let as_of = setup.as_of.0;
        // The policy is validated once above, not once per buyer.
        let each = policy.clone();
        let buyers = setup.buyers.iter().map(|b| {
            let context = CoverContext::with_policy(
                each.clone(),
                b.buyer.clone(),
                &b.limit_events,
                b.self_assessment.clone(),
                as_of,
            )?;
            Ok((context, b.continued_cover_confirmed))
        });
        Self::of_buyers(policy, as_of, buyers)
    }

    /// The batch of `policy` (validated) on `as_of` over prepared buyers: each its cover
    /// context under `policy` on `as_of` and whether the insurer confirmed continued cover
    /// (BAT-6), in the order the ledger's buyer column numbers them. An error of buyer `i` is
    /// put under `buyers[i]`. [`Batch::new`] and [`crate::engine::Engine::batch`] (BAT-7)
    /// build theirs here.
    pub(crate) fn of_buyers(
        policy: Policy,
        as_of: NaiveDate,
        buyers: impl Iterator<Item = Result<(CoverContext, bool), Error>>,
    ) -> Result<Self, Error> {
        let mut contexts = Vec::with_capacity(buyers.size_hint().0);
        let mut continued_cover_confirmed = Vec::with_capacity(buyers.size_hint().0);
        let mut caps = Vec::with_capacity(buyers.size_hint().0);
        for (i, b) in buyers.enumerate() {
            let (context, confirmed) = b.map_err(|e| in_buyer(i, e))?;
            caps.push(BuyerCaps::of(&context, policy.insurance_year_start));
            contexts.push(context);
            continued_cover_confirmed.push(confirmed);
        }
        let cap_scale = Self::cap_scale_of(&caps)?;
        // A period of `days` days ends that many days after its start, less one when the start
        // day counts (as `calendar::days_after`).
        let period = |days: u32| {
            i64::from(match policy.day_count {
                DayCount::ExcludeStartDay => days,
                DayCount::IncludeStartDay => days.saturating_sub(1),
            })
        };
        Ok(Batch {
            contexts,
            currency: policy.currency,
            day_count: policy.day_count,
            end_of_month_convention: policy.end_of_month_convention,
            as_of,
            as_of_days: days_from_date(as_of),
            cap_scale,
            day_range: (days_from_date(NaiveDate::MIN), days_from_date(NaiveDate::MAX)),
            start_days: days_from_date(policy.insurance_year_start),
            plain_days: match policy.day_count {
                DayCount::ExcludeStartDay => (
                    days_from_date(policy.insurance_year_start),
                    days_from_date(NaiveDate::MAX),
                ),
                DayCount::IncludeStartDay => (1, 0),
            },
            duty_offset: period(policy.max_extension_period_days) + 1,
            exclusion_offset: period(policy.exclusion_period_days),
            policy,
            caps,
            // --- cancel/collect terms (#21) ---
            continued_cover_confirmed,
        })
    }

    /// The largest scale of any buyer's caps, at most [`MAX_SCALE`].
    fn cap_scale_of(caps: &[BuyerCaps]) -> Result<u32, Error> {
        let cap_scale = caps.iter().map(|c| c.scale).max().unwrap_or(0);
        if cap_scale > MAX_SCALE {
            return Err(Error::OutOfRange {
                field: "buyers".into(),
                value: cap_scale.to_string(),
                expected: format!("limits with at most {MAX_SCALE} decimals"),
            });
        }
        Ok(cap_scale)
    }

    /// Buyer `i` prepared again (its cover context under the batch's policy on its date, and
    /// whether the insurer confirmed continued cover), or added when `i` is the number of
    /// buyers: what [`Batch::of_buyers`] gives with it, without preparing the others
    /// ([`crate::engine::Engine::batch`], BAT-7).
    pub(crate) fn set_buyer(&mut self, i: usize, context: CoverContext, confirmed: bool) -> Result<(), Error> {
        let caps = BuyerCaps::of(&context, self.policy.insurance_year_start);
        if i == self.contexts.len() {
            self.contexts.push(context);
            self.caps.push(caps);
            self.continued_cover_confirmed.push(confirmed);
        } else if let (Some(c), Some(k), Some(f)) = (
            self.contexts.get_mut(i),
            self.caps.get_mut(i),
            self.continued_cover_confirmed.get_mut(i),
        ) {
            *c = context;
            *k = caps;
            *f = confirmed;
        } else {
            return Err(Error::Internal {
                detail: "buyer position out of range".into(),
            });
        }
        self.cap_scale = Self::cap_scale_of(&self.caps)?;
        Ok(())
    }

    /// The date the batch was prepared for (`asOf`).
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
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

    /// Each buyer's caps at `scale` (integers), from those worked out once in [`Batch::of_buyers`].
    fn plans(&self, scale: u32) -> Result<Vec<Plan>, Error> {
        self.caps
            .iter()
            .map(|c| {
                let caps = c
                    .caps
                    .iter()
                    .map(|&(cap, ty)| {
                        let scaled = to_scaled(cap, scale).ok_or_else(|| Error::Overflow { field: "buyers".into() })?;
                        Ok((scaled, ty))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(Plan {
                    caps,
                    switches: c.switches.clone(),
                })
            })
            .collect()
    }

    /// Checks that the columns of `ledger` fit together: as many values each, a scale of at
    /// most [`MAX_SCALE`].
    fn check_shape(ledger: &Ledger<'_>) -> Result<(), Error> {
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
        Ok(())
    }

    /// Prepares the row pass. A ledger whose rows (those the caller did not already find bad)
    /// are in date order, the usual one, is taken in row order: here only its delivery days
    /// are listed, and the row pass checks each row as it takes it. Any other ledger is checked
    /// here, row by row, and its valid rows ordered by (date, row).
    fn prepare<'a>(&self, ledger: &Ledger<'a>, pre_errors: Vec<(usize, Error)>) -> Result<Prepared<'a>, Error> {
        match self.prepare_in_row_order(ledger, pre_errors)? {
            Ok(prepared) => Ok(prepared),
            Err((amount, pre)) => Ok(self.prepare_in_date_order(ledger, amount, pre)),
        }
    }

    /// [`Batch::prepare`] for a ledger in date order; for any other, `Err` with its amounts at
    /// the batch scale and the caller's bad rows (sorted, without repeats) back.
    #[allow(clippy::type_complexity)]
    fn prepare_in_row_order<'a>(
        &self,
        ledger: &Ledger<'a>,
        pre_errors: Vec<(usize, Error)>,
    ) -> Result<Result<Prepared<'a>, (Cow<'a, [i128]>, RowErrors)>, Error> {
        self.prepare_in_row_order_on(ledger, pre_errors, 1)
    }

    /// [`Batch::prepare_in_row_order`], its scans of the dates and amounts on up to `parts`
    /// threads, a range of rows each ([`threads::scan`]).
    #[allow(clippy::type_complexity)]
    fn prepare_in_row_order_on<'a>(
        &self,
        ledger: &Ledger<'a>,
        pre_errors: Vec<(usize, Error)>,
        parts: usize,
    ) -> Result<Result<Prepared<'a>, (Cow<'a, [i128]>, RowErrors)>, Error> {
        Self::check_shape(ledger)?;
        let n = ledger.buyer.len();
        let scale = self.scale_for(ledger.scale);
        let mut pre = pre_errors;
        pre.sort_by_key(|e| e.0);
        pre.dedup_by_key(|e| e.0);
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
        let (days, bits) = threads::scan(ledger.date, &amount, &pre, parts);
        Ok(match days {
            Some(days) => Ok(Prepared {
                narrow: fits_i64_bits(n, bits),
                amount,
                scale,
                order: None,
                errors: pre,
                days: DeliveryDays::from_days(days, n),
            }),
            None => Err((amount, pre)),
        })
    }

    /// [`Batch::prepare`] for a ledger not in date order: each row checked, the valid ones
    /// ordered by (date, row).
    fn prepare_in_date_order<'a>(&self, ledger: &Ledger<'a>, amount: Cow<'a, [i128]>, pre: RowErrors) -> Prepared<'a> {
        let n = ledger.buyer.len();
        let scale = self.scale_for(ledger.scale);
        let mut errors = Vec::new();
        for i in valid_rows(n, &pre) {
            if let Err(e) = self.due_and_paid(ledger, &amount, i) {
                errors.push((i, e));
            }
        }
        errors.extend(pre);
        errors.sort_by_key(|e| e.0);
        let mut bad = vec![false; n];
        for (i, _) in &errors {
            if let Some(b) = bad.get_mut(*i) {
                *b = true;
            }
        }
        let order = date_order(ledger.date, &bad);
        let days = DeliveryDays::new(ledger.date, &order);
        Prepared {
            narrow: fits_i64(&amount),
            amount,
            scale,
            order: Some(order),
            errors,
            days,
        }
    }

    /// Row `i`'s due date and payment date (BAT-1), or why it is bad: [`Batch::plain_row`]
    /// for the usual row, [`Batch::row`] for the others. (The row pass does the same on the
    /// row's values, through [`Batch::plain`].)
    fn due_and_paid(&self, ledger: &Ledger<'_>, amount: &[i128], i: usize) -> Result<(i32, i32), Error> {
        match self.plain_row(ledger, amount.get(i).copied().unwrap_or(0), i) {
            Some(x) => Ok(x),
            None => self.row(ledger, amount, i, self.start_days_if_any()),
        }
    }

    /// The policy start in days since 1970-01-01, when the table has a buyer (a row of a table
    /// without buyers is bad for its buyer first).
    fn start_days_if_any(&self) -> Option<i32> {
        (!self.contexts.is_empty()).then_some(self.start_days)
    }

    /// [`Batch::row`] for the usual row, on day numbers only: a valid row without end-of-month
    /// terms under [`DayCount::ExcludeStartDay`]. `None` for any other row, which
    /// [`Batch::row`] then checks (and describes when it is bad).
    #[inline]
    fn plain_row(&self, ledger: &Ledger<'_>, amount: i128, i: usize) -> Option<(i32, i32)> {
        let eom = ledger.end_of_month.and_then(|e| e.get(i)).copied().unwrap_or(false);
        let paid = ledger.paid_on.and_then(|p| p.get(i)).copied().unwrap_or(NO_DATE);
        self.plain(
            *ledger.buyer.get(i)?,
            *ledger.date.get(i)?,
            amount,
            *ledger.terms_days.get(i)?,
            eom,
            paid,
        )
    }

    /// [`Batch::plain_row`] on the row's values: buyer, delivery day, amount (at the batch
    /// scale), terms, end-of-month flag and payment date as given ([`NO_DATE`] when paid when
    /// due).
    #[inline(always)]
    fn plain(&self, buyer: u32, d: i32, amount: i128, days: u32, eom: bool, paid: i32) -> Option<(i32, i32)> {
        let (from, to) = self.plain_days;
        let plain = (from..=to).contains(&d)
            && !eom
            && (buyer as usize) < self.contexts.len()
            && amount > 0
            && days <= MAX_PERIOD_DAYS
            && (paid == NO_DATE || paid >= d);
        if !plain {
            return None;
        }
        let due = d.checked_add_unsigned(days)?;
        Some((due, if paid == NO_DATE { due } else { paid }))
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
        let terms = PaymentTerms::new(
            days,
            ledger.end_of_month.and_then(|e| e.get(i)).copied().unwrap_or(false),
            self.end_of_month_convention,
        );
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

    /// Whether buyer `b`'s delivery on day `d` on `terms` days end of month, read by the
    /// policy's convention, gets no cover (BAT-2, [`CoverContext::blocks`]). Out of line, as
    /// only rows with end-of-month terms ask: callgrind, `Batch::sweep` over 1M rows without an
    /// end-of-month column, 241.3M instructions with this inlined, 238.1M out of line (236.6M
    /// before the convention existed, when the same move alone gave 240.3M: the rest is how
    /// LLVM lays out the one large row-pass function).
    #[inline(never)]
    fn end_of_month_blocks(&self, b: u32, terms: u32, d: i32) -> bool {
        self.contexts.get(b as usize).is_some_and(|context| {
            context.blocks(
                ReceivableKind::Goods,
                PaymentSecurity::OpenAccount,
                PaymentTerms::new(terms, true, self.end_of_month_convention),
                date_from_days(d).unwrap_or(EPOCH),
            )
        })
    }

    /// The reporting date of an invoice due on `due` (OVD-1): the day after the maximum
    /// extension period.
    fn duty_day(&self, due: i32) -> i32 {
        self.shifted(due, self.duty_offset)
    }

    /// The day `by >= 0` days after `day`, on day numbers; `i32::MAX` when either is not a
    /// calendar date (as the calendar functions fail).
    fn shifted(&self, day: i32, by: i64) -> i32 {
        let (lo, hi) = self.day_range;
        let to = i64::from(day) + by;
        if day < lo || day > hi || to > i64::from(hi) {
            i32::MAX
        } else {
            i32::try_from(to).unwrap_or(i32::MAX)
        }
    }

    /// The overdue reporting threshold (OVD-4) in units of 10^-`scale`, rounded down: a
    /// whole number of units is above the threshold exactly when it is above this.
    fn threshold_units(&self, scale: u32) -> i128 {
        let t = self.policy.overdue_reporting_threshold.amount;
        let (m, s) = (t.mantissa(), t.scale());
        if s <= scale {
            rescale(m, s, scale).unwrap_or(i128::MAX)
        } else {
            10i128
                .checked_pow(s - scale)
                .and_then(|f| m.checked_div_euclid(f))
                .unwrap_or(0)
        }
    }

    /// Whether an active exclusion that started on `start` takes buyer `b`'s delivery on day
    /// `d` under `cover_type` out of cover (BAT-6): under a named limit or automatic cover
    /// always (OVD-2, OVD-3, DIS-7), unless the insurer confirmed continued cover for the
    /// buyer, which has no time limit (OVD-3, CH); for a self-assessed buyer only after the
    /// exclusion period (DIS-6).
    fn excludes(&self, b: u32, cover_type: CoverType, d: i32, start: i32) -> bool {
        match cover_type {
            CoverType::NamedLimit | CoverType::Automatic => {
                !self.continued_cover_confirmed.get(b as usize).copied().unwrap_or(false)
            }
            CoverType::SelfAssessed => d > self.shifted(start, self.exclusion_offset),
            CoverType::None => false,
        }
    }

    /// Where a valid row stands on `asOf` and its reporting deadline (BAT-4), under the cover
    /// `cover_type` it was delivered with: the rules of [`crate::overdue::InvoiceFacts::status`]
    /// for an invoice of `units`, paid in full on `paid` (OVD-1, OVD-4, DIS-6); `threshold` is
    /// [`Batch::threshold_units`] at the units' scale.
    fn overdue(
        &self,
        delivered: i32,
        due: i32,
        paid: i32,
        (units, threshold): (i128, i128),
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
        let above = above(units, threshold);
        // Automatic cover has a named limit's duties (DIS-7).
        let named = matches!(cover_type, CoverType::NamedLimit | CoverType::Automatic);
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
        let rows = Rows::new(ledger.buyer.len(), prepared.scale, prepared.order.is_none());
        let (rows, late, mut bad) = self.sweep(ledger, &prepared, rows, 0..ledger.buyer.len())?;
        let mut out = rows.finish();
        let mut errors = prepared.errors;
        if !late.is_empty() || !bad.is_empty() {
            errors.append(&mut bad);
            errors.extend(late);
            errors.sort_by_key(|e| e.0);
        }
        out.errors = errors;
        Ok(out)
    }

    /// The row pass of [`Batch::cover`] over prepared rows, its results written to `out`:
    /// `out`, the rows whose outstanding overflowed, and the rows it found bad (a ledger taken
    /// in row order is checked here).
    ///
    /// `range`: the rows whose results are written, all of them or, for a ledger in date
    /// order whose sums fit in `i64` ([`fits_i64`]), a range of rows: the state of the rows
    /// before it is carried first ([`Batch::carry`]), and the row pass runs from its start.
    fn sweep(
        &self,
        ledger: &Ledger<'_>,
        prepared: &Prepared<'_>,
        out: Rows,
        range: Range<usize>,
    ) -> Result<(Rows, RowErrors, RowErrors), Error> {
        // One pass for each width of the amounts, and for ledgers with and without an
        // end-of-month column: without one, the pass has no end-of-month terms to look at
        // (measured: about 5 % fewer instructions).
        let narrow = prepared.narrow;
        if range.start > 0 && (!narrow || prepared.order.is_some()) {
            return Err(Error::Internal {
                detail: "a range of rows of a ledger the row pass takes whole".into(),
            });
        }
        match (narrow, ledger.end_of_month.is_some()) {
            (true, false) => self.sweep_in::<i64, false>(ledger, prepared, out, range),
            (true, true) => self.sweep_in::<i64, true>(ledger, prepared, out, range),
            (false, false) => self.sweep_in::<i128, false>(ledger, prepared, out, range),
            (false, true) => self.sweep_in::<i128, true>(ledger, prepared, out, range),
        }
    }

    /// [`Batch::sweep`], computing amounts in `U`, for a ledger with an end-of-month column
    /// when `EOM`.
    fn sweep_in<U: Units, const EOM: bool>(
        &self,
        ledger: &Ledger<'_>,
        prepared: &Prepared<'_>,
        mut out: Rows,
        range: Range<usize>,
    ) -> Result<(Rows, RowErrors, RowErrors), Error> {
        let threshold = self.threshold_units(prepared.scale);
        let n = ledger.buyer.len();
        let plans = self.plans(prepared.scale)?;
        // Per buyer, what the row pass reads and writes for each of its rows; the caps change
        // on the switch days, (day, which cap, buyer) in order.
        let mut state: Vec<BuyerState<U>> = plans
            .iter()
            .map(|p| BuyerState {
                owed: U::ZERO,
                cap: U::cap(p.caps.first().map_or(0, |c| c.0)),
            })
            .collect();
        let mut covers: Vec<BuyerCover> = plans
            .iter()
            .map(|p| BuyerCover {
                cover: p.caps.first().map_or(CoverType::None, |c| c.1),
                excluding: false,
            })
            .collect();
        let mut buyer_triggers = vec![
            BuyerTriggers {
                open: 0,
                first: i32::MAX
            };
            plans.len()
        ];
        let mut switches: Vec<(i32, usize, u32)> = plans
            .iter()
            .zip(0u32..)
            .flat_map(|(p, b)| {
                p.switches
                    .iter()
                    .zip(1usize..)
                    .map(move |(&day, which)| (day, which, b))
            })
            .collect();
        switches.sort_unstable();
        let mut next_switch = switches.iter().peekable();
        // BAT-1 as a sweep: rows in date order; a row still outstanding after its delivery day
        // (paid later) waits, with its buyer and amount, in the queue of the first delivery day
        // on or after its payment, and leaves what its buyer owes when the sweep reaches that
        // day. A queue is allocated at its first payment, for as many rows as a delivery day
        // has on average, so that the memory of the days already swept serves the later ones.
        let days = &prepared.days;
        let mut payments: Vec<Vec<Payment>> = vec![Vec::new(); days.len()];
        let queue_size = range.len() / days.len().max(1);
        // BAT-6: an overdue above the threshold still unpaid on its reporting date opens on
        // that day and closes on its payment: both wait in the queue of the first delivery day
        // on or after, in the order the rows came (a row's opening before its closing).
        let mut triggers: Vec<Vec<Trigger>> = vec![Vec::new(); days.len()];
        if range.start > 0 {
            // The day of the range's first row the caller did not find bad (the dates of those
            // rows are in order): the state of the rows before it as the row pass has it there.
            let first = runs_between(n, &prepared.errors)
                .find_map(|run| (run.start.max(range.start)..run.end).next())
                .filter(|&i| i < range.end)
                .and_then(|i| ledger.date.get(i).copied());
            if let Some(day) = first {
                self.carry::<U, EOM>(
                    ledger,
                    prepared,
                    (range.start, day, threshold, queue_size),
                    (&mut state, &mut covers, &mut buyer_triggers),
                    (&mut payments, &mut triggers),
                );
            }
        }
        // The delivery days before this position are swept: their queues are emptied.
        let mut swept = 0usize;
        let mut bad: RowErrors = Vec::new();
        let mut late: Vec<(usize, Error)> = Vec::new();
        let max_credit = self.policy.max_credit_period_days;
        let mut today: Option<(i32, usize)> = None;
        // One row not already found bad: its index, buyer, delivery day, amount (at the batch
        // scale), terms, end-of-month flag and payment date as given (NO_DATE when paid when
        // due). `ahead`: the buyers of the next rows, whose states are read first (see
        // READ_AHEAD), or none. Returns the row's results (`Row::EMPTY` for a row found bad).
        // Called from one place only, the loop below, so that it is inlined there (a call per
        // row cost about 30 instructions, a tenth of the row pass).
        let mut take_row =
            |i: usize, b: u32, d: i32, a: i128, terms: u32, eom: bool, given_paid: i32, ahead: &[u32]| {
                if !ahead.is_empty() {
                    let mut sink = 0u64;
                    for &next in ahead {
                        sink ^= state.get(next as usize).map_or(0, |s| s.owed.widen() as u64);
                    }
                    std::hint::black_box(sink);
                }
                // BAT-1: the due date and the payment date; the usual row on day numbers, any
                // other through `row`, which describes a bad row.
                let (due, paid) = match self.plain(b, d, a, terms, eom, given_paid) {
                    Some(x) => x,
                    None => match self.row(ledger, &prepared.amount, i, self.start_days_if_any()) {
                        Ok(x) => x,
                        Err(e) => {
                            bad.push((i, e));
                            return Row::EMPTY;
                        }
                    },
                };
                let day_index = match today {
                    Some((day, k)) if day == d => k,
                    _ => {
                        // The position of the day (a delivery day: it is listed), after the days
                        // swept; the queues of the days up to it are emptied.
                        let Some(k) = days.first_from(d, swept) else {
                            return Row::EMPTY;
                        };
                        today = Some((d, k));
                        for j in swept..=k {
                            for p in payments.get_mut(j).map(std::mem::take).unwrap_or_default() {
                                let (buyer, amount) = p.of(ledger.buyer, &prepared.amount);
                                if let Some(s) = state.get_mut(buyer) {
                                    s.owed -= U::narrow(amount);
                                }
                            }
                            for t in triggers.get_mut(j).map(std::mem::take).unwrap_or_default() {
                                let b = t.buyer as usize;
                                if let (Some(bt), Some(c)) = (buyer_triggers.get_mut(b), covers.get_mut(b)) {
                                    if t.opens {
                                        bt.open += 1;
                                        bt.first = bt.first.min(t.duty);
                                    } else {
                                        bt.open = bt.open.saturating_sub(1);
                                    }
                                    c.excluding = bt.open > 0;
                                }
                            }
                        }
                        swept = k + 1;
                        while let Some(&&(day, which, buyer)) = next_switch.peek() {
                            if day > d {
                                break;
                            }
                            next_switch.next();
                            if let (Some(s), Some(c), Some(p)) = (
                                state.get_mut(buyer as usize),
                                covers.get_mut(buyer as usize),
                                plans.get(buyer as usize),
                            ) {
                                if let Some(&(cap, ty)) = p.caps.get(which) {
                                    s.cap = U::cap(cap);
                                    c.cover = ty;
                                }
                            }
                        }
                        k
                    }
                };
                // BAT-6: amount above the reporting threshold and still unpaid on the day before
                // its reporting date (OVD-2, OVD-4): from its reporting date to its payment.
                if paid > due {
                    let duty = self.duty_day(due);
                    if paid >= duty && above(a, threshold) {
                        for (day, opens) in [(duty, true), (paid, false)] {
                            if let Some(queue) = days.first_from(day, day_index).and_then(|k| triggers.get_mut(k)) {
                                queue.push(Trigger { buyer: b, opens, duty });
                            }
                        }
                    }
                }
                let (Some(s), Some(&BuyerCover { cover, excluding })) =
                    (state.get_mut(b as usize), covers.get(b as usize))
                else {
                    return Row::EMPTY;
                };
                let a_units = U::narrow(a);
                let before = s.owed;
                let Some(after) = before.checked_add(a_units) else {
                    // Never added, so never queued for its payment either.
                    late.push((
                        i,
                        Error::Overflow {
                            field: format!("rows[{i}].amount"),
                        },
                    ));
                    return Row::EMPTY;
                };
                // BAT-2: the single-delivery rules, via the prepared cover of the buyer. Without
                // end-of-month terms `CoverContext::blocks` comes down to the buyer (in its cover type)
                // and the terms against the maximum credit period.
                let blocked = terms > max_credit || (eom && self.end_of_month_blocks(b, terms, d));
                let excluded = excluding
                    && self.excludes(
                        b,
                        cover,
                        d,
                        buyer_triggers.get(b as usize).map_or(i32::MAX, |t| t.first),
                    );
                let (cover_type, covered) = if blocked || cover == CoverType::None {
                    (CoverType::None, U::ZERO)
                } else if excluded {
                    (cover, U::ZERO)
                } else {
                    (cover, s.cap.less(before).max(U::ZERO).min(a_units))
                };
                if paid > d {
                    s.owed = after;
                    if let Some(k) = days.first_from(paid, day_index) {
                        if let Some(queue) = payments.get_mut(k) {
                            if queue.capacity() == 0 {
                                queue.reserve(queue_size);
                            }
                            queue.push(Payment::new(a_units, b, i));
                        }
                    }
                }
                let (status, report_by) = self.overdue(d, due, paid, (a, threshold), cover_type);
                Row {
                    outstanding: before.widen(),
                    covered: covered.widen(),
                    uncovered: (a_units - covered).widen(),
                    cover_type,
                    status,
                    report_by,
                }
            };
        // The rows are taken a stretch at a time, as slices side by side: for a ledger in date
        // order, the runs between its bad rows; else blocks of its valid rows in date order,
        // gathered into `gathered`.
        let mut runs = runs_between(n, &prepared.errors)
            .map(|run| run.start.max(range.start)..run.end.min(range.end))
            .filter(|run| !run.is_empty());
        let mut gathered = Gathered::default();
        let mut staged = Staged::default();
        let mut taken = 0usize;
        loop {
            let stretch = match &prepared.order {
                None => {
                    let Some(run) = runs.next() else { break };
                    let Some(stretch) = Stretch::run(ledger, &prepared.amount, run) else {
                        continue;
                    };
                    stretch
                }
                Some(order) => {
                    let Some(block) = order
                        .get(taken..order.len().min(taken + GATHER))
                        .filter(|b| !b.is_empty())
                    else {
                        break;
                    };
                    taken += block.len();
                    gathered.fill(ledger, &prepared.amount, block);
                    gathered.stretch()
                }
            };
            // READ_AHEAD rows at a time, the first of them with the buyers of all.
            let len = stretch.buyer.len();
            let mut from = 0usize;
            while from < len {
                let to = len.min(from + READ_AHEAD);
                let mut ahead = stretch.buyer.get(from..to).unwrap_or_default();
                let mut staged_to = 0usize;
                for k in from..to {
                    let (Some(&b), Some(&d), Some(&a), Some(&t)) = (
                        stretch.buyer.get(k),
                        stretch.date.get(k),
                        stretch.amount.get(k),
                        stretch.terms.get(k),
                    ) else {
                        break;
                    };
                    let i = match stretch.rows {
                        StretchRows::From(start) => start + k,
                        StretchRows::Listed(rows) => rows.get(k).map_or(usize::MAX, |&r| r as usize),
                    };
                    let eom = EOM && stretch.eom.and_then(|e| e.get(k)).copied().unwrap_or(false);
                    let p = stretch.paid.and_then(|p| p.get(k)).copied().unwrap_or(NO_DATE);
                    staged.set(staged_to, take_row(i, b, d, a, t, eom, p, ahead));
                    ahead = &[];
                    staged_to += 1;
                }
                match stretch.rows {
                    StretchRows::From(start) => out.append(start + from, &staged, staged_to),
                    StretchRows::Listed(rows) => {
                        out.scatter(&staged, rows.get(from..from + staged_to).unwrap_or_default());
                    }
                }
                from = to;
            }
        }
        Ok((out, late, bad))
    }

    /// The state the row pass has of the rows before row `upto` (BAT-1, BAT-6) when it takes
    /// its first row on `day` (the delivery day of the first row at or after `upto` not
    /// already bad), without their results: what each buyer owes, the triggering overdues
    /// open and the earliest reporting date so far, and in the queues of the days after
    /// `day`, the payments and the overdues' openings and closings still to come, in the
    /// order the rows came. Only for the row pass in `i64` ([`fits_i64`]), where no sum
    /// overflows: then a row adds to what its buyer owes on `day` exactly when it is valid
    /// and paid after `day`, whatever came before it.
    ///
    /// A row paid on or before `day` (most of them) touches no buyer's state, unless it is a
    /// triggering overdue: its reporting date, when on or before `day`, counts towards the
    /// buyer's earliest. Such a quiet row is found without branches, [`CARRY_CHUNK`] rows at
    /// a time ([`loud_mask`]: a read of its date, terms and payment date, 12 bytes); only
    /// the others, the loud rows, are taken one by one, as the row pass takes them. What
    /// the loud rows add to what each buyer owes is added up apart (8 bytes a buyer, which
    /// stay in the cache better than the row pass's 16) and then added to the state; the
    /// queues of payments are reserved as the row pass reserves them. Measured on a 10M-row
    /// ledger (`benches/batch.rs`, `carry`): 0.65 to 0.85 of the time of the row-by-row
    /// carry it replaces (about as many instructions, fewer branches mispredicted), most of
    /// what is left in the loud rows (about a third of the rows carried there: those still
    /// owed), their amounts read and their payments queued in new memory.
    #[allow(clippy::type_complexity)]
    fn carry<U: Units, const EOM: bool>(
        &self,
        ledger: &Ledger<'_>,
        prepared: &Prepared<'_>,
        (upto, day, threshold, queue_size): (usize, i32, i128, usize),
        (state, covers, buyer_triggers): (&mut [BuyerState<U>], &mut [BuyerCover], &mut [BuyerTriggers]),
        (payments, triggers): (&mut [Vec<Payment>], &mut [Vec<Trigger>]),
    ) {
        let days = &prepared.days;
        let Some(today) = days.first_from(day, 0) else {
            return;
        };
        let start = self.start_days_if_any();
        // A row without end-of-month terms, when the start day does not count, is due `d + t`
        // days (if valid): it is quiet, touching no state on `day`, when paid by then and not
        // paid on or after its reporting date (never a triggering overdue). The other rows
        // are loud: taken as the row pass takes them.
        let quick = match u32::try_from(self.duty_offset) {
            Ok(offset) if self.day_count == DayCount::ExcludeStartDay => Some(offset),
            _ => None,
        };
        // A loud row `i` (delivery day `d`, terms `t`, end-of-month flag `eom`, payment date
        // as given `p`): what the row pass leaves of it on `day`.
        // What each buyer owes, added up apart from the rest of its state (half as large, so
        // that more of it stays in the cache as the columns stream past), then added to it.
        let mut owed = vec![U::ZERO; state.len()];
        let mut loud_row = |i: usize, d: i32, t: u32, eom: bool, p: i32| {
            let (Some(&b), Some(&a)) = (ledger.buyer.get(i), prepared.amount.get(i)) else {
                return;
            };
            let (due, paid) = match self.plain(b, d, a, t, eom, p) {
                Some(x) => x,
                None => match self.row(ledger, &prepared.amount, i, start) {
                    Ok(x) => x,
                    Err(_) => return,
                },
            };
            // BAT-6, as the row pass queues and then takes a triggering overdue.
            if paid > due {
                let duty = self.duty_day(due);
                if paid >= duty && above(a, threshold) {
                    let mut queue = |at: i32, opens: bool| {
                        if let Some(q) = days.first_from(at, today).and_then(|j| triggers.get_mut(j)) {
                            q.push(Trigger { buyer: b, opens, duty });
                        }
                    };
                    if duty <= day {
                        if let Some(bt) = buyer_triggers.get_mut(b as usize) {
                            bt.first = bt.first.min(duty);
                            if paid > day {
                                bt.open += 1;
                            }
                        }
                        if paid > day {
                            queue(paid, false);
                        }
                    } else {
                        queue(duty, true);
                        queue(paid, false);
                    }
                }
            }
            // BAT-1: still owed on `day`.
            if paid > day {
                let a_units = U::narrow(a);
                if let Some(o) = owed.get_mut(b as usize) {
                    *o = o.checked_add(a_units).unwrap_or(*o);
                }
                // Reserved as the row pass reserves them (which then adds to them).
                if let Some(queue) = days.first_from(paid, today).and_then(|j| payments.get_mut(j)) {
                    if queue.capacity() == 0 {
                        queue.reserve(queue_size);
                    }
                    queue.push(Payment::new(a_units, b, i));
                }
            }
        };
        for run in runs_between(upto, &prepared.errors) {
            let (Some(date), Some(terms)) = (ledger.date.get(run.clone()), ledger.terms_days.get(run.clone())) else {
                continue;
            };
            let paid = ledger.paid_on.and_then(|p| p.get(run.clone()));
            let eom = if EOM {
                ledger.end_of_month.and_then(|e| e.get(run.clone()))
            } else {
                None
            };
            // CARRY_CHUNK rows at a time: which are loud, as the bits of a mask (a loop
            // without branches over the chunk's columns), then those rows one by one; the
            // rows after the last whole chunk all loud.
            let mut from = 0usize;
            while from < date.len() {
                let to = date.len().min(from + CARRY_CHUNK);
                let (Some(d), Some(t)) = (date.get(from..to), terms.get(from..to)) else {
                    break;
                };
                let p = paid.and_then(|p| p.get(from..to));
                let e = eom.and_then(|e| e.get(from..to));
                let whole = (
                    <&[i32; CARRY_CHUNK]>::try_from(d),
                    <&[u32; CARRY_CHUNK]>::try_from(t),
                    p.map(<&[i32; CARRY_CHUNK]>::try_from).transpose(),
                    e.map(<&[bool; CARRY_CHUNK]>::try_from).transpose(),
                );
                let mut loud = match (quick, whole) {
                    (Some(offset), (Ok(d), Ok(t), Ok(p), Ok(e))) => loud_mask(day, offset, d, t, p, e),
                    _ => u64::MAX >> (CARRY_CHUNK - d.len()),
                };
                let at = run.start + from;
                while loud != 0 {
                    let j = loud.trailing_zeros() as usize;
                    loud &= loud - 1;
                    let (Some(&dj), Some(&tj)) = (d.get(j), t.get(j)) else {
                        break;
                    };
                    let ej = e.and_then(|e| e.get(j)).copied().unwrap_or(false);
                    let pj = p.and_then(|p| p.get(j)).copied().unwrap_or(NO_DATE);
                    loud_row(at + j, dj, tj, ej, pj);
                }
                from = to;
            }
        }
        for (s, &o) in state.iter_mut().zip(&owed) {
            s.owed = s.owed.checked_add(o).unwrap_or(s.owed);
        }
        for (c, t) in covers.iter_mut().zip(buyer_triggers.iter()) {
            c.excluding = t.open > 0;
        }
    }

    /// The time of `times` runs of [`Batch::carry`] of the rows before row `upto` (a ledger
    /// in date order, sums in `i64`), for `benches/batch.rs`: what a thread of
    /// [`Batch::cover_chunks`] starting at `upto` does before its range (the ledger prepared
    /// once, as there, outside the time).
    #[doc(hidden)]
    pub fn time_carry(&self, ledger: &Ledger<'_>, upto: usize, times: u64) -> Result<std::time::Duration, Error> {
        let prepared = match self.prepare_in_row_order(ledger, Vec::new())? {
            Ok(p) if p.narrow => p,
            _ => return Ok(std::time::Duration::ZERO),
        };
        let plans = self.plans(prepared.scale)?;
        let day = ledger.date.get(upto).copied().unwrap_or(0);
        let threshold = self.threshold_units(prepared.scale);
        let days = prepared.days.len();
        // As the row pass of the rows from `upto` reserves its queues.
        let queue_size = ledger.buyer.len().saturating_sub(upto) / days.max(1);
        let clock = std::time::Instant::now();
        for _ in 0..times {
            let mut state: Vec<BuyerState<i64>> = plans.iter().map(|_| BuyerState { owed: 0, cap: 0 }).collect();
            let mut covers: Vec<BuyerCover> = plans
                .iter()
                .map(|_| BuyerCover {
                    cover: CoverType::None,
                    excluding: false,
                })
                .collect();
            let mut triggered = vec![
                BuyerTriggers {
                    open: 0,
                    first: i32::MAX
                };
                plans.len()
            ];
            let mut payments: Vec<Vec<Payment>> = vec![Vec::new(); days];
            let mut triggers: Vec<Vec<Trigger>> = vec![Vec::new(); days];
            self.carry::<i64, false>(
                ledger,
                &prepared,
                (upto, day, threshold, queue_size),
                (&mut state, &mut covers, &mut triggered),
                (&mut payments, &mut triggers),
            );
            std::hint::black_box((&state, &payments));
        }
        Ok(clock.elapsed())
    }

    /// Each buyer's peak and current exposure over the valid rows of the ledger, through
    /// [`peak_outstanding`] (BAT-3, EXP-1), with the cover it has on `asOf`. One entry per
    /// buyer of the table, in its order; the row errors are those of [`Batch::cover`].
    pub fn exposures(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: Vec<(usize, Error)>,
    ) -> Result<(Vec<BuyerExposure>, RowErrors), Error> {
        self.exposures_of(ledger, pre_errors, 0..self.contexts.len())
    }

    /// [`Batch::exposures`] for the buyers `buyers` only (a ledger holding no rows of the
    /// others): one entry per buyer of the range, in its order.
    fn exposures_of(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: Vec<(usize, Error)>,
        buyers: Range<usize>,
    ) -> Result<(Vec<BuyerExposure>, RowErrors), Error> {
        let prepared = self.prepare(ledger, pre_errors)?;
        let rows = Rows::new(ledger.buyer.len(), prepared.scale, prepared.order.is_none());
        let (rows, _, found) = self.sweep(ledger, &prepared, rows, 0..ledger.buyer.len())?;
        let covered = rows.finish().covered;
        let mut errors = prepared.errors;
        errors.extend(found);
        errors.sort_by_key(|e| e.0);
        // The valid rows in (date, row) order.
        let order: Vec<u32> = match &prepared.order {
            Some(order) => order.clone(),
            None => valid_rows(ledger.buyer.len(), &errors).map(|i| i as u32).collect(),
        };
        let exposures = self.curves(
            ledger,
            (&prepared.amount, prepared.scale),
            &order,
            |i| covered.get(i).copied(),
            buyers,
        )?;
        Ok((exposures, errors))
    }

    /// The entries of [`Batch::exposures`] for the buyers `buyers` (BAT-3, BAT-5): from the
    /// valid rows `order` (in (date, row) order) of those buyers (the others' are passed over),
    /// their `amount`s at the batch `scale`, and each row's covered part, `covered(row)`.
    ///
    /// A buyer's rows are grouped first: what its curve reads of each row is copied out in
    /// one pass over `order` (in row order for a ledger in date order), so that its rows are
    /// then read side by side rather than each from five columns of the whole ledger (a cache
    /// miss per column and row: most of the call's time before).
    pub(super) fn curves(
        &self,
        ledger: &Ledger<'_>,
        (amount, scale): (&[i128], u32),
        order: &[u32],
        covered: impl Fn(usize) -> Option<i128>,
        buyers: Range<usize>,
    ) -> Result<Vec<BuyerExposure>, Error> {
        let as_of_days = self.as_of_days;
        let paid = |i: usize| self.due_and_paid(ledger, amount, i).map_or(0, |x| x.1);
        // Per buyer of the range (by its place in it): where its rows start in `grouped`.
        let local = |b: u32| (b as usize).checked_sub(buyers.start).filter(|&k| k < buyers.len());
        let mut starts = vec![0usize; buyers.len() + 1];
        for &r in order {
            if let Some(s) = ledger
                .buyer
                .get(r as usize)
                .and_then(|&b| local(b))
                .and_then(|k| starts.get_mut(k + 1))
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
        let mut grouped = vec![CurveRow::default(); starts.last().copied().unwrap_or(0)];
        // BAT-5: the covered parts of the rows open at the end of `asOf`, per buyer.
        let mut open_covered = vec![0i128; buyers.len()];
        for &r in order {
            let i = r as usize;
            let Some(k) = ledger.buyer.get(i).and_then(|&b| local(b)) else {
                continue;
            };
            let (Some(&d), p, Some(c)) = (ledger.date.get(i), paid(i), covered(i)) else {
                continue;
            };
            // A row delivered by `asOf` and paid after it is open at its end.
            if d <= as_of_days && p > as_of_days {
                if let Some(o) = open_covered.get_mut(k) {
                    *o = o.saturating_add(c);
                }
            }
            if let Some(slot) = next.get_mut(k) {
                if let Some(g) = grouped.get_mut(*slot) {
                    *g = CurveRow {
                        amount: amount.get(i).copied().unwrap_or(0),
                        row: r,
                        day: d,
                        paid: p,
                    };
                }
                *slot += 1;
            }
        }
        let mut deliveries: Vec<Delivery> = Vec::new();
        let mut payments: Vec<(i32, i128)> = Vec::new();
        let mut result = Vec::with_capacity(buyers.len());
        for (k, (b, context)) in self
            .contexts
            .iter()
            .enumerate()
            .take(buyers.end)
            .skip(buyers.start)
            .enumerate()
        {
            let (from, to) = (
                starts.get(k).copied().unwrap_or(0),
                starts.get(k + 1).copied().unwrap_or(0),
            );
            let rows = grouped.get(from..to).unwrap_or(&[]);
            let (peak, peak_date, current) = match day_curve(rows, scale, as_of_days, self.currency, &mut payments) {
                Some(curve) => curve,
                None => self.curve_of(rows, scale, &mut deliveries)?,
            };
            let cap = context.cap_on(self.as_of);
            let open =
                Decimal::try_from_i128_with_scale(open_covered.get(k).copied().unwrap_or(0), scale).map_err(|_| {
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
                peak,
                peak_date,
                current,
                cover_type: cap.cover_type,
                limit: cap.limit,
                rows: to - from,
                open_covered: Money::new(open, self.currency),
                expected_indemnity: Money::new(indemnity, self.currency).rounded(),
            });
        }
        Ok(result)
    }

    /// A buyer's peak, its first day and what it owes at the end of `asOf` (BAT-3, EXP-1):
    /// [`peak_outstanding`] over its valid rows (`rows`, in delivery-day order) as
    /// [`Delivery`]s, the current figure the last point of its curve on or before `asOf`. The
    /// general path, for the rows [`day_curve`] leaves to it.
    fn curve_of(
        &self,
        rows: &[CurveRow],
        scale: u32,
        deliveries: &mut Vec<Delivery>,
    ) -> Result<(Money, Option<NaiveDate>, Money), Error> {
        deliveries.clear();
        for row in rows {
            let amount = Decimal::try_from_i128_with_scale(row.amount, scale).map_err(|_| Error::Overflow {
                field: format!("rows[{}].amount", row.row),
            })?;
            deliveries.push(Delivery {
                amount: Money::new(amount, self.currency),
                delivery_date: date_from_days(row.day).unwrap_or(EPOCH),
                paid_on: date_from_days(row.paid).unwrap_or(EPOCH),
            });
        }
        let exposure = peak_outstanding(deliveries, self.currency)?;
        let current = exposure
            .curve
            .iter()
            .take_while(|(date, _)| *date <= self.as_of)
            .last()
            .map_or(Money::zero(self.currency), |(_, m)| *m);
        Ok((exposure.peak, exposure.peak_date, current))
    }
}

/// Units below which every amount and sum of [`day_curve`] is a [`Decimal`] of the batch
/// scale, added exactly (a mantissa of 96 bits, with room for a sum's carry).
const CURVE_UNITS: u128 = 1 << 95;

/// [`Batch::curve_of`] on day numbers and units, without a [`Decimal`] or a date per row: the
/// same merge of deliveries and payments as [`peak_outstanding`] (a day's deliveries added,
/// then its payments taken off, then the peak checked), so the same peak, first day of the
/// peak and current figure, each of the same scale (a figure never reached is
/// [`Decimal::ZERO`], as there). `None` (the caller then takes the general path, which gives
/// the same figures or the error) when the scale is beyond a [`Decimal`]'s, a day is outside
/// the dates [`date_from_days`] reads, or an amount or a sum reaches [`CURVE_UNITS`].
/// `payments` is scratch space.
fn day_curve(
    rows: &[CurveRow],
    scale: u32,
    as_of: i32,
    currency: Currency,
    payments: &mut Vec<(i32, i128)>,
) -> Option<(Money, Option<NaiveDate>, Money)> {
    let (first, last) = (days_from_date(NaiveDate::MIN), days_from_date(NaiveDate::MAX));
    if scale > Decimal::MAX_SCALE {
        return None;
    }
    payments.clear();
    for row in rows {
        let in_range = (first..=last).contains(&row.day) && (first..=last).contains(&row.paid);
        if !in_range || row.amount.unsigned_abs() >= CURVE_UNITS {
            return None;
        }
        payments.push((row.paid, row.amount));
    }
    payments.sort_unstable_by_key(|p| p.0);
    let (mut i, mut j) = (0usize, 0usize);
    let (mut outstanding, mut peak) = (0i128, 0i128);
    let (mut peak_day, mut current) = (None, None);
    loop {
        let day = match (rows.get(i), payments.get(j)) {
            (Some(r), Some(p)) => r.day.min(p.0),
            (Some(r), None) => r.day,
            (None, Some(p)) => p.0,
            (None, None) => break,
        };
        while let Some(r) = rows.get(i).filter(|r| r.day == day) {
            outstanding += r.amount;
            if outstanding.unsigned_abs() >= CURVE_UNITS {
                return None;
            }
            i += 1;
        }
        while let Some(p) = payments.get(j).filter(|p| p.0 == day) {
            outstanding -= p.1;
            j += 1;
        }
        if outstanding > peak {
            peak = outstanding;
            peak_day = Some(day);
        }
        if day <= as_of {
            current = Some(outstanding);
        }
    }
    let money = |units: Option<i128>| -> Option<Money> {
        let amount = match units {
            Some(u) => Decimal::try_from_i128_with_scale(u, scale).ok()?,
            None => Decimal::ZERO,
        };
        Some(Money::new(amount, currency))
    };
    let peak_date = match peak_day {
        Some(d) => Some(date_from_days(d)?),
        None => None,
    };
    Some((money(peak_day.map(|_| peak))?, peak_date, money(current)?))
}

/// What [`Batch::exposures`] reads of a valid row for its buyer's curve (EXP-1): its amount (at
/// the batch scale), its row in the ledger (for an error), its delivery day and the day it is
/// paid (days since 1970-01-01).
#[derive(Debug, Clone, Copy, Default)]
struct CurveRow {
    amount: i128,
    row: u32,
    day: i32,
    paid: i32,
}

/// How many rows [`Batch::carry`] tells quiet from loud at a time: the bits of a `u64`.
const CARRY_CHUNK: usize = 64;

/// Which of up to [`CARRY_CHUNK`] rows (delivery days `d`, terms `t`, payment dates as given
/// `p`, end-of-month flags `e`) are loud for [`Batch::carry`] on `day`, as bits (row `j` is
/// bit `j`), for a policy whose start day does not count (a row is due `d + t` days) and
/// whose reporting date is `offset` days after the due date. A quiet row, whose bit is 0,
/// is one the row pass would have taken off its buyer's outstanding by `day` (paid on or
/// before it: by its due date when `p` is [`NO_DATE`]) and that is not a triggering overdue
/// (paid before its reporting date), when it is valid; a bad row is skipped either way.
/// The rows are dated on or before `day` (a ledger in date order). In 32-bit arithmetic
/// without branches, so that it runs at about the speed of reading the columns: `day - d`
/// and `p - d` as unsigned differences (exact for a valid row, `d <= p <= day`), and
/// `t + offset` saturated (a saturated sum is above any difference of a valid row).
#[inline]
fn loud_mask(
    day: i32,
    offset: u32,
    d: &[i32; CARRY_CHUNK],
    t: &[u32; CARRY_CHUNK],
    p: Option<&[i32; CARRY_CHUNK]>,
    e: Option<&[bool; CARRY_CHUNK]>,
) -> u64 {
    let mut flags = [0u8; CARRY_CHUNK];
    match p {
        Some(p) => {
            for (((f, &d), &t), &p) in flags.iter_mut().zip(d).zip(t).zip(p) {
                let age = day.wrapping_sub(d) as u32;
                let after = p.wrapping_sub(d) as u32;
                let unpaid = p == NO_DATE;
                let late = (p > day) | (after >= t.saturating_add(offset));
                *f = u8::from((unpaid & (t > age)) | (!unpaid & late));
            }
        }
        None => {
            for ((f, &d), &t) in flags.iter_mut().zip(d).zip(t) {
                *f = u8::from(t > day.wrapping_sub(d) as u32);
            }
        }
    }
    if let Some(e) = e {
        for (f, &e) in flags.iter_mut().zip(e) {
            *f |= u8::from(e);
        }
    }
    // Eight flags (bytes of 0 or 1) at a time to eight bits: the multiplier moves byte i's
    // bit to bit 56 + i, without carries.
    flags.chunks_exact(8).zip(0u32..).fold(0u64, |mask, (bytes, k)| {
        let bytes = u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
        mask | (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
    })
}

/// Rows checked and ordered, shared by [`Batch::cover`] and [`Batch::exposures`].
struct Prepared<'a> {
    amount: Cow<'a, [i128]>,
    scale: u32,
    /// The valid rows in (date, row) order, when the ledger is not in date order; `None` when
    /// it is (then its rows are taken as they come, and checked in the row pass).
    order: Option<Vec<u32>>,
    /// Bad rows by ascending row index: the caller's, and when `order` is set, all of them.
    errors: Vec<(usize, Error)>,
    /// The delivery days of the rows taken (when in row order, of every row not already bad).
    days: DeliveryDays,
    /// Whether the row pass computes in `i64` ([`fits_i64`] of `amount`).
    narrow: bool,
}

/// The runs of rows `0..n` between the rows of `bad` (by ascending row index), in order; a
/// run is empty between two bad rows side by side.
fn runs_between(n: usize, bad: &[(usize, Error)]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0usize;
    bad.iter().map(|e| e.0).chain([n]).map(move |to| {
        let run = from..to.min(n);
        from = to.saturating_add(1).max(from);
        run
    })
}

/// Rows `0..n` but those of `bad` (by ascending row index), ascending.
fn valid_rows(n: usize, bad: &[(usize, Error)]) -> impl Iterator<Item = usize> + '_ {
    runs_between(n, bad).flatten()
}

/// How many rows ahead the row pass reads the states of their buyers. Reading a buyer's state
/// at random is the row pass's slowest step (it is seldom in the cache: the row stream
/// evicts it); read for a run of rows in a loop of loads only, they are fetched at the same
/// time instead of one after the other. Measured on a 10M-row ledger of 20,000 buyers: about
/// 5-10 % less time for the cover.
const READ_AHEAD: usize = 64;

/// How many valid rows of a ledger not in date order the row pass gathers at a time.
const GATHER: usize = 1024;

/// Rows taken by the row pass as slices side by side (see [`Batch::sweep`]).
struct Stretch<'s> {
    rows: StretchRows<'s>,
    buyer: &'s [u32],
    date: &'s [i32],
    amount: &'s [i128],
    terms: &'s [u32],
    eom: Option<&'s [bool]>,
    paid: Option<&'s [i32]>,
}

/// The row indices of a [`Stretch`].
#[derive(Clone, Copy)]
enum StretchRows<'s> {
    /// Row `start + k`: a run of consecutive rows.
    From(usize),
    /// Row `rows[k]`: rows gathered.
    Listed(&'s [u32]),
}

impl<'s> Stretch<'s> {
    /// Rows `run` of the ledger, in place.
    fn run(ledger: &Ledger<'s>, amount: &'s [i128], run: Range<usize>) -> Option<Self> {
        Some(Stretch {
            rows: StretchRows::From(run.start),
            buyer: ledger.buyer.get(run.clone())?,
            date: ledger.date.get(run.clone())?,
            amount: amount.get(run.clone())?,
            terms: ledger.terms_days.get(run.clone())?,
            eom: ledger.end_of_month.and_then(|e| e.get(run.clone())),
            paid: ledger.paid_on.and_then(|p| p.get(run)),
        })
    }
}

/// The vector of `slot`, created if there is none, emptied.
fn emptied<T>(slot: &mut Option<Vec<T>>) -> &mut Vec<T> {
    let v = slot.get_or_insert_with(Vec::new);
    v.clear();
    v
}

/// Rows of a ledger copied out in a given order (see [`Stretch`]).
#[derive(Default)]
struct Gathered {
    rows: Vec<u32>,
    buyer: Vec<u32>,
    date: Vec<i32>,
    amount: Vec<i128>,
    terms: Vec<u32>,
    eom: Option<Vec<bool>>,
    paid: Option<Vec<i32>>,
}

impl Gathered {
    /// Copies out rows `rows` of the ledger (`amount` at the batch scale).
    fn fill(&mut self, ledger: &Ledger<'_>, amount: &[i128], rows: &[u32]) {
        self.rows.clear();
        self.buyer.clear();
        self.date.clear();
        self.amount.clear();
        self.terms.clear();
        // The optional columns: the ledger's, and the vector each is copied into (emptied).
        let mut eom = ledger.end_of_month.map(|c| (c, emptied(&mut self.eom)));
        let mut paid = ledger.paid_on.map(|c| (c, emptied(&mut self.paid)));
        for &r in rows {
            let i = r as usize;
            let (Some(&b), Some(&d), Some(&a), Some(&t)) = (
                ledger.buyer.get(i),
                ledger.date.get(i),
                amount.get(i),
                ledger.terms_days.get(i),
            ) else {
                continue;
            };
            self.rows.push(r);
            self.buyer.push(b);
            self.date.push(d);
            self.amount.push(a);
            self.terms.push(t);
            if let Some((column, e)) = eom.as_mut() {
                e.push(column.get(i).copied().unwrap_or(false));
            }
            if let Some((column, p)) = paid.as_mut() {
                p.push(column.get(i).copied().unwrap_or(NO_DATE));
            }
        }
    }

    fn stretch(&self) -> Stretch<'_> {
        Stretch {
            rows: StretchRows::Listed(&self.rows),
            buyer: &self.buyer,
            date: &self.date,
            amount: &self.amount,
            terms: &self.terms,
            eom: self.eom.as_deref(),
            paid: self.paid.as_deref(),
        }
    }
}

/// The distinct dates of the rows but `bad` (by ascending row index), ascending, when those
/// rows are in date order; `None` when they are not. Read a run of rows between two bad ones
/// at a time, as a slice.
#[cfg(test)]
fn days_if_sorted(date: &[i32], bad: &[(usize, Error)]) -> Option<Vec<i32>> {
    days_if_sorted_in(date, bad, 0..date.len())
}

/// [`days_if_sorted`] of the rows `rows` only.
fn days_if_sorted_in(date: &[i32], bad: &[(usize, Error)], rows: Range<usize>) -> Option<Vec<i32>> {
    let mut days = Vec::new();
    let mut last: Option<i32> = None;
    let from = bad.partition_point(|e| e.0 < rows.start);
    let to = bad.partition_point(|e| e.0 < rows.end);
    let runs = runs_between(rows.end, bad.get(from..to).unwrap_or_default())
        .map(|run| run.start.max(rows.start)..run.end)
        .filter(|run| !run.is_empty());
    for run in runs {
        for &d in date.get(run).unwrap_or_default() {
            if last != Some(d) {
                if last.is_some_and(|l| d < l) {
                    return None;
                }
                days.push(d);
                last = Some(d);
            }
        }
    }
    Some(days)
}

/// The largest key range a table over days may span for `n` rows.
fn dense_limit(n: usize) -> usize {
    n.saturating_mul(4).max(1 << 16)
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
    if range > dense_limit(rows.len()) {
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

/// Whether an amount of `units` is above the overdue reporting threshold (OVD-4) given as
/// [`Batch::threshold_units`]; an amount too large for a [`Decimal`] counts as above.
fn above(units: i128, threshold: i128) -> bool {
    units.unsigned_abs() > DECIMAL_MAX_UNITS || units > threshold
}

/// The distinct delivery days of the valid rows, ascending, with the position of the first
/// one on or after a given day: a table over the days when they span a short range.
struct DeliveryDays {
    days: Vec<i32>,
    /// `first[x]`: the position of the first delivery day on or after `days[0] + x`.
    first: Vec<u32>,
}

impl DeliveryDays {
    fn new(date: &[i32], order: &[u32]) -> Self {
        let mut days: Vec<i32> = Vec::new();
        for d in order.iter().filter_map(|&r| date.get(r as usize)) {
            if days.last() != Some(d) {
                days.push(*d);
            }
        }
        Self::from_days(days, order.len())
    }

    /// The table over `days` (ascending, distinct) of a ledger of `rows` rows.
    fn from_days(days: Vec<i32>, rows: usize) -> Self {
        let mut first = Vec::new();
        if let (Some(&lo), Some(&hi)) = (days.first(), days.last()) {
            let range = (i64::from(hi) - i64::from(lo) + 1) as usize;
            if range <= dense_limit(rows) {
                first.reserve(range);
                let mut k = 0usize;
                for day in lo..=hi {
                    while days.get(k).is_some_and(|&x| x < day) {
                        k += 1;
                    }
                    first.push(k as u32);
                }
            }
        }
        DeliveryDays { days, first }
    }

    fn len(&self) -> usize {
        self.days.len()
    }

    /// The position of the first delivery day on or after `day`, knowing it is after position
    /// `after`; `None` when there is none.
    fn first_from(&self, day: i32, after: usize) -> Option<usize> {
        let lo = *self.days.first()?;
        if !self.first.is_empty() {
            let x = usize::try_from(i64::from(day) - i64::from(lo)).ok()?;
            return self.first.get(x).map(|&k| k as usize);
        }
        let rest = self.days.get(after..)?;
        let k = after + rest.partition_point(|&x| x < day);
        (k < self.days.len()).then_some(k)
    }
}

fn in_buyer(i: usize, error: Error) -> Error {
    error.with_prefix(&format!("buyers[{i}]"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_row_pass_adds_in_i64_while_rows_times_the_largest_amount_is_under_2_pow_61_bat_1() {
        assert!(fits_i64(&[]));
        assert!(fits_i64(&[10, 20, 30]));
        // 4 rows × (2^59 - 1) = 2^61 - 4: under; 4 × (2^59 + 3) is over.
        assert!(fits_i64(&[1, (1 << 59) - 1, 2, 3]));
        assert!(!fits_i64(&[1, 1 << 59, 2, 3]));
        // A non-positive amount is a bad row, never added.
        assert!(fits_i64(&[i128::MIN, -(1 << 100), 0, 5]));
        assert!(!fits_i64(&[1 << 100]));
    }

    /// What `day_curve` must give: `peak_outstanding` over the rows as deliveries, the
    /// current figure the last point of its curve on or before `as_of` (`Batch::curve_of`).
    fn general_curve(rows: &[CurveRow], scale: u32, as_of: i32) -> (Money, Option<NaiveDate>, Money) {
        let eur = Currency::parse("c", "EUR").unwrap();
        let deliveries: Vec<Delivery> = rows
            .iter()
            .map(|r| Delivery {
                amount: Money::new(Decimal::from_i128_with_scale(r.amount, scale), eur),
                delivery_date: date_from_days(r.day).unwrap(),
                paid_on: date_from_days(r.paid).unwrap(),
            })
            .collect();
        let e = peak_outstanding(&deliveries, eur).unwrap();
        let as_of = date_from_days(as_of).unwrap();
        let current = e
            .curve
            .iter()
            .take_while(|(d, _)| *d <= as_of)
            .last()
            .map_or(Money::zero(eur), |(_, m)| *m);
        (e.peak, e.peak_date, current)
    }

    #[test]
    fn the_day_curve_leaves_amounts_near_96_bits_and_days_beyond_the_calendar_to_the_general_path() {
        let eur = Currency::parse("c", "EUR").unwrap();
        let row = |amount: i128, day: i32, paid: i32| CurveRow {
            amount,
            row: 0,
            day,
            paid,
        };
        let mut scratch = Vec::new();
        assert!(day_curve(&[row(1 << 95, 0, 10)], 2, 5, eur, &mut scratch).is_none());
        // Two amounts under the bound whose sum reaches it.
        let half = 1i128 << 94;
        assert!(day_curve(&[row(half, 0, 10), row(half, 1, 10)], 2, 5, eur, &mut scratch).is_none());
        assert!(day_curve(&[row(100, 0, i32::MAX)], 2, 5, eur, &mut scratch).is_none());
        assert!(day_curve(&[row(100, 0, 10)], 29, 5, eur, &mut scratch).is_none());
        // Nothing: a peak and a current figure of zero, as `peak_outstanding` gives them.
        let (peak, date, current) = day_curve(&[], 2, 5, eur, &mut scratch).unwrap();
        assert_eq!(
            (peak.amount.to_string(), date, current.amount.to_string()),
            ("0".into(), None, "0".into())
        );
    }

    proptest::proptest! {
        /// BAT-3, EXP-1: the batch's curve on day numbers gives what `peak_outstanding` gives
        /// over the same rows as deliveries: the peak, its first day and the figure at the end
        /// of `asOf`, each of the same scale (its text equal), for rows paid on their delivery
        /// day or later, many on one day, some paid before `asOf` and some after.
        #[test]
        fn the_day_curve_gives_the_figures_of_peak_outstanding_bat_3_exp_1(
            scale in 0u32..4,
            as_of in -20i32..120,
            mut rows in proptest::collection::vec((1i128..1_000_000, -10i32..100, 0i32..60), 0..40),
        ) {
            rows.sort_by_key(|r| r.1);
            let rows: Vec<CurveRow> = (0u32..)
                .zip(&rows)
                .map(|(i, &(amount, day, wait))| CurveRow { amount, row: i, day, paid: day + wait })
                .collect();
            let eur = Currency::parse("c", "EUR").unwrap();
            let (peak, date, current) = day_curve(&rows, scale, as_of, eur, &mut Vec::new()).unwrap();
            let (g_peak, g_date, g_current) = general_curve(&rows, scale, as_of);
            proptest::prop_assert_eq!(peak.amount.to_string(), g_peak.amount.to_string());
            proptest::prop_assert_eq!(date, g_date);
            proptest::prop_assert_eq!(current.amount.to_string(), g_current.amount.to_string());
        }
    }

    proptest::proptest! {
        /// `loud_mask` marks quiet exactly the valid rows that the carry's rule calls quiet
        /// (BAT-1, BAT-6): without end-of-month terms, paid on or before `day` (by the due
        /// date `d + t` when no payment date is given) and before the reporting date
        /// (`offset` days after the due date).
        #[test]
        fn the_carry_finds_the_quiet_rows_of_a_chunk_as_the_row_by_row_rule_does(
            day in -5000i32..5000,
            offset in proptest::prop_oneof![0u32..200, proptest::prelude::Just(u32::MAX - 3)],
            rows in proptest::collection::vec(
                (0u32..400, 0u32..=MAX_PERIOD_DAYS, proptest::option::of(0u32..600), proptest::prelude::any::<bool>()),
                CARRY_CHUNK,
            ),
            with_paid in proptest::prelude::any::<bool>(),
            with_eom in proptest::prelude::any::<bool>(),
        ) {
            // Valid rows dated on or before `day`, paid on or after their delivery.
            let d: Vec<i32> = rows.iter().map(|r| day - r.0 as i32).collect();
            let t: Vec<u32> = rows.iter().map(|r| r.1).collect();
            let p: Vec<i32> = rows
                .iter()
                .zip(&d)
                .map(|(r, &d)| if with_paid { r.2.map_or(NO_DATE, |x| d + x as i32) } else { NO_DATE })
                .collect();
            let e: Vec<bool> = rows.iter().map(|r| with_eom && r.3).collect();
            let mask = loud_mask(
                day,
                offset,
                d.as_slice().try_into().unwrap(),
                t.as_slice().try_into().unwrap(),
                with_paid.then(|| p.as_slice().try_into().unwrap()),
                with_eom.then(|| e.as_slice().try_into().unwrap()),
            );
            for j in 0..CARRY_CHUNK {
                let due = i64::from(d[j]) + i64::from(t[j]);
                let quiet = !e[j]
                    && if p[j] == NO_DATE {
                        due <= i64::from(day)
                    } else {
                        p[j] <= day && i64::from(p[j]) < due + i64::from(offset)
                    };
                proptest::prop_assert_eq!(mask >> j & 1 == 0, quiet, "row {}", j);
            }
        }

        /// The scans of the dates and amounts on several threads, a range of rows each, give
        /// what one pass gives: the delivery days of a ledger in date order (none out of it),
        /// between the bad rows, and the bits of its amounts.
        #[test]
        fn the_dates_and_amounts_scanned_in_parts_are_those_of_one_pass(
            n in 0usize..4 * threads::MIN_ROWS_PER_THREAD,
            seed in proptest::prelude::any::<u64>(),
            bad in proptest::collection::btree_set(0usize..4 * threads::MIN_ROWS_PER_THREAD, 0..8),
            swap in proptest::option::of(0usize..4 * threads::MIN_ROWS_PER_THREAD),
            parts in 1usize..5,
        ) {
            let mut x = seed | 1;
            let mut next = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            let mut date: Vec<i32> = (0..n).map(|_| (next() % 300) as i32).collect();
            date.sort_unstable();
            if let Some(i) = swap.filter(|&i| i + 1 < n) {
                date.swap(i, i + 1);
            }
            let amount: Vec<i128> = (0..n).map(|_| i128::from(next() % 5000) - 10).collect();
            let bad: RowErrors = bad
                .into_iter()
                .filter(|&i| i < n)
                .map(|i| (i, Error::MissingField { field: "x".into() }))
                .collect();
            let (days, bits) = threads::scan(&date, &amount, &bad, parts);
            proptest::prop_assert_eq!(days, days_if_sorted(&date, &bad));
            proptest::prop_assert_eq!(bits, amount_bits(&amount));
        }
    }

    #[test]
    fn delivery_days_are_read_between_the_bad_rows_and_only_of_a_sorted_ledger() {
        let bad = |rows: &[usize]| -> Vec<(usize, Error)> {
            rows.iter()
                .map(|&i| {
                    (
                        i,
                        Error::MissingField {
                            field: format!("rows[{i}].date"),
                        },
                    )
                })
                .collect()
        };
        assert_eq!(days_if_sorted(&[], &[]), Some(vec![]));
        assert_eq!(days_if_sorted(&[3, 3, 5, 9, 9], &[]), Some(vec![3, 5, 9]));
        assert_eq!(days_if_sorted(&[3, 5, 4], &[]), None);
        // Rows 1 and 3 are bad: their dates neither count nor break the order.
        assert_eq!(days_if_sorted(&[3, 1, 5, 2, 5, 8], &bad(&[1, 3])), Some(vec![3, 5, 8]));
        assert_eq!(days_if_sorted(&[3, 1, 5, 2, 4], &bad(&[1, 3])), None);
        // Bad rows first, last and side by side.
        assert_eq!(days_if_sorted(&[9, 2, 7, 7, 0], &bad(&[0, 2, 3, 4])), Some(vec![2]));
        // The valid rows are those of the runs between them; a bad row past the end is none.
        assert_eq!(valid_rows(7, &bad(&[0, 2, 3, 6, 9])).collect::<Vec<_>>(), vec![1, 4, 5]);
        assert_eq!(valid_rows(3, &[]).collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn a_cap_past_i64_covers_what_it_covers_in_i128_bat_2() {
        // covered = clamp(cap - before, 0, a), with before and a under 2^61.
        let covered = |cap: i128, before: i128, a: i128| {
            let wide = <i128 as Units>::cap(cap).less(before).clamp(0, a);
            let narrow = <i64 as Units>::cap(cap)
                .less(i64::narrow(before))
                .clamp(0, i64::narrow(a));
            assert_eq!(i128::from(narrow), wide, "cap {cap}, before {before}, amount {a}");
            wide
        };
        let near = (1i128 << 61) - 1;
        assert_eq!(covered(i128::MAX, near, near), near);
        assert_eq!(covered(10i128.pow(22), 0, 7), 7);
        assert_eq!(covered(1 << 62, near, near), near);
        assert_eq!(covered(i128::MIN, 0, near), 0);
        assert_eq!(covered(-(1 << 62), 0, 5), 0);
        assert_eq!(covered(-1, 0, 5), 0);
        assert_eq!(covered(100, 60, 50), 40);
        assert_eq!(covered(100, 100, 50), 0);
    }
}
