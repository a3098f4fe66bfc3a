//! How statements and predictions are written: one [`Format`] for both, and the two printers —
//! [`StatementPrinter`] for what `extract` finds, [`PredictionPrinter`] for what `classify` scores.
//!
//! Printers are sinks of the [`pipeline`](crate::pipeline): the prediction printer formats rows on
//! the workers (a block of rows becomes bytes there) and only writes bytes in input order, so
//! formatting costs no more wall time than scoring does. The per-leader report has formats of its
//! own (`report::render`).

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::extract::Statement;
use crate::io::records::InputRow;
use crate::model::{argmax, Explanation, PredictScratch, StanceModel};
use crate::pipeline::{ArticleSink, Extracted, RowSink, RowWork};

/// The layout of statements and predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// CSV with a header row.
    Csv,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Table, Format::Csv, Format::Json, Format::Jsonl];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        }
    }

    /// What it is, for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Format::Table => "aligned columns for reading",
            Format::Csv => "CSV with a header row",
            Format::Json => "one JSON array",
            Format::Jsonl => "one JSON object per line (for pipes: `stance classify --input -`)",
        }
    }
}

/// One row of `stance extract`'s output.
#[derive(Debug, Serialize)]
struct StatementRow<'a> {
    source: &'a str,
    start: usize,
    end: usize,
    speaker: Option<&'a str>,
    speaker_mention: &'a str,
    kind: &'a str,
    text: &'a str,
    cue: &'a str,
}

impl<'a> StatementRow<'a> {
    fn new(source: &'a str, s: &'a Statement) -> Self {
        StatementRow {
            source,
            start: s.start,
            end: s.end,
            speaker: s.speaker.as_deref(),
            speaker_mention: &s.speaker_mention,
            kind: s.kind.as_str(),
            text: &s.text,
            cue: &s.cue,
        }
    }
}

/// Writes extracted statements as they come, article by article.
pub struct StatementPrinter<W: Write> {
    format: Format,
    csv: Option<csv::Writer<W>>,
    out: Option<W>,
    written: usize,
}

impl<W: Write> StatementPrinter<W> {
    /// A printer writing `format` to `out`.
    pub fn new(format: Format, out: W) -> Self {
        match format {
            Format::Csv => StatementPrinter {
                format,
                // The header is written by hand so that it is there when nothing is found; a
                // test holds it to the row type's field names.
                csv: Some(csv::WriterBuilder::new().has_headers(false).from_writer(out)),
                out: None,
                written: 0,
            },
            _ => StatementPrinter {
                format,
                csv: None,
                out: Some(out),
                written: 0,
            },
        }
    }

    /// Writes one statement of the article `source`.
    pub fn write(&mut self, source: &str, statement: &Statement) -> Result<()> {
        let row = StatementRow::new(source, statement);
        if let Some(csv) = &mut self.csv {
            if self.written == 0 {
                csv.write_record(STATEMENT_COLUMNS)?;
            }
            csv.serialize(&row)?;
        } else if let Some(out) = &mut self.out {
            match self.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut *out, &row)?;
                    writeln!(out)?;
                }
                Format::Json => {
                    out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                    serde_json::to_writer_pretty(&mut *out, &row)?;
                }
                _ => {
                    if self.written == 0 {
                        writeln!(
                            out,
                            "{:<20}  {:<24}  {:<8}  statement",
                            "source", "speaker", "kind"
                        )?;
                    }
                    writeln!(
                        out,
                        "{:<20}  {:<24}  {:<8}  {}",
                        shorten(source, 20),
                        shorten(row.speaker.unwrap_or("—"), 24),
                        row.kind,
                        shorten(row.text, 100)
                    )?;
                }
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the output (the CSV header or JSON brackets even when nothing was found) and flushes.
    pub fn finish(mut self) -> Result<()> {
        if let Some(csv) = &mut self.csv {
            if self.written == 0 {
                csv.write_record(STATEMENT_COLUMNS)?;
            }
            csv.flush()?;
        }
        if let Some(out) = &mut self.out {
            match (self.format, self.written) {
                (Format::Json, 0) => out.write_all(b"[]\n")?,
                (Format::Json, _) => out.write_all(b"\n]\n")?,
                _ => {}
            }
            out.flush()?;
        }
        Ok(())
    }
}

/// The columns of `stance extract`'s CSV, in `StatementRow` order.
const STATEMENT_COLUMNS: [&str; 8] = [
    "source",
    "start",
    "end",
    "speaker",
    "speaker_mention",
    "kind",
    "text",
    "cue",
];

impl<W: Write> ArticleSink for StatementPrinter<W> {
    fn article(&mut self, article: Extracted) -> Result<()> {
        for found in &article.statements {
            self.write(&article.source, &found.statement)?;
        }
        Ok(())
    }
}

/// Buffers one worker reuses from block to block.
#[derive(Default)]
pub struct BlockScratch {
    predict: PredictScratch,
    probabilities: Vec<f64>,
    number: String,
}

/// Scores rows and writes them with their predictions, in input order; counts rows with errors.
pub struct PredictionPrinter<'a, W: Write> {
    formatter: PredictionFormatter<'a>,
    out: W,
    failed: usize,
}

/// Turns rows into scored, formatted bytes on the workers; shared by them, so it holds no buffer.
pub struct PredictionFormatter<'a> {
    format: Format,
    model: &'a StanceModel,
    header: Vec<String>,
    /// Index of the statement's column.
    text_at: usize,
    explain: Option<usize>,
    keep_going: bool,
    /// Longest statement classified, in bytes.
    max_statement_bytes: usize,
}

/// `name`, or `name_predicted` when the input already has a column called `name` (gold labels,
/// typically), so no two output columns share a name.
fn output_column(name: String, input: &[String]) -> String {
    if input.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
        format!("{name}_predicted")
    } else {
        name
    }
}

impl<'a, W: Write> PredictionPrinter<'a, W> {
    /// A printer of `model`'s predictions for rows with `header` (the statement in column
    /// `text_at`); `explain` lists that many n-grams per task; with `keep_going` rows with errors
    /// are written with their error.
    pub fn new(
        format: Format,
        model: &'a StanceModel,
        header: Vec<String>,
        text_at: usize,
        explain: Option<usize>,
        keep_going: bool,
        out: W,
    ) -> Self {
        PredictionPrinter {
            formatter: PredictionFormatter {
                format,
                model,
                header,
                text_at,
                explain,
                keep_going,
                max_statement_bytes: crate::features::DEFAULT_MAX_STATEMENT_BYTES,
            },
            out,
            failed: 0,
        }
    }

    /// Refuses statements longer than `max` bytes (default
    /// [`crate::features::DEFAULT_MAX_STATEMENT_BYTES`]) as bad rows.
    pub fn with_max_statement_bytes(mut self, max: usize) -> Self {
        self.formatter.max_statement_bytes = max;
        self
    }

    /// Rows written with an error.
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Writes what comes before the first row: the CSV header, the table header or JSON's `[`.
    pub fn start(&mut self) -> Result<()> {
        let preamble = self.formatter.preamble()?;
        self.out.write_all(&preamble)?;
        Ok(())
    }

    /// Writes what comes after the last row, and flushes.
    pub fn finish(&mut self) -> Result<()> {
        if self.formatter.format == Format::Json {
            self.out.write_all(b"\n]\n")?;
        }
        self.out.flush()?;
        Ok(())
    }
}

impl PredictionFormatter<'_> {
    fn preamble(&self) -> Result<Vec<u8>> {
        Ok(match self.format {
            Format::Csv => {
                let mut columns = self.header.clone();
                if self.keep_going {
                    columns.push(output_column("error".into(), &self.header));
                }
                for task in &self.model.tasks {
                    columns.push(output_column(task.name.clone(), &self.header));
                    for class in &task.classes {
                        columns.push(output_column(format!("{}_{class}", task.name), &self.header));
                    }
                    if self.explain.is_some() {
                        columns.push(output_column(format!("{}_explain", task.name), &self.header));
                    }
                }
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&columns)?;
                w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?
            }
            Format::Json => b"[".to_vec(),
            Format::Jsonl => Vec::new(),
            Format::Table => {
                let mut line = format!("{:<TEXT_WIDTH$}", "statement");
                for (task, width) in self.model.tasks.iter().zip(table_widths(self.model)) {
                    line.push_str(&format!("  {:<width$}", task.name));
                }
                format!("{}\n", line.trim_end()).into_bytes()
            }
        })
    }

    fn write_csv_row(
        &self,
        w: &mut csv::Writer<Vec<u8>>,
        row: &InputRow,
        probabilities: &[f64],
        explanations: &[Explanation],
        number: &mut String,
    ) -> Result<()> {
        for field in row
            .record
            .iter()
            .chain(std::iter::repeat(""))
            .take(self.header.len())
        {
            w.write_field(field)?;
        }
        if self.keep_going {
            w.write_field(row.error.as_deref().unwrap_or(""))?;
        }
        let mut offset = 0;
        for (t, task) in self.model.tasks.iter().enumerate() {
            let p = &probabilities[offset..offset + task.classes.len()];
            offset += task.classes.len();
            if row.error.is_some() {
                for _ in 0..1 + task.classes.len() + usize::from(self.explain.is_some()) {
                    w.write_field("")?;
                }
                continue;
            }
            w.write_field(&task.classes[argmax(p)])?;
            for &value in p {
                number.clear();
                crate::io::push_fixed4(value, number);
                w.write_field(&*number)?;
            }
            if self.explain.is_some() {
                w.write_field(explanation_text(&explanations[t]))?;
            }
        }
        w.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn row_json(&self, row: &InputRow, probabilities: &[f64], explanations: &[Explanation]) -> Value {
        let mut object = Map::new();
        for (name, value) in self.header.iter().zip(row.record.iter()) {
            object.insert(name.clone(), Value::String(value.to_string()));
        }
        if let Some(error) = &row.error {
            object.insert("error".into(), Value::String(error.clone()));
            return Value::Object(object);
        }
        let mut tasks = Map::new();
        for (t, prediction) in self.model.predictions(probabilities).into_iter().enumerate() {
            let by_class: Map<String, Value> = prediction
                .probabilities
                .iter()
                .map(|(c, p)| (c.clone(), json!(p)))
                .collect();
            let mut entry = json!({"label": prediction.label, "probabilities": by_class});
            if self.explain.is_some() {
                let e = &explanations[t];
                entry["explanation"] = json!({
                    "bias": e.bias,
                    "terms": e.contributions.iter().map(|c| json!({"term": c.term, "weight": c.weight})).collect::<Vec<_>>(),
                });
            }
            tasks.insert(prediction.task, entry);
        }
        object.insert("predictions".into(), Value::Object(tasks));
        Value::Object(object)
    }

    fn write_table_row(
        &self,
        out: &mut Vec<u8>,
        row: &InputRow,
        probabilities: &[f64],
        explanations: &[Explanation],
    ) -> Result<()> {
        let text = row.record.get(self.text_at).unwrap_or("");
        let mut line = format!("{:<TEXT_WIDTH$}", shorten(text, TEXT_WIDTH));
        match &row.error {
            Some(error) => line.push_str(&format!("  error: {error}")),
            None => {
                for (prediction, width) in self
                    .model
                    .predictions(probabilities)
                    .iter()
                    .zip(table_widths(self.model))
                {
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
        if self.explain.is_some() && row.error.is_none() {
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

impl RowWork for PredictionFormatter<'_> {
    type Block = Vec<u8>;
    type Scratch = BlockScratch;

    fn text_column(&self) -> usize {
        self.text_at
    }

    fn row_error(&self, text: &str) -> Option<String> {
        statement_error(text, self.max_statement_bytes)
    }

    /// Scores and formats a block of rows; `first` is the stream index of its first row.
    fn process(&self, rows: &[InputRow], first: usize, scratch: &mut BlockScratch) -> Result<Vec<u8>> {
        let width = self.model.total_classes();
        scratch.probabilities.resize(width, 0.0);
        let mut csv = (self.format == Format::Csv)
            .then(|| csv::Writer::from_writer(Vec::with_capacity(rows.len() * 256)));
        let mut raw = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let text = row.record.get(self.text_at).unwrap_or("");
            let mut explanations = Vec::new();
            if row.error.is_some() {
                // No scores: the row is written with its error.
            } else if let Some(top) = self.explain {
                // The explanations carry the predictions: the statement is scored once.
                explanations = self.model.explain(text, top);
                let scores = explanations.iter().flat_map(|e| &e.prediction.probabilities);
                for (slot, (_, p)) in scratch.probabilities.iter_mut().zip(scores) {
                    *slot = *p;
                }
            } else {
                self.model
                    .probabilities_into(text, &mut scratch.predict, &mut scratch.probabilities);
            }
            let p = &scratch.probabilities;
            match (&mut csv, self.format) {
                (Some(w), _) => self.write_csv_row(w, row, p, &explanations, &mut scratch.number)?,
                (None, Format::Json) => {
                    raw.extend_from_slice(if first + i == 0 { b"\n" } else { b",\n" });
                    serde_json::to_writer_pretty(&mut raw, &self.row_json(row, p, &explanations))?;
                }
                (None, Format::Jsonl) => {
                    serde_json::to_writer(&mut raw, &self.row_json(row, p, &explanations))?;
                    raw.push(b'\n');
                }
                (None, _) => self.write_table_row(&mut raw, row, p, &explanations)?,
            }
        }
        match csv {
            Some(w) => w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error())),
            None => Ok(raw),
        }
    }
}

impl<'a, W: Write> RowSink for PredictionPrinter<'a, W> {
    type Work = PredictionFormatter<'a>;

    fn work(&self) -> &PredictionFormatter<'a> {
        &self.formatter
    }

    fn consume(&mut self, block: Vec<u8>, rows: &[InputRow]) -> Result<()> {
        self.failed += rows.iter().filter(|r| r.error.is_some()).count();
        self.out.write_all(&block)?;
        Ok(())
    }
}

/// Why a statement cannot be classified, if it cannot: it is empty, or longer than `max` bytes.
fn statement_error(text: &str, max: usize) -> Option<String> {
    if text.trim().is_empty() {
        Some("empty statement (expected text to classify)".into())
    } else {
        crate::features::statement_too_long(text.len(), max)
    }
}

fn explanation_text(e: &Explanation) -> String {
    let terms: Vec<String> = e
        .contributions
        .iter()
        .map(|c| format!("{}:{:+.3}", c.term, c.weight))
        .collect();
    format!("{} (bias {:+.3})", terms.join("; "), e.bias)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_csv_header_names_the_row_fields() {
        let found = crate::extract::extract_statements(
            "\"We are ready,\" Putin said.",
            &crate::extract::SpeakerIndex::empty(),
        );
        let statement = &found[0];
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(StatementRow::new("a.txt", statement)).unwrap();
        let written = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(written.lines().next().unwrap(), STATEMENT_COLUMNS.join(","));
    }
}
