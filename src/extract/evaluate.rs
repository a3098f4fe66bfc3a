//! Scores extracted statements against gold ones (see [`super::gold`]).
//!
//! A prediction matches a gold row when it comes from the same article, names the same speaker
//! (the whole name or the surname, as the gold set says; accent- and case-insensitively) and its
//! span overlaps the gold span by at least half of the shorter of the two. The gold span is the
//! one the gold file gives, or else the first occurrence of the gold text in the article. Each gold row matches at most one prediction and vice versa; the pairing
//! is a maximum matching (augmenting paths), so the order of predictions cannot change a score.
//!
//! Predictions without a speaker are not counted in precision: they are reported separately as
//! `unattributed`, because the extractor keeps unattributed quotes on purpose; neither are
//! predictions that match no gold row and lie on an annotation the gold set does not score
//! (`ignored`: a belief rather than speech, a source nobody could name). Direct and reported
//! speech are scored separately by matching only gold rows and predictions of that kind, so a
//! quote extracted as reported speech counts in the overall score but not in either per-kind one.

use std::collections::BTreeSet;
use std::fmt;

use super::gold::{Gold, GoldStatement, SpeakerMatch};
use super::statement::{Statement, StatementKind};

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

/// Evaluation of an extraction run: statements overall and per kind, spans alone, speakers per
/// article, and the predictions not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtractionScores {
    /// All statements, kinds ignored when matching.
    pub overall: Scores,
    /// Direct quotes only (gold and predictions of kind direct).
    pub direct: Scores,
    /// Reported speech only.
    pub reported: Scores,
    /// Statements matched by span alone, whoever the speaker (where extraction errs: finding
    /// statements, or crediting them).
    pub spans: Scores,
    /// Distinct speakers per article (all statements).
    pub speakers: Scores,
    /// Distinct speakers of direct quotes per article.
    pub direct_speakers: Scores,
    /// Distinct speakers of reported speech per article.
    pub reported_speakers: Scores,
    /// Predictions without a speaker (not counted in precision).
    pub unattributed: usize,
    /// Predictions on annotations the gold set does not score (not counted).
    pub ignored: usize,
}

impl fmt::Display for ExtractionScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "statements (same speaker, text overlapping by half):")?;
        writeln!(f, "overall   {}", self.overall)?;
        writeln!(f, "direct    {}", self.direct)?;
        writeln!(f, "reported  {}", self.reported)?;
        writeln!(f, "any speaker {}", self.spans)?;
        writeln!(f, "speakers (distinct per article):")?;
        writeln!(f, "speakers overall   {}", self.speakers)?;
        writeln!(f, "speakers direct    {}", self.direct_speakers)?;
        writeln!(f, "speakers reported  {}", self.reported_speakers)?;
        write!(
            f,
            "unattributed predictions: {}; predictions on unscored annotations: {}",
            self.unattributed, self.ignored
        )
    }
}

/// Scores `predicted` (source, statement) against `gold` for the `articles` (source, text) given.
/// Gold rows and predictions whose source is not among `articles` are ignored.
pub fn evaluate(
    articles: &[(String, String)],
    predicted: &[(String, Statement)],
    gold: &Gold,
) -> ExtractionScores {
    let mut scores = ExtractionScores::default();
    for (source, text) in articles {
        let article = Article::new(source, text, predicted, gold);
        scores.unattributed += article.preds.iter().filter(|p| !attributed(p)).count();
        let all = article.matching(None, true);
        scores.ignored += all.ignored;
        add(&mut scores.overall, &all);
        add(
            &mut scores.direct,
            &article.matching(Some(StatementKind::Direct), true),
        );
        add(
            &mut scores.reported,
            &article.matching(Some(StatementKind::Reported), true),
        );
        add(&mut scores.spans, &article.matching(None, false));
        add_speakers(&mut scores.speakers, &article, None);
        add_speakers(&mut scores.direct_speakers, &article, Some(StatementKind::Direct));
        add_speakers(
            &mut scores.reported_speakers,
            &article,
            Some(StatementKind::Reported),
        );
    }
    scores
}

fn add(scores: &mut Scores, m: &ArticleMatch) {
    scores.true_positives += m.pairs.len();
    scores.predicted += m.predicted.len();
    scores.gold += m.gold.len();
}

/// Adds the article's distinct speakers: of the gold rows, and of the counted predictions.
fn add_speakers(scores: &mut Scores, article: &Article, kind: Option<StatementKind>) {
    let m = article.matching(kind, true);
    let key = |name: &str| speaker_key(name, article.speaker_match);
    let gold: BTreeSet<String> = m.gold.iter().map(|&g| key(&article.golds[g].speaker)).collect();
    let predicted: BTreeSet<String> = m
        .predicted
        .iter()
        .filter_map(|&p| article.preds[p].speaker.as_deref())
        .map(key)
        .collect();
    scores.true_positives += gold.intersection(&predicted).count();
    scores.predicted += predicted.len();
    scores.gold += gold.len();
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
    gold: &Gold,
) -> Vec<ArticleErrors> {
    articles
        .iter()
        .map(|(source, text)| {
            let article = Article::new(source, text, predicted, gold);
            let m = article.matching(None, true);
            let matched_p: Vec<usize> = m.pairs.iter().map(|&(p, _)| p).collect();
            let matched_g: Vec<usize> = m.pairs.iter().map(|&(_, g)| g).collect();
            ArticleErrors {
                source: source.clone(),
                false_positives: m
                    .predicted
                    .iter()
                    .filter(|p| !matched_p.contains(p))
                    .map(|&p| article.preds[p].clone())
                    .collect(),
                false_negatives: m
                    .gold
                    .iter()
                    .filter(|g| !matched_g.contains(g) && article.spans[**g].is_some())
                    .map(|&g| article.golds[g].clone())
                    .collect(),
                gold_not_in_article: article
                    .golds
                    .iter()
                    .enumerate()
                    .filter(|(g, _)| article.spans[*g].is_none())
                    .map(|(_, g)| (*g).clone())
                    .collect(),
                unattributed: article
                    .preds
                    .iter()
                    .filter(|p| !attributed(p))
                    .map(|p| (*p).clone())
                    .collect(),
            }
        })
        .collect()
}

/// One article's predictions, gold rows (with their spans) and unscored spans.
struct Article<'a> {
    preds: Vec<&'a Statement>,
    golds: Vec<&'a GoldStatement>,
    spans: Vec<Option<(usize, usize)>>,
    ignored: Vec<(usize, usize)>,
    speaker_match: SpeakerMatch,
}

/// The matching of one article: which predictions and gold rows were counted, and the pairs.
struct ArticleMatch {
    predicted: Vec<usize>,
    gold: Vec<usize>,
    /// (prediction index, gold index) into the article's slices.
    pairs: Vec<(usize, usize)>,
    /// Predictions left out because they lie on an unscored annotation.
    ignored: usize,
}

impl<'a> Article<'a> {
    fn new(source: &str, text: &str, predicted: &'a [(String, Statement)], gold: &'a Gold) -> Article<'a> {
        let preds: Vec<&Statement> = predicted
            .iter()
            .filter(|(s, _)| s == source)
            .map(|(_, p)| p)
            .collect();
        let golds: Vec<&GoldStatement> = gold.statements.iter().filter(|g| g.source == source).collect();
        let spans = golds
            .iter()
            .map(|g| {
                g.span
                    .or_else(|| text.find(g.text.as_str()).map(|s| (s, s + g.text.len())))
            })
            .collect();
        let ignored = gold
            .ignored
            .iter()
            .filter(|(s, _)| s == source)
            .map(|&(_, span)| span)
            .collect();
        Article {
            preds,
            golds,
            spans,
            ignored,
            speaker_match: gold.speaker_match,
        }
    }

    /// Matches predictions to gold rows of `kind` (all kinds if `None`), comparing speakers when
    /// `same_speaker`.
    fn matching(&self, kind: Option<StatementKind>, same_speaker: bool) -> ArticleMatch {
        let candidates: Vec<usize> = (0..self.preds.len())
            .filter(|&p| attributed(self.preds[p]) && kind.map_or(true, |k| self.preds[p].kind == k))
            .collect();
        let gold: Vec<usize> = (0..self.golds.len())
            .filter(|&g| kind.map_or(true, |k| self.golds[g].kind == k))
            .collect();
        let gold_keys: Vec<String> = gold
            .iter()
            .map(|&g| speaker_key(&self.golds[g].speaker, self.speaker_match))
            .collect();
        let edges: Vec<Vec<usize>> = candidates
            .iter()
            .map(|&p| {
                let pred = self.preds[p];
                let pk = speaker_key(pred.speaker.as_deref().unwrap_or(""), self.speaker_match);
                gold.iter()
                    .enumerate()
                    .filter(|&(gi, &g)| {
                        (!same_speaker || gold_keys[gi] == pk)
                            && self.spans[g].is_some_and(|s| overlaps_enough(s, (pred.start, pred.end)))
                    })
                    .map(|(gi, _)| gi)
                    .collect()
            })
            .collect();
        let mut gold_of: Vec<Option<usize>> = vec![None; gold.len()];
        for pi in 0..candidates.len() {
            let mut seen = vec![false; gold.len()];
            augment(pi, &edges, &mut gold_of, &mut seen);
        }
        let mut matched = vec![false; candidates.len()];
        gold_of.iter().flatten().for_each(|&pi| matched[pi] = true);
        // A prediction that matches nothing and lies on an annotation the gold set does not
        // score (and on no gold row, whatever its speaker) is left out.
        let on_ignored = |pi: usize| {
            let pred = self.preds[candidates[pi]];
            let span = (pred.start, pred.end);
            self.ignored.iter().any(|&i| overlaps_enough(i, span))
                && !self
                    .spans
                    .iter()
                    .any(|s| s.is_some_and(|s| overlaps_enough(s, span)))
        };
        let mut predicted = Vec::new();
        let mut ignored = 0;
        for pi in 0..candidates.len() {
            if !matched[pi] && on_ignored(pi) {
                ignored += 1;
            } else {
                predicted.push(candidates[pi]);
            }
        }
        let pairs = gold_of
            .iter()
            .enumerate()
            .filter_map(|(gi, pi)| pi.map(|pi| (candidates[pi], gold[gi])))
            .collect();
        ArticleMatch {
            predicted,
            gold,
            pairs,
            ignored,
        }
    }
}

/// Whether a prediction names a speaker (`None` and an empty name do not).
fn attributed(p: &Statement) -> bool {
    p.speaker.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// The key a speaker is compared by: the folded name, or its last word that is not a suffix
/// (`Jr.`, `III`).
fn speaker_key(name: &str, how: SpeakerMatch) -> String {
    let folded = crate::text::fold(name);
    match how {
        SpeakerMatch::FullName => folded.split_whitespace().collect::<Vec<_>>().join(" "),
        SpeakerMatch::Surname => folded
            .split(|c: char| c.is_whitespace() || c == ',')
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .rfind(|w| !w.is_empty() && !matches!(*w, "jr" | "sr" | "ii" | "iii" | "iv"))
            .unwrap_or("")
            .to_string(),
    }
}

fn overlaps_enough(a: (usize, usize), b: (usize, usize)) -> bool {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    shorter > 0 && 2 * inter >= shorter
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
                span: None,
            },
            GoldStatement {
                source: "a".into(),
                speaker: "Jones".into(),
                kind: StatementKind::Direct,
                text: "We act,".into(),
                span: None,
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
        let gold = Gold {
            statements: gold,
            ignored: Vec::new(),
            speaker_match: SpeakerMatch::FullName,
        };
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
}
