//! Naive-Bayes log-count-ratio scaling before the logistic model (the "NBSVM" idea of Wang &
//! Manning 2012, here with logistic regression), one-vs-rest per class.
//!
//! For class c, each feature is scaled by r_c = ln((p / ‖p‖₁) / (q / ‖q‖₁)), where p and q are the
//! feature sums (plus 1) over the rows of c and of the other classes; a binary model c-vs-rest is
//! fitted on the scaled rows. Its weights times r_c are stored as class c's weights, so prediction
//! (a softmax over the classes' scores) and the model file stay exactly as for the plain model.

use super::linear::{present_classes, LinearWeights};
use crate::features::SparseVector;

/// Log-count ratio of every feature for `class` against the other classes, with add-one smoothing.
pub fn log_count_ratio(x: &[&SparseVector], labels: &[usize], class: usize, n_features: usize) -> Vec<f64> {
    let mut p = vec![1.0; n_features];
    let mut q = vec![1.0; n_features];
    for (row, &label) in x.iter().zip(labels) {
        let sums = if label == class { &mut p } else { &mut q };
        for (j, v) in row.iter() {
            sums[j] += v.abs();
        }
    }
    let (p_total, q_total): (f64, f64) = (p.iter().sum(), q.iter().sum());
    p.iter()
        .zip(&q)
        .map(|(a, b)| ((a / p_total) / (b / q_total)).ln())
        .collect()
}

/// Fits one NB-scaled binary model per class present, with `fit_binary` (rows, 0/1 labels →
/// a two-class model), and folds the scaling into the weights.
pub fn fit_one_vs_rest<E>(
    x: &[&SparseVector],
    labels: &[usize],
    n_classes: usize,
    n_features: usize,
    mut fit_binary: impl FnMut(&[&SparseVector], &[usize]) -> Result<LinearWeights, E>,
) -> Result<LinearWeights, E> {
    let mut weights = vec![vec![0.0; n_features]; n_classes];
    let mut intercepts = vec![f64::NEG_INFINITY; n_classes];
    let mut gradient_norm: f64 = 0.0;
    for class in present_classes(labels) {
        let r = log_count_ratio(x, labels, class, n_features);
        let scaled: Vec<SparseVector> = x
            .iter()
            .map(|row| SparseVector {
                columns: row.columns.clone(),
                values: row.iter().map(|(j, v)| v * r[j]).collect(),
            })
            .collect();
        let binary: Vec<usize> = labels.iter().map(|&l| usize::from(l == class)).collect();
        let scaled: Vec<&SparseVector> = scaled.iter().collect();
        let fitted = fit_binary(&scaled, &binary)?;
        for (j, w) in weights[class].iter_mut().enumerate() {
            *w = (fitted.weights[1][j] - fitted.weights[0][j]) * r[j];
        }
        intercepts[class] = fitted.intercepts[1] - fitted.intercepts[0];
        gradient_norm = gradient_norm.max(fitted.gradient_norm);
    }
    Ok(LinearWeights {
        weights,
        intercepts,
        gradient_norm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fit::fit_linear;
    use crate::model::params::TrainParams;

    fn sv(pairs: &[(u32, f64)]) -> SparseVector {
        SparseVector::from_pairs(pairs)
    }

    #[test]
    fn log_count_ratio_matches_a_hand_computation() {
        // Class 0 rows use feature 0 twice; the other class uses feature 1 once.
        // p = [1+2, 1+0] = [3, 1], ‖p‖ = 4; q = [1, 2], ‖q‖ = 3.
        // r0 = ln((3/4)/(1/3)) = ln 2.25; r1 = ln((1/4)/(2/3)) = ln 0.375.
        let x = [sv(&[(0, 1.0)]), sv(&[(0, 1.0)]), sv(&[(1, 1.0)])];
        let r = log_count_ratio(&x.iter().collect::<Vec<_>>(), &[0, 0, 1], 0, 2);
        assert!((r[0] - 2.25f64.ln()).abs() < 1e-12);
        assert!((r[1] - 0.375f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn one_vs_rest_predicts_the_obvious_classes() {
        let x: Vec<SparseVector> = (0..12).map(|i| sv(&[((i % 3) as u32, 1.0)])).collect();
        let y: Vec<usize> = (0..12).map(|i| i % 3).collect();
        let params = TrainParams {
            nb_scaling: true,
            ..TrainParams::default()
        }
        .validate()
        .unwrap();
        let w = fit_linear(&x.iter().collect::<Vec<_>>(), &y, 3, 3, 0.1, &params).unwrap();
        for (row, &label) in x.iter().zip(&y) {
            let p = w.probabilities(row);
            assert_eq!(crate::model::argmax(&p), label);
        }
    }
}
