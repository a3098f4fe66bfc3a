//! Scores extracted statements against hand-labelled ones (`labels/statements.csv`).
//!
//! A prediction matches a gold row when it comes from the same article, names the same speaker
//! (compared accent- and case-insensitively) and its span overlaps the gold span by at least half
//! of the shorter of the two. The gold span is found by searching the article for the gold text
//! (first occurrence). Each gold row matches at most one prediction and vice versa; the pairing
//! is a maximum matching (augmenting paths), so the order of predictions cannot change a score.
//!
//! Predictions without a speaker are not counted in precision: they are reported separately as
//! `unattributed`, because the extractor keeps unattributed quotes on purpose. Direct and reported
//! speech are scored separately by matching only gold rows and predictions of that kind, so a
//! quote extracted as reported speech counts in the overall score but not in either per-kind one.

use std::fmt;
use std::io::Read;

use thiserror::Error;

use super::statement::{Statement, StatementKind};
use super::tokens::fold_phrase;

/// One hand-labelled statement: the columns of `labels/statements.csv` that evaluation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldStatement {
    /// Article file name (or URL) the statement comes from.
    pub source: String,
    /// Canonical speaker name.
    pub speaker: String,
    /// Direct or reported.
    pub kind: StatementKind,
    /// The statement's text, copied character for character from the article.
    pub text: String,
}

/// Why a gold file could not be read; messages name the file and line.
#[derive(Debug, Error)]
pub enum GoldError {
    /// The CSV itself is malformed.
    #[error("{file}: {message}")]
    Csv {
        /// The file being read.
        file: String,
        /// The csv crate's description, with its position.
        message: String,
    },
    /// A required column is missing.
    #[error(
        "{file}: line 1: missing column `{column}` (expected source, speaker, kind and text; found: {found})"
    )]
    MissingColumn {
        /// The file being read.
        file: String,
        /// The missing column.
        column: String,
        /// The header found, comma-separated.
        found: String,
    },
    /// A row's `kind` is not `direct` or `reported`.
    #[error("{file}: line {line}: kind `{found}` (expected direct or reported)")]
    BadKind {
        /// The file being read.
        file: String,
        /// The row's line.
        line: u64,
        /// The value found.
        found: String,
    },
    /// A required field is empty.
    #[error("{file}: line {line}: empty `{column}`")]
    EmptyField {
        /// The file being read.
        file: String,
        /// The row's line.
        line: u64,
        /// The empty column.
        column: String,
    },
}

/// Reads gold statements from a CSV with at least the columns `source,speaker,kind,text` (other
/// columns are ignored); `file` names the source in error messages.
pub fn read_gold<R: Read>(reader: R, file: &str) -> Result<Vec<GoldStatement>, GoldError> {
    let mut csv = crate::io::CsvOptions::new().flexible(true).reader(reader);
    let csv_error = |e: csv::Error| GoldError::Csv {
        file: file.to_string(),
        message: e.to_string(),
    };
    let header = csv.headers().map_err(csv_error)?.clone();
    let column = |name: &str| -> Result<usize, GoldError> {
        header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| GoldError::MissingColumn {
                file: file.to_string(),
                column: name.to_string(),
                found: header.iter().collect::<Vec<_>>().join(","),
            })
    };
    let cols = [
        column("source")?,
        column("speaker")?,
        column("kind")?,
        column("text")?,
    ];
    let mut out = Vec::new();
    for record in csv.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let mut fields = [""; 4];
        for (k, (&col, name)) in cols.iter().zip(["source", "speaker", "kind", "text"]).enumerate() {
            fields[k] = record.get(col).unwrap_or("");
            if fields[k].trim().is_empty() {
                return Err(GoldError::EmptyField {
                    file: file.to_string(),
                    line,
                    column: name.to_string(),
                });
            }
        }
        let kind = fields[2].parse().map_err(|_| GoldError::BadKind {
            file: file.to_string(),
            line,
            found: fields[2].to_string(),
        })?;
        out.push(GoldStatement {
            source: fields[0].trim().to_string(),
            speaker: fields[1].trim().to_string(),
            kind,
            text: fields[3].to_string(),
        });
    }
    Ok(out)
}

/// Counts for one score: matches, predictions and gold rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Predictions matched to a gold row.
    pub true_positives: usize,
    /// Predictions counted (those with a speaker).
    pub predicted: usize,
    /// Gold rows counted.
    pub gold: usize,
}

impl Scores {
    /// Share of counted predictions that match a gold row (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }

    /// Share of gold rows that were found (0 when there is no gold row).
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  (matched {}, predicted {}, gold {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.predicted,
            self.gold
        )
    }
}

/// Evaluation of an extraction run: overall, per kind, and how many predictions had no speaker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtractionScores {
    /// All statements, kinds ignored when matching.
    pub overall: Scores,
    /// Direct quotes only (gold and predictions of kind direct).
    pub direct: Scores,
    /// Reported speech only.
    pub reported: Scores,
    /// Predictions without a speaker (not counted in precision).
    pub unattributed: usize,
}

impl fmt::Display for ExtractionScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "overall   {}", self.overall)?;
        writeln!(f, "direct    {}", self.direct)?;
        writeln!(f, "reported  {}", self.reported)?;
        write!(f, "unattributed predictions: {}", self.unattributed)
    }
}

/// Scores `predicted` (source, statement) against `gold` for the `articles` (source, text) given.
/// Gold rows and predictions whose source is not among `articles` are ignored.
pub fn evaluate(
    articles: &[(String, String)],
    predicted: &[(String, Statement)],
    gold: &[GoldStatement],
) -> ExtractionScores {
    let mut scores = ExtractionScores::default();
    for (source, text) in articles {
        let preds: Vec<&Statement> = predicted
            .iter()
            .filter(|(s, _)| s == source)
            .map(|(_, p)| p)
            .collect();
        let golds: Vec<&GoldStatement> = gold.iter().filter(|g| &g.source == source).collect();
        scores.unattributed += preds.iter().filter(|p| !attributed(p)).count();
        let all = match_article(text, &preds, &golds, None);
        add(&mut scores.overall, &all);
        add(
            &mut scores.direct,
            &match_article(text, &preds, &golds, Some(StatementKind::Direct)),
        );
        add(
            &mut scores.reported,
            &match_article(text, &preds, &golds, Some(StatementKind::Reported)),
        );
    }
    scores
}

fn add(scores: &mut Scores, m: &ArticleMatch) {
    scores.true_positives += m.pairs.len();
    scores.predicted += m.predicted.len();
    scores.gold += m.gold.len();
}

/// What went wrong in one article: unmatched predictions and unmatched gold rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleErrors {
    /// The article's source name.
    pub source: String,
    /// Attributed predictions that match no gold row.
    pub false_positives: Vec<Statement>,
    /// Gold rows no prediction matches.
    pub false_negatives: Vec<GoldStatement>,
    /// Gold rows whose text does not occur in the article (a labelling error; never matchable).
    pub gold_not_in_article: Vec<GoldStatement>,
    /// Predictions without a speaker.
    pub unattributed: Vec<Statement>,
}

/// Per-article false positives and false negatives (kinds ignored, as in the overall score), for
/// finding out why a score is what it is.
pub fn article_errors(
    articles: &[(String, String)],
    predicted: &[(String, Statement)],
    gold: &[GoldStatement],
) -> Vec<ArticleErrors> {
    articles
        .iter()
        .map(|(source, text)| {
            let preds: Vec<&Statement> = predicted
                .iter()
                .filter(|(s, _)| s == source)
                .map(|(_, p)| p)
                .collect();
            let golds: Vec<&GoldStatement> = gold.iter().filter(|g| &g.source == source).collect();
            let m = match_article(text, &preds, &golds, None);
            let matched_p: Vec<usize> = m.pairs.iter().map(|&(p, _)| p).collect();
            let matched_g: Vec<usize> = m.pairs.iter().map(|&(_, g)| g).collect();
            ArticleErrors {
                source: source.clone(),
                false_positives: m
                    .predicted
                    .iter()
                    .filter(|p| !matched_p.contains(p))
                    .map(|&p| preds[p].clone())
                    .collect(),
                false_negatives: m
                    .gold
                    .iter()
                    .filter(|g| !matched_g.contains(g) && m.spans[**g].is_some())
                    .map(|&g| golds[g].clone())
                    .collect(),
                gold_not_in_article: golds
                    .iter()
                    .enumerate()
                    .filter(|(g, _)| m.spans[*g].is_none())
                    .map(|(_, g)| (*g).clone())
                    .collect(),
                unattributed: preds
                    .iter()
                    .filter(|p| !attributed(p))
                    .map(|p| (*p).clone())
                    .collect(),
            }
        })
        .collect()
}

/// The matching of one article: which predictions and gold rows were counted, and the pairs.
struct ArticleMatch {
    predicted: Vec<usize>,
    gold: Vec<usize>,
    /// (prediction index, gold index) into the article's slices.
    pairs: Vec<(usize, usize)>,
    /// Gold spans by gold index (`None` when the text is not in the article).
    spans: Vec<Option<(usize, usize)>>,
}

/// Whether a prediction names a speaker (`None` and an empty name do not).
fn attributed(p: &Statement) -> bool {
    p.speaker.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn overlaps_enough(a: (usize, usize), b: (usize, usize)) -> bool {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    shorter > 0 && 2 * inter >= shorter
}

fn match_article(
    text: &str,
    preds: &[&Statement],
    golds: &[&GoldStatement],
    kind: Option<StatementKind>,
) -> ArticleMatch {
    let spans: Vec<Option<(usize, usize)>> = golds
        .iter()
        .map(|g| text.find(g.text.as_str()).map(|s| (s, s + g.text.len())))
        .collect();
    let predicted: Vec<usize> = (0..preds.len())
        .filter(|&p| attributed(preds[p]) && kind.map_or(true, |k| preds[p].kind == k))
        .collect();
    let gold: Vec<usize> = (0..golds.len())
        .filter(|&g| kind.map_or(true, |k| golds[g].kind == k))
        .collect();
    let gold_keys: Vec<String> = gold.iter().map(|&g| fold_phrase(&golds[g].speaker)).collect();
    // Edges: for each counted prediction, the counted gold rows it may match.
    let edges: Vec<Vec<usize>> = predicted
        .iter()
        .map(|&p| {
            let pk = preds[p].speaker.as_deref().map(fold_phrase).unwrap_or_default();
            gold.iter()
                .enumerate()
                .filter(|&(gi, &g)| {
                    gold_keys[gi] == pk
                        && spans[g].is_some_and(|s| overlaps_enough(s, (preds[p].start, preds[p].end)))
                })
                .map(|(gi, _)| gi)
                .collect()
        })
        .collect();
    let mut gold_of: Vec<Option<usize>> = vec![None; gold.len()];
    for pi in 0..predicted.len() {
        let mut seen = vec![false; gold.len()];
        augment(pi, &edges, &mut gold_of, &mut seen);
    }
    let pairs = gold_of
        .iter()
        .enumerate()
        .filter_map(|(gi, pi)| pi.map(|pi| (predicted[pi], gold[gi])))
        .collect();
    ArticleMatch {
        predicted,
        gold,
        pairs,
        spans,
    }
}

/// Kuhn's augmenting path step: tries to give prediction `pi` a gold row.
fn augment(pi: usize, edges: &[Vec<usize>], gold_of: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &gi in &edges[pi] {
        if seen[gi] {
            continue;
        }
        seen[gi] = true;
        if gold_of[gi].map_or(true, |other| augment(other, edges, gold_of, seen)) {
            gold_of[gi] = Some(pi);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(text: &str, article: &str, speaker: Option<&str>, kind: StatementKind) -> Statement {
        let start = article.find(text).unwrap();
        Statement {
            start,
            end: start + text.len(),
            speaker: speaker.map(str::to_string),
            speaker_mention: String::new(),
            kind,
            text: text.to_string(),
            cue: "said".into(),
        }
    }

    #[test]
    fn half_overlap_same_speaker_matches_once() {
        let article = "Smith said taxes were low and rates would rise. \"We act,\" Jones said.";
        let articles = vec![("a".to_string(), article.to_string())];
        let gold = vec![
            GoldStatement {
                source: "a".into(),
                speaker: "Smith".into(),
                kind: StatementKind::Reported,
                text: "taxes were low".into(),
            },
            GoldStatement {
                source: "a".into(),
                speaker: "Jones".into(),
                kind: StatementKind::Direct,
                text: "We act,".into(),
            },
        ];
        let predicted = vec![
            (
                "a".to_string(),
                statement(
                    "taxes were low and rates would rise",
                    article,
                    Some("smith"),
                    StatementKind::Reported,
                ),
            ),
            (
                "a".to_string(),
                statement("taxes were low", article, Some("Smith"), StatementKind::Reported),
            ),
            (
                "a".to_string(),
                statement("We act,", article, Some("Smith"), StatementKind::Direct),
            ),
            (
                "a".to_string(),
                statement("We act,", article, None, StatementKind::Direct),
            ),
        ];
        let s = evaluate(&articles, &predicted, &gold);
        // Hand count: gold 1 is matched once (two candidates), gold 2 has the wrong speaker.
        assert_eq!(
            s.overall,
            Scores {
                true_positives: 1,
                predicted: 3,
                gold: 2
            }
        );
        assert_eq!(
            s.reported,
            Scores {
                true_positives: 1,
                predicted: 2,
                gold: 1
            }
        );
        assert_eq!(
            s.direct,
            Scores {
                true_positives: 0,
                predicted: 1,
                gold: 1
            }
        );
        assert_eq!(s.unattributed, 1);
        let errors = article_errors(&articles, &predicted, &gold);
        assert_eq!(errors[0].false_positives.len(), 2);
        assert_eq!(errors[0].false_negatives.len(), 1);
    }

    #[test]
    fn short_overlap_does_not_match() {
        assert!(overlaps_enough((0, 10), (5, 10)));
        assert!(!overlaps_enough((0, 10), (8, 20)));
    }

    #[test]
    fn reads_gold_and_reports_bad_rows() {
        let csv = "id,source,speaker,kind,text,note\ns1,a.txt,Smith,direct,\"We act,\",x\n";
        let gold = read_gold(csv.as_bytes(), "g.csv").unwrap();
        assert_eq!(gold[0].text, "We act,");
        let bad = "source,speaker,kind,text\na.txt,Smith,quote,x\n";
        let err = read_gold(bad.as_bytes(), "g.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "g.csv: line 2: kind `quote` (expected direct or reported)"
        );
    }
}
