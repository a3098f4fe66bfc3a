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

use std::sync::Mutex;

use super::linear::{log_sum_exp, softmax_in_place};
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
    /// The last points evaluated, newest last: L-BFGS asks for the cost and then the gradient of
    /// one point, and the line search's last point again, so each is computed once.
    evaluated: Mutex<Vec<Evaluation>>,
}

/// The objective and its gradient at one point.
struct Evaluation {
    at: Array1<f64>,
    cost: f64,
    gradient: Array1<f64>,
}

/// Points `Problem` remembers: the line search's latest and the one before.
const REMEMBERED: usize = 2;

impl Problem<'_> {
    /// The cost and gradient at `w`, from one pass over the rows, remembered for the next call.
    ///
    /// The arithmetic is the same, operation for operation and in the same order, as computing
    /// them apart (per class: the sum of `w[j * k + c] * v` over the row in its order, then the
    /// intercept added; the loss and each gradient entry summed over the rows in order), so the
    /// fitted weights are bit for bit those of separate passes.
    fn evaluate<T>(&self, w: &Array1<f64>, read: impl FnOnce(&Evaluation) -> T) -> T {
        let mut evaluated = self.evaluated.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = evaluated.iter().find(|e| e.at == *w) {
            return read(hit);
        }
        let base = self.n_features * self.k;
        let mut gradient = Array1::<f64>::zeros(w.len());
        let params = w.as_slice().expect("parameters are contiguous");
        let grad = gradient.as_slice_mut().expect("a fresh array is contiguous");
        // Each class's sum starts where `Iterator::sum` does, so that it equals `.sum::<f64>()`.
        let zero: f64 = std::iter::empty::<f64>().sum();
        let loss = match self.k {
            2 => self.loss_and_gradient(params, grad, [zero; 2]),
            3 => self.loss_and_gradient(params, grad, [zero; 3]),
            4 => self.loss_and_gradient(params, grad, [zero; 4]),
            k => self.loss_and_gradient(params, grad, vec![zero; k]),
        };
        let penalty = {
            let weights = w.slice(ndarray::s![..base]);
            0.5 * self.alpha * weights.dot(&weights)
        };
        if evaluated.len() == REMEMBERED {
            evaluated.remove(0);
        }
        evaluated.push(Evaluation {
            at: w.clone(),
            cost: loss + penalty,
            gradient,
        });
        read(evaluated.last().expect("just pushed"))
    }
}

impl Problem<'_> {
    /// The summed loss over the rows, with the gradient written to `grad`. `zero` is the class
    /// scores' buffer, all `k` wide: an array for the common class counts, so that its length is
    /// known at compile time and the scores and differences stay in registers, else a vector.
    #[inline(always)]
    fn loss_and_gradient<S>(&self, params: &[f64], grad: &mut [f64], zero: S) -> f64
    where
        S: AsRef<[f64]> + AsMut<[f64]> + Clone,
    {
        let k = self.k;
        let base = self.n_features * k;
        let (weights, intercepts) = params.split_at(base);
        let (grad_weights, grad_intercepts) = grad.split_at_mut(base);
        for (g, &v) in grad_weights.iter_mut().zip(weights) {
            *g = self.alpha * v;
        }
        let mut loss = 0.0;
        for &r in self.rows {
            let row = &self.x[r];
            let target = self.target[r];
            let mut scores = zero.clone();
            let scores = scores.as_mut();
            for (&j, &v) in row.columns.iter().zip(&row.values) {
                let at = j as usize * k;
                for (score, w) in scores.iter_mut().zip(&weights[at..at + k]) {
                    *score += w * v;
                }
            }
            for (score, b) in scores.iter_mut().zip(intercepts) {
                *score += b;
            }
            loss += log_sum_exp(scores) - scores[target];
            let mut diffs = zero.clone();
            let diffs = diffs.as_mut();
            diffs.copy_from_slice(scores);
            softmax_in_place(diffs);
            diffs[target] -= 1.0;
            for (g, d) in grad_intercepts.iter_mut().zip(diffs.iter()) {
                *g += d;
            }
            for (&j, &v) in row.columns.iter().zip(&row.values) {
                let at = j as usize * k;
                for (g, d) in grad_weights[at..at + k].iter_mut().zip(diffs.iter()) {
                    *g += d * v;
                }
            }
        }
        loss
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(w, |e| e.cost))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> Result<Array1<f64>, Error> {
        Ok(self.evaluate(w, |e| e.gradient.clone()))
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
        evaluated: Mutex::new(Vec::with_capacity(REMEMBERED)),
    };
    let init = Array1::<f64>::zeros((n_features + 1) * k);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10).with_tolerance_grad(gradient_tolerance)?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(init.clone()).max_iters(max_iterations))
        .run()?;
    Ok(result.state().get_best_param().cloned().unwrap_or(init))
}
