//! `stance classify`: the label and class probabilities of each task for statements given on the
//! command line or in a CSV file, optionally with the n-grams that drove each decision.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use super::shared::{display_name, parse_delimiter, ModelInput};
use crate::model::{Explanation, StanceModel, TaskPrediction};

const AFTER_HELP: &str = "\
Output columns (csv): the input's columns, then for each task its label and one probability per
class, e.g. assad, assad_against, assad_favor, assad_none. With --explain, a column per task lists
the n-grams that pushed the decision most (weight = feature value × how much more the predicted
class weighs the n-gram than the other classes do; the bias is the intercepts' share).

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
}

/// One statement to classify, with the input columns to pass through.
struct Row {
    /// Where it came from, for messages ("statement 2", "file.csv: line 7").
    origin: String,
    /// Input columns as (name, value), empty for command-line statements.
    fields: Vec<(String, String)>,
    /// The statement.
    text: String,
}

/// Runs `stance classify`.
pub fn run(args: Args) -> Result<u8> {
    let model = args.model.load()?;
    let (header, rows) = match &args.input {
        Some(path) => read_rows(path, &args.text_col, args.delimiter)?,
        None => (
            vec!["text".to_string()],
            args.statements
                .iter()
                .enumerate()
                .map(|(i, s)| Row {
                    origin: format!("statement {}", i + 1),
                    fields: vec![("text".into(), s.clone())],
                    text: s.clone(),
                })
                .collect(),
        ),
    };
    for row in &rows {
        if row.text.trim().is_empty() {
            bail!("{}: empty statement (expected text to classify)", row.origin);
        }
    }
    let results: Vec<(Vec<TaskPrediction>, Vec<Explanation>)> = rows
        .iter()
        .map(|row| {
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
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format.as_str() {
        "csv" => write_csv(&mut out, &model, &header, &rows, &results, args.explain)?,
        "json" => {
            let values: Vec<Value> = rows
                .iter()
                .zip(&results)
                .map(|(r, p)| row_json(r, p, args.explain))
                .collect();
            serde_json::to_writer_pretty(&mut out, &values)?;
            writeln!(out)?;
        }
        "jsonl" => {
            for (row, result) in rows.iter().zip(&results) {
                serde_json::to_writer(&mut out, &row_json(row, result, args.explain))?;
                writeln!(out)?;
            }
        }
        _ => write_table(&mut out, &model, &rows, &results, args.explain)?,
    }
    out.flush()?;
    Ok(super::EXIT_OK)
}

fn read_rows(path: &std::path::Path, text_col: &str, delimiter: u8) -> Result<(Vec<String>, Vec<Row>)> {
    let name = display_name(path);
    let reader = crate::io::open_reader(path)?;
    let mut csv_reader = crate::io::csv_reader(reader, delimiter);
    let header = crate::io::csv_header(&mut csv_reader).map_err(|e| crate::io::csv_row_error(&name, e))?;
    let text_at = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case(text_col))
        .with_context(|| {
            format!(
                "{name}: line 1: missing column `{text_col}` (found: {}; choose one with --text-col)",
                header.join(", ")
            )
        })?;
    let mut rows = Vec::new();
    for record in csv_reader.records() {
        let record = record.map_err(|e| crate::io::csv_row_error(&name, e))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(Row {
            origin: format!("{name}: line {line}, column `{text_col}`"),
            fields: header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
            text: record.get(text_at).unwrap_or("").to_string(),
        });
    }
    if rows.is_empty() {
        bail!("{name}: no statements (expected a header and at least one row)");
    }
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

fn write_csv(
    out: &mut dyn Write,
    model: &StanceModel,
    header: &[String],
    rows: &[Row],
    results: &[(Vec<TaskPrediction>, Vec<Explanation>)],
    explain: bool,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut columns: Vec<String> = header.to_vec();
    for task in &model.tasks {
        columns.push(task.name.clone());
        columns.extend(task.classes.iter().map(|c| format!("{}_{c}", task.name)));
        if explain {
            columns.push(format!("{}_explain", task.name));
        }
    }
    w.write_record(&columns)?;
    for (row, (predictions, explanations)) in rows.iter().zip(results) {
        let mut record: Vec<String> = row.fields.iter().map(|(_, v)| v.clone()).collect();
        for (t, prediction) in predictions.iter().enumerate() {
            record.push(prediction.label.clone());
            record.extend(prediction.probabilities.iter().map(|(_, p)| format!("{p:.4}")));
            if explain {
                record.push(explanation_text(&explanations[t]));
            }
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

fn row_json(
    row: &Row,
    (predictions, explanations): &(Vec<TaskPrediction>, Vec<Explanation>),
    explain: bool,
) -> Value {
    let mut object = Map::new();
    for (name, value) in &row.fields {
        object.insert(name.clone(), Value::String(value.clone()));
    }
    object.insert("text".into(), Value::String(row.text.clone()));
    let mut tasks = Map::new();
    for (t, prediction) in predictions.iter().enumerate() {
        let probabilities: Map<String, Value> = prediction
            .probabilities
            .iter()
            .map(|(c, p)| (c.clone(), json!(p)))
            .collect();
        let mut entry = json!({"label": prediction.label, "probabilities": probabilities});
        if explain {
            let e = &explanations[t];
            entry["explanation"] = json!({
                "bias": e.bias,
                "terms": e.contributions.iter().map(|c| json!({"term": c.term, "weight": c.weight})).collect::<Vec<_>>(),
            });
        }
        tasks.insert(prediction.task.clone(), entry);
    }
    object.insert("predictions".into(), Value::Object(tasks));
    Value::Object(object)
}

fn write_table(
    out: &mut dyn Write,
    model: &StanceModel,
    rows: &[Row],
    results: &[(Vec<TaskPrediction>, Vec<Explanation>)],
    explain: bool,
) -> Result<()> {
    const TEXT_WIDTH: usize = 48;
    let cell = |p: &TaskPrediction| format!("{} {:.2}", p.label, p.probability(&p.label));
    let widths: Vec<usize> = model
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            results
                .iter()
                .map(|(p, _)| cell(&p[t]).chars().count())
                .chain([task.name.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut line = format!("{:<TEXT_WIDTH$}", "statement");
    for (task, width) in model.tasks.iter().zip(&widths) {
        line.push_str(&format!("  {:<width$}", task.name));
    }
    writeln!(out, "{}", line.trim_end())?;
    for (row, (predictions, explanations)) in rows.iter().zip(results) {
        let mut line = format!("{:<TEXT_WIDTH$}", shorten(&row.text, TEXT_WIDTH));
        for (prediction, width) in predictions.iter().zip(&widths) {
            line.push_str(&format!("  {:<width$}", cell(prediction)));
        }
        writeln!(out, "{}", line.trim_end())?;
        if explain {
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
    }
    Ok(())
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
