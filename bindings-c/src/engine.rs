//! The engine handle: `delcredere::engine::Engine` behind a read-write lock, with a tag that
//! tells a live engine from a freed or foreign pointer.
//!
//! Threads: every question (the cover check, the states, the worklist, the snapshot) takes the
//! lock for reading, so any number of threads may ask at once; a change (add a buyer, apply
//! events) takes it for writing and waits for the questions in flight, so no question sees
//! half an event. A panic during a change leaves the engine unusable (`internal`): restore it
//! from a snapshot.
//!
//! Freed handles: `delcredere_engine_free` drops the engine and marks the handle freed; the
//! handle's small shell is kept for the next `QUARANTINE` frees, so a freed handle used
//! again is found and refused (`invalid_handle`) rather than read after it is gone.

use std::collections::VecDeque;
use std::ffi::c_char;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use chrono::NaiveDate;
use delcredere::cover::{CoverFigures, CoverType};
use delcredere::engine::{BuyerEventDto, BuyerRef, Engine, EngineSetupDto};
use delcredere::ffi::{self, Source};
use delcredere::overdue::ExclusionEffect;
use delcredere::{BuyerDto, Error, Language, Money, PaymentSecurity, PolicyDto, ReceivableKind};
use rust_decimal::Decimal;

use crate::failure::{delcredere_error, delcredere_status, Failure};
use crate::raw::{optional_text, text, Out, OutText, Report};

/// Tag of a live engine ("delceng1").
const LIVE: u64 = 0x6465_6c63_656e_6731;
/// Tag of a freed engine ("delcfree").
const FREED: u64 = 0x6465_6c63_6672_6565;
/// How many freed handles are kept (each about 80 bytes) so that their use is detected.
pub(crate) const QUARANTINE: usize = 1024;

/// Freed handles, oldest first, as addresses.
static FREED_HANDLES: Mutex<VecDeque<usize>> = Mutex::new(VecDeque::new());

/// A policy and its buyers' accounts, held between calls (`delcredere::engine::Engine`).
/// Opaque: made by `delcredere_engine_new` or `delcredere_engine_restore`, given back
/// with `delcredere_engine_free`. Questions may run on many threads at once; changes wait
/// for them (see the README, "Threads").
#[repr(C)]
pub struct delcredere_engine {
    /// `LIVE` or `FREED`: first, so that a foreign pointer is read as little as can be.
    magic: AtomicU64,
    engine: RwLock<Option<Engine>>,
}

/// Flag of the cover checks' `flags`: the payment terms run from the end of the delivery
/// month ("60 days end of month"), read by the policy's end-of-month convention.
pub const DELCREDERE_END_OF_MONTH: u32 = 1;

/// What is delivered (the cover checks' `kind`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum delcredere_receivable_kind {
    /// Goods (the default).
    Goods = 0,
    /// Services.
    Services = 1,
    /// Rent of real estate.
    RealEstateRent = 2,
    /// Lease of real estate.
    RealEstateLease = 3,
}

/// How the delivery is secured (the cover checks' `payment_security`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum delcredere_payment_security {
    /// Open account (the default).
    OpenAccount = 0,
    /// Paid before delivery.
    Prepayment = 1,
    /// Cash on delivery.
    CashOnDelivery = 2,
    /// A confirmed letter of credit.
    ConfirmedLetterOfCredit = 3,
}

/// The cover used for a delivery.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum delcredere_cover_type {
    /// A limit granted by the insurer (LIM).
    NamedLimit = 0,
    /// Self-assessment under the discretionary limit (DIS).
    SelfAssessed = 1,
    /// No cover.
    None = 2,
    /// The policy's automatic cover up to a preset amount per buyer (DIS-7).
    Automatic = 3,
}

/// What an overdue does to the delivery (OVD-2, OVD-3, DIS-6).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum delcredere_overdue_effect {
    /// Nothing: no overdue bears on the delivery.
    NoEffect = 0,
    /// From the reporting date, new receivables do not enter cover (OVD-2).
    NewReceivablesExcluded = 1,
    /// The insurer confirmed continued cover (OVD-2, OVD-3): covered.
    ContinuedCoverConfirmed = 2,
    /// The exclusion period is exceeded: no cover for further deliveries (OVD-3).
    ExclusionPeriodExceeded = 3,
    /// Self-assessed buyer, exclusion period exceeded (DIS-6).
    SelfAssessedExcluded = 4,
}

/// The figures of a cover check, written by `delcredere_engine_cover`: amounts in minor
/// units of the policy currency (`scale` decimals: 12345 at scale 2 is 123.45), rounded
/// half-even to the minor unit as the explained decision rounds them.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct delcredere_cover {
    /// The part of the delivery that is insured.
    pub covered_minor: i64,
    /// The part that is not.
    pub uncovered_minor: i64,
    /// The named limit used, when `has_limit` is 1; else 0.
    pub limit_minor: i64,
    /// Decimals of the amounts: the policy currency's minor unit (2 for EUR, 0 for JPY).
    pub scale: u32,
    /// 1 when a named limit was used (`limit_minor` is it), else 0.
    pub has_limit: u32,
    /// The cover used.
    pub cover_type: delcredere_cover_type,
    /// What an overdue does to the delivery.
    pub overdue: delcredere_overdue_effect,
}

/// A buyer by its position in the engine, as `delcredere_engine_add_buyer` and
/// `delcredere_engine_buyer_id` give it.
struct Position(u32);

impl BuyerRef for Position {
    fn position(&self, engine: &Engine, field: &str) -> Result<usize, Error> {
        let i = self.0 as usize;
        if i < engine.buyer_count() {
            Ok(i)
        } else {
            Err(Error::UnknownBuyer {
                field: field.to_owned(),
                value: format!("#{i}"),
            })
        }
    }
}

/// Days since 1970-01-01 to the date's day count from the common era.
const EPOCH_FROM_CE: i32 = 719_163;

/// The day number of `date` (days since 1970-01-01).
pub(crate) fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date) - EPOCH_FROM_CE
}

/// The date of day number `day`, or `out_of_range` at `field`.
fn date_of(day: i32, field: &str) -> Result<NaiveDate, Error> {
    day.checked_add(EPOCH_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| Error::OutOfRange {
            field: field.to_owned(),
            value: day.to_string(),
            expected: "a day number (days since 1970-01-01) of a date in years -262143 to 262142".into(),
        })
}

fn kind_of(kind: u32) -> Result<ReceivableKind, Error> {
    Ok(match kind {
        0 => ReceivableKind::Goods,
        1 => ReceivableKind::Services,
        2 => ReceivableKind::RealEstateRent,
        3 => ReceivableKind::RealEstateLease,
        other => {
            return Err(unknown_value(
                "delivery.kind",
                other,
                &[
                    "0 (DELCREDERE_RECEIVABLE_KIND_GOODS)",
                    "1 (DELCREDERE_RECEIVABLE_KIND_SERVICES)",
                    "2 (DELCREDERE_RECEIVABLE_KIND_REAL_ESTATE_RENT)",
                    "3 (DELCREDERE_RECEIVABLE_KIND_REAL_ESTATE_LEASE)",
                ],
            ))
        }
    })
}

fn security_of(security: u32) -> Result<PaymentSecurity, Error> {
    Ok(match security {
        0 => PaymentSecurity::OpenAccount,
        1 => PaymentSecurity::Prepayment,
        2 => PaymentSecurity::CashOnDelivery,
        3 => PaymentSecurity::ConfirmedLetterOfCredit,
        other => {
            return Err(unknown_value(
                "delivery.paymentSecurity",
                other,
                &[
                    "0 (DELCREDERE_PAYMENT_SECURITY_OPEN_ACCOUNT)",
                    "1 (DELCREDERE_PAYMENT_SECURITY_PREPAYMENT)",
                    "2 (DELCREDERE_PAYMENT_SECURITY_CASH_ON_DELIVERY)",
                    "3 (DELCREDERE_PAYMENT_SECURITY_CONFIRMED_LETTER_OF_CREDIT)",
                ],
            ))
        }
    })
}

/// `unknown_value` at `field`, listing the constants allowed there.
fn unknown_value(field: &str, value: u32, allowed: &[&str]) -> Error {
    Error::UnknownValue {
        field: field.to_owned(),
        value: value.to_string(),
        expected: allowed.iter().map(|a| (*a).to_owned()).collect(),
    }
}

fn end_of_month(flags: u32) -> Result<bool, Error> {
    if flags & !DELCREDERE_END_OF_MONTH != 0 {
        return Err(Error::OutOfRange {
            field: "flags".into(),
            value: flags.to_string(),
            expected: "0 or DELCREDERE_END_OF_MONTH (1)".into(),
        });
    }
    Ok(flags & DELCREDERE_END_OF_MONTH != 0)
}

/// `money` in minor units of its currency, rounded as decisions round (`Money::rounded`). An
/// amount with no more decimals than the minor unit needs no rounding: it is scaled up, the
/// common case, without the rounding's cost on the hot path.
fn minor(money: Money, field: &str) -> Result<i64, Error> {
    let units = money.currency.minor_units();
    if money.amount.scale() == units {
        return i64::try_from(money.amount.mantissa()).map_err(|_| Error::Overflow {
            field: field.to_owned(),
        });
    }
    let exact = money.amount.scale() < units;
    let (mantissa, scale) = if exact {
        (money.amount.mantissa(), money.amount.scale())
    } else {
        (money.rounded().amount.mantissa(), units)
    };
    i64::try_from(mantissa)
        .ok()
        .and_then(|m| m.checked_mul(10i64.checked_pow(units - scale)?))
        .ok_or_else(|| Error::Overflow {
            field: field.to_owned(),
        })
}

fn figures_out(figures: &CoverFigures) -> Result<delcredere_cover, Error> {
    Ok(delcredere_cover {
        covered_minor: minor(figures.covered, "covered")?,
        uncovered_minor: minor(figures.uncovered, "uncovered")?,
        limit_minor: figures.limit.map(|l| minor(l, "limit")).transpose()?.unwrap_or(0),
        scale: figures.covered.currency.minor_units(),
        has_limit: u32::from(figures.limit.is_some()),
        cover_type: match figures.cover_type {
            CoverType::NamedLimit => delcredere_cover_type::NamedLimit,
            CoverType::SelfAssessed => delcredere_cover_type::SelfAssessed,
            CoverType::None => delcredere_cover_type::None,
            CoverType::Automatic => delcredere_cover_type::Automatic,
        },
        overdue: match figures.overdue {
            None => delcredere_overdue_effect::NoEffect,
            Some(ExclusionEffect::NewReceivablesExcluded) => delcredere_overdue_effect::NewReceivablesExcluded,
            Some(ExclusionEffect::ContinuedCoverConfirmed) => delcredere_overdue_effect::ContinuedCoverConfirmed,
            Some(ExclusionEffect::ExclusionPeriodExceeded) => delcredere_overdue_effect::ExclusionPeriodExceeded,
            Some(ExclusionEffect::SelfAssessedExcluded) => delcredere_overdue_effect::SelfAssessedExcluded,
        },
    })
}

/// The engine behind handle parameter `engine`: NULL is `null_pointer`; a pointer that is
/// misaligned or does not carry the live tag is `invalid_handle`.
///
/// # Safety
/// `engine` is NULL, or points to at least 8 readable bytes aligned for a `u64`: a handle of
/// this library (live, or freed within the last `QUARANTINE` frees), or memory of the
/// caller's that is not one (its first 8 bytes are read, nothing is written).
unsafe fn handle<'a>(engine: *const delcredere_engine) -> Result<&'a delcredere_engine, Failure> {
    if engine.is_null() {
        return Err(Failure::null("engine"));
    }
    if !engine.is_aligned() {
        return Err(Failure::argument(
            "invalid_handle",
            "engine",
            "not an engine (misaligned pointer)",
        ));
    }
    // SAFETY: not NULL and aligned; `magic` is the first field (repr(C)), and the caller
    // promises 8 readable bytes there; an atomic load, as a free on another thread may write it.
    let magic = unsafe { &(*engine).magic }.load(Ordering::Acquire);
    match magic {
        // SAFETY: the live tag: a handle of this library, not yet freed, and its shell is not
        // deallocated before QUARANTINE frees after its own.
        LIVE => Ok(unsafe { &*engine }),
        FREED => Err(Failure::argument("invalid_handle", "engine", "engine already freed")),
        _ => Err(Failure::argument(
            "invalid_handle",
            "engine",
            "not an engine made by delcredere_engine_new or delcredere_engine_restore",
        )),
    }
}

fn freed() -> Failure {
    Failure::argument("invalid_handle", "engine", "engine already freed")
}

fn poisoned() -> Failure {
    Failure::internal("a change to this engine panicked, leaving it unusable: free it and restore a snapshot")
}

impl delcredere_engine {
    fn new(engine: Engine) -> *mut delcredere_engine {
        Box::into_raw(Box::new(delcredere_engine {
            magic: AtomicU64::new(LIVE),
            engine: RwLock::new(Some(engine)),
        }))
    }

    /// Runs a question on the engine (shared with other questions).
    fn read<T>(&self, f: impl FnOnce(&Engine) -> Result<T, Failure>) -> Result<T, Failure> {
        let guard = self.engine.read().map_err(|_| poisoned())?;
        f(guard.as_ref().ok_or_else(freed)?)
    }

    /// Runs a change on the engine (alone).
    fn write<T>(&self, f: impl FnOnce(&mut Engine) -> Result<T, Failure>) -> Result<T, Failure> {
        let mut guard = self.engine.write().map_err(|_| poisoned())?;
        f(guard.as_mut().ok_or_else(freed)?)
    }
}

/// Reads JSON text parameter `name` as a `T`; errors name `name` (`policy.currency`).
fn parse<T: serde::de::DeserializeOwned>(json: &str, name: &str) -> Result<T, Failure> {
    ffi::parse::<T, &str>(json).map_err(|e| Failure::parsing(e, name))
}

/// A date given as text, or `invalid_date` at `field`.
fn iso_date(date: &str, field: &str) -> Result<NaiveDate, Failure> {
    Ok(delcredere::calendar::parse_date(field, date)?)
}

/// Writes a new handle for `engine` to `out`.
fn give(out: Out<*mut delcredere_engine>, engine: Engine) {
    out.put(delcredere_engine::new(engine));
}

/// An engine for a policy (JSON: the policy DTO, as `check_delivery_cover` takes it),
/// validated once, with no buyers. An invalid policy is `invalid_policy` (field `policy`;
/// each problem in the message); JSON that does not read as a policy is the error of its
/// field (`policy.insuranceYear.start`).
///
/// # Safety
/// `policy` as `DELCREDERE_NUL_TERMINATED` describes; `out_engine` valid for a write of a
/// pointer; `out_error` NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_new(
    policy: *const c_char,
    policy_len: usize,
    out_engine: *mut *mut delcredere_engine,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_engine`, passed on.
        let out = unsafe { Out::required(out_engine, "out_engine") }?;
        // SAFETY: the caller's promise for `policy`, passed on.
        let policy = unsafe { text(policy, policy_len, "policy") }?;
        let policy: PolicyDto = parse(policy, "policy")?;
        give(out, Engine::new(&policy)?);
        Ok(())
    })
}

/// An engine from a snapshot of `delcredere_engine_snapshot` (JSON text, format version 1):
/// equal to the engine that wrote it. Another format version is `unsupported_snapshot`; text
/// cut short or edited is the typed error of what is wrong, with its path (`snapshot`,
/// `buyers[1].events[0].date`).
///
/// # Safety
/// As `delcredere_engine_new`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_restore(
    snapshot: *const c_char,
    snapshot_len: usize,
    out_engine: *mut *mut delcredere_engine,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_engine`, passed on.
        let out = unsafe { Out::required(out_engine, "out_engine") }?;
        // SAFETY: the caller's promise for `snapshot`, passed on.
        let snapshot = unsafe { text(snapshot, snapshot_len, "snapshot") }?;
        give(out, Engine::restore(snapshot)?);
        Ok(())
    })
}

/// An engine with its buyers and their logs, from a setup (JSON: `{"policy": ..., "buyers":
/// [{"id", "buyer", "events"}]}`, what method `load` of the other bindings takes): the policy
/// validated once, every log read in (ACC). JSON that does not read as a setup is the error of
/// its field (`setup.buyers[1].id`); a setup the engine refuses (two buyers under one key, an
/// event that contradicts its log) is the engine's error, named under `setup` too.
///
/// # Safety
/// As `delcredere_engine_new`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_load(
    setup: *const c_char,
    setup_len: usize,
    out_engine: *mut *mut delcredere_engine,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_engine`, passed on.
        let out = unsafe { Out::required(out_engine, "out_engine") }?;
        // SAFETY: the caller's promise for `setup`, passed on.
        let setup = unsafe { text(setup, setup_len, "setup") }?;
        let setup: EngineSetupDto = parse(setup, "setup")?;
        give(out, Engine::load(setup).map_err(|e| e.with_prefix("setup"))?);
        Ok(())
    })
}

/// Gives an engine back: its memory is released, and the handle is refused from then on
/// (`invalid_handle`, while it is among the last 1,024 freed). NULL does nothing and is OK;
/// a handle already freed, or a pointer that is not an engine, is `ARGUMENT_ERROR` and
/// nothing is freed. Wait for the engine's other calls on other threads to end first.
///
/// # Safety
/// `engine` as the engine parameter of every call: NULL, a handle of this library, or at least
/// 8 readable bytes of the caller's that are not one.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_free(engine: *mut delcredere_engine) -> delcredere_status {
    if engine.is_null() {
        return delcredere_status::Ok;
    }
    Report::none().run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // One free wins; the tag tells any later call, on any thread, that it is gone.
        shell
            .magic
            .compare_exchange(LIVE, FREED, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| freed())?;
        // Waits for questions in flight; a poisoned lock still frees the engine.
        drop(shell.engine.write().unwrap_or_else(PoisonError::into_inner).take());
        let evicted = {
            let mut quarantine = FREED_HANDLES.lock().unwrap_or_else(PoisonError::into_inner);
            quarantine.push_back(engine as usize);
            if quarantine.len() > QUARANTINE {
                quarantine.pop_front()
            } else {
                None
            }
        };
        if let Some(old) = evicted {
            // SAFETY: the oldest freed shell, made by `Box::into_raw` in
            // `delcredere_engine::new`, freed once (the tag's exchange above lets one free
            // through) and deallocated once, here, QUARANTINE frees later.
            drop(unsafe { Box::from_raw(old as *mut delcredere_engine) });
        }
        Ok(())
    })
}

/// Adds a buyer under `key` (unique in the engine: the ERP's customer number) with details
/// `buyer` (JSON: the buyer DTO) and an empty account; `*out_buyer` (when not NULL) gets its
/// id for `delcredere_engine_cover`. The same key with the same details again changes
/// nothing (and gives the same id); with other details it is `duplicate_buyer` (field `id`).
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `key` and `buyer` as
/// `DELCREDERE_NUL_TERMINATED` describes; `out_buyer` and `out_error` NULL or valid for a
/// write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_add_buyer(
    engine: *mut delcredere_engine,
    key: *const c_char,
    key_len: usize,
    buyer: *const c_char,
    buyer_len: usize,
    out_buyer: *mut u32,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_buyer`, passed on.
        let out = unsafe { Out::optional(out_buyer, "out_buyer") }?;
        // SAFETY: the caller's promise for `key`, passed on.
        let key = unsafe { text(key, key_len, "key") }?;
        // SAFETY: the caller's promise for `buyer`, passed on.
        let buyer = unsafe { text(buyer, buyer_len, "buyer") }?;
        let buyer: BuyerDto = parse(buyer, "buyer")?;
        let id = shell.write(|e| Ok(e.add_buyer(key, buyer)?))?;
        if let Some(out) = out {
            out.put(id.index() as u32);
        }
        Ok(())
    })
}

/// The id of the buyer with key `key`, for `delcredere_engine_cover`; a key the engine does
/// not hold is `unknown_buyer` (field `buyer`).
///
/// # Safety
/// As `delcredere_engine_add_buyer`; `out_buyer` valid for a write of a `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_buyer_id(
    engine: *const delcredere_engine,
    key: *const c_char,
    key_len: usize,
    out_buyer: *mut u32,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_buyer`, passed on.
        let out = unsafe { Out::required(out_buyer, "out_buyer") }?;
        // SAFETY: the caller's promise for `key`, passed on.
        let key = unsafe { text(key, key_len, "key") }?;
        let id = shell.read(|e| {
            e.buyer_id(key).ok_or_else(|| {
                Failure::from(Error::UnknownBuyer {
                    field: "buyer".into(),
                    value: delcredere::error::truncated(key),
                })
            })
        })?;
        out.put(id.index() as u32);
        Ok(())
    })
}

/// Applies one event (JSON: an account event, `{"type": "invoiceIssued", ...}`) to the account
/// of the buyer with key `key`, as it happens. The same event twice is kept once; an id used
/// again for another event, or an event that contradicts the log, is `invalid_event` (field
/// `event`) and changes nothing; an unknown key is `unknown_buyer` (field `buyer`).
///
/// # Safety
/// As `delcredere_engine_add_buyer`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_apply(
    engine: *mut delcredere_engine,
    key: *const c_char,
    key_len: usize,
    event: *const c_char,
    event_len: usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `key`, passed on.
        let key = unsafe { text(key, key_len, "key") }?;
        // SAFETY: the caller's promise for `event`, passed on.
        let event = unsafe { text(event, event_len, "event") }?;
        let event = parse(event, "event")?;
        shell.write(|e| Ok(e.apply(key, event)?))
    })
}

/// Applies events in order (JSON: an array of `{"buyer": key, "event": {...}}`), each as
/// `delcredere_engine_apply` does; `*out_applied` (when not NULL) gets how many. It stops at
/// the first that fails, with its error under `events[i]`; the events before it stay applied
/// (and since an event applied twice is kept once, the whole list may be sent again once the
/// bad one is mended).
///
/// # Safety
/// As `delcredere_engine_add_buyer`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_apply_all(
    engine: *mut delcredere_engine,
    events: *const c_char,
    events_len: usize,
    out_applied: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_applied`, passed on.
        let out = unsafe { Out::optional(out_applied, "out_applied") }?;
        // SAFETY: the caller's promise for `events`, passed on.
        let events = unsafe { text(events, events_len, "events") }?;
        if !events.trim_start().starts_with('[') {
            return Err(Failure::from(Error::InvalidType {
                field: "events".into(),
                detail: "expected a JSON array".into(),
            }));
        }
        let events: Vec<BuyerEventDto> = events.deserialize().map_err(|e| Failure::parsing(e, "events"))?;
        let n = shell.write(|e| Ok(e.apply_all(events)?))?;
        if let Some(out) = out {
            out.put(n);
        }
        Ok(())
    })
}

/// The cover check on the hot path, in plain numbers, without allocating: the part of a
/// delivery covered and not, given what the buyer owes on `as_of_day` (LIM-1, LIM-3, DIS-1..7,
/// BUY-2..4, PRM-4, OVD-2, OVD-3, DIS-6), written to `*out`. The same figures as the explained
/// decision of `delcredere_engine_check_cover` and of op `check_delivery_cover`.
///
/// - `buyer`: the id `delcredere_engine_add_buyer` or `delcredere_engine_buyer_id` gave;
/// - the amount is `amount_minor` × 10^-`amount_scale` in the policy currency (`1000000`, `2`
///   is 10,000.00), above zero;
/// - `date_day` and `as_of_day`: day numbers (days since 1970-01-01,
///   `delcredere_day_number`): the delivery's date, and the day the question is about;
/// - `payment_terms_days`, with `flags` 0 or `DELCREDERE_END_OF_MONTH`;
/// - `kind`: a `delcredere_receivable_kind`; `payment_security`: a
///   `delcredere_payment_security` (0 and 0: goods on open account).
///
/// Errors name the delivery's fields as the JSON ops do (`delivery.amount.amount`,
/// `delivery.date`, `delivery.paymentTermsDays`, `asOf`, `buyer`). The first check of a buyer
/// on a date prepares its cover for that date; further checks that day cost a lookup and the
/// figures, until the buyer's next event.
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `out` valid for a write of a
/// `delcredere_cover`; `out_error` NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_cover(
    engine: *const delcredere_engine,
    buyer: u32,
    amount_minor: i64,
    amount_scale: u32,
    date_day: i32,
    payment_terms_days: u32,
    flags: u32,
    kind: u32,
    payment_security: u32,
    as_of_day: i32,
    out: *mut delcredere_cover,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out`, passed on.
        let out = unsafe { Out::required(out, "out") }?;
        let amount = Decimal::try_new(amount_minor, amount_scale).map_err(|_| Error::OutOfRange {
            field: "delivery.amount.amount".into(),
            value: format!("{amount_minor} at scale {amount_scale}"),
            expected: format!("a scale of 0 to {}", Decimal::MAX_SCALE),
        })?;
        let date = date_of(date_day, "delivery.date")?;
        // An order line checked on its own day: one conversion.
        let as_of = if as_of_day == date_day {
            date
        } else {
            date_of(as_of_day, "asOf")?
        };
        let figures = shell.read(|e| {
            let delivery = e.planned_parts(
                amount,
                date,
                payment_terms_days,
                end_of_month(flags)?,
                kind_of(kind)?,
                security_of(payment_security)?,
            )?;
            Ok(e.cover_figures(Position(buyer), &delivery, as_of)?)
        })?;
        out.put(figures_out(&figures)?);
        Ok(())
    })
}

/// `delcredere_engine_cover` with text where an ERP holds text: the buyer by its key, the
/// amount as a decimal string (`"10000.00"`: digits, an optional `.` and decimals, no
/// exponent), the dates as ISO `yyyy-mm-dd`.
///
/// # Safety
/// As `delcredere_engine_cover`; `buyer_key`, `amount`, `date` and `as_of` as
/// `DELCREDERE_NUL_TERMINATED` describes.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_cover_text(
    engine: *const delcredere_engine,
    buyer_key: *const c_char,
    buyer_key_len: usize,
    amount: *const c_char,
    amount_len: usize,
    date: *const c_char,
    date_len: usize,
    payment_terms_days: u32,
    flags: u32,
    kind: u32,
    payment_security: u32,
    as_of: *const c_char,
    as_of_len: usize,
    out: *mut delcredere_cover,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out`, passed on.
        let out = unsafe { Out::required(out, "out") }?;
        // SAFETY: the caller's promise for `buyer_key`, passed on.
        let key = unsafe { text(buyer_key, buyer_key_len, "buyer_key") }?;
        // SAFETY: the caller's promise for `amount`, passed on.
        let amount = unsafe { text(amount, amount_len, "amount") }?;
        // SAFETY: the caller's promise for `date`, passed on.
        let date = unsafe { text(date, date_len, "date") }?;
        // SAFETY: the caller's promise for `as_of`, passed on.
        let as_of = unsafe { text(as_of, as_of_len, "as_of") }?;
        let amount = delcredere::money::parse_decimal("delivery.amount.amount", amount)?;
        let date = iso_date(date, "delivery.date")?;
        let as_of = iso_date(as_of, "asOf")?;
        let figures = shell.read(|e| {
            let delivery = e.planned_parts(
                amount,
                date,
                payment_terms_days,
                end_of_month(flags)?,
                kind_of(kind)?,
                security_of(payment_security)?,
            )?;
            Ok(e.cover_figures(key, &delivery, as_of)?)
        })?;
        out.put(figures_out(&figures)?);
        Ok(())
    })
}

/// The explained cover decision (JSON: a `Decision`, as op `check_delivery_cover` answers)
/// for a delivery (JSON: `{"amount": {"amount": "10000.00", "currency": "EUR"}, "date":
/// "2026-03-02", "paymentTermsDays": 60}`) to the buyer with key `buyer_key`, on `as_of`
/// (ISO date).
///
/// # Safety
/// As `delcredere_engine_cover_text`; `delivery` as `DELCREDERE_NUL_TERMINATED` describes;
/// `out_json` valid for a write of a pointer; `out_len` NULL or valid for a write of a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_check_cover(
    engine: *const delcredere_engine,
    buyer_key: *const c_char,
    buyer_key_len: usize,
    delivery: *const c_char,
    delivery_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        // SAFETY: the caller's promise for `buyer_key`, passed on.
        let key = unsafe { text(buyer_key, buyer_key_len, "buyer_key") }?;
        // SAFETY: the caller's promise for `delivery`, passed on.
        let delivery = unsafe { text(delivery, delivery_len, "delivery") }?;
        // SAFETY: the caller's promise for `as_of`, passed on.
        let as_of = unsafe { text(as_of, as_of_len, "as_of") }?;
        let delivery = parse(delivery, "delivery")?;
        let as_of = iso_date(as_of, "asOf")?;
        let decision = shell.read(|e| Ok(e.check_cover(key, &delivery, as_of)?))?;
        out.put(to_json(&decision)?);
        Ok(())
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| Failure::internal(&e.to_string()))
}

/// A question about one buyer on a date, answered in JSON.
///
/// # Safety
/// As `delcredere_engine_account_state`.
#[allow(clippy::too_many_arguments)]
unsafe fn buyer_question<T: serde::Serialize>(
    engine: *const delcredere_engine,
    buyer_key: *const c_char,
    buyer_key_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
    question: impl FnOnce(&Engine, &str, NaiveDate) -> Result<T, Error>,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        // SAFETY: the caller's promise for `buyer_key`, passed on.
        let key = unsafe { text(buyer_key, buyer_key_len, "buyer_key") }?;
        // SAFETY: the caller's promise for `as_of`, passed on.
        let as_of = unsafe { text(as_of, as_of_len, "as_of") }?;
        let as_of = iso_date(as_of, "asOf")?;
        let answer = shell.read(|e| Ok(question(e, key, as_of)?))?;
        out.put(to_json(&answer)?);
        Ok(())
    })
}

/// The account of the buyer with key `buyer_key` on `as_of` (ISO date): JSON, what op
/// `account_state` answers on its log (ACC).
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `buyer_key` and `as_of` as
/// `DELCREDERE_NUL_TERMINATED` describes; `out_json` valid for a write of a pointer;
/// `out_len` and `out_error` NULL or valid for a write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_account_state(
    engine: *const delcredere_engine,
    buyer_key: *const c_char,
    buyer_key_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        buyer_question(
            engine,
            buyer_key,
            buyer_key_len,
            as_of,
            as_of_len,
            out_json,
            out_len,
            out_error,
            |e, key, as_of| e.account_state(key, as_of),
        )
    }
}

/// The limit of the buyer with key `buyer_key` on `as_of` (ISO date): JSON, what op
/// `limit_state` answers on the limit events of its log (LIM-1, LIM-3, LIM-4).
///
/// # Safety
/// As `delcredere_engine_account_state`.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_limit_state(
    engine: *const delcredere_engine,
    buyer_key: *const c_char,
    buyer_key_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promises, passed on.
    unsafe {
        buyer_question(
            engine,
            buyer_key,
            buyer_key_len,
            as_of,
            as_of_len,
            out_json,
            out_len,
            out_error,
            |e, key, as_of| e.limit_state(key, as_of),
        )
    }
}

/// The worklist of every buyer on `as_of` (ISO date): JSON, what op `obligations` answers on
/// all the accounts, in the order buyers were added (ACC). `lang` (`en`, `de`, `fr`, `nl`,
/// `da`) adds messages in that language; NULL leaves them out.
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `as_of` as `DELCREDERE_NUL_TERMINATED`
/// describes, `lang` too or NULL; `out_json` valid for a write of a pointer; `out_len` and
/// `out_error` NULL or valid for a write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_obligations(
    engine: *const delcredere_engine,
    as_of: *const c_char,
    as_of_len: usize,
    lang: *const c_char,
    lang_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        // SAFETY: the caller's promise for `as_of`, passed on.
        let as_of = unsafe { text(as_of, as_of_len, "as_of") }?;
        // SAFETY: the caller's promise for `lang`, passed on.
        let lang = unsafe { optional_text(lang, lang_len, "lang") }?;
        let as_of = iso_date(as_of, "asOf")?;
        let lang = lang.map(|l| Language::parse("lang", l)).transpose()?;
        let worklist = shell.read(|e| Ok(e.obligations(as_of, lang)?))?;
        out.put(to_json(&worklist)?);
        Ok(())
    })
}

/// The engine as JSON text, snapshot format version 1 (`spec/engine.md`):
/// `delcredere_engine_restore` reads it back, in this process or another.
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `out_json` valid for a write of a
/// pointer; `out_len` and `out_error` NULL or valid for a write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_engine_snapshot(
    engine: *const delcredere_engine,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        out.put(shell.read(|e| Ok(e.snapshot()?))?);
        Ok(())
    })
}

/// Runs engine method `method` by its name (`check_cover`, `apply`, `obligations`: the
/// methods of `spec/engine.md`, the same table every binding is built from) on `input` (JSON:
/// the method's input object, `{"buyer": "D-1001", "asOf": "2026-03-01"}`), and answers its
/// output as JSON text (`null` for a method that answers nothing). A method that changes the
/// engine waits for the questions in flight, as `delcredere_engine_apply` does; one that only
/// reads runs beside the others. An unknown method is `unknown_op` (field `op`); input that
/// does not read as the method's is the error of its field (`delivery.amount.amount`).
///
/// # Safety
/// `engine` as `delcredere_engine_free` describes; `method` and `input` as
/// `DELCREDERE_NUL_TERMINATED` describes; `out_json` valid for a write of a pointer;
/// `out_len` and `out_error` NULL or valid for a write of their type.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn delcredere_engine_call(
    engine: *mut delcredere_engine,
    method: *const c_char,
    method_len: usize,
    input: *const c_char,
    input_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `engine`, passed on.
        let shell = unsafe { handle(engine) }?;
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        // SAFETY: the caller's promise for `method`, passed on.
        let method = unsafe { text(method, method_len, "method") }?;
        // SAFETY: the caller's promise for `input`, passed on.
        let input = unsafe { text(input, input_len, "input") }?;
        let changes = delcredere::engine::methods::method(method).is_some_and(|m| m.changes);
        let output = if changes {
            shell.write(|e| Ok(e.call(method, input)?))?
        } else {
            shell.read(|e| Ok(e.query(method, input)?))?
        };
        out.put(to_json(&output)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    #[test]
    fn day_numbers_count_from_1970() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(day_number(d("1970-01-01")), 0);
        assert_eq!(day_number(d("2026-03-01")), 20_513);
        assert_eq!(date_of(20_513, "x").unwrap(), d("2026-03-01"));
        assert_eq!(date_of(-1, "x").unwrap(), d("1969-12-31"));
        assert_eq!(date_of(i32::MAX, "asOf").unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn minor_units_are_the_rounded_amount_scaled_to_the_currency() {
        let eur = delcredere::Currency::parse("c", "EUR").unwrap();
        let jpy = delcredere::Currency::parse("c", "JPY").unwrap();
        let m = |units: i64, scale: u32, c| minor(Money::new(Decimal::new(units, scale), c), "x");
        assert_eq!(m(5, 0, eur).unwrap(), 500);
        assert_eq!(m(12345, 2, eur).unwrap(), 12345);
        assert_eq!(m(123_455, 3, eur).unwrap(), 12346, "half-even: 123.455 is 123.46");
        assert_eq!(m(123_445, 3, eur).unwrap(), 12344, "half-even: 123.445 is 123.44");
        assert_eq!(m(1005, 1, jpy).unwrap(), 100);
        assert_eq!(m(1015, 1, jpy).unwrap(), 102);
        assert_eq!(m(i64::MAX, 0, eur).unwrap_err().code(), "overflow");
        for (units, scale) in [(1, 0), (-7, 1), (999_999_999, 4), (5, 3), (15, 3)] {
            let money = Money::new(Decimal::new(units, scale), eur);
            assert_eq!(
                i128::from(minor(money, "x").unwrap()),
                money.rounded().amount.mantissa(),
                "{units}e-{scale}"
            );
        }
    }

    #[test]
    fn a_change_that_panics_leaves_the_engine_refused_as_internal() {
        let policy = r#"{"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
            "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
            "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "1000000", "currency": "EUR"},
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}"#;
        let policy: PolicyDto = serde_json::from_str(policy).unwrap();
        let shell = delcredere_engine::new(Engine::new(&policy).unwrap());
        // SAFETY: just made, freed below.
        let engine = unsafe { &*shell };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.write(|_| -> Result<(), Failure> { panic!("in the middle of a change") })
        }));
        assert!(caught.is_err());
        let refused = engine.read(|e| Ok(e.buyer_count())).unwrap_err();
        assert_eq!(
            (refused.code, refused.status),
            ("internal", delcredere_status::InternalError)
        );
        assert_eq!(engine.write(|_| Ok(())).unwrap_err().code, "internal");
        // SAFETY: a live handle, freed once.
        assert_eq!(unsafe { delcredere_engine_free(shell) }, delcredere_status::Ok);
    }
}
