//! Training: one classifier per task, each task's L2 strength chosen by grouped
//! cross-validation, then fitted on all its rows and gathered with the featurizer into a model.

use super::cv::{self, CvOutcome};
use super::fit::fit_linear;
use super::linear::LinearWeights;
use super::params::ValidTrainParams;
use super::{CvSummary, ModelMetadata, StanceModel, TaskModel, TaskTraining, TrainError};
use crate::features::{Featurizer, FeaturizerConfig, SparseVector};
use crate::labels::LabelledData;

use rayon::prelude::*;

/// What training produced besides the model: cross-validation details and warnings for the user.
#[derive(Debug)]
pub struct TrainOutcome {
    /// The model (its `metadata.label_files` is for the caller to fill).
    pub model: StanceModel,
    /// Full cross-validation results (none without cross-validation).
    pub cv: Option<CvOutcome>,
    /// Things the user should know (unconverged fits, reduced folds).
    pub warnings: Vec<String>,
}

/// Number of solver runs `train` makes, for a progress bar.
pub fn planned_fits(data: &LabelledData, params: &ValidTrainParams) -> usize {
    let p = params.get();
    let groups: std::collections::BTreeSet<&str> = data.examples.iter().map(|e| e.group.as_str()).collect();
    let folds = if p.cross_validate {
        p.folds.min(groups.len())
    } else {
        0
    };
    data.tasks.len() * (folds * p.alphas.len() + 1)
}

/// Trains one classifier per task: chooses each task's L2 strength by grouped cross-validation,
/// then fits on all its rows. `progress` is called once per solver run.
pub fn train(
    data: &LabelledData,
    config: &FeaturizerConfig,
    params: &ValidTrainParams,
    progress: &(dyn Fn() + Sync),
) -> Result<TrainOutcome, TrainError> {
    if data.tasks.is_empty() {
        return Err(TrainError::NoTask);
    }
    for task in &data.tasks {
        let classes = task.classes();
        if classes.len() < 2 {
            return Err(TrainError::SingleClass {
                task: task.name.clone(),
                class: classes.first().cloned().unwrap_or_default(),
                rows: task.rows.len(),
            });
        }
    }
    let p = params.get();
    let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
    let featurizer = Featurizer::fit(config.clone(), &texts);
    if featurizer.n_features() == 0 {
        return Err(TrainError::NoFeatures {
            min_df: config.min_df,
        });
    }
    let cv = match p.cross_validate {
        true => Some(cv::cross_validate(data, config, params, progress)?),
        false => None,
    };
    let mut warnings = Vec::new();
    if let Some(cv) = cv.as_ref().filter(|cv| cv.folds < p.folds) {
        warnings.push(format!(
            "only {} distinct sources: cross-validation used {} folds instead of {}",
            cv.folds, cv.folds, p.folds
        ));
    }
    // Fitted on ranks (most frequent terms first), as scoring lays weights out, so that the
    // weights the solver touches most share cache lines; mapped back to columns below.
    let vectors: Vec<SparseVector> = texts.par_iter().map(|t| featurizer.transform_ranked(t)).collect();
    let fits: Vec<Result<LinearWeights, TrainError>> =
        data.tasks
            .par_iter()
            .enumerate()
            .map(|(t, task)| {
                let alpha = cv.as_ref().map_or(p.alphas[0], |cv| cv.tasks[t].best().alpha);
                let classes = task.classes();
                let x: Vec<&SparseVector> = task.rows.iter().map(|(i, _)| &vectors[*i]).collect();
                let y: Vec<usize> = task
                    .rows
                    .iter()
                    .map(|(_, l)| classes.binary_search(l).unwrap_or(0))
                    .collect();
                let fitted = fit_linear(&x, &y, classes.len(), featurizer.n_features(), alpha, params)
                    .map_err(|e| TrainError::Solver {
                        task: task.name.clone(),
                        message: e.to_string(),
                    })?;
                progress();
                Ok(by_column(fitted, featurizer.rank_order()))
            })
            .collect();
    drop(vectors);
    let mut tasks = Vec::new();
    for ((t, task), fitted) in data.tasks.iter().enumerate().zip(fits) {
        let fitted = fitted?;
        let task_cv = cv.as_ref().map(|cv| &cv.tasks[t]);
        let alpha = task_cv.map_or(p.alphas[0], |c| c.best().alpha);
        let classes = task.classes();
        let converged = fitted.gradient_norm <= p.gradient_tolerance;
        let (cv_unconverged, cv_fits) = task_cv.map_or((0, 0), |c| {
            (
                c.per_alpha.iter().map(|a| a.not_converged).sum::<usize>(),
                c.per_alpha.iter().map(|a| a.fits).sum::<usize>(),
            )
        });
        let unconverged = cv_unconverged + usize::from(!converged);
        if unconverged > 0 {
            warnings.push(format!(
                "{}: {unconverged} of {} fits stopped at the iteration limit before the gradient norm reached {} (final model: {:.3e}); raise --max-iterations for a tighter optimum",
                task.name, cv_fits + 1, p.gradient_tolerance, fitted.gradient_norm
            ));
        }
        let summary = match (&cv, task_cv) {
            (Some(cv), Some(task_cv)) => {
                let best = task_cv.best();
                let (macro_f1, macro_f1_spread) = best.macro_f1();
                Some(CvSummary {
                    folds: cv.folds,
                    macro_f1,
                    macro_f1_spread,
                    accuracy: best.pooled.accuracy,
                    per_class: best.pooled.per_class.clone(),
                    baseline_macro_f1: task_cv.baseline.macro_f1,
                    alpha_scores: task_cv
                        .per_alpha
                        .iter()
                        .map(|a| (a.alpha, a.macro_f1().0))
                        .collect(),
                })
            }
            _ => None,
        };
        tasks.push(TaskModel {
            name: task.name.clone(),
            classes,
            weights: fitted.weights,
            intercepts: fitted.intercepts,
            training: TaskTraining {
                rows_per_class: task.class_counts(),
                alpha,
                gradient_norm: fitted.gradient_norm,
                converged,
                cv: summary,
            },
        });
    }
    let model = StanceModel::new(
        featurizer,
        tasks,
        ModelMetadata {
            stance_version: env!("CARGO_PKG_VERSION").to_string(),
            label_files: Vec::new(),
            params: p.clone(),
            statements: data.examples.len(),
        },
    );
    Ok(TrainOutcome { model, cv, warnings })
}

/// Weights fitted on ranked vectors (`Featurizer::transform_ranked`), re-indexed by column.
fn by_column(mut fitted: LinearWeights, rank_order: &[u32]) -> LinearWeights {
    for weights in &mut fitted.weights {
        let by_rank = std::mem::take(weights);
        *weights = vec![0.0; by_rank.len()];
        for (&w, &column) in by_rank.iter().zip(rank_order) {
            weights[column as usize] = w;
        }
    }
    fitted
}
