//! The quickstart example's sample year (ACC): every figure it prints, worked by hand from
//! `core/src/sample/year-2026.json`, so the README's run command cannot silently rot.
//!
//! On 31 Mar Müller owes M-001 25,000 + M-002 30,000 = 55,000, all within its 60,000 limit;
//! Dupont owes 20,000 + 10,000 - 5,000 = 25,000. On 30 Jun Jensen's J-002 12,000 is inside
//! its self-assessed cover (report 15,000, discretionary limit 20,000: the lower, DIS-1 b,
//! DIS-3); Dupont's overdue was reported on 3 May (done, OVD-1) and new deliveries are
//! excluded since (OVD-2). On 10 Sep Müller's withdrawal of 1 Sep takes effect on 1 Oct (30
//! days, LIM-3); Dupont's waiting period ran from 3 Mar to 30 Aug (180 days): protracted
//! default on 31 Aug, claim and documents due 30 Sep (CLM-1..3). On 31 Dec Jensen owes J-003
//! 14,000 + J-004 9,000 = 23,000: 14,000 + (15,000 - 14,000) = 15,000 covered, 8,000 not, and
//! since 20 Nov more than the 20,000 discretionary limit (DIS-5); Müller's M-005 15,000 of 15
//! Oct came after the withdrawal took effect: not covered; Dupont owes 25,000 - 2,000 =
//! 23,000, its claim filed 25 Sep, documents sent 2 Oct and the payment of 16 Nov reported on 20
//! Nov (4 duties done).

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
        "Sample year 2026: 3 buyers, 29 events (delcredere::sample::year())",
        "",
        "2026-03-31                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed          0.00        0.00         0.00",
        "  Müller Maschinenbau GmbH  limit 60,000.00   55,000.00   55,000.00         0.00",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00",
        "  to do: nothing open (0 done)",
        "",
        "2026-06-30                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed     12,000.00   12,000.00         0.00",
        "  Müller Maschinenbau GmbH  limit 60,000.00   40,000.00   40,000.00         0.00",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00  excluded since 2026-05-03",
        "  to do: nothing open (1 done)",
        "",
        "2026-09-10                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed          0.00        0.00         0.00",
        "  Müller Maschinenbau GmbH  limit 60,000.00        0.00        0.00         0.00  withdrawn, from 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   25,000.00   25,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  to do: 2 open (1 done)",
        "    2026-09-30 upcoming CLM-2 Dupont Industrie SAS:",
        "    2026-09-30 upcoming CLM-3 Dupont Industrie SAS:",
        "",
        "2026-12-31                  cover                  owed     covered  not covered",
        "  Jensen Trading ApS        self-assessed     23,000.00   15,000.00     8,000.00",
        "  Müller Maschinenbau GmbH  none              15,000.00        0.00    15,000.00  limit withdrawn 2026-10-01",
        "  Dupont Industrie SAS      limit 40,000.00   23,000.00   23,000.00         0.00  excluded since 2026-05-03; protracted default 2026-08-31",
        "  to do: 1 open (4 done)",
        "    2026-11-20 overdue  DIS-5 Jensen Trading ApS:",
    ];
    assert_eq!(got, expected);
}

#[test]
fn the_sample_year_is_the_obligations_input_shape_acc() {
    let year = delcredere::sample::year().unwrap();
    assert_eq!(year.accounts.len(), 3);
    assert_eq!(year.accounts.iter().map(|a| a.events.len()).sum::<usize>(), 29);
    let value: serde_json::Value = serde_json::from_str(delcredere::sample::YEAR_2026_JSON).unwrap();
    let input = serde_json::json!({"policy": value["policy"], "accounts": value["accounts"], "asOf": "2026-12-31"});
    let out = delcredere::ffi::call_json("obligations", &input.to_string()).unwrap();
    assert!(out.contains(r#""open":1,"total":5"#), "{out}");
}
