//! How raw term counts become feature values: binary, tf or tf-idf, optional sublinear tf,
//! optional L2 normalisation.
//!
//! The IDF is learned once at fit time and stored with the model (not recomputed on the texts
//! being classified), so a statement gets the same features whichever batch it arrives in.

use serde::{Deserialize, Serialize};

/// The value a term's count is turned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weighting {
    /// 1 when the term occurs, whatever the count.
    Binary,
    /// The term count (or 1 + ln count with sublinear tf).
    Tf,
    /// Term count times the inverse document frequency learned at fit time.
    TfIdf,
}

impl std::str::FromStr for Weighting {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "binary" => Ok(Weighting::Binary),
            "tf" => Ok(Weighting::Tf),
            "tf-idf" | "tfidf" => Ok(Weighting::TfIdf),
            _ => Err(format!("expected binary, tf or tf-idf, found {s:?}")),
        }
    }
}

impl std::fmt::Display for Weighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Weighting::Binary => "binary",
            Weighting::Tf => "tf",
            Weighting::TfIdf => "tf-idf",
        })
    }
}

/// Smoothed inverse document frequency, `ln((1 + n) / (1 + df)) + 1` as scikit-learn computes it.
pub fn smooth_idf(document_count: usize, document_frequency: u32) -> f64 {
    ((1.0 + document_count as f64) / (1.0 + document_frequency as f64)).ln() + 1.0
}

/// The weight of a term that occurs `count` times, before IDF.
pub fn term_weight(count: u32, weighting: Weighting, sublinear_tf: bool) -> f64 {
    match weighting {
        Weighting::Binary => 1.0,
        Weighting::Tf | Weighting::TfIdf if sublinear_tf => 1.0 + (count as f64).ln(),
        Weighting::Tf | Weighting::TfIdf => count as f64,
    }
}

/// `term_weight` of each count in `values`, in place.
pub fn weigh_counts(values: &mut [f64], weighting: Weighting, sublinear_tf: bool) {
    match weighting {
        Weighting::Binary => values.fill(1.0),
        Weighting::Tf | Weighting::TfIdf if sublinear_tf => {
            // A term met once (most are) weighs 1 + ln 1 = 1: no logarithm to take.
            values
                .iter_mut()
                .for_each(|v| *v = if *v == 1.0 { 1.0 } else { 1.0 + v.ln() });
        }
        Weighting::Tf | Weighting::TfIdf => {}
    }
}

/// Scales `values` to unit Euclidean length; leaves an all-zero vector as it is.
pub fn l2_normalize(values: &mut [f64]) {
    let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    if norm > 0.0 {
        values.iter_mut().for_each(|v| *v /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_matches_scikit_learn_smooth_idf() {
        // scikit-learn TfidfVectorizer(smooth_idf=True).idf_ for a term in 1 of 3 documents:
        // ln(4/2) + 1 = 1.6931471805599454.
        assert!((smooth_idf(3, 1) - 1.693_147_180_559_945_4).abs() < 1e-15);
        assert_eq!(smooth_idf(3, 3), 1.0);
    }

    #[test]
    fn sublinear_tf_is_one_plus_log() {
        assert_eq!(term_weight(1, Weighting::Tf, true), 1.0);
        assert!((term_weight(3, Weighting::TfIdf, true) - (1.0 + 3f64.ln())).abs() < 1e-15);
        assert_eq!(term_weight(3, Weighting::Tf, false), 3.0);
        assert_eq!(term_weight(3, Weighting::Binary, true), 1.0);
    }

    #[test]
    fn weighing_counts_in_place_is_term_weight_of_each() {
        for weighting in [Weighting::Binary, Weighting::Tf, Weighting::TfIdf] {
            for sublinear in [false, true] {
                let mut values = [1.0, 2.0, 7.0];
                weigh_counts(&mut values, weighting, sublinear);
                let expected = [1, 2, 7].map(|count| term_weight(count, weighting, sublinear));
                assert_eq!(values, expected, "{weighting} {sublinear}");
            }
        }
    }

    #[test]
    fn l2_normalisation_gives_unit_length_and_keeps_zero() {
        let mut v = [3.0, 4.0];
        l2_normalize(&mut v);
        assert_eq!(v, [0.6, 0.8]);
        let mut zero = [0.0, 0.0];
        l2_normalize(&mut zero);
        assert_eq!(zero, [0.0, 0.0]);
    }
}
