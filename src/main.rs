//! The `stance` binary: parse the command line, run it, print the error chain once, exit with
//! 0 (success), 1 (error) or 2 (usage).

use std::process::ExitCode;

fn main() -> ExitCode {
    stance::cli::main()
}
