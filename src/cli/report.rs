//! `stance report`: per-leader stance tables from articles and statement CSVs, with evidence.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::shared::{display_name, ModelInput};
use crate::extract::{decode_article, extract_statements, SpeakerIndex};
use crate::model::StanceModel;
use crate::report::render::{render, Format, RenderOptions};
use crate::report::{aggregate, ClassifiedStatement, ReportSettings};

const AFTER_HELP: &str = "\
How statements add up:
  Articles are read, their statements (quoted and reported speech) extracted and attributed to a
  canonical speaker through --speakers; statement CSVs (columns speaker and text) are used as they
  are. Each statement is classified by every task of the model.
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

    /// Speaker aliases and role descriptions (speaker,gender,aliases).
    #[arg(long, value_name = "FILE", default_value = "labels/speakers.csv")]
    speakers: PathBuf,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table")]
    format: Format,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Probability a side must exceed for a statement to count for it.
    #[arg(long, value_name = "P", default_value_t = 0.5)]
    threshold: f64,

    /// Share of the stance probability mass the weaker side needs for a `mixed` verdict.
    #[arg(long, value_name = "SHARE", default_value_t = 0.3)]
    mixed_share: f64,

    /// Only speakers whose name contains this (case- and accent-insensitive); repeatable.
    #[arg(long = "speaker", value_name = "NAME")]
    speaker_filter: Vec<String>,

    /// Hide speakers with fewer statements.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_statements: usize,

    /// Statements shown per cell in table, Markdown and CSV output (JSON and HTML show all).
    #[arg(long, value_name = "N", default_value_t = 2)]
    evidence: usize,
}

/// Runs `stance report`.
pub fn run(args: Args) -> Result<u8> {
    for (name, value) in [
        ("--threshold", args.threshold),
        ("--mixed-share", args.mixed_share),
    ] {
        if !(0.0..=1.0).contains(&value) {
            bail!("{name} must be between 0 and 1, found {value}");
        }
    }
    if let Some(path) = &args.output {
        crate::io::check_writable(path)?;
    }
    let model = args.model.load()?;
    let speakers = load_speakers(&args.speakers)?;
    let files = expand_inputs(&args.inputs)?;
    let mut failed = 0usize;
    let mut unattributed = 0usize;
    let results: Vec<(String, Result<InputStatements>)> = files
        .par_iter()
        .map(|path| (display_name(path), read_input(path, &model, &speakers)))
        .collect();
    let mut statements = Vec::new();
    let mut stderr = std::io::stderr();
    for (name, result) in results {
        match result {
            Ok(InputStatements {
                found,
                unattributed: lost,
                undecodable,
            }) => {
                if undecodable > 0 {
                    writeln!(stderr, "stance: warning: {name}: {undecodable} bytes could not be decoded as UTF-8 and were replaced")?;
                }
                unattributed += lost;
                statements.extend(found);
            }
            Err(err) => {
                failed += 1;
                writeln!(stderr, "stance: error: {err:#} (skipped)")?;
            }
        }
    }
    if unattributed > 0 {
        writeln!(
            stderr,
            "stance: note: {unattributed} statements had no identified speaker and are not in the report"
        )?;
    }
    let settings = ReportSettings {
        threshold: args.threshold,
        mixed_share: args.mixed_share,
        min_statements: args.min_statements,
        speakers: args.speaker_filter.clone(),
    };
    let report = aggregate(statements, &settings);
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
            stderr,
            "stance: {failed} input(s) could not be read; the report covers the rest"
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

fn load_speakers(path: &Path) -> Result<SpeakerIndex> {
    if !path.exists() && path == Path::new("labels/speakers.csv") {
        writeln!(
            std::io::stderr(),
            "stance: warning: no labels/speakers.csv here: speakers are kept as named in the articles (give one with --speakers)"
        )?;
        return Ok(SpeakerIndex::empty());
    }
    let bytes = crate::io::read_bytes(path)?;
    Ok(SpeakerIndex::from_csv(bytes.as_slice(), &display_name(path))?)
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = crate::io::expand_paths(input, &[".txt", ".csv"], &|_| false)?;
            if found.is_empty() {
                writeln!(
                    std::io::stderr(),
                    "stance: warning: {} holds no .txt or .csv file",
                    input.display()
                )?;
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// What one input gave.
struct InputStatements {
    /// Its attributed statements, classified.
    found: Vec<ClassifiedStatement>,
    /// Statements with no identified speaker.
    unattributed: usize,
    /// Bytes that could not be decoded as UTF-8.
    undecodable: usize,
}

/// Reads and classifies one input.
fn read_input(path: &Path, model: &StanceModel, speakers: &SpeakerIndex) -> Result<InputStatements> {
    let name = display_name(path);
    let source = path
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let bytes = crate::io::read_bytes(path)?;
    let classify = |speaker: String, text: String, kind: String| ClassifiedStatement {
        predictions: model.predict(&text),
        speaker,
        text,
        source: source.clone(),
        kind,
    };
    if is_csv(path) {
        let mut reader = crate::io::csv_reader(bytes.as_slice(), b',');
        let header: Vec<String> = crate::io::csv_header(&mut reader)
            .map_err(|e| crate::io::csv_row_error(&name, e))?
            .iter()
            .map(|h| h.to_lowercase())
            .collect();
        let column = |c: &str| header.iter().position(|h| h == c);
        let (Some(speaker_at), Some(text_at)) = (column("speaker"), column("text")) else {
            bail!(
                "{name}: line 1: a statement CSV needs columns `speaker` and `text` (found: {})",
                header.join(", ")
            );
        };
        let kind_at = column("kind");
        let source_at = column("source");
        let mut found = Vec::new();
        let mut unattributed = 0;
        for record in reader.records() {
            let record = record.map_err(|e| crate::io::csv_row_error(&name, e))?;
            let speaker = record.get(speaker_at).unwrap_or("").trim();
            let text = record.get(text_at).unwrap_or("").trim();
            if text.is_empty() {
                continue;
            }
            if speaker.is_empty() {
                unattributed += 1;
                continue;
            }
            let canonical = speakers
                .resolve(speaker)
                .map_or_else(|| speaker.to_string(), |s| s.name.clone());
            let kind = kind_at.and_then(|k| record.get(k)).unwrap_or("").to_string();
            let mut statement = classify(canonical, text.to_string(), kind);
            if let Some(row_source) = source_at
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                statement.source = row_source.to_string();
            }
            found.push(statement);
        }
        return Ok(InputStatements {
            found,
            unattributed,
            undecodable: 0,
        });
    }
    let article = decode_article(&bytes);
    let mut found = Vec::new();
    let mut unattributed = 0;
    for statement in extract_statements(&article.text, speakers) {
        match statement.speaker {
            Some(speaker) => found.push(classify(speaker, statement.text, statement.kind.to_string())),
            None => unattributed += 1,
        }
    }
    Ok(InputStatements {
        found,
        unattributed,
        undecodable: article.undecodable_bytes,
    })
}
