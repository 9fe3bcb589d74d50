//! One account in the engine's binary snapshot (format 2, `spec/engine.md`, "Binary snapshot"):
//! its log in a compact encoding and, for the usual accounts, the ledger read from it, so that
//! [`crate::engine::Engine::restore_bytes`] decodes and allocates and reads no rule again (ACC).
//!
//! The common events (invoices, payments without an allocation, credit notes, the limit
//! events) are written in fixed fields; any other event carries its JSON. The ledger is written
//! whole when the log has no `policyTermsSet`, no planned delivery and no circumstance to
//! notify (the usual account); otherwise the account is marked to be read again from its log
//! under the engine's policy at restore, as [`Account::from_events`] reads it. Its limit events
//! are the log's, in order, and are taken from the decoded log rather than written twice.
//!
//! Damaged bytes are a typed error (`invalid_type` at `snapshot`), never a panic: every read
//! is bounds-checked, every count is checked against the bytes left, every position in the
//! ledger against the log it points into.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Account, AccountEventDto, Instalment, Invoice, Ledger, Log, Settled, Terms};
use crate::calendar::IsoDate;
use crate::error::Error;
use crate::money::{Currency, DecimalString, Money, MoneyDto};

/// The error of bytes that are not a whole snapshot.
#[cold]
#[inline(never)]
pub(crate) fn damaged(detail: &str) -> Error {
    Error::InvalidType {
        field: "snapshot".into(),
        detail: format!("not a whole binary snapshot (snapshot_bytes()): {detail}"),
    }
}

/// Writes a section of the snapshot: its fields (little-endian integers, lengths and counts as
/// LEB128) apart from its text (every string's bytes, in the order written), so that the text
/// is checked as UTF-8 once a section when read, not once a string.
#[derive(Default)]
pub(crate) struct Writer {
    bin: Vec<u8>,
    text: Vec<u8>,
}

impl Writer {
    /// The section: the fields' length (LEB128), the fields, the text.
    pub(crate) fn into_section(self) -> Vec<u8> {
        let mut out = Writer::default();
        out.len(self.bin.len());
        let mut bytes = out.bin;
        bytes.reserve(self.bin.len() + self.text.len());
        bytes.extend_from_slice(&self.bin);
        bytes.extend_from_slice(&self.text);
        bytes
    }

    #[inline]
    pub(crate) fn u8(&mut self, v: u8) {
        self.bin.push(v);
    }

    #[inline]
    pub(crate) fn bool(&mut self, v: bool) {
        self.bin.push(u8::from(v));
    }

    #[inline]
    pub(crate) fn u32(&mut self, v: u32) {
        self.bin.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    pub(crate) fn u64(&mut self, v: u64) {
        self.bin.extend_from_slice(&v.to_le_bytes());
    }

    /// A length or a count (LEB128: 7 bits a byte, low first).
    #[inline]
    pub(crate) fn len(&mut self, v: usize) {
        let mut v = v as u64;
        while v >= 0x80 {
            self.bin.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        self.bin.push(v as u8);
    }

    #[inline]
    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.text.extend_from_slice(s.as_bytes());
    }

    /// A day: its number of days from 0001-01-01 (day 1), as `i32`.
    #[inline]
    fn date(&mut self, d: NaiveDate) {
        self.bin
            .extend_from_slice(&chrono::Datelike::num_days_from_ce(&d).to_le_bytes());
    }

    /// An optional day: `i32::MIN` (no day has it) for none.
    #[inline]
    fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            Some(d) => self.date(d),
            None => self.bin.extend_from_slice(&i32::MIN.to_le_bytes()),
        }
    }

    #[inline]
    fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.u32(v);
            }
            None => self.u8(0),
        }
    }

    /// A decimal as its 16 bytes (`Decimal::serialize`: flags, then the 96-bit mantissa).
    #[inline]
    fn decimal(&mut self, d: Decimal) {
        self.bin.extend_from_slice(&d.serialize());
    }

    #[inline]
    /// An amount and its currency: length 0 for the policy's `currency` (the usual one), else
    /// the code's length + 1 and the code.
    fn money(&mut self, m: &MoneyDto, currency: &str) {
        self.decimal(m.amount.0);
        if m.currency == currency {
            self.len(0);
        } else {
            self.len(m.currency.len() + 1);
            self.text.extend_from_slice(m.currency.as_bytes());
        }
    }

    /// A position in a log or a list (`u32`: a log holds fewer events).
    #[inline]
    fn index(&mut self, i: usize) {
        self.u32(u32::try_from(i).unwrap_or(u32::MAX));
    }
}

/// Reads what [`Writer`] wrote; every read checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// The section's text, and how far it was read.
    text: &'a str,
    text_pos: usize,
    /// Days read, by their number modulo [`DAYS_CACHE`] (`i32::MIN`: none yet). An array in
    /// the reader, not on the heap: an allocation freed after each block can make the
    /// allocator give memory back to the system and fetch it again (measured: twice the time).
    days: [(i32, NaiveDate); DAYS_CACHE],
}

/// Days a [`Reader`] keeps decoded (a year and a half of distinct days).
const DAYS_CACHE: usize = 512;

impl<'a> Reader<'a> {
    /// Reads `bytes` as fields alone (no text).
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            text: "",
            text_pos: 0,
            days: [(i32::MIN, NaiveDate::MIN); DAYS_CACHE],
        }
    }

    /// Reads a section of [`Writer::into_section`], its text checked as UTF-8 here, once.
    pub(crate) fn section(bytes: &'a [u8]) -> Result<Reader<'a>, Error> {
        let mut r = Reader::new(bytes);
        let n = r.len()?;
        let fields = r.take(n)?;
        let text = std::str::from_utf8(r.bytes.get(r.pos..).unwrap_or_default())
            .map_err(|_| damaged("text that is not UTF-8"))?;
        Ok(Reader {
            bytes: fields,
            pos: 0,
            text,
            text_pos: 0,
            days: [(i32::MIN, NaiveDate::MIN); DAYS_CACHE],
        })
    }

    /// Where the next field is within the whole section of `len` bytes.
    pub(crate) fn offset_in_section(&self, len: usize) -> usize {
        len.saturating_sub(self.bytes.len() + self.text.len()) + self.pos
    }

    /// Whether every byte was read.
    pub(crate) fn at_end(&self) -> bool {
        self.pos == self.bytes.len() && self.text_pos == self.text.len()
    }

    /// The next `n` bytes of text.
    #[inline(always)]
    fn text(&mut self, n: usize) -> Result<&'a str, Error> {
        let end = self.text_pos.checked_add(n).ok_or_else(|| damaged("cut short"))?;
        let s = self
            .text
            .get(self.text_pos..end)
            .ok_or_else(|| damaged("a string cut short or cut inside a character"))?;
        self.text_pos = end;
        Ok(s)
    }

    #[inline]
    pub(crate) fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).ok_or_else(|| damaged("cut short"))?;
        let s = self.bytes.get(self.pos..end).ok_or_else(|| damaged("cut short"))?;
        self.pos = end;
        Ok(s)
    }

    #[inline(always)]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        self.take(N)?.try_into().map_err(|_| damaged("cut short"))
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    #[inline(always)]
    fn bool(&mut self) -> Result<bool, Error> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(damaged("a flag is neither 0 nor 1")),
        }
    }

    #[inline(always)]
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    #[inline(always)]
    pub(crate) fn len(&mut self) -> Result<usize, Error> {
        match self.bytes.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(usize::from(b))
            }
            _ => self.long_len(),
        }
    }

    /// [`Reader::len`] of two bytes or more.
    #[inline(never)]
    fn long_len(&mut self) -> Result<usize, Error> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return usize::try_from(v).map_err(|_| damaged("a length out of range"));
            }
        }
        Err(damaged("a length out of range"))
    }

    /// A count of items of at least `min` bytes each: never more than the bytes left hold, so
    /// a damaged count allocates nothing large.
    #[inline]
    pub(crate) fn count(&mut self, min: usize) -> Result<usize, Error> {
        let n = self.len()?;
        if n.saturating_mul(min.max(1)) > self.left() {
            return Err(damaged("a count is more than the bytes left hold"));
        }
        Ok(n)
    }

    #[inline(always)]
    pub(crate) fn str(&mut self) -> Result<&'a str, Error> {
        let n = self.len()?;
        self.text(n)
    }

    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<String, Error> {
        self.str().map(str::to_owned)
    }

    #[inline(always)]
    fn opt_date(&mut self) -> Result<Option<NaiveDate>, Error> {
        let days = i32::from_le_bytes(self.array()?);
        if days == i32::MIN {
            return Ok(None);
        }
        // A portfolio's events fall on a few hundred days: most are found in the cache.
        let mut slot = self.days.get_mut(days.rem_euclid(DAYS_CACHE as i32) as usize);
        if let Some(&mut (d, date)) = slot.as_deref_mut() {
            if d == days {
                return Ok(Some(date));
            }
        }
        let date = NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| damaged("a day out of range"))?;
        if let Some(slot) = slot {
            *slot = (days, date);
        }
        Ok(Some(date))
    }

    #[inline(always)]
    fn date(&mut self) -> Result<NaiveDate, Error> {
        self.opt_date()?.ok_or_else(|| damaged("a day missing"))
    }

    #[inline(always)]
    fn opt_u32(&mut self) -> Result<Option<u32>, Error> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.u32().map(Some),
            _ => Err(damaged("an option tag is neither 0 nor 1")),
        }
    }

    #[inline(always)]
    fn decimal(&mut self) -> Result<Decimal, Error> {
        let b: [u8; 16] = self.array()?;
        // Flags: bits 16..=23 the scale (at most 28), bit 31 the sign, the others zero.
        let flags = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if flags & !0x801F_0000 != 0 || (flags >> 16) & 0xff > 28 {
            return Err(damaged("a decimal out of range"));
        }
        Ok(Decimal::deserialize(b))
    }

    #[inline(always)]
    fn money(&mut self, currency: &str) -> Result<MoneyDto, Error> {
        let amount = DecimalString(self.decimal()?);
        let currency = match self.len()? {
            0 => currency.to_owned(),
            n => self.text(n - 1)?.to_owned(),
        };
        Ok(MoneyDto { amount, currency })
    }

    #[inline(always)]
    fn index(&mut self, below: usize) -> Result<usize, Error> {
        let i = self.u32()? as usize;
        if i < below {
            Ok(i)
        } else {
            Err(damaged("a position out of range"))
        }
    }
}

/// Event tags: the common kinds in fixed fields, any other as its JSON.
mod tag {
    pub const JSON: u8 = 0;
    pub const INVOICE: u8 = 1;
    pub const PAYMENT: u8 = 2;
    pub const CREDIT_NOTE: u8 = 3;
    pub const LIMIT_APPLIED: u8 = 4;
    pub const LIMIT_GRANTED: u8 = 5;
    pub const LIMIT_REFUSED: u8 = 6;
    pub const LIMIT_REDUCED: u8 = 7;
    pub const LIMIT_WITHDRAWN: u8 = 8;
    pub const LIMIT_CANCELLED: u8 = 9;
}

/// Ledger tags: none (an account not read), written, or to be read again from the log.
mod ledger_tag {
    pub const NONE: u8 = 0;
    pub const WRITTEN: u8 = 1;
    pub const READ_AGAIN: u8 = 2;
}

fn write_event(w: &mut Writer, e: &AccountEventDto, currency: &str) -> Result<(), Error> {
    use AccountEventDto as E;
    let head = |w: &mut Writer, t: u8, id: &str, date: &IsoDate| {
        w.u8(t);
        w.str(id);
        w.date(date.0);
    };
    match e {
        E::InvoiceIssued {
            id,
            date,
            reference,
            amount,
            due_date,
            payment_terms_days,
            end_of_month,
        } => {
            head(w, tag::INVOICE, id, date);
            w.str(reference);
            w.money(amount, currency);
            w.opt_date(due_date.map(|d| d.0));
            w.opt_u32(*payment_terms_days);
            w.bool(*end_of_month);
        }
        E::PaymentReceived {
            id,
            date,
            amount,
            allocation: None,
        } => {
            head(w, tag::PAYMENT, id, date);
            w.money(amount, currency);
        }
        E::CreditNoteIssued {
            id,
            date,
            reference,
            amount,
        } => {
            head(w, tag::CREDIT_NOTE, id, date);
            w.str(reference);
            w.money(amount, currency);
        }
        E::LimitApplied {
            id,
            date,
            requested_amount,
            payment_terms_days,
        } => {
            head(w, tag::LIMIT_APPLIED, id, date);
            w.money(requested_amount, currency);
            w.u32(*payment_terms_days);
        }
        E::LimitGranted {
            id,
            date,
            amount,
            until,
        } => {
            head(w, tag::LIMIT_GRANTED, id, date);
            w.money(amount, currency);
            w.opt_date(until.map(|d| d.0));
        }
        E::LimitRefused {
            id,
            date,
            allows_self_assessment,
        } => {
            head(w, tag::LIMIT_REFUSED, id, date);
            w.bool(*allows_self_assessment);
        }
        E::LimitReduced {
            id,
            date,
            amount,
            delay_days,
        } => {
            head(w, tag::LIMIT_REDUCED, id, date);
            w.money(amount, currency);
            w.opt_u32(*delay_days);
        }
        E::LimitWithdrawn {
            id,
            date,
            delay_days,
            allows_self_assessment,
        } => {
            head(w, tag::LIMIT_WITHDRAWN, id, date);
            w.opt_u32(*delay_days);
            w.bool(*allows_self_assessment);
        }
        E::LimitCancelled { id, date } => head(w, tag::LIMIT_CANCELLED, id, date),
        other => {
            w.u8(tag::JSON);
            let json = serde_json::to_string(other).map_err(|e| Error::Internal { detail: e.to_string() })?;
            w.str(&json);
        }
    }
    Ok(())
}

fn read_event(r: &mut Reader<'_>, currency: &str) -> Result<AccountEventDto, Error> {
    use AccountEventDto as E;
    let t = r.u8()?;
    if t == tag::JSON {
        return serde_json::from_str(r.str()?).map_err(|_| damaged("an event that is not an event's JSON"));
    }
    let id = r.string()?;
    let date = IsoDate(r.date()?);
    Ok(match t {
        tag::INVOICE => E::InvoiceIssued {
            id,
            date,
            reference: r.string()?,
            amount: r.money(currency)?,
            due_date: r.opt_date()?.map(IsoDate),
            payment_terms_days: r.opt_u32()?,
            end_of_month: r.bool()?,
        },
        tag::PAYMENT => E::PaymentReceived {
            id,
            date,
            amount: r.money(currency)?,
            allocation: None,
        },
        tag::CREDIT_NOTE => E::CreditNoteIssued {
            id,
            date,
            reference: r.string()?,
            amount: r.money(currency)?,
        },
        tag::LIMIT_APPLIED => E::LimitApplied {
            id,
            date,
            requested_amount: r.money(currency)?,
            payment_terms_days: r.u32()?,
        },
        tag::LIMIT_GRANTED => E::LimitGranted {
            id,
            date,
            amount: r.money(currency)?,
            until: r.opt_date()?.map(IsoDate),
        },
        tag::LIMIT_REFUSED => E::LimitRefused {
            id,
            date,
            allows_self_assessment: r.bool()?,
        },
        tag::LIMIT_REDUCED => E::LimitReduced {
            id,
            date,
            amount: r.money(currency)?,
            delay_days: r.opt_u32()?,
        },
        tag::LIMIT_WITHDRAWN => E::LimitWithdrawn {
            id,
            date,
            delay_days: r.opt_u32()?,
            allows_self_assessment: r.bool()?,
        },
        tag::LIMIT_CANCELLED => E::LimitCancelled { id, date },
        _ => return Err(damaged("an unknown event tag")),
    })
}

/// Whether the ledger is written whole: read under the engine's policy alone (no
/// `policyTermsSet`), with no planned delivery and no circumstance to notify, which point
/// into the log by reference or id.
fn written_whole(l: &Ledger) -> bool {
    Arc::ptr_eq(&l.policy, &l.base.policy) && !l.names_other_events() && l.open.len() == l.invoices.len()
}

fn write_dates(w: &mut Writer, dates: impl ExactSizeIterator<Item = NaiveDate>) {
    w.len(dates.len());
    for d in dates {
        w.date(d);
    }
}

fn read_dates(r: &mut Reader<'_>) -> Result<Vec<NaiveDate>, Error> {
    let n = r.count(4)?;
    (0..n).map(|_| r.date()).collect()
}

fn write_ledger(w: &mut Writer, l: &Ledger) -> Result<(), Error> {
    w.len(l.invoices.len());
    for (inv, open) in l.invoices.iter().zip(&l.open) {
        w.index(inv.event);
        w.decimal(inv.amount.amount);
        w.date(inv.date);
        w.opt_date(inv.due_date);
        w.opt_u32(inv.payment_terms_days);
        w.bool(inv.end_of_month);
        w.decimal(*open);
    }
    w.len(l.settled.len());
    for s in &l.settled {
        w.index(s.invoice);
        w.date(s.date);
        w.decimal(s.amount.amount);
        w.bool(s.payment);
    }
    w.opt_date(l.reported_on);
    w.bool(l.continued_cover);
    w.opt_date(l.adverse_since);
    match &l.instalment {
        Some(plan) => {
            w.u8(1);
            w.str(&plan.id);
            w.date(plan.due);
            w.opt_date(plan.answered);
        }
        None => w.u8(0),
    }
    w.opt_date(l.insolvency);
    w.decimal(l.owed_at_insolvency);
    w.opt_date(l.claim_filed);
    w.opt_date(l.claim_documents_sent);
    w.len(l.payments_after_claim.len());
    for (d, m) in &l.payments_after_claim {
        w.date(*d);
        w.decimal(m.amount);
    }
    w.opt_date(l.payments_reported);
    w.opt_date(l.collection_handed_over);
    write_dates(w, l.declarations.iter().copied());
    write_dates(w, l.balance_reports.iter().copied());
    w.opt_date(l.above_discretionary_since);
    w.opt_date(l.last_invoice);
    w.decimal(l.owed);
    w.index(l.first_open);
    write_dates(w, l.extra_reporting_dates.iter().map(|d| d.0));
    write_dates(w, l.extra_reports.iter().copied());
    match &l.evidence {
        Some(evidence) => {
            w.u8(1);
            let json = serde_json::to_string(evidence).map_err(|e| Error::Internal { detail: e.to_string() })?;
            w.str(&json);
        }
        None => w.u8(0),
    }
    Ok(())
}

/// Whether a decoded ledger holds together as one read from a log does (what the rules
/// that read it take for granted): each invoice's amount above zero and what is open of it
/// between zero and the amount, the sum of the open amounts what is owed, each settlement
/// above zero; sums checked (a damaged amount is an error, not an overflow).
fn consistent(invoices: &[Invoice], open: &[Decimal], settled: &[Settled], owed: Decimal) -> Result<(), Error> {
    let mut sum = Decimal::ZERO;
    for (inv, o) in invoices.iter().zip(open) {
        if inv.amount.amount <= Decimal::ZERO || *o < Decimal::ZERO || *o > inv.amount.amount {
            return Err(damaged("an invoice's open amount out of range"));
        }
        sum = sum.checked_add(*o).ok_or_else(|| damaged("an amount out of range"))?;
    }
    if sum != owed || settled.iter().any(|s| s.amount.amount <= Decimal::ZERO) {
        return Err(damaged("a ledger that does not add up"));
    }
    Ok(())
}

fn read_ledger(r: &mut Reader<'_>, terms: &Terms, events: &[AccountEventDto]) -> Result<Ledger, Error> {
    let currency: Currency = terms.policy.currency;
    let money = |amount: Decimal| Money::new(amount, currency);
    let n = r.count(42)?;
    let mut invoices = Vec::with_capacity(n);
    let mut open = Vec::with_capacity(n);
    for _ in 0..n {
        let event = r.index(events.len())?;
        if !matches!(events.get(event), Some(AccountEventDto::InvoiceIssued { .. })) {
            return Err(damaged("an invoice that is not an invoice of the log"));
        }
        invoices.push(Invoice {
            event,
            amount: money(r.decimal()?),
            date: r.date()?,
            due_date: r.opt_date()?,
            payment_terms_days: r.opt_u32()?,
            end_of_month: r.bool()?,
        });
        open.push(r.decimal()?);
    }
    let n = r.count(25)?;
    let mut settled = Vec::with_capacity(n);
    for _ in 0..n {
        settled.push(Settled {
            invoice: r.index(invoices.len())?,
            date: r.date()?,
            amount: money(r.decimal()?),
            payment: r.bool()?,
        });
    }
    let reported_on = r.opt_date()?;
    let continued_cover = r.bool()?;
    let adverse_since = r.opt_date()?;
    let instalment = match r.u8()? {
        0 => None,
        1 => Some(Instalment {
            id: r.string()?,
            due: r.date()?,
            answered: r.opt_date()?,
        }),
        _ => return Err(damaged("an option tag is neither 0 nor 1")),
    };
    let insolvency = r.opt_date()?;
    let owed_at_insolvency = r.decimal()?;
    let claim_filed = r.opt_date()?;
    let claim_documents_sent = r.opt_date()?;
    let n = r.count(20)?;
    let mut payments_after_claim = Vec::with_capacity(n);
    for _ in 0..n {
        payments_after_claim.push((r.date()?, money(r.decimal()?)));
    }
    let payments_reported = r.opt_date()?;
    let collection_handed_over = r.opt_date()?;
    let declarations = read_dates(r)?;
    let balance_reports = read_dates(r)?;
    let above_discretionary_since = r.opt_date()?;
    let last_invoice = r.opt_date()?;
    let owed = r.decimal()?;
    let first_open = r.index(invoices.len().saturating_add(1))?;
    consistent(&invoices, &open, &settled, owed)?;
    let extra_reporting_dates = read_dates(r)?.into_iter().map(IsoDate).collect();
    let extra_reports = read_dates(r)?;
    let evidence = match r.u8()? {
        0 => None,
        1 => Some(serde_json::from_str(r.str()?).map_err(|_| damaged("self-assessment evidence that is not JSON"))?),
        _ => return Err(damaged("an option tag is neither 0 nor 1")),
    };
    Ok(Ledger {
        base: terms.clone(),
        policy: Arc::clone(&terms.policy),
        limit_events: events.iter().filter_map(AccountEventDto::limit_event).collect(),
        evidence,
        invoices,
        open,
        settled,
        reported_on,
        continued_cover,
        adverse_since,
        instalment,
        insolvency,
        owed_at_insolvency,
        claim_filed,
        claim_documents_sent,
        payments_after_claim,
        payments_reported,
        collection_handed_over,
        declarations,
        balance_reports,
        above_discretionary_since,
        last_invoice,
        owed,
        first_open,
        plans: Vec::new(),
        notices: Vec::new(),
        extra_reporting_dates,
        extra_reports,
    })
}

impl Account {
    /// The account of a log and the ledger read from it (the one constructor the snapshot
    /// uses).
    fn from_read(events: Log, read: Option<Ledger>) -> Account {
        Account {
            events,
            read: read.map(Box::new),
        }
    }

    /// Writes the account: its log, then its ledger (or the mark to read the log again).
    pub(crate) fn write_snapshot(&self, w: &mut Writer, terms: &Terms) -> Result<(), Error> {
        let events = self.events();
        w.len(events.len());
        for e in events {
            write_event(w, e, terms.policy.currency.code())?;
        }
        match self.read.as_deref() {
            None => w.u8(ledger_tag::NONE),
            Some(l) if written_whole(l) => {
                w.u8(ledger_tag::WRITTEN);
                write_ledger(w, l)?;
            }
            Some(_) => w.u8(ledger_tag::READ_AGAIN),
        }
        Ok(())
    }

    /// Reads an account [`Account::write_snapshot`] wrote, of an engine with policy `terms`.
    pub(crate) fn read_snapshot(r: &mut Reader<'_>, terms: &Terms) -> Result<Account, Error> {
        // Each event takes at least 2 bytes of fields (a tag and a length: its JSON's).
        let n = r.count(2)?;
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            events.push(read_event(r, terms.policy.currency.code())?);
        }
        let tag = r.u8()?;
        let written = match tag {
            ledger_tag::WRITTEN => Some(read_ledger(r, terms, &events)?),
            ledger_tag::NONE | ledger_tag::READ_AGAIN => None,
            _ => return Err(damaged("an unknown ledger tag")),
        };
        // The log taken as it is, not copied (`Log::from`).
        let events = Log::from(events);
        let read = match (tag, written) {
            (_, Some(l)) => Some(l),
            (ledger_tag::READ_AGAIN, None) => Some(
                Ledger::build(terms, &events, NaiveDate::MAX)
                    .map_err(|e| damaged(&format!("a log that does not read: {e}")))?,
            ),
            _ => None,
        };
        Ok(Account::from_read(events, read))
    }

    /// The ledger as text, to compare a decoded one with one read from the log (tests).
    pub(crate) fn ledger_debug(&self) -> String {
        format!("{:?}", self.read)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn lengths_round_trip() {
        for v in [0usize, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as usize, usize::MAX] {
            let mut w = Writer::default();
            w.len(v);
            let mut r = Reader::new(&w.bin);
            assert_eq!(r.len().unwrap(), v);
            assert!(r.at_end());
        }
    }

    #[test]
    fn decimals_round_trip_and_bad_flags_fail() {
        for d in [
            Decimal::ZERO,
            Decimal::new(-12_345, 2),
            Decimal::MAX,
            Decimal::new(1, 28),
        ] {
            let mut w = Writer::default();
            w.decimal(d);
            let back = Reader::new(&w.bin).decimal().unwrap();
            assert_eq!(back.serialize(), d.serialize());
        }
        let mut w = Writer::default();
        w.decimal(Decimal::ONE);
        let mut out = w.bin;
        out[2] = 29;
        assert_eq!(Reader::new(&out).decimal().unwrap_err().code(), "invalid_type");
        out[2] = 0;
        out[0] = 1;
        assert_eq!(Reader::new(&out).decimal().unwrap_err().code(), "invalid_type");
    }

    #[test]
    fn counts_beyond_the_bytes_fail() {
        let mut w = Writer::default();
        w.len(1_000_000);
        let mut out = w.bin;
        out.extend([0; 10]);
        assert_eq!(Reader::new(&out).count(1).unwrap_err().code(), "invalid_type");
    }
}
