//! `werkplan`: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match werkplan::cli::parse() {
        Ok(cli) => werkplan::app::run(cli).code(),
        Err(error) => match werkplan::cli::usage_message(&error) {
            Some(message) => {
                eprintln!("{message}");
                werkplan::app::Outcome::Usage.code()
            }
            // --help and --version
            None => {
                let _ = error.print();
                ExitCode::SUCCESS
            }
        },
    }
}
