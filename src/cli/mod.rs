//! The command layer: one file per subcommand, each with its arguments, help text and `run`.
//!
//! Only this layer touches paths, standard streams and clap types. Exit codes: 0 success,
//! 1 an error (the message names the file, line and what was expected), 2 a usage error.

mod classify;
mod completions;
mod cv;
mod eval;
mod extract;
mod labels;
mod report;
mod shared;
mod suggest;
mod train;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit code of a run that failed on its input or output.
pub const EXIT_ERROR: u8 = 1;
/// Exit code of a command line that could not be understood.
pub const EXIT_USAGE: u8 = 2;

/// Find what political leaders said in news articles and where they stand on Assad and on military
/// action, with evidence.
#[derive(Debug, Parser)]
#[command(name = "stance", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Extract(extract::Args),
    Train(train::Args),
    Classify(classify::Args),
    Report(report::Args),
    Labels(labels::Args),
    Eval(eval::Args),
    Cv(cv::Args),
    Completions(completions::Args),
}

/// Prints a notice of the library (a warning, a skipped input) on standard error, as
/// `stance: NOTICE`.
fn print_notice(notice: String) {
    let _ = writeln!(std::io::stderr(), "stance: {notice}");
}

/// Parses the command line, runs the command and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Train(args) => train::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Report(args) => report::run(args),
        Command::Labels(args) => labels::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Cv(args) => cv::run(args),
        Command::Completions(args) => completions::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) if crate::io::is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "stance: error: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
