//! Which statements a person should label next: active learning by uncertainty sampling.
//!
//! Every classified statement is a candidate; each task scores how unsure the model is about it
//! ([`Strategy`]: the margin between the two likeliest classes, or the entropy of all of them, both
//! scaled to 0–1 so tasks with two or three classes weigh alike). Candidates are ranked by that
//! score, and the list is filled in rank order, passing over a statement that
//! - comes from a source or a speaker that already has its share of the list (caps), so one
//!   article or one voice does not fill it;
//! - is already in the label files, word for word after the crate's text fold, nearly, or cut
//!   wider or narrower ([`DuplicateIndex::find`], whose same and near matches are what
//!   `labels check` warns about for two ids holding one statement);
//! - repeats a statement already on the list (a syndicated copy in another article).
//!
//! By default the rank is the **mean** of the tasks' uncertainties: a row of the label files is
//! labelled for every task at once, so what one labelled statement is worth is what it teaches
//! all the tasks together. `per_task` instead ranks by each task's own uncertainty and takes
//! the tasks' best in turn, which gives a lagging task its hardest statements even when the other
//! tasks are sure about them (the mean would dilute them).
//!
//! Deterministic: scores are compared as printed (four decimals), and ties are broken by a
//! SHA-256 of the seed, the source and the text, then by input order — the same inputs, model,
//! labels and settings give the same list, and another seed reorders only ties.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::labels::duplicates::{DuplicateIndex, Sameness, TextKey};
use crate::labels::{LabelledData, MODEL_COLUMN_PREFIX};
use crate::model::StanceModel;
use crate::report::ClassifiedStatement;

/// How a task's uncertainty about one statement is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// 1 − (p₁ − p₂): the two likeliest classes are close. Looks only at the decision the
    /// model is about to make.
    Margin,
    /// −Σ p log p / log K: probability spread over every class.
    Entropy,
}

impl Strategy {
    /// Every strategy, in the order `--help` lists them.
    pub const ALL: [Strategy; 2] = [Strategy::Margin, Strategy::Entropy];

    /// The strategy's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Margin => "margin",
            Strategy::Entropy => "entropy",
        }
    }

    /// What it measures, for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Strategy::Margin => "1 - (p1 - p2): the two likeliest classes are close",
            Strategy::Entropy => "entropy of all classes over log(classes): probability spread out",
        }
    }

    /// Uncertainty in 0–1 of one task's class probabilities (0 = sure, 1 = no idea); a task with
    /// one class is never uncertain.
    pub fn uncertainty(self, probabilities: &[f64]) -> f64 {
        if probabilities.len() < 2 {
            return 0.0;
        }
        match self {
            Strategy::Margin => {
                let (mut first, mut second) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                for &p in probabilities {
                    if p > first {
                        second = first;
                        first = p;
                    } else if p > second {
                        second = p;
                    }
                }
                (1.0 - (first - second)).clamp(0.0, 1.0)
            }
            Strategy::Entropy => {
                let entropy: f64 = probabilities
                    .iter()
                    .filter(|&&p| p > 0.0)
                    .map(|&p| -p * p.ln())
                    .sum();
                (entropy / (probabilities.len() as f64).ln()).clamp(0.0, 1.0)
            }
        }
    }
}

/// What to suggest and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestSettings {
    /// How uncertainty is measured (default margin).
    pub strategy: Strategy,
    /// Statements suggested at most (default 50).
    pub limit: usize,
    /// Rank by each task's uncertainty and take the tasks' best in turn, instead of ranking by the
    /// mean over tasks (default off: see the module documentation).
    pub per_task: bool,
    /// Statements suggested per source at most; 0 = no cap (default 3).
    pub max_per_source: usize,
    /// Statements suggested per speaker at most; 0 = no cap (default 5).
    pub max_per_speaker: usize,
    /// Breaks ties between equal scores (default 0).
    pub seed: u64,
    /// The tasks whose uncertainty counts; empty = every task of the model.
    pub tasks: Vec<String>,
}

impl Default for SuggestSettings {
    fn default() -> Self {
        SuggestSettings {
            strategy: Strategy::Margin,
            limit: 50,
            per_task: false,
            max_per_source: 3,
            max_per_speaker: 5,
            seed: 0,
            tasks: Vec::new(),
        }
    }
}

/// A statement that may be suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Canonical speaker.
    pub speaker: String,
    /// The statement's words.
    pub text: String,
    /// Article (URL or file name) or statement file it came from.
    pub source: String,
    /// `direct`, `reported`, or empty when unknown.
    pub kind: String,
    /// Every task's class probabilities, in model order, side by side.
    pub probabilities: Vec<f64>,
}

/// One suggested statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// An id that no label file uses (`sg-` and a hash of source and text).
    pub id: String,
    /// The statement.
    pub candidate: Candidate,
    /// Each task's uncertainty, in model order.
    pub uncertainties: Vec<f64>,
    /// The score it was ranked by.
    pub score: f64,
    /// The task whose ranking chose it (`per_task`), or `None` for the mean.
    pub ranked_by: Option<String>,
}

/// Why candidates were passed over, and how many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The same words as a labelled statement, after folding.
    pub labelled: usize,
    /// Nearly the same words as a labelled statement, or a wider or narrower cut of one.
    pub labelled_near: usize,
    /// The same or nearly the same words as a statement already suggested.
    pub repeated: usize,
    /// Their source had its share of the list.
    pub source_cap: usize,
    /// Their speaker had their share of the list.
    pub speaker_cap: usize,
}

/// What a ranking produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The suggestions, best first.
    pub suggestions: Vec<Suggestion>,
    /// Candidates ranked.
    pub candidates: usize,
    /// Candidates passed over before the list was full (those after it are not examined).
    pub skipped: Skipped,
}

/// Statements already labelled: their texts (for duplicates) and ids (to avoid).
#[derive(Debug, Clone, Default)]
pub struct Labelled {
    texts: DuplicateIndex,
    ids: BTreeSet<String>,
}

impl Labelled {
    /// The statements of label files.
    pub fn new(data: &LabelledData) -> Self {
        let mut labelled = Labelled::default();
        for example in &data.examples {
            labelled.texts.insert(TextKey::new(&example.text));
            if let Some(id) = &example.id {
                labelled.ids.insert(id.clone());
            }
        }
        labelled
    }

    /// Statements held.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when nothing is labelled.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// Error of a setting that cannot work.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SuggestError {
    /// `tasks` names a task the model does not have.
    #[error("task `{task}` is not in the model (its tasks: {found})")]
    UnknownTask {
        /// The task asked for.
        task: String,
        /// The model's tasks, comma-separated.
        found: String,
    },
    /// A limit of 0 suggests nothing.
    #[error("--limit must be at least 1")]
    ZeroLimit,
}

/// Collects candidates and ranks them.
pub struct Suggester<'m> {
    model: &'m StanceModel,
    settings: SuggestSettings,
    /// Indices of the tasks whose uncertainty counts, in model order.
    counted: Vec<usize>,
    candidates: Vec<Candidate>,
    /// Statements that could not be candidates (no text).
    unusable: usize,
}

impl<'m> Suggester<'m> {
    /// A suggester for `model`'s predictions; checks the settings against the model.
    pub fn new(model: &'m StanceModel, settings: SuggestSettings) -> Result<Self, SuggestError> {
        if settings.limit == 0 {
            return Err(SuggestError::ZeroLimit);
        }
        let counted = if settings.tasks.is_empty() {
            (0..model.tasks.len()).collect()
        } else {
            let mut counted = Vec::new();
            for name in &settings.tasks {
                let at = model.tasks.iter().position(|t| &t.name == name).ok_or_else(|| {
                    SuggestError::UnknownTask {
                        task: name.clone(),
                        found: model
                            .tasks
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                })?;
                counted.push(at);
            }
            counted.sort_unstable();
            counted.dedup();
            counted
        };
        Ok(Suggester {
            model,
            settings,
            counted,
            candidates: Vec::new(),
            unusable: 0,
        })
    }

    /// Adds a classified statement; one without text (or without a prediction per task) is
    /// counted as unusable instead.
    pub fn add(&mut self, statement: ClassifiedStatement) {
        let text = statement.text.trim();
        if text.is_empty() || statement.predictions.len() != self.model.tasks.len() {
            self.unusable += 1;
            return;
        }
        let probabilities = statement
            .predictions
            .iter()
            .flat_map(|p| p.probabilities.iter().map(|(_, p)| *p))
            .collect();
        self.candidates.push(Candidate {
            speaker: statement.speaker.trim().to_string(),
            text: text.to_string(),
            source: statement.source,
            kind: statement.kind,
            probabilities,
        });
    }

    /// Candidates collected so far.
    pub fn candidates(&self) -> usize {
        self.candidates.len()
    }

    /// Statements that could not be candidates (no text).
    pub fn unusable(&self) -> usize {
        self.unusable
    }

    /// Each task's uncertainty about a candidate, in model order.
    fn uncertainties(&self, candidate: &Candidate) -> Vec<f64> {
        let mut offset = 0;
        self.model
            .tasks
            .iter()
            .map(|task| {
                let p = &candidate.probabilities[offset..offset + task.classes.len()];
                offset += task.classes.len();
                self.settings.strategy.uncertainty(p)
            })
            .collect()
    }

    /// Ranks the candidates and fills the list, passing over what `labelled` holds.
    pub fn select(self, labelled: &Labelled) -> Selection {
        let uncertainties: Vec<Vec<f64>> = self.candidates.iter().map(|c| self.uncertainties(c)).collect();
        let tie_breaks: Vec<u64> = self
            .candidates
            .iter()
            .map(|c| tie_break(self.settings.seed, &c.source, &c.text))
            .collect();
        // One ranking for the mean, or one per counted task.
        let rankings: Vec<(Option<usize>, Vec<usize>)> = if self.settings.per_task {
            self.counted
                .iter()
                .map(|&t| (Some(t), rank(&tie_breaks, |i| uncertainties[i][t])))
                .collect()
        } else {
            vec![(
                None,
                rank(&tie_breaks, |i| mean_of(&uncertainties[i], &self.counted)),
            )]
        };
        let mut filling = Filling::new(&self.settings, labelled, self.candidates.len());
        let mut cursors = vec![0; rankings.len()];
        'fill: while filling.chosen.len() < self.settings.limit {
            let mut advanced = false;
            for (r, (task, order)) in rankings.iter().enumerate() {
                while let Some(&i) = order.get(cursors[r]) {
                    cursors[r] += 1;
                    if filling.consider(i, &self.candidates[i]) {
                        let score = match task {
                            Some(t) => uncertainties[i][*t],
                            None => mean_of(&uncertainties[i], &self.counted),
                        };
                        filling.chosen.push((i, score, *task));
                        advanced = true;
                        break;
                    }
                }
                if filling.chosen.len() == self.settings.limit {
                    break 'fill;
                }
            }
            if !advanced {
                break;
            }
        }
        let Filling { chosen, skipped, .. } = filling;
        let mut ids = labelled.ids.clone();
        let candidates_ranked = self.candidates.len();
        let mut candidates: Vec<Option<Candidate>> = self.candidates.into_iter().map(Some).collect();
        let suggestions = chosen
            .into_iter()
            .map(|(i, score, task)| {
                let candidate = candidates[i].take().expect("a candidate is chosen once");
                let id = fresh_id(&candidate, &mut ids);
                Suggestion {
                    id,
                    uncertainties: uncertainties[i].clone(),
                    score: quantize(score),
                    ranked_by: task.map(|t| self.model.tasks[t].name.clone()),
                    candidate,
                }
            })
            .collect();
        Selection {
            suggestions,
            candidates: candidates_ranked,
            skipped,
        }
    }
}

/// The state of filling the list: what is chosen, what was passed over and why.
struct Filling<'l> {
    settings: &'l SuggestSettings,
    labelled: &'l Labelled,
    /// (candidate, score, task that ranked it), in list order.
    chosen: Vec<(usize, f64, Option<usize>)>,
    /// Candidates already chosen or passed over, never looked at again.
    decided: Vec<bool>,
    suggested: DuplicateIndex,
    per_source: BTreeMap<String, usize>,
    per_speaker: BTreeMap<String, usize>,
    skipped: Skipped,
}

impl<'l> Filling<'l> {
    fn new(settings: &'l SuggestSettings, labelled: &'l Labelled, candidates: usize) -> Self {
        Filling {
            settings,
            labelled,
            chosen: Vec::new(),
            decided: vec![false; candidates],
            suggested: DuplicateIndex::default(),
            per_source: BTreeMap::new(),
            per_speaker: BTreeMap::new(),
            skipped: Skipped::default(),
        }
    }

    /// Whether candidate `i` goes on the list; if it does, its source and speaker are counted.
    /// Caps are checked first (they are cheap, and a full cap never empties), then the label
    /// files, then the list itself. Every candidate is decided once.
    fn consider(&mut self, i: usize, candidate: &Candidate) -> bool {
        if std::mem::replace(&mut self.decided[i], true) {
            return false;
        }
        let full = |counts: &BTreeMap<String, usize>, key: &str, cap: usize| {
            cap > 0 && counts.get(key).copied().unwrap_or(0) >= cap
        };
        if full(&self.per_source, &candidate.source, self.settings.max_per_source) {
            self.skipped.source_cap += 1;
            return false;
        }
        if full(
            &self.per_speaker,
            &candidate.speaker,
            self.settings.max_per_speaker,
        ) {
            self.skipped.speaker_cap += 1;
            return false;
        }
        let key = TextKey::new(&candidate.text);
        match self.labelled.texts.find(&key) {
            Some(found) if found.sameness == Sameness::Same => {
                self.skipped.labelled += 1;
                return false;
            }
            Some(_) => {
                self.skipped.labelled_near += 1;
                return false;
            }
            None => {}
        }
        if self.suggested.find(&key).is_some() {
            self.skipped.repeated += 1;
            return false;
        }
        self.suggested.insert(key);
        *self.per_source.entry(candidate.source.clone()).or_insert(0) += 1;
        *self.per_speaker.entry(candidate.speaker.clone()).or_insert(0) += 1;
        true
    }
}

/// The mean of the `counted` tasks' values.
fn mean_of(values: &[f64], counted: &[usize]) -> f64 {
    counted.iter().map(|&t| values[t]).sum::<f64>() / counted.len().max(1) as f64
}

/// A score as it is printed (four decimals): rankings compare these, so two rows that show the
/// same score are a tie, broken by the seed.
fn quantize(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// Candidate indices, highest `score` first; ties by `tie_breaks`, then by index.
fn rank(tie_breaks: &[u64], score: impl Fn(usize) -> f64) -> Vec<usize> {
    let scores: Vec<f64> = (0..tie_breaks.len()).map(|i| quantize(score(i))).collect();
    let mut order: Vec<usize> = (0..tie_breaks.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then(tie_breaks[a].cmp(&tie_breaks[b]))
            .then(a.cmp(&b))
    });
    order
}

/// The first eight bytes of SHA-256 over the seed, the source and the text: a stable order
/// among ties that the seed changes.
fn tie_break(seed: u64, source: &str, text: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(seed.to_le_bytes())
        .chain_update(source.as_bytes())
        .chain_update([0])
        .chain_update(text.as_bytes())
        .finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("eight bytes"))
}

/// Prefix of suggested ids.
pub const ID_PREFIX: &str = "sg-";

/// `sg-` and the first 10 hex digits of SHA-256 over the source and the text (more when those
/// are taken): stable from run to run, so two suggestion files merge without clashes, and never
/// an id of `taken`, which gains it.
fn fresh_id(candidate: &Candidate, taken: &mut BTreeSet<String>) -> String {
    let digest = Sha256::new()
        .chain_update(candidate.source.as_bytes())
        .chain_update([0])
        .chain_update(candidate.text.as_bytes())
        .finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let id = (10..=hex.len())
        .map(|n| format!("{ID_PREFIX}{}", &hex[..n]))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| {
            // 2^256 ids all taken: count on from the full hash.
            (1..)
                .map(|n| format!("{ID_PREFIX}{hex}-{n}"))
                .find(|id| !taken.contains(id))
                .expect("an unused id")
        });
    taken.insert(id.clone());
    id
}

/// The label columns of the wide schema that describe a statement, before the task columns.
const DESCRIPTION_COLUMNS: [&str; 6] = ["id", "source", "date", "speaker", "kind", "text"];

/// Writes the suggestions as a label file to fill in: the wide schema (`id,source,date,speaker,
/// kind,text`, one empty column per task of the model, `note`), then the model's view in columns
/// the label reader ignores (`model_…`): per task its guess, each class's probability and its
/// uncertainty; then the rank, the score ranked by and the task that ranked it (`mean` when the
/// mean did).
pub fn write_csv(selection: &Selection, model: &StanceModel, out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = DESCRIPTION_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(model.tasks.iter().map(|t| t.name.clone()));
    header.push("note".into());
    for task in &model.tasks {
        header.push(format!("{MODEL_COLUMN_PREFIX}{}", task.name));
        for class in &task.classes {
            header.push(format!("{MODEL_COLUMN_PREFIX}{}_{class}", task.name));
        }
        header.push(format!("{MODEL_COLUMN_PREFIX}{}_uncertainty", task.name));
    }
    for column in ["rank", "score", "ranked_by"] {
        header.push(format!("{MODEL_COLUMN_PREFIX}{column}"));
    }
    w.write_record(&header)?;
    let mut number = String::new();
    let mut fixed = |value: f64| {
        number.clear();
        crate::io::push_fixed4(value, &mut number);
        number.clone()
    };
    for (rank, s) in selection.suggestions.iter().enumerate() {
        let c = &s.candidate;
        let mut row: Vec<String> = vec![
            s.id.clone(),
            c.source.clone(),
            String::new(),
            c.speaker.clone(),
            c.kind.clone(),
            c.text.clone(),
        ];
        row.extend(model.tasks.iter().map(|_| String::new()));
        row.push(String::new());
        let mut offset = 0;
        for (t, task) in model.tasks.iter().enumerate() {
            let p = &c.probabilities[offset..offset + task.classes.len()];
            offset += task.classes.len();
            row.push(task.classes[crate::model::argmax(p)].clone());
            row.extend(p.iter().map(|&v| fixed(v)));
            row.push(fixed(s.uncertainties[t]));
        }
        row.push((rank + 1).to_string());
        row.push(fixed(s.score));
        row.push(s.ranked_by.clone().unwrap_or_else(|| "mean".into()));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Featurizer, FeaturizerConfig};
    use crate::model::{ModelMetadata, TaskModel, TaskPrediction, TaskTraining, TrainParams};

    /// A model with the shipped tasks; only its task names and classes matter here (the
    /// candidates arrive with their probabilities).
    fn model() -> StanceModel {
        let task = |name: &str, classes: &[&str]| TaskModel {
            name: name.into(),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            weights: vec![vec![0.0]; classes.len()],
            intercepts: vec![0.0; classes.len()],
            training: TaskTraining {
                rows_per_class: BTreeMap::new(),
                alpha: 1.0,
                gradient_norm: 0.0,
                converged: true,
                cv: None,
            },
        };
        StanceModel::new(
            Featurizer::fit(FeaturizerConfig::default(), &["assad assad"]),
            vec![
                task("assad", &["against", "favor", "none"]),
                task("sentiment", &["negative", "neutral", "positive"]),
            ],
            ModelMetadata {
                stance_version: "test".into(),
                label_files: Vec::new(),
                params: TrainParams::default(),
                statements: 0,
            },
        )
    }

    /// A classified statement with assad and sentiment probabilities.
    fn statement(
        speaker: &str,
        source: &str,
        text: &str,
        assad: [f64; 3],
        sentiment: [f64; 3],
    ) -> ClassifiedStatement {
        let prediction = |task: &str, classes: [&str; 3], p: [f64; 3]| TaskPrediction {
            task: task.into(),
            label: String::new(),
            probabilities: classes.iter().map(|c| c.to_string()).zip(p).collect(),
        };
        ClassifiedStatement {
            speaker: speaker.into(),
            text: text.into(),
            source: source.into(),
            kind: "direct".into(),
            predictions: vec![
                prediction("assad", ["against", "favor", "none"], assad),
                prediction("sentiment", ["negative", "neutral", "positive"], sentiment),
            ],
        }
    }

    const SURE: [f64; 3] = [0.98, 0.01, 0.01];
    const TORN: [f64; 3] = [0.45, 0.44, 0.11];
    const LEANING: [f64; 3] = [0.7, 0.2, 0.1];
    const CLOSE: [f64; 3] = [0.5, 0.4, 0.1];

    fn suggest(
        statements: Vec<ClassifiedStatement>,
        settings: SuggestSettings,
        labelled: &Labelled,
    ) -> Selection {
        let model = model();
        let mut suggester = Suggester::new(&model, settings).unwrap();
        for s in statements {
            suggester.add(s);
        }
        suggester.select(labelled)
    }

    fn texts(selection: &Selection) -> Vec<&str> {
        selection
            .suggestions
            .iter()
            .map(|s| s.candidate.text.as_str())
            .collect()
    }

    fn uncapped() -> SuggestSettings {
        SuggestSettings {
            max_per_source: 0,
            max_per_speaker: 0,
            ..SuggestSettings::default()
        }
    }

    #[test]
    fn margin_and_entropy_measure_uncertainty_from_0_to_1() {
        // Margin: 1 - (0.45 - 0.44) = 0.99; sure: 1 - 0.97 = 0.03.
        assert!((Strategy::Margin.uncertainty(&TORN) - 0.99).abs() < 1e-12);
        assert!((Strategy::Margin.uncertainty(&SURE) - 0.03).abs() < 1e-12);
        // Entropy of a uniform distribution is log K: 1 after scaling; of a certain one, 0.
        assert!((Strategy::Entropy.uncertainty(&[0.25; 4]) - 1.0).abs() < 1e-12);
        assert_eq!(Strategy::Entropy.uncertainty(&[1.0, 0.0, 0.0]), 0.0);
        // -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) / ln 3 = 0.8018 / 1.0986 = 0.7298 (scipy.stats.entropy).
        assert!((Strategy::Entropy.uncertainty(&LEANING) - 0.729_847).abs() < 1e-6);
        // Margin sees two close classes as uncertain even when a third is empty; entropy less so.
        assert!(
            Strategy::Margin.uncertainty(&[0.5, 0.5, 0.0]) > Strategy::Margin.uncertainty(&[0.4, 0.3, 0.3])
        );
        assert!(
            Strategy::Entropy.uncertainty(&[0.5, 0.5, 0.0]) < Strategy::Entropy.uncertainty(&[0.4, 0.3, 0.3])
        );
        assert_eq!(Strategy::Margin.uncertainty(&[1.0]), 0.0);
    }

    #[test]
    fn the_most_uncertain_statements_come_first() {
        let selection = suggest(
            vec![
                statement("A", "a.txt", "sure about both", SURE, SURE),
                statement("B", "b.txt", "torn about both", TORN, TORN),
                statement("C", "c.txt", "torn about assad only", TORN, SURE),
            ],
            uncapped(),
            &Labelled::default(),
        );
        assert_eq!(
            texts(&selection),
            ["torn about both", "torn about assad only", "sure about both"]
        );
        let first = &selection.suggestions[0];
        assert!((first.score - 0.99).abs() < 1e-12);
        assert_eq!(first.ranked_by, None);
        // Mean of 0.99 and 0.03.
        assert!((selection.suggestions[1].score - 0.51).abs() < 1e-12);
    }

    #[test]
    fn per_task_ranking_takes_each_tasks_best_in_turn() {
        let statements = vec![
            statement("A", "a.txt", "torn on assad", TORN, SURE),
            statement("B", "b.txt", "close on both", CLOSE, CLOSE),
            statement("C", "c.txt", "torn on sentiment", SURE, TORN),
            statement("D", "d.txt", "leaning on assad", LEANING, SURE),
        ];
        let per_task = SuggestSettings {
            per_task: true,
            limit: 3,
            ..uncapped()
        };
        let selection = suggest(statements.clone(), per_task, &Labelled::default());
        assert_eq!(
            texts(&selection),
            ["torn on assad", "torn on sentiment", "close on both"]
        );
        let ranked_by: Vec<Option<&str>> = selection
            .suggestions
            .iter()
            .map(|s| s.ranked_by.as_deref())
            .collect();
        assert_eq!(ranked_by, [Some("assad"), Some("sentiment"), Some("assad")]);
        // The mean puts the statement leaning on both tasks (0.5 each) above those torn on one.
        let mean = suggest(
            statements,
            SuggestSettings {
                limit: 3,
                ..uncapped()
            },
            &Labelled::default(),
        );
        assert_eq!(texts(&mean)[0], "close on both");
    }

    #[test]
    fn tasks_can_be_narrowed() {
        let settings = SuggestSettings {
            tasks: vec!["sentiment".into()],
            ..uncapped()
        };
        let selection = suggest(
            vec![
                statement("A", "a.txt", "torn on assad", TORN, SURE),
                statement("C", "c.txt", "torn on sentiment", SURE, TORN),
            ],
            settings,
            &Labelled::default(),
        );
        assert_eq!(texts(&selection), ["torn on sentiment", "torn on assad"]);
        let err = Suggester::new(
            &model(),
            SuggestSettings {
                tasks: vec!["syria".into()],
                ..SuggestSettings::default()
            },
        )
        .err()
        .unwrap();
        assert_eq!(
            err.to_string(),
            "task `syria` is not in the model (its tasks: assad, sentiment)"
        );
    }

    #[test]
    fn caps_spread_the_list_over_sources_and_speakers() {
        let statements: Vec<ClassifiedStatement> = (0..6)
            .map(|i| {
                let speaker = if i < 4 { "Putin" } else { "Obama" };
                let source = if i % 2 == 0 { "a.txt" } else { "b.txt" };
                statement(
                    speaker,
                    source,
                    &format!("statement number {i} on its own"),
                    TORN,
                    TORN,
                )
            })
            .collect();
        let settings = SuggestSettings {
            max_per_speaker: 1,
            ..uncapped()
        };
        let selection = suggest(statements, settings, &Labelled::default());
        let picked: Vec<(&str, &str)> = selection
            .suggestions
            .iter()
            .map(|s| (s.candidate.speaker.as_str(), s.candidate.source.as_str()))
            .collect();
        // One per speaker.
        assert_eq!(picked.len(), 2, "{picked:?}");
        assert_ne!(picked[0].0, picked[1].0);
        assert_eq!(selection.skipped.speaker_cap, 4);
        let by_source = suggest(
            (0..6)
                .map(|i| {
                    statement(
                        &format!("S{i}"),
                        "a.txt",
                        &format!("statement number {i} alone"),
                        TORN,
                        TORN,
                    )
                })
                .collect(),
            SuggestSettings {
                max_per_source: 2,
                ..SuggestSettings::default()
            },
            &Labelled::default(),
        );
        assert_eq!(by_source.suggestions.len(), 2);
        assert_eq!(by_source.skipped.source_cap, 4);
    }

    #[test]
    fn labelled_statements_and_their_near_copies_are_never_suggested() {
        let labels = crate::labels::read_labels(
            "id,text,assad\n\
             s001,\"The Syrian president's fate should be entirely in the hands of the Syrian people.\",favor\n\
             s002,Bashar al-Assad must go,against\n"
                .as_bytes(),
            "l.csv",
            &crate::labels::ReadOptions::default(),
        )
        .unwrap();
        let labelled = Labelled::new(&labels);
        let selection = suggest(
            vec![
                // The same words, other case and punctuation.
                statement("A", "a.txt", "BASHAR AL-ASSAD MUST GO!", TORN, TORN),
                // A near copy: the labelled words and "he said".
                statement(
                    "B",
                    "b.txt",
                    "the Syrian president's fate should be entirely in the hands of the Syrian people, he said",
                    TORN,
                    TORN,
                ),
                statement("C", "c.txt", "We will strike the terrorists wherever they are", LEANING, LEANING),
            ],
            uncapped(),
            &labelled,
        );
        assert_eq!(
            texts(&selection),
            ["We will strike the terrorists wherever they are"]
        );
        assert_eq!(selection.skipped.labelled, 1);
        assert_eq!(selection.skipped.labelled_near, 1);
    }

    #[test]
    fn a_statement_found_in_two_articles_is_suggested_once() {
        let selection = suggest(
            vec![
                statement("A", "a.txt", "Assad has no place in Syria's future", TORN, TORN),
                statement("A", "b.txt", "Assad has no place in Syria's future.", TORN, TORN),
            ],
            uncapped(),
            &Labelled::default(),
        );
        assert_eq!(selection.suggestions.len(), 1);
        assert_eq!(selection.skipped.repeated, 1);
    }

    #[test]
    fn ties_follow_the_seed_and_the_same_seed_gives_the_same_list() {
        let statements: Vec<ClassifiedStatement> = (0..20)
            .map(|i| {
                statement(
                    &format!("S{i}"),
                    &format!("{i}.txt"),
                    &format!("tied statement {i} here"),
                    TORN,
                    TORN,
                )
            })
            .collect();
        let run = |seed| {
            let selection = suggest(
                statements.clone(),
                SuggestSettings {
                    seed,
                    limit: 20,
                    ..uncapped()
                },
                &Labelled::default(),
            );
            texts(&selection)
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
        let mut sorted = run(2);
        sorted.sort();
        let mut expected = run(1);
        expected.sort();
        assert_eq!(
            sorted, expected,
            "another seed reorders, never changes, the tied set"
        );
    }

    #[test]
    fn ids_are_stable_and_never_those_of_the_label_files() {
        let candidate = Candidate {
            speaker: "A".into(),
            text: "words".into(),
            source: "a.txt".into(),
            kind: String::new(),
            probabilities: Vec::new(),
        };
        let mut taken = BTreeSet::new();
        let first = fresh_id(&candidate, &mut taken);
        assert!(first.starts_with("sg-") && first.len() == 13, "{first}");
        let mut taken_by_labels: BTreeSet<String> = [first.clone()].into_iter().collect();
        let second = fresh_id(&candidate, &mut taken_by_labels);
        assert_eq!(second.len(), 14);
        assert!(second.starts_with(&first));
        assert_eq!(fresh_id(&candidate, &mut BTreeSet::new()), first);
    }

    #[test]
    fn the_csv_is_a_label_file_with_the_models_view_beside_it() {
        let model = model();
        let selection = suggest(
            vec![statement(
                "Vladimir Putin",
                "a.txt",
                "We are ready, he said",
                TORN,
                LEANING,
            )],
            uncapped(),
            &Labelled::default(),
        );
        let mut out = Vec::new();
        write_csv(&selection, &model, &mut out).unwrap();
        let written = String::from_utf8(out).unwrap();
        let mut lines = written.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,source,date,speaker,kind,text,assad,sentiment,note,\
             model_assad,model_assad_against,model_assad_favor,model_assad_none,model_assad_uncertainty,\
             model_sentiment,model_sentiment_negative,model_sentiment_neutral,model_sentiment_positive,model_sentiment_uncertainty,\
             model_rank,model_score,model_ranked_by"
        );
        let row = lines.next().unwrap();
        let id = &selection.suggestions[0].id;
        // Margins: assad 0.99, sentiment 1 - (0.7 - 0.2) = 0.5; mean 0.745.
        assert_eq!(
            row,
            format!(
                "{id},a.txt,,Vladimir Putin,direct,\"We are ready, he said\",,,,\
                 against,0.4500,0.4400,0.1100,0.9900,negative,0.7000,0.2000,0.1000,0.5000,1,0.7450,mean"
            )
        );
        // Filled in, it reads as a label file whose tasks are the label columns only.
        let filled = written.replace(",,,,against,", ",against,positive,,against,");
        let data =
            crate::labels::read_labels(filled.as_bytes(), "s.csv", &crate::labels::ReadOptions::default())
                .unwrap();
        let tasks: Vec<&str> = data.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(tasks, ["assad", "sentiment"]);
        assert_eq!(data.task("assad").unwrap().rows, [(0, "against".to_string())]);
    }

    #[test]
    fn empty_statements_are_not_candidates() {
        let model = model();
        let mut suggester = Suggester::new(&model, SuggestSettings::default()).unwrap();
        suggester.add(statement("A", "a.txt", "   ", TORN, TORN));
        suggester.add(statement("A", "a.txt", "fine", TORN, TORN));
        assert_eq!((suggester.candidates(), suggester.unusable()), (1, 1));
        assert_eq!(
            Suggester::new(
                &model,
                SuggestSettings {
                    limit: 0,
                    ..SuggestSettings::default()
                }
            )
            .err(),
            Some(SuggestError::ZeroLimit)
        );
    }
}
