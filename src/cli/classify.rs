//! `stance classify`: the label and class probabilities of each task for statements given on the
//! command line or in a CSV file, optionally with the n-grams that drove each decision.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use super::shared::{parse_delimiter, ModelInput, RunArgs, StatementLimit};
use crate::io::records::{InputFormat, RecordReader, TextColumn};
use crate::output::{Format, PredictionPrinter};

const AFTER_HELP: &str = "\
Output columns (csv): the input's columns, then for each task its label and one probability per
class, e.g. assad, assad_against, assad_favor, assad_none (a name the input already has, such as
a gold `assad` column, gets a _predicted suffix). With --explain, a column per task lists the
n-grams that pushed the decision most (weight = feature value × how much more the predicted class
weighs the n-gram than the other classes do; the bias is the intercepts' share).

Input: CSV with a header, or JSONL (one object per line; fields other than strings are passed on
as JSON text; a line with a field the first line lacks is an error rather than dropped). The
layout goes by --input-format, else the extension, else the first byte.

Streaming: rows are read 4,096 at a time (on their own thread when --threads is not 1) while the
workers score and format the previous chunk, and are written in input order, so memory stays
bounded however long the stream (about 15 MB for a million statements). Every input row comes
out: a bad row stops the run with its line number, or with --keep-going is written with its error.

Examples:
  stance classify \"Assad has no place in the future of Syria\"
  stance classify --explain \"We must intensify air strikes against ISIS in Syria\"
  stance classify --input statements.csv --format csv > predictions.csv
  stance extract labels/articles --format jsonl | stance classify --input - --format csv";

/// Classify statements with a trained model.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Statements to classify (or use --input).
    #[arg(
        value_name = "STATEMENT",
        required_unless_present = "input",
        conflicts_with = "input"
    )]
    statements: Vec<String>,

    /// CSV or JSONL file of statements (`-` for standard input); other columns are passed through.
    #[arg(long, short, value_name = "FILE")]
    input: Option<PathBuf>,

    /// Layout of --input: csv or jsonl (default: by extension, else by content: `{` first means
    /// JSONL).
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

    /// Column of --input holding the statement.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_col: String,

    /// Field delimiter of --input (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    delimiter: u8,

    #[command(flatten)]
    model: ModelInput,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table")]
    format: Format,

    /// Write the predictions to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Show the n-grams that pushed each decision most, with their weights.
    #[arg(long)]
    explain: bool,

    /// How many n-grams --explain lists per task.
    #[arg(long, value_name = "N", default_value_t = 8, allow_negative_numbers = true)]
    top: usize,

    /// Do not stop at a bad row (malformed CSV record, empty statement): write it with its error
    /// in an `error` column (an `error` field in JSON) and go on; the exit code is then 1.
    #[arg(long)]
    keep_going: bool,

    #[command(flatten)]
    limit: StatementLimit,

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance classify`: rows stream through the pipeline into the prediction printer (see
/// `pipeline::stream_rows`), written in input order.
pub fn run(args: Args) -> Result<u8> {
    if let Some(path) = &args.output {
        crate::io::check_writable(path)?;
    }
    let model = args.model.load(&args.run)?;
    let pool = args.run.pool()?;
    let mut reader = match &args.input {
        Some(path) => RecordReader::open(
            path,
            args.input_format,
            &TextColumn::new(&args.text_col, "choose one with --text-col"),
            args.delimiter,
        )?,
        None => RecordReader::from_statements(args.statements.clone()),
    };
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let mut rows = 0;
    let mut failed = 0;
    crate::io::write_atomic(&target, |out| {
        let mut printer = PredictionPrinter::new(
            args.format,
            &model,
            reader.header().to_vec(),
            reader.text_column(),
            args.explain.then_some(args.top),
            args.keep_going,
            std::io::BufWriter::with_capacity(1 << 16, out),
        )
        .with_max_statement_bytes(args.limit.max_statement_bytes);
        printer.start()?;
        let read = crate::pipeline::stream_rows(&mut reader, &pool, &mut printer, args.keep_going)?;
        if let Some(error) = read.stopped {
            bail!("{error}");
        }
        if read.rows == 0 {
            bail!("no statements to classify (expected at least one row under the header)");
        }
        printer.finish()?;
        rows = read.rows;
        failed = printer.failed();
        Ok(())
    })?;
    if failed > 0 {
        writeln!(
            std::io::stderr(),
            "stance: {failed} of {} could not be classified (see their error column)",
            crate::count::count(rows, "row")
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}
