//! Cross-validation grouped by source: statements of one article never sit on both sides of a
//! split, so the scores say how the model does on articles it has not seen.
//!
//! Inside each fold the featurizer is fitted on the training side only (its vocabulary and IDF
//! would otherwise leak the held-out texts). Folds run in parallel; results are collected in fold
//! order, so they do not depend on thread timing.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::fit::fit_linear;
use super::params::ValidTrainParams;
use super::TrainError;
use crate::features::{Featurizer, FeaturizerConfig, SparseVector};
use crate::labels::LabelledData;
use crate::metrics::{mean_and_spread, Metrics};

/// Assigns each example a fold in `0..k` so that examples of one group share a fold and folds are
/// about the same size: groups largest first (ties by name) go to the fold with fewest examples.
/// Returns the folds and the number of folds used (fewer than `k` when there are fewer groups).
pub fn assign_folds(groups: &[String], k: usize) -> (Vec<usize>, usize) {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for g in groups {
        *sizes.entry(g.as_str()).or_insert(0) += 1;
    }
    let k = k.min(sizes.len()).max(1);
    let mut order: Vec<(&str, usize)> = sizes.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut load = vec![0usize; k];
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (group, size) in order {
        let fold = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[fold] += size;
        fold_of.insert(group, fold);
    }
    (groups.iter().map(|g| fold_of[g.as_str()]).collect(), k)
}

/// Out-of-fold results of one task at one L2 strength.
#[derive(Debug, Clone)]
pub struct AlphaResult {
    /// The L2 strength.
    pub alpha: f64,
    /// Macro-F1 of each fold's held-out rows.
    pub fold_macro_f1: Vec<f64>,
    /// Metrics over all held-out predictions pooled.
    pub pooled: Metrics,
    /// Fits whose solver stopped before reaching the gradient tolerance.
    pub not_converged: usize,
    /// Fits run.
    pub fits: usize,
    /// Every held-out prediction, fold by fold.
    pub held_out: Vec<HeldOut>,
}

impl AlphaResult {
    /// Mean and spread of the per-fold macro-F1.
    pub fn macro_f1(&self) -> (f64, f64) {
        mean_and_spread(&self.fold_macro_f1)
    }
}

/// Cross-validation results of one task.
#[derive(Debug, Clone)]
pub struct TaskCv {
    /// Task name.
    pub task: String,
    /// The task's classes, sorted.
    pub classes: Vec<String>,
    /// One result per candidate L2 strength, in the order given.
    pub per_alpha: Vec<AlphaResult>,
    /// Always predicting the most frequent class, on the same held-out rows.
    pub baseline: Metrics,
}

impl TaskCv {
    /// The best L2 strength: highest mean macro-F1, ties going to the stronger regularisation.
    pub fn best(&self) -> &AlphaResult {
        let mut best = &self.per_alpha[0];
        for candidate in &self.per_alpha[1..] {
            let (c, b) = (candidate.macro_f1().0, best.macro_f1().0);
            if c > b + 1e-12 || ((c - b).abs() <= 1e-12 && candidate.alpha > best.alpha) {
                best = candidate;
            }
        }
        best
    }
}

/// Cross-validation results of every task.
#[derive(Debug, Clone)]
pub struct CvOutcome {
    /// Folds used.
    pub folds: usize,
    /// One entry per task, in task order.
    pub tasks: Vec<TaskCv>,
}

/// One held-out prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOut {
    /// Index of the example in the labelled data.
    pub example: usize,
    /// Gold class index.
    pub gold: usize,
    /// Class probabilities from the model that did not see the example.
    pub probabilities: Vec<f64>,
}

/// Predictions of one fold: `[task][alpha]` → held-out predictions and unconverged fits.
type FoldPredictions = Vec<Vec<(Vec<HeldOut>, usize)>>;

/// Runs grouped k-fold cross-validation of every task at every L2 strength in `params`.
/// `progress` is called once per fit.
pub fn cross_validate(
    data: &LabelledData,
    config: &FeaturizerConfig,
    params: &ValidTrainParams,
    progress: &(dyn Fn() + Sync),
) -> Result<CvOutcome, TrainError> {
    let groups: Vec<String> = data.examples.iter().map(|e| e.group.clone()).collect();
    let (fold_of, folds) = assign_folds(&groups, params.get().folds);
    cross_validate_folds(data, config, params, &fold_of, folds, progress)
}

/// Folds given by the distinct values of a column, in sorted order: the user's own assignment.
pub fn folds_from_values(values: &[String]) -> (Vec<usize>, usize) {
    let distinct: std::collections::BTreeSet<&str> = values.iter().map(String::as_str).collect();
    let index: BTreeMap<&str, usize> = distinct.iter().enumerate().map(|(i, v)| (*v, i)).collect();
    (values.iter().map(|v| index[v.as_str()]).collect(), distinct.len())
}

/// Cross-validation with a given fold for every example (`fold_of[i]` in `0..folds`).
pub fn cross_validate_folds(
    data: &LabelledData,
    config: &FeaturizerConfig,
    params: &ValidTrainParams,
    fold_of: &[usize],
    folds: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<CvOutcome, TrainError> {
    let p = params.get();
    if folds < 2 {
        return Err(TrainError::TooFewGroups { groups: folds });
    }
    let task_classes: Vec<Vec<String>> = data.tasks.iter().map(|t| t.classes()).collect();
    let per_fold: Vec<FoldPredictions> = (0..folds)
        .into_par_iter()
        .map(|fold| -> Result<FoldPredictions, TrainError> {
            let train_texts: Vec<&str> = data
                .examples
                .iter()
                .zip(fold_of)
                .filter(|(_, &f)| f != fold)
                .map(|(e, _)| e.text.as_str())
                .collect();
            let featurizer = Featurizer::fit(config.clone(), &train_texts);
            // Ranks (most frequent terms first) for the solver's cache, as in `train`.
            let vectors: Vec<SparseVector> = data
                .examples
                .par_iter()
                .map(|e| featurizer.transform_ranked(&e.text))
                .collect();
            let mut out = Vec::new();
            for (task, classes) in data.tasks.iter().zip(&task_classes) {
                let class_of = |label: &String| classes.binary_search(label).unwrap_or(0);
                let (train, test): (Vec<_>, Vec<_>) =
                    task.rows.iter().partition(|(i, _)| fold_of[*i] != fold);
                let x: Vec<&SparseVector> = train.iter().map(|(i, _)| &vectors[*i]).collect();
                let y: Vec<usize> = train.iter().map(|(_, l)| class_of(l)).collect();
                let mut per_alpha = Vec::new();
                for &alpha in &p.alphas {
                    let fitted = fit_linear(&x, &y, classes.len(), featurizer.n_features(), alpha, params)
                        .map_err(|e| TrainError::Solver {
                            task: task.name.clone(),
                            message: e.to_string(),
                        })?;
                    progress();
                    let pairs = test
                        .iter()
                        .map(|(i, l)| HeldOut {
                            example: *i,
                            gold: class_of(l),
                            probabilities: fitted.probabilities(&vectors[*i]),
                        })
                        .collect();
                    let unconverged = usize::from(fitted.gradient_norm > p.gradient_tolerance);
                    per_alpha.push((pairs, unconverged));
                }
                out.push(per_alpha);
            }
            Ok(out)
        })
        .collect::<Result<_, _>>()?;
    let tasks = data
        .tasks
        .iter()
        .zip(task_classes)
        .enumerate()
        .map(|(t, (task, classes))| {
            let per_alpha = p
                .alphas
                .iter()
                .enumerate()
                .map(|(a, &alpha)| {
                    let mut gold = Vec::new();
                    let mut predicted = Vec::new();
                    let mut fold_macro_f1 = Vec::new();
                    let mut not_converged = 0;
                    let mut held_out = Vec::new();
                    for fold in &per_fold {
                        let (pairs, unconverged) = &fold[t][a];
                        not_converged += unconverged;
                        if pairs.is_empty() {
                            continue;
                        }
                        let g: Vec<usize> = pairs.iter().map(|h| h.gold).collect();
                        let pr: Vec<usize> = pairs.iter().map(|h| argmax(&h.probabilities)).collect();
                        held_out.extend(pairs.iter().cloned());
                        fold_macro_f1.push(Metrics::compute(&classes, &g, &pr).macro_f1);
                        gold.extend(g);
                        predicted.extend(pr);
                    }
                    AlphaResult {
                        alpha,
                        fold_macro_f1,
                        pooled: Metrics::compute(&classes, &gold, &predicted),
                        not_converged,
                        fits: folds,
                        held_out,
                    }
                })
                .collect();
            let gold: Vec<usize> = task
                .rows
                .iter()
                .map(|(_, l)| classes.binary_search(l).unwrap_or(0))
                .collect();
            let baseline = crate::metrics::majority_baseline(&classes, &gold);
            TaskCv {
                task: task.name.clone(),
                classes,
                per_alpha,
                baseline,
            }
        })
        .collect();
    Ok(CvOutcome { folds, tasks })
}

/// Index of the largest value (the first on ties).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn groups_never_straddle_folds() {
        let groups = strings(&["a", "a", "a", "b", "b", "c", "d", "d", "e"]);
        let (folds, k) = assign_folds(&groups, 3);
        assert_eq!(k, 3);
        for (i, g) in groups.iter().enumerate() {
            for (j, h) in groups.iter().enumerate() {
                if g == h {
                    assert_eq!(folds[i], folds[j]);
                }
            }
        }
        // a (3 rows) → fold 0; b, d (2 rows) → folds 1, 2; c, e (1 row) → the lighter of 1 and 2.
        assert_eq!(folds, [0, 0, 0, 1, 1, 1, 2, 2, 2]);
    }

    #[test]
    fn fewer_groups_than_folds_lowers_k() {
        let (folds, k) = assign_folds(&strings(&["x", "y", "x"]), 5);
        assert_eq!(k, 2);
        assert_eq!(folds, [0, 1, 0]);
    }

    #[test]
    fn given_folds_follow_the_sorted_distinct_values() {
        assert_eq!(
            folds_from_values(&strings(&["b", "a", "b", "c"])),
            (vec![1, 0, 1, 2], 3)
        );
    }

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(argmax(&[0.2, 0.4, 0.4]), 1);
    }
}
