//! One buyer's account (ACC): replay is order-independent, idempotent and equals applying the
//! events one by one; contradicting events are refused with their id and change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use delcredere::account::{Account, AccountEventDto, ObligationKind, ObligationStatus};
use delcredere::{BuyerDto, PolicyDto};
use proptest::prelude::*;
use serde_json::json;

fn policy() -> PolicyDto {
    serde_json::from_value(
        json!({"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
        "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180, "indemnityPercentage": "90",
        "maximumLiability": {"amount": "2000000", "currency": "EUR"},
        "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}),
    )
    .unwrap()
}

fn buyer() -> BuyerDto {
    serde_json::from_value(json!({"legalName": "Müller GmbH", "legalForm": "GmbH", "registrationNumber": "HRB 1", "country": "DE", "entityKind": "company"})).unwrap()
}

fn events() -> Vec<AccountEventDto> {
    serde_json::from_value(json!([
        {"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}},
        {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "invoiceIssued", "id": "i2", "date": "2026-03-15", "reference": "INV-2", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "creditNoteIssued", "id": "n1", "date": "2026-03-20", "reference": "INV-2", "amount": {"amount": "1000", "currency": "EUR"}},
        {"type": "paymentReceived", "id": "p1", "date": "2026-04-30", "amount": {"amount": "30000", "currency": "EUR"}},
        {"type": "overdueReported", "id": "r1", "date": "2026-07-14"}
    ]))
    .unwrap()
}

fn state(account: &Account, date: &str) -> String {
    let d = account.state_at(&policy(), &buyer(), date.parse().unwrap()).unwrap();
    serde_json::to_string(&d).unwrap()
}

#[test]
fn covered_exposure_follows_the_limit_on_each_delivery_date_acc() {
    let account = Account::replay(&policy(), &events()).unwrap();
    let d = account
        .state_at(&policy(), &buyer(), "2026-05-01".parse().unwrap())
        .unwrap();
    // INV-2: 30000 delivered while 30000 was owed under a 50000 limit: 20000 covered; the
    // 1000 credit note comes off its uncovered part: open 29000, covered 20000.
    assert_eq!(d.amounts["outstanding"].amount.to_string(), "29000.00");
    assert_eq!(d.amounts["coveredExposure"].amount.to_string(), "20000.00");
    assert_eq!(d.amounts["uncoveredExposure"].amount.to_string(), "9000.00");
}

#[test]
fn a_contradicting_event_is_refused_with_its_id_and_changes_nothing_acc() {
    let mut account = Account::replay(&policy(), &events()).unwrap();
    let before = state(&account, "2026-08-01");
    let bad: AccountEventDto = serde_json::from_value(json!({"type": "paymentReceived", "id": "p9", "date": "2026-08-01",
        "amount": {"amount": "5", "currency": "EUR"}, "allocation": [{"reference": "INV-7", "amount": {"amount": "5", "currency": "EUR"}}]}))
    .unwrap();
    let err = account.apply(&policy(), bad).unwrap_err();
    assert_eq!(err.code(), "invalid_event");
    assert!(err.to_string().contains("'p9'"), "{err}");
    assert_eq!(state(&account, "2026-08-01"), before);
    assert_eq!(account.events().len(), 7);
}

#[test]
fn reported_overdue_is_done_in_the_worklist_acc() {
    let account = Account::replay(&policy(), &events()).unwrap();
    let list = account
        .obligations(&policy(), &buyer(), "2026-07-20".parse().unwrap())
        .unwrap();
    let report = list.iter().find(|o| o.kind == ObligationKind::ReportOverdue).unwrap();
    assert_eq!(report.status, ObligationStatus::Done);
    assert_eq!(report.due_date.0.to_string(), "2026-07-14");
}

#[test]
fn the_first_bad_id_in_arrival_order_is_reported_acc() {
    let a: AccountEventDto =
        serde_json::from_value(json!({"type": "overdueReported", "id": "a", "date": "2026-07-14"})).unwrap();
    let a2: AccountEventDto =
        serde_json::from_value(json!({"type": "overdueReported", "id": "a", "date": "2026-07-15"})).unwrap();
    let blank: AccountEventDto =
        serde_json::from_value(json!({"type": "overdueReported", "id": " ", "date": "2026-07-16"})).unwrap();
    for replay in [
        |e: &[AccountEventDto]| Account::replay(&policy(), e),
        |e: &[AccountEventDto]| Account::from_events(&policy(), e.to_vec()),
    ] {
        let err = replay(&[a.clone(), a2.clone(), blank.clone()]).unwrap_err();
        assert_eq!((err.code(), err.field()), ("invalid_event", "events"), "{err}");
        assert!(err.to_string().contains("'a'"), "{err}");
        let err = replay(&[a.clone(), blank.clone(), a2.clone()]).unwrap_err();
        assert_eq!((err.code(), err.field()), ("empty_value", "events.id"), "{err}");
        // The same event twice is kept once.
        assert_eq!(replay(&[a.clone(), a.clone()]).unwrap().events().len(), 1);
    }
}

/// Events of every kind that gives a duty to apply (LIM-6, LIM-7) or to notify (OVD-6..9),
/// with the acknowledgements that end them; the pairs on one day (`d2`, `d3`; `a1`, `r1`) do
/// not depend on each other.
fn duty_events() -> Vec<AccountEventDto> {
    serde_json::from_value(json!([
        {"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}},
        {"type": "deliveryPlanned", "id": "d1", "date": "2026-02-10", "reference": "INV-1", "deliveryDate": "2026-03-01", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "deliveryPlanned", "id": "d2", "date": "2026-03-02", "reference": "INV-2", "deliveryDate": "2026-03-15", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "deliveryPlanned", "id": "d3", "date": "2026-03-02", "reference": "INV-3", "deliveryDate": "2026-04-01", "amount": {"amount": "5000", "currency": "EUR"}, "paymentTermsDays": 30},
        {"type": "deliveryPlanCancelled", "id": "d4", "date": "2026-03-10", "reference": "INV-3"},
        {"type": "invoiceIssued", "id": "i2", "date": "2026-03-15", "reference": "INV-2", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "extraReportingDatesSet", "id": "x1", "date": "2026-03-20", "dates": ["2026-05-15", "2026-06-15"]},
        {"type": "adverseInformation", "id": "a1", "date": "2026-04-10"},
        {"type": "paymentReturned", "id": "r1", "date": "2026-04-10", "instrument": "directDebit", "reference": "INV-1"},
        {"type": "notificationSent", "id": "n1", "date": "2026-04-12", "about": "a1"},
        {"type": "paymentTermsExtensionProposed", "id": "t1", "date": "2026-04-20", "reference": "INV-2", "agreementDate": "2026-04-25"},
        {"type": "consentReceived", "id": "c1", "date": "2026-04-24", "about": "t1"},
        {"type": "paymentReceived", "id": "p1", "date": "2026-04-30", "amount": {"amount": "30000", "currency": "EUR"}},
        {"type": "settlementProposed", "id": "s1", "date": "2026-05-02", "agreementDate": "2026-05-10"},
        {"type": "extraReportSubmitted", "id": "x2", "date": "2026-05-15", "reportingDate": "2026-05-15"},
        {"type": "lawyerInstructed", "id": "l1", "date": "2026-05-20", "agent": "lawyer"}
    ]))
    .unwrap()
}

/// Replays `all` in the order `order` with the event `dup` once more, and checks that the
/// states and worklists on `dates` equal those of the events applied one by one in date order.
fn any_order_equals_date_order(
    all: &[AccountEventDto],
    order: &[usize],
    dup: usize,
    dates: &[&str],
) -> Result<(), TestCaseError> {
    let mut shuffled: Vec<AccountEventDto> = order.iter().map(|i| all[*i].clone()).collect();
    shuffled.push(all[dup].clone());
    let replayed = Account::replay(&policy(), &shuffled).unwrap();
    let owned = Account::from_events(&policy(), shuffled.clone()).unwrap();
    let mut applied = Account::default();
    for e in all {
        applied.apply(&policy(), e.clone()).unwrap();
    }
    prop_assert_eq!(replayed.events(), owned.events());
    for date in dates {
        prop_assert_eq!(state(&replayed, date), state(&applied, date));
        prop_assert_eq!(state(&owned, date), state(&applied, date));
        let d = date.parse().unwrap();
        prop_assert_eq!(
            replayed.obligations(&policy(), &buyer(), d).unwrap(),
            applied.obligations(&policy(), &buyer(), d).unwrap()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn replay_of_any_order_with_duplicates_equals_apply_in_date_order(order in Just((0..7usize).collect::<Vec<_>>()).prop_shuffle(), dup in 0usize..7) {
        any_order_equals_date_order(&events(), &order, dup, &["2026-03-16", "2026-05-01", "2026-07-20"])?;
    }
}

proptest! {
    // Fewer cases: each replays 18 events and asks four dates.
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn replay_of_any_order_equals_date_order_with_plans_and_circumstances_lim_7_ovd_6_ovd_7(order in Just((0..18usize).collect::<Vec<_>>()).prop_shuffle(), dup in 0usize..18) {
        any_order_equals_date_order(&duty_events(), &order, dup, &["2026-03-05", "2026-04-11", "2026-05-01", "2026-07-20"])?;
    }
}

/// A limit's later life (LIM-6): an application for more on the granted limit, a temporary
/// raise granted in part up to 30 June, deliveries before, during and after it (the last takes
/// the outstanding above the limit it falls back to: a duty to apply for more), and adverse
/// information; each on its own day.
fn increase_events() -> Vec<AccountEventDto> {
    serde_json::from_value(json!([
        {"type": "limitApplied", "id": "e1", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "e2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}},
        {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "INV-1", "amount": {"amount": "30000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "limitApplied", "id": "e3", "date": "2026-04-01", "requestedAmount": {"amount": "80000", "currency": "EUR"}, "paymentTermsDays": 60},
        {"type": "limitGranted", "id": "e4", "date": "2026-04-10", "amount": {"amount": "70000", "currency": "EUR"}, "until": "2026-06-30"},
        {"type": "invoiceIssued", "id": "i2", "date": "2026-05-01", "reference": "INV-2", "amount": {"amount": "40000", "currency": "EUR"}, "paymentTermsDays": 90},
        {"type": "adverseInformation", "id": "a1", "date": "2026-05-20"},
        {"type": "invoiceIssued", "id": "i3", "date": "2026-07-05", "reference": "INV-3", "amount": {"amount": "15000", "currency": "EUR"}, "paymentTermsDays": 60}
    ]))
    .unwrap()
}

/// The events of [`increase_events`] worked by hand: on 1 May the temporary raise is the limit
/// (70,000) and covers INV-1 and INV-2 (30,000 + 40,000); on 10 July the limit is back at
/// 50,000, the two keep their cover, and INV-3 (15,000, delivered 5 July, after INV-1's
/// reporting day of 29 June: due 30 April plus 60 days) is not covered (LIM-6, OVD-2).
#[test]
fn an_increase_and_a_temporary_limit_in_the_account_worked_by_hand_lim_6() {
    let account = Account::replay(&policy(), &increase_events()).unwrap();
    let figures = |date: &str| {
        let d = account.state_at(&policy(), &buyer(), date.parse().unwrap()).unwrap();
        ["limit", "outstanding", "coveredExposure", "uncoveredExposure"]
            .map(|k| d.amounts[k].amount.0.normalize().to_string())
    };
    assert_eq!(figures("2026-05-01"), ["70000", "70000", "70000", "0"]);
    assert_eq!(figures("2026-07-10"), ["50000", "85000", "70000", "15000"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn replay_of_any_order_equals_date_order_with_an_increase_and_a_temporary_limit_lim_6(order in Just((0..8usize).collect::<Vec<_>>()).prop_shuffle(), dup in 0usize..8) {
        any_order_equals_date_order(&increase_events(), &order, dup, &["2026-04-05", "2026-05-01", "2026-07-10"])?;
    }
}

#[test]
fn worklist_lists_each_balance_report_with_its_deadline_prm_6() {
    // A CH balance premium: reports quarterly, each within 30 days of its reporting day.
    let policy: PolicyDto = serde_json::from_value(json!({"currency": "CHF", "insuranceYear": {"start": "2026-01-01"},
        "agreedCountries": ["CH"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
        "indemnityPercentage": "90", "maximumLiability": {"amount": "1000000", "currency": "CHF"},
        "premium": {"basis": "outstandingBalance", "rate": "0.08",
            "reportingDays": ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"], "balanceReportDeadlineDays": 30},
        "declarationDeadlineEndOfMonth": 1}))
    .unwrap();
    let events: Vec<AccountEventDto> = serde_json::from_value(json!([
        {"type": "balanceReportSubmitted", "id": "r1", "date": "2026-04-30", "reportingDay": "2026-03-31"}
    ]))
    .unwrap();
    let account = Account::replay(&policy, &events).unwrap();
    let list = account
        .obligations(&policy, &buyer(), "2026-07-31".parse().unwrap())
        .unwrap();
    let reports: Vec<(String, String, ObligationStatus)> = list
        .iter()
        .filter(|o| o.kind == ObligationKind::ReportBalance)
        .map(|o| {
            assert_eq!(o.rule, "PRM-6");
            (
                o.reporting_day.unwrap().0.to_string(),
                o.due_date.0.to_string(),
                o.status,
            )
        })
        .collect();
    let expected = [
        ("2026-03-31", "2026-04-30", ObligationStatus::Done),
        ("2026-06-30", "2026-07-30", ObligationStatus::Overdue),
        ("2026-09-30", "2026-10-30", ObligationStatus::Upcoming),
        ("2026-12-31", "2027-01-30", ObligationStatus::Upcoming),
    ];
    assert_eq!(
        reports,
        expected.map(|(d, u, s)| (d.to_owned(), u.to_owned(), s)).to_vec()
    );
    let overdue = list.iter().find(|o| o.status == ObligationStatus::Overdue).unwrap();
    assert_eq!(
        delcredere::account::obligation_message(overdue, delcredere::Language::Fr).unwrap(),
        "Déclarez l'encours du 30/06/2026 au plus tard le 30/07/2026 : seule une déclaration dans les délais garantit \
         la couverture et le droit à indemnisation."
    );
    // The yearly declaration follows the CH end-of-month term: the end of January 2027.
    let declare = list.iter().find(|o| o.kind == ObligationKind::DeclareTurnover).unwrap();
    assert_eq!(declare.due_date.0.to_string(), "2027-01-31");
}
