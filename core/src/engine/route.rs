//! An op's question asked of an engine: the one conversion of an input of op `account_state`,
//! `obligations`, `check_delivery_cover` or `limit_state` into an engine setup and the call of
//! the engine method that answers it ([`route`]; `spec/vectors/README.md`, "Through the
//! engine"). The Rust, Python and node runners of the conformance vectors and the cross-runtime
//! test all convert with it, so each runtime's engine is asked the same question.
//!
//! | op | engine setup | method call |
//! |---|---|---|
//! | `account_state` | buyer `b0` with the op's events | `account_state` of `b0` on `asOf` |
//! | `obligations` | buyers `b0`, `b1`... with each account's events, in order | `obligations` on `asOf` (`lang`) |
//! | `check_delivery_cover` | buyer `b0` with the log the op's figures describe (below) | `check_cover` of `b0`: the delivery, `asOf` |
//! | `limit_state` | a buyer `b0` with the op's limit events | `limit_state` of `b0` on `asOf` |
//!
//! The inputs of `check_delivery_cover` and `limit_state` are not logs; they become one so:
//! - each limit event `{type: "granted", ...}` is the account event `{type: "limitGranted",
//!   id: "limit-<i>", ...}` (the same fields);
//! - `selfAssessment` is a `selfAssessmentRecorded` event on `asOf`;
//! - `overdue`: each invoice is an `invoiceIssued` event (the invoice's date, reference,
//!   amount and terms), each of its payments a `paymentReceived` allocated to it, each credit
//!   note a `creditNoteIssued`; `reportedOn` an `overdueReported` on that day;
//!   `continuedCoverConfirmed` a `continuedCoverConfirmed` on `asOf`;
//!   `negativeInformationRemains` an `adverseInformation` on `asOf`. An invoice's
//!   `delayReason` only words the overdue report and is left out; `clearlyExceededOn` has no
//!   event, and an input with it is refused (`unknown_field`, naming it);
//! - `outstanding`, what the buyer owes before the delivery, is the open amount of the
//!   overdue invoices on `asOf` plus an opening balance: an invoice of the rest dated and due on
//!   `asOf` (none when the rest is zero; a rest below zero is refused, `out_of_range` at
//!   `outstanding.amount`: the account cannot owe less than its open invoices);
//! - `limit_state` names no buyer: `b0` is a company of the policy's first agreed country (the
//!   limit's state does not depend on it).
//!
//! An input that does not read as the op's input is refused with the op's own error (the same
//! reader): there is no engine state to build from it.

use serde::Serialize;
use serde_json::{json, Value};

use crate::account::{AccountEventDto, AccountStateInput, AllocationDto, ObligationsInput};
use crate::buyer::{BuyerDto, EntityKind};
use crate::calendar::IsoDate;
use crate::cover::CheckDeliveryCoverInput;
use crate::engine::{EngineBuyerDto, EngineSetupDto};
use crate::error::Error;
use crate::ffi::{parse, Source};
use crate::limit::{LimitEventDto, LimitStateInput};
use crate::money::{DecimalString, MoneyDto};
use crate::overdue::OverdueSituationDto;

/// The ops an engine method answers, in the order of the table above.
pub const ROUTED_OPS: &[&str] = &["account_state", "obligations", "check_delivery_cover", "limit_state"];

/// An op's question as an engine's: load [`EngineRoute::setup`] ([`crate::engine::Engine::load`]),
/// then run method [`EngineRoute::method`] on [`EngineRoute::input`] ([`crate::engine::Engine::call`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineRoute {
    /// The engine to load.
    pub setup: EngineSetupDto,
    /// The method of [`crate::engine::methods::METHODS`] that answers the op.
    pub method: &'static str,
    /// Its input object.
    pub input: Value,
}

/// The buyer key of the first (or only) buyer of a route.
const B0: &str = "b0";

/// `op`'s `input` as an engine setup and a method call (see the module's table); `None` for an
/// op no engine method answers. Errors: the op's own when the input does not read as its
/// input; `unknown_field` and `out_of_range` for a cover check the engine cannot hold (above).
pub fn route<S: Source>(op: &str, input: S) -> Result<Option<EngineRoute>, Error> {
    Ok(Some(match op {
        "account_state" => {
            let i: AccountStateInput = parse(input)?;
            EngineRoute {
                setup: one_buyer(i.policy, i.buyer, i.events),
                method: "account_state",
                input: json!({"buyer": B0, "asOf": i.as_of}),
            }
        }
        "obligations" => {
            let i: ObligationsInput = parse(input)?;
            let buyers = i
                .accounts
                .into_iter()
                .enumerate()
                .map(|(k, a)| EngineBuyerDto {
                    id: format!("b{k}"),
                    buyer: a.buyer,
                    events: a.events,
                })
                .collect();
            let mut call = json!({"asOf": i.as_of});
            if let (Some(lang), Some(object)) = (i.lang, call.as_object_mut()) {
                object.insert("lang".to_owned(), Value::String(lang));
            }
            EngineRoute {
                setup: EngineSetupDto {
                    policy: i.policy,
                    buyers,
                },
                method: "obligations",
                input: call,
            }
        }
        "check_delivery_cover" => {
            let i: CheckDeliveryCoverInput = parse(input)?;
            let as_of = i.as_of;
            let mut events = limit_log(i.limit_events);
            if let Some(evidence) = i.self_assessment {
                events.push(AccountEventDto::SelfAssessmentRecorded {
                    id: "self-assessment".to_owned(),
                    date: as_of,
                    evidence: Box::new(evidence),
                });
            }
            let overdue = i.overdue.unwrap_or_default();
            let open = overdue_log(&overdue, as_of, &mut events)?;
            let rest = i.outstanding.amount.0 - open;
            if rest.is_sign_negative() && !rest.is_zero() {
                return Err(Error::OutOfRange {
                    field: "outstanding.amount".to_owned(),
                    value: i.outstanding.amount.0.to_string(),
                    expected: format!("at least the open amount of the overdue invoices on asOf ({open})"),
                });
            }
            if !rest.is_zero() {
                events.push(AccountEventDto::InvoiceIssued {
                    id: "opening-balance".to_owned(),
                    date: as_of,
                    reference: "(opening balance)".to_owned(),
                    amount: MoneyDto {
                        amount: DecimalString(rest),
                        currency: i.outstanding.currency,
                    },
                    due_date: Some(as_of),
                    payment_terms_days: None,
                    end_of_month: false,
                });
            }
            EngineRoute {
                setup: one_buyer(i.policy, i.buyer, events),
                method: "check_cover",
                input: json!({"buyer": B0, "delivery": i.delivery, "asOf": as_of}),
            }
        }
        "limit_state" => {
            let i: LimitStateInput = parse(input)?;
            let country = i
                .policy
                .agreed_countries
                .as_ref()
                .and_then(|c| c.first().cloned())
                .unwrap_or_else(|| "DE".to_owned());
            let buyer = BuyerDto::new("Limit holder", country, EntityKind::Company);
            EngineRoute {
                setup: one_buyer(i.policy, buyer, limit_log(i.events)),
                method: "limit_state",
                input: json!({"buyer": B0, "asOf": i.as_of}),
            }
        }
        _ => return Ok(None),
    }))
}

/// [`route`] of JSON text, its answer as JSON text (`null` for an op no method answers): for a
/// binding that hands text across.
pub fn route_json(op: &str, input: &str) -> Result<String, Error> {
    serde_json::to_string(&route(op, input)?).map_err(|e| Error::Internal { detail: e.to_string() })
}

fn one_buyer(policy: crate::policy::PolicyDto, buyer: BuyerDto, events: Vec<AccountEventDto>) -> EngineSetupDto {
    EngineSetupDto {
        policy,
        buyers: vec![EngineBuyerDto {
            id: B0.to_owned(),
            buyer,
            events,
        }],
    }
}

/// The limit events as account events, in their order, with ids `limit-<i>`.
fn limit_log(events: Vec<LimitEventDto>) -> Vec<AccountEventDto> {
    use AccountEventDto as A;
    use LimitEventDto as L;
    events
        .into_iter()
        .enumerate()
        .map(|(k, e)| {
            let id = format!("limit-{k}");
            match e {
                L::Applied {
                    date,
                    requested_amount,
                    payment_terms_days,
                } => A::LimitApplied {
                    id,
                    date,
                    requested_amount,
                    payment_terms_days,
                },
                L::Granted { date, amount, until } => A::LimitGranted {
                    id,
                    date,
                    amount,
                    until,
                },
                L::Refused {
                    date,
                    allows_self_assessment,
                } => A::LimitRefused {
                    id,
                    date,
                    allows_self_assessment,
                },
                L::Reduced {
                    date,
                    amount,
                    delay_days,
                } => A::LimitReduced {
                    id,
                    date,
                    amount,
                    delay_days,
                },
                L::Withdrawn {
                    date,
                    delay_days,
                    allows_self_assessment,
                } => A::LimitWithdrawn {
                    id,
                    date,
                    delay_days,
                    allows_self_assessment,
                },
                L::Cancelled { date } => A::LimitCancelled { id, date },
            }
        })
        .collect()
}

/// Appends the events of an overdue situation to `events`; returns the invoices' open amount
/// on `as_of` (amounts less the payments and credit notes dated on or before it).
fn overdue_log(
    situation: &OverdueSituationDto,
    as_of: IsoDate,
    events: &mut Vec<AccountEventDto>,
) -> Result<rust_decimal::Decimal, Error> {
    use AccountEventDto as A;
    let mut open = rust_decimal::Decimal::ZERO;
    for (k, invoice) in situation.invoices.iter().enumerate() {
        if let Some(day) = invoice.clearly_exceeded_on {
            return Err(Error::UnknownField {
                field: format!("overdue.invoices[{k}].clearlyExceededOn"),
                value: format!("clearlyExceededOn ({}): no account event says it", day.0),
                expected: Vec::new(),
            });
        }
        events.push(A::InvoiceIssued {
            id: format!("overdue-{k}"),
            date: invoice.invoice_date,
            reference: invoice.reference.clone(),
            amount: invoice.amount.clone(),
            due_date: invoice.due_date,
            payment_terms_days: invoice.payment_terms_days,
            end_of_month: invoice.end_of_month,
        });
        open += invoice.amount.amount.0;
        for (j, payment) in invoice.payments.iter().enumerate() {
            events.push(A::PaymentReceived {
                id: format!("overdue-{k}-payment-{j}"),
                date: payment.date,
                amount: payment.amount.clone(),
                allocation: Some(vec![AllocationDto {
                    reference: invoice.reference.clone(),
                    amount: payment.amount.clone(),
                }]),
            });
            if payment.date <= as_of {
                open -= payment.amount.amount.0;
            }
        }
        for (j, note) in invoice.credit_notes.iter().enumerate() {
            events.push(A::CreditNoteIssued {
                id: format!("overdue-{k}-credit-{j}"),
                date: note.date,
                reference: invoice.reference.clone(),
                amount: note.amount.clone(),
            });
            if note.date <= as_of {
                open -= note.amount.amount.0;
            }
        }
    }
    if let Some(day) = situation.reported_on {
        events.push(A::OverdueReported {
            id: "overdue-reported".to_owned(),
            date: day,
        });
    }
    if situation.continued_cover_confirmed {
        events.push(A::ContinuedCoverConfirmed {
            id: "continued-cover".to_owned(),
            date: as_of,
        });
    }
    if situation.negative_information_remains {
        events.push(A::AdverseInformation {
            id: "negative-information".to_owned(),
            date: as_of,
            note: None,
        });
    }
    Ok(open)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn cover_input() -> Value {
        json!({"policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
            "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
            "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "EUR"},
            "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
            "buyer": {"legalName": "Müller GmbH", "country": "DE", "entityKind": "company"},
            "outstanding": {"amount": "20000", "currency": "EUR"},
            "delivery": {"date": "2026-06-01", "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 60},
            "limitEvents": [{"type": "applied", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"},
                "paymentTermsDays": 60}, {"type": "granted", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}],
            "overdue": {"invoices": [{"reference": "F-1", "amount": {"amount": "5000", "currency": "EUR"},
                "invoiceDate": "2026-03-01", "paymentTermsDays": 30,
                "payments": [{"date": "2026-04-10", "amount": {"amount": "1000", "currency": "EUR"}}]}],
                "reportedOn": "2026-05-20"},
            "asOf": "2026-06-01"})
    }

    /// The figures of a cover check become a log: the limit events by name, the overdue
    /// invoice with its payment, the report, and the rest of the outstanding as an opening
    /// balance (20,000 owed, 4,000 of it open on the overdue invoice: 16,000).
    #[test]
    fn a_cover_check_becomes_a_log_with_an_opening_balance_acc() {
        let routed = route("check_delivery_cover", cover_input()).unwrap().unwrap();
        assert_eq!(routed.method, "check_cover");
        let events = serde_json::to_value(&routed.setup.buyers[0].events).unwrap();
        let kinds: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "limitApplied",
                "limitGranted",
                "invoiceIssued",
                "paymentReceived",
                "overdueReported",
                "invoiceIssued"
            ]
        );
        assert_eq!(events[5]["amount"], json!({"amount": "16000", "currency": "EUR"}));
        assert_eq!(events[5]["dueDate"], json!("2026-06-01"));
        assert_eq!(events[3]["allocation"][0]["reference"], json!("F-1"));
        // What the engine then owes on asOf is the op's outstanding.
        let engine = crate::engine::Engine::load(routed.setup).unwrap();
        let owed = engine
            .outstanding("b0", "2026-06-01".parse::<IsoDate>().unwrap().0)
            .unwrap();
        assert_eq!(owed.amount, rust_decimal::Decimal::new(20000, 0));
    }

    #[test]
    fn what_no_log_can_hold_is_refused_with_its_field() {
        let mut input = cover_input();
        input["outstanding"]["amount"] = json!("3999.99");
        let e = route("check_delivery_cover", input).unwrap_err();
        assert_eq!((e.code(), e.field()), ("out_of_range", "outstanding.amount"));
        let mut input = cover_input();
        input["overdue"]["invoices"][0]["clearlyExceededOn"] = json!("2026-04-15");
        let e = route("check_delivery_cover", input).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("unknown_field", "overdue.invoices[0].clearlyExceededOn")
        );
        // An input that is not the op's: the op's own error; an op without a method: none.
        let e = route("limit_state", json!({"events": []})).unwrap_err();
        assert_eq!((e.code(), e.field()), ("missing_field", "policy"));
        assert_eq!(route("validate_policy", json!({})).unwrap(), None);
        assert_eq!(route_json("validate_policy", "{}").unwrap(), "null");
    }
}
