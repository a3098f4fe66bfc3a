//! Fitting one task's multinomial logistic regression with linfa-logistic.
//!
//! This is the only file that knows linfa exists. linfa-logistic needs a dense matrix, so the sparse
//! training vectors are expanded here, for fitting only; the fitted weights are copied out into
//! plain vectors that prediction scores sparsely.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};

use super::params::{ClassBalance, Solver, TrainParams, AUTO_DENSE_CELLS};
use crate::features::SparseVector;

/// Weights of a fitted linear classifier: one row of weights and one intercept per class.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearWeights {
    /// `weights[class][feature]`.
    pub weights: Vec<Vec<f64>>,
    /// One intercept per class.
    pub intercepts: Vec<f64>,
    /// Euclidean norm of the objective's gradient at the solution (0 at the exact optimum).
    pub gradient_norm: f64,
}

impl LinearWeights {
    /// Class scores (logits) of one vector: a sparse dot product per class.
    pub fn scores(&self, x: &SparseVector) -> Vec<f64> {
        linear_scores(&self.weights, &self.intercepts, x)
    }

    /// Class probabilities of one vector (softmax of the scores).
    pub fn probabilities(&self, x: &SparseVector) -> Vec<f64> {
        softmax(&self.scores(x))
    }
}

/// Class scores `b_k + Σ_j w_kj x_j` of one sparse vector: a sparse dot product per class.
pub fn linear_scores(weights: &[Vec<f64>], intercepts: &[f64], x: &SparseVector) -> Vec<f64> {
    weights
        .iter()
        .zip(intercepts)
        .map(|(w, b)| b + x.iter().map(|(j, v)| w[j] * v).sum::<f64>())
        .collect()
}

/// Softmax with the maximum subtracted first, so large scores cannot overflow.
pub fn softmax(scores: &[f64]) -> Vec<f64> {
    let mut probabilities = scores.to_vec();
    softmax_in_place(&mut probabilities);
    probabilities
}

/// `softmax`, overwriting the scores with the probabilities.
pub fn softmax_in_place(scores: &mut [f64]) {
    let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let uniform = 1.0 / scores.len() as f64;
        scores.iter_mut().for_each(|s| *s = uniform);
        return;
    }
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
    }
    let total: f64 = scores.iter().sum();
    for s in scores.iter_mut() {
        *s /= total;
    }
}

/// Row indices to fit on: every row once, and with oversampling the rows of smaller classes
/// repeated in file order until each class has as many rows as the largest.
pub fn balanced_rows(labels: &[usize], n_classes: usize, balance: ClassBalance) -> Vec<usize> {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (row, &label) in labels.iter().enumerate() {
        by_class[label].push(row);
    }
    let mut rows: Vec<usize> = (0..labels.len()).collect();
    if balance == ClassBalance::Oversample {
        let largest = by_class.iter().map(Vec::len).max().unwrap_or(0);
        for members in by_class.iter().filter(|m| !m.is_empty()) {
            rows.extend(members.iter().cycle().take(largest - members.len()));
        }
    }
    rows
}

/// Fits a multinomial logistic regression on `x` (sparse rows) and `labels` (class indices in
/// `0..n_classes`). A class absent from `labels` gets an intercept of minus infinity, so it is never
/// predicted; this only happens inside cross-validation folds.
pub fn fit_linear(
    x: &[SparseVector],
    labels: &[usize],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    params: &TrainParams,
) -> Result<LinearWeights, linfa_logistic::error::Error> {
    if params.nb_scaling {
        return super::nb::fit_one_vs_rest(x, labels, n_classes, n_features, alpha, params);
    }
    let rows = balanced_rows(labels, n_classes, params.balance);
    let sparse = match params.solver {
        Solver::Sparse => true,
        Solver::Linfa => false,
        Solver::Auto => rows.len().saturating_mul(n_features) > AUTO_DENSE_CELLS,
    };
    if sparse {
        return fit_sparse(x, labels, &rows, n_classes, n_features, alpha, params);
    }
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
    result.gradient_norm = gradient_norm(&result, x, labels, &rows, &present, alpha);
    Ok(result)
}

/// The classes that occur in `labels`, sorted; fewer than two cannot be fitted.
pub fn present_classes(labels: &[usize]) -> Result<Vec<usize>, linfa_logistic::error::Error> {
    let mut present: Vec<usize> = labels.to_vec();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        return Err(linfa_logistic::error::Error::TooFewClasses);
    }
    Ok(present)
}

/// The sparse solver's fit: same classes handling and result layout as the linfa path.
fn fit_sparse(
    x: &[SparseVector],
    labels: &[usize],
    rows: &[usize],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    params: &TrainParams,
) -> Result<LinearWeights, linfa_logistic::error::Error> {
    let present = present_classes(labels)?;
    let target: Vec<usize> = labels
        .iter()
        .map(|l| present.binary_search(l).unwrap_or(0))
        .collect();
    let k = present.len();
    let w = super::sparse::minimise(
        x,
        rows,
        &target,
        k,
        n_features,
        alpha,
        params.max_iterations,
        params.gradient_tolerance,
    )
    .map_err(linfa_logistic::error::Error::ArgMinError)?;
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
    result.gradient_norm = gradient_norm(&result, x, labels, rows, &present, alpha);
    Ok(result)
}

/// Norm of the gradient of linfa-logistic's multinomial objective
/// `-Σ log softmax(XW + b)[y] + α/2 ‖W‖²` at `w`, over the classes present, computed sparsely.
fn gradient_norm(
    w: &LinearWeights,
    x: &[SparseVector],
    labels: &[usize],
    rows: &[usize],
    present: &[usize],
    alpha: f64,
) -> f64 {
    let n_features = w.weights.first().map_or(0, Vec::len);
    let mut grad_w: Vec<Vec<f64>> = present
        .iter()
        .map(|&c| w.weights[c].iter().map(|v| alpha * v).collect())
        .collect();
    let mut grad_b = vec![0.0; present.len()];
    for &row in rows {
        let scores: Vec<f64> = present
            .iter()
            .map(|&c| w.intercepts[c] + x[row].iter().map(|(j, v)| w.weights[c][j] * v).sum::<f64>())
            .collect();
        let p = softmax(&scores);
        for (k, &c) in present.iter().enumerate() {
            let diff = p[k] - if labels[row] == c { 1.0 } else { 0.0 };
            grad_b[k] += diff;
            for (j, v) in x[row].iter() {
                grad_w[k][j] += diff * v;
            }
        }
    }
    debug_assert!(grad_w.iter().all(|g| g.len() == n_features));
    let sum_sq: f64 = grad_w.iter().flatten().chain(&grad_b).map(|g| g * g).sum();
    sum_sq.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(pairs: &[(u32, f64)]) -> SparseVector {
        SparseVector::from_pairs(pairs)
    }

    #[test]
    fn oversampling_repeats_smaller_classes_in_order() {
        let rows = balanced_rows(&[0, 0, 0, 1, 2, 2], 3, ClassBalance::Oversample);
        assert_eq!(rows, [0, 1, 2, 3, 4, 5, 3, 3, 4]);
        assert_eq!(balanced_rows(&[0, 1, 1], 2, ClassBalance::None), [0, 1, 2]);
    }

    #[test]
    fn softmax_is_stable_and_sums_to_one() {
        let p = softmax(&[1000.0, 1000.0, f64::NEG_INFINITY]);
        assert_eq!(p, [0.5, 0.5, 0.0]);
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
        let params = TrainParams::default();
        let w = fit_linear(&x, &y, 3, 3, 0.5, &params).unwrap();
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
                };
                fit_linear(&x, &y, 3, 5, alpha, &params).unwrap()
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
    fn a_class_missing_from_the_fold_is_never_predicted() {
        let x = vec![sv(&[(0, 1.0)]), sv(&[(1, 1.0)])];
        let w = fit_linear(&x, &[0, 2], 3, 2, 1.0, &TrainParams::default()).unwrap();
        assert_eq!(w.probabilities(&x[0])[1], 0.0);
    }
}
