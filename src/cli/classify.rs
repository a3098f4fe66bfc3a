//! `stance classify`: the label and class probabilities of each task for statements given on the
//! command line or in a CSV file, optionally with the n-grams that drove each decision.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use super::shared::{display_name, parse_delimiter, ModelInput};
use crate::model::{Explanation, StanceModel, TaskPrediction};

const AFTER_HELP: &str = "\
Output columns (csv): the input's columns, then for each task its label and one probability per
class, e.g. assad, assad_against, assad_favor, assad_none. With --explain, a column per task lists
the n-grams that pushed the decision most (weight = feature value × how much more the predicted
class weighs the n-gram than the other classes do; the bias is the intercepts' share).

Input is read and written in chunks of 4,096 rows, so memory stays bounded however long the
stream; rows come out in input order. Every input row comes out: a bad row stops the run with its
line number, or with --keep-going is written with its error.

Examples:
  stance classify \"Assad has no place in the future of Syria\"
  stance classify --explain \"We must intensify air strikes against ISIS in Syria\"
  stance classify --input statements.csv --format csv > predictions.csv
  stance extract labels/articles --format csv | stance classify --input - --format jsonl";

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

    /// CSV file of statements (`-` for standard input); other columns are passed through.
    #[arg(long, short, value_name = "FILE")]
    input: Option<PathBuf>,

    /// Column of --input holding the statement.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_col: String,

    /// Field delimiter of --input (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    delimiter: u8,

    #[command(flatten)]
    model: ModelInput,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table", value_parser = ["table", "csv", "json", "jsonl"])]
    format: String,

    /// Show the n-grams that pushed each decision most, with their weights.
    #[arg(long)]
    explain: bool,

    /// How many n-grams --explain lists per task.
    #[arg(long, value_name = "N", default_value_t = 8)]
    top: usize,

    /// Do not stop at a bad row (malformed CSV record, empty statement): write it with its error
    /// in an `error` column (an `error` field in JSON) and go on; the exit code is then 1.
    #[arg(long)]
    keep_going: bool,

    /// Threads classifying in parallel (0: one per core). Output keeps the input order.
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
}

/// Rows classified per parallel batch; bounds memory on long streams.
const CHUNK: usize = 4096;

/// Longest statement classified, in bytes: a longer field is an unclosed quote or a whole document,
/// and its character n-grams alone would take gigabytes.
const MAX_STATEMENT_BYTES: usize = 100_000;

/// One statement to classify, with the input columns to pass through.
struct Row {
    /// Where it came from, for messages ("statement 2", "file.csv: line 7").
    origin: String,
    /// The input row's values, one per header column.
    fields: Vec<String>,
    /// The statement.
    text: String,
    /// Why the row cannot be classified, if it cannot.
    error: Option<String>,
}

/// A row with its predictions (and explanations with --explain), or none when it has an error.
type Outcome = Option<(Vec<TaskPrediction>, Vec<Explanation>)>;

/// Where classified rows go, one chunk at a time.
struct Output<'a> {
    format: &'a str,
    model: &'a StanceModel,
    header: Vec<String>,
    explain: bool,
    keep_going: bool,
    csv: Option<csv::Writer<Box<dyn Write + 'a>>>,
    raw: Option<Box<dyn Write + 'a>>,
    rows_written: usize,
}

/// Runs `stance classify`.
pub fn run(args: Args) -> Result<u8> {
    let model = args.model.load()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let stdout = std::io::stdout();
    let sink: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
    let (header, mut rows): (Vec<String>, Box<dyn Iterator<Item = Result<Row>>>) = match &args.input {
        Some(path) => {
            let (header, rows) = csv_rows(path, &args.text_col, args.delimiter)?;
            (header, Box::new(rows))
        }
        None => (
            vec!["text".to_string()],
            Box::new(args.statements.clone().into_iter().enumerate().map(|(i, s)| {
                Ok(Row {
                    origin: format!("statement {}", i + 1),
                    fields: vec![s.clone()],
                    text: s,
                    error: None,
                })
            })),
        ),
    };
    let mut output = Output::new(&args.format, &model, header, args.explain, args.keep_going, sink)?;
    let (mut total, mut failed) = (0usize, 0usize);
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        for row in rows.by_ref().take(CHUNK) {
            let mut row = row?;
            if row.error.is_none() && row.text.trim().is_empty() {
                row.error = Some("empty statement (expected text to classify)".into());
            }
            if row.error.is_none() && row.text.len() > MAX_STATEMENT_BYTES {
                row.error = Some(format!(
                    "statement of {} bytes (expected at most {MAX_STATEMENT_BYTES}: a whole document, or an unclosed quote?)",
                    row.text.len()
                ));
            }
            if let Some(error) = &row.error {
                if !args.keep_going {
                    bail!("{}: {error}", row.origin);
                }
                failed += 1;
            }
            chunk.push(row);
        }
        if chunk.is_empty() {
            break;
        }
        total += chunk.len();
        let outcomes: Vec<Outcome> = pool.install(|| {
            chunk
                .par_iter()
                .map(|row| {
                    row.error.is_none().then(|| {
                        if args.explain {
                            let explanations = model.explain(&row.text, args.top);
                            (
                                explanations.iter().map(|e| e.prediction.clone()).collect(),
                                explanations,
                            )
                        } else {
                            (model.predict(&row.text), Vec::new())
                        }
                    })
                })
                .collect()
        });
        output.write_chunk(&chunk, &outcomes)?;
    }
    if total == 0 {
        bail!("no statements to classify (expected at least one row under the header)");
    }
    output.finish()?;
    if failed > 0 {
        writeln!(
            std::io::stderr(),
            "stance: {failed} of {total} rows could not be classified (see their error column)"
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

/// The header of a statement CSV and an iterator over its rows; a malformed record becomes a row
/// with an error (the caller stops on it unless --keep-going).
fn csv_rows(
    path: &std::path::Path,
    text_col: &str,
    delimiter: u8,
) -> Result<(Vec<String>, impl Iterator<Item = Result<Row>>)> {
    let name = display_name(path);
    let reader = crate::io::open_reader(path)?;
    let mut csv_reader = crate::io::csv_reader(reader, delimiter);
    let header = crate::io::csv_header(&mut csv_reader).map_err(|e| crate::io::csv_row_error(&name, e))?;
    let text_at = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case(text_col))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{name}: line 1: missing column `{text_col}` (found: {}; choose one with --text-col)",
                header.join(", ")
            )
        })?;
    let width = header.len();
    let text_col = text_col.to_string();
    let rows = csv_reader.into_records().map(move |record| match record {
        Ok(record) => {
            let line = record.position().map_or(0, |p| p.line());
            Ok(Row {
                origin: format!("{name}: line {line}, column `{}`", text_col),
                fields: record.iter().map(str::to_string).collect(),
                text: record.get(text_at).unwrap_or("").to_string(),
                error: None,
            })
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => Err(crate::io::csv_row_error(&name, e)),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Ok(Row {
                origin: format!("{name}: line {line}"),
                fields: vec![String::new(); width],
                text: String::new(),
                error: Some(crate::io::describe_csv_error(&e)),
            })
        }
    });
    Ok((header, rows))
}

fn explanation_text(e: &Explanation) -> String {
    let terms: Vec<String> = e
        .contributions
        .iter()
        .map(|c| format!("{}:{:+.3}", c.term, c.weight))
        .collect();
    format!("{} (bias {:+.3})", terms.join("; "), e.bias)
}

impl<'a> Output<'a> {
    fn new(
        format: &'a str,
        model: &'a StanceModel,
        header: Vec<String>,
        explain: bool,
        keep_going: bool,
        sink: Box<dyn Write + 'a>,
    ) -> Result<Self> {
        let mut output = Output {
            format,
            model,
            header,
            explain,
            keep_going,
            csv: None,
            raw: None,
            rows_written: 0,
        };
        match format {
            "csv" => {
                let mut w = csv::Writer::from_writer(sink);
                let mut columns = output.header.clone();
                if keep_going {
                    columns.push("error".into());
                }
                for task in &model.tasks {
                    columns.push(task.name.clone());
                    columns.extend(task.classes.iter().map(|c| format!("{}_{c}", task.name)));
                    if explain {
                        columns.push(format!("{}_explain", task.name));
                    }
                }
                w.write_record(&columns)?;
                output.csv = Some(w);
            }
            "json" => {
                let mut sink = sink;
                write!(sink, "[")?;
                output.raw = Some(sink);
            }
            "jsonl" => output.raw = Some(sink),
            _ => {
                let mut sink = sink;
                let mut line = format!("{:<TEXT_WIDTH$}", "statement");
                for (task, width) in model.tasks.iter().zip(table_widths(model)) {
                    line.push_str(&format!("  {:<width$}", task.name));
                }
                writeln!(sink, "{}", line.trim_end())?;
                output.raw = Some(sink);
            }
        }
        Ok(output)
    }

    fn write_chunk(&mut self, rows: &[Row], outcomes: &[Outcome]) -> Result<()> {
        for (row, outcome) in rows.iter().zip(outcomes) {
            match self.format {
                "csv" => self.write_csv_row(row, outcome)?,
                "json" | "jsonl" => {
                    let value = self.row_json(row, outcome);
                    let raw = self.raw.as_mut().expect("json output");
                    if self.format == "json" {
                        writeln!(raw, "{}", if self.rows_written == 0 { "" } else { "," })?;
                        serde_json::to_writer_pretty(&mut *raw, &value)?;
                    } else {
                        serde_json::to_writer(&mut *raw, &value)?;
                        writeln!(raw)?;
                    }
                }
                _ => self.write_table_row(row, outcome)?,
            }
            self.rows_written += 1;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        if let Some(mut w) = self.csv.take() {
            w.flush()?;
        }
        if let Some(mut raw) = self.raw.take() {
            if self.format == "json" {
                writeln!(raw, "\n]")?;
            }
            raw.flush()?;
        }
        Ok(())
    }

    fn write_csv_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()> {
        let mut record: Vec<String> = row.fields.clone();
        record.resize(self.header.len(), String::new());
        if self.keep_going {
            record.push(row.error.clone().unwrap_or_default());
        }
        for (t, task) in self.model.tasks.iter().enumerate() {
            match outcome {
                Some((predictions, explanations)) => {
                    let prediction = &predictions[t];
                    record.push(prediction.label.clone());
                    record.extend(prediction.probabilities.iter().map(|(_, p)| format!("{p:.4}")));
                    if self.explain {
                        record.push(explanation_text(&explanations[t]));
                    }
                }
                None => {
                    let empty = 1 + task.classes.len() + usize::from(self.explain);
                    record.extend(std::iter::repeat(String::new()).take(empty));
                }
            }
        }
        self.csv.as_mut().expect("csv output").write_record(&record)?;
        Ok(())
    }

    fn row_json(&self, row: &Row, outcome: &Outcome) -> Value {
        let mut object = Map::new();
        for (name, value) in self.header.iter().zip(&row.fields) {
            object.insert(name.clone(), Value::String(value.clone()));
        }
        object.insert("text".into(), Value::String(row.text.clone()));
        if let Some(error) = &row.error {
            object.insert("error".into(), Value::String(error.clone()));
        }
        if let Some((predictions, explanations)) = outcome {
            let mut tasks = Map::new();
            for (t, prediction) in predictions.iter().enumerate() {
                let probabilities: Map<String, Value> = prediction
                    .probabilities
                    .iter()
                    .map(|(c, p)| (c.clone(), json!(p)))
                    .collect();
                let mut entry = json!({"label": prediction.label, "probabilities": probabilities});
                if self.explain {
                    let e = &explanations[t];
                    entry["explanation"] = json!({
                        "bias": e.bias,
                        "terms": e.contributions.iter().map(|c| json!({"term": c.term, "weight": c.weight})).collect::<Vec<_>>(),
                    });
                }
                tasks.insert(prediction.task.clone(), entry);
            }
            object.insert("predictions".into(), Value::Object(tasks));
        }
        Value::Object(object)
    }

    fn write_table_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()> {
        let out = self.raw.as_mut().expect("table output");
        let mut line = format!("{:<TEXT_WIDTH$}", shorten(&row.text, TEXT_WIDTH));
        match outcome {
            None => line.push_str(&format!("  error: {}", row.error.as_deref().unwrap_or(""))),
            Some((predictions, _)) => {
                for (prediction, width) in predictions.iter().zip(table_widths(self.model)) {
                    let cell = format!(
                        "{} {:.2}",
                        prediction.label,
                        prediction.probability(&prediction.label)
                    );
                    line.push_str(&format!("  {cell:<width$}"));
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
        if let (true, Some((_, explanations))) = (self.explain, outcome) {
            for e in explanations {
                let probabilities: Vec<String> = e
                    .prediction
                    .probabilities
                    .iter()
                    .map(|(c, p)| format!("{c} {p:.2}"))
                    .collect();
                writeln!(
                    out,
                    "  {} = {}  ({})",
                    e.prediction.task,
                    e.prediction.label,
                    probabilities.join(", ")
                )?;
                for c in &e.contributions {
                    writeln!(out, "      {:+.3}  {}", c.weight, c.term)?;
                }
                writeln!(out, "      {:+.3}  (bias)", e.bias)?;
            }
        }
        Ok(())
    }
}

/// Width of the statement column in the table.
const TEXT_WIDTH: usize = 48;

/// Width of each task's column in the table: its name or its longest "label 0.00" cell.
fn table_widths(model: &StanceModel) -> Vec<usize> {
    model
        .tasks
        .iter()
        .map(|task| {
            task.classes
                .iter()
                .map(|c| c.chars().count() + 5)
                .chain([task.name.len()])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The text cut to `width` characters with an ellipsis, on one line.
fn shorten(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        flat
    } else {
        let mut cut: String = flat.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}
