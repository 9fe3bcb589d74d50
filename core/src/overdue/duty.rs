//! The notification-duty matrix (OVD-7), instalment plans (OVD-8) and risk-increasing
//! circumstances (OVD-9).

use serde::{Deserialize, Serialize};

use super::CoverKind;
use crate::calendar::IsoDate;
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;

/// An event that may have to be notified to the insurer (OVD-7, OVD-9).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    /// Maximum extension period expired or clearly exceeded.
    MaxExtensionPeriodExpired,
    /// Later extension of the agreed payment terms (needs the insurer's consent).
    PaymentTermsExtended,
    /// Imminent or actual insolvency.
    Insolvency,
    /// Adverse information on the buyer.
    AdverseInformation,
    /// Strong deterioration of payment behaviour.
    PaymentBehaviourDeteriorated,
    /// Switch to cash in advance or cash on delivery for credit reasons, or stop of deliveries.
    CashTermsOrDeliveriesStopped,
    /// Later prolongation of bills of exchange, dishonoured cheques or bills, returned direct debits.
    BillsProlongedOrPaymentsReturned,
    /// Collection started through the insurer's collection service.
    CollectionByInsurer,
    /// Legal action started.
    LegalActionStarted,
    /// Occurrence of the insured event.
    InsuredEvent,
    /// Instalment or standstill agreements, out-of-court settlement proposals (consent needed
    /// before agreeing).
    InstalmentOrSettlementAgreement,
    /// A lawyer or collection agency instructed to collect (OVD-9; not a row of the OVD-7 table).
    LawyerOrCollectionAgencyInstructed,
}

/// One row of the duty matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duty {
    /// Must be notified under a named limit.
    pub named_limit: bool,
    /// Must be notified under self-assessment.
    pub self_assessed: bool,
    /// The insurer's consent is needed before acting (only where notification is due).
    pub consent_before_acting: bool,
    /// A risk-increasing circumstance (OVD-9).
    pub risk_increasing: bool,
}

impl EventKind {
    /// The camelCase name.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::MaxExtensionPeriodExpired => "maxExtensionPeriodExpired",
            EventKind::PaymentTermsExtended => "paymentTermsExtended",
            EventKind::Insolvency => "insolvency",
            EventKind::AdverseInformation => "adverseInformation",
            EventKind::PaymentBehaviourDeteriorated => "paymentBehaviourDeteriorated",
            EventKind::CashTermsOrDeliveriesStopped => "cashTermsOrDeliveriesStopped",
            EventKind::BillsProlongedOrPaymentsReturned => "billsProlongedOrPaymentsReturned",
            EventKind::CollectionByInsurer => "collectionByInsurer",
            EventKind::LegalActionStarted => "legalActionStarted",
            EventKind::InsuredEvent => "insuredEvent",
            EventKind::InstalmentOrSettlementAgreement => "instalmentOrSettlementAgreement",
            EventKind::LawyerOrCollectionAgencyInstructed => "lawyerOrCollectionAgencyInstructed",
        }
    }

    /// The row of the OVD-7 table (named limit / self-assessed), the consent column, and
    /// whether the event is risk-increasing (OVD-9). Instructing a lawyer or collection agency
    /// is not a table row: it is notified like legal action (yes / no).
    pub fn duty(self) -> Duty {
        let (named_limit, self_assessed, consent_before_acting, risk_increasing) = match self {
            EventKind::MaxExtensionPeriodExpired => (true, false, false, true),
            EventKind::PaymentTermsExtended => (true, false, true, true),
            EventKind::Insolvency => (true, true, false, true),
            EventKind::AdverseInformation => (true, false, false, true),
            EventKind::PaymentBehaviourDeteriorated => (true, false, false, true),
            EventKind::CashTermsOrDeliveriesStopped => (true, false, false, true),
            EventKind::BillsProlongedOrPaymentsReturned => (true, false, false, true),
            EventKind::CollectionByInsurer => (false, false, false, false),
            EventKind::LegalActionStarted => (true, false, false, true),
            EventKind::InsuredEvent => (true, true, false, true),
            EventKind::InstalmentOrSettlementAgreement => (true, true, true, true),
            EventKind::LawyerOrCollectionAgencyInstructed => (true, false, false, true),
        };
        Duty {
            named_limit,
            self_assessed,
            consent_before_acting,
            risk_increasing,
        }
    }
}

/// Input of op `notification_duty`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationDutyInput {
    /// The event.
    pub event: EventKind,
    /// Named limit or self-assessed.
    pub cover_kind: CoverKind,
    /// When the event occurred or became known; for an agreement that needs consent, the day
    /// it is to be concluded.
    pub date: IsoDate,
    /// Whether the insurer's written consent is on file (OVD-7 consent events, OVD-8).
    #[serde(default)]
    pub written_consent: bool,
    /// Whether the agreement is an instalment plan (OVD-8).
    #[serde(default)]
    pub instalment_plan: bool,
}

/// What `notification_duty` reports in `details`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationSummary {
    /// The event.
    pub event: EventKind,
    /// The cover kind asked about.
    pub cover_kind: CoverKind,
    /// Whether it must be notified.
    pub must_notify: bool,
    /// Whether the insurer's consent is needed before acting.
    pub consent_before_acting: bool,
    /// Whether it is a risk-increasing circumstance (OVD-9).
    pub risk_increasing: bool,
    /// The notification deadline ("at once": the event's day), when notification is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub notify_by: Option<IsoDate>,
}

/// Op `notification_duty` (OVD-7, OVD-8, OVD-9): outcome `notification_required`,
/// `consent_required` (notify and obtain consent before acting) or `no_notification_required`.
pub fn notification_duty(input: &NotificationDutyInput) -> Result<Decision, Error> {
    let duty = input.event.duty();
    let must_notify = match input.cover_kind {
        CoverKind::NamedLimit => duty.named_limit,
        CoverKind::SelfAssessed => duty.self_assessed,
    };
    let consent = must_notify && duty.consent_before_acting;
    let event = || Param::from(input.event.code());
    let kind = || Param::from(input.cover_kind.code());
    let day = Param::from(input.date.0.to_string());
    let mut reasons = Vec::new();
    if duty.risk_increasing {
        reasons.push(Reason::new(
            ReasonCode::RiskIncreasingCircumstance,
            [("event", event())],
        ));
    }
    if must_notify {
        reasons.push(Reason::new(
            ReasonCode::NotificationRequired,
            [("event", event()), ("coverKind", kind()), ("notifyBy", day.clone())],
        ));
    } else {
        reasons.push(Reason::new(
            ReasonCode::NoNotificationRequired,
            [("event", event()), ("coverKind", kind())],
        ));
    }
    if input.instalment_plan && input.event != EventKind::InstalmentOrSettlementAgreement {
        return Err(Error::InconsistentTerms {
            field: "instalmentPlan".into(),
            detail: format!(
                "an instalment plan is event instalmentOrSettlementAgreement, not {}",
                input.event.code()
            ),
        });
    }
    // OVD-8: instalment plans always need the insurer's written consent, whatever the cover.
    let instalment = input.instalment_plan;
    let consent_needed = consent || instalment;
    if consent {
        reasons.push(Reason::new(
            ReasonCode::ConsentRequiredBeforeActing,
            [("event", event()), ("agreementDate", day)],
        ));
    }
    if instalment {
        reasons.push(Reason::new(
            if input.written_consent {
                ReasonCode::InstalmentPlanWrittenConsent
            } else {
                ReasonCode::InstalmentPlanWithoutWrittenConsent
            },
            [],
        ));
    } else if consent && input.written_consent {
        reasons.push(Reason::new(ReasonCode::ConsentOnFile, [("event", event())]));
    }
    let outcome = if consent_needed && !input.written_consent {
        Outcome::ConsentRequired
    } else if must_notify {
        Outcome::NotificationRequired
    } else {
        Outcome::NoNotificationRequired
    };
    Ok(Decision {
        outcome,
        amounts: Default::default(),
        reasons,
        details: Some(Details::NotificationDuty(NotificationSummary {
            event: input.event,
            cover_kind: input.cover_kind,
            must_notify,
            consent_before_acting: consent_needed,
            risk_increasing: duty.risk_increasing,
            notify_by: must_notify.then_some(input.date),
        })),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn ask(event: EventKind, cover_kind: CoverKind, instalment_plan: bool, written_consent: bool) -> Decision {
        notification_duty(&NotificationDutyInput {
            event,
            cover_kind,
            date: IsoDate(chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()),
            written_consent,
            instalment_plan,
        })
        .unwrap()
    }

    #[test]
    fn insolvency_and_insured_event_are_notified_under_both_covers_ovd_7() {
        for event in [EventKind::Insolvency, EventKind::InsuredEvent] {
            assert_eq!(
                ask(event, CoverKind::SelfAssessed, false, false).outcome,
                Outcome::NotificationRequired
            );
            assert_eq!(
                ask(event, CoverKind::NamedLimit, false, false).outcome,
                Outcome::NotificationRequired
            );
        }
    }

    #[test]
    fn collection_by_the_insurer_is_never_notified_ovd_7() {
        for kind in [CoverKind::NamedLimit, CoverKind::SelfAssessed] {
            assert_eq!(
                ask(EventKind::CollectionByInsurer, kind, false, false).outcome,
                Outcome::NoNotificationRequired
            );
        }
    }

    #[test]
    fn extension_of_terms_needs_consent_only_under_a_named_limit_ovd_7() {
        assert_eq!(
            ask(EventKind::PaymentTermsExtended, CoverKind::NamedLimit, false, false).outcome,
            Outcome::ConsentRequired
        );
        assert_eq!(
            ask(EventKind::PaymentTermsExtended, CoverKind::SelfAssessed, false, false).outcome,
            Outcome::NoNotificationRequired
        );
    }

    #[test]
    fn instalment_plan_without_written_consent_is_flagged_ovd_8() {
        let d = ask(
            EventKind::InstalmentOrSettlementAgreement,
            CoverKind::SelfAssessed,
            true,
            false,
        );
        assert_eq!(d.outcome, Outcome::ConsentRequired);
        assert!(d
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::InstalmentPlanWithoutWrittenConsent));
    }

    #[test]
    fn instructing_a_lawyer_is_risk_increasing_ovd_9() {
        assert!(EventKind::LawyerOrCollectionAgencyInstructed.duty().risk_increasing);
        assert!(!EventKind::CollectionByInsurer.duty().risk_increasing);
    }
}
