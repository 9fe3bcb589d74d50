//! One buyer's account over time (ACC): events in, state and obligations out.
//!
//! The ERP feeds the events of a buyer as they happen; [`Account::replay`] (or
//! [`Account::apply`] one by one) keeps them, and for any date [`Account::state_at`] answers
//! the cover state, outstanding, covered and uncovered exposure, open overdues, the exclusion
//! and the insured event, while [`Account::obligations`] lists every duty with its rule, due
//! date and status. The answers are computed by the rule modules (limit, discretionary,
//! overdue, cover, premium); this module only keeps the log and composes them.
//!
//! Semantics (see `spec/account.md`): events may arrive in any order and are read in date
//! order, ties in arrival order; an event whose id was seen before is ignored when it is the
//! same event (idempotent) and refused when it differs; an event that contradicts the state
//! (a payment on an unknown invoice, more paid than is open, a second invoice with the same
//! reference) is refused with `invalid_event` naming its id, and nothing of it is applied.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::buyer::{BuyerDto, PaymentSecurity, ReceivableKind};
use crate::calendar::{IsoDate, PaymentTerms};
use crate::claim::{insured_event_of, InsuredEventKind, InsuredEventSummary};
use crate::cover::{CoverContext, CoverType, PlannedDelivery};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::discretionary::SelfAssessmentDto;
use crate::error::Error;
use crate::i18n::Language;
use crate::limit::{cancellation_deadline, LimitEventDto};
use crate::money::{Money, MoneyDto};
use crate::overdue::duty::EventKind;
use crate::overdue::{
    typed_invoice_facts, CoverKind, Exclusion, InvoiceFacts, OverdueContext, OverdueSummary, TypedInvoice,
};

mod apply;
mod notify;
use crate::policy::{CollectionPrerequisites, Policy, PolicyDto, Premium};

mod incremental;
mod log;
mod positions;
pub(crate) use incremental::{merged_obligations, LogIndex};
pub use log::Log;
mod snapshot;
pub(crate) use snapshot::{damaged, Reader, Writer};

/// A payment's allocation to one invoice.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllocationDto {
    /// Invoice reference.
    pub reference: String,
    /// Amount allocated to it.
    pub amount: MoneyDto,
}

/// One event of a buyer's account. Every event has an `id` (unique within the account) and a
/// `date`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
#[allow(missing_docs)]
pub enum AccountEventDto {
    /// New or changed policy terms, in force from `date` (POL).
    PolicyTermsSet {
        id: String,
        date: IsoDate,
        policy: Box<PolicyDto>,
    },
    /// The insured applied for a credit limit (LIM-1).
    LimitApplied {
        id: String,
        date: IsoDate,
        requested_amount: MoneyDto,
        payment_terms_days: u32,
    },
    /// The insurer granted a limit, in full or in part (LIM-1).
    LimitGranted {
        id: String,
        date: IsoDate,
        amount: MoneyDto,
        /// A temporary raise's last day (LIM-6).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        until: Option<IsoDate>,
    },
    /// The insurer refused the limit (LIM-1, DIS-4, DIS-7); `allowsSelfAssessment` as in
    /// [`LimitEventDto::Refused`].
    LimitRefused {
        id: String,
        date: IsoDate,
        #[serde(default)]
        allows_self_assessment: bool,
    },
    /// The insurer reduced the limit (LIM-3).
    LimitReduced {
        id: String,
        date: IsoDate,
        amount: MoneyDto,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_days: Option<u32>,
    },
    /// The insurer withdrew the limit (LIM-3, DIS-4, DIS-7); `allowsSelfAssessment` as in
    /// [`LimitEventDto::Withdrawn`].
    LimitWithdrawn {
        id: String,
        date: IsoDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_days: Option<u32>,
        #[serde(default)]
        allows_self_assessment: bool,
    },
    /// The insured cancelled the limit (LIM-4).
    LimitCancelled { id: String, date: IsoDate },
    /// The evidence of a self-assessment (DIS-1..3), replacing earlier evidence. Boxed: the
    /// evidence is larger than any other event's fields, and every event of a log takes the
    /// size of the largest.
    SelfAssessmentRecorded {
        id: String,
        date: IsoDate,
        evidence: Box<SelfAssessmentDto>,
    },
    /// An invoice for a delivery on `date`.
    InvoiceIssued {
        id: String,
        date: IsoDate,
        reference: String,
        amount: MoneyDto,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_date: Option<IsoDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payment_terms_days: Option<u32>,
        #[serde(default)]
        end_of_month: bool,
    },
    /// A payment; without `allocation` it pays the oldest open invoices first.
    PaymentReceived {
        id: String,
        date: IsoDate,
        amount: MoneyDto,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allocation: Option<Vec<AllocationDto>>,
    },
    /// A credit note on one invoice.
    CreditNoteIssued {
        id: String,
        date: IsoDate,
        reference: String,
        amount: MoneyDto,
    },
    /// The overdue was reported to the insurer (OVD-1).
    OverdueReported { id: String, date: IsoDate },
    /// The insurer confirmed that cover continues (OVD-2).
    ContinuedCoverConfirmed { id: String, date: IsoDate },
    /// Adverse information on the buyer (DIS-2, DIS-6, OVD-7).
    AdverseInformation {
        id: String,
        date: IsoDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The adverse information no longer applies (DIS-6).
    AdverseInformationCleared { id: String, date: IsoDate },
    /// The buyer proposed an instalment plan (OVD-8); `agreementDate`, the day it is to be
    /// agreed, is when the insurer's written consent is due (the proposal's day without it).
    InstalmentPlanProposed {
        id: String,
        date: IsoDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        agreement_date: Option<IsoDate>,
    },
    /// The insurer consented in writing to the instalment plan (OVD-8).
    InstalmentConsentReceived { id: String, date: IsoDate },
    /// Insolvency proceedings were opened (CLM-1).
    InsolvencyOpened { id: String, date: IsoDate },
    /// The claim was filed (CLM-2, CLM-3).
    ClaimFiled { id: String, date: IsoDate },
    /// The claim file's documents were sent (CLM-3): invoices, open items list, trading
    /// history, whether the collection service is wanted.
    ClaimDocumentsSent { id: String, date: IsoDate },
    /// The insurer paid an indemnity (CLM-4, CLM-5).
    IndemnityPaid {
        id: String,
        date: IsoDate,
        amount: MoneyDto,
    },
    /// A recovery after the claim (CLM-6).
    RecoveryReceived {
        id: String,
        date: IsoDate,
        amount: MoneyDto,
    },
    /// Payments received after the claim were reported to the insurer (CLM-6).
    PaymentsReported { id: String, date: IsoDate },
    /// The file was handed to the insurer's collection service (COL-1).
    CollectionHandedOver { id: String, date: IsoDate },
    /// The turnover declaration for the insurance year that ended before `date` (PRM-2).
    DeclarationSubmitted { id: String, date: IsoDate },
    /// The balance report for the reporting day `reportingDay` was sent on `date` (PRM-6).
    BalanceReportSubmitted {
        id: String,
        date: IsoDate,
        reporting_day: IsoDate,
    },
    /// A delivery known on `date` and planned for `deliveryDate`, to be invoiced as `reference`
    /// (LIM-6, LIM-7, EXP-1): it counts in the projected outstanding until the invoice with that
    /// reference is issued or the plan is cancelled.
    DeliveryPlanned {
        id: String,
        date: IsoDate,
        reference: String,
        delivery_date: IsoDate,
        amount: MoneyDto,
        payment_terms_days: u32,
        #[serde(default)]
        end_of_month: bool,
    },
    /// The planned delivery `reference` will not be made.
    DeliveryPlanCancelled {
        id: String,
        date: IsoDate,
        reference: String,
    },
    /// The buyer asked for longer payment terms on invoice `reference`, to be agreed on
    /// `agreementDate` (OVD-7: under a named limit the insurer's consent comes first).
    PaymentTermsExtensionProposed {
        id: String,
        date: IsoDate,
        reference: String,
        agreement_date: IsoDate,
    },
    /// A cheque or bill of exchange was dishonoured, or a direct debit returned (OVD-7).
    PaymentReturned {
        id: String,
        date: IsoDate,
        instrument: ReturnedInstrument,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        reference: Option<String>,
    },
    /// A bill of exchange was prolonged after the delivery (OVD-7).
    BillProlonged {
        id: String,
        date: IsoDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        reference: Option<String>,
    },
    /// For credit reasons the buyer now pays in advance or on delivery, or deliveries stopped
    /// (OVD-7).
    OpenTermsStopped {
        id: String,
        date: IsoDate,
        measure: CreditMeasure,
    },
    /// Legal action against the buyer started (OVD-7).
    LegalActionStarted {
        id: String,
        date: IsoDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        reference: Option<String>,
    },
    /// A lawyer or a collection agency (not the insurer's service) was instructed to collect
    /// (OVD-9).
    LawyerInstructed {
        id: String,
        date: IsoDate,
        agent: CollectionAgent,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        reference: Option<String>,
    },
    /// The buyer proposed a standstill (deferral) agreement, to be agreed on `agreementDate`
    /// (OVD-7: the insurer's consent comes first).
    StandstillProposed {
        id: String,
        date: IsoDate,
        agreement_date: IsoDate,
    },
    /// An out-of-court settlement was proposed, to be agreed on `agreementDate` (OVD-7, COL-4:
    /// the insurer's consent comes first).
    SettlementProposed {
        id: String,
        date: IsoDate,
        agreement_date: IsoDate,
    },
    /// The insurer was notified of the event `about` (OVD-7).
    NotificationSent { id: String, date: IsoDate, about: String },
    /// The insurer consented in writing to the agreement of the event `about` (OVD-7, OVD-8).
    ConsentReceived { id: String, date: IsoDate, about: String },
    /// The insurer refused its consent to the agreement of the event `about` (OVD-7, OVD-8):
    /// the duty to ask is done; the agreement is not to be concluded.
    ConsentRefused { id: String, date: IsoDate, about: String },
    /// The insurer set extra reporting dates for the buyer (OVD-6), replacing those of earlier
    /// sets from `date` on; each is on or after `date`, ascending.
    ExtraReportingDatesSet {
        id: String,
        date: IsoDate,
        dates: Vec<IsoDate>,
    },
    /// The report for the extra reporting date `reportingDate` was sent on `date` (OVD-6).
    ExtraReportSubmitted {
        id: String,
        date: IsoDate,
        reporting_date: IsoDate,
    },
}

/// How a payment came back (OVD-7).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReturnedInstrument {
    /// A dishonoured cheque.
    Cheque,
    /// A dishonoured bill of exchange.
    BillOfExchange,
    /// A direct debit returned for lack of funds.
    DirectDebit,
}

/// What the insured did for credit reasons instead of delivering on open terms (OVD-7).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CreditMeasure {
    /// Deliveries only against payment in advance.
    CashInAdvance,
    /// Deliveries only against cash on delivery.
    CashOnDelivery,
    /// Deliveries stopped.
    DeliveriesStopped,
}

/// Who was instructed to collect (OVD-9).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CollectionAgent {
    /// A lawyer.
    Lawyer,
    /// A collection agency other than the insurer's service.
    CollectionAgency,
}

impl AccountEventDto {
    /// The limit event this event is, as the ledger keeps it (LIM-1, LIM-3, LIM-4); `None` for
    /// an event of another kind.
    pub(crate) fn limit_event(&self) -> Option<LimitEventDto> {
        use AccountEventDto as E;
        Some(match self {
            E::LimitApplied {
                date,
                requested_amount,
                payment_terms_days,
                ..
            } => LimitEventDto::Applied {
                date: *date,
                requested_amount: requested_amount.clone(),
                payment_terms_days: *payment_terms_days,
            },
            E::LimitGranted {
                date, amount, until, ..
            } => LimitEventDto::Granted {
                date: *date,
                amount: amount.clone(),
                until: *until,
            },
            E::LimitRefused {
                date,
                allows_self_assessment,
                ..
            } => LimitEventDto::Refused {
                date: *date,
                allows_self_assessment: *allows_self_assessment,
            },
            E::LimitReduced {
                date,
                amount,
                delay_days,
                ..
            } => LimitEventDto::Reduced {
                date: *date,
                amount: amount.clone(),
                delay_days: *delay_days,
            },
            E::LimitWithdrawn {
                date,
                delay_days,
                allows_self_assessment,
                ..
            } => LimitEventDto::Withdrawn {
                date: *date,
                delay_days: *delay_days,
                allows_self_assessment: *allows_self_assessment,
            },
            E::LimitCancelled { date, .. } => LimitEventDto::Cancelled { date: *date },
            _ => return None,
        })
    }

    /// The event's id.
    pub fn id(&self) -> &str {
        self.id_date().0
    }

    /// The event's date.
    pub fn date(&self) -> NaiveDate {
        self.id_date().1
    }

    fn id_date(&self) -> (&str, NaiveDate) {
        use AccountEventDto::*;
        match self {
            PolicyTermsSet { id, date, .. }
            | LimitApplied { id, date, .. }
            | LimitGranted { id, date, .. }
            | LimitRefused { id, date, .. }
            | LimitReduced { id, date, .. }
            | LimitWithdrawn { id, date, .. }
            | LimitCancelled { id, date }
            | SelfAssessmentRecorded { id, date, .. }
            | InvoiceIssued { id, date, .. }
            | PaymentReceived { id, date, .. }
            | CreditNoteIssued { id, date, .. }
            | OverdueReported { id, date }
            | ContinuedCoverConfirmed { id, date }
            | AdverseInformation { id, date, .. }
            | AdverseInformationCleared { id, date }
            | InstalmentPlanProposed { id, date, .. }
            | InstalmentConsentReceived { id, date }
            | InsolvencyOpened { id, date }
            | ClaimFiled { id, date }
            | ClaimDocumentsSent { id, date }
            | IndemnityPaid { id, date, .. }
            | RecoveryReceived { id, date, .. }
            | PaymentsReported { id, date }
            | CollectionHandedOver { id, date }
            | DeclarationSubmitted { id, date }
            | BalanceReportSubmitted { id, date, .. }
            | DeliveryPlanned { id, date, .. }
            | DeliveryPlanCancelled { id, date, .. }
            | PaymentTermsExtensionProposed { id, date, .. }
            | PaymentReturned { id, date, .. }
            | BillProlonged { id, date, .. }
            | OpenTermsStopped { id, date, .. }
            | LegalActionStarted { id, date, .. }
            | LawyerInstructed { id, date, .. }
            | StandstillProposed { id, date, .. }
            | SettlementProposed { id, date, .. }
            | NotificationSent { id, date, .. }
            | ConsentReceived { id, date, .. }
            | ConsentRefused { id, date, .. }
            | ExtraReportingDatesSet { id, date, .. }
            | ExtraReportSubmitted { id, date, .. } => (id.as_str(), date.0),
        }
    }
}

/// The event log of one buyer: events kept in date order (ties in arrival order), ids unique.
#[derive(Debug, Clone, Default)]
pub struct Account {
    events: Log,
    /// The log read to its last event, with the policy it was read under: a question on or
    /// after that date reads it instead of the log again.
    read: Option<Box<Ledger>>,
}

/// A policy with its validated form, shared (not copied) by every ledger read under it: an
/// engine's buyers hold one policy between them.
#[derive(Debug, Clone)]
pub(crate) struct Terms {
    dto: Arc<PolicyDto>,
    policy: Arc<Policy>,
}

impl Terms {
    /// `policy`, validated.
    pub(crate) fn new(policy: &PolicyDto) -> Result<Terms, Error> {
        Ok(Terms {
            policy: Arc::new(policy.validate()?),
            dto: Arc::new(policy.clone()),
        })
    }

    /// The policy as given.
    pub(crate) fn dto(&self) -> &PolicyDto {
        &self.dto
    }

    /// The policy validated.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Whether these are the terms of `policy`: the same object, or an equal one.
    fn are(&self, policy: &PolicyDto) -> bool {
        std::ptr::eq(&*self.dto, policy) || *self.dto == *policy
    }
}

fn invalid(id: &str, detail: String) -> Error {
    Error::InvalidEvent {
        field: "events".to_owned(),
        id: id.chars().take(60).collect(),
        detail,
    }
}

/// Which events to keep: the first of each id. An empty id is `empty_value`; an id used again
/// for a different event is `invalid_event`; whichever comes first in arrival order is reported.
/// Ids are grouped by sorting on a 64-bit FNV-1a hash of the id, then the id itself (compared
/// only when two hashes are equal), then arrival: no hash table, and colliding ids still sort
/// in O(n log n).
fn first_of_each_id(events: &[AccountEventDto]) -> Result<Vec<bool>, Error> {
    fn fnv1a(s: &str) -> u64 {
        s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }
    let mut keep = vec![true; events.len()];
    let mut by_id: Vec<(u64, &str, usize)> = events
        .iter()
        .zip(0..)
        .map(|(e, i)| (fnv1a(e.id()), e.id(), i))
        .collect();
    by_id.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
    let mut conflict: Option<usize> = None;
    for group in by_id.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
        if let Some((&(_, _, first), rest)) = group.split_first() {
            for &(_, _, i) in rest {
                if let Some(k) = keep.get_mut(i) {
                    *k = false;
                }
                if events.get(i) != events.get(first) {
                    conflict = Some(conflict.map_or(i, |c| c.min(i)));
                }
            }
        }
    }
    let empty = events.iter().position(|e| e.id().trim().is_empty());
    match (empty, conflict) {
        (Some(e), c) if c.is_none_or(|c| e < c) => Err(Error::EmptyValue {
            field: "events.id".into(),
        }),
        (_, Some(c)) => {
            let id = events.get(c).map_or("", AccountEventDto::id);
            Err(invalid(id, format!("id '{id}' was already used for another event")))
        }
        _ => Ok(keep),
    }
}

impl Account {
    /// An account from events in any order (ACC). Fails with `invalid_event` on an id reused
    /// for a different event, or on an event that contradicts the log (checked by replaying).
    /// The events kept are cloned; [`Account::from_events`] takes them instead.
    pub fn replay(policy: &PolicyDto, events: &[AccountEventDto]) -> Result<Account, Error> {
        let terms = Terms::new(policy)?;
        let keep = first_of_each_id(events)?;
        let mut kept: Vec<&AccountEventDto> = events.iter().zip(keep).filter_map(|(e, k)| k.then_some(e)).collect();
        if !kept.is_sorted_by_key(|e| e.date()) {
            kept.sort_by_key(|e| e.date()); // stable: ties keep arrival order
        }
        Self::read(&terms, kept.into_iter().cloned().collect())
    }

    /// [`Account::replay`] taking the events instead of cloning them.
    pub fn from_events(policy: &PolicyDto, events: Vec<AccountEventDto>) -> Result<Account, Error> {
        Self::from_events_under(&Terms::new(policy)?, events)
    }

    /// [`Account::from_events`] under terms already validated (an engine's, shared).
    pub(crate) fn from_events_under(terms: &Terms, events: Vec<AccountEventDto>) -> Result<Account, Error> {
        let keep = first_of_each_id(&events)?;
        let mut kept: Vec<AccountEventDto> = if keep.iter().all(|k| *k) {
            events
        } else {
            events
                .into_iter()
                .zip(keep)
                .filter_map(|(e, k)| k.then_some(e))
                .collect()
        };
        if !kept.is_sorted_by_key(AccountEventDto::date) {
            // Sort (date, arrival) keys, not the events themselves, then move each event once.
            let mut order: Vec<(NaiveDate, usize)> = kept.iter().map(AccountEventDto::date).zip(0..).collect();
            order.sort_unstable();
            let mut slots: Vec<Option<AccountEventDto>> = kept.into_iter().map(Some).collect();
            kept = order
                .iter()
                .filter_map(|&(_, i)| slots.get_mut(i).and_then(Option::take))
                .collect();
        }
        Self::read(terms, kept)
    }

    /// The account of events already unique and in date order.
    fn read(terms: &Terms, events: Vec<AccountEventDto>) -> Result<Account, Error> {
        let events = Log::from(events);
        let read = Ledger::build(terms, &events, NaiveDate::MAX)?;
        Ok(Account {
            events,
            read: Some(Box::new(read)),
        })
    }

    /// Adds one event. The same event twice is ignored; nothing is applied when it fails.
    pub fn apply(&mut self, policy: &PolicyDto, event: AccountEventDto) -> Result<(), Error> {
        if let Some(seen) = self.events.iter().find(|e| e.id() == event.id()) {
            return if *seen == event {
                Ok(())
            } else {
                Err(invalid(
                    event.id(),
                    format!("id '{}' was already used for another event", event.id()),
                ))
            };
        }
        if event.id().trim().is_empty() {
            return Err(Error::EmptyValue {
                field: "events.id".into(),
            });
        }
        let position = self.events.position_after(event.date());
        let mut next = self.events.clone();
        next.insert(position, event);
        // Check the whole log stays consistent before keeping it.
        let terms = match &self.read {
            Some(read) if read.base.are(policy) => read.base.clone(),
            _ => Terms::new(policy)?,
        };
        let read = Ledger::build(&terms, &next, NaiveDate::MAX)?;
        self.events = next;
        self.read = Some(Box::new(read));
        Ok(())
    }

    /// The events, in the order they are read.
    pub fn events(&self) -> &Log {
        &self.events
    }
}

/// Everything the log says up to a date, in the shapes the rule modules take. In declaration
/// order (`repr(C)`): what reading an invoice or a payment touches comes first, in two or three
/// cache lines, as an engine fed many buyers' events in turn finds each ledger out of the
/// cache (ACC).
#[derive(Debug, Clone)]
#[repr(C)]
struct Ledger {
    /// The policy in force after the last event read: `base`'s until a `policyTermsSet`.
    policy: Arc<Policy>,
    invoices: Vec<Invoice>,
    open: Vec<Decimal>,
    /// Every payment part and credit note, in the order read (date order).
    settled: Vec<Settled>,
    /// Every invoice before this index is fully settled (for oldest-first payments).
    first_open: usize,
    /// Sum of `open`, kept as events are read.
    owed: Decimal,
    last_invoice: Option<NaiveDate>,
    claim_filed: Option<NaiveDate>,
    above_discretionary_since: Option<NaiveDate>,
    limit_events: Vec<LimitEventDto>,
    /// The policy the log was read under (before any `policyTermsSet`), shared.
    base: Terms,
    evidence: Option<SelfAssessmentDto>,
    reported_on: Option<NaiveDate>,
    continued_cover: bool,
    adverse_since: Option<NaiveDate>,
    instalment: Option<Instalment>,
    insolvency: Option<NaiveDate>,
    owed_at_insolvency: Decimal,
    claim_documents_sent: Option<NaiveDate>,
    payments_after_claim: Vec<(NaiveDate, Money)>,
    payments_reported: Option<NaiveDate>,
    collection_handed_over: Option<NaiveDate>,
    declarations: Vec<NaiveDate>,
    /// The reporting days whose balance report was sent (PRM-6).
    balance_reports: Vec<NaiveDate>,
    /// Planned deliveries, in the order read (LIM-6, LIM-7, EXP-1).
    plans: Vec<Plan>,
    /// Circumstances to notify or to ask consent for, in the order read (OVD-7, OVD-9).
    notices: Vec<notify::Notice>,
    /// The extra reporting dates in force, ascending (OVD-6).
    extra_reporting_dates: Vec<IsoDate>,
    /// The extra reporting dates whose report was sent (OVD-6).
    extra_reports: Vec<NaiveDate>,
}

/// The instalment plan proposed last (OVD-8).
#[derive(Debug, Clone)]
struct Instalment {
    /// The proposal's event id.
    id: String,
    /// When the written consent is due: the day it is to be agreed, else the proposal's day.
    due: NaiveDate,
    /// The day the insurer answered (consented, or refused), if it has.
    answered: Option<NaiveDate>,
}

/// A planned delivery (LIM-6, LIM-7, EXP-1); `event` is the position of its `deliveryPlanned`
/// in the log, which holds the reference.
#[derive(Debug, Clone, Copy)]
struct Plan {
    event: usize,
    amount: Money,
    delivery_date: NaiveDate,
    terms: PaymentTerms,
    /// Still to be delivered: not invoiced, not cancelled.
    open: bool,
}

/// What the events read so far name, borrowed from them: invoice references, planned
/// deliveries' references and the circumstances that can be notified, by event id.
#[derive(Default)]
struct Names<'a> {
    invoices: std::collections::HashMap<&'a str, usize>,
    plans: std::collections::HashMap<&'a str, usize>,
    notices: std::collections::HashMap<&'a str, usize>,
    /// Leave new invoices' references out of `invoices` (the engine's incremental read, which
    /// keeps them in its own index).
    skip_new_invoices: bool,
}

impl Ledger {
    /// Whether the ledger has planned deliveries or circumstances to notify, which later events
    /// name by reference or id (LIM-7, OVD-7..9).
    pub(crate) fn names_other_events(&self) -> bool {
        !self.plans.is_empty() || !self.notices.is_empty()
    }

    fn build(terms: &Terms, events: &Log, as_of: NaiveDate) -> Result<Ledger, Error> {
        let mut l = Ledger {
            base: terms.clone(),
            policy: Arc::clone(&terms.policy),
            limit_events: Vec::new(),
            evidence: None,
            invoices: Vec::new(),
            open: Vec::new(),
            settled: Vec::new(),
            reported_on: None,
            continued_cover: false,
            adverse_since: None,
            instalment: None,
            insolvency: None,
            owed_at_insolvency: Decimal::ZERO,
            claim_filed: None,
            claim_documents_sent: None,
            payments_after_claim: Vec::new(),
            payments_reported: None,
            collection_handed_over: None,
            declarations: Vec::new(),
            balance_reports: Vec::new(),
            above_discretionary_since: None,
            last_invoice: None,
            owed: Decimal::ZERO,
            first_open: 0,
            plans: Vec::new(),
            notices: Vec::new(),
            extra_reporting_dates: Vec::new(),
            extra_reports: Vec::new(),
        };
        // Invoice reference -> index in `invoices`, borrowed from the events.
        let invoices = events
            .iter()
            .filter(|e| matches!(e, AccountEventDto::InvoiceIssued { .. }))
            .count();
        let mut names = Names {
            invoices: std::collections::HashMap::with_capacity(invoices),
            ..Names::default()
        };
        l.invoices.reserve(invoices);
        l.open.reserve(invoices);
        for (k, event) in events.iter().enumerate().filter(|(_, e)| e.date() <= as_of) {
            l.read(event, k, &mut names)?;
        }
        Ok(l)
    }

    fn money(&self, id: &str, m: &MoneyDto) -> Result<Money, Error> {
        let money = if self.policy.currency.is(&m.currency) {
            Money::new(m.amount.0, self.policy.currency)
        } else {
            m.to_money("amount").map_err(|e| invalid(id, e.to_string()))?
        };
        if money.currency != self.policy.currency {
            return Err(invalid(
                id,
                format!(
                    "amount in {}, the policy is in {}",
                    money.currency, self.policy.currency
                ),
            ));
        }
        if money.amount <= Decimal::ZERO {
            return Err(invalid(id, format!("amount {} is not more than 0", m.amount)));
        }
        Ok(money)
    }

    fn settle(&mut self, id: &str, date: NaiveDate, index: usize, amount: Money, payment: bool) -> Result<(), Error> {
        let open = self
            .open
            .get_mut(index)
            .ok_or_else(|| invalid(id, "unknown invoice".into()))?;
        if amount.amount > *open {
            return Err(invalid(id, format!("{} is more than the {} open", amount.amount, open)));
        }
        *open -= amount.amount;
        self.owed -= amount.amount;
        // Kept rounded to the minor unit, as an invoice's settlements are given (OVD-1).
        self.settled.push(Settled {
            invoice: index,
            date,
            amount: amount.rounded(),
            payment,
        });
        Ok(())
    }

    fn index_of(
        id: &str,
        references: &std::collections::HashMap<&str, usize>,
        reference: &str,
    ) -> Result<usize, Error> {
        references
            .get(reference)
            .copied()
            .ok_or_else(|| invalid(id, format!("no invoice '{reference}' in this account")))
    }

    fn outstanding(&self) -> Decimal {
        self.owed
    }

    /// Reads `event`, the `k`-th of the log.
    fn read<'a>(&mut self, event: &'a AccountEventDto, k: usize, names: &mut Names<'a>) -> Result<(), Error> {
        use AccountEventDto as E;
        let id = event.id();
        let date = event.date();
        let references = &mut names.invoices;
        match event {
            E::PolicyTermsSet { policy, .. } => self.policy = Arc::new(policy.validate()?),
            E::LimitApplied { .. }
            | E::LimitGranted { .. }
            | E::LimitRefused { .. }
            | E::LimitReduced { .. }
            | E::LimitWithdrawn { .. }
            | E::LimitCancelled { .. } => self.limit_events.extend(event.limit_event()),
            E::SelfAssessmentRecorded { evidence, .. } => self.evidence = Some((**evidence).clone()),
            E::InvoiceIssued {
                reference,
                amount,
                due_date,
                payment_terms_days,
                end_of_month,
                ..
            } => {
                if references.contains_key(reference.as_str()) {
                    return Err(invalid(id, format!("invoice '{reference}' was already issued")));
                }
                let money = self.money(id, amount)?;
                if due_date.is_none() == payment_terms_days.is_none() {
                    return Err(invalid(id, "give either dueDate or paymentTermsDays".into()));
                }
                self.invoices.push(Invoice {
                    event: k,
                    amount: money,
                    date,
                    due_date: due_date.map(|d| d.0),
                    payment_terms_days: *payment_terms_days,
                    end_of_month: *end_of_month,
                });
                if !names.skip_new_invoices {
                    references.insert(reference.as_str(), self.open.len());
                }
                // The planned delivery it makes, if any, is no longer planned.
                if let Some(plan) = names.plans.get(reference.as_str()).and_then(|&p| self.plans.get_mut(p)) {
                    plan.open = false;
                }
                self.open.push(money.amount);
                self.owed += money.amount;
                self.last_invoice = Some(date);
                if let Some(dl) = self.policy.discretionary_limit {
                    let limit_applied = || {
                        self.limit_events
                            .iter()
                            .any(|e| matches!(e, LimitEventDto::Applied { .. }))
                    };
                    if self.outstanding() > dl.amount && self.above_discretionary_since.is_none() && !limit_applied() {
                        self.above_discretionary_since = Some(date);
                    }
                }
            }
            E::PaymentReceived { amount, allocation, .. } => {
                let money = self.money(id, amount)?;
                let at = date;
                match allocation {
                    Some(parts) => {
                        let mut total = Decimal::ZERO;
                        for part in parts {
                            let index = Self::index_of(id, references, &part.reference)?;
                            let m = self.money(id, &part.amount)?;
                            total += m.amount;
                            self.settle(id, at, index, m, true)?;
                        }
                        if total != money.amount {
                            return Err(invalid(
                                id,
                                format!("allocation totals {total}, the payment is {}", money.amount),
                            ));
                        }
                    }
                    None => {
                        if money.amount > self.outstanding() {
                            return Err(invalid(
                                id,
                                format!("{} is more than the {} open", money.amount, self.outstanding()),
                            ));
                        }
                        let mut rest = money.amount;
                        let mut index = self.first_open;
                        while rest > Decimal::ZERO && index < self.open.len() {
                            let open = self.open.get(index).copied().unwrap_or_default();
                            let part = rest.min(open);
                            if part > Decimal::ZERO {
                                self.settle(id, at, index, Money::new(part, money.currency), true)?;
                                rest -= part;
                            }
                            index += 1;
                        }
                        while self.open.get(self.first_open).is_some_and(|o| o.is_zero()) {
                            self.first_open += 1;
                        }
                    }
                }
                if self.claim_filed.is_some_and(|c| c <= date) {
                    self.payments_after_claim.push((date, money));
                }
            }
            E::CreditNoteIssued { reference, amount, .. } => {
                let index = Self::index_of(id, references, reference)?;
                let money = self.money(id, amount)?;
                self.settle(id, date, index, money, false)?;
            }
            E::OverdueReported { .. } => self.reported_on = self.reported_on.or(Some(date)),
            E::ContinuedCoverConfirmed { .. } => self.continued_cover = true,
            E::AdverseInformation { .. } => self.adverse_since = self.adverse_since.or(Some(date)),
            E::AdverseInformationCleared { .. } => self.adverse_since = None,
            E::InstalmentPlanProposed { agreement_date, .. } => {
                self.instalment = Some(Instalment {
                    id: id.to_owned(),
                    due: agreement_date.map_or(date, |d| d.0),
                    answered: None,
                })
            }
            E::InstalmentConsentReceived { .. } => match &mut self.instalment {
                Some(plan) => plan.answered = Some(date),
                None => return Err(invalid(id, "consent without an instalment plan".into())),
            },
            E::InsolvencyOpened { .. } => {
                if self.insolvency.is_none() {
                    self.insolvency = Some(date);
                    self.owed_at_insolvency = self.outstanding();
                }
            }
            E::ClaimFiled { .. } => self.claim_filed = self.claim_filed.or(Some(date)),
            E::ClaimDocumentsSent { .. } => self.claim_documents_sent = self.claim_documents_sent.or(Some(date)),
            E::IndemnityPaid { amount, .. } | E::RecoveryReceived { amount, .. } => {
                self.money(id, amount)?;
                if self.claim_filed.is_none() {
                    return Err(invalid(id, "no claim was filed".into()));
                }
            }
            E::PaymentsReported { .. } => self.payments_reported = Some(date),
            E::CollectionHandedOver { .. } => self.collection_handed_over = self.collection_handed_over.or(Some(date)),
            E::DeclarationSubmitted { .. } => self.declarations.push(date),
            E::BalanceReportSubmitted { reporting_day, .. } => {
                if reporting_day.0 > date {
                    return Err(invalid(
                        id,
                        format!(
                            "a report sent on {date} cannot give the balance of a later day, {}",
                            reporting_day.0
                        ),
                    ));
                }
                self.balance_reports.push(reporting_day.0);
            }
            E::DeliveryPlanned {
                reference,
                delivery_date,
                amount,
                payment_terms_days,
                end_of_month,
                ..
            } => {
                if references.contains_key(reference.as_str()) {
                    return Err(invalid(id, format!("invoice '{reference}' was already issued")));
                }
                let planned = names.plans.get(reference.as_str()).and_then(|&p| self.plans.get(p));
                if planned.is_some_and(|p| p.open) {
                    return Err(invalid(id, format!("delivery '{reference}' is already planned")));
                }
                if delivery_date.0 < date {
                    return Err(invalid(
                        id,
                        format!(
                            "a delivery planned on {date} cannot be for an earlier day, {}",
                            delivery_date.0
                        ),
                    ));
                }
                let money = self.money(id, amount)?;
                crate::calendar::check_period("paymentTermsDays", *payment_terms_days)
                    .map_err(|e| invalid(id, e.to_string()))?;
                names.plans.insert(reference.as_str(), self.plans.len());
                self.plans.push(Plan {
                    event: k,
                    amount: money,
                    delivery_date: delivery_date.0,
                    terms: PaymentTerms::new(*payment_terms_days, *end_of_month, self.policy.end_of_month_convention),
                    open: true,
                });
            }
            E::DeliveryPlanCancelled { reference, .. } => {
                match names.plans.get(reference.as_str()).and_then(|&p| self.plans.get_mut(p)) {
                    Some(plan) if plan.open => plan.open = false,
                    _ => {
                        return Err(invalid(
                            id,
                            format!("no planned delivery '{reference}' in this account"),
                        ))
                    }
                }
            }
            E::ExtraReportingDatesSet { dates, .. } => {
                let mut previous: Option<NaiveDate> = None;
                for d in dates {
                    if d.0 < date || previous.is_some_and(|p| d.0 <= p) {
                        return Err(invalid(
                            id,
                            format!(
                                "reporting date {} is not after the one before it nor on or after {date}",
                                d.0
                            ),
                        ));
                    }
                    previous = Some(d.0);
                }
                // The new dates replace those of earlier sets from this event's day on.
                self.extra_reporting_dates.retain(|d| d.0 < date);
                self.extra_reporting_dates.extend(dates.iter().copied());
            }
            E::ExtraReportSubmitted { reporting_date, .. } => {
                if !self.extra_reporting_dates.contains(reporting_date) {
                    return Err(invalid(
                        id,
                        format!("no extra reporting date {} was set", reporting_date.0),
                    ));
                }
                if reporting_date.0 > date {
                    return Err(invalid(
                        id,
                        format!(
                            "a report sent on {date} cannot be for a later reporting date, {}",
                            reporting_date.0
                        ),
                    ));
                }
                self.extra_reports.push(reporting_date.0);
            }
            E::NotificationSent { about, .. } | E::ConsentReceived { about, .. } | E::ConsentRefused { about, .. } => {
                let consent = !matches!(event, E::NotificationSent { .. });
                if consent && self.instalment.as_ref().is_some_and(|p| p.id == *about) {
                    if let Some(plan) = &mut self.instalment {
                        plan.answered = Some(date);
                    }
                    return Ok(());
                }
                let notice = names
                    .notices
                    .get(about.as_str())
                    .and_then(|&n| self.notices.get_mut(n))
                    .ok_or_else(|| invalid(id, format!("no circumstance '{about}' to notify in this account")))?;
                if consent {
                    if !notice.kind.duty().consent_before_acting {
                        return Err(invalid(
                            id,
                            format!("'{about}' ({}) needs no consent", notice.kind.code()),
                        ));
                    }
                    notice.answered = notice.answered.or(Some(date));
                } else {
                    notice.notified = notice.notified.or(Some(date));
                }
            }
            E::PaymentTermsExtensionProposed { .. }
            | E::PaymentReturned { .. }
            | E::BillProlonged { .. }
            | E::OpenTermsStopped { .. }
            | E::LegalActionStarted { .. }
            | E::LawyerInstructed { .. }
            | E::StandstillProposed { .. }
            | E::SettlementProposed { .. } => {}
        }
        // A circumstance to notify (OVD-7, OVD-9), with the cover kind on its day.
        if let Some(circumstance) = notify::circumstance(event) {
            if let Some(reference) = circumstance.reference {
                Self::index_of(id, &names.invoices, reference)?;
            }
            names.notices.insert(id, self.notices.len());
            let cover_kind = self.cover_kind();
            self.notices.push(notify::Notice {
                event: k,
                kind: circumstance.kind,
                date,
                agreement_date: circumstance.agreement_date,
                cover_kind,
                notified: None,
                answered: None,
            });
        }
        Ok(())
    }

    /// The cover kind the overdue rules read: self-assessed for a buyer without a limit under
    /// self-assessment (DIS-6), else a named limit's, automatic cover included (DIS-7).
    fn cover_kind(&self) -> CoverKind {
        if self.limit_events.is_empty() && self.policy.discretionary_limit.is_some() {
            CoverKind::SelfAssessed
        } else {
            CoverKind::NamedLimit
        }
    }

    /// Each invoice worked out on `as_of` (OVD-1), once per question; `events` is the log the
    /// ledger was read from.
    fn facts(&self, events: &Log, as_of: NaiveDate) -> Result<Vec<InvoiceFacts>, Error> {
        // The settlements grouped by invoice, payments before credit notes, each in the order
        // read: (invoice, credit note?, position read), sorted.
        let mut keyed: Vec<(usize, bool, usize)> = self
            .settled
            .iter()
            .enumerate()
            .map(|(k, s)| (s.invoice, !s.payment, k))
            .collect();
        if !keyed.is_sorted() {
            keyed.sort_unstable();
        }
        let grouped: Vec<(NaiveDate, Money)> = keyed
            .iter()
            .filter_map(|&(_, _, k)| self.settled.get(k))
            .map(|s| (s.date, s.amount))
            .collect();
        let mut next = 0;
        let mut take = |i: usize, credit: bool| {
            let from = next;
            next += keyed
                .get(from..)
                .unwrap_or_default()
                .iter()
                .take_while(|(j, c, _)| *j == i && *c == credit)
                .count();
            grouped.get(from..next).unwrap_or_default()
        };
        self.invoices
            .iter()
            .enumerate()
            .map(|(i, inv)| {
                let typed = TypedInvoice {
                    reference: inv.reference(events),
                    amount: inv.amount,
                    invoice_date: inv.date,
                    due_date: inv.due_date,
                    payment_terms_days: inv.payment_terms_days,
                    end_of_month: inv.end_of_month,
                    payments: take(i, false),
                    credit_notes: take(i, true),
                };
                typed_invoice_facts(&self.policy, &typed, || format!("invoices[{i}]"), as_of)
            })
            .collect()
    }

    /// The overdue report on `as_of` (OVD-1..6, DIS-6), from the invoices' facts.
    fn overdue(&self, facts: Vec<InvoiceFacts>, as_of: NaiveDate) -> Result<OverdueSummary, Error> {
        let decision = crate::overdue::report(
            &self.policy,
            facts,
            &OverdueContext {
                cover_kind: self.cover_kind(),
                extra_reporting_dates: &self.extra_reporting_dates,
                reported_on: self.reported_on,
                continued_cover_confirmed: self.continued_cover,
                negative_information_remains: self.adverse_since.is_some(),
                as_of,
            },
        )?;
        match decision.details {
            Some(Details::Overdue(summary)) => Ok(summary),
            _ => Err(Error::Internal {
                detail: "overdue report without details".into(),
            }),
        }
    }

    /// The insured event on `as_of` by the claims rules (CLM-1, CLM-2), from the invoices' facts.
    fn insured_event(&self, facts: &[InvoiceFacts], as_of: NaiveDate) -> Result<InsuredEvent, Error> {
        let decision = insured_event_of(&self.policy, facts, self.insolvency, self.reported_on, as_of)?;
        let open = match decision.amounts.get("openReceivables") {
            Some(m) => self.policy.money(m, "openReceivables")?,
            None => Money::zero(self.policy.currency),
        };
        match decision.details {
            Some(Details::InsuredEvent(summary)) => Ok(InsuredEvent { summary, open }),
            _ => Err(Error::Internal {
                detail: "insured event without details".into(),
            }),
        }
    }

    /// The duties to apply for a limit (LIM-7) or for more (LIM-6) on `as_of`, from the
    /// invoices (`facts`, worked out on `as_of`) and the deliveries still planned, whose
    /// outstanding is projected as EXP-1 does (see [`apply::duties`]); `events` is the log the
    /// ledger was read from.
    fn duties_to_apply<'e>(
        &self,
        events: &'e Log,
        facts: &[InvoiceFacts],
        buyer: &BuyerDto,
        history: &crate::limit::LimitHistory,
        as_of: NaiveDate,
    ) -> Result<Vec<apply::ApplyDuty<'e>>, Error> {
        let p = &self.policy;
        if self.invoices.is_empty() && !self.plans.iter().any(|plan| plan.open) {
            return Ok(Vec::new());
        }
        // The buyer's insurability and each delivery's terms (BUY-2..4, PRM-4): an application
        // cannot make an uninsurable delivery insured.
        let context = CoverContext::with_policy((**p).clone(), buyer.clone(), &[], None, as_of)?;
        let insurable = |terms: PaymentTerms, date: NaiveDate| {
            !context.blocks(ReceivableKind::Goods, PaymentSecurity::OpenAccount, terms, date)
        };
        // Only what can be insured counts in the projected outstanding.
        let mut deliveries = Vec::with_capacity(self.invoices.len() + self.plans.len());
        let mut changes = Vec::with_capacity(2 * self.invoices.len() + self.settled.len() + 2 * self.plans.len());
        let mut counted = Vec::with_capacity(self.invoices.len());
        for (invoice, f) in self.invoices.iter().zip(facts) {
            let terms = PaymentTerms::net(u32::try_from((f.due_date - invoice.date).num_days()).unwrap_or(0));
            let ok = insurable(terms, invoice.date);
            counted.push(ok);
            if !ok {
                continue;
            }
            deliveries.push(apply::Delivery {
                date: invoice.date,
                reference: invoice.reference(events),
            });
            changes.push((invoice.date, invoice.amount.amount));
            // What is open on `as_of` is paid on its due date if that is later (EXP-1); an
            // invoice already past due stays owed.
            if f.due_date > as_of && !f.open.amount.is_zero() {
                changes.push((f.due_date, -f.open.amount));
            }
        }
        changes.extend(
            self.settled
                .iter()
                .filter(|s| counted.get(s.invoice).copied().unwrap_or(false))
                .map(|s| (s.date, -s.amount.amount)),
        );
        for plan in self.plans.iter().filter(|plan| plan.open) {
            let reference = match events.get(plan.event) {
                Some(AccountEventDto::DeliveryPlanned { reference, .. }) => reference.as_str(),
                _ => "",
            };
            if !insurable(plan.terms, plan.delivery_date) {
                continue;
            }
            deliveries.push(apply::Delivery {
                date: plan.delivery_date,
                reference,
            });
            changes.push((plan.delivery_date, plan.amount.amount));
            changes.push((
                plan.terms.due_date(plan.delivery_date, p.day_count)?,
                -plan.amount.amount,
            ));
        }
        Ok(apply::duties(p, history, &self.limit_events, deliveries, changes))
    }

    /// The exclusion of new deliveries on `as_of` (OVD-2, OVD-3, DIS-6).
    fn exclusion(&self, facts: &[InvoiceFacts], as_of: NaiveDate) -> Result<Option<Exclusion>, Error> {
        crate::overdue::exclusion(
            &self.policy,
            facts,
            self.reported_on,
            self.continued_cover,
            self.adverse_since.is_some(),
            as_of,
        )
    }
}

/// The insured event of an account with the open receivables it concerns.
struct InsuredEvent {
    summary: InsuredEventSummary,
    open: Money,
}

impl InsuredEvent {
    /// The event and its date, if one occurred.
    fn occurred(&self) -> Option<(InsuredEventKind, NaiveDate)> {
        self.summary.event.zip(self.summary.event_date.map(|d| d.0))
    }

    /// The day to file the claim and send its documents by (CLM-2, CLM-3): the policy's
    /// deadline after the event, or the event day when the policy sets none.
    fn file_by(&self) -> Option<NaiveDate> {
        self.occurred()
            .map(|(_, d)| self.summary.file_claim_by.map_or(d, |by| by.0))
    }
}

/// An invoice as the ledger keeps it (typed; `event` is the position of its `invoiceIssued` in
/// the log, which holds the reference).
#[derive(Debug, Clone, Copy)]
struct Invoice {
    event: usize,
    amount: Money,
    date: NaiveDate,
    due_date: Option<NaiveDate>,
    payment_terms_days: Option<u32>,
    end_of_month: bool,
}

impl Invoice {
    fn reference<'e>(&self, events: &'e Log) -> &'e str {
        match events.get(self.event) {
            Some(AccountEventDto::InvoiceIssued { reference, .. }) => reference,
            _ => "",
        }
    }
}

/// A payment part or a credit note on invoice `invoice`, rounded to the minor unit as an
/// invoice's settlements are given (OVD-1).
#[derive(Debug, Clone, Copy)]
struct Settled {
    invoice: usize,
    date: NaiveDate,
    amount: Money,
    payment: bool,
}

/// The state of an account on a date.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountState {
    /// Named limit, self-assessed, or none.
    pub cover_type: CoverType,
    /// Open invoices.
    pub open_invoices: u32,
    /// Overdue invoices and the exclusion.
    pub overdue: OverdueSummary,
    /// Date insolvency proceedings were opened (CLM-1), if they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insolvency_opened: Option<IsoDate>,
    /// Date the claim was filed, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_filed: Option<IsoDate>,
    /// The insured event and the claim filing deadline (CLM-1, CLM-2), or the waiting period
    /// running, as `insured_event` finds them; absent when neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub insured_event: Option<InsuredEventSummary>,
}

/// What kind of duty an obligation is.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ObligationKind {
    /// Report an overdue (OVD-1).
    ReportOverdue,
    /// Apply for a named limit (DIS-5).
    ApplyForNamedLimit,
    /// Ask the insurer's consent before agreeing to an instalment plan (OVD-8).
    AskInstalmentConsent,
    /// Cancel an unused limit by the deadline (LIM-4; only where the policy sets one).
    CancelUnusedLimit,
    /// Declare the insured turnover (PRM-2).
    DeclareTurnover,
    /// File the claim and report the open receivables (CLM-2, CLM-3).
    FileClaim,
    /// Send the collection warning before handing over (COL-1; only under
    /// `collectionStart: afterReminderAndNotice`).
    SendCollectionWarning,
    /// Report payments received after the claim (CLM-6).
    ReportPaymentsAfterClaim,
    /// File the claim after protracted default, by the policy's deadline (CLM-1, CLM-2).
    FileClaimAfterDefault,
    /// Send the claim file's documents (CLM-3).
    SendClaimDocuments,
    /// Report the outstanding balance of a reporting day (PRM-6).
    ReportBalance,
    /// Apply for a limit before a delivery that needs one: the buyer has no named limit and the
    /// policy's cover for small buyers does not cover it (LIM-7).
    ApplyForLimit,
    /// Apply for more before a delivery that takes the projected outstanding above the limit
    /// in force (LIM-6, EXP-1).
    ApplyForLimitIncrease,
    /// Notify the insurer of a circumstance at once (OVD-7, OVD-9).
    NotifyInsurer,
    /// Ask the insurer's consent before concluding an agreement (OVD-7).
    AskConsent,
    /// Report on an extra reporting date the insurer set (OVD-6).
    ReportOnReportingDate,
}

/// Where an obligation stands on the as-of date.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ObligationStatus {
    /// Due later.
    Upcoming,
    /// Due today.
    Due,
    /// Its due date has passed and it is not done.
    Overdue,
    /// Done.
    Done,
}

/// One duty of the insured.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Obligation {
    /// What to do.
    pub kind: ObligationKind,
    /// The rule.
    pub rule: String,
    /// By when.
    pub due_date: IsoDate,
    /// Where it stands.
    pub status: ObligationStatus,
    /// The amount it is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyDto>,
    /// The buyer (in portfolio answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    /// The rendered message, when a language was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The reporting day whose balance is to be reported (PRM-6, `reportBalance`), or the
    /// extra reporting date (OVD-6, `reportOnReportingDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_day: Option<IsoDate>,
    /// The delivery the application must come before (LIM-6, LIM-7), or the invoice a
    /// circumstance concerns (OVD-7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub reference: Option<String>,
    /// The first day the projected outstanding reaches its peak, `amount` (LIM-6, LIM-7, EXP-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub peak_date: Option<IsoDate>,
    /// The limit in force that the peak exceeds (LIM-6, `applyForLimitIncrease`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub limit: Option<MoneyDto>,
    /// The circumstance to notify or to ask consent for, as the OVD-7 matrix names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub circumstance: Option<EventKind>,
    /// The id of the account event the duty comes from (OVD-7, OVD-9): what `notificationSent`,
    /// `consentReceived` and `consentRefused` name in `about`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub event_id: Option<String>,
}

impl Obligation {
    /// A duty with no amount, buyer, message or detail yet.
    pub fn new(kind: ObligationKind, rule: &str, due_date: NaiveDate, status: ObligationStatus) -> Obligation {
        Obligation {
            kind,
            rule: rule.to_owned(),
            due_date: IsoDate(due_date),
            status,
            amount: None,
            buyer: None,
            message: None,
            reporting_day: None,
            reference: None,
            peak_date: None,
            limit: None,
            circumstance: None,
            event_id: None,
        }
    }
}

fn status(done: bool, due: NaiveDate, as_of: NaiveDate) -> ObligationStatus {
    if done {
        ObligationStatus::Done
    } else if due < as_of {
        ObligationStatus::Overdue
    } else if due == as_of {
        ObligationStatus::Due
    } else {
        ObligationStatus::Upcoming
    }
}

impl Account {
    /// The log read up to `as_of`: the one kept from the last change when no later event
    /// exists and the policy is the same, else read again.
    fn ledger(&self, policy: &PolicyDto, as_of: NaiveDate) -> Result<std::borrow::Cow<'_, Ledger>, Error> {
        let last = self.events.last().map_or(NaiveDate::MIN, AccountEventDto::date);
        let ledger = match &self.read {
            Some(read) if last <= as_of && read.base.are(policy) => std::borrow::Cow::Borrowed(&**read),
            Some(read) if read.base.are(policy) => {
                std::borrow::Cow::Owned(Ledger::build(&read.base, &self.events, as_of)?)
            }
            _ => std::borrow::Cow::Owned(Ledger::build(&Terms::new(policy)?, &self.events, as_of)?),
        };
        if as_of < ledger.policy.insurance_year_start {
            return Err(Error::DateOrder {
                field: "asOf".into(),
                detail: format!(
                    "{as_of} is before the policy starts on {}",
                    ledger.policy.insurance_year_start
                ),
            });
        }
        Ok(ledger)
    }

    /// The insured event (CLM-1) as the claims rules find it on `as_of`, or, once a claim was
    /// filed, on the day it was filed: what the claim is for, which later payments do not undo.
    fn insured_event(
        &self,
        policy: &PolicyDto,
        l: &Ledger,
        facts: &[InvoiceFacts],
        as_of: NaiveDate,
    ) -> Result<InsuredEvent, Error> {
        match l.claim_filed.filter(|c| *c < as_of) {
            Some(filed) => {
                let then = match &self.read {
                    Some(read) if read.base.are(policy) => Ledger::build(&read.base, &self.events, filed)?,
                    _ => Ledger::build(&Terms::new(policy)?, &self.events, filed)?,
                };
                then.insured_event(&then.facts(&self.events, filed)?, filed)
            }
            None => l.insured_event(facts, as_of),
        }
    }

    /// The state on `as_of` (ACC): a decision with outcome `covered`, `partly_covered` or
    /// `not_covered` for the outstanding, amounts `outstanding`, `coveredExposure`,
    /// `uncoveredExposure` (and `limit` when one is in force), the limit's reasons, and the
    /// account details. Covered exposure: each invoice as it was covered on its delivery date
    /// (the limit then, the exclusion then, after what the buyer owed that day), less what was
    /// paid on it, paid amounts taken from its uncovered part first.
    pub fn state_at(&self, policy: &PolicyDto, buyer: &BuyerDto, as_of: NaiveDate) -> Result<Decision, Error> {
        let l = self.ledger(policy, as_of)?;
        let facts = l.facts(&self.events, as_of)?;
        let exclusion = l.exclusion(&facts, as_of)?;
        let insured = self.insured_event(policy, &l, &facts, as_of)?;
        let overdue = l.overdue(facts, as_of)?;
        let context = CoverContext::with_policy(
            (*l.policy).clone(),
            buyer.clone(),
            &l.limit_events,
            l.evidence.clone(),
            as_of,
        )?
        .with_exclusion(exclusion);
        let outstanding = Money::new(l.outstanding(), l.policy.currency);
        let (cover_type, limit, mut reasons) = context.limit_view(as_of)?;
        // Each invoice is covered as it was on its delivery date: the limit then, the
        // exclusion then, after what the buyer owed that day (LIM-1, LIM-3, DIS-1..5, OVD-2,
        // OVD-3). Payments and credit notes reduce an invoice's uncovered part first.
        let settlements = &l.settled; // in date order
        let mut next = 0;
        let mut owed = Decimal::ZERO;
        let mut covered = Money::zero(l.policy.currency);
        for (invoice, open) in l.invoices.iter().zip(&l.open) {
            let date = invoice.date;
            while let Some(s) = settlements.get(next).filter(|s| s.date <= date) {
                owed -= s.amount.amount;
                next += 1;
            }
            let days = match (invoice.due_date, invoice.payment_terms_days) {
                (Some(due), _) => u32::try_from((due - date).num_days()).unwrap_or(0),
                (None, days) => days.unwrap_or(0),
            };
            let full = invoice.amount;
            let planned = PlannedDelivery {
                amount: full,
                date,
                terms: PaymentTerms::new(
                    days,
                    invoice.end_of_month && invoice.due_date.is_none(),
                    l.policy.end_of_month_convention,
                ),
                kind: ReceivableKind::Goods,
                payment_security: PaymentSecurity::OpenAccount,
            };
            let figures = context.figures(Money::new(owed.max(Decimal::ZERO), l.policy.currency), &planned)?;
            covered = covered.checked_add(
                &Money::new(figures.covered.amount.min(*open), l.policy.currency),
                "outstanding",
            )?;
            owed += full.amount;
        }
        let covered = covered.rounded();
        let uncovered = outstanding.checked_sub(&covered, "outstanding")?.rounded();
        // OVD-3 (CH): an express confirmation keeps a named limit's cover, with no time limit.
        let confirmed = l.continued_cover && l.cover_kind() == CoverKind::NamedLimit;
        let excluded = !confirmed
            && overdue
                .exclusion
                .as_ref()
                .is_some_and(|e| e.ended_on.is_none_or(|end| end.0 > as_of));
        if excluded {
            reasons.push(Reason::new(
                ReasonCode::AccountDeliveriesExcluded,
                [(
                    "since",
                    Param::from(
                        overdue
                            .exclusion
                            .as_ref()
                            .map(|e| e.starts.0.to_string())
                            .unwrap_or_default(),
                    ),
                )],
            ));
        }
        if let Some(d) = l.insolvency {
            reasons.push(Reason::new(
                ReasonCode::AccountInsolvencyOpened,
                [("date", Param::from(d.to_string()))],
            ));
        }
        if let Some((InsuredEventKind::ProtractedDefault, d)) = insured.occurred() {
            reasons.push(Reason::new(
                ReasonCode::AccountProtractedDefault,
                [("date", Param::from(d.to_string()))],
            ));
        }
        // The waiting period is shown once payment has stopped: an open invoice past its due date.
        let payment_stopped = overdue
            .invoices
            .iter()
            .any(|i| i.due_date.0 < as_of && !i.open_amount.amount.0.is_zero());
        let insured_event =
            Some(insured.summary).filter(|s| s.event.is_some() || (payment_stopped && s.waiting_period_ends.is_some()));
        let mut amounts: BTreeMap<String, MoneyDto> = [
            ("outstanding".to_owned(), outstanding.rounded().into()),
            ("coveredExposure".to_owned(), covered.into()),
            ("uncoveredExposure".to_owned(), uncovered.into()),
        ]
        .into();
        if let Some(limit) = limit {
            amounts.insert("limit".into(), limit.rounded().into());
        }
        let outcome = if outstanding.amount.is_zero() || uncovered.amount.is_zero() {
            Outcome::Covered
        } else if covered.amount.is_zero() {
            Outcome::NotCovered
        } else {
            Outcome::PartlyCovered
        };
        Ok(Decision {
            outcome,
            amounts,
            reasons,
            details: Some(Details::Account(Box::new(AccountState {
                cover_type,
                open_invoices: l.open.iter().filter(|o| !o.is_zero()).count() as u32,
                overdue,
                insolvency_opened: l.insolvency.map(IsoDate),
                claim_filed: l.claim_filed.map(IsoDate),
                insured_event,
            }))),
        })
    }

    /// Every duty of the insured towards `buyer` on `as_of` with its kind, rule, due date,
    /// amount and status (ACC): report an overdue (OVD-1), apply for a named limit (DIS-5), apply
    /// for a limit before a delivery that needs one (LIM-7) or for more before one that takes the
    /// projected peak above the limit (LIM-6, EXP-1), notify a circumstance or ask consent
    /// before an agreement (OVD-7, OVD-9), ask consent before an instalment plan (OVD-8), report
    /// on the insurer's extra reporting dates (OVD-6), cancel an unused limit (LIM-4, where the
    /// policy sets `limitCancellationDay`), declare turnover (PRM-2), file a claim after
    /// insolvency or protracted default (CLM-1, CLM-2) and send its documents (CLM-3), send the
    /// collection warning (COL-1, where collection starts after reminder and notice), report
    /// payments after the claim (CLM-6). Sorted by due date, then kind.
    pub fn obligations(
        &self,
        policy: &PolicyDto,
        buyer: &BuyerDto,
        as_of: NaiveDate,
    ) -> Result<Vec<Obligation>, Error> {
        let l = self.ledger(policy, as_of)?;
        let p = &l.policy;
        let mut out = Vec::new();
        let mut push = |kind, rule: &str, due: NaiveDate, done: bool, amount: Option<Money>| {
            let mut o = Obligation::new(kind, rule, due, status(done, due, as_of));
            o.amount = amount.map(|m| m.rounded().into());
            out.push(o);
        };
        let facts = l.facts(&self.events, as_of)?;
        let insured = self.insured_event(policy, &l, &facts, as_of)?;
        let history = crate::limit::replay(p, &l.limit_events, as_of, "limitEvents")?;
        let to_apply = l.duties_to_apply(&self.events, &facts, buyer, &history, as_of)?;
        // DIS-5 and LIM-7 ask for the same application when a self-assessed buyer outgrows the
        // discretionary limit: one duty, the one due first (DIS-5's on a tie).
        let dis_5 = l.above_discretionary_since.filter(|_| p.discretionary_limit.is_some());
        let lim_7 = to_apply.iter().find(|d| !d.increase && d.epoch == 0).map(|d| d.due);
        let (show_dis_5, skip_lim_7) = match (dis_5, lim_7) {
            (Some(since), Some(due)) if due < since => (false, false),
            (Some(_), Some(_)) => (true, true),
            _ => (true, false),
        };
        let overdue = l.overdue(facts, as_of)?;
        if let Some(report) = &overdue.combined_report {
            let done = l.reported_on.is_some_and(|r| r <= report.report_by.0.max(as_of));
            push(
                ObligationKind::ReportOverdue,
                "OVD-1",
                report.report_by.0,
                done,
                report.total_overdue.to_money("total").ok(),
            );
        }
        if let (Some(since), Some(dl), true) = (l.above_discretionary_since, p.discretionary_limit, show_dis_5) {
            let done = l
                .limit_events
                .iter()
                .any(|e| matches!(e, LimitEventDto::Applied { date, .. } if date.0 >= since));
            push(ObligationKind::ApplyForNamedLimit, "DIS-5", since, done, Some(dl));
        }
        if let Some(plan) = &l.instalment {
            push(
                ObligationKind::AskInstalmentConsent,
                "OVD-8",
                plan.due,
                plan.answered.is_some(),
                None,
            );
        }
        let limit_in_force = history.amount_for_delivery(as_of);
        let unused = l.last_invoice.is_none_or(|d| {
            d.checked_add_months(chrono::Months::new(12))
                .is_some_and(|y| y <= as_of)
        });
        // LIM-4: only where the policy sets a cancellation deadline.
        if let (Some(limit), true, (_, Some(mut deadline))) = (limit_in_force, unused, cancellation_deadline(p, as_of)?)
        {
            if deadline < as_of {
                let next_year = crate::calendar::add_months(as_of, p.insurance_year_months, "insuranceYear")?;
                deadline = cancellation_deadline(p, next_year)?.1.unwrap_or(deadline);
            }
            push(ObligationKind::CancelUnusedLimit, "LIM-4", deadline, false, Some(limit));
        }
        if let (Some(deadline), false) = (p.declaration_deadline, matches!(p.premium, Premium::Fixed { .. })) {
            let (year_start, _) = cancellation_deadline(p, as_of)?;
            let ended = year_start.pred_opt().filter(|d| *d >= p.insurance_year_start);
            let current_end = crate::calendar::add_months(year_start, p.insurance_year_months, "insuranceYear")?
                .pred_opt()
                .unwrap_or(year_start);
            for (end, upcoming) in ended.map(|e| (e, false)).into_iter().chain([(current_end, true)]) {
                let due = crate::premium::declaration_due(p, deadline, end)?;
                let done = !upcoming && l.declarations.iter().any(|d| *d > end);
                push(ObligationKind::DeclareTurnover, "PRM-2", due, done, None);
            }
        }
        if let Some(insolvency) = l.insolvency {
            let done = l.claim_filed.is_some_and(|c| c >= insolvency);
            push(
                ObligationKind::FileClaim,
                "CLM-2",
                insolvency,
                done,
                Some(Money::new(l.owed_at_insolvency, p.currency)),
            );
        }
        // CLM-1, CLM-2, CLM-3: after protracted default, file the claim by the deadline; after
        // either insured event, send the claim file's documents by then.
        if let (Some((kind, _)), Some(by)) = (insured.occurred(), insured.file_by()) {
            if kind == InsuredEventKind::ProtractedDefault {
                push(
                    ObligationKind::FileClaimAfterDefault,
                    "CLM-2",
                    by,
                    l.claim_filed.is_some(),
                    Some(insured.open),
                );
            }
            push(
                ObligationKind::SendClaimDocuments,
                "CLM-3",
                by,
                l.claim_documents_sent.is_some(),
                None,
            );
        }
        // COL-1: the warning is the insured's step only where collection starts after the
        // reminder, the formal notice and the warning (BE, DK), not at once (CH, FR).
        let warning_first = matches!(
            p.collection_start,
            Some(CollectionPrerequisites::AfterReminderAndNotice { .. })
        );
        if warning_first && p.collection_services_included && l.collection_handed_over.is_none() {
            if let Some(first) = overdue
                .invoices
                .iter()
                .filter(|i| i.due_date.0 < as_of && !i.open_amount.amount.0.is_zero())
                .map(|i| i.extension_ends.0)
                .min()
            {
                push(ObligationKind::SendCollectionWarning, "COL-1", first, false, None);
            }
        }
        for (date, amount) in &l.payments_after_claim {
            let done = l.payments_reported.is_some_and(|r| r >= *date);
            push(
                ObligationKind::ReportPaymentsAfterClaim,
                "CLM-6",
                *date,
                done,
                Some(*amount),
            );
        }
        // PRM-6: each periodic balance report, with its reporting day.
        for duty in crate::premium::balance_report_duties(p, as_of, &l.balance_reports)? {
            let mut o = Obligation::new(
                ObligationKind::ReportBalance,
                "PRM-6",
                duty.due,
                status(duty.done, duty.due, as_of),
            );
            o.reporting_day = Some(IsoDate(duty.reporting_day));
            out.push(o);
        }
        // LIM-7, LIM-6: apply before the delivery that needs a limit, or more of it.
        for d in to_apply {
            if skip_lim_7 && !d.increase && d.epoch == 0 {
                continue;
            }
            let (kind, rule) = if d.increase {
                (ObligationKind::ApplyForLimitIncrease, "LIM-6")
            } else {
                (ObligationKind::ApplyForLimit, "LIM-7")
            };
            let mut o = Obligation::new(kind, rule, d.due, status(d.done, d.due, as_of));
            o.amount = Some(d.peak.rounded().into());
            o.reference = Some(d.reference.to_owned());
            o.peak_date = Some(IsoDate(d.peak_date));
            o.limit = d.limit.map(|m| m.rounded().into());
            out.push(o);
        }
        // OVD-7, OVD-9: each circumstance to notify, or to ask consent for.
        for notice in &l.notices {
            out.extend(notify::duty(notice, &self.events, as_of)?);
        }
        // OVD-6: a report on each extra reporting date, with the payments it reports so far.
        for day in &l.extra_reporting_dates {
            let done = l.extra_reports.contains(&day.0);
            let mut o = Obligation::new(
                ObligationKind::ReportOnReportingDate,
                "OVD-6",
                day.0,
                status(done, day.0, as_of),
            );
            o.reporting_day = Some(*day);
            o.amount = overdue
                .payment_reports
                .iter()
                .find(|r| r.reporting_date == *day)
                .map(|r| r.total.clone());
            out.push(o);
        }
        // Ties in the order of the circumstance, the delivery, the reporting day: the same for
        // events of one day in any arrival order.
        out.sort_by(|a, b| {
            (a.due_date, a.kind, &a.event_id, &a.reference, a.reporting_day).cmp(&(
                b.due_date,
                b.kind,
                &b.event_id,
                &b.reference,
                b.reporting_day,
            ))
        });
        Ok(out)
    }
}

/// Renders an obligation's message in `lang` (ACC).
pub fn obligation_message(o: &Obligation, lang: Language) -> Result<String, Error> {
    let code = match o.kind {
        ObligationKind::ReportOverdue => ReasonCode::ObligationReportOverdue,
        ObligationKind::ApplyForNamedLimit => ReasonCode::ObligationApplyForNamedLimit,
        ObligationKind::AskInstalmentConsent => ReasonCode::ObligationAskInstalmentConsent,
        ObligationKind::CancelUnusedLimit => ReasonCode::ObligationCancelUnusedLimit,
        ObligationKind::DeclareTurnover => ReasonCode::ObligationDeclareTurnover,
        ObligationKind::FileClaim => ReasonCode::ObligationFileClaim,
        ObligationKind::SendCollectionWarning => ReasonCode::ObligationSendCollectionWarning,
        ObligationKind::ReportPaymentsAfterClaim => ReasonCode::ObligationReportPaymentsAfterClaim,
        ObligationKind::FileClaimAfterDefault => ReasonCode::ObligationFileClaimAfterDefault,
        ObligationKind::SendClaimDocuments => ReasonCode::ObligationSendClaimDocuments,
        ObligationKind::ReportBalance => ReasonCode::ObligationReportBalance,
        ObligationKind::ApplyForLimit => ReasonCode::ObligationApplyForLimit,
        ObligationKind::ApplyForLimitIncrease => ReasonCode::ObligationApplyForLimitIncrease,
        ObligationKind::NotifyInsurer => match o.circumstance {
            Some(EventKind::AdverseInformation) => ReasonCode::ObligationNotifyAdverseInformation,
            Some(EventKind::BillsProlongedOrPaymentsReturned) => ReasonCode::ObligationNotifyBillsOrPaymentsReturned,
            Some(EventKind::CashTermsOrDeliveriesStopped) => ReasonCode::ObligationNotifyCashTermsOrDeliveriesStopped,
            Some(EventKind::LegalActionStarted) => ReasonCode::ObligationNotifyLegalAction,
            Some(EventKind::LawyerOrCollectionAgencyInstructed) => ReasonCode::ObligationNotifyLawyerInstructed,
            _ => ReasonCode::ObligationNotifyInsurer,
        },
        ObligationKind::AskConsent => match o.circumstance {
            Some(EventKind::PaymentTermsExtended) => ReasonCode::ObligationAskConsentTermsExtension,
            _ => ReasonCode::ObligationAskConsentAgreement,
        },
        ObligationKind::ReportOnReportingDate => ReasonCode::ObligationReportOnReportingDate,
    };
    let mut params: BTreeMap<String, Param> = [
        ("dueDate".to_owned(), Param::from(o.due_date.0.to_string())),
        (
            "amount".to_owned(),
            Param::from(o.amount.as_ref().map(|a| a.amount.to_string()).unwrap_or_default()),
        ),
        (
            "currency".to_owned(),
            Param::from(o.amount.as_ref().map(|a| a.currency.clone()).unwrap_or_default()),
        ),
    ]
    .into();
    if let Some(day) = o.reporting_day {
        params.insert("reportingDay".to_owned(), Param::from(day.0.to_string()));
    }
    let text = |v: Option<String>| Param::from(v.unwrap_or_default());
    params.insert("reference".to_owned(), text(o.reference.clone()));
    params.insert("peakDate".to_owned(), text(o.peak_date.map(|d| d.0.to_string())));
    params.insert("limit".to_owned(), text(o.limit.as_ref().map(|m| m.amount.to_string())));
    params.insert("event".to_owned(), text(o.circumstance.map(|c| c.code().to_owned())));
    crate::i18n::render(lang, code.as_str(), &params, code.decimal_params(), "obligations")
}

/// Input of op `account_state`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountStateInput {
    /// Policy terms (a `policyTermsSet` event may change them later).
    pub policy: PolicyDto,
    /// The buyer.
    pub buyer: BuyerDto,
    /// The account's events, in any order.
    pub events: Vec<AccountEventDto>,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// One buyer's account in a portfolio.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountDto {
    /// The buyer.
    pub buyer: BuyerDto,
    /// Its events, in any order.
    pub events: Vec<AccountEventDto>,
}

/// Input of op `obligations`: one or more accounts under one policy.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObligationsInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The accounts.
    pub accounts: Vec<AccountDto>,
    /// The date asked about.
    pub as_of: IsoDate,
    /// Language of the messages (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub lang: Option<String>,
}

/// Op `account_state` (ACC).
pub fn account_state(input: &AccountStateInput) -> Result<Decision, Error> {
    let account = Account::replay(&input.policy, &input.events)?;
    account.state_at(&input.policy, &input.buyer, input.as_of.0)
}

/// Op `obligations` (ACC): the worklists of every account merged, sorted by due date, then
/// buyer, then kind. Outcome `obligations_open` when any is not done, else `no_obligations`.
pub fn obligations(input: &ObligationsInput) -> Result<Decision, Error> {
    let lang = input.lang.as_deref().map(|l| Language::parse("lang", l)).transpose()?;
    let mut all = Vec::new();
    for (i, account) in input.accounts.iter().enumerate() {
        let replayed = Account::replay(&input.policy, &account.events).map_err(|e| prefix(e, i))?;
        for mut o in replayed
            .obligations(&input.policy, &account.buyer, input.as_of.0)
            .map_err(|e| prefix(e, i))?
        {
            o.buyer = Some(account.buyer.legal_name.trim().to_owned());
            if let Some(lang) = lang {
                o.message = Some(obligation_message(&o, lang)?);
            }
            all.push(o);
        }
    }
    Ok(obligations_decision(all))
}

/// The decision of op `obligations` on the obligations of every account, each naming its
/// buyer: sorted by due date, then buyer, then kind, then what tells two duties of one kind
/// apart (event, reference, reporting day).
fn obligations_decision(mut all: Vec<Obligation>) -> Decision {
    all.sort_by(|a, b| {
        (a.due_date, &a.buyer, a.kind, &a.event_id, &a.reference, a.reporting_day).cmp(&(
            b.due_date,
            &b.buyer,
            b.kind,
            &b.event_id,
            &b.reference,
            b.reporting_day,
        ))
    });
    let open = all.iter().filter(|o| o.status != ObligationStatus::Done).count();
    Decision {
        outcome: if open > 0 {
            Outcome::ObligationsOpen
        } else {
            Outcome::NoObligations
        },
        amounts: BTreeMap::new(),
        reasons: vec![Reason::new(
            ReasonCode::ObligationsSummary,
            [
                ("open", Param::Int(open as i64)),
                ("total", Param::Int(all.len() as i64)),
            ],
        )],
        details: Some(Details::Obligations { obligations: all }),
    }
}

fn prefix(e: Error, i: usize) -> Error {
    match e {
        Error::InvalidEvent { id, detail, .. } => Error::InvalidEvent {
            field: format!("accounts[{i}].events"),
            id,
            detail,
        },
        other => other,
    }
}
