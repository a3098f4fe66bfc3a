//! The speaker table as `labels check` reads it: the canonical names every label row must use, and
//! what the table says about each speaker — gender and country — for the corpus's coverage counts
//! (rows by women, rows per country).
//!
//! Only `speaker` is required: `gender` and `country` are read when present, so another user's
//! table with just names (or the older `speaker,gender,aliases` shape) still works. Extraction reads
//! the same file for its aliases (`crate::extract`); this reader ignores them.

use std::collections::BTreeMap;

use thiserror::Error;

/// What the table says about one speaker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpeakerFacts {
    /// The `gender` column (`m`, `f`, …), when given.
    pub gender: Option<String>,
    /// The `country` column: a country, or a body such as `United Nations`, when given.
    pub country: Option<String>,
}

impl SpeakerFacts {
    /// Whether the table marks the speaker as a woman (`f`, any case).
    pub fn is_woman(&self) -> bool {
        self.gender
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case("f"))
    }
}

/// Canonical speaker name → what the table says about them.
pub type SpeakerTable = BTreeMap<String, SpeakerFacts>;

/// Why a speaker table could not be read.
#[derive(Debug, Error, PartialEq)]
pub enum SpeakerTableError {
    /// Malformed CSV.
    #[error("{file}: {message}")]
    Csv {
        /// The table's name.
        file: String,
        /// The csv crate's description, with its line.
        message: String,
    },
    /// No `speaker` column.
    #[error("{file}: line 1: missing column `speaker` (found: {found}; expected speaker, and optionally gender and country)")]
    NoSpeakerColumn {
        /// The table's name.
        file: String,
        /// The header's columns, comma-separated.
        found: String,
    },
}

/// Reads a speaker table (`speaker`, optional `gender` and `country`, any other columns ignored).
/// Rows with an empty name are skipped.
pub fn read_speaker_table(bytes: &[u8], file: &str) -> Result<SpeakerTable, SpeakerTableError> {
    let mut reader = crate::io::csv_reader(bytes, b',');
    let csv_error = |e: csv::Error| SpeakerTableError::Csv {
        file: file.to_string(),
        message: crate::io::describe_csv_error(&e),
    };
    let header: Vec<String> = crate::io::csv_header(&mut reader)
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let speaker = column("speaker").ok_or_else(|| SpeakerTableError::NoSpeakerColumn {
        file: file.to_string(),
        found: header.join(", "),
    })?;
    let (gender, country) = (column("gender"), column("country"));
    let mut table = SpeakerTable::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let field = |at: Option<usize>| {
            at.and_then(|at| record.get(at))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let Some(name) = field(Some(speaker)) else {
            continue;
        };
        table.insert(
            name,
            SpeakerFacts {
                gender: field(gender),
                country: field(country),
            },
        );
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_and_country_are_read_when_present() {
        let table = read_speaker_table(
            b"speaker,gender,country,aliases\nAngela Merkel,f,Germany,Merkel\nStaffan de Mistura,m,United Nations,\n",
            "s.csv",
        )
        .unwrap();
        assert!(table["Angela Merkel"].is_woman());
        assert_eq!(
            table["Staffan de Mistura"].country.as_deref(),
            Some("United Nations")
        );
        let names_only = read_speaker_table(b"speaker,aliases\nVladimir Putin,Putin\n", "s.csv").unwrap();
        assert_eq!(names_only["Vladimir Putin"], SpeakerFacts::default());
    }

    #[test]
    fn a_table_without_a_speaker_column_is_named() {
        let error = read_speaker_table(b"name,gender\nX,m\n", "s.csv").unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.csv: line 1: missing column `speaker` (found: name, gender; expected speaker, and optionally gender and country)"
        );
    }
}
