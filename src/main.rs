//! `werkplan`: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a big build allocates and frees tens of millions
/// of small blocks, and glibc's malloc made it a third slower and a quarter larger in memory
/// (README, benchmark). The library leaves the choice to the program that uses it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
