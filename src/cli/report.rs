//! `stance report`: per-leader stance tables from articles and statement CSVs, with evidence.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;

use super::shared::{parse_probability, ModelInput, RunArgs, SpeakerInput, StatementLimit};
use crate::io::inputs::Accept;
use crate::pipeline::{Pipeline, ReportSink};
use crate::report::render::{render, Format, RenderOptions};
use crate::report::{Aggregator, ReportSettings};

const AFTER_HELP: &str = "\
How statements add up:
  Articles are read, their statements (quoted and reported speech) extracted and attributed to a
  canonical speaker through --speakers; statement files (CSV or JSONL with speaker and text, e.g.
  from `stance extract`) are used as they are. `-` reads standard input: statements when it starts
  with a JSON object or a CSV header naming speaker and text, else one article. Each statement is
  classified by every task of the model.
  Inputs are streamed: articles 64 at a time, statement files 4,096 rows at a time, each folded
  into running tallies, so memory does not grow with the number of inputs (see --keep and
  --list-limit).
  For a stance target (assad, military_action) a statement counts for `favor` or `against` only
  when that side's probability exceeds --threshold (and the other side's); otherwise it is
  \"no stance\" for that target. A cell's verdict is the side with more probability mass, `mixed`
  when the weaker side holds at least --mixed-share of it, `none` when no statement counts. Its
  confidence is the mean probability of the verdict's side over the statements counted for it
  (for mixed: over all counted statements). Sentiment is shown as the share of the speaker's
  statements predicted positive / neutral / negative. Speakers are sorted by number of
  statements. The agreement view lists, per target, who is for, against and mixed, and (JSON,
  HTML, CSV) who agrees with or opposes whom.

Examples:
  stance report labels/articles
  stance report labels/articles --format html -o report.html
  stance report news/ statements.csv --speaker putin --speaker hollande --evidence 3
  stance extract archive/ --format jsonl | stance report -
  stance report labels/articles --format json | jq '.speakers[0]'";

/// Per-leader stance tables from articles or statement CSVs, with the evidence behind each cell.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Article files, folders of articles (.txt) and statement CSVs (.csv with speaker and text
    /// columns), mixed freely; `-` reads an article from standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,

    #[command(flatten)]
    model: ModelInput,

    #[command(flatten)]
    speakers: SpeakerInput,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table")]
    format: Format,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Probability a side must exceed for a statement to count for it.
    #[arg(long, value_name = "P", default_value_t = 0.5, allow_negative_numbers = true, value_parser = parse_probability)]
    threshold: f64,

    /// Share of the stance probability mass the weaker side needs for a `mixed` verdict.
    #[arg(long, value_name = "SHARE", default_value_t = 0.3, allow_negative_numbers = true, value_parser = parse_probability)]
    mixed_share: f64,

    /// Only speakers whose name contains this (case- and accent-insensitive); repeatable.
    #[arg(long = "speaker", value_name = "NAME")]
    speaker_filter: Vec<String>,

    /// Hide speakers with fewer statements.
    #[arg(long, value_name = "N", default_value_t = 1, allow_negative_numbers = true)]
    min_statements: usize,

    /// Statements shown per cell in table, Markdown and CSV output (JSON and HTML show all kept).
    #[arg(long, value_name = "N", default_value_t = 2, allow_negative_numbers = true)]
    evidence: usize,

    /// Statements kept per cell as evidence, strongest first; counts, verdicts and confidences
    /// always use every statement.
    #[arg(long, value_name = "N", default_value_t = 25, allow_negative_numbers = true)]
    keep: usize,

    /// List every statement (JSON, HTML) while there are at most this many; past it only the kept
    /// evidence is listed, so memory stays bounded however many articles are read.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10_000,
        allow_negative_numbers = true
    )]
    list_limit: usize,

    #[command(flatten)]
    limit: StatementLimit,

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance report`: every input through the pipeline into the report's aggregator, then
/// the report rendered.
pub fn run(args: Args) -> Result<u8> {
    if let Some(path) = &args.output {
        crate::io::check_writable(path)?;
    }
    let model = args.model.load(&args.run)?;
    let speakers = args.speakers.load(&args.run)?;
    let settings = ReportSettings {
        threshold: args.threshold,
        mixed_share: args.mixed_share,
        min_statements: args.min_statements,
        speakers: args.speaker_filter.clone(),
        keep: args.keep.max(args.evidence),
        list_limit: args.list_limit,
    };
    let pool = args.run.pool()?;
    let pipeline = Pipeline {
        speakers: &speakers,
        model: Some(&model),
        pool: &pool,
        max_statement_bytes: args.limit.max_statement_bytes,
    };
    let mut sink = ReportSink::new(Aggregator::new(settings));
    let failed = pipeline.run(
        &args.inputs,
        Accept::ArticlesAndStatements,
        &mut sink,
        &mut super::print_notice,
    )?;
    if sink.unattributed > 0 {
        args.run.note(&format!(
            "note: {} no identified speaker and are not in the report",
            match sink.unattributed {
                1 => "1 statement had".to_string(),
                n => format!("{n} statements had"),
            }
        ));
    }
    let report = sink.collector.finish();
    if report.unlisted_statements > 0 {
        args.run.note(&format!(
            "note: {} counted but not listed (more than --list-limit {}); each cell lists its {} strongest",
            match report.unlisted_statements {
                1 => "1 statement is".to_string(),
                n => format!("{n} statements are"),
            },
            args.list_limit,
            report.settings.keep
        ));
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = RenderOptions {
        evidence: args.evidence,
        color: to_terminal && !no_color,
    };
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    crate::io::write_atomic(&target, |out| render(&report, args.format, options, out))?;
    if failed > 0 {
        writeln!(
            std::io::stderr(),
            "stance: {} could not be read; the report covers the rest",
            crate::count::count(failed, "input")
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}
