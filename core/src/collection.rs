//! Collections (COL-1..5): handing a file to the insurer's collection service, the collection
//! file, the contact schedule, disputes, and the pre-export checklist.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{days_after, IsoDate};
use crate::claim::{amount, currency, date, in_policy_currency, next_day, not_after, Checklist};
use crate::decision::{Decision, Details, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::{Money, MoneyDto};
use crate::policy::{CollectionPrerequisites, Policy, PolicyDto};

/// Input of op `collection_handover` (COL-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CollectionHandoverInput {
    /// Policy terms (`collectionStart`, `collectionWarningDays`, `collectionServicesIncluded`).
    pub policy: PolicyDto,
    /// The day the insured's own payment reminder was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_sent_on: Option<IsoDate>,
    /// The day the formal notice was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal_notice_sent_on: Option<IsoDate>,
    /// The day the collection warning was given to the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_warning_sent_on: Option<IsoDate>,
    /// The date asked about.
    pub as_of: IsoDate,
    /// The day the insured reported the case to the insurer (overdue or claim report, or the
    /// collection order); read under `collectionStart: atOnce`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<IsoDate>,
}

/// Op `collection_handover` (COL-1): whether the file can go to the insurer's collection
/// service on `asOf`, by the policy's `collectionStart`. `afterReminderAndNotice` (BE, DK): the
/// insured's own reminder and formal notice were sent and the collection warning period
/// (`collectionWarningDays` after the warning, that last day included) has elapsed. `atOnce`
/// (CH, FR): nothing is required first; the insurer starts at once after the report
/// (`reportedOn`, else on `asOf`). Outcomes `collection_possible`,
/// `collection_not_yet_possible`. A policy without `collectionStart` is `missing_field` at
/// `policy.collectionStart`.
pub fn collection_handover(input: &CollectionHandoverInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let as_of = input.as_of.0;
    // Facts given in any case are checked in any case.
    let reported_on = input
        .reported_on
        .map(|d| not_after(d.0, as_of, "reportedOn"))
        .transpose()?;
    let mut reasons = Vec::new();
    let days = match policy.collection_start {
        None => {
            return Err(Error::MissingField {
                field: "policy.collectionStart".into(),
            })
        }
        Some(CollectionPrerequisites::AtOnce) => {
            for (d, field) in [
                (input.reminder_sent_on, "reminderSentOn"),
                (input.formal_notice_sent_on, "formalNoticeSentOn"),
                (input.collection_warning_sent_on, "collectionWarningSentOn"),
            ] {
                if let Some(d) = d {
                    not_after(d.0, as_of, field)?;
                }
            }
            reasons.push(Reason::new(
                ReasonCode::CollectionStartsAtOnce,
                [("from", date(reported_on.unwrap_or(as_of)))],
            ));
            reasons.push(services_reason(&policy));
            return Ok(Decision {
                outcome: Outcome::CollectionPossible,
                amounts: BTreeMap::new(),
                reasons,
                details: None,
            });
        }
        Some(CollectionPrerequisites::AfterReminderAndNotice { warning_days }) => warning_days,
    };
    let mut ok = true;
    match input.reminder_sent_on {
        Some(d) => reasons.push(Reason::new(
            ReasonCode::OwnReminderSent,
            [("date", date(not_after(d.0, as_of, "reminderSentOn")?))],
        )),
        None => {
            ok = false;
            reasons.push(Reason::new(ReasonCode::OwnReminderMissing, []));
        }
    }
    match input.formal_notice_sent_on {
        Some(d) => reasons.push(Reason::new(
            ReasonCode::FormalNoticeSent,
            [("date", date(not_after(d.0, as_of, "formalNoticeSentOn")?))],
        )),
        None => {
            ok = false;
            reasons.push(Reason::new(ReasonCode::FormalNoticeMissing, []));
        }
    }
    match input.collection_warning_sent_on {
        Some(d) => {
            let sent = not_after(d.0, as_of, "collectionWarningSentOn")?;
            let ends = days_after(sent, days, policy.day_count, "collectionWarningDays")?;
            if ends < as_of {
                reasons.push(Reason::new(
                    ReasonCode::CollectionWarningElapsed,
                    [
                        ("sentOn", date(sent)),
                        ("warningDays", Param::from(days)),
                        ("warningEnds", date(ends)),
                    ],
                ));
            } else {
                ok = false;
                reasons.push(Reason::new(
                    ReasonCode::CollectionWarningRunning,
                    [
                        ("sentOn", date(sent)),
                        ("warningDays", Param::from(days)),
                        ("warningEnds", date(ends)),
                        ("handOverFrom", date(next_day(ends, "collectionWarningDays")?)),
                    ],
                ));
            }
        }
        None => {
            ok = false;
            reasons.push(Reason::new(
                ReasonCode::CollectionWarningMissing,
                [("warningDays", Param::from(days))],
            ));
        }
    }
    reasons.push(services_reason(&policy));
    Ok(Decision {
        outcome: if ok {
            Outcome::CollectionPossible
        } else {
            Outcome::CollectionNotYetPossible
        },
        amounts: BTreeMap::new(),
        reasons,
        details: None,
    })
}

/// COL-1: whether collection services are included, or a single collection mandate is needed.
fn services_reason(policy: &Policy) -> Reason {
    Reason::new(
        if policy.collection_services_included {
            ReasonCode::CollectionServicesIncluded
        } else {
            ReasonCode::CollectionSingleMandate
        },
        [],
    )
}

/// The buyer's contact details for a collection file (COL-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuyerContactDto {
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Company address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Fax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
}

/// Input of op `check_collection_file` (COL-2).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckCollectionFileInput {
    /// The buyer's contact details.
    #[serde(default)]
    pub buyer: BuyerContactDto,
    /// Copies of the invoices.
    #[serde(default)]
    pub invoices: bool,
    /// Copies of the purchase orders.
    #[serde(default)]
    pub purchase_orders: bool,
    /// Copies of the delivery notes.
    #[serde(default)]
    pub delivery_notes: bool,
    /// The date of the account statement in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_statement_date: Option<IsoDate>,
    /// The day of the last payment received or credit note issued: a statement is up to date
    /// when it is of that day or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_settlement_date: Option<IsoDate>,
    /// General terms of sale or the contract.
    #[serde(default)]
    pub terms_or_contract: bool,
    /// A special context exists (dispute, payment proposal, steps taken).
    #[serde(default)]
    pub special_context: bool,
    /// The correspondence on it is in the file.
    #[serde(default)]
    pub correspondence: bool,
    /// Every payment received and credit note issued is listed.
    #[serde(default)]
    pub payments_and_credit_notes: bool,
    /// Language of the item messages; none: no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
}

fn given(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// Op `check_collection_file` (COL-2): the items of an international collection file, keyed
/// by field, each present or missing, with its message in `lang`. The fax is recommended, not
/// required; the correspondence is required only with a special context. Outcomes
/// `collection_file_complete`, `collection_file_incomplete`; `details.type = "checklist"`.
pub fn check_collection_file(input: &CheckCollectionFileInput) -> Result<Decision, Error> {
    let mut c = Checklist::new(input.lang.as_deref())?;
    let b = &input.buyer;
    c.push(
        ReasonCode::ColCompanyName,
        "buyer.companyName",
        given(&b.company_name),
        true,
        [],
    )?;
    c.push(
        ReasonCode::ColCompanyAddress,
        "buyer.address",
        given(&b.address),
        true,
        [],
    )?;
    c.push(
        ReasonCode::ColContactPerson,
        "buyer.contactPerson",
        given(&b.contact_person),
        true,
        [],
    )?;
    c.push(ReasonCode::ColEmail, "buyer.email", given(&b.email), true, [])?;
    c.push(ReasonCode::ColPhone, "buyer.phone", given(&b.phone), true, [])?;
    c.push(ReasonCode::ColFax, "buyer.fax", given(&b.fax), false, [])?;
    c.push(ReasonCode::ColInvoices, "invoices", input.invoices, true, [])?;
    c.push(
        ReasonCode::ColPurchaseOrders,
        "purchaseOrders",
        input.purchase_orders,
        true,
        [],
    )?;
    c.push(
        ReasonCode::ColDeliveryNotes,
        "deliveryNotes",
        input.delivery_notes,
        true,
        [],
    )?;
    let statement_ok = match (input.account_statement_date, input.last_settlement_date) {
        (Some(s), Some(l)) => s.0 >= l.0,
        (Some(_), None) => true,
        (None, _) => false,
    };
    c.push(
        ReasonCode::ColAccountStatement,
        "accountStatementDate",
        statement_ok,
        true,
        [],
    )?;
    c.push(
        ReasonCode::ColTermsOrContract,
        "termsOrContract",
        input.terms_or_contract,
        true,
        [],
    )?;
    if input.special_context {
        c.push(
            ReasonCode::ColCorrespondence,
            "correspondence",
            input.correspondence,
            true,
            [],
        )?;
    }
    c.push(
        ReasonCode::ColPaymentsAndCreditNotes,
        "paymentsAndCreditNotes",
        input.payments_and_credit_notes,
        true,
        [],
    )?;
    let complete = c.complete();
    Ok(Decision {
        outcome: if complete {
            Outcome::CollectionFileComplete
        } else {
            Outcome::CollectionFileIncomplete
        },
        amounts: BTreeMap::new(),
        reasons: c.missing_reasons(),
        details: Some(Details::Checklist { items: c.items }),
    })
}

/// What a contact of the insurer is about (COL-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContactEvent {
    /// Receipt of the insured's first export file.
    FirstExportFile,
    /// A special context (dispute, insolvency proceedings).
    SpecialContext,
    /// The follow-up after opening.
    AfterOpening,
    /// Legal action is considered.
    LegalAction,
    /// Closure of the file.
    Closure,
}

/// One dated contact (COL-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    /// The day.
    pub date: IsoDate,
    /// What it is about.
    pub event: ContactEvent,
}

/// Input of op `collection_contact_schedule` (COL-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CollectionContactScheduleInput {
    /// Policy terms (`collectionFollowUpDays`, `dayCount`).
    pub policy: PolicyDto,
    /// The day the collection file was opened.
    pub opened_on: IsoDate,
    /// Whether it is the insured's first export file.
    #[serde(default)]
    pub first_export_file: bool,
    /// Days a special context arose (dispute, insolvency proceedings).
    #[serde(default)]
    pub special_context_on: Vec<IsoDate>,
    /// The day legal action was considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_action_considered_on: Option<IsoDate>,
    /// The day the file was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<IsoDate>,
}

/// Op `collection_contact_schedule` (COL-3): the days the insurer contacts the insured: on
/// receipt of the first export file (the opening day), on each special context,
/// `collectionFollowUpDays` (default 30) after opening unless the file closed before, when legal
/// action is considered, and at closure; in date order (same day: the order of the rule).
/// Outcome `computed`; `details.type = "contactSchedule"`.
pub fn collection_contact_schedule(input: &CollectionContactScheduleInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let opened = input.opened_on.0;
    let after = |d: NaiveDate, field: &str| -> Result<NaiveDate, Error> {
        if d < opened {
            return Err(Error::DateOrder {
                field: field.to_owned(),
                detail: format!("{d} is before the file was opened on {opened}"),
            });
        }
        Ok(d)
    };
    let mut contacts: Vec<(NaiveDate, ContactEvent)> = Vec::new();
    if input.first_export_file {
        contacts.push((opened, ContactEvent::FirstExportFile));
    }
    for (i, d) in input.special_context_on.iter().enumerate() {
        contacts.push((
            after(d.0, &format!("specialContextOn[{i}]"))?,
            ContactEvent::SpecialContext,
        ));
    }
    let closed = input.closed_on.map(|d| after(d.0, "closedOn")).transpose()?;
    let follow_up = days_after(
        opened,
        policy.collection_follow_up_days,
        policy.day_count,
        "collectionFollowUpDays",
    )?;
    if closed.is_none_or(|c| follow_up < c) {
        contacts.push((follow_up, ContactEvent::AfterOpening));
    }
    if let Some(d) = input.legal_action_considered_on {
        contacts.push((after(d.0, "legalActionConsideredOn")?, ContactEvent::LegalAction));
    }
    if let Some(c) = closed {
        contacts.push((c, ContactEvent::Closure));
    }
    contacts.sort_by_key(|(d, e)| (*d, *e as u8));
    let reasons = contacts
        .iter()
        .map(|(d, e)| match e {
            ContactEvent::FirstExportFile => Reason::new(ReasonCode::ContactFirstExportFile, [("date", date(*d))]),
            ContactEvent::SpecialContext => Reason::new(ReasonCode::ContactSpecialContext, [("date", date(*d))]),
            ContactEvent::AfterOpening => Reason::new(
                ReasonCode::ContactAfterOpening,
                [
                    ("date", date(*d)),
                    ("days", Param::from(policy.collection_follow_up_days)),
                ],
            ),
            ContactEvent::LegalAction => Reason::new(ReasonCode::ContactLegalAction, [("date", date(*d))]),
            ContactEvent::Closure => Reason::new(ReasonCode::ContactClosure, [("date", date(*d))]),
        })
        .collect();
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts: BTreeMap::new(),
        reasons,
        details: Some(Details::ContactSchedule {
            contacts: contacts
                .into_iter()
                .map(|(d, event)| Contact {
                    date: IsoDate(d),
                    event,
                })
                .collect(),
        }),
    })
}

/// A disputed invoice (COL-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisputedInvoiceDto {
    /// Invoice number.
    pub reference: String,
    /// Open amount (policy currency).
    pub amount: MoneyDto,
    /// The part the buyer disputes (default 0), at most the open amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputed_amount: Option<MoneyDto>,
}

/// The questions before legal action (COL-4): can it succeed, can it be enforced.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LegalActionDto {
    /// The competent court is known.
    pub competent_court_known: bool,
    /// Time and cost of the proceedings are acceptable.
    pub time_and_cost_acceptable: bool,
    /// The evidence required is available.
    pub evidence_available: bool,
    /// The debtor is in insolvency proceedings.
    pub debtor_in_insolvency_proceedings: bool,
    /// The debtor is still trading.
    pub debtor_still_trading: bool,
    /// The debtor has seizable assets.
    pub seizable_assets: bool,
}

/// Input of op `dispute_collection` (COL-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisputeCollectionInput {
    /// Policy terms (the currency).
    pub policy: PolicyDto,
    /// The open invoices and the disputed part of each.
    pub invoices: Vec<DisputedInvoiceDto>,
    /// The legal-action questions, when legal action is weighed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_action: Option<LegalActionDto>,
    /// Language of the criterion messages; none: no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
    /// An amicable settlement proposed to end the dispute (COL-4), when one is: the insurer's
    /// consent comes first (OVD-7, OVD-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub settlement_proposal: Option<SettlementProposalDto>,
}

/// An amicable settlement proposed on a disputed debt (COL-4): an out-of-court settlement, or an
/// instalment plan, which needs the insurer's consent before it is concluded (OVD-7, OVD-8).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettlementProposalDto {
    /// The day it is to be concluded.
    pub agreement_date: IsoDate,
    /// Whether it is an instalment plan (OVD-8: always the insurer's written consent).
    #[serde(default)]
    pub instalment_plan: bool,
    /// Whether the insurer's written consent is on file.
    #[serde(default)]
    pub written_consent: bool,
}

/// Op `dispute_collection` (COL-4): the undisputed part (open − disputed) is collected first,
/// amicably; legal action is worth considering only when it can succeed (competent court
/// known, time and cost acceptable, evidence available) and be enforced (debtor not in
/// insolvency proceedings, still trading, with seizable assets). Outcome `computed`; amounts
/// `open`, `disputed`, `undisputed`; the criteria as a checklist when `legalAction` is given.
/// A `settlementProposal` adds the consent reasons of op `notification_duty` for the agreement
/// (OVD-7, OVD-8): the insurer's consent before it is concluded, or the consent on file.
pub fn dispute_collection(input: &DisputeCollectionInput) -> Result<Decision, Error> {
    let policy = input.policy.validate()?;
    let cur = policy.currency;
    let (mut open, mut disputed) = (Decimal::ZERO, Decimal::ZERO);
    for (i, inv) in input.invoices.iter().enumerate() {
        let a = in_policy_currency(&policy, &inv.amount, &format!("invoices[{i}].amount"), true)?;
        let d = match &inv.disputed_amount {
            Some(d) => in_policy_currency(&policy, d, &format!("invoices[{i}].disputedAmount"), false)?,
            None => Money::zero(cur),
        };
        if d.amount > a.amount {
            return Err(Error::OutOfRange {
                field: format!("invoices[{i}].disputedAmount.amount"),
                value: d.amount.to_string(),
                expected: format!("at most the open amount, {}", a.amount),
            });
        }
        open = open.checked_add(a.amount).ok_or_else(|| Error::Overflow {
            field: "invoices".into(),
        })?;
        disputed += d.amount;
    }
    let undisputed = Money::new(open - disputed, cur);
    let mut reasons = vec![
        Reason::new(
            ReasonCode::CollectUndisputedFirst,
            [
                ("undisputed", amount(undisputed)),
                ("disputed", amount(Money::new(disputed, cur))),
                ("currency", currency(&policy)),
            ],
        ),
        Reason::new(ReasonCode::AmicableSettlementFirst, []),
    ];
    let mut details = None;
    if let Some(l) = &input.legal_action {
        let mut c = Checklist::new(input.lang.as_deref())?;
        c.push(
            ReasonCode::LegalCompetentCourt,
            "legalAction.competentCourtKnown",
            l.competent_court_known,
            true,
            [],
        )?;
        c.push(
            ReasonCode::LegalTimeAndCost,
            "legalAction.timeAndCostAcceptable",
            l.time_and_cost_acceptable,
            true,
            [],
        )?;
        c.push(
            ReasonCode::LegalEvidence,
            "legalAction.evidenceAvailable",
            l.evidence_available,
            true,
            [],
        )?;
        c.push(
            ReasonCode::EnforceNotInsolvent,
            "legalAction.debtorInInsolvencyProceedings",
            !l.debtor_in_insolvency_proceedings,
            true,
            [],
        )?;
        c.push(
            ReasonCode::EnforceStillTrading,
            "legalAction.debtorStillTrading",
            l.debtor_still_trading,
            true,
            [],
        )?;
        c.push(
            ReasonCode::EnforceSeizableAssets,
            "legalAction.seizableAssets",
            l.seizable_assets,
            true,
            [],
        )?;
        let failing = c.items.iter().filter(|i| !i.present).count();
        if failing == 0 {
            reasons.push(Reason::new(ReasonCode::LegalActionWorthConsidering, []));
        } else {
            reasons.push(Reason::new(
                ReasonCode::LegalActionNotAdvised,
                [("failing", Param::Int(failing as i64))],
            ));
            reasons.extend(c.missing_reasons());
        }
        details = Some(Details::Checklist { items: c.items });
    }
    if let Some(proposal) = &input.settlement_proposal {
        reasons.extend(settlement_consent(proposal)?);
    }
    Ok(Decision {
        outcome: Outcome::Computed,
        amounts: BTreeMap::from([
            ("open".to_owned(), MoneyDto::from(Money::new(open, cur))),
            ("disputed".to_owned(), MoneyDto::from(Money::new(disputed, cur))),
            ("undisputed".to_owned(), MoneyDto::from(undisputed)),
        ]),
        reasons,
        details,
    })
}

/// The consent reasons for a settlement proposal, from the OVD-7 matrix's row for instalment and
/// standstill agreements and out-of-court settlement proposals (consent needed in both
/// columns) and OVD-8 for an instalment plan.
fn settlement_consent(proposal: &SettlementProposalDto) -> Result<Vec<Reason>, Error> {
    let duty = crate::overdue::duty::notification_duty(&crate::overdue::duty::NotificationDutyInput {
        event: crate::overdue::duty::EventKind::InstalmentOrSettlementAgreement,
        cover_kind: crate::overdue::CoverKind::NamedLimit,
        date: proposal.agreement_date,
        written_consent: proposal.written_consent,
        instalment_plan: proposal.instalment_plan,
    })?;
    Ok(duty
        .reasons
        .into_iter()
        .filter(|r| {
            matches!(
                r.code,
                ReasonCode::ConsentRequiredBeforeActing
                    | ReasonCode::ConsentOnFile
                    | ReasonCode::InstalmentPlanWithoutWrittenConsent
                    | ReasonCode::InstalmentPlanWrittenConsent
            )
        })
        .collect())
}

/// Input of op `check_pre_export` (COL-5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckPreExportInput {
    /// A signed contract.
    #[serde(default)]
    pub signed_contract: bool,
    /// At least a written order.
    #[serde(default)]
    pub written_order: bool,
    /// The buyer's identity and the contact's belonging to it verified.
    #[serde(default)]
    pub buyer_identity_verified: bool,
    /// Proof of delivery signed by the buyer.
    #[serde(default)]
    pub proof_of_delivery_signed: bool,
    /// Proof of delivery with the buyer's company stamp.
    #[serde(default)]
    pub proof_of_delivery_stamped: bool,
    /// Retention of title clause.
    #[serde(default)]
    pub retention_of_title_clause: bool,
    /// Jurisdiction or arbitration clause.
    #[serde(default)]
    pub jurisdiction_or_arbitration_clause: bool,
    /// Governing-law clause.
    #[serde(default)]
    pub governing_law_clause: bool,
    /// Penalty clause.
    #[serde(default)]
    pub penalty_clause: bool,
    /// Language of the item messages; none: no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
}

/// Op `check_pre_export` (COL-5): the good practice before exporting, checkable on a file:
/// a signed contract or at least a written order, verified buyer identity, proof of delivery
/// with signature and stamp, and the retention of title, jurisdiction or arbitration,
/// governing-law and penalty clauses. Outcomes `pre_export_complete`, `pre_export_gaps`.
pub fn check_pre_export(input: &CheckPreExportInput) -> Result<Decision, Error> {
    let mut c = Checklist::new(input.lang.as_deref())?;
    c.push(
        ReasonCode::PreContractOrOrder,
        if input.signed_contract {
            "signedContract"
        } else {
            "writtenOrder"
        },
        input.signed_contract || input.written_order,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PreBuyerIdentity,
        "buyerIdentityVerified",
        input.buyer_identity_verified,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PreProofOfDelivery,
        if input.proof_of_delivery_signed {
            "proofOfDeliveryStamped"
        } else {
            "proofOfDeliverySigned"
        },
        input.proof_of_delivery_signed && input.proof_of_delivery_stamped,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PreRetentionOfTitle,
        "retentionOfTitleClause",
        input.retention_of_title_clause,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PreJurisdictionClause,
        "jurisdictionOrArbitrationClause",
        input.jurisdiction_or_arbitration_clause,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PreGoverningLaw,
        "governingLawClause",
        input.governing_law_clause,
        true,
        [],
    )?;
    c.push(
        ReasonCode::PrePenaltyClause,
        "penaltyClause",
        input.penalty_clause,
        true,
        [],
    )?;
    let complete = c.complete();
    Ok(Decision {
        outcome: if complete {
            Outcome::PreExportComplete
        } else {
            Outcome::PreExportGaps
        },
        amounts: BTreeMap::new(),
        reasons: c.missing_reasons(),
        details: Some(Details::Checklist { items: c.items }),
    })
}
