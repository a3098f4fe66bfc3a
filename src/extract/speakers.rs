//! The alias table: canonical speaker names, their genders and the other ways articles name them.
//!
//! Lookups are accent- and case-insensitive because sources disagree on both (`François
//! Hollande`, `Francois Hollande`, `the French president`, `the French President`): every alias
//! is folded the same way sentences are (see [`super::tokens::fold_phrase`]), and one
//! Aho-Corasick automaton over the folded aliases finds all mentions of a sentence in one pass.
//! Aliases written with a capital letter only match text with a capital letter, so the alias
//! `Trump` does not match "trump card".

use std::collections::{HashMap, HashSet};
use std::io::Read;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use thiserror::Error;

use super::lexicon::{descriptor_key, is, is_nationality_key, Kind};
use super::tokens::{fold_phrase, fold_words};

/// A speaker's gender, used to resolve `he` and `she`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Resolves `he`.
    Male,
    /// Resolves `she`.
    Female,
}

/// A person of the alias table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// Canonical full name, as labels use it (`Francois Hollande`).
    pub name: String,
    /// Gender, if the table gives one.
    pub gender: Option<Gender>,
}

/// Why an alias table could not be read. Every message names the file and, where there is one,
/// the line.
#[derive(Debug, Error)]
pub enum SpeakerError {
    /// The CSV itself is malformed (unclosed quote, invalid UTF-8, ragged row).
    #[error("{file}: {message}")]
    Csv {
        /// The file being read.
        file: String,
        /// The csv crate's description, with its position.
        message: String,
    },
    /// A required column is missing from the header.
    #[error(
        "{file}: line 1: missing column `{column}` (expected header speaker,gender,aliases; found: {found})"
    )]
    MissingColumn {
        /// The file being read.
        file: String,
        /// The missing column.
        column: String,
        /// The header that was found, comma-separated.
        found: String,
    },
    /// A row has an empty `speaker`.
    #[error("{file}: line {line}: empty speaker name (expected the canonical full name)")]
    EmptyName {
        /// The file being read.
        file: String,
        /// The line of the row.
        line: u64,
    },
    /// A row's gender is not `m`, `f` or empty.
    #[error("{file}: line {line}: gender `{found}` (expected m, f or empty)")]
    BadGender {
        /// The file being read.
        file: String,
        /// The line of the row.
        line: u64,
        /// The value found.
        found: String,
    },
    /// One alias names two different speakers.
    #[error("{file}: line {line}: alias `{alias}` of {second} already names {first} (an alias must name one person; remove one)")]
    AliasConflict {
        /// The file being read.
        file: String,
        /// The line of the second use.
        line: u64,
        /// The alias.
        alias: String,
        /// The speaker it named first.
        first: String,
        /// The speaker of this line.
        second: String,
    },
    /// The aliases could not be compiled into a matcher (far too many or too long).
    #[error("{file}: cannot build the alias matcher: {message}")]
    Matcher {
        /// The file being read.
        file: String,
        /// The underlying error.
        message: String,
    },
}

/// Folded alias keys to speakers, plus the automaton that finds aliases in folded sentences.
#[derive(Debug, Clone, Default)]
pub struct SpeakerIndex {
    speakers: Vec<Speaker>,
    keys: HashMap<String, usize>,
    matcher: Option<AhoCorasick>,
    /// Per automaton pattern: speaker, whether the alias is a role description, whether the
    /// matched text must contain a capital letter.
    patterns: Vec<(usize, bool, bool)>,
    descriptors: Vec<HashSet<String>>,
}

impl SpeakerIndex {
    /// Reads a `speaker,gender,aliases` CSV (aliases `;`-separated, gender `m`/`f`/empty), such
    /// as `labels/speakers.csv`; `file` names the source in error messages.
    pub fn from_csv<R: Read>(reader: R, file: &str) -> Result<SpeakerIndex, SpeakerError> {
        let mut csv = crate::io::CsvOptions::new()
            .flexible(true)
            .trim(true)
            .reader(reader);
        let csv_error = |e: csv::Error| SpeakerError::Csv {
            file: file.to_string(),
            message: e.to_string(),
        };
        let header = csv.headers().map_err(csv_error)?.clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
        };
        let missing = |name: &str| SpeakerError::MissingColumn {
            file: file.to_string(),
            column: name.to_string(),
            found: header.iter().collect::<Vec<_>>().join(","),
        };
        let name_col = column("speaker").ok_or_else(|| missing("speaker"))?;
        let gender_col = column("gender").ok_or_else(|| missing("gender"))?;
        let alias_col = column("aliases").ok_or_else(|| missing("aliases"))?;

        let mut builder = Builder::default();
        for record in csv.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, |p| p.line());
            let name = record.get(name_col).unwrap_or("").trim();
            if name.is_empty() {
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Err(SpeakerError::EmptyName {
                    file: file.to_string(),
                    line,
                });
            }
            let gender = match record.get(gender_col).unwrap_or("").trim() {
                "" => None,
                g if g.eq_ignore_ascii_case("m") => Some(Gender::Male),
                g if g.eq_ignore_ascii_case("f") => Some(Gender::Female),
                other => {
                    return Err(SpeakerError::BadGender {
                        file: file.to_string(),
                        line,
                        found: other.to_string(),
                    })
                }
            };
            let aliases: Vec<&str> = record
                .get(alias_col)
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect();
            builder
                .add(name, gender, &aliases)
                .map_err(|(alias, first)| SpeakerError::AliasConflict {
                    file: file.to_string(),
                    line,
                    alias,
                    first,
                    second: name.to_string(),
                })?;
        }
        builder.build().map_err(|message| SpeakerError::Matcher {
            file: file.to_string(),
            message,
        })
    }

    /// An index that knows nobody: only names found in the text (and pronouns) can be resolved.
    pub fn empty() -> SpeakerIndex {
        SpeakerIndex::default()
    }

    /// The speaker a mention names (`the French President`, `François Hollande`, `Hollande`),
    /// ignoring accents, case, a leading `the`, a possessive and an honorific (`Mr`).
    pub fn resolve(&self, mention: &str) -> Option<&Speaker> {
        self.resolve_id(mention).and_then(|i| self.speakers.get(i))
    }

    /// All speakers of the table, in file order.
    pub fn speakers(&self) -> impl Iterator<Item = &Speaker> {
        self.speakers.iter()
    }

    /// Index of the speaker a mention names (see [`SpeakerIndex::resolve`]).
    pub(crate) fn resolve_id(&self, mention: &str) -> Option<usize> {
        let key = fold_phrase(mention);
        let mut candidates = vec![key.clone()];
        let mut k = key.as_str();
        for suffix in [" 's", " '"] {
            if let Some(stripped) = k.strip_suffix(suffix) {
                k = stripped;
                candidates.push(k.to_string());
            }
        }
        if let Some((first, rest)) = k.split_once(' ') {
            if first == "the" || is(first, Kind::HONORIFIC) {
                candidates.push(rest.to_string());
            }
        }
        candidates.iter().find_map(|c| self.keys.get(c).copied())
    }

    /// The speaker at `index`.
    pub(crate) fn speaker(&self, index: usize) -> Option<&Speaker> {
        self.speakers.get(index)
    }

    /// The automaton over folded aliases, `None` when the table is empty.
    pub(crate) fn matcher(&self) -> Option<&AhoCorasick> {
        self.matcher.as_ref()
    }

    /// For an automaton pattern: its speaker, whether it is a role alias, whether the matched
    /// text must contain a capital letter.
    pub(crate) fn pattern_info(&self, pattern: usize) -> (usize, bool, bool) {
        self.patterns.get(pattern).copied().unwrap_or((0, false, false))
    }

    /// The descriptor keys of `speaker`'s aliases (title words and nationalities, as produced by
    /// [`descriptor_key`]).
    pub(crate) fn descriptors(&self, speaker: usize) -> impl Iterator<Item = &str> {
        self.descriptors
            .get(speaker)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Whether any alias of `speaker` gives a nationality (`French`, `Russian`, `U.S.`).
    pub(crate) fn has_nationality(&self, speaker: usize) -> bool {
        self.descriptors
            .get(speaker)
            .is_some_and(|d| d.iter().any(|k| is_nationality_key(k)))
    }

    /// Whether any alias of `speaker` names an office (`president`, `minister`, ...).
    pub(crate) fn has_any_role(&self, speaker: usize) -> bool {
        self.descriptors
            .get(speaker)
            .is_some_and(|d| d.iter().any(|k| is(k, Kind::ROLE_HEAD)))
    }

    /// Whether any alias of `speaker` contains the descriptor `key` (a title word or nationality,
    /// as produced by [`descriptor_key`]).
    pub(crate) fn has_descriptor(&self, speaker: usize, key: &str) -> bool {
        self.descriptors.get(speaker).is_some_and(|d| d.contains(key))
    }
}

/// Most aliases matched with a DFA (see `Builder::build`); the shipped table has about 800.
const MAX_DFA_PATTERNS: usize = 4_000;

/// Collects speakers and aliases, checking that no alias names two people.
#[derive(Default)]
struct Builder {
    speakers: Vec<Speaker>,
    keys: HashMap<String, usize>,
    patterns: Vec<(String, usize, bool, bool)>,
    descriptors: Vec<HashSet<String>>,
}

impl Builder {
    /// Adds one speaker; on conflict returns the alias and the speaker it already names.
    fn add(&mut self, name: &str, gender: Option<Gender>, aliases: &[&str]) -> Result<(), (String, String)> {
        let id = self.speakers.len();
        self.speakers.push(Speaker {
            name: name.to_string(),
            gender,
        });
        let mut descriptors = HashSet::new();
        for alias in std::iter::once(name).chain(aliases.iter().copied()) {
            let key = fold_phrase(alias);
            if key.is_empty() {
                continue;
            }
            let words = fold_words(alias);
            for w in &words {
                if w != "the" && w != "of" {
                    descriptors.insert(descriptor_key(w));
                }
            }
            match self.keys.get(&key) {
                Some(&other) if other != id => {
                    let first = self
                        .speakers
                        .get(other)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    return Err((alias.to_string(), first));
                }
                Some(_) => continue,
                None => {}
            }
            self.keys.insert(key.clone(), id);
            let role = is_role_alias(&words);
            let needs_upper = alias.chars().any(char::is_uppercase);
            self.patterns.push((key, id, role, needs_upper));
        }
        self.descriptors.push(descriptors);
        Ok(())
    }

    fn build(self) -> Result<SpeakerIndex, String> {
        let matcher = if self.patterns.is_empty() {
            None
        } else {
            // A DFA searches fastest but takes about 85 KB per speaker (20,000 speakers: 1.7 GB);
            // past a table of a few hundred speakers a contiguous NFA keeps memory in tens of MB.
            let kind = if self.patterns.len() <= MAX_DFA_PATTERNS {
                AhoCorasickKind::DFA
            } else {
                AhoCorasickKind::ContiguousNFA
            };
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(kind))
                .build(self.patterns.iter().map(|p| p.0.as_str()))
                .map_err(|e| e.to_string())?;
            Some(ac)
        };
        Ok(SpeakerIndex {
            speakers: self.speakers,
            keys: self.keys,
            matcher,
            patterns: self.patterns.iter().map(|p| (p.1, p.2, p.3)).collect(),
            descriptors: self.descriptors,
        })
    }
}

/// `the French president`, `the Syrian head of state`: a description of an office, not a name.
fn is_role_alias(words: &[String]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if first != "the" {
        return false;
    }
    let n = words.len();
    let last = words[n - 1].as_str();
    is(last, Kind::ROLE_HEAD)
        || (n >= 3
            && matches!(last, "state" | "government")
            && words[n - 2] == "of"
            && is(&words[n - 3], Kind::ROLE_HEAD))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "speaker,gender,aliases\n\
        Francois Hollande,m,François Hollande;Hollande;the French President\n\
        Angela Merkel,f,Merkel;the German Chancellor\n";

    #[test]
    fn resolves_accent_and_case_insensitively() {
        let index = SpeakerIndex::from_csv(TABLE.as_bytes(), "speakers.csv").unwrap();
        for mention in [
            "FRANÇOIS HOLLANDE",
            "francois hollande",
            "the french president",
            "Hollande’s",
            "Mr Hollande",
        ] {
            assert_eq!(
                index.resolve(mention).map(|s| s.name.as_str()),
                Some("Francois Hollande"),
                "{mention}"
            );
        }
        assert_eq!(
            index.resolve("Merkel").and_then(|s| s.gender),
            Some(Gender::Female)
        );
        assert!(index.resolve("Putin").is_none());
        assert_eq!(index.speakers().count(), 2);
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad = "speaker,gender,aliases\nA B,m,\nC D,x,\n";
        let err = SpeakerIndex::from_csv(bad.as_bytes(), "s.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.csv: line 3: gender `x` (expected m, f or empty)"
        );
        let conflict = "speaker,gender,aliases\nA B,m,Boss\nC D,f,boss\n";
        let err = SpeakerIndex::from_csv(conflict.as_bytes(), "s.csv").unwrap_err();
        assert!(
            err.to_string().starts_with("s.csv: line 3: alias `boss`"),
            "{err}"
        );
        let missing = "name,gender\nA,m\n";
        let err = SpeakerIndex::from_csv(missing.as_bytes(), "s.csv").unwrap_err();
        assert!(err.to_string().contains("missing column `speaker`"), "{err}");
    }

    #[test]
    fn role_aliases_are_recognised() {
        let words = |s: &str| fold_words(s);
        assert!(is_role_alias(&words("the French President")));
        assert!(is_role_alias(&words("the Syrian head of state")));
        assert!(!is_role_alias(&words("the Russian President Vladimir Putin")));
        assert!(!is_role_alias(&words("Hollande")));
    }
}
