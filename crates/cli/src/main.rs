//! `dealervault`: the one binary. Subcommands create, migrate, serve and check an
//! installation; see `dealervault --help`.
// The binary talks to the person who ran it on stdout; library crates never print.
#![allow(clippy::print_stdout)]

mod cli;
mod commands;
mod config;
mod logging;
mod server;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dealervault: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            // `{:#}` prints the whole chain of context, which names the step that failed.
            eprintln!("dealervault: {e:#}");
            ExitCode::FAILURE
        }
    }
}
