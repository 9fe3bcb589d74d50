//! The quickstart example's sample year (ACC): every figure it prints, worked by hand from
//! `core/src/sample/year-2026.json`, so the README's run command cannot silently rot.
//!
//! On 31 Mar Müller owes M-001 25,000 + M-002 30,000 = 55,000, all within its 60,000 limit;
//! Dupont owes 20,000 + 10,000 - 5,000 = 25,000. On 30 Jun Müller's limit is 75,000: it applied
//! for 90,000 on 15 May and was granted 75,000 in part on 20 May (LIM-6); it owes M-003 40,000.
//! Jensen's J-002 12,000 is inside its self-assessed cover (report 15,000, discretionary limit
//! 20,000: the lower, DIS-1 b, DIS-3); Dupont's overdue was reported on 3 May (done, OVD-1) and
//! new deliveries are excluded since (OVD-2). On 10 Sep Müller's withdrawal of 1 Sep takes
//! effect on 1 Oct (30 days, LIM-3), and the adverse information of 20 Aug was not yet notified
//! (due at once, 20 Aug: overdue, OVD-7); Dupont's waiting period ran from 3 Mar to 30 Aug (180
//! days): protracted default on 31 Aug, claim and documents due 30 Sep (CLM-1..3). On 1 Nov
//! Müller owes M-004 20,000 of 15 Sep, delivered during the withdrawal's delayed effect within
//! the old limit (covered), and M-005 15,000 of 15 Oct, after it (not covered); the adverse
//! information was notified 14 Sep (done); the new buyer Aalborg has a delivery of 30,000
//! planned for 16 Nov, above the 20,000 the policy covers without a limit: apply by then
//! (LIM-7). Done: Dupont's report, claim (25 Sep) and documents (2 Oct), Müller's notice. On 15
//! Dec Aalborg, granted 50,000 on 10 Nov (its LIM-7 duty done) and raised to 80,000 from 25
//! Nov to 24 Dec for Christmas (LIM-6), owes A-001 30,000 + A-002 35,000 = 65,000, all
//! covered; Jensen owes J-003 14,000 + J-004 9,000 = 23,000: 14,000 + (15,000 - 14,000) =
//! 15,000 covered, 8,000 not, and since 20 Nov more than the 20,000 discretionary limit
//! (DIS-5); Müller owes M-005 15,000 (M-004 paid 13 Nov); Dupont owes 25,000 - 2,000 = 23,000.
//! On 31 Dec the temporary limit has ended: Aalborg's limit is 50,000 again, but the 65,000
//! stays covered, each delivery judged by the limit on its own date (A-001 under 50,000, A-002
//! under 80,000 with 30,000 owed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

#[test]
fn the_sample_year_prints_the_figures_worked_by_hand_acc() {
    let text = quickstart::sample_year().unwrap();
    // Duty lines are compared up to the buyer: the message after it comes from the catalogue.
    let got: Vec<String> = text
        .trim()
        .lines()
        .map(|l| match l.strip_prefix("    ") {
            Some(duty) => format!("    {}:", duty.split_once(": ").map_or(duty, |(head, _)| head)),
            None => l.to_owned(),
        })
        .collect();
    let expected = [
        "Sample year 2026: 4 buyers, 40 events (delcredere::sample::year())",
        "",
        "2026-03-31                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed          0.00        0.00         0.00",
        "  Müller Maschinenbau GmbH  limit 60,000.00   55,000.00   55,000.00         0.00",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00",
        "  Aalborg Træ ApS           none                   0.00        0.00         0.00",
        "  to do: nothing open (0 done)",
        "",
        "2026-06-30                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed     12,000.00   12,000.00         0.00",
        "  Müller Maschinenbau GmbH  limit 75,000.00   40,000.00   40,000.00         0.00",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00  excluded since 2026-05-03",
        "  Aalborg Træ ApS           none                   0.00        0.00         0.00",
        "  to do: nothing open (1 done)",
        "",
        "2026-09-10                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed          0.00        0.00         0.00",
        "  Müller Maschinenbau GmbH  limit 75,000.00        0.00        0.00         0.00  withdrawn, from 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  Aalborg Træ ApS           none                   0.00        0.00         0.00",
        "  to do: 3 open (1 done)",
        "    2026-08-20 overdue  OVD-7 Müller Maschinenbau GmbH:",
        "    2026-09-30 upcoming CLM-2 Dupont Industrie SAS:",
        "    2026-09-30 upcoming CLM-3 Dupont Industrie SAS:",
        "",
        "2026-11-01                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed          0.00        0.00         0.00",
        "  Müller Maschinenbau GmbH  none              35,000.00   20,000.00    15,000.00  limit withdrawn 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  Aalborg Træ ApS           none                   0.00        0.00         0.00",
        "  to do: 1 open (4 done)",
        "    2026-11-16 upcoming LIM-7 Aalborg Træ ApS:",
        "",
        "2026-12-15                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed     23,000.00   15,000.00     8,000.00",
        "  Müller Maschinenbau GmbH  none              15,000.00        0.00    15,000.00  limit withdrawn 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   23,000.00   23,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  Aalborg Træ ApS           limit 80,000.00   65,000.00   65,000.00         0.00",
        "  to do: 1 open (5 done)",
        "    2026-11-20 overdue  DIS-5 Jensen Trading ApS:",
        "",
        "2026-12-31                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed     23,000.00   15,000.00     8,000.00",
        "  Müller Maschinenbau GmbH  none              15,000.00        0.00    15,000.00  limit withdrawn 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   23,000.00   23,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  Aalborg Træ ApS           limit 50,000.00   65,000.00   65,000.00         0.00",
        "  to do: 1 open (5 done)",
        "    2026-11-20 overdue  DIS-5 Jensen Trading ApS:",
    ];
    assert_eq!(got, expected);
}

#[test]
fn the_sample_year_is_the_obligations_input_shape_acc() {
    let year = delcredere::sample::year().unwrap();
    assert_eq!(year.accounts.len(), 4);
    assert_eq!(year.accounts.iter().map(|a| a.events.len()).sum::<usize>(), 40);
    let value: serde_json::Value = serde_json::from_str(delcredere::sample::YEAR_2026_JSON).unwrap();
    let input = serde_json::json!({"policy": value["policy"], "accounts": value["accounts"], "asOf": "2026-12-31"});
    let out = delcredere::ffi::call_json("obligations", &input.to_string()).unwrap();
    assert!(out.contains(r#""open":1,"total":6"#), "{out}");
}
