//! The labelled-statement CSV schema, read into examples and per-task labels.
//!
//! Two shapes are read, told apart by the header: the *wide* format of `labels/` (one row per
//! statement, one column per task: `assad`, `military_action`, `sentiment`, …) and the *long*
//! format of public stance datasets (`text,target,stance`: one row per statement and target, each
//! target becoming a task). Every error names the file, the line and what was expected.

pub mod agreement;
pub mod check;
pub mod duplicates;
pub mod grouping;
pub mod speakers;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use thiserror::Error;

pub use grouping::Grouping;

/// Label values a known task accepts; any other task takes whatever values its column holds.
pub const KNOWN_TASKS: &[(&str, &[&str])] = &[
    ("assad", &["favor", "against", "none"]),
    ("military_action", &["favor", "against", "none"]),
    ("sentiment", &["positive", "negative", "neutral"]),
];

/// Stance values of the long format, whatever the target.
pub const STANCE_VALUES: &[&str] = &["favor", "against", "none"];

/// Columns of the wide format that describe a statement rather than label it.
pub const DESCRIPTIVE_COLUMNS: &[&str] = &[
    "id",
    "source",
    "date",
    "speaker",
    "kind",
    "note",
    "url",
    "title",
    "start",
    "end",
    "cue",
    "speaker_mention",
    "fold",
    "error",
];

/// Length above which a statement text that spans several lines, one of which looks like a row of
/// its own, is reported as a possibly unclosed quote (a warning: real speeches are longer).
pub const SUSPICIOUS_TEXT_BYTES: usize = 10_000;

/// Columns whose name starts with this are never tasks: `labels suggest` writes the model's
/// guesses, probabilities and uncertainty in them beside the empty label columns, so a filled-in
/// suggestion file is a label file as it stands.
pub const MODEL_COLUMN_PREFIX: &str = "model_";

/// Why a label file could not be read.
#[derive(Debug, Error)]
pub enum LabelError {
    /// The CSV itself is malformed (unclosed quote, ragged row, invalid UTF-8).
    #[error("{file}: {message}")]
    Csv {
        /// The file being read.
        file: String,
        /// The csv crate's description, with its line.
        message: String,
    },
    /// The file has no header or no rows.
    #[error("{file}: no labelled rows (expected a header and at least one row)")]
    Empty {
        /// The file being read.
        file: String,
    },
    /// A required column is not in the header.
    #[error("{file}: line 1: missing column `{column}` (found: {found})")]
    MissingColumn {
        /// The file being read.
        file: String,
        /// The column that was expected.
        column: String,
        /// The header's columns, comma-separated.
        found: String,
    },
    /// The header names a column twice.
    #[error("{file}: line 1: column `{column}` appears twice in the header")]
    DuplicateColumn {
        /// The file being read.
        file: String,
        /// The repeated column.
        column: String,
    },
    /// No label column besides the text and descriptive columns.
    #[error("{file}: line 1: no label column (expected one of assad, military_action, sentiment, or target+stance; found: {found})")]
    NoTaskColumn {
        /// The file being read.
        file: String,
        /// The header's columns, comma-separated.
        found: String,
    },
    /// A label value outside the task's allowed values.
    #[error("{file}: line {line}, column `{column}`: unknown label {value:?} (allowed: {allowed})")]
    UnknownLabel {
        /// The file being read.
        file: String,
        /// 1-based line of the row.
        line: u64,
        /// The column holding the value.
        column: String,
        /// The value found.
        value: String,
        /// The allowed values, comma-separated.
        allowed: String,
    },
    /// The text column is empty or too long on a row.
    #[error("{file}: line {line}, column `{column}`: {problem}")]
    BadText {
        /// The file being read.
        file: String,
        /// 1-based line of the row.
        line: u64,
        /// The text column.
        column: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A task was requested with `--task` but no file has it.
    #[error("task `{task}` is not in the label files (found: {found})")]
    UnknownTask {
        /// The requested task.
        task: String,
        /// The tasks found, comma-separated.
        found: String,
    },
    /// One id labelled two ways for one task (the message `labels check` gives for a reused id,
    /// with the two labels).
    #[error("{0}")]
    ConflictingLabels(Box<IdConflict>),
}

/// One id with two labels for one task.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}: line {}: id {id:?} already used at {}: line {}, with another `{task}` label ({here} here, {there} there): fix one of the two rows (`stance labels check` lists every such row)", here_at.file, here_at.line, there_at.file, there_at.line)]
pub struct IdConflict {
    /// The id.
    pub id: String,
    /// The task whose labels differ.
    pub task: String,
    /// The later row.
    pub here_at: RowOrigin,
    /// Its label.
    pub here: String,
    /// The first row with the id.
    pub there_at: RowOrigin,
    /// Its label.
    pub there: String,
}

/// Where a row came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOrigin {
    /// File name as given.
    pub file: String,
    /// 1-based line number of the row (the header is line 1).
    pub line: u64,
}

/// One labelled statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The statement text.
    pub text: String,
    /// The cross-validation group (the `source` column, or the example's own row when absent).
    pub group: String,
    /// The `speaker` column, when present.
    pub speaker: Option<String>,
    /// The `id` column, when present.
    pub id: Option<String>,
    /// Where the row came from.
    pub origin: RowOrigin,
    /// Every column of the row by header name, for checks that need more than the text.
    pub fields: BTreeMap<String, String>,
}

/// The labels of one task: which examples carry it, and with which class.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLabels {
    /// Task name (a wide-format column or a long-format target).
    pub name: String,
    /// (example index, label) pairs in file order.
    pub rows: Vec<(usize, String)>,
}

impl TaskLabels {
    /// Distinct labels, sorted.
    pub fn classes(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self.rows.iter().map(|(_, l)| l).collect();
        set.into_iter().cloned().collect()
    }

    /// Rows per label, sorted by label.
    pub fn class_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for (_, label) in &self.rows {
            *counts.entry(label.clone()).or_insert(0) += 1;
        }
        counts
    }
}

/// Statements and their labels, from one or more files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelledData {
    /// The statements, in file order.
    pub examples: Vec<Example>,
    /// One entry per task, sorted by name.
    pub tasks: Vec<TaskLabels>,
    /// Things worth a look that did not stop the reading (a possibly unclosed quote), each naming
    /// its file and line.
    pub warnings: Vec<String>,
}

impl LabelledData {
    /// The task called `name`.
    pub fn task(&self, name: &str) -> Option<&TaskLabels> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// Adds the rows of `other` after this data's rows, merging tasks of the same name.
    pub fn append(&mut self, other: LabelledData) {
        let offset = self.examples.len();
        self.examples.extend(other.examples);
        self.warnings.extend(other.warnings);
        for task in other.tasks {
            let rows = task.rows.into_iter().map(|(i, l)| (i + offset, l));
            match self.tasks.iter_mut().find(|t| t.name == task.name) {
                Some(existing) => existing.rows.extend(rows),
                None => self.tasks.push(TaskLabels {
                    name: task.name,
                    rows: rows.collect(),
                }),
            }
        }
        self.tasks.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Checks that no id carries two different labels for one task: which label would be right is
    /// not for training to guess (issue 17). A row repeated with the same labels is kept and
    /// noted in `warnings`, since it counts twice.
    pub fn check_ids(&mut self) -> Result<(), LabelError> {
        let mut repeats = Vec::new();
        for task in &self.tasks {
            let mut first: HashMap<&str, (usize, &str)> = HashMap::new();
            for (example, label) in &task.rows {
                let Some(id) = self.examples[*example].id.as_deref().filter(|id| !id.is_empty()) else {
                    continue;
                };
                let Some(&(earlier, earlier_label)) = first.get(id) else {
                    first.insert(id, (*example, label));
                    continue;
                };
                let (here_at, there_at) = (&self.examples[*example].origin, &self.examples[earlier].origin);
                if earlier_label != label {
                    return Err(LabelError::ConflictingLabels(Box::new(IdConflict {
                        id: id.to_string(),
                        task: task.name.clone(),
                        here_at: here_at.clone(),
                        here: label.clone(),
                        there_at: there_at.clone(),
                        there: earlier_label.to_string(),
                    })));
                }
                repeats.push((
                    here_at.clone(),
                    id.to_string(),
                    there_at.clone(),
                    task.name.clone(),
                ));
            }
        }
        repeats.sort_by(|a, b| (&a.0.file, a.0.line).cmp(&(&b.0.file, b.0.line)));
        repeats.dedup_by(|a, b| a.0 == b.0);
        for (here, id, there, task) in repeats {
            self.warnings.push(format!(
                "{}: line {}: id {id:?} already used at {}: line {}, with the same `{task}` label: the statement counts twice",
                here.file, here.line, there.file, there.line
            ));
        }
        Ok(())
    }

    /// Keeps only the named tasks; an unknown name is an error.
    pub fn select_tasks(&mut self, names: &[String]) -> Result<(), LabelError> {
        if names.is_empty() {
            return Ok(());
        }
        for name in names {
            if self.task(name).is_none() {
                return Err(LabelError::UnknownTask {
                    task: name.clone(),
                    found: self
                        .tasks
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        self.tasks.retain(|t| names.contains(&t.name));
        Ok(())
    }
}

/// How to read a label file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The column holding the statement (default `text`; `tweet` is also recognised).
    pub text_column: Option<String>,
    /// Field delimiter (default `,`).
    pub delimiter: u8,
    /// The column that groups rows for cross-validation (default `source`).
    pub group_column: String,
    /// Longest statement text accepted, in bytes (default
    /// [`crate::features::DEFAULT_MAX_STATEMENT_BYTES`]).
    pub max_text_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_column: None,
            delimiter: b',',
            group_column: "source".into(),
            max_text_bytes: crate::features::DEFAULT_MAX_STATEMENT_BYTES,
        }
    }
}

/// Whether a statement text looks like an unclosed quote swallowed rows of the file: it is long,
/// spans several lines, and one of its lines has as many fields as the header.
fn looks_like_swallowed_rows(text: &str, delimiter: u8, columns: usize) -> bool {
    text.len() > SUSPICIOUS_TEXT_BYTES
        && columns > 1
        && text
            .lines()
            .skip(1)
            .any(|line| line.bytes().filter(|&b| b == delimiter).count() + 1 >= columns)
}

/// The two label-file shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// One row per statement, one column per task.
    Wide,
    /// One row per statement and target: `text,target,stance`.
    Long,
}

/// Normalises a label value: trimmed, lower case.
pub fn normalize_label(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The allowed values of a known task.
pub fn allowed_values(task: &str) -> Option<&'static [&'static str]> {
    KNOWN_TASKS.iter().find(|(n, _)| *n == task).map(|(_, v)| *v)
}

fn csv_error(file: &str, err: csv::Error) -> LabelError {
    LabelError::Csv {
        file: file.to_string(),
        message: crate::io::csv_error_at(&err),
    }
}

/// Reads one label file. `file` names it in messages.
pub fn read_labels<R: Read>(
    reader: R,
    file: &str,
    options: &ReadOptions,
) -> Result<LabelledData, LabelError> {
    let mut csv_reader = crate::io::csv_reader(reader, options.delimiter);
    let header: Vec<String> = crate::io::csv_header(&mut csv_reader)
        .map_err(|e| csv_error(file, e))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(LabelError::Empty { file: file.into() });
    }
    let found = header.join(", ");
    let mut seen = BTreeSet::new();
    for column in &header {
        if !seen.insert(column.as_str()) {
            return Err(LabelError::DuplicateColumn {
                file: file.into(),
                column: column.clone(),
            });
        }
    }
    let position = |name: &str| header.iter().position(|h| h == name);
    let text_name = match &options.text_column {
        Some(name) => name.to_lowercase(),
        None if position("text").is_none() && position("tweet").is_some() => "tweet".into(),
        None => "text".into(),
    };
    let text_at = position(&text_name).ok_or_else(|| LabelError::MissingColumn {
        file: file.into(),
        column: text_name.clone(),
        found: found.clone(),
    })?;
    let format = if position("target").is_some() && position("stance").is_some() {
        LabelFormat::Long
    } else {
        LabelFormat::Wide
    };
    let task_columns: Vec<(usize, String)> = match format {
        LabelFormat::Long => vec![],
        LabelFormat::Wide => header
            .iter()
            .enumerate()
            .filter(|(i, h)| *i != text_at && !h.is_empty() && !DESCRIPTIVE_COLUMNS.contains(&h.as_str()))
            .filter(|(_, h)| !h.starts_with(MODEL_COLUMN_PREFIX))
            .filter(|(_, h)| **h != options.group_column)
            .map(|(i, h)| (i, h.clone()))
            .collect(),
    };
    if format == LabelFormat::Wide && task_columns.is_empty() {
        return Err(LabelError::NoTaskColumn {
            file: file.into(),
            found,
        });
    }
    let group_at = position(&options.group_column);
    let mut data = LabelledData::default();
    let mut task_rows: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (_, name) in &task_columns {
        task_rows.insert(name.clone(), Vec::new());
    }
    for record in csv_reader.records() {
        let record = record.map_err(|e| csv_error(file, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let text = record.get(text_at).unwrap_or("").trim().to_string();
        let bad_text = |problem: String| LabelError::BadText {
            file: file.into(),
            line,
            column: text_name.clone(),
            problem,
        };
        if text.is_empty() {
            return Err(bad_text(
                "empty statement text (expected the statement's words)".into(),
            ));
        }
        if let Some(problem) = crate::features::statement_too_long(text.len(), options.max_text_bytes) {
            return Err(bad_text(problem));
        }
        if looks_like_swallowed_rows(&text, options.delimiter, header.len()) {
            data.warnings.push(format!(
                "{file}: line {line}, column `{text_name}`: a text of {} bytes over several lines, one of which looks like a row of its own: is a quote unclosed?",
                text.len()
            ));
        }
        let fields: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        let index = data.examples.len();
        let group = group_at
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map_or_else(|| format!("{file}:{line}"), str::to_string);
        let unknown = |column: &str, value: &str, allowed: &[&str]| LabelError::UnknownLabel {
            file: file.into(),
            line,
            column: column.into(),
            value: value.into(),
            allowed: allowed.join(", "),
        };
        match format {
            LabelFormat::Wide => {
                for (at, name) in &task_columns {
                    let raw = record.get(*at).unwrap_or("");
                    let value = normalize_label(raw);
                    if value.is_empty() {
                        continue;
                    }
                    if let Some(allowed) = allowed_values(name) {
                        if !allowed.contains(&value.as_str()) {
                            return Err(unknown(name, raw, allowed));
                        }
                    }
                    task_rows
                        .get_mut(name)
                        .expect("task column registered")
                        .push((index, value));
                }
            }
            LabelFormat::Long => {
                let target = fields.get("target").map(|t| t.trim()).unwrap_or("");
                let raw = fields.get("stance").map(String::as_str).unwrap_or("");
                let value = normalize_label(raw);
                if target.is_empty() {
                    return Err(LabelError::BadText {
                        file: file.into(),
                        line,
                        column: "target".into(),
                        problem: "empty target (expected the target the stance is about)".into(),
                    });
                }
                if !STANCE_VALUES.contains(&value.as_str()) {
                    return Err(unknown("stance", raw, STANCE_VALUES));
                }
                task_rows
                    .entry(target.to_string())
                    .or_default()
                    .push((index, value));
            }
        }
        data.examples.push(Example {
            text,
            group,
            speaker: fields
                .get("speaker")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            id: fields
                .get("id")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            origin: RowOrigin {
                file: file.into(),
                line,
            },
            fields,
        });
    }
    if data.examples.is_empty() {
        return Err(LabelError::Empty { file: file.into() });
    }
    data.tasks = task_rows
        .into_iter()
        .map(|(name, rows)| TaskLabels { name, rows })
        .collect();
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str) -> Result<LabelledData, LabelError> {
        read_labels(csv.as_bytes(), "t.csv", &ReadOptions::default())
    }

    #[test]
    fn reads_the_wide_format() {
        let data = read(
            "id,source,speaker,kind,text,assad,military_action,sentiment,note\n\
             s1,a.txt,Francois Hollande,direct,Assad must go,AGAINST,none,negative,\n\
             s2,b.txt,Vladimir Putin,direct,We are ready,none,,positive,\n",
        )
        .unwrap();
        assert_eq!(data.examples.len(), 2);
        assert_eq!(data.examples[1].group, "b.txt");
        assert_eq!(data.examples[1].origin.line, 3);
        let names: Vec<&str> = data.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["assad", "military_action", "sentiment"]);
        assert_eq!(
            data.task("assad").unwrap().rows,
            [(0, "against".into()), (1, "none".into())]
        );
        // An empty label means "not labelled for this task", not a class.
        assert_eq!(data.task("military_action").unwrap().rows.len(), 1);
    }

    #[test]
    fn model_columns_of_a_suggestion_file_are_not_tasks() {
        let data = read(
            "id,text,assad,note,model_assad,model_assad_favor,model_rank\n\
             sg-1,Assad must go,against,,against,0.1000,1\n",
        )
        .unwrap();
        let names: Vec<&str> = data.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["assad"]);
    }

    #[test]
    fn reads_the_long_format_with_targets_as_tasks() {
        let data = read(
            "Target,Tweet,Stance\nAtheism,God is good,AGAINST\nClimate,Act now,FAVOR\nAtheism,meh,NONE\n",
        )
        .unwrap();
        assert_eq!(data.examples.len(), 3);
        assert!(data.task("atheism").is_none());
        assert_eq!(
            data.task("Atheism").unwrap().rows,
            [(0, "against".into()), (2, "none".into())]
        );
    }

    #[test]
    fn unknown_label_names_file_line_column_and_allowed_values() {
        let err = read("text,assad\nfine,favour\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv: line 2, column `assad`: unknown label \"favour\" (allowed: favor, against, none)"
        );
    }

    #[test]
    fn missing_text_column_lists_the_header() {
        let err = read("statement,assad\nx,favor\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv: line 1: missing column `text` (found: statement, assad)"
        );
    }

    #[test]
    fn duplicate_columns_empty_files_and_empty_text_are_errors() {
        assert!(matches!(
            read("text,assad,assad\n"),
            Err(LabelError::DuplicateColumn { .. })
        ));
        assert!(matches!(read(""), Err(LabelError::Empty { .. })));
        assert!(matches!(read("text,assad\n"), Err(LabelError::Empty { .. })));
        assert!(matches!(
            read("text,assad\n  ,favor\n"),
            Err(LabelError::BadText { line: 2, .. })
        ));
    }

    #[test]
    fn ragged_rows_report_their_line() {
        let err = read("text,assad\na,favor\nb,favor,extra\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.csv: line 3: expected 2 fields"), "{err}");
    }

    #[test]
    fn a_bom_does_not_hide_the_first_column() {
        let data = read("\u{feff}text,assad\nAssad must go,against\n").unwrap();
        assert_eq!(data.examples.len(), 1);
    }

    #[test]
    fn append_merges_tasks_and_offsets_indices() {
        let mut a = read("text,assad\nx,favor\n").unwrap();
        let b = read("text,assad,sentiment\ny,against,negative\n").unwrap();
        a.append(b);
        assert_eq!(
            a.task("assad").unwrap().rows,
            [(0, "favor".into()), (1, "against".into())]
        );
        assert_eq!(a.task("sentiment").unwrap().rows, [(1, "negative".into())]);
    }
}
