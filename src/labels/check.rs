//! Checking label files the way a careful annotator needs: every problem of every row at once
//! (not just the first), errors that must be fixed apart from warnings worth a look, and the class
//! distribution per task and per speaker.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::duplicates::{DuplicateIndex, Sameness, TextKey, NEAR_DUPLICATE};
use super::speakers::{SpeakerFacts, SpeakerTable};
use super::{allowed_values, normalize_label, KNOWN_TASKS, SUSPICIOUS_TEXT_BYTES};
use crate::io::describe_csv_error;

/// Columns every labelled statement file must have.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "id",
    "source",
    "date",
    "speaker",
    "kind",
    "text",
    "assad",
    "military_action",
    "sentiment",
    "note",
];

/// The year of rows without a valid date, in `CheckReport::per_year`.
pub const NO_DATE: &str = "(no date)";

/// The country of speakers the table gives none, in `CheckReport::per_country`.
pub const NO_COUNTRY: &str = "(no country)";

/// The country of speakers missing from the table, in `CheckReport::per_country`.
pub const NOT_IN_TABLE: &str = "(not in the table)";

/// A statement longer than this is flagged: it is probably a paragraph, not a statement.
pub const LONG_TEXT_CHARS: usize = 600;

/// Limits and references a check applies.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Most rows one source may contribute (default 40).
    pub max_per_source: usize,
    /// The speaker table: every row's speaker must be one of its canonical names, and its gender
    /// and country columns give the rows by women and per country; `None` skips both.
    pub speakers: Option<SpeakerTable>,
    /// Word-shingle overlap (Jaccard) at which two texts count as near-duplicates (default 0.8).
    pub near_duplicate: f64,
    /// Longest statement text accepted, in bytes (an error above it).
    pub max_text_bytes: usize,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            max_per_source: 40,
            speakers: None,
            near_duplicate: NEAR_DUPLICATE,
            max_text_bytes: crate::features::DEFAULT_MAX_STATEMENT_BYTES,
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed: the files do not follow the schema or the guideline's hard rules.
    Error,
    /// Worth a look: may be legitimate (a joint statement, a syndicated copy).
    Warning,
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// File name.
    pub file: String,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: u64,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(
                f,
                "{severity}: {}: line {}: {}",
                self.file, self.line, self.message
            )
        } else {
            write!(f, "{severity}: {}: {}", self.file, self.message)
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Rows read.
    pub rows: usize,
    /// Files read.
    pub files: usize,
    /// Every finding, errors first, then by file and line.
    pub findings: Vec<Finding>,
    /// Task → class → rows.
    pub classes: BTreeMap<String, BTreeMap<String, usize>>,
    /// Speaker → task → class → rows.
    pub per_speaker: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
    /// Distinct sources.
    pub sources: usize,
    /// Rows per year of their `date` (`(no date)` for rows without a valid one).
    pub per_year: BTreeMap<String, usize>,
    /// Rows per country of their speaker in the speaker table (`(no country)` for speakers the
    /// table gives none, `(not in the table)` for the others); empty without a speaker table.
    pub per_country: BTreeMap<String, usize>,
    /// Rows whose speaker the speaker table marks as a woman (gender `f`); none without a table.
    pub rows_by_women: Option<usize>,
}

impl CheckReport {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// A row kept for the checks that look across rows.
struct SeenRow {
    file: String,
    line: u64,
    id: String,
    speaker: String,
    source: String,
}

fn is_valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    date.len() == 10
        && (1900..=2100).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days[(m - 1) as usize]
}

/// Checks label files given as (name, bytes).
pub fn check_files(files: &[(String, Vec<u8>)], settings: &CheckSettings) -> CheckReport {
    let mut report = CheckReport {
        files: files.len(),
        ..CheckReport::default()
    };
    let mut seen: Vec<SeenRow> = Vec::new();
    let mut texts = DuplicateIndex::new(settings.near_duplicate);
    let mut find = |severity, file: &str, line, message: String| {
        report.findings.push(Finding {
            severity,
            file: file.to_string(),
            line,
            message,
        })
    };
    let mut classes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut per_speaker: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>> = BTreeMap::new();
    for (file, bytes) in files {
        let mut reader = crate::io::CsvOptions::new()
            .flexible(true)
            .reader(bytes.as_slice());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase())
                .collect(),
            Err(e) => {
                find(Severity::Error, file, 1, describe_csv_error(&e));
                continue;
            }
        };
        if header.iter().all(String::is_empty) {
            find(
                Severity::Error,
                file,
                0,
                "empty file (expected a header and labelled rows)".into(),
            );
            continue;
        }
        let missing: Vec<&str> = REQUIRED_COLUMNS
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c))
            .collect();
        if !missing.is_empty() {
            find(
                Severity::Error,
                file,
                1,
                format!(
                    "missing column(s) {} (expected: {})",
                    missing.join(", "),
                    REQUIRED_COLUMNS.join(",")
                ),
            );
            continue;
        }
        let mut duplicate_columns = BTreeSet::new();
        for (i, h) in header.iter().enumerate() {
            if header[..i].contains(h) {
                duplicate_columns.insert(h.clone());
            }
        }
        if !duplicate_columns.is_empty() {
            let names: Vec<String> = duplicate_columns.into_iter().collect();
            find(
                Severity::Error,
                file,
                1,
                format!("column(s) {} appear twice", names.join(", ")),
            );
            continue;
        }
        let at = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
        let mut rows_here = 0;
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    find(Severity::Error, file, line, describe_csv_error(&e));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != header.len() {
                find(
                    Severity::Error,
                    file,
                    line,
                    format!(
                        "expected {} fields like the header, found {} (a ragged row or an unclosed quote)",
                        header.len(),
                        record.len()
                    ),
                );
                continue;
            }
            rows_here += 1;
            let get = |name: &str| record.get(at(name)).unwrap_or("").trim();
            let (id, source, speaker, text) = (get("id"), get("source"), get("speaker"), get("text"));
            for (column, value) in [("id", id), ("source", source), ("speaker", speaker)] {
                if value.is_empty() {
                    find(
                        Severity::Error,
                        file,
                        line,
                        format!("empty `{column}` (every row needs one)"),
                    );
                }
            }
            if !is_valid_date(get("date")) {
                find(
                    Severity::Error,
                    file,
                    line,
                    format!("`date` {:?} is not a date YYYY-MM-DD", get("date")),
                );
            }
            if !matches!(get("kind"), "direct" | "reported") {
                find(
                    Severity::Error,
                    file,
                    line,
                    format!("`kind` {:?} (allowed: direct, reported)", get("kind")),
                );
            }
            if text.is_empty() {
                find(
                    Severity::Error,
                    file,
                    line,
                    "empty `text` (expected the statement's exact words)".into(),
                );
            } else if let Some(problem) =
                crate::features::statement_too_long(text.len(), settings.max_text_bytes)
            {
                find(Severity::Error, file, line, format!("`text`: {problem}"));
            } else if text.len() > SUSPICIOUS_TEXT_BYTES {
                find(
                    Severity::Warning,
                    file,
                    line,
                    format!(
                        "`text` of {} bytes: a statement, not a document? (is a quote unclosed?)",
                        text.len()
                    ),
                );
            } else if text.chars().count() > LONG_TEXT_CHARS {
                find(
                    Severity::Warning,
                    file,
                    line,
                    format!("`text` of {} characters: a statement, not a paragraph? (flagged above {LONG_TEXT_CHARS})", text.chars().count()),
                );
            }
            if !source.is_empty()
                && !source.starts_with("http://")
                && !source.starts_with("https://")
                && !source.ends_with(".txt")
            {
                find(
                    Severity::Warning,
                    file,
                    line,
                    format!("`source` {source:?} is neither a URL nor an article file name"),
                );
            }
            for (task, _) in KNOWN_TASKS {
                let raw = get(task);
                let value = normalize_label(raw);
                let allowed = allowed_values(task).unwrap_or(&[]);
                if !allowed.contains(&value.as_str()) {
                    find(
                        Severity::Error,
                        file,
                        line,
                        format!("`{task}` {raw:?} (allowed: {})", allowed.join(", ")),
                    );
                    continue;
                }
                *classes
                    .entry(task.to_string())
                    .or_default()
                    .entry(value.clone())
                    .or_insert(0) += 1;
                *per_speaker
                    .entry(speaker.to_string())
                    .or_default()
                    .entry(task.to_string())
                    .or_default()
                    .entry(value)
                    .or_insert(0) += 1;
            }
            let year = match is_valid_date(get("date")) {
                true => &get("date")[..4],
                false => NO_DATE,
            };
            *report.per_year.entry(year.to_string()).or_insert(0) += 1;
            if let Some(table) = &settings.speakers {
                let facts = table.get(speaker);
                let country = match facts {
                    Some(facts) => facts.country.as_deref().unwrap_or(NO_COUNTRY),
                    None => NOT_IN_TABLE,
                };
                *report.per_country.entry(country.to_string()).or_insert(0) += 1;
                let woman = facts.is_some_and(SpeakerFacts::is_woman);
                *report.rows_by_women.get_or_insert(0) += usize::from(woman);
                if !speaker.is_empty() && facts.is_none() {
                    find(
                        Severity::Error,
                        file,
                        line,
                        format!(
                            "speaker {speaker:?} is not in the speaker table (add a line to speakers.csv)"
                        ),
                    );
                }
            }
            texts.insert(TextKey::new(text));
            seen.push(SeenRow {
                file: file.clone(),
                line,
                id: id.to_string(),
                speaker: speaker.to_string(),
                source: source.to_string(),
            });
        }
        if rows_here == 0 {
            find(
                Severity::Error,
                file,
                0,
                "no labelled rows (expected at least one row under the header)".into(),
            );
        }
        report.rows += rows_here;
    }
    let mut ids: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for row in &seen {
        if row.id.is_empty() {
            continue;
        }
        if let Some((file, line)) = ids.get(row.id.as_str()) {
            find(
                Severity::Error,
                &row.file,
                row.line,
                format!("id {:?} already used at {file}: line {line}", row.id),
            );
        } else {
            ids.insert(&row.id, (&row.file, row.line));
        }
    }
    let mut by_source: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &seen {
        *by_source.entry(&row.source).or_insert(0) += 1;
    }
    report.sources = by_source.len();
    for (source, count) in &by_source {
        if *count > settings.max_per_source {
            let first = seen
                .iter()
                .find(|r| r.source == *source)
                .map(|r| r.file.as_str())
                .unwrap_or("");
            find(
                Severity::Error,
                first,
                0,
                format!(
                    "source {source} contributes {count} rows (at most {} per source)",
                    settings.max_per_source
                ),
            );
        }
    }
    for (earlier, later, sameness) in texts.pairs() {
        let (a, b) = (&seen[earlier], &seen[later]);
        let what = match sameness {
            Sameness::Same => "same text",
            Sameness::Near | Sameness::Contained => "nearly the same text",
        };
        let who = if a.speaker == b.speaker {
            "same speaker"
        } else {
            "another speaker"
        };
        find(
            Severity::Warning,
            &b.file,
            b.line,
            format!(
                "{what} as id {:?} ({}: line {}; {who}): one statement labelled twice?",
                a.id, a.file, a.line
            ),
        );
    }
    report.findings.sort();
    report.classes = classes;
    report.per_speaker = per_speaker;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,source,date,speaker,kind,text,assad,military_action,sentiment,note\n";

    fn check(files: &[(&str, String)]) -> CheckReport {
        let files: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, c)| (n.to_string(), c.clone().into_bytes()))
            .collect();
        let settings = CheckSettings {
            max_per_source: 2,
            speakers: Some(
                [("Vladimir Putin".to_string(), SpeakerFacts::default())]
                    .into_iter()
                    .collect(),
            ),
            ..CheckSettings::default()
        };
        check_files(&files, &settings)
    }

    #[test]
    fn finds_every_problem_of_every_row() {
        let csv = format!(
            "{HEADER}a1,https://x,2015-11-26,Vladimir Putin,direct,We are ready for this cooperation,none,none,positive,\n\
             a1,https://x,2015-02-30,Vladimir Putin,quoted,,favour,none,positive,\n\
             a3,https://x,2015-11-26,Nobody,direct,We are ready for this cooperation,none,none,positive,\n\
             a4,https://x,2015-11-26,Vladimir Putin,direct,something else entirely here,none,none,positive,\n"
        );
        let report = check(&[("l.csv", csv)]);
        let messages: Vec<String> = report.findings.iter().map(|f| f.to_string()).collect();
        let has = |part: &str| messages.iter().any(|m| m.contains(part));
        assert!(
            has("error: l.csv: line 3: `date` \"2015-02-30\" is not a date"),
            "{messages:#?}"
        );
        assert!(has("line 3: `kind` \"quoted\" (allowed: direct, reported)"));
        assert!(has("line 3: empty `text`"));
        assert!(has("line 3: `assad` \"favour\" (allowed: favor, against, none)"));
        assert!(has("line 3: id \"a1\" already used at l.csv: line 2"));
        assert!(has("line 4: speaker \"Nobody\" is not in the speaker table"));
        assert!(has("source https://x contributes 4 rows (at most 2 per source)"));
        assert!(has("warning: l.csv: line 4: same text as id \"a1\""));
        assert_eq!(report.rows, 4);
        assert_eq!(
            report.classes["sentiment"]["positive"], 4,
            "valid labels of a row with errors still count"
        );
    }

    #[test]
    fn missing_columns_and_empty_files_are_errors() {
        let report = check(&[
            ("a.csv", "id,text\n1,x\n".into()),
            ("b.csv", String::new()),
            ("c.csv", HEADER.into()),
        ]);
        let messages: Vec<String> = report.findings.iter().map(|f| f.to_string()).collect();
        assert!(
            messages[0].starts_with("error: a.csv: line 1: missing column(s) source, date"),
            "{messages:#?}"
        );
        assert!(messages
            .iter()
            .any(|m| m == "error: b.csv: empty file (expected a header and labelled rows)"));
        assert!(messages
            .iter()
            .any(|m| m.starts_with("error: c.csv: no labelled rows")));
    }

    #[test]
    fn near_duplicates_are_warned() {
        let csv = format!(
            "{HEADER}a,https://x,2015-11-26,Vladimir Putin,direct,the Syrian president's fate should be entirely in the hands of the Syrian people,favor,none,neutral,\n\
             b,https://y,2015-11-26,Vladimir Putin,direct,the Syrian president's fate should be entirely in the hands of the Syrian people.,favor,none,neutral,\n\
             c,https://z,2015-11-26,Vladimir Putin,direct,\"fate should be entirely in the hands of the Syrian people, he said, and of nobody else at all\",favor,none,neutral,\n"
        );
        let report = check(&[("l.csv", csv)]);
        assert_eq!(report.count(Severity::Warning), 1, "{:#?}", report.findings);
        assert_eq!(report.count(Severity::Error), 0);
    }

    #[test]
    fn dates_are_checked_for_real() {
        assert!(is_valid_date("2016-02-29"));
        assert!(!is_valid_date("2015-02-29"));
        assert!(!is_valid_date("2015-1-05"));
        assert!(!is_valid_date("2015-13-01"));
    }

    #[test]
    fn rows_are_counted_per_year_per_country_and_by_women() {
        let csv = format!(
            "{HEADER}a,https://x,2015-11-26,Vladimir Putin,direct,We are ready,none,none,positive,\n\
             b,https://y,2013-09-01,Angela Merkel,direct,No military solution,none,against,neutral,\n\
             c,https://z,2015-13-01,Staffan de Mistura,direct,Talks must go on,none,none,neutral,\n\
             d,https://w,2016-01-02,Nobody Known,direct,Assad must go,against,none,negative,\n"
        );
        let facts = |gender: &str, country: Option<&str>| SpeakerFacts {
            gender: Some(gender.to_string()),
            country: country.map(str::to_string),
        };
        let settings = CheckSettings {
            speakers: Some(
                [
                    ("Vladimir Putin".to_string(), facts("m", Some("Russia"))),
                    ("Angela Merkel".to_string(), facts("f", Some("Germany"))),
                    ("Staffan de Mistura".to_string(), facts("m", None)),
                ]
                .into_iter()
                .collect(),
            ),
            ..CheckSettings::default()
        };
        let report = check_files(&[("l.csv".to_string(), csv.into_bytes())], &settings);
        let counts = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
            pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
        };
        assert_eq!(
            report.per_year,
            counts(&[("2013", 1), ("2015", 1), ("2016", 1), (NO_DATE, 1)])
        );
        assert_eq!(
            report.per_country,
            counts(&[("Russia", 1), ("Germany", 1), (NO_COUNTRY, 1), (NOT_IN_TABLE, 1)])
        );
        assert_eq!(report.rows_by_women, Some(1));
        let row = format!("{HEADER}a,https://x,2015-11-26,X,direct,ok,none,none,positive,\n");
        let without_table = check_files(
            &[("l.csv".to_string(), row.into_bytes())],
            &CheckSettings::default(),
        );
        assert!(without_table.per_country.is_empty() && without_table.rows_by_women.is_none());
    }
}
