//! Stage 4 of the pipeline: one multinomial logistic model per task, trained with linfa-logistic,
//! cross-validated by source, stored with its featurizer, and scored sparsely.
//!
//! The files follow the work: `params` (settings, validated once) → `train` (one model per task,
//! its L2 strength chosen by `cv`) → `fit` (linfa, or the same objective over sparse rows in
//! `sparse`; naive-Bayes scaling in `nb`), all on the shared maths of `linear`; `file` saves and
//! loads. This file holds the fitted model and its scoring.
//!
//! linfa fits; prediction does not call linfa. The fitted weights are copied into `TaskModel`, and
//! a statement is scored by summing the weights of its few feature columns (a sparse dot product
//! per class), which gives linfa's probabilities without building its dense matrix.

pub mod cv;
pub mod file;
pub mod fit;
pub mod linear;
pub mod nb;
pub mod params;
pub mod sparse;
pub mod train;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::features::{FeatureScratch, Featurizer, SparseVector};
use crate::metrics::ClassMetrics;
pub use cv::{argmax, CvOutcome, TaskCv};
pub use linear::LinearWeights;
pub use params::{ClassBalance, ParamError, Solver, TrainParams, ValidTrainParams};
pub use train::{planned_fits, train, TrainOutcome};

/// Why training could not produce a model.
#[derive(Debug, Error)]
pub enum TrainError {
    /// A task whose rows all carry one label cannot be learned.
    #[error("task `{task}` has a single class ({class:?}, {rows} rows): a classifier needs at least two (label more rows, or leave the task out with --task)")]
    SingleClass {
        /// The task.
        task: String,
        /// Its only class.
        class: String,
        /// Its rows.
        rows: usize,
    },
    /// Grouped cross-validation needs at least two groups.
    #[error("cross-validation needs statements from at least 2 sources, found {groups}")]
    TooFewGroups {
        /// Distinct groups found.
        groups: usize,
    },
    /// The vocabulary came out empty.
    #[error("no feature survived the vocabulary limits (min-df {min_df}): lower --min-df or add statements")]
    NoFeatures {
        /// The min_df in force.
        min_df: usize,
    },
    /// No task to train.
    #[error("no task to train (the label files have no label column)")]
    NoTask,
    /// linfa-logistic refused the data.
    #[error("task `{task}`: the solver failed: {message}")]
    Solver {
        /// The task.
        task: String,
        /// linfa's message.
        message: String,
    },
}

/// The largest weight or intercept a model file may hold. Training never comes near it (weights are
/// L2-penalised); a larger one means an edited file, and could overflow a statement's scores.
pub const MAX_WEIGHT: f64 = 1e9;

/// Cross-validation figures kept in the model file for one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvSummary {
    /// Folds used (grouped by source).
    pub folds: usize,
    /// Mean per-fold macro-F1 at the chosen L2 strength.
    pub macro_f1: f64,
    /// Standard deviation of the per-fold macro-F1.
    pub macro_f1_spread: f64,
    /// Accuracy over all held-out predictions.
    pub accuracy: f64,
    /// Per-class precision, recall, F1 over all held-out predictions.
    pub per_class: Vec<ClassMetrics>,
    /// Macro-F1 of always predicting the most frequent class.
    pub baseline_macro_f1: f64,
    /// Mean macro-F1 for every L2 strength tried, as (alpha, macro-F1).
    pub alpha_scores: Vec<(f64, f64)>,
}

/// How one task's model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskTraining {
    /// Training rows per class (before oversampling).
    pub rows_per_class: BTreeMap<String, usize>,
    /// The L2 strength used.
    pub alpha: f64,
    /// Gradient norm at the solution; above the tolerance the solver stopped at its iteration limit.
    pub gradient_norm: f64,
    /// Whether the gradient norm reached the tolerance.
    pub converged: bool,
    /// Cross-validation figures (none when trained with `--no-cv`).
    #[serde(default)]
    pub cv: Option<CvSummary>,
}

/// The fitted classifier of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskModel {
    /// Task name (`assad`, `military_action`, `sentiment`, or a long-format target).
    pub name: String,
    /// Class labels, sorted; weights and probabilities follow this order.
    pub classes: Vec<String>,
    /// `weights[class][feature]`.
    pub weights: Vec<Vec<f64>>,
    /// One intercept per class.
    pub intercepts: Vec<f64>,
    /// Training record.
    pub training: TaskTraining,
}

/// Digest of one label file a model was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelFileDigest {
    /// The path as given to `stance train`.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Rows read from it.
    pub rows: usize,
}

/// What a model file records about how it was made (no clock time: the same inputs give the same
/// bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetadata {
    /// Version of `stance` that wrote the model.
    pub stance_version: String,
    /// The label files, in the order read.
    pub label_files: Vec<LabelFileDigest>,
    /// The training settings.
    pub params: TrainParams,
    /// Statements used.
    pub statements: usize,
}

/// A trained model: featurizer, one classifier per task, and its training record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StanceModel {
    /// Turns text into feature vectors.
    pub featurizer: Featurizer,
    /// One classifier per task, sorted by name.
    pub tasks: Vec<TaskModel>,
    /// How the model was made.
    pub metadata: ModelMetadata,
    /// Every task's weights side by side, built on the first prediction (not stored).
    #[serde(skip)]
    scores: ScoreTableCache,
}

/// The weights of every task's classes, feature-major and in rank order (`Featurizer::rank_order`):
/// row `r` holds the weights of the feature of rank `r` for each class of each task, so scoring a
/// statement touches one short row per feature, and the rows of frequent terms sit together.
#[derive(Debug, Clone)]
struct ScoreTable {
    /// Classes over all tasks: the row length.
    width: usize,
    /// `weights[j * width + c]`.
    weights: Vec<f64>,
    /// One intercept per class, tasks in order.
    intercepts: Vec<f64>,
}

impl ScoreTable {
    fn new(tasks: &[TaskModel], rank_order: &[u32]) -> Self {
        let width = tasks.iter().map(|t| t.classes.len()).sum();
        let mut weights = vec![0.0; rank_order.len() * width];
        let mut offset = 0;
        for task in tasks {
            for (k, class_weights) in task.weights.iter().enumerate() {
                for (rank, &column) in rank_order.iter().enumerate() {
                    weights[rank * width + offset + k] = class_weights[column as usize];
                }
            }
            offset += task.classes.len();
        }
        ScoreTable {
            width,
            weights,
            intercepts: tasks.iter().flat_map(|t| t.intercepts.iter().copied()).collect(),
        }
    }

    /// `out[c] = Σ x[j] · weights[j][c]` over the features of `x`, in their order, for a row
    /// width fixed at compile time: the sums stay in registers and each row is a few straight loads.
    #[inline]
    fn accumulate<const WIDTH: usize>(&self, x: &SparseVector, out: &mut [f64]) {
        let mut sums = [0.0; WIDTH];
        for (&j, &v) in x.columns.iter().zip(&x.values) {
            let row: &[f64; WIDTH] = self.weights[j as usize * WIDTH..][..WIDTH]
                .try_into()
                .expect("a row is WIDTH long");
            for (sum, w) in sums.iter_mut().zip(row) {
                *sum += w * v;
            }
        }
        out.copy_from_slice(&sums);
    }

    /// `accumulate` for any row width.
    fn accumulate_any_width(&self, x: &SparseVector, out: &mut [f64]) {
        out.fill(0.0);
        for (&j, &v) in x.columns.iter().zip(&x.values) {
            let row = &self.weights[j as usize * self.width..][..self.width];
            for (sum, w) in out.iter_mut().zip(row) {
                *sum += w * v;
            }
        }
    }
}

/// The model's score table, built once from its tasks; as derived data it never makes two models
/// unequal.
#[derive(Debug, Clone, Default)]
struct ScoreTableCache(std::sync::OnceLock<ScoreTable>);

impl PartialEq for ScoreTableCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Buffers reused from one statement to the next by `StanceModel::probabilities_into`; one per
/// thread.
#[derive(Debug, Default, Clone)]
pub struct PredictScratch {
    features: FeatureScratch,
    vector: SparseVector,
}

/// One task's answer for one statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskPrediction {
    /// The task.
    pub task: String,
    /// The most probable class.
    pub label: String,
    /// Every class with its probability, in class order.
    pub probabilities: Vec<(String, f64)>,
}

impl TaskPrediction {
    /// The probability of `class`, 0 when the task has no such class.
    pub fn probability(&self, class: &str) -> f64 {
        self.probabilities
            .iter()
            .find(|(c, _)| c == class)
            .map_or(0.0, |(_, p)| *p)
    }
}

/// A term's push towards the predicted class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The n-gram.
    pub term: String,
    /// Feature value × (weight of the predicted class − mean weight of the other classes).
    pub weight: f64,
}

/// Why a task's label was chosen for a statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The prediction being explained.
    pub prediction: TaskPrediction,
    /// The intercept's share, as a contribution of the same kind.
    pub bias: f64,
    /// Terms sorted by the absolute size of their push, largest first.
    pub contributions: Vec<Contribution>,
}

impl TaskModel {
    /// Class probabilities of a feature vector.
    pub fn predict_vector(&self, x: &SparseVector) -> TaskPrediction {
        let probabilities = linear::softmax(&linear::linear_scores(&self.weights, &self.intercepts, x));
        let best = argmax(&probabilities);
        TaskPrediction {
            task: self.name.clone(),
            label: self.classes[best].clone(),
            probabilities: self.classes.iter().cloned().zip(probabilities).collect(),
        }
    }
}

impl StanceModel {
    /// A model from its parts.
    pub fn new(featurizer: Featurizer, tasks: Vec<TaskModel>, metadata: ModelMetadata) -> Self {
        StanceModel {
            featurizer,
            tasks,
            metadata,
            scores: ScoreTableCache::default(),
        }
    }

    fn score_table(&self) -> &ScoreTable {
        self.scores
            .0
            .get_or_init(|| ScoreTable::new(&self.tasks, self.featurizer.rank_order()))
    }

    /// Number of classes over all tasks: the length of what `probabilities_into` writes.
    pub fn total_classes(&self) -> usize {
        self.tasks.iter().map(|t| t.classes.len()).sum()
    }

    /// Every task's class probabilities for one statement, written to `out` (`total_classes()`
    /// long) task after task in class order: the same numbers as `predict`, without allocating
    /// once `scratch` is warm.
    pub fn probabilities_into(&self, text: &str, scratch: &mut PredictScratch, out: &mut [f64]) {
        self.featurizer
            .transform_ranked_into(text, &mut scratch.features, &mut scratch.vector);
        self.vector_probabilities_into(&scratch.vector, out);
    }

    /// `probabilities_into` for a feature vector.
    fn vector_probabilities_into(&self, x: &SparseVector, out: &mut [f64]) {
        let table = self.score_table();
        assert_eq!(
            out.len(),
            table.width,
            "probabilities_into needs total_classes() slots"
        );
        match table.width {
            2 => table.accumulate::<2>(x, out),
            3 => table.accumulate::<3>(x, out),
            4 => table.accumulate::<4>(x, out),
            6 => table.accumulate::<6>(x, out),
            9 => table.accumulate::<9>(x, out),
            _ => table.accumulate_any_width(x, out),
        }
        for (sum, b) in out.iter_mut().zip(&table.intercepts) {
            *sum += b;
        }
        let mut offset = 0;
        for task in &self.tasks {
            linear::softmax_in_place(&mut out[offset..offset + task.classes.len()]);
            offset += task.classes.len();
        }
    }

    /// Every task's prediction for one statement (featurized with this thread's buffers, see
    /// `FeatureScratch::with_this_threads`).
    pub fn predict(&self, text: &str) -> Vec<TaskPrediction> {
        let mut vector = SparseVector::default();
        FeatureScratch::with_this_threads(|features| {
            self.featurizer.transform_ranked_into(text, features, &mut vector)
        });
        let mut probabilities = vec![0.0; self.total_classes()];
        self.vector_probabilities_into(&vector, &mut probabilities);
        self.predictions(&probabilities)
    }

    /// The predictions behind probabilities from `probabilities_into`.
    pub fn predictions(&self, probabilities: &[f64]) -> Vec<TaskPrediction> {
        let mut offset = 0;
        self.tasks
            .iter()
            .map(|task| {
                let p = &probabilities[offset..offset + task.classes.len()];
                offset += task.classes.len();
                TaskPrediction {
                    task: task.name.clone(),
                    label: task.classes[argmax(p)].clone(),
                    probabilities: task.classes.iter().cloned().zip(p.iter().copied()).collect(),
                }
            })
            .collect()
    }

    /// Every task's prediction with the `top` terms that pushed it most.
    pub fn explain(&self, text: &str, top: usize) -> Vec<Explanation> {
        let x = self.featurizer.transform(text);
        self.tasks
            .iter()
            .map(|task| {
                let prediction = task.predict_vector(&x);
                let chosen = task
                    .classes
                    .iter()
                    .position(|c| *c == prediction.label)
                    .unwrap_or(0);
                let others = task.classes.len().saturating_sub(1).max(1) as f64;
                let margin = |values: &dyn Fn(usize) -> f64| {
                    let other_sum: f64 = (0..task.classes.len()).filter(|&k| k != chosen).map(values).sum();
                    values(chosen) - other_sum / others
                };
                let mut contributions: Vec<Contribution> = x
                    .iter()
                    .map(|(j, v)| Contribution {
                        term: self.featurizer.term(j).to_string(),
                        weight: v * margin(&|k| task.weights[k][j]),
                    })
                    .collect();
                contributions.sort_by(|a, b| {
                    b.weight
                        .abs()
                        .total_cmp(&a.weight.abs())
                        .then_with(|| a.term.cmp(&b.term))
                });
                contributions.truncate(top);
                Explanation {
                    bias: margin(&|k| task.intercepts[k]),
                    prediction,
                    contributions,
                }
            })
            .collect()
    }

    /// Checks a model read from a file: dimensions agree, numbers are finite. linfa would panic on
    /// a feature-count mismatch, and so would indexing; this makes it an error instead.
    pub fn validate(&self) -> Result<(), String> {
        self.featurizer.validate()?;
        let n = self.featurizer.n_features();
        if self.tasks.is_empty() {
            return Err("the model has no task".into());
        }
        for task in &self.tasks {
            let k = task.classes.len();
            if k < 2 {
                return Err(format!(
                    "task `{}` has {k} classes, expected at least 2",
                    task.name
                ));
            }
            if task.weights.len() != k || task.intercepts.len() != k {
                return Err(format!(
                    "task `{}` has {k} classes but {} weight rows and {} intercepts",
                    task.name,
                    task.weights.len(),
                    task.intercepts.len()
                ));
            }
            if let Some(row) = task.weights.iter().find(|w| w.len() != n) {
                return Err(format!(
                    "task `{}` has {} weights per class, expected {n} (one per feature)",
                    task.name,
                    row.len()
                ));
            }
            if let Some(bad) = task
                .weights
                .iter()
                .flatten()
                .chain(&task.intercepts)
                .find(|v| !(-MAX_WEIGHT..=MAX_WEIGHT).contains(*v))
            {
                return Err(format!(
                    "task `{}` has a weight of {bad}, expected a finite number of magnitude at most {MAX_WEIGHT:e}",
                    task.name
                ));
            }
            let mut sorted = task.classes.clone();
            sorted.sort();
            sorted.dedup();
            if sorted != task.classes {
                return Err(format!(
                    "task `{}` has classes {:?}, expected distinct classes in sorted order",
                    task.name, task.classes
                ));
            }
        }
        Ok(())
    }

    /// The task called `name`.
    pub fn task(&self, name: &str) -> Option<&TaskModel> {
        self.tasks.iter().find(|t| t.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> StanceModel {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model-format-1.model");
        file::read_model(std::fs::read(path).unwrap().as_slice()).unwrap()
    }

    #[test]
    fn the_score_table_gives_exactly_the_per_task_probabilities() {
        let model = shipped();
        let mut scratch = PredictScratch::default();
        let mut probabilities = vec![0.0; model.total_classes()];
        for text in [
            "Assad has no place in the future of Syria",
            "We must intensify air strikes against ISIS",
            "",
            "François Hollande’s «guerre»",
        ] {
            model.probabilities_into(text, &mut scratch, &mut probabilities);
            let x = model.featurizer.transform(text);
            let expected: Vec<f64> = model
                .tasks
                .iter()
                .flat_map(|t| t.predict_vector(&x).probabilities.into_iter().map(|(_, p)| p))
                .collect();
            assert_eq!(probabilities, expected, "{text}");
            let explained: Vec<TaskPrediction> =
                model.explain(text, 3).into_iter().map(|e| e.prediction).collect();
            assert_eq!(explained, model.predict(text), "{text}");
        }
    }
}
