//! Training settings as plain data, checked once before any work starts.
//!
//! `TrainParams` is what the user asked for; `ValidTrainParams` can only be made by `validate`,
//! so the fitting code never has to re-check a setting (linfa-logistic's own `param_guard` idea).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How class imbalance is handled. linfa-logistic has no class weights, so `Oversample` repeats the
/// rows of smaller classes until every class has as many rows as the largest: with an objective
/// that sums the loss over rows this is the same as weighting each class by `n_max / n_class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClassBalance {
    /// Fit on the rows as they are.
    None,
    /// Repeat rows of smaller classes (deterministically, in file order) up to the largest class.
    Oversample,
}

impl std::str::FromStr for ClassBalance {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(ClassBalance::None),
            "oversample" => Ok(ClassBalance::Oversample),
            _ => Err(format!("expected none or oversample, found {s:?}")),
        }
    }
}

impl std::fmt::Display for ClassBalance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClassBalance::None => "none",
            ClassBalance::Oversample => "oversample",
        })
    }
}

/// Which solver fits the logistic models. Both minimise exactly linfa-logistic's objective with
/// the same L-BFGS; they differ in how the data is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Solver {
    /// linfa-logistic on a dense matrix when it has at most `AUTO_DENSE_CELLS` cells, else sparse.
    #[default]
    Auto,
    /// linfa-logistic itself (the reference), on a dense matrix.
    Linfa,
    /// The same objective and L-BFGS over sparse rows.
    Sparse,
}

/// Largest dense matrix (rows × features) `Solver::Auto` hands to linfa-logistic: 1M cells, 8 MB.
/// Above it the dense fit costs seconds to minutes and hundreds of MB; the sparse one does not.
pub const AUTO_DENSE_CELLS: usize = 1_000_000;

impl std::str::FromStr for Solver {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Solver::Auto),
            "linfa" => Ok(Solver::Linfa),
            "sparse" => Ok(Solver::Sparse),
            _ => Err(format!("expected auto, linfa or sparse, found {s:?}")),
        }
    }
}

impl std::fmt::Display for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Solver::Auto => "auto",
            Solver::Linfa => "linfa",
            Solver::Sparse => "sparse",
        })
    }
}

/// What `stance train` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// Candidate L2 strengths (linfa's `alpha`, 1/C in scikit-learn terms); cross-validation picks one.
    pub alphas: Vec<f64>,
    /// Number of cross-validation folds, grouped by source (default 5).
    pub folds: usize,
    /// L-BFGS iteration limit per fit (default 100, linfa-logistic's own default).
    pub max_iterations: u64,
    /// Gradient-norm tolerance of the solver (default 1e-4, linfa-logistic's own default).
    pub gradient_tolerance: f64,
    /// How class imbalance is handled (default oversample).
    pub balance: ClassBalance,
    /// Which solver fits (default auto; absent in models written before it existed).
    #[serde(default)]
    pub solver: Solver,
    /// Naive-Bayes log-count-ratio scaling, one-vs-rest per class (default off).
    #[serde(default)]
    pub nb_scaling: bool,
    /// Choose alpha by grouped cross-validation and record held-out figures (default true); when
    /// false, each task is fitted once on all its rows with the single alpha given.
    #[serde(default = "default_true")]
    pub cross_validate: bool,
}

fn default_true() -> bool {
    true
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            alphas: vec![0.3, 1.0, 3.0, 10.0],
            folds: 5,
            max_iterations: 100,
            gradient_tolerance: 1e-4,
            balance: ClassBalance::Oversample,
            solver: Solver::Auto,
            nb_scaling: false,
            cross_validate: true,
        }
    }
}

/// A setting that cannot work, named with the value found.
#[derive(Debug, Error, PartialEq)]
pub enum ParamError {
    /// No L2 strength to try.
    #[error("no L2 strength given (expected at least one --alpha)")]
    NoAlpha,
    /// An L2 strength that is not a positive finite number.
    #[error("L2 strength (alpha) must be a positive finite number, found {0}")]
    BadAlpha(f64),
    /// Several L2 strengths but no cross-validation to choose between them.
    #[error("without cross-validation one L2 strength is needed (give a single --alpha), found {0}")]
    AlphaWithoutCv(usize),
    /// Fewer than two folds.
    #[error("cross-validation needs at least 2 folds, found {0}")]
    TooFewFolds(usize),
    /// A zero iteration limit.
    #[error("max-iterations must be at least 1, found 0")]
    NoIterations,
    /// A tolerance that is not a positive finite number.
    #[error("gradient tolerance must be a positive finite number, found {0}")]
    BadTolerance(f64),
}

/// Training settings that passed `TrainParams::validate`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTrainParams(TrainParams);

impl ValidTrainParams {
    /// The checked settings.
    pub fn get(&self) -> &TrainParams {
        &self.0
    }
}

impl TrainParams {
    /// Checks every setting; the first problem found is returned.
    pub fn validate(self) -> Result<ValidTrainParams, ParamError> {
        if self.alphas.is_empty() {
            return Err(ParamError::NoAlpha);
        }
        if let Some(&bad) = self.alphas.iter().find(|a| !(a.is_finite() && **a > 0.0)) {
            return Err(ParamError::BadAlpha(bad));
        }
        if !self.cross_validate && self.alphas.len() != 1 {
            return Err(ParamError::AlphaWithoutCv(self.alphas.len()));
        }
        if self.cross_validate && self.folds < 2 {
            return Err(ParamError::TooFewFolds(self.folds));
        }
        if self.max_iterations == 0 {
            return Err(ParamError::NoIterations);
        }
        if !(self.gradient_tolerance.is_finite() && self.gradient_tolerance > 0.0) {
            return Err(ParamError::BadTolerance(self.gradient_tolerance));
        }
        Ok(ValidTrainParams(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert!(TrainParams::default().validate().is_ok());
    }

    #[test]
    fn each_rule_has_its_error() {
        let with = |f: fn(&mut TrainParams)| {
            let mut p = TrainParams::default();
            f(&mut p);
            p.validate().unwrap_err()
        };
        assert_eq!(with(|p| p.alphas.clear()), ParamError::NoAlpha);
        assert_eq!(with(|p| p.alphas = vec![1.0, -2.0]), ParamError::BadAlpha(-2.0));
        assert_eq!(with(|p| p.folds = 1), ParamError::TooFewFolds(1));
        assert_eq!(with(|p| p.cross_validate = false), ParamError::AlphaWithoutCv(4));
        assert_eq!(with(|p| p.max_iterations = 0), ParamError::NoIterations);
        assert!(matches!(
            with(|p| p.gradient_tolerance = f64::NAN),
            ParamError::BadTolerance(_)
        ));
    }
}
