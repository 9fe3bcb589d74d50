//! The batch on several threads (spec/batch.md, "Threads"). The rules are unchanged: every row
//! gets the figures of the single-threaded call.
//!
//! A ledger in date order (the usual one) whose sums fit in `i64` is split by row range
//! ([`Batch::cover_chunks`]): a row's figures depend on its buyer's earlier rows, so each
//! thread but the first first carries the state of the rows before its range
//! ([`Batch::carry`], much cheaper than the row pass: most rows are paid by then and touch no
//! state), then runs the row pass of [`Batch::cover`] over its range into result columns of
//! its own, a chunk of the result; the ranges are sized so that the threads do about as much
//! ([`row_ranges`]); [`Batch::exposures`] on such a ledger runs that row pass, then draws the
//! buyers' curves a range of buyers per thread. Any other ledger is split by buyer: buyers are
//! independent (BAT-1 sums a buyer's own rows, BAT-2..6 read only its own state), so the
//! buyers are cut into contiguous ranges of about as many rows each (counted in one pass over
//! the buyer column; a row whose buyer is not in the table goes with the last range, to be
//! found bad there), each part's rows copied out in their order (a ledger of their own),
//! through the single-threaded call, and the results written to the columns of the whole
//! ledger, a range of rows per thread. Errors name rows of the whole ledger (`rows[17].amount`),
//! as the single-threaded call does.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::thread;

use super::{Batch, BuyerExposure, CoverColumns, Ledger, Prepared, RowErrors, Rows, NO_DATE};
use crate::cover::CoverType;
use crate::error::Error;
use crate::overdue::InvoiceStatus;

/// Fewest rows a thread is given: a smaller ledger runs on fewer threads (one below twice this),
/// as starting a thread costs about what the row pass spends on a few hundred rows.
pub const MIN_ROWS_PER_THREAD: usize = 4096;

/// The threads [`Batch::cover_in_threads`] is meant to be given by default: as many as the
/// machine offers this process (`std::thread::available_parallelism`, which reads the CPU
/// affinity and cgroup quota on Linux), 1 when that is unknown. [`Batch::default_threads`]
/// gives fewer to a ledger too small for them.
pub fn available_threads() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Fewest rows per buyer of the batch a thread is given by [`Batch::default_threads`]: every
/// thread's row pass first sets up the state of every buyer of the batch, so a ledger with few
/// rows per buyer gains nothing from a second thread. Measured from Python on 2 cores with
/// 20,000 buyers (a prepared engine, `benches/RESULTS.md`, "Threads"): no faster at 100,000
/// and 300,000 rows (5 and 15 rows a buyer), 1.2× to 1.6× at 1M rows (50).
pub const MIN_ROWS_PER_BUYER_PER_THREAD: usize = 16;

impl Batch {
    /// The threads a call over a ledger of `rows` rows is given when its caller leaves the
    /// number open (the Python default): [`available_threads`], fewer so that each has at
    /// least [`MIN_ROWS_PER_THREAD`] rows and [`MIN_ROWS_PER_BUYER_PER_THREAD`] rows per buyer
    /// of the batch; at least 1. A number given explicitly is used as it is (up to the
    /// splits' own minimum of [`MIN_ROWS_PER_THREAD`] rows a thread).
    pub fn default_threads(&self, rows: usize) -> usize {
        let per_thread = MIN_ROWS_PER_BUYER_PER_THREAD
            .saturating_mul(self.buyers())
            .max(MIN_ROWS_PER_THREAD);
        available_threads().min(rows / per_thread).max(1)
    }
}

/// The buyers cut into contiguous ranges, a part each.
struct Split {
    /// Per buyer of the table, its part.
    part_of: Vec<u32>,
    /// Per part, its buyers; together all the buyers of the table, in order.
    buyers: Vec<Range<usize>>,
}

impl Split {
    /// Up to `threads` ranges of buyers (fewer for a ledger under [`MIN_ROWS_PER_THREAD`] rows
    /// a thread, or with fewer buyers), each with about as many of the `buyer` column's rows.
    fn new(buyers: usize, buyer: &[u32], threads: usize) -> Split {
        let n = buyer.len();
        let parts = threads.min(n / MIN_ROWS_PER_THREAD).min(buyers).max(1);
        let mut counts = vec![0usize; buyers];
        if parts > 1 {
            for &b in buyer {
                if let Some(c) = counts.get_mut(b as usize) {
                    *c += 1;
                }
            }
        }
        let mut ranges = Vec::with_capacity(parts);
        let (mut from, mut seen) = (0usize, 0usize);
        for (b, &c) in counts.iter().enumerate() {
            seen += c;
            // Part k ends at the first buyer by which (k + 1) / parts of the rows are seen.
            if ranges.len() + 1 < parts && seen.saturating_mul(parts) >= (ranges.len() + 1).saturating_mul(n) {
                ranges.push(from..b + 1);
                from = b + 1;
            }
        }
        ranges.push(from..buyers);
        let mut part_of = vec![0u32; buyers];
        for (k, range) in (0u32..).zip(&ranges) {
            if let Some(slots) = part_of.get_mut(range.clone()) {
                slots.fill(k);
            }
        }
        Split {
            part_of,
            buyers: ranges,
        }
    }

    /// The part of a row of buyer `b`; the last for a buyer not in the table.
    #[inline]
    fn part(&self, b: u32) -> usize {
        self.part_of
            .get(b as usize)
            .map_or(self.buyers.len().saturating_sub(1), |&k| k as usize)
    }
}

/// The rows of one part, copied out of the ledger: a ledger of their own.
struct Part {
    /// Their rows in the whole ledger, ascending.
    rows: Vec<u32>,
    buyer: Vec<u32>,
    amount: Vec<i128>,
    date: Vec<i32>,
    terms: Vec<u32>,
    eom: Option<Vec<bool>>,
    paid: Option<Vec<i32>>,
}

impl Part {
    /// The rows of part `k` of `ledger` (of at most `u32::MAX` rows).
    fn gather(ledger: &Ledger<'_>, split: &Split, k: usize) -> Part {
        let rows: Vec<u32> = (0u32..)
            .zip(ledger.buyer)
            .filter(|&(_, &b)| split.part(b) == k)
            .map(|(i, _)| i)
            .collect();
        fn pick<T: Copy + Default>(column: &[T], rows: &[u32]) -> Vec<T> {
            rows.iter()
                .map(|&r| column.get(r as usize).copied().unwrap_or_default())
                .collect()
        }
        Part {
            buyer: pick(ledger.buyer, &rows),
            amount: pick(ledger.amount, &rows),
            date: pick(ledger.date, &rows),
            terms: pick(ledger.terms_days, &rows),
            eom: ledger.end_of_month.map(|c| pick(c, &rows)),
            paid: ledger.paid_on.map(|c| pick(c, &rows)),
            rows,
        }
    }

    fn ledger(&self, scale: u32) -> Ledger<'_> {
        Ledger {
            buyer: &self.buyer,
            amount: &self.amount,
            scale,
            date: &self.date,
            terms_days: &self.terms,
            end_of_month: self.eom.as_deref(),
            paid_on: self.paid.as_deref(),
        }
    }

    /// The caller's bad rows of this part (by row of the whole ledger) by row of the part.
    fn local(&self, errors: RowErrors) -> RowErrors {
        errors
            .into_iter()
            .filter_map(|(i, e)| {
                let i = u32::try_from(i).ok()?;
                self.rows.binary_search(&i).ok().map(|j| (j, e))
            })
            .collect()
    }

    /// Errors about rows of the part as errors about rows of the whole ledger.
    fn global(&self, errors: RowErrors, into: &mut RowErrors) {
        for (j, e) in errors {
            let i = self.rows.get(j).map_or(j, |&r| r as usize);
            into.push((i, e.renumbered(j, i)));
        }
    }
}

/// `threads` when it is at least 1.
fn checked(threads: usize) -> Result<usize, Error> {
    if threads == 0 {
        return Err(Error::OutOfRange {
            field: "threads".into(),
            value: "0".into(),
            expected: "at least 1".into(),
        });
    }
    Ok(threads)
}

/// What the parts of a ledger run on: the split, and the caller's bad rows per part (sorted and
/// without repeats, as [`Batch::cover`] takes them) and those of no row of the ledger.
struct Plan {
    split: Split,
    pre: Vec<RowErrors>,
    stray: RowErrors,
}

impl Plan {
    /// The plan for `ledger` on up to `threads` threads, or `Err` with the caller's bad rows
    /// back when one thread does.
    fn new(
        batch: &Batch,
        ledger: &Ledger<'_>,
        mut pre: RowErrors,
        threads: usize,
    ) -> Result<Result<Plan, RowErrors>, Error> {
        let threads = checked(threads)?;
        Batch::check_shape(ledger)?;
        if u32::try_from(ledger.buyer.len()).is_err() {
            return Ok(Err(pre));
        }
        let split = Split::new(batch.buyers(), ledger.buyer, threads);
        if split.buyers.len() < 2 {
            return Ok(Err(pre));
        }
        pre.sort_by_key(|e| e.0);
        pre.dedup_by_key(|e| e.0);
        let mut parts: Vec<RowErrors> = split.buyers.iter().map(|_| Vec::new()).collect();
        let mut stray = Vec::new();
        for (i, e) in pre {
            match ledger.buyer.get(i).and_then(|&b| parts.get_mut(split.part(b))) {
                Some(part) => part.push((i, e)),
                None => stray.push((i, e)),
            }
        }
        Ok(Ok(Plan {
            split,
            pre: parts,
            stray,
        }))
    }

    /// `f` over each part's ledger (with its own bad rows, by row of the part) and buyers, on
    /// a thread per part; the parts and their results in order.
    fn run<T: Send>(
        self,
        ledger: &Ledger<'_>,
        f: impl Fn(&Ledger<'_>, RowErrors, Range<usize>) -> Result<T, Error> + Sync,
    ) -> Result<Ran<T>, Error> {
        let Plan { split, pre, stray } = self;
        let results: Vec<Result<(Part, T), Error>> = thread::scope(|s| {
            let handles: Vec<_> = pre
                .into_iter()
                .enumerate()
                .map(|(k, pre)| {
                    let (split, f) = (&split, &f);
                    s.spawn(move || {
                        let part = Part::gather(ledger, split, k);
                        let pre = part.local(pre);
                        let buyers = split.buyers.get(k).cloned().unwrap_or(0..0);
                        let out = f(&part.ledger(ledger.scale), pre, buyers)?;
                        Ok((part, out))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::Internal {
                            detail: "a batch thread stopped".into(),
                        })
                    })
                })
                .collect()
        });
        let parts = results.into_iter().collect::<Result<Vec<_>, Error>>()?;
        Ok((split, stray, parts))
    }
}

/// What [`Plan::run`] gives: the split, the caller's bad rows of no row of the ledger, and the
/// parts with their results, in order.
type Ran<T> = (Split, RowErrors, Vec<(Part, T)>);

/// The error of a thread that stopped.
fn stopped() -> Error {
    Error::Internal {
        detail: "a batch thread stopped".into(),
    }
}

/// `run` over each of `ranges` (an empty range when there is none), the first on this thread
/// and each other on a thread of its own, the results in the ranges' order (a thread that
/// panicked: [`stopped`]).
fn on_threads<T: Send>(
    ranges: Vec<Range<usize>>,
    run: impl Fn(Range<usize>) -> Result<T, Error> + Sync,
) -> Vec<Result<T, Error>> {
    let mut ranges = ranges.into_iter();
    let first = ranges.next().unwrap_or(0..0);
    thread::scope(|s| {
        let run = &run;
        let others: Vec<_> = ranges.map(|range| s.spawn(move || run(range))).collect();
        let mut results = Vec::with_capacity(others.len() + 1);
        results.push(run(first));
        results.extend(others.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(stopped()))));
        results
    })
}

/// What carrying the state of the rows before a range costs ([`Batch::carry`]), against the
/// row pass over as many rows with their results (`benches/batch.rs`, `carry` against
/// `batch_cover`, 10M rows; benches/RESULTS.md): 0.18-0.19 for the row-by-row carry,
/// 0.13-0.16 since quiet rows are found a chunk at a time. The ranges are sized by it (2
/// threads: 54 % of the rows, then 46 %).
const CARRY_COST: f64 = 0.15;

/// The ranges of rows of `parts` threads over `n` rows, in order, sized so that each thread
/// does about as much: thread k carries the rows before its range, at [`CARRY_COST`] a row,
/// then takes its own. With c = [`CARRY_COST`], each costs T when range k starts at
/// T (1 - (1 - c)^k) / c; the last ends at `n`.
fn row_ranges(n: usize, parts: usize) -> Vec<Range<usize>> {
    let keep = 1.0 - CARRY_COST;
    let power = |k: usize| keep.powi(i32::try_from(k).unwrap_or(i32::MAX));
    let whole = 1.0 - power(parts);
    let mut ranges = Vec::with_capacity(parts);
    let mut from = 0usize;
    for k in 1..=parts {
        let to = if k == parts {
            n
        } else {
            ((n as f64) * (1.0 - power(k)) / whole).round() as usize
        }
        .clamp(from, n);
        ranges.push(from..to);
        from = to;
    }
    ranges
}

/// The delivery days of a ledger's rows but `bad` (by ascending row index) when they are in
/// date order ([`super::days_if_sorted`]), and the [`super::amount_bits`] of `amount`: each of
/// `parts` ranges of rows scanned on a thread of its own (the first on this thread), and
/// the parts put together.
pub(super) fn scan(date: &[i32], amount: &[i128], bad: &[(usize, Error)], parts: usize) -> (Option<Vec<i32>>, u128) {
    let n = date.len();
    let parts = parts.min(n / MIN_ROWS_PER_THREAD).max(1);
    let one = |rows: Range<usize>| {
        (
            super::days_if_sorted_in(date, bad, rows.clone()),
            super::amount_bits(amount.get(rows).unwrap_or_default()),
        )
    };
    if parts < 2 {
        return one(0..n);
    }
    let size = n.div_ceil(parts);
    let scanned: Vec<(Option<Vec<i32>>, u128)> = thread::scope(|s| {
        let one = &one;
        let others: Vec<_> = (1..parts)
            .map(|k| s.spawn(move || one(k * size..n.min((k + 1) * size))))
            .collect();
        let mut all = vec![one(0..size.min(n))];
        all.extend(others.into_iter().map(|h| h.join().unwrap_or((None, 0))));
        all
    });
    let mut days: Option<Vec<i32>> = Some(Vec::new());
    let mut bits = 0u128;
    for (part, b) in scanned {
        bits |= b;
        days = match (days, part) {
            (Some(mut all), Some(part)) => {
                let (last, first) = (all.last().copied(), part.first().copied());
                match (last, first) {
                    (Some(l), Some(f)) if f < l => None,
                    (Some(l), Some(f)) if f == l => {
                        all.extend(part.get(1..).unwrap_or_default());
                        Some(all)
                    }
                    _ => {
                        all.extend(part);
                        Some(all)
                    }
                }
            }
            _ => None,
        };
    }
    (days, bits)
}

/// The chunks of [`Batch::cover_chunks`] as the columns of the whole ledger (copied).
fn joined(chunks: Vec<CoverColumns>) -> CoverColumns {
    let mut chunks = chunks.into_iter();
    let mut all = chunks.next().unwrap_or_default();
    for c in chunks {
        all.outstanding.extend(c.outstanding);
        all.covered.extend(c.covered);
        all.uncovered.extend(c.uncovered);
        all.cover_type.extend(c.cover_type);
        all.status.extend(c.status);
        all.report_by.extend(c.report_by);
        all.errors.extend(c.errors);
    }
    all
}

/// The result columns of a range of rows, to be written by one thread.
struct Out<'a> {
    outstanding: &'a mut [i128],
    covered: &'a mut [i128],
    uncovered: &'a mut [i128],
    cover_type: &'a mut [CoverType],
    status: &'a mut [Option<InvoiceStatus>],
    report_by: &'a mut [i32],
}

impl<'a> Out<'a> {
    fn of(c: &'a mut CoverColumns) -> Self {
        Out {
            outstanding: &mut c.outstanding,
            covered: &mut c.covered,
            uncovered: &mut c.uncovered,
            cover_type: &mut c.cover_type,
            status: &mut c.status,
            report_by: &mut c.report_by,
        }
    }

    /// The first `mid` rows and the others (`mid` at most the rows there are).
    fn split_at(self, mid: usize) -> (Out<'a>, Out<'a>) {
        let (o1, o2) = self.outstanding.split_at_mut(mid);
        let (c1, c2) = self.covered.split_at_mut(mid);
        let (u1, u2) = self.uncovered.split_at_mut(mid);
        let (t1, t2) = self.cover_type.split_at_mut(mid);
        let (s1, s2) = self.status.split_at_mut(mid);
        let (r1, r2) = self.report_by.split_at_mut(mid);
        (
            Out {
                outstanding: o1,
                covered: c1,
                uncovered: u1,
                cover_type: t1,
                status: s1,
                report_by: r1,
            },
            Out {
                outstanding: o2,
                covered: c2,
                uncovered: u2,
                cover_type: t2,
                status: s2,
                report_by: r2,
            },
        )
    }

    /// Writes rows `from..` (as many as this holds) from the parts' results: each row's from
    /// the next unwritten row of its part.
    fn fill(self, from: usize, buyer: &[u32], split: &Split, parts: &[(Part, CoverColumns)]) {
        let mut next: Vec<usize> = parts
            .iter()
            .map(|(p, _)| p.rows.partition_point(|&r| (r as usize) < from))
            .collect();
        let rows = buyer.get(from..from + self.covered.len()).unwrap_or_default();
        for (i, &b) in rows.iter().enumerate() {
            let k = split.part(b);
            let (Some(at), Some((_, c))) = (next.get_mut(k), parts.get(k)) else {
                continue;
            };
            let j = *at;
            *at += 1;
            if let (Some(o), Some(cv), Some(u), Some(t), Some(s), Some(rb)) = (
                self.outstanding.get_mut(i),
                self.covered.get_mut(i),
                self.uncovered.get_mut(i),
                self.cover_type.get_mut(i),
                self.status.get_mut(i),
                self.report_by.get_mut(i),
            ) {
                *o = c.outstanding.get(j).copied().unwrap_or(0);
                *cv = c.covered.get(j).copied().unwrap_or(0);
                *u = c.uncovered.get(j).copied().unwrap_or(0);
                *t = c.cover_type.get(j).copied().unwrap_or(CoverType::None);
                *s = c.status.get(j).copied().flatten();
                *rb = c.report_by.get(j).copied().unwrap_or(NO_DATE);
            }
        }
    }
}

impl Batch {
    /// [`Batch::cover`] on up to `threads` threads (at least 1; [`available_threads`] is the
    /// usual choice): [`Batch::cover_chunks`], its chunks joined (a copy). The same columns
    /// and errors as [`Batch::cover`], row for row, whatever the number of threads.
    pub fn cover_in_threads(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: RowErrors,
        threads: usize,
    ) -> Result<CoverColumns, Error> {
        Ok(joined(self.cover_chunks(ledger, pre_errors, threads)?))
    }

    /// [`Batch::cover`] on up to `threads` threads, its result in chunks: the columns of
    /// consecutive ranges of rows, in row order, together the rows of the ledger, each
    /// chunk's `errors` those of its rows (by row of the whole ledger; the caller's errors of
    /// no row of the ledger in the last chunk). Joined, the chunks are [`Batch::cover`]'s
    /// columns and errors, row for row, whatever the number of threads.
    ///
    /// A ledger in date order (the usual one) whose sums fit in `i64` is split by row range:
    /// each thread takes a range of rows with the row pass, after carrying the state of the
    /// rows before it (`Batch::carry`), into columns of its own (a chunk each; their new
    /// memory is zeroed by the kernel on each thread); the scans that find whether it is in
    /// date order and how wide its sums are run on the threads too, a range of rows each
    /// ([`scan`]). Any other ledger is split by buyer,
    /// each part's rows copied out (one chunk). A ledger of fewer than
    /// [`MIN_ROWS_PER_THREAD`] rows a thread runs on fewer threads; `threads = 0` is an error
    /// (`threads`).
    pub fn cover_chunks(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: RowErrors,
        threads: usize,
    ) -> Result<Vec<CoverColumns>, Error> {
        let threads = checked(threads)?;
        Batch::check_shape(ledger)?;
        let n = ledger.buyer.len();
        let parts = threads.min(n / MIN_ROWS_PER_THREAD).max(1);
        if parts < 2 || u32::try_from(n).is_err() {
            return Ok(vec![self.cover(ledger, pre_errors)?]);
        }
        match self.prepare_in_row_order_on(ledger, pre_errors, parts)? {
            Ok(prepared) if prepared.narrow => self.cover_in_ranges(ledger, &prepared, parts),
            Ok(prepared) => Ok(vec![self.cover_in_copies(ledger, prepared.errors, threads)?]),
            Err((_, pre)) => Ok(vec![self.cover_in_copies(ledger, pre, threads)?]),
        }
    }

    /// [`Batch::cover_chunks`] for a ledger in date order whose sums fit in `i64`: a range of
    /// rows a thread ([`row_ranges`]), the first on this thread.
    fn cover_in_ranges(
        &self,
        ledger: &Ledger<'_>,
        prepared: &Prepared<'_>,
        parts: usize,
    ) -> Result<Vec<CoverColumns>, Error> {
        let n = ledger.buyer.len();
        let run = |range: Range<usize>| -> Result<CoverColumns, Error> {
            let rows = Rows::of_range(&range, prepared.scale);
            let (rows, late, bad) = self.sweep(ledger, prepared, rows, range.clone())?;
            let mut out = rows.finish();
            let known = &prepared.errors;
            let from = known.partition_point(|e| e.0 < range.start);
            let to = if range.end == n {
                known.len()
            } else {
                known.partition_point(|e| e.0 < range.end)
            };
            let mut errors: RowErrors = known.get(from..to).unwrap_or_default().to_vec();
            if !late.is_empty() || !bad.is_empty() {
                errors.extend(bad);
                errors.extend(late);
                errors.sort_by_key(|e| e.0);
            }
            out.errors = errors;
            Ok(out)
        };
        on_threads(row_ranges(n, parts), run).into_iter().collect()
    }

    /// [`Batch::cover_in_threads`] for a ledger not in date order: each part's rows copied
    /// out, a ledger of their own, through [`Batch::cover`].
    fn cover_in_copies(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: RowErrors,
        threads: usize,
    ) -> Result<CoverColumns, Error> {
        let plan = match Plan::new(self, ledger, pre_errors, threads)? {
            Ok(plan) => plan,
            Err(pre) => return self.cover(ledger, pre),
        };
        let (split, mut errors, parts) = plan.run(ledger, |l, pre, _| self.cover(l, pre))?;
        let n = ledger.buyer.len();
        let mut columns = CoverColumns {
            scale: self.scale_for(ledger.scale),
            outstanding: vec![0; n],
            covered: vec![0; n],
            uncovered: vec![0; n],
            cover_type: vec![CoverType::None; n],
            status: vec![None; n],
            report_by: vec![NO_DATE; n],
            errors: Vec::new(),
        };
        let mut parts = parts;
        for (part, out) in &mut parts {
            part.global(std::mem::take(&mut out.errors), &mut errors);
        }
        errors.sort_by_key(|e| e.0);
        columns.errors = errors;
        // The results in row order, a range of rows a thread.
        let chunk = n.div_ceil(split.buyers.len()).max(1);
        thread::scope(|s| {
            let mut rest = Out::of(&mut columns);
            let mut from = 0usize;
            while from < n {
                let (mine, others) = rest.split_at(chunk.min(n - from));
                rest = others;
                let (split, parts) = (&split, &parts);
                s.spawn(move || mine.fill(from, ledger.buyer, split, parts));
                from += chunk;
            }
        });
        Ok(columns)
    }

    /// [`Batch::exposures`] on up to `threads` threads: the same entries and errors, whatever
    /// the number of threads. A ledger in date order whose sums fit in `i64` runs the row pass
    /// as [`Batch::cover_chunks`] splits it (by row range), then draws the buyers' curves a
    /// range of buyers a thread ([`Batch::exposures_in_ranges`]); any other ledger is split by
    /// buyer, each part's rows copied out, as [`Batch::cover_in_threads`] splits it.
    pub fn exposures_in_threads(
        &self,
        ledger: &Ledger<'_>,
        pre_errors: RowErrors,
        threads: usize,
    ) -> Result<(Vec<BuyerExposure>, RowErrors), Error> {
        let threads = checked(threads)?;
        Batch::check_shape(ledger)?;
        let n = ledger.buyer.len();
        let parts = threads.min(n / MIN_ROWS_PER_THREAD).min(self.buyers()).max(1);
        let mut pre_errors = pre_errors;
        if parts >= 2 && u32::try_from(n).is_ok() {
            match self.prepare_in_row_order_on(ledger, pre_errors, parts)? {
                Ok(prepared) if prepared.narrow => return self.exposures_in_ranges(ledger, &prepared, parts),
                Ok(prepared) => pre_errors = prepared.errors,
                Err((_, pre)) => pre_errors = pre,
            }
        }
        let plan = match Plan::new(self, ledger, pre_errors, threads)? {
            Ok(plan) => plan,
            Err(pre) => return self.exposures(ledger, pre),
        };
        let (_, mut errors, parts) = plan.run(ledger, |l, pre, buyers| self.exposures_of(l, pre, buyers))?;
        let mut exposures = Vec::with_capacity(self.buyers());
        for (part, (mine, found)) in parts {
            exposures.extend(mine);
            part.global(found, &mut errors);
        }
        errors.sort_by_key(|e| e.0);
        Ok((exposures, errors))
    }

    /// [`Batch::exposures_in_threads`] for a ledger in date order whose sums fit in `i64`:
    /// the row pass of [`Batch::cover_chunks`] on `parts` threads (a range of rows each), then
    /// the buyers cut into `parts` contiguous ranges of about as many rows each ([`Split`]),
    /// each range's curves drawn on a thread of its own ([`Batch::curves`]: each thread reads
    /// the buyer column whole and takes its own buyers' rows), the first on this thread.
    fn exposures_in_ranges(
        &self,
        ledger: &Ledger<'_>,
        prepared: &Prepared<'_>,
        parts: usize,
    ) -> Result<(Vec<BuyerExposure>, RowErrors), Error> {
        let chunks = self.cover_in_ranges(ledger, prepared, parts)?;
        // The bad rows of every chunk, in row order: the caller's and those the row pass found
        // (a ledger whose sums fit in `i64` has no overflowing row), as `Batch::exposures` has them.
        let errors: RowErrors = chunks.iter().flat_map(|c| c.errors.iter().cloned()).collect();
        let n = ledger.buyer.len();
        let order: Vec<u32> = super::valid_rows(n, &errors).map(|i| i as u32).collect();
        // Each chunk's first row, ascending.
        let firsts: Vec<usize> = chunks
            .iter()
            .scan(0usize, |from, c| {
                let first = *from;
                *from += c.covered.len();
                Some(first)
            })
            .collect();
        let covered = |i: usize| {
            let k = firsts.partition_point(|&f| f <= i).checked_sub(1)?;
            let (first, chunk) = (firsts.get(k)?, chunks.get(k)?);
            chunk.covered.get(i - first).copied()
        };
        let split = Split::new(self.buyers(), ledger.buyer, parts);
        let curves =
            |buyers: Range<usize>| self.curves(ledger, (&prepared.amount, prepared.scale), &order, covered, buyers);
        let mut exposures = Vec::with_capacity(self.buyers());
        for r in on_threads(split.buyers, curves) {
            exposures.extend(r?);
        }
        Ok((exposures, errors))
    }
}
