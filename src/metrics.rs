//! Quality measures: per-class precision, recall and F1, macro-F1, accuracy, the confusion matrix,
//! and the stance score F_avg, computed from gold and predicted labels.
//!
//! Counts first (gold, predicted, correct per class, as fastText's meter keeps them), every rate
//! derived from them, so two reports built from the same counts always agree.

use serde::{Deserialize, Serialize};

/// Precision, recall and F1 of one class, with its support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// The class label.
    pub class: String,
    /// Correct predictions of this class / predictions of this class (0 when never predicted).
    pub precision: f64,
    /// Correct predictions of this class / gold rows of this class.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Gold rows of this class.
    pub support: usize,
}

/// Everything measured on one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Fraction of rows predicted correctly.
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1.
    pub macro_f1: f64,
    /// Mean of F1(favor) and F1(against), for stance tasks (classes favor/against present).
    pub f_avg: Option<f64>,
    /// Per class, in class order.
    pub per_class: Vec<ClassMetrics>,
    /// `confusion[gold][predicted]` counts, rows and columns in class order.
    pub confusion: Vec<Vec<usize>>,
    /// Number of rows measured.
    pub rows: usize,
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

impl Metrics {
    /// Measures predictions against gold labels; both are indices into `classes`.
    pub fn compute(classes: &[String], gold: &[usize], predicted: &[usize]) -> Metrics {
        let k = classes.len();
        let mut confusion = vec![vec![0usize; k]; k];
        for (&g, &p) in gold.iter().zip(predicted) {
            confusion[g][p] += 1;
        }
        let per_class: Vec<ClassMetrics> = (0..k)
            .map(|c| {
                let correct = confusion[c][c];
                let support: usize = confusion[c].iter().sum();
                let predicted_as: usize = confusion.iter().map(|row| row[c]).sum();
                let precision = ratio(correct, predicted_as);
                let recall = ratio(correct, support);
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                ClassMetrics {
                    class: classes[c].clone(),
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
        let f1_of = |name: &str| per_class.iter().find(|m| m.class == name).map(|m| m.f1);
        let f_avg = match (f1_of("favor"), f1_of("against")) {
            (Some(f), Some(a)) => Some((f + a) / 2.0),
            _ => None,
        };
        Metrics {
            accuracy: ratio(correct, gold.len()),
            macro_f1: if k == 0 {
                0.0
            } else {
                per_class.iter().map(|m| m.f1).sum::<f64>() / k as f64
            },
            f_avg,
            per_class,
            confusion,
            rows: gold.len(),
        }
    }
}

/// Accuracy and macro-F1 of always answering the most frequent gold class.
pub fn majority_baseline(classes: &[String], gold: &[usize]) -> Metrics {
    let mut counts = vec![0usize; classes.len()];
    gold.iter().for_each(|&g| counts[g] += 1);
    let majority = (0..classes.len())
        .max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))
        .unwrap_or(0);
    Metrics::compute(classes, gold, &vec![majority; gold.len()])
}

/// Mean and (population) standard deviation of a list of scores.
pub fn mean_and_spread(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes() -> Vec<String> {
        ["against", "favor", "none"].map(String::from).to_vec()
    }

    #[test]
    fn matches_a_hand_computed_example() {
        // gold:      a a a f f n
        // predicted: a a f f n n
        // against: P 2/2, R 2/3, F1 0.8; favor: P 1/2, R 1/2, F1 0.5; none: P 1/2, R 1/1, F1 2/3.
        // The same numbers come from sklearn.metrics.classification_report on these lists.
        let m = Metrics::compute(&classes(), &[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2]);
        assert!((m.accuracy - 4.0 / 6.0).abs() < 1e-12);
        assert!((m.per_class[0].f1 - 0.8).abs() < 1e-12);
        assert!((m.per_class[1].f1 - 0.5).abs() < 1e-12);
        assert!((m.per_class[2].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.macro_f1 - (0.8 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((m.f_avg.unwrap() - 0.65).abs() < 1e-12);
        assert_eq!(m.confusion, vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]);
        assert_eq!(m.per_class[0].support, 3);
    }

    #[test]
    fn a_class_never_predicted_has_zero_precision_not_nan() {
        let m = Metrics::compute(&classes(), &[1, 1], &[0, 0]);
        assert_eq!(m.per_class[1].precision, 0.0);
        assert_eq!(m.per_class[1].f1, 0.0);
        assert_eq!(m.macro_f1, 0.0);
    }

    #[test]
    fn majority_baseline_predicts_the_most_frequent_class() {
        let m = majority_baseline(&classes(), &[2, 2, 2, 0]);
        assert_eq!(m.accuracy, 0.75);
        // none: P 3/4, R 1, F1 6/7; others 0 → macro 2/7.
        assert!((m.macro_f1 - 2.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn spread_is_the_population_standard_deviation() {
        assert_eq!(mean_and_spread(&[1.0, 3.0]), (2.0, 1.0));
        assert_eq!(mean_and_spread(&[]), (0.0, 0.0));
    }
}
