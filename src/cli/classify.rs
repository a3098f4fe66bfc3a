//! `stance classify`: the label and class probabilities of each task for statements given on the
//! command line or in a CSV file, optionally with the n-grams that drove each decision.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use super::shared::{parse_delimiter, ModelInput};
use crate::io::records::{InputFormat, InputRow, RecordReader, TextColumn};
use crate::model::{argmax, Explanation, PredictScratch, StanceModel};

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

/// Rows read and handed to the workers at a time; bounds memory on long streams.
const CHUNK: usize = 4096;

/// Rows one worker scores and formats in one go.
const BLOCK: usize = 256;

/// Longest statement classified, in bytes: a longer field is an unclosed quote or a whole document,
/// and its character n-grams alone would take gigabytes.
const MAX_STATEMENT_BYTES: usize = 100_000;

/// A chunk of rows from the reader thread: the rows (the vector is sent back for reuse) and how
/// many of them are filled.
struct Chunk {
    rows: Vec<InputRow>,
    filled: usize,
    /// The first row error of the chunk with where it happened, for stopping without --keep-going.
    first_error: Option<String>,
}

/// Runs `stance classify`: with more than one thread, a reader thread parses the input into
/// chunks while the workers score and format the previous chunk block by block, and this thread
/// writes the blocks in input order; with `--threads 1` the same steps take turns on one thread.
pub fn run(args: Args) -> Result<u8> {
    let model = args.model.load()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let mut reader = match &args.input {
        Some(path) => RecordReader::open(
            path,
            args.input_format,
            &TextColumn::new(&args.text_col, "choose one with --text-col"),
            args.delimiter,
        )?,
        None => RecordReader::from_statements(args.statements.clone()),
    };
    let formatter = Formatter::new(&args, &model, reader.header().to_vec(), reader.text_column());
    let stdout = std::io::stdout();
    let mut writer = ChunkWriter {
        out: std::io::BufWriter::with_capacity(1 << 16, stdout.lock()),
        formatter: &formatter,
        pool: &pool,
        keep_going: args.keep_going,
        written: 0,
        failed: 0,
    };
    writer.out.write_all(&formatter.preamble()?)?;
    let rows_read = if pool.current_num_threads() == 1 {
        let mut rows = Vec::new();
        while let Some(chunk) = read_chunk(&mut reader, rows)? {
            rows = writer.write(chunk)?;
        }
        reader.rows_read()
    } else {
        let (chunks_out, chunks_in) = std::sync::mpsc::sync_channel::<Result<Chunk>>(1);
        let (spent_out, spent_in) = std::sync::mpsc::channel::<Vec<InputRow>>();
        std::thread::scope(|scope| -> Result<u64> {
            // Owned here, so that returning early (a write error, a bad row) drops it, which
            // unblocks and stops the reader thread before the scope waits for it.
            let chunks_in = chunks_in;
            let reading = scope.spawn(move || {
                while let Some(chunk) =
                    read_chunk(&mut reader, spent_in.try_recv().unwrap_or_default()).transpose()
                {
                    // A closed channel means the writer stopped on an error: stop reading too.
                    if chunks_out.send(chunk).is_err() {
                        break;
                    }
                }
                reader.rows_read()
            });
            for chunk in chunks_in.iter() {
                // Returning drops the receiver, which stops the reader thread.
                let _ = spent_out.send(writer.write(chunk?)?);
            }
            reading
                .join()
                .map_err(|_| anyhow::anyhow!("the input reader stopped unexpectedly"))
        })?
    };
    if rows_read == 0 {
        bail!("no statements to classify (expected at least one row under the header)");
    }
    writer.out.write_all(&formatter.epilogue())?;
    writer.out.flush()?;
    if writer.failed > 0 {
        writeln!(
            std::io::stderr(),
            "stance: {} of {rows_read} rows could not be classified (see their error column)",
            writer.failed
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

/// Reads up to `CHUNK` rows into `rows` (reused), marking rows that cannot be classified; `None`
/// at the end of the input.
fn read_chunk(reader: &mut RecordReader, mut rows: Vec<InputRow>) -> Result<Option<Chunk>> {
    let (filled, failure) = reader.read_chunk(&mut rows, CHUNK);
    if let Some(e) = failure {
        return Err(e);
    }
    let text_at = reader.text_column();
    let mut first_error = None;
    for row in &mut rows[..filled] {
        // A row that was read fine can still hold no statement to classify: its error is then
        // about the text column.
        let read_fine = row.error.is_none();
        if read_fine {
            row.error = statement_error(row.record.get(text_at).unwrap_or(""));
        }
        if let (Some(error), None) = (&row.error, &first_error) {
            first_error = Some(format!("{}: {error}", reader.origin(row, read_fine)));
        }
    }
    Ok((filled > 0).then_some(Chunk {
        rows,
        filled,
        first_error,
    }))
}

/// Scores, formats and writes chunks in input order, counting the rows with errors.
struct ChunkWriter<'a, W: Write> {
    out: W,
    formatter: &'a Formatter<'a>,
    pool: &'a rayon::ThreadPool,
    keep_going: bool,
    written: usize,
    failed: usize,
}

impl<W: Write> ChunkWriter<'_, W> {
    /// Writes one chunk (or stops at its first bad row without --keep-going) and gives its row
    /// vector back for reuse.
    fn write(&mut self, chunk: Chunk) -> Result<Vec<InputRow>> {
        if let (Some(error), false) = (&chunk.first_error, self.keep_going) {
            bail!("{error}");
        }
        let rows = &chunk.rows[..chunk.filled];
        self.failed += rows.iter().filter(|r| r.error.is_some()).count();
        let (formatter, written) = (self.formatter, self.written);
        let blocks: Vec<Result<Vec<u8>>> = self.pool.install(|| {
            rows.par_chunks(BLOCK)
                .enumerate()
                .map_init(BlockScratch::default, |scratch, (b, block)| {
                    formatter.format_block(block, written + b * BLOCK, scratch)
                })
                .collect()
        });
        for block in blocks {
            self.out.write_all(&block?)?;
        }
        self.written += rows.len();
        Ok(chunk.rows)
    }
}

/// Why a statement cannot be classified, if it cannot.
fn statement_error(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some("empty statement (expected text to classify)".into())
    } else if text.len() > MAX_STATEMENT_BYTES {
        Some(format!(
            "statement of {} bytes (expected at most {MAX_STATEMENT_BYTES}: a whole document, or an unclosed quote?)",
            text.len()
        ))
    } else {
        None
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

/// Buffers one worker reuses from block to block.
#[derive(Default)]
struct BlockScratch {
    predict: PredictScratch,
    probabilities: Vec<f64>,
    number: String,
}

/// Turns classified rows into output bytes; shared by the workers, so it holds no buffer.
struct Formatter<'a> {
    format: &'a str,
    model: &'a StanceModel,
    header: Vec<String>,
    /// Index of the statement's column.
    text_at: usize,
    explain: bool,
    top: usize,
    keep_going: bool,
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

impl<'a> Formatter<'a> {
    fn new(args: &'a Args, model: &'a StanceModel, header: Vec<String>, text_at: usize) -> Self {
        Formatter {
            format: &args.format,
            model,
            header,
            text_at,
            explain: args.explain,
            top: args.top,
            keep_going: args.keep_going,
        }
    }

    /// What comes before the first row: the CSV header, the table header or JSON's `[`.
    fn preamble(&self) -> Result<Vec<u8>> {
        Ok(match self.format {
            "csv" => {
                let mut columns = self.header.clone();
                if self.keep_going {
                    columns.push(output_column("error".into(), &self.header));
                }
                for task in &self.model.tasks {
                    columns.push(output_column(task.name.clone(), &self.header));
                    for class in &task.classes {
                        columns.push(output_column(format!("{}_{class}", task.name), &self.header));
                    }
                    if self.explain {
                        columns.push(output_column(format!("{}_explain", task.name), &self.header));
                    }
                }
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&columns)?;
                w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?
            }
            "json" => b"[".to_vec(),
            "jsonl" => Vec::new(),
            _ => {
                let mut line = format!("{:<TEXT_WIDTH$}", "statement");
                for (task, width) in self.model.tasks.iter().zip(table_widths(self.model)) {
                    line.push_str(&format!("  {:<width$}", task.name));
                }
                format!("{}\n", line.trim_end()).into_bytes()
            }
        })
    }

    /// What comes after the last row.
    fn epilogue(&self) -> Vec<u8> {
        match self.format {
            "json" => b"\n]\n".to_vec(),
            _ => Vec::new(),
        }
    }

    /// Scores and formats a block of rows; `first` is the stream index of its first row.
    fn format_block(&self, rows: &[InputRow], first: usize, scratch: &mut BlockScratch) -> Result<Vec<u8>> {
        let width = self.model.total_classes();
        scratch.probabilities.resize(width, 0.0);
        let mut csv =
            (self.format == "csv").then(|| csv::Writer::from_writer(Vec::with_capacity(rows.len() * 256)));
        let mut raw = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let text = row.record.get(self.text_at).unwrap_or("");
            let mut explanations = Vec::new();
            if row.error.is_some() {
                // No scores: the row is written with its error.
            } else if self.explain {
                // The explanations carry the predictions: the statement is scored once.
                explanations = self.model.explain(text, self.top);
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
                (None, "json") => {
                    raw.extend_from_slice(if first + i == 0 { b"\n" } else { b",\n" });
                    serde_json::to_writer_pretty(&mut raw, &self.row_json(row, p, &explanations))?;
                }
                (None, "jsonl") => {
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
                for _ in 0..1 + task.classes.len() + usize::from(self.explain) {
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
            if self.explain {
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
            if self.explain {
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
        if self.explain && row.error.is_none() {
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
