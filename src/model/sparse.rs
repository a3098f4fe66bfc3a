//! The sparse solver: linfa-logistic's multinomial objective, minimised by the same L-BFGS
//! (argmin, memory 10, Moré–Thuente line search, same gradient tolerance and iteration limit, zero
//! start), but computed over sparse rows instead of a dense matrix.
//!
//! The objective is linfa's to the letter: `-Σ log softmax(XW + b)[y] + α/2 ‖W‖²`, the intercept
//! not penalised, parameters laid out as linfa's `(n_features + 1) × n_classes` matrix. Only the
//! arithmetic order differs, so both solvers reach the same optimum; a test checks that their
//! probabilities agree to 1e-4.

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

use super::linear::{log_sum_exp, softmax};
use crate::features::SparseVector;

/// The multinomial problem over the rows to fit (with oversampling repeats as repeated indices).
struct Problem<'a> {
    x: &'a [SparseVector],
    rows: &'a [usize],
    /// Class of each x row, as an index into the present classes.
    target: &'a [usize],
    k: usize,
    n_features: usize,
    alpha: f64,
}

impl Problem<'_> {
    /// Scores of one row under flattened parameters `w` (`w[j * k + c]`, intercepts last).
    fn scores(&self, w: &Array1<f64>, row: &SparseVector) -> Vec<f64> {
        let k = self.k;
        let base = self.n_features * k;
        (0..k)
            .map(|c| w[base + c] + row.iter().map(|(j, v)| w[j * k + c] * v).sum::<f64>())
            .collect()
    }

    fn penalty(&self, w: &Array1<f64>) -> f64 {
        let weights = w.slice(ndarray::s![..self.n_features * self.k]);
        0.5 * self.alpha * weights.dot(&weights)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> Result<f64, Error> {
        let mut loss = 0.0;
        for &r in self.rows {
            let scores = self.scores(w, &self.x[r]);
            loss += log_sum_exp(&scores) - scores[self.target[r]];
        }
        Ok(loss + self.penalty(w))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> Result<Array1<f64>, Error> {
        let k = self.k;
        let base = self.n_features * k;
        let mut grad = Array1::<f64>::zeros(w.len());
        for i in 0..base {
            grad[i] = self.alpha * w[i];
        }
        for &r in self.rows {
            let row = &self.x[r];
            let p = softmax(&self.scores(w, row));
            for c in 0..k {
                let diff = p[c] - if self.target[r] == c { 1.0 } else { 0.0 };
                grad[base + c] += diff;
                for (j, v) in row.iter() {
                    grad[j * k + c] += diff * v;
                }
            }
        }
        Ok(grad)
    }
}

/// Minimises the objective; returns the flattened parameters (`w[j * k + c]`, intercepts last).
#[allow(clippy::too_many_arguments)]
pub fn minimise(
    x: &[SparseVector],
    rows: &[usize],
    target: &[usize],
    k: usize,
    n_features: usize,
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
) -> Result<Array1<f64>, Error> {
    let problem = Problem {
        x,
        rows,
        target,
        k,
        n_features,
        alpha,
    };
    let init = Array1::<f64>::zeros((n_features + 1) * k);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10).with_tolerance_grad(gradient_tolerance)?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(init.clone()).max_iters(max_iterations))
        .run()?;
    Ok(result.state().get_best_param().cloned().unwrap_or(init))
}
