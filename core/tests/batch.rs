//! The batch cover (BAT-1..3) agrees, row by row, with `check_delivery_cover` given the
//! outstanding that BAT-1 defines, worked out here the slow way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chrono::NaiveDate;
use delcredere::batch::{days_from_date, Batch, BatchSetupDto, CoverColumns, Ledger, NO_DATE};
use delcredere::cover::{check_delivery_cover, CheckDeliveryCoverInput, CoverType};
use delcredere::{Decision, Error};
use rust_decimal::Decimal;
use serde_json::{json, Value};

#[path = "support/batch.rs"]
mod fixtures;
use fixtures::{buyer, eur, policy, view, Rows, AS_OF};

/// [`policy`] reading "N days end of month" by `convention` (`None`: the term left out, so
/// the default).
fn policy_under(convention: Option<&str>) -> Value {
    let mut p = policy();
    if let Some(c) = convention {
        p["endOfMonthConvention"] = json!(c);
    }
    p
}

/// The typed convention of [`policy_under`].
fn typed(convention: Option<&str>) -> delcredere::calendar::EndOfMonthConvention {
    match convention {
        Some("daysThenMonthEnd") => delcredere::calendar::EndOfMonthConvention::DaysThenMonthEnd,
        _ => delcredere::calendar::EndOfMonthConvention::MonthEndThenDays,
    }
}

/// Four buyers: a named limit reduced during the year, self-assessed cover, no cover, and a
/// buyer in a country the policy does not agree.
fn buyers() -> Vec<Value> {
    let purchases = json!({"purchases": [
        {"deliveryDate": "2025-11-01", "dueDate": "2025-12-31", "paidOn": "2025-12-20"},
        {"deliveryDate": "2025-12-01", "dueDate": "2026-01-30", "paidOn": "2026-01-30"}]});
    vec![
        json!({"buyer": buyer("Reduced AG", "DE"), "limitEvents": [
            {"type": "applied", "date": "2026-01-02", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-01-03", "amount": eur("50000")},
            {"type": "reduced", "date": "2026-03-10", "amount": eur("20000")}]}),
        json!({"buyer": buyer("Self Assessed BV", "NL"), "selfAssessment": purchases}),
        json!({"buyer": buyer("Nothing SARL", "FR")}),
        json!({"buyer": buyer("Elsewhere Inc", "US"), "limitEvents": [
            {"type": "applied", "date": "2026-01-02", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-01-03", "amount": eur("50000")}]}),
    ]
}

fn setup() -> BatchSetupDto {
    setup_under(None)
}

fn setup_under(convention: Option<&str>) -> BatchSetupDto {
    serde_json::from_value(json!({"policy": policy_under(convention), "buyers": buyers(), "asOf": AS_OF})).unwrap()
}

/// A seeded ledger in no particular order, with a few bad rows.
fn ledger(n: usize) -> Rows {
    ledger_of(n, 4)
}

/// [`ledger`] over a table of `buyers` buyers.
fn ledger_of(n: usize, buyers: u64) -> Rows {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let start = days_from_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    let mut rows = Rows::empty();
    for _ in 0..n {
        rows.buyer.push(next(buyers) as u32);
        rows.amount.push(10_000 + next(900_000) as i128);
        rows.date.push(start + next(260) as i32);
        rows.terms.push([0, 30, 60, 60, 90, 150][next(6) as usize]);
        rows.eom.push(next(5) == 0);
        rows.paid.push(if next(6) == 0 {
            rows.date.last().unwrap() + next(40) as i32
        } else {
            NO_DATE
        });
    }
    // Bad rows: a zero amount, a date before the policy starts, payment before delivery.
    rows.amount[3] = 0;
    rows.date[5] = days_from_date(NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
    rows.paid[8] = rows.date[8] - 1;
    rows
}

fn date(days: i32) -> NaiveDate {
    delcredere::batch::date_from_days(days).unwrap()
}

fn money(units: i128) -> String {
    Decimal::from_i128_with_scale(units, 2).to_string()
}

/// BAT-1, the slow way: what row `i`'s buyer owes before it, its earlier valid rows not yet
/// paid on the row's date.
fn slow_outstanding(rows: &Rows, bad: &[usize], i: usize, convention: Option<&str>) -> i128 {
    (0..rows.buyer.len())
        .filter(|&j| !bad.contains(&j) && rows.buyer[j] == rows.buyer[i])
        .filter(|&j| {
            (rows.date[j], j) < (rows.date[i], i)
                && paid_on_under(rows, j, delcredere::DayCount::ExcludeStartDay, convention) > rows.date[i]
        })
        .map(|j| rows.amount[j])
        .sum()
}

fn paid_on(rows: &Rows, i: usize) -> i32 {
    paid_on_under(rows, i, delcredere::DayCount::ExcludeStartDay, None)
}

/// [`paid_on`] with due dates counted under `count`, end-of-month terms read by `convention`.
fn paid_on_under(rows: &Rows, i: usize, count: delcredere::DayCount, convention: Option<&str>) -> i32 {
    if rows.paid[i] != NO_DATE {
        return rows.paid[i];
    }
    let terms = delcredere::PaymentTerms::new(rows.terms[i], rows.eom[i], typed(convention));
    days_from_date(terms.due_date(date(rows.date[i]), count).unwrap())
}

fn amount_of(d: &Decision, key: &str) -> String {
    d.amounts[key].amount.0.to_string()
}

#[test]
fn batch_cover_equals_check_delivery_cover_row_by_row_bat_1_bat_2() {
    assert_batch_equals_check_delivery_cover(buyers());
}

/// The first buyer's limit has a timeline of six stretches: granted 50,000 on 2026-01-05,
/// reduced to 30,000 from 2026-03-31, withdrawn from 2026-04-19, granted again at 40,000 on
/// 2026-05-04, raised to 60,000 from 2026-06-03 until 2026-07-15 (LIM-6), 40,000 again, cancelled
/// on 2026-08-01. Each delivery is judged by the limit in force on its
/// own date, in the batch as in the single op (LIM-1, LIM-3, LIM-4).
#[test]
fn batch_cover_follows_the_limit_timeline_like_check_delivery_cover_lim_1_lim_3_lim_4_lim_6() {
    let mut list = buyers();
    list[0]["limitEvents"] = json!([
        {"type": "applied", "date": "2026-01-02", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-01-05", "amount": eur("50000")},
        {"type": "reduced", "date": "2026-03-01", "amount": eur("30000")},
        {"type": "withdrawn", "date": "2026-03-20"},
        {"type": "applied", "date": "2026-05-01", "requestedAmount": eur("40000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-05-04", "amount": eur("40000")},
        {"type": "applied", "date": "2026-06-01", "requestedAmount": eur("60000"), "paymentTermsDays": 60},
        {"type": "granted", "date": "2026-06-03", "amount": eur("60000"), "until": "2026-07-15"},
        {"type": "cancelled", "date": "2026-08-01"}]);
    assert_batch_equals_check_delivery_cover(list);
}

/// Under each of the four countries' sample policies (spec/policies: CH self-assessment, DK no
/// small-buyer cover, BE automatic cover, FR none and a fixed premium), the batch gives every
/// row the figures of `check_delivery_cover` (BAT-1, BAT-2, DIS-1, DIS-7, LIM-1).
#[test]
fn batch_cover_equals_check_delivery_cover_under_each_sample_policy_bat_1_bat_2() {
    for country in ["ch", "dk", "be", "fr"] {
        let policy = serde_json::to_value(delcredere::sample::policy(country).unwrap()).unwrap();
        let currency = policy["currency"].as_str().unwrap().to_owned();
        let table: Vec<Value> = buyers()
            .into_iter()
            .map(|b| {
                // The buyers in the policy currency, and the Dutch one in Germany (every sample
                // policy agrees DE; only BE agrees NL).
                let text = b.to_string().replace("\"EUR\"", &format!("\"{currency}\""));
                serde_json::from_str(&text.replace("\"NL\"", "\"DE\"")).unwrap()
            })
            .collect();
        let (kinds, _) = rows_agree_with_check_delivery_cover(&policy, &table, &ledger(400));
        let expected: &[&str] = match country {
            "ch" => &["NamedLimit", "None", "SelfAssessed"],
            "be" => &["Automatic", "NamedLimit", "None"],
            _ => &["NamedLimit", "None"],
        };
        assert_eq!(
            kinds.iter().map(String::as_str).collect::<Vec<_>>(),
            expected,
            "{country}"
        );
    }
}

/// The same under the other reading of "N days end of month" (invoice date + N days, then
/// the end of that month): the batch and the per-call op read the rows alike.
#[test]
fn batch_cover_equals_check_delivery_cover_when_days_then_month_end_bat_1_bat_2() {
    let rows = ledger(400);
    let (kinds, partly) =
        rows_agree_with_check_delivery_cover(&policy_under(Some("daysThenMonthEnd")), &buyers(), &rows);
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(partly > 0, "{partly}");
    // And the reading matters on this ledger: what the buyers owe differs on some rows.
    let under = |c| {
        Batch::new(&setup_under(c))
            .unwrap()
            .cover(&view(&rows), Vec::new())
            .unwrap()
    };
    let (a, b) = (under(Some("monthEndThenDays")), under(Some("daysThenMonthEnd")));
    assert_same_figures(&a, &under(None));
    let differ = (0..rows.buyer.len())
        .filter(|&i| a.outstanding[i] != b.outstanding[i])
        .count();
    assert!(differ > 10, "{differ}");
}

/// The self-assessed buyer has a limit refused on 2026-06-01: deliveries before it keep their
/// self-assessed cover, those from it on (for 12 months) have none, in the batch as in the
/// single op (DIS-4 judged on the delivery date).
#[test]
fn batch_cover_judges_the_self_assessment_bar_on_the_delivery_date_like_check_delivery_cover_dis_4() {
    let mut list = buyers();
    list[1]["limitEvents"] = json!([
        {"type": "applied", "date": "2026-05-20", "requestedAmount": eur("50000"), "paymentTermsDays": 60},
        {"type": "refused", "date": "2026-06-01"}]);
    let rows = ledger(400);
    let (kinds, _) = rows_agree_with_check_delivery_cover(&policy(), &list, &rows);
    assert!(kinds.contains("SelfAssessed"), "{kinds:?}");
}

/// The self-assessed buyer's evidence changes during the ledger's year: two purchases of
/// 2025-03-01 and 2025-04-01 (the first leaves the 12-month window before a delivery on
/// 2026-03-02), a report of 2026-05-10 recommending 8,000, negative information learned
/// 2026-07-15. The batch judges each row on its own date, as the single op does (DIS-1, DIS-2):
/// self-assessed up to 2026-03-01, none to 2026-05-09, self-assessed (up to 8,000) to
/// 2026-07-14, none from 2026-07-15, all asked on 2026-10-01.
#[test]
fn batch_cover_judges_the_self_assessment_evidence_on_the_delivery_date_like_check_delivery_cover_dis_1_dis_2() {
    let mut list = buyers();
    list[1]["selfAssessment"] = json!({
        "purchases": [
            {"deliveryDate": "2025-03-01", "dueDate": "2025-04-30", "paidOn": "2025-04-20"},
            {"deliveryDate": "2025-04-01", "dueDate": "2025-05-31", "paidOn": "2025-05-25"}],
        "report": {"date": "2026-05-10", "recommendedMaximumCredit": eur("8000")},
        "negativeInformation": [{"date": "2026-07-15"}]});
    let rows = ledger(400);
    let (kinds, _) = rows_agree_with_check_delivery_cover(&policy(), &list, &rows);
    assert!(kinds.contains("SelfAssessed"), "{kinds:?}");
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy(), "buyers": list, "asOf": AS_OF})).unwrap();
    let out = Batch::new(&setup).unwrap().cover(&view(&rows), Vec::new()).unwrap();
    let day = |s: &str| days_from_date(s.parse().unwrap());
    let mut seen = [0usize; 4];
    // The buyer's valid rows on terms within the maximum credit period (120 days).
    let rows_of_buyer = (0..rows.buyer.len())
        .filter(|&i| rows.buyer[i] == 1 && ![3, 5, 8].contains(&i) && rows.terms[i] <= 90 && !rows.eom[i]);
    for i in rows_of_buyer {
        let date = rows.date[i];
        let (period, expected) = if date < day("2026-03-02") {
            (0, CoverType::SelfAssessed)
        } else if date < day("2026-05-10") {
            (1, CoverType::None)
        } else if date < day("2026-07-15") {
            (2, CoverType::SelfAssessed)
        } else {
            (3, CoverType::None)
        };
        assert_eq!(out.cover_type[i], expected, "row {i}");
        if period == 2 {
            assert!(out.covered[i] <= 800_000, "row {i}: {}", out.covered[i]);
        }
        seen[period] += 1;
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

fn assert_batch_equals_check_delivery_cover(buyers: Vec<Value>) {
    let buyers = || buyers.clone();
    let rows = ledger(400);
    let (kinds, partly) = rows_agree_with_check_delivery_cover(&policy(), &buyers(), &rows);
    // The ledger exercises every kind of cover and partial cover.
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(partly > 0, "{partly}");
}

/// Checks every row of `rows` under `policy` and the buyer table `table` against
/// `check_delivery_cover` given the outstanding that BAT-1 defines (BAT-1, BAT-2); rows 3, 5
/// and 8 are bad. Returns the cover types seen and the number of rows covered in part.
fn rows_agree_with_check_delivery_cover(
    policy: &Value,
    table: &[Value],
    rows: &Rows,
) -> (std::collections::BTreeSet<String>, usize) {
    let bad = [3usize, 5, 8];
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy, "buyers": table, "asOf": AS_OF})).unwrap();
    let batch = Batch::new(&setup).unwrap();
    let out = batch.cover(&view(rows), Vec::new()).unwrap();
    assert_eq!(out.scale, 2);
    let errors: Vec<(usize, &str, &str)> = out.errors.iter().map(|(i, e)| (*i, e.code(), e.field())).collect();
    assert_eq!(
        errors,
        vec![
            (3, "out_of_range", "rows[3].amount"),
            (5, "date_order", "rows[5].date"),
            (8, "date_order", "rows[8].paid_on")
        ]
    );
    let mut kinds = std::collections::BTreeSet::new();
    let mut partly = 0;
    for i in 0..rows.buyer.len() {
        if bad.contains(&i) {
            assert_eq!((out.covered[i], out.uncovered[i]), (0, 0));
            continue;
        }
        let outstanding = slow_outstanding(rows, &bad, i, policy["endOfMonthConvention"].as_str());
        assert_eq!(out.outstanding[i], outstanding, "row {i}");
        let entry = &table[rows.buyer[i] as usize];
        let input: CheckDeliveryCoverInput = serde_json::from_value(json!({
            "policy": policy,
            "buyer": entry["buyer"],
            "limitEvents": entry.get("limitEvents").cloned().unwrap_or(json!([])),
            "selfAssessment": entry.get("selfAssessment").cloned(),
            "outstanding": {"amount": money(outstanding), "currency": policy["currency"]},
            "delivery": {"amount": {"amount": money(rows.amount[i]), "currency": policy["currency"]}, "date": date(rows.date[i]).to_string(),
                         "paymentTermsDays": rows.terms[i], "endOfMonth": rows.eom[i]},
            "asOf": AS_OF,
        }))
        .unwrap();
        let decision = check_delivery_cover(&input).unwrap();
        assert_eq!(money(out.covered[i]), amount_of(&decision, "coveredAmount"), "row {i}");
        assert_eq!(
            money(out.uncovered[i]),
            amount_of(&decision, "uncoveredAmount"),
            "row {i}"
        );
        let expected_type = serde_json::to_value(&decision.details).unwrap()["coverType"].clone();
        assert_eq!(
            serde_json::to_value(out.cover_type[i]).unwrap(),
            expected_type,
            "row {i}"
        );
        kinds.insert(format!("{:?}", out.cover_type[i]));
        partly += usize::from(out.covered[i] > 0 && out.uncovered[i] > 0);
    }
    (kinds, partly)
}

/// BAT-1 over delivery dates centuries apart and payments long after the last delivery: the
/// row pass then finds the delivery day of a payment by search rather than in a table of days.
#[test]
fn outstanding_over_dates_centuries_apart_is_that_of_the_slow_way_bat_1() {
    let mut rows = ledger(400);
    for i in (0..rows.date.len()).step_by(7) {
        rows.date[i] += 100_000;
        if rows.paid[i] != NO_DATE {
            rows.paid[i] += 100_000;
        }
    }
    for i in (2..rows.date.len()).step_by(11) {
        rows.paid[i] = rows.date[i] + 200_000;
    }
    let bad = [3usize, 5, 8];
    let out = Batch::new(&setup()).unwrap().cover(&view(&rows), Vec::new()).unwrap();
    let errors: Vec<usize> = out.errors.iter().map(|(i, _)| *i).collect();
    assert_eq!(errors, bad);
    let mut owing = 0;
    for i in (0..rows.buyer.len()).filter(|i| !bad.contains(i)) {
        let outstanding = slow_outstanding(&rows, &bad, i, None);
        assert_eq!(out.outstanding[i], outstanding, "row {i}");
        owing += usize::from(outstanding > 0);
    }
    assert!(owing > 100, "{owing}");
}

#[test]
fn outstanding_of_amounts_over_32_bits_of_cents_is_that_of_the_slow_way_bat_1() {
    // The pass queues a payment with its amount when that fits in 32 bits of units, and reads
    // the row back otherwise: both kinds, mixed, sorted and not.
    let mut rows = ledger(400);
    for i in (1..rows.amount.len()).step_by(3) {
        rows.amount[i] = (1i128 << 32) + 7 * i as i128;
    }
    rows.amount[4] = i128::from(u32::MAX);
    let bad = [3usize, 5, 8];
    let batch = Batch::new(&setup()).unwrap();
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    let (in_order, perm) = sorted(&rows);
    let sorted_out = batch.cover(&view(&in_order), Vec::new()).unwrap();
    let mut wide = 0;
    for i in (0..rows.buyer.len()).filter(|i| !bad.contains(i)) {
        let outstanding = slow_outstanding(&rows, &bad, i, None);
        assert_eq!(out.outstanding[i], outstanding, "row {i}");
        wide += usize::from(outstanding > i128::from(u32::MAX));
    }
    for (k, &i) in perm.iter().enumerate() {
        assert_eq!(sorted_out.outstanding[k], out.outstanding[i], "row {i} sorted");
    }
    assert!(wide > 100, "{wide}");
}

/// Every row of `a` has the figures and the error it has in `b`.
fn assert_same_figures(a: &CoverColumns, b: &CoverColumns) {
    assert_eq!(a.errors, b.errors);
    assert_eq!(a.covered.len(), b.covered.len());
    let figures = |out: &CoverColumns, i: usize| {
        (
            out.outstanding[i],
            out.covered[i],
            out.uncovered[i],
            out.cover_type[i],
            out.status[i],
            out.report_by[i],
        )
    };
    for i in 0..a.covered.len() {
        assert_eq!(figures(a, i), figures(b, i), "row {i}");
    }
}

#[test]
fn a_ledger_without_an_end_of_month_column_has_the_figures_of_one_with_every_flag_false_bat_1_bat_2() {
    // The row pass without the column leaves out what end-of-month terms would change.
    let batch = Batch::new(&setup()).unwrap();
    let mut rows = ledger(400);
    rows.eom.fill(false);
    for i in (0..rows.buyer.len()).step_by(4) {
        if i != 8 {
            rows.paid[i] = rows.date[i] + (i as i32 * 41) % 280;
        }
    }
    let with = batch.cover(&view(&rows), Vec::new()).unwrap();
    let without = Ledger {
        end_of_month: None,
        ..view(&rows)
    };
    assert_same_figures(&batch.cover(&without, Vec::new()).unwrap(), &with);
    assert!(with.covered.iter().any(|&c| c > 0));
    assert!(with.cover_type.contains(&CoverType::None));
}

#[test]
fn sums_past_64_bits_give_the_figures_of_sums_within_them_bat_1_bat_2() {
    // The row pass adds amounts in i64 while the rows times the largest amount stay under
    // 2^61, else in i128. Row 5 is bad in both (delivered before the policy starts): 2^62
    // units there make the pass add in i128, and no row's figures may change. Buyer 0's limit,
    // 10^20 EUR (10^22 cents), is itself past i64: the i64 pass saturates it.
    let mut table = buyers();
    let huge = eur("100000000000000000000");
    table[0]["limitEvents"][0]["requestedAmount"] = huge.clone();
    table[0]["limitEvents"][1]["amount"] = huge;
    table[0]["limitEvents"][2]["amount"] = eur("10000000000000000000");
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy(), "buyers": table, "asOf": AS_OF})).unwrap();
    let batch = Batch::new(&setup).unwrap();
    let narrow = batch.cover(&view(&ledger(400)), Vec::new()).unwrap();
    let mut rows = ledger(400);
    rows.amount[5] = 1 << 62;
    let wide = batch.cover(&view(&rows), Vec::new()).unwrap();
    assert_same_figures(&wide, &narrow);
    assert_eq!(wide.errors[1].1.field(), "rows[5].date");
    // Under that limit, buyer 0 has rows covered in full with more than the 50,000 EUR of the
    // other tests' limit already owed.
    let full = (0..rows.buyer.len())
        .filter(|&i| rows.buyer[i] == 0 && wide.outstanding[i] > 5_000_000)
        .filter(|&i| wide.cover_type[i] == CoverType::NamedLimit && wide.covered[i] == rows.amount[i])
        .count();
    assert!(full > 10, "{full}");
}

#[test]
fn rows_named_bad_by_the_caller_are_skipped_and_reported_in_order() {
    let rows = ledger(50);
    let batch = Batch::new(&setup()).unwrap();
    let pre = vec![(
        10,
        Error::MissingField {
            field: "rows[10].amount".into(),
        },
    )];
    let out = batch.cover(&view(&rows), pre).unwrap();
    let indices: Vec<usize> = out.errors.iter().map(|e| e.0).collect();
    assert_eq!(indices, vec![3, 5, 8, 10]);
    assert_eq!(out.cover_type[10], CoverType::None);
}

#[test]
fn exposures_give_peak_and_current_per_buyer_bat_3() {
    let rows = ledger(400);
    let bad = [3usize, 5, 8];
    let batch = Batch::new(&setup()).unwrap();
    let (exposures, errors) = batch.exposures(&view(&rows), Vec::new()).unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(exposures.len(), 4);
    let as_of = days_from_date(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    for (b, e) in exposures.iter().enumerate() {
        let mine: Vec<usize> = (0..rows.buyer.len())
            .filter(|&j| !bad.contains(&j) && rows.buyer[j] as usize == b)
            .collect();
        assert_eq!(e.rows, mine.len());
        let owed_at = |d: i32| -> i128 {
            mine.iter()
                .filter(|&&j| rows.date[j] <= d && paid_on(&rows, j) > d)
                .map(|&j| rows.amount[j])
                .sum()
        };
        assert_eq!(money(owed_at(as_of)), e.current.amount.to_string(), "buyer {b}");
        let peak = mine.iter().map(|&j| owed_at(rows.date[j])).max().unwrap_or(0);
        assert_eq!(money(peak), e.peak.amount.to_string(), "buyer {b}");
    }
    assert_eq!(exposures[0].limit.unwrap().amount, Decimal::from(20000));
    assert_eq!(exposures[1].cover_type, CoverType::SelfAssessed);
    assert_eq!(exposures[3].cover_type, CoverType::NamedLimit);
}

#[test]
fn a_bad_buyer_is_named_by_position() {
    let mut value = json!({"policy": policy(), "buyers": buyers(), "asOf": AS_OF});
    value["buyers"][2]["limitEvents"] = json!([{"type": "granted", "date": "2026-11-01", "amount": eur("5")}]);
    let setup: BatchSetupDto = serde_json::from_value(value).unwrap();
    let error = Batch::new(&setup).unwrap_err();
    assert!(error.field().starts_with("buyers[2].limitEvents[0]"), "{error}");
}

#[test]
fn limits_with_more_decimals_than_the_amounts_raise_the_scale() {
    let mut value = json!({"policy": policy(), "buyers": buyers(), "asOf": AS_OF});
    value["buyers"][0]["limitEvents"][1]["amount"] = eur("50000.125");
    value["buyers"][0]["limitEvents"][2]["amount"] = eur("20000.125");
    let setup: BatchSetupDto = serde_json::from_value(value).unwrap();
    let batch = Batch::new(&setup).unwrap();
    let rows = Rows {
        buyer: vec![0, 0],
        amount: vec![4_000_000, 2_000_000],
        date: vec![days_from_date(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()); 2],
        terms: vec![60, 60],
        eom: vec![false, false],
        paid: vec![NO_DATE, NO_DATE],
    };
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    assert_eq!(out.scale, 3);
    assert_eq!(out.covered, vec![40_000_000, 10_000_125]);
    assert_eq!(out.uncovered, vec![0, 9_999_875]);
}

/// Where a row stands on `asOf` and its reporting deadline (BAT-4) agree, row by row, with
/// op `overdue_report` for that one invoice (OVD-1, OVD-4, DIS-6).
#[test]
fn overdue_status_and_report_by_agree_with_overdue_report_bat_4() {
    overdue_status_and_report_by_agree(delcredere::DayCount::ExcludeStartDay, None);
}

/// The same with the start day counted (the batch's day arithmetic on day numbers).
#[test]
fn overdue_status_and_report_by_agree_with_overdue_report_when_the_start_day_counts_bat_4() {
    overdue_status_and_report_by_agree(delcredere::DayCount::IncludeStartDay, None);
}

fn overdue_status_and_report_by_agree(count: delcredere::DayCount, convention: Option<&str>) {
    let seen = overdue_status_agrees(policy_under(convention), buyers(), count);
    // The ledger reaches every status.
    assert_eq!(seen.len(), 6, "{seen:?}");
}

/// The same with end-of-month terms read as invoice date + N days, then the end of that
/// month, with the start day not counted and counted.
#[test]
fn overdue_status_and_report_by_agree_with_overdue_report_when_days_then_month_end_bat_4() {
    overdue_status_and_report_by_agree(delcredere::DayCount::ExcludeStartDay, Some("daysThenMonthEnd"));
    overdue_status_and_report_by_agree(delcredere::DayCount::IncludeStartDay, Some("daysThenMonthEnd"));
}

/// The check of [`overdue_status_and_report_by_agree_with_overdue_report_bat_4`] under `policy`
/// (its `endOfMonthConvention` too) and the buyer table `table`; returns the statuses seen. A
/// row under automatic cover has the duties of a named limit (DIS-7).
fn overdue_status_agrees(
    policy: Value,
    table: Vec<Value>,
    count: delcredere::DayCount,
) -> std::collections::BTreeSet<String> {
    let convention = policy["endOfMonthConvention"].as_str().map(str::to_owned);
    let convention = convention.as_deref();
    let buyers = table.len() as u64;
    let mut value = json!({"policy": policy, "buyers": table, "asOf": AS_OF});
    value["policy"]["overdueReportingThreshold"] = eur("5000.00");
    if count == delcredere::DayCount::IncludeStartDay {
        value["policy"]["dayCount"] = json!("includeStartDay");
    }
    let setup: BatchSetupDto = serde_json::from_value(value.clone()).unwrap();
    let batch = Batch::new(&setup).unwrap();
    let mut rows = ledger_of(600, buyers);
    // Some late payers, some still unpaid on asOf.
    for i in (0..rows.buyer.len()).step_by(3) {
        if i != 8 {
            rows.paid[i] = rows.date[i] + (i as i32 * 37) % 300;
        }
    }
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    let as_of = days_from_date(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..rows.buyer.len() {
        if out.errors.iter().any(|e| e.0 == i) {
            assert_eq!(out.status[i], None, "row {i}");
            continue;
        }
        if rows.date[i] > as_of || out.cover_type[i] == CoverType::None {
            assert_eq!((out.status[i], out.report_by[i]), (None, NO_DATE), "row {i}");
            continue;
        }
        let paid = paid_on_under(&rows, i, count, convention);
        let payments = if paid <= as_of {
            json!([{"date": date(paid).to_string(), "amount": eur(&money(rows.amount[i]))}])
        } else {
            json!([])
        };
        let kind = if out.cover_type[i] == CoverType::SelfAssessed {
            "selfAssessed"
        } else {
            "namedLimit"
        };
        let input = json!({"policy": value["policy"], "coverKind": kind, "asOf": AS_OF, "invoices": [{
            "reference": format!("row {i}"), "amount": eur(&money(rows.amount[i])),
            "invoiceDate": date(rows.date[i]).to_string(), "paymentTermsDays": rows.terms[i],
            "endOfMonth": rows.eom[i], "payments": payments}]});
        let decision = delcredere::overdue::overdue_report(&serde_json::from_value(input).unwrap()).unwrap();
        let summary = &serde_json::to_value(&decision.details).unwrap()["invoices"][0];
        let status = serde_json::to_value(out.status[i]).unwrap();
        assert_eq!(status, summary["status"], "row {i}");
        seen.insert(status.as_str().unwrap().to_owned());
        let open_above = paid > as_of && rows.amount[i] > 500_000;
        let expected = if summary["status"] == "toReport" {
            summary["reportBy"].as_str().unwrap().to_owned()
        } else if kind == "namedLimit" && open_above {
            // Not yet reportable: the deadline is the day after the extension period (OVD-1).
            let ends: NaiveDate = summary["extensionEnds"].as_str().unwrap().parse().unwrap();
            ends.succ_opt().unwrap().to_string()
        } else {
            String::new()
        };
        let mine = if out.report_by[i] == NO_DATE {
            String::new()
        } else {
            date(out.report_by[i]).to_string()
        };
        assert_eq!(mine, expected, "row {i}");
    }
    seen
}

fn one_buyer_setup(deductible: Option<&str>) -> BatchSetupDto {
    let mut policy = policy();
    if let Some(d) = deductible {
        policy["deductible"] = eur(d);
    }
    serde_json::from_value(json!({"policy": policy, "asOf": AS_OF, "buyers": [
        {"buyer": buyer("Thirty AG", "DE"), "limitEvents": [
            {"type": "applied", "date": "2026-01-02", "requestedAmount": eur("30000"), "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-01-03", "amount": eur("30000")}]}]}))
    .unwrap()
}

/// BAT-4, BAT-5 and BAT-6 worked by hand. Limit 30,000.00 from 3 January; asOf 1 October 2026.
/// - r0 1 Feb, 12,000.00 on 60 days: due 2 April, paid then (nothing open on asOf).
/// - r1 1 Mar, 4,000.00 on 30 days, paid 1 December: due 31 March, the extension (60 days)
///   ends 30 May, reportable from 31 May: `toReport` by 2026-05-31. Owed before: r0's
///   12,000.00, so covered 4,000.00.
/// - r2 1 Aug, 25,000.00 on 90 days: due 30 October, `notDue`, its deadline would be
///   30 Oct + 60 + 1 = 30 December. r1 is overdue past its reporting date and unpaid on 1 Aug:
///   new receivables are excluded (OVD-2, BAT-6): covered 0.00, uncovered 25,000.00.
/// - r3 1 Sep, 10,000.00 on 60 days: due 31 October, deadline 31 December; excluded too.
///
/// Open covered on asOf: r1's 4,000.00 (r2 and r3 are open but not covered); expected indemnity
/// at 90 %: 3,600.00; with a deductible of 1,000.00: (4,000 − 1,000) × 90 % = 2,700.00 (CLM-5).
/// Without r1's late payment (paid when due), nothing is excluded: r2 covered 25,000.00 (owed
/// before: 0), r3 covered 5,000.00 (owed 25,000.00), open covered 30,000.00, indemnity 27,000.00.
fn day(m: u32, d: u32) -> i32 {
    days_from_date(NaiveDate::from_ymd_opt(2026, m, d).unwrap())
}

/// The four rows worked by hand below, r1 paid on `r1_paid`.
fn worked_rows(r1_paid: i32) -> Rows {
    Rows {
        buyer: vec![0, 0, 0, 0],
        amount: vec![1_200_000, 400_000, 2_500_000, 1_000_000],
        date: vec![day(2, 1), day(3, 1), day(8, 1), day(9, 1)],
        terms: vec![60, 30, 90, 60],
        eom: vec![false; 4],
        paid: vec![NO_DATE, r1_paid, NO_DATE, NO_DATE],
    }
}

#[test]
fn deadlines_exclusion_and_expected_indemnity_worked_by_hand_bat_4_bat_5_bat_6() {
    let rows = worked_rows(day(12, 1));
    let batch = Batch::new(&one_buyer_setup(None)).unwrap();
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    assert_eq!(out.covered, vec![1_200_000, 400_000, 0, 0]);
    assert_eq!(out.uncovered, vec![0, 0, 2_500_000, 1_000_000]);
    use delcredere::overdue::InvoiceStatus::{NotDue, Paid, ToReport};
    assert_eq!(out.status, vec![Some(Paid), Some(ToReport), Some(NotDue), Some(NotDue)]);
    assert_eq!(out.report_by, vec![NO_DATE, day(5, 31), day(12, 30), day(12, 31)]);

    let (exposures, _) = batch.exposures(&view(&rows), Vec::new()).unwrap();
    assert_eq!(exposures[0].open_covered.amount.to_string(), "4000.00");
    assert_eq!(exposures[0].expected_indemnity.amount.to_string(), "3600.00");
    let with_deductible = Batch::new(&one_buyer_setup(Some("1000.00"))).unwrap();
    let (exposures, _) = with_deductible.exposures(&view(&rows), Vec::new()).unwrap();
    assert_eq!(exposures[0].expected_indemnity.amount.to_string(), "2700.00");

    let on_time = Rows {
        paid: vec![NO_DATE; 4],
        ..rows
    };
    let out = batch.cover(&view(&on_time), Vec::new()).unwrap();
    assert_eq!(out.covered, vec![1_200_000, 400_000, 2_500_000, 500_000]);
    let (exposures, _) = batch.exposures(&view(&on_time), Vec::new()).unwrap();
    assert_eq!(exposures[0].open_covered.amount.to_string(), "30000.00");
    assert_eq!(exposures[0].expected_indemnity.amount.to_string(), "27000.00");
}

/// BAT-4 with "30 days end of month" worked by hand under both readings (limit 30,000.00 from
/// 3 January, rows of 1,000.00 paid on 1 December, so open on asOf 1 October, maximum
/// extension 60 days):
/// - 31 Jan: `monthEndThenDays` 31 Jan + 30 = 2 Mar, extension ends 1 May, report by 2 May;
///   `daysThenMonthEnd` 31 Jan + 30 = 2 Mar -> 31 Mar, extension ends 30 May, report by 31 May.
/// - 10 Feb (a 28-day month): 28 Feb + 30 = 30 Mar -> report by 30 May; 10 Feb + 30 = 12 Mar
///   -> 31 Mar -> report by 31 May.
/// - 10 Apr (a 30-day month): 30 Apr + 30 = 30 May -> report by 30 Jul; 10 Apr + 30 = 10 May
///   -> 31 May, extension ends 30 Jul -> report by 31 Jul.
///
/// Every row is delivered before the first reporting date, so none is excluded.
#[test]
fn end_of_month_deadlines_worked_by_hand_under_both_readings_bat_4() {
    let rows = Rows {
        buyer: vec![0, 0, 0],
        amount: vec![100_000; 3],
        date: vec![day(1, 31), day(2, 10), day(4, 10)],
        terms: vec![30; 3],
        eom: vec![true; 3],
        paid: vec![day(12, 1); 3],
    };
    for (convention, report_by) in [
        (None, [day(5, 2), day(5, 30), day(7, 30)]),
        (Some("monthEndThenDays"), [day(5, 2), day(5, 30), day(7, 30)]),
        (Some("daysThenMonthEnd"), [day(5, 31), day(5, 31), day(7, 31)]),
    ] {
        let mut setup = one_buyer_setup(None);
        setup.policy = serde_json::from_value(policy_under(convention)).unwrap();
        let out = Batch::new(&setup).unwrap().cover(&view(&rows), Vec::new()).unwrap();
        assert_eq!(out.covered, vec![100_000; 3], "{convention:?}");
        assert_eq!(out.outstanding, vec![0, 100_000, 200_000], "{convention:?}");
        use delcredere::overdue::InvoiceStatus::ToReport;
        assert_eq!(out.status, vec![Some(ToReport); 3], "{convention:?}");
        assert_eq!(out.report_by, report_by.to_vec(), "{convention:?}");
    }
}

/// BAT-6: the exclusion ends when the overdue that triggered it is paid. The rows of
/// [`deadlines_exclusion_and_expected_indemnity_worked_by_hand_bat_4_bat_5_bat_6`], but r1 paid
/// on 15 August: unpaid past its reporting date (31 May) on 1 August, so r2 is still excluded
/// (covered 0.00); paid before 1 September, so r3 is covered again: owed before it r2's
/// 25,000.00 (r0 and r1 are paid), limit 30,000.00, covered 5,000.00, uncovered 5,000.00.
/// Owed before each row: nothing; r0's 12,000.00 (due 2 April); r1's 4,000.00 (paid 15
/// August); r2's 25,000.00. The same rows in reverse order (the ledger not sorted by date)
/// give the same figures.
#[test]
fn an_exclusion_ends_when_its_overdue_is_paid_sorted_or_not_bat_6() {
    let rows = worked_rows(day(8, 15));
    let batch = Batch::new(&one_buyer_setup(None)).unwrap();
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    assert_eq!(out.covered, vec![1_200_000, 400_000, 0, 500_000]);
    assert_eq!(out.uncovered, vec![0, 0, 2_500_000, 500_000]);
    assert_eq!(out.outstanding, vec![0, 1_200_000, 400_000, 2_500_000]);
    let reversed = Rows {
        buyer: rows.buyer.iter().rev().copied().collect(),
        amount: rows.amount.iter().rev().copied().collect(),
        date: rows.date.iter().rev().copied().collect(),
        terms: rows.terms.iter().rev().copied().collect(),
        eom: rows.eom.iter().rev().copied().collect(),
        paid: rows.paid.iter().rev().copied().collect(),
    };
    let back = batch.cover(&view(&reversed), Vec::new()).unwrap();
    assert_eq!(back.covered, vec![500_000, 0, 400_000, 1_200_000]);
    assert_eq!(back.outstanding, vec![2_500_000, 400_000, 1_200_000, 0]);
}

/// BAT-6: a delivery is taken out of cover exactly when `check_delivery_cover`, asked on the
/// delivery date with the buyer's earlier rows as its overdue invoices (payments up to that
/// date), finds an exclusion after an unpaid overdue (OVD-2, OVD-3, DIS-6); otherwise its cover
/// is BAT-2's (`check_delivery_cover` on `asOf` without overdues).
#[test]
fn exclusion_after_an_overdue_agrees_with_check_delivery_cover_on_the_delivery_date_bat_6() {
    let reasons = exclusion_agrees_with_check_delivery_cover(&policy(), &buyers(), ledger(300));
    // The ledger reaches the exclusion under a named limit and for a self-assessed buyer.
    for code in ["new_receivables_excluded", "self_assessed_deliveries_excluded"] {
        assert!(reasons.contains(code), "{code} not reached: {reasons:?}");
    }
}

/// BAT-6 with the insurer's confirmation of continued cover for the named-limit buyer: it
/// keeps cover through every overdue, after the exclusion period too (OVD-2, OVD-3 CH).
#[test]
fn a_confirmed_buyer_agrees_with_check_delivery_cover_on_the_delivery_date_bat_6_ovd_3() {
    let mut table = buyers();
    table[0]["continuedCoverConfirmed"] = json!(true);
    let reasons = exclusion_agrees_with_check_delivery_cover(&policy(), &table, ledger(300));
    // Confirmed, the named-limit buyer reaches the confirmation after the exclusion period.
    for code in ["continued_cover_confirmed", "self_assessed_deliveries_excluded"] {
        assert!(reasons.contains(code), "{code} not reached: {reasons:?}");
    }
    assert!(!reasons.contains("new_receivables_excluded") && !reasons.contains("exclusion_period_exceeded"));
}

/// The check of [`exclusion_after_an_overdue_agrees_with_check_delivery_cover_on_the_delivery_date_bat_6`]
/// under `policy` and the buyer table `table` (a buyer's `continuedCoverConfirmed` is passed to
/// the single op as the insurer's confirmation), on `rows` with some late payments added;
/// returns the reason codes `check_delivery_cover` gave on the delivery dates.
fn exclusion_agrees_with_check_delivery_cover(
    policy: &Value,
    table: &[Value],
    mut rows: Rows,
) -> std::collections::BTreeSet<String> {
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy, "buyers": table, "asOf": AS_OF})).unwrap();
    let batch = Batch::new(&setup).unwrap();
    for i in (0..rows.buyer.len()).step_by(3) {
        if i != 8 {
            rows.paid[i] = rows.date[i] + (i as i32 * 37) % 300;
        }
    }
    let bad = [3usize, 5, 8];
    let out = batch.cover(&view(&rows), Vec::new()).unwrap();
    let mut reasons = std::collections::BTreeSet::new();
    for i in 0..rows.buyer.len() {
        if bad.contains(&i) {
            continue;
        }
        let (b, d) = (rows.buyer[i], rows.date[i]);
        let earlier: Vec<usize> = (0..rows.buyer.len())
            .filter(|&j| !bad.contains(&j) && rows.buyer[j] == b && (rows.date[j], j) < (d, i))
            .collect();
        let outstanding: i128 = earlier
            .iter()
            .filter(|&&j| paid_on(&rows, j) > d)
            .map(|&j| rows.amount[j])
            .sum();
        let invoices: Vec<Value> = earlier
            .iter()
            .map(|&j| {
                let paid = paid_on(&rows, j);
                let payments = if paid <= d {
                    json!([{"date": date(paid).to_string(), "amount": eur(&money(rows.amount[j]))}])
                } else {
                    json!([])
                };
                json!({"reference": format!("row {j}"), "amount": eur(&money(rows.amount[j])),
                       "invoiceDate": date(rows.date[j]).to_string(), "paymentTermsDays": rows.terms[j],
                       "endOfMonth": rows.eom[j], "payments": payments})
            })
            .collect();
        let entry = &table[b as usize];
        let events: Vec<Value> = entry
            .get("limitEvents")
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .filter(|ev| ev["date"].as_str().unwrap() <= date(d).to_string().as_str())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let input: CheckDeliveryCoverInput = serde_json::from_value(json!({
            "policy": policy, "buyer": entry["buyer"], "limitEvents": events,
            "selfAssessment": entry.get("selfAssessment").cloned(),
            "outstanding": eur(&money(outstanding)),
            "delivery": {"amount": eur(&money(rows.amount[i])), "date": date(d).to_string(),
                         "paymentTermsDays": rows.terms[i], "endOfMonth": rows.eom[i]},
            "overdue": {"invoices": invoices, "continuedCoverConfirmed": entry.get("continuedCoverConfirmed").and_then(Value::as_bool).unwrap_or(false)},
            "asOf": date(d).to_string(),
        }))
        .unwrap();
        let on_the_day = check_delivery_cover(&input).unwrap();
        let codes: Vec<String> = on_the_day
            .reasons
            .iter()
            .map(|r| serde_json::to_value(r.code).unwrap().as_str().unwrap().to_owned())
            .collect();
        let excluded = codes.iter().any(|c| {
            [
                "new_receivables_excluded",
                "exclusion_period_exceeded",
                "self_assessed_deliveries_excluded",
            ]
            .contains(&c.as_str())
        });
        let bat_2: CheckDeliveryCoverInput = serde_json::from_value(json!({
            "policy": policy, "buyer": entry["buyer"],
            "limitEvents": entry.get("limitEvents").cloned().unwrap_or(json!([])),
            "selfAssessment": entry.get("selfAssessment").cloned(),
            "outstanding": eur(&money(outstanding)),
            "delivery": {"amount": eur(&money(rows.amount[i])), "date": date(d).to_string(),
                         "paymentTermsDays": rows.terms[i], "endOfMonth": rows.eom[i]},
            "asOf": AS_OF,
        }))
        .unwrap();
        let expected = if excluded {
            "0.00".to_owned()
        } else {
            amount_of(&check_delivery_cover(&bat_2).unwrap(), "coveredAmount")
        };
        assert_eq!(money(out.covered[i]), expected, "row {i}: {codes:?}");
        assert_eq!(out.covered[i] + out.uncovered[i], rows.amount[i], "row {i}");
        reasons.extend(codes);
    }
    reasons
}

/// The ledger of [`ledger`] sorted by (date, row), and for each sorted row its row before.
fn sorted(rows: &Rows) -> (Rows, Vec<usize>) {
    let mut perm: Vec<usize> = (0..rows.buyer.len()).collect();
    perm.sort_by_key(|&i| (rows.date[i], i));
    let pick = |v: &Vec<i32>| perm.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let sorted = Rows {
        buyer: perm.iter().map(|&i| rows.buyer[i]).collect(),
        amount: perm.iter().map(|&i| rows.amount[i]).collect(),
        date: pick(&rows.date),
        terms: perm.iter().map(|&i| rows.terms[i]).collect(),
        eom: perm.iter().map(|&i| rows.eom[i]).collect(),
        paid: pick(&rows.paid),
    };
    (sorted, perm)
}

#[test]
fn a_ledger_sorted_by_date_gives_each_row_the_figures_it_has_unsorted_bat_1_bat_2_bat_4_bat_6() {
    // Sorted ledgers take the pass in row order (appending the result columns); unsorted ones
    // are ordered first. Both must give a row the same figures. Late payments make some
    // overdues trigger exclusions (BAT-6); the bad rows 3, 5 and 8 and a row the caller names
    // bad (10) are skipped in both. The unsorted rows span several of the blocks (1,024 rows)
    // that the pass gathers at a time.
    let batch = Batch::new(&setup()).unwrap();
    let mut rows = ledger(2_500);
    for i in (0..rows.buyer.len()).step_by(4) {
        if i != 8 {
            rows.paid[i] = rows.date[i] + (i as i32 * 41) % 280;
        }
    }
    let caller_bad = |at: usize| {
        vec![(
            at,
            Error::MissingField {
                field: format!("rows[{at}].amount"),
            },
        )]
    };
    let unsorted = batch.cover(&view(&rows), caller_bad(10)).unwrap();
    let (in_order, perm) = sorted(&rows);
    let at = perm.iter().position(|&i| i == 10).unwrap();
    let out = batch.cover(&view(&in_order), caller_bad(at)).unwrap();
    assert_eq!(out.covered.len(), rows.buyer.len());
    assert!(unsorted.status.iter().any(|s| s.is_some()));
    assert!(unsorted.covered.iter().any(|&c| c > 0));
    for (k, &i) in perm.iter().enumerate() {
        assert_eq!(out.outstanding[k], unsorted.outstanding[i], "outstanding of row {i}");
        assert_eq!(out.covered[k], unsorted.covered[i], "covered of row {i}");
        assert_eq!(out.uncovered[k], unsorted.uncovered[i], "uncovered of row {i}");
        assert_eq!(out.cover_type[k], unsorted.cover_type[i], "cover type of row {i}");
        assert_eq!(out.status[k], unsorted.status[i], "status of row {i}");
        assert_eq!(out.report_by[k], unsorted.report_by[i], "report_by of row {i}");
    }
    let bad_sorted: Vec<usize> = out.errors.iter().map(|e| perm[e.0]).collect();
    let mut bad_sorted = bad_sorted;
    bad_sorted.sort_unstable();
    let bad: Vec<usize> = unsorted.errors.iter().map(|e| e.0).collect();
    assert_eq!(bad, vec![3, 5, 8, 10]);
    assert_eq!(bad_sorted, bad);
    // A bad row's figures are zero and it has no cover, as unsorted.
    for &i in &bad {
        let k = perm.iter().position(|&j| j == i).unwrap();
        assert_eq!(
            (out.covered[k], out.outstanding[k], out.cover_type[k]),
            (0, 0, CoverType::None)
        );
        assert_eq!((out.status[k], out.report_by[k]), (None, NO_DATE));
    }
}

#[test]
fn cover_type_and_status_names_are_their_json_strings_in_declaration_order() {
    // The Python batch writes these names into its string columns by position.
    for (k, t) in CoverType::ALL.into_iter().enumerate() {
        assert_eq!(t as usize, k);
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
    }
    for (k, s) in delcredere::overdue::InvoiceStatus::ALL.into_iter().enumerate() {
        assert_eq!(s as usize, k);
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
    }
}

/// A Belgian-like policy: automatic cover of 20,000.00 per buyer (DIS-7), no self-assessment,
/// public buyers expressly covered (PRM-4).
fn be_policy() -> Value {
    let mut p = policy();
    let terms = p.as_object_mut().unwrap();
    for key in [
        "selfAssessmentAgreed",
        "discretionaryLimit",
        "creditChecksInsideDiscretionaryLimit",
    ] {
        terms.remove(key);
    }
    terms.insert("automaticCover".into(), eur("20000"));
    terms.insert("publicBuyersCovered".into(), json!(true));
    p
}

fn applied(date: &str, amount: &str) -> Value {
    json!({"type": "applied", "date": date, "requestedAmount": eur(amount), "paymentTermsDays": 60})
}

/// Seven buyers under [`be_policy`]: a named limit reduced during the year; automatic cover
/// throughout; a limit refused mid-year, which ends automatic cover (DIS-7); a refusal, then a
/// limit granted and reduced (three switches of the cap); a limit withdrawn; a public body with
/// a named limit (PRM-4); a buyer in a country the policy does not agree.
fn be_buyers() -> Vec<Value> {
    vec![
        buyers()[0].clone(),
        json!({"buyer": buyer("Automatisch BV", "BE")}),
        json!({"buyer": buyer("Geweigerd NV", "BE"), "limitEvents": [
            applied("2026-05-01", "50000"), {"type": "refused", "date": "2026-05-10"}]}),
        json!({"buyer": buyer("Drie Keer NV", "BE"), "limitEvents": [
            applied("2026-02-01", "50000"), {"type": "refused", "date": "2026-02-10"},
            applied("2026-03-25", "40000"), {"type": "granted", "date": "2026-04-01", "amount": eur("40000")},
            {"type": "reduced", "date": "2026-06-01", "amount": eur("15000")}]}),
        json!({"buyer": buyer("Ingetrokken BV", "NL"), "limitEvents": [
            applied("2026-01-20", "40000"), {"type": "granted", "date": "2026-02-05", "amount": eur("40000")},
            {"type": "withdrawn", "date": "2026-06-01"}]}),
        json!({"buyer": {"legalName": "Stad Gent", "country": "BE", "entityKind": "publicBody",
                         "registrationNumber": "0207.451.227"}, "limitEvents": [
            applied("2026-01-02", "30000"), {"type": "granted", "date": "2026-01-03", "amount": eur("30000")}]}),
        buyers()[3].clone(),
    ]
}

#[test]
fn batch_cover_equals_check_delivery_cover_under_automatic_cover_dis_7_bat_1_bat_2() {
    let rows = ledger_of(700, 7);
    let (kinds, partly) = rows_agree_with_check_delivery_cover(&be_policy(), &be_buyers(), &rows);
    let expected: std::collections::BTreeSet<String> = ["Automatic", "NamedLimit", "None"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(kinds, expected);
    assert!(partly > 0, "{partly}");
}

/// What the batch gives each buyer of [`be_buyers`] over [`ledger_of`]'s rows: the cover
/// types by buyer, before and from `day`.
fn be_cover_types(policy: Value) -> (Rows, CoverColumns) {
    let rows = ledger_of(700, 7);
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": policy, "buyers": be_buyers(), "asOf": AS_OF})).unwrap();
    let out = Batch::new(&setup).unwrap().cover(&view(&rows), Vec::new()).unwrap();
    (rows, out)
}

#[test]
fn automatic_cover_per_buyer_ends_on_a_refusal_and_gives_way_to_a_named_limit_dis_7() {
    let (rows, out) = be_cover_types(be_policy());
    let bad = [3usize, 5, 8];
    let types = |b: u32, from: i32, to: i32| -> std::collections::BTreeSet<&str> {
        (0..rows.buyer.len())
            .filter(|&i| !bad.contains(&i) && rows.buyer[i] == b && (from..to).contains(&rows.date[i]))
            // Terms of 150 days are beyond the maximum credit period (BUY-3): never covered.
            .filter(|&i| rows.terms[i] <= 120)
            .map(|i| out.cover_type[i].as_str())
            .collect()
    };
    use CoverType::{Automatic, NamedLimit, None as NoCover};
    let set = |t: &[CoverType]| t.iter().map(|t| t.as_str()).collect::<std::collections::BTreeSet<_>>();
    let (start, end) = (day(1, 1), day(12, 31));
    // Buyer 1: automatic cover all year; every row is covered up to 20,000.00 owed in total.
    assert_eq!(types(1, start, end), set(&[Automatic]));
    for i in (0..rows.buyer.len()).filter(|&i| !bad.contains(&i) && rows.buyer[i] == 1 && rows.terms[i] <= 120) {
        let cap = 2_000_000i128;
        assert_eq!(
            out.covered[i],
            (cap - out.outstanding[i]).clamp(0, rows.amount[i]),
            "row {i}"
        );
    }
    // Buyer 2: automatic until the refusal on 10 May, none from then.
    assert_eq!(types(2, start, day(5, 10)), set(&[Automatic]));
    assert_eq!(types(2, day(5, 10), end), set(&[NoCover]));
    // Buyer 3: automatic until the refusal on 10 February, none until the grant on 1 April,
    // the named limit from then on.
    assert_eq!(types(3, start, day(2, 10)), set(&[Automatic]));
    assert_eq!(types(3, day(2, 10), day(4, 1)), set(&[NoCover]));
    assert_eq!(types(3, day(4, 1), end), set(&[NamedLimit]));
    // Buyer 4: automatic before the credit decision of 5 February, the limit until its
    // withdrawal takes effect (1 June + 30 days = 1 July), none after (DIS-7, LIM-3).
    assert_eq!(types(4, start, day(2, 5)), set(&[Automatic]));
    assert_eq!(types(4, day(2, 5), day(7, 1)), set(&[NamedLimit]));
    assert_eq!(types(4, day(7, 1), end), set(&[NoCover]));
    // Buyer 5, a public body the policy expressly covers: its named limit (PRM-4).
    assert_eq!(types(5, day(1, 5), end), set(&[NamedLimit]));
    // Buyer 6, in a country the policy does not agree: nothing.
    assert_eq!(types(6, start, end), set(&[NoCover]));
}

#[test]
fn public_buyer_is_covered_in_the_batch_only_when_the_policy_says_so_prm_4_buy_3() {
    let (rows, covered_policy) = be_cover_types(be_policy());
    let mut policy = be_policy();
    policy.as_object_mut().unwrap().remove("publicBuyersCovered");
    let (_, not_covered) = be_cover_types(policy);
    let mut public_rows = 0;
    for i in (0..rows.buyer.len()).filter(|&i| rows.buyer[i] == 5 && ![3, 5, 8].contains(&i)) {
        public_rows += 1;
        // Terms beyond the maximum credit period are never covered (BUY-3).
        let expected = if rows.terms[i] <= 120 {
            CoverType::NamedLimit
        } else {
            CoverType::None
        };
        assert_eq!(covered_policy.cover_type[i], expected, "row {i}");
        assert_eq!(
            (not_covered.cover_type[i], not_covered.covered[i]),
            (CoverType::None, 0),
            "row {i}"
        );
        assert_eq!(not_covered.uncovered[i], rows.amount[i], "row {i}");
    }
    assert!(public_rows > 50, "{public_rows}");
    assert!((0..rows.buyer.len()).any(|i| rows.buyer[i] == 5 && covered_policy.covered[i] > 0));
}

#[test]
fn exclusion_under_automatic_cover_agrees_with_check_delivery_cover_dis_7_bat_6() {
    let reasons = exclusion_agrees_with_check_delivery_cover(&be_policy(), &be_buyers(), ledger_of(400, 7));
    // Automatic cover is excluded after an overdue as a named limit is (OVD-2, DIS-7).
    assert!(reasons.contains("new_receivables_excluded"), "{reasons:?}");
    assert!(reasons.contains("covered_by_automatic_cover"), "{reasons:?}");
    assert!(reasons.contains("automatic_cover_barred"), "{reasons:?}");
}

#[test]
fn overdue_status_under_automatic_cover_is_that_of_a_named_limit_dis_7_bat_4() {
    let seen = overdue_status_agrees(be_policy(), be_buyers(), delcredere::DayCount::ExcludeStartDay);
    // Every status but the self-assessed one: automatic cover has a named limit's duties.
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(!seen.contains("noDutySelfAssessed"), "{seen:?}");
}

#[test]
fn exposures_give_the_cover_on_as_of_under_automatic_cover_dis_7_bat_3() {
    let setup: BatchSetupDto =
        serde_json::from_value(json!({"policy": be_policy(), "buyers": be_buyers(), "asOf": AS_OF})).unwrap();
    let rows = ledger_of(700, 7);
    let (exposures, _) = Batch::new(&setup).unwrap().exposures(&view(&rows), Vec::new()).unwrap();
    let types: Vec<CoverType> = exposures.iter().map(|e| e.cover_type).collect();
    use CoverType::{Automatic, NamedLimit, None as NoCover};
    assert_eq!(
        types,
        vec![NamedLimit, Automatic, NoCover, NamedLimit, NoCover, NamedLimit, NamedLimit]
    );
    // The exposure's cover type is the buyer's cap on asOf, as for the other policies: the
    // buyer in a country the policy does not agree keeps its limit's type (see
    // `exposures_give_peak_and_current_per_buyer_bat_3`).
    assert_eq!(exposures[1].limit, None);
    assert_eq!(exposures[3].limit.unwrap().amount, Decimal::from(15000));
}

/// [`buyers`] five times over: twenty buyers, so that a ledger splits into up to twenty parts.
fn twenty_buyers() -> BatchSetupDto {
    let table: Vec<Value> = (0..5).flat_map(|_| buyers()).collect();
    serde_json::from_value(json!({"policy": policy(), "buyers": table, "asOf": AS_OF})).unwrap()
}

/// `rows` in date order (rows of a day in row order), the row pass's fast path.
fn by_date(rows: &Rows) -> Rows {
    let mut order: Vec<usize> = (0..rows.buyer.len()).collect();
    order.sort_by_key(|&i| rows.date[i]);
    let pick = |f: &dyn Fn(usize) -> i32| order.iter().map(|&i| f(i)).collect::<Vec<i32>>();
    Rows {
        buyer: order.iter().map(|&i| rows.buyer[i]).collect(),
        amount: order.iter().map(|&i| rows.amount[i]).collect(),
        date: pick(&|i| rows.date[i]),
        terms: order.iter().map(|&i| rows.terms[i]).collect(),
        eom: order.iter().map(|&i| rows.eom[i]).collect(),
        paid: pick(&|i| rows.paid[i]),
    }
}

#[test]
fn any_number_of_threads_gives_the_single_threaded_figures_row_for_row_bat_1_to_bat_6() {
    // 7 parts of at least MIN_ROWS_PER_THREAD rows each, over 20 buyers plus rows of an
    // unknown buyer (index 21), rows the caller found bad and the ledger's own bad rows; in
    // no order and in date order (the two paths of the row pass).
    let batch = Batch::new(&twenty_buyers()).unwrap();
    let n = 8 * delcredere::batch::MIN_ROWS_PER_THREAD;
    let mut shuffled = ledger_of(n, 20);
    for i in (7..n).step_by(997) {
        shuffled.buyer[i] = 21;
    }
    // Smaller amounts (0.20 to 18.20 EUR), so that the limits are reached only now and then.
    for a in &mut shuffled.amount {
        *a /= 50;
    }
    for rows in [shuffled.clone_rows(), by_date(&shuffled)] {
        let pre = || {
            vec![
                (
                    40,
                    Error::MissingField {
                        field: "rows[40].amount".into(),
                    },
                ),
                (
                    n - 1,
                    Error::MissingField {
                        field: format!("rows[{}].date", n - 1),
                    },
                ),
            ]
        };
        let one = batch.cover(&view(&rows), pre()).unwrap();
        assert!(one.errors.len() > 30, "{}", one.errors.len());
        let some = one.covered.iter().filter(|&&c| c > 0).count();
        assert!(some > n / 20, "{some}");
        assert!(one.cover_type.contains(&CoverType::NamedLimit));
        assert!(one.cover_type.contains(&CoverType::SelfAssessed));
        // Some rows excluded after an overdue (BAT-6): covered 0 under a named limit.
        let excluded = (0..n)
            .filter(|&i| one.cover_type[i] == CoverType::NamedLimit && one.covered[i] == 0)
            .count();
        assert!(excluded > 0 && excluded < n / 2, "{excluded}");
        let (exposures, exposure_errors) = batch.exposures(&view(&rows), pre()).unwrap();
        for threads in [1, 2, 7] {
            let many = batch.cover_in_threads(&view(&rows), pre(), threads).unwrap();
            assert_same_figures(&many, &one);
            assert_eq!(many.scale, one.scale);
            // Errors name rows of the whole ledger.
            for (i, e) in &many.errors {
                assert!(e.field().starts_with(&format!("rows[{i}].")), "{i}: {e}");
            }
            let (e, errors) = batch.exposures_in_threads(&view(&rows), pre(), threads).unwrap();
            assert_eq!(e, exposures, "{threads} threads");
            assert_eq!(errors, exposure_errors, "{threads} threads");
        }
    }
    let zero = batch.cover_in_threads(&view(&shuffled), Vec::new(), 0).unwrap_err();
    assert_eq!((zero.code(), zero.field()), ("out_of_range", "threads"));
}

#[test]
fn the_default_threads_leave_each_at_least_its_rows_and_its_rows_per_buyer() {
    use delcredere::batch::{available_threads, MIN_ROWS_PER_BUYER_PER_THREAD, MIN_ROWS_PER_THREAD};
    // 20 buyers: a thread's share is MIN_ROWS_PER_THREAD rows (more than 16 rows for each of
    // the 20 buyers, 320).
    let batch = Batch::new(&twenty_buyers()).unwrap();
    assert!(MIN_ROWS_PER_BUYER_PER_THREAD * batch.buyers() < MIN_ROWS_PER_THREAD);
    assert_eq!(batch.default_threads(0), 1);
    assert_eq!(batch.default_threads(2 * MIN_ROWS_PER_THREAD - 1), 1);
    assert_eq!(
        batch.default_threads(2 * MIN_ROWS_PER_THREAD),
        available_threads().min(2)
    );
    assert_eq!(batch.default_threads(usize::MAX), available_threads());
    // 1,000 buyers: 16,000 rows a thread.
    let mut setup = twenty_buyers();
    let one = setup.buyers[0].clone();
    setup.buyers = vec![one; 1000];
    let batch = Batch::new(&setup).unwrap();
    let share = MIN_ROWS_PER_BUYER_PER_THREAD * 1000;
    assert_eq!(batch.default_threads(2 * share - 1), 1);
    assert_eq!(batch.default_threads(2 * share), available_threads().min(2));
    assert_eq!(batch.default_threads(7 * share), available_threads().min(7));
}

impl Rows {
    fn clone_rows(&self) -> Rows {
        Rows {
            buyer: self.buyer.clone(),
            amount: self.amount.clone(),
            date: self.date.clone(),
            terms: self.terms.clone(),
            eom: self.eom.clone(),
            paid: self.paid.clone(),
        }
    }
}

#[test]
fn a_ledger_in_date_order_of_blocks_not_filled_gives_the_single_threaded_figures_on_threads_bat_1() {
    // A ledger in date order whose rows do not fill the last block of rows the threads hand
    // to the writer (blocks of 8,192), with rows the caller found bad: 2 and 3 threads give
    // the figures and errors of one.
    let batch = Batch::new(&twenty_buyers()).unwrap();
    let n = 5 * delcredere::batch::MIN_ROWS_PER_THREAD + 1234;
    let mut rows = ledger_of(n, 20);
    for a in &mut rows.amount {
        *a /= 50;
    }
    let rows = by_date(&rows);
    let pre = || {
        vec![(
            n - 2,
            Error::MissingField {
                field: format!("rows[{}].amount", n - 2),
            },
        )]
    };
    let one = batch.cover(&view(&rows), pre()).unwrap();
    for threads in [2, 3] {
        let many = batch.cover_in_threads(&view(&rows), pre(), threads).unwrap();
        assert_same_figures(&many, &one);
        assert_eq!(many.errors, one.errors, "{threads} threads");
    }
}

/// A random ledger for [`chunks_on_threads_give_the_single_threaded_figures_row_for_row_bat_1_to_bat_6`]:
/// `n` rows over the first `buyers` buyers of the table of 8 and unknown ones, dates over `span` days
/// (few days: many rows of a day, ties), payments up to `late` days after the due date (late
/// enough to trigger exclusions, BAT-6), a bad row (a zero amount, a date before the policy,
/// a payment before delivery) about one in `bad`, amounts up to 20 EUR when `small` (limits
/// then reached only now and then, so exclusions change figures), some of 2^70 cents when
/// `wide` (sums past `i64`).
fn random_rows(seed: u64, n: usize, buyers: u32, span: u64, late: u64, bad: u64, (small, wide): (bool, bool)) -> Rows {
    let mut seed = seed | 1;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m.max(1)
    };
    let start = days_from_date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap());
    let mut rows = Rows::empty();
    for _ in 0..n {
        let buyer = if next(500) == 0 {
            8 + next(3) as u32
        } else {
            next(u64::from(buyers)) as u32
        };
        rows.buyer.push(buyer);
        rows.amount.push(if wide && next(1000) == 0 {
            1i128 << 70
        } else {
            1 + next(if small { 2_000 } else { 3_000_000 }) as i128
        });
        let d = start + next(span) as i32;
        rows.date.push(d);
        let terms = [0u32, 14, 30, 60, 90, 150][next(6) as usize];
        rows.terms.push(terms);
        rows.eom.push(next(8) == 0);
        rows.paid.push(match next(4) {
            0 => d + terms as i32 + next(late) as i32,
            1 => d + next(u64::from(terms) + 1) as i32,
            _ => NO_DATE,
        });
        if next(bad) == 0 {
            match next(3) {
                0 => *rows.amount.last_mut().unwrap() = 0,
                1 => *rows.date.last_mut().unwrap() = start - 40,
                _ => *rows.paid.last_mut().unwrap() = d - 1,
            }
        }
    }
    rows
}

/// Two of each of [`buyers`], the second named limit with continued cover confirmed (BAT-6),
/// under [`policy`] with the start day counting (`include`) and a reporting threshold of 5 EUR
/// (`threshold`) or not.
fn eight_buyers(include: bool, threshold: bool) -> BatchSetupDto {
    let mut table: Vec<Value> = buyers().into_iter().chain(buyers()).collect();
    table[4]["continuedCoverConfirmed"] = json!(true);
    let mut p = policy();
    if include {
        p["dayCount"] = json!("includeStartDay");
    }
    if threshold {
        p["overdueReportingThreshold"] = eur("5");
    }
    serde_json::from_value(json!({"policy": p, "buyers": table, "asOf": AS_OF})).unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// `Batch::cover_chunks` on 1, 2 and 7 threads, chunks joined, is `Batch::cover` row for
    /// row: a ledger in date order (the usual one, split by row range, each thread carrying
    /// the state of the rows before its range) with bad rows, rows of an unknown buyer, rows
    /// the caller found bad, ties (rows of one day on both sides of a split), overdues that
    /// trigger exclusions; sometimes amounts too wide for `i64` or a ledger out of date order
    /// (split by buyer).
    #[test]
    fn chunks_on_threads_give_the_single_threaded_figures_row_for_row_bat_1_to_bat_6(
        seed in proptest::prelude::any::<u64>(),
        extra in 0usize..3 * delcredere::batch::MIN_ROWS_PER_THREAD,
        span in 1u64..300,
        late in 1u64..200,
        bad in 2u64..400,
        limits in 2u32..9,
        (small, wide) in (proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
        (include, threshold) in (proptest::prelude::any::<bool>(), proptest::prelude::any::<bool>()),
        sorted in proptest::prelude::prop_oneof![4 => proptest::prelude::Just(true), 1 => proptest::prelude::Just(false)],
        pre in proptest::collection::vec(0usize..1 << 16, 0..6),
    ) {
        let batch = Batch::new(&eight_buyers(include, threshold)).unwrap();
        let n = 2 * delcredere::batch::MIN_ROWS_PER_THREAD + extra;
        let rows = random_rows(seed, n, limits.min(8), span, late, bad, (small, wide && seed % 3 == 0));
        let rows = if sorted { by_date(&rows) } else { rows };
        // Rows the caller found bad, some past the ledger's end.
        let pre = || -> Vec<(usize, Error)> {
            pre.iter()
                .map(|&i| (i % (n + 3), Error::MissingField { field: format!("rows[{}].amount", i % (n + 3)) }))
                .collect()
        };
        let one = batch.cover(&view(&rows), pre()).unwrap();
        for threads in [1, 2, 7] {
            let chunks = batch.cover_chunks(&view(&rows), pre(), threads).unwrap();
            let mut from = 0usize;
            for c in &chunks {
                let to = from + c.covered.len();
                for (i, _) in &c.errors {
                    proptest::prop_assert!((from..to).contains(i) || (to == n && *i >= n), "{i} in {from}..{to}");
                }
                proptest::prop_assert_eq!(c.scale, one.scale);
                from = to;
            }
            proptest::prop_assert_eq!(from, n);
            let many = batch.cover_in_threads(&view(&rows), pre(), threads).unwrap();
            assert_same_figures(&many, &one);
        }
    }
}
