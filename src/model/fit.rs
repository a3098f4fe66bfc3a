//! Fitting one task's multinomial logistic regression: linfa-logistic on a dense matrix, or the
//! same objective minimised over sparse rows (`sparse`), optionally behind naive-Bayes scaling
//! (`nb`).
//!
//! This is the only file that calls linfa. linfa-logistic needs a dense matrix, so the sparse
//! training vectors are expanded here, for fitting only; the fitted weights are copied out into
//! plain vectors that prediction scores sparsely.

use linfa::prelude::*;
use linfa_logistic::error::Error as LinfaError;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};

use super::linear::{balanced_rows, balanced_weights, gradient_norm, present_classes, LinearWeights};
use super::params::{Solver, ValidTrainParams, AUTO_DENSE_CELLS};
use crate::features::SparseVector;

/// Fits a multinomial logistic regression on `x` (sparse rows, borrowed: the tasks and folds that
/// fit on one featurized statement share its vector) and `labels` (class indices in
/// `0..n_classes`). A class absent from `labels` gets an intercept of minus infinity, so it is never
/// predicted; this only happens inside cross-validation folds.
pub fn fit_linear(
    x: &[&SparseVector],
    labels: &[usize],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    params: &ValidTrainParams,
) -> Result<LinearWeights, LinfaError> {
    if params.get().nb_scaling {
        if present_classes(labels).len() < 2 {
            return Err(LinfaError::TooFewClasses);
        }
        return super::nb::fit_one_vs_rest(x, labels, n_classes, n_features, |x, binary| {
            fit_plain(x, binary, 2, n_features, alpha, params)
        });
    }
    fit_plain(x, labels, n_classes, n_features, alpha, params)
}

/// `fit_linear` without naive-Bayes scaling: linfa or the sparse solver, as `params.solver` says.
fn fit_plain(
    x: &[&SparseVector],
    labels: &[usize],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    params: &ValidTrainParams,
) -> Result<LinearWeights, LinfaError> {
    let params = params.get();
    let row_weights = balanced_weights(labels, n_classes, params.balance);
    let rows_fitted = row_weights.iter().sum::<f64>() as usize;
    let sparse = match params.solver {
        Solver::Sparse => true,
        Solver::Linfa => false,
        Solver::Auto => rows_fitted.saturating_mul(n_features) > AUTO_DENSE_CELLS,
    };
    if sparse {
        return fit_sparse(
            x,
            labels,
            &row_weights,
            n_classes,
            n_features,
            alpha,
            params.max_iterations,
            params.gradient_tolerance,
        );
    }
    let rows = balanced_rows(labels, n_classes, params.balance);
    let mut dense = Array2::<f64>::zeros((rows.len(), n_features));
    for (r, &row) in rows.iter().enumerate() {
        for (j, v) in x[row].iter() {
            dense[[r, j]] = v;
        }
    }
    let targets: Array1<usize> = rows.iter().map(|&r| labels[r]).collect();
    let fitted = MultiLogisticRegression::default()
        .alpha(alpha)
        .max_iterations(params.max_iterations)
        .gradient_tolerance(params.gradient_tolerance)
        .fit(&DatasetBase::new(dense.view(), targets.view()))?;
    let mut weights = vec![vec![0.0; n_features]; n_classes];
    let mut intercepts = vec![f64::NEG_INFINITY; n_classes];
    for (k, &class) in fitted.classes().iter().enumerate() {
        for (j, w) in weights[class].iter_mut().enumerate() {
            *w = fitted.params()[[j, k]];
        }
        intercepts[class] = fitted.intercept()[k];
    }
    let mut result = LinearWeights {
        weights,
        intercepts,
        gradient_norm: 0.0,
    };
    let present: Vec<usize> = fitted.classes().to_vec();
    result.gradient_norm = gradient_norm(&result, x, labels, &row_weights, &present, alpha);
    Ok(result)
}

/// The sparse solver's fit: same classes handling and result layout as the linfa path; each row
/// counts `row_weights[i]` times instead of being repeated.
#[allow(clippy::too_many_arguments)]
fn fit_sparse(
    x: &[&SparseVector],
    labels: &[usize],
    row_weights: &[f64],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
) -> Result<LinearWeights, LinfaError> {
    let present = present_classes(labels);
    if present.len() < 2 {
        return Err(LinfaError::TooFewClasses);
    }
    let target: Vec<usize> = labels
        .iter()
        .map(|l| present.binary_search(l).unwrap_or(0))
        .collect();
    let k = present.len();
    let w = super::sparse::minimise(
        x,
        row_weights,
        &target,
        k,
        n_features,
        alpha,
        max_iterations,
        gradient_tolerance,
    )
    .map_err(LinfaError::ArgMinError)?;
    let mut weights = vec![vec![0.0; n_features]; n_classes];
    let mut intercepts = vec![f64::NEG_INFINITY; n_classes];
    for (c, &class) in present.iter().enumerate() {
        for (j, weight) in weights[class].iter_mut().enumerate() {
            *weight = w[j * k + c];
        }
        intercepts[class] = w[n_features * k + c];
    }
    let mut result = LinearWeights {
        weights,
        intercepts,
        gradient_norm: 0.0,
    };
    result.gradient_norm = gradient_norm(&result, x, labels, row_weights, &present, alpha);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::TrainParams;

    fn sv(pairs: &[(u32, f64)]) -> SparseVector {
        SparseVector::from_pairs(pairs)
    }

    fn refs(x: &[SparseVector]) -> Vec<&SparseVector> {
        x.iter().collect()
    }

    #[test]
    fn sparse_probabilities_equal_linfas_dense_ones() {
        let x = vec![
            sv(&[(0, 1.0)]),
            sv(&[(0, 0.8), (1, 0.2)]),
            sv(&[(1, 1.0)]),
            sv(&[(1, 0.7), (2, 0.3)]),
            sv(&[(2, 1.0)]),
            sv(&[(0, 0.1), (2, 0.9)]),
        ];
        let y = [0, 0, 1, 1, 2, 2];
        let params = TrainParams::default().validate().unwrap();
        let w = fit_linear(&refs(&x), &y, 3, 3, 0.5, &params).unwrap();
        // Refit with linfa directly and compare its own predict_probabilities.
        let mut dense = Array2::<f64>::zeros((6, 3));
        for (r, v) in x.iter().enumerate() {
            for (j, val) in v.iter() {
                dense[[r, j]] = val;
            }
        }
        let targets: Array1<usize> = y.iter().copied().collect();
        let fitted = MultiLogisticRegression::default()
            .alpha(0.5)
            .fit(&DatasetBase::new(dense.view(), targets.view()))
            .unwrap();
        let expected = fitted.predict_probabilities(&dense);
        for (r, v) in x.iter().enumerate() {
            let p = w.probabilities(v);
            for k in 0..3 {
                assert!((p[k] - expected[[r, k]]).abs() < 1e-12);
            }
            assert_eq!(
                p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0,
                y[r]
            );
        }
        assert!(w.gradient_norm.is_finite());
    }

    #[test]
    fn sparse_and_linfa_solvers_give_the_same_probabilities() {
        // Three classes, overlapping features, imbalance (oversampling on): a small real problem.
        let x: Vec<SparseVector> = (0..30)
            .map(|i| {
                let a = (i % 5) as f64 / 5.0;
                sv(&[
                    (0, 1.0 - a),
                    ((i % 3) as u32 + 1, 0.5 + a),
                    (4, (i % 7) as f64 / 7.0),
                ])
            })
            .collect();
        let y: Vec<usize> = (0..30)
            .map(|i| if i % 3 == 0 && i % 2 == 0 { 2 } else { i % 2 })
            .collect();
        for alpha in [0.1, 1.0, 10.0] {
            let with = |solver| {
                let params = TrainParams {
                    solver,
                    max_iterations: 500,
                    ..TrainParams::default()
                }
                .validate()
                .unwrap();
                fit_linear(&refs(&x), &y, 3, 5, alpha, &params).unwrap()
            };
            let (dense, sparse) = (with(Solver::Linfa), with(Solver::Sparse));
            for v in &x {
                let (p, q) = (dense.probabilities(v), sparse.probabilities(v));
                for k in 0..3 {
                    assert!((p[k] - q[k]).abs() < 1e-4, "alpha {alpha}: {p:?} vs {q:?}");
                }
            }
        }
    }

    #[test]
    fn the_sparse_solver_summing_blocks_in_parallel_agrees_with_linfa() {
        // 2,600 imbalanced rows: three blocks of rows summed apart, rows weighted by their copies.
        let x: Vec<SparseVector> = (0..2600)
            .map(|i| {
                let a = (i % 11) as f64 / 11.0;
                sv(&[
                    (0, 1.0 - a),
                    ((i % 4) as u32 + 1, 0.3 + a),
                    (5, (i % 13) as f64 / 13.0),
                ])
            })
            .collect();
        let y: Vec<usize> = (0..2600).map(|i| [0, 0, 1, 2, 1, 0, 2][i % 7]).collect();
        let with = |solver| {
            let params = TrainParams {
                solver,
                max_iterations: 500,
                ..TrainParams::default()
            }
            .validate()
            .unwrap();
            fit_linear(&refs(&x), &y, 3, 6, 1.0, &params).unwrap()
        };
        let (dense, sparse) = (with(Solver::Linfa), with(Solver::Sparse));
        for v in x.iter().take(50) {
            let (p, q) = (dense.probabilities(v), sparse.probabilities(v));
            for k in 0..3 {
                assert!((p[k] - q[k]).abs() < 1e-4, "{p:?} vs {q:?}");
            }
        }
    }

    #[test]
    fn a_class_missing_from_the_fold_is_never_predicted() {
        let x = vec![sv(&[(0, 1.0)]), sv(&[(1, 1.0)])];
        let w = fit_linear(
            &refs(&x),
            &[0, 2],
            3,
            2,
            1.0,
            &TrainParams::default().validate().unwrap(),
        )
        .unwrap();
        assert_eq!(w.probabilities(&x[0])[1], 0.0);
    }
}
