//! What a scenario found, as a table row and as one JSON line.

use serde::Serialize;

/// One scenario's figures (the JSON line) and what a reader needs beside them.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: &'static str,
    pub secured_ops_s: f64,
    pub plain_ops_s: f64,
    pub ratio: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The goal in words, and whether the figures meet it.
    pub goal: &'static str,
    pub met: bool,
    /// Further figures (the flood's p99, the audit count, …).
    pub notes: Vec<String>,
    /// Things that went wrong (failed requests, a miscounted log): not slowness, breakage.
    pub failures: Vec<String>,
}

impl Outcome {
    pub fn new(scenario: &'static str, secured_ops_s: f64, plain_ops_s: f64) -> Self {
        let ratio = if plain_ops_s > 0.0 {
            secured_ops_s / plain_ops_s
        } else {
            0.0
        };
        Self {
            scenario,
            secured_ops_s,
            plain_ops_s,
            ratio,
            p50_ms: 0.0,
            p99_ms: 0.0,
            goal: "",
            met: true,
            notes: Vec::new(),
            failures: Vec::new(),
        }
    }

    pub fn latency(mut self, p50_ms: f64, p99_ms: f64) -> Self {
        self.p50_ms = p50_ms;
        self.p99_ms = p99_ms;
        self
    }

    pub fn goal(mut self, goal: &'static str, met: bool) -> Self {
        self.goal = goal;
        self.met = met;
        self
    }

    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub fn fail_if(&mut self, broken: bool, why: impl FnOnce() -> String) {
        if broken {
            self.failures.push(why());
        }
    }

    /// The JSON line: exactly the six fields of the contract, in its order, rounded.
    pub fn json(&self) -> String {
        let round = |x: f64, places: i32| {
            let f = 10f64.powi(places);
            (x * f).round() / f
        };
        let line = Line {
            scenario: self.scenario,
            secured_ops_s: round(self.secured_ops_s, 1),
            plain_ops_s: round(self.plain_ops_s, 1),
            ratio: round(self.ratio, 3),
            p50_ms: round(self.p50_ms, 3),
            p99_ms: round(self.p99_ms, 3),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

#[derive(Serialize)]
struct Line {
    scenario: &'static str,
    secured_ops_s: f64,
    plain_ops_s: f64,
    ratio: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// The table of all outcomes, for people.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "{:<16} {:>13} {:>13} {:>7} {:>9} {:>9}  {:<4} {}\n",
        "scenario", "secured ops/s", "plain ops/s", "ratio", "p50 ms", "p99 ms", "met", "goal"
    );
    for o in outcomes {
        out.push_str(&format!(
            "{:<16} {:>13.1} {:>13.1} {:>7.3} {:>9.3} {:>9.3}  {:<4} {}\n",
            o.scenario,
            o.secured_ops_s,
            o.plain_ops_s,
            o.ratio,
            o.p50_ms,
            o.p99_ms,
            if o.met { "yes" } else { "NO" },
            o.goal
        ));
        for note in &o.notes {
            out.push_str(&format!("{:<16} {note}\n", ""));
        }
        for failure in &o.failures {
            out.push_str(&format!("{:<16} FAILED: {failure}\n", ""));
        }
    }
    out
}
