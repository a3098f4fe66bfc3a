//! Agreement between two labelling passes: Cohen's kappa per task, and the rows they disagree on.

use std::collections::BTreeMap;

use serde::Serialize;

/// One row two passes labelled differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Row id.
    pub id: String,
    /// Task.
    pub task: String,
    /// First pass's label.
    pub first: String,
    /// Second pass's label.
    pub second: String,
}

/// Agreement on one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskAgreement {
    /// Task.
    pub task: String,
    /// Rows both passes labelled.
    pub rows: usize,
    /// Fraction of rows with the same label.
    pub observed: f64,
    /// Cohen's kappa: (observed − expected) / (1 − expected), expected from each pass's label shares.
    pub kappa: f64,
}

/// Cohen's kappa of two label sequences of the same length.
pub fn cohen_kappa(first: &[String], second: &[String]) -> (f64, f64) {
    let n = first.len().min(second.len());
    if n == 0 {
        return (0.0, 0.0);
    }
    let agree = first.iter().zip(second).filter(|(a, b)| a == b).count() as f64 / n as f64;
    let mut shares: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (a, b) in first.iter().zip(second) {
        shares.entry(a).or_default().0 += 1.0 / n as f64;
        shares.entry(b).or_default().1 += 1.0 / n as f64;
    }
    let expected: f64 = shares.values().map(|(p, q)| p * q).sum();
    let kappa = if (1.0 - expected).abs() < 1e-12 {
        1.0
    } else {
        (agree - expected) / (1.0 - expected)
    };
    (agree, kappa)
}

/// Compares two passes given as id → task → label; rows missing from either pass are skipped.
pub fn compare(
    first: &BTreeMap<String, BTreeMap<String, String>>,
    second: &BTreeMap<String, BTreeMap<String, String>>,
    tasks: &[&str],
) -> (Vec<TaskAgreement>, Vec<Disagreement>) {
    let mut agreements = Vec::new();
    let mut disagreements = Vec::new();
    for task in tasks {
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (id, labels) in first {
            let (Some(x), Some(y)) = (labels.get(*task), second.get(id).and_then(|l| l.get(*task))) else {
                continue;
            };
            if x != y {
                disagreements.push(Disagreement {
                    id: id.clone(),
                    task: task.to_string(),
                    first: x.clone(),
                    second: y.clone(),
                });
            }
            a.push(x.clone());
            b.push(y.clone());
        }
        let (observed, kappa) = cohen_kappa(&a, &b);
        agreements.push(TaskAgreement {
            task: task.to_string(),
            rows: a.len(),
            observed,
            kappa,
        });
    }
    (agreements, disagreements)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kappa_matches_a_hand_computed_value() {
        // 10 rows: agree on 7. First pass: 5 yes / 5 no; second: 6 yes / 4 no.
        // expected = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
        // (sklearn.metrics.cohen_kappa_score gives 0.4 on these lists as well).
        let a = labels(&["y", "y", "y", "y", "y", "n", "n", "n", "n", "n"]);
        let b = labels(&["y", "y", "y", "y", "n", "y", "y", "n", "n", "n"]);
        let (observed, kappa) = cohen_kappa(&a, &b);
        assert!((observed - 0.7).abs() < 1e-12);
        assert!((kappa - 0.4).abs() < 1e-12);
    }

    #[test]
    fn perfect_agreement_is_one() {
        let a = labels(&["x", "y"]);
        assert_eq!(cohen_kappa(&a, &a).1, 1.0);
    }
}
