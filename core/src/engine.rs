//! One engine, prepared once: a policy and its buyers' accounts held between calls, taking
//! events as they happen and answering at any date (ACC; `spec/engine.md`).
//!
//! The stateless ops ([`crate::cover::check_delivery_cover`], [`crate::account::account_state`],
//! [`crate::limit::limit_state`], [`crate::account::obligations`]) validate the policy and replay
//! the buyer's history on every call. An [`Engine`] validates the policy once, keeps each buyer's
//! [`Account`] read to its last event, and reads a new event into it alone when it is dated on
//! or after the buyer's last one; an event dated earlier reads that buyer's account again, and
//! no other. The cover a buyer has on a date ([`CoverContext`]) is prepared on the first
//! question for that date and kept until the buyer's next event, so checking many deliveries
//! on one day costs a lookup and the figures. The answers are the stateless ops' answers on the
//! same history, and [`Engine::snapshot`] / [`Engine::restore`] (JSON) or
//! [`Engine::snapshot_bytes`] / [`Engine::restore_bytes`] (binary, restored without reading the
//! logs again) keep an engine across processes.
//!
//! ```
//! use delcredere::engine::Engine;
//! use delcredere::cover::DeliveryOrderDto;
//! use delcredere::{BuyerDto, PolicyDto};
//!
//! let policy: PolicyDto = serde_json::from_str(r#"{"currency": "EUR",
//!     "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
//!     "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
//!     "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
//!     "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}"#)?;
//! let mut engine = Engine::new(&policy)?;
//! let buyer: BuyerDto = serde_json::from_str(r#"{"legalName": "Müller GmbH",
//!     "legalForm": "GmbH", "country": "DE", "entityKind": "company"}"#)?;
//! engine.add_buyer("D-1001", buyer)?;
//! for event in [
//!     r#"{"type": "limitApplied", "id": "l1", "date": "2026-02-01",
//!         "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60}"#,
//!     r#"{"type": "limitGranted", "id": "l2", "date": "2026-02-05",
//!         "amount": {"amount": "50000", "currency": "EUR"}}"#,
//!     r#"{"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1001",
//!         "amount": {"amount": "45000", "currency": "EUR"}, "paymentTermsDays": 60}"#,
//! ] {
//!     engine.apply("D-1001", serde_json::from_str(event)?)?;
//! }
//! let delivery: DeliveryOrderDto = serde_json::from_str(r#"{"date": "2026-03-02",
//!     "amount": {"amount": "10000", "currency": "EUR"}, "paymentTermsDays": 60}"#)?;
//! let as_of = "2026-03-02".parse()?;
//! // 45,000 owed under a 50,000 limit: 5,000 of the 10,000 delivery is covered (LIM-1).
//! let figures = engine.cover_figures_of("D-1001", &delivery, as_of)?;
//! assert_eq!(figures.covered.amount.to_string(), "5000");
//! let decision = engine.check_cover("D-1001", &delivery, as_of)?;
//! assert_eq!(decision.outcome, delcredere::Outcome::PartlyCovered);
//! // A snapshot restores to an equal engine.
//! let again = Engine::restore(&engine.snapshot()?)?;
//! assert!(again == engine);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Bindings reach every method by name through [`Engine::call`] and [`Engine::query`], and
//! build their per-method wrappers from the table [`methods::METHODS`].

pub mod methods;
pub mod route;
mod snapshot;

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::{merged_obligations, Account, AccountEventDto, Log, LogIndex, Obligation, Terms};
use crate::batch::Batch;
use crate::buyer::{check_insurability, BuyerDto, PaymentSecurity, ReceivableDto, ReceivableKind};
use crate::cover::{CoverContext, CoverFigures, DeliveryOrderDto, PlannedDelivery, QuickCover};
use crate::decision::Decision;
use crate::error::Error;
use crate::i18n::Language;
use crate::money::{DecimalString, Money, MoneyDto};
use crate::policy::PolicyDto;

/// The JSON snapshot format this build writes, and the only one [`Engine::restore`] reads.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 1;

#[doc(hidden)]
pub use snapshot::{checksum as snapshot_checksum, reseal as reseal_snapshot_bytes};
pub use snapshot::{is_snapshot_bytes, SNAPSHOT_BYTES_FORMAT_VERSION};

/// A buyer of an [`Engine`], by its position: the cheap way to name it in a hot loop. Valid
/// for the engine that gave it (and its clones and restored snapshots, which keep the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuyerId(u32);

impl BuyerId {
    /// The buyer's position in the engine, in the order buyers were added.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a call names a buyer: by its key (`&str`, `&String`) or by its [`BuyerId`].
pub trait BuyerRef {
    /// The buyer's position in `engine`, or `unknown_buyer` at `field`.
    fn position(&self, engine: &Engine, field: &str) -> Result<usize, Error>;
}

impl BuyerRef for &str {
    fn position(&self, engine: &Engine, field: &str) -> Result<usize, Error> {
        engine.keys.get(*self).copied().ok_or_else(|| Error::UnknownBuyer {
            field: field.to_owned(),
            value: crate::error::truncated(self),
        })
    }
}

impl BuyerRef for &String {
    fn position(&self, engine: &Engine, field: &str) -> Result<usize, Error> {
        self.as_str().position(engine, field)
    }
}

impl BuyerRef for BuyerId {
    fn position(&self, engine: &Engine, field: &str) -> Result<usize, Error> {
        let i = self.index();
        if i < engine.slots.len() {
            Ok(i)
        } else {
            Err(Error::UnknownBuyer {
                field: field.to_owned(),
                value: format!("#{i}"),
            })
        }
    }
}

/// A buyer's cover prepared for one date: kept until the buyer's next event. In declaration
/// order (`repr(C)`): what a cover check reads ([`Engine::cover_figures`]: the date, the
/// outstanding and the quick block) comes first, in adjacent cache lines.
#[derive(Debug)]
#[repr(C)]
struct Prepared {
    as_of: NaiveDate,
    /// What the buyer owes on `as_of`, full precision.
    outstanding: Money,
    /// The context's cover checks in one small block, when it has one.
    quick: Option<QuickCover>,
    context: CoverContext,
    /// The same, as the explained check takes it.
    outstanding_dto: MoneyDto,
}

/// One buyer: its details, its account and the index of its log. In declaration order
/// (`repr(C)`): an applied event reads the account, the index and the prepared cover alone,
/// which so sit together, first; the key and the details (boxed) after them.
#[derive(Debug)]
#[repr(C)]
struct Slot {
    account: Account,
    /// Built on the buyer's first event applied after a binary restore
    /// ([`Engine::restore_bytes`]), which does not build it.
    index: Option<LogIndex>,
    prepared: RwLock<Option<Box<Prepared>>>,
    key: Box<str>,
    buyer: Box<BuyerDto>,
}

impl Clone for Slot {
    fn clone(&self) -> Self {
        Slot {
            key: self.key.clone(),
            buyer: self.buyer.clone(),
            account: self.account.clone(),
            index: self.index.clone(),
            prepared: RwLock::new(None),
        }
    }
}

/// A buyer's cover check on figures prepared for one date: what [`Engine::cover_figures`] reads,
/// copied out of its [`Prepared`] when it has a quick block. Kept until the buyer's next event.
#[derive(Debug, Clone, Copy)]
struct Quick {
    as_of: NaiveDate,
    outstanding: Money,
    cover: QuickCover,
}

/// Every buyer's [`Quick`] (or none yet), by position, side by side in one array apart from
/// the slots: a cover check on figures reads one small block, where through its slot it read
/// the slot's lock, then the boxed [`Prepared`] it points to. With many buyers the slots and
/// their blocks leave the caches between two checks of one buyer, and each line read is a
/// miss; these blocks are fewer lines, together, and reached without following a pointer
/// (measured from Python, one check per ledger row over 2,000 buyers: about 0.04 µs of 0.57 µs
/// a call; `spec/engine.md`, "Speed"). An entry is 176 bytes; aligned to 64 (192 bytes) it
/// was no faster. Not cloned (a clone prepares its own, as its slots do).
#[derive(Debug, Default)]
struct Quicks(Vec<RwLock<Option<Quick>>>);

impl Clone for Quicks {
    fn clone(&self) -> Self {
        Quicks(self.0.iter().map(|_| RwLock::new(None)).collect())
    }
}

impl Quicks {
    /// Whether buyer `i` has a block kept for `as_of`.
    #[cfg(test)]
    fn holds(&self, i: usize, as_of: NaiveDate) -> bool {
        self.0.get(i).is_some_and(|lock| {
            lock.read()
                .unwrap_or_else(PoisonError::into_inner)
                .is_some_and(|q| q.as_of == as_of)
        })
    }

    /// Keeps `quick` as buyer `i`'s block.
    fn keep(&self, i: usize, quick: Quick) {
        if let Some(slot) = self.0.get(i) {
            *slot.write().unwrap_or_else(PoisonError::into_inner) = Some(quick);
        }
    }

    /// Buyer `i` changed: its block is gone.
    fn forget(&mut self, i: usize) {
        if let Some(slot) = self.0.get_mut(i) {
            *slot.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    /// As many (empty) blocks as there are `buyers`.
    fn resize(&mut self, buyers: usize) {
        self.0.resize_with(buyers, || RwLock::new(None));
    }
}

/// A policy and its buyers' accounts, held between calls (ACC). Created from one policy,
/// validated once; buyers are added by key ([`Engine::add_buyer`]) and their events applied
/// as they happen ([`Engine::apply`]). Every question takes its date.
///
/// `Send + Sync`: questions take `&self` and may run on many threads at once; changes take
/// `&mut self`, so no question ever sees half an event. Two engines are equal when they hold
/// the same policy and the same buyers, in the same order, with the same logs (everything else
/// an engine holds is worked out from these).
///
/// An engine of many buyers whose events arrive interleaved is bound by memory latency: each
/// event reaches a buyer whose state has left the caches. Its speed then depends on the
/// program's allocator, which this crate does not choose: 1M events of 10,000 buyers apply in
/// about 0.4 s under mimalloc (as in the Python module) and 0.6 s under glibc's allocator on
/// the machine of `spec/engine.md` ("Speed"). A program holding many buyers may set one:
///
/// ```
/// use delcredere::engine::Engine;
///
/// // The program's allocator, for every engine it holds (crate `mimalloc`).
/// #[global_allocator]
/// static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
///
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let policy = serde_json::from_str(r#"{"currency": "EUR",
///         "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
///         "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
///         "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
///         "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}"#)?;
///     let engine = Engine::new(&policy)?;
///     assert_eq!(engine.buyer_count(), 0);
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    /// The policy, validated once and shared by every buyer's account.
    terms: Terms,
    /// An account with no events, read under the policy: each new buyer's account starts as a
    /// copy of it, so the policy is validated once.
    empty: Account,
    slots: Vec<Slot>,
    /// Key -> position in `slots` (foldhash, seeded at random per engine).
    keys: HashMap<String, usize, foldhash::fast::RandomState>,
    /// Each buyer's cover check on figures prepared for the date last asked, by position.
    quick: Quicks,
    /// The batch's per-buyer setup for the date last asked ([`Engine::batch`]) and the
    /// buyers changed since.
    batch: KeptBatch,
}

/// The batch an engine keeps ([`Engine::batch`]): not cloned (a clone prepares its own).
#[derive(Debug, Default)]
struct KeptBatch(RwLock<Option<Kept>>);

/// A prepared batch and the buyers changed since (by position, ascending, once each): their
/// entries are prepared again at the next call for its date, the others kept.
#[derive(Debug)]
struct Kept {
    batch: Arc<Batch>,
    changed: Vec<usize>,
}

impl Clone for KeptBatch {
    fn clone(&self) -> Self {
        KeptBatch::default()
    }
}

impl KeptBatch {
    /// Buyer `i` changed (an event applied, or it was added).
    fn changed(&mut self, i: usize) {
        if let Some(kept) = self.0.get_mut().unwrap_or_else(PoisonError::into_inner).as_mut() {
            if let Err(at) = kept.changed.binary_search(&i) {
                kept.changed.insert(at, i);
            }
        }
    }
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        self.terms.dto() == other.terms.dto()
            && self.slots.len() == other.slots.len()
            && self
                .slots
                .iter()
                .zip(&other.slots)
                .all(|(a, b)| a.key == b.key && *a.buyer == *b.buyer && a.account.events() == b.account.events())
    }
}

/// One event for one buyer, as [`Engine::apply_all`] takes them.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuyerEventDto {
    /// The buyer's key.
    pub buyer: String,
    /// The event.
    pub event: AccountEventDto,
}

/// One buyer of an engine with its log, as [`EngineSetupDto`] and the snapshot hold it.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EngineBuyerDto {
    /// The buyer's key, unique in the engine (the ERP's customer number, say).
    pub id: String,
    /// The buyer.
    pub buyer: BuyerDto,
    /// Its events, in any order.
    #[serde(default)]
    pub events: Vec<AccountEventDto>,
}

/// A whole engine at once: [`Engine::load`].
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EngineSetupDto {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyers, in order.
    #[serde(default)]
    pub buyers: Vec<EngineBuyerDto>,
}

/// The snapshot as it is read: [`EngineSetupDto`] with its format version first.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SnapshotIn {
    #[allow(dead_code)]
    format_version: u32,
    policy: PolicyDto,
    buyers: Vec<EngineBuyerDto>,
}

/// The snapshot as it is written, borrowing from the engine.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotOut<'a> {
    format_version: u32,
    policy: &'a PolicyDto,
    buyers: Vec<SnapshotBuyer<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotBuyer<'a> {
    id: &'a str,
    buyer: &'a BuyerDto,
    events: &'a Log,
}

/// The error of an account event under `field`: `invalid_event` names the event list,
/// `empty_value` its id.
fn at_event(e: Error, field: &str) -> Error {
    match e {
        Error::InvalidEvent { id, detail, .. } => Error::InvalidEvent {
            field: field.to_owned(),
            id,
            detail,
        },
        Error::EmptyValue { field: f } if f == "events.id" => Error::EmptyValue {
            field: format!("{field}.id"),
        },
        other => other,
    }
}

impl Engine {
    /// An engine for `policy`, validated here once, with no buyers.
    pub fn new(policy: &PolicyDto) -> Result<Engine, Error> {
        let terms = Terms::new(policy)?;
        Ok(Engine {
            empty: Account::empty(&terms)?,
            terms,
            slots: Vec::new(),
            keys: HashMap::default(),
            quick: Quicks::default(),
            batch: KeptBatch::default(),
        })
    }

    /// An engine from a whole setup: the policy, then each buyer with its events in any order,
    /// each log replayed once as [`Account::from_events`] does (ACC). Errors name the buyer
    /// (`buyers[3].events`).
    pub fn load(setup: EngineSetupDto) -> Result<Engine, Error> {
        let mut engine = Engine::new(&setup.policy)?;
        engine.slots.reserve(setup.buyers.len());
        for (i, b) in setup.buyers.into_iter().enumerate() {
            let at = |e: Error| e.with_prefix(&format!("buyers[{i}]"));
            if engine.keys.contains_key(&b.id) {
                return Err(at(Error::DuplicateBuyer {
                    field: "id".into(),
                    value: crate::error::truncated(&b.id),
                }));
            }
            engine.check_buyer(&b.id, &b.buyer).map_err(at)?;
            let account = if b.events.is_empty() {
                engine.empty.clone()
            } else {
                Account::from_events_under(&engine.terms, b.events)
                    .map_err(|e| at_event(e, &format!("buyers[{i}].events")))?
            };
            engine.push_slot(b.id, b.buyer, account);
        }
        Ok(engine)
    }

    /// The policy the engine was created with.
    pub fn policy(&self) -> &PolicyDto {
        self.terms.dto()
    }

    /// Gives the engine its policy again: nothing happens when it is the one it holds; any
    /// other is `policy_already_set` (an engine holds one policy for its life; terms that
    /// change on a date are a `policyTermsSet` event of the accounts).
    pub fn set_policy(&mut self, policy: &PolicyDto) -> Result<(), Error> {
        if policy == self.terms.dto() {
            Ok(())
        } else {
            Err(Error::PolicyAlreadySet { field: "policy".into() })
        }
    }

    /// Adds a buyer under `key` (unique in the engine, e.g. the ERP's customer number) with an
    /// empty account. The same key with the same details again is accepted and changes
    /// nothing; with other details it is `duplicate_buyer`. The buyer is checked here (a
    /// legal name, a known country) rather than at the first question.
    pub fn add_buyer(&mut self, key: &str, buyer: BuyerDto) -> Result<BuyerId, Error> {
        if let Some(&i) = self.keys.get(key) {
            return match self.slots.get(i) {
                Some(slot) if *slot.buyer == buyer => Ok(BuyerId(i as u32)),
                _ => Err(Error::DuplicateBuyer {
                    field: "id".into(),
                    value: crate::error::truncated(key),
                }),
            };
        }
        self.check_buyer(key, &buyer)?;
        Ok(self.push_slot(key.to_owned(), buyer, self.empty.clone()))
    }

    fn check_buyer(&self, key: &str, buyer: &BuyerDto) -> Result<(), Error> {
        if key.trim().is_empty() {
            return Err(Error::EmptyValue { field: "id".into() });
        }
        if self.slots.len() >= u32::MAX as usize {
            return Err(Error::OutOfRange {
                field: "id".into(),
                value: self.slots.len().to_string(),
                expected: format!("at most {} buyers", u32::MAX),
            });
        }
        let neutral = ReceivableDto::buyer_only();
        check_insurability(self.terms.policy(), buyer, &neutral).map(|_| ())
    }

    fn push_slot(&mut self, key: String, buyer: BuyerDto, account: Account) -> BuyerId {
        let i = self.slots.len();
        self.batch.changed(i);
        self.slots.push(Slot {
            key: key.as_str().into(),
            buyer: Box::new(buyer),
            index: Some(LogIndex::of(&account)),
            account,
            prepared: RwLock::new(None),
        });
        self.keys.insert(key, i);
        self.quick.resize(self.slots.len());
        BuyerId(i as u32)
    }

    /// The buyer with key `key`, if the engine holds it.
    pub fn buyer_id(&self, key: &str) -> Option<BuyerId> {
        self.keys.get(key).map(|&i| BuyerId(i as u32))
    }

    /// The buyer at position `index` (in the order buyers were added, as [`BuyerId::index`]
    /// gives it), if the engine holds one: how a binding turns a position it was given back
    /// into a [`BuyerId`].
    pub fn buyer_at(&self, index: usize) -> Option<BuyerId> {
        (index < self.slots.len()).then_some(BuyerId(index as u32))
    }

    /// Number of buyers.
    pub fn buyer_count(&self) -> usize {
        self.slots.len()
    }

    /// The buyers' keys, in the order they were added.
    pub fn buyer_keys(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(|s| &*s.key)
    }

    /// A buyer's details.
    pub fn buyer(&self, buyer: impl BuyerRef) -> Result<&BuyerDto, Error> {
        Ok(&self.slot(&buyer)?.buyer)
    }

    /// A buyer's log: its events in the order they are read (date order, ties in arrival order).
    pub fn events(&self, buyer: impl BuyerRef) -> Result<&Log, Error> {
        Ok(self.slot(&buyer)?.account.events())
    }

    fn slot(&self, buyer: &impl BuyerRef) -> Result<&Slot, Error> {
        self.slot_at(buyer.position(self, "buyer")?)
    }

    /// The slot at position `i` (found by [`BuyerRef::position`], so in range).
    fn slot_at(&self, i: usize) -> Result<&Slot, Error> {
        self.slots.get(i).ok_or_else(|| Error::Internal {
            detail: "buyer position out of range".into(),
        })
    }

    /// Applies one event to a buyer's account (ACC), as [`Account::apply`] does: the same
    /// event twice is kept once; an id used again for another event, or an event that
    /// contradicts the log (`invalid_event`, field `event`), changes nothing. An event dated on
    /// or after the buyer's last one is read alone; one dated earlier reads this buyer's log
    /// again. An unknown buyer is `unknown_buyer` (field `buyer`).
    pub fn apply(&mut self, buyer: impl BuyerRef, event: AccountEventDto) -> Result<(), Error> {
        let i = buyer.position(self, "buyer")?;
        let slot = self.slots.get_mut(i).ok_or_else(|| Error::Internal {
            detail: "buyer position out of range".into(),
        })?;
        let index = slot.index.get_or_insert_with(|| LogIndex::of(&slot.account));
        slot.account.push(event, index).map_err(|e| at_event(e, "event"))?;
        *slot.prepared.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
        self.quick.forget(i);
        self.batch.changed(i);
        Ok(())
    }

    /// Applies events in order, each as [`Engine::apply`] does, and returns how many were
    /// applied. It stops at the first that fails, with its error under `events[i]`; the
    /// events before it stay applied, and since an event applied twice is kept once, the
    /// whole list may be sent again once the bad event is mended.
    pub fn apply_all(&mut self, events: impl IntoIterator<Item = BuyerEventDto>) -> Result<usize, Error> {
        let mut n = 0;
        for (i, e) in events.into_iter().enumerate() {
            let i_field = format!("events[{i}]");
            let position = e.buyer.as_str().position(self, &format!("{i_field}.buyer"))?;
            self.apply(BuyerId(position as u32), e.event).map_err(|err| match err {
                Error::InvalidEvent { id, detail, .. } => Error::InvalidEvent {
                    field: format!("{i_field}.event"),
                    id,
                    detail,
                },
                other => other.with_prefix(&i_field),
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// Runs `f` on the buyer's cover prepared for `as_of`, preparing it (and keeping it until
    /// the buyer's next event) when the last question was about another day.
    fn with_cover<T>(
        &self,
        slot: &Slot,
        as_of: NaiveDate,
        f: impl FnOnce(&Prepared) -> Result<T, Error>,
    ) -> Result<T, Error> {
        {
            let kept = slot.prepared.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(p) = kept.as_ref().filter(|p| p.as_of == as_of) {
                return f(p);
            }
        }
        let (context, outstanding) = slot.account.cover_at(self.terms.dto(), &slot.buyer, as_of)?;
        let prepared = Prepared {
            as_of,
            quick: context.quick(),
            context,
            outstanding,
            outstanding_dto: MoneyDto {
                amount: DecimalString(outstanding.amount),
                currency: outstanding.currency.code().to_owned(),
            },
        };
        let answer = f(&prepared);
        *slot.prepared.write().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(prepared));
        answer
    }

    /// The figures of a cover check (LIM-1, LIM-3, DIS-1..5, BUY-2..4, PRM-4, OVD-2, OVD-3,
    /// DIS-6): the part of `delivery` covered and not, given what the buyer owes on `as_of`,
    /// without the explanation. The same figures as [`Engine::check_cover`]; see
    /// [`Engine::planned`] for the typed delivery.
    pub fn cover_figures(
        &self,
        buyer: impl BuyerRef,
        delivery: &PlannedDelivery,
        as_of: NaiveDate,
    ) -> Result<CoverFigures, Error> {
        let i = buyer.position(self, "buyer")?;
        if let Some(lock) = self.quick.0.get(i) {
            let kept = lock.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(q) = kept.as_ref().filter(|q| q.as_of == as_of) {
                return q.cover.figures(q.outstanding, delivery);
            }
        }
        let slot = self.slot_at(i)?;
        let mut kept = None;
        let figures = self.with_cover(slot, as_of, |p| match &p.quick {
            Some(quick) => {
                kept = Some(Quick {
                    as_of,
                    outstanding: p.outstanding,
                    cover: *quick,
                });
                quick.figures(p.outstanding, delivery)
            }
            None => p.context.figures(p.outstanding, delivery),
        });
        if let Some(quick) = kept {
            self.quick.keep(i, quick);
        }
        figures
    }

    /// [`Engine::cover_figures`] for a delivery DTO (checked as [`Engine::check_cover`] checks it).
    pub fn cover_figures_of(
        &self,
        buyer: impl BuyerRef,
        delivery: &DeliveryOrderDto,
        as_of: NaiveDate,
    ) -> Result<CoverFigures, Error> {
        let slot = self.slot(&buyer)?;
        self.with_cover(slot, as_of, |p| {
            p.context.figures(p.outstanding, &p.context.planned(delivery)?)
        })
    }

    /// A delivery DTO checked (an amount above zero in the policy currency, payment terms in
    /// range) and in typed form, for [`Engine::cover_figures`].
    pub fn planned(&self, delivery: &DeliveryOrderDto) -> Result<PlannedDelivery, Error> {
        let amount = self.terms.policy().money(&delivery.amount, "delivery.amount")?;
        self.planned_parts(
            amount.amount,
            delivery.date.0,
            delivery.payment_terms_days,
            delivery.end_of_month,
            delivery.kind,
            delivery.payment_security,
        )
    }

    /// [`Engine::planned`] from a delivery's parts, the amount in the policy currency: the
    /// same checks and errors (fields `delivery.amount.amount`, `delivery.paymentTermsDays`),
    /// without a DTO, so without an allocation (the C ABI's cover check).
    pub fn planned_parts(
        &self,
        amount: rust_decimal::Decimal,
        date: NaiveDate,
        payment_terms_days: u32,
        end_of_month: bool,
        kind: ReceivableKind,
        payment_security: PaymentSecurity,
    ) -> Result<PlannedDelivery, Error> {
        PlannedDelivery::from_parts(
            self.terms.policy(),
            amount,
            date,
            payment_terms_days,
            end_of_month,
            kind,
            payment_security,
        )
    }

    /// The explained cover decision for `delivery` on `as_of`: exactly what op
    /// `check_delivery_cover` answers given the buyer's history up to that day (its outstanding,
    /// limit events, self-assessment evidence and overdue situation).
    pub fn check_cover(
        &self,
        buyer: impl BuyerRef,
        delivery: &DeliveryOrderDto,
        as_of: NaiveDate,
    ) -> Result<Decision, Error> {
        let slot = self.slot(&buyer)?;
        self.with_cover(slot, as_of, |p| p.context.check(&p.outstanding_dto, delivery))
    }

    /// What the buyer owes on `as_of`.
    pub fn outstanding(&self, buyer: impl BuyerRef, as_of: NaiveDate) -> Result<Money, Error> {
        let slot = self.slot(&buyer)?;
        self.with_cover(slot, as_of, |p| Ok(p.outstanding))
    }

    /// The buyer's account on `as_of`: what op `account_state` answers on its log (ACC).
    pub fn account_state(&self, buyer: impl BuyerRef, as_of: NaiveDate) -> Result<Decision, Error> {
        let slot = self.slot(&buyer)?;
        slot.account.state_at(self.terms.dto(), &slot.buyer, as_of)
    }

    /// The buyer's limit on `as_of`: what op `limit_state` answers on the limit events of its
    /// log up to that day (LIM-1, LIM-3, LIM-4).
    pub fn limit_state(&self, buyer: impl BuyerRef, as_of: NaiveDate) -> Result<Decision, Error> {
        let slot = self.slot(&buyer)?;
        slot.account.limit_state_at(self.terms.dto(), as_of)
    }

    /// The worklist of every buyer on `as_of`: what op `obligations` answers on all the
    /// accounts, in the engine's order (ACC); messages in `lang` when given.
    pub fn obligations(&self, as_of: NaiveDate, lang: Option<Language>) -> Result<Decision, Error> {
        merged_obligations(
            self.slots.iter().map(|s| (&s.account, &*s.buyer)),
            self.terms.dto(),
            as_of,
            lang,
            |i| format!("buyers[{i}].events"),
        )
    }

    /// One buyer's duties on `as_of` (ACC), sorted by due date, then kind.
    pub fn buyer_obligations(&self, buyer: impl BuyerRef, as_of: NaiveDate) -> Result<Vec<Obligation>, Error> {
        let slot = self.slot(&buyer)?;
        slot.account.obligations(self.terms.dto(), &slot.buyer, as_of)
    }

    /// The batch over a ledger with this engine's policy and buyers on `as_of` (BAT-7,
    /// `spec/batch.md`): the per-buyer setup of [`Batch::new`], from each buyer's log up to
    /// `as_of` (its limit events, its latest self-assessment evidence, whether the insurer
    /// confirmed continued cover), prepared on the first call for a date and kept for that
    /// date, so later calls pay none of it; after a change (an event applied, a buyer added)
    /// the next call prepares again only the buyers changed. The ledger's buyer column
    /// numbers the engine's buyers in their order ([`BuyerId::index`]); the buyers' invoices,
    /// payments and overdue reports are not read (the ledger's rows are the invoices: BAT-1,
    /// BAT-6). An error names the buyer by position (`buyers[3].events`): a `policyTermsSet`
    /// on or before `as_of` is `invalid_event`, as the batch reads one policy.
    ///
    /// ```
    /// use delcredere::batch::{Ledger, NO_DATE};
    /// use delcredere::engine::{Engine, EngineSetupDto};
    ///
    /// let setup: EngineSetupDto = serde_json::from_str(r#"{"policy": {"currency": "EUR",
    ///     "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
    ///     "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
    ///     "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
    ///     "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
    ///   "buyers": [{"id": "D-1001", "buyer": {"legalName": "Müller GmbH", "legalForm": "GmbH",
    ///     "country": "DE", "entityKind": "company"}, "events": [
    ///     {"type": "limitApplied", "id": "l1", "date": "2026-02-01", "paymentTermsDays": 60,
    ///      "requestedAmount": {"amount": "40000", "currency": "EUR"}},
    ///     {"type": "limitGranted", "id": "l2", "date": "2026-02-05",
    ///      "amount": {"amount": "40000", "currency": "EUR"}}]}]}"#)?;
    /// let engine = Engine::load(setup)?;
    /// let batch = engine.batch("2026-06-30".parse()?)?;
    /// // Two invoices of buyer 0 (D-1001) in cents: 30,000.00 on 1 March, 15,000.00 on 2 March.
    /// let day = |d: &str| delcredere::batch::days_from_date(d.parse().unwrap());
    /// let ledger = Ledger {
    ///     buyer: &[0, 0],
    ///     amount: &[3_000_000, 1_500_000],
    ///     scale: 2,
    ///     date: &[day("2026-03-01"), day("2026-03-02")],
    ///     terms_days: &[60, 60],
    ///     end_of_month: None,
    ///     paid_on: None,
    /// };
    /// let out = batch.cover(&ledger, Vec::new())?;
    /// // 30,000 owed under the 40,000 limit: 10,000 of the second covered (LIM-1, BAT-1).
    /// assert_eq!(out.covered, [3_000_000, 1_000_000]);
    /// assert_eq!(out.outstanding, [0, 3_000_000]);
    /// // The same date again: the batch kept.
    /// assert!(std::sync::Arc::ptr_eq(&batch, &engine.batch("2026-06-30".parse()?)?));
    /// # let _ = NO_DATE;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn batch(&self, as_of: NaiveDate) -> Result<Arc<Batch>, Error> {
        {
            let kept = self.batch.0.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(k) = kept
                .as_ref()
                .filter(|k| k.batch.as_of() == as_of && k.changed.is_empty())
            {
                return Ok(Arc::clone(&k.batch));
            }
        }
        let prepare = |i: usize, s: &Slot| {
            s.account
                .batch_buyer(self.terms.dto(), self.terms.policy(), &s.buyer, as_of)
                .map_err(|e| at_event(e, "events"))
                .map_err(|e| e.with_prefix(&format!("buyers[{i}]")))
        };
        let mut kept = self.batch.0.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(k) = kept.as_mut().filter(|k| k.batch.as_of() == as_of) {
            // Only the buyers changed since are prepared again (a copy of the batch when a
            // caller still holds it).
            let batch = Arc::make_mut(&mut k.batch);
            for &i in &k.changed {
                let (context, confirmed) = prepare(i, self.slot_at(i)?)?;
                batch.set_buyer(i, context, confirmed)?;
            }
            k.changed.clear();
            return Ok(Arc::clone(&k.batch));
        }
        let buyers = self.slots.iter().map(|s| {
            s.account
                .batch_buyer(self.terms.dto(), self.terms.policy(), &s.buyer, as_of)
                .map_err(|e| at_event(e, "events"))
        });
        let batch = Arc::new(Batch::of_buyers(self.terms.policy().clone(), as_of, buyers)?);
        *kept = Some(Kept {
            batch: Arc::clone(&batch),
            changed: Vec::new(),
        });
        Ok(batch)
    }

    /// The engine as JSON text in snapshot format [`SNAPSHOT_FORMAT_VERSION`]:
    /// `{"formatVersion": 1, "policy": ..., "buyers": [{"id", "buyer", "events"}]}`, each log in
    /// the order it is read. [`Engine::restore`] reads it back.
    pub fn snapshot(&self) -> Result<String, Error> {
        let out = SnapshotOut {
            format_version: SNAPSHOT_FORMAT_VERSION,
            policy: self.terms.dto(),
            buyers: self
                .slots
                .iter()
                .map(|s| SnapshotBuyer {
                    id: &s.key,
                    buyer: &s.buyer,
                    events: s.account.events(),
                })
                .collect(),
        };
        serde_json::to_string(&out).map_err(|e| Error::Internal { detail: e.to_string() })
    }

    /// An engine from a snapshot of [`Engine::snapshot`]: equal to the engine that wrote it.
    /// Another format version is `unsupported_snapshot` (field `formatVersion`); text that is
    /// not a whole snapshot (cut short, edited) is a typed error with its field path
    /// (`invalid_json`, `missing_field`, `invalid_event` at `buyers[3].events`, ...): the policy
    /// is validated and every log replayed, so what restores is an engine `load` accepts.
    pub fn restore(snapshot: &str) -> Result<Engine, Error> {
        let version = match leading_version(snapshot) {
            Some(v) => v,
            None => probe_version(snapshot)?,
        };
        if version != u64::from(SNAPSHOT_FORMAT_VERSION) {
            return Err(Error::UnsupportedSnapshot {
                field: "formatVersion".into(),
                value: version.to_string(),
                expected: SNAPSHOT_FORMAT_VERSION.to_string(),
            });
        }
        let parsed: SnapshotIn = match serde_json::from_str(snapshot) {
            Ok(s) => s,
            // Read again, slower, for the error's field path.
            Err(_) => {
                let mut de = serde_json::Deserializer::from_str(snapshot);
                let mut again = serde_json::Deserializer::from_str(snapshot);
                let s: SnapshotIn = crate::ffi::deserialize_twice(&mut de, &mut again).map_err(at_root)?;
                de.end().map_err(|e| Error::InvalidJson {
                    field: "snapshot".into(),
                    detail: e.to_string(),
                })?;
                s
            }
        };
        Engine::load(EngineSetupDto {
            policy: parsed.policy,
            buyers: parsed.buyers,
        })
    }
}

/// An error about the whole snapshot names it (`snapshot`, not `input`).
fn at_root(e: Error) -> Error {
    let root = |field: String| if field == "input" { "snapshot".to_owned() } else { field };
    match e {
        Error::InvalidJson { field, detail } => Error::InvalidJson {
            field: root(field),
            detail,
        },
        Error::InvalidType { field, detail } => Error::InvalidType {
            field: root(field),
            detail,
        },
        Error::UnknownField { field, value, expected } => Error::UnknownField {
            field: root(field),
            value,
            expected,
        },
        Error::DuplicateField { field, value } => Error::DuplicateField {
            field: root(field),
            value,
        },
        other => other,
    }
}

/// The format version of a snapshot that starts with it, as [`Engine::snapshot`] writes it:
/// `{"formatVersion": <digits>` (white space allowed), read without parsing the rest.
fn leading_version(text: &str) -> Option<u64> {
    let rest = text.trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix("\"formatVersion\"")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = rest.get(digits..)?.trim_start();
    if digits == 0 || digits > 9 || !(after.starts_with(',') || after.starts_with('}')) {
        return None;
    }
    rest.get(..digits)?.parse().ok()
}

/// The format version of any other JSON object: `formatVersion` wherever it is.
fn probe_version(text: &str) -> Result<u64, Error> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "formatVersion")]
        format_version: Option<serde_json::Value>,
    }
    // The messages in the reader's words, without serde's (`struct Probe`) or a position.
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.is_data() {
        // An object fails the probe only with the version twice.
        true if text.trim_start().starts_with('{') => Error::DuplicateField {
            field: "formatVersion".into(),
            value: "formatVersion".into(),
        },
        true => Error::InvalidType {
            field: "snapshot".into(),
            detail: "expected a JSON object (the text of snapshot())".into(),
        },
        false => Error::InvalidJson {
            field: "snapshot".into(),
            detail: crate::serde_error::strip_position(&e.to_string()),
        },
    })?;
    match probe.format_version {
        None => Err(Error::MissingField {
            field: "formatVersion".into(),
        }),
        Some(v) => v.as_u64().ok_or_else(|| Error::UnsupportedSnapshot {
            field: "formatVersion".into(),
            value: crate::error::truncated(&v.to_string()),
            expected: SNAPSHOT_FORMAT_VERSION.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn engine() -> Engine {
        let policy: PolicyDto = serde_json::from_value(serde_json::json!({"currency": "EUR",
            "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
            "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
            "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
        .unwrap();
        let mut engine = Engine::new(&policy).unwrap();
        for key in ["A", "B", "C"] {
            let buyer: BuyerDto = serde_json::from_value(serde_json::json!({"legalName": format!("{key} GmbH"),
                "legalForm": "GmbH", "country": "DE", "entityKind": "company"}))
            .unwrap();
            engine.add_buyer(key, buyer).unwrap();
        }
        engine
    }

    /// Every way of making an engine gives it one quick block per buyer (else its cover checks
    /// on figures would answer right, through the slot, but never keep one), and a check keeps
    /// the buyer's block, which its next event drops.
    #[test]
    fn every_engine_has_a_quick_block_per_buyer_acc() {
        let engine = engine();
        let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let delivery: DeliveryOrderDto = serde_json::from_value(serde_json::json!({
            "amount": {"amount": "100", "currency": "EUR"}, "date": "2026-06-30", "paymentTermsDays": 30}))
        .unwrap();
        let planned = engine.planned(&delivery).unwrap();
        engine.cover_figures("B", &planned, as_of).unwrap();
        assert!(engine.quick.holds(1, as_of));
        assert!(!engine.quick.holds(0, as_of));
        let restored = [
            engine.clone(),
            Engine::restore(&engine.snapshot().unwrap()).unwrap(),
            Engine::restore_bytes(&engine.snapshot_bytes().unwrap()).unwrap(),
        ];
        for mut other in restored.into_iter().chain([engine.clone()]) {
            assert_eq!(other.quick.0.len(), other.slots.len());
            assert!(!other.quick.holds(1, as_of), "not carried over");
            other.cover_figures("C", &planned, as_of).unwrap();
            assert!(other.quick.holds(2, as_of));
            other
                .apply(
                    "C",
                    serde_json::from_value(serde_json::json!({"type": "invoiceIssued", "id": "i1",
                        "date": "2026-06-01", "reference": "F-1",
                        "amount": {"amount": "50", "currency": "EUR"}, "paymentTermsDays": 30}))
                    .unwrap(),
                )
                .unwrap();
            assert!(!other.quick.holds(2, as_of), "dropped by the event");
        }
    }
}
