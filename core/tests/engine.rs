//! The engine (ACC, `spec/engine.md`): events applied one by one, in any order, give the log
//! that replaying them gives and the answers of the stateless ops on that log; snapshots
//! restore to an equal engine; bad input is a typed error with its field, never a panic; reads
//! run on several threads at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::NaiveDate;
use delcredere::account::{
    account_state, obligations, Account, AccountDto, AccountEventDto, AccountStateInput, ObligationsInput,
};
use delcredere::cover::{check_delivery_cover, CheckDeliveryCoverInput, DeliveryOrderDto};
use delcredere::discretionary::SelfAssessmentDto;
use delcredere::engine::{BuyerEventDto, Engine, EngineBuyerDto, EngineSetupDto, SNAPSHOT_FORMAT_VERSION};
use delcredere::limit::{limit_state, LimitEventDto, LimitStateInput};
use delcredere::overdue::{InvoiceDto, OverdueSituationDto, SettlementDto};
use delcredere::{BuyerDto, DecimalString, Decision, Error, IsoDate, Language, MoneyDto, PolicyDto};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn policy_json(self_assessment: bool) -> Value {
    let mut p = json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE", "FR"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000", "currency": "EUR"}, "claimFilingDeadlineDays": 30,
        "premium": {"basis": "turnover", "rate": "0.20", "expectedTurnover": {"amount": "20000000", "currency": "EUR"}},
        "declarationDeadlineDays": 30, "collectionServicesIncluded": true});
    if self_assessment {
        p["selfAssessmentAgreed"] = json!(true);
        p["discretionaryLimit"] = json!({"amount": "20000", "currency": "EUR"});
    }
    p
}

fn policy(self_assessment: bool) -> PolicyDto {
    serde_json::from_value(policy_json(self_assessment)).unwrap()
}

fn buyer(n: usize) -> BuyerDto {
    let country = ["DE", "FR", "DE", "US"][n % 4];
    serde_json::from_value(json!({"legalName": format!("Buyer {n} GmbH"), "legalForm": "GmbH",
        "registrationNumber": format!("HRB {n}"), "country": country, "entityKind": "company"}))
    .unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn event(v: Value) -> AccountEventDto {
    serde_json::from_value(v).unwrap()
}

fn eur(cents: i64) -> Value {
    json!({"amount": Decimal::new(cents, 2).to_string(), "currency": "EUR"})
}

fn delivery(amount_cents: i64, on: NaiveDate, days: u32) -> DeliveryOrderDto {
    serde_json::from_value(json!({"amount": eur(amount_cents), "date": on.to_string(), "paymentTermsDays": days}))
        .unwrap()
}

/// An error as the comparisons see it: its code and its message without the field path.
fn plain(e: &Error) -> String {
    let text = e.to_string();
    let message = text.split_once(": ").map_or(text.as_str(), |(_, m)| m);
    format!("{} {message}", e.code())
}

fn answer(r: Result<Decision, Error>) -> Result<Decision, String> {
    r.map_err(|e| plain(&e))
}

// ---------------------------------------------------------------------------------------------
// The stateless ops' inputs, worked out from a log independently of the engine.

/// What `check_delivery_cover` is given for a buyer with log `log` on `as_of`: the events up to
/// that day, the policy in force (the last terms set), the invoices with their payments
/// (unallocated ones oldest first) and credit notes.
fn cover_input(
    policy: &PolicyDto,
    buyer: &BuyerDto,
    log: &[AccountEventDto],
    delivery: &DeliveryOrderDto,
    as_of: NaiveDate,
) -> CheckDeliveryCoverInput {
    use AccountEventDto as E;
    let mut limit_events = Vec::new();
    let mut evidence: Option<SelfAssessmentDto> = None;
    let mut invoices: Vec<InvoiceDto> = Vec::new();
    let mut open: Vec<Decimal> = Vec::new();
    let mut situation = OverdueSituationDto::default();
    let mut adverse = false;
    let mut in_force = policy.clone();
    let settle = |date: IsoDate, amount: Decimal| SettlementDto {
        date,
        amount: MoneyDto {
            amount: DecimalString(amount),
            currency: "EUR".into(),
        },
    };
    for e in log.iter().filter(|e| e.date() <= as_of) {
        match e.clone() {
            E::LimitApplied {
                date,
                requested_amount,
                payment_terms_days,
                ..
            } => limit_events.push(LimitEventDto::Applied {
                date,
                requested_amount,
                payment_terms_days,
            }),
            E::LimitGranted {
                date, amount, until, ..
            } => limit_events.push(LimitEventDto::Granted { date, amount, until }),
            E::LimitRefused {
                date,
                allows_self_assessment,
                ..
            } => limit_events.push(LimitEventDto::Refused {
                date,
                allows_self_assessment,
            }),
            E::LimitReduced {
                date,
                amount,
                delay_days,
                ..
            } => limit_events.push(LimitEventDto::Reduced {
                date,
                amount,
                delay_days,
            }),
            E::LimitWithdrawn {
                date,
                delay_days,
                allows_self_assessment,
                ..
            } => limit_events.push(LimitEventDto::Withdrawn {
                date,
                delay_days,
                allows_self_assessment,
            }),
            E::LimitCancelled { date, .. } => limit_events.push(LimitEventDto::Cancelled { date }),
            E::SelfAssessmentRecorded { evidence: ev, .. } => evidence = Some(*ev),
            E::PolicyTermsSet { policy: terms, .. } => in_force = *terms,
            E::InvoiceIssued {
                date,
                reference,
                amount,
                due_date,
                payment_terms_days,
                end_of_month,
                ..
            } => {
                open.push(amount.amount.0);
                invoices.push(InvoiceDto {
                    reference,
                    amount,
                    invoice_date: date,
                    due_date,
                    payment_terms_days,
                    end_of_month,
                    payments: Vec::new(),
                    credit_notes: Vec::new(),
                    clearly_exceeded_on: None,
                    delay_reason: None,
                });
            }
            E::PaymentReceived {
                date,
                amount,
                allocation,
                ..
            } => match allocation {
                Some(parts) => {
                    for part in parts {
                        let i = invoices.iter().position(|inv| inv.reference == part.reference).unwrap();
                        open[i] -= part.amount.amount.0;
                        invoices[i].payments.push(settle(date, part.amount.amount.0));
                    }
                }
                None => {
                    let mut rest = amount.amount.0;
                    for (i, o) in open.iter_mut().enumerate() {
                        let part = rest.min(*o);
                        if part > Decimal::ZERO {
                            *o -= part;
                            rest -= part;
                            invoices[i].payments.push(settle(date, part));
                        }
                    }
                }
            },
            E::CreditNoteIssued {
                date,
                reference,
                amount,
                ..
            } => {
                let i = invoices.iter().position(|inv| inv.reference == reference).unwrap();
                open[i] -= amount.amount.0;
                invoices[i].credit_notes.push(settle(date, amount.amount.0));
            }
            E::OverdueReported { date, .. } => situation.reported_on = situation.reported_on.or(Some(date)),
            E::ContinuedCoverConfirmed { .. } => situation.continued_cover_confirmed = true,
            E::AdverseInformation { .. } => adverse = true,
            E::AdverseInformationCleared { .. } => adverse = false,
            _ => {}
        }
    }
    situation.invoices = invoices;
    situation.negative_information_remains = adverse;
    CheckDeliveryCoverInput {
        policy: in_force,
        buyer: buyer.clone(),
        outstanding: MoneyDto {
            amount: DecimalString(open.iter().sum()),
            currency: "EUR".into(),
        },
        delivery: delivery.clone(),
        limit_events,
        self_assessment: evidence,
        as_of: IsoDate(as_of),
        overdue: Some(situation),
    }
}

fn limit_input(policy: &PolicyDto, log: &[AccountEventDto], as_of: NaiveDate) -> LimitStateInput {
    let dummy = delivery(100, as_of, 30);
    let input = cover_input(policy, &buyer(0), log, &dummy, as_of);
    LimitStateInput {
        policy: input.policy,
        events: input.limit_events,
        as_of: IsoDate(as_of),
    }
}

// ---------------------------------------------------------------------------------------------
// Random histories.

/// SplitMix64: a small deterministic generator, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Limit {
    None,
    Requested(i64),
    Granted(i64),
    Closed,
}

/// One buyer's history in date order: a limit's life, invoices, payments (allocated or not),
/// credit notes, new policy terms, and the other events, now and then one that contradicts the
/// log.
fn history(rng: &mut Rng) -> Vec<AccountEventDto> {
    let start = date("2026-01-01");
    let mut day = rng.below(40);
    let mut out = Vec::new();
    let mut invoices: Vec<(String, i64)> = Vec::new();
    let mut limit = Limit::None;
    if rng.chance(50) {
        // Most buyers of a portfolio have a limit: applied for and granted early.
        let requested = (1 + rng.below(80) as i64) * 100_000;
        let (applied, granted) = (
            start + chrono::Days::new(day),
            start + chrono::Days::new(day + rng.below(10)),
        );
        out.push(event(
            json!({"type": "limitApplied", "id": "a0", "date": applied.to_string(),
            "requestedAmount": eur(requested), "paymentTermsDays": 60}),
        ));
        out.push(event(
            json!({"type": "limitGranted", "id": "a1", "date": granted.to_string(), "amount": eur(requested)}),
        ));
        limit = Limit::Granted(requested);
        day += 10;
    }
    let n = 2 + rng.below(16);
    for k in 0..n {
        day += rng.below(30);
        let on = (start + chrono::Days::new(day)).to_string();
        let id = format!("e{k}");
        let owed: i64 = invoices.iter().map(|(_, o)| o).sum();
        let v = match rng.below(100) {
            0..=19 => match limit {
                Limit::None | Limit::Closed => {
                    let requested = (1 + rng.below(80) as i64) * 100_000;
                    limit = Limit::Requested(requested);
                    json!({"type": "limitApplied", "id": id, "date": on, "requestedAmount": eur(requested), "paymentTermsDays": 60})
                }
                Limit::Requested(requested) => {
                    if rng.chance(80) {
                        let amount = if rng.chance(70) { requested } else { requested / 2 };
                        limit = Limit::Granted(amount);
                        json!({"type": "limitGranted", "id": id, "date": on, "amount": eur(amount)})
                    } else {
                        limit = Limit::Closed;
                        json!({"type": "limitRefused", "id": id, "date": on, "allowsSelfAssessment": rng.chance(50)})
                    }
                }
                Limit::Granted(amount) => match rng.below(4) {
                    0 => {
                        limit = Limit::Granted(amount / 2);
                        json!({"type": "limitReduced", "id": id, "date": on, "amount": eur(amount / 2), "delayDays": rng.below(40)})
                    }
                    1 => {
                        limit = Limit::Closed;
                        json!({"type": "limitWithdrawn", "id": id, "date": on, "delayDays": rng.below(40)})
                    }
                    2 => {
                        limit = Limit::Closed;
                        json!({"type": "limitCancelled", "id": id, "date": on})
                    }
                    _ => json!({"type": "adverseInformation", "id": id, "date": on}),
                },
            },
            20..=49 => {
                let amount = (1 + rng.below(30_000) as i64) * 100 + rng.below(100) as i64;
                let reference = format!("INV-{k}");
                let terms = [30, 60, 90, 150][rng.below(4) as usize];
                invoices.push((reference.clone(), amount));
                if rng.chance(20) {
                    let due = (start + chrono::Days::new(day + terms)).to_string();
                    json!({"type": "invoiceIssued", "id": id, "date": on, "reference": reference, "amount": eur(amount), "dueDate": due})
                } else {
                    json!({"type": "invoiceIssued", "id": id, "date": on, "reference": reference, "amount": eur(amount),
                        "paymentTermsDays": terms, "endOfMonth": rng.chance(15)})
                }
            }
            50..=69 if owed > 0 => {
                if rng.chance(5) {
                    // More than is open: refused.
                    json!({"type": "paymentReceived", "id": id, "date": on, "amount": eur(owed + 1)})
                } else if rng.chance(50) {
                    let amount = 1 + rng.below(owed as u64) as i64;
                    let mut rest = amount;
                    for (_, o) in invoices.iter_mut() {
                        let part = rest.min(*o);
                        *o -= part;
                        rest -= part;
                    }
                    json!({"type": "paymentReceived", "id": id, "date": on, "amount": eur(amount)})
                } else {
                    let open: Vec<usize> = (0..invoices.len()).filter(|&i| invoices[i].1 > 0).collect();
                    let first = open[rng.below(open.len() as u64) as usize];
                    let a = 1 + rng.below(invoices[first].1 as u64) as i64;
                    let mut parts = vec![json!({"reference": invoices[first].0, "amount": eur(a)})];
                    let mut total = a;
                    if rng.chance(10) {
                        // A second part on an unknown invoice: refused, and the first part with it.
                        parts.push(json!({"reference": "NOPE", "amount": eur(100)}));
                        total += 100;
                    } else {
                        invoices[first].1 -= a;
                    }
                    json!({"type": "paymentReceived", "id": id, "date": on, "amount": eur(total), "allocation": parts})
                }
            }
            70..=77 if owed > 0 => {
                let open: Vec<usize> = (0..invoices.len()).filter(|&i| invoices[i].1 > 0).collect();
                let i = open[rng.below(open.len() as u64) as usize];
                let a = 1 + rng.below(invoices[i].1 as u64) as i64;
                invoices[i].1 -= a;
                json!({"type": "creditNoteIssued", "id": id, "date": on, "reference": invoices[i].0, "amount": eur(a)})
            }
            78..=81 => json!({"type": "overdueReported", "id": id, "date": on}),
            82..=83 => json!({"type": "continuedCoverConfirmed", "id": id, "date": on}),
            84..=85 => json!({"type": "adverseInformationCleared", "id": id, "date": on}),
            86..=88 => {
                let report = (start + chrono::Days::new(day.saturating_sub(rng.below(60)))).to_string();
                json!({"type": "selfAssessmentRecorded", "id": id, "date": on, "evidence": {
                    "report": {"date": report, "recommendedMaximumCredit": eur((1 + rng.below(30) as i64) * 100_000)}}})
            }
            89 => json!({"type": "insolvencyOpened", "id": id, "date": on}),
            90 => json!({"type": "claimFiled", "id": id, "date": on}),
            91 => json!({"type": "claimDocumentsSent", "id": id, "date": on}),
            92 => json!({"type": "instalmentPlanProposed", "id": id, "date": on}),
            93 => json!({"type": "instalmentConsentReceived", "id": id, "date": on}),
            94 => json!({"type": "declarationSubmitted", "id": id, "date": on}),
            95 => json!({"type": "collectionHandedOver", "id": id, "date": on}),
            96 => json!({"type": "paymentsReported", "id": id, "date": on}),
            // New terms: a longer credit period, self-assessment agreed or not.
            97 if rng.chance(50) => {
                let mut terms = policy_json(rng.chance(50));
                terms["maxCreditPeriodDays"] = json!(160);
                json!({"type": "policyTermsSet", "id": id, "date": on, "policy": terms})
            }
            // A credit note on an invoice that does not exist: refused.
            97 => json!({"type": "creditNoteIssued", "id": id, "date": on, "reference": "NONE", "amount": eur(100)}),
            _ => json!({"type": "adverseInformation", "id": id, "date": on, "note": "late payer"}),
        };
        out.push(event(v));
    }
    out
}

/// The arrival order of a case: the buyers' events interleaved, in date order or shuffled or
/// nearly in order, with some sent twice and, now and then, an id reused for another event.
fn arrivals(rng: &mut Rng, histories: &[Vec<AccountEventDto>]) -> Vec<(usize, AccountEventDto)> {
    let mut all: Vec<(usize, AccountEventDto)> = histories
        .iter()
        .enumerate()
        .flat_map(|(b, h)| h.iter().map(move |e| (b, e.clone())))
        .collect();
    all.sort_by_key(|(_, e)| e.date()); // stable: each buyer's own order kept
    match rng.below(3) {
        0 => {}
        1 => {
            for i in (1..all.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                all.swap(i, j);
            }
        }
        _ => {
            for _ in 0..all.len() / 4 {
                let i = rng.below(all.len() as u64) as usize;
                if i + 1 < all.len() {
                    all.swap(i, i + 1);
                }
            }
        }
    }
    for _ in 0..rng.below(3) {
        if !all.is_empty() {
            let i = rng.below(all.len() as u64) as usize;
            let again = all[i].clone();
            let at = rng.below(all.len() as u64 + 1) as usize;
            all.insert(at, again);
        }
    }
    if rng.chance(10) && !all.is_empty() {
        let i = rng.below(all.len() as u64) as usize;
        let (b, e) = all[i].clone();
        let mut v = serde_json::to_value(&e).unwrap();
        v["date"] = json!("2026-12-31");
        all.push((b, event(v)));
    }
    all
}

/// The dates a case asks about: the policy start, days inside the histories, after the last.
fn dates(rng: &mut Rng) -> Vec<NaiveDate> {
    let start = date("2026-01-01");
    let mut out = vec![start, date("2027-06-30")];
    for _ in 0..2 {
        out.push(start + chrono::Days::new(rng.below(420)));
    }
    out
}

fn key(b: usize) -> String {
    format!("B-{b}")
}

/// The whole property on one seed; see the module doc.
fn check_case(seed: u64) -> Result<(), TestCaseError> {
    let mut rng = Rng(seed);
    let self_assessment = rng.chance(50);
    let policy = policy(self_assessment);
    let buyers = 1 + rng.below(4) as usize;
    let histories: Vec<Vec<AccountEventDto>> = (0..buyers).map(|_| history(&mut rng)).collect();
    let arrived = arrivals(&mut rng, &histories);

    let mut engine = Engine::new(&policy).unwrap();
    for b in 0..buyers {
        engine.add_buyer(&key(b), buyer(b)).unwrap();
    }
    // The reference: one `Account` per buyer, applied in the same order.
    let mut reference: Vec<Account> = (0..buyers).map(|_| Account::default()).collect();
    let mut accepted: Vec<Vec<AccountEventDto>> = vec![Vec::new(); buyers];
    let mut all_accepted = vec![true; buyers];
    for (b, e) in &arrived {
        let by_engine = engine.apply(&key(*b), e.clone()).map_err(|e| plain(&e));
        let by_account = reference[*b].apply(&policy, e.clone()).map_err(|e| plain(&e));
        prop_assert_eq!(&by_engine, &by_account, "event {:?}", e);
        match by_engine {
            Ok(()) => accepted[*b].push(e.clone()),
            Err(_) => all_accepted[*b] = false,
        }
    }
    for b in 0..buyers {
        prop_assert_eq!(engine.events(&key(b)).unwrap(), reference[b].events());
        if all_accepted[b] {
            let arrived_b: Vec<AccountEventDto> = arrived
                .iter()
                .filter(|(x, _)| *x == b)
                .map(|(_, e)| e.clone())
                .collect();
            let replayed = Account::replay(&policy, &arrived_b).unwrap();
            prop_assert_eq!(replayed.events(), engine.events(&key(b)).unwrap());
        }
    }
    // The same events loaded at once (each log replayed) give an equal engine.
    let loaded = Engine::load(EngineSetupDto {
        policy: policy.clone(),
        buyers: (0..buyers)
            .map(|b| EngineBuyerDto {
                id: key(b),
                buyer: buyer(b),
                events: accepted[b].clone(),
            })
            .collect(),
    })
    .unwrap();
    prop_assert!(loaded == engine);
    // A snapshot restores to an equal engine.
    let restored = Engine::restore(&engine.snapshot().unwrap()).unwrap();
    prop_assert!(restored == engine);
    // So does the binary snapshot, with the same state read from the logs, on one thread or more.
    let bytes = engine.snapshot_bytes().unwrap();
    let binary = Engine::restore_bytes(&bytes).unwrap();
    prop_assert!(binary == engine);
    prop_assert!(binary.same_derived_state(&engine));
    prop_assert!(Engine::restore_bytes_in_threads(&bytes, 3)
        .unwrap()
        .same_derived_state(&engine));

    // The answers are the stateless ops' answers on the same log.
    for as_of in dates(&mut rng) {
        for b in 0..buyers {
            let k = key(b);
            let log = engine.events(&k).unwrap().to_vec();
            let deliveries = [
                delivery(1 + rng.below(2_000_000) as i64, as_of, 60),
                delivery(
                    1 + rng.below(2_000_000) as i64,
                    as_of - chrono::Days::new(rng.below(30)),
                    [30, 30, 30, 150][rng.below(4) as usize],
                ),
            ];
            for d in &deliveries {
                let by_engine = answer(engine.check_cover(&k, d, as_of));
                let op = answer(check_delivery_cover(&cover_input(&policy, &buyer(b), &log, d, as_of)));
                prop_assert_eq!(&by_engine, &op, "check_cover {} on {}", k, as_of);
                let figures = engine.cover_figures_of(&k, d, as_of).map_err(|e| plain(&e));
                match (&figures, &by_engine) {
                    (Ok(f), Ok(decision)) => {
                        prop_assert_eq!(f.covered.rounded().amount, decision.amounts["coveredAmount"].amount.0);
                        prop_assert_eq!(
                            f.uncovered.rounded().amount,
                            decision.amounts["uncoveredAmount"].amount.0
                        );
                    }
                    (Err(a), Err(b)) => prop_assert_eq!(a, b),
                    (f, d) => prop_assert!(false, "figures {:?} but decision {:?}", f, d),
                }
                // A restored engine answers the same.
                prop_assert_eq!(answer(restored.check_cover(&k, d, as_of)), by_engine.clone());
                prop_assert_eq!(answer(binary.check_cover(&k, d, as_of)), by_engine);
            }
            // The typed check (the prepared cover's quick block, when it has one) answers as
            // the context does, to the scale of each amount, on deliveries on any day around
            // the as-of date (every stretch of the buyer's caps, before the policy start too).
            for _ in 0..8 {
                let day = as_of - chrono::Days::new(300) + chrono::Days::new(rng.below(700));
                let d = delivery(
                    1 + rng.below(2_000_000) as i64,
                    day,
                    [30, 60, 150][rng.below(3) as usize],
                );
                if let Ok(planned) = engine.planned(&d) {
                    let typed = engine.cover_figures(&k, &planned, as_of).map_err(|e| plain(&e));
                    let context = engine.cover_figures_of(&k, &d, as_of).map_err(|e| plain(&e));
                    prop_assert_eq!(
                        format!("{typed:?}"),
                        format!("{context:?}"),
                        "{} {:?} on {}",
                        k,
                        d,
                        as_of
                    );
                }
            }
            let state = answer(engine.account_state(&k, as_of));
            let op = answer(account_state(&AccountStateInput {
                policy: policy.clone(),
                buyer: buyer(b),
                events: log.clone(),
                as_of: IsoDate(as_of),
            }));
            prop_assert_eq!(&answer(binary.account_state(&k, as_of)), &state);
            prop_assert_eq!(state, op, "account_state {} on {}", k, as_of);
            let limit = answer(engine.limit_state(&k, as_of));
            let op = answer(limit_state(&limit_input(&policy, &log, as_of)));
            prop_assert_eq!(&answer(binary.limit_state(&k, as_of)), &limit);
            prop_assert_eq!(limit, op, "limit_state {} on {}", k, as_of);
        }
        let lang = rng.chance(50).then_some("de");
        let worklist = answer(engine.obligations(as_of, lang.map(|l| Language::parse("lang", l).unwrap())));
        let op = answer(obligations(&ObligationsInput {
            policy: policy.clone(),
            accounts: (0..buyers)
                .map(|b| AccountDto {
                    buyer: buyer(b),
                    events: engine.events(&key(b)).unwrap().to_vec(),
                })
                .collect(),
            as_of: IsoDate(as_of),
            lang: lang.map(str::to_owned),
        }));
        prop_assert_eq!(
            &answer(binary.obligations(as_of, lang.map(|l| Language::parse("lang", l).unwrap()))),
            &worklist
        );
        prop_assert_eq!(worklist, op, "obligations on {}", as_of);
    }
    // Events applied after a binary restore (its log index built then) give what the engine
    // gives: the same events again, and new ids naming the invoices' references (a reference
    // issued again is refused, a credit note on one is read).
    let mut after = engine.clone();
    let mut binary = binary;
    let mut more: Vec<(usize, AccountEventDto)> = arrived.clone();
    for (b, e) in &arrived {
        if let AccountEventDto::InvoiceIssued { id, reference, .. } = e {
            let again = json!({"type": "invoiceIssued", "id": format!("{id}-again"), "date": "2027-06-30",
                "reference": reference, "amount": eur(100), "paymentTermsDays": 30});
            let credit = json!({"type": "creditNoteIssued", "id": format!("{id}-credit"), "date": "2027-07-01",
                "reference": reference, "amount": eur(1)});
            more.push((*b, event(again)));
            more.push((*b, event(credit)));
        }
    }
    for (b, e) in more {
        let by_engine = after.apply(&key(b), e.clone()).map_err(|e| plain(&e));
        prop_assert_eq!(
            binary.apply(&key(b), e.clone()).map_err(|e| plain(&e)),
            by_engine,
            "event {:?}",
            e
        );
    }
    prop_assert!(binary == after);
    prop_assert!(binary.same_derived_state(&after));
    Ok(())
}

/// Cases of the property: `DELCREDERE_ENGINE_CASES` (10,000 for the figure), else
/// 1,000, which the dev profile runs in a few seconds.
fn cases() -> u32 {
    std::env::var("DELCREDERE_ENGINE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn events_applied_one_by_one_in_any_order_give_the_replayed_log_and_the_stateless_answers_acc(seed in any::<u64>()) {
        check_case(seed)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed cases.

fn sample_engine() -> Engine {
    let mut engine = Engine::new(&policy(true)).unwrap();
    let mut rng = Rng(7);
    for b in 0..4 {
        engine.add_buyer(&key(b), buyer(b)).unwrap();
        for e in history(&mut rng) {
            let _ = engine.apply(&key(b), e);
        }
    }
    engine
}

fn code_field<T: std::fmt::Debug>(r: Result<T, Error>) -> (String, String) {
    let e = r.unwrap_err();
    (e.code().to_owned(), e.field().to_owned())
}

fn pair(code: &str, field: &str) -> (String, String) {
    (code.to_owned(), field.to_owned())
}

#[test]
fn bad_input_is_a_typed_error_with_its_field_acc() {
    let mut bad = policy_json(false);
    bad["indemnityPercentage"] = json!("190");
    let bad: PolicyDto = serde_json::from_value(bad).unwrap();
    assert_eq!(Engine::new(&bad).unwrap_err().code(), "invalid_policy");

    let mut engine = Engine::new(&policy(false)).unwrap();
    let id = engine.add_buyer("D-1", buyer(0)).unwrap();
    let invoice = event(
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1",
        "amount": eur(100_000), "paymentTermsDays": 30}),
    );
    // Events for a buyer the engine does not hold.
    assert_eq!(
        code_field(engine.apply("D-2", invoice.clone())),
        pair("unknown_buyer", "buyer")
    );
    let other = Engine::new(&policy(false)).unwrap();
    assert_eq!(
        code_field(other.account_state(id, date("2026-03-01"))),
        pair("unknown_buyer", "buyer")
    );
    let batch = vec![
        BuyerEventDto {
            buyer: "D-1".into(),
            event: invoice.clone(),
        },
        BuyerEventDto {
            buyer: "D-9".into(),
            event: invoice.clone(),
        },
    ];
    assert_eq!(
        code_field(engine.apply_all(batch)),
        pair("unknown_buyer", "events[1].buyer")
    );
    assert_eq!(
        engine.events("D-1").unwrap().len(),
        1,
        "the events before the bad one stay applied"
    );
    let payment = event(json!({"type": "paymentReceived", "id": "p1", "date": "2026-03-05", "amount": eur(200_000)}));
    let batch = vec![
        BuyerEventDto {
            buyer: "D-1".into(),
            event: invoice.clone(),
        },
        BuyerEventDto {
            buyer: "D-1".into(),
            event: payment,
        },
    ];
    assert_eq!(
        code_field(engine.apply_all(batch)),
        pair("invalid_event", "events[1].event")
    );
    let empty_id = event(json!({"type": "overdueReported", "id": " ", "date": "2026-03-05"}));
    assert_eq!(
        code_field(engine.apply("D-1", empty_id)),
        pair("empty_value", "event.id")
    );

    // Buyers: a key twice with other details, an empty key, a country that does not exist.
    assert_eq!(engine.add_buyer("D-1", buyer(0)).unwrap(), id);
    assert_eq!(
        code_field(engine.add_buyer("D-1", buyer(1))),
        pair("duplicate_buyer", "id")
    );
    assert_eq!(code_field(engine.add_buyer("", buyer(1))), pair("empty_value", "id"));
    let mut nowhere = buyer(1);
    nowhere.country = "XX".into();
    assert_eq!(
        code_field(engine.add_buyer("D-3", nowhere)),
        pair("unknown_country", "buyer.country")
    );
    assert_eq!(engine.buyer_count(), 1);

    // A second policy on one engine.
    engine.set_policy(&policy(false)).unwrap();
    assert_eq!(
        code_field(engine.set_policy(&policy(true))),
        pair("policy_already_set", "policy")
    );

    // Questions before the policy starts.
    let before = date("2025-12-31");
    let d = delivery(1000, date("2026-03-02"), 30);
    assert_eq!(
        code_field(engine.check_cover("D-1", &d, before)),
        pair("date_order", "asOf")
    );
    assert_eq!(
        code_field(engine.cover_figures_of("D-1", &d, before)),
        pair("date_order", "asOf")
    );
    assert_eq!(
        code_field(engine.outstanding("D-1", before)),
        pair("date_order", "asOf")
    );
    assert_eq!(
        code_field(engine.account_state("D-1", before)),
        pair("date_order", "asOf")
    );
    assert_eq!(
        code_field(engine.limit_state("D-1", before)),
        pair("date_order", "asOf")
    );
    assert_eq!(code_field(engine.obligations(before, None)), pair("date_order", "asOf"));
    assert_eq!(
        code_field(engine.buyer_obligations("D-1", before)),
        pair("date_order", "asOf")
    );
    let early = delivery(1000, before, 30);
    let as_of = date("2026-03-02");
    assert_eq!(
        code_field(engine.check_cover("D-1", &early, as_of)),
        pair("date_order", "delivery.date")
    );
    let planned = engine.planned(&early).unwrap();
    assert_eq!(
        code_field(engine.cover_figures(id, &planned, as_of)),
        pair("date_order", "delivery.date")
    );
    let mut dollars = delivery(1000, as_of, 30);
    dollars.amount.currency = "USD".into();
    assert_eq!(
        code_field(engine.planned(&dollars)),
        pair("currency_mismatch", "delivery.amount.currency")
    );
    assert_eq!(
        code_field(engine.check_cover("D-1", &dollars, as_of)),
        pair("currency_mismatch", "delivery.amount.currency")
    );
    // The same delivery from its parts (no DTO): the same typed delivery, the same errors.
    let parts = |cents: i64, days: u32| {
        engine.planned_parts(
            rust_decimal::Decimal::new(cents, 2),
            as_of,
            days,
            false,
            delcredere::ReceivableKind::Goods,
            delcredere::PaymentSecurity::OpenAccount,
        )
    };
    assert_eq!(
        parts(1000, 30).unwrap(),
        engine.planned(&delivery(1000, as_of, 30)).unwrap()
    );
    assert_eq!(
        code_field(parts(-1, 30)),
        pair("negative_amount", "delivery.amount.amount")
    );
    assert_eq!(code_field(parts(0, 30)), pair("out_of_range", "delivery.amount.amount"));
    assert_eq!(
        code_field(parts(100, 100_000)),
        pair("out_of_range", "delivery.paymentTermsDays")
    );

    // A whole setup: a key twice, a contradicting log, a bad buyer.
    let setup = |buyers: Vec<EngineBuyerDto>| EngineSetupDto {
        policy: policy(false),
        buyers,
    };
    let entry = |id: &str, events: Vec<AccountEventDto>| EngineBuyerDto {
        id: id.into(),
        buyer: buyer(0),
        events,
    };
    let twice = setup(vec![entry("A", vec![]), entry("A", vec![])]);
    assert_eq!(code_field(Engine::load(twice)), pair("duplicate_buyer", "buyers[1].id"));
    let credit = event(
        json!({"type": "creditNoteIssued", "id": "c", "date": "2026-03-01", "reference": "X", "amount": eur(100)}),
    );
    let contradicting = setup(vec![entry("A", vec![]), entry("B", vec![invoice, credit])]);
    assert_eq!(
        code_field(Engine::load(contradicting)),
        pair("invalid_event", "buyers[1].events")
    );
    let mut nameless = entry("A", vec![]);
    nameless.buyer.legal_name = " ".into();
    assert_eq!(
        code_field(Engine::load(setup(vec![nameless]))),
        pair("empty_value", "buyers[0].buyer.legalName")
    );
}

#[test]
fn a_refused_event_changes_nothing_acc() {
    let mut engine = Engine::new(&policy(false)).unwrap();
    engine.add_buyer("D-1", buyer(0)).unwrap();
    for v in [
        json!({"type": "limitApplied", "id": "l1", "date": "2026-02-01", "requestedAmount": eur(5_000_000), "paymentTermsDays": 60}),
        json!({"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": eur(5_000_000)}),
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": eur(3_000_000), "paymentTermsDays": 60}),
        json!({"type": "invoiceIssued", "id": "i2", "date": "2026-03-10", "reference": "INV-2", "amount": eur(1_000_000), "paymentTermsDays": 60}),
    ] {
        engine.apply("D-1", event(v)).unwrap();
    }
    let as_of = date("2026-03-20");
    let d = delivery(2_000_000, as_of, 30);
    let before = (
        engine.clone(),
        engine.check_cover("D-1", &d, as_of).unwrap(),
        engine.account_state("D-1", as_of).unwrap(),
    );
    // The first part is fine, the second more than is open: refused as a whole.
    let payment = event(
        json!({"type": "paymentReceived", "id": "p1", "date": "2026-03-15", "amount": eur(2_100_000),
        "allocation": [{"reference": "INV-1", "amount": eur(1_000_000)}, {"reference": "INV-2", "amount": eur(1_100_000)}]}),
    );
    let e = engine.apply("D-1", payment).unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid_event", "event"), "{e}");
    // Dated before the last event: the log is read again, and refused just the same.
    let early = event(json!({"type": "paymentReceived", "id": "p2", "date": "2026-03-05", "amount": eur(3_500_000)}));
    assert_eq!(engine.apply("D-1", early).unwrap_err().code(), "invalid_event");
    assert!(engine == before.0);
    assert_eq!(engine.check_cover("D-1", &d, as_of).unwrap(), before.1);
    assert_eq!(engine.account_state("D-1", as_of).unwrap(), before.2);
    // 40,000 owed under a 50,000 limit: 10,000 of the 20,000 delivery covered (LIM-1).
    let figures = engine.cover_figures_of("D-1", &d, as_of).unwrap();
    assert_eq!(figures.covered.amount, Decimal::new(10_000, 0));
    // A payment of 15,000 on INV-1 a day later: 25,000 owed, 20,000 covered. The kept cover
    // of that day was dropped with the event.
    let paid = event(
        json!({"type": "paymentReceived", "id": "p3", "date": "2026-03-20", "amount": eur(1_500_000),
        "allocation": [{"reference": "INV-1", "amount": eur(1_500_000)}]}),
    );
    engine.apply("D-1", paid).unwrap();
    let figures = engine.cover_figures_of("D-1", &d, as_of).unwrap();
    assert_eq!(figures.covered.amount, Decimal::new(20_000, 0));
    assert_eq!(
        engine.outstanding("D-1", as_of).unwrap().amount,
        Decimal::new(25_000, 0)
    );
    // Asked about an earlier day, the later events do not count.
    assert_eq!(
        engine.outstanding("D-1", date("2026-03-09")).unwrap().amount,
        Decimal::new(30_000, 0)
    );
}

#[test]
fn a_snapshot_restores_to_an_equal_engine_and_refuses_another_format_version_acc() {
    let engine = sample_engine();
    let text = engine.snapshot().unwrap();
    assert!(
        text.starts_with(&format!("{{\"formatVersion\":{SNAPSHOT_FORMAT_VERSION},")),
        "{}",
        &text[..40]
    );
    let restored = Engine::restore(&text).unwrap();
    assert!(restored == engine);
    assert_eq!(
        restored.snapshot().unwrap(),
        text,
        "a restored engine writes the same snapshot"
    );
    let buyer_keys: Vec<&str> = restored.buyer_keys().collect();
    assert_eq!(buyer_keys, ["B-0", "B-1", "B-2", "B-3"]);

    let mut value: Value = serde_json::from_str(&text).unwrap();
    for (version, expected) in [
        (json!(2), pair("unsupported_snapshot", "formatVersion")),
        (json!(0), pair("unsupported_snapshot", "formatVersion")),
        (json!("1"), pair("unsupported_snapshot", "formatVersion")),
        (json!(1.5), pair("unsupported_snapshot", "formatVersion")),
    ] {
        value["formatVersion"] = version;
        assert_eq!(code_field(Engine::restore(&value.to_string())), expected);
    }
    // The version anywhere in the object is read; none at all is a missing field.
    let rest = text.replacen("{\"formatVersion\":1,", "{", 1);
    let moved = format!("{},\"formatVersion\":7}}", &rest[..rest.len() - 1]);
    assert_eq!(
        code_field(Engine::restore(&moved)),
        pair("unsupported_snapshot", "formatVersion")
    );
    let none = text.replacen("\"formatVersion\":1,", "", 1);
    assert_eq!(
        code_field(Engine::restore(&none)),
        pair("missing_field", "formatVersion")
    );
    assert_eq!(code_field(Engine::restore("[]")), pair("invalid_type", "snapshot"));
    assert_eq!(code_field(Engine::restore("")), pair("invalid_json", "snapshot"));
    // In the reader's words: no Rust type (`struct Probe`), no position.
    assert_eq!(
        Engine::restore("[]").unwrap_err().to_string(),
        "snapshot: expected a JSON object (the text of snapshot())"
    );
    assert_eq!(
        Engine::restore("formatVersion 1").unwrap_err().to_string(),
        "snapshot: invalid json: expected ident"
    );
    // The version twice, not first: the probe that finds it says so.
    let twice = none.replacen('{', "{\"x\":0,\"formatVersion\":1,\"formatVersion\":1,", 1);
    assert_eq!(
        code_field(Engine::restore(&twice)),
        pair("duplicate_field", "formatVersion")
    );
    // Cut short after the version, an unknown key, an edited event: the field inside it.
    let cut = &text[..text.len() / 2];
    // (cut short, the error names where the text ends)
    assert_eq!(code_field(Engine::restore(cut)).0, "invalid_json");
    let extra = text.replacen("\"formatVersion\":1,", "\"formatVersion\":1,\"x\":0,", 1);
    // (an unknown key is named itself, as in the stateless ops)
    assert_eq!(code_field(Engine::restore(&extra)), pair("unknown_field", "x"));
    let mut edited: Value = serde_json::from_str(&text).unwrap();
    edited["buyers"][1]["events"][0]["date"] = json!("2026-02-30");
    assert_eq!(
        code_field(Engine::restore(&edited.to_string())),
        // (inside a tagged event too, as in the stateless ops)
        pair("invalid_date", "buyers[1].events[0].date")
    );
    edited["buyers"][1]["events"][0]["date"] = json!("2026-02-03");
    edited["buyers"][1]["events"][0]["type"] = json!("paymentReceived");
    edited["buyers"][1]["events"][0]["amount"] = eur(100);
    let e = Engine::restore(&edited.to_string()).unwrap_err();
    assert!(e.field().starts_with("buyers[1].events"), "{e}");
}

#[test]
fn a_snapshot_cut_short_or_edited_is_a_typed_error_never_a_panic_acc() {
    let mut engine = Engine::new(&policy(true)).unwrap();
    let mut rng = Rng(11);
    engine.add_buyer("B-0", buyer(0)).unwrap();
    for e in history(&mut rng).into_iter().take(8) {
        let _ = engine.apply("B-0", e);
    }
    let text = engine.snapshot().unwrap();
    // Every prefix is refused (a whole snapshot is one JSON object: no prefix is one).
    for cut in 0..text.len() {
        if let Some(prefix) = text.get(..cut) {
            let e = Engine::restore(prefix).unwrap_err();
            assert!(!e.field().is_empty() || e.code() == "invalid_policy", "{cut}: {e}");
            assert_ne!(e.code(), "internal", "{cut}: {e}");
        }
    }
    // Every byte replaced by characters that break numbers, strings, dates and structure:
    // an answer or a typed error; what restores writes itself back unchanged.
    let mut restored = 0;
    for at in 0..text.len() {
        for with in ["9", "\"", "}", "x", "-", " "] {
            let (Some(head), Some(tail)) = (text.get(..at), text.get(at + 1..)) else {
                continue;
            };
            let edited = format!("{head}{with}{tail}");
            match Engine::restore(&edited) {
                Ok(e) => {
                    restored += 1;
                    assert!(Engine::restore(&e.snapshot().unwrap()).unwrap() == e);
                }
                Err(e) => assert_ne!(e.code(), "internal", "{at} {with}: {e}"),
            }
        }
    }
    assert!(
        restored > 0,
        "some edits (an amount's digit, a name) still make a snapshot"
    );
}

#[test]
fn reads_run_on_several_threads_at_once_acc() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    let engine = sample_engine();
    let days: Vec<NaiveDate> = (0..12).map(|m| date("2026-01-15") + chrono::Months::new(m)).collect();
    let d = delivery(500_000, date("2026-01-15"), 30);
    // The answers of a fresh copy, one at a time.
    let fresh = engine.clone();
    let expected: Vec<Vec<Result<Decision, String>>> = (0..4)
        .map(|b| {
            days.iter()
                .map(|&day| answer(fresh.check_cover(&key(b), &d, day)))
                .collect()
        })
        .collect();
    std::thread::scope(|s| {
        for t in 0..4usize {
            let (engine, days, expected, d) = (&engine, &days, &expected, &d);
            s.spawn(move || {
                for round in 0..25 {
                    for b in 0..4 {
                        // Each thread walks the buyers and the days in its own order, so the
                        // threads keep preparing days the others asked about.
                        let b = (b + t + round) % 4;
                        for (i, &day) in days.iter().enumerate().rev().skip(t) {
                            assert_eq!(answer(engine.check_cover(&key(b), d, day)), expected[b][i]);
                            let figures = engine
                                .cover_figures_of(&key(b), d, day)
                                .map(|f| f.covered.rounded().amount);
                            let decided = expected[b][i].as_ref().map(|x| x.amounts["coveredAmount"].amount.0);
                            assert_eq!(figures.map_err(|e| plain(&e)), decided.map_err(Clone::clone));
                        }
                    }
                }
            });
        }
    });
}

/// A cover check on figures asked between events answers from the events applied so far:
/// whatever an earlier check on the same date kept for the buyer (its prepared cover and its
/// quick block) is dropped by each event, so every answer equals the explained check's and
/// that of an engine built afresh from the same events (LIM-1, LIM-3, ACC).
#[test]
fn a_check_between_events_sees_every_event_before_it_acc() {
    let policy = policy(false);
    let as_of = date("2026-06-30");
    let mut engine = Engine::new(&policy).unwrap();
    engine.add_buyer("A", buyer(0)).unwrap();
    let d = delivery(3_000_000, as_of, 60);
    let planned = engine.planned(&d).unwrap();
    let events = [
        json!({"type": "limitApplied", "id": "l1", "date": "2026-02-01", "paymentTermsDays": 60,
               "requestedAmount": eur(5_000_000)}),
        json!({"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": eur(5_000_000)}),
        json!({"type": "invoiceIssued", "id": "i1", "date": "2026-06-01", "reference": "F-1",
               "amount": eur(1_500_000), "paymentTermsDays": 60}),
        json!({"type": "invoiceIssued", "id": "i2", "date": "2026-06-10", "reference": "F-2",
               "amount": eur(1_000_000), "paymentTermsDays": 60}),
        json!({"type": "paymentReceived", "id": "p1", "date": "2026-06-20", "amount": eur(1_500_000)}),
        json!({"type": "invoiceIssued", "id": "i3", "date": "2026-06-28", "reference": "F-3",
               "amount": eur(1_200_000), "paymentTermsDays": 60}),
    ];
    // Covered, by hand, after each event, for a delivery of 30,000.00: no limit (0), a limit
    // applied for only (0), then granted, 50,000.00 and nothing owed (30,000.00), owing
    // 15,000.00 (35,000.00 left: 30,000.00), owing 25,000.00 (25,000.00), owing 10,000.00
    // after the payment of the first invoice (30,000.00), owing 22,000.00 (28,000.00).
    let covered = ["0", "0", "30000.00", "30000.00", "25000.00", "30000.00", "28000.00"];
    let mut applied: Vec<AccountEventDto> = Vec::new();
    for (k, expected) in covered.iter().enumerate() {
        if k > 0 {
            let e = event(events[k - 1].clone());
            engine.apply("A", e.clone()).unwrap();
            applied.push(e);
        }
        for _ in 0..2 {
            // Twice: the second answer comes from what the first kept.
            let figures = engine.cover_figures("A", &planned, as_of).unwrap();
            assert_eq!(
                figures.covered.amount,
                expected.parse::<Decimal>().unwrap(),
                "after {k} events"
            );
            let decision = engine.check_cover("A", &d, as_of).unwrap();
            assert_eq!(
                figures.covered.rounded().amount,
                decision.amounts["coveredAmount"].amount.0
            );
        }
        let fresh = Engine::load(EngineSetupDto {
            policy: policy.clone(),
            buyers: vec![EngineBuyerDto {
                id: "A".into(),
                buyer: buyer(0),
                events: applied.clone(),
            }],
        })
        .unwrap();
        assert_eq!(
            format!("{:?}", fresh.cover_figures("A", &planned, as_of)),
            format!("{:?}", engine.cover_figures("A", &planned, as_of)),
            "after {k} events"
        );
    }
}
