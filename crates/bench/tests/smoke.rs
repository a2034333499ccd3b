//! The benchmark program, small: every scenario runs end to end on a 20,000-customer
//! dataset and answers its JSON line. The figures are not judged here (a test machine's
//! timings say nothing); failed requests and a miscounted audit log are.

use serde_json::Value;
use std::process::Command;

const SQLITE_SCENARIOS: [&str; 7] = [
    "list_masked_50",
    "mobile_lookup",
    "create_customer",
    "audit_verify",
    "login",
    "mixed",
    "export_100k",
];
const PG_SCENARIOS: [&str; 3] = ["pg_list", "pg_lookup", "pg_create"];

#[test]
fn every_scenario_runs_and_reports_its_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_dealervault-bench"))
        .args(["--customers", "20000", "--seconds", "2", "--json"])
        .output()
        .expect("run the benchmark program");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the benchmark failed:\n{stderr}");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let names: Vec<&str> = lines
        .iter()
        .map(|l| l["scenario"].as_str().expect("a scenario name"))
        .collect();
    let postgres_ran = !stderr.contains("skipping the PostgreSQL scenarios");
    let expected: Vec<&str> = SQLITE_SCENARIOS
        .into_iter()
        .chain(PG_SCENARIOS.into_iter().filter(|_| postgres_ran))
        .collect();
    assert_eq!(names, expected, "{stderr}");
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(
            postgres_ran,
            "CI=true needs the PostgreSQL scenarios: {stderr}"
        );
    }
    for line in &lines {
        let fields: Vec<&String> = line.as_object().expect("an object").keys().collect();
        assert_eq!(
            fields,
            [
                "p50_ms",
                "p99_ms",
                "plain_ops_s",
                "ratio",
                "scenario",
                "secured_ops_s"
            ],
            "{line}"
        );
        for key in ["secured_ops_s", "plain_ops_s", "ratio"] {
            let v = line[key].as_f64().expect("a number");
            assert!(v > 0.0, "{key} of {line} should be measured");
        }
    }
}

#[test]
fn an_unknown_scenario_is_refused_with_the_list() {
    let out = Command::new(env!("CARGO_BIN_EXE_dealervault-bench"))
        .args(["--scenario", "nonsense"])
        .output()
        .expect("run the benchmark program");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown scenario") && stderr.contains("list_masked_50"));
}
