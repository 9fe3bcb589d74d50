//! An account read one event at a time, for [`crate::engine::Engine`] (ACC).
//!
//! [`Account::apply`] reads the whole log again for every event, to check it stays consistent.
//! The engine cannot afford that: here an event dated on or after the account's last event (the
//! usual case, events as they happen) is read into the kept ledger alone, its id and invoice
//! reference found through a [`LogIndex`] of hashes instead of a scan, so its cost does not
//! grow with the history. An event dated before the last one is put in its place and the
//! account read again, as [`Account::apply`] does. Either way the log and the answers are the
//! ones [`Account::replay`] gives for the same events.

use std::collections::HashMap;
use std::hash::BuildHasher;

use chrono::NaiveDate;

use super::positions::{Kind, Lookup, Positions};
use super::{invalid, Account, AccountEventDto, Ledger, Log, Obligation, Terms};
use crate::buyer::BuyerDto;
use crate::cover::CoverContext;
use crate::decision::Decision;
use crate::error::Error;
use crate::money::Money;
use crate::policy::{Policy, PolicyDto};

/// Where an account's event ids and invoice references are, by a keyed hash of the string
/// (foldhash, its seed drawn at random per index, so ids cannot be crafted in advance to pile
/// up on one hash), in one small table ([`Positions`]: a look-up and the insert after it
/// touch one cache line, as an engine fed many buyers' events in turn finds the index out of
/// the cache). A string is confirmed by comparing it with the log, so two strings with the
/// same hash are told apart; a table that could not hold a key answers by a scan of the log.
/// Rebuilt after the log is read again.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogIndex {
    keys: foldhash::fast::RandomState,
    /// Event id -> position in the log; invoice reference -> index in the ledger's invoices.
    positions: Positions,
    /// Whether the ledger has planned deliveries or circumstances to notify
    /// ([`Ledger::names_other_events`]), kept here so that an event read alone does not
    /// reach into the ledger's fields to learn it.
    names_others: bool,
}

impl LogIndex {
    /// The index of an account's log.
    pub(crate) fn of(account: &Account) -> LogIndex {
        let mut index = LogIndex::default();
        index.rebuild(account);
        index
    }

    fn hash(&self, s: &str) -> u64 {
        self.keys.hash_one(s)
    }

    fn rebuild(&mut self, account: &Account) {
        let invoices = account.read.as_ref().map_or(0, |l| l.invoices.len());
        self.positions = Positions::with_capacity(account.events.len() + invoices);
        // The first of each string, should one come twice.
        for (k, e) in account.events.iter().enumerate() {
            let h = self.hash(e.id());
            if self.event(&account.events, e.id(), h).is_none() {
                self.positions.insert(h, Kind::Id, k);
            }
        }
        self.names_others = account.read.as_ref().is_some_and(|l| l.names_other_events());
        if let Some(ledger) = &account.read {
            for (i, invoice) in ledger.invoices.iter().enumerate() {
                let reference = invoice.reference(&account.events);
                let h = self.hash(reference);
                if self.invoice(&account.events, ledger, reference, h).is_none() {
                    self.positions.insert(h, Kind::Reference, i);
                }
            }
        }
    }

    /// The event with id `id` (of hash `h`), if the log has one.
    fn event<'e>(&self, events: &'e Log, id: &str, h: u64) -> Option<&'e AccountEventDto> {
        let is = |k: usize| events.get(k).is_some_and(|e| e.id() == id);
        match self.positions.get(h, Kind::Id, is) {
            Lookup::Found(k) => events.get(k),
            Lookup::Absent => None,
            Lookup::Unknown => events.iter().find(|e| e.id() == id),
        }
    }

    /// The index in `ledger.invoices` of the invoice `reference` (of hash `h`), if the log has
    /// one.
    fn invoice(&self, events: &Log, ledger: &Ledger, reference: &str, h: u64) -> Option<usize> {
        let is = |i: usize| {
            ledger
                .invoices
                .get(i)
                .is_some_and(|inv| inv.reference(events) == reference)
        };
        match self.positions.get(h, Kind::Reference, is) {
            Lookup::Found(i) => Some(i),
            Lookup::Absent => None,
            Lookup::Unknown => ledger
                .invoices
                .iter()
                .position(|inv| inv.reference(events) == reference),
        }
    }
}

/// What an allocated payment changes before it may still fail: put back when it does.
struct Undo {
    owed: rust_decimal::Decimal,
    settled: usize,
    open: Vec<(usize, rust_decimal::Decimal)>,
}

impl Account {
    /// An account with no events under `policy`, read (validated) once.
    pub(crate) fn empty(terms: &Terms) -> Result<Account, Error> {
        Account::from_events_under(terms, Vec::new())
    }

    /// Adds one event as [`Account::apply`] does, with the same result and the same error, at
    /// a cost that does not grow with the log when the event is dated on or after the last one.
    /// `index` is the account's [`LogIndex`]; the account must have been read (built by
    /// [`Account::replay`], [`Account::from_events`] or [`Account::empty`]).
    pub(crate) fn push(&mut self, event: AccountEventDto, index: &mut LogIndex) -> Result<(), Error> {
        let id = event.id();
        let h = index.hash(id);
        if let Some(seen) = index.event(&self.events, id, h) {
            return if *seen == event {
                Ok(())
            } else {
                Err(invalid(id, format!("id '{id}' was already used for another event")))
            };
        }
        if id.trim().is_empty() {
            return Err(Error::EmptyValue {
                field: "events.id".into(),
            });
        }
        let Account { events, read } = self;
        let Some(ledger) = read.as_deref_mut() else {
            return Err(Error::Internal {
                detail: "account pushed to before it was read".into(),
            });
        };
        let date = event.date();
        if events.last().is_some_and(|last| date < last.date()) {
            // Out of date order: put it in its place and read the log again.
            let position = events.position_after(date);
            events.insert(position, event);
            return match Ledger::build(&ledger.base, events, NaiveDate::MAX) {
                Ok(again) => {
                    *ledger = again;
                    index.rebuild(self);
                    Ok(())
                }
                Err(e) => {
                    events.remove(position);
                    Err(e)
                }
            };
        }
        if index.names_others {
            // Planned deliveries and circumstances to notify are named by later events (a
            // plan by its reference, a circumstance by its id), which this index does not
            // keep: an account that has any is read again whole, as `Account::apply` does
            // (the same answer; the usual events stay incremental).
            events.push(event);
            return match Ledger::build(&ledger.base, events, NaiveDate::MAX) {
                Ok(again) => {
                    *ledger = again;
                    index.rebuild(self);
                    Ok(())
                }
                Err(e) => {
                    events.pop();
                    Err(e)
                }
            };
        }
        let k = events.len();
        // The references this event names, found in the index (`Ledger::read` looks them up
        // in this map, which holds only them).
        let mut references: HashMap<&str, usize> = HashMap::new();
        let mut undo = None;
        let mut new_reference = None;
        // Whether the ledger will name other events after this one: a planned delivery or a
        // circumstance to notify is all that makes it (`Ledger::read`).
        let mut names_others = false;
        use AccountEventDto as E;
        match &event {
            E::InvoiceIssued { reference, .. } => {
                let r = index.hash(reference);
                if index.invoice(events, ledger, reference, r).is_some() {
                    return Err(invalid(id, format!("invoice '{reference}' was already issued")));
                }
                new_reference = Some(r);
            }
            E::CreditNoteIssued { reference, .. } => {
                if let Some(i) = index.invoice(events, ledger, reference, index.hash(reference)) {
                    references.insert(reference, i);
                }
            }
            E::PaymentReceived {
                allocation: Some(parts),
                ..
            } => {
                for part in parts {
                    if let Some(i) = index.invoice(events, ledger, &part.reference, index.hash(&part.reference)) {
                        references.insert(&part.reference, i);
                    }
                }
                undo = Some(Undo {
                    owed: ledger.owed,
                    settled: ledger.settled.len(),
                    open: references
                        .values()
                        .filter_map(|&i| ledger.open.get(i).map(|o| (i, *o)))
                        .collect(),
                });
            }
            // A planned delivery may not take an invoice's reference; a circumstance may name
            // the invoice it concerns (LIM-7, OVD-7): `Ledger::read` looks these up too.
            E::DeliveryPlanned { reference, .. } => {
                names_others = true;
                if let Some(i) = index.invoice(events, ledger, reference, index.hash(reference)) {
                    references.insert(reference, i);
                }
            }
            _ => {
                if let Some(circumstance) = super::notify::circumstance(&event) {
                    names_others = true;
                    if let Some(reference) = circumstance.reference {
                        if let Some(i) = index.invoice(events, ledger, reference, index.hash(reference)) {
                            references.insert(reference, i);
                        }
                    }
                }
            }
        }
        let mut names = super::Names {
            invoices: references,
            // A new invoice's reference goes into the index below, not into this map.
            skip_new_invoices: true,
            ..super::Names::default()
        };
        if let Err(e) = ledger.read(&event, k, &mut names) {
            // Only an allocated payment can fail after changing the ledger (a later part of
            // it unknown or more than is open, or the parts not adding up): put it back.
            if let Some(undo) = undo {
                ledger.owed = undo.owed;
                ledger.settled.truncate(undo.settled);
                for (i, o) in undo.open {
                    if let Some(open) = ledger.open.get_mut(i) {
                        *open = o;
                    }
                }
            }
            return Err(e);
        }
        drop(names);
        if let Some(r) = new_reference {
            index
                .positions
                .insert(r, Kind::Reference, ledger.invoices.len().saturating_sub(1));
        }
        index.positions.insert(h, Kind::Id, k);
        index.names_others = names_others;
        events.push(event);
        Ok(())
    }

    /// The cover of the buyer on `as_of` prepared for delivery checks, as
    /// [`Account::state_at`] prepares it (the policy in force, the limit events, the
    /// self-assessment evidence and the exclusion of new deliveries on that day: LIM-1, LIM-3,
    /// DIS-1..5, OVD-2, OVD-3, DIS-6), and what the buyer owes on that day.
    pub(crate) fn cover_at(
        &self,
        policy: &PolicyDto,
        buyer: &BuyerDto,
        as_of: NaiveDate,
    ) -> Result<(CoverContext, Money), Error> {
        let l = self.ledger(policy, as_of)?;
        let facts = l.facts(&self.events, as_of)?;
        let exclusion = l.exclusion(&facts, as_of)?;
        let context = CoverContext::with_policy(
            (*l.policy).clone(),
            buyer.clone(),
            &l.limit_events,
            l.evidence.clone(),
            as_of,
        )?
        .with_exclusion(exclusion);
        Ok((context, Money::new(l.outstanding(), l.policy.currency)))
    }

    /// What a batch over a ledger takes of this account on `as_of` (BAT-7): the buyer's cover
    /// context from its limit events and self-assessment evidence up to that day, under
    /// `validated` (the engine's policy, validated once), and whether the insurer confirmed
    /// continued cover by then (OVD-2, OVD-3). Its invoices, payments and overdue reports are
    /// not read: the ledger's rows are the invoices (BAT-1, BAT-6). A `policyTermsSet` on or
    /// before `as_of` is `invalid_event` (field `events`): the batch reads one policy for all
    /// buyers.
    pub(crate) fn batch_buyer(
        &self,
        policy: &PolicyDto,
        validated: &Policy,
        buyer: &BuyerDto,
        as_of: NaiveDate,
    ) -> Result<(CoverContext, bool), Error> {
        if let Some(e) = self
            .events
            .iter()
            .find(|e| matches!(e, AccountEventDto::PolicyTermsSet { .. }) && e.date() <= as_of)
        {
            return Err(Error::InvalidEvent {
                field: "events".into(),
                id: e.id().to_owned(),
                detail: format!(
                    "policy terms set on {} for this buyer: a batch reads the engine's one policy for every buyer",
                    e.date()
                ),
            });
        }
        let l = self.ledger(policy, as_of)?;
        let context = CoverContext::with_policy(
            validated.clone(),
            buyer.clone(),
            &l.limit_events,
            l.evidence.clone(),
            as_of,
        )?;
        Ok((context, l.continued_cover))
    }

    /// The buyer's limit on `as_of` as op `limit_state` describes it, from the account's limit
    /// events up to that day under the policy in force (LIM-1, LIM-3, LIM-4).
    pub(crate) fn limit_state_at(&self, policy: &PolicyDto, as_of: NaiveDate) -> Result<Decision, Error> {
        let l = self.ledger(policy, as_of)?;
        crate::limit::limit_state_of(&l.policy, &l.limit_events, as_of)
    }
}

/// The worklists of several accounts merged as op `obligations` merges them: each obligation
/// names its buyer (the legal name, trimmed), with its message in `lang` when one is asked for;
/// sorted by due date, then buyer, then kind (ACC).
pub(crate) fn merged_obligations<'a>(
    accounts: impl Iterator<Item = (&'a Account, &'a BuyerDto)>,
    policy: &PolicyDto,
    as_of: NaiveDate,
    lang: Option<crate::i18n::Language>,
    field: impl Fn(usize) -> String,
) -> Result<Decision, Error> {
    let mut all: Vec<Obligation> = Vec::new();
    for (i, (account, buyer)) in accounts.enumerate() {
        for mut o in account
            .obligations(policy, buyer, as_of)
            .map_err(|e| in_account(e, &field(i)))?
        {
            o.buyer = Some(buyer.legal_name.trim().to_owned());
            if let Some(lang) = lang {
                o.message = Some(super::obligation_message(&o, lang)?);
            }
            all.push(o);
        }
    }
    Ok(super::obligations_decision(all))
}

fn in_account(e: Error, field: &str) -> Error {
    match e {
        Error::InvalidEvent { id, detail, .. } => Error::InvalidEvent {
            field: field.to_owned(),
            id,
            detail,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn event(v: serde_json::Value) -> AccountEventDto {
        serde_json::from_value(v).unwrap()
    }

    /// The tests' policy: EUR, agreed country DE.
    fn policy() -> PolicyDto {
        serde_json::from_value(serde_json::json!({"currency": "EUR",
            "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"], "maxCreditPeriodDays": 120,
            "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
            "maximumLiability": {"amount": "1000000", "currency": "EUR"},
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}))
        .unwrap()
    }

    /// Strings under one hash are told apart by the log: entries made by hand under b's id and
    /// reference hashes that point at a's come first in the probe and are passed over; an
    /// index that could not hold every string answers by a scan; either way the account reads
    /// every event as a replay does (ACC).
    #[test]
    fn strings_of_one_hash_are_told_apart_and_a_missed_string_is_scanned_for_acc() {
        let policy = policy();
        let invoice = |id: &str, reference: &str| {
            event(
                serde_json::json!({"type": "invoiceIssued", "id": id, "date": "2026-03-01",
                "reference": reference, "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 30}),
            )
        };
        for missed in [false, true] {
            let mut account = Account::from_events(&policy, vec![invoice("a", "R-a"), invoice("b", "R-b")]).unwrap();
            let mut index = LogIndex::default();
            let (hb, rb) = (index.hash("b"), index.hash("R-b"));
            if missed {
                // Nothing held, and the table knows it missed keys.
                index.positions.set_missed();
            } else {
                // Collisions, made by hand, before the real entries.
                index.positions.insert(hb, Kind::Id, 0);
                index.positions.insert(rb, Kind::Reference, 0);
                index.positions.insert(hb, Kind::Id, 1);
                index.positions.insert(rb, Kind::Reference, 1);
                let ha = index.hash("a");
                index.positions.insert(ha, Kind::Id, 0);
                let ra = index.hash("R-a");
                index.positions.insert(ra, Kind::Reference, 0);
            }
            assert_eq!(
                index.event(&account.events, "b", hb).map(AccountEventDto::id),
                Some("b")
            );
            assert_eq!(index.event(&account.events, "c", index.hash("c")), None);
            let ledger = account.read.as_deref().unwrap();
            assert_eq!(index.invoice(&account.events, ledger, "R-b", rb), Some(1));
            assert_eq!(index.invoice(&account.events, ledger, "R-c", index.hash("R-c")), None);
            // The same event again changes nothing; its id for another event is refused.
            account.push(invoice("b", "R-b"), &mut index).unwrap();
            let e = account.push(invoice("b", "R-c"), &mut index).unwrap_err();
            assert_eq!(e.code(), "invalid_event");
            // Reference R-b again is refused; a payment allocated to it pays invoice b.
            let e = account.push(invoice("c", "R-b"), &mut index).unwrap_err();
            assert!(e.to_string().contains("invoice 'R-b' was already issued"), "{e}");
            let payment = event(
                serde_json::json!({"type": "paymentReceived", "id": "p", "date": "2026-03-02",
            "amount": {"amount": "400", "currency": "EUR"},
            "allocation": [{"reference": "R-b", "amount": {"amount": "400", "currency": "EUR"}}]}),
            );
            account.push(payment, &mut index).unwrap();
            let ledger = account.read.as_deref().unwrap();
            assert_eq!(
                ledger.open,
                [rust_decimal::Decimal::new(1000, 0), rust_decimal::Decimal::new(600, 0)]
            );
            let replayed = Account::replay(&policy, &account.events.to_vec()).unwrap();
            assert_eq!(replayed.events(), account.events());
        }
    }

    /// Events read one at a time that name an existing invoice by its reference: a
    /// circumstance about it is accepted and a delivery planned under it refused, as a replay
    /// of the same log answers (ACC, LIM-7, OVD-7).
    #[test]
    fn references_named_by_circumstances_and_plans_are_found_acc() {
        let policy = policy();
        let invoice = event(
            serde_json::json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01",
            "reference": "R-1", "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 30}),
        );
        for (second, accepted) in [
            (
                serde_json::json!({"type": "paymentTermsExtensionProposed", "id": "ext", "date": "2026-04-20",
                    "reference": "R-1", "agreementDate": "2026-04-25"}),
                true,
            ),
            (
                serde_json::json!({"type": "deliveryPlanned", "id": "p1", "date": "2026-03-05", "reference": "R-1",
                    "deliveryDate": "2026-03-16", "amount": {"amount": "150", "currency": "EUR"}, "paymentTermsDays": 30}),
                false,
            ),
        ] {
            let second = event(second);
            let replayed = Account::replay(&policy, &[invoice.clone(), second.clone()]);
            assert_eq!(replayed.is_ok(), accepted);
            let mut account = Account::from_events(&policy, vec![invoice.clone()]).unwrap();
            let mut index = LogIndex::of(&account);
            let pushed = account.push(second, &mut index);
            assert_eq!(
                pushed.map_err(|e| e.to_string()),
                replayed.map(|_| ()).map_err(|e| e.to_string())
            );
        }
    }

    /// The index knows, event after event, whether the ledger names other events (planned
    /// deliveries, circumstances to notify), as the ledger itself says; the log pushed one
    /// event at a time is the replayed log, refusals included (ACC, LIM-7, OVD-7).
    #[test]
    fn the_index_knows_when_the_ledger_names_other_events_acc() {
        let policy = policy();
        let events = [
            serde_json::json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01",
                "reference": "R-1", "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 30}),
            serde_json::json!({"type": "paymentReceived", "id": "p1", "date": "2026-03-02",
                "amount": {"amount": "100", "currency": "EUR"}}),
            serde_json::json!({"type": "deliveryPlanned", "id": "d1", "date": "2026-03-05", "reference": "R-2",
                "deliveryDate": "2026-03-16", "amount": {"amount": "150", "currency": "EUR"}, "paymentTermsDays": 30}),
            serde_json::json!({"type": "invoiceIssued", "id": "i2", "date": "2026-03-16",
                "reference": "R-2", "amount": {"amount": "150", "currency": "EUR"}, "paymentTermsDays": 30}),
            serde_json::json!({"type": "legalActionStarted", "id": "l1", "date": "2026-03-20", "reference": "R-9"}),
            serde_json::json!({"type": "legalActionStarted", "id": "l2", "date": "2026-03-20", "reference": "R-1"}),
            serde_json::json!({"type": "notificationSent", "id": "n1", "date": "2026-03-21", "about": "l2"}),
            serde_json::json!({"type": "paymentReceived", "id": "p2", "date": "2026-03-22",
                "amount": {"amount": "100", "currency": "EUR"}}),
        ];
        let mut account = Account::from_events(&policy, Vec::new()).unwrap();
        let mut index = LogIndex::of(&account);
        let mut kept = Vec::new();
        for (n, e) in events.into_iter().map(event).enumerate() {
            let mut tried = kept.clone();
            tried.push(e.clone());
            let replayed = Account::replay(&policy, &tried);
            let pushed = account.push(e, &mut index);
            assert_eq!(pushed.is_ok(), replayed.is_ok(), "event {n}");
            if let Ok(replayed) = replayed {
                kept = tried;
                assert!(*replayed.events() == kept);
            }
            assert!(*account.events() == kept);
            let ledger = account.read.as_deref().unwrap();
            assert_eq!(index.names_others, ledger.names_other_events(), "event {n}");
            assert_eq!(index.names_others, n >= 2, "event {n}");
        }
        // l1 names an invoice the account does not have: refused.
        assert_eq!(kept.len(), 7);
    }
}
