//! Circumstances to notify from the account's events (OVD-7, OVD-8, OVD-9): adverse
//! information, a later extension of the payment terms, dishonoured cheques or bills and returned
//! direct debits, prolonged bills, cash terms or stopped deliveries for credit reasons, legal
//! action, a lawyer or collection agency instructed, standstill agreements and settlement
//! proposals. Each event's duty is the answer of op `notification_duty`
//! ([`crate::overdue::duty::notification_duty`], the OVD-7 matrix) for the buyer's cover kind
//! on the event's day: "notify by" the event's day (*at once*), or "ask consent before" the day
//! the agreement is to be concluded.

use chrono::NaiveDate;

use super::{status, AccountEventDto, Obligation, ObligationKind};
use crate::calendar::IsoDate;
use crate::decision::Details;
use crate::error::Error;
use crate::overdue::duty::{notification_duty, EventKind, NotificationDutyInput};
use crate::overdue::CoverKind;

/// What an account event is as a circumstance of the OVD-7 matrix.
pub(super) struct Circumstance<'a> {
    /// Its row of the matrix.
    pub kind: EventKind,
    /// The invoice it concerns, if it names one (it must be in the account).
    pub reference: Option<&'a str>,
    /// The day the agreement is to be concluded, for an event that may need consent first.
    pub agreement_date: Option<NaiveDate>,
}

/// The circumstance `event` is, if it is one to notify or to ask consent for. The instalment
/// plan has its own duty (`askInstalmentConsent`, OVD-8); insolvency, the overdue and the
/// insured event have theirs (`fileClaim`, `reportOverdue`).
pub(super) fn circumstance(event: &AccountEventDto) -> Option<Circumstance<'_>> {
    use AccountEventDto as E;
    let (kind, reference, agreement_date) = match event {
        E::AdverseInformation { .. } => (EventKind::AdverseInformation, None, None),
        E::PaymentTermsExtensionProposed {
            reference,
            agreement_date,
            ..
        } => (
            EventKind::PaymentTermsExtended,
            Some(reference.as_str()),
            Some(agreement_date.0),
        ),
        E::PaymentReturned { reference, .. } | E::BillProlonged { reference, .. } => {
            (EventKind::BillsProlongedOrPaymentsReturned, reference.as_deref(), None)
        }
        E::OpenTermsStopped { .. } => (EventKind::CashTermsOrDeliveriesStopped, None, None),
        E::LegalActionStarted { reference, .. } => (EventKind::LegalActionStarted, reference.as_deref(), None),
        E::LawyerInstructed { reference, .. } => (
            EventKind::LawyerOrCollectionAgencyInstructed,
            reference.as_deref(),
            None,
        ),
        E::StandstillProposed { agreement_date, .. } | E::SettlementProposed { agreement_date, .. } => {
            (EventKind::InstalmentOrSettlementAgreement, None, Some(agreement_date.0))
        }
        _ => return None,
    };
    Some(Circumstance {
        kind,
        reference,
        agreement_date,
    })
}

/// A circumstance read from the log, with what was done about it.
#[derive(Debug, Clone)]
pub(super) struct Notice {
    /// The position of its event in the log (which holds the id and the reference).
    pub event: usize,
    /// Its row of the matrix.
    pub kind: EventKind,
    /// The event's day.
    pub date: NaiveDate,
    /// The day the agreement is to be concluded, if it is one.
    pub agreement_date: Option<NaiveDate>,
    /// The buyer's cover kind on the event's day, as the overdue rules read it.
    pub cover_kind: CoverKind,
    /// The day the insurer was notified (`notificationSent`).
    pub notified: Option<NaiveDate>,
    /// The day the insurer answered the request for consent (`consentReceived`,
    /// `consentRefused`).
    pub answered: Option<NaiveDate>,
}

/// The duty a notice gives on `as_of`, if any (OVD-7, OVD-9): `askConsent` due the agreement's
/// day when the matrix needs the insurer's consent first (done once the insurer answered),
/// else `notifyInsurer` due the event's day when the matrix says notify (done once notified).
pub(super) fn duty(notice: &Notice, events: &super::Log, as_of: NaiveDate) -> Result<Option<Obligation>, Error> {
    let asked = notification_duty(&NotificationDutyInput {
        event: notice.kind,
        cover_kind: notice.cover_kind,
        date: IsoDate(notice.agreement_date.unwrap_or(notice.date)),
        written_consent: false,
        instalment_plan: false,
    })?;
    let Some(Details::NotificationDuty(summary)) = asked.details else {
        return Err(Error::Internal {
            detail: "notification duty without details".into(),
        });
    };
    let Some(by) = summary.notify_by else {
        return Ok(None);
    };
    let (kind, done) = if summary.consent_before_acting {
        (ObligationKind::AskConsent, notice.answered.is_some())
    } else {
        (ObligationKind::NotifyInsurer, notice.notified.is_some())
    };
    let event = events.get(notice.event);
    let mut o = Obligation::new(kind, rule(notice.kind), by.0, status(done, by.0, as_of));
    o.circumstance = Some(notice.kind);
    o.event_id = event.map(|e| e.id().to_owned());
    o.reference = event
        .and_then(circumstance)
        .and_then(|c| c.reference)
        .map(str::to_owned);
    Ok(Some(o))
}

/// The rule a circumstance's duty applies: instructing a lawyer or collection agency is OVD-9's,
/// every other row OVD-7's.
fn rule(kind: EventKind) -> &'static str {
    match kind {
        EventKind::LawyerOrCollectionAgencyInstructed => "OVD-9",
        _ => "OVD-7",
    }
}
