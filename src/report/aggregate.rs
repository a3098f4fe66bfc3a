//! How statements add up to a verdict per speaker and target.
//!
//! A statement counts for a target only when the model gives `favor` or `against` more probability
//! than the threshold (and more than the other side); otherwise it is "no stance" for that target.
//! A cell's verdict is the side with more probability mass, or `mixed` when the smaller side holds
//! at least `mixed_share` of it, or `none` when no statement counts.

use std::collections::BTreeMap;

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
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            threshold: 0.5,
            mixed_share: 0.3,
            min_statements: 1,
            speakers: Vec::new(),
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
    /// The statements counted, strongest first.
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
    /// Every statement shown in the report, referenced by `Evidence::statement`.
    pub statements: Vec<ClassifiedStatement>,
    /// The settings used.
    pub settings: ReportSettings,
}

fn fold(name: &str) -> String {
    crate::features::tokenize::normalize_word(name)
}

/// Aggregates classified statements into a per-speaker report.
pub fn aggregate(statements: Vec<ClassifiedStatement>, settings: &ReportSettings) -> Report {
    let tasks: Vec<(String, Vec<String>)> = statements
        .first()
        .map(|s| {
            s.predictions
                .iter()
                .map(|p| {
                    (
                        p.task.clone(),
                        p.probabilities.iter().map(|(c, _)| c.clone()).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let is_target = |classes: &Vec<String>| {
        classes.iter().any(|c| c == "favor") && classes.iter().any(|c| c == "against")
    };
    let targets: Vec<String> = tasks
        .iter()
        .filter(|(_, c)| is_target(c))
        .map(|(t, _)| t.clone())
        .collect();
    let distributions: Vec<String> = tasks
        .iter()
        .filter(|(_, c)| !is_target(c))
        .map(|(t, _)| t.clone())
        .collect();
    let wanted: Vec<String> = settings.speakers.iter().map(|s| fold(s)).collect();
    let mut by_speaker: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in statements.iter().enumerate() {
        let name = fold(&s.speaker);
        if wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str())) {
            by_speaker.entry(s.speaker.clone()).or_default().push(i);
        }
    }
    let mut speakers: Vec<SpeakerRow> = by_speaker
        .into_iter()
        .filter(|(_, members)| members.len() >= settings.min_statements.max(1))
        .map(|(speaker, members)| SpeakerRow {
            cells: targets
                .iter()
                .map(|t| cell(t, &members, &statements, settings))
                .collect(),
            distributions: distributions
                .iter()
                .map(|task| (task.clone(), distribution(task, &members, &statements)))
                .collect(),
            statements: members.len(),
            speaker,
        })
        .collect();
    speakers.sort_by(|a, b| {
        b.statements
            .cmp(&a.statements)
            .then_with(|| a.speaker.cmp(&b.speaker))
    });
    let agreement = targets
        .iter()
        .enumerate()
        .map(|(t, target)| agreement(t, target, &speakers))
        .collect();
    Report {
        targets,
        distributions,
        speakers,
        agreement,
        statements,
        settings: settings.clone(),
    }
}

fn cell(
    target: &str,
    members: &[usize],
    statements: &[ClassifiedStatement],
    settings: &ReportSettings,
) -> Cell {
    let mut evidence = Vec::new();
    let mut no_stance = 0;
    for &i in members {
        let Some(prediction) = statements[i].predictions.iter().find(|p| p.task == target) else {
            continue;
        };
        let (favor, against) = (prediction.probability("favor"), prediction.probability("against"));
        let (side, probability) = if favor >= against {
            ("favor", favor)
        } else {
            ("against", against)
        };
        if probability > settings.threshold {
            evidence.push(Evidence {
                statement: i,
                side: side.to_string(),
                probability,
            });
        } else {
            no_stance += 1;
        }
    }
    evidence.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| a.statement.cmp(&b.statement))
    });
    let mass = |side: &str| {
        evidence
            .iter()
            .filter(|e| e.side == side)
            .map(|e| e.probability)
            .sum::<f64>()
    };
    let count = |side: &str| evidence.iter().filter(|e| e.side == side).count();
    let (favor_mass, against_mass) = (mass("favor"), mass("against"));
    let total = favor_mass + against_mass;
    let verdict = if evidence.is_empty() {
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
        Verdict::Mixed => total / evidence.len() as f64,
        Verdict::Favor => favor_mass / count("favor") as f64,
        Verdict::Against => against_mass / count("against") as f64,
    };
    Cell {
        target: target.to_string(),
        verdict,
        confidence,
        favor: count("favor"),
        against: count("against"),
        no_stance,
        evidence,
    }
}

fn distribution(task: &str, members: &[usize], statements: &[ClassifiedStatement]) -> BTreeMap<String, f64> {
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    for &i in members {
        if let Some(p) = statements[i].predictions.iter().find(|p| p.task == task) {
            for (class, _) in &p.probabilities {
                shares.entry(class.clone()).or_insert(0.0);
            }
            *shares.entry(p.label.clone()).or_insert(0.0) += 1.0 / members.len() as f64;
        }
    }
    shares
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
    fn no_statements_give_an_empty_report() {
        let report = aggregate(Vec::new(), &ReportSettings::default());
        assert!(report.speakers.is_empty() && report.targets.is_empty());
    }
}
