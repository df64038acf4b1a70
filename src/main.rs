//! `werkplan`: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = werkplan::cli::Cli::parse();
    werkplan::app::run(cli).code()
}
