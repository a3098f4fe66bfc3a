//! `stance report`: per-leader stance tables from articles and statement CSVs, with evidence.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::shared::{display_name, ModelInput};
use crate::extract::{decode_article, extract_statements, SpeakerIndex};
use crate::io::records::{InputFormat, InputRow, RecordReader, TextColumn};
use crate::model::StanceModel;
use crate::report::render::{render, Format, RenderOptions};
use crate::report::{Aggregator, ClassifiedStatement, ReportSettings};

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

    /// Statements shown per cell in table, Markdown and CSV output (JSON and HTML show all kept).
    #[arg(long, value_name = "N", default_value_t = 2)]
    evidence: usize,

    /// Statements kept per cell as evidence, strongest first; counts, verdicts and confidences
    /// always use every statement.
    #[arg(long, value_name = "N", default_value_t = 25)]
    keep: usize,

    /// List every statement (JSON, HTML) while there are at most this many; past it only the kept
    /// evidence is listed, so memory stays bounded however many articles are read.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    list_limit: usize,
}

/// Article files classified in parallel at a time; bounds the memory of a long run.
const ARTICLE_BATCH: usize = 64;

/// Statement rows classified in parallel at a time.
const STATEMENT_CHUNK: usize = 4096;

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
    let settings = ReportSettings {
        threshold: args.threshold,
        mixed_share: args.mixed_share,
        min_statements: args.min_statements,
        speakers: args.speaker_filter.clone(),
        keep: args.keep.max(args.evidence),
        list_limit: args.list_limit,
    };
    let mut run = ReportRun {
        model: &model,
        speakers: &speakers,
        aggregator: Aggregator::new(settings),
        failed: 0,
        unattributed: 0,
    };
    let mut articles: Vec<(&Path, Option<Vec<u8>>)> = Vec::new();
    for path in &files {
        let opened = match open_input(path) {
            Ok(opened) => opened,
            Err(err) => {
                run.failed += 1;
                writeln!(std::io::stderr(), "stance: error: {err:#} (skipped)")?;
                continue;
            }
        };
        match opened {
            Input::Statements(input) => {
                run.add_articles(std::mem::take(&mut articles))?;
                run.add_statements(path, input)?;
            }
            Input::Article(read) => {
                articles.push((path, read));
                if articles.len() == ARTICLE_BATCH {
                    run.add_articles(std::mem::take(&mut articles))?;
                }
            }
        }
    }
    run.add_articles(articles)?;
    let mut stderr = std::io::stderr();
    if run.unattributed > 0 {
        writeln!(
            stderr,
            "stance: note: {} statements had no identified speaker and are not in the report",
            run.unattributed
        )?;
    }
    let report = run.aggregator.finish();
    if report.unlisted_statements > 0 {
        writeln!(
            stderr,
            "stance: note: {} statements are counted but not listed (more than --list-limit {}); each cell lists its {} strongest",
            report.unlisted_statements, args.list_limit, report.settings.keep
        )?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = RenderOptions {
        evidence: args.evidence,
        color: to_terminal && !no_color,
    };
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    crate::io::write_atomic(&target, |out| render(&report, args.format, options, out))?;
    if run.failed > 0 {
        writeln!(
            stderr,
            "stance: {} input(s) could not be read; the report covers the rest",
            run.failed
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

/// The state of one `stance report` run: where statements go and what went wrong.
struct ReportRun<'a> {
    model: &'a StanceModel,
    speakers: &'a SpeakerIndex,
    aggregator: Aggregator,
    failed: usize,
    unattributed: usize,
}

impl ReportRun<'_> {
    /// Extracts and classifies a batch of articles in parallel, adding them in input order.
    fn add_articles(&mut self, articles: Vec<(&Path, Option<Vec<u8>>)>) -> Result<()> {
        let (model, speakers) = (self.model, self.speakers);
        let results: Vec<(String, Result<ArticleStatements>)> = articles
            .into_par_iter()
            .map(|(path, read)| (display_name(path), read_article(path, read, model, speakers)))
            .collect();
        let mut stderr = std::io::stderr();
        for (name, result) in results {
            match result {
                Ok(article) => {
                    if article.undecodable > 0 {
                        writeln!(stderr, "stance: warning: {name}: {} bytes could not be decoded as UTF-8 and were replaced", article.undecodable)?;
                    }
                    self.unattributed += article.unattributed;
                    for statement in article.found {
                        self.aggregator.add(statement);
                    }
                }
                Err(err) => {
                    self.failed += 1;
                    writeln!(stderr, "stance: error: {err:#} (skipped)")?;
                }
            }
        }
        Ok(())
    }

    /// Streams a statement file (CSV or JSONL with `speaker` and `text`), classifying it chunk by
    /// chunk. A bad row ends the file: the rows before it are counted, the rest skipped.
    fn add_statements(&mut self, path: &Path, mut reader: RecordReader) -> Result<()> {
        let name = display_name(path);
        let source = path
            .file_name()
            .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
        let column = |c: &str| reader.header().iter().position(|h| h.eq_ignore_ascii_case(c));
        let Some(speaker_at) = column("speaker") else {
            self.failed += 1;
            writeln!(
                std::io::stderr(),
                "stance: error: {name}: line 1: missing column `speaker` (found: {}; a statement file needs fields `speaker` and `text`) (skipped)",
                reader.header().join(", ")
            )?;
            return Ok(());
        };
        let (text_at, kind_at, source_at) = (reader.text_column(), column("kind"), column("source"));
        let mut rows: Vec<InputRow> = Vec::new();
        loop {
            let (read, failure) = reader.read_chunk(&mut rows, STATEMENT_CHUNK);
            // The first bad row ends the file; rows after it in the chunk are not used.
            let bad = rows[..read].iter().position(|row| row.error.is_some());
            let filled = bad.unwrap_or(read);
            let stop = match bad {
                Some(i) => Some(format!(
                    "{}: {}",
                    reader.origin(&rows[i], false),
                    rows[i].error.as_deref().unwrap_or_default()
                )),
                None => failure.map(|e| format!("{e:#}")),
            };
            let (model, speakers) = (self.model, self.speakers);
            let classified: Vec<Option<ClassifiedStatement>> = rows[..filled]
                .par_iter()
                .map(|row| {
                    let field = |at: Option<usize>| at.and_then(|i| row.record.get(i)).unwrap_or("").trim();
                    let (speaker, text) = (field(Some(speaker_at)), field(Some(text_at)));
                    if text.is_empty() || speaker.is_empty() {
                        return None;
                    }
                    let canonical = speakers
                        .resolve(speaker)
                        .map_or_else(|| speaker.to_string(), |s| s.name.clone());
                    let row_source = field(source_at);
                    Some(ClassifiedStatement {
                        predictions: model.predict(text),
                        speaker: canonical,
                        text: text.to_string(),
                        source: if row_source.is_empty() {
                            source.clone()
                        } else {
                            row_source.to_string()
                        },
                        kind: field(kind_at).to_string(),
                    })
                })
                .collect();
            for (row, statement) in rows[..filled].iter().zip(classified) {
                match statement {
                    Some(statement) => self.aggregator.add(statement),
                    None => {
                        let text = row.record.get(text_at).unwrap_or("").trim();
                        self.unattributed += usize::from(!text.is_empty());
                    }
                }
            }
            if let Some(error) = stop {
                self.failed += 1;
                writeln!(
                    std::io::stderr(),
                    "stance: error: {error} (the rest of {name} is skipped; the rows before it are counted)"
                )?;
                return Ok(());
            }
            if read < STATEMENT_CHUNK {
                return Ok(());
            }
        }
    }
}

/// What an input is.
enum Input {
    /// Statements (CSV or JSONL with `speaker` and `text`), opened for streaming.
    Statements(RecordReader),
    /// An article; its bytes when they had to be read already (standard input).
    Article(Option<Vec<u8>>),
}

/// Opens statement inputs for streaming and tells articles apart. Files go by extension (.csv,
/// .jsonl, .ndjson are statements); standard input by content: a JSON object, or a CSV header
/// with `speaker` and `text`, is statements, anything else an article.
fn open_input(path: &Path) -> Result<Input> {
    let columns = TextColumn::new("text", "a statement file needs fields `speaker` and `text`");
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match extension.as_deref() {
        Some("csv") => Some(InputFormat::Csv),
        Some("jsonl" | "ndjson") => Some(InputFormat::Jsonl),
        _ => None,
    };
    match format {
        Some(format) => Ok(Input::Statements(RecordReader::open(
            path,
            Some(format),
            &columns,
            b',',
        )?)),
        None if crate::io::is_stdio(path) => {
            let mut input: Box<dyn std::io::BufRead + Send> =
                Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()));
            let head = input.fill_buf()?;
            let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
            let first_line = String::from_utf8_lossy(first_line).to_ascii_lowercase();
            let fields: Vec<&str> = first_line
                .split(',')
                .map(|f| f.trim().trim_matches('"'))
                .collect();
            let is_jsonl = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            let is_csv = fields.contains(&"speaker") && fields.contains(&"text");
            if is_jsonl || is_csv {
                let format = if is_jsonl {
                    InputFormat::Jsonl
                } else {
                    InputFormat::Csv
                };
                return Ok(Input::Statements(RecordReader::from_reader(
                    "<stdin>".into(),
                    input,
                    Some(format),
                    &columns,
                    b',',
                )?));
            }
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes)?;
            Ok(Input::Article(Some(bytes)))
        }
        None => Ok(Input::Article(None)),
    }
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

fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = crate::io::expand_paths(input, &[".txt", ".csv", ".jsonl", ".ndjson"], &|_| false)?;
            if found.is_empty() {
                writeln!(
                    std::io::stderr(),
                    "stance: warning: {} holds no .txt, .csv or .jsonl file",
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

/// The statements of one article.
struct ArticleStatements {
    /// Its attributed statements, classified.
    found: Vec<ClassifiedStatement>,
    /// Statements with no identified speaker.
    unattributed: usize,
    /// Bytes that could not be decoded as UTF-8.
    undecodable: usize,
}

/// Reads (unless `read` holds its bytes), extracts and classifies one article.
fn read_article(
    path: &Path,
    read: Option<Vec<u8>>,
    model: &StanceModel,
    speakers: &SpeakerIndex,
) -> Result<ArticleStatements> {
    let name = display_name(path);
    let source = path
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let bytes = match read {
        Some(bytes) => bytes,
        None => crate::io::read_bytes(path)?,
    };
    let article = decode_article(&bytes);
    let mut found = Vec::new();
    let mut unattributed = 0;
    for statement in extract_statements(&article.text, speakers) {
        match statement.speaker {
            Some(speaker) => found.push(ClassifiedStatement {
                predictions: model.predict(&statement.text),
                speaker,
                text: statement.text,
                source: source.clone(),
                kind: statement.kind.to_string(),
            }),
            None => unattributed += 1,
        }
    }
    Ok(ArticleStatements {
        found,
        unattributed,
        undecodable: article.undecodable_bytes,
    })
}
