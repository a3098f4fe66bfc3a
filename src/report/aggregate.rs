//! How statements add up to a verdict per speaker and target.
//!
//! A statement counts for a target only when the model gives `favor` or `against` more probability
//! than the threshold (and more than the other side); otherwise it is "no stance" for that target.
//! A cell's verdict is the side with more probability mass, or `mixed` when the smaller side holds
//! at least `mixed_share` of it, or `none` when no statement counts.
//!
//! Statements are folded in one at a time (`Aggregator`), so a report over any number of articles
//! takes memory for its tallies and the statements it shows, not for everything it read: counts,
//! masses, verdicts and distributions use every statement; each cell keeps its `keep` strongest
//! statements as evidence; the statement list holds every statement up to `list_limit` and, past
//! it, only the evidence.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::TaskPrediction;

/// A statement with its speaker, where it came from, and the model's predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassifiedStatement {
    /// Canonical speaker.
    pub speaker: String,
    /// The statement's words.
    pub text: String,
    /// Article file or statement CSV it came from.
    pub source: String,
    /// `direct`, `reported`, or empty when unknown.
    pub kind: String,
    /// One prediction per task.
    pub predictions: Vec<TaskPrediction>,
}

/// How statements are aggregated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSettings {
    /// A statement counts for a side only when that side's probability exceeds this (default 0.5).
    pub threshold: f64,
    /// A cell is `mixed` when the weaker side holds at least this share of the stance probability
    /// mass (default 0.3).
    pub mixed_share: f64,
    /// Speakers with fewer statements are left out (default 1).
    pub min_statements: usize,
    /// Only speakers whose name contains one of these (case- and accent-insensitive); empty = all.
    pub speakers: Vec<String>,
    /// Evidence kept per cell, strongest first (default 25); counts always cover every statement.
    pub keep: usize,
    /// Every statement is listed while there are at most this many (default 10,000); past it only
    /// the evidence statements are.
    pub list_limit: usize,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            threshold: 0.5,
            mixed_share: 0.3,
            min_statements: 1,
            speakers: Vec::new(),
            keep: 25,
            list_limit: 10_000,
        }
    }
}

/// A cell's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The speaker's statements favour the target.
    Favor,
    /// The speaker's statements oppose the target.
    Against,
    /// Substantial weight on both sides.
    Mixed,
    /// No statement takes a side.
    None,
}

impl Verdict {
    /// The verdict's name as shown in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Favor => "favor",
            Verdict::Against => "against",
            Verdict::Mixed => "mixed",
            Verdict::None => "none",
        }
    }
}

/// One statement behind a cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Index of the statement in `Report::statements`.
    pub statement: usize,
    /// The side it counts for (`favor` or `against`).
    pub side: String,
    /// The model's probability of that side.
    pub probability: f64,
}

/// One speaker × target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The target (task) name.
    pub target: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Mean probability of the verdict's side over the statements counted for it; for `mixed`,
    /// the mean probability of each statement's own side; 0 for `none`.
    pub confidence: f64,
    /// Statements counted for `favor`.
    pub favor: usize,
    /// Statements counted for `against`.
    pub against: usize,
    /// Statements of the speaker that take no side on this target.
    pub no_stance: usize,
    /// The strongest statements counted (at most `ReportSettings::keep`), strongest first.
    pub evidence: Vec<Evidence>,
}

impl Cell {
    /// Statements counted for either side.
    pub fn count(&self) -> usize {
        self.favor + self.against
    }
}

/// A speaker's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeakerRow {
    /// Canonical name.
    pub speaker: String,
    /// Number of statements.
    pub statements: usize,
    /// One cell per stance target, in target order.
    pub cells: Vec<Cell>,
    /// Per non-stance task (e.g. sentiment): class → share of the speaker's statements predicted so.
    pub distributions: BTreeMap<String, BTreeMap<String, f64>>,
}

/// How two speakers relate on a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Same side (both favor or both against).
    Agree,
    /// Opposite sides.
    Oppose,
    /// Either is mixed or none.
    Unclear,
}

/// Who agrees with whom on one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The target.
    pub target: String,
    /// Speakers whose verdict is favor.
    pub favor: Vec<String>,
    /// Speakers whose verdict is against.
    pub against: Vec<String>,
    /// Speakers whose verdict is mixed.
    pub mixed: Vec<String>,
    /// `matrix[i][j]`: how speaker i relates to speaker j (rows and columns in `Report::speakers` order).
    pub matrix: Vec<Vec<Relation>>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Stance targets (tasks with favor/against classes), in model order.
    pub targets: Vec<String>,
    /// Other tasks, shown as distributions (e.g. sentiment).
    pub distributions: Vec<String>,
    /// Speakers, most statements first.
    pub speakers: Vec<SpeakerRow>,
    /// One agreement view per target.
    pub agreement: Vec<Agreement>,
    /// The statements shown, in input order, referenced by `Evidence::statement`: all of them up
    /// to `ReportSettings::list_limit`, else the evidence only.
    pub statements: Vec<ClassifiedStatement>,
    /// Statements read but not in `statements` (0 unless past the list limit).
    pub unlisted_statements: usize,
    /// The settings used.
    pub settings: ReportSettings,
}

fn fold(name: &str) -> String {
    crate::text::fold(name)
}

/// Aggregates classified statements into a per-speaker report (all at once; `Aggregator` does
/// the same one statement at a time).
pub fn aggregate(statements: Vec<ClassifiedStatement>, settings: &ReportSettings) -> Report {
    let mut aggregator = Aggregator::new(settings.clone());
    for statement in statements {
        aggregator.add(statement);
    }
    aggregator.finish()
}

/// A statement with its place in the input.
#[derive(Debug)]
struct Numbered {
    index: usize,
    statement: ClassifiedStatement,
}

/// One counted statement kept as evidence.
#[derive(Debug, Clone)]
struct Kept {
    probability: f64,
    side: &'static str,
    statement: Arc<Numbered>,
}

/// What a cell has seen so far.
#[derive(Debug, Default, Clone)]
struct CellTally {
    favor: usize,
    against: usize,
    no_stance: usize,
    favor_mass: f64,
    against_mass: f64,
    /// The strongest counted statements, strongest first, at most `keep`.
    strongest: Vec<Kept>,
}

/// What a speaker's row has seen so far.
#[derive(Debug, Default)]
struct SpeakerTally {
    statements: usize,
    cells: Vec<CellTally>,
    /// Per distribution task: statements per predicted class.
    predicted: Vec<BTreeMap<String, usize>>,
}

/// Builds a report from statements fed one at a time, in bounded memory.
#[derive(Debug)]
pub struct Aggregator {
    settings: ReportSettings,
    /// Each task with its classes, from the first statement.
    tasks: Vec<(String, Vec<String>)>,
    targets: Vec<String>,
    distributions: Vec<String>,
    wanted: Vec<String>,
    speakers: BTreeMap<String, SpeakerTally>,
    /// Every statement, while there are at most `list_limit`.
    listed: Vec<Arc<Numbered>>,
    seen: usize,
}

impl Aggregator {
    /// An empty report with these settings.
    pub fn new(settings: ReportSettings) -> Self {
        Aggregator {
            wanted: settings.speakers.iter().map(|s| fold(s)).collect(),
            settings,
            tasks: Vec::new(),
            targets: Vec::new(),
            distributions: Vec::new(),
            speakers: BTreeMap::new(),
            listed: Vec::new(),
            seen: 0,
        }
    }

    /// Folds in the next statement.
    pub fn add(&mut self, statement: ClassifiedStatement) {
        if self.seen == 0 {
            self.learn_tasks(&statement);
        }
        let numbered = Arc::new(Numbered {
            index: self.seen,
            statement,
        });
        self.seen += 1;
        if self.seen <= self.settings.list_limit {
            self.listed.push(Arc::clone(&numbered));
        } else if !self.listed.is_empty() {
            // Past the limit only the evidence is listed (see `finish`): the full list goes for
            // good.
            self.listed = Vec::new();
        }
        let name = fold(&numbered.statement.speaker);
        if !(self.wanted.is_empty() || self.wanted.iter().any(|w| name.contains(w.as_str()))) {
            return;
        }
        let tally = self
            .speakers
            .entry(numbered.statement.speaker.clone())
            .or_insert_with(|| SpeakerTally {
                statements: 0,
                cells: vec![CellTally::default(); self.targets.len()],
                predicted: vec![BTreeMap::new(); self.distributions.len()],
            });
        tally.statements += 1;
        let prediction = |task: &str| numbered.statement.predictions.iter().find(|p| p.task == task);
        for (target, cell) in self.targets.iter().zip(&mut tally.cells) {
            let Some(p) = prediction(target) else { continue };
            let (favor, against) = (p.probability("favor"), p.probability("against"));
            let (side, probability) = if favor >= against {
                ("favor", favor)
            } else {
                ("against", against)
            };
            if probability <= self.settings.threshold {
                cell.no_stance += 1;
                continue;
            }
            if side == "favor" {
                cell.favor += 1;
                cell.favor_mass += probability;
            } else {
                cell.against += 1;
                cell.against_mass += probability;
            }
            // Strongest first; among equals, earlier first.
            let at = cell.strongest.partition_point(|k| k.probability >= probability);
            if at < self.settings.keep {
                cell.strongest.insert(
                    at,
                    Kept {
                        probability,
                        side,
                        statement: Arc::clone(&numbered),
                    },
                );
                cell.strongest.truncate(self.settings.keep);
            }
        }
        for (task, counts) in self.distributions.iter().zip(&mut tally.predicted) {
            if let Some(p) = prediction(task) {
                *counts.entry(p.label.clone()).or_insert(0) += 1;
            }
        }
    }

    fn learn_tasks(&mut self, first: &ClassifiedStatement) {
        self.tasks = first
            .predictions
            .iter()
            .map(|p| {
                (
                    p.task.clone(),
                    p.probabilities.iter().map(|(c, _)| c.clone()).collect(),
                )
            })
            .collect();
        let is_target = |classes: &Vec<String>| {
            classes.iter().any(|c| c == "favor") && classes.iter().any(|c| c == "against")
        };
        for (task, classes) in &self.tasks {
            if is_target(classes) {
                self.targets.push(task.clone());
            } else {
                self.distributions.push(task.clone());
            }
        }
    }

    /// The report over every statement added.
    pub fn finish(self) -> Report {
        let settings = self.settings;
        let tallies: Vec<(String, SpeakerTally)> = self
            .speakers
            .into_iter()
            .filter(|(_, t)| t.statements >= settings.min_statements.max(1))
            .collect();
        // The statements shown: all of them, or past the limit the evidence only; in input order.
        let shown: Vec<Arc<Numbered>> = if self.seen <= settings.list_limit {
            self.listed
        } else {
            let mut evidence: Vec<Arc<Numbered>> = tallies
                .iter()
                .flat_map(|(_, t)| t.cells.iter().flat_map(|c| c.strongest.iter()))
                .map(|k| Arc::clone(&k.statement))
                .collect();
            evidence.sort_by_key(|n| n.index);
            evidence.dedup_by_key(|n| n.index);
            evidence
        };
        let position = |index: usize| {
            shown
                .binary_search_by_key(&index, |n| n.index)
                .expect("every kept statement is shown")
        };
        let mut speakers: Vec<SpeakerRow> = tallies
            .iter()
            .map(|(speaker, tally)| SpeakerRow {
                speaker: speaker.clone(),
                statements: tally.statements,
                cells: self
                    .targets
                    .iter()
                    .zip(&tally.cells)
                    .map(|(target, c)| cell(target, c, &settings, &position))
                    .collect(),
                distributions: self
                    .distributions
                    .iter()
                    .zip(&tally.predicted)
                    .map(|(task, counts)| {
                        let classes = self.tasks.iter().find(|(t, _)| t == task).map(|(_, c)| c);
                        let shares = classes
                            .into_iter()
                            .flatten()
                            .map(|class| {
                                let n = counts.get(class).copied().unwrap_or(0);
                                (class.clone(), n as f64 / tally.statements as f64)
                            })
                            .collect();
                        (task.clone(), shares)
                    })
                    .collect(),
            })
            .collect();
        speakers.sort_by(|a, b| {
            b.statements
                .cmp(&a.statements)
                .then_with(|| a.speaker.cmp(&b.speaker))
        });
        let agreement = self
            .targets
            .iter()
            .enumerate()
            .map(|(t, target)| agreement(t, target, &speakers))
            .collect();
        let unlisted_statements = self.seen - shown.len();
        drop(tallies);
        let statements = shown
            .into_iter()
            .map(|n| Arc::try_unwrap(n).map_or_else(|shared| shared.statement.clone(), |n| n.statement))
            .collect();
        Report {
            targets: self.targets,
            distributions: self.distributions,
            speakers,
            agreement,
            statements,
            unlisted_statements,
            settings,
        }
    }
}

/// A cell's verdict and figures from its tally.
fn cell(
    target: &str,
    tally: &CellTally,
    settings: &ReportSettings,
    position: &dyn Fn(usize) -> usize,
) -> Cell {
    let (favor_mass, against_mass) = (tally.favor_mass, tally.against_mass);
    let total = favor_mass + against_mass;
    let counted = tally.favor + tally.against;
    let verdict = if counted == 0 {
        Verdict::None
    } else if favor_mass.min(against_mass) >= settings.mixed_share * total {
        Verdict::Mixed
    } else if favor_mass > against_mass {
        Verdict::Favor
    } else {
        Verdict::Against
    };
    let confidence = match verdict {
        Verdict::None => 0.0,
        Verdict::Mixed => total / counted as f64,
        Verdict::Favor => favor_mass / tally.favor as f64,
        Verdict::Against => against_mass / tally.against as f64,
    };
    Cell {
        target: target.to_string(),
        verdict,
        confidence,
        favor: tally.favor,
        against: tally.against,
        no_stance: tally.no_stance,
        evidence: tally
            .strongest
            .iter()
            .map(|k| Evidence {
                statement: position(k.statement.index),
                side: k.side.to_string(),
                probability: k.probability,
            })
            .collect(),
    }
}

fn agreement(t: usize, target: &str, speakers: &[SpeakerRow]) -> Agreement {
    let names = |v: Verdict| {
        speakers
            .iter()
            .filter(|s| s.cells[t].verdict == v)
            .map(|s| s.speaker.clone())
            .collect()
    };
    let matrix = speakers
        .iter()
        .map(|a| {
            speakers
                .iter()
                .map(|b| match (a.cells[t].verdict, b.cells[t].verdict) {
                    (Verdict::Favor, Verdict::Favor) | (Verdict::Against, Verdict::Against) => {
                        Relation::Agree
                    }
                    (Verdict::Favor, Verdict::Against) | (Verdict::Against, Verdict::Favor) => {
                        Relation::Oppose
                    }
                    _ => Relation::Unclear,
                })
                .collect()
        })
        .collect();
    Agreement {
        target: target.to_string(),
        favor: names(Verdict::Favor),
        against: names(Verdict::Against),
        mixed: names(Verdict::Mixed),
        matrix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(task: &str, classes: &[(&str, f64)]) -> TaskPrediction {
        let best = classes.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
        TaskPrediction {
            task: task.into(),
            label: best.into(),
            probabilities: classes.iter().map(|(c, p)| (c.to_string(), *p)).collect(),
        }
    }

    fn statement(speaker: &str, favor: f64, against: f64, sentiment: &str) -> ClassifiedStatement {
        ClassifiedStatement {
            speaker: speaker.into(),
            text: format!("{speaker} {favor} {against}"),
            source: "a.txt".into(),
            kind: "direct".into(),
            predictions: vec![
                prediction(
                    "assad",
                    &[
                        ("against", against),
                        ("favor", favor),
                        ("none", 1.0 - favor - against),
                    ],
                ),
                prediction("sentiment", &[(sentiment, 0.6), ("other", 0.4)]),
            ],
        }
    }

    #[test]
    fn verdicts_follow_the_threshold_and_the_mixed_share() {
        let statements = vec![
            statement("Hollande", 0.1, 0.8, "negative"),
            statement("Hollande", 0.1, 0.6, "negative"),
            statement("Hollande", 0.3, 0.4, "positive"), // below the threshold: no stance
            statement("Putin", 0.9, 0.05, "neutral"),
            statement("Mixed", 0.7, 0.1, "neutral"),
            statement("Mixed", 0.1, 0.7, "neutral"),
            statement("Quiet", 0.2, 0.2, "neutral"),
        ];
        let report = aggregate(statements, &ReportSettings::default());
        assert_eq!(report.targets, ["assad"]);
        assert_eq!(report.distributions, ["sentiment"]);
        let row = |name: &str| report.speakers.iter().find(|s| s.speaker == name).unwrap();
        let hollande = &row("Hollande").cells[0];
        assert_eq!(hollande.verdict, Verdict::Against);
        assert_eq!((hollande.against, hollande.favor, hollande.no_stance), (2, 0, 1));
        assert!((hollande.confidence - 0.7).abs() < 1e-12);
        assert_eq!(hollande.evidence[0].probability, 0.8, "strongest first");
        assert_eq!(row("Putin").cells[0].verdict, Verdict::Favor);
        assert_eq!(row("Mixed").cells[0].verdict, Verdict::Mixed);
        assert_eq!(row("Quiet").cells[0].verdict, Verdict::None);
        assert_eq!(report.speakers[0].speaker, "Hollande", "most statements first");
        let sentiment = &row("Hollande").distributions["sentiment"];
        assert!((sentiment["negative"] - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn agreement_lists_sides_and_relations() {
        let statements = vec![
            statement("A", 0.1, 0.8, "n"),
            statement("A", 0.1, 0.8, "n"),
            statement("B", 0.9, 0.0, "n"),
            statement("C", 0.0, 0.9, "n"),
        ];
        let report = aggregate(statements, &ReportSettings::default());
        let a = &report.agreement[0];
        assert_eq!(a.against, ["A", "C"]);
        assert_eq!(a.favor, ["B"]);
        // Order: A (2 statements), B, C.
        assert_eq!(a.matrix[0], [Relation::Agree, Relation::Oppose, Relation::Agree]);
    }

    #[test]
    fn speaker_filter_and_minimum_statements() {
        let statements = vec![
            statement("François Hollande", 0.1, 0.8, "n"),
            statement("Putin", 0.9, 0.0, "n"),
        ];
        let settings = ReportSettings {
            speakers: vec!["francois".into()],
            ..ReportSettings::default()
        };
        let report = aggregate(statements.clone(), &settings);
        assert_eq!(report.speakers.len(), 1);
        let settings = ReportSettings {
            min_statements: 2,
            ..ReportSettings::default()
        };
        assert!(aggregate(statements, &settings).speakers.is_empty());
    }

    #[test]
    fn past_the_list_limit_counts_stay_exact_and_only_the_kept_evidence_is_listed() {
        let statements: Vec<ClassifiedStatement> = (0..40)
            .map(|i| statement("A", 0.1, 0.6 + f64::from(i) / 100.0, "n"))
            .chain([statement("B", 0.2, 0.2, "n")])
            .collect();
        let settings = ReportSettings {
            keep: 3,
            list_limit: 10,
            ..ReportSettings::default()
        };
        let report = aggregate(statements.clone(), &settings);
        let a = &report.speakers[0].cells[0];
        assert_eq!(
            (a.against, a.no_stance, report.speakers[0].statements),
            (40, 0, 40)
        );
        let probabilities: Vec<f64> = a.evidence.iter().map(|e| e.probability).collect();
        assert_eq!(
            probabilities,
            [0.99, 0.98, 0.97],
            "the strongest three, strongest first"
        );
        assert_eq!(report.statements.len(), 3, "only the evidence is listed");
        assert_eq!(report.unlisted_statements, 38);
        for e in &a.evidence {
            assert!(report.statements[e.statement]
                .text
                .ends_with(&format!("{}", e.probability)));
        }
        // Under the limit every statement is listed, in input order, and nothing else changes.
        let all = aggregate(
            statements,
            &ReportSettings {
                list_limit: 100,
                ..settings
            },
        );
        assert_eq!(all.statements.len(), 41);
        assert_eq!(all.unlisted_statements, 0);
        assert_eq!(all.speakers[0].cells[0].evidence[0].statement, 39);
        assert_eq!(all.speakers[0].cells[0].confidence, a.confidence);
    }

    #[test]
    fn no_statements_give_an_empty_report() {
        let report = aggregate(Vec::new(), &ReportSettings::default());
        assert!(report.speakers.is_empty() && report.targets.is_empty());
    }
}
