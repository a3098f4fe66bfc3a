//! Streams of statements to classify: CSV or JSONL, from a file or standard input, or the
//! statements given on the command line, read one row at a time into reused buffers.
//!
//! A row that cannot be read (a ragged CSV record, a JSONL line that is not an object) comes back
//! with its error and its line rather than ending the stream, so the caller decides between
//! stopping and writing it with its error; only a failing read of the input itself is an `Err`.

use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use super::{csv_reader, CrlfToLf};

/// How an input stream is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A CSV file with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl std::str::FromStr for InputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(InputFormat::Csv),
            "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
            _ => Err(format!("expected csv or jsonl, found {s:?}")),
        }
    }
}

/// The column that holds the statement, and what to tell the user when an input lacks it.
#[derive(Debug, Clone)]
pub struct TextColumn {
    /// Its name, compared without case.
    pub name: String,
    /// The advice appended to the missing-column error ("choose one with --text-col").
    pub hint: String,
}

impl TextColumn {
    /// The column `name`, with `hint` for when it is missing.
    pub fn new(name: &str, hint: &str) -> Self {
        TextColumn {
            name: name.into(),
            hint: hint.into(),
        }
    }
}

/// One input row: its fields in header order, where it stands, and why it cannot be used, if so.
#[derive(Debug, Clone, Default)]
pub struct InputRow {
    /// The row's values, one per header column (JSON values other than strings as JSON text).
    pub record: csv::StringRecord,
    /// 1-based line in the input, or the statement's number for command-line statements.
    pub line: u64,
    /// Why the row cannot be classified (a malformed record), if it cannot.
    pub error: Option<String>,
}

enum Source {
    Arguments(std::vec::IntoIter<String>),
    Csv(Box<csv::Reader<CrlfToLf<Box<dyn BufRead + Send>>>>),
    Jsonl {
        input: Box<dyn BufRead + Send>,
        line: u64,
        buffer: String,
        /// The first object, read to learn the fields, not yet handed out.
        pending: Option<(u64, Map<String, Value>)>,
    },
}

/// Names where rows of one input stand, for messages.
#[derive(Debug, Clone)]
pub struct RowOrigins {
    name: String,
    text_column: String,
    arguments: bool,
}

impl RowOrigins {
    /// "statements.csv: line 7", with `in_text` "statements.csv: line 7, column `text`", or
    /// "statement 2" for command-line statements.
    pub fn of(&self, row: &InputRow, in_text: bool) -> String {
        match (self.arguments, in_text) {
            (true, _) => format!("statement {}", row.line),
            (false, true) => format!("{}: line {}, column `{}`", self.name, row.line, self.text_column),
            (false, false) => format!("{}: line {}", self.name, row.line),
        }
    }
}

/// A stream of statement rows with a header and a text column.
pub struct RecordReader {
    name: String,
    header: Vec<String>,
    text_at: usize,
    source: Source,
    rows_read: u64,
}

impl RecordReader {
    /// Statements given directly (on the command line): one `text` column, numbered from 1.
    pub fn from_statements(statements: Vec<String>) -> Self {
        RecordReader {
            name: String::new(),
            header: vec!["text".into()],
            text_at: 0,
            source: Source::Arguments(statements.into_iter()),
            rows_read: 0,
        }
    }

    /// Opens `path` (`-`: standard input) as CSV or JSONL: `format`, else by extension (`.jsonl`,
    /// `.ndjson`), else by its first non-blank byte (`{` means JSONL). `columns` says which column
    /// holds the statement and what to tell the user when it is missing.
    pub fn open(
        path: &Path,
        format: Option<InputFormat>,
        columns: &TextColumn,
        delimiter: u8,
    ) -> Result<Self> {
        let name = if super::is_stdio(path) {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let input: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(1 << 16, super::open_reader(path)?));
        let format = format.or_else(|| match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "ndjson") => Some(InputFormat::Jsonl),
            Some("csv" | "tsv") => Some(InputFormat::Csv),
            _ => None,
        });
        Self::from_reader(name, input, format, columns, delimiter)
    }

    /// `open` for an input already opened, named `name` in messages; without `format`, the first
    /// non-blank byte decides (`{` means JSONL).
    pub fn from_reader(
        name: String,
        mut input: Box<dyn BufRead + Send>,
        format: Option<InputFormat>,
        columns: &TextColumn,
        delimiter: u8,
    ) -> Result<Self> {
        let text_column = columns.name.as_str();
        let format = match format {
            Some(format) => format,
            None => sniff(&mut input, &name)?,
        };
        let find_text = |header: &[String]| {
            header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(text_column))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{name}: line 1: missing column `{text_column}` (found: {}; {})",
                        header.join(", "),
                        columns.hint
                    )
                })
        };
        match format {
            InputFormat::Csv => {
                let mut reader = csv_reader(input, delimiter);
                let header = super::csv_header(&mut reader).map_err(|e| super::csv_row_error(&name, e))?;
                let text_at = find_text(&header)?;
                Ok(RecordReader {
                    name,
                    header,
                    text_at,
                    source: Source::Csv(Box::new(reader)),
                    rows_read: 0,
                })
            }
            InputFormat::Jsonl => {
                let mut buffer = String::new();
                let mut line = 0;
                let first = match next_object(&mut input, &mut buffer, &name, &mut line)? {
                    None => bail!(
                        "{name}: no JSON object (expected one object per line with a `{text_column}` field)"
                    ),
                    Some(Ok(object)) => object,
                    Some(Err(NotAnObject::Other)) => {
                        bail!("{name}: line {line}: expected a JSON object with a `{text_column}` field")
                    }
                    Some(Err(NotAnObject::Syntax(e))) => {
                        bail!("{name}: line {line}, column {}: {e}", e.column())
                    }
                };
                let header: Vec<String> = first.keys().cloned().collect();
                let text_at = find_text(&header)?;
                Ok(RecordReader {
                    name,
                    header,
                    text_at,
                    source: Source::Jsonl {
                        input,
                        line,
                        buffer,
                        pending: Some((line, first)),
                    },
                    rows_read: 0,
                })
            }
        }
    }

    /// The column names, in order.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Index of the statement's column in the header.
    pub fn text_column(&self) -> usize {
        self.text_at
    }

    /// Rows handed out so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Where a row stands, for messages: "statements.csv: line 7", with `in_text` "statements.csv:
    /// line 7, column `text`", or "statement 2" for command-line statements.
    pub fn origin(&self, row: &InputRow, in_text: bool) -> String {
        self.origins().of(row, in_text)
    }

    /// What [`RecordReader::origin`] needs, apart from the reader (which may be busy on another
    /// thread).
    pub fn origins(&self) -> RowOrigins {
        RowOrigins {
            name: self.name.clone(),
            text_column: self.header[self.text_at].clone(),
            arguments: matches!(self.source, Source::Arguments(_)),
        }
    }

    /// The input's name in messages ("<stdin>" for standard input).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Reads up to `limit` rows into `rows` (reusing its rows, adding more as needed) and returns
    /// how many it filled: fewer than `limit` at the end of the stream. A failing read of the input
    /// ends the chunk early and comes back beside the count of rows read before it.
    pub fn read_chunk(&mut self, rows: &mut Vec<InputRow>, limit: usize) -> (usize, Option<anyhow::Error>) {
        let mut filled = 0;
        while filled < limit {
            if filled == rows.len() {
                rows.push(InputRow::default());
            }
            match self.read_into(&mut rows[filled]) {
                Ok(true) => filled += 1,
                Ok(false) => break,
                Err(e) => return (filled, Some(e)),
            }
        }
        (filled, None)
    }

    /// Reads the next row into `row`, reusing its buffers; `false` at the end of the stream.
    pub fn read_into(&mut self, row: &mut InputRow) -> Result<bool> {
        row.error = None;
        let more = match &mut self.source {
            Source::Arguments(statements) => match statements.next() {
                Some(statement) => {
                    row.record.clear();
                    row.record.push_field(&statement);
                    row.line = self.rows_read + 1;
                    true
                }
                None => false,
            },
            Source::Csv(reader) => match reader.read_record(&mut row.record) {
                Ok(more) => {
                    row.line = row.record.position().map_or(0, |p| p.line());
                    more
                }
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                    return Err(super::csv_row_error(&self.name, e))
                }
                Err(e) => {
                    row.line = e.position().map_or(0, |p| p.line());
                    row.error = Some(super::describe_csv_error(&e));
                    blank(&mut row.record, self.header.len());
                    true
                }
            },
            Source::Jsonl {
                input,
                line,
                buffer,
                pending,
            } => {
                let object = match pending.take() {
                    Some((at, object)) => {
                        row.line = at;
                        Ok(object)
                    }
                    None => match next_object(input, buffer, &self.name, line)? {
                        None => return Ok(false),
                        Some(object) => {
                            row.line = *line;
                            object.map_err(|e| match e {
                                NotAnObject::Other => "expected a JSON object".to_string(),
                                NotAnObject::Syntax(e) => format!("column {}: {e}", e.column()),
                            })
                        }
                    },
                };
                match object.and_then(|o| fill_from_object(&mut row.record, &self.header, o)) {
                    Ok(()) => {}
                    Err(error) => {
                        row.error = Some(error);
                        blank(&mut row.record, self.header.len());
                    }
                }
                true
            }
        };
        if more {
            self.rows_read += 1;
        }
        Ok(more)
    }
}

/// Makes `record` a row of `width` empty fields.
fn blank(record: &mut csv::StringRecord, width: usize) {
    record.clear();
    for _ in 0..width {
        record.push_field("");
    }
}

/// Fills `record` with the object's values in header order; a field outside the header is an
/// error rather than silently dropped.
fn fill_from_object(
    record: &mut csv::StringRecord,
    header: &[String],
    mut object: Map<String, Value>,
) -> Result<(), String> {
    record.clear();
    for name in header {
        match object.remove(name) {
            Some(Value::String(s)) => record.push_field(&s),
            Some(Value::Null) | None => record.push_field(""),
            Some(other) => record.push_field(&other.to_string()),
        }
    }
    if let Some(extra) = object.keys().next() {
        return Err(format!(
            "field `{extra}` is not among the first line's fields ({}; expected the same fields on every line)",
            header.join(", ")
        ));
    }
    Ok(())
}

/// Reads one line, naming the file and line when the bytes are not UTF-8.
fn read_line(input: &mut dyn BufRead, buffer: &mut String, name: &str, line: u64) -> Result<usize> {
    input.read_line(buffer).map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidData {
            anyhow::anyhow!("{name}: line {line}: not UTF-8 text (expected UTF-8 JSON)")
        } else {
            anyhow::anyhow!("{name}: {e}")
        }
    })
}

/// Why a JSONL line is not a JSON object.
enum NotAnObject {
    /// It is not JSON.
    Syntax(serde_json::Error),
    /// It is JSON, but not an object.
    Other,
}

/// The next non-blank line of a JSONL input as a JSON object, `line` counting the lines read;
/// `None` at the end of the input.
fn next_object(
    input: &mut dyn BufRead,
    buffer: &mut String,
    name: &str,
    line: &mut u64,
) -> Result<Option<Result<Map<String, Value>, NotAnObject>>> {
    loop {
        buffer.clear();
        if read_line(input, buffer, name, *line + 1)? == 0 {
            return Ok(None);
        }
        *line += 1;
        if !buffer.trim().is_empty() {
            return Ok(Some(match serde_json::from_str::<Value>(buffer) {
                Ok(Value::Object(object)) => Ok(object),
                Ok(_) => Err(NotAnObject::Other),
                Err(e) => Err(NotAnObject::Syntax(e)),
            }));
        }
    }
}

/// Guesses CSV or JSONL from the first non-blank byte, without consuming anything.
pub fn sniff(input: &mut Box<dyn BufRead + Send>, name: &str) -> Result<InputFormat> {
    let buffered = input.fill_buf().map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok(match buffered.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => InputFormat::Jsonl,
        _ => InputFormat::Csv,
    })
}

/// Reads everything `reader` holds, for tests.
#[cfg(test)]
fn all_rows(mut reader: RecordReader) -> Vec<(Vec<String>, u64, Option<String>)> {
    let mut row = InputRow::default();
    let mut rows = Vec::new();
    while reader.read_into(&mut row).unwrap() {
        rows.push((
            row.record.iter().map(str::to_string).collect(),
            row.line,
            row.error.clone(),
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str) -> TextColumn {
        TextColumn::new(name, "choose one with --text-col")
    }

    fn file(name: &str, content: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_rows_come_with_their_lines_and_bad_rows_with_errors() {
        let (_dir, path) = file("s.csv", "id,text\n1,Assad must go\n2,a,b\n3,\"two\nlines\"\n");
        let reader = RecordReader::open(&path, None, &column("TEXT"), b',').unwrap();
        assert_eq!(reader.header(), ["id", "text"]);
        assert_eq!(reader.text_column(), 1);
        let rows = all_rows(reader);
        assert_eq!(rows[0], (vec!["1".into(), "Assad must go".into()], 2, None));
        assert_eq!(rows[1].1, 3);
        assert!(rows[1].2.as_deref().unwrap().contains("expected 2 fields"));
        assert_eq!(rows[1].0, ["", ""]);
        assert_eq!(rows[2], (vec!["3".into(), "two\nlines".into()], 4, None));
    }

    #[test]
    fn jsonl_is_recognised_by_content_and_keeps_every_field() {
        let (_dir, path) = file(
            "s.txt",
            "\n{\"text\": \"Assad must go\", \"speaker\": \"Hollande\", \"n\": 3}\n\n{\"text\": \"x\", \"speaker\": null}\n[1]\n{\"text\": \"y\", \"other\": 1}\n",
        );
        let reader = RecordReader::open(&path, None, &column("text"), b',').unwrap();
        assert_eq!(reader.header(), ["n", "speaker", "text"]);
        let rows = all_rows(reader);
        assert_eq!(
            rows[0],
            (
                vec!["3".into(), "Hollande".into(), "Assad must go".into()],
                2,
                None
            )
        );
        assert_eq!(rows[1], (vec!["".into(), "".into(), "x".into()], 4, None));
        assert_eq!(rows[2].1, 5);
        assert_eq!(rows[2].2.as_deref(), Some("expected a JSON object"));
        assert_eq!(rows[3].1, 6);
        assert!(rows[3].2.as_deref().unwrap().contains("field `other`"));
    }

    #[test]
    fn a_missing_text_column_is_named_with_what_was_found() {
        let (_dir, path) = file("s.jsonl", "{\"body\": \"x\"}\n");
        let err = RecordReader::open(&path, None, &column("text"), b',')
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("line 1: missing column `text` (found: body"),
            "{err}"
        );
        let (_dir, path) = file("s.jsonl", "not json\n");
        let err = RecordReader::open(&path, None, &column("text"), b',')
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("line 1, column 2"), "{err}");
    }

    #[test]
    fn statements_are_numbered_from_one() {
        let reader = RecordReader::from_statements(vec!["a".into(), "b".into()]);
        let rows = all_rows(reader);
        assert_eq!(rows[1], (vec!["b".into()], 2, None));
    }
}
