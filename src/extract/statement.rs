//! What extraction produces: a statement, its kind, and the bound on its length.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Whether a statement is the speaker's own words in quotation marks or a paraphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatementKind {
    /// Words inside quotation marks.
    Direct,
    /// The clause of a speech verb (`said that ...`, `according to ...`).
    Reported,
}

impl StatementKind {
    /// The lowercase name used in label files: `direct` or `reported`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Direct => "direct",
            StatementKind::Reported => "reported",
        }
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A statement kind that is neither `direct` nor `reported`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown statement kind `{found}` (expected `direct` or `reported`)")]
pub struct ParseKindError {
    /// The text that was found.
    pub found: String,
}

impl FromStr for StatementKind {
    type Err = ParseKindError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "direct" => Ok(StatementKind::Direct),
            "reported" => Ok(StatementKind::Reported),
            _ => Err(ParseKindError { found: s.to_string() }),
        }
    }
}

/// One thing a person said, located in the article it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Byte offset of the first byte of `text` in the article.
    pub start: usize,
    /// Byte offset just past the last byte of `text`; `article[start..end] == text`.
    pub end: usize,
    /// Canonical name of the speaker (from the alias table, or the full name as found for a
    /// person the table does not know); `None` when the text does not make it clear.
    pub speaker: Option<String>,
    /// The words that named the speaker (`the Russian leader`, `he`); empty when none did.
    pub speaker_mention: String,
    /// Direct quote or reported speech.
    pub kind: StatementKind,
    /// What was said: the words inside the marks, or the reported clause.
    pub text: String,
    /// The words that introduced the statement (`said`, `stressed that`, `according to`);
    /// empty for a quote nobody is credited with.
    pub cue: String,
}

/// Longest statement text emitted, in bytes; a longer clause is cut at a word boundary.
pub const MAX_STATEMENT_BYTES: usize = 4096;
