//! The arithmetic every linear model here shares: class scores of a sparse vector, softmax, the
//! multinomial objective's gradient norm, and which rows a balanced fit sees.
//!
//! A leaf: it knows sparse vectors and nothing of how a model is fitted, so the solvers
//! (`fit`, `sparse`, `nb`) and prediction all build on it without depending on one another.

use super::params::ClassBalance;
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

/// `ln Σ exp(s)`, with the maximum taken out first.
pub fn log_sum_exp(scores: &[f64]) -> f64 {
    let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    max + scores.iter().map(|s| (s - max).exp()).sum::<f64>().ln()
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

/// How much each row counts in the summed loss: the number of times it appears in
/// `balanced_rows`. Weighting a row by its copies gives exactly the objective of the repeated rows,
/// in one pass over each row instead of one per copy.
pub fn balanced_weights(labels: &[usize], n_classes: usize, balance: ClassBalance) -> Vec<f64> {
    let mut weights = vec![0.0; labels.len()];
    for row in balanced_rows(labels, n_classes, balance) {
        weights[row] += 1.0;
    }
    weights
}

/// The classes that occur in `labels`, sorted.
pub fn present_classes(labels: &[usize]) -> Vec<usize> {
    let mut present: Vec<usize> = labels.to_vec();
    present.sort_unstable();
    present.dedup();
    present
}

/// Norm of the gradient of linfa-logistic's multinomial objective
/// `-Σ m_i log softmax(XW + b)[y_i] + α/2 ‖W‖²` at `w`, over the classes present, computed
/// sparsely; `row_weights[i]` is row i's count m_i (see `balanced_weights`).
pub fn gradient_norm(
    w: &LinearWeights,
    x: &[&SparseVector],
    labels: &[usize],
    row_weights: &[f64],
    present: &[usize],
    alpha: f64,
) -> f64 {
    let n_features = w.weights.first().map_or(0, Vec::len);
    let mut grad_w: Vec<Vec<f64>> = present
        .iter()
        .map(|&c| w.weights[c].iter().map(|v| alpha * v).collect())
        .collect();
    let mut grad_b = vec![0.0; present.len()];
    for (row, &m) in row_weights.iter().enumerate() {
        let scores: Vec<f64> = present
            .iter()
            .map(|&c| w.intercepts[c] + x[row].iter().map(|(j, v)| w.weights[c][j] * v).sum::<f64>())
            .collect();
        let p = softmax(&scores);
        for (k, &c) in present.iter().enumerate() {
            let diff = m * (p[k] - if labels[row] == c { 1.0 } else { 0.0 });
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

    #[test]
    fn oversampling_repeats_smaller_classes_in_order() {
        let rows = balanced_rows(&[0, 0, 0, 1, 2, 2], 3, ClassBalance::Oversample);
        assert_eq!(rows, [0, 1, 2, 3, 4, 5, 3, 3, 4]);
        assert_eq!(balanced_rows(&[0, 1, 1], 2, ClassBalance::None), [0, 1, 2]);
        assert_eq!(
            balanced_weights(&[0, 0, 0, 1, 2, 2], 3, ClassBalance::Oversample),
            [1.0, 1.0, 1.0, 3.0, 2.0, 1.0]
        );
    }

    #[test]
    fn softmax_is_stable_and_sums_to_one() {
        let p = softmax(&[1000.0, 1000.0, f64::NEG_INFINITY]);
        assert_eq!(p, [0.5, 0.5, 0.0]);
    }

    #[test]
    fn log_sum_exp_of_equal_scores_is_their_value_plus_ln_n() {
        assert!((log_sum_exp(&[700.0, 700.0]) - (700.0 + 2f64.ln())).abs() < 1e-12);
    }
}
