//! The benchmark program: DealerVault's secured path against a plain baseline of the same
//! work, in alternating rounds of one run. See BENCHMARKS.md for the scenarios, the
//! figures of the reference machine and how to read them.
//!
//! ```text
//! cargo run --release -p dealervault-bench -- [--customers N] [--seconds S] [--scenario NAME|all] [--json]
//! ```

mod dataset;
mod drive;
mod pgbench;
mod plain;
mod report;
mod requests;
mod scenarios;
mod servers;

use anyhow::Result;
use clap::Parser;
use scenarios::{Bench, Scenario, Settings};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dealervault-bench",
    about = "Measures DealerVault's secured path against a plain baseline"
)]
struct Args {
    /// Customers in the dataset (and events in the audit log to verify).
    #[arg(long, default_value_t = 1_000_000)]
    customers: u64,
    /// Measuring time, in seconds, of each side of a comparison and of a latency run.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// One scenario, or all.
    #[arg(long, default_value = "all")]
    scenario: String,
    /// Only the JSON lines on standard output (the table goes to standard error).
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the chosen scenarios; `false` when something broke (failed requests, a log that
/// does not add up). Figures below their goals are reported, not failed.
fn run(args: &Args) -> Result<bool> {
    let scenarios = Scenario::selected(&args.scenario)?;
    if args.customers < 1_000 || !args.seconds.is_finite() || args.seconds <= 0.0 {
        anyhow::bail!("--customers must be at least 1000 and --seconds above 0");
    }
    // The servers and the data loading share one runtime with a worker per core; the load
    // generator has a thread of its own (see servers::ClientThread).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut bench = Bench::new(Settings {
            customers: args.customers,
            seconds: args.seconds,
        })?;
        let mut outcomes = Vec::new();
        let mut stdout = std::io::stdout();
        for scenario in scenarios {
            eprintln!("running {}", scenario.name());
            if let Some(outcome) = bench.run(scenario).await? {
                writeln!(stdout, "{}", outcome.json())?;
                outcomes.push(outcome);
            }
        }
        bench.finish().await;
        let table = report::table(&outcomes);
        if args.json {
            eprint!("{table}");
        } else {
            write!(stdout, "\n{table}")?;
        }
        Ok(outcomes.iter().all(|o| o.failures.is_empty()))
    })
}
